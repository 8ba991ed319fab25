// The User-Agent header in the AWS SDKs' "UA 2.x" form: space-separated `prefix/name[#value]`
// tokens naming the library, the platform and the configuration, e.g.
//   ivsrt/0.1.0 ua/2.1 os/linux#6.1.0 md/arch#x86_64 lang/c++#20 md/compiler#gcc-12.2.0
//   md/curl#7.88.1 cfg/retry-mode#standard exec-env/AWS_ECS_FARGATE app/my-game
// Every name and value is reduced to the HTTP token character set.
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>

#if __has_include(<sys/utsname.h>)
#include <sys/utsname.h>
#endif

#include "ivsrt/ascii.hpp"
#include "ivsrt/version.hpp"

namespace ivsrt::user_agent {

constexpr bool is_token_char(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// s with every character outside the token set replaced: spaces by '_', others by '-'.
inline std::string sanitize(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (!is_token_char(c)) c = c == ' ' ? '_' : '-';
  }
  return out;
}

// "name#value" with both parts sanitized; '#' separates them, so it is replaced in each.
inline std::string pair(std::string_view name, std::string_view value) {
  std::string n = sanitize(name);
  std::string v = sanitize(value);
  for (char& c : n) c = c == '#' ? '-' : c;
  for (char& c : v) c = c == '#' ? '-' : c;
  return v.empty() ? n : n + "#" + v;
}

namespace detail {

inline std::string os_token() {
#if __has_include(<sys/utsname.h>)
  struct utsname u {};
  if (uname(&u) == 0) {
    return "os/" + pair(ascii::lowercase(u.sysname), u.release) + " md/" + pair("arch", u.machine);
  }
#endif
#if defined(_WIN32)
  return "os/windows";
#else
  return "os/other";
#endif
}

inline std::string compiler_token() {
#if defined(__clang__)
  return "md/" +
         pair("compiler", "clang-" + std::to_string(__clang_major__) + "." + std::to_string(__clang_minor__) +
                              "." + std::to_string(__clang_patchlevel__));
#elif defined(__GNUC__)
  return "md/" + pair("compiler", "gcc-" + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) +
                                      "." + std::to_string(__GNUC_PATCHLEVEL__));
#elif defined(_MSC_VER)
  return "md/" + pair("compiler", "msvc-" + std::to_string(_MSC_VER));
#else
  return "md/compiler#other";
#endif
}

}  // namespace detail

struct parts {
  std::string retry_mode{};  // "standard" or "adaptive"
  std::string exec_env{};    // AWS_EXECUTION_ENV
  std::string app_id{};      // from the app_id option, AWS_SDK_UA_APP_ID or sdk_ua_app_id
  std::string suffix{};      // the caller's own tokens, appended as given (minus non-token characters)
};

inline std::string build(const parts& p) {
  std::string ua = std::string("ivsrt/") + sanitize(version) + " ua/2.1 " + detail::os_token() + " lang/" +
                   pair("c++", std::to_string(__cplusplus / 100 % 100)) + " " + detail::compiler_token() +
                   " md/" + pair("curl", curl_version_info(CURLVERSION_NOW)->version) + " cfg/" +
                   pair("retry-mode", p.retry_mode);
  if (!p.exec_env.empty()) ua += " exec-env/" + sanitize(p.exec_env);
  if (!p.app_id.empty()) ua += " app/" + sanitize(p.app_id);
  if (!p.suffix.empty()) {
    ua += ' ';
    for (char c : p.suffix) ua += is_token_char(c) || c == '/' || c == ' ' ? c : '-';
  }
  return ua;
}

}  // namespace ivsrt::user_agent
