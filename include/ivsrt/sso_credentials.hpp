// IAM Identity Center (SSO) credentials: the access token `aws sso login` cached under
// ~/.aws/sso/cache/<SHA-1 of the sso-session name, or of the start URL for legacy profiles>.json
// is exchanged for role credentials at the SSO portal (GetRoleCredentials). For an sso-session
// profile, a token within 15 minutes of expiry is first refreshed at SSO OIDC (CreateToken with
// the cached refresh token and client registration) and the cache file rewritten, as botocore
// does; when that fails, a token still valid is used, and an expired one means signing in again.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/atomic_file.hpp"
#include "ivsrt/credential_http.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/crypto.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/optional.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt {

struct sso_settings {
  std::string profile{};
  std::string session_name{};  // "" for a legacy profile (sso_start_url in the profile itself)
  std::string start_url{};
  std::string sso_region{};
  std::string account_id{};
  std::string role_name{};
};

namespace detail {

// The cache file, in the members and order botocore writes it.
struct sso_token_document {
  optional<std::string> startUrl{};
  optional<std::string> region{};
  optional<sensitive_string> accessToken{};
  optional<std::string> expiresAt{};
  optional<std::string> clientId{};
  optional<sensitive_string> clientSecret{};
  optional<std::string> registrationExpiresAt{};
  optional<sensitive_string> refreshToken{};
};

struct sso_create_token_request {
  std::string clientId{};
  sensitive_string clientSecret{};
  std::string grantType{};
  sensitive_string refreshToken{};
};

struct sso_create_token_response {
  optional<sensitive_string> accessToken{};
  optional<std::int64_t> expiresIn{};  // seconds
  optional<sensitive_string> refreshToken{};
};

// How long before its expiry a token is refreshed, and the longest lifetime taken from CreateToken.
inline constexpr std::chrono::minutes sso_refresh_window{15};
inline constexpr std::int64_t sso_max_token_seconds = 366LL * 24 * 3600;

struct sso_role_credentials {
  optional<std::string> accessKeyId{};
  optional<sensitive_string> secretAccessKey{};
  optional<sensitive_string> sessionToken{};
  optional<std::int64_t> expiration{};  // milliseconds since the epoch
};

struct sso_role_credentials_response {
  optional<sso_role_credentials> roleCredentials{};
};

// Older AWS CLI versions wrote "2024-01-01T00:00:00UTC".
inline std::optional<timestamp> parse_sso_expiry(std::string s) {
  if (s.size() > 3 && s.compare(s.size() - 3, 3, "UTC") == 0) s.replace(s.size() - 3, 3, "Z");
  return parse_expiry(s);
}

}  // namespace detail

class sso_provider final : public credentials_provider {
 public:
  // `cache_dir` is the sso/cache directory; `portal` the SSO portal endpoint; `oidc` the SSO OIDC
  // endpoint that refreshes the tokens of sso-session profiles (none: tokens are not refreshed).
  sso_provider(sso_settings settings, std::string cache_dir, uri::endpoint portal,
               std::optional<uri::endpoint> oidc, std::shared_ptr<http::transport> transport,
               std::function<void(std::string_view)> log = {}, credential_call_retries retries = {})
      : s_(std::move(settings)),
        cache_dir_(std::move(cache_dir)),
        portal_(std::move(portal)),
        oidc_(std::move(oidc)),
        transport_(std::move(transport)),
        log_(std::move(log)),
        retries_(std::move(retries)) {}

  // The cache file that holds the token for these settings.
  [[nodiscard]] std::string token_file() const {
    return cache_dir_ + "/" + crypto::sha1_hex(s_.session_name.empty() ? s_.start_url : s_.session_name) +
           ".json";
  }

  result<credentials> resolve() override {
    const std::string login = "run 'aws sso login --profile " + s_.profile + "' to sign in again";
    const std::string path = token_file();
    std::string text;
    if (auto r = detail::read_file(path, std::size_t{1} << 20, text, "SSO token cache file"); !r) {
      return make_error(error_kind::credentials, "SsoTokenNotFound",
                        "no cached SSO token for " + token_key() + " (" + r.error().message + "); " + login);
    }
    detail::sso_token_document token;
    auto parsed = detail::read_json(text, token);
    wipe(text);
    if (!parsed || !token.accessToken || token.accessToken->empty() || !token.expiresAt) {
      return make_error(
          error_kind::credentials, "SsoTokenInvalid",
          "the cached SSO token in " + path + " is not readable or lacks accessToken/expiresAt; " + login);
    }
    auto expires = detail::parse_sso_expiry(*token.expiresAt);
    const timestamp now = system_now();
    std::string refresh_failure;
    if (!s_.session_name.empty() && oidc_ && (!expires || *expires - now < detail::sso_refresh_window)) {
      if (auto renewed = refresh(token, now, path)) {
        expires = *renewed;
        if (log_) log_("credentials: refreshed the SSO token of " + token_key() + " at SSO OIDC");
      } else {
        refresh_failure = renewed.error().message;
        if (log_)
          log_("credentials: refreshing the SSO token of " + token_key() + " failed: " + refresh_failure);
      }
    }
    if (!expires) {
      return make_error(
          error_kind::credentials, "SsoTokenInvalid",
          "the expiresAt of the cached SSO token in " + path +
              " is not an ISO 8601 date-time such as 2030-01-01T00:00:00Z" +
              (refresh_failure.empty() ? std::string()
                                       : ", and refreshing the token failed (" + refresh_failure + ")") +
              "; " + login);
    }
    if (*expires <= now) {
      return make_error(
          error_kind::credentials, "SsoTokenExpired",
          "the cached SSO token for " + token_key() + " has expired" +
              (refresh_failure.empty() ? std::string()
                                       : " and refreshing it failed (" + refresh_failure + ")") +
              "; " + login);
    }
    const std::string what =
        "SSO GetRoleCredentials for role " + s_.role_name + " in account " + s_.account_id;
    auto resp = detail::with_retries(retries_, [&] {
      http::request req;
      req.method = "GET";
      req.url = portal_.origin() + portal_.base_path + "/federation/credentials?account_id=";
      uri::append_encoded(req.url, s_.account_id);
      req.url += "&role_name=";
      uri::append_encoded(req.url, s_.role_name);
      req.headers.emplace_back("Host", portal_.authority());
      req.headers.emplace_back("x-amz-sso_bearer_token", token.accessToken->reveal());
      req.headers.emplace_back("User-Agent", detail::user_agent());
      auto sent = transport_->send(req);
      for (auto& h : req.headers) wipe(h.second);
      return detail::credentials_answer(std::move(sent), what, login);
    });
    if (!resp) return resp.error();
    detail::sso_role_credentials_response body;
    auto read = detail::read_json(resp->body, body);
    wipe(resp->body);
    if (!read || !body.roleCredentials || !body.roleCredentials->accessKeyId ||
        !body.roleCredentials->secretAccessKey || !body.roleCredentials->sessionToken ||
        !body.roleCredentials->expiration) {
      return make_error(error_kind::credentials, "InvalidResponse",
                        what +
                            ": the response lacks roleCredentials with accessKeyId, secretAccessKey, "
                            "sessionToken and expiration");
    }
    auto& rc = *body.roleCredentials;
    if (*rc.expiration <= 0) {
      return make_error(error_kind::credentials, "InvalidResponse", what + ": expiration is out of range");
    }
    credentials c;
    c.access_key_id = std::move(*rc.accessKeyId);
    c.secret_access_key = std::move(*rc.secretAccessKey);
    c.session_token = std::move(*rc.sessionToken);
    // After 2262 the latest timestamp, as parse_expiry() reads such an expiry from the other sources.
    c.expiration = *rc.expiration > max_timestamp_seconds * 1000
                       ? timestamp(std::chrono::seconds(max_timestamp_seconds))
                       : timestamp(std::chrono::milliseconds(*rc.expiration));
    c.account_id = s_.account_id;
    return c;
  }

  [[nodiscard]] std::string describe() const override {
    return "profile " + s_.profile + ": IAM Identity Center role " + s_.role_name + " in account " +
           s_.account_id + " (" + token_key() + ")";
  }

 private:
  [[nodiscard]] std::string token_key() const {
    return s_.session_name.empty() ? "start URL " + s_.start_url : "sso-session " + s_.session_name;
  }

  static error refresh_error(std::string message) {
    return make_error(error_kind::credentials, "SsoTokenRefreshFailed", std::move(message));
  }

  // Trades the cached refresh token for a new access token (SSO OIDC CreateToken), puts it in
  // `token` and rewrites the cache file as botocore does. Returns the new expiry. A failure to
  // rewrite the file is logged, not returned: the new token is good for this process either way.
  result<timestamp> refresh(detail::sso_token_document& token, timestamp now, const std::string& path) {
    if (!token.refreshToken || token.refreshToken->empty() || !token.clientId || !token.clientSecret ||
        !token.registrationExpiresAt) {
      return refresh_error(
          "the cache file holds no refresh token and client registration (refreshToken, clientId, "
          "clientSecret and registrationExpiresAt)");
    }
    const auto registration = detail::parse_sso_expiry(*token.registrationExpiresAt);
    if (!registration || *registration <= now) {
      return refresh_error("the client registration in the cache file has expired");
    }
    detail::sso_create_token_request body{.clientId = *token.clientId,
                                          .clientSecret = *token.clientSecret,
                                          .grantType = "refresh_token",
                                          .refreshToken = *token.refreshToken};
    http::request req;
    req.method = "POST";
    req.url = oidc_->origin() + oidc_->base_path + "/token";
    req.headers.emplace_back("Host", oidc_->authority());
    req.headers.emplace_back("Content-Type", "application/json");
    req.headers.emplace_back("User-Agent", detail::user_agent());
    req.has_body = true;
    json::writer w(req.body);
    if (!w.object(body, nullptr)) {
      wipe(req.body);
      return refresh_error("the client registration in the cache file is not valid UTF-8");
    }
    auto resp = detail::with_retries(
        retries_, [&] { return detail::credentials_answer(transport_->send(req), "SSO OIDC CreateToken"); });
    wipe(req.body);
    if (!resp) return refresh_error(resp.error().code + ": " + resp.error().message);
    detail::sso_create_token_response answer;
    auto read = detail::read_json(resp->body, answer);
    wipe(resp->body);
    if (!read || !answer.accessToken || answer.accessToken->empty() || !answer.expiresIn ||
        *answer.expiresIn <= 0 || *answer.expiresIn > detail::sso_max_token_seconds) {
      return refresh_error("SSO OIDC CreateToken: the response lacks accessToken and a valid expiresIn");
    }
    const timestamp expires =
        std::chrono::floor<std::chrono::seconds>(now) + std::chrono::seconds(*answer.expiresIn);
    token.startUrl = s_.start_url;
    token.region = s_.sso_region;
    token.accessToken = std::move(*answer.accessToken);
    token.expiresAt = format_timestamp(expires);
    token.refreshToken = std::move(answer.refreshToken);  // botocore keeps none if none came back
    std::string text;
    json::writer(text).object(token, nullptr);
    if (auto failed = atomic_file::replace(path, text, path + ".XXXXXX")) {
      if (log_) log_("credentials: the refreshed SSO token could not be saved: " + failed->describe());
    }
    wipe(text);
    return expires;
  }

  sso_settings s_;
  std::string cache_dir_;
  uri::endpoint portal_;
  std::optional<uri::endpoint> oidc_;
  std::shared_ptr<http::transport> transport_;
  std::function<void(std::string_view)> log_;
  credential_call_retries retries_;
};

}  // namespace ivsrt
