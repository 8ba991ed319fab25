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
  if (!normalize) {
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

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Trims and folds runs of whitespace (including folded line breaks) into one space.
inline std::string trim_all(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

struct canonical_headers {
  std::string block;   // "name:value\n" lines
  std::string names;   // "a;b;c"
};

inline canonical_headers canonicalize(const std::vector<std::pair<std::string, std::string>>& in) {
  std::vector<std::pair<std::string, std::string>> hs;
  hs.reserve(in.size());
  for (const auto& [n, v] : in) hs.emplace_back(lower(n), trim_all(v));
  std::stable_sort(hs.begin(), hs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  canonical_headers out;
  for (std::size_t i = 0; i < hs.size(); ++i) {
    if (i > 0 && hs[i].first == hs[i - 1].first) {
      out.block.back() = ',';  // repeated header: values joined with commas
      out.block += hs[i].second;
      out.block += '\n';
      continue;
    }
    if (!out.names.empty()) out.names += ';';
    out.names += hs[i].first;
    out.block += hs[i].first;
    out.block += ':';
    out.block += hs[i].second;
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
    std::vector<std::pair<std::string, std::string>> headers;
    headers.reserve(req.headers.size() + 3);
    for (const auto& h : req.headers) headers.emplace_back(h.name, h.value);
    headers.emplace_back("x-amz-date", out.amz_date);
    if (how.sign_content_sha256) headers.emplace_back("x-amz-content-sha256", out.content_sha256);
    if (creds.session_token && !how.omit_session_token) {
      headers.emplace_back("x-amz-security-token", creds.session_token->reveal());
    }
    const detail::canonical_headers ch = detail::canonicalize(headers);
    out.signed_headers = ch.names;
    finish(out, req, canonical_query(req.query), ch.block, creds, how.normalize_path);
    out.authorization.reserve(200);
    out.authorization = std::string(algorithm) + " Credential=" + creds.access_key_id + "/" +
                        scope(out.amz_date) + ", SignedHeaders=" + out.signed_headers +
                        ", Signature=" + out.signature;
    return out;
  }

  // Signs for a presigned URL: out.query holds the X-Amz-* parameters to add to the URL.
  [[nodiscard]] signed_parts presign(const request& req, const credentials& creds, timestamp when,
                                     std::int64_t expires_seconds, const settings& how = {}) const {
    signed_parts out;
    out.amz_date = amz_date(when);
    out.content_sha256 = crypto::hex(crypto::sha256(req.payload));
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& h : req.headers) headers.emplace_back(h.name, h.value);
    const detail::canonical_headers ch = detail::canonicalize(headers);
    out.signed_headers = ch.names;
    out.query = {{"X-Amz-Algorithm", std::string(algorithm)},
                 {"X-Amz-Credential", creds.access_key_id + "/" + scope(out.amz_date)},
                 {"X-Amz-Date", out.amz_date},
                 {"X-Amz-Expires", std::to_string(expires_seconds)},
                 {"X-Amz-SignedHeaders", out.signed_headers}};
    if (creds.session_token && !how.omit_session_token) {
      out.query.emplace_back("X-Amz-Security-Token", creds.session_token->reveal());
    }
    std::vector<query_param> all(req.query);
    for (const auto& [k, v] : out.query) all.push_back({k, v});
    finish(out, req, canonical_query(all), ch.block, creds, how.normalize_path);
    out.query.emplace_back("X-Amz-Signature", out.signature);
    return out;
  }

 private:
  [[nodiscard]] std::string scope(std::string_view date_time) const {
    return std::string(date_time.substr(0, 8)) + "/" + region_ + "/" + service_ + "/aws4_request";
  }

  void finish(signed_parts& out, const request& req, const std::string& query,
              const std::string& header_block, const credentials& creds, bool normalize) const {
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
    sts += scope(out.amz_date);
    sts += '\n';
    sts += crypto::hex(crypto::sha256(cr));
    out.signature = crypto::hex(signing_key_sign(creds, out.amz_date.substr(0, 8), sts));
  }

  // HMAC of the string to sign with the day's signing key, derived only when the day, the
  // credentials or the scope change.
  crypto::digest signing_key_sign(const credentials& creds, const std::string& date,
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
