// The cache the client puts in front of its credentials provider. Temporary credentials are
// refreshed ahead of expiry, by one caller at a time however many threads ask at once.
//
// Two windows before expiry, the pair botocore uses: in the advisory window (15 min) one caller
// refreshes while the others go on with the current credentials, and a failure is only logged;
// in the mandatory window (10 min) callers wait for the refresh. For short-lived credentials the
// windows shrink to at most half and a quarter of their lifetime, so a fresh set never starts
// inside them. A failed refresh keeps credentials that are still valid and is tried again after
// retry_delay; credentials without an expiry are kept for the life of the cache.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/credentials_cache_options.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt {

class caching_provider final : public credentials_provider {
 public:
  explicit caching_provider(std::shared_ptr<credentials_provider> inner,
                            credentials_cache_options options = {})
      : inner_(std::move(inner)), opts_(std::move(options)) {}

  result<credentials> resolve() override {
    result<shared_credentials> r = resolve_shared();
    if (!r) return r.error();
    return **r;
  }

  // resolve() without a copy: the cached credentials themselves, which a refresh replaces but
  // never changes, so holding them is safe while other threads refresh.
  using shared_credentials = std::shared_ptr<const credentials>;
  result<shared_credentials> resolve_shared() {
    const timestamp now = this->now();
    std::uint64_t seen = 0;
    bool advisory = false;
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      if (entry_) {
        const phase p = phase_at(*entry_, now);
        if (p == phase::fresh) return entry_->creds;
        if (p != phase::expired && now < next_attempt_) return entry_->creds;
        advisory = p == phase::advisory;
      }
      seen = attempts_;
    }
    std::unique_lock<std::mutex> refreshing(refresh_mutex_, std::defer_lock);
    if (advisory) {
      if (!refreshing.try_lock()) {
        std::lock_guard<std::mutex> lock(state_mutex_);
        if (entry_) return entry_->creds;
        refreshing.lock();
      }
    } else {
      refreshing.lock();
    }
    {
      std::lock_guard<std::mutex> lock(state_mutex_);
      if (attempts_ != seen) {
        // Another caller refreshed while this one waited: share its outcome.
        if (entry_ && phase_at(*entry_, this->now()) != phase::expired) return entry_->creds;
        return last_error_;
      }
    }
    result<credentials> fetched = fetch();
    const timestamp after = this->now();
    std::string line;
    result<shared_credentials> answer = [&]() -> result<shared_credentials> {
      std::lock_guard<std::mutex> lock(state_mutex_);
      ++attempts_;
      if (fetched) {
        entry_ = make_entry(std::move(*fetched), after);
        next_attempt_ = {};
        line = "credentials: " + inner_->describe() + " gave access key id " + entry_->creds->access_key_id +
               (entry_->creds->expiration ? ", expiring " + format_timestamp(*entry_->creds->expiration)
                                          : std::string(", without expiry"));
        return entry_->creds;
      }
      last_error_ = fetched.error();
      if (entry_ && phase_at(*entry_, after) != phase::expired) {
        next_attempt_ = after + opts_.retry_delay;
        line = "credentials: refresh failed (" + last_error_.describe() +
               "); using the current credentials, which expire " +
               format_timestamp(*entry_->creds->expiration);
        return entry_->creds;
      }
      entry_.reset();
      return last_error_;
    }();
    refreshing.unlock();
    if (!line.empty() && opts_.log) opts_.log(line);
    return answer;
  }

  // What resolve() would answer without waiting, for callers that must not block (the async
  // engine): credentials that may be used now, if any, and whether a refresh should be started
  // (always when there are none; in the advisory window alongside the current ones).
  struct peeked {
    shared_credentials creds;  // null: none that may be used now
    bool refresh_due = false;
  };
  peeked peek() {
    const timestamp now = this->now();
    std::lock_guard<std::mutex> lock(state_mutex_);
    if (!entry_) return {nullptr, true};
    const phase p = phase_at(*entry_, now);
    if (p == phase::fresh) return {entry_->creds, false};
    if (p != phase::expired && now < next_attempt_) return {entry_->creds, false};
    if (p == phase::advisory) return {entry_->creds, true};
    return {nullptr, true};
  }

  [[nodiscard]] std::string describe() const override { return inner_->describe(); }
  [[nodiscard]] bool answers_at_once() const noexcept override { return inner_->answers_at_once(); }

 private:
  enum class phase { fresh, advisory, mandatory, expired };

  struct entry {
    shared_credentials creds;
    timestamp refresh_at{};       // start of the advisory window
    timestamp must_refresh_at{};  // start of the mandatory window
  };

  [[nodiscard]] timestamp now() const {
    if (opts_.clock) return opts_.clock();
    return system_now();
  }

  static phase phase_at(const entry& e, timestamp t) noexcept {
    if (!e.creds->expiration) return phase::fresh;
    if (t >= *e.creds->expiration) return phase::expired;
    if (t >= e.must_refresh_at) return phase::mandatory;
    if (t >= e.refresh_at) return phase::advisory;
    return phase::fresh;
  }

  // Calls the provider and checks what it gave.
  result<credentials> fetch() {
    result<credentials> r = inner_->resolve();
    if (!r) return r;
    if (r->access_key_id.empty() || r->secret_access_key.empty()) {
      return make_error(error_kind::credentials, "IncompleteCredentials",
                        inner_->describe() + " gave credentials without an access key id or secret key");
    }
    if (r->expiration && *r->expiration <= now()) {
      return make_error(
          error_kind::credentials, "ExpiredCredentials",
          inner_->describe() + " gave credentials that expired " + format_timestamp(*r->expiration));
    }
    return r;
  }

  [[nodiscard]] entry make_entry(credentials creds, timestamp fetched_at) const {
    entry e;
    if (creds.expiration) {
      const auto lifetime = *creds.expiration - fetched_at;
      const auto advisory = std::min<timestamp::duration>(opts_.advisory_window, lifetime / 2);
      const auto mandatory = std::min<timestamp::duration>(opts_.mandatory_window, lifetime / 4);
      e.refresh_at = *creds.expiration - advisory;
      e.must_refresh_at = *creds.expiration - mandatory;
    }
    e.creds = std::make_shared<const credentials>(std::move(creds));
    return e;
  }

  std::shared_ptr<credentials_provider> inner_;
  credentials_cache_options opts_;
  std::mutex refresh_mutex_;  // held by the one caller that refreshes; taken before state_mutex_
  std::mutex state_mutex_;
  std::optional<entry> entry_;
  timestamp next_attempt_{};
  std::uint64_t attempts_ = 0;  // completed refresh attempts
  error last_error_;
};

}  // namespace ivsrt
