// A loopback port whose connections hang, for connect timeouts: it listens with a full backlog,
// so the kernel drops further SYNs and only the client's connect timeout ends an attempt.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "catch.hpp"

namespace ivsrt_test {

class hanging_port {
 public:
  hanging_port() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listener_, 0) == 0);
    REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    REQUIRE(::connect(filler_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    url_ = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  }
  hanging_port(const hanging_port&) = delete;
  hanging_port& operator=(const hanging_port&) = delete;
  ~hanging_port() {
    ::close(filler_);
    ::close(listener_);
  }
  [[nodiscard]] const std::string& url() const { return url_; }

 private:
  int listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int filler_ = ::socket(AF_INET, SOCK_STREAM, 0);
  std::string url_;
};

}  // namespace ivsrt_test
