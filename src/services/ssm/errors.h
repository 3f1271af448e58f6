// One factory per SSM error code the model declares (models/ssm.json), named after it.
// Each takes the message AWS sends in that situation; the default is the meaning the SSM
// API reference gives the error, for callers with nothing more specific to say.
#pragma once

#include <string>

#include "base/aws_error.h"

namespace cairn::ssm::errors {

AwsError AssociatedInstances(
    std::string message =
        "You must disassociate a document from all managed nodes before you can delete it.");
AwsError AssociationAlreadyExists(
    std::string message = "The specified association already exists.");
AwsError AssociationDoesNotExist(std::string message = "The specified association does not exist.");
AwsError AssociationExecutionDoesNotExist(
    std::string message =
        "The specified execution ID does not exist. Verify the ID number and try again.");
AwsError AssociationLimitExceeded(
    std::string message = "You can have at most 2,000 active associations.");
AwsError AssociationVersionLimitExceeded(
    std::string message =
        "You have reached the maximum number versions allowed for an association. Each association "
        "has a limit of 1,000 versions.");
AwsError ComplianceTypeCountLimitExceededException(
    std::string message =
        "You specified too many custom compliance types. You can specify a maximum of 10 different "
        "types.");
AwsError DocumentAlreadyExists(std::string message = "The specified document already exists.");
AwsError DocumentLimitExceeded(
    std::string message = "You can have at most 500 active SSM documents.");
AwsError DocumentPermissionLimit(
    std::string message =
        "The document can't be shared with more Amazon Web Services accounts. You can specify a "
        "maximum of 20 accounts per API operation to share a private document.");
AwsError DocumentVersionLimitExceeded(
    std::string message =
        "The document has too many versions. Delete one or more document versions and try again.");
AwsError DuplicateDocumentContent(
    std::string message =
        "The content of the association document matches another document. Change the content of "
        "the document and try again.");
AwsError DuplicateDocumentVersionName(
    std::string message =
        "The version name has already been used in this document. Specify a different version "
        "name, and then try again.");
AwsError DuplicateInstanceId(
    std::string message = "You can't specify a managed node ID in more than one association.");
AwsError InternalServerError(std::string message = "An error occurred on the server side.");
AwsError InvalidAssociation(std::string message = "The association isn't valid or doesn't exist.");
AwsError InvalidAssociationVersion(
    std::string message =
        "The version you specified isn't valid. Use ListAssociationVersions to view all versions "
        "of an association according to the association ID. Or, use the $LATEST parameter to view "
        "the latest version of the association.");
AwsError InvalidDocument(std::string message = "The specified SSM document doesn't exist.");
AwsError InvalidDocumentContent(std::string message = "The content for the document isn't valid.");
AwsError InvalidDocumentOperation(
    std::string message =
        "You attempted to delete a document while it is still shared. You must stop sharing the "
        "document before you can delete it.");
AwsError InvalidDocumentSchemaVersion(
    std::string message = "The version of the document schema isn't supported.");
AwsError InvalidDocumentVersion(
    std::string message = "The document version isn't valid or doesn't exist.");
AwsError InvalidFilter(
    std::string message =
        "The filter name isn't valid. Verify that you entered the correct name and try again.");
AwsError InvalidFilterKey(std::string message = "The specified key isn't valid.");
AwsError InvalidInstanceId(
    std::string message =
        "The following problems can cause this exception: You don't have permission to access the "
        "managed node. The SSM Agent isn't running. The SSM Agent isn't registered with the SSM "
        "endpoint. The managed node isn't in a valid state.");
AwsError InvalidInstanceInformationFilterValue(
    std::string message = "The specified filter value isn't valid.");
AwsError InvalidItemContentException(
    std::string message = "One or more content items isn't valid.");
AwsError InvalidNextToken(std::string message = "The specified token isn't valid.");
AwsError InvalidOutputLocation(
    std::string message = "The output location isn't valid or doesn't exist.");
AwsError InvalidParameters(std::string message =
                               "You must specify values for all required parameters in the Amazon "
                               "Web Services Systems Manager document (SSM document). You can only "
                               "supply values to parameters defined in the SSM document.");
AwsError InvalidPermissionType(
    std::string message =
        "The permission type isn't supported. Share is the only supported permission type.");
AwsError InvalidResourceId(
    std::string message =
        "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
AwsError InvalidResourceType(
    std::string message =
        "The resource type isn't valid. For example, if you are attempting to tag an EC2 instance, "
        "the instance must be a registered managed node.");
AwsError InvalidSchedule(
    std::string message =
        "The schedule is invalid. Verify your cron or rate expression and try again.");
AwsError InvalidTag(std::string message = "The specified tag key or value isn't valid.");
AwsError InvalidTarget(
    std::string message =
        "The target isn't valid or doesn't exist. It might not be configured for Systems Manager "
        "or you might not have permission to perform the operation.");
AwsError InvalidTargetMaps(std::string message = "TargetMap parameter isn't valid.");
AwsError InvalidUpdate(std::string message = "The update isn't valid.");
AwsError ItemSizeLimitExceededException(
    std::string message = "The inventory item size has exceeded the size limit.");
AwsError MaxDocumentSizeExceeded(std::string message = "The size limit of a document is 64 KB.");
AwsError NoLongerSupportedException(
    std::string message = "The requested operation is no longer supported by Systems Manager.");
AwsError StatusUnchanged(
    std::string message = "The updated status is the same as the current status.");
AwsError TooManyTagsError(std::string message =
                              "The Targets parameter includes too many tags. Remove one or more "
                              "tags and try the command again.");
AwsError TooManyUpdates(
    std::string message =
        "There are concurrent updates for a resource that supports one update at a time.");
AwsError TotalSizeLimitExceededException(
    std::string message =
        "The size of inventory data has exceeded the total size limit for the resource.");
AwsError UnsupportedPlatformType(
    std::string message =
        "The document doesn't support the platform type of the given managed node IDs.");

}  // namespace cairn::ssm::errors
