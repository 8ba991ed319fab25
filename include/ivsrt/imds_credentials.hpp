// EC2 instance metadata credentials: PUT /latest/api/token with a 6-hour TTL (IMDSv2), then the
// role name from /latest/meta-data/iam/security-credentials/ and its credentials document, both
// with the token. As botocore does, a token request that is refused (403, 404, 405), answers
// anything but 200 or 400, or gets no answer falls back to the same two requests without a token
// (IMDSv1), unless AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled is true.
// The endpoint is http://169.254.169.254 (http://[fd00:ec2::254] in IPv6 mode), or
// AWS_EC2_METADATA_SERVICE_ENDPOINT / ec2_metadata_service_endpoint. Timeouts and attempts follow
// AWS_METADATA_SERVICE_TIMEOUT / metadata_service_timeout (seconds, default 1) and
// AWS_METADATA_SERVICE_NUM_ATTEMPTS / metadata_service_num_attempts (default 1).
//
// Static stability, as the AWS SDKs have it: when EC2 cannot rotate an instance's credentials it
// goes on answering with the old ones, and AWS goes on accepting them. So credentials that come
// back already expired are used for another 10 to 15 minutes (the spread keeps a fleet from
// retrying at once), and when instance metadata fails after it once gave credentials, the last
// ones are used the same way if they expire within 10 minutes; until then the failure goes to the
// cache, which keeps them and tries again. Each extension is logged.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/ascii.hpp"
#include "ivsrt/credential_http.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/retry.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt {

struct imds_settings {
  std::string endpoint{"http://169.254.169.254"};  // without a trailing slash
  std::chrono::seconds timeout{1};
  int attempts = 1;
  bool v1_disabled = false;  // no token-less fallback
};

namespace detail {

inline result<int> positive_setting(const shared_config& cfg, const char* env_name, std::string_view key,
                                    int fallback) {
  std::string text = env::get(env_name);
  std::string source = env_name;
  if (text.empty()) {
    if (const std::string* v = cfg.get(key); v != nullptr && !v->empty()) {
      text = *v;
      source = std::string(key) + " in profile '" + cfg.profile + "'";
    }
  }
  if (text.empty()) return fallback;
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || n > 100000) {
      return make_error(error_kind::configuration, "InvalidSetting",
                        source + " must be a positive whole number");
    }
    n = n * 10 + (c - '0');
  }
  if (n < 1) return make_error(error_kind::configuration, "InvalidSetting", source + " must be at least 1");
  return n;
}

}  // namespace detail

// The IMDS settings from the environment and the selected profile.
inline result<imds_settings> imds_settings_from(const shared_config& cfg) {
  imds_settings s;
  std::string endpoint = env::get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  std::string source = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
  if (endpoint.empty()) {
    if (const std::string* v = cfg.get("ec2_metadata_service_endpoint"); v != nullptr) {
      endpoint = *v;
      source = "ec2_metadata_service_endpoint";
    }
  }
  if (endpoint.empty()) {
    std::string mode = env::get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
    std::string mode_source = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
    if (mode.empty()) {
      if (const std::string* v = cfg.get("ec2_metadata_service_endpoint_mode"); v != nullptr) mode = *v;
      mode_source = "ec2_metadata_service_endpoint_mode";
    }
    if (mode.empty() || ascii::iequals(mode, "IPv4")) {
      endpoint = "http://169.254.169.254";
    } else if (ascii::iequals(mode, "IPv6")) {
      endpoint = "http://[fd00:ec2::254]";
    } else {
      return make_error(error_kind::configuration, "InvalidSetting", mode_source + " must be IPv4 or IPv6");
    }
  } else {
    auto parsed = detail::parse_configured_endpoint(endpoint, source);
    if (!parsed) return parsed.error();
    endpoint = parsed->origin() + parsed->base_path;
  }
  s.endpoint = std::move(endpoint);
  auto timeout = detail::positive_setting(cfg, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout", 1);
  if (!timeout) return timeout.error();
  s.timeout = std::chrono::seconds(*timeout);
  auto attempts =
      detail::positive_setting(cfg, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts", 1);
  if (!attempts) return attempts.error();
  s.attempts = *attempts;
  if (std::string v1 = env::get("AWS_EC2_METADATA_V1_DISABLED"); !v1.empty()) {
    s.v1_disabled = ascii::iequals(v1, "true");
  } else if (const std::string* v = cfg.get("ec2_metadata_v1_disabled"); v != nullptr) {
    s.v1_disabled = ascii::iequals(*v, "true");
  }
  return s;
}

class imds_provider final : public credentials_provider {
 public:
  // How long stale credentials are used before the next try: the base plus up to the spread.
  static constexpr std::chrono::minutes stale_use{10};
  static constexpr std::chrono::minutes stale_use_spread{5};

  // log receives the static-stability warnings (never secrets).
  explicit imds_provider(imds_settings settings, std::function<void(std::string_view)> log = {})
      : s_(std::move(settings)),
        transport_(detail::metadata_transport(s_.timeout, s_.timeout)),
        log_(std::move(log)) {}

  result<credentials> resolve() override {
    result<credentials> r = attempt();
    for (int i = 1; i < s_.attempts && !r && retryable(r.error()); ++i) r = attempt();
    return stabilize(std::move(r));
  }

  [[nodiscard]] std::string describe() const override {
    return "EC2 instance metadata (IMDSv2" + std::string(s_.v1_disabled ? "" : ", else IMDSv1") + ") at " +
           s_.endpoint;
  }

 private:
  // Applies static stability (see the top of this file) to what an attempt gave.
  result<credentials> stabilize(result<credentials> r) {
    const timestamp now = system_now();
    const auto until = [&] {
      return now + stale_use +
             std::chrono::duration_cast<std::chrono::seconds>(stale_use_spread * retry::random_jitter());
    };
    std::string line;
    {
      std::lock_guard<std::mutex> lock(last_mutex_);
      if (r) {
        if (r->expiration && *r->expiration <= now) {
          const timestamp expired = *r->expiration;
          r->expiration = until();
          line = "credentials: " + describe() + " answered with credentials that expired " +
                 format_timestamp(expired) + "; using them until " + format_timestamp(*r->expiration) +
                 " (static stability: EC2 could not rotate them)";
        }
        last_ = *r;
      } else if (last_ && last_->expiration && *last_->expiration <= now + stale_use) {
        last_->expiration = std::max(*last_->expiration, until());
        line = "credentials: " + r.error().message + "; using the credentials it gave last, access key id " +
               last_->access_key_id + ", until " + format_timestamp(*last_->expiration) +
               " (static stability)";
        r = *last_;
      }
    }
    if (!line.empty() && log_) log_(line);
    return r;
  }

  static bool retryable(const error& e) noexcept {
    return e.kind == error_kind::transport || e.http_status >= 500;
  }

  [[nodiscard]] error failure(const std::string& step, const result<http::response>& resp) const {
    if (!resp) {
      error e = resp.error();
      e.message = describe() + ": " + step + ": " + e.message;
      return e;
    }
    error e = make_error(error_kind::credentials, "Http" + std::to_string(resp->status),
                         describe() + ": " + step + " answered HTTP " + std::to_string(resp->status));
    e.http_status = static_cast<int>(resp->status);
    if (resp->status == 404 && step == "role listing") {
      e.message += " (no IAM role is attached to this instance)";
    }
    return e;
  }

  result<credentials> attempt() {
    http::request token_req = detail::local_request("PUT", s_.endpoint + "/latest/api/token",
                                                    {{"x-aws-ec2-metadata-token-ttl-seconds", "21600"}});
    auto token_resp = transport_->send(token_req);
    sensitive_string token;
    if (token_resp && token_resp->status == 200) {
      token = sensitive_string(detail::trim_space(token_resp->body));
      wipe(token_resp->body);
      if (token.empty()) {
        return make_error(error_kind::credentials, "InvalidResponse", describe() + ": empty token");
      }
    } else if (token_resp && token_resp->status == 400) {
      return failure("token request", token_resp);  // a malformed request: IMDSv1 would not help
    } else if (s_.v1_disabled) {
      error e = failure("token request", token_resp);
      e.message += "; IMDSv1 is disabled (AWS_EC2_METADATA_V1_DISABLED or ec2_metadata_v1_disabled)";
      return e;
    }
    // Without a token (IMDSv1) the header is left out of both requests.
    auto with_token = [&](std::string url) {
      return token.empty() ? detail::local_request("GET", std::move(url), {})
                           : detail::local_request("GET", std::move(url),
                                                   {{"x-aws-ec2-metadata-token", token.reveal()}});
    };
    auto forget = [](http::request& r) {
      for (auto& h : r.headers) wipe(h.second);
    };

    const std::string base = s_.endpoint + "/latest/meta-data/iam/security-credentials/";
    http::request list_req = with_token(base);
    auto list_resp = transport_->send(list_req);
    forget(list_req);
    if (!list_resp || list_resp->status != 200) return failure("role listing", list_resp);
    std::string_view role = detail::trim_space(list_resp->body);
    role = role.substr(0, role.find('\n'));
    role = detail::trim_space(role);
    if (role.empty()) {
      return make_error(error_kind::credentials, "NoRole",
                        describe() + ": no IAM role is attached to this instance");
    }
    http::request creds_req = with_token(base + uri::encode(role));
    auto creds_resp = transport_->send(creds_req);
    forget(creds_req);
    if (!creds_resp || creds_resp->status != 200) {
      return failure("credentials of role " + uri::encode(role), creds_resp);
    }
    return detail::read_metadata_credentials(creds_resp->body, describe());
  }

  imds_settings s_;
  std::shared_ptr<http::transport> transport_;
  std::function<void(std::string_view)> log_;
  std::mutex last_mutex_;
  std::optional<credentials> last_;  // the last credentials given, for static stability
};

}  // namespace ivsrt
