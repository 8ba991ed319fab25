// What a client is created with (client_options) and what one call may override (call_options).
// Light on purpose: declaring a client needs none of the transport, credentials or config headers.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ivsrt/credential_chain_settings.hpp"
#include "ivsrt/credentials.hpp"
#include "ivsrt/credentials_cache_options.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/defaults_mode.hpp"
#include "ivsrt/optional.hpp"
#include "ivsrt/retry_options.hpp"
#include "ivsrt/transport_options.hpp"

namespace ivsrt {

struct client_options {
  // Region; empty: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region.
  std::string region{};
  // Profile of the shared config and credentials files; empty: AWS_PROFILE, then
  // AWS_DEFAULT_PROFILE, then "default".
  std::string profile{};
  // Endpoint URL such as "http://127.0.0.1:4566"; empty: AWS_ENDPOINT_URL_IVS_REALTIME,
  // AWS_ENDPOINT_URL, the profile's [services] ivs_realtime endpoint_url, the profile's
  // endpoint_url, then the service's endpoint rule set (https://ivsrealtime.{region}.amazonaws.com).
  std::string endpoint_url{};
  // Explicit credentials; absent: credentials_provider, else the default chain (environment, web
  // identity, profile, container, instance metadata), resolved on the first call.
  optional<ivsrt::credentials> credentials{};
  // Your own source of credentials, used instead of the default chain.
  std::shared_ptr<ivsrt::credentials_provider> credentials_provider{};
  // credential_process timeout and MFA code callback for the default chain.
  credential_chain_settings credential_chain{};
  // When cached temporary credentials are refreshed.
  credentials_cache_options credentials_cache{};
  http::transport_options transport{};
  // The SDKs' smart configuration defaults; unset: AWS_DEFAULTS_MODE, then the profile's
  // defaults_mode, then legacy. Only what is not set explicitly takes the mode's value.
  std::optional<defaults::mode> defaults_mode{};
  // Check requests against the model's constraints before sending them.
  bool validate_requests = true;
  // Receives a line for each step worth explaining (--debug). Secrets are never passed to it.
  std::function<void(std::string_view)> log{};
  // Appended to the User-Agent header, e.g. "md/engine#5.3".
  std::string user_agent_suffix{};
  // FIPS and dual-stack endpoints; unset: AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT, then
  // the profile's use_fips_endpoint / use_dualstack_endpoint, then off.
  std::optional<bool> use_fips{};
  std::optional<bool> use_dual_stack{};
  // Skips the endpoints configured in the environment and the profile (never endpoint_url);
  // unset: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, then the profile's ignore_configured_endpoint_urls.
  std::optional<bool> ignore_configured_endpoint_urls{};
  retry_options retry{};
  // Limit for a whole call, retries and waits included; 0 means none. One attempt's limit is
  // transport.request_timeout.
  std::chrono::milliseconds total_timeout{0};
  // unset: AWS_DISABLE_CLOCK_SKEW_CORRECTION, then the profile's disable_clock_skew_correction.
  std::optional<bool> disable_clock_skew_correction{};
  // Names the application in the User-Agent (app/...); empty: AWS_SDK_UA_APP_ID, then the
  // profile's sdk_ua_app_id.
  std::string app_id{};
};

// Limits for one call, overriding the client's.
struct call_options {
  std::optional<std::chrono::milliseconds> connect_timeout{};
  std::optional<std::chrono::milliseconds> attempt_timeout{};  // one attempt; 0 means none
  std::optional<std::chrono::milliseconds> total_timeout{};    // the whole call; 0 means none
  std::optional<std::chrono::milliseconds> read_timeout{};     // longest wait for a byte; 0 means none
  std::optional<int> max_attempts{};
};

}  // namespace ivsrt
