// Participant replication: a participant of one stage shown in another.
// Operations: StartParticipantReplication, StopParticipantReplication, ListParticipantReplicas.
// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;
// members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"
#include "ivsrt/model/participant.hpp"

namespace ivsrt {

struct ListParticipantReplicasRequest {
  std::string sourceStageArn{};         // required, StageArn, 1..128 chars
  std::string participantId{};          // required, ParticipantId, 0..64 chars
  optional<std::string> nextToken{};    // PaginationToken, 0..1024 chars
  optional<std::int32_t> maxResults{};  // MaxParticipantReplicaResults, 1..50
};

template <>
struct constraints<ListParticipantReplicasRequest> {
  static constexpr std::array<limit, 4> members{{{.member = "sourceStageArn", .min = 1, .max = 128},
                                                 {.member = "participantId", .min = 0, .max = 64},
                                                 {.member = "nextToken", .min = 0, .max = 1024},
                                                 {.member = "maxResults", .min = 1, .max = 50}}};
};

struct ParticipantReplica {
  std::string sourceStageArn{};                    // required, StageArn, 1..128 chars
  std::string participantId{};                     // required, ParticipantId, 0..64 chars
  std::string sourceSessionId{};                   // required, StageSessionId, 16..16 chars
  std::string destinationStageArn{};               // required, StageArn, 1..128 chars
  std::string destinationSessionId{};              // required, StageSessionId, 16..16 chars
  open_enum<ReplicationState> replicationState{};  // required
};

using ParticipantReplicaList = std::vector<ParticipantReplica>;

struct ListParticipantReplicasResponse {
  ParticipantReplicaList replicas{};  // required
  optional<std::string> nextToken{};  // PaginationToken, 0..1024 chars
};

struct StartParticipantReplicationRequest {
  std::string sourceStageArn{};                     // required, StageArn, 1..128 chars
  std::string destinationStageArn{};                // required, StageArn, 1..128 chars
  std::string participantId{};                      // required, ParticipantId, 0..64 chars
  optional<std::int32_t> reconnectWindowSeconds{};  // ReconnectWindowSeconds, 0..300
  optional<ParticipantAttributes> attributes{};
};

template <>
struct constraints<StartParticipantReplicationRequest> {
  static constexpr std::array<limit, 4> members{{{.member = "sourceStageArn", .min = 1, .max = 128},
                                                 {.member = "destinationStageArn", .min = 1, .max = 128},
                                                 {.member = "participantId", .min = 0, .max = 64},
                                                 {.member = "reconnectWindowSeconds", .min = 0, .max = 300}}};
};

struct StartParticipantReplicationResponse {
  optional<std::string> accessControlAllowOrigin{};    // in header "Access-Control-Allow-Origin"
  optional<std::string> accessControlExposeHeaders{};  // in header "Access-Control-Expose-Headers"
  optional<std::string> cacheControl{};                // in header "Cache-Control"
  optional<std::string> contentSecurityPolicy{};       // in header "Content-Security-Policy"
  optional<std::string> strictTransportSecurity{};     // in header "Strict-Transport-Security"
  optional<std::string> xContentTypeOptions{};         // in header "X-Content-Type-Options"
  optional<std::string> xFrameOptions{};               // in header "X-Frame-Options"
};

template <>
struct http_bindings<StartParticipantReplicationResponse> {
  static constexpr std::array<binding, 7> members{
      {{"accessControlAllowOrigin", location::header, "Access-Control-Allow-Origin"},
       {"accessControlExposeHeaders", location::header, "Access-Control-Expose-Headers"},
       {"cacheControl", location::header, "Cache-Control"},
       {"contentSecurityPolicy", location::header, "Content-Security-Policy"},
       {"strictTransportSecurity", location::header, "Strict-Transport-Security"},
       {"xContentTypeOptions", location::header, "X-Content-Type-Options"},
       {"xFrameOptions", location::header, "X-Frame-Options"}}};
};

struct StopParticipantReplicationRequest {
  std::string sourceStageArn{};       // required, StageArn, 1..128 chars
  std::string destinationStageArn{};  // required, StageArn, 1..128 chars
  std::string participantId{};        // required, ParticipantId, 0..64 chars
};

template <>
struct constraints<StopParticipantReplicationRequest> {
  static constexpr std::array<limit, 3> members{{{.member = "sourceStageArn", .min = 1, .max = 128},
                                                 {.member = "destinationStageArn", .min = 1, .max = 128},
                                                 {.member = "participantId", .min = 0, .max = 64}}};
};

struct StopParticipantReplicationResponse {
  optional<std::string> accessControlAllowOrigin{};    // in header "Access-Control-Allow-Origin"
  optional<std::string> accessControlExposeHeaders{};  // in header "Access-Control-Expose-Headers"
  optional<std::string> cacheControl{};                // in header "Cache-Control"
  optional<std::string> contentSecurityPolicy{};       // in header "Content-Security-Policy"
  optional<std::string> strictTransportSecurity{};     // in header "Strict-Transport-Security"
  optional<std::string> xContentTypeOptions{};         // in header "X-Content-Type-Options"
  optional<std::string> xFrameOptions{};               // in header "X-Frame-Options"
};

template <>
struct http_bindings<StopParticipantReplicationResponse> {
  static constexpr std::array<binding, 7> members{
      {{"accessControlAllowOrigin", location::header, "Access-Control-Allow-Origin"},
       {"accessControlExposeHeaders", location::header, "Access-Control-Expose-Headers"},
       {"cacheControl", location::header, "Cache-Control"},
       {"contentSecurityPolicy", location::header, "Content-Security-Policy"},
       {"strictTransportSecurity", location::header, "Strict-Transport-Security"},
       {"xContentTypeOptions", location::header, "X-Content-Type-Options"},
       {"xFrameOptions", location::header, "X-Frame-Options"}}};
};

template <>
struct operation<StartParticipantReplicationRequest> : operation_defaults {
  using output = StartParticipantReplicationResponse;
  static constexpr std::string_view name = "StartParticipantReplication";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/StartParticipantReplication";
};

template <>
struct operation<StopParticipantReplicationRequest> : operation_defaults {
  using output = StopParticipantReplicationResponse;
  static constexpr std::string_view name = "StopParticipantReplication";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/StopParticipantReplication";
};

template <>
struct operation<ListParticipantReplicasRequest> : operation_defaults {
  using output = ListParticipantReplicasResponse;
  static constexpr std::string_view name = "ListParticipantReplicas";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ListParticipantReplicas";
  static constexpr pagination paging{"nextToken", "nextToken", "maxResults", "replicas"};
};

}  // namespace ivsrt
