// ECDSA signatures in the JOSE form (RFC 7518 section 3.4): R and S as big-endian numbers of the
// curve's coordinate size, left-padded and concatenated, rather than the DER structure OpenSSL
// produces and expects. ES256 (P-256, 32-byte coordinates) signs DPoP proofs; ES384 (P-384,
// 48-byte coordinates) signs participant tokens.
#pragma once

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace ivsrt::ecdsa_jose {

template <std::size_t Coordinate>
using signature = std::array<std::uint8_t, 2 * Coordinate>;

namespace detail {
struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
struct sig_deleter {
  void operator()(ECDSA_SIG* s) const noexcept { ECDSA_SIG_free(s); }
};
using sig_ptr = std::unique_ptr<ECDSA_SIG, sig_deleter>;

// One digest context per thread, reset before each use: signing from many threads needs no lock.
inline EVP_MD_CTX* thread_ctx() noexcept {
  thread_local std::unique_ptr<EVP_MD_CTX, md_ctx_deleter> ctx(EVP_MD_CTX_new());
  EVP_MD_CTX_reset(ctx.get());
  return ctx.get();
}
}  // namespace detail

// Signs data with an ECDSA private key whose coordinates are `Coordinate` bytes, hashing with md;
// nullopt when OpenSSL fails or the key is on a larger curve.
template <std::size_t Coordinate>
std::optional<signature<Coordinate>> sign(EVP_PKEY* key, const EVP_MD* md, std::string_view data) {
  EVP_MD_CTX* ctx = detail::thread_ctx();
  std::array<unsigned char, 2 * Coordinate + 16> der{};  // SEQUENCE of two INTEGERs, with headers
  std::size_t der_len = der.size();
  const bool signed_ok =
      EVP_DigestSignInit(ctx, nullptr, md, nullptr, key) == 1 &&
      EVP_DigestSign(ctx, der.data(), &der_len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) == 1;
  EVP_MD_CTX_reset(ctx);
  if (!signed_ok) {
    ERR_clear_error();
    return std::nullopt;
  }
  const unsigned char* p = der.data();
  detail::sig_ptr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
  if (!sig || p != der.data() + der_len) return std::nullopt;
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  signature<Coordinate> out{};
  constexpr int size = static_cast<int>(Coordinate);
  if (BN_bn2binpad(r, out.data(), size) != size || BN_bn2binpad(s, out.data() + Coordinate, size) != size) {
    return std::nullopt;
  }
  return out;
}

// Checks a JOSE-form signature over data with an ECDSA public key, hashing with md.
template <std::size_t Coordinate>
bool verify(EVP_PKEY* key, const EVP_MD* md, std::string_view data, const std::uint8_t* sig,
            std::size_t sig_len) {
  if (sig_len != 2 * Coordinate) return false;
  detail::sig_ptr parsed(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(sig, static_cast<int>(Coordinate), nullptr);
  BIGNUM* s = BN_bin2bn(sig + Coordinate, static_cast<int>(Coordinate), nullptr);
  if (!parsed || r == nullptr || s == nullptr || ECDSA_SIG_set0(parsed.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ERR_clear_error();
    return false;
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(parsed.get(), &der);
  if (der_len <= 0) {
    ERR_clear_error();
    return false;
  }
  EVP_MD_CTX* ctx = detail::thread_ctx();
  const bool ok = EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx, der, static_cast<std::size_t>(der_len),
                                   reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_reset(ctx);
  OPENSSL_free(der);
  if (!ok) ERR_clear_error();  // a bad signature is an answer, not an OpenSSL failure to report
  return ok;
}

}  // namespace ivsrt::ecdsa_jose
