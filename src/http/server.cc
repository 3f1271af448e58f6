#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/log.h"

namespace cairn::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Threading model: one io_context per worker thread, each run by that thread alone, and every
// connection lives on one of them for its whole life (accepted connections are dealt round
// robin). A connection's handlers therefore never run concurrently and need no strand, and
// sockets and timers use io_context's concrete executor rather than the type-erased
// any_io_executor. Accepting, signals and the graceful stop run on worker 0. Measured with
// bench/run.sh, this costs about a third less CPU per request than one shared io_context with
// a strand per connection and Beast's serializer, where the kernel's loopback TCP is the rest.
//
// Idle timeouts are enforced by a sweep per worker instead of a timer re-armed on every read
// and write: a session records the deadline of the step it waits on (now + idle timeout when
// it starts reading a request or writing an answer), and the sweep, which runs every tenth of
// the timeout (5 ms to 1 s) while its worker has connections, closes those past it. A stalled
// connection is thus closed at most one sweep period late, and the request path touches no
// timer queue.
//
// A handler that does not answer before it returns (a durable write waiting for its commit)
// leaves its session in its worker's `waiting` map, which keeps it alive; the Responder
// answers later through the worker's Mailbox, which posts the answer to the worker's
// io_context while the worker exists and drops it once it is gone (a drain deadline passed).
// The session reads nothing more until its answer is written, so answers keep request order.

namespace {

// Connections beyond --max-connections that are still read, to be answered 503.
constexpr size_t kRefusalSlots = 16;

// How long a graceful stop waits for requests in flight before it gives up on them.
constexpr std::chrono::seconds kDrainDeadline{10};

using Clock = std::chrono::steady_clock;
using Executor = asio::io_context::executor_type;
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Timer = asio::basic_waitable_timer<Clock, asio::wait_traits<Clock>, Executor>;

std::chrono::milliseconds SweepPeriod(std::chrono::milliseconds idle_timeout) {
  return std::clamp(idle_timeout / 10, std::chrono::milliseconds(5),
                    std::chrono::milliseconds(1000));
}

// The session whose handler runs on this thread now, or null: a Responder called from inside
// the handler answers without a round trip through the io_context.
thread_local const void* answering_session = nullptr;

char AsciiLower(char character) {
  return character >= 'A' && character <= 'Z' ? static_cast<char>(character - 'A' + 'a')
                                              : character;
}

bool EqualsIgnoringCase(std::string_view text, std::string_view lower) {
  return text.size() == lower.size() &&
         std::equal(text.begin(), text.end(), lower.begin(),
                    [](char left, char right) { return AsciiLower(left) == right; });
}

// Framing headers are the server's to write; a handler's own would contradict them.
bool IsFramingHeader(std::string_view name) {
  return EqualsIgnoringCase(name, "content-length") ||
         EqualsIgnoringCase(name, "transfer-encoding") || EqualsIgnoringCase(name, "connection");
}

// The request line and header fields of a parsed header.
template <class Fields>
HttpRequest HeaderOf(const bhttp::request<Fields>& message) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), AsciiLower);
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  return request;
}

// A header value with CR or LF would split the response; they become spaces.
void AppendHeaderValue(std::string& out, std::string_view value) {
  if (value.find_first_of("\r\n") == std::string_view::npos) {
    out.append(value);
    return;
  }
  for (char character : value)
    out.push_back(character == '\r' || character == '\n' ? ' ' : character);
}

}  // namespace

struct Responder::Target {
  virtual ~Target() = default;
  virtual void Answer(HttpResponse response) = 0;
};

void Responder::operator()(HttpResponse response) const { target_->Answer(std::move(response)); }

class Server::Impl {
 public:
  class Session;
  struct Worker;

  // How an answer given on another thread reaches a worker: `worker` is null once the worker
  // is gone, and the answer is dropped (its connection was abandoned with it).
  struct Mailbox {
    std::mutex mutex;
    Worker* worker;
  };

  // The Responder's side of one request.
  class Reply final : public Responder::Target {
   public:
    Reply(std::shared_ptr<Mailbox> mailbox, Session* session, uint64_t serial)
        : mailbox_(std::move(mailbox)), session_(session), serial_(serial) {}
    void Answer(HttpResponse response) override;

   private:
    std::shared_ptr<Mailbox> mailbox_;
    Session* session_;  // compared, and used only on its worker while in `waiting`
    uint64_t serial_;   // which request of the session
  };

  // One thread's share of the server. Only its own thread touches `sessions`, `waiting` and
  // the sweep.
  struct Worker {
    Worker() { mailbox->worker = this; }
    ~Worker() {
      std::lock_guard lock(mailbox->mutex);
      mailbox->worker = nullptr;
    }
    // Hands `response` to `session` if it still waits for the answer to request `serial`.
    void Deliver(Session* session, uint64_t serial, HttpResponse response);

    std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
    // Declared before `io` so that sessions destroyed with io's pending handlers (after a
    // drain deadline) can still unregister themselves.
    std::unordered_set<Session*> sessions;
    // Sessions whose handler returned without answering, kept alive until the answer comes.
    std::unordered_map<Session*, std::shared_ptr<Session>> waiting;
    asio::io_context io{1};
    Timer sweep_timer{io.get_executor()};
    bool sweeping = false;
    // Keeps run() going while the worker has no connection; released when a stop completes.
    std::optional<asio::executor_work_guard<Executor>> work{io.get_executor()};
  };

  Impl(ServerOptions options, AsyncRequestHandler handler, RejectResponder reject)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        reject_(std::move(reject)),
        workers_(MakeWorkers(options_.threads)),
        acceptor_(control()),
        signals_(control(), SIGINT, SIGTERM),
        drain_timer_(control()) {}

  uint16_t Listen() {
    boost::system::error_code error;
    const auto address = asio::ip::make_address(options_.host, error);
    if (error) throw std::runtime_error("invalid --host " + options_.host + ": " + error.message());
    const tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint, error);
    if (error) {
      throw std::runtime_error("cannot listen on " + options_.host + ":" +
                               std::to_string(options_.port) + ": " + error.message());
    }
    acceptor_.listen(asio::socket_base::max_listen_connections);
    return acceptor_.local_endpoint().port();
  }

  void Run() {
    signals_.async_wait([this](const boost::system::error_code& error, int) {
      if (!error) BeginStop();
    });
    Accept();
    std::vector<std::thread> threads;
    for (size_t worker_idx = 1; worker_idx < workers_.size(); ++worker_idx) {
      threads.emplace_back([worker = workers_[worker_idx].get()] { worker->io.run(); });
    }
    workers_[0]->io.run();
    for (std::thread& thread : threads) thread.join();
    // Sessions abandoned by a drain deadline die with their io_context, after this: they
    // must not post to a worker any more.
    stopped_.store(true);
  }

  void Stop() {
    asio::post(control(), [this] { BeginStop(); });
  }

  bool stopping() const { return stopping_.load(); }
  const ServerOptions& options() const { return options_; }
  const AsyncRequestHandler& handler() const { return handler_; }
  const RejectResponder& reject() const { return reject_; }

  // Called from a session's destructor, on its worker's thread (or after every thread has
  // finished, when a drain deadline abandons sessions).
  void Forget(Worker& worker, Session* session) {
    worker.sessions.erase(session);
    if (open_sessions_.fetch_sub(1) == 1 && stopping() && !stopped_.load()) {
      asio::post(control(), [this] { FinishStop(); });
    }
  }
  void Remember(Worker& worker, Session* session);

 private:
  static std::vector<std::unique_ptr<Worker>> MakeWorkers(int threads) {
    std::vector<std::unique_ptr<Worker>> workers;
    for (int worker_idx = 0; worker_idx < std::max(threads, 1); ++worker_idx) {
      workers.push_back(std::make_unique<Worker>());
    }
    return workers;
  }

  // Worker 0 runs on Run()'s own thread and alone, so accepting, the signal handler, the
  // drain deadline and the end of a stop never race each other.
  Executor control() { return workers_[0]->io.get_executor(); }

  void Accept();
  void Sweep(Worker& worker);
  void BeginStop();
  void FinishStop();

  ServerOptions options_;
  AsyncRequestHandler handler_;
  RejectResponder reject_;
  // Connections alive on any worker: for --max-connections, and to tell when a stop is done.
  // Declared before the workers, whose destruction may still decrement it.
  std::atomic<size_t> open_sessions_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> stopped_{false};  // every connection has gone, or Run() has returned
  std::vector<std::unique_ptr<Worker>> workers_;
  size_t next_worker_ = 0;  // round robin; touched only on worker 0
  asio::basic_socket_acceptor<tcp, Executor> acceptor_;
  asio::basic_signal_set<Executor> signals_;
  Timer drain_timer_;
};

class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  // A `refuse`d session reads one request and answers 503 (over --max-connections).
  Session(Impl& server, Worker& worker, Socket socket, bool refuse)
      : server_(server), worker_(worker), socket_(std::move(socket)), refuse_(refuse) {}
  ~Session() { server_.Forget(worker_, this); }

  // Runs on the session's worker.
  void Start() {
    server_.Remember(worker_, this);
    Read();
  }

  // Called on stop, on the session's worker: a connection waiting for a request is closed
  // now; one handling or writing a request closes after its answer is written.
  void CloseIfIdle() {
    if (step_ == Step::kReading) CloseSocket();
  }

  // Called by the sweep, on the session's worker. A request that has begun to arrive must
  // complete its header within the header timeout and itself within the idle timeout, or it
  // is answered 408 (RFC 9110 15.5.9); a connection idle past its deadline is closed without
  // a word (RFC 9112 9.8). The header's start is the first sweep that sees its bytes.
  void CloseIfPastDeadline(Clock::time_point now) {
    if (step_ == Step::kHandling || timed_out_) return;
    const bool started = step_ == Step::kReading && (buffer_.size() > 0 || parser_->got_some());
    if (started && !parser_->is_header_done()) {
      if (!header_started_) header_started_ = now;
      if (now - *header_started_ >= server_.options().header_timeout) return TimeOut();
    }
    if (now < deadline_) return;
    if (started) return TimeOut();
    CloseSocket();
  }

 private:
  enum class Step { kReading, kHandling, kWriting };

  void Read() {
    if (server_.stopping()) return Close();
    parser_.emplace();
    header_started_.reset();
    timed_out_ = false;
    parser_->header_limit(static_cast<uint32_t>(server_.options().max_header_bytes));
    parser_->body_limit(server_.options().max_body_bytes);
    StartStep(Step::kReading);
    // The header first, so that a client waiting on `Expect: 100-continue` is told to send the
    // body (RFC 9110 10.1.1) instead of stalling until its own timeout.
    bhttp::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, size_t) { self->OnHeader(error); });
  }

  void OnHeader(beast::error_code error) {
    // A Transfer-Encoding that does not end in chunked leaves the body's length unknowable:
    // 400 and close (RFC 9112 6.3).
    if (!error && !parser_->chunked() &&
        parser_->get().find(bhttp::field::transfer_encoding) != parser_->get().end()) {
      step_ = Step::kHandling;
      return Reject(Refuse(AwsError::Make(
          "BadRequest", "Transfer-Encoding must end in chunked (RFC 9112 6.3)", 400)));
    }
    if (error || parser_->is_done()) {
      step_ = Step::kHandling;
      return OnRead(error);
    }
    auto read_body = [self = shared_from_this()] {
      bhttp::async_read(self->socket_, self->buffer_, *self->parser_,
                        [self](beast::error_code body_error, size_t) {
                          self->step_ = Step::kHandling;
                          self->OnRead(body_error);
                        });
    };
    if (!beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) return read_body();
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(
        socket_, asio::buffer(kContinue.data(), kContinue.size()),
        [self = shared_from_this(), read_body](beast::error_code write_error, size_t) {
          if (write_error) return self->Close();
          read_body();
        });
  }

  void OnRead(beast::error_code error) {
    if (timed_out_ && error) {
      return Reject(Refuse(AwsError::Make(
          "RequestTimeout", "The request was not received within the server's timeout", 408)));
    }
    if (error == bhttp::error::body_limit) {
      return Reject(
          Refuse(AwsError::Make("RequestEntityTooLargeException",
                                "Request body is larger than the limit of " +
                                    std::to_string(server_.options().max_body_bytes) + " bytes",
                                413)));
    }
    if (error == bhttp::error::header_limit) {
      return Reject(
          Refuse(AwsError::Make("RequestHeaderFieldsTooLarge",
                                "Request header fields are larger than the limit of " +
                                    std::to_string(server_.options().max_header_bytes) + " bytes",
                                431)));
    }
    // A request that is not HTTP/1.1 (a garbage request line, a non-numeric Content-Length)
    // gets a 400 and the connection is closed (RFC 9112 2.2); a peer that closed, or a read
    // that timed out, leaves no one to answer.
    if (error.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        error != bhttp::error::end_of_stream && error != bhttp::error::partial_message) {
      return Reject(Refuse(AwsError::Make(
          "BadRequest", "The request is not valid HTTP/1.1: " + error.message(), 400)));
    }
    if (error) return Close();

    bhttp::request<bhttp::string_body> message = parser_->release();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.headers.reserve(16);
    for (const auto& field : message) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), AsciiLower);
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());
    if (refuse_) {
      return Reject(server_.reject()(
          AwsError::Make("ServiceUnavailable", "Too many connections; retry later", 503),
          &request));
    }
    if (!TakeToken()) {
      return Write(
          server_.reject()(AwsError::Make("ThrottlingException", "Rate exceeded", 400), &request),
          message.keep_alive() && !server_.stopping(), message.version(),
          /*head=*/false);
    }
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    head_request_ = message.method() == bhttp::verb::head;
    ++serial_;
    answer_.reset();
    answering_session = this;
    server_.handler()(request, Responder(std::make_shared<Reply>(worker_.mailbox, this, serial_)));
    answering_session = nullptr;
    if (!answer_) {
      worker_.waiting.emplace(this, shared_from_this());
      return;
    }
    HttpResponse response = std::move(*answer_);
    answer_.reset();
    Respond(std::move(response));
  }

 public:
  // The answer to request `serial`, given on this worker's thread.
  void Answered(uint64_t serial, HttpResponse response) {
    if (serial != serial_ || answer_) return;  // not the request in hand, or answered twice
    if (answering_session == this) {
      answer_ = std::move(response);  // written when the handler returns
    } else {
      Respond(std::move(response));
    }
  }

  uint64_t serial() const { return serial_; }

 private:
  // Writes the answer to the request in hand. A stop that began meanwhile closes the
  // connection after it.
  void Respond(HttpResponse response) {
    Write(std::move(response), keep_alive_ && !server_.stopping(), version_, head_request_);
  }

  void Reject(HttpResponse response) {
    Write(std::move(response), /*keep_alive=*/false, /*version=*/11, /*head=*/false);
  }

  // Serializes the answer into head_ (status line and headers) and body_, both owned by the
  // session and reused from one request to the next, and sends them in one gathered write.
  void Write(HttpResponse response, bool keep_alive, unsigned version, bool head) {
    const int status = response.status;
    // RFC 9110 15.2, 15.3.5, 15.4.5: these answers never carry content.
    const bool bodiless = status / 100 == 1 || status == 204 || status == 304;
    head_.clear();
    // A server answers with the highest minor version it supports in the request's major one.
    head_.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    head_.append(std::to_string(status)).push_back(' ');
    head_.append(bhttp::obsolete_reason(static_cast<bhttp::status>(status))).append("\r\n");
    for (const auto& [name, value] : response.headers) {
      if (IsFramingHeader(name)) continue;
      head_.append(name).append(": ");
      AppendHeaderValue(head_, value);
      head_.append("\r\n");
    }
    if (!bodiless)
      head_.append("Content-Length: ").append(std::to_string(response.body.size())).append("\r\n");
    if (version == 10 && keep_alive) head_.append("Connection: keep-alive\r\n");
    if (version != 10 && !keep_alive) head_.append("Connection: close\r\n");
    head_.append("\r\n");
    body_ = std::move(response.body);
    // A HEAD answer states the length of what a GET would get, without it (RFC 9110 9.3.2).
    if (bodiless || head) body_.clear();

    StartStep(Step::kWriting);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body_)};
    asio::async_write(socket_, buffers,
                      [self = shared_from_this(), keep_alive](beast::error_code error, size_t) {
                        self->step_ = Step::kHandling;
                        if (error || !keep_alive) return self->Close();
                        self->Read();
                      });
  }

  // The reject callback's answer, shaped by the request's header when it has been read.
  HttpResponse Refuse(const AwsError& error) {
    if (!parser_ || !parser_->is_header_done()) return server_.reject()(error, nullptr);
    const HttpRequest request = HeaderOf(parser_->get());
    return server_.reject()(error, &request);
  }

  // Cancels the pending read; its handler answers 408.
  void TimeOut() {
    timed_out_ = true;
    beast::error_code ignored;
    socket_.cancel(ignored);
  }

  // A token bucket per connection: --max-requests-per-second, with bursts of as many.
  bool TakeToken() {
    const double rate = server_.options().max_requests_per_second;
    if (rate <= 0) return true;
    const double burst = std::max(rate, 1.0);
    const Clock::time_point now = Clock::now();
    tokens_ =
        refilled_ == Clock::time_point()
            ? burst
            : std::min(burst,
                       tokens_ + rate * std::chrono::duration<double>(now - refilled_).count());
    refilled_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

  void StartStep(Step step) {
    step_ = step;
    deadline_ = Clock::now() + server_.options().idle_timeout;
  }

  void Close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    CloseSocket();
  }

  // Cancels the pending read or write, whose handler then ends the session.
  void CloseSocket() {
    beast::error_code ignored;
    socket_.close(ignored);
  }

  Impl& server_;
  Worker& worker_;
  Socket socket_;
  beast::flat_buffer buffer_;  // outlives one request: pipelined bytes stay for the next
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string head_;
  std::string body_;
  // The request in hand: its number on this connection, how to answer it, and its answer
  // while the handler that gave it has not returned.
  uint64_t serial_ = 0;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  bool head_request_ = false;
  std::optional<HttpResponse> answer_;
  Step step_ = Step::kHandling;
  Clock::time_point deadline_;
  // Limits: 503 for this connection, when the header began (seen by the sweep), a timed-out
  // read, and the rate limit's bucket.
  const bool refuse_;
  std::optional<Clock::time_point> header_started_;
  bool timed_out_ = false;
  double tokens_ = 0;
  Clock::time_point refilled_;
};

void Server::Impl::Reply::Answer(HttpResponse response) {
  if (answering_session == session_) {
    // On the session's worker, inside its handler: the session is alive on the stack.
    session_->Answered(serial_, std::move(response));
    return;
  }
  std::lock_guard lock(mailbox_->mutex);
  Worker* worker = mailbox_->worker;
  if (!worker) return;
  asio::post(worker->io, [worker, session = session_, serial = serial_,
                          response = std::move(response)]() mutable {
    worker->Deliver(session, serial, std::move(response));
  });
}

void Server::Impl::Worker::Deliver(Session* session, uint64_t serial, HttpResponse response) {
  auto found = waiting.find(session);
  if (found == waiting.end() || found->second->serial() != serial) return;
  std::shared_ptr<Session> alive = std::move(found->second);
  waiting.erase(found);
  alive->Answered(serial, std::move(response));
}

void Server::Impl::Remember(Worker& worker, Session* session) {
  worker.sessions.insert(session);
  if (!worker.sweeping) {
    worker.sweeping = true;
    Sweep(worker);
  }
}

// Runs on `worker` while it has connections: closes those past their deadline, then goes to
// sleep until the next connection arrives.
void Server::Impl::Sweep(Worker& worker) {
  const Clock::time_point now = Clock::now();
  for (Session* session : worker.sessions) session->CloseIfPastDeadline(now);
  if (worker.sessions.empty()) {
    worker.sweeping = false;
    return;
  }
  worker.sweep_timer.expires_after(
      SweepPeriod(std::min(options_.idle_timeout, options_.header_timeout)));
  worker.sweep_timer.async_wait([this, &worker](const boost::system::error_code& error) {
    if (error) {
      worker.sweeping = false;
      return;
    }
    Sweep(worker);
  });
}

void Server::Impl::Accept() {
  Worker& worker = *workers_[next_worker_];
  next_worker_ = (next_worker_ + 1) % workers_.size();
  acceptor_.async_accept(
      worker.io.get_executor(), [this, &worker](beast::error_code error, Socket socket) {
        if (error || stopping()) {
          if (!stopping()) Accept();
          return;
        }
        const size_t open = open_sessions_.load();
        // Over --max-connections a few more connections are read so that they can be told
        // 503 (RFC 9110 15.6.4) rather than reset; beyond those, closed at once.
        if (open >= options_.max_connections + kRefusalSlots) {
          log::Warn("connection refused: " + std::to_string(open) + " connections open");
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          beast::error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          open_sessions_.fetch_add(1);
          auto session = std::make_shared<Session>(*this, worker, std::move(socket),
                                                   open >= options_.max_connections);
          asio::post(worker.io, [session = std::move(session)] { session->Start(); });
        }
        Accept();
      });
}

void Server::Impl::BeginStop() {
  if (stopping_.exchange(true)) return;
  log::Info("stopping: draining open connections");
  beast::error_code ignored;
  acceptor_.close(ignored);
  signals_.cancel();
  for (const auto& worker : workers_) {
    asio::post(worker->io, [worker = worker.get()] {
      for (Session* session : worker->sessions) session->CloseIfIdle();
    });
  }
  drain_timer_.expires_after(kDrainDeadline);
  drain_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error) return;
    log::Warn("drain deadline passed; closing remaining connections");
    for (const auto& worker : workers_) worker->io.stop();
  });
  if (open_sessions_.load() == 0) FinishStop();
}

// Every connection has gone: lets each worker run out of work, so that Run() returns.
void Server::Impl::FinishStop() {
  if (stopped_.exchange(true)) return;
  drain_timer_.cancel();
  for (const auto& worker : workers_) {
    asio::post(worker->io, [worker = worker.get()] {
      worker->sweep_timer.cancel();
      worker->work.reset();
    });
  }
}

Server::Server(ServerOptions options, AsyncRequestHandler handler, RejectResponder reject)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(reject))) {}
Server::Server(ServerOptions options, RequestHandler handler, RejectResponder reject)
    : Server(std::move(options),
             AsyncRequestHandler([handler = std::move(handler)](const HttpRequest& request,
                                                                const Responder& respond) {
               respond(handler(request));
             }),
             std::move(reject)) {}
Server::~Server() = default;
uint16_t Server::Listen() { return impl_->Listen(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace cairn::http
