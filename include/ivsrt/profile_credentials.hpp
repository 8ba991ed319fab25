// Credentials from the selected profile of the shared files. A profile resolves to a base source
// and the roles assumed on top of it:
//
//   web_identity_token_file         assume role_arn with the token in that file, whatever
//                                   source_profile or credential_source the profile also names
//                                   (as botocore and the SDK for Rust read it)
//   role_arn + source_profile       assume the role with the credentials of the source profile,
//                                   which may itself assume a role (chains of any depth; a cycle
//                                   is an error); a source profile with static keys ends the chain
//   role_arn + source_profile=self  assume the role with this profile's own static keys
//   role_arn + credential_source    Environment, Ec2InstanceMetadata or EcsContainer as the base
//   otherwise, in this order        IAM Identity Center (sso_session or legacy sso_start_url);
//                                   console sign-in (login_session); credential_process; static
//                                   keys (aws_access_key_id, aws_secret_access_key,
//                                   aws_session_token)
//
// Static keys come last among a profile's own sources, as in botocore (for keys in the config
// file), the SDKs for Rust and Java: a profile that names a process or a role as well as keys
// means the process or the role.
//
// Planning reads only the files, so a broken profile is reported when the client is created.
#pragma once

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/ascii.hpp"
#include "ivsrt/container_credentials.hpp"
#include "ivsrt/credential_http.hpp"
#include "ivsrt/credential_process.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/imds_credentials.hpp"
#include "ivsrt/login_credentials.hpp"
#include "ivsrt/region.hpp"
#include "ivsrt/role_credentials.hpp"
#include "ivsrt/shared_config.hpp"
#include "ivsrt/sso_credentials.hpp"
#include "ivsrt/sts.hpp"

namespace ivsrt {

enum class profile_source_kind {
  static_keys,
  web_identity,
  sso,
  login,
  process,
  environment,
  instance_metadata,
  container
};

// Where the credentials at the bottom of a profile's chain come from.
struct profile_source {
  profile_source_kind kind = profile_source_kind::static_keys;
  std::string profile{};  // the profile that configures it
  credentials keys{};     // static_keys
  web_identity_settings web_identity{};
  sso_settings sso{};
  login_settings login{};
  std::string command{};     // credential_process
  std::string account_id{};  // credential_process: the profile's aws_account_id, if the output has none
};

struct profile_plan {
  profile_source base{};
  // Roles assumed in order: roles[0] with the base credentials, roles[1] with those of roles[0]...
  std::vector<assume_role_settings> roles{};
};

namespace detail {

inline error profile_error(const std::string& message) {
  return make_error(error_kind::configuration, "InvalidProfile", message);
}

// A non-empty value of `key` in `section`, or nullptr.
inline const std::string* setting(const config::section& section, std::string_view key) {
  auto it = section.find(std::string(key));
  return it == section.end() || it->second.value.empty() ? nullptr : &it->second.value;
}

template <class Keys>
inline bool has_any(const config::section& s, const Keys& keys) {
  for (std::string_view k : keys) {
    if (setting(s, k) != nullptr) return true;
  }
  return false;
}

inline constexpr std::array<std::string_view, 3> static_keys = {"aws_access_key_id", "aws_secret_access_key",
                                                                "aws_session_token"};
inline constexpr std::array<std::string_view, 5> sso_keys = {"sso_session", "sso_start_url", "sso_region",
                                                             "sso_account_id", "sso_role_name"};
inline constexpr std::array<std::string_view, 6> other_credential_keys = {
    "role_arn",      "source_profile",    "credential_source", "web_identity_token_file",
    "login_session", "credential_process"};

inline result<credentials> static_keys_of(const config::section& s, const std::string& name) {
  const std::string* id = setting(s, "aws_access_key_id");
  const std::string* secret = setting(s, "aws_secret_access_key");
  if (id == nullptr || secret == nullptr) {
    return profile_error("profile '" + name + "' has " +
                         (id == nullptr ? "aws_secret_access_key without aws_access_key_id"
                                        : "aws_access_key_id without aws_secret_access_key"));
  }
  credentials c;
  c.access_key_id = *id;
  c.secret_access_key = sensitive_string(*secret);
  const std::string* token = setting(s, "aws_session_token");
  if (token == nullptr) token = setting(s, "aws_security_token");  // the old name, which botocore reads
  if (token != nullptr) c.session_token = sensitive_string(*token);
  if (const std::string* account = setting(s, "aws_account_id")) c.account_id = *account;
  return c;
}

inline result<assume_role_settings> role_of(const config::section& s, const std::string& name) {
  assume_role_settings r;
  r.role_arn = *setting(s, "role_arn");
  r.origin = "profile " + name;
  if (const std::string* v = setting(s, "role_session_name")) {
    if (!valid_session_name(*v)) {
      return profile_error("role_session_name of profile '" + name +
                           "' must be 2 to 64 characters of letters, digits and _+=,.@-");
    }
    r.session_name = *v;
  }
  if (const std::string* v = setting(s, "external_id")) r.external_id = *v;
  if (const std::string* v = setting(s, "mfa_serial")) r.mfa_serial = *v;
  if (const std::string* v = setting(s, "duration_seconds")) {
    const auto n = ascii::whole_number(*v, 43200);
    if (!n || *n < 900) {
      return profile_error("duration_seconds of profile '" + name + "' must be a number from 900 to 43200");
    }
    r.duration_seconds = *n;
  }
  return r;
}

inline result<sso_settings> sso_of(const shared_config& cfg, const config::section& s,
                                   const std::string& name) {
  sso_settings out;
  out.profile = name;
  const std::string* account = setting(s, "sso_account_id");
  const std::string* role = setting(s, "sso_role_name");
  const std::string* start = setting(s, "sso_start_url");
  const std::string* region = setting(s, "sso_region");
  if (const std::string* session = setting(s, "sso_session")) {
    auto it = cfg.data.sso_sessions.find(*session);
    if (it == cfg.data.sso_sessions.end()) {
      return profile_error("profile '" + name + "' names sso_session '" + *session +
                           "', but there is no [sso-session " + *session + "] section in " +
                           cfg.files.config);
    }
    const std::string* session_start = setting(it->second, "sso_start_url");
    const std::string* session_region = setting(it->second, "sso_region");
    if (session_start == nullptr || session_region == nullptr) {
      return profile_error("[sso-session " + *session + "] needs sso_start_url and sso_region");
    }
    if ((start != nullptr && *start != *session_start) || (region != nullptr && *region != *session_region)) {
      return profile_error("profile '" + name +
                           "' sets sso_start_url or sso_region differently from [sso-session " + *session +
                           "]");
    }
    out.session_name = *session;
    out.start_url = *session_start;
    out.sso_region = *session_region;
  } else {
    if (start == nullptr || region == nullptr) {
      return profile_error(
          "profile '" + name +
          "' needs sso_session, or both sso_start_url and sso_region, for IAM Identity Center");
    }
    out.start_url = *start;
    out.sso_region = *region;
  }
  if (account == nullptr || role == nullptr) {
    return profile_error("profile '" + name +
                         "' needs sso_account_id and sso_role_name for IAM Identity Center credentials");
  }
  if (!valid_region(out.sso_region)) {
    return profile_error("sso_region '" + out.sso_region + "' of profile '" + name +
                         "' is not a valid region name");
  }
  out.account_id = *account;
  out.role_name = *role;
  return out;
}

// The base source of a profile that does not assume a role through another profile.
inline result<profile_source> base_of(const shared_config& cfg, const config::section& s,
                                      const std::string& name) {
  profile_source src;
  src.profile = name;
  if (const std::string* file = setting(s, "web_identity_token_file")) {
    const std::string* role = setting(s, "role_arn");
    if (role == nullptr) {
      return profile_error("profile '" + name + "' has web_identity_token_file without role_arn");
    }
    src.kind = profile_source_kind::web_identity;
    src.web_identity.role_arn = *role;
    src.web_identity.token_file = *file;
    src.web_identity.origin = "profile " + name;
    if (const std::string* v = setting(s, "role_session_name")) {
      if (!valid_session_name(*v)) {
        return profile_error("role_session_name of profile '" + name +
                             "' must be 2 to 64 characters of letters, digits and _+=,.@-");
      }
      src.web_identity.session_name = *v;
    }
    return src;
  }
  if (has_any(s, sso_keys)) {
    auto sso = sso_of(cfg, s, name);
    if (!sso) return sso.error();
    src.kind = profile_source_kind::sso;
    src.sso = std::move(*sso);
    return src;
  }
  if (const std::string* session = setting(s, "login_session")) {
    src.kind = profile_source_kind::login;
    src.login = {.profile = name, .session = *session};
    return src;
  }
  if (const std::string* command = setting(s, "credential_process")) {
    src.kind = profile_source_kind::process;
    src.command = *command;
    if (const std::string* account = setting(s, "aws_account_id")) src.account_id = *account;
    return src;
  }
  if (has_any(s, static_keys)) {
    auto keys = static_keys_of(s, name);
    if (!keys) return keys.error();
    src.kind = profile_source_kind::static_keys;
    src.keys = std::move(*keys);
    return src;
  }
  if (setting(s, "credential_source") != nullptr) {
    return profile_error("profile '" + name + "' has credential_source without role_arn");
  }
  if (setting(s, "source_profile") != nullptr) {
    return profile_error("profile '" + name + "' has source_profile without role_arn");
  }
  return profile_error(
      "profile '" + name +
      "' has no credentials: no aws_access_key_id, role_arn, web_identity_token_file, sso_*, "
      "login_session or credential_process");
}

// The credentials of AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (else its old name
// AWS_SECURITY_TOKEN, which botocore still reads) and AWS_ACCOUNT_ID, expiring at
// AWS_CREDENTIAL_EXPIRATION when it is set (as botocore and the SDK for JavaScript read it), so
// that the cache reports them expired instead of sending them.
inline result<credentials> environment_credentials() {
  credentials c;
  c.access_key_id = env::get("AWS_ACCESS_KEY_ID");
  c.secret_access_key = sensitive_string(env::get("AWS_SECRET_ACCESS_KEY"));
  std::string token = env::get("AWS_SESSION_TOKEN");
  if (token.empty()) token = env::get("AWS_SECURITY_TOKEN");
  if (!token.empty()) c.session_token = sensitive_string(std::move(token));
  if (std::string a = env::get("AWS_ACCOUNT_ID"); !a.empty()) c.account_id = std::move(a);
  if (const std::string e = env::get("AWS_CREDENTIAL_EXPIRATION"); !e.empty()) {
    const auto t = parse_expiry(e);
    if (!t) {
      return make_error(
          error_kind::configuration, "InvalidSetting",
          "AWS_CREDENTIAL_EXPIRATION must be an ISO 8601 timestamp such as 2030-01-01T00:00:00Z");
    }
    c.expiration = *t;
  }
  return c;
}

// Profile `name`'s static keys as the base of its chain.
inline profile_source static_keys_source(const std::string& name, credentials keys) {
  profile_source src;
  src.kind = profile_source_kind::static_keys;
  src.profile = name;
  src.keys = std::move(keys);
  return src;
}

inline result<profile_source> named_source(const std::string& value, const std::string& name) {
  profile_source src;
  src.profile = name;
  if (value == "Environment") {
    src.kind = profile_source_kind::environment;
  } else if (value == "Ec2InstanceMetadata") {
    src.kind = profile_source_kind::instance_metadata;
  } else if (value == "EcsContainer") {
    src.kind = profile_source_kind::container;
  } else {
    return profile_error("credential_source of profile '" + name +
                         "' must be Environment, Ec2InstanceMetadata or EcsContainer");
  }
  return src;
}

}  // namespace detail

// Whether the selected profile says anything about credentials at all; a profile that does not
// (or an absent "default") lets the chain go on to the container and instance metadata.
inline bool profile_has_credentials(const shared_config& cfg) {
  const config::section* s = cfg.selected();
  if (s == nullptr) return false;
  return detail::has_any(*s, detail::static_keys) || detail::has_any(*s, detail::sso_keys) ||
         detail::has_any(*s, detail::other_credential_keys);
}

// Resolves the selected profile into its base source and role chain.
inline result<profile_plan> plan_profile(const shared_config& cfg) {
  profile_plan plan;
  std::string name = cfg.profile;
  std::vector<std::string> visited;
  while (true) {
    const config::section* s = cfg.data.profile(name);
    if (s == nullptr) {
      if (visited.empty()) return detail::profile_error("profile '" + name + "' is not in " + cfg.where());
      return detail::profile_error("profile '" + name + "', the source_profile of '" + visited.back() +
                                   "', is not in " + cfg.where());
    }
    for (const auto& v : visited) {
      if (v == name) {
        std::string loop = "source_profile chain loops: ";
        for (const auto& p : visited) loop.append(p).append(" -> ");
        return detail::profile_error(loop.append(name));
      }
    }
    visited.push_back(name);
    if (visited.size() > 1 && detail::has_any(*s, detail::static_keys)) {
      auto keys = detail::static_keys_of(*s, name);
      if (!keys) return keys.error();
      plan.base = detail::static_keys_source(name, std::move(*keys));
      break;
    }
    const std::string* role = detail::setting(*s, "role_arn");
    if (role == nullptr || detail::setting(*s, "web_identity_token_file") != nullptr) {
      auto base = detail::base_of(cfg, *s, name);
      if (!base) return base.error();
      plan.base = std::move(*base);
      break;
    }
    const std::string* source_profile = detail::setting(*s, "source_profile");
    const std::string* credential_source = detail::setting(*s, "credential_source");
    if (source_profile != nullptr && credential_source != nullptr) {
      return detail::profile_error("profile '" + name + "' has both source_profile and credential_source");
    }
    if (source_profile == nullptr && credential_source == nullptr) {
      return detail::profile_error("profile '" + name +
                                   "' has role_arn but neither source_profile nor credential_source");
    }
    auto hop = detail::role_of(*s, name);
    if (!hop) return hop.error();
    plan.roles.push_back(std::move(*hop));
    if (credential_source != nullptr) {
      auto base = detail::named_source(*credential_source, name);
      if (!base) return base.error();
      plan.base = std::move(*base);
      break;
    }
    if (*source_profile == name) {
      auto keys = detail::static_keys_of(*s, name);
      if (!keys) {
        return detail::profile_error("profile '" + name +
                                     "' is its own source_profile but has no static keys");
      }
      plan.base = detail::static_keys_source(name, std::move(*keys));
      break;
    }
    name = *source_profile;
  }
  std::reverse(plan.roles.begin(), plan.roles.end());
  return plan;
}

// The providers for a plan: the base, wrapped once per role.
inline result<std::shared_ptr<credentials_provider>> build_profile_provider(
    const profile_plan& plan, const detail::provider_context& ctx) {
  const profile_source& b = plan.base;
  std::shared_ptr<credentials_provider> p;
  auto sts_target = [&]() { return sts::target_for(ctx); };
  switch (b.kind) {
    case profile_source_kind::static_keys:
      p = std::make_shared<static_provider>(b.keys, "profile " + b.profile + ": static keys");
      break;
    case profile_source_kind::web_identity: {
      auto t = sts_target();
      if (!t) return t.error();
      p = std::make_shared<web_identity_provider>(b.web_identity, std::move(*t));
      break;
    }
    case profile_source_kind::sso: {
      const std::string home = env::home();
      if (home.empty()) {
        return detail::profile_error("IAM Identity Center profiles need HOME for ~/.aws/sso/cache");
      }
      // The configured endpoint of a service, else its regional one.
      auto endpoint = [&](const char* env_name, std::string_view services_key, std::string_view service,
                          std::string_view what) {
        std::string source;
        auto configured = detail::configured_endpoint(ctx, env_name, services_key, source);
        if (!configured) return result<uri::endpoint>(configured.error());
        std::string url = std::move(*configured);
        if (url.empty()) {
          auto regional = detail::regional_endpoint(service, b.sso.sso_region, ctx.variant);
          if (!regional) return result<uri::endpoint>(regional.error());
          url = std::move(*regional);
          source = std::string(what) + " of region " + b.sso.sso_region;
        }
        return detail::parse_configured_endpoint(url, source);
      };
      auto portal = endpoint("AWS_ENDPOINT_URL_SSO", "sso", "portal.sso", "the SSO portal");
      if (!portal) return portal.error();
      // Only sso-session profiles have tokens that can be refreshed.
      std::optional<uri::endpoint> oidc;
      if (!b.sso.session_name.empty()) {
        auto found = endpoint("AWS_ENDPOINT_URL_SSO_OIDC", "sso_oidc", "oidc", "SSO OIDC");
        if (!found) return found.error();
        oidc = std::move(*found);
      }
      p = std::make_shared<sso_provider>(b.sso, home + "/.aws/sso/cache", std::move(*portal), std::move(oidc),
                                         ctx.aws_transport, ctx.log, ctx.settings.retries);
      break;
    }
    case profile_source_kind::login: {
      std::string cache_dir = env::expand_home(env::get("AWS_LOGIN_CACHE_DIRECTORY"));
      if (cache_dir.empty()) {
        const std::string home = env::home();
        if (home.empty()) {
          return detail::profile_error(
              "console sign-in profiles need HOME for ~/.aws/login/cache, or AWS_LOGIN_CACHE_DIRECTORY");
        }
        cache_dir = home + "/.aws/login/cache";
      }
      std::string source;
      auto url = detail::configured_endpoint(ctx, "AWS_ENDPOINT_URL_SIGNIN", "signin", source);
      if (!url) return url.error();
      std::optional<uri::endpoint> signin;
      if (!url->empty()) {
        auto parsed = detail::parse_configured_endpoint(*url, source);
        if (!parsed) return parsed.error();
        signin = std::move(*parsed);
      }
      p = std::make_shared<login_provider>(b.login, std::move(cache_dir), std::move(signin), ctx.region,
                                           ctx.aws_transport, ctx.log, ctx.settings.retries);
      break;
    }
    case profile_source_kind::process: {
      auto made = process_provider::create(b.command, "profile " + b.profile, ctx.settings.process_timeout,
                                           b.account_id);
      if (!made) return made.error();
      p = std::move(*made);
      break;
    }
    case profile_source_kind::environment: {
      auto found = detail::environment_credentials();
      if (!found) return found.error();
      credentials c = std::move(*found);
      if (c.access_key_id.empty() || c.secret_access_key.empty()) {
        return detail::profile_error("profile '" + b.profile +
                                     "' has credential_source Environment, but AWS_ACCESS_KEY_ID and "
                                     "AWS_SECRET_ACCESS_KEY are not both set");
      }
      p = std::make_shared<static_provider>(std::move(c), "profile " + b.profile + ": environment variables");
      break;
    }
    case profile_source_kind::instance_metadata: {
      auto s = imds_settings_from(*ctx.config);
      if (!s) return s.error();
      p = std::make_shared<imds_provider>(std::move(*s), ctx.log);
      break;
    }
    case profile_source_kind::container: {
      auto s = container_settings_from_environment();
      if (!s) return s.error();
      if (!*s) {
        return detail::profile_error(
            "profile '" + b.profile +
            "' has credential_source EcsContainer, but neither "
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI "
            "is set");
      }
      p = std::make_shared<container_provider>(std::move(**s));
      break;
    }
  }
  for (const auto& role : plan.roles) {
    if (!role.mfa_serial.empty() && !ctx.settings.mfa_token_code) {
      return detail::profile_error(role.origin +
                                   " sets mfa_serial, and no MFA code callback is configured "
                                   "(credential_chain_settings::mfa_token_code)");
    }
    auto t = sts_target();
    if (!t) return t.error();
    p = std::make_shared<assume_role_provider>(std::move(p), role, std::move(*t),
                                               ctx.settings.mfa_token_code);
  }
  return p;
}

}  // namespace ivsrt
