// A loopback HTTP(S) server for tests: it records every request it receives (method, raw target,
// headers, body) and answers with queued or computed replies. Its interface has no cpp-httplib
// types, so tests built with -fno-exceptions can use it.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ivsrt_test {

using headers = std::vector<std::pair<std::string, std::string>>;

struct received {
  std::string method;
  std::string target;  // raw request target: encoded path and query
  std::string path;    // raw path, still percent-encoded
  std::string query;   // raw query string without '?'
  headers header_list;
  std::string body;
  int remote_port = 0;  // tells connections apart

  // First value of a header (case-insensitive), "" when absent.
  [[nodiscard]] std::string header(std::string_view name) const;
  [[nodiscard]] bool has_header(std::string_view name) const;
  [[nodiscard]] std::size_t header_count(std::string_view name) const;
};

struct reply {
  int status = 200;
  headers header_list = {{"Content-Type", "application/json"}};
  std::string body = "{}";
  int delay_ms = 0;  // wait before answering
};

struct tls_files {
  std::string cert_pem;  // server certificate chain
  std::string key_pem;   // its private key
  // The highest protocol the server speaks (an OpenSSL constant such as TLS1_1_VERSION), 0 for the
  // default. A lower one also lowers the server's floor and security level so that it is offered.
  int max_version = 0;
};

class recording_server {
 public:
  recording_server();                               // plain HTTP on 127.0.0.1, a free port
  explicit recording_server(const tls_files& tls);  // HTTPS
  ~recording_server();
  recording_server(const recording_server&) = delete;
  recording_server& operator=(const recording_server&) = delete;

  [[nodiscard]] std::string url() const;  // "http://127.0.0.1:PORT"
  [[nodiscard]] int port() const;

  // Replies are used in order; when none is queued the handler answers (default: 200 "{}").
  void enqueue(reply r);
  void set_handler(std::function<reply(const received&)> handler);

  [[nodiscard]] std::vector<received> requests() const;
  [[nodiscard]] received last() const;
  [[nodiscard]] std::size_t count() const;
  void clear();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Verifies a request's SigV4 Authorization header with its own canonicalisation code (not the
// library's), so a wire test checks the client's signature independently. Returns "" when the
// signature is valid, else what is wrong.
std::string verify_sigv4(const received& r, std::string_view secret_key, std::string_view region,
                         std::string_view service);

}  // namespace ivsrt_test
