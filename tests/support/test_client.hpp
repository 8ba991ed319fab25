// What the wire tests share to talk to a loopback server: the example credentials, a client
// pointed at the server, a JSON reply as the service sends it, and the SigV4 check of a request.
#pragma once

#include <string>
#include <utility>

#include "catch.hpp"
#include "child_process.hpp"
#include "ivsrt/client.hpp"
#include "recording_server.hpp"

namespace ivsrt_test {

// The example secret of the AWS documentation, paired with the access key id AKIDEXAMPLE.
inline constexpr const char* kExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

inline ivsrt::credentials example_credentials() {
  return ivsrt::credentials{.access_key_id = "AKIDEXAMPLE",
                            .secret_access_key = kExampleSecret,
                            .session_token = {},
                            .expiration = {},
                            .account_id = {}};
}

// A client of the server at url in us-west-2, with the example credentials unless o names others.
inline ivsrt::client make_client(const std::string& url, ivsrt::client_options o = {}) {
  o.region = "us-west-2";
  o.endpoint_url = url;
  if (!o.credentials && !o.credentials_provider) o.credentials = example_credentials();
  auto c = ivsrt::client::create(std::move(o));
  REQUIRE(c.ok());
  return *c;
}

inline ivsrt::client make_client(const recording_server& server, ivsrt::client_options o = {}) {
  return make_client(server.url(), std::move(o));
}

inline reply json_reply(std::string body, int status = 200, std::string request_id = "req-123") {
  return reply{
      .status = status,
      .header_list = {{"Content-Type", "application/json"}, {"x-amzn-RequestId", std::move(request_id)}},
      .body = std::move(body),
      .delay_ms = 0};
}

// Requires r to carry a valid SigV4 signature by the example credentials for IVS in us-west-2.
inline void require_signed(const received& r) {
  const std::string problem = verify_sigv4(r, kExampleSecret, "us-west-2", "ivs");
  INFO(problem);
  REQUIRE(problem.empty());
}

// A self-signed certificate for 127.0.0.1 and its key, written into dir by the openssl program.
inline tls_files loopback_certificate(const std::string& openssl, const std::string& dir) {
  tls_files files{.cert_pem = dir + "/cert.pem", .key_pem = dir + "/key.pem"};
  const auto made =
      run_process(openssl,
                  {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                   "-keyout", files.key_pem, "-out", files.cert_pem},
                  {});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  return files;
}

}  // namespace ivsrt_test
