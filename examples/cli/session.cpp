#include "session.hpp"

#include <chrono>
#include <cstdio>
#include <string>

namespace ivsrt_cli {

namespace {

// libcurl reads a connect timeout of 0 as its built-in 300 s, so "no limit" is a year.
constexpr std::chrono::milliseconds no_connect_limit = std::chrono::hours(24 * 365);

}  // namespace

void debug_line(std::string_view line) {
  std::fprintf(stderr, "debug: %.*s\n", static_cast<int>(line.size()), line.data());
}

ivsrt::result<ivsrt::client> open_client(const global_options& g) {
  ivsrt::client_options o;
  o.region = g.region;
  o.profile = g.profile;
  o.endpoint_url = g.endpoint_url;
  o.transport.connect_timeout =
      g.connect_timeout_seconds == 0 ? no_connect_limit : std::chrono::seconds(g.connect_timeout_seconds);
  o.transport.read_timeout = std::chrono::seconds(g.read_timeout_seconds);
  o.transport.ca_bundle = g.ca_bundle;  // empty: the client reads AWS_CA_BUNDLE, then ca_bundle
  o.transport.insecure_skip_tls_verify = !g.verify_ssl;
  // Never silent: the warning is printed with or without --debug.
  if (!g.verify_ssl) std::fputs("warning: TLS certificate verification is off (--no-verify-ssl)\n", stderr);
  o.user_agent_suffix = std::string("app/ivsrt-cli#") + ivsrt::version;
  if (g.debug) {
    o.log = &debug_line;
    debug_line("connect timeout " + std::to_string(g.connect_timeout_seconds) + " s, read timeout " +
               std::to_string(g.read_timeout_seconds) + " s (0: none)");
  }
  return ivsrt::client::create(std::move(o));
}

void print_request(std::FILE* out, const ivsrt::printable_request& r) {
  std::fprintf(out, "%s %s\n", r.method.c_str(), r.url.c_str());
  for (const auto& [name, value] : r.headers) std::fprintf(out, "%s: %s\n", name.c_str(), value.c_str());
  std::fprintf(out, "\n%s\n", r.body.c_str());
}

}  // namespace ivsrt_cli
