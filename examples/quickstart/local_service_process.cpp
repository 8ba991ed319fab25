#include "local_service_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <utility>
#include <vector>

#include "ivsrt/json_reader.hpp"
#include "ivsrt/json_writer.hpp"

namespace ivsrt_quickstart {

// The body of an admin endpoint's error answer. (Reflection reads names in named namespaces only.)
struct admin_failure {
  ivsrt::optional<std::string> message{};
};

namespace {

constexpr const char* region = "us-east-1";  // ivsrt-local's default, passed to it explicitly

ivsrt::error service_unavailable(const std::string& program, const std::string& why) {
  return ivsrt::make_error(ivsrt::error_kind::configuration, "local_service_unavailable",
                           "the local service " + program + " " + why);
}

ivsrt::http::transport_options admin_transport_options() {
  ivsrt::http::transport_options o;
  o.no_proxy = "*";  // loopback: a proxy from http_proxy cannot reach it
  o.request_timeout = std::chrono::seconds(10);
  return o;
}

}  // namespace

std::string local_service_process::default_program() {
  std::vector<char> self(PATH_MAX);
  const ssize_t n = readlink("/proc/self/exe", self.data(), self.size() - 1);
  if (n <= 0) return "ivsrt-local";
  std::string path(self.data(), static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/') + 1) + "ivsrt-local";
}

local_service_process::local_service_process(pid_t pid, int output)
    : pid_(pid), output_(output), admin_transport_(admin_transport_options()) {}

local_service_process::~local_service_process() {
  close(output_);  // what the service prints from now on is dropped; it ignores SIGPIPE
  kill(pid_, SIGTERM);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

ivsrt::result<std::unique_ptr<local_service_process>> local_service_process::start(
    const std::string& program) {
  if (access(program.c_str(), X_OK) != 0) {
    return service_unavailable(program, std::string("cannot be run: ") + std::strerror(errno) +
                                            " (build the ivsrt-local target, or use --endpoint or --aws)");
  }
  // Everything the child needs is made before fork: between fork and exec only async-signal-safe
  // calls are allowed.
  std::vector<std::string> args{program, "--port", "0", "--region", region};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0)
    return service_unavailable(program, std::string("pipe: ") + std::strerror(errno));
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    return service_unavailable(program, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
#ifdef __linux__
    // The service ends with the quickstart, however the quickstart ends.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);
#endif
    dup2(out[1], STDOUT_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::unique_ptr<local_service_process> p(new local_service_process(pid, out[0]));

  // ivsrt-local's first line is "ivsrt-local listening on URL".
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return service_unavailable(program, "did not print its URL within 10 s");
    pollfd ready{.fd = out[0], .events = POLLIN, .revents = 0};
    if (poll(&ready, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[256];
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return service_unavailable(program, "exited before it listened (its messages are above)");
    line.append(buf, static_cast<std::size_t>(n));
  }
  line.resize(line.find('\n'));
  const std::string prefix = "ivsrt-local listening on ";
  if (line.rfind(prefix, 0) != 0) return service_unavailable(program, "printed no URL: " + line);
  p->url_ = line.substr(prefix.size());
  return p;
}

ivsrt::client_options local_service_process::client_options() const {
  ivsrt::client_options o;
  o.region = region;
  o.endpoint_url = url_;
  o.use_fips = false;
  o.use_dual_stack = false;
  o.ignore_configured_endpoint_urls = true;
  o.retry.mode = ivsrt::retry::mode::standard;
  o.retry.max_attempts = 3;
  o.disable_clock_skew_correction = false;
  o.transport.no_proxy = "*";
  // ivsrt-local's default key; it accepts no other unless started with --credentials.
  o.credentials = ivsrt::credentials{.access_key_id = "test",
                                     .secret_access_key = ivsrt::sensitive_string("test"),
                                     .session_token = {},
                                     .expiration = {},
                                     .account_id = {}};
  return o;
}

ivsrt::result<std::string> local_service_process::admin(const std::string& path,
                                                        ivsrt::result<std::string> body) {
  if (!body) return body.error();
  auto answer =
      admin_transport_.send(ivsrt::http::request{.method = "POST",
                                                 .url = url_ + std::string(ivsrt::local::admin_prefix) + path,
                                                 .headers = {{"Content-Type", "application/json"}},
                                                 .body = std::move(*body),
                                                 .has_body = true});
  if (!answer) return answer.error();
  if (answer->status != 200) {
    admin_failure why;
    (void)ivsrt::json::from_json(answer->body, why);
    return ivsrt::make_error(
        ivsrt::error_kind::service, "HTTP " + std::to_string(answer->status),
        std::string(ivsrt::local::admin_prefix) + path + ": " + why.message.value_or("(no message)"));
  }
  return std::move(answer->body);
}

ivsrt::result<ivsrt::local::joined> local_service_process::join(const std::string& stage_arn,
                                                                const ivsrt::sensitive_string& token,
                                                                const std::string& os_name) {
  auto answer = admin(
      "join", ivsrt::json::to_json(ivsrt::local::admin::join_request{
                  .stageArn = stage_arn, .token = token, .osName = os_name, .sdkVersion = "quickstart"}));
  if (!answer) return answer.error();
  ivsrt::local::joined out;
  if (auto read = ivsrt::json::from_json(*answer, out); !read) return read.error();
  return out;
}

ivsrt::result<void> local_service_process::publish(const std::string& stage_arn,
                                                   const std::string& participant_id) {
  auto answer = admin("publish", ivsrt::json::to_json(ivsrt::local::admin::participant_request{
                                     .stageArn = stage_arn, .participantId = participant_id}));
  if (!answer) return answer.error();
  return {};
}

ivsrt::result<void> local_service_process::subscribe(const std::string& stage_arn,
                                                     const std::string& participant_id,
                                                     const std::string& publisher_id) {
  auto answer = admin(
      "subscribe", ivsrt::json::to_json(ivsrt::local::admin::subscribe_request{
                       .stageArn = stage_arn, .participantId = participant_id, .publisherId = publisher_id}));
  if (!answer) return answer.error();
  return {};
}

}  // namespace ivsrt_quickstart
