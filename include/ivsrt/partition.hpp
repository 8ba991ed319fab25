// aws.partition: which AWS partition a region belongs to — a region listed by name first, then
// one matching a partition's region pattern, else the "aws" partition (as the rules engine
// specifies). The patterns are matched by a small matcher for the subset of regular expressions
// partitions.json uses (cmake/generate_endpoints.py refuses data outside it), so <regex> is not
// needed.
#pragma once

#include <string_view>

#include "ivsrt/partitions_data.hpp"

namespace ivsrt::endpoints {

namespace detail {

constexpr bool in_class(char cls, char c) noexcept {
  const bool digit = c >= '0' && c <= '9';
  if (cls == 'd') return digit;
  return digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';  // \w
}

// One atom at the start of a pattern: a literal, an escape (\w, \d or escaped punctuation) or a
// group of literal alternatives.
struct atom {
  std::string_view text;
  bool is_group = false;
};

constexpr atom next_atom(std::string_view re) noexcept {
  if (re.front() == '(') return {re.substr(0, re.find(')') + 1), true};
  if (re.front() == '\\') return {re.substr(0, 2), false};
  return {re.substr(0, 1), false};
}

// Whether a literal or escape atom matches character c.
constexpr bool single_matches(std::string_view atom_text, char c) noexcept {
  if (atom_text.size() == 2 && (atom_text[1] == 'w' || atom_text[1] == 'd')) return in_class(atom_text[1], c);
  return atom_text.back() == c;
}

// Backtracking match of pattern `re` (without anchors) against the whole of s.
constexpr bool match_here(std::string_view re, std::string_view s) noexcept {
  if (re.empty()) return s.empty();
  const atom a = next_atom(re);
  std::string_view rest = re.substr(a.text.size());
  if (a.is_group) {
    std::string_view alternatives = a.text.substr(1, a.text.size() - 2);
    while (true) {
      const std::size_t bar = alternatives.find('|');
      std::string_view alt = alternatives.substr(0, bar);
      std::string_view input = s;
      bool ok = true;
      while (!alt.empty() && ok) {
        const atom piece = next_atom(alt);
        ok = !input.empty() && single_matches(piece.text, input.front());
        if (ok) input.remove_prefix(1);
        alt.remove_prefix(piece.text.size());
      }
      if (ok && match_here(rest, input)) return true;
      if (bar == std::string_view::npos) return false;
      alternatives.remove_prefix(bar + 1);
    }
  }
  if (!rest.empty() && rest.front() == '+') {
    rest.remove_prefix(1);
    std::size_t n = 0;
    while (n < s.size() && single_matches(a.text, s[n])) ++n;
    for (; n >= 1; --n) {
      if (match_here(rest, s.substr(n))) return true;
    }
    return false;
  }
  return !s.empty() && single_matches(a.text, s.front()) && match_here(rest, s.substr(1));
}

}  // namespace detail

// True when region matches a partitions.json regionRegex ("^...$").
constexpr bool region_matches(std::string_view regex, std::string_view region) noexcept {
  if (regex.size() < 2 || regex.front() != '^' || regex.back() != '$') return false;
  return detail::match_here(regex.substr(1, regex.size() - 2), region);
}

constexpr const partition& aws_partition(std::string_view region) noexcept {
  for (const known_region& r : known_regions) {
    if (r.name == region) return partitions[r.partition];
  }
  for (const partition& p : partitions) {
    if (region_matches(p.region_regex, region)) return p;
  }
  return partitions[fallback_partition];
}

}  // namespace ivsrt::endpoints
