// The defaults mode a client uses (defaults_mode.hpp): client_options::defaults_mode, else
// AWS_DEFAULTS_MODE, else the profile's defaults_mode, else legacy. Names are read in any case;
// an unknown one is an error. "auto" settles on a mode as botocore and the SDK for JavaScript do:
// the region the program runs in is AWS_REGION (else AWS_DEFAULT_REGION) when AWS_EXECUTION_ENV
// says it runs on an AWS compute service, else the region EC2 instance metadata gives (unless
// AWS_EC2_METADATA_DISABLED is true); the client's own region is then in-region, any other
// cross-region, and no answer standard. That question to instance metadata is made while the
// client is created and, off EC2, waits for its timeout (1 s by default): name the mode instead
// where start-up time matters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/defaults_mode.hpp"
#include "ivsrt/environment.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/imds.hpp"
#include "ivsrt/settings.hpp"
#include "ivsrt/shared_config.hpp"

namespace ivsrt::defaults {

struct resolved {
  mode value = mode::legacy;  // never automatic
  bool configured = false;    // false: no setting, legacy by default
  std::string source{};       // where the mode was set (and how auto settled), for log lines
};

// The defaults_mode setting of the environment or the profile, if any (not the option).
inline std::optional<settings::found> setting(const settings::lookup& cfg) {
  return cfg.env_or_profile("AWS_DEFAULTS_MODE", "defaults_mode");
}

namespace detail {

// Where the program runs, for auto: a region and how it was found, or why it is unknown. A client
// whose own region came from instance metadata has the answer already.
inline result<settings::found> current_region(const shared_config& config,
                                              const region_choice& client_region) {
  if (settings::lookup::env("AWS_EXECUTION_ENV")) {
    if (auto r = settings::lookup::env("AWS_REGION")) return *r;
    if (auto r = settings::lookup::env("AWS_DEFAULT_REGION")) return *r;
  }
  if (client_region.source == ivsrt::detail::instance_region_source) {
    return settings::found{client_region.name, client_region.source};
  }
  if (env::is_true("AWS_EC2_METADATA_DISABLED")) {
    return make_error(error_kind::configuration, "RegionUnknown",
                      "EC2 instance metadata is disabled by AWS_EC2_METADATA_DISABLED");
  }
  auto imds = imds_settings_from(config);
  if (!imds) return imds.error();
  auto region = ivsrt::detail::imds_region(*imds);
  if (!region) return region.error();
  return settings::found{std::move(*region), std::string(ivsrt::detail::instance_region_source)};
}

}  // namespace detail

// The mode for a client in `region`; auto is settled here (see the top of this file).
inline result<resolved> resolve(std::optional<mode> option, const settings::lookup& cfg,
                                const region_choice& region, const shared_config& config) {
  resolved out;
  if (option) {
    out.value = *option;
    out.source = "the defaults_mode option";
  } else if (auto found = setting(cfg)) {
    auto m = parse(found->value);
    if (!m) {
      return settings::invalid(*found, "legacy, standard, in-region, cross-region, mobile or auto");
    }
    out.value = *m;
    out.source = found->source;
  } else {
    return out;
  }
  out.configured = true;
  if (out.value != mode::automatic) return out;
  const auto here = detail::current_region(config, region);
  if (here) {
    const bool same = here->value == region.name;
    out.value = same ? mode::in_region : mode::cross_region;
    out.source += "; auto: " + std::string(same ? "running in " : "running in another region, ") +
                  here->value + " (from " + here->source + ")";
  } else {
    out.value = mode::standard;
    out.source += "; auto: the region this program runs in is unknown: " + here.error().message;
  }
  return out;
}

}  // namespace ivsrt::defaults
