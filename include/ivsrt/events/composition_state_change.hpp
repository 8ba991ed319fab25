// "IVS Composition State Change" events: a server-side composition session and its destinations.
// resources[0] is the composition ARN (not the stage's); the stage is in detail.stage_arn.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "ivsrt/events/eventbridge_event.hpp"
#include "ivsrt/open_enum.hpp"

namespace ivsrt::events {

inline constexpr std::string_view composition_state_change_type = "IVS Composition State Change";

enum class composition_event_name {
  session_start,
  session_end,
  session_failure,
  destination_start,
  destination_end,
  destination_reconnecting,
  destination_failure,
};
constexpr auto enum_strings(composition_event_name /*unused*/) noexcept {
  return std::array<std::string_view, 7>{"Session Start",      "Session End",     "Session Failure",
                                         "Destination Start",  "Destination End", "Destination Reconnecting",
                                         "Destination Failure"};
}

// Only these members are confirmed (from sources quoting the AWS examples). Which member names
// the destination of a Destination event, and whether failures carry a reason, is UNVERIFIED;
// they are not modelled. These events reportedly carry no event time: use the envelope's time.
struct composition_state_change_detail {
  std::string stage_arn{};
  open_enum<composition_event_name> event_name{};
};

using composition_state_change_event = eventbridge_event<composition_state_change_detail>;

}  // namespace ivsrt::events
