// Participant tokens against implementations this project did not write: node's crypto module,
// python3's cryptography package and the openssl command. Each test skips when its tool is absent.
#include <string>

#include "catch.hpp"
#include "ivsrt/tokens/key_files.hpp"
#include "ivsrt/tokens/participant_token_signer.hpp"
#include "ivsrt/tokens/participant_token_verifier.hpp"
#include "token_test_tools.hpp"

using namespace ivsrt::tokens;
using ivsrt_test::run;
using ivsrt_test::scratch_dir;
using ivsrt_test::shell_quote;

namespace {

const std::string kKeyArn =
    "arn:aws:ivs:us-west-2:123456789012:public-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a";
const std::string kStageArn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";

bool have_node() {
  return ivsrt_test::available("node --version");
}
bool have_python_cryptography() {
  return ivsrt_test::available("python3 -c 'import cryptography'");
}
bool have_openssl() {
  return ivsrt_test::available("openssl version");
}

// Verifies token (file) with the public key (file) in node; prints the decoded header and payload.
const char* const kNodeVerify = R"JS(
const crypto = require('crypto'); const fs = require('fs');
const [token, pubFile] = [fs.readFileSync(process.argv[1], 'utf8').trim(), process.argv[2]];
const [h, p, s] = token.split('.');
const ok = crypto.verify('sha384', Buffer.from(h + '.' + p), {key: fs.readFileSync(pubFile), dsaEncoding: 'ieee-p1363'},
                         Buffer.from(s, 'base64url'));
if (!ok) { console.error('signature does not verify'); process.exit(1); }
const header = JSON.parse(Buffer.from(h, 'base64url')); const payload = JSON.parse(Buffer.from(p, 'base64url'));
console.log(JSON.stringify({header, payload}));
)JS";

// Signs a participant token in node with the private key (file), for our verifier.
const char* const kNodeSign = R"JS(
const crypto = require('crypto'); const fs = require('fs');
const [keyFile, kid, stage, iat] = process.argv.slice(1);
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const input = b64({alg: 'ES384', typ: 'JWT', kid}) + '.' + b64({exp: Number(iat) + 3600, iat: Number(iat),
  jti: 'node-participant', user_id: 'from node', resource: stage, topic: stage.split('/').pop(),
  events_url: 'wss://global.events.live-video.net', whip_url: 'https://x.global-bm.whip.live-video.net',
  capabilities: {allow_subscribe: true}, attributes: {lang: 'js'}, version: '1.0'});
const sig = crypto.sign('sha384', Buffer.from(input), {key: fs.readFileSync(keyFile), dsaEncoding: 'ieee-p1363'});
process.stdout.write(input + '.' + sig.toString('base64url'));
)JS";

const char* const kPythonVerify = R"PY(
import base64, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
token = open(sys.argv[1]).read().strip()
key = serialization.load_pem_public_key(open(sys.argv[2], 'rb').read())
assert isinstance(key.curve, ec.SECP384R1), key.curve.name
h, p, s = token.split('.')
raw = base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))
assert len(raw) == 96, len(raw)
der = utils.encode_dss_signature(int.from_bytes(raw[:48], 'big'), int.from_bytes(raw[48:], 'big'))
key.verify(der, (h + '.' + p).encode(), ec.ECDSA(hashes.SHA384()))
payload = json.loads(base64.urlsafe_b64decode(p + '=' * (-len(p) % 4)))
print(payload['jti'])
)PY";

mint_request request() {
  return {.stage_arn = kStageArn,
          .events_url = "wss://global.events.live-video.net",
          .whip_url = "https://f99cde61c2b0.global-bm.whip.live-video.net",
          .participant_id = "interop-1",
          .user_id = "Zoë",
          .attributes = {{"team", "blue"}}};
}

void write_key_pair(const private_key& key, const scratch_dir& dir) {
  REQUIRE(write_private_key_file(dir.file("key.pem"), key).ok());
  REQUIRE(write_public_key_file(dir.file("pub.pem"), *key.public_part()).ok());
}

}  // namespace

TEST_CASE("node verifies tokens we mint", "[tokens][interop][node]") {
  if (!have_node()) IVSRT_SKIP("node is not installed");
  scratch_dir dir;
  auto key = private_key::generate();
  write_key_pair(*key, dir);
  auto signer = participant_token_signer::create(*key, kKeyArn);
  for (int i = 0; i < 5; ++i) {  // several signatures: R or S with leading zero bytes must also pass
    auto token = signer->mint(request());
    REQUIRE(token.ok());
    ivsrt_test::write_text(dir.file("token.txt"), token->token.reveal());
    auto r = run("node -e " + shell_quote(kNodeVerify) + " " + shell_quote(dir.file("token.txt")) + " " +
                     shell_quote(dir.file("pub.pem")),
                 dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(R"("header":{"alg":"ES384","typ":"JWT","kid":")" + kKeyArn + "\"}") !=
          std::string::npos);
    CHECK(r.out.find(R"("jti":"interop-1","user_id":"Zoë")") != std::string::npos);
    CHECK(r.out.find(R"("version":"1.0")") != std::string::npos);
  }
  // A token signed by another key fails in node too: the check above can fail.
  auto other = participant_token_signer::create(*private_key::generate(), kKeyArn);
  ivsrt_test::write_text(dir.file("token.txt"), other->mint(request())->token.reveal());
  auto bad = run("node -e " + shell_quote(kNodeVerify) + " " + shell_quote(dir.file("token.txt")) + " " +
                     shell_quote(dir.file("pub.pem")),
                 dir);
  CHECK(bad.exit_code == 1);
}

TEST_CASE("our verifier accepts tokens node signs with our private key", "[tokens][interop][node]") {
  if (!have_node()) IVSRT_SKIP("node is not installed");
  scratch_dir dir;
  auto key = private_key::generate();
  write_key_pair(*key, dir);
  const auto now = std::chrono::system_clock::now();
  const auto iat = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  auto r = run("node -e " + shell_quote(kNodeSign) + " " + shell_quote(dir.file("key.pem")) + " " +
                   shell_quote(kKeyArn) + " " + shell_quote(kStageArn) + " " + std::to_string(iat),
               dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto verifier = participant_token_verifier::create(*key->public_part(), kKeyArn);
  auto claims = verifier->verify(r.out, now);
  INFO((claims.ok() ? std::string() : claims.error().describe()));
  REQUIRE(claims.ok());
  CHECK(claims->jti == "node-participant");
  CHECK(claims->user_id == "from node");
  CHECK(claims->topic == "abcdABCD1234");
  CHECK(claims->capabilities.can_subscribe());
  CHECK_FALSE(claims->capabilities.can_publish());
  CHECK(claims->attributes->at("lang") == "js");
}

TEST_CASE("keys generated by node work with our signer; node reads ours", "[tokens][interop][node]") {
  if (!have_node()) IVSRT_SKIP("node is not installed");
  scratch_dir dir;
  const char* gen = R"JS(
const crypto = require('crypto'); const fs = require('fs');
const {privateKey, publicKey} = crypto.generateKeyPairSync('ec', {namedCurve: 'secp384r1'});
fs.writeFileSync(process.argv[1], privateKey.export({type: 'pkcs8', format: 'pem'}));
fs.writeFileSync(process.argv[2], publicKey.export({type: 'spki', format: 'pem'}));
fs.writeFileSync(process.argv[3], privateKey.export({type: 'sec1', format: 'pem'}));
)JS";
  auto g = run("node -e " + shell_quote(gen) + " " + shell_quote(dir.file("key.pem")) + " " +
                   shell_quote(dir.file("pub.pem")) + " " + shell_quote(dir.file("sec1.pem")),
               dir);
  REQUIRE(g.exit_code == 0);
  auto key = read_private_key_file(dir.file("key.pem"));
  REQUIRE(key.ok());
  auto sec1 = read_private_key_file(dir.file("sec1.pem"));
  REQUIRE(sec1.ok());
  auto pub = read_public_key_file(dir.file("pub.pem"));
  REQUIRE(pub.ok());
  // Our PEM of node's public key is byte-identical to node's.
  CHECK(pub->to_pem().value() == ivsrt_test::read_text(dir.file("pub.pem")));
  CHECK(key->public_part()->to_pem().value() == ivsrt_test::read_text(dir.file("pub.pem")));
  CHECK(sec1->public_part()->to_pem().value() == ivsrt_test::read_text(dir.file("pub.pem")));

  auto token = participant_token_signer::create(*key, kKeyArn)->mint(request());
  ivsrt_test::write_text(dir.file("token.txt"), token->token.reveal());
  auto v = run("node -e " + shell_quote(kNodeVerify) + " " + shell_quote(dir.file("token.txt")) + " " +
                   shell_quote(dir.file("pub.pem")),
               dir);
  INFO(v.err);
  CHECK(v.exit_code == 0);

  // Node reads the PKCS#8 we write and derives the same public key.
  REQUIRE(write_private_key_file(dir.file("ours.pem"), *private_key::generate()).ok());
  auto ours = read_private_key_file(dir.file("ours.pem"));
  const char* derive = R"JS(
const crypto = require('crypto'); const fs = require('fs');
const k = crypto.createPrivateKey(fs.readFileSync(process.argv[1]));
if (k.asymmetricKeyDetails.namedCurve !== 'secp384r1') process.exit(3);
process.stdout.write(crypto.createPublicKey(k).export({type: 'spki', format: 'pem'}));
)JS";
  auto d = run("node -e " + shell_quote(derive) + " " + shell_quote(dir.file("ours.pem")), dir);
  REQUIRE(d.exit_code == 0);
  CHECK(d.out == ours->public_part()->to_pem().value());
}

TEST_CASE("python cryptography verifies tokens we mint", "[tokens][interop][python]") {
  if (!have_python_cryptography()) IVSRT_SKIP("python3 with the cryptography package is not installed");
  scratch_dir dir;
  auto key = private_key::generate();
  write_key_pair(*key, dir);
  auto signer = participant_token_signer::create(*key, kKeyArn);
  const std::string cmd = "python3 -c " + shell_quote(kPythonVerify) + " " +
                          shell_quote(dir.file("token.txt")) + " " + shell_quote(dir.file("pub.pem"));
  for (int i = 0; i < 5; ++i) {
    ivsrt_test::write_text(dir.file("token.txt"), signer->mint(request())->token.reveal());
    auto r = run(cmd, dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "interop-1\n");
  }
  std::string tampered = signer->mint(request())->token.reveal();
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  ivsrt_test::write_text(dir.file("token.txt"), tampered);
  CHECK(run(cmd, dir).exit_code != 0);
}

TEST_CASE("openssl command: its SEC1 keys load, our keys match its view", "[tokens][interop][openssl]") {
  if (!have_openssl()) IVSRT_SKIP("the openssl command is not installed");
  scratch_dir dir;
  // The recipe in the IVS guide: an EC PARAMETERS block followed by an EC PRIVATE KEY block.
  REQUIRE(run("openssl ecparam -name secp384r1 -genkey -out " + shell_quote(dir.file("sec1.pem")), dir)
              .exit_code == 0);
  REQUIRE(ivsrt_test::read_text(dir.file("sec1.pem")).find("BEGIN EC PARAMETERS") != std::string::npos);
  auto sec1 = read_private_key_file(dir.file("sec1.pem"));
  INFO((sec1.ok() ? std::string() : sec1.error().describe()));
  REQUIRE(sec1.ok());
  auto pub = run("openssl ec -in " + shell_quote(dir.file("sec1.pem")) + " -pubout", dir);
  REQUIRE(pub.exit_code == 0);
  CHECK(sec1->public_part()->to_pem().value() == pub.out);

  auto ours = private_key::generate();
  REQUIRE(write_private_key_file(dir.file("ours.pem"), *ours).ok());
  auto text = run("openssl pkey -in " + shell_quote(dir.file("ours.pem")) + " -noout -text", dir);
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("NIST CURVE: P-384") != std::string::npos);
  auto derived = run("openssl pkey -in " + shell_quote(dir.file("ours.pem")) + " -pubout", dir);
  REQUIRE(derived.exit_code == 0);
  CHECK(derived.out == ours->public_part()->to_pem().value());

  auto p256 =
      run("openssl ecparam -name prime256v1 -genkey -noout -out " + shell_quote(dir.file("p256.pem")), dir);
  REQUIRE(p256.exit_code == 0);
  auto wrong = read_private_key_file(dir.file("p256.pem"));
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("prime256v1") != std::string::npos);
}
