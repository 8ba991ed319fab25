// The local service through the ivsrt client, over real HTTP on loopback: every operation, the
// behaviour the service documents (ARNs, tokens, sessions and events, composition states, in-use
// conflicts, quotas), its errors and its pagination.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "catch.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/modeled_error.hpp"
#include "ivsrt/tokens/key_pair.hpp"
#include "ivsrt/tokens/participant_token_signer.hpp"
#include "local_fixture.hpp"
#include "local_support.hpp"

using namespace ivsrt;
using ivsrt_local_test::fails;
using ivsrt_local_test::must;
using ivsrt_local_test::running_service;

namespace {

bool matches(const std::string& s, const char* pattern) {
  return std::regex_match(s, std::regex(pattern));
}

const char* const kStageArn = R"(arn:aws:ivs:us-east-1:123456789012:stage/[A-Za-z0-9]{12})";

std::vector<std::string> event_names(const EventList& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.emplace_back(e.name->str());
  return out;
}

// A PEM public key made with OpenSSL, and the fingerprint computed here, independently of the
// service: SHA-256 over the DER SubjectPublicKeyInfo, colon-separated hex.
struct test_key {
  std::string pem;
  std::string fingerprint;
};

test_key make_key(int curve) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr);
  EVP_PKEY* key = nullptr;
  REQUIRE(EVP_PKEY_keygen_init(ctx) == 1);
  REQUIRE(EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, curve) == 1);
  REQUIRE(EVP_PKEY_keygen(ctx, &key) == 1);
  EVP_PKEY_CTX_free(ctx);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  const long n = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);
  test_key out;
  out.pem.assign(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  unsigned char* der = nullptr;
  const int len = i2d_PUBKEY(key, &der);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<std::size_t>(len), digest);
  OPENSSL_free(der);
  EVP_PKEY_free(key);
  char hex[4];
  for (unsigned char b : digest) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    if (!out.fingerprint.empty()) out.fingerprint += ':';
    out.fingerprint += hex;
  }
  return out;
}

}  // namespace

TEST_CASE("local: stages and participant tokens", "[local]") {
  running_service local;
  auto c = local.client();
  const auto before = std::chrono::system_clock::now();
  auto created = must(c.send(CreateStageRequest{
      .name = "demo-stage",
      .participantTokenConfigurations = {{.duration = 30,
                                          .userId = "host",
                                          .attributes = {{"role", "host"}},
                                          .capabilities = {ParticipantTokenCapability::PUBLISH}},
                                         {.userId = "viewer"}},
      .tags = {{"team", "video"}}}));
  const Stage& stage = *created.stage;
  REQUIRE(matches(stage.arn, kStageArn));
  REQUIRE(stage.name == "demo-stage");
  REQUIRE(stage.tags->at("team") == "video");
  REQUIRE_FALSE(stage.activeSessionId.has_value());
  REQUIRE(stage.endpoints->events == "wss://global.events.live-video.net");
  REQUIRE(matches(*stage.endpoints->whip, R"(https://[a-z0-9]{12}\.global-bm\.whip\.live-video\.net)"));
  REQUIRE(stage.endpoints->rtmp->rfind("rtmp://", 0) == 0);
  REQUIRE(stage.endpoints->rtmps->rfind("rtmps://", 0) == 0);
  // Recording is off, with every documented default filled in.
  REQUIRE(stage.autoParticipantRecordingConfiguration->storageConfigurationArn.empty());
  REQUIRE(stage.autoParticipantRecordingConfiguration->mediaTypes->at(0) ==
          ParticipantRecordingMediaType::AUDIO_VIDEO);

  REQUIRE(created.participantTokens->size() == 2);
  const ParticipantToken& host = created.participantTokens->at(0);
  const ParticipantToken& viewer = created.participantTokens->at(1);
  REQUIRE(matches(*host.participantId, "[A-Za-z0-9]{12}"));
  REQUIRE(host.participantId != viewer.participantId);
  REQUIRE(host.userId == "host");
  REQUIRE(host.attributes->at("role") == "host");
  REQUIRE(host.duration == 30);
  REQUIRE(host.capabilities->size() == 1);
  REQUIRE(std::chrono::abs(*host.expirationTime - (before + std::chrono::minutes(30))) <
          std::chrono::seconds(5));
  REQUIRE(viewer.duration == 720);  // the documented default
  REQUIRE(viewer.capabilities->size() == 2);
  REQUIRE(host.token->size() > 100);
  REQUIRE(host.token->reveal() != viewer.token->reveal());

  auto got = must(c.send(GetStageRequest{.arn = stage.arn}));
  REQUIRE(got.stage->name == "demo-stage");
  REQUIRE(got.stage->endpoints->whip == stage.endpoints->whip);

  auto updated = must(c.send(UpdateStageRequest{.arn = stage.arn, .name = "renamed"}));
  REQUIRE(updated.stage->name == "renamed");
  REQUIRE(must(c.send(GetStageRequest{.arn = stage.arn})).stage->name == "renamed");

  auto token =
      must(c.send(CreateParticipantTokenRequest{.stageArn = stage.arn,
                                                .duration = 5,
                                                .userId = "guest",
                                                .capabilities = {ParticipantTokenCapability::SUBSCRIBE}}));
  REQUIRE(token.participantToken->duration == 5);
  REQUIRE(token.participantToken->capabilities->at(0) == ParticipantTokenCapability::SUBSCRIBE);

  auto listed = must(c.send(ListStagesRequest{}));
  REQUIRE(listed.stages.size() == 1);
  REQUIRE(listed.stages[0].arn == stage.arn);
  REQUIRE(listed.stages[0].name == "renamed");
  REQUIRE_FALSE(listed.nextToken.has_value());

  must(c.send(DeleteStageRequest{.arn = stage.arn}));
  auto gone = fails(c.send(GetStageRequest{.arn = stage.arn}));
  REQUIRE(gone.kind == error_kind::service);
  REQUIRE(gone.code == "ResourceNotFoundException");
  REQUIRE(gone.http_status == 404);
  REQUIRE(gone.message.find(stage.arn) != std::string::npos);
  REQUIRE_FALSE(gone.request_id.empty());
  const auto modeled = modeled_error<ResourceNotFoundException>(gone);
  REQUIRE(modeled.has_value());
  REQUIRE(modeled->exceptionMessage == gone.message);
  REQUIRE(modeled->xAmznErrorType == "ResourceNotFoundException");
  REQUIRE(fails(c.send(CreateParticipantTokenRequest{.stageArn = stage.arn})).code ==
          "ResourceNotFoundException");
  REQUIRE(fails(c.send(DeleteStageRequest{.arn = stage.arn})).http_status == 404);
}

TEST_CASE("local: participants join, publish, subscribe and leave; sessions and events", "[local]") {
  running_service local;
  auto c = local.client();
  auto created = must(c.send(CreateStageRequest{
      .name = "live",
      .participantTokenConfigurations = {
          {.userId = "host"},
          {.userId = "viewer", .capabilities = {ParticipantTokenCapability::SUBSCRIBE}}}}));
  const std::string arn = created.stage->arn;
  const auto& host_token = created.participantTokens->at(0);
  const auto& viewer_token = created.participantTokens->at(1);

  REQUIRE(must(c.send(ListStageSessionsRequest{.stageArn = arn})).stageSessions.empty());
  auto host =
      must(local.svc.join(arn, host_token.token->reveal(), {.osName = "Linux", .sdkVersion = "1.2.3"}));
  REQUIRE(host.participantId == *host_token.participantId);
  REQUIRE(matches(host.sessionId, "st-[A-Za-z0-9]{13}"));
  REQUIRE(must(c.send(GetStageRequest{.arn = arn})).stage->activeSessionId == host.sessionId);
  must(local.svc.publish(arn, host.participantId));
  auto viewer = must(local.svc.join(arn, viewer_token.token->reveal()));
  REQUIRE(viewer.sessionId == host.sessionId);
  must(local.svc.subscribe(arn, viewer.participantId, host.participantId));
  // The viewer's token does not allow publishing: refused, and recorded as a participant event.
  REQUIRE(fails(local.svc.publish(arn, viewer.participantId)).code == "INSUFFICIENT_CAPABILITIES");
  REQUIRE(fails(local.svc.join(arn, "not-a-token")).code == "InvalidToken");

  auto sessions = must(c.send(ListStageSessionsRequest{.stageArn = arn}));
  REQUIRE(sessions.stageSessions.size() == 1);
  REQUIRE(sessions.stageSessions[0].sessionId == host.sessionId);
  REQUIRE_FALSE(sessions.stageSessions[0].endTime.has_value());
  auto session = must(c.send(GetStageSessionRequest{.stageArn = arn, .sessionId = host.sessionId}));
  REQUIRE(session.stageSession->startTime.has_value());

  auto participants = must(c.send(ListParticipantsRequest{.stageArn = arn, .sessionId = host.sessionId}));
  REQUIRE(participants.participants.size() == 2);
  REQUIRE(participants.participants[0].participantId == host.participantId);  // in the order they joined
  auto publishers = must(c.send(
      ListParticipantsRequest{.stageArn = arn, .sessionId = host.sessionId, .filterByPublished = true}));
  REQUIRE(publishers.participants.size() == 1);
  REQUIRE(publishers.participants[0].userId == "host");
  auto by_user = must(c.send(
      ListParticipantsRequest{.stageArn = arn, .sessionId = host.sessionId, .filterByUserId = "viewer"}));
  REQUIRE(by_user.participants.size() == 1);
  REQUIRE(by_user.participants[0].participantId == viewer.participantId);
  auto two_filters = fails(c.send(ListParticipantsRequest{
      .stageArn = arn, .sessionId = host.sessionId, .filterByUserId = "viewer", .filterByPublished = true}));
  REQUIRE(two_filters.code == "ValidationException");
  REQUIRE(two_filters.http_status == 400);

  auto p = must(c.send(GetParticipantRequest{
      .stageArn = arn, .sessionId = host.sessionId, .participantId = host.participantId}));
  REQUIRE(p.participant->state == ParticipantState::CONNECTED);
  REQUIRE(p.participant->published == true);
  REQUIRE(p.participant->protocol == ParticipantProtocol::WHIP);
  REQUIRE(p.participant->osName == "Linux");
  REQUIRE(p.participant->sdkVersion == "1.2.3");
  REQUIRE(p.participant->recordingState == ParticipantRecordingState::DISABLED);
  REQUIRE(fails(c.send(GetParticipantRequest{
                    .stageArn = arn, .sessionId = host.sessionId, .participantId = "nobody"}))
              .code == "ResourceNotFoundException");

  auto viewer_events = must(c.send(ListParticipantEventsRequest{
      .stageArn = arn, .sessionId = host.sessionId, .participantId = viewer.participantId}));
  REQUIRE(event_names(viewer_events.events) ==
          std::vector<std::string>{"JOINED", "SUBSCRIBE_STARTED", "PUBLISH_ERROR"});
  REQUIRE(viewer_events.events[1].remoteParticipantId == host.participantId);
  REQUIRE(viewer_events.events[2].errorCode == EventErrorCode::INSUFFICIENT_CAPABILITIES);

  // DisconnectParticipant ends the viewer's connection and revokes its token.
  must(c.send(DisconnectParticipantRequest{
      .stageArn = arn, .participantId = viewer.participantId, .reason = "testing"}));
  REQUIRE(fails(local.svc.join(arn, viewer_token.token->reveal())).code == "TokenRevoked");
  auto viewer_now = must(c.send(GetParticipantRequest{
      .stageArn = arn, .sessionId = host.sessionId, .participantId = viewer.participantId}));
  REQUIRE(viewer_now.participant->state == ParticipantState::DISCONNECTED);
  REQUIRE(fails(c.send(DisconnectParticipantRequest{.stageArn = arn, .participantId = viewer.participantId}))
              .http_status == 404);

  // The last participant leaving ends the session; joining again starts a new one.
  must(local.svc.leave(arn, host.participantId));
  auto host_events = must(c.send(ListParticipantEventsRequest{
      .stageArn = arn, .sessionId = host.sessionId, .participantId = host.participantId}));
  REQUIRE(event_names(host_events.events) ==
          std::vector<std::string>{"JOINED", "PUBLISH_STARTED", "PUBLISH_STOPPED", "LEFT"});
  REQUIRE_FALSE(must(c.send(GetStageRequest{.arn = arn})).stage->activeSessionId.has_value());
  REQUIRE(must(c.send(GetStageSessionRequest{.stageArn = arn, .sessionId = host.sessionId}))
              .stageSession->endTime.has_value());
  auto again = must(local.svc.join(arn, host_token.token->reveal()));
  REQUIRE(again.sessionId != host.sessionId);
  auto both = must(c.send(ListStageSessionsRequest{.stageArn = arn}));
  REQUIRE(both.stageSessions.size() == 2);
  REQUIRE(both.stageSessions[0].sessionId == again.sessionId);  // newest first

  // Tokens expire on the service's clock.
  auto short_token = must(c.send(CreateParticipantTokenRequest{.stageArn = arn, .duration = 1}));
  local.svc.advance_clock(std::chrono::minutes(2));
  REQUIRE(fails(local.svc.join(arn, short_token.participantToken->token->reveal())).code == "TokenExpired");
}

TEST_CASE("local: participant replication", "[local]") {
  running_service local;
  auto c = local.client();
  auto source = must(
      c.send(CreateStageRequest{.name = "source", .participantTokenConfigurations = {{.userId = "star"}}}));
  auto dest = must(c.send(CreateStageRequest{.name = "destination"}));
  const std::string src = source.stage->arn;
  const std::string dst = dest.stage->arn;
  auto star = must(local.svc.join(src, source.participantTokens->at(0).token->reveal()));

  // Only a publishing participant can be replicated.
  auto idle = fails(c.send(StartParticipantReplicationRequest{
      .sourceStageArn = src, .destinationStageArn = dst, .participantId = star.participantId}));
  REQUIRE(idle.code == "ConflictException");
  REQUIRE(idle.http_status == 409);
  must(local.svc.publish(src, star.participantId));
  must(c.send(StartParticipantReplicationRequest{.sourceStageArn = src,
                                                 .destinationStageArn = dst,
                                                 .participantId = star.participantId,
                                                 .attributes = {{"replica", "yes"}}}));
  REQUIRE(fails(c.send(StartParticipantReplicationRequest{
                    .sourceStageArn = src, .destinationStageArn = dst, .participantId = star.participantId}))
              .code == "ConflictException");

  auto replicas = must(
      c.send(ListParticipantReplicasRequest{.sourceStageArn = src, .participantId = star.participantId}));
  REQUIRE(replicas.replicas.size() == 1);
  const ParticipantReplica& replica = replicas.replicas[0];
  REQUIRE(replica.destinationStageArn == dst);
  REQUIRE(replica.sourceSessionId == star.sessionId);
  REQUIRE(replica.replicationState == ReplicationState::ACTIVE);

  auto in_dest = must(c.send(GetParticipantRequest{
      .stageArn = dst, .sessionId = replica.destinationSessionId, .participantId = star.participantId}));
  REQUIRE(in_dest.participant->replicationType == ReplicationType::REPLICA);
  REQUIRE(in_dest.participant->sourceStageArn == src);
  REQUIRE(in_dest.participant->attributes->at("replica") == "yes");
  REQUIRE(in_dest.participant->published == true);
  auto in_source = must(c.send(GetParticipantRequest{
      .stageArn = src, .sessionId = star.sessionId, .participantId = star.participantId}));
  REQUIRE(in_source.participant->replicationType == ReplicationType::SOURCE);
  REQUIRE(in_source.participant->replicationState == ReplicationState::ACTIVE);

  must(c.send(StopParticipantReplicationRequest{
      .sourceStageArn = src, .destinationStageArn = dst, .participantId = star.participantId}));
  REQUIRE(
      must(c.send(ListParticipantReplicasRequest{.sourceStageArn = src, .participantId = star.participantId}))
          .replicas[0]
          .replicationState == ReplicationState::STOPPED);
  REQUIRE_FALSE(must(c.send(GetStageRequest{.arn = dst})).stage->activeSessionId.has_value());
  auto events = must(c.send(ListParticipantEventsRequest{
      .stageArn = src, .sessionId = star.sessionId, .participantId = star.participantId}));
  REQUIRE(event_names(events.events) == std::vector<std::string>{"JOINED", "PUBLISH_STARTED",
                                                                 "REPLICATION_STARTED",
                                                                 "REPLICATION_STOPPED"});
  REQUIRE(events.events[2].destinationStageArn == dst);
  REQUIRE(fails(c.send(StopParticipantReplicationRequest{
                    .sourceStageArn = src, .destinationStageArn = dst, .participantId = star.participantId}))
              .code == "ResourceNotFoundException");

  // Disconnecting the replica from the destination stage ends the replication too.
  must(c.send(StartParticipantReplicationRequest{
      .sourceStageArn = src, .destinationStageArn = dst, .participantId = star.participantId}));
  must(c.send(DisconnectParticipantRequest{.stageArn = dst, .participantId = star.participantId}));
  auto after = must(
      c.send(ListParticipantReplicasRequest{.sourceStageArn = src, .participantId = star.participantId}));
  REQUIRE(after.replicas.size() == 2);
  REQUIRE(after.replicas[1].replicationState == ReplicationState::STOPPED);
  REQUIRE(must(c.send(GetParticipantRequest{
                   .stageArn = src, .sessionId = star.sessionId, .participantId = star.participantId}))
              .participant->state == ParticipantState::CONNECTED);
}

TEST_CASE("local: compositions, encoder and storage configurations", "[local]") {
  running_service local;
  auto c = local.client();
  auto stage = must(
      c.send(CreateStageRequest{.name = "show", .participantTokenConfigurations = {{.userId = "host"}}}));
  const std::string arn = stage.stage->arn;
  auto host = must(local.svc.join(arn, stage.participantTokens->at(0).token->reveal()));
  must(local.svc.publish(arn, host.participantId));

  auto encoder = must(
      c.send(CreateEncoderConfigurationRequest{.name = "hd", .video = Video{.width = 1920, .height = 1080}}));
  const EncoderConfiguration& enc = *encoder.encoderConfiguration;
  REQUIRE(matches(enc.arn, R"(arn:aws:ivs:us-east-1:123456789012:encoder-configuration/[A-Za-z0-9]{12})"));
  REQUIRE(enc.video->width == 1920);
  REQUIRE(enc.video->bitrate == 2500000);  // documented defaults for what was left out
  REQUIRE(std::abs(*enc.video->framerate - 30.0F) < 0.001F);
  auto storage = must(c.send(CreateStorageConfigurationRequest{
      .name = "recordings", .s3 = S3StorageConfiguration{.bucketName = "my-bucket"}}));
  const std::string storage_arn = storage.storageConfiguration->arn;
  REQUIRE(must(c.send(GetEncoderConfigurationRequest{.arn = enc.arn})).encoderConfiguration->name == "hd");
  REQUIRE(
      must(c.send(GetStorageConfigurationRequest{.arn = storage_arn})).storageConfiguration->s3->bucketName ==
      "my-bucket");
  REQUIRE(must(c.send(ListEncoderConfigurationsRequest{})).encoderConfigurations.size() == 1);
  REQUIRE(must(c.send(ListStorageConfigurationsRequest{})).storageConfigurations.size() == 1);

  StartCompositionRequest start{.stageArn = arn,
                                .idempotencyToken = "start-1",
                                .layout = {},
                                .destinations = {DestinationConfiguration{
                                    .name = "archive",
                                    .channel = {},
                                    .s3 = S3DestinationConfiguration{.storageConfigurationArn = storage_arn,
                                                                     .encoderConfigurationArns = {enc.arn}}}},
                                .tags = {{"kind", "recording"}}};
  auto started = must(c.send(start));
  const Composition& comp = *started.composition;
  REQUIRE(matches(comp.arn, R"(arn:aws:ivs:us-east-1:123456789012:composition/[A-Za-z0-9]{12})"));
  REQUIRE(comp.state == CompositionState::STARTING);
  REQUIRE(comp.layout.grid.has_value());  // the default layout
  REQUIRE(comp.destinations.size() == 1);
  REQUIRE(comp.destinations[0].state == DestinationState::STARTING);
  REQUIRE(comp.destinations[0].detail->s3->recordingPrefix.find(host.sessionId) != std::string::npos);
  // A retry with the same idempotency token is the same composition; other parameters are a conflict.
  REQUIRE(must(c.send(start)).composition->arn == comp.arn);
  StartCompositionRequest reused = start;
  reused.tags = {{"kind", "other"}};
  REQUIRE(fails(c.send(reused)).code == "ConflictException");

  local.svc.advance_clock(std::chrono::seconds(1));
  auto active = must(c.send(GetCompositionRequest{.arn = comp.arn}));
  REQUIRE(active.composition->state == CompositionState::ACTIVE);
  REQUIRE(active.composition->destinations[0].state == DestinationState::ACTIVE);
  REQUIRE(active.composition->destinations[0].startTime.has_value());

  REQUIRE(must(c.send(ListCompositionsRequest{.filterByStageArn = arn})).compositions.size() == 1);
  REQUIRE(
      must(c.send(ListCompositionsRequest{.filterByEncoderConfigurationArn = enc.arn})).compositions.size() ==
      1);
  auto other_stage = must(c.send(CreateStageRequest{}));
  REQUIRE(
      must(c.send(ListCompositionsRequest{.filterByStageArn = other_stage.stage->arn})).compositions.empty());

  // What an active composition uses cannot be deleted.
  auto in_use = fails(c.send(DeleteEncoderConfigurationRequest{.arn = enc.arn}));
  REQUIRE(in_use.code == "ConflictException");
  REQUIRE(in_use.http_status == 409);
  REQUIRE(fails(c.send(DeleteStorageConfigurationRequest{.arn = storage_arn})).code == "ConflictException");
  REQUIRE(fails(c.send(DeleteStageRequest{.arn = arn})).code == "ConflictException");

  must(c.send(StopCompositionRequest{.arn = comp.arn}));
  REQUIRE(must(c.send(GetCompositionRequest{.arn = comp.arn})).composition->state ==
          CompositionState::STOPPING);
  must(c.send(StopCompositionRequest{.arn = comp.arn}));  // stopping twice is fine (retries)
  local.svc.advance_clock(std::chrono::seconds(1));
  auto stopped = must(c.send(GetCompositionRequest{.arn = comp.arn}));
  REQUIRE(stopped.composition->state == CompositionState::STOPPED);
  REQUIRE(stopped.composition->endTime.has_value());
  REQUIRE(stopped.composition->destinations[0].state == DestinationState::STOPPED);

  must(c.send(DeleteEncoderConfigurationRequest{.arn = enc.arn}));
  must(c.send(DeleteStorageConfigurationRequest{.arn = storage_arn}));
  REQUIRE(fails(c.send(GetEncoderConfigurationRequest{.arn = enc.arn})).code == "ResourceNotFoundException");
  REQUIRE(fails(c.send(GetStorageConfigurationRequest{.arn = storage_arn})).code ==
          "ResourceNotFoundException");
  // Stopped compositions are deleted after a while.
  local.svc.advance_clock(std::chrono::minutes(11));
  REQUIRE(fails(c.send(GetCompositionRequest{.arn = comp.arn})).code == "ResourceNotFoundException");
}

TEST_CASE("local: composition destinations are checked, and idle compositions stop", "[local]") {
  running_service local;
  auto c = local.client();
  const std::string arn = must(c.send(CreateStageRequest{})).stage->arn;
  auto channel = [](std::string channel_arn) {
    return DestinationConfigurationList{DestinationConfiguration{
        .name = {},
        .channel = ChannelDestinationConfiguration{.channelArn = std::move(channel_arn)},
        .s3 = {}}};
  };
  auto other_region = fails(c.send(StartCompositionRequest{
      .stageArn = arn, .destinations = channel("arn:aws:ivs:eu-west-1:123456789012:channel/abcdABCD1234")}));
  REQUIRE(other_region.code == "ValidationException");
  REQUIRE(other_region.message.find("region") != std::string::npos);
  REQUIRE(
      fails(c.send(StartCompositionRequest{.stageArn = arn, .destinations = {DestinationConfiguration{}}}))
          .code == "ValidationException");
  REQUIRE(fails(c.send(StartCompositionRequest{
                    .stageArn = arn,
                    .destinations = {DestinationConfiguration{
                        .name = {},
                        .channel =
                            ChannelDestinationConfiguration{
                                .channelArn = "arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234",
                                .encoderConfigurationArn =
                                    "arn:aws:ivs:us-east-1:123456789012:encoder-configuration/missingXXXXX"},
                        .s3 = {}}}}))
              .code == "ResourceNotFoundException");

  auto started = must(c.send(StartCompositionRequest{
      .stageArn = arn, .destinations = channel("arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234")}));
  // Nobody is in the stage: like the service, the composition stops after a minute.
  local.svc.advance_clock(std::chrono::seconds(30));
  REQUIRE(must(c.send(GetCompositionRequest{.arn = started.composition->arn})).composition->state ==
          CompositionState::ACTIVE);
  local.svc.advance_clock(std::chrono::seconds(31));
  REQUIRE(must(c.send(GetCompositionRequest{.arn = started.composition->arn})).composition->state ==
          CompositionState::STOPPED);
}

TEST_CASE("local: ingest configurations and RTMP publishing", "[local]") {
  running_service local;
  auto c = local.client();
  const std::string arn = must(c.send(CreateStageRequest{})).stage->arn;
  auto insecure = fails(c.send(CreateIngestConfigurationRequest{.ingestProtocol = IngestProtocol::RTMP}));
  REQUIRE(insecure.code == "ValidationException");
  REQUIRE(insecure.message.find("insecureIngest") != std::string::npos);
  REQUIRE(fails(c.send(CreateIngestConfigurationRequest{
                    .stageArn = "arn:aws:ivs:us-east-1:123456789012:stage/doesNotExist",
                    .ingestProtocol = IngestProtocol::RTMPS}))
              .code == "ValidationException");
  // The client sends a protocol it does not know (the service may have added it); this service
  // knows its own enums and refuses it, naming the member.
  auto unknown = fails(c.send(CreateIngestConfigurationRequest{
      .ingestProtocol = open_enum<IngestProtocol>::from_string("SRT"), .insecureIngest = true}));
  REQUIRE(unknown.code == "ValidationException");
  REQUIRE(unknown.message.find("ingestProtocol: \"SRT\" is not one of RTMP, RTMPS") != std::string::npos);

  auto created = must(c.send(CreateIngestConfigurationRequest{
      .name = "obs", .userId = "encoder", .ingestProtocol = IngestProtocol::RTMPS, .tags = {{"a", "b"}}}));
  const IngestConfiguration& ingest = *created.ingestConfiguration;
  REQUIRE(matches(ingest.arn, R"(arn:aws:ivs:us-east-1:123456789012:ingest-configuration/[A-Za-z0-9]{12})"));
  REQUIRE(matches(ingest.streamKey.reveal(), R"(rt_123456789012_us-east-1_[A-Za-z0-9]{12}_.+)"));
  REQUIRE(ingest.state == IngestConfigurationState::INACTIVE);
  REQUIRE(ingest.stageArn.empty());
  REQUIRE_FALSE(ingest.redundantIngestCredentials.has_value());
  REQUIRE(must(c.send(GetIngestConfigurationRequest{.arn = ingest.arn}))
              .ingestConfiguration->streamKey.reveal() == ingest.streamKey.reveal());

  // Not attached to a stage yet: publishing has nowhere to go.
  REQUIRE(fails(local.svc.start_ingest(ingest.streamKey.reveal())).code == "IngestNotAttached");
  auto attached = must(
      c.send(UpdateIngestConfigurationRequest{.arn = ingest.arn, .stageArn = arn, .redundantIngest = true}));
  REQUIRE(attached.ingestConfiguration->stageArn == arn);
  REQUIRE(attached.ingestConfiguration->redundantIngestCredentials->size() == 2);
  auto joined = must(local.svc.start_ingest(ingest.streamKey.reveal()));
  REQUIRE(joined.participantId == ingest.participantId);
  REQUIRE(must(c.send(GetIngestConfigurationRequest{.arn = ingest.arn})).ingestConfiguration->state ==
          IngestConfigurationState::ACTIVE);
  auto participant = must(c.send(GetParticipantRequest{
      .stageArn = arn, .sessionId = joined.sessionId, .participantId = joined.participantId}));
  REQUIRE(participant.participant->protocol == ParticipantProtocol::RTMPS);
  REQUIRE(participant.participant->ingestConfigurationArn == ingest.arn);
  REQUIRE(participant.participant->userId == "encoder");

  auto by_stage = must(c.send(ListIngestConfigurationsRequest{.filterByStageArn = arn}));
  REQUIRE(by_stage.ingestConfigurations.size() == 1);
  REQUIRE(must(c.send(ListIngestConfigurationsRequest{.filterByState = IngestConfigurationState::INACTIVE}))
              .ingestConfigurations.empty());
  REQUIRE(fails(c.send(ListIngestConfigurationsRequest{.filterByStageArn = arn,
                                                       .filterByState = IngestConfigurationState::ACTIVE}))
              .code == "ValidationException");

  // An active configuration can be neither updated nor deleted, unless the deletion is forced.
  REQUIRE(fails(c.send(UpdateIngestConfigurationRequest{.arn = ingest.arn, .stageArn = ""})).code ==
          "ConflictException");
  REQUIRE(fails(c.send(DeleteIngestConfigurationRequest{.arn = ingest.arn})).code == "ConflictException");
  must(c.send(DeleteIngestConfigurationRequest{.arn = ingest.arn, .force = true}));
  REQUIRE(fails(c.send(GetIngestConfigurationRequest{.arn = ingest.arn})).code ==
          "ResourceNotFoundException");
  auto after = must(c.send(GetParticipantRequest{
      .stageArn = arn, .sessionId = joined.sessionId, .participantId = joined.participantId}));
  REQUIRE(after.participant->state == ParticipantState::DISCONNECTED);

  auto plain = must(c.send(CreateIngestConfigurationRequest{
      .stageArn = arn, .ingestProtocol = IngestProtocol::RTMP, .insecureIngest = true}));
  must(local.svc.start_ingest(plain.ingestConfiguration->streamKey.reveal()));
  must(local.svc.stop_ingest(plain.ingestConfiguration->streamKey.reveal()));
  REQUIRE(must(c.send(GetIngestConfigurationRequest{.arn = plain.ingestConfiguration->arn}))
              .ingestConfiguration->state == IngestConfigurationState::INACTIVE);
  // Deleting the stage detaches the configuration.
  must(c.send(DeleteStageRequest{.arn = arn}));
  REQUIRE(must(c.send(GetIngestConfigurationRequest{.arn = plain.ingestConfiguration->arn}))
              .ingestConfiguration->stageArn.empty());
}

TEST_CASE("local: public keys are parsed and fingerprinted", "[local]") {
  running_service local;
  auto c = local.client();
  const test_key key = make_key(NID_secp384r1);
  auto imported = must(c.send(
      ImportPublicKeyRequest{.publicKeyMaterial = "comment before\n" + key.pem, .name = "signing-key"}));
  const PublicKey& pk = *imported.publicKey;
  REQUIRE(matches(*pk.arn, R"(arn:aws:ivs:us-east-1:123456789012:public-key/[A-Za-z0-9]{12})"));
  REQUIRE(pk.fingerprint == key.fingerprint);
  REQUIRE(pk.name == "signing-key");
  REQUIRE(fails(c.send(ImportPublicKeyRequest{.publicKeyMaterial = key.pem})).code == "ConflictException");
  REQUIRE(
      fails(c.send(ImportPublicKeyRequest{.publicKeyMaterial = make_key(NID_X9_62_prime256v1).pem})).code ==
      "ValidationException");
  REQUIRE(fails(c.send(ImportPublicKeyRequest{
                    .publicKeyMaterial = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"}))
              .code == "ValidationException");
  REQUIRE(fails(c.send(ImportPublicKeyRequest{.publicKeyMaterial = "hello"})).code == "ValidationException");

  REQUIRE(must(c.send(GetPublicKeyRequest{.arn = *pk.arn})).publicKey->publicKeyMaterial->find(key.pem) !=
          std::string::npos);
  REQUIRE(must(c.send(ListPublicKeysRequest{})).publicKeys.size() == 1);
  must(c.send(DeletePublicKeyRequest{.arn = *pk.arn}));
  REQUIRE(fails(c.send(GetPublicKeyRequest{.arn = *pk.arn})).code == "ResourceNotFoundException");
  REQUIRE(must(c.send(ListPublicKeysRequest{})).publicKeys.empty());
}

TEST_CASE("local: participants join with tokens the application signed with an imported key", "[local]") {
  running_service local;
  auto c = local.client();
  auto key = must(tokens::private_key::generate());
  const std::string pem = must(must(key.public_part()).to_pem());
  const std::string key_arn = *must(c.send(ImportPublicKeyRequest{.publicKeyMaterial = pem})).publicKey->arn;
  auto stage = must(c.send(CreateStageRequest{}));
  const std::string arn = stage.stage->arn;
  auto signer = must(tokens::participant_token_signer::create(key, key_arn));
  auto mint = [&](const std::string& stage_arn, bool publish) {
    return must(signer.mint({.stage_arn = stage_arn,
                             .events_url = *stage.stage->endpoints->events,
                             .whip_url = *stage.stage->endpoints->whip,
                             .participant_id = {},
                             .user_id = "self-signed",
                             .attributes = {{"seat", "7"}},
                             .allow_publish = publish}));
  };
  auto minted = mint(arn, false);
  auto joined = must(local.svc.join(arn, minted.token.reveal()));
  REQUIRE(joined.participantId == minted.participant_id);
  auto p = must(c.send(GetParticipantRequest{
      .stageArn = arn, .sessionId = joined.sessionId, .participantId = joined.participantId}));
  REQUIRE(p.participant->userId == "self-signed");
  REQUIRE(p.participant->attributes->at("seat") == "7");
  // The capabilities are the token's.
  REQUIRE(fails(local.svc.publish(arn, joined.participantId)).code == "INSUFFICIENT_CAPABILITIES");

  // A token for another stage, or signed by a key that was never imported, is refused.
  const std::string other = must(c.send(CreateStageRequest{})).stage->arn;
  REQUIRE(fails(local.svc.join(other, mint(arn, true).token.reveal())).code == "InvalidToken");
  auto stranger =
      must(tokens::participant_token_signer::create(must(tokens::private_key::generate()), key_arn));
  auto forged = must(stranger.mint({.stage_arn = arn,
                                    .events_url = *stage.stage->endpoints->events,
                                    .whip_url = *stage.stage->endpoints->whip}));
  REQUIRE(fails(local.svc.join(arn, forged.token.reveal())).code == "InvalidSignature");

  // DisconnectParticipant revokes the participant; deleting the key invalidates its tokens.
  must(c.send(DisconnectParticipantRequest{.stageArn = arn, .participantId = joined.participantId}));
  REQUIRE(fails(local.svc.join(arn, minted.token.reveal())).code == "TokenRevoked");
  auto publisher = mint(arn, true);
  must(c.send(DeletePublicKeyRequest{.arn = key_arn}));
  REQUIRE(fails(local.svc.join(arn, publisher.token.reveal())).code == "InvalidToken");
}

TEST_CASE("local: tags on every taggable resource", "[local]") {
  running_service local;
  auto c = local.client();
  const std::string stage = must(c.send(CreateStageRequest{})).stage->arn;
  const std::string encoder = must(c.send(CreateEncoderConfigurationRequest{})).encoderConfiguration->arn;
  const std::string storage =
      must(c.send(CreateStorageConfigurationRequest{.s3 = S3StorageConfiguration{.bucketName = "bucket"}}))
          .storageConfiguration->arn;
  const std::string ingest =
      must(c.send(CreateIngestConfigurationRequest{.ingestProtocol = IngestProtocol::RTMPS}))
          .ingestConfiguration->arn;
  const std::string key =
      *must(c.send(ImportPublicKeyRequest{.publicKeyMaterial = make_key(NID_secp384r1).pem})).publicKey->arn;
  const std::string composition =
      must(c.send(StartCompositionRequest{
               .stageArn = stage,
               .destinations = {DestinationConfiguration{
                   .name = {},
                   .channel =
                       ChannelDestinationConfiguration{
                           .channelArn = "arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234"},
                   .s3 = {}}}}))
          .composition->arn;
  for (const std::string& arn : {stage, encoder, storage, ingest, key, composition}) {
    INFO(arn);
    REQUIRE(must(c.send(ListTagsForResourceRequest{.resourceArn = arn})).tags.empty());
    must(c.send(TagResourceRequest{.resourceArn = arn, .tags = {{"env", "test"}, {"team", "a b"}}}));
    must(c.send(TagResourceRequest{.resourceArn = arn, .tags = {{"team", "c"}}}));
    auto tags = must(c.send(ListTagsForResourceRequest{.resourceArn = arn})).tags;
    REQUIRE(tags == Tags{{"env", "test"}, {"team", "c"}});
    must(c.send(UntagResourceRequest{.resourceArn = arn, .tagKeys = {"env", "not-there"}}));
    REQUIRE(must(c.send(ListTagsForResourceRequest{.resourceArn = arn})).tags == Tags{{"team", "c"}});
  }
  REQUIRE(must(c.send(GetStageRequest{.arn = stage})).stage->tags == Tags{{"team", "c"}});

  // At most 50 tags a resource; "aws:" keys are reserved.
  Tags many;
  for (int i = 0; i < 50; ++i) many["k" + std::to_string(i)] = "v";
  auto too_many = fails(c.send(TagResourceRequest{.resourceArn = stage, .tags = many}));
  REQUIRE(too_many.code == "ValidationException");
  REQUIRE(too_many.message.find("50") != std::string::npos);
  REQUIRE(fails(c.send(TagResourceRequest{.resourceArn = stage, .tags = {{"aws:owner", "x"}}})).code ==
          "ValidationException");
  REQUIRE(
      fails(c.send(TagResourceRequest{.resourceArn = "arn:aws:ivs:us-east-1:123456789012:stage/missing1234",
                                      .tags = {{"a", "b"}}}))
          .code == "ResourceNotFoundException");
  REQUIRE(fails(c.send(ListTagsForResourceRequest{.resourceArn = "not-an-arn"})).code ==
          "ValidationException");
}

TEST_CASE("local: list operations paginate with opaque tokens", "[local]") {
  running_service local;
  auto c = local.client();
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) {
    created.push_back(must(c.send(CreateStageRequest{.name = "stage-" + std::to_string(i)})).stage->arn);
  }
  auto first = must(c.send(ListStagesRequest{.maxResults = 3}));
  REQUIRE(first.stages.size() == 3);
  REQUIRE(first.nextToken.has_value());
  REQUIRE(matches(*first.nextToken, "[a-zA-Z0-9+/=_-]+"));  // the model's PaginationToken pattern
  auto second = must(c.send(ListStagesRequest{.nextToken = first.nextToken, .maxResults = 3}));
  REQUIRE(second.stages.size() == 3);
  REQUIRE(second.stages[0].arn == created[3]);

  // The paginator walks every page; changes between pages neither repeat nor skip items.
  must(c.send(DeleteStageRequest{.arn = created[0]}));
  std::vector<std::string> walked;
  for (auto& item : c.paginate(ListStagesRequest{.maxResults = 2}).items())
    walked.push_back(must(std::move(item)).arn);
  REQUIRE(walked == std::vector<std::string>(created.begin() + 1, created.end()));
  auto last = must(c.send(ListStagesRequest{.nextToken = second.nextToken, .maxResults = 3}));
  REQUIRE(last.stages.size() == 1);
  REQUIRE(last.stages[0].arn == created[6]);
  REQUIRE_FALSE(last.nextToken.has_value());

  // A token belongs to its list; a made-up token is refused.
  auto foreign = fails(c.send(ListEncoderConfigurationsRequest{.nextToken = first.nextToken}));
  REQUIRE(foreign.code == "ValidationException");
  REQUIRE(fails(c.send(ListStagesRequest{.nextToken = "bm90LWEtdG9rZW4="})).code == "ValidationException");

  // maxResults bounds are enforced by the service too, not only by the client.
  auto lax = local.client(false);
  auto too_big = fails(lax.send(ListStagesRequest{.maxResults = 101}));
  REQUIRE(too_big.code == "ValidationException");
  REQUIRE(too_big.http_status == 400);
  REQUIRE(too_big.message.find("maxResults") != std::string::npos);
  REQUIRE(fails(lax.send(ListStagesRequest{.maxResults = 0})).code == "ValidationException");
  REQUIRE(fails(lax.send(ListParticipantReplicasRequest{
                    .sourceStageArn = created[1], .participantId = "p", .maxResults = 51}))
              .code == "ValidationException");
}

TEST_CASE("local: the service validates what it receives", "[local]") {
  running_service local;
  auto lax = local.client(false);
  auto long_name = fails(lax.send(CreateStageRequest{.name = std::string(129, 'x')}));
  REQUIRE(long_name.code == "ValidationException");
  REQUIRE(long_name.message.find("name") != std::string::npos);
  REQUIRE(fails(lax.send(CreateStageRequest{.name = "has spaces"})).code == "ValidationException");
  REQUIRE(fails(lax.send(GetStageRequest{.arn = "not-an-arn"})).code == "ValidationException");
  REQUIRE(fails(lax.send(GetStageRequest{.arn = "arn:aws:ivs:us-east-1:123456789012:channel/abcdABCD1234"}))
              .code == "ValidationException");
  REQUIRE(fails(lax.send(CreateParticipantTokenRequest{
                    .stageArn = "arn:aws:ivs:us-east-1:123456789012:stage/x", .duration = 20161}))
              .code == "ValidationException");
  auto stage = ivsrt_local_test::must(lax.send(CreateStageRequest{}));
  ParticipantTokenAttributes big{{"blob", std::string(1100, 'a')}};
  auto too_big =
      fails(lax.send(CreateParticipantTokenRequest{.stageArn = stage.stage->arn, .attributes = big}));
  REQUIRE(too_big.code == "ValidationException");
  REQUIRE(too_big.message.find("1 KB") != std::string::npos);

  // Bodies a client would not send: missing required members, wrong types, broken JSON.
  ivsrt_local_test::raw_request raw{.endpoint = local.svc.endpoint_url(), .path = "/GetStage", .body = "{}"};
  auto missing = must(ivsrt_local_test::send_raw(raw));
  REQUIRE(missing.status == 400);
  REQUIRE(missing.header("x-amzn-ErrorType") == "ValidationException");
  REQUIRE(missing.body.find("arn: required member is missing") != std::string::npos);
  // Required members inside list elements and nested structures are named by their path.
  raw.path = "/StartComposition";
  raw.body = R"({"stageArn":"arn:aws:ivs:us-east-1:123456789012:stage/x","destinations":[null,{"s3":{}}]})";
  auto nested = must(ivsrt_local_test::send_raw(raw));
  REQUIRE(nested.header("x-amzn-ErrorType") == "ValidationException");
  REQUIRE(nested.body.find("destinations[1].s3.storageConfigurationArn: required member is missing") !=
          std::string::npos);
  REQUIRE(nested.body.find("destinations[1].s3.encoderConfigurationArns: required member is missing") !=
          std::string::npos);
  raw.path = "/GetStage";
  raw.body = R"({"arn": 12})";
  auto wrong_type = must(ivsrt_local_test::send_raw(raw));
  REQUIRE(wrong_type.status == 400);
  REQUIRE(wrong_type.header("x-amzn-ErrorType") == "SerializationException");
  raw.body = R"({"arn": )";
  REQUIRE(must(ivsrt_local_test::send_raw(raw)).header("x-amzn-ErrorType") == "SerializationException");
  raw.path = "/NoSuchOperation";
  raw.body = "{}";
  auto unknown = must(ivsrt_local_test::send_raw(raw));
  REQUIRE(unknown.status == 404);
  REQUIRE(unknown.header("x-amzn-ErrorType") == "UnknownOperationException");
  // Errors the model describes carry the message in its member (exceptionMessage) and as "message".
  raw.path = "/GetStage";
  raw.body = R"({"arn":"arn:aws:ivs:us-east-1:123456789012:stage/missing12345"})";
  auto not_found = must(ivsrt_local_test::send_raw(raw));
  ResourceNotFoundException body;
  must(json::from_json(not_found.body, body));
  REQUIRE(body.exceptionMessage->find("missing12345") != std::string::npos);
  REQUIRE(not_found.body.find(R"("message":)") != std::string::npos);
}

TEST_CASE("local: service quotas", "[local]") {
  local::service_options options;
  options.limits.stages = 2;
  options.limits.publishers_per_stage = 1;
  running_service local(options);
  auto c = local.client();
  auto stage = must(c.send(CreateStageRequest{.participantTokenConfigurations = {{}, {}}}));
  must(c.send(CreateStageRequest{}));
  auto over = fails(c.send(CreateStageRequest{}));
  REQUIRE(over.code == "ServiceQuotaExceededException");
  REQUIRE(over.http_status == 402);

  const std::string arn = stage.stage->arn;
  auto a = must(local.svc.join(arn, stage.participantTokens->at(0).token->reveal()));
  auto b = must(local.svc.join(arn, stage.participantTokens->at(1).token->reveal()));
  must(local.svc.publish(arn, a.participantId));
  REQUIRE(fails(local.svc.publish(arn, b.participantId)).code == "QUOTA_EXCEEDED");
  auto events = must(c.send(ListParticipantEventsRequest{
      .stageArn = arn, .sessionId = b.sessionId, .participantId = b.participantId}));
  REQUIRE(events.events.back().errorCode == EventErrorCode::QUOTA_EXCEEDED);
}
