// The create-key-pair and mint-token commands: called directly (token_commands.cpp is compiled
// into this program) and as real processes through a driver with the CLI's calling convention.
// Tokens they print are checked with the library's verifier and, where installed, with node.
#include <sys/stat.h>

#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/model/participant_token.hpp"
#include "ivsrt/tokens/key_files.hpp"
#include "ivsrt/tokens/participant_token_verifier.hpp"
#include "token_commands.hpp"
#include "token_test_tools.hpp"

using ivsrt_test::run;
using ivsrt_test::scratch_dir;
using ivsrt_test::shell_quote;

namespace {

const std::string kKeyArn = "arn:aws:ivs:eu-west-1:123456789012:public-key/0123ABCDwxyz";
const std::string kStageArn = "arn:aws:ivs:eu-west-1:123456789012:stage/StageA1";
const std::string kEvents = "wss://global.events.live-video.net";
const std::string kWhip = "https://0123abcd.global-bm.whip.live-video.net";

struct outcome {
  int code = -1;
  std::string out;
  std::string err;
};

outcome create_key_pair(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = run_create_key_pair(args, out, err);
  return {code, out.str(), err.str()};
}

outcome mint_token(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = run_mint_token(args, out, err);
  return {code, out.str(), err.str()};
}

struct keys {
  scratch_dir dir;
  std::string priv = dir.file("ivs-private.pem");
  std::string pub = dir.file("ivs-public.pem");
  keys() { REQUIRE(create_key_pair({"--private-key-file", priv, "--public-key-file", pub}).code == 0); }
};

std::vector<std::string> mint_args(const keys& k, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--private-key-file", k.priv,    "--public-key-arn", kKeyArn,
                                "--stage-arn",        kStageArn, "--events-url",     kEvents,
                                "--whip-url",         kWhip};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

ivsrt::tokens::participant_token_claims verify(const keys& k, const std::string& printed) {
  REQUIRE(!printed.empty());
  REQUIRE(printed.back() == '\n');
  auto pub = ivsrt::tokens::read_public_key_file(k.pub);
  REQUIRE(pub.ok());
  auto verifier = ivsrt::tokens::participant_token_verifier::create(*pub, kKeyArn);
  auto claims = verifier->verify(printed.substr(0, printed.size() - 1));
  INFO((claims.ok() ? std::string() : claims.error().describe()));
  REQUIRE(claims.ok());
  return *claims;
}

}  // namespace

TEST_CASE("create-key-pair writes a private key (0600) and the public PEM it prints", "[cli][tokens]") {
  scratch_dir dir;
  const std::string priv = dir.file("k.pem");
  const std::string pub = dir.file("k.pub.pem");
  auto r = create_key_pair({"--private-key-file", priv, "--public-key-file=" + pub});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out == ivsrt_test::read_text(pub));
  CHECK(r.out.rfind("-----BEGIN PUBLIC KEY-----\n", 0) == 0);
  CHECK(r.out.find("PRIVATE") == std::string::npos);
  struct stat st {};
  REQUIRE(::stat(priv.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto key = ivsrt::tokens::read_private_key_file(priv);
  REQUIRE(key.ok());
  CHECK(key->public_part()->to_pem().value() == r.out);

  const std::string before = ivsrt_test::read_text(priv);
  auto again = create_key_pair({"--private-key-file", priv});
  CHECK(again.code == 255);
  CHECK(again.err.find("already exists") != std::string::npos);
  CHECK(ivsrt_test::read_text(priv) == before);
  auto replaced = create_key_pair({"--private-key-file", priv, "--public-key-file", pub, "--overwrite"});
  CHECK(replaced.code == 0);
  CHECK(ivsrt_test::read_text(priv) != before);
  CHECK(replaced.out == ivsrt_test::read_text(pub));
}

TEST_CASE("create-key-pair: usage errors exit 252", "[cli][tokens]") {
  scratch_dir dir;
  CHECK(create_key_pair({}).code == 252);
  CHECK(create_key_pair({"--public-key-file", dir.file("p")}).code == 252);
  CHECK(create_key_pair({"--private-key-file"}).code == 252);
  CHECK(create_key_pair({"--private-key-file", dir.file("a"), "--bogus", "x"})
            .err.find("unknown option --bogus") != std::string::npos);
  CHECK(create_key_pair({"--private-key-file", dir.file("a"), "--private-key-file", dir.file("b")}).code ==
        252);
  CHECK(create_key_pair({"--private-key-file", dir.file("a"), "--public-key-file", dir.file("a")}).code ==
        252);
  CHECK(create_key_pair({"--private-key-file", dir.file("missing-dir/a")}).code == 255);
  auto help = create_key_pair({"--help"});
  CHECK(help.code == 0);
  CHECK(help.out.find("usage: ivsrt-cli create-key-pair") != std::string::npos);
}

TEST_CASE("mint-token prints a token that verifies, with the requested claims", "[cli][tokens]") {
  keys k;
  auto r = mint_token(
      mint_args(k, {"--participant-id", "player_1", "--user-id", "Alice", "--attributes",
                    R"({"team":"red","seat":"3"})", "--capabilities", "SUBSCRIBE", "--duration", "30"}));
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto claims = verify(k, r.out);
  CHECK(claims.jti == "player_1");
  CHECK(claims.user_id == "Alice");
  CHECK(claims.attributes == std::map<std::string, std::string>{{"seat", "3"}, {"team", "red"}});
  CHECK(claims.capabilities.can_subscribe());
  CHECK_FALSE(claims.capabilities.can_publish());
  CHECK(claims.exp - claims.iat == 1800);
  CHECK(claims.resource == kStageArn);
  CHECK(claims.topic == "StageA1");
  CHECK(claims.events_url == kEvents);
  CHECK(claims.whip_url == kWhip);
  CHECK(r.err.empty());
}

TEST_CASE("mint-token defaults, capabilities forms and attribute shorthand", "[cli][tokens]") {
  keys k;
  auto defaults = verify(k, mint_token(mint_args(k)).out);
  CHECK(defaults.exp - defaults.iat == 720 * 60);
  CHECK(defaults.capabilities.can_publish());
  CHECK(defaults.capabilities.can_subscribe());
  CHECK(defaults.jti.size() == 36);
  CHECK_FALSE(defaults.user_id.has_value());
  CHECK_FALSE(defaults.attributes.has_value());

  auto both = verify(k, mint_token(mint_args(k, {"--capabilities", "PUBLISH,SUBSCRIBE"})).out);
  CHECK((both.capabilities.can_publish() && both.capabilities.can_subscribe()));
  auto publish = verify(k, mint_token(mint_args(k, {"--capabilities", "PUBLISH"})).out);
  CHECK((publish.capabilities.can_publish() && !publish.capabilities.can_subscribe()));
  auto spaced = verify(
      k, mint_token(mint_args(k, {"--capabilities", "SUBSCRIBE", "PUBLISH", "--duration", "20160"})).out);
  CHECK((spaced.capabilities.can_publish() && spaced.capabilities.can_subscribe()));
  CHECK(spaced.exp - spaced.iat == 20160 * 60);
  auto shorthand = verify(k, mint_token(mint_args(k, {"--attributes", "a=1,b=x=y"})).out);
  CHECK(shorthand.attributes == std::map<std::string, std::string>{{"a", "1"}, {"b", "x=y"}});
}

TEST_CASE("mint-token --output json has the shape create-participant-token prints", "[cli][tokens]") {
  keys k;
  auto r = mint_token(
      mint_args(k, {"--user-id", "u", "--capabilities", "PUBLISH", "--duration", "60", "--output", "json"}));
  INFO(r.err);
  REQUIRE(r.code == 0);
  ivsrt::CreateParticipantTokenResponse doc;
  REQUIRE(ivsrt::json::from_json(r.out, doc).ok());
  REQUIRE(doc.participantToken.has_value());
  const auto& t = *doc.participantToken;
  const auto claims = verify(k, t.token->reveal() + "\n");
  CHECK(t.participantId == claims.jti);
  CHECK(t.userId == "u");
  CHECK(t.duration == 60);
  REQUIRE(t.capabilities->size() == 1);
  CHECK(t.capabilities->at(0) == ivsrt::ParticipantTokenCapability::PUBLISH);
  CHECK(t.expirationTime == ivsrt::timestamp(std::chrono::seconds(claims.exp)));
}

TEST_CASE("mint-token: bad usage and values exit 252 with a clear message", "[cli][tokens]") {
  keys k;
  struct bad {
    std::vector<std::string> extra;
    std::string message;
  };
  const bad cases[] = {
      {{"--duration", "0"}, "--duration must be a whole number of minutes from 1 to 20160"},
      {{"--duration", "20161"}, "--duration must be"},
      {{"--duration", "1.5"}, "--duration must be"},
      {{"--duration", "abc"}, "--duration must be"},
      {{"--capabilities", "ADMIN"}, "'ADMIN' is not PUBLISH or SUBSCRIBE"},
      {{"--capabilities"}, "--capabilities needs at least one value"},
      {{"--attributes", R"({"a":1})"}, "the value of \"a\" must be a string"},
      {{"--attributes", R"({"a":"b")"}, "--attributes"},
      {{"--attributes", "novalue"}, "KEY=VALUE"},
      {{"--participant-id", "has space"}, "only letters, digits, '-' and '_'"},
      {{"--participant-id", std::string(65, 'p')}, "at most 64"},
      {{"--participant-id", ""}, "leave it out to generate one"},
      {{"--user-id", std::string(129, 'u')}, "at most 128"},
      {{"--attributes", "k=" + std::string(1024, 'v')}, "at most 1024"},
      {{"--output", "yaml"}, "--output must be text or json"},
      {{"--whip-url", "x"}, "given more than once"},
      {{"extra"}, "unexpected argument 'extra'"},
  };
  for (const auto& b : cases) {
    auto r = mint_token(mint_args(k, b.extra));
    INFO(b.message);
    INFO(r.err);
    CHECK(r.code == 252);
    CHECK(r.err.find(b.message) != std::string::npos);
    CHECK(r.out.empty());
  }
  auto bad_stage = mint_args(k);
  bad_stage[5] = "arn:aws:ivs:eu-west-1:123456789012:channel/abc";
  CHECK(mint_token(bad_stage).code == 252);
  auto bad_arn = mint_args(k);
  bad_arn[3] = "not-an-arn";
  CHECK(mint_token(bad_arn).err.find("public key ARN must look like") != std::string::npos);
  CHECK(mint_token({"--stage-arn", kStageArn}).err.find("--private-key-file is required") !=
        std::string::npos);
}

TEST_CASE("mint-token: key file problems; the key never reaches stderr", "[cli][tokens]") {
  keys k;
  auto args = mint_args(k);
  args[1] = k.dir.file("absent.pem");
  auto missing = mint_token(args);
  CHECK(missing.code == 255);
  CHECK(missing.err.find("absent.pem: cannot open") != std::string::npos);
  args[1] = k.pub;
  auto wrong = mint_token(args);
  CHECK(wrong.code == 252);
  CHECK(wrong.err.find("expected a private key") != std::string::npos);
  const std::string priv_pem = ivsrt_test::read_text(k.priv);
  const std::string body = priv_pem.substr(priv_pem.find('\n') + 1, 40);
  ivsrt_test::write_text(k.dir.file("broken.pem"), priv_pem.substr(0, priv_pem.size() - 40));
  args[1] = k.dir.file("broken.pem");
  auto broken = mint_token(args);
  CHECK(broken.code == 252);
  CHECK(broken.err.find(body) == std::string::npos);
  CHECK(broken.out.empty());
}

#if defined(IVSRT_CLI_PATH)
// Through a real process: ivsrt-cli registers the token commands beside the model's operations.
TEST_CASE("token commands as processes: create-key-pair, mint-token, verified by node",
          "[cli][tokens][process]") {
  scratch_dir dir;
  const std::string cli = shell_quote(IVSRT_CLI_PATH);
  auto created = run(cli + " create-key-pair --private-key-file " + shell_quote(dir.file("k.pem")) +
                         " --public-key-file " + shell_quote(dir.file("k.pub")),
                     dir);
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  CHECK(created.out == ivsrt_test::read_text(dir.file("k.pub")));
  auto minted =
      run(cli + " mint-token --private-key-file " + shell_quote(dir.file("k.pem")) + " --public-key-arn " +
              kKeyArn + " --stage-arn " + kStageArn + " --events-url " + kEvents + " --whip-url " + kWhip +
              " --user-id player-9 --capabilities SUBSCRIBE --duration 5",
          dir);
  INFO(minted.err);
  REQUIRE(minted.exit_code == 0);
  auto pub = ivsrt::tokens::read_public_key_file(dir.file("k.pub"));
  auto claims = ivsrt::tokens::participant_token_verifier::create(*pub, kKeyArn)
                    ->verify(minted.out.substr(0, minted.out.size() - 1));
  REQUIRE(claims.ok());
  CHECK(claims->user_id == "player-9");
  CHECK(claims->exp - claims->iat == 300);

  CHECK(run(cli + " mint-token --duration 5", dir).exit_code == 252);
  CHECK(run(cli + " create-key-pair", dir).exit_code == 252);

  if (!ivsrt_test::available("node --version")) IVSRT_SKIP("node is not installed");
  ivsrt_test::write_text(dir.file("token.txt"), minted.out);
  const char* js = R"JS(
const crypto = require('crypto'); const fs = require('fs');
const [h, p, s] = fs.readFileSync(process.argv[1], 'utf8').trim().split('.');
const ok = crypto.verify('sha384', Buffer.from(h + '.' + p), {key: fs.readFileSync(process.argv[2]),
                         dsaEncoding: 'ieee-p1363'}, Buffer.from(s, 'base64url'));
process.exit(ok ? 0 : 1);
)JS";
  auto node = run("node -e " + shell_quote(js) + " " + shell_quote(dir.file("token.txt")) + " " +
                      shell_quote(dir.file("k.pub")),
                  dir);
  INFO(node.err);
  CHECK(node.exit_code == 0);
}
#endif
