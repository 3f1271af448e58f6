"""End-to-end: Security Hub central configuration through boto3: configuration policies
(Create/Get/Update/Delete/ListConfigurationPolicies), their associations with the root, OUs and
accounts (Start...Association/Disassociation, Get/BatchGet/ListConfigurationPolicyAssociations,
the seed operation) and the inheritance between them as the organization changes.

The organization and central configuration are set up through the real APIs: Organizations
for the tree, then the hub family (EnableOrganizationAdminAccount, EnableSecurityHub,
CreateFindingAggregator, UpdateOrganizationConfiguration CENTRAL).

Messages are the ones cairn answers (services/securityhub/policies.cc and
policies_resources.cc); the access messages and the "Enabled standards ..." one are observed
AWS answers, the AssociationStatusMessage texts come from the AWS CLI reference examples.
"""
import datetime
import itertools
import re
import shutil
import tempfile
import unittest

import botocore.exceptions

from harness import MANAGEMENT, Cairn, CairnTestCase

HOME = "us-east-1"
LINKED = "us-west-2"
OUTSIDER = "999999999999"

FSBP = f"arn:aws:securityhub:{HOME}::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"
SELF_MANAGED = "SELF_MANAGED_SECURITY_HUB"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

NOT_DELEGATED_ADMIN = "Must be a Security Hub delegated administrator with Central Configuration enabled"
NOT_HOME_REGION = "Central Configuration APIs can only be called from the aggregation region"
APPLIED_OK = "Association applied successfully on this target."
UNIT_FAILED = "One or more children under this target failed association."
SEMANTICS_ENABLED = ("Invalid semantics: Enabled standards and security control configurations must be "
                     "configured when Security Hub is enabled")


def enabled_policy(disabled_controls=(), standards=(), parameters=None):
    controls = {"DisabledSecurityControlIdentifiers": list(disabled_controls)}
    if parameters is not None:
        controls["SecurityControlCustomParameters"] = parameters
    return {"SecurityHub": {"ServiceEnabled": True, "EnabledStandardIdentifiers": list(standards),
                            "SecurityControlsConfiguration": controls}}


DISABLED_POLICY = {"SecurityHub": {"ServiceEnabled": False}}


class CentralConfiguration:
    """A central configuration: management account 111111111111, a delegated administrator
    created in the organization, and a tree root -> ou-a -> ou-a1 (and ou-b) with accounts at
    each level. Mixed into test cases that have a running cairn in self.cairn."""

    def set_up_organization(self):
        self._clients = {}
        self._accounts_created = 0
        self.org = self.client("organizations", MANAGEMENT)
        self.org.create_organization(FeatureSet="ALL")
        self.root = self.org.list_roots()["Roots"][0]["Id"]
        self.admin, self.a_account, self.a1_account, self.root_account = self.create_accounts(4)
        self.ou_a = self.create_ou("a", self.root)
        self.ou_a1 = self.create_ou("a1", self.ou_a)
        self.ou_b = self.create_ou("b", self.root)
        self.move(self.a_account, self.ou_a)
        self.move(self.a1_account, self.ou_a1)
        self.enable_central_configuration()
        self.sh = self.client("securityhub", self.admin)

    # --- helpers

    def client(self, service, account, region=HOME, validate=True):
        key = (service, account, region, validate)
        if key not in self._clients:
            self._clients[key] = self.cairn.client(service, account=account, region=region, validate=validate)
        return self._clients[key]

    def advance(self, seconds=3):
        status, body = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": seconds})
        self.assertEqual(status, 200, body)

    def create_accounts(self, count):
        first = self._accounts_created
        self._accounts_created += count
        request_ids = [self.org.create_account(Email=f"member{index}@example.com", AccountName=f"member {index}")
                       ["CreateAccountStatus"]["Id"] for index in range(first, first + count)]
        self.advance()
        return [self.org.describe_create_account_status(CreateAccountRequestId=request_id)
                ["CreateAccountStatus"]["AccountId"] for request_id in request_ids]

    def create_ou(self, name, parent):
        return self.org.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]

    def move(self, account, destination):
        source = self.org.list_parents(ChildId=account)["Parents"][0]["Id"]
        self.org.move_account(AccountId=account, SourceParentId=source, DestinationParentId=destination)

    def enable_central_configuration(self):
        """The hub family's set-up of central configuration, as a landing zone does it."""
        self.client("securityhub", MANAGEMENT).enable_security_hub()
        self.client("securityhub", MANAGEMENT).enable_organization_admin_account(AdminAccountId=self.admin)
        admin = self.client("securityhub", self.admin)
        try:
            admin.enable_security_hub()
        except botocore.exceptions.ClientError as error:
            self.assertEqual(error.response["Error"]["Code"], "ResourceConflictException")
        admin.create_finding_aggregator(RegionLinkingMode="SPECIFIED_REGIONS", Regions=[LINKED])
        admin.update_organization_configuration(
            AutoEnable=False, AutoEnableStandards="NONE",
            OrganizationConfiguration={"ConfigurationType": "CENTRAL"})
        self.advance()
        configuration = admin.describe_organization_configuration()["OrganizationConfiguration"]
        self.assertEqual((configuration["ConfigurationType"], configuration["Status"]), ("CENTRAL", "ENABLED"))

    def require_standards_catalog(self):
        """Standards and control ids are checked against the standards family's catalog; until
        that family answers DescribeStandards (501 NotImplemented before), there is none."""
        try:
            self.sh.describe_standards()
        except botocore.exceptions.ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 501:
                self.skipTest("the standards family is not implemented yet")
            raise

    def create_policy(self, name="policy", policy=None, **kwargs):
        return self.sh.create_configuration_policy(
            Name=name, ConfigurationPolicy=policy or enabled_policy(), **kwargs)

    def associate(self, policy_id, target):
        return self.sh.start_configuration_policy_association(
            ConfigurationPolicyIdentifier=policy_id, Target=target)

    def disassociate(self, policy_id, target):
        return self.sh.start_configuration_policy_disassociation(
            ConfigurationPolicyIdentifier=policy_id, Target=target)

    def list_all(self, client=None, page_size=None, **filters):
        """Every summary of ListConfigurationPolicyAssociations, following NextToken."""
        client = client or self.sh
        kwargs = {"Filters": filters} if filters else {}
        if page_size:
            kwargs["MaxResults"] = page_size
        summaries = []
        while True:
            page = client.list_configuration_policy_associations(**kwargs)
            summaries.extend(page["ConfigurationPolicyAssociationSummaries"])
            if "NextToken" not in page:
                return summaries
            kwargs["NextToken"] = page["NextToken"]

    def by_target(self, **filters):
        return {summary["TargetId"]: summary for summary in self.list_all(**filters)}

    def association(self, target_id):
        return self.by_target()[target_id]

    def all_targets(self):
        return {self.root, self.ou_a, self.ou_a1, self.ou_b, MANAGEMENT, self.admin, self.a_account,
                self.a1_account, self.root_account}



class SecurityHubPoliciesTest(CentralConfiguration, CairnTestCase):

    def setUp(self):
        super().setUp()
        self.set_up_organization()

    # --- the seed: ListConfigurationPolicyAssociations

    def test_every_target_starts_self_managed(self):
        """Before any association every account and OU is self-managed ("By default, all accounts
        and OU are self-managed when you start central configuration through the API")."""
        summaries = self.by_target()
        self.assertEqual(set(summaries), self.all_targets())
        for target_id, summary in summaries.items():
            self.assertEqual(summary["ConfigurationPolicyId"], SELF_MANAGED, summary)
            self.assertEqual(summary["AssociationType"], "INHERITED", summary)
            self.assertEqual(summary["AssociationStatus"], "SUCCESS", summary)
            self.assertNotIn("AssociationStatusMessage", summary)
            self.assertIsInstance(summary["UpdatedAt"], datetime.datetime)
        self.assertEqual(summaries[self.root]["TargetType"], "ROOT")
        self.assertEqual(summaries[self.ou_a1]["TargetType"], "ORGANIZATIONAL_UNIT")
        self.assertEqual(summaries[self.a1_account]["TargetType"], "ACCOUNT")

    def test_root_policy_is_inherited_by_nested_units_and_accounts(self):
        policy_id = self.create_policy()["Id"]
        started = self.associate(policy_id, {"RootId": self.root})
        self.assertEqual({key: started[key] for key in ("ConfigurationPolicyId", "TargetId", "TargetType",
                                                         "AssociationType", "AssociationStatus")},
                         {"ConfigurationPolicyId": policy_id, "TargetId": self.root, "TargetType": "ROOT",
                          "AssociationType": "APPLIED", "AssociationStatus": "PENDING"})
        self.assertNotIn("AssociationStatusMessage", started)
        pending = self.by_target()
        self.assertEqual(set(pending), self.all_targets())
        for target_id, summary in pending.items():
            self.assertEqual(summary["ConfigurationPolicyId"], policy_id, summary)
            self.assertEqual(summary["AssociationStatus"], "PENDING", summary)
            self.assertEqual(summary["AssociationType"], "APPLIED" if target_id == self.root else "INHERITED")
        self.advance()
        for target_id, summary in self.by_target().items():
            self.assertEqual((summary["AssociationStatus"], summary["AssociationStatusMessage"]),
                             ("SUCCESS", APPLIED_OK), summary)

    def test_nearest_applied_ancestor_wins(self):
        root_policy = self.create_policy("root")["Id"]
        unit_policy = self.create_policy("unit", DISABLED_POLICY)["Id"]
        self.associate(root_policy, {"RootId": self.root})
        self.associate(unit_policy, {"OrganizationalUnitId": self.ou_a})
        self.associate(SELF_MANAGED, {"AccountId": self.a1_account})
        self.advance()
        summaries = self.by_target()
        expected = {self.root: (root_policy, "APPLIED"), self.ou_a: (unit_policy, "APPLIED"),
                    self.ou_a1: (unit_policy, "INHERITED"), self.a_account: (unit_policy, "INHERITED"),
                    self.a1_account: (SELF_MANAGED, "APPLIED"), self.ou_b: (root_policy, "INHERITED"),
                    self.root_account: (root_policy, "INHERITED"), MANAGEMENT: (root_policy, "INHERITED")}
        for target_id, (policy_id, association_type) in expected.items():
            summary = summaries[target_id]
            self.assertEqual((summary["ConfigurationPolicyId"], summary["AssociationType"],
                              summary["AssociationStatus"]), (policy_id, association_type, "SUCCESS"), summary)
        self.assertNotIn("AssociationStatusMessage", summaries[self.a1_account])

    def test_moving_an_account_changes_what_it_inherits(self):
        unit_policy = self.create_policy("a")["Id"]
        other_policy = self.create_policy("b")["Id"]
        self.associate(unit_policy, {"OrganizationalUnitId": self.ou_a})
        self.associate(other_policy, {"OrganizationalUnitId": self.ou_b})
        self.advance()
        self.assertEqual(self.association(self.a1_account)["ConfigurationPolicyId"], unit_policy)
        self.move(self.a1_account, self.ou_b)
        moved = self.association(self.a1_account)
        self.assertEqual((moved["ConfigurationPolicyId"], moved["AssociationType"], moved["AssociationStatus"]),
                         (other_policy, "INHERITED", "PENDING"))
        self.assertEqual(self.association(self.ou_b)["AssociationStatus"], "PENDING")
        self.advance()
        self.assertEqual(self.association(self.a1_account)["AssociationStatus"], "SUCCESS")
        self.move(self.a1_account, self.root)
        self.assertEqual(self.association(self.a1_account)["ConfigurationPolicyId"], SELF_MANAGED)

    def test_new_accounts_and_units_inherit(self):
        policy_id = self.create_policy()["Id"]
        self.associate(policy_id, {"OrganizationalUnitId": self.ou_a})
        self.advance()
        unit = self.create_ou("late", self.ou_a)
        (account,) = self.create_accounts(1)
        self.move(account, unit)
        summaries = self.by_target()
        for target_id in (unit, account):
            self.assertEqual((summaries[target_id]["ConfigurationPolicyId"], summaries[target_id]["AssociationType"]),
                             (policy_id, "INHERITED"))
        self.advance()
        self.assertEqual(self.association(account)["AssociationStatus"], "SUCCESS")

    def test_disassociation_falls_back_to_the_parent_then_self_managed(self):
        root_policy = self.create_policy("root")["Id"]
        unit_policy = self.create_policy("unit")["Id"]
        self.associate(root_policy, {"RootId": self.root})
        self.associate(unit_policy, {"OrganizationalUnitId": self.ou_a})
        self.advance()
        self.assertEqual(self.disassociate(unit_policy, {"OrganizationalUnitId": self.ou_a})["ResponseMetadata"]
                         ["HTTPStatusCode"], 200)
        for target_id in (self.ou_a, self.ou_a1, self.a1_account):
            summary = self.association(target_id)
            self.assertEqual((summary["ConfigurationPolicyId"], summary["AssociationType"],
                              summary["AssociationStatus"]), (root_policy, "INHERITED", "PENDING"), summary)
        self.advance()
        self.assertEqual(self.association(self.a1_account)["AssociationStatus"], "SUCCESS")
        self.disassociate(root_policy, {"RootId": self.root})
        self.advance()
        for summary in self.list_all():
            self.assertEqual((summary["ConfigurationPolicyId"], summary["AssociationType"],
                              summary["AssociationStatus"]), (SELF_MANAGED, "INHERITED", "SUCCESS"), summary)

    def test_only_a_directly_applied_configuration_can_be_disassociated(self):
        policy_id = self.create_policy()["Id"]
        self.associate(policy_id, {"OrganizationalUnitId": self.ou_a})
        self.assertClientError(lambda: self.disassociate(policy_id, {"AccountId": self.a_account}),
                               "ResourceNotFoundException", 404)
        other = self.create_policy("other")["Id"]
        self.assertClientError(lambda: self.disassociate(other, {"OrganizationalUnitId": self.ou_a}),
                               "ResourceNotFoundException", 404)
        self.assertClientError(lambda: self.disassociate(SELF_MANAGED, {"RootId": self.root}),
                               "ResourceNotFoundException", 404)

    def test_central_configuration_cannot_stop_while_policies_exist(self):
        """"Before you can stop using central configuration, you must disassociate and delete
        your configuration policies" (user guide): switching to LOCAL is refused until then."""
        policy_id = self.create_policy(policy={"SecurityHub": {"ServiceEnabled": False}})["Id"]
        stop = lambda: self.sh.update_organization_configuration(
            AutoEnable=False, OrganizationConfiguration={"ConfigurationType": "LOCAL"})
        self.assertClientError(stop, "ResourceConflictException", 409)
        self.sh.delete_configuration_policy(Identifier=policy_id)
        stop()
        configuration = self.sh.describe_organization_configuration()["OrganizationConfiguration"]
        self.assertEqual(configuration["ConfigurationType"], "LOCAL")

    def test_self_managed_association(self):
        policy_id = self.create_policy()["Id"]
        self.associate(policy_id, {"RootId": self.root})
        started = self.associate(SELF_MANAGED, {"OrganizationalUnitId": self.ou_a})
        self.assertEqual((started["ConfigurationPolicyId"], started["AssociationType"], started["AssociationStatus"]),
                         (SELF_MANAGED, "APPLIED", "PENDING"))
        self.advance()
        summaries = self.by_target(ConfigurationPolicyId=SELF_MANAGED)
        self.assertEqual(set(summaries), {self.ou_a, self.ou_a1, self.a_account, self.a1_account})
        for summary in summaries.values():
            self.assertEqual(summary["AssociationStatus"], "SUCCESS")
            self.assertNotIn("AssociationStatusMessage", summary)
        self.disassociate(SELF_MANAGED, {"OrganizationalUnitId": self.ou_a})
        self.assertEqual(self.association(self.a1_account)["ConfigurationPolicyId"], policy_id)

    def test_filters_in_every_combination(self):
        root_policy = self.create_policy("root")
        unit_policy = self.create_policy("unit")["Id"]
        self.associate(root_policy["Id"], {"RootId": self.root})
        self.advance()
        self.associate(unit_policy, {"OrganizationalUnitId": self.ou_a})  # ou-a's subtree PENDING
        self.associate(SELF_MANAGED, {"AccountId": self.root_account})    # PENDING
        everything = self.list_all()
        self.assertEqual(len(everything), len(self.all_targets()))
        policies = [None, root_policy["Id"], root_policy["Arn"], unit_policy, SELF_MANAGED]
        for policy, association_type, status in itertools.product(
                policies, [None, "APPLIED", "INHERITED"], [None, "PENDING", "SUCCESS", "FAILED"]):
            filters = {}
            if policy:
                filters["ConfigurationPolicyId"] = policy
            if association_type:
                filters["AssociationType"] = association_type
            if status:
                filters["AssociationStatus"] = status
            policy_id = root_policy["Id"] if policy == root_policy["Arn"] else policy
            expected = [summary for summary in everything
                        if (not policy_id or summary["ConfigurationPolicyId"] == policy_id)
                        and (not association_type or summary["AssociationType"] == association_type)
                        and (not status or summary["AssociationStatus"] == status)]
            with self.subTest(filters=filters):
                self.assertEqual(self.list_all(page_size=2, **filters), expected)
        self.assertEqual(len(self.list_all(AssociationType="APPLIED")), 3)
        self.assertTrue(self.list_all(AssociationStatus="PENDING"))

    def test_pagination_visits_every_association_once(self):
        self.associate(self.create_policy()["Id"], {"RootId": self.root})
        everything = self.list_all()
        for page_size in (1, 2, 4, 100):
            pages = []
            kwargs = {"MaxResults": page_size}
            while True:
                page = self.sh.list_configuration_policy_associations(**kwargs)
                self.assertLessEqual(len(page["ConfigurationPolicyAssociationSummaries"]), page_size)
                pages.append(page["ConfigurationPolicyAssociationSummaries"])
                if "NextToken" not in page:
                    break
                kwargs["NextToken"] = page["NextToken"]
            listed = [summary["TargetId"] for page in pages for summary in page]
            self.assertEqual(listed, [summary["TargetId"] for summary in everything], page_size)
            self.assertEqual(len(listed), len(set(listed)))
        paginator = self.sh.get_paginator("list_configuration_policy_associations")
        self.assertEqual(sum(len(page["ConfigurationPolicyAssociationSummaries"])
                             for page in paginator.paginate(PaginationConfig={"PageSize": 3})), len(everything))

    def test_bad_tokens_and_page_sizes_are_refused(self):
        first = self.sh.list_configuration_policy_associations(MaxResults=1)
        self.assertClientError(lambda: self.sh.list_configuration_policy_associations(NextToken="forged"),
                               "InvalidInputException", 400)
        self.assertClientError(lambda: self.sh.list_configuration_policy_associations(
            NextToken=first["NextToken"], Filters={"AssociationType": "APPLIED"}), "InvalidInputException", 400)
        unchecked = self.client("securityhub", self.admin, validate=False)
        for size in (0, 101):
            self.assertClientError(lambda: unchecked.list_configuration_policy_associations(MaxResults=size),
                                   "InvalidInputException", 400)
        self.assertClientError(lambda: unchecked.list_configuration_policy_associations(
            Filters={"AssociationStatus": "DONE"}), "InvalidInputException", 400)

    def test_failed_accounts_fail_their_parents(self):
        """A suspended account cannot take the policy; OUs and the root above it fail with the
        messages of the AWS CLI reference example."""
        policy_id = self.create_policy()["Id"]
        self.associate(policy_id, {"RootId": self.root})
        self.advance()
        self.org.close_account(AccountId=self.a1_account)
        self.advance()  # PENDING_CLOSURE -> SUSPENDED
        self.advance()  # the propagation to the suspended account finishes
        summaries = self.by_target()
        self.assertEqual(summaries[self.a1_account]["AssociationStatus"], "FAILED")
        self.assertTrue(summaries[self.a1_account]["AssociationStatusMessage"])
        for unit in (self.ou_a1, self.ou_a):
            self.assertEqual((summaries[unit]["AssociationStatus"], summaries[unit]["AssociationStatusMessage"]),
                             ("FAILED", UNIT_FAILED))
        self.assertEqual((summaries[self.root]["AssociationStatus"], summaries[self.root]["AssociationStatusMessage"]),
                         ("FAILED", "Policy association failed because 1 organizational units or accounts under "
                                    "this root failed."))
        self.assertEqual(summaries[self.ou_b]["AssociationStatus"], "SUCCESS")
        self.assertEqual(self.by_target(AssociationStatus="FAILED").keys(),
                         {self.a1_account, self.ou_a1, self.ou_a, self.root})

    def test_an_account_that_leaves_loses_its_association(self):
        self.associate(self.create_policy()["Id"], {"RootId": self.root})
        self.org.remove_account_from_organization(AccountId=self.root_account)
        self.assertNotIn(self.root_account, self.by_target())

    # --- Get / BatchGet

    def test_get_and_batch_get_associations(self):
        policy_id = self.create_policy()["Id"]
        self.associate(policy_id, {"OrganizationalUnitId": self.ou_a})
        self.advance()
        got = self.sh.get_configuration_policy_association(Target={"AccountId": self.a1_account})
        self.assertEqual((got["ConfigurationPolicyId"], got["TargetType"], got["AssociationType"],
                          got["AssociationStatus"], got["AssociationStatusMessage"]),
                         (policy_id, "ACCOUNT", "INHERITED", "SUCCESS", APPLIED_OK))
        self.assertEqual(self.sh.get_configuration_policy_association(Target={"RootId": self.root})
                         ["ConfigurationPolicyId"], SELF_MANAGED)
        self.assertClientError(lambda: self.sh.get_configuration_policy_association(
            Target={"AccountId": OUTSIDER}), "ResourceNotFoundException", 404)
        self.assertClientError(lambda: self.sh.get_configuration_policy_association(
            Target={"OrganizationalUnitId": "ou-zzzz-zzzzzzzz"}), "ResourceNotFoundException", 404)
        self.assertClientError(lambda: self.sh.get_configuration_policy_association(
            Target={"AccountId": "12345"}), "InvalidInputException", 400)

        batch = self.sh.batch_get_configuration_policy_associations(ConfigurationPolicyAssociationIdentifiers=[
            {"Target": {"OrganizationalUnitId": self.ou_a}}, {"Target": {"AccountId": self.a_account}},
            {"Target": {"AccountId": OUTSIDER}}, {"Target": {"RootId": "r-zzzz"}}])
        self.assertEqual([(item["TargetId"], item["AssociationType"])
                          for item in batch["ConfigurationPolicyAssociations"]],
                         [(self.ou_a, "APPLIED"), (self.a_account, "INHERITED")])
        unprocessed = batch["UnprocessedConfigurationPolicyAssociations"]
        self.assertEqual([item["ConfigurationPolicyAssociationIdentifiers"]["Target"] for item in unprocessed],
                         [{"AccountId": OUTSIDER}, {"RootId": "r-zzzz"}])
        self.assertEqual({item["ErrorCode"] for item in unprocessed}, {"404"})
        self.assertTrue(all(item["ErrorReason"] for item in unprocessed))

    def test_association_errors(self):
        policy_id = self.create_policy()["Id"]
        self.assertClientError(lambda: self.associate("4f1e8c2a-1111-4222-8333-444455556666", {"RootId": self.root}),
                               "ResourceNotFoundException", 404)
        self.assertClientError(lambda: self.associate(policy_id, {"AccountId": OUTSIDER}),
                               "ResourceNotFoundException", 404)
        self.assertClientError(lambda: self.associate(policy_id, {"RootId": "r-zzzz"}),
                               "ResourceNotFoundException", 404)
        self.assertClientError(lambda: self.associate(policy_id, {"AccountId": self.ou_a}),
                               "InvalidInputException", 400)
        unchecked = self.client("securityhub", self.admin, validate=False)
        self.assertClientError(lambda: unchecked.start_configuration_policy_association(
            ConfigurationPolicyIdentifier=policy_id, Target={"RootId": self.root, "AccountId": self.admin}),
            "InvalidInputException", 400)

    # --- configuration policies

    def test_policy_lifecycle(self):
        self.require_standards_catalog()
        created = self.create_policy("Baseline", Description="org baseline", Tags={"team": "security"},
                                     policy=enabled_policy(standards=[FSBP, CIS], disabled_controls=["CloudTrail.1"]))
        self.assertRegex(created["Id"], UUID)
        self.assertEqual(created["Arn"], f"arn:aws:securityhub:{HOME}:{self.admin}:configuration-policy/"
                                         f"{created['Id']}")
        self.assertEqual((created["Name"], created["Description"]), ("Baseline", "org baseline"))
        self.assertEqual(created["ConfigurationPolicy"], enabled_policy(standards=[FSBP, CIS],
                                                                        disabled_controls=["CloudTrail.1"]))
        self.assertIsInstance(created["CreatedAt"], datetime.datetime)
        for identifier in (created["Id"], created["Arn"]):
            got = self.sh.get_configuration_policy(Identifier=identifier)
            self.assertEqual(got["ConfigurationPolicy"], created["ConfigurationPolicy"])
            self.assertEqual(got["Arn"], created["Arn"])

        self.advance(5)
        updated = self.sh.update_configuration_policy(
            Identifier=created["Arn"], Name="Baseline-v2", UpdatedReason="disable a control",
            ConfigurationPolicy=enabled_policy(disabled_controls=["CloudTrail.1", "ACM.1"]))
        self.assertEqual(updated["Name"], "Baseline-v2")
        self.assertEqual(updated["Description"], "org baseline")
        self.assertGreater(updated["UpdatedAt"], updated["CreatedAt"])
        self.assertEqual(updated["ConfigurationPolicy"]["SecurityHub"]["SecurityControlsConfiguration"],
                         {"DisabledSecurityControlIdentifiers": ["CloudTrail.1", "ACM.1"]})

        disabled = self.create_policy("Off", policy={"SecurityHub": {
            "ServiceEnabled": False, "EnabledStandardIdentifiers": [FSBP],
            "SecurityControlsConfiguration": {"DisabledSecurityControlIdentifiers": []}}})
        self.assertEqual(disabled["ConfigurationPolicy"], DISABLED_POLICY)
        summaries = self.sh.list_configuration_policies()["ConfigurationPolicySummaries"]
        self.assertEqual({(item["Name"], item["ServiceEnabled"]) for item in summaries},
                         {("Baseline-v2", True), ("Off", False)})
        pages = list(self.sh.get_paginator("list_configuration_policies").paginate(
            PaginationConfig={"PageSize": 1}))
        self.assertEqual(sum(len(page["ConfigurationPolicySummaries"]) for page in pages), 2)

        self.sh.delete_configuration_policy(Identifier=created["Id"])
        self.assertClientError(lambda: self.sh.get_configuration_policy(Identifier=created["Id"]),
                               "ResourceNotFoundException", 404)
        self.assertClientError(lambda: self.sh.delete_configuration_policy(Identifier=created["Id"]),
                               "ResourceNotFoundException", 404)
        self.assertClientError(lambda: self.create_policy("Off"), "ResourceConflictException", 409)

    def test_updating_a_policy_propagates_it_again(self):
        policy_id = self.create_policy()["Id"]
        self.associate(policy_id, {"OrganizationalUnitId": self.ou_a1})
        self.advance()
        self.sh.update_configuration_policy(Identifier=policy_id, Description="same settings")
        self.assertEqual(self.association(self.a1_account)["AssociationStatus"], "SUCCESS")
        self.sh.update_configuration_policy(Identifier=policy_id, ConfigurationPolicy=DISABLED_POLICY)
        self.assertEqual(self.association(self.a1_account)["AssociationStatus"], "PENDING")
        self.assertEqual(self.association(self.a_account)["AssociationStatus"], "SUCCESS")

    def test_policy_tags_live_with_the_hub_tags(self):
        created = self.create_policy(Tags={"team": "security"})
        self.assertEqual(self.sh.list_tags_for_resource(ResourceArn=created["Arn"])["Tags"], {"team": "security"})
        self.sh.tag_resource(ResourceArn=created["Arn"], Tags={"env": "prod"})
        self.assertEqual(self.sh.list_tags_for_resource(ResourceArn=created["Arn"])["Tags"],
                         {"team": "security", "env": "prod"})
        self.sh.delete_configuration_policy(Identifier=created["Id"])
        self.assertClientError(lambda: self.sh.list_tags_for_resource(ResourceArn=created["Arn"]),
                               "ResourceNotFoundException", 404)

    def test_deleting_an_associated_policy_is_refused(self):
        policy_id = self.create_policy()["Id"]
        self.associate(policy_id, {"OrganizationalUnitId": self.ou_a})
        response = self.assertClientError(lambda: self.sh.delete_configuration_policy(Identifier=policy_id),
                                          "ResourceConflictException", 409)
        self.assertIn(policy_id, response["Error"]["Message"])
        self.disassociate(policy_id, {"OrganizationalUnitId": self.ou_a})
        self.sh.delete_configuration_policy(Identifier=policy_id)

    def test_policy_validation(self):
        self.require_standards_catalog()
        def refused(policy, message=None):
            return self.assertClientError(lambda: self.create_policy("bad", policy=policy),
                                          "InvalidInputException", 400, message)

        refused({"SecurityHub": {"ServiceEnabled": True,
                                 "SecurityControlsConfiguration": {"DisabledSecurityControlIdentifiers": []}}},
                SEMANTICS_ENABLED)
        refused({"SecurityHub": {"ServiceEnabled": True, "EnabledStandardIdentifiers": []}}, SEMANTICS_ENABLED)
        refused(enabled_policy(standards=["arn:aws:securityhub:us-east-1::standards/nope/v/1.0.0"]))
        refused(enabled_policy(disabled_controls=["Nope.42"]))
        refused({"SecurityHub": {"ServiceEnabled": True, "EnabledStandardIdentifiers": [],
                                 "SecurityControlsConfiguration": {"EnabledSecurityControlIdentifiers": ["ACM.1"],
                                                                   "DisabledSecurityControlIdentifiers": []}}})
        refused(enabled_policy(parameters=[{"SecurityControlId": "ACM.1", "Parameters": {
            "daysToExpiration": {"ValueType": "CUSTOM", "Value": {"Integer": 1000}}}}]))
        refused(enabled_policy(parameters=[{"SecurityControlId": "ACM.1", "Parameters": {
            "daysToExpiration": {"ValueType": "CUSTOM", "Value": {"String": "30"}}}}]))
        refused(enabled_policy(parameters=[{"SecurityControlId": "ACM.1", "Parameters": {
            "noSuchParameter": {"ValueType": "DEFAULT"}}}]))
        unchecked = self.client("securityhub", self.admin, validate=False)
        self.assertClientError(lambda: unchecked.create_configuration_policy(
            Name="two", ConfigurationPolicy=enabled_policy(parameters=[{"SecurityControlId": "ACM.1", "Parameters": {
                "daysToExpiration": {"ValueType": "CUSTOM", "Value": {"Integer": 30, "String": "30"}}}}])),
            "InvalidInputException", 400)
        accepted = self.create_policy("good", enabled_policy(parameters=[{"SecurityControlId": "ACM.1", "Parameters": {
            "daysToExpiration": {"ValueType": "CUSTOM", "Value": {"Integer": 21}}}}]))
        value = accepted["ConfigurationPolicy"]["SecurityHub"]["SecurityControlsConfiguration"][
            "SecurityControlCustomParameters"][0]["Parameters"]["daysToExpiration"]
        self.assertEqual(value, {"ValueType": "CUSTOM", "Value": {"Integer": 21}})
        self.assertEqual(self.sh.list_configuration_policies()["ConfigurationPolicySummaries"][0]["Name"], "good")

    # --- access

    def test_access_rules(self):
        """Only the delegated administrator, in the home Region, with central configuration."""
        calls = {
            "ListConfigurationPolicyAssociations": lambda client: client.list_configuration_policy_associations(),
            "ListConfigurationPolicies": lambda client: client.list_configuration_policies(),
            "CreateConfigurationPolicy": lambda client: client.create_configuration_policy(
                Name="x", ConfigurationPolicy=DISABLED_POLICY),
            "GetConfigurationPolicyAssociation": lambda client: client.get_configuration_policy_association(
                Target={"RootId": self.root}),
            "StartConfigurationPolicyAssociation": lambda client: client.start_configuration_policy_association(
                ConfigurationPolicyIdentifier=SELF_MANAGED, Target={"RootId": self.root}),
        }
        self.client("securityhub", self.a_account).enable_security_hub()
        self.client("securityhub", OUTSIDER).enable_security_hub()
        admin_elsewhere = self.client("securityhub", self.admin, region=LINKED)
        try:
            admin_elsewhere.enable_security_hub()
        except botocore.exceptions.ClientError as error:
            self.assertEqual(error.response["Error"]["Code"], "ResourceConflictException")
        for name, call in calls.items():
            with self.subTest(operation=name):
                for account in (MANAGEMENT, self.a_account, OUTSIDER):
                    self.assertClientError(lambda: call(self.client("securityhub", account)), "AccessDeniedException",
                                           403, NOT_DELEGATED_ADMIN)
                self.assertClientError(lambda: call(self.client("securityhub", self.a1_account)),
                                       "InvalidAccessException", 401,
                                       f"Account {self.a1_account} is not subscribed to AWS Security Hub")
                self.assertClientError(lambda: call(admin_elsewhere), "AccessDeniedException", 403, NOT_HOME_REGION)

    def test_local_configuration_refuses_policies(self):
        self.sh.update_organization_configuration(AutoEnable=False, AutoEnableStandards="NONE",
                                                  OrganizationConfiguration={"ConfigurationType": "LOCAL"})
        self.advance()
        self.assertClientError(lambda: self.sh.list_configuration_policy_associations(), "AccessDeniedException",
                               403, NOT_DELEGATED_ADMIN)


class SecurityHubPoliciesRestartTest(CentralConfiguration, unittest.TestCase):
    """With --data-dir, policies and associations survive a restart, and propagations that were
    PENDING finish afterwards (their due times are stored)."""

    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="cairn-shpol-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)
        self.cairn = Cairn("--data-dir", self.data_dir)
        self.addCleanup(lambda: self.cairn.stop())
        self.set_up_organization()

    def assertClientError(self, call, code, status=None, message=None):
        return CairnTestCase.assertClientError(self, call, code, status, message)

    def test_pending_propagation_finishes_after_a_restart(self):
        policy = self.create_policy()
        self.associate(policy["Id"], {"OrganizationalUnitId": self.ou_a})
        before = self.by_target()
        self.assertEqual(before[self.a1_account]["AssociationStatus"], "PENDING")
        self.cairn.stop()
        self.cairn = Cairn("--data-dir", self.data_dir)
        self._clients = {}
        self.sh = self.client("securityhub", self.admin)
        self.assertEqual(self.sh.get_configuration_policy(Identifier=policy["Arn"])["Name"], policy["Name"])
        after = self.by_target()
        self.assertEqual(set(after), set(before))
        self.advance()
        summary = self.association(self.a1_account)
        self.assertEqual((summary["ConfigurationPolicyId"], summary["AssociationStatus"]), (policy["Id"], "SUCCESS"))


if __name__ == "__main__":
    unittest.main()
