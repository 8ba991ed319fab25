// Server-side composition: participants of a stage mixed into one output.
// Operations: StartComposition, StopComposition, GetComposition, ListCompositions.
// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;
// members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"

namespace ivsrt {

struct ChannelDestinationConfiguration {
  std::string channelArn{};                         // required, ChannelArn, 1..128 chars
  optional<std::string> encoderConfigurationArn{};  // EncoderConfigurationArn, 1..128 chars
};

template <>
struct constraints<ChannelDestinationConfiguration> {
  static constexpr std::array<limit, 2> members{
      {{.member = "channelArn", .min = 1, .max = 128},
       {.member = "encoderConfigurationArn", .min = 1, .max = 128}}};
};

enum class CompositionState { STARTING, ACTIVE, STOPPING, FAILED, STOPPED };
constexpr auto enum_strings(CompositionState /*unused*/) noexcept {
  return std::array<std::string_view, 5>{"STARTING", "ACTIVE", "STOPPING", "FAILED", "STOPPED"};
}

enum class VideoAspectRatio { AUTO, VIDEO, SQUARE, PORTRAIT };
constexpr auto enum_strings(VideoAspectRatio /*unused*/) noexcept {
  return std::array<std::string_view, 4>{"AUTO", "VIDEO", "SQUARE", "PORTRAIT"};
}

enum class VideoFillMode { FILL, COVER, CONTAIN };
constexpr auto enum_strings(VideoFillMode /*unused*/) noexcept {
  return std::array<std::string_view, 3>{"FILL", "COVER", "CONTAIN"};
}

struct GridConfiguration {
  optional<std::string> featuredParticipantAttribute{};  // AttributeKey, 0..128 chars
  optional<bool> omitStoppedVideo{};
  optional<open_enum<VideoAspectRatio>> videoAspectRatio{};
  optional<open_enum<VideoFillMode>> videoFillMode{};
  optional<std::int32_t> gridGap{};                   // GridGap, 0..
  optional<std::string> participantOrderAttribute{};  // AttributeKey, 0..128 chars
};

template <>
struct constraints<GridConfiguration> {
  static constexpr std::array<limit, 3> members{
      {{.member = "featuredParticipantAttribute", .min = 0, .max = 128},
       {.member = "gridGap", .min = 0},
       {.member = "participantOrderAttribute", .min = 0, .max = 128}}};
};

enum class PipBehavior { STATIC, DYNAMIC };
constexpr auto enum_strings(PipBehavior /*unused*/) noexcept {
  return std::array<std::string_view, 2>{"STATIC", "DYNAMIC"};
}

enum class PipPosition { TOP_LEFT, TOP_RIGHT, BOTTOM_LEFT, BOTTOM_RIGHT };
constexpr auto enum_strings(PipPosition /*unused*/) noexcept {
  return std::array<std::string_view, 4>{"TOP_LEFT", "TOP_RIGHT", "BOTTOM_LEFT", "BOTTOM_RIGHT"};
}

struct PipConfiguration {
  optional<std::string> featuredParticipantAttribute{};  // AttributeKey, 0..128 chars
  optional<bool> omitStoppedVideo{};
  optional<open_enum<VideoFillMode>> videoFillMode{};
  optional<std::int32_t> gridGap{};                 // GridGap, 0..
  optional<std::string> pipParticipantAttribute{};  // AttributeKey, 0..128 chars
  optional<open_enum<PipBehavior>> pipBehavior{};
  optional<std::int32_t> pipOffset{};  // PipOffset, 0..
  optional<open_enum<PipPosition>> pipPosition{};
  optional<std::int32_t> pipWidth{};                  // PipWidth, 1..
  optional<std::int32_t> pipHeight{};                 // PipHeight, 1..
  optional<std::string> participantOrderAttribute{};  // AttributeKey, 0..128 chars
};

template <>
struct constraints<PipConfiguration> {
  static constexpr std::array<limit, 7> members{
      {{.member = "featuredParticipantAttribute", .min = 0, .max = 128},
       {.member = "gridGap", .min = 0},
       {.member = "pipParticipantAttribute", .min = 0, .max = 128},
       {.member = "pipOffset", .min = 0},
       {.member = "pipWidth", .min = 1},
       {.member = "pipHeight", .min = 1},
       {.member = "participantOrderAttribute", .min = 0, .max = 128}}};
};

struct LayoutConfiguration {
  optional<GridConfiguration> grid{};
  optional<PipConfiguration> pip{};
};

enum class DestinationState { STARTING, ACTIVE, STOPPING, RECONNECTING, FAILED, STOPPED };
constexpr auto enum_strings(DestinationState /*unused*/) noexcept {
  return std::array<std::string_view, 6>{"STARTING",     "ACTIVE", "STOPPING",
                                         "RECONNECTING", "FAILED", "STOPPED"};
}

using EncoderConfigurationArnList = std::vector<std::string>;

struct CompositionRecordingHlsConfiguration {
  optional<std::int32_t>
      targetSegmentDurationSeconds{};  // CompositionRecordingTargetSegmentDurationSeconds, 2..10
};

template <>
struct constraints<CompositionRecordingHlsConfiguration> {
  static constexpr std::array<limit, 1> members{
      {{.member = "targetSegmentDurationSeconds", .min = 2, .max = 10}}};
};

enum class RecordingConfigurationFormat { HLS };
constexpr auto enum_strings(RecordingConfigurationFormat /*unused*/) noexcept {
  return std::array<std::string_view, 1>{"HLS"};
}

struct RecordingConfiguration {
  optional<CompositionRecordingHlsConfiguration> hlsConfiguration{};
  optional<open_enum<RecordingConfigurationFormat>> format{};
};

struct CompositionThumbnailConfiguration {
  optional<std::int32_t> targetIntervalSeconds{};  // ThumbnailIntervalSeconds, 1..86400
  optional<ThumbnailStorageTypeList> storage{};    // 0..2 items
};

template <>
struct constraints<CompositionThumbnailConfiguration> {
  static constexpr std::array<limit, 2> members{{{.member = "targetIntervalSeconds", .min = 1, .max = 86400},
                                                 {.member = "storage", .min = 0, .max = 2}}};
};

using CompositionThumbnailConfigurationList = std::vector<CompositionThumbnailConfiguration>;

struct S3DestinationConfiguration {
  std::string storageConfigurationArn{};                   // required, StorageConfigurationArn, 1..128 chars
  EncoderConfigurationArnList encoderConfigurationArns{};  // required, 1..1 items
  optional<RecordingConfiguration> recordingConfiguration{};
  optional<CompositionThumbnailConfigurationList> thumbnailConfigurations{};  // 0..1 items
};

template <>
struct constraints<S3DestinationConfiguration> {
  static constexpr std::array<limit, 3> members{
      {{.member = "storageConfigurationArn", .min = 1, .max = 128},
       {.member = "encoderConfigurationArns", .min = 1, .max = 1, .item_min = 1, .item_max = 128},
       {.member = "thumbnailConfigurations", .min = 0, .max = 1}}};
};

struct DestinationConfiguration {
  optional<std::string> name{};  // DestinationConfigurationName, 0..128 chars
  optional<ChannelDestinationConfiguration> channel{};
  optional<S3DestinationConfiguration> s3{};
};

template <>
struct constraints<DestinationConfiguration> {
  static constexpr std::array<limit, 1> members{{{.member = "name", .min = 0, .max = 128}}};
};

struct S3Detail {
  std::string recordingPrefix{};  // required
};

struct DestinationDetail {
  optional<S3Detail> s3{};
};

struct Destination {
  std::string id{};                     // required
  open_enum<DestinationState> state{};  // required
  optional<Time> startTime{};
  optional<Time> endTime{};
  DestinationConfiguration configuration{};  // required
  optional<DestinationDetail> detail{};
};

using DestinationList = std::vector<Destination>;

struct Composition {
  std::string arn{};                    // required, CompositionArn, 1..128 chars
  std::string stageArn{};               // required, StageArn, 1..128 chars
  open_enum<CompositionState> state{};  // required
  LayoutConfiguration layout{};         // required
  DestinationList destinations{};       // required, 1..2 items
  optional<Tags> tags{};                // 0..50 entries
  optional<Time> startTime{};
  optional<Time> endTime{};
};

struct DestinationSummary {
  std::string id{};                     // required
  open_enum<DestinationState> state{};  // required
  optional<Time> startTime{};
  optional<Time> endTime{};
};

using DestinationSummaryList = std::vector<DestinationSummary>;

struct CompositionSummary {
  std::string arn{};                      // required, CompositionArn, 1..128 chars
  std::string stageArn{};                 // required, StageArn, 1..128 chars
  DestinationSummaryList destinations{};  // required, 1..2 items
  open_enum<CompositionState> state{};    // required
  optional<Tags> tags{};                  // 0..50 entries
  optional<Time> startTime{};
  optional<Time> endTime{};
};

using CompositionSummaryList = std::vector<CompositionSummary>;

using DestinationConfigurationList = std::vector<DestinationConfiguration>;

struct GetCompositionRequest {
  std::string arn{};  // required, CompositionArn, 1..128 chars
};

template <>
struct constraints<GetCompositionRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct GetCompositionResponse {
  optional<Composition> composition{};
};

struct ListCompositionsRequest {
  optional<std::string> filterByStageArn{};                 // StageArn, 1..128 chars
  optional<std::string> filterByEncoderConfigurationArn{};  // EncoderConfigurationArn, 1..128 chars
  optional<std::string> nextToken{};                        // PaginationToken, 0..1024 chars
  optional<std::int32_t> maxResults{};                      // MaxCompositionResults, 1..100
};

template <>
struct constraints<ListCompositionsRequest> {
  static constexpr std::array<limit, 4> members{
      {{.member = "filterByStageArn", .min = 1, .max = 128},
       {.member = "filterByEncoderConfigurationArn", .min = 1, .max = 128},
       {.member = "nextToken", .min = 0, .max = 1024},
       {.member = "maxResults", .min = 1, .max = 100}}};
};

struct ListCompositionsResponse {
  CompositionSummaryList compositions{};  // required
  optional<std::string> nextToken{};      // PaginationToken, 0..1024 chars
};

struct StartCompositionRequest {
  std::string stageArn{};                    // required, StageArn, 1..128 chars
  optional<std::string> idempotencyToken{};  // CompositionClientToken, 1..64 chars
  optional<LayoutConfiguration> layout{};
  DestinationConfigurationList destinations{};  // required, 1..2 items
  optional<Tags> tags{};                        // 0..50 entries
};

template <>
struct constraints<StartCompositionRequest> {
  static constexpr std::array<limit, 4> members{{{.member = "stageArn", .min = 1, .max = 128},
                                                 {.member = "idempotencyToken", .min = 1, .max = 64},
                                                 {.member = "destinations", .min = 1, .max = 2},
                                                 {.member = "tags",
                                                  .min = 0,
                                                  .max = 50,
                                                  .key_min = 1,
                                                  .key_max = 128,
                                                  .item_min = 0,
                                                  .item_max = 256}}};
};

struct StartCompositionResponse {
  optional<Composition> composition{};
};

struct StopCompositionRequest {
  std::string arn{};  // required, CompositionArn, 1..128 chars
};

template <>
struct constraints<StopCompositionRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct StopCompositionResponse {};

template <>
struct operation<StartCompositionRequest> : operation_defaults {
  using output = StartCompositionResponse;
  static constexpr std::string_view name = "StartComposition";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/StartComposition";
  static constexpr std::string_view idempotency_token = "idempotencyToken";
};

template <>
struct operation<StopCompositionRequest> : operation_defaults {
  using output = StopCompositionResponse;
  static constexpr std::string_view name = "StopComposition";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/StopComposition";
};

template <>
struct operation<GetCompositionRequest> : operation_defaults {
  using output = GetCompositionResponse;
  static constexpr std::string_view name = "GetComposition";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/GetComposition";
};

template <>
struct operation<ListCompositionsRequest> : operation_defaults {
  using output = ListCompositionsResponse;
  static constexpr std::string_view name = "ListCompositions";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ListCompositions";
  static constexpr pagination paging{"nextToken", "nextToken", "maxResults", "compositions"};
};

}  // namespace ivsrt
