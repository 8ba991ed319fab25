// Tags on every taggable resource (stages, compositions, encoder, storage and ingest
// configurations, public keys): TagResource, UntagResource, ListTagsForResource. A resource holds
// at most 50 tags; keys beginning with "aws:" are reserved.
#pragma once

#include <string>

#include "ivsrt/local/engine.hpp"

namespace ivsrt::local {

inline constexpr std::size_t max_tags_per_resource = 50;

// The tags member of the resource an ARN names.
inline result<optional<Tags>*> tags_of(engine& e, const std::string& arn) {
  auto parts = parse_arn(arn);
  if (!parts) return validation_error("resourceArn: \"" + arn + "\" is not a valid ARN");
  service_state& st = e.state();
  auto lookup = [&](auto& map, auto member) -> result<optional<Tags>*> {
    auto it = map.find(arn);
    if (it == map.end()) return not_found(arn);
    return &member(it->second);
  };
  const std::string& kind = parts->kind;
  if (kind == "stage")
    return lookup(st.stages, [](stage_record& r) -> optional<Tags>& { return r.stage.tags; });
  if (kind == "composition") {
    return lookup(st.compositions,
                  [](composition_record& r) -> optional<Tags>& { return r.composition.tags; });
  }
  auto resource_tags = [](auto& r) -> optional<Tags>& { return r.resource.tags; };
  if (kind == "encoder-configuration") return lookup(st.encoderConfigurations, resource_tags);
  if (kind == "storage-configuration") return lookup(st.storageConfigurations, resource_tags);
  if (kind == "ingest-configuration") return lookup(st.ingestConfigurations, resource_tags);
  if (kind == "public-key") return lookup(st.publicKeys, resource_tags);
  return not_found(arn);
}

inline result<TagResourceResponse> handle(engine& e, const TagResourceRequest& r) {
  if (auto ok = check_tags(r.tags); !ok) return ok.error();
  auto tags = tags_of(e, r.resourceArn);
  if (!tags) return tags.error();
  Tags merged = (*tags)->value_or(Tags{});
  for (const auto& [k, v] : r.tags) merged[k] = v;
  if (merged.size() > max_tags_per_resource) {
    return validation_error("tags: a resource can have at most 50 tags; this request would give it " +
                            std::to_string(merged.size()));
  }
  **tags = std::move(merged);
  return TagResourceResponse{};
}

inline result<UntagResourceResponse> handle(engine& e, const UntagResourceRequest& r) {
  auto tags = tags_of(e, r.resourceArn);
  if (!tags) return tags.error();
  if ((*tags)->has_value()) {
    for (const auto& key : r.tagKeys) (**tags)->erase(key);
  }
  return UntagResourceResponse{};
}

inline result<ListTagsForResourceResponse> handle(engine& e, const ListTagsForResourceRequest& r) {
  auto tags = tags_of(e, r.resourceArn);
  if (!tags) return tags.error();
  return ListTagsForResourceResponse{.tags = (*tags)->value_or(Tags{})};
}

}  // namespace ivsrt::local
