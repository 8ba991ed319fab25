// The defaults mode (smart configuration defaults): where it is read from, the connect timeout it
// gives (seen as the time a hanging connection takes to fail), how auto settles against a
// loopback stand-in for EC2 instance metadata, the CLI, and, where botocore is installed, the
// mode botocore settles on for the same settings. Also the client's region from the same
// stand-in, when nothing else names one.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aws_sandbox.hpp"
#include "catch.hpp"
#include "child_process.hpp"
#include "hanging_port.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/defaults_mode_config.hpp"
#include "ivsrt/model/stage.hpp"
#include "recording_server.hpp"
#include "test_client.hpp"

using namespace ivsrt;
using namespace std::chrono_literals;
using ivsrt_test::aws_sandbox;
using ivsrt_test::received;
using ivsrt_test::recording_server;
using ivsrt_test::reply;

namespace {

const std::string kArn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

struct created {
  result<client> c;
  std::vector<std::string> log;
};

// A client in us-west-2 with explicit credentials (so that no credential source is asked).
created create(client_options o = {}) {
  created out{.c = make_error(error_kind::configuration, "NotCreated", ""), .log = {}};
  o.region = "us-west-2";
  if (o.endpoint_url.empty()) o.endpoint_url = "http://127.0.0.1:1";
  o.credentials = ivsrt_test::example_credentials();
  auto* log = &out.log;
  o.log = [log](std::string_view l) { log->emplace_back(l); };
  out.c = client::create(std::move(o));
  return out;
}

// The log line about the defaults mode, "" when there is none.
std::string mode_line(const std::vector<std::string>& log) {
  for (const auto& l : log) {
    if (l.rfind("defaults mode ", 0) == 0) return l;
  }
  return {};
}

// The defaults-mode log line of a new client, which must be created.
std::string mode_line_of(client_options o = {}) {
  auto made = create(std::move(o));
  REQUIRE(made.c.ok());
  return mode_line(made.log);
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// How long a GetStage call to a hanging port takes to fail, with one attempt.
std::chrono::steady_clock::duration failing_call(client_options o) {
  ivsrt_test::hanging_port port;
  o.endpoint_url = port.url();
  o.retry.max_attempts = 1;
  auto made = create(std::move(o));
  REQUIRE(made.c.ok());
  const auto start = std::chrono::steady_clock::now();
  auto r = made.c->send(GetStageRequest{.arn = kArn});
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(!r.ok());
  REQUIRE(r.error().code == "timeout");
  return took;
}

reply text(std::string body, int status = 200) {
  return reply{.status = status,
               .header_list = {{"Content-Type", "text/plain"}},
               .body = std::move(body),
               .delay_ms = 0};
}

// A stand-in for instance metadata that hands out a token and answers the region with `region`
// (and the availability zone, which botocore reads, with `region` + "a").
void serve_region(recording_server& imds, std::string region, int region_status = 200) {
  imds.set_handler([region, region_status](const received& r) {
    if (r.method == "PUT" && r.path == "/latest/api/token") return text("imds-session-token");
    if (r.header("x-aws-ec2-metadata-token") != "imds-session-token") return text("", 401);
    if (r.method == "GET" && r.path == "/latest/meta-data/placement/region")
      return text(region, region_status);
    if (r.method == "GET" && r.path == "/latest/meta-data/placement/availability-zone/") {
      return text(region + "a", region_status);
    }
    return text("", 404);
  });
}

// What a shell command prints, with the environment of this process.
std::string output_of(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[256];
    while (std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("defaults mode: names, in any case, and the connect timeouts of the SDKs' table",
          "[defaults_mode]") {
  REQUIRE(defaults::parse("in-region") == defaults::mode::in_region);
  REQUIRE(defaults::parse("CROSS-Region") == defaults::mode::cross_region);
  REQUIRE(defaults::parse("Auto") == defaults::mode::automatic);
  REQUIRE(!defaults::parse("in_region"));
  REQUIRE(!defaults::parse(""));
  for (defaults::mode m : defaults::all_modes) REQUIRE(defaults::parse(defaults::name(m)) == m);
  REQUIRE(defaults::connect_timeout(defaults::mode::in_region) == 1100ms);
  REQUIRE(defaults::connect_timeout(defaults::mode::mobile) == 30000ms);
  REQUIRE(defaults::connect_timeout(defaults::mode::standard) == 3100ms);
  REQUIRE(defaults::connect_timeout(defaults::mode::cross_region) == 3100ms);
  REQUIRE(defaults::connect_timeout(defaults::mode::legacy) == 3100ms);
}

TEST_CASE("defaults mode: the option, then AWS_DEFAULTS_MODE, then the profile; bad names refused",
          "[defaults_mode]") {
  aws_sandbox box;
  SECTION("nothing set: legacy, and no log line") {
    const std::string line = mode_line_of();
    REQUIRE(line.empty());
  }
  SECTION("the profile") {
    box.config("[default]\ndefaults_mode = In-Region\n");
    const std::string line = mode_line_of();
    REQUIRE(line ==
            "defaults mode in-region (from defaults_mode in profile default): connect timeout 1100 ms");
  }
  SECTION("the environment beats the profile") {
    box.config("[default]\ndefaults_mode = in-region\n");
    box.set("AWS_DEFAULTS_MODE", "mobile");
    const std::string line = mode_line_of();
    REQUIRE(line == "defaults mode mobile (from AWS_DEFAULTS_MODE): connect timeout 30000 ms");
  }
  SECTION("the option beats the environment") {
    box.set("AWS_DEFAULTS_MODE", "mobile");
    const std::string line = mode_line_of({.defaults_mode = defaults::mode::cross_region});
    REQUIRE(line == "defaults mode cross-region (from the defaults_mode option): connect timeout 3100 ms");
  }
  SECTION("an explicit connect timeout beats the mode") {
    box.set("AWS_DEFAULTS_MODE", "in-region");
    const std::string line = mode_line_of({.transport = {.connect_timeout = 250ms}});
    REQUIRE(line ==
            "defaults mode in-region (from AWS_DEFAULTS_MODE): connect timeout 250 ms (set explicitly)");
  }
  SECTION("an unknown name in the environment") {
    box.set("AWS_DEFAULTS_MODE", "fast");
    auto made = create();
    REQUIRE(!made.c.ok());
    REQUIRE(made.c.error().kind == error_kind::configuration);
    REQUIRE(has(made.c.error().message, "AWS_DEFAULTS_MODE"));
    REQUIRE(has(made.c.error().message, "'fast'"));
    REQUIRE(has(made.c.error().message, "in-region"));
  }
  SECTION("an unknown name in the profile") {
    box.config("[profile dev]\ndefaults_mode = in_region\n");
    box.set("AWS_PROFILE", "dev");
    auto made = create();
    REQUIRE(!made.c.ok());
    REQUIRE(has(made.c.error().message, "defaults_mode in profile dev"));
    REQUIRE(has(made.c.error().message, "'in_region'"));
  }
}

TEST_CASE("defaults mode: a connection that hangs fails after the mode's connect timeout",
          "[defaults_mode][wire]") {
  aws_sandbox box;
  SECTION("in-region: 1.1 s, not the standard 3.1 s") {
    box.set("AWS_DEFAULTS_MODE", "in-region");
    const auto took = failing_call({});
    REQUIRE(took >= 1000ms);
    REQUIRE(took < 2900ms);
  }
  SECTION("an explicit connect timeout, whatever the mode") {
    box.set("AWS_DEFAULTS_MODE", "mobile");
    const auto took = failing_call({.transport = {.connect_timeout = 200ms}});
    REQUIRE(took < 1500ms);
  }
}

TEST_CASE("defaults mode auto: the region the program runs in decides", "[defaults_mode][imds][wire]") {
  aws_sandbox box;
  recording_server imds;
  box.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  box.unset("AWS_EC2_METADATA_DISABLED");
  box.set("AWS_DEFAULTS_MODE", "auto");
  SECTION("on an AWS compute service, AWS_REGION, without asking instance metadata") {
    serve_region(imds, "eu-west-1");
    box.set("AWS_EXECUTION_ENV", "AWS_Lambda_provided.al2023");
    box.set("AWS_REGION", "us-west-2");
    box.set("AWS_DEFAULT_REGION", "eu-west-1");
    const std::string line = mode_line_of();
    REQUIRE(line ==
            "defaults mode in-region (from AWS_DEFAULTS_MODE; auto: running in us-west-2 (from AWS_REGION)): "
            "connect timeout 1100 ms");
    REQUIRE(imds.count() == 0);
  }
  SECTION("on an AWS compute service, else AWS_DEFAULT_REGION") {
    box.set("AWS_EXECUTION_ENV", "AWS_ECS_FARGATE");
    box.set("AWS_DEFAULT_REGION", "eu-west-1");
    const std::string line = mode_line_of();
    REQUIRE(has(line, "defaults mode cross-region"));
    REQUIRE(has(line, "eu-west-1 (from AWS_DEFAULT_REGION)"));
    REQUIRE(imds.count() == 0);
  }
  SECTION("AWS_REGION alone does not say where the program runs: instance metadata does") {
    box.set("AWS_REGION", "us-west-2");
    serve_region(imds, "eu-central-1\n");
    const std::string line = mode_line_of();
    REQUIRE(
        line ==
        "defaults mode cross-region (from AWS_DEFAULTS_MODE; auto: running in another region, eu-central-1 "
        "(from EC2 instance metadata)): connect timeout 3100 ms");
    const auto reqs = imds.requests();
    REQUIRE(reqs.size() == 2);
    REQUIRE(reqs[0].method == "PUT");
    REQUIRE(reqs[0].header("x-aws-ec2-metadata-token-ttl-seconds") == "21600");
    REQUIRE(reqs[1].method == "GET");
    REQUIRE(reqs[1].path == "/latest/meta-data/placement/region");
    REQUIRE(reqs[1].header("x-aws-ec2-metadata-token") == "imds-session-token");
  }
  SECTION("instance metadata in the client's region") {
    serve_region(imds, "us-west-2");
    const std::string line = mode_line_of();
    REQUIRE(has(line, "defaults mode in-region"));
    REQUIRE(has(line, "connect timeout 1100 ms"));
  }
  SECTION("a refused token request falls back to IMDSv1") {
    imds.set_handler([](const received& r) {
      if (r.method == "PUT") return text("", 403);
      if (r.path == "/latest/meta-data/placement/region" && !r.has_header("x-aws-ec2-metadata-token")) {
        return text("us-west-2");
      }
      return text("", 404);
    });
    const std::string line = mode_line_of();
    REQUIRE(has(line, "defaults mode in-region"));
    REQUIRE(imds.count() == 2);
  }
  SECTION("no region from instance metadata: standard") {
    serve_region(imds, "", 404);
    const std::string line = mode_line_of();
    REQUIRE(
        line ==
        "defaults mode standard (from AWS_DEFAULTS_MODE; auto: the region this program runs in is unknown: "
        "EC2 instance metadata at " +
            imds.url() + ": region answered HTTP 404): connect timeout 3100 ms");
  }
  SECTION("a region that is not a region name: standard") {
    serve_region(imds, "us-west-2/../x");
    const std::string line = mode_line_of();
    REQUIRE(has(line, "defaults mode standard"));
  }
  SECTION("instance metadata disabled: standard, nothing asked") {
    serve_region(imds, "us-west-2");
    box.set("AWS_EC2_METADATA_DISABLED", "true");
    const std::string line = mode_line_of();
    REQUIRE(has(line, "defaults mode standard"));
    REQUIRE(has(line, "disabled by AWS_EC2_METADATA_DISABLED"));
    REQUIRE(imds.count() == 0);
  }
}

TEST_CASE("region: from EC2 instance metadata when nothing else names one", "[region][imds][wire]") {
  aws_sandbox box;
  recording_server imds;
  box.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  box.unset("AWS_EC2_METADATA_DISABLED");
  const client_options keys{.credentials = ivsrt_test::example_credentials()};
  SECTION("the instance's region, over IMDSv2") {
    serve_region(imds, "eu-central-1\n");
    auto c = client::create(keys);
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE(c->region() == "eu-central-1");
    const auto reqs = imds.requests();
    REQUIRE(reqs.size() == 2);
    REQUIRE(reqs[0].method == "PUT");
    REQUIRE(reqs[1].path == "/latest/meta-data/placement/region");
    REQUIRE(reqs[1].header("x-aws-ec2-metadata-token") == "imds-session-token");
  }
  SECTION("defaults mode auto takes the same answer: instance metadata is asked once") {
    serve_region(imds, "eu-central-1");
    box.set("AWS_DEFAULTS_MODE", "auto");
    std::vector<std::string> log;
    client_options o = keys;
    o.log = [&log](std::string_view l) { log.emplace_back(l); };
    auto c = client::create(std::move(o));
    REQUIRE(c.ok());
    REQUIRE(c->region() == "eu-central-1");
    REQUIRE(has(mode_line(log), "defaults mode in-region"));
    REQUIRE(has(mode_line(log), "eu-central-1 (from EC2 instance metadata)"));
    REQUIRE(imds.count() == 2);  // one token request, one region request
  }
  SECTION("a region configured anywhere comes first, and metadata is not asked") {
    serve_region(imds, "eu-central-1");
    box.config("[default]\nregion = ap-south-1\n");
    auto c = client::create(keys);
    REQUIRE(c.ok());
    REQUIRE(c->region() == "ap-south-1");
    REQUIRE(imds.count() == 0);
  }
  SECTION("no region there either: the error names every source and what metadata answered") {
    serve_region(imds, "", 404);
    auto c = client::create(keys);
    REQUIRE_FALSE(c.ok());
    REQUIRE(c.error().code == "NoRegion");
    REQUIRE(has(c.error().message, "AWS_REGION, AWS_DEFAULT_REGION, or region in profile 'default'"));
    REQUIRE(has(c.error().message, "EC2 instance metadata at " + imds.url() + ": region answered HTTP 404"));
  }
  SECTION("an answer that is no region name is refused") {
    serve_region(imds, "us-west-2.example.com");
    auto c = client::create(keys);
    REQUIRE_FALSE(c.ok());
    REQUIRE(c.error().code == "NoRegion");
    REQUIRE(has(c.error().message, "the region it gave is not a valid region name"));
  }
  SECTION("instance metadata disabled: not asked") {
    serve_region(imds, "eu-central-1");
    box.set("AWS_EC2_METADATA_DISABLED", "true");
    auto c = client::create(keys);
    REQUIRE_FALSE(c.ok());
    REQUIRE(c.error().code == "NoRegion");
    REQUIRE(imds.count() == 0);
  }
}

TEST_CASE("defaults mode: ivsrt-cli takes the mode's connect timeout unless --cli-connect-timeout",
          "[defaults_mode][cli][wire]") {
  recording_server server;
  const std::vector<std::string> base = {"AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
                                         std::string("AWS_SECRET_ACCESS_KEY=") + ivsrt_test::kExampleSecret,
                                         "AWS_REGION=us-west-2", "AWS_CONFIG_FILE=/nonexistent/ivsrt-config",
                                         "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/ivsrt-credentials"};
  auto run = [&](std::vector<std::string> extra_args, std::vector<std::string> extra_env) {
    std::vector<std::string> args = {"--endpoint-url", server.url(), "--debug"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    args.insert(args.end(), {"get-stage", "--arn", kArn});
    std::vector<std::string> env = base;
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    const auto r = ivsrt_test::run_process(IVSRT_CLI_PATH, args, env);
    REQUIRE(r.exit_code == 0);
    return r.err;
  };
  server.set_handler([](const received&) { return ivsrt_test::json_reply(R"({"stage":{"arn":"x"}})"); });
  const std::string plain = run({}, {});
  REQUIRE(has(plain, "connect timeout 60 s"));
  REQUIRE(!has(plain, "defaults mode"));
  const std::string in_region = run({}, {"AWS_DEFAULTS_MODE=in-region"});
  REQUIRE(has(in_region, "connect timeout from the defaults mode"));
  REQUIRE(has(in_region, "defaults mode in-region (from AWS_DEFAULTS_MODE): connect timeout 1100 ms"));
  const std::string flag = run({"--cli-connect-timeout", "7"}, {"AWS_DEFAULTS_MODE=in-region"});
  REQUIRE(has(flag, "connect timeout 7 s"));
  REQUIRE(has(flag, "connect timeout 7000 ms (set explicitly)"));
}

TEST_CASE("defaults mode auto: the mode botocore settles on for the same settings",
          "[defaults_mode][imds][botocore][wire]") {
  if (std::system("python3 -c 'import botocore.session' >/dev/null 2>&1") != 0) {
    SUCCEED("botocore is not installed");
    return;
  }
  aws_sandbox box;
  recording_server imds;
  box.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  box.unset("AWS_EC2_METADATA_DISABLED");
  box.set("AWS_DEFAULTS_MODE", "auto");
  // botocore turns the mode into a connect timeout; ivsrt's log line gives its own.
  const std::string script = box.write("mode.py", R"(import botocore.session
c = botocore.session.get_session().create_client(
    'ivs-realtime', region_name='us-west-2', aws_access_key_id='AKIDEXAMPLE',
    aws_secret_access_key='x')
print(int(c.meta.config.connect_timeout * 1000))
)");
  struct setup {
    std::vector<std::pair<const char*, const char*>> env;
    std::string imds_region;
  };
  const std::vector<setup> setups = {
      {{{"AWS_EXECUTION_ENV", "AWS_Lambda_python3.12"}, {"AWS_REGION", "us-west-2"}}, "eu-west-1"},
      {{{"AWS_EXECUTION_ENV", "AWS_Lambda_python3.12"}, {"AWS_DEFAULT_REGION", "eu-west-1"}}, "us-west-2"},
      {{{"AWS_EXECUTION_ENV", "AWS_ECS_EC2"}}, "us-west-2"},
      {{{"AWS_REGION", "eu-west-1"}}, "us-west-2"},
      {{}, "ap-south-1"},
      {{}, ""},
      {{{"AWS_EC2_METADATA_DISABLED", "true"}}, "us-west-2"},
  };
  for (const auto& s : setups) {
    for (const char* name :
         {"AWS_EXECUTION_ENV", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EC2_METADATA_DISABLED"}) {
      box.unset(name);
    }
    for (const auto& [name, value] : s.env) box.set(name, value);
    serve_region(imds, s.imds_region, s.imds_region.empty() ? 404 : 200);
    const std::string boto = output_of("python3 '" + script + "' 2>/dev/null");
    const std::string line = mode_line_of();
    INFO("imds region '" << s.imds_region << "', " << line << "; botocore: " << boto);
    REQUIRE(!boto.empty());
    REQUIRE(has(line, "connect timeout " + boto + " ms"));
  }
}
