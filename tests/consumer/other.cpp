// The second translation unit of the consumer program (see main.cpp).
#include "ivsrt/ivsrt.hpp"

int other_translation_unit() {
  auto json = ivsrt::json::to_json(ivsrt::ListStagesRequest{.maxResults = 5});
  if (!json || *json != R"({"maxResults":5})") return 3;
  // The async engine: a request that fails validation completes through the engine, unsent.
  auto client = ivsrt::client::create({.region = "us-west-2",
                                       .credentials = ivsrt::credentials{.access_key_id = "AKIDEXAMPLE",
                                                                         .secret_access_key = "secret"}});
  if (!client) return 4;
  ivsrt::async_engine engine(*client);
  auto call = engine.start(ivsrt::GetStageRequest{.arn = ""});
  engine.run_until(call);
  auto r = call.get();
  return !r && r.error().kind == ivsrt::error_kind::validation ? 0 : 5;
}
