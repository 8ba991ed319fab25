// "IVS Participant Recording State Change" events: individual participant recording to S3.
// resources[0] is the stage ARN.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "ivsrt/events/eventbridge_event.hpp"
#include "ivsrt/open_enum.hpp"
#include "ivsrt/optional.hpp"

namespace ivsrt::events {

inline constexpr std::string_view participant_recording_state_change_type =
    "IVS Participant Recording State Change";

enum class recording_event_name {
  recording_start,
  recording_end,
  recording_start_failure,
  recording_end_failure
};
constexpr auto enum_strings(recording_event_name /*unused*/) noexcept {
  return std::array<std::string_view, 4>{"Recording Start", "Recording End", "Recording Start Failure",
                                         "Recording End Failure"};
}

struct participant_recording_state_change_detail {
  std::string session_id{};
  open_enum<recording_event_name> event_name{};
  std::string participant_id{};
  std::string recording_s3_bucket_name{};
  std::string recording_s3_key_prefix{};  // <stage-id>/<session-id>/<participant-id>/<timestamp>
  // Recording End only, from secondary sources: UNVERIFIED. A number, read as double so that an
  // unexpected fraction cannot make the event unreadable.
  optional<double> recording_duration_ms{};
};
// Whether failure events carry a reason member is UNVERIFIED; none is modelled.

using participant_recording_state_change_event = eventbridge_event<participant_recording_state_change_detail>;

}  // namespace ivsrt::events
