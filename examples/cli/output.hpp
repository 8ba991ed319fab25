// A command's output on stdout: the response as JSON with the service's member names, sensitive
// members included (they are what the call produced). An empty response prints nothing, as in
// the AWS CLI.
#pragma once

#include <string>
#include <string_view>

#include "ivsrt/json_writer.hpp"
#include "report.hpp"

namespace ivsrt_cli {

// Prints a JSON object, with a "NextToken" member added when next_token is not empty.
void print_json_object(std::string json, std::string_view next_token);

template <class Out>
int print_output(const Out& out, std::string_view operation, std::string_view next_token = {}) {
  auto json = ivsrt::json::to_json(out, {.redact_sensitive = false, .pretty = true});
  if (!json) {
    ivsrt::error e = json.error();
    e.kind = ivsrt::error_kind::parse;
    return report(e, {}, operation);
  }
  print_json_object(std::move(*json), next_token);
  return exit_ok;
}

}  // namespace ivsrt_cli
