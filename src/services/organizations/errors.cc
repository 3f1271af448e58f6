#include "services/organizations/errors.h"

#include <boost/json/string.hpp>

namespace cairn::organizations::errors {

AwsError AWSOrganizationsNotInUseException() {
  return AwsError::Make("AWSOrganizationsNotInUseException",
                        "Your account is not a member of an organization.");
}

AwsError AccessDeniedException() {
  return AwsError::Make("AccessDeniedException",
                        "You don't have permissions to access this resource.");
}

AwsError AlreadyInOrganizationException() {
  return AwsError::Make("AlreadyInOrganizationException",
                        "This account is already a member of an organization. An account can "
                        "belong to only one organization at a time.");
}

AwsError AccountNotFoundException() {
  return AwsError::Make("AccountNotFoundException", "You specified an account that doesn't exist.");
}

AwsError AccountAlreadyClosedException() {
  return AwsError::Make("AccountAlreadyClosedException", "The provided account is already closed.");
}

AwsError AccountAlreadyRegisteredException() {
  return AwsError::Make("AccountAlreadyRegisteredException",
                        "The provided account is already a delegated administrator for your "
                        "organization.");
}

AwsError AccountNotRegisteredException() {
  return AwsError::Make("AccountNotRegisteredException",
                        "The provided account is not a registered delegated administrator for "
                        "your organization.");
}

AwsError ChildNotFoundException() {
  return AwsError::Make("ChildNotFoundException", "You specified a child that doesn't exist.");
}

AwsError CreateAccountStatusNotFoundException(std::string_view request_id) {
  return AwsError::Make("CreateAccountStatusNotFoundException",
                        "We can't find an create account request with the CreateAccountRequestId "
                        "that you specified: " +
                            std::string(request_id));
}

AwsError DestinationParentNotFoundException() {
  return AwsError::Make("DestinationParentNotFoundException",
                        "We can't find the destination container (a root or OU) with the ParentId "
                        "that you specified.");
}

AwsError DuplicateAccountException() {
  return AwsError::Make("DuplicateAccountException",
                        "That account is already present in the specified destination.");
}

AwsError DuplicateOrganizationalUnitException() {
  return AwsError::Make("DuplicateOrganizationalUnitException",
                        "An OU with the same name already exists.");
}

AwsError OrganizationNotEmptyException() {
  return AwsError::Make("OrganizationNotEmptyException",
                        "To delete an organization you must first remove all member accounts "
                        "(except the master).");
}

AwsError OrganizationalUnitNotEmptyException() {
  return AwsError::Make("OrganizationalUnitNotEmptyException",
                        "The specified OU is not empty. Move all accounts to another root or to "
                        "other OUs, remove all child OUs, and try the operation again.");
}

AwsError OrganizationalUnitNotFoundException() {
  return AwsError::Make("OrganizationalUnitNotFoundException",
                        "You specified an organizational unit that doesn't exist.");
}

AwsError ParentNotFoundException() {
  return AwsError::Make("ParentNotFoundException", "You specified a parent that doesn't exist.");
}

AwsError SourceParentNotFoundException() {
  return AwsError::Make("SourceParentNotFoundException",
                        "We can't find a source root or OU with the ParentId that you specified.");
}

AwsError TargetNotFoundException() {
  return AwsError::Make("TargetNotFoundException", "You specified a target that doesn't exist.");
}

AwsError MasterCannotLeaveOrganizationException() {
  return AwsError::Make("MasterCannotLeaveOrganizationException",
                        "You can't remove a management account from an organization. If you want "
                        "the management account to become a member account in another "
                        "organization, you must first delete the current organization of the "
                        "management account.");
}

AwsError ConstraintViolationException(std::string_view reason, std::string message) {
  return AwsError::Make("ConstraintViolationException", std::move(message))
      .With("Reason", boost::json::string(reason));
}

AwsError InvalidInputException(std::string_view reason, std::string message) {
  return AwsError::Make("InvalidInputException", std::move(message))
      .With("Reason", boost::json::string(reason));
}

AwsError InvalidNextToken() {
  return InvalidInputException("INVALID_NEXT_TOKEN",
                               "You specified an invalid value for nextToken.");
}

}  // namespace cairn::organizations::errors
