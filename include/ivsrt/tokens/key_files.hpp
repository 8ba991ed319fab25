// Key files: read and write the PEM forms of key_pair.hpp. A private key file is created with
// owner-only permissions (0600 on POSIX) and, unless asked, an existing file is never replaced.
// File contents are read without stdio buffering and wiped from memory after parsing.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "ivsrt/error.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/tokens/key_pair.hpp"

namespace ivsrt::tokens {

// Larger files are refused: a PEM key is a few hundred bytes.
inline constexpr std::size_t max_key_file_size = detail::max_pem_size;

namespace detail {

inline error file_error(const std::string& path, const std::string& what, int err) {
  std::string message = path + ": " + what;
  if (err != 0) message += std::string(": ") + std::generic_category().message(err);
  return make_error(error_kind::configuration, "KeyFileError", std::move(message));
}

// The whole file, or an error naming the path (never the contents).
inline result<sensitive_string> read_key_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return file_error(path, "cannot open", errno);
  std::setvbuf(f, nullptr, _IONBF, 0);  // no stdio buffer holding a copy of the key
  std::string data(max_key_file_size + 1, '\0');
  const std::size_t n = std::fread(data.data(), 1, data.size(), f);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  sensitive_string out(std::move(data));  // wiped on every path from here on
  if (failed) return file_error(path, "cannot read", 0);
  if (n > max_key_file_size) return file_error(path, "larger than 64 KiB; not a PEM key file", 0);
  std::string trimmed(out.reveal().data(), n);
  return sensitive_string(std::move(trimmed));
}

inline result<void> write_key_file(const std::string& path, std::string_view data, bool owner_only,
                                   bool overwrite) {
#if !defined(_WIN32)
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
  const mode_t mode = owner_only ? 0600 : 0644;
  const int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0) {
    if (errno == EEXIST) return file_error(path, "already exists; refusing to replace it", 0);
    return file_error(path, "cannot create", errno);
  }
  // An existing file keeps its old mode under O_TRUNC: tighten it before writing a secret.
  if (owner_only && ::fchmod(fd, 0600) != 0) {
    const int err = errno;
    ::close(fd);
    return file_error(path, "cannot restrict permissions", err);
  }
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t w = ::write(fd, data.data() + done, data.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return file_error(path, "cannot write", err);
    }
    done += static_cast<std::size_t>(w);
  }
  if (::close(fd) != 0) return file_error(path, "cannot write", errno);
  return {};
#else
  (void)owner_only;  // Windows: the file inherits the directory's ACL
  if (!overwrite) {
    if (std::FILE* existing = std::fopen(path.c_str(), "rb")) {
      std::fclose(existing);
      return file_error(path, "already exists; refusing to replace it", 0);
    }
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return file_error(path, "cannot create", errno);
  std::setvbuf(f, nullptr, _IONBF, 0);
  const bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  if (std::fclose(f) != 0 || !ok) return file_error(path, "cannot write", errno);
  return {};
#endif
}

// Prefixes a key error with the file it came from.
inline error in_file(const std::string& path, error e) {
  e.message = path + ": " + e.message;
  return e;
}

}  // namespace detail

inline result<private_key> read_private_key_file(const std::string& path) {
  auto text = detail::read_key_file(path);
  if (!text) return text.error();
  auto key = private_key::from_pem(text->reveal());
  if (!key) return detail::in_file(path, key.error());
  return key;
}

inline result<public_key> read_public_key_file(const std::string& path) {
  auto text = detail::read_key_file(path);
  if (!text) return text.error();
  auto key = public_key::from_pem(text->reveal());
  if (!key) return detail::in_file(path, key.error());
  return key;
}

// Writes the key as PKCS#8 PEM, readable by its owner only.
inline result<void> write_private_key_file(const std::string& path, const private_key& key,
                                           bool overwrite = false) {
  auto pem = key.to_pem();
  if (!pem) return pem.error();
  return detail::write_key_file(path, pem->reveal(), true, overwrite);
}

// Writes the "-----BEGIN PUBLIC KEY-----" PEM block ImportPublicKey takes.
inline result<void> write_public_key_file(const std::string& path, const public_key& key,
                                          bool overwrite = false) {
  auto pem = key.to_pem();
  if (!pem) return pem.error();
  return detail::write_key_file(path, *pem, false, overwrite);
}

}  // namespace ivsrt::tokens
