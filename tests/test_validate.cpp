// Client-side validation from the model's constraints: lengths in code points, list and map
// sizes, ranges, map keys and values, enum values; errors name the member path and the limit.
// Besides the cases below, every limit of every request is probed at and beyond its bounds.
#include <cmath>
#include <string>

#include "catch.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/validate.hpp"
#include "model_fill.hpp"

using namespace ivsrt;

namespace {
// What a client's check finds, and what the local service's finds (it refuses unknown enum values).
std::string problem(const auto& request,
                    validation::unknown_enums unknown = validation::unknown_enums::send) {
  auto r = validation::check(request, unknown);
  return r.ok() ? std::string() : r.error().message;
}

std::string service_problem(const auto& request) {
  return problem(request, validation::unknown_enums::refuse);
}

// ---- Probing every limit and every enum of a request, one at a time.

enum class edge { at_min, at_max, below_min, above_max, unknown_enum, unset_enum };

// Finds the `target`-th place in a request that has a limit or an enum, and changes it according
// to `how`; `path` and `bound` then say what the validation message must name.
struct probe {
  std::size_t target = 0;
  edge how = edge::at_min;
  std::size_t next = 0;
  bool applied = false;
  bool expect_failure = false;
  std::string path;
  double bound = 0;
};

// n code points, two bytes each, so a byte count would be wrong.
std::string code_points(double n) {
  std::string s;
  for (double i = 0; i < n; ++i) s += "\xc3\xa9";
  return s;
}

// The length or value an edge asks for, or NaN when the edge does not apply to these bounds.
double edge_value(edge how, double min, double max, bool is_length) {
  switch (how) {
    case edge::at_min: return std::isfinite(min) ? min : NAN;
    case edge::at_max: return std::isfinite(max) ? max : NAN;
    case edge::below_min: return std::isfinite(min) && (!is_length || min >= 1) ? min - 1 : NAN;
    case edge::above_max: return std::isfinite(max) ? max + 1 : NAN;
    default: return NAN;
  }
}

template <class V>
void set_scalar(V& v, double n) {
  if constexpr (kinds::string<V>) {
    v = code_points(n);
  } else if constexpr (kinds::integer<V> || kinds::floating<V>) {
    v = static_cast<V>(n);
  }
}

template <class V>
constexpr bool is_length() {
  return kinds::string<V> || kinds::list<V> || kinds::map<V>;
}

template <class T>
void walk(T& v, const std::string& path, probe& p);

// A place with bounds [min, max] on `v` itself (a string length, a number, a list or map size).
template <class V>
void limit_site(V& v, const std::string& path, double min, double max, probe& p) {
  if (!std::isfinite(min) && !std::isfinite(max)) return;
  if (p.next++ != p.target) return;
  const double n = edge_value(p.how, min, max, is_length<V>());
  if (std::isnan(n)) return;
  p.applied = true;
  p.expect_failure = p.how == edge::below_min || p.how == edge::above_max;
  p.bound = p.how == edge::below_min || p.how == edge::at_min ? min : max;
  p.path = path;
  if constexpr (kinds::list<V>) {
    const auto first = v.front();
    v.assign(static_cast<std::size_t>(n), first);
  } else if constexpr (kinds::map<V>) {
    const auto value = v.begin()->second;
    v.clear();
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) v.emplace("k" + std::to_string(i), value);
  } else {
    set_scalar(v, n);
  }
}

template <class V>
void enum_site(V& v, const std::string& path, probe& p) {
  if (p.next++ != p.target) return;
  if (p.how != edge::unknown_enum && p.how != edge::unset_enum) return;
  p.applied = true;
  p.expect_failure = true;
  p.path = path;
  v = p.how == edge::unknown_enum ? V::from_string("FROM_THE_FUTURE") : V{};
}

// Visits v (a member's value, optionals already unwrapped) with the member's limit.
template <class V>
void visit(V& v, const std::string& path, const limit& lim, probe& p) {
  if constexpr (kinds::enumeration<V>) {
    enum_site(v, path, p);
  } else if constexpr (kinds::list<V>) {
    limit_site(v, path, lim.min, lim.max, p);
    if (v.empty()) return;
    using item = typename V::value_type;
    if constexpr (kinds::enumeration<item>) {
      enum_site(v.front(), path + "[0]", p);
    } else if constexpr (kinds::structure<item>) {
      walk(v.front(), path + "[0]", p);
    } else {
      limit_site(v.front(), path + "[0]", lim.item_min, lim.item_max, p);
    }
  } else if constexpr (kinds::map<V>) {
    limit_site(v, path, lim.min, lim.max, p);
    if (v.empty()) return;
    // The first key, made to the edge's length.
    if (std::isfinite(lim.key_min) || std::isfinite(lim.key_max)) {
      std::string key = v.begin()->first;
      const std::size_t before = p.next;
      limit_site(key, "", lim.key_min, lim.key_max, p);
      if (p.next > before && p.applied && p.target == before) {
        auto value = v.begin()->second;
        v.erase(v.begin());
        v.emplace(key, value);
        p.path = path + " key \"";
        utf8::append_escaped(p.path, key);
        p.path += '"';
      }
    }
    auto& first = *v.begin();
    std::string value_path = path + ".";
    utf8::append_escaped(value_path, first.first);
    limit_site(first.second, value_path, lim.item_min, lim.item_max, p);
  } else if constexpr (kinds::structure<V>) {
    walk(v, path, p);
  } else {
    limit_site(v, path, lim.min, lim.max, p);
  }
}

template <class T>
void walk(T& v, const std::string& path, probe& p) {
  reflect::for_each_member(v, [&](auto index, auto& member) {
    constexpr std::size_t i = decltype(index)::value;
    const std::string name(reflect::wire_names<T>[i]);
    const std::string sub = path.empty() ? name : path + "." + name;
    const limit lim = ivsrt_test::limit_of<T>(reflect::member_names<T>[i]);
    if constexpr (kinds::optional<std::remove_cvref_t<decltype(member)>>) {
      visit(*member, sub, lim, p);
    } else {
      visit(member, sub, lim, p);
    }
  });
}

std::string number(double v) {
  return std::to_string(static_cast<long long>(v));
}

// Probes every limit and enum of Req's fully filled request; returns how many probes it made.
template <class Req>
std::size_t probe_every_limit() {
  std::size_t probes = 0;
  for (std::size_t target = 0;; ++target) {
    bool exists = false;
    for (edge how : {edge::at_min, edge::at_max, edge::below_min, edge::above_max, edge::unknown_enum,
                     edge::unset_enum}) {
      Req request = ivsrt_test::filled<Req>();
      probe p;
      p.target = target;
      p.how = how;
      walk(request, "", p);
      exists = p.next > target;
      if (!p.applied) continue;
      ++probes;
      const std::string client_message = problem(request);
      const std::string message = service_problem(request);
      INFO(operation<Req>::name << ", " << p.path << ", edge " << static_cast<int>(how) << ": " << message);
      if (how == edge::unknown_enum) {
        REQUIRE(client_message.empty());
      } else {
        REQUIRE(client_message == message);
      }
      if (!p.expect_failure) {
        REQUIRE(message.empty());
        continue;
      }
      REQUIRE(message.rfind(p.path + ": ", 0) == 0);     // starts with the member path
      REQUIRE(message.find("; ") == std::string::npos);  // and is the only problem
      if (how == edge::unknown_enum) {
        REQUIRE(message.find("\"FROM_THE_FUTURE\" is not one of ") != std::string::npos);
      } else if (how == edge::unset_enum) {
        REQUIRE(message.find(": not set (must be one of ") != std::string::npos);
      } else {
        REQUIRE(message.find(number(p.bound)) != std::string::npos);  // names the limit
      }
    }
    if (!exists) return probes;
  }
}
}  // namespace

TEST_CASE("every operation's request with every member set passes validation", "[validate]") {
  ivsrt_test::for_each_type(all_operations{}, [&]<class Req>() {
    const Req request = ivsrt_test::filled<Req>();
    INFO(operation<Req>::name << ": " << problem(request));
    REQUIRE(problem(request).empty());
  });
}

TEST_CASE("every limit and enum of every request: at the bounds it passes, beyond them it fails by name",
          "[validate]") {
  ivsrt_test::for_each_type(all_operations{}, [&]<class Req>() {
    INFO(operation<Req>::name);
    REQUIRE(probe_every_limit<Req>() > 0);  // every request has a limit or an enum somewhere
  });
}

TEST_CASE("a required enum that was never set is refused", "[validate]") {
  REQUIRE(problem(CreateIngestConfigurationRequest{}) ==
          "ingestProtocol: not set (must be one of RTMP, RTMPS)");
  REQUIRE(problem(CreateIngestConfigurationRequest{.ingestProtocol = IngestProtocol::RTMPS}).empty());
  REQUIRE_FALSE(open_enum<IngestProtocol>{}.is_set());
  REQUIRE(open_enum<IngestProtocol>{}.str().empty());
  REQUIRE_FALSE(open_enum<IngestProtocol>{} == IngestProtocol::RTMP);
  REQUIRE(
      problem(CreateStageRequest{.autoParticipantRecordingConfiguration =
                                     AutoParticipantRecordingConfiguration{
                                         .storageConfigurationArn = "",
                                         .mediaTypes = {open_enum<ParticipantRecordingMediaType>{}}}}) ==
      "autoParticipantRecordingConfiguration.mediaTypes[0]: not set (must be one of AUDIO_VIDEO, AUDIO_ONLY, "
      "NONE)");
}

TEST_CASE("required strings the model gives no minimum may be empty; those with a minimum may not",
          "[validate]") {
  REQUIRE(problem(ImportPublicKeyRequest{.publicKeyMaterial = ""}).empty());
  REQUIRE(problem(DisconnectParticipantRequest{.stageArn = "arn", .participantId = ""}).empty());
  REQUIRE(problem(DisconnectParticipantRequest{.stageArn = "", .participantId = ""}) ==
          "stageArn: 0 characters, fewer than the minimum of 1");
  REQUIRE(problem(GetParticipantRequest{.stageArn = "arn", .sessionId = "st-123", .participantId = "p"}) ==
          "sessionId: 6 characters, fewer than the minimum of 16");
}

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
  REQUIRE(problem(CreateStageRequest{.name = name}) == "name: 129 characters, more than the maximum of 128");
}

TEST_CASE("below a minimum, above a maximum, with the member path", "[validate]") {
  REQUIRE(problem(GetStageRequest{.arn = ""}) == "arn: 0 characters, fewer than the minimum of 1");
  CreateStageRequest r{.participantTokenConfigurations = {{.duration = 60}, {.duration = 0}}};
  REQUIRE(problem(r) ==
          "participantTokenConfigurations[1].duration: 0 is outside the allowed range 1..20160");
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

TEST_CASE("a caller's text quoted in a message is escaped and bounded", "[validate]") {
  using namespace std::string_literals;
  // A NUL, a line break, a quote, a backslash, a byte that is not UTF-8 and a C1 control (CSI),
  // with UTF-8 kept.
  const std::string key = "a\0b\n\"\\\xFF\xC2\x9B\xC3\xA9"s;
  REQUIRE(problem(TagResourceRequest{.resourceArn = "arn", .tags = {{key, std::string(257, 'v')}}}) ==
          "tags key \"a\\x00b\\x0A\\\"\\\\\\xFF\\xC2\\x9B\xC3\xA9\": not valid UTF-8; "
          "tags.a\\x00b\\x0A\\\"\\\\\\xFF\\xC2\\x9B\xC3\xA9: 257 characters, more than the maximum of 256");
  REQUIRE(
      problem(TagResourceRequest{.resourceArn = "arn", .tags = {{std::string(129, 'k') + "\x01", "v"}}}) ==
      "tags key \"" + std::string(129, 'k') + "\\x01\": 130 characters, more than the maximum of 128");
  CreateIngestConfigurationRequest r{.ingestProtocol =
                                         open_enum<IngestProtocol>::from_string(std::string(300, 'X'))};
  REQUIRE(service_problem(r) ==
          "ingestProtocol: \"" + std::string(256, 'X') + "...\" is not one of RTMP, RTMPS");
}

TEST_CASE("a client sends enum values it does not know; the service refuses them", "[validate]") {
  CreateStageRequest r{
      .autoParticipantRecordingConfiguration = AutoParticipantRecordingConfiguration{
          .storageConfigurationArn = "arn",
          .mediaTypes = {open_enum<ParticipantRecordingMediaType>::from_string("SMELLOVISION")}}};
  REQUIRE(problem(r).empty());
  REQUIRE(service_problem(r) ==
          "autoParticipantRecordingConfiguration.mediaTypes[0]: \"SMELLOVISION\" is not one of "
          "AUDIO_VIDEO, AUDIO_ONLY, NONE");
  // Unset is refused either way: a required enum has no value to send.
  const CreateIngestConfigurationRequest unset{};
  REQUIRE(problem(unset) == "ingestProtocol: not set (must be one of RTMP, RTMPS)");
  REQUIRE(service_problem(unset) == problem(unset));
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
