// Console sign-in credentials (`aws login`, profile key login_session) against a loopback server
// standing in for AWS Sign-In: the cached credentials, the refresh with its DPoP proof (checked
// here with the public key taken from the key file, not from the proof), the rewritten cache file,
// refusals and failures, and secrets kept out of logs and errors. Where node and the SDK for
// JavaScript's login provider are installed, both refresh the same cache file against the same
// server and their requests and files are compared.
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "aws_sandbox.hpp"
#include "catch.hpp"
#include "credential_test_tools.hpp"
#include "fault_server.hpp"
#include "ivsrt/base64url.hpp"
#include "ivsrt/default_chain.hpp"
#include "ivsrt/dpop.hpp"
#include "ivsrt/login_credentials.hpp"
#include "ivsrt/tokens/key_pair.hpp"
#include "recording_server.hpp"
#include "test_env.hpp"

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

// Reflected types nested in others need linkage, so the views the test reads JSON into live
// outside the anonymous namespace.
namespace login_test {

// What a cache file or a CreateOAuth2Token request holds, as the test reads it.
struct access_view {
  optional<std::string> accessKeyId{};
  optional<std::string> secretAccessKey{};
  optional<std::string> sessionToken{};
  optional<std::string> accountId{};
  optional<std::string> expiresAt{};
};

struct login_view {
  optional<access_view> accessToken{};
  optional<std::string> tokenType{};
  optional<std::string> clientId{};
  optional<std::string> refreshToken{};
  optional<std::string> idToken{};
  optional<std::string> dpopKey{};
  optional<std::string> grantType{};
};

// A DPoP proof taken apart by the test.
struct dpop_jwk {
  optional<std::string> kty{};
  optional<std::string> crv{};
  optional<std::string> x{};
  optional<std::string> y{};
};
struct dpop_header {
  optional<std::string> typ{};
  optional<std::string> alg{};
  optional<dpop_jwk> jwk{};
};
struct dpop_claims {
  optional<std::string> htm{};
  optional<std::string> htu{};
  optional<std::int64_t> iat{};
  optional<std::string> jti{};
};
struct dpop_proof {
  dpop_header header{};
  dpop_claims claims{};
};

}  // namespace login_test

using login_test::dpop_proof;
using login_test::login_view;

namespace {

// The cache file of login session "abc", named by SHA-256("abc") (FIPS 180 test vector).
constexpr const char* kLoginCacheFile =
    ".aws/login/cache/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.json";

// A P-256 key made for this test with `openssl ecparam -name prime256v1 -genkey -noout`.
constexpr const char* kDpopKey =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIBZ946qbkZZZxUcXPRiws299665Bd2vSp12MxYNyDBy6oAoGCCqGSM49\n"
    "AwEHoUQDQgAEoBiee6+hjTpbiuzPHkbpXSPDtJrUhPhZeYv6i+x67ZULzbpey/DR\n"
    "XQMWowM5ncGOXr5TuMrxV6JglGyZQlyuaQ==\n"
    "-----END EC PRIVATE KEY-----\n";

const char* const kLoginConfig = "[profile console]\nlogin_session = abc\nregion = eu-west-1\n";

std::string json_string(std::string_view s) {
  std::string out;
  json::writer(out).value(s);
  return out;
}

// The cache file `aws login` writes, with credentials "ASIAOLD" expiring at `expires`.
std::string login_cache(timestamp expires, std::string_view dpop_key = kDpopKey) {
  return R"({"accessToken":{"accessKeyId":"ASIAOLD","secretAccessKey":"old-secret",)"
         R"("sessionToken":"old-session-token","accountId":"111122223333","expiresAt":")" +
         iso(expires) +
         R"("},"tokenType":"aws_sigv4","clientId":"arn:aws:signin:::devtools/same-device",)"
         R"("refreshToken":"refresh-token-1","idToken":"id-token-1","dpopKey":)" +
         json_string(dpop_key) + "}";
}

const std::string kNewCredentials =
    R"({"accessToken":{"accessKeyId":"ASIANEW","secretAccessKey":"new-secret","sessionToken":"new-session-token"},)"
    R"("tokenType":"aws_sigv4","expiresIn":900,"refreshToken":"refresh-token-2","idToken":"id-token-2"})";

reply json_reply(std::string body, int status = 200, std::string error_type = {}) {
  reply r{.status = status,
          .header_list = {{"Content-Type", "application/json"}},
          .body = std::move(body),
          .delay_ms = 0};
  if (!error_type.empty()) r.header_list.emplace_back("x-amzn-ErrorType", std::move(error_type));
  return r;
}

struct pkey_free {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;

pkey_ptr test_key() {
  BIO* bio = BIO_new_mem_buf(kDpopKey, -1);
  pkey_ptr key(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  REQUIRE(key);
  return key;
}

// The base64url of a public coordinate of the test key, read by OpenSSL from the PEM.
std::string coordinate(const char* which) {
  BIGNUM* v = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(test_key().get(), which, &v) == 1);
  std::uint8_t bytes[32];
  REQUIRE(BN_bn2binpad(v, bytes, 32) == 32);
  BN_free(v);
  std::string out;
  base64url::append(out, bytes, 32);
  return out;
}

// Splits a DPoP proof, checks its signature with the test key, and reads its two JSON parts.
dpop_proof read_proof(const std::string& jwt) {
  INFO(jwt);
  const std::size_t dot1 = jwt.find('.');
  const std::size_t dot2 = jwt.find('.', dot1 + 1);
  REQUIRE(dot2 != std::string::npos);
  REQUIRE(jwt.find('.', dot2 + 1) == std::string::npos);
  const auto header = base64url::decode(std::string_view(jwt).substr(0, dot1));
  const auto claims = base64url::decode(std::string_view(jwt).substr(dot1 + 1, dot2 - dot1 - 1));
  const auto sig = base64url::decode(std::string_view(jwt).substr(dot2 + 1));
  REQUIRE(header);
  REQUIRE(claims);
  REQUIRE(sig);
  REQUIRE(sig->size() == 64);
  REQUIRE(ecdsa_jose::verify<32>(test_key().get(), EVP_sha256(), std::string_view(jwt).substr(0, dot2),
                                 reinterpret_cast<const std::uint8_t*>(sig->data()), sig->size()));
  return {read_json_text<login_test::dpop_header>(*header), read_json_text<login_test::dpop_claims>(*claims)};
}

// The checks every CreateOAuth2Token request must pass; returns its DPoP proof.
dpop_proof require_token_request(const received& r, const std::string& url) {
  REQUIRE(r.method == "POST");
  REQUIRE(r.target == "/v1/token");
  REQUIRE(r.header("Content-Type") == "application/json");
  REQUIRE_FALSE(r.has_header("Authorization"));  // CreateOAuth2Token is not signed
  REQUIRE_FALSE(r.has_header("X-Amz-Security-Token"));
  const auto body = read_json_text<login_view>(r.body);
  REQUIRE(body.clientId == "arn:aws:signin:::devtools/same-device");
  REQUIRE(body.grantType == "refresh_token");
  REQUIRE(body.refreshToken == "refresh-token-1");
  REQUIRE_FALSE(body.accessToken.has_value());
  const dpop_proof p = read_proof(r.header("DPoP"));
  REQUIRE(p.header.typ == "dpop+jwt");
  REQUIRE(p.header.alg == "ES256");
  REQUIRE(p.header.jwk);
  REQUIRE(p.header.jwk->kty == "EC");
  REQUIRE(p.header.jwk->crv == "P-256");
  REQUIRE(p.header.jwk->x == coordinate(OSSL_PKEY_PARAM_EC_PUB_X));
  REQUIRE(p.header.jwk->y == coordinate(OSSL_PKEY_PARAM_EC_PUB_Y));
  REQUIRE(p.claims.htm == "POST");
  REQUIRE(p.claims.htu == url + "/v1/token");
  REQUIRE(p.claims.iat);
  const auto issued = std::chrono::seconds(*p.claims.iat);
  REQUIRE(issued > now().time_since_epoch() - 60s);
  REQUIRE(issued < now().time_since_epoch() + 1s);
  REQUIRE(p.claims.jti);
  REQUIRE(p.claims.jti->size() == 36);
  return p;
}

// Every secret the tests put in a cache file or a Sign-In answer; the last is part of the DPoP key.
void require_clean(const std::vector<std::string>& texts) {
  ivsrt_test::require_clean(texts, {"old-secret", "old-session-token", "refresh-token-1", "refresh-token-2",
                                    "new-secret", "new-session-token", "id-token-1", "MHcCAQEEIBZ946qbkZZZ"});
}

}  // namespace

TEST_CASE("console sign-in: cached credentials, refreshed with a DPoP proof near their expiry",
          "[credentials][login]") {
  aws_sandbox box;
  recording_server server;
  std::vector<reply> answers;
  server.set_handler([&](const received&) {
    if (answers.empty()) return json_reply(kNewCredentials);
    reply r = answers.front();
    answers.erase(answers.begin());
    return r;
  });
  box.set("AWS_ENDPOINT_URL_SIGNIN", server.url());
  box.set("AWS_PROFILE", "console");
  box.config(kLoginConfig);
  const auto cache_path = box.dir() / kLoginCacheFile;
  std::vector<std::string> lines;

  SECTION("credentials more than 5 minutes from expiry come from the cache file as they are") {
    const timestamp expires = now() + 10min;
    box.write(kLoginCacheFile, login_cache(expires));
    auto c = chain(lines)->resolve();
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIAOLD");
    REQUIRE(c->secret_access_key.reveal() == "old-secret");
    REQUIRE(c->session_token->reveal() == "old-session-token");
    REQUIRE(c->account_id == "111122223333");
    REQUIRE(c->expiration == std::chrono::floor<std::chrono::seconds>(expires));

    // The SDK for JavaScript writes the expiry with milliseconds.
    std::string with_millis = login_cache(expires);
    with_millis.insert(with_millis.find("Z\"},"), ".250");
    box.write(kLoginCacheFile, with_millis);
    c = chain(lines)->resolve();
    REQUIRE(c.ok());
    REQUIRE(c->expiration == std::chrono::floor<std::chrono::seconds>(expires) + 250ms);

    // An expiry past what a timestamp holds (the shared SDK test suite uses the year 3025) is
    // the latest timestamp.
    std::string far = login_cache(expires);
    far.replace(far.find(iso(expires)), iso(expires).size(), "3025-09-14T04:05:45Z");
    box.write(kLoginCacheFile, far);
    c = chain(lines)->resolve();
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE(c->expiration == timestamp(std::chrono::seconds(max_timestamp_seconds)));
    REQUIRE(server.count() == 0);
  }

  SECTION("within 5 minutes: CreateOAuth2Token, and the cache file rewritten with its other members") {
    box.write(kLoginCacheFile, login_cache(now() + 4min));
    auto c = chain(lines)->resolve();
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIANEW");
    REQUIRE(c->secret_access_key.reveal() == "new-secret");
    REQUIRE(c->session_token->reveal() == "new-session-token");
    REQUIRE(c->account_id == "111122223333");
    REQUIRE(*c->expiration > now() + 15min - 1min);
    REQUIRE(*c->expiration <= now() + 15min);
    REQUIRE(server.count() == 1);
    const dpop_proof first = require_token_request(server.last(), server.url());
    REQUIRE(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
      return contains(l, "refreshed the credentials of login session abc");
    }));

    const auto saved = read_json_text<login_view>(read_text(cache_path));
    REQUIRE(saved.accessToken);
    REQUIRE(saved.accessToken->accessKeyId == "ASIANEW");
    REQUIRE(saved.accessToken->secretAccessKey == "new-secret");
    REQUIRE(saved.accessToken->sessionToken == "new-session-token");
    REQUIRE(saved.accessToken->accountId == "111122223333");
    REQUIRE(parse_timestamp(*saved.accessToken->expiresAt) == c->expiration);
    REQUIRE(saved.refreshToken == "refresh-token-2");
    REQUIRE(saved.clientId == "arn:aws:signin:::devtools/same-device");
    REQUIRE(saved.tokenType == "aws_sigv4");
    REQUIRE(saved.idToken == "id-token-1");  // kept: only the credentials and refresh token change
    REQUIRE(saved.dpopKey == kDpopKey);
    REQUIRE(std::filesystem::status(cache_path).permissions() ==
            (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    REQUIRE(std::distance(std::filesystem::directory_iterator(cache_path.parent_path()),
                          std::filesystem::directory_iterator()) == 1);  // no temporary file left

    // The rewritten file is good for 15 minutes: the next chain uses it as it is.
    REQUIRE(chain(lines)->resolve()->access_key_id == "ASIANEW");
    REQUIRE(server.count() == 1);

    // Each proof has an id of its own.
    box.write(kLoginCacheFile, login_cache(now() + 1min));
    REQUIRE(chain(lines)->resolve()->access_key_id == "ASIANEW");
    REQUIRE(server.count() == 2);
    REQUIRE(require_token_request(server.last(), server.url()).claims.jti != first.claims.jti);
  }

  SECTION("a refusal (AccessDeniedException) means signing in again, even with time left") {
    const std::string before = login_cache(now() + 4min);
    box.write(kLoginCacheFile, before);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"TOKEN_EXPIRED", "the login session has expired"},
        {"USER_CREDENTIALS_CHANGED", "the password was changed"},
        {"INSUFFICIENT_PERMISSIONS", "signin:CreateOAuth2Token"},
        {"server_error", "access denied (server_error)"}};
    for (const auto& [code, says] : cases) {
      answers.push_back(
          json_reply(R"({"error":")" + code + R"(","message":"denied"})", 400, "AccessDeniedException"));
      auto c = chain(lines)->resolve();
      REQUIRE_FALSE(c.ok());
      INFO(c.error().message);
      REQUIRE(c.error().code == "LoginRefreshRefused");
      REQUIRE(contains(c.error().message, says));
      REQUIRE(contains(c.error().message, "aws login --profile console"));
      lines.push_back(c.error().message);
    }
    REQUIRE(read_text(cache_path) == before);
  }

  SECTION("a 5xx or throttling is tried again, each attempt with a proof of its own") {
    box.write(kLoginCacheFile, login_cache(now() + 4min));
    answers.push_back(
        json_reply(R"({"error":"server_error","message":"try later"})", 500, "InternalServerException"));
    answers.push_back(json_reply(R"({"message":"slow down"})", 429, "TooManyRequestsException"));
    std::vector<std::chrono::nanoseconds> waits;
    credential_chain_settings settings = ivsrt_test::recording_waits(waits);
    auto c = chain(lines, settings)->resolve();
    INFO((c.ok() ? std::string() : c.error().message));
    REQUIRE(c.ok());
    REQUIRE(c->access_key_id == "ASIANEW");
    REQUIRE(server.count() == 3);
    REQUIRE(waits.size() == 2);
    std::set<std::string> ids;
    for (const received& r : server.requests())
      ids.insert(*require_token_request(r, server.url()).claims.jti);
    REQUIRE(ids.size() == 3);
  }

  SECTION("another failure leaves credentials that are still valid in use; expired ones are an error") {
    box.write(kLoginCacheFile, login_cache(now() + 4min));
    for (int i = 0; i < 3; ++i) {
      answers.push_back(
          json_reply(R"({"error":"server_error","message":"try later"})", 500, "InternalServerException"));
    }
    credential_chain_settings settings;
    settings.retries.sleep = [](std::chrono::nanoseconds) {};
    auto c = chain(lines, settings)->resolve();
    REQUIRE(c.ok());
    REQUIRE(server.count() == 3);
    REQUIRE(c->access_key_id == "ASIAOLD");
    REQUIRE(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
      return contains(l, "refreshing the credentials of login session abc failed") &&
             contains(l, "InternalServerException");
    }));

    box.write(kLoginCacheFile, login_cache(now() - 1min));
    const std::vector<std::string> malformed = {
        R"({"accessToken":{"accessKeyId":"ASIANEW","secretAccessKey":"new-secret"},"expiresIn":900,"refreshToken":"r"})",
        R"({"accessToken":{"accessKeyId":"ASIANEW","secretAccessKey":"new-secret","sessionToken":"t"},"expiresIn":900})",
        R"({"accessToken":{"accessKeyId":"ASIANEW","secretAccessKey":"new-secret","sessionToken":"t"},"expiresIn":0,"refreshToken":"r"})",
        "not json"};
    for (const auto& body : malformed) {
      answers.push_back(json_reply(body));
      c = chain(lines)->resolve();
      REQUIRE_FALSE(c.ok());
      INFO(c.error().message);
      REQUIRE(c.error().code == "LoginSessionExpired");
      REQUIRE(contains(c.error().message, "refreshing them failed"));
      REQUIRE(contains(c.error().message, "aws login --profile console"));
      lines.push_back(c.error().message);
    }
    REQUIRE(server.count() == 3 + malformed.size());
  }

  SECTION("cache files that cannot be used say why, without their contents") {
    auto fails = [&](const std::string& code, std::string_view says) {
      auto c = chain(lines)->resolve();
      REQUIRE_FALSE(c.ok());
      INFO(c.error().message);
      REQUIRE(c.error().code == code);
      REQUIRE(contains(c.error().message, says));
      lines.push_back(c.error().message);
    };
    fails("LoginTokenNotFound", "no cached credentials for login session abc");
    box.write(kLoginCacheFile, R"({"accessToken":{"accessKeyId":"ASIAOLD","secretAccessKey":"old-secret"},)"
                               R"("refreshToken":"refresh-token-1"})");
    fails("LoginTokenInvalid",
          "lacks accessToken.sessionToken, accessToken.accountId, accessToken.expiresAt, clientId, dpopKey");
    box.write(kLoginCacheFile, R"({"accessToken":"old-secret",)");
    fails("LoginTokenInvalid", "is not readable");
    std::string bad_time = login_cache(now() + 1h);
    bad_time.replace(bad_time.find("\"expiresAt\":\"") + 13, 4, "soon");
    box.write(kLoginCacheFile, bad_time);
    fails("LoginTokenInvalid", "not a timestamp");

    box.write(kLoginCacheFile, login_cache(now() - 1min, "-----BEGIN EC PRIVATE KEY-----\nnot base64\n"));
    fails("LoginSessionExpired", "the dpopKey in the cache file cannot be used");
    const auto p384 = tokens::private_key::generate();
    REQUIRE(p384.ok());
    box.write(kLoginCacheFile, login_cache(now() - 1min, p384->to_pem()->reveal()));
    fails("LoginSessionExpired", "not an ECDSA P-256 key");
    REQUIRE(server.count() == 0);
  }
  require_clean(lines);
}

TEST_CASE("console sign-in: the chain, the Sign-In endpoint and the cache directory",
          "[credentials][login]") {
  aws_sandbox box;
  std::vector<std::string> lines;

  SECTION("the regional Sign-In endpoints of the service's endpoint rules") {
    REQUIRE(detail::signin_url("us-east-1") == "https://us-east-1.signin.aws.amazon.com");
    REQUIRE(detail::signin_url("eu-west-1") == "https://eu-west-1.signin.aws.amazon.com");
    REQUIRE(detail::signin_url("cn-north-1") == "https://cn-north-1.signin.amazonaws.cn");
    REQUIRE(detail::signin_url("us-gov-west-1") == "https://us-gov-west-1.signin.amazonaws-us-gov.com");
    REQUIRE(detail::signin_url("us-iso-east-1") == "https://signin.us-iso-east-1.c2s.ic.gov");
    REQUIRE(detail::signin_url("eusc-de-east-1") == "https://signin.eusc-de-east-1.amazonaws.eu");
  }

  SECTION("login_session comes before credential_process and static keys in the same profile") {
    box.set("AWS_PROFILE", "console");
    box.write(kLoginCacheFile, login_cache(now() + 1h));
    box.config(std::string(kLoginConfig) + "credential_process = /bin/false\n");
    REQUIRE(chain(lines)->resolve()->access_key_id == "ASIAOLD");
    box.config(std::string(kLoginConfig) + "aws_access_key_id = AKIDSTATIC\naws_secret_access_key = s\n");
    REQUIRE(chain(lines)->resolve()->access_key_id == "ASIAOLD");
  }

  SECTION("AWS_LOGIN_CACHE_DIRECTORY (~ expanded) moves the cache; signInRegion picks the endpoint") {
    box.set("AWS_PROFILE", "console");
    box.config(kLoginConfig);
    box.set("AWS_LOGIN_CACHE_DIRECTORY", box.path("elsewhere"));
    std::string cache = login_cache(now() + 1h);
    box.write("elsewhere/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.json", cache);
    REQUIRE(chain(lines)->resolve()->access_key_id == "ASIAOLD");
    // A leading ~ is the home directory (the sandbox's), as botocore expands it.
    box.set("AWS_LOGIN_CACHE_DIRECTORY", "~/elsewhere");
    REQUIRE(chain(lines)->resolve()->access_key_id == "ASIAOLD");

    // Without a configured endpoint the request goes to the Sign-In endpoint of the file's
    // signInRegion, over HTTPS: a proxy standing in refuses the tunnel and shows where it led.
    ivsrt_test::fault_server proxy;
    proxy.enqueue(reply{.status = 403, .header_list = {}, .body = "", .delay_ms = 0});
    const ivsrt_test::scoped_env via_proxy({{"HTTPS_PROXY", proxy.url()}});
    cache = login_cache(now() - 1min);
    cache.insert(cache.size() - 1, R"(,"signInRegion":"eu-isoe-west-1")");
    box.write("elsewhere/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.json", cache);
    credential_chain_settings once;  // a refused tunnel is a failed connection, which is retried
    once.retries.max_attempts = 1;
    auto c = chain(lines, once)->resolve();
    REQUIRE_FALSE(c.ok());
    INFO(c.error().message);
    REQUIRE(c.error().code == "LoginSessionExpired");
    REQUIRE(proxy.count() == 1);
    REQUIRE(proxy.requests()[0].method == "CONNECT");
    REQUIRE(proxy.requests()[0].target == "signin.eu-isoe-west-1.cloud.adc-e.uk:443");
    lines.push_back(c.error().message);
  }
  require_clean(lines);
}

TEST_CASE("DPoP keys: what is refused", "[credentials][login]") {
  REQUIRE(dpop::key::from_pem(kDpopKey).ok());
  // Line breaks escaped as \n (a cache file written by hand) are read as line breaks.
  std::string escaped;
  for (const char c : std::string_view(kDpopKey))
    escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  REQUIRE(escaped.find('\n') == std::string::npos);
  const auto from_escaped = dpop::key::from_pem(escaped);
  REQUIRE(from_escaped.ok());
  const auto header_of = [](const dpop::key& k) {
    const auto proof = k.proof("POST", "https://x/v1/token", 1);
    REQUIRE(proof.ok());
    return proof->substr(0, proof->find('.'));  // holds the public key
  };
  REQUIRE(header_of(*from_escaped) == header_of(*dpop::key::from_pem(kDpopKey)));
  REQUIRE(dpop::key::from_pem("").error().code == "InvalidDpopKey");
  const auto p384 = tokens::private_key::generate();
  REQUIRE(p384.ok());
  const auto refused = dpop::key::from_pem(p384->to_pem()->reveal());
  REQUIRE(refused.error().code == "InvalidDpopKey");
  REQUIRE(contains(refused.error().message, "not an ECDSA P-256 key"));
  REQUIRE(dpop::key::from_pem(p384->public_part()->to_pem().value()).error().code == "InvalidDpopKey");
}

TEST_CASE("console sign-in refresh matches the SDK for JavaScript's (skipped without node and the provider)",
          "[credentials][login][javascript]") {
  aws_sandbox box;
  if (std::system("node -e \"require('@aws-sdk/credential-provider-login')\" >/dev/null 2>&1") != 0) {
    IVSRT_SKIP("node with @aws-sdk/credential-provider-login (found through NODE_PATH) is not installed");
  }
  recording_server server;
  server.set_handler([](const received&) { return json_reply(kNewCredentials); });
  box.set("AWS_PROFILE", "console");
  box.config(kLoginConfig);
  const std::string original = login_cache(now() + 2min);
  const auto cache_path = box.dir() / kLoginCacheFile;

  box.write(kLoginCacheFile, original);
  box.set("SIGNIN_URL", server.url());
  const std::string script = box.write("login.js", R"(
const { fromLoginCredentials } = require('@aws-sdk/credential-provider-login');
fromLoginCredentials({ profile: 'console', clientConfig: { endpoint: process.env.SIGNIN_URL } })()
  .then((c) => { if (c.accessKeyId !== 'ASIANEW' || c.accountId !== '111122223333') process.exit(2); })
  .catch((e) => { console.error(String(e)); process.exit(1); });
)");
  REQUIRE(std::system(("node '" + script + "'").c_str()) == 0);
  REQUIRE(server.count() == 1);
  const received theirs = server.last();
  const auto their_file = read_json_text<login_view>(read_text(cache_path));

  box.write(kLoginCacheFile, original);
  box.set("AWS_ENDPOINT_URL_SIGNIN", server.url());
  std::vector<std::string> lines;
  auto c = chain(lines)->resolve();
  INFO((c.ok() ? std::string() : c.error().message));
  REQUIRE(c.ok());
  REQUIRE(c->access_key_id == "ASIANEW");
  REQUIRE(server.count() == 2);
  const received ours = server.last();
  const auto our_file = read_json_text<login_view>(read_text(cache_path));

  // The same request: both pass every check, and their bodies and proofs agree.
  const dpop_proof their_proof = require_token_request(theirs, server.url());
  const dpop_proof our_proof = require_token_request(ours, server.url());
  REQUIRE(read_json_text<login_view>(ours.body).clientId == read_json_text<login_view>(theirs.body).clientId);
  REQUIRE(our_proof.header.jwk->x == their_proof.header.jwk->x);
  REQUIRE(our_proof.header.jwk->y == their_proof.header.jwk->y);
  REQUIRE(our_proof.claims.htu == their_proof.claims.htu);

  // The same file, but for the expiry's format (JavaScript writes milliseconds).
  REQUIRE(our_file.accessToken->accessKeyId == their_file.accessToken->accessKeyId);
  REQUIRE(our_file.accessToken->secretAccessKey == their_file.accessToken->secretAccessKey);
  REQUIRE(our_file.accessToken->sessionToken == their_file.accessToken->sessionToken);
  REQUIRE(our_file.accessToken->accountId == their_file.accessToken->accountId);
  const auto our_expiry = parse_timestamp(*our_file.accessToken->expiresAt);
  const auto their_expiry = parse_timestamp(*their_file.accessToken->expiresAt);
  REQUIRE(our_expiry);
  REQUIRE(their_expiry);
  REQUIRE(*our_expiry - *their_expiry < 30s);
  REQUIRE(*their_expiry - *our_expiry < 30s);
  REQUIRE(our_file.refreshToken == their_file.refreshToken);
  REQUIRE(our_file.clientId == their_file.clientId);
  REQUIRE(our_file.tokenType == their_file.tokenType);
  REQUIRE(our_file.idToken == their_file.idToken);
  REQUIRE(our_file.dpopKey == their_file.dpopKey);
}
