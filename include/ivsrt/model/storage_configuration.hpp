// Storage configurations: S3 destinations for recordings.
// Operations: CreateStorageConfiguration, GetStorageConfiguration, ListStorageConfigurations,
// DeleteStorageConfiguration. Generated from the ivs-realtime 2020-07-14 service model by
// cmake/generate_model.py; members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"

namespace ivsrt {

struct S3StorageConfiguration {
  std::string bucketName{};  // required, S3BucketName, 3..63 chars
};

template <>
struct constraints<S3StorageConfiguration> {
  static constexpr std::array<limit, 1> members{{{.member = "bucketName", .min = 3, .max = 63}}};
};

struct CreateStorageConfigurationRequest {
  optional<std::string> name{};  // StorageConfigurationName, 0..128 chars
  S3StorageConfiguration s3{};   // required
  optional<Tags> tags{};         // 0..50 entries
};

template <>
struct constraints<CreateStorageConfigurationRequest> {
  static constexpr std::array<limit, 2> members{{{.member = "name", .min = 0, .max = 128},
                                                 {.member = "tags",
                                                  .min = 0,
                                                  .max = 50,
                                                  .key_min = 1,
                                                  .key_max = 128,
                                                  .item_min = 0,
                                                  .item_max = 256}}};
};

struct StorageConfiguration {
  std::string arn{};             // required, StorageConfigurationArn, 1..128 chars
  optional<std::string> name{};  // StorageConfigurationName, 0..128 chars
  optional<S3StorageConfiguration> s3{};
  optional<Tags> tags{};  // 0..50 entries
};

struct CreateStorageConfigurationResponse {
  optional<StorageConfiguration> storageConfiguration{};
};

struct DeleteStorageConfigurationRequest {
  std::string arn{};  // required, StorageConfigurationArn, 1..128 chars
};

template <>
struct constraints<DeleteStorageConfigurationRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct DeleteStorageConfigurationResponse {};

struct GetStorageConfigurationRequest {
  std::string arn{};  // required, StorageConfigurationArn, 1..128 chars
};

template <>
struct constraints<GetStorageConfigurationRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct GetStorageConfigurationResponse {
  optional<StorageConfiguration> storageConfiguration{};
};

struct ListStorageConfigurationsRequest {
  optional<std::string> nextToken{};    // PaginationToken, 0..1024 chars
  optional<std::int32_t> maxResults{};  // MaxStorageConfigurationResults, 1..100
};

template <>
struct constraints<ListStorageConfigurationsRequest> {
  static constexpr std::array<limit, 2> members{
      {{.member = "nextToken", .min = 0, .max = 1024}, {.member = "maxResults", .min = 1, .max = 100}}};
};

struct StorageConfigurationSummary {
  std::string arn{};             // required, StorageConfigurationArn, 1..128 chars
  optional<std::string> name{};  // StorageConfigurationName, 0..128 chars
  optional<S3StorageConfiguration> s3{};
  optional<Tags> tags{};  // 0..50 entries
};

using StorageConfigurationSummaryList = std::vector<StorageConfigurationSummary>;

struct ListStorageConfigurationsResponse {
  StorageConfigurationSummaryList storageConfigurations{};  // required
  optional<std::string> nextToken{};                        // PaginationToken, 0..1024 chars
};

template <>
struct operation<CreateStorageConfigurationRequest> : operation_defaults {
  using output = CreateStorageConfigurationResponse;
  static constexpr std::string_view name = "CreateStorageConfiguration";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/CreateStorageConfiguration";
};

template <>
struct operation<GetStorageConfigurationRequest> : operation_defaults {
  using output = GetStorageConfigurationResponse;
  static constexpr std::string_view name = "GetStorageConfiguration";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/GetStorageConfiguration";
};

template <>
struct operation<ListStorageConfigurationsRequest> : operation_defaults {
  using output = ListStorageConfigurationsResponse;
  static constexpr std::string_view name = "ListStorageConfigurations";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ListStorageConfigurations";
  static constexpr pagination paging{"nextToken", "nextToken", "maxResults", "storageConfigurations"};
};

template <>
struct operation<DeleteStorageConfigurationRequest> : operation_defaults {
  using output = DeleteStorageConfigurationResponse;
  static constexpr std::string_view name = "DeleteStorageConfiguration";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/DeleteStorageConfiguration";
};

}  // namespace ivsrt
