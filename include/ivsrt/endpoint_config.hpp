// Which endpoint a client talks to, in the order the AWS SDKs use: the endpoint_url option, then
// the configured endpoints (AWS_ENDPOINT_URL_IVS_REALTIME, AWS_ENDPOINT_URL, the profile's
// [services] entry, the profile's endpoint_url — all skipped when
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or ignore_configured_endpoint_urls is true), then the
// service's endpoint rule set with the region and the FIPS and dual-stack flags. A custom
// endpoint still passes through the rule set, which refuses it together with FIPS or dual-stack.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "ivsrt/endpoint_rules.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/settings.hpp"

namespace ivsrt::endpoints {

// The serviceId "IVS RealTime" as the configured-endpoint settings spell it.
inline constexpr const char* service_env_name = "AWS_ENDPOINT_URL_IVS_REALTIME";
inline constexpr const char* service_config_key = "ivs_realtime";

// What the caller's code says; unset members come from the environment and the profile.
struct endpoint_options {
  std::string endpoint_url{};
  std::optional<bool> use_fips{};
  std::optional<bool> use_dual_stack{};
  std::optional<bool> ignore_configured_endpoint_urls{};
};

struct resolved_endpoint {
  std::string url{};
  std::string source{};  // for log lines: where the URL or its flags came from
};

inline result<resolved_endpoint> resolve_endpoint(const std::string& region, const endpoint_options& code,
                                                  const settings::lookup& cfg) {
  auto fips =
      settings::flag(code.use_fips, "the use_fips option", cfg, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
  if (!fips) return fips.error();
  auto dual = settings::flag(code.use_dual_stack, "the use_dual_stack option", cfg,
                             "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
  if (!dual) return dual.error();
  auto ignore =
      settings::flag(code.ignore_configured_endpoint_urls, "the ignore_configured_endpoint_urls option", cfg,
                     "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls");
  if (!ignore) return ignore.error();

  std::optional<settings::found> custom;
  if (!code.endpoint_url.empty()) {
    custom = settings::found{code.endpoint_url, "the endpoint_url option"};
  } else if (!ignore->first) {
    custom = settings::lookup::env(service_env_name);
    if (!custom) custom = settings::lookup::env("AWS_ENDPOINT_URL");
    if (!custom) {
      auto configured = cfg.service(service_config_key, "endpoint_url");
      if (!configured) return configured.error();
      custom = std::move(*configured);
    }
    if (!custom) custom = cfg.profile("endpoint_url");
  }

  endpoint_params params;
  params.region = region;
  params.use_fips = fips->first;
  params.use_dual_stack = dual->first;
  if (custom) params.endpoint = custom->value;
  auto url = resolve_rules(params);
  const std::string flags = "FIPS " + std::string(fips->first ? "on" : "off") + " (" + fips->second +
                            "), dual-stack " + (dual->first ? "on" : "off") + " (" + dual->second + ")";
  if (!url) {
    error e = url.error();
    e.message += custom ? "; endpoint from " + custom->source + ", " + flags : "; " + flags;
    return e;
  }
  return resolved_endpoint{std::move(*url), custom ? custom->source : "the endpoint rule set, " + flags};
}

}  // namespace ivsrt::endpoints
