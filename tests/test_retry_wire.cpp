// Retries, clock-skew correction and per-call limits against loopback servers that fail on
// purpose: every attempt is checked on the wire (re-signed, amz-sdk-* headers) and the waits the
// client asked for are recorded instead of slept.
#include <ctime>
#include <regex>

#include "catch.hpp"
#include "fault_server.hpp"
#include "hanging_port.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/model/stage.hpp"
#include "recording_server.hpp"
#include "test_env.hpp"

using namespace ivsrt;
using namespace std::chrono_literals;
using ivsrt_test::fault_server;
using ivsrt_test::received;
using ivsrt_test::recording_server;
using ivsrt_test::reply;

namespace {

const char* const kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const char* const kArn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

struct waits {
  std::vector<std::chrono::nanoseconds> slept;
};

client make_client(const std::string& url, waits& w, client_options o = {}) {
  o.region = "us-west-2";
  o.endpoint_url = url;
  o.credentials = credentials{.access_key_id = "AKIDEXAMPLE",
                              .secret_access_key = kSecret,
                              .session_token = {},
                              .expiration = {},
                              .account_id = {}};
  o.retry.sleep = [&w](std::chrono::nanoseconds d) { w.slept.push_back(d); };
  auto c = client::create(std::move(o));
  REQUIRE(c.ok());
  return *c;
}

void require_signed(const received& r) {
  const std::string problem = ivsrt_test::verify_sigv4(r, kSecret, "us-west-2", "ivs");
  INFO(problem);
  REQUIRE(problem.empty());
}

reply status(int code, ivsrt_test::headers h = {}, std::string body = "{}") {
  h.emplace_back("Content-Type", "application/json");
  return reply{.status = code, .header_list = std::move(h), .body = std::move(body), .delay_ms = 0};
}

reply error_reply(int code, const std::string& type, ivsrt_test::headers h = {}) {
  h.emplace_back("x-amzn-ErrorType", type);
  return status(code, std::move(h), R"({"message":"no"})");
}

std::string http_date(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// The X-Amz-Date of a request as a time point.
std::chrono::system_clock::time_point signed_at(const received& r) {
  const std::string d = r.header("X-Amz-Date");
  const std::string iso = d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2) + "T" +
                          d.substr(9, 2) + ":" + d.substr(11, 2) + ":" + d.substr(13, 2) + "Z";
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(*parse_timestamp(iso));
}

std::chrono::seconds distance(std::chrono::system_clock::time_point a,
                              std::chrono::system_clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::seconds>(a > b ? a - b : b - a);
}

// The attempts of one call share an invocation id and count up.
void require_attempt_headers(const std::vector<received>& reqs, int max) {
  const std::string id = reqs.front().header("amz-sdk-invocation-id");
  REQUIRE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    REQUIRE(reqs[i].header("amz-sdk-invocation-id") == id);
    REQUIRE(reqs[i].header("amz-sdk-request") ==
            "attempt=" + std::to_string(i + 1) + "; max=" + std::to_string(max));
    require_signed(reqs[i]);
  }
}

}  // namespace

TEST_CASE("503 then 200: one retry, re-signed, with the attempt headers", "[retry][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  waits w;
  auto c = make_client(server.url(), w);
  server.enqueue(status(503));
  server.enqueue(status(200, {{"x-amzn-RequestId", "ok-1"}}, R"({"stage":{"arn":"a"}})"));
  auto r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.ok());
  REQUIRE(r->stage->arn == "a");
  REQUIRE(r.metadata.attempts == 2);
  REQUIRE(r.metadata.request_id == "ok-1");
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 2);
  require_attempt_headers(reqs, 3);
  REQUIRE(reqs[0].body == reqs[1].body);
  REQUIRE(w.slept.size() == 1);
  REQUIRE(w.slept[0] < 1s);  // rand[0,1) x 1 s

  server.clear();
  REQUIRE(c.send(GetStageRequest{.arn = kArn}).metadata.attempts == 1);
  REQUIRE(server.last().header("amz-sdk-invocation-id") != reqs[0].header("amz-sdk-invocation-id"));
}

TEST_CASE("bursts of 429 are retried until the attempts run out", "[retry][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  waits w;
  auto c = make_client(server.url(), w);
  server.enqueue(status(429));
  server.enqueue(error_reply(400, "ThrottlingException"));
  server.enqueue(status(200));
  auto ok = c.send(ListStagesRequest{});
  REQUIRE(ok.ok());
  REQUIRE(ok.metadata.attempts == 3);
  require_attempt_headers(server.requests(), 3);
  REQUIRE(w.slept.size() == 2);
  REQUIRE(w.slept[1] < 2s);

  server.clear();
  for (int i = 0; i < 4; ++i) server.enqueue(status(429, {{"x-amzn-RequestId", "t-" + std::to_string(i)}}));
  auto failed = c.send(ListStagesRequest{});
  REQUIRE_FALSE(failed.ok());
  REQUIRE(failed.error().http_status == 429);
  REQUIRE(failed.error().attempts == 3);
  REQUIRE(failed.error().request_id == "t-2");  // the last attempt's
  REQUIRE(server.count() == 3);

  server.clear();
  auto one = make_client(server.url(), w, client_options{.retry = {.max_attempts = 5}});
  for (int i = 0; i < 4; ++i) server.enqueue(status(429));
  REQUIRE(one.send(ListStagesRequest{}).metadata.attempts == 5);
  require_attempt_headers(server.requests(), 5);
  server.clear();
  server.enqueue(status(429));
  auto single = one.send(ListStagesRequest{}, call_options{.max_attempts = 1});
  REQUIRE(single.error().attempts == 1);
  REQUIRE(server.last().header("amz-sdk-request") == "attempt=1; max=1");
}

TEST_CASE("client errors are not retried", "[retry][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  waits w;
  auto c = make_client(server.url(), w);
  for (auto [code, type] : std::vector<std::pair<int, std::string>>{{400, "ValidationException"},
                                                                    {403, "AccessDeniedException"},
                                                                    {404, "ResourceNotFoundException"},
                                                                    {409, "ConflictException"},
                                                                    {402, "ServiceQuotaExceededException"},
                                                                    {501, "NotImplemented"}}) {
    server.clear();
    server.enqueue(error_reply(code, type, {{"Date", http_date(std::chrono::system_clock::now())}}));
    auto r = c.send(GetStageRequest{.arn = kArn});
    INFO(type);
    REQUIRE(r.error().code == type);
    REQUIRE(r.error().attempts == 1);
    REQUIRE(server.count() == 1);
  }
  REQUIRE(w.slept.empty());
}

TEST_CASE("a dropped connection is retried on a new connection", "[retry][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  fault_server server;
  waits w;
  auto c = make_client(server.url(), w);
  server.enqueue_drop();
  server.enqueue(status(200, {}, R"({"stage":{"arn":"after-drop"}})"));
  auto r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.ok());
  REQUIRE(r->stage->arn == "after-drop");
  REQUIRE(r.metadata.attempts == 2);
  require_attempt_headers(server.requests(), 3);

  for (int i = 0; i < 3; ++i) server.enqueue_drop();
  auto failed = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(failed.error().kind == error_kind::transport);
  REQUIRE(failed.error().code == "connection_failed");
  REQUIRE(failed.error().attempts == 3);
  REQUIRE(server.count() == 5);
}

TEST_CASE("the retry quota is per client and runs out", "[retry][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  server.set_handler([](const received&) { return status(503); });
  waits w;
  auto c = make_client(server.url(), w);
  for (int call = 1; call <= 50; ++call) {
    INFO("call " << call);
    REQUIRE(c.send(ListStagesRequest{}).error().attempts == 3);  // 2 retries x 5 tokens
  }
  REQUIRE(server.count() == 150);
  REQUIRE(c.send(ListStagesRequest{}).error().attempts == 1);  // 500 tokens spent
  auto other = make_client(server.url(), w);
  REQUIRE(other.send(ListStagesRequest{}).error().attempts == 3);
  auto copy = c;  // copies share the client's state, quota included
  REQUIRE(copy.send(ListStagesRequest{}).error().attempts == 1);
}

TEST_CASE("x-amz-retry-after and the 2026 revision", "[retry][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  waits w;
  auto c = make_client(server.url(), w, client_options{.retry = {.new_retries_2026 = true}});
  server.enqueue(status(503, {{"x-amz-retry-after", "1500"}}));
  server.enqueue(status(500));
  REQUIRE(c.send(ListStagesRequest{}).metadata.attempts == 3);
  REQUIRE(w.slept.size() == 2);
  REQUIRE(w.slept[0] == 1500ms);
  REQUIRE(w.slept[1] < 100ms);  // rand[0,1) x 50 ms x 2
}

TEST_CASE("ttl in amz-sdk-request once the service's Date is known", "[retry][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  waits w;
  const auto service_now = std::chrono::system_clock::now() + 2h;
  auto c = make_client(server.url(), w, client_options{.transport = {.request_timeout = 30s}});
  server.enqueue(status(503, {{"Date", http_date(service_now)}}));
  REQUIRE(c.send(ListStagesRequest{}).metadata.attempts == 2);
  const auto reqs = server.requests();
  REQUIRE(reqs[0].header("amz-sdk-request") == "attempt=1; max=3");
  std::smatch m;
  const std::string second = reqs[1].header("amz-sdk-request");
  REQUIRE(std::regex_match(second, m, std::regex(R"(ttl=(\d{8}T\d{6}Z); attempt=2; max=3)")));
  received ttl_holder;
  ttl_holder.header_list = {{"X-Amz-Date", m[1].str()}};
  REQUIRE(distance(signed_at(ttl_holder), service_now + 30s) <= 3s);

  // No attempt time limit: the read timeout (60 s by default), as botocore reckons it.
  server.clear();
  auto no_limit = make_client(server.url(), w);
  server.enqueue(status(503, {{"Date", http_date(service_now)}}));
  REQUIRE(no_limit.send(ListStagesRequest{}).metadata.attempts == 2);
  const std::string by_read = server.last().header("amz-sdk-request");
  REQUIRE(std::regex_match(by_read, m, std::regex(R"(ttl=(\d{8}T\d{6}Z); attempt=2; max=3)")));
  ttl_holder.header_list = {{"X-Amz-Date", m[1].str()}};
  REQUIRE(distance(signed_at(ttl_holder), service_now + 60s) <= 3s);

  // Neither: no ttl.
  server.clear();
  auto unlimited = make_client(server.url(), w, client_options{.transport = {.read_timeout = 0ms}});
  server.enqueue(status(503, {{"Date", http_date(service_now)}}));
  REQUIRE(unlimited.send(ListStagesRequest{}).metadata.attempts == 2);
  REQUIRE(server.last().header("amz-sdk-request") == "attempt=2; max=3");
}

TEST_CASE("clock skew: learn the offset, re-sign, resend at once, keep it", "[clock-skew][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  waits w;
  std::vector<std::string> log;
  const auto service_now = std::chrono::system_clock::now() + 1h;
  auto c =
      make_client(server.url(), w, client_options{.log = [&](std::string_view l) { log.emplace_back(l); }});
  server.enqueue(error_reply(403, "InvalidSignatureException", {{"Date", http_date(service_now)}}));
  server.enqueue(status(200, {{"Date", http_date(service_now)}}));
  auto r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.ok());
  REQUIRE(r.metadata.attempts == 2);
  REQUIRE(w.slept.empty());  // no backoff for a clock fix
  auto reqs = server.requests();
  REQUIRE(distance(signed_at(reqs[0]), std::chrono::system_clock::now()) <= 5s);
  REQUIRE(distance(signed_at(reqs[1]), service_now) <= 5s);
  require_signed(reqs[0]);
  require_signed(reqs[1]);
  REQUIRE(reqs[1].header("amz-sdk-invocation-id") == reqs[0].header("amz-sdk-invocation-id"));
  REQUIRE(reqs[1].header("amz-sdk-request").find("attempt=2; max=3") != std::string::npos);
  bool logged = false;
  for (const auto& l : log) logged = logged || l.find("clock skew") != std::string::npos;
  REQUIRE(logged);

  // Later calls are signed with the corrected clock from the first attempt.
  server.clear();
  REQUIRE(c.send(GetStageRequest{.arn = kArn}).metadata.attempts == 1);
  REQUIRE(distance(signed_at(server.last()), service_now) <= 5s);
  require_signed(server.last());
}

TEST_CASE("clock skew: only with a skew over 4 minutes, once per call, unless turned off",
          "[clock-skew][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  waits w;
  auto c = make_client(server.url(), w);
  const auto now = std::chrono::system_clock::now();

  // AccessDeniedException is a normal answer of this service: retried only for a large skew.
  server.enqueue(error_reply(403, "AccessDeniedException", {{"Date", http_date(now + 2min)}}));
  REQUIRE(c.send(GetStageRequest{.arn = kArn}).error().attempts == 1);
  server.enqueue(error_reply(403, "AccessDeniedException", {{"Date", http_date(now - 10min)}}));
  REQUIRE(c.send(GetStageRequest{.arn = kArn}).metadata.attempts == 2);
  REQUIRE(distance(signed_at(server.last()), now - 10min) <= 5s);

  // A cached response (Age) says nothing about the service's clock.
  auto fresh = make_client(server.url(), w);
  server.enqueue(error_reply(403, "SignatureDoesNotMatch", {{"Date", http_date(now + 1h)}, {"Age", "3600"}}));
  REQUIRE(fresh.send(GetStageRequest{.arn = kArn}).error().attempts == 1);

  // A server whose clock always runs 10 minutes ahead of the signature: corrected once, then final.
  server.clear();
  server.set_handler([](const received& r) {
    return error_reply(400, "RequestTimeTooSkewed", {{"Date", http_date(signed_at(r) + 10min)}});
  });
  auto stubborn = make_client(server.url(), w);
  auto e = stubborn.send(GetStageRequest{.arn = kArn});
  REQUIRE(e.error().code == "RequestTimeTooSkewed");
  REQUIRE(e.error().attempts == 2);
  REQUIRE(server.count() == 2);

  server.clear();
  auto off = make_client(server.url(), w, client_options{.disable_clock_skew_correction = true});
  REQUIRE(off.send(GetStageRequest{.arn = kArn}).error().attempts == 1);
  REQUIRE(distance(signed_at(server.last()), std::chrono::system_clock::now()) <= 5s);
  env.set("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "true");
  auto off_by_env = make_client(server.url(), w);
  REQUIRE(off_by_env.send(GetStageRequest{.arn = kArn}).error().attempts == 1);
  REQUIRE(w.slept.empty());
}

TEST_CASE("time limits per client and per call", "[retry][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  waits w;
  SECTION("a call's total timeout ends the call, retries included") {
    auto c = make_client(server.url(), w);
    server.enqueue(reply{.status = 200, .header_list = {}, .body = "{}", .delay_ms = 900});
    const auto start = std::chrono::steady_clock::now();
    auto r = c.send(GetStageRequest{.arn = kArn}, call_options{.total_timeout = 200ms});
    REQUIRE(std::chrono::steady_clock::now() - start < 800ms);
    REQUIRE(r.error().code == "timeout");
    REQUIRE(r.error().attempts == 1);
  }
  SECTION("the client's total timeout") {
    auto c = make_client(server.url(), w, client_options{.total_timeout = 200ms});
    server.enqueue(reply{.status = 200, .header_list = {}, .body = "{}", .delay_ms = 900});
    auto r = c.send(GetStageRequest{.arn = kArn});
    REQUIRE(r.error().code == "timeout");
    REQUIRE(r.error().attempts == 1);
  }
  SECTION("a call's attempt timeout makes a slow attempt a retried timeout") {
    auto c = make_client(server.url(), w);
    server.enqueue(reply{.status = 200, .header_list = {}, .body = "{}", .delay_ms = 700});
    auto r = c.send(GetStageRequest{.arn = kArn}, call_options{.attempt_timeout = 200ms});
    REQUIRE(r.ok());
    REQUIRE(r.metadata.attempts == 2);
    REQUIRE(server.count() == 2);
  }
  SECTION("a call's connect timeout") {
    const ivsrt_test::hanging_port port;
    auto c = make_client(port.url(), w, client_options{.transport = {.connect_timeout = 20s}});
    const auto start = std::chrono::steady_clock::now();
    auto r = c.send(GetStageRequest{.arn = kArn}, call_options{.connect_timeout = 150ms, .max_attempts = 1});
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(r.error().code == "timeout");
    REQUIRE(took < 5s);  // the call's 150 ms, not the client's 20 s
  }
  SECTION("a per-call max_attempts below 1 is refused") {
    auto c = make_client(server.url(), w);
    auto r = c.send(GetStageRequest{.arn = kArn}, call_options{.max_attempts = 0});
    REQUIRE(r.error().kind == error_kind::configuration);
    REQUIRE(server.count() == 0);
  }
}

TEST_CASE("adaptive mode holds sending back after throttling", "[retry][adaptive][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  waits w;
  std::vector<std::string> log;
  auto c = make_client(server.url(), w,
                       client_options{.log = [&](std::string_view l) { log.emplace_back(l); },
                                      .retry = {.mode = retry::mode::adaptive}});
  for (int i = 0; i < 5; ++i) REQUIRE(c.send(ListStagesRequest{}).metadata.attempts == 1);
  REQUIRE(w.slept.empty());  // the limiter is off until the first throttle
  server.enqueue(error_reply(400, "ThrottlingException"));
  REQUIRE(c.send(ListStagesRequest{}).metadata.attempts == 2);
  // The backoff, then a wait for a send token at the cut rate (at least 0.5 tokens/s).
  REQUIRE(w.slept.size() == 2);
  REQUIRE(w.slept[1] > 0ns);
  REQUIRE(w.slept[1] <= 2s);
  bool limiter_logged = false;
  for (const auto& l : log)
    limiter_logged = limiter_logged || l.find("adaptive rate limiter") != std::string::npos;
  REQUIRE(limiter_logged);
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 7);
  require_attempt_headers(std::vector<received>(reqs.end() - 2, reqs.end()), 3);
  REQUIRE(server.last().header("User-Agent").find("cfg/retry-mode#adaptive") != std::string::npos);
}
