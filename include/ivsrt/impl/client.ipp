// The client's non-template members: included by ivsrt/client.hpp (header-only, the default) or,
// with IVSRT_SEPARATE_COMPILATION, compiled once through ivsrt/impl/src.hpp. They run the steps
// of call_pipeline.hpp, which the async engine (ivsrt/async.hpp) shares.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/ca_bundle.hpp"
#include "ivsrt/call_pipeline.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/client_options.hpp"
#include "ivsrt/client_state.hpp"
#include "ivsrt/clock_skew.hpp"
#include "ivsrt/credentials.hpp"
#include "ivsrt/credentials_cache.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/default_chain.hpp"
#include "ivsrt/defaults_mode_config.hpp"
#include "ivsrt/endpoint_config.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/imds.hpp"
#include "ivsrt/operation.hpp"
#include "ivsrt/rate_limiter.hpp"
#include "ivsrt/recursion_detection.hpp"
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
#include "ivsrt/validate.hpp"

namespace ivsrt {

IVSRT_DECL result<client> client::create(client_options options) {
  const http::transport_options& t = options.transport;
  for (const auto& [name, limit] : {std::pair{"transport_options::connect_timeout",
                                              t.connect_timeout.value_or(std::chrono::milliseconds(0))},
                                    std::pair{"transport_options::request_timeout", t.request_timeout},
                                    std::pair{"transport_options::read_timeout", t.read_timeout},
                                    std::pair{"client_options::total_timeout", options.total_timeout}}) {
    if (auto ok = detail::check_time_limit(name, limit); !ok) return ok.error();
  }
  auto st = std::make_shared<detail::client_state>();
  st->validate = options.validate_requests;
  st->log = std::move(options.log);
  auto files = load_shared_config(options.profile);
  if (!files) return files.error();
  st->config = std::make_shared<const shared_config>(std::move(*files));
  for (const auto& w : st->config->data.warnings) st->say("config: " + w);
  auto region_choice = resolve_region(options.region, *st->config);
  if (!region_choice && region_choice.error().code == "NoRegion") {
    region_choice = detail::instance_region(*st->config, region_choice.error());
  }
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
    return make_error(error_kind::configuration, "InvalidEndpoint", why + " (from " + resolved->source + ")");
  st->endpoint = std::move(*parsed);
  st->origin = st->endpoint.origin();
  st->authority = st->endpoint.authority();
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
  st->in_lambda = recursion_detection::in_lambda();
  st->signer = std::make_unique<sigv4::signer>(region, std::string(signing_name));
  // Before the credentials chain, whose STS, SSO and Sign-In requests connect the same way.
  auto mode = defaults::resolve(options.defaults_mode, cfg, *region_choice, *st->config);
  if (!mode) return mode.error();
  const bool explicit_connect = options.transport.connect_timeout.has_value();
  if (!explicit_connect) options.transport.connect_timeout = defaults::connect_timeout(mode->value);
  if (mode->configured) {
    st->say("defaults mode " + std::string(defaults::name(mode->value)) + " (from " + mode->source +
            "): connect timeout " + std::to_string(options.transport.connect_timeout->count()) + " ms" +
            (explicit_connect ? " (set explicitly)" : ""));
  }
  // Before the credentials chain, whose STS, SSO and Sign-In requests trust the same CAs.
  auto ca = detail::resolve_ca_bundle(options.transport, cfg);
  if (!ca) return ca.error();
  if (!ca->empty())
    st->say("TLS: trusting the CAs in " + options.transport.ca_bundle + " (from " + *ca + ")");
  auto creds = credentials_for(options, *st, region);
  if (!creds) return creds.error();
  st->creds = std::move(*creds);
  if (options.transport.insecure_skip_tls_verify) {
    st->say("TLS certificate verification is OFF (insecure_skip_tls_verify)");
  }
  st->transport = std::make_unique<http::transport>(std::move(options.transport));
  // A bad proxy option is the caller's error; the transport read it (and names it) when made.
  if (!st->transport->options().proxy.empty() && !st->transport->unusable_proxy(false).empty()) {
    return make_error(error_kind::configuration, "InvalidProxy", st->transport->unusable_proxy(false));
  }
  for (const auto& problem : st->transport->environment_proxy_problems()) st->say(problem);
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
  st->say("endpoint " + st->endpoint.origin() + st->endpoint.base_path + " (from " + resolved->source + ")");
  st->say("retries: " + retries->source + (st->correct_clock_skew ? "" : "; clock-skew correction off"));
  return client(std::move(st));
}

IVSRT_DECL const std::string& client::region() const noexcept {
  return state_->signer->region();
}

IVSRT_DECL const uri::endpoint& client::endpoint() const noexcept {
  return state_->endpoint;
}

IVSRT_DECL result<void> client::invoke(const rest_json::operation_table& op, const void* request,
                                       void* output, response_metadata& meta,
                                       const call_options& call) const {
  const auto& st = *state_;
  detail::call_pipeline pipeline(st, call);
  if (auto ok = pipeline.prepare(op, request); !ok) return ok.error();
  detail::thread_buffers buffers(pipeline.carries_secrets());
  http::request& req = buffers.request();
  http::response& resp = buffers.response();
  while (true) {
    const auto wait = pipeline.send_token();
    if (!wait) return wait.error();
    if (wait->count() > 0) st.sleep(*wait);
    const auto creds = st.creds->resolve_shared();
    // A refresh that fails before a retry still reports the attempts already made.
    if (!creds) return pipeline.stamped(creds.error());
    if (auto ok = pipeline.sign(**creds, req); !ok) return ok.error();
    const result<void> sent = st.transport->perform(req, resp, pipeline.limits());
    const auto next = pipeline.finish(req, sent, resp);
    if (next.what == detail::call_pipeline::next::done) return pipeline.read_output(output, meta);
    if (next.what == detail::call_pipeline::next::failed) return pipeline.failure();
    if (next.delay.count() > 0) st.sleep(next.delay);
  }
}

IVSRT_DECL result<printable_request> client::dry_run(const rest_json::operation_table& op,
                                                     const void* request) const {
  std::string display_body;
  auto enc = op.prepare(request, state_->validate, &display_body);
  if (!enc) return enc.error();
  const result<credentials> creds = state_->creds->resolve();
  if (!creds) return creds.error();
  http::request built;
  const auto ok =
      detail::sign_request(*state_, *enc, detail::first_attempt(*state_, state_->retry.max_attempts), *creds,
                           state_->clock.now(), built);
  if (!ok) return ok.error();
  printable_request p{
      .method = built.method, .url = built.url, .headers = {}, .body = std::move(display_body)};
  for (const auto& [name, value] : built.headers) p.headers.emplace_back(name, redact_header(name, value));
  return p;
}

IVSRT_DECL client::client(std::shared_ptr<detail::client_state> st) : state_(std::move(st)) {}

IVSRT_DECL result<std::shared_ptr<caching_provider>> client::credentials_for(client_options& o,
                                                                             const detail::client_state& st,
                                                                             const std::string& region) {
  if (o.credentials && o.credentials_provider) {
    return make_error(error_kind::configuration, "AmbiguousCredentials",
                      "set either credentials or credentials_provider in client_options, not both");
  }
  std::shared_ptr<credentials_provider> source;
  if (o.credentials) {
    source =
        std::make_shared<static_provider>(std::move(*o.credentials), "explicit credentials (client_options)");
    st.say("credentials: using explicit credentials from client_options");
  } else if (o.credentials_provider) {
    source = std::move(o.credentials_provider);
    st.say("credentials: using " + source->describe() + " (client_options::credentials_provider)");
  } else {
    auto chain =
        default_chain(chain_options{.profile = {},
                                    .region = region,
                                    .config = st.config,
                                    .use_fips = o.use_fips,
                                    .use_dual_stack = o.use_dual_stack,
                                    .ignore_configured_endpoint_urls = o.ignore_configured_endpoint_urls,
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

IVSRT_DECL std::string client::redact_header(std::string_view name, std::string_view value) {
  if (http::iequals(name, "authorization")) {
    const std::size_t sig = value.find("Signature=");
    return std::string(value.substr(0, sig == std::string_view::npos ? 0 : sig)) +
           "Signature=" + std::string(redacted);
  }
  if (http::iequals(name, "x-amz-security-token")) return std::string(redacted);
  return std::string(value);
}

}  // namespace ivsrt
