// Where credentials come from. A credentials_provider fetches them; the client puts a
// caching_provider (credentials_cache.hpp) in front of whichever provider it uses, so a provider
// need not cache. Plug your own through client_options::credentials_provider.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "ivsrt/credentials.hpp"
#include "ivsrt/error.hpp"

namespace ivsrt {

class credentials_provider {
 public:
  credentials_provider() = default;
  credentials_provider(const credentials_provider&) = delete;
  credentials_provider& operator=(const credentials_provider&) = delete;
  virtual ~credentials_provider() = default;

  // Fetches credentials; may block on a network call or a process. Errors never hold secrets.
  virtual result<credentials> resolve() = 0;
  // What the provider is, for logs and errors, e.g. "profile dev: credential_process".
  [[nodiscard]] virtual std::string describe() const = 0;
  // True when resolve() never waits on anything (fixed credentials): the async engine then
  // resolves on the driving thread instead of starting a worker.
  [[nodiscard]] virtual bool answers_at_once() const noexcept { return false; }
};

// Always the same credentials.
class static_provider final : public credentials_provider {
 public:
  static_provider(credentials creds, std::string description)
      : creds_(std::move(creds)), description_(std::move(description)) {}
  result<credentials> resolve() override { return creds_; }
  [[nodiscard]] std::string describe() const override { return description_; }
  [[nodiscard]] bool answers_at_once() const noexcept override { return true; }

 private:
  credentials creds_;
  std::string description_;
};

// A provider from a function, for plugging in credentials from elsewhere without a class.
class function_provider final : public credentials_provider {
 public:
  function_provider(std::function<result<credentials>()> fetch, std::string description)
      : fetch_(std::move(fetch)), description_(std::move(description)) {}
  result<credentials> resolve() override { return fetch_(); }
  [[nodiscard]] std::string describe() const override { return description_; }

 private:
  std::function<result<credentials>()> fetch_;
  std::string description_;
};

inline std::shared_ptr<credentials_provider> make_provider(std::function<result<credentials>()> fetch,
                                                           std::string description) {
  return std::make_shared<function_provider>(std::move(fetch), std::move(description));
}

}  // namespace ivsrt
