// Clock-skew correction: SigV4 signatures carry the signing time, and the service refuses one
// that is minutes away from its own clock. An error response's Date header tells how far our clock is
// from the service's (measured against the midpoint of the exchange; ignored when the response
// carries Age, i.e. came from a cache, or when the exchange took over 15 minutes). When the
// service refuses a request with a skew error code and that distance exceeds 4 minutes, the
// client keeps the offset (atomically, per client), signs with now + offset from then on, and
// resends once at once. AWS_DISABLE_CLOCK_SKEW_CORRECTION / disable_clock_skew_correction turn
// it off.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "ivsrt/timestamp.hpp"

namespace ivsrt::clock_skew {

inline constexpr std::chrono::minutes threshold{4};
inline constexpr std::chrono::minutes max_trusted_round_trip{15};

// Error codes with which services refuse a request for its signing time.
constexpr bool is_skew_code(std::string_view code) noexcept {
  return code == "InvalidSignatureException" || code == "SignatureDoesNotMatch" || code == "AuthFailure" ||
         code == "RequestTimeTooSkewed" || code == "AccessDeniedException";
}

namespace detail {

inline constexpr const char* month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
inline constexpr const char* weekday_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

constexpr int month_index(std::string_view m) noexcept {
  for (int i = 0; i < 12; ++i) {
    if (month_names[i] == m) return i + 1;
  }
  return 0;
}

// The fixed-width number at s[pos, pos + count).
constexpr bool number_at(std::string_view s, std::size_t pos, std::size_t count, unsigned& out) noexcept {
  return ivsrt::detail::read_digits(s, pos, count, out);
}

}  // namespace detail

// Parses an HTTP date in the preferred form, "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate).
constexpr std::optional<timestamp> parse_http_date(std::string_view s) noexcept {
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  unsigned day = 0, year = 0, hour = 0, minute = 0, second = 0;
  const int month = detail::month_index(s.substr(8, 3));
  if (!detail::number_at(s, 5, 2, day) || !detail::number_at(s, 12, 4, year) ||
      !detail::number_at(s, 17, 2, hour) || !detail::number_at(s, 20, 2, minute) ||
      !detail::number_at(s, 23, 2, second) || month == 0) {
    return std::nullopt;
  }
  const auto m = static_cast<unsigned>(month);
  if (day < 1 || day > ivsrt::detail::days_in_month(year, m) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const std::int64_t days = ivsrt::detail::days_from_civil(year, m, day);
  const std::int64_t secs =
      days * 86400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + std::min(second, 59u);
  if (!representable_seconds(secs)) return std::nullopt;
  return timestamp(seconds(secs));
}

// Writes t, to the second, in the form parse_http_date reads (for a Date header): day and month
// names in English whatever the C locale, unlike strftime's %a and %b.
inline std::string format_http_date(timestamp t) {
  const ivsrt::detail::civil_time c =
      ivsrt::detail::civil_time_of(std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
  const auto weekday = static_cast<std::size_t>((c.days % 7 + 11) % 7);  // 1970-01-01 was a Thursday
  char buf[29];
  std::memcpy(buf, detail::weekday_names[weekday], 3);
  buf[3] = ',';
  buf[4] = ' ';
  char* p = ivsrt::detail::put_digits(buf + 5, c.date.day, 2);
  *p++ = ' ';
  std::memcpy(p, detail::month_names[c.date.month - 1], 3);
  p += 3;
  *p++ = ' ';
  p = ivsrt::detail::put_digits(p, c.date.year, 4);
  *p++ = ' ';
  p = ivsrt::detail::put_digits(p, c.hour, 2);
  *p++ = ':';
  p = ivsrt::detail::put_digits(p, c.minute, 2);
  *p++ = ':';
  p = ivsrt::detail::put_digits(p, c.second, 2);
  std::memcpy(p, " GMT", 4);
  return std::string(buf, sizeof buf);
}

// How far the service's clock is ahead of ours, from one response: its Date minus the midpoint
// of when we sent and received. nullopt when there is no usable Date, the response came from a
// cache (Age), or the exchange took too long to say.
constexpr std::optional<std::chrono::nanoseconds> measure(std::string_view date_header, bool has_age,
                                                          timestamp sent, timestamp received) noexcept {
  if (has_age || received - sent > max_trusted_round_trip || received < sent) return std::nullopt;
  const auto server = parse_http_date(date_header);
  if (!server) return std::nullopt;
  return *server - (sent + (received - sent) / 2);
}

// True when a request signed with offset `used` was off by more than the threshold from the
// service's clock, given the offset `measured` from its response.
constexpr bool skewed(std::chrono::nanoseconds measured, std::chrono::nanoseconds used) noexcept {
  const auto d = measured - used;
  return (d < std::chrono::nanoseconds::zero() ? -d : d) > threshold;
}

// A client's corrected clock: the system clock plus the offset learned from the service.
class corrected_clock {
 public:
  [[nodiscard]] std::chrono::nanoseconds offset() const noexcept {
    return std::chrono::nanoseconds(offset_.load(std::memory_order_relaxed));
  }
  void set_offset(std::chrono::nanoseconds d) noexcept {
    offset_.store(d.count(), std::memory_order_relaxed);
  }

  [[nodiscard]] static timestamp system_now() noexcept { return ivsrt::system_now(); }
  [[nodiscard]] timestamp now() const noexcept { return system_now() + offset(); }

 private:
  std::atomic<std::int64_t> offset_{0};
};

}  // namespace ivsrt::clock_skew
