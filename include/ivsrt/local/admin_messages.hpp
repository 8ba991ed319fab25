// The JSON bodies of ivsrt-local's admin endpoints under /_local/, read and written by the same
// reflection as the API's shapes. The service (admin.hpp) answers them; a client of a running
// ivsrt-local needs only this header (no cpp-httplib, no local service).
//
//   GET    /_local/health                                       -> {status, region, account}
//   POST   /_local/join          {stageArn, token, [client details]} -> {participantId, sessionId}
//   POST   /_local/publish       {stageArn, participantId}
//   POST   /_local/unpublish     {stageArn, participantId}
//   POST   /_local/subscribe     {stageArn, participantId, publisherId}
//   POST   /_local/leave         {stageArn, participantId}
//   POST   /_local/ingest/start  {streamKey}                    -> {participantId, sessionId}
//   POST   /_local/ingest/stop   {streamKey}
//   POST   /_local/faults        {operation, kind, probability, times, latencyMs, status, code,
//                                  message}                     -> {id}
//   DELETE /_local/faults        (removes every fault)
//   POST   /_local/clock         {advanceSeconds}               -> {now}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ivsrt/optional.hpp"
#include "ivsrt/sensitive.hpp"
#include "ivsrt/timestamp.hpp"

namespace ivsrt::local {

inline constexpr std::string_view admin_prefix = "/_local/";

// The answer to a join (POST /_local/join, and local::service::join).
struct joined {
  std::string participantId{};
  std::string sessionId{};
};

namespace admin {

struct health {
  std::string status = "ok";
  std::string region{};
  std::string account{};
};

struct join_request {
  std::string stageArn{};
  sensitive_string token{};
  optional<std::string> ispName{};
  optional<std::string> osName{};
  optional<std::string> osVersion{};
  optional<std::string> browserName{};
  optional<std::string> browserVersion{};
  optional<std::string> sdkVersion{};
};

struct participant_request {
  std::string stageArn{};
  std::string participantId{};
};

struct subscribe_request {
  std::string stageArn{};
  std::string participantId{};
  std::string publisherId{};
};

struct ingest_request {
  sensitive_string streamKey{};
};

struct fault_request {
  optional<std::string> operation{};
  std::string kind{};
  optional<double> probability{};
  optional<std::int32_t> times{};
  optional<std::int32_t> latencyMs{};
  optional<std::int32_t> status{};
  optional<std::string> code{};
  optional<std::string> message{};
};

struct fault_added {
  std::int32_t id = 0;
};

struct clock_request {
  std::int64_t advanceSeconds = 0;
};

struct clock_now {
  timestamp now{};
};

struct empty {};

}  // namespace admin

}  // namespace ivsrt::local
