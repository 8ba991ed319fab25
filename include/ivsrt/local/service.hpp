// ivsrt::local::service: a local stand-in for Amazon IVS real-time that speaks the real wire
// protocol (restJson1, SigV4), for integration tests, CI and demos without an AWS account.
//
//   ivsrt::local::service svc;            // 127.0.0.1, a free port, credentials test/test
//   if (!svc.start()) ...;
//   auto client = ivsrt::client::create(svc.client_options());
//   ... svc.endpoint_url() also works for the AWS CLI (--endpoint-url) and boto3 ...
//   svc.join(stage_arn, token);           // a participant joins, so sessions have participants
//
// Every API request is authenticated; faults can be injected per operation; with a state file the
// service keeps its state across restarts; with TLS it serves HTTPS with a CA it made.
#pragma once

// The service's HTTPS mode needs cpp-httplib's TLS classes, which it declares only with this macro.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#error "define CPPHTTPLIB_OPENSSL_SUPPORT: the ivsrt::local target and ivsrt-local pkg-config module do"
#endif

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "ivsrt/client.hpp"
#include "ivsrt/clock_skew.hpp"
#include "ivsrt/local/admin.hpp"
#include "ivsrt/local/auth.hpp"
#include "ivsrt/local/dispatch.hpp"
#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/faults.hpp"
#include "ivsrt/local/tls.hpp"
#include "ivsrt/local/wire.hpp"
#include "ivsrt/uuid.hpp"

namespace ivsrt::local {

struct service_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: a free port
  std::string region = "us-east-1";
  std::string account = "123456789012";
  // The access keys requests may be signed with; test/test, as other local AWS emulators use.
  std::vector<access_key> credentials{{"test", "test"}};
  bool tls = false;
  std::string tls_directory{};  // where ca.pem is written; empty: a new temporary directory
  std::string state_file{};     // empty: the state lives in memory only
  quotas limits{};
  std::chrono::milliseconds composition_transition{500};
  std::chrono::seconds idle_composition_timeout{60};
  std::chrono::seconds stopped_composition_retention{600};
  std::chrono::seconds signature_window{15 * 60};
  std::uint64_t seed = 0;  // 0: random
  bool admin_endpoints = true;
  std::size_t max_threads = 64;  // connections served at the same time
  // Receives a line per request (operation, status, time) and per notable event; never a secret.
  std::function<void(std::string_view)> log{};
};

namespace detail {

// httplib's worker threads, with SIGPIPE blocked in each: a peer that goes away (or a connection
// the fault injector drops) makes a write fail instead of ending the process. The pool grows
// while every worker is busy, so idle kept-alive connections cannot starve new ones.
class worker_pool final : public httplib::TaskQueue {
 public:
  explicit worker_pool(std::size_t max_threads) : max_(max_threads == 0 ? 1 : max_threads) {}
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;
  ~worker_pool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(fn));
    if (idle_ < jobs_.size() && threads_.size() < max_) threads_.emplace_back([this] { work(); });
    cv_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

 private:
  void work() {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      ++idle_;
      cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;
      auto job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
    }
  }

  std::size_t max_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

inline int socket_port(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&a)->sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&a)->sin6_port);
  return -1;
}

// Whether a socket's local address is `host` (a numeric address; other hosts match anything).
inline bool address_is(const sockaddr_storage& a, const std::string& host) {
  if (a.ss_family == AF_INET) {
    in_addr want{};
    if (inet_pton(AF_INET, host.c_str(), &want) != 1 || want.s_addr == htonl(INADDR_ANY)) return true;
    return reinterpret_cast<const sockaddr_in*>(&a)->sin_addr.s_addr == want.s_addr;
  }
  if (a.ss_family == AF_INET6) {
    in6_addr want{};
    if (inet_pton(AF_INET6, host.c_str(), &want) != 1 || std::memcmp(&want, &in6addr_any, sizeof want) == 0)
      return true;
    return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&a)->sin6_addr, &want, sizeof want) == 0;
  }
  return false;
}

// Calls fn(fd) for each connected socket of this process whose local address is host:local_port
// and, unless peer_port is -1, whose peer port is peer_port: the server side of connections to us.
template <class F>
void for_each_connection(const std::string& host, int local_port, int peer_port, F&& fn) {
  auto matches = [&](int fd) {
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t n = sizeof local;
    socklen_t m = sizeof peer;
    return getsockname(fd, reinterpret_cast<sockaddr*>(&local), &n) == 0 &&
           getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &m) == 0 && socket_port(local) == local_port &&
           (peer_port == -1 || socket_port(peer) == peer_port) && address_is(local, host);
  };
  std::vector<int> found;
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    while (dirent* entry = ::readdir(dir)) {
      char* end = nullptr;
      const long fd = std::strtol(entry->d_name, &end, 10);
      if (end != entry->d_name && *end == '\0' && fd != ::dirfd(dir) && matches(static_cast<int>(fd))) {
        found.push_back(static_cast<int>(fd));
      }
    }
    ::closedir(dir);
  } else {
    for (int fd = 3; fd < 4096; ++fd) {
      if (matches(fd)) found.push_back(fd);
    }
  }
  for (int fd : found) fn(fd);
}

inline std::string temporary_directory() {
  const char* base = std::getenv("TMPDIR");  // NOLINT(concurrency-mt-unsafe): read-only use
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/ivsrt-local-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

}  // namespace detail

class service {
 public:
  explicit service(service_options options = {})
      : opts_(std::move(options)),
        engine_(engine_options{.region = opts_.region,
                               .account = opts_.account,
                               .limits = opts_.limits,
                               .composition_transition = opts_.composition_transition,
                               .idle_composition_timeout = opts_.idle_composition_timeout,
                               .stopped_composition_retention = opts_.stopped_composition_retention,
                               .seed = opts_.seed}),
        keys_(opts_.credentials),
        faults_(opts_.seed != 0 ? opts_.seed : std::random_device{}()) {}

  service(const service&) = delete;
  service& operator=(const service&) = delete;
  ~service() {
    stop();
    if (!temp_dir_.empty()) {
      ::unlink(ca_file_.c_str());
      ::rmdir(temp_dir_.c_str());
    }
  }

  // Loads the state file (if any), makes the TLS material (if asked) and starts listening.
  result<void> start() {
    if (server_)
      return make_error(error_kind::configuration, "AlreadyStarted", "the service is already running");
    if (!opts_.state_file.empty() && engine_.file() == nullptr) {
      auto file = state_file::open(opts_.state_file);
      if (!file) return file.error();
      std::lock_guard<std::mutex> lock(engine_.mutex());
      auto attached = engine_.attach(std::move(*file));
      if (!attached) return attached.error();
    }
    if (opts_.tls) {
      auto made = make_tls_material();
      if (!made) return made.error();
      std::string dir = opts_.tls_directory;
      if (dir.empty() && temp_dir_.empty()) {
        temp_dir_ = detail::temporary_directory();
        if (temp_dir_.empty()) {
          return make_error(error_kind::configuration, "TlsSetupFailed",
                            "cannot create a temporary directory");
        }
      }
      if (dir.empty()) dir = temp_dir_;
      ca_file_ = dir + "/ca.pem";
      auto written = write_ca_file(ca_file_, made->ca_pem);
      if (!written) return written.error();
      auto tls_server = std::make_unique<httplib::SSLServer>(made->certificate.get(), made->key.get());
      if (!tls_server->is_valid()) {
        return make_error(error_kind::configuration, "TlsSetupFailed", "the TLS server could not be set up");
      }
      server_ = std::move(tls_server);
    } else {
      server_ = std::make_unique<httplib::Server>();
    }
    const std::size_t max_threads = opts_.max_threads;
    server_->new_task_queue = [max_threads] { return new detail::worker_pool(max_threads); };
    server_->set_keep_alive_max_count(1000);
    server_->set_tcp_nodelay(true);
    server_->set_payload_max_length(std::size_t{1} << 20);
    auto handler = [this](const httplib::Request& req, httplib::Response& res) { on_request(req, res); };
    server_->Get(".*", handler);
    server_->Post(".*", handler);
    server_->Put(".*", handler);
    server_->Patch(".*", handler);
    server_->Delete(".*", handler);
    int port = opts_.port;
    if (port == 0) {
      port = server_->bind_to_any_port(opts_.host);
    } else if (!server_->bind_to_port(opts_.host, port)) {
      port = -1;
    }
    if (port <= 0) {
      server_.reset();
      return make_error(error_kind::configuration, "ListenFailed",
                        "cannot listen on " + opts_.host + ":" + std::to_string(opts_.port));
    }
    port_ = static_cast<std::uint16_t>(port);
    listener_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    say("listening on " + endpoint_url());
    return {};
  }

  // Stops listening; the state file (if any) already holds every change.
  void stop() {
    if (!server_) return;
    server_->stop();
    // Kept-alive connections would hold their workers until they time out; end them now.
    detail::for_each_connection(opts_.host, port_, -1, [](int fd) { ::shutdown(fd, SHUT_RDWR); });
    if (listener_.joinable()) listener_.join();
    server_.reset();
  }

  [[nodiscard]] bool running() const { return server_ != nullptr; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::string endpoint_url() const {
    const std::string host = opts_.host.find(':') != std::string::npos ? "[" + opts_.host + "]" : opts_.host;
    return std::string(opts_.tls ? "https" : "http") + "://" + host + ":" + std::to_string(port_);
  }
  // The PEM file of the CA that signed the server's certificate ("" without TLS).
  [[nodiscard]] const std::string& ca_file() const noexcept { return ca_file_; }
  [[nodiscard]] const std::string& region() const noexcept { return opts_.region; }
  [[nodiscard]] const std::string& account() const noexcept { return opts_.account; }

  // Options for an ivsrt::client that talks to this service: its endpoint and region, the first
  // configured access key, and the CA file when TLS is on.
  [[nodiscard]] ivsrt::client_options client_options() const {
    // Every setting the environment or a profile could otherwise supply is given here, so that a
    // developer's AWS_* and proxy variables and ~/.aws files (FIPS, retries, endpoints) cannot
    // redirect or break a client of the local service.
    ivsrt::client_options o;
    o.region = opts_.region;
    o.endpoint_url = endpoint_url();
    o.use_fips = false;
    o.use_dual_stack = false;
    o.ignore_configured_endpoint_urls = true;
    o.retry.mode = retry::mode::standard;
    o.retry.max_attempts = 3;
    o.disable_clock_skew_correction = false;
    o.transport.no_proxy = "*";  // a proxy from http_proxy / HTTPS_PROXY cannot reach this service
    if (!opts_.credentials.empty()) {
      o.credentials = ivsrt::credentials{.access_key_id = opts_.credentials.front().id,
                                         .secret_access_key = opts_.credentials.front().secret,
                                         .session_token = {},
                                         .expiration = {},
                                         .account_id = opts_.account};
    }
    if (opts_.tls) o.transport.ca_bundle = ca_file_;
    return o;
  }

  // Accepts another access key (or a new secret for a known one) from now on.
  void add_credentials(const std::string& access_key_id, const std::string& secret) {
    keys_.put(access_key_id, sensitive_string(secret));
  }

  // Fault injection (see faults.hpp); add_fault returns an id for remove_fault.
  int add_fault(fault f) { return faults_.add(std::move(f)); }
  bool remove_fault(int id) { return faults_.remove(id); }
  void clear_faults() { faults_.clear(); }

  // What a participant's client does (see sessions.hpp): join with a participant token, publish,
  // subscribe to a publisher, stop publishing, leave.
  result<joined> join(std::string_view stage_arn, std::string_view token, const client_details& client = {}) {
    return transact(engine_, true, [&] { return join_stage(engine_, stage_arn, token, client); });
  }
  result<void> publish(std::string_view stage_arn, std::string_view participant_id) {
    return transact(engine_, true, [&] { return local::publish(engine_, stage_arn, participant_id); });
  }
  result<void> unpublish(std::string_view stage_arn, std::string_view participant_id) {
    return transact(engine_, true, [&] { return local::unpublish(engine_, stage_arn, participant_id); });
  }
  result<void> subscribe(std::string_view stage_arn, std::string_view participant_id,
                         std::string_view publisher_id) {
    return transact(engine_, true,
                    [&] { return local::subscribe(engine_, stage_arn, participant_id, publisher_id); });
  }
  result<void> leave(std::string_view stage_arn, std::string_view participant_id) {
    return transact(engine_, true, [&] { return local::leave(engine_, stage_arn, participant_id); });
  }
  // What an RTMP(S) encoder does with an ingest configuration's stream key.
  result<joined> start_ingest(std::string_view stream_key) {
    return transact(engine_, true, [&] { return local::start_ingest(engine_, stream_key); });
  }
  result<void> stop_ingest(std::string_view stream_key) {
    return transact(engine_, true, [&] { return local::stop_ingest(engine_, stream_key); });
  }

  // Moves the service's clock forward: compositions progress, tokens expire. Request signatures
  // are still checked against the real clock.
  void advance_clock(std::chrono::milliseconds by) { engine_.advance_clock(by); }

 private:
  void say(const std::string& line) const {
    if (opts_.log) opts_.log(line);
  }

  static incoming to_incoming(const httplib::Request& req) {
    incoming in;
    in.method = req.method;
    const std::size_t q = req.target.find('?');
    in.path = req.target.substr(0, q);
    if (q != std::string::npos) in.query = parse_query(std::string_view(req.target).substr(q + 1));
    for (const auto& [k, v] : req.headers) {
      // httplib adds these itself; the client did not send them.
      if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") continue;
      in.headers.emplace_back(k, v);
    }
    in.body = req.body;
    return in;
  }

  // Sets the status and headers of out on res; returns the content type, which httplib takes
  // with the body rather than as a header.
  static std::string status_and_headers(const outgoing& out, httplib::Response& res) {
    res.status = out.status;
    std::string content_type = "application/json";
    for (const auto& [k, v] : out.headers) {
      if (http::iequals(k, "Content-Type")) {
        content_type = v;
      } else {
        res.set_header(k, v);
      }
    }
    return content_type;
  }

  static void send(const outgoing& out, httplib::Response& res) {
    const std::string content_type = status_and_headers(out, res);
    res.set_content(out.body, content_type);
  }

  // Sends the status line, the headers and the body, but ends the connection one byte short of
  // the length announced: the client sees the answer break off.
  static void send_truncated(const outgoing& out, httplib::Response& res) {
    const std::string content_type = status_and_headers(out, res);
    auto body = std::make_shared<const std::string>(out.body);
    res.set_content_provider(body->size() + 1, content_type,
                             [body](std::size_t offset, std::size_t /*length*/, httplib::DataSink& sink) {
                               if (offset >= body->size()) return false;
                               return sink.write(body->data() + offset, body->size() - offset);
                             });
  }

  // Closes the connection before any byte of the answer is sent: shutting the socket down makes
  // httplib's write of the response fail and the connection end.
  static void drop(const httplib::Request& req) {
    if (req.ssl != nullptr) {
      ::shutdown(SSL_get_fd(req.ssl), SHUT_RDWR);
      return;
    }
    detail::for_each_connection(req.local_addr, req.local_port, req.remote_port,
                                [](int fd) { ::shutdown(fd, SHUT_RDWR); });
  }

  void on_request(const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    res.set_header("x-amzn-RequestId", uuid4());
    res.set_header("Date", clock_skew::format_http_date(std::chrono::system_clock::now()));
    const incoming in = to_incoming(req);
    if (opts_.admin_endpoints && in.path.rfind(admin_prefix, 0) == 0) {
      const outgoing out = handle_admin(engine_, faults_, in);
      say("admin " + in.method + " " + in.path + " -> " + std::to_string(out.status));
      send(out, res);
      return;
    }
    uri_labels labels;
    const route* r = find_route(in.method, in.path, labels);
    const std::string name = r != nullptr ? std::string(r->name) : in.method + " " + in.path;
    auto who = authenticate(
        in, keys_, auth_settings{.region = opts_.region, .service = "ivs", .window = opts_.signature_window},
        system_now());
    if (!who) {
      say(name + " -> " + std::to_string(who.error().http_status) + " " + who.error().code);
      send(error_response(who.error()), res);
      return;
    }
    if (r == nullptr) {
      say(name + " -> 404 UnknownOperationException");
      send(error_response(api_error(404, "UnknownOperationException", "Unknown operation " + name)), res);
      return;
    }
    const fault_plan plan = faults_.plan(r->name);
    if (plan.delay.count() > 0) std::this_thread::sleep_for(plan.delay);
    if (plan.action == fault_kind::drop) {
      say(name + " -> connection dropped (injected fault)");
      drop(req);
      return;
    }
    outgoing out;
    if (plan.action == fault_kind::error || plan.action == fault_kind::throttle) {
      out = error_response(plan.failure);
    } else {
      out = r->serve(engine_, in, labels);
    }
    if (plan.action == fault_kind::drop_response) {
      say(name + " -> " + std::to_string(out.status) + ", answer cut off (injected fault)");
      send_truncated(out, res);
      return;
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    say(name + " -> " + std::to_string(out.status) + " (" + std::to_string(ms) + " ms, key " + *who + ")");
    send(out, res);
  }

  service_options opts_;
  engine engine_;
  key_store keys_;
  fault_injector faults_;
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  std::uint16_t port_ = 0;
  std::string ca_file_;
  std::string temp_dir_;
};

}  // namespace ivsrt::local
