// The errors the local service answers with, as ivsrt::error values (kind service, the HTTP status
// and the code the real service uses), so handlers return result<Output> like the client does.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/error.hpp"

namespace ivsrt::local {

inline error api_error(int status, std::string code, std::string message) {
  error e = make_error(error_kind::service, std::move(code), std::move(message));
  e.http_status = status;
  return e;
}

inline error validation_error(std::string message) {
  return api_error(400, "ValidationException", std::move(message));
}

inline error not_found(std::string_view arn) {
  return api_error(404, "ResourceNotFoundException", "Resource " + std::string(arn) + " not found");
}

inline error not_found_message(std::string message) {
  return api_error(404, "ResourceNotFoundException", std::move(message));
}

inline error conflict(std::string message) {
  return api_error(409, "ConflictException", std::move(message));
}

inline error quota_exceeded(std::string message) {
  return api_error(402, "ServiceQuotaExceededException", std::move(message));
}

inline error internal_error(std::string message) {
  return api_error(500, "InternalServerException", std::move(message));
}

inline error throttling_error() {
  return api_error(429, "ThrottlingException", "Rate exceeded");
}

}  // namespace ivsrt::local
