#include "fault_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace ivsrt_test {

namespace {

struct action {
  bool drop = false;
  reply answer;
  std::optional<raw_reply> raw;
  bool keep_alive = false;  // answer, then read the next request on the same connection
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads one request from fd; nullopt when the peer closed or sent garbage.
std::optional<received> read_request(int fd) {
  std::string data;
  char buf[4096];
  std::size_t header_end = std::string::npos;
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    data.append(buf, static_cast<std::size_t>(n));
  }
  received r;
  const std::string head = data.substr(0, header_end);
  std::size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const std::size_t sp1 = request_line.find(' ');
  const std::size_t sp2 = request_line.rfind(' ');
  if (sp1 == std::string::npos || sp2 <= sp1) return std::nullopt;
  r.method = request_line.substr(0, sp1);
  r.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::size_t q = r.target.find('?');
  r.path = r.target.substr(0, q);
  r.query = q == std::string::npos ? std::string() : r.target.substr(q + 1);
  std::size_t content_length = 0;
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line =
        head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.header_list.emplace_back(line.substr(0, colon), value);
    if (lower(line.substr(0, colon)) == "content-length") content_length = std::stoul(value);
  }
  r.body = data.substr(header_end + 4);
  while (r.body.size() < content_length) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    r.body.append(buf, static_cast<std::size_t>(n));
  }
  return r;
}

bool write_all(int fd, std::string_view s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Waits until the peer closes the connection (or the server stops).
void wait_for_close(int fd, const std::atomic<bool>& stopping) {
  char buf[512];
  while (!stopping) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 20);
    if (ready < 0) return;
    if (ready == 0) continue;
    if (::recv(fd, buf, sizeof buf, 0) <= 0) return;
  }
}

void send_raw(int fd, const raw_reply& r, const std::atomic<bool>& stopping) {
  const std::string_view bytes = r.bytes;
  const std::size_t chunk = r.chunk == 0 ? bytes.size() : r.chunk;
  for (std::size_t off = 0; off < bytes.size() && !stopping; off += chunk) {
    if (r.chunk_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(r.chunk_delay_ms));
    if (!write_all(fd, bytes.substr(off, chunk))) return;
  }
  if (r.then == raw_reply::ending::wait_for_peer) {
    wait_for_close(fd, stopping);
  } else if (r.then == raw_reply::ending::reset) {
    const linger hard{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  }
}

std::string reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 403: return "Forbidden";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

}  // namespace

struct fault_server::impl {
  int listener = -1;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::thread thread;
  mutable std::mutex mutex;
  std::deque<action> queue;
  std::vector<received> log;

  void serve(int fd) {
    while (!stopping) {
      std::optional<received> r = read_request(fd);
      if (!r) return;
      action a;
      {
        std::lock_guard<std::mutex> lock(mutex);
        log.push_back(*r);
        if (!queue.empty()) {
          a = std::move(queue.front());
          queue.pop_front();
        }
      }
      if (a.drop) return;
      if (a.raw) {
        send_raw(fd, *a.raw, stopping);
        return;
      }
      if (a.answer.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(a.answer.delay_ms));
      std::string out =
          "HTTP/1.1 " + std::to_string(a.answer.status) + " " + reason(a.answer.status) + "\r\n";
      for (const auto& [k, v] : a.answer.header_list) out += k + ": " + v + "\r\n";
      out += "Content-Length: " + std::to_string(a.answer.body.size()) + "\r\n";
      out += a.keep_alive ? "\r\n" : "Connection: close\r\n\r\n";
      out += a.answer.body;
      write_all(fd, out);
      if (!a.keep_alive) return;
    }
  }

  void run() {
    while (!stopping) {
      pollfd p{listener, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) continue;
      serve(fd);
      linger how{};
      socklen_t how_size = sizeof how;
      // A reset needs close() alone; shutdown() would send a FIN first.
      if (::getsockopt(fd, SOL_SOCKET, SO_LINGER, &how, &how_size) != 0 || how.l_onoff == 0) {
        ::shutdown(fd, SHUT_RDWR);
      }
      ::close(fd);
    }
  }
};

fault_server::fault_server() : impl_(std::make_unique<impl>()) {
  impl_->listener = ::socket(AF_INET, SOCK_STREAM, 0);
  if (impl_->listener < 0) throw std::runtime_error("fault_server: socket failed");
  int one = 1;
  ::setsockopt(impl_->listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(impl_->listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(impl_->listener, 16) != 0) {
    throw std::runtime_error("fault_server: bind/listen failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(impl_->listener, reinterpret_cast<sockaddr*>(&addr), &len);
  impl_->port = ntohs(addr.sin_port);
  impl_->thread = std::thread([this] { impl_->run(); });
}

fault_server::~fault_server() {
  impl_->stopping = true;
  if (impl_->thread.joinable()) impl_->thread.join();
  ::close(impl_->listener);
}

std::string fault_server::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

int fault_server::port() const {
  return impl_->port;
}

void fault_server::enqueue(reply r) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->queue.push_back(action{false, std::move(r), std::nullopt, false});
}

void fault_server::enqueue_keep_alive(reply r) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->queue.push_back(action{false, std::move(r), std::nullopt, true});
}

void fault_server::enqueue_drop() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->queue.push_back(action{true, {}, std::nullopt, false});
}

void fault_server::enqueue_raw(raw_reply r) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->queue.push_back(action{false, {}, std::move(r), false});
}

std::vector<received> fault_server::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->log;
}

std::size_t fault_server::count() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->log.size();
}

}  // namespace ivsrt_test
