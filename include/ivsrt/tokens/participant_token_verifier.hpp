// Checks participant tokens your application minted itself (participant_token_signer), e.g. a game
// server confirming a token it issued before trusting the claims in it. It verifies the ES384
// signature with the public key, that the header names that key, the documented claim rules, and
// expiry and issue time with a clock-skew allowance; then returns the typed claims.
//
// This is not how IVS checks tokens and cannot check API-issued tokens (those are opaque, signed
// by IVS with alg "KMS"). Error messages never quote the token.
//
// Thread safety: immutable once created; verify() may be called from many threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/base64url.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/tokens/es384.hpp"
#include "ivsrt/tokens/key_pair.hpp"
#include "ivsrt/tokens/participant_token_claims.hpp"
#include "ivsrt/tokens/participant_token_rules.hpp"

namespace ivsrt::tokens {

struct verifier_options {
  // How far the issuer's clock may be ahead of or behind ours: a token is accepted until
  // exp + clock_skew, and from iat - clock_skew.
  std::chrono::seconds clock_skew = std::chrono::seconds(60);
  // Longer tokens are refused before any decoding.
  std::size_t max_token_size = std::size_t{16} * 1024;
};

class participant_token_verifier {
 public:
  // public_key_arn must equal the `kid` of the tokens to accept.
  static result<participant_token_verifier> create(public_key key, std::string public_key_arn,
                                                   verifier_options options = {}) {
    if (!key) return make_error(error_kind::validation, "InvalidPublicKey", "no public key given");
    if (std::string why = rules::public_key_arn_problem(public_key_arn); !why.empty()) {
      return make_error(error_kind::validation, "InvalidPublicKeyArn", why);
    }
    if (options.clock_skew.count() < 0 || options.clock_skew > std::chrono::hours(24)) {
      return make_error(error_kind::validation, "InvalidParameter",
                        "clock_skew must be between 0 and 24 hours");
    }
    auto st = std::make_shared<state>();
    st->key = std::move(key);
    st->public_key_arn = std::move(public_key_arn);
    st->options = options;
    return participant_token_verifier(std::move(st));
  }

  // Verifies against the system clock.
  [[nodiscard]] result<participant_token_claims> verify(std::string_view token) const {
    return verify(token, std::chrono::system_clock::now());
  }

  [[nodiscard]] result<participant_token_claims> verify(std::string_view token,
                                                        std::chrono::system_clock::time_point now) const {
    const state& st = *state_;
    if (token.size() > st.options.max_token_size) return malformed("the token is longer than max_token_size");
    const std::size_t dot1 = token.find('.');
    const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
      return malformed("a JWT has three dot-separated parts");
    }
    const std::string_view signing_input = token.substr(0, dot2);

    auto header_text = base64url::decode(token.substr(0, dot1));
    if (!header_text) return malformed("the header is not base64url");
    jwt_header header;
    if (auto r = read_json(*header_text, header); !r) return malformed("the header: " + r.error().message);
    if (header.alg != rules::algorithm) {
      return fail("UnsupportedAlgorithm", "the header's alg is not ES384");
    }
    if (header.typ != rules::token_type) return fail("MalformedToken", "the header's typ is not JWT");
    if (header.crit) return fail("MalformedToken", "the header lists critical extensions (crit)");
    if (header.kid != st.public_key_arn) {
      return fail("UnknownKeyId", "the header's kid is not this verifier's public key ARN");
    }

    auto sig = base64url::decode(token.substr(dot2 + 1));
    if (!sig) return malformed("the signature is not base64url");
    if (sig->size() != es384::signature_size) {
      return fail("InvalidSignature", "the signature is not 96 bytes (ES384 R||S)");
    }
    if (!es384::verify(st.key.native_handle(), signing_input,
                       reinterpret_cast<const std::uint8_t*>(sig->data()), sig->size())) {
      return fail("InvalidSignature", "the signature does not verify with the public key");
    }

    auto payload_text = base64url::decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
    if (!payload_text) return malformed("the payload is not base64url");
    participant_token_claims claims;
    if (auto r = read_json(*payload_text, claims); !r) return malformed("the payload: " + r.error().message);
    if (std::string why = claims_problem(claims); !why.empty()) return fail("InvalidClaims", std::move(why));

    const std::int64_t now_s = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
    const std::int64_t skew = st.options.clock_skew.count();
    if (now_s >= claims.exp + skew) return fail("TokenExpired", "the token has expired");
    if (claims.iat > now_s + skew) return fail("TokenNotYetValid", "the token is issued in the future (iat)");
    return claims;
  }

  [[nodiscard]] const std::string& public_key_arn() const noexcept { return state_->public_key_arn; }

 private:
  static constexpr std::int64_t max_time = 253402300799;  // 9999-12-31T23:59:59Z; keeps sums in range

  struct state {
    public_key key;
    std::string public_key_arn;
    verifier_options options;
  };

  explicit participant_token_verifier(std::shared_ptr<const state> st) noexcept : state_(std::move(st)) {}

  static error fail(std::string code, std::string message) {
    return make_error(error_kind::validation, std::move(code), std::move(message));
  }
  static error malformed(std::string message) { return fail("MalformedToken", std::move(message)); }

  template <class T>
  static result<void> read_json(std::string& text, T& out) {
    text.reserve(text.size() + json::padding);  // lets the reader parse in place
    return json::from_json(text, text.capacity(), out);
  }

  static std::string claims_problem(const participant_token_claims& c) {
    if (c.version != rules::token_version) return "version is not \"1.0\"";
    if (c.exp <= 0) return "exp is missing";
    if (c.iat <= 0) return "iat is missing";
    if (c.exp > max_time) return "exp is after the year 9999";
    if (c.exp <= c.iat) return "exp is not after iat";
    if (c.exp - c.iat > rules::max_lifetime.count()) return "exp is more than 14 days after iat";
    if (std::string why = rules::participant_id_problem(c.jti); !why.empty()) return "jti: " + why;
    const auto stage_id = rules::stage_id_of(c.resource);
    if (!stage_id) return "resource: " + rules::stage_arn_problem(c.resource);
    if (c.topic != *stage_id) return "topic is not the stage ID of resource";
    if (std::string why = rules::url_problem("events_url", c.events_url); !why.empty()) return why;
    if (std::string why = rules::url_problem("whip_url", c.whip_url); !why.empty()) return why;
    if (c.user_id) {
      if (std::string why = rules::user_id_problem(*c.user_id); !why.empty()) return why;
    }
    if (c.attributes) {
      if (std::string why = rules::attributes_problem(*c.attributes); !why.empty()) return why;
    }
    return {};
  }

  std::shared_ptr<const state> state_;
};

}  // namespace ivsrt::tokens
