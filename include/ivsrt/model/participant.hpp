// Participants of a stage session and the events they caused.
// Operations: GetParticipant, ListParticipants, ListParticipantEvents, DisconnectParticipant.
// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;
// members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"
#include "ivsrt/model/participant_token.hpp"

namespace ivsrt {

struct DisconnectParticipantRequest {
  std::string stageArn{};          // required, StageArn, 1..128 chars
  std::string participantId{};     // required, ParticipantTokenId, 0..64 chars
  optional<std::string> reason{};  // DisconnectParticipantReason, 0..128 chars
};

template <>
struct constraints<DisconnectParticipantRequest> {
  static constexpr std::array<limit, 3> members{{{.member = "stageArn", .min = 1, .max = 128},
                                                 {.member = "participantId", .min = 0, .max = 64},
                                                 {.member = "reason", .min = 0, .max = 128}}};
};

struct DisconnectParticipantResponse {};

enum class EventName {
  JOINED,
  LEFT,
  PUBLISH_STARTED,
  PUBLISH_STOPPED,
  SUBSCRIBE_STARTED,
  SUBSCRIBE_STOPPED,
  PUBLISH_ERROR,
  SUBSCRIBE_ERROR,
  JOIN_ERROR,
  REPLICATION_STARTED,
  REPLICATION_STOPPED,
  TOKEN_EXCHANGED
};
constexpr auto enum_strings(EventName /*unused*/) noexcept {
  return std::array<std::string_view, 12>{"JOINED",
                                          "LEFT",
                                          "PUBLISH_STARTED",
                                          "PUBLISH_STOPPED",
                                          "SUBSCRIBE_STARTED",
                                          "SUBSCRIBE_STOPPED",
                                          "PUBLISH_ERROR",
                                          "SUBSCRIBE_ERROR",
                                          "JOIN_ERROR",
                                          "REPLICATION_STARTED",
                                          "REPLICATION_STOPPED",
                                          "TOKEN_EXCHANGED"};
}

enum class EventErrorCode {
  INSUFFICIENT_CAPABILITIES,
  QUOTA_EXCEEDED,
  PUBLISHER_NOT_FOUND,
  BITRATE_EXCEEDED,
  RESOLUTION_EXCEEDED,
  STREAM_DURATION_EXCEEDED,
  INVALID_AUDIO_CODEC,
  INVALID_VIDEO_CODEC,
  INVALID_PROTOCOL,
  INVALID_STREAM_KEY,
  REUSE_OF_STREAM_KEY,
  B_FRAME_PRESENT,
  INVALID_INPUT,
  INTERNAL_SERVER_EXCEPTION
};
constexpr auto enum_strings(EventErrorCode /*unused*/) noexcept {
  return std::array<std::string_view, 14>{"INSUFFICIENT_CAPABILITIES",
                                          "QUOTA_EXCEEDED",
                                          "PUBLISHER_NOT_FOUND",
                                          "BITRATE_EXCEEDED",
                                          "RESOLUTION_EXCEEDED",
                                          "STREAM_DURATION_EXCEEDED",
                                          "INVALID_AUDIO_CODEC",
                                          "INVALID_VIDEO_CODEC",
                                          "INVALID_PROTOCOL",
                                          "INVALID_STREAM_KEY",
                                          "REUSE_OF_STREAM_KEY",
                                          "B_FRAME_PRESENT",
                                          "INVALID_INPUT",
                                          "INTERNAL_SERVER_EXCEPTION"};
}

struct ExchangedParticipantToken {
  optional<ParticipantTokenCapabilities> capabilities{};  // 0..2 items
  optional<ParticipantTokenAttributes> attributes{};
  optional<std::string> userId{};  // ParticipantTokenUserId, 0..128 chars
  optional<ParticipantTokenExpirationTime> expirationTime{};
};

struct Event {
  optional<open_enum<EventName>> name{};
  optional<std::string> participantId{};  // ParticipantId, 0..64 chars
  optional<Time> eventTime{};
  optional<std::string> remoteParticipantId{};  // ParticipantId, 0..64 chars
  optional<open_enum<EventErrorCode>> errorCode{};
  optional<std::string> destinationStageArn{};   // StageArn, 1..128 chars
  optional<std::string> destinationSessionId{};  // StageSessionId, 16..16 chars
  optional<bool> replica{};
  optional<ExchangedParticipantToken> previousToken{};
  optional<ExchangedParticipantToken> newToken{};
};

using EventList = std::vector<Event>;

struct GetParticipantRequest {
  std::string stageArn{};       // required, StageArn, 1..128 chars
  std::string sessionId{};      // required, StageSessionId, 16..16 chars
  std::string participantId{};  // required, ParticipantId, 0..64 chars
};

template <>
struct constraints<GetParticipantRequest> {
  static constexpr std::array<limit, 3> members{{{.member = "stageArn", .min = 1, .max = 128},
                                                 {.member = "sessionId", .min = 16, .max = 16},
                                                 {.member = "participantId", .min = 0, .max = 64}}};
};

enum class ParticipantState { CONNECTED, DISCONNECTED };
constexpr auto enum_strings(ParticipantState /*unused*/) noexcept {
  return std::array<std::string_view, 2>{"CONNECTED", "DISCONNECTED"};
}

enum class ParticipantRecordingState { STARTING, ACTIVE, STOPPING, STOPPED, FAILED, DISABLED };
constexpr auto enum_strings(ParticipantRecordingState /*unused*/) noexcept {
  return std::array<std::string_view, 6>{"STARTING", "ACTIVE", "STOPPING", "STOPPED", "FAILED", "DISABLED"};
}

enum class ParticipantProtocol { UNKNOWN, WHIP, RTMP, RTMPS };
constexpr auto enum_strings(ParticipantProtocol /*unused*/) noexcept {
  return std::array<std::string_view, 4>{"UNKNOWN", "WHIP", "RTMP", "RTMPS"};
}

enum class ReplicationType { SOURCE, REPLICA, NONE };
constexpr auto enum_strings(ReplicationType /*unused*/) noexcept {
  return std::array<std::string_view, 3>{"SOURCE", "REPLICA", "NONE"};
}

enum class ReplicationState { ACTIVE, STOPPED };
constexpr auto enum_strings(ReplicationState /*unused*/) noexcept {
  return std::array<std::string_view, 2>{"ACTIVE", "STOPPED"};
}

struct Participant {
  optional<std::string> participantId{};  // ParticipantId, 0..64 chars
  optional<std::string> userId{};         // UserId, 0..128 chars
  optional<open_enum<ParticipantState>> state{};
  optional<Time> firstJoinTime{};
  optional<ParticipantAttributes> attributes{};
  optional<bool> published{};
  optional<std::string> ispName{};                // ParticipantClientAttribute, 0..128 chars
  optional<std::string> osName{};                 // ParticipantClientAttribute, 0..128 chars
  optional<std::string> osVersion{};              // ParticipantClientAttribute, 0..128 chars
  optional<std::string> browserName{};            // ParticipantClientAttribute, 0..128 chars
  optional<std::string> browserVersion{};         // ParticipantClientAttribute, 0..128 chars
  optional<std::string> sdkVersion{};             // ParticipantClientAttribute, 0..128 chars
  optional<std::string> recordingS3BucketName{};  // ParticipantRecordingS3BucketName, 0..63 chars
  optional<std::string> recordingS3Prefix{};      // ParticipantRecordingS3Prefix, 0..256 chars
  optional<open_enum<ParticipantRecordingState>> recordingState{};
  optional<open_enum<ParticipantProtocol>> protocol{};
  optional<open_enum<ReplicationType>> replicationType{};
  optional<open_enum<ReplicationState>> replicationState{};
  optional<std::string> sourceStageArn{};   // StageArn, 1..128 chars
  optional<std::string> sourceSessionId{};  // StageSessionId, 16..16 chars
  optional<bool> redundantIngest{};
  optional<std::string> ingestConfigurationArn{};  // IngestConfigurationArn, 1..128 chars
};

struct GetParticipantResponse {
  optional<Participant> participant{};
};

struct ListParticipantEventsRequest {
  std::string stageArn{};               // required, StageArn, 1..128 chars
  std::string sessionId{};              // required, StageSessionId, 16..16 chars
  std::string participantId{};          // required, ParticipantId, 0..64 chars
  optional<std::string> nextToken{};    // PaginationToken, 0..1024 chars
  optional<std::int32_t> maxResults{};  // MaxParticipantEventResults, 1..100
};

template <>
struct constraints<ListParticipantEventsRequest> {
  static constexpr std::array<limit, 5> members{{{.member = "stageArn", .min = 1, .max = 128},
                                                 {.member = "sessionId", .min = 16, .max = 16},
                                                 {.member = "participantId", .min = 0, .max = 64},
                                                 {.member = "nextToken", .min = 0, .max = 1024},
                                                 {.member = "maxResults", .min = 1, .max = 100}}};
};

struct ListParticipantEventsResponse {
  EventList events{};                 // required
  optional<std::string> nextToken{};  // PaginationToken, 0..1024 chars
};

enum class ParticipantRecordingFilterByRecordingState { STARTING, ACTIVE, STOPPING, STOPPED, FAILED };
constexpr auto enum_strings(ParticipantRecordingFilterByRecordingState /*unused*/) noexcept {
  return std::array<std::string_view, 5>{"STARTING", "ACTIVE", "STOPPING", "STOPPED", "FAILED"};
}

struct ListParticipantsRequest {
  std::string stageArn{};                  // required, StageArn, 1..128 chars
  std::string sessionId{};                 // required, StageSessionId, 16..16 chars
  optional<std::string> filterByUserId{};  // UserId, 0..128 chars
  optional<bool> filterByPublished{};
  optional<open_enum<ParticipantState>> filterByState{};
  optional<std::string> nextToken{};    // PaginationToken, 0..1024 chars
  optional<std::int32_t> maxResults{};  // MaxParticipantResults, 1..100
  optional<open_enum<ParticipantRecordingFilterByRecordingState>> filterByRecordingState{};
};

template <>
struct constraints<ListParticipantsRequest> {
  static constexpr std::array<limit, 5> members{{{.member = "stageArn", .min = 1, .max = 128},
                                                 {.member = "sessionId", .min = 16, .max = 16},
                                                 {.member = "filterByUserId", .min = 0, .max = 128},
                                                 {.member = "nextToken", .min = 0, .max = 1024},
                                                 {.member = "maxResults", .min = 1, .max = 100}}};
};

struct ParticipantSummary {
  optional<std::string> participantId{};  // ParticipantId, 0..64 chars
  optional<std::string> userId{};         // UserId, 0..128 chars
  optional<open_enum<ParticipantState>> state{};
  optional<Time> firstJoinTime{};
  optional<bool> published{};
  optional<open_enum<ParticipantRecordingState>> recordingState{};
  optional<open_enum<ReplicationType>> replicationType{};
  optional<open_enum<ReplicationState>> replicationState{};
  optional<std::string> sourceStageArn{};   // StageArn, 1..128 chars
  optional<std::string> sourceSessionId{};  // StageSessionId, 16..16 chars
  optional<bool> redundantIngest{};
  optional<std::string> ingestConfigurationArn{};  // IngestConfigurationArn, 1..128 chars
};

using ParticipantList = std::vector<ParticipantSummary>;

struct ListParticipantsResponse {
  ParticipantList participants{};     // required
  optional<std::string> nextToken{};  // PaginationToken, 0..1024 chars
};

template <>
struct operation<GetParticipantRequest> : operation_defaults {
  using output = GetParticipantResponse;
  static constexpr std::string_view name = "GetParticipant";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/GetParticipant";
};

template <>
struct operation<ListParticipantsRequest> : operation_defaults {
  using output = ListParticipantsResponse;
  static constexpr std::string_view name = "ListParticipants";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ListParticipants";
  static constexpr pagination paging{"nextToken", "nextToken", "maxResults", "participants"};
};

template <>
struct operation<ListParticipantEventsRequest> : operation_defaults {
  using output = ListParticipantEventsResponse;
  static constexpr std::string_view name = "ListParticipantEvents";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ListParticipantEvents";
  static constexpr pagination paging{"nextToken", "nextToken", "maxResults", "events"};
};

template <>
struct operation<DisconnectParticipantRequest> : operation_defaults {
  using output = DisconnectParticipantResponse;
  static constexpr std::string_view name = "DisconnectParticipant";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/DisconnectParticipant";
};

}  // namespace ivsrt
