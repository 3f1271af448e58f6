"""End-to-end: AWS Config configuration aggregators, aggregation authorizations, pending
aggregation requests, aggregator sources status, aggregate conformance-pack compliance and
tags, through boto3 and the AWS CLI, acting as the management account, a delegated
administrator for config.amazonaws.com, a delegated administrator for another service only, a
member and an account outside any organization (the account is the request's access key id).

Every rule of the PutConfigurationAggregator reference page (the seed) has a test here. The
messages are the ones cairn answers (services/config/aggregators.cc), which come from real AWS
responses where known and from the API reference otherwise.
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import MANAGEMENT, Cairn, CairnTestCase

OUTSIDER = "999999999999"  # in no organization
SOURCE = "444444444444"    # an account outside the organization that the aggregator names
OTHER = "555555555555"
REGION = "us-east-1"
OTHER_REGION = "eu-west-1"
ROLE = "arn:aws:iam::111111111111:role/ConfigAggregatorRole"
CONFIG = "config.amazonaws.com"
SECURITYHUB = "securityhub.amazonaws.com"

AGGREGATOR_ARN = re.compile(
    r"^arn:aws:config:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):config-aggregator/"
    r"config-aggregator-[a-z0-9]{8}$")

BOTH_SOURCES = ("The configuration aggregator cannot be created because your request contains "
                "both the AccountAggregationSource and the OrganizationAggregationSource. Include "
                "only one aggregation source and try again.")
NO_SOURCE = ("The configuration aggregator cannot be created because your request is missing "
             "either the AccountAggregationSource or the OrganizationAggregationSource. Include "
             "the appropriate aggregation source and try again.")
REGIONS_AND_ALL_REGIONS = ("Your configuration aggregator contains a list of regions and also "
                           "specifies the use of all regions. You must choose one of these "
                           "options.")
NO_REGIONS = ("Your request does not specify any regions. Select AWS Config-supported regions "
              "and try again.")
NO_SUCH_AGGREGATOR = ("The configuration aggregator does not exist. Check the configuration "
                      "aggregator name and try again.")
NO_SUCH_AGGREGATORS = ("At least one of the configuration aggregators does not exist. Check the "
                       "configuration aggregator names and try again.")
NOT_DELEGATED_ADMINISTRATOR = (
    "You are not a registered delegated administrator for AWS Config with permissions to call "
    "ListDelegatedAdministrators API. Ensure that the management account registers delagated "
    "administrator for AWS Config service principle name before the delegated administrator "
    "creates an aggregator.")
ADMINISTRATOR_CHANGED = (
    "The configuration aggregator cannot be updated because your AWS Organization management "
    "account or the delegated administrator role changed. Delete this aggregator and create a "
    "new one with the current AWS Organization.")
ALL_FEATURES_NOT_ENABLED = ("AWS Config resource cannot be created because your organization "
                            "does not have all features enabled.")
NO_ORGANIZATION = "Organization is no longer available."
INVALID_ROLE = ("You have provided a null or empty Amazon Resource Name (ARN) for the IAM role "
                "assumed by Config and used by the configuration recorder.")
TOO_MANY_TAGS = "You have reached the limit of the number of tags you can use."


def account_source(*accounts, regions=None, all_regions=False):
    source = {"AccountIds": list(accounts)}
    if all_regions:
        source["AllAwsRegions"] = True
    else:
        source["AwsRegions"] = regions or [REGION]
    return [source]


def organization_source(regions=None, all_regions=False, role=ROLE):
    source = {"RoleArn": role}
    if all_regions:
        source["AllAwsRegions"] = True
    else:
        source["AwsRegions"] = regions or [REGION]
    return source


class ConfigAggregatorsTestCase(CairnTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clients = {}

    def setUp(self):
        super().setUp()
        self._email_counter = 0

    def config(self, account=MANAGEMENT, region=REGION, validate=True):
        key = ("config", account, region, validate)
        if key not in self._clients:
            self._clients[key] = self.cairn.client("config", account=account, region=region,
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

    def create_organization(self, feature_set="ALL"):
        return self.org().create_organization(FeatureSet=feature_set)["Organization"]

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

    def make_delegated_admin(self, principal=CONFIG):
        account_id = self.create_accounts(1)[0]
        self.org().enable_aws_service_access(ServicePrincipal=principal)
        self.org().register_delegated_administrator(AccountId=account_id,
                                                    ServicePrincipal=principal)
        return account_id

    def trusted_principals(self):
        enabled = self.org().list_aws_service_access_for_organization()
        return {item["ServicePrincipal"] for item in enabled["EnabledServicePrincipals"]}

    def put(self, name="aggregator", account=MANAGEMENT, region=REGION, **kwargs):
        if "AccountAggregationSources" not in kwargs and \
                "OrganizationAggregationSource" not in kwargs:
            kwargs["AccountAggregationSources"] = account_source(account)
        return self.config(account, region).put_configuration_aggregator(
            ConfigurationAggregatorName=name, **kwargs)["ConfigurationAggregator"]

    def sources_status(self, name="aggregator", account=MANAGEMENT, region=REGION, **kwargs):
        return self.config(account, region).describe_configuration_aggregator_sources_status(
            ConfigurationAggregatorName=name, **kwargs)["AggregatedSourceStatusList"]

    def pending(self, account, region=REGION):
        return self.config(account, region).describe_pending_aggregation_requests()[
            "PendingAggregationRequests"]

    def tags(self, arn, account=MANAGEMENT, region=REGION):
        return {tag["Key"]: tag["Value"] for tag in
                self.config(account, region).list_tags_for_resource(ResourceArn=arn)["Tags"]}

    def all_pages(self, call, list_member, limit, **kwargs):
        """Follows NextToken with Limit=limit; returns (items, pages)."""
        items, pages, token = [], 0, None
        while True:
            request = dict(kwargs, Limit=limit)
            if token:
                request["NextToken"] = token
            response = call(**request)
            pages += 1
            self.assertLessEqual(len(response[list_member]), limit, response)
            items.extend(response[list_member])
            token = response.get("NextToken")
            if not token:
                return items, pages
            self.assertLess(pages, 100, "pagination does not end")


class PutConfigurationAggregatorTest(ConfigAggregatorsTestCase):
    """The rules of the PutConfigurationAggregator reference page."""

    def test_put_account_aggregator_returns_the_aggregator_as_aws_describes_it(self):
        aggregator = self.put(AccountAggregationSources=account_source(MANAGEMENT, SOURCE,
                                                                       regions=[REGION]))
        match = AGGREGATOR_ARN.match(aggregator["ConfigurationAggregatorArn"])
        self.assertIsNotNone(match, aggregator)
        self.assertEqual((match["account"], match["region"]), (MANAGEMENT, REGION))
        self.assertEqual(aggregator["ConfigurationAggregatorName"], "aggregator")
        self.assertEqual(aggregator["AccountAggregationSources"],
                         [{"AccountIds": [MANAGEMENT, SOURCE], "AwsRegions": [REGION],
                           "AllAwsRegions": False}])
        self.assertNotIn("OrganizationAggregationSource", aggregator)
        self.assertNotIn("CreatedBy", aggregator)  # only service-linked aggregators have one
        self.assertIsInstance(aggregator["CreationTime"], datetime.datetime)
        self.assertEqual(aggregator["CreationTime"], aggregator["LastUpdatedTime"])

    def test_put_with_all_regions_echoes_all_aws_regions(self):
        aggregator = self.put(AccountAggregationSources=account_source(MANAGEMENT,
                                                                       all_regions=True))
        self.assertEqual(aggregator["AccountAggregationSources"],
                         [{"AccountIds": [MANAGEMENT], "AllAwsRegions": True}])

    def test_put_is_idempotent_and_account_ids_passed_replace_the_existing_ones(self):
        created = self.put(AccountAggregationSources=account_source(MANAGEMENT, SOURCE))
        self.advance(5)
        updated = self.put(AccountAggregationSources=account_source(OTHER))
        self.assertEqual(updated["ConfigurationAggregatorArn"],
                         created["ConfigurationAggregatorArn"])
        self.assertEqual(updated["CreationTime"], created["CreationTime"])
        self.assertGreater(updated["LastUpdatedTime"], created["LastUpdatedTime"])
        self.assertEqual(updated["AccountAggregationSources"][0]["AccountIds"], [OTHER])
        described = self.config().describe_configuration_aggregators()["ConfigurationAggregators"]
        self.assertEqual(len(described), 1)
        self.assertEqual(described[0]["AccountAggregationSources"][0]["AccountIds"], [OTHER])

    def test_put_ignores_changed_tags_on_an_existing_aggregator(self):
        created = self.put(Tags=[{"Key": "team", "Value": "platform"}])
        self.put(Tags=[{"Key": "team", "Value": "security"}, {"Key": "new", "Value": "tag"}])
        self.assertEqual(self.tags(created["ConfigurationAggregatorArn"]), {"team": "platform"})

    def test_put_with_both_sources_is_invalid_parameter_value(self):
        self.assertClientError(
            lambda: self.put(AccountAggregationSources=account_source(MANAGEMENT),
                             OrganizationAggregationSource=organization_source()),
            "InvalidParameterValueException", 400, BOTH_SOURCES)

    def test_put_without_a_source_is_invalid_parameter_value(self):
        self.assertClientError(
            lambda: self.config().put_configuration_aggregator(ConfigurationAggregatorName="a"),
            "InvalidParameterValueException", 400, NO_SOURCE)
        self.assertClientError(
            lambda: self.config().put_configuration_aggregator(
                ConfigurationAggregatorName="a", AccountAggregationSources=[]),
            "InvalidParameterValueException", 400, NO_SOURCE)

    def test_put_with_regions_and_all_regions_is_invalid_parameter_value(self):
        both = [{"AccountIds": [MANAGEMENT], "AwsRegions": [REGION], "AllAwsRegions": True}]
        self.assertClientError(lambda: self.put(AccountAggregationSources=both),
                               "InvalidParameterValueException", 400, REGIONS_AND_ALL_REGIONS)
        self.assertClientError(
            lambda: self.put(OrganizationAggregationSource={
                "RoleArn": ROLE, "AwsRegions": [REGION], "AllAwsRegions": True}),
            "InvalidParameterValueException", 400, REGIONS_AND_ALL_REGIONS)

    def test_put_without_regions_is_invalid_parameter_value(self):
        self.assertClientError(
            lambda: self.put(AccountAggregationSources=[{"AccountIds": [MANAGEMENT]}]),
            "InvalidParameterValueException", 400, NO_REGIONS)
        self.assertClientError(
            lambda: self.put(AccountAggregationSources=[
                {"AccountIds": [MANAGEMENT], "AllAwsRegions": False}]),
            "InvalidParameterValueException", 400, NO_REGIONS)
        self.assertClientError(
            lambda: self.put(OrganizationAggregationSource={"RoleArn": ROLE}),
            "InvalidParameterValueException", 400, NO_REGIONS)

    def test_put_with_two_account_sources_is_a_validation_error(self):
        two = account_source(MANAGEMENT) + account_source(SOURCE)
        response = self.assertClientError(
            lambda: self.config().put_configuration_aggregator(
                ConfigurationAggregatorName="a", AccountAggregationSources=two),
            "ValidationException", 400)
        self.assertIn("accountAggregationSources", response["Error"]["Message"])
        self.assertIn("less than or equal to 1", response["Error"]["Message"])

    def test_put_with_more_than_50_tags_is_a_validation_error(self):
        tags = [{"Key": f"k{index}", "Value": "v"} for index in range(51)]
        self.assertClientError(lambda: self.put(Tags=tags), "ValidationException", 400)

    def test_put_with_a_bad_name_is_a_validation_error(self):
        # The model's pattern [\w\-]+ matches anywhere in the name (Smithy semantics).
        response = self.assertClientError(lambda: self.put(name="!!!"), "ValidationException", 400)
        self.assertIn("configurationAggregatorName", response["Error"]["Message"])

    def test_put_organization_aggregator_with_an_empty_role_is_invalid_role(self):
        self.create_organization()
        self.assertClientError(
            lambda: self.put(OrganizationAggregationSource=organization_source(role="")),
            "InvalidRoleException", 400, INVALID_ROLE)

    def test_management_account_creates_an_organization_aggregator_and_enables_trusted_access(self):
        organization = self.create_organization()
        self.assertNotIn(CONFIG, self.trusted_principals())
        aggregator = self.put(OrganizationAggregationSource=organization_source(all_regions=True))
        self.assertEqual(aggregator["OrganizationAggregationSource"],
                         {"RoleArn": ROLE, "AllAwsRegions": True})
        self.assertNotIn("AccountAggregationSources", aggregator)
        # "If the caller is a management account, AWS Config calls EnableAwsServiceAccess API".
        self.assertIn(CONFIG, self.trusted_principals())
        statuses = self.sources_status()
        self.assertTrue(statuses)
        self.assertEqual({status["SourceId"] for status in statuses}, {organization["Id"]})

    def test_delegated_administrator_for_config_creates_an_organization_aggregator(self):
        self.create_organization()
        delegated = self.make_delegated_admin(CONFIG)
        aggregator = self.put(account=delegated,
                              OrganizationAggregationSource=organization_source())
        self.assertEqual(AGGREGATOR_ARN.match(aggregator["ConfigurationAggregatorArn"])["account"],
                         delegated)
        self.assertEqual(self.sources_status(account=delegated)[0]["LastUpdateStatus"],
                         "SUCCEEDED")

    def test_delegated_administrator_for_another_service_only_is_refused(self):
        self.create_organization()
        delegated = self.make_delegated_admin(SECURITYHUB)
        self.assertClientError(
            lambda: self.put(account=delegated,
                             OrganizationAggregationSource=organization_source()),
            "OrganizationAccessDeniedException", 400, NOT_DELEGATED_ADMINISTRATOR)
        self.assertNotIn(CONFIG, self.trusted_principals())

    def test_member_account_is_refused_an_organization_aggregator(self):
        self.create_organization()
        member = self.create_accounts(1)[0]
        self.assertClientError(
            lambda: self.put(account=member, OrganizationAggregationSource=organization_source()),
            "OrganizationAccessDeniedException", 400, NOT_DELEGATED_ADMINISTRATOR)
        # A member may still aggregate accounts it names.
        self.put(account=member, AccountAggregationSources=account_source(member))

    def test_account_outside_any_organization_has_no_available_organization(self):
        self.assertClientError(
            lambda: self.put(account=OUTSIDER, OrganizationAggregationSource=organization_source()),
            "NoAvailableOrganizationException", 400, NO_ORGANIZATION)

    def test_consolidated_billing_organization_has_not_all_features(self):
        self.create_organization(feature_set="CONSOLIDATED_BILLING")
        self.assertClientError(
            lambda: self.put(OrganizationAggregationSource=organization_source()),
            "OrganizationAllFeaturesNotEnabledException", 400, ALL_FEATURES_NOT_ENABLED)

    def test_update_after_the_delegated_administrator_was_deregistered_is_refused(self):
        self.create_organization()
        delegated = self.make_delegated_admin(CONFIG)
        self.put(account=delegated, OrganizationAggregationSource=organization_source())
        self.org().deregister_delegated_administrator(AccountId=delegated,
                                                      ServicePrincipal=CONFIG)
        self.assertClientError(
            lambda: self.put(account=delegated,
                             OrganizationAggregationSource=organization_source()),
            "OrganizationAccessDeniedException", 400, ADMINISTRATOR_CHANGED)
        status = self.sources_status(account=delegated)[0]
        self.assertEqual(status["LastUpdateStatus"], "FAILED")
        self.assertEqual(status["LastErrorCode"], "OrganizationAccessDeniedException")

    def test_an_account_aggregator_can_become_an_organization_aggregator(self):
        self.create_organization()
        created = self.put(AccountAggregationSources=account_source(MANAGEMENT, SOURCE))
        self.assertEqual(len(self.pending(SOURCE)), 1)
        switched = self.put(OrganizationAggregationSource=organization_source())
        self.assertEqual(switched["ConfigurationAggregatorArn"],
                         created["ConfigurationAggregatorArn"])
        self.assertNotIn("AccountAggregationSources", switched)
        self.assertEqual(self.pending(SOURCE), [])

    def test_aggregator_filters_come_back_as_sent(self):
        filters = {"ResourceType": {"Type": "INCLUDE", "Value": ["AWS::EC2::Instance"]}}
        aggregator = self.put(AggregatorFilters=filters)
        self.assertEqual(aggregator["AggregatorFilters"], filters)

    def test_fifty_aggregators_per_account_and_region_then_limit_exceeded(self):
        for index in range(50):
            self.put(name=f"aggregator-{index}")
        self.assertClientError(lambda: self.put(name="one-too-many"), "LimitExceededException", 400)
        self.put(name="aggregator-7")  # updating one is not creating one
        self.put(name="one-too-many", region=OTHER_REGION)  # the quota is per Region

    def test_aggregators_are_isolated_by_account_and_region(self):
        self.put()
        self.assertEqual(self.config(region=OTHER_REGION).describe_configuration_aggregators()[
            "ConfigurationAggregators"], [])
        self.assertEqual(self.config(OTHER).describe_configuration_aggregators()[
            "ConfigurationAggregators"], [])
        self.assertClientError(
            lambda: self.config(OTHER).delete_configuration_aggregator(
                ConfigurationAggregatorName="aggregator"),
            "NoSuchConfigurationAggregatorException", 400, NO_SUCH_AGGREGATOR)


class DescribeAndDeleteAggregatorsTest(ConfigAggregatorsTestCase):
    def test_describe_by_name_and_all(self):
        for name in ("b", "a", "c"):
            self.put(name=name)
        everything = self.config().describe_configuration_aggregators()["ConfigurationAggregators"]
        self.assertEqual([item["ConfigurationAggregatorName"] for item in everything],
                         ["a", "b", "c"])
        named = self.config().describe_configuration_aggregators(
            ConfigurationAggregatorNames=["c", "a"])["ConfigurationAggregators"]
        self.assertEqual([item["ConfigurationAggregatorName"] for item in named], ["a", "c"])

    def test_describe_unknown_names_is_no_such_configuration_aggregator(self):
        self.put(name="a")
        self.assertClientError(
            lambda: self.config().describe_configuration_aggregators(
                ConfigurationAggregatorNames=["missing"]),
            "NoSuchConfigurationAggregatorException", 400, NO_SUCH_AGGREGATOR)
        self.assertClientError(
            lambda: self.config().describe_configuration_aggregators(
                ConfigurationAggregatorNames=["a", "missing"]),
            "NoSuchConfigurationAggregatorException", 400, NO_SUCH_AGGREGATORS)

    def test_describe_pages_with_limit_and_next_token(self):
        for index in range(5):
            self.put(name=f"aggregator-{index}")
        items, pages = self.all_pages(self.config().describe_configuration_aggregators,
                                      "ConfigurationAggregators", 2)
        self.assertEqual(pages, 3)
        self.assertEqual([item["ConfigurationAggregatorName"] for item in items],
                         [f"aggregator-{index}" for index in range(5)])
        # Limit 0 is the default (the maximum): one page.
        response = self.config().describe_configuration_aggregators(Limit=0)
        self.assertEqual(len(response["ConfigurationAggregators"]), 5)
        self.assertNotIn("NextToken", response)

    def test_paginator_walks_every_page(self):
        for index in range(5):
            self.put(name=f"aggregator-{index}")
        paginator = self.config().get_paginator("describe_configuration_aggregators")
        pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
        self.assertEqual(len(pages), 3)

    def test_a_forged_or_foreign_next_token_is_invalid(self):
        for index in range(3):
            self.put(name=f"aggregator-{index}")
            self.put(name=f"aggregator-{index}", account=OTHER)
        token = self.config().describe_configuration_aggregators(Limit=1)["NextToken"]
        self.assertClientError(
            lambda: self.config().describe_configuration_aggregators(NextToken="forged"),
            "InvalidNextTokenException", 400)
        self.assertClientError(
            lambda: self.config(OTHER).describe_configuration_aggregators(NextToken=token),
            "InvalidNextTokenException", 400)

    def test_limit_above_the_model_range_is_invalid_limit(self):
        self.assertClientError(
            lambda: self.config().describe_configuration_aggregators(Limit=101),
            "InvalidLimitException", 400, "The specified limit is outside the allowable range.")

    def test_delete_removes_the_aggregator_and_its_tags(self):
        created = self.put(Tags=[{"Key": "team", "Value": "platform"}])
        self.config().delete_configuration_aggregator(ConfigurationAggregatorName="aggregator")
        self.assertEqual(self.config().describe_configuration_aggregators()[
            "ConfigurationAggregators"], [])
        self.assertClientError(lambda: self.tags(created["ConfigurationAggregatorArn"]),
                               "ResourceNotFoundException", 400)
        recreated = self.put()
        self.assertNotEqual(recreated["ConfigurationAggregatorArn"],
                            created["ConfigurationAggregatorArn"])
        self.assertEqual(self.tags(recreated["ConfigurationAggregatorArn"]), {})

    def test_delete_unknown_aggregator_is_no_such_configuration_aggregator(self):
        self.assertClientError(
            lambda: self.config().delete_configuration_aggregator(
                ConfigurationAggregatorName="missing"),
            "NoSuchConfigurationAggregatorException", 400, NO_SUCH_AGGREGATOR)


class AuthorizationsAndPendingRequestsTest(ConfigAggregatorsTestCase):
    """An account aggregator asks each named source account and Region; the source authorizes
    it (or deletes the request)."""

    def test_naming_a_source_sends_it_a_pending_request_in_each_source_region(self):
        self.put(AccountAggregationSources=account_source(MANAGEMENT, SOURCE,
                                                          regions=[REGION, OTHER_REGION]))
        expected = [{"RequesterAccountId": MANAGEMENT, "RequesterAwsRegion": REGION}]
        self.assertEqual(self.pending(SOURCE, REGION), expected)
        self.assertEqual(self.pending(SOURCE, OTHER_REGION), expected)
        self.assertEqual(self.pending(SOURCE, "us-west-2"), [])
        # The aggregator account does not ask itself.
        self.assertEqual(self.pending(MANAGEMENT, REGION), [])

    def test_sources_status_fails_until_the_source_authorizes_the_aggregator(self):
        self.put(AccountAggregationSources=account_source(MANAGEMENT, SOURCE,
                                                          regions=[REGION, OTHER_REGION]))
        statuses = {(status["SourceId"], status["AwsRegion"]): status
                    for status in self.sources_status()}
        self.assertEqual(set(statuses), {(MANAGEMENT, REGION), (MANAGEMENT, OTHER_REGION),
                                         (SOURCE, REGION), (SOURCE, OTHER_REGION)})
        self.assertEqual(statuses[(MANAGEMENT, REGION)]["LastUpdateStatus"], "SUCCEEDED")
        self.assertEqual(statuses[(MANAGEMENT, REGION)]["SourceType"], "ACCOUNT")
        failed = statuses[(SOURCE, REGION)]
        self.assertEqual(failed["LastUpdateStatus"], "FAILED")
        self.assertEqual(failed["LastErrorCode"], "AccessDeniedException")
        self.assertTrue(failed["LastErrorMessage"])
        self.assertIsInstance(failed["LastUpdateTime"], datetime.datetime)

        self.config(SOURCE, REGION).put_aggregation_authorization(
            AuthorizedAccountId=MANAGEMENT, AuthorizedAwsRegion=REGION)
        statuses = {(status["SourceId"], status["AwsRegion"]): status
                    for status in self.sources_status()}
        self.assertEqual(statuses[(SOURCE, REGION)]["LastUpdateStatus"], "SUCCEEDED")
        self.assertNotIn("LastErrorCode", statuses[(SOURCE, REGION)])
        self.assertEqual(statuses[(SOURCE, OTHER_REGION)]["LastUpdateStatus"], "FAILED")
        # Authorizing answered the request in that Region only.
        self.assertEqual(self.pending(SOURCE, REGION), [])
        self.assertEqual(len(self.pending(SOURCE, OTHER_REGION)), 1)

        failed_only = self.sources_status(UpdateStatus=["FAILED"])
        self.assertEqual([(s["SourceId"], s["AwsRegion"]) for s in failed_only],
                         [(SOURCE, OTHER_REGION)])
        self.assertEqual(len(self.sources_status(UpdateStatus=["SUCCEEDED", "OUTDATED"])), 3)

    def test_an_authorization_for_another_aggregator_region_does_not_count(self):
        self.put(AccountAggregationSources=account_source(SOURCE))
        self.config(SOURCE, REGION).put_aggregation_authorization(
            AuthorizedAccountId=MANAGEMENT, AuthorizedAwsRegion=OTHER_REGION)
        self.assertEqual(self.sources_status()[0]["LastUpdateStatus"], "FAILED")
        self.assertEqual(len(self.pending(SOURCE)), 1)

    def test_authorizing_before_the_aggregator_exists_sends_no_request(self):
        self.config(SOURCE).put_aggregation_authorization(AuthorizedAccountId=MANAGEMENT,
                                                          AuthorizedAwsRegion=REGION)
        self.put(AccountAggregationSources=account_source(SOURCE))
        self.assertEqual(self.pending(SOURCE), [])
        self.assertEqual(self.sources_status()[0]["LastUpdateStatus"], "SUCCEEDED")

    def test_deleting_the_authorization_fails_the_source_again(self):
        self.put(AccountAggregationSources=account_source(SOURCE))
        self.config(SOURCE).put_aggregation_authorization(AuthorizedAccountId=MANAGEMENT,
                                                          AuthorizedAwsRegion=REGION)
        self.config(SOURCE).delete_aggregation_authorization(AuthorizedAccountId=MANAGEMENT,
                                                             AuthorizedAwsRegion=REGION)
        self.assertEqual(self.sources_status()[0]["LastUpdateStatus"], "FAILED")
        self.assertEqual(self.config(SOURCE).describe_aggregation_authorizations()[
            "AggregationAuthorizations"], [])
        # Deleting an authorization that does not exist succeeds.
        self.config(SOURCE).delete_aggregation_authorization(AuthorizedAccountId=OTHER,
                                                             AuthorizedAwsRegion=REGION)

    def test_put_aggregation_authorization_is_idempotent_and_keeps_its_first_tags(self):
        first = self.config(SOURCE, OTHER_REGION).put_aggregation_authorization(
            AuthorizedAccountId=MANAGEMENT, AuthorizedAwsRegion=REGION,
            Tags=[{"Key": "owner", "Value": "audit"}])["AggregationAuthorization"]
        self.assertEqual(first["AggregationAuthorizationArn"],
                         f"arn:aws:config:{OTHER_REGION}:{SOURCE}:aggregation-authorization/"
                         f"{MANAGEMENT}/{REGION}")
        self.assertEqual(first["AuthorizedAccountId"], MANAGEMENT)
        self.assertEqual(first["AuthorizedAwsRegion"], REGION)
        self.assertIsInstance(first["CreationTime"], datetime.datetime)
        self.advance(3)
        again = self.config(SOURCE, OTHER_REGION).put_aggregation_authorization(
            AuthorizedAccountId=MANAGEMENT, AuthorizedAwsRegion=REGION,
            Tags=[{"Key": "owner", "Value": "someone-else"}])["AggregationAuthorization"]
        self.assertEqual(again, first)
        self.assertEqual(self.tags(first["AggregationAuthorizationArn"], SOURCE, OTHER_REGION),
                         {"owner": "audit"})

    def test_describe_aggregation_authorizations_pages(self):
        accounts = [f"10000000000{index}" for index in range(5)]
        for account in accounts:
            self.config(SOURCE).put_aggregation_authorization(AuthorizedAccountId=account,
                                                              AuthorizedAwsRegion=REGION)
        items, pages = self.all_pages(self.config(SOURCE).describe_aggregation_authorizations,
                                      "AggregationAuthorizations", 2)
        self.assertEqual(pages, 3)
        self.assertEqual([item["AuthorizedAccountId"] for item in items], accounts)
        self.assertEqual(self.config(SOURCE, OTHER_REGION).describe_aggregation_authorizations()[
            "AggregationAuthorizations"], [])

    def test_delete_pending_request_then_a_new_put_asks_again(self):
        self.put(AccountAggregationSources=account_source(SOURCE))
        self.config(SOURCE).delete_pending_aggregation_request(RequesterAccountId=MANAGEMENT,
                                                               RequesterAwsRegion=REGION)
        self.assertEqual(self.pending(SOURCE), [])
        self.assertEqual(self.sources_status()[0]["LastUpdateStatus"], "FAILED")
        self.put(AccountAggregationSources=account_source(SOURCE))
        self.assertEqual(len(self.pending(SOURCE)), 1)

    def test_deleting_or_narrowing_the_aggregator_withdraws_its_requests(self):
        self.put(name="first", AccountAggregationSources=account_source(SOURCE, OTHER))
        self.put(name="second", AccountAggregationSources=account_source(SOURCE))
        self.config().delete_configuration_aggregator(ConfigurationAggregatorName="first")
        # "second" still names SOURCE: its request stays; OTHER is no longer asked.
        self.assertEqual(len(self.pending(SOURCE)), 1)
        self.assertEqual(self.pending(OTHER), [])
        self.put(name="second", AccountAggregationSources=account_source(MANAGEMENT))
        self.assertEqual(self.pending(SOURCE), [])

    def test_pending_requests_page_with_limit(self):
        requesters = [f"20000000000{index}" for index in range(5)]
        for requester in requesters:
            self.put(account=requester, AccountAggregationSources=account_source(SOURCE))
        items, pages = self.all_pages(self.config(SOURCE).describe_pending_aggregation_requests,
                                      "PendingAggregationRequests", 2)
        self.assertEqual(pages, 3)
        self.assertEqual([item["RequesterAccountId"] for item in items], requesters)

    def test_organization_aggregator_needs_no_authorization(self):
        organization = self.create_organization()
        members = self.create_accounts(2)
        self.put(OrganizationAggregationSource=organization_source(regions=[REGION, OTHER_REGION]))
        for member in members:
            self.assertEqual(self.pending(member), [])
        statuses = self.sources_status()
        self.assertEqual([(s["SourceId"], s["SourceType"], s["AwsRegion"], s["LastUpdateStatus"])
                          for s in statuses],
                         [(organization["Id"], "ORGANIZATION", OTHER_REGION, "SUCCEEDED"),
                          (organization["Id"], "ORGANIZATION", REGION, "SUCCEEDED")])

    def test_sources_status_pages_and_refuses_unknown_aggregators(self):
        self.put(AccountAggregationSources=account_source(MANAGEMENT, SOURCE, all_regions=True))
        items, pages = self.all_pages(self.config().describe_configuration_aggregator_sources_status,
                                      "AggregatedSourceStatusList", 30,
                                      ConfigurationAggregatorName="aggregator")
        self.assertGreaterEqual(len(items), 60)  # two accounts in every Config Region
        self.assertEqual(len({(item["SourceId"], item["AwsRegion"]) for item in items}),
                         len(items))
        self.assertGreater(pages, 2)
        self.assertClientError(lambda: self.sources_status(name="missing"),
                               "NoSuchConfigurationAggregatorException", 400, NO_SUCH_AGGREGATOR)


PACK_TEMPLATE = """
Resources:
  IAMPasswordPolicy:
    Properties:
      ConfigRuleName: IAMPasswordPolicy
      Source:
        Owner: AWS
        SourceIdentifier: IAM_PASSWORD_POLICY
    Type: AWS::Config::ConfigRule
  RootMfa:
    Properties:
      ConfigRuleName: RootMfa
      Source:
        Owner: AWS
        SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED
    Type: AWS::Config::ConfigRule
"""


class AggregateConformancePackComplianceTest(ConfigAggregatorsTestCase):
    """The conformance packs of the sources an aggregator collects from. cairn evaluates no
    resources: every pack is INSUFFICIENT_DATA, as the source's own summary says."""

    def put_pack(self, account, name="pack", region=REGION):
        self.config(account, region).put_conformance_pack(ConformancePackName=name,
                                                          TemplateBody=PACK_TEMPLATE)
        self.advance(2)

    def compliance(self, **kwargs):
        return self.config().describe_aggregate_compliance_by_conformance_packs(
            ConfigurationAggregatorName="aggregator", **kwargs)[
            "AggregateComplianceByConformancePacks"]

    def test_without_conformance_packs_the_lists_are_empty(self):
        self.put(AccountAggregationSources=account_source(MANAGEMENT))
        response = self.config().describe_aggregate_compliance_by_conformance_packs(
            ConfigurationAggregatorName="aggregator")
        self.assertEqual(response["AggregateComplianceByConformancePacks"], [])
        self.assertNotIn("NextToken", response)
        summary = self.config().get_aggregate_conformance_pack_compliance_summary(
            ConfigurationAggregatorName="aggregator", GroupByKey="AWS_REGION")
        self.assertEqual(summary["AggregateConformancePackComplianceSummaries"], [])
        self.assertEqual(summary["GroupByKey"], "AWS_REGION")

    def test_packs_of_authorized_sources_only(self):
        self.put_pack(MANAGEMENT)
        self.put_pack(SOURCE)
        self.put_pack(OTHER)
        self.put(AccountAggregationSources=account_source(MANAGEMENT, SOURCE, OTHER))
        self.config(SOURCE).put_aggregation_authorization(AuthorizedAccountId=MANAGEMENT,
                                                          AuthorizedAwsRegion=REGION)
        packs = self.compliance()
        self.assertEqual([(pack["AccountId"], pack["AwsRegion"], pack["ConformancePackName"])
                          for pack in packs],
                         [(MANAGEMENT, REGION, "pack"), (SOURCE, REGION, "pack")])
        self.assertEqual(packs[0]["Compliance"], {
            "ComplianceType": "INSUFFICIENT_DATA", "CompliantRuleCount": 0,
            "NonCompliantRuleCount": 0, "TotalRuleCount": 2})
        self.assertEqual(len(self.compliance(Filters={"AccountId": SOURCE})), 1)
        self.assertEqual(self.compliance(Filters={"ComplianceType": "NON_COMPLIANT"}), [])
        self.assertEqual(len(self.compliance(Filters={"ComplianceType": "INSUFFICIENT_DATA"})),
                         2)
        self.assertEqual(self.compliance(Filters={"ConformancePackName": "other"}), [])
        self.assertEqual(self.compliance(Filters={"AwsRegion": OTHER_REGION}), [])
        items, pages = self.all_pages(
            self.config().describe_aggregate_compliance_by_conformance_packs,
            "AggregateComplianceByConformancePacks", 1, ConfigurationAggregatorName="aggregator")
        self.assertEqual((len(items), pages), (2, 2))

    def test_summary_groups_by_account_or_region(self):
        self.put_pack(MANAGEMENT)
        self.put_pack(MANAGEMENT, name="second")
        self.put_pack(MANAGEMENT, region=OTHER_REGION)
        self.put(AccountAggregationSources=account_source(MANAGEMENT,
                                                          regions=[REGION, OTHER_REGION]))
        by_region = self.config().get_aggregate_conformance_pack_compliance_summary(
            ConfigurationAggregatorName="aggregator", GroupByKey="AWS_REGION")
        self.assertEqual([group["GroupName"] for group in
                          by_region["AggregateConformancePackComplianceSummaries"]],
                         [OTHER_REGION, REGION])
        self.assertEqual(by_region["AggregateConformancePackComplianceSummaries"][0][
            "ComplianceSummary"], {"CompliantConformancePackCount": 0,
                                   "NonCompliantConformancePackCount": 0})
        by_account = self.config().get_aggregate_conformance_pack_compliance_summary(
            ConfigurationAggregatorName="aggregator", GroupByKey="ACCOUNT_ID",
            Filters={"AwsRegion": REGION})
        self.assertEqual([group["GroupName"] for group in
                          by_account["AggregateConformancePackComplianceSummaries"]],
                         [MANAGEMENT])

    def test_organization_aggregator_sees_every_member_pack(self):
        self.create_organization()
        members = self.create_accounts(2)
        for member in members:
            self.put_pack(member)
        self.put(OrganizationAggregationSource=organization_source())
        self.assertEqual(sorted(pack["AccountId"] for pack in self.compliance()), sorted(members))

    def test_unknown_aggregator_is_no_such_configuration_aggregator(self):
        self.assertClientError(
            lambda: self.config().describe_aggregate_compliance_by_conformance_packs(
                ConfigurationAggregatorName="missing"),
            "NoSuchConfigurationAggregatorException", 400, NO_SUCH_AGGREGATOR)
        self.assertClientError(
            lambda: self.config().get_aggregate_conformance_pack_compliance_summary(
                ConfigurationAggregatorName="missing"),
            "NoSuchConfigurationAggregatorException", 400, NO_SUCH_AGGREGATOR)


class TagsTest(ConfigAggregatorsTestCase):
    def test_tag_untag_and_list_an_aggregator(self):
        arn = self.put()["ConfigurationAggregatorArn"]
        self.config().tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"},
                                                          {"Key": "b", "Value": "2"}])
        self.config().tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "changed"}])
        self.assertEqual(self.tags(arn), {"a": "changed", "b": "2"})
        self.config().untag_resource(ResourceArn=arn, TagKeys=["a", "not-there"])
        self.assertEqual(self.tags(arn), {"b": "2"})

    def test_tag_an_aggregation_authorization(self):
        arn = self.config(SOURCE).put_aggregation_authorization(
            AuthorizedAccountId=MANAGEMENT, AuthorizedAwsRegion=REGION)[
            "AggregationAuthorization"]["AggregationAuthorizationArn"]
        self.config(SOURCE).tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
        self.assertEqual(self.tags(arn, SOURCE), {"k": "v"})

    def test_tag_a_conformance_pack(self):
        arn = self.config().put_conformance_pack(ConformancePackName="pack",
                                                 TemplateBody=PACK_TEMPLATE)["ConformancePackArn"]
        self.config().tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
        self.assertEqual(self.tags(arn), {"k": "v"})
        self.assertClientError(lambda: self.tags(arn, account=OTHER), "ResourceNotFoundException",
                               400)

    def test_more_than_50_tags_in_all_is_too_many_tags(self):
        arn = self.put(Tags=[{"Key": f"first{index}", "Value": "v"} for index in range(30)])[
            "ConfigurationAggregatorArn"]
        self.assertClientError(
            lambda: self.config().tag_resource(
                ResourceArn=arn, Tags=[{"Key": f"second{index}", "Value": "v"}
                                       for index in range(21)]),
            "TooManyTagsException", 400, TOO_MANY_TAGS)
        self.assertEqual(len(self.tags(arn)), 30)

    def test_unknown_or_foreign_resources_are_not_found(self):
        arn = self.put()["ConfigurationAggregatorArn"]
        unknown = f"arn:aws:config:{REGION}:{MANAGEMENT}:config-aggregator/config-aggregator-zzzz9999"
        for call in (lambda: self.config().tag_resource(ResourceArn=unknown,
                                                        Tags=[{"Key": "k", "Value": "v"}]),
                     lambda: self.config().untag_resource(ResourceArn=unknown, TagKeys=["k"]),
                     lambda: self.tags(unknown),
                     lambda: self.tags(arn, account=OTHER),
                     lambda: self.tags(arn, region=OTHER_REGION)):
            self.assertClientError(call, "ResourceNotFoundException", 400)
        self.assertClientError(lambda: self.tags(unknown), "ResourceNotFoundException", 400,
                               f"ResourceArn '{unknown}' does not exist")

    def test_list_tags_pages_and_refuses_a_limit_above_50(self):
        arn = self.put(Tags=[{"Key": f"k{index:02}", "Value": "v"} for index in range(7)])[
            "ConfigurationAggregatorArn"]
        items, pages = self.all_pages(self.config().list_tags_for_resource, "Tags", 3,
                                      ResourceArn=arn)
        self.assertEqual(pages, 3)
        self.assertEqual([item["Key"] for item in items], [f"k{index:02}" for index in range(7)])
        self.assertClientError(
            lambda: self.config().list_tags_for_resource(ResourceArn=arn, Limit=51),
            "InvalidLimitException", 400)


class PersistenceTest(unittest.TestCase):
    """With --data-dir, aggregators, authorizations, pending requests and tags survive a
    restart."""

    def test_state_survives_a_restart(self):
        data_dir = tempfile.mkdtemp(prefix="cairn-config-aggregators-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        cairn = Cairn("--data-dir", data_dir)
        try:
            config = cairn.client("config", account=MANAGEMENT)
            created = config.put_configuration_aggregator(
                ConfigurationAggregatorName="kept", AggregatorFilters={
                    "ServicePrincipal": {"Type": "INCLUDE", "Value": ["ssm.amazonaws.com"]}},
                AccountAggregationSources=account_source(SOURCE, OTHER),
                Tags=[{"Key": "k", "Value": "v"}])["ConfigurationAggregator"]
            cairn.client("config", account=SOURCE).put_aggregation_authorization(
                AuthorizedAccountId=MANAGEMENT, AuthorizedAwsRegion=REGION)
            statuses = config.describe_configuration_aggregator_sources_status(
                ConfigurationAggregatorName="kept")["AggregatedSourceStatusList"]
        finally:
            cairn.stop()
        cairn = Cairn("--data-dir", data_dir)
        try:
            config = cairn.client("config", account=MANAGEMENT)
            self.assertEqual(config.describe_configuration_aggregators()[
                "ConfigurationAggregators"], [created])
            self.assertEqual(config.describe_configuration_aggregator_sources_status(
                ConfigurationAggregatorName="kept")["AggregatedSourceStatusList"], statuses)
            self.assertEqual(config.list_tags_for_resource(
                ResourceArn=created["ConfigurationAggregatorArn"])["Tags"],
                [{"Key": "k", "Value": "v"}])
            self.assertEqual(len(cairn.client("config", account=SOURCE)
                                 .describe_aggregation_authorizations()[
                                     "AggregationAuthorizations"]), 1)
            self.assertEqual(cairn.client("config", account=OTHER)
                             .describe_pending_aggregation_requests()[
                                 "PendingAggregationRequests"],
                             [{"RequesterAccountId": MANAGEMENT, "RequesterAwsRegion": REGION}])
        finally:
            cairn.stop()


@unittest.skipUnless(shutil.which("aws"), "the AWS CLI is not installed")
class CliTest(ConfigAggregatorsTestCase):
    def aws(self, account, *args):
        env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=account, AWS_SECRET_ACCESS_KEY="x",
                   AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                   AWS_MAX_ATTEMPTS="1")
        result = subprocess.run(
            ["aws", "configservice", *args, "--endpoint-url", self.cairn.endpoint,
             "--region", REGION, "--output", "json"],
            env=env, capture_output=True, text=True, timeout=60)
        return result.returncode, json.loads(result.stdout) if result.stdout.strip() else None, \
            result.stderr

    def test_cli_puts_describes_and_authorizes_an_aggregator(self):
        code, output, stderr = self.aws(
            MANAGEMENT, "put-configuration-aggregator", "--configuration-aggregator-name", "cli",
            "--account-aggregation-sources",
            json.dumps([{"AccountIds": [SOURCE], "AllAwsRegions": True}]))
        self.assertEqual(code, 0, stderr)
        self.assertRegex(output["ConfigurationAggregator"]["ConfigurationAggregatorArn"],
                         AGGREGATOR_ARN)
        code, output, stderr = self.aws(SOURCE, "describe-pending-aggregation-requests")
        self.assertEqual(code, 0, stderr)
        self.assertEqual(output["PendingAggregationRequests"],
                         [{"RequesterAccountId": MANAGEMENT, "RequesterAwsRegion": REGION}])
        code, _, stderr = self.aws(SOURCE, "put-aggregation-authorization",
                                   "--authorized-account-id", MANAGEMENT,
                                   "--authorized-aws-region", REGION)
        self.assertEqual(code, 0, stderr)
        code, output, stderr = self.aws(MANAGEMENT,
                                        "describe-configuration-aggregator-sources-status",
                                        "--configuration-aggregator-name", "cli",
                                        "--update-status", "SUCCEEDED")
        self.assertEqual(code, 0, stderr)
        self.assertEqual([(s["SourceId"], s["AwsRegion"]) for s in
                          output["AggregatedSourceStatusList"]], [(SOURCE, REGION)])
        code, _, stderr = self.aws(MANAGEMENT, "delete-configuration-aggregator",
                                   "--configuration-aggregator-name", "missing")
        self.assertNotEqual(code, 0)
        self.assertIn("NoSuchConfigurationAggregatorException", stderr)


if __name__ == "__main__":
    unittest.main()
