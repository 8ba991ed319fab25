// Participant tokens signed locally: base64url, P-384 keys and PEM, key files, minting within the
// documented limits, verification (round trips, tampering, wrong keys, clocks) and minting from
// several threads. Interoperability with independent JWT implementations is in
// test_tokens_interop.cpp.
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "ivsrt/base64url.hpp"
#include "ivsrt/tokens/es384.hpp"
#include "ivsrt/tokens/key_files.hpp"
#include "ivsrt/tokens/key_pair.hpp"
#include "ivsrt/tokens/participant_token_signer.hpp"
#include "ivsrt/tokens/participant_token_verifier.hpp"
#include "ivsrt/uuid.hpp"

using namespace ivsrt::tokens;
namespace base64url = ivsrt::base64url;
using namespace std::chrono_literals;

namespace {

const std::string kKeyArn =
    "arn:aws:ivs:us-west-2:123456789012:public-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a";
const std::string kOtherKeyArn = "arn:aws:ivs:us-west-2:123456789012:public-key/abcdefgh1234";
const std::string kStageArn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
const std::string kEvents = "wss://global.events.live-video.net";
const std::string kWhip = "https://f99cde61c2b0.global-bm.whip.live-video.net";
// 2025-01-01T00:00:00Z
const std::chrono::system_clock::time_point kNow{std::chrono::seconds(1735689600)};

const private_key& shared_key() {
  static const private_key key = *private_key::generate();
  return key;
}

public_key public_of(const private_key& k) {
  return *k.public_part();
}

participant_token_signer make_signer(const private_key& key = shared_key()) {
  auto s = participant_token_signer::create(key, kKeyArn);
  REQUIRE(s.ok());
  return *s;
}

participant_token_verifier make_verifier(const private_key& key = shared_key(),
                                         verifier_options options = {}) {
  auto v = participant_token_verifier::create(public_of(key), kKeyArn, options);
  REQUIRE(v.ok());
  return *v;
}

mint_request basic_request() {
  return {.stage_arn = kStageArn, .events_url = kEvents, .whip_url = kWhip};
}

std::string mint(const mint_request& r, std::chrono::system_clock::time_point now = kNow) {
  auto t = make_signer().mint(r, now);
  INFO((t.ok() ? std::string() : t.error().describe()));
  REQUIRE(t.ok());
  return t->token.reveal();
}

std::string error_of(const mint_request& r) {
  auto t = make_signer().mint(r, kNow);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().kind == ivsrt::error_kind::validation);
  CHECK(t.error().code == "InvalidTokenRequest");
  return t.error().message;
}

std::vector<std::string> split(const std::string& token) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = token.find('.', start);
    parts.push_back(token.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::string decode(const std::string& part) {
  auto d = base64url::decode(part);
  REQUIRE(d.has_value());
  return *d;
}

// A token with arbitrary header and payload JSON, signed with key: for claims the signer would
// never produce.
std::string sign_raw(const std::string& header_json, const std::string& payload_json,
                     const private_key& key = shared_key()) {
  std::string input = base64url::encode(header_json) + "." + base64url::encode(payload_json);
  auto sig = es384::sign(key.native_handle(), input);
  REQUIRE(sig.has_value());
  input += '.';
  base64url::append(input, sig->data(), sig->size());
  return input;
}

const std::string kHeader = R"({"alg":"ES384","typ":"JWT","kid":")" + kKeyArn + R"("})";

std::string payload_with(const std::string& replace_from, const std::string& replace_to) {
  std::string p = R"({"exp":1735732800,"iat":1735689600,"jti":"player-1","resource":")" + kStageArn +
                  R"(","topic":"abcdABCD1234","events_url":")" + kEvents + R"(","whip_url":")" + kWhip +
                  R"(","capabilities":{"allow_publish":true,"allow_subscribe":true},"version":"1.0"})";
  if (!replace_from.empty()) {
    const std::size_t at = p.find(replace_from);
    REQUIRE(at != std::string::npos);
    p.replace(at, replace_from.size(), replace_to);
  }
  return p;
}

std::string verify_error(const std::string& token, std::chrono::system_clock::time_point now = kNow,
                         const participant_token_verifier& v = make_verifier()) {
  auto r = v.verify(token, now);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ivsrt::error_kind::validation);
  if (!token.empty()) CHECK(r.error().message.find(token) == std::string::npos);
  return r.error().code;
}

std::filesystem::path temp_dir() {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() / ("ivsrt-tokens-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return dir;
}

void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

EVP_PKEY* generate_other(int type, int param) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(type, nullptr);
  EVP_PKEY* key = nullptr;
  REQUIRE(EVP_PKEY_keygen_init(ctx) == 1);
  if (type == EVP_PKEY_EC) {
    REQUIRE(EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, param) == 1);
  } else {
    REQUIRE(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, param) == 1);
  }
  REQUIRE(EVP_PKEY_keygen(ctx, &key) == 1);
  EVP_PKEY_CTX_free(ctx);
  return key;
}

std::string pem_of_private(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  REQUIRE(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  std::string out = detail::bio_contents(bio);
  BIO_free(bio);
  return out;
}

std::string pem_of_public(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  REQUIRE(PEM_write_bio_PUBKEY(bio, key) == 1);
  std::string out = detail::bio_contents(bio);
  BIO_free(bio);
  return out;
}

// The base64 body of a PEM block, to check that errors never quote key material.
std::string pem_body_line(const std::string& pem) {
  const std::size_t start = pem.find('\n') + 1;
  return pem.substr(start, 40);
}

}  // namespace

TEST_CASE("base64url: RFC 4648 vectors without padding, and the URL alphabet", "[tokens][base64url]") {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64url::encode(plain) == encoded);
    CHECK(base64url::decode(encoded) == plain);
  }
  // 0xFB 0xFF is "+/8" in standard base64.
  CHECK(base64url::encode("\xFB\xFF") == "-_8");
  CHECK(base64url::decode("-_8") == std::string("\xFB\xFF"));
}

TEST_CASE("base64url: every byte string round-trips; non-canonical input is refused", "[tokens][base64url]") {
  std::mt19937 rng(7);
  for (std::size_t n = 0; n < 200; ++n) {
    std::string data(n, '\0');
    for (auto& c : data) c = static_cast<char>(rng() & 0xFF);
    const std::string enc = base64url::encode(data);
    CHECK(enc.size() == base64url::encoded_size(n));
    CHECK(enc.find_first_of("+/=") == std::string::npos);
    CHECK(base64url::decode(enc) == data);
  }
  CHECK_FALSE(base64url::decode("Zg==").has_value());   // padding
  CHECK_FALSE(base64url::decode("Z").has_value());      // impossible length
  CHECK_FALSE(base64url::decode("Zh").has_value());     // unused bits set: "f" is only "Zg"
  CHECK_FALSE(base64url::decode("Zm9+").has_value());   // standard alphabet
  CHECK_FALSE(base64url::decode("Zm9 v").has_value());  // whitespace
  CHECK_FALSE(base64url::decode("Zm9v\n").has_value());
}

TEST_CASE("keys: generated P-384 keys round-trip through PEM", "[tokens][keys]") {
  auto key = private_key::generate();
  REQUIRE(key.ok());
  auto pem = key->to_pem();
  REQUIRE(pem.ok());
  REQUIRE(pem->reveal().rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
  REQUIRE(pem->reveal().find("-----END PRIVATE KEY-----") != std::string::npos);
  auto pub = key->public_part();
  REQUIRE(pub.ok());
  auto pub_pem = pub->to_pem();
  REQUIRE(pub_pem.ok());
  REQUIRE(pub_pem->rfind("-----BEGIN PUBLIC KEY-----\n", 0) == 0);
  // The pattern ImportPublicKey declares for publicKeyMaterial.
  REQUIRE(std::regex_search(*pub_pem, std::regex("-----BEGIN PUBLIC KEY-----\r?\n([a-zA-Z0-9+/=\r\n]+)\r?\n"
                                                 "-----END PUBLIC KEY-----(\r?\n)?")));

  auto again = private_key::from_pem(pem->reveal());
  REQUIRE(again.ok());
  REQUIRE(again->to_pem()->reveal() == pem->reveal());
  REQUIRE(again->public_part()->to_pem().value() == *pub_pem);
  auto pub_again = public_key::from_pem(*pub_pem);
  REQUIRE(pub_again.ok());
  REQUIRE(pub_again->to_pem().value() == *pub_pem);

  // Two keys differ.
  REQUIRE(private_key::generate()->public_part()->to_pem().value() != *pub_pem);
}

TEST_CASE("keys: public PEM with text around it and CRLF line ends, as ImportPublicKey accepts",
          "[tokens][keys]") {
  std::string pem = *shared_key().public_part()->to_pem();
  std::string crlf;
  for (char c : pem) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto k = public_key::from_pem("my game key\r\n" + crlf + "trailing words\n");
  REQUIRE(k.ok());
  REQUIRE(k->to_pem().value() == pem);
}

TEST_CASE("keys: malformed and unsupported PEM are refused with a clear error", "[tokens][keys]") {
  const std::string priv_pem = shared_key().to_pem()->reveal();
  const std::string pub_pem = *shared_key().public_part()->to_pem();
  struct bad {
    std::string pem;
    std::string message_part;
  };
  const bad for_private[] = {
      {"", "no -----BEGIN PRIVATE KEY-----"},
      {"just some text", "no -----BEGIN PRIVATE KEY-----"},
      {pub_pem, "found a public key"},
      {"-----BEGIN PRIVATE KEY-----\n!!!!notbase64!!!!\n-----END PRIVATE KEY-----\n", "malformed"},
      {"-----BEGIN PRIVATE KEY-----\nMIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAQboI6uFbwKNvN82Gn\n"
       "-----END PRIVATE KEY-----\n",
       "malformed"},
      {priv_pem.substr(0, priv_pem.size() / 2), "malformed"},
      {"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "encrypted"},
  };
  for (const auto& b : for_private) {
    auto r = private_key::from_pem(b.pem);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ivsrt::error_kind::validation);
    CHECK(r.error().code == "InvalidPrivateKey");
    INFO(r.error().message);
    CHECK(r.error().message.find(b.message_part) != std::string::npos);
    CHECK(r.error().message.find(pem_body_line(priv_pem)) == std::string::npos);
  }
  const bad for_public[] = {
      {"", "no -----BEGIN PUBLIC KEY-----"},
      {priv_pem, "found a private key"},
      {"-----BEGIN PUBLIC KEY-----\nMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE\n-----END PUBLIC KEY-----\n",
       "malformed"},
  };
  for (const auto& b : for_public) {
    auto r = public_key::from_pem(b.pem);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "InvalidPublicKey");
    INFO(r.error().message);
    CHECK(r.error().message.find(b.message_part) != std::string::npos);
  }
}

TEST_CASE("keys: RSA and other curves are refused, naming what they are", "[tokens][keys]") {
  EVP_PKEY* p256 = generate_other(EVP_PKEY_EC, NID_X9_62_prime256v1);
  EVP_PKEY* rsa = generate_other(EVP_PKEY_RSA, 2048);
  auto r1 = private_key::from_pem(pem_of_private(p256));
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().message.find("prime256v1") != std::string::npos);
  auto r2 = public_key::from_pem(pem_of_public(p256));
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message.find("P-384") != std::string::npos);
  auto r3 = private_key::from_pem(pem_of_private(rsa));
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.error().message.find("not an elliptic-curve key") != std::string::npos);
  auto r4 = public_key::from_pem(pem_of_public(rsa));
  REQUIRE_FALSE(r4.ok());
  CHECK(r4.error().message.find("2048-bit") != std::string::npos);
  EVP_PKEY_free(p256);
  EVP_PKEY_free(rsa);
}

TEST_CASE("key files: private key 0600, never replaced by accident, read back", "[tokens][keys][files]") {
  const auto dir = temp_dir();
  const std::string priv = (dir / "ivs.pem").string();
  const std::string pub = (dir / "ivs.pub.pem").string();
  auto key = private_key::generate();
  REQUIRE(write_private_key_file(priv, *key).ok());
  REQUIRE(write_public_key_file(pub, *key->public_part()).ok());
  struct stat st {};
  REQUIRE(::stat(priv.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  auto again = write_private_key_file(priv, *private_key::generate());
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "KeyFileError");
  CHECK(again.error().message.find("already exists") != std::string::npos);
  REQUIRE(read_private_key_file(priv)->to_pem()->reveal() == key->to_pem()->reveal());
  REQUIRE(read_public_key_file(pub)->to_pem().value() == key->public_part()->to_pem().value());

  // --overwrite also tightens the mode of a file that was readable by others.
  REQUIRE(::chmod(priv.c_str(), 0644) == 0);
  auto replacement = private_key::generate();
  REQUIRE(write_private_key_file(priv, *replacement, true).ok());
  REQUIRE(::stat(priv.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(read_private_key_file(priv)->to_pem()->reveal() == replacement->to_pem()->reveal());
  std::filesystem::remove_all(dir);
}

TEST_CASE("key files: missing, oversized and wrong files are clear errors naming the path",
          "[tokens][keys][files]") {
  const auto dir = temp_dir();
  auto missing = read_private_key_file((dir / "nope.pem").string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ivsrt::error_kind::configuration);
  CHECK(missing.error().message.find("nope.pem: cannot open") != std::string::npos);

  write_text(dir / "big.pem", std::string(70 * 1024, 'A'));
  auto big = read_private_key_file((dir / "big.pem").string());
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().message.find("larger than 64 KiB") != std::string::npos);

  write_text(dir / "pub.pem", *shared_key().public_part()->to_pem());
  auto wrong = read_private_key_file((dir / "pub.pem").string());
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == "InvalidPrivateKey");
  CHECK(wrong.error().message.find("pub.pem: expected a private key") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("mint: header and claims are the documented ES384 participant token", "[tokens][mint]") {
  mint_request r = basic_request();
  r.participant_id = "player-1";
  r.user_id = "Bob";
  r.attributes = {{"team", "red"}, {"level", "3"}};
  r.duration = 12h;
  const std::string token = mint(r);
  const auto parts = split(token);
  REQUIRE(parts.size() == 3);
  CHECK(decode(parts[0]) == kHeader);
  CHECK(decode(parts[1]) ==
        R"({"exp":1735732800,"iat":1735689600,"jti":"player-1","user_id":"Bob","resource":")" + kStageArn +
            R"(","topic":"abcdABCD1234","events_url":")" + kEvents + R"(","whip_url":")" + kWhip +
            R"(","capabilities":{"allow_publish":true,"allow_subscribe":true},)"
            R"("attributes":{"level":"3","team":"red"},"version":"1.0"})");
  // JOSE signature: 96 bytes, base64url without padding.
  CHECK(parts[2].size() == 128);
  CHECK(decode(parts[2]).size() == 96);
  CHECK(std::regex_match(token, std::regex("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+")));
}

TEST_CASE("version-4 UUIDs: the version and variant bits over the random bytes", "[tokens]") {
  std::array<unsigned char, 16> bytes{};
  CHECK(ivsrt::format_uuid4(bytes) == "00000000-0000-4000-8000-000000000000");
  bytes.fill(0xFF);
  CHECK(ivsrt::format_uuid4(bytes) == "ffffffff-ffff-4fff-bfff-ffffffffffff");
  for (unsigned char i = 0; i < 16; ++i) bytes[i] = static_cast<unsigned char>(i * 17);
  CHECK(ivsrt::format_uuid4(bytes) == "00112233-4455-4677-8899-aabbccddeeff");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = ivsrt::uuid4();
    CHECK(std::regex_match(
        id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("mint: returned metadata and defaults", "[tokens][mint]") {
  auto t = make_signer().mint(basic_request(), kNow + 999ms);
  REQUIRE(t.ok());
  CHECK(t->issued_at == std::chrono::sys_seconds(std::chrono::seconds(1735689600)));
  CHECK(t->expires_at == t->issued_at + 12h);
  CHECK(std::regex_match(t->participant_id,
                         std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  const std::string payload = decode(split(t->token.reveal())[1]);
  CHECK(payload.find(R"("jti":")" + t->participant_id + "\"") != std::string::npos);
  CHECK(payload.find("user_id") == std::string::npos);
  CHECK(payload.find("attributes") == std::string::npos);
  CHECK(payload.find(R"("capabilities":{"allow_publish":true,"allow_subscribe":true})") != std::string::npos);
}

TEST_CASE("mint: capabilities carry only what is granted", "[tokens][mint]") {
  auto caps_of = [](bool publish, bool subscribe) {
    mint_request r = basic_request();
    r.allow_publish = publish;
    r.allow_subscribe = subscribe;
    const std::string payload = decode(split(mint(r))[1]);
    const std::size_t at = payload.find("\"capabilities\":");
    return payload.substr(at, payload.find('}', at) - at + 1);
  };
  CHECK(caps_of(false, true) == R"("capabilities":{"allow_subscribe":true})");
  CHECK(caps_of(true, false) == R"("capabilities":{"allow_publish":true})");
  CHECK(caps_of(false, false) == R"("capabilities":{})");
}

TEST_CASE("mint: generated participant IDs are unique and API-safe", "[tokens][mint]") {
  std::set<std::string> seen;
  auto signer = make_signer();
  for (int i = 0; i < 300; ++i) {
    auto t = signer.mint(basic_request(), kNow);
    REQUIRE(t.ok());
    CHECK(t->participant_id.find('_') == std::string::npos);
    CHECK(rules::participant_id_problem(t->participant_id).empty());
    seen.insert(t->participant_id);
  }
  CHECK(seen.size() == 300);
}

TEST_CASE("limits: lifetime at most 14 days", "[tokens][limits]") {
  mint_request r = basic_request();
  r.duration = std::chrono::hours(24 * 14);
  auto claims = make_verifier().verify(mint(r), kNow);
  REQUIRE(claims.ok());
  CHECK(claims->exp - claims->iat == 1209600);
  r.duration = std::chrono::hours(24 * 14) + 1s;
  CHECK(error_of(r).find("at most 14 days") != std::string::npos);
  r.duration = 1s;
  CHECK(make_verifier().verify(mint(r), kNow).ok());
  r.duration = 0s;
  CHECK(error_of(r).find("positive") != std::string::npos);
  r.duration = -5s;
  CHECK(error_of(r).find("positive") != std::string::npos);
}

TEST_CASE("limits: participant ID 1-64 of [A-Za-z0-9_-]", "[tokens][limits]") {
  mint_request r = basic_request();
  r.participant_id = std::string(64, 'a');
  CHECK(make_verifier().verify(mint(r), kNow)->jti == std::string(64, 'a'));
  r.participant_id = "Aa0-_z";
  CHECK(make_verifier().verify(mint(r), kNow)->jti == "Aa0-_z");
  r.participant_id = std::string(65, 'a');
  CHECK(error_of(r).find("65 characters long; at most 64") != std::string::npos);
  for (const std::string bad : {"a.b", "a b", "a/b", "caf\xC3\xA9", "a+b"}) {
    r.participant_id = bad;
    CHECK(error_of(r).find("only letters, digits, '-' and '_'") != std::string::npos);
  }
}

TEST_CASE("limits: user ID at most 128 characters of valid UTF-8", "[tokens][limits]") {
  mint_request r = basic_request();
  std::string e_acute_128;
  for (int i = 0; i < 128; ++i) e_acute_128 += "\xC3\xA9";  // 256 bytes, 128 code points
  r.user_id = e_acute_128;
  CHECK(make_verifier().verify(mint(r), kNow)->user_id == e_acute_128);
  r.user_id = "";
  CHECK(make_verifier().verify(mint(r), kNow)->user_id == std::string());
  r.user_id = e_acute_128 + "x";
  CHECK(error_of(r).find("129 characters long; at most 128") != std::string::npos);
  r.user_id = "bad\xFF";
  CHECK(error_of(r).find("not valid UTF-8") != std::string::npos);
}

TEST_CASE("limits: attributes at most 1 KB of keys and values", "[tokens][limits]") {
  mint_request r = basic_request();
  r.attributes = {{"k", std::string(1023, 'v')}};
  auto claims = make_verifier().verify(mint(r), kNow);
  REQUIRE(claims.ok());
  CHECK(claims->attributes->at("k").size() == 1023);
  r.attributes = {{"k", std::string(1024, 'v')}};
  CHECK(error_of(r).find("1025 bytes") != std::string::npos);
  r.attributes = {{"a", std::string(500, 'v')}, {"b", std::string(522, 'v')}};  // 1024 in total
  CHECK(make_verifier().verify(mint(r), kNow).ok());
  r.attributes = {{"a", std::string(500, 'v')}, {"bb", std::string(522, 'v')}};
  CHECK(error_of(r).find("1025 bytes") != std::string::npos);
  r.attributes = {{"k", "\xC0\xAF"}};
  CHECK(error_of(r).find("not valid UTF-8") != std::string::npos);
  r.attributes = {{"quote\"and\\slash", "line\nbreak"}};
  CHECK(make_verifier().verify(mint(r), kNow)->attributes->at("quote\"and\\slash") == "line\nbreak");
}

TEST_CASE("limits: stage ARN, endpoints and public key ARN", "[tokens][limits]") {
  for (const std::string bad :
       {"", "arn:aws:ivs:us-west-2:123456789012:channel/abc", "arn:aws:ivs:us-west-2:123456789012:stage/",
        "arn:aws:ivs:us-west-2:acct:stage/abc", "arn:aws:ivs:US-WEST-2:123456789012:stage/abc",
        "arn:aws:ivs:us-west-2:123456789012:stage/ab_c", "xarn:aws:ivs:us-west-2:123456789012:stage/abc",
        "arn:aws:ivs:us-west-2:123456789012:stage/abc/def"}) {
    mint_request r = basic_request();
    r.stage_arn = bad;
    CHECK(error_of(r).find("stage ARN must look like") != std::string::npos);
  }
  mint_request r = basic_request();
  r.stage_arn = "arn:aws:ivs:us-west-2:123456789012:stage/" + std::string(128 - 41, 'a');
  REQUIRE(r.stage_arn.size() == 128);
  CHECK(make_verifier().verify(mint(r), kNow)->topic == std::string(87, 'a'));
  r.stage_arn += "a";
  CHECK(error_of(r).find("stage ARN") != std::string::npos);

  r = basic_request();
  r.events_url = "";
  CHECK(error_of(r).find("events_url is empty") != std::string::npos);
  r = basic_request();
  r.whip_url = "https://x/" + std::string(2048 - 10, 'a');
  CHECK(make_verifier().verify(mint(r), kNow).ok());
  r.whip_url += "a";
  CHECK(error_of(r).find("whip_url is 2049 characters long") != std::string::npos);
  r = basic_request();
  r.whip_url = "https://a b";
  CHECK(error_of(r).find("whip_url contains a space") != std::string::npos);

  for (const std::string bad : {"", "arn:aws:ivs:us-west-2:123456789012:stage/abc",
                                "arn:aws:ivs:us-west-2:123456789012:public-key/", "public-key/abc"}) {
    auto s = participant_token_signer::create(shared_key(), bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "InvalidPublicKeyArn");
    auto v = participant_token_verifier::create(public_of(shared_key()), bad);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().code == "InvalidPublicKeyArn");
  }
  auto empty = participant_token_signer::create(private_key{}, kKeyArn);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().code == "InvalidPrivateKey");
}

TEST_CASE("verify: a minted token round-trips to the same claims", "[tokens][verify]") {
  mint_request r = basic_request();
  r.participant_id = "p-1";
  r.user_id = "user";
  r.attributes = {{"a", "b"}};
  r.allow_publish = false;
  r.duration = 90min;
  auto claims = make_verifier().verify(mint(r), kNow + 10min);
  REQUIRE(claims.ok());
  CHECK(claims->jti == "p-1");
  CHECK(claims->user_id == "user");
  CHECK(claims->attributes == std::map<std::string, std::string>{{"a", "b"}});
  CHECK(claims->resource == kStageArn);
  CHECK(claims->topic == "abcdABCD1234");
  CHECK(claims->events_url == kEvents);
  CHECK(claims->whip_url == kWhip);
  CHECK_FALSE(claims->capabilities.can_publish());
  CHECK(claims->capabilities.can_subscribe());
  CHECK(claims->iat == 1735689600);
  CHECK(claims->exp == 1735689600 + 5400);
  CHECK(claims->version == "1.0");
}

TEST_CASE("verify: expiry and issue time with clock skew", "[tokens][verify]") {
  mint_request r = basic_request();
  r.duration = 1h;
  const std::string token = mint(r);
  const auto exp = kNow + 1h;
  auto v = make_verifier(shared_key(), {.clock_skew = 30s});
  CHECK(v.verify(token, exp - 1s).ok());
  CHECK(v.verify(token, exp + 29s).ok());
  CHECK(verify_error(token, exp + 30s, v) == "TokenExpired");
  CHECK(verify_error(token, exp + 24h, v) == "TokenExpired");
  CHECK(v.verify(token, kNow - 30s).ok());
  CHECK(verify_error(token, kNow - 31s, v) == "TokenNotYetValid");
  auto strict = make_verifier(shared_key(), {.clock_skew = 0s});
  CHECK(verify_error(token, exp, strict) == "TokenExpired");
  CHECK(strict.verify(token, exp - 1s).ok());

  auto bad = participant_token_verifier::create(public_of(shared_key()), kKeyArn, {.clock_skew = -1s});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "InvalidParameter");
}

TEST_CASE("verify: tampered header, payload and signature are refused", "[tokens][verify]") {
  mint_request r = basic_request();
  r.user_id = "alice";
  const std::string token = mint(r);
  const auto parts = split(token);
  REQUIRE(make_verifier().verify(token, kNow).ok());

  const auto with_header = [&](const std::string& header_json) {
    return base64url::encode(header_json) + "." + parts[1] + "." + parts[2];
  };
  // The same header, re-encoded with a space: the signature covers the exact bytes.
  CHECK(verify_error(with_header(R"({"alg":"ES384", "typ":"JWT","kid":")" + kKeyArn + R"("})")) ==
        "InvalidSignature");
  CHECK(verify_error(with_header(R"({"alg":"none","typ":"JWT","kid":")" + kKeyArn + R"("})")) ==
        "UnsupportedAlgorithm");
  CHECK(verify_error(with_header(R"({"alg":"ES256","typ":"JWT","kid":")" + kKeyArn + R"("})")) ==
        "UnsupportedAlgorithm");
  CHECK(verify_error(with_header(R"({"alg":"ES384","typ":"JWT","kid":")" + kOtherKeyArn + R"("})")) ==
        "UnknownKeyId");
  CHECK(verify_error(with_header(R"({"alg":"ES384","typ":"JWT"})")) == "UnknownKeyId");
  CHECK(verify_error(with_header(R"({"alg":"ES384","typ":"JOSE","kid":")" + kKeyArn + R"("})")) ==
        "MalformedToken");
  CHECK(verify_error(with_header("not json")) == "MalformedToken");

  std::string payload = decode(parts[1]);
  payload.replace(payload.find("alice"), 5, "mallo");
  CHECK(verify_error(parts[0] + "." + base64url::encode(payload) + "." + parts[2]) == "InvalidSignature");
  std::string publish = decode(parts[1]);
  CHECK(verify_error(parts[0] + "." + base64url::encode(publish + " ") + "." + parts[2]) ==
        "InvalidSignature");

  std::string sig = decode(parts[2]);
  for (std::size_t i : {std::size_t{0}, std::size_t{47}, std::size_t{48}, std::size_t{95}}) {
    std::string flipped = sig;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
    CHECK(verify_error(parts[0] + "." + parts[1] + "." + base64url::encode(flipped)) == "InvalidSignature");
  }
  CHECK(verify_error(parts[0] + "." + parts[1] + "." + base64url::encode(sig.substr(0, 95))) ==
        "InvalidSignature");
  CHECK(verify_error(parts[0] + "." + parts[1] + "." + base64url::encode(std::string(96, '\0'))) ==
        "InvalidSignature");
  // The signature's R and S swapped.
  CHECK(verify_error(parts[0] + "." + parts[1] + "." +
                     base64url::encode(sig.substr(48) + sig.substr(0, 48))) == "InvalidSignature");
  // Every single-character change anywhere in the token is refused.
  for (std::size_t i = 0; i < token.size(); i += 7) {
    if (token[i] == '.') continue;
    std::string changed = token;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    auto result = make_verifier().verify(changed, kNow);
    CHECK_FALSE(result.ok());
  }
}

TEST_CASE("verify: malformed tokens", "[tokens][verify]") {
  const std::string token = mint(basic_request());
  const auto parts = split(token);
  CHECK(verify_error("") == "MalformedToken");
  CHECK(verify_error(parts[0] + "." + parts[1]) == "MalformedToken");
  CHECK(verify_error(token + ".x") == "MalformedToken");
  CHECK(verify_error(token + "=") == "MalformedToken");
  CHECK(verify_error(parts[0] + "=." + parts[1] + "." + parts[2]) == "MalformedToken");
  CHECK(verify_error(std::string(20000, 'a')) == "MalformedToken");
  // A DER signature (what OpenSSL produces before conversion) is not the JOSE form.
  unsigned char der[128];
  std::size_t der_len = sizeof der;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const std::string input = parts[0] + "." + parts[1];
  REQUIRE(EVP_DigestSignInit(ctx, nullptr, EVP_sha384(), nullptr, shared_key().native_handle()) == 1);
  REQUIRE(EVP_DigestSign(ctx, der, &der_len, reinterpret_cast<const unsigned char*>(input.data()),
                         input.size()) == 1);
  EVP_MD_CTX_free(ctx);
  CHECK(verify_error(input + "." + base64url::encode(std::string(reinterpret_cast<char*>(der), der_len))) ==
        "InvalidSignature");
}

TEST_CASE("verify: the wrong public key is refused", "[tokens][verify]") {
  const std::string token = mint(basic_request());
  auto other = private_key::generate();
  REQUIRE(other.ok());
  CHECK(verify_error(token, kNow, make_verifier(*other)) == "InvalidSignature");
  // Signed by another key under our kid.
  auto impostor = participant_token_signer::create(*other, kKeyArn);
  auto forged = impostor->mint(basic_request(), kNow);
  REQUIRE(forged.ok());
  CHECK(verify_error(forged->token.reveal()) == "InvalidSignature");
}

TEST_CASE("verify: correctly signed tokens that break the claim rules", "[tokens][verify]") {
  CHECK(make_verifier().verify(sign_raw(kHeader, payload_with("", "")), kNow).ok());
  const std::pair<std::string, std::string> breaks[] = {
      {R"("version":"1.0")", R"("version":"2.0")"},
      {R"("topic":"abcdABCD1234")", R"("topic":"other")"},
      {R"("exp":1735732800)", R"("exp":1736899201)"},  // 14 days + 1 s after iat
      {R"("exp":1735732800)", R"("exp":1735689600)"},  // not after iat
      {R"("exp":1735732800,)", ""},
      {R"("jti":"player-1")", R"("jti":"player.1")"},
      {R"("jti":"player-1")", R"("jti":"")"},
      {R"("resource":")", R"("resource":"x)"},
      {R"("events_url":")" + kEvents + "\"", R"("events_url":"")"},
      {R"("version":"1.0")", R"("version":"1.0","user_id":")" + std::string(129, 'u') + "\""},
      {R"("version":"1.0")", R"("version":"1.0","attributes":{"k":")" + std::string(1024, 'v') + "\"}"},
  };
  for (const auto& [from, to] : breaks) {
    INFO(to);
    CHECK(verify_error(sign_raw(kHeader, payload_with(from, to))) == "InvalidClaims");
  }
  // Claims must be integers and strings of the right JSON types.
  CHECK(verify_error(sign_raw(kHeader, payload_with(R"("exp":1735732800)", R"("exp":1735732800.5)"))) ==
        "MalformedToken");
  CHECK(verify_error(sign_raw(kHeader, payload_with(R"("exp":1735732800)", R"("exp":"1735732800")"))) ==
        "MalformedToken");
  CHECK(verify_error(sign_raw(kHeader, "[]")) == "MalformedToken");
  CHECK(verify_error(sign_raw(R"({"alg":"ES384","typ":"JWT","kid":")" + kKeyArn + R"(","crit":["exp"]})",
                              payload_with("", ""))) == "MalformedToken");
  // A far-future exp cannot overflow the expiry arithmetic.
  CHECK(verify_error(
            sign_raw(kHeader, payload_with(R"("exp":1735732800,"iat":1735689600)",
                                           R"("exp":9223372036854775807,"iat":9223372036854775000)"))) ==
        "InvalidClaims");
}

TEST_CASE("mint and verify from several threads on one signer", "[tokens][threads]") {
  const auto signer = make_signer();
  const auto verifier = make_verifier();
  constexpr int threads = 4;
  constexpr int per_thread = 100;
  std::vector<std::vector<std::string>> tokens(threads);
  std::vector<int> failures(threads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        mint_request r = basic_request();
        r.user_id = "thread-" + std::to_string(t) + "-" + std::to_string(i);
        auto minted = signer.mint(r, kNow);
        if (!minted) {
          ++failures[static_cast<std::size_t>(t)];
          continue;
        }
        auto claims = verifier.verify(minted->token.reveal(), kNow);
        if (!claims || claims->user_id != r.user_id || claims->jti != minted->participant_id) {
          ++failures[static_cast<std::size_t>(t)];
        }
        tokens[static_cast<std::size_t>(t)].push_back(minted->token.reveal());
      }
    });
  }
  for (auto& th : pool) th.join();
  std::set<std::string> ids;
  for (int t = 0; t < threads; ++t) {
    CHECK(failures[static_cast<std::size_t>(t)] == 0);
    for (const auto& token : tokens[static_cast<std::size_t>(t)]) {
      auto claims = verifier.verify(token, kNow);
      REQUIRE(claims.ok());
      ids.insert(claims->jti);
    }
  }
  CHECK(ids.size() == threads * per_thread);
}

TEST_CASE("errors never carry the private key or the token", "[tokens][secrets]") {
  const std::string pem = shared_key().to_pem()->reveal();
  // A private key handed where a public key is expected.
  auto r = public_key::from_pem(pem);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().describe().find(pem_body_line(pem)) == std::string::npos);
  // A valid token verified with the wrong ARN.
  const std::string token = mint(basic_request());
  auto v = participant_token_verifier::create(public_of(shared_key()), kOtherKeyArn);
  auto e = v->verify(token, kNow);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().describe().find(split(token)[2]) == std::string::npos);
  CHECK(e.error().describe().find(split(token)[1]) == std::string::npos);
}
