// Random responses that botocore's parser read (tests/support/botocore_responses.py writes them,
// one per line) and the check that ivsrt reads each into the same output.
#pragma once

#include <simdjson.h>

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/json_padding.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/rest_json.hpp"
#include "model_compare.hpp"
#include "model_fill.hpp"

namespace ivsrt_test {

// One line of botocore_responses.py's output: the operation, the response as a JSON object with
// "headers" and "body", and botocore's reading written as ivsrt writes the output.
struct botocore_response {
  std::string operation, response, expected;
};

inline std::vector<botocore_response> read_botocore_responses(std::istream& in) {
  std::vector<botocore_response> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t a = line.find('\t');
    const std::size_t b = line.find('\t', a + 1);
    REQUIRE(b != std::string::npos);
    out.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return out;
}

// Reads `response` as the output of the operation named `name`, written back as JSON, or an
// error's description.
inline std::string read_response(std::string_view name, ivsrt::http::response& response) {
  std::string written = "no operation named " + std::string(name);
  for_each_type(ivsrt::all_operations{}, [&]<class Req>() {
    if (name != ivsrt::operation<Req>::name) return;
    typename ivsrt::operation<Req>::output out{};
    const auto read = ivsrt::rest_json::table_for<Req>.decode(response, &out);
    if (!read) {
      written = "error: " + read.error().describe();
      return;
    }
    const auto json = ivsrt::json::to_json(out);
    written = json ? *json : "error writing the output: " + json.error().describe();
  });
  return written;
}

// Reads each response with ivsrt; every output must be what botocore read.
inline void require_botocore_readings(const std::vector<botocore_response>& cases) {
  simdjson::dom::parser parser;
  for (const auto& c : cases) {
    INFO(c.operation << " " << c.response);
    simdjson::dom::object given;
    simdjson::dom::object headers;
    std::string_view body;
    REQUIRE(parser.parse(c.response).get(given) == simdjson::SUCCESS);
    REQUIRE(given["headers"].get(headers) == simdjson::SUCCESS);
    REQUIRE(given["body"].get(body) == simdjson::SUCCESS);
    ivsrt::http::response response;
    response.status = 200;
    for (auto [name, value] : headers) {
      std::string_view v;
      REQUIRE(value.get(v) == simdjson::SUCCESS);
      response.header_text.append(name).append(": ").append(v).append("\r\n");
    }
    response.body.reserve(body.size() + ivsrt::json::padding);
    response.body.assign(body);
    const std::string written = read_response(c.operation, response);
    INFO("ivsrt:    " << written);
    INFO("botocore: " << c.expected);
    const differences d = json_difference(written, c.expected);
    INFO(join(d));
    REQUIRE(d.empty());
  }
}

}  // namespace ivsrt_test
