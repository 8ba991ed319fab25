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

#include "ivsrt/ascii.hpp"
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
  std::string signature;                                   // hex
  std::string amz_date;                                    // X-Amz-Date value
  std::string content_sha256;                              // hex SHA-256 of the payload
  std::string signed_headers;                              // "host;x-amz-date"
  std::string authorization;                               // full Authorization header value (header signing)
  std::vector<std::pair<std::string, std::string>> query;  // X-Amz-* parameters (query signing)
};

// Appends "YYYYMMDDTHHMMSSZ" of t (to the second).
inline void append_amz_date(std::string& out, timestamp t) {
  const ivsrt::detail::civil_time c =
      ivsrt::detail::civil_time_of(std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
  char buf[16];
  char* p = ivsrt::detail::put_digits(buf, c.date.year, 4);
  p = ivsrt::detail::put_digits(p, c.date.month, 2);
  p = ivsrt::detail::put_digits(p, c.date.day, 2);
  *p++ = 'T';
  p = ivsrt::detail::put_digits(p, c.hour, 2);
  p = ivsrt::detail::put_digits(p, c.minute, 2);
  p = ivsrt::detail::put_digits(p, c.second, 2);
  *p = 'Z';
  out.append(buf, sizeof buf);
}

// "YYYYMMDDTHHMMSSZ" of t.
inline std::string amz_date(timestamp t) {
  std::string out;
  append_amz_date(out, t);
  return out;  // 20150830T123600Z
}

// Appends the canonical URI: dot segments resolved and empty segments dropped (unless
// normalisation is off), then every segment percent-encoded, so an already-encoded path is
// encoded twice. The result ends in '/' only where the path does, as botocore, the SDK for
// JavaScript v3 and the Rust SDK have it ("/a/b/.." is "/a"; RFC 3986 would keep "/a/").
inline void append_canonical_uri(std::string& out, std::string_view path, bool normalize) {
  if (path.empty()) {
    out += '/';
    return;
  }
  // Without empty or dot segments, normalising changes nothing: encode in one pass.
  const bool plain = path.front() == '/' && path.find("//") == std::string_view::npos &&
                     path.find("/.") == std::string_view::npos;
  if (!normalize || plain) {
    uri::append_encoded(out, path, true);
    return;
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
  const std::size_t begin = out.size();
  for (std::string_view seg : segments) {
    out += '/';
    uri::append_encoded(out, seg);
  }
  if (out.size() == begin || path.back() == '/') out += '/';
}

inline std::string canonical_uri(std::string_view path, bool normalize) {
  std::string out;
  out.reserve(path.size() + 16);
  append_canonical_uri(out, path, normalize);
  return out;
}

// Appends the canonical query string: names and values RFC 3986 encoded, sorted by name then value.
inline void append_canonical_query(std::string& out, const std::vector<query_param>& params) {
  if (params.empty()) return;
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& p : params) encoded.emplace_back(uri::encode(p.name), uri::encode(p.value));
  std::sort(encoded.begin(), encoded.end());
  bool first = true;
  for (const auto& [k, v] : encoded) {
    if (!first) out += '&';
    first = false;
    out += k;
    out += '=';
    out += v;
  }
}

inline std::string canonical_query(const std::vector<query_param>& params) {
  std::string out;
  append_canonical_query(out, params);
  return out;
}

namespace detail {

inline void append_lower(std::string& out, std::string_view s) {
  const std::size_t at = out.size();
  out.append(s);
  for (std::size_t i = at; i < out.size(); ++i) out[i] = ascii::to_lower(out[i]);
}

// Appends v trimmed, with runs of whitespace (including folded line breaks) folded into one space.
inline void append_trimmed(std::string& out, std::string_view v) {
  v = ascii::trim(v);
  // Most values have nothing to fold: copy them whole. Only a byte up to ' ' needs a closer look.
  // (v ends in a non-space, so v[i + 1] exists.)
  bool plain = true;
  for (std::size_t i = 0; i < v.size() && plain; ++i) {
    plain = static_cast<unsigned char>(v[i]) > ' ' || !ascii::is_space(v[i]) ||
            (v[i] == ' ' && !ascii::is_space(v[i + 1]));
  }
  if (plain) {
    out.append(v);
    return;
  }
  bool space = false;
  for (char c : v) {
    if (ascii::is_space(c)) {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
}

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

// Sorts by lower-cased name (repeated headers keep their order) without copying a name, then
// appends the "name:value\n" lines to block and "a;b;c" to names.
inline void canonicalize(std::vector<header_ref>& hs, std::string& block, std::string& names) {
  // Insertion sort: stable, allocation-free, and quickest for the handful of headers a request has.
  for (std::size_t i = 1; i < hs.size(); ++i) {
    const header_ref h = hs[i];
    std::size_t j = i;
    for (; j > 0 && name_less(h.name, hs[j - 1].name); --j) hs[j] = hs[j - 1];
    hs[j] = h;
  }
  const std::size_t names_at = names.size();
  for (std::size_t i = 0; i < hs.size(); ++i) {
    if (i > 0 && !name_less(hs[i - 1].name, hs[i].name)) {
      block.back() = ',';  // repeated header: values joined with commas
      append_trimmed(block, hs[i].value);
      block += '\n';
      continue;
    }
    if (names.size() > names_at) names += ';';
    append_lower(names, hs[i].name);
    append_lower(block, hs[i].name);
    block += ':';
    append_trimmed(block, hs[i].value);
    block += '\n';
  }
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
    sign_into(req, creds, when, out, how);
    return out;
  }

  // sign() into out, whose strings are overwritten and keep their capacity, so a caller that
  // signs again and again with the same signed_parts allocates nothing once they have grown.
  void sign_into(const request& req, const credentials& creds, timestamp when, signed_parts& out,
                 const settings& how = {}) const {
    begin(req, when, out);
    thread_local std::vector<detail::header_ref> headers;
    headers.clear();
    for (const auto& h : req.headers) headers.push_back({h.name, h.value});
    headers.push_back({"x-amz-date", out.amz_date});
    if (how.sign_content_sha256) headers.push_back({"x-amz-content-sha256", out.content_sha256});
    if (creds.session_token && !how.omit_session_token) {
      headers.push_back({"x-amz-security-token", creds.session_token->reveal()});
    }
    std::string& cr = out.canonical_request;
    canonical_start(cr, req, how.normalize_path);
    append_canonical_query(cr, req.query);
    cr += '\n';
    detail::canonicalize(headers, cr, out.signed_headers);
    headers.clear();
    finish(out, creds);
    const std::string_view scope_text = scope_of(out);
    std::string& a = out.authorization;
    a.clear();
    a.reserve(algorithm.size() + creds.access_key_id.size() + scope_text.size() + out.signed_headers.size() +
              out.signature.size() + 40);
    a.append(algorithm).append(" Credential=").append(creds.access_key_id).append("/").append(scope_text);
    a.append(", SignedHeaders=").append(out.signed_headers).append(", Signature=").append(out.signature);
  }

  // Signs for a presigned URL: out.query holds the X-Amz-* parameters to add to the URL.
  [[nodiscard]] signed_parts presign(const request& req, const credentials& creds, timestamp when,
                                     std::int64_t expires_seconds, const settings& how = {}) const {
    signed_parts out;
    begin(req, when, out);
    std::vector<detail::header_ref> headers;
    for (const auto& h : req.headers) headers.push_back({h.name, h.value});
    std::string header_block;
    detail::canonicalize(headers, header_block, out.signed_headers);
    std::string scope_text;
    append_scope(scope_text, out.amz_date);
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
    std::string& cr = out.canonical_request;
    canonical_start(cr, req, how.normalize_path);
    append_canonical_query(cr, all);
    cr += '\n';
    cr += header_block;
    finish(out, creds);
    out.query.emplace_back("X-Amz-Signature", out.signature);
    return out;
  }

 private:
  // Clears out and fills in the signing time and the payload hash.
  static void begin(const request& req, timestamp when, signed_parts& out) {
    out.amz_date.clear();
    append_amz_date(out.amz_date, when);
    const crypto::digest payload = crypto::sha256(req.payload);
    out.content_sha256.clear();
    crypto::append_hex(out.content_sha256, payload.data(), payload.size());
    out.signed_headers.clear();
    out.canonical_request.clear();
    out.string_to_sign.clear();
    out.signature.clear();
    out.authorization.clear();
    out.query.clear();
  }

  // The canonical request up to its query: "METHOD\n/canonical/uri\n".
  static void canonical_start(std::string& cr, const request& req, bool normalize) {
    cr.reserve(512);
    cr.append(req.method);
    cr += '\n';
    append_canonical_uri(cr, req.path, normalize);
    cr += '\n';
  }

  void append_scope(std::string& out, std::string_view date_time) const {
    out.append(date_time.substr(0, 8)).append("/").append(region_).append("/").append(service_);
    out.append("/aws4_request");
  }

  // The scope inside out.string_to_sign (its third line).
  static std::string_view scope_of(const signed_parts& out) noexcept {
    const std::string_view sts = out.string_to_sign;
    const std::size_t from = algorithm.size() + 1 + out.amz_date.size() + 1;
    return sts.substr(from, sts.rfind('\n') - from);
  }

  // Completes the canonical request (its header lines are in place), then hashes it into the
  // string to sign and signs that.
  void finish(signed_parts& out, const credentials& creds) const {
    std::string& cr = out.canonical_request;
    cr += '\n';
    cr += out.signed_headers;
    cr += '\n';
    cr += out.content_sha256;

    std::string& sts = out.string_to_sign;
    sts.reserve(algorithm.size() + out.amz_date.size() + region_.size() + service_.size() + 96);
    sts.append(algorithm);
    sts += '\n';
    sts += out.amz_date;
    sts += '\n';
    append_scope(sts, out.amz_date);
    sts += '\n';
    const crypto::digest cr_hash = crypto::sha256(cr);
    crypto::append_hex(sts, cr_hash.data(), cr_hash.size());
    const crypto::digest sig = signing_key_sign(creds, std::string_view(out.amz_date).substr(0, 8), sts);
    crypto::append_hex(out.signature, sig.data(), sig.size());
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
