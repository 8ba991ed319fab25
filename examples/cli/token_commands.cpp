// create-key-pair and mint-token: key pairs and participant tokens made locally, no AWS call.
#include "token_commands.hpp"

#include <simdjson.h>

#include <charconv>
#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ivsrt/json_writer.hpp"
#include "ivsrt/model/participant_token.hpp"
#include "ivsrt/tokens/key_files.hpp"
#include "ivsrt/tokens/participant_token_signer.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_usage = 252;
constexpr int exit_failure = 255;

constexpr std::string_view create_key_pair_usage =
    "usage: ivsrt-cli create-key-pair --private-key-file FILE [--public-key-file FILE] [--overwrite]\n"
    "\n"
    "Generates an ECDSA P-384 key pair for participant tokens you sign yourself. The private key is\n"
    "written as PKCS#8 PEM, readable by its owner only; the public key (also printed) is the PEM to\n"
    "pass to import-public-key. Existing files are not replaced unless --overwrite is given.\n";

constexpr std::string_view mint_token_usage =
    "usage: ivsrt-cli mint-token --private-key-file FILE --public-key-arn ARN --stage-arn ARN\n"
    "                            --events-url URL --whip-url URL [--participant-id ID] [--user-id ID]\n"
    "                            [--attributes JSON|KEY=VALUE,...] [--capabilities PUBLISH SUBSCRIBE]\n"
    "                            [--duration MINUTES] [--output text|json]\n"
    "\n"
    "Signs a participant token (ES384 JWT) locally with the private key whose public half was\n"
    "imported as --public-key-arn. --events-url and --whip-url are the stage's endpoints (get-stage).\n"
    "Defaults: a random participant ID, both capabilities, 720 minutes (at most 20160). Prints the\n"
    "token, or with --output json the same document create-participant-token returns.\n";

// Flags of one command: which take one value, which take a list, which take none.
struct flag_spec {
  std::vector<std::string_view> single;
  std::vector<std::string_view> list;
  std::vector<std::string_view> boolean;
};

struct parsed_flags {
  std::map<std::string, std::string> single;
  std::map<std::string, std::vector<std::string>> list;
  std::map<std::string, bool> boolean;
  bool help = false;
};

bool contains(const std::vector<std::string_view>& v, std::string_view s) {
  for (auto x : v) {
    if (x == s) return true;
  }
  return false;
}

// AWS CLI style: "--name value", "--name=value", "--list a b c"; a flag given twice is an error.
std::optional<parsed_flags> parse_flags(const std::vector<std::string>& args, const flag_spec& spec,
                                        std::ostream& err) {
  parsed_flags out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h" || arg == "help") {
      out.help = true;
      continue;
    }
    if (arg.substr(0, 2) != "--") {
      err << "error: unexpected argument '" << arg << "'\n";
      return std::nullopt;
    }
    std::string name(arg.substr(2));
    std::optional<std::string> inline_value;
    if (const std::size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (out.single.count(name) != 0 || out.list.count(name) != 0 || out.boolean.count(name) != 0) {
      err << "error: --" << name << " is given more than once\n";
      return std::nullopt;
    }
    if (contains(spec.boolean, name)) {
      if (inline_value) {
        err << "error: --" << name << " takes no value\n";
        return std::nullopt;
      }
      out.boolean[name] = true;
    } else if (contains(spec.single, name)) {
      if (inline_value) {
        out.single[name] = *inline_value;
      } else if (i + 1 < args.size() && args[i + 1].substr(0, 2) != "--") {
        out.single[name] = args[++i];
      } else {
        err << "error: --" << name << " needs a value\n";
        return std::nullopt;
      }
    } else if (contains(spec.list, name)) {
      auto& values = out.list[name];
      if (inline_value) values.push_back(*inline_value);
      while (i + 1 < args.size() && args[i + 1].substr(0, 2) != "--") values.push_back(args[++i]);
      if (values.empty()) {
        err << "error: --" << name << " needs at least one value\n";
        return std::nullopt;
      }
    } else {
      err << "error: unknown option --" << name << "\n";
      return std::nullopt;
    }
  }
  return out;
}

bool require(const parsed_flags& flags, std::initializer_list<std::string_view> names, std::ostream& err) {
  for (auto name : names) {
    if (flags.single.count(std::string(name)) == 0) {
      err << "error: --" << name << " is required\n";
      return false;
    }
  }
  return true;
}

int report(const ivsrt::error& e, std::ostream& err) {
  err << "error: " << e.describe() << "\n";
  return e.kind == ivsrt::error_kind::validation ? exit_usage : exit_failure;
}

// A JSON object of strings ({"team":"red"}) or the AWS CLI shorthand team=red,level=3.
std::optional<std::map<std::string, std::string>> parse_attributes(const std::string& text,
                                                                   std::ostream& err) {
  std::map<std::string, std::string> out;
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start != std::string::npos && text[start] == '{') {
    simdjson::padded_string padded(text);
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc;
    simdjson::ondemand::object object;
    if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
        doc.get_object().get(object) != simdjson::SUCCESS) {
      err << "error: --attributes is not a JSON object\n";
      return std::nullopt;
    }
    for (auto field : object) {
      std::string_view key;
      std::string_view value;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
        err << "error: --attributes is not valid JSON\n";
        return std::nullopt;
      }
      if (field.value().get_string().get(value) != simdjson::SUCCESS) {
        err << "error: --attributes: the value of \"" << key << "\" must be a string\n";
        return std::nullopt;
      }
      out[std::string(key)] = std::string(value);
    }
    const char* rest = nullptr;
    if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
      err << "error: --attributes has data after the JSON object\n";
      return std::nullopt;
    }
    return out;
  }
  std::size_t pos = 0;
  while (pos <= text.size() && !text.empty()) {
    const std::size_t comma = text.find(',', pos);
    const std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "error: --attributes must be a JSON object or KEY=VALUE pairs separated by commas\n";
      return std::nullopt;
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace

int run_create_key_pair(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto flags = parse_flags(
      args, {.single = {"private-key-file", "public-key-file"}, .list = {}, .boolean = {"overwrite"}}, err);
  if (!flags) {
    err << create_key_pair_usage;
    return exit_usage;
  }
  if (flags->help) {
    out << create_key_pair_usage;
    return exit_ok;
  }
  if (!require(*flags, {"private-key-file"}, err)) {
    err << create_key_pair_usage;
    return exit_usage;
  }
  const bool overwrite = flags->boolean.count("overwrite") != 0;
  const std::string& private_path = flags->single.at("private-key-file");
  const auto public_path = flags->single.find("public-key-file");
  if (public_path != flags->single.end() && public_path->second == private_path) {
    err << "error: --private-key-file and --public-key-file must differ\n";
    return exit_usage;
  }
  auto key = ivsrt::tokens::private_key::generate();
  if (!key) return report(key.error(), err);
  auto pub = key->public_part();
  if (!pub) return report(pub.error(), err);
  auto pem = pub->to_pem();
  if (!pem) return report(pem.error(), err);
  if (auto r = ivsrt::tokens::write_private_key_file(private_path, *key, overwrite); !r)
    return report(r.error(), err);
  if (public_path != flags->single.end()) {
    if (auto r = ivsrt::tokens::write_public_key_file(public_path->second, *pub, overwrite); !r) {
      return report(r.error(), err);
    }
  }
  out << *pem;
  return exit_ok;
}

int run_mint_token(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto flags =
      parse_flags(args,
                  {.single = {"private-key-file", "public-key-arn", "stage-arn", "events-url", "whip-url",
                              "participant-id", "user-id", "attributes", "duration", "output"},
                   .list = {"capabilities"},
                   .boolean = {}},
                  err);
  if (!flags) {
    err << mint_token_usage;
    return exit_usage;
  }
  if (flags->help) {
    out << mint_token_usage;
    return exit_ok;
  }
  if (!require(*flags, {"private-key-file", "public-key-arn", "stage-arn", "events-url", "whip-url"}, err)) {
    err << mint_token_usage;
    return exit_usage;
  }
  const auto& single = flags->single;
  ivsrt::tokens::mint_request request{.stage_arn = single.at("stage-arn"),
                                      .events_url = single.at("events-url"),
                                      .whip_url = single.at("whip-url")};
  if (auto it = single.find("participant-id"); it != single.end()) {
    if (it->second.empty()) {
      err << "error: --participant-id is empty; leave it out to generate one\n";
      return exit_usage;
    }
    request.participant_id = it->second;
  }
  if (auto it = single.find("user-id"); it != single.end()) request.user_id = it->second;
  if (auto it = single.find("attributes"); it != single.end()) {
    auto attributes = parse_attributes(it->second, err);
    if (!attributes) return exit_usage;
    request.attributes = std::move(*attributes);
  }
  std::vector<ivsrt::open_enum<ivsrt::ParticipantTokenCapability>> capabilities{
      ivsrt::ParticipantTokenCapability::PUBLISH, ivsrt::ParticipantTokenCapability::SUBSCRIBE};
  if (auto it = flags->list.find("capabilities"); it != flags->list.end()) {
    capabilities.clear();
    request.allow_publish = false;
    request.allow_subscribe = false;
    for (std::string_view item : it->second) {
      // Accept "PUBLISH SUBSCRIBE" and "PUBLISH,SUBSCRIBE".
      while (!item.empty()) {
        const std::size_t comma = item.find(',');
        const std::string_view cap = item.substr(0, comma);
        item = comma == std::string_view::npos ? std::string_view() : item.substr(comma + 1);
        if (cap.empty()) continue;
        const auto parsed = ivsrt::open_enum<ivsrt::ParticipantTokenCapability>::from_string(cap);
        if (!parsed.known()) {
          err << "error: --capabilities: '" << cap << "' is not PUBLISH or SUBSCRIBE\n";
          return exit_usage;
        }
        bool& granted = parsed == ivsrt::ParticipantTokenCapability::PUBLISH ? request.allow_publish
                                                                             : request.allow_subscribe;
        if (!granted) capabilities.push_back(parsed);
        granted = true;
      }
    }
  }
  std::int32_t minutes = 720;
  if (auto it = single.find("duration"); it != single.end()) {
    const std::string& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), minutes);
    if (ec != std::errc() || end != text.data() + text.size() || minutes < 1 || minutes > 20160) {
      err << "error: --duration must be a whole number of minutes from 1 to 20160 (14 days)\n";
      return exit_usage;
    }
  }
  request.duration = std::chrono::minutes(minutes);
  std::string output = "text";
  if (auto it = single.find("output"); it != single.end()) output = it->second;
  if (output != "text" && output != "json") {
    err << "error: --output must be text or json\n";
    return exit_usage;
  }

  auto key = ivsrt::tokens::read_private_key_file(single.at("private-key-file"));
  if (!key) return report(key.error(), err);
  auto signer = ivsrt::tokens::participant_token_signer::create(std::move(*key), single.at("public-key-arn"));
  if (!signer) return report(signer.error(), err);
  auto minted = signer->mint(request);
  if (!minted) return report(minted.error(), err);

  if (output == "text") {
    out << minted->token.reveal() << "\n";
    return exit_ok;
  }
  // The shape create-participant-token prints, so scripts can use either.
  ivsrt::CreateParticipantTokenResponse response{
      .participantToken = ivsrt::ParticipantToken{.participantId = minted->participant_id,
                                                  .token = minted->token,
                                                  .userId = request.user_id,
                                                  .attributes = request.attributes,
                                                  .duration = minutes,
                                                  .capabilities = capabilities,
                                                  .expirationTime = minted->expires_at}};
  auto json = ivsrt::json::to_json(response, {.redact_sensitive = false, .pretty = true});
  if (!json) return report(json.error(), err);
  out << *json << "\n";
  return exit_ok;
}

int run_create_key_pair(const std::vector<std::string>& args) {
  return run_create_key_pair(args, std::cout, std::cerr);
}

int run_mint_token(const std::vector<std::string>& args) {
  return run_mint_token(args, std::cout, std::cerr);
}
