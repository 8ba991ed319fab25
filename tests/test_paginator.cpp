// Paginator ranges over several pages, empty pages, errors in the middle of a walk and a server
// that repeats a token.
#include <ranges>

#include "catch.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/model/stage.hpp"
#include "recording_server.hpp"

using namespace ivsrt;
using ivsrt_test::recording_server;
using ivsrt_test::reply;

namespace {

client make_client(const recording_server& server) {
  auto c = client::create({.region = "us-east-1",
                           .endpoint_url = server.url(),
                           .credentials = credentials{.access_key_id = "AK", .secret_access_key = "SK",
                                                      .session_token = {}, .expiration = {}, .account_id = {}},
                           .retry = {.sleep = [](std::chrono::nanoseconds) {}}});
  REQUIRE(c.ok());
  return *c;
}

// Pages keyed by the token the client sends ("" for the first request).
void serve_pages(recording_server& server, std::map<std::string, std::string> pages) {
  server.set_handler([pages](const ivsrt_test::received& r) {
    std::string token;
    const std::size_t at = r.body.find(R"("nextToken":")");
    if (at != std::string::npos) {
      const std::size_t start = at + 13;
      token = r.body.substr(start, r.body.find('"', start) - start);
    }
    auto it = pages.find(token);
    if (it == pages.end()) return reply{.status = 500, .header_list = {}, .body = "{}", .delay_ms = 0};
    return reply{.status = 200, .header_list = {{"Content-Type", "application/json"}}, .body = it->second,
                 .delay_ms = 0};
  });
}

}  // namespace

static_assert(std::ranges::input_range<paginator<ListStagesRequest>>);
static_assert(std::ranges::input_range<paginator<ListStagesRequest>::item_range>);

TEST_CASE("pages are fetched lazily and the walk ends without a token", "[paginator][wire]") {
  recording_server server;
  serve_pages(server, {{"", R"({"stages":[{"arn":"a"},{"arn":"b"}],"nextToken":"t1"})"},
                       {"t1", R"({"stages":[],"nextToken":"t2"})"},
                       {"t2", R"({"stages":[{"arn":"c"}],"nextToken":""})"}});
  auto c = make_client(server);
  auto pages = c.paginate(ListStagesRequest{.maxResults = 2});
  REQUIRE(server.count() == 0);
  std::vector<std::size_t> sizes;
  for (auto& page : pages) {
    REQUIRE(page.ok());
    sizes.push_back(page->stages.size());
  }
  REQUIRE(sizes == std::vector<std::size_t>{2, 0, 1});
  const auto reqs = server.requests();
  REQUIRE(reqs.size() == 3);
  REQUIRE(reqs[0].body == R"({"maxResults":2})");
  REQUIRE(reqs[1].body == R"({"nextToken":"t1","maxResults":2})");
  REQUIRE(reqs[2].body == R"({"nextToken":"t2","maxResults":2})");
}

TEST_CASE("the item range walks every item of every page", "[paginator][wire]") {
  recording_server server;
  serve_pages(server, {{"", R"({"stages":[{"arn":"a"},{"arn":"b"}],"nextToken":"t1"})"},
                       {"t1", R"({"stages":[]," nextToken":null,"nextToken":"t2"})"},
                       {"t2", R"({"stages":[{"arn":"c"}]})"}});
  auto c = make_client(server);
  std::vector<std::string> arns;
  for (auto& item : c.paginate(ListStagesRequest{}).items()) {
    REQUIRE(item.ok());
    arns.push_back(item->arn);
  }
  REQUIRE(arns == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("an error ends the walk and is visible", "[paginator][wire]") {
  recording_server server;
  serve_pages(server, {{"", R"({"stages":[{"arn":"a"}],"nextToken":"t1"})"}});  // t1 -> HTTP 500
  auto c = make_client(server);
  std::vector<std::string> seen;
  bool failed = false;
  for (auto& item : c.paginate(ListStagesRequest{}).items()) {
    if (!item) {
      failed = true;
      REQUIRE(item.error().http_status == 500);
      continue;
    }
    REQUIRE_FALSE(failed);
    seen.push_back(item->arn);
  }
  REQUIRE(failed);
  REQUIRE(seen == std::vector<std::string>{"a"});
  REQUIRE(server.count() == 4);  // the first page, then the failing one in all 3 attempts
}

TEST_CASE("a server that repeats a token cannot make the walk loop", "[paginator][wire]") {
  recording_server server;
  serve_pages(server, {{"", R"({"stages":[{"arn":"a"}],"nextToken":"t1"})"},
                       {"t1", R"({"stages":[{"arn":"b"}],"nextToken":"t2"})"},
                       {"t2", R"({"stages":[{"arn":"c"}],"nextToken":"t1"})"}});
  auto c = make_client(server);
  int pages = 0;
  std::string last_error;
  for (auto& page : c.paginate(ListStagesRequest{})) {
    if (!page) {
      last_error = page.error().code;
      continue;
    }
    ++pages;
    REQUIRE(pages < 10);
  }
  REQUIRE(pages == 3);
  REQUIRE(last_error == "DuplicatePaginationToken");
  REQUIRE(server.count() == 3);
}
