// Stage sessions and their participants: what happens when a participant joins, publishes,
// subscribes, leaves or is replicated (sessions begin with the first participant and end when the
// last one leaves; every step is a participant event), and the operations that report it:
// GetStageSession, ListStageSessions, GetParticipant, ListParticipants, ListParticipantEvents and
// DisconnectParticipant.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/base64url.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/local/admin_messages.hpp"
#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/pagination.hpp"
#include "ivsrt/tokens/key_pair.hpp"
#include "ivsrt/tokens/participant_token_claims.hpp"
#include "ivsrt/tokens/participant_token_verifier.hpp"

namespace ivsrt::local {

// What a participant's client reports about itself when it joins (all optional).
struct client_details {
  optional<std::string> ispName{};
  optional<std::string> osName{};
  optional<std::string> osVersion{};
  optional<std::string> browserName{};
  optional<std::string> browserVersion{};
  optional<std::string> sdkVersion{};
};

// ---- Sessions ----

inline session_record* active_session(stage_record& s) {
  if (s.sessions.empty() || s.sessions.back().session.endTime.has_value()) return nullptr;
  return &s.sessions.back();
}

inline session_record* find_session(stage_record& s, std::string_view session_id) {
  for (auto& session : s.sessions) {
    if (session.session.sessionId == session_id) return &session;
  }
  return nullptr;
}

inline session_record& open_session(engine& e, stage_record& s) {
  if (session_record* active = active_session(s)) return *active;
  session_record record;
  record.session.sessionId = e.ids().session_id();
  record.session.startTime = e.now();
  record.seq = e.next_seq();
  s.stage.activeSessionId = *record.session.sessionId;
  s.sessions.push_back(std::move(record));
  return s.sessions.back();
}

inline std::size_t count_connected(const session_record& session) {
  return static_cast<std::size_t>(
      std::count_if(session.participants.begin(), session.participants.end(),
                    [](const auto& p) { return p.second.participant.state == ParticipantState::CONNECTED; }));
}

inline std::size_t count_publishing(const session_record& session) {
  return static_cast<std::size_t>(std::count_if(session.participants.begin(), session.participants.end(),
                                                [](const auto& p) { return p.second.publishing; }));
}

// A session ends when its last participant has left.
inline void close_session_if_empty(engine& e, stage_record& s) {
  session_record* session = active_session(s);
  if (session == nullptr || count_connected(*session) != 0) return;
  session->session.endTime = e.now();
  s.stage.activeSessionId.reset();
  s.emptySince = e.now();
}

inline Event make_event(engine& e, EventName name, const std::string& participant_id) {
  Event ev;
  ev.name = open_enum<EventName>(name);
  ev.participantId = participant_id;
  ev.eventTime = e.now();
  return ev;
}

// The capabilities of the token a participant joined with; participants without a token
// (RTMP ingest, replicas) publish only.
inline bool may(const stage_record& s, const std::string& participant_id, ParticipantTokenCapability what) {
  auto it = s.tokens.find(participant_id);
  if (it == s.tokens.end()) return what == ParticipantTokenCapability::PUBLISH;
  const auto& caps = it->second.token.capabilities;
  if (!caps) return true;
  return std::any_of(caps->begin(), caps->end(), [&](const auto& c) { return c == what; });
}

inline bool recording_enabled(const stage_record& s) {
  const auto& rec = s.stage.autoParticipantRecordingConfiguration;
  return rec.has_value() && !rec->storageConfigurationArn.empty();
}

// ---- Participants ----

// Who is connecting: from a token, an ingest configuration or a replication.
struct connect_spec {
  std::string participantId{};
  optional<std::string> userId{};
  optional<ParticipantAttributes> attributes{};
  ParticipantProtocol protocol = ParticipantProtocol::WHIP;
  client_details client{};
  optional<std::string> ingestConfigurationArn{};
  bool redundantIngest = false;
  optional<std::string> sourceStageArn{};  // set for replicas
  optional<std::string> sourceSessionId{};
};

struct connection {
  session_record* session = nullptr;
  participant_record* participant = nullptr;
};

// Connects a participant to the stage's session (opening one if needed); a participant already
// connected stays as it is.
inline result<connection> connect(engine& e, stage_record& s, const connect_spec& who) {
  session_record* current = active_session(s);
  if (current != nullptr) {
    auto it = current->participants.find(who.participantId);
    if (it != current->participants.end() && it->second.participant.state == ParticipantState::CONNECTED) {
      return connection{current, &it->second};
    }
    if (count_connected(*current) >= static_cast<std::size_t>(e.options().limits.participants_per_stage)) {
      if (it != current->participants.end()) {
        Event ev = make_event(e, EventName::JOIN_ERROR, who.participantId);
        ev.errorCode = open_enum<EventErrorCode>(EventErrorCode::QUOTA_EXCEEDED);
        it->second.events.push_back(std::move(ev));
      }
      return api_error(402, "QUOTA_EXCEEDED",
                       "the stage already has " + std::to_string(e.options().limits.participants_per_stage) +
                           " participants connected");
    }
  }
  session_record& session = open_session(e, s);
  auto [it, is_new] = session.participants.try_emplace(who.participantId);
  participant_record& record = it->second;
  Participant& p = record.participant;
  const bool replica = who.sourceStageArn.has_value();
  if (is_new) {
    record.seq = e.next_seq();
    p.participantId = who.participantId;
    p.userId = who.userId.value_or("");
    p.firstJoinTime = e.now();
    p.attributes = who.attributes.value_or(ParticipantAttributes{});
    p.published = false;
    p.ispName = who.client.ispName;
    p.osName = who.client.osName;
    p.osVersion = who.client.osVersion;
    p.browserName = who.client.browserName;
    p.browserVersion = who.client.browserVersion;
    p.sdkVersion = who.client.sdkVersion;
    p.recordingS3BucketName = "";
    p.recordingS3Prefix = "";
    p.recordingState = open_enum<ParticipantRecordingState>(
        recording_enabled(s) ? ParticipantRecordingState::STOPPED : ParticipantRecordingState::DISABLED);
    p.protocol = open_enum<ParticipantProtocol>(who.protocol);
    p.replicationType =
        open_enum<ReplicationType>(replica ? ReplicationType::REPLICA : ReplicationType::NONE);
    if (replica) {
      p.replicationState = open_enum<ReplicationState>(ReplicationState::ACTIVE);
      p.sourceStageArn = who.sourceStageArn;
      p.sourceSessionId = who.sourceSessionId;
    }
    p.redundantIngest = who.redundantIngest;
    p.ingestConfigurationArn = who.ingestConfigurationArn;
  }
  p.state = open_enum<ParticipantState>(ParticipantState::CONNECTED);
  Event ev = make_event(e, EventName::JOINED, who.participantId);
  if (replica) ev.replica = true;
  record.events.push_back(std::move(ev));
  return connection{&session, &record};
}

inline std::string recording_prefix(const stage_record& s, const session_record& session,
                                    const participant_record& record) {
  return std::string(arn_id(s.stage.arn)) + "/" + session.session.sessionId.value_or("") + "/" +
         record.participant.participantId.value_or("");
}

// Starts publishing; an error (and a PUBLISH_ERROR event) when the token does not allow it or the
// stage has its quota of publishers.
inline result<void> start_publishing(engine& e, stage_record& s, session_record& session,
                                     participant_record& record) {
  const std::string& pid = *record.participant.participantId;
  if (record.publishing) return {};
  auto fail = [&](EventErrorCode code, std::string message) -> error {
    Event ev = make_event(e, EventName::PUBLISH_ERROR, pid);
    ev.errorCode = open_enum<EventErrorCode>(code);
    record.events.push_back(std::move(ev));
    return api_error(403, std::string(to_string(code)), std::move(message));
  };
  if (!may(s, pid, ParticipantTokenCapability::PUBLISH)) {
    return fail(EventErrorCode::INSUFFICIENT_CAPABILITIES,
                "the participant's token does not allow publishing");
  }
  if (count_publishing(session) >= static_cast<std::size_t>(e.options().limits.publishers_per_stage)) {
    return fail(
        EventErrorCode::QUOTA_EXCEEDED,
        "the stage already has " + std::to_string(e.options().limits.publishers_per_stage) + " publishers");
  }
  record.publishing = true;
  record.participant.published = true;
  Event ev = make_event(e, EventName::PUBLISH_STARTED, pid);
  if (record.participant.replicationType == ReplicationType::REPLICA) ev.replica = true;
  record.events.push_back(std::move(ev));
  if (recording_enabled(s)) {
    const std::string& storage_arn = s.stage.autoParticipantRecordingConfiguration->storageConfigurationArn;
    auto storage = e.state().storageConfigurations.find(storage_arn);
    record.participant.recordingS3BucketName =
        storage != e.state().storageConfigurations.end() && storage->second.resource.s3
            ? storage->second.resource.s3->bucketName
            : std::string();
    record.participant.recordingS3Prefix = recording_prefix(s, session, record);
    record.participant.recordingState =
        open_enum<ParticipantRecordingState>(ParticipantRecordingState::ACTIVE);
  }
  return {};
}

inline void stop_replication(engine& e, replica_record& replica);

inline void stop_publishing(engine& e, stage_record& s, session_record& session, participant_record& record) {
  if (!record.publishing) return;
  const std::string& pid = *record.participant.participantId;
  record.publishing = false;
  Event ev = make_event(e, EventName::PUBLISH_STOPPED, pid);
  if (record.participant.replicationType == ReplicationType::REPLICA) ev.replica = true;
  record.events.push_back(std::move(ev));
  if (recording_enabled(s)) {
    record.participant.recordingState =
        open_enum<ParticipantRecordingState>(ParticipantRecordingState::STOPPED);
  }
  // Whoever watched this publisher stops receiving it.
  for (auto& [other_id, other] : session.participants) {
    auto& subs = other.subscribedTo;
    auto found = std::find(subs.begin(), subs.end(), pid);
    if (found == subs.end()) continue;
    subs.erase(found);
    Event stopped = make_event(e, EventName::SUBSCRIBE_STOPPED, other_id);
    stopped.remoteParticipantId = pid;
    other.events.push_back(std::move(stopped));
  }
  // A publisher that stops publishing stops being replicated.
  for (auto& replica : e.state().replicas) {
    if (replica.replica.sourceStageArn == s.stage.arn && replica.replica.participantId == pid &&
        replica.replica.replicationState == ReplicationState::ACTIVE) {
      stop_replication(e, replica);
    }
  }
}

inline result<void> subscribe_to(engine& e, stage_record& s, session_record& session,
                                 participant_record& record, const std::string& publisher_id) {
  const std::string& pid = *record.participant.participantId;
  auto fail = [&](EventErrorCode code, std::string message) -> error {
    Event ev = make_event(e, EventName::SUBSCRIBE_ERROR, pid);
    ev.errorCode = open_enum<EventErrorCode>(code);
    ev.remoteParticipantId = publisher_id;
    record.events.push_back(std::move(ev));
    return api_error(403, std::string(to_string(code)), std::move(message));
  };
  if (!may(s, pid, ParticipantTokenCapability::SUBSCRIBE)) {
    return fail(EventErrorCode::INSUFFICIENT_CAPABILITIES,
                "the participant's token does not allow subscribing");
  }
  auto publisher = session.participants.find(publisher_id);
  if (publisher == session.participants.end() || !publisher->second.publishing) {
    return fail(EventErrorCode::PUBLISHER_NOT_FOUND, "participant " + publisher_id + " is not publishing");
  }
  if (std::find(record.subscribedTo.begin(), record.subscribedTo.end(), publisher_id) !=
      record.subscribedTo.end()) {
    return {};
  }
  record.subscribedTo.push_back(publisher_id);
  Event ev = make_event(e, EventName::SUBSCRIBE_STARTED, pid);
  ev.remoteParticipantId = publisher_id;
  if (publisher->second.participant.replicationType == ReplicationType::REPLICA) ev.replica = true;
  record.events.push_back(std::move(ev));
  return {};
}

// Disconnects a participant: it stops publishing and subscribing, leaves, and the session ends
// if it was the last one.
inline void disconnect(engine& e, stage_record& s, session_record& session, participant_record& record) {
  if (record.participant.state != ParticipantState::CONNECTED) return;
  const std::string pid = *record.participant.participantId;
  stop_publishing(e, s, session, record);
  for (const auto& publisher : record.subscribedTo) {
    Event ev = make_event(e, EventName::SUBSCRIBE_STOPPED, pid);
    ev.remoteParticipantId = publisher;
    record.events.push_back(std::move(ev));
  }
  record.subscribedTo.clear();
  Event left = make_event(e, EventName::LEFT, pid);
  if (record.participant.replicationType == ReplicationType::REPLICA) left.replica = true;
  record.events.push_back(std::move(left));
  record.participant.state = open_enum<ParticipantState>(ParticipantState::DISCONNECTED);
  if (record.participant.ingestConfigurationArn) {
    auto ingest = e.state().ingestConfigurations.find(*record.participant.ingestConfigurationArn);
    if (ingest != e.state().ingestConfigurations.end()) {
      ingest->second.resource.state = open_enum<IngestConfigurationState>(IngestConfigurationState::INACTIVE);
    }
  }
  close_session_if_empty(e, s);
}

// Disconnects everyone; for a stage that is being deleted.
inline void disconnect_all(engine& e, stage_record& s) {
  session_record* session = active_session(s);
  if (session == nullptr) return;
  for (auto& [id, record] : session->participants) disconnect(e, s, *session, record);
}

// The replica of a participant leaves the destination stage and the source records the end.
inline void stop_replication(engine& e, replica_record& replica) {
  ParticipantReplica& r = replica.replica;
  if (r.replicationState != ReplicationState::ACTIVE) return;
  r.replicationState = open_enum<ReplicationState>(ReplicationState::STOPPED);
  auto dest = e.state().stages.find(r.destinationStageArn);
  if (dest != e.state().stages.end()) {
    if (session_record* session = find_session(dest->second, r.destinationSessionId)) {
      auto it = session->participants.find(r.participantId);
      if (it != session->participants.end()) {
        it->second.participant.replicationState = open_enum<ReplicationState>(ReplicationState::STOPPED);
        disconnect(e, dest->second, *session, it->second);
      }
    }
  }
  auto source = e.state().stages.find(r.sourceStageArn);
  if (source == e.state().stages.end()) return;
  session_record* session = find_session(source->second, r.sourceSessionId);
  if (session == nullptr) return;
  auto it = session->participants.find(r.participantId);
  if (it == session->participants.end()) return;
  Event ev = make_event(e, EventName::REPLICATION_STOPPED, r.participantId);
  ev.destinationStageArn = r.destinationStageArn;
  ev.destinationSessionId = r.destinationSessionId;
  it->second.events.push_back(std::move(ev));
  const bool still_replicated =
      std::any_of(e.state().replicas.begin(), e.state().replicas.end(), [&](const auto& other) {
        return other.replica.sourceStageArn == r.sourceStageArn &&
               other.replica.participantId == r.participantId &&
               other.replica.replicationState == ReplicationState::ACTIVE;
      });
  if (!still_replicated) {
    it->second.participant.replicationState = open_enum<ReplicationState>(ReplicationState::STOPPED);
  }
}

// ---- What a test does on behalf of a participant's client ----

struct located {
  stage_record* stage = nullptr;
  session_record* session = nullptr;
  participant_record* participant = nullptr;
};

// A participant connected to the stage's active session.
inline result<located> find_connected(engine& e, std::string_view stage_arn,
                                      std::string_view participant_id) {
  auto stage = find_stage(e, stage_arn);
  if (!stage) return stage.error();
  session_record* session = active_session(**stage);
  if (session != nullptr) {
    auto it = session->participants.find(std::string(participant_id));
    if (it != session->participants.end() && it->second.participant.state == ParticipantState::CONNECTED) {
      return located{*stage, session, &it->second};
    }
  }
  return not_found_message("Participant " + std::string(participant_id) + " is not connected to stage " +
                           std::string(stage_arn));
}

namespace detail {

inline error invalid_token(std::string message) {
  return api_error(403, "InvalidToken", std::move(message));
}

// A participant token the application signed itself with the private half of a key imported with
// ImportPublicKey: the header's kid names the key; the token module checks the signature, the
// claims and the expiry (on the service's clock).
inline result<tokens::participant_token_claims> verify_self_signed(engine& e, std::string_view token) {
  const std::size_t dot = token.find('.');
  auto header_text = base64url::decode(token.substr(0, dot));
  tokens::jwt_header header;
  if (dot == std::string_view::npos || !header_text || !json::from_json(*header_text, header)) {
    return invalid_token("the participant token was not issued by this service");
  }
  auto key = e.state().publicKeys.find(header.kid);
  if (key == e.state().publicKeys.end()) {
    return invalid_token("the participant token's key (kid) is not an imported public key");
  }
  auto material = tokens::public_key::from_pem(key->second.resource.publicKeyMaterial.value_or(""));
  if (!material) return invalid_token("the imported public key cannot be read: " + material.error().message);
  auto verifier = tokens::participant_token_verifier::create(std::move(*material), header.kid);
  if (!verifier) return invalid_token(verifier.error().message);
  auto claims =
      verifier->verify(token, std::chrono::time_point_cast<std::chrono::system_clock::duration>(e.now()));
  if (!claims) return api_error(403, claims.error().code, claims.error().message);
  return claims;
}

}  // namespace detail

// Joins a stage with a participant token, as a client SDK would: a token the service issued
// (CreateStage, CreateParticipantToken) or one the application signed itself with an imported
// public key. Errors: the token is unknown, revoked (DisconnectParticipant), expired or for
// another stage, or the stage is full.
inline result<joined> join_stage(engine& e, std::string_view stage_arn, std::string_view token,
                                 const client_details& client) {
  auto stage = find_stage(e, stage_arn);
  if (!stage) return stage.error();
  stage_record& s = **stage;
  const token_record* issued = nullptr;
  for (const auto& [pid, t] : s.tokens) {
    if (t.token.token && t.token.token->reveal() == token) issued = &t;
  }
  if (issued == nullptr) {
    for (const auto& [arn, other] : e.state().stages) {
      for (const auto& [pid, t] : other.tokens) {
        if (t.token.token && t.token.token->reveal() == token) {
          return detail::invalid_token("the participant token was issued for stage " + arn);
        }
      }
    }
    auto claims = detail::verify_self_signed(e, token);
    if (!claims) return claims.error();
    if (claims->resource != s.stage.arn) {
      return detail::invalid_token("the participant token was issued for stage " + claims->resource);
    }
    // Remembered by participant ID, for its capabilities and so that DisconnectParticipant can
    // revoke it; the token itself is not kept.
    token_record& record = s.tokens[claims->jti];
    record.stageArn = s.stage.arn;
    ParticipantToken& t = record.token;
    t.participantId = claims->jti;
    t.userId = claims->user_id;
    t.attributes = claims->attributes;
    t.capabilities = ParticipantTokenCapabilities{};
    if (claims->capabilities.can_publish()) t.capabilities->push_back(ParticipantTokenCapability::PUBLISH);
    if (claims->capabilities.can_subscribe())
      t.capabilities->push_back(ParticipantTokenCapability::SUBSCRIBE);
    t.expirationTime = timestamp(std::chrono::seconds(claims->exp));
    issued = &record;
  }
  if (issued->revoked)
    return api_error(403, "TokenRevoked", "the participant was disconnected from this stage");
  if (issued->token.expirationTime && e.now() >= *issued->token.expirationTime) {
    return api_error(403, "TokenExpired",
                     "the participant token expired at " + format_timestamp(*issued->token.expirationTime));
  }
  connect_spec who{.participantId = *issued->token.participantId,
                   .userId = issued->token.userId,
                   .attributes = issued->token.attributes,
                   .protocol = ParticipantProtocol::WHIP,
                   .client = client,
                   .ingestConfigurationArn = {},
                   .redundantIngest = false,
                   .sourceStageArn = {},
                   .sourceSessionId = {}};
  auto c = connect(e, s, who);
  if (!c) return c.error();
  return joined{who.participantId, *c->session->session.sessionId};
}

inline result<void> publish(engine& e, std::string_view stage_arn, std::string_view participant_id) {
  auto at = find_connected(e, stage_arn, participant_id);
  if (!at) return at.error();
  return start_publishing(e, *at->stage, *at->session, *at->participant);
}

inline result<void> unpublish(engine& e, std::string_view stage_arn, std::string_view participant_id) {
  auto at = find_connected(e, stage_arn, participant_id);
  if (!at) return at.error();
  stop_publishing(e, *at->stage, *at->session, *at->participant);
  return {};
}

inline result<void> subscribe(engine& e, std::string_view stage_arn, std::string_view participant_id,
                              std::string_view publisher_id) {
  auto at = find_connected(e, stage_arn, participant_id);
  if (!at) return at.error();
  return subscribe_to(e, *at->stage, *at->session, *at->participant, std::string(publisher_id));
}

inline result<void> leave(engine& e, std::string_view stage_arn, std::string_view participant_id) {
  auto at = find_connected(e, stage_arn, participant_id);
  if (!at) return at.error();
  disconnect(e, *at->stage, *at->session, *at->participant);
  return {};
}

// ---- Operations ----

inline result<GetStageSessionResponse> handle(engine& e, const GetStageSessionRequest& r) {
  auto stage = find_stage(e, r.stageArn);
  if (!stage) return stage.error();
  session_record* session = find_session(**stage, r.sessionId);
  if (session == nullptr)
    return not_found_message("Session " + r.sessionId + " of stage " + r.stageArn + " not found");
  return GetStageSessionResponse{.stageSession = session->session};
}

inline result<ListStageSessionsResponse> handle(engine& e, const ListStageSessionsRequest& r) {
  auto parts = check_arn(r.stageArn, "stage", "stageArn");
  if (!parts) return parts.error();
  keyed_items<StageSessionSummary> keyed;
  auto stage = e.state().stages.find(r.stageArn);
  if (stage != e.state().stages.end()) {
    for (const auto& s : stage->second.sessions) {
      keyed.add(newest_first_key(s.seq), StageSessionSummary{.sessionId = s.session.sessionId,
                                                             .startTime = s.session.startTime,
                                                             .endTime = s.session.endTime});
    }
  }
  ListStageSessionsResponse out;
  auto page = take_page(std::move(keyed), r.nextToken, r.maxResults, 50, "ListStageSessions", out.nextToken);
  if (!page) return page.error();
  out.stageSessions = std::move(*page);
  return out;
}

inline result<participant_record*> find_participant(engine& e, std::string_view stage_arn,
                                                    std::string_view session_id,
                                                    std::string_view participant_id) {
  auto stage = find_stage(e, stage_arn);
  if (!stage) return stage.error();
  session_record* session = find_session(**stage, session_id);
  if (session != nullptr) {
    auto it = session->participants.find(std::string(participant_id));
    if (it != session->participants.end()) return &it->second;
  }
  return not_found_message("Participant " + std::string(participant_id) + " not found in session " +
                           std::string(session_id) + " of stage " + std::string(stage_arn));
}

inline result<GetParticipantResponse> handle(engine& e, const GetParticipantRequest& r) {
  auto record = find_participant(e, r.stageArn, r.sessionId, r.participantId);
  if (!record) return record.error();
  return GetParticipantResponse{.participant = (*record)->participant};
}

inline ParticipantSummary summary_of(const Participant& p) {
  return ParticipantSummary{.participantId = p.participantId,
                            .userId = p.userId,
                            .state = p.state,
                            .firstJoinTime = p.firstJoinTime,
                            .published = p.published,
                            .recordingState = p.recordingState,
                            .replicationType = p.replicationType,
                            .replicationState = p.replicationState,
                            .sourceStageArn = p.sourceStageArn,
                            .sourceSessionId = p.sourceSessionId,
                            .redundantIngest = p.redundantIngest,
                            .ingestConfigurationArn = p.ingestConfigurationArn};
}

inline result<ListParticipantsResponse> handle(engine& e, const ListParticipantsRequest& r) {
  auto parts = check_arn(r.stageArn, "stage", "stageArn");
  if (!parts) return parts.error();
  const int filters = (r.filterByUserId ? 1 : 0) + (r.filterByPublished ? 1 : 0) + (r.filterByState ? 1 : 0) +
                      (r.filterByRecordingState ? 1 : 0);
  if (filters > 1) {
    return validation_error(
        "only one of filterByUserId, filterByPublished, filterByState and filterByRecordingState may be "
        "given");
  }
  keyed_items<ParticipantSummary> keyed;
  auto stage = e.state().stages.find(r.stageArn);
  session_record* session =
      stage == e.state().stages.end() ? nullptr : find_session(stage->second, r.sessionId);
  if (session != nullptr) {
    for (const auto& [id, record] : session->participants) {
      const Participant& p = record.participant;
      if (r.filterByUserId && p.userId != *r.filterByUserId) continue;
      if (r.filterByPublished && p.published.value_or(false) != *r.filterByPublished) continue;
      if (r.filterByState && !(p.state == *r.filterByState)) continue;
      if (r.filterByRecordingState &&
          (!p.recordingState || p.recordingState->str() != r.filterByRecordingState->str())) {
        continue;
      }
      keyed.add(sort_key(record.seq), summary_of(p));
    }
  }
  ListParticipantsResponse out;
  auto page = take_page(std::move(keyed), r.nextToken, r.maxResults, 50, "ListParticipants", out.nextToken);
  if (!page) return page.error();
  out.participants = std::move(*page);
  return out;
}

inline result<ListParticipantEventsResponse> handle(engine& e, const ListParticipantEventsRequest& r) {
  auto parts = check_arn(r.stageArn, "stage", "stageArn");
  if (!parts) return parts.error();
  keyed_items<Event> keyed;
  auto stage = e.state().stages.find(r.stageArn);
  session_record* session =
      stage == e.state().stages.end() ? nullptr : find_session(stage->second, r.sessionId);
  if (session != nullptr) {
    auto it = session->participants.find(r.participantId);
    if (it != session->participants.end()) {
      std::int64_t n = 0;
      for (const auto& ev : it->second.events) keyed.add(sort_key(n++), ev);
    }
  }
  ListParticipantEventsResponse out;
  auto page =
      take_page(std::move(keyed), r.nextToken, r.maxResults, 50, "ListParticipantEvents", out.nextToken);
  if (!page) return page.error();
  out.events = std::move(*page);
  return out;
}

inline result<DisconnectParticipantResponse> handle(engine& e, const DisconnectParticipantRequest& r) {
  auto at = find_connected(e, r.stageArn, r.participantId);
  if (!at) return at.error();
  participant_record& record = *at->participant;
  // Disconnecting a replica ends its replication.
  for (auto& replica : e.state().replicas) {
    if (replica.replica.destinationStageArn == r.stageArn &&
        replica.replica.participantId == r.participantId &&
        replica.replica.replicationState == ReplicationState::ACTIVE) {
      stop_replication(e, replica);
      return DisconnectParticipantResponse{};
    }
  }
  disconnect(e, *at->stage, *at->session, record);
  auto token = at->stage->tokens.find(r.participantId);
  if (token != at->stage->tokens.end()) token->second.revoked = true;
  if (record.participant.ingestConfigurationArn) {
    auto ingest = e.state().ingestConfigurations.find(*record.participant.ingestConfigurationArn);
    if (ingest != e.state().ingestConfigurations.end()) ingest->second.resource.stageArn.clear();
  }
  return DisconnectParticipantResponse{};
}

}  // namespace ivsrt::local
