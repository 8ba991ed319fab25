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

// Limits for one call, overriding the client's.
struct call_options {
  std::optional<std::chrono::milliseconds> connect_timeout{};
  std::optional<std::chrono::milliseconds> attempt_timeout{};  // one attempt; 0 means none
  std::optional<std::chrono::milliseconds> total_timeout{};    // the whole call; 0 means none
  std::optional<int> max_attempts{};
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
      st->limiter = std::make_unique<retry::rate_limiter>(steady_seconds());
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

  // The generic call path behind send(): prepare once, then sign, send and read each attempt,
  // retrying as the client's retry strategy decides. `request` and `output` point at the
  // operation's request and output types.
  result<void> invoke(const rest_json::operation_table& op, const void* request, void* output,
                      response_metadata& meta, const call_options& call = {}) const {
    const auto& st = *state_;
    auto enc = op.prepare(request, st.validate, nullptr);
    if (!enc) return enc.error();
    retry::strategy strategy = st.retry;
    if (call.max_attempts) {
      if (*call.max_attempts < 1) {
        return make_error(error_kind::configuration, "InvalidConfiguration",
                          "call_options::max_attempts must be at least 1");
      }
      strategy.max_attempts = *call.max_attempts;
    }
    retry::call_policy policy(strategy, st.quota, &retry::random_jitter);
    const std::chrono::milliseconds total = call.total_timeout.value_or(st.total_timeout);
    std::optional<std::chrono::steady_clock::time_point> deadline;
    if (total.count() > 0) deadline = std::chrono::steady_clock::now() + total;
    attempt_info attempt{.invocation_id = uuid4(), .number = 1, .max = strategy.max_attempts, .ttl = {}};
    std::optional<std::chrono::nanoseconds> server_offset;  // from this call's latest Date header
    while (true) {
      if (!wait_for_send_token(deadline)) {
        error e = make_error(error_kind::transport, "timeout",
                             "the call's time limit passed while the adaptive rate limiter held it back");
        e.attempts = policy.attempts();
        return e;
      }
      attempt.number = policy.attempts() + 1;
      const http::attempt_limits limits = limits_for(call, deadline);
      // ttl: when the client stops waiting for this attempt, on the service's clock.
      attempt.ttl.clear();
      if (attempt.number > 1 && server_offset && limits.timeout->count() > 0) {
        attempt.ttl =
            sigv4::amz_date(clock_skew::corrected_clock::system_now() + *server_offset + *limits.timeout);
      }
      auto built = sign(*enc, attempt);
      if (!built) return built.error();
      attempt_outcome got = send_attempt(*built, limits, attempt);
      if (got.server_offset) server_offset = got.server_offset;
      if (st.limiter) st.limiter->update(got.result == retry::attempt_result::throttling, steady_seconds());
      std::optional<std::chrono::nanoseconds> time_left;
      if (deadline) time_left = *deadline - std::chrono::steady_clock::now();
      const retry::decision next = policy.after_attempt(got.result, got.retry_after, time_left);
      if (next.what == retry::verdict::success) {
        return read_output(op, *got.response, output, meta, policy.attempts());
      }
      if (next.what != retry::verdict::retry) {
        if (next.what != retry::verdict::not_retryable)
          st.say(std::string("not retrying: ") + to_string(next.what));
        got.failure.attempts = policy.attempts();
        return got.failure;
      }
      if (st.log) {
        st.say("retrying in " +
               std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(next.delay).count()) +
               " ms");
      }
      if (next.delay.count() > 0) st.sleep(next.delay);
    }
  }

  result<printable_request> dry_run(const rest_json::operation_table& op, const void* request) const {
    std::string display_body;
    auto enc = op.prepare(request, state_->validate, &display_body);
    if (!enc) return enc.error();
    auto built =
        sign(*enc, {.invocation_id = uuid4(), .number = 1, .max = state_->retry.max_attempts, .ttl = {}});
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
    retry::strategy retry;
    mutable retry::quota quota;                    // shared by all calls of the client
    std::unique_ptr<retry::rate_limiter> limiter;  // adaptive mode only
    std::function<void(std::chrono::nanoseconds)> sleep = [](std::chrono::nanoseconds d) {
      std::this_thread::sleep_for(d);
    };
    std::chrono::milliseconds total_timeout{0};
    mutable clock_skew::corrected_clock clock;
    bool correct_clock_skew = true;

    void say(const std::string& line) const {
      if (log) log(line);
    }
  };

  // What the amz-sdk-* headers of one attempt say.
  struct attempt_info {
    std::string invocation_id;  // the same for every attempt of a call
    int number = 1;
    int max = 1;
    std::string ttl;  // empty until a response Date was seen
  };

  static double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }

  // Waits as the adaptive rate limiter asks; false when that would pass the deadline.
  bool wait_for_send_token(std::optional<std::chrono::steady_clock::time_point> deadline) const {
    const auto& st = *state_;
    if (!st.limiter) return true;
    const std::chrono::nanoseconds wait = st.limiter->acquire(steady_seconds());
    if (wait.count() == 0) return true;
    if (deadline && std::chrono::steady_clock::now() + wait >= *deadline) return false;
    st.say("adaptive rate limiter: waiting " +
           std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()) + " ms");
    st.sleep(wait);
    return true;
  }

  // One attempt's limits: the call's or the client's, never past the call's deadline.
  http::attempt_limits limits_for(const call_options& call,
                                  std::optional<std::chrono::steady_clock::time_point> deadline) const {
    using std::chrono::milliseconds;
    milliseconds limit = call.attempt_timeout.value_or(state_->transport->options().request_timeout);
    if (deadline) {
      const auto left =
          std::max(milliseconds(1),
                   std::chrono::duration_cast<milliseconds>(*deadline - std::chrono::steady_clock::now()));
      limit = limit.count() > 0 ? std::min(limit, left) : left;
    }
    return {.connect_timeout = call.connect_timeout, .timeout = limit};
  }

  // How one attempt went, as the retry decision and the next attempt need it.
  struct attempt_outcome {
    std::optional<http::response> response{};  // a 2xx response
    error failure{};
    retry::attempt_result result = retry::attempt_result::success;
    std::optional<std::chrono::milliseconds> retry_after{};
    std::optional<std::chrono::nanoseconds> server_offset{};  // from the response's Date
  };

  // Sends one signed attempt and classifies what came back; a skew error with a skewed Date
  // corrects the client's clock.
  attempt_outcome send_attempt(const http::request& req, const http::attempt_limits& limits,
                               const attempt_info& attempt) const {
    const auto& st = *state_;
    if (st.log) {
      st.say("-> " + req.method + " " + req.url + " (attempt " + std::to_string(attempt.number) + " of " +
             std::to_string(attempt.max) + ")");
    }
    const std::chrono::nanoseconds signed_offset = st.clock.offset();
    const timestamp sent = clock_skew::corrected_clock::system_now();
    auto resp = st.transport->send(req, limits);
    const timestamp received = clock_skew::corrected_clock::system_now();
    attempt_outcome out;
    if (!resp) {
      out.failure = resp.error();
      out.result = retry::classify(out.failure);
      st.say("<- " + out.failure.describe());
      return out;
    }
    if (st.log) {
      st.say("<- HTTP " + std::to_string(resp->status) + " request id " +
             std::string(resp->header("x-amzn-RequestId")));
    }
    out.server_offset =
        clock_skew::measure(resp->header("Date"), http::has_header(resp->headers, "Age"), sent, received);
    if (resp->status >= 200 && resp->status < 300) {
      out.response = std::move(*resp);
      return out;
    }
    out.failure = rest_json::service_error(*resp);
    out.result = retry::classify(out.failure);
    out.retry_after = retry::parse_retry_after(resp->header("x-amz-retry-after"));
    if (st.correct_clock_skew && clock_skew::is_skew_code(out.failure.code) && out.server_offset &&
        clock_skew::skewed(*out.server_offset, signed_offset)) {
      st.clock.set_offset(*out.server_offset);
      out.result = retry::attempt_result::clock_skew;
      st.say("clock skew: the service's clock is " +
             std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*out.server_offset).count()) +
             " s off this machine's; signing with the corrected time from now on");
    }
    return out;
  }

  // Reads a 2xx response into the output.
  static result<void> read_output(const rest_json::operation_table& op, http::response& resp, void* output,
                                  response_metadata& meta, int attempts) {
    const std::string request_id(resp.header("x-amzn-RequestId"));
    auto decoded = op.decode(resp, output);
    if (!decoded) {
      error e = decoded.error();
      e.http_status = static_cast<int>(resp.status);
      e.request_id = request_id;
      e.attempts = attempts;
      return e;
    }
    meta = {.request_id = request_id, .http_status = static_cast<int>(resp.status), .attempts = attempts};
    return {};
  }

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

  // Turns an encoded request into the signed HTTP request of one attempt for this client's
  // endpoint, signed at the corrected time.
  result<http::request> sign(const rest_json::encoded_request& enc, const attempt_info& attempt) const {
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
    sigv4::signed_parts sig = st.signer->sign(to_sign, *creds, st.clock.now());
    out.headers.emplace_back("X-Amz-Date", sig.amz_date);
    if (creds->session_token) out.headers.emplace_back("X-Amz-Security-Token", creds->session_token->reveal());
    out.headers.emplace_back("Authorization", std::move(sig.authorization));
    out.headers.emplace_back("User-Agent", st.user_agent);
    out.headers.emplace_back("amz-sdk-invocation-id", attempt.invocation_id);
    out.headers.emplace_back(
        "amz-sdk-request", (attempt.ttl.empty() ? std::string() : "ttl=" + attempt.ttl + "; ") + "attempt=" +
                               std::to_string(attempt.number) + "; max=" + std::to_string(attempt.max));
    out.body = enc.body;
    out.has_body = enc.has_body;
    return out;
  }

  std::shared_ptr<state> state_;
};

}  // namespace ivsrt

#include "ivsrt/paginator.hpp"  // defines client::paginate
