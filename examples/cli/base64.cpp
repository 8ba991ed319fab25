#include "base64.hpp"

#include "ivsrt/base64url.hpp"

namespace ivsrt_cli {

// Standard base64 differs from base64url in two characters of the alphabet and in its padding.
std::string base64_encode(std::string_view bytes) {
  std::string out = ivsrt::base64url::encode(bytes);
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  out.append((4 - out.size() % 4) % 4, '=');
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t end = text.size();
  while (end > 0 && text.size() - end < 2 && text[end - 1] == '=') --end;
  std::string url(text.substr(0, end));
  for (char& c : url) {
    if (c == '-' || c == '_') return std::nullopt;  // base64url's, not the standard alphabet's
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return ivsrt::base64url::decode(url);
}

}  // namespace ivsrt_cli
