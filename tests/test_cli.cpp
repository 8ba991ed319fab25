// ivsrt-cli as a process against a recording server on loopback: how flags of every kind become
// the request, --cli-input-json, REST bindings, pagination, --dry-run and --debug redaction,
// exit codes, help, and (where installed) agreement with botocore and the AWS CLI.
#include <openssl/evp.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "child_process.hpp"
#include "fault_server.hpp"
#include "recording_server.hpp"
#include "test_client.hpp"

using ivsrt_test::json_reply;
using ivsrt_test::process_result;
using ivsrt_test::raw_reply;
using ivsrt_test::recording_server;
using ivsrt_test::reply;
using ivsrt_test::require_signed;

namespace {

const std::string kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const std::string kSessionToken = "FQoGZXIvYXdzEXAMPLE-session-token-value";
const std::string kParticipantToken = "eyJhbGciOiJLTVMiLCJ0eXAiOiJKV1QifQ.participant-token-SECRET";
const std::string kArn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
const std::string kEncodedArnPath = "/tags/arn%3Aaws%3Aivs%3Aus-west-2%3A123456789012%3Astage%2FabcdABCD1234";

// Instance metadata is never asked (an EC2 machine would answer with its region and role).
std::vector<std::string> credentials_env() {
  return {"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=" + kSecret,
          "AWS_SESSION_TOKEN=" + kSessionToken, "AWS_EC2_METADATA_DISABLED=true"};
}

std::vector<std::string> default_env() {
  auto env = credentials_env();
  env.emplace_back("AWS_REGION=us-west-2");
  return env;
}

process_result cli(std::vector<std::string> args, const std::vector<std::string>& env = default_env()) {
  return ivsrt_test::run_process(IVSRT_CLI_PATH, args, env);
}

// Runs the CLI against `server`.
process_result call(const recording_server& server, std::vector<std::string> args,
                    const std::vector<std::string>& env = default_env()) {
  args.insert(args.begin(), {"--endpoint-url", server.url()});
  return cli(std::move(args), env);
}

void append_canonical(simdjson::dom::element e, std::string& out) {
  simdjson::dom::object object;
  simdjson::dom::array array;
  if (e.get_object().get(object) == simdjson::SUCCESS) {
    std::map<std::string, simdjson::dom::element> sorted;
    for (auto field : object) sorted.emplace(std::string(field.key), field.value);
    out += '{';
    for (const auto& [k, v] : sorted) {
      out += (out.back() == '{' ? "\"" : ",\"") + k + "\":";
      append_canonical(v, out);
    }
    out += '}';
  } else if (e.get_array().get(array) == simdjson::SUCCESS) {
    out += '[';
    bool first = true;
    for (auto item : array) {
      if (!first) out += ',';
      first = false;
      append_canonical(item, out);
    }
    out += ']';
  } else {
    out += simdjson::minify(e);
  }
}

// A JSON document with object members sorted, so documents compare regardless of member order.
std::string canonical(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) return "<not JSON: " + json + ">";
  std::string out;
  append_canonical(root, out);
  return out;
}

// The string values of member `field` of each object in the array `list` of a JSON document.
std::vector<std::string> fields_of(const std::string& json, const char* list, const char* field) {
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  std::vector<std::string> out;
  if (parser.parse(json)[list].get_array().get(items) != simdjson::SUCCESS)
    return {"<no " + std::string(list) + ">"};
  for (auto item : items) {
    std::string_view v;
    out.emplace_back(item[field].get_string().get(v) == simdjson::SUCCESS ? v : "<missing>");
  }
  return out;
}

// The string member `name` of a JSON document's root object, "" when absent.
std::string member_of(const std::string& json, const char* name) {
  simdjson::dom::parser parser;
  std::string_view v;
  return parser.parse(json)[name].get_string().get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
}

bool has_member(const std::string& json, const char* name) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  return parser.parse(json)[name].get(e) == simdjson::SUCCESS;
}

std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Three pages of a list operation whose items member is `items`, keyed by the nextToken the
// request carries ("" for none): items a, b, c | d, e | f.
void serve_pages(recording_server& server, const std::string& items = "stages") {
  const std::map<std::string, std::string> pages = {
      {"", R"({")" + items + R"(":[{"arn":"a"},{"arn":"b"},{"arn":"c"}],"nextToken":"t1"})"},
      {"t1", R"({")" + items + R"(":[{"arn":"d"},{"arn":"e"}],"nextToken":"t2"})"},
      {"t2", R"({")" + items + R"(":[{"arn":"f"}]})"}};
  server.set_handler([pages](const ivsrt_test::received& r) {
    simdjson::dom::parser parser;
    std::string_view token;
    if (parser.parse(r.body)["nextToken"].get_string().get(token) != simdjson::SUCCESS) token = "";
    const auto it = pages.find(std::string(token));
    return it == pages.end() ? json_reply(R"({"message":"bad token"})", 400) : json_reply(it->second);
  });
}

std::vector<std::string> tokens_sent(const recording_server& server) {
  std::vector<std::string> out;
  for (const auto& r : server.requests()) out.push_back(member_of(r.body, "nextToken"));
  return out;
}

using list = std::vector<std::string>;

// The environment for python3 and the AWS CLI: this process's PATH and HOME, no config files.
std::vector<std::string> tool_env() {
  std::vector<std::string> env = default_env();
  for (const char* name : {"PATH", "HOME", "PYENV_ROOT", "PYENV_VERSION"}) {
    const std::string v = ivsrt_test::environment_variable(name);
    if (!v.empty()) env.push_back(std::string(name) + "=" + v);
  }
  env.insert(env.end(),
             {"AWS_DEFAULT_REGION=us-west-2", "AWS_CONFIG_FILE=/nonexistent",
              "AWS_SHARED_CREDENTIALS_FILE=/nonexistent", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER="});
  return env;
}

std::string temp_file(const std::string& contents) {
  char path[] = "/tmp/ivsrt-cli-test-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()));
  close(fd);
  return path;
}

}  // namespace

TEST_CASE("cli: flags of every kind become members of the JSON body", "[cli][wire]") {
  recording_server server;

  SECTION("string, list of structures, map and structure") {
    const auto r = call(
        server,
        {"create-stage", "--name", "demo", "--participant-token-configurations",
         R"([{"duration": 60, "userId": "u1", "capabilities": ["PUBLISH"]}])", "--tags", R"({"team": "a"})",
         "--auto-participant-recording-configuration",
         R"({"storageConfigurationArn": "sc", "mediaTypes": ["AUDIO_ONLY"],)"
         R"( "recordParticipantReplicas": true, "hlsConfiguration": {"targetSegmentDurationSeconds": 4}})"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto req = server.last();
    REQUIRE(req.method == "POST");
    REQUIRE(req.target == "/CreateStage");
    REQUIRE(
        req.body ==
        R"({"name":"demo","participantTokenConfigurations":[{"duration":60,"userId":"u1","capabilities":["PUBLISH"]}],)"
        R"("tags":{"team":"a"},"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"sc",)"
        R"("mediaTypes":["AUDIO_ONLY"],"hlsConfiguration":{"targetSegmentDurationSeconds":4},"recordParticipantReplicas":true}})");
    require_signed(req);
  }

  SECTION("integer, map and a list of enum values given as several arguments") {
    const auto r =
        call(server, {"create-participant-token", "--stage-arn", kArn, "--duration", "60", "--user-id", "u1",
                      "--attributes", R"({"k": "v"})", "--capabilities", "PUBLISH", "SUBSCRIBE"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(
        server.last().body ==
        R"({"stageArn":")" + kArn +
            R"(","duration":60,"userId":"u1","attributes":{"k":"v"},"capabilities":["PUBLISH","SUBSCRIBE"]})");
    require_signed(server.last());
  }

  SECTION("booleans on and off, enums") {
    const std::string stage = "--stage-arn=" + kArn;
    for (const auto& [flags, expected] :
         std::vector<std::pair<list, std::string>>{{{"--filter-by-published"}, "true"},
                                                   {{"--no-filter-by-published"}, "false"},
                                                   {{"--filter-by-published", "false"}, "false"},
                                                   {{"--filter-by-published=true"}, "true"}}) {
      list args = {"list-participants", stage,      "--session-id", "0123456789abcdef",
                   "--filter-by-state", "CONNECTED"};
      args.insert(args.end(), flags.begin(), flags.end());
      const auto r = call(server, args);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      REQUIRE(server.last().body == R"({"stageArn":")" + kArn +
                                        R"(","sessionId":"0123456789abcdef","filterByPublished":)" +
                                        expected + R"(,"filterByState":"CONNECTED"})");
      require_signed(server.last());
    }
    const auto r = call(server, {"create-ingest-configuration", "--ingest-protocol", "RTMPS",
                                 "--insecure-ingest", "--no-redundant-ingest"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(server.last().body ==
            R"({"ingestProtocol":"RTMPS","insecureIngest":true,"redundantIngest":false})");
  }

  SECTION("a float inside a structure") {
    const auto r =
        call(server, {"create-encoder-configuration", "--name", "enc", "--video",
                      R"({"width": 1280, "height": 720, "framerate": 29.97, "bitrate": 2500000})"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(canonical(server.last().body) ==
            canonical(
                R"({"name":"enc","video":{"width":1280,"height":720,"framerate":29.97,"bitrate":2500000}})"));
  }

  SECTION("values from files") {
    const std::string path = temp_file("-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n");
    const auto r =
        call(server, {"import-public-key", "--public-key-material", "file://" + path, "--name", "k"});
    std::remove(path.c_str());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(
        server.last().body ==
        R"({"publicKeyMaterial":"-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n","name":"k"})");
  }
}

TEST_CASE("cli: --cli-input-json inline and from a file, with flags overriding it", "[cli][wire]") {
  recording_server server;

  SECTION("inline") {
    const auto r = call(server, {"create-stage", "--cli-input-json",
                                 R"({"name": "from-json", "tags": {"a": "b"}})", "--name", "from-flag"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(server.last().body == R"({"name":"from-flag","tags":{"a":"b"}})");
    require_signed(server.last());
  }

  SECTION("file://, and required members given only in the JSON") {
    const std::string path = temp_file(
        R"({"stageArn": "s", "sessionId": "0123456789abcdef", "filterByUserId": "u", "maxResults": 7})");
    const auto r =
        call(server, {"list-participants", "--cli-input-json", "file://" + path, "--filter-by-user-id", "v"});
    std::remove(path.c_str());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // maxResults in the input names the page size: one call, as the AWS CLI v2 does.
    REQUIRE(server.count() == 1);
    REQUIRE(server.last().body ==
            R"({"stageArn":"s","sessionId":"0123456789abcdef","filterByUserId":"v","maxResults":7})");
  }

  SECTION("unknown members and type errors are refused") {
    auto r = call(server, {"create-stage", "--cli-input-json", R"({"nmae": "x"})"});
    REQUIRE(r.exit_code == 252);
    REQUIRE(r.err.find("Unknown parameter in input: \"nmae\"") != std::string::npos);
    r = call(server, {"create-stage", "--cli-input-json",
                      R"({"participantTokenConfigurations": [{"duration": "long"}]})"});
    REQUIRE(r.exit_code == 252);
    REQUIRE(r.err.find("participantTokenConfigurations[0].duration: expected an integer") !=
            std::string::npos);
    REQUIRE(server.count() == 0);
  }
}

TEST_CASE("cli: the tag commands use the REST bindings", "[cli][wire]") {
  recording_server server;
  auto r =
      call(server, {"tag-resource", "--resource-arn", kArn, "--tags", R"({"team": "a", "env": "prod"})"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.empty());  // an empty response prints nothing
  auto req = server.last();
  REQUIRE(req.method == "POST");
  REQUIRE(req.target == kEncodedArnPath);
  REQUIRE(req.body == R"({"tags":{"env":"prod","team":"a"}})");
  require_signed(req);

  r = call(server, {"untag-resource", "--resource-arn", kArn, "--tag-keys", "team", "env"});
  REQUIRE(r.exit_code == 0);
  req = server.last();
  REQUIRE(req.method == "DELETE");
  REQUIRE(req.target == kEncodedArnPath + "?tagKeys=team&tagKeys=env");
  REQUIRE(req.body.empty());
  require_signed(req);

  server.enqueue(json_reply(R"({"tags":{"team":"a"}})"));
  r = call(server, {"list-tags-for-resource", "--resource-arn", kArn});
  REQUIRE(r.exit_code == 0);
  req = server.last();
  REQUIRE(req.method == "GET");
  REQUIRE(req.target == kEncodedArnPath);
  REQUIRE(req.body.empty());
  require_signed(req);
  REQUIRE(canonical(r.out) == canonical(R"({"tags":{"team":"a"}})"));
}

TEST_CASE("cli: paginated commands merge every page; --no-paginate makes one call", "[cli][wire]") {
  recording_server server;
  serve_pages(server);

  SECTION("all pages") {
    const auto r = call(server, {"list-stages"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(fields_of(r.out, "stages", "arn") == list{"a", "b", "c", "d", "e", "f"});
    REQUIRE_FALSE(has_member(r.out, "nextToken"));
    REQUIRE_FALSE(has_member(r.out, "NextToken"));
    REQUIRE(tokens_sent(server) == list{"", "t1", "t2"});
    for (const auto& req : server.requests()) require_signed(req);
  }

  SECTION("--page-size sets maxResults on every call") {
    const auto r = call(server, {"list-stages", "--page-size", "2"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(server.count() == 3);
    for (const auto& req : server.requests())
      REQUIRE(req.body.find(R"("maxResults":2)") != std::string::npos);
  }

  SECTION("--no-paginate") {
    const auto r = call(server, {"--no-paginate", "list-stages"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(fields_of(r.out, "stages", "arn") == list{"a", "b", "c"});
    REQUIRE(member_of(r.out, "nextToken") == "t1");
    REQUIRE(server.count() == 1);
  }

  SECTION("--next-token makes one call from that page, as in the AWS CLI") {
    const auto r = call(server, {"list-stages", "--next-token", "t1"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(fields_of(r.out, "stages", "arn") == list{"d", "e"});
    REQUIRE(member_of(r.out, "nextToken") == "t2");
    REQUIRE(tokens_sent(server) == list{"t1"});
  }

  SECTION("a service that repeats a token cannot make the walk loop") {
    server.set_handler([](const ivsrt_test::received& /*r*/) {
      return json_reply(R"({"stages":[{"arn":"x"}],"nextToken":"again"})");
    });
    const auto r = call(server, {"list-stages"});
    REQUIRE(r.exit_code == 255);
    REQUIRE(r.err.find("DuplicatePaginationToken") != std::string::npos);
    REQUIRE(server.count() == 2);
  }

  SECTION("pagination options with --no-paginate are refused") {
    const auto r = call(server, {"list-stages", "--no-paginate", "--max-items", "1"});
    REQUIRE(r.exit_code == 252);
    REQUIRE(server.count() == 0);
  }
}

TEST_CASE("cli: --max-items prints a NextToken that --starting-token resumes from", "[cli][wire]") {
  recording_server server;
  serve_pages(server);

  SECTION("stopping inside a page") {
    auto r = call(server, {"list-stages", "--max-items", "4"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(fields_of(r.out, "stages", "arn") == list{"a", "b", "c", "d"});
    // The AWS CLI's format: the token of the page, and how many of its items were printed.
    const std::string next = member_of(r.out, "NextToken");
    REQUIRE(next == base64(R"({"nextToken": "t1", "boto_truncate_amount": 1})"));
    REQUIRE(tokens_sent(server) == list{"", "t1"});

    server.clear();
    r = call(server, {"list-stages", "--starting-token", next, "--max-items", "10"});
    REQUIRE(r.exit_code == 0);
    REQUIRE(fields_of(r.out, "stages", "arn") == list{"e", "f"});
    REQUIRE_FALSE(has_member(r.out, "NextToken"));
    REQUIRE(tokens_sent(server) == list{"t1", "t2"});

    // Resuming and stopping at the end of the same page gives the next page's token.
    r = call(server, {"list-stages", "--starting-token", next, "--max-items", "1"});
    REQUIRE(fields_of(r.out, "stages", "arn") == list{"e"});
    REQUIRE(member_of(r.out, "NextToken") == base64(R"({"nextToken": "t2"})"));
  }

  SECTION("stopping inside the first page, twice") {
    auto r = call(server, {"list-stages", "--max-items", "1"});
    REQUIRE(fields_of(r.out, "stages", "arn") == list{"a"});
    const std::string next = member_of(r.out, "NextToken");
    REQUIRE(next == base64(R"({"nextToken": null, "boto_truncate_amount": 1})"));
    r = call(server, {"list-stages", "--starting-token", next, "--max-items", "1"});
    REQUIRE(fields_of(r.out, "stages", "arn") == list{"b"});
    REQUIRE(member_of(r.out, "NextToken") == base64(R"({"nextToken": null, "boto_truncate_amount": 2})"));
  }

  SECTION("stopping at the end of a page") {
    const auto r = call(server, {"list-stages", "--max-items", "3"});
    REQUIRE(fields_of(r.out, "stages", "arn") == list{"a", "b", "c"});
    REQUIRE(member_of(r.out, "NextToken") == base64(R"({"nextToken": "t1"})"));
    REQUIRE(server.count() == 1);
  }

  SECTION("the AWS CLI reads our tokens and we read its") {
    // botocore paginates only ListPublicKeys, ListIngestConfigurations and ListParticipantReplicas.
    const std::string aws = ivsrt_test::find_in_path("aws");
    if (aws.empty()) IVSRT_SKIP("the AWS CLI is not installed");
    serve_pages(server, "publicKeys");
    const auto theirs = ivsrt_test::run_process(aws,
                                                {"ivs-realtime", "list-public-keys", "--max-items", "4",
                                                 "--endpoint-url", server.url(), "--output", "json"},
                                                tool_env());
    INFO(theirs.err);
    REQUIRE(theirs.exit_code == 0);
    const auto ours = call(server, {"list-public-keys", "--max-items", "4"});
    REQUIRE(member_of(ours.out, "NextToken") == member_of(theirs.out, "NextToken"));
    REQUIRE(fields_of(ours.out, "publicKeys", "arn") == fields_of(theirs.out, "publicKeys", "arn"));

    const auto resumed = ivsrt_test::run_process(
        aws,
        {"ivs-realtime", "list-public-keys", "--starting-token", member_of(ours.out, "NextToken"),
         "--endpoint-url", server.url(), "--output", "json"},
        tool_env());
    REQUIRE(fields_of(resumed.out, "publicKeys", "arn") == list{"e", "f"});
  }
}

TEST_CASE("cli: --dry-run sends nothing and redacts secrets", "[cli][wire]") {
  recording_server server;
  const auto r = call(server, {"create-stage", "--name", "demo", "--dry-run"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(server.count() == 0);
  REQUIRE(r.out.find("POST " + server.url() + "/CreateStage\n") == 0);
  REQUIRE(r.out.find("Signature=*** redacted ***") != std::string::npos);
  REQUIRE(r.out.find("X-Amz-Security-Token: *** redacted ***") != std::string::npos);
  REQUIRE(r.out.find(R"({"name":"demo"})") != std::string::npos);
  for (const std::string& secret : {kSecret, kSessionToken}) {
    REQUIRE(r.out.find(secret) == std::string::npos);
    REQUIRE(r.err.find(secret) == std::string::npos);
  }
}

TEST_CASE("cli: --debug explains the call on stderr and redacts secrets", "[cli][wire]") {
  recording_server server;
  server.enqueue(json_reply(R"({"participantToken":{"participantId":"p1","token":")" + kParticipantToken +
                            R"(","userId":"u1","duration":60}})"));
  const auto r =
      call(server, {"create-participant-token", "--stage-arn", kArn, "--user-id", "u1", "--debug"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.err.find("region us-west-2 (from AWS_REGION)") != std::string::npos);
  REQUIRE(r.err.find("endpoint " + server.url()) != std::string::npos);
  REQUIRE(r.err.find("credentials: environment variables AWS_ACCESS_KEY_ID") != std::string::npos);
  REQUIRE(r.err.find("POST " + server.url() + "/CreateParticipantToken") != std::string::npos);
  REQUIRE(r.err.find("Signature=*** redacted ***") != std::string::npos);
  REQUIRE(r.err.find("HTTP 200") != std::string::npos);
  for (const std::string& secret : {kSecret, kSessionToken, kParticipantToken}) {
    REQUIRE(r.err.find(secret) == std::string::npos);
  }
  // The token is what the call produced: the output shows it.
  simdjson::dom::parser parser;
  std::string_view token;
  REQUIRE(parser.parse(r.out)["participantToken"]["token"].get_string().get(token) == simdjson::SUCCESS);
  REQUIRE(token == kParticipantToken);
  require_signed(server.last());
}

TEST_CASE("cli: exit codes and error messages follow the AWS CLI", "[cli][wire]") {
  recording_server server;

  SECTION("252: bad command line or invalid input") {
    for (const list& args :
         {list{"get-stage", "--arn", "x", "--no-such-flag", "1"}, list{"create-stage", "--tags", R"({"a": )"},
          list{"create-stage", "--tags", R"({"a": "b"}, "name": "smuggled")"},
          list{"list-stages", "--max-results", "0"}, list{"list-stages", "--max-results", "many"},
          list{"get-stage"}, list{"no-such-command"}, list{"list-stages", "--output", "text"}}) {
      const auto r = call(server, args);
      INFO(args[0] << " " << (args.size() > 1 ? args[1] : "") << ": " << r.err);
      REQUIRE(r.exit_code == 252);
      REQUIRE_FALSE(r.err.empty());
    }
    REQUIRE(server.count() == 0);
    REQUIRE(call(server, {"get-stage"}).err.find("the following arguments are required: --arn") !=
            std::string::npos);
    REQUIRE(call(server, {"get-stage", "--arn", "x", "--bogus"}).err.find("Unknown options: --bogus") !=
            std::string::npos);
    REQUIRE(call(server, {"list-stages", "--max-results", "0"}).err.find("Parameter validation failed") !=
            std::string::npos);
  }

  SECTION("253: no region, no credentials") {
    auto r = call(server, {"list-stages"}, credentials_env());
    REQUIRE(r.exit_code == 253);
    REQUIRE(r.err.find("region") != std::string::npos);
    r = call(server, {"list-stages"}, {"AWS_REGION=us-west-2", "AWS_EC2_METADATA_DISABLED=true"});
    REQUIRE(r.exit_code == 253);
    REQUIRE(r.err.find("credentials") != std::string::npos);
    REQUIRE(server.count() == 0);
  }

  SECTION("254: an error from the service") {
    server.enqueue(
        reply{.status = 400,
              .header_list = {{"Content-Type", "application/json"},
                              {"x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/"}},
              .body = R"({"message":"Stage name is invalid"})",
              .delay_ms = 0});
    const auto r = call(server, {"create-stage", "--name", "x"});
    REQUIRE(r.exit_code == 254);
    REQUIRE(r.err ==
            "An error occurred (ValidationException) when calling the CreateStage operation: Stage name is "
            "invalid\n");
    REQUIRE(r.out.empty());
  }

  SECTION("255: connection refused, read timeout") {
    std::string url;
    {
      recording_server gone;
      url = gone.url();
    }
    auto r = cli({"get-stage", "--arn", "x", "--endpoint-url", url});
    INFO(r.err);
    REQUIRE(r.exit_code == 255);
    REQUIRE(r.err.find("connect_failed") != std::string::npos);

    // One attempt: a timed-out read is otherwise retried.
    auto env = default_env();
    env.emplace_back("AWS_MAX_ATTEMPTS=1");
    ivsrt_test::fault_server silent;  // reads the request and never answers
    silent.enqueue_raw(
        {.bytes = "", .chunk = 0, .chunk_delay_ms = 0, .then = raw_reply::ending::wait_for_peer});
    const auto start = std::chrono::steady_clock::now();
    r = cli({"--endpoint-url", silent.url(), "get-stage", "--arn", "x", "--cli-read-timeout", "1"}, env);
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(r.exit_code == 255);
    REQUIRE(r.err.find("(the read timeout)") != std::string::npos);
    REQUIRE(took < std::chrono::milliseconds(4000));
  }
}

TEST_CASE("cli: --ca-bundle trusts a private CA", "[cli][wire]") {
  const std::string openssl = ivsrt_test::find_in_path("openssl");
  if (openssl.empty()) IVSRT_SKIP("openssl is not installed");
  char dir_template[] = "/tmp/ivsrt-cli-tls-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const ivsrt_test::tls_files tls = ivsrt_test::loopback_certificate(openssl, dir);
  const std::string& cert = tls.cert_pem;
  const std::string& key = tls.key_pem;
  {
    recording_server server(tls);
    auto r = call(server, {"get-stage", "--arn", "x"});
    REQUIRE(r.exit_code == 255);
    REQUIRE(r.err.find("tls_failed") != std::string::npos);
    r = call(server, {"get-stage", "--arn", "x", "--ca-bundle", cert});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(server.count() == 1);
  }
  std::remove(cert.c_str());
  std::remove(key.c_str());
  rmdir(dir.c_str());
}

namespace {

// The command names listed by `ivsrt-cli help`.
std::vector<std::string> listed_commands() {
  const auto r = cli({"help"});
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> names;
  std::istringstream lines(r.out);
  std::string line;
  bool in_commands = false;
  while (std::getline(lines, line)) {
    if (line == "Commands:") {
      in_commands = true;
    } else if (line.empty()) {
      in_commands = false;
    } else if (in_commands) {
      std::istringstream words(line);
      std::string name;
      words >> name;
      names.push_back(name);
    }
  }
  return names;
}

}  // namespace

TEST_CASE("cli: help lists all 39 commands, and each command's flags", "[cli]") {
  const auto names = listed_commands();
  REQUIRE(names.size() == 39);
  REQUIRE(std::set<std::string>(names.begin(), names.end()).size() == 39);
  for (const char* name : {"create-stage", "list-tags-for-resource", "create-participant-token",
                           "start-participant-replication", "update-ingest-configuration"}) {
    REQUIRE(std::find(names.begin(), names.end(), name) != names.end());
  }
  const auto r = cli({"create-participant-token", "help"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("--stage-arn <string>  (required)") != std::string::npos);
  REQUIRE(r.out.find("--capabilities <PUBLISH|SUBSCRIBE> [<PUBLISH|SUBSCRIBE> ...]") != std::string::npos);
  REQUIRE(cli({"help", "list-stages"}).out.find("--max-items") != std::string::npos);
  REQUIRE(cli({"--help"}).exit_code == 0);
}

TEST_CASE("cli: commands that are not operations are dispatched and listed", "[cli]") {
  const auto help = cli({"help"});
  REQUIRE(help.out.find("Other commands:\n  create-key-pair ") != std::string::npos);
  REQUIRE(help.out.find("\n  mint-token ") != std::string::npos);
  auto r = cli({"help", "mint-token"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("usage: ivsrt-cli mint-token") != std::string::npos);

  char dir_template[] = "/tmp/ivsrt-cli-keys-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string key = dir + "/private.pem";
  const std::string pub = dir + "/public.pem";
  r = cli({"create-key-pair", "--private-key-file", key, "--public-key-file", pub});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("-----BEGIN PUBLIC KEY-----") != std::string::npos);
  REQUIRE(access(key.c_str(), R_OK) == 0);
  REQUIRE(cli({"create-key-pair", "--bogus"}).exit_code == 252);
  std::remove(key.c_str());
  std::remove(pub.c_str());
  rmdir(dir.c_str());
}

TEST_CASE("cli: --profile picks region and credentials from the shared files", "[cli][wire]") {
  char dir_template[] = "/tmp/ivsrt-cli-profile-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string config = dir + "/config";
  const std::string creds = dir + "/credentials";
  {
    std::ofstream(config) << "[default]\nregion = eu-west-1\n[profile stage-admin]\nregion = us-west-2\n";
    std::ofstream(creds) << "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = nope\n"
                            "[stage-admin]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = "
                         << kSecret << "\n";
  }
  const std::vector<std::string> env = {"AWS_CONFIG_FILE=" + config, "AWS_SHARED_CREDENTIALS_FILE=" + creds,
                                        "AWS_EC2_METADATA_DISABLED=true"};
  recording_server server;
  server.enqueue(json_reply(R"({"stage":{"arn":"a"}})"));
  const auto r = call(server, {"--profile", "stage-admin", "get-stage", "--arn", kArn}, env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(server.requests().size() == 1);
  require_signed(server.requests()[0]);
  REQUIRE(server.requests()[0].header("authorization").find("Credential=AKIDEXAMPLE/") != std::string::npos);

  const auto missing = call(server, {"--profile", "nobody", "get-stage", "--arn", kArn}, env);
  REQUIRE(missing.exit_code == 253);
  REQUIRE(missing.err.find("nobody") != std::string::npos);
  std::remove(config.c_str());
  std::remove(creds.c_str());
  rmdir(dir.c_str());
}

TEST_CASE("cli: --debug fetches failing credentials once, and reports their error", "[cli][wire]") {
  char dir_template[] = "/tmp/ivsrt-cli-debug-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string config = dir + "/config";
  const std::string runs = dir + "/runs";
  std::ofstream(config) << "[default]\nregion = us-west-2\ncredential_process = /bin/sh -c 'echo run >> "
                        << runs << "; echo no credentials here >&2; exit 3'\n";
  const std::vector<std::string> env = {"AWS_CONFIG_FILE=" + config,
                                        "AWS_SHARED_CREDENTIALS_FILE=" + dir + "/credentials",
                                        "AWS_EC2_METADATA_DISABLED=true"};
  recording_server server;
  for (const list& paging : {list{"get-stage", "--arn", kArn}, list{"list-stages"}}) {
    std::remove(runs.c_str());
    list args = paging;
    args.emplace_back("--debug");
    const auto r = call(server, args, env);
    INFO(paging[0] << ": " << r.err);
    REQUIRE(r.exit_code == 253);
    REQUIRE(r.err.find("no credentials here") != std::string::npos);
    std::ifstream counted(runs);
    std::string line;
    int n = 0;
    while (std::getline(counted, line)) ++n;
    REQUIRE(n == 1);
  }
  REQUIRE(server.count() == 0);
  std::remove(runs.c_str());
  std::remove(config.c_str());
  rmdir(dir.c_str());
}

TEST_CASE("cli: command and flag names agree with botocore's", "[cli]") {
  const std::string python = ivsrt_test::find_in_path("python3");
  if (python.empty()) IVSRT_SKIP("python3 is not installed");
  const auto expected = ivsrt_test::run_process(
      python,
      {"-c",
       "import botocore.session\n"
       "from botocore import xform_name\n"
       "m = botocore.session.get_session().get_service_model('ivs-realtime')\n"
       "for name in m.operation_names:\n"
       "    shape = m.operation_model(name).input_shape\n"
       "    members = list(shape.members) if shape else []\n"
       "    print(' '.join([xform_name(name, '-')] + [xform_name(x, '-') for x in members]))\n"},
      tool_env());
  if (expected.exit_code != 0) IVSRT_SKIP("botocore is not available: " + expected.err);
  std::istringstream lines(expected.out);
  std::string line;
  std::vector<std::string> commands;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string command;
    words >> command;
    commands.push_back(command);
    const auto help = cli({command, "help"});
    INFO(command << ": " << help.err);
    REQUIRE(help.exit_code == 0);
    for (std::string flag; words >> flag;) {
      INFO(flag);
      REQUIRE(help.out.find("\n  --" + flag + " ") != std::string::npos);
    }
  }
  auto listed = listed_commands();
  std::sort(commands.begin(), commands.end());
  REQUIRE(listed == commands);
}

TEST_CASE("cli: the AWS CLI sends the same requests for the same arguments", "[cli][wire]") {
  const std::string aws = ivsrt_test::find_in_path("aws");
  if (aws.empty()) IVSRT_SKIP("the AWS CLI is not installed");
  recording_server server;
  for (const list& args :
       {list{"create-stage", "--name", "demo", "--tags", R"({"team": "a"})",
             "--participant-token-configurations",
             R"([{"duration": 60, "capabilities": ["PUBLISH", "SUBSCRIBE"], "attributes": {"k": "v"}}])",
             "--auto-participant-recording-configuration",
             R"({"storageConfigurationArn": "sc", "thumbnailConfiguration": {"targetIntervalSeconds": 10}})"},
        list{"create-participant-token", "--stage-arn", kArn, "--duration", "60", "--capabilities", "PUBLISH",
             "SUBSCRIBE"},
        list{"untag-resource", "--resource-arn", kArn, "--tag-keys", "a", "b"},
        list{"create-ingest-configuration", "--ingest-protocol", "RTMPS", "--insecure-ingest", "--attributes",
             R"({"k": "v"})"},
        list{"delete-ingest-configuration", "--arn", "arn:x", "--no-force"},
        list{"create-encoder-configuration", "--video", R"({"width": 1280, "framerate": 29.97})"},
        list{"list-participants", "--stage-arn", kArn, "--session-id", "0123456789abcdef",
             "--filter-by-published", "--max-results", "5"},
        // An enum value neither client knows is sent all the same.
        list{"list-participants", "--stage-arn", kArn, "--session-id", "0123456789abcdef",
             "--filter-by-state", "SLEEPING"}}) {
    server.clear();
    list theirs_args = {"ivs-realtime"};
    theirs_args.insert(theirs_args.end(), args.begin(), args.end());
    theirs_args.insert(theirs_args.end(), {"--endpoint-url", server.url(), "--output", "json"});
    const auto theirs = ivsrt_test::run_process(aws, theirs_args, tool_env());
    const auto ours = call(server, args);
    INFO(args[0] << "\naws: " << theirs.err << "\nivsrt-cli: " << ours.err);
    REQUIRE(theirs.exit_code == 0);
    REQUIRE(ours.exit_code == 0);
    const auto sent = server.requests();
    REQUIRE(sent.size() == 2);
    REQUIRE(sent[1].method == sent[0].method);
    REQUIRE(sent[1].target == sent[0].target);
    REQUIRE(canonical(sent[1].body.empty() ? "{}" : sent[1].body) ==
            canonical(sent[0].body.empty() ? "{}" : sent[0].body));
    require_signed(sent[1]);
  }
}
