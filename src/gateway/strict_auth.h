// StrictAuth: `--auth strict`. Every AWS request must carry a SigV4 signature made with a key
// from the credentials file, and acts as the account that file gives the key (not cairn's
// key-id-is-the-account convention). A refused request reaches no provider, so it changes
// nothing. Errors are AWS's, in each protocol's words:
//
//   refusal                  awsJson (ssm, config,         restJson           awsQuery (sts)
//                            organizations)                (securityhub)
//   unknown key / bad token  400 UnrecognizedClientException  403 same         403
//   InvalidClientTokenId wrong signature, stale   400 InvalidSignatureException    403 same 403
//   SignatureDoesNotMatch or future X-Amz-Date, wrong service scope, payload hash mismatch
//   unreadable signature     400 IncompleteSignatureException (as without strict mode)
//
// The freshness window is AWS's 15 minutes either side of the server's wall clock (the real
// clock, not cairn's virtual one: clients sign with real time). Presigned requests get the
// same window; like STS, X-Amz-Expires does not extend it.
//
// Credentials file (YAML; JSON is YAML too), one entry per access key id:
//
//   AKIAEXAMPLEKEY0001:
//     secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
//     account: "111111111111"
//     session_token: FwoGZXIvYXdzE...   # optional; then requests must send exactly this
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/http_message.h"
#include "base/result.h"
#include "model/model.h"

namespace cairn::gateway {

struct Principal {
  std::string access_key_id;
  std::string secret_access_key;
  std::string account;
  std::string session_token;  // empty: the key takes no session token
};

class StrictAuth {
 public:
  // Reads the credentials file; nullopt with a one-line `error` (naming the entry) when it
  // cannot be read or an entry is malformed.
  static std::optional<StrictAuth> Load(const std::string& path, std::string& error);
  static std::optional<StrictAuth> Parse(std::string_view yaml, std::string& error);

  // The principal a signed request acts as, or the AWS error refusing it. `now` is epoch
  // seconds of the wall clock.
  Result<const Principal*> Verify(const HttpRequest& request, const model::ServiceModel& service,
                                  long long now) const;

  size_t size() const { return principals_.size(); }

 private:
  std::unordered_map<std::string, Principal> principals_;
};

}  // namespace cairn::gateway
