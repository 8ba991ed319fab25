// A running local service and ivsrt clients for it, shared by the local service's tests.
#pragma once

#include <string>
#include <utility>

#include "catch.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/local/service.hpp"

namespace ivsrt_local_test {

// Unwraps a result the test expects to succeed; on failure the error is shown.
template <class T>
T must(ivsrt::result<T> r) {
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  return std::move(*r);
}

inline void must(ivsrt::result<void> r) {
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
}

// The error of a result the test expects to fail.
template <class T>
ivsrt::error fails(const ivsrt::result<T>& r) {
  REQUIRE_FALSE(r.ok());
  return r.error();
}

struct running_service {
  ivsrt::local::service svc;

  explicit running_service(ivsrt::local::service_options options = {}) : svc(std::move(options)) {
    must(svc.start());
  }

  [[nodiscard]] ivsrt::client client(bool validate = true) const {
    auto o = svc.client_options();
    o.validate_requests = validate;
    return must(ivsrt::client::create(std::move(o)));
  }
};

}  // namespace ivsrt_local_test
