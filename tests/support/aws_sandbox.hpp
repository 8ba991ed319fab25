// Keeps a test away from the developer's AWS setup: while a sandbox lives, every AWS_* variable
// is unset, HOME is a fresh temporary directory, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
// name files in it, and AWS_EC2_METADATA_DISABLED is true (a test that wants instance metadata
// unsets it and points AWS_EC2_METADATA_SERVICE_ENDPOINT at its own server). Everything is put
// back when it ends.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

extern char** environ;  // NOLINT

namespace ivsrt_test {

class aws_sandbox {
 public:
  aws_sandbox() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("ivsrt-sandbox-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    std::filesystem::create_directories(dir_, ec);
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string_view entry(*e);
      if (entry.substr(0, 4) == "AWS_") aws_names_.emplace_back(entry.substr(0, entry.find('=')));
    }
    for (const auto& name : aws_names_) save(name.c_str());
    save("HOME");
    for (const auto& name : aws_names_) ::unsetenv(name.c_str());
    set("HOME", dir_.string());
    set("AWS_CONFIG_FILE", path("config"));
    set("AWS_SHARED_CREDENTIALS_FILE", path("credentials"));
    set("AWS_EC2_METADATA_DISABLED", "true");
  }
  aws_sandbox(const aws_sandbox&) = delete;
  aws_sandbox& operator=(const aws_sandbox&) = delete;

  ~aws_sandbox() {
    std::vector<std::string> now;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string_view entry(*e);
      if (entry.substr(0, 4) == "AWS_") now.emplace_back(entry.substr(0, entry.find('=')));
    }
    for (const auto& name : now) ::unsetenv(name.c_str());
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] std::string path(std::string_view name) const { return (dir_ / name).string(); }

  void set(const char* name, const std::string& value) { ::setenv(name, value.c_str(), 1); }
  void unset(const char* name) { ::unsetenv(name); }

  // Writes a file under the sandbox (creating directories) and returns its path.
  std::string write(std::string_view name, std::string_view text, bool executable = false) const {
    const auto p = dir_ / name;
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
    {
      std::ofstream out(p, std::ios::binary | std::ios::trunc);
      out << text;
    }
    if (executable) ::chmod(p.c_str(), 0755);
    return p.string();
  }
  void config(std::string_view text) const { write("config", text); }
  void credentials(std::string_view text) const { write("credentials", text); }

 private:
  void save(const char* name) {
    const char* v = std::getenv(name);
    saved_.emplace_back(name, v != nullptr ? std::optional<std::string>(v) : std::nullopt);
  }

  std::filesystem::path dir_;
  std::vector<std::string> aws_names_;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace ivsrt_test
