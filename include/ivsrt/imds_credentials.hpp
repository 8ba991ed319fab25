// EC2 instance metadata credentials: in one round of requests (imds.hpp: the IMDSv2 token, else
// IMDSv1), the instance profile's name and its credentials document. As the current AWS SDKs do,
// the extended API (/latest/meta-data/iam/security-credentials-extended/, whose document also
// holds the account id) is asked first; a 404 from it falls back to the legacy API
// (/latest/meta-data/iam/security-credentials/), and whichever answered is used from then on. The
// name is listed once and kept (or configured: AWS_EC2_INSTANCE_PROFILE_NAME /
// ec2_instance_profile_name); when its credentials answer 404 it is listed again, since an
// instance's profile can be replaced.
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

  enum class metadata_api { unknown, extended, legacy };
  static constexpr std::string_view extended_base = "/latest/meta-data/iam/security-credentials-extended";
  static constexpr std::string_view legacy_base = "/latest/meta-data/iam/security-credentials";

  result<credentials> attempt() {
    detail::imds_session session(*transport_, s_, describe());
    if (auto ok = session.start(); !ok) return ok.error();
    std::lock_guard<std::mutex> lock(state_mutex_);
    const bool configured = !s_.profile_name.empty();
    std::string role = configured ? s_.profile_name : role_;
    bool listed = false;
    if (role.empty()) {
      auto found = list_role(session);
      if (!found) return found.error();
      role = std::move(*found);
      listed = true;
    }
    auto creds = fetch(session, role, configured);
    if (!creds && creds.error().http_status == 404 && !configured && !listed) {
      auto found = list_role(session);
      if (!found) return found.error();
      role = std::move(*found);
      creds = fetch(session, role, configured);
    }
    if (creds && !configured) role_ = role;
    return creds;
  }

  // GET of `base/` or `base/role`: the extended API unless it is known to be missing here, then
  // the legacy one when the extended answered 404 before either was known to work.
  result<http::response> get(detail::imds_session& session, const std::string& suffix,
                             const std::string& step) {
    if (api_ != metadata_api::legacy) {
      auto resp = session.get(std::string(extended_base) + suffix);
      if (resp && resp->status == 200) {
        api_ = metadata_api::extended;
        return resp;
      }
      if (!resp || resp->status != 404 || api_ == metadata_api::extended) return session.failure(step, resp);
    }
    auto resp = session.get(std::string(legacy_base) + suffix);
    if (!resp || resp->status != 200) return session.failure(step, resp);
    api_ = metadata_api::legacy;
    return resp;
  }

  result<std::string> list_role(detail::imds_session& session) {
    auto resp = get(session, "/", "role listing");
    if (!resp) {
      error e = resp.error();
      if (e.http_status == 404) e.message += " (no IAM role is attached to this instance)";
      return e;
    }
    std::string_view role = ascii::trim(resp->body);
    role = ascii::trim(role.substr(0, role.find('\n')));
    if (role.empty()) {
      return make_error(error_kind::credentials, "NoRole",
                        describe() + ": no IAM role is attached to this instance");
    }
    return std::string(role);
  }

  result<credentials> fetch(detail::imds_session& session, const std::string& role, bool configured) {
    const std::string encoded = uri::encode(role);
    auto resp = get(session, "/" + encoded, "credentials of instance profile " + encoded);
    if (!resp) {
      error e = resp.error();
      if (configured && e.http_status == 404) {
        e.message +=
            " (AWS_EC2_INSTANCE_PROFILE_NAME or ec2_instance_profile_name names no profile of "
            "this instance)";
      }
      return e;
    }
    return detail::read_metadata_credentials(resp->body, describe());
  }

  imds_settings s_;
  std::shared_ptr<http::transport> transport_;
  std::function<void(std::string_view)> log_;
  std::mutex last_mutex_;
  std::optional<credentials> last_;  // the last credentials given, for static stability
  std::mutex state_mutex_;           // one attempt at a time uses and updates these two
  metadata_api api_ = metadata_api::unknown;
  std::string role_;  // the listed instance profile name
};

}  // namespace ivsrt
