// Paginated list commands, as in the AWS CLI: every page is fetched and the items are printed
// as one list, without the service's token. --page-size sets the page size, --max-items stops
// early and prints a NextToken, and --starting-token resumes from one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <optional>
#include <set>
#include <string>

#include "command_args.hpp"
#include "global_options.hpp"
#include "ivsrt/client.hpp"
#include "member_flags.hpp"
#include "output.hpp"
#include "report.hpp"
#include "resume_token.hpp"
#include "session.hpp"

namespace ivsrt_cli {

template <ivsrt::request Req>
struct paging_members {
  using op = ivsrt::operation<Req>;
  using output = typename op::output;
  static constexpr std::size_t input_token = ivsrt::reflect::member_index<Req>(op::paging.input_token);
  static constexpr std::size_t page_size = ivsrt::reflect::member_index<Req>(op::paging.page_size);
  static constexpr std::size_t output_token = ivsrt::reflect::member_index<output>(op::paging.output_token);
  static constexpr std::size_t items = ivsrt::reflect::member_index<output>(op::paging.items);
};

// True when the request already names a page or a page size (from flags or --cli-input-json):
// then, as in the AWS CLI, the command makes exactly that one call.
template <ivsrt::request Req>
bool names_a_page(const Req& req) {
  using m = paging_members<Req>;
  bool named = false;
  ivsrt::reflect::for_each_member(req, [&](auto index, const auto& member) {
    if constexpr (decltype(index)::value == m::input_token || decltype(index)::value == m::page_size) {
      if constexpr (ivsrt::kinds::optional<std::remove_cvref_t<decltype(member)>>) {
        named = named || member.has_value();
      } else {
        named = true;
      }
    }
  });
  return named;
}

// Applies --starting-token and --page-size to the first request; returns where the walk starts.
template <ivsrt::request Req>
ivsrt::result<resume_point> start_paging(Req& req, const paging_options& p) {
  using op = ivsrt::operation<Req>;
  using m = paging_members<Req>;
  resume_point start;
  if (p.starting_token) start = decode_resume_token(op::paging.input_token, *p.starting_token);
  if (start.token) ivsrt::reflect::get_member<m::input_token>(req) = *start.token;
  if (p.max_items && *p.max_items < 1) {
    return ivsrt::make_error(ivsrt::error_kind::validation, "InvalidCommandLine",
                             "argument --max-items: must be 1 or more");
  }
  if (p.page_size) {
    if constexpr (m::page_size < ivsrt::reflect::member_count<Req>) {
      auto& size = ivsrt::reflect::get_member<m::page_size>(req);
      using V = detail::unwrapped<std::remove_cvref_t<decltype(size)>>;
      if (*p.page_size < std::numeric_limits<V>::min() || *p.page_size > std::numeric_limits<V>::max()) {
        return ivsrt::make_error(ivsrt::error_kind::validation, "InvalidCommandLine",
                                 "argument --page-size: out of range");
      }
      size = static_cast<V>(*p.page_size);
    } else {
      return ivsrt::make_error(ivsrt::error_kind::validation, "InvalidCommandLine",
                               "argument --page-size: this command has no page size");
    }
  }
  return start;
}

namespace detail {
// The service's token in an output member, if it holds a non-empty one.
template <class T>
std::optional<std::string> token_in(const T& member) {
  if constexpr (ivsrt::kinds::optional<T>) {
    if (member.has_value() && !member->empty()) return *member;
  } else if (!member.empty()) {
    return member;
  }
  return std::nullopt;
}

template <class L>
auto& list_of(L& member) {
  if constexpr (ivsrt::kinds::optional<L>) {
    if (!member.has_value()) member.emplace();
    return *member;
  } else {
    return member;
  }
}
}  // namespace detail

template <ivsrt::request Req>
int call_all_pages(const ivsrt::client& c, Req req, resume_point start, std::optional<std::int64_t> max_items,
                   const global_options& g) {
  using op = ivsrt::operation<Req>;
  using m = paging_members<Req>;
  using ivsrt::reflect::get_member;
  std::optional<typename op::output> merged;
  std::optional<std::string> page_token = start.token;  // the token that fetched the current page
  std::size_t skip = start.items_to_skip.value_or(0);
  std::size_t printed = 0;
  const std::size_t limit =
      max_items ? static_cast<std::size_t>(*max_items) : std::numeric_limits<std::size_t>::max();
  std::set<std::string> seen;
  std::string resume;
  for (;;) {
    if (g.debug) {
      if (auto shown = debug_request(c, req); !shown) return report(shown.error(), {}, op::name);
    }
    auto page = c.send(req);
    if (!page) return report(page.error(), {}, op::name);
    auto& items = detail::list_of(get_member<m::items>(*page));
    const std::size_t skipped = std::min(skip, items.size());
    items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(skipped));
    skip = 0;
    std::optional<std::string> next = detail::token_in(get_member<m::output_token>(*page));
    const bool stop_inside = items.size() > limit - printed;
    if (stop_inside) {
      const std::size_t keep = limit - printed;
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(keep), items.end());
      resume =
          encode_resume_token(op::paging.input_token, {.token = page_token, .items_to_skip = keep + skipped});
    }
    printed += items.size();
    if (!merged) {
      merged = std::move(*page);
    } else {
      auto& all = detail::list_of(get_member<m::items>(*merged));
      std::move(items.begin(), items.end(), std::back_inserter(all));
    }
    if (stop_inside || !next) break;
    if (printed == limit) {
      resume = encode_resume_token(op::paging.input_token, {.token = next, .items_to_skip = std::nullopt});
      break;
    }
    if (!seen.insert(*next).second) {
      return report(ivsrt::make_error(ivsrt::error_kind::parse, "DuplicatePaginationToken",
                                      "the service returned a pagination token it had already returned"),
                    {}, op::name);
    }
    get_member<m::input_token>(req) = *next;
    page_token = std::move(next);
  }
  get_member<m::output_token>(*merged) = {};
  return print_output(*merged, op::name, resume);
}

}  // namespace ivsrt_cli
