// Where a JSON document that simdjson refused goes wrong: the byte, the member path and what is
// wrong there. simdjson's DOM parser says only what kind of error it met, not where, so the
// reader walks the text once more, on the error path only, to name the member a bad response
// broke in. The walk reports only what simdjson also refuses; where it finds nothing, the caller
// keeps simdjson's own message. Numbers too large for simdjson are valid JSON, not errors: the
// reader rewrites them (with_numbers_in_range). Values are never quoted (they may be secrets);
// member names are, shortened and with unprintable bytes replaced.
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "ivsrt/json_padding.hpp"

namespace ivsrt::json {

struct syntax_error {
  std::size_t offset = 0;  // bytes from the start of the document
  std::string path;        // "stage.endpoints.whip", "participants[2]"; empty outside any member
  std::string reason;
};

namespace detail {

// A member name from a document as an error message shows it: its first 64 bytes, each byte that
// is not printable ASCII as '?', so that a hostile name can neither flood nor break a log line.
inline void append_shown_name(std::string& out, std::string_view name) {
  constexpr std::size_t longest = 64;
  for (std::size_t i = 0; i < name.size() && i < longest; ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    out += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
  }
  if (name.size() > longest) out += "...";
}

class syntax_walk {
 public:
  struct span {
    std::size_t offset;
    std::size_t size;
  };

  // Numbers simdjson cannot hold are valid JSON: with `wide`, the walk collects them there.
  syntax_walk(std::string_view text, std::size_t max_depth, std::vector<span>* wide = nullptr)
      : text_(text), max_depth_(max_depth), wide_(wide) {}

  std::optional<syntax_error> run() {
    skip_space();
    if (at_end()) {
      fail("the document is empty");
    } else if (value(1)) {
      skip_space();
      if (at_end()) return std::nullopt;
      fail("more after the document's end");
    }
    if (reason_ == nullptr) return std::nullopt;  // too deep to walk
    return describe();
  }

 private:
  struct segment {
    std::string_view name;  // a member name as written, between its quotes
    std::size_t index;      // an array element's, when in_array
    bool in_array;
  };

  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const noexcept { return text_[pos_]; }

  void skip_space() noexcept {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }

  // Records the error at the current byte, and returns false for the callers to pass up: they
  // leave path_ as it was, so it still leads to the error. With `at_byte`, the message starts
  // with the byte found there.
  bool fail(const char* reason, bool at_byte = false) noexcept {
    reason_ = reason;
    at_byte_ = at_byte;
    return false;
  }

  [[nodiscard]] syntax_error describe() const {
    syntax_error e;
    e.offset = pos_;
    for (const segment& s : path_) {
      if (s.in_array) {
        e.path.append("[").append(std::to_string(s.index)).append("]");
        continue;
      }
      if (!e.path.empty()) e.path += '.';
      append_shown_name(e.path, s.name);
    }
    if (at_byte_) {
      // The byte itself when printable, else its code.
      const auto c = static_cast<unsigned char>(peek());
      constexpr char hex[] = "0123456789abcdef";
      const char shown[] = {'\'', static_cast<char>(c), '\'', '\0'};
      const char code[] = {'b', 'y', 't', 'e', ' ', '0', 'x', hex[c >> 4], hex[c & 15], '\0'};
      e.reason.append(c > 0x20 && c < 0x7f ? shown : code).append(" where ");
    }
    e.reason += reason_;
    return e;
  }

  bool value(std::size_t depth) {
    if (at_end()) return fail("the document ends where a value belongs");
    switch (peek()) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: break;
    }
    if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return number();
    return fail("a value belongs", true);
  }

  bool object(std::size_t depth) {
    if (depth > max_depth_) return false;  // simdjson's depth error stands
    ++pos_;
    skip_space();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      if (at_end()) return fail("the document ends inside an object");
      if (peek() != '"') return fail("a member name in quotes belongs", true);
      const std::size_t name_at = pos_ + 1;
      if (!string()) return false;
      const std::string_view name = text_.substr(name_at, pos_ - 1 - name_at);
      skip_space();
      if (at_end() || peek() != ':') {
        return fail(at_end() ? "the document ends after a member name" : "':' belongs", !at_end());
      }
      ++pos_;
      skip_space();
      path_.push_back({name, 0, false});
      if (!value(depth + 1)) return false;
      path_.pop_back();
      skip_space();
      if (at_end()) return fail("the document ends inside an object");
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      if (peek() != ',') return fail("',' or '}' belongs", true);
      ++pos_;
      skip_space();
    }
  }

  bool array(std::size_t depth) {
    if (depth > max_depth_) return false;
    ++pos_;
    skip_space();
    if (!at_end() && peek() == ']') {
      ++pos_;
      return true;
    }
    for (std::size_t i = 0;; ++i) {
      path_.push_back({{}, i, true});
      if (!value(depth + 1)) return false;
      path_.pop_back();
      skip_space();
      if (at_end()) return fail("the document ends inside an array");
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      if (peek() != ',') return fail("',' or ']' belongs", true);
      ++pos_;
      skip_space();
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      return fail("not a JSON literal (true, false or null)");
    }
    pos_ += word.size();
    // simdjson wants a literal followed by a separator, so "true1" is one bad atom.
    if (!at_end() && peek() != ',' && peek() != ']' && peek() != '}' && peek() != ' ' && peek() != '\t' &&
        peek() != '\n' && peek() != '\r') {
      pos_ -= word.size();
      return fail("not a JSON literal (true, false or null)");
    }
    return true;
  }

  bool number() {
    const std::size_t start = pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
      return pos_ - from;
    };
    auto bad = [&] {
      pos_ = start;
      return fail("not a JSON number");
    };
    if (peek() == '-') ++pos_;
    const std::size_t int_at = pos_;
    const std::size_t int_digits = digits();
    if (int_digits == 0 || (int_digits > 1 && text_[int_at] == '0')) return bad();
    bool integer = true;
    if (!at_end() && peek() == '.') {
      ++pos_;
      integer = false;
      if (digits() == 0) return bad();
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      integer = false;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (digits() == 0) return bad();
    }
    if (wide_ == nullptr) return true;
    const std::string_view text = text_.substr(start, pos_ - start);
    if (integer ? !fits_64_bits(text) : overflows_double(text)) wide_->push_back({start, text.size()});
    return true;
  }

  // simdjson reads integers into 64 bits: from -2^63 up to 2^64 - 1.
  static bool fits_64_bits(std::string_view text) {
    if (text[0] == '-') {
      std::int64_t n = 0;
      return std::from_chars(text.data(), text.data() + text.size(), n).ec == std::errc();
    }
    std::uint64_t n = 0;
    return std::from_chars(text.data(), text.data() + text.size(), n).ec == std::errc();
  }

  // simdjson refuses a number that rounds to infinity, but reads one that underflows as zero;
  // from_chars reports both as out of range, so the decimal exponent tells them apart.
  static bool overflows_double(std::string_view text) {
    double d = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), d).ec != std::errc::result_out_of_range) {
      return false;
    }
    std::size_t i = text[0] == '-' ? 1 : 0;
    std::int64_t magnitude = 0;  // the power of ten of the leading non-zero digit, roughly
    bool seen = false;
    bool fraction = false;
    for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
      if (text[i] == '.') {
        fraction = true;
        continue;
      }
      if (!seen && text[i] == '0') {
        if (fraction) --magnitude;
        continue;
      }
      if (!seen) {
        seen = true;
        if (fraction) --magnitude;
        continue;
      }
      if (!fraction) ++magnitude;
    }
    std::int64_t exponent = 0;
    if (i < text.size()) {
      const char* from = text.data() + i + 1;
      if (*from == '+') ++from;
      if (std::from_chars(from, text.data() + text.size(), exponent).ec != std::errc()) {
        return from[0] != '-';  // an exponent beyond 64 bits: its sign decides
      }
    }
    return magnitude + exponent > 0;
  }

  bool string() {
    ++pos_;  // the opening quote
    while (!at_end()) {
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail("an unescaped control character inside a string");
      if (c == '\\') {
        if (!escape()) return false;
        continue;
      }
      if (c >= 0x80) {
        if (!utf8()) return false;
        continue;
      }
      ++pos_;
    }
    return fail("the document ends inside a string");
  }

  // A \u escape's four hex digits at `at`, or -1.
  [[nodiscard]] long hex4(std::size_t at) const {
    if (at + 4 > text_.size()) return -1;
    long v = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      const char h = text_[i];
      const int d = h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : -1;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  }

  bool escape() {
    if (pos_ + 1 >= text_.size()) {
      ++pos_;
      return fail("the document ends inside a string");
    }
    const char e = text_[pos_ + 1];
    if (e != 'u') {
      if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) return fail("an unknown escape");
      pos_ += 2;
      return true;
    }
    const long unit = hex4(pos_ + 2);
    if (unit < 0) return fail("a \\u escape without four hex digits");
    if (unit >= 0xdc00 && unit <= 0xdfff) return fail("a \\u escape of a lone low surrogate");
    if (unit >= 0xd800 && unit < 0xdc00) {
      const long low = text_.substr(pos_ + 6, 2) == "\\u" ? hex4(pos_ + 8) : -1;
      if (low < 0xdc00 || low > 0xdfff) return fail("a \\u escape of a high surrogate without its low one");
      pos_ += 12;
      return true;
    }
    pos_ += 6;
    return true;
  }

  // One multi-byte UTF-8 character at pos_: no overlong forms, no surrogates, nothing past U+10FFFF.
  bool utf8() {
    const auto b = [&](std::size_t i) {
      return pos_ + i < text_.size() ? static_cast<unsigned char>(text_[pos_ + i]) : 0u;
    };
    const unsigned lead = b(0);
    std::size_t length = 0;
    unsigned low = 0x80;
    unsigned high = 0xbf;  // the range of the second byte, which rules out overlong forms and the rest
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) low = 0xa0;
      if (lead == 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) low = 0x90;
      if (lead == 0xf4) high = 0x8f;
    } else {
      return fail("invalid UTF-8");
    }
    if (b(1) < low || b(1) > high) return fail("invalid UTF-8");
    for (std::size_t i = 2; i < length; ++i) {
      if (b(i) < 0x80 || b(i) > 0xbf) return fail("invalid UTF-8");
    }
    pos_ += length;
    return true;
  }

  std::string_view text_;
  std::size_t max_depth_;
  std::vector<span>* wide_;
  std::size_t pos_ = 0;
  std::vector<segment> path_;
  const char* reason_ = nullptr;
  bool at_byte_ = false;
};

}  // namespace detail

// `text` with each number that simdjson cannot hold written as one it can, or nothing when there
// is none or `text` has a syntax error. JSON numbers have no size limit and the AWS SDKs read any
// (a newer service's bigInteger or bigDecimal member may send one), so a member ivsrt skips must
// not fail the document for holding one. An integer beyond 64 bits becomes the nearest double,
// which an integer member still refuses as out of range; a number beyond the doubles becomes the
// largest double of its sign, which only a double member accepts.
inline std::optional<std::string> with_numbers_in_range(std::string_view text, std::size_t max_depth) {
  std::vector<detail::syntax_walk::span> wide;
  if (detail::syntax_walk(text, max_depth, &wide).run() || wide.empty()) return std::nullopt;
  std::string out;
  out.reserve(text.size() + wide.size() * 24 + padding);
  std::size_t copied = 0;
  for (const auto& w : wide) {
    out.append(text.substr(copied, w.offset - copied));
    const std::string_view number = text.substr(w.offset, w.size);
    double d = 0;
    if (std::from_chars(number.data(), number.data() + number.size(), d).ec != std::errc()) {
      d = number[0] == '-' ? std::numeric_limits<double>::lowest() : std::numeric_limits<double>::max();
    } else if (d == -0x1p63) {
      d = std::nextafter(d, std::numeric_limits<double>::lowest());  // below -2^63, as the number is
    }
    char buf[32];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific).ptr);
    copied = w.offset + w.size;
  }
  out.append(text.substr(copied));
  return out;
}

// The first error in `text` that simdjson's parser also refuses, or nothing when the walk finds
// none (as for a document nested more than max_depth levels deep, which simdjson reports itself).
inline std::optional<syntax_error> locate_syntax_error(std::string_view text, std::size_t max_depth) {
  return detail::syntax_walk(text, max_depth).run();
}

}  // namespace ivsrt::json
