#include "local_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ivsrt/sigv4.hpp"
#include "ivsrt/transport.hpp"
#include "ivsrt/uri.hpp"

extern char** environ;

namespace ivsrt_local_test {

temp_dir::temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/ivsrt-test-XXXXXX";
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

temp_dir::~temp_dir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

namespace {

std::vector<std::string> environment(const std::vector<std::string>& env, bool inherit) {
  std::vector<std::string> out;
  if (inherit) {
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry(*e);
      const std::string name = entry.substr(0, entry.find('='));
      bool overridden = false;
      for (const auto& o : env) overridden = overridden || o.substr(0, o.find('=')) == name;
      if (!overridden) out.push_back(entry);
    }
  }
  for (const auto& o : env) out.push_back(o);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t spawn(const std::vector<std::string>& argv_in, const std::vector<std::string>& env_in, bool inherit,
            int out_fd, int err_fd) {
  std::vector<std::string> argv = argv_in;
  std::vector<std::string> env = environment(env_in, inherit);
  auto argv_p = pointers(argv);
  auto env_p = pointers(env);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0) posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  if (err_fd >= 0) posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, nullptr, argv_p.data(), env_p.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

run_result run(const std::vector<std::string>& argv, const std::vector<std::string>& env, bool inherit_env,
               std::chrono::seconds timeout) {
  run_result result;
  int out[2];
  int err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return result;
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return result;
  }
  const pid_t pid = spawn(argv, env, inherit_env, out[1], err[1]);
  ::close(out[1]);
  ::close(err[1]);
  if (pid < 0) {
    ::close(out[0]);
    ::close(err[0]);
    return result;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  bool killed = false;
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = killed ? -1 : exit_code(status);
  return result;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string_view rest(path);
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return false;
}

child::child(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return;
  pid_ = spawn(argv, env, true, out[1], -1);
  ::close(out[1]);
  out_fd_ = out[0];
  if (pid_ < 0) {
    ::close(out_fd_);
    out_fd_ = -1;
  }
}

child::~child() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    wait();
  }
  if (out_fd_ >= 0) ::close(out_fd_);
}

std::string child::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const std::size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (out_fd_ < 0 || left.count() <= 0) return {};
    pollfd p{out_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[1024];
    const ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n <= 0) return {};
    buffer_.append(buf, static_cast<std::size_t>(n));
  }
}

void child::kill(int signal) {
  if (pid_ > 0 && !reaped_) ::kill(pid_, signal);
}

int child::wait() {
  if (pid_ <= 0) return -1;
  if (!reaped_) {
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
  }
  return exit_code(status_);
}

ivsrt::result<ivsrt::http::response> send_raw(const raw_request& r) {
  std::string why;
  auto endpoint = ivsrt::uri::parse_endpoint(r.endpoint, why);
  if (!endpoint) return ivsrt::make_error(ivsrt::error_kind::configuration, "InvalidEndpoint", why);
  ivsrt::http::request req;
  req.method = r.method;
  req.url = endpoint->origin() + r.path;
  req.body = r.body;
  // An empty POST still says "Content-Length: 0", as HTTP clients do; without it the server would
  // wait for a body until its read timeout.
  req.has_body = !r.body.empty() || r.method == "POST" || r.method == "PUT";
  req.headers.emplace_back("Host", endpoint->authority());
  if (req.has_body) req.headers.emplace_back("Content-Type", "application/json");
  if (r.sign) {
    const auto when =
        r.when == ivsrt::timestamp{}
            ? std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now())
            : r.when;
    const std::string path = r.path.substr(0, r.path.find('?'));
    ivsrt::sigv4::request to_sign{
        .method = req.method, .path = path, .query = {}, .headers = {}, .payload = req.body};
    for (const auto& [k, v] : req.headers) to_sign.headers.push_back({k, v});
    ivsrt::credentials creds{.access_key_id = r.access_key,
                             .secret_access_key = r.secret,
                             .session_token = {},
                             .expiration = {},
                             .account_id = {}};
    if (!r.session_token.empty()) creds.session_token = ivsrt::sensitive_string(r.session_token);
    const ivsrt::sigv4::signer signer(r.region, r.service);
    auto sig = signer.sign(to_sign, creds, when);
    req.headers.emplace_back("X-Amz-Date", sig.amz_date);
    if (!r.session_token.empty()) req.headers.emplace_back("X-Amz-Security-Token", r.session_token);
    req.headers.emplace_back("Authorization", sig.authorization);
  }
  ivsrt::http::transport transport({.connect_timeout = std::chrono::milliseconds(3000),
                                    .request_timeout = std::chrono::milliseconds(10000),
                                    .read_timeout = {},
                                    .ca_bundle = r.ca_bundle,
                                    .ca_path = {},
                                    .insecure_skip_tls_verify = false,
                                    .max_response_bytes = std::size_t{1} << 20,
                                    .proxy = {},
                                    .no_proxy = {}});
  return transport.send(req);
}

}  // namespace ivsrt_local_test
