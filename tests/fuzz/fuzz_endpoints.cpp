// libFuzzer entry for endpoints, whose inputs come from the environment and config files: the
// endpoint URL reader and the service's endpoint rules. The first byte holds the FIPS and
// dual-stack flags and whether a custom endpoint is given; the rest is "region\nendpoint URL".
// An endpoint read once reads the same again from its own text, and for a valid region without a
// custom endpoint the rules yield a plain https URL whose host holds the region.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ivsrt/endpoint_rules.hpp"
#include "ivsrt/region.hpp"
#include "ivsrt/uri.hpp"

namespace {

bool same(const ivsrt::uri::endpoint& a, const ivsrt::uri::endpoint& b) {
  return a.scheme == b.scheme && a.host == b.host && a.port == b.port && a.base_path == b.base_path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t newline = input.find('\n');
  const std::string_view region = input.substr(0, newline);
  const std::string_view url =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  std::string why;
  if (auto e = ivsrt::uri::parse_endpoint(url, why)) {
    std::string again_why;
    auto again = ivsrt::uri::parse_endpoint(e->origin() + e->base_path, again_why);
    if (!again || !same(*e, *again)) std::abort();
  } else if (why.empty()) {
    std::abort();  // a refusal always says why
  }

  if (!ivsrt::detail::valid_region(region)) return 0;
  ivsrt::endpoints::endpoint_params p{.region = std::string(region),
                                      .use_dual_stack = (data[0] & 1) != 0,
                                      .use_fips = (data[0] & 2) != 0,
                                      .endpoint = {}};
  if ((data[0] & 4) != 0) p.endpoint = std::string(url);
  auto resolved = ivsrt::endpoints::resolve_rules(p);
  if (!resolved || p.endpoint) return 0;
  auto e = ivsrt::uri::parse_endpoint(*resolved, why);
  if (!e || e->scheme != "https" || e->port != 0 || !e->base_path.empty() ||
      e->host.find(std::string(".") + std::string(region) + ".") == std::string::npos) {
    std::abort();
  }
  return 0;
}
