// One client shared by many threads at once: blocking calls from N threads, M calls each, plus
// an async engine on a background thread, with throttled first attempts (retries and the retry
// quota under contention; the adaptive rate limiter in a second test), short-lived credentials refreshed by
// the shared cache while calls go on, and every request's signature checked by the server side. Built with
// -DIVSRT_SANITIZE=thread it runs under ThreadSanitizer.
#include <atomic>
#include <set>
#include <thread>

#include "catch.hpp"
#include "ivsrt/async.hpp"
#include "ivsrt/model/stage.hpp"
#include "recording_server.hpp"

using namespace ivsrt;
using namespace std::chrono_literals;
using ivsrt_test::received;
using ivsrt_test::recording_server;
using ivsrt_test::reply;

namespace {

const char* const kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string thread_arn(int t, int i) {
  return "arn:aws:ivs:us-west-2:123456789012:stage/t" + std::to_string(t) + "c" + std::to_string(1000 + i);
}

}  // namespace

TEST_CASE("one client shared by 8 threads x 25 calls and a background engine", "[threads][wire]") {
  recording_server server;
  std::atomic<int> first_attempts{0};
  server.set_handler([&first_attempts](const received& r) {
    // Every 7th first attempt is throttled; retries always succeed, so every call must succeed.
    if (r.header("amz-sdk-request").find("attempt=1;") != std::string::npos && ++first_attempts % 7 == 0) {
      return reply{
          .status = 400,
          .header_list = {{"Content-Type", "application/json"}, {"x-amzn-ErrorType", "ThrottlingException"}},
          .body = R"({"message":"slow down"})",
          .delay_ms = 0};
    }
    const std::size_t at = r.body.find(R"("arn":")");
    const std::string arn =
        at == std::string::npos ? "" : r.body.substr(at + 7, r.body.find('"', at + 7) - at - 7);
    return reply{.status = 200,
                 .header_list = {{"Content-Type", "application/json"}},
                 .body = R"({"stage":{"arn":")" + arn + R"("}})",
                 .delay_ms = 0};
  });

  // Credentials that live 2 s, so the shared cache refreshes them while the threads call.
  std::atomic<int> fetches{0};
  auto provider = make_provider(
      [&fetches]() -> result<credentials> {
        const int n = ++fetches;
        return credentials{.access_key_id = "AKID" + std::to_string(n),
                           .secret_access_key = kSecret,
                           .session_token = {},
                           .expiration = clock_skew::corrected_clock::system_now() + 2s,
                           .account_id = {}};
      },
      "short-lived test credentials");
  auto created = client::create({.region = "us-west-2",
                                 .endpoint_url = server.url(),
                                 .credentials_provider = provider,
                                 .retry = {.mode = retry::mode::standard,
                                           .max_attempts = 3,
                                           .new_retries_2026 = true,
                                           .sleep = [](std::chrono::nanoseconds) {}}});
  REQUIRE(created.ok());
  const client shared = *created;
  async_engine engine(shared, {.background_thread = true, .max_host_connections = 2});

  constexpr int threads = 8;
  constexpr int calls = 25;
  // Results are checked on this thread: Catch2's assertions are not thread-safe.
  std::vector<std::vector<std::string>> outcomes(threads + 1);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const client mine = shared;  // copies share everything
      for (int i = 0; i < calls; ++i) {
        const client& use = i % 2 == 0 ? shared : mine;
        auto r = use.send(GetStageRequest{.arn = thread_arn(t, i)});
        outcomes[static_cast<std::size_t>(t)].push_back(r.ok() ? r->stage->arn : r.error().describe());
      }
    });
  }
  workers.emplace_back([&] {
    std::vector<pending<GetStageResponse>> started;
    for (int i = 0; i < calls; ++i)
      started.push_back(engine.start(GetStageRequest{.arn = thread_arn(threads, i)}));
    for (auto& p : started) {
      auto r = p.get();
      outcomes[threads].push_back(r.ok() ? r->stage->arn : r.error().describe());
    }
  });
  for (auto& w : workers) w.join();

  for (int t = 0; t <= threads; ++t) {
    REQUIRE(outcomes[static_cast<std::size_t>(t)].size() == calls);
    for (int i = 0; i < calls; ++i)
      REQUIRE(outcomes[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)] == thread_arn(t, i));
  }
  const auto reqs = server.requests();
  const int total = (threads + 1) * calls;
  REQUIRE(static_cast<int>(reqs.size()) == total + total / 7);
  std::set<std::string> keys;
  for (const auto& r : reqs) {
    const std::string problem = ivsrt_test::verify_sigv4(r, kSecret, "us-west-2", "ivs");
    INFO(problem);
    REQUIRE(problem.empty());
    const std::string auth = r.header("Authorization");
    const std::size_t at = auth.find("Credential=");
    keys.insert(auth.substr(at + 11, auth.find('/', at) - at - 11));
  }
  REQUIRE(fetches >= 1);
  REQUIRE(keys.size() <= static_cast<std::size_t>(fetches.load()));
}

TEST_CASE("the adaptive rate limiter shared by 8 threads", "[threads][wire]") {
  recording_server server;
  std::atomic<int> first_attempts{0};
  server.set_handler([&first_attempts](const received& r) {
    if (r.header("amz-sdk-request").find("attempt=1;") != std::string::npos && ++first_attempts % 5 == 0) {
      return reply{
          .status = 429, .header_list = {{"Content-Type", "application/json"}}, .body = "{}", .delay_ms = 0};
    }
    return reply{.status = 200,
                 .header_list = {{"Content-Type", "application/json"}},
                 .body = R"({"stage":{"arn":"a"}})",
                 .delay_ms = 0};
  });
  std::atomic<long> waited_ns{0};
  auto created = client::create({.region = "us-west-2",
                                 .endpoint_url = server.url(),
                                 .credentials = credentials{.access_key_id = "AKIDEXAMPLE",
                                                            .secret_access_key = kSecret,
                                                            .session_token = {},
                                                            .expiration = {},
                                                            .account_id = {}},
                                 .retry = {.mode = retry::mode::adaptive,
                                           .max_attempts = 3,
                                           .new_retries_2026 = {},
                                           .sleep = [&waited_ns](std::chrono::nanoseconds d) {
                                             waited_ns += static_cast<long>(d.count());
                                           }}});
  REQUIRE(created.ok());
  const client shared = *created;
  constexpr int threads = 8;
  constexpr int calls = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < calls; ++i) {
        if (shared.send(GetStageRequest{.arn = thread_arn(t, i)}).ok()) ++ok;
      }
    });
  }
  for (auto& w : workers) w.join();
  REQUIRE(ok == threads * calls);
  REQUIRE(static_cast<int>(server.count()) == threads * calls + threads * calls / 5);
  // The limiter turned on after the first throttle and asked the callers to wait.
  REQUIRE(waited_ns > 0);
}
