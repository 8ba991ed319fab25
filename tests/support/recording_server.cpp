#include "recording_server.hpp"

#include <httplib.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace ivsrt_test {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string received::header(std::string_view name) const {
  for (const auto& [k, v] : header_list) {
    if (iequal(k, name)) return v;
  }
  return {};
}

bool received::has_header(std::string_view name) const {
  return header_count(name) > 0;
}

std::size_t received::header_count(std::string_view name) const {
  return static_cast<std::size_t>(std::count_if(header_list.begin(), header_list.end(),
                                                [&](const auto& h) { return iequal(h.first, name); }));
}

struct recording_server::impl {
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int port = 0;
  bool tls = false;
  mutable std::mutex mutex;
  std::deque<reply> queue;
  std::function<reply(const received&)> handler;
  std::vector<received> log;

  void handle(const httplib::Request& req, httplib::Response& res) {
    received r;
    r.method = req.method;
    r.target = req.target;
    const std::size_t q = req.target.find('?');
    r.path = req.target.substr(0, q);
    r.query = q == std::string::npos ? std::string() : req.target.substr(q + 1);
    for (const auto& [k, v] : req.headers) {
      // cpp-httplib adds these itself; they were not sent by the client.
      if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") continue;
      r.header_list.emplace_back(k, v);
    }
    r.body = req.body;
    r.remote_port = req.remote_port;
    reply answer;
    {
      std::lock_guard<std::mutex> lock(mutex);
      log.push_back(r);
      if (!queue.empty()) {
        answer = std::move(queue.front());
        queue.pop_front();
      } else if (handler) {
        auto h = handler;
        answer = h(r);
      }
    }
    if (answer.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(answer.delay_ms));
    res.status = answer.status;
    std::string content_type = "application/json";
    for (const auto& [k, v] : answer.header_list) {
      if (iequal(k, "Content-Type")) {
        content_type = v;
      } else {
        res.set_header(k, v);
      }
    }
    res.set_content(answer.body, content_type);
  }

  void start() {
    auto h = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    // Any path, including decoded ones with line breaks (".*" would not match those).
    const char* const any_path = "[\\s\\S]*";
    server->Get(any_path, h);
    server->Post(any_path, h);
    server->Put(any_path, h);
    server->Patch(any_path, h);
    server->Delete(any_path, h);
    server->set_keep_alive_max_count(1000);
    // A kept-alive connection holds a worker until it closes: enough workers for the tests that
    // keep many connections open at once (async engines, many client threads).
    server->new_task_queue = [] { return new httplib::ThreadPool(96); };
    server->set_tcp_nodelay(true);  // else each reply waits ~40 ms for a delayed ACK
    port = server->bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server->listen_after_bind(); });
    while (!server->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
};

recording_server::recording_server() : impl_(std::make_unique<impl>()) {
  impl_->server = std::make_unique<httplib::Server>();
  impl_->start();
}

recording_server::recording_server(const tls_files& tls) : impl_(std::make_unique<impl>()) {
  auto server = std::make_unique<httplib::SSLServer>(tls.cert_pem.c_str(), tls.key_pem.c_str());
  if (tls.max_version != 0) {
    SSL_CTX* ctx = server->ssl_context();
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx, tls.max_version);
    SSL_CTX_set_cipher_list(ctx, "DEFAULT@SECLEVEL=0");
  }
  impl_->server = std::move(server);
  impl_->tls = true;
  impl_->start();
}

recording_server::~recording_server() {
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string recording_server::url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port);
}

int recording_server::port() const {
  return impl_->port;
}

void recording_server::enqueue(reply r) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->queue.push_back(std::move(r));
}

void recording_server::set_handler(std::function<reply(const received&)> handler) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->handler = std::move(handler);
}

std::vector<received> recording_server::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->log;
}

received recording_server::last() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->log.empty() ? received{} : impl_->log.back();
}

std::size_t recording_server::count() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->log.size();
}

void recording_server::clear() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->log.clear();
  impl_->queue.clear();
}

namespace {

std::string hex(const unsigned char* d, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[d[i] >> 4];
    out += digits[d[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view s) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d);
  return hex(d, sizeof d);
}

std::string hmac(std::string_view key, std::string_view msg) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), d, &n);
  return std::string(reinterpret_cast<char*>(d), n);
}

std::string encode_rfc3986(std::string_view s) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::string decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find(sep, start);
    parts.emplace_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string verify_sigv4(const received& r, std::string_view secret_key, std::string_view region,
                         std::string_view service) {
  const std::string auth = r.header("Authorization");
  const std::string prefix = "AWS4-HMAC-SHA256 Credential=";
  if (auth.rfind(prefix, 0) != 0) return "no AWS4-HMAC-SHA256 Authorization header";
  const std::size_t c_end = auth.find(", SignedHeaders=");
  const std::size_t s_end = auth.find(", Signature=");
  if (c_end == std::string::npos || s_end == std::string::npos) return "malformed Authorization header";
  const std::string credential = auth.substr(prefix.size(), c_end - prefix.size());
  const std::string signed_headers = auth.substr(c_end + 16, s_end - c_end - 16);
  const std::string signature = auth.substr(s_end + 12);
  const auto scope = split(credential, '/');
  if (scope.size() != 5) return "malformed credential scope";
  if (scope[2] != region || scope[3] != service || scope[4] != "aws4_request")
    return "wrong scope " + credential;
  const std::string amz_date = r.header("X-Amz-Date");
  if (amz_date.substr(0, 8) != scope[1]) return "X-Amz-Date does not match the scope date";

  // The path with its dot segments resolved (RFC 3986 section 5.2.4, as SigV4 asks for every
  // service but S3), each segment encoded once more.
  std::vector<std::string> segments;
  for (const auto& seg : split(r.path.substr(1), '/')) {
    if (seg == ".") continue;
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(seg);
  }
  std::string canonical_path;
  for (const auto& seg : segments) canonical_path += "/" + encode_rfc3986(seg);
  if (canonical_path.empty()) canonical_path = "/";
  std::vector<std::pair<std::string, std::string>> params;
  if (!r.query.empty()) {
    for (const auto& kv : split(r.query, '&')) {
      const std::size_t eq = kv.find('=');
      params.emplace_back(
          encode_rfc3986(decode(kv.substr(0, eq))),
          eq == std::string::npos ? std::string() : encode_rfc3986(decode(kv.substr(eq + 1))));
    }
  }
  std::sort(params.begin(), params.end());
  std::string canonical_query;
  for (const auto& [k, v] : params) canonical_query += (canonical_query.empty() ? "" : "&") + k + "=" + v;
  std::string canonical_headers;
  for (const auto& name : split(signed_headers, ';')) {
    if (name != lower(name)) return "signed header names must be lower case";
    std::string joined;
    bool found = false;
    for (const auto& [k, v] : r.header_list) {
      if (lower(k) != name) continue;
      if (found) joined += ",";
      found = true;
      joined += v;
    }
    if (!found) return "signed header " + name + " was not sent";
    canonical_headers += name + ":" + joined + "\n";
  }
  const std::string canonical_request = r.method + "\n" + canonical_path + "\n" + canonical_query + "\n" +
                                        canonical_headers + "\n" + signed_headers + "\n" + sha256_hex(r.body);
  const std::string string_to_sign = "AWS4-HMAC-SHA256\n" + amz_date + "\n" + scope[1] + "/" + scope[2] +
                                     "/" + scope[3] + "/aws4_request\n" + sha256_hex(canonical_request);
  std::string key = hmac("AWS4" + std::string(secret_key), scope[1]);
  key = hmac(key, scope[2]);
  key = hmac(key, scope[3]);
  key = hmac(key, "aws4_request");
  const std::string expected =
      hex(reinterpret_cast<const unsigned char*>(hmac(key, string_to_sign).data()), 32);
  if (expected != signature) return "signature mismatch; canonical request was:\n" + canonical_request;
  return {};
}

}  // namespace ivsrt_test
