// A game-loop style use of the async engine: every frame calls poll(), which never blocks, while
// a walk over all stages and a GetStage for each stage found run in the background of the frame
// loop, on the same thread. Credentials and region come from the usual places (environment,
// profile, ...); --endpoint-url points it at an emulator.
//
//   async_stages [--region us-west-2] [--endpoint-url http://127.0.0.1:4566] [--max-stages 20]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

#include "ivsrt/async.hpp"
#include "ivsrt/model/stage.hpp"

namespace {

struct arguments {
  std::string region;
  std::string endpoint_url;
  int max_stages = 20;
};

bool parse(int argc, char** argv, arguments& out) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) return false;
    if (a == "--region") {
      out.region = argv[++i];
    } else if (a == "--endpoint-url") {
      out.endpoint_url = argv[++i];
    } else if (a == "--max-stages") {
      out.max_stages = std::atoi(argv[++i]);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  arguments args;
  if (!parse(argc, argv, args)) {
    std::fprintf(stderr, "usage: async_stages [--region R] [--endpoint-url URL] [--max-stages N]\n");
    return 2;
  }
  auto client = ivsrt::client::create({.region = args.region, .endpoint_url = args.endpoint_url});
  if (!client) {
    std::fprintf(stderr, "%s\n", client.error().describe().c_str());
    return 1;
  }
  ivsrt::async_engine engine(*client);

  int stages_seen = 0;
  int details = 0;
  bool failed = false;
  // Each page's callback runs inside poll(), on this thread, and starts a GetStage per stage.
  auto walk = engine.for_each_page(
      ivsrt::ListStagesRequest{.maxResults = 50}, [&](ivsrt::result<ivsrt::ListStagesResponse> page) {
        if (!page) {
          std::fprintf(stderr, "ListStages: %s\n", page.error().describe().c_str());
          failed = true;
          return false;
        }
        for (const auto& summary : page->stages) {
          if (stages_seen++ >= args.max_stages) return false;
          engine.start(
              ivsrt::GetStageRequest{.arn = summary.arn}, [&](ivsrt::result<ivsrt::GetStageResponse> stage) {
                if (!stage) {
                  std::fprintf(stderr, "GetStage: %s\n", stage.error().describe().c_str());
                  failed = true;
                  return;
                }
                ++details;
                std::printf("%s  %s\n", stage->stage->arn.c_str(), stage->stage->name.value_or("").c_str());
              });
        }
        return true;
      });

  // The frame loop: ~60 frames per second, the network never holds a frame up.
  using clock = std::chrono::steady_clock;
  constexpr auto frame = std::chrono::microseconds(16667);
  const auto started = clock::now();
  long frames = 0;
  while (!walk.done() || engine.in_flight() > 0) {
    const auto frame_start = clock::now();
    engine.poll();
    ++frames;  // ... simulate and render the frame here ...
    if (clock::now() - started > std::chrono::seconds(30)) {
      std::fprintf(stderr, "giving up after 30 s\n");
      walk.cancel();
    }
    std::this_thread::sleep_until(frame_start + frame);
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started).count();
  std::printf("%d stage(s) described over %ld frames (%lld ms)\n", details, frames,
              static_cast<long long>(ms));
  return failed ? 1 : 0;
}
