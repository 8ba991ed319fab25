// Client-side validation from the model's constraints: lengths in code points, list and map
// sizes, ranges, map keys and values, enum values; errors name the member path and the limit.
#include "catch.hpp"
#include "ivsrt/model/encoder_configuration.hpp"
#include "ivsrt/model/stage.hpp"
#include "ivsrt/model/tags.hpp"
#include "ivsrt/validate.hpp"

using namespace ivsrt;

namespace {
std::string problem(const auto& request) {
  auto r = validation::check(request);
  return r.ok() ? std::string() : r.error().message;
}
}  // namespace

TEST_CASE("requests within every limit pass", "[validate]") {
  CreateStageRequest r{.name = std::string(128, 'a'),
                       .participantTokenConfigurations = std::vector<ParticipantTokenConfiguration>(12),
                       .tags = {{std::string(128, 'k'), std::string(256, 'v')}},
                       .autoParticipantRecordingConfiguration = {}};
  REQUIRE(problem(r).empty());
  REQUIRE(problem(GetStageRequest{.arn = "x"}).empty());
}

TEST_CASE("string lengths count code points, not bytes", "[validate]") {
  std::string name;
  for (int i = 0; i < 128; ++i) name += "\xc3\xa9";  // 128 code points, 256 bytes
  REQUIRE(problem(CreateStageRequest{.name = name}).empty());
  name += "\xc3\xa9";
  REQUIRE(problem(CreateStageRequest{.name = name}) ==
          "name: 129 characters, more than the maximum of 128");
}

TEST_CASE("below a minimum, above a maximum, with the member path", "[validate]") {
  REQUIRE(problem(GetStageRequest{.arn = ""}) == "arn: 0 characters, fewer than the minimum of 1");
  CreateStageRequest r{.participantTokenConfigurations = {{.duration = 60}, {.duration = 0}}};
  REQUIRE(problem(r) == "participantTokenConfigurations[1].duration: 0 is outside the allowed range 1..20160");
  r.participantTokenConfigurations = std::vector<ParticipantTokenConfiguration>(13);
  REQUIRE(problem(r) == "participantTokenConfigurations: 13 items, more than the maximum of 12");
  ListStagesRequest l{.maxResults = 101};
  REQUIRE(problem(l) == "maxResults: 101 is outside the allowed range 1..100");
}

TEST_CASE("map sizes, keys and values", "[validate]") {
  Tags many;
  for (int i = 0; i < 51; ++i) many["k" + std::to_string(i)] = "v";
  REQUIRE(problem(TagResourceRequest{.resourceArn = "arn", .tags = many}) ==
          "tags: 51 entries, more than the maximum of 50");
  REQUIRE(problem(TagResourceRequest{.resourceArn = "arn", .tags = {{"", "v"}}}) ==
          "tags key \"\": 0 characters, fewer than the minimum of 1");
  REQUIRE(problem(TagResourceRequest{.resourceArn = "arn", .tags = {{"k", std::string(257, 'v')}}}) ==
          "tags.k: 257 characters, more than the maximum of 256");
  REQUIRE(problem(UntagResourceRequest{.resourceArn = "arn", .tagKeys = {"ok", ""}}) ==
          "tagKeys[1]: 0 characters, fewer than the minimum of 1");
}

TEST_CASE("enum values a request carries must be known", "[validate]") {
  CreateStageRequest r{.autoParticipantRecordingConfiguration = AutoParticipantRecordingConfiguration{
                           .storageConfigurationArn = "arn",
                           .mediaTypes = {open_enum<ParticipantRecordingMediaType>::from_string("SMELLOVISION")}}};
  REQUIRE(problem(r) == "autoParticipantRecordingConfiguration.mediaTypes[0]: \"SMELLOVISION\" is not one of "
                        "AUDIO_VIDEO, AUDIO_ONLY, NONE");
}

TEST_CASE("every violation is reported, and floats are checked", "[validate]") {
  CreateEncoderConfigurationRequest r{.video = Video{.width = 1, .height = 1921, .framerate = 60.5f}};
  const std::string p = problem(r);
  REQUIRE(p.find("video.width: 1 is outside the allowed range 2..1920") != std::string::npos);
  REQUIRE(p.find("video.height: 1921 is outside the allowed range 2..1920") != std::string::npos);
  REQUIRE(p.find("video.framerate: 60.5 is outside the allowed range 1..60") != std::string::npos);
}

TEST_CASE("patterns are not enforced: a valid ARN the model's ResourceArn pattern would reject passes",
          "[validate]") {
  REQUIRE(problem(TagResourceRequest{.resourceArn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234",
                                     .tags = {{"a", "b"}}})
              .empty());
}
