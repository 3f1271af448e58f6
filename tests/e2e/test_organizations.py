"""End-to-end: AWS Organizations through boto3 and the AWS CLI, acting as the management
account, a delegated administrator, a member and an account outside any organization (the
account is the request's access key id).

Covers every in-scope operation (api-catalog.md, organizations and "Added after"), the errors
the API reference documents for it with their code, message and Reason, the access rules, the
asynchronous CreateAccount/CloseAccount lifecycles and pagination across pages.

Messages are the ones cairn answers (services/organizations/errors.cc), which come from real
AWS responses where users reported them and from the API reference otherwise.
"""
import json
import os
import re
import subprocess
import time
import unittest

import botocore.exceptions

import harness
from harness import MANAGEMENT, CairnTestCase

OTHER_MANAGEMENT = "222222222222"  # manages a second, unrelated organization
OUTSIDER = "999999999999"          # in no organization
UNKNOWN_ACCOUNT = "123456789012"
UNKNOWN_OU = "ou-zzzz-zzzzzzzz"
UNKNOWN_ROOT = "r-zzzz"

ORGANIZATION_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
ROOT_ID = re.compile(r"^r-[0-9a-z]{4,32}$")
OU_ID = re.compile(r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")
ACCOUNT_ID = re.compile(r"^\d{12}$")
CREATE_ACCOUNT_REQUEST_ID = re.compile(r"^car-[a-z0-9]{8,32}$")

CONFIG = "config.amazonaws.com"
SECURITYHUB = "securityhub.amazonaws.com"
SSM = "ssm.amazonaws.com"

# Messages, as services/organizations/errors.cc answers them.
NOT_IN_USE = "Your account is not a member of an organization."
ACCESS_DENIED = "You don't have permissions to access this resource."
ALREADY_IN_ORGANIZATION = ("This account is already a member of an organization. An account can "
                           "belong to only one organization at a time.")
ACCOUNT_NOT_FOUND = "You specified an account that doesn't exist."
ACCOUNT_ALREADY_CLOSED = "The provided account is already closed."
ACCOUNT_ALREADY_REGISTERED = ("The provided account is already a delegated administrator for your "
                              "organization.")
ACCOUNT_NOT_REGISTERED = ("The provided account is not a registered delegated administrator for "
                          "your organization.")
CHILD_NOT_FOUND = "You specified a child that doesn't exist."
DESTINATION_PARENT_NOT_FOUND = ("We can't find the destination container (a root or OU) with the "
                                "ParentId that you specified.")
DUPLICATE_ACCOUNT = "That account is already present in the specified destination."
DUPLICATE_OU = "An OU with the same name already exists."
ORGANIZATION_NOT_EMPTY = ("To delete an organization you must first remove all member accounts "
                          "(except the master).")
OU_NOT_EMPTY = ("The specified OU is not empty. Move all accounts to another root or to other "
                "OUs, remove all child OUs, and try the operation again.")
OU_NOT_FOUND = "You specified an organizational unit that doesn't exist."
PARENT_NOT_FOUND = "You specified a parent that doesn't exist."
SOURCE_PARENT_NOT_FOUND = "We can't find a source root or OU with the ParentId that you specified."
TARGET_NOT_FOUND = "You specified a target that doesn't exist."
MASTER_CANNOT_LEAVE = ("You can't remove a management account from an organization. If you want "
                       "the management account to become a member account in another "
                       "organization, you must first delete the current organization of the "
                       "management account.")
INVALID_NEXT_TOKEN = "You specified an invalid value for nextToken."
OU_DEPTH = "You attempted to create an OU tree that is too many levels deep."
MAX_TAGS = "You have exceeded the number of tags allowed on this resource."
SERVICE_ACCESS_NOT_ENABLED = ("You attempted to register a delegated administrator before you "
                              "enabled service access. Call the EnableAWSServiceAccess API first.")
CANNOT_REGISTER_MASTER = ("You cannot register master account/yourself as delegated "
                          "administrator for your organization.")
CANNOT_REMOVE_DELEGATED_ADMIN = ("You attempted to remove an account that is registered as a "
                                 "delegated administrator for a service integrated with your "
                                 "organization. To complete this operation, you must first "
                                 "deregister this account as a delegated administrator.")
CANNOT_CLOSE_MANAGEMENT = ("You attempted to close the management account. To close the "
                           "management account for the organization, you must first either "
                           "remove or close all member accounts in the organization. Follow "
                           "standard account closure process using root credentials.")
NOT_ALL_FEATURES = ("You attempted to perform an operation that requires the organization to be "
                    "configured to support all features. An organization that supports only "
                    "consolidated billing features can't perform this operation.")


def create_account_status_not_found(request_id):
    return ("We can't find an create account request with the CreateAccountRequestId that you "
            "specified: " + request_id)


class OrganizationsTestCase(CairnTestCase):
    """Helpers that build an organization; every test starts from an empty cairn."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clients = {}

    def setUp(self):
        super().setUp()
        self._email_counter = 0

    def org(self, account=MANAGEMENT):
        """An Organizations client acting as `account` (its access key id)."""
        if account not in self._clients:
            self._clients[account] = self.cairn.client("organizations", account=account)
        return self._clients[account]

    def advance(self, seconds=2):
        """Moves cairn's clock; the lifecycle steps that fell due have run when it answers."""
        status, body = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": seconds})
        self.assertEqual(status, 200, body)

    def create_organization(self, account=MANAGEMENT, feature_set="ALL"):
        organization = self.org(account).create_organization(FeatureSet=feature_set)["Organization"]
        return organization, self.org(account).list_roots()["Roots"][0]["Id"]

    def start_account(self, name="member", tags=None, email=None, account=MANAGEMENT):
        """CreateAccount; returns the request id (the account is created 1 s of clock later)."""
        self._email_counter += 1
        kwargs = {"Email": email or f"{name}-{self._email_counter}@example.com",
                  "AccountName": f"{name} {self._email_counter}"}
        if tags is not None:
            kwargs["Tags"] = tags
        return self.org(account).create_account(**kwargs)["CreateAccountStatus"]["Id"]

    def create_accounts(self, count, name="member", account=MANAGEMENT):
        """Creates `count` accounts with one clock advance; returns their ids in order."""
        request_ids = [self.start_account(name, account=account) for _ in range(count)]
        self.advance()
        account_ids = []
        for request_id in request_ids:
            status = self.org(account).describe_create_account_status(
                CreateAccountRequestId=request_id)["CreateAccountStatus"]
            self.assertEqual(status["State"], "SUCCEEDED", status)
            account_ids.append(status["AccountId"])
        return account_ids

    def create_account(self, name="member"):
        return self.create_accounts(1, name)[0]

    def make_delegated_admin(self, principal=CONFIG, name="delegated"):
        """A new member account registered as delegated administrator for `principal`."""
        account_id = self.create_account(name)
        self.org().enable_aws_service_access(ServicePrincipal=principal)
        self.org().register_delegated_administrator(AccountId=account_id, ServicePrincipal=principal)
        return account_id

    def assertReason(self, call, code, reason, message=None):
        """A modelled Organizations error: botocore puts its Reason into the response."""
        response = self.assertClientError(call, code, status=400, message=message)
        self.assertEqual(response.get("Reason"), reason, response)
        return response

    def all_pages(self, call, list_member, page_size, start_token=None, **kwargs):
        """Follows NextToken (from start_token) with MaxResults=page_size; returns
        (items, pages)."""
        items, pages, token = [], 0, start_token
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


class OrganizationLifecycleTest(OrganizationsTestCase):
    """CreateOrganization, DescribeOrganization, DeleteOrganization."""

    def test_create_organization_with_all_features_returns_aws_ids_and_arns(self):
        organization, root_id = self.create_organization()
        self.assertRegex(organization["Id"], ORGANIZATION_ID)
        self.assertEqual(organization["Arn"],
                         f"arn:aws:organizations::{MANAGEMENT}:organization/{organization['Id']}")
        self.assertEqual(organization["FeatureSet"], "ALL")
        self.assertEqual(organization["MasterAccountId"], MANAGEMENT)
        self.assertEqual(organization["MasterAccountArn"],
                         f"arn:aws:organizations::{MANAGEMENT}:account/{organization['Id']}/"
                         f"{MANAGEMENT}")
        self.assertIn("@", organization["MasterAccountEmail"])
        self.assertEqual(organization["AvailablePolicyTypes"],
                         [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}])
        self.assertRegex(root_id, ROOT_ID)
        self.assertEqual(self.org().describe_organization()["Organization"], organization)

    def test_create_organization_with_consolidated_billing_has_no_trusted_access(self):
        organization, _ = self.create_organization(feature_set="CONSOLIDATED_BILLING")
        self.assertEqual(organization["FeatureSet"], "CONSOLIDATED_BILLING")
        self.assertEqual(organization["AvailablePolicyTypes"], [])
        self.assertEqual(self.org().describe_organization()["Organization"]["FeatureSet"],
                         "CONSOLIDATED_BILLING")
        self.assertReason(lambda: self.org().enable_aws_service_access(ServicePrincipal=CONFIG),
                          "ConstraintViolationException", "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE",
                          NOT_ALL_FEATURES)

    def test_create_organization_defaults_to_all_features(self):
        organization = self.org().create_organization()["Organization"]
        self.assertEqual(organization["FeatureSet"], "ALL")

    def test_create_organization_in_an_organization_is_already_in_organization(self):
        self.create_organization()
        member = self.create_account()
        for account in (MANAGEMENT, member):
            self.assertClientError(lambda: self.org(account).create_organization(FeatureSet="ALL"),
                                   "AlreadyInOrganizationException", 400, ALREADY_IN_ORGANIZATION)

    def test_describe_organization_outside_any_organization_is_not_in_use(self):
        self.assertClientError(lambda: self.org().describe_organization(),
                               "AWSOrganizationsNotInUseException", 400, NOT_IN_USE)
        self.create_organization()
        self.assertClientError(lambda: self.org(OUTSIDER).describe_organization(),
                               "AWSOrganizationsNotInUseException", 400, NOT_IN_USE)

    def test_member_account_may_describe_its_organization(self):
        organization, _ = self.create_organization()
        member = self.create_account()
        self.assertEqual(self.org(member).describe_organization()["Organization"], organization)

    def test_organizations_are_separate(self):
        """Two management accounts, two organizations: each sees only its own."""
        mine, _ = self.create_organization()
        theirs, _ = self.create_organization(account=OTHER_MANAGEMENT)
        self.assertNotEqual(mine["Id"], theirs["Id"])
        self.assertEqual(theirs["MasterAccountId"], OTHER_MANAGEMENT)
        self.assertEqual([a["Id"] for a in self.org(OTHER_MANAGEMENT).list_accounts()["Accounts"]],
                         [OTHER_MANAGEMENT])
        self.assertClientError(
            lambda: self.org().describe_account(AccountId=OTHER_MANAGEMENT),
            "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)

    def test_delete_organization_with_members_is_organization_not_empty(self):
        self.create_organization()
        self.create_account()
        self.assertClientError(lambda: self.org().delete_organization(),
                               "OrganizationNotEmptyException", 400, ORGANIZATION_NOT_EMPTY)
        self.org().describe_organization()

    def test_delete_empty_organization_leaves_the_management_account_outside(self):
        first, root_id = self.create_organization()
        self.org().create_organizational_unit(ParentId=root_id, Name="Workloads")
        self.org().enable_aws_service_access(ServicePrincipal=CONFIG)
        self.org().delete_organization()
        for call in (self.org().describe_organization, self.org().list_accounts,
                     self.org().list_roots):
            self.assertClientError(call, "AWSOrganizationsNotInUseException", 400, NOT_IN_USE)
        # The account may start again: a new organization with nothing of the old one.
        second, second_root = self.create_organization()
        self.assertNotEqual(second["Id"], first["Id"])
        self.assertEqual(self.org().list_organizational_units_for_parent(
            ParentId=second_root)["OrganizationalUnits"], [])
        self.assertEqual(self.org().list_aws_service_access_for_organization()[
            "EnabledServicePrincipals"], [])

    def test_delete_organization_after_removing_its_members(self):
        self.create_organization()
        member = self.create_account()
        self.org().remove_account_from_organization(AccountId=member)
        self.org().delete_organization()
        self.assertClientError(lambda: self.org().describe_organization(),
                               "AWSOrganizationsNotInUseException", 400, NOT_IN_USE)

    def test_delete_organization_is_for_the_management_account_only(self):
        self.create_organization()
        member = self.create_account()
        self.assertClientError(lambda: self.org(member).delete_organization(),
                               "AccessDeniedException", 400, ACCESS_DENIED)
        self.assertClientError(lambda: self.org(OUTSIDER).delete_organization(),
                               "AWSOrganizationsNotInUseException", 400, NOT_IN_USE)


class AccountTest(OrganizationsTestCase):
    """CreateAccount, DescribeCreateAccountStatus, ListCreateAccountStatus, ListAccounts,
    DescribeAccount, MoveAccount, RemoveAccountFromOrganization, CloseAccount."""

    def setUp(self):
        super().setUp()
        self.organization, self.root_id = self.create_organization()

    def describe_status(self, request_id):
        return self.org().describe_create_account_status(
            CreateAccountRequestId=request_id)["CreateAccountStatus"]

    def test_create_account_is_in_progress_then_succeeded_through_the_lifecycle(self):
        response = self.org().create_account(Email="alice@example.com", AccountName="Alice")
        status = response["CreateAccountStatus"]
        self.assertRegex(status["Id"], CREATE_ACCOUNT_REQUEST_ID)
        self.assertEqual(status["AccountName"], "Alice")
        self.assertEqual(status["State"], "IN_PROGRESS")
        self.assertIn("RequestedTimestamp", status)
        self.assertNotIn("AccountId", status)
        self.assertNotIn("CompletedTimestamp", status)
        self.assertNotIn("FailureReason", status)
        pending = self.describe_status(status["Id"])
        self.assertEqual(pending["State"], "IN_PROGRESS")
        self.assertNotIn("AccountId", pending)
        self.assertNotIn("CompletedTimestamp", pending)

        self.advance()
        done = self.describe_status(status["Id"])
        self.assertEqual(done["State"], "SUCCEEDED")
        self.assertRegex(done["AccountId"], ACCOUNT_ID)
        self.assertGreaterEqual(done["CompletedTimestamp"], done["RequestedTimestamp"])
        self.assertNotIn("FailureReason", done)

        account = self.org().describe_account(AccountId=done["AccountId"])["Account"]
        self.assertEqual(account["Id"], done["AccountId"])
        self.assertEqual(account["Arn"], f"arn:aws:organizations::{MANAGEMENT}:account/"
                                         f"{self.organization['Id']}/{done['AccountId']}")
        self.assertEqual(account["Email"], "alice@example.com")
        self.assertEqual(account["Name"], "Alice")
        self.assertEqual(account["Status"], "ACTIVE")
        self.assertEqual(account["State"], "ACTIVE")
        self.assertEqual(account["JoinedMethod"], "CREATED")
        self.assertIn("JoinedTimestamp", account)
        # A created account starts in the root.
        self.assertEqual(self.org().list_parents(ChildId=done["AccountId"])["Parents"],
                         [{"Id": self.root_id, "Type": "ROOT"}])

    def test_create_account_completes_in_real_time_through_the_background_scheduler(self):
        """On the real clock (cairn's default) an account is created a second later with no
        clock advance."""
        cairn = harness.Cairn("--clock", "real")
        try:
            org = cairn.client("organizations", account=MANAGEMENT)
            org.create_organization()
            request_id = org.create_account(Email="real@example.com", AccountName="real")["CreateAccountStatus"]["Id"]
            deadline = time.monotonic() + 5
            status = org.describe_create_account_status(CreateAccountRequestId=request_id)["CreateAccountStatus"]
            while status["State"] == "IN_PROGRESS" and time.monotonic() < deadline:
                time.sleep(0.1)
                status = org.describe_create_account_status(CreateAccountRequestId=request_id)["CreateAccountStatus"]
            self.assertEqual(status["State"], "SUCCEEDED", status)
            self.assertRegex(status["AccountId"], ACCOUNT_ID)
        finally:
            cairn.stop()

    def test_create_account_with_an_existing_email_fails_with_email_already_exists(self):
        first = self.start_account(email="taken@example.com")
        self.advance()
        self.assertEqual(self.describe_status(first)["State"], "SUCCEEDED")
        for email in ("taken@example.com", self.organization["MasterAccountEmail"]):
            request_id = self.start_account(email=email)
            self.assertEqual(self.describe_status(request_id)["State"], "IN_PROGRESS")
            self.advance()
            failed = self.describe_status(request_id)
            self.assertEqual(failed["State"], "FAILED", failed)
            self.assertEqual(failed["FailureReason"], "EMAIL_ALREADY_EXISTS")
            self.assertIn("CompletedTimestamp", failed)
            self.assertNotIn("AccountId", failed)
        self.assertEqual(len(self.org().list_accounts()["Accounts"]), 2)

    def test_describe_create_account_status_of_unknown_request_is_not_found(self):
        request_id = "car-0123456789abcdef0123456789abcdef"
        self.assertClientError(
            lambda: self.org().describe_create_account_status(CreateAccountRequestId=request_id),
            "CreateAccountStatusNotFoundException", 400,
            create_account_status_not_found(request_id))

    def test_create_account_requests_of_another_organization_are_not_found(self):
        self.create_organization(account=OTHER_MANAGEMENT)
        theirs = self.start_account(account=OTHER_MANAGEMENT)
        self.assertClientError(
            lambda: self.org().describe_create_account_status(CreateAccountRequestId=theirs),
            "CreateAccountStatusNotFoundException", 400, create_account_status_not_found(theirs))
        self.assertEqual(self.org().list_create_account_status()["CreateAccountStatuses"], [])

    def test_list_create_account_status_filters_by_state(self):
        succeeded = {self.start_account(email="one@example.com"), self.start_account()}
        failed = {self.start_account(email="one@example.com")}
        self.advance()
        in_progress = {self.start_account()}

        def listed(**kwargs):
            statuses = self.org().list_create_account_status(**kwargs)["CreateAccountStatuses"]
            return {status["Id"] for status in statuses}

        self.assertEqual(listed(), succeeded | failed | in_progress)
        self.assertEqual(listed(States=["SUCCEEDED"]), succeeded)
        self.assertEqual(listed(States=["FAILED"]), failed)
        self.assertEqual(listed(States=["IN_PROGRESS"]), in_progress)
        self.assertEqual(listed(States=["SUCCEEDED", "FAILED"]), succeeded | failed)
        statuses = self.org().list_create_account_status(States=["FAILED"])["CreateAccountStatuses"]
        self.assertEqual(statuses[0]["FailureReason"], "EMAIL_ALREADY_EXISTS")

    def test_created_account_acts_as_itself(self):
        """Requests signed with a created account's id are that member account's requests."""
        member = self.create_account()
        self.assertEqual(self.org(member).describe_organization()["Organization"]["Id"],
                         self.organization["Id"])
        self.assertClientError(lambda: self.org(member).list_accounts(),
                               "AccessDeniedException", 400, ACCESS_DENIED)
        self.assertClientError(lambda: self.org(member).describe_account(AccountId=member),
                               "AccessDeniedException", 400, ACCESS_DENIED)

    def test_list_accounts_holds_the_management_account_and_created_accounts(self):
        members = self.create_accounts(2)
        accounts = {account["Id"]: account for account in self.org().list_accounts()["Accounts"]}
        self.assertEqual(set(accounts), {MANAGEMENT, *members})
        self.assertEqual(accounts[MANAGEMENT]["JoinedMethod"], "INVITED")
        self.assertEqual(accounts[MANAGEMENT]["Email"], self.organization["MasterAccountEmail"])
        self.assertEqual(accounts[MANAGEMENT]["Arn"], self.organization["MasterAccountArn"])
        for member in members:
            self.assertEqual(accounts[member]["JoinedMethod"], "CREATED")
            self.assertEqual(accounts[member]["Status"], "ACTIVE")

    def test_describe_account_of_unknown_account_is_account_not_found(self):
        self.assertClientError(lambda: self.org().describe_account(AccountId=UNKNOWN_ACCOUNT),
                               "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)
        self.assertClientError(lambda: self.org().describe_account(AccountId=OUTSIDER),
                               "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)

    def test_move_account_between_root_and_organizational_unit(self):
        member = self.create_account()
        unit = self.org().create_organizational_unit(ParentId=self.root_id, Name="Prod")[
            "OrganizationalUnit"]["Id"]
        self.org().move_account(AccountId=member, SourceParentId=self.root_id,
                                DestinationParentId=unit)
        self.assertEqual(self.org().list_parents(ChildId=member)["Parents"],
                         [{"Id": unit, "Type": "ORGANIZATIONAL_UNIT"}])
        self.assertEqual([a["Id"] for a in self.org().list_accounts_for_parent(
            ParentId=unit)["Accounts"]], [member])
        self.assertNotIn(member, [a["Id"] for a in self.org().list_accounts_for_parent(
            ParentId=self.root_id)["Accounts"]])
        self.org().move_account(AccountId=member, SourceParentId=unit,
                                DestinationParentId=self.root_id)
        self.assertEqual(self.org().list_parents(ChildId=member)["Parents"],
                         [{"Id": self.root_id, "Type": "ROOT"}])

    def test_move_account_with_a_wrong_parent_or_account_is_refused(self):
        member = self.create_account()
        unit = self.org().create_organizational_unit(ParentId=self.root_id, Name="Prod")[
            "OrganizationalUnit"]["Id"]

        def move(account, source, destination):
            return lambda: self.org().move_account(AccountId=account, SourceParentId=source,
                                                   DestinationParentId=destination)

        self.assertClientError(move(member, UNKNOWN_OU, unit), "SourceParentNotFoundException",
                               400, SOURCE_PARENT_NOT_FOUND)
        self.assertClientError(move(member, self.root_id, UNKNOWN_OU),
                               "DestinationParentNotFoundException", 400,
                               DESTINATION_PARENT_NOT_FOUND)
        self.assertClientError(move(member, self.root_id, self.root_id),
                               "DuplicateAccountException", 400, DUPLICATE_ACCOUNT)
        self.assertClientError(move(UNKNOWN_ACCOUNT, self.root_id, unit),
                               "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)
        # The account is in the root, not in the source the caller names.
        other = self.org().create_organizational_unit(ParentId=self.root_id, Name="Dev")[
            "OrganizationalUnit"]["Id"]
        self.assertClientError(move(member, other, unit), "SourceParentNotFoundException", 400,
                               SOURCE_PARENT_NOT_FOUND)
        self.assertEqual(self.org().list_parents(ChildId=member)["Parents"][0]["Id"], self.root_id)

    def test_remove_account_from_organization_leaves_it_outside(self):
        member, staying = self.create_accounts(2)
        self.org().remove_account_from_organization(AccountId=member)
        self.assertEqual({a["Id"] for a in self.org().list_accounts()["Accounts"]},
                         {MANAGEMENT, staying})
        self.assertClientError(lambda: self.org().describe_account(AccountId=member),
                               "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)
        self.assertClientError(lambda: self.org(member).describe_organization(),
                               "AWSOrganizationsNotInUseException", 400, NOT_IN_USE)
        # Standalone again, it may create an organization of its own.
        theirs = self.org(member).create_organization(FeatureSet="ALL")["Organization"]
        self.assertEqual(theirs["MasterAccountId"], member)
        self.assertNotEqual(theirs["Id"], self.organization["Id"])

    def test_remove_management_account_is_master_cannot_leave_organization(self):
        self.assertClientError(
            lambda: self.org().remove_account_from_organization(AccountId=MANAGEMENT),
            "MasterCannotLeaveOrganizationException", 400, MASTER_CANNOT_LEAVE)

    def test_remove_delegated_administrator_is_a_constraint_violation(self):
        delegated = self.make_delegated_admin()
        self.assertReason(
            lambda: self.org().remove_account_from_organization(AccountId=delegated),
            "ConstraintViolationException", "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG",
            CANNOT_REMOVE_DELEGATED_ADMIN)
        self.org().deregister_delegated_administrator(AccountId=delegated, ServicePrincipal=CONFIG)
        self.org().remove_account_from_organization(AccountId=delegated)
        self.assertClientError(lambda: self.org(delegated).list_accounts(),
                               "AWSOrganizationsNotInUseException", 400, NOT_IN_USE)

    def test_remove_unknown_account_is_account_not_found(self):
        self.assertClientError(
            lambda: self.org().remove_account_from_organization(AccountId=UNKNOWN_ACCOUNT),
            "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)

    def test_close_account_is_pending_closure_then_suspended(self):
        member = self.create_account()
        self.org().close_account(AccountId=member)
        closing = self.org().describe_account(AccountId=member)["Account"]
        self.assertEqual((closing["Status"], closing["State"]), ("PENDING_CLOSURE", "PENDING_CLOSURE"))
        self.assertClientError(lambda: self.org().close_account(AccountId=member),
                               "AccountAlreadyClosedException", 400, ACCOUNT_ALREADY_CLOSED)
        self.advance()
        closed = self.org().describe_account(AccountId=member)["Account"]
        self.assertEqual((closed["Status"], closed["State"]), ("SUSPENDED", "SUSPENDED"))
        # A closed account stays in the organization (AWS keeps it for 90 days).
        self.assertIn(member, [a["Id"] for a in self.org().list_accounts()["Accounts"]])
        self.assertClientError(lambda: self.org().close_account(AccountId=member),
                               "AccountAlreadyClosedException", 400, ACCOUNT_ALREADY_CLOSED)

    def test_close_management_account_is_refused(self):
        self.assertReason(lambda: self.org().close_account(AccountId=MANAGEMENT),
                          "ConstraintViolationException", "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
                          CANNOT_CLOSE_MANAGEMENT)

    def test_close_unknown_account_is_account_not_found(self):
        self.assertClientError(lambda: self.org().close_account(AccountId=UNKNOWN_ACCOUNT),
                               "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)


class HierarchyTest(OrganizationsTestCase):
    """ListRoots and the OU operations, ListParents, ListChildren."""

    def setUp(self):
        super().setUp()
        self.organization, self.root_id = self.create_organization()

    def create_unit(self, name, parent=None, **kwargs):
        return self.org().create_organizational_unit(ParentId=parent or self.root_id, Name=name,
                                                     **kwargs)["OrganizationalUnit"]

    def test_list_roots_returns_the_one_root(self):
        roots = self.org().list_roots()["Roots"]
        self.assertEqual(len(roots), 1)
        root = roots[0]
        self.assertRegex(root["Id"], ROOT_ID)
        self.assertEqual(root["Arn"], f"arn:aws:organizations::{MANAGEMENT}:root/"
                                      f"{self.organization['Id']}/{root['Id']}")
        self.assertEqual(root["Name"], "Root")
        self.assertEqual(root["PolicyTypes"], [])

    def test_create_describe_update_delete_organizational_unit(self):
        unit = self.create_unit("Workloads")
        self.assertRegex(unit["Id"], OU_ID)
        # AWS builds an OU id from its root's id: ou-<root suffix>-<suffix>.
        self.assertTrue(unit["Id"].startswith("ou-" + self.root_id[2:] + "-"), unit)
        self.assertEqual(unit["Arn"], f"arn:aws:organizations::{MANAGEMENT}:ou/"
                                      f"{self.organization['Id']}/{unit['Id']}")
        self.assertEqual(unit["Name"], "Workloads")
        self.assertEqual(self.org().describe_organizational_unit(
            OrganizationalUnitId=unit["Id"])["OrganizationalUnit"], unit)

        renamed = self.org().update_organizational_unit(OrganizationalUnitId=unit["Id"],
                                                        Name="Apps")["OrganizationalUnit"]
        self.assertEqual(renamed, dict(unit, Name="Apps"))
        self.assertEqual(self.org().describe_organizational_unit(
            OrganizationalUnitId=unit["Id"])["OrganizationalUnit"]["Name"], "Apps")
        # Without a Name, UpdateOrganizationalUnit changes nothing and returns the OU.
        self.assertEqual(self.org().update_organizational_unit(
            OrganizationalUnitId=unit["Id"])["OrganizationalUnit"]["Name"], "Apps")

        self.org().delete_organizational_unit(OrganizationalUnitId=unit["Id"])
        self.assertClientError(
            lambda: self.org().describe_organizational_unit(OrganizationalUnitId=unit["Id"]),
            "OrganizationalUnitNotFoundException", 400, OU_NOT_FOUND)

    def test_create_organizational_unit_under_a_missing_parent_is_parent_not_found(self):
        for parent in (UNKNOWN_OU, UNKNOWN_ROOT):
            self.assertClientError(lambda: self.create_unit("Orphan", parent),
                                   "ParentNotFoundException", 400, PARENT_NOT_FOUND)

    def test_organizational_unit_names_are_unique_per_parent(self):
        prod = self.create_unit("Prod")
        self.assertClientError(lambda: self.create_unit("Prod"),
                               "DuplicateOrganizationalUnitException", 400, DUPLICATE_OU)
        # The same name under another parent is another OU.
        nested = self.create_unit("Prod", prod["Id"])
        self.assertNotEqual(nested["Id"], prod["Id"])
        dev = self.create_unit("Dev")
        self.assertClientError(
            lambda: self.org().update_organizational_unit(OrganizationalUnitId=dev["Id"],
                                                          Name="Prod"),
            "DuplicateOrganizationalUnitException", 400, DUPLICATE_OU)

    def test_organizational_units_nest_five_levels_deep(self):
        parent = self.root_id
        for level in range(1, 6):
            parent = self.create_unit(f"Level{level}", parent)["Id"]
        self.assertReason(lambda: self.create_unit("Level6", parent),
                          "ConstraintViolationException", "OU_DEPTH_LIMIT_EXCEEDED", OU_DEPTH)

    def test_delete_organizational_unit_that_is_not_empty_is_refused(self):
        unit = self.create_unit("Prod")["Id"]
        child = self.create_unit("Child", unit)["Id"]
        self.assertClientError(lambda: self.org().delete_organizational_unit(OrganizationalUnitId=unit),
                               "OrganizationalUnitNotEmptyException", 400, OU_NOT_EMPTY)
        self.org().delete_organizational_unit(OrganizationalUnitId=child)
        member = self.create_account()
        self.org().move_account(AccountId=member, SourceParentId=self.root_id,
                                DestinationParentId=unit)
        self.assertClientError(lambda: self.org().delete_organizational_unit(OrganizationalUnitId=unit),
                               "OrganizationalUnitNotEmptyException", 400, OU_NOT_EMPTY)
        self.org().move_account(AccountId=member, SourceParentId=unit,
                                DestinationParentId=self.root_id)
        self.org().delete_organizational_unit(OrganizationalUnitId=unit)

    def test_unknown_organizational_unit_is_not_found(self):
        for call in (
                lambda: self.org().describe_organizational_unit(OrganizationalUnitId=UNKNOWN_OU),
                lambda: self.org().update_organizational_unit(OrganizationalUnitId=UNKNOWN_OU,
                                                              Name="x"),
                lambda: self.org().delete_organizational_unit(OrganizationalUnitId=UNKNOWN_OU)):
            self.assertClientError(call, "OrganizationalUnitNotFoundException", 400, OU_NOT_FOUND)

    def test_organizational_units_of_another_organization_are_not_found(self):
        _, their_root = self.create_organization(account=OTHER_MANAGEMENT)
        theirs = self.org(OTHER_MANAGEMENT).create_organizational_unit(
            ParentId=their_root, Name="Theirs")["OrganizationalUnit"]["Id"]
        self.assertClientError(
            lambda: self.org().describe_organizational_unit(OrganizationalUnitId=theirs),
            "OrganizationalUnitNotFoundException", 400, OU_NOT_FOUND)
        self.assertClientError(lambda: self.create_unit("Intruder", theirs),
                               "ParentNotFoundException", 400, PARENT_NOT_FOUND)
        self.assertClientError(lambda: self.create_unit("Intruder", their_root),
                               "ParentNotFoundException", 400, PARENT_NOT_FOUND)

    def test_list_organizational_units_for_parent_lists_direct_children_only(self):
        a = self.create_unit("A")
        b = self.create_unit("B")
        c = self.create_unit("C", a["Id"])
        listed = self.org().list_organizational_units_for_parent(
            ParentId=self.root_id)["OrganizationalUnits"]
        self.assertCountEqual(listed, [a, b])
        self.assertEqual(self.org().list_organizational_units_for_parent(
            ParentId=a["Id"])["OrganizationalUnits"], [c])
        self.assertEqual(self.org().list_organizational_units_for_parent(
            ParentId=c["Id"])["OrganizationalUnits"], [])
        self.assertClientError(
            lambda: self.org().list_organizational_units_for_parent(ParentId=UNKNOWN_OU),
            "ParentNotFoundException", 400, PARENT_NOT_FOUND)

    def test_list_accounts_for_parent_lists_the_accounts_directly_in_it(self):
        members = self.create_accounts(2)
        unit = self.create_unit("Prod")["Id"]
        self.org().move_account(AccountId=members[0], SourceParentId=self.root_id,
                                DestinationParentId=unit)
        in_root = self.org().list_accounts_for_parent(ParentId=self.root_id)["Accounts"]
        self.assertEqual({a["Id"] for a in in_root}, {MANAGEMENT, members[1]})
        in_unit = self.org().list_accounts_for_parent(ParentId=unit)["Accounts"]
        self.assertEqual([a["Id"] for a in in_unit], [members[0]])
        self.assertEqual(in_unit[0]["JoinedMethod"], "CREATED")
        self.assertClientError(lambda: self.org().list_accounts_for_parent(ParentId=UNKNOWN_OU),
                               "ParentNotFoundException", 400, PARENT_NOT_FOUND)

    def test_list_parents_of_accounts_and_organizational_units(self):
        outer = self.create_unit("Outer")["Id"]
        inner = self.create_unit("Inner", outer)["Id"]
        self.assertEqual(self.org().list_parents(ChildId=MANAGEMENT)["Parents"],
                         [{"Id": self.root_id, "Type": "ROOT"}])
        self.assertEqual(self.org().list_parents(ChildId=outer)["Parents"],
                         [{"Id": self.root_id, "Type": "ROOT"}])
        self.assertEqual(self.org().list_parents(ChildId=inner)["Parents"],
                         [{"Id": outer, "Type": "ORGANIZATIONAL_UNIT"}])
        for child in (UNKNOWN_ACCOUNT, UNKNOWN_OU):
            self.assertClientError(lambda: self.org().list_parents(ChildId=child),
                                   "ChildNotFoundException", 400, CHILD_NOT_FOUND)

    def test_list_children_by_child_type(self):
        member = self.create_account()
        unit = self.create_unit("Prod")["Id"]
        nested = self.create_unit("Nested", unit)["Id"]
        accounts = self.org().list_children(ParentId=self.root_id, ChildType="ACCOUNT")["Children"]
        self.assertCountEqual(accounts, [{"Id": MANAGEMENT, "Type": "ACCOUNT"},
                                         {"Id": member, "Type": "ACCOUNT"}])
        self.assertEqual(self.org().list_children(ParentId=self.root_id,
                                                  ChildType="ORGANIZATIONAL_UNIT")["Children"],
                         [{"Id": unit, "Type": "ORGANIZATIONAL_UNIT"}])
        self.assertEqual(self.org().list_children(ParentId=unit,
                                                  ChildType="ORGANIZATIONAL_UNIT")["Children"],
                         [{"Id": nested, "Type": "ORGANIZATIONAL_UNIT"}])
        self.assertEqual(self.org().list_children(ParentId=unit, ChildType="ACCOUNT")["Children"],
                         [])
        self.assertClientError(
            lambda: self.org().list_children(ParentId=UNKNOWN_OU, ChildType="ACCOUNT"),
            "ParentNotFoundException", 400, PARENT_NOT_FOUND)


class ServiceAccessTest(OrganizationsTestCase):
    """EnableAWSServiceAccess, DisableAWSServiceAccess, ListAWSServiceAccessForOrganization."""

    def setUp(self):
        super().setUp()
        self.create_organization()

    def enabled(self, account=MANAGEMENT):
        principals = self.org(account).list_aws_service_access_for_organization()[
            "EnabledServicePrincipals"]
        return {entry["ServicePrincipal"]: entry for entry in principals}

    def test_a_name_that_is_no_service_principal_is_refused(self):
        """AWS answers InvalidInputException UNRECOGNIZED_SERVICE_PRINCIPAL for a principal of no
        AWS service; cairn refuses what cannot be one (not *.amazonaws.com)."""
        for call in (lambda: self.org().enable_aws_service_access(ServicePrincipal="not-a-service"),
                     lambda: self.org().disable_aws_service_access(ServicePrincipal="example.com"),
                     lambda: self.org().register_delegated_administrator(AccountId=MANAGEMENT,
                                                                         ServicePrincipal="amazonaws.com")):
            response = self.assertClientError(call, "InvalidInputException", 400,
                                              "You specified a service principal that isn't recognized.")
            self.assertEqual(response["Reason"], "UNRECOGNIZED_SERVICE_PRINCIPAL")

    def test_enable_list_and_disable_trusted_access(self):
        self.assertEqual(self.enabled(), {})
        self.org().enable_aws_service_access(ServicePrincipal=CONFIG)
        self.org().enable_aws_service_access(ServicePrincipal=SECURITYHUB)
        enabled = self.enabled()
        self.assertEqual(set(enabled), {CONFIG, SECURITYHUB})
        self.assertIn("DateEnabled", enabled[CONFIG])
        # Enabling again is not an error and lists the principal once.
        self.org().enable_aws_service_access(ServicePrincipal=CONFIG)
        self.assertEqual(set(self.enabled()), {CONFIG, SECURITYHUB})
        self.org().disable_aws_service_access(ServicePrincipal=CONFIG)
        self.assertEqual(set(self.enabled()), {SECURITYHUB})

    def test_trusted_access_changes_are_for_the_management_account_only(self):
        member = self.create_account()
        for call in (lambda: self.org(member).enable_aws_service_access(ServicePrincipal=CONFIG),
                     lambda: self.org(member).disable_aws_service_access(ServicePrincipal=CONFIG),
                     lambda: self.org(member).list_aws_service_access_for_organization()):
            self.assertClientError(call, "AccessDeniedException", 400, ACCESS_DENIED)
        delegated = self.make_delegated_admin(SSM)
        self.assertEqual(set(self.enabled(delegated)), {SSM})
        self.assertClientError(
            lambda: self.org(delegated).enable_aws_service_access(ServicePrincipal=CONFIG),
            "AccessDeniedException", 400, ACCESS_DENIED)


class DelegatedAdministratorTest(OrganizationsTestCase):
    """Register/DeregisterDelegatedAdministrator, ListDelegatedAdministrators,
    ListDelegatedServicesForAccount, and what a delegated administrator may do."""

    def setUp(self):
        super().setUp()
        self.organization, self.root_id = self.create_organization()

    def admins(self, **kwargs):
        return self.org().list_delegated_administrators(**kwargs)["DelegatedAdministrators"]

    def test_register_requires_trusted_access(self):
        member = self.create_account()
        self.assertReason(
            lambda: self.org().register_delegated_administrator(AccountId=member,
                                                                ServicePrincipal=CONFIG),
            "ConstraintViolationException", "SERVICE_ACCESS_NOT_ENABLED",
            SERVICE_ACCESS_NOT_ENABLED)
        self.assertEqual(self.admins(), [])

    def test_management_account_cannot_be_a_delegated_administrator(self):
        self.org().enable_aws_service_access(ServicePrincipal=CONFIG)
        self.assertReason(
            lambda: self.org().register_delegated_administrator(AccountId=MANAGEMENT,
                                                                ServicePrincipal=CONFIG),
            "ConstraintViolationException", "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
            CANNOT_REGISTER_MASTER)

    def test_register_twice_is_account_already_registered(self):
        delegated = self.make_delegated_admin(CONFIG)
        self.assertClientError(
            lambda: self.org().register_delegated_administrator(AccountId=delegated,
                                                                ServicePrincipal=CONFIG),
            "AccountAlreadyRegisteredException", 400, ACCOUNT_ALREADY_REGISTERED)

    def test_register_or_deregister_unknown_account_is_account_not_found(self):
        self.org().enable_aws_service_access(ServicePrincipal=CONFIG)
        for call in (self.org().register_delegated_administrator,
                     self.org().deregister_delegated_administrator):
            self.assertClientError(lambda: call(AccountId=UNKNOWN_ACCOUNT, ServicePrincipal=CONFIG),
                                   "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)

    def test_deregister_an_account_that_is_not_registered_is_refused(self):
        delegated = self.make_delegated_admin(CONFIG)
        self.assertClientError(
            lambda: self.org().deregister_delegated_administrator(AccountId=delegated,
                                                                  ServicePrincipal=SSM),
            "AccountNotRegisteredException", 400, ACCOUNT_NOT_REGISTERED)
        self.org().deregister_delegated_administrator(AccountId=delegated, ServicePrincipal=CONFIG)
        self.assertEqual(self.admins(), [])
        self.assertClientError(
            lambda: self.org().deregister_delegated_administrator(AccountId=delegated,
                                                                  ServicePrincipal=CONFIG),
            "AccountNotRegisteredException", 400, ACCOUNT_NOT_REGISTERED)

    def test_list_delegated_administrators_lists_each_account_once(self):
        both, only_config = self.create_accounts(2)
        for principal in (CONFIG, SECURITYHUB):
            self.org().enable_aws_service_access(ServicePrincipal=principal)
        for account, principal in ((both, CONFIG), (both, SECURITYHUB), (only_config, CONFIG)):
            self.org().register_delegated_administrator(AccountId=account,
                                                        ServicePrincipal=principal)
        everyone = self.admins()
        self.assertCountEqual([admin["Id"] for admin in everyone], [both, only_config])
        described = self.org().describe_account(AccountId=both)["Account"]
        entry = next(admin for admin in everyone if admin["Id"] == both)
        for member in ("Arn", "Email", "Name", "Status", "State", "JoinedMethod",
                       "JoinedTimestamp"):
            self.assertEqual(entry[member], described[member], member)
        self.assertIn("DelegationEnabledDate", entry)

        self.assertCountEqual([a["Id"] for a in self.admins(ServicePrincipal=CONFIG)],
                              [both, only_config])
        self.assertEqual([a["Id"] for a in self.admins(ServicePrincipal=SECURITYHUB)], [both])
        self.assertEqual(self.admins(ServicePrincipal=SSM), [])

    def test_list_delegated_services_for_account(self):
        delegated = self.make_delegated_admin(CONFIG)
        self.org().enable_aws_service_access(ServicePrincipal=SECURITYHUB)
        self.org().register_delegated_administrator(AccountId=delegated,
                                                    ServicePrincipal=SECURITYHUB)
        services = self.org().list_delegated_services_for_account(AccountId=delegated)[
            "DelegatedServices"]
        self.assertEqual({s["ServicePrincipal"] for s in services}, {CONFIG, SECURITYHUB})
        self.assertTrue(all("DelegationEnabledDate" in s for s in services), services)
        self.assertClientError(
            lambda: self.org().list_delegated_services_for_account(AccountId=MANAGEMENT),
            "AccountNotRegisteredException", 400, ACCOUNT_NOT_REGISTERED)
        self.assertClientError(
            lambda: self.org().list_delegated_services_for_account(AccountId=UNKNOWN_ACCOUNT),
            "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)

    def test_delegated_administrator_can_read_the_organization(self):
        delegated = self.make_delegated_admin(CONFIG)
        member = self.create_account()
        unit = self.org().create_organizational_unit(ParentId=self.root_id, Name="Prod")[
            "OrganizationalUnit"]
        request_id = self.start_account()
        admin = self.org(delegated)
        self.assertEqual(admin.describe_organization()["Organization"]["Id"],
                         self.organization["Id"])
        self.assertEqual({a["Id"] for a in admin.list_accounts()["Accounts"]},
                         {MANAGEMENT, delegated, member})
        self.assertEqual(admin.describe_account(AccountId=member)["Account"]["Id"], member)
        self.assertEqual(admin.list_roots()["Roots"][0]["Id"], self.root_id)
        self.assertEqual(admin.describe_organizational_unit(OrganizationalUnitId=unit["Id"])[
            "OrganizationalUnit"], unit)
        self.assertEqual(admin.list_organizational_units_for_parent(ParentId=self.root_id)[
            "OrganizationalUnits"], [unit])
        self.assertEqual(len(admin.list_accounts_for_parent(ParentId=self.root_id)["Accounts"]), 3)
        self.assertEqual(len(admin.list_children(ParentId=self.root_id,
                                                 ChildType="ACCOUNT")["Children"]), 3)
        self.assertEqual(admin.list_parents(ChildId=member)["Parents"][0]["Id"], self.root_id)
        self.assertEqual(admin.describe_create_account_status(CreateAccountRequestId=request_id)[
            "CreateAccountStatus"]["State"], "IN_PROGRESS")
        self.assertEqual(len(admin.list_create_account_status()["CreateAccountStatuses"]), 3)
        self.assertEqual(
            [p["ServicePrincipal"] for p in admin.list_aws_service_access_for_organization()[
                "EnabledServicePrincipals"]], [CONFIG])
        self.assertEqual([a["Id"] for a in admin.list_delegated_administrators()[
            "DelegatedAdministrators"]], [delegated])
        self.assertEqual(len(admin.list_delegated_services_for_account(AccountId=delegated)[
            "DelegatedServices"]), 1)
        self.assertEqual(admin.list_tags_for_resource(ResourceId=member)["Tags"], [])

    def test_delegated_administrator_cannot_change_the_organization(self):
        delegated = self.make_delegated_admin(CONFIG)
        member = self.create_account()
        unit = self.org().create_organizational_unit(ParentId=self.root_id, Name="Prod")[
            "OrganizationalUnit"]["Id"]
        admin = self.org(delegated)
        for call in (
                lambda: admin.create_organizational_unit(ParentId=self.root_id, Name="Mine"),
                lambda: admin.update_organizational_unit(OrganizationalUnitId=unit, Name="Mine"),
                lambda: admin.delete_organizational_unit(OrganizationalUnitId=unit),
                lambda: admin.create_account(Email="x@example.com", AccountName="x"),
                lambda: admin.move_account(AccountId=member, SourceParentId=self.root_id,
                                           DestinationParentId=unit),
                lambda: admin.remove_account_from_organization(AccountId=member),
                lambda: admin.close_account(AccountId=member),
                lambda: admin.enable_aws_service_access(ServicePrincipal=SSM),
                lambda: admin.disable_aws_service_access(ServicePrincipal=CONFIG),
                lambda: admin.register_delegated_administrator(AccountId=member,
                                                               ServicePrincipal=CONFIG),
                lambda: admin.deregister_delegated_administrator(AccountId=delegated,
                                                                 ServicePrincipal=CONFIG),
                lambda: admin.tag_resource(ResourceId=member, Tags=[{"Key": "k", "Value": "v"}]),
                lambda: admin.untag_resource(ResourceId=member, TagKeys=["k"]),
                lambda: admin.delete_organization()):
            self.assertClientError(call, "AccessDeniedException", 400, ACCESS_DENIED)

    def test_deregistered_administrator_loses_read_access(self):
        delegated = self.make_delegated_admin(CONFIG)
        self.org(delegated).list_accounts()
        self.org().deregister_delegated_administrator(AccountId=delegated, ServicePrincipal=CONFIG)
        self.assertClientError(lambda: self.org(delegated).list_accounts(),
                               "AccessDeniedException", 400, ACCESS_DENIED)


class AccessRulesTest(OrganizationsTestCase):
    """A member is refused everything but DescribeOrganization; an account outside any
    organization gets AWSOrganizationsNotInUseException from every operation but
    CreateOrganization."""

    def setUp(self):
        super().setUp()
        self.organization, self.root_id = self.create_organization()
        self.member = self.create_account()
        self.unit = self.org().create_organizational_unit(ParentId=self.root_id, Name="Prod")[
            "OrganizationalUnit"]["Id"]
        self.request_id = self.start_account()

    def every_operation_but_create_and_describe_organization(self, client):
        member, root, unit = self.member, self.root_id, self.unit
        return {
            "DeleteOrganization": lambda: client.delete_organization(),
            "CreateAccount": lambda: client.create_account(Email="y@example.com", AccountName="y"),
            "DescribeCreateAccountStatus": lambda: client.describe_create_account_status(
                CreateAccountRequestId=self.request_id),
            "ListCreateAccountStatus": lambda: client.list_create_account_status(),
            "ListAccounts": lambda: client.list_accounts(),
            "DescribeAccount": lambda: client.describe_account(AccountId=member),
            "MoveAccount": lambda: client.move_account(AccountId=member, SourceParentId=root,
                                                       DestinationParentId=unit),
            "RemoveAccountFromOrganization": lambda: client.remove_account_from_organization(
                AccountId=member),
            "CloseAccount": lambda: client.close_account(AccountId=member),
            "ListRoots": lambda: client.list_roots(),
            "CreateOrganizationalUnit": lambda: client.create_organizational_unit(ParentId=root,
                                                                                  Name="Mine"),
            "DescribeOrganizationalUnit": lambda: client.describe_organizational_unit(
                OrganizationalUnitId=unit),
            "UpdateOrganizationalUnit": lambda: client.update_organizational_unit(
                OrganizationalUnitId=unit, Name="Mine"),
            "DeleteOrganizationalUnit": lambda: client.delete_organizational_unit(
                OrganizationalUnitId=unit),
            "ListOrganizationalUnitsForParent": lambda: client.list_organizational_units_for_parent(
                ParentId=root),
            "ListAccountsForParent": lambda: client.list_accounts_for_parent(ParentId=root),
            "ListParents": lambda: client.list_parents(ChildId=member),
            "ListChildren": lambda: client.list_children(ParentId=root, ChildType="ACCOUNT"),
            "EnableAWSServiceAccess": lambda: client.enable_aws_service_access(
                ServicePrincipal=CONFIG),
            "DisableAWSServiceAccess": lambda: client.disable_aws_service_access(
                ServicePrincipal=CONFIG),
            "ListAWSServiceAccessForOrganization":
                lambda: client.list_aws_service_access_for_organization(),
            "RegisterDelegatedAdministrator": lambda: client.register_delegated_administrator(
                AccountId=member, ServicePrincipal=CONFIG),
            "DeregisterDelegatedAdministrator": lambda: client.deregister_delegated_administrator(
                AccountId=member, ServicePrincipal=CONFIG),
            "ListDelegatedAdministrators": lambda: client.list_delegated_administrators(),
            "ListDelegatedServicesForAccount": lambda: client.list_delegated_services_for_account(
                AccountId=member),
            "TagResource": lambda: client.tag_resource(ResourceId=member,
                                                       Tags=[{"Key": "k", "Value": "v"}]),
            "UntagResource": lambda: client.untag_resource(ResourceId=member, TagKeys=["k"]),
            "ListTagsForResource": lambda: client.list_tags_for_resource(ResourceId=member),
        }

    def test_member_account_is_refused_everything_but_describe_organization(self):
        client = self.org(self.member)
        self.assertEqual(client.describe_organization()["Organization"]["Id"],
                         self.organization["Id"])
        for name, call in self.every_operation_but_create_and_describe_organization(client).items():
            with self.subTest(operation=name):
                self.assertClientError(call, "AccessDeniedException", 400, ACCESS_DENIED)
        # Nothing changed.
        self.assertEqual(len(self.org().list_accounts()["Accounts"]), 2)
        self.assertEqual(self.org().list_parents(ChildId=self.member)["Parents"][0]["Id"],
                         self.root_id)

    def test_account_outside_any_organization_gets_not_in_use(self):
        client = self.org(OUTSIDER)
        self.assertClientError(client.describe_organization, "AWSOrganizationsNotInUseException",
                               400, NOT_IN_USE)
        for name, call in self.every_operation_but_create_and_describe_organization(client).items():
            with self.subTest(operation=name):
                self.assertClientError(call, "AWSOrganizationsNotInUseException", 400, NOT_IN_USE)

    def test_management_account_of_another_organization_sees_nothing_of_this_one(self):
        _, their_root = self.create_organization(account=OTHER_MANAGEMENT)
        theirs = self.org(OTHER_MANAGEMENT)
        self.assertClientError(lambda: theirs.describe_account(AccountId=self.member),
                               "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)
        self.assertClientError(lambda: theirs.move_account(AccountId=self.member,
                                                           SourceParentId=self.root_id,
                                                           DestinationParentId=their_root),
                               "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)
        self.assertClientError(lambda: theirs.list_children(ParentId=self.root_id,
                                                            ChildType="ACCOUNT"),
                               "ParentNotFoundException", 400, PARENT_NOT_FOUND)
        self.assertClientError(lambda: theirs.list_parents(ChildId=self.member),
                               "ChildNotFoundException", 400, CHILD_NOT_FOUND)
        self.assertClientError(lambda: theirs.list_tags_for_resource(ResourceId=self.unit),
                               "TargetNotFoundException", 400, TARGET_NOT_FOUND)
        self.assertClientError(lambda: theirs.close_account(AccountId=self.member),
                               "AccountNotFoundException", 400, ACCOUNT_NOT_FOUND)


class TagTest(OrganizationsTestCase):
    """TagResource, UntagResource, ListTagsForResource on accounts, OUs and the root."""

    def setUp(self):
        super().setUp()
        self.organization, self.root_id = self.create_organization()

    def tags(self, resource_id, account=MANAGEMENT):
        return {t["Key"]: t["Value"]
                for t in self.org(account).list_tags_for_resource(ResourceId=resource_id)["Tags"]}

    def test_tag_untag_and_list_on_account_organizational_unit_and_root(self):
        member = self.create_account()
        unit = self.org().create_organizational_unit(ParentId=self.root_id, Name="Prod")[
            "OrganizationalUnit"]["Id"]
        for resource_id in (member, MANAGEMENT, unit, self.root_id):
            with self.subTest(resource=resource_id):
                self.assertEqual(self.tags(resource_id), {})
                self.org().tag_resource(ResourceId=resource_id,
                                        Tags=[{"Key": "team", "Value": "platform"},
                                              {"Key": "env", "Value": ""}])
                self.assertEqual(self.tags(resource_id), {"team": "platform", "env": ""})
                # A key tagged again takes the new value.
                self.org().tag_resource(ResourceId=resource_id,
                                        Tags=[{"Key": "team", "Value": "security"}])
                self.assertEqual(self.tags(resource_id), {"team": "security", "env": ""})
                # Removing a key that is not there is not an error.
                self.org().untag_resource(ResourceId=resource_id, TagKeys=["env", "absent"])
                self.assertEqual(self.tags(resource_id), {"team": "security"})
                self.org().untag_resource(ResourceId=resource_id, TagKeys=["team"])
                self.assertEqual(self.tags(resource_id), {})

    def test_unknown_resource_is_target_not_found(self):
        for resource_id in (UNKNOWN_ACCOUNT, UNKNOWN_OU, UNKNOWN_ROOT):
            for call in (
                    lambda: self.org().tag_resource(ResourceId=resource_id,
                                                    Tags=[{"Key": "k", "Value": "v"}]),
                    lambda: self.org().untag_resource(ResourceId=resource_id, TagKeys=["k"]),
                    lambda: self.org().list_tags_for_resource(ResourceId=resource_id)):
                with self.subTest(resource=resource_id):
                    self.assertClientError(call, "TargetNotFoundException", 400,
                                           TARGET_NOT_FOUND)

    def test_more_than_fifty_tags_is_max_tag_limit_exceeded(self):
        member = self.create_account()
        tags = [{"Key": f"key{i}", "Value": "v"} for i in range(51)]
        self.assertReason(lambda: self.org().tag_resource(ResourceId=member, Tags=tags),
                          "ConstraintViolationException", "MAX_TAG_LIMIT_EXCEEDED", MAX_TAGS)
        self.org().tag_resource(ResourceId=member, Tags=tags[:30])
        # The limit counts the tags the resource would have, not those of one request.
        self.assertReason(lambda: self.org().tag_resource(ResourceId=member, Tags=tags[30:]),
                          "ConstraintViolationException", "MAX_TAG_LIMIT_EXCEEDED", MAX_TAGS)
        self.assertEqual(len(self.tags(member)), 30)
        self.org().tag_resource(ResourceId=member, Tags=tags[30:50])
        self.assertEqual(len(self.tags(member)), 50)
        self.assertReason(
            lambda: self.org().create_organizational_unit(ParentId=self.root_id, Name="Tagged",
                                                          Tags=tags),
            "ConstraintViolationException", "MAX_TAG_LIMIT_EXCEEDED", MAX_TAGS)
        self.assertReason(
            lambda: self.org().create_account(Email="t@example.com", AccountName="t", Tags=tags),
            "ConstraintViolationException", "MAX_TAG_LIMIT_EXCEEDED", MAX_TAGS)
        # Only the account created above was requested.
        self.assertEqual(len(self.org().list_create_account_status()["CreateAccountStatuses"]), 1)

    def test_access_is_checked_before_the_tag_quota(self):
        """A caller that may not create resources is told so, however many tags it sends."""
        member = self.create_account()
        tags = [{"Key": f"key{i}", "Value": "v"} for i in range(51)]
        for account, code, message in ((member, "AccessDeniedException", ACCESS_DENIED),
                                       (OUTSIDER, "AWSOrganizationsNotInUseException", NOT_IN_USE)):
            client = self.org(account)
            for call in (
                    lambda: client.create_account(Email="t@example.com", AccountName="t",
                                                  Tags=tags),
                    lambda: client.create_organizational_unit(ParentId=self.root_id, Name="t",
                                                              Tags=tags),
                    lambda: client.tag_resource(ResourceId=member, Tags=tags)):
                with self.subTest(account=account):
                    self.assertClientError(call, code, 400, message)

    def test_tags_given_at_creation_are_on_the_new_resource(self):
        request_id = self.start_account(tags=[{"Key": "owner", "Value": "alice"}])
        unit = self.org().create_organizational_unit(
            ParentId=self.root_id, Name="Tagged",
            Tags=[{"Key": "cost-center", "Value": "42"}])["OrganizationalUnit"]["Id"]
        self.assertEqual(self.tags(unit), {"cost-center": "42"})
        self.advance()
        account_id = self.org().describe_create_account_status(
            CreateAccountRequestId=request_id)["CreateAccountStatus"]["AccountId"]
        self.assertEqual(self.tags(account_id), {"owner": "alice"})

    def test_tags_of_a_deleted_organizational_unit_are_gone(self):
        unit = self.org().create_organizational_unit(
            ParentId=self.root_id, Name="Tagged", Tags=[{"Key": "k", "Value": "v"}])[
            "OrganizationalUnit"]["Id"]
        self.org().delete_organizational_unit(OrganizationalUnitId=unit)
        self.assertClientError(lambda: self.org().list_tags_for_resource(ResourceId=unit),
                               "TargetNotFoundException", 400, TARGET_NOT_FOUND)


class PaginationTest(OrganizationsTestCase):
    """MaxResults/NextToken across pages, paginators, and tokens refused with
    InvalidInputException (INVALID_NEXT_TOKEN) when forged or reused elsewhere."""

    ACCOUNTS = 7

    def setUp(self):
        super().setUp()
        self.organization, self.root_id = self.create_organization()
        self.members = self.create_accounts(self.ACCOUNTS)
        self.all_accounts = {MANAGEMENT, *self.members}

    def assertPagesHoldEachOnce(self, call, list_member, expected, key=lambda item: item["Id"],
                                **kwargs):
        for page_size in (1, 2, 3):
            with self.subTest(page_size=page_size):
                items, pages = self.all_pages(call, list_member, page_size, **kwargs)
                keys = [key(item) for item in items]
                self.assertEqual(len(keys), len(set(keys)), keys)
                self.assertEqual(set(keys), set(expected))
                self.assertGreaterEqual(pages, -(-len(expected) // page_size))

    def test_list_accounts_pages_hold_every_account_once(self):
        self.assertPagesHoldEachOnce(self.org().list_accounts, "Accounts", self.all_accounts)

    def test_last_page_has_no_next_token(self):
        first = self.org().list_accounts(MaxResults=len(self.all_accounts) - 1)
        self.assertIn("NextToken", first)
        last = self.org().list_accounts(MaxResults=3, NextToken=first["NextToken"])
        self.assertEqual(len(last["Accounts"]), 1)
        self.assertNotIn("NextToken", last)
        exact = self.org().list_accounts(MaxResults=len(self.all_accounts))
        self.assertEqual(len(exact["Accounts"]), len(self.all_accounts))
        self.assertNotIn("NextToken", exact)

    def test_list_organizational_units_and_children_pages(self):
        units = [self.org().create_organizational_unit(ParentId=self.root_id, Name=f"OU{i}")[
            "OrganizationalUnit"]["Id"] for i in range(7)]
        self.assertPagesHoldEachOnce(self.org().list_organizational_units_for_parent,
                                     "OrganizationalUnits", units, ParentId=self.root_id)
        self.assertPagesHoldEachOnce(self.org().list_children, "Children", units,
                                     ParentId=self.root_id, ChildType="ORGANIZATIONAL_UNIT")
        self.assertPagesHoldEachOnce(self.org().list_children, "Children", self.all_accounts,
                                     ParentId=self.root_id, ChildType="ACCOUNT")
        self.assertPagesHoldEachOnce(self.org().list_accounts_for_parent, "Accounts",
                                     self.all_accounts, ParentId=self.root_id)

    def test_list_create_account_status_pages(self):
        statuses = self.org().list_create_account_status()["CreateAccountStatuses"]
        self.assertEqual(len(statuses), self.ACCOUNTS)
        self.assertPagesHoldEachOnce(self.org().list_create_account_status,
                                     "CreateAccountStatuses", [s["Id"] for s in statuses],
                                     States=["SUCCEEDED"])

    def test_delegated_administrator_and_service_lists_page(self):
        principals = [CONFIG, SECURITYHUB, SSM]
        for principal in principals:
            self.org().enable_aws_service_access(ServicePrincipal=principal)
        # The first account is delegated administrator for every service: it still is one
        # entry of ListDelegatedAdministrators, wherever the pages break.
        for principal in principals:
            self.org().register_delegated_administrator(AccountId=self.members[0],
                                                        ServicePrincipal=principal)
        for account in self.members[1:3]:
            self.org().register_delegated_administrator(AccountId=account, ServicePrincipal=CONFIG)
        self.assertPagesHoldEachOnce(self.org().list_delegated_administrators,
                                     "DelegatedAdministrators", self.members[:3])
        self.assertPagesHoldEachOnce(self.org().list_delegated_administrators,
                                     "DelegatedAdministrators", self.members[:3],
                                     ServicePrincipal=CONFIG)
        self.assertPagesHoldEachOnce(self.org().list_delegated_services_for_account,
                                     "DelegatedServices", principals,
                                     key=lambda item: item["ServicePrincipal"],
                                     AccountId=self.members[0])
        self.assertPagesHoldEachOnce(self.org().list_aws_service_access_for_organization,
                                     "EnabledServicePrincipals", principals,
                                     key=lambda item: item["ServicePrincipal"])

    def test_boto3_paginators_walk_every_page(self):
        paginator = self.org().get_paginator("list_accounts")
        pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
        self.assertEqual(len(pages), 4)
        ids = [account["Id"] for page in pages for account in page["Accounts"]]
        self.assertCountEqual(ids, self.all_accounts)
        result = paginator.paginate(PaginationConfig={"PageSize": 3}).build_full_result()
        self.assertCountEqual([a["Id"] for a in result["Accounts"]], self.all_accounts)
        children = self.org().get_paginator("list_children").paginate(
            ParentId=self.root_id, ChildType="ACCOUNT", PaginationConfig={"PageSize": 1})
        self.assertCountEqual([c["Id"] for page in children for c in page["Children"]],
                              self.all_accounts)
        # MaxItems stops early and hands back a token that resumes where it stopped.
        first = paginator.paginate(PaginationConfig={"PageSize": 2, "MaxItems": 3}
                                   ).build_full_result()
        rest = paginator.paginate(PaginationConfig={"PageSize": 2,
                                                    "StartingToken": first["NextToken"]}
                                  ).build_full_result()
        self.assertCountEqual([a["Id"] for a in first["Accounts"] + rest["Accounts"]],
                              self.all_accounts)

    def assertInvalidNextToken(self, call):
        self.assertReason(call, "InvalidInputException", "INVALID_NEXT_TOKEN", INVALID_NEXT_TOKEN)

    def test_forged_next_token_is_invalid_input(self):
        token = self.org().list_accounts(MaxResults=2)["NextToken"]
        tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
        for forged in ("not-a-token", "AAAAAAAAAAAAAAAAAAAAAAAA", tampered, "!!!"):
            with self.subTest(token=forged):
                self.assertInvalidNextToken(
                    lambda: self.org().list_accounts(MaxResults=2, NextToken=forged))
        for call in (lambda: self.org().list_roots(NextToken="forged"),
                     lambda: self.org().list_parents(ChildId=MANAGEMENT, NextToken="forged"),
                     lambda: self.org().list_tags_for_resource(ResourceId=MANAGEMENT,
                                                               NextToken="forged")):
            self.assertInvalidNextToken(call)

    def test_next_token_of_another_account_is_invalid_input(self):
        delegated = self.make_delegated_admin(CONFIG, name="reader")
        theirs = self.org(delegated).list_accounts(MaxResults=2)["NextToken"]
        self.assertInvalidNextToken(lambda: self.org().list_accounts(MaxResults=2,
                                                                     NextToken=theirs))
        mine = self.org().list_accounts(MaxResults=2)["NextToken"]
        self.assertInvalidNextToken(lambda: self.org(delegated).list_accounts(MaxResults=2,
                                                                              NextToken=mine))
        # Each account's own token still works.
        self.assertEqual(len(self.org(delegated).list_accounts(MaxResults=2, NextToken=theirs)[
            "Accounts"]), 2)

    def test_next_token_of_another_query_is_invalid_input(self):
        unit = self.org().create_organizational_unit(ParentId=self.root_id, Name="Prod")[
            "OrganizationalUnit"]["Id"]
        for account in self.members[:3]:
            self.org().move_account(AccountId=account, SourceParentId=self.root_id,
                                    DestinationParentId=unit)
        token = self.org().list_children(ParentId=self.root_id, ChildType="ACCOUNT",
                                         MaxResults=1)["NextToken"]
        self.assertInvalidNextToken(lambda: self.org().list_children(
            ParentId=unit, ChildType="ACCOUNT", MaxResults=1, NextToken=token))
        self.assertInvalidNextToken(lambda: self.org().list_children(
            ParentId=self.root_id, ChildType="ORGANIZATIONAL_UNIT", MaxResults=1, NextToken=token))
        self.assertInvalidNextToken(lambda: self.org().list_accounts_for_parent(
            ParentId=self.root_id, MaxResults=1, NextToken=token))
        self.assertInvalidNextToken(lambda: self.org().list_accounts(MaxResults=1,
                                                                     NextToken=token))
        statuses = self.org().list_create_account_status(States=["SUCCEEDED"], MaxResults=1)
        self.assertInvalidNextToken(lambda: self.org().list_create_account_status(
            States=["FAILED"], MaxResults=1, NextToken=statuses["NextToken"]))
        # The same query with its own token goes on.
        self.assertEqual(len(self.org().list_children(
            ParentId=self.root_id, ChildType="ACCOUNT", MaxResults=1, NextToken=token)[
            "Children"]), 1)

    def test_accounts_created_between_pages_are_not_repeated(self):
        first = self.org().list_accounts(MaxResults=3)
        seen = [a["Id"] for a in first["Accounts"]]
        added = self.create_accounts(4, name="later")
        rest, _ = self.all_pages(self.org().list_accounts, "Accounts", 3,
                                 start_token=first["NextToken"])
        seen.extend(a["Id"] for a in rest)
        self.assertEqual(len(seen), len(set(seen)), seen)
        self.assertTrue(self.all_accounts <= set(seen))
        self.assertTrue(set(seen) <= self.all_accounts | set(added))


class CliTest(OrganizationsTestCase):
    """The AWS CLI against cairn: the account is AWS_ACCESS_KEY_ID."""

    def aws(self, account, *args):
        env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=account, AWS_SECRET_ACCESS_KEY="x",
                   AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                   AWS_MAX_ATTEMPTS="1")
        result = subprocess.run(
            ["aws", "organizations", *args, "--endpoint-url", self.cairn.endpoint,
             "--region", "us-east-1", "--output", "json"],
            env=env, capture_output=True, text=True, timeout=60)
        return result.returncode, json.loads(result.stdout) if result.stdout.strip() else None, \
            result.stderr

    def test_cli_list_accounts_paginates_with_max_items_and_starting_token(self):
        self.create_organization()
        members = self.create_accounts(4)
        seen, token, calls = [], None, 0
        while True:
            args = ["list-accounts", "--max-items", "2", "--page-size", "2"]
            if token:
                args += ["--starting-token", token]
            code, output, stderr = self.aws(MANAGEMENT, *args)
            self.assertEqual(code, 0, stderr)
            calls += 1
            seen.extend(account["Id"] for account in output["Accounts"])
            token = output.get("NextToken")
            if not token:
                break
            self.assertLess(calls, 5)
        self.assertEqual(calls, 3)
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(set(seen), {MANAGEMENT, *members})

    def test_cli_create_organization_then_describe_it_as_member_and_outsider(self):
        code, output, stderr = self.aws(MANAGEMENT, "create-organization", "--feature-set", "ALL")
        self.assertEqual(code, 0, stderr)
        organization = output["Organization"]
        self.assertRegex(organization["Id"], ORGANIZATION_ID)
        member = self.create_account()
        code, output, stderr = self.aws(member, "describe-organization")
        self.assertEqual(code, 0, stderr)
        self.assertEqual(output["Organization"]["Id"], organization["Id"])
        code, _, stderr = self.aws(OUTSIDER, "describe-organization")
        self.assertNotEqual(code, 0)
        self.assertIn("(AWSOrganizationsNotInUseException)", stderr)
        self.assertIn(NOT_IN_USE, stderr)
        code, _, stderr = self.aws(member, "list-accounts")
        self.assertNotEqual(code, 0)
        self.assertIn("(AccessDeniedException)", stderr)


if __name__ == "__main__":
    unittest.main()
