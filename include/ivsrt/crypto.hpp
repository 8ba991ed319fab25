// SHA-256 and HMAC-SHA-256 for signing (and SHA-1 for file names). SHA-256 uses OpenSSL's
// low-level functions where the build has them: OpenSSL 3 deprecates them but keeps them, and on a
// short message they cost a third of what the EVP interface does (it dispatches through a
// provider, and copying an HMAC pad state with EVP_MD_CTX_copy_ex allocates; here it is a struct
// assignment). A build that hides deprecated OpenSSL functions (OPENSSL_NO_DEPRECATED) gets the
// EVP versions, with the digest method looked up once and a digest context reused per thread.
#pragma once

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/sha.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#if defined(OPENSSL_NO_DEPRECATED_3_0)
#define IVSRT_EVP_SHA256 1
#else
#define IVSRT_EVP_SHA256 0
#endif

namespace ivsrt::crypto {

using digest = std::array<std::uint8_t, 32>;

struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using md_ctx = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;

inline EVP_MD_CTX* thread_ctx() noexcept {
  thread_local md_ctx ctx(EVP_MD_CTX_new());
  return ctx.get();
}

inline digest sha256(std::string_view data) noexcept;

// The key as HMAC's 64-byte block (RFC 2104): hashed first when longer, then zero-padded.
inline std::array<std::uint8_t, 64> hmac_block(std::string_view key) noexcept {
  std::array<std::uint8_t, 64> block{};
  if (key.size() > block.size()) {
    const digest d = sha256(key);
    std::memcpy(block.data(), d.data(), d.size());
  } else {
    std::memcpy(block.data(), key.data(), key.size());
  }
  return block;
}

#if !IVSRT_EVP_SHA256
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif

inline digest sha256(std::string_view data) noexcept {
  digest out{};
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, data.data(), data.size());
  SHA256_Final(out.data(), &c);
  return out;
}

// HMAC-SHA-256 with the key's inner and outer pad states computed once (RFC 2104), so each
// message costs two short hash continuations.
class hmac_key {
 public:
  hmac_key() = default;
  explicit hmac_key(std::string_view key) { reset(key); }
  hmac_key(const hmac_key&) = delete;
  hmac_key& operator=(const hmac_key&) = delete;
  ~hmac_key() {
    OPENSSL_cleanse(&inner_, sizeof inner_);
    OPENSSL_cleanse(&outer_, sizeof outer_);
  }

  void reset(std::string_view key) {
    std::array<std::uint8_t, 64> block = hmac_block(key);
    std::array<std::uint8_t, 64> pad{};
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&inner_);
    SHA256_Update(&inner_, pad.data(), pad.size());
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&outer_);
    SHA256_Update(&outer_, pad.data(), pad.size());
    OPENSSL_cleanse(block.data(), block.size());
    OPENSSL_cleanse(pad.data(), pad.size());
  }

  [[nodiscard]] digest sign(std::string_view message) const noexcept {
    digest inner_hash{};
    digest out{};
    SHA256_CTX c = inner_;
    SHA256_Update(&c, message.data(), message.size());
    SHA256_Final(inner_hash.data(), &c);
    c = outer_;
    SHA256_Update(&c, inner_hash.data(), inner_hash.size());
    SHA256_Final(out.data(), &c);
    OPENSSL_cleanse(&c, sizeof c);
    return out;
  }

 private:
  SHA256_CTX inner_{};
  SHA256_CTX outer_{};
};

#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
#else

inline const EVP_MD* sha256_method() noexcept {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  // Fetching once avoids OpenSSL 3's implicit provider lookup on every EVP_DigestInit.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md != nullptr ? md : EVP_sha256();
#else
  return EVP_sha256();
#endif
}

inline digest sha256(std::string_view data) noexcept {
  digest out{};
  EVP_MD_CTX* c = thread_ctx();
  unsigned int len = 0;
  EVP_DigestInit_ex(c, sha256_method(), nullptr);
  EVP_DigestUpdate(c, data.data(), data.size());
  EVP_DigestFinal_ex(c, out.data(), &len);
  return out;
}

// HMAC-SHA-256 with the key's inner and outer pad states computed once (RFC 2104), so each
// message costs two short hash continuations.
class hmac_key {
 public:
  hmac_key() = default;
  explicit hmac_key(std::string_view key) { reset(key); }

  void reset(std::string_view key) {
    std::array<std::uint8_t, 64> block = hmac_block(key);
    std::array<std::uint8_t, 64> pad{};
    inner_.reset(EVP_MD_CTX_new());
    outer_.reset(EVP_MD_CTX_new());
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x36;
    EVP_DigestInit_ex(inner_.get(), sha256_method(), nullptr);
    EVP_DigestUpdate(inner_.get(), pad.data(), pad.size());
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x5c;
    EVP_DigestInit_ex(outer_.get(), sha256_method(), nullptr);
    EVP_DigestUpdate(outer_.get(), pad.data(), pad.size());
    volatile std::uint8_t* wipe = block.data();
    for (std::size_t i = 0; i < block.size(); ++i) wipe[i] = 0;
  }

  [[nodiscard]] digest sign(std::string_view message) const noexcept {
    digest inner_hash{};
    digest out{};
    unsigned int len = 0;
    EVP_MD_CTX* c = thread_ctx();
    EVP_MD_CTX_copy_ex(c, inner_.get());
    EVP_DigestUpdate(c, message.data(), message.size());
    EVP_DigestFinal_ex(c, inner_hash.data(), &len);
    EVP_MD_CTX_copy_ex(c, outer_.get());
    EVP_DigestUpdate(c, inner_hash.data(), inner_hash.size());
    EVP_DigestFinal_ex(c, out.data(), &len);
    return out;
  }

 private:
  md_ctx inner_;
  md_ctx outer_;
};

#endif

inline digest hmac_sha256(std::string_view key, std::string_view message) {
  return hmac_key(key).sign(message);
}

inline std::string_view as_view(const digest& d) noexcept {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

namespace detail {

// The two hex digits of every byte value: one load per byte (a call writes about 100 of them).
inline constexpr auto hex_pairs = [] {
  constexpr char digits[] = "0123456789abcdef";
  std::array<char, 512> t{};
  for (std::size_t b = 0; b < 256; ++b) {
    t[2 * b] = digits[b >> 4];
    t[2 * b + 1] = digits[b & 0xF];
  }
  return t;
}();

}  // namespace detail

inline void append_hex(std::string& out, const std::uint8_t* data, std::size_t n) {
  const std::size_t at = out.size();
  out.resize(at + 2 * n);
  char* p = out.data() + at;
  for (std::size_t i = 0; i < n; ++i) std::memcpy(p + 2 * i, &detail::hex_pairs[2 * std::size_t{data[i]}], 2);
}

inline std::string hex(const digest& d) {
  std::string out;
  out.reserve(64);
  append_hex(out, d.data(), d.size());
  return out;
}

// Hex SHA-1 of data. Only for names other AWS tools derive that way (the SSO token cache files),
// never for anything that needs a secure hash.
inline std::string sha1_hex(std::string_view data) {
  std::array<std::uint8_t, 20> d{};
  unsigned int len = 0;
  EVP_MD_CTX* c = thread_ctx();
  EVP_DigestInit_ex(c, EVP_sha1(), nullptr);
  EVP_DigestUpdate(c, data.data(), data.size());
  EVP_DigestFinal_ex(c, d.data(), &len);
  std::string out;
  append_hex(out, d.data(), d.size());
  return out;
}

}  // namespace ivsrt::crypto
