// SigV4 verification of every API request against the service's credentials, with the 403 errors
// AWS sends: MissingAuthenticationTokenException (no Authorization header),
// IncompleteSignatureException (a malformed one), UnrecognizedClientException (an unknown access
// key) and InvalidSignatureException (wrong scope, a timestamp outside the allowed window, or a
// signature that does not match). The expected signature is computed by the library's signer from
// the request exactly as it arrived.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/credentials.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/local/errors.hpp"
#include "ivsrt/local/wire.hpp"
#include "ivsrt/sigv4.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt::local {

// An access key the service accepts.
struct access_key {
  std::string id{};
  sensitive_string secret{};
};

// The keys the service accepts, safe to change while it runs.
class key_store {
 public:
  explicit key_store(const std::vector<access_key>& keys) {
    for (const auto& k : keys) keys_[k.id] = k.secret;
  }
  void put(const std::string& id, sensitive_string secret) {
    std::lock_guard<std::mutex> lock(mutex_);
    keys_[id] = std::move(secret);
  }
  void replace(const std::vector<access_key>& keys) {
    std::lock_guard<std::mutex> lock(mutex_);
    keys_.clear();
    for (const auto& k : keys) keys_[k.id] = k.secret;
  }
  [[nodiscard]] std::optional<sensitive_string> secret_of(const std::string& id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = keys_.find(id);
    if (it == keys_.end()) return std::nullopt;
    return it->second;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, sensitive_string> keys_;
};

namespace detail {

inline error forbidden(std::string code, std::string message) {
  return api_error(403, std::move(code), std::move(message));
}

struct authorization {
  std::string credential;
  std::string signed_headers;
  std::string signature;
};

// Splits "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..."; names every
// missing part, as AWS does.
inline result<authorization> parse_authorization(std::string_view value) {
  constexpr std::string_view algorithm = "AWS4-HMAC-SHA256 ";
  if (value.substr(0, algorithm.size()) != algorithm) {
    return forbidden("IncompleteSignatureException",
                     "Authorization header must use the AWS4-HMAC-SHA256 algorithm");
  }
  authorization out;
  std::string_view rest = value.substr(algorithm.size());
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = part.substr(0, eq);
    const std::string v(part.substr(eq + 1));
    if (key == "Credential") out.credential = v;
    if (key == "SignedHeaders") out.signed_headers = v;
    if (key == "Signature") out.signature = v;
  }
  std::string missing;
  if (out.credential.empty()) missing += "Authorization header requires 'Credential' parameter. ";
  if (out.signature.empty()) missing += "Authorization header requires 'Signature' parameter. ";
  if (out.signed_headers.empty()) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!missing.empty()) {
    missing.pop_back();
    return forbidden("IncompleteSignatureException", missing);
  }
  return out;
}

inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t at = s.find(sep);
    out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

inline std::optional<timestamp> parse_amz_date(std::string_view d) {
  if (d.size() != 16 || d[8] != 'T' || d[15] != 'Z') return std::nullopt;
  const std::string iso = std::string(d.substr(0, 4)) + "-" + std::string(d.substr(4, 2)) + "-" +
                          std::string(d.substr(6, 2)) + "T" + std::string(d.substr(9, 2)) + ":" +
                          std::string(d.substr(11, 2)) + ":" + std::string(d.substr(13, 2)) + "Z";
  return parse_timestamp(iso);
}

inline bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace detail

struct auth_settings {
  std::string region;
  std::string service = "ivs";
  std::chrono::seconds window{15 * 60};  // how far X-Amz-Date may be from the service's clock
};

// Verifies the request's SigV4 signature; returns the access key id it was signed with.
inline result<std::string> authenticate(const incoming& in, const key_store& keys, const auth_settings& how,
                                        timestamp now) {
  const std::string_view header = in.header("Authorization");
  if (header.empty())
    return detail::forbidden("MissingAuthenticationTokenException", "Missing Authentication Token");
  auto auth = detail::parse_authorization(header);
  if (!auth) return auth.error();
  const auto scope = detail::split(auth->credential, '/');
  if (scope.size() != 5 || scope[0].empty()) {
    return detail::forbidden("IncompleteSignatureException",
                             "Credential must have exactly 5 slash-delimited elements, e.g. "
                             "keyid/date/region/service/term");
  }
  const std::string_view amz_date = in.header("X-Amz-Date");
  if (amz_date.empty()) {
    return detail::forbidden("IncompleteSignatureException",
                             "Authorization header requires existence of an 'X-Amz-Date' header");
  }
  const auto when = detail::parse_amz_date(amz_date);
  if (!when)
    return detail::forbidden("IncompleteSignatureException",
                             "X-Amz-Date is not in the form YYYYMMDDTHHMMSSZ");
  auto secret = keys.secret_of(scope[0]);
  if (!secret)
    return detail::forbidden("UnrecognizedClientException",
                             "The security token included in the request is invalid.");
  if (scope[1] != amz_date.substr(0, 8)) {
    return detail::forbidden(
        "InvalidSignatureException",
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
            scope[1] + "' != '" + std::string(amz_date.substr(0, 8)) + "', from '" + std::string(amz_date) +
            "'.");
  }
  if (scope[2] != how.region) {
    return detail::forbidden("InvalidSignatureException",
                             "Credential should be scoped to a valid region, not '" + scope[2] + "'. ");
  }
  if (scope[3] != how.service) {
    return detail::forbidden("InvalidSignatureException",
                             "Credential should be scoped to correct service: '" + how.service + "'. ");
  }
  if (scope[4] != "aws4_request") {
    return detail::forbidden(
        "InvalidSignatureException",
        "Credential should be scoped with a valid terminator: 'aws4_request', not '" + scope[4] + "'. ");
  }
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(how.window).count();
  const auto now_s = std::chrono::floor<std::chrono::seconds>(now);
  if (*when < now_s - how.window) {
    return detail::forbidden("InvalidSignatureException",
                             "Signature expired: " + std::string(amz_date) + " is now earlier than " +
                                 sigv4::amz_date(now_s - how.window) + " (" + sigv4::amz_date(now_s) + " - " +
                                 std::to_string(minutes) + " min.)");
  }
  if (*when > now_s + how.window) {
    return detail::forbidden("InvalidSignatureException",
                             "Signature not yet current: " + std::string(amz_date) + " is still later than " +
                                 sigv4::amz_date(now_s + how.window) + " (" + sigv4::amz_date(now_s) + " + " +
                                 std::to_string(minutes) + " min.)");
  }
  const auto signed_names = detail::split(auth->signed_headers, ';');
  bool host_signed = false;
  bool token_signed = false;
  sigv4::request req{.method = in.method, .path = in.path, .query = {}, .headers = {}, .payload = in.body};
  for (const auto& [k, v] : in.query) req.query.push_back({k, v});
  for (const auto& name : signed_names) {
    if (name == "host") host_signed = true;
    // The signer adds these two itself.
    if (name == "x-amz-date") continue;
    if (name == "x-amz-security-token") {
      token_signed = true;
      continue;
    }
    bool found = false;
    for (const auto& [k, v] : in.headers) {
      if (!http::iequals(k, name)) continue;
      found = true;
      req.headers.push_back({k, v});
    }
    if (!found) {
      return detail::forbidden("InvalidSignatureException",
                               "The header '" + name + "' is listed in SignedHeaders but was not sent");
    }
  }
  if (!host_signed) {
    return detail::forbidden("InvalidSignatureException",
                             "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  credentials creds{.access_key_id = scope[0],
                    .secret_access_key = *secret,
                    .session_token = {},
                    .expiration = {},
                    .account_id = {}};
  const std::string_view token = in.header("X-Amz-Security-Token");
  if (!token.empty()) creds.session_token = sensitive_string(token);
  const sigv4::signer signer(how.region, how.service);
  const sigv4::settings settings{
      .normalize_path = true, .sign_content_sha256 = false, .omit_session_token = !token_signed};
  const sigv4::signed_parts expected = signer.sign(req, creds, *when, settings);
  if (expected.signed_headers != auth->signed_headers ||
      !detail::constant_time_equal(expected.signature, auth->signature)) {
    // Like AWS, show what was signed, so a client's author can see where they differ; a session
    // token in it is replaced, since error messages never carry secrets.
    std::string canonical = expected.canonical_request;
    if (!token.empty()) {
      for (std::size_t at = canonical.find(token); at != std::string::npos;
           at = canonical.find(token, at + redacted.size())) {
        canonical.replace(at, token.size(), redacted);
      }
    }
    return detail::forbidden(
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key and signing method. Consult the service documentation for "
        "details.\n\nThe Canonical String for this request should have been\n'" +
            canonical + "'\n\nThe String-to-Sign should have been\n'" + expected.string_to_sign + "'\n");
  }
  return std::string(scope[0]);
}

}  // namespace ivsrt::local
