// A loopback HTTP/1.1 server on raw sockets for faults cpp-httplib cannot produce: it reads each
// request, records it, then answers with a queued action — a reply, or closing the connection
// without a word. It closes every connection after one exchange, so each request arrives on a
// fresh connection, unless the reply was queued with enqueue_keep_alive: then the next request is
// read on the same connection (a kept-alive connection that dies under the next request). It also
// serves as a stand-in proxy: absolute-form targets and CONNECT requests are recorded as sent.
// Raw answers send hand-written bytes, slowly if asked, then close, reset or wait: the faults of a
// broken peer or proxy (a truncated body, a reset, silence, a slow drip).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "recording_server.hpp"

namespace ivsrt_test {

// Bytes the server writes as they are, and what it does afterwards.
struct raw_reply {
  enum class ending {
    close,          // close the connection normally
    reset,          // close with a TCP reset (SO_LINGER 0)
    wait_for_peer,  // keep the connection open until the client gives up
  };
  std::string bytes{};     // status line, headers and (part of) a body; may be empty
  std::size_t chunk = 0;   // bytes per write; 0: all at once
  int chunk_delay_ms = 0;  // pause before each write
  ending then = ending::close;

  // A 200 whose headers promise 40 bytes of body, then 4 bytes of it and silence: a server that
  // stalls after the headers, which only a read or attempt timeout ends.
  static raw_reply stall_after_headers() {
    return {.bytes = "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"st",
            .chunk = 0,
            .chunk_delay_ms = 0,
            .then = ending::wait_for_peer};
  }
};

class fault_server {
 public:
  fault_server();  // 127.0.0.1, a free port
  ~fault_server();
  fault_server(const fault_server&) = delete;
  fault_server& operator=(const fault_server&) = delete;

  [[nodiscard]] std::string url() const;  // "http://127.0.0.1:PORT"
  [[nodiscard]] int port() const;

  // Actions are used in order; with none queued the server answers 200 "{}".
  void enqueue(reply r);
  void enqueue_keep_alive(reply r);  // answer, and keep the connection for the next request
  void enqueue_drop();               // read the request, then close the connection without answering
  void enqueue_raw(raw_reply r);

  [[nodiscard]] std::vector<received> requests() const;
  [[nodiscard]] std::size_t count() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace ivsrt_test
