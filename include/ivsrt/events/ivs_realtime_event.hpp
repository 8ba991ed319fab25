// One call for an EventBridge handler: raw event JSON in, the typed IVS real-time event out.
//
//   auto ev = ivsrt::events::parse_ivs_realtime_event(body);
//   if (!ev) { log(ev.error().describe()); return; }      // malformed JSON or IVS event
//   if (auto* s = std::get_if<ivsrt::events::stage_update_event>(&*ev)) {
//     if (s->detail.event_name == ivsrt::events::stage_event_name::participant_published) ...
//   }                                                     // other_event: not ours, ignore it
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "ivsrt/error.hpp"
#include "ivsrt/events/composition_state_change.hpp"
#include "ivsrt/events/eventbridge_event.hpp"
#include "ivsrt/events/participant_recording_state_change.hpp"
#include "ivsrt/events/stage_update.hpp"
#include "ivsrt/json_reader.hpp"

namespace ivsrt::events {

// other_event for anything that is not an IVS real-time event: that is an answer, not an error.
using ivs_realtime_event = std::variant<other_event, stage_update_event, composition_state_change_event,
                                        participant_recording_state_change_event>;

namespace detail {

inline error malformed_event(const error& e) {
  return make_error(error_kind::parse, "MalformedEvent", e.message);
}

// `json` lies in a buffer of `capacity` bytes, padded for the reader.
template <class Event>
result<ivs_realtime_event> read_typed(std::string_view json, std::size_t capacity) {
  Event event;
  if (auto r = json::from_json(json, capacity, event); !r) return malformed_event(r.error());
  // The name says what happened; without it (or without a detail at all) the event says nothing.
  if (!event.detail.event_name.is_set()) {
    return make_error(error_kind::parse, "MalformedEvent", "detail.event_name: missing");
  }
  return ivs_realtime_event(std::move(event));
}

}  // namespace detail

// Reads an EventBridge event. Returns a typed event for source "aws.ivs" with detail-type "IVS
// Stage Update", "IVS Composition State Change" or "IVS Participant Recording State Change";
// other_event for any other well-formed event; an error (kind parse, code "MalformedEvent",
// naming the member) when the JSON is malformed or an IVS real-time event's members have the
// wrong types. Unknown members are ignored; unknown event names are kept (open_enum::str()).
inline result<ivs_realtime_event> parse_ivs_realtime_event(std::string_view json) {
  // One padded copy serves every pass (the envelope first, then the typed event).
  std::string buffer;
  buffer.reserve(json.size() + json::padding);
  buffer.assign(json);
  const std::size_t capacity = buffer.capacity();
  other_event head;
  if (auto r = json::from_json(buffer, capacity, head); !r) return detail::malformed_event(r.error());
  if (head.source != ivs_source) return ivs_realtime_event(std::move(head));
  if (head.detail_type == stage_update_type) return detail::read_typed<stage_update_event>(buffer, capacity);
  if (head.detail_type == composition_state_change_type) {
    return detail::read_typed<composition_state_change_event>(buffer, capacity);
  }
  if (head.detail_type == participant_recording_state_change_type) {
    return detail::read_typed<participant_recording_state_change_event>(buffer, capacity);
  }
  return ivs_realtime_event(std::move(head));
}

}  // namespace ivsrt::events
