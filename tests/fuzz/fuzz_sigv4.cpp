// libFuzzer entry for SigV4 canonicalization of arbitrary requests: the input is split at NUL bytes
// into a method, a path, query names and values, and header names and values. Signing the same
// request twice must give the same signature, and the canonical request must hold the signed
// header names.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "ivsrt/sigv4.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= input.size() && parts.size() < 64) {
    const std::size_t end = std::min(input.find('\0', start), input.size());
    parts.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  while (parts.size() < 3) parts.emplace_back();
  ivsrt::sigv4::request req;
  req.method = parts[0];
  req.path = parts[1];
  req.payload = parts[2];
  req.headers.push_back({"host", "ivsrealtime.us-west-2.amazonaws.com"});
  for (std::size_t i = 3; i + 1 < parts.size(); i += 2) {
    if ((parts[i].size() & 1) != 0) {
      req.query.push_back({parts[i], parts[i + 1]});
    } else {
      req.headers.push_back({parts[i], parts[i + 1]});
    }
  }
  const ivsrt::credentials creds{.access_key_id = "AKIDEXAMPLE",
                                 .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                 .session_token = ivsrt::sensitive_string("token"),
                                 .expiration = {},
                                 .account_id = {}};
  const ivsrt::sigv4::signer signer("us-west-2", "ivs");
  const ivsrt::timestamp when{std::chrono::seconds(1440938160)};
  const auto a = signer.sign(req, creds, when, {.normalize_path = (size & 1) != 0});
  const auto b = signer.sign(req, creds, when, {.normalize_path = (size & 1) != 0});
  if (a.signature != b.signature || a.canonical_request != b.canonical_request) std::abort();
  if (a.canonical_request.find(a.signed_headers) == std::string::npos) std::abort();
  (void)ivsrt::sigv4::canonical_uri(req.path, false);
  (void)ivsrt::sigv4::canonical_query(req.query);
  return 0;
}
