// The retry settings a client uses: from code, else the environment, else the profile, else
// the SDK defaults (standard mode, 3 attempts, revision v2_0).
//   mode:         retry_options::mode, AWS_RETRY_MODE, retry_mode ("standard", "adaptive"; "legacy",
//                 the botocore default, is run as standard)
//   max attempts: retry_options::max_attempts, AWS_MAX_ATTEMPTS, max_attempts (1 to 10000; 1 = no retries)
//   revision:     retry_options::new_retries_2026, AWS_NEW_RETRIES_2026 (only "true" selects v2026)
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "ivsrt/ascii.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/retry.hpp"
#include "ivsrt/settings.hpp"

namespace ivsrt {

struct retry_options {
  std::optional<retry::mode> mode{};
  std::optional<int> max_attempts{};  // attempts in all, the first included
  std::optional<bool> new_retries_2026{};
  // Waits between attempts (and for the adaptive rate limiter); empty: std::this_thread::sleep_for.
  std::function<void(std::chrono::nanoseconds)> sleep{};
};

namespace retry {

struct resolved_strategy {
  strategy value{};
  std::string source{};  // for log lines
};

inline result<resolved_strategy> resolve(const retry_options& code, const settings::lookup& cfg) {
  resolved_strategy out;
  std::string mode_source = "default";
  if (code.mode) {
    out.value.retry_mode = *code.mode;
    mode_source = "the retry mode option";
  } else if (auto m = cfg.env_or_profile("AWS_RETRY_MODE", "retry_mode")) {
    if (ascii::iequals(m->value, "adaptive")) {
      out.value.retry_mode = mode::adaptive;
    } else if (!ascii::iequals(m->value, "standard") && !ascii::iequals(m->value, "legacy")) {
      return settings::invalid(*m, "standard, adaptive or legacy");
    }
    mode_source = m->source;
  }
  std::string attempts_source = "default";
  if (code.max_attempts) {
    if (*code.max_attempts < 1 || *code.max_attempts > 10000) {
      return make_error(
          error_kind::configuration, "InvalidConfiguration",
          "the max_attempts option must be from 1 to 10000, not " + std::to_string(*code.max_attempts));
    }
    out.value.max_attempts = *code.max_attempts;
    attempts_source = "the max_attempts option";
  } else {
    auto found = cfg.env_or_profile("AWS_MAX_ATTEMPTS", "max_attempts");
    auto n = settings::parse_attempts(found);
    if (!n) return n.error();
    if (*n) {
      out.value.max_attempts = **n;
      attempts_source = found->source;
    }
  }
  bool v2026 = false;
  if (code.new_retries_2026) {
    v2026 = *code.new_retries_2026;
  } else if (auto flag = settings::lookup::env("AWS_NEW_RETRIES_2026")) {
    // As in botocore: only "true" opts in; other values leave the current revision.
    v2026 = ascii::iequals(flag->value, "true");
  }
  out.value.rev = v2026 ? revision::v2026 : revision::v2_0;
  out.source = std::string(out.value.retry_mode == mode::adaptive ? "adaptive" : "standard") + " mode (" +
               mode_source + "), " + std::to_string(out.value.max_attempts) + " attempts (" +
               attempts_source + "), " + (v2026 ? "2026 revision" : "v2.0 revision");
  return out;
}

}  // namespace retry
}  // namespace ivsrt
