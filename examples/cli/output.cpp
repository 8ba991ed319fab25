#include "output.hpp"

#include <cstdio>

namespace ivsrt_cli {

void print_json_object(std::string json, std::string_view next_token) {
  if (!next_token.empty()) {
    const std::string member = "  \"NextToken\": " + *ivsrt::json::to_json(std::string(next_token)) + "\n}";
    if (json == "{}") {
      json = "{\n" + member;
    } else {
      json.replace(json.size() - 2, 2, ",\n" + member);  // the writer ends an object with "\n}"
    }
  }
  if (json == "{}") return;
  std::fwrite(json.data(), 1, json.size(), stdout);
  std::fputc('\n', stdout);
}

}  // namespace ivsrt_cli
