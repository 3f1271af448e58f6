"""End-to-end: AWS Config organization config rules through boto3, acting as the management
account, delegated administrators (for the right and the wrong service principal), a member
and an account outside any organization.

Covers the five operations (PutOrganizationConfigRule, DescribeOrganizationConfigRules,
DescribeOrganizationConfigRuleStatuses, GetOrganizationConfigRuleDetailedStatus,
DeleteOrganizationConfigRule) with each kind of rule metadata, the deployment lifecycle into
every member account on the lifecycle clock (create, update, delete, excluded accounts,
accounts joining and leaving, failing accounts), access rules, pagination and the errors with
their code and message (services/config/rules.cc and rules_resources.cc say where each
message comes from).
"""
import datetime
import json
import re
import shutil
import tempfile
import unittest

import harness
from harness import AWS_CLI, MANAGEMENT, CairnTestCase, aws_cli

OUTSIDER = "999999999999"
MULTI_ACCOUNT_SETUP = "config-multiaccountsetup.amazonaws.com"
CONFIG = "config.amazonaws.com"

# How long one deployment step takes on cairn's clock (rules_resources.h).
STEP = 2

MANAGEMENT_ONLY = "This action can be only made by AWS Organization's master account."
NOT_IN_ORGANIZATION = "This action can only be made by accounts in an AWS Organization"
NO_SUCH_RULE = ("The Config rule in the request is not valid. Verify that the rule is an organization "
                "Config Process Check rule name and try again.")
ONE_METADATA = ("Specify either OrganizationCustomRuleMetadata or OrganizationManagedRuleMetadata in "
                "the input.")
NO_RECORDER = "You must create a configuration recorder before you can create or update a Config rule."

ARN = re.compile(r"^arn:aws:config:us-east-1:(\d{12}):organization-config-rule/(.+)-([a-z0-9]{8})$")

MANAGED = {"RuleIdentifier": "S3_BUCKET_VERSIONING_ENABLED", "Description": "versioning",
           "InputParameters": json.dumps({"isMfaDeleteEnabled": "false"}),
           "MaximumExecutionFrequency": "Six_Hours", "ResourceTypesScope": ["AWS::S3::Bucket"],
           "TagKeyScope": "team", "TagValueScope": "platform"}
CUSTOM = {"LambdaFunctionArn": "arn:aws:lambda:us-east-1:111111111111:function:check",
          "OrganizationConfigRuleTriggerTypes": ["ConfigurationItemChangeNotification",
                                                 "ScheduledNotification"],
          "MaximumExecutionFrequency": "TwentyFour_Hours", "ResourceIdScope": "bucket-1",
          "Description": "custom lambda"}
POLICY = {"PolicyRuntime": "guard-2.x.x", "PolicyText": "rule check { resourceType == \"x\" }",
          "OrganizationConfigRuleTriggerTypes": ["ConfigurationItemChangeNotification"],
          "ResourceTypesScope": ["AWS::DynamoDB::Table"], "Description": "guard",
          "DebugLogDeliveryAccounts": ["111111111111"]}


class ConfigRulesTestCase(CairnTestCase):
    """Builds organizations; every test starts from an empty cairn."""

    def setUp(self):
        super().setUp()
        self._clients = {}
        self._emails = 0

    def client(self, service, account=MANAGEMENT, region="us-east-1"):
        key = (service, account, region)
        if key not in self._clients:
            self._clients[key] = self.cairn.client(service, account=account, region=region)
        return self._clients[key]

    def org(self, account=MANAGEMENT):
        return self.client("organizations", account)

    def config(self, account=MANAGEMENT, region="us-east-1"):
        return self.client("config", account, region)

    def advance(self, seconds=STEP):
        status, body = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": seconds})
        self.assertEqual(status, 200, body)

    def create_organization(self, feature_set="ALL"):
        self.org().create_organization(FeatureSet=feature_set)

    def create_accounts(self, count):
        """Creates `count` member accounts (1 s of clock); returns their ids."""
        request_ids = []
        for _ in range(count):
            self._emails += 1
            request_ids.append(self.org().create_account(
                Email=f"member-{self._emails}@example.com",
                AccountName=f"member {self._emails}")["CreateAccountStatus"]["Id"])
        self.advance(1)
        return [self.org().describe_create_account_status(CreateAccountRequestId=request_id)
                ["CreateAccountStatus"]["AccountId"] for request_id in request_ids]

    def organization_with(self, members):
        """An organization of MANAGEMENT and `members` new accounts; returns all ids, sorted."""
        self.create_organization()
        return sorted([MANAGEMENT, *self.create_accounts(members)])

    def delegate(self, account_id, principal=MULTI_ACCOUNT_SETUP):
        self.org().enable_aws_service_access(ServicePrincipal=principal)
        self.org().register_delegated_administrator(AccountId=account_id, ServicePrincipal=principal)

    def put(self, name="versioning", account=MANAGEMENT, **kwargs):
        if not any(key.endswith("Metadata") for key in kwargs):
            kwargs["OrganizationManagedRuleMetadata"] = MANAGED
        return self.config(account).put_organization_config_rule(
            OrganizationConfigRuleName=name, **kwargs)["OrganizationConfigRuleArn"]

    def status(self, name="versioning", account=MANAGEMENT):
        return self.config(account).describe_organization_config_rule_statuses(
            OrganizationConfigRuleNames=[name])["OrganizationConfigRuleStatuses"][0]

    def detailed(self, name="versioning", account=MANAGEMENT, **kwargs):
        """{account id: MemberAccountStatus} over every page."""
        members, token = {}, None
        while True:
            page = self.config(account).get_organization_config_rule_detailed_status(
                OrganizationConfigRuleName=name, **kwargs, **({"NextToken": token} if token else {}))
            for member in page["OrganizationConfigRuleDetailedStatus"]:
                members[member["AccountId"]] = member
            token = page.get("NextToken")
            if not token:
                return members

    def member_statuses(self, name="versioning", account=MANAGEMENT):
        return {account_id: member["MemberAccountRuleStatus"]
                for account_id, member in self.detailed(name, account).items()}

    def fail_deployments(self, account_id, failing=True, **extra):
        status, body = self.cairn.admin("POST", "/_cairn/config/deployment-failures",
                                        {"AccountId": account_id, "Failing": failing, **extra})
        self.assertEqual(status, 200, body)


class DeploymentTest(ConfigRulesTestCase):
    def test_managed_rule_is_created_in_every_account_then_successful(self):
        accounts = self.organization_with(2)
        arn = self.put()
        match = ARN.match(arn)
        self.assertTrue(match, arn)
        self.assertEqual(match.group(1), MANAGEMENT)
        self.assertEqual(match.group(2), "versioning")
        status = self.status()
        self.assertEqual(status["OrganizationRuleStatus"], "CREATE_IN_PROGRESS")
        self.assertIsInstance(status["LastUpdateTime"], datetime.datetime)
        self.assertNotIn("ErrorCode", status)
        members = self.detailed()
        self.assertEqual(sorted(members), accounts)
        for member in members.values():
            self.assertEqual(member["MemberAccountRuleStatus"], "CREATE_IN_PROGRESS")
            self.assertEqual(member["ConfigRuleName"], f"OrgConfigRule-versioning-{match.group(3)}")
            self.assertIsInstance(member["LastUpdateTime"], datetime.datetime)

        self.advance()
        self.assertEqual(self.status()["OrganizationRuleStatus"], "CREATE_SUCCESSFUL")
        self.assertEqual(set(self.member_statuses().values()), {"CREATE_SUCCESSFUL"})
        rule = self.config().describe_organization_config_rules(
            OrganizationConfigRuleNames=["versioning"])["OrganizationConfigRules"][0]
        self.assertEqual(rule["OrganizationConfigRuleArn"], arn)
        self.assertEqual(rule["OrganizationManagedRuleMetadata"], MANAGED)
        self.assertNotIn("OrganizationCustomRuleMetadata", rule)
        self.assertNotIn("ExcludedAccounts", rule)
        self.assertIsInstance(rule["LastUpdateTime"], datetime.datetime)

    def test_custom_lambda_rule_keeps_its_metadata(self):
        self.organization_with(1)
        self.put("lambda-rule", OrganizationCustomRuleMetadata=CUSTOM)
        rule = self.config().describe_organization_config_rules(
            OrganizationConfigRuleNames=["lambda-rule"])["OrganizationConfigRules"][0]
        self.assertEqual(rule["OrganizationCustomRuleMetadata"], CUSTOM)
        self.advance()
        self.assertEqual(self.status("lambda-rule")["OrganizationRuleStatus"], "CREATE_SUCCESSFUL")

    def test_custom_policy_rule_is_described_without_its_policy_text(self):
        self.organization_with(1)
        self.put("guard-rule", OrganizationCustomPolicyRuleMetadata=POLICY)
        rule = self.config().describe_organization_config_rules(
            OrganizationConfigRuleNames=["guard-rule"])["OrganizationConfigRules"][0]
        expected = {key: value for key, value in POLICY.items() if key != "PolicyText"}
        self.assertEqual(rule["OrganizationCustomPolicyRuleMetadata"], expected)
        self.advance()
        self.assertEqual(set(self.member_statuses("guard-rule").values()), {"CREATE_SUCCESSFUL"})

    def test_excluded_accounts_get_no_rule(self):
        accounts = self.organization_with(3)
        excluded = [accounts[1], MANAGEMENT]
        self.put(ExcludedAccounts=excluded)
        self.assertEqual(sorted(self.detailed()), sorted(set(accounts) - set(excluded)))
        rule = self.config().describe_organization_config_rules()["OrganizationConfigRules"][0]
        self.assertEqual(rule["ExcludedAccounts"], excluded)
        self.advance()
        self.assertEqual(self.status()["OrganizationRuleStatus"], "CREATE_SUCCESSFUL")

    def test_every_account_excluded_still_completes(self):
        accounts = self.organization_with(1)
        self.put(ExcludedAccounts=accounts)
        self.assertEqual(self.status()["OrganizationRuleStatus"], "CREATE_IN_PROGRESS")
        self.advance()
        self.assertEqual(self.status()["OrganizationRuleStatus"], "CREATE_SUCCESSFUL")
        self.assertEqual(self.detailed(), {})

    def test_account_joining_later_gets_the_rule(self):
        self.organization_with(1)
        self.put()
        self.advance()
        [joined] = self.create_accounts(1)
        self.assertEqual(self.member_statuses()[joined], "CREATE_IN_PROGRESS")
        self.assertEqual(self.status()["OrganizationRuleStatus"], "UPDATE_IN_PROGRESS")
        self.advance()
        self.assertEqual(self.member_statuses()[joined], "CREATE_SUCCESSFUL")
        self.assertEqual(self.status()["OrganizationRuleStatus"], "UPDATE_SUCCESSFUL")

    def test_leaving_account_loses_the_rule(self):
        accounts = self.organization_with(2)
        leaving = [account for account in accounts if account != MANAGEMENT][0]
        self.put()
        self.advance()
        self.org().remove_account_from_organization(AccountId=leaving)
        self.assertNotIn(leaving, self.detailed())
        self.assertEqual(self.status()["OrganizationRuleStatus"], "CREATE_SUCCESSFUL")

    def test_update_moves_every_account_through_update(self):
        accounts = self.organization_with(2)
        arn = self.put()
        self.advance()
        changed = {**MANAGED, "InputParameters": json.dumps({"isMfaDeleteEnabled": "true"})}
        self.assertEqual(self.put(OrganizationManagedRuleMetadata=changed, ExcludedAccounts=[accounts[0]]), arn)
        self.assertEqual(self.status()["OrganizationRuleStatus"], "UPDATE_IN_PROGRESS")
        statuses = self.member_statuses()
        self.assertEqual(statuses[accounts[0]], "DELETE_IN_PROGRESS")
        self.assertEqual({statuses[account] for account in accounts[1:]}, {"UPDATE_IN_PROGRESS"})
        self.advance()
        self.assertEqual(self.status()["OrganizationRuleStatus"], "UPDATE_SUCCESSFUL")
        self.assertEqual(self.member_statuses(), {account: "UPDATE_SUCCESSFUL" for account in accounts[1:]})
        rule = self.config().describe_organization_config_rules()["OrganizationConfigRules"][0]
        self.assertEqual(rule["OrganizationManagedRuleMetadata"], changed)
        self.assertEqual(rule["ExcludedAccounts"], [accounts[0]])

    def test_delete_goes_through_delete_in_progress_then_the_rule_is_gone(self):
        accounts = self.organization_with(2)
        self.put()
        self.advance()
        self.config().delete_organization_config_rule(OrganizationConfigRuleName="versioning")
        self.assertEqual(self.status()["OrganizationRuleStatus"], "DELETE_IN_PROGRESS")
        self.assertEqual(self.member_statuses(), {account: "DELETE_IN_PROGRESS" for account in accounts})
        self.assertClientError(lambda: self.put(), "ResourceInUseException",
                               message="Organization Config rule deletion is in progress. Try your "
                                       "request again later.")
        self.assertClientError(
            lambda: self.config().delete_organization_config_rule(OrganizationConfigRuleName="versioning"),
            "ResourceInUseException",
            message="Organization Config rule deletion is in progress. Try your request again later.")
        self.advance()
        self.assertClientError(lambda: self.status(), "NoSuchOrganizationConfigRuleException",
                               message=NO_SUCH_RULE)
        self.assertEqual(self.config().describe_organization_config_rules()["OrganizationConfigRules"], [])
        # The name can be used again, with a new ARN.
        self.put()
        self.assertEqual(self.status()["OrganizationRuleStatus"], "CREATE_IN_PROGRESS")

    def test_delete_while_creating_is_resource_in_use(self):
        self.organization_with(1)
        self.put()
        self.assertClientError(
            lambda: self.config().delete_organization_config_rule(OrganizationConfigRuleName="versioning"),
            "ResourceInUseException",
            message="Organization Config rule creation is in progress. Try your request again later.")
        self.advance()
        self.config().delete_organization_config_rule(OrganizationConfigRuleName="versioning")

    def test_failing_account_fails_the_rule_with_its_error(self):
        accounts = self.organization_with(2)
        failing = [account for account in accounts if account != MANAGEMENT][0]
        self.fail_deployments(failing)
        self.put()
        self.advance()
        status = self.status()
        self.assertEqual(status["OrganizationRuleStatus"], "CREATE_FAILED")
        self.assertEqual(status["ErrorCode"], "NoAvailableConfigurationRecorderException")
        self.assertEqual(status["ErrorMessage"], NO_RECORDER)
        failed = self.detailed(Filters={"MemberAccountRuleStatus": "CREATE_FAILED"})
        self.assertEqual(list(failed), [failing])
        self.assertEqual(failed[failing]["ErrorCode"], "NoAvailableConfigurationRecorderException")
        self.assertEqual(failed[failing]["ErrorMessage"], NO_RECORDER)
        self.assertEqual(len(self.detailed(Filters={"MemberAccountRuleStatus": "CREATE_SUCCESSFUL"})), 2)

        # Fixed, the next update creates the rule where it failed and updates it elsewhere.
        self.fail_deployments(failing, failing=False)
        self.put()
        statuses = self.member_statuses()
        self.assertEqual(statuses[failing], "CREATE_IN_PROGRESS")
        self.assertEqual(statuses[MANAGEMENT], "UPDATE_IN_PROGRESS")
        self.advance()
        self.assertEqual(self.status()["OrganizationRuleStatus"], "UPDATE_SUCCESSFUL")
        self.assertNotIn("ErrorCode", self.status())

    def test_failure_with_a_chosen_error(self):
        accounts = self.organization_with(1)
        self.fail_deployments(accounts[0], ErrorCode="InsufficientPermissionsException",
                              ErrorMessage="no role")
        self.put()
        self.advance()
        member = self.detailed(Filters={"AccountId": accounts[0]})[accounts[0]]
        self.assertEqual((member["ErrorCode"], member["ErrorMessage"]),
                         ("InsufficientPermissionsException", "no role"))

    def test_many_accounts_deploy_in_one_step(self):
        accounts = self.organization_with(60)
        self.put()
        self.advance()
        self.assertEqual(self.status()["OrganizationRuleStatus"], "CREATE_SUCCESSFUL")
        members = self.detailed(Limit=25)
        self.assertEqual(sorted(members), accounts)
        self.assertEqual({member["MemberAccountRuleStatus"] for member in members.values()},
                         {"CREATE_SUCCESSFUL"})

    def test_rules_are_per_region(self):
        self.organization_with(1)
        self.put()
        self.assertEqual(
            self.config(region="eu-west-1").describe_organization_config_rules()["OrganizationConfigRules"], [])
        self.assertClientError(
            lambda: self.config(region="eu-west-1").describe_organization_config_rule_statuses(
                OrganizationConfigRuleNames=["versioning"]),
            "NoSuchOrganizationConfigRuleException")

    def test_organization_deleted_forgets_its_rules(self):
        self.create_organization()
        self.put(ExcludedAccounts=[MANAGEMENT])
        self.advance()
        self.org().delete_organization()
        self.create_organization()
        self.assertEqual(self.config().describe_organization_config_rules()["OrganizationConfigRules"], [])


class AccessTest(ConfigRulesTestCase):
    def test_put_enables_trusted_access_for_multi_account_setup(self):
        self.create_organization()
        self.put()
        principals = [entry["ServicePrincipal"] for entry in
                      self.org().list_aws_service_access_for_organization()["EnabledServicePrincipals"]]
        self.assertIn(MULTI_ACCOUNT_SETUP, principals)

    def test_delegated_administrator_manages_its_own_rules(self):
        self.create_organization()
        [delegated] = self.create_accounts(1)
        self.delegate(delegated)
        self.put("from-management")
        arn = self.put("from-delegated", account=delegated)
        self.assertEqual(ARN.match(arn).group(1), delegated)
        names = [rule["OrganizationConfigRuleName"] for rule in
                 self.config(delegated).describe_organization_config_rules()["OrganizationConfigRules"]]
        self.assertEqual(names, ["from-delegated"])
        self.assertClientError(lambda: self.status("from-management", account=delegated),
                               "NoSuchOrganizationConfigRuleException")
        self.assertEqual(sorted(self.detailed("from-delegated", account=delegated)),
                         sorted([MANAGEMENT, delegated]))
        self.advance()
        self.config(delegated).delete_organization_config_rule(OrganizationConfigRuleName="from-delegated")

    def test_delegated_administrator_of_another_service_is_refused(self):
        self.create_organization()
        [delegated] = self.create_accounts(1)
        self.delegate(delegated, principal=CONFIG)
        self.assertClientError(lambda: self.put(account=delegated), "OrganizationAccessDeniedException",
                               message=MANAGEMENT_ONLY)

    def test_member_is_refused_everywhere(self):
        self.create_organization()
        [member] = self.create_accounts(1)
        self.put()
        config = self.config(member)
        calls = [
            lambda: self.put(account=member),
            lambda: config.describe_organization_config_rules(),
            lambda: config.describe_organization_config_rule_statuses(),
            lambda: config.get_organization_config_rule_detailed_status(OrganizationConfigRuleName="versioning"),
            lambda: config.delete_organization_config_rule(OrganizationConfigRuleName="versioning"),
        ]
        for call in calls:
            self.assertClientError(call, "OrganizationAccessDeniedException", message=MANAGEMENT_ONLY)

    def test_outsider(self):
        config = self.config(OUTSIDER)
        self.assertClientError(lambda: self.put(account=OUTSIDER), "NoAvailableOrganizationException")
        for call in [lambda: config.describe_organization_config_rules(),
                     lambda: config.describe_organization_config_rule_statuses(),
                     lambda: config.get_organization_config_rule_detailed_status(OrganizationConfigRuleName="x"),
                     lambda: config.delete_organization_config_rule(OrganizationConfigRuleName="x")]:
            self.assertClientError(call, "OrganizationAccessDeniedException", message=NOT_IN_ORGANIZATION)

    def test_consolidated_billing_organization(self):
        self.create_organization(feature_set="CONSOLIDATED_BILLING")
        self.assertClientError(lambda: self.put(), "OrganizationAllFeaturesNotEnabledException")


class ValidationTest(ConfigRulesTestCase):
    def setUp(self):
        super().setUp()
        self.create_organization()

    def test_exactly_one_metadata(self):
        self.assertClientError(
            lambda: self.config().put_organization_config_rule(OrganizationConfigRuleName="r"),
            "InvalidParameterValueException", message=ONE_METADATA)
        self.assertClientError(
            lambda: self.put(OrganizationManagedRuleMetadata=MANAGED, OrganizationCustomRuleMetadata=CUSTOM),
            "InvalidParameterValueException", message=ONE_METADATA)

    def test_input_parameters_must_be_json(self):
        for kind, metadata in [("OrganizationManagedRuleMetadata", MANAGED),
                               ("OrganizationCustomRuleMetadata", CUSTOM),
                               ("OrganizationCustomPolicyRuleMetadata", POLICY)]:
            self.assertClientError(
                lambda: self.put(**{kind: {**metadata, "InputParameters": "{oops"}}),
                "InvalidParameterValueException",
                message="Invalid json {oops passed in the InputParameters field")

    def test_managed_rule_identifier_and_required_parameters(self):
        self.assertClientError(
            lambda: self.put(OrganizationManagedRuleMetadata={"RuleIdentifier": "s3-bucket-versioning-enabled"}),
            "InvalidParameterValueException",
            message="The ruleIdentifier s3-bucket-versioning-enabled is invalid. Please refer to Config rules "
                    "documentation for a list of valid identifiers that can be used for "
                    "OrganizationManagedRuleMetadata.")
        self.assertClientError(
            lambda: self.put(OrganizationManagedRuleMetadata={"RuleIdentifier": "EKS_CLUSTER_SUPPORTED_VERSION"}),
            "InvalidParameterValueException",
            message="The required parameter oldestVersionSupported is not present in the inputParameters, "
                    "please refer to Config rules documentation for the required parameters.")
        self.put("eks", OrganizationManagedRuleMetadata={
            "RuleIdentifier": "EKS_CLUSTER_SUPPORTED_VERSION",
            "InputParameters": json.dumps({"oldestVersionSupported": "1.29"})})

    def test_model_constraints(self):
        self.assertClientError(lambda: self.put("x" * 65), "ValidationException")
        self.assertClientError(
            lambda: self.put(OrganizationCustomPolicyRuleMetadata={**POLICY, "PolicyRuntime": "lambda"}),
            "ValidationException")
        self.assertClientError(
            lambda: self.put(OrganizationManagedRuleMetadata={**MANAGED, "MaximumExecutionFrequency": "Daily"}),
            "ValidationException")

    def test_a_refused_put_changes_nothing(self):
        self.put(OrganizationManagedRuleMetadata=MANAGED)
        self.assertClientError(
            lambda: self.put(OrganizationManagedRuleMetadata={"RuleIdentifier": "bad id"}),
            "InvalidParameterValueException")
        rule = self.config().describe_organization_config_rules()["OrganizationConfigRules"][0]
        self.assertEqual(rule["OrganizationManagedRuleMetadata"], MANAGED)

    def test_at_most_150_rules(self):
        for index in range(150):
            self.put(f"rule-{index:03d}")
        self.assertClientError(lambda: self.put("one-too-many"),
                               "MaxNumberOfOrganizationConfigRulesExceededException")
        self.put("rule-000")  # an update is no new rule

    def test_unknown_names(self):
        self.put()
        config = self.config()
        for call in [
            lambda: config.describe_organization_config_rules(OrganizationConfigRuleNames=["versioning", "nope"]),
            lambda: config.describe_organization_config_rule_statuses(OrganizationConfigRuleNames=["nope"]),
            lambda: config.get_organization_config_rule_detailed_status(OrganizationConfigRuleName="nope"),
            lambda: config.delete_organization_config_rule(OrganizationConfigRuleName="nope"),
        ]:
            self.assertClientError(call, "NoSuchOrganizationConfigRuleException", message=NO_SUCH_RULE)


class PaginationTest(ConfigRulesTestCase):
    def setUp(self):
        super().setUp()
        self.accounts = self.organization_with(4)
        self.names = [f"rule-{index}" for index in range(5)]
        for name in self.names:
            self.put(name)

    def pages(self, operation, result_key, **kwargs):
        call = getattr(self.config(), operation)
        pages, token = [], None
        while True:
            page = call(**kwargs, **({"NextToken": token} if token else {}))
            pages.append(page[result_key])
            token = page.get("NextToken")
            if not token:
                return pages

    def test_describe_rules_pages(self):
        pages = self.pages("describe_organization_config_rules", "OrganizationConfigRules", Limit=2)
        self.assertEqual([len(page) for page in pages], [2, 2, 1])
        self.assertEqual([rule["OrganizationConfigRuleName"] for page in pages for rule in page], self.names)
        # Limit 0 is the default page size (100).
        self.assertEqual(len(self.pages("describe_organization_config_rules", "OrganizationConfigRules",
                                        Limit=0)), 1)

    def test_statuses_pages(self):
        pages = self.pages("describe_organization_config_rule_statuses", "OrganizationConfigRuleStatuses",
                           Limit=3)
        self.assertEqual([len(page) for page in pages], [3, 2])

    def test_names_make_limit_and_token_inapplicable(self):
        named = self.config().describe_organization_config_rules(
            OrganizationConfigRuleNames=["rule-3", "rule-1", "rule-3"], Limit=1)
        self.assertEqual([rule["OrganizationConfigRuleName"] for rule in named["OrganizationConfigRules"]],
                         ["rule-3", "rule-1"])
        self.assertNotIn("NextToken", named)
        statuses = self.config().describe_organization_config_rule_statuses(
            OrganizationConfigRuleNames=["rule-4", "rule-0"], Limit=1, NextToken="whatever")
        self.assertEqual([status["OrganizationConfigRuleName"]
                          for status in statuses["OrganizationConfigRuleStatuses"]], ["rule-4", "rule-0"])

    def test_detailed_status_pages_and_filters(self):
        pages = self.pages("get_organization_config_rule_detailed_status", "OrganizationConfigRuleDetailedStatus",
                           OrganizationConfigRuleName="rule-0", Limit=2)
        self.assertEqual([len(page) for page in pages], [2, 2, 1])
        self.assertEqual([member["AccountId"] for page in pages for member in page], self.accounts)
        one = self.config().get_organization_config_rule_detailed_status(
            OrganizationConfigRuleName="rule-0", Filters={"AccountId": self.accounts[2]})
        self.assertEqual([member["AccountId"] for member in one["OrganizationConfigRuleDetailedStatus"]],
                         [self.accounts[2]])
        none = self.config().get_organization_config_rule_detailed_status(
            OrganizationConfigRuleName="rule-0", Filters={"MemberAccountRuleStatus": "DELETE_FAILED"})
        self.assertEqual(none["OrganizationConfigRuleDetailedStatus"], [])

    def test_tokens_are_refused_elsewhere(self):
        token = self.config().describe_organization_config_rules(Limit=1)["NextToken"]
        self.assertClientError(
            lambda: self.config().describe_organization_config_rule_statuses(Limit=1, NextToken=token),
            "InvalidNextTokenException")
        detailed = self.config().get_organization_config_rule_detailed_status(
            OrganizationConfigRuleName="rule-0", Limit=1)["NextToken"]
        self.assertClientError(
            lambda: self.config().get_organization_config_rule_detailed_status(
                OrganizationConfigRuleName="rule-1", Limit=1, NextToken=detailed),
            "InvalidNextTokenException")
        self.assertClientError(
            lambda: self.config().describe_organization_config_rules(NextToken="forged"),
            "InvalidNextTokenException")


    @unittest.skipUnless(AWS_CLI, "the AWS CLI is not installed")
    def test_aws_cli_pages_through_rules(self):
        result = aws_cli(self.cairn.endpoint, "configservice", "describe-organization-config-rules",
                         "--page-size", "2", "--output", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        names = [rule["OrganizationConfigRuleName"]
                 for rule in json.loads(result.stdout)["OrganizationConfigRules"]]
        self.assertEqual(names, self.names)


class RestartTest(unittest.TestCase):
    """Deployments in progress keep moving after a restart on the same --data-dir."""

    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="cairn-rules-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)

    def start(self):
        cairn = harness.Cairn("--data-dir", self.data_dir)
        self.addCleanup(cairn.stop)
        return cairn

    def test_pending_deployment_settles_after_kill_9(self):
        first = self.start()
        first.client("organizations").create_organization(FeatureSet="ALL")
        config = first.client("config")
        config.put_organization_config_rule(OrganizationConfigRuleName="versioning",
                                            OrganizationManagedRuleMetadata=MANAGED)
        first.kill()
        second = self.start()
        config = second.client("config")
        second.admin("POST", "/_cairn/clock/advance", {"seconds": STEP})
        status = config.describe_organization_config_rule_statuses()["OrganizationConfigRuleStatuses"][0]
        self.assertEqual(status["OrganizationRuleStatus"], "CREATE_SUCCESSFUL")
        members = config.get_organization_config_rule_detailed_status(
            OrganizationConfigRuleName="versioning")["OrganizationConfigRuleDetailedStatus"]
        self.assertEqual([(member["AccountId"], member["MemberAccountRuleStatus"]) for member in members],
                         [(MANAGEMENT, "CREATE_SUCCESSFUL")])


if __name__ == "__main__":
    unittest.main()
