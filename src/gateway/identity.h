// Identity: who a request acts as, read from its SigV4 credentials (the Authorization
// header, or X-Amz-Credential for presigned requests). cairn's convention: the account is
// the access key id when that is 12 digits, else the default account; the region is the
// credential scope's. Signatures are not verified here (strict mode is a separate layer).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/http_message.h"
#include "base/result.h"

namespace cairn::gateway {

struct Credential {
  std::string access_key_id;
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;  // credential-scope service, e.g. "ssm"
};

// The request's credential, nullopt when it carries none, or IncompleteSignatureException
// when an Authorization header is present but unreadable.
Result<std::optional<Credential>> ReadCredential(const HttpRequest& request);

// The account a key id acts as: the key itself when it is 12 digits.
std::string AccountForKey(std::string_view access_key_id, std::string_view default_account);

}  // namespace cairn::gateway
