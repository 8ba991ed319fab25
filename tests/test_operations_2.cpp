// Operations 14-26 of all_operations on the wire, against botocore's known answers and, where it
// is installed, botocore itself. The 39 operations are split over three files so that they compile
// in parallel.
#include "operation_wire.hpp"

TEST_CASE("operations 14-26: every member on the wire, as botocore writes and reads it",
          "[operations][wire]") {
  ivsrt_test::check_operations<ivsrt_test::slice<ivsrt::all_operations, 13, 26>>();
}
