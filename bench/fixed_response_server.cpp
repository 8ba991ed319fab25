#include "fixed_response_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>
#include <unordered_map>

namespace ivsrt_bench {
namespace {

std::string http_response(const std::string& body) {
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) +
         "\r\nx-amzn-RequestId: 0b7a1c3e-5f2d-4c8b-9a6e-1d2f3a4b5c6d\r\nDate: " + date +
         "\r\nConnection: keep-alive\r\n\r\n" + body;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Bytes of the request at the front of `in` when it is complete, else 0.
std::size_t complete_request(std::string_view in) {
  const std::size_t end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) return 0;
  std::size_t body = 0;
  std::size_t line = in.find("\r\n") + 2;
  while (line < end) {
    const std::size_t next = in.find("\r\n", line);
    const std::string_view header = in.substr(line, next - line);
    if (starts_with_ci(header, "content-length:")) {
      body = std::strtoul(std::string(header.substr(15)).c_str(), nullptr, 10);
    }
    line = next + 2;
  }
  const std::size_t total = end + 4 + body;
  return in.size() >= total ? total : 0;
}

struct connection {
  std::string in;
  std::string out;
  std::size_t sent = 0;
};

[[noreturn]] void serve(int listener, const std::string& small, const std::string& large) {
  const int ep = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listener;
  epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
  std::unordered_map<int, connection> conns;
  epoll_event events[128];
  char buf[65536];
  auto drop = [&](int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    conns.erase(fd);
  };
  auto flush = [&](int fd, connection& c) {
    while (c.sent < c.out.size()) {
      const ssize_t n = send(fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      c.sent += static_cast<std::size_t>(n);
    }
    if (c.sent == c.out.size()) {
      c.out.clear();
      c.sent = 0;
    }
    epoll_event e{};
    e.events = c.out.empty() ? EPOLLIN : (EPOLLIN | EPOLLOUT);
    e.data.fd = fd;
    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
  };
  while (true) {
    const int n = epoll_wait(ep, events, 128, -1);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listener) {
        const int c = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
        if (c < 0) continue;
        const int one = 1;
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        epoll_event e{};
        e.events = EPOLLIN;
        e.data.fd = c;
        epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
        conns[c];
        continue;
      }
      connection& c = conns[fd];
      if ((events[i].events & EPOLLOUT) != 0U) flush(fd, c);
      if ((events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0U) continue;
      const ssize_t got = recv(fd, buf, sizeof buf, 0);
      if (got <= 0) {
        drop(fd);
        continue;
      }
      c.in.append(buf, static_cast<std::size_t>(got));
      bool answered = false;
      while (const std::size_t size = complete_request(c.in)) {
        const std::string_view head(c.in.data(), c.in.find("\r\n"));
        c.out += head.find(" /ListParticipants") != std::string_view::npos ? large : small;
        c.in.erase(0, size);
        answered = true;
      }
      if (answered) flush(fd, c);
    }
  }
}

}  // namespace

fixed_response_server::fixed_response_server(const fixed_responses& responses) {
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, 256) != 0 || getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (listener >= 0) close(listener);
    return;
  }
  port_ = ntohs(addr.sin_port);
  const std::string small = http_response(responses.small_body);
  const std::string large = http_response(responses.large_body);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    serve(listener, small, large);
  }
  close(listener);
}

fixed_response_server::~fixed_response_server() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
}

}  // namespace ivsrt_bench
