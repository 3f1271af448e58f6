// One factory per Security Hub error code the model declares (models/securityhub.json). The
// HTTP status comes from the model's error trait (the protocol layer applies it): 400, 401,
// 403, 404, 409, 429, 500. Each takes the message AWS sends in that situation; defaults are
// the API reference's meaning of the error.
#pragma once

#include <string>

#include "base/aws_error.h"

namespace cairn::securityhub::errors {

AwsError AccessDeniedException(
    std::string message =
        "You don't have permission to perform the action specified in the request.");
AwsError InternalException(std::string message = "Internal server error.");
AwsError InvalidAccessException(
    std::string message = "The account doesn't have permission to perform this action.");
AwsError InvalidInputException(std::string message =
                                   "The request was rejected because you supplied an invalid or "
                                   "out-of-range value for an input parameter.");
AwsError LimitExceededException(
    std::string message =
        "The request was rejected because it attempted to create resources beyond the current "
        "Amazon Web Services account or throttling limits.");
AwsError ResourceConflictException(
    std::string message =
        "The resource specified in the request conflicts with an existing resource.");
AwsError ResourceNotFoundException(
    std::string message = "The request was rejected because we can't find the specified resource.");

}  // namespace cairn::securityhub::errors
