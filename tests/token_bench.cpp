// ivsrt-token-bench [N]: participant tokens minted and verified per second, on 1 thread and on
// every hardware thread, and IVS events parsed per second. Not run by ctest.
#include "token_bench.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "ivsrt/events/ivs_realtime_event.hpp"

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? static_cast<std::size_t>(std::strtoul(argv[1], nullptr, 10)) : 2000;
  auto key = ivsrt::tokens::private_key::generate();
  const std::string arn = "arn:aws:ivs:us-west-2:123456789012:public-key/benchKey";
  auto signer = ivsrt::tokens::participant_token_signer::create(*key, arn);
  auto verifier = ivsrt::tokens::participant_token_verifier::create(*key->public_part(), arn);
  if (!signer || !verifier) return 1;
  const ivsrt::tokens::mint_request request{
      .stage_arn = "arn:aws:ivs:us-west-2:123456789012:stage/benchStage",
      .events_url = "wss://global.events.live-video.net",
      .whip_url = "https://benchstage.global-bm.whip.live-video.net",
      .user_id = "player-1234",
      .attributes = {{"team", "red"}, {"seat", "4"}}};
  const std::string token = signer->mint(request)->token.reveal();
  const unsigned hw = std::thread::hardware_concurrency() == 0 ? 1 : std::thread::hardware_concurrency();
  for (unsigned threads : {1U, hw}) {
    const auto m = ivsrt_bench::mint_tokens(*signer, request, n, threads);
    const auto v = ivsrt_bench::verify_tokens(*verifier, token, n, threads);
    std::printf(
        "threads=%u mint: %.0f tokens/s wall, %.0f per CPU-second (%zu ok, %zu failed); "
        "verify: %.0f tokens/s wall, %.0f per CPU-second\n",
        threads, m.per_second(), m.per_cpu_second(), m.done, m.failed, v.per_second(), v.per_cpu_second());
  }
  const std::string event =
      R"({"version":"0","id":"01234567-0123-0123-0123-0123456789ab","detail-type":"IVS Stage Update",)"
      R"("source":"aws.ivs","account":"123456789012","time":"2024-06-17T22:12:02Z","region":"us-west-2",)"
      R"("resources":["arn:aws:ivs:us-west-2:123456789012:stage/abcdABCD1234"],"detail":{"session_id":)"
      R"("st-ZyXwVuTsRqPo","event_name":"Participant Published","user_id":"bob","participant_id":"xYz1c2d3e4f"}})";
  const std::size_t events = n * 50;
  const auto start = std::chrono::steady_clock::now();
  std::size_t parsed = 0;
  for (std::size_t i = 0; i < events; ++i)
    parsed += ivsrt::events::parse_ivs_realtime_event(event).ok() ? 1 : 0;
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start);
  std::printf("events: %.0f parsed/s (%zu ok)\n",
              static_cast<double>(parsed) * 1e9 / static_cast<double>(ns.count()), parsed);
  return 0;
}
