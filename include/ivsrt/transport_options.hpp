// What a client's HTTP transport is allowed to do: timeouts, TLS trust, proxies and the response
// size cap. Apart from transport.hpp so that options can be declared without libcurl's headers.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace ivsrt::http {

struct transport_options {
  // Connecting, TLS handshake included; unset: the client's defaults mode gives it (3.1 s unless
  // the mode says otherwise; see defaults_mode.hpp).
  std::optional<std::chrono::milliseconds> connect_timeout{};
  // Whole-attempt limit; 0 means none.
  std::chrono::milliseconds request_timeout{0};
  // Longest wait for a byte, sent or received, once the request is sent (the response's first
  // byte included); 0 means none. 60 s as in botocore, so that a server that goes silent cannot
  // hold a call for ever. Looked at about once a second while nothing moves.
  std::chrono::milliseconds read_timeout{60000};
  std::string ca_bundle{};  // PEM file of trusted CAs; empty: the system store
  std::string ca_path{};    // directory of hashed CA certificates
  // Turning verification off is possible only by naming this option; the client logs it.
  bool insecure_skip_tls_verify = false;
  std::size_t max_response_bytes = std::size_t{16} << 20;
  // Proxy URL such as "http://proxy:3128". Empty: the environment — https_proxy / HTTPS_PROXY for
  // https endpoints, http_proxy / HTTP_PROXY for http ones, then all_proxy / ALL_PROXY — as it is
  // when the transport (the client) is made.
  std::string proxy{};
  // Comma-separated hosts (and domains, IP ranges) that bypass the proxy; empty: no_proxy /
  // NO_PROXY, likewise read when the transport is made.
  std::string no_proxy{};
};

// Limits for one attempt, overriding transport_options; the client derives them from per-call
// options and the call's deadline.
struct attempt_limits {
  std::optional<std::chrono::milliseconds> connect_timeout{};
  std::optional<std::chrono::milliseconds> timeout{};       // the whole attempt; 0 means none
  std::optional<std::chrono::milliseconds> read_timeout{};  // longest wait for a byte; 0 means none
};

}  // namespace ivsrt::http
