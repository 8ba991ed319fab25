// Paginator ranges for every paginated operation, against a recording server that serves pages by
// the token it receives: laziness, the page size on every request, several pages, empty pages,
// the end of the walk (no token, empty token), a server that repeats a token, and errors in the
// middle of a walk.
#include <simdjson.h>

#include <map>
#include <optional>
#include <ranges>
#include <string>
#include <vector>

#include "catch.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/json_writer.hpp"
#include "model_compare.hpp"
#include "model_fill.hpp"
#include "recording_server.hpp"

using namespace ivsrt;
using ivsrt_test::recording_server;
using ivsrt_test::reply;

namespace {

client make_client(const recording_server& server) {
  auto c = client::create({.region = "us-east-1",
                           .endpoint_url = server.url(),
                           .credentials = credentials{.access_key_id = "AK",
                                                      .secret_access_key = "SK",
                                                      .session_token = {},
                                                      .expiration = {},
                                                      .account_id = {}},
                           .retry = {.sleep = [](std::chrono::nanoseconds) {}}});
  REQUIRE(c.ok());
  return *c;
}

reply json_reply(std::string body, int status = 200) {
  return reply{.status = status,
               .header_list = {{"Content-Type", "application/json"}},
               .body = std::move(body),
               .delay_ms = 0};
}

// The nextToken of a request body, "" when it has none.
std::string token_of(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(body).get(e) != simdjson::SUCCESS) return "<not JSON>";
  std::string_view token;
  if (e.at_key("nextToken").get_string().get(token) != simdjson::SUCCESS) return {};
  return std::string(token);
}

// Answers each request with the reply registered for its token; unknown tokens get HTTP 500.
void serve(recording_server& server, std::map<std::string, reply> pages) {
  server.set_handler([pages = std::move(pages)](const ivsrt_test::received& r) {
    auto it = pages.find(token_of(r.body));
    return it == pages.end() ? json_reply(R"({"message":"unexpected token"})", 500) : it->second;
  });
}

// What a paginated operation's tests need: requests, items and pages built from its types.
template <class Req>
struct list_operation {
  using op = operation<Req>;
  using output = typename op::output;
  using item = typename paginator<Req>::item;
  static constexpr std::size_t input_token = reflect::member_index<Req>(op::paging.input_token);
  static constexpr std::size_t page_size = reflect::member_index<Req>(op::paging.page_size);
  static constexpr std::size_t items = reflect::member_index<output>(op::paging.items);
  static constexpr std::size_t output_token = reflect::member_index<output>(op::paging.output_token);

  // Every member set (filters and required members too), no token, the given page size.
  static Req first_request(std::int32_t size) {
    Req r = ivsrt_test::filled<Req>();
    reflect::get_member<input_token>(r).reset();
    reflect::get_member<page_size>(r) = size;
    return r;
  }

  static item make_item(int i) { return ivsrt_test::filled<item>(1000 * i); }

  static std::vector<item> make_items(std::initializer_list<int> ids) {
    std::vector<item> out;
    for (int i : ids) out.push_back(make_item(i));
    return out;
  }

  // A page holding the items `ids` and, when given, a nextToken.
  static reply page(std::initializer_list<int> ids, std::optional<std::string> token) {
    output out{};
    reflect::get_member<items>(out) = make_items(ids);
    if (token) reflect::get_member<output_token>(out) = *token;
    auto json = json::to_json(out);
    REQUIRE(json.ok());
    return json_reply(*json);
  }

  // The body the k-th request of a walk must carry: the first request with that token.
  static std::string request_body(const Req& first, const std::string& token) {
    Req r = first;
    if (!token.empty()) reflect::get_member<input_token>(r) = token;
    auto json = json::to_json(r);
    REQUIRE(json.ok());
    return *json;
  }

  static const auto& items_of(const output& page) {
    const auto& list = reflect::get_member<items>(page);
    if constexpr (kinds::optional<std::remove_cvref_t<decltype(list)>>) {
      return *list;
    } else {
      return list;
    }
  }
};

template <class F>
void for_each_paginated(F&& f) {
  ivsrt_test::for_each_type(ivsrt_test::paginated_operations{}, [&]<class Req>() {
    DYNAMIC_SECTION(operation<Req>::name) {
      f.template operator()<Req>();
    }
  });
}

void require_no_differences(const ivsrt_test::differences& d) {
  INFO(ivsrt_test::join(d));
  REQUIRE(d.empty());
}

}  // namespace

static_assert(ivsrt_test::size_of(ivsrt_test::paginated_operations{}) == 10);
static_assert(std::ranges::input_range<paginator<ListStagesRequest>>);
static_assert(std::ranges::input_range<paginator<ListStagesRequest>::item_range>);

TEST_CASE("pages come lazily, each request keeps the page size and members, the walk ends without a token",
          "[paginator][wire]") {
  for_each_paginated([]<class Req>() {
    using L = list_operation<Req>;
    recording_server server;
    serve(server,
          {{"", L::page({0, 1}, "t1")}, {"t1", L::page({}, "t2")}, {"t2", L::page({2}, std::nullopt)}});
    const client c = make_client(server);
    const Req first = L::first_request(2);

    auto pages = c.paginate(first);
    REQUIRE(server.count() == 0);
    std::vector<std::size_t> sizes;
    for (auto& page : pages) {
      INFO((page.ok() ? std::string() : page.error().describe()));
      REQUIRE(page.ok());
      sizes.push_back(L::items_of(*page).size());
    }
    REQUIRE(sizes == std::vector<std::size_t>{2, 0, 1});

    const auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    const char* tokens[] = {"", "t1", "t2"};
    for (std::size_t i = 0; i < 3; ++i) {
      INFO("request " << i << ": " << requests[i].body);
      REQUIRE(requests[i].target == "/" + std::string(operation<Req>::name));
      require_no_differences(
          ivsrt_test::json_difference(requests[i].body, L::request_body(first, tokens[i])));
    }

    // Items, every one of every page, in order; the next page only when the current one is used up.
    server.clear();
    auto items = c.paginate(first).items();
    REQUIRE(server.count() == 0);
    auto it = items.begin();
    REQUIRE(server.count() == 1);
    std::vector<typename L::item> seen;
    for (; it != items.end(); ++it) {
      REQUIRE(it->ok());
      seen.push_back(**it);
      if (seen.size() == 2) REQUIRE(server.count() == 1);
    }
    REQUIRE(server.count() == 3);
    require_no_differences(ivsrt_test::compare_values(seen, L::make_items({0, 1, 2})));
  });
}

TEST_CASE("an empty token ends the walk; empty pages yield no items", "[paginator][wire]") {
  for_each_paginated([]<class Req>() {
    using L = list_operation<Req>;
    recording_server server;
    const client c = make_client(server);

    serve(server, {{"", L::page({0}, "")}});
    std::size_t pages = 0;
    for (auto& page : c.paginate(L::first_request(5))) {
      REQUIRE(page.ok());
      ++pages;
    }
    REQUIRE(pages == 1);
    REQUIRE(server.count() == 1);

    server.clear();
    serve(server, {{"", L::page({}, std::nullopt)}});
    std::size_t items = 0;
    for (auto& item : c.paginate(L::first_request(5)).items()) {
      REQUIRE(item.ok());
      ++items;
    }
    REQUIRE(items == 0);
    REQUIRE(server.count() == 1);

    server.clear();
    serve(server, {{"", L::page({}, "a")},
                   {"a", L::page({}, "b")},
                   {"b", L::page({7}, "c")},
                   {"c", L::page({}, std::nullopt)}});
    std::vector<typename L::item> seen;
    for (auto& item : c.paginate(L::first_request(5)).items()) {
      REQUIRE(item.ok());
      seen.push_back(*item);
    }
    require_no_differences(ivsrt_test::compare_values(seen, L::make_items({7})));
    REQUIRE(server.count() == 4);
  });
}

TEST_CASE("a server that repeats a token cannot make the walk loop", "[paginator][wire]") {
  for_each_paginated([]<class Req>() {
    using L = list_operation<Req>;
    recording_server server;
    const client c = make_client(server);
    serve(server, {{"", L::page({0}, "t1")}, {"t1", L::page({1}, "t2")}, {"t2", L::page({2}, "t1")}});

    std::size_t good = 0;
    std::string last_error;
    for (auto& page : c.paginate(L::first_request(1))) {
      REQUIRE(last_error.empty());  // nothing after the error
      if (page.ok()) {
        ++good;
      } else {
        last_error = page.error().code;
      }
    }
    REQUIRE(good == 3);
    REQUIRE(last_error == "DuplicatePaginationToken");
    REQUIRE(server.count() == 3);

    // Items: every item up to the repetition, then the error as the last element.
    server.clear();
    std::vector<typename L::item> seen;
    std::vector<error> errors;
    for (auto& item : c.paginate(L::first_request(1)).items()) {
      if (item.ok()) {
        REQUIRE(errors.empty());
        seen.push_back(*item);
      } else {
        errors.push_back(item.error());
      }
    }
    require_no_differences(ivsrt_test::compare_values(seen, L::make_items({0, 1, 2})));
    REQUIRE(errors.size() == 1);
    REQUIRE(errors[0].message.find(std::string(operation<Req>::name)) != std::string::npos);

    // A walk resumed from a token does not accept that token back.
    server.clear();
    Req resumed = L::first_request(1);
    reflect::get_member<L::input_token>(resumed) = "t2";
    serve(server, {{"t2", L::page({2}, "t2")}});
    std::vector<bool> outcomes;
    for (auto& page : c.paginate(resumed)) outcomes.push_back(page.ok());
    REQUIRE(outcomes == std::vector<bool>{true, false});
    REQUIRE(server.count() == 1);
  });
}

TEST_CASE("an error in the middle of a walk ends it and is visible", "[paginator][wire]") {
  for_each_paginated([]<class Req>() {
    using L = list_operation<Req>;
    recording_server server;
    const client c = make_client(server);
    serve(server, {{"", L::page({0, 1}, "t1")},
                   {"t1", reply{.status = 400,
                                .header_list = {{"x-amzn-ErrorType", "ValidationException"}},
                                .body = R"({"exceptionMessage":"bad token"})",
                                .delay_ms = 0}}});
    std::vector<typename L::item> seen;
    std::vector<error> errors;
    for (auto& item : c.paginate(L::first_request(2)).items()) {
      if (item.ok()) {
        REQUIRE(errors.empty());
        seen.push_back(*item);
      } else {
        errors.push_back(item.error());
      }
    }
    require_no_differences(ivsrt_test::compare_values(seen, L::make_items({0, 1})));
    REQUIRE(errors.size() == 1);
    REQUIRE(errors[0].kind == error_kind::service);
    REQUIRE(errors[0].code == "ValidationException");
    REQUIRE(errors[0].message == "bad token");
    REQUIRE(errors[0].http_status == 400);
    REQUIRE(server.count() == 2);

    // A page that cannot be read ends the walk the same way.
    server.clear();
    serve(server, {{"", L::page({0}, "t1")}, {"t1", json_reply(R"({"nextToken":"t2",)")}});
    std::vector<bool> outcomes;
    error last;
    for (auto& page : c.paginate(L::first_request(2))) {
      outcomes.push_back(page.ok());
      if (!page.ok()) last = page.error();
    }
    REQUIRE(outcomes == std::vector<bool>{true, false});
    REQUIRE(last.kind == error_kind::parse);
    REQUIRE(server.count() == 2);
  });
}

TEST_CASE("a paginator walk refuses an invalid first request before sending anything", "[paginator][wire]") {
  recording_server server;
  const client c = make_client(server);
  std::vector<bool> outcomes;
  for (auto& page : c.paginate(ListStagesRequest{.maxResults = 0})) {
    outcomes.push_back(page.ok());
    REQUIRE(page.error().kind == error_kind::validation);
    REQUIRE(page.error().message == "maxResults: 0 is outside the allowed range 1..100");
  }
  REQUIRE(outcomes == std::vector<bool>{false});
  REQUIRE(server.count() == 0);
}

TEST_CASE("a paginator is one walk: a second loop starts where the first broke off", "[paginator][wire]") {
  using L = list_operation<ListStagesRequest>;
  recording_server server;
  serve(server,
        {{"", L::page({0, 1}, "t1")}, {"t1", L::page({2}, "t2")}, {"t2", L::page({3}, std::nullopt)}});
  const client c = make_client(server);

  auto items = c.paginate(L::first_request(2)).items();
  std::vector<L::item> seen;
  for (auto& item : items) {
    REQUIRE(item.ok());
    seen.push_back(*item);
    if (seen.size() == 3) break;
  }
  REQUIRE(server.count() == 2);
  for (auto& item : items) {
    REQUIRE(item.ok());
    seen.push_back(*item);
  }
  // The element the first loop broke off at comes again.
  require_no_differences(ivsrt_test::compare_values(seen, L::make_items({0, 1, 2, 2, 3})));
  REQUIRE(server.count() == 3);

  // After a complete walk, another loop yields nothing and sends nothing.
  std::size_t more = 0;
  for ([[maybe_unused]] auto& item : items) ++more;
  REQUIRE(more == 0);
  REQUIRE(server.count() == 3);
}
