// Participant tokens: issued by CreateStage and CreateParticipantToken. A token is shaped like the
// service's (a JWT, "alg": "KMS", with the documented participant-token claims) but it is opaque to
// clients, as the service documents; the local service recognises its tokens by value.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/base64url.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/local/engine.hpp"
#include "ivsrt/tokens/participant_token_claims.hpp"
#include "ivsrt/tokens/participant_token_rules.hpp"

namespace ivsrt::local {

namespace detail {

struct token_header {
  std::string alg = "KMS";
  std::string typ = "JWT";
};

template <class T>
std::string encoded_json(const T& v) {
  std::string text;
  json::writer(text).object(v, nullptr);
  return base64url::encode(text);
}

}  // namespace detail

// Issues a token for stage s with the documented defaults (720 minutes, PUBLISH and SUBSCRIBE).
inline ParticipantToken issue_token(engine& e, stage_record& s, const optional<std::int32_t>& duration,
                                    const optional<std::string>& user_id,
                                    const optional<ParticipantTokenAttributes>& attributes,
                                    const optional<ParticipantTokenCapabilities>& capabilities) {
  ParticipantToken t;
  t.participantId = e.ids().participant_id();
  t.userId = user_id;
  t.attributes = attributes;
  t.duration = duration.value_or(720);
  t.capabilities = capabilities.value_or(ParticipantTokenCapabilities{ParticipantTokenCapability::PUBLISH,
                                                                      ParticipantTokenCapability::SUBSCRIBE});
  const timestamp issued = e.now();
  t.expirationTime = issued + std::chrono::minutes(*t.duration);
  tokens::participant_token_claims claims;
  claims.iat = std::chrono::floor<std::chrono::seconds>(issued).time_since_epoch().count();
  claims.exp = std::chrono::floor<std::chrono::seconds>(*t.expirationTime).time_since_epoch().count();
  claims.jti = *t.participantId;
  claims.resource = s.stage.arn;
  claims.topic = std::string(arn_id(s.stage.arn));
  if (s.stage.endpoints) {
    claims.events_url = s.stage.endpoints->events.value_or("");
    claims.whip_url = s.stage.endpoints->whip.value_or("");
  }
  for (const auto& c : *t.capabilities) {
    if (c == ParticipantTokenCapability::PUBLISH) claims.capabilities.allow_publish = true;
    if (c == ParticipantTokenCapability::SUBSCRIBE) claims.capabilities.allow_subscribe = true;
  }
  claims.user_id = user_id;
  claims.attributes = attributes;
  claims.version = std::string(tokens::rules::token_version);
  std::string signature(64, '\0');
  for (char& c : signature) c = static_cast<char>(e.ids().number() & 0xFF);
  t.token = sensitive_string(detail::encoded_json(detail::token_header{}) + "." +
                             detail::encoded_json(claims) + "." + base64url::encode(signature));
  s.tokens[*t.participantId] = token_record{.token = t, .stageArn = s.stage.arn, .revoked = false};
  return t;
}

inline result<CreateParticipantTokenResponse> handle(engine& e, const CreateParticipantTokenRequest& r) {
  auto checked = check_attributes(r.attributes, "attributes");
  if (!checked) return checked.error();
  auto stage = find_stage(e, r.stageArn);
  if (!stage) return stage.error();
  return CreateParticipantTokenResponse{
      .participantToken = issue_token(e, **stage, r.duration, r.userId, r.attributes, r.capabilities)};
}

}  // namespace ivsrt::local
