// ivsrt-local: the local IVS real-time service as a program, for the AWS CLI, boto3, other SDKs
// and test harnesses in any language. Runs until SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "ivsrt/local/service.hpp"
#include "ivsrt/version.hpp"

namespace {

constexpr const char* usage = R"(usage: ivsrt-local [options]

A local stand-in for Amazon IVS real-time that speaks the real wire protocol.
Point any client at it, e.g.
  aws ivs-realtime list-stages --endpoint-url http://127.0.0.1:PORT --region us-east-1
with AWS_ACCESS_KEY_ID=test and AWS_SECRET_ACCESS_KEY=test.

options:
  --port N                    port to listen on (default: a free port, printed at start)
  --host ADDRESS              address to listen on (default 127.0.0.1)
  --tls                       serve HTTPS with a certificate from a CA made at start
  --tls-dir DIR               where to write the CA certificate, ca.pem (default: a temporary directory)
  --state FILE                keep the state in FILE, saved after every change, loaded at start
  --credentials KEY:SECRET    accept this access key (repeatable; replaces the default test:test)
  --region REGION             region of the service and its ARNs (default us-east-1)
  --account ID                account id in ARNs (default 123456789012)
  --fault SPEC                inject a fault: OPERATION:KIND[:key=value...] (repeatable)
                              KIND is error, throttle, latency, drop or drop_response; keys are
                              rate (0..1), times, ms, status, code, message. Examples:
                                CreateStage:throttle:times=2
                                *:error:rate=0.1:status=503:code=ServiceUnavailable
                                ListStages:latency:ms=250
  --quota NAME=N              set a quota: stages, active_compositions, encoder_configurations,
                              storage_configurations, ingest_configurations, public_keys,
                              participants_per_stage, publishers_per_stage
  --composition-transition MS time a composition spends STARTING and STOPPING (default 500)
  --idle-composition-timeout S  a composition stops after its stage is empty this long (default 60)
  --seed N                    seed for identifiers and fault probabilities (default: random)
  --no-admin                  turn off the /_local/ admin endpoints (participants, faults, clock)
  --verbose                   log every request to standard error (never secrets)
  --help, --version
)";

bool parse_number(std::string_view text, long long& out) {
  if (text.empty() || text.size() > 18) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool set_quota(ivsrt::local::quotas& q, std::string_view spec, std::string& why) {
  const std::size_t eq = spec.find('=');
  long long n = 0;
  if (eq == std::string_view::npos || !parse_number(spec.substr(eq + 1), n) || n > 1000000) {
    why = "--quota expects NAME=N";
    return false;
  }
  const std::string_view name = spec.substr(0, eq);
  const auto v = static_cast<std::int32_t>(n);
  if (name == "stages")
    q.stages = v;
  else if (name == "active_compositions")
    q.active_compositions = v;
  else if (name == "encoder_configurations")
    q.encoder_configurations = v;
  else if (name == "storage_configurations")
    q.storage_configurations = v;
  else if (name == "ingest_configurations")
    q.ingest_configurations = v;
  else if (name == "public_keys")
    q.public_keys = v;
  else if (name == "participants_per_stage")
    q.participants_per_stage = v;
  else if (name == "publishers_per_stage")
    q.publishers_per_stage = v;
  else {
    why = "unknown quota \"" + std::string(name) + "\"";
    return false;
  }
  return true;
}

int fail_usage(const std::string& why) {
  std::cerr << "ivsrt-local: " << why << "\n(see ivsrt-local --help)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ivsrt::local::service_options opts;
  std::vector<ivsrt::local::fault> faults;
  bool credentials_given = false;
  bool verbose = false;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    auto value = [&](std::string_view& out) {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    std::string_view v;
    long long n = 0;
    std::string why;
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      return 0;
    } else if (arg == "--version") {
      std::cout << "ivsrt-local " << ivsrt::version << "\n";
      return 0;
    } else if (arg == "--tls") {
      opts.tls = true;
    } else if (arg == "--no-admin") {
      opts.admin_endpoints = false;
    } else if (arg == "--verbose") {
      verbose = true;
    } else if (!value(v)) {
      return fail_usage("unknown option or missing value: " + std::string(arg));
    } else if (arg == "--port") {
      if (!parse_number(v, n) || n > 65535) return fail_usage("--port expects a number 0..65535");
      opts.port = static_cast<std::uint16_t>(n);
    } else if (arg == "--host") {
      opts.host = std::string(v);
    } else if (arg == "--tls-dir") {
      opts.tls_directory = std::string(v);
    } else if (arg == "--state") {
      opts.state_file = std::string(v);
    } else if (arg == "--credentials") {
      const std::size_t colon = v.find(':');
      if (colon == std::string_view::npos || colon == 0 || colon + 1 == v.size()) {
        return fail_usage("--credentials expects KEY:SECRET");
      }
      if (!credentials_given) opts.credentials.clear();
      credentials_given = true;
      opts.credentials.push_back(
          {std::string(v.substr(0, colon)), ivsrt::sensitive_string(v.substr(colon + 1))});
    } else if (arg == "--region") {
      opts.region = std::string(v);
    } else if (arg == "--account") {
      if (!parse_number(v, n) || v.size() != 12) return fail_usage("--account expects a 12-digit account id");
      opts.account = std::string(v);
    } else if (arg == "--fault") {
      auto f = ivsrt::local::parse_fault(v);
      if (!f) return fail_usage(f.error().message);
      faults.push_back(std::move(*f));
    } else if (arg == "--quota") {
      if (!set_quota(opts.limits, v, why)) return fail_usage(why);
    } else if (arg == "--composition-transition") {
      if (!parse_number(v, n)) return fail_usage("--composition-transition expects milliseconds");
      opts.composition_transition = std::chrono::milliseconds(n);
    } else if (arg == "--idle-composition-timeout") {
      if (!parse_number(v, n)) return fail_usage("--idle-composition-timeout expects seconds");
      opts.idle_composition_timeout = std::chrono::seconds(n);
    } else if (arg == "--seed") {
      if (!parse_number(v, n)) return fail_usage("--seed expects a number");
      opts.seed = static_cast<std::uint64_t>(n);
    } else {
      return fail_usage("unknown option: " + std::string(arg));
    }
  }
  if (verbose) opts.log = [](std::string_view line) { std::cerr << "ivsrt-local: " << line << std::endl; };

  // Signals are taken by sigwait below; every thread the service starts inherits this mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  ivsrt::local::service svc(opts);
  for (auto& f : faults) svc.add_fault(std::move(f));
  auto started = svc.start();
  if (!started) {
    std::cerr << "ivsrt-local: " << started.error().message << "\n";
    return 1;
  }
  std::cout << "ivsrt-local listening on " << svc.endpoint_url() << "\n"
            << "  region " << svc.region() << ", account " << svc.account() << "\n"
            << "  credentials:";
  for (const auto& k : opts.credentials) std::cout << " " << k.id;
  std::cout << " (secrets not shown)\n";
  if (opts.tls) std::cout << "  CA certificate: " << svc.ca_file() << "\n";
  std::cout << "  state: " << (opts.state_file.empty() ? std::string("in memory only") : opts.state_file)
            << "\n";
  if (opts.admin_endpoints) std::cout << "  admin endpoints: " << svc.endpoint_url() << "/_local/\n";
  std::cout << std::flush;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cout << "ivsrt-local: stopping" << std::endl;
  svc.stop();
  return 0;
}
