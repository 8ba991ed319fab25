// libFuzzer entry for the readers of untrusted credential documents: the XML reader and STS
// responses, credential_process output, container/IMDS credential documents, SSO portal and token
// documents, console sign-in cache files (read, rewritten after a refresh, their DPoP key) and
// the shared config file parser. The first byte picks the reader.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "ivsrt/config_file.hpp"
#include "ivsrt/credential_process.hpp"
#include "ivsrt/login_credentials.hpp"
#include "ivsrt/sso_credentials.hpp"
#include "ivsrt/sts.hpp"
#include "ivsrt/xml_extract.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0: {
      (void)ivsrt::xml::extract(input, {"a", "a/b", "a/b/c", "ErrorResponse/Error/Code"});
      break;
    }
    case 1: {
      ivsrt::http::response r;
      r.status = (data[0] & 0x80) != 0 ? 403 : 200;
      r.body = std::string(input);
      (void)ivsrt::sts::detail::read_response(
          r, (data[0] & 0x40) != 0 ? "AssumeRoleWithWebIdentity" : "AssumeRole", "arn:aws:iam::1:role/r");
      break;
    }
    case 2: {
      std::string text(input);
      (void)ivsrt::detail::parse_process_output(text, "fuzz");
      break;
    }
    case 3: {
      std::string text(input);
      (void)ivsrt::detail::read_metadata_credentials(text, "fuzz");
      break;
    }
    case 4: {
      std::string text(input);
      ivsrt::detail::sso_role_credentials_response body;
      (void)ivsrt::detail::read_json(text, body);
      ivsrt::detail::sso_token_document token;
      (void)ivsrt::detail::read_json(text, token);
      (void)ivsrt::detail::parse_sso_expiry(std::string(input));
      break;
    }
    case 5: {
      (void)ivsrt::detail::split_command(input);
      break;
    }
    case 6: {
      std::string text(input);
      ivsrt::detail::login_token_document token;
      (void)ivsrt::detail::read_json(text, token);
      ivsrt::detail::login_token_response answer;
      (void)ivsrt::detail::read_json(text, answer);
      (void)ivsrt::dpop::key::from_pem(input);
      // A rewritten cache file must be JSON again, with the new members in it.
      ivsrt::detail::login_cache_rewrite rewrite{.access = {{{"accessKeyId", "A"},
                                                             {"secretAccessKey", "S"},
                                                             {"sessionToken", "T"},
                                                             {"expiresAt", "E"}}},
                                                 .refresh_token = "R",
                                                 .out = {}};
      if (ivsrt::json::detail::parse_document(text, 0, &rewrite, &ivsrt::detail::rewrite_login_cache)) {
        constexpr std::array<std::string_view, 1> names = {"refreshToken"};
        std::array<std::optional<std::string>, 1> values;
        if (!ivsrt::json::read_string_members(rewrite.out, 0, names, values) || values[0] != "R")
          std::abort();
      }
      break;
    }
    default: {
      ivsrt::config::profile_set set;
      (void)ivsrt::config::parse(
          input, "fuzz",
          (data[0] & 0x80) != 0 ? ivsrt::config::file_kind::credentials : ivsrt::config::file_kind::config,
          set);
      break;
    }
  }
  return 0;
}
