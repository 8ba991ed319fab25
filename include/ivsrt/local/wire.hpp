// The server side of restJson1: an HTTP request becomes the operation's request struct (body by
// the library's JSON reader, URI labels, query and headers by the operation's bindings), checked for
// required members and against the model's constraints; an output struct or an error becomes the
// HTTP response. No operation has code of its own here: reflection and the traits do it all.
#pragma once

#include <simdjson.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/local/errors.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/operation.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/rest_json.hpp"
#include "ivsrt/uri.hpp"
#include "ivsrt/validate.hpp"
#include "ivsrt/value_kinds.hpp"

namespace ivsrt::local {

// A request as the HTTP server received it.
struct incoming {
  std::string method;
  std::string path;                                        // raw, still percent-encoded
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  http::header_list headers;
  std::string body;

  [[nodiscard]] std::string_view header(std::string_view name) const {
    return http::find_header(headers, name);
  }
};

// A response to send.
struct outgoing {
  int status = 200;
  http::header_list headers;
  std::string body;
};

// URI labels of a matched route: (label name, decoded value).
using uri_labels = std::vector<std::pair<std::string, std::string>>;

// Splits a raw query string into decoded pairs; '+' stays '+' (SigV4 clients encode spaces as %20).
inline std::vector<std::pair<std::string, std::string>> parse_query(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!raw.empty()) {
    const std::size_t amp = raw.find('&');
    std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::string_view k = pair.substr(0, eq);
    std::string_view v = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    auto dk = uri::decode(k);
    auto dv = uri::decode(v);
    out.emplace_back(dk ? *dk : std::string(k), dv ? *dv : std::string(v));
  }
  return out;
}

namespace detail {

// Which members of T travel outside the JSON body (URI, query, headers), member by member: the
// facts rest_json's member table holds, in a form clang 14 also evaluates for the error shapes.
template <class T, std::size_t... I>
constexpr std::array<bool, sizeof...(I)> bound_members(std::index_sequence<I...> /*unused*/) {
  return {rest_json::binding_of<T>(reflect::member_names<T>[I]).found...};
}

template <class T>
inline constexpr auto bound = bound_members<T>(std::make_index_sequence<reflect::member_count<T>>{});

template <class T>
inline constexpr bool has_body_members = [] {
  for (bool b : bound<T>) {
    if (!b) return true;
  }
  return false;
}();

template <class T>
struct strip_optional {
  using type = T;
};
template <class T>
struct strip_optional<optional<T>> {
  using type = T;
};

// Finds required members (those that are not optionals) that the JSON document leaves out or sets
// to null, at every depth. The reader cannot tell: an absent member simply keeps its default.
// Table-driven like the JSON reader: each struct has a table of its members, and the walk itself is
// not a template.
class presence_check {
 public:
  // Checks the members of one JSON value of a known type, below `path`.
  using nested_function = void (*)(presence_check&, json::dom::element, const std::string& path);

  struct member {
    std::string_view name;
    bool required = false;
    nested_function nested = nullptr;  // nullptr: the member holds no structures
  };

  std::vector<std::string> missing;

  // Checks one object against its member table; members whose skip[i] is true are not required.
  void object(json::dom::object obj, const std::string& path, const member* members, std::size_t n,
              const bool* skip) {
    std::vector<bool> seen(n);
    for (json::dom::key_value_pair field : obj) {
      if (field.value.is_null()) continue;
      for (std::size_t i = 0; i < n; ++i) {
        if (members[i].name != field.key) continue;
        seen[i] = true;
        if (members[i].nested != nullptr) members[i].nested(*this, field.value, join(path, members[i].name));
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (members[i].required && !seen[i] && (skip == nullptr || !skip[i]))
        missing.push_back(join(path, members[i].name));
    }
  }

 private:
  static std::string join(const std::string& path, std::string_view name) {
    return path.empty() ? std::string(name) : path + "." + std::string(name);
  }

  template <class V>
  static constexpr nested_function nested_of() {
    if constexpr (kinds::structure<V>) {
      return &structure<V>;
    } else if constexpr (kinds::list<V>) {
      if constexpr (kinds::structure<typename V::value_type>) return &list<typename V::value_type>;
      return nullptr;
    } else if constexpr (kinds::map<V>) {
      if constexpr (kinds::structure<typename V::mapped_type>) return &map<typename V::mapped_type>;
      return nullptr;
    } else {
      return nullptr;
    }
  }

  template <class V>
  static void structure(presence_check& check, json::dom::element v, const std::string& path) {
    check.structure(v, path, table<V>.data(), table<V>.size());
  }
  template <class V>
  static void list(presence_check& check, json::dom::element v, const std::string& path) {
    check.list(v, path, table<V>.data(), table<V>.size());
  }
  template <class V>
  static void map(presence_check& check, json::dom::element v, const std::string& path) {
    check.map(v, path, table<V>.data(), table<V>.size());
  }

  void structure(json::dom::element v, const std::string& path, const member* members, std::size_t n) {
    json::dom::object o;
    if (v.get_object().get(o) == simdjson::SUCCESS) object(o, path, members, n, nullptr);
  }

  // A list of structures: each element that is not null.
  void list(json::dom::element v, const std::string& path, const member* members, std::size_t n) {
    json::dom::array a;
    if (v.get_array().get(a) != simdjson::SUCCESS) return;
    std::size_t i = 0;
    for (json::dom::element item : a) {
      if (!item.is_null()) structure(item, path + "[" + std::to_string(i) + "]", members, n);
      ++i;
    }
  }

  // A map of structures: each value.
  void map(json::dom::element v, const std::string& path, const member* members, std::size_t n) {
    json::dom::object o;
    if (v.get_object().get(o) != simdjson::SUCCESS) return;
    for (json::dom::key_value_pair field : o)
      structure(field.value, path + "." + std::string(field.key), members, n);
  }

 public:
  // The member table of T, built at compile time.
  template <class T>
  static constexpr auto table = []<class... M>(reflect::types<M...> /*unused*/) {
    std::size_t i = 0;
    return std::array<member, sizeof...(M)>{member{reflect::wire_names<T>[i++], !kinds::optional<M>,
                                                   nested_of<typename strip_optional<M>::type>()}...};
  }(reflect::member_types<T>{});
};

// One parse of a request body: read into `out` through `read`, then the required members the
// document leaves out, checked against a member table.
struct body_reading {
  void* out;
  json::detail::document_reader read;
  const presence_check::member* members;
  std::size_t n;
  const bool* skip;
  std::vector<std::string> missing{};
};

inline bool read_and_check(json::reader& r, json::dom::element doc, void* reading) {
  auto& b = *static_cast<body_reading*>(reading);
  if (!b.read(r, doc, b.out)) return false;
  json::dom::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) return true;  // not so: read() took an object
  presence_check check;
  check.object(root, "", b.members, b.n, b.skip);
  b.missing = std::move(check.missing);
  return true;
}

// Converts a URI label, query value or header value to the member's type.
template <class V>
bool from_text(std::string_view text, V& out) {
  if constexpr (kinds::optional<V>) {
    out.emplace();
    return from_text(text, *out);
  } else if constexpr (kinds::list<V>) {
    out.emplace_back();
    return from_text(text, out.back());
  } else if constexpr (kinds::string<V>) {
    out = std::string(text);
    return true;
  } else if constexpr (kinds::enumeration<V>) {
    out = V::from_string(text);
    return true;
  } else if constexpr (kinds::boolean<V>) {
    if (text != "true" && text != "false") return false;
    out = text == "true";
    return true;
  } else if constexpr (kinds::integer<V>) {
    if (text.empty() || text.size() > 18) return false;
    long long v = 0;
    bool negative = text.front() == '-';
    for (char c : negative ? text.substr(1) : text) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    v = negative ? -v : v;
    out = static_cast<V>(v);
    return static_cast<long long>(out) == v;
  } else {
    static_assert(sizeof(V) == 0, "unsupported type for a URI, query or header binding");
  }
}

}  // namespace detail

namespace detail {

// Adds to a request's problems: a bound member that holds an invalid value (ok false) or is missing.
inline void note_problem(std::string& problem, std::string_view member, bool ok) {
  problem += (problem.empty() ? "" : "; ") + std::string(member) +
             (ok ? ": required member is missing" : ": invalid value");
}

// The part of read_body that does not depend on the type: the body's JSON into `out` (through
// `read`) and the required members it leaves out (through the member table).
inline result<void> read_json_body(std::string_view text, void* out, json::detail::document_reader read,
                                   const presence_check::member* members, std::size_t n, const bool* skip) {
  while (!text.empty() &&
         (text.front() == ' ' || text.front() == '\n' || text.front() == '\r' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  if (text.empty()) text = "{}";
  body_reading body{.out = out, .read = read, .members = members, .n = n, .skip = skip};
  auto parsed = json::detail::parse_document(text, 0, &body, &read_and_check);
  if (!parsed) return api_error(400, "SerializationException", parsed.error().message);
  if (!body.missing.empty()) {
    std::string message;
    for (const auto& m : body.missing)
      message += (message.empty() ? "" : "; ") + m + ": required member is missing";
    return validation_error(std::move(message));
  }
  return {};
}

}  // namespace detail

// T from a JSON body (empty means {}): a SerializationException when the body is not T's JSON,
// a ValidationException naming every required member it leaves out.
template <class T>
result<T> read_body(std::string_view text) {
  T out{};
  constexpr const auto& members = detail::presence_check::table<T>;
  auto read = detail::read_json_body(text, &out, &json::detail::read_document<T>, members.data(),
                                     members.size(), detail::bound<T>.data());
  if (!read) return read.error();
  return out;
}

// The request struct for Req from an HTTP request, or the error the service would answer with:
// SerializationException for a body that is not the operation's JSON, ValidationException for
// missing members and broken constraints.
template <request Req>
result<Req> read_request(const incoming& in, const uri_labels& labels) {
  Req req{};
  if constexpr (detail::has_body_members<Req>) {
    constexpr const auto& members = detail::presence_check::table<Req>;
    auto body = detail::read_json_body(in.body, &req, &json::detail::read_document<Req>, members.data(),
                                       members.size(), detail::bound<Req>.data());
    if (!body) return body.error();
  }
  std::string problem;
  reflect::for_each_member(req, [&](auto index, auto& member) {
    constexpr rest_json::member_binding b =
        rest_json::binding_of<Req>(reflect::member_names<Req>[decltype(index)::value]);
    if constexpr (b.found) {
      using V = std::remove_cvref_t<decltype(member)>;
      bool found = false;
      bool ok = true;
      if constexpr (b.where == location::uri) {
        for (const auto& [name, value] : labels) {
          if (name == b.wire_name) {
            found = true;
            ok = detail::from_text(value, member);
          }
        }
      } else if constexpr (b.where == location::query) {
        for (const auto& [key, value] : in.query) {
          if (key != b.wire_name) continue;
          if (found && !kinds::list<typename detail::strip_optional<V>::type>) continue;
          if constexpr (kinds::optional<V> && kinds::list<typename detail::strip_optional<V>::type>) {
            if (!member.has_value()) member.emplace();
            ok = ok && detail::from_text(value, *member);
          } else {
            ok = ok && detail::from_text(value, member);
          }
          found = true;
        }
      } else {
        std::string_view value = in.header(b.wire_name);
        if (http::has_header(in.headers, b.wire_name)) {
          found = true;
          ok = detail::from_text(value, member);
        }
      }
      if (!ok || (!found && !kinds::optional<V>)) detail::note_problem(problem, b.member, ok);
    }
  });
  if (!problem.empty()) return validation_error(std::move(problem));
  // The service knows every value of its own enums: one it does not know is a bad request.
  auto valid = validation::check(req, validation::unknown_enums::refuse);
  if (!valid) return validation_error(valid.error().message);
  return req;
}

namespace detail {

// Writes the struct at `object`, whose type the function knows, as a JSON object.
using object_writer = bool (*)(json::writer&, const void* object);

template <class Out>
bool write_body(json::writer& w, const void* object) {
  return w.object(*static_cast<const Out*>(object), bound<Out>.data());
}

template <class Out>
constexpr object_writer body_writer() {
  if constexpr (has_body_members<Out>) {
    return &write_body<Out>;
  } else {
    return nullptr;
  }
}

// The part of write_response that does not depend on the type: a JSON response whose body (when
// `write` is not nullptr) is the struct at `object`; false, with a 500 response, when it cannot be
// written.
inline bool json_response(outgoing& o, const void* object, object_writer write, int status) {
  o.status = status;
  o.headers.emplace_back("Content-Type", "application/json");
  if (write != nullptr) {
    json::writer w(o.body);
    if (!write(w, object)) {
      o.status = 500;
      o.body = R"({"message":"the response could not be written"})";
      return false;
    }
  }
  return true;
}

}  // namespace detail

// A 200 response carrying out: body members as JSON, header members as headers.
template <class Out>
outgoing write_response(const Out& out, int status = 200) {
  outgoing o;
  if (!detail::json_response(o, &out, detail::body_writer<Out>(), status)) return o;
  reflect::for_each_member(out, [&](auto index, const auto& member) {
    constexpr rest_json::member_binding b =
        rest_json::binding_of<Out>(reflect::member_names<Out>[decltype(index)::value]);
    if constexpr (b.found && b.where == location::header) {
      if constexpr (kinds::optional<std::remove_cvref_t<decltype(member)>>) {
        if (member.has_value()) o.headers.emplace_back(std::string(b.wire_name), std::string(*member));
      } else {
        o.headers.emplace_back(std::string(b.wire_name), std::string(member));
      }
    }
  });
  return o;
}

namespace detail {

// The body of an error the model does not describe (throttling, authentication).
struct unmodeled_error {
  std::string message{};
};

template <class E>
bool write_modeled(const error& e, outgoing& o) {
  if (reflect::short_type_name<E> != e.code) return false;
  E shape{};
  shape.xAmznErrorType = e.code;
  shape.exceptionMessage = e.message;
  o = write_response(shape, e.http_status);
  return true;
}

template <class... E>
bool write_modeled(const error& e, outgoing& o, type_list<E...> /*unused*/) {
  return (write_modeled<E>(e, o) || ...);
}

}  // namespace detail

// The response for an error: its status, the x-amzn-ErrorType header and a JSON body. Errors the
// model describes carry their message in the model's member (exceptionMessage); every error also
// carries it as "message", the member most SDKs (botocore, the AWS CLI) print.
inline outgoing error_response(const error& e) {
  error shown = e;
  if (shown.http_status < 400) shown.http_status = 500;
  outgoing o;
  std::string plain;
  json::writer(plain).object(detail::unmodeled_error{shown.message}, nullptr);
  if (detail::write_modeled(shown, o, all_errors{})) {
    // Both bodies are non-empty objects: join them into one.
    o.body.pop_back();
    o.body += ",";
    o.body.append(plain, 1);
  } else {
    o.status = shown.http_status;
    o.headers = {{"Content-Type", "application/json"}, {"x-amzn-ErrorType", shown.code}};
    o.body = std::move(plain);
  }
  return o;
}

}  // namespace ivsrt::local
