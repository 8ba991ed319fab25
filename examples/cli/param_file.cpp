#include "param_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace ivsrt_cli {

ivsrt::result<std::string> read_text_file(const std::string& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) {
    return ivsrt::make_error(ivsrt::error_kind::validation, "InvalidCommandLine",
                             "cannot read " + path + ": " + std::strerror(errno));
  }
  std::string text;
  char buf[8192];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) text.append(buf, n);
  if (std::ferror(f.get()) != 0) {
    return ivsrt::make_error(ivsrt::error_kind::validation, "InvalidCommandLine", "cannot read " + path);
  }
  return text;
}

ivsrt::result<std::string> resolve_value(std::string_view value) {
  constexpr std::string_view prefix = "file://";
  if (value.substr(0, prefix.size()) != prefix) return std::string(value);
  return read_text_file(std::string(value.substr(prefix.size())));
}

}  // namespace ivsrt_cli
