// quickstart: lists the stages of the account in the region, with credentials and region from the
// environment or the shared config files (AWS_REGION, AWS_PROFILE, ...). Exits 1 with the
// library's message when something is missing.
#include <cstdio>

#include "ivsrt/client.hpp"
#include "ivsrt/model/stage.hpp"

int main() {
  auto client = ivsrt::client::create();
  if (!client) {
    std::fprintf(stderr, "%s\n", client.error().describe().c_str());
    return 1;
  }
  int count = 0;
  for (auto& stage : client->paginate(ivsrt::ListStagesRequest{.maxResults = 50}).items()) {
    if (!stage) {
      std::fprintf(stderr, "%s\n", stage.error().describe().c_str());
      return 1;
    }
    std::printf("%s %s\n", stage->arn.c_str(), stage->name.value_or("").c_str());
    ++count;
  }
  std::printf("%d stage(s) in %s\n", count, client->region().c_str());
  return 0;
}
