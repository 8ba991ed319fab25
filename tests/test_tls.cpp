// TLS against a local HTTPS server with certificates made by openssl in a temporary directory:
// verification is on by default, a self-signed or wrong-host certificate is refused, a custom CA
// bundle is trusted (from the option, AWS_CA_BUNDLE or the profile's ca_bundle, for the service and
// STS alike), and turning verification off is explicit and logged.
#include <openssl/ssl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aws_sandbox.hpp"
#include "catch.hpp"
#include "child_process.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/model/stage.hpp"
#include "recording_server.hpp"

using namespace ivsrt;
using ivsrt_test::aws_sandbox;
using ivsrt_test::received;
using ivsrt_test::recording_server;
using ivsrt_test::reply;
using ivsrt_test::tls_files;

namespace {

// A CA, a certificate it signed for 127.0.0.1, one it signed for another host, and a self-signed
// certificate for 127.0.0.1.
class test_pki {
 public:
  test_pki() {
    openssl_ = ivsrt_test::find_in_path("openssl");
    if (openssl_.empty()) return;
    char dir_template[] = "/tmp/ivsrt-tls-XXXXXX";
    dir_ = mkdtemp(dir_template);
    ok_ = make_key("ca") && run({"req", "-x509", "-new", "-key", path("ca.key"), "-days", "1", "-subj",
                                 "/CN=ivsrt test CA", "-out", path("ca.pem")});
    ok_ = ok_ && signed_cert("good", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    ok_ = ok_ && signed_cert("wrong", "/CN=wrong.example.com", "subjectAltName=DNS:wrong.example.com");
    ok_ = ok_ && make_key("self") &&
          run({"req", "-x509", "-new", "-key", path("self.key"), "-days", "1", "-subj", "/CN=127.0.0.1",
               "-addext", "subjectAltName=IP:127.0.0.1", "-out", path("self.pem")});
  }
  test_pki(const test_pki&) = delete;
  test_pki& operator=(const test_pki&) = delete;
  ~test_pki() {
    if (dir_.empty()) return;
    for (const char* f :
         {"ca.key", "ca.pem", "ca.srl", "good.key", "good.csr", "good.pem", "good.ext", "wrong.key",
          "wrong.csr", "wrong.pem", "wrong.ext", "self.key", "self.pem", "legacy.cnf"}) {
      std::remove(path(f).c_str());
    }
    ::rmdir(dir_.c_str());
  }

  [[nodiscard]] bool available() const { return !openssl_.empty(); }
  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] std::string path(const std::string& name) const { return dir_ + "/" + name; }
  [[nodiscard]] tls_files server(const std::string& name) const {
    return {.cert_pem = path(name + ".pem"), .key_pem = path(name + ".key")};
  }

 private:
  bool run(const std::vector<std::string>& args) {
    const auto r = ivsrt_test::run_process(openssl_, args, {});
    if (r.exit_code != 0) std::fprintf(stderr, "openssl failed: %s\n", r.err.c_str());
    return r.exit_code == 0;
  }
  bool make_key(const std::string& name) {
    return run({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out",
                path(name + ".key")});
  }
  bool signed_cert(const std::string& name, const std::string& subject, const std::string& san) {
    {
      std::FILE* f = std::fopen(path(name + ".ext").c_str(), "w");
      if (f == nullptr) return false;
      std::fprintf(f, "%s\n", san.c_str());
      std::fclose(f);
    }
    return make_key(name) &&
           run({"req", "-new", "-key", path(name + ".key"), "-subj", subject, "-out", path(name + ".csr")}) &&
           run({"x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-days", "1", "-extfile", path(name + ".ext"), "-out",
                path(name + ".pem")});
  }

  std::string openssl_;
  std::string dir_;
  bool ok_ = false;
};

result<client> make_client(const recording_server& server, http::transport_options transport,
                           std::function<void(std::string_view)> log = {}) {
  // The server listens on 127.0.0.1; its URL names the same address with https.
  std::string url = server.url();
  return client::create({.region = "us-west-2",
                         .endpoint_url = url,
                         .credentials = credentials{.access_key_id = "AKIDEXAMPLE",
                                                    .secret_access_key = "secret",
                                                    .session_token = {},
                                                    .expiration = {},
                                                    .account_id = {}},
                         .transport = std::move(transport),
                         .log = std::move(log),
                         .retry = {.max_attempts = 1}});
}

void require_refused(const result<GetStageResponse>& r, const char* why) {
  INFO(why << ": " << (r.ok() ? std::string("succeeded") : r.error().describe()));
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::transport);
  REQUIRE(r.error().code == "tls_failed");
  REQUIRE(r.error().message.find("127.0.0.1") != std::string::npos);
}

}  // namespace

TEST_CASE("TLS verification: on by default, explicit to turn off", "[tls][wire]") {
  aws_sandbox box;  // no AWS_CA_BUNDLE or ca_bundle from the developer's setup
  test_pki pki;
  if (!pki.available()) IVSRT_SKIP("openssl is not installed");
  REQUIRE(pki.ok());
  REQUIRE_FALSE(http::transport_options{}.insecure_skip_tls_verify);

  SECTION("a self-signed certificate is refused") {
    recording_server server(pki.server("self"));
    auto c = make_client(server, {});
    REQUIRE(c.ok());
    const auto r = c->send(GetStageRequest{.arn = "a"});
    require_refused(r, "self-signed");
    REQUIRE(r.error().message.find("certificate") != std::string::npos);
    REQUIRE(server.count() == 0);
  }
  SECTION("a certificate from an unknown CA is refused") {
    recording_server server(pki.server("good"));
    auto c = make_client(server, {});
    require_refused(c->send(GetStageRequest{.arn = "a"}), "unknown CA");
  }
  SECTION("a custom CA bundle is trusted") {
    recording_server server(pki.server("good"));
    auto c = make_client(server, {.ca_bundle = pki.path("ca.pem")});
    const auto r = c->send(GetStageRequest{.arn = "a"});
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    REQUIRE(server.count() == 1);
  }
  SECTION("a certificate for another host is refused, even from a trusted CA") {
    recording_server server(pki.server("wrong"));
    auto c = make_client(server, {.ca_bundle = pki.path("ca.pem")});
    require_refused(c->send(GetStageRequest{.arn = "a"}), "wrong host");
    REQUIRE(server.count() == 0);
  }
  SECTION("a CA bundle that does not exist is an error, not a fallback") {
    recording_server server(pki.server("good"));
    auto c = make_client(server, {.ca_bundle = pki.path("missing.pem")});
    REQUIRE_FALSE(c.ok());
    REQUIRE(c.error().kind == error_kind::configuration);
    REQUIRE(c.error().code == "InvalidCaBundle");
    REQUIRE(c.error().message == "transport_options::ca_bundle names the CA bundle " +
                                     pki.path("missing.pem") +
                                     ", which cannot be read: No such file or directory");
  }
  SECTION("turning verification off takes the named option, and the client says so") {
    recording_server server(pki.server("self"));
    std::vector<std::string> lines;
    auto c = make_client(server, {.insecure_skip_tls_verify = true},
                         [&](std::string_view line) { lines.emplace_back(line); });
    REQUIRE(c.ok());
    REQUIRE(c->send(GetStageRequest{.arn = "a"}).ok());
    bool warned = false;
    for (const auto& l : lines)
      warned = warned || l.find("TLS certificate verification is OFF") != std::string::npos;
    REQUIRE(warned);
  }
}

TEST_CASE("AWS_CA_BUNDLE and ca_bundle: the service and STS trust the CA they name", "[tls][wire]") {
  aws_sandbox box;
  test_pki pki;
  if (!pki.available()) IVSRT_SKIP("openssl is not installed");
  REQUIRE(pki.ok());
  // One HTTPS server stands in for STS (AssumeRoleWithWebIdentity) and for the service.
  recording_server server(pki.server("good"));
  server.set_handler([](const received& r) {
    if (r.body.find("Action=AssumeRoleWithWebIdentity") != std::string::npos) {
      return reply{.status = 200,
                   .header_list = {{"Content-Type", "text/xml"}},
                   .body =
                       "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
                       "<AccessKeyId>ASIATLS</AccessKeyId><SecretAccessKey>tls-secret</SecretAccessKey>"
                       "<SessionToken>tls-token</SessionToken><Expiration>2099-01-01T00:00:00Z"
                       "</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
                       "</AssumeRoleWithWebIdentityResponse>",
                   .delay_ms = 0};
    }
    return reply{
        .status = 200, .header_list = {{"Content-Type", "application/json"}}, .body = "{}", .delay_ms = 0};
  });
  box.set("AWS_ENDPOINT_URL", server.url());
  box.set("AWS_REGION", "us-west-2");
  box.set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/tls");
  box.set("AWS_WEB_IDENTITY_TOKEN_FILE", box.write("web-token", "web-identity-token"));
  auto call = [](client_options o = {}) -> result<GetStageResponse> {
    o.retry.max_attempts = 1;
    auto c = client::create(std::move(o));
    if (!c) return c.error();
    return c->send(GetStageRequest{.arn = "a"});
  };
  auto require_sent = [&](const result<GetStageResponse>& r, std::size_t requests) {
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    const auto got = server.requests();
    REQUIRE(got.size() == requests);
    REQUIRE(got.front().body.find("Action=AssumeRoleWithWebIdentity") != std::string::npos);
    REQUIRE(got.back().header("X-Amz-Security-Token") == "tls-token");
  };

  // Without a bundle the private CA is unknown: STS, the first request, is refused.
  auto refused = call();
  REQUIRE_FALSE(refused.ok());
  INFO(refused.error().describe());
  REQUIRE(refused.error().code == "tls_failed");
  REQUIRE(server.count() == 0);

  box.set("AWS_CA_BUNDLE", pki.path("ca.pem"));
  std::vector<std::string> lines;
  require_sent(call({.log = [&](std::string_view l) { lines.emplace_back(l); }}), 2);
  REQUIRE(std::find(lines.begin(), lines.end(),
                    "TLS: trusting the CAs in " + pki.path("ca.pem") + " (from AWS_CA_BUNDLE)") !=
          lines.end());

  box.unset("AWS_CA_BUNDLE");
  box.config("[default]\nca_bundle = " + pki.path("ca.pem") + "\n");
  require_sent(call(), 4);

  // The option comes first, then the environment, then the profile.
  box.set("AWS_CA_BUNDLE", pki.path("missing.pem"));
  require_sent(call({.transport = {.ca_bundle = pki.path("ca.pem")}}), 6);
  auto missing = call();
  REQUIRE(missing.error().code == "InvalidCaBundle");
  REQUIRE(missing.error().message == "AWS_CA_BUNDLE names the CA bundle " + pki.path("missing.pem") +
                                         ", which cannot be read: No such file or directory");
  // Neither setting is read when the caller chose a CA directory or turned verification off.
  REQUIRE(client::create({.transport = {.ca_path = box.dir().string()}}).ok());
  REQUIRE(client::create({.transport = {.insecure_skip_tls_verify = true}}).ok());
  box.unset("AWS_CA_BUNDLE");
  box.config("[default]\nca_bundle = " + box.write("empty.pem", "") + "\n");
  auto empty = call();
  REQUIRE(empty.error().code == "InvalidCaBundle");
  REQUIRE(empty.error().message == "ca_bundle in profile default names the CA bundle " +
                                       box.path("empty.pem") + ", which cannot be read: it is empty");
  box.config("[default]\nca_bundle = " + box.dir().string() + "\n");
  REQUIRE(call().error().message.find("which cannot be read: Is a directory") != std::string::npos);
  REQUIRE(server.count() == 6);
}

TEST_CASE("cli: --no-verify-ssl always warns", "[tls][cli][wire]") {
  test_pki pki;
  if (!pki.available()) IVSRT_SKIP("openssl is not installed");
  REQUIRE(pki.ok());
  recording_server server(pki.server("self"));
  std::string url = server.url();
  const auto r = ivsrt_test::run_process(
      IVSRT_CLI_PATH, {"--endpoint-url", url, "--no-verify-ssl", "get-stage", "--arn", "a"},
      {"AWS_ACCESS_KEY_ID=AKID", "AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-west-2"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.err.find("TLS certificate verification is off") != std::string::npos);
}

// The floor of TLS 1.2 is the client's own. The CLI runs as a process with an OpenSSL
// configuration that allows TLS 1.0 and 1.1, since Debian's own already sets 1.2 as the floor.
TEST_CASE("TLS 1.0 and 1.1 are refused even where OpenSSL's configuration allows them", "[tls][cli][wire]") {
  test_pki pki;
  if (!pki.available()) IVSRT_SKIP("openssl is not installed");
  REQUIRE(pki.ok());
  const std::string conf = pki.path("legacy.cnf");
  {
    std::FILE* f = std::fopen(conf.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs(
        "openssl_conf = init\n[init]\nssl_conf = ssl\n[ssl]\nsystem_default = tls\n[tls]\n"
        "MinProtocol = TLSv1\nCipherString = DEFAULT@SECLEVEL=0\n",
        f);
    std::fclose(f);
  }
  auto call = [&](int max_version, std::size_t& received) {
    tls_files files = pki.server("good");
    files.max_version = max_version;
    recording_server server(files);
    auto r = ivsrt_test::run_process(IVSRT_CLI_PATH,
                                     {"--endpoint-url", server.url(), "--ca-bundle", pki.path("ca.pem"),
                                      "--cli-read-timeout", "5", "get-stage", "--arn", "a"},
                                     {"AWS_ACCESS_KEY_ID=AKID", "AWS_SECRET_ACCESS_KEY=secret",
                                      "AWS_REGION=us-west-2", "OPENSSL_CONF=" + conf});
    received = server.count();
    return r;
  };
  std::size_t received = 0;
  const auto modern = call(TLS1_2_VERSION, received);
  INFO(modern.err);
  REQUIRE(modern.exit_code == 0);
  REQUIRE(received == 1);
  for (const int version : {TLS1_VERSION, TLS1_1_VERSION}) {
    const auto r = call(version, received);
    INFO(version << ": " << r.err);
    REQUIRE(r.exit_code != 0);
    REQUIRE(r.err.find("tls_failed") != std::string::npos);
    REQUIRE(received == 0);
  }
}
