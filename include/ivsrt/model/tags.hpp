// Tags on any taggable resource.
// Operations: TagResource, UntagResource, ListTagsForResource.
// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;
// members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"

namespace ivsrt {

struct ListTagsForResourceRequest {
  std::string resourceArn{};  // required, ResourceArn, 1..128 chars, in uri "resourceArn"
};

template <>
struct constraints<ListTagsForResourceRequest> {
  static constexpr std::array<limit, 1> members{{{.member = "resourceArn", .min = 1, .max = 128}}};
};

template <>
struct http_bindings<ListTagsForResourceRequest> {
  static constexpr std::array<binding, 1> members{{{"resourceArn", location::uri, "resourceArn"}}};
};

struct ListTagsForResourceResponse {
  Tags tags{};  // required, 0..50 entries
};

using TagKeyList = std::vector<std::string>;

struct TagResourceRequest {
  std::string resourceArn{};  // required, ResourceArn, 1..128 chars, in uri "resourceArn"
  Tags tags{};                // required, 0..50 entries
};

template <>
struct constraints<TagResourceRequest> {
  static constexpr std::array<limit, 2> members{{{.member = "resourceArn", .min = 1, .max = 128},
                                                 {.member = "tags",
                                                  .min = 0,
                                                  .max = 50,
                                                  .key_min = 1,
                                                  .key_max = 128,
                                                  .item_min = 0,
                                                  .item_max = 256}}};
};

template <>
struct http_bindings<TagResourceRequest> {
  static constexpr std::array<binding, 1> members{{{"resourceArn", location::uri, "resourceArn"}}};
};

struct TagResourceResponse {};

struct UntagResourceRequest {
  std::string resourceArn{};  // required, ResourceArn, 1..128 chars, in uri "resourceArn"
  TagKeyList tagKeys{};       // required, 0..50 items, in querystring "tagKeys"
};

template <>
struct constraints<UntagResourceRequest> {
  static constexpr std::array<limit, 2> members{
      {{.member = "resourceArn", .min = 1, .max = 128},
       {.member = "tagKeys", .min = 0, .max = 50, .item_min = 1, .item_max = 128}}};
};

template <>
struct http_bindings<UntagResourceRequest> {
  static constexpr std::array<binding, 2> members{
      {{"resourceArn", location::uri, "resourceArn"}, {"tagKeys", location::query, "tagKeys"}}};
};

struct UntagResourceResponse {};

template <>
struct operation<TagResourceRequest> : operation_defaults {
  using output = TagResourceResponse;
  static constexpr std::string_view name = "TagResource";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/tags/{resourceArn}";
};

template <>
struct operation<UntagResourceRequest> : operation_defaults {
  using output = UntagResourceResponse;
  static constexpr std::string_view name = "UntagResource";
  static constexpr std::string_view method = "DELETE";
  static constexpr std::string_view uri = "/tags/{resourceArn}";
};

template <>
struct operation<ListTagsForResourceRequest> : operation_defaults {
  using output = ListTagsForResourceResponse;
  static constexpr std::string_view name = "ListTagsForResource";
  static constexpr std::string_view method = "GET";
  static constexpr std::string_view uri = "/tags/{resourceArn}";
};

}  // namespace ivsrt
