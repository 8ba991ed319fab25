// The settings of the default credentials chain a client (or a user) can change.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "ivsrt/error.hpp"

namespace ivsrt {

// How the credential sources' calls to AWS (STS, the SSO portal) are retried when they fail with
// throttling, a 5xx, a dropped connection or a timeout, as the SDKs' clients for those services
// retry them: full-jitter waits of up to 1 s x 2^i.
struct credential_call_retries {
  int max_attempts = 3;  // attempts in all, the first included; 1: no retries
  // The waits between attempts; empty: std::this_thread::sleep_for.
  std::function<void(std::chrono::nanoseconds)> sleep{};
};

struct credential_chain_settings {
  // A credential_process that runs longer than this is killed and the attempt fails.
  std::chrono::milliseconds process_timeout{std::chrono::minutes(1)};
  // Asked for the current code of an MFA device when a profile with mfa_serial assumes its role;
  // absent: such profiles are a configuration error.
  std::function<result<std::string>(std::string_view mfa_serial)> mfa_token_code{};
  credential_call_retries retries{};
};

}  // namespace ivsrt
