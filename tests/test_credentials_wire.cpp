// The credential providers against real peers: credential_process programs written by the test,
// and loopback servers standing in for EC2 instance metadata, the container endpoint, STS and
// the SSO portal, each checking what the client sent. Then the client itself: lazy resolution,
// region and profile, and secrets kept out of logs and errors.
#include <fcntl.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "aws_sandbox.hpp"
#include "catch.hpp"
#include "credential_test_tools.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/container_credentials.hpp"
#include "ivsrt/credentials_cache.hpp"
#include "ivsrt/default_chain.hpp"
#include "ivsrt/imds_credentials.hpp"
#include "ivsrt/model/stage.hpp"
#include "recording_server.hpp"

using namespace ivsrt;
using namespace std::chrono_literals;
using ivsrt_test::aws_sandbox;
using ivsrt_test::chain;
using ivsrt_test::contains;
using ivsrt_test::iso;
using ivsrt_test::now;
using ivsrt_test::read_json_text;
using ivsrt_test::read_text;
using ivsrt_test::received;
using ivsrt_test::recording_server;
using ivsrt_test::reply;
using ivsrt_test::require_clean;

namespace {

// Decodes an application/x-www-form-urlencoded body (the test's own decoder).
std::map<std::string, std::string> form(std::string_view body) {
  auto decode = [](std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out += ' ';
      } else if (s[i] == '%' && i + 2 < s.size()) {
        out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view kv = body.substr(start, end - start);
    const std::size_t eq = kv.find('=');
    if (!kv.empty()) {
      out[decode(kv.substr(0, eq))] = eq == std::string_view::npos ? "" : decode(kv.substr(eq + 1));
    }
    start = end + 1;
  }
  return out;
}

// The SSO token cache file of sso-session "abc", named by SHA-1("abc") (FIPS 180 test vector).
constexpr const char* kSsoCacheFile = ".aws/sso/cache/a9993e364706816aba3e25717850c26c9cd0d89d.json";

// Writes a botocore script into the sandbox and runs it with python3; true when it exits with 0.
bool run_botocore(const aws_sandbox& box, std::string_view name, std::string_view script) {
  return std::system(("python3 '" + box.write(name, script) + "'").c_str()) == 0;
}

bool botocore_installed() {
  return std::system("python3 -c 'import botocore.session, botocore.tokens' >/dev/null 2>&1") == 0;
}

// Two requests (ivsrt's and botocore's) have the same method, target and content type.
void require_same_start(const received& ours, const received& boto) {
  REQUIRE(ours.method == boto.method);
  REQUIRE(ours.target == boto.target);
  REQUIRE(ours.header("Content-Type") == boto.header("Content-Type"));
}

std::string sha1_hex(std::string_view s) {
  unsigned char d[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : d) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

reply text_reply(std::string body, int status = 200, std::string type = "text/plain") {
  return reply{.status = status,
               .header_list = {{"Content-Type", std::move(type)}},
               .body = std::move(body),
               .delay_ms = 0};
}

std::string sts_xml(std::string_view action, std::string_view key, std::string_view secret,
                    std::string_view token, timestamp expires, std::string_view account = "123456789012") {
  const std::string a(action);
  return "<" + a + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" + a +
         "Result><AssumedRoleUser><Arn>arn:aws:sts::" + std::string(account) +
         ":assumed-role/r/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></"
         "AssumedRoleUser><Credentials><AccessKeyId>" +
         std::string(key) + "</AccessKeyId><SecretAccessKey>" + std::string(secret) +
         "</SecretAccessKey><SessionToken>" + std::string(token) + "</SessionToken><Expiration>" +
         iso(expires) + "</Expiration></Credentials></" + a +
         "Result><ResponseMetadata><RequestId>req-sts</RequestId>"
         "</ResponseMetadata></" +
         a + "Response>";
}

std::string metadata_json(std::string_view key, std::string_view secret, std::string_view token,
                          timestamp expires) {
  return R"({"Code":"Success","LastUpdated":"2024-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":")" +
         std::string(key) + R"(","SecretAccessKey":")" + std::string(secret) + R"(","Token":")" +
         std::string(token) + R"(","Expiration":")" + iso(expires) + R"("})";
}

}  // namespace

TEST_CASE("credential_process: a real program's JSON, its arguments, stderr kept apart",
          "[credentials][process]") {
  aws_sandbox box;
  const std::string expires = iso(now() + 1h);
  const std::string script =
      box.write("bin/creds tool.sh",
                "#!/bin/sh\n"
                "echo 'warming up: this is not JSON' >&2\n"
                "printf '%s|%s' \"$1\" \"$2\" > \"$HOME/args\"\n"
                "echo '{\"Version\": 1, \"AccessKeyId\": \"AKPROC\", \"SecretAccessKey\": "
                "\"proc-secret\", \"SessionToken\": \"proc-token\", \"Expiration\": \"" +
                    expires +
                    "\"}'\n"
                    "echo 'done' >&2\n",
                true);
  box.config("[default]\ncredential_process = \"" + script + "\" \"first arg\" 'second $HOME'\n");
  std::vector<std::string> lines;
  auto p = chain(lines);
  REQUIRE(contains(p->describe(), "credential_process"));
  auto c = p->resolve();
  INFO((c.ok() ? std::string() : c.error().message));
  REQUIRE(c.ok());
  REQUIRE(c->access_key_id == "AKPROC");
  REQUIRE(c->secret_access_key.reveal() == "proc-secret");
  REQUIRE(c->session_token->reveal() == "proc-token");
  REQUIRE(iso(*c->expiration) == expires);
  std::ifstream args(box.path("args"));
  std::string seen((std::istreambuf_iterator<char>(args)), std::istreambuf_iterator<char>());
  REQUIRE(seen == "first arg|second $HOME");  // no shell: no expansion
  REQUIRE_FALSE(c->account_id);

  // The profile's aws_account_id when the output names no AccountId; the output's when it does.
  const std::string with_account = box.write("bin/with-account.sh",
                                             R"(#!/bin/sh
echo '{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"S","AccountId":"222233334444"}'
)",
                                             true);
  box.config("[default]\ncredential_process = \"" + script + "\"\naws_account_id = 111122223333\n");
  REQUIRE(chain(lines)->resolve()->account_id == "111122223333");
  box.config("[default]\ncredential_process = " + with_account + "\naws_account_id = 111122223333\n");
  REQUIRE(chain(lines)->resolve()->account_id == "222233334444");
  require_clean(lines, {"proc-secret", "proc-token"});

  // A descriptor the application opened without close-on-exec does not reach the program.
  const int opened = ::open("/dev/null", O_RDONLY);  // NOLINT(android-cloexec-open): inheritable on purpose
  const int kept = ::fcntl(opened, F_DUPFD, 200);    // far from the descriptors sh opens itself
  ::close(opened);
  REQUIRE(kept >= 200);
  const std::string fd_check = box.write(
      "bin/fd-check.sh",
      "#!/bin/sh\n[ -e /proc/self/fd/" + std::to_string(kept) + " ] && key=AKLEAKED || key=AKCLOSED\n" + R"(
echo '{"Version":1,"AccessKeyId":"'$key'","SecretAccessKey":"S"}'
)",
      true);
  box.config("[default]\ncredential_process = " + fd_check + "\n");
  const auto closed = chain(lines)->resolve();
  ::close(kept);
  REQUIRE(closed.ok());
  REQUIRE(closed->access_key_id == "AKCLOSED");
}

TEST_CASE("credential_process failures: bad JSON, wrong Version, exit status, hang, missing program",
          "[credentials][process]") {
  aws_sandbox box;
  std::vector<std::string> lines;
  auto run = [&](const std::string& body, credential_chain_settings settings = {}) {
    const std::string script = box.write("creds.sh", "#!/bin/sh\n" + body, true);
    box.config("[default]\ncredential_process = " + script + "\n");
    auto r = chain(lines, std::move(settings))->resolve();
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().kind == error_kind::credentials);
    REQUIRE_FALSE(contains(r.error().message, "leaked-secret"));
    return r.error();
  };
  auto e = run("echo 'AccessKeyId=AK SecretAccessKey=leaked-secret'\n");
  REQUIRE(e.code == "InvalidCredentialProcessOutput");
  REQUIRE(contains(e.message, "not the expected JSON"));
  e = run("echo '{\"Version\": 2, \"AccessKeyId\": \"AK\", \"SecretAccessKey\": \"leaked-secret\"}'\n");
  REQUIRE(contains(e.message, "Version 2"));
  e = run("echo 'please run: tool login' >&2\necho '{\"Version\": 1}'\nexit 3\n");
  REQUIRE(e.code == "ProcessFailed");
  REQUIRE(contains(e.message, "exited with status 3: please run: tool login"));
  e = run("head -c 100000 /dev/zero\n");
  REQUIRE(e.code == "ProcessOutputTooLarge");
  const auto started = std::chrono::steady_clock::now();
  e = run("exec sleep 30\n", {.process_timeout = 300ms, .mfa_token_code = {}});
  REQUIRE(e.code == "ProcessTimedOut");
  REQUIRE(std::chrono::steady_clock::now() - started < 10s);
  box.config("[default]\ncredential_process = " + box.path("no-such-program") + " --flag\n");
  auto missing = chain(lines)->resolve();
  REQUIRE(missing.error().code == "ProcessFailed");
  REQUIRE(contains(missing.error().message, "cannot run"));
  box.config("[default]\ncredential_process = \"unterminated\n");
  auto bad = default_chain({});
  REQUIRE(bad.error().kind == error_kind::configuration);
}

TEST_CASE("instance metadata: IMDSv2 token, role listing, credentials; nothing before first use",
          "[credentials][imds]") {
  aws_sandbox box;
  recording_server imds;
  const std::string expires = iso(now() + 6h);
  imds.set_handler([&](const received& r) {
    if (r.method == "PUT" && r.path == "/latest/api/token") return text_reply("imds-session-token");
    if (r.header("x-aws-ec2-metadata-token") != "imds-session-token") return text_reply("", 401);
    if (r.path == "/latest/meta-data/iam/security-credentials-extended/") return text_reply("web-role\n");
    if (r.path == "/latest/meta-data/iam/security-credentials-extended/web-role") {
      std::string doc = metadata_json("ASIAIMDS", "imds-secret", "imds-token", now() + 6h);
      doc.insert(doc.size() - 1, R"(,"AccountId":"123456789012","Unexpected":{"Name":"ignored"})");
      return text_reply(doc, 200, "text/plain");
    }
    return text_reply("", 404);
  });
  box.unset("AWS_EC2_METADATA_DISABLED");
  box.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  std::vector<std::string> lines;
  auto p = chain(lines);
  REQUIRE(imds.count() == 0);
  auto c = p->resolve();
  INFO((c.ok() ? std::string() : c.error().message));
  REQUIRE(c.ok());
  REQUIRE(c->access_key_id == "ASIAIMDS");
  REQUIRE(c->secret_access_key.reveal() == "imds-secret");
  REQUIRE(c->session_token->reveal() == "imds-token");
  REQUIRE(c->account_id == "123456789012");
  const auto reqs = imds.requests();
  REQUIRE(reqs.size() == 3);
  REQUIRE(reqs[0].method == "PUT");
  REQUIRE(reqs[0].path == "/latest/api/token");
  REQUIRE(reqs[0].header("x-aws-ec2-metadata-token-ttl-seconds") == "21600");
  REQUIRE(reqs[0].body.empty());
  REQUIRE_FALSE(reqs[0].has_header("x-aws-ec2-metadata-token"));
  REQUIRE_FALSE(reqs[0].has_header("Content-Type"));
  REQUIRE(reqs[1].method == "GET");
  REQUIRE(reqs[1].path == "/latest/meta-data/iam/security-credentials-extended/");
  REQUIRE(reqs[2].path == "/latest/meta-data/iam/security-credentials-extended/web-role");
  REQUIRE(reqs[2].header("x-aws-ec2-metadata-token") == "imds-session-token");
  require_clean(lines, {"imds-secret", "imds-token", "imds-session-token"});

  // As botocore does: a token request refused (403, 404, 405) or answered otherwise than 200 or 400
  // falls back to IMDSv1, the same requests without a token. (This stand-in has only the legacy
  // API: the extended one answers 404.)
  int token_status = 403;
  imds.set_handler([&](const received& r) {
    if (r.method == "PUT") return text_reply("", token_status);
    if (r.has_header("x-aws-ec2-metadata-token")) return text_reply("", 400);
    if (r.path == "/latest/meta-data/iam/security-credentials/") return text_reply("v1-role\n");
    if (r.path == "/latest/meta-data/iam/security-credentials/v1-role") {
      return text_reply(metadata_json("ASIAV1", "imds-secret", "imds-token", now() + 6h));
    }
    return text_reply("", 404);
  });
  for (int status : {403, 404, 405, 500}) {
    imds.clear();
    token_status = status;
    auto v1 = chain(lines)->resolve();
    INFO(status << ": " << (v1.ok() ? std::string() : v1.error().message));
    REQUIRE(v1.ok());
    REQUIRE(v1->access_key_id == "ASIAV1");
    const auto v1_reqs = imds.requests();
    REQUIRE(v1_reqs.size() == 4);
    REQUIRE(v1_reqs[1].path == "/latest/meta-data/iam/security-credentials-extended/");
    REQUIRE(v1_reqs[2].path == "/latest/meta-data/iam/security-credentials/");
    REQUIRE(v1_reqs[3].path == "/latest/meta-data/iam/security-credentials/v1-role");
    for (std::size_t i = 1; i < v1_reqs.size(); ++i)
      REQUIRE_FALSE(v1_reqs[i].has_header("x-aws-ec2-metadata-token"));
  }
  // 400 says the request itself was wrong: no fallback.
  imds.clear();
  token_status = 400;
  auto bad = p->resolve();
  REQUIRE_FALSE(bad.ok());
  REQUIRE(contains(bad.error().message, "token request answered HTTP 400"));
  REQUIRE(imds.count() == 1);

  // AWS_EC2_METADATA_V1_DISABLED, or the profile's ec2_metadata_v1_disabled, forbids the fallback.
  token_status = 403;
  for (bool from_env : {true, false}) {
    if (from_env) {
      box.set("AWS_EC2_METADATA_V1_DISABLED", "true");
    } else {
      box.unset("AWS_EC2_METADATA_V1_DISABLED");
      box.config("[default]\nec2_metadata_v1_disabled = TRUE\n");
    }
    imds.clear();
    auto refused = chain(lines)->resolve();
    REQUIRE_FALSE(refused.ok());
    INFO(refused.error().message);
    REQUIRE(contains(refused.error().message, "token request answered HTTP 403"));
    REQUIRE(contains(refused.error().message, "IMDSv1 is disabled"));
    REQUIRE(imds.count() == 1);
  }
  box.set("AWS_EC2_METADATA_V1_DISABLED", "false");  // the environment wins over the profile
  REQUIRE(chain(lines)->resolve()->access_key_id == "ASIAV1");
  box.unset("AWS_EC2_METADATA_V1_DISABLED");
  box.config("");

  imds.set_handler(
      [](const received& r) { return r.method == "PUT" ? text_reply("t") : text_reply("", 404); });
  auto no_role = p->resolve();
  REQUIRE(no_role.error().code == "NoCredentials");
  REQUIRE(contains(no_role.error().message, "no IAM role is attached"));
}

TEST_CASE("instance metadata: static stability keeps stale credentials in use for a while",
          "[credentials][imds]") {
  recording_server imds;
  timestamp expires = now() - 1h;
  int status = 200;  // of every answer after the token's
  imds.set_handler([&](const received& r) {
    if (r.method == "PUT") return text_reply("imds-session-token");
    if (status != 200) return text_reply("", status);
    if (r.path == "/latest/meta-data/iam/security-credentials-extended/") return text_reply("role");
    return text_reply(metadata_json("ASIASTALE", "stale-secret", "stale-token", expires));
  });
  std::vector<std::string> lines;  // since the step began
  std::vector<std::string> all;
  const imds_settings settings{.endpoint = imds.url(), .timeout = 1s, .attempts = 1, .v1_disabled = false};
  auto provider = [&] {
    return std::make_shared<imds_provider>(settings, [&](std::string_view l) {
      lines.emplace_back(l);
      all.emplace_back(l);
    });
  };
  // Between 10 and 15 minutes from the moment of the call.
  auto require_extended = [](const credentials& c, timestamp before, timestamp after) {
    REQUIRE(c.expiration.has_value());
    REQUIRE(*c.expiration >= std::chrono::floor<std::chrono::seconds>(before + 10min));
    REQUIRE(*c.expiration <= after + 15min);
  };

  // Credentials that come back expired are used, with a new expiry, and the caches take them.
  auto p = provider();
  timestamp before = now();
  auto stale = p->resolve();
  REQUIRE(stale.ok());
  require_extended(*stale, before, now());
  REQUIRE(stale->secret_access_key.reveal() == "stale-secret");
  REQUIRE(lines.size() == 1);
  REQUIRE(contains(lines[0], "answered with credentials that expired " + iso(expires)));
  REQUIRE(contains(lines[0], "static stability"));
  caching_provider cache(provider());
  auto cached = cache.resolve();
  INFO((cached.ok() ? std::string() : cached.error().message));
  REQUIRE(cached.ok());
  REQUIRE(cached->access_key_id == "ASIASTALE");

  // A failure after credentials that expire within 10 minutes: the last ones, extended.
  for (int failing : {404, 500}) {
    lines.clear();
    expires = now() + 5min;
    status = 200;
    p = provider();
    auto fresh = p->resolve();
    REQUIRE(fresh.ok());
    REQUIRE(*fresh->expiration == std::chrono::floor<std::chrono::seconds>(expires));
    REQUIRE(lines.empty());  // not expired: used as they are
    status = failing;
    before = now();
    auto kept = p->resolve();
    INFO(failing << ": " << (kept.ok() ? std::string() : kept.error().message));
    REQUIRE(kept.ok());
    REQUIRE(kept->access_key_id == "ASIASTALE");
    REQUIRE(kept->session_token->reveal() == "stale-token");
    require_extended(*kept, before, now());
    REQUIRE(lines.size() == 1);
    REQUIRE(contains(lines[0], "answered HTTP " + std::to_string(failing)));
    REQUIRE(contains(lines[0], "access key id ASIASTALE"));
  }

  // Credentials with more than 10 minutes left: the failure goes to the cache, which keeps them.
  lines.clear();
  expires = now() + 1h;
  status = 200;
  p = provider();
  REQUIRE(p->resolve().ok());
  status = 500;
  auto failed = p->resolve();
  REQUIRE_FALSE(failed.ok());
  REQUIRE(contains(failed.error().message, "answered HTTP 500"));
  // Nothing given yet: the failure as it is.
  auto none = provider()->resolve();
  REQUIRE_FALSE(none.ok());
  REQUIRE(lines.empty());
  require_clean(all, {"stale-secret", "stale-token", "imds-session-token"});
}

TEST_CASE("instance metadata: the extended API, else the legacy one; a replaced profile is listed again",
          "[credentials][imds]") {
  aws_sandbox box;
  recording_server imds;
  const std::string ext = "/latest/meta-data/iam/security-credentials-extended/";
  const std::string legacy = "/latest/meta-data/iam/security-credentials/";
  bool has_extended = true;
  std::string profile = "first";  // the instance's profile now
  imds.set_handler([&](const received& r) {
    if (r.method == "PUT") return text_reply("imds-session-token");
    for (const std::string& base : {ext, legacy}) {
      if (r.path.rfind(base, 0) != 0) continue;
      if (base == ext && !has_extended) break;
      const std::string rest = r.path.substr(base.size());
      if (rest.empty()) return text_reply(profile + "\n");
      if (rest != profile) break;
      std::string doc = metadata_json("ASIA" + profile, "imds-secret", "imds-token", now() + 6h);
      if (base == ext) doc.insert(doc.size() - 1, R"(,"AccountId":"111122223333")");
      return text_reply(doc);
    }
    return text_reply("", 404);
  });
  // The paths of the GETs since the last look.
  auto gets = [&] {
    std::vector<std::string> out;
    for (const received& r : imds.requests()) {
      if (r.method == "GET") out.push_back(r.path);
    }
    imds.clear();
    return out;
  };
  using paths = std::vector<std::string>;
  const imds_settings settings{.endpoint = imds.url(), .timeout = 1s, .attempts = 1, .v1_disabled = false};

  SECTION("the extended API gives the account id; the name is listed once, and again when replaced") {
    imds_provider p(settings);
    auto c = p.resolve();
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIAfirst");
    REQUIRE(c->account_id == "111122223333");
    REQUIRE(gets() == paths{ext, ext + "first"});
    REQUIRE(p.resolve().ok());
    REQUIRE(gets() == paths{ext + "first"});
    profile = "second";
    c = p.resolve();
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIAsecond");
    REQUIRE(gets() == paths{ext + "first", ext, ext + "second"});
  }

  SECTION("after the extended API's 404 the legacy one, from then on") {
    has_extended = false;
    imds_provider p(settings);
    auto c = p.resolve();
    REQUIRE(c.ok());
    REQUIRE_FALSE(c->account_id);
    REQUIRE(gets() == paths{ext, legacy, legacy + "first"});
    profile = "second";
    c = p.resolve();
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIAsecond");
    REQUIRE(gets() == paths{legacy + "first", legacy, legacy + "second"});
  }

  SECTION(
      "a configured profile is not listed; one the instance does not have is an error naming the setting") {
    has_extended = GENERATE(true, false);
    box.unset("AWS_EC2_METADATA_DISABLED");
    box.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
    std::vector<std::string> lines;
    for (bool from_env : {true, false}) {
      if (from_env) {
        box.set("AWS_EC2_INSTANCE_PROFILE_NAME", "first");
      } else {
        box.unset("AWS_EC2_INSTANCE_PROFILE_NAME");
        box.config("[default]\nec2_instance_profile_name = first\n");
      }
      auto c = chain(lines)->resolve();
      INFO((c.ok() ? std::string() : c.error().message));
      REQUIRE(c.ok());
      REQUIRE(c->access_key_id == "ASIAfirst");
      REQUIRE(gets() == (has_extended ? paths{ext + "first"} : paths{ext + "first", legacy + "first"}));
    }
    box.set("AWS_EC2_INSTANCE_PROFILE_NAME", "gone");
    auto missing = chain(lines)->resolve();
    REQUIRE_FALSE(missing.ok());
    INFO(missing.error().message);
    REQUIRE(contains(missing.error().message, "credentials of instance profile gone answered HTTP 404"));
    REQUIRE(contains(missing.error().message, "AWS_EC2_INSTANCE_PROFILE_NAME or ec2_instance_profile_name"));
    REQUIRE(gets() == paths{ext + "gone", legacy + "gone"});
  }
}

TEST_CASE("container credentials: Authorization from the token variable and the token file",
          "[credentials][container]") {
  aws_sandbox box;
  recording_server server;
  server.set_handler([&](const received& r) {
    if (r.header("Authorization").empty()) {
      return text_reply(R"({"code":"Denied","message":"no token"})", 403);
    }
    return text_reply(metadata_json("ASIACONT", "container-secret", "container-token", now() + 1h), 200,
                      "application/json");
  });
  box.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/v1/credentials?id=7");
  box.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "env-auth-token");
  std::vector<std::string> lines;
  auto p = chain(lines);
  REQUIRE(server.count() == 0);
  auto c = p->resolve();
  REQUIRE(c.ok());
  REQUIRE(c->access_key_id == "ASIACONT");
  REQUIRE(server.last().target == "/v1/credentials?id=7");
  REQUIRE(server.last().method == "GET");
  REQUIRE(server.last().header("Authorization") == "env-auth-token");

  // The file wins over the variable, and is read again on every fetch.
  box.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", box.write("token", "file-auth-token\n"));
  p = chain(lines);
  REQUIRE(p->resolve().ok());
  REQUIRE(server.last().header("Authorization") == "file-auth-token");
  box.write("token", "rotated-auth-token");
  REQUIRE(p->resolve().ok());
  REQUIRE(server.last().header("Authorization") == "rotated-auth-token");

  box.write("token", "two\r\nX-Injected: yes");
  const std::size_t before = server.count();
  auto injected = p->resolve();
  REQUIRE(injected.error().code == "InvalidAuthorizationToken");
  REQUIRE(server.count() == before);

  box.unset("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  box.unset("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  auto denied = chain(lines)->resolve();
  REQUIRE(denied.error().kind == error_kind::credentials);
  REQUIRE(contains(denied.error().message, "no token"));
  REQUIRE(denied.error().http_status == 403);
  require_clean(lines, {"container-secret", "container-token", "auth-token"});
}

TEST_CASE("container credentials: what is retried, and what a document must hold",
          "[credentials][container]") {
  recording_server server;
  std::vector<reply> answers;  // one per request, in order; then a good document
  server.set_handler([&](const received&) {
    if (answers.empty())
      return text_reply(metadata_json("ASIACONT", "container-secret", "container-token", now() + 1h));
    reply r = answers.front();
    answers.erase(answers.begin());
    return r;
  });
  container_provider p(
      container_settings{.url = server.url() + "/creds", .token_file = {}, .token = {}, .origin = "test"}, 3,
      1ms);
  auto run = [&](std::vector<reply> script) {
    answers = std::move(script);
    server.clear();
    return p.resolve();
  };

  // No JSON in a 2xx (a proxy's page, an agent still starting), a 5xx and 429 are tried again.
  for (const reply& flaky : {text_reply("<html>starting</html>", 200, "text/html"),
                             text_reply(R"({"code":"Busy"})", 503, "application/json"),
                             text_reply(R"({"code":"Throttled"})", 429, "application/json")}) {
    INFO(flaky.status << " " << flaky.body);
    auto c = run({flaky, flaky});
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIACONT");
    REQUIRE(server.count() == 3);
    REQUIRE(server.last().header("Accept") == "application/json");
    auto gave_up = run({flaky, flaky, flaky});
    REQUIRE_FALSE(gave_up.ok());
    REQUIRE(server.count() == 3);
  }
  // A refusal and a readable but incomplete document are answers: no second request.
  auto denied = run({text_reply(R"({"code":"Denied","message":"no"})", 403, "application/json")});
  REQUIRE(denied.error().http_status == 403);
  REQUIRE(server.count() == 1);
  for (
      const char* incomplete :
      {R"({"AccessKeyId":"AK","SecretAccessKey":"container-secret","Expiration":"2030-01-01T00:00:00Z"})",
       R"({"AccessKeyId":"AK","SecretAccessKey":"container-secret","Token":"container-token"})",
       R"({"AccessKeyId":"AK","SecretAccessKey":"container-secret","SessionToken":"t","Expiration":"2030-01-01T00:00:00Z"})"}) {
    INFO(incomplete);
    auto c = run({text_reply(incomplete)});
    REQUIRE_FALSE(c.ok());
    REQUIRE(c.error().code == "InvalidResponse");
    REQUIRE(contains(c.error().message, "lacks Token or Expiration"));
    REQUIRE_FALSE(contains(c.error().message, "container-secret"));
    REQUIRE(server.count() == 1);
  }
}

TEST_CASE("STS AssumeRole through a two-deep source_profile chain, each call signed", "[credentials][sts]") {
  aws_sandbox box;
  recording_server sts;
  sts.set_handler([&](const received& r) {
    const auto params = form(r.body);
    if (params.at("RoleArn") == "arn:aws:iam::222222222222:role/middle") {
      return text_reply(
          sts_xml("AssumeRole", "ASIAMIDDLE", "middle-secret", "middle-token", now() + 1h, "222222222222"),
          200, "text/xml");
    }
    return text_reply(sts_xml("AssumeRole", "ASIATOP", "top-secret", "top-token", now() + 1h, "111111111111"),
                      200, "text/xml");
  });
  box.set("AWS_ENDPOINT_URL_STS", sts.url());
  box.set("AWS_PROFILE", "top");
  box.config(
      "[profile top]\nrole_arn = arn:aws:iam::111111111111:role/top\nsource_profile = middle\n"
      "role_session_name = top-session\nexternal_id = ext-123\nduration_seconds = 1800\n"
      "[profile middle]\nrole_arn = arn:aws:iam::222222222222:role/middle\nsource_profile = base\n");
  box.credentials("[base]\naws_access_key_id = AKBASE\naws_secret_access_key = base-secret\n");
  std::vector<std::string> lines;
  auto p = chain(lines, {}, "eu-west-1");
  REQUIRE(sts.count() == 0);
  auto c = p->resolve();
  INFO((c.ok() ? std::string() : c.error().message));
  REQUIRE(c.ok());
  REQUIRE(c->access_key_id == "ASIATOP");
  REQUIRE(c->secret_access_key.reveal() == "top-secret");
  REQUIRE(*c->account_id == "111111111111");
  const auto reqs = sts.requests();
  REQUIRE(reqs.size() == 2);
  for (const auto& r : reqs) {
    REQUIRE(r.method == "POST");
    REQUIRE(r.target == "/");
    REQUIRE(contains(r.header("Content-Type"), "application/x-www-form-urlencoded"));
    const auto params = form(r.body);
    REQUIRE(params.at("Action") == "AssumeRole");
    REQUIRE(params.at("Version") == "2011-06-15");
  }
  const auto first = form(reqs[0].body);
  REQUIRE(first.at("RoleArn") == "arn:aws:iam::222222222222:role/middle");
  REQUIRE(first.at("RoleSessionName").rfind("ivsrt-session-", 0) == 0);
  REQUIRE(first.count("ExternalId") == 0);
  REQUIRE(ivsrt_test::verify_sigv4(reqs[0], "base-secret", "eu-west-1", "sts").empty());
  REQUIRE(contains(reqs[0].header("Authorization"), "Credential=AKBASE/"));
  REQUIRE_FALSE(reqs[0].has_header("X-Amz-Security-Token"));
  const auto second = form(reqs[1].body);
  REQUIRE(second.at("RoleArn") == "arn:aws:iam::111111111111:role/top");
  REQUIRE(second.at("RoleSessionName") == "top-session");
  REQUIRE(second.at("ExternalId") == "ext-123");
  REQUIRE(second.at("DurationSeconds") == "1800");
  REQUIRE(ivsrt_test::verify_sigv4(reqs[1], "middle-secret", "eu-west-1", "sts").empty());
  REQUIRE(contains(reqs[1].header("Authorization"), "Credential=ASIAMIDDLE/"));
  REQUIRE(reqs[1].header("X-Amz-Security-Token") == "middle-token");
  require_clean(lines, {"base-secret", "middle-secret", "middle-token", "top-secret", "top-token"});

  // A cycle never reaches the network.
  box.config(
      "[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = middle\n"
      "[profile middle]\nrole_arn = arn:aws:iam::2:role/middle\nsource_profile = top\n");
  auto loop = default_chain({});
  REQUIRE(loop.error().kind == error_kind::configuration);
  REQUIRE(contains(loop.error().message, "top -> middle -> top"));
}

TEST_CASE("a role with mfa_serial asks the MFA callback for the code", "[credentials][sts]") {
  aws_sandbox box;
  recording_server sts;
  sts.set_handler([&](const received&) {
    return text_reply(sts_xml("AssumeRole", "ASIAMFA", "mfa-secret", "mfa-token", now() + 1h), 200,
                      "text/xml");
  });
  box.set("AWS_ENDPOINT_URL_STS", sts.url());
  box.config(
      "[default]\nrole_arn = arn:aws:iam::1:role/r\nmfa_serial = arn:aws:iam::1:mfa/me\n"
      "source_profile = default\naws_access_key_id = AK\naws_secret_access_key = base-secret\n");
  auto without = default_chain({});
  REQUIRE(without.error().kind == error_kind::configuration);
  REQUIRE(contains(without.error().message, "mfa_serial"));
  std::string asked_for;
  std::vector<std::string> lines;
  auto p = chain(lines, {.process_timeout = 1min, .mfa_token_code = [&](std::string_view serial) {
                           asked_for = std::string(serial);
                           return result<std::string>(std::string("123456"));
                         }});
  REQUIRE(p->resolve().ok());
  REQUIRE(asked_for == "arn:aws:iam::1:mfa/me");
  const auto params = form(sts.last().body);
  REQUIRE(params.at("SerialNumber") == "arn:aws:iam::1:mfa/me");
  REQUIRE(params.at("TokenCode") == "123456");
}

TEST_CASE("STS errors come back with their code and message, and no secrets", "[credentials][sts]") {
  aws_sandbox box;
  recording_server sts;
  box.set("AWS_ENDPOINT_URL_STS", sts.url());
  box.config(
      "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\naws_access_key_id = AK\n"
      "aws_secret_access_key = base-secret\n");
  std::vector<std::string> lines;
  std::vector<std::chrono::nanoseconds> waits;
  credential_chain_settings settings = ivsrt_test::recording_waits(waits);
  auto p = chain(lines, settings);
  sts.enqueue(text_reply(
      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
      "<Code>AccessDenied</Code><Message>User is not authorized to perform sts:AssumeRole</Message></Error>"
      "<RequestId>req-denied</RequestId></ErrorResponse>",
      403, "text/xml"));
  auto denied = p->resolve();
  REQUIRE(denied.error().kind == error_kind::credentials);
  REQUIRE(denied.error().code == "AccessDenied");
  REQUIRE(denied.error().http_status == 403);
  REQUIRE(denied.error().request_id == "req-denied");
  REQUIRE(contains(denied.error().message,
                   "STS AssumeRole for arn:aws:iam::1:role/r failed: User is not authorized"));
  REQUIRE(denied.error().attempts == 1);  // a refusal is not retried
  // A 5xx is retried, as the SDKs' STS clients retry it: three attempts in all.
  for (int i = 0; i < 3; ++i) sts.enqueue(text_reply("<html>gateway</html>oops", 502, "text/html"));
  const std::size_t before = sts.count();
  auto gateway = p->resolve();
  REQUIRE(gateway.error().code == "Http502");
  REQUIRE(gateway.error().attempts == 3);
  REQUIRE(sts.count() == before + 3);
  REQUIRE(waits.size() == 2);
  REQUIRE(waits[0] < std::chrono::seconds(1));
  REQUIRE(waits[1] < std::chrono::seconds(2));
  sts.enqueue(
      text_reply("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
                 "</Credentials></AssumeRoleResult></AssumeRoleResponse>",
                 200, "text/xml"));
  REQUIRE(p->resolve().error().code == "InvalidResponse");
  sts.enqueue(text_reply("<AssumeRoleResponse><unclosed>", 200, "text/xml"));
  REQUIRE(p->resolve().error().code == "MalformedXml");
  for (const auto& r : sts.requests())
    REQUIRE(ivsrt_test::verify_sigv4(r, "base-secret", "us-west-2", "sts").empty());
  require_clean(lines, {"base-secret"});
}

TEST_CASE("web identity from the environment: unsigned AssumeRoleWithWebIdentity, token file re-read",
          "[credentials][sts]") {
  aws_sandbox box;
  recording_server sts;
  sts.set_handler([&](const received&) {
    return text_reply(sts_xml("AssumeRoleWithWebIdentity", "ASIAWEB", "web-secret", "web-token", now() + 1h),
                      200, "text/xml");
  });
  box.set("AWS_ENDPOINT_URL_STS", sts.url() + "/sts-base");
  box.set("AWS_WEB_IDENTITY_TOKEN_FILE", box.write("jwt", "jwt-token-value\n"));
  box.set("AWS_ROLE_ARN", "arn:aws:iam::333333333333:role/web");
  box.set("AWS_ROLE_SESSION_NAME", "my-session");
  std::vector<std::string> lines;
  auto p = chain(lines);
  auto c = p->resolve();
  REQUIRE(c.ok());
  REQUIRE(c->access_key_id == "ASIAWEB");
  auto r = sts.last();
  REQUIRE(r.method == "POST");
  REQUIRE(r.target == "/sts-base/");
  REQUIRE_FALSE(r.has_header("Authorization"));
  REQUIRE_FALSE(r.has_header("X-Amz-Date"));
  auto params = form(r.body);
  REQUIRE(params.at("Action") == "AssumeRoleWithWebIdentity");
  REQUIRE(params.at("Version") == "2011-06-15");
  REQUIRE(params.at("RoleArn") == "arn:aws:iam::333333333333:role/web");
  REQUIRE(params.at("RoleSessionName") == "my-session");
  REQUIRE(params.at("WebIdentityToken") == "jwt-token-value");
  box.write("jwt", "second-token");
  REQUIRE(p->resolve().ok());
  REQUIRE(form(sts.last().body).at("WebIdentityToken") == "second-token");
  box.write("jwt", "");
  REQUIRE(p->resolve().error().code == "EmptyWebIdentityToken");
  require_clean(lines, {"jwt-token-value", "second-token", "web-secret", "web-token"});
}

namespace {

// GetRoleCredentials' answer with the test's SSO role credentials, expiring at expiry_ms.
reply sso_role_credentials(std::int64_t expiry_ms) {
  return text_reply(R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret",)"
                    R"("sessionToken":"sso-session-token","expiration":)" +
                        std::to_string(expiry_ms) + "}}",
                    200, "application/json");
}

reply sts_error(int status, std::string_view code) {
  return text_reply("<ErrorResponse><Error><Type>Sender</Type><Code>" + std::string(code) +
                        "</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>",
                    status, "text/xml");
}

}  // namespace

TEST_CASE("STS and SSO portal calls are retried where the SDKs' clients for them retry",
          "[credentials][sts][sso]") {
  aws_sandbox box;
  recording_server sts;
  sts.set_handler([&](const received& r) {
    const bool web = form(r.body).at("Action") == "AssumeRoleWithWebIdentity";
    return text_reply(sts_xml(web ? "AssumeRoleWithWebIdentity" : "AssumeRole", "ASIARETRIED",
                              "retried-secret", "retried-token", now() + 1h),
                      200, "text/xml");
  });
  box.set("AWS_ENDPOINT_URL_STS", sts.url());
  std::vector<std::string> lines;
  std::vector<std::chrono::nanoseconds> waits;
  credential_chain_settings settings = ivsrt_test::recording_waits(waits);

  SECTION("web identity: IDPCommunicationError and throttling are retried; a refused token is not") {
    box.set("AWS_WEB_IDENTITY_TOKEN_FILE", box.write("jwt", "jwt-token-value"));
    box.set("AWS_ROLE_ARN", "arn:aws:iam::333333333333:role/web");
    sts.enqueue(sts_error(400, "IDPCommunicationError"));
    sts.enqueue(sts_error(400, "Throttling"));
    auto c = chain(lines, settings)->resolve();
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE(sts.count() == 3);
    REQUIRE(waits.size() == 2);
    sts.enqueue(sts_error(400, "InvalidIdentityToken"));
    auto refused = chain(lines, settings)->resolve();
    REQUIRE(refused.error().code == "InvalidIdentityToken");
    REQUIRE(refused.error().attempts == 1);
    REQUIRE(sts.count() == 4);
  }
  SECTION("AssumeRole: signed again for each attempt; max_attempts 1 retries nothing") {
    box.config(
        "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n"
        "[profile base]\naws_access_key_id = AK\naws_secret_access_key = base-secret\n");
    sts.enqueue(sts_error(503, "ServiceUnavailable"));
    auto c = chain(lines, settings)->resolve();
    REQUIRE(c.ok());
    REQUIRE(sts.count() == 2);
    for (const auto& r : sts.requests())
      REQUIRE(ivsrt_test::verify_sigv4(r, "base-secret", "us-west-2", "sts").empty());
    settings.retries.max_attempts = 1;
    sts.enqueue(sts_error(400, "Throttling"));
    auto once = chain(lines, settings)->resolve();
    REQUIRE(once.error().code == "Throttling");
    REQUIRE(sts.count() == 3);
  }
  SECTION("SSO GetRoleCredentials: 429 and 500 are retried") {
    recording_server portal;
    portal.enqueue(reply{.status = 429,
                         .header_list = {{"Content-Type", "application/json"},
                                         {"x-amzn-ErrorType", "TooManyRequestsException"}},
                         .body = R"({"message":"slow down"})",
                         .delay_ms = 0});
    portal.enqueue(reply{.status = 500, .header_list = {}, .body = "", .delay_ms = 0});
    const auto expiry_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>((now() + 1h).time_since_epoch()).count();
    portal.set_handler([&](const received&) { return sso_role_credentials(expiry_ms); });
    box.set("AWS_ENDPOINT_URL_SSO", portal.url());
    box.config(
        "[default]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
        "sso_account_id = 111122223333\nsso_role_name = Developer\n");
    box.write(".aws/sso/cache/" + sha1_hex("https://corp.awsapps.com/start") + ".json",
              R"({"accessToken":"sso-access-token","expiresAt":")" + iso(now() + 2h) + "\"}");
    auto c = chain(lines, settings)->resolve();
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIASSO");
    REQUIRE(portal.count() == 3);
    REQUIRE(waits.size() == 2);
  }
  require_clean(lines, {"jwt-token-value", "retried-secret", "retried-token", "base-secret", "sso-secret"});
}

TEST_CASE("IAM Identity Center: the cached token exchanged at the SSO portal", "[credentials][sso]") {
  aws_sandbox box;
  recording_server portal;
  auto expiry_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>((now() + 1h).time_since_epoch()).count();
  portal.set_handler([&](const received& r) {
    if (r.header("x-amz-sso_bearer_token") != "sso-access-token") {
      return reply{.status = 401,
                   .header_list = {{"Content-Type", "application/json"},
                                   {"x-amzn-ErrorType", "UnauthorizedException"}},
                   .body = R"({"message":"Session token not found or invalid"})",
                   .delay_ms = 0};
    }
    return sso_role_credentials(expiry_ms);
  });
  box.set("AWS_ENDPOINT_URL_SSO", portal.url());
  box.config(
      "[sso-session abc]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n"
      "[profile dev]\nsso_session = abc\nsso_account_id = 111122223333\nsso_role_name = Developer\n"
      "[profile legacy]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\n"
      "sso_account_id = 444455556666\nsso_role_name = Legacy\n");
  const std::string token_json = R"({"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1",)"
                                 R"("accessToken":"sso-access-token","expiresAt":")" +
                                 iso(now() + 2h) + "\"}";
  box.write(kSsoCacheFile, token_json);
  box.set("AWS_PROFILE", "dev");
  std::vector<std::string> lines;
  auto p = chain(lines);
  REQUIRE(portal.count() == 0);
  auto c = p->resolve();
  INFO((c.ok() ? std::string() : c.error().message));
  REQUIRE(c.ok());
  REQUIRE(c->access_key_id == "ASIASSO");
  REQUIRE(c->session_token->reveal() == "sso-session-token");
  REQUIRE(std::chrono::duration_cast<std::chrono::milliseconds>(c->expiration->time_since_epoch()).count() ==
          expiry_ms);
  REQUIRE(*c->account_id == "111122223333");
  auto r = portal.last();

  // An expiration after 2262 (here in 3015) is the latest timestamp, as from the other sources.
  const auto in_time = expiry_ms;
  expiry_ms = 33'000'000'000'000;
  auto far = chain(lines)->resolve();
  INFO((far.ok() ? std::string() : far.error().message));
  REQUIRE(far.ok());
  REQUIRE(far->expiration == timestamp(std::chrono::seconds(max_timestamp_seconds)));
  expiry_ms = in_time;
  REQUIRE(r.method == "GET");
  REQUIRE(r.path == "/federation/credentials");
  REQUIRE((r.query == "account_id=111122223333&role_name=Developer" ||
           r.query == "role_name=Developer&account_id=111122223333"));

  // Legacy profiles name the cache file by the start URL; an old "UTC" expiry is understood.
  box.set("AWS_PROFILE", "legacy");
  box.write(".aws/sso/cache/" + sha1_hex("https://legacy.awsapps.com/start") + ".json",
            R"({"accessToken":"sso-access-token","expiresAt":")" + iso(now() + 2h).substr(0, 19) + "UTC\"}");
  auto legacy = chain(lines)->resolve();
  INFO((legacy.ok() ? std::string() : legacy.error().message));
  REQUIRE(legacy.ok());
  REQUIRE(portal.last().query.find("role_name=Legacy") != std::string::npos);
  // A space for the T, as RFC 3339 allows; an expiry that is no date-time at all is named as such,
  // not taken for an expired token.
  std::string spaced = iso(now() + 2h);
  spaced[10] = ' ';
  box.write(".aws/sso/cache/" + sha1_hex("https://legacy.awsapps.com/start") + ".json",
            R"({"accessToken":"sso-access-token","expiresAt":")" + spaced + "\"}");
  REQUIRE(chain(lines)->resolve().ok());
  box.write(".aws/sso/cache/" + sha1_hex("https://legacy.awsapps.com/start") + ".json",
            R"({"accessToken":"sso-access-token","expiresAt":"next tuesday"})");
  const std::size_t asked = portal.count();
  auto unreadable = chain(lines)->resolve();
  REQUIRE(unreadable.error().code == "SsoTokenInvalid");
  REQUIRE(contains(unreadable.error().message, "not an ISO 8601 date-time"));
  REQUIRE(portal.count() == asked);

  // An expired token sends nothing and says how to sign in again.
  box.write(".aws/sso/cache/" + sha1_hex("https://legacy.awsapps.com/start") + ".json",
            R"({"accessToken":"sso-access-token","expiresAt":"2020-01-01T00:00:00Z"})");
  const std::size_t before = portal.count();
  auto expired = chain(lines)->resolve();
  REQUIRE(expired.error().code == "SsoTokenExpired");
  REQUIRE(contains(expired.error().message, "aws sso login --profile legacy"));
  REQUIRE(portal.count() == before);

  box.write(".aws/sso/cache/" + sha1_hex("https://legacy.awsapps.com/start") + ".json",
            R"({"accessToken":"revoked-token","expiresAt":")" + iso(now() + 2h) + "\"}");
  auto revoked = chain(lines)->resolve();
  REQUIRE(revoked.error().code == "UnauthorizedException");
  REQUIRE(contains(revoked.error().message, "aws sso login"));
  REQUIRE_FALSE(contains(revoked.error().message, "revoked-token"));

  std::filesystem::remove_all(box.dir() / ".aws/sso/cache");
  REQUIRE(chain(lines)->resolve().error().code == "SsoTokenNotFound");
  require_clean(lines, {"sso-access-token", "sso-secret", "sso-session-token", "revoked-token"});
}

namespace {

// The cache file `aws sso login` writes for sso-session "abc", holding "old-access-token" and,
// unless `registration` is empty, the refresh token and client registration.
std::string sso_cache(timestamp expires, std::optional<timestamp> registration) {
  std::string doc = R"({"startUrl":"https://corp.awsapps.com/start","region":"eu-west-1",)"
                    R"("accessToken":"old-access-token","expiresAt":")" +
                    iso(expires) + "\"";
  if (registration) {
    doc += R"(,"clientId":"client-id-1","clientSecret":"client-secret-1","registrationExpiresAt":")" +
           iso(*registration) + R"(","refreshToken":"refresh-token-1","scopes":["sso:account:access"])";
  }
  return doc + "}";
}

// What a cache file or a CreateToken request holds, as the test reads it.
struct sso_cache_view {
  optional<std::string> startUrl{};
  optional<std::string> region{};
  optional<std::string> accessToken{};
  optional<std::string> expiresAt{};
  optional<std::string> clientId{};
  optional<std::string> clientSecret{};
  optional<std::string> registrationExpiresAt{};
  optional<std::string> refreshToken{};
  optional<std::string> grantType{};
  optional<std::vector<std::string>> scopes{};
};

// SSO OIDC (POST /token, answering `oidc_answer`, or InvalidGrantException when it is empty) and
// the SSO portal (GET /federation/credentials, whose access key names the token it was given).
reply sso_peer(const received& r, const std::string& oidc_answer) {
  if (r.method == "POST" && r.path == "/token") {
    if (oidc_answer.empty()) {
      return reply{.status = 400,
                   .header_list = {{"Content-Type", "application/json"},
                                   {"x-amzn-ErrorType", "InvalidGrantException"}},
                   .body = R"({"error":"invalid_grant","error_description":"Invalid refresh token"})",
                   .delay_ms = 0};
    }
    return text_reply(oidc_answer, 200, "application/json");
  }
  const std::string bearer = r.header("x-amz-sso_bearer_token");
  if (bearer != "old-access-token" && bearer != "new-access-token") {
    return reply{.status = 401,
                 .header_list = {{"x-amzn-ErrorType", "UnauthorizedException"}},
                 .body = R"({"message":"Session token not found or invalid"})",
                 .delay_ms = 0};
  }
  const auto expiry_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>((now() + 1h).time_since_epoch()).count();
  return text_reply(
      std::string(R"({"roleCredentials":{"accessKeyId":")") +
          (bearer == "new-access-token" ? "ASIANEW" : "ASIAOLD") +
          R"(","secretAccessKey":"sso-secret","sessionToken":"sso-session-token","expiration":)" +
          std::to_string(expiry_ms) + "}}",
      200, "application/json");
}

const char* const kSsoConfig =
    "[sso-session abc]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n"
    "[profile dev]\nsso_session = abc\nsso_account_id = 111122223333\nsso_role_name = Developer\n";

}  // namespace

TEST_CASE("IAM Identity Center: a token near its expiry refreshed at SSO OIDC", "[credentials][sso]") {
  aws_sandbox box;
  recording_server server;
  std::string oidc_answer;
  server.set_handler([&](const received& r) { return sso_peer(r, oidc_answer); });
  box.set("AWS_ENDPOINT_URL_SSO", server.url());
  box.set("AWS_ENDPOINT_URL_SSO_OIDC", server.url());
  box.set("AWS_PROFILE", "dev");
  box.config(std::string(kSsoConfig) +
             "[profile legacy]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-east-1\n"
             "sso_account_id = 444455556666\nsso_role_name = Legacy\n");
  const auto cache_path = box.dir() / kSsoCacheFile;
  std::vector<std::string> lines;
  auto token_requests = [&] {
    const auto reqs = server.requests();
    return std::count_if(reqs.begin(), reqs.end(), [](const received& r) { return r.path == "/token"; });
  };
  const std::string new_token = R"({"accessToken":"new-access-token","tokenType":"Bearer","expiresIn":28800,)"
                                R"("refreshToken":"refresh-token-2","idToken":"id-token"})";

  SECTION("refreshed within 15 minutes of expiry, the cache file rewritten as botocore writes it") {
    const timestamp registration = now() + 24h;
    box.write(kSsoCacheFile, sso_cache(now() + 5min, registration));
    oidc_answer = new_token;
    auto c = chain(lines)->resolve();
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIANEW");
    const auto reqs = server.requests();
    REQUIRE(reqs.size() == 2);
    const received& create = reqs[0];
    REQUIRE(create.method == "POST");
    REQUIRE(create.target == "/token");
    REQUIRE(create.header("Content-Type") == "application/json");
    REQUIRE_FALSE(create.has_header("Authorization"));  // CreateToken is not signed
    const sso_cache_view body = read_json_text<sso_cache_view>(create.body);
    REQUIRE(body.clientId == "client-id-1");
    REQUIRE(body.clientSecret == "client-secret-1");
    REQUIRE(body.grantType == "refresh_token");
    REQUIRE(body.refreshToken == "refresh-token-1");
    REQUIRE(reqs[1].header("x-amz-sso_bearer_token") == "new-access-token");
    REQUIRE(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
      return contains(l, "refreshed the SSO token of sso-session abc");
    }));

    const sso_cache_view saved = read_json_text<sso_cache_view>(read_text(cache_path));
    REQUIRE(saved.startUrl == "https://corp.awsapps.com/start");
    REQUIRE(saved.region == "eu-west-1");
    REQUIRE(saved.accessToken == "new-access-token");
    REQUIRE(saved.clientId == "client-id-1");
    REQUIRE(saved.clientSecret == "client-secret-1");
    REQUIRE(saved.registrationExpiresAt == iso(registration));
    REQUIRE(saved.refreshToken == "refresh-token-2");
    const auto expires = parse_timestamp(*saved.expiresAt);
    REQUIRE(expires);
    REQUIRE(*expires > now() + 8h - 1min);
    REQUIRE(*expires <= now() + 8h);
    REQUIRE(std::filesystem::status(cache_path).permissions() ==
            (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    REQUIRE(std::distance(std::filesystem::directory_iterator(cache_path.parent_path()),
                          std::filesystem::directory_iterator()) == 1);  // no temporary file left

    // The rewritten token is good for hours: the next chain uses it without refreshing.
    REQUIRE(chain(lines)->resolve()->access_key_id == "ASIANEW");
    REQUIRE(token_requests() == 1);
  }

  SECTION("a CreateToken that meets a 5xx or throttling is tried again") {
    box.write(kSsoCacheFile, sso_cache(now() + 5min, now() + 24h));
    oidc_answer = new_token;
    server.enqueue(reply{.status = 500, .header_list = {}, .body = "", .delay_ms = 0});
    server.enqueue(reply{.status = 429,
                         .header_list = {{"Content-Type", "application/json"},
                                         {"x-amzn-ErrorType", "TooManyRequestsException"}},
                         .body = R"({"message":"slow down"})",
                         .delay_ms = 0});
    std::vector<std::chrono::nanoseconds> waits;
    credential_chain_settings settings = ivsrt_test::recording_waits(waits);
    auto c = chain(lines, settings)->resolve();
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIANEW");
    REQUIRE(token_requests() == 3);
    REQUIRE(waits.size() == 2);
    for (const received& r : server.requests()) {
      if (r.path == "/token")
        REQUIRE(read_json_text<sso_cache_view>(r.body).refreshToken == "refresh-token-1");
    }
  }

  SECTION("a CreateToken answer without a refresh token leaves none in the cache file") {
    box.write(kSsoCacheFile, sso_cache(now() + 1min, now() + 24h));
    oidc_answer = R"({"accessToken":"new-access-token","expiresIn":3600})";
    REQUIRE(chain(lines)->resolve()->access_key_id == "ASIANEW");
    const sso_cache_view saved = read_json_text<sso_cache_view>(read_text(cache_path));
    REQUIRE(saved.accessToken == "new-access-token");
    REQUIRE_FALSE(saved.refreshToken.has_value());
    REQUIRE(saved.clientSecret == "client-secret-1");
  }

  SECTION("a refresh that fails leaves a token that is still valid in use") {
    box.write(kSsoCacheFile, sso_cache(now() + 5min, now() + 24h));
    const std::string before = read_text(cache_path);
    auto c = chain(lines)->resolve();
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIAOLD");
    REQUIRE(token_requests() == 1);
    REQUIRE(read_text(cache_path) == before);
    REQUIRE(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
      return contains(l, "refreshing the SSO token of sso-session abc failed") &&
             contains(l, "InvalidGrantException");
    }));
  }

  SECTION("an expired token whose refresh fails means signing in again") {
    box.write(kSsoCacheFile, sso_cache(now() - 1min, now() + 24h));
    auto c = chain(lines)->resolve();
    REQUIRE(c.error().code == "SsoTokenExpired");
    INFO(c.error().message);
    REQUIRE(contains(c.error().message, "refreshing it failed"));
    REQUIRE(contains(c.error().message, "InvalidGrantException"));
    REQUIRE(contains(c.error().message, "aws sso login --profile dev"));
    REQUIRE(server.count() == 1);  // CreateToken only: the portal is not asked
    lines.push_back(c.error().message);

    // A malformed CreateToken answer is a failed refresh too.
    oidc_answer = R"({"accessToken":"","expiresIn":3600})";
    c = chain(lines)->resolve();
    REQUIRE(c.error().code == "SsoTokenExpired");
    REQUIRE(contains(c.error().message, "lacks accessToken"));
    oidc_answer = R"({"accessToken":"new-access-token","expiresIn":-5})";
    REQUIRE(chain(lines)->resolve().error().code == "SsoTokenExpired");
    REQUIRE(server.count() == 3);
  }

  SECTION("nothing to refresh with: no refresh token, or an expired client registration") {
    box.write(kSsoCacheFile, sso_cache(now() - 1min, std::nullopt));
    auto c = chain(lines)->resolve();
    REQUIRE(c.error().code == "SsoTokenExpired");
    REQUIRE(contains(c.error().message, "no refresh token"));
    box.write(kSsoCacheFile, sso_cache(now() - 1min, now() - 1h));
    c = chain(lines)->resolve();
    REQUIRE(c.error().code == "SsoTokenExpired");
    REQUIRE(contains(c.error().message, "client registration in the cache file has expired"));
    REQUIRE(server.count() == 0);
    lines.push_back(c.error().message);
  }

  SECTION("legacy profiles (sso_start_url in the profile) are not refreshed") {
    box.set("AWS_PROFILE", "legacy");
    oidc_answer = new_token;
    std::string legacy = sso_cache(now() + 5min, now() + 24h);
    box.write(".aws/sso/cache/" + sha1_hex("https://legacy.awsapps.com/start") + ".json", legacy);
    REQUIRE(chain(lines)->resolve()->access_key_id == "ASIAOLD");
    REQUIRE(token_requests() == 0);
  }
  require_clean(lines, {"old-access-token", "new-access-token", "refresh-token-1", "refresh-token-2",
                        "client-secret-1", "sso-secret", "sso-session-token"});
}

TEST_CASE("SSO token refresh matches botocore's (skipped without python3 and botocore)",
          "[credentials][sso][botocore]") {
  aws_sandbox box;
  if (!botocore_installed()) {
    IVSRT_SKIP("python3 with botocore is not installed");
  }
  recording_server server;
  const std::string answer = R"({"accessToken":"new-access-token","tokenType":"Bearer","expiresIn":28800,)"
                             R"("refreshToken":"refresh-token-2"})";
  server.set_handler([&](const received& r) { return sso_peer(r, answer); });
  box.set("AWS_ENDPOINT_URL_SSO", server.url());
  box.set("AWS_ENDPOINT_URL_SSO_OIDC", server.url());
  box.set("AWS_PROFILE", "dev");
  box.config(kSsoConfig);
  const std::string cached = sso_cache(now() + 5min, now() + 24h);
  const auto cache_path = box.dir() / kSsoCacheFile;
  box.write(kSsoCacheFile, cached);
  REQUIRE(run_botocore(box, "botocore_sso.py",
                       "import botocore.session\n"
                       "c = botocore.session.Session().get_credentials().get_frozen_credentials()\n"
                       "assert c.access_key == 'ASIANEW', c.access_key\n"));
  const sso_cache_view boto_saved = read_json_text<sso_cache_view>(read_text(cache_path));

  box.write(kSsoCacheFile, cached);
  std::vector<std::string> lines;
  auto c = chain(lines)->resolve();
  INFO((c.ok() ? std::string() : c.error().message));
  REQUIRE(c.ok());
  REQUIRE(c->access_key_id == "ASIANEW");
  sso_cache_view ours_saved = read_json_text<sso_cache_view>(read_text(cache_path));

  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 4);
  const received& boto_create = reqs[0];
  const received& ours_create = reqs[2];
  require_same_start(ours_create, boto_create);
  REQUIRE(ours_create.has_header("Authorization") == boto_create.has_header("Authorization"));
  const sso_cache_view boto_body = read_json_text<sso_cache_view>(boto_create.body);
  const sso_cache_view ours_body = read_json_text<sso_cache_view>(ours_create.body);
  REQUIRE(ours_body.clientId == boto_body.clientId);
  REQUIRE(ours_body.clientSecret == boto_body.clientSecret);
  REQUIRE(ours_body.grantType == boto_body.grantType);
  REQUIRE(ours_body.refreshToken == boto_body.refreshToken);
  REQUIRE(reqs[3].header("x-amz-sso_bearer_token") == reqs[1].header("x-amz-sso_bearer_token"));

  // The rewritten cache files: the same members and values, expiresAt up to the seconds between.
  const auto boto_expires = parse_timestamp(boto_saved.expiresAt.value_or(""));
  const auto ours_expires = parse_timestamp(ours_saved.expiresAt.value_or(""));
  REQUIRE(boto_expires);
  REQUIRE(ours_expires);
  REQUIRE(*ours_expires >= *boto_expires);
  REQUIRE(*ours_expires - *boto_expires < 60s);
  ours_saved.expiresAt = boto_saved.expiresAt;
  std::string boto_text;
  std::string ours_text;
  json::writer(boto_text).object(boto_saved, nullptr);
  json::writer(ours_text).object(ours_saved, nullptr);
  REQUIRE(ours_text == boto_text);
}

TEST_CASE("refresh ahead of expiry: many threads at once, one refresh at the server",
          "[credentials][cache]") {
  aws_sandbox box;
  // The cache and the server share a clock the test moves forward.
  timestamp clock_now = now();
  std::mutex clock_mutex;
  auto clock = [&] {
    std::lock_guard<std::mutex> lock(clock_mutex);
    return clock_now;
  };
  recording_server server;
  std::atomic<int> served{0};
  std::atomic<bool> failing{false};
  server.set_handler([&](const received&) {
    const int n = ++served;
    if (failing) {
      return text_reply(R"({"code":"Unavailable","message":"try later"})", 503, "application/json");
    }
    return reply{.status = 200,
                 .header_list = {{"Content-Type", "application/json"}},
                 .body = metadata_json("ASIA" + std::to_string(n), "secret-" + std::to_string(n), "token",
                                       clock() + 1h),
                 .delay_ms = 200};
  });
  auto advance = [&](std::chrono::seconds by) {
    std::lock_guard<std::mutex> lock(clock_mutex);
    clock_now += by;
  };
  std::vector<std::string> lines;
  std::mutex lines_mutex;
  auto source = std::make_shared<container_provider>(
      container_settings{.url = server.url() + "/creds", .token_file = {}, .token = {}, .origin = "test"}, 1);
  caching_provider cache(source, {.advisory_window = 15min,
                                  .mandatory_window = 10min,
                                  .retry_delay = 30s,
                                  .clock = clock,
                                  .log = [&](std::string_view l) {
                                    std::lock_guard<std::mutex> lock(lines_mutex);
                                    lines.emplace_back(l);
                                  }});
  REQUIRE(cache.resolve()->access_key_id == "ASIA1");
  REQUIRE(server.count() == 1);

  auto race = [&] {
    constexpr int threads = 24;
    std::vector<std::string> keys(threads);
    std::barrier sync(threads);
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
      pool.emplace_back([&, i] {
        sync.arrive_and_wait();
        auto r = cache.resolve();
        keys[static_cast<std::size_t>(i)] = r ? r->access_key_id : r.error().describe();
      });
    }
    for (auto& t : pool) t.join();
    return keys;
  };
  advance(55min);  // inside the mandatory window: everyone waits for the one refresh
  for (const auto& k : race()) REQUIRE(k == "ASIA2");
  REQUIRE(server.count() == 2);
  advance(48min);  // inside the advisory window of the new credentials
  for (const auto& k : race()) REQUIRE((k == "ASIA2" || k == "ASIA3"));
  REQUIRE(server.count() == 3);

  // The endpoint fails while the credentials are still valid: they stay in use.
  failing = true;
  advance(52min);
  REQUIRE(cache.resolve()->access_key_id == "ASIA3");
  REQUIRE(server.count() == 4);
  REQUIRE(cache.resolve()->access_key_id == "ASIA3");
  REQUIRE(server.count() == 4);
  REQUIRE(
      std::any_of(lines.begin(), lines.end(), [](const std::string& l) { return contains(l, "try later"); }));
  advance(10min);
  REQUIRE(cache.resolve().error().http_status == 503);
  require_clean(lines, {"secret-1", "secret-2", "secret-3"});
}

TEST_CASE("the client resolves credentials lazily, once, and signs with them", "[credentials][client]") {
  aws_sandbox box;
  recording_server imds;
  recording_server ivs;
  imds.set_handler([&](const received& r) {
    if (r.method == "PUT") return text_reply("tok-for-imds");
    if (r.path.back() == '/') return text_reply("role");
    return text_reply(metadata_json("ASIACLIENT", "client-secret", "client-session-token", now() + 6h));
  });
  box.unset("AWS_EC2_METADATA_DISABLED");
  box.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  std::vector<std::string> lines;
  std::mutex lines_mutex;
  auto c =
      client::create({.region = "ap-northeast-1", .endpoint_url = ivs.url(), .log = [&](std::string_view l) {
                        std::lock_guard<std::mutex> lock(lines_mutex);
                        lines.emplace_back(l);
                      }});
  REQUIRE(c.ok());
  REQUIRE(imds.count() == 0);
  REQUIRE(c->send(GetStageRequest{.arn = "arn:aws:ivs:ap-northeast-1:1:stage/a"}).ok());
  REQUIRE(imds.count() == 3);
  REQUIRE(c->send(GetStageRequest{.arn = "arn:aws:ivs:ap-northeast-1:1:stage/b"}).ok());
  REQUIRE(imds.count() == 3);
  for (const auto& r : ivs.requests()) {
    REQUIRE(ivsrt_test::verify_sigv4(r, "client-secret", "ap-northeast-1", "ivs").empty());
    REQUIRE(r.header("X-Amz-Security-Token") == "client-session-token");
  }
  REQUIRE(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
    return contains(l, "EC2 instance metadata (IMDSv2") && contains(l, "gave access key id ASIACLIENT");
  }));
  auto dry = c->dry_run(GetStageRequest{.arn = "arn:aws:ivs:ap-northeast-1:1:stage/a"});
  for (const auto& [name, value] : dry->headers) lines.push_back(name + ": " + value);
  require_clean(lines, {"client-secret", "client-session-token", "tok-for-imds"});
}

TEST_CASE("the client takes region and credentials from the selected profile", "[credentials][client]") {
  aws_sandbox box;
  recording_server ivs;
  box.config("[profile dev]\nregion = eu-central-1\n[default]\nregion = us-east-1\n");
  box.credentials("[dev]\naws_access_key_id = AKDEV\naws_secret_access_key = dev-secret\n");
  auto c = client::create({.profile = "dev", .endpoint_url = ivs.url()});
  REQUIRE(c.ok());
  REQUIRE(c->region() == "eu-central-1");
  REQUIRE(c->send(GetStageRequest{.arn = "arn:aws:ivs:eu-central-1:1:stage/a"}).ok());
  REQUIRE(ivsrt_test::verify_sigv4(ivs.last(), "dev-secret", "eu-central-1", "ivs").empty());

  box.set("AWS_DEFAULT_REGION", "sa-east-1");
  REQUIRE(client::create({.profile = "dev", .endpoint_url = ivs.url()})->region() == "sa-east-1");
  box.set("AWS_REGION", "me-south-1");
  REQUIRE(client::create({.profile = "dev", .endpoint_url = ivs.url()})->region() == "me-south-1");
  REQUIRE(client::create({.region = "af-south-1", .profile = "dev", .endpoint_url = ivs.url()})->region() ==
          "af-south-1");

  // Environment keys come before the profile.
  box.set("AWS_ACCESS_KEY_ID", "AKENV");
  box.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  auto env = client::create({.profile = "dev", .endpoint_url = ivs.url()});
  REQUIRE(env->send(GetStageRequest{.arn = "arn:aws:ivs:eu-central-1:1:stage/a"}).ok());
  REQUIRE(ivsrt_test::verify_sigv4(ivs.last(), "env-secret", "me-south-1", "ivs").empty());
}

TEST_CASE("bad configuration fails client creation; missing credentials fail the call",
          "[credentials][client]") {
  aws_sandbox box;
  box.config("[default]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/r\n");
  auto broken = client::create();
  REQUIRE_FALSE(broken.ok());
  REQUIRE(broken.error().kind == error_kind::configuration);
  REQUIRE(contains(broken.error().message, "neither source_profile nor credential_source"));

  box.config("[default]\nregion = us-east-1\nthis line is broken\n");
  auto malformed = client::create();
  REQUIRE(malformed.error().kind == error_kind::configuration);
  REQUIRE(malformed.error().message == box.path("config") + ":3: expected 'key = value'");

  box.config("[default]\nregion = us-east-1\n");
  REQUIRE(client::create({.profile = "nope"}).error().code == "ProfileNotFound");
  auto none = client::create();
  REQUIRE(none.ok());
  auto r = none->send(GetStageRequest{.arn = "arn:aws:ivs:us-east-1:1:stage/a"});
  REQUIRE(r.error().kind == error_kind::credentials);
  REQUIRE(r.error().code == "NoCredentials");

  auto both = client::create(
      {.credentials = credentials{.access_key_id = "A",
                                  .secret_access_key = "S",
                                  .session_token = {},
                                  .expiration = {},
                                  .account_id = {}},
       .credentials_provider = make_provider([] { return result<credentials>(credentials{}); }, "x")});
  REQUIRE(both.error().code == "AmbiguousCredentials");
}

TEST_CASE("a user's credentials provider is asked through the client's cache", "[credentials][client]") {
  aws_sandbox box;
  recording_server ivs;
  std::atomic<int> asked{0};
  auto mine = make_provider(
      [&] {
        ++asked;
        credentials c;
        c.access_key_id = "AKMINE";
        c.secret_access_key = "mine-secret";
        c.expiration = now() + 2h;
        return result<credentials>(std::move(c));
      },
      "my vault");
  std::vector<std::string> lines;
  auto c = client::create({.region = "us-east-1",
                           .endpoint_url = ivs.url(),
                           .credentials_provider = mine,
                           .log = [&](std::string_view l) { lines.emplace_back(l); }});
  REQUIRE(c.ok());
  REQUIRE(asked == 0);
  for (int i = 0; i < 3; ++i)
    REQUIRE(c->send(GetStageRequest{.arn = "arn:aws:ivs:us-east-1:1:stage/a"}).ok());
  REQUIRE(asked == 1);
  REQUIRE(ivsrt_test::verify_sigv4(ivs.last(), "mine-secret", "us-east-1", "ivs").empty());
  REQUIRE(
      std::any_of(lines.begin(), lines.end(), [](const std::string& l) { return contains(l, "my vault"); }));
}

TEST_CASE("STS and SSO portal requests match botocore's (skipped without python3 and botocore)",
          "[credentials][botocore]") {
  aws_sandbox box;
  if (!botocore_installed()) {
    IVSRT_SKIP("python3 with botocore is not installed");
  }
  recording_server server;
  const auto expiry_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>((now() + 1h).time_since_epoch()).count();
  server.set_handler([&](const received& r) {
    if (r.method == "GET") {
      return text_reply(
          R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"s","sessionToken":"t",)"
          R"("expiration":)" +
              std::to_string(expiry_ms) + "}}",
          200, "application/json");
    }
    return text_reply(sts_xml("AssumeRole", "ASIAROLE", "role-secret", "role-token", now() + 1h), 200,
                      "text/xml");
  });
  box.set("AWS_ENDPOINT_URL_STS", server.url());
  box.set("AWS_ENDPOINT_URL_SSO", server.url());
  box.config(
      "[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = base\nexternal_id = ext-1\n"
      "region = eu-west-1\n[profile base]\naws_access_key_id = AKBASE\naws_secret_access_key = base-secret\n"
      "[profile sso]\nsso_session = abc\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = "
      "eu-west-1\n"
      "[sso-session abc]\nsso_region = eu-west-1\nsso_start_url = https://x.awsapps.com/start\n");
  box.write(kSsoCacheFile, R"({"accessToken":"portal-token","expiresAt":")" + iso(now() + 2h) + "\"}");
  REQUIRE(
      run_botocore(box, "botocore_creds.py",
                   "import botocore.session\n"
                   "for p in ('top', 'sso'):\n"
                   "    botocore.session.Session(profile=p).get_credentials().get_frozen_credentials()\n"));
  REQUIRE(server.count() == 2);
  for (const char* profile : {"top", "sso"}) {
    box.set("AWS_PROFILE", profile);
    std::vector<std::string> lines;
    REQUIRE(chain(lines, {}, "eu-west-1")->resolve().ok());
  }
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 4);
  const received& boto_sts = reqs[0];
  const received& ours_sts = reqs[2];
  require_same_start(ours_sts, boto_sts);
  auto boto_params = form(boto_sts.body);
  auto our_params = form(ours_sts.body);
  boto_params.erase("RoleSessionName");
  our_params.erase("RoleSessionName");
  REQUIRE(our_params == boto_params);
  // The credential scope without key and date: "/<region>/<service>/aws4_request".
  auto scope = [](const received& r) {
    const std::string auth = r.header("Authorization");
    const std::size_t date = auth.find('/');
    return auth.substr(date + 9, auth.find(',') - date - 9);
  };
  REQUIRE(scope(ours_sts) == scope(boto_sts));
  REQUIRE(ivsrt_test::verify_sigv4(boto_sts, "base-secret", "eu-west-1", "sts").empty());
  REQUIRE(ivsrt_test::verify_sigv4(ours_sts, "base-secret", "eu-west-1", "sts").empty());
  const received& boto_sso = reqs[1];
  const received& ours_sso = reqs[3];
  REQUIRE(ours_sso.method == boto_sso.method);
  REQUIRE(ours_sso.path == boto_sso.path);
  REQUIRE(form(ours_sso.query) == form(boto_sso.query));
  REQUIRE(ours_sso.header("x-amz-sso_bearer_token") == boto_sso.header("x-amz-sso_bearer_token"));
}

TEST_CASE("instance metadata falls back to IMDSv1 exactly where botocore does (skipped without botocore)",
          "[credentials][imds][botocore]") {
  aws_sandbox box;
  if (!botocore_installed()) {
    IVSRT_SKIP("python3 with botocore is not installed");
  }
  box.unset("AWS_EC2_METADATA_DISABLED");  // botocore's fetcher reads it too
  recording_server imds;
  int token_status = 200;
  imds.set_handler([&](const received& r) {
    if (r.method == "PUT") return text_reply(token_status == 200 ? "imds-session-token" : "", token_status);
    if (contains(r.path, "-extended/")) return text_reply("", 404);  // botocore asks only the legacy API
    if (r.path == "/latest/meta-data/iam/security-credentials/") return text_reply("web-role\n");
    return text_reply(metadata_json("ASIAIMDS", "imds-secret", "imds-token", now() + 6h));
  });
  // What a run asked for: method, path and whether a token came along, one line per request,
  // leaving out ivsrt's probes of the extended API.
  auto asked = [&] {
    std::string out;
    for (const received& r : imds.requests()) {
      if (contains(r.path, "-extended/")) continue;
      out += r.method + " " + r.path + (r.has_header("x-aws-ec2-metadata-token") ? " token\n" : "\n");
    }
    imds.clear();
    return out;
  };
  const std::string script =
      box.write("imds.py",
                "import sys\n"
                "from botocore.utils import InstanceMetadataFetcher\n"
                "from botocore.credentials import InstanceMetadataProvider\n"
                "f = InstanceMetadataFetcher(timeout=1, num_attempts=1, base_url=sys.argv[1],\n"
                "    config={'ec2_metadata_v1_disabled': sys.argv[2] == 'true'})\n"
                "try:\n"
                "    InstanceMetadataProvider(iam_role_fetcher=f).load()\n"
                "except Exception:\n"
                "    pass\n");
  for (int status : {200, 400, 401, 403, 404, 405, 500}) {
    for (bool v1_disabled : {false, true}) {
      token_status = status;
      const std::string flag = v1_disabled ? "true" : "false";
      REQUIRE(std::system(("python3 '" + script + "' '" + imds.url() + "/' " + flag).c_str()) == 0);
      const std::string theirs = asked();
      imds_provider ours({.endpoint = imds.url(), .timeout = 1s, .attempts = 1, .v1_disabled = v1_disabled});
      const bool ok = ours.resolve().ok();
      INFO("token status " << status << ", IMDSv1 disabled " << flag << "\nbotocore:\n" << theirs);
      REQUIRE(asked() == theirs);
      REQUIRE(ok == contains(theirs, "web-role"));
    }
  }
}
