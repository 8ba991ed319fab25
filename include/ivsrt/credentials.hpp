// AWS credentials: an access key id, its secret, and for temporary credentials a session token
// and an expiry.
#pragma once

#include <string>

#include "ivsrt/optional.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt {

struct credentials {
  std::string access_key_id{};
  sensitive_string secret_access_key{};
  optional<sensitive_string> session_token{};
  optional<timestamp> expiration{};  // absent for long-term keys
  optional<std::string> account_id{};
};

}  // namespace ivsrt
