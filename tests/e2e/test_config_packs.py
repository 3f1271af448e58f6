"""AWS Config conformance packs and organization conformance packs: templates, the lifecycle
of packs and of deployments into member accounts (on cairn's virtual clock), compliance,
access rules, pagination and errors, with boto3 as AWS's users drive them."""
import os
import shutil
import tempfile
import time
import unittest

import harness
from harness import MANAGEMENT, CairnTestCase

MULTI_ACCOUNT_SETUP = "config-multiaccountsetup.amazonaws.com"
OUTSIDER = "999999999999"

# The template of the Terraform provider's acceptance tests.
TEMPLATE = """
Resources:
  IAMPasswordPolicy:
    Properties:
      ConfigRuleName: IAMPasswordPolicy
      Source:
        Owner: AWS
        SourceIdentifier: IAM_PASSWORD_POLICY
    Type: AWS::Config::ConfigRule
"""

# Two rules, one of them driven by a parameter (awslabs/aws-config-rules style).
TWO_RULES = """
Parameters:
  MaxAccessKeyAge:
    Type: String
    Default: '90'
Resources:
  AccessKeysRotated:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: access-keys-rotated
      InputParameters:
        maxAccessKeyAge: !Ref MaxAccessKeyAge
      Source:
        Owner: AWS
        SourceIdentifier: ACCESS_KEYS_ROTATED
  RootMfa:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: root-account-mfa-enabled
      Source:
        Owner: AWS
        SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED
"""

NO_SUCH_PACKS = ("One or more conformance packs with specified names are not present. Ensure your "
                 "names are correct and try your request again later.")
NO_SUCH_ORGANIZATION_PACKS = ("One or more organization conformance packs with specified names are "
                              "not present. Ensure your names are correct and try your request again "
                              "later.")
NOT_IN_ORGANIZATION = "This action can only be made by accounts in an AWS Organization"
MEMBER_DENIED = ("For all OrganizationConfigRule and OrganizationConformancePack APIs, Config throws "
                 "an exception if APIs are called from member accounts. All APIs must be called from "
                 "organization management account.")
DEFAULT_FAILURE = ("NoAvailableConfigurationRecorderException",
                   "You must create a configuration recorder before you can create or update a "
                   "Config rule.")


def template_error(what):
    return (f"Invalid conformance pack template provided. Errors found: [{what}]. Fix your "
            "template and try again.")


class PacksTestCase(CairnTestCase):
    """Clients per account, the clock, and an organization to deploy into."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clients = {}

    def client(self, service, account=MANAGEMENT, region=harness.DEFAULT_REGION):
        key = (service, account, region)
        if key not in self._clients:
            self._clients[key] = self.cairn.client(service, account=account, region=region)
        return self._clients[key]

    def config(self, account=MANAGEMENT, region=harness.DEFAULT_REGION):
        return self.client("config", account, region)

    def org(self, account=MANAGEMENT):
        return self.client("organizations", account)

    def advance(self, seconds):
        status, body = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": seconds})
        self.assertEqual(status, 200, body)

    def create_organization(self, feature_set="ALL", account=MANAGEMENT):
        self.org(account).create_organization(FeatureSet=feature_set)

    def create_accounts(self, count, name="member", account=MANAGEMENT):
        """Creates accounts (1 s of clock each batch); returns their ids."""
        request_ids = []
        for _ in range(count):
            self._created = getattr(self, "_created", 0) + 1
            request_ids.append(self.org(account).create_account(
                Email=f"{name}{self._created}@example.com",
                AccountName=f"{name} {self._created}")["CreateAccountStatus"]["Id"])
        self.advance(1)
        return [self.org(account).describe_create_account_status(CreateAccountRequestId=request_id)
                ["CreateAccountStatus"]["AccountId"] for request_id in request_ids]

    def fail_deployments(self, account_id, failing=True, **extra):
        status, body = self.cairn.admin("POST", "/_cairn/config/deployment-failures",
                                        {"AccountId": account_id, "Failing": failing, **extra})
        self.assertEqual(status, 200, body)
        return body

    def pack_status(self, name, account=MANAGEMENT):
        details = self.config(account).describe_conformance_pack_status(
            ConformancePackNames=[name])["ConformancePackStatusDetails"]
        return details[0] if details else None


class ConformancePackLifecycleTest(PacksTestCase):
    """PutConformancePack, DescribeConformancePacks, DescribeConformancePackStatus,
    DeleteConformancePack."""

    def test_put_creates_the_pack_in_progress_then_complete(self):
        arn = self.config().put_conformance_pack(ConformancePackName="pack", TemplateBody=TEMPLATE,
                                                 DeliveryS3Bucket="bucket",
                                                 DeliveryS3KeyPrefix="prefix")["ConformancePackArn"]
        self.assertRegex(arn, r"^arn:aws:config:us-east-1:111111111111:conformance-pack/pack/"
                              r"conformance-pack-[a-z0-9]{9}$")
        status = self.pack_status("pack")
        self.assertEqual(status["ConformancePackState"], "CREATE_IN_PROGRESS")
        self.assertEqual(status["ConformancePackArn"], arn)
        self.assertEqual(status["ConformancePackId"], arn.rsplit("/", 1)[1])
        self.assertRegex(status["StackArn"], r"^arn:aws:cloudformation:us-east-1:111111111111:stack/"
                                             r"awsconfigconforms-pack-[a-z0-9]{9}/[0-9a-f-]{36}$")
        self.assertIn("LastUpdateRequestedTime", status)
        self.assertNotIn("LastUpdateCompletedTime", status)
        detail = self.config().describe_conformance_packs()["ConformancePackDetails"]
        self.assertEqual(len(detail), 1)
        self.assertEqual(detail[0]["ConformancePackName"], "pack")
        self.assertEqual(detail[0]["ConformancePackArn"], arn)
        self.assertEqual(detail[0]["DeliveryS3Bucket"], "bucket")
        self.assertEqual(detail[0]["DeliveryS3KeyPrefix"], "prefix")
        self.assertEqual(detail[0]["ConformancePackInputParameters"], [])
        self.assertNotIn("CreatedBy", detail[0])

        self.advance(1)
        status = self.pack_status("pack")
        self.assertEqual(status["ConformancePackState"], "CREATE_COMPLETE")
        self.assertGreaterEqual(status["LastUpdateCompletedTime"], status["LastUpdateRequestedTime"])

    def test_put_again_updates_through_create_in_progress_and_keeps_the_arn(self):
        config = self.config()
        arn = config.put_conformance_pack(ConformancePackName="pack",
                                          TemplateBody=TEMPLATE)["ConformancePackArn"]
        self.advance(1)
        again = config.put_conformance_pack(
            ConformancePackName="pack", TemplateBody=TWO_RULES,
            ConformancePackInputParameters=[{"ParameterName": "MaxAccessKeyAge",
                                             "ParameterValue": "30"}])["ConformancePackArn"]
        self.assertEqual(again, arn)
        self.assertEqual(self.pack_status("pack")["ConformancePackState"], "CREATE_IN_PROGRESS")
        self.assertEqual(config.describe_conformance_packs(ConformancePackNames=["pack"])
                         ["ConformancePackDetails"][0]["ConformancePackInputParameters"],
                         [{"ParameterName": "MaxAccessKeyAge", "ParameterValue": "30"}])
        self.advance(1)
        self.assertEqual(self.pack_status("pack")["ConformancePackState"], "CREATE_COMPLETE")
        rules = config.describe_conformance_pack_compliance(ConformancePackName="pack")
        self.assertEqual(len(rules["ConformancePackRuleComplianceList"]), 2)

    def test_put_while_in_progress_is_resource_in_use(self):
        self.config().put_conformance_pack(ConformancePackName="pack", TemplateBody=TEMPLATE)
        self.assertClientError(
            lambda: self.config().put_conformance_pack(ConformancePackName="pack", TemplateBody=TEMPLATE),
            "ResourceInUseException", 400,
            "The conformance pack pack is currently being created. Please retry after some time.")

    def test_delete_goes_through_delete_in_progress(self):
        config = self.config()
        config.put_conformance_pack(ConformancePackName="pack", TemplateBody=TEMPLATE)
        self.advance(1)
        self.assertEqual(config.delete_conformance_pack(ConformancePackName="pack")["ResponseMetadata"]
                         ["HTTPStatusCode"], 200)
        self.assertEqual(self.pack_status("pack")["ConformancePackState"], "DELETE_IN_PROGRESS")
        self.assertClientError(lambda: config.delete_conformance_pack(ConformancePackName="pack"),
                               "ResourceInUseException", 400,
                               "The conformance pack pack is currently being deleted. Please retry "
                               "after some time.")
        self.advance(1)
        self.assertIsNone(self.pack_status("pack"))
        self.assertEqual(config.describe_conformance_packs()["ConformancePackDetails"], [])

    def test_delete_while_creating_is_resource_in_use(self):
        self.config().put_conformance_pack(ConformancePackName="pack", TemplateBody=TEMPLATE)
        self.assertClientError(lambda: self.config().delete_conformance_pack(ConformancePackName="pack"),
                               "ResourceInUseException", 400)

    def test_delete_of_an_unknown_pack_is_no_such_conformance_pack(self):
        self.assertClientError(
            lambda: self.config().delete_conformance_pack(ConformancePackName="missing"),
            "NoSuchConformancePackException", 400,
            "Could not find a ConformancePack for given request with resourceName missing")

    def test_describe_unknown_names(self):
        self.config().put_conformance_pack(ConformancePackName="pack", TemplateBody=TEMPLATE)
        self.assertClientError(
            lambda: self.config().describe_conformance_packs(ConformancePackNames=["pack", "missing"]),
            "NoSuchConformancePackException", 400, NO_SUCH_PACKS)
        # NoSuchConformancePackException is not among DescribeConformancePackStatus's errors.
        statuses = self.config().describe_conformance_pack_status(
            ConformancePackNames=["pack", "missing"])["ConformancePackStatusDetails"]
        self.assertEqual([s["ConformancePackName"] for s in statuses], ["pack"])

    def test_packs_belong_to_their_account_and_region(self):
        self.config().put_conformance_pack(ConformancePackName="pack", TemplateBody=TEMPLATE)
        self.assertEqual(self.config("222222222222").describe_conformance_packs()["ConformancePackDetails"], [])
        self.assertEqual(self.config(region="eu-west-1").describe_conformance_packs()
                         ["ConformancePackDetails"], [])
        self.assertClientError(
            lambda: self.config("222222222222").delete_conformance_pack(ConformancePackName="pack"),
            "NoSuchConformancePackException", 400)

    def test_pagination_of_describe_operations(self):
        config = self.config()
        for index in range(5):
            config.put_conformance_pack(ConformancePackName=f"pack{index}", TemplateBody=TEMPLATE)
        self.assertEqual(len(config.describe_conformance_packs(Limit=0)["ConformancePackDetails"]), 5)
        names, token, pages = [], None, 0
        while True:
            request = {"Limit": 2, **({"NextToken": token} if token else {})}
            page = config.describe_conformance_pack_status(**request)
            pages += 1
            names += [s["ConformancePackName"] for s in page["ConformancePackStatusDetails"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual((names, pages), ([f"pack{index}" for index in range(5)], 3))
        paginated = [d["ConformancePackName"] for page in config.get_paginator(
            "describe_conformance_packs").paginate(PaginationConfig={"PageSize": 2})
            for d in page["ConformancePackDetails"]]
        self.assertEqual(paginated, names)
        first = config.describe_conformance_packs(Limit=2)
        self.assertClientError(lambda: config.describe_conformance_packs(NextToken="forged"),
                               "InvalidNextTokenException", 400)
        self.assertClientError(
            lambda: config.describe_conformance_packs(ConformancePackNames=["pack1"],
                                                      NextToken=first["NextToken"]),
            "InvalidNextTokenException", 400)
        self.assertClientError(lambda: self.config("222222222222").describe_conformance_packs(
            NextToken=first["NextToken"]), "InvalidNextTokenException", 400)

    def test_limit_outside_the_model_range_is_invalid_limit(self):
        self.assertClientError(lambda: self.config().describe_conformance_packs(Limit=21),
                               "InvalidLimitException", 400,
                               "The specified limit is outside the allowable range.")

    def test_fifty_packs_per_account_and_region(self):
        config = self.config()
        for index in range(50):
            config.put_conformance_pack(ConformancePackName=f"pack{index}", TemplateBody=TEMPLATE)
        self.assertClientError(
            lambda: config.put_conformance_pack(ConformancePackName="one-too-many", TemplateBody=TEMPLATE),
            "MaxNumberOfConformancePacksExceededException", 400)
        self.config(region="eu-west-1").put_conformance_pack(ConformancePackName="elsewhere",
                                                             TemplateBody=TEMPLATE)

    def test_tags_given_to_put_are_the_packs_tags(self):
        config = self.config()
        arn = config.put_conformance_pack(ConformancePackName="pack", TemplateBody=TEMPLATE,
                                          Tags=[{"Key": "team", "Value": "security"}])["ConformancePackArn"]
        self.assertEqual(config.list_tags_for_resource(ResourceArn=arn)["Tags"],
                         [{"Key": "team", "Value": "security"}])


class ConformancePackTemplateTest(PacksTestCase):
    """What PutConformancePack accepts as a template, and its template errors."""

    def assertTemplateError(self, what, **kwargs):
        self.assertClientError(
            lambda: self.config().put_conformance_pack(ConformancePackName="pack", **kwargs),
            "ConformancePackTemplateValidationException", 400, template_error(what))

    def test_json_template_with_input_parameters(self):
        body = ('{"Parameters": {"Age": {"Type": "String"}}, "Resources": {"Keys": {'
                '"Type": "AWS::Config::ConfigRule", "Properties": {"ConfigRuleName": "keys",'
                '"InputParameters": {"maxAccessKeyAge": {"Ref": "Age"}},'
                '"Source": {"Owner": "AWS", "SourceIdentifier": "ACCESS_KEYS_ROTATED"}}}}}')
        self.config().put_conformance_pack(
            ConformancePackName="pack", TemplateBody=body,
            ConformancePackInputParameters=[{"ParameterName": "Age", "ParameterValue": "45"}])
        self.advance(1)
        self.assertEqual(self.pack_status("pack")["ConformancePackState"], "CREATE_COMPLETE")

    def test_malformed_yaml(self):
        self.assertTemplateError("Template format error: YAML not well-formed. (line 2, column 7)",
                                 TemplateBody="Resources:\n  A: b: c\n")

    def test_template_without_resources(self):
        self.assertTemplateError("Template format error: At least one Resources member must be defined.",
                                 TemplateBody="Description: empty\n")

    def test_other_resource_types(self):
        self.assertTemplateError(
            "Resource Bucket has the type AWS::S3::Bucket; a conformance pack template contains only "
            "AWS::Config::ConfigRule and AWS::Config::RemediationConfiguration resources",
            TemplateBody="Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n")

    def test_more_than_130_rules(self):
        body = "Resources:\n" + "".join(
            f"  Rule{index}:\n    Type: AWS::Config::ConfigRule\n    Properties:\n"
            f"      Source: {{Owner: AWS, SourceIdentifier: X{index}}}\n" for index in range(131))
        self.assertTemplateError("Number of resources provided in the template exceeds the allowed limit",
                                 TemplateBody=body)

    def test_input_parameter_the_template_does_not_declare(self):
        self.assertTemplateError(
            "Parameters: [Unknown] do not exist in the template", TemplateBody=TEMPLATE,
            ConformancePackInputParameters=[{"ParameterName": "Unknown", "ParameterValue": "x"}])

    def test_parameter_without_default_or_value(self):
        self.assertTemplateError("Parameters: [Needed] must have values",
                                 TemplateBody="Parameters:\n  Needed: {Type: String}\n" + TEMPLATE)

    def test_reference_to_nothing(self):
        self.assertTemplateError(
            "Template format error: Unresolved resource dependencies [Nowhere] in the Resources block "
            "of the template",
            TemplateBody=TEMPLATE.replace("ConfigRuleName: IAMPasswordPolicy", "ConfigRuleName: !Ref Nowhere"))

    def test_rule_without_source(self):
        self.assertTemplateError(
            "Properties validation failed for resource Rule with message: #: required key [Source] not found",
            TemplateBody="Resources:\n  Rule:\n    Type: AWS::Config::ConfigRule\n    Properties: {}\n")

    def test_template_in_s3_cannot_be_read(self):
        self.assertTemplateError(
            "Unable to read the template at s3://bucket/pack.yaml: cairn has no Amazon S3; pass the "
            "template as TemplateBody", TemplateS3Uri="s3://bucket/pack.yaml", TemplateBody=TEMPLATE)

    def test_template_from_an_ssm_document_cannot_be_read(self):
        self.assertTemplateError(
            "Unable to read the template from the SSM document MyTemplate: cairn reads conformance pack "
            "templates only from TemplateBody",
            TemplateSSMDocumentDetails={"DocumentName": "MyTemplate"})

    def test_no_template_at_all(self):
        self.assertClientError(
            lambda: self.config().put_conformance_pack(ConformancePackName="pack"),
            "ValidationException", 400, "Template body is invalid")


class ConformancePackComplianceTest(PacksTestCase):
    """Rules of deployed packs report INSUFFICIENT_DATA; summaries and scores agree."""

    def setUp(self):
        super().setUp()
        self.config().put_conformance_pack(ConformancePackName="pack", TemplateBody=TWO_RULES)
        self.advance(1)
        self.pack_id = self.pack_status("pack")["ConformancePackId"]
        self.rules = sorted([f"access-keys-rotated-{self.pack_id}",
                             f"root-account-mfa-enabled-{self.pack_id}"])

    def test_rules_of_the_pack_have_insufficient_data(self):
        response = self.config().describe_conformance_pack_compliance(ConformancePackName="pack")
        self.assertEqual(response["ConformancePackName"], "pack")
        self.assertEqual(response["ConformancePackRuleComplianceList"],
                         [{"ConfigRuleName": rule, "ComplianceType": "INSUFFICIENT_DATA", "Controls": []}
                          for rule in self.rules])
        self.assertNotIn("NextToken", response)

    def test_compliance_filters_and_pages(self):
        config = self.config()
        self.assertEqual(config.describe_conformance_pack_compliance(
            ConformancePackName="pack", Filters={"ComplianceType": "NON_COMPLIANT"})
            ["ConformancePackRuleComplianceList"], [])
        only = config.describe_conformance_pack_compliance(
            ConformancePackName="pack", Filters={"ConfigRuleNames": [self.rules[1]],
                                                 "ComplianceType": "INSUFFICIENT_DATA"})
        self.assertEqual([r["ConfigRuleName"] for r in only["ConformancePackRuleComplianceList"]],
                         [self.rules[1]])
        first = config.describe_conformance_pack_compliance(ConformancePackName="pack", Limit=1)
        self.assertEqual(len(first["ConformancePackRuleComplianceList"]), 1)
        second = config.describe_conformance_pack_compliance(ConformancePackName="pack", Limit=1,
                                                             NextToken=first["NextToken"])
        self.assertEqual([r["ConfigRuleName"] for r in first["ConformancePackRuleComplianceList"] +
                          second["ConformancePackRuleComplianceList"]], self.rules)
        self.assertNotIn("NextToken", second)
        self.assertClientError(lambda: config.describe_conformance_pack_compliance(
            ConformancePackName="pack", Filters={"ConfigRuleNames": ["access-keys-rotated"]}),
            "NoSuchConfigRuleInConformancePackException", 400)
        self.assertClientError(lambda: config.describe_conformance_pack_compliance(
            ConformancePackName="missing"), "NoSuchConformancePackException", 400,
            "Could not find a ConformancePack for given request with resourceName missing")

    def test_compliance_details_are_empty_without_evaluations(self):
        config = self.config()
        response = config.get_conformance_pack_compliance_details(
            ConformancePackName="pack", Filters={"ConfigRuleNames": [self.rules[0]]})
        self.assertEqual(response["ConformancePackName"], "pack")
        self.assertEqual(response["ConformancePackRuleEvaluationResults"], [])
        self.assertClientError(lambda: config.get_conformance_pack_compliance_details(
            ConformancePackName="pack", Filters={"ResourceIds": ["i-0123"]}),
            "InvalidParameterValueException", 400)
        self.assertClientError(lambda: config.get_conformance_pack_compliance_details(
            ConformancePackName="pack", Filters={"ConfigRuleNames": ["nope"]}),
            "NoSuchConfigRuleInConformancePackException", 400)
        self.assertClientError(lambda: config.get_conformance_pack_compliance_details(
            ConformancePackName="missing"), "NoSuchConformancePackException", 400)

    def test_summary_is_insufficient_data(self):
        config = self.config()
        config.put_conformance_pack(ConformancePackName="other", TemplateBody=TEMPLATE)
        summary = config.get_conformance_pack_compliance_summary(ConformancePackNames=["pack", "other"])
        self.assertEqual(summary["ConformancePackComplianceSummaryList"], [
            {"ConformancePackName": "other", "ConformancePackComplianceStatus": "INSUFFICIENT_DATA"},
            {"ConformancePackName": "pack", "ConformancePackComplianceStatus": "INSUFFICIENT_DATA"}])
        self.assertClientError(lambda: config.get_conformance_pack_compliance_summary(
            ConformancePackNames=["pack", "missing"]), "NoSuchConformancePackException", 400, NO_SUCH_PACKS)

    def test_scores_are_insufficient_data_sorted_by_name(self):
        config = self.config()
        for name in ("alpha", "zulu"):
            config.put_conformance_pack(ConformancePackName=name, TemplateBody=TEMPLATE)
        config.put_conformance_pack(ConformancePackName="creating", TemplateBody=TEMPLATE)
        self.advance(1)
        config.put_conformance_pack(ConformancePackName="never", TemplateBody=TEMPLATE)
        scores = config.list_conformance_pack_compliance_scores()["ConformancePackComplianceScores"]
        self.assertEqual([s["ConformancePackName"] for s in scores], ["alpha", "creating", "pack", "zulu"])
        self.assertTrue(all(s["Score"] == "INSUFFICIENT_DATA" for s in scores))
        self.assertTrue(all("LastUpdatedTime" in s for s in scores))
        descending = config.list_conformance_pack_compliance_scores(
            SortOrder="DESCENDING", SortBy="SCORE")["ConformancePackComplianceScores"]
        self.assertEqual([s["ConformancePackName"] for s in descending], ["zulu", "pack", "creating", "alpha"])
        filtered = config.list_conformance_pack_compliance_scores(
            Filters={"ConformancePackNames": ["zulu", "alpha", "missing"]})["ConformancePackComplianceScores"]
        self.assertEqual([s["ConformancePackName"] for s in filtered], ["alpha", "zulu"])
        names, token = [], None
        while True:
            page = config.list_conformance_pack_compliance_scores(
                SortOrder="DESCENDING", Limit=3, **({"NextToken": token} if token else {}))
            names += [s["ConformancePackName"] for s in page["ConformancePackComplianceScores"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(names, ["zulu", "pack", "creating", "alpha"])
        self.assertClientError(lambda: config.list_conformance_pack_compliance_scores(NextToken="x"),
                               "InvalidNextTokenException", 400)

    def test_a_pack_being_created_has_no_rules_yet(self):
        self.config().put_conformance_pack(ConformancePackName="fresh", TemplateBody=TEMPLATE)
        self.assertEqual(self.config().describe_conformance_pack_compliance(
            ConformancePackName="fresh")["ConformancePackRuleComplianceList"], [])


class OrganizationPacksTestCase(PacksTestCase):
    """An organization with all features, two member accounts, and a pack helper."""

    def setUp(self):
        super().setUp()
        self.create_organization()
        self.members = self.create_accounts(2)
        self.accounts = sorted([MANAGEMENT] + self.members)

    def put(self, name="orgpack", account=MANAGEMENT, body=TEMPLATE, **kwargs):
        return self.config(account).put_organization_conformance_pack(
            OrganizationConformancePackName=name, TemplateBody=body,
            **kwargs)["OrganizationConformancePackArn"]

    def status(self, name="orgpack", account=MANAGEMENT):
        return self.config(account).describe_organization_conformance_pack_statuses(
            OrganizationConformancePackNames=[name])["OrganizationConformancePackStatuses"][0]

    def detailed(self, name="orgpack", account=MANAGEMENT, **kwargs):
        return {d["AccountId"]: d for d in self.config(account).get_organization_conformance_pack_detailed_status(
            OrganizationConformancePackName=name, **kwargs)["OrganizationConformancePackDetailedStatuses"]}

    def member_packs(self, account):
        return {p["ConformancePackName"]: p for p in
                self.config(account).describe_conformance_packs()["ConformancePackDetails"]}


class OrganizationPackDeploymentTest(OrganizationPacksTestCase):
    """PutOrganizationConformancePack deploys into every account through the scheduler."""

    def test_put_deploys_into_every_account_then_succeeds(self):
        arn = self.put(DeliveryS3Bucket="awsconfigconforms-bucket")
        self.assertRegex(arn, r"^arn:aws:config:us-east-1:111111111111:organization-conformance-pack/"
                              r"orgpack-[a-z0-9]{8}$")
        suffix = arn.rsplit("-", 1)[1]
        member_pack = f"OrgConformsPack-orgpack-{suffix}"
        status = self.status()
        self.assertEqual(set(status), {"OrganizationConformancePackName", "Status", "LastUpdateTime"})
        self.assertEqual(status["Status"], "CREATE_IN_PROGRESS")
        detailed = self.detailed()
        self.assertEqual(sorted(detailed), self.accounts)
        for account_id, deployment in detailed.items():
            self.assertEqual(deployment["ConformancePackName"], member_pack)
            self.assertEqual(deployment["Status"], "CREATE_IN_PROGRESS")
            pack = self.member_packs(account_id)[member_pack]
            self.assertEqual(pack["CreatedBy"], MULTI_ACCOUNT_SETUP)
            self.assertEqual(pack["DeliveryS3Bucket"], "awsconfigconforms-bucket")
            self.assertRegex(pack["ConformancePackArn"],
                             rf"^arn:aws:config:us-east-1:{account_id}:conformance-pack/{member_pack}/"
                             r"conformance-pack-[a-z0-9]{9}$")
            self.assertEqual(self.pack_status(member_pack, account_id)["ConformancePackState"],
                             "CREATE_IN_PROGRESS")
        principals = [p["ServicePrincipal"] for p in
                      self.org().list_aws_service_access_for_organization()["EnabledServicePrincipals"]]
        self.assertIn(MULTI_ACCOUNT_SETUP, principals)

        self.advance(2)
        self.assertEqual(self.status()["Status"], "CREATE_SUCCESSFUL")
        for account_id, deployment in self.detailed().items():
            self.assertEqual(deployment["Status"], "CREATE_SUCCESSFUL")
            self.assertNotIn("ErrorCode", deployment)
            self.assertEqual(self.pack_status(member_pack, account_id)["ConformancePackState"], "CREATE_COMPLETE")
            rules = self.config(account_id).describe_conformance_pack_compliance(
                ConformancePackName=member_pack)["ConformancePackRuleComplianceList"]
            self.assertEqual(len(rules), 1)
            self.assertTrue(rules[0]["ConfigRuleName"].startswith("IAMPasswordPolicy-conformance-pack-"))

    def test_describe_organization_conformance_packs(self):
        arn = self.put(ExcludedAccounts=[self.members[0]],
                       ConformancePackInputParameters=[])
        packs = self.config().describe_organization_conformance_packs()["OrganizationConformancePacks"]
        self.assertEqual(len(packs), 1)
        self.assertEqual(packs[0]["OrganizationConformancePackName"], "orgpack")
        self.assertEqual(packs[0]["OrganizationConformancePackArn"], arn)
        self.assertEqual(packs[0]["ExcludedAccounts"], [self.members[0]])
        self.assertEqual(packs[0]["ConformancePackInputParameters"], [])
        self.assertIn("LastUpdateTime", packs[0])
        self.assertClientError(
            lambda: self.config().describe_organization_conformance_packs(
                OrganizationConformancePackNames=["orgpack", "missing"]),
            "NoSuchOrganizationConformancePackException", 400, NO_SUCH_ORGANIZATION_PACKS)

    def test_excluded_accounts_get_no_pack(self):
        arn = self.put(ExcludedAccounts=[self.members[0]])
        member_pack = "OrgConformsPack-orgpack-" + arn.rsplit("-", 1)[1]
        self.assertEqual(sorted(self.detailed()), sorted([MANAGEMENT, self.members[1]]))
        self.assertEqual(self.member_packs(self.members[0]), {})
        self.advance(2)
        self.assertEqual(self.status()["Status"], "CREATE_SUCCESSFUL")
        self.assertIn(member_pack, self.member_packs(self.members[1]))

    def test_an_account_that_joins_later_gets_the_pack(self):
        self.put()
        self.advance(2)
        self.assertEqual(self.status()["Status"], "CREATE_SUCCESSFUL")
        newcomer = self.create_accounts(1)[0]  # joins 1 s later; its deployment takes 2 s
        self.assertEqual(self.detailed()[newcomer]["Status"], "CREATE_IN_PROGRESS")
        self.assertEqual(self.status()["Status"], "CREATE_IN_PROGRESS")
        self.advance(2)
        self.assertEqual(self.detailed()[newcomer]["Status"], "CREATE_SUCCESSFUL")
        self.assertEqual(self.status()["Status"], "CREATE_SUCCESSFUL")
        self.assertEqual(len(self.member_packs(newcomer)), 1)

    def test_an_account_that_leaves_loses_the_pack(self):
        self.put()
        self.advance(2)
        leaving = self.members[0]
        self.org().remove_account_from_organization(AccountId=leaving)
        self.assertNotIn(leaving, self.detailed())
        self.assertEqual(self.member_packs(leaving), {})
        self.assertEqual(self.status()["Status"], "CREATE_SUCCESSFUL")

    def test_a_failing_member_fails_the_deployment(self):
        self.fail_deployments(self.members[1])
        self.put()
        self.advance(2)
        status = self.status()
        self.assertEqual(status["Status"], "CREATE_FAILED")
        self.assertEqual(status["ErrorCode"], DEFAULT_FAILURE[0])
        self.assertIn(self.members[1], status["ErrorMessage"])
        detailed = self.detailed()
        self.assertEqual((detailed[self.members[1]]["Status"], detailed[self.members[1]]["ErrorCode"],
                          detailed[self.members[1]]["ErrorMessage"]), ("CREATE_FAILED", *DEFAULT_FAILURE))
        self.assertEqual(detailed[self.members[0]]["Status"], "CREATE_SUCCESSFUL")
        failed = self.detailed(Filters={"Status": "CREATE_FAILED"})
        self.assertEqual(list(failed), [self.members[1]])
        member_pack = detailed[self.members[1]]["ConformancePackName"]
        pack_status = self.pack_status(member_pack, self.members[1])
        self.assertEqual(pack_status["ConformancePackState"], "CREATE_FAILED")
        self.assertEqual(pack_status["ConformancePackStatusReason"], DEFAULT_FAILURE[1])

        # Once the account is fixed, putting the pack again deploys it there: an update elsewhere.
        self.fail_deployments(self.members[1], failing=False)
        self.put()
        detailed = self.detailed()
        self.assertEqual(detailed[self.members[1]]["Status"], "CREATE_IN_PROGRESS")
        self.assertEqual(detailed[self.members[0]]["Status"], "UPDATE_IN_PROGRESS")
        self.assertEqual(self.status()["Status"], "UPDATE_IN_PROGRESS")
        self.advance(2)
        self.assertEqual(self.status()["Status"], "UPDATE_SUCCESSFUL")
        self.assertNotIn("ErrorCode", self.status())
        self.assertEqual(self.pack_status(member_pack, self.members[1])["ConformancePackState"],
                         "CREATE_COMPLETE")

    def test_a_failure_with_its_own_error(self):
        answer = self.fail_deployments(self.members[0], ErrorCode="AccessDeniedException",
                                       ErrorMessage="Config is not enabled in this account.")
        self.assertEqual(answer, {"AccountId": self.members[0], "Failing": True,
                                  "ErrorCode": "AccessDeniedException",
                                  "ErrorMessage": "Config is not enabled in this account."})
        self.put()
        self.advance(2)
        deployment = self.detailed(Filters={"AccountId": self.members[0]})[self.members[0]]
        self.assertEqual((deployment["ErrorCode"], deployment["ErrorMessage"]),
                         ("AccessDeniedException", "Config is not enabled in this account."))

    def test_deployment_failures_endpoint_checks_its_body(self):
        for body in ({"AccountId": "12", "Failing": True}, {"AccountId": self.members[0]},
                     {"AccountId": self.members[0], "Failing": True, "Other": 1}):
            status, answer = self.cairn.admin("POST", "/_cairn/config/deployment-failures", body)
            self.assertEqual(status, 400, answer)

    def test_update_goes_through_update_in_progress(self):
        arn = self.put()
        self.advance(2)
        first_update = self.config().describe_organization_conformance_packs()[
            "OrganizationConformancePacks"][0]["LastUpdateTime"]
        self.advance(5)
        self.assertEqual(self.put(body=TWO_RULES), arn)
        self.assertEqual(self.status()["Status"], "UPDATE_IN_PROGRESS")
        self.assertTrue(all(d["Status"] == "UPDATE_IN_PROGRESS" for d in self.detailed().values()))
        self.assertGreater(self.config().describe_organization_conformance_packs()[
            "OrganizationConformancePacks"][0]["LastUpdateTime"], first_update)
        self.advance(2)
        self.assertEqual(self.status()["Status"], "UPDATE_SUCCESSFUL")
        member_pack = self.detailed()[self.members[0]]["ConformancePackName"]
        rules = self.config(self.members[0]).describe_conformance_pack_compliance(
            ConformancePackName=member_pack)["ConformancePackRuleComplianceList"]
        self.assertEqual(len(rules), 2)

    def test_an_update_that_excludes_an_account_removes_its_pack(self):
        self.put()
        self.advance(2)
        self.put(ExcludedAccounts=[self.members[1]])
        self.assertEqual(self.detailed()[self.members[1]]["Status"], "DELETE_IN_PROGRESS")
        member_pack = self.detailed()[self.members[1]]["ConformancePackName"]
        self.assertEqual(self.pack_status(member_pack, self.members[1])["ConformancePackState"],
                         "DELETE_IN_PROGRESS")
        self.advance(2)
        self.assertNotIn(self.members[1], self.detailed())
        self.assertEqual(self.member_packs(self.members[1]), {})
        self.assertEqual(self.status()["Status"], "UPDATE_SUCCESSFUL")

    def test_put_or_delete_while_in_progress_is_resource_in_use(self):
        self.put()
        self.assertClientError(lambda: self.put(), "ResourceInUseException", 400,
                               "The organization conformance pack orgpack is currently being created. "
                               "Please retry after some time.")
        self.assertClientError(
            lambda: self.config().delete_organization_conformance_pack(OrganizationConformancePackName="orgpack"),
            "ResourceInUseException", 400)

    def test_delete_removes_the_pack_from_every_account(self):
        self.put()
        self.advance(2)
        member_pack = self.detailed()[self.members[0]]["ConformancePackName"]
        self.config().delete_organization_conformance_pack(OrganizationConformancePackName="orgpack")
        self.assertEqual(self.status()["Status"], "DELETE_IN_PROGRESS")
        self.assertTrue(all(d["Status"] == "DELETE_IN_PROGRESS" for d in self.detailed().values()))
        self.assertEqual(self.pack_status(member_pack, self.members[0])["ConformancePackState"],
                         "DELETE_IN_PROGRESS")
        self.advance(2)
        self.assertClientError(lambda: self.status(), "NoSuchOrganizationConformancePackException", 400,
                               NO_SUCH_ORGANIZATION_PACKS)
        for account_id in self.accounts:
            self.assertEqual(self.member_packs(account_id), {})
        self.assertEqual(self.config().describe_organization_conformance_pack_statuses()
                         ["OrganizationConformancePackStatuses"], [])

    def test_delete_with_a_failing_member_is_delete_failed(self):
        self.put()
        self.advance(2)
        self.fail_deployments(self.members[0])
        self.config().delete_organization_conformance_pack(OrganizationConformancePackName="orgpack")
        self.advance(2)
        self.assertEqual(self.status()["Status"], "DELETE_FAILED")
        detailed = self.detailed()
        self.assertEqual(detailed[self.members[0]]["Status"], "DELETE_FAILED")
        self.assertEqual(detailed[self.members[1]]["Status"], "DELETE_SUCCESSFUL")
        self.fail_deployments(self.members[0], failing=False)
        self.config().delete_organization_conformance_pack(OrganizationConformancePackName="orgpack")
        self.advance(2)
        self.assertEqual(self.config().describe_organization_conformance_packs()
                         ["OrganizationConformancePacks"], [])

    def test_delete_of_an_unknown_pack(self):
        self.assertClientError(
            lambda: self.config().delete_organization_conformance_pack(OrganizationConformancePackName="missing"),
            "NoSuchOrganizationConformancePackException", 400,
            "Could not find an OrganizationConformancePack for given request with resourceName missing")

    def test_members_cannot_change_the_pack_the_organization_deployed(self):
        self.put()
        self.advance(2)
        member_pack = self.detailed()[self.members[0]]["ConformancePackName"]
        member = self.config(self.members[0])
        self.assertClientError(lambda: member.delete_conformance_pack(ConformancePackName=member_pack),
                               "ResourceInUseException", 400)
        self.assertClientError(
            lambda: member.put_conformance_pack(ConformancePackName=member_pack, TemplateBody=TEMPLATE),
            "InvalidParameterValueException", 400)

    def test_organization_template_errors(self):
        self.assertClientError(
            lambda: self.put(body="Resources:\n  A: b: c\n"),
            "OrganizationConformancePackTemplateValidationException", 400,
            template_error("Template format error: YAML not well-formed. (line 2, column 7)"))
        self.assertClientError(
            lambda: self.config().put_organization_conformance_pack(
                OrganizationConformancePackName="orgpack", TemplateS3Uri="s3://bucket/key.yaml"),
            "OrganizationConformancePackTemplateValidationException", 400)
        self.assertClientError(
            lambda: self.config().put_organization_conformance_pack(OrganizationConformancePackName="orgpack"),
            "ValidationException", 400, "Template body is invalid")

    def test_fifty_organization_packs_per_region(self):
        for index in range(50):
            self.put(f"pack{index}")
        self.assertClientError(lambda: self.put("one-too-many"),
                               "MaxNumberOfOrganizationConformancePacksExceededException", 400)


class OrganizationPackStatusesTest(OrganizationPacksTestCase):
    """The seed: DescribeOrganizationConformancePackStatuses."""

    def test_limit_zero_is_the_default_of_100(self):
        for index in range(3):
            self.put(f"pack{index}")
        response = self.config().describe_organization_conformance_pack_statuses(Limit=0)
        self.assertEqual([s["OrganizationConformancePackName"] for s in
                          response["OrganizationConformancePackStatuses"]], ["pack0", "pack1", "pack2"])
        self.assertNotIn("NextToken", response)

    def test_limit_and_next_token_page_through_every_pack(self):
        for index in range(5):
            self.put(f"pack{index}")
        names, token, pages = [], None, 0
        while True:
            request = {"Limit": 2, **({"NextToken": token} if token else {})}
            page = self.config().describe_organization_conformance_pack_statuses(**request)
            pages += 1
            names += [s["OrganizationConformancePackName"] for s in page["OrganizationConformancePackStatuses"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual((names, pages), ([f"pack{index}" for index in range(5)], 3))
        paginated = [s["OrganizationConformancePackName"] for page in self.config().get_paginator(
            "describe_organization_conformance_pack_statuses").paginate(PaginationConfig={"PageSize": 4})
            for s in page["OrganizationConformancePackStatuses"]]
        self.assertEqual(paginated, names)

    def test_limit_and_next_token_do_not_apply_to_named_packs(self):
        for index in range(3):
            self.put(f"pack{index}")
        response = self.config().describe_organization_conformance_pack_statuses(
            OrganizationConformancePackNames=["pack2", "pack0"], Limit=1, NextToken="anything")
        self.assertEqual([s["OrganizationConformancePackName"] for s in
                          response["OrganizationConformancePackStatuses"]], ["pack0", "pack2"])
        self.assertNotIn("NextToken", response)

    def test_unknown_name_is_no_such_organization_conformance_pack(self):
        self.put("pack0")
        self.assertClientError(
            lambda: self.config().describe_organization_conformance_pack_statuses(
                OrganizationConformancePackNames=["pack0", "missing"]),
            "NoSuchOrganizationConformancePackException", 400, NO_SUCH_ORGANIZATION_PACKS)

    def test_invalid_next_token(self):
        for index in range(3):
            self.put(f"pack{index}")
        self.assertClientError(
            lambda: self.config().describe_organization_conformance_pack_statuses(NextToken="forged"),
            "InvalidNextTokenException", 400)
        token = self.config().describe_organization_conformance_pack_statuses(Limit=1)["NextToken"]
        self.assertClientError(
            lambda: self.config().describe_organization_conformance_packs(NextToken=token),
            "InvalidNextTokenException", 400)

    def test_limit_outside_0_to_100_is_invalid_limit(self):
        """The seed: "InvalidLimitException: The specified limit is outside the allowable
        range." for a Limit outside 0..100."""
        self.assertClientError(
            lambda: self.config().describe_organization_conformance_pack_statuses(Limit=101),
            "InvalidLimitException", 400, "The specified limit is outside the allowable range.")

    def test_output_fields_of_a_failed_pack(self):
        self.fail_deployments(self.members[0])
        self.put()
        self.advance(2)
        status = self.config().describe_organization_conformance_pack_statuses()[
            "OrganizationConformancePackStatuses"][0]
        self.assertEqual(set(status), {"OrganizationConformancePackName", "Status", "ErrorCode",
                                       "ErrorMessage", "LastUpdateTime"})

    def test_last_update_time_follows_the_status(self):
        self.put()
        started = self.status()["LastUpdateTime"]
        self.advance(2)
        self.assertGreater(self.status()["LastUpdateTime"], started)

    def test_member_accounts_are_denied(self):
        self.put()
        self.assertClientError(
            lambda: self.config(self.members[0]).describe_organization_conformance_pack_statuses(),
            "OrganizationAccessDeniedException", 400, MEMBER_DENIED)

    def test_accounts_outside_an_organization_are_denied(self):
        self.assertClientError(
            lambda: self.config(OUTSIDER).describe_organization_conformance_pack_statuses(),
            "OrganizationAccessDeniedException", 400, NOT_IN_ORGANIZATION)

    def test_statuses_are_per_region(self):
        self.put()
        self.assertEqual(self.config(region="eu-west-1").describe_organization_conformance_pack_statuses()
                         ["OrganizationConformancePackStatuses"], [])


class OrganizationPackDetailedStatusTest(OrganizationPacksTestCase):
    """GetOrganizationConformancePackDetailedStatus: filters and pages."""

    def test_filters_and_pages(self):
        self.fail_deployments(self.members[1])
        self.put()
        by_account = self.detailed(Filters={"AccountId": self.members[0]})
        self.assertEqual(list(by_account), [self.members[0]])
        self.assertEqual(set(by_account[self.members[0]]),
                         {"AccountId", "ConformancePackName", "Status", "LastUpdateTime"})
        self.advance(2)
        self.assertEqual(sorted(self.detailed(Filters={"Status": "CREATE_SUCCESSFUL"})),
                         sorted([MANAGEMENT, self.members[0]]))
        self.assertEqual(self.detailed(Filters={"Status": "DELETE_FAILED"}), {})
        accounts, token = [], None
        while True:
            page = self.config().get_organization_conformance_pack_detailed_status(
                OrganizationConformancePackName="orgpack", Limit=1, **({"NextToken": token} if token else {}))
            accounts += [d["AccountId"] for d in page["OrganizationConformancePackDetailedStatuses"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(accounts, self.accounts)
        self.assertClientError(lambda: self.config().get_organization_conformance_pack_detailed_status(
            OrganizationConformancePackName="orgpack", NextToken="forged"), "InvalidNextTokenException", 400)

    def test_unknown_pack(self):
        self.assertClientError(lambda: self.config().get_organization_conformance_pack_detailed_status(
            OrganizationConformancePackName="missing"), "NoSuchOrganizationConformancePackException", 400,
            "Could not find an OrganizationConformancePack for given request with resourceName missing")


class OrganizationPackAccessTest(PacksTestCase):
    """Who may call the organization conformance pack operations."""

    def put(self, account, name="orgpack"):
        return self.config(account).put_organization_conformance_pack(
            OrganizationConformancePackName=name, TemplateBody=TEMPLATE)

    def test_delegated_administrator_for_config_multiaccountsetup(self):
        self.create_organization()
        admin, member = self.create_accounts(2)
        self.org().enable_aws_service_access(ServicePrincipal=MULTI_ACCOUNT_SETUP)
        self.org().register_delegated_administrator(AccountId=admin, ServicePrincipal=MULTI_ACCOUNT_SETUP)
        arn = self.put(admin)["OrganizationConformancePackArn"]
        self.assertTrue(arn.startswith(f"arn:aws:config:us-east-1:{admin}:organization-conformance-pack/orgpack-"))
        self.put(MANAGEMENT, "frommanagement")
        # The organization's packs are shared by the management account and the administrator.
        for account in (admin, MANAGEMENT):
            names = [s["OrganizationConformancePackName"] for s in self.config(account)
                     .describe_organization_conformance_pack_statuses()["OrganizationConformancePackStatuses"]]
            self.assertEqual(names, ["frommanagement", "orgpack"])
        self.advance(2)
        self.assertIn(member, [d["AccountId"] for d in self.config(admin)
                               .get_organization_conformance_pack_detailed_status(
                                   OrganizationConformancePackName="orgpack")
                               ["OrganizationConformancePackDetailedStatuses"]])
        self.config(admin).delete_organization_conformance_pack(OrganizationConformancePackName="frommanagement")

    def test_delegated_administrator_of_another_service_is_denied(self):
        self.create_organization()
        admin = self.create_accounts(1)[0]
        self.org().enable_aws_service_access(ServicePrincipal="config.amazonaws.com")
        self.org().register_delegated_administrator(AccountId=admin, ServicePrincipal="config.amazonaws.com")
        self.assertClientError(lambda: self.put(admin), "OrganizationAccessDeniedException", 400, MEMBER_DENIED)
        self.assertClientError(
            lambda: self.config(admin).describe_organization_conformance_packs(),
            "OrganizationAccessDeniedException", 400, MEMBER_DENIED)

    def test_member_account_is_denied_every_operation(self):
        self.create_organization()
        member = self.create_accounts(1)[0]
        self.put(MANAGEMENT)
        config = self.config(member)
        for call in (lambda: self.put(member),
                     lambda: config.describe_organization_conformance_packs(),
                     lambda: config.describe_organization_conformance_pack_statuses(),
                     lambda: config.get_organization_conformance_pack_detailed_status(
                         OrganizationConformancePackName="orgpack"),
                     lambda: config.delete_organization_conformance_pack(OrganizationConformancePackName="orgpack")):
            self.assertClientError(call, "OrganizationAccessDeniedException", 400, MEMBER_DENIED)

    def test_account_outside_any_organization(self):
        self.assertClientError(lambda: self.put(OUTSIDER), "NoAvailableOrganizationException", 400,
                               "Organization is no longer available.")
        self.assertClientError(lambda: self.config(OUTSIDER).describe_organization_conformance_packs(),
                               "OrganizationAccessDeniedException", 400, NOT_IN_ORGANIZATION)
        self.assertClientError(
            lambda: self.config(OUTSIDER).delete_organization_conformance_pack(OrganizationConformancePackName="x"),
            "OrganizationAccessDeniedException", 400, NOT_IN_ORGANIZATION)

    def test_consolidated_billing_organization(self):
        self.create_organization(feature_set="CONSOLIDATED_BILLING")
        self.assertClientError(lambda: self.put(MANAGEMENT), "OrganizationAllFeaturesNotEnabledException", 400,
                               "Config resource cannot be created because your organization does not have "
                               "all features enabled.")

    def test_deleting_the_organization_deletes_its_packs(self):
        self.create_organization()
        self.put(MANAGEMENT)
        self.advance(2)
        self.org().delete_organization()
        self.assertEqual(self.config().describe_conformance_packs()["ConformancePackDetails"], [])
        self.create_organization()
        self.assertEqual(self.config().describe_organization_conformance_packs()
                         ["OrganizationConformancePacks"], [])


class LargeOrganizationTest(unittest.TestCase):
    """An organization of 1,000 accounts (from a world file) gets its pack in one step."""

    @classmethod
    def setUpClass(cls):
        handle, cls.world = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(handle, "w") as world:
            world.write('organization:\n  management_account: {id: "111111111111", name: management, '
                        'email: management@example.com}\n  accounts:\n')
            for index in range(999):
                world.write(f'    - {{id: "{200000000000 + index}", name: member{index}, '
                            f'email: member{index}@example.com}}\n')
        cls.cairn = harness.Cairn("--world", cls.world)

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()
        os.unlink(cls.world)

    def test_thousand_accounts_deploy_in_one_step(self):
        config = self.cairn.client("config", account=MANAGEMENT)
        started = time.monotonic()
        config.put_organization_conformance_pack(OrganizationConformancePackName="wide",
                                                 TemplateBody=TWO_RULES)
        status, body = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": 2})
        self.assertEqual(status, 200, body)
        status = config.describe_organization_conformance_pack_statuses()["OrganizationConformancePackStatuses"][0]
        self.assertEqual(status["Status"], "CREATE_SUCCESSFUL")
        deployments = [d for page in config.get_paginator("get_organization_conformance_pack_detailed_status")
                       .paginate(OrganizationConformancePackName="wide")
                       for d in page["OrganizationConformancePackDetailedStatuses"]]
        self.assertEqual(len(deployments), 1000)
        self.assertTrue(all(d["Status"] == "CREATE_SUCCESSFUL" for d in deployments))
        self.assertLess(time.monotonic() - started, 20)
        member = self.cairn.client("config", account="200000000998")
        self.assertEqual(len(member.describe_conformance_packs()["ConformancePackDetails"]), 1)


class PersistenceTest(unittest.TestCase):
    """A deployment in progress when cairn stops finishes after a restart (--data-dir)."""

    def test_deployment_resumes_after_restart(self):
        data_dir = tempfile.mkdtemp(prefix="cairn-packs-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        cairn = harness.Cairn("--data-dir", data_dir)
        try:
            cairn.client("organizations").create_organization(FeatureSet="ALL")
            config = cairn.client("config")
            config.put_conformance_pack(ConformancePackName="own", TemplateBody=TEMPLATE)
            config.put_organization_conformance_pack(OrganizationConformancePackName="orgpack",
                                                     TemplateBody=TEMPLATE)
        finally:
            cairn.stop()
        cairn = harness.Cairn("--data-dir", data_dir, "--clock", "real")
        try:
            config = cairn.client("config")
            statuses = config.describe_organization_conformance_pack_statuses()["OrganizationConformancePackStatuses"]
            if statuses[0]["Status"] == "CREATE_IN_PROGRESS":
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and statuses[0]["Status"] == "CREATE_IN_PROGRESS":
                    time.sleep(0.2)
                    statuses = config.describe_organization_conformance_pack_statuses()[
                        "OrganizationConformancePackStatuses"]
            self.assertEqual(statuses[0]["Status"], "CREATE_SUCCESSFUL")
            own = config.describe_conformance_pack_status(ConformancePackNames=["own"])
            self.assertEqual(own["ConformancePackStatusDetails"][0]["ConformancePackState"], "CREATE_COMPLETE")
        finally:
            cairn.stop()


if __name__ == "__main__":
    unittest.main()
