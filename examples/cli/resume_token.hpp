// The AWS CLI's NextToken / --starting-token: base64 of a JSON object holding the service's
// pagination token (null for the first page) and, when --max-items stopped inside a page,
// "boto_truncate_amount", the number of that page's items already printed. Tokens from either
// tool work with the other.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ivsrt_cli {

struct resume_point {
  std::optional<std::string> token;          // the service's token of the page to fetch
  std::optional<std::size_t> items_to_skip;  // items of that page already printed
};

// `input_token` is the request member that carries the service's token, e.g. "nextToken".
std::string encode_resume_token(std::string_view input_token, const resume_point& at);

// A starting token not in the AWS CLI's form is taken as the service's own token, as the AWS
// CLI does with tokens of its older format.
resume_point decode_resume_token(std::string_view input_token, std::string_view starting_token);

}  // namespace ivsrt_cli
