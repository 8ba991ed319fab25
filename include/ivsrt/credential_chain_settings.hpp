// The settings of the default credentials chain a client (or a user) can change.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "ivsrt/error.hpp"

namespace ivsrt {

struct credential_chain_settings {
  // A credential_process that runs longer than this is killed and the attempt fails.
  std::chrono::milliseconds process_timeout{std::chrono::minutes(1)};
  // Asked for the current code of an MFA device when a profile with mfa_serial assumes its role;
  // absent: such profiles are a configuration error.
  std::function<result<std::string>(std::string_view mfa_serial)> mfa_token_code{};
};

}  // namespace ivsrt
