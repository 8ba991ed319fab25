// ivsrt-bench: what ivsrt costs on top of the network, as ratios measured in one run against
// floors that do the same work with libcurl alone. It starts its own fixed-response HTTP/1.1
// server on loopback (a child process), so it needs no network and no AWS account.
//
//   ivsrt-bench [--json] [--quick] [--calls N] [--rounds R]
//               [--profile-send N | --profile-floor N | --profile-async N | --profile-multi-floor N]
//
// Pin client and server to one core for the steadiest figures: `taskset -c 1 ivsrt-bench`
// (the server is a child process and inherits the CPU set). With --json the last line of the
// output is one JSON object holding every figure and ratio. Nothing here asserts a speed.
#include <curl/curl.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "fixed_response_server.hpp"
#include "ivsrt/async.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/json_reader.hpp"
#include "ivsrt/json_writer.hpp"
#include "ivsrt/model/participant.hpp"
#include "ivsrt/model/stage.hpp"
#include "ivsrt/sigv4.hpp"
#include "token_bench.hpp"

namespace {

using steady = std::chrono::steady_clock;

double cpu_ns(clockid_t which) {
  timespec ts{};
  clock_gettime(which, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

double elapsed_ns(steady::time_point since) {
  return static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now() - since).count());
}

// Per-operation wall and CPU time of n runs of f. CPU time is the whole process's: the client's
// own work wherever libcurl does it (the server runs in another process).
struct per_op {
  double wall_ns = 0;
  double cpu_ns = 0;
  std::size_t failed = 0;
};

template <class F>
per_op run(std::size_t n, F&& f) {
  const double cpu0 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
  const auto t0 = steady::now();
  std::size_t failed = 0;
  for (std::size_t i = 0; i < n; ++i) failed += f() ? 0 : 1;
  const double wall = elapsed_ns(t0);
  const double cpu = cpu_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
  const auto count = static_cast<double>(n);
  return {wall / count, cpu / count, failed};
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// Every figure of the run, in the order printed, for the final JSON line.
struct report {
  std::vector<std::pair<std::string, std::optional<double>>> figures;

  void add(const std::string& name, std::optional<double> value) { figures.emplace_back(name, value); }

  [[nodiscard]] std::string json() const {
    std::string out = "{";
    for (const auto& [name, value] : figures) {
      if (out.size() > 1) out += ',';
      out += '"' + name + "\":";
      if (value) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6g", *value);
        out += buf;
      } else {
        out += "null";
      }
    }
    return out + "}";
  }
};

struct options {
  bool json = false;
  std::size_t calls = 2000;  // per round and side
  std::size_t rounds = 7;
  std::size_t profile_sends = 0;        // --profile-send N: only N client.send calls, for a profiler
  std::size_t profile_floor = 0;        // --profile-floor N: only N raw libcurl calls
  std::size_t profile_async = 0;        // --profile-async N: only N calls through the async engine
  std::size_t profile_multi_floor = 0;  // --profile-multi-floor N: only N raw curl_multi calls
};

const std::string stage_arn = "arn:aws:ivs:us-west-2:123456789012:stage/abcdABCDefgh";

ivsrt::GetStageResponse sample_stage() {
  return {
      .stage = ivsrt::Stage{
          .arn = stage_arn,
          .name = "bench-stage",
          .activeSessionId = "st-a1b2c3d4e5f6g",
          .tags = {{"team", "games"}, {"env", "bench"}},
          .autoParticipantRecordingConfiguration =
              ivsrt::AutoParticipantRecordingConfiguration{
                  .storageConfigurationArn = "arn:aws:ivs:us-west-2:123456789012:storage-configuration/abcd",
                  .mediaTypes = {{ivsrt::ParticipantRecordingMediaType::AUDIO_VIDEO}}},
          .endpoints = ivsrt::StageEndpoints{
              .events = "wss://global.events.live-video.net",
              .whip = "https://f99084460c35.global-bm.whip.live-video.net",
              .rtmp = "rtmp://f99084460c35.global-contribute.live-video.net/app/",
              .rtmps = "rtmps://f99084460c35.global-contribute.live-video.net:443/app/"}}};
}

ivsrt::ListParticipantsResponse sample_participants() {
  ivsrt::ListParticipantsResponse out;
  for (int i = 0; i < 100; ++i) {
    const std::string n = std::to_string(1000 + i);
    out.participants.push_back({.participantId = "pid" + n + "abcdEFGH",
                                .userId = "player-" + n,
                                .state = ivsrt::ParticipantState::CONNECTED,
                                .firstJoinTime = ivsrt::timestamp(std::chrono::seconds(1718661122 + i)),
                                .published = i % 2 == 0,
                                .recordingState = ivsrt::ParticipantRecordingState::ACTIVE,
                                .replicationType = ivsrt::ReplicationType::NONE,
                                .replicationState = {},
                                .sourceStageArn = {},
                                .sourceSessionId = {},
                                .redundantIngest = false,
                                .ingestConfigurationArn = {}});
  }
  out.nextToken = "eyJleGNsdXNpdmVTdGFydEtleSI6bnVsbH0";
  return out;
}

ivsrt::client_options client_settings(const std::string& endpoint) {
  return {.region = "us-west-2",
          .endpoint_url = endpoint,
          .credentials = ivsrt::credentials{.access_key_id = "AKIDEXAMPLE",
                                            .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}};
}

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// The floor: one easy handle, options set once, the same signed request ivsrt sends for GetStage
// (its headers taken from ivsrt's dry run, with a signature of the same length), resent over the
// kept-alive connection.
class raw_curl_call {
 public:
  raw_curl_call(const std::string& endpoint, const ivsrt::printable_request& req) : h_(curl_easy_init()) {
    url_ = endpoint + req.url.substr(req.url.find('/', req.url.find("://") + 3));
    body_ = req.body;
    for (const auto& [name, value] : req.headers) {
      std::string v = value;
      if (const std::size_t sig = v.find("Signature="); sig != std::string::npos) {
        v = v.substr(0, sig) + "Signature=" + std::string(64, 'a');
      }
      headers_ = curl_slist_append(headers_, (name + ": " + v).c_str());
    }
    headers_ = curl_slist_append(headers_, "Expect:");
    headers_ = curl_slist_append(headers_, "Accept:");
    curl_easy_setopt(h_, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(h_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h_, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h_, CURLOPT_POSTFIELDS, body_.c_str());
    curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
    curl_easy_setopt(h_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, &write_body);
    curl_easy_setopt(h_, CURLOPT_WRITEDATA, &response_);
  }
  raw_curl_call(const raw_curl_call&) = delete;
  raw_curl_call& operator=(const raw_curl_call&) = delete;
  ~raw_curl_call() {
    curl_easy_cleanup(h_);
    curl_slist_free_all(headers_);
  }

  bool operator()() {
    response_.clear();
    if (curl_easy_perform(h_) != CURLE_OK) return false;
    long status = 0;
    curl_easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &status);
    return status == 200 && !response_.empty();
  }

  // A fresh handle configured like this one, for the curl_multi floor.
  [[nodiscard]] CURL* clone() const {
    CURL* c = curl_easy_duphandle(h_);
    return c;
  }

 private:
  CURL* h_;
  curl_slist* headers_ = nullptr;
  std::string url_;
  std::string body_;
  std::string response_;
};

// Section 1: a full GetStage call through ivsrt against the raw libcurl floor, interleaved in
// rounds so both see the same machine load; the ratios are medians of the per-round ratios.
void bench_call(const ivsrt::client& c, raw_curl_call& floor, const options& opt, report& rep) {
  const ivsrt::GetStageRequest request{.arn = stage_arn};
  auto ivsrt_call = [&] { return c.send(request).ok(); };
  run(opt.calls / 4, floor);  // warm up connections, caches and the signing key
  run(opt.calls / 4, ivsrt_call);
  std::vector<double> wall_ratio, cpu_ratio, floor_wall, floor_cpu, lib_wall, lib_cpu;
  std::size_t failed = 0;
  for (std::size_t r = 0; r < opt.rounds; ++r) {
    const per_op f = run(opt.calls, floor);
    const per_op l = run(opt.calls, ivsrt_call);
    failed += f.failed + l.failed;
    floor_wall.push_back(f.wall_ns);
    floor_cpu.push_back(f.cpu_ns);
    lib_wall.push_back(l.wall_ns);
    lib_cpu.push_back(l.cpu_ns);
    wall_ratio.push_back(l.wall_ns / f.wall_ns);
    cpu_ratio.push_back(l.cpu_ns / f.cpu_ns);
  }
  const double fw = median(floor_wall), fc = median(floor_cpu), lw = median(lib_wall), lc = median(lib_cpu);
  std::printf("GetStage call (%zu rounds of %zu calls each side, medians)\n", opt.rounds, opt.calls);
  std::printf("  raw libcurl floor   %8.2f us wall  %8.2f us CPU\n", fw / 1e3, fc / 1e3);
  std::printf("  ivsrt client.send   %8.2f us wall  %8.2f us CPU  (+%.2f us CPU)\n", lw / 1e3, lc / 1e3,
              (lc - fc) / 1e3);
  std::printf("  call_wall_ratio %.3f (target <= 1.10)  call_cpu_ratio %.3f (target <= 1.30)%s\n",
              median(wall_ratio), median(cpu_ratio), failed != 0 ? "  SOME CALLS FAILED" : "");
  rep.add("floor_call_wall_us", fw / 1e3);
  rep.add("floor_call_cpu_us", fc / 1e3);
  rep.add("ivsrt_call_wall_us", lw / 1e3);
  rep.add("ivsrt_call_cpu_us", lc / 1e3);
  rep.add("call_wall_ratio", median(wall_ratio));
  rep.add("call_cpu_ratio", median(cpu_ratio));
  rep.add("call_failures", static_cast<double>(failed));
}

// ns per operation (thread CPU, so other processes on the machine do not count) of f, best of
// a few repetitions.
template <class F>
double ns_per_op(std::size_t n, F&& f) {
  std::vector<double> reps;
  for (int r = 0; r < 5; ++r) {
    const double t0 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
    for (std::size_t i = 0; i < n; ++i) f();
    reps.push_back((cpu_ns(CLOCK_THREAD_CPUTIME_ID) - t0) / static_cast<double>(n));
  }
  return *std::min_element(reps.begin(), reps.end());
}

void print_component(report& rep, const char* label, const std::string& key, double ns, std::size_t bytes) {
  const double mb_s = static_cast<double>(bytes) / ns * 1e3;  // bytes/ns -> MB/s
  std::printf("  %-34s %9.0f ns/op %8.1f MB/s (%zu bytes)\n", label, ns, mb_s, bytes);
  rep.add(key + "_ns", ns);
  rep.add(key + "_mb_s", mb_s);
}

volatile std::size_t sink = 0;

// Section 2: the parts of a call alone. MB/s counts the JSON bytes written or parsed; for
// signing, the payload plus the canonical request it hashes.
void bench_components(const options& opt, report& rep) {
  std::printf("Parts of a call (thread CPU, best of 5)\n");
  const std::size_t n = opt.calls * 5;
  const ivsrt::sigv4::signer signer("us-west-2", "ivs");
  const ivsrt::credentials creds = *client_settings("").credentials;
  const std::string body = R"({"arn":")" + stage_arn + R"("})";
  const ivsrt::sigv4::request req{
      .method = "POST",
      .path = "/GetStage",
      .query = {},
      .headers = {{"Host", "ivsrealtime.us-west-2.amazonaws.com"}, {"Content-Type", "application/json"}},
      .payload = body};
  const ivsrt::timestamp now =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  const std::size_t canonical = signer.sign(req, creds, now).canonical_request.size();
  print_component(rep, "sign GetStage (SigV4)", "sign",
                  ns_per_op(n, [&] { sink = sink + signer.sign(req, creds, now).signature.size(); }),
                  body.size() + canonical);

  const ivsrt::GetStageRequest get{.arn = stage_arn};
  const ivsrt::GetStageResponse small = sample_stage();
  const ivsrt::ListParticipantsResponse large = sample_participants();
  const std::string small_json = *ivsrt::json::to_json(small);
  const std::string large_json = *ivsrt::json::to_json(large);
  std::string out;
  out.reserve(large_json.size() + 64);
  print_component(rep, "write GetStage request JSON", "write_request",
                  ns_per_op(n,
                            [&] {
                              out.clear();
                              ivsrt::json::writer w(out);
                              sink = sink + (w.value(get) ? out.size() : 0);
                            }),
                  body.size());
  print_component(rep, "write GetStage response JSON", "write_small",
                  ns_per_op(n,
                            [&] {
                              out.clear();
                              ivsrt::json::writer w(out);
                              sink = sink + (w.value(small) ? out.size() : 0);
                            }),
                  small_json.size());
  print_component(rep, "write ListParticipants (100) JSON", "write_large",
                  ns_per_op(n / 20 + 1,
                            [&] {
                              out.clear();
                              ivsrt::json::writer w(out);
                              sink = sink + (w.value(large) ? out.size() : 0);
                            }),
                  large_json.size());
  std::string padded_small = small_json;
  padded_small.reserve(small_json.size() + ivsrt::json::padding);
  std::string padded_large = large_json;
  padded_large.reserve(large_json.size() + ivsrt::json::padding);
  print_component(
      rep, "parse GetStage response", "parse_small",
      ns_per_op(n,
                [&] {
                  ivsrt::GetStageResponse r;
                  sink =
                      sink + (ivsrt::json::from_json(padded_small, padded_small.capacity(), r).ok() ? 1 : 0);
                }),
      small_json.size());
  print_component(
      rep, "parse ListParticipants (100)", "parse_large",
      ns_per_op(n / 20 + 1,
                [&] {
                  ivsrt::ListParticipantsResponse r;
                  sink =
                      sink + (ivsrt::json::from_json(padded_large, padded_large.capacity(), r).ok() ? 1 : 0);
                }),
      large_json.size());
  // The reader's DOM parser runs the kernel simdjson detects at run time.
  std::printf("  simdjson kernel: %s\n", std::string(simdjson::get_active_implementation()->name()).c_str());
}

// Section 3: client::create with region, endpoint and credentials given: no network, no probes.
void bench_construction(const std::string& endpoint, const options& opt, report& rep) {
  const std::size_t n = std::max<std::size_t>(opt.calls / 10, 20);
  std::vector<double> walls;
  for (int r = 0; r < 5; ++r) {
    walls.push_back(run(n, [&] { return ivsrt::client::create(client_settings(endpoint)).ok(); }).wall_ns);
  }
  const double us = *std::min_element(walls.begin(), walls.end()) / 1e3;
  std::printf("client::create with explicit settings: %.2f us\n", us);
  rep.add("client_create_us", us);
}

// Section 4: participant tokens minted and verified locally (ES384), one thread.
void bench_tokens(const options& opt, report& rep) {
  auto key = ivsrt::tokens::private_key::generate();
  if (!key) return;
  const std::string arn = "arn:aws:ivs:us-west-2:123456789012:public-key/benchKey";
  auto signer = ivsrt::tokens::participant_token_signer::create(*key, arn);
  auto verifier = ivsrt::tokens::participant_token_verifier::create(*key->public_part(), arn);
  if (!signer || !verifier) return;
  const ivsrt::tokens::mint_request request{.stage_arn = stage_arn,
                                            .events_url = "wss://global.events.live-video.net",
                                            .whip_url = "https://benchstage.global-bm.whip.live-video.net",
                                            .user_id = "player-1234",
                                            .attributes = {{"team", "red"}}};
  const std::string token = signer->mint(request)->token.reveal();
  const std::size_t n = std::max<std::size_t>(opt.calls, 200);
  const auto m = ivsrt_bench::mint_tokens(*signer, request, n, 1);
  const auto v = ivsrt_bench::verify_tokens(*verifier, token, n, 1);
  std::printf(
      "participant tokens, 1 thread: %.0f minted/s (%.0f per CPU-s), %.0f verified/s (%.0f per CPU-s)\n",
      m.per_second(), m.per_cpu_second(), v.per_second(), v.per_cpu_second());
  rep.add("token_mint_per_s", m.per_second());
  rep.add("token_mint_per_cpu_s", m.per_cpu_second());
  rep.add("token_verify_per_s", v.per_second());
  rep.add("token_verify_per_cpu_s", v.per_cpu_second());
}

// Calls per second of the raw curl_multi floor: `connections` transfers in flight at once on this
// thread, each handle re-added as soon as it completes, until `total` calls are done.
double multi_floor_calls_per_s(const raw_curl_call& prototype, int connections, std::size_t total) {
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(connections));
  std::vector<CURL*> handles;
  std::vector<std::string> bodies(static_cast<std::size_t>(connections));
  for (int i = 0; i < connections; ++i) {
    CURL* h = prototype.clone();
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &bodies[static_cast<std::size_t>(i)]);
    curl_easy_setopt(h, CURLOPT_PRIVATE, &bodies[static_cast<std::size_t>(i)]);
    handles.push_back(h);
  }
  std::size_t started = 0;
  std::size_t done = 0;
  for (CURL* h : handles) {
    if (started < total) {
      curl_multi_add_handle(multi, h);
      ++started;
    }
  }
  const auto t0 = steady::now();
  int running = 0;
  while (done < total) {
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* h = msg->easy_handle;
      ++done;
      curl_multi_remove_handle(multi, h);
      char* priv = nullptr;
      curl_easy_getinfo(h, CURLINFO_PRIVATE, &priv);
      reinterpret_cast<std::string*>(priv)->clear();
      if (started < total) {
        curl_multi_add_handle(multi, h);
        ++started;
      }
    }
    if (done < total) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  const double wall = elapsed_ns(t0);
  for (CURL* h : handles) {
    curl_multi_remove_handle(multi, h);
    curl_easy_cleanup(h);
  }
  curl_multi_cleanup(multi);
  return static_cast<double>(total) * 1e9 / wall;
}

// Calls per second of `threads` threads calling client.send (blocking) on one shared client.
double blocking_threads_calls_per_s(const ivsrt::client& c, unsigned threads, std::size_t total) {
  std::atomic<std::size_t> next{0};
  const ivsrt::GetStageRequest request{.arn = stage_arn};
  std::vector<std::thread> pool;
  const auto t0 = steady::now();
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      while (next.fetch_add(1) < total) sink = sink + (c.send(request).ok() ? 1 : 0);
    });
  }
  for (auto& th : pool) th.join();
  return static_cast<double>(total) * 1e9 / elapsed_ns(t0);
}

// Calls per second of the ivsrt async engine on one client: `connections` GetStage calls in flight
// at once on this thread, driven by run_once, each completion starting the next call until `total`
// are done; at most `connections` connections, like the raw curl_multi floor.
std::optional<double> bench_async_engine(const ivsrt::client& c, int connections, std::size_t total) {
  ivsrt::async_engine engine(c, {.background_thread = false,
                                 .watcher = nullptr,
                                 .max_host_connections = connections,
                                 .max_total_connections = connections});
  const ivsrt::GetStageRequest request{.arn = stage_arn};
  std::size_t started = 0;
  std::size_t failed = 0;
  std::function<void()> start_one = [&] {
    ++started;
    engine.start(request, [&](ivsrt::result<ivsrt::GetStageResponse> r) {
      if (!r) ++failed;
      if (started < total) start_one();
    });
  };
  const auto t0 = steady::now();
  for (int i = 0; i < connections && started < total; ++i) start_one();
  while (engine.in_flight() > 0) engine.run_once(std::chrono::milliseconds(100));
  const double wall = elapsed_ns(t0);
  if (failed > 0) {
    std::fprintf(stderr, "ivsrt-bench: %zu async calls failed\n", failed);
    return std::nullopt;
  }
  return static_cast<double>(total) * 1e9 / wall;
}

void bench_throughput(const ivsrt::client& c, const raw_curl_call& prototype, const options& opt,
                      report& rep) {
  constexpr int connections = 64;
  const std::size_t total = opt.calls * 4;
  multi_floor_calls_per_s(prototype, connections, total / 4);  // opens the connections
  std::vector<double> floor, blocking;
  for (int r = 0; r < 3; ++r) {
    floor.push_back(multi_floor_calls_per_s(prototype, connections, total));
    blocking.push_back(blocking_threads_calls_per_s(c, 8, total));
  }
  const double f = median(floor);
  const double b = median(blocking);
  std::printf("Throughput (GetStage, %zu calls, median of 3)\n", total);
  std::printf("  raw curl_multi floor, %d in flight on 1 thread  %9.0f calls/s\n", connections, f);
  std::printf("  ivsrt, 8 blocking threads, one client           %9.0f calls/s  (%.3f x the floor)\n", b,
              b / f);
  rep.add("multi_floor_calls_per_s", f);
  rep.add("blocking8_calls_per_s", b);
  rep.add("blocking8_vs_multi_floor_ratio", b / f);
  bench_async_engine(c, connections, total / 4);  // opens the engine's connections
  std::vector<double> async_runs;
  for (int r = 0; r < 3; ++r) {
    if (auto a = bench_async_engine(c, connections, total)) async_runs.push_back(*a);
  }
  const std::optional<double> async =
      async_runs.size() == 3 ? std::optional<double>(median(async_runs)) : std::nullopt;
  if (async) {
    std::printf("  ivsrt async engine, %d in flight on 1 thread  %9.0f calls/s  (%.3f x the floor)\n",
                connections, *async, *async / f);
  } else {
    std::printf("  ivsrt async engine: calls failed (async_throughput_ratio null)\n");
  }
  rep.add("async_calls_per_s", async);
  rep.add("async_throughput_ratio", async ? std::optional<double>(*async / f) : std::nullopt);
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--json") {
      opt.json = true;
    } else if (a == "--quick") {
      opt.calls = 300;
      opt.rounds = 3;
    } else if (a == "--calls" && i + 1 < argc) {
      opt.calls = std::max<std::size_t>(std::strtoul(argv[++i], nullptr, 10), 8);
    } else if (a == "--profile-send" && i + 1 < argc) {
      opt.profile_sends = std::strtoul(argv[++i], nullptr, 10);
    } else if (a == "--profile-floor" && i + 1 < argc) {
      opt.profile_floor = std::strtoul(argv[++i], nullptr, 10);
    } else if (a == "--profile-async" && i + 1 < argc) {
      opt.profile_async = std::strtoul(argv[++i], nullptr, 10);
    } else if (a == "--profile-multi-floor" && i + 1 < argc) {
      opt.profile_multi_floor = std::strtoul(argv[++i], nullptr, 10);
    } else if (a == "--rounds" && i + 1 < argc) {
      opt.rounds = std::max<std::size_t>(std::strtoul(argv[++i], nullptr, 10), 1);
    } else {
      std::fprintf(stderr,
                   "usage: ivsrt-bench [--json] [--quick] [--calls N] [--rounds R] [--profile-send N] "
                   "[--profile-floor N] [--profile-async N] [--profile-multi-floor N]\n");
      return 2;
    }
  }
  // The server forks before this process starts any thread.
  const ivsrt_bench::fixed_response_server server(
      {.small_body = *ivsrt::json::to_json(sample_stage()),
       .large_body = *ivsrt::json::to_json(sample_participants())});
  if (!server.ok()) {
    std::fprintf(stderr, "ivsrt-bench: cannot start the loopback server\n");
    return 1;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  auto c = ivsrt::client::create(client_settings(server.url()));
  if (!c) {
    std::fprintf(stderr, "ivsrt-bench: %s\n", c.error().describe().c_str());
    return 1;
  }
  auto printed = c->dry_run(ivsrt::GetStageRequest{.arn = stage_arn});
  if (!printed) return 1;
  raw_curl_call floor(server.url(), *printed);
  if (!floor() || !c->send(ivsrt::GetStageRequest{.arn = stage_arn})) {
    std::fprintf(stderr, "ivsrt-bench: the loopback server did not answer\n");
    return 1;
  }
  if (opt.profile_floor > 0) {
    const per_op p = run(opt.profile_floor, floor);
    std::printf("%zu raw calls: %.2f us wall, %.2f us CPU per call\n", opt.profile_floor, p.wall_ns / 1e3,
                p.cpu_ns / 1e3);
    return p.failed == 0 ? 0 : 1;
  }
  if (opt.profile_sends > 0) {
    const ivsrt::GetStageRequest request{.arn = stage_arn};
    const per_op p = run(opt.profile_sends, [&] { return c->send(request).ok(); });
    std::printf("%zu sends: %.2f us wall, %.2f us CPU per call\n", opt.profile_sends, p.wall_ns / 1e3,
                p.cpu_ns / 1e3);
    return p.failed == 0 ? 0 : 1;
  }
  if (opt.profile_async > 0) {
    const std::optional<double> rate = bench_async_engine(*c, 64, opt.profile_async);
    if (rate) std::printf("%zu async calls: %.0f calls/s\n", opt.profile_async, *rate);
    return rate ? 0 : 1;
  }
  if (opt.profile_multi_floor > 0) {
    const double rate = multi_floor_calls_per_s(floor, 64, opt.profile_multi_floor);
    std::printf("%zu raw curl_multi calls: %.0f calls/s\n", opt.profile_multi_floor, rate);
    return 0;
  }
  std::printf("ivsrt-bench: server %s, libcurl %s\n", server.url().c_str(),
              curl_version_info(CURLVERSION_NOW)->version);
  report rep;
  bench_call(*c, floor, opt, rep);
  bench_components(opt, rep);
  bench_construction(server.url(), opt, rep);
  bench_tokens(opt, rep);
  bench_throughput(*c, floor, opt, rep);
  if (opt.json) std::printf("%s\n", rep.json().c_str());
  return 0;
}
