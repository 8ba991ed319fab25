// EC2 instance metadata credentials: in one round of requests (imds.hpp: the IMDSv2 token, else
// IMDSv1), the role name from /latest/meta-data/iam/security-credentials/ and its credentials
// document.
//
// Static stability, as the AWS SDKs have it: when EC2 cannot rotate an instance's credentials it
// goes on answering with the old ones, and AWS goes on accepting them. So credentials that come
// back already expired are used for another 10 to 15 minutes (the spread keeps a fleet from
// retrying at once), and when instance metadata fails after it once gave credentials, the last
// ones are used the same way if they expire within 10 minutes; until then the failure goes to the
// cache, which keeps them and tries again. Each extension is logged.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/ascii.hpp"
#include "ivsrt/credential_http.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/imds.hpp"
#include "ivsrt/retry.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt {

class imds_provider final : public credentials_provider {
 public:
  // How long stale credentials are used before the next try: the base plus up to the spread.
  static constexpr std::chrono::minutes stale_use{10};
  static constexpr std::chrono::minutes stale_use_spread{5};

  // log receives the static-stability warnings (never secrets).
  explicit imds_provider(imds_settings settings, std::function<void(std::string_view)> log = {})
      : s_(std::move(settings)),
        transport_(detail::metadata_transport(s_.timeout, s_.timeout)),
        log_(std::move(log)) {}

  result<credentials> resolve() override {
    result<credentials> r = attempt();
    for (int i = 1; i < s_.attempts && !r && detail::imds_retryable(r.error()); ++i) r = attempt();
    return stabilize(std::move(r));
  }

  [[nodiscard]] std::string describe() const override {
    return "EC2 instance metadata (IMDSv2" + std::string(s_.v1_disabled ? "" : ", else IMDSv1") + ") at " +
           s_.endpoint;
  }

 private:
  // Applies static stability (see the top of this file) to what an attempt gave.
  result<credentials> stabilize(result<credentials> r) {
    const timestamp now = system_now();
    const auto until = [&] {
      return now + stale_use +
             std::chrono::duration_cast<std::chrono::seconds>(stale_use_spread * retry::random_jitter());
    };
    std::string line;
    {
      std::lock_guard<std::mutex> lock(last_mutex_);
      if (r) {
        if (r->expiration && *r->expiration <= now) {
          const timestamp expired = *r->expiration;
          r->expiration = until();
          line = "credentials: " + describe() + " answered with credentials that expired " +
                 format_timestamp(expired) + "; using them until " + format_timestamp(*r->expiration) +
                 " (static stability: EC2 could not rotate them)";
        }
        last_ = *r;
      } else if (last_ && last_->expiration && *last_->expiration <= now + stale_use) {
        last_->expiration = std::max(*last_->expiration, until());
        line = "credentials: " + r.error().message + "; using the credentials it gave last, access key id " +
               last_->access_key_id + ", until " + format_timestamp(*last_->expiration) +
               " (static stability)";
        r = *last_;
      }
    }
    if (!line.empty() && log_) log_(line);
    return r;
  }

  result<credentials> attempt() {
    detail::imds_session session(*transport_, s_, describe());
    if (auto ok = session.start(); !ok) return ok.error();
    const std::string base = "/latest/meta-data/iam/security-credentials/";
    auto list_resp = session.get(base);
    if (!list_resp || list_resp->status != 200) {
      error e = session.failure("role listing", list_resp);
      if (list_resp && list_resp->status == 404) e.message += " (no IAM role is attached to this instance)";
      return e;
    }
    std::string_view role = ascii::trim(list_resp->body);
    role = role.substr(0, role.find('\n'));
    role = ascii::trim(role);
    if (role.empty()) {
      return make_error(error_kind::credentials, "NoRole",
                        describe() + ": no IAM role is attached to this instance");
    }
    auto creds_resp = session.get(base + uri::encode(role));
    if (!creds_resp || creds_resp->status != 200) {
      return session.failure("credentials of role " + uri::encode(role), creds_resp);
    }
    return detail::read_metadata_credentials(creds_resp->body, describe());
  }

  imds_settings s_;
  std::shared_ptr<http::transport> transport_;
  std::function<void(std::string_view)> log_;
  std::mutex last_mutex_;
  std::optional<credentials> last_;  // the last credentials given, for static stability
};

}  // namespace ivsrt
