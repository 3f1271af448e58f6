"""End-to-end: SSM managed nodes, compliance and tags through boto3 and the AWS CLI.

Nodes are registered with cairn's admin API (POST /_cairn/ssm/instances), which stands in for
SSM Agent. Covers DescribeInstanceInformation (fields, both filter styles, their errors,
pagination), CreateActivation, PutComplianceItems with COMPLETE and PARTIAL uploads and its
limits, the three compliance list operations with their filters and pages, and the tags of
managed nodes, documents and associations, each in its own account and region.

Messages are the ones cairn answers. Where AWS's own text is known it is that text (the ResourceType
filter messages, the mixed-filter ValidationException, the ManagedInstance tagging
ValidationException, the 800 KB item limit, InvalidResourceId's empty message); the others are
cairn's wording, asserted so that they do not change by accident.
"""
import json
import re
import unittest

import botocore.exceptions

from harness import AWS_CLI, DEFAULT_REGION, MANAGEMENT, CairnTestCase, aws_cli

OTHER_ACCOUNT = "222222222222"
OTHER_REGION = "eu-west-1"

HYBRID_ID = re.compile(r"^mi-[0-9a-f]{17}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
EC2_ID = "i-0123456789abcdef0"
UNKNOWN_HYBRID_ID = "mi-0000000000000000f"
UNKNOWN_ASSOCIATION_ID = "8dfe3659-4309-493a-8755-0123456789ab"

RESOURCE_TYPE_INVALID = ("ResourceType filter is invalid, valid values are EC2Instance, "
                         "ManagedInstance")
RESOURCE_TYPE_ONE_VALUE = "ResourceType filter may contain only one value."
CANNOT_MIX = "Cannot mix tag or inventory filter with any other filter."
MANAGED_INSTANCE_FORMAT = ("resourceId should be in format mi-[0-9a-f]{17} for resource type "
                           "ManagedInstance")
ITEM_SIZE = "Compliance item can have up to 800 KB in total."
TOO_MANY_CUSTOM_TYPES = ("You specified too many custom compliance types. You can specify a "
                         "maximum of 10 different types.")
INVALID_NEXT_TOKEN = "The specified token isn't valid."
INVALID_FILTER = ("The filter name isn't valid. Verify that you entered the correct name and try "
                  "again.")
INVALID_RESOURCE_TYPE = ("The resource type isn't valid. For example, if you are attempting to tag "
                         "an EC2 instance, the instance must be a registered managed node.")

EXECUTION = {"ExecutionTime": 1550505600, "ExecutionId": "run-1", "ExecutionType": "Command"}


class SsmTestCase(CairnTestCase):
    """Helpers: registered nodes and clients acting as an account in a region."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clients = {}

    def ssm(self, account=MANAGEMENT, region=DEFAULT_REGION, validate=True):
        key = (account, region, validate)
        if key not in self._clients:
            self._clients[key] = self.cairn.client("ssm", account=account, region=region,
                                                   validate=validate)
        return self._clients[key]

    def register(self, account=MANAGEMENT, region=DEFAULT_REGION, **fields):
        """Registers a node; returns its id."""
        status, body = self.cairn.admin("POST", "/_cairn/ssm/instances",
                                        {"AccountId": account, "Region": region, **fields})
        self.assertEqual(status, 200, body)
        return body["InstanceId"]

    def refused_registration(self, payload):
        status, body = self.cairn.admin("POST", "/_cairn/ssm/instances", payload)
        self.assertEqual(status, 400, body)
        self.assertEqual(body["code"], "ValidationException", body)
        return body["error"]

    def describe(self, account=MANAGEMENT, region=DEFAULT_REGION, **kwargs):
        return self.ssm(account, region).describe_instance_information(**kwargs)[
            "InstanceInformationList"]

    def ids(self, **kwargs):
        return sorted(node["InstanceId"] for node in self.describe(**kwargs))

    def all_pages(self, call, list_member, page_size, **kwargs):
        """Follows NextToken with MaxResults=page_size; returns (items, pages)."""
        items, pages, token = [], 0, None
        while True:
            request = dict(kwargs, MaxResults=page_size)
            if token:
                request["NextToken"] = token
            response = call(**request)
            pages += 1
            self.assertLessEqual(len(response[list_member]), page_size, response)
            items.extend(response[list_member])
            token = response.get("NextToken")
            if not token:
                return items, pages
            self.assertLess(pages, 100, "pagination does not end")

    def put_items(self, node_id, compliance_type, items, account=MANAGEMENT, region=DEFAULT_REGION,
                  **kwargs):
        self.ssm(account, region).put_compliance_items(
            ResourceId=node_id, ResourceType="ManagedInstance", ComplianceType=compliance_type,
            ExecutionSummary=kwargs.pop("ExecutionSummary", EXECUTION), Items=items, **kwargs)

    def implemented(self, call):
        """Runs call(); skips the test when cairn does not implement the operation yet."""
        try:
            return call()
        except botocore.exceptions.ClientError as error:
            if error.response["Error"]["Code"] == "NotImplemented":
                self.skipTest("operation not implemented yet: " + error.response["Error"]["Message"])
            raise


def item(item_id, status="COMPLIANT", severity="UNSPECIFIED", **extra):
    return {"Id": item_id, "Title": extra.pop("Title", item_id + " title"), "Status": status,
            "Severity": severity, **extra}


class RegistrationTest(SsmTestCase):
    """POST /_cairn/ssm/instances, as DescribeInstanceInformation then shows the node."""

    def test_hybrid_node_gets_an_mi_id_and_reports_like_ssm_agent(self):
        node_id = self.register()
        self.assertRegex(node_id, HYBRID_ID)
        [node] = self.describe()
        self.assertEqual(node["InstanceId"], node_id)
        self.assertEqual(node["PingStatus"], "Online")
        self.assertRegex(node["AgentVersion"], r"^\d+\.\d+\.\d+\.\d+$")
        self.assertIs(node["IsLatestVersion"], True)
        self.assertEqual(node["PlatformType"], "Linux")
        self.assertEqual(node["PlatformName"], "Amazon Linux")
        self.assertEqual(node["PlatformVersion"], "2023")
        self.assertEqual(node["ResourceType"], "ManagedInstance")
        self.assertEqual(node["SourceId"], node_id)
        self.assertEqual(node["SourceType"], "AWS::SSM::ManagedInstance")
        self.assertRegex(node["IPAddress"], r"^10\.\d+\.\d+\.\d+$")
        self.assertTrue(node["ComputerName"])
        self.assertIn("RegistrationDate", node)
        self.assertIn("LastPingDateTime", node)
        # No association has run on it yet.
        for member in ("AssociationStatus", "AssociationOverview", "LastAssociationExecutionDate",
                       "LastSuccessfulAssociationExecutionDate"):
            self.assertNotIn(member, node)

    def test_ec2_instance_is_an_ec2_resource_with_the_given_details(self):
        self.register(InstanceId=EC2_ID, PlatformType="Windows", ComputerName="web-1.example.com",
                      IPAddress="192.0.2.10", PlatformName="Windows Server 2019",
                      PlatformVersion="10.0.17763")
        [node] = self.describe()
        self.assertEqual(node["InstanceId"], EC2_ID)
        self.assertEqual(node["ResourceType"], "EC2Instance")
        self.assertEqual(node["SourceType"], "AWS::EC2::Instance")
        self.assertEqual(node["PlatformType"], "Windows")
        self.assertEqual(node["PlatformName"], "Windows Server 2019")
        self.assertEqual(node["PlatformVersion"], "10.0.17763")
        self.assertEqual(node["ComputerName"], "web-1.example.com")
        self.assertEqual(node["IPAddress"], "192.0.2.10")
        # Registration dates belong to hybrid activations.
        self.assertNotIn("RegistrationDate", node)

    def test_registering_an_existing_id_updates_the_node(self):
        self.register(InstanceId=EC2_ID, ComputerName="old", Tags={"Env": "dev"})
        before = self.describe()[0]
        self.register(InstanceId=EC2_ID, ComputerName="new", PlatformType="MacOS")
        [after] = self.describe()
        self.assertEqual(after["ComputerName"], "new")
        self.assertEqual(after["PlatformType"], "MacOS")
        self.assertEqual(after["PlatformName"], "macOS")
        self.assertEqual(after["IPAddress"], before["IPAddress"])
        # Tags not given again are kept.
        self.assertEqual(self.ids(Filters=[{"Key": "tag:Env", "Values": ["dev"]}]), [EC2_ID])

    def test_nodes_belong_to_their_account_and_region(self):
        here = self.register()
        elsewhere = self.register(region=OTHER_REGION)
        other = self.register(account=OTHER_ACCOUNT)
        self.assertEqual(self.ids(), [here])
        self.assertEqual(self.ids(region=OTHER_REGION), [elsewhere])
        self.assertEqual(self.ids(account=OTHER_ACCOUNT), [other])
        self.assertEqual(self.describe(account="333333333333"), [])

    def test_bad_registrations_are_refused_with_a_clear_message(self):
        self.assertEqual(self.refused_registration({"Region": "us-east-1"}),
                         "AccountId must be a 12-digit account id")
        self.assertEqual(self.refused_registration({"AccountId": "12345", "Region": "us-east-1"}),
                         "AccountId must be a 12-digit account id")
        self.assertEqual(self.refused_registration({"AccountId": MANAGEMENT}),
                         "Region must be a region name such as us-east-1")
        self.assertEqual(
            self.refused_registration({"AccountId": MANAGEMENT, "Region": "us-east-1",
                                       "InstanceId": "i-123"}),
            "InstanceId i-123 must match (^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$)")
        self.assertEqual(
            self.refused_registration({"AccountId": MANAGEMENT, "Region": "us-east-1",
                                       "PlatformType": "Solaris"}),
            "PlatformType must be Linux, Windows or MacOS")
        self.assertEqual(
            self.refused_registration({"AccountId": MANAGEMENT, "Region": "us-east-1",
                                       "AssociationOutcome": "Maybe"}),
            "AssociationOutcome must be Success or Failed")
        self.assertIn("unknown member Colour",
                      self.refused_registration({"AccountId": MANAGEMENT, "Region": "us-east-1",
                                                 "Colour": "blue"}))
        self.assertEqual(
            self.refused_registration({"AccountId": MANAGEMENT, "Region": "us-east-1",
                                       "Tags": "Env=prod"}),
            'Tags must be [{"Key": ..., "Value": ...}] or {"key": "value"}')
        self.assertEqual(
            self.refused_registration({"AccountId": MANAGEMENT, "Region": "us-east-1",
                                       "ComputerName": 7}),
            "ComputerName must be a string")
        self.assertEqual(self.describe(), [])


class DescribeInstanceInformationTest(SsmTestCase):
    """DescribeInstanceInformation's filters, their errors, and its pages."""

    def setUp(self):
        super().setUp()
        self.linux = self.register(InstanceId=EC2_ID, Tags=[{"Key": "Env", "Value": "prod"},
                                                            {"Key": "Team", "Value": "ops"}])
        self.windows = self.register(InstanceId="i-12345678", PlatformType="Windows",
                                     Tags={"Env": "dev"})
        self.hybrid = self.register(PlatformType="Linux")

    def test_filters_by_instance_ids_platform_and_resource_type(self):
        self.assertEqual(self.ids(Filters=[{"Key": "InstanceIds",
                                            "Values": [self.linux, "i-87654321"]}]), [self.linux])
        self.assertEqual(self.ids(Filters=[{"Key": "PlatformTypes", "Values": ["Windows"]}]),
                         [self.windows])
        self.assertEqual(self.ids(Filters=[{"Key": "ResourceType", "Values": ["ManagedInstance"]}]),
                         [self.hybrid])
        self.assertEqual(self.ids(Filters=[{"Key": "PingStatus", "Values": ["Online"]}]),
                         sorted([self.linux, self.windows, self.hybrid]))
        agent = self.describe()[0]["AgentVersion"]
        self.assertEqual(len(self.ids(Filters=[{"Key": "AgentVersion", "Values": [agent]}])), 3)
        self.assertEqual(self.ids(Filters=[{"Key": "AgentVersion", "Values": ["1.0.0.0"]}]), [])
        # Filters must all hold; the values of one filter are alternatives.
        self.assertEqual(self.ids(Filters=[{"Key": "PlatformTypes", "Values": ["Linux", "MacOS"]},
                                           {"Key": "ResourceType", "Values": ["EC2Instance"]}]),
                         [self.linux])
        self.assertEqual(self.ids(Filters=[{"Key": "SourceTypes",
                                            "Values": ["AWS::SSM::ManagedInstance"]}]),
                         [self.hybrid])

    def test_filters_by_tags(self):
        self.assertEqual(self.ids(Filters=[{"Key": "tag:Env", "Values": ["prod", "dev"]}]),
                         sorted([self.linux, self.windows]))
        self.assertEqual(self.ids(Filters=[{"Key": "tag:Env", "Values": ["prod"]},
                                           {"Key": "tag:Team", "Values": ["ops"]}]), [self.linux])
        self.assertEqual(self.ids(Filters=[{"Key": "tag-key", "Values": ["Team"]}]), [self.linux])
        self.assertEqual(self.ids(Filters=[{"Key": "tag:Env", "Values": ["test"]}]), [])

    def test_legacy_filter_list(self):
        response = self.ssm().describe_instance_information(
            InstanceInformationFilterList=[{"key": "PlatformTypes", "valueSet": ["Windows"]}])
        self.assertEqual([node["InstanceId"] for node in response["InstanceInformationList"]],
                         [self.windows])

    def test_filter_errors(self):
        describe = self.ssm().describe_instance_information
        self.assertClientError(
            lambda: describe(Filters=[{"Key": "ResourceType", "Values": ["Document"]}]),
            "InvalidInstanceInformationFilterValue", 400, RESOURCE_TYPE_INVALID)
        self.assertClientError(
            lambda: describe(Filters=[{"Key": "ResourceType",
                                       "Values": ["EC2Instance", "ManagedInstance"]}]),
            "InvalidInstanceInformationFilterValue", 400, RESOURCE_TYPE_ONE_VALUE)
        self.assertClientError(
            lambda: describe(Filters=[{"Key": "PlatformTypes", "Values": ["Solaris"]}]),
            "InvalidInstanceInformationFilterValue", 400,
            "PlatformTypes filter is invalid, valid values are Linux, MacOS, Windows")
        self.assertClientError(
            lambda: describe(InstanceInformationFilterList=[{"key": "PingStatus",
                                                              "valueSet": ["Up"]}]),
            "InvalidInstanceInformationFilterValue", 400,
            "PingStatus filter is invalid, valid values are ConnectionLost, Inactive, Online")
        self.assertClientError(
            lambda: describe(Filters=[{"Key": "Colour", "Values": ["blue"]}]),
            "InvalidFilterKey", 400, "The filter key Colour isn't valid.")
        self.assertClientError(
            lambda: describe(Filters=[{"Key": "InstanceIds", "Values": ["i-1"]}]),
            "InvalidInstanceId", 400,
            "The instance ID i-1 isn't valid. Managed node IDs match "
            "(^i-(\\w{8}|\\w{17})$)|(^mi-\\w{17}$).")
        self.assertClientError(
            lambda: describe(Filters=[{"Key": "tag:Env", "Values": ["prod"]},
                                      {"Key": "PlatformTypes", "Values": ["Linux"]}]),
            "ValidationException", 400, CANNOT_MIX)
        self.assertClientError(
            lambda: describe(Filters=[{"Key": "PlatformTypes", "Values": ["Linux"]}],
                             InstanceInformationFilterList=[{"key": "PlatformTypes",
                                                              "valueSet": ["Linux"]}]),
            "ValidationException", 400,
            "InstanceInformationFilterList and Filters can't be used in the same request.")
        # MaxResults is 5..50 in the model.
        self.assertClientError(lambda: self.ssm(validate=False).describe_instance_information(
            MaxResults=4), "ValidationException", 400)

    def test_pages_follow_next_token_and_default_to_ten(self):
        more = [self.register() for _ in range(9)]
        everyone = sorted([self.linux, self.windows, self.hybrid] + more)
        first = self.ssm().describe_instance_information()
        self.assertEqual(len(first["InstanceInformationList"]), 10)
        self.assertIn("NextToken", first)
        nodes, pages = self.all_pages(self.ssm().describe_instance_information,
                                      "InstanceInformationList", 5)
        self.assertEqual(pages, 3)
        self.assertEqual(sorted(node["InstanceId"] for node in nodes), everyone)
        paginator = self.ssm().get_paginator("describe_instance_information")
        paged = [node["InstanceId"] for page in paginator.paginate(PaginationConfig={"PageSize": 5})
                 for node in page["InstanceInformationList"]]
        self.assertEqual(sorted(paged), everyone)
        # Filtered pages hold only matches.
        filtered, _ = self.all_pages(self.ssm().describe_instance_information,
                                     "InstanceInformationList", 5,
                                     Filters=[{"Key": "ResourceType",
                                               "Values": ["ManagedInstance"]}])
        self.assertEqual(len(filtered), 10)

    def test_tokens_are_refused_when_forged_or_reused_elsewhere(self):
        for _ in range(6):
            self.register()
        token = self.ssm().describe_instance_information(MaxResults=5)["NextToken"]
        describe = self.ssm().describe_instance_information
        self.assertClientError(lambda: describe(NextToken="forged"), "InvalidNextToken", 400,
                               INVALID_NEXT_TOKEN)
        self.assertClientError(
            lambda: describe(NextToken=token,
                             Filters=[{"Key": "PlatformTypes", "Values": ["Linux"]}]),
            "InvalidNextToken", 400, INVALID_NEXT_TOKEN)
        self.assertClientError(
            lambda: self.ssm(account=OTHER_ACCOUNT).describe_instance_information(NextToken=token),
            "InvalidNextToken", 400, INVALID_NEXT_TOKEN)

    @unittest.skipUnless(AWS_CLI, "AWS CLI not installed")
    def test_aws_cli_describe_instance_information(self):
        result = aws_cli(self.cairn.endpoint, "ssm", "describe-instance-information",
                         "--filters", "Key=tag:Env,Values=prod", "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        nodes = json.loads(result.stdout)["InstanceInformationList"]
        self.assertEqual([node["InstanceId"] for node in nodes], [self.linux])
        result = aws_cli(self.cairn.endpoint, "ssm", "describe-instance-information",
                         "--filters", "Key=ResourceType,Values=Document")
        self.assertNotEqual(result.returncode, 0, result.stderr)
        self.assertIn("InvalidInstanceInformationFilterValue", result.stderr)
        self.assertIn(RESOURCE_TYPE_INVALID, result.stderr)


class CreateActivationTest(SsmTestCase):

    def test_creates_an_activation_id_and_code(self):
        activation = self.ssm().create_activation(IamRole="SSMServiceRole", RegistrationLimit=5,
                                                  DefaultInstanceName="web",
                                                  Tags=[{"Key": "OS", "Value": "Linux"}])
        self.assertRegex(activation["ActivationId"], UUID)
        self.assertRegex(activation["ActivationCode"], r"^[A-Za-z0-9+/]{20}$")
        again = self.ssm().create_activation(IamRole="SSMServiceRole")
        self.assertNotEqual(again["ActivationId"], activation["ActivationId"])

    def test_expiration_must_be_in_the_next_30_days(self):
        import datetime
        now = datetime.datetime.now(datetime.timezone.utc)
        create = self.ssm().create_activation
        create(IamRole="SSMServiceRole", ExpirationDate=now + datetime.timedelta(days=29))
        message = "ExpirationDate must be in the future and no more than 30 days from now."
        self.assertClientError(
            lambda: create(IamRole="SSMServiceRole",
                           ExpirationDate=now - datetime.timedelta(hours=1)),
            "ValidationException", 400, message)
        self.assertClientError(
            lambda: create(IamRole="SSMServiceRole",
                           ExpirationDate=now + datetime.timedelta(days=31)),
            "ValidationException", 400, message)

    def test_iam_role_is_required(self):
        self.assertClientError(lambda: self.ssm(validate=False).create_activation(),
                               "ValidationException", 400)


class ComplianceTest(SsmTestCase):
    """PutComplianceItems and what the list operations make of it."""

    def setUp(self):
        super().setUp()
        self.node = self.register()
        self.other = self.register(InstanceId=EC2_ID)

    def items_of(self, node_id, **kwargs):
        return self.ssm().list_compliance_items(ResourceIds=[node_id],
                                                ResourceTypes=["ManagedInstance"],
                                                **kwargs)["ComplianceItems"]

    def resource_summary(self, node_id, compliance_type):
        summaries = self.ssm().list_resource_compliance_summaries(
            Filters=[{"Key": "ResourceId", "Values": [node_id]},
                     {"Key": "ComplianceType", "Values": [compliance_type]}])
        [summary] = summaries["ResourceComplianceSummaryItems"]
        return summary

    def test_put_then_list_items_as_sent(self):
        self.put_items(self.node, "Custom:AVCheck", [
            item("Version2.0", "COMPLIANT", "CRITICAL", Title="ScanHost",
                 Details={"Engine": "1.2"}),
            item("Signatures", "NON_COMPLIANT", "HIGH")])
        items = self.items_of(self.node)
        self.assertEqual(len(items), 2)
        first = items[0]
        self.assertEqual(first["ComplianceType"], "Custom:AVCheck")
        self.assertEqual(first["ResourceType"], "ManagedInstance")
        self.assertEqual(first["ResourceId"], self.node)
        self.assertEqual(first["Id"], "Version2.0")
        self.assertEqual(first["Title"], "ScanHost")
        self.assertEqual(first["Status"], "COMPLIANT")
        self.assertEqual(first["Severity"], "CRITICAL")
        self.assertEqual(first["Details"], {"Engine": "1.2"})
        self.assertEqual(first["ExecutionSummary"]["ExecutionId"], "run-1")
        self.assertEqual(first["ExecutionSummary"]["ExecutionType"], "Command")
        self.assertEqual(first["ExecutionSummary"]["ExecutionTime"].timestamp(), 1550505600)
        self.assertEqual(items[1]["Id"], "Signatures")

    def test_resource_summary_counts_items_and_takes_the_worst_severity(self):
        self.put_items(self.node, "Custom:AVCheck", [
            item("a", "COMPLIANT", "CRITICAL"), item("b", "NON_COMPLIANT", "LOW"),
            item("c", "NON_COMPLIANT", "HIGH"), item("d", "COMPLIANT", "UNSPECIFIED")])
        summary = self.resource_summary(self.node, "Custom:AVCheck")
        self.assertEqual(summary["ResourceType"], "ManagedInstance")
        self.assertEqual(summary["Status"], "NON_COMPLIANT")
        self.assertEqual(summary["OverallSeverity"], "HIGH")
        self.assertEqual(summary["ExecutionSummary"]["ExecutionId"], "run-1")
        self.assertEqual(summary["CompliantSummary"]["CompliantCount"], 2)
        self.assertEqual(summary["CompliantSummary"]["SeveritySummary"],
                         {"CriticalCount": 1, "HighCount": 0, "MediumCount": 0, "LowCount": 0,
                          "InformationalCount": 0, "UnspecifiedCount": 1})
        self.assertEqual(summary["NonCompliantSummary"]["NonCompliantCount"], 2)
        self.assertEqual(summary["NonCompliantSummary"]["SeveritySummary"]["HighCount"], 1)
        self.assertEqual(summary["NonCompliantSummary"]["SeveritySummary"]["LowCount"], 1)
        self.put_items(self.node, "Custom:AVCheck", [item("a", "COMPLIANT", "MEDIUM")])
        summary = self.resource_summary(self.node, "Custom:AVCheck")
        self.assertEqual(summary["Status"], "COMPLIANT")
        self.assertEqual(summary["OverallSeverity"], "MEDIUM")

    def test_complete_upload_replaces_and_partial_upload_merges_by_id(self):
        self.put_items(self.node, "Custom:Patch", [item("a"), item("b")])
        self.put_items(self.node, "Custom:Patch", [item("c")], UploadType="COMPLETE")
        self.assertEqual([entry["Id"] for entry in self.items_of(self.node)], ["c"])
        self.put_items(self.node, "Custom:Patch", [item("c", "NON_COMPLIANT", "HIGH"), item("d")],
                       UploadType="PARTIAL")
        items = self.items_of(self.node)
        self.assertEqual([(entry["Id"], entry["Status"]) for entry in items],
                         [("c", "NON_COMPLIANT"), ("d", "COMPLIANT")])
        # Other compliance types of the node are untouched by either.
        self.put_items(self.node, "Custom:Other", [item("x")])
        self.put_items(self.node, "Custom:Patch", [item("e")])
        self.assertEqual(sorted(entry["Id"] for entry in self.items_of(self.node)), ["e", "x"])

    def test_compliance_summaries_count_nodes_per_type(self):
        self.put_items(self.node, "Custom:AV", [item("a", "NON_COMPLIANT", "CRITICAL"),
                                                item("b", "NON_COMPLIANT", "LOW")])
        self.put_items(self.other, "Custom:AV", [item("a", "COMPLIANT", "MEDIUM")])
        self.put_items(self.other, "Patch", [item("kb1", "COMPLIANT", "UNSPECIFIED")])
        summaries = {entry["ComplianceType"]: entry for entry in
                     self.ssm().list_compliance_summaries()["ComplianceSummaryItems"]}
        self.assertEqual(sorted(summaries), ["Custom:AV", "Patch"])
        av = summaries["Custom:AV"]
        self.assertEqual(av["CompliantSummary"]["CompliantCount"], 1)
        self.assertEqual(av["CompliantSummary"]["SeveritySummary"]["MediumCount"], 1)
        self.assertEqual(av["NonCompliantSummary"]["NonCompliantCount"], 1)
        self.assertEqual(av["NonCompliantSummary"]["SeveritySummary"]["CriticalCount"], 1)
        self.assertEqual(av["NonCompliantSummary"]["SeveritySummary"]["LowCount"], 0)
        self.assertEqual(summaries["Patch"]["CompliantSummary"]["SeveritySummary"]
                         ["UnspecifiedCount"], 1)
        self.assertEqual(summaries["Patch"]["NonCompliantSummary"]["NonCompliantCount"], 0)
        only_patch = self.ssm().list_compliance_summaries(
            Filters=[{"Key": "ComplianceType", "Values": ["Patch"], "Type": "EQUAL"}])
        self.assertEqual([entry["ComplianceType"] for entry in
                          only_patch["ComplianceSummaryItems"]], ["Patch"])

    def test_list_filters(self):
        self.put_items(self.node, "Custom:AV", [item("a", "NON_COMPLIANT", "CRITICAL"),
                                                item("b", "COMPLIANT", "LOW"),
                                                item("c", "NON_COMPLIANT", "MEDIUM")])
        self.put_items(self.node, "Patch", [item("kb1")],
                       ExecutionSummary={"ExecutionTime": 1550505000})

        def ids(*filters):
            return [entry["Id"] for entry in self.items_of(self.node, Filters=list(filters))]

        self.assertEqual(ids({"Key": "ComplianceType", "Values": ["Patch"], "Type": "EQUAL"}),
                         ["kb1"])
        self.assertEqual(ids({"Key": "Status", "Values": ["NON_COMPLIANT"]}), ["a", "c"])
        self.assertEqual(ids({"Key": "Severity", "Values": ["LOW"], "Type": "GREATER_THAN"}),
                         ["a", "c"])
        self.assertEqual(ids({"Key": "ComplianceType", "Values": ["Custom:"],
                              "Type": "BEGIN_WITH"},
                             {"Key": "Id", "Values": ["a", "b"]}), ["a", "b"])
        self.assertEqual(ids({"Key": "ComplianceType", "Values": ["Patch"], "Type": "NOT_EQUAL"}),
                         ["a", "b", "c"])
        self.assertEqual(ids({"Key": "ExecutionTime", "Values": ["2019-02-18T16:00:00Z"],
                              "Type": "LESS_THAN"}), ["kb1"])
        resources = self.ssm().list_resource_compliance_summaries(
            Filters=[{"Key": "OverallSeverity", "Values": ["CRITICAL"]}])
        self.assertEqual([(entry["ResourceId"], entry["ComplianceType"]) for entry in
                          resources["ResourceComplianceSummaryItems"]], [(self.node, "Custom:AV")])
        compliant = self.ssm().list_resource_compliance_summaries(
            Filters=[{"Key": "Status", "Values": ["COMPLIANT"]}])
        self.assertEqual([entry["ComplianceType"] for entry in
                          compliant["ResourceComplianceSummaryItems"]], ["Patch"])

    def test_put_errors(self):
        put = self.ssm().put_compliance_items
        self.assertClientError(
            lambda: put(ResourceId=UNKNOWN_HYBRID_ID, ResourceType="ManagedInstance",
                        ComplianceType="Custom:AV", ExecutionSummary=EXECUTION, Items=[item("a")]),
            "InvalidResourceId", 400, "")
        self.assertClientError(
            lambda: put(ResourceId=self.node, ResourceType="Document",
                        ComplianceType="Custom:AV", ExecutionSummary=EXECUTION, Items=[item("a")]),
            "InvalidResourceType", 400, INVALID_RESOURCE_TYPE)
        self.assertClientError(
            lambda: put(ResourceId=self.node, ResourceType="ManagedInstance",
                        ComplianceType="Custom:AV", ExecutionSummary=EXECUTION,
                        Items=[item("a"), item("a")]),
            "InvalidItemContentException", 400,
            "The compliance item Id a appears more than once.")
        self.assertClientError(
            lambda: put(ResourceId=self.node, ResourceType="ManagedInstance",
                        ComplianceType="Custom:AV", ExecutionSummary=EXECUTION,
                        Items=[{"Severity": "LOW", "Status": "COMPLIANT"}], UploadType="PARTIAL"),
            "InvalidItemContentException", 400,
            "Every compliance item needs an Id when UploadType is PARTIAL.")
        big = [item(f"item-{index}", Details={f"k{key}": "x" * 4000 for key in range(4)})
               for index in range(60)]
        self.assertClientError(
            lambda: put(ResourceId=self.node, ResourceType="ManagedInstance",
                        ComplianceType="Custom:AV", ExecutionSummary=EXECUTION, Items=big),
            "ItemSizeLimitExceededException", 400, ITEM_SIZE)
        # Nothing was stored by any refused put.
        self.assertEqual(self.items_of(self.node), [])

    def test_at_most_ten_custom_types_per_node(self):
        for index in range(10):
            self.put_items(self.node, f"Custom:Type{index}", [item("a")])
        self.put_items(self.node, "Custom:Type3", [item("b")])  # an existing type is fine
        self.put_items(self.node, "Patch", [item("kb1")])  # and so is a type that is not custom
        self.assertClientError(lambda: self.put_items(self.node, "Custom:Type10", [item("a")]),
                               "ComplianceTypeCountLimitExceededException", 400,
                               TOO_MANY_CUSTOM_TYPES)
        # The limit is per node.
        self.put_items(self.other, "Custom:Type10", [item("a")])

    def test_list_errors(self):
        ssm = self.ssm()
        self.assertClientError(
            lambda: ssm.list_compliance_items(ResourceIds=[self.node], ResourceTypes=["Document"]),
            "InvalidResourceType", 400, INVALID_RESOURCE_TYPE)
        self.assertClientError(
            lambda: ssm.list_compliance_items(ResourceIds=[self.node, self.other]),
            "InvalidResourceId", 400, "Currently, you can only specify one resource ID.")
        for call in (lambda: ssm.list_compliance_items(Filters=[{"Key": "Colour",
                                                                 "Values": ["red"]}]),
                     lambda: ssm.list_compliance_summaries(Filters=[{"Key": "Id",
                                                                     "Values": ["a"]}]),
                     lambda: ssm.list_resource_compliance_summaries(Filters=[{"Key": "Colour",
                                                                              "Values": ["x"]}])):
            self.assertClientError(call, "InvalidFilter", 400, INVALID_FILTER)
        self.assertClientError(
            lambda: ssm.list_compliance_items(Filters=[{"Key": "ExecutionTime",
                                                        "Values": ["yesterday"]}]),
            "InvalidFilter", 400, "The ExecutionTime filter value yesterday isn't a valid time.")
        for call in (ssm.list_compliance_items, ssm.list_compliance_summaries,
                     ssm.list_resource_compliance_summaries):
            self.assertClientError(lambda: call(NextToken="forged"), "InvalidNextToken", 400,
                                   INVALID_NEXT_TOKEN)

    def test_lists_page(self):
        self.put_items(self.node, "Custom:AV", [item(f"item-{index:02}") for index in range(7)])
        self.put_items(self.node, "Patch", [item(f"kb-{index}") for index in range(4)])
        items, pages = self.all_pages(self.ssm().list_compliance_items, "ComplianceItems", 3,
                                      ResourceIds=[self.node])
        self.assertEqual(pages, 4)
        self.assertEqual(len({(entry["ComplianceType"], entry["Id"]) for entry in items}), 11)
        paginator = self.ssm().get_paginator("list_compliance_items")
        paged = [entry["Id"] for page in paginator.paginate(ResourceIds=[self.node],
                                                             PaginationConfig={"PageSize": 2})
                 for entry in page["ComplianceItems"]]
        self.assertEqual(len(paged), 11)
        nodes = [self.register() for _ in range(4)]
        for index, node_id in enumerate(nodes):
            self.put_items(node_id, f"Custom:T{index}", [item("a")])
        summaries, pages = self.all_pages(self.ssm().list_compliance_summaries,
                                          "ComplianceSummaryItems", 2)
        self.assertEqual(pages, 3)
        self.assertEqual([entry["ComplianceType"] for entry in summaries],
                         ["Custom:AV", "Custom:T0", "Custom:T1", "Custom:T2", "Custom:T3", "Patch"])
        resources, pages = self.all_pages(self.ssm().list_resource_compliance_summaries,
                                          "ResourceComplianceSummaryItems", 4)
        self.assertEqual(pages, 2)
        self.assertEqual(len(resources), 6)

    def test_compliance_belongs_to_its_account_and_region(self):
        self.put_items(self.node, "Custom:AV", [item("a")])
        elsewhere = self.register(region=OTHER_REGION)
        self.put_items(elsewhere, "Custom:Other", [item("b")], region=OTHER_REGION)
        self.assertEqual([entry["ComplianceType"] for entry in
                          self.ssm().list_compliance_summaries()["ComplianceSummaryItems"]],
                         ["Custom:AV"])
        self.assertEqual([entry["ResourceId"] for entry in self.ssm(region=OTHER_REGION)
                          .list_resource_compliance_summaries()["ResourceComplianceSummaryItems"]],
                         [elsewhere])
        # Another account can neither see the node's compliance nor write to it.
        self.assertEqual(self.ssm(account=OTHER_ACCOUNT).list_compliance_items(
            ResourceIds=[self.node])["ComplianceItems"], [])
        self.assertClientError(lambda: self.put_items(self.node, "Custom:AV", [item("a")],
                                                      account=OTHER_ACCOUNT),
                               "InvalidResourceId", 400, "")


class AssociationRunsTest(SsmTestCase):
    """What association runs leave on nodes: DescribeInstanceInformation's association members
    and, with SyncCompliance AUTO, the Association compliance type."""

    def setUp(self):
        super().setUp()
        self.good = self.register(Tags={"role": "web"})
        self.bad = self.register(Tags={"role": "web"}, AssociationOutcome="Failed")

    def run_association(self, **kwargs):
        association = self.implemented(lambda: self.ssm().create_association(
            Name="AWS-RunShellScript", Targets=[{"Key": "tag:role", "Values": ["web"]}],
            Parameters={"commands": ["echo hi"]}, **kwargs))["AssociationDescription"]
        for _ in range(8):  # one wave per second of clock time
            status, body = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": 1})
            self.assertEqual(status, 200, body)
        return association["AssociationId"]

    def test_nodes_report_their_associations(self):
        self.run_association(AssociationName="web-setup")
        nodes = {node["InstanceId"]: node for node in self.describe()}
        good, bad = nodes[self.good], nodes[self.bad]
        self.assertEqual(good["AssociationStatus"], "Success")
        self.assertEqual(good["AssociationOverview"],
                         {"DetailedStatus": "Success",
                          "InstanceAssociationStatusAggregatedCount": {"Success": 1}})
        self.assertIn("LastAssociationExecutionDate", good)
        self.assertEqual(good["LastSuccessfulAssociationExecutionDate"],
                         good["LastAssociationExecutionDate"])
        self.assertEqual(bad["AssociationStatus"], "Failed")
        self.assertEqual(bad["AssociationOverview"]["InstanceAssociationStatusAggregatedCount"],
                         {"Failed": 1})
        self.assertNotIn("LastSuccessfulAssociationExecutionDate", bad)
        self.assertEqual(self.ids(Filters=[{"Key": "AssociationStatus", "Values": ["Failed"]}]),
                         [self.bad])

    def test_runs_record_association_compliance(self):
        association_id = self.run_association(AssociationName="web-setup",
                                              ComplianceSeverity="HIGH")
        [entry] = self.ssm().list_compliance_items(ResourceIds=[self.good])["ComplianceItems"]
        self.assertEqual(entry["ComplianceType"], "Association")
        self.assertEqual(entry["ResourceType"], "ManagedInstance")
        self.assertEqual(entry["Id"], association_id)
        self.assertEqual(entry["Title"], "web-setup")
        self.assertEqual(entry["Status"], "COMPLIANT")
        self.assertEqual(entry["Severity"], "HIGH")
        self.assertEqual(entry["Details"], {"DocumentName": "AWS-RunShellScript",
                                            "DocumentVersion": "1"})
        self.assertEqual(list(entry["ExecutionSummary"]), ["ExecutionTime"])
        [failed] = self.ssm().list_compliance_items(ResourceIds=[self.bad])["ComplianceItems"]
        self.assertEqual(failed["Status"], "NON_COMPLIANT")
        [summary] = self.ssm().list_compliance_summaries()["ComplianceSummaryItems"]
        self.assertEqual(summary["ComplianceType"], "Association")
        self.assertEqual(summary["CompliantSummary"]["CompliantCount"], 1)
        self.assertEqual(summary["NonCompliantSummary"]["NonCompliantCount"], 1)
        self.assertEqual(summary["NonCompliantSummary"]["SeveritySummary"]["HighCount"], 1)
        # A second association adds its own item; the first one's stays.
        self.run_association()
        items = self.ssm().list_compliance_items(ResourceIds=[self.good])["ComplianceItems"]
        self.assertEqual(len(items), 2)
        self.assertIn("", [entry["Title"] for entry in items])  # no name: an empty title

    def test_manual_sync_leaves_compliance_to_put_compliance_items(self):
        association_id = self.run_association(SyncCompliance="MANUAL")
        self.assertEqual(self.ssm().list_compliance_items(ResourceIds=[self.good])
                         ["ComplianceItems"], [])
        self.put_items(self.good, "Association",
                       [item(association_id, "NON_COMPLIANT", "LOW", Title="")],
                       UploadType="PARTIAL")
        [entry] = self.ssm().list_compliance_items(ResourceIds=[self.good])["ComplianceItems"]
        self.assertEqual((entry["Id"], entry["Status"]), (association_id, "NON_COMPLIANT"))


class TagsTest(SsmTestCase):
    """AddTagsToResource, RemoveTagsFromResource, ListTagsForResource."""

    def setUp(self):
        super().setUp()
        self.node = self.register(Tags={"Env": "dev"})

    def tags_of(self, resource_type, resource_id, **client):
        return self.ssm(**client).list_tags_for_resource(
            ResourceType=resource_type, ResourceId=resource_id)["TagList"]

    def test_managed_node_tags_add_overwrite_and_remove(self):
        self.assertEqual(self.tags_of("ManagedInstance", self.node), [{"Key": "Env", "Value": "dev"}])
        self.ssm().add_tags_to_resource(ResourceType="ManagedInstance", ResourceId=self.node,
                                        Tags=[{"Key": "Env", "Value": "prod"},
                                              {"Key": "Team", "Value": ""}])
        self.assertEqual(self.tags_of("ManagedInstance", self.node),
                         [{"Key": "Env", "Value": "prod"}, {"Key": "Team", "Value": ""}])
        # DescribeInstanceInformation's tag filters see them at once.
        self.assertEqual(self.ids(Filters=[{"Key": "tag:Env", "Values": ["prod"]}]), [self.node])
        self.ssm().remove_tags_from_resource(ResourceType="ManagedInstance", ResourceId=self.node,
                                             TagKeys=["Env", "Missing"])
        self.assertEqual(self.tags_of("ManagedInstance", self.node), [{"Key": "Team", "Value": ""}])
        self.ssm().remove_tags_from_resource(ResourceType="ManagedInstance", ResourceId=self.node,
                                             TagKeys=["Team"])
        self.assertEqual(self.tags_of("ManagedInstance", self.node), [])
        self.assertEqual(self.ids(Filters=[{"Key": "tag-key", "Values": ["Env", "Team"]}]), [])

    def test_fifty_tags_at_most(self):
        tags = [{"Key": f"k{index:02}", "Value": "v"} for index in range(49)]
        self.ssm().add_tags_to_resource(ResourceType="ManagedInstance", ResourceId=self.node,
                                        Tags=tags)
        self.assertEqual(len(self.tags_of("ManagedInstance", self.node)), 50)
        self.assertClientError(
            lambda: self.ssm().add_tags_to_resource(ResourceType="ManagedInstance",
                                                    ResourceId=self.node,
                                                    Tags=[{"Key": "one-more", "Value": "v"}]),
            "TooManyTagsError", 400,
            "The resource would have 51 tags; a resource can have at most 50 tags.")
        # Overwriting an existing key does not add one.
        self.ssm().add_tags_to_resource(ResourceType="ManagedInstance", ResourceId=self.node,
                                        Tags=[{"Key": "k00", "Value": "w"}])

    def test_ec2_instances_are_not_tagged_through_ssm(self):
        self.register(InstanceId=EC2_ID)
        for call in (lambda: self.tags_of("ManagedInstance", EC2_ID),
                     lambda: self.ssm().add_tags_to_resource(
                         ResourceType="ManagedInstance", ResourceId=EC2_ID,
                         Tags=[{"Key": "a", "Value": "b"}]),
                     lambda: self.ssm().remove_tags_from_resource(
                         ResourceType="ManagedInstance", ResourceId=EC2_ID, TagKeys=["a"])):
            self.assertClientError(call, "ValidationException", 400, MANAGED_INSTANCE_FORMAT)

    def test_unknown_resources(self):
        for resource_type, resource_id in (("ManagedInstance", UNKNOWN_HYBRID_ID),
                                           ("Association", UNKNOWN_ASSOCIATION_ID),
                                           ("Document", "NoSuchDocument"),
                                           ("Document", "AWS-RunShellScript"),
                                           ("Document", "arn:aws:ssm:us-east-1:999999999999:"
                                                        "document/Theirs")):
            self.assertClientError(lambda: self.tags_of(resource_type, resource_id),
                                   "InvalidResourceId", 400, "")
            self.assertClientError(
                lambda: self.ssm().add_tags_to_resource(ResourceType=resource_type,
                                                        ResourceId=resource_id,
                                                        Tags=[{"Key": "a", "Value": "b"}]),
                "InvalidResourceId", 400, "")
        for resource_type in ("MaintenanceWindow", "Parameter", "PatchBaseline"):
            self.assertClientError(lambda: self.tags_of(resource_type, "mw-0123456789abcdef0"),
                                   "InvalidResourceType", 400, INVALID_RESOURCE_TYPE)

    def test_tags_belong_to_their_account_and_region(self):
        for client in ({"account": OTHER_ACCOUNT}, {"region": OTHER_REGION}):
            self.assertClientError(lambda: self.tags_of("ManagedInstance", self.node, **client),
                                   "InvalidResourceId", 400, "")

    def test_document_tags(self):
        content = json.dumps({"schemaVersion": "2.2", "description": "d", "mainSteps": [
            {"action": "aws:runShellScript", "name": "run",
             "inputs": {"runCommand": ["echo hi"]}}]})
        self.implemented(lambda: self.ssm().create_document(Name="MyDoc", Content=content,
                                                            DocumentType="Command"))
        self.ssm().add_tags_to_resource(ResourceType="Document", ResourceId="MyDoc",
                                        Tags=[{"Key": "Quarter", "Value": "Q322"}])
        self.assertEqual(self.tags_of("Document", "MyDoc"), [{"Key": "Quarter", "Value": "Q322"}])
        arn = f"arn:aws:ssm:{DEFAULT_REGION}:{MANAGEMENT}:document/MyDoc"
        self.assertEqual(self.tags_of("Document", arn), [{"Key": "Quarter", "Value": "Q322"}])
        self.ssm().remove_tags_from_resource(ResourceType="Document", ResourceId="MyDoc",
                                             TagKeys=["Quarter"])
        self.assertEqual(self.tags_of("Document", "MyDoc"), [])

    def test_association_tags(self):
        association = self.implemented(lambda: self.ssm().create_association(
            Name="AWS-RunShellScript", Targets=[{"Key": "InstanceIds", "Values": [self.node]}],
            Parameters={"commands": ["echo hi"]}))["AssociationDescription"]
        association_id = association["AssociationId"]
        self.ssm().add_tags_to_resource(ResourceType="Association", ResourceId=association_id,
                                        Tags=[{"Key": "Owner", "Value": "platform"}])
        self.assertEqual(self.tags_of("Association", association_id),
                         [{"Key": "Owner", "Value": "platform"}])
        # Tags given at creation land on the association, not in its description.
        tagged = self.ssm().create_association(
            Name="AWS-RunShellScript", Targets=[{"Key": "InstanceIds", "Values": [self.node]}],
            Parameters={"commands": ["echo hi"]},
            Tags=[{"Key": "Team", "Value": "core"}, {"Key": "Env", "Value": "dev"}])["AssociationDescription"]
        self.assertNotIn("Tags", tagged)
        self.assertEqual(sorted(self.tags_of("Association", tagged["AssociationId"]), key=lambda tag: tag["Key"]),
                         [{"Key": "Env", "Value": "dev"}, {"Key": "Team", "Value": "core"}])

    @unittest.skipUnless(AWS_CLI, "AWS CLI not installed")
    def test_aws_cli_list_tags_for_resource(self):
        result = aws_cli(self.cairn.endpoint, "ssm", "list-tags-for-resource",
                         "--resource-type", "ManagedInstance", "--resource-id", self.node,
                         "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout), {"TagList": [{"Key": "Env", "Value": "dev"}]})
        result = aws_cli(self.cairn.endpoint, "ssm", "list-tags-for-resource",
                         "--resource-type", "ManagedInstance", "--resource-id", EC2_ID)
        self.assertNotEqual(result.returncode, 0, result.stderr)
        self.assertIn(MANAGED_INSTANCE_FORMAT, result.stderr)


if __name__ == "__main__":
    unittest.main()
