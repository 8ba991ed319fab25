// Server-side compositions: StartComposition, StopComposition, GetComposition, ListCompositions.
// A composition moves STARTING -> ACTIVE -> STOPPING -> STOPPED with the service's clock: each
// step takes engine_options::composition_transition. As the service documents, a composition also
// stops once its stage has been empty for a while (idle_composition_timeout), and a stopped one is
// deleted after a retention time.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "ivsrt/json_writer.hpp"
#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/pagination.hpp"
#include "ivsrt/local/sessions.hpp"

namespace ivsrt::local {

namespace detail {

inline void set_state(Composition& c, CompositionState state, DestinationState dest) {
  c.state = open_enum<CompositionState>(state);
  for (auto& d : c.destinations) d.state = open_enum<DestinationState>(dest);
}

inline void finish(Composition& c, timestamp at) {
  set_state(c, CompositionState::STOPPED, DestinationState::STOPPED);
  c.endTime = at;
  for (auto& d : c.destinations) {
    if (!d.startTime) d.startTime = at;
    d.endTime = at;
  }
}

inline bool uses_encoder(const Composition& c, const std::string& encoder_arn) {
  return std::any_of(c.destinations.begin(), c.destinations.end(), [&](const Destination& d) {
    const auto& conf = d.configuration;
    if (conf.channel && conf.channel->encoderConfigurationArn == encoder_arn) return true;
    return conf.s3 &&
           std::find(conf.s3->encoderConfigurationArns.begin(), conf.s3->encoderConfigurationArns.end(),
                     encoder_arn) != conf.s3->encoderConfigurationArns.end();
  });
}

inline bool uses_storage(const Composition& c, const std::string& storage_arn) {
  return std::any_of(c.destinations.begin(), c.destinations.end(), [&](const Destination& d) {
    return d.configuration.s3 && d.configuration.s3->storageConfigurationArn == storage_arn;
  });
}

}  // namespace detail

inline bool is_running(const Composition& c) {
  return !(c.state == CompositionState::STOPPED);
}

// Brings every composition's state up to the service's clock.
inline void refresh_compositions(engine& e) {
  const timestamp now = e.now();
  const auto transition = e.options().composition_transition;
  for (auto it = e.state().compositions.begin(); it != e.state().compositions.end();) {
    composition_record& rec = it->second;
    Composition& c = rec.composition;
    if (c.state == CompositionState::STOPPED) {
      if (c.endTime && *c.endTime + e.options().stopped_composition_retention <= now) {
        it = e.state().compositions.erase(it);
        continue;
      }
    } else if (rec.stopRequestedAt) {
      if (now >= *rec.stopRequestedAt + transition) {
        detail::finish(c, *rec.stopRequestedAt + transition);
      } else {
        detail::set_state(c, CompositionState::STOPPING, DestinationState::STOPPING);
      }
    } else {
      const timestamp active_at = rec.createdAt + transition;
      if (now >= active_at) {
        detail::set_state(c, CompositionState::ACTIVE, DestinationState::ACTIVE);
        for (auto& d : c.destinations) {
          if (!d.startTime) d.startTime = active_at;
        }
        auto stage = e.state().stages.find(c.stageArn);
        if (stage == e.state().stages.end()) {
          detail::finish(c, now);
        } else if (active_session(stage->second) == nullptr) {
          const timestamp idle_since = std::max(rec.createdAt, stage->second.emptySince);
          const timestamp stops_at = idle_since + e.options().idle_composition_timeout;
          if (now >= stops_at) detail::finish(c, std::max(stops_at, active_at));
        }
      }
    }
    ++it;
  }
}

namespace detail {

inline result<void> check_destination(engine& e, const DestinationConfiguration& d, const std::string& path,
                                      int& channels, int& buckets) {
  if (auto ok = check_name(d.name, path + ".name"); !ok) return ok.error();
  if (d.channel.has_value() == d.s3.has_value()) {
    return validation_error(path + ": exactly one of channel and s3 must be given");
  }
  if (d.channel) {
    ++channels;
    auto channel = check_arn(d.channel->channelArn, "channel", path + ".channel.channelArn");
    if (!channel) return channel.error();
    if (channel->region != e.options().region || channel->account != e.options().account) {
      return validation_error(path +
                              ".channel.channelArn: the channel must be in the stage's account and region");
    }
    if (d.channel->encoderConfigurationArn) {
      auto enc = find_resource(e.state().encoderConfigurations, *d.channel->encoderConfigurationArn,
                               "encoder-configuration", path + ".channel.encoderConfigurationArn");
      if (!enc) return enc.error();
    }
  } else {
    ++buckets;
    auto storage = find_resource(e.state().storageConfigurations, d.s3->storageConfigurationArn,
                                 "storage-configuration", path + ".s3.storageConfigurationArn");
    if (!storage) return storage.error();
    for (const auto& arn : d.s3->encoderConfigurationArns) {
      auto enc = find_resource(e.state().encoderConfigurations, arn, "encoder-configuration",
                               path + ".s3.encoderConfigurationArns");
      if (!enc) return enc.error();
    }
  }
  return {};
}

// The layout with the documented defaults filled in (a grid when none is chosen).
inline result<LayoutConfiguration> layout_with_defaults(const optional<LayoutConfiguration>& requested) {
  LayoutConfiguration layout = requested.value_or(LayoutConfiguration{});
  if (layout.grid && layout.pip) return validation_error("layout: give either grid or pip, not both");
  if (!layout.pip) {
    GridConfiguration g = layout.grid.value_or(GridConfiguration{});
    if (!g.featuredParticipantAttribute) g.featuredParticipantAttribute = "";
    if (!g.omitStoppedVideo) g.omitStoppedVideo = false;
    if (!g.videoAspectRatio) g.videoAspectRatio = open_enum<VideoAspectRatio>(VideoAspectRatio::VIDEO);
    if (!g.gridGap) g.gridGap = 2;
    if (!g.participantOrderAttribute) g.participantOrderAttribute = "";
    layout.grid = g;
  } else {
    PipConfiguration& p = *layout.pip;
    if (!p.featuredParticipantAttribute) p.featuredParticipantAttribute = "";
    if (!p.omitStoppedVideo) p.omitStoppedVideo = false;
    if (!p.videoFillMode) p.videoFillMode = open_enum<VideoFillMode>(VideoFillMode::COVER);
    if (!p.gridGap) p.gridGap = 0;
    if (!p.pipParticipantAttribute) p.pipParticipantAttribute = "";
    if (!p.pipBehavior) p.pipBehavior = open_enum<PipBehavior>(PipBehavior::STATIC);
    if (!p.pipOffset) p.pipOffset = 0;
    if (!p.pipPosition) p.pipPosition = open_enum<PipPosition>(PipPosition::BOTTOM_RIGHT);
    if (!p.participantOrderAttribute) p.participantOrderAttribute = "";
  }
  return layout;
}

}  // namespace detail

inline result<StartCompositionResponse> handle(engine& e, const StartCompositionRequest& r) {
  if (auto ok = check_tags(r.tags); !ok) return ok.error();
  const std::string digest = json::to_json(r).ok() ? *json::to_json(r) : std::string();
  if (r.idempotencyToken) {
    for (auto& [arn, rec] : e.state().compositions) {
      if (rec.idempotencyToken != *r.idempotencyToken) continue;
      if (rec.requestDigest != digest) {
        return conflict("idempotencyToken " + *r.idempotencyToken +
                        " was already used for a StartComposition request with other parameters");
      }
      return StartCompositionResponse{.composition = rec.composition};
    }
  }
  auto stage = find_stage(e, r.stageArn);
  if (!stage) return stage.error();
  int channels = 0;
  int buckets = 0;
  for (std::size_t i = 0; i < r.destinations.size(); ++i) {
    auto ok = detail::check_destination(e, r.destinations[i], "destinations[" + std::to_string(i) + "]",
                                        channels, buckets);
    if (!ok) return ok.error();
  }
  if (channels > 1 || buckets > 1) {
    return validation_error("destinations: a composition has at most one channel and one s3 destination");
  }
  auto layout = detail::layout_with_defaults(r.layout);
  if (!layout) return layout.error();
  const auto running = std::count_if(e.state().compositions.begin(), e.state().compositions.end(),
                                     [](const auto& c) { return is_running(c.second.composition); });
  if (auto ok = check_quota(static_cast<std::size_t>(running), e.options().limits.active_compositions,
                            "active compositions");
      !ok) {
    return ok.error();
  }
  composition_record rec;
  rec.seq = e.next_seq();
  rec.createdAt = e.now();
  rec.idempotencyToken = r.idempotencyToken.value_or("");
  rec.requestDigest = digest;
  Composition& c = rec.composition;
  c.arn = e.new_arn("composition");
  c.stageArn = r.stageArn;
  c.state = open_enum<CompositionState>(CompositionState::STARTING);
  c.layout = std::move(*layout);
  c.tags = tags_or_empty(r.tags);
  c.startTime = rec.createdAt;
  const std::string session = (*stage)->stage.activeSessionId.value_or("no-session");
  for (const auto& config : r.destinations) {
    Destination d;
    d.id = e.ids().resource_id();
    d.state = open_enum<DestinationState>(DestinationState::STARTING);
    d.configuration = config;
    if (d.configuration.s3) {
      auto& s3 = *d.configuration.s3;
      RecordingConfiguration recording = s3.recordingConfiguration.value_or(RecordingConfiguration{});
      if (!recording.format)
        recording.format = open_enum<RecordingConfigurationFormat>(RecordingConfigurationFormat::HLS);
      if (!recording.hlsConfiguration || !recording.hlsConfiguration->targetSegmentDurationSeconds) {
        recording.hlsConfiguration = CompositionRecordingHlsConfiguration{.targetSegmentDurationSeconds = 2};
      }
      s3.recordingConfiguration = recording;
      d.detail =
          DestinationDetail{.s3 = S3Detail{.recordingPrefix = std::string(arn_id(c.stageArn)) + "/" +
                                                              session + "/" + std::string(arn_id(c.arn))}};
    }
    c.destinations.push_back(std::move(d));
  }
  StartCompositionResponse out{.composition = c};
  e.state().compositions.emplace(c.arn, std::move(rec));
  return out;
}

inline result<StopCompositionResponse> handle(engine& e, const StopCompositionRequest& r) {
  auto rec = find_resource(e.state().compositions, r.arn, "composition", "arn");
  if (!rec) return rec.error();
  // Stopping twice is not an error, so a client may retry a stop whose answer it never received.
  if (!(*rec)->stopRequestedAt && is_running((*rec)->composition)) {
    (*rec)->stopRequestedAt = e.now();
    detail::set_state((*rec)->composition, CompositionState::STOPPING, DestinationState::STOPPING);
  }
  return StopCompositionResponse{};
}

inline result<GetCompositionResponse> handle(engine& e, const GetCompositionRequest& r) {
  auto rec = find_resource(e.state().compositions, r.arn, "composition", "arn");
  if (!rec) return rec.error();
  return GetCompositionResponse{.composition = (*rec)->composition};
}

inline result<ListCompositionsResponse> handle(engine& e, const ListCompositionsRequest& r) {
  if (r.filterByStageArn) {
    if (auto ok = check_arn(*r.filterByStageArn, "stage", "filterByStageArn"); !ok) return ok.error();
  }
  if (r.filterByEncoderConfigurationArn) {
    auto ok = check_arn(*r.filterByEncoderConfigurationArn, "encoder-configuration",
                        "filterByEncoderConfigurationArn");
    if (!ok) return ok.error();
  }
  keyed_items<CompositionSummary> keyed;
  for (const auto& [arn, rec] : e.state().compositions) {
    const Composition& c = rec.composition;
    if (r.filterByStageArn && c.stageArn != *r.filterByStageArn) continue;
    if (r.filterByEncoderConfigurationArn && !detail::uses_encoder(c, *r.filterByEncoderConfigurationArn))
      continue;
    CompositionSummary s{.arn = c.arn,
                         .stageArn = c.stageArn,
                         .destinations = {},
                         .state = c.state,
                         .tags = c.tags,
                         .startTime = c.startTime,
                         .endTime = c.endTime};
    for (const auto& d : c.destinations) {
      s.destinations.push_back(
          DestinationSummary{.id = d.id, .state = d.state, .startTime = d.startTime, .endTime = d.endTime});
    }
    keyed.add(sort_key(rec.seq), std::move(s));
  }
  ListCompositionsResponse out;
  auto page = take_page(std::move(keyed), r.nextToken, r.maxResults, 100, "ListCompositions", out.nextToken);
  if (!page) return page.error();
  out.compositions = std::move(*page);
  return out;
}

}  // namespace ivsrt::local
