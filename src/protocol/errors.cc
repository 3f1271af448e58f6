#include "protocol/protocol.h"

namespace cairn::protocol::errors {

AwsError SerializationException(std::string message) {
  return AwsError::Make("SerializationException", std::move(message));
}

AwsError UnknownOperationException(std::string message) {
  return AwsError::Make("UnknownOperationException", std::move(message));
}

// AWS's JSON front ends answer a request with no credentials at all with this code; the
// status is 403 as the foundation issue specifies and as STS and API-Gateway-fronted
// services (securityhub) answer it.
AwsError MissingAuthenticationToken(std::string_view) {
  return AwsError::Make("MissingAuthenticationTokenException",
                        "Request is missing Authentication Token", 403);
}

AwsError IncompleteSignatureException(std::string message) {
  return AwsError::Make("IncompleteSignatureException", std::move(message), 400);
}

// 501 is not retried by botocore, so a client sees at once which operation is missing.
AwsError NotImplemented(std::string_view service, std::string_view operation) {
  return AwsError::Make(
      "NotImplemented",
      "cairn does not implement " + std::string(service) + "." + std::string(operation) + " yet",
      501);
}

AwsError InternalFailure() {
  return AwsError::Make("InternalFailure",
                        "The request processing has failed because of an unknown error, "
                        "exception or failure.",
                        500);
}

AwsError RequestEntityTooLarge(size_t limit) {
  return AwsError::Make(
      "RequestEntityTooLargeException",
      "Request body is larger than the limit of " + std::to_string(limit) + " bytes", 413);
}

}  // namespace cairn::protocol::errors
