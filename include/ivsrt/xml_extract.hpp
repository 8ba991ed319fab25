// A small, strict XML reader for AWS query-protocol responses (STS): it returns the text of the
// few elements the caller names by path, and refuses anything that is not plain well-formed XML.
// No DTDs (so no entity expansion), bounded nesting and name length, one root, matching tags,
// only the five predefined entities and character references. Errors give a byte offset and
// never quote the document, which may hold secrets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/uri.hpp"

namespace ivsrt::xml {

inline constexpr std::size_t max_depth = 32;
inline constexpr std::size_t max_name_length = 256;

// The texts of the wanted elements, index for index with the paths asked for. Wiped on
// destruction, since they may be credentials.
class texts {
 public:
  texts() = default;
  explicit texts(std::size_t n) : values_(n) {}
  texts(const texts&) = delete;
  texts& operator=(const texts&) = delete;
  texts(texts&&) noexcept = default;
  texts& operator=(texts&&) noexcept = default;
  ~texts() {
    for (auto& v : values_) {
      if (v) wipe(*v);
    }
  }

  // The text of path i, or nullptr when the element was absent.
  [[nodiscard]] const std::string* get(std::size_t i) const noexcept {
    return i < values_.size() && values_[i] ? &*values_[i] : nullptr;
  }
  // The text of path i, or "" when absent.
  [[nodiscard]] std::string_view view(std::size_t i) const noexcept {
    const std::string* s = get(i);
    return s != nullptr ? std::string_view(*s) : std::string_view();
  }

 private:
  friend class parser;
  std::vector<std::optional<std::string>> values_;
};

class parser {
 public:
  parser(std::string_view doc, const std::vector<std::string_view>& paths) : doc_(doc), paths_(paths) {}
  parser(const parser&) = delete;
  parser& operator=(const parser&) = delete;
  ~parser() {
    for (auto& p : pending_) wipe(p);
  }

  result<texts> run() {
    texts out(paths_.size());
    pending_.resize(paths_.size());
    if (doc_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    while (pos_ < doc_.size()) {
      if (doc_[pos_] != '<') {
        if (!character_data()) return failure();
        continue;
      }
      const std::string_view rest = doc_.substr(pos_);
      if (rest.substr(0, 2) == "<?") {
        if (!skip_past("?>")) return fail("unterminated processing instruction");
      } else if (rest.substr(0, 4) == "<!--") {
        pos_ += 4;
        if (!skip_past("-->")) return fail("unterminated comment");
      } else if (rest.substr(0, 9) == "<![CDATA[") {
        if (open_.empty()) return fail("CDATA outside the root element");
        pos_ += 9;
        const std::size_t end = doc_.find("]]>", pos_);
        if (end == std::string_view::npos) return fail("unterminated CDATA section");
        if (!check_chars(doc_.substr(pos_, end - pos_))) return failure();
        if (open_.back().target >= 0) target_text().append(doc_.substr(pos_, end - pos_));
        pos_ = end + 3;
      } else if (rest.substr(0, 2) == "<!") {
        return fail("DOCTYPE and other declarations are not accepted");
      } else if (rest.substr(0, 2) == "</") {
        if (!end_tag(out)) return failure();
      } else {
        if (!start_tag(out)) return failure();
      }
    }
    if (!open_.empty()) return fail("the document ends inside an element");
    if (!root_seen_) return fail("no root element");
    return out;
  }

 private:
  struct open_element {
    std::string_view name;
    std::size_t path_length;  // of the parent's path
    int target;               // index into paths_, or -1
  };

  static constexpr bool name_start(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || c >= 0x80;
  }
  static constexpr bool name_char(unsigned char c) noexcept {
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
  }
  static constexpr bool space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  result<texts> fail(const char* why) {
    reason_ = why;
    return failure();
  }
  [[nodiscard]] error failure() const {
    return make_error(error_kind::parse, "MalformedXml",
                      "malformed XML at byte " + std::to_string(pos_) + ": " + reason_);
  }
  bool bad(const char* why) {
    reason_ = why;
    return false;
  }

  bool skip_past(std::string_view terminator) {
    const std::size_t end = doc_.find(terminator, pos_);
    if (end == std::string_view::npos) return false;
    pos_ = end + terminator.size();
    return true;
  }

  void skip_space() {
    while (pos_ < doc_.size() && space(doc_[pos_])) ++pos_;
  }

  bool check_chars(std::string_view s) {
    for (char c : s) {
      const auto b = static_cast<unsigned char>(c);
      if (b < 0x20 && c != '\t' && c != '\n' && c != '\r') return bad("control character");
    }
    return true;
  }

  bool name(std::string_view& out) {
    const std::size_t start = pos_;
    if (pos_ >= doc_.size() || !name_start(static_cast<unsigned char>(doc_[pos_]))) {
      return bad("expected a name");
    }
    while (pos_ < doc_.size() && name_char(static_cast<unsigned char>(doc_[pos_]))) ++pos_;
    if (pos_ - start > max_name_length) return bad("name too long");
    out = doc_.substr(start, pos_ - start);
    return true;
  }

  bool start_tag(texts& out) {
    if (root_closed_) return bad("content after the root element");
    if (open_.size() >= max_depth) return bad("elements nested too deeply");
    ++pos_;
    std::string_view element;
    if (!name(element)) return false;
    while (true) {
      const bool had_space = pos_ < doc_.size() && space(doc_[pos_]);
      skip_space();
      if (pos_ >= doc_.size()) return bad("unterminated start tag");
      if (doc_[pos_] == '>') {
        ++pos_;
        open(element);
        return true;
      }
      if (doc_.substr(pos_, 2) == "/>") {
        pos_ += 2;
        open(element);
        return close(out);
      }
      if (!had_space) return bad("expected whitespace between attributes");
      std::string_view attribute;
      if (!name(attribute)) return false;
      skip_space();
      if (pos_ >= doc_.size() || doc_[pos_] != '=') return bad("expected '=' after an attribute name");
      ++pos_;
      skip_space();
      if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) {
        return bad("attribute values must be quoted");
      }
      const char quote = doc_[pos_++];
      const std::size_t end = doc_.find(quote, pos_);
      if (end == std::string_view::npos) return bad("unterminated attribute value");
      const std::string_view value = doc_.substr(pos_, end - pos_);
      if (value.find('<') != std::string_view::npos) return bad("'<' in an attribute value");
      std::string ignored;
      if (!decode(value, ignored, false)) return false;
      pos_ = end + 1;
    }
  }

  void open(std::string_view element) {
    root_seen_ = true;
    const std::size_t parent_length = path_.size();
    if (!path_.empty()) path_ += '/';
    path_.append(element);
    int target = -1;
    for (std::size_t i = 0; i < paths_.size(); ++i) {
      if (paths_[i] == path_) target = static_cast<int>(i);
    }
    open_.push_back({element, parent_length, target});
    if (target >= 0) wipe(pending_[static_cast<std::size_t>(target)]);
  }

  std::string& target_text() { return pending_[static_cast<std::size_t>(open_.back().target)]; }

  bool close(texts& out) {
    const open_element top = open_.back();
    if (top.target >= 0) {
      const auto i = static_cast<std::size_t>(top.target);
      if (out.values_[i]) return bad("an element the reader needs appears more than once");
      out.values_[i] = pending_[i];
      wipe(pending_[i]);
    }
    path_.resize(top.path_length);
    open_.pop_back();
    if (open_.empty()) root_closed_ = true;
    return true;
  }

  bool end_tag(texts& out) {
    pos_ += 2;
    std::string_view element;
    if (!name(element)) return false;
    skip_space();
    if (pos_ >= doc_.size() || doc_[pos_] != '>') return bad("expected '>' to end the end tag");
    ++pos_;
    if (open_.empty()) return bad("end tag without a start tag");
    if (open_.back().name != element) return bad("end tag does not match the start tag");
    return close(out);
  }

  bool character_data() {
    std::size_t end = doc_.find('<', pos_);
    if (end == std::string_view::npos) end = doc_.size();
    const std::string_view run = doc_.substr(pos_, end - pos_);
    if (open_.empty()) {
      for (char c : run) {
        if (!space(c)) return bad("text outside the root element");
      }
      pos_ = end;
      return true;
    }
    const bool keep = open_.back().target >= 0;
    std::string decoded;
    if (!decode(run, keep ? target_text() : decoded, true)) return false;
    pos_ = end;
    return true;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // The character of one of the five predefined entities, or '\0'.
  static constexpr char predefined(std::string_view name) noexcept {
    if (name == "lt") return '<';
    if (name == "gt") return '>';
    if (name == "amp") return '&';
    if (name == "quot") return '"';
    if (name == "apos") return '\'';
    return '\0';
  }

  // Appends s to out with entity and character references replaced.
  bool decode(std::string_view s, std::string& out, bool is_text) {
    if (!check_chars(s)) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '&') {
        if (is_text && s[i] == '>' && i >= 2 && s[i - 1] == ']' && s[i - 2] == ']') {
          return bad("']]>' in text");
        }
        out += s[i];
        continue;
      }
      const std::size_t semi = s.find(';', i);
      if (semi == std::string_view::npos || semi - i > 12) return bad("malformed entity reference");
      const std::string_view ref = s.substr(i + 1, semi - i - 1);
      if (const char entity = predefined(ref); entity != '\0') {
        out += entity;
      } else if (ref.size() >= 2 && ref[0] == '#') {
        const bool hex = ref[1] == 'x';
        const std::string_view digits = ref.substr(hex ? 2 : 1);
        if (digits.empty() || digits.size() > 8) return bad("malformed character reference");
        std::uint32_t cp = 0;
        for (char c : digits) {
          const int d = hex ? uri::hex_value(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
          if (d < 0) return bad("malformed character reference");
          cp = cp * (hex ? 16U : 10U) + static_cast<std::uint32_t>(d);
        }
        const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                             (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
        if (!allowed) return bad("character reference to a character XML does not allow");
        append_utf8(out, cp);
      } else {
        return bad("unknown entity (only the five predefined entities are accepted)");
      }
      i = semi;
    }
    return true;
  }

  std::string_view doc_;
  const std::vector<std::string_view>& paths_;
  std::size_t pos_ = 0;
  std::vector<open_element> open_;
  std::string path_;
  std::vector<std::string> pending_;  // text of each wanted element while it is open
  bool root_seen_ = false;
  bool root_closed_ = false;
  const char* reason_ = "";
};

// The texts of the elements at `paths` (slash-separated element names from the root, e.g.
// "ErrorResponse/Error/Code"). An element asked for that appears twice is an error.
inline result<texts> extract(std::string_view document, const std::vector<std::string_view>& paths) {
  return parser(document, paths).run();
}

}  // namespace ivsrt::xml
