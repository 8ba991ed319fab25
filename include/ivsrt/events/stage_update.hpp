// "IVS Stage Update" events: participants publishing and unpublishing on a stage.
// resources[0] is the stage ARN.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "ivsrt/events/eventbridge_event.hpp"
#include "ivsrt/open_enum.hpp"
#include "ivsrt/optional.hpp"

namespace ivsrt::events {

inline constexpr std::string_view stage_update_type = "IVS Stage Update";

// The event names confirmed in the IVS Real-Time User Guide. The guide also lists replication
// started, replication stopped and (newest revision) token exchanged under this detail-type, but
// their exact English strings could not be confirmed, so they are not enumerated: they arrive as
// unknown values whose str() holds the wire string (likely "Participant Replication Started" and
// "Participant Replication Stopped").
enum class stage_event_name { participant_published, participant_unpublished, participant_publish_error };
constexpr auto enum_strings(stage_event_name /*unused*/) noexcept {
  return std::array<std::string_view, 3>{"Participant Published", "Participant Unpublished",
                                         "Participant Publish Error"};
}

struct stage_update_detail {
  std::string session_id{};  // "st-..."
  open_enum<stage_event_name> event_name{};
  std::string user_id{};         // the token's user ID; may be empty
  std::string participant_id{};  // the token's participant ID (jti for self-signed tokens)
  // Seen in captured events (ISO 8601), not in the AWS documentation: UNVERIFIED. Kept as text so
  // that an unexpected format cannot make the event unreadable; parse_timestamp() reads it.
  optional<std::string> event_time{};
};
// Other members a Publish Error, replication or token-exchange event may carry (error code,
// destination stage and session, token IDs) are not documented and are not modelled.

using stage_update_event = eventbridge_event<stage_update_detail>;

}  // namespace ivsrt::events
