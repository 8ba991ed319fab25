// The local IVS real-time service (the ivsrt-local program) as a child process of the quickstart.
// Running it in a process of its own keeps the quickstart a plain client of ivsrt: the service's
// code is in ivsrt-local, not in this binary. Participants join, publish and subscribe through
// ivsrt-local's unsigned /_local/ admin endpoints (ivsrt/local/admin_messages.hpp), standing in
// for the IVS broadcast SDKs.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "ivsrt/client_options.hpp"
#include "ivsrt/error.hpp"
#include "ivsrt/local/admin_messages.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/transport.hpp"

namespace ivsrt_quickstart {

class local_service_process {
 public:
  // Starts `program` on a free loopback port and waits (up to 10 s) for the URL it prints first.
  static ivsrt::result<std::unique_ptr<local_service_process>> start(const std::string& program);

  // The ivsrt-local next to the running program, as the build places it.
  static std::string default_program();

  local_service_process(const local_service_process&) = delete;
  local_service_process& operator=(const local_service_process&) = delete;
  ~local_service_process();  // stops the service (SIGTERM) and waits for it to exit

  [[nodiscard]] const std::string& endpoint_url() const noexcept { return url_; }

  // Everything a client of the service needs, given explicitly, so that a developer's AWS_*
  // variables, ~/.aws files and proxy settings cannot redirect or break the local run.
  [[nodiscard]] ivsrt::client_options client_options() const;

  ivsrt::result<ivsrt::local::joined> join(const std::string& stage_arn, const ivsrt::sensitive_string& token,
                                           const std::string& os_name);
  ivsrt::result<void> publish(const std::string& stage_arn, const std::string& participant_id);
  ivsrt::result<void> subscribe(const std::string& stage_arn, const std::string& participant_id,
                                const std::string& publisher_id);

 private:
  local_service_process(pid_t pid, int output);
  ivsrt::result<std::string> admin(const std::string& path, ivsrt::result<std::string> body);

  pid_t pid_;
  int output_;  // the read end of the child's standard output
  std::string url_{};
  ivsrt::http::transport admin_transport_;
};

}  // namespace ivsrt_quickstart
