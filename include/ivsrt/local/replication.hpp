// Participant replication: StartParticipantReplication, StopParticipantReplication,
// ListParticipantReplicas. A publishing participant of one stage appears, as a replica that
// publishes, in another stage's session; both sides record the events the service documents.
// The reconnect window is stored but not simulated: a replication stops as soon as its source
// stops publishing.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/pagination.hpp"
#include "ivsrt/local/sessions.hpp"

namespace ivsrt::local {

namespace detail {
inline replica_record* find_replica(engine& e, const std::string& source, const std::string& destination,
                                    const std::string& participant_id, bool active_only) {
  for (auto& r : e.state().replicas) {
    const auto& p = r.replica;
    if (p.sourceStageArn == source && p.destinationStageArn == destination &&
        p.participantId == participant_id &&
        (!active_only || p.replicationState == ReplicationState::ACTIVE)) {
      return &r;
    }
  }
  return nullptr;
}
}  // namespace detail

inline result<StartParticipantReplicationResponse> handle(engine& e,
                                                          const StartParticipantReplicationRequest& r) {
  if (auto ok = check_attributes(r.attributes, "attributes"); !ok) return ok.error();
  if (r.sourceStageArn == r.destinationStageArn) {
    return validation_error("destinationStageArn: a participant cannot be replicated into its own stage");
  }
  auto destination = find_stage(e, r.destinationStageArn, "destinationStageArn");
  if (!destination) return destination.error();
  auto at = find_connected(e, r.sourceStageArn, r.participantId);
  if (!at) return at.error();
  Participant& source = at->participant->participant;
  if (source.replicationType == ReplicationType::REPLICA) {
    return validation_error("participantId: " + r.participantId +
                            " is itself a replica and cannot be replicated");
  }
  if (!at->participant->publishing) {
    return conflict("participant " + r.participantId + " is not publishing in stage " + r.sourceStageArn);
  }
  if (detail::find_replica(e, r.sourceStageArn, r.destinationStageArn, r.participantId, true) != nullptr) {
    return conflict("participant " + r.participantId + " is already replicated to stage " +
                    r.destinationStageArn);
  }
  ParticipantAttributes attributes = source.attributes.value_or(ParticipantAttributes{});
  if (r.attributes) {
    for (const auto& [k, v] : *r.attributes) attributes[k] = v;
  }
  connect_spec who{.participantId = r.participantId,
                   .userId = source.userId,
                   .attributes = attributes,
                   .protocol = source.protocol ? source.protocol->value() : ParticipantProtocol::WHIP,
                   .client = {},
                   .ingestConfigurationArn = {},
                   .redundantIngest = false,
                   .sourceStageArn = r.sourceStageArn,
                   .sourceSessionId = at->session->session.sessionId};
  auto replica = connect(e, **destination, who);
  if (!replica) return quota_exceeded(replica.error().message);
  auto published = start_publishing(e, **destination, *replica->session, *replica->participant);
  if (!published) {
    disconnect(e, **destination, *replica->session, *replica->participant);
    return quota_exceeded(published.error().message);
  }
  replica->participant->participant.replicationState = open_enum<ReplicationState>(ReplicationState::ACTIVE);
  const std::string destination_session = *replica->session->session.sessionId;
  source.replicationType = open_enum<ReplicationType>(ReplicationType::SOURCE);
  source.replicationState = open_enum<ReplicationState>(ReplicationState::ACTIVE);
  Event ev = make_event(e, EventName::REPLICATION_STARTED, r.participantId);
  ev.destinationStageArn = r.destinationStageArn;
  ev.destinationSessionId = destination_session;
  at->participant->events.push_back(std::move(ev));
  replica_record record;
  record.replica = ParticipantReplica{.sourceStageArn = r.sourceStageArn,
                                      .participantId = r.participantId,
                                      .sourceSessionId = *at->session->session.sessionId,
                                      .destinationStageArn = r.destinationStageArn,
                                      .destinationSessionId = destination_session,
                                      .replicationState = ReplicationState::ACTIVE};
  record.attributes = r.attributes;
  record.reconnectWindowSeconds = r.reconnectWindowSeconds.value_or(0);
  record.seq = e.next_seq();
  e.state().replicas.push_back(std::move(record));
  return StartParticipantReplicationResponse{};
}

inline result<StopParticipantReplicationResponse> handle(engine& e,
                                                         const StopParticipantReplicationRequest& r) {
  if (auto ok = check_arn(r.sourceStageArn, "stage", "sourceStageArn"); !ok) return ok.error();
  if (auto ok = check_arn(r.destinationStageArn, "stage", "destinationStageArn"); !ok) return ok.error();
  replica_record* replica =
      detail::find_replica(e, r.sourceStageArn, r.destinationStageArn, r.participantId, true);
  if (replica == nullptr) {
    return not_found_message("participant " + r.participantId + " of stage " + r.sourceStageArn +
                             " is not replicated to stage " + r.destinationStageArn);
  }
  stop_replication(e, *replica);
  return StopParticipantReplicationResponse{};
}

inline result<ListParticipantReplicasResponse> handle(engine& e, const ListParticipantReplicasRequest& r) {
  if (auto ok = check_arn(r.sourceStageArn, "stage", "sourceStageArn"); !ok) return ok.error();
  keyed_items<ParticipantReplica> keyed;
  for (const auto& rec : e.state().replicas) {
    if (rec.replica.sourceStageArn == r.sourceStageArn && rec.replica.participantId == r.participantId) {
      keyed.add(sort_key(rec.seq), rec.replica);
    }
  }
  ListParticipantReplicasResponse out;
  auto page =
      take_page(std::move(keyed), r.nextToken, r.maxResults, 50, "ListParticipantReplicas", out.nextToken);
  if (!page) return page.error();
  out.replicas = std::move(*page);
  return out;
}

}  // namespace ivsrt::local
