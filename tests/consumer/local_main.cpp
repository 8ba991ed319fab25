// A program that embeds the local service the way a consumer's tests would, built by run.sh
// through find_package(ivsrt) and the ivsrt::local target.
#include <cstdio>

#include "ivsrt/local/service.hpp"
#include "ivsrt/model/stage.hpp"

int main() {
  ivsrt::local::service svc;
  if (!svc.start()) return 1;
  auto client = ivsrt::client::create(svc.client_options());
  if (!client || !client->send(ivsrt::CreateStageRequest{.name = "consumer"})) return 2;
  auto stages = client->send(ivsrt::ListStagesRequest{});
  if (!stages) return 3;
  std::printf("local service: %zu stage\n", stages->stages.size());
  return 0;
}
