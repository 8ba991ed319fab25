// Storage configurations: CreateStorageConfiguration, GetStorageConfiguration,
// ListStorageConfigurations, DeleteStorageConfiguration (refused while a composition or a stage's
// participant recording uses it). No S3 bucket is touched: the bucket name is only checked for the
// characters S3 allows.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ivsrt/local/compositions.hpp"
#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/pagination.hpp"

namespace ivsrt::local {

inline result<CreateStorageConfigurationResponse> handle(engine& e,
                                                         const CreateStorageConfigurationRequest& r) {
  if (auto ok = check_name(r.name, "name"); !ok) return ok.error();
  if (auto ok = check_tags(r.tags); !ok) return ok.error();
  for (char c : r.s3.bucketName) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
      return validation_error("s3.bucketName: \"" + r.s3.bucketName +
                              "\" may contain only lower-case letters, digits, '-' and '.'");
    }
  }
  auto& all = e.state().storageConfigurations;
  if (auto ok = check_quota(all.size(), e.options().limits.storage_configurations, "storage configurations");
      !ok) {
    return ok.error();
  }
  resource_record<StorageConfiguration> rec;
  rec.seq = e.next_seq();
  rec.resource = StorageConfiguration{.arn = e.new_arn("storage-configuration"),
                                      .name = r.name.value_or(""),
                                      .s3 = r.s3,
                                      .tags = tags_or_empty(r.tags)};
  CreateStorageConfigurationResponse out{.storageConfiguration = rec.resource};
  all.emplace(rec.resource.arn, std::move(rec));
  return out;
}

inline result<GetStorageConfigurationResponse> handle(engine& e, const GetStorageConfigurationRequest& r) {
  auto rec = find_resource(e.state().storageConfigurations, r.arn, "storage-configuration", "arn");
  if (!rec) return rec.error();
  return GetStorageConfigurationResponse{.storageConfiguration = (*rec)->resource};
}

inline result<ListStorageConfigurationsResponse> handle(engine& e,
                                                        const ListStorageConfigurationsRequest& r) {
  keyed_items<StorageConfigurationSummary> keyed;
  for (const auto& [arn, rec] : e.state().storageConfigurations) {
    keyed.add(sort_key(rec.seq),
              StorageConfigurationSummary{
                  .arn = arn, .name = rec.resource.name, .s3 = rec.resource.s3, .tags = rec.resource.tags});
  }
  ListStorageConfigurationsResponse out;
  auto page =
      take_page(std::move(keyed), r.nextToken, r.maxResults, 100, "ListStorageConfigurations", out.nextToken);
  if (!page) return page.error();
  out.storageConfigurations = std::move(*page);
  return out;
}

inline result<DeleteStorageConfigurationResponse> handle(engine& e,
                                                         const DeleteStorageConfigurationRequest& r) {
  auto rec = find_resource(e.state().storageConfigurations, r.arn, "storage-configuration", "arn");
  if (!rec) return rec.error();
  for (const auto& [arn, c] : e.state().compositions) {
    if (is_running(c.composition) && detail::uses_storage(c.composition, r.arn)) {
      return conflict("storage configuration " + r.arn + " is used by composition " + arn +
                      "; stop the composition and wait for it to stop first");
    }
  }
  for (const auto& [arn, s] : e.state().stages) {
    const auto& rec_config = s.stage.autoParticipantRecordingConfiguration;
    if (rec_config && rec_config->storageConfigurationArn == r.arn) {
      return conflict("storage configuration " + r.arn + " is used for participant recording by stage " +
                      arn);
    }
  }
  e.state().storageConfigurations.erase(r.arn);
  return DeleteStorageConfigurationResponse{};
}

}  // namespace ivsrt::local
