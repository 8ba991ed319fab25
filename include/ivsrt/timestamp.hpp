// Timestamps: the model's ISO 8601 date-times as std::chrono time points (UTC, nanoseconds).
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace ivsrt {

using timestamp = std::chrono::sys_time<std::chrono::nanoseconds>;

// The system clock now, as a timestamp.
inline timestamp system_now() noexcept {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

// A timestamp holds nanoseconds since 1970 in 64 bits, about the years 1678 to 2262; times read
// from outside that range are refused rather than overflow.
inline constexpr std::int64_t max_timestamp_seconds =
    std::numeric_limits<std::int64_t>::max() / 1'000'000'000 - 1;

constexpr bool representable_seconds(std::int64_t s) noexcept {
  return s >= -max_timestamp_seconds && s <= max_timestamp_seconds;
}

namespace detail {

// Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic, exact for all years).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr civil civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

// The UTC date and time of day of a second since the epoch.
struct civil_time {
  std::int64_t days;  // since 1970-01-01
  civil date;
  unsigned hour;
  unsigned minute;
  unsigned second;
};

constexpr civil_time civil_time_of(std::int64_t seconds_since_epoch) noexcept {
  std::int64_t days = seconds_since_epoch / 86400;
  std::int64_t rem = seconds_since_epoch % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const auto r = static_cast<unsigned>(rem);
  return {days, civil_from_days(days), r / 3600, r / 60 % 60, r % 60};
}

// Writes v as `width` zero-padded decimal digits at p; returns the position after them.
constexpr char* put_digits(char* p, std::int64_t v, int width) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

constexpr bool is_leap(std::int64_t y) noexcept {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

constexpr bool read_digits(std::string_view s, std::size_t& pos, std::size_t count, unsigned& out) noexcept {
  if (pos + count > s.size()) {
    return false;
  }
  unsigned v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  pos += count;
  out = v;
  return true;
}

constexpr bool expect(std::string_view s, std::size_t& pos, char c) noexcept {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace detail

namespace detail {

// A date-time's seconds since 1970 (from any year 0000 to 9999) and its nanoseconds.
struct date_time_parts {
  std::int64_t seconds = 0;
  std::int64_t nanos = 0;
};

// Reads an RFC 3339 / ISO 8601 extended date-time: YYYY-MM-DDTHH:MM:SS (a space for the T, as
// RFC 3339 allows and botocore reads), optional fractional seconds (any number of digits, kept to
// nanoseconds), then Z or an offset (+HH:MM, +HHMM).
constexpr std::optional<date_time_parts> parse_date_time(std::string_view s) noexcept {
  std::size_t pos = 0;
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!detail::read_digits(s, pos, 4, year) || !detail::expect(s, pos, '-') ||
      !detail::read_digits(s, pos, 2, month) || !detail::expect(s, pos, '-') ||
      !detail::read_digits(s, pos, 2, day)) {
    return std::nullopt;
  }
  if (!(detail::expect(s, pos, 'T') || detail::expect(s, pos, 't') || detail::expect(s, pos, ' '))) {
    return std::nullopt;
  }
  if (!detail::read_digits(s, pos, 2, hour) || !detail::expect(s, pos, ':') ||
      !detail::read_digits(s, pos, 2, minute) || !detail::expect(s, pos, ':') ||
      !detail::read_digits(s, pos, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > detail::days_in_month(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::int64_t nanos = 0;
  if (detail::expect(s, pos, '.') || detail::expect(s, pos, ',')) {
    std::size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (s[pos] - '0');
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) {
      return std::nullopt;
    }
    for (std::size_t i = digits; i < 9; ++i) {
      nanos *= 10;
    }
  }
  std::int64_t offset_seconds = 0;
  if (detail::expect(s, pos, 'Z') || detail::expect(s, pos, 'z')) {
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const bool negative = s[pos] == '-';
    ++pos;
    unsigned oh = 0, om = 0;
    if (!detail::read_digits(s, pos, 2, oh)) {
      return std::nullopt;
    }
    detail::expect(s, pos, ':');
    if (!detail::read_digits(s, pos, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_seconds = (negative ? -1 : 1) * static_cast<std::int64_t>(oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) {
    return std::nullopt;
  }
  const std::int64_t days = detail::days_from_civil(year, month, day);
  return date_time_parts{.seconds = days * 86400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 +
                                    second - offset_seconds,
                         .nanos = nanos};
}

}  // namespace detail

// Parses a date-time as detail::parse_date_time reads it; one a timestamp cannot hold is refused.
constexpr std::optional<timestamp> parse_timestamp(std::string_view s) noexcept {
  const auto p = detail::parse_date_time(s);
  if (!p || !representable_seconds(p->seconds)) return std::nullopt;
  return timestamp(std::chrono::seconds(p->seconds) + std::chrono::nanoseconds(p->nanos));
}

// Parses a credential's expiry. A time after 2262 is the latest timestamp instead of an error:
// credential sources write such dates ("9999-12-31T23:59:59Z") for credentials that do not
// expire in practice, and the AWS SDKs accept them. (An expiry before 1678 is still refused.)
constexpr std::optional<timestamp> parse_expiry(std::string_view s) noexcept {
  const auto p = detail::parse_date_time(s);
  if (!p || p->seconds < -max_timestamp_seconds) return std::nullopt;
  if (p->seconds > max_timestamp_seconds) return timestamp(std::chrono::seconds(max_timestamp_seconds));
  return timestamp(std::chrono::seconds(p->seconds) + std::chrono::nanoseconds(p->nanos));
}

// Formats as UTC "YYYY-MM-DDTHH:MM:SS[.fraction]Z", the fraction without trailing zeros.
inline std::string format_timestamp(timestamp t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  auto nanos = (t - secs).count();
  const detail::civil_time c = detail::civil_time_of(secs.time_since_epoch().count());
  char buf[40];
  char* p = detail::put_digits(buf, c.date.year, 4);
  *p++ = '-';
  p = detail::put_digits(p, c.date.month, 2);
  *p++ = '-';
  p = detail::put_digits(p, c.date.day, 2);
  *p++ = 'T';
  p = detail::put_digits(p, c.hour, 2);
  *p++ = ':';
  p = detail::put_digits(p, c.minute, 2);
  *p++ = ':';
  p = detail::put_digits(p, c.second, 2);
  if (nanos != 0) {
    *p++ = '.';
    int width = 9;
    while (nanos % 10 == 0) {
      nanos /= 10;
      --width;
    }
    p = detail::put_digits(p, nanos, width);
  }
  *p++ = 'Z';
  return std::string(buf, static_cast<std::size_t>(p - buf));
}

}  // namespace ivsrt
