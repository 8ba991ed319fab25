// libFuzzer entry for the shared config and credentials file parser; the first byte picks the
// file kind.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ivsrt/config_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  ivsrt::config::profile_set set;
  (void)ivsrt::config::parse(
      input, "fuzz",
      (data[0] & 1) != 0 ? ivsrt::config::file_kind::credentials : ivsrt::config::file_kind::config, set);
  return 0;
}
