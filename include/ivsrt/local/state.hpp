// Everything the local service knows, as plain aggregates of the model's own types: the same
// reflection that reads and writes requests saves and loads this state (see persistence.hpp).
// Sequence numbers give lists a stable creation order.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ivsrt/model/all_operations.hpp"

namespace ivsrt::local {

// A participant token the service issued; the token itself is secret.
struct token_record {
  ParticipantToken token{};
  std::string stageArn{};
  bool revoked = false;  // DisconnectParticipant revokes the participant's token
};

// One participant of one stage session.
struct participant_record {
  Participant participant{};
  EventList events{};
  bool publishing = false;
  std::vector<std::string> subscribedTo{};  // participant ids this one subscribes to
  std::int64_t seq = 0;
};

struct session_record {
  StageSession session{};
  std::map<std::string, participant_record> participants{};  // by participant id
  std::int64_t seq = 0;
};

struct stage_record {
  Stage stage{};
  std::vector<session_record> sessions{};        // oldest first; the last may be active
  std::map<std::string, token_record> tokens{};  // by participant id
  timestamp emptySince{};                        // when the stage last had no participant connected
  std::int64_t seq = 0;
};

struct composition_record {
  Composition composition{};
  std::string idempotencyToken{};
  std::string requestDigest{};  // the request's JSON, to tell a retry from a reused token
  timestamp createdAt{};
  optional<timestamp> stopRequestedAt{};
  std::int64_t seq = 0;
};

template <class Resource>
struct resource_record {
  Resource resource{};
  std::int64_t seq = 0;
};

struct replica_record {
  ParticipantReplica replica{};
  optional<ParticipantAttributes> attributes{};
  std::int32_t reconnectWindowSeconds = 0;
  std::int64_t seq = 0;
};

struct service_state {
  std::int32_t formatVersion = 1;
  std::string region{};
  std::string account{};
  std::int64_t sequence = 0;
  std::map<std::string, stage_record> stages{};  // by ARN, as are the maps below
  std::map<std::string, composition_record> compositions{};
  std::map<std::string, resource_record<EncoderConfiguration>> encoderConfigurations{};
  std::map<std::string, resource_record<StorageConfiguration>> storageConfigurations{};
  std::map<std::string, resource_record<IngestConfiguration>> ingestConfigurations{};
  std::map<std::string, resource_record<PublicKey>> publicKeys{};
  std::vector<replica_record> replicas{};
};

}  // namespace ivsrt::local
