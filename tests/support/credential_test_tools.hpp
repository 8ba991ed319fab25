// Helpers for the credential providers' wire tests: times as the caches write them, files and
// JSON read back, the default chain with its log captured, and the check that no secret reached
// a log line or an error.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "ivsrt/default_chain.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt_test {

inline bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

inline ivsrt::timestamp now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

// t to the second, as "2024-01-01T00:00:00Z".
inline std::string iso(ivsrt::timestamp t) {
  return ivsrt::format_timestamp(std::chrono::floor<std::chrono::seconds>(t));
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A JSON document (a request body, a cache file) read into the test's own view of it.
template <class T>
T read_json_text(const std::string& text) {
  T v;
  auto r = ivsrt::json::from_json(text, v);
  INFO(text);
  REQUIRE(r.ok());
  return v;
}

// Chain settings whose retries record their waits in `waits` instead of sleeping.
inline ivsrt::credential_chain_settings recording_waits(std::vector<std::chrono::nanoseconds>& waits) {
  ivsrt::credential_chain_settings s;
  s.retries.sleep = [&waits](std::chrono::nanoseconds d) { waits.push_back(d); };
  return s;
}

// The default chain, logging into `lines`.
inline std::shared_ptr<ivsrt::credentials_provider> chain(std::vector<std::string>& lines,
                                                          ivsrt::credential_chain_settings settings = {},
                                                          std::string region = "us-west-2") {
  auto c = ivsrt::default_chain({.profile = {},
                                 .region = std::move(region),
                                 .config = {},
                                 .transport = {},
                                 .settings = std::move(settings),
                                 .log = [&lines](std::string_view l) { lines.emplace_back(l); }});
  INFO((c.ok() ? std::string() : c.error().message));
  REQUIRE(c.ok());
  return *c;
}

// No text (log lines, error messages) holds any of the secrets.
inline void require_clean(const std::vector<std::string>& texts,
                          std::initializer_list<std::string_view> secrets) {
  for (const auto& t : texts) {
    for (auto s : secrets) {
      INFO(t);
      REQUIRE_FALSE(contains(t, s));
    }
  }
}

}  // namespace ivsrt_test
