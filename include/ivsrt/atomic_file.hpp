// Replacing a file's contents so that readers, and a crash at any moment, find the old contents or
// the new, never a mix: the new contents go to a temporary file in the same directory, which is
// flushed to disk and renamed over the file, and then the directory is flushed.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace ivsrt::atomic_file {

// The step that failed, the file it failed on and errno.
struct failure {
  std::string step;  // "cannot create", "cannot write", ...
  std::string path;
  int err = 0;

  [[nodiscard]] std::string describe() const {
    return step + " " + path + ": " + std::strerror(err);  // NOLINT(concurrency-mt-unsafe): glibc's is safe
  }
};

inline std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Replaces the contents of `path` through the temporary file `temp`, created with mode 0600. A
// `temp` ending in "XXXXXX" is made unique (mkstemp), for files that several processes may replace
// at once; any other name is the caller's to keep from clashing.
inline std::optional<failure> replace(const std::string& path, std::string_view content, std::string temp) {
  constexpr std::string_view unique = "XXXXXX";
  const bool make_unique = temp.size() >= unique.size() && temp.ends_with(unique);
  const int fd = make_unique ? ::mkstemp(temp.data())
                             : ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return failure{"cannot create", temp, errno};
  if (make_unique) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  auto abandon = [&](const char* step) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return failure{step, temp, err};
  };
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return abandon("cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return abandon("cannot flush");
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return failure{"cannot rename the temporary file over", path, err};
  }
  const std::string dir = directory_of(path);
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return failure{"cannot open the directory", dir, errno};
  const int synced = ::fsync(dir_fd);
  const int err = errno;
  ::close(dir_fd);
  if (synced != 0) return failure{"cannot flush the directory", dir, err};
  return std::nullopt;
}

}  // namespace ivsrt::atomic_file
