// One client shared by many threads: calls of different operations at once, with retries drawing
// on the client's shared quota, connections from the shared pool and the adaptive rate limiter.
// Run under ThreadSanitizer in CI (tests tagged [concurrency]).
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/model/participant_token.hpp"
#include "ivsrt/model/stage.hpp"
#include "recording_server.hpp"

using namespace ivsrt;
using ivsrt_test::received;
using ivsrt_test::recording_server;
using ivsrt_test::reply;

namespace {

const char* const kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// Answers every fifth request with 503 the first time it sees it (by the caller's marker), so
// retries run concurrently with first attempts.
reply answer(const received& r, std::atomic<int>& seen) {
  const int n = seen.fetch_add(1);
  if (n % 5 == 0 && r.header("amz-sdk-request").find("attempt=1") != std::string::npos) {
    return reply{.status = 503,
                 .header_list = {{"Content-Type", "application/json"}},
                 .body = R"({"message":"busy"})",
                 .delay_ms = 0};
  }
  if (r.path == "/CreateParticipantToken") {
    return reply{.status = 200,
                 .header_list = {{"Content-Type", "application/json"}},
                 .body = R"({"participantToken":{"participantId":"p","token":"t"}})",
                 .delay_ms = 0};
  }
  return reply{.status = 200,
               .header_list = {{"Content-Type", "application/json"}},
               .body = R"({"stage":{"arn":")" + r.body.substr(8, r.body.size() - 10) + R"("}})",
               .delay_ms = 0};
}

}  // namespace

TEST_CASE("one client, many threads", "[concurrency][wire]") {
  recording_server server;
  std::atomic<int> seen{0};
  server.set_handler([&](const received& r) { return answer(r, seen); });
  const auto mode = GENERATE(retry::mode::standard, retry::mode::adaptive);
  auto c =
      client::create({.region = "us-west-2",
                      .endpoint_url = server.url(),
                      .credentials = credentials{.access_key_id = "AKIDEXAMPLE",
                                                 .secret_access_key = kSecret,
                                                 .session_token = {},
                                                 .expiration = {},
                                                 .account_id = {}},
                      .retry = {.mode = mode, .max_attempts = 5, .sleep = [](std::chrono::nanoseconds) {}}});
  REQUIRE(c.ok());
  constexpr int kThreads = 8;
  constexpr int kCalls = 25;
  std::atomic<int> good{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        if (i % 4 == 0) {
          auto r = c->send(CreateParticipantTokenRequest{.stageArn = "arn:s"});
          (r.ok() && r->participantToken->token->reveal() == "t" ? good : wrong)++;
        } else {
          const std::string arn = "arn-" + std::to_string(t) + "-" + std::to_string(i);
          auto r = c->send(GetStageRequest{.arn = arn});
          (r.ok() && r->stage->arn == arn ? good : wrong)++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  REQUIRE(wrong == 0);
  REQUIRE(good == kThreads * kCalls);
  for (const auto& r : server.requests()) {
    const std::string problem = ivsrt_test::verify_sigv4(r, kSecret, "us-west-2", "ivs");
    INFO(problem);
    REQUIRE(problem.empty());
  }
}
