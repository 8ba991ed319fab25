// Response reading against botocore run now: 1000 random responses drawn afresh by
// tests/support/botocore_responses.py, each read by botocore's parser and by ivsrt. (The unit tests
// check the 300 recorded in tests/data on every machine.) Skipped when python3 with botocore is
// missing.
#include <sstream>
#include <string>

#include "botocore_responses.hpp"
#include "botocore_script.hpp"
#include "catch.hpp"

TEST_CASE("1000 fresh random responses read as botocore reads them", "[model][botocore][wire]") {
  const auto out = ivsrt_test::run_botocore_script("botocore_responses.py", "11", "1000");
  if (!out) return;
  std::istringstream lines(*out);
  const auto cases = ivsrt_test::read_botocore_responses(lines);
  REQUIRE(cases.size() == 1000);
  ivsrt_test::require_botocore_readings(cases);
}
