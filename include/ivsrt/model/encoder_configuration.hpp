// Encoder configurations: video settings for composition outputs.
// Operations: CreateEncoderConfiguration, GetEncoderConfiguration, ListEncoderConfigurations,
// DeleteEncoderConfiguration. Generated from the ivs-realtime 2020-07-14 service model by
// cmake/generate_model.py; members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"

namespace ivsrt {

struct Video {
  optional<std::int32_t> width{};    // Width, 2..1920
  optional<std::int32_t> height{};   // Height, 2..1920
  optional<float> framerate{};       // Framerate, 1..60
  optional<std::int32_t> bitrate{};  // Bitrate, 1..8500000
};

template <>
struct constraints<Video> {
  static constexpr std::array<limit, 4> members{{{.member = "width", .min = 2, .max = 1920},
                                                 {.member = "height", .min = 2, .max = 1920},
                                                 {.member = "framerate", .min = 1, .max = 60},
                                                 {.member = "bitrate", .min = 1, .max = 8500000}}};
};

struct CreateEncoderConfigurationRequest {
  optional<std::string> name{};  // EncoderConfigurationName, 0..128 chars
  optional<Video> video{};
  optional<Tags> tags{};  // 0..50 entries
};

template <>
struct constraints<CreateEncoderConfigurationRequest> {
  static constexpr std::array<limit, 2> members{{{.member = "name", .min = 0, .max = 128},
                                                 {.member = "tags",
                                                  .min = 0,
                                                  .max = 50,
                                                  .key_min = 1,
                                                  .key_max = 128,
                                                  .item_min = 0,
                                                  .item_max = 256}}};
};

struct EncoderConfiguration {
  std::string arn{};             // required, EncoderConfigurationArn, 1..128 chars
  optional<std::string> name{};  // EncoderConfigurationName, 0..128 chars
  optional<Video> video{};
  optional<Tags> tags{};  // 0..50 entries
};

struct CreateEncoderConfigurationResponse {
  optional<EncoderConfiguration> encoderConfiguration{};
};

struct DeleteEncoderConfigurationRequest {
  std::string arn{};  // required, EncoderConfigurationArn, 1..128 chars
};

template <>
struct constraints<DeleteEncoderConfigurationRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct DeleteEncoderConfigurationResponse {};

struct EncoderConfigurationSummary {
  std::string arn{};             // required, EncoderConfigurationArn, 1..128 chars
  optional<std::string> name{};  // EncoderConfigurationName, 0..128 chars
  optional<Tags> tags{};         // 0..50 entries
};

using EncoderConfigurationSummaryList = std::vector<EncoderConfigurationSummary>;

struct GetEncoderConfigurationRequest {
  std::string arn{};  // required, EncoderConfigurationArn, 1..128 chars
};

template <>
struct constraints<GetEncoderConfigurationRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct GetEncoderConfigurationResponse {
  optional<EncoderConfiguration> encoderConfiguration{};
};

struct ListEncoderConfigurationsRequest {
  optional<std::string> nextToken{};    // PaginationToken, 0..1024 chars
  optional<std::int32_t> maxResults{};  // MaxEncoderConfigurationResults, 1..100
};

template <>
struct constraints<ListEncoderConfigurationsRequest> {
  static constexpr std::array<limit, 2> members{
      {{.member = "nextToken", .min = 0, .max = 1024}, {.member = "maxResults", .min = 1, .max = 100}}};
};

struct ListEncoderConfigurationsResponse {
  EncoderConfigurationSummaryList encoderConfigurations{};  // required
  optional<std::string> nextToken{};                        // PaginationToken, 0..1024 chars
};

template <>
struct operation<CreateEncoderConfigurationRequest> : operation_defaults {
  using output = CreateEncoderConfigurationResponse;
  static constexpr std::string_view name = "CreateEncoderConfiguration";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/CreateEncoderConfiguration";
};

template <>
struct operation<GetEncoderConfigurationRequest> : operation_defaults {
  using output = GetEncoderConfigurationResponse;
  static constexpr std::string_view name = "GetEncoderConfiguration";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/GetEncoderConfiguration";
};

template <>
struct operation<ListEncoderConfigurationsRequest> : operation_defaults {
  using output = ListEncoderConfigurationsResponse;
  static constexpr std::string_view name = "ListEncoderConfigurations";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ListEncoderConfigurations";
  static constexpr pagination paging{"nextToken", "nextToken", "maxResults", "encoderConfigurations"};
};

template <>
struct operation<DeleteEncoderConfigurationRequest> : operation_defaults {
  using output = DeleteEncoderConfigurationResponse;
  static constexpr std::string_view name = "DeleteEncoderConfiguration";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/DeleteEncoderConfiguration";
};

}  // namespace ivsrt
