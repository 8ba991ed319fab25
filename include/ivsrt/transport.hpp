// The blocking HTTP transport on libcurl: pooled easy handles, each keeping its kept-alive
// connection (and TLS sessions) while it waits in the pool, so calls reuse connections; a DNS
// cache shared by all handles; HTTP/2 over TLS when the server offers it; timeouts; TLS
// verification on by default; a response size cap.
//
// Thread safety: send() may be called from many threads at once. Each call takes its own handle
// from the pool (under a lock); only the DNS cache is shared between handles, under libcurl's
// share locks. Connections and TLS sessions are deliberately not shared through the share
// interface: libcurl does not support sharing them between concurrent threads.
#pragma once

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/ascii.hpp"
#include "ivsrt/defaults_mode.hpp"
#include "ivsrt/environment.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/json_padding.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/transport_options.hpp"

namespace ivsrt::http {

namespace detail {

inline void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The DNS cache shared by every handle of one transport (and of its async engines).
class shared_cache {
 public:
  shared_cache() : share_(curl_share_init()) {
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  }
  shared_cache(const shared_cache&) = delete;
  shared_cache& operator=(const shared_cache&) = delete;
  ~shared_cache() { curl_share_cleanup(share_); }
  [[nodiscard]] CURLSH* get() const noexcept { return share_; }

 private:
  static void lock(CURL* /*unused*/, curl_lock_data data, curl_lock_access /*unused*/, void* self) {
    static_cast<shared_cache*>(self)->mutexes_[index(data)].lock();
  }
  static void unlock(CURL* /*unused*/, curl_lock_data data, void* self) {
    static_cast<shared_cache*>(self)->mutexes_[index(data)].unlock();
  }
  static std::size_t index(curl_lock_data data) noexcept {
    const auto i = static_cast<std::size_t>(data);
    return i < kLocks ? i : 0;
  }
  static constexpr std::size_t kLocks = CURL_LOCK_DATA_LAST;
  CURLSH* share_;
  std::mutex mutexes_[kLocks];
};

struct easy_deleter {
  void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
};
using easy_handle = std::unique_ptr<CURL, easy_deleter>;

// A monotonic clock for the read timeout, which is looked at about once a second: the kernel's
// coarse clock (a few milliseconds' resolution) costs a few nanoseconds where the precise one costs
// tens, and libcurl calls back several times per call.
inline std::chrono::milliseconds coarse_now() noexcept {
#if defined(CLOCK_MONOTONIC_COARSE)
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return std::chrono::milliseconds(static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000);
#else
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now().time_since_epoch());
#endif
}

// State of one exchange while libcurl runs it; shared by the blocking and the async paths.
// The response goes into a caller's object whose buffers are reused: a thread or an engine that
// keeps one allocates nothing for headers and body once they have grown.
struct exchange {
  response* resp = nullptr;
  std::size_t limit = 0;
  bool too_large = false;
  // Set by the empty line that ends a header block: lines after it are a chunked body's trailers,
  // which must not pass for headers (an error code, a request id).
  bool header_ended = false;
  // The request's header lines ("Name: value", NUL-terminated, back to back) and the list nodes
  // libcurl walks, pointing into them: two allocations per request instead of three per header.
  // Wiped afterwards, since a line may hold a session token.
  std::string header_text;
  std::vector<curl_slist> header_nodes;
  char error_text[CURL_ERROR_SIZE] = {};
  // How often libcurl went to send the request in this transfer: 0 when it failed before sending
  // (a refused connection, an unsupported scheme), 2 when a kept-alive connection closed under it
  // before any answer and libcurl sent it again on a new one.
  int sends = 0;
  // The read timeout, kept here because libcurl has none: its low-speed check averages over its
  // last five seconds, so on its own it ends a stall after a few bytes about six seconds late.
  // The clock starts once the request is sent (the connect timeout covers the time before) and
  // restarts whenever a byte moves either way.
  struct read_watch {
    std::chrono::milliseconds limit{0};  // 0: no read timeout
    CURL* handle = nullptr;
    std::chrono::milliseconds last_moved{};  // on coarse_now()'s clock
    curl_off_t moved = -1;                   // bytes sent and received (headers included) when last looked at
    std::size_t header_bytes = 0;
    bool expired = false;
  } read{};

  exchange() = default;
  exchange(const exchange&) = delete;
  exchange& operator=(const exchange&) = delete;
  ~exchange() { wipe(header_text); }

  // Starts a transfer whose response goes into `into` (whatever it held is replaced).
  void begin(response& into, std::size_t max_bytes) {
    resp = &into;
    into.status = 0;
    into.http_major = 1;
    into.header_text.clear();
    into.body.clear();
    limit = max_bytes;
    too_large = false;
    header_ended = false;
    error_text[0] = '\0';
    sends = 0;
    read.moved = -1;
    read.header_bytes = 0;
    read.expired = false;
  }

  // Watches handle h for reads that wait longer than `longest` (0: none); h must call on_progress.
  void watch_reads(CURL* h, std::chrono::milliseconds longest) {
    read.limit = longest;
    read.handle = h;
  }

  // After a transfer that succeeded: the status.
  void complete(long status) { resp->status = status; }

  // Makes a finished exchange ready for the next transfer, keeping its header buffers. Every
  // transfer's header text is overwritten here, so only this one's bytes need it.
  void reset() {
    resp = nullptr;
    wipe_contents(header_text);
  }

  // Lays out the headers plus the two that switch off libcurl's own Expect and Accept headers.
  curl_slist* header_list(const http::header_list& headers) {
    static constexpr std::string_view suppressed[] = {"Expect:", "Accept:"};
    std::size_t size = 0;
    for (const auto& [name, value] : headers) size += name.size() + 2 + value.size() + 1;
    for (std::string_view s : suppressed) size += s.size() + 1;
    header_text.resize(size);  // sized once, so the text never moves while the nodes point into it
    header_nodes.resize(headers.size() + std::size(suppressed));
    char* p = header_text.data();
    std::size_t i = 0;
    auto put = [&p](std::string_view s) {
      std::memcpy(p, s.data(), s.size());
      p += s.size();
    };
    auto start_line = [&] {
      header_nodes[i].data = p;
      header_nodes[i].next = i + 1 < header_nodes.size() ? &header_nodes[i + 1] : nullptr;
      ++i;
    };
    for (const auto& [name, value] : headers) {
      start_line();
      put(name);
      put(": ");
      put(value);
      *p++ = '\0';
    }
    for (std::string_view s : suppressed) {
      start_line();
      put(s);
      *p++ = '\0';
    }
    return header_nodes.data();
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
    auto* x = static_cast<exchange*>(self);
    const std::size_t n = size * count;
    std::string& body = x->resp->body;
    if (body.size() + n > x->limit) {
      x->too_large = true;
      return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    if (body.capacity() < body.size() + n + json::padding) {
      body.reserve(std::max(body.capacity() * 2, body.size() + n + json::padding));
    }
    body.append(data, n);
    return n;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
    auto* x = static_cast<exchange*>(self);
    const std::size_t n = size * count;
    x->read.header_bytes += n;
    std::string& text = x->resp->header_text;
    if (n >= 5 && std::memcmp(data, "HTTP/", 5) == 0) {
      text.clear();  // a status line: a new response (after 100 Continue) starts over
      x->header_ended = false;
      if (n > 5 && data[5] >= '1' && data[5] <= '9') x->resp->http_major = data[5] - '0';
    } else if (n <= 2) {
      x->header_ended = true;  // the empty line that ends the header
    } else if (!x->header_ended) {
      text.append(data, n);
    }
    return n;
  }

#if LIBCURL_VERSION_NUM >= 0x075000
  // libcurl's pre-request callback: called each time the request is about to be sent.
  static int on_send(void* self, char* /*conn_primary_ip*/, char* /*conn_local_ip*/,
                     int /*conn_primary_port*/, int /*conn_local_port*/) {
    if (auto* x = static_cast<exchange*>(self); x != nullptr) ++x->sends;
    return CURL_PREREQFUNC_OK;
  }
#endif

  // libcurl's progress callback: called after every read or write and, while nothing moves, about
  // once a second (the low-speed check's timer). Returning 1 ends the transfer.
  static int on_progress(void* self, curl_off_t /*down_total*/, curl_off_t down, curl_off_t /*up_total*/,
                         curl_off_t up) {
    auto* x = static_cast<exchange*>(self);
    if (x == nullptr || x->read.limit.count() <= 0) return 0;
    read_watch& r = x->read;
    const std::chrono::milliseconds now = coarse_now();
    const curl_off_t moved = down + up + static_cast<curl_off_t>(r.header_bytes);
    if (r.moved < 0) {
      // libcurl calls back right after the request is sent; until then the transfer is resolving,
      // connecting (a proxy's CONNECT answer included) or queued for a connection (the engine's
      // per-host limit), which is not reading. libcurl records a time reached as at least 1 us.
      curl_off_t ready_us = 0;
      curl_easy_getinfo(r.handle, CURLINFO_PRETRANSFER_TIME_T, &ready_us);
      if (ready_us <= 0) return 0;
      r.moved = moved;
      r.last_moved = now;
      return 0;
    }
    if (moved != r.moved) {
      r.moved = moved;
      r.last_moved = now;
      return 0;
    }
    if (now - r.last_moved < r.limit) return 0;
    r.expired = true;
    return 1;
  }
};

}  // namespace detail

// Maps a libcurl failure to an ivsrt error with a stable code the retry logic understands.
inline error transport_error(CURLcode code, const detail::exchange& x, std::string_view url_host) {
  std::string reason;
  std::string detail = x.error_text[0] != '\0' ? x.error_text : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: reason = "timeout"; break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: reason = "dns_failed"; break;
    case CURLE_COULDNT_CONNECT: reason = "connect_failed"; break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH: reason = "tls_failed"; break;
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_WRITE_ERROR:
      if (x.too_large || code == CURLE_FILESIZE_EXCEEDED) {
        reason = "max_response_size";
        detail = "the response body exceeded the " + std::to_string(x.limit) + "-byte limit";
      } else {
        reason = "io_failed";
      }
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      if (x.read.expired) {
        reason = "timeout";
        detail = "nothing was sent or received for " + std::to_string(x.read.limit.count()) +
                 " ms (the read timeout)";
      } else {
        reason = "http_failed";
      }
      break;
    case CURLE_UNSUPPORTED_PROTOCOL:  // after sending: an answer in HTTP/0.9, that is, not HTTP
      reason = x.sends > 0 ? "connection_failed" : "http_failed";
      break;
    case CURLE_WEIRD_SERVER_REPLY:  // an answer that is not HTTP, as botocore counts a bad status line
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR: reason = "connection_failed"; break;
    default: reason = "http_failed"; break;
  }
  return make_error(error_kind::transport, reason, std::string(url_host) + ": " + detail);
}

// What is wrong with a proxy URL, as libcurl would read it (a missing scheme means http), or ""
// when libcurl can use it. The answer never quotes the URL, which can hold a password.
inline std::string proxy_problem(const std::string& proxy) {
  detail::global_init();
  CURLU* u = curl_url();
  if (u == nullptr) return "could not be checked (out of memory)";
  std::string why;
  char* scheme = nullptr;
  if (const CURLUcode rc =
          curl_url_set(u, CURLUPART_URL, proxy.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_GUESS_SCHEME);
      rc != CURLUE_OK) {
#if LIBCURL_VERSION_NUM >= 0x075000
    why = std::string("is not a URL (") + curl_url_strerror(rc) + ")";
#else
    why = "is not a URL";
#endif
  } else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK) {
    constexpr std::string_view known[] = {"http", "https", "socks4", "socks4a", "socks5", "socks5h"};
    // libcurl hands the scheme over in lower case.
    if (std::find(std::begin(known), std::end(known), std::string_view(scheme)) == std::end(known)) {
      why = "has an unsupported scheme (use http, https, socks4, socks4a, socks5 or socks5h)";
    }
  }
  curl_free(scheme);
  curl_url_cleanup(u);
  return why;
}

class transport {
 public:
  explicit transport(transport_options options = {})
      : opts_(std::move(options)),
        http_proxy_(!opts_.proxy.empty() ? opts_.proxy : proxy_from_env("http_proxy", "HTTP_PROXY")),
        https_proxy_(!opts_.proxy.empty() ? opts_.proxy : proxy_from_env("https_proxy", "HTTPS_PROXY")),
        no_proxy_(!opts_.no_proxy.empty() ? opts_.no_proxy : env_either("no_proxy", "NO_PROXY")) {
    detail::global_init();
    // The two proxies are often one (the option, or ALL_PROXY): each distinct URL is read once.
    const std::string http_why = http_proxy_.empty() ? std::string() : proxy_problem(http_proxy_);
    const std::string https_why = https_proxy_ == http_proxy_ ? http_why
                                  : https_proxy_.empty()      ? std::string()
                                                              : proxy_problem(https_proxy_);
    if (!http_why.empty()) proxy_problems_[0] = proxy_name(false) + " " + http_why;
    if (!https_why.empty()) proxy_problems_[1] = proxy_name(true) + " " + https_why;
    for (const std::string* proxy : {&http_proxy_, &https_proxy_}) {
      const std::string_view info = userinfo_of(*proxy);
      if (!info.empty()) proxy_userinfo_.push_back(std::string(info) + '@');
    }
  }
  transport(const transport&) = delete;
  transport& operator=(const transport&) = delete;
  // The proxy URLs may hold a password: ivsrt's copies are overwritten (libcurl's are its own).
  ~transport() {
    wipe(opts_.proxy);
    wipe(http_proxy_);
    wipe(https_proxy_);
    for (std::string& info : proxy_userinfo_) wipe(info);
  }

  [[nodiscard]] const transport_options& options() const noexcept { return opts_; }

  // Why the proxy for http or https endpoints cannot be used, naming the setting it came from but
  // never quoting it; "" when it can be used (or there is none).
  [[nodiscard]] const std::string& unusable_proxy(bool https) const noexcept {
    return proxy_problems_[https ? 1 : 0];
  }

  // Why a proxy taken from the environment cannot be used, one line for each, without quoting
  // it; the calls that would go through it fail. (A bad transport_options::proxy is the caller's
  // error: client::create refuses it.)
  [[nodiscard]] std::vector<std::string> environment_proxy_problems() const {
    std::vector<std::string> out;
    if (!opts_.proxy.empty()) return out;
    for (const std::string& problem : proxy_problems_) {
      if (!problem.empty()) out.push_back(problem + ": calls through it will fail");
    }
    return out;
  }

  // Sets the options that are the same for every request of this transport; acquire() does it
  // once per handle, so a call sets only what changes.
  void configure(CURL* h) const {
    curl_easy_setopt(h, CURLOPT_SHARE, cache_.get());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    // The path goes out as signed and as the SDKs send it: a URI label of "." or ".." is a name,
    // and libcurl would otherwise remove it as a dot segment (moving the call to another path).
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    // HTTP/2 when TLS negotiation (ALPN) offers it, HTTP/1.1 otherwise.
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &detail::exchange::on_progress);
    // AWS endpoints require TLS 1.2 or later, and so do the AWS SDKs; an older protocol is never
    // offered, whatever the system's OpenSSL configuration would allow.
    curl_easy_setopt(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, opts_.insecure_skip_tls_verify ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, opts_.insecure_skip_tls_verify ? 0L : 2L);
    if (!opts_.ca_bundle.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, opts_.ca_bundle.c_str());
    if (!opts_.ca_path.empty()) curl_easy_setopt(h, CURLOPT_CAPATH, opts_.ca_path.c_str());
    // Both set explicitly, even when empty, so that libcurl never reads the environment per call.
    curl_easy_setopt(h, CURLOPT_NOPROXY, no_proxy_.c_str());
    if (http_proxy_ == https_proxy_) curl_easy_setopt(h, CURLOPT_PROXY, http_proxy_.c_str());
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(opts_.max_response_bytes));
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, nullptr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &detail::exchange::on_body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &detail::exchange::on_header);
#if LIBCURL_VERSION_NUM >= 0x075000
    curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, &detail::exchange::on_send);
#endif
  }

  // Sets what req and this attempt need on handle h, which must come from acquire(); the response
  // goes into `into` through x, and both must outlive the transfer. Used by the blocking and
  // async paths.
  void prepare(CURL* h, const request& req, detail::exchange& x, response& into,
               const attempt_limits& limits = {}) const {
    curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
    const std::chrono::milliseconds connect = limits.connect_timeout.value_or(
        opts_.connect_timeout.value_or(defaults::connect_timeout(defaults::mode::standard)));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(limits.timeout.value_or(opts_.request_timeout).count()));
    if (http_proxy_ != https_proxy_) {
      curl_easy_setopt(h, CURLOPT_PROXY, is_https(req.url) ? https_proxy_.c_str() : http_proxy_.c_str());
    }
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x.error_text);
    x.begin(into, opts_.max_response_bytes);
    const std::chrono::milliseconds read = limits.read_timeout.value_or(opts_.read_timeout);
    x.watch_reads(h, read);
    // exchange::on_progress keeps the read timeout. libcurl's low-speed check ("under 1 byte/s for
    // N seconds") also ends a slow trickle, and its timer wakes a stalled transfer every second,
    // which is what lets on_progress look at the clock in the async engine too. Set on every
    // attempt, since a handle's next call may have another limit.
    const bool watch = read.count() > 0;
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, watch ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
                     watch ? std::max(1L, static_cast<long>((read.count() + 999) / 1000)) : 0L);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, watch ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, watch ? &x : nullptr);
    into.body.reserve(4096);
    into.header_text.reserve(1024);  // an AWS response's ten or so header lines: no regrowth

    if (req.has_body) {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    } else {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    // POST with a body and GET without one are libcurl's defaults; other methods are named.
    const bool implied = req.has_body ? req.method == "POST" : req.method == "GET";
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, implied ? nullptr : req.method.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, x.header_list(req.headers));
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
#if LIBCURL_VERSION_NUM >= 0x075000
    curl_easy_setopt(h, CURLOPT_PREREQDATA, &x);
#endif
  }

  // Forgets the pointers prepare() gave h into an exchange that is about to end.
  static void detach(CURL* h) {
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, nullptr);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, nullptr);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, nullptr);
#if LIBCURL_VERSION_NUM >= 0x075000
    curl_easy_setopt(h, CURLOPT_PREREQDATA, nullptr);
#endif
  }

  // Sends req and waits for the whole response, which replaces what `into` held; its buffers are
  // reused, so a caller that keeps one response allocates nothing for it once it has grown.
  result<void> perform(const request& req, response& into, const attempt_limits& limits = {}) const {
    detail::easy_handle h = acquire();
    if (!h) return make_error(error_kind::transport, "http_failed", "libcurl could not create a handle");
    // This thread's exchange, reused so that its header buffers stop allocating once grown. No
    // caller code runs during a transfer, so perform() is never re-entered on one thread.
    thread_local detail::exchange x;
    prepare(h.get(), req, x, into, limits);
    const CURLcode code = curl_easy_perform(h.get());
    long status = 0;
    curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
    detach(h.get());
    release(std::move(h));
    result<void> out;
    if (code != CURLE_OK) {
      out = failure(code, x, req.url);
    } else {
      x.complete(status);
    }
    x.reset();
    return out;
  }

  // perform() into a new response.
  result<response> send(const request& req, const attempt_limits& limits = {}) const {
    response r;
    if (auto ok = perform(req, r, limits); !ok) return ok.error();
    return r;
  }

  // A configured handle: from the pool, or a new one.
  detail::easy_handle acquire() const {
    {
      std::lock_guard<std::mutex> lock(pool_mutex_);
      if (!pool_.empty()) {
        detail::easy_handle h = std::move(pool_.back());
        pool_.pop_back();
        return h;
      }
    }
    detail::easy_handle h(curl_easy_init());
    if (h) configure(h.get());
    return h;
  }

  void release(detail::easy_handle h) const {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (pool_.size() < 64) pool_.push_back(std::move(h));
  }

  // The error for a transfer of `url` that libcurl ended with `code`. A transfer whose proxy the
  // constructor found unusable fails for good, as a configuration error naming the proxy setting
  // (libcurl says "could not resolve proxy", which reads as a network fault and would be retried).
  // Otherwise libcurl's text may still quote a proxy URL, so the user information of the proxies
  // ("user:password@") becomes "***@" in it.
  [[nodiscard]] error failure(CURLcode code, const detail::exchange& x, std::string_view url) const {
    const std::string& bad_proxy = unusable_proxy(is_https(url));
    if (!bad_proxy.empty() &&
        (code == CURLE_COULDNT_RESOLVE_PROXY || std::strstr(x.error_text, "proxy") != nullptr)) {
      return make_error(error_kind::configuration, "InvalidProxy", bad_proxy + "; nothing was sent");
    }
    error e = transport_error(code, x, host_of(url));
    for (const std::string& info : proxy_userinfo_) {
      for (std::size_t at = e.message.find(info); at != std::string::npos;
           at = e.message.find(info, at + 4)) {
        e.message.replace(at, info.size(), "***@");
      }
    }
    return e;
  }

  // The proxy from the environment, read once, when the transport is made (as botocore does when
  // it makes a client): libcurl would otherwise read five variables on every call. Precedence as
  // libcurl's: the scheme's own variable, lower case first, then all_proxy / ALL_PROXY. libcurl
  // itself reads http_proxy only in lower case (a safety rule for CGI programs); the AWS SDKs also
  // honour HTTP_PROXY, and so does ivsrt.
  static std::string proxy_from_env(const char* lower, const char* upper) {
    std::string p = env_either(lower, upper);
    return !p.empty() ? p : env_either("all_proxy", "ALL_PROXY");
  }

  // Read once, at construction; a variable of only blanks counts as unset, as everywhere in ivsrt.
  static std::string env_either(const char* lower, const char* upper) {
    std::string v = env::get(lower);
    return !v.empty() ? v : env::get(upper);
  }

  // The user information of a URL: what comes between "scheme://" (or the start) and the last '@'.
  static std::string_view userinfo_of(std::string_view url) noexcept {
    const std::size_t scheme = url.find("://");
    const std::size_t from = scheme == std::string_view::npos ? 0 : scheme + 3;
    const std::size_t at = url.rfind('@');
    return at == std::string_view::npos || at < from ? std::string_view() : url.substr(from, at - from);
  }

  static bool is_https(std::string_view url) noexcept {
    return url.size() >= 8 && ascii::iequals(url.substr(0, 8), "https://");
  }

  // How an error names the proxy that the endpoints of one scheme go through.
  [[nodiscard]] std::string proxy_name(bool https) const {
    if (!opts_.proxy.empty()) return "transport_options::proxy";
    return https
               ? "the proxy from the environment for https endpoints (https_proxy, HTTPS_PROXY, all_proxy or "
                 "ALL_PROXY)"
               : "the proxy from the environment for http endpoints (http_proxy, HTTP_PROXY, all_proxy or "
                 "ALL_PROXY)";
  }

  static std::string_view host_of(std::string_view url) noexcept {
    const std::size_t s = url.find("://");
    if (s == std::string_view::npos) return url;
    std::string_view rest = url.substr(s + 3);
    return rest.substr(0, rest.find('/'));
  }

 private:
  transport_options opts_;
  // What CURLOPT_PROXY and CURLOPT_NOPROXY get: the options, else the environment; "" for none.
  std::string http_proxy_;
  std::string https_proxy_;
  std::string no_proxy_;
  std::vector<std::string> proxy_userinfo_;  // "user:password@" of the proxies, kept out of errors
  std::string proxy_problems_[2];            // why the http [0] or https [1] proxy is unusable, or ""
  detail::shared_cache cache_;
  mutable std::mutex pool_mutex_;
  mutable std::vector<detail::easy_handle> pool_;
};

}  // namespace ivsrt::http
