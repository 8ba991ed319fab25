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

class client {
 public:
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
    output out{};
    response_metadata meta;
    result<void> status = invoke(rest_json::table_for<Req>, &req, &out, meta, call);
    if (!status) return status.error();
    result<output> r(std::move(out));
    r.metadata = std::move(meta);
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

  // The generic call path behind send(): prepare once, then sign, send and read each attempt,
  // retrying as the client's retry strategy decides. `request` and `output` point at the
  // operation's request and output types.
  IVSRT_DECL result<void> invoke(const rest_json::operation_table& op, const void* request, void* output,
                                 response_metadata& meta, const call_options& call = {}) const;

  IVSRT_DECL result<printable_request> dry_run(const rest_json::operation_table& op,
                                               const void* request) const;

 private:
  struct state;

  // What the amz-sdk-* headers of one attempt say.
  struct attempt_info;

  IVSRT_DECL static double steady_seconds();

  // Waits as the adaptive rate limiter asks; false when that would pass the deadline.
  IVSRT_DECL bool wait_for_send_token(std::optional<std::chrono::steady_clock::time_point> deadline) const;

  // One attempt's limits: the call's or the client's, never past the call's deadline.
  IVSRT_DECL http::attempt_limits limits_for(
      const call_options& call, std::optional<std::chrono::steady_clock::time_point> deadline) const;

  // How one attempt went, as the retry decision and the next attempt need it.
  struct attempt_outcome;

  // Sends one signed attempt and classifies what came back; a skew error with a skewed Date
  // corrects the client's clock.
  IVSRT_DECL attempt_outcome send_attempt(const http::request& req, const http::attempt_limits& limits,
                                          const attempt_info& attempt) const;

  // Reads a 2xx response into the output.
  IVSRT_DECL static result<void> read_output(const rest_json::operation_table& op, http::response& resp,
                                             void* output, response_metadata& meta, int attempts);

  IVSRT_DECL explicit client(std::shared_ptr<state> st);

  // The cached provider of the client's credentials: explicit ones, the user's provider, or the
  // default chain. Nothing is fetched here.
  IVSRT_DECL static result<std::shared_ptr<credentials_provider>> credentials_for(client_options& o,
                                                                                  const state& st,
                                                                                  const std::string& region);

  // A service error may quote what it received (a signature mismatch quotes the canonical request,
  // session token included): the request's session token and signature are blanked out of it.
  IVSRT_DECL static void scrub_echoed_secrets(error& e, const http::request& req);

  IVSRT_DECL static std::string redact_header(std::string_view name, std::string_view value);

  // Turns an encoded request into the signed HTTP request of one attempt for this client's
  // endpoint, signed at the corrected time.
  IVSRT_DECL result<http::request> sign(const rest_json::encoded_request& enc,
                                        const attempt_info& attempt) const;

  std::shared_ptr<state> state_;
};

}  // namespace ivsrt

#if !defined(IVSRT_SEPARATE_COMPILATION)
#include "ivsrt/impl/client.ipp"
#endif
#include "ivsrt/paginator.hpp"  // defines client::paginate
