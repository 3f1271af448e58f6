// Server: HTTP/1.1 on Boost.Beast/Asio, keep-alive, a fixed pool of worker threads. It turns
// bytes into HttpRequest, calls the handler (the gateway), and writes the HttpResponse back in
// one write with TCP_NODELAY. It knows nothing of AWS.
//
// A handler answers through a Responder, at once or later from any thread (the gateway answers
// a write once its changes are durable, from the journal's writer thread): meanwhile the worker
// serves its other connections, and the connection itself reads nothing more, so the answers
// on one connection keep the order of its requests.
//
// Bounded everything: header bytes, body bytes, idle time per connection, open connections.
// A request over a limit gets the `reject` callback's answer (413 for a body, 431 for headers)
// and the connection is closed. Slow clients (slowloris): once a request's first bytes have
// come, its header must be complete within `header_timeout` and the whole request within
// `idle_timeout`, else 408 and close. Over `max_connections`, a few more connections are read
// and answered 503 before they are closed, and the rest closed at once. Over
// `max_requests_per_second` on one connection, a request is answered with a throttling error
// and the connection kept. On SIGTERM/SIGINT (or Stop()) it stops accepting, lets every
// request in flight finish and be answered, closes idle connections, and Run() returns.
//
// Beast's headers stay inside server.cc, so only one translation unit pays for them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/aws_error.h"
#include "base/http_message.h"

namespace cairn::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4566;  // 0: any free port
  int threads = 2;
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 8 * 1024 * 1024;
  std::chrono::milliseconds idle_timeout{60'000};
  size_t max_connections = 4096;
  std::chrono::milliseconds header_timeout{10'000};
  double max_requests_per_second = 0;  // per connection, bursts of as many; 0: no limit
};

// Sends the answer to one request. Call it exactly once, from any thread: called on the
// worker's thread while the handler runs, the answer is written as soon as the handler
// returns; otherwise it is handed to the connection's worker. Cheap to copy.
class Responder {
 public:
  struct Target;  // the connection waiting for the answer (server.cc)
  Responder(std::shared_ptr<Target> target) : target_(std::move(target)) {}
  void operator()(HttpResponse response) const;

 private:
  std::shared_ptr<Target> target_;
};

using AsyncRequestHandler = std::function<void(const HttpRequest&, Responder)>;
// A handler that answers before it returns.
using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;
// Builds the answer to a request refused by the HTTP layer itself (oversized, too slow,
// throttled, too many connections); `request` holds its header when it was read, else null.
using RejectResponder = std::function<HttpResponse(const AwsError&, const HttpRequest* request)>;

class Server {
 public:
  Server(ServerOptions options, AsyncRequestHandler handler, RejectResponder reject);
  Server(ServerOptions options, RequestHandler handler, RejectResponder reject);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns the bound port; throws std::runtime_error when it cannot bind.
  uint16_t Listen();
  // Serves on the worker threads until Stop() or SIGTERM/SIGINT, then drains and returns.
  void Run();
  // Starts a graceful stop; safe from any thread and from a signal-free context.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cairn::http
