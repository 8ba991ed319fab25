#include "resume_token.hpp"

#include <simdjson.h>

#include <cstdint>

#include "base64.hpp"
#include "ivsrt/json_writer.hpp"

namespace ivsrt_cli {

std::string encode_resume_token(std::string_view input_token, const resume_point& at) {
  // Python's json.dumps layout, so the token is byte for byte the AWS CLI's.
  std::string json = "{" + *ivsrt::json::to_json(std::string(input_token)) + ": ";
  json += at.token ? *ivsrt::json::to_json(*at.token) : std::string("null");
  if (at.items_to_skip) json += ", \"boto_truncate_amount\": " + std::to_string(*at.items_to_skip);
  json += "}";
  return base64_encode(json);
}

resume_point decode_resume_token(std::string_view input_token, std::string_view starting_token) {
  const resume_point verbatim{.token = std::string(starting_token), .items_to_skip = std::nullopt};
  const auto json = base64_decode(starting_token);
  if (!json) return verbatim;
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json->data(), json->size()).get_object().get(object) != simdjson::SUCCESS) return verbatim;
  simdjson::dom::element token;
  if (object.at_key(input_token).get(token) != simdjson::SUCCESS) return verbatim;
  resume_point at;
  std::string_view text;
  if (token.get_string().get(text) == simdjson::SUCCESS) {
    at.token = std::string(text);
  } else if (!token.is_null()) {
    return verbatim;
  }
  std::int64_t skip = 0;
  if (object.at_key("boto_truncate_amount").get_int64().get(skip) == simdjson::SUCCESS && skip >= 0) {
    at.items_to_skip = static_cast<std::size_t>(skip);
  }
  return at;
}

}  // namespace ivsrt_cli
