// Where a client's endpoint and settings come from: the options, the environment and real shared
// config files, in the AWS SDKs' order of precedence; invalid values are configuration errors.
#include "catch.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/model/stage.hpp"
#include "ivsrt/retry_config.hpp"
#include "ivsrt/settings.hpp"
#include "ivsrt/user_agent.hpp"
#include "test_env.hpp"

using namespace ivsrt;
using ivsrt_test::clean_aws_env;
using ivsrt_test::temp_file;

namespace {

const char* const kConfig = R"([default]
region = us-west-2

[profile dev]
services = dev-services
endpoint_url = http://profile.example:2001

[profile plain]
endpoint_url = http://plain.example:2002

[profile fips]
use_fips_endpoint = true
use_dualstack_endpoint = true

[profile missing-services]
services = nosuch
endpoint_url = http://profile.example:2001

[profile skip]
services = dev-services
endpoint_url = http://profile.example:2001
ignore_configured_endpoint_urls = true

[services dev-services]
ivs_realtime =
  endpoint_url = http://services.example:2003
other_service =
  endpoint_url = http://other.example:2004
)";

client_options base(std::string profile = {}) {
  return client_options{.region = "us-west-2",
                        .profile = std::move(profile),
                        .credentials = credentials{.access_key_id = "AK",
                                                   .secret_access_key = "SK",
                                                   .session_token = {},
                                                   .expiration = {},
                                                   .account_id = {}}};
}

std::string endpoint_of(client_options options) {
  auto c = client::create(std::move(options));
  if (!c) return "error: " + c.error().message;
  return c->endpoint().origin() + c->endpoint().base_path;
}

}  // namespace

TEST_CASE("endpoint precedence: option, service env, global env, services section, profile, rules",
          "[endpoints][config]") {
  temp_file config(kConfig);
  auto env = clean_aws_env(config.path());
  REQUIRE(endpoint_of(base()) == "https://ivsrealtime.us-west-2.amazonaws.com");
  REQUIRE(endpoint_of(base("plain")) == "http://plain.example:2002");
  REQUIRE(endpoint_of(base("dev")) == "http://services.example:2003");
  env.set("AWS_PROFILE", "dev");
  REQUIRE(endpoint_of(base()) == "http://services.example:2003");
  REQUIRE(endpoint_of(base("plain")) == "http://plain.example:2002");  // the option beats AWS_PROFILE
  env.set("AWS_ENDPOINT_URL", "http://global.example:2005/base/");
  REQUIRE(endpoint_of(base()) == "http://global.example:2005/base");
  env.set("AWS_ENDPOINT_URL_IVS_REALTIME", "http://service.example:2006");
  REQUIRE(endpoint_of(base()) == "http://service.example:2006");
  auto explicit_endpoint = base();
  explicit_endpoint.endpoint_url = "http://explicit.example:2007";
  REQUIRE(endpoint_of(explicit_endpoint) == "http://explicit.example:2007");
}

TEST_CASE("a [services] section the profile names but the files lack is an error, as in botocore",
          "[endpoints][config]") {
  temp_file config(kConfig);
  auto env = clean_aws_env(config.path());
  const std::string missing = endpoint_of(base("missing-services"));
  INFO(missing);
  REQUIRE(missing.find("error: ") == 0);
  REQUIRE(missing.find("profile 'missing-services' names services = nosuch") != std::string::npos);
  REQUIRE(missing.find("no [services nosuch] section") != std::string::npos);
  // Only once it is looked at: an endpoint from the environment comes first.
  env.set("AWS_ENDPOINT_URL", "http://global.example:2005");
  REQUIRE(endpoint_of(base("missing-services")) == "http://global.example:2005");
}

TEST_CASE("ignoring configured endpoints never ignores the endpoint_url option", "[endpoints][config]") {
  temp_file config(kConfig);
  auto env = clean_aws_env(config.path());
  env.set("AWS_ENDPOINT_URL", "http://global.example:2005");
  REQUIRE(endpoint_of(base("skip")) == "https://ivsrealtime.us-west-2.amazonaws.com");  // profile setting
  env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
  REQUIRE(endpoint_of(base("dev")) == "https://ivsrealtime.us-west-2.amazonaws.com");
  auto code = base("dev");
  code.ignore_configured_endpoint_urls = false;  // code beats the environment
  REQUIRE(endpoint_of(code) == "http://global.example:2005");
  code.ignore_configured_endpoint_urls = true;
  code.endpoint_url = "http://explicit.example:2007";
  REQUIRE(endpoint_of(code) == "http://explicit.example:2007");
  env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes");
  const auto bad = endpoint_of(base());
  REQUIRE(bad.find("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS must be true or false") != std::string::npos);
}

TEST_CASE("FIPS and dual-stack: option, then environment, then profile", "[endpoints][config]") {
  temp_file config(kConfig);
  auto env = clean_aws_env(config.path());
  REQUIRE(endpoint_of(base("fips")) == "https://ivsrealtime-fips.us-west-2.api.aws");
  env.set("AWS_USE_FIPS_ENDPOINT", "false");
  REQUIRE(endpoint_of(base("fips")) == "https://ivsrealtime.us-west-2.api.aws");
  env.set("AWS_USE_DUALSTACK_ENDPOINT", "False");
  REQUIRE(endpoint_of(base("fips")) == "https://ivsrealtime.us-west-2.amazonaws.com");
  auto code = base("fips");
  code.use_fips = true;
  REQUIRE(endpoint_of(code) == "https://ivsrealtime-fips.us-west-2.amazonaws.com");
  code.region = "cn-north-1";
  code.use_dual_stack = true;
  REQUIRE(endpoint_of(code) == "https://ivsrealtime-fips.cn-north-1.api.amazonwebservices.com.cn");
  env.set("AWS_USE_DUALSTACK_ENDPOINT", "1");
  REQUIRE(endpoint_of(base()).find("AWS_USE_DUALSTACK_ENDPOINT must be true or false, not '1'") !=
          std::string::npos);
}

TEST_CASE("a custom endpoint with FIPS or dual-stack is the rule set's error, naming the sources",
          "[endpoints][config]") {
  temp_file config(kConfig);
  auto env = clean_aws_env(config.path());
  env.set("AWS_USE_FIPS_ENDPOINT", "true");
  env.set("AWS_ENDPOINT_URL", "http://localhost:4566");
  auto c = client::create(base());
  REQUIRE_FALSE(c.ok());
  REQUIRE(c.error().kind == error_kind::configuration);
  REQUIRE(c.error().code == "EndpointResolutionError");
  REQUIRE(c.error().message.rfind("Invalid Configuration: FIPS and custom endpoint are not supported", 0) ==
          0);
  REQUIRE(c.error().message.find("AWS_ENDPOINT_URL") != std::string::npos);
  REQUIRE(c.error().message.find("AWS_USE_FIPS_ENDPOINT") != std::string::npos);
  env.set("AWS_USE_FIPS_ENDPOINT", "false");
  auto dual = base("fips");
  dual.use_fips = false;
  c = client::create(dual);
  REQUIRE(c.error().message.rfind("Invalid Configuration: Dualstack and custom endpoint are not supported",
                                  0) == 0);
  REQUIRE(c.error().message.find("use_dualstack_endpoint in profile fips") != std::string::npos);
}

TEST_CASE("configured endpoints are checked like the option", "[endpoints][config]") {
  auto env = clean_aws_env();
  env.set("AWS_ENDPOINT_URL_IVS_REALTIME", "ftp://files.example");
  auto c = client::create(base());
  REQUIRE(c.error().code == "InvalidEndpoint");
  REQUIRE(c.error().message.find("AWS_ENDPOINT_URL_IVS_REALTIME") != std::string::npos);
}

TEST_CASE("endpoint URLs: what is accepted, and why the rest is refused", "[endpoints][config]") {
  auto env = clean_aws_env();
  auto endpoint = [](std::string url) {
    auto options = base();
    options.endpoint_url = std::move(url);
    return endpoint_of(std::move(options));
  };
  REQUIRE(endpoint("HTTPS://Host.Example:8443/base//") == "https://Host.Example:8443/base");
  REQUIRE(endpoint("http://[::1]:9/") == "http://[::1]:9");
  REQUIRE(endpoint("http://h.example") == "http://h.example");
  for (const auto& [url, why] :
       {std::pair{"h.example", "must start with https:// or http://"},
        std::pair{"ftp://h.example", "scheme must be https or http"},
        std::pair{"http://user@h.example", "must not contain user info"},
        std::pair{"http://h.example/p?q=1", "must not contain a query or a fragment"},
        std::pair{"http://h.example#f", "must not contain a query or a fragment"},
        std::pair{"http://[::1/", "has an unterminated IPv6 address"},
        std::pair{"http://[::1]x/", "has text after the IPv6 address"}, std::pair{"http://", "has no host"},
        std::pair{"http://:80/", "has no host"}, std::pair{"http://[]/", "has no host"},
        std::pair{"http://h.example:/", "has an invalid port"},
        std::pair{"http://h.example:1:2/", "has an invalid port"},
        std::pair{"http://h.example:123456/", "has an invalid port"},
        std::pair{"http://h.example:0/", "port must be between 1 and 65535"},
        std::pair{"http://h.example:65536/", "port must be between 1 and 65535"},
        std::pair{"http://h.example/a b", "contains a space or control character"}}) {
    INFO(url);
    REQUIRE(endpoint(url) == "error: endpoint URL " + std::string(why) + " (from the endpoint_url option)");
  }
}

TEST_CASE("retry settings: option, environment, profile; bad values are refused", "[retry][config]") {
  temp_file config(R"([default]
max_attempts = 7
retry_mode = adaptive
[profile zero]
max_attempts = 0
[profile fraction]
max_attempts = 2.5
[profile legacy]
retry_mode = legacy
)");
  auto env = clean_aws_env(config.path());
  settings::lookup cfg = *settings::lookup::from_environment("");
  auto r = retry::resolve({}, cfg);
  REQUIRE(r.ok());
  REQUIRE(r->value.max_attempts == 7);
  REQUIRE(r->value.retry_mode == retry::mode::adaptive);
  REQUIRE(r->value.rev == retry::revision::v2_0);
  env.set("AWS_MAX_ATTEMPTS", "5");
  env.set("AWS_RETRY_MODE", "standard");
  env.set("AWS_NEW_RETRIES_2026", "true");
  r = retry::resolve({}, cfg);
  REQUIRE(r->value.max_attempts == 5);
  REQUIRE(r->value.retry_mode == retry::mode::standard);
  REQUIRE(r->value.rev == retry::revision::v2026);
  r = retry::resolve(
      {.mode = retry::mode::adaptive, .max_attempts = 2, .new_retries_2026 = false, .sleep = {}}, cfg);
  REQUIRE(r->value.max_attempts == 2);
  REQUIRE(r->value.retry_mode == retry::mode::adaptive);
  REQUIRE(r->value.rev == retry::revision::v2_0);

  env.set("AWS_MAX_ATTEMPTS", "+4");
  REQUIRE(retry::resolve({}, cfg)->value.max_attempts == 4);
  env.set("AWS_MAX_ATTEMPTS", "10000");
  REQUIRE(retry::resolve({}, cfg)->value.max_attempts == 10000);

  for (const char* bad :
       {"0", "-1", "2.5", "three", "1e3", "99999999999", "10001", "+", "++3", " 4 ", "+-3"}) {
    env.set("AWS_MAX_ATTEMPTS", bad);
    auto e = retry::resolve({}, cfg);
    REQUIRE_FALSE(e.ok());
    REQUIRE(e.error().kind == error_kind::configuration);
    REQUIRE(e.error().message.find("AWS_MAX_ATTEMPTS must be a whole number of attempts") !=
            std::string::npos);
  }
  env.set("AWS_MAX_ATTEMPTS", std::nullopt);
  env.set("AWS_RETRY_MODE", std::nullopt);
  for (const char* profile : {"zero", "fraction"}) {
    auto e = retry::resolve({}, *settings::lookup::from_environment(profile));
    REQUIRE(e.error().message.find("max_attempts in profile " + std::string(profile)) != std::string::npos);
  }
  REQUIRE(retry::resolve({}, *settings::lookup::from_environment("legacy"))->value.retry_mode ==
          retry::mode::standard);
  env.set("AWS_RETRY_MODE", "aggressive");
  REQUIRE(retry::resolve({}, cfg).error().message ==
          "AWS_RETRY_MODE must be standard, adaptive or legacy, not 'aggressive'");
  auto zero = base();
  zero.retry.max_attempts = 0;
  env.set("AWS_RETRY_MODE", std::nullopt);
  REQUIRE(client::create(zero).error().message == "the max_attempts option must be from 1 to 10000, not 0");
}

TEST_CASE("the User-Agent names ivsrt, the platform, the retry mode and the app id", "[user-agent][config]") {
  temp_file config("[profile game]\nsdk_ua_app_id = my game/1.0\n");
  auto env = clean_aws_env(config.path());
  auto ua_of = [](client_options o) {
    auto c = client::create(std::move(o));
    REQUIRE(c.ok());
    return std::string(http::find_header(c->dry_run(GetStageRequest{.arn = "arn"})->headers, "User-Agent"));
  };
  std::string ua = ua_of(base());
  INFO(ua);
  REQUIRE(ua.rfind(std::string("ivsrt/") + version + " ua/2.1 os/", 0) == 0);
  REQUIRE(ua.find(" lang/c++#20 ") != std::string::npos);
  REQUIRE(ua.find(" md/curl#") != std::string::npos);
  REQUIRE(ua.find(" cfg/retry-mode#standard") != std::string::npos);
  REQUIRE(ua.find("app/") == std::string::npos);
  for (char c : ua) REQUIRE((user_agent::is_token_char(c) || c == ' ' || c == '/'));

  REQUIRE(ua_of(base("game")).find(" app/my_game-1.0") != std::string::npos);
  env.set("AWS_SDK_UA_APP_ID", "env-app");
  env.set("AWS_EXECUTION_ENV", "AWS_ECS_FARGATE");
  ua = ua_of(base("game"));
  REQUIRE(ua.find(" exec-env/AWS_ECS_FARGATE app/env-app") != std::string::npos);
  auto code = base("game");
  code.app_id = "code\r\nX-Injected: 1";
  code.user_agent_suffix = "md/engine#5.3\n";
  code.retry.mode = retry::mode::adaptive;
  ua = ua_of(code);
  REQUIRE(ua.find(" app/code--X-Injected-_1 md/engine#5.3-") != std::string::npos);
  REQUIRE(ua.find("cfg/retry-mode#adaptive") != std::string::npos);
}

TEST_CASE("clock-skew correction can be turned off by option, environment or profile",
          "[clock-skew][config]") {
  temp_file config("[profile noskew]\ndisable_clock_skew_correction = true\n");
  auto env = clean_aws_env(config.path());
  std::vector<std::string> lines;
  auto logged = [&](client_options o) {
    lines.clear();
    o.log = [&](std::string_view l) { lines.emplace_back(l); };
    REQUIRE(client::create(std::move(o)).ok());
    for (const auto& l : lines) {
      if (l.find("clock-skew correction off") != std::string::npos) return true;
    }
    return false;
  };
  REQUIRE_FALSE(logged(base()));
  REQUIRE(logged(base("noskew")));
  env.set("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "false");
  REQUIRE_FALSE(logged(base("noskew")));
  auto code = base();
  code.disable_clock_skew_correction = true;
  REQUIRE(logged(code));
  env.set("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "maybe");
  REQUIRE(client::create(base()).error().message.find("AWS_DISABLE_CLOCK_SKEW_CORRECTION") !=
          std::string::npos);
}
