// Container credentials (ECS task roles, EKS Pod Identity): a GET to
// http://169.254.170.2 + AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, or to
// AWS_CONTAINER_CREDENTIALS_FULL_URI, which must be https or name a loopback address or one of
// the documented container hosts (169.254.170.2, 169.254.170.23, fd00:ec2::23). Host names other
// than "localhost" are not resolved to check them: use an address or https. The Authorization
// header comes from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read on every fetch) or
// AWS_CONTAINER_AUTHORIZATION_TOKEN. Two-second timeouts, three attempts a second apart when
// there is no answer, a 5xx or 429, or a 2xx whose body is not JSON (as botocore and the SDK for
// Rust retry). The document must hold AccessKeyId, SecretAccessKey, Token and Expiration.
#pragma once

#if defined(_WIN32)
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#endif

#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "ivsrt/ascii.hpp"
#include "ivsrt/credential_http.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/uri.hpp"

namespace ivsrt {

struct container_settings {
  std::string url{};
  std::string token_file{};
  sensitive_string token{};
  std::string origin{};  // the variable the URL came from
};

namespace detail {

// Whether a plain-http container credentials URL may name `host` (as written in the URL).
inline bool allowed_container_host(std::string_view host) {
  if (ascii::iequals(host, "localhost")) return true;
  std::string h(host);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
    unsigned char a[16];
    if (inet_pton(AF_INET6, h.c_str(), a) != 1) return false;
    static constexpr unsigned char loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static constexpr unsigned char eks[16] = {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0,    0,
                                              0,    0,    0,    0,    0, 0, 0x00, 0x23};
    return std::memcmp(a, loopback, 16) == 0 || std::memcmp(a, eks, 16) == 0;
  }
  unsigned char a[4];
  if (inet_pton(AF_INET, h.c_str(), a) != 1) return false;
  const bool container_host = a[0] == 169 && a[1] == 254 && a[2] == 170 && (a[3] == 2 || a[3] == 23);
  return a[0] == 127 || container_host;
}

// Checks a full container credentials URL; "" when acceptable, else why not.
inline std::string check_container_url(std::string_view url) {
  std::string why;
  const auto parts = uri::split_url(url, why);
  if (!parts) return why;
  if (parts->https || allowed_container_host(parts->host)) return {};
  return "uses http with host " + std::string(parts->host) +
         "; only https, loopback addresses, localhost, 169.254.170.2, 169.254.170.23 and fd00:ec2::23 are "
         "allowed";
}

}  // namespace detail

// The container settings from the environment; nullopt when neither URI variable is set. A URI
// that may not be used is a configuration error.
inline result<std::optional<container_settings>> container_settings_from_environment() {
  container_settings s;
  if (std::string rel = env::get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); !rel.empty()) {
    if (rel.front() != '/') {
      return make_error(error_kind::configuration, "InvalidContainerCredentialsUri",
                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with '/'");
    }
    s.url = "http://169.254.170.2" + rel;
    s.origin = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
  } else if (std::string full = env::get("AWS_CONTAINER_CREDENTIALS_FULL_URI"); !full.empty()) {
    s.url = std::move(full);
    s.origin = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
  } else {
    return std::optional<container_settings>();
  }
  if (std::string why = detail::check_container_url(s.url); !why.empty()) {
    return make_error(error_kind::configuration, "InvalidContainerCredentialsUri", s.origin + " " + why);
  }
  s.token_file = env::get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  if (s.token_file.empty()) s.token = sensitive_string(env::get("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
  return std::optional<container_settings>(std::move(s));
}

class container_provider final : public credentials_provider {
 public:
  explicit container_provider(container_settings settings, int attempts = 3,
                              std::chrono::milliseconds pause = std::chrono::seconds(1))
      : s_(std::move(settings)),
        attempts_(attempts),
        pause_(pause),
        transport_(detail::metadata_transport(std::chrono::seconds(2), std::chrono::seconds(2))) {}

  result<credentials> resolve() override {
    const std::string what = "container credentials from " + s_.origin;
    http::header_list headers;
    if (!s_.token_file.empty() || !s_.token.empty()) {
      sensitive_string token = s_.token;
      if (!s_.token_file.empty()) {
        std::string text;
        if (auto r = detail::read_file(s_.token_file, 16384, text, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
            !r) {
          return r.error();
        }
        token = sensitive_string(ascii::trim(text));
        wipe(text);
      }
      for (char c : token.reveal()) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7F) {
          return make_error(error_kind::credentials, "InvalidAuthorizationToken",
                            what + ": the authorization token contains a line break or control character");
        }
      }
      headers.emplace_back("Authorization", token.reveal());
    }
    headers.emplace_back("Accept", "application/json");
    http::request req = detail::local_request("GET", s_.url, std::move(headers));
    result<credentials> out = make_error(error_kind::transport, "not_sent", {});
    for (int attempt = 1; attempt <= attempts_; ++attempt) {
      if (attempt > 1) std::this_thread::sleep_for(pause_);
      auto resp = transport_->send(req);
      const bool again = !resp || resp->status >= 500 || resp->status == 429;
      resp = detail::credentials_answer(std::move(resp), what);
      if (!resp) {
        out = resp.error();
        if (again) continue;
        break;
      }
      const bool json = detail::is_json_document(resp->body);
      out = detail::read_metadata_credentials(resp->body, what);
      if (out || json) break;
    }
    for (auto& h : req.headers) wipe(h.second);
    return out;
  }

  [[nodiscard]] std::string describe() const override {
    return "container credentials at " + s_.url + " (" + s_.origin + ")";
  }

 private:
  container_settings s_;
  int attempts_;
  std::chrono::milliseconds pause_;
  std::shared_ptr<http::transport> transport_;
};

}  // namespace ivsrt
