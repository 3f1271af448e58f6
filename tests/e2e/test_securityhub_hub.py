"""End-to-end: the hub family of AWS Security Hub through boto3, acting as the organization's
management account, its Security Hub administrator (in and outside the Regions it administers),
member accounts and an account in no organization (the account is the request's access key id).

Covers EnableSecurityHub, DisableSecurityHub, DescribeHub, UpdateSecurityHubConfiguration, the
organization administrator (Enable/Disable/ListOrganizationAdminAccounts) and its lifecycle,
the organization configuration (LOCAL, and CENTRAL going PENDING -> ENABLED | FAILED through
the lifecycle scheduler, also across a restart), finding aggregators, members (CreateMembers,
GetMembers, ListMembers, AutoEnable for accounts that join) and tags, with each error's code,
HTTP status and message.

Messages come from real AWS responses where users reported them (see
services/securityhub/hub.cc); the others are cairn's and are checked by code and status only.
"""
import re
import shutil
import tempfile
import unittest

import botocore.exceptions

import harness
from harness import MANAGEMENT, CairnTestCase

OUTSIDER = "999999999999"  # in no organization
STRANGER = "888888888888"  # in no organization either
HOME = "us-east-1"
LINKED = "eu-west-1"
OTHER = "ap-south-1"

HUB_ARN = re.compile(r"^arn:aws:securityhub:[a-z0-9-]+:\d{12}:hub/default$")
AGGREGATOR_ARN = re.compile(
    r"^arn:aws:securityhub:[a-z0-9-]+:\d{12}:finding-aggregator/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
    r"[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ISO_8601 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$")

SECURITYHUB = "securityhub.amazonaws.com"


def not_subscribed(account):
    return f"Account {account} is not subscribed to AWS Security Hub"


def not_an_administrator(account):
    return f"Account {account} is not an administrator for this organization"


ALREADY_SUBSCRIBED = "Account is already subscribed to Security Hub"
CANNOT_DISABLE_ADMIN = "Cannot disable Security Hub on the Security Hub administrator"
NOT_IN_ORGANIZATION = "Your account is not a member of an organization."
AUTO_ENABLE_CENTRAL = "Auto Enable and AutoEnableStandards can not be enabled for Central Configuration"
MEMBER_AGGREGATOR = "A finding aggregator cannot be created by a member account."
CENTRAL_ENABLED = "Central configuration has been enabled successfully"


class SecurityHubTestCase(CairnTestCase):
    """An organization (management 111111111111) with member accounts created through
    Organizations; securityhub and organizations clients per account and Region."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clients = {}

    def setUp(self):
        super().setUp()
        self._email_counter = 0

    def hub(self, account=MANAGEMENT, region=HOME, validate=True):
        key = ("securityhub", account, region, validate)
        if key not in self._clients:
            self._clients[key] = self.cairn.client("securityhub", account=account, region=region,
                                                   validate=validate)
        return self._clients[key]

    def org(self, account=MANAGEMENT):
        key = ("organizations", account)
        if key not in self._clients:
            self._clients[key] = self.cairn.client("organizations", account=account)
        return self._clients[key]

    def advance(self, seconds=2):
        status, body = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": seconds})
        self.assertEqual(status, 200, body)

    def create_accounts(self, count):
        request_ids = []
        for _ in range(count):
            self._email_counter += 1
            request_ids.append(self.org().create_account(
                Email=f"member-{self._email_counter}@example.com",
                AccountName=f"member {self._email_counter}")["CreateAccountStatus"]["Id"])
        self.advance()
        accounts = []
        for request_id in request_ids:
            status = self.org().describe_create_account_status(
                CreateAccountRequestId=request_id)["CreateAccountStatus"]
            self.assertEqual(status["State"], "SUCCEEDED", status)
            accounts.append(status["AccountId"])
        return accounts

    def organization(self, members=2):
        """Creates the organization; returns (admin, [other members])."""
        self.org().create_organization(FeatureSet="ALL")
        accounts = self.create_accounts(members + 1)
        return accounts[0], accounts[1:]

    def designate(self, admin, region=HOME):
        response = self.hub(MANAGEMENT, region).enable_organization_admin_account(AdminAccountId=admin)
        self.assertEqual(response["AdminAccountId"], admin)
        self.assertEqual(response["Feature"], "SecurityHub")

    def admins(self, region=HOME):
        return self.hub(MANAGEMENT, region).list_organization_admin_accounts()["AdminAccounts"]

    def configuration(self, account, region=HOME):
        response = self.hub(account, region).describe_organization_configuration()
        response.pop("ResponseMetadata")
        return response

    def central(self, admin, region=HOME):
        self.hub(admin, region).update_organization_configuration(
            AutoEnable=False, AutoEnableStandards="NONE",
            OrganizationConfiguration={"ConfigurationType": "CENTRAL"})

    def member_ids(self, admin, region=HOME, **kwargs):
        members = self.hub(admin, region).list_members(**kwargs)["Members"]
        return sorted(member["AccountId"] for member in members)


class HubTest(SecurityHubTestCase):
    def test_enable_describe_update_and_disable_a_hub(self):
        """EnableSecurityHub subscribes the account in one Region; DescribeHub shows the hub ARN,
        SubscribedAt as an ISO-8601 string, AutoEnableControls and ControlFindingGenerator;
        UpdateSecurityHubConfiguration changes the two settings; DisableSecurityHub ends it."""
        hub = self.hub(OUTSIDER)
        self.assertClientError(hub.describe_hub, "InvalidAccessException", 401, not_subscribed(OUTSIDER))
        hub.enable_security_hub(EnableDefaultStandards=False)
        described = hub.describe_hub()
        self.assertEqual(described["HubArn"], f"arn:aws:securityhub:{HOME}:{OUTSIDER}:hub/default")
        self.assertRegex(described["SubscribedAt"], ISO_8601)
        self.assertTrue(described["AutoEnableControls"])
        self.assertEqual(described["ControlFindingGenerator"], "SECURITY_CONTROL")
        self.assertEqual(hub.describe_hub(HubArn=described["HubArn"])["HubArn"], described["HubArn"])
        # A hub is per Region.
        self.assertClientError(self.hub(OUTSIDER, LINKED).describe_hub, "InvalidAccessException", 401,
                               not_subscribed(OUTSIDER))

        hub.update_security_hub_configuration(AutoEnableControls=False,
                                              ControlFindingGenerator="STANDARD_CONTROL")
        described = hub.describe_hub()
        self.assertFalse(described["AutoEnableControls"])
        self.assertEqual(described["ControlFindingGenerator"], "STANDARD_CONTROL")
        hub.update_security_hub_configuration(AutoEnableControls=True)
        self.assertEqual(hub.describe_hub()["ControlFindingGenerator"], "STANDARD_CONTROL")

        hub.disable_security_hub()
        self.assertClientError(hub.describe_hub, "InvalidAccessException", 401, not_subscribed(OUTSIDER))

    def test_enable_takes_the_control_finding_generator(self):
        self.hub(OUTSIDER).enable_security_hub(ControlFindingGenerator="STANDARD_CONTROL")
        self.assertEqual(self.hub(OUTSIDER).describe_hub()["ControlFindingGenerator"], "STANDARD_CONTROL")

    def test_enabling_twice_is_a_conflict(self):
        self.hub(OUTSIDER).enable_security_hub()
        self.assertClientError(self.hub(OUTSIDER).enable_security_hub, "ResourceConflictException", 409,
                               ALREADY_SUBSCRIBED)

    def test_disabling_an_unsubscribed_account_is_not_found(self):
        """terraform-provider-aws treats ResourceNotFoundException as 'already disabled'."""
        self.assertClientError(self.hub(OUTSIDER).disable_security_hub, "ResourceNotFoundException", 404,
                               not_subscribed(OUTSIDER))

    def test_updating_needs_a_hub(self):
        self.assertClientError(lambda: self.hub(OUTSIDER).update_security_hub_configuration(
            AutoEnableControls=False), "InvalidAccessException", 401, not_subscribed(OUTSIDER))

    def test_describe_hub_of_another_hub_arn_is_not_found(self):
        self.hub(OUTSIDER).enable_security_hub()
        self.hub(STRANGER).enable_security_hub()
        other = f"arn:aws:securityhub:{HOME}:{STRANGER}:hub/default"
        self.assertClientError(lambda: self.hub(OUTSIDER).describe_hub(HubArn=other),
                               "ResourceNotFoundException", 404)


class OrganizationAdminTest(SecurityHubTestCase):
    def test_designating_an_administrator(self):
        """The management account designates the administrator of a Region: Security Hub enables
        trusted access, registers the account as delegated administrator in Organizations and
        enables Security Hub in the administrator account in that Region only."""
        admin, _ = self.organization()
        self.assertEqual(self.admins(), [])
        self.designate(admin)
        self.assertEqual(self.admins(), [{"AccountId": admin, "Status": "ENABLED"}])
        listed = self.hub(MANAGEMENT).list_organization_admin_accounts(Feature="SecurityHub")
        self.assertEqual(listed["Feature"], "SecurityHub")
        self.assertRegex(self.hub(admin).describe_hub()["HubArn"], HUB_ARN)
        self.assertClientError(self.hub(admin, LINKED).describe_hub, "InvalidAccessException", 401,
                               not_subscribed(admin))
        self.assertEqual(self.admins(LINKED), [], "a designation is per Region")
        principals = [entry["ServicePrincipal"] for entry in
                      self.org().list_aws_service_access_for_organization()["EnabledServicePrincipals"]]
        self.assertIn(SECURITYHUB, principals)
        delegated = self.org().list_delegated_administrators(ServicePrincipal=SECURITYHUB)
        self.assertEqual([entry["Id"] for entry in delegated["DelegatedAdministrators"]], [admin])
        # Designating the same account again changes nothing.
        self.designate(admin)
        self.assertEqual(self.admins(), [{"AccountId": admin, "Status": "ENABLED"}])

    def test_the_same_delegated_administrator_in_every_region(self):
        admin, (member, _) = self.organization()
        self.designate(admin)
        self.designate(admin, LINKED)
        self.assertEqual(self.admins(LINKED), [{"AccountId": admin, "Status": "ENABLED"}])
        self.assertClientError(
            lambda: self.hub(MANAGEMENT, OTHER).enable_organization_admin_account(AdminAccountId=member),
            "InvalidInputException", 400)
        # The management account itself may be designated instead.
        self.designate(MANAGEMENT, OTHER)
        self.assertEqual(self.admins(OTHER), [{"AccountId": MANAGEMENT, "Status": "ENABLED"}])

    def test_another_administrator_in_the_region_is_refused(self):
        admin, (member, _) = self.organization()
        self.designate(admin)
        self.assertClientError(
            lambda: self.hub(MANAGEMENT).enable_organization_admin_account(AdminAccountId=member),
            "InvalidInputException", 400)

    def test_only_the_management_account_designates(self):
        admin, (member, _) = self.organization()
        self.assertClientError(
            lambda: self.hub(member).enable_organization_admin_account(AdminAccountId=admin),
            "AccessDeniedException", 403)
        self.assertClientError(
            lambda: self.hub(OUTSIDER).enable_organization_admin_account(AdminAccountId=admin),
            "AccessDeniedException", 403, NOT_IN_ORGANIZATION)
        self.assertClientError(lambda: self.hub(member).list_organization_admin_accounts(),
                               "AccessDeniedException", 403)
        self.assertClientError(lambda: self.hub(OUTSIDER).list_organization_admin_accounts(),
                               "AccessDeniedException", 403, NOT_IN_ORGANIZATION)

    def test_the_administrator_must_be_in_the_organization(self):
        self.organization()
        self.assertClientError(
            lambda: self.hub(MANAGEMENT).enable_organization_admin_account(AdminAccountId=OUTSIDER),
            "InvalidInputException", 400)

    def test_disabling_an_administrator_goes_through_disable_in_progress(self):
        """DisableOrganizationAdminAccount: DISABLE_IN_PROGRESS until the lifecycle removes it;
        meanwhile the administrator can't disable Security Hub (terraform-provider-aws retries on
        that message), afterwards it can. Organizations keeps the registration."""
        admin, (member, _) = self.organization()
        self.designate(admin)
        self.hub(admin).create_members(AccountDetails=[{"AccountId": member}])
        self.assertClientError(self.hub(admin).disable_security_hub, "InvalidInputException", 400,
                               CANNOT_DISABLE_ADMIN)
        self.hub(MANAGEMENT).disable_organization_admin_account(AdminAccountId=admin)
        self.assertEqual(self.admins(), [{"AccountId": admin, "Status": "DISABLE_IN_PROGRESS"}])
        self.assertClientError(self.hub(admin).disable_security_hub, "InvalidInputException", 400,
                               CANNOT_DISABLE_ADMIN)
        self.assertClientError(self.hub(admin).describe_organization_configuration,
                               "InvalidAccessException", 401, not_an_administrator(admin))
        self.advance()
        self.assertEqual(self.admins(), [])
        self.assertEqual(self.member_ids(admin), [], "organization members leave with their administrator")
        self.hub(admin).disable_security_hub()
        delegated = self.org().list_delegated_administrators(ServicePrincipal=SECURITYHUB)
        self.assertEqual([entry["Id"] for entry in delegated["DelegatedAdministrators"]], [admin])
        # Another account of the organization can't be designated while Organizations has the first.
        self.assertClientError(
            lambda: self.hub(MANAGEMENT).enable_organization_admin_account(AdminAccountId=member),
            "InvalidInputException", 400)
        self.designate(admin)
        self.assertEqual(self.admins(), [{"AccountId": admin, "Status": "ENABLED"}])

    def test_disabling_needs_the_current_administrator_and_the_management_account(self):
        admin, (member, _) = self.organization()
        self.assertClientError(
            lambda: self.hub(MANAGEMENT).disable_organization_admin_account(AdminAccountId=admin),
            "InvalidInputException", 400)
        self.designate(admin)
        self.assertClientError(
            lambda: self.hub(MANAGEMENT).disable_organization_admin_account(AdminAccountId=member),
            "InvalidInputException", 400)
        self.assertClientError(
            lambda: self.hub(MANAGEMENT, LINKED).disable_organization_admin_account(AdminAccountId=admin),
            "InvalidInputException", 400)
        self.assertClientError(
            lambda: self.hub(admin).disable_organization_admin_account(AdminAccountId=admin),
            "AccessDeniedException", 403)
        self.assertClientError(
            lambda: self.hub(OUTSIDER).disable_organization_admin_account(AdminAccountId=admin),
            "AccessDeniedException", 403, NOT_IN_ORGANIZATION)

    def test_deregistering_in_organizations_removes_the_administrator(self):
        """'If you use the Organizations API to remove the delegated Security Hub administrator
        account, it is automatically removed in all Regions.'"""
        admin, _ = self.organization()
        self.designate(admin)
        self.designate(admin, LINKED)
        self.org().deregister_delegated_administrator(AccountId=admin, ServicePrincipal=SECURITYHUB)
        self.assertEqual(self.admins(), [])
        self.assertEqual(self.admins(LINKED), [])
        self.assertClientError(
            lambda: self.hub(admin).update_organization_configuration(AutoEnable=True),
            "InvalidAccessException", 401, not_an_administrator(admin))

    def test_invalid_next_token(self):
        self.organization()
        self.assertClientError(
            lambda: self.hub(MANAGEMENT).list_organization_admin_accounts(NextToken="forged"),
            "InvalidInputException", 400)

    def test_security_hub_v2_takes_a_member_account_only(self):
        admin, _ = self.organization()
        self.assertClientError(
            lambda: self.hub(MANAGEMENT).enable_organization_admin_account(AdminAccountId=MANAGEMENT,
                                                                           Feature="SecurityHubV2"),
            "InvalidInputException", 400)
        response = self.hub(MANAGEMENT).enable_organization_admin_account(AdminAccountId=admin,
                                                                         Feature="SecurityHubV2")
        self.assertEqual(response["Feature"], "SecurityHubV2")
        listed = self.hub(MANAGEMENT).list_organization_admin_accounts(Feature="SecurityHubV2")
        self.assertEqual(listed["AdminAccounts"], [{"AccountId": admin, "Status": "ENABLED"}])
        self.assertEqual(listed["Feature"], "SecurityHubV2")
        self.assertEqual(self.admins(), [], "the CSPM designation is separate")


class OrganizationConfigurationTest(SecurityHubTestCase):
    def test_local_configuration(self):
        admin, _ = self.organization()
        self.designate(admin)
        self.assertEqual(self.configuration(admin), {
            "AutoEnable": False, "MemberAccountLimitReached": False, "AutoEnableStandards": "DEFAULT",
            "OrganizationConfiguration": {"ConfigurationType": "LOCAL", "Status": "ENABLED"}})
        self.hub(admin).update_organization_configuration(AutoEnable=True, AutoEnableStandards="NONE")
        configuration = self.configuration(admin)
        self.assertTrue(configuration["AutoEnable"])
        self.assertEqual(configuration["AutoEnableStandards"], "NONE")
        self.hub(admin).update_organization_configuration(AutoEnable=False)
        configuration = self.configuration(admin)
        self.assertFalse(configuration["AutoEnable"])
        self.assertEqual(configuration["AutoEnableStandards"], "NONE", "kept when not given")

    def test_only_the_regions_administrator(self):
        """UpdateOrganizationConfiguration from the management account, a member, the
        administrator outside its Region and an outsider; DescribeOrganizationConfiguration asks
        for a subscribed account first."""
        admin, (member, _) = self.organization()
        self.hub(MANAGEMENT).enable_security_hub()
        # Before any designation (terraform-provider-aws issue 30285).
        self.assertClientError(lambda: self.hub(MANAGEMENT).update_organization_configuration(AutoEnable=True),
                               "InvalidAccessException", 401, not_an_administrator(MANAGEMENT))
        self.designate(admin)
        for account, region in [(MANAGEMENT, HOME), (member, HOME), (admin, LINKED), (OUTSIDER, HOME)]:
            with self.subTest(account=account, region=region):
                self.assertClientError(
                    lambda: self.hub(account, region).update_organization_configuration(AutoEnable=True),
                    "InvalidAccessException", 401, not_an_administrator(account))
        self.assertClientError(self.hub(MANAGEMENT).describe_organization_configuration,
                               "InvalidAccessException", 401, not_an_administrator(MANAGEMENT))
        self.assertClientError(self.hub(admin, LINKED).describe_organization_configuration,
                               "InvalidAccessException", 401, not_subscribed(admin))
        self.hub(admin, LINKED).enable_security_hub()
        self.assertClientError(self.hub(admin, LINKED).describe_organization_configuration,
                               "InvalidAccessException", 401, not_an_administrator(admin))
        self.assertClientError(self.hub(OUTSIDER).describe_organization_configuration,
                               "InvalidAccessException", 401, not_subscribed(OUTSIDER))

    def test_central_configuration_goes_pending_then_enabled(self):
        """CENTRAL needs a finding aggregator in the home Region; the configuration is PENDING
        until the lifecycle enables it. The home Region's administrator then administers every
        linked Region, and can't be removed through Security Hub, nor its aggregator deleted."""
        admin, _ = self.organization()
        self.designate(admin)
        aggregator = self.hub(admin).create_finding_aggregator(
            RegionLinkingMode="SPECIFIED_REGIONS", Regions=[LINKED])["FindingAggregatorArn"]
        self.central(admin)
        configuration = self.configuration(admin)
        self.assertEqual(configuration["OrganizationConfiguration"],
                         {"ConfigurationType": "CENTRAL", "Status": "PENDING"})
        self.assertFalse(configuration["AutoEnable"])
        self.assertEqual(configuration["AutoEnableStandards"], "NONE")
        self.advance()
        self.assertEqual(self.configuration(admin)["OrganizationConfiguration"],
                         {"ConfigurationType": "CENTRAL", "Status": "ENABLED", "StatusMessage": CENTRAL_ENABLED})
        # Asking again changes nothing.
        self.central(admin)
        self.assertEqual(self.configuration(admin)["OrganizationConfiguration"]["Status"], "ENABLED")

        # Linked Region: same administrator, same configuration; an unlinked one is not covered.
        self.assertEqual(self.admins(LINKED), [{"AccountId": admin, "Status": "ENABLED"}])
        self.assertEqual(self.admins(OTHER), [])
        self.hub(admin, LINKED).enable_security_hub()
        self.assertEqual(self.configuration(admin, LINKED)["OrganizationConfiguration"]["ConfigurationType"],
                         "CENTRAL")
        self.assertClientError(
            lambda: self.hub(admin, LINKED).update_organization_configuration(
                AutoEnable=False, OrganizationConfiguration={"ConfigurationType": "LOCAL"}),
            "InvalidInputException", 400)

        self.assertClientError(
            lambda: self.hub(MANAGEMENT).disable_organization_admin_account(AdminAccountId=admin),
            "AccessDeniedException", 403)
        self.assertClientError(
            lambda: self.hub(admin).delete_finding_aggregator(FindingAggregatorArn=aggregator),
            "InvalidInputException", 400)

        # Back to local configuration: ENABLED at once; then the aggregator can go.
        self.hub(admin).update_organization_configuration(
            AutoEnable=False, OrganizationConfiguration={"ConfigurationType": "LOCAL"})
        self.assertEqual(self.configuration(admin)["OrganizationConfiguration"],
                         {"ConfigurationType": "LOCAL", "Status": "ENABLED"})
        self.assertEqual(self.admins(LINKED), [])
        self.hub(admin).delete_finding_aggregator(FindingAggregatorArn=aggregator)

    def test_central_configuration_refuses_auto_enable(self):
        admin, _ = self.organization()
        self.designate(admin)
        self.hub(admin).create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")
        for auto_enable, standards in [(True, "NONE"), (False, "DEFAULT"), (True, None)]:
            with self.subTest(auto_enable=auto_enable, standards=standards):
                kwargs = {"AutoEnable": auto_enable, "OrganizationConfiguration": {"ConfigurationType": "CENTRAL"}}
                if standards:
                    kwargs["AutoEnableStandards"] = standards
                self.assertClientError(lambda: self.hub(admin).update_organization_configuration(**kwargs),
                                       "InvalidInputException", 400, AUTO_ENABLE_CENTRAL)
        self.central(admin)
        self.advance()
        # Once CENTRAL, a request without ConfigurationType stays CENTRAL.
        self.assertClientError(lambda: self.hub(admin).update_organization_configuration(AutoEnable=True),
                               "InvalidInputException", 400, AUTO_ENABLE_CENTRAL)

    def test_central_configuration_fails_without_a_home_region(self):
        """Without a finding aggregator, or with one in another Region, CENTRAL goes PENDING and
        then FAILED with a StatusMessage (terraform-provider-aws reports it)."""
        admin, _ = self.organization()
        self.designate(admin)
        self.central(admin)
        self.advance()
        configuration = self.configuration(admin)["OrganizationConfiguration"]
        self.assertEqual(configuration["ConfigurationType"], "CENTRAL")
        self.assertEqual(configuration["Status"], "FAILED")
        self.assertIn("finding aggregator", configuration["StatusMessage"])

        self.designate(admin, LINKED)
        self.hub(admin, LINKED).create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")
        self.central(admin)
        self.assertEqual(self.configuration(admin)["OrganizationConfiguration"]["Status"], "PENDING")
        self.advance()
        configuration = self.configuration(admin)["OrganizationConfiguration"]
        self.assertEqual(configuration["Status"], "FAILED")
        self.assertIn(LINKED, configuration["StatusMessage"])

    def test_central_configuration_needs_a_member_account_as_administrator(self):
        self.organization()
        self.hub(MANAGEMENT).enable_organization_admin_account(AdminAccountId=MANAGEMENT)
        self.hub(MANAGEMENT).create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")
        self.central(MANAGEMENT)
        self.advance()
        configuration = self.configuration(MANAGEMENT)["OrganizationConfiguration"]
        self.assertEqual(configuration["Status"], "FAILED")
        self.assertIn("management account", configuration["StatusMessage"])


class FindingAggregatorTest(SecurityHubTestCase):
    def test_create_get_update_list_delete(self):
        hub = self.hub(OUTSIDER)
        hub.enable_security_hub()
        created = hub.create_finding_aggregator(RegionLinkingMode="SPECIFIED_REGIONS",
                                                Regions=["us-west-1", "us-west-2"])
        arn = created["FindingAggregatorArn"]
        self.assertRegex(arn, AGGREGATOR_ARN)
        self.assertTrue(arn.startswith(f"arn:aws:securityhub:{HOME}:{OUTSIDER}:finding-aggregator/"))
        self.assertEqual(created["FindingAggregationRegion"], HOME)
        self.assertEqual(created["RegionLinkingMode"], "SPECIFIED_REGIONS")
        self.assertEqual(created["Regions"], ["us-west-1", "us-west-2"])
        got = hub.get_finding_aggregator(FindingAggregatorArn=arn)
        got.pop("ResponseMetadata")
        created.pop("ResponseMetadata")
        self.assertEqual(got, created)

        updated = hub.update_finding_aggregator(FindingAggregatorArn=arn,
                                                RegionLinkingMode="ALL_REGIONS_EXCEPT_SPECIFIED",
                                                Regions=["eu-west-3"])
        self.assertEqual(updated["RegionLinkingMode"], "ALL_REGIONS_EXCEPT_SPECIFIED")
        self.assertEqual(updated["Regions"], ["eu-west-3"])
        updated = hub.update_finding_aggregator(FindingAggregatorArn=arn, RegionLinkingMode="ALL_REGIONS")
        self.assertEqual(updated["RegionLinkingMode"], "ALL_REGIONS")
        self.assertNotIn("Regions", updated)

        # The aggregator is the account's, whichever Region asks.
        self.hub(OUTSIDER, LINKED).enable_security_hub()
        self.assertEqual(self.hub(OUTSIDER, LINKED).list_finding_aggregators()["FindingAggregators"],
                         [{"FindingAggregatorArn": arn}])
        self.assertEqual(self.hub(OUTSIDER, LINKED).get_finding_aggregator(
            FindingAggregatorArn=arn)["FindingAggregationRegion"], HOME)
        self.assertClientError(
            lambda: self.hub(OUTSIDER, LINKED).update_finding_aggregator(FindingAggregatorArn=arn,
                                                                         RegionLinkingMode="NO_REGIONS"),
            "InvalidInputException", 400)
        self.assertClientError(
            lambda: self.hub(OUTSIDER, LINKED).delete_finding_aggregator(FindingAggregatorArn=arn),
            "InvalidInputException", 400)

        hub.delete_finding_aggregator(FindingAggregatorArn=arn)
        self.assertEqual(hub.list_finding_aggregators()["FindingAggregators"], [])
        self.assertClientError(lambda: hub.get_finding_aggregator(FindingAggregatorArn=arn),
                               "ResourceNotFoundException", 404)
        self.assertClientError(lambda: hub.delete_finding_aggregator(FindingAggregatorArn=arn),
                               "ResourceNotFoundException", 404)

    def test_one_aggregator_per_account(self):
        self.hub(OUTSIDER).enable_security_hub()
        self.hub(OUTSIDER, LINKED).enable_security_hub()
        self.hub(OUTSIDER).create_finding_aggregator(RegionLinkingMode="NO_REGIONS")
        self.assertClientError(
            lambda: self.hub(OUTSIDER, LINKED).create_finding_aggregator(RegionLinkingMode="ALL_REGIONS"),
            "ResourceConflictException", 409)

    def test_invalid_linking(self):
        self.hub(OUTSIDER).enable_security_hub()
        hub = self.hub(OUTSIDER)
        for kwargs in [{"RegionLinkingMode": "SOME_REGIONS"},
                       {"RegionLinkingMode": "NO_REGIONS", "Regions": ["us-west-2"]},
                       {"RegionLinkingMode": "SPECIFIED_REGIONS", "Regions": ["not a region"]}]:
            with self.subTest(**kwargs):
                self.assertClientError(lambda: hub.create_finding_aggregator(**kwargs),
                                       "InvalidInputException", 400)
        self.assertEqual(hub.list_finding_aggregators()["FindingAggregators"], [])

    def test_needs_a_hub_and_a_non_member_account(self):
        self.assertClientError(
            lambda: self.hub(OUTSIDER).create_finding_aggregator(RegionLinkingMode="ALL_REGIONS"),
            "InvalidAccessException", 401, not_subscribed(OUTSIDER))
        self.assertClientError(self.hub(OUTSIDER).list_finding_aggregators, "InvalidAccessException", 401,
                               not_subscribed(OUTSIDER))
        admin, (member, _) = self.organization()
        self.designate(admin)
        self.hub(admin).create_members(AccountDetails=[{"AccountId": member}])
        self.assertClientError(
            lambda: self.hub(member).create_finding_aggregator(RegionLinkingMode="ALL_REGIONS"),
            "InvalidInputException", 400, MEMBER_AGGREGATOR)

    def test_another_accounts_aggregator_is_not_found(self):
        self.hub(OUTSIDER).enable_security_hub()
        self.hub(STRANGER).enable_security_hub()
        arn = self.hub(OUTSIDER).create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")["FindingAggregatorArn"]
        self.assertClientError(lambda: self.hub(STRANGER).get_finding_aggregator(FindingAggregatorArn=arn),
                               "ResourceNotFoundException", 404)


class MembersTest(SecurityHubTestCase):
    def test_the_administrator_enables_organization_accounts(self):
        """Organization accounts become members at once (MemberStatus Enabled, no invitation)
        and get Security Hub; the management account must have enabled it itself."""
        admin, (member, second) = self.organization()
        self.designate(admin)
        self.assertClientError(self.hub(member).describe_hub, "InvalidAccessException", 401,
                               not_subscribed(member))
        response = self.hub(admin).create_members(AccountDetails=[{"AccountId": member}, {"AccountId": MANAGEMENT}])
        self.assertEqual([entry["AccountId"] for entry in response["UnprocessedAccounts"]], [MANAGEMENT])
        self.assertRegex(self.hub(member).describe_hub()["HubArn"], HUB_ARN)
        got = self.hub(admin).get_members(AccountIds=[member, second])
        self.assertEqual(len(got["Members"]), 1)
        entry = got["Members"][0]
        self.assertEqual(entry["AccountId"], member)
        self.assertEqual(entry["MemberStatus"], "Enabled")
        self.assertEqual(entry["AdministratorId"], admin)
        self.assertEqual(entry["MasterId"], admin)
        self.assertIn("InvitedAt", entry)
        self.assertEqual([item["AccountId"] for item in got["UnprocessedAccounts"]], [second])

        self.hub(MANAGEMENT).enable_security_hub()
        self.assertEqual(self.hub(admin).create_members(
            AccountDetails=[{"AccountId": MANAGEMENT}])["UnprocessedAccounts"], [])
        self.assertEqual(self.member_ids(admin), sorted([member, MANAGEMENT]))
        # Adding a member twice changes nothing.
        self.assertEqual(self.hub(admin).create_members(
            AccountDetails=[{"AccountId": member}])["UnprocessedAccounts"], [])
        self.assertEqual(self.member_ids(admin), sorted([member, MANAGEMENT]))

    def test_accounts_outside_the_organization_wait_for_an_invitation(self):
        admin, _ = self.organization()
        self.designate(admin)
        response = self.hub(admin).create_members(AccountDetails=[
            {"AccountId": OUTSIDER, "Email": "outsider@example.com"}, {"AccountId": "12345"}, {"AccountId": admin}])
        self.assertEqual(sorted(entry["AccountId"] for entry in response["UnprocessedAccounts"]),
                         sorted(["12345", admin]))
        self.assertEqual(self.member_ids(admin), [], "OnlyAssociated is TRUE by default")
        listed = self.hub(admin).list_members(OnlyAssociated=False)["Members"]
        self.assertEqual([(entry["AccountId"], entry["MemberStatus"], entry["Email"]) for entry in listed],
                         [(OUTSIDER, "Created", "outsider@example.com")])

    def test_a_member_belongs_to_one_administrator(self):
        admin, (member, _) = self.organization()
        self.designate(admin)
        self.hub(admin).create_members(AccountDetails=[{"AccountId": member}])
        self.hub(OUTSIDER).enable_security_hub()
        response = self.hub(OUTSIDER).create_members(AccountDetails=[{"AccountId": member}])
        self.assertEqual([entry["AccountId"] for entry in response["UnprocessedAccounts"]], [member])

    def test_the_administrator_outside_its_region(self):
        """Outside the Regions it administers, the delegated administrator is an ordinary
        account: organization accounts it adds wait for an invitation there."""
        admin, (member, _) = self.organization()
        self.designate(admin)
        self.hub(admin, LINKED).enable_security_hub()
        self.hub(admin, LINKED).create_members(AccountDetails=[{"AccountId": member}])
        listed = self.hub(admin, LINKED).list_members(OnlyAssociated=False)["Members"]
        self.assertEqual([entry["MemberStatus"] for entry in listed], ["Created"])
        self.assertClientError(self.hub(member, LINKED).describe_hub, "InvalidAccessException", 401,
                               not_subscribed(member))

    def test_members_need_a_hub(self):
        self.assertClientError(lambda: self.hub(OUTSIDER).create_members(AccountDetails=[{"AccountId": STRANGER}]),
                               "InvalidAccessException", 401, not_subscribed(OUTSIDER))
        self.assertClientError(lambda: self.hub(OUTSIDER).get_members(AccountIds=[STRANGER]),
                               "InvalidAccessException", 401, not_subscribed(OUTSIDER))
        self.assertClientError(self.hub(OUTSIDER).list_members, "InvalidAccessException", 401,
                               not_subscribed(OUTSIDER))

    def test_list_members_pages(self):
        admin, members = self.organization(members=4)
        self.designate(admin)
        self.hub(admin).create_members(AccountDetails=[{"AccountId": account} for account in members])
        seen, token = [], None
        for _ in range(10):
            kwargs = {"MaxResults": 1, **({"NextToken": token} if token else {})}
            page = self.hub(admin).list_members(**kwargs)
            self.assertLessEqual(len(page["Members"]), 1)
            seen += [entry["AccountId"] for entry in page["Members"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(sorted(seen), sorted(members))
        paginated = [entry["AccountId"] for page in self.hub(admin).get_paginator("list_members").paginate(
            PaginationConfig={"PageSize": 3}) for entry in page["Members"]]
        self.assertEqual(sorted(paginated), sorted(members))
        self.assertClientError(lambda: self.hub(admin).list_members(NextToken="forged"),
                               "InvalidInputException", 400)
        # A token is good for its own query only.
        token = self.hub(admin).list_members(MaxResults=1)["NextToken"]
        self.assertClientError(lambda: self.hub(admin).list_members(OnlyAssociated=False, NextToken=token),
                               "InvalidInputException", 400)

    def test_auto_enable_adds_accounts_that_join(self):
        """With AutoEnable, accounts that join the organization become members of the
        administrator of each Region that turned it on, with Security Hub enabled there."""
        admin, (existing, _) = self.organization()
        self.designate(admin)
        self.hub(admin).update_organization_configuration(AutoEnable=True, AutoEnableStandards="NONE")
        (joined,) = self.create_accounts(1)
        self.assertEqual(self.member_ids(admin), [joined], "existing accounts are not enabled")
        self.assertRegex(self.hub(joined).describe_hub()["HubArn"], HUB_ARN)
        self.assertClientError(self.hub(joined, LINKED).describe_hub, "InvalidAccessException", 401,
                               not_subscribed(joined))
        # An account that leaves is no longer a member.
        self.org().remove_account_from_organization(AccountId=joined)
        self.assertEqual(self.member_ids(admin), [])
        self.assertNotIn(existing, self.member_ids(admin))


class TagsTest(SecurityHubTestCase):
    def test_tags_of_the_hub(self):
        hub = self.hub(OUTSIDER)
        hub.enable_security_hub(Tags={"team": "security", "env": "test"})
        arn = hub.describe_hub()["HubArn"]
        self.assertEqual(hub.list_tags_for_resource(ResourceArn=arn)["Tags"], {"team": "security", "env": "test"})
        hub.tag_resource(ResourceArn=arn, Tags={"env": "prod", "cost": "42"})
        self.assertEqual(hub.list_tags_for_resource(ResourceArn=arn)["Tags"],
                         {"team": "security", "env": "prod", "cost": "42"})
        hub.untag_resource(ResourceArn=arn, TagKeys=["team", "missing"])
        self.assertEqual(hub.list_tags_for_resource(ResourceArn=arn)["Tags"], {"env": "prod", "cost": "42"})
        hub.untag_resource(ResourceArn=arn, TagKeys=["env", "cost"])
        self.assertEqual(hub.list_tags_for_resource(ResourceArn=arn)["Tags"], {})

    def test_at_most_fifty_tags(self):
        hub = self.hub(OUTSIDER)
        hub.enable_security_hub(Tags={f"key{index}": "v" for index in range(45)})
        arn = hub.describe_hub()["HubArn"]
        self.assertClientError(
            lambda: hub.tag_resource(ResourceArn=arn, Tags={f"more{index}": "v" for index in range(6)}),
            "InvalidInputException", 400)
        hub.tag_resource(ResourceArn=arn, Tags={f"more{index}": "v" for index in range(5)})
        self.assertEqual(len(hub.list_tags_for_resource(ResourceArn=arn)["Tags"]), 50)

    def test_reserved_prefix_is_refused(self):
        hub = self.hub(OUTSIDER)
        hub.enable_security_hub()
        arn = hub.describe_hub()["HubArn"]
        self.assertClientError(lambda: hub.tag_resource(ResourceArn=arn, Tags={"aws:owner": "x"}),
                               "InvalidInputException", 400)

    def test_resources_that_are_not_the_callers_are_not_found(self):
        self.hub(OUTSIDER).enable_security_hub()
        self.hub(STRANGER).enable_security_hub()
        stranger_hub = f"arn:aws:securityhub:{HOME}:{STRANGER}:hub/default"
        missing_hub = f"arn:aws:securityhub:{LINKED}:{OUTSIDER}:hub/default"
        aggregator = self.hub(OUTSIDER).create_finding_aggregator(
            RegionLinkingMode="ALL_REGIONS")["FindingAggregatorArn"]
        for arn in [stranger_hub, missing_hub, aggregator]:
            with self.subTest(arn=arn):
                self.assertClientError(lambda: self.hub(OUTSIDER).list_tags_for_resource(ResourceArn=arn),
                                       "ResourceNotFoundException", 404)
                self.assertClientError(lambda: self.hub(OUTSIDER).tag_resource(ResourceArn=arn, Tags={"a": "b"}),
                                       "ResourceNotFoundException", 404)
                self.assertClientError(lambda: self.hub(OUTSIDER).untag_resource(ResourceArn=arn, TagKeys=["a"]),
                                       "ResourceNotFoundException", 404)

    def test_tags_go_with_the_hub(self):
        hub = self.hub(OUTSIDER)
        hub.enable_security_hub(Tags={"team": "security"})
        arn = hub.describe_hub()["HubArn"]
        hub.disable_security_hub()
        hub.enable_security_hub()
        self.assertEqual(hub.list_tags_for_resource(ResourceArn=arn)["Tags"], {})


class RestartTest(unittest.TestCase):
    """With --data-dir, a CENTRAL configuration still PENDING when cairn stops is enabled by
    the lifecycle after the restart (its due time is stored with it), and a designation being
    disabled finishes."""

    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="cairn-shub-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)

    def start(self):
        cairn = harness.Cairn("--data-dir", self.data_dir)
        self.addCleanup(cairn.stop)
        return cairn

    def test_pending_statuses_resume(self):
        cairn = self.start()
        org = cairn.client("organizations", account=MANAGEMENT)
        org.create_organization(FeatureSet="ALL")
        request_ids = [org.create_account(Email=f"m{index}@example.com", AccountName=f"m{index}")
                       ["CreateAccountStatus"]["Id"] for index in range(2)]
        cairn.admin("POST", "/_cairn/clock/advance", {"seconds": 2})
        admin, other = [org.describe_create_account_status(CreateAccountRequestId=request_id)
                        ["CreateAccountStatus"]["AccountId"] for request_id in request_ids]
        management = cairn.client("securityhub", account=MANAGEMENT)
        management.enable_organization_admin_account(AdminAccountId=admin)
        management.enable_organization_admin_account(AdminAccountId=admin, Feature="SecurityHubV2")
        hub = cairn.client("securityhub", account=admin)
        hub.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")
        hub.update_organization_configuration(AutoEnable=False, AutoEnableStandards="NONE",
                                              OrganizationConfiguration={"ConfigurationType": "CENTRAL"})
        management.disable_organization_admin_account(AdminAccountId=admin, Feature="SecurityHubV2")
        cairn.kill()

        cairn = self.start()
        hub = cairn.client("securityhub", account=admin)
        management = cairn.client("securityhub", account=MANAGEMENT)
        cairn.admin("POST", "/_cairn/clock/advance", {"seconds": 2})
        configuration = hub.describe_organization_configuration()["OrganizationConfiguration"]
        self.assertEqual(configuration["Status"], "ENABLED")
        self.assertEqual(management.list_organization_admin_accounts(Feature="SecurityHubV2")["AdminAccounts"], [])
        self.assertEqual(management.list_organization_admin_accounts()["AdminAccounts"],
                         [{"AccountId": admin, "Status": "ENABLED"}])
        self.assertNotEqual(admin, other)


if __name__ == "__main__":
    unittest.main()
