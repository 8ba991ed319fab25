// The ivsrt-local program as a process (flags, admin endpoints, surviving SIGKILL with its state
// file), and the local service driven by clients no one here wrote: the AWS CLI and boto3, where
// they are installed.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "aws_sandbox.hpp"
#include "catch.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/local/service.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/transport.hpp"
#include "local_fixture.hpp"
#include "local_support.hpp"

// What the boto3 script prints (reflection needs a named namespace).
namespace ivsrt_local_interop {
struct script_output {
  std::vector<std::string> arns{};
  std::string participantId{};
};
}  // namespace ivsrt_local_interop

using namespace ivsrt;
using ivsrt_local_test::fails;
using ivsrt_local_test::must;
using ivsrt_local_test::running_service;

namespace {

// Starts ivsrt-local and reads the URL it prints first.
struct local_process {
  ivsrt_local_test::child proc;
  std::string url;

  explicit local_process(std::vector<std::string> args)
      : proc([&] {
          args.insert(args.begin(), IVSRT_LOCAL_PATH);
          return args;
        }()) {
    REQUIRE(proc.started());
    const std::string line = proc.read_line();
    const std::string prefix = "ivsrt-local listening on ";
    INFO(line);
    REQUIRE(line.rfind(prefix, 0) == 0);
    url = line.substr(prefix.size());
  }
};

client client_for(const std::string& url, std::string region = "us-east-1", std::string key = "test",
                  std::string secret = "test", std::string ca = {}) {
  client_options o;
  o.region = std::move(region);
  o.endpoint_url = url;
  o.credentials = credentials{.access_key_id = std::move(key),
                              .secret_access_key = sensitive_string(std::move(secret)),
                              .session_token = {},
                              .expiration = {},
                              .account_id = {}};
  o.transport.ca_bundle = std::move(ca);
  o.transport.request_timeout = std::chrono::milliseconds(10000);
  return must(client::create(std::move(o)));
}

// An unsigned call to an admin endpoint.
http::response admin(const std::string& url, const std::string& method, const std::string& path,
                     std::string body) {
  http::transport t;
  http::request req{.method = method,
                    .url = url + path,
                    .headers = {{"Content-Type", "application/json"}},
                    .body = std::move(body),
                    .has_body = true};
  return must(t.send(req));
}

template <class T>
T parse(const std::string& text) {
  T out{};
  auto r = json::from_json(text, out);
  INFO(text);
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return out;
}

}  // namespace

TEST_CASE("ivsrt-local: flags, admin endpoints and a clean stop", "[local][process]") {
  local_process local({"--port", "0", "--credentials", "AKIDPROC:proc-secret", "--region", "eu-central-1",
                       "--account", "111122223333", "--fault", "DeleteStage:throttle:times=1", "--seed",
                       "3"});
  auto c = client_for(local.url, "eu-central-1", "AKIDPROC", "proc-secret");
  REQUIRE(fails(client_for(local.url, "eu-central-1").send(ListStagesRequest{})).code ==
          "UnrecognizedClientException");  // --credentials replaced test:test
  auto created =
      must(c.send(CreateStageRequest{.participantTokenConfigurations = {{.userId = "admin-user"}}}));
  const std::string arn = created.stage->arn;
  REQUIRE(arn.rfind("arn:aws:ivs:eu-central-1:111122223333:stage/", 0) == 0);

  auto health = admin(local.url, "GET", "/_local/health", "");
  REQUIRE(health.status == 200);
  REQUIRE(parse<local::admin::health>(health.body).region == "eu-central-1");

  auto joined_resp = admin(local.url, "POST", "/_local/join",
                           R"({"stageArn":")" + arn + R"(","token":")" +
                               created.participantTokens->at(0).token->reveal() + R"(","osName":"Linux"})");
  REQUIRE(joined_resp.status == 200);
  auto joined = parse<local::joined>(joined_resp.body);
  REQUIRE(joined.participantId == *created.participantTokens->at(0).participantId);
  REQUIRE(admin(local.url, "POST", "/_local/publish",
                R"({"stageArn":")" + arn + R"(","participantId":")" + joined.participantId + R"("})")
              .status == 200);
  auto listed = must(c.send(ListParticipantsRequest{.stageArn = arn, .sessionId = joined.sessionId}));
  REQUIRE(listed.participants.size() == 1);
  REQUIRE(listed.participants[0].published == true);
  auto bad_join = admin(local.url, "POST", "/_local/join", R"({"stageArn":")" + arn + R"("})");
  REQUIRE(bad_join.status == 400);
  REQUIRE(bad_join.body.find("token: required member is missing") != std::string::npos);

  auto fault = admin(local.url, "POST", "/_local/faults",
                     R"({"operation":"GetStage","kind":"error","status":500,"times":1})");
  REQUIRE(fault.status == 200);
  REQUIRE(parse<local::admin::fault_added>(fault.body).id > 0);
  const call_options once{.max_attempts = 1};
  REQUIRE(fails(c.send(GetStageRequest{.arn = arn}, once)).code == "InternalServerException");
  must(c.send(GetStageRequest{.arn = arn}));

  // --fault from the command line: the first DeleteStage is throttled.
  REQUIRE(fails(c.send(DeleteStageRequest{.arn = arn}, once)).code == "ThrottlingException");
  must(c.send(DeleteStageRequest{.arn = arn}));

  local.proc.kill(SIGTERM);
  bool stopped = false;
  for (int i = 0; i < 20 && !stopped; ++i) stopped = local.proc.read_line() == "ivsrt-local: stopping";
  REQUIRE(stopped);
  REQUIRE(local.proc.wait() == 0);
}

TEST_CASE("ivsrt-local: bad flags are refused", "[local][process]") {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--port", "70000"},
                                                                {"--credentials", "no-colon"},
                                                                {"--fault", "X:explode"},
                                                                {"--bogus"},
                                                                {"--quota", "stages"}}) {
    std::vector<std::string> argv{IVSRT_LOCAL_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = ivsrt_local_test::run(argv);
    INFO(args[0]);
    REQUIRE(r.exit_code == 2);
    REQUIRE(r.err.find("ivsrt-local:") != std::string::npos);
  }
  REQUIRE(ivsrt_local_test::run({IVSRT_LOCAL_PATH, "--help"}).out.find("--state FILE") != std::string::npos);
}

TEST_CASE("ivsrt-local: killed at any moment, it restarts with every acknowledged change",
          "[local][process]") {
  ivsrt_local_test::temp_dir dir;
  const std::string state = dir.file("state.json");
  std::vector<std::string> acknowledged;
  std::mt19937 rng(12345);
  for (int round = 0; round < 3; ++round) {
    local_process local({"--port", "0", "--state", state});
    auto c = client_for(local.url);
    std::mutex mutex;
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      for (int i = 0; !stop; ++i) {
        // One attempt: a retry would only wait for the killed service.
        auto r = c.send(CreateStageRequest{.name = "round-" + std::to_string(round) + "-" + std::to_string(i),
                                           .participantTokenConfigurations = {{}, {}},
                                           .tags = {{"round", std::to_string(round)}}},
                        {.max_attempts = 1});
        if (!r) break;  // the service is gone
        std::lock_guard<std::mutex> lock(mutex);
        acknowledged.push_back(r->stage->arn);
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 300));
    local.proc.kill(SIGKILL);
    REQUIRE(local.proc.wait() == 128 + SIGKILL);
    stop = true;
    writer.join();
  }
  REQUIRE(acknowledged.size() > 3);
  local_process restarted({"--port", "0", "--state", state});
  auto c = client_for(restarted.url);
  std::set<std::string> present;
  for (auto& item : c.paginate(ListStagesRequest{.maxResults = 100}).items())
    present.insert(must(std::move(item)).arn);
  for (const auto& arn : acknowledged) {
    INFO(arn);
    REQUIRE(present.count(arn) == 1);
  }
  // At most the requests in flight at each kill were saved without being acknowledged.
  REQUIRE(present.size() <= acknowledged.size() + 3);
}

TEST_CASE("quickstart: runs against a running ivsrt-local given with --endpoint", "[local][process]") {
  local_process local({"--port", "0"});
  auto r = ivsrt_local_test::run({IVSRT_QUICKSTART_PATH, "--endpoint", local.url, "--region", "us-east-1"},
                                 {"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test"});
  INFO(r.out + r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("against " + local.url) != std::string::npos);
  REQUIRE(r.out.find("Done: every step succeeded.") != std::string::npos);
  // It cleaned up after itself.
  REQUIRE(must(client_for(local.url).send(ListStagesRequest{})).stages.empty());
  auto refused =
      ivsrt_local_test::run({IVSRT_QUICKSTART_PATH, "--endpoint", local.url, "--region", "us-east-1"},
                            {"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=wrong"});
  REQUIRE(refused.exit_code == 1);
  REQUIRE(refused.out.find("InvalidSignatureException") != std::string::npos);
}

TEST_CASE("quickstart: a developer's AWS settings and proxies do not reach its local run",
          "[local][process]") {
  // Settings that would each break or redirect a client that reads them: FIPS with a custom
  // endpoint is an error, the attempt counts and modes are malformed, the endpoints and the proxy
  // lead nowhere.
  ivsrt_test::aws_sandbox sandbox;
  sandbox.write(".aws/config",
                "[default]\nregion = eu-west-1\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n"
                "retry_mode = bogus\nmax_attempts = abc\nendpoint_url = http://127.0.0.1:1\n"
                "disable_clock_skew_correction = maybe\n");
  sandbox.write(".aws/credentials",
                "[default]\naws_access_key_id = AKIADEVELOPER\naws_secret_access_key = x\n");
  const std::vector<std::string> env{"PATH=/usr/bin:/bin",
                                     "HOME=" + sandbox.dir().string(),
                                     "AWS_ENDPOINT_URL=http://127.0.0.1:1",
                                     "AWS_USE_FIPS_ENDPOINT=true",
                                     "AWS_MAX_ATTEMPTS=x",
                                     "AWS_ACCESS_KEY_ID=AKIADEVELOPER",
                                     "AWS_SECRET_ACCESS_KEY=x",
                                     "http_proxy=http://127.0.0.1:9",
                                     "HTTP_PROXY=http://127.0.0.1:9"};
  auto r = ivsrt_local_test::run({IVSRT_QUICKSTART_PATH}, env, false);
  INFO(r.out + r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("Done: every step succeeded.") != std::string::npos);

  // The same environment does reach a run that takes its settings from it.
  local_process local({"--port", "0"});
  auto from_env = ivsrt_local_test::run({IVSRT_QUICKSTART_PATH, "--endpoint", local.url}, env, false);
  INFO(from_env.out + from_env.err);
  REQUIRE(from_env.exit_code == 1);
}

TEST_CASE("quickstart: says what is wrong when the ivsrt-local next to it cannot serve", "[local][process]") {
  ivsrt_local_test::temp_dir dir;
  const std::string quickstart = dir.file("quickstart");
  std::filesystem::copy_file(IVSRT_QUICKSTART_PATH, quickstart);
  const std::string local = dir.file("ivsrt-local");

  auto missing = ivsrt_local_test::run({quickstart});
  INFO(missing.out + missing.err);
  REQUIRE(missing.exit_code == 1);
  REQUIRE(missing.err.find(local + " cannot be run") != std::string::npos);

  // A program that prints something else, and one that exits at once: each is named, neither hangs.
  for (const auto& [script, says] : std::vector<std::pair<std::string, std::string>>{
           {"echo 'port in use'\nexit 3\n", "printed no URL: port in use"},
           {"exit 0\n", "exited before it listened"}}) {
    { std::ofstream(local) << "#!/bin/sh\n" << script; }
    std::filesystem::permissions(local, std::filesystem::perms::owner_all);
    auto r = ivsrt_local_test::run({quickstart});
    INFO(r.out + r.err);
    REQUIRE(r.exit_code == 1);
    REQUIRE(r.err.find(says) != std::string::npos);
  }
}

TEST_CASE("ivsrt-local: --tls writes the CA file clients verify with", "[local][process][tls]") {
  ivsrt_local_test::temp_dir dir;
  local_process local({"--port", "0", "--tls", "--tls-dir", dir.path()});
  REQUIRE(local.url.rfind("https://", 0) == 0);
  must(client_for(local.url, "us-east-1", "test", "test", dir.file("ca.pem")).send(ListStagesRequest{}));
  REQUIRE(fails(client_for(local.url).send(ListStagesRequest{})).code == "tls_failed");
}

namespace {

// The AWS CLI with test credentials and a temporary HOME, so no real configuration is read.
struct aws_cli {
  std::vector<std::string> env;
  std::string endpoint;
  std::vector<std::string> extra;

  aws_cli(const ivsrt_local_test::temp_dir& home, std::string endpoint_url)
      : endpoint(std::move(endpoint_url)) {
    const char* path = std::getenv("PATH");
    env = {"PATH=" + std::string(path != nullptr ? path : "/usr/bin:/bin"),
           "HOME=" + home.path(),
           "AWS_ACCESS_KEY_ID=test",
           "AWS_SECRET_ACCESS_KEY=test",
           "AWS_DEFAULT_REGION=us-east-1",
           "AWS_CONFIG_FILE=" + home.file("config"),
           "AWS_SHARED_CREDENTIALS_FILE=" + home.file("credentials"),
           "AWS_PAGER=",
           "LC_ALL=C.UTF-8"};
  }

  ivsrt_local_test::run_result operator()(std::vector<std::string> args) const {
    std::vector<std::string> argv{"aws", "ivs-realtime"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--endpoint-url", endpoint, "--output", "json"});
    argv.insert(argv.end(), extra.begin(), extra.end());
    return ivsrt_local_test::run(argv, env, false);
  }

  template <class T>
  T ok(std::vector<std::string> args) const {
    auto r = (*this)(args);
    INFO(args[0] + ": " + r.err);
    REQUIRE(r.exit_code == 0);
    return r.out.empty() ? T{} : parse<T>(r.out);
  }
};

}  // namespace

TEST_CASE("interop: a lifecycle driven by the AWS CLI", "[local][interop]") {
  if (!ivsrt_local_test::on_path("aws")) IVSRT_SKIP("the AWS CLI is not installed");
  running_service local;
  ivsrt_local_test::temp_dir home;
  aws_cli aws(home, local.svc.endpoint_url());

  auto stage = aws.ok<CreateStageResponse>(
      {"create-stage", "--name", "cli-stage", "--participant-token-configurations",
       R"([{"userId":"cli-host","capabilities":["PUBLISH","SUBSCRIBE"],"attributes":{"seat":"1"}}])",
       "--tags", "team=cli"});
  const std::string arn = stage.stage->arn;
  REQUIRE(stage.stage->tags->at("team") == "cli");
  REQUIRE(stage.participantTokens->at(0).userId == "cli-host");
  auto token = aws.ok<CreateParticipantTokenResponse>(
      {"create-participant-token", "--stage-arn", arn, "--user-id", "cli-guest", "--duration", "30"});
  REQUIRE(token.participantToken->duration == 30);

  auto host = must(local.svc.join(arn, stage.participantTokens->at(0).token->reveal()));
  must(local.svc.publish(arn, host.participantId));
  auto participants = aws.ok<ListParticipantsResponse>(
      {"list-participants", "--stage-arn", arn, "--session-id", host.sessionId});
  REQUIRE(participants.participants.size() == 1);
  REQUIRE(participants.participants[0].userId == "cli-host");
  auto events =
      aws.ok<ListParticipantEventsResponse>({"list-participant-events", "--stage-arn", arn, "--session-id",
                                             host.sessionId, "--participant-id", host.participantId});
  REQUIRE(events.events.size() == 2);

  aws.ok<TagResourceResponse>({"tag-resource", "--resource-arn", arn, "--tags", "env=ci"});
  aws.ok<UntagResourceResponse>({"untag-resource", "--resource-arn", arn, "--tag-keys", "team"});
  REQUIRE(aws.ok<ListTagsForResourceResponse>({"list-tags-for-resource", "--resource-arn", arn}).tags ==
          Tags{{"env", "ci"}});

  // Pages by hand with --next-token, and pages the CLI follows by itself (botocore has paginators
  // for a few list operations, ListIngestConfigurations among them).
  for (int i = 0; i < 4; ++i)
    aws.ok<CreateStageResponse>({"create-stage", "--name", "more-" + std::to_string(i)});
  std::vector<std::string> walked;
  std::string next;
  do {
    std::vector<std::string> args{"list-stages", "--max-results", "2"};
    if (!next.empty()) args.insert(args.end(), {"--next-token", next});
    auto page = aws.ok<ListStagesResponse>(args);
    REQUIRE(page.stages.size() <= 2);
    for (const auto& s : page.stages) walked.push_back(s.arn);
    next = page.nextToken.value_or("");
  } while (!next.empty());
  REQUIRE(walked.size() == 5);
  REQUIRE(walked[0] == arn);
  for (int i = 0; i < 5; ++i) {
    aws.ok<CreateIngestConfigurationResponse>({"create-ingest-configuration", "--ingest-protocol", "RTMPS"});
  }
  REQUIRE(aws.ok<ListIngestConfigurationsResponse>({"list-ingest-configurations", "--page-size", "2"})
              .ingestConfigurations.size() == 5);

  auto encoder = aws.ok<CreateEncoderConfigurationResponse>(
      {"create-encoder-configuration", "--name", "cli-enc", "--video",
       "width=1280,height=720,framerate=30,bitrate=2500000"});
  auto storage = aws.ok<CreateStorageConfigurationResponse>(
      {"create-storage-configuration", "--name", "cli-store", "--s3", "bucketName=cli-bucket"});
  auto composition = aws.ok<StartCompositionResponse>(
      {"start-composition", "--stage-arn", arn, "--destinations",
       R"([{"s3":{"storageConfigurationArn":")" + storage.storageConfiguration->arn +
           R"(","encoderConfigurationArns":[")" + encoder.encoderConfiguration->arn + R"("]}}])"});
  REQUIRE(composition.composition->state == CompositionState::STARTING);
  local.svc.advance_clock(std::chrono::seconds(1));
  REQUIRE(aws.ok<GetCompositionResponse>({"get-composition", "--arn", composition.composition->arn})
              .composition->state == CompositionState::ACTIVE);
  auto in_use = aws({"delete-encoder-configuration", "--arn", encoder.encoderConfiguration->arn});
  REQUIRE(in_use.exit_code != 0);
  REQUIRE(in_use.err.find("ConflictException") != std::string::npos);
  aws.ok<StopCompositionResponse>({"stop-composition", "--arn", composition.composition->arn});

  // Errors reach the CLI with their code and message.
  auto missing = aws({"get-stage", "--arn", "arn:aws:ivs:us-east-1:123456789012:stage/missingABCDE"});
  REQUIRE(missing.exit_code != 0);
  REQUIRE(missing.err.find("ResourceNotFoundException") != std::string::npos);
  REQUIRE(missing.err.find("missingABCDE not found") != std::string::npos);
  aws_cli wrong = aws;
  for (auto& e : wrong.env) {
    if (e.rfind("AWS_SECRET_ACCESS_KEY=", 0) == 0) e = "AWS_SECRET_ACCESS_KEY=wrong";
  }
  auto refused = wrong({"list-stages"});
  REQUIRE(refused.exit_code != 0);
  REQUIRE(refused.err.find("InvalidSignatureException") != std::string::npos);

  aws.ok<DeleteStageResponse>({"delete-stage", "--arn", arn});
  REQUIRE(fails(local.client().send(GetStageRequest{.arn = arn})).code == "ResourceNotFoundException");
}

TEST_CASE("interop: the AWS CLI over HTTPS with the generated CA", "[local][interop][tls]") {
  if (!ivsrt_local_test::on_path("aws")) IVSRT_SKIP("the AWS CLI is not installed");
  local::service_options options;
  options.tls = true;
  running_service local(options);
  ivsrt_local_test::temp_dir home;
  aws_cli aws(home, local.svc.endpoint_url());
  auto untrusted = aws({"list-stages"});
  REQUIRE(untrusted.exit_code != 0);
  REQUIRE(untrusted.err.find("SSL") != std::string::npos);
  aws.extra = {"--ca-bundle", local.svc.ca_file()};
  aws.ok<CreateStageResponse>({"create-stage", "--name", "over-tls"});
  REQUIRE(aws.ok<ListStagesResponse>({"list-stages"}).stages.size() == 1);
}

TEST_CASE("interop: boto3 paginators, modeled exceptions and TLS", "[local][interop][tls]") {
  if (!ivsrt_local_test::on_path("python3") ||
      ivsrt_local_test::run({"python3", "-c", "import boto3"}).exit_code != 0) {
    IVSRT_SKIP("python3 with boto3 is not installed");
  }
  local::service_options options;
  options.tls = true;
  running_service local(options);
  ivsrt_local_test::temp_dir home;
  const char* script = R"PY(
import datetime, json, os, sys
import boto3
c = boto3.client("ivs-realtime", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test", verify=os.environ["CA"])
arns = [c.create_stage(name="boto-%d" % i, tags={"i": str(i)})["stage"]["arn"] for i in range(5)]
seen, kwargs = [], {"maxResults": 2}
while True:
    page = c.list_stages(**kwargs)
    seen += [s["arn"] for s in page["stages"]]
    if "nextToken" not in page:
        break
    kwargs["nextToken"] = page["nextToken"]
assert seen == arns, (seen, arns)
for i in range(5):
    c.create_ingest_configuration(ingestProtocol="RTMPS", name="boto-%d" % i)
pages = list(c.get_paginator("list_ingest_configurations").paginate(PaginationConfig={"PageSize": 2}))
assert [len(p["ingestConfigurations"]) for p in pages] == [2, 2, 1], pages
try:
    c.get_stage(arn=arns[0] + "x")
    sys.exit("expected an error")
except c.exceptions.ResourceNotFoundException as e:
    message = e.response["Error"]["Message"]
    assert "not found" in message, message
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404
token = c.create_participant_token(stageArn=arns[0], duration=10)["participantToken"]
assert isinstance(token["expirationTime"], datetime.datetime)
try:
    c.create_stage(name="has spaces")
    sys.exit("expected a validation error")
except c.exceptions.ValidationException as e:
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "name" in e.response["Error"]["Message"], e.response
print(json.dumps({"arns": arns, "participantId": token["participantId"]}))
)PY";
  auto r = ivsrt_local_test::run(
      {"python3", "-c", script},
      {"ENDPOINT=" + local.svc.endpoint_url(), "CA=" + local.svc.ca_file(), "HOME=" + home.path(),
       "AWS_CONFIG_FILE=" + home.file("config"), "AWS_SHARED_CREDENTIALS_FILE=" + home.file("credentials")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto out = parse<ivsrt_local_interop::script_output>(r.out);
  REQUIRE(out.arns.size() == 5);
  auto c = local.client();
  for (const auto& arn : out.arns)
    REQUIRE(must(c.send(GetStageRequest{.arn = arn})).stage->name->rfind("boto-", 0) == 0);
}
