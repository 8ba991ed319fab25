// The shared config and credentials files, parsed as the AWS CLI reads them, from real files.
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "aws_sandbox.hpp"
#include "catch.hpp"
#include "ivsrt/config_file.hpp"

using namespace ivsrt;

namespace {
config::profile_set parse_ok(std::string_view text, config::file_kind kind = config::file_kind::config) {
  config::profile_set set;
  auto r = config::parse(text, "test-config", kind, set);
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return set;
}
std::string parse_fail(std::string_view text) {
  config::profile_set set;
  auto r = config::parse(text, "/home/u/.aws/config", config::file_kind::config, set);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::configuration);
  return r.error().message;
}
}  // namespace

TEST_CASE("sections, comments, whitespace and values containing '='", "[config]") {
  auto set = parse_ok(
      "# leading comment\n"
      "[default]\n"
      "region = us-west-2   # trailing comment\n"
      "  \n"
      "; another comment\n"
      "[profile dev]\n"
      "region=eu-west-1\n"
      "role_arn = arn:aws:iam::123456789012:role/a=b;c\n"
      "weird = value#not-a-comment\n"
      "[ profile   spaced  ]\n"
      "x = 1\n"
      "[sso-session corp]\n"
      "sso_region = us-east-1\n"
      "sso_start_url = https://corp.awsapps.com/start\n"
      "[services local]\n"
      "ivs_realtime =\n"
      "  endpoint_url = http://127.0.0.1:4566\n"
      "  other = 2\n"
      "[plain]\n"
      "ignored = yes\n");
  REQUIRE(*set.value("default", "region") == "us-west-2");
  REQUIRE(*set.value("dev", "region") == "eu-west-1");
  REQUIRE(*set.value("dev", "role_arn") == "arn:aws:iam::123456789012:role/a=b;c");
  REQUIRE(*set.value("dev", "weird") == "value#not-a-comment");
  REQUIRE(set.value("spaced", "x") != nullptr);
  REQUIRE(set.sso_sessions.at("corp").at("sso_region").value == "us-east-1");
  const auto& svc = set.services.at("local").at("ivs_realtime");
  REQUIRE(svc.value.empty());
  REQUIRE(svc.sub.at("endpoint_url") == "http://127.0.0.1:4566");
  REQUIRE(svc.sub.at("other") == "2");
  REQUIRE(set.profile("plain") == nullptr);
  REQUIRE(set.warnings.size() == 1);
  REQUIRE(set.warnings[0].find("[plain]") != std::string::npos);
}

TEST_CASE("credentials files name profiles without the 'profile' prefix", "[config]") {
  auto set = parse_ok(
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n"
      "[dev]\naws_access_key_id=AKIDDEV\n",
      config::file_kind::credentials);
  REQUIRE(*set.value("dev", "aws_access_key_id") == "AKIDDEV");
  REQUIRE(*set.value("default", "aws_secret_access_key") == "s1");
}

TEST_CASE("continuation lines and CRLF line ends", "[config]") {
  auto set = parse_ok("[default]\r\nlong = first\r\n  second\r\n\tthird\r\n");
  REQUIRE(*set.value("default", "long") == "first\nsecond\nthird");

  // Indented, a section header under a property is part of it: a value's next line, or a
  // malformed sub-property. Not indented, or with no property above, it starts a section.
  set = parse_ok("[profile a]\nx = 1\n  [profile b]\ny = 2\n");
  REQUIRE(*set.value("a", "x") == "1\n[profile b]");
  REQUIRE(*set.value("a", "y") == "2");
  REQUIRE(set.profiles.count("b") == 0);
  REQUIRE(parse_fail("[profile a]\ns3 =\n  [profile b]\n") ==
          "/home/u/.aws/config:3: sub-property of 's3' must have the form key = value");
  set = parse_ok("[profile a]\n  [profile b]\ny = 2\n");
  REQUIRE(*set.value("b", "y") == "2");
}

TEST_CASE("property names are compared without case; the later definition wins", "[config]") {
  auto set =
      parse_ok("[profile dev]\nRegion = eu-west-1\n[profile dev]\nREGION = us-east-2\nOutput = json\n");
  REQUIRE(*set.value("dev", "region") == "us-east-2");
  REQUIRE(*set.value("dev", "output") == "json");
  REQUIRE(set.value("dev", "Region") == nullptr);
  auto creds = parse_ok("[dev]\nAWS_Access_Key_ID = AKIDMIXED\n", config::file_kind::credentials);
  REQUIRE(*creds.value("dev", "aws_access_key_id") == "AKIDMIXED");
}

TEST_CASE("[profile default] takes precedence over [default] in a config file", "[config]") {
  for (const char* text : {"[default]\nregion = a\noutput = text\n[profile default]\nregion = b\n",
                           "[profile default]\nregion = b\n[default]\nregion = a\noutput = text\n"}) {
    INFO(text);
    auto set = parse_ok(text);
    REQUIRE(*set.value("default", "region") == "b");
    REQUIRE(set.value("default", "output") == nullptr);  // [default] is ignored as a whole
    REQUIRE(set.warnings.size() == 1);
    REQUIRE(set.warnings[0].find("[default] ignored") != std::string::npos);
  }
  // Alone, [default] is the default profile; [profile default] sections merge with each other.
  REQUIRE(*parse_ok("[default]\nregion = a\n").value("default", "region") == "a");
  auto merged = parse_ok("[profile default]\nx = 1\n[default]\ny = 2\n[profile default]\nz = 3\n");
  REQUIRE(merged.value("default", "x") != nullptr);
  REQUIRE(merged.value("default", "y") == nullptr);
  REQUIRE(merged.value("default", "z") != nullptr);
}

TEST_CASE("sections and properties with invalid names are ignored, without echoing them", "[config]") {
  auto set = parse_ok(
      "[profile in valid]\nregion = a\n"
      "[profile ok]\nregion = b\nwJalr secretish = c\n  continued = d\n  more\nafter = e\n"
      "[profile foo!bar]\nx = 1\n"
      "[profile a-z_A.Z/0%9@:+]\ny = 2\n"
      "[sso-session bad name]\nsso_region = us-east-1\n");
  REQUIRE(set.profile("in valid") == nullptr);
  REQUIRE(set.profile("foo!bar") == nullptr);
  REQUIRE(*set.value("a-z_A.Z/0%9@:+", "y") == "2");
  const config::section& ok = *set.profile("ok");
  REQUIRE(ok.size() == 2);  // region and after: the invalid property and its lines are skipped
  REQUIRE(ok.at("region").value == "b");
  REQUIRE(ok.at("after").value == "e");
  REQUIRE(set.sso_sessions.empty());
  REQUIRE(set.warnings.size() == 4);
  for (const auto& w : set.warnings) {
    INFO(w);
    REQUIRE(w.find("ignored") != std::string::npos);
    REQUIRE(w.find("wJalr") == std::string::npos);
  }
  // A credentials file names profiles bare: [profile x] there is not a profile.
  auto creds = parse_ok("[profile foo]\naws_access_key_id = A\n[bar]\naws_access_key_id = B\n",
                        config::file_kind::credentials);
  REQUIRE(creds.profiles.size() == 1);
  REQUIRE(*creds.value("bar", "aws_access_key_id") == "B");
}

TEST_CASE("malformed files name the file, the line and the problem", "[config]") {
  REQUIRE(parse_fail("region = x\n") == "/home/u/.aws/config:1: property outside of any section");
  REQUIRE(parse_fail("[default]\nno equals sign\n") == "/home/u/.aws/config:2: expected 'key = value'");
  REQUIRE(parse_fail("[default\n") == "/home/u/.aws/config:1: section header is missing its closing ']'");
  REQUIRE(parse_fail("\n\n[default]\n= value\n") == "/home/u/.aws/config:4: property without a name");
  REQUIRE(parse_fail("[]\n") == "/home/u/.aws/config:1: empty section name");
  // An indented line continues the property above it; there must be one in the same section.
  const std::string no_property =
      "indented line with no property above it to continue (properties start at the beginning of a line)";
  REQUIRE(parse_fail("[default]\n  region = us-west-2\n") == "/home/u/.aws/config:2: " + no_property);
  REQUIRE(parse_fail("[default]\nregion = a\n[profile dev]\n\t-continued\n") ==
          "/home/u/.aws/config:4: " + no_property);
  REQUIRE(parse_fail("[profile in valid]\n x = 1\n") == "/home/u/.aws/config:2: " + no_property);
  const std::string secret_line = parse_fail("[default]\naws_secret_access_key\n");
  REQUIRE(secret_line.find("aws_secret_access_key") == std::string::npos);
}

TEST_CASE("files are loaded from disk, credentials overriding config", "[config]") {
  const auto dir = std::filesystem::temp_directory_path() / ("ivsrt-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto load_both = [&](const char* config_text, const char* credentials_text) {
    {
      std::ofstream(dir / "config") << config_text;
      std::ofstream(dir / "credentials") << credentials_text;
    }
    return config::load({.config = (dir / "config").string(), .credentials = (dir / "credentials").string()});
  };
  auto set = load_both("[profile dev]\nregion = us-east-2\naws_access_key_id = FROMCONFIG\n",
                       "[dev]\naws_access_key_id = FROMCREDS\n");
  REQUIRE(set.ok());
  REQUIRE(*set->value("dev", "region") == "us-east-2");
  REQUIRE(*set->value("dev", "aws_access_key_id") == "FROMCREDS");
  auto defaults =
      load_both("[profile default]\nregion = b\n[default]\nx = 1\n", "[default]\naws_access_key_id = K\n");
  REQUIRE(defaults.ok());
  REQUIRE(*defaults->value("default", "region") == "b");
  REQUIRE(*defaults->value("default", "aws_access_key_id") == "K");
  REQUIRE(defaults->value("default", "x") == nullptr);
  auto missing = config::load({.config = (dir / "nope").string(), .credentials = {}});
  REQUIRE(missing.ok());
  REQUIRE(missing->profiles.empty());
  std::ofstream(dir / "bad") << "[default]\n[profile x\n";
  auto bad = config::load({.config = (dir / "bad").string(), .credentials = {}});
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.error().message == (dir / "bad").string() + ":2: section header is missing its closing ']'");
  std::filesystem::remove_all(dir);
}

TEST_CASE("the files are under HOME, else the home directory of the user's password entry", "[config]") {
  ivsrt_test::aws_sandbox box;  // restores HOME
  box.unset("AWS_CONFIG_FILE");
  box.unset("AWS_SHARED_CREDENTIALS_FILE");
  box.set("HOME", "/from/home");
  REQUIRE(config::file_locations::from_environment().config == "/from/home/.aws/config");
  box.unset("HOME");
  const passwd* entry = ::getpwuid(::getuid());
  const std::string expected = entry != nullptr ? entry->pw_dir : "";
  box.set("USERPROFILE", "/from/userprofile");  // Windows' variable: not read here
  const std::string home = env::home();
  box.unset("USERPROFILE");
  REQUIRE(home == expected);
  if (!expected.empty()) {
    REQUIRE(config::file_locations::from_environment().credentials == expected + "/.aws/credentials");
    REQUIRE(env::expand_home("~/cache") == expected + "/cache");
  }
}
