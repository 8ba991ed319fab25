// The restJson1 protocol: a request struct becomes method, path, query, headers and a JSON body
// according to its operation traits and bindings; a response becomes the output struct or a
// service error.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/ascii.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/operation.hpp"
#include "ivsrt/operation_table.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/uri.hpp"
#include "ivsrt/uuid.hpp"
#include "ivsrt/validate.hpp"
#include "ivsrt/value_kinds.hpp"

namespace ivsrt::rest_json {

// Where each member of T goes; members without a binding are in the body.
template <class T>
struct member_locations {
  static constexpr auto bound = [] {
    std::array<bool, reflect::member_count<T>> out{};
    for (const auto& b : http_bindings<T>::members) out[reflect::member_index<T>(b.member)] = true;
    return out;
  }();
  static constexpr bool has_body_members = [] {
    for (bool b : bound) {
      if (!b) return true;
    }
    return false;
  }();
};

// A member's binding, by value: found is false for a member of the JSON body. (Not a pointer into
// http_bindings: g++ with -fsanitize=undefined cannot test such a pointer in a constant expression.)
struct member_binding {
  bool found = false;
  std::string_view member;
  location where = location::uri;
  std::string_view wire_name;
};

template <class T>
constexpr member_binding binding_of(std::string_view member) {
  for (const auto& b : http_bindings<T>::members) {
    if (b.member == member)
      return {.found = true, .member = b.member, .where = b.where, .wire_name = b.wire_name};
  }
  return {};
}

namespace detail {

template <class V>
void scalar_text(const V& v, std::string& out) {
  if constexpr (kinds::string<V>) {
    out = v;
  } else if constexpr (kinds::secret<V>) {
    out = v.reveal();
  } else if constexpr (kinds::enumeration<V>) {
    out = std::string(v.str());
  } else if constexpr (kinds::boolean<V>) {
    out = v ? "true" : "false";
  } else if constexpr (kinds::integer<V> || kinds::floating<V>) {
    out = std::to_string(v);
  } else if constexpr (kinds::time_point<V>) {
    out = format_timestamp(v);
  } else {
    static_assert(sizeof(V) == 0, "unsupported type for a URI, query or header binding");
  }
}

template <class V>
void add_query(const V& v, std::string_view key, encoded_request& out) {
  if constexpr (kinds::optional<V>) {
    if (v.has_value()) add_query(*v, key, out);
  } else if constexpr (kinds::list<V>) {
    for (const auto& item : v) add_query(item, key, out);
  } else {
    std::string text;
    scalar_text(v, text);
    out.query.emplace_back(std::string(key), std::move(text));
  }
}

}  // namespace detail

// Whether a T can hold a sensitive string, anywhere inside it.
template <class T>
constexpr bool holds_secret() {
  if constexpr (kinds::secret<T>) {
    return true;
  } else if constexpr (kinds::optional<T> || kinds::list<T>) {
    return holds_secret<typename T::value_type>();
  } else if constexpr (kinds::map<T>) {
    return holds_secret<typename T::mapped_type>();
  } else if constexpr (kinds::structure<T>) {
    return []<class... M>(reflect::types<M...>) {
      return (holds_secret<M>() || ...);
    }(reflect::member_types<T>{});
  } else {
    return false;
  }
}

// Encodes req for operation<Req>. Fails only on input that cannot be represented (invalid UTF-8,
// an empty URI label).
template <request Req>
result<encoded_request> encode(const Req& req) {
  using op = operation<Req>;
  encoded_request out;
  out.method = op::method;
  out.carries_secrets = holds_secret<Req>() || holds_secret<typename op::output>();
  std::string path(op::uri);
  std::string problem;
  reflect::for_each_member(req, [&](auto index, const auto& member) {
    constexpr std::size_t i = decltype(index)::value;
    constexpr member_binding b = binding_of<Req>(reflect::member_names<Req>[i]);
    if constexpr (b.found) {
      using V = std::remove_cvref_t<decltype(member)>;
      if constexpr (b.where == location::uri) {
        std::string text;
        if constexpr (kinds::optional<V>) {
          if (member.has_value()) detail::scalar_text(*member, text);
        } else {
          detail::scalar_text(member, text);
        }
        if (text.empty()) {
          problem = std::string(b.member) + ": must not be empty (it is part of the URI path)";
          return;
        }
        std::string label = "{" + std::string(b.wire_name) + "}";
        std::string encoded = uri::encode(text);
        path.replace(path.find(label), label.size(), encoded);
      } else if constexpr (b.where == location::query) {
        detail::add_query(member, b.wire_name, out);
      } else {
        std::string text;
        if constexpr (kinds::optional<V>) {
          if (!member.has_value()) return;
          detail::scalar_text(*member, text);
        } else {
          detail::scalar_text(member, text);
        }
        out.headers.emplace_back(std::string(b.wire_name), std::move(text));
      }
    }
  });
  if (!problem.empty()) return make_error(error_kind::validation, "InvalidParameter", problem);
  out.path = std::move(path);
  // An input with members that belong in the body always sends a JSON object ("{}" when none of
  // them is set); an input whose members all travel in the URI, query or headers sends no body.
  // This is what botocore and the restJson1 protocol tests do, whatever the method.
  out.has_body = member_locations<Req>::has_body_members;
  if (out.has_body) {
    out.body.reserve(256);
    json::writer w(out.body);
    if (!w.object(req, member_locations<Req>::bound.data())) {
      const std::string where = w.failure_path();
      return make_error(error_kind::validation, "InvalidParameter",
                        (where.empty() ? std::string() : where + ": ") + w.failure_reason());
    }
  }
  return out;
}

// The body of a request as it would be logged: sensitive members replaced by a placeholder.
template <request Req>
std::string redacted_body(const Req& req) {
  std::string body;
  json::writer w(body, {.redact_sensitive = true, .pretty = false});
  if (!w.object(req, member_locations<Req>::bound.data())) return "<unprintable>";
  return body;
}

// The members of an error document that hold its message (the first four) and its code (the
// rest), each looked for in this order.
inline constexpr std::array<std::string_view, 7> error_fields = {
    "message", "Message", "exceptionMessage", "errorMessage", "code", "Code", "__type"};
inline constexpr std::size_t error_message_fields = 4;

inline std::string sanitize_error_code(std::string_view raw) {
  const std::size_t colon = raw.find(':');
  if (colon != std::string_view::npos) raw = raw.substr(0, colon);
  const std::size_t hash = raw.rfind('#');
  if (hash != std::string_view::npos) raw = raw.substr(hash + 1);
  while (!raw.empty() && (raw.front() == ' ')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ')) raw.remove_suffix(1);
  return std::string(raw);
}

// The request id AWS gives a response: x-amzn-RequestId, else x-amz-request-id (as botocore reads
// it), on successes and errors alike.
inline std::string_view request_id_of(const http::response& resp) noexcept {
  const std::string_view id = resp.header("x-amzn-RequestId");
  return id.empty() ? resp.header("x-amz-request-id") : id;
}

// The error code and message of an error response, following the AWS SDKs: the
// x-amzn-ErrorType header first, else the body's code/Code/__type; only the text after the
// last '#' and before the first ':' is kept, and a source with nothing left gives way to the next.
inline error service_error(const http::response& resp) {
  error e;
  e.kind = error_kind::service;
  e.http_status = static_cast<int>(resp.status);
  e.request_id = std::string(request_id_of(resp));
  std::array<std::optional<std::string>, error_fields.size()> fields{};
  const bool parsed = !resp.body.empty() &&
                      json::read_string_members(resp.body, resp.body.capacity(), error_fields, fields).ok();
  const auto message_fields = std::span(fields).first(error_message_fields);
  const auto code_fields = std::span(fields).subspan(error_message_fields);
  e.code = sanitize_error_code(resp.header("x-amzn-ErrorType"));
  for (const auto& c : code_fields) {
    if (!e.code.empty()) break;
    if (c) e.code = sanitize_error_code(*c);
  }
  for (const auto& m : message_fields) {
    if (m) {
      e.message = *m;
      break;
    }
  }
  if (e.code.empty()) {
    // No code at all, e.g. an HTML page from a proxy: name the status instead.
    e.code = "Http" + std::to_string(resp.status);
    if (e.message.empty()) {
      e.message = parsed ? "the service returned HTTP " + std::to_string(resp.status)
                         : "the service returned HTTP " + std::to_string(resp.status) +
                               " with a body that is not an AWS error document";
    }
  }
  return e;
}

// True when the response says its body is empty: 204 No Content (which has none by definition),
// Content-Length: 0, chunked (libcurl checks the last chunk arrived), or HTTP/2 and later, whose
// streams end explicitly.
inline bool declares_empty_body(const http::response& resp) {
  if (resp.http_major >= 2 || resp.status == 204) return true;
  if (const auto length = resp.find("content-length")) return *length == "0";
  const auto coding = resp.find("transfer-encoding");
  return coding && ascii::lowercase(*coding).find("chunked") != std::string::npos;
}

// Reads the members of out that the model binds to headers from the response's headers.
template <class Output>
void read_header_members(const http::response& resp, Output& out) {
  reflect::for_each_member(out, [&](auto index, auto& member) {
    constexpr member_binding b = binding_of<Output>(reflect::member_names<Output>[decltype(index)::value]);
    if constexpr (b.found && b.where == location::header) {
      if (const auto v = resp.find(b.wire_name)) member = std::string(*v);
    }
  });
}

// Reads a 2xx response into out (a default-constructed output), header-bound members included.
template <class Output>
result<void> decode_into(http::response& resp, Output& out) {
  if (resp.body.empty()) {
    // An empty body that the response declares empty reads as {}, as botocore, the JavaScript v3
    // and Rust SDKs read it. One that merely ended (the connection closed after the header, which
    // libcurl may report as a success) could be a cut-off answer, so it stays an error.
    if constexpr (member_locations<Output>::has_body_members) {
      if (!declares_empty_body(resp)) {
        return make_error(error_kind::parse, "EmptyResponse",
                          "the service returned an empty body, without Content-Length: 0, where a JSON "
                          "object was expected");
      }
    }
  } else {
    auto r = json::from_json(resp.body, resp.body.capacity(), out);
    if (!r) return r.error();
  }
  read_header_members(resp, out);
  return {};
}

// Reads a 2xx response into the operation's output.
template <class Output>
result<Output> decode(http::response& resp) {
  Output out{};
  auto r = decode_into(resp, out);
  if (!r) return r.error();
  return out;
}

namespace detail {

template <request Req>
result<encoded_request> prepare_typed(const Req& req, bool validate, std::string* display_body) {
  if (validate) {
    auto ok = validation::check(req);
    if (!ok) return ok.error();
  }
  auto enc = encode(req);
  if (enc && display_body != nullptr && enc->has_body) *display_body = redacted_body(req);
  return enc;
}

template <request Req>
result<encoded_request> prepare(const void* erased, bool validate, std::string* display_body) {
  const Req& req = *static_cast<const Req*>(erased);
  if constexpr (!operation<Req>::idempotency_token.empty()) {
    constexpr std::size_t i = reflect::member_index<Req>(operation<Req>::idempotency_token);
    if (!reflect::get_member<i>(req).has_value()) {
      Req copy = req;
      reflect::get_member<i>(copy) = uuid4();
      return prepare_typed(copy, validate, display_body);
    }
  }
  return prepare_typed(req, validate, display_body);
}

template <class Output>
result<void> decode_erased(http::response& response, void* out) {
  return decode_into(response, *static_cast<Output*>(out));
}

}  // namespace detail

}  // namespace ivsrt::rest_json
