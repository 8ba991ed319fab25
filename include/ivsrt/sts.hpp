// The two AWS STS calls the credential chain makes, in the query protocol: AssumeRole (signed
// with the source credentials) and AssumeRoleWithWebIdentity (unsigned; the token is the proof).
// Form-encoded POST to the endpoint's root, API version 2011-06-15, XML back.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/credential_http.hpp"
#include "ivsrt/credentials.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/http.hpp"
#include "ivsrt/region.hpp"
#include "ivsrt/sigv4.hpp"
#include "ivsrt/timestamp.hpp"
#include "ivsrt/transport.hpp"
#include "ivsrt/uri.hpp"
#include "ivsrt/xml_extract.hpp"

namespace ivsrt::sts {

inline constexpr std::string_view api_version = "2011-06-15";

// Where STS calls go.
struct target {
  uri::endpoint endpoint{};
  std::string signing_region{};
  std::string source{};  // where the endpoint came from, for logs
  std::shared_ptr<http::transport> transport{};
  credential_call_retries retries{};
};

namespace detail {

// The regions whose STS calls went to the global endpoint before the SDKs defaulted to regional
// ones: where sts_regional_endpoints = legacy still sends them.
inline constexpr std::string_view legacy_global_regions[] = {
    "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1",
    "eu-central-1",   "eu-north-1", "eu-west-1",      "eu-west-2",      "eu-west-3",
    "sa-east-1",      "us-east-1",  "us-east-2",      "us-west-1",      "us-west-2"};

// Whether the chain's region goes to the global endpoint: "aws-global" always, the legacy
// regions under sts_regional_endpoints = legacy ("regional", the default, keeps them regional).
inline result<bool> uses_global_endpoint(const ivsrt::detail::provider_context& ctx) {
  const auto& setting = ctx.sts_regional_endpoints;
  const bool legacy = setting && ascii::iequals(setting->value, "legacy");
  if (setting && !legacy && !ascii::iequals(setting->value, "regional")) {
    return settings::invalid(*setting, "legacy or regional");
  }
  if (ctx.region == "aws-global") return true;
  if (!legacy) return false;
  for (std::string_view r : legacy_global_regions) {
    if (r == ctx.region) return true;
  }
  return false;
}

}  // namespace detail

// The STS endpoint for a chain: configured (AWS_ENDPOINT_URL_STS, ...) or the regional endpoint;
// without a region, or where detail::uses_global_endpoint says so, the global one (signed for
// us-east-1). FIPS and dual-stack endpoints are regional only.
inline result<target> target_for(const ivsrt::detail::provider_context& ctx) {
  if (!ctx.region.empty() && !ivsrt::detail::valid_region(ctx.region)) {
    return make_error(error_kind::configuration, "InvalidRegion",
                      "'" + ctx.region + "' is not a valid region name");
  }
  auto global = detail::uses_global_endpoint(ctx);
  if (!global) return global.error();
  target t;
  t.transport = ctx.aws_transport;
  t.retries = ctx.settings.retries;
  t.signing_region = ctx.region.empty() ? std::string("us-east-1") : ctx.region;
  std::string source;
  auto configured = ivsrt::detail::configured_endpoint(ctx, "AWS_ENDPOINT_URL_STS", "sts", source);
  if (!configured) return configured.error();
  std::string url = std::move(*configured);
  const bool variant = ctx.variant.fips || ctx.variant.dual_stack;
  if (url.empty() && (ctx.region.empty() || *global) && !variant) {
    url = "https://sts.amazonaws.com";
    t.signing_region = "us-east-1";
    source = "the global STS endpoint";
    if (ctx.region != "aws-global" && !ctx.region.empty()) {
      source += " for " + ctx.region + " (legacy, from " + ctx.sts_regional_endpoints->source + ")";
    }
  } else if (url.empty()) {
    auto regional = ivsrt::detail::regional_endpoint("sts", t.signing_region, ctx.variant);
    if (!regional) return regional.error();
    url = std::move(*regional);
    source = "the " + std::string(ctx.variant.fips ? "FIPS " : "") +
             (ctx.variant.dual_stack ? "dual-stack " : "") + "STS endpoint of region " + t.signing_region;
  }
  auto parsed = ivsrt::detail::parse_configured_endpoint(url, source);
  if (!parsed) return parsed.error();
  t.endpoint = std::move(*parsed);
  t.source = std::move(source);
  return t;
}

namespace detail {

using param = std::pair<std::string_view, std::string_view>;

inline std::string form_body(const std::vector<param>& params) {
  std::string body;
  for (const auto& [k, v] : params) {
    if (!body.empty()) body += '&';
    uri::append_encoded(body, k);
    body += '=';
    uri::append_encoded(body, v);
  }
  return body;
}

// "arn:aws:sts::123456789012:assumed-role/..." -> "123456789012".
inline std::string account_of(std::string_view arn) {
  std::size_t start = 0;
  for (int field = 0; field < 4; ++field) {
    start = arn.find(':', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  const std::size_t end = arn.find(':', start);
  if (end == std::string_view::npos) return {};
  return std::string(arn.substr(start, end - start));
}

// Reads an STS response: the credentials of a 2xx, or the error document of anything else.
inline result<credentials> read_response(const http::response& resp, std::string_view action,
                                         std::string_view role_arn) {
  const std::string what = "STS " + std::string(action) + " for " + std::string(role_arn);
  if (resp.status < 200 || resp.status >= 300) {
    error e = make_error(error_kind::credentials, "Http" + std::to_string(resp.status), {});
    e.http_status = static_cast<int>(resp.status);
    e.request_id = std::string(resp.header("x-amzn-RequestId"));
    auto doc = xml::extract(
        resp.body, {"ErrorResponse/Error/Code", "ErrorResponse/Error/Message", "ErrorResponse/RequestId"});
    if (doc && doc->get(0) != nullptr && !doc->get(0)->empty()) {
      e.code = ivsrt::detail::printable(doc->view(0), 100);
      e.message = what + " failed: " + ivsrt::detail::printable(doc->view(1));
      if (e.request_id.empty()) e.request_id = ivsrt::detail::printable(doc->view(2), 100);
    } else {
      e.message = what + " failed with HTTP " + std::to_string(resp.status) +
                  " and a body that is not an STS error document";
    }
    return e;
  }
  const std::string prefix = std::string(action) + "Response/" + std::string(action) + "Result/";
  const std::string key = prefix + "Credentials/AccessKeyId";
  const std::string secret = prefix + "Credentials/SecretAccessKey";
  const std::string token = prefix + "Credentials/SessionToken";
  const std::string expiry = prefix + "Credentials/Expiration";
  const std::string arn = prefix + "AssumedRoleUser/Arn";
  auto doc = xml::extract(resp.body, {key, secret, token, expiry, arn});
  if (!doc) {
    error e = doc.error();
    e.kind = error_kind::credentials;
    e.message = what + ": the response is not readable: " + e.message;
    return e;
  }
  for (std::size_t i = 0; i < 4; ++i) {
    if (doc->get(i) == nullptr || doc->get(i)->empty()) {
      return make_error(error_kind::credentials, "InvalidResponse",
                        what +
                            ": the response has no Credentials element with all of AccessKeyId, "
                            "SecretAccessKey, SessionToken and Expiration");
    }
  }
  auto expires = parse_expiry(doc->view(3));
  if (!expires) {
    return make_error(error_kind::credentials, "InvalidResponse",
                      what + ": Expiration is not an ISO 8601 date-time");
  }
  credentials c;
  c.access_key_id = std::string(doc->view(0));
  c.secret_access_key = sensitive_string(doc->view(1));
  c.session_token = sensitive_string(doc->view(2));
  c.expiration = *expires;
  if (std::string account = account_of(doc->view(4)); !account.empty()) c.account_id = std::move(account);
  return c;
}

inline http::request post(const target& t, std::string body) {
  http::request req;
  req.method = "POST";
  req.url = t.endpoint.origin() + t.endpoint.base_path + "/";
  req.headers.emplace_back("Host", t.endpoint.authority());
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  req.body = std::move(body);
  req.has_body = true;
  return req;
}

inline result<http::response> send(const target& t, http::request& req, std::string_view action) {
  req.headers.emplace_back("User-Agent", ivsrt::detail::user_agent());
  auto resp = t.transport->send(req);
  wipe(req.body);
  if (!resp) {
    error e = resp.error();
    e.message = "STS " + std::string(action) + " at " + t.endpoint.origin() + ": " + e.message;
    return e;
  }
  return resp;
}

}  // namespace detail

struct assume_role_request {
  std::string role_arn{};
  std::string session_name{};
  std::string external_id{};  // "" when not used
  int duration_seconds = 0;   // 0: the service default (one hour)
  std::string mfa_serial{};   // "" when not used
  sensitive_string mfa_code{};
};

// AssumeRole, signed with `source`; signed again for each attempt (detail::with_retries).
inline result<credentials> assume_role(const target& t, const credentials& source,
                                       const assume_role_request& r) {
  std::vector<detail::param> params = {{"Action", "AssumeRole"},
                                       {"Version", api_version},
                                       {"RoleArn", r.role_arn},
                                       {"RoleSessionName", r.session_name}};
  const std::string duration = std::to_string(r.duration_seconds);
  if (r.duration_seconds > 0) params.emplace_back("DurationSeconds", duration);
  if (!r.external_id.empty()) params.emplace_back("ExternalId", r.external_id);
  if (!r.mfa_serial.empty()) {
    params.emplace_back("SerialNumber", r.mfa_serial);
    params.emplace_back("TokenCode", r.mfa_code.reveal());
  }
  return ivsrt::detail::with_retries(t.retries, [&]() -> result<credentials> {
    http::request req = detail::post(t, detail::form_body(params));
    const std::string path = t.endpoint.base_path + "/";
    sigv4::request to_sign{
        .method = req.method, .path = path, .query = {}, .headers = {}, .payload = req.body};
    for (const auto& [name, value] : req.headers) to_sign.headers.push_back({name, value});
    const timestamp now = system_now();
    const sigv4::signer signer(t.signing_region, "sts");
    sigv4::signed_parts sig = signer.sign(to_sign, source, now);
    req.headers.emplace_back("X-Amz-Date", sig.amz_date);
    if (source.session_token)
      req.headers.emplace_back("X-Amz-Security-Token", source.session_token->reveal());
    req.headers.emplace_back("Authorization", std::move(sig.authorization));
    auto resp = detail::send(t, req, "AssumeRole");
    for (auto& h : req.headers) wipe(h.second);
    if (!resp) return resp.error();
    return detail::read_response(*resp, "AssumeRole", r.role_arn);
  });
}

// AssumeRoleWithWebIdentity: unsigned, the token proves the caller.
inline result<credentials> assume_role_with_web_identity(const target& t, std::string_view role_arn,
                                                         std::string_view session_name,
                                                         const sensitive_string& token) {
  return ivsrt::detail::with_retries(t.retries, [&]() -> result<credentials> {
    http::request req = detail::post(t, detail::form_body({{"Action", "AssumeRoleWithWebIdentity"},
                                                           {"Version", api_version},
                                                           {"RoleArn", role_arn},
                                                           {"RoleSessionName", session_name},
                                                           {"WebIdentityToken", token.reveal()}}));
    auto resp = detail::send(t, req, "AssumeRoleWithWebIdentity");
    if (!resp) return resp.error();
    return detail::read_response(*resp, "AssumeRoleWithWebIdentity", role_arn);
  });
}

}  // namespace ivsrt::sts
