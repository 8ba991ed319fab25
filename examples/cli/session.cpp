#include "session.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "ivsrt/defaults_mode_config.hpp"
#include "ivsrt/settings.hpp"

namespace ivsrt_cli {

namespace {

// libcurl reads a connect timeout of 0 as its built-in 300 s, so "no limit" is a year.
constexpr std::chrono::milliseconds no_connect_limit = std::chrono::hours(24 * 365);

// Whether AWS_DEFAULTS_MODE or the profile's defaults_mode names a mode other than legacy: then
// the mode gives the connect timeout, as in the AWS CLI. An unreadable config is left for
// client::create to report.
bool defaults_mode_configured(const std::string& profile) {
  auto cfg = ivsrt::settings::lookup::from_environment(profile);
  if (!cfg) return false;
  auto found = ivsrt::defaults::setting(*cfg);
  return found && ivsrt::defaults::parse(found->value) != ivsrt::defaults::mode::legacy;
}

}  // namespace

void debug_line(std::string_view line) {
  std::fprintf(stderr, "debug: %.*s\n", static_cast<int>(line.size()), line.data());
}

ivsrt::result<ivsrt::client> open_client(const global_options& g) {
  ivsrt::client_options o;
  o.region = g.region;
  o.profile = g.profile;
  o.endpoint_url = g.endpoint_url;
  std::string connect_text = "from the defaults mode";
  if (g.connect_timeout_seconds) {
    o.transport.connect_timeout =
        *g.connect_timeout_seconds == 0 ? no_connect_limit : std::chrono::seconds(*g.connect_timeout_seconds);
    connect_text = std::to_string(*g.connect_timeout_seconds) + " s";
  } else if (!defaults_mode_configured(g.profile)) {
    o.transport.connect_timeout = std::chrono::seconds(60);
    connect_text = "60 s";
  }
  o.transport.read_timeout = std::chrono::seconds(g.read_timeout_seconds);
  o.transport.ca_bundle = g.ca_bundle;  // empty: the client reads AWS_CA_BUNDLE, then ca_bundle
  o.transport.insecure_skip_tls_verify = !g.verify_ssl;
  // Never silent: the warning is printed with or without --debug.
  if (!g.verify_ssl) std::fputs("warning: TLS certificate verification is off (--no-verify-ssl)\n", stderr);
  o.user_agent_suffix = std::string("app/ivsrt-cli#") + ivsrt::version;
  if (g.debug) {
    o.log = &debug_line;
    debug_line("connect timeout " + connect_text + ", read timeout " +
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
