// credential_process: credentials printed by a program the profile names, as JSON on its
// standard output ({"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?,
// "Expiration"?, "AccountId"?}).
//
// The command line is split into words the way a POSIX shell splits them (whitespace; '...' and
// "..." quoting; backslash escapes) and the program is run directly, WITHOUT a shell, as botocore
// does: no variable expansion, pipes or redirections — write `sh -c '...'` to get them. The
// program inherits the environment and standard input (with glibc 2.34 or later no other file
// descriptor of the application); its standard error goes to its own pipe,
// so nothing it prints there can corrupt the JSON, and the start of it is quoted when the program
// fails. A program that runs longer than the timeout is killed. POSIX systems only.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#if !defined(_WIN32)
#include <fcntl.h>
#include <poll.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX kill() and sigaction()
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;  // NOLINT: POSIX declares it nowhere portable
#endif

#include "ivsrt/ascii.hpp"
#include "ivsrt/credential_http.hpp"
#include "ivsrt/credentials_provider.hpp"
#include "ivsrt/optional.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt {

namespace detail {

// Splits a command line into words like a POSIX shell (without expansions).
inline result<std::vector<std::string>> split_command(std::string_view cmd) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  auto bad = [](const char* why) {
    return make_error(error_kind::configuration, "InvalidCredentialProcess",
                      std::string("credential_process ") + why);
  };
  for (std::size_t i = 0; i < cmd.size(); ++i) {
    const char c = cmd[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      const std::size_t end = cmd.find('\'', i + 1);
      if (end == std::string_view::npos) return bad("has an unterminated single quote");
      word.append(cmd.substr(i + 1, end - i - 1));
      in_word = true;
      i = end;
    } else if (c == '"') {
      in_word = true;
      bool closed = false;
      for (++i; i < cmd.size(); ++i) {
        if (cmd[i] == '"') {
          closed = true;
          break;
        }
        if (cmd[i] == '\\' && i + 1 < cmd.size() &&
            (cmd[i + 1] == '"' || cmd[i + 1] == '\\' || cmd[i + 1] == '$' || cmd[i + 1] == '`')) {
          ++i;
        }
        word += cmd[i];
      }
      if (!closed) return bad("has an unterminated double quote");
    } else if (c == '\\') {
      if (i + 1 >= cmd.size()) return bad("ends with a backslash");
      word += cmd[++i];
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) return bad("is empty");
  return words;
}

// The output document of a credential_process.
struct process_document {
  optional<std::int64_t> Version{};
  optional<std::string> AccessKeyId{};
  optional<sensitive_string> SecretAccessKey{};
  optional<sensitive_string> SessionToken{};
  optional<std::string> Expiration{};
  optional<std::string> AccountId{};
};

// Reads a credential_process's standard output; `what` names the process in errors. The text is
// wiped.
inline result<credentials> parse_process_output(std::string& text, std::string_view what) {
  process_document doc;
  auto parsed = read_json(text, doc);
  wipe(text);
  auto bad = [&](const std::string& why) {
    return make_error(error_kind::credentials, "InvalidCredentialProcessOutput",
                      std::string(what) + ": " + why);
  };
  if (!parsed) return bad("its output is not the expected JSON: " + parsed.error().message);
  if (!doc.Version) return bad("its output has no Version");
  if (*doc.Version != 1) {
    return bad("its output has Version " + std::to_string(*doc.Version) + "; only 1 is supported");
  }
  if (!doc.AccessKeyId || doc.AccessKeyId->empty()) return bad("its output has no AccessKeyId");
  if (!doc.SecretAccessKey || doc.SecretAccessKey->empty()) return bad("its output has no SecretAccessKey");
  credentials c;
  c.access_key_id = std::move(*doc.AccessKeyId);
  c.secret_access_key = std::move(*doc.SecretAccessKey);
  if (doc.SessionToken && !doc.SessionToken->empty()) c.session_token = std::move(*doc.SessionToken);
  if (doc.Expiration) {
    auto t = parse_expiry(*doc.Expiration);
    if (!t) return bad("its Expiration is not an RFC 3339 date-time");
    c.expiration = *t;
  }
  if (doc.AccountId && !doc.AccountId->empty()) c.account_id = std::move(*doc.AccountId);
  return c;
}

struct process_outcome {
  bool exited = false;  // normally, with exit_status
  int exit_status = -1;
  int signal = 0;  // the signal that ended it
  bool timed_out = false;
  bool output_too_large = false;
  bool status_unknown = false;  // the application reaps children itself (SIGCHLD ignored)
  std::string out;              // standard output (may hold secrets)
  std::string err;              // the start of standard error
};

#if !defined(_WIN32)

struct fd_closer {
  int fd = -1;
  fd_closer() = default;
  fd_closer(const fd_closer&) = delete;
  fd_closer& operator=(const fd_closer&) = delete;
  ~fd_closer() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

inline bool make_pipe(fd_closer& read_end, fd_closer& write_end) {
  int fds[2];
#if defined(__linux__)
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
#else
  if (::pipe(fds) != 0) return false;
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#endif
  read_end.fd = fds[0];
  write_end.fd = fds[1];
  return true;
}

// Runs argv[0] (found on PATH) with argv, collecting standard output (up to max_out bytes) and the
// first 4 KiB of standard error, and kills it when it outlives `timeout`.
inline result<process_outcome> run_process(const std::vector<std::string>& argv,
                                           std::chrono::milliseconds timeout,
                                           std::size_t max_out = std::size_t{64} << 10) {
  constexpr std::size_t max_err = 4096;
  fd_closer out_r, out_w, err_r, err_w;
  if (!make_pipe(out_r, out_w) || !make_pipe(err_r, err_w)) {
    return make_error(error_kind::credentials, "ProcessFailed",
                      std::string("cannot create a pipe for credential_process: ") +
                          std::generic_category().message(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.fd, 2);
  // Only standard input, output and error reach the program, as botocore's close_fds gives it:
  // the application's files and sockets not marked close-on-exec stay its own.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#endif
  posix_spawnattr_init(&attr);
  // The program starts with no blocked signals and the default SIGPIPE action, whatever the
  // application set for itself.
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, static_cast<short>(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));  // NOLINT: the POSIX signature
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  out_w.reset();
  err_w.reset();
  if (rc != 0) {
    return make_error(error_kind::credentials, "ProcessFailed",
                      "cannot run credential_process program '" + printable(argv[0]) +
                          "': " + std::generic_category().message(rc));
  }

  process_outcome o;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto remaining_ms = [&]() -> int {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return left.count() <= 0 ? 0 : static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30));
  };
  char buf[4096];
  while ((out_r.fd >= 0 || err_r.fd >= 0) && !o.output_too_large) {
    const int wait = remaining_ms();
    if (wait == 0) {
      o.timed_out = true;
      break;
    }
    pollfd fds[2];
    nfds_t n = 0;
    if (out_r.fd >= 0) fds[n++] = {out_r.fd, POLLIN, 0};
    if (err_r.fd >= 0) fds[n++] = {err_r.fd, POLLIN, 0};
    const int ready = ::poll(fds, n, wait);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      const bool is_out = fds[i].fd == out_r.fd;
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (got <= 0) {
        (is_out ? out_r : err_r).reset();
        continue;
      }
      const auto size = static_cast<std::size_t>(got);
      if (is_out) {
        if (o.out.size() + size > max_out) {
          o.output_too_large = true;
          break;
        }
        o.out.append(buf, size);
      } else if (o.err.size() < max_err) {
        o.err.append(buf, std::min(size, max_err - o.err.size()));
      }
    }
  }
  volatile char* wipe_buf = buf;
  for (std::size_t i = 0; i < sizeof buf; ++i) wipe_buf[i] = 0;
  out_r.reset();
  err_r.reset();
  int status = 0;
  pid_t done = 0;
  while (!o.timed_out && !o.output_too_large) {
    done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (remaining_ms() == 0) {
      o.timed_out = true;
      break;
    }
    ::usleep(2000);
  }
  if (o.timed_out || o.output_too_large) {
    ::kill(pid, SIGKILL);
    while ((done = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
  }
  if (done < 0 && errno == ECHILD) {
    o.status_unknown = true;
  } else if (done == pid) {
    if (WIFEXITED(status)) {
      o.exited = true;
      o.exit_status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      o.signal = WTERMSIG(status);
    }
  }
  return o;
}

#endif

}  // namespace detail

class process_provider final : public credentials_provider {
 public:
  // `origin` names where the command is configured, e.g. "profile dev"; `account_id` (the
  // profile's aws_account_id, as the SDKs for Rust and Java take it) is used when the output
  // names none.
  static result<std::shared_ptr<process_provider>> create(std::string_view command, std::string origin,
                                                          std::chrono::milliseconds timeout,
                                                          std::string account_id = {}) {
    auto argv = detail::split_command(command);
    if (!argv) {
      error e = argv.error();
      e.message = origin + ": " + e.message;
      return e;
    }
    return std::shared_ptr<process_provider>(
        new process_provider(std::move(*argv), std::move(origin), timeout, std::move(account_id)));
  }

  result<credentials> resolve() override {
    const std::string what = "credential_process of " + origin_;
#if defined(_WIN32)
    return make_error(error_kind::credentials, "Unsupported", what + " cannot run: not supported on Windows");
#else
    auto ran = detail::run_process(argv_, timeout_);
    if (!ran) return ran.error();
    detail::process_outcome& o = *ran;
    std::string err = detail::printable(ascii::trim(o.err));
    if (o.timed_out) {
      wipe(o.out);
      return make_error(
          error_kind::credentials, "ProcessTimedOut",
          what + " did not finish within " + std::to_string(timeout_.count()) + " ms and was killed");
    }
    if (o.output_too_large) {
      wipe(o.out);
      return make_error(error_kind::credentials, "ProcessOutputTooLarge", what + " printed more than 64 KiB");
    }
    if (!o.status_unknown && (!o.exited || o.exit_status != 0)) {
      wipe(o.out);
      const std::string how = o.exited ? "exited with status " + std::to_string(o.exit_status)
                                       : "was ended by signal " + std::to_string(o.signal);
      return make_error(error_kind::credentials, "ProcessFailed",
                        what + " " + how + (err.empty() ? std::string() : ": " + err));
    }
    auto c = detail::parse_process_output(o.out, what);
    if (c && !c->account_id && !account_id_.empty()) c->account_id = account_id_;
    return c;
#endif
  }

  [[nodiscard]] std::string describe() const override {
    return origin_ + ": credential_process " + argv_.front();
  }

 private:
  process_provider(std::vector<std::string> argv, std::string origin, std::chrono::milliseconds timeout,
                   std::string account_id)
      : argv_(std::move(argv)),
        origin_(std::move(origin)),
        timeout_(timeout),
        account_id_(std::move(account_id)) {}

  std::vector<std::string> argv_;
  std::string origin_;
  std::chrono::milliseconds timeout_;
  std::string account_id_;
};

}  // namespace ivsrt
