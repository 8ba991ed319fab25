// Compile-time reflection: member counts and names for plain aggregates and model types.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "ivsrt/model/stage.hpp"
#include "ivsrt/model/tags.hpp"
#include "ivsrt/reflect.hpp"

namespace {
struct point {
  int x{};
  int y{};
};
struct mixed {
  std::string label{};
  ivsrt::optional<std::vector<point>> points{};
  ivsrt::optional<std::map<std::string, std::string>> tags{};
  point origin{};
  double scale{};
};
struct renamed {
  std::string detail_type{};
  int plain{};
  static constexpr std::pair<std::string_view, std::string_view> wire_renames[] = {
      {"detail_type", "detail-type"}};
};
struct empty {};
}  // namespace

using ivsrt::reflect::member_count;
using ivsrt::reflect::member_names;
using ivsrt::reflect::wire_names;

TEST_CASE("member counts of aggregates, including nested and optional members", "[reflect]") {
  STATIC_REQUIRE(member_count<point> == 2);
  STATIC_REQUIRE(member_count<mixed> == 5);
  STATIC_REQUIRE(member_count<empty> == 0);
  STATIC_REQUIRE(member_count<ivsrt::CreateStageRequest> == 4);
  STATIC_REQUIRE(member_count<ivsrt::Stage> == 6);
}

TEST_CASE("member names come from the declarations, on this compiler", "[reflect]") {
  STATIC_REQUIRE(member_names<mixed>[0] == "label");
  STATIC_REQUIRE(member_names<mixed>[1] == "points");
  STATIC_REQUIRE(member_names<mixed>[4] == "scale");
  STATIC_REQUIRE(member_names<ivsrt::CreateStageRequest>[1] == "participantTokenConfigurations");
  STATIC_REQUIRE(member_names<ivsrt::Stage>[2] == "activeSessionId");
  STATIC_REQUIRE(ivsrt::reflect::member_index<ivsrt::Stage>("endpoints") == 5);
  STATIC_REQUIRE(ivsrt::reflect::member_index<ivsrt::Stage>("nope") == 6);
}

TEST_CASE("wire names can rename members that are not C++ identifiers", "[reflect]") {
  STATIC_REQUIRE(wire_names<renamed>[0] == "detail-type");
  STATIC_REQUIRE(wire_names<renamed>[1] == "plain");
  STATIC_REQUIRE(member_names<renamed>[0] == "detail_type");
}

TEST_CASE("type names", "[reflect]") {
  STATIC_REQUIRE(ivsrt::reflect::short_type_name<ivsrt::StageSummary> == "StageSummary");
  STATIC_REQUIRE(ivsrt::reflect::type_name<ivsrt::StageSummary> == "ivsrt::StageSummary");
}

TEST_CASE("for_each_member visits every member with its index, in order", "[reflect]") {
  mixed m{.label = "a", .points = {{.x = 1, .y = 2}}, .tags = {}, .origin = {.x = 3, .y = 4}, .scale = 2.5};
  std::vector<std::string> seen;
  ivsrt::reflect::for_each_member(m, [&](auto index, const auto& member) {
    seen.emplace_back(member_names<mixed>[decltype(index)::value]);
    (void)member;
  });
  REQUIRE(seen == std::vector<std::string>{"label", "points", "tags", "origin", "scale"});
  ivsrt::reflect::get_member<4>(m) = 7.0;
  REQUIRE(m.scale == 7.0);
  REQUIRE(ivsrt::reflect::get_member<3>(m).y == 4);
}

TEST_CASE("ivsrt::optional accepts brace lists for list and map members", "[reflect]") {
  ivsrt::CreateStageRequest r{.name = "demo",
                              .participantTokenConfigurations = {{.duration = 60}, {.userId = "u"}},
                              .tags = {{"team", "a"}, {"env", "dev"}},
                              .autoParticipantRecordingConfiguration = {}};
  REQUIRE(r.name == "demo");
  REQUIRE(r.participantTokenConfigurations->size() == 2);
  REQUIRE(r.tags->at("env") == "dev");
  REQUIRE_FALSE(r.autoParticipantRecordingConfiguration.has_value());
  ivsrt::UntagResourceRequest u{.resourceArn = "arn", .tagKeys = {"a", "b"}};
  REQUIRE(u.tagKeys.size() == 2);
}

TEST_CASE("ivsrt::optional's * and -> are checked", "[reflect]") {
  ivsrt::CreateStageRequest r{.name = "demo"};
#if defined(__cpp_exceptions)
  REQUIRE_THROWS_AS(r.tags->size(), std::bad_optional_access);
  REQUIRE_THROWS_AS((*r.tags).size(), std::bad_optional_access);
  const ivsrt::CreateStageRequest& cr = r;
  REQUIRE_THROWS_AS(cr.autoParticipantRecordingConfiguration->mediaTypes, std::bad_optional_access);
  REQUIRE_THROWS_AS(*std::move(r.tags), std::bad_optional_access);
#endif
  r.tags = {{"team", "a"}};
  REQUIRE(r.tags->size() == 1);
  REQUIRE((*r.tags).at("team") == "a");
  REQUIRE((*std::move(r.tags)).size() == 1);
}

TEST_CASE("open enums keep unknown values", "[reflect]") {
  auto known = ivsrt::open_enum<ivsrt::ParticipantRecordingMediaType>::from_string("AUDIO_ONLY");
  REQUIRE(known.known());
  REQUIRE(known == ivsrt::ParticipantRecordingMediaType::AUDIO_ONLY);
  REQUIRE(known.str() == "AUDIO_ONLY");
  auto unknown = ivsrt::open_enum<ivsrt::ParticipantRecordingMediaType>::from_string("HOLOGRAM");
  REQUIRE_FALSE(unknown.known());
  REQUIRE(unknown.str() == "HOLOGRAM");
  REQUIRE_FALSE(unknown == ivsrt::ParticipantRecordingMediaType::AUDIO_VIDEO);
  REQUIRE(ivsrt::to_string(ivsrt::ParticipantRecordingMediaType::NONE) == "NONE");
}
