// The client a command calls through, configured from the global options, and what --debug and
// --dry-run print.
#pragma once

#include <cstdio>
#include <string_view>

#include "global_options.hpp"
#include "ivsrt/client.hpp"

namespace ivsrt_cli {

// Region, endpoint and credentials resolve as the library does (options, then environment);
// with --debug the client explains each step on stderr.
ivsrt::result<ivsrt::client> open_client(const global_options& g);

// A line of --debug output on stderr.
void debug_line(std::string_view line);

// A signed request as an HTTP message: request line, headers, blank line, body. Its secrets
// were already replaced by client::dry_run.
void print_request(std::FILE* out, const ivsrt::printable_request& r);

}  // namespace ivsrt_cli

namespace ivsrt_cli {

// With --debug: the request about to be sent, as signed (secrets redacted). A request that cannot
// be signed is not sent: its error is the command's, so that failing credentials are not fetched
// (or waited for) a second time by the call.
template <ivsrt::request Req>
ivsrt::result<void> debug_request(const ivsrt::client& c, const Req& req) {
  auto shown = c.dry_run(req);
  if (!shown) return shown.error();
  debug_line("signed request (secrets redacted):");
  print_request(stderr, *shown);
  return {};
}

}  // namespace ivsrt_cli
