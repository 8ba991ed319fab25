// The second translation unit of the consumer program (see main.cpp): it includes the umbrella
// header and calls the client too, so inline functions, static locals and templates of the
// library are instantiated in two objects linked into one program.
#include "ivsrt/ivsrt.hpp"

int other_translation_unit() {
  auto json = ivsrt::json::to_json(ivsrt::ListStagesRequest{.maxResults = 5});
  if (!json || *json != R"({"maxResults":5})") return 3;
  auto client = ivsrt::client::create(
      {.region = "eu-west-1",
       .credentials = ivsrt::credentials{.access_key_id = "AKIDEXAMPLE", .secret_access_key = "secret"}});
  if (!client) return 4;
  auto request =
      client->dry_run(ivsrt::GetStageRequest{.arn = "arn:aws:ivs:eu-west-1:123456789012:stage/abc"});
  if (!request || request->url != "https://ivsrealtime.eu-west-1.amazonaws.com/GetStage") return 5;
  // The async engine: a request that fails validation completes through the engine, unsent.
  ivsrt::async_engine engine(*client);
  auto call = engine.start(ivsrt::GetStageRequest{.arn = ""});
  engine.run_until(call);
  auto r = call.get();
  return !r && r.error().kind == ivsrt::error_kind::validation ? 0 : 6;
}
