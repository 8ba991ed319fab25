// The shared config and credentials files, parsed as the AWS CLI reads them, from real files.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

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
}

TEST_CASE("malformed files name the file, the line and the problem", "[config]") {
  REQUIRE(parse_fail("region = x\n") == "/home/u/.aws/config:1: property outside of any section");
  REQUIRE(parse_fail("[default]\nno equals sign\n") == "/home/u/.aws/config:2: expected 'key = value'");
  REQUIRE(parse_fail("[default\n") == "/home/u/.aws/config:1: section header is missing its closing ']'");
  REQUIRE(parse_fail("\n\n[default]\n = value\n") == "/home/u/.aws/config:4: property without a name");
  REQUIRE(parse_fail("[]\n") == "/home/u/.aws/config:1: empty section name");
  const std::string secret_line = parse_fail("[default]\naws_secret_access_key\n");
  REQUIRE(secret_line.find("aws_secret_access_key") == std::string::npos);
}

TEST_CASE("files are loaded from disk, credentials overriding config", "[config]") {
  const auto dir = std::filesystem::temp_directory_path() / ("ivsrt-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "config") << "[profile dev]\nregion = us-east-2\naws_access_key_id = FROMCONFIG\n";
    std::ofstream(dir / "credentials") << "[dev]\naws_access_key_id = FROMCREDS\n";
  }
  auto set =
      config::load({.config = (dir / "config").string(), .credentials = (dir / "credentials").string()});
  REQUIRE(set.ok());
  REQUIRE(*set->value("dev", "region") == "us-east-2");
  REQUIRE(*set->value("dev", "aws_access_key_id") == "FROMCREDS");
  auto missing = config::load({.config = (dir / "nope").string(), .credentials = {}});
  REQUIRE(missing.ok());
  REQUIRE(missing->profiles.empty());
  std::ofstream(dir / "bad") << "[default]\n[profile x\n";
  auto bad = config::load({.config = (dir / "bad").string(), .credentials = {}});
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.error().message == (dir / "bad").string() + ":2: section header is missing its closing ']'");
  std::filesystem::remove_all(dir);
}
