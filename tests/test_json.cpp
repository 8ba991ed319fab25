// JSON both ways through reflection: every member kind, escaping, UTF-8, unknown members, nulls,
// enums the client does not know, and malformed input.
#include <cmath>
#include <cstdlib>
#include <limits>

#include "catch.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/model/participant.hpp"

namespace sample {
enum class color { red, dark_green };
constexpr auto enum_strings(color /*unused*/) noexcept {
  return std::array<std::string_view, 2>{"RED", "DARK_GREEN"};
}
struct inner {
  std::int32_t n{};
  ivsrt::optional<std::string> note{};
};
struct all_kinds {
  std::string text{};
  bool flag{};
  std::int32_t small{};
  std::int64_t big{};
  float ratio{};
  double precise{};
  ivsrt::optional<std::int32_t> maybe{};
  ivsrt::optional<std::vector<std::string>> names{};
  ivsrt::optional<std::map<std::string, std::string>> tags{};
  ivsrt::optional<std::vector<inner>> items{};
  inner nested{};
  ivsrt::optional<ivsrt::open_enum<color>> shade{};
  ivsrt::optional<ivsrt::timestamp> when{};
  ivsrt::optional<ivsrt::sensitive_string> secret{};
};
}  // namespace sample

using ivsrt::json::from_json;
using ivsrt::json::to_json;

TEST_CASE("every member kind round-trips", "[json]") {
  sample::all_kinds in{.text = "hello",
                       .flag = true,
                       .small = -2147483647 - 1,
                       .big = 9007199254740993LL,
                       .ratio = 29.97f,
                       .precise = 0.1,
                       .maybe = 0,
                       .names = {"a", "b"},
                       .tags = {{"k1", "v1"}, {"k2", ""}},
                       .items = {{.n = 1, .note = "x"}, {.n = 2, .note = {}}},
                       .nested = {.n = 42, .note = {}},
                       .shade = sample::color::dark_green,
                       .when = ivsrt::parse_timestamp("2025-01-02T03:04:05.678Z"),
                       .secret = "hunter2"};
  auto json = to_json(in);
  REQUIRE(json.ok());
  REQUIRE(
      *json ==
      R"({"text":"hello","flag":true,"small":-2147483648,"big":9007199254740993,"ratio":29.97,)"
      R"("precise":0.1,"maybe":0,"names":["a","b"],"tags":{"k1":"v1","k2":""},"items":[{"n":1,"note":"x"},)"
      R"({"n":2}],"nested":{"n":42},"shade":"DARK_GREEN","when":"2025-01-02T03:04:05.678Z","secret":"hunter2"})");
  sample::all_kinds out;
  REQUIRE(from_json(*json, out).ok());
  REQUIRE(out.text == "hello");
  REQUIRE(out.flag);
  REQUIRE(out.small == in.small);
  REQUIRE(out.big == 9007199254740993LL);
  REQUIRE(out.ratio == 29.97f);
  REQUIRE(out.precise == 0.1);
  REQUIRE(out.maybe == 0);
  REQUIRE(*out.names == std::vector<std::string>{"a", "b"});
  REQUIRE(out.tags->at("k2").empty());
  REQUIRE(out.items->at(1).n == 2);
  REQUIRE_FALSE(out.items->at(1).note.has_value());
  REQUIRE(out.nested.n == 42);
  REQUIRE(*out.shade == sample::color::dark_green);
  REQUIRE(out.when == in.when);
  REQUIRE(out.secret->reveal() == "hunter2");
}

TEST_CASE("absent optionals are not written; sensitive values can be redacted", "[json]") {
  sample::all_kinds in{.text = "", .secret = "hunter2"};
  auto plain = to_json(in);
  REQUIRE(plain.ok());
  REQUIRE(plain->find("maybe") == std::string::npos);
  REQUIRE(plain->find("names") == std::string::npos);
  auto redacted = to_json(in, {.redact_sensitive = true});
  REQUIRE(redacted->find("hunter2") == std::string::npos);
  REQUIRE(redacted->find(ivsrt::redacted) != std::string::npos);
}

TEST_CASE("strings are escaped on the way out and unescaped on the way in", "[json]") {
  sample::all_kinds in{
      .text = std::string("q\" b\\ s/ \n\r\t\b\f \x01\x1f \x7f caf\xc3\xa9 \xf0\x9f\x98\x80", 31)};
  auto json = to_json(in);
  REQUIRE(json.ok());
  REQUIRE(json->find(R"("q\" b\\ s/ \n\r\t\b\f \u0001\u001f )") != std::string::npos);
  sample::all_kinds out;
  REQUIRE(from_json(*json, out).ok());
  REQUIRE(out.text == in.text);

  sample::all_kinds esc;
  REQUIRE(from_json(R"({"text":"\u00e9\ud83d\ude00\/\u0041"})", esc).ok());
  REQUIRE(esc.text == "\xc3\xa9\xf0\x9f\x98\x80/A");
}

TEST_CASE("every ASCII byte at every position of a string round-trips", "[json]") {
  // The writer scans eight bytes at a time: put each byte value at each position of strings of
  // several lengths, across and inside word boundaries, next to bytes that need no escaping.
  for (std::size_t len = 1; len <= 19; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      for (int b = 0; b < 0x80; ++b) {
        sample::all_kinds in{.text = std::string(len, 'a')};
        in.text[at] = static_cast<char>(b);
        auto json = to_json(in);
        REQUIRE(json.ok());
        const bool escaped = b < 0x20 || b == '"' || b == '\\';
        const bool verbatim = json->find("\"text\":\"" + in.text + '"') != std::string::npos;
        if (escaped == verbatim) FAIL("byte " << b << " at " << at << " of " << len);
        sample::all_kinds out;
        if (!from_json(*json, out).ok() || out.text != in.text)
          FAIL("byte " << b << " at " << at << " of " << len);
      }
    }
  }
  // A byte of a multi-byte character anywhere in a word sends that word through the UTF-8 check.
  for (std::size_t at = 0; at < 17; ++at) {
    sample::all_kinds in{.text = std::string(at, 'a') + "\xc3\xa9" + std::string(16 - at, 'b')};
    auto json = to_json(in);
    REQUIRE(json.ok());
    sample::all_kinds out;
    REQUIRE(from_json(*json, out).ok());
    REQUIRE(out.text == in.text);
    in.text[at] = '\xff';
    REQUIRE_FALSE(to_json(in).ok());
  }
}

TEST_CASE("members are found whatever their order, escapes in their keys and near-miss names", "[json]") {
  sample::all_kinds out;
  // Reverse order, a key written with escapes, and unknown keys that are prefixes or extensions
  // of member names (or differ only in case) next to the members themselves.
  REQUIRE(from_json(R"({"shade":"RED","nested":{"note":"x","n":7},"big":9,"s\u006dall":3,"\u0074ext":"t",)"
                    R"("tex":1,"texts":2,"Text":3,"flag\"":4,"fla":5,"flag":true})",
                    out)
              .ok());
  CHECK(out.text == "t");
  CHECK(out.flag);
  CHECK(out.small == 3);
  CHECK(out.big == 9);
  CHECK(out.nested.n == 7);
  CHECK(out.nested.note == std::string("x"));
  CHECK(out.shade == sample::color::red);
  // A member given twice keeps the last value, as before.
  sample::all_kinds twice;
  REQUIRE(from_json(R"({"small":1,"big":2,"small":3})", twice).ok());
  CHECK(twice.small == 3);
  // A key that only starts like a member does not read into it.
  sample::all_kinds prefix;
  REQUIRE(from_json(R"({"smalle":"not a number"})", prefix).ok());
  CHECK(prefix.small == 0);
}

TEST_CASE("invalid UTF-8 is an error in both directions", "[json]") {
  for (std::string bad : {std::string("\xff"), std::string("\xc3\x28"), std::string("\xed\xa0\x80"),
                          std::string("\xc0\xaf"), std::string("abc\xe2\x82")}) {
    sample::all_kinds in{.text = bad};
    auto json = to_json(in);
    REQUIRE_FALSE(json.ok());
    REQUIRE(json.error().message.find("text") != std::string::npos);
    sample::all_kinds out;
    auto r = from_json("{\"text\":\"" + bad + "\"}", out);
    REQUIRE_FALSE(r.ok());
  }
  sample::all_kinds lone;
  REQUIRE_FALSE(from_json(R"({"text":"\ud800"})", lone).ok());
}

TEST_CASE("unknown members are skipped, null means absent", "[json]") {
  sample::all_kinds out;
  auto r = from_json(R"({"future":{"deep":[1,2.5,"x",{"y":null},true,[]]},"text":"t","maybe":null,)"
                     R"("names":null,"nested":{"n":3,"added":"later"},"alsoNew":[]})",
                     out);
  REQUIRE(r.ok());
  REQUIRE(out.text == "t");
  REQUIRE_FALSE(out.maybe.has_value());
  REQUIRE_FALSE(out.names.has_value());
  REQUIRE(out.nested.n == 3);
}

TEST_CASE("enum values the client does not know still parse and read back", "[json]") {
  sample::all_kinds out;
  REQUIRE(from_json(R"({"shade":"ULTRAVIOLET"})", out).ok());
  REQUIRE_FALSE(out.shade->known());
  REQUIRE(out.shade->str() == "ULTRAVIOLET");
  REQUIRE(*to_json(out) == R"({"text":"","flag":false,"small":0,"big":0,"ratio":0,"precise":0,)"
                           R"("nested":{"n":0},"shade":"ULTRAVIOLET"})");
}

TEST_CASE("documents nest up to max_depth levels", "[json]") {
  // `levels` nested objects in all, the root among them, under an unknown member.
  const auto nested = [](std::size_t levels) {
    std::string out = R"({"unknown":)";
    for (std::size_t i = 1; i < levels; ++i) out += R"({"a":)";
    out += "1";
    out += std::string(levels, '}');
    return out;
  };
  sample::all_kinds out;
  REQUIRE(from_json(nested(ivsrt::json::max_depth), out).ok());
  auto deeper = from_json(nested(ivsrt::json::max_depth + 1), out);
  REQUIRE_FALSE(deeper.ok());
  REQUIRE(deeper.error().code == "InvalidResponse");
  REQUIRE(deeper.error().message == "JSON nested too deeply");
}

TEST_CASE("the thread's parser lets go of the buffers of a large document", "[json]") {
  std::string big = R"({"text":")" + std::string(2 * ivsrt::json::kept_capacity, 'x') + R"("})";
  sample::all_kinds out;
  REQUIRE(from_json(big, out).ok());
  REQUIRE(out.text.size() == 2 * ivsrt::json::kept_capacity);
  REQUIRE(ivsrt::json::thread_parser().capacity() <= ivsrt::json::kept_capacity);
  REQUIRE(from_json(R"({"text":"small"})", out).ok());
  REQUIRE(out.text == "small");
  REQUIRE(ivsrt::json::thread_parser().capacity() > 0);
}

TEST_CASE("malformed JSON and wrong types are errors naming the member", "[json]") {
  sample::all_kinds out;
  const std::pair<const char*, const char*> cases[] = {
      {R"({"text":"a",})", "at byte offset 12: '}' where a member name in quotes belongs"},
      {R"({"text":"a"} {)", "at byte offset 13: more after the document's end"},
      {R"({"text":)", "at byte offset 8, in text: the document ends where a value belongs"},
      {R"([1,2])", "expected a JSON object"},
      {R"({"small":2147483648})", "small"},
      {R"({"small":1.5})", "small"},
      {R"({"big":"12"})", "big"},
      {R"({"flag":"true"})", "flag"},
      {R"({"names":"a"})", "names"},
      {R"({"items":[{"n":"x"}]})", "items[0].n"},
      {R"({"when":"yesterday"})", "when"},
      {R"({"unknown":[1,2,}]})", "in unknown[2]: '}' where a value belongs"},
      {R"({"unknown":tru})", "in unknown: not a JSON literal"},
      {R"({"items":[{"n":1},{"note":"a\qb"}]})", "at byte offset 28, in items[1].note: an unknown escape"},
      {R"({"ratio":1e40})", "ratio"},
  };
  for (const auto& [text, where] : cases) {
    INFO(text);
    auto r = from_json(text, out);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().message.find(where) != std::string::npos);
  }
  // A map key in the path is shown as a member name is: 64 bytes at most, unprintable bytes as '?'.
  auto r = from_json(R"({"tags":{")" + std::string(100, 'k') + R"(\u0001\n":5}})", out);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().message == "tags." + std::string(64, 'k') + "...: expected a string");
  r = from_json(R"({"tags":{"a\tb":5}})", out);
  REQUIRE(r.error().message == "tags.a?b: expected a string");
}

TEST_CASE("a syntax error is located by byte, member and cause, never quoting a value", "[json]") {
  using ivsrt::json::locate_syntax_error;
  struct located {
    std::string text;
    std::size_t offset;
    std::string path;
    std::string reason;
  };
  const located cases[] = {
      {"", 0, "", "the document is empty"},
      {" \t\r\n", 4, "", "the document is empty"},
      {R"({"a":{"b":[1,2,{"c":tx}]}})", 20, "a.b[2].c", "not a JSON literal (true, false or null)"},
      {R"([true1])", 1, "[0]", "not a JSON literal (true, false or null)"},
      {R"({"a":1 "b":2})", 7, "", "'\"' where ',' or '}' belongs"},
      {R"({"a" 1})", 5, "", "'1' where ':' belongs"},
      {R"({"a":[1})", 7, "a", "'}' where ',' or ']' belongs"},
      {"{\"a\":\"x\x01\"}", 7, "a", "an unescaped control character inside a string"},
      {R"({"a":"abc)", 9, "a", "the document ends inside a string"},
      {R"({"a":"\u12"})", 6, "a", "a \\u escape without four hex digits"},
      {R"(["\udc00"])", 2, "[0]", "a \\u escape of a lone low surrogate"},
      {"[\"\xed\xa0\x80\"]", 2, "[0]", "invalid UTF-8"},
      {"[\"\xf4\x90\x80\x80\"]", 2, "[0]", "invalid UTF-8"},
      {"[\"\xe2\x82\"]", 2, "[0]", "invalid UTF-8"},
      {R"({"n":01})", 5, "n", "not a JSON number"},
      {R"({"n":[1.]})", 6, "n[0]", "not a JSON number"},
      {R"({"n":-})", 5, "n", "not a JSON number"},
      // Member names are shown printable and at most 64 bytes long.
      {"{\"k\\u0041\xc3\xa9\":[x]}", 14,
       "k\\u0041?"
       "?[0]",
       "'x' where a value belongs"},
      {"{\"" + std::string(100, 'k') + "\":?}", 104, std::string(64, 'k') + "...",
       "'?' where a value belongs"},
  };
  simdjson::dom::parser parser;
  for (const auto& c : cases) {
    INFO(c.text);
    const auto where = locate_syntax_error(c.text, ivsrt::json::max_depth);
    REQUIRE(where.has_value());
    CHECK(where->offset == c.offset);
    CHECK(where->path == c.path);
    CHECK(where->reason == c.reason);
    simdjson::dom::element ignored;
    CHECK(parser.parse(c.text).get(ignored) != simdjson::SUCCESS);  // simdjson refuses it too
  }

  // What simdjson accepts, the walk passes: number edges, escapes, UTF-8, nesting.
  const std::string valid[] = {
      R"([18446744073709551615,-9223372036854775808,1e-400,123e-400,0.000001e309,-0,0.5E+3,1.7976931348623157e308])",
      R"({"s":"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","t":true,"f":false,"n":null,"o":{},"a":[]})",
      "[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]",
      std::string(64, '[') + std::string(64, ']'),
  };
  for (const auto& text : valid) {
    INFO(text);
    simdjson::dom::element ignored;
    REQUIRE(parser.parse(text).get(ignored) == simdjson::SUCCESS);
    CHECK_FALSE(locate_syntax_error(text, ivsrt::json::max_depth).has_value());
  }
  // Too deep to walk: simdjson's own error stands.
  CHECK_FALSE(locate_syntax_error(std::string(65, '[') + "x", ivsrt::json::max_depth).has_value());

  // A response with a broken participant token names the member, not the token.
  sample::all_kinds out;
  auto r = from_json(R"({"secret":"eyJhbGciOiJFUzM4NCJ9.c2VjcmV0\x"})", out);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "malformed JSON at byte offset 40, in secret: an unknown escape");
}

TEST_CASE("numbers too large for simdjson are valid JSON: skipped when unknown, refused by the member",
          "[json]") {
  const std::string wide[] = {"18446744073709551616",
                              "-9223372036854775809",
                              "1e400",
                              "10e308",
                              "-1e400",
                              "1e99999999999999999999",
                              "123456789012345678901234567890.5e3",
                              std::string(400, '9')};
  for (const auto& n : wide) {
    INFO(n);
    CHECK_FALSE(ivsrt::json::locate_syntax_error("[" + n + "]", ivsrt::json::max_depth).has_value());
    sample::all_kinds out;
    auto r =
        from_json(R"({"text":"kept","future":)" + n + R"(,"more":{"x":[)" + n + R"(,1]},"small":7})", out);
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
    CHECK(out.text == "kept");
    CHECK(out.small == 7);
    r = from_json(R"({"small":)" + n + "}", out);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "small: integer out of range for 32-bit member");
    r = from_json(R"({"ratio":)" + n + "}", out);
    if (std::isinf(std::strtod(n.c_str(), nullptr))) {
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().message == "ratio: number out of range");
    } else {  // an integer beyond 64 bits is a float member's value, as in JavaScript
      REQUIRE(r.ok());
      CHECK(out.ratio == static_cast<float>(std::strtod(n.c_str(), nullptr)));
    }
    r = from_json(R"({"text":)" + n + "}", out);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "text: expected a string");
  }
  sample::all_kinds big;
  REQUIRE_FALSE(from_json(R"({"big":-9223372036854775809})", big).ok());
  REQUIRE_FALSE(from_json(R"({"big":9223372036854775808})", big).ok());
  // A syntax error elsewhere is still named, not the number.
  sample::all_kinds out;
  auto r = from_json(R"({"future":1e400,"text":"a",})", out);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "malformed JSON at byte offset 27: '}' where a member name in quotes belongs");
}

TEST_CASE("non-finite floats use Smithy's string forms", "[json]") {
  sample::all_kinds in{.ratio = std::numeric_limits<float>::infinity(),
                       .precise = std::numeric_limits<double>::quiet_NaN()};
  auto json = to_json(in);
  REQUIRE(json->find(R"("ratio":"Infinity")") != std::string::npos);
  REQUIRE(json->find(R"("precise":"NaN")") != std::string::npos);
  sample::all_kinds out;
  REQUIRE(from_json(*json, out).ok());
  REQUIRE(std::isinf(out.ratio));
  REQUIRE(std::isnan(out.precise));
}

TEST_CASE("timestamps read as ISO 8601 strings or epoch seconds", "[json]") {
  sample::all_kinds out;
  REQUIRE(from_json(R"({"when":"2024-05-06T07:08:09+02:00"})", out).ok());
  REQUIRE(ivsrt::format_timestamp(*out.when) == "2024-05-06T05:08:09Z");
  REQUIRE(from_json(R"({"when":1714972089.5})", out).ok());
  REQUIRE(ivsrt::format_timestamp(*out.when) == "2024-05-06T05:08:09.5Z");
}

TEST_CASE("epoch seconds keep the digits written, not the binary double's", "[json]") {
  // Multiplying the double by 1e9 gave ...543.000999936 for the first.
  const std::pair<const char*, const char*> cases[] = {
      {"2720657543.001", "2056-03-19T02:12:23.001Z"},
      {"-1670377936.000001", "1917-01-25T22:07:43.999999Z"},
      {"1700000000.1234567", "2023-11-14T22:13:20.1234567Z"},
      {"1.123456789", "1970-01-01T00:00:01.123456789Z"},
      {"1700000000", "2023-11-14T22:13:20Z"},
      {"1.7e9", "2023-11-14T22:13:20Z"},
      {"0.0000000015", "1970-01-01T00:00:00.000000002Z"},
      {"1e-300", "1970-01-01T00:00:00Z"},
      {"-0.5", "1969-12-31T23:59:59.5Z"},
  };
  for (const auto& [number, when] : cases) {
    INFO(number);
    sample::all_kinds out;
    auto r = from_json(std::string(R"({"when":)") + number + "}", out);
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
    REQUIRE(ivsrt::format_timestamp(*out.when) == when);
  }
  sample::all_kinds out;
  REQUIRE_FALSE(from_json(R"({"when":1e300})", out).ok());
}

TEST_CASE("a float member takes every number that rounds to a finite float", "[json]") {
  sample::all_kinds out;
  // 3.4028235e38, the largest float as Java prints it, lies just above it and rounds to it.
  for (const char* n : {"3.4028235e38", "-3.4028235e38", "340282356779733623858607532500980858880"}) {
    INFO(n);
    auto r = from_json(std::string(R"({"ratio":)") + n + "}", out);
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
    CHECK(std::fabs(out.ratio) == std::numeric_limits<float>::max());
  }
  // Half a unit in the last place beyond the largest float, and more, round to infinity.
  for (const char* n : {"340282356779733661637539395458142568448", "3.4028236e38", "1e39", "-1e39"}) {
    INFO(n);
    auto r = from_json(std::string(R"({"ratio":)") + n + "}", out);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "ratio: number out of range");
  }
}

TEST_CASE("an integer member takes any JSON number with an integral value in its range", "[json]") {
  sample::all_kinds out;
  REQUIRE(from_json(R"({"small":1e3,"big":-2.5E2,"maybe":7.0})", out).ok());
  REQUIRE(out.small == 1000);
  REQUIRE(out.big == -250);
  REQUIRE(out.maybe == 7);
  REQUIRE(from_json(R"({"big":-9223372036854775808})", out).ok());
  REQUIRE(out.big == std::numeric_limits<std::int64_t>::min());
  const std::pair<const char*, const char*> refused[] = {
      {R"({"small":1.5})", "small: expected an integer"},
      {R"({"small":2147483648.0})", "small: integer out of range for 32-bit member"},
      {R"({"big":9223372036854775808})", "big: integer out of range for 64-bit member"},
      {R"({"big":1e19})", "big: integer out of range for 64-bit member"},
      {R"({"big":-1e300})", "big: integer out of range for 64-bit member"},
  };
  for (const auto& [text, why] : refused) {
    INFO(text);
    auto r = from_json(text, out);
    REQUIRE_FALSE(r.ok());
    INFO(r.error().message);
    REQUIRE(r.error().message.find(why) != std::string::npos);
  }
}

TEST_CASE("a model response with every kind of member parses", "[json]") {
  ivsrt::GetParticipantResponse out;
  auto r =
      from_json(R"({"participant":{"participantId":"p1","userId":"u","state":"CONNECTED",)"
                R"("firstJoinTime":"2024-01-01T00:00:00.000Z","attributes":{"a":"b"},"published":true,)"
                R"("ispName":"isp","osName":"linux","osVersion":"6","browserName":"b","browserVersion":"1",)"
                R"("sdkVersion":"1.2","recordingS3BucketName":"bkt","recordingS3Prefix":"pre",)"
                R"("recordingState":"ACTIVE","protocol":"WHIP","replicationType":"SOURCE",)"
                R"("replicationState":"ACTIVE","sourceStageArn":"arn:s","sourceSessionId":"st-1",)"
                R"("brandNewMember":{"x":1}}})",
                out);
  REQUIRE(r.ok());
  const auto& p = *out.participant;
  REQUIRE(p.participantId == "p1");
  REQUIRE(*p.state == ivsrt::ParticipantState::CONNECTED);
  REQUIRE(p.published == true);
  REQUIRE(*p.protocol == ivsrt::ParticipantProtocol::WHIP);
  REQUIRE(p.attributes->at("a") == "b");
  REQUIRE(ivsrt::format_timestamp(*p.firstJoinTime) == "2024-01-01T00:00:00Z");
}
