// The IVS real-time client: one generic call, client.send(request), for every operation.
// This header declares the client; its non-template members live in ivsrt/impl/client.ipp,
// included here unless IVSRT_SEPARATE_COMPILATION is defined (see ivsrt/detail/config.hpp).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/client_options.hpp"
#include "ivsrt/detail/config.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/operation.hpp"
#include "ivsrt/operation_table.hpp"
#include "ivsrt/transport_options.hpp"
#include "ivsrt/uri.hpp"

namespace ivsrt {

class caching_provider;
namespace detail {
struct client_state;
}

// The signing name of IVS real-time (its endpoint prefix is "ivsrealtime").
inline constexpr std::string_view signing_name = "ivs";

template <request Req>
class paginator;

// Shows a signed request with its secrets replaced: what --dry-run and --debug print.
struct printable_request {
  std::string method;
  std::string url;
  http::header_list headers;
  std::string body;
};

// Thread safety: a client is a cheap handle to shared state (copies share it). Any number of
// threads may call send(), dry_run() and paginate() on one client, or on copies of it,
// at once: the signing-key cache, the credentials cache, the clock-skew offset, the retry quota,
// the adaptive rate limiter and the transport's handle pool are each locked or atomic, and each
// call uses its own libcurl handle (a pooled one keeps its kept-alive connection). The log
// callback may then be called from several threads at once. A paginator is one walk: use it from
// one thread. Non-blocking calls are in ivsrt/async.hpp.
class client {
 public:
  // A client is a handle: copies share its state. It declares no move operations, so moving one
  // copies it too, and a moved-from client still works (no call can reach a client without state).
  client(const client&) = default;
  client& operator=(const client&) = default;
  ~client() = default;

  // Resolves region, endpoint and credentials; fails with a configuration error naming what is
  // missing or malformed.
  IVSRT_DECL static result<client> create(client_options options = {});

  [[nodiscard]] IVSRT_DECL const std::string& region() const noexcept;
  [[nodiscard]] IVSRT_DECL const uri::endpoint& endpoint() const noexcept;

  // Sends req and returns the operation's output, or the error that stopped it. `call` overrides
  // the client's timeouts and attempt count for this call.
  template <request Req>
  result<typename operation<Req>::output> send(const Req& req, const call_options& call = {}) const {
    using output = typename operation<Req>::output;
    // The output is decoded in place, inside the result that is returned (one object, so no move).
    result<output> r(output{});
    result<void> status = invoke(rest_json::table_for<Req>, &req, &*r, r.metadata, call);
    if (!status) r = status.error();
    return r;
  }

  // A lazy range over the pages of a paginated list call (and, with .items(), over their items).
  // Set `maxResults` in the request to choose the page size.
  template <request Req>
  paginator<Req> paginate(Req first) const;

  // The signed request send(req) would send, with its secrets redacted; nothing is sent.
  template <request Req>
  result<printable_request> dry_run(const Req& req) const {
    return dry_run(rest_json::table_for<Req>, &req);
  }

 private:
  friend class async_engine;

  // The generic call path behind send(): the steps of call_pipeline.hpp, with the waits slept and
  // each attempt sent on this thread. `request` and `output` point at the operation's request and
  // output types.
  IVSRT_DECL result<void> invoke(const rest_json::operation_table& op, const void* request, void* output,
                                 response_metadata& meta, const call_options& call) const;

  IVSRT_DECL result<printable_request> dry_run(const rest_json::operation_table& op,
                                               const void* request) const;

  IVSRT_DECL explicit client(std::shared_ptr<detail::client_state> st);

  // The cached provider of the client's credentials: explicit ones, the user's provider, or the
  // default chain. Nothing is fetched here.
  IVSRT_DECL static result<std::shared_ptr<caching_provider>> credentials_for(client_options& o,
                                                                              const detail::client_state& st,
                                                                              const std::string& region);

  IVSRT_DECL static std::string redact_header(std::string_view name, std::string_view value);

  std::shared_ptr<detail::client_state> state_;
};

}  // namespace ivsrt

#if !defined(IVSRT_SEPARATE_COMPILATION)
#include "ivsrt/impl/client.ipp"
#endif
#include "ivsrt/paginator.hpp"  // defines client::paginate
