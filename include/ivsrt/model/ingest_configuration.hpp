// Ingest configurations: RTMP(S) publishing into a stage with a stream key.
// Operations: CreateIngestConfiguration, GetIngestConfiguration, ListIngestConfigurations,
// UpdateIngestConfiguration, DeleteIngestConfiguration. Generated from the ivs-realtime 2020-07-14 service
// model by cmake/generate_model.py; members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"
#include "ivsrt/model/participant_token.hpp"

namespace ivsrt {

enum class IngestProtocol { RTMP, RTMPS };
constexpr auto enum_strings(IngestProtocol /*unused*/) noexcept {
  return std::array<std::string_view, 2>{"RTMP", "RTMPS"};
}

struct CreateIngestConfigurationRequest {
  optional<std::string> name{};      // IngestConfigurationName, 0..128 chars
  optional<std::string> stageArn{};  // IngestConfigurationStageArn, 0..128 chars
  optional<std::string> userId{};    // UserId, 0..128 chars
  optional<ParticipantAttributes> attributes{};
  open_enum<IngestProtocol> ingestProtocol{};  // required
  optional<bool> insecureIngest{};
  optional<bool> redundantIngest{};
  optional<Tags> tags{};  // 0..50 entries
};

template <>
struct constraints<CreateIngestConfigurationRequest> {
  static constexpr std::array<limit, 4> members{{{.member = "name", .min = 0, .max = 128},
                                                 {.member = "stageArn", .min = 0, .max = 128},
                                                 {.member = "userId", .min = 0, .max = 128},
                                                 {.member = "tags",
                                                  .min = 0,
                                                  .max = 50,
                                                  .key_min = 1,
                                                  .key_max = 128,
                                                  .item_min = 0,
                                                  .item_max = 256}}};
};

enum class IngestConfigurationState { ACTIVE, INACTIVE };
constexpr auto enum_strings(IngestConfigurationState /*unused*/) noexcept {
  return std::array<std::string_view, 2>{"ACTIVE", "INACTIVE"};
}

struct RedundantIngestCredential {
  optional<std::string> participantId{};   // ParticipantId, 0..64 chars
  optional<sensitive_string> streamKey{};  // StreamKey, sensitive
};

using RedundantIngestCredentials = std::vector<RedundantIngestCredential>;

struct IngestConfiguration {
  optional<std::string> name{};                 // IngestConfigurationName, 0..128 chars
  std::string arn{};                            // required, IngestConfigurationArn, 1..128 chars
  open_enum<IngestProtocol> ingestProtocol{};   // required
  sensitive_string streamKey{};                 // required, StreamKey, sensitive
  std::string stageArn{};                       // required, IngestConfigurationStageArn, 0..128 chars
  std::string participantId{};                  // required, ParticipantId, 0..64 chars
  open_enum<IngestConfigurationState> state{};  // required
  optional<std::string> userId{};               // UserId, 0..128 chars
  optional<bool> redundantIngest{};
  optional<RedundantIngestCredentials> redundantIngestCredentials{};
  optional<ParticipantAttributes> attributes{};
  optional<Tags> tags{};  // 0..50 entries
};

struct CreateIngestConfigurationResponse {
  optional<IngestConfiguration> ingestConfiguration{};
};

struct DeleteIngestConfigurationRequest {
  std::string arn{};  // required, IngestConfigurationArn, 1..128 chars
  optional<bool> force{};
};

template <>
struct constraints<DeleteIngestConfigurationRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct DeleteIngestConfigurationResponse {};

struct GetIngestConfigurationRequest {
  std::string arn{};  // required, IngestConfigurationArn, 1..128 chars
};

template <>
struct constraints<GetIngestConfigurationRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct GetIngestConfigurationResponse {
  optional<IngestConfiguration> ingestConfiguration{};
};

struct IngestConfigurationSummary {
  optional<std::string> name{};                 // IngestConfigurationName, 0..128 chars
  std::string arn{};                            // required, IngestConfigurationArn, 1..128 chars
  open_enum<IngestProtocol> ingestProtocol{};   // required
  std::string stageArn{};                       // required, IngestConfigurationStageArn, 0..128 chars
  std::string participantId{};                  // required, ParticipantId, 0..64 chars
  open_enum<IngestConfigurationState> state{};  // required
  optional<std::string> userId{};               // UserId, 0..128 chars
  optional<bool> redundantIngest{};
};

using IngestConfigurationList = std::vector<IngestConfigurationSummary>;

struct ListIngestConfigurationsRequest {
  optional<std::string> filterByStageArn{};  // StageArn, 1..128 chars
  optional<open_enum<IngestConfigurationState>> filterByState{};
  optional<std::string> nextToken{};    // PaginationToken, 0..1024 chars
  optional<std::int32_t> maxResults{};  // MaxIngestConfigurationResults, 1..100
};

template <>
struct constraints<ListIngestConfigurationsRequest> {
  static constexpr std::array<limit, 3> members{{{.member = "filterByStageArn", .min = 1, .max = 128},
                                                 {.member = "nextToken", .min = 0, .max = 1024},
                                                 {.member = "maxResults", .min = 1, .max = 100}}};
};

struct ListIngestConfigurationsResponse {
  IngestConfigurationList ingestConfigurations{};  // required
  optional<std::string> nextToken{};               // PaginationToken, 0..1024 chars
};

struct UpdateIngestConfigurationRequest {
  std::string arn{};                 // required, IngestConfigurationArn, 1..128 chars
  optional<std::string> stageArn{};  // IngestConfigurationStageArn, 0..128 chars
  optional<bool> redundantIngest{};
};

template <>
struct constraints<UpdateIngestConfigurationRequest> {
  static constexpr std::array<limit, 2> members{
      {{.member = "arn", .min = 1, .max = 128}, {.member = "stageArn", .min = 0, .max = 128}}};
};

struct UpdateIngestConfigurationResponse {
  optional<IngestConfiguration> ingestConfiguration{};
};

template <>
struct operation<CreateIngestConfigurationRequest> : operation_defaults {
  using output = CreateIngestConfigurationResponse;
  static constexpr std::string_view name = "CreateIngestConfiguration";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/CreateIngestConfiguration";
};

template <>
struct operation<GetIngestConfigurationRequest> : operation_defaults {
  using output = GetIngestConfigurationResponse;
  static constexpr std::string_view name = "GetIngestConfiguration";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/GetIngestConfiguration";
};

template <>
struct operation<ListIngestConfigurationsRequest> : operation_defaults {
  using output = ListIngestConfigurationsResponse;
  static constexpr std::string_view name = "ListIngestConfigurations";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ListIngestConfigurations";
  static constexpr pagination paging{"nextToken", "nextToken", "maxResults", "ingestConfigurations"};
};

template <>
struct operation<UpdateIngestConfigurationRequest> : operation_defaults {
  using output = UpdateIngestConfigurationResponse;
  static constexpr std::string_view name = "UpdateIngestConfiguration";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/UpdateIngestConfiguration";
};

template <>
struct operation<DeleteIngestConfigurationRequest> : operation_defaults {
  using output = DeleteIngestConfigurationResponse;
  static constexpr std::string_view name = "DeleteIngestConfiguration";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/DeleteIngestConfiguration";
};

}  // namespace ivsrt
