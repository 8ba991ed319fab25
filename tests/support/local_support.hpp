// Helpers for the local service's tests: temporary directories, child processes (the ivsrt-local
// program, the AWS CLI, python3), and hand-signed HTTP requests for the authentication tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt_local_test {

// A new directory under TMPDIR (or /tmp), removed with its contents at destruction.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, std::string_view content);

struct run_result {
  int exit_code = -1;  // -1: could not run, or killed by a signal
  std::string out;
  std::string err;
};

// Runs a program to completion (at most `timeout`) with the environment given: `env` entries
// ("NAME=value") override the inherited environment, or replace it when inherit_env is false.
run_result run(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
               bool inherit_env = true, std::chrono::seconds timeout = std::chrono::seconds(120));

// Whether a program can be found on PATH.
bool on_path(const std::string& program);

// A child process whose standard output the test reads line by line.
class child {
 public:
  child(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
  ~child();  // kills the child if it still runs
  child(const child&) = delete;
  child& operator=(const child&) = delete;

  [[nodiscard]] bool started() const { return pid_ > 0; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  // The next line of standard output, "" after the timeout or at end of output.
  std::string read_line(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  void kill(int signal);
  // Waits for the child to end; its exit code, or 128 + signal.
  int wait();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  bool reaped_ = false;
  int status_ = 0;
};

// An HTTP request signed by hand with the library's signer at a chosen time, sent with the
// library's transport: for requests a client would never send.
struct raw_request {
  std::string endpoint;  // "http://127.0.0.1:1234"
  std::string method = "POST";
  std::string path = "/ListStages";
  std::string body = "{}";
  std::string region = "us-east-1";
  std::string service = "ivs";
  std::string access_key = "test";
  std::string secret = "test";
  std::string session_token{};
  ivsrt::timestamp when{};  // the epoch: now
  bool sign = true;
  std::string ca_bundle{};
};

ivsrt::result<ivsrt::http::response> send_raw(const raw_request& r);

}  // namespace ivsrt_local_test
