// libFuzzer entry for the date-time parsers: ISO 8601 (response members, credential expiry) and
// the HTTP Date header (clock skew), plus x-amz-retry-after. A parsed ISO 8601 time must survive
// a format/parse round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ivsrt/clock_skew.hpp"
#include "ivsrt/retry.hpp"
#include "ivsrt/timestamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto t = ivsrt::parse_timestamp(input)) {
    const std::string text = ivsrt::format_timestamp(*t);
    const auto again = ivsrt::parse_timestamp(text);
    if (!again || *again != *t) std::abort();
  }
  (void)ivsrt::clock_skew::parse_http_date(input);
  (void)ivsrt::retry::parse_retry_after(input);
  return 0;
}
