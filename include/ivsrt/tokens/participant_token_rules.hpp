// The documented limits of a self-signed participant token, shared by the signer (which refuses to
// mint a token IVS would reject) and the verifier (which refuses tokens that break them). Each
// check returns "" when the value is acceptable, else a sentence saying what is wrong; values are
// named but never quoted whole.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ivsrt/utf8.hpp"

namespace ivsrt::tokens::rules {

inline constexpr std::string_view algorithm = "ES384";
inline constexpr std::string_view token_type = "JWT";
inline constexpr std::string_view token_version = "1.0";
inline constexpr std::chrono::seconds max_lifetime = std::chrono::hours(24 * 14);
inline constexpr std::chrono::seconds default_lifetime = std::chrono::hours(12);  // the API's default
inline constexpr std::size_t max_participant_id_length = 64;
inline constexpr std::size_t max_user_id_length = 128;     // Unicode code points
inline constexpr std::size_t max_attributes_bytes = 1024;  // keys and values, UTF-8 bytes
inline constexpr std::size_t max_url_length = 2048;        // StageEndpoint in the API model
inline constexpr std::size_t max_arn_length = 128;

namespace detail {
constexpr bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

inline std::string describe_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u > 0x20 && u < 0x7F) return std::string("'") + c + "'";
  constexpr char hex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + hex[u >> 4] + hex[u & 0xF];
}

// Consumes a non-empty run of chars accepted by ok; false when there is none.
template <class Pred>
constexpr bool run(std::string_view s, std::size_t& pos, Pred ok) noexcept {
  const std::size_t start = pos;
  while (pos < s.size() && ok(s[pos])) ++pos;
  return pos > start;
}

constexpr bool literal(std::string_view s, std::size_t& pos, std::string_view text) noexcept {
  if (s.substr(pos, text.size()) != text) return false;
  pos += text.size();
  return true;
}

// The resource ID of an ARN of the form arn:aws:ivs:<region>:<account>:<kind>/<id> (the API
// model's pattern for stage and public-key ARNs), or nullopt.
constexpr std::optional<std::string_view> ivs_arn_id(std::string_view arn, std::string_view kind) noexcept {
  if (arn.size() > max_arn_length) return std::nullopt;
  std::size_t pos = 0;
  const auto region_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto id_char = [](char c) { return is_alnum(c) || c == '-'; };
  if (!literal(arn, pos, "arn:aws:ivs:") || !run(arn, pos, region_char) || !literal(arn, pos, ":") ||
      !run(arn, pos, digit) || !literal(arn, pos, ":") || !literal(arn, pos, kind) ||
      !literal(arn, pos, "/")) {
    return std::nullopt;
  }
  const std::size_t id_start = pos;
  if (!run(arn, pos, id_char) || pos != arn.size()) return std::nullopt;
  return arn.substr(id_start);
}
}  // namespace detail

// The stage ID (the `topic` claim) of a stage ARN, or nullopt when arn is not one.
constexpr std::optional<std::string_view> stage_id_of(std::string_view stage_arn) noexcept {
  return detail::ivs_arn_id(stage_arn, "stage");
}

inline std::string stage_arn_problem(std::string_view arn) {
  if (stage_id_of(arn)) return {};
  return "stage ARN must look like arn:aws:ivs:<region>:<account-id>:stage/<stage-id> (at most 128 "
         "characters)";
}

inline std::string public_key_arn_problem(std::string_view arn) {
  if (detail::ivs_arn_id(arn, "public-key")) return {};
  return "public key ARN must look like arn:aws:ivs:<region>:<account-id>:public-key/<key-id> (at most 128 "
         "characters), as ImportPublicKey returns it";
}

// Participant IDs: 1-64 characters from [A-Za-z0-9_-]. The token rules allow '_', but several
// APIs (GetParticipant, ListParticipantEvents, Start/StopParticipantReplication) only accept
// [A-Za-z0-9-], so IDs with '_' cannot be used with them; generated IDs never contain one.
inline std::string participant_id_problem(std::string_view id) {
  if (id.empty()) return "participant ID is empty";
  if (id.size() > max_participant_id_length) {
    return "participant ID is " + std::to_string(id.size()) + " characters long; at most 64 are allowed";
  }
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (!detail::is_alnum(c) && c != '-' && c != '_') {
      return "participant ID has " + detail::describe_char(c) + " at position " + std::to_string(i) +
             "; only letters, digits, '-' and '_' are allowed";
    }
  }
  return {};
}

inline std::string user_id_problem(std::string_view user_id) {
  if (!utf8::valid(user_id)) return "user ID is not valid UTF-8";
  const std::size_t n = utf8::code_points(user_id);
  if (n > max_user_id_length) {
    return "user ID is " + std::to_string(n) + " characters long; at most 128 are allowed";
  }
  return {};
}

// The 1 KB limit is counted as the UTF-8 bytes of all keys and values. IVS documents "1 KB
// total" without saying how it counts, so this is the plainest reading, not a confirmed one.
inline std::string attributes_problem(const std::map<std::string, std::string>& attributes) {
  std::size_t total = 0;
  for (const auto& [key, value] : attributes) {
    if (!utf8::valid(key)) return "an attribute key is not valid UTF-8";
    if (!utf8::valid(value)) return "the value of attribute \"" + key + "\" is not valid UTF-8";
    total += key.size() + value.size();
  }
  if (total > max_attributes_bytes) {
    return "attributes total " + std::to_string(total) + " bytes (keys and values); at most 1024 are allowed";
  }
  return {};
}

inline std::string lifetime_problem(std::chrono::seconds lifetime) {
  if (lifetime.count() <= 0) return "token lifetime must be positive";
  if (lifetime > max_lifetime) {
    return "token lifetime is " + std::to_string(lifetime.count()) + " seconds; at most 14 days (" +
           std::to_string(max_lifetime.count()) + " seconds) are allowed";
  }
  return {};
}

// events_url and whip_url: the stage's endpoints, non-empty, without spaces or control bytes.
inline std::string url_problem(std::string_view name, std::string_view url) {
  if (url.empty())
    return std::string(name) + " is empty; use the stage's endpoints from CreateStage or GetStage";
  if (url.size() > max_url_length) {
    return std::string(name) + " is " + std::to_string(url.size()) +
           " characters long; at most 2048 are allowed";
  }
  for (const char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
      return std::string(name) + " contains a space or control character";
    }
  }
  return {};
}

}  // namespace ivsrt::tokens::rules
