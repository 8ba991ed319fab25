// ECDSA P-384 keys for participant tokens you sign yourself: generate a key, write and read PEM.
// The public half, as a "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo) PEM block, is what
// ImportPublicKey takes; the private half stays with your backend.
//
// Private keys are secrets: they never appear in error messages, their PEM text comes back as a
// sensitive_string (wiped when released), and OpenSSL's own buffers for them are cleared on free.
// OpenSSL 3 is the target; the calls used also exist in OpenSSL 1.1.1.
#pragma once

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if OPENSSL_VERSION_NUMBER < 0x30000000L
#include <openssl/ec.h>
#endif

#include "ivsrt/error.hpp"
#include "ivsrt/sensitive.hpp"

namespace ivsrt::tokens {

namespace detail {

// A shared, reference-counted EVP_PKEY. Copies share the key; OpenSSL keys are safe to use from
// several threads at once for signing and verifying.
class pkey_handle {
 public:
  pkey_handle() = default;
  explicit pkey_handle(EVP_PKEY* adopted) noexcept : key_(adopted) {}
  pkey_handle(const pkey_handle& other) noexcept : key_(other.key_) {
    if (key_ != nullptr) EVP_PKEY_up_ref(key_);
  }
  pkey_handle(pkey_handle&& other) noexcept : key_(std::exchange(other.key_, nullptr)) {}
  pkey_handle& operator=(pkey_handle other) noexcept {
    std::swap(key_, other.key_);
    return *this;
  }
  ~pkey_handle() { EVP_PKEY_free(key_); }

  [[nodiscard]] EVP_PKEY* get() const noexcept { return key_; }

 private:
  EVP_PKEY* key_ = nullptr;
};

struct bio_deleter {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
using bio_ptr = std::unique_ptr<BIO, bio_deleter>;

// Drops OpenSSL's queued error reports for this thread, so a failure we have already turned into
// an ivsrt::error does not resurface in unrelated code that inspects the queue.
inline void clear_openssl_errors() noexcept {
  ERR_clear_error();
}

// Bad key material is a validation error; OpenSSL failing at its own job (often a provider or
// FIPS configuration that lacks EC) is a configuration error with code "CryptoFailure".
inline error key_error(std::string code, std::string message) {
  clear_openssl_errors();
  const error_kind kind = code == "CryptoFailure" ? error_kind::configuration : error_kind::validation;
  return make_error(kind, std::move(code), std::move(message));
}

// PEM text larger than this is refused before OpenSSL sees it (a P-384 key is a few hundred bytes).
inline constexpr std::size_t max_pem_size = std::size_t{64} * 1024;

// The labels of the PEM blocks in text ("PRIVATE KEY", "PUBLIC KEY", ...), in order.
inline std::vector<std::string_view> pem_labels(std::string_view text) {
  constexpr std::string_view begin = "-----BEGIN ";
  std::vector<std::string_view> labels;
  for (std::size_t pos = text.find(begin); pos != std::string_view::npos; pos = text.find(begin, pos)) {
    pos += begin.size();
    const std::size_t end = text.find("-----", pos);
    if (end == std::string_view::npos) break;
    labels.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return labels;
}

inline bool contains(const std::vector<std::string_view>& labels, std::string_view label) {
  for (auto l : labels) {
    if (l == label) return true;
  }
  return false;
}

// Refuses to prompt on the terminal for a passphrase, which OpenSSL does by default.
inline int no_passphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) {
  return -1;
}

// "" when key is an ECDSA key on P-384, else a description of what it is instead.
inline std::string p384_mismatch(EVP_PKEY* key) {
  if (EVP_PKEY_base_id(key) != EVP_PKEY_EC) {
    return "it is not an elliptic-curve key (" + std::to_string(EVP_PKEY_bits(key)) +
           "-bit key of another type); participant tokens need ECDSA P-384 (secp384r1)";
  }
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  char name[80] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_group_name(key, name, sizeof name, &len) != 1) {
    return "its curve could not be determined; participant tokens need ECDSA P-384 (secp384r1)";
  }
  const std::string_view curve(name, len);
  if (curve == "secp384r1" || curve == "P-384") return {};
  return "it is on curve " + std::string(curve) + "; participant tokens need ECDSA P-384 (secp384r1)";
#else
  const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(key);
  const EC_GROUP* group = ec != nullptr ? EC_KEY_get0_group(ec) : nullptr;
  const int nid = group != nullptr ? EC_GROUP_get_curve_name(group) : NID_undef;
  if (nid == NID_secp384r1) return {};
  const char* sn = OBJ_nid2sn(nid);
  return std::string("it is on curve ") + (sn != nullptr ? sn : "(unnamed)") +
         "; participant tokens need ECDSA P-384 (secp384r1)";
#endif
}

inline std::string bio_contents(BIO* b) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(b, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace detail

// An ECDSA P-384 public key.
class public_key {
 public:
  public_key() = default;

  // Reads the first "-----BEGIN PUBLIC KEY-----" block of pem (text around it is ignored, as
  // ImportPublicKey does). Fails with a validation error when there is none or it is not P-384.
  static result<public_key> from_pem(std::string_view pem) {
    if (pem.size() > detail::max_pem_size)
      return detail::key_error("InvalidPublicKey", "PEM text larger than 64 KiB");
    const auto labels = detail::pem_labels(pem);
    if (!detail::contains(labels, "PUBLIC KEY")) {
      if (detail::contains(labels, "PRIVATE KEY") || detail::contains(labels, "EC PRIVATE KEY")) {
        return detail::key_error("InvalidPublicKey",
                                 "expected a public key (-----BEGIN PUBLIC KEY-----), found a private key");
      }
      return detail::key_error("InvalidPublicKey", "no -----BEGIN PUBLIC KEY----- block found");
    }
    detail::bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return detail::key_error("InvalidPublicKey", "out of memory reading the public key");
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, detail::no_passphrase, nullptr);
    if (key == nullptr) {
      return detail::key_error("InvalidPublicKey", "the PUBLIC KEY block is malformed (bad base64 or DER)");
    }
    public_key out(detail::pkey_handle{key});
    if (std::string why = detail::p384_mismatch(key); !why.empty()) {
      return detail::key_error("InvalidPublicKey", "unsupported public key: " + why);
    }
    return out;
  }

  // The key as a "-----BEGIN PUBLIC KEY-----" PEM block, ready for ImportPublicKey.
  [[nodiscard]] result<std::string> to_pem() const {
    if (!*this) return detail::key_error("InvalidPublicKey", "empty public key");
    detail::bio_ptr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
      return detail::key_error("CryptoFailure", "could not encode the public key as PEM");
    }
    return detail::bio_contents(bio.get());
  }

  explicit operator bool() const noexcept { return key_.get() != nullptr; }
  // The OpenSSL key, owned by this object.
  [[nodiscard]] EVP_PKEY* native_handle() const noexcept { return key_.get(); }

 private:
  friend class private_key;
  explicit public_key(detail::pkey_handle key) noexcept : key_(std::move(key)) {}
  detail::pkey_handle key_;
};

// An ECDSA P-384 private key. Copies share one OpenSSL key object.
class private_key {
 public:
  private_key() = default;

  // A fresh key from OpenSSL's default random generator.
  static result<private_key> generate() {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr);
    EVP_PKEY* key = nullptr;
    const bool ok = ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 &&
                    EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_secp384r1) == 1 &&
                    EVP_PKEY_keygen(ctx, &key) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) {
      EVP_PKEY_free(key);
      return detail::key_error("CryptoFailure", "OpenSSL could not generate a P-384 key");
    }
    return private_key(detail::pkey_handle{key});
  }

  // Reads an unencrypted private key PEM block: PKCS#8 ("-----BEGIN PRIVATE KEY-----", what
  // to_pem writes) or SEC1 ("-----BEGIN EC PRIVATE KEY-----", what `openssl ecparam -genkey`
  // writes, with or without its EC PARAMETERS block). Errors never quote the input.
  static result<private_key> from_pem(std::string_view pem) {
    if (pem.size() > detail::max_pem_size)
      return detail::key_error("InvalidPrivateKey", "PEM text larger than 64 KiB");
    const auto labels = detail::pem_labels(pem);
    if (detail::contains(labels, "ENCRYPTED PRIVATE KEY") ||
        pem.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos) {
      return detail::key_error(
          "InvalidPrivateKey",
          "the private key is encrypted; decrypt it first (openssl pkey -in KEY -out PLAIN)");
    }
    if (!detail::contains(labels, "PRIVATE KEY") && !detail::contains(labels, "EC PRIVATE KEY")) {
      if (detail::contains(labels, "PUBLIC KEY")) {
        return detail::key_error("InvalidPrivateKey", "expected a private key, found a public key");
      }
      return detail::key_error(
          "InvalidPrivateKey",
          "no -----BEGIN PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY----- block found");
    }
    detail::bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return detail::key_error("InvalidPrivateKey", "out of memory reading the private key");
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, detail::no_passphrase, nullptr);
    if (key == nullptr) {
      return detail::key_error("InvalidPrivateKey", "the private key block is malformed (bad base64 or DER)");
    }
    private_key out(detail::pkey_handle{key});
    if (std::string why = detail::p384_mismatch(key); !why.empty()) {
      return detail::key_error("InvalidPrivateKey", "unsupported private key: " + why);
    }
    return out;
  }

  // The key as an unencrypted PKCS#8 "-----BEGIN PRIVATE KEY-----" PEM block.
  [[nodiscard]] result<sensitive_string> to_pem() const {
    if (!*this) return detail::key_error("InvalidPrivateKey", "empty private key");
    // A secure-memory BIO: OpenSSL clears its buffer when it is freed.
    detail::bio_ptr bio(BIO_new(BIO_s_secmem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
      return detail::key_error("CryptoFailure", "could not encode the private key as PEM");
    }
    return sensitive_string(detail::bio_contents(bio.get()));
  }

  // The matching public key, as a separate object holding no private material.
  [[nodiscard]] result<public_key> public_part() const {
    if (!*this) return detail::key_error("InvalidPrivateKey", "empty private key");
    unsigned char* der = nullptr;
    const int n = i2d_PUBKEY(key_.get(), &der);
    if (n <= 0) return detail::key_error("CryptoFailure", "could not extract the public key");
    const unsigned char* p = der;
    EVP_PKEY* pub = d2i_PUBKEY(nullptr, &p, n);
    OPENSSL_free(der);
    if (pub == nullptr) return detail::key_error("CryptoFailure", "could not extract the public key");
    return public_key(detail::pkey_handle{pub});
  }

  explicit operator bool() const noexcept { return key_.get() != nullptr; }
  // The OpenSSL key, owned by this object.
  [[nodiscard]] EVP_PKEY* native_handle() const noexcept { return key_.get(); }

 private:
  explicit private_key(detail::pkey_handle key) noexcept : key_(std::move(key)) {}
  detail::pkey_handle key_;
};

}  // namespace ivsrt::tokens
