// SigV4: known answers (the AWS documentation's worked example and IVS-shaped requests whose
// signatures an independent implementation, botocore, produced), random requests botocore signed
// (recorded in tests/data), and every case of the published AWS SigV4
// test suite when ../shared/testdata/sigv4 is present.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "botocore_sigv4.hpp"
#include "catch.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/sigv4.hpp"

namespace fs = std::filesystem;
using namespace ivsrt;

namespace {

const credentials example_creds{.access_key_id = "AKIDEXAMPLE",
                                .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                .session_token = {},
                                .expiration = {},
                                .account_id = {}};

timestamp at(const char* iso) {
  return *parse_timestamp(iso);
}

}  // namespace

TEST_CASE("SHA-256 and HMAC-SHA-256 give the published answers (FIPS 180-2, RFC 4231)", "[sigv4]") {
  CHECK(crypto::hex(crypto::sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(crypto::hex(crypto::sha256("")) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // RFC 4231 cases 1, 2 and 6: a short key, a key shorter than the data, and a key longer than a
  // block (hashed first).
  CHECK(crypto::hex(crypto::hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(crypto::hex(crypto::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const crypto::hmac_key long_key(std::string(131, '\xaa'));
  CHECK(crypto::hex(long_key.sign("Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // The same key signs again and again from its kept pad states.
  CHECK(crypto::hex(long_key.sign("Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("the AWS documentation's worked example (IAM ListUsers)", "[sigv4]") {
  sigv4::signer s("us-east-1", "iam");
  sigv4::request r{.method = "GET",
                   .path = "/",
                   .query = {{"Action", "ListUsers"}, {"Version", "2010-05-08"}},
                   .headers = {{"Host", "iam.amazonaws.com"},
                               {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                   .payload = ""};
  auto out = s.sign(r, example_creds, at("2015-08-30T12:36:00Z"));
  REQUIRE(out.signed_headers == "content-type;host;x-amz-date");
  REQUIRE(crypto::hex(crypto::sha256(out.canonical_request)) ==
          "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  REQUIRE(out.signature == "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  REQUIRE(out.authorization ==
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
          "SignedHeaders=content-type;host;x-amz-date, "
          "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST_CASE("IVS-shaped requests sign as botocore signs them", "[sigv4]") {
  sigv4::signer s("us-west-2", "ivs");
  const timestamp t = at("2024-01-01T00:00:00Z");
  const std::string host = "ivsrealtime.us-west-2.amazonaws.com";
  const std::string arn_path = "/tags/arn%3Aaws%3Aivs%3Aus-west-2%3A123456789012%3Astage%2FabcdABCD1234";

  SECTION("POST with a JSON body") {
    sigv4::request r{.method = "POST",
                     .path = "/CreateStage",
                     .query = {},
                     .headers = {{"Host", host}, {"Content-Type", "application/json"}},
                     .payload = R"({"name":"demo"})"};
    REQUIRE(s.sign(r, example_creds, t).signature ==
            "4862a125d85662cb258b57d939efa97e50b969036069d22ebd37bb051cab7a34");
  }
  SECTION("GET with an encoded ARN label and a session token") {
    credentials c = example_creds;
    c.session_token = sensitive_string("FQoGZXIvYXdzEXAMPLETOKEN/+=");
    sigv4::request r{
        .method = "GET", .path = arn_path, .query = {}, .headers = {{"Host", host}}, .payload = ""};
    auto out = s.sign(r, c, t);
    REQUIRE(out.signed_headers == "host;x-amz-date;x-amz-security-token");
    REQUIRE(out.canonical_request.find("/tags/arn%253Aaws%253Aivs%253Aus-west-2") != std::string::npos);
    REQUIRE(out.signature == "51222722fe01af8fc395588c708296f1c28f680a665b2a6351abad69dc9d380d");
  }
  SECTION("DELETE with repeated query keys") {
    sigv4::request r{.method = "DELETE",
                     .path = arn_path,
                     .query = {{"tagKeys", "b key"}, {"tagKeys", "a"}},
                     .headers = {{"Host", host}},
                     .payload = ""};
    auto out = s.sign(r, example_creds, t);
    REQUIRE(out.canonical_request.find("\ntagKeys=a&tagKeys=b%20key\n") != std::string::npos);
    REQUIRE(out.signature == "353bfe5a2440be8fcfb5b9154a0a51f57fd09a59336af40a785d56651d97f005");
  }
}

TEST_CASE("the signing key follows the day and the credentials", "[sigv4]") {
  sigv4::signer s("us-east-1", "ivs");
  sigv4::request r{
      .method = "POST", .path = "/GetStage", .query = {}, .headers = {{"host", "h"}}, .payload = "{}"};
  const auto a = s.sign(r, example_creds, at("2024-01-01T10:00:00Z")).signature;
  REQUIRE(s.sign(r, example_creds, at("2024-01-01T10:00:00Z")).signature == a);
  REQUIRE(s.sign(r, example_creds, at("2024-01-02T10:00:00Z")).signature != a);
  credentials other = example_creds;
  other.secret_access_key = "another-secret";
  REQUIRE(s.sign(r, other, at("2024-01-01T10:00:00Z")).signature != a);
  REQUIRE(s.sign(r, example_creds, at("2024-01-01T10:00:00Z")).signature == a);
}

TEST_CASE("sign_into reuses its buffers and signs exactly as sign() does", "[sigv4]") {
  sigv4::signer s("us-west-2", "ivs");
  const timestamp t = at("2024-01-01T00:00:00Z");
  credentials with_token = example_creds;
  with_token.session_token = sensitive_string("FQoGZXIvYXdzEXAMPLETOKEN/+=");
  const sigv4::request long_one{.method = "DELETE",
                                .path = "/tags/arn%3Aaws%3Aivs%3Aus-west-2%3A123456789012%3Astage%2Fa",
                                .query = {{"tagKeys", "b key"}, {"tagKeys", "a"}},
                                .headers = {{"Host", "ivsrealtime.us-west-2.amazonaws.com"},
                                            {"X-Custom", "  folded   value\t "},
                                            {"x-custom", "second"}},
                                .payload = ""};
  const sigv4::request short_one{
      .method = "POST", .path = "/GetStage", .query = {}, .headers = {{"host", "h"}}, .payload = "{}"};
  const credentials* const both[] = {&with_token, &example_creds};
  const sigv4::request* const in_turn[] = {&long_one, &short_one, &long_one};
  sigv4::signed_parts reused;
  for (const credentials* creds : both) {
    for (const sigv4::request* r : in_turn) {
      s.sign_into(*r, *creds, t, reused);
      const sigv4::signed_parts fresh = s.sign(*r, *creds, t);
      CHECK(reused.canonical_request == fresh.canonical_request);
      CHECK(reused.string_to_sign == fresh.string_to_sign);
      CHECK(reused.signed_headers == fresh.signed_headers);
      CHECK(reused.authorization == fresh.authorization);
      CHECK(reused.amz_date == "20240101T000000Z");
    }
  }
  s.sign_into(long_one, example_creds, t, reused);
  CHECK(reused.canonical_request.find("x-custom:folded value,second\n") != std::string::npos);
}

TEST_CASE("header values with a control character anywhere are refused", "[sigv4]") {
  // field_value_ok reads eight bytes at a time: put each byte value at each position of values
  // of several lengths, across and inside word boundaries.
  for (std::size_t len = 1; len <= 19; ++len) {
    for (std::size_t at_pos = 0; at_pos < len; ++at_pos) {
      for (int b = 0; b < 256; ++b) {
        std::string v(len, 'a');
        v[at_pos] = static_cast<char>(b);
        const bool expected = (b >= 0x20 || b == '\t') && b != 0x7F;
        if (http::field_value_ok(v) != expected) FAIL("byte " << b << " at " << at_pos << " of " << len);
      }
    }
  }
  CHECK(http::field_value_ok(std::string(40, '\t')));
  CHECK(http::field_value_ok(""));
}

TEST_CASE("canonical URIs", "[sigv4]") {
  REQUIRE(sigv4::canonical_uri("", true) == "/");
  REQUIRE(sigv4::canonical_uri("/a%2Fb", true) == "/a%252Fb");
  REQUIRE(sigv4::canonical_uri("//a/./b/../c//", true) == "/a/c/");
  REQUIRE(sigv4::canonical_uri("/a/..", true) == "/");
  // A trailing slash only where the path has one, as the AWS SDKs resolve dot segments.
  REQUIRE(sigv4::canonical_uri("/a/b/..", true) == "/a");
  REQUIRE(sigv4::canonical_uri("/a/b/.", true) == "/a/b");
  REQUIRE(sigv4::canonical_uri("/a/b/../", true) == "/a/");
  REQUIRE(sigv4::canonical_uri("a/./b", true) == "/a/b");
  REQUIRE(sigv4::canonical_uri("//a//", false) == "//a//");
}

// ---- Random requests against botocore ------------------------------------------------------

TEST_CASE("random requests sign as botocore signs them", "[sigv4][botocore]") {
  // Recorded: 200 requests with dot and empty path segments, repeated and empty query names,
  // repeated header names in any case, folded whitespace, non-ASCII text and session tokens. The
  // wire tests draw 1000 more afresh where botocore is installed.
  std::ifstream recorded(std::string(IVSRT_TEST_SOURCE_DIR) + "/data/botocore_sigv4.txt");
  REQUIRE(recorded);
  const auto cases = ivsrt_test::read_botocore_cases(recorded);
  REQUIRE(cases.size() == 200);
  ivsrt_test::require_botocore_signatures(cases);
}

// ---- The published test suite -------------------------------------------------------------

namespace {

struct suite_credentials {
  std::string access_key_id{};
  std::string secret_access_key{};
  ivsrt::optional<std::string> token{};
};
struct suite_context {
  suite_credentials credentials{};
  std::int64_t expiration_in_seconds{};
  bool normalize{};
  std::string region{};
  std::string service{};
  bool sign_body{};
  std::string timestamp{};
  ivsrt::optional<bool> omit_session_token{};
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A request.txt / .req file, parsed into owned strings that a sigv4::request can point at.
struct parsed_request {
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  [[nodiscard]] sigv4::request view() const {
    sigv4::request r{.method = method, .path = path, .query = {}, .headers = {}, .payload = body};
    for (const auto& [k, v] : query) r.query.push_back({k, v});
    for (const auto& [k, v] : headers) r.headers.push_back({k, v});
    return r;
  }
};

parsed_request parse_request(const std::string& text) {
  parsed_request out;
  std::size_t pos = text.find('\n');
  const std::string line = text.substr(0, pos);
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = line.rfind(' ');
  out.method = line.substr(0, sp1);
  const std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::size_t q = target.find('?');
  out.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string_view qs = std::string_view(target).substr(q + 1);
    while (!qs.empty()) {
      const std::size_t amp = qs.find('&');
      std::string_view kv = qs.substr(0, amp);
      const std::size_t eq = kv.find('=');
      out.query.emplace_back(*uri::decode(kv.substr(0, eq)),
                             eq == std::string_view::npos ? "" : *uri::decode(kv.substr(eq + 1)));
      qs = amp == std::string_view::npos ? std::string_view{} : qs.substr(amp + 1);
    }
  }
  while (pos != std::string::npos && pos + 1 <= text.size()) {
    const std::size_t next = text.find('\n', pos + 1);
    std::string l = text.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
    pos = next;
    if (l.empty()) {
      if (pos != std::string::npos) out.body = text.substr(pos + 1);
      break;
    }
    if ((l[0] == ' ' || l[0] == '\t') && !out.headers.empty()) {
      out.headers.back().second += "\n" + l;  // folded continuation line
      continue;
    }
    const std::size_t colon = l.find(':');
    out.headers.emplace_back(l.substr(0, colon), l.substr(colon + 1));
  }
  return out;
}

fs::path suite_dir() {
  return fs::path(IVSRT_SHARED_DIR) / "testdata" / "sigv4";
}

}  // namespace

TEST_CASE("the AWS SigV4 test suite: header and query signing", "[sigv4][suite]") {
  if (!fs::exists(suite_dir() / "get-vanilla"))
    IVSRT_SKIP("SigV4 test suite not found at " + suite_dir().string());
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(suite_dir())) {
    if (!fs::exists(entry.path() / "context.json")) continue;
    ++cases;
    const std::string name = entry.path().filename().string();
    INFO(name);
    suite_context ctx;
    REQUIRE(json::from_json(slurp(entry.path() / "context.json"), ctx).ok());
    const parsed_request req = parse_request(slurp(entry.path() / "request.txt"));
    credentials c{.access_key_id = ctx.credentials.access_key_id,
                  .secret_access_key = ctx.credentials.secret_access_key,
                  .session_token = {},
                  .expiration = {},
                  .account_id = {}};
    if (ctx.credentials.token) c.session_token = sensitive_string(*ctx.credentials.token);
    sigv4::signer s(ctx.region, ctx.service);
    const sigv4::settings how{.normalize_path = ctx.normalize,
                              .sign_content_sha256 = ctx.sign_body,
                              .omit_session_token = ctx.omit_session_token.value_or(false)};
    const timestamp when = *parse_timestamp(ctx.timestamp);

    const auto header = s.sign(req.view(), c, when, how);
    CHECK(header.canonical_request == slurp(entry.path() / "header-canonical-request.txt"));
    CHECK(header.string_to_sign == slurp(entry.path() / "header-string-to-sign.txt"));
    CHECK(header.signature == slurp(entry.path() / "header-signature.txt"));

    const auto query = s.presign(req.view(), c, when, ctx.expiration_in_seconds, how);
    CHECK(query.canonical_request == slurp(entry.path() / "query-canonical-request.txt"));
    CHECK(query.string_to_sign == slurp(entry.path() / "query-string-to-sign.txt"));
    CHECK(query.signature == slurp(entry.path() / "query-signature.txt"));
  }
  REQUIRE(cases >= 38);
}

TEST_CASE("the AWS SigV4 test suite: classic cases", "[sigv4][suite]") {
  const fs::path classic = suite_dir() / "classic";
  if (!fs::exists(classic)) IVSRT_SKIP("classic SigV4 test suite not found at " + classic.string());
  int cases = 0;
  for (const auto& entry : fs::recursive_directory_iterator(classic)) {
    if (entry.path().extension() != ".req") continue;
    ++cases;
    const fs::path base = entry.path().parent_path() / entry.path().stem();
    INFO(base.string());
    parsed_request req = parse_request(slurp(entry.path()));
    const std::string creq = slurp(base.string() + ".creq");
    credentials c = example_creds;
    // The signing time is already a header of these requests; the signer adds it itself.
    std::erase_if(req.headers, [](const auto& h) { return http::iequals(h.first, "x-amz-date"); });
    const std::size_t tok = creq.find("x-amz-security-token:");
    const bool token_in_request = std::any_of(req.headers.begin(), req.headers.end(), [](const auto& h) {
      return http::iequals(h.first, "x-amz-security-token");
    });
    if (tok != std::string::npos && !token_in_request) {
      c.session_token = sensitive_string(creq.substr(tok + 21, creq.find('\n', tok) - tok - 21));
    }
    sigv4::signer s("us-east-1", "service");
    const auto out = s.sign(req.view(), c, at("2015-08-30T12:36:00Z"));
    CHECK(out.canonical_request == creq);
    CHECK(out.string_to_sign == slurp(base.string() + ".sts"));
    CHECK(out.authorization == slurp(base.string() + ".authz"));
  }
  REQUIRE(cases >= 30);
}
