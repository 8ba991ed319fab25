// The errors the service models, as the model describes them. A failed call reports the
// code (the shape name), the message (exceptionMessage here) and the request id in
// ivsrt::error; ivsrt::modeled_error<E> (ivsrt/modeled_error.hpp) reads one as E.
// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;
// members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"

namespace ivsrt {

struct AccessDeniedException {
  optional<std::string> accessControlAllowOrigin{};    // in header "Access-Control-Allow-Origin"
  optional<std::string> accessControlExposeHeaders{};  // in header "Access-Control-Expose-Headers"
  optional<std::string> cacheControl{};                // in header "Cache-Control"
  optional<std::string> contentSecurityPolicy{};       // in header "Content-Security-Policy"
  optional<std::string> strictTransportSecurity{};     // in header "Strict-Transport-Security"
  optional<std::string> xContentTypeOptions{};         // in header "X-Content-Type-Options"
  optional<std::string> xFrameOptions{};               // in header "X-Frame-Options"
  optional<std::string> xAmznErrorType{};              // in header "x-amzn-ErrorType"
  optional<std::string> exceptionMessage{};            // errorMessage
};

template <>
struct http_bindings<AccessDeniedException> {
  static constexpr std::array<binding, 8> members{
      {{"accessControlAllowOrigin", location::header, "Access-Control-Allow-Origin"},
       {"accessControlExposeHeaders", location::header, "Access-Control-Expose-Headers"},
       {"cacheControl", location::header, "Cache-Control"},
       {"contentSecurityPolicy", location::header, "Content-Security-Policy"},
       {"strictTransportSecurity", location::header, "Strict-Transport-Security"},
       {"xContentTypeOptions", location::header, "X-Content-Type-Options"},
       {"xFrameOptions", location::header, "X-Frame-Options"},
       {"xAmznErrorType", location::header, "x-amzn-ErrorType"}}};
};

struct ConflictException {
  optional<std::string> accessControlAllowOrigin{};    // in header "Access-Control-Allow-Origin"
  optional<std::string> accessControlExposeHeaders{};  // in header "Access-Control-Expose-Headers"
  optional<std::string> cacheControl{};                // in header "Cache-Control"
  optional<std::string> contentSecurityPolicy{};       // in header "Content-Security-Policy"
  optional<std::string> strictTransportSecurity{};     // in header "Strict-Transport-Security"
  optional<std::string> xContentTypeOptions{};         // in header "X-Content-Type-Options"
  optional<std::string> xFrameOptions{};               // in header "X-Frame-Options"
  optional<std::string> xAmznErrorType{};              // in header "x-amzn-ErrorType"
  optional<std::string> exceptionMessage{};            // errorMessage
};

template <>
struct http_bindings<ConflictException> {
  static constexpr std::array<binding, 8> members{
      {{"accessControlAllowOrigin", location::header, "Access-Control-Allow-Origin"},
       {"accessControlExposeHeaders", location::header, "Access-Control-Expose-Headers"},
       {"cacheControl", location::header, "Cache-Control"},
       {"contentSecurityPolicy", location::header, "Content-Security-Policy"},
       {"strictTransportSecurity", location::header, "Strict-Transport-Security"},
       {"xContentTypeOptions", location::header, "X-Content-Type-Options"},
       {"xFrameOptions", location::header, "X-Frame-Options"},
       {"xAmznErrorType", location::header, "x-amzn-ErrorType"}}};
};

struct InternalServerException {
  optional<std::string> accessControlAllowOrigin{};    // in header "Access-Control-Allow-Origin"
  optional<std::string> accessControlExposeHeaders{};  // in header "Access-Control-Expose-Headers"
  optional<std::string> cacheControl{};                // in header "Cache-Control"
  optional<std::string> contentSecurityPolicy{};       // in header "Content-Security-Policy"
  optional<std::string> strictTransportSecurity{};     // in header "Strict-Transport-Security"
  optional<std::string> xContentTypeOptions{};         // in header "X-Content-Type-Options"
  optional<std::string> xFrameOptions{};               // in header "X-Frame-Options"
  optional<std::string> xAmznErrorType{};              // in header "x-amzn-ErrorType"
  optional<std::string> exceptionMessage{};            // errorMessage
};

template <>
struct http_bindings<InternalServerException> {
  static constexpr std::array<binding, 8> members{
      {{"accessControlAllowOrigin", location::header, "Access-Control-Allow-Origin"},
       {"accessControlExposeHeaders", location::header, "Access-Control-Expose-Headers"},
       {"cacheControl", location::header, "Cache-Control"},
       {"contentSecurityPolicy", location::header, "Content-Security-Policy"},
       {"strictTransportSecurity", location::header, "Strict-Transport-Security"},
       {"xContentTypeOptions", location::header, "X-Content-Type-Options"},
       {"xFrameOptions", location::header, "X-Frame-Options"},
       {"xAmznErrorType", location::header, "x-amzn-ErrorType"}}};
};

struct PendingVerification {
  optional<std::string> accessControlAllowOrigin{};    // in header "Access-Control-Allow-Origin"
  optional<std::string> accessControlExposeHeaders{};  // in header "Access-Control-Expose-Headers"
  optional<std::string> cacheControl{};                // in header "Cache-Control"
  optional<std::string> contentSecurityPolicy{};       // in header "Content-Security-Policy"
  optional<std::string> strictTransportSecurity{};     // in header "Strict-Transport-Security"
  optional<std::string> xContentTypeOptions{};         // in header "X-Content-Type-Options"
  optional<std::string> xFrameOptions{};               // in header "X-Frame-Options"
  optional<std::string> xAmznErrorType{};              // in header "x-amzn-ErrorType"
  optional<std::string> exceptionMessage{};            // errorMessage
};

template <>
struct http_bindings<PendingVerification> {
  static constexpr std::array<binding, 8> members{
      {{"accessControlAllowOrigin", location::header, "Access-Control-Allow-Origin"},
       {"accessControlExposeHeaders", location::header, "Access-Control-Expose-Headers"},
       {"cacheControl", location::header, "Cache-Control"},
       {"contentSecurityPolicy", location::header, "Content-Security-Policy"},
       {"strictTransportSecurity", location::header, "Strict-Transport-Security"},
       {"xContentTypeOptions", location::header, "X-Content-Type-Options"},
       {"xFrameOptions", location::header, "X-Frame-Options"},
       {"xAmznErrorType", location::header, "x-amzn-ErrorType"}}};
};

struct ResourceNotFoundException {
  optional<std::string> accessControlAllowOrigin{};    // in header "Access-Control-Allow-Origin"
  optional<std::string> accessControlExposeHeaders{};  // in header "Access-Control-Expose-Headers"
  optional<std::string> cacheControl{};                // in header "Cache-Control"
  optional<std::string> contentSecurityPolicy{};       // in header "Content-Security-Policy"
  optional<std::string> strictTransportSecurity{};     // in header "Strict-Transport-Security"
  optional<std::string> xContentTypeOptions{};         // in header "X-Content-Type-Options"
  optional<std::string> xFrameOptions{};               // in header "X-Frame-Options"
  optional<std::string> xAmznErrorType{};              // in header "x-amzn-ErrorType"
  optional<std::string> exceptionMessage{};            // errorMessage
};

template <>
struct http_bindings<ResourceNotFoundException> {
  static constexpr std::array<binding, 8> members{
      {{"accessControlAllowOrigin", location::header, "Access-Control-Allow-Origin"},
       {"accessControlExposeHeaders", location::header, "Access-Control-Expose-Headers"},
       {"cacheControl", location::header, "Cache-Control"},
       {"contentSecurityPolicy", location::header, "Content-Security-Policy"},
       {"strictTransportSecurity", location::header, "Strict-Transport-Security"},
       {"xContentTypeOptions", location::header, "X-Content-Type-Options"},
       {"xFrameOptions", location::header, "X-Frame-Options"},
       {"xAmznErrorType", location::header, "x-amzn-ErrorType"}}};
};

struct ServiceQuotaExceededException {
  optional<std::string> accessControlAllowOrigin{};    // in header "Access-Control-Allow-Origin"
  optional<std::string> accessControlExposeHeaders{};  // in header "Access-Control-Expose-Headers"
  optional<std::string> cacheControl{};                // in header "Cache-Control"
  optional<std::string> contentSecurityPolicy{};       // in header "Content-Security-Policy"
  optional<std::string> strictTransportSecurity{};     // in header "Strict-Transport-Security"
  optional<std::string> xContentTypeOptions{};         // in header "X-Content-Type-Options"
  optional<std::string> xFrameOptions{};               // in header "X-Frame-Options"
  optional<std::string> xAmznErrorType{};              // in header "x-amzn-ErrorType"
  optional<std::string> exceptionMessage{};            // errorMessage
};

template <>
struct http_bindings<ServiceQuotaExceededException> {
  static constexpr std::array<binding, 8> members{
      {{"accessControlAllowOrigin", location::header, "Access-Control-Allow-Origin"},
       {"accessControlExposeHeaders", location::header, "Access-Control-Expose-Headers"},
       {"cacheControl", location::header, "Cache-Control"},
       {"contentSecurityPolicy", location::header, "Content-Security-Policy"},
       {"strictTransportSecurity", location::header, "Strict-Transport-Security"},
       {"xContentTypeOptions", location::header, "X-Content-Type-Options"},
       {"xFrameOptions", location::header, "X-Frame-Options"},
       {"xAmznErrorType", location::header, "x-amzn-ErrorType"}}};
};

struct ValidationException {
  optional<std::string> accessControlAllowOrigin{};    // in header "Access-Control-Allow-Origin"
  optional<std::string> accessControlExposeHeaders{};  // in header "Access-Control-Expose-Headers"
  optional<std::string> cacheControl{};                // in header "Cache-Control"
  optional<std::string> contentSecurityPolicy{};       // in header "Content-Security-Policy"
  optional<std::string> strictTransportSecurity{};     // in header "Strict-Transport-Security"
  optional<std::string> xContentTypeOptions{};         // in header "X-Content-Type-Options"
  optional<std::string> xFrameOptions{};               // in header "X-Frame-Options"
  optional<std::string> xAmznErrorType{};              // in header "x-amzn-ErrorType"
  optional<std::string> exceptionMessage{};            // errorMessage
};

template <>
struct http_bindings<ValidationException> {
  static constexpr std::array<binding, 8> members{
      {{"accessControlAllowOrigin", location::header, "Access-Control-Allow-Origin"},
       {"accessControlExposeHeaders", location::header, "Access-Control-Expose-Headers"},
       {"cacheControl", location::header, "Cache-Control"},
       {"contentSecurityPolicy", location::header, "Content-Security-Policy"},
       {"strictTransportSecurity", location::header, "Strict-Transport-Security"},
       {"xContentTypeOptions", location::header, "X-Content-Type-Options"},
       {"xFrameOptions", location::header, "X-Frame-Options"},
       {"xAmznErrorType", location::header, "x-amzn-ErrorType"}}};
};

}  // namespace ivsrt
