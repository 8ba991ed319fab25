// Ingest configurations: CreateIngestConfiguration, GetIngestConfiguration,
// ListIngestConfigurations, UpdateIngestConfiguration, DeleteIngestConfiguration; and what an RTMP(S)
// encoder does with a stream key (start_ingest, stop_ingest), so that a configuration can be
// ACTIVE and the rules about active configurations can be exercised.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/pagination.hpp"
#include "ivsrt/local/sessions.hpp"

namespace ivsrt::local {

namespace detail {

// rt_{account}_{region}_{id}_{secret}, the StreamKey pattern of the model.
inline sensitive_string new_stream_key(engine& e) {
  return sensitive_string("rt_" + e.options().account + "_" + e.options().region + "_" +
                          e.ids().resource_id() + "_" + e.ids().text(24));
}

inline void set_redundant_credentials(engine& e, IngestConfiguration& c, bool redundant) {
  c.redundantIngest = redundant;
  if (!redundant) {
    c.redundantIngestCredentials.reset();
    return;
  }
  if (c.redundantIngestCredentials && !c.redundantIngestCredentials->empty()) return;
  c.redundantIngestCredentials = RedundantIngestCredentials{
      RedundantIngestCredential{.participantId = c.participantId, .streamKey = c.streamKey},
      RedundantIngestCredential{.participantId = e.ids().participant_id(), .streamKey = new_stream_key(e)}};
}

inline result<void> check_ingest_stage(engine& e, const std::string& stage_arn, bool missing_is_not_found) {
  if (stage_arn.empty()) return {};
  auto stage = find_stage(e, stage_arn);
  if (!stage) {
    if (stage.error().http_status == 404 && !missing_is_not_found) {
      return validation_error("stageArn: stage " + stage_arn + " does not exist");
    }
    return stage.error();
  }
  return {};
}

inline IngestConfigurationSummary summary_of(const IngestConfiguration& c) {
  return IngestConfigurationSummary{.name = c.name,
                                    .arn = c.arn,
                                    .ingestProtocol = c.ingestProtocol,
                                    .stageArn = c.stageArn,
                                    .participantId = c.participantId,
                                    .state = c.state,
                                    .userId = c.userId,
                                    .redundantIngest = c.redundantIngest};
}

}  // namespace detail

inline result<CreateIngestConfigurationResponse> handle(engine& e,
                                                        const CreateIngestConfigurationRequest& r) {
  if (auto ok = check_name(r.name, "name"); !ok) return ok.error();
  if (auto ok = check_tags(r.tags); !ok) return ok.error();
  if (auto ok = check_attributes(r.attributes, "attributes"); !ok) return ok.error();
  if (r.ingestProtocol == IngestProtocol::RTMP && !r.insecureIngest.value_or(false)) {
    return validation_error("insecureIngest: must be true when ingestProtocol is RTMP");
  }
  const std::string stage_arn = r.stageArn.value_or("");
  if (auto ok = detail::check_ingest_stage(e, stage_arn, false); !ok) return ok.error();
  auto& all = e.state().ingestConfigurations;
  if (auto ok = check_quota(all.size(), e.options().limits.ingest_configurations, "ingest configurations");
      !ok) {
    return ok.error();
  }
  resource_record<IngestConfiguration> rec;
  rec.seq = e.next_seq();
  IngestConfiguration& c = rec.resource;
  c.name = r.name.value_or("");
  c.arn = e.new_arn("ingest-configuration");
  c.ingestProtocol = r.ingestProtocol;
  c.streamKey = detail::new_stream_key(e);
  c.stageArn = stage_arn;
  c.participantId = e.ids().participant_id();
  c.state = open_enum<IngestConfigurationState>(IngestConfigurationState::INACTIVE);
  c.userId = r.userId.value_or("");
  c.attributes = r.attributes.value_or(ParticipantAttributes{});
  c.tags = tags_or_empty(r.tags);
  detail::set_redundant_credentials(e, c, r.redundantIngest.value_or(false));
  CreateIngestConfigurationResponse out{.ingestConfiguration = c};
  all.emplace(c.arn, std::move(rec));
  return out;
}

inline result<GetIngestConfigurationResponse> handle(engine& e, const GetIngestConfigurationRequest& r) {
  auto rec = find_resource(e.state().ingestConfigurations, r.arn, "ingest-configuration", "arn");
  if (!rec) return rec.error();
  return GetIngestConfigurationResponse{.ingestConfiguration = (*rec)->resource};
}

inline result<ListIngestConfigurationsResponse> handle(engine& e, const ListIngestConfigurationsRequest& r) {
  if (r.filterByStageArn && r.filterByState) {
    return validation_error("only one of filterByStageArn and filterByState may be given");
  }
  if (r.filterByStageArn) {
    if (auto ok = check_arn(*r.filterByStageArn, "stage", "filterByStageArn"); !ok) return ok.error();
  }
  keyed_items<IngestConfigurationSummary> keyed;
  for (const auto& [arn, rec] : e.state().ingestConfigurations) {
    const IngestConfiguration& c = rec.resource;
    if (r.filterByStageArn && c.stageArn != *r.filterByStageArn) continue;
    if (r.filterByState && !(c.state == *r.filterByState)) continue;
    keyed.add(sort_key(rec.seq), detail::summary_of(c));
  }
  ListIngestConfigurationsResponse out;
  auto page =
      take_page(std::move(keyed), r.nextToken, r.maxResults, 50, "ListIngestConfigurations", out.nextToken);
  if (!page) return page.error();
  out.ingestConfigurations = std::move(*page);
  return out;
}

inline result<UpdateIngestConfigurationResponse> handle(engine& e,
                                                        const UpdateIngestConfigurationRequest& r) {
  auto rec = find_resource(e.state().ingestConfigurations, r.arn, "ingest-configuration", "arn");
  if (!rec) return rec.error();
  IngestConfiguration& c = (*rec)->resource;
  if (c.state == IngestConfigurationState::ACTIVE) {
    return conflict("ingest configuration " + r.arn + " is active and cannot be updated");
  }
  if (r.stageArn) {
    if (auto ok = detail::check_ingest_stage(e, *r.stageArn, true); !ok) return ok.error();
    c.stageArn = *r.stageArn;
  }
  if (r.redundantIngest) detail::set_redundant_credentials(e, c, *r.redundantIngest);
  return UpdateIngestConfigurationResponse{.ingestConfiguration = c};
}

namespace detail {

// The connected participant publishing with an ingest configuration, if any.
inline std::optional<located> ingest_participant(engine& e, const IngestConfiguration& c) {
  if (c.stageArn.empty()) return std::nullopt;
  auto stage = e.state().stages.find(c.stageArn);
  if (stage == e.state().stages.end()) return std::nullopt;
  session_record* session = active_session(stage->second);
  if (session == nullptr) return std::nullopt;
  for (auto& [pid, record] : session->participants) {
    if (record.participant.ingestConfigurationArn == c.arn &&
        record.participant.state == ParticipantState::CONNECTED) {
      return located{&stage->second, session, &record};
    }
  }
  return std::nullopt;
}

}  // namespace detail

inline result<DeleteIngestConfigurationResponse> handle(engine& e,
                                                        const DeleteIngestConfigurationRequest& r) {
  auto rec = find_resource(e.state().ingestConfigurations, r.arn, "ingest-configuration", "arn");
  if (!rec) return rec.error();
  IngestConfiguration& c = (*rec)->resource;
  if (c.state == IngestConfigurationState::ACTIVE) {
    if (!r.force.value_or(false)) {
      return conflict("ingest configuration " + r.arn + " is active; stop publishing or set force");
    }
    if (auto at = detail::ingest_participant(e, c)) disconnect(e, *at->stage, *at->session, *at->participant);
  }
  e.state().ingestConfigurations.erase(r.arn);
  return DeleteIngestConfigurationResponse{};
}

// An RTMP(S) encoder starts publishing with a stream key: its participant joins the configuration's
// stage and publishes, and the configuration becomes ACTIVE.
inline result<joined> start_ingest(engine& e, std::string_view stream_key) {
  for (auto& [arn, rec] : e.state().ingestConfigurations) {
    IngestConfiguration& c = rec.resource;
    std::string participant_id;
    if (c.streamKey == stream_key) participant_id = c.participantId;
    if (c.redundantIngestCredentials) {
      for (const auto& cred : *c.redundantIngestCredentials) {
        if (cred.streamKey && *cred.streamKey == stream_key) participant_id = cred.participantId.value_or("");
      }
    }
    if (participant_id.empty()) continue;
    if (c.stageArn.empty()) {
      return api_error(409, "IngestNotAttached",
                       "ingest configuration " + arn + " is not attached to a stage");
    }
    auto stage = find_stage(e, c.stageArn);
    if (!stage) return stage.error();
    connect_spec who{.participantId = participant_id,
                     .userId = c.userId,
                     .attributes = c.attributes,
                     .protocol = c.ingestProtocol == IngestProtocol::RTMP ? ParticipantProtocol::RTMP
                                                                          : ParticipantProtocol::RTMPS,
                     .client = {},
                     .ingestConfigurationArn = c.arn,
                     .redundantIngest = c.redundantIngest.value_or(false),
                     .sourceStageArn = {},
                     .sourceSessionId = {}};
    auto connected = connect(e, **stage, who);
    if (!connected) return connected.error();
    auto published = start_publishing(e, **stage, *connected->session, *connected->participant);
    if (!published) {
      disconnect(e, **stage, *connected->session, *connected->participant);
      return published.error();
    }
    c.state = open_enum<IngestConfigurationState>(IngestConfigurationState::ACTIVE);
    return joined{participant_id, *connected->session->session.sessionId};
  }
  return api_error(403, "InvalidStreamKey", "no ingest configuration has this stream key");
}

// The encoder stops: its participant leaves and the configuration becomes INACTIVE.
inline result<void> stop_ingest(engine& e, std::string_view stream_key) {
  for (auto& [arn, rec] : e.state().ingestConfigurations) {
    IngestConfiguration& c = rec.resource;
    bool match = c.streamKey == stream_key;
    if (c.redundantIngestCredentials) {
      for (const auto& cred : *c.redundantIngestCredentials)
        match = match || (cred.streamKey && *cred.streamKey == stream_key);
    }
    if (!match) continue;
    if (auto at = detail::ingest_participant(e, c)) disconnect(e, *at->stage, *at->session, *at->participant);
    c.state = open_enum<IngestConfigurationState>(IngestConfigurationState::INACTIVE);
    return {};
  }
  return api_error(403, "InvalidStreamKey", "no ingest configuration has this stream key");
}

}  // namespace ivsrt::local
