// Errors and results: every call returns result<T>, holding the output or an error. No
// exceptions are needed; with exceptions enabled, value() on an error throws ivsrt::exception.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <type_traits>
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
  // An operation's service error: the response's header lines and body as they came (a secret of
  // the request that the service quoted is blanked out), from which ivsrt::modeled_error<E>
  // (ivsrt/modeled_error.hpp) reads the model's error type. Empty for other errors, and for those
  // of the services that credential providers call.
  std::string response_headers;
  std::string response_body;

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
               .attempts = 0,
               .response_headers = {},
               .response_body = {}};
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

// What error() returns for a result that holds a value.
[[nodiscard]] inline const error& no_error() noexcept {
  static const error none{};
  return none;
}

}  // namespace detail

// The value and the error share storage: a result on the hot path constructs, moves and destroys
// one of them, not both.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : ok_(true) {  // NOLINT(google-explicit-constructor)
    ::new (static_cast<void*>(&value_)) T(std::move(value));
  }
  result(ivsrt::error e) : ok_(false) {  // NOLINT(google-explicit-constructor)
    ::new (static_cast<void*>(&error_)) ivsrt::error(std::move(e));
  }
  result(const result& other) : metadata(other.metadata), ok_(other.ok_) {
    if (ok_) {
      ::new (static_cast<void*>(&value_)) T(other.value_);
    } else {
      ::new (static_cast<void*>(&error_)) ivsrt::error(other.error_);
    }
  }
  result(result&& other) noexcept(std::is_nothrow_move_constructible_v<T>)
      : metadata(std::move(other.metadata)), ok_(other.ok_) {
    if (ok_) {
      ::new (static_cast<void*>(&value_)) T(std::move(other.value_));
    } else {
      ::new (static_cast<void*>(&error_)) ivsrt::error(std::move(other.error_));
    }
  }
  result& operator=(const result& other) {
    if (this != &other) *this = result(other);
    return *this;
  }
  result& operator=(result&& other) noexcept(
      std::is_nothrow_move_constructible_v<T>&& std::is_nothrow_move_assignable_v<T>) {
    if (this == &other) return *this;
    if (ok_ && other.ok_) {
      value_ = std::move(other.value_);
    } else if (!ok_ && !other.ok_) {
      error_ = std::move(other.error_);
    } else {
      destroy();
      ok_ = other.ok_;
      if (ok_) {
        ::new (static_cast<void*>(&value_)) T(std::move(other.value_));
      } else {
        ::new (static_cast<void*>(&error_)) ivsrt::error(std::move(other.error_));
      }
    }
    metadata = std::move(other.metadata);
    return *this;
  }
  ~result() { destroy(); }

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    if (!ok()) detail::bad_result_access(error_);
    return value_;
  }
  const T& value() const& {
    if (!ok()) detail::bad_result_access(error_);
    return value_;
  }
  T&& value() && {
    if (!ok()) detail::bad_result_access(error_);
    return std::move(value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The error; an empty one when ok().
  [[nodiscard]] const ivsrt::error& error() const noexcept { return ok_ ? detail::no_error() : error_; }

  response_metadata metadata;

 private:
  void destroy() noexcept {
    if (ok_) {
      value_.~T();
    } else {
      error_.~error();
    }
  }

  union {
    T value_;
    ivsrt::error error_;
  };
  bool ok_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  result() noexcept : none_{} {}
  result(ivsrt::error e) : failed_(true) {  // NOLINT(google-explicit-constructor)
    ::new (static_cast<void*>(&error_)) ivsrt::error(std::move(e));
  }
  result(const result& other) : failed_(other.failed_) {
    if (failed_) ::new (static_cast<void*>(&error_)) ivsrt::error(other.error_);
  }
  result(result&& other) noexcept : failed_(other.failed_) {
    if (failed_) ::new (static_cast<void*>(&error_)) ivsrt::error(std::move(other.error_));
  }
  result& operator=(const result& other) {
    if (this != &other) *this = result(other);
    return *this;
  }
  result& operator=(result&& other) noexcept {
    if (this == &other) return *this;
    if (failed_ && other.failed_) {
      error_ = std::move(other.error_);
    } else if (failed_) {
      error_.~error();
      failed_ = false;
    } else if (other.failed_) {
      ::new (static_cast<void*>(&error_)) ivsrt::error(std::move(other.error_));
      failed_ = true;
    }
    return *this;
  }
  ~result() {
    if (failed_) error_.~error();
  }

  [[nodiscard]] bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  void value() const {
    if (failed_) detail::bad_result_access(error_);
  }
  // The error; an empty one when ok().
  [[nodiscard]] const ivsrt::error& error() const noexcept { return failed_ ? error_ : detail::no_error(); }

 private:
  bool failed_ = false;
  union {
    char none_;
    ivsrt::error error_;
  };
};

}  // namespace ivsrt
