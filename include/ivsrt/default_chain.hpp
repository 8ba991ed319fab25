// The default credential chain. The first source that is configured is used:
//   1. environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN,
//      AWS_ACCOUNT_ID, AWS_CREDENTIAL_EXPIRATION)
//   2. web identity from the environment: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN
//      (+ AWS_ROLE_SESSION_NAME), through STS AssumeRoleWithWebIdentity
//   3. the selected profile of the shared files (profile_credentials.hpp)
//   4. container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI
//   5. EC2 instance metadata (IMDSv2, else IMDSv1), unless AWS_EC2_METADATA_DISABLED is true
// (Explicit credentials and user providers come before all of these, in client_options.)
// The choice is made from the environment and the files when the chain is built, each step is
// explained through `log`, and a broken setting is a configuration error then; nothing is fetched
// and no endpoint is contacted until the first resolve().
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/container_credentials.hpp"
#include "ivsrt/credential_http.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/imds_credentials.hpp"
#include "ivsrt/profile_credentials.hpp"
#include "ivsrt/role_credentials.hpp"
#include "ivsrt/settings.hpp"
#include "ivsrt/shared_config.hpp"
#include "ivsrt/sts.hpp"

namespace ivsrt {

struct chain_options {
  // The profile to use when `config` is empty; "": AWS_PROFILE, AWS_DEFAULT_PROFILE, "default".
  std::string profile{};
  // The region STS calls go to; "": the profile's region, else the global STS endpoint.
  std::string region{};
  // The shared files already loaded (a client passes its own); empty: loaded here.
  std::shared_ptr<const shared_config> config{};
  // FIPS and dual-stack endpoints for STS, the SSO portal and SSO OIDC; unset: AWS_USE_FIPS_ENDPOINT
  // / use_fips_endpoint and AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint, else off.
  std::optional<bool> use_fips{};
  std::optional<bool> use_dual_stack{};
  // Whether STS, SSO and Sign-In skip the configured endpoints (AWS_ENDPOINT_URL_STS, [services],
  // ...); unset: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls, else no.
  std::optional<bool> ignore_configured_endpoint_urls{};
  // TLS, proxy and timeouts for STS and the SSO portal.
  http::transport_options transport{};
  credential_chain_settings settings{};
  std::function<void(std::string_view)> log{};
};

namespace detail {

// The end of the chain: instance metadata when enabled, and an error that lists every source
// that was looked at when it gives nothing.
class last_resort_provider final : public credentials_provider {
 public:
  last_resort_provider(std::shared_ptr<credentials_provider> imds, std::string looked_at)
      : imds_(std::move(imds)), looked_at_(std::move(looked_at)) {}

  result<credentials> resolve() override {
    std::string why = looked_at_;
    if (imds_) {
      auto r = imds_->resolve();
      if (r) return r;
      why += "; " + r.error().message;
    } else {
      why += "; EC2 instance metadata is disabled by AWS_EC2_METADATA_DISABLED";
    }
    return make_error(error_kind::credentials, "NoCredentials", "no credentials found: " + why);
  }

  [[nodiscard]] std::string describe() const override {
    return imds_ ? imds_->describe() : std::string("no credential source");
  }

 private:
  std::shared_ptr<credentials_provider> imds_;
  std::string looked_at_;
};

}  // namespace detail

inline result<std::shared_ptr<credentials_provider>> default_chain(chain_options options = {}) {
  detail::provider_context ctx;
  ctx.log = std::move(options.log);
  ctx.settings = std::move(options.settings);
  if (options.config) {
    ctx.config = std::move(options.config);
  } else {
    auto loaded = load_shared_config(options.profile);
    if (!loaded) return loaded.error();
    ctx.config = std::make_shared<const shared_config>(std::move(*loaded));
  }
  const shared_config& cfg = *ctx.config;
  const settings::lookup where(cfg.data, cfg.profile);
  auto fips = settings::flag(options.use_fips, "the use_fips option", where, "AWS_USE_FIPS_ENDPOINT",
                             "use_fips_endpoint");
  if (!fips) return fips.error();
  auto dual = settings::flag(options.use_dual_stack, "the use_dual_stack option", where,
                             "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
  if (!dual) return dual.error();
  ctx.variant = {.fips = fips->first, .dual_stack = dual->first};
  auto ignore =
      settings::flag(options.ignore_configured_endpoint_urls, "the ignore_configured_endpoint_urls option",
                     where, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls");
  if (!ignore) return ignore.error();
  ctx.ignore_configured_endpoints = ignore->first;
  ctx.sts_regional_endpoints = where.env_or_profile("AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints");
  ctx.region = options.region;
  if (ctx.region.empty()) {
    if (const std::string* r = cfg.get("region")) ctx.region = *r;
  }
  ctx.aws_transport = std::make_shared<http::transport>(std::move(options.transport));
  auto chosen =
      [&](std::shared_ptr<credentials_provider> p) -> result<std::shared_ptr<credentials_provider>> {
    ctx.say("credentials: using " + p->describe() + "; fetched on first use");
    return p;
  };

  if (env::has("AWS_ACCESS_KEY_ID") || env::has("AWS_SECRET_ACCESS_KEY")) {
    auto c = detail::environment_credentials();
    if (!c) return c.error();
    if (c->access_key_id.empty() || c->secret_access_key.empty()) {
      return make_error(error_kind::configuration, "PartialCredentials",
                        c->access_key_id.empty()
                            ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
                            : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    }
    return chosen(std::make_shared<static_provider>(std::move(*c),
                                                    "environment variables AWS_ACCESS_KEY_ID and "
                                                    "AWS_SECRET_ACCESS_KEY"));
  }
  ctx.say("credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");

  if (std::string token_file = env::get("AWS_WEB_IDENTITY_TOKEN_FILE"); !token_file.empty()) {
    web_identity_settings w{.role_arn = env::get("AWS_ROLE_ARN"),
                            .token_file = std::move(token_file),
                            .session_name = env::get("AWS_ROLE_SESSION_NAME"),
                            .origin = "AWS_WEB_IDENTITY_TOKEN_FILE"};
    if (w.role_arn.empty()) {
      return make_error(error_kind::configuration, "InvalidWebIdentity",
                        "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");
    }
    if (!w.session_name.empty() && !detail::valid_session_name(w.session_name)) {
      return make_error(error_kind::configuration, "InvalidWebIdentity",
                        "AWS_ROLE_SESSION_NAME must be 2 to 64 characters of letters, digits and _+=,.@-");
    }
    auto t = sts::target_for(ctx);
    if (!t) return t.error();
    ctx.say("credentials: STS endpoint " + t->endpoint.origin() + t->endpoint.base_path + " (" + t->source +
            ")");
    return chosen(std::make_shared<web_identity_provider>(std::move(w), std::move(*t)));
  }
  ctx.say("credentials: AWS_WEB_IDENTITY_TOKEN_FILE is not set");

  const std::string profile = cfg.describe_profile();
  std::string profile_note;
  if (cfg.selected() == nullptr) {
    profile_note = profile + " is not in " + cfg.where();
  } else if (!profile_has_credentials(cfg)) {
    profile_note = profile + " has no credential settings";
  } else {
    auto plan = plan_profile(cfg);
    if (!plan) return plan.error();
    auto p = build_profile_provider(*plan, ctx);
    if (!p) return p.error();
    if (!plan->roles.empty()) {
      if (auto t = sts::target_for(ctx)) {
        ctx.say("credentials: STS endpoint " + t->endpoint.origin() + t->endpoint.base_path + " (" +
                t->source + ")");
      }
    }
    return chosen(std::move(*p));
  }
  ctx.say("credentials: " + profile_note);

  auto container = container_settings_from_environment();
  if (!container) return container.error();
  if (*container) return chosen(std::make_shared<container_provider>(std::move(**container)));
  ctx.say(
      "credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not "
      "set");

  const std::string looked_at =
      "AWS_ACCESS_KEY_ID and AWS_WEB_IDENTITY_TOKEN_FILE are not set; " + profile_note +
      "; AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set";
  if (env::is_true("AWS_EC2_METADATA_DISABLED")) {
    ctx.say("credentials: EC2 instance metadata is disabled by AWS_EC2_METADATA_DISABLED; no source is left");
    return std::shared_ptr<credentials_provider>(
        std::make_shared<detail::last_resort_provider>(nullptr, looked_at));
  }
  auto imds = imds_settings_from(cfg);
  if (!imds) return imds.error();
  return chosen(std::make_shared<detail::last_resort_provider>(
      std::make_shared<imds_provider>(std::move(*imds), ctx.log), looked_at));
}

}  // namespace ivsrt
