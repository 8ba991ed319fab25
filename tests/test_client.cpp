// The client end to end against a recording HTTP server on loopback: what goes on the wire for
// the stage and tag operations, how responses and errors come back, and transport behaviour.
#include "test_client.hpp"

#include <cstdlib>
#include <regex>
#include <thread>

#include "aws_sandbox.hpp"
#include "catch.hpp"
#include "fault_server.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/model/participant_token.hpp"
#include "ivsrt/model/stage.hpp"
#include "ivsrt/model/tags.hpp"
#include "recording_server.hpp"
#include "test_env.hpp"

using namespace ivsrt;
using ivsrt_test::json_reply;
using ivsrt_test::make_client;
using ivsrt_test::recording_server;
using ivsrt_test::reply;
using ivsrt_test::require_signed;

namespace {

const char* const kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const char* const kArn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
const char* const kEncodedArnPath = "/tags/arn%3Aaws%3Aivs%3Aus-west-2%3A123456789012%3Astage%2FabcdABCD1234";

}  // namespace

TEST_CASE("CreateStage: method, path, headers, JSON body and signature", "[client][wire]") {
  recording_server server;
  server.enqueue(json_reply(
      R"({"stage":{"arn":"arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234","name":"demo",)"
      R"("tags":{"team":"a"},"endpoints":{"events":"wss://e","whip":"https://w","rtmp":"rtmp://r","rtmps":"rtmps://s"},)"
      R"("autoParticipantRecordingConfiguration":{"storageConfigurationArn":"","mediaTypes":["AUDIO_VIDEO"]}},)"
      R"("participantTokens":[{"participantId":"p1","token":"tok-SECRET","userId":"u1","duration":60,)"
      R"("capabilities":["PUBLISH","SUBSCRIBE"],"attributes":{"k":"v"},"expirationTime":"2024-01-01T01:00:00Z"}]})"));
  auto c = make_client(server);
  auto r = c.send(CreateStageRequest{
      .name = "demo",
      .participantTokenConfigurations = {{.duration = 60,
                                          .userId = "u1",
                                          .attributes = {{"k", "v"}},
                                          .capabilities = {ParticipantTokenCapability::PUBLISH,
                                                           ParticipantTokenCapability::SUBSCRIBE}}},
      .tags = {{"team", "a"}},
      .autoParticipantRecordingConfiguration = AutoParticipantRecordingConfiguration{
          .storageConfigurationArn = "", .mediaTypes = {ParticipantRecordingMediaType::AUDIO_VIDEO}}});
  REQUIRE(r.ok());
  const auto req = server.last();
  REQUIRE(req.method == "POST");
  REQUIRE(req.target == "/CreateStage");
  REQUIRE(req.header("Content-Type") == "application/json");
  REQUIRE(req.header("Host") == "127.0.0.1:" + std::to_string(server.port()));
  REQUIRE(
      req.body ==
      R"({"name":"demo","participantTokenConfigurations":[{"duration":60,"userId":"u1","attributes":{"k":"v"},)"
      R"("capabilities":["PUBLISH","SUBSCRIBE"]}],"tags":{"team":"a"},)"
      R"("autoParticipantRecordingConfiguration":{"storageConfigurationArn":"","mediaTypes":["AUDIO_VIDEO"]}})");
  REQUIRE(std::regex_match(req.header("X-Amz-Date"), std::regex(R"(\d{8}T\d{6}Z)")));
  REQUIRE(
      std::regex_match(req.header("amz-sdk-invocation-id"),
                       std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  REQUIRE(req.header("User-Agent").rfind("ivsrt/", 0) == 0);
  REQUIRE_FALSE(req.has_header("X-Amz-Security-Token"));
  REQUIRE(req.header("Authorization").find("SignedHeaders=content-type;host;x-amz-date,") !=
          std::string::npos);
  require_signed(req);

  REQUIRE(r->stage->arn == kArn);
  REQUIRE(r->stage->endpoints->whip == "https://w");
  REQUIRE(r->stage->autoParticipantRecordingConfiguration->mediaTypes->at(0) ==
          ParticipantRecordingMediaType::AUDIO_VIDEO);
  const auto& token = r->participantTokens->at(0);
  REQUIRE(token.token->reveal() == "tok-SECRET");
  REQUIRE(token.capabilities->at(1) == ParticipantTokenCapability::SUBSCRIBE);
  REQUIRE(format_timestamp(*token.expirationTime) == "2024-01-01T01:00:00Z");
  REQUIRE(r.metadata.request_id == "req-123");
  REQUIRE(r.metadata.http_status == 200);
  REQUIRE(r.metadata.attempts == 1);
}

TEST_CASE("GetStage, UpdateStage, DeleteStage, ListStages and CreateParticipantToken", "[client][wire]") {
  recording_server server;
  auto c = make_client(server);

  server.enqueue(json_reply(R"({"stage":{"arn":"a1","activeSessionId":"st-0123456789ab"}})"));
  auto got = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(got.ok());
  REQUIRE(server.last().body == std::string(R"({"arn":")") + kArn + R"("})");
  REQUIRE(got->stage->activeSessionId == "st-0123456789ab");

  server.enqueue(json_reply(R"({"stage":{"arn":"a1","name":"renamed"}})"));
  auto upd = c.send(UpdateStageRequest{.arn = kArn, .name = "renamed"});
  REQUIRE(upd.ok());
  REQUIRE(server.last().target == "/UpdateStage");
  REQUIRE(server.last().body == std::string(R"({"arn":")") + kArn + R"(","name":"renamed"})");

  server.enqueue(json_reply("{}"));
  REQUIRE(c.send(DeleteStageRequest{.arn = kArn}).ok());
  REQUIRE(server.last().target == "/DeleteStage");

  server.enqueue(json_reply(R"({"stages":[{"arn":"a1"},{"arn":"a2","name":"n"}],"nextToken":"more"})"));
  auto list = c.send(ListStagesRequest{.maxResults = 2});
  REQUIRE(list.ok());
  REQUIRE(server.last().body == R"({"maxResults":2})");
  REQUIRE(list->stages.size() == 2);
  REQUIRE(list->nextToken == "more");

  server.enqueue(json_reply("{}"));
  REQUIRE(c.send(ListStagesRequest{}).ok());
  REQUIRE(server.last().body == "{}");

  server.enqueue(json_reply(R"({"participantToken":{"participantId":"p","token":"t","duration":5}})"));
  auto tok = c.send(CreateParticipantTokenRequest{.stageArn = kArn, .duration = 5, .userId = "u"});
  REQUIRE(tok.ok());
  REQUIRE(server.last().body == std::string(R"({"stageArn":")") + kArn + R"(","duration":5,"userId":"u"})");
  REQUIRE(tok->participantToken->duration == 5);
  for (const auto& r : server.requests()) require_signed(r);
}

TEST_CASE("tag operations use the REST bindings", "[client][wire]") {
  recording_server server;
  auto c = make_client(server);

  REQUIRE(c.send(TagResourceRequest{.resourceArn = kArn, .tags = {{"team", "a b"}, {"env", "dev"}}}).ok());
  auto req = server.last();
  REQUIRE(req.method == "POST");
  REQUIRE(req.target == kEncodedArnPath);
  REQUIRE(req.body == R"({"tags":{"env":"dev","team":"a b"}})");
  require_signed(req);

  REQUIRE(c.send(UntagResourceRequest{.resourceArn = kArn, .tagKeys = {"team", "a&b=c"}}).ok());
  req = server.last();
  REQUIRE(req.method == "DELETE");
  REQUIRE(req.target == std::string(kEncodedArnPath) + "?tagKeys=team&tagKeys=a%26b%3Dc");
  REQUIRE(req.body.empty());
  REQUIRE_FALSE(req.has_header("Content-Type"));
  require_signed(req);

  server.enqueue(json_reply(R"({"tags":{"team":"a"}})"));
  auto tags = c.send(ListTagsForResourceRequest{.resourceArn = kArn});
  REQUIRE(tags.ok());
  req = server.last();
  REQUIRE(req.method == "GET");
  REQUIRE(req.target == kEncodedArnPath);
  REQUIRE(req.body.empty());
  REQUIRE_FALSE(req.has_header("Content-Type"));
  require_signed(req);
  REQUIRE(tags->tags.at("team") == "a");

  // A label of "." or ".." is a resource name, not a step up the path: it goes out as given (as
  // botocore sends it), and the signature covers the path as SigV4 normalises it.
  for (const char* dots : {".", ".."}) {
    INFO(dots);
    server.enqueue(json_reply(R"({"tags":{}})"));
    REQUIRE(c.send(ListTagsForResourceRequest{.resourceArn = dots}).ok());
    req = server.last();
    REQUIRE(req.target == std::string("/tags/") + dots);
    require_signed(req);
  }
}

TEST_CASE("session tokens are sent and signed", "[client][wire]") {
  recording_server server;
  auto c = make_client(
      server, client_options{.credentials = credentials{.access_key_id = "ASIAEXAMPLE",
                                                        .secret_access_key = kSecret,
                                                        .session_token = sensitive_string("session/+token="),
                                                        .expiration = {},
                                                        .account_id = {}}});
  REQUIRE(c.send(GetStageRequest{.arn = kArn}).ok());
  const auto req = server.last();
  REQUIRE(req.header("X-Amz-Security-Token") == "session/+token=");
  REQUIRE(req.header("Authorization").find("x-amz-security-token") != std::string::npos);
  require_signed(req);
}

TEST_CASE("in AWS Lambda, calls carry the invocation's trace id, unsigned (recursion detection)",
          "[client][wire]") {
  // The raw-socket server: cpp-httplib would percent-decode the header before the test saw it.
  ivsrt_test::fault_server server;
  ivsrt_test::scoped_env env({{"AWS_LAMBDA_FUNCTION_NAME", std::nullopt},
                              {"_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}});
  SECTION("not in Lambda: no header, whatever _X_AMZN_TRACE_ID says") {
    auto c = make_client(server.url());
    REQUIRE(c.send(GetStageRequest{.arn = kArn}).ok());
    REQUIRE(!server.requests().back().has_header("X-Amzn-Trace-Id"));
  }
  SECTION("in Lambda: the trace id of each call, control and non-ASCII bytes percent-encoded") {
    env.set("AWS_LAMBDA_FUNCTION_NAME", "stage-minter");
    auto c = make_client(server.url());
    REQUIRE(c.send(GetStageRequest{.arn = kArn}).ok());
    auto req = server.requests().back();
    REQUIRE(req.header("X-Amzn-Trace-Id") == "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
    REQUIRE(req.header_count("X-Amzn-Trace-Id") == 1);
    REQUIRE(req.header("Authorization").find("x-amzn-trace-id") == std::string::npos);
    require_signed(req);
    // Lambda sets the variable anew for each invocation: the same client sends the new one.
    env.set("_X_AMZN_TRACE_ID", "Root=1-00000000-000000000000000000000001;Lineage=a87bd80c:0|\xc3\xa9\n");
    REQUIRE(c.send(GetStageRequest{.arn = kArn}).ok());
    req = server.requests().back();
    REQUIRE(req.header("X-Amzn-Trace-Id") ==
            "Root=1-00000000-000000000000000000000001;Lineage=a87bd80c:0|%C3%A9%0A");
    require_signed(req);
    const auto dry = c.dry_run(GetStageRequest{.arn = kArn});
    REQUIRE(dry.ok());
    bool shown = false;
    for (const auto& [name, value] : dry->headers) shown = shown || name == "X-Amzn-Trace-Id";
    REQUIRE(shown);
    env.set("_X_AMZN_TRACE_ID", std::nullopt);
    REQUIRE(c.send(GetStageRequest{.arn = kArn}).ok());
    REQUIRE(!server.requests().back().has_header("X-Amzn-Trace-Id"));
  }
}

TEST_CASE("recursion detection: the X-Amzn-Trace-Id botocore sends for the same Lambda environment",
          "[client][wire][botocore]") {
  const std::string python = ivsrt_test::find_in_path("python3");
  if (python.empty()) {
    WARN("python3 is not installed: skipped");
    return;
  }
  const std::string trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  ivsrt_test::fault_server server;
  // GetStage through botocore: python3 -c SCRIPT ENDPOINT SECRET ARN.
  const char* script = R"(import sys, botocore.session
c = botocore.session.get_session().create_client('ivs-realtime', region_name='us-west-2',
    endpoint_url=sys.argv[1], aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key=sys.argv[2])
c.get_stage(arn=sys.argv[3])
)";
  const auto boto = ivsrt_test::run_process(
      python, {"-c", script, server.url(), kSecret, kArn},
      {"PATH=" + ivsrt_test::environment_variable("PATH"), "HOME=" + ivsrt_test::environment_variable("HOME"),
       "AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
       "AWS_LAMBDA_FUNCTION_NAME=stage-minter", "_X_AMZN_TRACE_ID=" + trace});
  if (boto.exit_code != 0 && boto.err.find("No module named 'botocore'") != std::string::npos) {
    WARN("botocore is not installed: skipped");
    return;
  }
  INFO(boto.err);
  REQUIRE(boto.exit_code == 0);
  ivsrt_test::scoped_env env({{"AWS_LAMBDA_FUNCTION_NAME", "stage-minter"}, {"_X_AMZN_TRACE_ID", trace}});
  REQUIRE(make_client(server.url()).send(GetStageRequest{.arn = kArn}).ok());
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 2);
  REQUIRE(reqs[0].header("X-Amzn-Trace-Id") == trace);
  REQUIRE(reqs[1].header("X-Amzn-Trace-Id") == reqs[0].header("X-Amzn-Trace-Id"));
  // Neither signs it.
  REQUIRE(reqs[0].header("Authorization").find("x-amzn-trace-id") == std::string::npos);
  REQUIRE(reqs[1].header("Authorization").find("x-amzn-trace-id") == std::string::npos);
}

TEST_CASE("service errors carry code, message, status and request id", "[client][wire]") {
  recording_server server;
  auto c = make_client(server, client_options{.retry = {.max_attempts = 1}});

  server.enqueue(
      reply{.status = 400,
            .header_list = {{"x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/"},
                            {"x-amzn-RequestId", "r-1"}},
            .body = R"({"exceptionMessage":"name is bad"})",
            .delay_ms = 0});
  auto r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::service);
  REQUIRE(r.error().code == "ValidationException");
  REQUIRE(r.error().message == "name is bad");
  REQUIRE(r.error().http_status == 400);
  REQUIRE(r.error().request_id == "r-1");

  server.enqueue(json_reply(
      R"({"__type":"com.amazonaws.ivsrealtime#ResourceNotFoundException","message":"gone"})", 404));
  r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.error().code == "ResourceNotFoundException");
  REQUIRE(r.error().message == "gone");

  server.enqueue(json_reply(R"({"code":"ThrottlingException","Message":"slow down"})", 400));
  r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.error().code == "ThrottlingException");
  REQUIRE(r.error().message == "slow down");

  server.enqueue(reply{.status = 403,
                       .header_list = {{"x-amzn-ErrorType", "UnrecognizedClientException"}},
                       .body = R"({"message":"The security token included in the request is invalid."})",
                       .delay_ms = 0});
  r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.error().code == "UnrecognizedClientException");

  server.enqueue(reply{.status = 502,
                       .header_list = {{"Content-Type", "text/html"}},
                       .body = "<html><body>Bad Gateway</body></html>",
                       .delay_ms = 0});
  r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.error().kind == error_kind::service);
  REQUIRE(r.error().code == "Http502");
  REQUIRE(r.error().http_status == 502);
  REQUIRE(r.error().message.find("not an AWS error document") != std::string::npos);
}

TEST_CASE("responses that cannot be read are parse errors, and the client stays usable", "[client][wire]") {
  recording_server server;
  auto c = make_client(server);
  server.enqueue(json_reply(R"({"stage":{"arn":12}})"));
  auto r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.error().kind == error_kind::parse);
  REQUIRE(r.error().message.find("stage.arn") != std::string::npos);
  REQUIRE(r.error().request_id == "req-123");
  server.enqueue(json_reply(""));  // Content-Length: 0 declares the body empty: it reads as {}
  r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->stage.has_value());
  server.enqueue(json_reply(R"({"stage":{"arn":"ok"}})"));
  REQUIRE(c.send(GetStageRequest{.arn = kArn}).ok());
}

TEST_CASE("invalid requests are refused before anything is sent", "[client][wire]") {
  recording_server server;
  auto c = make_client(server);
  auto r = c.send(CreateStageRequest{.name = std::string(129, 'x')});
  REQUIRE(r.error().kind == error_kind::validation);
  REQUIRE(r.error().message.find("name") != std::string::npos);
  r = c.send(CreateStageRequest{.name = std::string("\xff")});
  REQUIRE(r.error().kind == error_kind::validation);
  REQUIRE(server.count() == 0);

  auto lax = make_client(server, client_options{.validate_requests = false});
  REQUIRE(lax.send(CreateStageRequest{.name = std::string(129, 'x')}).ok());
  REQUIRE(server.count() == 1);
}

TEST_CASE("an enumerator cast from a number the enum does not name is refused, not sent as \"\"",
          "[client][wire]") {
  recording_server server;
  auto c = make_client(server);
  const auto bogus = static_cast<ParticipantTokenCapability>(77);
  auto r = c.send(
      CreateStageRequest{.name = "x", .participantTokenConfigurations = {{.capabilities = {{bogus}}}}});
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::validation);
  INFO(r.error().message);
  REQUIRE(r.error().message.find("participantTokenConfigurations[0].capabilities[0]: the enumerator value 77 "
                                 "is not one of PUBLISH, SUBSCRIBE") != std::string::npos);
  REQUIRE(server.count() == 0);
}

TEST_CASE("time limits must be from 0 to a year: a negative or huge one is a named error", "[client][wire]") {
  recording_server server;
  using std::chrono::milliseconds;
  const auto refused = [](const result<client>& made, const std::string& name) {
    INFO(name);
    REQUIRE_FALSE(made.ok());
    REQUIRE(made.error().code == "InvalidTimeout");
    REQUIRE(made.error().message.find(name) != std::string::npos);
  };
  http::transport_options t;
  t.read_timeout = milliseconds::max();
  refused(client::create({.region = "us-west-2", .endpoint_url = server.url(), .transport = t}),
          "transport_options::read_timeout");
  t = {};
  t.connect_timeout = milliseconds(-1);
  refused(client::create({.region = "us-west-2", .endpoint_url = server.url(), .transport = t}),
          "transport_options::connect_timeout");
  t = {};
  t.request_timeout = milliseconds(-5);
  refused(client::create({.region = "us-west-2", .endpoint_url = server.url(), .transport = t}),
          "transport_options::request_timeout");
  refused(client::create(
              {.region = "us-west-2", .endpoint_url = server.url(), .total_timeout = milliseconds(-1)}),
          "client_options::total_timeout");

  auto c = make_client(server);
  for (const auto& [call, name] :
       {std::pair{call_options{.attempt_timeout = milliseconds(-1)}, "call_options::attempt_timeout"},
        std::pair{call_options{.total_timeout = milliseconds::max()}, "call_options::total_timeout"},
        std::pair{call_options{.connect_timeout = milliseconds(-3)}, "call_options::connect_timeout"},
        std::pair{call_options{.read_timeout = milliseconds(-1)}, "call_options::read_timeout"}}) {
    const auto r = c.send(GetStageRequest{.arn = kArn}, call);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().code == "InvalidTimeout");
    REQUIRE(r.error().message.find(name) != std::string::npos);
  }
  REQUIRE(server.count() == 0);
  // A year exactly is allowed.
  t = {};
  t.read_timeout = std::chrono::hours(24 * 365);
  REQUIRE(make_client(server, {.transport = t}).send(GetStageRequest{.arn = kArn}).ok());
}

TEST_CASE("an enum value the client does not know goes out as written", "[client][wire]") {
  recording_server server;
  server.enqueue(json_reply(R"({"stage":{"arn":"a"}})"));
  auto c = make_client(server);
  auto r = c.send(CreateStageRequest{
      .autoParticipantRecordingConfiguration = AutoParticipantRecordingConfiguration{
          .storageConfigurationArn = "s",
          .mediaTypes = {open_enum<ParticipantRecordingMediaType>::from_string("AUDIO_VIDEO_3D")}}});
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  REQUIRE(
      server.last().body ==
      R"({"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"s","mediaTypes":["AUDIO_VIDEO_3D"]}})");
}

TEST_CASE("connections are kept alive across calls", "[client][wire]") {
  recording_server server;
  auto c = make_client(server);
  for (int i = 0; i < 5; ++i) REQUIRE(c.send(GetStageRequest{.arn = kArn}).ok());
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 5);
  for (const auto& r : reqs) REQUIRE(r.remote_port == reqs.front().remote_port);
}

TEST_CASE("timeouts, refused connections and the response size cap", "[client][wire]") {
  recording_server server;
  SECTION("attempt timeout") {
    auto c =
        make_client(server, client_options{.transport = {.request_timeout = std::chrono::milliseconds(200)},
                                           .retry = {.max_attempts = 1}});
    server.enqueue(reply{.status = 200, .header_list = {}, .body = "{}", .delay_ms = 1500});
    auto r = c.send(GetStageRequest{.arn = kArn});
    REQUIRE(r.error().kind == error_kind::transport);
    REQUIRE(r.error().code == "timeout");
  }
  SECTION("connection refused") {
    int closed_port = 0;
    {
      recording_server gone;
      closed_port = gone.port();
    }
    auto c = client::create({.region = "us-west-2",
                             .endpoint_url = "http://127.0.0.1:" + std::to_string(closed_port),
                             .credentials = credentials{.access_key_id = "AK",
                                                        .secret_access_key = "S",
                                                        .session_token = {},
                                                        .expiration = {},
                                                        .account_id = {}},
                             .retry = {.sleep = [](std::chrono::nanoseconds) {}}});
    auto r = c->send(GetStageRequest{.arn = kArn});
    REQUIRE(r.error().kind == error_kind::transport);
    REQUIRE(r.error().code == "connect_failed");
    REQUIRE(r.error().attempts == 3);  // refused connections are retried
  }
  SECTION("size cap") {
    auto c = make_client(server, client_options{.transport = {.max_response_bytes = 1000}});
    server.enqueue(json_reply(R"({"stage":{"arn":")" + std::string(5000, 'a') + R"("}})"));
    auto r = c.send(GetStageRequest{.arn = kArn});
    REQUIRE(r.error().code == "max_response_size");
    REQUIRE(r.error().message.find("1000") != std::string::npos);
  }
}

TEST_CASE("region, endpoint and credentials come from options or the environment", "[client]") {
  ivsrt_test::aws_sandbox box;
  box.set("AWS_REGION", "eu-central-1");
  box.set("AWS_ACCESS_KEY_ID", "AKENV");
  box.set("AWS_SECRET_ACCESS_KEY", "secret-from-env");
  box.set("AWS_SESSION_TOKEN", "token-from-env");
  auto c = client::create();
  REQUIRE(c.ok());
  REQUIRE(c->region() == "eu-central-1");
  REQUIRE(c->endpoint().origin() == "https://ivsrealtime.eu-central-1.amazonaws.com");
  auto dry = c->dry_run(GetStageRequest{.arn = kArn});
  REQUIRE(dry.ok());
  REQUIRE(dry->url == "https://ivsrealtime.eu-central-1.amazonaws.com/GetStage");
  REQUIRE(http::find_header(dry->headers, "Authorization").find("Credential=AKENV/") != std::string::npos);
  REQUIRE(http::find_header(dry->headers, "X-Amz-Security-Token") == redacted);
  for (const auto& [name, value] : dry->headers) {
    REQUIRE(value.find("secret-from-env") == std::string::npos);
    REQUIRE(value.find("token-from-env") == std::string::npos);
  }
  REQUIRE(http::find_header(dry->headers, "Authorization").find("Signature=" + std::string(redacted)) !=
          std::string::npos);

  box.unset("AWS_REGION");
  box.set("AWS_DEFAULT_REGION", "ap-south-1");
  REQUIRE(client::create()->region() == "ap-south-1");
  box.unset("AWS_DEFAULT_REGION");
  auto none = client::create();
  REQUIRE_FALSE(none.ok());
  REQUIRE(none.error().kind == error_kind::configuration);
  REQUIRE(none.error().message.find("AWS_REGION") != std::string::npos);
  REQUIRE(none.error().message.find("AWS_DEFAULT_REGION") != std::string::npos);
  REQUIRE(client::create({.region = "us-east-1/evil"}).error().code == "InvalidRegion");
  REQUIRE(client::create({.region = "us-east-1", .endpoint_url = "ftp://x"}).error().code ==
          "InvalidEndpoint");
  box.unset("AWS_ACCESS_KEY_ID");
  box.unset("AWS_SECRET_ACCESS_KEY");
  box.unset("AWS_SESSION_TOKEN");
  auto nocreds = client::create({.region = "us-east-1"});
  REQUIRE(nocreds.ok());
  auto r = nocreds->send(GetStageRequest{.arn = kArn});
  REQUIRE(r.error().kind == error_kind::credentials);
}
