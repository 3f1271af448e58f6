// The wire protocols of the in-scope services, driven by the service model:
//   awsJson1_1 (ssm, config, organizations): POST /, operation in X-Amz-Target, JSON body;
//   restJson1 (securityhub): operation from method + requestUri template, members from URI
//     labels, query string and JSON body;
//   awsQuery (sts): form-encoded Action=..., XML response.
// This module turns an HttpRequest into (operation, input document) and an output document
// or AwsError into an HttpResponse. Providers never see any of it.
//
// Everything here is a pure function of its arguments or of immutable tables built at
// startup (RestRouter); safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/http_message.h"
#include "base/result.h"
#include "model/model.h"
#include "validate/validator.h"

namespace cairn::protocol {

// The operation a request calls, and what its URI told about the input (REST labels).
struct Target {
  const model::ServiceModel* service = nullptr;
  const model::Operation* operation = nullptr;
  std::vector<std::pair<const model::Member*, std::string>> uri_labels;  // decoded
};

// awsJson: resolves `AmazonSSM.CreateAssociation`. Unknown prefix or operation ->
// UnknownOperationException, as AWS's JSON front ends answer.
Result<Target> ResolveJsonTarget(const model::Catalog& catalog, std::string_view target_header);

// restJson: the route table of every restJson service, built once from the model's
// `requestUri` templates.
class RestRouter {
 public:
  explicit RestRouter(const model::Catalog& catalog);
  // The operation whose method and URI template match; 404 UnknownOperationException when
  // none does, 400 for a path whose percent-encoding is broken.
  Result<Target> Match(std::string_view method, std::string_view path) const;

 private:
  struct Segment {
    std::string literal;                   // when label is null
    const model::Member* label = nullptr;  // bound member
    bool greedy = false;                   // `{Name+}`: the rest of the path
  };
  struct Route {
    const model::ServiceModel* service;
    const model::Operation* operation;
    std::vector<Segment> segments;
    size_t literal_count = 0;
  };
  std::vector<Route> routes_;
};

// awsQuery: the operation named by `Action` in the form body or query string.
Result<Target> ResolveQueryAction(const model::ServiceModel& service, const HttpRequest& request);

// Builds the input document of the target's operation from the request, per its protocol.
// Malformed JSON or a value that cannot be converted -> SerializationException.
Result<boost::json::value> ParseInput(const Target& target, const HttpRequest& request);

// The service's own error for a failed validation: ValidationException (ssm, config),
// InvalidInputException with Reason (organizations), InvalidInputException (securityhub), or
// SerializationException for a type error. Chosen from the error shapes the model declares.
AwsError ValidationError(const model::ServiceModel& service, const validate::Report& report);

// Serializes a successful output document (timestamps as epoch-second numbers from the
// provider) into the protocol's response.
HttpResponse SuccessResponse(const model::ServiceModel& service, const model::Operation& operation,
                             boost::json::object output, std::string_view request_id);

// Serializes an error in the protocol's wire shape. With no service (the request named none
// that cairn knows) the awsJson shape is used.
HttpResponse ErrorResponse(const model::ServiceModel* service, AwsError error,
                           std::string_view request_id);

// The answer to a request refused by the HTTP layer before any operation ran (over a limit,
// too slow, throttled, too many connections), in the shape of the protocol the request used
// as far as its headers tell (null request: the awsJson shape). A ThrottlingException becomes
// the throttling error of the request's service: the model's TooManyRequestsException where it
// declares one (organizations), its 429 error for restJson (securityhub LimitExceededException),
// `Throttling` for awsQuery (STS), else ThrottlingException.
HttpResponse RefusalResponse(const model::Catalog& catalog, AwsError error,
                             const HttpRequest* request, std::string_view request_id);

// Errors every protocol shares.
namespace errors {
AwsError SerializationException(std::string message);
AwsError UnknownOperationException(std::string message);
AwsError MissingAuthenticationToken(std::string_view service_protocol_hint = {});
AwsError IncompleteSignatureException(std::string message);
AwsError NotImplemented(std::string_view service, std::string_view operation);
AwsError InternalFailure();
AwsError RequestEntityTooLarge(size_t limit);
}  // namespace errors

}  // namespace cairn::protocol
