// Runs one of the tests/support/botocore_*.py generators with the python3 and botocore installed
// here, for the wire tests that compare ivsrt with botocore live.
#pragma once

#include <optional>
#include <string>

#include "catch.hpp"
#include "child_process.hpp"

namespace ivsrt_test {

// What `script SEED COUNT` printed, or nothing (after a warning) when python3 or botocore is
// missing; any other failure of the script fails the test.
inline std::optional<std::string> run_botocore_script(const std::string& script, const std::string& seed,
                                                      const std::string& count) {
  const std::string python = find_in_path("python3");
  if (python.empty()) {
    WARN("python3 is not installed: skipped");
    return std::nullopt;
  }
  const auto run =
      run_process(python, {std::string(IVSRT_TEST_SOURCE_DIR) + "/support/" + script, seed, count},
                  {"PATH=" + environment_variable("PATH"), "HOME=" + environment_variable("HOME")});
  if (run.exit_code == 77) {
    WARN("botocore is not installed: skipped");
    return std::nullopt;
  }
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  return run.out;
}

}  // namespace ivsrt_test
