// Mints participant tokens locally: ES384 JWTs signed with your private key, whose public half
// you imported with ImportPublicKey. No API call per token; IVS checks the signature when the
// participant joins the stage.
//
//   auto key = ivsrt::tokens::read_private_key_file("ivs-private.pem");
//   auto signer = ivsrt::tokens::participant_token_signer::create(*key, public_key_arn);
//   auto token = signer->mint({.stage_arn = stage_arn, .events_url = events, .whip_url = whip,
//                              .user_id = "player-7", .allow_publish = false});
//   send_to_player(token->token.reveal());
//
// Thread safety: a signer is immutable once created. mint() is const and may be called from any
// number of threads at once on the same signer (each thread uses its own digest context; the
// OpenSSL key is shared read-only). Copies share the key.
#pragma once

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "ivsrt/base64url.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/optional.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/timestamp.hpp"
#include "ivsrt/tokens/es384.hpp"
#include "ivsrt/tokens/key_pair.hpp"
#include "ivsrt/tokens/participant_token_claims.hpp"
#include "ivsrt/tokens/participant_token_rules.hpp"
#include "ivsrt/uuid.hpp"

namespace ivsrt::tokens {

// One token to mint. stage_arn, events_url and whip_url come from the stage (CreateStage or
// GetStage: stage.arn, stage.endpoints.events, stage.endpoints.whip).
struct mint_request {
  std::string stage_arn{};
  std::string events_url{};
  std::string whip_url{};
  // The participant ID (the `jti` claim). Empty: a random one is generated (a UUID, so only
  // letters, digits and '-'; see rules::participant_id_problem about '_').
  std::string participant_id{};
  optional<std::string> user_id{};
  optional<std::map<std::string, std::string>> attributes{};
  // Both granted by default, like CreateParticipantToken.
  bool allow_publish = true;
  bool allow_subscribe = true;
  // How long the token is valid: more than 0, at most 14 days.
  std::chrono::seconds duration = rules::default_lifetime;
};

struct minted_token {
  sensitive_string token{};  // the JWT; a bearer credential for the stage
  std::string participant_id{};
  timestamp issued_at{};
  timestamp expires_at{};
};

class participant_token_signer {
 public:
  // public_key_arn is the `arn` ImportPublicKey (or GetPublicKey) returned for key's public half.
  static result<participant_token_signer> create(private_key key, std::string public_key_arn) {
    if (!key) return make_error(error_kind::validation, "InvalidPrivateKey", "no private key given");
    if (std::string why = rules::public_key_arn_problem(public_key_arn); !why.empty()) {
      return make_error(error_kind::validation, "InvalidPublicKeyArn", why);
    }
    auto st = std::make_shared<state>();
    st->key = std::move(key);
    const jwt_header header{.alg = std::string(rules::algorithm),
                            .typ = std::string(rules::token_type),
                            .kid = public_key_arn,
                            .crit = {}};
    auto header_json = json::to_json(header);
    if (!header_json) return header_json.error();
    base64url::append(st->encoded_header, *header_json);
    st->encoded_header += '.';
    st->public_key_arn = std::move(public_key_arn);
    return participant_token_signer(std::move(st));
  }

  // Mints a token issued now (the system clock).
  [[nodiscard]] result<minted_token> mint(const mint_request& request) const {
    return mint(request, std::chrono::system_clock::now());
  }

  // Mints a token issued at `now` (whole seconds; the fraction is dropped).
  [[nodiscard]] result<minted_token> mint(const mint_request& request,
                                          std::chrono::system_clock::time_point now) const {
    const auto stage_id = rules::stage_id_of(request.stage_arn);
    if (!stage_id) return invalid(rules::stage_arn_problem(request.stage_arn));
    std::string why = rules::url_problem("events_url", request.events_url);
    if (why.empty()) why = rules::url_problem("whip_url", request.whip_url);
    if (why.empty() && request.user_id) why = rules::user_id_problem(*request.user_id);
    if (why.empty() && request.attributes) why = rules::attributes_problem(*request.attributes);
    if (why.empty()) why = rules::lifetime_problem(request.duration);
    if (why.empty() && !request.participant_id.empty())
      why = rules::participant_id_problem(request.participant_id);
    if (!why.empty()) return invalid(std::move(why));

    std::string participant_id = request.participant_id;
    if (participant_id.empty()) {
      auto generated = random_participant_id();
      if (!generated) return generated.error();
      participant_id = std::move(*generated);
    }
    const auto iat = std::chrono::floor<std::chrono::seconds>(now);
    const auto exp = iat + request.duration;
    participant_token_claims claims{
        .exp = exp.time_since_epoch().count(),
        .iat = iat.time_since_epoch().count(),
        .jti = participant_id,
        .user_id = request.user_id,
        .resource = request.stage_arn,
        .topic = std::string(*stage_id),
        .events_url = request.events_url,
        .whip_url = request.whip_url,
        .capabilities = {.allow_publish = request.allow_publish ? optional<bool>(true) : optional<bool>(),
                         .allow_subscribe =
                             request.allow_subscribe ? optional<bool>(true) : optional<bool>()},
        .attributes = request.attributes,
        .version = std::string(rules::token_version)};
    auto payload = json::to_json(claims);
    if (!payload) return payload.error();

    const state& st = *state_;
    std::string token;
    token.reserve(st.encoded_header.size() + base64url::encoded_size(payload->size()) + 1 +
                  base64url::encoded_size(es384::signature_size));
    token += st.encoded_header;
    base64url::append(token, *payload);
    const auto signature = es384::sign(st.key.native_handle(), token);
    if (!signature) {
      return make_error(error_kind::configuration, "CryptoFailure",
                        "OpenSSL could not sign the participant token");
    }
    token += '.';
    base64url::append(token, signature->data(), signature->size());
    return minted_token{.token = sensitive_string(std::move(token)),
                        .participant_id = std::move(participant_id),
                        .issued_at = std::chrono::time_point_cast<std::chrono::nanoseconds>(iat),
                        .expires_at = std::chrono::time_point_cast<std::chrono::nanoseconds>(exp)};
  }

  [[nodiscard]] const std::string& public_key_arn() const noexcept { return state_->public_key_arn; }

 private:
  struct state {
    private_key key;
    std::string public_key_arn;
    std::string encoded_header;  // base64url(header JSON) + ".", the same for every token
  };

  explicit participant_token_signer(std::shared_ptr<const state> st) noexcept : state_(std::move(st)) {}

  static error invalid(std::string why) {
    return make_error(error_kind::validation, "InvalidTokenRequest", std::move(why));
  }

  // A version-4 UUID from OpenSSL's CSPRNG: unique without coordination, not guessable.
  static result<std::string> random_participant_id() {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
      return make_error(error_kind::configuration, "CryptoFailure",
                        "OpenSSL could not generate a participant ID");
    }
    return format_uuid4(b);
  }

  std::shared_ptr<const state> state_;
};

}  // namespace ivsrt::tokens
