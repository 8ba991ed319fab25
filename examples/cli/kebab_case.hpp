// Command and flag names as the AWS CLI spells them: "CreateStage" -> "create-stage",
// "participantTokenConfigurations" -> "participant-token-configurations".
#pragma once

#include <string>
#include <string_view>

namespace ivsrt_cli {

namespace detail {
constexpr bool upper(char c) {
  return c >= 'A' && c <= 'Z';
}
constexpr bool lower(char c) {
  return c >= 'a' && c <= 'z';
}
constexpr bool digit(char c) {
  return c >= '0' && c <= '9';
}
}  // namespace detail

// The AWS CLI's rule, step by step: a trailing plural acronym ("ARNs") becomes one word; a
// separator goes before each capital that starts a lower-case word ("ABc" -> "A-Bc"), then
// between a lower-case letter or digit and the capital after it; everything is lower-cased.
inline std::string kebab_case(std::string_view name) {
  using namespace detail;
  if (name.find('-') != std::string_view::npos) return std::string(name);
  std::string s(name);
  if (s.size() >= 3 && s.back() == 's') {
    std::size_t start = s.size() - 1;
    while (start > 0 && upper(s[start - 1])) --start;
    if (s.size() - 1 - start >= 2) {
      for (std::size_t i = start; i < s.size(); ++i) {
        if (upper(s[i])) s[i] = static_cast<char>(s[i] - 'A' + 'a');
      }
      s.insert(start, "-");
    }
  }
  std::string words;
  for (std::size_t i = 0; i < s.size();) {
    if (i + 2 < s.size() && upper(s[i + 1]) && lower(s[i + 2])) {
      std::size_t end = i + 3;
      while (end < s.size() && lower(s[end])) ++end;
      words += s[i];
      words += '-';
      words.append(s, i + 1, end - i - 1);
      i = end;
    } else {
      words += s[i++];
    }
  }
  std::string out;
  for (std::size_t i = 0; i < words.size();) {
    const char c = words[i];
    if (i + 1 < words.size() && (lower(c) || digit(c)) && upper(words[i + 1])) {
      out += c;
      out += '-';
      out += words[i + 1];
      i += 2;
    } else {
      out += c;
      ++i;
    }
  }
  for (char& c : out) {
    if (upper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace ivsrt_cli
