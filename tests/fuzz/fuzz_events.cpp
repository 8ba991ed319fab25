// libFuzzer entry for reading EventBridge events, which an event handler takes from the network:
// any bytes give a typed event, other_event or a MalformedEvent error, and a typed event is one
// whose source and detail-type name it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "ivsrt/events/ivs_realtime_event.hpp"

namespace {

template <class Event>
void check_typed(const Event& e, std::string_view detail_type) {
  if (e.source != ivsrt::events::ivs_source || e.detail_type != detail_type) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ev = ivsrt::events;
  auto event = ev::parse_ivs_realtime_event(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!event) {
    if (event.error().code != "MalformedEvent") std::abort();
    return 0;
  }
  if (const auto* s = std::get_if<ev::stage_update_event>(&*event)) check_typed(*s, ev::stage_update_type);
  if (const auto* c = std::get_if<ev::composition_state_change_event>(&*event)) {
    check_typed(*c, ev::composition_state_change_type);
  }
  if (const auto* r = std::get_if<ev::participant_recording_state_change_event>(&*event)) {
    check_typed(*r, ev::participant_recording_state_change_type);
  }
  return 0;
}
