// Stages: CreateStage (with its participant tokens), GetStage, UpdateStage, DeleteStage, ListStages.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/pagination.hpp"
#include "ivsrt/local/participant_tokens.hpp"
#include "ivsrt/local/sessions.hpp"

namespace ivsrt::local {

// Endpoints in the form the service gives them; nothing answers at these addresses.
inline StageEndpoints stage_endpoints(engine& e) {
  const std::string host = e.ids().text(12, "abcdefghijklmnopqrstuvwxyz0123456789");
  return StageEndpoints{.events = "wss://global.events.live-video.net",
                        .whip = "https://" + host + ".global-bm.whip.live-video.net",
                        .rtmp = "rtmp://" + host + ".global-contribute.live-video.net/app/",
                        .rtmps = "rtmps://" + host + ".global-contribute.live-video.net:443/app/"};
}

// The recording configuration as the service stores it: every field with its documented default;
// an empty storageConfigurationArn (recording off) resets the other fields.
inline result<AutoParticipantRecordingConfiguration> recording_configuration(
    engine& e, const optional<AutoParticipantRecordingConfiguration>& requested, bool missing_is_not_found) {
  AutoParticipantRecordingConfiguration c;
  if (requested && !requested->storageConfigurationArn.empty()) {
    c = *requested;
    auto storage =
        find_resource(e.state().storageConfigurations, c.storageConfigurationArn, "storage-configuration",
                      "autoParticipantRecordingConfiguration.storageConfigurationArn");
    if (!storage) {
      if (storage.error().http_status == 404 && !missing_is_not_found) {
        return validation_error("autoParticipantRecordingConfiguration.storageConfigurationArn: " +
                                c.storageConfigurationArn + " does not exist");
      }
      return storage.error();
    }
  }
  if (!c.mediaTypes || c.mediaTypes->empty()) c.mediaTypes = {ParticipantRecordingMediaType::AUDIO_VIDEO};
  ParticipantThumbnailConfiguration thumbnails =
      c.thumbnailConfiguration.value_or(ParticipantThumbnailConfiguration{});
  if (!thumbnails.targetIntervalSeconds) thumbnails.targetIntervalSeconds = 60;
  if (!thumbnails.storage || thumbnails.storage->empty())
    thumbnails.storage = {ThumbnailStorageType::SEQUENTIAL};
  if (!thumbnails.recordingMode)
    thumbnails.recordingMode = open_enum<ThumbnailRecordingMode>(ThumbnailRecordingMode::DISABLED);
  c.thumbnailConfiguration = thumbnails;
  if (!c.recordingReconnectWindowSeconds) c.recordingReconnectWindowSeconds = 0;
  if (!c.hlsConfiguration || !c.hlsConfiguration->targetSegmentDurationSeconds) {
    c.hlsConfiguration = ParticipantRecordingHlsConfiguration{.targetSegmentDurationSeconds = 6};
  }
  if (!c.recordParticipantReplicas) c.recordParticipantReplicas = true;
  return c;
}

inline result<CreateStageResponse> handle(engine& e, const CreateStageRequest& r) {
  if (auto ok = check_name(r.name, "name"); !ok) return ok.error();
  if (auto ok = check_tags(r.tags); !ok) return ok.error();
  if (r.participantTokenConfigurations) {
    for (std::size_t i = 0; i < r.participantTokenConfigurations->size(); ++i) {
      auto ok = check_attributes((*r.participantTokenConfigurations)[i].attributes,
                                 "participantTokenConfigurations[" + std::to_string(i) + "].attributes");
      if (!ok) return ok.error();
    }
  }
  if (auto ok = check_quota(e.state().stages.size(), e.options().limits.stages, "stages"); !ok)
    return ok.error();
  auto recording = recording_configuration(e, r.autoParticipantRecordingConfiguration, false);
  if (!recording) return recording.error();
  stage_record record;
  record.seq = e.next_seq();
  record.emptySince = e.now();
  Stage& s = record.stage;
  s.arn = e.new_arn("stage");
  s.name = r.name.value_or("");
  s.tags = tags_or_empty(r.tags);
  s.autoParticipantRecordingConfiguration = std::move(*recording);
  s.endpoints = stage_endpoints(e);
  auto [it, inserted] = e.state().stages.emplace(s.arn, std::move(record));
  CreateStageResponse out;
  if (r.participantTokenConfigurations) {
    out.participantTokens.emplace();
    for (const auto& config : *r.participantTokenConfigurations) {
      out.participantTokens->push_back(
          issue_token(e, it->second, config.duration, config.userId, config.attributes, config.capabilities));
    }
  }
  out.stage = it->second.stage;
  return out;
}

inline result<GetStageResponse> handle(engine& e, const GetStageRequest& r) {
  auto stage = find_stage(e, r.arn, "arn");
  if (!stage) return stage.error();
  return GetStageResponse{.stage = (*stage)->stage};
}

inline result<UpdateStageResponse> handle(engine& e, const UpdateStageRequest& r) {
  if (auto ok = check_name(r.name, "name"); !ok) return ok.error();
  auto stage = find_stage(e, r.arn, "arn");
  if (!stage) return stage.error();
  Stage& s = (*stage)->stage;
  if (r.autoParticipantRecordingConfiguration) {
    auto recording = recording_configuration(e, r.autoParticipantRecordingConfiguration, true);
    if (!recording) return recording.error();
    const bool changed = !s.autoParticipantRecordingConfiguration ||
                         !same_json(*recording, *s.autoParticipantRecordingConfiguration);
    if (changed && active_session(**stage) != nullptr) {
      return conflict("autoParticipantRecordingConfiguration cannot change while stage " + s.arn +
                      " has an active session");
    }
    s.autoParticipantRecordingConfiguration = std::move(*recording);
  }
  if (r.name) s.name = r.name;
  return UpdateStageResponse{.stage = s};
}

inline result<DeleteStageResponse> handle(engine& e, const DeleteStageRequest& r) {
  auto stage = find_stage(e, r.arn, "arn");
  if (!stage) return stage.error();
  for (const auto& [arn, c] : e.state().compositions) {
    const auto& state = c.composition.state;
    if (c.composition.stageArn == r.arn &&
        (state == CompositionState::STARTING || state == CompositionState::ACTIVE)) {
      return conflict("stage " + r.arn + " is used by composition " + arn + "; stop the composition first");
    }
  }
  for (auto& replica : e.state().replicas) {
    if (replica.replica.sourceStageArn == r.arn || replica.replica.destinationStageArn == r.arn) {
      stop_replication(e, replica);
    }
  }
  disconnect_all(e, **stage);
  for (auto& [arn, ingest] : e.state().ingestConfigurations) {
    if (ingest.resource.stageArn == r.arn) {
      ingest.resource.stageArn.clear();
      ingest.resource.state = open_enum<IngestConfigurationState>(IngestConfigurationState::INACTIVE);
    }
  }
  e.state().stages.erase(r.arn);
  return DeleteStageResponse{};
}

inline result<ListStagesResponse> handle(engine& e, const ListStagesRequest& r) {
  keyed_items<StageSummary> keyed;
  for (const auto& [arn, record] : e.state().stages) {
    const Stage& s = record.stage;
    keyed.add(
        sort_key(record.seq),
        StageSummary{.arn = s.arn, .name = s.name, .activeSessionId = s.activeSessionId, .tags = s.tags});
  }
  ListStagesResponse out;
  auto page = take_page(std::move(keyed), r.nextToken, r.maxResults, 50, "ListStages", out.nextToken);
  if (!page) return page.error();
  out.stages = std::move(*page);
  return out;
}

}  // namespace ivsrt::local
