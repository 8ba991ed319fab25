// The AWS SDKs' smart configuration defaults: a named set of default settings, chosen with
// client_options::defaults_mode, AWS_DEFAULTS_MODE or the profile's defaults_mode
// (defaults_mode_config.hpp reads them). A setting given explicitly always wins over its mode.
// The values are the SDKs' shared table: every mode but legacy asks for standard retries and
// regional STS, which is what ivsrt does anyway, and sets the connect timeout (TLS handshake
// included, as libcurl counts it).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "ivsrt/ascii.hpp"

namespace ivsrt::defaults {

enum class mode {
  legacy,        // this SDK's own defaults from before modes existed; for ivsrt, the standard ones
  standard,      // safe anywhere
  in_region,     // calls to the region the program runs in: connections fail faster
  cross_region,  // calls to another region
  mobile,        // slow, unreliable networks: connections may take long
  automatic,     // "auto": in-region or cross-region from where the program runs, else standard
};

inline constexpr mode all_modes[] = {mode::legacy,       mode::standard, mode::in_region,
                                     mode::cross_region, mode::mobile,   mode::automatic};

// The name the settings use: "in-region", "auto", ...
inline constexpr std::string_view name(mode m) noexcept {
  switch (m) {
    case mode::legacy: return "legacy";
    case mode::standard: return "standard";
    case mode::in_region: return "in-region";
    case mode::cross_region: return "cross-region";
    case mode::mobile: return "mobile";
    case mode::automatic: return "auto";
  }
  return "legacy";
}

// A mode from its name in any case, as the SDKs read it.
inline std::optional<mode> parse(std::string_view text) noexcept {
  for (mode m : all_modes) {
    if (ascii::iequals(text, name(m))) return m;
  }
  return std::nullopt;
}

// The connect timeout of a mode (auto is resolved to another mode first).
inline constexpr std::chrono::milliseconds connect_timeout(mode m) noexcept {
  switch (m) {
    case mode::in_region: return std::chrono::milliseconds(1100);
    case mode::mobile: return std::chrono::milliseconds(30000);
    case mode::legacy:
    case mode::standard:
    case mode::cross_region:
    case mode::automatic: break;
  }
  return std::chrono::milliseconds(3100);
}

}  // namespace ivsrt::defaults
