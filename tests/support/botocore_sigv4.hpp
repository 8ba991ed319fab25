// Random requests that botocore signed (tests/support/botocore_sigv4.py writes them, one per line)
// and the check that ivsrt's signer gives the same canonical request and signature for each.
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "ivsrt/sigv4.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt_test {

// One line of tests/support/botocore_sigv4.py's output: the request and botocore's answers.
struct botocore_case {
  std::string method, path, query, headers, payload, time, token, canonical_sha256, signature;
};

inline std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

inline std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out(1);
  for (char c : text) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

inline std::vector<botocore_case> read_botocore_cases(std::istream& in) {
  std::vector<botocore_case> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto f = split(line, '\t');
    REQUIRE(f.size() == 9);
    out.push_back({from_hex(f[0]), from_hex(f[1]), from_hex(f[2]), from_hex(f[3]), from_hex(f[4]),
                   from_hex(f[5]), from_hex(f[6]), f[7], f[8]});
  }
  return out;
}

// "name\x1dvalue" items joined by \x1e.
inline std::vector<std::pair<std::string, std::string>> pairs_of(const std::string& list) {
  std::vector<std::pair<std::string, std::string>> out;
  if (list.empty()) return out;
  for (const std::string& item : split(list, '\x1e')) {
    auto nv = split(item, '\x1d');
    REQUIRE(nv.size() == 2);
    out.emplace_back(nv[0], nv[1]);
  }
  return out;
}

// Signs each case with ivsrt; every canonical request and signature must be botocore's.
inline void require_botocore_signatures(const std::vector<botocore_case>& cases) {
  const ivsrt::sigv4::signer s("us-west-2", "ivs");
  for (const auto& c : cases) {
    const auto query = pairs_of(c.query);
    const auto headers = pairs_of(c.headers);
    ivsrt::sigv4::request r{
        .method = c.method, .path = c.path, .query = {}, .headers = {}, .payload = c.payload};
    for (const auto& [name, value] : query) r.query.push_back({name, value});
    for (const auto& [name, value] : headers) r.headers.push_back({name, value});
    ivsrt::credentials creds{.access_key_id = "AKIDEXAMPLE",
                             .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                             .session_token = {},
                             .expiration = {},
                             .account_id = {}};
    if (!c.token.empty()) creds.session_token = ivsrt::sensitive_string(c.token);
    const auto out = s.sign(r, creds, *ivsrt::parse_timestamp(c.time));
    INFO(c.method << " " << c.path << "\nivsrt's canonical request:\n" << out.canonical_request);
    CHECK(ivsrt::crypto::hex(ivsrt::crypto::sha256(out.canonical_request)) == c.canonical_sha256);
    CHECK(out.signature == c.signature);
  }
}

}  // namespace ivsrt_test
