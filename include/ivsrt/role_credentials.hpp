// Credentials for an IAM role through STS: assumed with other credentials (a profile's role_arn
// with source_profile or credential_source), or with a web identity token read from a file
// (AWS_WEB_IDENTITY_TOKEN_FILE, or a profile's web_identity_token_file), re-read on every refresh.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/ascii.hpp"
#include "ivsrt/credential_http.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/sts.hpp"

namespace ivsrt {

namespace detail {

// The session name used when none is configured, unique enough to tell sessions apart in
// CloudTrail.
inline std::string default_session_name() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return "ivsrt-session-" + std::to_string(ms.count());
}

// STS accepts 2 to 64 characters of [A-Za-z0-9_+=,.@-].
inline bool valid_session_name(std::string_view s) noexcept {
  if (s.size() < 2 || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace detail

struct assume_role_settings {
  std::string role_arn{};
  std::string session_name{};  // "": a generated name
  std::string external_id{};
  int duration_seconds = 0;  // 0: the STS default of one hour
  std::string mfa_serial{};
  std::string origin{};  // where it is configured, e.g. "profile dev"
};

class assume_role_provider final : public credentials_provider {
 public:
  assume_role_provider(std::shared_ptr<credentials_provider> source, assume_role_settings settings,
                       sts::target target,
                       std::function<result<std::string>(std::string_view)> mfa_token_code = {})
      : source_(std::move(source)),
        settings_(std::move(settings)),
        target_(std::move(target)),
        mfa_(std::move(mfa_token_code)) {}

  result<credentials> resolve() override {
    auto source = source_->resolve();
    if (!source) {
      error e = source.error();
      e.message = "source credentials for role " + settings_.role_arn + " (" + source_->describe() +
                  "): " + e.message;
      return e;
    }
    sts::assume_role_request r{.role_arn = settings_.role_arn,
                               .session_name = settings_.session_name.empty() ? detail::default_session_name()
                                                                              : settings_.session_name,
                               .external_id = settings_.external_id,
                               .duration_seconds = settings_.duration_seconds,
                               .mfa_serial = settings_.mfa_serial,
                               .mfa_code = {}};
    if (!settings_.mfa_serial.empty()) {
      if (!mfa_) {
        return make_error(error_kind::configuration, "MfaRequired",
                          settings_.origin + " sets mfa_serial, and no MFA code callback is configured");
      }
      auto code = mfa_(settings_.mfa_serial);
      if (!code) return code.error();
      r.mfa_code = sensitive_string(std::move(*code));
    }
    return sts::assume_role(target_, *source, r);
  }

  [[nodiscard]] std::string describe() const override {
    return settings_.origin + ": role " + settings_.role_arn + " assumed with " + source_->describe();
  }

 private:
  std::shared_ptr<credentials_provider> source_;
  assume_role_settings settings_;
  sts::target target_;
  std::function<result<std::string>(std::string_view)> mfa_;
};

struct web_identity_settings {
  std::string role_arn{};
  std::string token_file{};
  std::string session_name{};  // "": a generated name
  std::string origin{};        // "AWS_WEB_IDENTITY_TOKEN_FILE" or "profile dev"
};

class web_identity_provider final : public credentials_provider {
 public:
  web_identity_provider(web_identity_settings settings, sts::target target)
      : settings_(std::move(settings)), target_(std::move(target)) {}

  result<credentials> resolve() override {
    std::string text;
    if (auto r =
            detail::read_file(settings_.token_file, std::size_t{1} << 20, text, "web identity token file");
        !r) {
      return r.error();
    }
    const sensitive_string token(ascii::trim(text));
    wipe(text);
    if (token.empty()) {
      return make_error(error_kind::credentials, "EmptyWebIdentityToken",
                        "web identity token file " + settings_.token_file + " is empty");
    }
    const std::string session =
        settings_.session_name.empty() ? detail::default_session_name() : settings_.session_name;
    return sts::assume_role_with_web_identity(target_, settings_.role_arn, session, token);
  }

  [[nodiscard]] std::string describe() const override {
    return settings_.origin + ": role " + settings_.role_arn + " assumed with the web identity token in " +
           settings_.token_file;
  }

 private:
  web_identity_settings settings_;
  sts::target target_;
};

}  // namespace ivsrt
