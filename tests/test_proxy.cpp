// Proxies through a loopback stand-in: the proxy option, HTTP_PROXY / http_proxy, HTTPS_PROXY
// (a CONNECT tunnel) and NO_PROXY. The endpoint's host is under .invalid, which never resolves, so
// a request that bypasses the proxy fails visibly instead of reaching something. A proxy's user
// and password reach the proxy and stay out of every error, blocking or async.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "aws_sandbox.hpp"
#include "catch.hpp"
#include "fault_server.hpp"
#include "ivsrt/async.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/model/stage.hpp"
#include "test_env.hpp"

using namespace ivsrt;
using ivsrt_test::fault_server;

namespace {

const char* const kSecret = "proxy-test-secret";
const char* const kHost = "ivs.proxy-test.invalid";

client make_client(const std::string& endpoint, http::transport_options transport = {}) {
  auto c = client::create({.region = "us-east-1",
                           .endpoint_url = endpoint,
                           .credentials = credentials{.access_key_id = "AK",
                                                      .secret_access_key = kSecret,
                                                      .session_token = {},
                                                      .expiration = {},
                                                      .account_id = {}},
                           .transport = std::move(transport),
                           .retry = {.max_attempts = 1}});
  REQUIRE(c.ok());
  return *c;
}

// The proxy saw an absolute-form request for the endpoint, signed for its path.
void require_proxied(const ivsrt_test::received& r) {
  REQUIRE(r.method == "POST");
  REQUIRE(r.target == std::string("http://") + kHost + "/GetStage");
  REQUIRE(r.header("Host") == kHost);
  ivsrt_test::received as_origin = r;
  as_origin.path = "/GetStage";
  const std::string problem = ivsrt_test::verify_sigv4(as_origin, kSecret, "us-east-1", "ivs");
  INFO(problem);
  REQUIRE(problem.empty());
}

}  // namespace

TEST_CASE("the proxy option", "[proxy][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  fault_server proxy;
  auto c = make_client(std::string("http://") + kHost, {.proxy = proxy.url()});
  REQUIRE(c.send(GetStageRequest{.arn = "arn"}).ok());
  REQUIRE(proxy.count() == 1);
  require_proxied(proxy.requests()[0]);

  auto bypass = make_client(std::string("http://") + kHost, {.proxy = proxy.url(), .no_proxy = kHost});
  auto r = bypass.send(GetStageRequest{.arn = "arn"});
  REQUIRE(r.error().code == "dns_failed");
  REQUIRE(proxy.count() == 1);
}

TEST_CASE("HTTP_PROXY and http_proxy, and NO_PROXY", "[proxy][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  fault_server proxy;
  const std::string endpoint = std::string("http://") + kHost;
  auto before_env = make_client(endpoint);
  for (const char* name : {"HTTP_PROXY", "http_proxy"}) {
    INFO(name);
    ivsrt_test::scoped_env set{{name, proxy.url()}};
    const std::size_t before = proxy.count();
    REQUIRE(make_client(endpoint).send(GetStageRequest{.arn = "arn"}).ok());
    REQUIRE(proxy.count() == before + 1);
    require_proxied(proxy.requests().back());
    // The environment is read when a client is made, not on every call.
    REQUIRE(before_env.send(GetStageRequest{.arn = "arn"}).error().code == "dns_failed");
    REQUIRE(proxy.count() == before + 1);
  }
  for (const char* no_proxy : {"NO_PROXY", "no_proxy"}) {
    INFO(no_proxy);
    ivsrt_test::scoped_env set{{"HTTP_PROXY", proxy.url()}, {no_proxy, std::string(".proxy-test.invalid")}};
    const std::size_t before = proxy.count();
    REQUIRE(make_client(endpoint).send(GetStageRequest{.arn = "arn"}).error().code == "dns_failed");
    REQUIRE(proxy.count() == before);
  }
  {
    // A variable of only blanks counts as unset: the other spelling is used.
    ivsrt_test::scoped_env set{{"http_proxy", std::string("  ")}, {"HTTP_PROXY", proxy.url()}};
    const std::size_t before = proxy.count();
    REQUIRE(make_client(endpoint).send(GetStageRequest{.arn = "arn"}).ok());
    REQUIRE(proxy.count() == before + 1);
  }
  {
    ivsrt_test::scoped_env set{{"ALL_PROXY", proxy.url()}};
    const std::size_t before = proxy.count();
    REQUIRE(make_client(endpoint).send(GetStageRequest{.arn = "arn"}).ok());
    REQUIRE(proxy.count() == before + 1);
    require_proxied(proxy.requests().back());
  }
  const std::size_t before = proxy.count();
  REQUIRE(make_client(endpoint).send(GetStageRequest{.arn = "arn"}).error().code == "dns_failed");  // none
  REQUIRE(proxy.count() == before);
}

TEST_CASE("HTTPS_PROXY tunnels https endpoints with CONNECT", "[proxy][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  fault_server proxy;
  proxy.enqueue(ivsrt_test::reply{.status = 403, .header_list = {}, .body = "", .delay_ms = 0});
  env.set("HTTPS_PROXY", proxy.url());
  env.set("HTTP_PROXY", "http://127.0.0.1:9");  // must not be used for https
  auto c = make_client(std::string("https://") + kHost);
  auto r = c.send(GetStageRequest{.arn = "arn"});
  REQUIRE(r.error().kind == error_kind::transport);
  REQUIRE(proxy.count() == 1);
  const auto connect = proxy.requests()[0];
  REQUIRE(connect.method == "CONNECT");
  REQUIRE(connect.target == std::string(kHost) + ":443");
  REQUIRE_FALSE(connect.has_header("Authorization"));  // the signed request never goes to the proxy
}

TEST_CASE("a proxy's user and password go to the proxy and never into an error", "[proxy][wire]") {
  auto env = ivsrt_test::clean_aws_env();
  const std::string endpoint = std::string("http://") + kHost;
  const std::string password = "pr%6Fxy-password";  // libcurl sends it decoded: "proxy-password"
  auto require_no_password = [&](const std::string& message) {
    INFO(message);
    REQUIRE(message.find(password) == std::string::npos);
    REQUIRE(message.find("proxy-password") == std::string::npos);
  };

  // Given as an option, a proxy libcurl could not use is refused when the client is made.
  for (const std::string& bad :
       {"foo://user:" + password + "@127.0.0.1:1", "http://user:" + password + "@[::1",
        "http://user:" + password + "@127.0.0.1:99999"}) {
    auto c = client::create({.region = "us-east-1",
                             .endpoint_url = endpoint,
                             .credentials = credentials{.access_key_id = "AK", .secret_access_key = kSecret},
                             .transport = {.proxy = bad}});
    REQUIRE_FALSE(c.ok());
    REQUIRE(c.error().kind == error_kind::configuration);
    REQUIRE(c.error().code == "InvalidProxy");
    REQUIRE(c.error().message.find("transport_options::proxy") != std::string::npos);
    require_no_password(c.error().describe());
  }

  // From the environment, it fails the calls through it, at once and for good, naming the variables
  // to look at but not the URL.
  for (const std::string& bad :
       {"foo://user:" + password + "@127.0.0.1:1", "http://user:" + password + "@127.0.0.1:99999",
        "http://" + password + "@[::1"}) {
    ivsrt_test::scoped_env set{{"HTTP_PROXY", bad}};
    std::vector<std::string> lines;
    REQUIRE(client::create({.region = "us-east-1",
                            .endpoint_url = endpoint,
                            .credentials = credentials{.access_key_id = "AK", .secret_access_key = kSecret},
                            .log = [&](std::string_view l) { lines.emplace_back(l); }})
                .ok());
    const auto warned = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
      return l.find("the proxy from the environment for http endpoints") != std::string::npos;
    });
    REQUIRE(warned != lines.end());
    require_no_password(*warned);
    auto c =
        client::create({.region = "us-east-1",
                        .endpoint_url = endpoint,
                        .credentials = credentials{.access_key_id = "AK", .secret_access_key = kSecret}});
    REQUIRE(c.ok());
    async_engine engine(*c);
    auto pending = engine.start(GetStageRequest{.arn = "arn"});
    engine.run_until_idle();
    for (const auto& r : {c->send(GetStageRequest{.arn = "arn"}), pending.get()}) {
      REQUIRE_FALSE(r.ok());
      INFO(r.error().describe());
      REQUIRE(r.error().kind == error_kind::configuration);
      REQUIRE(r.error().code == "InvalidProxy");
      REQUIRE(r.error().attempts == 1);  // not retried: the next attempt could only fail the same way
      REQUIRE(r.error().message.find("the proxy from the environment for http endpoints (http_proxy, "
                                     "HTTP_PROXY, all_proxy or ALL_PROXY)") != std::string::npos);
      REQUIRE(r.error().message.find("127.0.0.1") == std::string::npos);
      require_no_password(r.error().describe());
    }
  }

  // NO_PROXY still lets an endpoint bypass a broken proxy.
  {
    fault_server direct;
    ivsrt_test::scoped_env set{{"HTTP_PROXY", "http://user:" + password + "@127.0.0.1:99999"},
                               {"NO_PROXY", "127.0.0.1"}};
    REQUIRE(make_client(direct.url()).send(GetStageRequest{.arn = "arn"}).ok());
  }

  // Any other transport error that quotes a proxy URL loses the URL's user part.
  {
    http::transport t({.proxy = "http://user:" + password + "@127.0.0.1:1"});
    http::detail::exchange x;
    const std::string quoted = "Failed to connect to 'http://user:" + password + "@127.0.0.1:1'";
    std::memcpy(x.error_text, quoted.c_str(), quoted.size() + 1);
    const error e = t.failure(CURLE_COULDNT_CONNECT, x, "http://ivs.example/GetStage");
    REQUIRE(e.kind == error_kind::transport);
    REQUIRE(e.message.find("'http://***@127.0.0.1:1'") != std::string::npos);
    require_no_password(e.describe());
  }

  // A working proxy gets them, decoded, as Basic credentials; its refusal names no password.
  fault_server proxy;
  const std::string with_user = "http://user:" + password + "@" + proxy.url().substr(std::strlen("http://"));
  auto c = make_client(endpoint, {.proxy = with_user});
  REQUIRE(c.send(GetStageRequest{.arn = "arn"}).ok());
  REQUIRE(proxy.requests().back().header("Proxy-Authorization") == "Basic dXNlcjpwcm94eS1wYXNzd29yZA==");
  proxy.enqueue(ivsrt_test::reply{.status = 407, .header_list = {}, .body = "", .delay_ms = 0});
  auto refused = c.send(GetStageRequest{.arn = "arn"});
  REQUIRE_FALSE(refused.ok());
  require_no_password(refused.error().describe());
}

TEST_CASE("STS is asked at the endpoint the client's FIPS, dual-stack and ignore-configured flags choose",
          "[proxy][wire][credentials]") {
  ivsrt_test::aws_sandbox box;
  auto env = ivsrt_test::clean_aws_env(box.path("config"));
  fault_server proxy;
  env.set("HTTPS_PROXY", proxy.url());
  box.set("AWS_WEB_IDENTITY_TOKEN_FILE", box.write("token", "web-identity-token"));
  box.set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web");
  // The host:port of the tunnel the client's first STS call asks the proxy for.
  auto sts_host = [&](const std::string& region, std::optional<bool> fips, std::optional<bool> dual,
                      std::optional<bool> ignore_configured = {}) {
    proxy.enqueue(ivsrt_test::reply{.status = 403, .header_list = {}, .body = "", .delay_ms = 0});
    const std::size_t before = proxy.count();
    client_options o{.region = region};
    o.use_fips = fips;
    o.use_dual_stack = dual;
    o.ignore_configured_endpoint_urls = ignore_configured;
    o.retry.max_attempts = 1;
    o.credential_chain.retries.max_attempts = 1;
    auto c = client::create(std::move(o));
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE_FALSE(c->send(GetStageRequest{.arn = "arn"}).ok());
    REQUIRE(proxy.count() == before + 1);
    const auto connect = proxy.requests().back();
    REQUIRE(connect.method == "CONNECT");
    return connect.target;
  };
  REQUIRE(sts_host("us-east-2", {}, {}) == "sts.us-east-2.amazonaws.com:443");
  REQUIRE(sts_host("us-east-2", true, {}) == "sts-fips.us-east-2.amazonaws.com:443");
  REQUIRE(sts_host("us-east-2", true, true) == "sts-fips.us-east-2.api.aws:443");
  REQUIRE(sts_host("us-east-2", {}, true) == "sts.us-east-2.api.aws:443");
  REQUIRE(sts_host("cn-north-1", {}, true) == "sts.cn-north-1.api.amazonwebservices.com.cn:443");
  REQUIRE(sts_host("us-gov-west-1", true, {}) == "sts.us-gov-west-1.amazonaws.com:443");  // FIPS already
  REQUIRE(sts_host("us-gov-west-1", true, true) == "sts-fips.us-gov-west-1.api.aws:443");
  env.set("AWS_USE_FIPS_ENDPOINT", "true");  // the environment's flag, unless the code says otherwise
  REQUIRE(sts_host("us-east-2", {}, {}) == "sts-fips.us-east-2.amazonaws.com:443");
  REQUIRE(sts_host("us-east-2", false, {}) == "sts.us-east-2.amazonaws.com:443");
  env.set("AWS_USE_FIPS_ENDPOINT", std::nullopt);

  // A configured STS endpoint, unless the client ignores configured endpoints: by its option, else
  // by the environment's flag.
  env.set("AWS_ENDPOINT_URL_STS", "https://sts.configured.example");
  REQUIRE(sts_host("us-east-2", {}, {}) == "sts.configured.example:443");
  REQUIRE(sts_host("us-east-2", {}, {}, true) == "sts.us-east-2.amazonaws.com:443");
  env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  REQUIRE(sts_host("us-east-2", {}, {}) == "sts.us-east-2.amazonaws.com:443");
  REQUIRE(sts_host("us-east-2", {}, {}, false) == "sts.configured.example:443");
  env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", std::nullopt);
  env.set("AWS_ENDPOINT_URL_STS", std::nullopt);

  // sts_regional_endpoints = legacy: the regions STS once served only globally go to the global
  // endpoint, unless FIPS or dual-stack is asked; the others stay regional, as "regional" keeps all.
  REQUIRE(sts_host("aws-global", {}, {}) == "sts.amazonaws.com:443");
  REQUIRE(sts_host("us-east-1", {}, {}) == "sts.us-east-1.amazonaws.com:443");
  env.set("AWS_STS_REGIONAL_ENDPOINTS", "legacy");
  REQUIRE(sts_host("us-east-1", {}, {}) == "sts.amazonaws.com:443");
  REQUIRE(sts_host("eu-west-3", {}, {}) == "sts.amazonaws.com:443");
  REQUIRE(sts_host("ap-east-1", {}, {}) == "sts.ap-east-1.amazonaws.com:443");
  REQUIRE(sts_host("us-east-1", true, {}) == "sts-fips.us-east-1.amazonaws.com:443");
  REQUIRE(sts_host("us-east-1", {}, true) == "sts.us-east-1.api.aws:443");
  env.set("AWS_STS_REGIONAL_ENDPOINTS", "Regional");
  REQUIRE(sts_host("us-east-1", {}, {}) == "sts.us-east-1.amazonaws.com:443");
  env.set("AWS_STS_REGIONAL_ENDPOINTS", std::nullopt);
  box.config("[default]\nsts_regional_endpoints = legacy\n");
  REQUIRE(sts_host("us-west-2", {}, {}) == "sts.amazonaws.com:443");
}
