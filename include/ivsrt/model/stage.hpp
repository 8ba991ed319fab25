// Stages: virtual spaces where participants exchange video in real time.
// Operations: CreateStage, GetStage, UpdateStage, DeleteStage, ListStages.
// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;
// members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"
#include "ivsrt/model/participant_token.hpp"

namespace ivsrt {

enum class ParticipantRecordingMediaType { AUDIO_VIDEO, AUDIO_ONLY, NONE };
constexpr auto enum_strings(ParticipantRecordingMediaType /*unused*/) noexcept {
  return std::array<std::string_view, 3>{"AUDIO_VIDEO", "AUDIO_ONLY", "NONE"};
}

using ParticipantRecordingMediaTypeList = std::vector<open_enum<ParticipantRecordingMediaType>>;

enum class ThumbnailRecordingMode { INTERVAL, DISABLED };
constexpr auto enum_strings(ThumbnailRecordingMode /*unused*/) noexcept {
  return std::array<std::string_view, 2>{"INTERVAL", "DISABLED"};
}

struct ParticipantThumbnailConfiguration {
  optional<std::int32_t> targetIntervalSeconds{};  // ThumbnailIntervalSeconds, 1..86400
  optional<ThumbnailStorageTypeList> storage{};    // 0..2 items
  optional<open_enum<ThumbnailRecordingMode>> recordingMode{};
};

template <>
struct constraints<ParticipantThumbnailConfiguration> {
  static constexpr std::array<limit, 2> members{{{.member = "targetIntervalSeconds", .min = 1, .max = 86400},
                                                 {.member = "storage", .min = 0, .max = 2}}};
};

struct ParticipantRecordingHlsConfiguration {
  optional<std::int32_t>
      targetSegmentDurationSeconds{};  // ParticipantRecordingTargetSegmentDurationSeconds, 2..10
};

template <>
struct constraints<ParticipantRecordingHlsConfiguration> {
  static constexpr std::array<limit, 1> members{
      {{.member = "targetSegmentDurationSeconds", .min = 2, .max = 10}}};
};

struct AutoParticipantRecordingConfiguration {
  std::string
      storageConfigurationArn{};  // required, AutoParticipantRecordingStorageConfigurationArn, 0..128 chars
  optional<ParticipantRecordingMediaTypeList> mediaTypes{};  // 0..1 items
  optional<ParticipantThumbnailConfiguration> thumbnailConfiguration{};
  optional<std::int32_t>
      recordingReconnectWindowSeconds{};  // ParticipantRecordingReconnectWindowSeconds, 0..300
  optional<ParticipantRecordingHlsConfiguration> hlsConfiguration{};
  optional<bool> recordParticipantReplicas{};
};

template <>
struct constraints<AutoParticipantRecordingConfiguration> {
  static constexpr std::array<limit, 3> members{
      {{.member = "storageConfigurationArn", .min = 0, .max = 128},
       {.member = "mediaTypes", .min = 0, .max = 1},
       {.member = "recordingReconnectWindowSeconds", .min = 0, .max = 300}}};
};

struct ParticipantTokenConfiguration {
  optional<std::int32_t> duration{};  // ParticipantTokenDurationMinutes, 1..20160
  optional<std::string> userId{};     // ParticipantTokenUserId, 0..128 chars
  optional<ParticipantTokenAttributes> attributes{};
  optional<ParticipantTokenCapabilities> capabilities{};  // 0..2 items
};

template <>
struct constraints<ParticipantTokenConfiguration> {
  static constexpr std::array<limit, 3> members{{{.member = "duration", .min = 1, .max = 20160},
                                                 {.member = "userId", .min = 0, .max = 128},
                                                 {.member = "capabilities", .min = 0, .max = 2}}};
};

using ParticipantTokenConfigurations = std::vector<ParticipantTokenConfiguration>;

struct CreateStageRequest {
  optional<std::string> name{};                                               // StageName, 0..128 chars
  optional<ParticipantTokenConfigurations> participantTokenConfigurations{};  // 0..12 items
  optional<Tags> tags{};                                                      // 0..50 entries
  optional<AutoParticipantRecordingConfiguration> autoParticipantRecordingConfiguration{};
};

template <>
struct constraints<CreateStageRequest> {
  static constexpr std::array<limit, 3> members{
      {{.member = "name", .min = 0, .max = 128},
       {.member = "participantTokenConfigurations", .min = 0, .max = 12},
       {.member = "tags",
        .min = 0,
        .max = 50,
        .key_min = 1,
        .key_max = 128,
        .item_min = 0,
        .item_max = 256}}};
};

struct StageEndpoints {
  optional<std::string> events{};  // StageEndpoint, 0..2048 chars
  optional<std::string> whip{};    // StageEndpoint, 0..2048 chars
  optional<std::string> rtmp{};    // StageEndpoint, 0..2048 chars
  optional<std::string> rtmps{};   // StageEndpoint, 0..2048 chars
};

struct Stage {
  std::string arn{};                        // required, StageArn, 1..128 chars
  optional<std::string> name{};             // StageName, 0..128 chars
  optional<std::string> activeSessionId{};  // StageSessionId, 16..16 chars
  optional<Tags> tags{};                    // 0..50 entries
  optional<AutoParticipantRecordingConfiguration> autoParticipantRecordingConfiguration{};
  optional<StageEndpoints> endpoints{};
};

using ParticipantTokenList = std::vector<ParticipantToken>;

struct CreateStageResponse {
  optional<Stage> stage{};
  optional<ParticipantTokenList> participantTokens{};
};

struct DeleteStageRequest {
  std::string arn{};  // required, StageArn, 1..128 chars
};

template <>
struct constraints<DeleteStageRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct DeleteStageResponse {};

struct GetStageRequest {
  std::string arn{};  // required, StageArn, 1..128 chars
};

template <>
struct constraints<GetStageRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct GetStageResponse {
  optional<Stage> stage{};
};

struct ListStagesRequest {
  optional<std::string> nextToken{};    // PaginationToken, 0..1024 chars
  optional<std::int32_t> maxResults{};  // MaxStageResults, 1..100
};

template <>
struct constraints<ListStagesRequest> {
  static constexpr std::array<limit, 2> members{
      {{.member = "nextToken", .min = 0, .max = 1024}, {.member = "maxResults", .min = 1, .max = 100}}};
};

struct StageSummary {
  std::string arn{};                        // required, StageArn, 1..128 chars
  optional<std::string> name{};             // StageName, 0..128 chars
  optional<std::string> activeSessionId{};  // StageSessionId, 16..16 chars
  optional<Tags> tags{};                    // 0..50 entries
};

using StageSummaryList = std::vector<StageSummary>;

struct ListStagesResponse {
  StageSummaryList stages{};          // required
  optional<std::string> nextToken{};  // PaginationToken, 0..1024 chars
};

struct UpdateStageRequest {
  std::string arn{};             // required, StageArn, 1..128 chars
  optional<std::string> name{};  // StageName, 0..128 chars
  optional<AutoParticipantRecordingConfiguration> autoParticipantRecordingConfiguration{};
};

template <>
struct constraints<UpdateStageRequest> {
  static constexpr std::array<limit, 2> members{
      {{.member = "arn", .min = 1, .max = 128}, {.member = "name", .min = 0, .max = 128}}};
};

struct UpdateStageResponse {
  optional<Stage> stage{};
};

template <>
struct operation<CreateStageRequest> : operation_defaults {
  using output = CreateStageResponse;
  static constexpr std::string_view name = "CreateStage";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/CreateStage";
};

template <>
struct operation<GetStageRequest> : operation_defaults {
  using output = GetStageResponse;
  static constexpr std::string_view name = "GetStage";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/GetStage";
};

template <>
struct operation<UpdateStageRequest> : operation_defaults {
  using output = UpdateStageResponse;
  static constexpr std::string_view name = "UpdateStage";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/UpdateStage";
};

template <>
struct operation<DeleteStageRequest> : operation_defaults {
  using output = DeleteStageResponse;
  static constexpr std::string_view name = "DeleteStage";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/DeleteStage";
};

template <>
struct operation<ListStagesRequest> : operation_defaults {
  using output = ListStagesResponse;
  static constexpr std::string_view name = "ListStages";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ListStages";
  static constexpr pagination paging{"nextToken", "nextToken", "maxResults", "stages"};
};

}  // namespace ivsrt
