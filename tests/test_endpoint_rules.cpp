// The generated endpoint rules and partition tables: known answers from the rule set and
// partitions.json, the pattern matcher against std::regex, and — when the shared model is present —
// every region and flag combination against an independent interpreter of the rule-set file.
#include <simdjson.h>

#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <variant>

#include "catch.hpp"
#include "ivsrt/endpoint_rules.hpp"

using namespace ivsrt;
using endpoints::endpoint_params;

namespace {

std::string resolve(std::optional<std::string> region, bool fips, bool dual,
                    std::optional<std::string> endpoint = std::nullopt) {
  auto r = endpoints::resolve_rules(endpoint_params{.region = std::move(region),
                                                    .use_dual_stack = dual,
                                                    .use_fips = fips,
                                                    .endpoint = std::move(endpoint)});
  if (!r) {
    REQUIRE(r.error().kind == error_kind::configuration);
    REQUIRE(r.error().code == "EndpointResolutionError");
    return "error: " + r.error().message;
  }
  return *r;
}

// Regions that appear in no partition's list but match its pattern, and ones that match nothing.
const std::vector<std::string> extra_regions = {
    "us-east-7",      "eu-north-9",      "mx-west-3",       "cn-south-3",     "eusc-de-west-2",
    "us-iso-north-4", "us-isob-south-2", "eu-isoe-north-3", "us-isof-west-5", "us-gov-central-2",
    "mars-east-1",    "local",           "us-east",         "cn-north-1a"};

}  // namespace

TEST_CASE("known endpoints of every partition", "[endpoints]") {
  REQUIRE(resolve("us-east-1", false, false) == "https://ivsrealtime.us-east-1.amazonaws.com");
  REQUIRE(resolve("us-east-1", true, false) == "https://ivsrealtime-fips.us-east-1.amazonaws.com");
  REQUIRE(resolve("us-east-1", false, true) == "https://ivsrealtime.us-east-1.api.aws");
  REQUIRE(resolve("us-east-1", true, true) == "https://ivsrealtime-fips.us-east-1.api.aws");
  REQUIRE(resolve("eu-west-1", false, false) == "https://ivsrealtime.eu-west-1.amazonaws.com");
  REQUIRE(resolve("cn-north-1", false, false) == "https://ivsrealtime.cn-north-1.amazonaws.com.cn");
  REQUIRE(resolve("cn-northwest-1", false, true) ==
          "https://ivsrealtime.cn-northwest-1.api.amazonwebservices.com.cn");
  REQUIRE(resolve("us-gov-west-1", true, false) == "https://ivsrealtime-fips.us-gov-west-1.amazonaws.com");
  REQUIRE(resolve("us-gov-east-1", true, true) == "https://ivsrealtime-fips.us-gov-east-1.api.aws");
  REQUIRE(resolve("us-iso-east-1", false, false) == "https://ivsrealtime.us-iso-east-1.c2s.ic.gov");
  REQUIRE(resolve("us-iso-west-1", false, true) == "https://ivsrealtime.us-iso-west-1.api.aws.ic.gov");
  REQUIRE(resolve("us-isob-east-1", false, false) == "https://ivsrealtime.us-isob-east-1.sc2s.sgov.gov");
  REQUIRE(resolve("eu-isoe-west-1", true, false) == "https://ivsrealtime-fips.eu-isoe-west-1.cloud.adc-e.uk");
  REQUIRE(resolve("us-isof-south-1", false, false) == "https://ivsrealtime.us-isof-south-1.csp.hci.ic.gov");
  REQUIRE(resolve("eusc-de-east-1", false, false) == "https://ivsrealtime.eusc-de-east-1.amazonaws.eu");
  // Not listed, but matching a partition's pattern; and matching none, which means "aws".
  REQUIRE(resolve("us-gov-central-2", false, false) == "https://ivsrealtime.us-gov-central-2.amazonaws.com");
  REQUIRE(resolve("cn-south-3", false, true) ==
          "https://ivsrealtime.cn-south-3.api.amazonwebservices.com.cn");
  REQUIRE(resolve("us-isob-south-2", false, false) == "https://ivsrealtime.us-isob-south-2.sc2s.sgov.gov");
  REQUIRE(resolve("mars-east-1", false, false) == "https://ivsrealtime.mars-east-1.amazonaws.com");
}

TEST_CASE("the rule set's own errors", "[endpoints]") {
  REQUIRE(resolve("us-east-1", true, false, "https://example.com") ==
          "error: Invalid Configuration: FIPS and custom endpoint are not supported");
  REQUIRE(resolve("us-east-1", true, true, "https://example.com") ==
          "error: Invalid Configuration: FIPS and custom endpoint are not supported");
  REQUIRE(resolve("us-east-1", false, true, "https://example.com") ==
          "error: Invalid Configuration: Dualstack and custom endpoint are not supported");
  REQUIRE(resolve(std::nullopt, false, false) == "error: Invalid Configuration: Missing Region");
  REQUIRE(resolve(std::nullopt, true, true) == "error: Invalid Configuration: Missing Region");
  // A custom endpoint needs no region and is returned as given.
  REQUIRE(resolve(std::nullopt, false, false, "http://127.0.0.1:4566/base") == "http://127.0.0.1:4566/base");
  REQUIRE(resolve("us-east-1", false, false, "https://example.com") == "https://example.com");
}

TEST_CASE("partition lookup: names first, then patterns, then aws", "[endpoints]") {
  REQUIRE(endpoints::aws_partition("aws-global").name == "aws");
  REQUIRE(endpoints::aws_partition("aws-us-gov-global").name == "aws-us-gov");
  REQUIRE(endpoints::aws_partition("aws-iso-b-global").name == "aws-iso-b");
  REQUIRE(endpoints::aws_partition("us-gov-west-1").name == "aws-us-gov");
  REQUIRE(endpoints::aws_partition("us-isof-east-1").name == "aws-iso-f");
  REQUIRE(endpoints::aws_partition("il-central-9").name == "aws");
  REQUIRE(endpoints::aws_partition("").name == "aws");
  REQUIRE(endpoints::aws_partition("cn-north-1").implicit_global_region == "cn-northwest-1");
  static_assert(endpoints::aws_partition("eusc-de-east-1").dns_suffix == "amazonaws.eu");
}

TEST_CASE("the pattern matcher agrees with std::regex on every partition pattern", "[endpoints]") {
  std::vector<std::string> inputs = extra_regions;
  for (const auto& r : endpoints::known_regions) inputs.emplace_back(r.name);
  for (std::string odd : {"", "-", "us--1", "us-east-1-", "US-EAST-1", "us-east-1x", "us_x-east-1",
                          "eusc-dex-a-1", "us-iso-east-", "us-iso-east-12", "us-east_2-1", "af-south-01"}) {
    inputs.push_back(odd);
  }
  for (const auto& p : endpoints::partitions) {
    const std::regex re{std::string(p.region_regex)};
    for (const auto& input : inputs) {
      INFO(p.region_regex << " on '" << input << "'");
      REQUIRE(endpoints::region_matches(p.region_regex, input) == std::regex_search(input, re));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// An interpreter of endpoint rule-set JSON, written for this test from the rules-engine
// specification, so the generated code is checked against the model file itself.

namespace {

using simdjson::dom::array;
using simdjson::dom::element;

// Error-code accessors (the tests also build without exceptions); a missing member reads as
// empty, which the comparisons then expose.
template <class T, class From>
T get(From from) {
  T out{};
  if (from.get(out) != simdjson::SUCCESS) return T{};
  return out;
}
std::string_view str(element e) {
  return get<std::string_view>(e);
}
bool flag(element e) {
  return get<bool>(e);
}
bool has(element e, std::string_view key) {
  return e[key].error() == simdjson::SUCCESS;
}
element at(element e, std::string_view key) {
  return get<element>(e[key]);
}
array items(element e) {
  return get<array>(e);
}

struct value;
using object = std::map<std::string, value>;
struct value {
  std::variant<std::monostate, bool, std::string, object> v;
  [[nodiscard]] bool is_set() const { return !std::holds_alternative<std::monostate>(v); }
  friend bool operator==(const value&, const value&) = default;
};

class rule_set_interpreter {
 public:
  rule_set_interpreter(const std::string& rules_path, const std::string& partitions_path) {
    rules_ = get<element>(rules_parser_.load(rules_path));
    partitions_ = get<element>(partitions_parser_.load(partitions_path));
  }

  // The URL, or "error: <message>".
  std::string resolve(const object& input) {
    object scope;
    for (auto [name, spec] : get<simdjson::dom::object>(at(rules_, "parameters"))) {
      const std::string key(name);
      auto it = input.find(key);
      if (it != input.end() && it->second.is_set()) {
        scope[key] = it->second;
      } else if (has(spec, "default")) {
        scope[key] = value{flag(at(spec, "default"))};
      }
    }
    auto out = rules(items(at(rules_, "rules")), scope);
    return out ? *out : "error: no rule matched";
  }

 private:
  std::optional<std::string> rules(array list, const object& scope) {
    for (element rule : list) {
      object local = scope;
      if (!conditions(items(at(rule, "conditions")), local)) continue;
      const std::string_view type = str(at(rule, "type"));
      if (type == "endpoint") return text(at(at(rule, "endpoint"), "url"), local);
      if (type == "error") return "error: " + text(at(rule, "error"), local);
      if (auto r = rules(items(at(rule, "rules")), local)) return r;
    }
    return std::nullopt;
  }

  bool conditions(array list, object& scope) {
    for (element c : list) {
      value result = call(c, scope);
      if (!result.is_set() || (std::holds_alternative<bool>(result.v) && !std::get<bool>(result.v)))
        return false;
      if (has(c, "assign")) scope[std::string(str(at(c, "assign")))] = result;
    }
    return true;
  }

  value eval(element arg, const object& scope) {
    if (arg.is_bool()) return value{flag(arg)};
    if (arg.is_string()) return value{template_text(std::string(str(arg)), scope)};
    if (has(arg, "ref")) {
      auto it = scope.find(std::string(str(at(arg, "ref"))));
      return it == scope.end() ? value{} : it->second;
    }
    return call(arg, scope);
  }

  value call(element c, const object& scope) {
    const std::string_view fn = str(at(c, "fn"));
    std::vector<value> args;
    for (element a : items(at(c, "argv"))) args.push_back(eval(a, scope));
    if (fn == "isSet") return value{args.at(0).is_set()};
    if (fn == "not") return value{!std::get<bool>(args.at(0).v)};
    if (fn == "booleanEquals" || fn == "stringEquals") return value{args.at(0).v == args.at(1).v};
    if (fn == "getAttr") return attr(args.at(0), std::get<std::string>(args.at(1).v));
    if (fn == "aws.partition") return partition(std::get<std::string>(args.at(0).v));
    FAIL("rule-set function not known to the test interpreter: " << fn);
    return {};
  }

  static value attr(const value& v, const std::string& name) {
    const auto& obj = std::get<object>(v.v);
    auto it = obj.find(name);
    return it == obj.end() ? value{} : it->second;
  }

  // Listed names first, then patterns, then the "aws" partition.
  value partition(const std::string& region) {
    std::optional<element> chosen;
    const array all = items(at(partitions_, "partitions"));
    for (element p : all) {
      if (!chosen && has(at(p, "regions"), region)) chosen = p;
    }
    for (element p : all) {
      if (!chosen && std::regex_search(region, std::regex(std::string(str(at(p, "regionRegex"))))))
        chosen = p;
    }
    for (element p : all) {
      if (!chosen && str(at(p, "id")) == "aws") chosen = p;
    }
    object out;
    for (auto [k, v] : get<simdjson::dom::object>(at(*chosen, "outputs")))
      out[std::string(k)] = v.is_bool() ? value{flag(v)} : value{std::string(str(v))};
    out["name"] = value{std::string(str(at(*chosen, "id")))};
    return value{out};
  }

  std::string text(element e, const object& scope) {
    value v = eval(e, scope);
    return std::get<std::string>(v.v);
  }

  static std::string template_text(const std::string& t, const object& scope) {
    std::string out;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] != '{') {
        out += t[i];
        continue;
      }
      const std::size_t close = t.find('}', i);
      const std::string name = t.substr(i + 1, close - i - 1);
      const std::size_t hash = name.find('#');
      const value& base = scope.at(name.substr(0, hash));
      out += std::get<std::string>(hash == std::string::npos ? base.v : attr(base, name.substr(hash + 1)).v);
      i = close;
    }
    return out;
  }

  simdjson::dom::parser rules_parser_;
  simdjson::dom::parser partitions_parser_;
  element rules_;
  element partitions_;
};

}  // namespace

TEST_CASE("every region and flag combination equals the rule-set file", "[endpoints][model]") {
  const std::string dir = std::string(IVSRT_SHARED_DIR) + "/model/";
  const std::string rules_path = dir + "ivs-realtime-2020-07-14.endpoint-rule-set.json";
  const std::string partitions_path = dir + "partitions.json";
  if (!std::ifstream(rules_path) || !std::ifstream(partitions_path))
    IVSRT_SKIP("the shared model is not present");
  rule_set_interpreter interpreter(rules_path, partitions_path);

  std::vector<std::optional<std::string>> regions(extra_regions.begin(), extra_regions.end());
  simdjson::dom::parser parser;
  element doc;
  REQUIRE(parser.load(partitions_path).get(doc) == simdjson::SUCCESS);
  std::size_t listed = 0;
  for (element p : items(at(doc, "partitions"))) {
    simdjson::dom::object listed_regions;
    REQUIRE(at(p, "regions").get(listed_regions) == simdjson::SUCCESS);
    for (auto [name, description] : listed_regions) {
      regions.emplace_back(std::string(name));
      ++listed;
    }
  }
  REQUIRE(listed == std::size(endpoints::known_regions));  // the generated tables are current
  regions.emplace_back(std::nullopt);
  std::size_t cases = 0;
  for (const auto& region : regions) {
    for (bool fips : {false, true}) {
      for (bool dual : {false, true}) {
        for (std::optional<std::string> endpoint :
             {std::optional<std::string>(), std::optional<std::string>("https://vpce.example.com")}) {
          object input{{"UseFIPS", value{fips}}, {"UseDualStack", value{dual}}};
          if (region) input["Region"] = value{*region};
          if (endpoint) input["Endpoint"] = value{*endpoint};
          INFO((region ? *region : "(no region)")
               << " fips=" << fips << " dualstack=" << dual << " endpoint=" << endpoint.value_or("-"));
          REQUIRE(resolve(region, fips, dual, endpoint) == interpreter.resolve(input));
          ++cases;
        }
      }
    }
  }
  REQUIRE(cases == regions.size() * 8);
}
