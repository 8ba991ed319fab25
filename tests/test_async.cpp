// The async engine against loopback servers: many calls on one thread driven by run_once, a
// background thread, an external poll(2) loop, retries and cancellation without blocking the
// driving thread, page walks, and credentials fetched off the driving thread.
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

#include "catch.hpp"
#include "child_process.hpp"
#include "fault_server.hpp"
#include "ivsrt/async.hpp"
#include "ivsrt/model/stage.hpp"
#include "recording_server.hpp"
#include "test_client.hpp"

using namespace ivsrt;
using namespace std::chrono_literals;
using ivsrt_test::make_client;
using ivsrt_test::received;
using ivsrt_test::recording_server;
using ivsrt_test::reply;

// The loopback server listens with a short backlog (cpp-httplib's 5): tests that start many calls
// at once cap the engine's connections, or connection attempts beyond the backlog would wait for
// a SYN retransmission.

namespace {

const char* const kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const char* const kArnPrefix = "arn:aws:ivs:us-west-2:123456789012:stage/";

std::string signature_problem(const received& r) {
  return ivsrt_test::verify_sigv4(r, kSecret, "us-west-2", "ivs");
}

// Answers GetStage with the stage whose ARN was asked for, so each output can be matched to its
// request.
reply echo_stage(const received& r, int delay_ms = 0) {
  const std::size_t at = r.body.find(R"("arn":")");
  std::string arn;
  if (at != std::string::npos) arn = r.body.substr(at + 7, r.body.find('"', at + 7) - at - 7);
  return reply{.status = 200,
               .header_list = {{"Content-Type", "application/json"}, {"x-amzn-RequestId", "rid-" + arn}},
               .body = R"({"stage":{"arn":")" + arn + R"(","name":"n"}})",
               .delay_ms = delay_ms};
}

std::string arn_of(int i) {
  return kArnPrefix + std::string("stage") + std::to_string(1000 + i);
}

reply status_reply(int code) {
  return reply{
      .status = code, .header_list = {{"Content-Type", "application/json"}}, .body = "{}", .delay_ms = 0};
}

// A log that the driving thread writes and the test reads.
struct log_lines {
  std::mutex mutex;
  std::vector<std::string> lines;
  bool contains(std::string_view text) {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& l : lines) {
      if (l.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

std::function<void(std::string_view)> logger(log_lines& log) {
  return [&log](std::string_view line) {
    std::lock_guard<std::mutex> lock(log.mutex);
    log.lines.emplace_back(line);
  };
}

}  // namespace

TEST_CASE("64 calls in flight on one thread, driven by run_once", "[async][wire]") {
  recording_server server;
  server.set_handler([](const received& r) { return echo_stage(r, 20); });
  async_engine engine(make_client(server), {.max_host_connections = 4});
  const auto me = std::this_thread::get_id();
  std::map<std::string, result<GetStageResponse>> results;
  bool other_thread = false;
  constexpr int n = 64;
  for (int i = 0; i < n; ++i) {
    engine.start(GetStageRequest{.arn = arn_of(i)}, [&, i](result<GetStageResponse> r) {
      if (std::this_thread::get_id() != me) other_thread = true;
      results.emplace(arn_of(i), std::move(r));
    });
  }
  REQUIRE(engine.in_flight() == n);
  REQUIRE(results.empty());  // nothing completes inside start()
  while (engine.in_flight() > 0) engine.run_once(100ms);
  REQUIRE_FALSE(other_thread);
  REQUIRE(results.size() == n);
  for (auto& [arn, r] : results) {
    INFO(arn << ": " << (r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    REQUIRE(r->stage->arn == arn);
    REQUIRE(r.metadata.request_id == "rid-" + arn);
    REQUIRE(r.metadata.attempts == 1);
  }
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == n);
  std::set<int> ports;
  for (const auto& r : reqs) {
    INFO(signature_problem(r));
    REQUIRE(signature_problem(r).empty());
    ports.insert(r.remote_port);
  }
  // Several connections were open at once (one thread, overlapping calls), never more than the limit.
  REQUIRE(ports.size() > 1);
  REQUIRE(ports.size() <= 4);
}

TEST_CASE("pending results; connections are reused across waves of calls", "[async][wire]") {
  recording_server server;
  server.set_handler([](const received& r) { return echo_stage(r); });
  async_engine engine(make_client(server), {.max_host_connections = 2});
  std::set<int> ports;
  for (int wave = 0; wave < 3; ++wave) {
    std::vector<pending<GetStageResponse>> calls;
    for (int i = 0; i < 4; ++i) calls.push_back(engine.start(GetStageRequest{.arn = arn_of(i)}));
    for (auto& p : calls) engine.run_until(p);
    for (int i = 0; i < 4; ++i) {
      REQUIRE(calls[static_cast<std::size_t>(i)].ready());
      auto r = calls[static_cast<std::size_t>(i)].get();
      REQUIRE(r.ok());
      REQUIRE(r->stage->arn == arn_of(i));
    }
  }
  for (const auto& r : server.requests()) ports.insert(r.remote_port);
  REQUIRE(server.count() == 12);
  REQUIRE(ports.size() <= 2);
}

TEST_CASE("a pending gives its result once: a loop that asks ready() every frame uses it once",
          "[async][wire]") {
  recording_server server;
  server.set_handler([](const received& r) { return echo_stage(r); });
  async_engine engine(make_client(server));
  pending<GetStageResponse> p = engine.start(GetStageRequest{.arn = arn_of(7)});
  REQUIRE(p.valid());
  int uses = 0;
  std::string arn;
  for (int frame = 0; frame < 1000 && uses == 0; ++frame) {
    engine.run_once(std::chrono::milliseconds(10));
    if (p.ready()) {
      ++uses;
      auto r = p.get();
      REQUIRE(r.ok());
      arn = r->stage->arn;
      REQUIRE_FALSE(p.valid());
      REQUIRE_FALSE(p.ready());
    }
  }
  for (int frame = 0; frame < 100; ++frame) {
    engine.poll();
    if (p.ready()) ++uses;
  }
  REQUIRE(uses == 1);
  REQUIRE(arn == arn_of(7));
  p.wait();  // returns at once
  const auto again = p.get();
  REQUIRE_FALSE(again.ok());
  REQUIRE(again.error().code == "NoResult");
  REQUIRE(again.error().message.find("already took its result") != std::string::npos);

  pending<GetStageResponse> none;
  REQUIRE_FALSE(none.valid());
  REQUIRE_FALSE(none.ready());
  none.wait();
  REQUIRE(none.get().error().code == "NoResult");
}

TEST_CASE("a moved-from client still works: blocking, dry run, pages and the async engine", "[async][wire]") {
  recording_server server;
  server.set_handler([](const received& r) { return echo_stage(r); });
  client moved = make_client(server);
  const client kept = std::move(moved);
  // NOLINTBEGIN(bugprone-use-after-move): what a moved-from client does is the point here.
  REQUIRE(moved.region() == kept.region());
  REQUIRE(moved.send(GetStageRequest{.arn = arn_of(1)}).ok());
  REQUIRE(moved.dry_run(GetStageRequest{.arn = arn_of(2)}).ok());
  auto pages = moved.paginate(ListStagesRequest{});
  REQUIRE(pages.begin() != pages.end());
  async_engine engine(moved);
  // NOLINTEND(bugprone-use-after-move)
  auto p = engine.start(GetStageRequest{.arn = arn_of(3)});
  engine.run_until(p);
  auto r = p.get();
  REQUIRE(r.ok());
  REQUIRE(r->stage->arn == arn_of(3));
  REQUIRE(kept.send(GetStageRequest{.arn = arn_of(4)}).ok());
}

#if defined(__cpp_exceptions)
TEST_CASE("a completion that throws, against the rule, still counts its call as completed", "[async][wire]") {
  recording_server server;
  async_engine engine(make_client(server));
  engine.start(GetStageRequest{.arn = arn_of(1)},
               [](const result<GetStageResponse>&) { throw std::runtime_error("thrown by a completion"); });
  bool caught = false;
  try {
    engine.run_until_idle();
  } catch (const std::runtime_error&) {
    caught = true;
  }
  REQUIRE(caught);
  REQUIRE(engine.in_flight() == 0);
  auto p = engine.start(GetStageRequest{.arn = arn_of(2)});
  engine.run_until_idle();
  REQUIRE(p.get().ok());
}
#endif

TEST_CASE("validation errors complete through the engine, without sending", "[async][wire]") {
  recording_server server;
  async_engine engine(make_client(server));
  auto p = engine.start(GetStageRequest{.arn = ""});
  REQUIRE_FALSE(p.ready());
  engine.run_until(p);
  auto r = p.get();
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::validation);
  REQUIRE(server.count() == 0);
}

TEST_CASE("a background thread drives the engine; calls from several threads", "[async][wire][threads]") {
  recording_server server;
  server.set_handler([](const received& r) { return echo_stage(r, 5); });
  async_engine engine(make_client(server), {.background_thread = true, .max_host_connections = 4});
  const auto me = std::this_thread::get_id();
  std::atomic<int> on_caller_thread{0};
  constexpr int threads = 4;
  constexpr int per_thread = 10;
  std::vector<std::vector<pending<GetStageResponse>>> calls(threads);
  std::vector<std::thread> starters;
  for (int t = 0; t < threads; ++t) {
    starters.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        calls[static_cast<std::size_t>(t)].push_back(
            engine.start(GetStageRequest{.arn = arn_of(t * 100 + i)}));
      }
    });
  }
  for (auto& s : starters) s.join();
  std::vector<call_handle> callbacks;
  for (int i = 0; i < 5; ++i) {
    callbacks.push_back(engine.start(GetStageRequest{.arn = arn_of(999)}, [&](result<GetStageResponse> r) {
      if (std::this_thread::get_id() == me || !r.ok()) ++on_caller_thread;
    }));
  }
  for (int t = 0; t < threads; ++t) {
    for (int i = 0; i < per_thread; ++i) {
      auto r = calls[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)].get();
      INFO((r.ok() ? std::string() : r.error().describe()));
      REQUIRE(r.ok());
      REQUIRE(r->stage->arn == arn_of(t * 100 + i));
    }
  }
  REQUIRE(engine.poll() == 0);  // other threads never drive a background engine
  engine.run_until_idle();      // waits for the engine's thread
  for (const auto& h : callbacks) REQUIRE(h.done());
  REQUIRE(on_caller_thread == 0);
  REQUIRE(server.count() == threads * per_thread + 5);
}

namespace {

// An external event loop on poll(2): it keeps the sockets and the timer the engine asks for. A
// timer set from another thread (a call started there, the credentials worker) wakes its poll
// through an eventfd, as a real loop must.
class poll_loop final : public socket_watcher {
 public:
  poll_loop() : wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) { REQUIRE(wake_ >= 0); }
  poll_loop(const poll_loop&) = delete;
  poll_loop& operator=(const poll_loop&) = delete;
  ~poll_loop() override { ::close(wake_); }

  void watch(int fd, int events) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (events == 0) {
      fds_.erase(fd);
    } else {
      fds_[fd] = events;
      ever_watched.insert(fd);
    }
  }
  void set_timeout(std::optional<std::chrono::milliseconds> after) override {
    // Stands in for the driving thread being preempted just before it records "no timer".
    if (!after && std::this_thread::get_id() == pause_clearing_on)
      std::this_thread::sleep_for(pause_clearing);
    std::lock_guard<std::mutex> lock(mutex_);
    timeout_ = after;
    const std::uint64_t one = 1;
    // Not REQUIRE: this runs on other threads too. A full counter (EAGAIN) is a pending wake already.
    [[maybe_unused]] const ssize_t written = ::write(wake_, &one, sizeof one);
  }

  // One turn of the loop: wait for the sockets or the timer, then tell the engine.
  void turn(async_engine& engine) {
    std::vector<pollfd> fds;
    int wait_ms = 1000;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (const auto& [fd, ev] : fds_) {
        fds.push_back({.fd = fd,
                       .events = static_cast<short>(((ev & io_read) != 0 ? POLLIN : 0) |
                                                    ((ev & io_write) != 0 ? POLLOUT : 0)),
                       .revents = 0});
      }
      if (timeout_) wait_ms = static_cast<int>(std::min<std::int64_t>(timeout_->count(), 1000));
    }
    fds.push_back({.fd = wake_, .events = POLLIN, .revents = 0});
    const int n = ::poll(fds.data(), fds.size(), wait_ms);
    if ((fds.back().revents & POLLIN) != 0) {
      std::uint64_t count = 0;
      REQUIRE(::read(wake_, &count, sizeof count) == static_cast<ssize_t>(sizeof count));
    }
    fds.pop_back();
    if (n > 0) {
      for (const auto& p : fds) {
        if (p.revents == 0) continue;
        int ev = 0;
        if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) ev |= io_read;
        if ((p.revents & (POLLOUT | POLLERR)) != 0) ev |= io_write;
        ++socket_events;
        engine.on_socket_ready(p.fd, ev);
      }
    }
    bool due = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      due = timeout_.has_value() && (n == 0 || timeout_->count() == 0);
      if (due) timeout_.reset();
    }
    if (due) engine.on_timeout();
  }

  std::set<int> ever_watched;
  int socket_events = 0;
  std::thread::id pause_clearing_on{};
  std::chrono::milliseconds pause_clearing{0};

 private:
  int wake_;
  std::mutex mutex_;
  std::map<int, int> fds_;
  std::optional<std::chrono::milliseconds> timeout_;
};

}  // namespace

TEST_CASE("an external poll(2) loop drives the engine through its sockets and timer", "[async][wire]") {
  recording_server server;
  server.set_handler([](const received& r) { return echo_stage(r, 10); });
  server.enqueue(status_reply(503));  // one call retries: a backoff timer through the loop
  poll_loop loop;
  log_lines log;
  async_engine engine(make_client(server, {.log = logger(log), .retry = {.new_retries_2026 = true}}),
                      {.watcher = &loop, .max_host_connections = 4});
  std::map<std::string, result<GetStageResponse>> results;
  for (int i = 0; i < 16; ++i) {
    engine.start(GetStageRequest{.arn = arn_of(i)},
                 [&, i](result<GetStageResponse> r) { results.emplace(arn_of(i), std::move(r)); });
  }
  int turns = 0;
  while (engine.in_flight() > 0 && turns < 100000) {
    loop.turn(engine);
    ++turns;
  }
  REQUIRE(engine.in_flight() == 0);
  REQUIRE(results.size() == 16);
  for (auto& [arn, r] : results) {
    INFO(arn << ": " << (r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    REQUIRE(r->stage->arn == arn);
  }
  REQUIRE(log.contains("retrying in"));
  REQUIRE(server.count() == 17);
  REQUIRE_FALSE(loop.ever_watched.empty());
  REQUIRE(loop.socket_events > 0);
  for (int fd : loop.ever_watched) REQUIRE(fd >= 0);
}

TEST_CASE("an external loop is not left without a timer when another thread posts while it is set",
          "[async][wire][credentials]") {
  recording_server server;
  server.set_handler([](const received& r) { return echo_stage(r); });
  // The credentials worker answers 10 ms after the call starts, while the driving thread, having
  // found its inbox empty, is held for 60 ms before it tells the loop it needs no timer: the
  // worker's request for a prompt timeout must not be overwritten by that older answer.
  auto provider = make_provider(
      []() -> result<credentials> {
        std::this_thread::sleep_for(10ms);
        return credentials{.access_key_id = "AKID", .secret_access_key = kSecret};
      },
      "slow provider");
  poll_loop loop;
  loop.pause_clearing_on = std::this_thread::get_id();
  loop.pause_clearing = 60ms;
  async_engine engine(make_client(server, {.credentials_provider = provider}), {.watcher = &loop});
  auto call = engine.start(GetStageRequest{.arn = arn_of(1)});
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (!call.ready() && std::chrono::steady_clock::now() < deadline) loop.turn(engine);
  REQUIRE(call.ready());
  REQUIRE(call.get().ok());
  REQUIRE(server.count() == 1);
}

TEST_CASE("a stalled read ends at the read timeout, driven by the engine or by an external loop",
          "[async][wire]") {
  ivsrt_test::fault_server server;
  poll_loop loop;
  const bool external = GENERATE(false, true);
  INFO((external ? "external poll(2) loop" : "run_until"));
  async_engine engine(
      make_client(server.url(), {.transport = {.connect_timeout = 10s, .read_timeout = 1000ms},
                                 .retry = {.max_attempts = 1}}),
      {.watcher = external ? &loop : nullptr});
  server.enqueue_raw(ivsrt_test::raw_reply::stall_after_headers());
  const auto start = std::chrono::steady_clock::now();
  auto p = engine.start(GetStageRequest{.arn = arn_of(1)});
  // Turns that would wait seconds for libcurl's timer, so that only the timer ends the wait early.
  while (!p.ready() && std::chrono::steady_clock::now() - start < 20s) {
    if (external) {
      loop.turn(engine);
    } else {
      engine.run_once(5s);
    }
  }
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(p.ready());
  auto r = p.get();
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  REQUIRE(r.error().code == "timeout");
  REQUIRE(r.error().message.find("(the read timeout)") != std::string::npos);
  // libcurl wakes a stalled transfer about once a second to let the timeout be looked at (on a
  // clock of a few milliseconds' resolution).
  REQUIRE(took >= 980ms);
  REQUIRE(took < 2500ms);
}

TEST_CASE("a kept-alive connection that closes under a request: sent again, as in the blocking path",
          "[async][wire]") {
  ivsrt_test::fault_server server;
  async_engine engine(make_client(server.url(), {.retry = {.max_attempts = 1}}));
  server.enqueue_keep_alive({.status = 200,
                             .header_list = {{"Content-Type", "application/json"}},
                             .body = R"({"stage":{"arn":"first"}})",
                             .delay_ms = 0});
  server.enqueue_drop();
  auto first = engine.start(GetStageRequest{.arn = arn_of(1)});
  engine.run_until(first);
  REQUIRE(first.get().ok());
  auto second = engine.start(GetStageRequest{.arn = arn_of(2)});
  engine.run_until(second);
  auto r = second.get();
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  REQUIRE(r.metadata.attempts == 1);
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 3);
  REQUIRE(reqs[2].header("Authorization") == reqs[1].header("Authorization"));
}

TEST_CASE("a call queued for a connection longer than the read timeout is not timed out", "[async][wire]") {
  ivsrt_test::fault_server server;
  // One connection: the second call waits in libcurl's queue while the first drips its answer
  // for about 1.8 s, never pausing 1 s.
  async_engine engine(
      make_client(server.url(), {.transport = {.read_timeout = 1000ms}, .retry = {.max_attempts = 1}}),
      {.max_host_connections = 1});
  const std::string body = R"({"stage":{"arn":"slow"}})";
  server.enqueue_raw(
      {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
       .chunk = 12,
       .chunk_delay_ms = 300,
       .then = ivsrt_test::raw_reply::ending::close});
  auto first = engine.start(GetStageRequest{.arn = arn_of(1)});
  auto second = engine.start(GetStageRequest{.arn = arn_of(2)});
  engine.run_until(first);
  engine.run_until(second);
  for (auto* p : {&first, &second}) {
    auto r = p->get();
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
  }
  REQUIRE(server.count() == 2);
}

TEST_CASE("a call's own read timeout applies in the engine too", "[async][wire]") {
  ivsrt_test::fault_server server;
  async_engine engine(make_client(server.url(), {.retry = {.max_attempts = 1}}));
  server.enqueue_raw(ivsrt_test::raw_reply::stall_after_headers());
  const auto start = std::chrono::steady_clock::now();
  auto p = engine.start(GetStageRequest{.arn = arn_of(1)}, {.read_timeout = 1000ms});
  engine.run_until(p);
  const auto took = std::chrono::steady_clock::now() - start;
  auto r = p.get();
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().code == "timeout");
  REQUIRE(r.error().message.find("nothing was sent or received for 1000 ms") != std::string::npos);
  // The client's own limit is 60 s.
  REQUIRE(took >= 980ms);
  REQUIRE(took < 3500ms);
}

TEST_CASE("503 then 200: the retry waits on a timer, not on the driving thread", "[async][wire][retry]") {
  recording_server server;
  server.enqueue(status_reply(503));
  server.set_handler([](const received& r) { return echo_stage(r); });
  log_lines log;
  async_engine engine(make_client(server, {.log = logger(log), .retry = {.new_retries_2026 = true}}));
  auto p = engine.start(GetStageRequest{.arn = arn_of(1)});
  while (!log.contains("retrying in")) engine.poll();
  // poll() returned as soon as the retry was decided: the backoff was not slept on this thread.
  REQUIRE(server.count() == 1);
  REQUIRE(engine.in_flight() == 1);
  REQUIRE_FALSE(p.ready());
  engine.run_until(p);
  auto r = p.get();
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  REQUIRE(r.metadata.attempts == 2);
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 2);
  REQUIRE(reqs[0].header("amz-sdk-invocation-id") == reqs[1].header("amz-sdk-invocation-id"));
  REQUIRE(reqs[1].header("amz-sdk-request").find("attempt=2; max=3") != std::string::npos);
  for (const auto& q : reqs) REQUIRE(signature_problem(q).empty());
}

TEST_CASE("retries stop where the blocking path stops: attempts exhausted", "[async][wire][retry]") {
  recording_server server;
  server.set_handler([](const received&) { return status_reply(500); });
  async_engine engine(make_client(server, {.retry = {.max_attempts = 2, .new_retries_2026 = true}}));
  auto p = engine.start(GetStageRequest{.arn = arn_of(1)});
  engine.run_until(p);
  auto r = p.get();
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::service);
  REQUIRE(r.error().http_status == 500);
  REQUIRE(r.error().attempts == 2);
  REQUIRE(server.count() == 2);
}

TEST_CASE("cancelling calls in flight, in backoff and not yet started", "[async][wire][cancel]") {
  recording_server server;
  log_lines log;
  async_engine engine(make_client(server, {.log = logger(log), .retry = {.new_retries_2026 = false}}));

  SECTION("in flight: the server has the request and has not answered") {
    server.enqueue(reply{.status = 200, .header_list = {}, .body = "{}", .delay_ms = 1500});
    auto p = engine.start(GetStageRequest{.arn = arn_of(1)});
    while (server.count() == 0) engine.run_once(10ms);
    REQUIRE_FALSE(p.ready());
    p.cancel();
    engine.run_until(p);
    auto r = p.get();
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().kind == error_kind::cancelled);
    REQUIRE(r.error().code == "cancelled");
    REQUIRE(r.error().attempts == 1);
    REQUIRE(engine.in_flight() == 0);
  }
  SECTION("waiting for a retry") {
    server.enqueue(status_reply(503));
    auto p = engine.start(GetStageRequest{.arn = arn_of(1)});
    while (!log.contains("retrying in")) engine.poll();
    p.cancel();
    engine.run_until(p);
    auto r = p.get();
    REQUIRE(r.error().kind == error_kind::cancelled);
    REQUIRE(r.error().attempts == 1);
    REQUIRE(server.count() == 1);
  }
  SECTION("before the engine ever ran it") {
    auto p = engine.start(GetStageRequest{.arn = arn_of(1)});
    p.cancel();
    engine.run_until(p);
    REQUIRE(p.get().error().kind == error_kind::cancelled);
    REQUIRE(server.count() == 0);
  }
  SECTION("after completion, cancel changes nothing") {
    auto p = engine.start(GetStageRequest{.arn = arn_of(1)});
    engine.run_until(p);
    p.cancel();
    engine.poll();
    REQUIRE(p.get().ok());
  }
}

TEST_CASE("destroying the engine cancels what is unfinished", "[async][wire][cancel]") {
  recording_server server;
  server.enqueue(reply{.status = 200, .header_list = {}, .body = "{}", .delay_ms = 1000});
  pending<GetStageResponse> p;
  {
    async_engine engine(make_client(server));
    p = engine.start(GetStageRequest{.arn = arn_of(1)});
    engine.poll();
  }
  REQUIRE(p.ready());
  REQUIRE(p.get().error().kind == error_kind::cancelled);
}

TEST_CASE("a completion that destroys its own engine ends the program with a message, not in freed memory",
          "[async][cancel]") {
  // In a child process, since it ends: a validation error completes through the engine without
  // sending, and its callback destroys the engine.
  const bool background = GENERATE(false, true);
  INFO((background ? "background thread" : "run_once"));
  int err[2];
  REQUIRE(::pipe(err) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    std::signal(SIGABRT, SIG_DFL);  // not Catch's handler, which reports the abort as a failure
    ::dup2(err[1], STDERR_FILENO);
    ::close(err[0]);
    auto engine = std::make_unique<async_engine>(make_client("http://127.0.0.1:9"),
                                                 async_options{.background_thread = background});
    engine->start(GetStageRequest{.arn = ""}, [&](const result<GetStageResponse>&) { engine.reset(); });
    for (int i = 0; i < 200; ++i) {
      if (!background) engine->poll();
      std::this_thread::sleep_for(10ms);
    }
    ::_exit(0);  // not reached when the engine is destroyed from its completion
  }
  ::close(err[1]);
  std::string text;
  char buf[512];
  for (ssize_t n; (n = ::read(err[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(err[0]);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  INFO(text);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGABRT);
  REQUIRE(text.find("an async_engine was destroyed by a completion it was running") != std::string::npos);
}

namespace {

void serve_pages(recording_server& server, std::map<std::string, std::string> pages) {
  server.set_handler([pages](const received& r) {
    std::string token;
    const std::size_t at = r.body.find(R"("nextToken":")");
    if (at != std::string::npos) token = r.body.substr(at + 13, r.body.find('"', at + 13) - at - 13);
    auto it = pages.find(token);
    if (it == pages.end()) return status_reply(400);
    return reply{.status = 200,
                 .header_list = {{"Content-Type", "application/json"}},
                 .body = it->second,
                 .delay_ms = 0};
  });
}

}  // namespace

TEST_CASE("page walks: each page through a callback, the next one fetched asynchronously",
          "[async][wire][paginator]") {
  recording_server server;
  serve_pages(server, {{"", R"({"stages":[{"arn":"a"},{"arn":"b"}],"nextToken":"t1"})"},
                       {"t1", R"({"stages":[],"nextToken":"t2"})"},
                       {"t2", R"({"stages":[{"arn":"c"}],"nextToken":""})"},
                       {"loop", R"({"stages":[{"arn":"x"}],"nextToken":"loop"})"}});
  async_engine engine(make_client(server));

  SECTION("all pages") {
    std::vector<std::string> arns;
    std::vector<std::size_t> sizes;
    auto walk =
        engine.for_each_page(ListStagesRequest{.maxResults = 2}, [&](result<ListStagesResponse> page) {
          REQUIRE(page.ok());
          sizes.push_back(page->stages.size());
          for (const auto& s : page->stages) arns.push_back(s.arn);
          return true;
        });
    REQUIRE_FALSE(walk.done());
    engine.run_until_idle();
    REQUIRE(walk.done());
    REQUIRE(sizes == std::vector<std::size_t>{2, 0, 1});
    REQUIRE(arns == std::vector<std::string>{"a", "b", "c"});
    const auto reqs = server.requests();
    REQUIRE(reqs.size() == 3);
    REQUIRE(reqs[1].body.find(R"("nextToken":"t1")") != std::string::npos);
    REQUIRE(reqs[2].body.find(R"("nextToken":"t2")") != std::string::npos);
  }
  SECTION("stopping after the first page") {
    int pages = 0;
    engine.for_each_page(ListStagesRequest{}, [&](result<ListStagesResponse>) {
      ++pages;
      return false;
    });
    engine.run_until_idle();
    REQUIRE(pages == 1);
    REQUIRE(server.count() == 1);
  }
  SECTION("a repeated token ends the walk with an error") {
    std::vector<std::string> outcome;
    engine.for_each_page(ListStagesRequest{.nextToken = "loop"}, [&](result<ListStagesResponse> page) {
      outcome.push_back(page.ok() ? "page" : page.error().code);
      return true;
    });
    engine.run_until_idle();
    // The starting token counts as seen: the first page repeating it ends the walk.
    REQUIRE(outcome == std::vector<std::string>{"page", "DuplicatePaginationToken"});
  }
  SECTION("a failed page ends the walk") {
    std::vector<std::string> outcome;
    engine.for_each_page(ListStagesRequest{.nextToken = "missing"}, [&](result<ListStagesResponse> page) {
      outcome.push_back(page.ok() ? "page" : page.error().describe());
      return true;
    });
    engine.run_until_idle();
    REQUIRE(outcome.size() == 1);
    REQUIRE(outcome[0].find("HTTP 400") != std::string::npos);
  }
  SECTION("cancelling the walk") {
    server.set_handler([](const received&) {
      return reply{.status = 200,
                   .header_list = {{"Content-Type", "application/json"}},
                   .body = R"({"stages":[],"nextToken":"more"})",
                   .delay_ms = 1500};
    });
    std::vector<std::string> outcome;
    auto walk = engine.for_each_page(ListStagesRequest{}, [&](result<ListStagesResponse> page) {
      outcome.push_back(page.ok() ? "page" : page.error().code);
      return true;
    });
    while (server.count() == 0) engine.run_once(10ms);
    walk.cancel();
    engine.run_until_idle();
    REQUIRE(walk.done());
    REQUIRE(outcome == std::vector<std::string>{"cancelled"});
  }
}

TEST_CASE("credentials are fetched on a worker, never on the driving thread", "[async][wire][credentials]") {
  recording_server server;
  server.set_handler([](const received& r) { return echo_stage(r); });
  // The cache's clock is the test's, so expiry windows are reached without waiting.
  const timestamp t0 = clock_skew::corrected_clock::system_now();
  auto now = std::make_shared<std::atomic<std::int64_t>>(t0.time_since_epoch().count());
  auto fetches = std::make_shared<std::atomic<int>>(0);
  auto fetch_threads = std::make_shared<std::vector<std::thread::id>>();
  auto fetch_mutex = std::make_shared<std::mutex>();
  auto provider = make_provider(
      [=]() -> result<credentials> {
        {
          std::lock_guard<std::mutex> lock(*fetch_mutex);
          fetch_threads->push_back(std::this_thread::get_id());
        }
        const int n = ++*fetches;
        const timestamp at{timestamp::duration(now->load())};
        // This advisory refresh answers after the call that started it has completed.
        if (n == 4) std::this_thread::sleep_for(300ms);
        return credentials{.access_key_id = "AKID" + std::to_string(n),
                           .secret_access_key = kSecret,
                           .session_token = "token" + std::to_string(n),
                           .expiration = at + 1h,
                           .account_id = {}};
      },
      "test provider");
  client_options o{.credentials_provider = provider};
  o.credentials_cache.clock = [now] { return timestamp(timestamp::duration(now->load())); };
  async_engine engine(make_client(server, std::move(o)));
  const auto me = std::this_thread::get_id();

  auto first = engine.start(GetStageRequest{.arn = arn_of(1)});
  engine.run_until(first);
  REQUIRE(first.get().ok());
  REQUIRE(*fetches == 1);
  REQUIRE(server.last().header("Authorization").find("Credential=AKID1/") != std::string::npos);
  REQUIRE(server.last().header("X-Amz-Security-Token") == "token1");

  // Inside the advisory window (15 min before expiry): the call goes out with the current
  // credentials while the worker refreshes.
  now->store((t0 + 47min).time_since_epoch().count());
  auto second = engine.start(GetStageRequest{.arn = arn_of(2)});
  engine.run_until(second);
  REQUIRE(second.get().ok());
  REQUIRE(server.last().header("Authorization").find("Credential=AKID1/") != std::string::npos);
  while (*fetches < 2) engine.run_once(10ms);

  auto third = engine.start(GetStageRequest{.arn = arn_of(3)});
  engine.run_until(third);
  REQUIRE(third.get().ok());
  REQUIRE(server.last().header("Authorization").find("Credential=AKID2/") != std::string::npos);

  // Starts n calls at once and completes them all.
  auto calls = [&](int first_arn, int n) {
    std::vector<pending<GetStageResponse>> started;
    for (int i = 0; i < n; ++i)
      started.push_back(engine.start(GetStageRequest{.arn = arn_of(first_arn + i)}));
    for (auto& p : started) {
      engine.run_until(p);
      REQUIRE(p.get().ok());
    }
  };

  // Past expiry: calls wait in the engine for the worker's fetch.
  now->store((t0 + 47min + 61min).time_since_epoch().count());
  calls(10, 3);
  REQUIRE(*fetches == 3);
  REQUIRE(server.last().header("Authorization").find("Credential=AKID3/") != std::string::npos);

  // An advisory refresh whose answer the engine has not read yet when the credentials it brings
  // expire too: the worker stores them in the cache while nothing drives the engine. The calls
  // that then wait must not go out with that stale answer, but wait for another refresh.
  const timestamp t3 = t0 + 47min + 61min;
  now->store((t3 + 46min).time_since_epoch().count());
  auto fourth = engine.start(GetStageRequest{.arn = arn_of(20)});
  engine.run_until(fourth);
  REQUIRE(fourth.get().ok());
  REQUIRE(server.last().header("Authorization").find("Credential=AKID3/") != std::string::npos);
  while (*fetches < 4) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(600ms);
  now->store((t3 + 46min + 61min).time_since_epoch().count());
  calls(30, 2);
  REQUIRE(*fetches == 5);
  REQUIRE(server.last().header("Authorization").find("Credential=AKID5/") != std::string::npos);

  for (const auto& r : server.requests()) REQUIRE(signature_problem(r).empty());
  std::lock_guard<std::mutex> lock(*fetch_mutex);
  for (const auto& id : *fetch_threads) REQUIRE(id != me);
}

namespace {

// Fixed credentials that record the thread each resolve() ran on.
class recorded_fixed_provider final : public credentials_provider {
 public:
  explicit recorded_fixed_provider(credentials c) : c_(std::move(c)) {}
  result<credentials> resolve() override {
    asked_on.push_back(std::this_thread::get_id());
    return c_;
  }
  [[nodiscard]] std::string describe() const override { return "fixed test credentials"; }
  [[nodiscard]] bool answers_at_once() const noexcept override { return true; }
  std::vector<std::thread::id> asked_on;

 private:
  credentials c_;
};

}  // namespace

TEST_CASE("fixed credentials are read on the driving thread, without a worker",
          "[async][wire][credentials]") {
  REQUIRE(static_provider(credentials{}, "static").answers_at_once());
  REQUIRE_FALSE(make_provider([]() -> result<credentials> { return credentials{}; }, "f")->answers_at_once());
  recording_server server;
  server.set_handler([](const received& r) { return echo_stage(r); });
  for (const bool complete : {true, false}) {
    auto fixed =
        std::make_shared<recorded_fixed_provider>(credentials{.access_key_id = "AKIDFIXED",
                                                              .secret_access_key = complete ? kSecret : "",
                                                              .session_token = {},
                                                              .expiration = {},
                                                              .account_id = {}});
    async_engine engine(make_client(server, {.credentials_provider = fixed}));
    std::vector<pending<GetStageResponse>> calls;
    for (int i = 0; i < 3; ++i) calls.push_back(engine.start(GetStageRequest{.arn = arn_of(i)}));
    for (auto& p : calls) {
      engine.run_until(p);
      auto r = p.get();
      if (complete) {
        REQUIRE(r.ok());
      } else {
        REQUIRE(r.error().code == "IncompleteCredentials");
      }
    }
    // Asked once when they are complete (then cached), once per call when not; always here.
    REQUIRE(fixed->asked_on.size() == (complete ? 1U : 3U));
    for (const auto& id : fixed->asked_on) REQUIRE(id == std::this_thread::get_id());
  }
  REQUIRE(server.count() == 3);
  REQUIRE(server.last().header("Authorization").find("Credential=AKIDFIXED/") != std::string::npos);
}

TEST_CASE("a failing credentials provider fails the calls that wait for it", "[async][wire][credentials]") {
  recording_server server;
  auto provider = make_provider(
      []() -> result<credentials> {
        return make_error(error_kind::credentials, "NoCredentials", "the test provider has none");
      },
      "failing provider");
  async_engine engine(make_client(server, {.credentials_provider = provider}));
  auto p = engine.start(GetStageRequest{.arn = arn_of(1)});
  engine.run_until(p);
  auto r = p.get();
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::credentials);
  REQUIRE(r.error().code == "NoCredentials");
  REQUIRE(server.count() == 0);
}

TEST_CASE("a refresh that fails before a retry reports the attempt made, blocking and async alike",
          "[async][wire][credentials]") {
  for (const bool async : {false, true}) {
    INFO((async ? "async" : "blocking"));
    recording_server server;
    server.set_handler([](const received& r) {
      // The first attempt's answer comes after its credentials have expired.
      if (r.header("amz-sdk-request").starts_with("attempt=1")) {
        return reply{.status = 500, .header_list = {}, .body = "{}", .delay_ms = 1500};
      }
      return echo_stage(r);
    });
    auto fetches = std::make_shared<int>(0);
    auto provider = make_provider(
        [fetches]() -> result<credentials> {
          if ((*fetches)++ > 0) return make_error(error_kind::credentials, "ProviderFailed", "gone");
          return credentials{.access_key_id = "AKIDFIRST",
                             .secret_access_key = kSecret,
                             .session_token = {},
                             .expiration = std::chrono::system_clock::now() + 1s,
                             .account_id = {}};
        },
        "short-lived provider");
    client c = make_client(server, {.credentials_provider = provider,
                                    .retry = {.max_attempts = 2, .sleep = [](std::chrono::nanoseconds) {}}});
    result<GetStageResponse> r = make_error(error_kind::transport, "unset", "");
    if (async) {
      async_engine engine(c);
      auto p = engine.start(GetStageRequest{.arn = arn_of(1)});
      engine.run_until(p);
      r = p.get();
    } else {
      r = c.send(GetStageRequest{.arn = arn_of(1)});
    }
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().code == "ProviderFailed");
    REQUIRE(r.error().attempts == 1);
    REQUIRE(server.count() == 1);
  }
}

namespace {

// An HTTP/2 server on node's http2 module: it names the protocol version and the connection
// (session) of every request in its answer, and exits after `expected` requests. For the stage
// arn_of(100) it answers with an empty body and no content-length; for arn_of(101) it resets the
// stream after the header.
const char* const kHttp2Server = R"JS(
const http2 = require('http2');
const fs = require('fs');
const [certFile, keyFile, portFile, expected] = process.argv.slice(2);
const server = http2.createSecureServer({cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile)});
let sessions = 0;
let served = 0;
server.on('session', (s) => { s.ivsrtId = ++sessions; });
server.on('request', (req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const arn = JSON.parse(body).arn;
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-amzn-requestid', 'session-' + req.stream.session.ivsrtId);
    if (arn.endsWith('stage1100')) {
      res.end();
    } else if (arn.endsWith('stage1101')) {
      res.writeHead(200);
      res.write('{"stage":');
      setTimeout(() => req.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR), 50);
    } else {
      res.end(JSON.stringify({stage: {arn: arn, name: 'HTTP/' + req.httpVersion}}));
    }
    if (++served >= Number(expected)) setTimeout(() => process.exit(0), 200);
  });
});
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(portFile + '.tmp', String(server.address().port));
  fs.renameSync(portFile + '.tmp', portFile);
});
setTimeout(() => process.exit(3), 60000);
)JS";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("HTTP/2 over TLS: concurrent calls multiplexed on one connection", "[async][wire][http2]") {
  const std::string node = ivsrt_test::find_in_path("node");
  const std::string openssl = ivsrt_test::find_in_path("openssl");
  if (node.empty() || openssl.empty()) IVSRT_SKIP("node or openssl is not installed");
  char dir_template[] = "/tmp/ivsrt-h2-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const ivsrt_test::tls_files tls = ivsrt_test::loopback_certificate(openssl, dir);
  const std::string& cert = tls.cert_pem;
  const std::string& key = tls.key_pem;
  const std::string script = dir + "/server.js";
  std::ofstream(script) << kHttp2Server;
  const std::string port_file = dir + "/port";
  constexpr int calls = 16;
  ivsrt_test::process_result served;
  std::atomic<bool> exited{false};
  std::thread runner([&] {
    served = ivsrt_test::run_process(node, {script, cert, key, port_file, std::to_string(calls + 3)}, {}, 90);
    exited = true;
  });
  std::string port;
  while (port.empty() && !exited) {
    std::this_thread::sleep_for(10ms);
    port = read_file(port_file);
  }
  if (port.empty()) {
    runner.join();
    INFO(served.err);
    REQUIRE_FALSE(port.empty());
  }
  auto created = client::create({.region = "us-west-2",
                                 .endpoint_url = "https://127.0.0.1:" + port,
                                 .credentials = credentials{.access_key_id = "AKIDEXAMPLE",
                                                            .secret_access_key = kSecret,
                                                            .session_token = {},
                                                            .expiration = {},
                                                            .account_id = {}},
                                 .transport = {.ca_bundle = cert}});
  REQUIRE(created.ok());

  async_engine engine(*created);
  std::vector<pending<GetStageResponse>> started;
  for (int i = 0; i < calls; ++i) started.push_back(engine.start(GetStageRequest{.arn = arn_of(i)}));
  engine.run_until_idle();
  std::set<std::string> connections;
  for (int i = 0; i < calls; ++i) {
    auto r = started[static_cast<std::size_t>(i)].get();
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    REQUIRE(r->stage->arn == arn_of(i));
    REQUIRE(r->stage->name == "HTTP/2.0");
    connections.insert(r.metadata.request_id);
  }
  REQUIRE(connections.size() == 1);

  // The blocking path negotiates HTTP/2 as well.
  auto blocking = created->send(GetStageRequest{.arn = arn_of(99)});
  INFO((blocking.ok() ? std::string() : blocking.error().describe()));
  REQUIRE(blocking.ok());
  REQUIRE(blocking->stage->name == "HTTP/2.0");

  // A stream that ends is a body that ends: an empty one reads as {}, as with Content-Length: 0.
  auto empty = created->send(GetStageRequest{.arn = arn_of(100)});
  INFO((empty.ok() ? std::string() : empty.error().describe()));
  REQUIRE(empty.ok());
  REQUIRE_FALSE(empty->stage.has_value());
  // A stream reset part-way is a failed transfer, not a short body.
  auto reset = created->send(GetStageRequest{.arn = arn_of(101)}, {.max_attempts = 1});
  REQUIRE_FALSE(reset.ok());
  INFO(reset.error().describe());
  REQUIRE(reset.error().kind == error_kind::transport);
  runner.join();
  std::filesystem::remove_all(dir);
  INFO(served.err);
  REQUIRE(served.exit_code == 0);
}
