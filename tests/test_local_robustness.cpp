// The local service's authentication, fault injection, persistence and TLS, through the ivsrt
// client and hand-signed requests over real HTTP(S) on loopback, with real files.
#include <sys/stat.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "ivsrt/local/dispatch.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "local_fixture.hpp"
#include "local_support.hpp"

using namespace ivsrt;
using ivsrt_local_test::fails;
using ivsrt_local_test::must;
using ivsrt_local_test::raw_request;
using ivsrt_local_test::running_service;
using ivsrt_local_test::send_raw;

namespace {

timestamp now_plus(std::chrono::seconds offset) {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now() + offset);
}

client client_with(const local::service& svc, std::string key, std::string secret,
                   std::string region = "us-east-1") {
  auto o = svc.client_options();
  o.region = std::move(region);
  o.credentials = credentials{.access_key_id = std::move(key),
                              .secret_access_key = sensitive_string(std::move(secret)),
                              .session_token = {},
                              .expiration = {},
                              .account_id = {}};
  return must(client::create(std::move(o)));
}

std::size_t stage_count(const client& c) {
  return must(c.send(ListStagesRequest{.maxResults = 100})).stages.size();
}

// Sends Req with every member at its default (and an ARN where the URI needs one): the service
// must answer with a 2xx or a modeled 4xx, never an unknown operation or a server error.
template <class Req>
void send_default(const client& c) {
  Req req{};
  if constexpr (requires { req.resourceArn; })
    req.resourceArn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCD1234";
  auto r = c.send(req);
  INFO(operation<Req>::name << ": " << (r.ok() ? std::string("ok") : r.error().describe()));
  if (!r) {
    REQUIRE(r.error().kind == error_kind::service);
    REQUIRE(r.error().http_status >= 400);
    REQUIRE(r.error().http_status < 500);
    REQUIRE(r.error().code != "UnknownOperationException");
  }
}

template <class... Req>
void send_each_default(const client& c, type_list<Req...> /*unused*/) {
  (send_default<Req>(c), ...);
}

}  // namespace

TEST_CASE("local: every operation of the model is served", "[local]") {
  running_service local;
  send_each_default(local.client(false), all_operations{});
  REQUIRE(local::all_routes().size() == 39);
}

TEST_CASE("local: malformed requests get 4xx answers, never a crash or a 5xx", "[local]") {
  running_service local;
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  const std::vector<std::string> bodies{"",
                                        "null",
                                        "[]",
                                        "{\"arn\":",
                                        "{\"arn\":null,\"name\":[1,2,{}]}",
                                        "{\"stageArn\":\"\\ud800\"}",
                                        std::string("{\"name\":\"\xff\xfe\"}"),
                                        "{\"unknown\":" + deep + "}",
                                        "{\"tags\":{\"a\":1}}",
                                        "{\"maxResults\":1e400}",
                                        "{\"destinations\":[null,{\"s3\":{}}]}"};
  for (const auto& route : local::all_routes()) {
    for (const auto& body : bodies) {
      std::string path(route.uri);
      const std::size_t label = path.find('{');
      if (label != std::string::npos)
        path = path.substr(0, label) + "arn%3Aaws%3Aivs%3Aus-east-1%3A1%3Astage%2Fx";
      auto r = send_raw({.endpoint = local.svc.endpoint_url(),
                         .method = std::string(route.method),
                         .path = path,
                         .body = body});
      INFO(route.name << " " << body.substr(0, 60));
      REQUIRE(r.ok());
      REQUIRE(r->status >= 200);
      REQUIRE(r->status < 500);
    }
  }
  must(local.client().send(ListStagesRequest{}));  // still serving
}

TEST_CASE("local auth: requests signed with the wrong secret are refused", "[local][auth]") {
  running_service local;
  auto good = local.client();
  must(good.send(ListStagesRequest{}));
  auto wrong = fails(client_with(local.svc, "test", "not-the-secret").send(CreateStageRequest{.name = "x"}));
  REQUIRE(wrong.kind == error_kind::service);
  REQUIRE(wrong.http_status == 403);
  REQUIRE(wrong.code == "InvalidSignatureException");
  REQUIRE(wrong.message.find("does not match the signature you provided") != std::string::npos);
  REQUIRE(stage_count(good) == 0);  // nothing happened

  auto unknown = fails(client_with(local.svc, "AKIDUNKNOWN", "test").send(ListStagesRequest{}));
  REQUIRE(unknown.http_status == 403);
  REQUIRE(unknown.code == "UnrecognizedClientException");
  REQUIRE(unknown.message == "The security token included in the request is invalid.");

  auto other_region = fails(client_with(local.svc, "test", "test", "eu-west-1").send(ListStagesRequest{}));
  REQUIRE(other_region.code == "InvalidSignatureException");
  REQUIRE(other_region.message.find("eu-west-1") != std::string::npos);

  // Keys can be added while the service runs.
  REQUIRE(fails(client_with(local.svc, "AKIDNEW", "new-secret").send(ListStagesRequest{})).code ==
          "UnrecognizedClientException");
  local.svc.add_credentials("AKIDNEW", "new-secret");
  must(client_with(local.svc, "AKIDNEW", "new-secret").send(ListStagesRequest{}));
}

TEST_CASE("local auth: configured credentials replace the default ones", "[local][auth]") {
  local::service_options options;
  options.credentials = {{"AKIDCUSTOM", "custom-secret"}};
  running_service local(options);
  must(local.client().send(ListStagesRequest{}));  // client_options() carries the configured key
  REQUIRE(fails(client_with(local.svc, "test", "test").send(ListStagesRequest{})).code ==
          "UnrecognizedClientException");
}

TEST_CASE("local auth: missing, malformed and stale signatures", "[local][auth]") {
  running_service local;
  raw_request r{.endpoint = local.svc.endpoint_url()};
  REQUIRE(must(send_raw(r)).status == 200);

  r.sign = false;
  auto unsigned_request = must(send_raw(r));
  REQUIRE(unsigned_request.status == 403);
  REQUIRE(unsigned_request.header("x-amzn-ErrorType") == "MissingAuthenticationTokenException");
  r.sign = true;

  r.when = now_plus(-std::chrono::minutes(16));
  auto expired = must(send_raw(r));
  REQUIRE(expired.status == 403);
  REQUIRE(expired.header("x-amzn-ErrorType") == "InvalidSignatureException");
  REQUIRE(expired.body.find("Signature expired") != std::string::npos);
  REQUIRE(expired.body.find("15 min.") != std::string::npos);

  r.when = now_plus(std::chrono::minutes(16));
  auto future = must(send_raw(r));
  REQUIRE(future.status == 403);
  REQUIRE(future.body.find("Signature not yet current") != std::string::npos);

  r.when = now_plus(-std::chrono::minutes(14));  // inside the window
  REQUIRE(must(send_raw(r)).status == 200);

  r.when = {};
  r.service = "ivsrealtime";  // the endpoint prefix, not the signing name
  auto wrong_service = must(send_raw(r));
  REQUIRE(wrong_service.status == 403);
  REQUIRE(wrong_service.body.find("scoped to correct service: 'ivs'") != std::string::npos);
  r.service = "ivs";

  // A session token is signed along and accepted; it never appears in an error message.
  r.session_token = "session-token-SECRET";
  REQUIRE(must(send_raw(r)).status == 200);
  r.secret = "wrong";
  auto mismatch = must(send_raw(r));
  REQUIRE(mismatch.status == 403);
  REQUIRE(mismatch.body.find("x-amz-security-token") != std::string::npos);
  REQUIRE(mismatch.body.find("session-token-SECRET") == std::string::npos);
  REQUIRE(mismatch.body.find("wrong") == std::string::npos);
}

TEST_CASE("local faults: throttling, errors, latency and dropped connections", "[local][faults]") {
  local::service_options options;
  options.seed = 7;
  running_service local(options);
  auto c = local.client();
  // One attempt per call shows each fault; the client's retries (3 attempts) are checked apart.
  const call_options once{.max_attempts = 1};

  SECTION("throttling for a number of requests, which change nothing") {
    local.svc.add_fault({.operation = "CreateStage", .kind = local::fault_kind::throttle, .times = 2});
    for (int i = 0; i < 2; ++i) {
      auto e = fails(c.send(CreateStageRequest{}, once));
      REQUIRE(e.code == "ThrottlingException");
      REQUIRE(e.http_status == 429);
      REQUIRE(e.message == "Rate exceeded");
    }
    must(c.send(ListStagesRequest{}));  // other operations are not affected
    REQUIRE(stage_count(c) == 0);
    must(c.send(CreateStageRequest{}));
    REQUIRE(stage_count(c) == 1);
  }
  SECTION("the client's retries ride out throttling, up to its attempt limit") {
    // The backoffs are counted, not slept (their lengths are the retry tests' business).
    int waits = 0;
    auto o = local.svc.client_options();
    o.retry.sleep = [&waits](std::chrono::nanoseconds) { ++waits; };
    const client retrying = must(client::create(std::move(o)));
    local.svc.add_fault({.operation = "CreateStage", .kind = local::fault_kind::throttle, .times = 2});
    auto created = retrying.send(CreateStageRequest{});
    REQUIRE(created.ok());
    REQUIRE(created.metadata.attempts == 3);
    REQUIRE(waits == 2);
    REQUIRE(stage_count(c) == 1);
    local.svc.add_fault({.operation = "CreateStage", .kind = local::fault_kind::throttle, .times = 3});
    REQUIRE(fails(retrying.send(CreateStageRequest{})).attempts == 3);
    REQUIRE(waits == 4);
    REQUIRE(stage_count(c) == 1);
  }
  SECTION("an error rate") {
    local.svc.add_fault({.operation = "*",
                         .kind = local::fault_kind::error,
                         .probability = 0.5,
                         .status = 503,
                         .code = "ServiceUnavailable",
                         .message = "try later"});
    int failed = 0;
    int succeeded = 0;
    for (int i = 0; i < 40; ++i) {
      auto r = c.send(GetStageRequest{.arn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCD1234"}, once);
      if (r.error().code == "ServiceUnavailable") {
        REQUIRE(r.error().http_status == 503);
        REQUIRE(r.error().message == "try later");
        ++failed;
      } else {
        REQUIRE(r.error().code == "ResourceNotFoundException");
        ++succeeded;
      }
    }
    REQUIRE(failed > 5);
    REQUIRE(succeeded > 5);
    local.svc.clear_faults();
    REQUIRE(
        fails(c.send(GetStageRequest{.arn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCD1234"})).code ==
        "ResourceNotFoundException");
  }
  SECTION("added latency") {
    const int id = local.svc.add_fault({.operation = "ListStages",
                                        .kind = local::fault_kind::latency,
                                        .latency = std::chrono::milliseconds(300)});
    const auto start = std::chrono::steady_clock::now();
    must(c.send(ListStagesRequest{}));
    REQUIRE(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300));
    REQUIRE(local.svc.remove_fault(id));
    REQUIRE_FALSE(local.svc.remove_fault(id));
  }
  SECTION("a dropped connection: no answer, and nothing happened") {
    local.svc.add_fault({.operation = "CreateStage", .kind = local::fault_kind::drop, .times = 1});
    auto e = fails(c.send(CreateStageRequest{}, once));
    REQUIRE(e.kind == error_kind::transport);
    REQUIRE(e.code == "connection_failed");
    REQUIRE(stage_count(c) == 0);
    must(c.send(CreateStageRequest{}));  // the client recovers on a new connection
  }
  SECTION("a lost answer: the operation happened; an idempotent retry finds it") {
    const std::string stage = must(c.send(CreateStageRequest{})).stage->arn;
    local.svc.add_fault(
        {.operation = "StartComposition", .kind = local::fault_kind::drop_response, .times = 1});
    StartCompositionRequest start{
        .stageArn = stage,
        .idempotencyToken = "retry-safe-token",
        .layout = {},
        .destinations = {DestinationConfiguration{
            .name = {},
            .channel =
                ChannelDestinationConfiguration{
                    .channelArn = "arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234"},
            .s3 = {}}},
        .tags = {}};
    REQUIRE(fails(c.send(start, once)).kind == error_kind::transport);
    auto listed = must(c.send(ListCompositionsRequest{}));
    REQUIRE(listed.compositions.size() == 1);
    auto retried = must(c.send(start));
    REQUIRE(retried.composition->arn == listed.compositions[0].arn);
    REQUIRE(must(c.send(ListCompositionsRequest{})).compositions.size() == 1);
    // With retries on, the client's own retry of the lost answer finds the same composition.
    local.svc.add_fault(
        {.operation = "StartComposition", .kind = local::fault_kind::drop_response, .times = 1});
    auto again = c.send(start);
    REQUIRE(again.ok());
    REQUIRE(again.metadata.attempts == 2);
    REQUIRE(again->composition->arn == listed.compositions[0].arn);
  }
}

TEST_CASE("local faults: command-line specifications", "[local][faults]") {
  auto f = must(local::parse_fault("CreateStage:error:rate=0.25:times=3:status=503:code=Busy:message=later"));
  REQUIRE(f.operation == "CreateStage");
  REQUIRE(f.kind == local::fault_kind::error);
  REQUIRE(f.probability == 0.25);
  REQUIRE(f.times == 3);
  REQUIRE(f.status == 503);
  REQUIRE(f.code == "Busy");
  REQUIRE(f.message == "later");
  REQUIRE(must(local::parse_fault("*:latency:ms=250")).latency == std::chrono::milliseconds(250));
  REQUIRE(must(local::parse_fault("GetStage:drop_response")).kind == local::fault_kind::drop_response);
  REQUIRE_FALSE(local::parse_fault("CreateStage").ok());
  REQUIRE_FALSE(local::parse_fault("CreateStage:explode").ok());
  REQUIRE_FALSE(local::parse_fault("CreateStage:error:rate=2").ok());
  REQUIRE_FALSE(local::parse_fault("CreateStage:error:status=200").ok());
  REQUIRE(local::parse_fault("CreateStage:error:colour=red").error().message.find("colour") !=
          std::string::npos);
}

TEST_CASE("local persistence: state survives a restart", "[local][persistence]") {
  ivsrt_local_test::temp_dir dir;
  const std::string state = dir.file("state.json");
  local::service_options options;
  options.state_file = state;
  std::string stage_arn;
  std::string token;
  std::string encoder_arn;
  {
    running_service local(options);
    auto c = local.client();
    auto created = must(c.send(CreateStageRequest{
        .name = "kept", .participantTokenConfigurations = {{.userId = "u"}}, .tags = {{"k", "v"}}}));
    stage_arn = created.stage->arn;
    token = created.participantTokens->at(0).token->reveal();
    encoder_arn = must(c.send(CreateEncoderConfigurationRequest{.name = "enc"})).encoderConfiguration->arn;
    auto joined = must(local.svc.join(stage_arn, token));
    must(local.svc.leave(stage_arn, joined.participantId));
  }
  struct stat st {};
  REQUIRE(::stat(state.c_str(), &st) == 0);
  REQUIRE((st.st_mode & 0777) == 0600);  // it holds tokens and stream keys

  running_service again(options);
  auto c = again.client();
  auto stage = must(c.send(GetStageRequest{.arn = stage_arn}));
  REQUIRE(stage.stage->name == "kept");
  REQUIRE(stage.stage->tags->at("k") == "v");
  REQUIRE(must(c.send(GetEncoderConfigurationRequest{.arn = encoder_arn})).encoderConfiguration->name ==
          "enc");
  REQUIRE(must(c.send(ListStageSessionsRequest{.stageArn = stage_arn})).stageSessions.size() == 1);
  // Tokens issued before the restart still work, and new ARNs do not collide with old ones.
  must(again.svc.join(stage_arn, token));
  REQUIRE(must(c.send(CreateStageRequest{})).stage->arn != stage_arn);
  REQUIRE(must(c.send(ListStagesRequest{})).stages[0].arn == stage_arn);  // creation order is kept
}

TEST_CASE("local persistence: a crash mid-save never leaves a corrupt state", "[local][persistence]") {
  ivsrt_local_test::temp_dir dir;
  const std::string state = dir.file("state.json");
  local::service_options options;
  options.state_file = state;
  std::string stage_arn;
  {
    running_service local(options);
    stage_arn = must(local.client().send(CreateStageRequest{.name = "before-crash"})).stage->arn;
  }
  // What a save interrupted by a crash leaves behind: a partial temporary file.
  const std::string whole = ivsrt_local_test::read_file(state);
  ivsrt_local_test::write_file(state + ".tmp", whole.substr(0, whole.size() / 2));
  {
    running_service local(options);
    REQUIRE(must(local.client().send(GetStageRequest{.arn = stage_arn})).stage->name == "before-crash");
    REQUIRE(ivsrt_local_test::read_file(state + ".tmp").empty());  // the stale file is gone
  }
  // A state file that cannot be read is never silently replaced.
  ivsrt_local_test::write_file(state, "{\"stages\": {");
  local::service broken(options);
  auto refused = fails(broken.start());
  REQUIRE(refused.code == "StateFileCorrupt");
  REQUIRE(refused.message.find(state) != std::string::npos);
  REQUIRE(ivsrt_local_test::read_file(state) == "{\"stages\": {");
}

TEST_CASE("local persistence: one service per state file, of one account and region",
          "[local][persistence]") {
  ivsrt_local_test::temp_dir dir;
  local::service_options options;
  options.state_file = dir.file("state.json");
  {
    running_service first(options);
    must(first.client().send(CreateStageRequest{}));
    local::service second(options);
    REQUIRE(fails(second.start()).code == "StateFileLocked");
  }
  options.region = "eu-west-1";
  local::service elsewhere(options);
  auto mismatch = fails(elsewhere.start());
  REQUIRE(mismatch.code == "StateFileMismatch");
  REQUIRE(mismatch.message.find("us-east-1") != std::string::npos);
}

TEST_CASE("local TLS: HTTPS with a generated CA, verification on", "[local][tls]") {
  local::service_options options;
  options.tls = true;
  running_service local(options);
  REQUIRE(local.svc.endpoint_url().rfind("https://127.0.0.1:", 0) == 0);
  const std::string pem = ivsrt_local_test::read_file(local.svc.ca_file());
  REQUIRE(pem.rfind("-----BEGIN CERTIFICATE-----", 0) == 0);

  auto c = local.client();  // client_options() trusts the CA file; verification stays on
  must(c.send(CreateStageRequest{.name = "secure"}));

  // The certificate names localhost as well.
  auto by_name = local.svc.client_options();
  by_name.endpoint_url = "https://localhost:" + std::to_string(local.svc.port());
  REQUIRE(must(must(client::create(std::move(by_name))).send(ListStagesRequest{})).stages.size() == 1);

  // Without the CA the certificate is not trusted: verification really is on.
  auto untrusted = local.svc.client_options();
  untrusted.transport.ca_bundle.clear();
  auto e = fails(must(client::create(std::move(untrusted))).send(ListStagesRequest{}));
  REQUIRE(e.kind == error_kind::transport);
  REQUIRE(e.code == "tls_failed");
}
