#include "services/securityhub/errors.h"

namespace cairn::securityhub::errors {

AwsError AccessDeniedException(std::string message) {
  return AwsError::Make("AccessDeniedException", std::move(message), 403);
}
AwsError InternalException(std::string message) {
  return AwsError::Make("InternalException", std::move(message), 500);
}
AwsError InvalidAccessException(std::string message) {
  return AwsError::Make("InvalidAccessException", std::move(message), 401);
}
AwsError InvalidInputException(std::string message) {
  return AwsError::Make("InvalidInputException", std::move(message), 400);
}
AwsError LimitExceededException(std::string message) {
  return AwsError::Make("LimitExceededException", std::move(message), 429);
}
AwsError ResourceConflictException(std::string message) {
  return AwsError::Make("ResourceConflictException", std::move(message), 409);
}
AwsError ResourceNotFoundException(std::string message) {
  return AwsError::Make("ResourceNotFoundException", std::move(message), 404);
}

}  // namespace cairn::securityhub::errors
