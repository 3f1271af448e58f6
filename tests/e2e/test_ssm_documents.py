"""End-to-end: SSM documents through boto3 and the AWS CLI, as several accounts in several
regions (the account is the request's access key id).

Covers the ten documents operations (api-catalog.md, ssm / documents): the account's own
documents and their versions, the AWS-owned documents every account sees in every region,
sharing with other accounts (by account id and publicly) and their use by ARN, the errors the
API reference documents with their code and message, and pagination across pages.

Messages are the ones cairn answers (services/ssm/documents.cc, document_content.cc): real AWS
responses where users reported them, the API reference's wording otherwise.
"""
import json
import os
import tempfile
import unittest

import botocore.exceptions

from harness import AWS_CLI, CairnTestCase, aws_cli

OWNER = "111111111111"
FRIEND = "222222222222"
STRANGER = "333333333333"
REGION = "eu-west-1"
OTHER_REGION = "ap-southeast-2"

# AWS's wording, which terraform-provider-aws waits for ("does not exist") after DeleteDocument.
NO_SUCH_DOCUMENT = "The specified document does not exist."
INVALID_VERSION = "The document version isn't valid or doesn't exist."
STILL_SHARED = ("You attempted to delete a document while it is still shared. You must stop "
                "sharing the document before you can delete it.")
DEFAULT_VERSION_DELETE = "Default version of the document can't be deleted."
DUPLICATE_CONTENT = ("The content of the association document matches another document. Change the "
                     "content of the document and try again.")
DUPLICATE_VERSION_NAME = ("The version name has already been used in this document. Specify a "
                          "different version name, and then try again.")
ALL_OR_ACCOUNTS = "Accounts can either be all or a group of AWS accounts"
INVALID_TOKEN = "The specified token isn't valid."
ASSOCIATED = ("You must disassociate a document from all managed nodes before you can delete it.")


def already_exists(name):
    return "Document with same name %s already exists" % name


def arn(name, owner=OWNER, region=REGION):
    return "arn:aws:ssm:%s:%s:document/%s" % (region, owner, name)


def command(description="Says hello.", default="hello", extra_step=False):
    """A schema 2.2 Command document with one optional parameter, as JSON text."""
    steps = [{"action": "aws:runShellScript", "name": "say",
              "inputs": {"runCommand": ["echo {{ message }}"]}}]
    if extra_step:
        steps.append({"action": "aws:runPowerShellScript", "name": "sayWindows",
                      "precondition": {"StringEquals": ["platformType", "Windows"]},
                      "inputs": {"runCommand": ["Write-Output {{ message }}"]}})
    return json.dumps({
        "schemaVersion": "2.2",
        "description": description,
        "parameters": {"message": {"type": "String", "description": "What to say",
                                   "default": default},
                       "target": {"type": "StringList", "description": "Where"}},
        "mainSteps": steps,
    }, indent=2)


YAML_DOCUMENT = """schemaVersion: '2.2'
description: YAML document
parameters:
  message:
    type: String
    default: hi
mainSteps:
  - action: aws:runShellScript
    name: say
    inputs:
      runCommand:
        - echo {{ message }}
"""


class DocumentsTestCase(CairnTestCase):
    """Clients per account and region; every test starts from an empty cairn."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clients = {}

    def ssm(self, account=OWNER, region=REGION):
        key = (account, region)
        if key not in self._clients:
            self._clients[key] = self.cairn.client("ssm", account=account, region=region)
        return self._clients[key]

    def advance(self, seconds=2):
        """Moves cairn's clock; the lifecycle steps that fell due have run when it answers."""
        status, body = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": seconds})
        self.assertEqual(status, 200, body)

    def create(self, name="Hello", content=None, account=OWNER, region=REGION, **extra):
        return self.ssm(account, region).create_document(
            Name=name, Content=content or command(), **extra)["DocumentDescription"]


class CreateDocumentTest(DocumentsTestCase):

    def test_create_answers_creating_and_the_document_becomes_active(self):
        created = self.create(DocumentType="Command", DisplayName="Say hello",
                              VersionName="first", TargetType="/AWS::EC2::Instance")
        self.assertEqual(created["Status"], "Creating")
        self.assertEqual(created["Name"], "Hello")
        self.assertEqual(created["Owner"], OWNER)
        self.assertEqual(created["DocumentVersion"], "1")
        self.assertEqual(created["LatestVersion"], "1")
        self.assertEqual(created["DefaultVersion"], "1")
        self.assertEqual(created["DocumentType"], "Command")
        self.assertEqual(created["DocumentFormat"], "JSON")
        self.assertEqual(created["SchemaVersion"], "2.2")
        self.assertEqual(created["Description"], "Says hello.")
        self.assertEqual(created["DisplayName"], "Say hello")
        self.assertEqual(created["VersionName"], "first")
        self.assertEqual(created["TargetType"], "/AWS::EC2::Instance")
        self.assertEqual(created["HashType"], "Sha256")
        self.assertRegex(created["Hash"], r"^[0-9a-f]{64}$")
        self.assertEqual(created["PlatformTypes"], ["Linux", "MacOS"])
        # DescribeDocument's DocumentParameter: DefaultValue absent when required.
        self.assertEqual(created["Parameters"], [
            {"Name": "message", "Type": "String", "Description": "What to say",
             "DefaultValue": "hello"},
            {"Name": "target", "Type": "StringList", "Description": "Where"}])

        self.advance()
        described = self.ssm().describe_document(Name="Hello")["Document"]
        self.assertEqual(described["Status"], "Active")
        self.assertEqual(described["Hash"], created["Hash"])

    def test_platform_types_follow_the_steps_and_their_preconditions(self):
        created = self.create(content=command(extra_step=True))
        self.assertEqual(created["PlatformTypes"], ["Windows", "Linux", "MacOS"])

    def test_yaml_document(self):
        created = self.create("YamlDoc", YAML_DOCUMENT, DocumentFormat="YAML")
        self.assertEqual(created["DocumentFormat"], "YAML")
        self.assertEqual(created["Description"], "YAML document")
        self.assertEqual(created["Parameters"],
                         [{"Name": "message", "Type": "String", "DefaultValue": "hi"}])
        got = self.ssm().get_document(Name="YamlDoc")
        self.assertEqual(got["Content"], YAML_DOCUMENT)  # as stored
        self.assertEqual(got["DocumentFormat"], "YAML")
        as_json = self.ssm().get_document(Name="YamlDoc", DocumentFormat="JSON")
        self.assertEqual(as_json["DocumentFormat"], "JSON")
        self.assertEqual(json.loads(as_json["Content"])["mainSteps"][0]["inputs"],
                         {"runCommand": ["echo {{ message }}"]})

    def test_tags_are_written_with_the_document(self):
        created = self.create(Tags=[{"Key": "team", "Value": "platform"}])
        self.assertEqual(created["Tags"], [{"Key": "team", "Value": "platform"}])
        described = self.ssm().describe_document(Name="Hello")["Document"]
        self.assertEqual(described["Tags"], [{"Key": "team", "Value": "platform"}])

    def test_a_name_is_used_once_per_account_and_region(self):
        self.create()
        self.assertClientError(lambda: self.create(), "DocumentAlreadyExists", 400,
                               already_exists("Hello"))
        # Other accounts and regions have their own names.
        self.create(account=FRIEND)
        self.create(region=OTHER_REGION)
        self.assertClientError(lambda: self.ssm(STRANGER).describe_document(Name="Hello"),
                               "InvalidDocument", 400, NO_SUCH_DOCUMENT)

    def test_names_of_aws_documents_are_taken(self):
        self.assertClientError(lambda: self.create("AmazonCloudWatch-ManageAgent"),
                               "DocumentAlreadyExists", 400,
                               already_exists("AmazonCloudWatch-ManageAgent"))
        for reserved in ("AWS-Mine", "aws-mine", "Amazon-Mine", "amzn-mine", "AWSSupport-Mine"):
            response = self.assertClientError(lambda: self.create(reserved),
                                              "ValidationException", 400)
            self.assertTrue(response["Error"]["Message"].startswith("Invalid document " + reserved),
                            response)
        # Only the prefixes with their hyphen are AWS's.
        self.create("AWSAccelerator-Baseline")
        self.create("awesome")

    def test_malformed_content(self):
        # awslabs/amazon-eks-ami#716: a URL passed as content.
        self.assertClientError(
            lambda: self.create(content="https://raw.githubusercontent.com/x/eks-ssm-content.json"),
            "InvalidDocumentContent", 400, "JSON not well-formed. at Line: 1, Column: 6")
        self.assertClientError(lambda: self.create(content="[1, 2]"), "InvalidDocumentContent", 400)
        self.assertClientError(
            lambda: self.create(content="a: b\n  c: d\n", DocumentFormat="YAML"),
            "InvalidDocumentContent", 400, "YAML not well-formed. at Line: 2, Column: 4")

    def test_schema_versions(self):
        self.assertClientError(
            lambda: self.create(content=json.dumps({"mainSteps": []})),
            "InvalidDocumentContent", 400,
            '[message: "object has missing required properties ([\\"schemaVersion\\"])" - '
            'parent node: /]')
        self.assertClientError(
            lambda: self.create(content=json.dumps({"schemaVersion": "3.0", "mainSteps": []}),
                                DocumentType="Automation"),
            "InvalidDocumentContent", 400, "Document schema version is invalid. Value: 3.0")
        self.assertClientError(
            lambda: self.create(content=json.dumps({"schemaVersion": "2.0", "inputs": {}}),
                                DocumentType="Session"),
            "InvalidDocumentSchemaVersion", 400,
            "2.0 is not a valid schema version for Session document type")
        automation = self.create("Runbook", json.dumps({
            "schemaVersion": "0.3", "parameters": {"InstanceId": {"type": "String"}},
            "mainSteps": [{"name": "wait", "action": "aws:sleep",
                           "inputs": {"Duration": "PT1S"}}]}), DocumentType="Automation")
        self.assertEqual(automation["PlatformTypes"], ["Windows", "Linux", "MacOS"])

    def test_undeclared_parameters_are_refused(self):
        content = json.dumps({"schemaVersion": "2.2", "mainSteps": [
            {"action": "aws:runShellScript", "name": "s",
             "inputs": {"runCommand": ["echo {{ PackageVersion }}"]}}]})
        self.assertClientError(lambda: self.create(content=content), "InvalidDocumentContent",
                               400, 'Parameter "PackageVersion" is not declared.')

    def test_content_over_64_kb_is_refused(self):
        big = command(description="x" * (64 * 1024))
        self.assertClientError(lambda: self.create(content=big), "MaxDocumentSizeExceeded", 400,
                               "The size limit of a document is 64 KB.")


class ReadDocumentTest(DocumentsTestCase):

    def setUp(self):
        super().setUp()
        self.create(VersionName="v-one")
        self.ssm().update_document(Name="Hello", Content=command("Says hello again."),
                                   DocumentVersion="$LATEST", VersionName="v-two")

    def test_describe_a_version_by_number_by_name_and_by_alias(self):
        ssm = self.ssm()
        self.assertEqual(ssm.describe_document(Name="Hello")["Document"]["Description"],
                         "Says hello.")  # the default version
        latest = ssm.describe_document(Name="Hello", DocumentVersion="$LATEST")["Document"]
        self.assertEqual((latest["DocumentVersion"], latest["Description"], latest["VersionName"]),
                         ("2", "Says hello again.", "v-two"))
        by_name = ssm.describe_document(Name="Hello", VersionName="v-two")["Document"]
        self.assertEqual(by_name["DocumentVersion"], "2")
        self.assertEqual(
            ssm.describe_document(Name="Hello", DocumentVersion="1")["Document"]["VersionName"],
            "v-one")
        self.assertEqual(ssm.describe_document(Name="Hello", DocumentVersion="$DEFAULT")
                         ["Document"]["DocumentVersion"], "1")

    def test_unknown_documents_and_versions(self):
        ssm = self.ssm()
        self.assertClientError(lambda: ssm.describe_document(Name="Nope"), "InvalidDocument", 400,
                               NO_SUCH_DOCUMENT)
        self.assertClientError(lambda: ssm.get_document(Name="Nope"), "InvalidDocument", 400,
                               NO_SUCH_DOCUMENT)
        self.assertClientError(lambda: ssm.describe_document(Name="Hello", DocumentVersion="9"),
                               "InvalidDocumentVersion", 400, INVALID_VERSION)
        self.assertClientError(lambda: ssm.get_document(Name="Hello", VersionName="v-three"),
                               "InvalidDocumentVersion", 400, INVALID_VERSION)
        self.assertClientError(
            lambda: ssm.describe_document(Name="Hello", DocumentVersion="1", VersionName="v-two"),
            "InvalidDocumentVersion", 400, INVALID_VERSION)

    def test_get_document_in_each_format(self):
        ssm = self.ssm()
        got = ssm.get_document(Name="Hello", DocumentVersion="1")
        self.assertEqual(got["Content"], command())
        self.assertEqual((got["Name"], got["DocumentVersion"], got["DocumentFormat"],
                          got["DocumentType"], got["VersionName"]),
                         ("Hello", "1", "JSON", "Command", "v-one"))
        self.assertIn(got["Status"], ("Creating", "Active"))
        yaml_text = ssm.get_document(Name="Hello", DocumentFormat="YAML")["Content"]
        self.assertTrue(yaml_text.startswith("---\nschemaVersion: \"2.2\"\n"), yaml_text)
        self.assertIn("- action: \"aws:runShellScript\"\n", yaml_text)
        # prowler-cloud/prowler#2146.
        self.assertClientError(lambda: ssm.get_document(Name="Hello", DocumentFormat="TEXT"),
                               "ValidationException", 400, "Invalid document format TEXT")

    def test_list_document_versions_pages(self):
        ssm = self.ssm()
        ssm.update_document(Name="Hello", Content=command("Third."), DocumentVersion="2")
        first = ssm.list_document_versions(Name="Hello", MaxResults=2)
        self.assertEqual([v["DocumentVersion"] for v in first["DocumentVersions"]], ["1", "2"])
        self.assertEqual([v["IsDefaultVersion"] for v in first["DocumentVersions"]],
                         [True, False])
        self.assertEqual(first["DocumentVersions"][0]["VersionName"], "v-one")
        second = ssm.list_document_versions(Name="Hello", MaxResults=2,
                                            NextToken=first["NextToken"])
        self.assertEqual([v["DocumentVersion"] for v in second["DocumentVersions"]], ["3"])
        self.assertNotIn("NextToken", second)
        pages = ssm.get_paginator("list_document_versions").paginate(
            Name="Hello", PaginationConfig={"PageSize": 1})
        self.assertEqual([v["DocumentVersion"] for page in pages for v in page["DocumentVersions"]],
                         ["1", "2", "3"])
        self.assertClientError(
            lambda: ssm.list_document_versions(Name="Hello", NextToken="forged"),
            "InvalidNextToken", 400, INVALID_TOKEN)
        self.assertClientError(lambda: ssm.list_document_versions(Name="Nope"), "InvalidDocument",
                               400, NO_SUCH_DOCUMENT)


class AwsDocumentsTest(DocumentsTestCase):

    def test_aws_documents_exist_in_every_account_and_region(self):
        for account, region in ((OWNER, REGION), (STRANGER, "us-east-1"), (FRIEND, OTHER_REGION)):
            ssm = self.ssm(account, region)
            by_name = ssm.describe_document(Name="AWS-RunShellScript")["Document"]
            self.assertEqual(by_name["Owner"], "Amazon")
            self.assertEqual(by_name["Status"], "Active")
            self.assertEqual(by_name["SchemaVersion"], "1.2")
            self.assertEqual(by_name["PlatformTypes"], ["Linux", "MacOS"])
            # The published Hash of AWS-RunShellScript, and the content it is the hash of.
            self.assertEqual(by_name["Hash"],
                             "99749de5e62f71e5ebe9a55c2321e2c394796afe7208cff048696541e6f6771e")
            self.assertEqual([p["Name"] for p in by_name["Parameters"]],
                             ["commands", "workingDirectory", "executionTimeout"])
            self.assertEqual(by_name["Parameters"][2]["DefaultValue"], "3600")
            by_arn = ssm.describe_document(
                Name="arn:aws:ssm:%s::document/AWS-RunShellScript" % region)["Document"]
            self.assertEqual(by_arn, by_name)
            content = json.loads(ssm.get_document(Name="AWS-RunPatchBaseline")["Content"])
            self.assertEqual(content["schemaVersion"], "2.2")

    def test_listed_as_owned_by_amazon(self):
        self.create()
        amazon = self.ssm().list_documents(Filters=[{"Key": "Owner", "Values": ["Amazon"]}])
        names = [d["Name"] for d in amazon["DocumentIdentifiers"]]
        self.assertIn("AWS-RunShellScript", names)
        self.assertIn("AWS-RunPatchBaseline", names)
        self.assertNotIn("Hello", names)
        self.assertTrue(all(d["Owner"] == "Amazon" for d in amazon["DocumentIdentifiers"]))
        everything = [d["Name"] for d in self.ssm().list_documents()["DocumentIdentifiers"]]
        self.assertIn("AWS-RunShellScript", everything)
        self.assertIn("Hello", everything)
        mine = self.ssm().list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])
        self.assertEqual([d["Name"] for d in mine["DocumentIdentifiers"]], ["Hello"])

    def test_aws_documents_are_read_only(self):
        ssm = self.ssm()
        for call in (
                lambda: ssm.update_document(Name="AWS-RunShellScript", Content=command()),
                lambda: ssm.delete_document(Name="AWS-RunShellScript"),
                lambda: ssm.update_document_default_version(Name="AWS-RunShellScript",
                                                            DocumentVersion="1"),
                lambda: ssm.modify_document_permission(Name="AWS-RunShellScript",
                                                       PermissionType="Share",
                                                       AccountIdsToAdd=[FRIEND]),
                lambda: ssm.describe_document_permission(Name="AWS-RunShellScript",
                                                         PermissionType="Share")):
            response = self.assertClientError(call, "InvalidDocumentOperation", 400)
            self.assertTrue(response["Error"]["Message"].startswith(
                "Documents owned by Amazon can't be"), response)
        self.assertEqual(ssm.describe_document(Name="AWS-RunShellScript")["Document"]
                         ["LatestVersion"], "1")

    def test_aws_document_versions(self):
        versions = self.ssm().list_document_versions(Name="AWS-RunShellScript")
        self.assertEqual(len(versions["DocumentVersions"]), 1)
        self.assertTrue(versions["DocumentVersions"][0]["IsDefaultVersion"])


class ListDocumentsTest(DocumentsTestCase):

    def test_filters(self):
        self.create("App-One", Tags=[{"Key": "team", "Value": "blue"}])
        self.create("App-Two", content=command(extra_step=True),
                    Tags=[{"Key": "team", "Value": "red"}])
        self.create("Runbook", json.dumps({"schemaVersion": "0.3", "mainSteps": []}),
                    DocumentType="Automation")
        ssm = self.ssm()

        def names(**query):
            pages = ssm.get_paginator("list_documents").paginate(**query)
            return [d["Name"] for page in pages for d in page["DocumentIdentifiers"]]

        self_only = {"Key": "Owner", "Values": ["Self"]}
        self.assertEqual(names(Filters=[self_only]), ["App-One", "App-Two", "Runbook"])
        self.assertEqual(names(Filters=[self_only, {"Key": "Name", "Values": ["App"]}]),
                         ["App-One", "App-Two"])
        self.assertEqual(names(Filters=[{"Key": "DocumentType", "Values": ["Automation"]}]),
                         ["Runbook"])
        self.assertEqual(names(Filters=[self_only, {"Key": "PlatformTypes",
                                                    "Values": ["Windows"]}]),
                         ["App-Two", "Runbook"])
        self.assertEqual(names(Filters=[{"Key": "tag:team", "Values": ["red"]}]), ["App-Two"])
        self.assertEqual(names(Filters=[{"Key": "tag:team", "Values": []}]),
                         ["App-One", "App-Two"])
        self.assertEqual(names(Filters=[self_only, {"Key": "SearchKeyword", "Values": ["book"]}]),
                         ["Runbook"])
        # The older key/value filters.
        self.assertEqual(names(DocumentFilterList=[{"key": "Owner", "value": "Self"},
                                                   {"key": "Name", "value": "Run"}]), ["Runbook"])
        listed = ssm.list_documents(Filters=[{"Key": "Name", "Values": ["App-One"]}])
        identifier = listed["DocumentIdentifiers"][0]
        self.assertEqual(identifier["Owner"], OWNER)
        self.assertEqual(identifier["DocumentVersion"], "1")
        self.assertEqual(identifier["SchemaVersion"], "2.2")
        self.assertEqual(identifier["DocumentFormat"], "JSON")
        self.assertEqual(identifier["PlatformTypes"], ["Linux", "MacOS"])
        self.assertEqual(identifier["Tags"], [{"Key": "team", "Value": "blue"}])

    def test_unknown_filter_key(self):
        self.assertClientError(
            lambda: self.ssm().list_documents(Filters=[{"Key": "Colour", "Values": ["x"]}]),
            "InvalidFilterKey", 400)

    def test_pages(self):
        for idx in range(7):
            self.create("Doc-%02d" % idx)
        ssm = self.ssm()
        query = [{"Key": "Owner", "Values": ["Self"]}]
        first = ssm.list_documents(Filters=query, MaxResults=3)
        self.assertEqual([d["Name"] for d in first["DocumentIdentifiers"]],
                         ["Doc-00", "Doc-01", "Doc-02"])
        second = ssm.list_documents(Filters=query, MaxResults=3, NextToken=first["NextToken"])
        self.assertEqual([d["Name"] for d in second["DocumentIdentifiers"]],
                         ["Doc-03", "Doc-04", "Doc-05"])
        third = ssm.list_documents(Filters=query, MaxResults=3, NextToken=second["NextToken"])
        self.assertEqual([d["Name"] for d in third["DocumentIdentifiers"]], ["Doc-06"])
        self.assertNotIn("NextToken", third)
        # Default listing: AWS's and the account's documents, in name order, across pages.
        pages = ssm.get_paginator("list_documents").paginate(PaginationConfig={"PageSize": 4})
        names = [d["Name"] for page in pages for d in page["DocumentIdentifiers"]]
        self.assertEqual(names, sorted(names))
        self.assertEqual(len(names), len(set(names)))
        self.assertIn("Doc-06", names)
        self.assertIn("AWS-UpdateSSMAgent", names)
        # A token is good for its own query and caller only.
        self.assertClientError(lambda: ssm.list_documents(NextToken=first["NextToken"]),
                               "InvalidNextToken", 400, INVALID_TOKEN)
        self.assertClientError(
            lambda: self.ssm(FRIEND).list_documents(Filters=query, NextToken=first["NextToken"]),
            "InvalidNextToken", 400, INVALID_TOKEN)


class UpdateDocumentTest(DocumentsTestCase):

    def test_update_adds_a_version_and_keeps_the_default(self):
        self.create()
        self.advance()
        updated = self.ssm().update_document(Name="Hello", Content=command("New words."),
                                             DocumentVersion="$LATEST", VersionName="two",
                                             DisplayName="Hello v2")["DocumentDescription"]
        self.assertEqual(updated["Status"], "Updating")
        self.assertEqual((updated["DocumentVersion"], updated["LatestVersion"],
                          updated["DefaultVersion"]), ("2", "2", "1"))
        self.assertEqual(updated["Description"], "New words.")
        self.assertEqual(updated["DisplayName"], "Hello v2")
        self.advance()
        described = self.ssm().describe_document(Name="Hello", DocumentVersion="2")["Document"]
        self.assertEqual(described["Status"], "Active")
        self.assertEqual(self.ssm().describe_document(Name="Hello")["Document"]["Description"],
                         "Says hello.")
        # DocumentVersion may also name the latest version by number, or be left out.
        self.ssm().update_document(Name="Hello", Content=command("Third."), DocumentVersion="2")
        self.ssm().update_document(Name="Hello", Content=command("Fourth."))
        self.assertEqual(self.ssm().describe_document(Name="Hello")["Document"]["LatestVersion"],
                         "4")

    def test_update_errors(self):
        self.create(VersionName="one")
        ssm = self.ssm()
        ssm.update_document(Name="Hello", Content=command("Two."))
        # Only the latest version can be updated.
        for version in ("1", "$DEFAULT", "7"):
            self.assertClientError(
                lambda: ssm.update_document(Name="Hello", Content=command("X."),
                                            DocumentVersion=version),
                "InvalidDocumentVersion", 400, INVALID_VERSION)
        self.assertClientError(lambda: ssm.update_document(Name="Hello", Content=command("Two.")),
                               "DuplicateDocumentContent", 400, DUPLICATE_CONTENT)
        self.assertClientError(
            lambda: ssm.update_document(Name="Hello", Content=command("Three."), VersionName="one"),
            "DuplicateDocumentVersionName", 400, DUPLICATE_VERSION_NAME)
        self.assertClientError(lambda: ssm.update_document(Name="Nope", Content=command()),
                               "InvalidDocument", 400, NO_SUCH_DOCUMENT)
        self.assertClientError(lambda: ssm.update_document(Name="Hello", Content="{"),
                               "InvalidDocumentContent", 400)

    def test_schema_1_2_documents_take_no_new_version(self):
        legacy = json.dumps({"schemaVersion": "1.2", "description": "Old.",
                             "runtimeConfig": {"aws:runShellScript": {"properties": [
                                 {"id": "0.aws:runShellScript", "runCommand": ["ifconfig"]}]}}})
        created = self.create("Legacy", legacy)
        self.assertEqual(created["PlatformTypes"], ["Linux", "MacOS"])
        self.assertClientError(
            lambda: self.ssm().update_document(Name="Legacy", Content=command()),
            "InvalidDocumentSchemaVersion", 400)

    def test_update_default_version(self):
        self.create()
        ssm = self.ssm()
        ssm.update_document(Name="Hello", Content=command("Second."), VersionName="second")
        answer = ssm.update_document_default_version(Name="Hello", DocumentVersion="2")
        self.assertEqual(answer["Description"],
                         {"Name": "Hello", "DefaultVersion": "2", "DefaultVersionName": "second"})
        described = ssm.describe_document(Name="Hello")["Document"]
        self.assertEqual((described["DocumentVersion"], described["DefaultVersion"],
                          described["Description"]), ("2", "2", "Second."))
        listed = ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])
        self.assertEqual(listed["DocumentIdentifiers"][0]["DocumentVersion"], "2")
        self.assertEqual(listed["DocumentIdentifiers"][0]["VersionName"], "second")
        self.assertClientError(
            lambda: ssm.update_document_default_version(Name="Hello", DocumentVersion="5"),
            "InvalidDocumentVersion", 400, INVALID_VERSION)
        self.assertClientError(
            lambda: ssm.update_document_default_version(Name="Nope", DocumentVersion="1"),
            "InvalidDocument", 400, NO_SUCH_DOCUMENT)


class DeleteDocumentTest(DocumentsTestCase):

    def test_delete_every_version(self):
        self.create(Tags=[{"Key": "team", "Value": "blue"}])
        self.ssm().update_document(Name="Hello", Content=command("Two."))
        self.ssm().delete_document(Name="Hello")
        self.assertClientError(lambda: self.ssm().describe_document(Name="Hello"),
                               "InvalidDocument", 400, NO_SUCH_DOCUMENT)
        # The name is free again, without the old versions or tags.
        created = self.create()
        self.assertEqual(created["LatestVersion"], "1")
        self.assertEqual(created["Tags"], [])

    def test_a_deleted_document_does_not_exist(self):
        """terraform-provider-aws (5.x) waits after DeleteDocument until DescribeDocument answers
        InvalidDocument with "does not exist" in the message, as AWS answers."""
        self.create()
        self.ssm().delete_document(Name="Hello")
        error = self.assertClientError(lambda: self.ssm().describe_document(Name="Hello"),
                                       "InvalidDocument", 400)["Error"]
        self.assertIn("does not exist", error["Message"])

    def test_delete_one_version(self):
        self.create()
        ssm = self.ssm()
        ssm.update_document(Name="Hello", Content=command("Two."), VersionName="two")
        ssm.update_document(Name="Hello", Content=command("Three."))
        ssm.delete_document(Name="Hello", DocumentVersion="3")
        self.assertEqual(ssm.describe_document(Name="Hello")["Document"]["LatestVersion"], "2")
        ssm.delete_document(Name="Hello", VersionName="two")
        self.assertEqual([v["DocumentVersion"] for v in
                          ssm.list_document_versions(Name="Hello")["DocumentVersions"]], ["1"])
        # chaostoolkit-incubator/chaostoolkit-aws#100.
        self.assertClientError(lambda: ssm.delete_document(Name="Hello", DocumentVersion="1"),
                               "InvalidDocumentOperation", 400, DEFAULT_VERSION_DELETE)
        self.assertClientError(lambda: ssm.delete_document(Name="Hello", DocumentVersion="8"),
                               "InvalidDocumentVersion", 400, INVALID_VERSION)

    def test_delete_refusals(self):
        self.create()
        ssm = self.ssm()
        self.assertClientError(lambda: ssm.delete_document(Name="Nope"), "InvalidDocument", 400,
                               NO_SUCH_DOCUMENT)
        ssm.modify_document_permission(Name="Hello", PermissionType="Share",
                                       AccountIdsToAdd=[FRIEND])
        self.assertClientError(lambda: ssm.delete_document(Name="Hello"),
                               "InvalidDocumentOperation", 400, STILL_SHARED)
        ssm.modify_document_permission(Name="Hello", PermissionType="Share",
                                       AccountIdsToRemove=[FRIEND])
        ssm.delete_document(Name="Hello")

    def test_a_document_associations_use_stays(self):
        self.create()
        ssm = self.ssm()
        try:
            association = ssm.create_association(
                Name="Hello", Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
                Parameters={"target": ["here"]})["AssociationDescription"]
        except botocore.exceptions.ClientError as error:
            self.skipTest("CreateAssociation is not available: %s" % error)
        self.assertClientError(lambda: ssm.delete_document(Name="Hello"), "AssociatedInstances",
                               400, ASSOCIATED)
        ssm.delete_association(AssociationId=association["AssociationId"])
        ssm.delete_document(Name="Hello")


class SharingTest(DocumentsTestCase):

    def share(self, *accounts, name="Hello", version=None, remove=False):
        extra = {"SharedDocumentVersion": version} if version else {}
        member = "AccountIdsToRemove" if remove else "AccountIdsToAdd"
        self.ssm().modify_document_permission(Name=name, PermissionType="Share",
                                              **{member: list(accounts)}, **extra)

    def test_shared_with_an_account(self):
        self.create(Tags=[{"Key": "secret", "Value": "yes"}])
        self.share(FRIEND)
        permission = self.ssm().describe_document_permission(Name="Hello", PermissionType="Share")
        self.assertEqual(permission["AccountIds"], [FRIEND])
        self.assertEqual(permission["AccountSharingInfoList"],
                         [{"AccountId": FRIEND, "SharedDocumentVersion": "$DEFAULT"}])

        friend = self.ssm(FRIEND)
        described = friend.describe_document(Name=arn("Hello"))["Document"]
        self.assertEqual((described["Name"], described["Owner"]), ("Hello", OWNER))
        self.assertEqual(described["Tags"], [])  # the owner's tags are the owner's
        self.assertEqual(friend.get_document(Name=arn("Hello"))["Content"], command())
        self.assertEqual(len(friend.list_document_versions(Name=arn("Hello"))["DocumentVersions"]),
                         1)
        # Listed with the ARN the account uses it by.
        private = friend.list_documents(Filters=[{"Key": "Owner", "Values": ["Private"]}])
        self.assertEqual([d["Name"] for d in private["DocumentIdentifiers"]], [arn("Hello")])
        self.assertIn(arn("Hello"), [d["Name"] for d in friend.list_documents()
                                     ["DocumentIdentifiers"]])

        # Not by name, not by others, not in another region.
        self.assertClientError(lambda: friend.describe_document(Name="Hello"), "InvalidDocument",
                               400, NO_SUCH_DOCUMENT)
        self.assertClientError(lambda: self.ssm(STRANGER).describe_document(Name=arn("Hello")),
                               "InvalidDocument", 400, NO_SUCH_DOCUMENT)
        self.assertClientError(
            lambda: self.ssm(FRIEND, OTHER_REGION).describe_document(
                Name=arn("Hello", region=OTHER_REGION)),
            "InvalidDocument", 400, NO_SUCH_DOCUMENT)
        # Nor can it change what it was given.
        self.assertClientError(
            lambda: friend.update_document(Name="Hello", Content=command("Mine now.")),
            "InvalidDocument", 400, NO_SUCH_DOCUMENT)

        self.share(FRIEND, remove=True)
        self.assertClientError(lambda: friend.describe_document(Name=arn("Hello")),
                               "InvalidDocument", 400, NO_SUCH_DOCUMENT)
        self.assertEqual(self.ssm().describe_document_permission(
            Name="Hello", PermissionType="Share")["AccountIds"], [])

    def test_shared_versions(self):
        self.create()
        self.ssm().update_document(Name="Hello", Content=command("Two."))
        friend = self.ssm(FRIEND)
        self.share(FRIEND)  # $DEFAULT: version 1 only
        self.assertEqual(friend.describe_document(Name=arn("Hello"))["Document"]
                         ["DocumentVersion"], "1")
        self.assertClientError(
            lambda: friend.describe_document(Name=arn("Hello"), DocumentVersion="2"),
            "InvalidDocumentVersion", 400, INVALID_VERSION)
        self.share(FRIEND, version="$LATEST")
        self.assertEqual(friend.describe_document(Name=arn("Hello"))["Document"]
                         ["DocumentVersion"], "2")
        self.share(FRIEND, version="$ALL")
        self.assertEqual(friend.describe_document(Name=arn("Hello"), DocumentVersion="1")
                         ["Document"]["Description"], "Says hello.")
        self.assertEqual(self.ssm().describe_document_permission(
            Name="Hello", PermissionType="Share")["AccountSharingInfoList"],
            [{"AccountId": FRIEND, "SharedDocumentVersion": "$ALL"}])

    def test_shared_publicly(self):
        self.create()
        self.share("All")
        self.assertEqual(self.ssm().describe_document_permission(
            Name="Hello", PermissionType="Share")["AccountIds"], ["all"])
        for account in (FRIEND, STRANGER):
            self.assertEqual(self.ssm(account).get_document(Name=arn("Hello"))["Content"],
                             command())
        public = self.ssm(STRANGER).list_documents(Filters=[{"Key": "Owner",
                                                             "Values": ["Public"]}])
        self.assertEqual([d["Name"] for d in public["DocumentIdentifiers"]], [arn("Hello")])
        self.assertClientError(lambda: self.share("all", FRIEND), "DocumentPermissionLimit", 400,
                               ALL_OR_ACCOUNTS)
        self.share("all", remove=True)
        self.assertClientError(lambda: self.ssm(STRANGER).describe_document(Name=arn("Hello")),
                               "InvalidDocument", 400, NO_SUCH_DOCUMENT)

    def test_permission_errors(self):
        self.create()
        ssm = self.ssm()
        self.assertClientError(
            lambda: ssm.modify_document_permission(Name="Nope", PermissionType="Share",
                                                   AccountIdsToAdd=[FRIEND]),
            "InvalidDocument", 400, NO_SUCH_DOCUMENT)
        self.assertClientError(
            lambda: ssm.describe_document_permission(Name="Nope", PermissionType="Share"),
            "InvalidDocument", 400, NO_SUCH_DOCUMENT)
        # At most 20 accounts per call (the model's list limit).
        self.assertClientError(
            lambda: ssm.modify_document_permission(
                Name="Hello", PermissionType="Share",
                AccountIdsToAdd=["%012d" % idx for idx in range(21)]),
            "ValidationException", 400)

    def test_describe_permission_pages(self):
        self.create()
        accounts = ["%012d" % (500000000000 + idx) for idx in range(25)]
        self.share(*accounts[:20])
        self.share(*accounts[20:])
        ssm = self.ssm()
        seen = []
        token = None
        while True:
            extra = {"NextToken": token} if token else {}
            page = ssm.describe_document_permission(Name="Hello", PermissionType="Share",
                                                    MaxResults=10, **extra)
            self.assertLessEqual(len(page["AccountIds"]), 10)
            seen += page["AccountIds"]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(seen, accounts)
        self.assertClientError(
            lambda: ssm.describe_document_permission(Name="Hello", PermissionType="Share",
                                                     NextToken="bad"),
            "InvalidNextToken", 400, INVALID_TOKEN)


@unittest.skipUnless(AWS_CLI, "the AWS CLI is not installed")
class AwsCliTest(DocumentsTestCase):

    def test_create_and_get_document_from_a_file(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "doc.yaml")
            with open(path, "w") as handle:
                handle.write(YAML_DOCUMENT)
            created = aws_cli(self.cairn.endpoint, "ssm", "create-document", "--name", "FromCli",
                              "--content", "file://" + path, "--document-format", "YAML",
                              "--document-type", "Command", account=OWNER, region=REGION)
        self.assertEqual(created.returncode, 0, created.stderr)
        self.assertEqual(json.loads(created.stdout)["DocumentDescription"]["Status"], "Creating")
        got = aws_cli(self.cairn.endpoint, "ssm", "get-document", "--name", "FromCli",
                      "--document-format", "JSON", account=OWNER, region=REGION)
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(json.loads(json.loads(got.stdout)["Content"])["description"],
                         "YAML document")
        missing = aws_cli(self.cairn.endpoint, "ssm", "describe-document", "--name", "Nope",
                          account=OWNER, region=REGION)
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("InvalidDocument", missing.stderr)
        self.assertIn(NO_SUCH_DOCUMENT, missing.stderr)


if __name__ == "__main__":
    unittest.main()
