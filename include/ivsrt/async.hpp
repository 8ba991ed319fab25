// Non-blocking calls on libcurl's multi interface: start any operation without waiting, many in
// flight on one thread, each completing through a callback or a pending<T> result. Include this
// header only where you use it; ivsrt/client.hpp does not.
//
// Calls go through the same pipeline as client::send() (call_pipeline.hpp): validation, signing,
// retries with the client's retry strategy and quota, clock-skew correction, the adaptive rate
// limiter. Waits (backoff, rate limiter) are timers in the engine; nothing sleeps the driving
// thread. Credentials come from the client's cache without waiting while it holds usable ones;
// when it must fetch (the first call, or expiry near), one worker thread resolves them while the
// calls that need them wait in the engine; in the advisory window the current credentials are
// used while the worker refreshes.
//
// Driving the engine, one of three ways:
//   - from your own loop: poll() or run_once(timeout); no thread is created (except the
//     credentials worker, only while a refresh runs);
//   - from an external event loop: give async_options::watcher, watch the sockets it reports and
//     call on_socket_ready() / on_timeout();
//   - async_options::background_thread: the engine runs its own thread.
// Completions (callbacks, pending results) run on the driving thread. Callbacks must not throw;
// they may start further calls, but must not destroy the engine that runs them (the engine ends
// the program with a message saying so): let the driving call return first.
//
// Thread safety: start(), for_each_page(), in_flight() and the handles' cancel() may be called
// from any thread at any time (a call started while the engine is being destroyed completes at
// once, cancelled, on the starting thread). Driving (poll, run_once, run_until*,
// on_socket_ready, on_timeout) must happen on one thread at a time, and not at all with a
// background thread. Destroying the engine completes every unfinished call with
// error_kind::cancelled on the destroying thread, then waits for a credentials fetch under way to
// end.
//
// Connections: each engine keeps its own pool of connections (libcurl's multi connection cache)
// and multiplexes calls over one HTTP/2 connection when the endpoint offers HTTP/2 over TLS.
#pragma once

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ivsrt/async_call.hpp"
#include "ivsrt/client.hpp"

namespace ivsrt {

// Socket readiness, as the engine asks an external loop to watch for it and as the loop reports it.
inline constexpr int io_read = 1;
inline constexpr int io_write = 2;

// What an external event loop implements to host the engine's sockets and timer.
class socket_watcher {
 public:
  socket_watcher() = default;
  socket_watcher(const socket_watcher&) = delete;
  socket_watcher& operator=(const socket_watcher&) = delete;
  virtual ~socket_watcher() = default;

  // Watch fd for io_read and/or io_write and report readiness with on_socket_ready(); 0: stop
  // watching it. Called on the driving thread.
  virtual void watch(int fd, int events) = 0;
  // Call on_timeout() once `after` has passed (zero: soon); nullopt: no timer is needed. Called on
  // the driving thread, and also from the threads that call start() or cancel() and from the
  // credentials worker, always with the engine's inbox locked, so the latest call is the one that
  // holds: make it thread-safe, have it wake a loop waiting on another thread (an eventfd or a
  // self-pipe), and do not call back into the engine from here.
  virtual void set_timeout(std::optional<std::chrono::milliseconds> after) = 0;
};

struct async_options {
  // Run a thread that drives the engine; completions run on it.
  bool background_thread = false;
  // Drive the engine from an external event loop instead of poll()/run_once(). Must outlive the
  // engine.
  socket_watcher* watcher = nullptr;
  // Limits on open connections (libcurl's CURLMOPT_MAX_HOST_CONNECTIONS and
  // CURLMOPT_MAX_TOTAL_CONNECTIONS); 0: none. Calls beyond them queue inside libcurl.
  long max_host_connections = 0;
  long max_total_connections = 0;
};

// A walk over the pages of a paginated call, started by async_engine::for_each_page.
class page_walk {
 public:
  page_walk() = default;
  // Stops the walk: the page in flight completes with error_kind::cancelled and no further page
  // is requested.
  void cancel() const {
    if (!state_) return;
    state_->cancelled.store(true, std::memory_order_release);
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->current.cancel();
  }
  // True once the last page's callback has run.
  [[nodiscard]] bool done() const noexcept { return !state_ || state_->done.load(std::memory_order_acquire); }

 private:
  friend class async_engine;
  struct shared {
    std::mutex mutex;
    call_handle current;  // the page in flight
    std::uint64_t pages_started = 0;
    std::atomic<bool> cancelled{false};
    std::atomic<bool> done{false};
  };
  explicit page_walk(std::shared_ptr<shared> s) : state_(std::move(s)) {}
  std::shared_ptr<shared> state_;
};

class async_engine {
 public:
  explicit async_engine(const ivsrt::client& c, async_options options = {})
      : client_(c),
        state_(client_.state_),
        options_(options),
        inbox_(std::make_shared<detail::async_inbox>()) {
    http::detail::global_init();
    multi_ = curl_multi_init();
    if (multi_ != nullptr) {
      curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
      if (options_.max_host_connections > 0)
        curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, options_.max_host_connections);
      if (options_.max_total_connections > 0)
        curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, options_.max_total_connections);
      if (options_.watcher != nullptr) {
        curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &async_engine::on_curl_socket);
        curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &async_engine::on_curl_timer);
        curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
        socket_watcher* w = options_.watcher;
        inbox_->external_wake = [w] { w->set_timeout(std::chrono::milliseconds(0)); };
      }
    }
    inbox_->multi = multi_;
    if (options_.background_thread) {
      driver_ = std::thread([this] {
        while (!stopping_.load(std::memory_order_acquire)) drive(std::chrono::seconds(1));
      });
    }
  }
  async_engine(const async_engine&) = delete;
  async_engine& operator=(const async_engine&) = delete;

  ~async_engine() {
    // From inside a pass (a completion destroying its engine), the pass would go on in freed
    // memory, and a background thread would wait for itself: say so instead.
    if (driving_.load(std::memory_order_relaxed) == std::this_thread::get_id()) {
      std::fputs(
          "ivsrt: an async_engine was destroyed by a completion it was running; destroy it after "
          "run_once(), poll(), on_socket_ready() or on_timeout() has returned\n",
          stderr);
      std::abort();
    }
    if (driver_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(inbox_->mutex);
        stopping_.store(true, std::memory_order_release);
        inbox_->wake();
      }
      driver_.join();
    }
    std::vector<std::shared_ptr<detail::async_call>> left;
    {
      std::lock_guard<std::mutex> lock(inbox_->mutex);
      inbox_->closed = true;
      inbox_->multi = nullptr;
      left = std::move(inbox_->submitted);
    }
    for (auto& c : left) active_.emplace(c.get(), c);
    std::vector<std::shared_ptr<detail::async_call>> all;
    all.reserve(active_.size());
    for (auto& [raw, c] : active_) all.push_back(c);
    for (auto& c : all) cancel_now(c);
    if (refresher_.joinable()) refresher_.join();
    spare_.clear();
    spare_transfers_.clear();
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
  }

  [[nodiscard]] const ivsrt::client& client() const noexcept { return client_; }

  // Starts req; on_done(result<output>) runs on the driving thread when the call completes (also
  // when it fails before sending, e.g. validation). The request may be destroyed at once.
  template <request Req, class F>
  requires std::invocable<F&, result<typename operation<Req>::output>> call_handle
  start(const Req& req, F&& on_done, const call_options& call = {}) {
    using output = typename operation<Req>::output;
    auto c = std::make_shared<detail::typed_call<output>>(
        state_, call, typename detail::typed_call<output>::completion(std::forward<F>(on_done)));
    submit(c, rest_json::table_for<Req>, &req);
    return call_handle(std::move(c));
  }

  // Starts req; its result arrives in the returned pending<output>.
  template <request Req>
  pending<typename operation<Req>::output> start(const Req& req, const call_options& call = {}) {
    using output = typename operation<Req>::output;
    auto st = std::make_shared<detail::pending_state<output>>();
    call_handle h = start(
        req,
        [st](result<output> r) {
          {
            std::lock_guard<std::mutex> lock(st->mutex);
            st->value.emplace(std::move(r));
          }
          st->ready.notify_all();
        },
        call);
    return pending<output>(std::move(st), std::move(h));
  }

  // Walks the pages of a paginated call: on_page(result<output>) runs for each page on the
  // driving thread and returns true to fetch the next one. The walk ends after the last page, a
  // failed page (passed to on_page), a false return, cancel(), or a pagination token the service
  // repeats (passed to on_page as a DuplicatePaginationToken error).
  template <request Req, class F>
  requires std::is_invocable_r_v<bool, F&, result<typename operation<Req>::output>> page_walk
  for_each_page(Req first, F on_page, const call_options& call = {}) {
    auto w = std::make_shared<walker<Req, std::decay_t<F>>>(this, std::move(first), std::move(on_page), call);
    page_walk handle(w->shared);
    walker<Req, std::decay_t<F>>::next(w);
    return handle;
  }

  // Calls started and not yet completed.
  [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_.load(std::memory_order_acquire); }

  // Runs whatever is ready without waiting; returns how many calls completed.
  std::size_t poll() { return run_once(std::chrono::milliseconds(0)); }

  // Runs whatever is ready; when nothing completed, waits up to `timeout` for network activity, a
  // timer or a newly started call, and runs what that made ready. Returns how many calls completed.
  // With a background thread, only the engine's thread drives: run_once and poll return 0.
  std::size_t run_once(std::chrono::milliseconds timeout) {
    if (options_.background_thread) return 0;
    return drive(timeout);
  }

  // Drives the engine until `h` has completed; with a background thread, waits for it instead.
  void run_until(const call_handle& h) {
    while (!h.done()) step_or_wait();
  }
  template <class T>
  void run_until(const pending<T>& p) {
    run_until(p.handle());
  }
  // Drives the engine (or waits for its thread) until no call is in flight.
  void run_until_idle() {
    while (in_flight() > 0) step_or_wait();
  }

  // External loop mode: fd reported readiness (io_read / io_write bits). Returns how many calls
  // completed.
  std::size_t on_socket_ready(int fd, int events) {
    completed_ = 0;
    if (multi_ == nullptr) return fail_everything();
    const int mask =
        ((events & io_read) != 0 ? CURL_CSELECT_IN : 0) | ((events & io_write) != 0 ? CURL_CSELECT_OUT : 0);
    const driving_scope scope(*this);
    int running = 0;
    curl_multi_socket_action(multi_, static_cast<curl_socket_t>(fd), mask, &running);
    service();
    return completed_;
  }

  // External loop mode: the timer set through socket_watcher::set_timeout expired.
  std::size_t on_timeout() {
    completed_ = 0;
    if (multi_ == nullptr) return fail_everything();
    const driving_scope scope(*this);
    service();
    return completed_;
  }

 private:
  using clock = std::chrono::steady_clock;
  using call_ptr = std::shared_ptr<detail::async_call>;

  template <request Req, class F>
  struct walker {
    using output = typename operation<Req>::output;
    using op = operation<Req>;
    static_assert(op::paging.enabled(), "this operation is not paginated");
    static constexpr std::size_t input_token = reflect::member_index<Req>(op::paging.input_token);
    static constexpr std::size_t output_token = reflect::member_index<output>(op::paging.output_token);

    walker(async_engine* e, Req first, F f, const call_options& c)
        : engine(e),
          request(std::move(first)),
          on_page(std::move(f)),
          call(c),
          shared(std::make_shared<page_walk::shared>()) {
      // A walk resumed from a token must not accept that token again either.
      const auto& start = reflect::get_member<input_token>(request);
      if (start.has_value() && !start->empty()) seen.insert(*start);
    }

    static void next(const std::shared_ptr<walker>& self) {
      std::uint64_t page_number = 0;
      {
        std::lock_guard<std::mutex> lock(self->shared->mutex);
        page_number = ++self->shared->pages_started;
      }
      call_handle h = self->engine->start(
          self->request, [self](result<output> page) { self->arrived(self, std::move(page)); }, self->call);
      std::lock_guard<std::mutex> lock(self->shared->mutex);
      // The first page is started on the caller's thread: before that thread gets here, the
      // driving thread may have finished it and started the next page, whose handle must stay.
      if (page_number < self->shared->pages_started) return;
      self->shared->current = std::move(h);
      // cancel() may have run between start() and here, and seen only the previous page's handle.
      if (self->shared->cancelled.load(std::memory_order_acquire)) self->shared->current.cancel();
    }

    void arrived(const std::shared_ptr<walker>& self, result<output> page) {
      std::optional<std::string> token;
      bool repeated = false;
      if (page) {
        const auto& t = reflect::get_member<output_token>(*page);
        if (t.has_value() && !t->empty()) {
          repeated = !seen.insert(*t).second;
          if (!repeated) token = *t;
        }
      }
      bool more = on_page(std::move(page)) && !shared->cancelled.load(std::memory_order_acquire);
      if (repeated && more) {
        on_page(
            make_error(error_kind::parse, "DuplicatePaginationToken",
                       std::string(op::name) +
                           ": the service returned a pagination token it had already returned; stopping so "
                           "the walk cannot loop"));
        more = false;
      }
      if (!more || !token) {
        {
          std::lock_guard<std::mutex> lock(shared->mutex);
          shared->current = call_handle();
        }
        shared->done.store(true, std::memory_order_release);
        return;
      }
      reflect::get_member<input_token>(request) = std::move(*token);
      next(self);
    }

    async_engine* engine;
    Req request;
    F on_page;
    call_options call;
    std::unordered_set<std::string> seen;
    std::shared_ptr<page_walk::shared> shared;
  };

  // One turn of the driving loop (run_once without the background-thread check).
  std::size_t drive(std::chrono::milliseconds timeout) {
    const driving_scope scope(*this);
    completed_ = 0;
    if (multi_ == nullptr) return fail_everything();
    service();
    if (completed_ == 0 && timeout.count() > 0) {
      std::chrono::milliseconds wait = std::min(timeout, std::chrono::milliseconds(std::chrono::hours(1)));
      if (const auto t = until_next_timer()) wait = std::min(wait, *t);
      int ready = 0;
      curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait.count()), &ready);
      service();
    }
    return completed_;
  }

  void step_or_wait() {
    if (options_.background_thread) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } else {
      run_once(std::chrono::milliseconds(100));
    }
  }

  // Queues a call for the driving thread (any thread).
  void submit(const call_ptr& c, const rest_json::operation_table& op, const void* request) {
    if (auto ok = c->pipeline.prepare(op, request); !ok) c->early = ok.error();
    c->inbox = inbox_;
    {
      std::lock_guard<std::mutex> lock(inbox_->mutex);
      if (!inbox_->closed) {
        in_flight_.fetch_add(1, std::memory_order_acq_rel);
        inbox_->submitted.push_back(c);
        // A call started by a completion is picked up by the pass that ran the completion, so the
        // driving thread need not wake itself (a syscall per call).
        if (driving_.load(std::memory_order_relaxed) == std::this_thread::get_id()) {
          started_while_driving_ = true;
        } else {
          inbox_->wake();
        }
        return;
      }
    }
    // The engine is being destroyed: no driving thread will run this call.
    c->at = detail::async_call::phase::done;
    c->deliver(make_error(error_kind::cancelled, "cancelled",
                          std::string(op.name) + " was started while its async engine was being destroyed"),
               {});
    c->finished.store(true, std::memory_order_release);
  }

  // One pass over everything that may be ready: new calls, cancellations, credentials, timers,
  // libcurl's transfers, finished transfers.
  // Calls that completions start are sent in a further pass at once, up to a few passes; what is
  // left after them wakes the loop like a call started on another thread.
  void service() {
    constexpr int max_passes = 8;
    for (int pass = 0; pass < max_passes; ++pass) {
      started_while_driving_ = false;
      drain_inbox();
      fire_timers();
      int running = 0;
      if (options_.watcher == nullptr) {
        curl_multi_perform(multi_, &running);
      } else if (curl_deadline_ && *curl_deadline_ <= clock::now()) {
        curl_deadline_.reset();
        curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
      }
      read_finished();
      if (!started_while_driving_) break;
    }
    if (started_while_driving_) {
      std::lock_guard<std::mutex> lock(inbox_->mutex);
      inbox_->wake();
    }
    if (options_.watcher != nullptr) update_external_timer();
  }

  // Marks the current thread as the one driving the engine, for submit().
  class driving_scope {
   public:
    explicit driving_scope(async_engine& e) : e_(e) {
      e_.driving_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    }
    ~driving_scope() { e_.driving_.store(std::thread::id(), std::memory_order_relaxed); }
    driving_scope(const driving_scope&) = delete;
    driving_scope& operator=(const driving_scope&) = delete;

   private:
    async_engine& e_;
  };

  void drain_inbox() {
    std::vector<call_ptr> fresh;
    bool cancels = false;
    std::optional<result<credentials>> refreshed;
    {
      std::lock_guard<std::mutex> lock(inbox_->mutex);
      fresh.swap(inbox_->submitted);
      cancels = std::exchange(inbox_->cancels, false);
      refreshed.swap(inbox_->refreshed);
    }
    for (auto& c : fresh) {
      active_.emplace(c.get(), c);
      if (c->early) {
        complete(c, *c->early, {});
      } else {
        begin_attempt(c);
      }
    }
    if (refreshed) credentials_arrived(*refreshed);
    if (cancels) {
      std::vector<call_ptr> stop;
      for (auto& [raw, c] : active_) {
        if (c->cancel_requested.load(std::memory_order_acquire)) stop.push_back(c);
      }
      for (auto& c : stop) cancel_now(c);
    }
  }

  // Before each attempt: the rate limiter's token, then credentials, then the send.
  void begin_attempt(const call_ptr& c) {
    const auto wait = c->pipeline.send_token();
    if (!wait) {
      complete(c, wait.error(), {});
      return;
    }
    if (wait->count() > 0) {
      set_timer(c, *wait, true);
      return;
    }
    send_with_credentials(c);
  }

  void send_with_credentials(const call_ptr& c) {
    auto peeked = state_->creds->peek();
    if (peeked.refresh_due && state_->creds->answers_at_once()) {
      auto now = state_->creds->resolve_shared();  // fixed credentials: no worker needed
      if (now) {
        send(c, **now);
      } else {
        fail_without_credentials(c, now.error());
      }
      return;
    }
    if (peeked.refresh_due) refresh_credentials();
    if (!peeked.creds) {
      c->at = detail::async_call::phase::awaiting_credentials;
      awaiting_credentials_.push_back(c);
      return;
    }
    send(c, *peeked.creds);
  }

  // Resolves credentials on the worker thread; its answer comes back through the inbox.
  void refresh_credentials() {
    if (refreshing_) return;
    refreshing_ = true;
    if (refresher_.joinable()) refresher_.join();
    refresher_ = std::thread([inbox = inbox_, creds = state_->creds] {
      result<credentials> r = creds->resolve();
      std::lock_guard<std::mutex> lock(inbox->mutex);
      inbox->refreshed.emplace(std::move(r));
      inbox->wake();
    });
  }

  void credentials_arrived(const result<credentials>& r) {
    refreshing_ = false;
    if (refresher_.joinable()) refresher_.join();
    // An answer can be older than the calls that wait for it: a call that found the credentials
    // expired may have started while an advisory refresh was still on its way. So a call goes out
    // with what the cache holds now, or waits for another refresh.
    std::shared_ptr<const credentials> usable;
    if (r) {
      usable = state_->creds->peek().creds;
      if (!usable) {
        if (!awaiting_credentials_.empty()) refresh_credentials();
        return;
      }
    }
    std::vector<call_ptr> waiting = std::move(awaiting_credentials_);
    awaiting_credentials_.clear();
    for (auto& c : waiting) {
      if (c->at != detail::async_call::phase::awaiting_credentials) continue;  // cancelled meanwhile
      if (!r) {
        fail_without_credentials(c, r.error());
      } else {
        send(c, *usable);
      }
    }
  }

  void fail_without_credentials(const call_ptr& c, error e) {
    complete(c, c->pipeline.stamped(std::move(e)), {});
  }

  void send(const call_ptr& c, const credentials& creds) {
    c->transfer = lend_transfer();
    detail::transfer_buffers& t = *c->transfer;
    if (auto ok = c->pipeline.sign(creds, t.request); !ok) {
      complete(c, ok.error(), {});
      return;
    }
    http::detail::easy_handle h = acquire_handle();
    if (!h) {
      complete(c, make_error(error_kind::transport, "http_failed", "libcurl could not create a handle"), {});
      return;
    }
    state_->transport->prepare(h.get(), t.request, t.exchange, t.response, c->pipeline.limits());
    curl_easy_setopt(h.get(), CURLOPT_PRIVATE, static_cast<void*>(c.get()));
    // Wait for a connection being set up to learn whether it multiplexes, rather than opening
    // one connection per call; only TLS connections can turn out to be HTTP/2.
    curl_easy_setopt(h.get(), CURLOPT_PIPEWAIT, t.request.url.compare(0, 8, "https://") == 0 ? 1L : 0L);
    if (curl_multi_add_handle(multi_, h.get()) != CURLM_OK) {
      complete(c, make_error(error_kind::transport, "http_failed", "libcurl refused the transfer"), {});
      return;
    }
    c->easy = std::move(h);
    c->at = detail::async_call::phase::in_flight;
  }

  void read_finished() {
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      CURL* h = m->easy_handle;
      const CURLcode code = m->data.result;
      char* raw = nullptr;
      curl_easy_getinfo(h, CURLINFO_PRIVATE, &raw);
      const auto it = active_.find(static_cast<detail::async_call*>(static_cast<void*>(raw)));
      if (it == active_.end()) continue;
      call_ptr c = it->second;
      long status = 0;
      curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
      detach(*c);
      detail::transfer_buffers& t = *c->transfer;
      result<void> transported;
      if (code == CURLE_OK) {
        t.exchange.complete(status);
      } else {
        transported = state_->transport->failure(code, t.exchange, t.request.url);
      }
      c->at = detail::async_call::phase::waiting;
      const auto step = c->pipeline.finish(t.request, transported, t.response);
      switch (step.what) {
        case detail::call_pipeline::next::done: {
          response_metadata meta;
          result<void> r = c->pipeline.read_output(c->output(), meta);
          complete(c, std::move(r), std::move(meta));
          break;
        }
        case detail::call_pipeline::next::failed: complete(c, c->pipeline.failure(), {}); break;
        case detail::call_pipeline::next::retry:
          take_back_transfer(*c);
          if (step.delay.count() > 0) {
            set_timer(c, step.delay, false);
          } else {
            begin_attempt(c);
          }
          break;
      }
    }
  }

  // Buffers for an attempt: kept ones when there are some.
  std::unique_ptr<detail::transfer_buffers> lend_transfer() {
    if (spare_transfers_.empty()) return std::make_unique<detail::transfer_buffers>();
    std::unique_ptr<detail::transfer_buffers> t = std::move(spare_transfers_.back());
    spare_transfers_.pop_back();
    return t;
  }

  // Keeps a call's attempt buffers for later attempts, with the session token overwritten, and
  // the response body when the call carries secrets. Its easy handle must have been detached.
  void take_back_transfer(detail::async_call& c) {
    if (!c.transfer) return;
    c.transfer->exchange.reset();
    detail::forget_secrets(c.transfer->request);
    detail::forget_body(c.transfer->response, c.pipeline.carries_secrets());
    if (spare_transfers_.size() < 64) spare_transfers_.push_back(std::move(c.transfer));
    c.transfer.reset();
  }

  // Takes a call's handle out of libcurl and keeps it for the next transfer.
  void detach(detail::async_call& c) {
    if (!c.easy) return;
    curl_multi_remove_handle(multi_, c.easy.get());
    http::transport::detach(c.easy.get());
    if (spare_.size() < 64) spare_.push_back(std::move(c.easy));
    c.easy.reset();
  }

  // A handle the transport configured (its options that never change are set once); prepare()
  // sets what each transfer needs.
  http::detail::easy_handle acquire_handle() {
    if (spare_.empty()) return state_->transport->acquire();
    http::detail::easy_handle h = std::move(spare_.back());
    spare_.pop_back();
    return h;
  }

  void cancel_now(const call_ptr& c) {
    if (c->at == detail::async_call::phase::done) return;
    const bool was_sent = c->at == detail::async_call::phase::in_flight;
    detach(*c);
    c->timer = 0;
    error e = make_error(error_kind::cancelled, "cancelled",
                         std::string(c->pipeline.operation_name()) + " was cancelled before it completed");
    e.attempts = c->pipeline.attempts() + (was_sent ? 1 : 0);
    complete(c, std::move(e), {});
  }

  void complete(const call_ptr& c, result<void> status, response_metadata meta) {
    detach(*c);
    take_back_transfer(*c);
    c->at = detail::async_call::phase::done;
    c->timer = 0;
    active_.erase(c.get());
    // The call counts as completed even if its completion throws, against the rule, so that
    // in_flight() and run_until_idle() stay right.
    struct settle {
      async_engine& engine;
      detail::async_call& call;
      settle(async_engine& e, detail::async_call& c) : engine(e), call(c) {}
      settle(const settle&) = delete;
      settle& operator=(const settle&) = delete;
      ~settle() {
        call.finished.store(true, std::memory_order_release);
        engine.in_flight_.fetch_sub(1, std::memory_order_acq_rel);
        ++engine.completed_;
      }
    } const settled{*this, *c};
    c->deliver(std::move(status), std::move(meta));
  }

  // Without a multi handle (libcurl out of memory) every call fails.
  std::size_t fail_everything() {
    drain_inbox_failing();
    return completed_;
  }
  void drain_inbox_failing() {
    std::vector<call_ptr> fresh;
    {
      std::lock_guard<std::mutex> lock(inbox_->mutex);
      fresh.swap(inbox_->submitted);
    }
    for (auto& c : fresh) {
      active_.emplace(c.get(), c);
      complete(c, make_error(error_kind::transport, "http_failed", "libcurl could not create a multi handle"),
               {});
    }
  }

  void set_timer(const call_ptr& c, std::chrono::nanoseconds after, bool then_send) {
    c->at = detail::async_call::phase::waiting;
    c->timer = ++timer_ids_;
    c->send_after_timer = then_send;
    timers_.emplace(clock::now() + after, timer_entry{c->timer, c});
  }

  void fire_timers() {
    const auto now = clock::now();
    while (!timers_.empty() && timers_.begin()->first <= now) {
      timer_entry t = std::move(timers_.begin()->second);
      timers_.erase(timers_.begin());
      const call_ptr& c = t.call;
      if (c->timer != t.id || c->at != detail::async_call::phase::waiting) continue;
      c->timer = 0;
      if (c->send_after_timer) {
        send_with_credentials(c);
      } else {
        begin_attempt(c);
      }
    }
  }

  [[nodiscard]] std::optional<std::chrono::milliseconds> until_next_timer() const {
    if (timers_.empty()) return std::nullopt;
    const auto left = timers_.begin()->first - clock::now();
    // Rounded up, so that a wait never ends just before the timer is due.
    return std::max(std::chrono::milliseconds(0), std::chrono::ceil<std::chrono::milliseconds>(left));
  }

  // External loop mode: the sooner of libcurl's timer and the engine's own, or at once when the
  // inbox holds work (calls started by completions during this pass wait there). Looked at and
  // set under the inbox's lock: a thread that posts in between and asks for a prompt timeout
  // must not have its request overwritten by an older answer.
  void update_external_timer() {
    std::optional<std::chrono::milliseconds> next = until_next_timer();
    if (curl_deadline_) {
      const auto c = std::max(std::chrono::milliseconds(0),
                              std::chrono::ceil<std::chrono::milliseconds>(*curl_deadline_ - clock::now()));
      next = next ? std::min(*next, c) : c;
    }
    std::lock_guard<std::mutex> lock(inbox_->mutex);
    if (!inbox_->submitted.empty() || inbox_->cancels || inbox_->refreshed)
      next = std::chrono::milliseconds(0);
    options_.watcher->set_timeout(next);
  }

  static int on_curl_socket(CURL* /*easy*/, curl_socket_t s, int what, void* self, void* /*socketp*/) {
    auto* e = static_cast<async_engine*>(self);
    int events = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= io_read;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= io_write;
    e->options_.watcher->watch(static_cast<int>(s), what == CURL_POLL_REMOVE ? 0 : events);
    return 0;
  }

  static int on_curl_timer(CURLM* /*multi*/, long timeout_ms, void* self) {
    auto* e = static_cast<async_engine*>(self);
    if (timeout_ms < 0) {
      e->curl_deadline_.reset();
    } else {
      e->curl_deadline_ = clock::now() + std::chrono::milliseconds(timeout_ms);
    }
    return 0;
  }

  struct timer_entry {
    std::uint64_t id = 0;
    call_ptr call;
  };

  ivsrt::client client_;
  std::shared_ptr<const detail::client_state> state_;
  async_options options_;
  std::shared_ptr<detail::async_inbox> inbox_;
  CURLM* multi_ = nullptr;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> stopping_{false};
  std::thread driver_;
  // Driving thread only:
  std::unordered_map<detail::async_call*, call_ptr> active_;
  std::multimap<clock::time_point, timer_entry> timers_;
  std::uint64_t timer_ids_ = 0;
  std::vector<call_ptr> awaiting_credentials_;
  bool refreshing_ = false;
  std::thread refresher_;
  std::vector<http::detail::easy_handle> spare_;
  std::vector<std::unique_ptr<detail::transfer_buffers>> spare_transfers_;
  std::optional<clock::time_point> curl_deadline_;
  std::size_t completed_ = 0;
  // The thread inside drive()/on_socket_ready()/on_timeout(), and whether it started calls.
  std::atomic<std::thread::id> driving_{};
  bool started_while_driving_ = false;
};

}  // namespace ivsrt
