// One non-blocking call as the async engine (async.hpp) runs it, and the handles its starter
// keeps: call_handle (cancel, done) and pending<T> (a future-like result).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "ivsrt/call_pipeline.hpp"
#include "ivsrt/client_state.hpp"
#include "ivsrt/credentials.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/transport.hpp"

namespace ivsrt {

class async_engine;

namespace detail {

class async_call;

// What start() and cancel() hand to the engine's driving thread, and what the credentials worker
// hands back; shared with the handles, so a handle may outlive its engine.
struct async_inbox {
  std::mutex mutex;
  std::vector<std::shared_ptr<async_call>> submitted;
  bool cancels = false;                          // some call asked to be cancelled
  bool closed = false;                           // the engine is gone or going
  std::optional<result<credentials>> refreshed;  // the credentials worker's answer
  CURLM* multi = nullptr;
  std::function<void()> external_wake;  // with an external loop: asks it for on_timeout() soon

  // Makes the driving thread look at the inbox; the caller holds the mutex.
  void wake() const {
    if (closed) return;
    if (external_wake) {
      external_wake();
    } else if (multi != nullptr) {
      curl_multi_wakeup(multi);
    }
  }
};

// What one attempt needs while it is signed, sent and answered. The engine keeps the buffers of
// finished attempts and lends them to the next, so their strings stop allocating once grown.
struct transfer_buffers {
  http::request request;  // the signed attempt; libcurl reads its body in place
  http::detail::exchange exchange;
  http::response response;
};

// A call in the engine. The typed part (output object, completion) is behind two virtual
// functions, so the engine itself is not a template.
class async_call {
 public:
  async_call(std::shared_ptr<const client_state> st, const call_options& call)
      : state(std::move(st)), pipeline(*state, call) {}
  async_call(const async_call&) = delete;
  async_call& operator=(const async_call&) = delete;
  virtual ~async_call() = default;

  virtual void* output() noexcept = 0;
  // Runs the completion with the call's outcome; called once, on the driving thread.
  virtual void deliver(result<void> status, response_metadata meta) = 0;

  std::shared_ptr<const client_state> state;
  call_pipeline pipeline;
  std::atomic<bool> cancel_requested{false};
  std::atomic<bool> finished{false};  // set after the completion has run
  std::weak_ptr<async_inbox> inbox;   // for cancel()

  // Used by the driving thread only.
  enum class phase { submitted, waiting, awaiting_credentials, in_flight, done };
  phase at = phase::submitted;
  std::optional<error> early;      // failed before its first attempt (validation, options)
  std::uint64_t timer = 0;         // the id of the timer it waits on; 0: none
  bool send_after_timer = false;   // the timer is the rate limiter's wait, not a backoff
  http::detail::easy_handle easy;  // while in flight
  // From signing an attempt to reading its response; the engine's, lent for that time.
  std::unique_ptr<transfer_buffers> transfer;
};

template <class Output>
class typed_call final : public async_call {
 public:
  // The completion takes its result by rvalue reference, so that the output is decoded in place
  // and moved once, into whatever the completion keeps, rather than three times on the way.
  using completion = std::function<void(result<Output>&&)>;

  typed_call(std::shared_ptr<const client_state> st, const call_options& call, completion done)
      : async_call(std::move(st), call), done_(std::move(done)) {}

  void* output() noexcept override { return &*out_; }

  void deliver(result<void> status, response_metadata meta) override {
    // Moved out first: the completion may start further calls that capture what it captured.
    auto done = std::move(done_);
    done_ = nullptr;
    if (!status) {
      done(result<Output>(status.error()));
      return;
    }
    out_.metadata = std::move(meta);
    done(std::move(out_));
  }

 private:
  result<Output> out_{Output{}};
  completion done_;
};

inline void request_cancel(const std::shared_ptr<async_call>& call) {
  call->cancel_requested.store(true, std::memory_order_release);
  if (auto in = call->inbox.lock()) {
    std::lock_guard<std::mutex> lock(in->mutex);
    in->cancels = true;
    in->wake();
  }
}

template <class T>
struct pending_state {
  std::mutex mutex;
  std::condition_variable ready;
  std::optional<result<T>> value;
};

}  // namespace detail

// The handle of a started call. Copies refer to the same call; any thread may use them.
class call_handle {
 public:
  call_handle() = default;

  // Asks the engine to stop the call: it then completes with error_kind::cancelled (code
  // "cancelled") on the driving thread, unless it completed first. Returns at once.
  void cancel() const {
    if (call_) detail::request_cancel(call_);
  }
  // True once the call's completion has run.
  [[nodiscard]] bool done() const noexcept {
    return !call_ || call_->finished.load(std::memory_order_acquire);
  }

 private:
  friend class async_engine;
  explicit call_handle(std::shared_ptr<detail::async_call> call) : call_(std::move(call)) {}
  std::shared_ptr<detail::async_call> call_;
};

// A future-like result of one call. The result arrives when the engine completes the call on its
// driving thread; with a caller-driven engine, check ready() between run_once() calls (or use
// async_engine::run_until), since wait() and get() block until a driving thread completes it.
// get() takes the result: the pending is then no longer valid(), and ready() is false again, so a
// game loop that asks `if (p.ready())` every frame uses the result once. Like std::future it can
// be moved, not copied, so only one pending holds a call's result.
template <class T>
class pending {
 public:
  pending() = default;
  pending(const pending&) = delete;
  pending& operator=(const pending&) = delete;
  pending(pending&&) noexcept = default;
  pending& operator=(pending&&) noexcept = default;
  ~pending() = default;

  // True while the pending holds a call whose result get() has not taken (false when
  // default-made).
  [[nodiscard]] bool valid() const noexcept { return state_ != nullptr; }
  [[nodiscard]] bool ready() const {
    if (!state_) return false;
    std::lock_guard<std::mutex> lock(state_->mutex);
    return state_->value.has_value();
  }
  // Waits for the result; returns at once when the pending is not valid().
  void wait() const {
    if (!state_) return;
    std::unique_lock<std::mutex> lock(state_->mutex);
    state_->ready.wait(lock, [&] { return state_->value.has_value(); });
  }
  // Waits, then moves the result out, leaving the pending not valid(). A pending that is not
  // valid() gives an error (code "NoResult") instead.
  result<T> get() {
    if (!state_) {
      return make_error(error_kind::cancelled, "NoResult",
                        "pending::get(): this pending holds no result (it was default-made or moved "
                        "from, or get() already took its result)");
    }
    const std::shared_ptr<detail::pending_state<T>> st = std::move(state_);
    std::unique_lock<std::mutex> lock(st->mutex);
    st->ready.wait(lock, [&] { return st->value.has_value(); });
    return std::move(*st->value);
  }
  void cancel() const { handle_.cancel(); }
  [[nodiscard]] const call_handle& handle() const noexcept { return handle_; }

 private:
  friend class async_engine;
  pending(std::shared_ptr<detail::pending_state<T>> st, call_handle h)
      : state_(std::move(st)), handle_(std::move(h)) {}
  std::shared_ptr<detail::pending_state<T>> state_;
  call_handle handle_;
};

}  // namespace ivsrt
