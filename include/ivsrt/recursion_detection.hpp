// Recursion detection, as the AWS SDKs have it: inside AWS Lambda (AWS_LAMBDA_FUNCTION_NAME is
// set) every request carries the invocation's X-Ray trace id (_X_AMZN_TRACE_ID) in the
// X-Amzn-Trace-Id header, so that a service the function calls can tell when a call loops back
// into it. The variable is read for every call: Lambda changes it with each invocation. The
// header is not signed (botocore and the Rust SDK leave it out of the signature), and control
// characters and bytes beyond ASCII are percent-encoded, as the Rust SDK does.
#pragma once

#include <string>
#include <string_view>

#include "ivsrt/environment.hpp"

namespace ivsrt::recursion_detection {

inline constexpr std::string_view header = "X-Amzn-Trace-Id";

// Whether this process runs as an AWS Lambda function; read once, when a client is made.
inline bool in_lambda() {
  return env::has("AWS_LAMBDA_FUNCTION_NAME");
}

// trace_id with control characters and non-ASCII bytes percent-encoded.
inline std::string encode(std::string_view trace_id) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(trace_id.size());
  for (char ch : trace_id) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7F) {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

// The header's value for a call now: the encoded _X_AMZN_TRACE_ID, or "" when it is unset.
inline std::string trace_header_value() {
  return encode(env::get("_X_AMZN_TRACE_ID"));
}

}  // namespace ivsrt::recursion_detection
