// One wire test for any operation: a request with every member set goes through client.send to a
// recording server, which must receive exactly what botocore's serializer produced for the same
// values; the server answers with a response that has every member set (and then one carrying
// members and enum values from the future), and the client must read it exactly as botocore's
// parser does. The known answers are tests/data/botocore_wire.json; the live variant reruns
// tests/support/botocore_wire.py and compares with what it prints.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

#include "catch.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/validate.hpp"
#include "model_compare.hpp"
#include "model_fill.hpp"
#include "recording_server.hpp"

namespace ivsrt_test {

// botocore's answers for every operation, keyed by operation name. Parsed in place: a DOM element
// points into its parser.
struct answer_set {
  bool ok = false;
  std::string why;  // when !ok
  dom::parser parser;
  dom::element operations;

  void parse(const std::string& text, const std::string& source) {
    dom::element root;
    if (parser.parse(text).get(root) != simdjson::SUCCESS ||
        root.at_key("operations").get(operations) != simdjson::SUCCESS) {
      why = source + " is not a botocore_wire.py document";
      return;
    }
    ok = true;
  }
};

inline const answer_set& known_answers() {
  static answer_set set;
  static const bool loaded = [] {
    const std::string path = std::string(IVSRT_TEST_SOURCE_DIR) + "/data/botocore_wire.json";
    simdjson::padded_string text;
    if (simdjson::padded_string::load(path).get(text) != simdjson::SUCCESS) {
      set.why = "cannot read " + path;
      return false;
    }
    set.parse(std::string(text.data(), text.size()), path);
    return set.ok;
  }();
  (void)loaded;
  return set;
}

// Runs the generator with the botocore installed on this machine. Not ok (and the live checks
// skip) when python3 or botocore is missing; any other failure of the script is an error.
inline const answer_set& live_answers() {
  static answer_set set;
  static const bool loaded = [] {
    const std::string command =
        "python3 '" + std::string(IVSRT_TEST_SOURCE_DIR) + "/support/botocore_wire.py' 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
      set.why = "cannot start python3";
      return false;
    }
    std::string text;
    char buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) text.append(buf, n);
    const int status = ::pclose(pipe);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 77 || code == 127) {
      set.why = "python3 with botocore is not installed";
      return false;
    }
    if (code != 0) {
      set.why = "botocore_wire.py failed (exit " + std::to_string(code) + "): " + text.substr(0, 2000);
      return false;
    }
    set.parse(text, "the output of botocore_wire.py");
    return set.ok;
  }();
  (void)loaded;
  return set;
}

inline const char* const wire_secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

inline ivsrt::client wire_client(const recording_server& server) {
  auto c = ivsrt::client::create({.region = "us-west-2",
                                  .endpoint_url = server.url(),
                                  .credentials = ivsrt::credentials{.access_key_id = "AKIDEXAMPLE",
                                                                    .secret_access_key = wire_secret_key,
                                                                    .session_token = {},
                                                                    .expiration = {},
                                                                    .account_id = {}}});
  REQUIRE(c.ok());
  return *c;
}

inline std::string json_string(dom::element e, const char* key) {
  std::string_view s;
  if (e.at_key(key).get_string().get(s) != simdjson::SUCCESS) return {};
  return std::string(s);
}

// The reply a recorded response describes: its headers (Content-Type added) and body.
inline reply reply_from(dom::element response) {
  reply r{.status = 200, .header_list = {{"Content-Type", "application/json"}}, .body = {}, .delay_ms = 0};
  dom::object fields;
  if (response.at_key("headers").get(fields) == simdjson::SUCCESS) {
    for (auto [name, value] : fields) r.header_list.emplace_back(name, value.get_string().value_unsafe());
  }
  r.body = json_string(response, "body");
  return r;
}

// The values of every sensitive member of v.
template <class V>
void collect_secrets(const V& v, std::vector<std::string>& out) {
  namespace kinds = ivsrt::kinds;
  if constexpr (kinds::optional<V>) {
    if (v.has_value()) collect_secrets(*v, out);
  } else if constexpr (kinds::secret<V>) {
    out.push_back(v.reveal());
  } else if constexpr (kinds::list<V>) {
    for (const auto& item : v) collect_secrets(item, out);
  } else if constexpr (kinds::map<V>) {
    for (const auto& [key, item] : v) collect_secrets(item, out);
  } else if constexpr (kinds::structure<V>) {
    ivsrt::reflect::for_each_member(
        v, [&](auto /*index*/, const auto& member) { collect_secrets(member, out); });
  }
}

inline std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

template <class Req>
void check_operation(const answer_set& answers) {
  using op = ivsrt::operation<Req>;
  using output = typename op::output;
  dom::element answer;
  INFO("operation " << op::name);
  REQUIRE(answers.operations.at_key(op::name).get(answer) == simdjson::SUCCESS);
  dom::element expected_request = answer.at_key("request").value_unsafe();

  const Req request = filled<Req>();
  const auto valid = ivsrt::validation::check(request);
  INFO((valid.ok() ? std::string() : valid.error().message));
  REQUIRE(valid.ok());

  recording_server server;
  const ivsrt::client client = wire_client(server);
  server.enqueue(reply_from(answer.at_key("response").value_unsafe()));
  auto out = client.send(request);
  INFO((out.ok() ? std::string() : out.error().describe()));
  REQUIRE(out.ok());

  // The request, as the server received it.
  const received got = server.last();
  REQUIRE(got.method == json_string(expected_request, "method"));
  REQUIRE(got.target == json_string(expected_request, "target"));
  const std::string content_type = json_string(expected_request, "content_type");
  if (content_type.empty()) {
    REQUIRE_FALSE(got.has_header("Content-Type"));
  } else {
    REQUIRE(got.header("Content-Type") == content_type);
  }
  const std::string body = json_string(expected_request, "body");
  if (body.empty()) {
    REQUIRE(got.body.empty());
  } else {
    INFO("sent:     " << got.body << "\nbotocore: " << body);
    const differences d = json_difference(got.body, body);
    INFO(join(d));
    REQUIRE(d.empty());
  }
  const std::string signature_problem = verify_sigv4(got, wire_secret_key, "us-west-2", "ivs");
  INFO(signature_problem);
  REQUIRE(signature_problem.empty());

  // The response, as botocore parsed it and as the fill rule built it.
  {
    const differences d = compare_with_json(*out, answer.at_key("response").at_key("parsed").value_unsafe());
    INFO(join(d));
    REQUIRE(d.empty());
    const differences e = compare_values(*out, filled<output>());
    INFO(join(e));
    REQUIRE(e.empty());
  }

  // Sensitive members never show in redacted output.
  std::vector<std::string> secrets;
  collect_secrets(*out, secrets);
  const auto shown = ivsrt::json::to_json(*out, {.redact_sensitive = true, .pretty = false});
  REQUIRE(shown.ok());
  REQUIRE(occurrences(*shown, ivsrt::redacted) == secrets.size());
  for (const auto& secret : secrets) {
    const std::string distinctive = secret.substr(0, secret.find(' '));
    REQUIRE(shown->find(distinctive) == std::string::npos);
  }

  // Members, structures and enum values the client does not know yet.
  server.enqueue(reply_from(answer.at_key("future_response").value_unsafe()));
  auto future = client.send(request);
  INFO((future.ok() ? std::string() : future.error().describe()));
  REQUIRE(future.ok());
  const differences f =
      compare_with_json(*future, answer.at_key("future_response").at_key("parsed").value_unsafe());
  INFO(join(f));
  REQUIRE(f.empty());

  // --dry-run shows the same request without sending it.
  const auto dry = client.dry_run(request);
  REQUIRE(dry.ok());
  REQUIRE(dry->method == got.method);
  REQUIRE(dry->url == server.url() + got.target);
  if (got.body.empty()) {
    REQUIRE(dry->body.empty());
  } else {
    const differences d = json_difference(dry->body, got.body);
    INFO(join(d));
    REQUIRE(d.empty());
  }

  // An idempotency token left unset is filled with a fresh UUID for every call.
  if constexpr (!op::idempotency_token.empty()) {
    constexpr std::size_t i = ivsrt::reflect::member_index<Req>(op::idempotency_token);
    Req without = request;
    ivsrt::reflect::get_member<i>(without).reset();
    std::string tokens[2];
    for (auto& token : tokens) {
      REQUIRE(client.send(without).ok());
      dom::parser parser;
      dom::element sent;
      REQUIRE(parser.parse(server.last().body).get(sent) == simdjson::SUCCESS);
      token = json_string(sent, std::string(op::idempotency_token).c_str());
      REQUIRE(token.size() == 36);
      REQUIRE(token[14] == '4');
    }
    REQUIRE(tokens[0] != tokens[1]);
    REQUIRE_FALSE(ivsrt::reflect::get_member<i>(without).has_value());
  }

  // A response with nothing in it.
  server.clear();
  server.enqueue(reply{
      .status = 200, .header_list = {{"Content-Type", "application/json"}}, .body = "{}", .delay_ms = 0});
  REQUIRE(client.send(request).ok());
  REQUIRE(server.count() == 1);
}

// Runs check_operation for every request type of List, against the checked-in answers and,
// where python3 and botocore are installed, against botocore run now.
template <class List>
void check_operations() {
  for_each_type(List{}, [&]<class Req>() {
    DYNAMIC_SECTION(ivsrt::operation<Req>::name << ", known answers") {
      const answer_set& known = known_answers();
      INFO(known.why);
      REQUIRE(known.ok);
      check_operation<Req>(known);
    }
    DYNAMIC_SECTION(ivsrt::operation<Req>::name << ", botocore now") {
      const answer_set& live = live_answers();
      if (!live.ok && live.why.find("not installed") != std::string::npos) IVSRT_SKIP(live.why);
      INFO(live.why);
      REQUIRE(live.ok);
      check_operation<Req>(live);
    }
  });
}

}  // namespace ivsrt_test
