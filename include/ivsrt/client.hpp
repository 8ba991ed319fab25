// The IVS real-time client: one generic call, client.send(request), for every operation.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "ivsrt/call_pipeline.hpp"
#include "ivsrt/client_state.hpp"
#include "ivsrt/clock_skew.hpp"
#include "ivsrt/credentials.hpp"
#include "ivsrt/credentials_cache.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/default_chain.hpp"
#include "ivsrt/endpoint_config.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/operation.hpp"
#include "ivsrt/rate_limiter.hpp"
#include "ivsrt/region.hpp"
#include "ivsrt/rest_json.hpp"
#include "ivsrt/retry.hpp"
#include "ivsrt/retry_config.hpp"
#include "ivsrt/settings.hpp"
#include "ivsrt/shared_config.hpp"
#include "ivsrt/sigv4.hpp"
#include "ivsrt/transport.hpp"
#include "ivsrt/uri.hpp"
#include "ivsrt/user_agent.hpp"
#include "ivsrt/uuid.hpp"
#include "ivsrt/validate.hpp"

namespace ivsrt {

// The signing name of IVS real-time (its endpoint prefix is "ivsrealtime").
inline constexpr std::string_view signing_name = "ivs";

struct client_options {
  // Region; empty: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region.
  std::string region{};
  // Profile of the shared config and credentials files; empty: AWS_PROFILE, then
  // AWS_DEFAULT_PROFILE, then "default".
  std::string profile{};
  // Endpoint URL such as "http://127.0.0.1:4566"; empty: AWS_ENDPOINT_URL_IVS_REALTIME,
  // AWS_ENDPOINT_URL, the profile's [services] ivs_realtime endpoint_url, the profile's
  // endpoint_url, then the service's endpoint rule set (https://ivsrealtime.{region}.amazonaws.com).
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
  // Appended to the User-Agent header, e.g. "md/engine#5.3".
  std::string user_agent_suffix{};
  // FIPS and dual-stack endpoints; unset: AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT, then
  // the profile's use_fips_endpoint / use_dualstack_endpoint, then off.
  std::optional<bool> use_fips{};
  std::optional<bool> use_dual_stack{};
  // Skips the endpoints configured in the environment and the profile (never endpoint_url);
  // unset: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, then the profile's ignore_configured_endpoint_urls.
  std::optional<bool> ignore_configured_endpoint_urls{};
  retry_options retry{};
  // Limit for a whole call, retries and waits included; 0 means none. One attempt's limit is
  // transport.request_timeout.
  std::chrono::milliseconds total_timeout{0};
  // unset: AWS_DISABLE_CLOCK_SKEW_CORRECTION, then the profile's disable_clock_skew_correction.
  std::optional<bool> disable_clock_skew_correction{};
  // Names the application in the User-Agent (app/...); empty: AWS_SDK_UA_APP_ID, then the
  // profile's sdk_ua_app_id.
  std::string app_id{};
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

// Thread safety: a client is a cheap handle to shared state (copies share it). Any number of
// threads may call send(), invoke(), dry_run() and paginate() on one client, or on copies of it,
// at once: the signing-key cache, the credentials cache, the clock-skew offset, the retry quota,
// the adaptive rate limiter and the transport's handle pool are each locked or atomic, and each
// call uses its own libcurl handle (a pooled one keeps its kept-alive connection). The log
// callback may then be called from several threads at once. A paginator is one walk: use it from
// one thread. Non-blocking calls are in ivsrt/async.hpp.
class client {
 public:
  // Resolves region, endpoint and credentials; fails with a configuration error naming what is
  // missing or malformed.
  static result<client> create(client_options options = {}) {
    auto st = std::make_shared<detail::client_state>();
    st->validate = options.validate_requests;
    st->log = std::move(options.log);
    auto files = load_shared_config(options.profile);
    if (!files) return files.error();
    st->config = std::make_shared<const shared_config>(std::move(*files));
    for (const auto& w : st->config->data.warnings) st->say("config: " + w);
    auto region_choice = resolve_region(options.region, *st->config);
    if (!region_choice) return region_choice.error();
    const std::string& region = region_choice->name;
    const settings::lookup cfg(st->config->data, st->config->profile);
    auto resolved = endpoints::resolve_endpoint(
        region,
        {.endpoint_url = options.endpoint_url,
         .use_fips = options.use_fips,
         .use_dual_stack = options.use_dual_stack,
         .ignore_configured_endpoint_urls = options.ignore_configured_endpoint_urls},
        cfg);
    if (!resolved) return resolved.error();
    std::string why;
    auto parsed = uri::parse_endpoint(resolved->url, why);
    if (!parsed)
      return make_error(error_kind::configuration, "InvalidEndpoint",
                        why + " (from " + resolved->source + ")");
    st->endpoint = std::move(*parsed);
    auto retries = retry::resolve(options.retry, cfg);
    if (!retries) return retries.error();
    st->retry = retries->value;
    if (options.retry.sleep) st->sleep = std::move(options.retry.sleep);
    if (st->retry.retry_mode == retry::mode::adaptive) {
      st->limiter = std::make_unique<retry::rate_limiter>(detail::steady_seconds());
    }
    st->total_timeout = options.total_timeout;
    if (options.disable_clock_skew_correction) {
      st->correct_clock_skew = !*options.disable_clock_skew_correction;
    } else {
      auto off = settings::parse_bool(
          cfg.env_or_profile("AWS_DISABLE_CLOCK_SKEW_CORRECTION", "disable_clock_skew_correction"));
      if (!off) return off.error();
      st->correct_clock_skew = !off->value_or(false);
    }
    st->signer = std::make_unique<sigv4::signer>(region, std::string(signing_name));
    auto creds = credentials_for(options, *st, region);
    if (!creds) return creds.error();
    st->creds = std::move(*creds);
    if (options.transport.insecure_skip_tls_verify) {
      st->say("TLS certificate verification is OFF (insecure_skip_tls_verify)");
    }
    st->transport = std::make_unique<http::transport>(std::move(options.transport));
    std::string app_id = options.app_id;
    if (app_id.empty()) {
      if (auto found = cfg.env_or_profile("AWS_SDK_UA_APP_ID", "sdk_ua_app_id")) app_id = found->value;
    }
    const auto exec_env = settings::lookup::env("AWS_EXECUTION_ENV");
    st->user_agent = user_agent::build(
        {.retry_mode = st->retry.retry_mode == retry::mode::adaptive ? "adaptive" : "standard",
         .exec_env = exec_env ? exec_env->value : std::string(),
         .app_id = app_id,
         .suffix = options.user_agent_suffix});
    st->say(st->config->describe_profile());
    st->say("region " + region + " (from " + region_choice->source + ")");
    st->say("endpoint " + st->endpoint.origin() + st->endpoint.base_path + " (from " + resolved->source +
            ")");
    st->say("retries: " + retries->source + (st->correct_clock_skew ? "" : "; clock-skew correction off"));
    return client(std::move(st));
  }

  [[nodiscard]] const std::string& region() const noexcept { return state_->signer->region(); }
  [[nodiscard]] const uri::endpoint& endpoint() const noexcept { return state_->endpoint; }

  // Sends req and returns the operation's output, or the error that stopped it. `call` overrides
  // the client's timeouts and attempt count for this call.
  template <request Req>
  result<typename operation<Req>::output> send(const Req& req, const call_options& call = {}) const {
    using output = typename operation<Req>::output;
    output out{};
    response_metadata meta;
    result<void> status = invoke(rest_json::table_for<Req>, &req, &out, meta, call);
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

  // The generic call path behind send(): the steps of call_pipeline.hpp, with the waits slept and
  // each attempt sent on this thread. `request` and `output` point at the operation's request and
  // output types.
  result<void> invoke(const rest_json::operation_table& op, const void* request, void* output,
                      response_metadata& meta, const call_options& call = {}) const {
    const auto& st = *state_;
    detail::call_pipeline pipeline(st, call);
    if (auto ok = pipeline.prepare(op, request); !ok) return ok.error();
    while (true) {
      const auto wait = pipeline.send_token();
      if (!wait) return wait.error();
      if (wait->count() > 0) st.sleep(*wait);
      const result<credentials> creds = st.creds->resolve();
      if (!creds) return creds.error();
      const result<http::request> req = pipeline.sign(*creds);
      if (!req) return req.error();
      const auto next = pipeline.finish(*req, st.transport->send(*req, pipeline.limits()));
      if (next.what == detail::call_pipeline::next::done) return pipeline.read_output(output, meta);
      if (next.what == detail::call_pipeline::next::failed) return pipeline.failure();
      if (next.delay.count() > 0) st.sleep(next.delay);
    }
  }

  result<printable_request> dry_run(const rest_json::operation_table& op, const void* request) const {
    std::string display_body;
    auto enc = op.prepare(request, state_->validate, &display_body);
    if (!enc) return enc.error();
    const result<credentials> creds = state_->creds->resolve();
    if (!creds) return creds.error();
    const auto built = detail::sign_request(
        *state_, *enc, {.invocation_id = uuid4(), .number = 1, .max = state_->retry.max_attempts, .ttl = {}},
        *creds);
    if (!built) return built.error();
    printable_request p{
        .method = built->method, .url = built->url, .headers = {}, .body = std::move(display_body)};
    for (const auto& [name, value] : built->headers) p.headers.emplace_back(name, redact_header(name, value));
    return p;
  }

 private:
  friend class async_engine;

  explicit client(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

  // The cached provider of the client's credentials: explicit ones, the user's provider, or the
  // default chain. Nothing is fetched here.
  static result<std::shared_ptr<caching_provider>> credentials_for(client_options& o,
                                                                   const detail::client_state& st,
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
    return std::make_shared<caching_provider>(std::move(source), std::move(cache));
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

  std::shared_ptr<detail::client_state> state_;
};

}  // namespace ivsrt

#include "ivsrt/paginator.hpp"  // defines client::paginate
