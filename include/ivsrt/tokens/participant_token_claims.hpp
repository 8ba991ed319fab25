// What a self-signed participant token carries: the JWT header and the claims IVS reads when a
// participant joins a stage ("Distribute tokens" in the IVS Real-Time User Guide). These are the
// token's JSON, written and read by the reflection JSON code; member names are the claim names.
//
// Not to be confused with ivsrt::ParticipantToken (model/participant_token.hpp), the output of the
// CreateParticipantToken API, whose token string is opaque and signed by IVS.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ivsrt/optional.hpp"

namespace ivsrt::tokens {

// The JOSE header of a participant token.
struct jwt_header {
  std::string alg{};  // "ES384"
  std::string typ{};  // "JWT"
  std::string kid{};  // ARN of the public key imported with ImportPublicKey
  // Never written. Read only so that a token naming extensions it depends on ("crit",
  // RFC 7515 section 4.1.11) is refused, as JWS requires of a verifier that knows none.
  optional<std::vector<std::string>> crit{};
};

// What the participant may do. A right that is not granted is left out of the token (a
// subscribe-only token carries just "allow_subscribe": true); when reading, absent means false.
struct participant_capabilities {
  optional<bool> allow_publish{};
  optional<bool> allow_subscribe{};

  [[nodiscard]] bool can_publish() const noexcept { return allow_publish.value_or(false); }
  [[nodiscard]] bool can_subscribe() const noexcept { return allow_subscribe.value_or(false); }
};

// The payload of a participant token. Every claim is required except user_id and attributes.
struct participant_token_claims {
  std::int64_t exp{};               // expiry, Unix seconds; at most 14 days after iat
  std::int64_t iat{};               // issue time, Unix seconds
  std::string jti{};                // the participant ID: 1-64 of [A-Za-z0-9_-], unique per token
  optional<std::string> user_id{};  // up to 128 characters, visible to the whole stage: no PII
  std::string resource{};           // stage ARN
  std::string topic{};              // stage ID, the last segment of the stage ARN
  std::string events_url{};         // the stage's endpoints.events
  std::string whip_url{};           // the stage's endpoints.whip
  participant_capabilities capabilities{};
  optional<std::map<std::string, std::string>> attributes{};  // at most 1 KB, visible to the stage
  std::string version{};                                      // "1.0"
};

}  // namespace ivsrt::tokens
