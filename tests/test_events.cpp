// Typed IVS real-time EventBridge events: every detail-type and event name the guide lists,
// unknown event names, other sources and detail-types, and malformed input.
#include <string>
#include <variant>

#include "catch.hpp"
#include "ivsrt/events/ivs_realtime_event.hpp"

using namespace ivsrt::events;

namespace {

std::string envelope(const std::string& detail_type, const std::string& resource, const std::string& detail,
                     const std::string& source = "aws.ivs") {
  return R"({"version":"0","id":"01234567-0123-0123-0123-0123456789ab","detail-type":")" + detail_type +
         R"(","source":")" + source +
         R"(","account":"123456789012","time":"2024-06-17T22:12:02Z",)"
         R"("region":"us-west-2","resources":[")" +
         resource + R"("],"detail":)" + detail + "}";
}

const std::string kStage = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
const std::string kComposition = "arn:aws:ivs:us-west-2:123456789012:composition/0123abcdWXYZ";

template <class Event>
Event parse_as(const std::string& json) {
  auto r = parse_ivs_realtime_event(json);
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  REQUIRE(std::holds_alternative<Event>(*r));
  return std::get<Event>(*r);
}

std::string parse_error(const std::string& json) {
  auto r = parse_ivs_realtime_event(json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ivsrt::error_kind::parse);
  CHECK(r.error().code == "MalformedEvent");
  return r.error().message;
}

}  // namespace

TEST_CASE("events: IVS Stage Update with every known event name", "[events]") {
  const std::pair<const char*, stage_event_name> names[] = {
      {"Participant Published", stage_event_name::participant_published},
      {"Participant Unpublished", stage_event_name::participant_unpublished},
      {"Participant Publish Error", stage_event_name::participant_publish_error},
  };
  for (const auto& [wire, name] : names) {
    const auto ev = parse_as<stage_update_event>(envelope(
        "IVS Stage Update", kStage,
        R"({"session_id":"st-ZyXwVuTsRqPo","event_name":")" + std::string(wire) +
            R"(","user_id":"bob","participant_id":"xYz1c2d3e4f","event_time":"2024-06-17T22:12:01.123Z"})"));
    CHECK(ev.version == "0");
    CHECK(ev.id == "01234567-0123-0123-0123-0123456789ab");
    CHECK(ev.detail_type == "IVS Stage Update");
    CHECK(ev.source == "aws.ivs");
    CHECK(ev.account == "123456789012");
    CHECK(ev.time == ivsrt::parse_timestamp("2024-06-17T22:12:02Z"));
    CHECK(ev.region == "us-west-2");
    CHECK(ev.resources == std::vector<std::string>{kStage});
    CHECK(ev.detail.session_id == "st-ZyXwVuTsRqPo");
    CHECK(ev.detail.event_name == name);
    CHECK(ev.detail.event_name.known());
    CHECK(ev.detail.event_name.str() == wire);
    CHECK(ev.detail.user_id == "bob");
    CHECK(ev.detail.participant_id == "xYz1c2d3e4f");
    CHECK(ev.detail.event_time == "2024-06-17T22:12:01.123Z");
  }
}

TEST_CASE("events: unknown event names are kept, not refused", "[events]") {
  for (const std::string wire : {"Participant Replication Started", "Participant Replication Stopped",
                                 "Participant Token Exchanged", "Something New"}) {
    const auto ev = parse_as<stage_update_event>(envelope(
        "IVS Stage Update", kStage,
        R"({"session_id":"st-1","event_name":")" + wire + R"(","user_id":"","participant_id":"p"})"));
    CHECK_FALSE(ev.detail.event_name.known());
    CHECK(ev.detail.event_name.str() == wire);
    CHECK_FALSE(ev.detail.event_name == stage_event_name::participant_published);
    CHECK(ev.detail.user_id.empty());
    CHECK_FALSE(ev.detail.event_time.has_value());
  }
  const auto c = parse_as<composition_state_change_event>(
      envelope("IVS Composition State Change", kComposition,
               R"({"stage_arn":")" + kStage + R"(","event_name":"Paused"})"));
  CHECK(c.detail.event_name.str() == "Paused");
  const auto p = parse_as<participant_recording_state_change_event>(
      envelope("IVS Participant Recording State Change", kStage, R"({"event_name":"Recording Paused"})"));
  CHECK(p.detail.event_name.str() == "Recording Paused");
}

TEST_CASE("events: IVS Composition State Change with every known event name", "[events]") {
  const std::pair<const char*, composition_event_name> names[] = {
      {"Session Start", composition_event_name::session_start},
      {"Session End", composition_event_name::session_end},
      {"Session Failure", composition_event_name::session_failure},
      {"Destination Start", composition_event_name::destination_start},
      {"Destination End", composition_event_name::destination_end},
      {"Destination Reconnecting", composition_event_name::destination_reconnecting},
      {"Destination Failure", composition_event_name::destination_failure},
  };
  for (const auto& [wire, name] : names) {
    const auto ev = parse_as<composition_state_change_event>(envelope(
        "IVS Composition State Change", kComposition,
        R"({"stage_arn":")" + kStage + R"(","event_name":")" + wire + R"(","destination_id":"d1"})"));
    CHECK(ev.resources == std::vector<std::string>{kComposition});
    CHECK(ev.detail.stage_arn == kStage);
    CHECK(ev.detail.event_name == name);
    CHECK(ev.detail.event_name.str() == wire);
  }
}

TEST_CASE("events: IVS Participant Recording State Change with every known event name", "[events]") {
  const std::pair<const char*, recording_event_name> names[] = {
      {"Recording Start", recording_event_name::recording_start},
      {"Recording End", recording_event_name::recording_end},
      {"Recording Start Failure", recording_event_name::recording_start_failure},
      {"Recording End Failure", recording_event_name::recording_end_failure},
  };
  for (const auto& [wire, name] : names) {
    const bool end = std::string(wire) == "Recording End";
    const auto ev = parse_as<participant_recording_state_change_event>(envelope(
        "IVS Participant Recording State Change", kStage,
        R"({"session_id":"st-ZyXwVuTsRqPo","event_name":")" + std::string(wire) +
            R"(","participant_id":"xYz1c2d3e4f","recording_s3_bucket_name":"ivs-recordings",)"
            R"("recording_s3_key_prefix":"abcdABCD1234/st-ZyXwVuTsRqPo/xYz1c2d3e4f/2024-06-17T22-12-02Z")" +
            (end ? R"(,"recording_duration_ms":547327)" : "") + "}"));
    CHECK(ev.detail_type == "IVS Participant Recording State Change");
    CHECK(ev.detail.event_name == name);
    CHECK(ev.detail.session_id == "st-ZyXwVuTsRqPo");
    CHECK(ev.detail.participant_id == "xYz1c2d3e4f");
    CHECK(ev.detail.recording_s3_bucket_name == "ivs-recordings");
    CHECK(ev.detail.recording_s3_key_prefix ==
          "abcdABCD1234/st-ZyXwVuTsRqPo/xYz1c2d3e4f/2024-06-17T22-12-02Z");
    CHECK(ev.detail.recording_duration_ms.has_value() == end);
    if (end) CHECK(*ev.detail.recording_duration_ms == 547327.0);
  }
}

TEST_CASE("events: other sources and detail-types are other_event, not errors", "[events]") {
  struct other {
    std::string source;
    std::string detail_type;
  };
  const other others[] = {
      {"aws.ec2", "EC2 Instance State-change Notification"},
      {"aws.ivs", "IVS Stream State Change"},               // low-latency channels
      {"aws.ivs", "IVS Publisher Recording State Change"},  // listed by EventBridge, payload unknown
      {"aws.ivs", "AWS API Call via CloudTrail"},
      {"my.app", "IVS Stage Update"},  // right detail-type, wrong source
  };
  for (const auto& o : others) {
    auto r = parse_ivs_realtime_event(
        envelope(o.detail_type, "arn:x", R"({"event_name":7,"state":"running"})", o.source));
    REQUIRE(r.ok());
    REQUIRE(std::holds_alternative<other_event>(*r));
    const auto& ev = std::get<other_event>(*r);
    CHECK(ev.source == o.source);
    CHECK(ev.detail_type == o.detail_type);
    CHECK(ev.id == "01234567-0123-0123-0123-0123456789ab");
  }
  auto minimal = parse_ivs_realtime_event(R"({"source":"custom"})");
  REQUIRE(minimal.ok());
  CHECK(std::get<other_event>(*minimal).source == "custom");
}

TEST_CASE("events: malformed JSON and wrongly typed IVS events are errors naming the member", "[events]") {
  CHECK(parse_error("").find("malformed JSON") != std::string::npos);
  CHECK(parse_error("{\"source\":\"aws.ivs\",").find("malformed JSON") != std::string::npos);
  CHECK(parse_error("[1,2]").find("expected a JSON object") != std::string::npos);
  CHECK(parse_error(R"({"source":"aws.ivs"} {})").find("malformed JSON") != std::string::npos);
  CHECK(parse_error(R"({"source":"aws.ivs"} trailing)").find("malformed JSON") != std::string::npos);
  CHECK(parse_error(R"({"source":7})").find("source: expected a string") != std::string::npos);
  CHECK(parse_error(
            envelope("IVS Stage Update", kStage, R"({"session_id":5,"event_name":"Participant Published"})"))
            .find("detail.session_id: expected a string") != std::string::npos);
  CHECK(parse_error(envelope("IVS Stage Update", kStage, R"({"session_id":"st-1"})"))
            .find("detail.event_name: missing") != std::string::npos);
  CHECK(parse_error(envelope("IVS Stage Update", kStage, R"("text")")).find("detail") != std::string::npos);
  CHECK(
      parse_error(envelope("IVS Composition State Change", kComposition, R"({"event_name":["Session End"]})"))
          .find("detail.event_name: expected a string") != std::string::npos);
  CHECK(parse_error(envelope("IVS Participant Recording State Change", kStage,
                             R"({"event_name":"Recording End","recording_duration_ms":"long"})"))
            .find("detail.recording_duration_ms: expected a number") != std::string::npos);
  std::string bad_time = envelope("IVS Stage Update", kStage, R"({"event_name":"Participant Published"})");
  bad_time.replace(bad_time.find("2024-06-17T22:12:02Z"), 20, "yesterday");
  CHECK(parse_error(bad_time).find("time: not an ISO 8601 date-time") != std::string::npos);
  std::string no_detail = R"({"source":"aws.ivs","detail-type":"IVS Stage Update"})";
  CHECK(parse_error(no_detail).find("detail.event_name: missing") != std::string::npos);
}
