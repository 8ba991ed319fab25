// token_service: a small token-issuing service for a game backend.
//
// At start-up it gets a stage (creates one with CreateStage, or reads --stage-arn with GetStage),
// gets a signing key (reads --private-key-file, or generates one and imports its public half with
// ImportPublicKey), then mints a participant token locally for every player it is asked about:
// one request per line on stdin, "<user-id> [player|spectator]", one JSON line per token on stdout.
// No AWS call is made per token. Progress goes to stderr; secrets never do.
//
//   token_service [--endpoint-url URL] [--region REGION] [--stage-arn ARN | --stage-name NAME]
//                 [--private-key-file FILE [--public-key-arn ARN]] [--duration-minutes N]
//
// Endpoint: --endpoint-url, else AWS_ENDPOINT_URL_IVS_REALTIME, else AWS_ENDPOINT_URL, else the
// regional IVS endpoint. Region: --region, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's.
// Credentials: the AWS default chain (environment, profile, web identity, container, instance).
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/client.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/model/public_key.hpp"
#include "ivsrt/model/stage.hpp"
#include "ivsrt/tokens/key_files.hpp"
#include "ivsrt/tokens/participant_token_signer.hpp"

// What the service answers for one player, one JSON object per line. (Reflected types must not be
// in an unnamed namespace: some compilers cannot name their members.)
namespace token_service {
struct issued_token {
  std::string userId{};
  std::string participantId{};
  std::string token{};
  ivsrt::timestamp expirationTime{};
  bool canPublish{};
};
}  // namespace token_service

namespace {

struct options {
  std::string endpoint_url;
  std::string region;
  std::string stage_arn;
  std::string stage_name = "token-service-stage";
  std::string private_key_file;
  std::string public_key_arn;
  int duration_minutes = 720;
};

int usage(const char* why) {
  std::fprintf(
      stderr,
      "token_service: %s\n"
      "usage: token_service [--endpoint-url URL] [--region REGION] [--stage-arn ARN | --stage-name NAME]\n"
      "                     [--private-key-file FILE [--public-key-arn ARN]] [--duration-minutes N]\n",
      why);
  return 2;
}

int fail(const char* step, const ivsrt::error& e) {
  std::fprintf(stderr, "token_service: %s failed: %s\n", step, e.describe().c_str());
  return 1;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at start-up only
  return v != nullptr ? v : "";
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  const std::pair<std::string_view, std::string*> text_flags[] = {
      {"--endpoint-url", &opt.endpoint_url},
      {"--region", &opt.region},
      {"--stage-arn", &opt.stage_arn},
      {"--stage-name", &opt.stage_name},
      {"--private-key-file", &opt.private_key_file},
      {"--public-key-arn", &opt.public_key_arn}};
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return usage(("missing value for " + flag).c_str());
    const std::string value = argv[++i];
    std::string* text = nullptr;
    for (const auto& [name, target] : text_flags) {
      if (flag == name) text = target;
    }
    if (text != nullptr) {
      *text = value;
    } else if (flag == "--duration-minutes") {
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), opt.duration_minutes);
      if (ec != std::errc() || end != value.data() + value.size() || opt.duration_minutes < 1 ||
          opt.duration_minutes > 20160) {
        return usage("--duration-minutes must be 1 to 20160");
      }
    } else {
      return usage(("unknown option " + flag).c_str());
    }
  }
  if (!opt.public_key_arn.empty() && opt.private_key_file.empty()) {
    return usage("--public-key-arn needs the --private-key-file it belongs to");
  }
  if (opt.endpoint_url.empty()) opt.endpoint_url = env("AWS_ENDPOINT_URL_IVS_REALTIME");
  if (opt.endpoint_url.empty()) opt.endpoint_url = env("AWS_ENDPOINT_URL");

  auto client = ivsrt::client::create({.region = opt.region, .endpoint_url = opt.endpoint_url});
  if (!client) return fail("client set-up", client.error());

  // 1. The stage: its ARN and endpoints go into every token.
  ivsrt::Stage stage;
  if (opt.stage_arn.empty()) {
    auto created = client->send(ivsrt::CreateStageRequest{.name = opt.stage_name});
    if (!created) return fail("CreateStage", created.error());
    stage = created->stage.value_or(ivsrt::Stage{});
  } else {
    auto got = client->send(ivsrt::GetStageRequest{.arn = opt.stage_arn});
    if (!got) return fail("GetStage", got.error());
    stage = got->stage.value_or(ivsrt::Stage{});
  }
  const ivsrt::StageEndpoints endpoints = stage.endpoints.value_or(ivsrt::StageEndpoints{});
  std::fprintf(stderr, "token_service: stage %s\n", stage.arn.c_str());

  // 2. The signing key. Its public half must be imported once; IVS keeps it until deleted.
  ivsrt::tokens::private_key key;
  std::string public_key_arn = opt.public_key_arn;
  if (!opt.private_key_file.empty()) {
    auto read = ivsrt::tokens::read_private_key_file(opt.private_key_file);
    if (!read) return fail("reading the private key", read.error());
    key = std::move(*read);
  } else {
    auto generated = ivsrt::tokens::private_key::generate();
    if (!generated) return fail("generating a key", generated.error());
    key = std::move(*generated);
  }
  if (public_key_arn.empty()) {
    auto pub = key.public_part();
    if (!pub) return fail("deriving the public key", pub.error());
    auto pem = pub->to_pem();
    if (!pem) return fail("encoding the public key", pem.error());
    auto imported = client->send(
        ivsrt::ImportPublicKeyRequest{.publicKeyMaterial = *pem, .name = opt.stage_name + "-key"});
    if (!imported) return fail("ImportPublicKey", imported.error());
    public_key_arn = imported->publicKey.value_or(ivsrt::PublicKey{}).arn.value_or("");
  }
  std::fprintf(stderr, "token_service: public key %s\n", public_key_arn.c_str());

  auto signer = ivsrt::tokens::participant_token_signer::create(std::move(key), public_key_arn);
  if (!signer) return fail("signer set-up", signer.error());

  // 3. One token per request line, minted locally.
  int status = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    const std::size_t space = line.find(' ');
    const std::string user_id = line.substr(0, space);
    const std::string role = space == std::string::npos ? "player" : line.substr(space + 1);
    if (user_id.empty()) continue;
    if (role != "player" && role != "spectator") {
      std::fprintf(stderr, "token_service: %s: role must be player or spectator\n", user_id.c_str());
      status = 1;
      continue;
    }
    auto minted = signer->mint({.stage_arn = stage.arn,
                                .events_url = endpoints.events.value_or(""),
                                .whip_url = endpoints.whip.value_or(""),
                                .participant_id = {},
                                .user_id = user_id,
                                .attributes = {{{"role", role}}},
                                .allow_publish = role == "player",
                                .allow_subscribe = true,
                                .duration = std::chrono::minutes(opt.duration_minutes)});
    if (!minted) {
      std::fprintf(stderr, "token_service: %s: %s\n", user_id.c_str(), minted.error().describe().c_str());
      status = 1;
      continue;
    }
    auto json = ivsrt::json::to_json(token_service::issued_token{.userId = user_id,
                                                                 .participantId = minted->participant_id,
                                                                 .token = minted->token.reveal(),
                                                                 .expirationTime = minted->expires_at,
                                                                 .canPublish = role == "player"});
    if (!json) return fail("writing the answer", json.error());
    std::cout << *json << '\n' << std::flush;
  }
  return status;
}
