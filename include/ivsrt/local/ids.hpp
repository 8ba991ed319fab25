// Identifiers the local service hands out: resource ids, ARNs, stage-session ids, participant ids
// and stream keys, in the shapes the real service uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace ivsrt::local {

inline constexpr std::string_view alphanumeric =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// A seedable source of random identifiers; not thread-safe (the engine's lock guards it).
class id_source {
 public:
  explicit id_source(std::uint64_t seed) : rng_(seed) {}

  std::string text(std::size_t n, std::string_view alphabet = alphanumeric) {
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string out(n, ' ');
    for (char& c : out) c = alphabet[pick(rng_)];
    return out;
  }
  // The 12-character id that ends every ARN.
  std::string resource_id() { return text(12); }
  // "st-" and 13 characters: the model's 16-character StageSessionId.
  std::string session_id() { return "st-" + text(13); }
  std::string participant_id() { return text(12); }
  std::uint64_t number() { return rng_(); }

 private:
  std::mt19937_64 rng_;
};

struct arn_parts {
  std::string region;
  std::string account;
  std::string kind;  // "stage", "composition", "encoder-configuration", ...
  std::string id;
};

inline std::string make_arn(std::string_view region, std::string_view account, std::string_view kind,
                            std::string_view id) {
  std::string out = "arn:aws:ivs:";
  out.append(region).append(":").append(account).append(":").append(kind).append("/").append(id);
  return out;
}

namespace detail {
constexpr bool is_lower_or_digit_or_dash(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}
constexpr bool is_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}
// Takes the run of characters before `stop` that all satisfy ok; empty when there is none.
template <class Pred>
std::optional<std::string_view> field(std::string_view& rest, char stop, Pred ok) {
  std::size_t n = 0;
  while (n < rest.size() && rest[n] != stop) {
    if (!ok(rest[n])) return std::nullopt;
    ++n;
  }
  if (n == 0 || n == rest.size()) return std::nullopt;
  std::string_view out = rest.substr(0, n);
  rest.remove_prefix(n + 1);
  return out;
}
}  // namespace detail

// Parses "arn:aws:ivs:{region}:{account}:{kind}/{id}" with the character sets of the model's ARN
// patterns, anchored at both ends.
inline std::optional<arn_parts> parse_arn(std::string_view arn) {
  constexpr std::string_view prefix = "arn:aws:ivs:";
  if (arn.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view rest = arn.substr(prefix.size());
  auto region = detail::field(rest, ':', detail::is_lower_or_digit_or_dash);
  if (!region) return std::nullopt;
  auto account = detail::field(rest, ':', [](char c) { return c >= '0' && c <= '9'; });
  if (!account) return std::nullopt;
  auto kind = detail::field(rest, '/', [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
  if (!kind || rest.empty()) return std::nullopt;
  for (char c : rest) {
    if (!detail::is_id_char(c)) return std::nullopt;
  }
  return arn_parts{std::string(*region), std::string(*account), std::string(*kind), std::string(rest)};
}

// The id at the end of an ARN ("" when it has none).
inline std::string_view arn_id(std::string_view arn) {
  const std::size_t slash = arn.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : arn.substr(slash + 1);
}

}  // namespace ivsrt::local
