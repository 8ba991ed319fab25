// The one generic implementation behind every model command: flags, request, call and output
// all come from reflection and the operation's traits, so a new operation in
// ivsrt::all_operations needs no CLI code.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "command_args.hpp"
#include "global_options.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/uuid.hpp"
#include "member_flags.hpp"
#include "output.hpp"
#include "paginate.hpp"
#include "report.hpp"
#include "request_builder.hpp"
#include "session.hpp"

namespace ivsrt_cli {

namespace detail {

// Chooses the idempotency token before the call, so that --debug shows the one that is sent.
template <ivsrt::request Req>
void fill_idempotency_token(Req& req) {
  constexpr std::string_view member = ivsrt::operation<Req>::idempotency_token;
  if constexpr (!member.empty()) {
    auto& token = ivsrt::reflect::get_member<ivsrt::reflect::member_index<Req>(member)>(req);
    if (!token.has_value()) token = ivsrt::uuid4();
  }
}

inline ivsrt::error paging_conflict(const paging_options& p) {
  std::string used;
  if (p.starting_token) used += "--starting-token";
  if (p.page_size) used += std::string(used.empty() ? "" : ", ") + "--page-size";
  if (p.max_items) used += std::string(used.empty() ? "" : ", ") + "--max-items";
  return ivsrt::make_error(ivsrt::error_kind::validation, "InvalidCommandLine",
                           "Cannot specify --no-paginate along with pagination arguments: " + used);
}

template <ivsrt::request Req>
int run_operation(const global_options& g, const std::vector<std::string>& args) {
  using op = ivsrt::operation<Req>;
  const std::string name = kebab_case(op::name);
  const auto flags = member_flags<Req>();
  auto in = parse_command_args(args, flags, op::paging.enabled());
  if (!in) return report(in.error(), name, op::name);
  auto req = build_request<Req>(*in, flags);
  if (!req) return report(req.error(), name, op::name);
  fill_idempotency_token(*req);
  if (g.debug)
    debug_line("command " + name + " calls " + std::string(op::name) + " (" + std::string(op::method) + " " +
               std::string(op::uri) + ")");

  resume_point start;
  bool all_pages = false;
  if constexpr (op::paging.enabled()) {
    all_pages = g.paginate && !names_a_page(*req);
    if (all_pages) {
      auto s = start_paging(*req, in->paging);
      if (!s) return report(s.error(), name, op::name);
      start = std::move(*s);
    }
  }
  if (!all_pages && in->paging.any()) return report(paging_conflict(in->paging), name, op::name);

  auto client = open_client(g);
  if (!client) return report(client.error(), name, op::name);
  if (g.dry_run) {
    auto shown = client->dry_run(*req);
    if (!shown) return report(shown.error(), name, op::name);
    print_request(stdout, *shown);
    return exit_ok;
  }
  if constexpr (op::paging.enabled()) {
    if (all_pages) return call_all_pages(*client, std::move(*req), std::move(start), in->paging.max_items, g);
  }
  if (g.debug) {
    if (auto shown = debug_request(*client, *req); !shown) return report(shown.error(), name, op::name);
  }
  auto out = client->send(*req);
  if (!out) return report(out.error(), name, op::name);
  return print_output(*out, op::name);
}

}  // namespace detail

template <ivsrt::request Req>
command make_command() {
  using op = ivsrt::operation<Req>;
  return command{.name = kebab_case(op::name),
                 .operation = op::name,
                 .method = op::method,
                 .uri = op::uri,
                 .paginated = op::paging.enabled(),
                 .flags = &member_flags<Req>,
                 .run = &detail::run_operation<Req>};
}

}  // namespace ivsrt_cli
