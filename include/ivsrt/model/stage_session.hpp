// Stage sessions: one continuous period in which a stage has participants.
// Operations: GetStageSession, ListStageSessions.
// Generated from the ivs-realtime 2020-07-14 service model by cmake/generate_model.py;
// members carry the model's wire names, comments its constraints.
#pragma once

#include "ivsrt/model/common.hpp"

namespace ivsrt {

struct GetStageSessionRequest {
  std::string stageArn{};   // required, StageArn, 1..128 chars
  std::string sessionId{};  // required, StageSessionId, 16..16 chars
};

template <>
struct constraints<GetStageSessionRequest> {
  static constexpr std::array<limit, 2> members{
      {{.member = "stageArn", .min = 1, .max = 128}, {.member = "sessionId", .min = 16, .max = 16}}};
};

struct StageSession {
  optional<std::string> sessionId{};  // StageSessionId, 16..16 chars
  optional<Time> startTime{};
  optional<Time> endTime{};
};

struct GetStageSessionResponse {
  optional<StageSession> stageSession{};
};

struct ListStageSessionsRequest {
  std::string stageArn{};               // required, StageArn, 1..128 chars
  optional<std::string> nextToken{};    // PaginationToken, 0..1024 chars
  optional<std::int32_t> maxResults{};  // MaxStageSessionResults, 1..100
};

template <>
struct constraints<ListStageSessionsRequest> {
  static constexpr std::array<limit, 3> members{{{.member = "stageArn", .min = 1, .max = 128},
                                                 {.member = "nextToken", .min = 0, .max = 1024},
                                                 {.member = "maxResults", .min = 1, .max = 100}}};
};

struct StageSessionSummary {
  optional<std::string> sessionId{};  // StageSessionId, 16..16 chars
  optional<Time> startTime{};
  optional<Time> endTime{};
};

using StageSessionList = std::vector<StageSessionSummary>;

struct ListStageSessionsResponse {
  StageSessionList stageSessions{};   // required
  optional<std::string> nextToken{};  // PaginationToken, 0..1024 chars
};

template <>
struct operation<GetStageSessionRequest> : operation_defaults {
  using output = GetStageSessionResponse;
  static constexpr std::string_view name = "GetStageSession";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/GetStageSession";
};

template <>
struct operation<ListStageSessionsRequest> : operation_defaults {
  using output = ListStageSessionsResponse;
  static constexpr std::string_view name = "ListStageSessions";
  static constexpr std::string_view method = "POST";
  static constexpr std::string_view uri = "/ListStageSessions";
  static constexpr pagination paging{"nextToken", "nextToken", "maxResults", "stageSessions"};
};

}  // namespace ivsrt
