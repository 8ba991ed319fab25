// Endpoint resolution against botocore, an implementation no one here wrote: its rule-set
// resolver with its own copy of the rule set and partitions for every region and flag
// combination, and its whole client setup for the configured-endpoint precedence. Skipped when
// python3 with botocore is not installed.
#include <cstdio>
#include <sstream>

#include "catch.hpp"
#include "ivsrt/client.hpp"
#include "ivsrt/endpoint_rules.hpp"
#include "test_env.hpp"

using namespace ivsrt;
using ivsrt_test::temp_file;

namespace {

bool have_botocore() {
  return std::system("python3 -c 'import botocore' >/dev/null 2>&1") == 0;
}

std::vector<std::string> run_lines(const std::string& command) {
  std::vector<std::string> lines;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string current;
  for (int c = std::fgetc(p); c != EOF; c = std::fgetc(p)) {
    if (c == '\n') {
      lines.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(c);
    }
  }
  REQUIRE(::pclose(p) == 0);
  return lines;
}

const char* const kRuleSetScript = R"(import sys
import botocore.loaders
from botocore.endpoint_provider import EndpointProvider
from botocore.exceptions import EndpointResolutionError
loader = botocore.loaders.create_loader()
provider = EndpointProvider(loader.load_service_model('ivs-realtime', 'endpoint-rule-set-1'),
                            loader.load_data('partitions'))
for line in open(sys.argv[1]):
    region, fips, dual, endpoint = line.rstrip('\n').split('\t')
    params = {'UseFIPS': fips == '1', 'UseDualStack': dual == '1'}
    if region != '-':
        params['Region'] = region
    if endpoint != '-':
        params['Endpoint'] = endpoint
    try:
        print(provider.resolve_endpoint(**params).url)
    except EndpointResolutionError as e:
        print('error: ' + str(e))
)";

// For each line of the input (a JSON object: region, endpoint option, environment), prints the URL
// botocore would send ListStages to, or "error: ...".
const char* const kClientScript = R"(import json, os, sys
import botocore.session
from botocore.exceptions import BotoCoreError
class Sent(Exception):
    pass
def stop(request, **kwargs):
    print(request.url[:-len('/ListStages')])
    raise Sent()
base = dict(os.environ)
for line in open(sys.argv[1]):
    case = json.loads(line)
    os.environ.clear()
    os.environ.update(base)
    os.environ.update(case['env'])
    try:
        kwargs = {'endpoint_url': case['endpoint']} if case['endpoint'] else {}
        client = botocore.session.get_session().create_client(
            'ivs-realtime', region_name=case['region'], aws_access_key_id='AK', aws_secret_access_key='SK', **kwargs)
        client.meta.events.register('before-send', stop)
        client.list_stages()
    except Sent:
        pass
    except BotoCoreError as e:
        print('error: ' + str(e))
)";

}  // namespace

TEST_CASE("every region and flag combination equals botocore's rule-set resolver", "[endpoints][botocore]") {
  if (!have_botocore()) IVSRT_SKIP("python3 with botocore is not installed");
  std::vector<std::optional<std::string>> regions;
  for (const auto& r : endpoints::known_regions) regions.emplace_back(std::string(r.name));
  for (const char* extra :
       {"us-east-7", "cn-south-3", "eusc-de-west-2", "us-iso-north-4", "us-isob-south-2", "eu-isoe-north-3",
        "us-isof-west-5", "us-gov-central-2", "mars-east-1", "local"}) {
    regions.emplace_back(extra);
  }
  regions.emplace_back(std::nullopt);
  std::ostringstream cases;
  std::vector<std::string> ours;
  for (const auto& region : regions) {
    for (bool fips : {false, true}) {
      for (bool dual : {false, true}) {
        for (const char* endpoint : {"-", "https://vpce-1.example.com/base"}) {
          cases << region.value_or("-") << '\t' << (fips ? 1 : 0) << '\t' << (dual ? 1 : 0) << '\t'
                << endpoint << '\n';
          endpoints::endpoint_params p{
              .region = region, .use_dual_stack = dual, .use_fips = fips, .endpoint = {}};
          if (std::string_view(endpoint) != "-") p.endpoint = endpoint;
          auto r = endpoints::resolve_rules(p);
          ours.push_back(r ? *r : "error: " + r.error().message);
        }
      }
    }
  }
  temp_file script(kRuleSetScript);
  temp_file input(cases.str());
  const auto theirs = run_lines("python3 " + script.path() + " " + input.path());
  REQUIRE(theirs.size() == ours.size());
  std::istringstream lines(cases.str());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    std::string line;
    std::getline(lines, line);
    INFO(line);
    REQUIRE(ours[i] == theirs[i]);
  }
}

TEST_CASE("configured-endpoint precedence equals botocore's", "[endpoints][botocore]") {
  if (!have_botocore()) IVSRT_SKIP("python3 with botocore is not installed");
  temp_file config(R"([default]
services = svc
[profile plain]
endpoint_url = http://profile.example:2002
[profile both]
services = svc
endpoint_url = http://profile.example:2002
[profile ignore]
services = svc
ignore_configured_endpoint_urls = true
[profile fips]
use_fips_endpoint = true
[profile dual]
use_dualstack_endpoint = true
[services svc]
ivs_realtime =
  endpoint_url = http://services.example:2003
)");
  temp_file script(kClientScript);
  struct scenario {
    std::string region;
    std::optional<std::string> profile;
    std::vector<std::pair<const char*, std::string>> env;
    std::string endpoint_option;
  };
  // botocore drops FIPS and dual-stack when any endpoint URL is given, where the rule set (and the
  // Rust, Go and JavaScript SDKs) refuse the combination: those cases are left out here.
  const std::vector<scenario> scenarios = {
      {"us-west-2", std::nullopt, {}, ""},
      {"us-west-2", "plain", {}, ""},
      {"us-west-2", "both", {}, ""},
      {"eu-central-1", "ignore", {}, ""},
      {"us-west-2", "plain", {{"AWS_ENDPOINT_URL", "http://global.example:2005"}}, ""},
      {"us-west-2",
       "both",
       {{"AWS_ENDPOINT_URL", "http://global.example:2005"},
        {"AWS_ENDPOINT_URL_IVS_REALTIME", "http://service.example:2006/prefix"}},
       ""},
      {"us-west-2", "both", {{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}}, ""},
      {"us-west-2",
       "ignore",
       {{"AWS_ENDPOINT_URL", "http://global.example:2005"}},
       "http://explicit.example:2007"},
      {"us-gov-west-1", "fips", {}, ""},
      {"cn-north-1", "dual", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, ""},
      {"us-west-2", "fips", {{"AWS_USE_FIPS_ENDPOINT", "false"}, {"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, ""},
      {"us-isob-east-1", "dual", {}, ""},
      {"ap-southeast-7", "dual", {{"AWS_USE_FIPS_ENDPOINT", "true"}}, ""},
  };
  std::ostringstream input;
  std::vector<std::string> ours;
  for (const auto& s : scenarios) {
    auto env = ivsrt_test::clean_aws_env(config.path());
    std::string env_json = R"({"AWS_CONFIG_FILE": ")" + config.path() + '"';
    if (s.profile) {
      env.set("AWS_PROFILE", *s.profile);
      env_json += R"(, "AWS_PROFILE": ")" + *s.profile + '"';
    }
    for (const auto& [name, value] : s.env) {
      env.set(name, value);
      env_json += std::string(", \"") + name + "\": \"" + value + '"';
    }
    input << R"({"region": ")" << s.region << R"(", "endpoint": ")" << s.endpoint_option << R"(", "env": )"
          << env_json << "}}\n";
    auto c = client::create({.region = s.region,
                             .endpoint_url = s.endpoint_option,
                             .credentials = credentials{.access_key_id = "AK",
                                                        .secret_access_key = "SK",
                                                        .session_token = {},
                                                        .expiration = {},
                                                        .account_id = {}}});
    ours.push_back(c ? c->endpoint().origin() + c->endpoint().base_path : "error: " + c.error().message);
  }
  // botocore runs in one process with only the scenario's variables on top of a clean environment.
  auto env = ivsrt_test::clean_aws_env(config.path());
  temp_file cases(input.str());
  const auto theirs = run_lines("python3 " + script.path() + " " + cases.path());
  REQUIRE(theirs.size() == ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    const auto& s = scenarios[i];
    INFO(s.region << " profile " << s.profile.value_or("default") << " endpoint option '" << s.endpoint_option
                  << "'");
    REQUIRE(ours[i] == theirs[i]);
  }
}
