#include "services/config/errors.h"

namespace cairn::config::errors {

AwsError ConformancePackTemplateValidationException(std::string message) {
  return AwsError::Make("ConformancePackTemplateValidationException", std::move(message));
}

AwsError InsufficientPermissionsException(std::string message) {
  return AwsError::Make("InsufficientPermissionsException", std::move(message));
}

AwsError InvalidLimitException(std::string message) {
  return AwsError::Make("InvalidLimitException", std::move(message));
}

AwsError InvalidNextTokenException(std::string message) {
  return AwsError::Make("InvalidNextTokenException", std::move(message));
}

AwsError InvalidParameterValueException(std::string message) {
  return AwsError::Make("InvalidParameterValueException", std::move(message));
}

AwsError InvalidRoleException(std::string message) {
  return AwsError::Make("InvalidRoleException", std::move(message));
}

AwsError LimitExceededException(std::string message) {
  return AwsError::Make("LimitExceededException", std::move(message));
}

AwsError MaxNumberOfConformancePacksExceededException(std::string message) {
  return AwsError::Make("MaxNumberOfConformancePacksExceededException", std::move(message));
}

AwsError MaxNumberOfOrganizationConfigRulesExceededException(std::string message) {
  return AwsError::Make("MaxNumberOfOrganizationConfigRulesExceededException", std::move(message));
}

AwsError MaxNumberOfOrganizationConformancePacksExceededException(std::string message) {
  return AwsError::Make("MaxNumberOfOrganizationConformancePacksExceededException",
                        std::move(message));
}

AwsError NoAvailableOrganizationException(std::string message) {
  return AwsError::Make("NoAvailableOrganizationException", std::move(message));
}

AwsError NoSuchConfigRuleInConformancePackException(std::string message) {
  return AwsError::Make("NoSuchConfigRuleInConformancePackException", std::move(message));
}

AwsError NoSuchConfigurationAggregatorException(std::string message) {
  return AwsError::Make("NoSuchConfigurationAggregatorException", std::move(message));
}

AwsError NoSuchConformancePackException(std::string message) {
  return AwsError::Make("NoSuchConformancePackException", std::move(message));
}

AwsError NoSuchOrganizationConfigRuleException(std::string message) {
  return AwsError::Make("NoSuchOrganizationConfigRuleException", std::move(message));
}

AwsError NoSuchOrganizationConformancePackException(std::string message) {
  return AwsError::Make("NoSuchOrganizationConformancePackException", std::move(message));
}

AwsError OrganizationAccessDeniedException(std::string message) {
  return AwsError::Make("OrganizationAccessDeniedException", std::move(message));
}

AwsError OrganizationAllFeaturesNotEnabledException(std::string message) {
  return AwsError::Make("OrganizationAllFeaturesNotEnabledException", std::move(message));
}

AwsError OrganizationConformancePackTemplateValidationException(std::string message) {
  return AwsError::Make("OrganizationConformancePackTemplateValidationException",
                        std::move(message));
}

AwsError ResourceInUseException(std::string message) {
  return AwsError::Make("ResourceInUseException", std::move(message));
}

AwsError ResourceNotFoundException(std::string message) {
  return AwsError::Make("ResourceNotFoundException", std::move(message));
}

AwsError TooManyTagsException(std::string message) {
  return AwsError::Make("TooManyTagsException", std::move(message));
}

AwsError ValidationException(std::string message) {
  return AwsError::Make("ValidationException", std::move(message));
}

}  // namespace cairn::config::errors
