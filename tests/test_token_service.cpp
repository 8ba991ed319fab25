// The token_service example as a process against a loopback IVS stand-in: it creates a stage and
// imports its public key over signed HTTP, then mints tokens locally. The tokens must verify with
// the exact PEM the service received in ImportPublicKey and name the ARN it returned.
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/model/public_key.hpp"
#include "ivsrt/tokens/key_files.hpp"
#include "ivsrt/tokens/participant_token_verifier.hpp"
#include "recording_server.hpp"
#include "token_test_tools.hpp"

using ivsrt_test::recording_server;
using ivsrt_test::reply;
using ivsrt_test::run;
using ivsrt_test::scratch_dir;
using ivsrt_test::shell_quote;

// One line of token_service output. In a named namespace: reflection cannot name members of
// types in unnamed namespaces on every compiler.
namespace token_service_test {
struct issued_token {
  std::string userId{};
  std::string participantId{};
  std::string token{};
  ivsrt::timestamp expirationTime{};
  bool canPublish{};
};
}  // namespace token_service_test
using token_service_test::issued_token;

namespace {

const char* const kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const std::string kStageArn = "arn:aws:ivs:us-west-2:123456789012:stage/GameStage01";
const std::string kKeyArn = "arn:aws:ivs:us-west-2:123456789012:public-key/GameKey01";

reply json_reply(std::string body) {
  return reply{.status = 200,
               .header_list = {{"Content-Type", "application/json"}, {"x-amzn-RequestId", "req-1"}},
               .body = std::move(body),
               .delay_ms = 0};
}

reply ivs_stand_in(const ivsrt_test::received& r) {
  const std::string stage = R"({"stage":{"arn":")" + kStageArn +
                            R"(","name":"game","endpoints":{"events":"wss://global.events.live-video.net",)"
                            R"("whip":"https://game01.global-bm.whip.live-video.net"}}})";
  if (r.path == "/CreateStage" || r.path == "/GetStage") return json_reply(stage);
  if (r.path == "/ImportPublicKey") {
    return json_reply(R"({"publicKey":{"arn":")" + kKeyArn + R"(","name":"game-key","fingerprint":"f"}})");
  }
  return reply{.status = 404, .header_list = {}, .body = R"({"message":"no"})", .delay_ms = 0};
}

std::string service_command(const recording_server& server, const std::string& extra = {}) {
  return "env AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=" + std::string(kSecret) +
         " AWS_REGION=us-west-2 " + shell_quote(IVSRT_TOKEN_SERVICE_PATH) + " --endpoint-url " +
         server.url() + " --stage-name game" + extra;
}

std::vector<issued_token> parse_lines(const std::string& out) {
  std::vector<issued_token> tokens;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    issued_token t;
    auto r = ivsrt::json::from_json(line, t);
    INFO(line);
    REQUIRE(r.ok());
    tokens.push_back(std::move(t));
  }
  return tokens;
}

}  // namespace

TEST_CASE("token_service: creates a stage, imports its key, mints verifiable tokens", "[tokens][example]") {
  recording_server server;
  server.set_handler(ivs_stand_in);
  scratch_dir dir;
  auto r = run(service_command(server), dir, "alice player\nbob spectator\n\ncarol\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find(kStageArn) != std::string::npos);

  const auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].path == "/CreateStage");
  CHECK(requests[0].body == R"({"name":"game"})");
  CHECK(requests[1].path == "/ImportPublicKey");
  for (const auto& req : requests) CHECK(ivsrt_test::verify_sigv4(req, kSecret, "us-west-2", "ivs").empty());
  ivsrt::ImportPublicKeyRequest imported;
  REQUIRE(ivsrt::json::from_json(requests[1].body, imported).ok());
  CHECK(imported.name == "game-key");
  auto pub = ivsrt::tokens::public_key::from_pem(imported.publicKeyMaterial);
  REQUIRE(pub.ok());
  auto verifier = ivsrt::tokens::participant_token_verifier::create(*pub, kKeyArn);
  REQUIRE(verifier.ok());

  const auto tokens = parse_lines(r.out);
  REQUIRE(tokens.size() == 3);
  const char* users[] = {"alice", "bob", "carol"};
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto& t = tokens[i];
    auto claims = verifier->verify(t.token);
    INFO((claims.ok() ? std::string() : claims.error().describe()));
    REQUIRE(claims.ok());
    CHECK(t.userId == users[i]);
    CHECK(claims->user_id == users[i]);
    CHECK(claims->jti == t.participantId);
    CHECK(claims->resource == kStageArn);
    CHECK(claims->topic == "GameStage01");
    CHECK(claims->events_url == "wss://global.events.live-video.net");
    CHECK(claims->whip_url == "https://game01.global-bm.whip.live-video.net");
    CHECK(claims->exp - claims->iat == 720 * 60);
    CHECK(t.expirationTime == ivsrt::timestamp(std::chrono::seconds(claims->exp)));
    CHECK(claims->capabilities.can_subscribe());
    CHECK(claims->capabilities.can_publish() == (i != 1));
    CHECK(t.canPublish == (i != 1));
    CHECK(claims->attributes ==
          std::map<std::string, std::string>{{"role", i == 1 ? "spectator" : "player"}});
  }
  CHECK(tokens[0].participantId != tokens[2].participantId);
}

TEST_CASE("token_service: an existing stage and key make no ImportPublicKey call", "[tokens][example]") {
  recording_server server;
  server.set_handler(ivs_stand_in);
  scratch_dir dir;
  auto key = ivsrt::tokens::private_key::generate();
  REQUIRE(ivsrt::tokens::write_private_key_file(dir.file("key.pem"), *key).ok());
  auto r = run(service_command(server, " --stage-arn " + kStageArn + " --private-key-file " +
                                           shell_quote(dir.file("key.pem")) + " --public-key-arn " + kKeyArn +
                                           " --duration-minutes 5"),
               dir, "dave player\neve admin\n");
  INFO(r.err);
  CHECK(r.exit_code == 1);  // "admin" is not a role
  CHECK(r.err.find("eve: role must be player or spectator") != std::string::npos);
  const auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == "/GetStage");
  CHECK(requests[0].body == R"({"arn":")" + kStageArn + "\"}");
  const auto tokens = parse_lines(r.out);
  REQUIRE(tokens.size() == 1);
  auto claims = ivsrt::tokens::participant_token_verifier::create(*key->public_part(), kKeyArn)
                    ->verify(tokens[0].token);
  REQUIRE(claims.ok());
  CHECK(claims->exp - claims->iat == 300);
  // The private key never reaches the output.
  const std::string pem = key->to_pem()->reveal();
  CHECK(r.err.find(pem.substr(pem.find('\n') + 1, 40)) == std::string::npos);
}

TEST_CASE("token_service: service errors stop it with a clear message", "[tokens][example]") {
  recording_server server;
  server.set_handler([](const ivsrt_test::received&) {
    return reply{
        .status = 403,
        .header_list = {{"Content-Type", "application/json"}, {"x-amzn-ErrorType", "AccessDeniedException"}},
        .body = R"({"message":"not allowed"})",
        .delay_ms = 0};
  });
  scratch_dir dir;
  auto r = run(service_command(server), dir, "alice\n");
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("CreateStage failed: AccessDeniedException") != std::string::npos);
  CHECK(r.out.empty());
}
