// Public keys: verify participant tokens that you sign yourself.
// Operations: ImportPublicKey, GetPublicKey, ListPublicKeys, DeletePublicKey.
// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;
// members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"

namespace ivsrt {

struct DeletePublicKeyRequest {
  std::string arn{};  // required, PublicKeyArn, 1..128 chars
};

template <>
struct constraints<DeletePublicKeyRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct DeletePublicKeyResponse {};

struct GetPublicKeyRequest {
  std::string arn{};  // required, PublicKeyArn, 1..128 chars
};

template <>
struct constraints<GetPublicKeyRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "arn", .min = 1, .max = 128}}};
};

struct PublicKey {
  optional<std::string> arn{};                // PublicKeyArn, 1..128 chars
  optional<std::string> name{};               // PublicKeyName, 0..128 chars
  optional<std::string> publicKeyMaterial{};  // PublicKeyMaterial
  optional<std::string> fingerprint{};        // PublicKeyFingerprint
  optional<Tags> tags{};                      // 0..50 entries
};

struct GetPublicKeyResponse {
  optional<PublicKey> publicKey{};
};

struct ImportPublicKeyRequest {
  std::string publicKeyMaterial{};  // required, PublicKeyMaterial
  optional<std::string> name{};     // PublicKeyName, 0..128 chars
  optional<Tags> tags{};            // 0..50 entries
};

template <>
struct constraints<ImportPublicKeyRequest> {
  static constexpr std::array<limit, 2> members{{{.member = "name", .min = 0, .max = 128},
                                                 {.member = "tags",
                                                  .min = 0,
                                                  .max = 50,
                                                  .key_min = 1,
                                                  .key_max = 128,
                                                  .item_min = 0,
                                                  .item_max = 256}}};
};

struct ImportPublicKeyResponse {
  optional<PublicKey> publicKey{};
};

struct ListPublicKeysRequest {
  optional<std::string> nextToken{};    // PaginationToken, 0..1024 chars
  optional<std::int32_t> maxResults{};  // MaxPublicKeyResults, 1..100
};

template <>
struct constraints<ListPublicKeysRequest> {
  static constexpr std::array<limit, 2> members{
      {{.member = "nextToken", .min = 0, .max = 1024}, {.member = "maxResults", .min = 1, .max = 100}}};
};

struct PublicKeySummary {
  optional<std::string> arn{};   // PublicKeyArn, 1..128 chars
  optional<std::string> name{};  // PublicKeyName, 0..128 chars
  optional<Tags> tags{};         // 0..50 entries
};

using PublicKeyList = std::vector<PublicKeySummary>;

struct ListPublicKeysResponse {
  PublicKeyList publicKeys{};         // required
  optional<std::string> nextToken{};  // PaginationToken, 0..1024 chars
};

template <>
struct operation<ImportPublicKeyRequest> : operation_defaults {
  using output = ImportPublicKeyResponse;
  static constexpr std::string_view name = "ImportPublicKey";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ImportPublicKey";
};

template <>
struct operation<GetPublicKeyRequest> : operation_defaults {
  using output = GetPublicKeyResponse;
  static constexpr std::string_view name = "GetPublicKey";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/GetPublicKey";
};

template <>
struct operation<ListPublicKeysRequest> : operation_defaults {
  using output = ListPublicKeysResponse;
  static constexpr std::string_view name = "ListPublicKeys";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ListPublicKeys";
  static constexpr pagination paging{"nextToken", "nextToken", "maxResults", "publicKeys"};
};

template <>
struct operation<DeletePublicKeyRequest> : operation_defaults {
  using output = DeletePublicKeyResponse;
  static constexpr std::string_view name = "DeletePublicKey";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/DeletePublicKey";
};

}  // namespace ivsrt
