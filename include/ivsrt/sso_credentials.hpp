// IAM Identity Center (SSO) credentials: the access token `aws sso login` cached under
// ~/.aws/sso/cache/<SHA-1 of the sso-session name, or of the start URL for legacy profiles>.json
// is exchanged for role credentials at the SSO portal (GetRoleCredentials). An expired or missing
// token means signing in again; this client does not refresh tokens itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/credential_http.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/crypto.hpp"
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

struct sso_token_document {
  optional<sensitive_string> accessToken{};
  optional<std::string> expiresAt{};
};

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
  return parse_timestamp(s);
}

}  // namespace detail

class sso_provider final : public credentials_provider {
 public:
  // `cache_dir` is the sso/cache directory; `portal` the SSO portal endpoint.
  sso_provider(sso_settings settings, std::string cache_dir, uri::endpoint portal,
               std::shared_ptr<http::transport> transport)
      : s_(std::move(settings)),
        cache_dir_(std::move(cache_dir)),
        portal_(std::move(portal)),
        transport_(std::move(transport)) {}

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
    const auto expires = detail::parse_sso_expiry(*token.expiresAt);
    const auto now = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
    if (!expires || *expires <= now) {
      return make_error(error_kind::credentials, "SsoTokenExpired",
                        "the cached SSO token for " + token_key() + " has expired; " + login);
    }
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
    const std::string what =
        "SSO GetRoleCredentials for role " + s_.role_name + " in account " + s_.account_id;
    auto resp = detail::credentials_answer(std::move(sent), what, login);
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
    if (*rc.expiration <= 0 || *rc.expiration > max_timestamp_seconds * 1000) {
      return make_error(error_kind::credentials, "InvalidResponse", what + ": expiration is out of range");
    }
    credentials c;
    c.access_key_id = std::move(*rc.accessKeyId);
    c.secret_access_key = std::move(*rc.secretAccessKey);
    c.session_token = std::move(*rc.sessionToken);
    c.expiration = timestamp(std::chrono::milliseconds(*rc.expiration));
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

  sso_settings s_;
  std::string cache_dir_;
  uri::endpoint portal_;
  std::shared_ptr<http::transport> transport_;
};

}  // namespace ivsrt
