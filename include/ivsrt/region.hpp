// The region a client works in: the region option, else AWS_REGION, else AWS_DEFAULT_REGION,
// else `region` in the selected profile, else (client::create, through imds.hpp) the EC2
// instance's. There is no silent default: without a region the client cannot be created.
#pragma once

#include <string>
#include <string_view>

#include "ivsrt/environment.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/shared_config.hpp"

namespace ivsrt {

namespace detail {

// A region is spliced into host names, so it must be a plain DNS label.
inline bool valid_region(std::string_view r) noexcept {
  if (r.empty() || r.size() > 63 || r.front() == '-' || r.back() == '-') return false;
  for (char c : r) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace detail

struct region_choice {
  std::string name{};
  // Where it came from, e.g. "AWS_REGION", "region in profile 'dev' of /home/u/.aws/config".
  std::string source{};
};

inline result<region_choice> resolve_region(std::string_view option, const shared_config& cfg) {
  region_choice out;
  if (!option.empty()) {
    out = {std::string(option), "the region option"};
  } else if (std::string r = env::get("AWS_REGION"); !r.empty()) {
    out = {std::move(r), "AWS_REGION"};
  } else if (std::string d = env::get("AWS_DEFAULT_REGION"); !d.empty()) {
    out = {std::move(d), "AWS_DEFAULT_REGION"};
  } else if (const std::string* p = cfg.get("region"); p != nullptr && !p->empty()) {
    out = {*p, "region in profile '" + cfg.profile + "' of " + cfg.where()};
  } else {
    return make_error(
        error_kind::configuration, "NoRegion",
        "no region: set the region option, AWS_REGION, AWS_DEFAULT_REGION, or region in profile '" +
            cfg.profile + "' of " + cfg.where());
  }
  if (!detail::valid_region(out.name)) {
    return make_error(error_kind::configuration, "InvalidRegion", out.source + " is not a valid region name");
  }
  return out;
}

}  // namespace ivsrt
