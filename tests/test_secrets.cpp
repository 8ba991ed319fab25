// Secrets never leak: calls with credentials from the environment (with a session token), from a
// credential_process and from IAM Identity Center run through the library with logging on and
// through ivsrt-cli with --debug and --dry-run, including error paths where the service quotes the
// request back. Every log line, stdout, stderr, error message and exception text is then searched
// for every secret the test used, and for every signature the server saw.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "aws_sandbox.hpp"
#include "catch.hpp"
#include "child_process.hpp"
#include "ivsrt/call_pipeline.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/model/ingest_configuration.hpp"
#include "ivsrt/model/participant_token.hpp"
#include "ivsrt/model/stage.hpp"
#include "recording_server.hpp"
#include "test_client.hpp"
#include "test_env.hpp"

using namespace ivsrt;
using ivsrt_test::received;
using ivsrt_test::recording_server;
using ivsrt_test::reply;

namespace {

const std::string kEnvSecret = "envSECRETwJalrXUtnFEMI/K7MDENG+bPxRfi";
const std::string kEnvToken = "envTOKEN-FQoGZXIvYXdz/EXAMPLE/session";
// The token as a JSON writer may write it, with '/' escaped.
const std::string kEnvTokenEscaped = "envTOKEN-FQoGZXIvYXdz\\/EXAMPLE\\/session";
const std::string kProcSecret = "procSECRET-9c1f0b2e7d4a";
const std::string kProcToken = "procTOKEN-IQoJb3JpZ2luX2VjEXAMPLE";
const std::string kSsoAccessToken = "ssoACCESS-aoa-token-value-1234";
const std::string kSsoSecret = "ssoSECRET-5e6f7a8b9c0d";
const std::string kSsoToken = "ssoTOKEN-session-value-abcdef";
const std::string kParticipantToken = "eyJhbGciOiJLTVMifQ.participant-TOKEN-secret";
const std::string kStreamKey = "sk_us-west-2_STREAMKEYsecret0123";

std::string escape_slashes(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '/') out += '\\';
    out += c;
  }
  return out;
}

std::string iso_in(std::chrono::hours h) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + h);
  char buf[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

reply json_reply(std::string body, int status = 200, std::string error_type = {}) {
  reply r{.status = status,
          .header_list = {{"Content-Type", "application/json"}},
          .body = std::move(body),
          .delay_ms = 0};
  if (!error_type.empty()) r.header_list.emplace_back("x-amzn-ErrorType", error_type);
  return r;
}

// The IVS service: token and stream key in responses, and errors that quote the request back.
reply ivs(const received& r) {
  if (r.path == "/CreateParticipantToken") {
    return json_reply(R"({"participantToken":{"participantId":"p","token":")" + kParticipantToken + R"("}})");
  }
  if (r.path == "/GetIngestConfiguration") {
    return json_reply(R"({"ingestConfiguration":{"arn":"arn:i","ingestProtocol":"RTMPS","streamKey":")" +
                      kStreamKey + R"(","stageArn":"s","participantId":"p","state":"ACTIVE"}})");
  }
  if (r.path == "/GetStage") {
    // What a signature mismatch looks like: the canonical request with the token, and the signature
    // (in a second member with '/' escaped, as a JSON writer may write it).
    const std::string auth = r.header("Authorization");
    const std::string quoted = "x-amz-security-token:" + r.header("X-Amz-Security-Token") + " got " +
                               auth.substr(auth.find("Signature="));
    return json_reply(
        R"({"message":"The request signature we calculated does not match. Canonical request: )" + quoted +
            R"(","detail":")" + escape_slashes(quoted) + R"("})",
        403, "SignatureDoesNotMatch");
  }
  std::string echoed = r.body.substr(0, 60);
  for (char& ch : echoed) ch = ch == '"' ? '\'' : ch;
  return json_reply(R"({"message":"Invalid request body: )" + echoed + R"("})", 400, "ValidationException");
}

struct capture {
  std::string where;
  std::string text;
  std::vector<std::string> allowed{};  // secrets this text may hold: the call's own output
};

void require_clean(const std::vector<capture>& captures, const std::vector<std::string>& secrets) {
  for (const auto& c : captures) {
    for (const auto& s : secrets) {
      if (std::find(c.allowed.begin(), c.allowed.end(), s) != c.allowed.end()) continue;
      INFO(c.where << " holds a secret: " << s << "\n" << c.text);
      REQUIRE(c.text.find(s) == std::string::npos);
    }
  }
}

std::string signature_of(const received& r) {
  const std::string auth = r.header("Authorization");
  const std::size_t at = auth.find("Signature=");
  return at == std::string::npos ? std::string() : auth.substr(at + 10);
}

}  // namespace

TEST_CASE("no secret appears in logs, --debug, --dry-run, errors or exception text", "[secrets][wire]") {
  ivsrt_test::aws_sandbox box;
  recording_server service;
  recording_server portal;
  service.set_handler(&ivs);
  portal.set_handler([](const received& r) {
    if (r.header("x-amz-sso_bearer_token") != kSsoAccessToken) return json_reply(R"({"message":"no"})", 401);
    return json_reply(
        R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":")" + kSsoSecret +
        R"(","sessionToken":")" + kSsoToken + R"(","expiration":)" +
        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                           (std::chrono::system_clock::now() + std::chrono::hours(1)).time_since_epoch())
                           .count()) +
        "}}");
  });
  const std::string process =
      box.write("bin/creds.sh",
                "#!/bin/sh\nprintf '%s' '{\"Version\":1,\"AccessKeyId\":\"ASIAPROC\",\"SecretAccessKey\":\"" +
                    kProcSecret + "\",\"SessionToken\":\"" + kProcToken + "\",\"Expiration\":\"" +
                    iso_in(std::chrono::hours(2)) + "\"}'\n",
                true);
  box.config("[profile proc]\nregion = us-west-2\ncredential_process = " + process +
             "\n[sso-session abc]\nsso_region = us-west-2\nsso_start_url = https://corp.awsapps.com/start\n"
             "[profile sso]\nregion = us-west-2\nsso_session = abc\nsso_account_id = 111122223333\n"
             "sso_role_name = Dev\n");
  // The cache file of sso-session "abc" is named by SHA-1("abc") (FIPS 180 test vector).
  box.write(".aws/sso/cache/a9993e364706816aba3e25717850c26c9cd0d89d.json",
            R"({"startUrl":"https://corp.awsapps.com/start","region":"us-west-2","accessToken":")" +
                kSsoAccessToken + R"(","expiresAt":")" + iso_in(std::chrono::hours(2)) + "\"}");
  box.set("AWS_ENDPOINT_URL_SSO", portal.url());

  std::vector<capture> captures;
  const std::vector<std::string> outputs = {kParticipantToken, kStreamKey};

  SECTION("the library, with logging on") {
    for (const std::string profile : {"env", "proc", "sso"}) {
      ivsrt_test::scoped_env env(
          {{"AWS_ACCESS_KEY_ID", profile == "env" ? std::optional<std::string>("AKIAENV") : std::nullopt},
           {"AWS_SECRET_ACCESS_KEY", profile == "env" ? std::optional(kEnvSecret) : std::nullopt},
           {"AWS_SESSION_TOKEN", profile == "env" ? std::optional(kEnvToken) : std::nullopt}});
      std::string log;
      auto c = client::create({.region = "us-west-2",
                               .profile = profile == "env" ? std::string() : profile,
                               .endpoint_url = service.url(),
                               .log = [&](std::string_view line) { (log += line) += '\n'; },
                               .retry = {.max_attempts = 2, .sleep = [](std::chrono::nanoseconds) {}}});
      REQUIRE(c.ok());
      auto token = c->send(CreateParticipantTokenRequest{.stageArn = "arn:s"});
      REQUIRE(token.ok());
      REQUIRE(token->participantToken->token->reveal() == kParticipantToken);
      auto ingest = c->send(GetIngestConfigurationRequest{.arn = "arn:i"});
      REQUIRE(ingest.ok());
      REQUIRE(ingest->ingestConfiguration->streamKey.reveal() == kStreamKey);
      for (const auto& e : {c->send(GetStageRequest{.arn = "arn:s"}).error(),
                            c->send(ListStagesRequest{.nextToken = "t"}).error()}) {
        REQUIRE(e.kind == error_kind::service);
        captures.push_back({profile + " error", e.describe() + " " + e.code + " " + e.request_id + "\n" +
                                                    e.response_headers + "\n" + e.response_body});
#if defined(__cpp_exceptions)
        captures.push_back({profile + " exception", ivsrt::exception(e).what()});
#endif
      }
      REQUIRE(captures.back().text.find("Invalid request body") != std::string::npos);
      auto dry = c->dry_run(CreateParticipantTokenRequest{.stageArn = "arn:s"});
      REQUIRE(dry.ok());
      std::string shown = dry->method + " " + dry->url + "\n" + dry->body;
      for (const auto& [k, v] : dry->headers) shown += k + ": " + v + "\n";
      captures.push_back({profile + " dry run", shown});
      captures.push_back({profile + " log", log});
      REQUIRE(log.find("-> POST") != std::string::npos);
    }
    // The signature-mismatch message was kept, with the quoted secrets blanked out.
    const std::string blanked = "x-amz-security-token:" + std::string(redacted);
    bool scrubbed = false;
    for (const auto& c : captures) scrubbed = scrubbed || c.text.find(blanked) != std::string::npos;
    REQUIRE(scrubbed);
  }

  SECTION("ivsrt-cli with --debug and --dry-run") {
    const std::vector<std::string> base = {"HOME=" + box.dir().string(),
                                           "AWS_CONFIG_FILE=" + box.path("config"),
                                           "AWS_SHARED_CREDENTIALS_FILE=" + box.path("credentials"),
                                           "AWS_EC2_METADATA_DISABLED=true",
                                           "AWS_ENDPOINT_URL_SSO=" + portal.url(),
                                           "AWS_REGION=us-west-2",
                                           "AWS_MAX_ATTEMPTS=1"};
    struct command {
      std::vector<std::string> args;
      std::vector<std::string> output_holds;
    };
    const std::vector<command> commands = {
        {{"create-participant-token", "--stage-arn", "arn:s"}, {kParticipantToken}},
        {{"get-ingest-configuration", "--arn", "arn:i"}, {kStreamKey}},
        {{"get-stage", "--arn", "arn:s"}, {}},
        {{"list-stages", "--next-token", "t"}, {}},
    };
    for (const std::string profile : {"env", "proc", "sso"}) {
      std::vector<std::string> env = base;
      if (profile == "env") {
        env.insert(env.end(), {"AWS_ACCESS_KEY_ID=AKIAENV", "AWS_SECRET_ACCESS_KEY=" + kEnvSecret,
                               "AWS_SESSION_TOKEN=" + kEnvToken});
      } else {
        env.push_back("AWS_PROFILE=" + profile);
      }
      for (const auto& cmd : commands) {
        for (const char* mode : {"--debug", "--dry-run"}) {
          std::vector<std::string> args = {"--endpoint-url", service.url(), mode};
          args.insert(args.end(), cmd.args.begin(), cmd.args.end());
          const auto r = ivsrt_test::run_process(IVSRT_CLI_PATH, args, env);
          const std::string where = profile + " " + cmd.args[0] + " " + mode;
          INFO(where << "\n" << r.err);
          REQUIRE(r.exit_code != -1);
          if (std::string(mode) == "--dry-run") REQUIRE(r.exit_code == 0);
          captures.push_back({where + " stderr", r.err});
          captures.push_back({where + " stdout", r.out, cmd.output_holds});
          if (!cmd.output_holds.empty() && std::string(mode) == "--debug") {
            REQUIRE(r.out.find(cmd.output_holds[0]) != std::string::npos);
          }
        }
      }
    }
  }

  std::vector<std::string> secrets = {kEnvSecret,        kEnvToken,       kEnvTokenEscaped, kProcSecret,
                                      kProcToken,        kSsoAccessToken, kSsoSecret,       kSsoToken,
                                      kParticipantToken, kStreamKey};
  std::size_t signatures = 0;
  for (const auto& r : service.requests()) {
    const std::string sig = signature_of(r);
    REQUIRE(sig.size() == 64);
    secrets.push_back(sig);
    ++signatures;
  }
  REQUIRE(signatures >= 12);
  REQUIRE(portal.count() >= 1);
  require_clean(captures, secrets);
}

TEST_CASE("a response body with a secret in it is overwritten in the kept buffers when the call ends",
          "[secrets][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  recording_server server;
  server.set_handler(ivs);
  auto c = ivsrt_test::make_client(server, {.retry = {.max_attempts = 1}});
  auto token =
      c.send(CreateParticipantTokenRequest{.stageArn = "arn:aws:ivs:us-west-2:123456789012:stage/a"});
  REQUIRE(token.ok());
  REQUIRE(token->participantToken->token->reveal() == kParticipantToken);
  auto key = c.send(
      GetIngestConfigurationRequest{.arn = "arn:aws:ivs:us-west-2:123456789012:ingest-configuration/a"});
  REQUIRE(key.ok());
  REQUIRE(key->ingestConfiguration->streamKey.reveal() == kStreamKey);
  // The buffers this thread's calls reuse: nothing of either body is left in them, not even past
  // the end of the (now empty) text.
  ivsrt::detail::thread_buffers kept(false);
  const std::string& body = kept.response().body;
  const std::string_view everything(body.data(), body.capacity());
  REQUIRE(everything.find(kParticipantToken) == std::string_view::npos);
  REQUIRE(everything.find(kStreamKey) == std::string_view::npos);
  REQUIRE(everything.find("participantToken") == std::string_view::npos);
}
