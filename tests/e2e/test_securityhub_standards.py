"""End-to-end: the standards family of AWS Security Hub through boto3: the catalog of standards
and security controls (DescribeStandards, DescribeStandardsControls,
ListSecurityControlDefinitions, GetSecurityControlDefinition) and each account's subscriptions
(BatchEnableStandards, BatchDisableStandards, GetEnabledStandards) per account and Region, with
their PENDING -> READY and DELETING lifecycles on the scheduler, the default standards that
EnableSecurityHub subscribes to, pagination, and each error's code, HTTP status and message.

Messages from real AWS responses: "Invalid StandardsSubscriptionRequest(s): [...]"
(awslabs/aws-securityhub-multiaccount-scripts issues 26, 34), "StandardsSubscription(s) in
state PENDING, please try later: [...]" (aws-samples/aws-control-tower-securityhub-enabler
issue 18), "Account <id> is not subscribed to AWS Security Hub". The catalog values checked
here come from AWS's CLI examples (describe-standards, describe-standards-controls,
get-security-control-definition).
"""
import shutil
import tempfile
import unittest

import harness
from harness import CairnTestCase
from test_securityhub_policies import CentralConfiguration

ACCOUNT = "222233334444"
OTHER_ACCOUNT = "555566667777"
REGION = "us-east-1"
OTHER_REGION = "eu-west-1"

FSBP = f"arn:aws:securityhub:{REGION}::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS_120 = "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0"
CIS_140 = f"arn:aws:securityhub:{REGION}::standards/cis-aws-foundations-benchmark/v/1.4.0"
CIS_300 = f"arn:aws:securityhub:{REGION}::standards/cis-aws-foundations-benchmark/v/3.0.0"
NIST = f"arn:aws:securityhub:{REGION}::standards/nist-800-53/v/5.0.0"
PCI_321 = f"arn:aws:securityhub:{REGION}::standards/pci-dss/v/3.2.1"
PCI_401 = f"arn:aws:securityhub:{REGION}::standards/pci-dss/v/4.0.1"


def subscription_arn(path, account=ACCOUNT, region=REGION):
    return f"arn:aws:securityhub:{region}:{account}:subscription/{path}"


FSBP_SUBSCRIPTION = subscription_arn("aws-foundational-security-best-practices/v/1.0.0")
CIS_120_SUBSCRIPTION = subscription_arn("cis-aws-foundations-benchmark/v/1.2.0")
PCI_321_SUBSCRIPTION = subscription_arn("pci-dss/v/3.2.1")
NIST_SUBSCRIPTION = subscription_arn("nist-800-53/v/5.0.0")


def not_subscribed(account=ACCOUNT):
    return f"Account {account} is not subscribed to AWS Security Hub"


INVALID_TOKEN = "The NextToken value is not valid."

# The catalog (tools/securityhub_catalog/README.md): every control that ListSecurityControlDefinitions
# returned in AWS's 2025 export (SooJongKim2/securityhub-controls-export), 497, plus
# RedshiftServerless.1/.2 of the current FSBP list.
ALL_CONTROLS = 499
# Standard controls per standard. AWS's documented counts, where its pages state them: CIS v1.2.0
# has 43 requirements (2023 controls reference), CIS v3.0.0 37 and PCI DSS v4.0.1 142 controls (the
# user guide's "CIS AWS Foundations Benchmark" and "PCI DSS" pages), PCI DSS v3.2.1 45 in 2023 less
# the retired S3.4, CIS v1.4.0 the 39 requirements of 2023 plus S3.20. FSBP lists 336 controls in
# the current guide; the catalog has the 308 whose severity a source gives (README's gaps). NIST SP
# 800-53 Rev. 5: the export's 291.
STANDARD_CONTROLS = {FSBP: 308, CIS_120: 43, CIS_140: 40, CIS_300: 37, NIST: 291, PCI_321: 44, PCI_401: 142}
# Distinct security controls behind them (ListSecurityControlDefinitions with StandardsArn):
# CloudWatch.1 checks two requirements of CIS v1.2.0 (1.1, 3.3) and of v1.4.0 (1.7, 4.3).
STANDARD_SECURITY_CONTROLS = dict(STANDARD_CONTROLS, **{CIS_120: 42, CIS_140: 39})

# The AWS CLI example of get-security-control-definition (ACM.1).
ACM_1 = {
    "SecurityControlId": "ACM.1",
    "Title": "Imported and ACM-issued certificates should be renewed after a specified time period",
    "Description": "This control checks whether an AWS Certificate Manager (ACM) certificate is renewed within "
                   "the specified time period. It checks both imported certificates and certificates provided "
                   "by ACM. The control fails if the certificate isn't renewed within the specified time "
                   "period. Unless you provide a custom parameter value for the renewal period, Security Hub "
                   "uses a default value of 30 days.",
    "RemediationUrl": "https://docs.aws.amazon.com/console/securityhub/ACM.1/remediation",
    "SeverityRating": "MEDIUM",
    "CurrentRegionAvailability": "AVAILABLE",
    "CustomizableProperties": ["Parameters"],
    "ParameterDefinitions": {
        "daysToExpiration": {
            "Description": "Number of days within which the ACM certificate must be renewed",
            "ConfigurationOptions": {"Integer": {"DefaultValue": 30, "Min": 14, "Max": 365}},
        }
    },
}


class StandardsTestCase(CairnTestCase):
    def hub(self, account=ACCOUNT, region=REGION):
        return self.cairn.client("securityhub", account=account, region=region)

    def enabled_hub(self, account=ACCOUNT, region=REGION, default_standards=False):
        hub = self.hub(account, region)
        hub.enable_security_hub(EnableDefaultStandards=default_standards)
        return hub

    def advance(self, seconds=2):
        status, _ = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": seconds})
        self.assertEqual(status, 200)

    def statuses(self, hub):
        return {subscription["StandardsArn"]: subscription["StandardsStatus"]
                for subscription in hub.get_enabled_standards()["StandardsSubscriptions"]}

    def all_pages(self, call, list_member, **kwargs):
        items, pages, token = [], 0, None
        while True:
            response = call(**kwargs, **({"NextToken": token} if token else {}))
            items.extend(response[list_member])
            pages += 1
            token = response.get("NextToken")
            if not token:
                return items, pages


class AccessTest(StandardsTestCase):
    def test_every_operation_needs_security_hub_enabled(self):
        hub = self.hub()
        calls = {
            "DescribeStandards": lambda: hub.describe_standards(),
            "DescribeStandardsControls": lambda: hub.describe_standards_controls(
                StandardsSubscriptionArn=FSBP_SUBSCRIPTION),
            "ListSecurityControlDefinitions": lambda: hub.list_security_control_definitions(),
            "GetSecurityControlDefinition": lambda: hub.get_security_control_definition(SecurityControlId="ACM.1"),
            "BatchEnableStandards": lambda: hub.batch_enable_standards(
                StandardsSubscriptionRequests=[{"StandardsArn": PCI_321}]),
            "BatchDisableStandards": lambda: hub.batch_disable_standards(
                StandardsSubscriptionArns=[FSBP_SUBSCRIPTION]),
            "GetEnabledStandards": lambda: hub.get_enabled_standards(),
        }
        for operation, call in calls.items():
            with self.subTest(operation=operation):
                self.assertClientError(call, "InvalidAccessException", 401, not_subscribed())

    def test_the_hub_of_another_region_does_not_count(self):
        self.enabled_hub(region=OTHER_REGION)
        self.assertClientError(lambda: self.hub().get_enabled_standards(), "InvalidAccessException", 401,
                               not_subscribed())


class DescribeStandardsTest(StandardsTestCase):
    def test_lists_the_standards_of_the_region(self):
        standards = self.enabled_hub().describe_standards()["Standards"]
        self.assertEqual([standard["StandardsArn"] for standard in standards],
                         [FSBP, CIS_120, PCI_321, CIS_140, NIST, CIS_300, PCI_401])
        self.assertEqual([standard["Name"] for standard in standards], [
            "AWS Foundational Security Best Practices v1.0.0", "CIS AWS Foundations Benchmark v1.2.0",
            "PCI DSS v3.2.1", "CIS AWS Foundations Benchmark v1.4.0", "NIST Special Publication 800-53 Revision 5",
            "CIS AWS Foundations Benchmark v3.0.0", "PCI DSS v4.0.1"])
        self.assertEqual([standard["EnabledByDefault"] for standard in standards],
                         [True, True, False, False, False, False, False])
        for standard in standards:
            self.assertEqual(standard["StandardsManagedBy"], {"Company": "AWS", "Product": "Security Hub"})
        # The AWS CLI example of describe-standards.
        self.assertEqual(standards[1]["Description"],
                         "The Center for Internet Security (CIS) AWS Foundations Benchmark v1.2.0 is a set of "
                         "security configuration best practices for AWS. This Security Hub standard automatically "
                         "checks for your compliance readiness against a subset of CIS requirements.")
        other = self.enabled_hub(region=OTHER_REGION).describe_standards()["Standards"]
        self.assertEqual(other[0]["StandardsArn"],
                         "arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0")
        self.assertEqual(other[1]["StandardsArn"], CIS_120)

    def test_pages(self):
        hub = self.enabled_hub()
        standards, pages = self.all_pages(hub.describe_standards, "Standards", MaxResults=3)
        self.assertEqual(pages, 3)
        self.assertEqual(standards, hub.describe_standards()["Standards"])
        paginated = [standard for page in hub.get_paginator("describe_standards").paginate(
            PaginationConfig={"PageSize": 2}) for standard in page["Standards"]]
        self.assertEqual(paginated, standards)

    def test_refuses_forged_and_foreign_tokens(self):
        hub = self.enabled_hub()
        self.assertClientError(lambda: hub.describe_standards(NextToken="forged"), "InvalidInputException", 400,
                               INVALID_TOKEN)
        token = hub.describe_standards(MaxResults=1)["NextToken"]
        self.assertClientError(lambda: hub.list_security_control_definitions(NextToken=token),
                               "InvalidInputException", 400, INVALID_TOKEN)
        self.assertClientError(lambda: self.enabled_hub(OTHER_ACCOUNT).describe_standards(NextToken=token),
                               "InvalidInputException", 400, INVALID_TOKEN)


class SubscriptionsTest(StandardsTestCase):
    def test_enable_security_hub_subscribes_to_the_default_standards(self):
        hub = self.enabled_hub(default_standards=True)
        self.assertEqual(self.statuses(hub), {FSBP: "PENDING", CIS_120: "PENDING"})
        self.advance()
        subscriptions = hub.get_enabled_standards()["StandardsSubscriptions"]
        self.assertEqual(subscriptions, [
            {"StandardsSubscriptionArn": FSBP_SUBSCRIPTION, "StandardsArn": FSBP, "StandardsInput": {},
             "StandardsStatus": "READY", "StandardsControlsUpdatable": "READY_FOR_UPDATES"},
            {"StandardsSubscriptionArn": CIS_120_SUBSCRIPTION, "StandardsArn": CIS_120, "StandardsInput": {},
             "StandardsStatus": "READY", "StandardsControlsUpdatable": "READY_FOR_UPDATES"},
        ])
        # EnableDefaultStandards defaults to true.
        other = self.hub(OTHER_ACCOUNT)
        other.enable_security_hub()
        self.assertEqual(set(self.statuses(other)), {FSBP, CIS_120})

    def test_without_default_standards_nothing_is_enabled(self):
        self.assertEqual(self.enabled_hub().get_enabled_standards()["StandardsSubscriptions"], [])

    def test_batch_enable_goes_pending_then_ready(self):
        hub = self.enabled_hub()
        response = hub.batch_enable_standards(StandardsSubscriptionRequests=[
            {"StandardsArn": PCI_321, "StandardsInput": {"source": "e2e"}}, {"StandardsArn": NIST}])
        self.assertEqual(response["StandardsSubscriptions"], [
            {"StandardsSubscriptionArn": PCI_321_SUBSCRIPTION, "StandardsArn": PCI_321,
             "StandardsInput": {"source": "e2e"}, "StandardsStatus": "PENDING",
             "StandardsControlsUpdatable": "NOT_READY_FOR_UPDATES"},
            {"StandardsSubscriptionArn": NIST_SUBSCRIPTION, "StandardsArn": NIST, "StandardsInput": {},
             "StandardsStatus": "PENDING", "StandardsControlsUpdatable": "NOT_READY_FOR_UPDATES"},
        ])
        self.assertEqual(self.statuses(hub), {PCI_321: "PENDING", NIST: "PENDING"})
        self.advance()
        self.assertEqual(self.statuses(hub), {PCI_321: "READY", NIST: "READY"})
        # Enabling again answers with the subscription as it is.
        again = hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": PCI_321}])
        self.assertEqual(again["StandardsSubscriptions"][0]["StandardsStatus"], "READY")
        self.assertEqual(again["StandardsSubscriptions"][0]["StandardsInput"], {"source": "e2e"})

    def test_subscriptions_belong_to_one_account_and_region(self):
        hub = self.enabled_hub()
        hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": PCI_321}])
        self.assertEqual(self.statuses(self.enabled_hub(OTHER_ACCOUNT)), {})
        self.assertEqual(self.statuses(self.enabled_hub(region=OTHER_REGION)), {})
        # CIS v1.2.0 has one ARN in every Region; each Region's subscription is its own.
        eu = self.hub(region=OTHER_REGION)
        eu.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": CIS_120}])
        self.assertEqual(eu.get_enabled_standards()["StandardsSubscriptions"][0]["StandardsSubscriptionArn"],
                         subscription_arn("cis-aws-foundations-benchmark/v/1.2.0", region=OTHER_REGION))
        self.assertEqual(self.statuses(hub), {PCI_321: "PENDING"})

    def test_batch_enable_refuses_unknown_standards(self):
        hub = self.enabled_hub()
        # AWS's message (aws-securityhub-multiaccount-scripts issue 26).
        self.assertClientError(
            lambda: hub.batch_enable_standards(StandardsSubscriptionRequests=[
                {"StandardsArn": "arn:aws:securityhub:::ruleset/pci-dss/v/3.2.1"}]),
            "InvalidInputException", 400,
            'Invalid StandardsSubscriptionRequest(s): [{"StandardsArn":"arn:aws:securityhub:::ruleset/pci-dss/v/3.2.1"}]')
        # Another Region's ARN, and a valid request beside an invalid one: nothing is enabled.
        eu_pci = "arn:aws:securityhub:eu-west-1::standards/pci-dss/v/3.2.1"
        self.assertClientError(
            lambda: hub.batch_enable_standards(StandardsSubscriptionRequests=[
                {"StandardsArn": NIST}, {"StandardsArn": eu_pci, "StandardsInput": {"a": "b"}}]),
            "InvalidInputException", 400,
            'Invalid StandardsSubscriptionRequest(s): [{"StandardsArn":"' + eu_pci + '","StandardsInput":{"a":"b"}}]')
        self.assertEqual(self.statuses(hub), {})

    def test_batch_disable_goes_deleting_then_gone(self):
        hub = self.enabled_hub()
        hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": PCI_321}])
        self.advance()
        response = hub.batch_disable_standards(StandardsSubscriptionArns=[PCI_321_SUBSCRIPTION])
        self.assertEqual(response["StandardsSubscriptions"], [
            {"StandardsSubscriptionArn": PCI_321_SUBSCRIPTION, "StandardsArn": PCI_321, "StandardsInput": {},
             "StandardsStatus": "DELETING", "StandardsControlsUpdatable": "NOT_READY_FOR_UPDATES"}])
        self.assertEqual(self.statuses(hub), {PCI_321: "DELETING"})
        again = hub.batch_disable_standards(StandardsSubscriptionArns=[PCI_321_SUBSCRIPTION])
        self.assertEqual(again["StandardsSubscriptions"][0]["StandardsStatus"], "DELETING")
        self.advance()
        self.assertEqual(self.statuses(hub), {})
        hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": PCI_321}])
        self.assertEqual(self.statuses(hub), {PCI_321: "PENDING"})

    def test_a_pending_subscription_cannot_be_disabled_yet(self):
        hub = self.enabled_hub(default_standards=True)
        # AWS's message (aws-control-tower-securityhub-enabler issue 18).
        self.assertClientError(
            lambda: hub.batch_disable_standards(StandardsSubscriptionArns=[CIS_120_SUBSCRIPTION]),
            "InvalidInputException", 400,
            f'StandardsSubscription(s) in state PENDING, please try later: ["{CIS_120_SUBSCRIPTION}"]')

    def test_a_deleting_subscription_cannot_be_enabled_yet(self):
        hub = self.enabled_hub(default_standards=True)
        self.advance()
        hub.batch_disable_standards(StandardsSubscriptionArns=[FSBP_SUBSCRIPTION])
        self.assertClientError(
            lambda: hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": FSBP}]),
            "InvalidInputException", 400,
            f'StandardsSubscription(s) in state DELETING, please try later: ["{FSBP_SUBSCRIPTION}"]')

    def test_a_disabled_default_standard_stays_disabled(self):
        hub = self.enabled_hub(default_standards=True)
        self.advance()
        hub.batch_disable_standards(StandardsSubscriptionArns=[FSBP_SUBSCRIPTION])
        self.advance()
        self.assertEqual(self.statuses(hub), {CIS_120: "READY"})
        hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": FSBP}])
        self.advance()
        self.assertEqual(self.statuses(hub), {FSBP: "READY", CIS_120: "READY"})

    def test_batch_disable_refuses_subscriptions_the_account_does_not_have(self):
        hub = self.enabled_hub()
        for arn in [PCI_321_SUBSCRIPTION, subscription_arn("pci-dss/v/3.2.1", account=OTHER_ACCOUNT),
                    "arn:aws:securityhub:us-east-1:222233334444:subscription/unknown/v/1.0.0"]:
            with self.subTest(arn=arn):
                self.assertClientError(lambda: hub.batch_disable_standards(StandardsSubscriptionArns=[arn]),
                                       "InvalidInputException", 400, f'Invalid StandardsSubscriptionArn(s): ["{arn}"]')

    def test_disabling_security_hub_ends_the_subscriptions(self):
        hub = self.enabled_hub()
        hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": PCI_321}])
        hub.disable_security_hub()
        hub.enable_security_hub(EnableDefaultStandards=False)
        self.assertEqual(self.statuses(hub), {})

    def test_get_enabled_standards_filters_and_pages(self):
        hub = self.enabled_hub(default_standards=True)
        hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": PCI_321}])
        filtered = hub.get_enabled_standards(StandardsSubscriptionArns=[PCI_321_SUBSCRIPTION, NIST_SUBSCRIPTION])
        self.assertEqual([s["StandardsArn"] for s in filtered["StandardsSubscriptions"]], [PCI_321])
        subscriptions, pages = self.all_pages(hub.get_enabled_standards, "StandardsSubscriptions", MaxResults=1)
        self.assertEqual(pages, 3)
        self.assertEqual([s["StandardsArn"] for s in subscriptions], [FSBP, CIS_120, PCI_321])
        token = hub.get_enabled_standards(MaxResults=1)["NextToken"]
        self.assertClientError(
            lambda: hub.get_enabled_standards(MaxResults=1, NextToken=token,
                                              StandardsSubscriptionArns=[PCI_321_SUBSCRIPTION]),
            "InvalidInputException", 400, INVALID_TOKEN)


class StandardsControlsTest(StandardsTestCase):
    def test_pci_controls_as_aws_describes_them(self):
        hub = self.enabled_hub()
        hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": PCI_321}])
        response = hub.describe_standards_controls(StandardsSubscriptionArn=PCI_321_SUBSCRIPTION, MaxResults=2)
        controls = response["Controls"]
        self.assertIn("NextToken", response)
        for control in controls:
            self.assertEqual(control.pop("ControlStatus"), "ENABLED")
            self.assertIsNotNone(control.pop("ControlStatusUpdatedAt"))
        # The AWS CLI example of describe-standards-controls (PCI DSS, two controls).
        self.assertEqual(controls[0], {
            "StandardsControlArn": f"arn:aws:securityhub:{REGION}:{ACCOUNT}:control/pci-dss/v/3.2.1/PCI.AutoScaling.1",
            "ControlId": "PCI.AutoScaling.1",
            "Title": "Auto scaling groups associated with a load balancer should use health checks",
            "Description": "This AWS control checks whether your Auto Scaling groups that are associated with a "
                           "load balancer are using Elastic Load Balancing health checks.",
            "RemediationUrl": "https://docs.aws.amazon.com/console/securityhub/PCI.AutoScaling.1/remediation",
            "SeverityRating": "LOW",
            "RelatedRequirements": ["PCI DSS 2.2"],
        })
        every, pages = self.all_pages(hub.describe_standards_controls, "Controls",
                                      StandardsSubscriptionArn=PCI_321_SUBSCRIPTION, MaxResults=20)
        # 45 controls in 2023 (asff-changes-consolidation.md); PCI.S3.4 (S3.4) is retired.
        self.assertEqual(len(every), 44)
        self.assertEqual(pages, 3)
        cw = next(control for control in every if control["ControlId"] == "PCI.CW.1")
        self.assertEqual((cw["SeverityRating"], cw["RelatedRequirements"]), ("MEDIUM", ["PCI DSS 7.2.1"]))

    def test_cis_and_nist_controls(self):
        hub = self.enabled_hub(default_standards=True)
        hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": NIST}])
        cis = hub.describe_standards_controls(StandardsSubscriptionArn=CIS_120_SUBSCRIPTION)["Controls"]
        self.assertEqual(len(cis), 43)
        self.assertEqual((cis[0]["ControlId"], cis[0]["StandardsControlArn"]),
                         ("CIS.1.1", f"arn:aws:securityhub:{REGION}:{ACCOUNT}:control/cis-aws-foundations-benchmark/v/1.2.0/1.1"))
        nist = hub.describe_standards_controls(StandardsSubscriptionArn=NIST_SUBSCRIPTION)["Controls"]
        acm = next(control for control in nist if control["ControlId"] == "ACM.1")
        self.assertEqual(acm["RelatedRequirements"], ["NIST.800-53.r5 SC-28(3)", "NIST.800-53.r5 SC-7(16)"])
        self.assertEqual(acm["StandardsControlArn"],
                         f"arn:aws:securityhub:{REGION}:{ACCOUNT}:control/nist-800-53/v/5.0.0/ACM.1")
        fsbp, _ = self.all_pages(hub.describe_standards_controls, "Controls",
                                 StandardsSubscriptionArn=FSBP_SUBSCRIPTION)
        self.assertIn("ELBv2.1", [control["ControlId"] for control in fsbp])

    def test_needs_a_subscription_of_the_caller(self):
        hub = self.enabled_hub()
        self.assertClientError(
            lambda: hub.describe_standards_controls(StandardsSubscriptionArn=PCI_321_SUBSCRIPTION),
            "ResourceNotFoundException", 404, f"StandardsSubscription {PCI_321_SUBSCRIPTION} not found")
        foreign = subscription_arn("pci-dss/v/3.2.1", account=OTHER_ACCOUNT)
        self.assertClientError(lambda: hub.describe_standards_controls(StandardsSubscriptionArn=foreign),
                               "InvalidInputException", 400, f"Invalid StandardsSubscriptionArn: {foreign}")
        self.assertClientError(lambda: hub.describe_standards_controls(StandardsSubscriptionArn=PCI_321),
                               "InvalidInputException", 400, f"Invalid StandardsSubscriptionArn: {PCI_321}")

    def test_token_is_bound_to_the_subscription(self):
        hub = self.enabled_hub(default_standards=True)
        token = hub.describe_standards_controls(StandardsSubscriptionArn=FSBP_SUBSCRIPTION, MaxResults=5)["NextToken"]
        self.assertClientError(
            lambda: hub.describe_standards_controls(StandardsSubscriptionArn=CIS_120_SUBSCRIPTION, NextToken=token),
            "InvalidInputException", 400, INVALID_TOKEN)


class SecurityControlDefinitionsTest(StandardsTestCase):
    def test_get_returns_the_definition(self):
        hub = self.enabled_hub()
        self.assertEqual(hub.get_security_control_definition(SecurityControlId="ACM.1")["SecurityControlDefinition"],
                         ACM_1)
        password = hub.get_security_control_definition(SecurityControlId="IAM.7")["SecurityControlDefinition"]
        self.assertEqual(password["ParameterDefinitions"]["MinimumPasswordLength"]["ConfigurationOptions"],
                         {"Integer": {"DefaultValue": 8, "Min": 8, "Max": 128}})
        self.assertEqual(len(password["ParameterDefinitions"]), 7)
        for control_id in ["ACM.99", "acm.1", "arn:aws:securityhub:us-east-1:222233334444:security-control/ACM.1"]:
            with self.subTest(control_id=control_id):
                self.assertClientError(
                    lambda: hub.get_security_control_definition(SecurityControlId=control_id),
                    "ResourceNotFoundException", 404, f"Security control {control_id} doesn't exist.")

    def test_list_pages_through_every_control(self):
        hub = self.enabled_hub()
        first = hub.list_security_control_definitions()
        self.assertEqual(len(first["SecurityControlDefinitions"]), 100)
        self.assertEqual(first["SecurityControlDefinitions"][0], ACM_1)
        definitions, pages = self.all_pages(hub.list_security_control_definitions, "SecurityControlDefinitions",
                                            MaxResults=100)
        ids = [definition["SecurityControlId"] for definition in definitions]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(len(ids), ALL_CONTROLS)
        self.assertEqual(pages, (len(ids) + 99) // 100)
        paginated = [definition["SecurityControlId"]
                     for page in hub.get_paginator("list_security_control_definitions").paginate()
                     for definition in page["SecurityControlDefinitions"]]
        self.assertEqual(paginated, ids)

    def test_list_filters_by_standard(self):
        hub = self.enabled_hub()
        cis, _ = self.all_pages(hub.list_security_control_definitions, "SecurityControlDefinitions",
                                StandardsArn=CIS_120, MaxResults=10)
        ids = [definition["SecurityControlId"] for definition in cis]
        # 43 requirements, 42 security controls: CloudWatch.1 checks both 1.1 and 3.3 (IAM.20, the
        # other check of 1.1 in 2023, is retired).
        self.assertEqual(len(ids), 42)
        self.assertNotIn("IAM.20", ids)
        self.assertEqual(ids.count("CloudWatch.1"), 1)
        pci = hub.list_security_control_definitions(StandardsArn=PCI_321)["SecurityControlDefinitions"]
        self.assertEqual(len(pci), 44)
        self.assertNotIn("ACM.1", [definition["SecurityControlId"] for definition in pci])
        token = hub.list_security_control_definitions(StandardsArn=CIS_120, MaxResults=5)["NextToken"]
        self.assertClientError(
            lambda: hub.list_security_control_definitions(StandardsArn=PCI_321, NextToken=token),
            "InvalidInputException", 400, INVALID_TOKEN)

    def test_list_refuses_unknown_standards(self):
        hub = self.enabled_hub()
        unknown = "arn:aws:securityhub:eu-west-1::standards/pci-dss/v/3.2.1"
        self.assertClientError(lambda: hub.list_security_control_definitions(StandardsArn=unknown),
                               "InvalidInputException", 400, f"Invalid StandardsArn: {unknown}")


class CatalogTest(StandardsTestCase):
    """The catalog as a whole: counts, well-known controls, parameter definitions; the values
    are those of AWS's export of ListSecurityControlDefinitions/GetSecurityControlDefinition."""

    def test_describe_standards_controls_walks_every_standard_once(self):
        hub = self.enabled_hub()
        hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": arn} for arn in STANDARD_CONTROLS])
        self.advance()
        subscriptions = {subscription["StandardsArn"]: subscription["StandardsSubscriptionArn"]
                         for subscription in hub.get_enabled_standards()["StandardsSubscriptions"]}
        self.assertEqual(set(subscriptions), set(STANDARD_CONTROLS))
        for arn, expected in STANDARD_CONTROLS.items():
            with self.subTest(standard=arn):
                controls, pages = self.all_pages(hub.describe_standards_controls, "Controls",
                                                 StandardsSubscriptionArn=subscriptions[arn], MaxResults=37)
                ids = [control["ControlId"] for control in controls]
                self.assertEqual(len(ids), expected)
                self.assertEqual(len(set(ids)), expected)
                self.assertEqual(pages, (expected + 36) // 37)
                arns = {control["StandardsControlArn"] for control in controls}
                self.assertEqual(len(arns), expected)
                for control in controls:
                    self.assertIn(control["SeverityRating"], {"LOW", "MEDIUM", "HIGH", "CRITICAL"})
                    self.assertTrue(control["Title"] and control["Description"], control)
                    self.assertTrue(control["RemediationUrl"].startswith(
                        "https://docs.aws.amazon.com/console/securityhub/"), control)

    def test_list_security_control_definitions_per_standard(self):
        hub = self.enabled_hub()
        for arn, expected in STANDARD_SECURITY_CONTROLS.items():
            with self.subTest(standard=arn):
                definitions, _ = self.all_pages(hub.list_security_control_definitions, "SecurityControlDefinitions",
                                                StandardsArn=arn, MaxResults=41)
                ids = [definition["SecurityControlId"] for definition in definitions]
                self.assertEqual(len(ids), expected)
                self.assertEqual(len(set(ids)), expected)
        fsbp = {definition["SecurityControlId"] for definition in self.all_pages(
            hub.list_security_control_definitions, "SecurityControlDefinitions", StandardsArn=FSBP)[0]}
        for control_id in ["IAM.1", "S3.1", "EC2.19", "CloudTrail.1", "Config.1", "Lambda.2", "EC2.172",
                           "GuardDuty.13", "RedshiftServerless.1"]:
            self.assertIn(control_id, fsbp)
        for not_fsbp in ["IAM.9", "CloudWatch.1", "EC2.13", "KMS.4", "ACM.3"]:
            self.assertNotIn(not_fsbp, fsbp)
        cis3 = {definition["SecurityControlId"] for definition in self.all_pages(
            hub.list_security_control_definitions, "SecurityControlDefinitions", StandardsArn=CIS_300)[0]}
        self.assertEqual({"IAM.28", "EC2.53", "EC2.54", "S3.22", "S3.23"} - cis3, set())

    def test_well_known_controls(self):
        hub = self.enabled_hub()

        def get(control_id):
            return hub.get_security_control_definition(SecurityControlId=control_id)["SecurityControlDefinition"]

        expected = {
            "IAM.1": ("HIGH", 'IAM policies should not allow full "*" administrative privileges'),
            "S3.1": ("MEDIUM", "S3 general purpose buckets should have block public access settings enabled"),
            "EC2.19": ("CRITICAL", "Security groups should not allow unrestricted access to ports with high risk"),
            "CloudTrail.1": ("HIGH", "CloudTrail should be enabled and configured with at least one multi-Region "
                                     "trail that includes read and write management events"),
            "Config.1": ("CRITICAL", "AWS Config should be enabled and use the service-linked role for resource "
                                     "recording"),
            "Account.1": ("MEDIUM", "Security contact information should be provided for an AWS account."),
            "WorkSpaces.2": ("MEDIUM", "WorkSpaces root volumes should be encrypted at rest"),
        }
        for control_id, (severity, title) in expected.items():
            with self.subTest(control=control_id):
                definition = get(control_id)
                self.assertEqual((definition["SeverityRating"], definition["Title"]), (severity, title))
                self.assertEqual(definition["RemediationUrl"],
                                 f"https://docs.aws.amazon.com/console/securityhub/{control_id}/remediation")
        self.assertEqual(get("EC2.19")["Description"][:95],
                         "This control checks whether unrestricted incoming traffic for an Amazon EC2 security "
                         "group is a")
        self.assertEqual(get("Config.1")["ParameterDefinitions"], {"includeConfigServiceLinkedRoleCheck": {
            "Description": "The control doesn't evaluate whether AWS Config uses the service-linked role if the "
                           "parameter is set to 'false'.",
            "ConfigurationOptions": {"Boolean": {"DefaultValue": True}}}})
        for retired in ["IAM.20", "S3.4", "CloudFront.2"]:
            self.assertClientError(lambda: get(retired), "ResourceNotFoundException", 404)

    def test_parameter_definitions(self):
        hub = self.enabled_hub()

        def parameters(control_id):
            definition = hub.get_security_control_definition(
                SecurityControlId=control_id)["SecurityControlDefinition"]
            self.assertEqual(definition["CustomizableProperties"],
                             ["Parameters"] if "ParameterDefinitions" in definition else [])
            return {name: value["ConfigurationOptions"]
                    for name, value in definition.get("ParameterDefinitions", {}).items()}

        self.assertEqual(parameters("ACM.1"), {"daysToExpiration": {"Integer": {"DefaultValue": 30, "Min": 14,
                                                                                 "Max": 365}}})
        self.assertEqual(parameters("IAM.7"), {
            "RequireUppercaseCharacters": {"Boolean": {"DefaultValue": True}},
            "RequireLowercaseCharacters": {"Boolean": {"DefaultValue": True}},
            "RequireSymbols": {"Boolean": {"DefaultValue": True}},
            "RequireNumbers": {"Boolean": {"DefaultValue": True}},
            "PasswordReusePrevention": {"Integer": {"Min": 12, "Max": 24}},
            "MinimumPasswordLength": {"Integer": {"DefaultValue": 8, "Min": 8, "Max": 128}},
            "MaxPasswordAge": {"Integer": {"Min": 1, "Max": 90}},
        })
        self.assertEqual(parameters("EC2.18"), {
            "authorizedUdpPorts": {"IntegerList": {"Min": 1, "Max": 65535}},
            "authorizedTcpPorts": {"IntegerList": {"DefaultValue": [80, 443], "Min": 1, "Max": 65535}}})
        self.assertEqual(parameters("DynamoDB.1")["minProvisionedReadCapacity"],
                         {"Integer": {"Min": 1, "Max": 40000}})
        self.assertEqual(parameters("RDS.14"), {"BacktrackWindowInHours": {"Double": {"Min": 0.1, "Max": 72.0}}})
        self.assertEqual(parameters("CloudWatch.15")["okActionRequired"], {"Boolean": {"DefaultValue": False}})
        self.assertEqual(parameters("RDS.40"), {"logTypes": {"EnumList": {"DefaultValue": ["agent", "error"]}}})
        self.assertEqual(parameters("ELB.10"), {"minAvailabilityZones": {"Enum": {
            "DefaultValue": "2", "AllowedValues": ["2", "3", "4", "5", "6"]}}})
        self.assertEqual(parameters("S3.3"), {})
        self.assertEqual(parameters("Lambda.2"), {})  # AWS's export has no definitions for it
        self.assertEqual(parameters("EC2.38"), {"requiredTagKeys": {"StringList": {}}})
        customizable = [definition["SecurityControlId"] for definition in self.all_pages(
            hub.list_security_control_definitions, "SecurityControlDefinitions")[0]
            if definition["CustomizableProperties"]]
        # 45 controls with parameters besides the 122 tagging controls (requiredTagKeys/requiredKeyTags).
        self.assertEqual(len(customizable), 167)


class PolicyParameterTest(CentralConfiguration, CairnTestCase):
    """SecurityControlCustomParameters of a configuration policy are checked against the catalog's
    ParameterDefinitions: a value out of bounds is refused with InvalidInputException (400), as
    AWS refuses an invalid policy, and nothing is stored."""

    def setUp(self):
        super().setUp()
        self.set_up_organization()

    def policy(self, control_id, name, value):
        return {"SecurityHub": {"ServiceEnabled": True, "EnabledStandardIdentifiers": [FSBP],
                                "SecurityControlsConfiguration": {
                                    "DisabledSecurityControlIdentifiers": [],
                                    "SecurityControlCustomParameters": [{
                                        "SecurityControlId": control_id,
                                        "Parameters": {name: {"ValueType": "CUSTOM", "Value": value}}}]}}}

    def test_out_of_bounds_values_are_refused(self):
        refused = [
            ("IAM.7", "MinimumPasswordLength", {"Integer": 7}, "out of range [8, 128]"),
            ("IAM.7", "MaxPasswordAge", {"Integer": 91}, "out of range [1, 90]"),
            ("EC2.18", "authorizedTcpPorts", {"IntegerList": [443, 65536]}, "out of range [1, 65535]"),
            ("RDS.14", "BacktrackWindowInHours", {"Double": 72.5}, "out of range [0.1, 72]"),
            ("Kinesis.3", "minimumBackupRetentionPeriod", {"Integer": 23}, "out of range [24, 8760]"),
            ("ELB.10", "minAvailabilityZones", {"Enum": "7"}, "is not one of its allowed values"),
            ("SecretsManager.4", "maxDaysSinceRotation", {"Integer": 181}, "out of range [1, 180]"),
            ("Lambda.2", "runtime", {"EnumList": ["python3.13"]}, "is not a parameter of security control"),
        ]
        for control_id, name, value, message in refused:
            with self.subTest(control=control_id, parameter=name):
                response = self.assertClientError(
                    lambda: self.create_policy("bad", self.policy(control_id, name, value)),
                    "InvalidInputException", 400)
                self.assertIn(message, response["Error"]["Message"])
                self.assertTrue(response["Error"]["Message"].startswith("Invalid semantics: "))
        self.assertEqual(self.sh.list_configuration_policies()["ConfigurationPolicySummaries"], [])
        accepted = [
            ("IAM.7", "MinimumPasswordLength", {"Integer": 128}),
            ("DynamoDB.1", "targetReadUtilization", {"Integer": 20}),
            ("RDS.14", "BacktrackWindowInHours", {"Double": 0.1}),
            ("EC2.18", "authorizedTcpPorts", {"IntegerList": [22, 443]}),
            ("CloudWatch.15", "okActionRequired", {"Boolean": True}),
            ("EC2.38", "requiredTagKeys", {"StringList": ["team"]}),
        ]
        for index, (control_id, name, value) in enumerate(accepted):
            with self.subTest(control=control_id, parameter=name):
                created = self.create_policy(f"good{index}", self.policy(control_id, name, value))
                stored = created["ConfigurationPolicy"]["SecurityHub"]["SecurityControlsConfiguration"][
                    "SecurityControlCustomParameters"][0]["Parameters"][name]
                self.assertEqual(stored, {"ValueType": "CUSTOM", "Value": value})


class RestartTest(unittest.TestCase):
    """With --data-dir, subscriptions survive a restart, and one still PENDING or DELETING
    when cairn stops moves on after it (its due time is stored with it)."""

    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="cairn-shstd-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)

    def start(self):
        cairn = harness.Cairn("--data-dir", self.data_dir)
        self.addCleanup(cairn.stop)
        return cairn

    def test_statuses_move_on_after_a_restart(self):
        cairn = self.start()
        hub = cairn.client("securityhub", account=ACCOUNT)
        hub.enable_security_hub(EnableDefaultStandards=True)
        cairn.admin("POST", "/_cairn/clock/advance", {"seconds": 2})
        hub.batch_disable_standards(StandardsSubscriptionArns=[FSBP_SUBSCRIPTION])
        hub.batch_enable_standards(StandardsSubscriptionRequests=[{"StandardsArn": PCI_321}])
        cairn.kill()

        cairn = self.start()
        hub = cairn.client("securityhub", account=ACCOUNT)
        cairn.admin("POST", "/_cairn/clock/advance", {"seconds": 2})
        subscriptions = hub.get_enabled_standards()["StandardsSubscriptions"]
        self.assertEqual({s["StandardsArn"]: s["StandardsStatus"] for s in subscriptions},
                         {CIS_120: "READY", PCI_321: "READY"})


if __name__ == "__main__":
    unittest.main()
