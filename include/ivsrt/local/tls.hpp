// TLS material made with OpenSSL when the service starts: a throwaway certificate authority and a
// server certificate it signs for localhost, 127.0.0.1 and ::1. The CA certificate is written to a
// PEM file that clients trust (ivsrt's transport_options::ca_bundle, the AWS CLI's --ca-bundle),
// so HTTPS with verification on works offline. The CA's private key never leaves memory.
#pragma once

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>

#include "ivsrt/error.hpp"

namespace ivsrt::local {

struct x509_deleter {
  void operator()(X509* c) const noexcept { X509_free(c); }
};
struct evp_pkey_deleter {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
using x509_ptr = std::unique_ptr<X509, x509_deleter>;
using evp_pkey_ptr = std::unique_ptr<EVP_PKEY, evp_pkey_deleter>;

struct tls_material {
  x509_ptr certificate;  // the server's
  evp_pkey_ptr key;      // the server's private key
  std::string ca_pem;    // the CA certificate clients trust
};

namespace detail {

inline error tls_error(const std::string& what) {
  return make_error(error_kind::configuration, "TlsSetupFailed", "could not " + what + " with OpenSSL");
}

inline evp_pkey_ptr new_ec_key() {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr);
  EVP_PKEY* key = nullptr;
  if (ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 &&
      EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) == 1) {
    EVP_PKEY_keygen(ctx, &key);
  }
  EVP_PKEY_CTX_free(ctx);
  return evp_pkey_ptr(key);
}

inline bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A certificate for `subject_key` named common_name, signed by issuer_key (self-signed when
// issuer is null), valid from a day ago for a year.
inline x509_ptr make_certificate(EVP_PKEY* subject_key, const char* common_name, X509* issuer,
                                 EVP_PKEY* issuer_key, bool is_ca) {
  x509_ptr cert(X509_new());
  if (!cert) return nullptr;
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) return nullptr;
  serial_bytes[0] &= 0x7F;
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  const bool serial_ok =
      serial != nullptr && BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get())) != nullptr;
  BN_free(serial);
  if (!serial_ok || X509_set_version(cert.get(), 2) != 1) return nullptr;
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24L * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("ivsrt-local"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name),
                             -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) != 1 ||
      X509_set_pubkey(cert.get(), subject_key) != 1) {
    return nullptr;
  }
  bool ok = add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (is_ca) {
    ok = ok && add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
         add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok = ok && add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always") &&
         add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE") &&
         add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
         add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth") &&
         add_extension(cert.get(), signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
  }
  if (!ok || X509_sign(cert.get(), issuer_key, EVP_sha256()) <= 0) return nullptr;
  return cert;
}

inline std::string to_pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  std::string out;
  if (bio != nullptr && PEM_write_bio_X509(bio, cert) == 1) {
    char* data = nullptr;
    const long n = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);  // BIO_get_mem_data, without its cast
    if (n > 0) out.assign(data, static_cast<std::size_t>(n));
  }
  BIO_free(bio);
  return out;
}

}  // namespace detail

// A new CA and a server certificate signed by it.
inline result<tls_material> make_tls_material() {
  evp_pkey_ptr ca_key = detail::new_ec_key();
  evp_pkey_ptr server_key = detail::new_ec_key();
  if (!ca_key || !server_key) return detail::tls_error("generate keys");
  x509_ptr ca = detail::make_certificate(ca_key.get(), "ivsrt-local CA", nullptr, ca_key.get(), true);
  if (!ca) return detail::tls_error("create the CA certificate");
  x509_ptr server = detail::make_certificate(server_key.get(), "localhost", ca.get(), ca_key.get(), false);
  if (!server) return detail::tls_error("create the server certificate");
  std::string pem = detail::to_pem(ca.get());
  if (pem.empty()) return detail::tls_error("encode the CA certificate");
  return tls_material{std::move(server), std::move(server_key), std::move(pem)};
}

// Writes the CA certificate where clients can read it (a public certificate: mode 0644).
inline result<void> write_ca_file(const std::string& path, const std::string& pem) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error(error_kind::configuration, "TlsSetupFailed",
                      "cannot write the CA file " + path + ": " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < pem.size()) {
    const ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      return make_error(error_kind::configuration, "TlsSetupFailed",
                        "cannot write the CA file " + path + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return {};
}

}  // namespace ivsrt::local
