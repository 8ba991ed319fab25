// A caller's odd input on the wire: control characters, reserved characters and non-ASCII text in
// values bound to the path, the query, headers and the body. Each is either refused before
// anything is sent, or arrives exactly as given — checked by decoding what the server received.
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "catch.hpp"
#include "fault_server.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/model/composition.hpp"
#include "ivsrt/model/stage.hpp"
#include "ivsrt/model/tags.hpp"
#include "recording_server.hpp"
#include "test_client.hpp"

using namespace ivsrt;
using ivsrt_test::fault_server;
using ivsrt_test::make_client;
using ivsrt_test::recording_server;
using ivsrt_test::require_signed;

namespace {

const char* const kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// Strings that break naive request building: CR/LF (header and request-line injection), NUL,
// reserved URI characters, a space, a plus, and UTF-8 of 2, 3 and 4 bytes.
const std::vector<std::string> kAwkward = {
    std::string("line\r\nX-Injected: yes"),
    std::string("nul\0inside", 10),
    "reserved &=?#/%:;+ and spaces",
    "%41 looks encoded",
    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\xa5",
    "tab\there, DEL\x7f, bell\a",
};

// Percent-decoding written for the test, independent of the library's.
std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Every byte outside RFC 3986's unreserved set must be escaped in a path segment or query value.
bool strictly_encoded(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) continue;
    if (c != '%' || i + 2 >= s.size() || std::isxdigit(static_cast<unsigned char>(s[i + 1])) == 0 ||
        std::isxdigit(static_cast<unsigned char>(s[i + 2])) == 0) {
      return false;
    }
    i += 2;
  }
  return true;
}

void require_no_injection(const ivsrt_test::received& r) {
  REQUIRE_FALSE(r.has_header("X-Injected"));
  for (const auto& [name, value] : r.header_list) {
    for (char c : name + value) REQUIRE(c != '\r');
    for (char c : name + value) REQUIRE(c != '\n');
  }
}

std::string json_string_member(const std::string& json, const char* name) {
  simdjson::dom::parser parser;
  std::string_view v;
  REQUIRE(parser.parse(json)[name].get_string().get(v) == simdjson::SUCCESS);
  return std::string(v);
}

}  // namespace

TEST_CASE("awkward strings in the path and the query arrive exactly, strictly encoded", "[input][wire]") {
  // The raw-socket server: cpp-httplib's routing cannot match paths that decode to CR or LF.
  fault_server server;
  auto c = make_client(server.url(), {.validate_requests = false});
  for (const std::string& value : kAwkward) {
    INFO(value);
    const std::string arn = "arn:aws:ivs:us-west-2:123456789012:stage/" + value;
    const auto sent = c.send(UntagResourceRequest{.resourceArn = arn, .tagKeys = {value, "plain"}});
    INFO((sent.ok() ? std::string() : sent.error().describe()));
    REQUIRE(sent.ok());
    const auto r = server.requests().back();
    require_no_injection(r);
    require_signed(r);
    REQUIRE(r.path.rfind("/tags/", 0) == 0);
    const std::string segment = r.path.substr(6);
    REQUIRE(strictly_encoded(segment));
    REQUIRE(percent_decode(segment) == arn);
    // tagKeys=<value>&tagKeys=plain, in either order
    std::vector<std::string> keys;
    std::size_t start = 0;
    while (start <= r.query.size()) {
      const std::size_t amp = std::min(r.query.find('&', start), r.query.size());
      const std::string pair = r.query.substr(start, amp - start);
      const std::size_t eq = pair.find('=');
      REQUIRE(eq != std::string::npos);
      REQUIRE(pair.substr(0, eq) == "tagKeys");
      REQUIRE(strictly_encoded(pair.substr(eq + 1)));
      keys.push_back(percent_decode(pair.substr(eq + 1)));
      start = amp + 1;
    }
    std::sort(keys.begin(), keys.end());
    std::vector<std::string> want = {value, "plain"};
    std::sort(want.begin(), want.end());
    REQUIRE(keys == want);
  }
}

TEST_CASE("awkward strings in the body arrive exactly as JSON", "[input][wire]") {
  recording_server server;
  auto c = make_client(server.url());
  for (const std::string& value : kAwkward) {
    INFO(value);
    server.clear();
    server.enqueue({});
    REQUIRE(c.send(TagResourceRequest{.resourceArn = "arn:aws:ivs:us-west-2:123456789012:stage/x",
                                      .tags = {{value, value}}})
                .ok());
    const auto r = server.last();
    require_no_injection(r);
    require_signed(r);
    simdjson::dom::parser parser;
    simdjson::dom::object tags;
    REQUIRE(parser.parse(r.body)["tags"].get_object().get(tags) == simdjson::SUCCESS);
    std::map<std::string, std::string> got;
    for (auto field : tags) {
      std::string_view text;
      REQUIRE(field.value.get_string().get(text) == simdjson::SUCCESS);
      got.emplace(std::string(field.key), std::string(text));
    }
    REQUIRE(got == std::map<std::string, std::string>{{value, value}});

    // An idempotency token is the caller's string too.
    server.clear();
    REQUIRE(c.send(StartCompositionRequest{
                       .stageArn = "arn:s",
                       .idempotencyToken = value.substr(0, 20),
                       .destinations = {DestinationConfiguration{
                           .channel = ChannelDestinationConfiguration{.channelArn = "arn:c"}}}})
                .ok());
    require_no_injection(server.last());
    REQUIRE(json_string_member(server.last().body, "idempotencyToken") == value.substr(0, 20));
  }
}

TEST_CASE("strings at the length limit in code points pass whole; one more is refused", "[input][wire]") {
  recording_server server;
  auto c = make_client(server.url());
  std::string name;
  for (int i = 0; i < 128; ++i) name += i % 2 == 0 ? "\xc3\xa9" : "\xf0\x9f\x8e\xa5";  // 2- and 4-byte
  const std::string key(128, 'k');
  const std::string value = std::string(255, 'v') + "\xe6\x97\xa5";
  REQUIRE(c.send(CreateStageRequest{.name = name, .tags = {{key, value}}}).ok());
  REQUIRE(json_string_member(server.last().body, "name") == name);
  REQUIRE(server.last().body.find(value) != std::string::npos);

  auto r = c.send(CreateStageRequest{.name = name + "x"});
  REQUIRE(r.error().kind == error_kind::validation);
  REQUIRE(r.error().message.find("name: 129 characters, more than the maximum of 128") != std::string::npos);
  r = c.send(CreateStageRequest{.name = "n", .tags = {{key + "k", "v"}}});
  REQUIRE(r.error().message.find("tags key") != std::string::npos);
  r = c.send(CreateStageRequest{.name = "n", .tags = {{"k", value + "v"}}});
  REQUIRE(r.error().message.find("tags.k: 257 characters") != std::string::npos);
  r = c.send(CreateStageRequest{.name = std::string("bad \xff utf-8")});
  REQUIRE(r.error().message.find("name: not valid UTF-8") != std::string::npos);
  REQUIRE(server.count() == 1);
}

TEST_CASE("control characters that would reach a header are refused or cleaned", "[input][wire]") {
  recording_server server;

  SECTION("the user agent suffix and app id keep to token characters") {
    auto c = make_client(server.url(), {.user_agent_suffix = "md/engine#5\r\nX-Injected: yes\0x",
                                        .app_id = "game\r\nX-Injected: yes"});
    REQUIRE(c.send(GetStageRequest{.arn = "a"}).ok());
    require_no_injection(server.last());
    require_signed(server.last());
    const std::string ua = server.last().header("User-Agent");
    REQUIRE(ua.find("md/engine#5--X-Injected:_yes") == std::string::npos);
    REQUIRE(ua.find("md/engine#5") != std::string::npos);
  }
  SECTION("credentials with CR, LF or NUL are refused before sending") {
    for (const std::string& bad : {std::string("AKID\r\nX-Injected: yes"), std::string("AKID\0", 5)}) {
      auto c = make_client(server.url(), {.credentials = credentials{.access_key_id = bad,
                                                                     .secret_access_key = kSecret,
                                                                     .session_token = {},
                                                                     .expiration = {},
                                                                     .account_id = {}}});
      auto r = c.send(GetStageRequest{.arn = "a"});
      REQUIRE(r.error().kind == error_kind::credentials);
      REQUIRE(r.error().code == "InvalidCredentials");
    }
    auto c =
        make_client(server.url(),
                    {.credentials = credentials{.access_key_id = "AKID",
                                                .secret_access_key = kSecret,
                                                .session_token = sensitive_string("tokSECRET\nX-Injected: 1"),
                                                .expiration = {},
                                                .account_id = {}}});
    auto r = c.send(GetStageRequest{.arn = "a"});
    REQUIRE(r.error().code == "InvalidCredentials");
    REQUIRE(r.error().message.find("tokSECRET") == std::string::npos);
    REQUIRE(server.count() == 0);
  }
  SECTION("endpoint URLs and regions with control characters fail client creation") {
    for (const std::string& url : {server.url() + "/\r\nX-Injected: yes", server.url() + "/a b",
                                   server.url() + std::string("\0", 1)}) {
      auto c = client::create({.region = "us-west-2",
                               .endpoint_url = url,
                               .credentials = credentials{.access_key_id = "A",
                                                          .secret_access_key = "S",
                                                          .session_token = {},
                                                          .expiration = {},
                                                          .account_id = {}}});
      REQUIRE_FALSE(c.ok());
      REQUIRE(c.error().kind == error_kind::configuration);
    }
    for (const std::string& region :
         {std::string("us-west-2\r\nX: y"), std::string("us west"), std::string("us-west-2/../x")}) {
      auto c = client::create({.region = region,
                               .endpoint_url = server.url(),
                               .credentials = credentials{.access_key_id = "A",
                                                          .secret_access_key = "S",
                                                          .session_token = {},
                                                          .expiration = {},
                                                          .account_id = {}}});
      INFO(region);
      REQUIRE_FALSE(c.ok());
      REQUIRE(c.error().kind == error_kind::configuration);
    }
    REQUIRE(server.count() == 0);
  }
}
