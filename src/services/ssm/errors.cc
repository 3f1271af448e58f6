#include "services/ssm/errors.h"

namespace cairn::ssm::errors {

AwsError AssociatedInstances(std::string message) {
  return AwsError::Make("AssociatedInstances", std::move(message));
}

AwsError AssociationAlreadyExists(std::string message) {
  return AwsError::Make("AssociationAlreadyExists", std::move(message));
}

AwsError AssociationDoesNotExist(std::string message) {
  return AwsError::Make("AssociationDoesNotExist", std::move(message));
}

AwsError AssociationExecutionDoesNotExist(std::string message) {
  return AwsError::Make("AssociationExecutionDoesNotExist", std::move(message));
}

AwsError AssociationLimitExceeded(std::string message) {
  return AwsError::Make("AssociationLimitExceeded", std::move(message));
}

AwsError AssociationVersionLimitExceeded(std::string message) {
  return AwsError::Make("AssociationVersionLimitExceeded", std::move(message));
}

AwsError ComplianceTypeCountLimitExceededException(std::string message) {
  return AwsError::Make("ComplianceTypeCountLimitExceededException", std::move(message));
}

AwsError DocumentAlreadyExists(std::string message) {
  return AwsError::Make("DocumentAlreadyExists", std::move(message));
}

AwsError DocumentLimitExceeded(std::string message) {
  return AwsError::Make("DocumentLimitExceeded", std::move(message));
}

AwsError DocumentPermissionLimit(std::string message) {
  return AwsError::Make("DocumentPermissionLimit", std::move(message));
}

AwsError DocumentVersionLimitExceeded(std::string message) {
  return AwsError::Make("DocumentVersionLimitExceeded", std::move(message));
}

AwsError DuplicateDocumentContent(std::string message) {
  return AwsError::Make("DuplicateDocumentContent", std::move(message));
}

AwsError DuplicateDocumentVersionName(std::string message) {
  return AwsError::Make("DuplicateDocumentVersionName", std::move(message));
}

AwsError DuplicateInstanceId(std::string message) {
  return AwsError::Make("DuplicateInstanceId", std::move(message));
}

AwsError InternalServerError(std::string message) {
  return AwsError::Make("InternalServerError", std::move(message), 500);
}

AwsError InvalidAssociation(std::string message) {
  return AwsError::Make("InvalidAssociation", std::move(message));
}

AwsError InvalidAssociationVersion(std::string message) {
  return AwsError::Make("InvalidAssociationVersion", std::move(message));
}

AwsError InvalidDocument(std::string message) {
  return AwsError::Make("InvalidDocument", std::move(message));
}

AwsError InvalidDocumentContent(std::string message) {
  return AwsError::Make("InvalidDocumentContent", std::move(message));
}

AwsError InvalidDocumentOperation(std::string message) {
  return AwsError::Make("InvalidDocumentOperation", std::move(message));
}

AwsError InvalidDocumentSchemaVersion(std::string message) {
  return AwsError::Make("InvalidDocumentSchemaVersion", std::move(message));
}

AwsError InvalidDocumentVersion(std::string message) {
  return AwsError::Make("InvalidDocumentVersion", std::move(message));
}

AwsError InvalidFilter(std::string message) {
  return AwsError::Make("InvalidFilter", std::move(message));
}

AwsError InvalidFilterKey(std::string message) {
  return AwsError::Make("InvalidFilterKey", std::move(message));
}

AwsError InvalidInstanceId(std::string message) {
  return AwsError::Make("InvalidInstanceId", std::move(message));
}

AwsError InvalidInstanceInformationFilterValue(std::string message) {
  return AwsError::Make("InvalidInstanceInformationFilterValue", std::move(message));
}

AwsError InvalidItemContentException(std::string message) {
  return AwsError::Make("InvalidItemContentException", std::move(message));
}

AwsError InvalidNextToken(std::string message) {
  return AwsError::Make("InvalidNextToken", std::move(message));
}

AwsError InvalidOutputLocation(std::string message) {
  return AwsError::Make("InvalidOutputLocation", std::move(message));
}

AwsError InvalidParameters(std::string message) {
  return AwsError::Make("InvalidParameters", std::move(message));
}

AwsError InvalidPermissionType(std::string message) {
  return AwsError::Make("InvalidPermissionType", std::move(message));
}

AwsError InvalidResourceId(std::string message) {
  return AwsError::Make("InvalidResourceId", std::move(message));
}

AwsError InvalidResourceType(std::string message) {
  return AwsError::Make("InvalidResourceType", std::move(message));
}

AwsError InvalidSchedule(std::string message) {
  return AwsError::Make("InvalidSchedule", std::move(message));
}

AwsError InvalidTag(std::string message) {
  return AwsError::Make("InvalidTag", std::move(message));
}

AwsError InvalidTarget(std::string message) {
  return AwsError::Make("InvalidTarget", std::move(message));
}

AwsError InvalidTargetMaps(std::string message) {
  return AwsError::Make("InvalidTargetMaps", std::move(message));
}

AwsError InvalidUpdate(std::string message) {
  return AwsError::Make("InvalidUpdate", std::move(message));
}

AwsError ItemSizeLimitExceededException(std::string message) {
  return AwsError::Make("ItemSizeLimitExceededException", std::move(message));
}

AwsError MaxDocumentSizeExceeded(std::string message) {
  return AwsError::Make("MaxDocumentSizeExceeded", std::move(message));
}

AwsError NoLongerSupportedException(std::string message) {
  return AwsError::Make("NoLongerSupportedException", std::move(message));
}

AwsError StatusUnchanged(std::string message) {
  return AwsError::Make("StatusUnchanged", std::move(message));
}

AwsError TooManyTagsError(std::string message) {
  return AwsError::Make("TooManyTagsError", std::move(message));
}

AwsError TooManyUpdates(std::string message) {
  return AwsError::Make("TooManyUpdates", std::move(message));
}

AwsError TotalSizeLimitExceededException(std::string message) {
  return AwsError::Make("TotalSizeLimitExceededException", std::move(message));
}

AwsError UnsupportedPlatformType(std::string message) {
  return AwsError::Make("UnsupportedPlatformType", std::move(message));
}

}  // namespace cairn::ssm::errors
