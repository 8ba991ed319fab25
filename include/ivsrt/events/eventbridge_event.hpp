// The EventBridge envelope around every event IVS sends, with a typed `detail`. Delivery is best
// effort: an event can be missing, hours late or out of order, so consumers should not depend on
// order or existence (e.g. "Participant Unpublished" may arrive before "Participant Published").
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/timestamp.hpp"

namespace ivsrt::events {

// The source of every IVS event.
inline constexpr std::string_view ivs_source = "aws.ivs";

template <class Detail>
struct eventbridge_event {
  std::string version{};      // "0"
  std::string id{};           // unique per event; use it to drop duplicates
  std::string detail_type{};  // "detail-type" on the wire, e.g. "IVS Stage Update"
  std::string source{};       // "aws.ivs"
  std::string account{};      // AWS account ID
  timestamp time{};           // when EventBridge received the event (UTC)
  std::string region{};
  std::vector<std::string> resources{};  // ARNs; which ARN comes first depends on the detail-type
  Detail detail{};

  static constexpr std::pair<std::string_view, std::string_view> wire_renames[] = {
      {"detail_type", "detail-type"}};
};

// Any EventBridge event that is not one of the IVS real-time events this library types (other
// services, IVS low-latency channel events, CloudTrail API-call events, detail-types added later).
struct other_event {
  std::string id{};
  std::string detail_type{};
  std::string source{};

  static constexpr std::pair<std::string_view, std::string_view> wire_renames[] = {
      {"detail_type", "detail-type"}};
};

}  // namespace ivsrt::events
