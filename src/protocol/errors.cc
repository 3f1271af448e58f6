#include "protocol/protocol.h"

namespace cairn::protocol {
namespace {

// Which service a request meant, from its headers alone: X-Amz-Target names an awsJson
// service; a form body, an Action in the query or an STS credential scope the awsQuery one;
// anything else is taken for restJson.
const model::ServiceModel* ServiceOf(const model::Catalog& catalog, const HttpRequest& request) {
  const std::string_view target = request.Header("x-amz-target");
  const bool query =
      request.Header("content-type").find("x-www-form-urlencoded") != std::string_view::npos ||
      request.Query().find("Action=") != std::string_view::npos;
  const model::ServiceModel* fallback = nullptr;
  for (const model::ServiceModel& service : catalog.services()) {
    switch (service.protocol) {
      case model::Protocol::kJson:
        if (!target.empty() && target.starts_with(service.target_prefix + ".")) return &service;
        break;
      case model::Protocol::kQuery:
        if (target.empty() &&
            (query || request.Header("authorization").find("/" + service.signing_name + "/") !=
                          std::string_view::npos)) {
          return &service;
        }
        break;
      case model::Protocol::kRestJson:
        if (!fallback) fallback = &service;
        break;
    }
  }
  return target.empty() ? fallback : nullptr;
}

AwsError ThrottlingFor(const model::ServiceModel& service, std::string message) {
  if (const model::Shape* shape = service.FindShape("TooManyRequestsException");
      shape && shape->is_error) {
    return AwsError::Make("TooManyRequestsException", std::move(message), 400);
  }
  switch (service.protocol) {
    case model::Protocol::kRestJson:
      for (const std::string_view code : {"TooManyRequestsException", "LimitExceededException"}) {
        const model::Shape* shape = service.FindShape(code);
        if (shape && shape->is_error && shape->error_status == 429) {
          return AwsError::Make(std::string(code), std::move(message), 429);
        }
      }
      return AwsError::Make("TooManyRequestsException", std::move(message), 429);
    case model::Protocol::kQuery:
      return AwsError::Make("Throttling", std::move(message), 400);
    case model::Protocol::kJson:
      break;
  }
  return AwsError::Make("ThrottlingException", std::move(message), 400);
}

}  // namespace

HttpResponse RefusalResponse(const model::Catalog& catalog, AwsError error,
                             const HttpRequest* request, std::string_view request_id) {
  const model::ServiceModel* service = request ? ServiceOf(catalog, *request) : nullptr;
  if (service && error.code == "ThrottlingException")
    error = ThrottlingFor(*service, std::move(error.message));
  return ErrorResponse(service, std::move(error), request_id);
}

}  // namespace cairn::protocol

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
