// Hostile and broken responses from a misbehaving loopback server: each must end the call with a
// clear error, never a crash or a hang, and the client must serve the next call normally.
#include <chrono>
#include <string>
#include <vector>

#include "catch.hpp"
#include "fault_server.hpp"
#include "hanging_port.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/model/encoder_configuration.hpp"
#include "ivsrt/model/participant_token.hpp"
#include "ivsrt/model/stage.hpp"
#include "ivsrt/modeled_error.hpp"

using namespace ivsrt;
using ivsrt_test::fault_server;
using ivsrt_test::raw_reply;
using ivsrt_test::reply;

namespace {

const char* const kArn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234";
using std::chrono::milliseconds;

// A client that makes one attempt per call, or `attempts` without waiting between them.
client make_client(const std::string& url, http::transport_options transport = {}, int attempts = 1) {
  auto c = client::create({.region = "us-west-2",
                           .endpoint_url = url,
                           .credentials = credentials{.access_key_id = "AKIDEXAMPLE",
                                                      .secret_access_key = "wJalrXUtnFEMI/K7MDENG",
                                                      .session_token = {},
                                                      .expiration = {},
                                                      .account_id = {}},
                           .transport = std::move(transport),
                           .retry = {.max_attempts = attempts, .sleep = [](std::chrono::nanoseconds) {}}});
  REQUIRE(c.ok());
  return *c;
}

client make_client(const fault_server& server, http::transport_options transport = {}, int attempts = 1) {
  return make_client(server.url(), std::move(transport), attempts);
}

// Queues bytes the server writes at once before closing the connection.
void enqueue_bytes(fault_server& server, std::string bytes) {
  server.enqueue_raw(
      {.bytes = std::move(bytes), .chunk = 0, .chunk_delay_ms = 0, .then = raw_reply::ending::close});
}

// Queues a GetStage answer for the stage "drip", written `chunk` bytes at a time, `delay_ms` apart.
void enqueue_drip(fault_server& server, std::size_t chunk, int delay_ms) {
  const std::string body = R"({"stage":{"arn":"drip"}})";
  server.enqueue_raw(
      {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body,
       .chunk = chunk,
       .chunk_delay_ms = delay_ms,
       .then = raw_reply::ending::close});
}

template <class F>
std::chrono::steady_clock::duration time_of(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::steady_clock::now() - start;
}

// libcurl looks at a stalled transfer about once a second: a read timeout fires within a second
// or so of its time, and not before it but for the few milliseconds of the coarse clock it is
// measured on. (libcurl's own low-speed check, on its own, took about six seconds more after a few
// bytes had arrived.)
void require_read_timeout_time(std::chrono::steady_clock::duration took, std::chrono::milliseconds limit) {
  INFO(std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  REQUIRE(took >= limit - std::chrono::milliseconds(20));
  REQUIRE(took < limit + std::chrono::milliseconds(2500));
}

reply body_reply(std::string body, int status = 200, std::string content_type = "application/json") {
  return reply{.status = status,
               .header_list = {{"Content-Type", std::move(content_type)}, {"x-amzn-RequestId", "req-9"}},
               .body = std::move(body),
               .delay_ms = 0};
}

// After a fault, the same client must complete an ordinary call.
void require_usable(const client& c, fault_server& server) {
  server.enqueue(body_reply(R"({"stage":{"arn":"after-the-fault"}})"));
  auto r = c.send(GetStageRequest{.arn = kArn});
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  REQUIRE(r->stage->arn == "after-the-fault");
}

struct expectation {
  error_kind kind;
  std::string code;
  std::string message_part;  // must appear in the error message
};

void require_error(const error& e, const expectation& want) {
  INFO(e.describe());
  REQUIRE(e.kind == want.kind);
  // "malformed JSON" shows either way: found while indexing (MalformedJson) or while reading.
  if (want.code == "MalformedJson") {
    REQUIRE((e.code == "MalformedJson" || e.code == "InvalidResponse"));
  } else {
    REQUIRE(e.code == want.code);
  }
  REQUIRE(e.message.find(want.message_part) != std::string::npos);
}

// A call to a server that stalls after the headers ends with a read timeout of 1 s, on time.
void require_read_timeout_of_1s(const client& c, fault_server& server, const call_options& call = {}) {
  server.enqueue_raw(raw_reply::stall_after_headers());
  const auto took = time_of([&] {
    auto r = c.send(GetStageRequest{.arn = kArn}, call);
    require_error(r.error(), {error_kind::transport, "timeout", "nothing was sent or received for 1000 ms"});
  });
  require_read_timeout_time(took, milliseconds(1000));
}

std::string nested(char open, char close, std::size_t depth) {
  return std::string(depth, open) + std::string(depth, close);
}

std::string nested_objects(std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += R"({"a":)";
  out += "1";
  out += std::string(depth, '}');
  return out;
}

}  // namespace

TEST_CASE("bad response bodies are parse errors naming what is wrong", "[faults][wire]") {
  struct bad_body {
    const char* what;
    std::string body;
    expectation want;
  };
  const std::vector<bad_body> cases = {
      {"truncated JSON",
       R"({"stage":{"arn":"a")",
       {error_kind::parse, "MalformedJson",
        "malformed JSON at byte offset 19, in stage: the document ends inside an object"}},
      {"not JSON at all",
       "stage=a",
       {error_kind::parse, "MalformedJson", "at byte offset 0: 's' where a value belongs"}},
      {"an array at the root",
       R"([{"arn":"a"}])",
       {error_kind::parse, "InvalidResponse", "expected a JSON object"}},
      {"a string where an object belongs",
       R"({"stage":"a"})",
       {error_kind::parse, "InvalidResponse", "stage: expected an object"}},
      {"a number where a string belongs",
       R"({"stage":{"arn":12}})",
       {error_kind::parse, "InvalidResponse", "stage.arn: expected a string"}},
      {"a map where a list belongs",
       R"({"stage":{"arn":"a","tags":["x"]}})",
       {error_kind::parse, "InvalidResponse", "stage.tags: expected an object"}},
      {"a map value of the wrong type",
       R"({"stage":{"arn":"a","tags":{"k":1}}})",
       {error_kind::parse, "InvalidResponse", "stage.tags.k: expected a string"}},
      {"data after the document",
       R"({"stage":{"arn":"a"}} {"stage":{}})",
       {error_kind::parse, "MalformedJson", "at byte offset 22: more after the document's end"}},
      {"invalid UTF-8 in a string",
       "{\"stage\":{\"arn\":\"a\xff\xfe\"}}",
       {error_kind::parse, "MalformedJson", "at byte offset 18, in stage.arn: invalid UTF-8"}},
      {"an overlong UTF-8 encoding",
       "{\"stage\":{\"arn\":\"\xc0\xaf\"}}",
       {error_kind::parse, "MalformedJson", "at byte offset 17, in stage.arn: invalid UTF-8"}},
      {"a lone surrogate escape",
       R"({"stage":{"arn":"\ud800"}})",
       {error_kind::parse, "MalformedJson",
        "in stage.arn: a \\u escape of a high surrogate without its low one"}},
      {"deep nesting in an unknown member",
       R"({"stage":{"arn":"a","x":)" + nested('[', ']', 100000) + "}}",
       {error_kind::parse, "InvalidResponse", "nested too deeply"}},
      {"deep nesting of objects",
       R"({"unknown":)" + nested_objects(100000) + "}",
       {error_kind::parse, "InvalidResponse", "nested too deeply"}},
      {"unbalanced nesting",
       R"({"unknown":)" + std::string(5000, '{') + "}",
       {error_kind::parse, "MalformedJson", "malformed JSON"}},
      {"deep nesting where a string belongs",
       R"({"stage":{"arn":)" + nested('[', ']', 100000) + "}}",
       {error_kind::parse, "InvalidResponse", "nested too deeply"}},
      {"a bad literal",
       R"({"stage":{"arn":"a","x":nul}})",
       {error_kind::parse, "MalformedJson", "at byte offset 24, in stage.x: not a JSON literal"}},
      {"a bare HTML page with status 200",
       "<html><body>Welcome to the hotel network</body></html>",
       {error_kind::parse, "MalformedJson", "malformed JSON at byte offset 0: '<' where a value belongs"}},
  };
  fault_server server;
  auto c = make_client(server);
  for (const auto& bad : cases) {
    INFO(bad.what);
    server.enqueue(body_reply(bad.body));
    auto r = c.send(GetStageRequest{.arn = kArn});
    REQUIRE_FALSE(r.ok());
    require_error(r.error(), bad.want);
    REQUIRE(r.error().request_id == "req-9");
    require_usable(c, server);
  }
}

TEST_CASE("numbers out of range and of the wrong type", "[faults][wire]") {
  fault_server server;
  auto c = make_client(server);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"participantToken":{"duration":3000000000}})", "integer out of range for 32-bit member"},
      {R"({"participantToken":{"duration":-3000000000}})", "integer out of range for 32-bit member"},
      {R"({"participantToken":{"duration":99999999999999999999999}})",
       "participantToken.duration: integer out of range for 32-bit member"},
      {R"({"participantToken":{"duration":1.5}})", "expected an integer"},
      {R"({"participantToken":{"duration":"60"}})", "expected an integer"},
      {R"({"participantToken":{"duration":true}})", "expected an integer"},
      {R"({"participantToken":{"expirationTime":"yesterday"}})", "not an ISO 8601 date-time"},
      {R"({"participantToken":{"expirationTime":1e300}})", "expected a timestamp"},
      {R"({"participantToken":{"capabilities":"PUBLISH"}})", "expected an array"},
  };
  for (const auto& [body, part] : cases) {
    INFO(body);
    server.enqueue(body_reply(body));
    auto r = c.send(CreateParticipantTokenRequest{.stageArn = kArn});
    REQUIRE_FALSE(r.ok());
    require_error(r.error(), {error_kind::parse, r.error().code, part});
    REQUIRE((r.error().code == "InvalidResponse" || r.error().code == "MalformedJson"));
    require_usable(c, server);
  }
  server.enqueue(body_reply(R"({"encoderConfiguration":{"arn":"e","video":{"framerate":1e39}}})"));
  auto r = c.send(GetEncoderConfigurationRequest{.arn = "e"});
  require_error(r.error(), {error_kind::parse, "InvalidResponse", "encoderConfiguration.video.framerate"});
  require_usable(c, server);
}

TEST_CASE("duplicate and unknown members", "[faults][wire]") {
  fault_server server;
  auto c = make_client(server);
  // The last of duplicate members wins, as in the JSON readers of the AWS SDKs.
  server.enqueue(body_reply(R"({"stage":{"arn":"first","name":"n","arn":"second"}})"));
  auto r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.ok());
  REQUIRE(r->stage->arn == "second");
  REQUIRE(r->stage->name == "n");
  // Members the model does not know are skipped, wherever they are.
  server.enqueue(body_reply(
      R"({"added":{"a":[1,2.5,{"b":null}],"c":"\u00e9"},"stage":{"newField":[true,false],"arn":"x",)"
      R"("tags":{"k":"v"},"endpoints":{"events":"e","future":"f"}},"also":-1})"));
  r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(r.ok());
  REQUIRE(r->stage->arn == "x");
  REQUIRE(r->stage->tags->at("k") == "v");
  REQUIRE(r->stage->endpoints->events == "e");
  require_usable(c, server);
}

TEST_CASE("error responses that are not AWS error documents", "[faults][wire]") {
  fault_server server;
  auto c = make_client(server);
  server.enqueue(body_reply("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", 502,
                            "text/html"));
  auto r = c.send(GetStageRequest{.arn = kArn});
  require_error(r.error(), {error_kind::service, "Http502", "not an AWS error document"});
  REQUIRE(r.error().http_status == 502);
  require_usable(c, server);

  server.enqueue(body_reply("", 504, "text/plain"));
  r = c.send(GetStageRequest{.arn = kArn});
  require_error(r.error(), {error_kind::service, "Http504", "HTTP 504"});
  require_usable(c, server);

  server.enqueue(body_reply(R"({"message":)" + nested('[', ']', 100000) + "}", 400));
  r = c.send(GetStageRequest{.arn = kArn});
  require_error(r.error(), {error_kind::service, "Http400", "not an AWS error document"});
  require_usable(c, server);

  server.enqueue(body_reply("{\"__type\":\"Validation\xff\",\"message\":\"m\"}", 400));
  r = c.send(GetStageRequest{.arn = kArn});
  require_error(r.error(), {error_kind::service, "Http400", "not an AWS error document"});
  require_usable(c, server);

  server.enqueue(body_reply(R"([{"message":"m","code":"ValidationException"}])", 400));
  r = c.send(GetStageRequest{.arn = kArn});
  require_error(r.error(), {error_kind::service, "Http400", "not an AWS error document"});
  require_usable(c, server);
}

TEST_CASE("error documents with members of unexpected types", "[faults][wire]") {
  fault_server server;
  auto c = make_client(server);
  // A member of another type counts as absent and the others are still read; of a repeated
  // member, the last counts, as in the SDKs' JSON readers.
  const struct {
    std::string body;
    int status;
    std::string code;
    std::string message;
  } cases[] = {
      {R"({"message":7,"code":"ValidationException"})", 400, "ValidationException", ""},
      {R"({"code":{"a":1},"Message":"m","message":null,"__type":"x#ConflictException"})", 409,
       "ConflictException", "m"},
      {R"({"message":["a"],"errorMessage":"e","Code":true})", 400, "Http400", "e"},
      {R"({"code":"First","message":"one","code":"Second","message":"two"})", 400, "Second", "two"},
  };
  for (const auto& k : cases) {
    server.enqueue(body_reply(k.body, k.status));
    auto r = c.send(GetStageRequest{.arn = kArn});
    INFO(k.body);
    REQUIRE(r.error().kind == error_kind::service);
    REQUIRE(r.error().code == k.code);
    REQUIRE(r.error().message == k.message);
    require_usable(c, server);
  }
}

TEST_CASE("an error code source with nothing left once cut gives way to the next", "[faults][wire]") {
  fault_server server;
  auto c = make_client(server);
  const struct {
    std::string header;  // x-amzn-ErrorType, when not empty
    std::string body;
    std::string code;
  } cases[] = {
      {":x", R"({"__type":"ConflictException"})", "ConflictException"},
      {"ns#", R"({"code":"ValidationException"})", "ValidationException"},
      {"", R"({"code":":","Code":"#","__type":"aws#ThrottlingException:more"})", "ThrottlingException"},
      {"#:", R"({"code":" "})", "Http400"},
  };
  for (const auto& k : cases) {
    reply r = body_reply(k.body, 400);
    if (!k.header.empty()) r.header_list.emplace_back("x-amzn-ErrorType", k.header);
    server.enqueue(r);
    auto result = c.send(GetStageRequest{.arn = kArn});
    INFO(k.header << " " << k.body);
    REQUIRE(result.error().kind == error_kind::service);
    REQUIRE(result.error().code == k.code);
    require_usable(c, server);
  }
}

TEST_CASE("a service error read as the model's error type", "[faults][wire]") {
  fault_server server;
  auto c = make_client(server);
  reply r = body_reply(R"({"message":"short","exceptionMessage":"arn is not a stage ARN","extra":[1]})", 400);
  r.header_list.emplace_back("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/");
  r.header_list.emplace_back("Cache-Control", "no-store");
  r.header_list.emplace_back("X-Frame-Options", "DENY");
  server.enqueue(r);
  auto result = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(result.error().code == "ValidationException");
  REQUIRE(result.error().message == "short");
  const auto v = modeled_error<ValidationException>(result.error());
  REQUIRE(v.has_value());
  REQUIRE(v->exceptionMessage == "arn is not a stage ARN");
  REQUIRE(v->cacheControl == "no-store");
  REQUIRE(v->xFrameOptions == "DENY");
  REQUIRE(v->xAmznErrorType == "ValidationException:http://internal.amazon.com/coral/");
  REQUIRE_FALSE(v->contentSecurityPolicy.has_value());
  // Another type, or an error that is not the service's, gives nothing.
  REQUIRE_FALSE(modeled_error<ConflictException>(result.error()).has_value());
  REQUIRE_FALSE(
      modeled_error<ValidationException>(make_error(error_kind::validation, "ValidationException", "m")));

  // An empty body still gives the headers; a body that is not the type's document gives nothing.
  reply empty = body_reply("", 404);
  empty.header_list.emplace_back("x-amzn-ErrorType", "ResourceNotFoundException");
  empty.header_list.emplace_back("Access-Control-Allow-Origin", "*");
  server.enqueue(empty);
  result = c.send(GetStageRequest{.arn = kArn});
  const auto missing = modeled_error<ResourceNotFoundException>(result.error());
  REQUIRE(missing.has_value());
  REQUIRE(missing->accessControlAllowOrigin == "*");
  REQUIRE_FALSE(missing->exceptionMessage.has_value());
  server.enqueue(body_reply(R"({"__type":"ConflictException","exceptionMessage":7})", 409));
  result = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(result.error().code == "ConflictException");
  REQUIRE_FALSE(modeled_error<ConflictException>(result.error()).has_value());
  require_usable(c, server);
}

TEST_CASE("a 200 with an empty body", "[faults][wire]") {
  fault_server server;
  auto c = make_client(server);
  SECTION("declared empty by Content-Length: 0 or chunking, it reads as {}, as the AWS SDKs read it") {
    server.enqueue(body_reply(""));
    auto r = c.send(GetStageRequest{.arn = kArn});
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    REQUIRE_FALSE(r->stage.has_value());
    enqueue_bytes(server,
                  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    auto list = c.send(ListStagesRequest{});
    INFO((list.ok() ? std::string() : list.error().describe()));
    REQUIRE(list.ok());
    REQUIRE(list->stages.empty());
  }
  SECTION("a 204 No Content, which has no body by definition, reads as {} as well, as in botocore") {
    enqueue_bytes(server, "HTTP/1.1 204 No Content\r\nx-amzn-RequestId: no-content\r\n\r\n");
    auto r = c.send(GetStageRequest{.arn = kArn});
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    REQUIRE_FALSE(r->stage.has_value());
  }
  SECTION("ended by the connection closing, it may be cut off: an error") {
    enqueue_bytes(server, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
    auto r = c.send(GetStageRequest{.arn = kArn});
    require_error(r.error(), {error_kind::parse, "EmptyResponse", "without Content-Length: 0"});
  }
  require_usable(c, server);
}

TEST_CASE("response header lines are read as the server wrote them", "[faults][wire]") {
  fault_server server;
  auto c = make_client(server);
  const std::string body = R"({"stage":{"arn":"from-raw"}})";
  // An interim 100 Continue with headers of its own, then the response: names in any case,
  // blanks around values, a name that only starts like the one looked for, a repeated name.
  server.enqueue_raw({.bytes = "HTTP/1.1 100 Continue\r\nx-amzn-RequestId: from-the-interim\r\n\r\n"
                               "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "x-amzn-RequestIdentity: not-this-one\r\n"
                               "X-AMZN-REQUESTID: \t id-1 \t\r\n"
                               "x-amzn-RequestId: id-2\r\n"
                               "Content-Length: " +
                               std::to_string(body.size()) + "\r\n\r\n" + body,
                      .chunk = 7,
                      .chunk_delay_ms = 0,
                      .then = raw_reply::ending::close});
  auto r = c.send(GetStageRequest{.arn = kArn});
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  REQUIRE(r->stage->arn == "from-raw");
  REQUIRE(r.metadata.request_id == "id-1");

  // An error's code and request id come from its headers too.
  enqueue_bytes(server,
                "HTTP/1.1 404 Not Found\r\nx-amzn-errortype:ResourceNotFoundException:http://x/\r\n"
                "x-amzn-requestid:id-3\r\nContent-Length: 2\r\n\r\n{}");
  auto e = c.send(GetStageRequest{.arn = kArn});
  REQUIRE_FALSE(e.ok());
  REQUIRE(e.error().code == "ResourceNotFoundException");
  REQUIRE(e.error().request_id == "id-3");
  require_usable(c, server);
}

TEST_CASE("a chunked body's trailers are not headers: no error code, request id or retry from them",
          "[faults][wire]") {
  fault_server server;
  auto c =
      client::create({.region = "us-west-2",
                      .endpoint_url = server.url(),
                      .credentials = credentials{.access_key_id = "AKIDEXAMPLE", .secret_access_key = "s"},
                      .retry = {.max_attempts = 3}});
  REQUIRE(c.ok());
  enqueue_bytes(server,
                "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                "x-amzn-RequestId: from-the-header\r\nTransfer-Encoding: chunked\r\n\r\n"
                "f\r\n{\"message\":\"m\"}"  // 15 bytes
                "\r\n0\r\nx-amzn-ErrorType: ThrottlingException\r\n"
                "x-amzn-RequestId: from-a-trailer\r\n\r\n");
  auto r = c->send(GetStageRequest{.arn = kArn});
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  REQUIRE(r.error().code == "Http400");  // not the trailer's ThrottlingException
  REQUIRE(r.error().message == "m");
  REQUIRE(r.error().request_id == "from-the-header");
  REQUIRE(r.error().attempts == 1);  // a 400 without a throttling code is not retried
  REQUIRE(server.count() == 1);
}

TEST_CASE("the request id is x-amzn-RequestId, else x-amz-request-id, on successes and errors alike",
          "[faults][wire]") {
  fault_server server;
  auto c = make_client(server);
  const std::string body = R"({"stage":{"arn":"a"}})";
  enqueue_bytes(server, "HTTP/1.1 200 OK\r\nx-amz-request-id: older-name\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body);
  auto ok = c.send(GetStageRequest{.arn = kArn});
  REQUIRE(ok.ok());
  REQUIRE(ok.metadata.request_id == "older-name");
  enqueue_bytes(server, "HTTP/1.1 200 OK\r\nx-amz-request-id: older-name\r\nContent-Length: 5\r\n\r\n[1,2]");
  auto bad = c.send(GetStageRequest{.arn = kArn});
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.error().request_id == "older-name");
}

TEST_CASE("huge bodies stop at the size cap", "[faults][wire]") {
  fault_server server;
  SECTION("announced by Content-Length") {
    auto c = make_client(server, {.max_response_bytes = 1000});
    server.enqueue(body_reply(R"({"stage":{"arn":")" + std::string(5000, 'a') + R"("}})"));
    auto r = c.send(GetStageRequest{.arn = kArn});
    require_error(r.error(), {error_kind::transport, "max_response_size", "1000-byte limit"});
    require_usable(c, server);
  }
  SECTION("without a length, past the default cap of 16 MiB") {
    auto c = make_client(server);
    enqueue_bytes(server, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" +
                              std::string(17u << 20, ' '));
    auto r = c.send(GetStageRequest{.arn = kArn});
    require_error(r.error(), {error_kind::transport, "max_response_size", "16777216-byte limit"});
    require_usable(c, server);
  }
}

TEST_CASE("a client's read timeout is botocore's 60 s unless set: a silent server cannot hold a call",
          "[faults][wire]") {
  REQUIRE(http::transport_options{}.read_timeout == std::chrono::seconds(60));
  REQUIRE(client_options{}.transport.read_timeout == std::chrono::seconds(60));
}

TEST_CASE("a kept-alive connection that closes under a request: libcurl sends it again, unchanged",
          "[faults][wire]") {
  // As the HTTP clients of the SDKs for Go and Rust do with a pooled connection the server closed:
  // no answer came, so the request goes once more on a new connection, within the same attempt.
  fault_server server;
  auto c = make_client(server);  // one attempt: the resend is not a retry
  server.enqueue_keep_alive(body_reply(R"({"stage":{"arn":"first"}})"));
  server.enqueue_drop();
  server.enqueue(body_reply(R"({"stage":{"arn":"again"}})"));
  REQUIRE(c.send(GetStageRequest{.arn = kArn}).ok());
  auto r = c.send(GetStageRequest{.arn = kArn});
  INFO((r.ok() ? std::string() : r.error().describe()));
  REQUIRE(r.ok());
  REQUIRE(r->stage->arn == "again");
  REQUIRE(r.metadata.attempts == 1);
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 3);
  for (const char* h : {"Authorization", "X-Amz-Date", "amz-sdk-request", "amz-sdk-invocation-id"}) {
    REQUIRE(reqs[2].header(h) == reqs[1].header(h));
  }
  REQUIRE(reqs[2].body == reqs[1].body);
}

TEST_CASE("an answer that is not HTTP is a connection failure, retried like one", "[faults][wire]") {
  fault_server server;
  enqueue_bytes(server, "NOT HTTP AT ALL\r\n\r\n");
  auto c = make_client(server);
  auto r = c.send(GetStageRequest{.arn = kArn});
  REQUIRE_FALSE(r.ok());
  require_error(r.error(), {error_kind::transport, "connection_failed", "127.0.0.1"});
  enqueue_bytes(server, "HTTP/1.1 abc\r\n\r\n");
  r = c.send(GetStageRequest{.arn = kArn});
  require_error(r.error(), {error_kind::transport, "connection_failed", "127.0.0.1"});

  auto retrying = make_client(server, {}, 2);
  enqueue_bytes(server, "NOT HTTP AT ALL\r\n\r\n");
  server.enqueue(body_reply(R"({"stage":{"arn":"second"}})"));
  auto again = retrying.send(GetStageRequest{.arn = kArn});
  REQUIRE(again.ok());
  REQUIRE(again.metadata.attempts == 2);
  REQUIRE(again->stage->arn == "second");
}

TEST_CASE("broken connections: cut off, reset, silent, dripping", "[faults][wire]") {
  fault_server server;
  SECTION("a body cut off before its Content-Length") {
    auto c = make_client(server);
    enqueue_bytes(server,
                  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
                  R"({"stage":{"arn":"a)");
    auto r = c.send(GetStageRequest{.arn = kArn});
    require_error(r.error(), {error_kind::transport, "connection_failed", "127.0.0.1"});
    require_usable(c, server);
  }
  SECTION("headers cut off") {
    auto c = make_client(server);
    enqueue_bytes(server, "HTTP/1.1 200 OK\r\nContent-Ty");
    auto r = c.send(GetStageRequest{.arn = kArn});
    // libcurl ends the headers at the close: an empty 200, or a transport error.
    REQUIRE_FALSE(r.ok());
    INFO(r.error().describe());
    REQUIRE((r.error().kind == error_kind::transport || r.error().code == "EmptyResponse"));
    require_usable(c, server);
  }
  SECTION("a connection reset before any answer, and in the middle of the body") {
    auto c = make_client(server);
    server.enqueue_raw({.bytes = "", .chunk = 0, .chunk_delay_ms = 0, .then = raw_reply::ending::reset});
    auto r = c.send(GetStageRequest{.arn = kArn});
    require_error(r.error(), {error_kind::transport, "connection_failed", "127.0.0.1"});
    require_usable(c, server);
    server.enqueue_raw({.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"stage\":",
                        .chunk = 0,
                        .chunk_delay_ms = 0,
                        .then = raw_reply::ending::reset});
    r = c.send(GetStageRequest{.arn = kArn});
    require_error(r.error(), {error_kind::transport, "connection_failed", "127.0.0.1"});
    require_usable(c, server);
  }
  SECTION("a server that accepts and never answers: the attempt timeout fires") {
    auto c = make_client(server, {.request_timeout = milliseconds(300)});
    server.enqueue_raw(
        {.bytes = "", .chunk = 0, .chunk_delay_ms = 0, .then = raw_reply::ending::wait_for_peer});
    const auto start = std::chrono::steady_clock::now();
    auto r = c.send(GetStageRequest{.arn = kArn});
    require_error(r.error(), {error_kind::transport, "timeout", "127.0.0.1"});
    REQUIRE(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
    require_usable(c, server);
  }
  SECTION("a server that stalls after the headers: the read timeout fires") {
    auto c = make_client(server, {.read_timeout = milliseconds(1000)});
    require_read_timeout_of_1s(c, server);
    require_usable(c, server);
  }
  SECTION("a server that reads the request and never answers: the read timeout fires") {
    auto c = make_client(server, {.read_timeout = milliseconds(1000)});
    server.enqueue_raw(
        {.bytes = "", .chunk = 0, .chunk_delay_ms = 0, .then = raw_reply::ending::wait_for_peer});
    const auto took = time_of([&] {
      auto r = c.send(GetStageRequest{.arn = kArn});
      require_error(r.error(), {error_kind::transport, "timeout", "(the read timeout)"});
    });
    require_read_timeout_time(took, milliseconds(1000));
    require_usable(c, server);
  }
  SECTION("a call's own read timeout overrides the client's, both ways, on the same connection") {
    // The client waits up to 60 s for a byte; this call only 1 s.
    auto c = make_client(server);
    require_read_timeout_of_1s(c, server, {.read_timeout = milliseconds(1000)});
    require_usable(c, server);

    // The client gives up after 1 s of silence; this call has no read timeout and outlasts an
    // answer 2.5 s late, and the next call has the client's limit again.
    auto strict = make_client(server, {.read_timeout = milliseconds(1000)});
    const std::string body = R"({"stage":{"arn":"patient"}})";
    const std::string answer =
        "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    server.enqueue_raw(
        {.bytes = answer, .chunk = answer.size(), .chunk_delay_ms = 2500, .then = raw_reply::ending::close});
    auto r = strict.send(GetStageRequest{.arn = kArn}, {.read_timeout = milliseconds(0)});
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    REQUIRE(r->stage->arn == "patient");
    require_read_timeout_of_1s(strict, server);
  }
  SECTION("a drip whose pauses are shorter than the read timeout is read whole, however long") {
    auto c = make_client(server, {.read_timeout = milliseconds(1000)});
    // Six writes 300 ms apart: 1.8 s in all, no pause of 1 s.
    enqueue_drip(server, 12, 300);
    const auto took = time_of([&] {
      auto r = c.send(GetStageRequest{.arn = kArn});
      INFO((r.ok() ? std::string() : r.error().describe()));
      REQUIRE(r.ok());
      REQUIRE(r->stage->arn == "drip");
    });
    REQUIRE(took > milliseconds(1500));
    require_usable(c, server);
  }
  SECTION("the read timeout starts once connected: connecting is the connect timeout's") {
    ivsrt_test::hanging_port port;
    auto c =
        make_client(port.url(), {.connect_timeout = milliseconds(1500), .read_timeout = milliseconds(300)});
    const auto took = time_of([&] {
      auto r = c.send(GetStageRequest{.arn = kArn});
      require_error(r.error(), {error_kind::transport, "timeout", "127.0.0.1"});
      REQUIRE(r.error().message.find("read timeout") == std::string::npos);
    });
    REQUIRE(took >= milliseconds(1400));
  }
  SECTION("a slow drip past the attempt timeout") {
    auto c = make_client(server, {.request_timeout = milliseconds(400)});
    enqueue_drip(server, 1, 40);
    auto r = c.send(GetStageRequest{.arn = kArn});
    require_error(r.error(), {error_kind::transport, "timeout", "127.0.0.1"});
    require_usable(c, server);
  }
  SECTION("a slow drip within the limits is read whole") {
    auto c = make_client(server, {.request_timeout = milliseconds(10000)});
    enqueue_drip(server, 1, 2);
    auto r = c.send(GetStageRequest{.arn = kArn});
    REQUIRE(r.ok());
    REQUIRE(r->stage->arn == "drip");
    require_usable(c, server);
  }
}
