// Helpers for the token tests that run real processes (node, python3, openssl, the CLI): temporary
// directories, files, and running a shell command with its output captured.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace ivsrt_test {

struct scratch_dir {
  std::filesystem::path path;
  scratch_dir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           ("ivsrt-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Single-quoted for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

struct run_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `command` with /bin/sh, stdin from `input`, capturing stdout and stderr.
inline run_result run(const std::string& command, const scratch_dir& dir, const std::string& input = {}) {
  const std::string in = dir.file("stdin.txt");
  const std::string out = dir.file("stdout.txt");
  const std::string err = dir.file("stderr.txt");
  write_text(in, input);
  const int status = std::system(
      (command + " <" + shell_quote(in) + " >" + shell_quote(out) + " 2>" + shell_quote(err)).c_str());
  run_result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

// True when `command` runs and exits 0 (used to skip tests when a tool is absent).
inline bool available(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace ivsrt_test
