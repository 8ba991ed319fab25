// Saving and loading the service's state so that no acknowledged change is lost. Each save writes
// a temporary file, flushes it to disk, renames it over the state file and flushes the directory:
// the state file always holds a whole state, the previous one or the new one, even when the
// process dies in the middle of a save. A lock file keeps two services off the same state file.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ivsrt/atomic_file.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/local/state.hpp"

namespace ivsrt::local {

namespace detail {

inline error file_error(const std::string& what, const std::string& path, int err) {
  return make_error(error_kind::configuration, "StateFileError",
                    atomic_file::failure{what, path, err}.describe());
}

}  // namespace detail

class state_file {
 public:
  // Locks `path` for this process (a second service on the same file is refused) and removes a
  // temporary file a crashed save may have left behind.
  static result<state_file> open(std::string path) {
    state_file f;
    f.path_ = std::move(path);
    const std::string lock_path = f.path_ + ".lock";
    f.lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (f.lock_fd_ < 0) return detail::file_error("cannot create the lock file", lock_path, errno);
    if (::flock(f.lock_fd_, LOCK_EX | LOCK_NB) != 0) {
      return make_error(error_kind::configuration, "StateFileLocked",
                        "the state file " + f.path_ + " is in use by another running service");
    }
    const std::string temp = f.temp_path();
    if (::unlink(temp.c_str()) != 0 && errno != ENOENT) {
      return detail::file_error("cannot remove the stale temporary file", temp, errno);
    }
    return f;
  }

  state_file(state_file&& other) noexcept : path_(std::move(other.path_)), lock_fd_(other.lock_fd_) {
    other.lock_fd_ = -1;
  }
  state_file& operator=(state_file&& other) noexcept {
    std::swap(path_, other.path_);
    std::swap(lock_fd_, other.lock_fd_);
    return *this;
  }
  state_file(const state_file&) = delete;
  state_file& operator=(const state_file&) = delete;
  ~state_file() {
    if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
  }

  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] std::string temp_path() const { return path_ + ".tmp"; }

  // The file's contents, or nullopt when it does not exist yet.
  [[nodiscard]] result<std::optional<std::string>> read() const {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return std::optional<std::string>{};
      return detail::file_error("cannot open", path_, errno);
    }
    std::string content;
    char buffer[65536];
    while (true) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd);
        return detail::file_error("cannot read", path_, err);
      }
      if (n == 0) break;
      content.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return std::optional<std::string>(std::move(content));
  }

  // Replaces the file's contents atomically and durably (see the top of this header).
  [[nodiscard]] result<void> write(std::string_view content) const {
    if (auto failed = atomic_file::replace(path_, content, temp_path())) {
      return detail::file_error(failed->step, failed->path, failed->err);
    }
    return {};
  }

 private:
  state_file() = default;
  std::string path_;
  int lock_fd_ = -1;
};

// The state as the JSON document the state file holds.
inline std::string serialize_state(const service_state& st) {
  std::string out;
  json::writer w(out, {.redact_sensitive = false, .pretty = true});
  w.object(st, nullptr);
  out += '\n';
  return out;
}

// The state a state file holds; an error names the file and what is wrong with it.
inline result<service_state> load_state(const state_file& file) {
  auto content = file.read();
  if (!content) return content.error();
  service_state st;
  if (!content->has_value()) return st;
  auto parsed = json::from_json(**content, st);
  if (!parsed) {
    return make_error(error_kind::configuration, "StateFileCorrupt",
                      "the state file " + file.path() + " cannot be read (" + parsed.error().message +
                          "); move it away to start with an empty state");
  }
  return st;
}

}  // namespace ivsrt::local
