// SigV4 against botocore run now: 1000 random requests drawn afresh by
// tests/support/botocore_sigv4.py, each signed by botocore and by ivsrt. (The unit tests check the
// 200 recorded in tests/data on every machine.) Skipped when python3 with botocore is missing.
#include <sstream>
#include <string>

#include "botocore_sigv4.hpp"
#include "catch.hpp"
#include "child_process.hpp"

TEST_CASE("1000 fresh random requests sign as botocore signs them", "[sigv4][botocore][wire]") {
  const std::string python = ivsrt_test::find_in_path("python3");
  if (python.empty()) {
    WARN("python3 is not installed: skipped");
    return;
  }
  const auto run = ivsrt_test::run_process(
      python, {std::string(IVSRT_TEST_SOURCE_DIR) + "/support/botocore_sigv4.py", "7", "1000"},
      {"PATH=" + ivsrt_test::environment_variable("PATH"),
       "HOME=" + ivsrt_test::environment_variable("HOME")});
  if (run.exit_code == 77) {
    WARN("botocore is not installed: skipped");
    return;
  }
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::istringstream lines(run.out);
  const auto cases = ivsrt_test::read_botocore_cases(lines);
  REQUIRE(cases.size() == 1000);
  ivsrt_test::require_botocore_signatures(cases);
}
