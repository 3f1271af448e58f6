#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_set>
#include <vector>

#include "base/log.h"

namespace cairn::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// How long a graceful stop waits for requests in flight before it gives up on them.
constexpr std::chrono::seconds kDrainDeadline{10};

}  // namespace

class Server::Impl {
 public:
  class Session;

  Impl(ServerOptions options, RequestHandler handler, RejectResponder reject)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        reject_(std::move(reject)),
        io_(options_.threads),
        control_(asio::make_strand(io_)),
        acceptor_(control_),
        signals_(control_, SIGINT, SIGTERM),
        drain_timer_(control_),
        poll_timer_(control_) {}

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
    std::vector<std::thread> workers;
    for (int thread_idx = 1; thread_idx < options_.threads; ++thread_idx) {
      workers.emplace_back([this] { io_.run(); });
    }
    io_.run();
    for (std::thread& worker : workers) worker.join();
  }

  void Stop() { asio::post(control_, [this] { BeginStop(); }); }

  void Forget(Session* session) {
    std::lock_guard lock(sessions_mutex_);
    sessions_.erase(session);
  }

  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  const ServerOptions& options() const { return options_; }
  const RequestHandler& handler() const { return handler_; }
  const RejectResponder& reject() const { return reject_; }

 private:
  void Accept();
  void BeginStop();
  void WaitForSessions();

  ServerOptions options_;
  RequestHandler handler_;
  RejectResponder reject_;
  asio::io_context io_;
  // Accepting and stopping run on this strand: the acceptor, the signal handler, the drain
  // deadline and the poll for sessions to finish never race each other.
  asio::strand<asio::io_context::executor_type> control_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  asio::steady_timer drain_timer_;
  asio::steady_timer poll_timer_;
  std::atomic<bool> stopping_{false};

  // Open sessions, so that a stop can close the idle ones. Guarded by sessions_mutex_.
  std::mutex sessions_mutex_;
  std::unordered_set<Session*> sessions_;
  friend class Session;
};

class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {}
  ~Session() { server_.Forget(this); }

  void Start() {
    {
      std::lock_guard lock(server_.sessions_mutex_);
      server_.sessions_.insert(this);
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  // Called on stop: a session waiting for a request is closed now; one handling or writing a
  // request closes after its answer is written.
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->reading_) self->stream_.socket().close();
    });
  }

 private:
  void Read() {
    if (server_.stopping()) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options().max_header_bytes));
    parser_->body_limit(server_.options().max_body_bytes);
    stream_.expires_after(server_.options().idle_timeout);
    reading_ = true;
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code error, size_t) {
                        self->reading_ = false;
                        self->OnRead(error);
                      });
  }

  void OnRead(beast::error_code error) {
    if (error == bhttp::error::body_limit) {
      return Reject(server_.reject()(AwsError::Make(
          "RequestEntityTooLargeException",
          "Request body is larger than the limit of " +
              std::to_string(server_.options().max_body_bytes) + " bytes",
          413)));
    }
    if (error == bhttp::error::header_limit) {
      HttpResponse response;
      response.status = 431;
      response.SetHeader("Content-Type", "text/plain");
      response.body = "Request header fields too large";
      return Reject(std::move(response));
    }
    if (error) return Close();  // closed by peer, timed out, or not HTTP: nothing to answer

    bhttp::request<bhttp::string_body> message = parser_->release();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.headers.reserve(16);
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& character : name) character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());
    const bool keep_alive = message.keep_alive() && !server_.stopping();
    Write(server_.handler()(request), keep_alive, message.version());
  }

  void Reject(HttpResponse response) { Write(std::move(response), /*keep_alive=*/false, 11); }

  void Write(HttpResponse response, bool keep_alive, unsigned version) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), version);
    for (auto& [name, value] : response.headers) message->set(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive);
    message->prepare_payload();
    stream_.expires_after(server_.options().idle_timeout);
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message, keep_alive](beast::error_code error, size_t) {
                         if (error || !keep_alive) return self->Close();
                         self->Read();
                       });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool reading_ = false;  // only touched on the session's strand
};

void Server::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code error, tcp::socket socket) {
    if (error) {
      if (!stopping()) Accept();
      return;
    }
    size_t open_sessions;
    {
      std::lock_guard lock(sessions_mutex_);
      open_sessions = sessions_.size();
    }
    if (open_sessions >= options_.max_connections) {
      log::Warn("connection refused: " + std::to_string(open_sessions) + " connections open");
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Session>(*this, std::move(socket))->Start();
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
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(sessions_mutex_);
    for (Session* session : sessions_) {
      if (auto alive = session->weak_from_this().lock()) open.push_back(std::move(alive));
    }
  }
  for (const auto& session : open) session->CloseIfIdle();
  drain_timer_.expires_after(kDrainDeadline);
  drain_timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) {
      log::Warn("drain deadline passed; closing remaining connections");
      io_.stop();
    }
  });
  WaitForSessions();
}

// Polls until every session has gone, then cancels the deadline so that no work is left and
// Run() returns.
void Server::Impl::WaitForSessions() {
  {
    std::lock_guard lock(sessions_mutex_);
    if (sessions_.empty()) {
      drain_timer_.cancel();
      return;
    }
  }
  poll_timer_.expires_after(std::chrono::milliseconds(10));
  poll_timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) WaitForSessions();
  });
}

Server::Server(ServerOptions options, RequestHandler handler, RejectResponder reject)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(reject))) {}
Server::~Server() = default;
uint16_t Server::Listen() { return impl_->Listen(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace cairn::http
