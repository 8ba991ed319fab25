// What the credential providers share to make their calls: where STS and the SSO portal are,
// the transports (one for AWS endpoints with the client's TLS and proxy settings, local metadata
// endpoints get their own with short timeouts and no proxy), and reading JSON documents that
// hold secrets.
#pragma once

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "ivsrt/ascii.hpp"
#include "ivsrt/credential_chain_settings.hpp"
#include "ivsrt/credentials.hpp"
#include "ivsrt/environment.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/optional.hpp"
#include "ivsrt/partition.hpp"
#include "ivsrt/rest_json.hpp"
#include "ivsrt/retry.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/settings.hpp"
#include "ivsrt/shared_config.hpp"
#include "ivsrt/transport.hpp"
#include "ivsrt/uri.hpp"
#include "ivsrt/version.hpp"

namespace ivsrt {

namespace detail {

// Whether the calls the credential sources make to AWS (STS, the SSO portal, SSO OIDC) go to
// FIPS and dual-stack endpoints: the client's use_fips and use_dual_stack.
struct endpoint_variant {
  bool fips = false;
  bool dual_stack = false;
};

// What the providers of one chain share.
struct provider_context {
  std::shared_ptr<const shared_config> config;
  std::string region;  // for STS; empty: the global endpoint
  endpoint_variant variant{};
  // The client's ignore_configured_endpoint_urls: STS, SSO and Sign-In take no configured endpoint.
  bool ignore_configured_endpoints = false;
  // AWS_STS_REGIONAL_ENDPOINTS or the profile's sts_regional_endpoints; sts::target_for checks it,
  // so a bad value fails only chains that call STS.
  std::optional<settings::found> sts_regional_endpoints{};
  std::shared_ptr<http::transport> aws_transport;
  credential_chain_settings settings;
  std::function<void(std::string_view)> log;

  void say(const std::string& line) const {
    if (log) log(line);
  }
};

inline std::string user_agent() {
  return std::string("ivsrt/") + version + " md/credentials";
}

// The regional endpoint of an AWS service the credential sources call, as the rule sets of STS,
// SSO and SSO OIDC give it: https://{service}[-fips].{region}.{DNS suffix of the partition}, the
// dual-stack suffix when asked. STS in aws-us-gov is FIPS-validated under its plain name.
inline result<std::string> regional_endpoint(std::string_view service, std::string_view region,
                                             endpoint_variant v) {
  const endpoints::partition& p = endpoints::aws_partition(region);
  if ((v.fips && !p.supports_fips) || (v.dual_stack && !p.supports_dual_stack)) {
    return make_error(error_kind::configuration, "InvalidConfiguration",
                      "partition " + std::string(p.name) + " of region " + std::string(region) + " has no " +
                          (v.fips && !p.supports_fips ? "FIPS" : "dual-stack") + " endpoint for " +
                          std::string(service));
  }
  const bool plain_fips = service == "sts" && p.name == "aws-us-gov" && !v.dual_stack;
  std::string url = "https://";
  url.append(service).append(v.fips && !plain_fips ? "-fips." : ".").append(region).append(".");
  url.append(v.dual_stack ? p.dual_stack_dns_suffix : p.dns_suffix);
  return url;
}

// An endpoint URL configured for a service the providers call (STS, the SSO portal), in the
// SDKs' order (botocore's ConfiguredEndpointProvider): AWS_ENDPOINT_URL_<SERVICE>,
// AWS_ENDPOINT_URL, the profile's [services] section, the profile's endpoint_url; none when the
// chain ignores configured endpoints (provider_context::ignore_configured_endpoints). Returns ""
// when none is set, and names the source; an error when the profile names a [services] section
// that does not exist.
inline result<std::string> configured_endpoint(const provider_context& ctx, const char* env_name,
                                               std::string_view services_key, std::string& source) {
  if (ctx.ignore_configured_endpoints) return std::string();
  const shared_config& cfg = *ctx.config;
  if (std::string v = env::get(env_name); !v.empty()) {
    source = env_name;
    return v;
  }
  if (std::string v = env::get("AWS_ENDPOINT_URL"); !v.empty()) {
    source = "AWS_ENDPOINT_URL";
    return v;
  }
  std::string section;
  auto service = cfg.data.service_value(cfg.profile, services_key, "endpoint_url", section);
  if (!service) return service.error();
  if (*service != nullptr) {
    source = "[services " + section + "] " + std::string(services_key) + ".endpoint_url";
    return **service;
  }
  if (const std::string* v = cfg.get("endpoint_url"); v != nullptr && !v->empty()) {
    source = "endpoint_url of profile '" + cfg.profile + "'";
    return *v;
  }
  return std::string();
}

// Parses an endpoint URL from configuration; a bad one is a configuration error naming its source.
inline result<uri::endpoint> parse_configured_endpoint(const std::string& url, const std::string& source) {
  std::string why;
  auto parsed = uri::parse_endpoint(url, why);
  if (!parsed) return make_error(error_kind::configuration, "InvalidEndpoint", source + ": " + why);
  return std::move(*parsed);
}

// Text a server sent, made safe and short for an error message.
inline std::string printable(std::string_view s, std::size_t max = 300) {
  std::string out;
  for (char c : s.substr(0, max)) {
    const auto b = static_cast<unsigned char>(c);
    out += (b < 0x20 || b == 0x7F) ? ' ' : c;
  }
  if (s.size() > max) out += "...";
  return out;
}

// The 2xx answer of a credentials endpoint, or an error naming the call (`what`): the transport's
// failure, or the endpoint's own message for any other status, with `denied_hint` added to a 401
// or 403 answer.
inline result<http::response> credentials_answer(result<http::response> resp, const std::string& what,
                                                 std::string_view denied_hint = {}) {
  if (!resp) {
    error e = resp.error();
    e.message = what + ": " + e.message;
    return e;
  }
  if (resp->status < 200 || resp->status >= 300) {
    error e = rest_json::service_error(*resp);
    e.kind = error_kind::credentials;
    e.message = what + " failed: " + printable(e.message);
    if (!denied_hint.empty() && (resp->status == 401 || resp->status == 403)) {
      e.message.append("; ").append(denied_hint);
    }
    return e;
  }
  return resp;
}

// Whether a failed call of a credential source to an AWS service (STS, the SSO portal) deserves
// another attempt, as the SDKs' clients for those services judge it: a dropped or refused
// connection, a timeout, throttling, a 5xx, and STS's IDPCommunicationError (the identity provider
// of a web identity token did not answer STS in time, which EKS pods meet when many start at once).
inline bool worth_retrying(const error& e) {
  if (e.code == "IDPCommunicationError") return true;
  error as_service = e;
  if (as_service.kind == error_kind::credentials) as_service.kind = error_kind::service;
  return retry::classify(as_service) != retry::attempt_result::not_retryable;
}

// Makes `attempt` (a call to an AWS service that returns a result) up to `how.max_attempts` times
// while it fails in a way worth retrying, waiting rand[0,1) x 1 s x 2^i before retry i + 1 (the
// standard retry mode's backoff). The waits are on the thread that fetches credentials: a blocking
// call's, or the async engine's worker, never its driving thread.
template <class F>
auto with_retries(const credential_call_retries& how, F&& attempt) {
  for (int i = 0;; ++i) {
    auto r = attempt();
    if (r.ok()) return r;
    const bool last = i + 1 >= how.max_attempts || !worth_retrying(r.error());
    if (last) {
      error e = r.error();
      e.attempts = i + 1;
      return decltype(r)(std::move(e));
    }
    const auto wait =
        retry::backoff(retry::revision::v2_0, retry::attempt_result::transient, i, retry::random_jitter());
    if (how.sleep) {
      how.sleep(wait);
    } else {
      std::this_thread::sleep_for(wait);
    }
  }
}

// Reads a JSON document into out from a buffer that has room for the parser's padding, so the
// text (which holds secrets) is not copied.
template <class T>
result<void> read_json(std::string& text, T& out) {
  if (text.capacity() < text.size() + json::padding) text.reserve(text.size() + json::padding);
  return json::from_json(text, text.capacity(), out);
}

// Reads a whole file of at most `max` bytes into out (which may then hold a secret). Errors name
// the file and why it could not be read, never its content.
inline result<void> read_file(const std::string& path, std::size_t max, std::string& out,
                              std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(error_kind::credentials, "CannotReadFile",
                      std::string(what) + " " + path + " cannot be opened for reading");
  }
  out.clear();
  char buf[4096];
  while (in) {
    in.read(buf, sizeof buf);
    const auto n = static_cast<std::size_t>(in.gcount());
    if (out.size() + n > max) {
      wipe(out);
      return make_error(error_kind::credentials, "FileTooLarge",
                        std::string(what) + " " + path + " is larger than " + std::to_string(max) + " bytes");
    }
    out.append(buf, n);
  }
  volatile char* p = buf;
  for (std::size_t i = 0; i < sizeof buf; ++i) p[i] = 0;
  if (in.bad()) {
    wipe(out);
    return make_error(error_kind::credentials, "CannotReadFile",
                      std::string(what) + " " + path + " could not be read");
  }
  return {};
}

// The credentials document of the container endpoint and of EC2 instance metadata.
struct metadata_credentials_document {
  optional<std::string> Code{};
  optional<std::string> Message{};
  optional<std::string> AccessKeyId{};
  optional<sensitive_string> SecretAccessKey{};
  optional<sensitive_string> Token{};
  optional<std::string> Expiration{};
  optional<std::string> AccountId{};
};

// Whether `text` looks like a JSON object, braces at both ends (a proxy's page, an agent's
// start-up text or a cut-off body does not).
inline bool is_json_document(std::string_view text) noexcept {
  text = ascii::trim(text);
  return text.size() >= 2 && text.front() == '{' && text.back() == '}';
}

// Reads a credentials document (wiping the text); `what` names the source in errors. Temporary
// credentials are all these endpoints give, so a Token and an Expiration are required, as the
// SDKs require them (but for Java's).
inline result<credentials> read_metadata_credentials(std::string& text, std::string_view what) {
  metadata_credentials_document doc;
  auto parsed = read_json(text, doc);
  wipe(text);
  auto bad = [&](const std::string& why) {
    return make_error(error_kind::credentials, "InvalidResponse", std::string(what) + ": " + why);
  };
  if (!parsed) return bad("the credentials document is not the expected JSON: " + parsed.error().message);
  if (doc.Code && *doc.Code != "Success") {
    return bad("the credentials document says " + printable(*doc.Code, 100) +
               (doc.Message ? ": " + printable(*doc.Message) : std::string()));
  }
  if (!doc.AccessKeyId || doc.AccessKeyId->empty() || !doc.SecretAccessKey || doc.SecretAccessKey->empty()) {
    return bad("the credentials document lacks AccessKeyId or SecretAccessKey");
  }
  if (!doc.Token || doc.Token->empty() || !doc.Expiration) {
    return bad("the credentials document lacks Token or Expiration");
  }
  credentials c;
  c.access_key_id = std::move(*doc.AccessKeyId);
  c.secret_access_key = std::move(*doc.SecretAccessKey);
  c.session_token = std::move(*doc.Token);
  auto t = parse_expiry(*doc.Expiration);
  if (!t) return bad("Expiration is not an ISO 8601 date-time");
  c.expiration = *t;
  if (doc.AccountId && !doc.AccountId->empty()) c.account_id = std::move(*doc.AccountId);
  return c;
}

// The HTTP request for GET/PUT to a local endpoint, with Host from the URL.
inline http::request local_request(std::string method, std::string url, http::header_list headers) {
  http::request r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers = std::move(headers);
  r.headers.emplace_back("User-Agent", user_agent());
  if (r.method == "PUT") {
    r.has_body = true;  // an empty body: Content-Length 0, as IMDS expects
    r.headers.emplace_back("Content-Type", "");
  }
  return r;
}

// The transport for link-local and loopback metadata endpoints: short timeouts, never a proxy.
inline std::shared_ptr<http::transport> metadata_transport(std::chrono::milliseconds connect,
                                                           std::chrono::milliseconds total) {
  http::transport_options o;
  o.connect_timeout = connect;
  o.request_timeout = total;
  o.no_proxy = "*";
  o.max_response_bytes = std::size_t{1} << 20;
  return std::make_shared<http::transport>(std::move(o));
}

}  // namespace detail
}  // namespace ivsrt
