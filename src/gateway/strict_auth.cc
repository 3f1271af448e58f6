#include "gateway/strict_auth.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "base/sha256.h"
#include "gateway/sigv4.h"
#include "protocol/protocol.h"

namespace cairn::gateway {
namespace {

constexpr long long kWindowSeconds = 15 * 60;

constexpr std::string_view kInvalidToken = "The security token included in the request is invalid.";
constexpr std::string_view kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

// The protocol's status for an authentication refusal: awsJson services answer 400, STS and
// the API-Gateway-fronted restJson services 403.
int AuthStatus(const model::ServiceModel& service) {
  return service.protocol == model::Protocol::kJson ? 400 : 403;
}

AwsError InvalidToken(const model::ServiceModel& service) {
  const bool query = service.protocol == model::Protocol::kQuery;
  return AwsError::Make(query ? "InvalidClientTokenId" : "UnrecognizedClientException",
                        std::string(kInvalidToken), AuthStatus(service));
}

AwsError BadSignature(const model::ServiceModel& service, std::string message) {
  const bool query = service.protocol == model::Protocol::kQuery;
  return AwsError::Make(query ? "SignatureDoesNotMatch" : "InvalidSignatureException",
                        std::move(message), AuthStatus(service));
}

bool TwelveDigits(std::string_view text) {
  if (text.size() != 12) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool KeyIdCharacters(std::string_view text) {
  for (const char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return !text.empty();
}

}  // namespace

std::optional<StrictAuth> StrictAuth::Load(const std::string& path, std::string& error) {
  std::ifstream file(path);
  if (!file) {
    error = "cannot read credentials file " + path;
    return std::nullopt;
  }
  std::stringstream text;
  text << file.rdbuf();
  std::optional<StrictAuth> auth = Parse(text.str(), error);
  if (!auth) error = path + ": " + error;
  return auth;
}

std::optional<StrictAuth> StrictAuth::Parse(std::string_view yaml, std::string& error) {
  YAML::Node document;
  try {
    document = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& bad) {
    error = "line " + std::to_string(bad.mark.line + 1) + ": " + bad.msg;
    return std::nullopt;
  }
  if (!document.IsMap() || document.size() == 0) {
    error = "expected a map of access key id -> {secret_access_key, account, session_token}";
    return std::nullopt;
  }
  StrictAuth auth;
  for (const auto& entry : document) {
    const std::string line = "line " + std::to_string(entry.first.Mark().line + 1) + ": ";
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
    if (!KeyIdCharacters(key)) {
      error = line + "an access key id is letters and digits, not '" + key + "'";
      return std::nullopt;
    }
    const YAML::Node& fields = entry.second;
    if (!fields.IsMap()) {
      error = line + key + " needs secret_access_key and account";
      return std::nullopt;
    }
    Principal principal{key, "", "", ""};
    for (const auto& field : fields) {
      const std::string name = field.first.Scalar();
      if (!field.second.IsScalar()) {
        error = line + key + "." + name + " must be a string";
        return std::nullopt;
      }
      if (name == "secret_access_key") {
        principal.secret_access_key = field.second.Scalar();
      } else if (name == "account") {
        principal.account = field.second.Scalar();
      } else if (name == "session_token") {
        principal.session_token = field.second.Scalar();
      } else {
        error = line + key + " has an unknown field '" + name +
                "' (secret_access_key, account, session_token)";
        return std::nullopt;
      }
    }
    if (principal.secret_access_key.empty() || !TwelveDigits(principal.account)) {
      error = line + key + " needs a secret_access_key and a 12-digit account (quote it)";
      return std::nullopt;
    }
    if (!auth.principals_.emplace(key, std::move(principal)).second) {
      error = line + key + " is listed twice";
      return std::nullopt;
    }
  }
  return auth;
}

Result<const Principal*> StrictAuth::Verify(const HttpRequest& request,
                                            const model::ServiceModel& service,
                                            long long now) const {
  std::optional<sigv4::Incomplete> incomplete;
  std::optional<sigv4::Parts> parts = sigv4::Read(request, incomplete);
  if (incomplete) return protocol::errors::IncompleteSignatureException(incomplete->message);
  if (!parts) return protocol::errors::MissingAuthenticationToken(service.name);

  const auto found = principals_.find(parts->access_key_id);
  if (found == principals_.end()) return InvalidToken(service);
  const Principal& principal = found->second;
  if (parts->security_token != principal.session_token) return InvalidToken(service);

  if (parts->service != service.signing_name) {
    return BadSignature(service, "Credential should be scoped to correct service: '" +
                                     service.signing_name + "'. ");
  }
  const std::optional<long long> signed_at = sigv4::ParseAmzDate(parts->amz_date);
  if (!signed_at || parts->amz_date.substr(0, 8) != parts->scope_date) {
    return BadSignature(service,
                        "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                        "version of date from HTTP: '" +
                            parts->scope_date + "' != '" + parts->amz_date.substr(0, 8) +
                            "', from '" + parts->amz_date + "'.");
  }
  if (*signed_at < now - kWindowSeconds) {
    return BadSignature(service, "Signature expired: " + parts->amz_date + " is now earlier than " +
                                     sigv4::FormatAmzDate(now - kWindowSeconds) + " (" +
                                     sigv4::FormatAmzDate(now) + " - 15 min.)");
  }
  if (*signed_at > now + kWindowSeconds) {
    return BadSignature(service, "Signature not yet current: " + parts->amz_date +
                                     " is still later than " +
                                     sigv4::FormatAmzDate(now + kWindowSeconds) + " (" +
                                     sigv4::FormatAmzDate(now) + " + 15 min.)");
  }
  bool host_signed = false;
  for (const std::string& name : parts->signed_headers) host_signed |= name == "host";
  if (!host_signed) {
    return protocol::errors::IncompleteSignatureException(
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const std::string body_hash = sha256::HexHash(request.body);
  const std::string_view sent_hash = request.Header("x-amz-content-sha256");
  if (!sent_hash.empty() && sent_hash != "UNSIGNED-PAYLOAD" && sent_hash != body_hash) {
    return BadSignature(service,
                        "The provided 'x-amz-content-sha256' header does not match what was "
                        "computed.");
  }
  const std::string canonical =
      sigv4::CanonicalRequest(request, *parts, sent_hash.empty() ? body_hash : sent_hash);
  const std::string expected =
      sigv4::Signature(principal.secret_access_key, *parts, sigv4::StringToSign(*parts, canonical));
  if (expected.size() != parts->signature.size() ||
      !sha256::ConstantTimeEqual(expected.data(), parts->signature.data(), expected.size()))
    return BadSignature(service, std::string(kSignatureMismatch));
  return &principal;
}

}  // namespace cairn::gateway
