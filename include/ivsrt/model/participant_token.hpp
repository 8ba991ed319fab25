// Participant tokens: what a participant presents to join a stage.
// Operations: CreateParticipantToken.
// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;
// members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"

namespace ivsrt {

using ParticipantTokenAttributes = std::map<std::string, std::string>;

enum class ParticipantTokenCapability { PUBLISH, SUBSCRIBE };
constexpr auto enum_strings(ParticipantTokenCapability /*unused*/) noexcept {
  return std::array<std::string_view, 2>{"PUBLISH", "SUBSCRIBE"};
}

using ParticipantTokenCapabilities = std::vector<open_enum<ParticipantTokenCapability>>;

struct CreateParticipantTokenRequest {
  std::string stageArn{};             // required, StageArn, 1..128 chars
  optional<std::int32_t> duration{};  // ParticipantTokenDurationMinutes, 1..20160
  optional<std::string> userId{};     // ParticipantTokenUserId, 0..128 chars
  optional<ParticipantTokenAttributes> attributes{};
  optional<ParticipantTokenCapabilities> capabilities{};  // 0..2 items
};

template <>
struct constraints<CreateParticipantTokenRequest> {
  static constexpr std::array<limit, 4> members{{{.member = "stageArn", .min = 1, .max = 128},
                                                 {.member = "duration", .min = 1, .max = 20160},
                                                 {.member = "userId", .min = 0, .max = 128},
                                                 {.member = "capabilities", .min = 0, .max = 2}}};
};

using ParticipantTokenExpirationTime = timestamp;

struct ParticipantToken {
  optional<std::string> participantId{};  // ParticipantTokenId, 0..64 chars
  optional<sensitive_string> token{};     // ParticipantTokenString, sensitive
  optional<std::string> userId{};         // ParticipantTokenUserId, 0..128 chars
  optional<ParticipantTokenAttributes> attributes{};
  optional<std::int32_t> duration{};                      // ParticipantTokenDurationMinutes, 1..20160
  optional<ParticipantTokenCapabilities> capabilities{};  // 0..2 items
  optional<ParticipantTokenExpirationTime> expirationTime{};
};

struct CreateParticipantTokenResponse {
  optional<ParticipantToken> participantToken{};
};

using ParticipantAttributes = std::map<std::string, std::string>;

template <>
struct operation<CreateParticipantTokenRequest> : operation_defaults {
  using output = CreateParticipantTokenResponse;
  static constexpr std::string_view name = "CreateParticipantToken";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/CreateParticipantToken";
};

}  // namespace ivsrt
