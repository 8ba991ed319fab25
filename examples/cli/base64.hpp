// Standard base64 (RFC 4648, with padding), for the AWS CLI's pagination tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ivsrt_cli {

std::string base64_encode(std::string_view bytes);

// The decoded bytes, or nothing when text is not padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace ivsrt_cli
