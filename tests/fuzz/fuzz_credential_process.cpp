// libFuzzer entry for credential_process: the JSON document the program prints, and the command
// line split into arguments. The first byte picks which.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ivsrt/credential_process.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if ((data[0] & 1) != 0) {
    (void)ivsrt::detail::split_command(input);
  } else {
    std::string text(input);
    (void)ivsrt::detail::parse_process_output(text, "fuzz");
  }
  return 0;
}
