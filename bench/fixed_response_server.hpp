// A minimal HTTP/1.1 keep-alive server for the benchmarks: a child process with one epoll loop
// that answers every request with one of two prebuilt responses, so that it costs as little as
// possible and never runs on the client's threads. Not a general HTTP server: it reads
// Content-Length bodies only.
#pragma once

#include <sys/types.h>

#include <string>

namespace ivsrt_bench {

struct fixed_responses {
  std::string small_body;  // answers every request whose target is not /ListParticipants
  std::string large_body;  // answers POST /ListParticipants
};

class fixed_response_server {
 public:
  // Listens on 127.0.0.1 (any free port) and forks the serving process. Call before the
  // benchmark starts any thread.
  explicit fixed_response_server(const fixed_responses& responses);
  fixed_response_server(const fixed_response_server&) = delete;
  fixed_response_server& operator=(const fixed_response_server&) = delete;
  ~fixed_response_server();

  [[nodiscard]] bool ok() const noexcept { return pid_ > 0; }
  [[nodiscard]] int port() const noexcept { return port_; }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace ivsrt_bench
