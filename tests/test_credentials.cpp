// The parts of the credential chain that need no network: the STS XML reader (with hostile
// input), credential_process command splitting and output, profile chains, region and profile
// selection, endpoint and metadata settings, and the refresh windows of the credentials cache.
#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "aws_sandbox.hpp"
#include "catch.hpp"
#include "ivsrt/container_credentials.hpp"
#include "ivsrt/credential_process.hpp"
#include "ivsrt/credentials_cache.hpp"
#include "ivsrt/crypto.hpp"
#include "ivsrt/default_chain.hpp"
#include "ivsrt/imds_credentials.hpp"
#include "ivsrt/profile_credentials.hpp"
#include "ivsrt/region.hpp"
#include "ivsrt/shared_config.hpp"
#include "ivsrt/xml_extract.hpp"

using namespace ivsrt;
using namespace std::chrono_literals;

namespace {

// The AssumeRole response of the STS API reference, with our own values.
const std::string kAssumeRoleXml = R"(<?xml version="1.0" encoding="UTF-8"?>
<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>DevUser123</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/John</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:John</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>SESSION+TOKEN/with&amp;entities&lt;&#x41;&#66;</SessionToken>
      <Expiration>2030-07-15T23:28:33.359Z</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
)";

const std::vector<std::string_view> kCredentialPaths = {
    "AssumeRoleResponse/AssumeRoleResult/Credentials/AccessKeyId",
    "AssumeRoleResponse/AssumeRoleResult/Credentials/SecretAccessKey",
    "AssumeRoleResponse/AssumeRoleResult/Credentials/SessionToken",
    "AssumeRoleResponse/AssumeRoleResult/Credentials/Expiration",
    "AssumeRoleResponse/ResponseMetadata/RequestId"};

std::string xml_error(std::string_view doc, const std::vector<std::string_view>& paths = {"a/b"}) {
  auto r = xml::extract(doc, paths);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::parse);
  return r.error().message;
}

shared_config files(std::string_view config_text, std::string profile = "default",
                    std::string_view credentials_text = {}) {
  shared_config cfg;
  cfg.files.config = "/home/u/.aws/config";
  cfg.files.credentials = "/home/u/.aws/credentials";
  auto a = config::parse(config_text, cfg.files.config, config::file_kind::config, cfg.data);
  INFO((a.ok() ? std::string() : a.error().message));
  REQUIRE(a.ok());
  auto b = config::parse(credentials_text, cfg.files.credentials, config::file_kind::credentials, cfg.data);
  REQUIRE(b.ok());
  cfg.profile = std::move(profile);
  return cfg;
}

std::string plan_error(const shared_config& cfg) {
  auto p = plan_profile(cfg);
  REQUIRE_FALSE(p.ok());
  REQUIRE(p.error().kind == error_kind::configuration);
  return p.error().message;
}

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

}  // namespace

TEST_CASE("the XML reader pulls the STS credentials and decodes references", "[credentials][xml]") {
  auto r = xml::extract(kAssumeRoleXml, kCredentialPaths);
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  REQUIRE(r->view(0) == "ASIAIOSFODNN7EXAMPLE");
  REQUIRE(r->view(1) == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
  REQUIRE(r->view(2) == "SESSION+TOKEN/with&entities<AB");
  REQUIRE(r->view(3) == "2030-07-15T23:28:33.359Z");
  REQUIRE(r->view(4) == "c6104cbe-af31-11e0-8154-cbc7ccf896c7");

  auto missing = xml::extract("<a><b>x</b></a>", {"a/c", "a/b", "b"});
  REQUIRE(missing.ok());
  REQUIRE(missing->get(0) == nullptr);
  REQUIRE(missing->view(1) == "x");
  REQUIRE(missing->get(2) == nullptr);

  auto mixed = xml::extract(
      "\xEF\xBB\xBF<?xml version='1.0'?><!-- c --><a x='1>2' y=\"&quot;\"><b><![CDATA[<raw>&amp;]]>"
      "t&#233;&#x1F600;<!-- inner --><?pi x?></b><c/><c></c></a>\n<!-- after -->\n",
      {"a/b", "a/c/d"});
  INFO((mixed.ok() ? std::string() : mixed.error().message));
  REQUIRE(mixed.ok());
  REQUIRE(mixed->view(0) == "<raw>&amp;t\xC3\xA9\xF0\x9F\x98\x80");

  auto error_doc = xml::extract(
      "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized</Message>"
      "</Error><RequestId>r-1</RequestId></ErrorResponse>",
      {"ErrorResponse/Error/Code", "ErrorResponse/Error/Message", "ErrorResponse/RequestId"});
  REQUIRE(error_doc.ok());
  REQUIRE(error_doc->view(0) == "AccessDenied");
  REQUIRE(error_doc->view(1) == "not authorized");
  REQUIRE(error_doc->view(2) == "r-1");
}

TEST_CASE("the XML reader refuses anything but plain well-formed XML", "[credentials][xml]") {
  const std::string laughs =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>"
      "<a><b>&lol2;</b></a>";
  REQUIRE(contains(xml_error(laughs), "DOCTYPE"));
  REQUIRE(contains(xml_error("<a><b>&lol;</b></a>"), "unknown entity"));
  REQUIRE(contains(xml_error("<a><b>x</c></a>"), "does not match"));
  REQUIRE(contains(xml_error("<a><b>x</b>"), "ends inside"));
  REQUIRE(contains(xml_error("<a/><a/>"), "after the root"));
  REQUIRE(contains(xml_error("<a/>junk"), "outside the root"));
  REQUIRE(contains(xml_error("junk<a/>"), "outside the root"));
  REQUIRE(contains(xml_error(""), "no root"));
  REQUIRE(contains(xml_error("   "), "no root"));
  REQUIRE(contains(xml_error("<a><b>1</b><b>2</b></a>"), "more than once"));
  REQUIRE(contains(xml_error("<a x=1/>"), "quoted"));
  REQUIRE(contains(xml_error("<a x='1'y='2'/>"), "whitespace"));
  REQUIRE(contains(xml_error("<a x='<'/>"), "'<'"));
  REQUIRE(contains(xml_error("<a><b>&#0;</b></a>"), "does not allow"));
  REQUIRE(contains(xml_error("<a><b>&#xD800;</b></a>"), "does not allow"));
  REQUIRE(contains(xml_error("<a><b>&#x110000;</b></a>"), "does not allow"));
  REQUIRE(contains(xml_error("<a><b>&#xZZ;</b></a>"), "character reference"));
  REQUIRE(contains(xml_error("<a><b>& x</b></a>"), "entity"));
  REQUIRE(contains(xml_error(std::string("<a><b>x\x01y</b></a>")), "control character"));
  REQUIRE(contains(xml_error("<a><b>]]></b></a>"), "]]>"));
  REQUIRE(contains(xml_error("<a><!-- never closed"), "comment"));
  REQUIRE(contains(xml_error("<a><![CDATA[never closed"), "CDATA"));
  REQUIRE(contains(xml_error("<![CDATA[x]]><a/>"), "CDATA"));
  REQUIRE(contains(xml_error("</a>"), "without a start tag"));
  REQUIRE(contains(xml_error("<1a/>"), "name"));
  REQUIRE(contains(xml_error("<" + std::string(300, 'n') + "/>"), "too long"));
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  REQUIRE(contains(xml_error(deep), "too deeply"));
  // An error gives a position, never the document's text.
  const std::string msg = xml_error("<a><b>SECRETVALUE&bogus;</b></a>");
  REQUIRE_FALSE(contains(msg, "SECRETVALUE"));
  REQUIRE(contains(msg, "byte"));
}

TEST_CASE("the XML reader survives mutated and truncated documents", "[credentials][xml][hostile]") {
  std::mt19937 rng(20240601);
  const std::string alphabet = "<>/&;#x!-[]?='\" \nabAZ019\xC3\xBF";
  std::size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string doc = kAssumeRoleXml;
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % doc.size();
      switch (rng() % 4) {
        case 0: doc[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: doc.erase(at, 1 + rng() % 8); break;
        case 2: doc.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default: doc.resize(at); break;
      }
      if (doc.empty()) doc = "<";
    }
    auto r = xml::extract(doc, kCredentialPaths);
    if (r.ok()) {
      ++accepted;
    } else {
      REQUIRE(r.error().code == "MalformedXml");
      REQUIRE_FALSE(contains(r.error().message, "EXAMPLEKEY"));
    }
  }
  // Some mutations leave the document well-formed (e.g. a changed letter in a text).
  REQUIRE(accepted > 0);
  REQUIRE(accepted < 20000);
}

TEST_CASE("SHA-1 file names match the FIPS 180 test vectors", "[credentials][sso]") {
  REQUIRE(crypto::sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  REQUIRE(crypto::sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST_CASE("credential_process command lines are split like a POSIX shell does", "[credentials][process]") {
  auto words = [](std::string_view s) {
    auto r = detail::split_command(s);
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
    return *r;
  };
  using v = std::vector<std::string>;
  REQUIRE(words("/opt/bin/creds --username helen") == v{"/opt/bin/creds", "--username", "helen"});
  REQUIRE(words("  \"/path with/space\"  'single $quoted' \"a\\\"b\\\\c\\$d\" e\\ f ''") ==
          v{"/path with/space", "single $quoted", "a\"b\\c$d", "e f", ""});
  REQUIRE(words("x\"y\"'z'") == v{"xyz"});
  REQUIRE(words("\"C:\\dir\\n\"") == v{"C:\\dir\\n"});
  for (const char* bad : {"", "   ", "'open", "\"open", "trailing\\"}) {
    auto r = detail::split_command(bad);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().kind == error_kind::configuration);
  }
}

TEST_CASE("credential_process output: Version 1 JSON with optional token and expiry",
          "[credentials][process]") {
  std::string full = R"({"Version": 1, "AccessKeyId": "AKPROC", "SecretAccessKey": "proc-secret",
                          "SessionToken": "proc-token", "Expiration": "2030-01-02T03:04:05Z", "AccountId": "123456789012",
                          "Extra": {"ignored": [1, 2]}})";
  auto c = detail::parse_process_output(full, "credential_process of profile p");
  REQUIRE(c.ok());
  REQUIRE(c->access_key_id == "AKPROC");
  REQUIRE(c->secret_access_key.reveal() == "proc-secret");
  REQUIRE(c->session_token->reveal() == "proc-token");
  REQUIRE(format_timestamp(*c->expiration) == "2030-01-02T03:04:05Z");
  REQUIRE(*c->account_id == "123456789012");
  REQUIRE(full.empty());  // the text holding secrets was wiped

  std::string minimal = R"({"Version":1,"AccessKeyId":"AK","SecretAccessKey":"S"})";
  auto m = detail::parse_process_output(minimal, "p");
  REQUIRE(m.ok());
  REQUIRE_FALSE(m->session_token);
  REQUIRE_FALSE(m->expiration);

  // An expiry past what a timestamp holds (after 2262) is the latest one, not an error.
  std::string far =
      R"({"Version":1,"AccessKeyId":"AK","SecretAccessKey":"S","Expiration":"9999-12-31T23:59:59Z"})";
  auto f = detail::parse_process_output(far, "p");
  REQUIRE(f.ok());
  REQUIRE(f->expiration == timestamp(std::chrono::seconds(max_timestamp_seconds)));

  auto fail = [](std::string text) {
    auto r = detail::parse_process_output(text, "credential_process of profile p");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().kind == error_kind::credentials);
    REQUIRE_FALSE(contains(r.error().message, "topsecret"));
    return r.error().message;
  };
  REQUIRE(
      contains(fail(R"({"Version": 2, "AccessKeyId": "AK", "SecretAccessKey": "topsecret"})"), "Version 2"));
  REQUIRE(contains(fail(R"({"AccessKeyId": "AK", "SecretAccessKey": "topsecret"})"), "no Version"));
  REQUIRE(contains(fail(R"({"Version": 1, "SecretAccessKey": "topsecret"})"), "AccessKeyId"));
  REQUIRE(contains(fail(R"({"Version": 1, "AccessKeyId": "AK"})"), "SecretAccessKey"));
  REQUIRE(contains(
      fail(R"({"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "topsecret", "Expiration": "soon"})"),
      "Expiration"));
  REQUIRE(
      contains(fail(R"({"Version": "1", "AccessKeyId": "AK", "SecretAccessKey": "topsecret"})"), "Version"));
  REQUIRE(contains(fail("AccessKeyId=AK SecretAccessKey=topsecret"), "not the expected JSON"));
  REQUIRE(contains(fail(R"({"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "topsecret"} trailing)"),
                   "not the expected JSON"));
  REQUIRE(contains(fail(""), "not the expected JSON"));
}

TEST_CASE("profiles: static keys, and what is not a credentials profile", "[credentials][profile]") {
  auto cfg = files(
      "[profile dev]\nregion = us-west-2\n", "dev",
      "[dev]\naws_access_key_id = AKDEV\naws_secret_access_key = dev-secret\naws_session_token = tok\n");
  REQUIRE(profile_has_credentials(cfg));
  auto plan = plan_profile(cfg);
  REQUIRE(plan.ok());
  REQUIRE(plan->base.kind == profile_source_kind::static_keys);
  REQUIRE(plan->base.keys.access_key_id == "AKDEV");
  REQUIRE(plan->base.keys.session_token->reveal() == "tok");
  REQUIRE(plan->roles.empty());
  // aws_security_token, the old name botocore still reads, when aws_session_token is not set.
  const char* old_name =
      "[default]\naws_access_key_id = AK\naws_secret_access_key = s\naws_security_token = old\n";
  REQUIRE(plan_profile(files(old_name))->base.keys.session_token->reveal() == "old");
  REQUIRE(plan_profile(files(std::string(old_name) + "aws_session_token = new\n"))
              ->base.keys.session_token->reveal() == "new");

  REQUIRE_FALSE(profile_has_credentials(files("[profile dev]\nregion = us-west-2\n", "dev")));
  REQUIRE_FALSE(profile_has_credentials(files("[profile dev]\nregion = us-west-2\n", "absent")));
  REQUIRE(
      contains(plan_error(files("[default]\naws_access_key_id = AK\n")), "without aws_secret_access_key"));
  REQUIRE(contains(plan_error(files("[default]\ncredential_source = Environment\n")), "without role_arn"));
  REQUIRE(contains(plan_error(files("[default]\nsource_profile = x\n")), "without role_arn"));
}

TEST_CASE("profiles: a profile's own sources come before its static keys, as botocore, Rust and Java",
          "[credentials][profile]") {
  const std::string keys = "aws_access_key_id = AKSTATIC\naws_secret_access_key = s\n";
  const std::string sessions =
      "[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n";
  const std::pair<std::string, profile_source_kind> cases[] = {
      {"role_arn = arn:aws:iam::1:role/w\nweb_identity_token_file = /t/token\n" + keys,
       profile_source_kind::web_identity},
      {"sso_session = corp\nsso_account_id = 1\nsso_role_name = R\n" + keys, profile_source_kind::sso},
      {"login_session = arn:aws:iam::1:user/u\n" + keys, profile_source_kind::login},
      {"credential_process = /bin/creds\n" + keys, profile_source_kind::process},
      // Half a key pair beside a process is not an error: the process is the source.
      {"credential_process = /bin/creds\naws_access_key_id = AKHALF\n", profile_source_kind::process},
      {"web_identity_token_file = /t/token\nrole_arn = arn:aws:iam::1:role/w\ncredential_process = /bin/c\n",
       profile_source_kind::web_identity},
      {"sso_session = corp\nsso_account_id = 1\nsso_role_name = R\ncredential_process = /bin/c\n",
       profile_source_kind::sso},
      {keys, profile_source_kind::static_keys}};
  for (const auto& [body, kind] : cases) {
    INFO(body);
    auto p = plan_profile(files(sessions + "[default]\n" + body));
    INFO((p.ok() ? std::string() : p.error().message));
    REQUIRE(p.ok());
    REQUIRE(p->base.kind == kind);
    REQUIRE(p->roles.empty());
  }
  // A role assumed from a source profile still wins over the profile's own keys.
  auto role =
      plan_profile(files("[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n" + keys +
                         "[profile base]\naws_access_key_id = AKBASE\naws_secret_access_key = b\n"));
  REQUIRE(role.ok());
  REQUIRE(role->roles.size() == 1);
  REQUIRE(role->base.keys.access_key_id == "AKBASE");
}

TEST_CASE("profiles: role chains through source_profile, two deep", "[credentials][profile]") {
  auto cfg = files(
      "[profile top]\nrole_arn = arn:aws:iam::111111111111:role/top\nsource_profile = middle\n"
      "role_session_name = top-session\nexternal_id = ext-1\nduration_seconds = 1800\n"
      "[profile middle]\nrole_arn = arn:aws:iam::222222222222:role/middle\nsource_profile = base\n"
      "[profile base]\naws_access_key_id = AKBASE\naws_secret_access_key = base-secret\n",
      "top");
  auto plan = plan_profile(cfg);
  INFO((plan.ok() ? std::string() : plan.error().message));
  REQUIRE(plan.ok());
  REQUIRE(plan->base.kind == profile_source_kind::static_keys);
  REQUIRE(plan->base.profile == "base");
  REQUIRE(plan->roles.size() == 2);
  REQUIRE(plan->roles[0].role_arn == "arn:aws:iam::222222222222:role/middle");
  REQUIRE(plan->roles[1].role_arn == "arn:aws:iam::111111111111:role/top");
  REQUIRE(plan->roles[1].session_name == "top-session");
  REQUIRE(plan->roles[1].external_id == "ext-1");
  REQUIRE(plan->roles[1].duration_seconds == 1800);
  const auto signed_duration =
      plan_profile(files("[profile a]\nrole_arn = r\nsource_profile = a\n"
                         "aws_access_key_id = A\naws_secret_access_key = S\n"
                         "duration_seconds = +3600\n",
                         "a"));
  REQUIRE(signed_duration.ok());
  REQUIRE(signed_duration->roles.at(0).duration_seconds == 3600);

  // A source profile with static keys ends the chain even when it names a role of its own.
  auto stop = files(
      "[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = keys\n"
      "[profile keys]\naws_access_key_id = AK\naws_secret_access_key = S\nrole_arn = "
      "arn:aws:iam::1:role/ignored\n"
      "source_profile = nowhere\n",
      "top");
  auto stopped = plan_profile(stop);
  REQUIRE(stopped.ok());
  REQUIRE(stopped->base.profile == "keys");
  REQUIRE(stopped->roles.size() == 1);

  // A profile that is its own source uses its own keys.
  auto self = files(
      "[profile me]\nrole_arn = arn:aws:iam::1:role/me\nsource_profile = me\naws_access_key_id = AK\n"
      "aws_secret_access_key = S\n",
      "me");
  auto own = plan_profile(self);
  REQUIRE(own.ok());
  REQUIRE(own->base.profile == "me");
  REQUIRE(own->roles.size() == 1);
}

TEST_CASE("profiles: broken role chains are configuration errors", "[credentials][profile]") {
  const std::string cycle =
      plan_error(files("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
                       "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n"
                       "[profile c]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = a\n",
                       "a"));
  REQUIRE(contains(cycle, "a -> b -> c -> a"));
  REQUIRE(contains(
      plan_error(files("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = gone\n", "a")),
      "'gone', the source_profile of 'a', is not in /home/u/.aws/config or /home/u/.aws/credentials"));
  REQUIRE(plan_error(files("[profile a]\nregion = x\n", "absent")) ==
          "profile 'absent' is not in /home/u/.aws/config or /home/u/.aws/credentials");
  REQUIRE(contains(
      plan_error(files("[profile a]\nrole_arn = r\nsource_profile = b\ncredential_source = Environment\n"
                       "[profile b]\naws_access_key_id = A\naws_secret_access_key = S\n",
                       "a")),
      "both source_profile and credential_source"));
  REQUIRE(contains(plan_error(files("[profile a]\nrole_arn = r\n", "a")),
                   "neither source_profile nor credential_source"));
  REQUIRE(contains(plan_error(files("[profile a]\nrole_arn = r\ncredential_source = Ec2\n", "a")),
                   "Environment, Ec2InstanceMetadata or EcsContainer"));
  REQUIRE(contains(plan_error(files("[profile a]\nrole_arn = r\nsource_profile = a\n", "a")),
                   "its own source_profile"));
  REQUIRE(contains(
      plan_error(files("[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nregion = x\n", "a")),
      "'b' has no credentials"));
  REQUIRE(contains(plan_error(files("[profile a]\nrole_arn = r\nsource_profile = a\naws_access_key_id = A\n"
                                    "aws_secret_access_key = S\nduration_seconds = 60\n",
                                    "a")),
                   "900 to 43200"));
  for (const char* bad : {"43201", "+", "900.5", "0x384", "99999999999999999999"}) {
    REQUIRE(contains(plan_error(files("[profile a]\nrole_arn = r\nsource_profile = a\naws_access_key_id = A\n"
                                      "aws_secret_access_key = S\nduration_seconds = " +
                                          std::string(bad) + "\n",
                                      "a")),
                     "900 to 43200"));
  }
  REQUIRE(contains(plan_error(files("[profile a]\nrole_arn = r\nsource_profile = a\naws_access_key_id = A\n"
                                    "aws_secret_access_key = S\nrole_session_name = has space\n",
                                    "a")),
                   "role_session_name"));
}

TEST_CASE("profiles: credential_source, web identity, credential_process and IAM Identity Center",
          "[credentials][profile]") {
  for (const auto& [value, kind] : {std::pair{"Environment", profile_source_kind::environment},
                                    std::pair{"Ec2InstanceMetadata", profile_source_kind::instance_metadata},
                                    std::pair{"EcsContainer", profile_source_kind::container}}) {
    auto p = plan_profile(files(
        std::string("[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = ") + value + "\n"));
    REQUIRE(p.ok());
    REQUIRE(p->base.kind == kind);
    REQUIRE(p->roles.size() == 1);
  }
  auto web =
      plan_profile(files("[default]\nrole_arn = arn:aws:iam::1:role/w\nweb_identity_token_file = /t/token\n"
                         "role_session_name = web-session\n"));
  REQUIRE(web.ok());
  REQUIRE(web->base.kind == profile_source_kind::web_identity);
  REQUIRE(web->base.web_identity.token_file == "/t/token");
  REQUIRE(web->base.web_identity.session_name == "web-session");
  REQUIRE(web->roles.empty());
  REQUIRE(contains(plan_error(files("[default]\nweb_identity_token_file = /t/token\n")), "without role_arn"));
  // A token file decides, whatever source the profile also names (as botocore and Rust read it): the
  // source profile is not followed, so even one that loops back is no error.
  for (const char* other :
       {"source_profile = base\n", "source_profile = loop\n", "credential_source = Ec2InstanceMetadata\n"}) {
    INFO(other);
    auto p = plan_profile(files(
        std::string("[default]\nrole_arn = arn:aws:iam::1:role/w\nweb_identity_token_file = /t/token\n") +
        other +
        "[profile base]\naws_access_key_id = AKBASE\naws_secret_access_key = b\n"
        "[profile loop]\nrole_arn = arn:aws:iam::1:role/l\nsource_profile = default\n"));
    INFO((p.ok() ? std::string() : p.error().message));
    REQUIRE(p.ok());
    REQUIRE(p->base.kind == profile_source_kind::web_identity);
    REQUIRE(p->base.web_identity.role_arn == "arn:aws:iam::1:role/w");
    REQUIRE(p->roles.empty());
  }

  auto process = plan_profile(files("[default]\ncredential_process = /bin/creds --flag\n"));
  REQUIRE(process.ok());
  REQUIRE(process->base.kind == profile_source_kind::process);
  REQUIRE(process->base.command == "/bin/creds --flag");

  const std::string sessions =
      "[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n"
      "sso_registration_scopes = sso:account:access\n";
  auto sso = plan_profile(files(sessions + "[default]\nsso_session = corp\nsso_account_id = 111122223333\n"
                                           "sso_role_name = Dev\n"));
  REQUIRE(sso.ok());
  REQUIRE(sso->base.kind == profile_source_kind::sso);
  REQUIRE(sso->base.sso.session_name == "corp");
  REQUIRE(sso->base.sso.start_url == "https://corp.awsapps.com/start");
  REQUIRE(sso->base.sso.sso_region == "eu-west-1");
  REQUIRE(sso->base.sso.account_id == "111122223333");
  REQUIRE(sso->base.sso.role_name == "Dev");
  auto legacy =
      plan_profile(files("[default]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n"
                         "sso_account_id = 1\nsso_role_name = R\n"));
  REQUIRE(legacy.ok());
  REQUIRE(legacy->base.sso.session_name.empty());
  REQUIRE(
      contains(plan_error(files("[default]\nsso_session = missing\nsso_account_id = 1\nsso_role_name = R\n")),
               "no [sso-session missing] section"));
  REQUIRE(contains(plan_error(files(sessions + "[default]\nsso_session = corp\nsso_region = us-east-1\n"
                                               "sso_account_id = 1\nsso_role_name = R\n")),
                   "differently"));
  REQUIRE(contains(plan_error(files(sessions + "[default]\nsso_session = corp\n")),
                   "sso_account_id and sso_role_name"));
  REQUIRE(contains(
      plan_error(files("[default]\nsso_start_url = https://x\nsso_account_id = 1\nsso_role_name = R\n")),
      "sso_region"));
  REQUIRE(contains(plan_error(files("[default]\nsso_start_url = https://x\nsso_region = us-east-1/evil\n"
                                    "sso_account_id = 1\nsso_role_name = R\n")),
                   "not a valid region name"));
  REQUIRE(contains(plan_error(files("[sso-session s]\nsso_region = us-east-1\n[default]\nsso_session = s\n"
                                    "sso_account_id = 1\nsso_role_name = R\n")),
                   "needs sso_start_url and sso_region"));
}

TEST_CASE("the profile comes from the option, AWS_PROFILE, then AWS_DEFAULT_PROFILE",
          "[credentials][config]") {
  ivsrt_test::aws_sandbox box;
  box.config("[profile opt]\n[profile env]\n[profile old]\n");
  REQUIRE(load_shared_config()->profile == "default");
  box.set("AWS_DEFAULT_PROFILE", "old");
  REQUIRE(load_shared_config()->profile == "old");
  box.set("AWS_PROFILE", "env");
  auto env = load_shared_config();
  REQUIRE(env->profile == "env");
  REQUIRE(env->profile_source == "AWS_PROFILE");
  REQUIRE(load_shared_config("opt")->profile == "opt");
  box.set("AWS_PROFILE", "typo");
  auto missing = load_shared_config();
  REQUIRE_FALSE(missing.ok());
  REQUIRE(missing.error().kind == error_kind::configuration);
  REQUIRE(missing.error().message == "profile 'typo' (from AWS_PROFILE) is not in " + box.path("config") +
                                         " or " + box.path("credentials"));
}

TEST_CASE("malformed or unreadable shared files are configuration errors naming the file",
          "[credentials][config]") {
  ivsrt_test::aws_sandbox box;
  box.config("[default]\nregion = us-east-1\n[profile broken\n");
  auto r = load_shared_config();
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::configuration);
  REQUIRE(r.error().message == box.path("config") + ":3: section header is missing its closing ']'");
  box.config("");
  std::filesystem::create_directories(box.dir() / "credentials");
  auto dir = load_shared_config();
  REQUIRE_FALSE(dir.ok());
  REQUIRE(contains(dir.error().message, box.path("credentials")));
}

TEST_CASE("the config parser never crashes on random input", "[credentials][config][hostile]") {
  std::mt19937 rng(7);
  const std::string alphabet = "[]=#; \t\n\r\\profile sso-session services abc=\x01\xFF";
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    const std::size_t n = rng() % 200;
    for (std::size_t i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
    config::profile_set set;
    auto r = config::parse(text, "fuzz",
                           round % 2 == 0 ? config::file_kind::config : config::file_kind::credentials, set);
    if (!r.ok()) {
      REQUIRE(r.error().kind == error_kind::configuration);
      REQUIRE(r.error().message.rfind("fuzz:", 0) == 0);
    }
  }
}

TEST_CASE("region: option, AWS_REGION, AWS_DEFAULT_REGION, then the profile", "[credentials][region]") {
  ivsrt_test::aws_sandbox box;
  box.config("[default]\nregion = eu-north-1\n[profile other]\nregion = ap-east-1\n");
  auto cfg = load_shared_config();
  REQUIRE(cfg.ok());
  auto region = [&](std::string_view option) {
    auto r = resolve_region(option, *cfg);
    REQUIRE(r.ok());
    return *r;
  };
  REQUIRE(region("").name == "eu-north-1");
  REQUIRE(region("").source ==
          "region in profile 'default' of " + box.path("config") + " or " + box.path("credentials"));
  box.set("AWS_DEFAULT_REGION", "us-west-1");
  REQUIRE(region("").name == "us-west-1");
  box.set("AWS_REGION", "us-east-2");
  REQUIRE(region("").name == "us-east-2");
  REQUIRE(region("").source == "AWS_REGION");
  REQUIRE(region("ca-central-1").name == "ca-central-1");
  REQUIRE(resolve_region("", *load_shared_config("other"))->name == "us-east-2");
  box.unset("AWS_REGION");
  box.unset("AWS_DEFAULT_REGION");
  REQUIRE(resolve_region("", *load_shared_config("other"))->name == "ap-east-1");

  box.config("[default]\n");
  auto none = resolve_region("", *load_shared_config());
  REQUIRE_FALSE(none.ok());
  REQUIRE(none.error().code == "NoRegion");
  for (const char* source :
       {"region option", "AWS_REGION", "AWS_DEFAULT_REGION", "region in profile 'default'"}) {
    REQUIRE(contains(none.error().message, source));
  }
  box.set("AWS_REGION", "us-east-1.evil.com");
  auto bad = resolve_region("", *load_shared_config());
  REQUIRE(bad.error().code == "InvalidRegion");
  REQUIRE(contains(bad.error().message, "AWS_REGION"));
}

TEST_CASE("STS and SSO endpoints follow the configured-endpoint settings", "[credentials][endpoint]") {
  ivsrt_test::aws_sandbox box;
  box.config(
      "[default]\nservices = local\nendpoint_url = http://profile.example\n"
      "[services local]\nsts =\n  endpoint_url = http://services-sts.example\n");
  auto cfg = load_shared_config();
  std::string source;
  detail::provider_context chain;
  auto endpoint = [&](const char* env_name, std::string_view key) {
    chain.config = std::make_shared<const shared_config>(*cfg);
    auto url = detail::configured_endpoint(chain, env_name, key, source);
    INFO((url.ok() ? std::string() : url.error().message));
    REQUIRE(url.ok());
    return *url;
  };
  REQUIRE(endpoint("AWS_ENDPOINT_URL_STS", "sts") == "http://services-sts.example");
  REQUIRE(source == "[services local] sts.endpoint_url");
  REQUIRE(endpoint("AWS_ENDPOINT_URL_SSO", "sso") == "http://profile.example");
  // AWS_ENDPOINT_URL comes before the [services] section, as in botocore and for the client's own
  // endpoint.
  box.set("AWS_ENDPOINT_URL", "http://global.example");
  REQUIRE(endpoint("AWS_ENDPOINT_URL_STS", "sts") == "http://global.example");
  REQUIRE(source == "AWS_ENDPOINT_URL");
  REQUIRE(endpoint("AWS_ENDPOINT_URL_SSO", "sso") == "http://global.example");
  box.set("AWS_ENDPOINT_URL_STS", "http://env-sts.example");
  REQUIRE(endpoint("AWS_ENDPOINT_URL_STS", "sts") == "http://env-sts.example");
  chain.ignore_configured_endpoints = true;
  REQUIRE(endpoint("AWS_ENDPOINT_URL_STS", "sts").empty());
  chain.ignore_configured_endpoints = false;

  // A [services] section the profile names but the files lack is an error once it is looked at.
  box.unset("AWS_ENDPOINT_URL");
  box.config("[default]\nservices = nosuch\n");
  cfg = load_shared_config();
  REQUIRE(endpoint("AWS_ENDPOINT_URL_STS", "sts") == "http://env-sts.example");
  chain.config = std::make_shared<const shared_config>(*cfg);
  auto missing = detail::configured_endpoint(chain, "AWS_ENDPOINT_URL_SSO", "sso", source);
  REQUIRE_FALSE(missing.ok());
  REQUIRE(missing.error().kind == error_kind::configuration);
  REQUIRE(contains(missing.error().message, "no [services nosuch] section"));
  box.config(
      "[default]\nservices = local\nendpoint_url = http://profile.example\n"
      "[services local]\nsts =\n  endpoint_url = http://services-sts.example\n");
  cfg = load_shared_config();

  box.unset("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  box.unset("AWS_ENDPOINT_URL");
  box.unset("AWS_ENDPOINT_URL_STS");
  box.config("[default]\n");
  detail::provider_context ctx;
  ctx.config = std::make_shared<const shared_config>(*load_shared_config());
  ctx.region = "cn-north-1";
  REQUIRE(sts::target_for(ctx)->endpoint.origin() == "https://sts.cn-north-1.amazonaws.com.cn");
  ctx.region = "eu-west-3";
  REQUIRE(sts::target_for(ctx)->endpoint.origin() == "https://sts.eu-west-3.amazonaws.com");
  REQUIRE(sts::target_for(ctx)->signing_region == "eu-west-3");
  ctx.region.clear();
  REQUIRE(sts::target_for(ctx)->endpoint.origin() == "https://sts.amazonaws.com");
  REQUIRE(sts::target_for(ctx)->signing_region == "us-east-1");
  ctx.region = "us-east-1.evil.example/";
  REQUIRE(sts::target_for(ctx).error().code == "InvalidRegion");
  ctx.region = "us-east-1";
  box.set("AWS_ENDPOINT_URL_STS", "ftp://nope");
  REQUIRE(sts::target_for(ctx).error().kind == error_kind::configuration);
  box.unset("AWS_ENDPOINT_URL_STS");

  // Under sts_regional_endpoints = legacy, the global endpoint is signed for us-east-1 whatever
  // the region; anything but legacy or regional is refused once STS is needed, naming its source.
  ctx.region = "eu-west-3";
  ctx.sts_regional_endpoints = settings::found{"LEGACY", "AWS_STS_REGIONAL_ENDPOINTS"};
  REQUIRE(sts::target_for(ctx)->endpoint.origin() == "https://sts.amazonaws.com");
  REQUIRE(sts::target_for(ctx)->signing_region == "us-east-1");
  ctx.region = "aws-global";
  ctx.sts_regional_endpoints.reset();
  REQUIRE(sts::target_for(ctx)->signing_region == "us-east-1");
  ctx.sts_regional_endpoints = settings::found{"global", "sts_regional_endpoints in profile default"};
  const error bad = sts::target_for(ctx).error();
  REQUIRE(bad.kind == error_kind::configuration);
  REQUIRE(bad.message ==
          "sts_regional_endpoints in profile default must be legacy or regional, not 'global'");
  box.set("AWS_WEB_IDENTITY_TOKEN_FILE", box.write("token", "t"));
  box.set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web");
  box.set("AWS_STS_REGIONAL_ENDPOINTS", "yes");
  const auto refused_chain = default_chain({.region = "us-east-1"});
  REQUIRE_FALSE(refused_chain.ok());
  REQUIRE(refused_chain.error().message ==
          "AWS_STS_REGIONAL_ENDPOINTS must be legacy or regional, not 'yes'");
}

TEST_CASE("instance metadata settings from the environment and the profile", "[credentials][imds]") {
  ivsrt_test::aws_sandbox box;
  box.config("[default]\nmetadata_service_timeout = 3\nmetadata_service_num_attempts = 2\n");
  auto s = imds_settings_from(*load_shared_config());
  REQUIRE(s.ok());
  REQUIRE(s->endpoint == "http://169.254.169.254");
  REQUIRE(s->timeout == 3s);
  REQUIRE(s->attempts == 2);
  box.set("AWS_METADATA_SERVICE_TIMEOUT", "5");
  box.set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv6");
  s = imds_settings_from(*load_shared_config());
  REQUIRE(s->timeout == 5s);
  REQUIRE(s->endpoint == "http://[fd00:ec2::254]");
  box.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1234/");
  REQUIRE(imds_settings_from(*load_shared_config())->endpoint == "http://127.0.0.1:1234");
  box.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0");
  REQUIRE(imds_settings_from(*load_shared_config()).error().kind == error_kind::configuration);
  box.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "+3");
  REQUIRE(imds_settings_from(*load_shared_config())->attempts == 3);
  box.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "two");
  REQUIRE(imds_settings_from(*load_shared_config()).error().kind == error_kind::configuration);
  box.unset("AWS_METADATA_SERVICE_NUM_ATTEMPTS");
  box.unset("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  box.set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv5");
  REQUIRE(imds_settings_from(*load_shared_config()).error().kind == error_kind::configuration);
}

TEST_CASE("container credential URLs: https, loopback or the documented container hosts",
          "[credentials][container]") {
  for (const char* ok :
       {"http://127.0.0.1:8080/creds", "http://127.1.2.3/x", "http://localhost/x", "http://[::1]:9/x",
        "http://169.254.170.2/v2/credentials/abc", "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials", "https://example.com/creds", "HTTP://LOCALHOST/x",
        "http://127.0.0.1:8080?role=x", "http://localhost#f"}) {
    INFO(ok);
    REQUIRE(detail::check_container_url(ok).empty());
  }
  for (const char* bad :
       {"http://example.com/creds", "http://169.254.170.3/", "http://10.0.0.1/", "http://[fd00:ec2::24]/",
        "http://user@127.0.0.1/", "ftp://127.0.0.1/", "127.0.0.1/x", "http://127.0.0.1/a b", "http:///x",
        "http://127.0.0.1.evil.com/", "http://127.0.0.1:0/", "http://127.0.0.1:x/", "http://[::1/",
        "http://127.0.0.1@evil.com/"}) {
    INFO(bad);
    REQUIRE_FALSE(detail::check_container_url(bad).empty());
  }
  ivsrt_test::aws_sandbox box;
  box.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds");
  auto r = container_settings_from_environment();
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().kind == error_kind::configuration);
  box.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/id");
  auto rel = container_settings_from_environment();
  REQUIRE(rel.ok());
  REQUIRE((*rel)->url == "http://169.254.170.2/v2/credentials/id");
}

TEST_CASE("the default chain explains each step and picks the first configured source",
          "[credentials][chain]") {
  ivsrt_test::aws_sandbox box;
  std::vector<std::string> lines;
  auto chain = [&]() {
    lines.clear();
    return default_chain({.profile = {},
                          .region = "us-east-1",
                          .config = {},
                          .transport = {},
                          .settings = {},
                          .log = [&](std::string_view l) { lines.emplace_back(l); }});
  };
  auto nothing = chain();
  REQUIRE(nothing.ok());
  REQUIRE((*nothing)->describe() == "no credential source");
  auto err = (*nothing)->resolve();
  REQUIRE(err.error().code == "NoCredentials");
  for (const char* step : {"AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "profile 'default'",
                           "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_EC2_METADATA_DISABLED"}) {
    INFO(step);
    REQUIRE(contains(err.error().message, step));
    REQUIRE(std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return contains(l, step); }));
  }

  box.config("[default]\naws_access_key_id = AKPROFILE\naws_secret_access_key = profile-secret\n");
  auto profile = chain();
  REQUIRE((*profile)->describe() == "profile default: static keys");
  REQUIRE((*profile)->resolve()->access_key_id == "AKPROFILE");
  // Blank variables count as unset, as in the SDK for Rust: the profile's keys, not " ".
  box.set("AWS_ACCESS_KEY_ID", " ");
  box.set("AWS_SECRET_ACCESS_KEY", "\t \n");
  REQUIRE((*chain())->resolve()->access_key_id == "AKPROFILE");
  box.unset("AWS_SECRET_ACCESS_KEY");

  box.set("AWS_ACCESS_KEY_ID", "AKENV");
  auto partial = chain();
  REQUIRE(partial.error().code == "PartialCredentials");
  box.set("AWS_SECRET_ACCESS_KEY", "env-secret");
  box.set("AWS_SESSION_TOKEN", "env-token");
  auto env = chain();
  auto c = (*env)->resolve();
  REQUIRE(c->access_key_id == "AKENV");
  REQUIRE(c->session_token->reveal() == "env-token");
  REQUIRE_FALSE(c->expiration.has_value());
  for (const auto& l : lines) {
    REQUIRE_FALSE(contains(l, "env-secret"));
    REQUIRE_FALSE(contains(l, "env-token"));
  }
  // AWS_SECURITY_TOKEN, the old name botocore still reads, when AWS_SESSION_TOKEN is not set.
  box.set("AWS_SECURITY_TOKEN", "old-name-token");
  REQUIRE((*chain())->resolve()->session_token->reveal() == "env-token");
  box.unset("AWS_SESSION_TOKEN");
  REQUIRE((*chain())->resolve()->session_token->reveal() == "old-name-token");
  box.unset("AWS_SECURITY_TOKEN");
  REQUIRE_FALSE((*chain())->resolve()->session_token.has_value());
  box.set("AWS_SESSION_TOKEN", "env-token");

  // AWS_CREDENTIAL_EXPIRATION gives them an expiry, as botocore and the SDK for JavaScript read it.
  box.set("AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z");
  REQUIRE((*chain())->resolve()->expiration == parse_timestamp("2030-01-02T03:04:05Z"));
  box.set("AWS_CREDENTIAL_EXPIRATION", "2020-01-02T03:04:05Z");  // the client's cache refuses them
  const auto expired = caching_provider(*chain()).resolve();
  REQUIRE(expired.error().code == "ExpiredCredentials");
  REQUIRE(contains(expired.error().message, "2020-01-02T03:04:05Z"));
  box.set("AWS_CREDENTIAL_EXPIRATION", "next week");
  auto bad = chain();
  REQUIRE(bad.error().code == "InvalidSetting");
  REQUIRE(contains(bad.error().message, "AWS_CREDENTIAL_EXPIRATION"));
  box.unset("AWS_CREDENTIAL_EXPIRATION");

  box.unset("AWS_ACCESS_KEY_ID");
  box.unset("AWS_SECRET_ACCESS_KEY");
  box.set("AWS_WEB_IDENTITY_TOKEN_FILE", box.path("token"));
  REQUIRE(chain().error().code == "InvalidWebIdentity");
  box.config(
      "[default]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = x\n"
      "source_profile = default\n");
  box.unset("AWS_WEB_IDENTITY_TOKEN_FILE");
  auto loop = chain();
  REQUIRE(loop.error().kind == error_kind::configuration);
  REQUIRE(contains(loop.error().message, "default -> b -> default"));
}

TEST_CASE("the cache refreshes in the advisory and mandatory windows, once", "[credentials][cache]") {
  timestamp now = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  std::mutex clock_mutex;
  auto clock = [&] {
    std::lock_guard<std::mutex> lock(clock_mutex);
    return now;
  };
  auto advance_to = [&](timestamp t) {
    std::lock_guard<std::mutex> lock(clock_mutex);
    now = t;
  };
  std::atomic<int> calls{0};
  std::atomic<bool> failing{false};
  const timestamp start = now;
  auto inner = make_provider(
      [&]() -> result<credentials> {
        const int n = ++calls;
        std::this_thread::sleep_for(50ms);
        if (failing) return make_error(error_kind::credentials, "Down", "the source is down");
        credentials c;
        c.access_key_id = "AK" + std::to_string(n);
        c.secret_access_key = "S";
        c.expiration = clock() + 1h;
        return c;
      },
      "test source");
  std::vector<std::string> log;
  std::mutex log_mutex;
  caching_provider cache(inner, {.advisory_window = 15min,
                                 .mandatory_window = 10min,
                                 .retry_delay = 30s,
                                 .clock = clock,
                                 .log = [&](std::string_view l) {
                                   std::lock_guard<std::mutex> lock(log_mutex);
                                   log.emplace_back(l);
                                 }});
  REQUIRE(cache.resolve()->access_key_id == "AK1");
  REQUIRE(cache.resolve()->access_key_id == "AK1");
  REQUIRE(calls == 1);
  REQUIRE(contains(log.at(0), "test source gave access key id AK1"));

  auto race = [&](int threads) {
    std::vector<std::string> keys(static_cast<std::size_t>(threads));
    std::barrier sync(threads);
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
      pool.emplace_back([&, i] {
        sync.arrive_and_wait();
        auto r = cache.resolve();
        keys[static_cast<std::size_t>(i)] = r ? r->access_key_id : "error";
      });
    }
    for (auto& t : pool) t.join();
    return keys;
  };

  // Mandatory window: everyone waits for the one refresh and gets its result.
  advance_to(start + 55min);
  auto keys = race(16);
  REQUIRE(calls == 2);
  for (const auto& k : keys) REQUIRE(k == "AK2");

  // Advisory window: one refresh; callers that do not do it keep the current credentials.
  advance_to(start + 55min + 48min);
  keys = race(16);
  REQUIRE(calls == 3);
  for (const auto& k : keys) REQUIRE((k == "AK2" || k == "AK3"));
  REQUIRE(cache.resolve()->access_key_id == "AK3");

  // A failed refresh keeps valid credentials, and is not retried before retry_delay.
  const timestamp third = start + 55min + 48min;
  failing = true;
  advance_to(third + 52min);
  REQUIRE(cache.resolve()->access_key_id == "AK3");
  REQUIRE(calls == 4);
  REQUIRE(contains(log.back(), "refresh failed"));
  REQUIRE(contains(log.back(), "the source is down"));
  advance_to(third + 52min + 10s);
  REQUIRE(cache.resolve()->access_key_id == "AK3");
  REQUIRE(calls == 4);
  advance_to(third + 52min + 31s);
  REQUIRE(cache.resolve()->access_key_id == "AK3");
  REQUIRE(calls == 5);
  // Expired: the error comes through.
  advance_to(third + 61min);
  auto expired = cache.resolve();
  REQUIRE_FALSE(expired.ok());
  REQUIRE(expired.error().code == "Down");
  failing = false;
  REQUIRE(cache.resolve()->access_key_id == "AK7");

  // Short-lived credentials get proportionally shorter windows instead of refreshing at once.
  auto short_lived = make_provider(
      [&]() -> result<credentials> {
        ++calls;
        credentials c;
        c.access_key_id = "SHORT";
        c.secret_access_key = "S";
        c.expiration = clock() + 8min;
        return c;
      },
      "short");
  caching_provider short_cache(
      short_lived,
      {.advisory_window = 15min, .mandatory_window = 10min, .retry_delay = 30s, .clock = clock, .log = {}});
  const int before = calls;
  REQUIRE(short_cache.resolve().ok());
  REQUIRE(short_cache.resolve().ok());
  REQUIRE(calls == before + 1);
}

TEST_CASE("the cache refuses incomplete or already expired credentials", "[credentials][cache]") {
  auto empty = make_provider([] { return result<credentials>(credentials{}); }, "empty source");
  auto r = caching_provider(empty).resolve();
  REQUIRE(r.error().code == "IncompleteCredentials");
  REQUIRE(contains(r.error().message, "empty source"));
  auto stale = make_provider(
      [] {
        credentials c;
        c.access_key_id = "AK";
        c.secret_access_key = "S";
        c.expiration = timestamp(std::chrono::seconds(1000));
        return result<credentials>(std::move(c));
      },
      "stale source");
  REQUIRE(caching_provider(stale).resolve().error().code == "ExpiredCredentials");
}

TEST_CASE("the regional endpoints of STS, the SSO portal and SSO OIDC, with FIPS and dual-stack",
          "[credentials][endpoint]") {
  using detail::regional_endpoint;
  const detail::endpoint_variant plain{}, fips{.fips = true, .dual_stack = false},
      dual{.fips = false, .dual_stack = true}, both{.fips = true, .dual_stack = true};
  REQUIRE(*regional_endpoint("portal.sso", "eu-west-1", plain) ==
          "https://portal.sso.eu-west-1.amazonaws.com");
  REQUIRE(*regional_endpoint("portal.sso", "us-east-2", both) == "https://portal.sso-fips.us-east-2.api.aws");
  REQUIRE(*regional_endpoint("oidc", "us-east-2", fips) == "https://oidc-fips.us-east-2.amazonaws.com");
  REQUIRE(*regional_endpoint("oidc", "cn-north-1", dual) ==
          "https://oidc.cn-north-1.api.amazonwebservices.com.cn");
  REQUIRE(*regional_endpoint("sts", "us-iso-east-1", plain) == "https://sts.us-iso-east-1.c2s.ic.gov");
  REQUIRE(*regional_endpoint("sts", "us-gov-east-1", fips) == "https://sts.us-gov-east-1.amazonaws.com");
  REQUIRE(*regional_endpoint("portal.sso", "us-gov-east-1", fips) ==
          "https://portal.sso-fips.us-gov-east-1.amazonaws.com");
}
