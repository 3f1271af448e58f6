// SigV4: the pieces of AWS Signature Version 4 that a server needs to check a signature
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
// the signature's parts, read from the Authorization header or a presigned query string; the
// canonical request; the string to sign; and the signature itself. Pure functions, no state.
//
// Canonicalisation follows what the SDKs sign (botocore's SigV4Auth is the reference):
//   - the URI is the path as sent (still percent-encoded), dot segments and empty segments
//     removed, then percent-encoded once more with `/` kept (so `%3A` becomes `%253A`);
//   - the query's names and values are decoded, re-encoded with only RFC 3986 unreserved
//     characters left bare, and sorted by name then value; a presigned request's
//     X-Amz-Signature is left out;
//   - each signed header is `name:value` with the value trimmed and inner runs of spaces
//     collapsed, repeated headers joined by `,`;
//   - the payload hash is the x-amz-content-sha256 header when sent, else SHA-256 of the body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/http_message.h"

namespace cairn::gateway::sigv4 {

// Why the signature's parts cannot be read; the message is AWS's.
struct Incomplete {
  std::string message;
};

struct Parts {
  bool presigned = false;
  std::string access_key_id;
  std::string scope_date;  // yyyymmdd
  std::string region;
  std::string service;
  std::string amz_date;                     // yyyymmddThhmmssZ, X-Amz-Date (header or query)
  std::vector<std::string> signed_headers;  // lower case, as listed
  std::string signature;                    // lower-case hex
  std::string security_token;               // X-Amz-Security-Token, empty when not sent

  std::string Scope() const { return scope_date + "/" + region + "/" + service + "/aws4_request"; }
};

// `AKID/20240101/us-east-1/ssm/aws4_request` into the key id and scope fields of `parts`;
// false when it is not that shape.
bool ReadScope(std::string_view scope, Parts& parts);

// The signature's parts: nullopt when the request carries no SigV4 signature at all.
// `incomplete` is filled (and nullopt returned) when a signature is there but unreadable.
std::optional<Parts> Read(const HttpRequest& request, std::optional<Incomplete>& incomplete);

std::string CanonicalRequest(const HttpRequest& request, const Parts& parts,
                             std::string_view payload_hash);
std::string StringToSign(const Parts& parts, std::string_view canonical_request);
// Lower-case hex HMAC-SHA256 of the string to sign under the key derived from the secret.
std::string Signature(std::string_view secret, const Parts& parts, std::string_view string_to_sign);

// `20240101T000000Z` <-> epoch seconds; nullopt for anything else.
std::optional<long long> ParseAmzDate(std::string_view amz_date);
std::string FormatAmzDate(long long epoch_seconds);

}  // namespace cairn::gateway::sigv4
