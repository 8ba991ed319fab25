// Errors and results: every call returns result<T>, holding the output or an error. No
// exceptions are needed; with exceptions enabled, value() on an error throws ivsrt::exception.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#if defined(__cpp_exceptions)
#include <stdexcept>
#endif

namespace ivsrt {

enum class error_kind {
  service,        // the service answered with an error status
  transport,      // connection, TLS, timeout or size-limit failure; nothing usable came back
  validation,     // the request broke a constraint of the model; nothing was sent
  parse,          // the response could not be read as the operation's output
  configuration,  // region, endpoint, profile or option problem
  credentials,    // no credentials could be found, or a provider failed
  cancelled,      // the caller cancelled the call
};

constexpr const char* to_string(error_kind k) noexcept {
  switch (k) {
    case error_kind::service: return "service error";
    case error_kind::transport: return "transport error";
    case error_kind::validation: return "validation error";
    case error_kind::parse: return "response parse error";
    case error_kind::configuration: return "configuration error";
    case error_kind::credentials: return "credentials error";
    case error_kind::cancelled: return "cancelled";
  }
  return "error";
}

struct error {
  error_kind kind = error_kind::transport;
  // Service errors: the error code (e.g. "ValidationException", "ThrottlingException").
  // Other kinds: a short machine-readable reason (e.g. "timeout", "max_response_size").
  std::string code;
  std::string message;  // never contains a secret
  int http_status = 0;  // 0 when no response was received
  std::string request_id;
  int attempts = 0;  // how many times the request was sent

  // One line: "<code>: <message> (HTTP <status>, request id <id>)".
  [[nodiscard]] std::string describe() const {
    std::string out = code.empty() ? std::string(to_string(kind)) : code;
    if (!message.empty()) {
      out += ": ";
      out += message;
    }
    if (http_status != 0 || !request_id.empty()) {
      out += " (";
      if (http_status != 0) {
        out += "HTTP " + std::to_string(http_status);
      }
      if (!request_id.empty()) {
        out += http_status != 0 ? ", request id " : "request id ";
        out += request_id;
      }
      out += ")";
    }
    return out;
  }
};

inline error make_error(error_kind kind, std::string code, std::string message) {
  return error{.kind = kind,
               .code = std::move(code),
               .message = std::move(message),
               .http_status = 0,
               .request_id = {},
               .attempts = 0};
}

#if defined(__cpp_exceptions)
class exception : public std::runtime_error {
 public:
  explicit exception(ivsrt::error e) : std::runtime_error(e.describe()), error_(std::move(e)) {}
  [[nodiscard]] const ivsrt::error& error() const noexcept { return error_; }

 private:
  ivsrt::error error_;
};
#endif

// What the service said about a successful call.
struct response_metadata {
  std::string request_id;
  int http_status = 0;
  int attempts = 0;
};

namespace detail {
[[noreturn]] inline void bad_result_access(const error& e) {
#if defined(__cpp_exceptions)
  throw exception(e);
#else
  std::fprintf(stderr, "ivsrt: value() called on a failed result: %s\n", e.describe().c_str());
  std::abort();
#endif
}
}  // namespace detail

template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : value_(std::move(value)) {}     // NOLINT(google-explicit-constructor)
  result(ivsrt::error e) : error_(std::move(e)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    if (!ok()) detail::bad_result_access(error_);
    return *value_;
  }
  const T& value() const& {
    if (!ok()) detail::bad_result_access(error_);
    return *value_;
  }
  T&& value() && {
    if (!ok()) detail::bad_result_access(error_);
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The error; meaningful only when !ok().
  [[nodiscard]] const ivsrt::error& error() const noexcept { return error_; }

  response_metadata metadata;

 private:
  std::optional<T> value_;
  ivsrt::error error_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(ivsrt::error e) : failed_(true), error_(std::move(e)) {}  // NOLINT(google-explicit-constructor)
  [[nodiscard]] bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  void value() const {
    if (failed_) detail::bad_result_access(error_);
  }
  [[nodiscard]] const ivsrt::error& error() const noexcept { return error_; }

 private:
  bool failed_ = false;
  ivsrt::error error_;
};

}  // namespace ivsrt
