// What the client's generic call path needs of one operation, with the request and output types
// erased: table_for<Request>. The functions behind it are declared here and defined in
// rest_json.hpp, so that with IVSRT_SEPARATE_COMPILATION a call compiles without the JSON and
// validation code (ivsrt/impl/src.hpp instantiates it once for every operation).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/operation.hpp"

namespace ivsrt::rest_json {

// A request before signing: the path is percent-encoded, the query pairs are decoded.
struct encoded_request {
  std::string_view method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  http::header_list headers;
  std::string body;
  bool has_body = false;
  // The request or its output can hold a sensitive member (a participant token, a stream key):
  // the call's kept buffers are then overwritten when it ends.
  bool carries_secrets = false;
};

// What the generic call path needs of one operation, with the request and output types erased:
// everything type-specific happens behind these pointers, so the pipeline itself is one
// non-template function shared by every operation.
struct operation_table {
  std::string_view name;
  // Validates (when asked), fills a missing idempotency token, and encodes the request; when
  // display_body is given it also receives the body with sensitive members redacted.
  result<encoded_request> (*prepare)(const void* request, bool validate, std::string* display_body);
  // Reads a 2xx response into the output object.
  result<void> (*decode)(http::response& response, void* output);
};

namespace detail {

template <request Req>
result<encoded_request> prepare(const void* erased, bool validate, std::string* display_body);

template <class Output>
result<void> decode_erased(http::response& response, void* out);

}  // namespace detail

template <request Req>
inline constexpr operation_table table_for{
    .name = operation<Req>::name,
    .prepare = &detail::prepare<Req>,
    .decode = &detail::decode_erased<typename operation<Req>::output>,
};

}  // namespace ivsrt::rest_json
