// Paginator ranges for the paginated list operations: a lazy input range of pages, and one of
// items. Each element is a result; a failed page ends the walk, and so does a token the service
// has already sent (reported as an error, so a misbehaving server cannot make the walk loop).
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

#include "ivsrt/client.hpp"
#include "ivsrt/reflect.hpp"
#include "ivsrt/value_kinds.hpp"

namespace ivsrt {

namespace detail {
template <class T>
struct unwrap_optional {
  using type = T;
};
template <class T>
struct unwrap_optional<optional<T>> {
  using type = T;
};
}  // namespace detail

template <request Req>
class paginator {
  using op = operation<Req>;
  static_assert(op::paging.enabled(), "this operation is not paginated");
  static constexpr std::size_t input_token = reflect::member_index<Req>(op::paging.input_token);

 public:
  using output = typename op::output;
  static constexpr std::size_t items_index = reflect::member_index<output>(op::paging.items);
  static constexpr std::size_t output_token = reflect::member_index<output>(op::paging.output_token);
  using item_list = typename detail::unwrap_optional<
      std::remove_cvref_t<decltype(reflect::get_member<items_index>(std::declval<output&>()))>>::type;
  using item = typename item_list::value_type;

  paginator(const client& c, Req first) : client_(c), request_(std::move(first)) {
    // A walk resumed from a token must not accept that token again either.
    const auto& start = reflect::get_member<input_token>(request_);
    if (start.has_value() && !start->empty()) seen_.insert(*start);
  }

  class iterator {
   public:
    using iterator_concept = std::input_iterator_tag;
    using value_type = result<output>;
    using difference_type = std::ptrdiff_t;

    iterator() = default;
    explicit iterator(paginator* p) : p_(p) {}
    result<output>& operator*() const { return *p_->page_; }
    result<output>* operator->() const { return &*p_->page_; }
    iterator& operator++() {
      p_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t /*unused*/) { return it.done(); }
    [[nodiscard]] bool done() const { return p_ == nullptr || !p_->page_.has_value(); }

   private:
    paginator* p_ = nullptr;
  };

  // Fetches the first page.
  iterator begin() {
    if (!started_) {
      started_ = true;
      fetch();
    }
    return iterator(this);
  }
  std::default_sentinel_t end() const noexcept { return {}; }

  // The items of every page, one result each; an error is the last element.
  class item_range {
   public:
    class iterator {
     public:
      using iterator_concept = std::input_iterator_tag;
      using value_type = result<item>;
      using difference_type = std::ptrdiff_t;

      iterator() = default;
      explicit iterator(item_range* r) : r_(r) {}
      result<item>& operator*() const { return *r_->current_; }
      result<item>* operator->() const { return &*r_->current_; }
      iterator& operator++() {
        r_->next();
        return *this;
      }
      void operator++(int) { ++*this; }
      friend bool operator==(const iterator& it, std::default_sentinel_t /*unused*/) { return it.done(); }
      [[nodiscard]] bool done() const { return r_ == nullptr || !r_->current_.has_value(); }

     private:
      item_range* r_ = nullptr;
    };

    explicit item_range(paginator p) : pages_(std::move(p)) {}
    iterator begin() {
      if (!started_) {
        started_ = true;
        page_ = pages_.begin();
        next();
      }
      return iterator(this);
    }
    std::default_sentinel_t end() const noexcept { return {}; }

   private:
    void next() {
      current_.reset();
      while (page_ != std::default_sentinel) {
        result<output>& page = *page_;
        if (!page) {
          current_.emplace(page.error());
          page_ = {};
          return;
        }
        auto& list = reflect::get_member<items_index>(*page);
        item_list* items = nullptr;
        if constexpr (kinds::optional<std::remove_cvref_t<decltype(list)>>) {
          items = list.has_value() ? &*list : nullptr;
        } else {
          items = &list;
        }
        if (items != nullptr && index_ < items->size()) {
          current_.emplace(std::move((*items)[index_++]));
          return;
        }
        index_ = 0;
        ++page_;
      }
    }

    paginator pages_;
    typename paginator::iterator page_;
    std::size_t index_ = 0;
    bool started_ = false;
    std::optional<result<item>> current_;
  };

  item_range items() && { return item_range(std::move(*this)); }
  item_range items() & { return item_range(*this); }

 private:
  void fetch() {
    if (next_token_) reflect::get_member<input_token>(request_) = *next_token_;
    page_.emplace(client_.send(request_));
    next_token_.reset();
    if (!*page_) {
      done_ = true;
      return;
    }
    const auto& token = reflect::get_member<output_token>(**page_);
    if (!token.has_value() || token->empty()) {
      done_ = true;
      return;
    }
    if (!seen_.insert(*token).second) {
      repeated_ = true;
      return;
    }
    next_token_ = *token;
  }

  void advance() {
    if (repeated_) {
      repeated_ = false;
      done_ = true;
      page_.emplace(make_error(error_kind::parse, "DuplicatePaginationToken",
                               std::string(op::name) +
                                   ": the service returned a pagination token it had already "
                                   "returned; stopping so the walk cannot loop"));
      return;
    }
    if (done_) {
      page_.reset();
      return;
    }
    fetch();
  }

  client client_;
  Req request_;
  std::optional<result<output>> page_;
  std::optional<std::string> next_token_;
  std::unordered_set<std::string> seen_;
  bool started_ = false;
  bool done_ = false;
  bool repeated_ = false;
};

template <request Req>
paginator<Req> client::paginate(Req first) const {
  return paginator<Req>(*this, std::move(first));
}

}  // namespace ivsrt
