// The IVS real-time endpoint rule set as code: parameters in, endpoint URL or the rule set's own
// error out. Generated from ivs-realtime-2020-07-14.endpoint-rule-set.json
// by cmake/generate_endpoints.py; do not edit.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "ivsrt/error.hpp"
#include "ivsrt/partition.hpp"

namespace ivsrt::endpoints {

struct endpoint_params {
  // Region (AWS::Region)
  std::optional<std::string> region{};
  // UseDualStack (AWS::UseDualStack)
  bool use_dual_stack = false;
  // UseFIPS (AWS::UseFIPS)
  bool use_fips = false;
  // Endpoint (SDK::Endpoint)
  std::optional<std::string> endpoint{};
};

namespace detail {

inline std::string join(std::initializer_list<std::string_view> pieces) {
  std::string out;
  for (std::string_view piece : pieces) out += piece;
  return out;
}

inline error rule_error(std::string message) {
  return make_error(error_kind::configuration, "EndpointResolutionError", std::move(message));
}

}  // namespace detail

// The endpoint URL the rule set yields for p, or its error (kind configuration, code
// EndpointResolutionError, the rule set's message).
inline result<std::string> resolve_rules(const endpoint_params& p) {
  using detail::rule_error;
  if (p.endpoint.has_value()) {
    if (p.use_fips) {
      return rule_error("Invalid Configuration: FIPS and custom endpoint are not supported");
    }
    if (p.use_dual_stack) {
      return rule_error("Invalid Configuration: Dualstack and custom endpoint are not supported");
    }
    return std::string(*p.endpoint);
  }
  if (p.region.has_value()) {
    const partition& partition_result = aws_partition(*p.region);
    if (p.use_fips && p.use_dual_stack) {
      if (partition_result.supports_fips && partition_result.supports_dual_stack) {
        return detail::join(
            {"https://ivsrealtime-fips.", *p.region, ".", partition_result.dual_stack_dns_suffix});
      }
      return rule_error("FIPS and DualStack are enabled, but this partition does not support one or both");
    }
    if (p.use_fips) {
      if (partition_result.supports_fips) {
        return detail::join({"https://ivsrealtime-fips.", *p.region, ".", partition_result.dns_suffix});
      }
      return rule_error("FIPS is enabled but this partition does not support FIPS");
    }
    if (p.use_dual_stack) {
      if (partition_result.supports_dual_stack) {
        return detail::join({"https://ivsrealtime.", *p.region, ".", partition_result.dual_stack_dns_suffix});
      }
      return rule_error("DualStack is enabled but this partition does not support DualStack");
    }
    return detail::join({"https://ivsrealtime.", *p.region, ".", partition_result.dns_suffix});
  }
  return rule_error("Invalid Configuration: Missing Region");
}

}  // namespace ivsrt::endpoints
