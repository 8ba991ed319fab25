// The library against the service model, read at run time: every operation (name, method, URI,
// input, output, idempotency token, pagination), every structure reachable from an operation or
// an error (each member with its wire name, type, required or optional, constraints and HTTP
// binding) and every enum with its values. The C++ side is described by reflection over
// ivsrt::all_operations and ivsrt::all_errors; the model side straight from the JSON. Skips when
// the model is not present.
#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "botocore_responses.hpp"
#include "catch.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/rest_json.hpp"
#include "ivsrt/value_kinds.hpp"
#include "model_fill.hpp"

namespace {

namespace dom = simdjson::dom;

struct member_info {
  std::string wire_name;
  std::string type;
  bool required = false;
  std::string limits;   // "", or e.g. "size 0..50, keys 1..128, values 0..256"
  std::string binding;  // "", or e.g. "header Cache-Control"
};

struct shape_info {
  std::string kind;  // "structure" or "enum"
  std::vector<member_info> members;
  std::vector<std::string> values;
};

// Everything the comparison looks at, keyed by shape or operation name.
struct description {
  std::map<std::string, shape_info> shapes;
  std::map<std::string, std::vector<std::string>> operations;
  std::vector<std::string> errors;
};

std::string number(double v) {
  return v == std::floor(v) ? std::to_string(static_cast<long long>(v)) : std::to_string(v);
}

std::string range(const char* what, double min, double max) {
  if (!std::isfinite(min) && !std::isfinite(max)) return {};
  return std::string(what) + " " + (std::isfinite(min) ? number(min) : "") + ".." +
         (std::isfinite(max) ? number(max) : "");
}

std::string limits_text(double min, double max, double key_min, double key_max, double item_min,
                        double item_max) {
  std::string out;
  for (const std::string& part :
       {range("size", min, max), range("keys", key_min, key_max), range("items", item_min, item_max)}) {
    if (part.empty()) continue;
    out += out.empty() ? "" : ", ";
    out += part;
  }
  return out;
}

// ---- The library, by reflection.

template <class V>
std::string type_of(description& d);

template <class T>
void describe_structure(description& d) {
  const std::string name(ivsrt::reflect::short_type_name<T>);
  if (d.shapes.count(name) != 0) return;
  shape_info& info = d.shapes[name];
  info.kind = "structure";
  std::vector<member_info> members;
  T probe{};
  ivsrt::reflect::for_each_member(probe, [&](auto index, const auto& member) {
    constexpr std::size_t i = decltype(index)::value;
    using M = std::remove_cvref_t<decltype(member)>;
    const std::string_view cpp_name = ivsrt::reflect::member_names<T>[i];
    member_info m;
    m.wire_name = std::string(ivsrt::reflect::wire_names<T>[i]);
    m.required = !ivsrt::kinds::optional<M>;
    if constexpr (ivsrt::kinds::optional<M>) {
      m.type = type_of<typename M::value_type>(d);
    } else {
      m.type = type_of<M>(d);
    }
    for (const auto& l : ivsrt::constraints<T>::members) {
      if (l.member == cpp_name)
        m.limits = limits_text(l.min, l.max, l.key_min, l.key_max, l.item_min, l.item_max);
    }
    for (const auto& b : ivsrt::http_bindings<T>::members) {
      if (b.member != cpp_name) continue;
      const char* where = b.where == ivsrt::location::uri     ? "uri"
                          : b.where == ivsrt::location::query ? "query"
                                                              : "header";
      m.binding = std::string(where) + " " + std::string(b.wire_name);
    }
    members.push_back(std::move(m));
  });
  d.shapes[name].members = std::move(members);
}

template <class V>
std::string type_of(description& d) {
  namespace kinds = ivsrt::kinds;
  if constexpr (kinds::string<V>) {
    return "string";
  } else if constexpr (kinds::secret<V>) {
    return "sensitive string";
  } else if constexpr (kinds::boolean<V>) {
    return "boolean";
  } else if constexpr (std::is_same_v<V, std::int32_t>) {
    return "integer";
  } else if constexpr (std::is_same_v<V, std::int64_t>) {
    return "long";
  } else if constexpr (std::is_same_v<V, float>) {
    return "float";
  } else if constexpr (std::is_same_v<V, double>) {
    return "double";
  } else if constexpr (kinds::time_point<V>) {
    return "timestamp";
  } else if constexpr (kinds::enumeration<V>) {
    using E = typename V::enum_type;
    const std::string name(ivsrt::reflect::short_type_name<E>);
    shape_info& info = d.shapes[name];
    info.kind = "enum";
    info.values.clear();
    for (auto s : enum_strings(E{})) info.values.emplace_back(s);
    return "enum " + name;
  } else if constexpr (kinds::list<V>) {
    return "list of " + type_of<typename V::value_type>(d);
  } else if constexpr (kinds::map<V>) {
    return "map of string to " + type_of<typename V::mapped_type>(d);
  } else if constexpr (kinds::structure<V>) {
    describe_structure<V>(d);
    return "structure " + std::string(ivsrt::reflect::short_type_name<V>);
  } else {
    static_assert(sizeof(V) == 0, "a member type the model does not use");
  }
}

template <class Req>
std::vector<std::string> operation_facts(description& d) {
  using op = ivsrt::operation<Req>;
  describe_structure<Req>(d);
  describe_structure<typename op::output>(d);
  std::vector<std::string> facts = {
      "method " + std::string(op::method), "uri " + std::string(op::uri),
      "input " + std::string(ivsrt::reflect::short_type_name<Req>),
      "output " + std::string(ivsrt::reflect::short_type_name<typename op::output>)};
  if (!op::idempotency_token.empty())
    facts.push_back("idempotency token " + std::string(op::idempotency_token));
  if constexpr (op::paging.enabled()) {
    facts.push_back("paginated: input token " + std::string(op::paging.input_token) + ", output token " +
                    std::string(op::paging.output_token) + ", page size " +
                    std::string(op::paging.page_size) + ", items " + std::string(op::paging.items));
  }
  return facts;
}

description describe_library() {
  description d;
  ivsrt_test::for_each_type(ivsrt::all_operations{}, [&]<class Req>() {
    d.operations[std::string(ivsrt::operation<Req>::name)] = operation_facts<Req>(d);
  });
  ivsrt_test::for_each_type(ivsrt::all_errors{}, [&]<class E>() {
    describe_structure<E>(d);
    d.errors.emplace_back(ivsrt::reflect::short_type_name<E>);
  });
  return d;
}

// ---- The model, from its JSON.

// The object under `key`. Returned by value: a range-for over `...get_object().value_unsafe()`
// would iterate a reference into a temporary that is gone when the loop starts.
dom::object object_at(dom::element e, std::string_view key) {
  dom::object out;
  if (e.at_key(key).get_object().get(out) != simdjson::SUCCESS)
    FAIL("no object \"" << key << "\" in the model");
  return out;
}

class model_reader {
 public:
  explicit model_reader(dom::element shapes) : shapes_(shapes) {}

  dom::element shape(std::string_view name) const { return shapes_.at_key(name).value_unsafe(); }

  static std::string text(dom::element e, std::string_view key) {
    std::string_view s;
    return e.at_key(key).get_string().get(s) == simdjson::SUCCESS ? std::string(s) : std::string();
  }
  static double bound(dom::element e, std::string_view key, double otherwise) {
    double v = 0;
    return e.at_key(key).get_double().get(v) == simdjson::SUCCESS ? v : otherwise;
  }

  std::string type_of(std::string_view name, description& d) {
    const dom::element s = shape(name);
    const std::string type = text(s, "type");
    dom::array values;
    if (type == "string" && s.at_key("enum").get_array().get(values) == simdjson::SUCCESS) {
      shape_info& info = d.shapes[std::string(name)];
      info.kind = "enum";
      info.values.clear();
      for (dom::element v : values) info.values.emplace_back(v.get_string().value_unsafe());
      return "enum " + std::string(name);
    }
    bool sensitive = false;
    if (type == "string") {
      return s.at_key("sensitive").get_bool().get(sensitive) == simdjson::SUCCESS && sensitive
                 ? "sensitive string"
                 : "string";
    }
    if (type == "list") return "list of " + type_of(text(s.at_key("member").value_unsafe(), "shape"), d);
    if (type == "map") {
      return "map of " + type_of(text(s.at_key("key").value_unsafe(), "shape"), d) + " to " +
             type_of(text(s.at_key("value").value_unsafe(), "shape"), d);
    }
    if (type == "structure") {
      structure(name, d);
      return "structure " + std::string(name);
    }
    return type;  // integer, long, float, double, boolean, timestamp
  }

  // Constraints are generated for the structures a request reaches (responses are not validated).
  void structure(std::string_view name, description& d) {
    const std::string key(name);
    if (d.shapes.count(key) != 0) return;
    d.shapes[key].kind = "structure";
    const dom::element s = shape(name);
    std::set<std::string> required;
    dom::array req;
    if (s.at_key("required").get_array().get(req) == simdjson::SUCCESS) {
      for (dom::element r : req) required.emplace(r.get_string().value_unsafe());
    }
    std::vector<member_info> members;
    for (auto [mname, m] : object_at(s, "members")) {
      member_info info;
      const std::string target = text(m, "shape");
      const std::string location = text(m, "location");
      const std::string location_name = text(m, "locationName");
      info.wire_name = location.empty() && !location_name.empty() ? location_name : std::string(mname);
      info.type = type_of(target, d);
      info.required = required.count(std::string(mname)) != 0;
      if (!location.empty()) {
        info.binding = (location == "querystring" ? std::string("query") : location) + " " + location_name;
      }
      if (request_shapes_.count(key) != 0) info.limits = limits_of(target);
      members.push_back(std::move(info));
    }
    d.shapes[key].members = std::move(members);
  }

  std::string limits_of(std::string_view target) const {
    constexpr double inf = ivsrt::unbounded;
    const dom::element t = shape(target);
    const std::string type = text(t, "type");
    double key_min = -inf, key_max = inf, item_min = -inf, item_max = inf;
    if (type == "list") {
      const dom::element item = shape(text(t.at_key("member").value_unsafe(), "shape"));
      item_min = bound(item, "min", -inf);
      item_max = bound(item, "max", inf);
    } else if (type == "map") {
      const dom::element k = shape(text(t.at_key("key").value_unsafe(), "shape"));
      const dom::element v = shape(text(t.at_key("value").value_unsafe(), "shape"));
      key_min = bound(k, "min", -inf);
      key_max = bound(k, "max", inf);
      item_min = bound(v, "min", -inf);
      item_max = bound(v, "max", inf);
    }
    return limits_text(bound(t, "min", -inf), bound(t, "max", inf), key_min, key_max, item_min, item_max);
  }

  void reach(std::string_view name, std::set<std::string>& acc) const {
    if (!acc.emplace(name).second) return;
    const dom::element s = shape(name);
    const std::string type = text(s, "type");
    if (type == "structure") {
      for (auto [mname, m] : object_at(s, "members")) reach(text(m, "shape"), acc);
    } else if (type == "list") {
      reach(text(s.at_key("member").value_unsafe(), "shape"), acc);
    } else if (type == "map") {
      reach(text(s.at_key("key").value_unsafe(), "shape"), acc);
      reach(text(s.at_key("value").value_unsafe(), "shape"), acc);
    }
  }

  std::set<std::string> request_shapes_;

 private:
  dom::element shapes_;
};

// The model's own paginators file names only some paginated operations; the others are
// recognised by their shape (nextToken and maxResults in, nextToken and one list out).
std::string paging_of(model_reader& m, dom::element op, dom::element paginators, std::string_view name) {
  const std::string input = model_reader::text(op.at_key("input").value_unsafe(), "shape");
  const std::string output = model_reader::text(op.at_key("output").value_unsafe(), "shape");
  dom::element listed;
  if (paginators.at_key(name).get(listed) == simdjson::SUCCESS) {
    return "paginated: input token " + model_reader::text(listed, "input_token") + ", output token " +
           model_reader::text(listed, "output_token") + ", page size " +
           model_reader::text(listed, "limit_key") + ", items " + model_reader::text(listed, "result_key");
  }
  const dom::object in = object_at(m.shape(input), "members");
  const dom::object out = object_at(m.shape(output), "members");
  dom::element unused;
  if (in.at_key("nextToken").get(unused) != simdjson::SUCCESS ||
      in.at_key("maxResults").get(unused) != simdjson::SUCCESS ||
      out.at_key("nextToken").get(unused) != simdjson::SUCCESS) {
    return {};
  }
  std::vector<std::string> lists;
  for (auto [mname, mm] : out) {
    if (model_reader::text(m.shape(model_reader::text(mm, "shape")), "type") == "list")
      lists.emplace_back(mname);
  }
  if (lists.size() != 1) return {};
  return "paginated: input token nextToken, output token nextToken, page size maxResults, items " + lists[0];
}

description describe_model(const std::string& service_json, const std::string& paginators_json) {
  description d;
  dom::parser parser;
  dom::parser paginator_parser;
  dom::element root;
  dom::element pages;
  REQUIRE(parser.parse(service_json).get(root) == simdjson::SUCCESS);
  REQUIRE(paginator_parser.parse(paginators_json).get(pages) == simdjson::SUCCESS);
  dom::element paginators = pages.at_key("pagination").value_unsafe();
  model_reader m(root.at_key("shapes").value_unsafe());
  const dom::object ops = object_at(root, "operations");
  for (auto [name, op] : ops) {
    m.reach(model_reader::text(op.at_key("input").value_unsafe(), "shape"), m.request_shapes_);
  }
  for (auto [name, op] : ops) {
    const std::string input = model_reader::text(op.at_key("input").value_unsafe(), "shape");
    const std::string output = model_reader::text(op.at_key("output").value_unsafe(), "shape");
    m.structure(input, d);
    m.structure(output, d);
    const dom::element http = op.at_key("http").value_unsafe();
    std::vector<std::string> facts = {"method " + model_reader::text(http, "method"),
                                      "uri " + model_reader::text(http, "requestUri"), "input " + input,
                                      "output " + output};
    for (auto [mname, mm] : object_at(m.shape(input), "members")) {
      bool token = false;
      if (mm.at_key("idempotencyToken").get_bool().get(token) == simdjson::SUCCESS && token) {
        facts.push_back("idempotency token " + std::string(mname));
      }
    }
    const std::string paging = paging_of(m, op, paginators, name);
    if (!paging.empty()) facts.push_back(paging);
    d.operations[std::string(name)] = std::move(facts);
  }
  for (auto [name, s] : object_at(root, "shapes")) {
    bool exception = false;
    if (s.at_key("exception").get_bool().get(exception) == simdjson::SUCCESS && exception) {
      m.structure(name, d);
      d.errors.emplace_back(name);
    }
  }
  return d;
}

// ---- The comparison.

std::vector<std::string> compare(const description& lib, const description& model) {
  std::vector<std::string> out;
  for (const auto& [name, facts] : model.operations) {
    auto it = lib.operations.find(name);
    if (it == lib.operations.end()) {
      out.push_back("operation " + name + " is missing from all_operations");
    } else if (it->second != facts) {
      std::string have, want;
      for (const auto& f : it->second) have += "\n    " + f;
      for (const auto& f : facts) want += "\n    " + f;
      out.push_back("operation " + name + ":\n  library:" + have + "\n  model:" + want);
    }
  }
  for (const auto& [name, facts] : lib.operations) {
    if (model.operations.count(name) == 0) out.push_back("operation " + name + " is not in the model");
  }
  for (const auto& [name, want] : model.shapes) {
    auto it = lib.shapes.find(name);
    if (it == lib.shapes.end()) {
      out.push_back(want.kind + " " + name + " is missing from the library");
      continue;
    }
    const shape_info& have = it->second;
    if (have.kind != want.kind) out.push_back(name + " is a " + have.kind + ", the model has a " + want.kind);
    if (have.values != want.values) out.push_back("enum " + name + " has different values");
    const std::size_t n = std::max(have.members.size(), want.members.size());
    for (std::size_t i = 0; i < n; ++i) {
      const std::string where = name + " member " + std::to_string(i) + " (" +
                                (i < want.members.size() ? want.members[i].wire_name : std::string("none")) +
                                ")";
      if (i >= have.members.size()) {
        out.push_back(where + ": missing from the library");
        continue;
      }
      if (i >= want.members.size()) {
        out.push_back(name + " has member " + have.members[i].wire_name + " that the model lacks");
        continue;
      }
      const member_info& h = have.members[i];
      const member_info& w = want.members[i];
      if (h.wire_name != w.wire_name) out.push_back(where + ": library names it " + h.wire_name);
      if (h.type != w.type) out.push_back(where + ": library type " + h.type + ", model type " + w.type);
      if (h.required != w.required) {
        out.push_back(where + (w.required ? ": required in the model, optional in the library"
                                          : ": optional in the model, required in the library"));
      }
      if (h.limits != w.limits)
        out.push_back(where + ": library limits [" + h.limits + "], model [" + w.limits + "]");
      if (h.binding != w.binding) {
        out.push_back(where + ": library binding [" + h.binding + "], model [" + w.binding + "]");
      }
    }
  }
  for (const auto& [name, have] : lib.shapes) {
    if (model.shapes.count(name) == 0) out.push_back(have.kind + " " + name + " is not in the model");
  }
  std::vector<std::string> lib_errors = lib.errors;
  std::vector<std::string> model_errors = model.errors;
  std::sort(lib_errors.begin(), lib_errors.end());
  std::sort(model_errors.begin(), model_errors.end());
  if (lib_errors != model_errors) out.push_back("all_errors differs from the model's exception shapes");
  return out;
}

bool read_file(const std::string& path, std::string& out) {
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path).get(text) != simdjson::SUCCESS) return false;
  out.assign(text.data(), text.size());
  return true;
}

struct model_files {
  std::string service;
  std::string paginators;
};

bool load_model(model_files& files) {
  const std::string dir = std::string(IVSRT_SHARED_DIR) + "/model/ivs-realtime-2020-07-14";
  return read_file(dir + ".service.json", files.service) &&
         read_file(dir + ".paginators.json", files.paginators);
}

std::string replace_once(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("every operation, shape and member of the model is in the library, exactly", "[model]") {
  model_files files;
  if (!load_model(files)) IVSRT_SKIP("the service model is not present in " IVSRT_SHARED_DIR "/model");
  const description lib = describe_library();
  const description model = describe_model(files.service, files.paginators);
  const auto problems = compare(lib, model);
  std::string all;
  for (const auto& p : problems) all += p + "\n";
  INFO(all);
  REQUIRE(problems.empty());

  std::size_t structures = 0;
  std::size_t enums = 0;
  std::size_t members = 0;
  for (const auto& [name, s] : model.shapes) {
    (s.kind == "structure" ? structures : enums) += 1;
    members += s.members.size();
  }
  INFO(structures << " structures, " << enums << " enums, " << members << " members");
  REQUIRE(model.operations.size() == ivsrt_test::size_of(ivsrt::all_operations{}));
  REQUIRE(lib.shapes.size() == model.shapes.size());
}

TEST_CASE(
    "the model check notices a renamed member, a changed type, a dropped requirement and a lost paginator",
    "[model]") {
  model_files files;
  if (!load_model(files)) IVSRT_SKIP("the service model is not present in " IVSRT_SHARED_DIR "/model");
  const description lib = describe_library();
  const std::pair<std::string, std::string> mutations[][2] = {
      {{R"("participantTokenConfigurations":{"shape")", R"("participantTokenConfigs":{"shape")"},
       {"CreateStageRequest member 1 (participantTokenConfigs)",
        "library names it participantTokenConfigurations"}},
      {{R"("Framerate":{"type":"float")", R"("Framerate":{"type":"double")"},
       {"Video member 2 (framerate)", "library type float, model type double"}},
      {{R"("required":["storageConfigurationArn"])", R"("required":[])"},
       {"AutoParticipantRecordingConfiguration member 0", "required in the library"}},
      {{R"("MaxStageResults":{"type":"integer","box":true,"max":100,"min":1})",
        R"("MaxStageResults":{"type":"integer","box":true,"max":99,"min":1})"},
       {"ListStagesRequest member 1 (maxResults)", "model [size 1..99]"}},
      {{R"("ParticipantTokenString":{"type":"string","sensitive":true})",
        R"("ParticipantTokenString":{"type":"string"})"},
       {"ParticipantToken member 1 (token)", "library type sensitive string, model type string"}},
      {{R"("STATIC","DYNAMIC")", R"("STATIC","DYNAMIC","WOBBLY")"}, {"enum PipBehavior", "different values"}},
      {{R"("maxResults":{"shape":"MaxStageResults"})", R"("pageSize":{"shape":"MaxStageResults"})"},
       {"operation ListStages", "paginated"}},
  };
  for (const auto& [mutation, expected] : mutations) {
    INFO("mutation: " << mutation.first << " -> " << mutation.second);
    std::string service = files.service;
    // The model file is pretty-printed; match the mutation against its compact form.
    dom::parser parser;
    dom::element root;
    REQUIRE(parser.parse(service).get(root) == simdjson::SUCCESS);
    service = replace_once(simdjson::minify(root), mutation.first, mutation.second);
    const auto problems = compare(lib, describe_model(service, files.paginators));
    std::string all;
    for (const auto& p : problems) all += p + "\n";
    INFO(all);
    bool found = false;
    for (const auto& p : problems) {
      found = found ||
              (p.find(expected.first) != std::string::npos && p.find(expected.second) != std::string::npos);
    }
    REQUIRE(found);
  }
}

TEST_CASE("the ten list operations are paginated, the others are not", "[model]") {
  std::set<std::string> names;
  ivsrt_test::for_each_type(ivsrt_test::paginated_operations{},
                            [&]<class Req>() { names.emplace(ivsrt::operation<Req>::name); });
  REQUIRE(names == std::set<std::string>{"ListCompositions", "ListEncoderConfigurations",
                                         "ListIngestConfigurations", "ListParticipantEvents",
                                         "ListParticipantReplicas", "ListParticipants", "ListPublicKeys",
                                         "ListStageSessions", "ListStages", "ListStorageConfigurations"});
  STATIC_REQUIRE_FALSE(ivsrt::operation<ivsrt::ListTagsForResourceRequest>::paging.enabled());
}

TEST_CASE("an operation carries secrets exactly when its filled request or output redacts something",
          "[model][secrets]") {
  // Decides whether a call's kept response body is overwritten when it ends: compare the type
  // trait with what the JSON writer actually redacts in values with every member set.
  std::set<std::string> carrying;
  ivsrt_test::for_each_type(ivsrt::all_operations{}, [&]<class Req>() {
    using Out = typename ivsrt::operation<Req>::output;
    const auto redacts = [](const auto& v) {
      return *ivsrt::json::to_json(v, {.redact_sensitive = true, .pretty = false}) !=
             *ivsrt::json::to_json(v, {.redact_sensitive = false, .pretty = false});
    };
    const Req request = ivsrt_test::filled<Req>();
    const bool expected = redacts(request) || redacts(ivsrt_test::filled<Out>());
    INFO(ivsrt::operation<Req>::name);
    const auto enc = ivsrt::rest_json::encode(request);
    REQUIRE(enc.ok());
    REQUIRE(enc->carries_secrets == expected);
    if (expected) carrying.emplace(ivsrt::operation<Req>::name);
  });
  // Participant tokens and stream keys; most operations carry none.
  REQUIRE(carrying.count("CreateParticipantToken") == 1);
  REQUIRE(carrying.count("CreateIngestConfiguration") == 1);
  REQUIRE(carrying.count("GetStage") == 0);
}

TEST_CASE("random responses read as botocore reads them", "[model][botocore]") {
  // Recorded: 300 responses to random operations with members present, absent and null in any
  // order, unknown members and enum values, escaped and raw non-ASCII text, ISO 8601 and epoch
  // timestamps, header-bound members and empty bodies. The wire tests draw 1000 more afresh where
  // botocore is installed.
  std::ifstream recorded(std::string(IVSRT_TEST_SOURCE_DIR) + "/data/botocore_responses.txt");
  REQUIRE(recorded);
  const auto cases = ivsrt_test::read_botocore_responses(recorded);
  REQUIRE(cases.size() == 300);
  ivsrt_test::require_botocore_readings(cases);
}
