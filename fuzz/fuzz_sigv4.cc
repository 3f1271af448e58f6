// Fuzzes SigV4 credential reading (gateway/identity.h). Input: the request target on the first
// line (`/?X-Amz-Credential=...` for a presigned request), then `name: value` header lines as
// the HTTP layer hands them over (names lower-cased). Whatever the input, ReadCredential
// answers a credential, none, or IncompleteSignatureException.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/http_message.h"
#include "gateway/identity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  cairn::HttpRequest request;
  request.method = "POST";
  size_t line_end = text.find('\n');
  request.target = std::string(text.substr(0, line_end));
  while (line_end != std::string_view::npos) {
    text.remove_prefix(line_end + 1);
    line_end = text.find('\n');
    const std::string_view line = text.substr(0, line_end);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.emplace_back(std::move(name), std::string(value));
  }
  const auto credential = cairn::gateway::ReadCredential(request);
  if (!credential.ok()) {
    if (credential.error().code != "IncompleteSignatureException") std::abort();
    return 0;
  }
  if (credential.value()) {
    const std::string account =
        cairn::gateway::AccountForKey(credential.value()->access_key_id, "000000000000");
    if (account.size() != 12) std::abort();
  }
  return 0;
}
