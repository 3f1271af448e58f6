// One factory per AWS Organizations error code, with AWS's message where it is known (real
// responses users reported, else the API reference's description of the error).
#pragma once

#include <string>
#include <string_view>

#include "base/aws_error.h"

namespace cairn::organizations::errors {

AwsError AWSOrganizationsNotInUseException();
AwsError AccessDeniedException();
AwsError AlreadyInOrganizationException();
AwsError AccountNotFoundException();
AwsError AccountAlreadyClosedException();
AwsError AccountAlreadyRegisteredException();
AwsError AccountNotRegisteredException();
AwsError ChildNotFoundException();
AwsError CreateAccountStatusNotFoundException(std::string_view request_id);
AwsError DestinationParentNotFoundException();
AwsError DuplicateAccountException();
AwsError DuplicateOrganizationalUnitException();
AwsError OrganizationNotEmptyException();
AwsError OrganizationalUnitNotEmptyException();
AwsError OrganizationalUnitNotFoundException();
AwsError ParentNotFoundException();
AwsError SourceParentNotFoundException();
AwsError TargetNotFoundException();
AwsError MasterCannotLeaveOrganizationException();
// ConstraintViolationException with the model's Reason.
AwsError ConstraintViolationException(std::string_view reason, std::string message);
// InvalidInputException with the model's Reason.
AwsError InvalidInputException(std::string_view reason, std::string message);
AwsError InvalidNextToken();

}  // namespace cairn::organizations::errors
