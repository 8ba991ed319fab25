// SigV4 against botocore run now: 1000 random requests drawn afresh by
// tests/support/botocore_sigv4.py, each signed by botocore and by ivsrt. (The unit tests check the
// 200 recorded in tests/data on every machine.) Skipped when python3 with botocore is missing.
#include <sstream>
#include <string>

#include "botocore_script.hpp"
#include "botocore_sigv4.hpp"
#include "catch.hpp"

TEST_CASE("1000 fresh random requests sign as botocore signs them", "[sigv4][botocore][wire]") {
  const auto out = ivsrt_test::run_botocore_script("botocore_sigv4.py", "7", "1000");
  if (!out) return;
  std::istringstream lines(*out);
  const auto cases = ivsrt_test::read_botocore_cases(lines);
  REQUIRE(cases.size() == 1000);
  ivsrt_test::require_botocore_signatures(cases);
}
