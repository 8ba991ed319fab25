// libFuzzer entry for the local service's side of the wire: what a client sends it. The input is a
// sequence of records separated by NUL bytes, served in order by one engine (fixed seed, so runs
// repeat), so that later requests can reach what earlier ones created. A record's first byte picks
// one of the 39 operations' routes or (the 40th choice) the local service's SigV4 check; the rest
// is "label\nquery\nbody" (label: the URI label's value, query: "k=v&k=v", body: the JSON body),
// or for the SigV4 check "Authorization\nX-Amz-Date\nbody".
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ivsrt/local/auth.hpp"
#include "ivsrt/local/dispatch.hpp"

namespace {

// The next '\n'-separated part of rest (all of it when there is no '\n').
std::string_view take_line(std::string_view& rest) {
  const std::size_t at = rest.find('\n');
  const std::string_view line = rest.substr(0, at);
  rest = at == std::string_view::npos ? std::string_view() : rest.substr(at + 1);
  return line;
}

void serve_record(ivsrt::local::engine& e, std::uint8_t pick, std::string_view rest) {
  using namespace ivsrt::local;
  const auto routes = all_routes();
  ivsrt::local::incoming in;
  if (pick % (routes.size() + 1) == routes.size()) {
    static const key_store keys({access_key{.id = "test", .secret = ivsrt::sensitive_string("test")}});
    in.method = "POST";
    in.path = "/GetStage";
    in.headers = {{"Authorization", std::string(take_line(rest))},
                  {"X-Amz-Date", std::string(take_line(rest))},
                  {"Host", "127.0.0.1"},
                  {"Content-Type", "application/json"}};
    in.body = std::string(rest);
    const auto now = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
    (void)authenticate(in, keys, auth_settings{.region = "us-east-1"}, now);
    return;
  }
  const route& r = routes[pick % (routes.size() + 1)];
  const std::string_view label = take_line(rest);
  std::string_view query = take_line(rest);
  in.method = std::string(r.method);
  in.path = std::string(r.uri);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    in.query.emplace_back(std::string(pair.substr(0, eq)),
                          eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  in.headers = {{"Content-Type", "application/json"}};
  in.body = std::string(rest);
  uri_labels labels;
  for (std::size_t open = r.uri.find('{'); open != std::string_view::npos; open = r.uri.find('{', open + 1)) {
    const std::size_t close = r.uri.find('}', open);
    labels.emplace_back(std::string(r.uri.substr(open + 1, close - open - 1)), std::string(label));
  }
  (void)r.serve(e, in, labels);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ivsrt::local::engine e(ivsrt::local::engine_options{.seed = 1});
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    const std::size_t end = input.find('\0');
    const std::string_view record = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    if (record.empty()) continue;
    serve_record(e, static_cast<std::uint8_t>(record[0]), record.substr(1));
  }
  return 0;
}
