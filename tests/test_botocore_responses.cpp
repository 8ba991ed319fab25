// Response reading against botocore run now: 1000 random responses drawn afresh by
// tests/support/botocore_responses.py, each read by botocore's parser and by ivsrt. (The unit tests
// check the 300 recorded in tests/data on every machine.) Skipped when python3 with botocore is
// missing.
#include <sstream>
#include <string>

#include "botocore_responses.hpp"
#include "catch.hpp"
#include "child_process.hpp"

TEST_CASE("1000 fresh random responses read as botocore reads them", "[model][botocore][wire]") {
  const std::string python = ivsrt_test::find_in_path("python3");
  if (python.empty()) {
    WARN("python3 is not installed: skipped");
    return;
  }
  const auto run = ivsrt_test::run_process(
      python, {std::string(IVSRT_TEST_SOURCE_DIR) + "/support/botocore_responses.py", "11", "1000"},
      {"PATH=" + ivsrt_test::environment_variable("PATH"),
       "HOME=" + ivsrt_test::environment_variable("HOME")});
  if (run.exit_code == 77) {
    WARN("botocore is not installed: skipped");
    return;
  }
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::istringstream lines(run.out);
  const auto cases = ivsrt_test::read_botocore_responses(lines);
  REQUIRE(cases.size() == 1000);
  ivsrt_test::require_botocore_readings(cases);
}
