#include "json_text.hpp"

namespace ivsrt_cli {

std::string json_problem(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const auto e = parser.parse(text.data(), text.size()).get(root);
  return e == simdjson::SUCCESS ? std::string() : std::string(simdjson::error_message(e));
}

}  // namespace ivsrt_cli
