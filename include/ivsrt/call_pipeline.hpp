// The steps of one call, shared by the blocking client and the async engine (async.hpp): prepare
// the request once, then for every attempt take a send token from the adaptive rate limiter,
// sign, let the caller send, classify what came back and decide whether to retry. Nothing here
// sends, sleeps or fetches credentials: the blocking path does those in place, the async engine
// with libcurl's multi interface, timers and a credentials worker. Not a template, so every
// operation shares one copy.
#pragma once

#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/client_options.hpp"
#include "ivsrt/client_state.hpp"
#include "ivsrt/credentials.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/recursion_detection.hpp"
#include "ivsrt/rest_json.hpp"
#include "ivsrt/retry.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/uuid.hpp"

namespace ivsrt {

namespace detail {

// A time limit the caller set, named `name`: from 0 (none) to a year. A negative one would be
// dropped by libcurl without a word, and a huge one would overflow the clock arithmetic.
inline result<void> check_time_limit(std::string_view name, std::chrono::milliseconds limit) {
  constexpr std::chrono::milliseconds most = std::chrono::hours(24 * 365);
  if (limit.count() >= 0 && limit <= most) return {};
  return make_error(error_kind::configuration, "InvalidTimeout",
                    std::string(name) + " must be from 0 to " + std::to_string(most.count()) +
                        " ms (a year), not " + std::to_string(limit.count()));
}

// What the amz-sdk-* headers of one attempt say.
struct attempt_info {
  std::string invocation_id;  // the same for every attempt of a call
  int number = 1;
  int max = 1;
  std::string ttl;         // empty until a response Date was seen
  std::string trace_id{};  // X-Amzn-Trace-Id, empty outside AWS Lambda
};

// The first attempt of a call that makes at most `max`.
inline attempt_info first_attempt(const client_state& st, int max) {
  return {.invocation_id = uuid4(),
          .number = 1,
          .max = max,
          .ttl = {},
          .trace_id = st.in_lambda ? recursion_detection::trace_header_value() : std::string()};
}

// Writes n in decimal to out (room for any int) and returns the length.
inline std::size_t decimal(char (&out)[16], int n) noexcept {
  return static_cast<std::size_t>(std::to_chars(out, out + sizeof out, n).ptr - out);
}

// Rewrites a header list entry by entry, reusing the strings already there (a request signed
// again into the same object allocates nothing once it has grown); finish() drops what is left.
class header_writer {
 public:
  explicit header_writer(http::header_list& h) : h_(&h) {}
  std::string& set(std::string_view name, std::string_view value) {
    if (used_ == h_->size()) h_->emplace_back();
    auto& [n, v] = (*h_)[used_++];
    if (n != name) n.assign(name);  // a reused list mostly holds the same names in the same order
    v.assign(value);
    return v;
  }
  void finish() { h_->resize(used_); }
  [[nodiscard]] std::size_t count() const noexcept { return used_; }

 private:
  http::header_list* h_;
  std::size_t used_ = 0;
};

// Writes the signed HTTP request of one attempt for the client's endpoint, signed at `when` (the
// corrected time), into out (whatever it held is replaced; its buffers are reused).
inline result<void> sign_request(const client_state& st, const rest_json::encoded_request& enc,
                                 const attempt_info& attempt, const credentials& creds, timestamp when,
                                 http::request& out) {
  if (!http::field_value_ok(creds.access_key_id) ||
      (creds.session_token && !http::field_value_ok(creds.session_token->reveal()))) {
    return make_error(error_kind::credentials, "InvalidCredentials",
                      "the access key id or session token contains a control character (CR, LF or NUL); "
                      "nothing was sent");
  }
  out.method.assign(enc.method);
  out.url.clear();
  out.url.reserve(st.origin.size() + st.endpoint.base_path.size() + enc.path.size() + 1);
  out.url.append(st.origin).append(st.endpoint.base_path).append(enc.path);
  const std::size_t path_size = out.url.size() - st.origin.size();  // the path as sent, before any query
  // Reused by every call on this thread, so their vectors and strings stop allocating once grown.
  thread_local sigv4::request to_sign;
  thread_local sigv4::signed_parts sig;
  to_sign.query.clear();
  to_sign.headers.clear();
  if (!enc.query.empty()) {
    out.url += '?';
    bool first = true;
    for (const auto& [k, v] : enc.query) {
      if (!first) out.url += '&';
      first = false;
      uri::append_encoded(out.url, k);
      out.url += '=';
      uri::append_encoded(out.url, v);
      to_sign.query.push_back({k, v});
    }
  }
  // Room for every header up front: the signer reads the first ones in place.
  out.headers.reserve(9 + enc.headers.size());
  header_writer headers(out.headers);
  headers.set("Host", st.authority);
  if (enc.has_body) headers.set("Content-Type", "application/json");
  for (const auto& [name, value] : enc.headers) headers.set(name, value);
  // A control character from the endpoint or a request member would split a header; refuse the
  // request rather than send it mangled. The value itself may be secret: name the header only.
  // The headers added after signing are made of parts already checked (the key id and token
  // above), validated when the client was made (region, user agent) or written here.
  for (std::size_t i = 0; i < headers.count(); ++i) {
    if (!http::field_value_ok(out.headers[i].second)) {
      return make_error(error_kind::validation, "InvalidHeaderValue",
                        "the " + out.headers[i].first +
                            " header would contain a control character (CR, LF or NUL); nothing was sent");
    }
  }
  to_sign.method = out.method;
  to_sign.path = std::string_view(out.url).substr(st.origin.size(), path_size);
  to_sign.payload = enc.body;
  for (std::size_t i = 0; i < headers.count(); ++i) {
    to_sign.headers.push_back({out.headers[i].first, out.headers[i].second});
  }
  st.signer->sign_into(to_sign, creds, when, sig);
  to_sign.query.clear();
  to_sign.headers.clear();
  // The canonical request holds the session token's text; it must not linger in this buffer.
  if (creds.session_token) wipe(sig.canonical_request);
  headers.set("X-Amz-Date", sig.amz_date);
  if (creds.session_token) headers.set("X-Amz-Security-Token", creds.session_token->reveal());
  headers.set("Authorization", sig.authorization);
  headers.set("User-Agent", st.user_agent);
  headers.set("amz-sdk-invocation-id", attempt.invocation_id);
  std::string& sdk_request = headers.set("amz-sdk-request", {});
  if (!attempt.ttl.empty()) sdk_request.append("ttl=").append(attempt.ttl).append("; ");
  char number[16];
  sdk_request.append("attempt=").append(number, decimal(number, attempt.number));
  sdk_request.append("; max=").append(number, decimal(number, attempt.max));
  if (!attempt.trace_id.empty()) headers.set(recursion_detection::header, attempt.trace_id);
  headers.finish();
  out.body.assign(enc.body);
  out.has_body = enc.has_body;
  return {};
}

// Overwrites the session token in a signed request that is kept for reuse.
inline void forget_secrets(http::request& req) {
  for (auto& [name, value] : req.headers) {
    if (http::iequals(name, "x-amz-security-token")) wipe(value);
  }
}

// Overwrites a response body that is kept for reuse when it may hold a participant token or a
// stream key. Every such use ends here, so only the bytes of this one need overwriting.
inline void forget_body(http::response& resp, bool secret) noexcept {
  if (secret) wipe_contents(resp.body);
}

// The request and response buffers of a blocking call: this thread's own, reused from call to
// call so that signing and receiving allocate nothing once they have grown. A call made from
// inside another on the same thread (from a log or sleep callback) gets fresh ones instead. The
// session token is overwritten when the call ends, and so is the response body when `secret`.
class thread_buffers {
 public:
  explicit thread_buffers(bool secret)
      : own_(in_use() ? std::make_unique<buffers>() : nullptr),
        b_(own_ ? own_.get() : &reused()),
        secret_(secret) {
    if (!own_) in_use() = true;
  }
  thread_buffers(const thread_buffers&) = delete;
  thread_buffers& operator=(const thread_buffers&) = delete;
  ~thread_buffers() {
    forget_secrets(b_->req);
    forget_body(b_->resp, secret_);
    if (!own_) in_use() = false;
  }

  [[nodiscard]] http::request& request() noexcept { return b_->req; }
  [[nodiscard]] http::response& response() noexcept { return b_->resp; }

 private:
  struct buffers {
    http::request req;
    http::response resp;
  };
  static buffers& reused() {
    thread_local buffers b;
    return b;
  }
  static bool& in_use() {
    thread_local bool b = false;
    return b;
  }

  std::unique_ptr<buffers> own_;
  buffers* b_;
  bool secret_;
};

// A service error may quote what it received (a signature mismatch quotes the canonical request,
// session token included): the request's session token and signature are blanked out of it, also
// where the body writes '/' as JSON's "\/".
inline void scrub_echoed_secrets(error& e, const http::request& req) {
  for (const auto& [name, value] : req.headers) {
    std::string_view secret;
    if (http::iequals(name, "x-amz-security-token")) {
      secret = value;
    } else if (http::iequals(name, "authorization")) {
      const std::size_t at = value.find("Signature=");
      if (at != std::string::npos) secret = std::string_view(value).substr(at + 10);
    }
    if (secret.size() < 8) continue;
    std::string escaped;
    for (const char c : secret) {
      if (c == '/') escaped += '\\';
      escaped += c;
    }
    for (std::string* text : {&e.message, &e.code, &e.response_headers, &e.response_body}) {
      for (const std::string_view s : {secret, std::string_view(escaped)}) {
        for (std::size_t at = text->find(s); at != std::string::npos;
             at = text->find(s, at + redacted.size())) {
          text->replace(at, s.size(), redacted);
        }
      }
    }
  }
}

inline double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline std::string millis_text(std::chrono::nanoseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

// One call from preparation to its last attempt. Use from one thread at a time.
class call_pipeline {
 public:
  enum class next { done, failed, retry };
  struct step {
    next what = next::done;
    std::chrono::nanoseconds delay{0};  // before the retry
  };

  call_pipeline(const client_state& st, const call_options& call)
      : st_(&st),
        call_(call),
        strategy_(strategy_for(st, call)),
        policy_(strategy_, st.quota, &retry::random_jitter) {}
  call_pipeline(const call_pipeline&) = delete;
  call_pipeline& operator=(const call_pipeline&) = delete;

  // Validates and encodes the request (it may be destroyed afterwards) and starts the call's clock.
  result<void> prepare(const rest_json::operation_table& op, const void* request) {
    op_ = &op;
    if (call_.max_attempts) {
      if (*call_.max_attempts < 1) {
        return make_error(error_kind::configuration, "InvalidConfiguration",
                          "call_options::max_attempts must be at least 1");
      }
    }
    for (const auto& [name, limit] : {std::pair{"call_options::connect_timeout", call_.connect_timeout},
                                      std::pair{"call_options::attempt_timeout", call_.attempt_timeout},
                                      std::pair{"call_options::total_timeout", call_.total_timeout},
                                      std::pair{"call_options::read_timeout", call_.read_timeout}}) {
      if (limit) {
        if (auto ok = check_time_limit(name, *limit); !ok) return ok.error();
      }
    }
    auto enc = op.prepare(request, st_->validate, nullptr);
    if (!enc) return enc.error();
    enc_ = std::move(*enc);
    const std::chrono::milliseconds total = call_.total_timeout.value_or(st_->total_timeout);
    if (total.count() > 0) deadline_ = std::chrono::steady_clock::now() + total;
    attempt_ = first_attempt(*st_, strategy_.max_attempts);
    return {};
  }

  // Before each attempt: how long the adaptive rate limiter asks to wait (zero in standard mode),
  // or an error when that wait would pass the call's deadline.
  result<std::chrono::nanoseconds> send_token() {
    if (!st_->limiter) return std::chrono::nanoseconds{0};
    const std::chrono::nanoseconds wait = st_->limiter->acquire(steady_seconds());
    if (wait.count() == 0) return wait;
    if (deadline_ && std::chrono::steady_clock::now() + wait >= *deadline_) {
      return stamped(make_error(error_kind::transport, "timeout",
                                "the call's time limit passed while the adaptive rate limiter held it back"));
    }
    st_->say("adaptive rate limiter: waiting " + millis_text(wait));
    return wait;
  }

  // Signs the request of the next attempt into out (its buffers are reused), or says why it
  // cannot be sent; limits() then holds its time limits.
  result<void> sign(const credentials& creds, http::request& out) {
    attempt_.number = policy_.attempts() + 1;
    limits_ = limits_now();
    // ttl: when the client stops waiting for this attempt, on the service's clock: after the
    // attempt's time limit, else (as botocore and the Rust SDK reckon it) the read timeout.
    attempt_.ttl.clear();
    const std::chrono::milliseconds wait =
        limits_.timeout->count() > 0 ? *limits_.timeout : st_->transport->options().read_timeout;
    if (attempt_.number > 1 && server_offset_ && wait.count() > 0) {
      attempt_.ttl = sigv4::amz_date(clock_skew::corrected_clock::system_now() + *server_offset_ + wait);
    }
    // One reading of the clock: the signing time, and the sending time the response's Date is
    // later compared with.
    sent_ = clock_skew::corrected_clock::system_now();
    signed_offset_ = st_->clock.offset();
    result<void> ok = sign_request(*st_, enc_, attempt_, creds, sent_ + signed_offset_, out);
    if (!ok) return stamped(ok.error());
    if (st_->log) {
      st_->say("-> " + out.method + " " + out.url + " (attempt " + std::to_string(attempt_.number) + " of " +
               std::to_string(attempt_.max) + ")");
    }
    return {};
  }

  [[nodiscard]] const http::attempt_limits& limits() const noexcept { return limits_; }

  // After the transport answered the attempt signed last (`sent`): `transported` says whether a
  // response came back into `resp`, which must stay as it is until read_output(). Classifies the
  // outcome, corrects the client's clock for a skew error, and decides what comes next.
  step finish(const http::request& sent, const result<void>& transported, http::response& resp) {
    retry::attempt_result outcome = retry::attempt_result::success;
    std::optional<std::chrono::milliseconds> retry_after;
    response_ = nullptr;
    if (!transported) {
      failure_ = transported.error();
      outcome = retry::classify(failure_);
      st_->say("<- " + failure_.describe());
    } else {
      if (st_->log) {
        st_->say("<- HTTP " + std::to_string(resp.status) + " request id " +
                 std::string(rest_json::request_id_of(resp)));
      }
      if (resp.status >= 200 && resp.status < 300) {
        response_ = &resp;
      } else {
        // Only a call that goes on needs the service's clock: to correct a skew error, and for
        // the ttl of its next attempt.
        const timestamp received = clock_skew::corrected_clock::system_now();
        const auto offset = clock_skew::measure(resp.header("Date"), resp.has_header("Age"), sent_, received);
        if (offset) server_offset_ = offset;
        failure_ = rest_json::service_error(resp);
        failure_.response_headers = resp.header_text;
        failure_.response_body = resp.body;
        scrub_echoed_secrets(failure_, sent);
        outcome = retry::classify(failure_);
        retry_after = retry::parse_retry_after(resp.header("x-amz-retry-after"));
        if (st_->correct_clock_skew && clock_skew::is_skew_code(failure_.code) && offset &&
            clock_skew::skewed(*offset, signed_offset_)) {
          st_->clock.set_offset(*offset);
          outcome = retry::attempt_result::clock_skew;
          st_->say("clock skew: the service's clock is " +
                   std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*offset).count()) +
                   " s off this machine's; signing with the corrected time from now on");
        }
      }
    }
    if (st_->limiter) st_->limiter->update(outcome == retry::attempt_result::throttling, steady_seconds());
    std::optional<std::chrono::nanoseconds> time_left;
    if (deadline_) time_left = *deadline_ - std::chrono::steady_clock::now();
    const retry::decision d = policy_.after_attempt(outcome, retry_after, time_left);
    if (d.what == retry::verdict::success) return {next::done, {}};
    if (d.what != retry::verdict::retry) {
      if (d.what != retry::verdict::not_retryable)
        st_->say(std::string("not retrying: ") + to_string(d.what));
      failure_.attempts = policy_.attempts();
      return {next::failed, {}};
    }
    if (st_->log) st_->say("retrying in " + millis_text(d.delay));
    return {next::retry, d.delay};
  }

  // After next::done: reads the 2xx response into the output.
  result<void> read_output(void* output, response_metadata& meta) {
    http::response& resp = *response_;
    auto decoded = op_->decode(resp, output);
    if (!decoded) {
      error e = decoded.error();
      e.http_status = static_cast<int>(resp.status);
      e.request_id = std::string(rest_json::request_id_of(resp));
      e.attempts = policy_.attempts();
      return e;
    }
    meta.request_id.assign(rest_json::request_id_of(resp));
    meta.http_status = static_cast<int>(resp.status);
    meta.attempts = policy_.attempts();
    return {};
  }

  // After next::failed: why the call failed.
  [[nodiscard]] const error& failure() const noexcept { return failure_; }
  [[nodiscard]] int attempts() const noexcept { return policy_.attempts(); }
  // e, an error that ends the call (its credentials could not be resolved, say), with the attempts
  // made so far.
  [[nodiscard]] error stamped(error e) const {
    e.attempts = policy_.attempts();
    return e;
  }
  [[nodiscard]] std::string_view operation_name() const noexcept { return op_ != nullptr ? op_->name : ""; }
  // The request or its output can hold a secret (see rest_json::encoded_request).
  [[nodiscard]] bool carries_secrets() const noexcept { return enc_.carries_secrets; }

 private:
  // One attempt's limits: the call's or the client's, never past the call's deadline.
  [[nodiscard]] http::attempt_limits limits_now() const {
    using std::chrono::milliseconds;
    milliseconds limit = call_.attempt_timeout.value_or(st_->transport->options().request_timeout);
    if (deadline_) {
      const auto left =
          std::max(milliseconds(1),
                   std::chrono::duration_cast<milliseconds>(*deadline_ - std::chrono::steady_clock::now()));
      limit = limit.count() > 0 ? std::min(limit, left) : left;
    }
    return {.connect_timeout = call_.connect_timeout, .timeout = limit, .read_timeout = call_.read_timeout};
  }

  static retry::strategy strategy_for(const client_state& st, const call_options& call) {
    retry::strategy s = st.retry;
    if (call.max_attempts && *call.max_attempts >= 1) s.max_attempts = *call.max_attempts;
    return s;
  }

  const client_state* st_;
  call_options call_;
  retry::strategy strategy_;
  retry::call_policy policy_;
  const rest_json::operation_table* op_ = nullptr;
  rest_json::encoded_request enc_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  attempt_info attempt_;
  http::attempt_limits limits_;
  std::optional<std::chrono::nanoseconds> server_offset_;  // from this call's latest Date header
  std::chrono::nanoseconds signed_offset_{0};
  timestamp sent_{};
  http::response* response_ = nullptr;  // the 2xx response finish() accepted
  error failure_;
};

}  // namespace detail
}  // namespace ivsrt
