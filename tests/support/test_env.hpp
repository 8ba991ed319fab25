// Test helpers for settings that live outside the program: environment variables set for one
// test and restored afterwards, and temporary files removed afterwards.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ivsrt_test {

// Sets (or, with nullopt, unsets) variables; the destructor puts the old values back.
class scoped_env {
 public:
  scoped_env(std::initializer_list<std::pair<const char*, std::optional<std::string>>> vars) {
    for (const auto& [name, value] : vars) set(name, value);
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;
  ~scoped_env() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }

  void set(const char* name, const std::optional<std::string>& value) {
    const char* old = std::getenv(name);
    saved_.emplace_back(name, old != nullptr ? std::optional<std::string>(old) : std::nullopt);
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// A file with the given text in the temporary directory, removed by the destructor.
class temp_file {
 public:
  explicit temp_file(const std::string& text) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/ivsrt-test-XXXXXX";
    const int fd = ::mkstemp(pattern.data());
    if (fd >= 0) ::close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << text;
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() { std::remove(path_.c_str()); }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

// Every variable that changes what a client resolves for its endpoint, retries, clock and user
// agent, cleared; the shared config files point at `config` (or nowhere).
inline scoped_env clean_aws_env(const std::string& config = "/nonexistent/ivsrt-config") {
  return scoped_env{{"AWS_CONFIG_FILE", config},
                    {"AWS_SHARED_CREDENTIALS_FILE", std::string("/nonexistent/ivsrt-credentials")},
                    {"AWS_PROFILE", std::nullopt},
                    {"AWS_ENDPOINT_URL", std::nullopt},
                    {"AWS_ENDPOINT_URL_IVS_REALTIME", std::nullopt},
                    {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", std::nullopt},
                    {"AWS_USE_FIPS_ENDPOINT", std::nullopt},
                    {"AWS_USE_DUALSTACK_ENDPOINT", std::nullopt},
                    {"AWS_STS_REGIONAL_ENDPOINTS", std::nullopt},
                    {"AWS_RETRY_MODE", std::nullopt},
                    {"AWS_MAX_ATTEMPTS", std::nullopt},
                    {"AWS_NEW_RETRIES_2026", std::nullopt},
                    {"AWS_DISABLE_CLOCK_SKEW_CORRECTION", std::nullopt},
                    {"AWS_SDK_UA_APP_ID", std::nullopt},
                    {"AWS_EXECUTION_ENV", std::nullopt},
                    {"HTTP_PROXY", std::nullopt},
                    {"http_proxy", std::nullopt},
                    {"HTTPS_PROXY", std::nullopt},
                    {"https_proxy", std::nullopt},
                    {"ALL_PROXY", std::nullopt},
                    {"all_proxy", std::nullopt},
                    {"NO_PROXY", std::nullopt},
                    {"no_proxy", std::nullopt}};
}

}  // namespace ivsrt_test
