// The CA bundle a client trusts for TLS: transport_options::ca_bundle, else AWS_CA_BUNDLE, else
// the profile's ca_bundle (the AWS CLI's setting), else the system store. It serves the service
// and the credential requests to STS, IAM Identity Center and AWS Sign-In alike. A bundle that
// cannot be read is a configuration error when the client is made, naming where it was set.
// Neither setting is read when the caller chose transport_options::ca_path (trusting more CAs
// than asked for) or turned verification off (nothing is checked against them).
#pragma once

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>

#include "ivsrt/error.hpp"
#include "ivsrt/settings.hpp"
#include "ivsrt/transport_options.hpp"

namespace ivsrt::detail {

// Fills t.ca_bundle from the environment or the profile when the caller left it to them, and
// checks that the file can be read. Returns where it came from, for the client's log ("" when none).
inline result<std::string> resolve_ca_bundle(http::transport_options& t, const settings::lookup& cfg) {
  std::string& bundle = t.ca_bundle;
  std::string source = "transport_options::ca_bundle";
  if (bundle.empty()) {
    if (!t.ca_path.empty() || t.insecure_skip_tls_verify) return std::string();
    auto found = cfg.env_or_profile("AWS_CA_BUNDLE", "ca_bundle");
    if (!found || found->value.empty()) return std::string();
    bundle = std::move(found->value);
    source = std::move(found->source);
  }
  errno = 0;
  std::ifstream in(bundle, std::ios::binary);
  char first = 0;
  if (!in || !in.get(first)) {
    const int err = errno;
    const std::string why = err != 0 ? std::strerror(err) : "it is empty";  // NOLINT(concurrency-mt-unsafe)
    return make_error(error_kind::configuration, "InvalidCaBundle",
                      source + " names the CA bundle " + bundle + ", which cannot be read: " + why);
  }
  return source;
}

}  // namespace ivsrt::detail
