// DPoP proofs (RFC 9449): a JWT signed with the client's own ES256 key that binds one HTTP
// request, its method and URL, to that key. The console sign-in credentials (login_credentials.hpp)
// send one with every token refresh, with the key `aws login` keeps in its cache file.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
#include <openssl/core_names.h>
#endif

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ivsrt/base64url.hpp"
#include "ivsrt/ecdsa_jose.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/tokens/key_pair.hpp"
#include "ivsrt/uuid.hpp"

namespace ivsrt::dpop {

inline constexpr std::size_t coordinate_size = 32;  // P-256

namespace detail {

struct bn_deleter {
  void operator()(BIGNUM* b) const noexcept { BN_free(b); }
};
using bn_ptr = std::unique_ptr<BIGNUM, bn_deleter>;

inline error key_error(std::string message) {
  ERR_clear_error();
  return make_error(error_kind::credentials, "InvalidDpopKey", std::move(message));
}

struct public_jwk {
  std::string kty{};
  std::string x{};
  std::string y{};
  std::string crv{};
};

struct header {
  std::string typ{};
  std::string alg{};
  public_jwk jwk{};
};

struct claims {
  std::string htm{};
  std::string htu{};
  std::int64_t iat = 0;
  std::string jti{};
};

// The affine coordinates of the key's public point, `coordinate_size` bytes each; false when the
// key has none or they do not fit.
inline bool public_coordinates(EVP_PKEY* key, std::array<std::uint8_t, 2 * coordinate_size>& out) {
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x);
  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y);
#else
  const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(key);
  const EC_POINT* point = ec != nullptr ? EC_KEY_get0_public_key(ec) : nullptr;
  if (point != nullptr) {
    x = BN_new();
    y = BN_new();
    if (x != nullptr && y != nullptr &&
        EC_POINT_get_affine_coordinates(EC_KEY_get0_group(ec), point, x, y, nullptr) != 1) {
      BN_free(x);
      BN_free(y);
      x = y = nullptr;
    }
  }
#endif
  const bn_ptr hold_x(x);
  const bn_ptr hold_y(y);
  constexpr int size = static_cast<int>(coordinate_size);
  return x != nullptr && y != nullptr && BN_bn2binpad(x, out.data(), size) == size &&
         BN_bn2binpad(y, out.data() + coordinate_size, size) == size;
}

inline bool is_p256(EVP_PKEY* key) {
  if (EVP_PKEY_base_id(key) != EVP_PKEY_EC) return false;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  char name[80] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_group_name(key, name, sizeof name, &len) != 1) return false;
  const std::string_view curve(name, len);
  return curve == "prime256v1" || curve == "P-256";
#else
  const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(key);
  return ec != nullptr && EC_GROUP_get_curve_name(EC_KEY_get0_group(ec)) == NID_X9_62_prime256v1;
#endif
}

}  // namespace detail

// An ECDSA P-256 private key that signs DPoP proofs. Copies share one OpenSSL key object.
class key {
 public:
  // Reads the key from PEM: "EC PRIVATE KEY" (SEC 1, as `aws login` writes it) or "PRIVATE KEY"
  // (PKCS #8). Errors say what is wrong with the key, never what it holds.
  static result<key> from_pem(std::string_view pem) {
    if (pem.size() > std::size_t{64} * 1024) return detail::key_error("the DPoP key is larger than 64 KiB");
    // Line breaks written as the two characters \ and n (a cache file escaped by hand) are read
    // as line breaks, as the SDK for Rust reads them.
    if (pem.find('\n') == std::string_view::npos && pem.find("\\n") != std::string_view::npos) {
      std::string unescaped;
      unescaped.reserve(pem.size());
      for (std::size_t i = 0; i < pem.size(); ++i) {
        if (pem[i] == '\\' && i + 1 < pem.size() && pem[i + 1] == 'n') {
          unescaped += '\n';
          ++i;
        } else {
          unescaped += pem[i];
        }
      }
      auto out = from_pem(unescaped);
      wipe(unescaped);
      return out;
    }
    const tokens::detail::bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return detail::key_error("out of memory reading the DPoP key");
    EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, tokens::detail::no_passphrase, nullptr);
    if (raw == nullptr) {
      return detail::key_error("the DPoP key is not a readable, unencrypted PEM private key");
    }
    key out;
    out.key_ = tokens::detail::pkey_handle(raw);
    if (!detail::is_p256(raw)) return detail::key_error("the DPoP key is not an ECDSA P-256 key");
    std::array<std::uint8_t, 2 * coordinate_size> point{};
    if (!detail::public_coordinates(raw, point)) {
      return detail::key_error("the public point of the DPoP key could not be read");
    }
    detail::header h{
        .typ = "dpop+jwt", .alg = "ES256", .jwk = {.kty = "EC", .x = {}, .y = {}, .crv = "P-256"}};
    base64url::append(h.jwk.x, point.data(), coordinate_size);
    base64url::append(h.jwk.y, point.data() + coordinate_size, coordinate_size);
    std::string json;
    json::writer(json).value(h);
    base64url::append(out.header_, json);
    return out;
  }

  // The proof for one request: `method` and `url` (scheme, authority and path, no query),
  // issued at `issued_at` seconds since the epoch, with a fresh random id.
  [[nodiscard]] result<std::string> proof(std::string_view method, std::string_view url,
                                          std::int64_t issued_at) const {
    const detail::claims c{
        .htm = std::string(method), .htu = std::string(url), .iat = issued_at, .jti = uuid4()};
    std::string json;
    if (!json::writer(json).value(c)) {
      return make_error(error_kind::validation, "InvalidDpopClaims", "the DPoP URL is not valid UTF-8");
    }
    std::string out = header_;
    out += '.';
    base64url::append(out, json);
    const auto sig = ecdsa_jose::sign<coordinate_size>(key_.get(), EVP_sha256(), out);
    if (!sig) {
      ERR_clear_error();
      return make_error(error_kind::configuration, "CryptoFailure", "OpenSSL could not sign the DPoP proof");
    }
    out += '.';
    base64url::append(out, sig->data(), sig->size());
    return out;
  }

  // The OpenSSL key, owned by this object.
  [[nodiscard]] EVP_PKEY* native_handle() const noexcept { return key_.get(); }

 private:
  tokens::detail::pkey_handle key_;
  std::string header_;  // base64url of the JOSE header, which names the public key
};

}  // namespace ivsrt::dpop
