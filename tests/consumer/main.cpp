// A program that uses ivsrt the way a consumer would: built by run.sh through find_package,
// add_subdirectory, pkg-config and a Meson subproject (and once with -fno-exceptions -fno-rtti).
// Two translation units include the umbrella header and call the client, so ODR problems in the
// headers would show up at link time.
#include <cstdio>

#include "ivsrt/ivsrt.hpp"

int other_translation_unit();

int main() {
  auto client = ivsrt::client::create(
      {.region = "us-west-2",
       .credentials = ivsrt::credentials{.access_key_id = "AKIDEXAMPLE", .secret_access_key = "secret"}});
  if (!client) return 1;
  auto request =
      client->dry_run(ivsrt::GetStageRequest{.arn = "arn:aws:ivs:us-west-2:123456789012:stage/abc"});
  if (!request) return 2;
  std::printf("%s %s\n", request->method.c_str(), request->url.c_str());
  return other_translation_unit();
}
