// EC2 instance metadata (IMDS): where it is, how long to wait, one round of requests, and the
// region it gives a client that was given none. A round starts with PUT /latest/api/token (IMDSv2,
// a 6-hour TTL) and sends the token with every GET. As botocore does, a token request that is
// refused (403, 404, 405), answers anything but 200 or 400, or gets no answer falls back to
// requests without a token (IMDSv1), unless AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled
// is true.
// The endpoint is http://169.254.169.254 (http://[fd00:ec2::254] in IPv6 mode), or
// AWS_EC2_METADATA_SERVICE_ENDPOINT / ec2_metadata_service_endpoint. Timeouts and attempts follow
// AWS_METADATA_SERVICE_TIMEOUT / metadata_service_timeout (seconds, default 1) and
// AWS_METADATA_SERVICE_NUM_ATTEMPTS / metadata_service_num_attempts (default 1); the instance
// profile, AWS_EC2_INSTANCE_PROFILE_NAME / ec2_instance_profile_name (listed when neither is set).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/ascii.hpp"
#include "ivsrt/credential_http.hpp"
#include "ivsrt/region.hpp"

namespace ivsrt {

struct imds_settings {
  std::string endpoint{"http://169.254.169.254"};  // without a trailing slash
  std::chrono::seconds timeout{1};
  int attempts = 1;
  bool v1_disabled = false;    // no token-less fallback
  std::string profile_name{};  // the instance profile whose credentials to get; empty: list it
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
  const auto n = ascii::whole_number(text, 100000);
  if (!n) {
    return make_error(error_kind::configuration, "InvalidSetting",
                      source + " must be a positive whole number");
  }
  if (*n < 1) return make_error(error_kind::configuration, "InvalidSetting", source + " must be at least 1");
  return *n;
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
  s.profile_name = env::get("AWS_EC2_INSTANCE_PROFILE_NAME");
  if (const std::string* v = cfg.get("ec2_instance_profile_name"); s.profile_name.empty() && v != nullptr) {
    s.profile_name = *v;
  }
  return s;
}

namespace detail {

// Whether another attempt may help: no answer, or a server error.
inline bool imds_retryable(const error& e) noexcept {
  return e.kind == error_kind::transport || e.http_status >= 500;
}

// One round of instance-metadata requests: the session token first, then GETs that carry it.
// `what` names the endpoint in errors (never a token).
class imds_session {
 public:
  imds_session(http::transport& t, const imds_settings& s, std::string what)
      : t_(&t), s_(&s), what_(std::move(what)) {}

  // Fetches the token; where IMDSv1 is allowed, a refused or unanswered request leaves none.
  result<void> start() {
    http::request req = local_request("PUT", s_->endpoint + "/latest/api/token",
                                      {{"x-aws-ec2-metadata-token-ttl-seconds", "21600"}});
    auto resp = t_->send(req);
    if (resp && resp->status == 200) {
      token_ = sensitive_string(ascii::trim(resp->body));
      wipe(resp->body);
      if (token_.empty())
        return make_error(error_kind::credentials, "InvalidResponse", what_ + ": empty token");
      return {};
    }
    if (resp && resp->status == 400) return failure("token request", resp);  // IMDSv1 would not help
    if (s_->v1_disabled) {
      error e = failure("token request", resp);
      e.message += "; IMDSv1 is disabled (AWS_EC2_METADATA_V1_DISABLED or ec2_metadata_v1_disabled)";
      return e;
    }
    return {};
  }

  // GET of path (from "/latest/"), with the token when there is one (IMDSv1 leaves it out).
  result<http::response> get(const std::string& path) {
    http::request req = token_.empty() ? local_request("GET", s_->endpoint + path, {})
                                       : local_request("GET", s_->endpoint + path,
                                                       {{"x-aws-ec2-metadata-token", token_.reveal()}});
    auto resp = t_->send(req);
    for (auto& h : req.headers) wipe(h.second);
    return resp;
  }

  // The error of a step that failed or did not answer 200.
  [[nodiscard]] error failure(const std::string& step, const result<http::response>& resp) const {
    if (!resp) {
      error e = resp.error();
      e.message = what_ + ": " + step + ": " + e.message;
      return e;
    }
    error e = make_error(error_kind::credentials, "Http" + std::to_string(resp->status),
                         what_ + ": " + step + " answered HTTP " + std::to_string(resp->status));
    e.http_status = static_cast<int>(resp->status);
    return e;
  }

 private:
  http::transport* t_;
  const imds_settings* s_;
  std::string what_;
  sensitive_string token_;
};

// The region this EC2 instance is in, from /latest/meta-data/placement/region.
inline result<std::string> imds_region(const imds_settings& s) {
  const auto transport = metadata_transport(s.timeout, s.timeout);
  const std::string what = "EC2 instance metadata at " + s.endpoint;
  imds_session session(*transport, s, what);
  auto attempt = [&]() -> result<std::string> {
    if (auto ok = session.start(); !ok) return ok.error();
    auto resp = session.get("/latest/meta-data/placement/region");
    if (!resp || resp->status != 200) return session.failure("region", resp);
    return std::string(ascii::trim(resp->body));
  };
  result<std::string> region = attempt();
  for (int i = 1; i < s.attempts && !region && imds_retryable(region.error()); ++i) region = attempt();
  if (!region) return region.error();
  if (!valid_region(*region)) {
    return make_error(error_kind::configuration, "InvalidResponse",
                      what + ": the region it gave is not a valid region name");
  }
  return region;
}

// The region of a client that was given none (`none` is the error that says so): the instance's,
// from instance metadata, as the SDKs for Java, Rust and C++ find it (botocore and the SDK for
// JavaScript stop at `none`). Not asked when AWS_EC2_METADATA_DISABLED is true; off EC2 this waits
// for the instance-metadata timeout before giving `none` back with the reason.
inline constexpr std::string_view instance_region_source = "EC2 instance metadata";

inline result<region_choice> instance_region(const shared_config& cfg, error none) {
  if (env::is_true("AWS_EC2_METADATA_DISABLED")) return none;
  auto settings = imds_settings_from(cfg);
  if (!settings) return settings.error();
  auto region = imds_region(*settings);
  if (!region) {
    none.message += "; " + region.error().message;
    return none;
  }
  return region_choice{std::move(*region), std::string(instance_region_source)};
}

}  // namespace detail
}  // namespace ivsrt
