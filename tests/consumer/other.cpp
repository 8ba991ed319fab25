// The second translation unit of the consumer program (see main.cpp).
#include "ivsrt/ivsrt.hpp"

int other_translation_unit() {
  auto json = ivsrt::json::to_json(ivsrt::ListStagesRequest{.maxResults = 5});
  return json && *json == R"({"maxResults":5})" ? 0 : 3;
}
