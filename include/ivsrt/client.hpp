// The IVS real-time client: one generic call, client.send(request), for every operation.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/credentials.hpp"
#include "ivsrt/credentials_cache.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/default_chain.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/operation.hpp"
#include "ivsrt/region.hpp"
#include "ivsrt/rest_json.hpp"
#include "ivsrt/shared_config.hpp"
#include "ivsrt/sigv4.hpp"
#include "ivsrt/transport.hpp"
#include "ivsrt/uri.hpp"
#include "ivsrt/uuid.hpp"
#include "ivsrt/validate.hpp"
#include "ivsrt/version.hpp"

namespace ivsrt {

// The signing name of IVS real-time (its endpoint prefix is "ivsrealtime").
inline constexpr std::string_view signing_name = "ivs";

struct client_options {
  // Region; empty: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region.
  std::string region{};
  // Profile of the shared config and credentials files; empty: AWS_PROFILE, then
  // AWS_DEFAULT_PROFILE, then "default".
  std::string profile{};
  // Endpoint URL such as "http://127.0.0.1:4566"; empty: https://ivsrealtime.{region}.amazonaws.com.
  std::string endpoint_url{};
  // Explicit credentials; absent: credentials_provider, else the default chain (environment, web
  // identity, profile, container, instance metadata), resolved on the first call.
  optional<ivsrt::credentials> credentials{};
  // Your own source of credentials, used instead of the default chain.
  std::shared_ptr<ivsrt::credentials_provider> credentials_provider{};
  // credential_process timeout and MFA code callback for the default chain.
  credential_chain_settings credential_chain{};
  // When cached temporary credentials are refreshed.
  credentials_cache_options credentials_cache{};
  http::transport_options transport{};
  // Check requests against the model's constraints before sending them.
  bool validate_requests = true;
  // Receives a line for each step worth explaining (--debug). Secrets are never passed to it.
  std::function<void(std::string_view)> log{};
  // Appended to the User-Agent header, e.g. "app/my-game".
  std::string user_agent_suffix{};
};

template <request Req>
class paginator;

// Shows a signed request with its secrets replaced: what --dry-run and --debug print.
struct printable_request {
  std::string method;
  std::string url;
  http::header_list headers;
  std::string body;
};

class client {
 public:
  // Resolves region, endpoint and credentials; fails with a configuration error naming what is
  // missing or malformed.
  static result<client> create(client_options options = {}) {
    auto st = std::make_shared<state>();
    st->validate = options.validate_requests;
    st->log = std::move(options.log);
    auto files = load_shared_config(options.profile);
    if (!files) return files.error();
    st->config = std::make_shared<const shared_config>(std::move(*files));
    for (const auto& w : st->config->data.warnings) st->say("config: " + w);
    auto region_choice = resolve_region(options.region, *st->config);
    if (!region_choice) return region_choice.error();
    const std::string& region = region_choice->name;
    std::string endpoint = options.endpoint_url;
    if (endpoint.empty()) endpoint = "https://ivsrealtime." + region + ".amazonaws.com";
    std::string why;
    auto parsed = uri::parse_endpoint(endpoint, why);
    if (!parsed) return make_error(error_kind::configuration, "InvalidEndpoint", why);
    st->endpoint = std::move(*parsed);
    st->signer = std::make_unique<sigv4::signer>(region, std::string(signing_name));
    auto creds = credentials_for(options, *st, region);
    if (!creds) return creds.error();
    st->creds = std::move(*creds);
    if (options.transport.insecure_skip_tls_verify) {
      st->say("TLS certificate verification is OFF (insecure_skip_tls_verify)");
    }
    st->transport = std::make_unique<http::transport>(std::move(options.transport));
    st->user_agent = std::string("ivsrt/") + version + " ua/2.1 lang/cpp md/curl#" +
                     curl_version_info(CURLVERSION_NOW)->version;
    if (!options.user_agent_suffix.empty()) st->user_agent += " " + options.user_agent_suffix;
    st->say(st->config->describe_profile());
    st->say("region " + region + " (from " + region_choice->source + ")");
    st->say("endpoint " + st->endpoint.origin() + st->endpoint.base_path);
    return client(std::move(st));
  }

  [[nodiscard]] const std::string& region() const noexcept { return state_->signer->region(); }
  [[nodiscard]] const uri::endpoint& endpoint() const noexcept { return state_->endpoint; }

  // Sends req and returns the operation's output, or the error that stopped it.
  template <request Req>
  result<typename operation<Req>::output> send(const Req& req) const {
    using output = typename operation<Req>::output;
    output out{};
    response_metadata meta;
    result<void> status = invoke(rest_json::table_for<Req>, &req, &out, meta);
    if (!status) return status.error();
    result<output> r(std::move(out));
    r.metadata = std::move(meta);
    return r;
  }

  // A lazy range over the pages of a paginated list call (and, with .items(), over their items).
  // Set `maxResults` in the request to choose the page size.
  template <request Req>
  paginator<Req> paginate(Req first) const;

  // The signed request send(req) would send, with its secrets redacted; nothing is sent.
  template <request Req>
  result<printable_request> dry_run(const Req& req) const {
    return dry_run(rest_json::table_for<Req>, &req);
  }

  // The generic call path behind send(): prepare, sign, send, read. `request` and `output` point
  // at the operation's request and output types.
  result<void> invoke(const rest_json::operation_table& op, const void* request, void* output,
                      response_metadata& meta) const {
    const auto& st = *state_;
    auto enc = op.prepare(request, st.validate, nullptr);
    if (!enc) return enc.error();
    auto built = sign(*enc);
    if (!built) return built.error();
    st.say("-> " + built->method + " " + built->url);
    auto resp = st.transport->send(*built);
    if (!resp) {
      error e = resp.error();
      e.attempts = 1;
      st.say("<- " + e.describe());
      return e;
    }
    const std::string request_id(resp->header("x-amzn-RequestId"));
    st.say("<- HTTP " + std::to_string(resp->status) + " request id " + request_id);
    if (resp->status < 200 || resp->status >= 300) {
      error e = rest_json::service_error(*resp);
      e.attempts = 1;
      return e;
    }
    auto decoded = op.decode(*resp, output);
    if (!decoded) {
      error e = decoded.error();
      e.http_status = static_cast<int>(resp->status);
      e.request_id = request_id;
      e.attempts = 1;
      return e;
    }
    meta = {.request_id = request_id, .http_status = static_cast<int>(resp->status), .attempts = 1};
    return {};
  }

  result<printable_request> dry_run(const rest_json::operation_table& op, const void* request) const {
    std::string display_body;
    auto enc = op.prepare(request, state_->validate, &display_body);
    if (!enc) return enc.error();
    auto built = sign(*enc);
    if (!built) return built.error();
    printable_request p{.method = built->method, .url = built->url, .headers = {}, .body = std::move(display_body)};
    for (auto& [name, value] : built->headers) p.headers.emplace_back(name, redact_header(name, value));
    return p;
  }

 private:
  struct state {
    uri::endpoint endpoint;
    std::unique_ptr<sigv4::signer> signer;
    std::unique_ptr<http::transport> transport;
    std::shared_ptr<const shared_config> config;
    std::shared_ptr<credentials_provider> creds;  // a caching_provider
    bool validate = true;
    std::string user_agent;
    std::function<void(std::string_view)> log;

    void say(const std::string& line) const {
      if (log) log(line);
    }
  };

  explicit client(std::shared_ptr<state> st) : state_(std::move(st)) {}

  // The cached provider of the client's credentials: explicit ones, the user's provider, or the
  // default chain. Nothing is fetched here.
  static result<std::shared_ptr<credentials_provider>> credentials_for(client_options& o, const state& st,
                                                                       const std::string& region) {
    if (o.credentials && o.credentials_provider) {
      return make_error(error_kind::configuration, "AmbiguousCredentials",
                        "set either credentials or credentials_provider in client_options, not both");
    }
    std::shared_ptr<credentials_provider> source;
    if (o.credentials) {
      source = std::make_shared<static_provider>(std::move(*o.credentials),
                                                 "explicit credentials (client_options)");
      st.say("credentials: using explicit credentials from client_options");
    } else if (o.credentials_provider) {
      source = std::move(o.credentials_provider);
      st.say("credentials: using " + source->describe() + " (client_options::credentials_provider)");
    } else {
      auto chain = default_chain(chain_options{.profile = {},
                                               .region = region,
                                               .config = st.config,
                                               .transport = o.transport,
                                               .settings = std::move(o.credential_chain),
                                               .log = st.log});
      if (!chain) return chain.error();
      source = std::move(*chain);
    }
    credentials_cache_options cache = std::move(o.credentials_cache);
    if (!cache.log) cache.log = st.log;
    return std::shared_ptr<credentials_provider>(
        std::make_shared<caching_provider>(std::move(source), std::move(cache)));
  }

  static std::string redact_header(std::string_view name, std::string_view value) {
    if (http::iequals(name, "authorization")) {
      const std::size_t sig = value.find("Signature=");
      return std::string(value.substr(0, sig == std::string_view::npos ? 0 : sig)) +
             "Signature=" + std::string(redacted);
    }
    if (http::iequals(name, "x-amz-security-token")) return std::string(redacted);
    return std::string(value);
  }

  // Turns an encoded request into the signed HTTP request for this client's endpoint.
  result<http::request> sign(const rest_json::encoded_request& enc) const {
    const auto& st = *state_;
    const result<credentials> creds = st.creds->resolve();
    if (!creds) return creds.error();
    http::request out;
    out.method = std::string(enc.method);
    const std::string path = st.endpoint.base_path + enc.path;
    out.url = st.endpoint.origin() + path;
    std::vector<sigv4::query_param> query;
    if (!enc.query.empty()) {
      out.url += '?';
      bool first = true;
      for (const auto& [k, v] : enc.query) {
        if (!first) out.url += '&';
        first = false;
        uri::append_encoded(out.url, k);
        out.url += '=';
        uri::append_encoded(out.url, v);
        query.push_back({k, v});
      }
    }
    out.headers.reserve(8);
    out.headers.emplace_back("Host", st.endpoint.authority());
    if (enc.has_body) out.headers.emplace_back("Content-Type", "application/json");
    for (const auto& h : enc.headers) out.headers.push_back(h);
    sigv4::request to_sign{.method = out.method, .path = path, .query = std::move(query), .headers = {},
                           .payload = enc.body};
    for (const auto& [name, value] : out.headers) to_sign.headers.push_back({name, value});
    const auto when = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
    sigv4::signed_parts sig = st.signer->sign(to_sign, *creds, when);
    out.headers.emplace_back("X-Amz-Date", sig.amz_date);
    if (creds->session_token) out.headers.emplace_back("X-Amz-Security-Token", creds->session_token->reveal());
    out.headers.emplace_back("Authorization", std::move(sig.authorization));
    out.headers.emplace_back("User-Agent", st.user_agent);
    out.headers.emplace_back("amz-sdk-invocation-id", uuid4());
    out.headers.emplace_back("amz-sdk-request", "attempt=1; max=1");
    out.body = enc.body;
    out.has_body = enc.has_body;
    return out;
  }

  std::shared_ptr<state> state_;
};

}  // namespace ivsrt

#include "ivsrt/paginator.hpp"  // defines client::paginate
