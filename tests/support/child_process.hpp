// Runs a program as a child process with a given environment and captures its stdout, stderr
// and exit code, for tests of command-line tools. A child that runs too long is killed.
#pragma once

#include <string>
#include <vector>

namespace ivsrt_test {

struct process_result {
  int exit_code = -1;  // -1 when the child did not exit normally (killed, not started)
  std::string out;
  std::string err;
};

// Runs `program` with `args` and exactly the variables in `env` ("NAME=value"); stdin is empty.
process_result run_process(const std::string& program, const std::vector<std::string>& args,
                           const std::vector<std::string>& env, int timeout_seconds = 60);

// The value of the calling process's environment variable, "" when unset.
std::string environment_variable(const char* name);

// The full path of `program` found in the directories of PATH, "" when none has it.
std::string find_in_path(const std::string& program);

}  // namespace ivsrt_test
