// Encoder configurations: CreateEncoderConfiguration, GetEncoderConfiguration,
// ListEncoderConfigurations, DeleteEncoderConfiguration (refused while a composition uses it).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ivsrt/local/compositions.hpp"
#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/pagination.hpp"

namespace ivsrt::local {

inline result<CreateEncoderConfigurationResponse> handle(engine& e,
                                                         const CreateEncoderConfigurationRequest& r) {
  if (auto ok = check_name(r.name, "name"); !ok) return ok.error();
  if (auto ok = check_tags(r.tags); !ok) return ok.error();
  auto& all = e.state().encoderConfigurations;
  if (auto ok = check_quota(all.size(), e.options().limits.encoder_configurations, "encoder configurations");
      !ok) {
    return ok.error();
  }
  // The documented default: 1280x720, 2500 kbps, 30 fps, for whatever the request leaves out.
  Video video = r.video.value_or(Video{});
  if (!video.width) video.width = 1280;
  if (!video.height) video.height = 720;
  if (!video.framerate) video.framerate = 30.0F;
  if (!video.bitrate) video.bitrate = 2500000;
  resource_record<EncoderConfiguration> rec;
  rec.seq = e.next_seq();
  rec.resource = EncoderConfiguration{.arn = e.new_arn("encoder-configuration"),
                                      .name = r.name.value_or(""),
                                      .video = video,
                                      .tags = tags_or_empty(r.tags)};
  CreateEncoderConfigurationResponse out{.encoderConfiguration = rec.resource};
  all.emplace(rec.resource.arn, std::move(rec));
  return out;
}

inline result<GetEncoderConfigurationResponse> handle(engine& e, const GetEncoderConfigurationRequest& r) {
  auto rec = find_resource(e.state().encoderConfigurations, r.arn, "encoder-configuration", "arn");
  if (!rec) return rec.error();
  return GetEncoderConfigurationResponse{.encoderConfiguration = (*rec)->resource};
}

inline result<ListEncoderConfigurationsResponse> handle(engine& e,
                                                        const ListEncoderConfigurationsRequest& r) {
  keyed_items<EncoderConfigurationSummary> keyed;
  for (const auto& [arn, rec] : e.state().encoderConfigurations) {
    keyed.add(sort_key(rec.seq),
              EncoderConfigurationSummary{.arn = arn, .name = rec.resource.name, .tags = rec.resource.tags});
  }
  ListEncoderConfigurationsResponse out;
  auto page =
      take_page(std::move(keyed), r.nextToken, r.maxResults, 100, "ListEncoderConfigurations", out.nextToken);
  if (!page) return page.error();
  out.encoderConfigurations = std::move(*page);
  return out;
}

inline result<DeleteEncoderConfigurationResponse> handle(engine& e,
                                                         const DeleteEncoderConfigurationRequest& r) {
  auto rec = find_resource(e.state().encoderConfigurations, r.arn, "encoder-configuration", "arn");
  if (!rec) return rec.error();
  for (const auto& [arn, c] : e.state().compositions) {
    if (is_running(c.composition) && detail::uses_encoder(c.composition, r.arn)) {
      return conflict("encoder configuration " + r.arn + " is used by composition " + arn);
    }
  }
  e.state().encoderConfigurations.erase(r.arn);
  return DeleteEncoderConfigurationResponse{};
}

}  // namespace ivsrt::local
