// Public keys for self-signed participant tokens: ImportPublicKey, GetPublicKey, ListPublicKeys,
// DeletePublicKey. The PEM block is read by the token module (OpenSSL) and must hold an ECDSA
// P-384 key, the curve participant tokens are signed with; the fingerprint is the SHA-256 digest of
// the key's DER encoding, as colon-separated hex pairs. Importing the same key twice is a conflict.
// Tokens signed with an imported key can join stages (see sessions.hpp); deleting the key
// invalidates them.
#pragma once

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ivsrt/crypto.hpp"
#include "ivsrt/local/engine.hpp"
#include "ivsrt/local/pagination.hpp"
#include "ivsrt/tokens/key_pair.hpp"

namespace ivsrt::local {

namespace detail {

// The fingerprint of the public key in `material`, or why it is not an ECDSA P-384 public key.
inline result<std::string> public_key_fingerprint(std::string_view material) {
  auto key = tokens::public_key::from_pem(material);
  if (!key) return validation_error("publicKeyMaterial: " + key.error().message);
  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(key->native_handle(), &der);
  if (der_len <= 0) return internal_error("the public key could not be encoded");
  const crypto::digest d =
      crypto::sha256(std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(der_len)));
  OPENSSL_free(der);
  const std::string hex = crypto::hex(d);
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
  if (auto ok = check_quota(all.size(), e.options().limits.public_keys, "public keys"); !ok)
    return ok.error();
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
  keyed_items<PublicKeySummary> keyed;
  for (const auto& [arn, rec] : e.state().publicKeys) {
    keyed.add(sort_key(rec.seq),
              PublicKeySummary{.arn = arn, .name = rec.resource.name, .tags = rec.resource.tags});
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
