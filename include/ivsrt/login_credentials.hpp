// Console sign-in credentials (`aws login`): a profile with `login_session` reads the credentials
// `aws login` cached in $AWS_LOGIN_CACHE_DIRECTORY (default ~/.aws/login/cache), in
// <SHA-256 of the session name>.json. Within 5 minutes of their expiry they are refreshed at the
// AWS Sign-In service (CreateOAuth2Token, unsigned, with the cached refresh token and a DPoP proof
// signed by the cached key) and the file rewritten with every other member kept, as botocore and
// the SDK for JavaScript do. When a refresh fails, credentials still valid are used; a refusal by
// the service (AccessDeniedException) means signing in again.
#pragma once

#include <array>
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
#include "ivsrt/dpop.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/optional.hpp"
#include "ivsrt/region.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt {

struct login_settings {
  std::string profile{};
  std::string session{};  // the profile's login_session
};

namespace detail {

// The cache file, as far as ivsrt reads it; the other members are kept when it is rewritten.
struct login_cached_credentials {
  optional<std::string> accessKeyId{};
  optional<sensitive_string> secretAccessKey{};
  optional<sensitive_string> sessionToken{};
  optional<std::string> accountId{};
  optional<std::string> expiresAt{};
};

struct login_token_document {
  optional<login_cached_credentials> accessToken{};
  optional<std::string> clientId{};
  optional<sensitive_string> refreshToken{};
  optional<sensitive_string> dpopKey{};
  optional<std::string> signInRegion{};
};

struct login_token_request {
  std::string clientId{};
  std::string grantType{};
  sensitive_string refreshToken{};
};

struct login_issued_credentials {
  optional<std::string> accessKeyId{};
  optional<sensitive_string> secretAccessKey{};
  optional<sensitive_string> sessionToken{};
};

struct login_token_response {
  optional<login_issued_credentials> accessToken{};
  optional<std::int64_t> expiresIn{};  // seconds
  optional<sensitive_string> refreshToken{};
};

inline constexpr std::chrono::minutes login_refresh_window{5};
inline constexpr std::int64_t login_max_token_seconds = std::int64_t{12} * 3600;

// The Sign-In endpoint of a region, as the service's endpoint rules have it.
inline std::string signin_url(const std::string& region) {
  const std::string_view suffix = endpoints::aws_partition(region).dns_suffix;
  if (region.rfind("cn-", 0) == 0) return "https://" + region + ".signin.amazonaws.cn";
  if (region.rfind("us-gov-", 0) == 0) return "https://" + region + ".signin.amazonaws-us-gov.com";
  if (suffix == "amazonaws.com") return "https://" + region + ".signin.aws.amazon.com";
  return "https://signin." + region + "." + std::string(suffix);
}

// The cache file with new credentials and refresh token, every other member as it was.
struct login_cache_rewrite {
  std::array<std::pair<std::string_view, std::string_view>, 4> access{};  // accessToken's new members
  std::string_view refresh_token{};
  std::string out{};
};

inline bool rewrite_login_cache(json::reader& r, json::dom::element doc, void* target) {
  auto& u = *static_cast<login_cache_rewrite*>(target);
  json::dom::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS)
    return r.fail_root("the cache file is not a JSON object");
  json::writer w(u.out);
  auto key = [&](bool& first, std::string_view k) {
    if (!first) u.out += ',';
    first = false;
    w.value(k);
    u.out += ':';
  };
  auto kept = [&](json::dom::element e) {
    std::string text = simdjson::minify(e);
    u.out += text;
    wipe(text);
  };
  u.out += '{';
  bool first = true;
  bool refresh_written = false;
  for (json::dom::key_value_pair field : root) {
    key(first, field.key);
    json::dom::object token;
    if (field.key == "refreshToken") {
      w.value(u.refresh_token);
      refresh_written = true;
    } else if (field.key != "accessToken" || field.value.get_object().get(token) != simdjson::SUCCESS) {
      kept(field.value);
    } else {
      u.out += '{';
      bool inner_first = true;
      std::array<bool, 4> written{};
      for (json::dom::key_value_pair m : token) {
        key(inner_first, m.key);
        std::size_t i = 0;
        while (i < u.access.size() && u.access[i].first != m.key) ++i;
        if (i == u.access.size()) {
          kept(m.value);
        } else {
          w.value(u.access[i].second);
          written[i] = true;
        }
      }
      for (std::size_t i = 0; i < u.access.size(); ++i) {
        if (written[i]) continue;
        key(inner_first, u.access[i].first);
        w.value(u.access[i].second);
      }
      u.out += '}';
    }
  }
  if (!refresh_written) {
    key(first, "refreshToken");
    w.value(u.refresh_token);
  }
  u.out += '}';
  return true;
}

}  // namespace detail

class login_provider final : public credentials_provider {
 public:
  // `cache_dir` holds the token files; `endpoint` is the configured Sign-In endpoint, if any, else
  // the endpoint of the region the cache file names (signInRegion), else of `region`.
  login_provider(login_settings settings, std::string cache_dir, std::optional<uri::endpoint> endpoint,
                 std::string region, std::shared_ptr<http::transport> transport,
                 std::function<void(std::string_view)> log = {}, credential_call_retries retries = {})
      : s_(std::move(settings)),
        cache_dir_(std::move(cache_dir)),
        endpoint_(std::move(endpoint)),
        region_(std::move(region)),
        transport_(std::move(transport)),
        log_(std::move(log)),
        retries_(std::move(retries)) {}

  // The cache file that holds this session's credentials.
  [[nodiscard]] std::string token_file() const {
    return cache_dir_ + "/" + crypto::hex(crypto::sha256(s_.session)) + ".json";
  }

  result<credentials> resolve() override {
    const std::string path = token_file();
    std::string text;
    const wipe_on_exit text_guard{text};
    if (auto r = detail::read_file(path, std::size_t{1} << 20, text, "login token cache file"); !r) {
      return make_error(error_kind::credentials, "LoginTokenNotFound",
                        "no cached credentials for login session " + s_.session + " (" + r.error().message +
                            "); " + sign_in_again());
    }
    detail::login_token_document token;
    if (auto read = detail::read_json(text, token); !read) {
      return invalid(path, "is not readable (" + read.error().message + ")");
    }
    std::string missing;
    auto need = [&](bool present, std::string_view name) {
      if (!present) missing.append(missing.empty() ? "" : ", ").append(name);
    };
    const bool has_access = token.accessToken.has_value();
    need(has_access && token.accessToken->accessKeyId, "accessToken.accessKeyId");
    need(has_access && token.accessToken->secretAccessKey, "accessToken.secretAccessKey");
    need(has_access && token.accessToken->sessionToken, "accessToken.sessionToken");
    need(has_access && token.accessToken->accountId, "accessToken.accountId");
    need(has_access && token.accessToken->expiresAt, "accessToken.expiresAt");
    need(token.clientId.has_value(), "clientId");
    need(token.refreshToken.has_value(), "refreshToken");
    need(token.dpopKey.has_value(), "dpopKey");
    if (!missing.empty()) return invalid(path, "lacks " + missing);
    const auto expires = parse_expiry(*token.accessToken->expiresAt);
    if (!expires) return invalid(path, "has an accessToken.expiresAt that is not a timestamp");
    const timestamp now = system_now();
    if (*expires - now > detail::login_refresh_window) return cached(*token.accessToken, *expires);

    auto renewed = refresh(token, text, path, now);
    if (renewed) {
      if (log_)
        log_("credentials: refreshed the credentials of login session " + s_.session + " at AWS Sign-In");
      return renewed;
    }
    if (renewed.error().code != "LoginRefreshFailed") return renewed.error();  // refused: sign in again
    const std::string failure = renewed.error().message;
    if (log_)
      log_("credentials: refreshing the credentials of login session " + s_.session + " failed: " + failure);
    if (*expires > now) return cached(*token.accessToken, *expires);
    return make_error(error_kind::credentials, "LoginSessionExpired",
                      "the cached credentials of login session " + s_.session +
                          " have expired and refreshing them failed (" + failure + "); " + sign_in_again());
  }

  [[nodiscard]] std::string describe() const override {
    return "profile " + s_.profile + ": console sign-in (login session " + s_.session + ")";
  }

 private:
  struct wipe_on_exit {
    explicit wipe_on_exit(std::string& t) : text(t) {}
    wipe_on_exit(const wipe_on_exit&) = delete;
    wipe_on_exit& operator=(const wipe_on_exit&) = delete;
    ~wipe_on_exit() { wipe(text); }
    std::string& text;
  };

  [[nodiscard]] std::string sign_in_again() const {
    return "run 'aws login --profile " + s_.profile + "' to sign in again";
  }

  [[nodiscard]] error invalid(const std::string& path, const std::string& what) const {
    return make_error(error_kind::credentials, "LoginTokenInvalid",
                      "the login token cache file " + path + " " + what + "; " + sign_in_again());
  }

  static credentials cached(const detail::login_cached_credentials& c, timestamp expires) {
    credentials out;
    out.access_key_id = *c.accessKeyId;
    out.secret_access_key = *c.secretAccessKey;
    out.session_token = *c.sessionToken;
    out.expiration = expires;
    out.account_id = *c.accountId;
    return out;
  }

  static error refresh_error(std::string message) {
    return make_error(error_kind::credentials, "LoginRefreshFailed", std::move(message));
  }

  // Why the service refused a refresh (AccessDeniedException), by its OAuth2 error code.
  [[nodiscard]] error refused(const http::response& resp) const {
    constexpr std::array<std::string_view, 1> names = {"error"};
    std::array<std::optional<std::string>, 1> values;
    (void)json::read_string_members(resp.body, 0, names, values);
    const std::string code = values[0].value_or("");
    std::string why;
    if (code == "TOKEN_EXPIRED") {
      why = "the login session has expired";
    } else if (code == "USER_CREDENTIALS_CHANGED") {
      why = "the password was changed after signing in";
    } else if (code == "INSUFFICIENT_PERMISSIONS") {
      why = "the signed-in identity is not allowed signin:CreateOAuth2Token";
    } else {
      why = "access denied" + (code.empty() ? std::string() : " (" + detail::printable(code, 64) + ")");
    }
    return make_error(error_kind::credentials, "LoginRefreshRefused",
                      "AWS Sign-In refused to refresh the credentials of login session " + s_.session + ": " +
                          why + "; " + sign_in_again());
  }

  [[nodiscard]] result<uri::endpoint> signin_endpoint(const detail::login_token_document& token) const {
    if (endpoint_) return *endpoint_;
    const std::string& region =
        token.signInRegion && !token.signInRegion->empty() ? *token.signInRegion : region_;
    if (region.empty()) {
      return refresh_error("no region for the AWS Sign-In endpoint: set the profile's region or AWS_REGION");
    }
    if (!detail::valid_region(region))
      return refresh_error("the region for AWS Sign-In is not a valid region name");
    return detail::parse_configured_endpoint(detail::signin_url(region), "AWS Sign-In of region " + region);
  }

  // Trades the cached refresh token for new credentials (CreateOAuth2Token) and rewrites the cache
  // file `text` was read from. A failure to rewrite it is logged, not returned: the new
  // credentials are good for this process either way.
  result<credentials> refresh(const detail::login_token_document& token, const std::string& text,
                              const std::string& path, timestamp now) {
    auto key = dpop::key::from_pem(token.dpopKey->reveal());
    if (!key) return refresh_error("the dpopKey in the cache file cannot be used: " + key.error().message);
    auto endpoint = signin_endpoint(token);
    if (!endpoint) return refresh_error(endpoint.error().message);
    http::request req;
    req.method = "POST";
    req.url = endpoint->origin() + endpoint->base_path + "/v1/token";
    req.has_body = true;
    const detail::login_token_request body{
        .clientId = *token.clientId, .grantType = "refresh_token", .refreshToken = *token.refreshToken};
    if (!json::writer(req.body).object(body, nullptr)) {
      wipe(req.body);
      return refresh_error("the clientId or refreshToken in the cache file is not valid UTF-8");
    }
    const std::string what = "AWS Sign-In CreateOAuth2Token";
    // Throttling, a 500, 502, 503 or 504 and dropped connections are tried again, as the SDKs'
    // Sign-In clients do; any other answer is read below. A DPoP proof is good for one request, so
    // each attempt signs its own.
    auto sent = detail::with_retries(retries_, [&]() -> result<http::response> {
      const auto issued_at =
          std::chrono::floor<std::chrono::seconds>(system_now()).time_since_epoch().count();
      auto proof = key->proof("POST", req.url, issued_at);
      if (!proof) return proof.error();
      req.headers.clear();
      req.headers.emplace_back("Host", endpoint->authority());
      req.headers.emplace_back("Content-Type", "application/json");
      req.headers.emplace_back("DPoP", std::move(*proof));
      req.headers.emplace_back("User-Agent", detail::user_agent());
      auto r = transport_->send(req);
      if (!r) {
        error e = r.error();
        e.message = what + ": " + e.message;
        return e;
      }
      if (r->status >= 200 && r->status < 300) return r;
      error e = rest_json::service_error(*r);
      if (!detail::worth_retrying(e)) return r;
      wipe(r->body);
      e.message = what + " failed: " + e.code + ": " + detail::printable(e.message);
      return e;
    });
    wipe(req.body);
    if (!sent) return refresh_error(sent.error().message);
    http::response& resp = *sent;
    if (resp.status < 200 || resp.status >= 300) {
      const error e = rest_json::service_error(resp);
      const error out =
          e.code == "AccessDeniedException"
              ? refused(resp)
              : refresh_error(what + " failed: " + e.code + ": " + detail::printable(e.message));
      wipe(resp.body);
      return out;
    }
    detail::login_token_response answer;
    auto read = detail::read_json(resp.body, answer);
    wipe(resp.body);
    if (!read || !answer.accessToken || !answer.accessToken->accessKeyId ||
        !answer.accessToken->secretAccessKey || !answer.accessToken->sessionToken || !answer.refreshToken ||
        !answer.expiresIn || *answer.expiresIn <= 0 || *answer.expiresIn > detail::login_max_token_seconds) {
      return refresh_error(what +
                           ": the response lacks accessToken (accessKeyId, secretAccessKey, sessionToken), "
                           "refreshToken or a valid expiresIn");
    }
    const timestamp expires =
        std::chrono::floor<std::chrono::seconds>(now) + std::chrono::seconds(*answer.expiresIn);
    credentials c;
    c.access_key_id = std::move(*answer.accessToken->accessKeyId);
    c.secret_access_key = std::move(*answer.accessToken->secretAccessKey);
    c.session_token = std::move(*answer.accessToken->sessionToken);
    c.expiration = expires;
    c.account_id = *token.accessToken->accountId;
    save(text, path, c, format_timestamp(expires), answer.refreshToken->reveal());
    return c;
  }

  void save(const std::string& text, const std::string& path, const credentials& c,
            const std::string& expires_at, std::string_view refresh_token) const {
    detail::login_cache_rewrite rewrite{.access = {{{"accessKeyId", c.access_key_id},
                                                    {"secretAccessKey", c.secret_access_key.reveal()},
                                                    {"sessionToken", c.session_token->reveal()},
                                                    {"expiresAt", expires_at}}},
                                        .refresh_token = refresh_token,
                                        .out = {}};
    const wipe_on_exit out_guard{rewrite.out};
    auto written =
        json::detail::parse_document(text, text.capacity(), &rewrite, &detail::rewrite_login_cache);
    std::optional<atomic_file::failure> failed;
    if (written) failed = atomic_file::replace(path, rewrite.out, path + ".XXXXXX");
    if (log_ && (!written || failed)) {
      log_("credentials: the refreshed login credentials could not be saved: " +
           (written ? failed->describe() : written.error().message));
    }
  }

  login_settings s_;
  std::string cache_dir_;
  std::optional<uri::endpoint> endpoint_;
  std::string region_;
  std::shared_ptr<http::transport> transport_;
  std::function<void(std::string_view)> log_;
  credential_call_retries retries_;
};

}  // namespace ivsrt
