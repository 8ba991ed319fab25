// Routing: one table entry per operation of the model, built from the operation traits, that
// matches a method and path, reads the request struct, runs the area's handler under the engine's
// lock and writes the response. Every change is saved before the response leaves.
#pragma once

#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "ivsrt/detail/config.hpp"
#include "ivsrt/local/compositions.hpp"
#include "ivsrt/local/encoder_configurations.hpp"
#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/ingest_configurations.hpp"
#include "ivsrt/local/participant_tokens.hpp"
#include "ivsrt/local/public_keys.hpp"
#include "ivsrt/local/replication.hpp"
#include "ivsrt/local/sessions.hpp"
#include "ivsrt/local/stages.hpp"
#include "ivsrt/local/storage_configurations.hpp"
#include "ivsrt/local/tagging.hpp"
#include "ivsrt/local/wire.hpp"
#include "ivsrt/model/all_operations.hpp"
#include "ivsrt/uri.hpp"

namespace ivsrt::local {

namespace detail {

// The part of transact that does not depend on the result type: runs fn(context), which stores
// its result and says whether it succeeded, and saves a successful change.
inline result<void> transact(engine& e, bool mutating, bool (*fn)(void* context), void* context) {
  std::lock_guard<std::mutex> lock(e.mutex());
  refresh_compositions(e);
  if (!fn(context) || !mutating) return {};
  auto saved = e.save();
  if (!saved) {
    e.restore();
    return internal_error("the change could not be saved: " + saved.error().message);
  }
  return {};
}

}  // namespace detail

// Runs fn (returning a result) under the engine's lock, after bringing time-driven state up to
// date. When fn changes state (mutating) and succeeds, the state is saved first; if saving fails
// the change is undone and the caller gets an InternalServerException.
template <class F>
auto transact(engine& e, bool mutating, F&& fn) -> decltype(fn()) {
  using R = decltype(fn());
  struct call {
    F& fn;
    std::optional<R> out{};
  } c{fn, std::nullopt};
  auto done = detail::transact(
      e, mutating,
      [](void* context) {
        auto& self = *static_cast<call*>(context);
        self.out.emplace(self.fn());
        return self.out->ok();
      },
      &c);
  if (!done) return done.error();
  return std::move(*c.out);
}

// Reads, queries and lists change nothing that needs saving: the only changes they make are the
// time-driven ones, which loading recomputes.
constexpr bool is_read_only(std::string_view operation_name) {
  return operation_name.substr(0, 3) == "Get" || operation_name.substr(0, 4) == "List";
}

namespace detail {

// Runs an operation's handler on the request at `request` and writes its response to `out`;
// false when the handler failed.
using operation_runner = bool (*)(engine&, const void* request, outgoing& out);

template <request Req>
bool run_operation(engine& e, const void* request, outgoing& out) {
  auto result = handle(e, *static_cast<const Req*>(request));
  if (!result) {
    out = error_response(result.error());
    return false;
  }
  out = write_response(*result);
  return true;
}

// The part of serve that does not depend on the operation: runs it in a transaction.
inline outgoing serve_request(engine& e, bool mutating, const void* request, operation_runner run) {
  struct call {
    engine& e;
    const void* request;
    operation_runner run;
    outgoing out{};
  } c{e, request, run, outgoing{}};
  auto done = transact(
      e, mutating,
      [](void* context) {
        auto& self = *static_cast<call*>(context);
        return self.run(self.e, self.request, self.out);
      },
      &c);
  if (!done) return error_response(done.error());
  return std::move(c.out);
}

}  // namespace detail

template <request Req>
outgoing serve(engine& e, const incoming& in, const uri_labels& labels) {
  auto req = read_request<Req>(in, labels);
  if (!req) return error_response(req.error());
  return detail::serve_request(e, !is_read_only(operation<Req>::name), &*req, &detail::run_operation<Req>);
}

struct route {
  std::string_view name;
  std::string_view method;
  std::string_view uri;
  outgoing (*serve)(engine&, const incoming&, const uri_labels&);
};

// The routing table (one entry per operation of the model) and the route for a method and raw
// path, or nullptr (labels filled, decoded, on a match). Declared here and defined in
// ivsrt/impl/local.ipp: inline (header-only), or, with IVSRT_SEPARATE_COMPILATION, compiled once
// through ivsrt/impl/local_src.hpp, which keeps the 39 operations' request readers, handlers and
// response writers out of every other translation unit.
IVSRT_DECL std::span<const route> all_routes() noexcept;
IVSRT_DECL const route* find_route(std::string_view method, std::string_view path, uri_labels& labels);

// Matches a raw request path against a route's URI template; fills labels (decoded) on a match.
inline bool match_path(std::string_view pattern, std::string_view path, uri_labels& labels) {
  labels.clear();
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const std::string_view p = pattern.substr(0, pattern.find('/'));
    const std::string_view s = path.substr(0, path.find('/'));
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      auto decoded = uri::decode(s);
      if (s.empty() || !decoded) return false;
      labels.emplace_back(std::string(p.substr(1, p.size() - 2)), std::move(*decoded));
    } else if (p != s) {
      return false;
    }
    pattern.remove_prefix(p.size());
    path.remove_prefix(s.size());
  }
  return true;
}

}  // namespace ivsrt::local

#if !defined(IVSRT_SEPARATE_COMPILATION)
#include "ivsrt/impl/local.ipp"
#endif
