// libFuzzer entry for reading participant tokens, which a server may receive from anyone. The
// first byte picks what the rest is:
//   0: a token, verified as it is (splitting, base64url, the header);
//   1: "header JSON\npayload JSON", encoded and signed with the verifier's key, so that the
//      payload's reading and the claims' checks are reached too;
//   2: PEM text, read as a public and as a private key.
// A token never appears in a verifier's error message, and one that verifies does so again with
// the same claims.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ivsrt/base64url.hpp"
#include "ivsrt/tokens/participant_token_verifier.hpp"

namespace {

using namespace ivsrt::tokens;

constexpr std::string_view key_arn =
    "arn:aws:ivs:us-west-2:123456789012:public-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a";
// A fixed clock inside the seeds' validity, so that a run does not depend on the day.
const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1700000100));

const private_key& key() {
  static const private_key k = *private_key::generate();
  return k;
}

const participant_token_verifier& verifier() {
  static const participant_token_verifier v =
      *participant_token_verifier::create(*key().public_part(), std::string(key_arn));
  return v;
}

void check(std::string_view token) {
  auto claims = verifier().verify(token, now);
  if (!claims) {
    if (token.size() >= 16 && claims.error().describe().find(token) != std::string::npos) std::abort();
    return;
  }
  auto again = verifier().verify(token, now);
  if (!again || again->jti != claims->jti || again->exp != claims->exp ||
      again->attributes != claims->attributes) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: check(input); break;
    case 1: {
      const std::size_t newline = input.find('\n');
      if (newline == std::string_view::npos) return 0;
      std::string token = ivsrt::base64url::encode(input.substr(0, newline)) + "." +
                          ivsrt::base64url::encode(input.substr(newline + 1));
      auto sig = es384::sign(key().native_handle(), token);
      if (!sig) std::abort();
      token += "." + ivsrt::base64url::encode(
                         std::string_view(reinterpret_cast<const char*>(sig->data()), sig->size()));
      check(token);
      break;
    }
    default: (void)public_key::from_pem(input); (void)private_key::from_pem(input);
  }
  return 0;
}
