// Public keys for self-signed participant tokens: ImportPublicKey, GetPublicKey, ListPublicKeys,
// DeletePublicKey. The PEM block is parsed with OpenSSL and must hold an ECDSA P-384 key (the
// curve participant tokens are signed with); the fingerprint is the SHA-256 digest of the key's
// DER encoding, as colon-separated hex pairs. Importing the same key twice is a conflict.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/crypto.hpp"
#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/pagination.hpp"

#if OPENSSL_VERSION_NUMBER < 0x30000000L
#include <openssl/ec.h>
#endif

namespace ivsrt::local {

namespace detail {

struct pkey_deleter {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
struct bio_deleter {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};

inline bool is_p384(EVP_PKEY* key) {
  if (EVP_PKEY_base_id(key) != EVP_PKEY_EC) return false;
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  char group[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) != 1) return false;
  return OBJ_txt2nid(group) == NID_secp384r1;
#else
  const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(key);
  return ec != nullptr && EC_GROUP_get_curve_name(EC_KEY_get0_group(ec)) == NID_secp384r1;
#endif
}

// The fingerprint of the public key in the PEM block of `material`, or the reason there is none.
inline result<std::string> public_key_fingerprint(std::string_view material) {
  constexpr std::string_view begin = "-----BEGIN PUBLIC KEY-----";
  constexpr std::string_view end = "-----END PUBLIC KEY-----";
  const std::size_t b = material.find(begin);
  const std::size_t e = b == std::string_view::npos ? b : material.find(end, b);
  if (b == std::string_view::npos || e == std::string_view::npos) {
    return validation_error("publicKeyMaterial: no \"-----BEGIN PUBLIC KEY-----\" block");
  }
  const std::string_view block = material.substr(b, e + end.size() - b);
  std::unique_ptr<BIO, bio_deleter> bio(BIO_new_mem_buf(block.data(), static_cast<int>(block.size())));
  std::unique_ptr<EVP_PKEY, pkey_deleter> key(
      bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) return validation_error("publicKeyMaterial: the PEM block is not a valid public key");
  if (!is_p384(key.get())) return validation_error("publicKeyMaterial: the key must be an ECDSA P-384 public key");
  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(key.get(), &der);
  if (der_len <= 0) return internal_error("the public key could not be encoded");
  const crypto::digest d =
      crypto::sha256(std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(der_len)));
  OPENSSL_free(der);
  std::string hex = crypto::hex(d);
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    if (i != 0) out += ':';
    out.append(hex, i, 2);
  }
  return out;
}

}  // namespace detail

inline result<ImportPublicKeyResponse> handle(engine& e, const ImportPublicKeyRequest& r) {
  if (auto ok = check_name(r.name, "name"); !ok) return ok.error();
  if (auto ok = check_tags(r.tags); !ok) return ok.error();
  auto fingerprint = detail::public_key_fingerprint(r.publicKeyMaterial);
  if (!fingerprint) return fingerprint.error();
  auto& all = e.state().publicKeys;
  for (const auto& [arn, rec] : all) {
    if (rec.resource.fingerprint == *fingerprint) {
      return conflict("this public key was already imported as " + arn);
    }
  }
  if (auto ok = check_quota(all.size(), e.options().limits.public_keys, "public keys"); !ok) return ok.error();
  resource_record<PublicKey> rec;
  rec.seq = e.next_seq();
  rec.resource = PublicKey{.arn = e.new_arn("public-key"),
                           .name = r.name.value_or(""),
                           .publicKeyMaterial = r.publicKeyMaterial,
                           .fingerprint = *fingerprint,
                           .tags = tags_or_empty(r.tags)};
  ImportPublicKeyResponse out{.publicKey = rec.resource};
  all.emplace(*rec.resource.arn, std::move(rec));
  return out;
}

inline result<GetPublicKeyResponse> handle(engine& e, const GetPublicKeyRequest& r) {
  auto rec = find_resource(e.state().publicKeys, r.arn, "public-key", "arn");
  if (!rec) return rec.error();
  return GetPublicKeyResponse{.publicKey = (*rec)->resource};
}

inline result<ListPublicKeysResponse> handle(engine& e, const ListPublicKeysRequest& r) {
  std::vector<std::pair<std::string, PublicKeySummary>> keyed;
  for (const auto& [arn, rec] : e.state().publicKeys) {
    keyed.emplace_back(sort_key(rec.seq), PublicKeySummary{.arn = arn, .name = rec.resource.name,
                                                           .tags = rec.resource.tags});
  }
  ListPublicKeysResponse out;
  auto page = take_page(std::move(keyed), r.nextToken, r.maxResults, 50, "ListPublicKeys", out.nextToken);
  if (!page) return page.error();
  out.publicKeys = std::move(*page);
  return out;
}

inline result<DeletePublicKeyResponse> handle(engine& e, const DeletePublicKeyRequest& r) {
  auto rec = find_resource(e.state().publicKeys, r.arn, "public-key", "arn");
  if (!rec) return rec.error();
  e.state().publicKeys.erase(r.arn);
  return DeletePublicKeyResponse{};
}

}  // namespace ivsrt::local
