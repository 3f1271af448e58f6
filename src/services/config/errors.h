// One factory per AWS Config error code the model declares (models/config.json), named after
// it. Each takes the message AWS sends in that situation; the default is the meaning the
// AWS Config API reference gives the error. Config error shapes have no members: the
// message travels as `message`.
#pragma once

#include <string>

#include "base/aws_error.h"

namespace cairn::config::errors {

AwsError ConformancePackTemplateValidationException(
    std::string message = "You have specified a template that isn't valid or supported.");
AwsError InsufficientPermissionsException(
    std::string message =
        "Indicates one of the following errors: For PutConfigRule, the rule cannot be created "
        "because the IAM role assigned to Config lacks permissions to perform the config:Put* "
        "action; for OrganizationConfigRule and OrganizationConformancePack, the service-linked "
        "role is not available.");
AwsError InvalidLimitException(
    std::string message = "The specified limit is outside the allowable range.");
AwsError InvalidNextTokenException(
    std::string message =
        "The specified next token is not valid. Specify the nextToken string that was returned in "
        "the previous response to get the next page of results.");
AwsError InvalidParameterValueException(
    std::string message =
        "One or more of the specified parameters are not valid. Verify that your parameters are "
        "valid and try again.");
AwsError InvalidRoleException(
    std::string message =
        "You have provided a null or empty Amazon Resource Name (ARN) for the IAM role assumed by "
        "Config and used by the configuration recorder.");
AwsError LimitExceededException(
    std::string message = "You have reached the limit of the number of resources you can create.");
AwsError MaxNumberOfConformancePacksExceededException(
    std::string message =
        "You have reached the limit of the number of conformance packs you can create in an "
        "account.");
AwsError MaxNumberOfOrganizationConfigRulesExceededException(
    std::string message =
        "You have reached the limit of the number of organization Config rules you can create.");
AwsError MaxNumberOfOrganizationConformancePacksExceededException(
    std::string message =
        "You have reached the limit of the number of organization conformance packs you can create "
        "in an account.");
AwsError NoAvailableOrganizationException(
    std::string message = "Organization is no longer available.");
AwsError NoSuchConfigRuleInConformancePackException(
    std::string message = "Config rule that you passed in the filter does not exist.");
AwsError NoSuchConfigurationAggregatorException(
    std::string message = "You have specified a configuration aggregator that does not exist.");
AwsError NoSuchConformancePackException(
    std::string message = "You specified one or more conformance packs that do not exist.");
AwsError NoSuchOrganizationConfigRuleException(
    std::string message =
        "The Config rule in the request is not valid. Verify that the rule is an organization "
        "Config Process Check rule name and try again.");
AwsError NoSuchOrganizationConformancePackException(
    std::string message =
        "Config organization conformance pack that you passed in the filter does not exist.");
AwsError OrganizationAccessDeniedException(
    std::string message =
        "For all OrganizationConfigRule and OrganizationConformancePack APIs, Config throws an "
        "exception if APIs are called from member accounts. All APIs must be called from "
        "organization management account.");
AwsError OrganizationAllFeaturesNotEnabledException(
    std::string message =
        "Config resource cannot be created because your organization does not have all features "
        "enabled.");
AwsError OrganizationConformancePackTemplateValidationException(
    std::string message = "You have specified a template that isn't valid or supported.");
AwsError ResourceInUseException(
    std::string message =
        "You see this exception when the resource is in use, for example a conformance pack or "
        "rule that is being deployed or deleted.");
AwsError ResourceNotFoundException(
    std::string message = "You have specified a resource that does not exist.");
AwsError TooManyTagsException(
    std::string message = "You have reached the limit of the number of tags you can use.");
AwsError ValidationException(std::string message = "The requested operation is not valid.");

}  // namespace cairn::config::errors
