// AWS Signature Version 4 (header and query signing) with the non-S3 rules: the path is
// normalised and each segment URI-encoded again, the query sorted in RFC 3986 encoding, headers
// lower-cased, trimmed and sorted. The signing key is derived once per day, region and service.
#pragma once

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/credentials.hpp"
#include "ivsrt/crypto.hpp"
#include "ivsrt/timestamp.hpp"
#include "ivsrt/uri.hpp"

namespace ivsrt::sigv4 {

inline constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";

struct header {
  std::string_view name;  // any case
  std::string_view value;
};

struct query_param {
  std::string_view name;  // decoded
  std::string_view value;
};

struct request {
  std::string_view method;
  std::string_view path = "/";  // as sent on the wire, i.e. already percent-encoded once
  std::vector<query_param> query;
  std::vector<header> headers;  // must include "host"
  std::string_view payload;
};

struct settings {
  bool normalize_path = true;        // false only for S3-style signing
  bool sign_content_sha256 = false;  // add and sign x-amz-content-sha256
  bool omit_session_token = false;   // sign without the token, then add it (STS-style)
};

struct signed_parts {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // hex
  std::string amz_date;       // X-Amz-Date value
  std::string content_sha256; // hex SHA-256 of the payload
  std::string signed_headers; // "host;x-amz-date"
  std::string authorization;  // full Authorization header value (header signing)
  std::vector<std::pair<std::string, std::string>> query;  // X-Amz-* parameters (query signing)
};

// "YYYYMMDDTHHMMSSZ" of t.
inline std::string amz_date(timestamp t) {
  std::string iso = format_timestamp(std::chrono::floor<std::chrono::seconds>(t));
  std::string out;
  out.reserve(16);
  for (char c : iso) {
    if (c != '-' && c != ':') out += c;
  }
  return out;  // 20150830T123600Z
}

// The canonical URI: dot segments resolved and empty segments dropped (unless normalisation is
// off), then every segment percent-encoded, so an already-encoded path is encoded twice.
inline std::string canonical_uri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  std::string out;
  out.reserve(path.size() + 16);
  // Without empty or dot segments, normalising changes nothing: encode in one pass.
  const bool plain = path.front() == '/' && path.find("//") == std::string_view::npos &&
                     path.find("/.") == std::string_view::npos;
  if (!normalize || plain) {
    uri::append_encoded(out, path, true);
    return out;
  }
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(start, end - start);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    start = end + 1;
  }
  const std::string_view last = path.substr(path.rfind('/') + 1);
  const bool trailing_slash = path.back() == '/' || last == "." || last == "..";
  for (std::string_view seg : segments) {
    out += '/';
    uri::append_encoded(out, seg);
  }
  if (out.empty() || trailing_slash) out += '/';
  return out;
}

// The canonical query string: names and values RFC 3986 encoded, sorted by name then value.
inline std::string canonical_query(const std::vector<query_param>& params) {
  if (params.empty()) return {};
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& p : params) encoded.emplace_back(uri::encode(p.name), uri::encode(p.value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [k, v] : encoded) {
    if (!out.empty()) out += '&';
    out += k;
    out += '=';
    out += v;
  }
  return out;
}

namespace detail {

inline void append_lower(std::string& out, std::string_view s) {
  for (char c : s) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Appends v trimmed, with runs of whitespace (including folded line breaks) folded into one space.
inline void append_trimmed(std::string& out, std::string_view v) {
  bool space = false;
  bool started = false;
  for (char c : v) {
    if (is_space(c)) {
      space = started;
      continue;
    }
    if (space) out += ' ';
    space = false;
    started = true;
    out += c;
  }
}

struct canonical_headers {
  std::string block;   // "name:value\n" lines
  std::string names;   // "a;b;c"
};

struct header_ref {
  std::string_view name;
  std::string_view value;
};

inline bool name_less(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return x < y;
  }
  return a.size() < b.size();
}

// Sorts by lower-cased name (repeated headers keep their order) without copying a name.
inline canonical_headers canonicalize(std::vector<header_ref>& hs) {
  // Insertion sort: stable, allocation-free, and quickest for the handful of headers a request has.
  for (std::size_t i = 1; i < hs.size(); ++i) {
    const header_ref h = hs[i];
    std::size_t j = i;
    for (; j > 0 && name_less(h.name, hs[j - 1].name); --j) hs[j] = hs[j - 1];
    hs[j] = h;
  }
  canonical_headers out;
  std::size_t size = 0;
  for (const auto& h : hs) size += h.name.size() + h.value.size() + 2;
  out.block.reserve(size);
  out.names.reserve(size);
  for (std::size_t i = 0; i < hs.size(); ++i) {
    if (i > 0 && !name_less(hs[i - 1].name, hs[i].name)) {
      out.block.back() = ',';  // repeated header: values joined with commas
      append_trimmed(out.block, hs[i].value);
      out.block += '\n';
      continue;
    }
    if (!out.names.empty()) out.names += ';';
    append_lower(out.names, hs[i].name);
    append_lower(out.block, hs[i].name);
    out.block += ':';
    append_trimmed(out.block, hs[i].value);
    out.block += '\n';
  }
  return out;
}

}  // namespace detail

class signer {
 public:
  signer(std::string region, std::string service)
      : region_(std::move(region)), service_(std::move(service)) {}

  signer(const signer& other) : region_(other.region_), service_(other.service_) {}
  signer& operator=(const signer&) = delete;

  [[nodiscard]] const std::string& region() const noexcept { return region_; }
  [[nodiscard]] const std::string& service() const noexcept { return service_; }

  // Signs for the Authorization header.
  [[nodiscard]] signed_parts sign(const request& req, const credentials& creds, timestamp when,
                                  const settings& how = {}) const {
    signed_parts out;
    out.amz_date = amz_date(when);
    out.content_sha256 = crypto::hex(crypto::sha256(req.payload));
    std::vector<detail::header_ref> headers;
    headers.reserve(req.headers.size() + 3);
    for (const auto& h : req.headers) headers.push_back({h.name, h.value});
    headers.push_back({"x-amz-date", out.amz_date});
    if (how.sign_content_sha256) headers.push_back({"x-amz-content-sha256", out.content_sha256});
    if (creds.session_token && !how.omit_session_token) {
      headers.push_back({"x-amz-security-token", creds.session_token->reveal()});
    }
    detail::canonical_headers ch = detail::canonicalize(headers);
    out.signed_headers = std::move(ch.names);
    const std::string scope_text = scope(out.amz_date);
    finish(out, req, canonical_query(req.query), ch.block, scope_text, creds, how.normalize_path);
    std::string& a = out.authorization;
    a.reserve(algorithm.size() + creds.access_key_id.size() + scope_text.size() + out.signed_headers.size() +
              out.signature.size() + 40);
    a.append(algorithm).append(" Credential=").append(creds.access_key_id).append("/").append(scope_text);
    a.append(", SignedHeaders=").append(out.signed_headers).append(", Signature=").append(out.signature);
    return out;
  }

  // Signs for a presigned URL: out.query holds the X-Amz-* parameters to add to the URL.
  [[nodiscard]] signed_parts presign(const request& req, const credentials& creds, timestamp when,
                                     std::int64_t expires_seconds, const settings& how = {}) const {
    signed_parts out;
    out.amz_date = amz_date(when);
    out.content_sha256 = crypto::hex(crypto::sha256(req.payload));
    std::vector<detail::header_ref> headers;
    for (const auto& h : req.headers) headers.push_back({h.name, h.value});
    const detail::canonical_headers ch = detail::canonicalize(headers);
    out.signed_headers = ch.names;
    const std::string scope_text = scope(out.amz_date);
    out.query = {{"X-Amz-Algorithm", std::string(algorithm)},
                 {"X-Amz-Credential", creds.access_key_id + "/" + scope_text},
                 {"X-Amz-Date", out.amz_date},
                 {"X-Amz-Expires", std::to_string(expires_seconds)},
                 {"X-Amz-SignedHeaders", out.signed_headers}};
    if (creds.session_token && !how.omit_session_token) {
      out.query.emplace_back("X-Amz-Security-Token", creds.session_token->reveal());
    }
    std::vector<query_param> all(req.query);
    for (const auto& [k, v] : out.query) all.push_back({k, v});
    finish(out, req, canonical_query(all), ch.block, scope_text, creds, how.normalize_path);
    out.query.emplace_back("X-Amz-Signature", out.signature);
    return out;
  }

 private:
  [[nodiscard]] std::string scope(std::string_view date_time) const {
    std::string out;
    out.reserve(8 + region_.size() + service_.size() + 15);
    out.append(date_time.substr(0, 8)).append("/").append(region_).append("/").append(service_);
    return out.append("/aws4_request");
  }

  void finish(signed_parts& out, const request& req, const std::string& query, const std::string& header_block,
              const std::string& scope_text, const credentials& creds, bool normalize) const {
    std::string& cr = out.canonical_request;
    cr.reserve(256 + header_block.size() + query.size());
    cr.append(req.method);
    cr += '\n';
    cr += canonical_uri(req.path, normalize);
    cr += '\n';
    cr += query;
    cr += '\n';
    cr += header_block;
    cr += '\n';
    cr += out.signed_headers;
    cr += '\n';
    cr += out.content_sha256;

    std::string& sts = out.string_to_sign;
    sts.reserve(128);
    sts.append(algorithm);
    sts += '\n';
    sts += out.amz_date;
    sts += '\n';
    sts += scope_text;
    sts += '\n';
    const crypto::digest cr_hash = crypto::sha256(cr);
    crypto::append_hex(sts, cr_hash.data(), cr_hash.size());
    out.signature = crypto::hex(signing_key_sign(creds, std::string_view(out.amz_date).substr(0, 8), sts));
  }

  // HMAC of the string to sign with the day's signing key, derived only when the day, the
  // credentials or the scope change.
  crypto::digest signing_key_sign(const credentials& creds, std::string_view date,
                                  std::string_view string_to_sign) const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (date != cached_date_ || creds.access_key_id != cached_key_id_ ||
        !(creds.secret_access_key == cached_secret_)) {
      std::string seed = "AWS4" + creds.secret_access_key.reveal();
      crypto::digest k = crypto::hmac_sha256(seed, date);
      wipe(seed);
      k = crypto::hmac_sha256(crypto::as_view(k), region_);
      k = crypto::hmac_sha256(crypto::as_view(k), service_);
      k = crypto::hmac_sha256(crypto::as_view(k), "aws4_request");
      key_.reset(crypto::as_view(k));
      cached_date_ = date;
      cached_key_id_ = creds.access_key_id;
      cached_secret_ = creds.secret_access_key;
    }
    return key_.sign(string_to_sign);
  }

  std::string region_;
  std::string service_;
  mutable std::mutex mutex_;
  mutable std::string cached_date_;
  mutable std::string cached_key_id_;
  mutable sensitive_string cached_secret_;
  mutable crypto::hmac_key key_;
};

}  // namespace ivsrt::sigv4
