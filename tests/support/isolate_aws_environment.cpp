// Every test program runs inside an AWS sandbox, so no test sees the developer's ~/.aws files or
// AWS_* variables; tests that need a setting make their own sandbox and set it there.
#include "aws_sandbox.hpp"

namespace {
const ivsrt_test::aws_sandbox whole_program;
}  // namespace
