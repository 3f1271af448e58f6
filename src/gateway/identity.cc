#include "gateway/identity.h"

#include <vector>

#include "base/url.h"
#include "gateway/sigv4.h"
#include "protocol/protocol.h"

namespace cairn::gateway {
namespace {

// `AKID/20240101/us-east-1/ssm/aws4_request` -> Credential.
std::optional<Credential> ParseScope(std::string_view scope) {
  sigv4::Parts parts;
  if (!sigv4::ReadScope(scope, parts)) return std::nullopt;
  return Credential{std::move(parts.access_key_id), std::move(parts.scope_date),
                    std::move(parts.region), std::move(parts.service)};
}

}  // namespace

Result<std::optional<Credential>> ReadCredential(const HttpRequest& request) {
  const std::string_view authorization = request.Header("authorization");
  if (!authorization.empty()) {
    const size_t key = authorization.find("Credential=");
    if (authorization.substr(0, 16) != "AWS4-HMAC-SHA256" || key == std::string_view::npos) {
      return protocol::errors::IncompleteSignatureException(
          "Authorization header requires 'Credential' parameter. Authorization header requires "
          "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.");
    }
    std::string_view scope = authorization.substr(key + 11);
    scope = scope.substr(0, scope.find_first_of(", "));
    std::optional<Credential> credential = ParseScope(scope);
    if (!credential) {
      return protocol::errors::IncompleteSignatureException(
          "Credential should be scoped to a valid region. ");
    }
    return std::optional<Credential>(std::move(credential));
  }
  // Presigned requests carry the scope in the query string.
  std::vector<std::pair<std::string, std::string>> params;
  if (url::ParseQuery(request.Query(), params, false)) {
    for (const auto& [name, value] : params) {
      if (name != "X-Amz-Credential") continue;
      std::optional<Credential> credential = ParseScope(value);
      if (!credential) {
        return protocol::errors::IncompleteSignatureException(
            "Credential should be scoped to a valid region. ");
      }
      return std::optional<Credential>(std::move(credential));
    }
  }
  return std::optional<Credential>();
}

std::string AccountForKey(std::string_view access_key_id, std::string_view default_account) {
  if (access_key_id.size() != 12) return std::string(default_account);
  for (char character : access_key_id) {
    if (character < '0' || character > '9') return std::string(default_account);
  }
  return std::string(access_key_id);
}

}  // namespace cairn::gateway
