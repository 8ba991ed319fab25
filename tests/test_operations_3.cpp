// Operations 27 to the last of all_operations on the wire, against botocore's known answers and, where it
// is installed, botocore itself. The 39 operations are split over three files so that they compile
// in parallel.
#include "operation_wire.hpp"

TEST_CASE("operations 27 onwards: every member on the wire, as botocore writes and reads it",
          "[operations][wire]") {
  ivsrt_test::check_operations<
      ivsrt_test::slice<ivsrt::all_operations, 26, ivsrt_test::size_of(ivsrt::all_operations{})>>();
}
