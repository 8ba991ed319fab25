// libFuzzer entry for the response reader: the first byte picks one of the 39 operations and
// whether the response is a success (read into the operation's output through rest_json::decode)
// or an error (read by rest_json::service_error); the rest is the body, in a buffer padded the
// way the transport pads it. It also holds the syntax-error locator to what simdjson accepts: a
// document the locator faults must be one simdjson refuses, and one whose numbers beyond simdjson's
// range were rewritten must be one it reads.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ivsrt/json_syntax.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/rest_json.hpp"

namespace {

using decode_function = void (*)(ivsrt::http::response&);

template <class Req>
void decode_output(ivsrt::http::response& resp) {
  (void)ivsrt::rest_json::decode<typename ivsrt::operation<Req>::output>(resp);
}

template <class... Req>
constexpr auto decoders(ivsrt::type_list<Req...> /*unused*/) {
  return std::array<decode_function, sizeof...(Req)>{&decode_output<Req>...};
}

constexpr auto kDecoders = decoders(ivsrt::all_operations{});

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  ivsrt::http::response resp;
  resp.body.reserve(body.size() + ivsrt::json::padding);
  resp.body.assign(body);
  resp.add_header("x-amzn-RequestId", "fuzz");
  const std::size_t pick = data[0] % (kDecoders.size() + 1);
  if (pick == kDecoders.size()) {
    resp.status = 400;
    if ((data[0] & 0x80) != 0) resp.add_header("x-amzn-ErrorType", body.substr(0, 40));
    (void)ivsrt::rest_json::service_error(resp);
  } else {
    resp.status = 200;
    kDecoders[pick](resp);
  }
  simdjson::dom::element ignored;
  if (ivsrt::json::locate_syntax_error(body, ivsrt::json::max_depth)) {
    if (ivsrt::json::thread_parser().parse(body.data(), body.size()).get(ignored) == simdjson::SUCCESS) {
      std::abort();
    }
  }
  // A document with its wide numbers rewritten must be one simdjson reads.
  if (const auto held = ivsrt::json::with_numbers_in_range(body, ivsrt::json::max_depth)) {
    const auto e = ivsrt::json::thread_parser().parse(held->data(), held->size()).get(ignored);
    if (e == simdjson::NUMBER_ERROR) std::abort();
  }
  return 0;
}
