// Fault injection, for testing how an application copes with a misbehaving service: per operation
// (or every operation), answer with an error or a throttle, add latency, or drop the connection,
// with a probability and for a limited number of requests. Faults apply to authenticated API
// requests only; a faulted request changes nothing, except with drop_response, which lets the
// operation run and then breaks its answer off, as when a connection fails at the worst moment.
//
// Note that `drop` closes the connection before any byte of the answer: like other HTTP clients,
// libcurl (and so ivsrt) then sends the request again by itself when the connection was a reused
// one, so a single drop may be absorbed; drop_response cannot be, since part of an answer arrived.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/local/errors.hpp"

namespace ivsrt::local {

enum class fault_kind {
  error,          // answer with `status`, `code` and `message`
  throttle,       // 429 ThrottlingException "Rate exceeded"
  latency,        // wait `latency`, then answer normally
  drop,           // close the connection without answering; nothing happens
  drop_response,  // run the operation, then break the answer off after its headers
};

struct fault {
  std::string operation = "*";  // an operation name such as "CreateStage", or "*" for all
  fault_kind kind = fault_kind::error;
  double probability = 1.0;  // chance that a matching request is hit
  std::int32_t times = -1;   // how many requests it hits at most; -1: no limit
  std::chrono::milliseconds latency{0};
  std::int32_t status = 500;
  std::string code = "InternalServerException";
  std::string message = "Unexpected error during processing of request.";
};

// What to do with one request.
struct fault_plan {
  std::chrono::milliseconds delay{0};
  std::optional<fault_kind> action;  // error, throttle, drop or drop_response; nullopt: none
  error failure{};                   // for error and throttle
};

class fault_injector {
 public:
  explicit fault_injector(std::uint64_t seed) : rng_(seed) {}

  // Adds a rule; returns its id.
  int add(fault f) {
    std::lock_guard<std::mutex> lock(mutex_);
    rules_.emplace_back(++next_id_, std::move(f));
    return next_id_;
  }
  bool remove(int id) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
      if (it->first == id) {
        rules_.erase(it);
        return true;
      }
    }
    return false;
  }
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    rules_.clear();
  }

  // Decides what happens to one request for `operation`: every matching latency rule adds its
  // delay; the first other matching rule that fires decides the outcome.
  fault_plan plan(std::string_view operation) {
    std::lock_guard<std::mutex> lock(mutex_);
    fault_plan out;
    std::uniform_real_distribution<double> chance(0.0, 1.0);
    for (auto& [id, f] : rules_) {
      if (f.operation != "*" && f.operation != operation) continue;
      if (f.times == 0) continue;
      if (f.kind != fault_kind::latency && out.action) continue;
      if (f.probability < 1.0 && chance(rng_) >= f.probability) continue;
      if (f.times > 0) --f.times;
      switch (f.kind) {
        case fault_kind::latency: out.delay += f.latency; break;
        case fault_kind::throttle:
          out.action = f.kind;
          out.failure = throttling_error();
          break;
        case fault_kind::error:
          out.action = f.kind;
          out.failure = api_error(f.status, f.code, f.message);
          break;
        case fault_kind::drop:
        case fault_kind::drop_response: out.action = f.kind; break;
      }
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::mt19937_64 rng_;
  std::vector<std::pair<int, fault>> rules_;
  int next_id_ = 0;
};

inline std::optional<fault_kind> parse_fault_kind(std::string_view s) {
  if (s == "error") return fault_kind::error;
  if (s == "throttle") return fault_kind::throttle;
  if (s == "latency") return fault_kind::latency;
  if (s == "drop") return fault_kind::drop;
  if (s == "drop_response" || s == "drop-response") return fault_kind::drop_response;
  return std::nullopt;
}

// Parses a fault from the command line's form:
//   OPERATION:KIND[:key=value...] with keys rate (0..1), times, ms, status, code, message;
//   e.g. "CreateStage:throttle:times=2", "*:error:rate=0.1:status=503:code=ServiceUnavailable",
//   "ListStages:latency:ms=250", "GetStage:drop".
inline result<fault> parse_fault(std::string_view spec) {
  auto bad = [&](const std::string& why) {
    return make_error(error_kind::configuration, "InvalidFault",
                      "fault \"" + std::string(spec) + "\": " + why);
  };
  std::vector<std::string_view> parts;
  for (std::string_view rest = spec;;) {
    const std::size_t colon = rest.find(':');
    parts.push_back(rest.substr(0, colon));
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  if (parts.size() < 2 || parts[0].empty()) return bad("expected OPERATION:KIND[:key=value...]");
  fault f;
  f.operation = std::string(parts[0]);
  auto kind = parse_fault_kind(parts[1]);
  if (!kind) return bad("the kind must be error, throttle, latency, drop or drop_response");
  f.kind = *kind;
  for (std::size_t i = 2; i < parts.size(); ++i) {
    const std::size_t eq = parts[i].find('=');
    if (eq == std::string_view::npos) return bad("\"" + std::string(parts[i]) + "\" is not key=value");
    const std::string key(parts[i].substr(0, eq));
    const std::string value(parts[i].substr(eq + 1));
    char* end = nullptr;
    if (key == "rate") {
      f.probability = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0' || f.probability < 0 || f.probability > 1)
        return bad("rate must be 0..1");
    } else if (key == "times" || key == "ms" || key == "status") {
      const long n = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || *end != '\0' || n < 0 || n > 1000000000)
        return bad(key + " must be a number");
      if (key == "times") f.times = static_cast<std::int32_t>(n);
      if (key == "ms") f.latency = std::chrono::milliseconds(n);
      if (key == "status") f.status = static_cast<std::int32_t>(n);
    } else if (key == "code") {
      f.code = value;
    } else if (key == "message") {
      f.message = value;
    } else {
      return bad("unknown key \"" + key + "\"");
    }
  }
  if (f.kind == fault_kind::error && (f.status < 400 || f.status > 599))
    return bad("status must be 400..599");
  return f;
}

}  // namespace ivsrt::local
