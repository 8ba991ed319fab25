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

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/json_reader.hpp"

namespace ivsrt::http {

struct transport_options {
  std::chrono::milliseconds connect_timeout{3100};
  // Whole-attempt limit; 0 means none.
  std::chrono::milliseconds request_timeout{0};
  // Longest wait for any bytes while a response is coming in; 0 means none.
  std::chrono::milliseconds read_timeout{0};
  std::string ca_bundle{};  // PEM file of trusted CAs; empty: the system store
  std::string ca_path{};    // directory of hashed CA certificates
  // Turning verification off is possible only by naming this option; the client logs it.
  bool insecure_skip_tls_verify = false;
  std::size_t max_response_bytes = std::size_t{16} << 20;
  // Proxy URL such as "http://proxy:3128". Empty: the environment — https_proxy / HTTPS_PROXY for
  // https endpoints, http_proxy / HTTP_PROXY for http ones, then all_proxy / ALL_PROXY.
  std::string proxy{};
  // Comma-separated hosts (and domains, IP ranges) that bypass the proxy; empty: NO_PROXY / no_proxy.
  std::string no_proxy{};
};

// Limits for one attempt, overriding transport_options; the client derives them from per-call
// options and the call's deadline.
struct attempt_limits {
  std::optional<std::chrono::milliseconds> connect_timeout{};
  std::optional<std::chrono::milliseconds> timeout{};  // the whole attempt; 0 means none
};

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

// State of one exchange while libcurl runs it; shared by the blocking and the async paths.
struct exchange {
  response resp;
  std::size_t limit = 0;
  bool too_large = false;
  curl_slist* header_list = nullptr;
  char error_text[CURL_ERROR_SIZE] = {};

  exchange() = default;
  exchange(const exchange&) = delete;
  exchange& operator=(const exchange&) = delete;
  ~exchange() { curl_slist_free_all(header_list); }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
    auto* x = static_cast<exchange*>(self);
    const std::size_t n = size * count;
    std::string& body = x->resp.body;
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
    std::string_view line(data, n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.substr(0, 5) == "HTTP/") {
      x->resp.headers.clear();  // a new response (after 100 Continue) starts over
      return n;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return n;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    x->resp.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    return n;
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
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR: reason = "connection_failed"; break;
    default: reason = "http_failed"; break;
  }
  return make_error(error_kind::transport, reason,
                    std::string(url_host) + ": " + detail);
}

class transport {
 public:
  explicit transport(transport_options options = {}) : opts_(std::move(options)) {
    detail::global_init();
  }
  transport(const transport&) = delete;
  transport& operator=(const transport&) = delete;

  [[nodiscard]] const transport_options& options() const noexcept { return opts_; }

  // Configures handle h for req; x receives the response, and req must outlive the exchange
  // (libcurl reads the body in place). Used by the blocking and async paths.
  void prepare(CURL* h, const request& req, detail::exchange& x, const attempt_limits& limits = {}) const {
    curl_easy_setopt(h, CURLOPT_SHARE, cache_.get());
    curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    // HTTP/2 when TLS negotiation (ALPN) offers it, HTTP/1.1 otherwise.
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(limits.connect_timeout.value_or(opts_.connect_timeout).count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(limits.timeout.value_or(opts_.request_timeout).count()));
    if (opts_.read_timeout.count() > 0) {
      // "Less than 1 byte/s for N seconds" is libcurl's way to bound a stalled read.
      curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
                       std::max(1L, static_cast<long>(opts_.read_timeout.count() / 1000)));
    }
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, opts_.insecure_skip_tls_verify ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, opts_.insecure_skip_tls_verify ? 0L : 2L);
    if (!opts_.ca_bundle.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, opts_.ca_bundle.c_str());
    if (!opts_.ca_path.empty()) curl_easy_setopt(h, CURLOPT_CAPATH, opts_.ca_path.c_str());
    if (!opts_.proxy.empty()) {
      curl_easy_setopt(h, CURLOPT_PROXY, opts_.proxy.c_str());
    } else if (const char* upper = upper_case_http_proxy(req.url)) {
      curl_easy_setopt(h, CURLOPT_PROXY, upper);
    }
    if (!opts_.no_proxy.empty()) curl_easy_setopt(h, CURLOPT_NOPROXY, opts_.no_proxy.c_str());
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(opts_.max_response_bytes));
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, nullptr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x.error_text);
    x.limit = opts_.max_response_bytes;
    x.resp.body.reserve(4096);

    if (req.has_body) {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    } else {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    for (const auto& [name, value] : req.headers) {
      std::string line;
      line.reserve(name.size() + 2 + value.size());
      line.append(name).append(": ").append(value);
      x.header_list = curl_slist_append(x.header_list, line.c_str());
      wipe(line);
    }
    // libcurl would otherwise add "Expect: 100-continue" to large bodies and an Accept header.
    x.header_list = curl_slist_append(x.header_list, "Expect:");
    x.header_list = curl_slist_append(x.header_list, "Accept:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, x.header_list);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &detail::exchange::on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &detail::exchange::on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
  }

  // Sends req and waits for the whole response.
  result<response> send(const request& req, const attempt_limits& limits = {}) const {
    detail::easy_handle h = acquire();
    if (!h) return make_error(error_kind::transport, "http_failed", "libcurl could not create a handle");
    detail::exchange x;
    prepare(h.get(), req, x, limits);
    const CURLcode code = curl_easy_perform(h.get());
    long status = 0;
    curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
    release(std::move(h));
    if (code != CURLE_OK) return transport_error(code, x, host_of(req.url));
    x.resp.status = status;
    return std::move(x.resp);
  }

  // A handle from the pool, reset to defaults, or a new one.
  detail::easy_handle acquire() const {
    {
      std::lock_guard<std::mutex> lock(pool_mutex_);
      if (!pool_.empty()) {
        detail::easy_handle h = std::move(pool_.back());
        pool_.pop_back();
        curl_easy_reset(h.get());
        return h;
      }
    }
    return detail::easy_handle(curl_easy_init());
  }

  void release(detail::easy_handle h) const {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (pool_.size() < 64) pool_.push_back(std::move(h));
  }

  // libcurl reads http_proxy only in lower case (a safety rule for CGI programs); the AWS SDKs
  // also honour HTTP_PROXY, so it is passed on explicitly. NO_PROXY still applies to it.
  static const char* upper_case_http_proxy(std::string_view url) noexcept {
    if (url.substr(0, 7) != "http://") return nullptr;
    if (std::getenv("http_proxy") != nullptr) return nullptr;  // NOLINT(concurrency-mt-unsafe)
    const char* p = std::getenv("HTTP_PROXY");                 // NOLINT(concurrency-mt-unsafe)
    return p != nullptr && *p != '\0' ? p : nullptr;
  }

  static std::string_view host_of(std::string_view url) noexcept {
    const std::size_t s = url.find("://");
    if (s == std::string_view::npos) return url;
    std::string_view rest = url.substr(s + 3);
    return rest.substr(0, rest.find('/'));
  }

 private:
  transport_options opts_;
  detail::shared_cache cache_;
  mutable std::mutex pool_mutex_;
  mutable std::vector<detail::easy_handle> pool_;
};

}  // namespace ivsrt::http
