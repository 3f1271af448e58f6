"""SSM State Manager associations through boto3: the rules of the CreateAssociation and
ListAssociations seed pages, versions, runs through the lifecycle scheduler (waves of
MaxConcurrency, MaxErrors), schedules, dynamic targets, legacy associations and pagination."""
import uuid

import harness

ACCOUNT = "123456789012"
OTHER = "210987654321"
REGION = "eu-west-1"


class AssociationTestCase(harness.CairnTestCase):
    def setUp(self):
        super().setUp()
        self.ssm = self.cairn.client("ssm", account=ACCOUNT, region=REGION)

    def node(self, tags=None, outcome="Success", account=ACCOUNT, region=REGION, instance_id=None):
        body = {"AccountId": account, "Region": region, "Tags": tags or [], "AssociationOutcome": outcome}
        if instance_id:
            body["InstanceId"] = instance_id
        status, answer = self.cairn.admin("POST", "/_cairn/ssm/instances", body)
        self.assertEqual(status, 200, answer)
        return answer["InstanceId"]

    def advance(self, seconds):
        status, _ = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": seconds})
        self.assertEqual(status, 200)

    def settle(self, steps=8):
        """Lets every run in flight finish: one wave per second of clock time."""
        for _ in range(steps):
            self.advance(1)

    def create(self, **kwargs):
        kwargs.setdefault("Name", "AWS-RunShellScript")
        kwargs.setdefault("Parameters", {"commands": ["echo hello"]})
        return self.ssm.create_association(**kwargs)["AssociationDescription"]


class CreateAssociationTest(AssociationTestCase):
    def test_description_carries_what_was_sent_and_aws_defaults(self):
        """CreateAssociation answers Pending/Creating, version "1", DocumentVersion $DEFAULT."""
        description = self.create(Targets=[{"Key": "tag:env", "Values": ["prod"]}], AssociationName="web-setup",
                                   ScheduleExpression="rate(30 minutes)", MaxConcurrency="50%", MaxErrors="1",
                                   ComplianceSeverity="HIGH")
        self.assertEqual(description["AssociationVersion"], "1")
        self.assertEqual(description["DocumentVersion"], "$DEFAULT")
        self.assertFalse(description["ApplyOnlyAtCronInterval"])
        self.assertEqual(description["Overview"], {"Status": "Pending", "DetailedStatus": "Creating"})
        self.assertEqual(description["Targets"], [{"Key": "tag:env", "Values": ["prod"]}])
        self.assertEqual(description["Parameters"], {"commands": ["echo hello"]})
        self.assertEqual(description["MaxConcurrency"], "50%")
        self.assertEqual(description["ComplianceSeverity"], "HIGH")
        self.assertNotIn("LastExecutionDate", description)
        self.assertNotIn("SyncCompliance", description, "members not sent are not invented")
        uuid.UUID(description["AssociationId"])
        described = self.ssm.describe_association(AssociationId=description["AssociationId"])["AssociationDescription"]
        self.assertEqual(described["AssociationName"], "web-setup")
        self.assertEqual(described["Date"], description["Date"])

    def test_legacy_instance_id_association_looks_like_the_seed_sample(self):
        """The seed's sample: InstanceId shows as an InstanceIds target, with Status Associated."""
        node = self.node()
        description = self.ssm.create_association(Name="AWS-UpdateSSMAgent", InstanceId=node)["AssociationDescription"]
        self.assertEqual(description["InstanceId"], node)
        self.assertEqual(description["Targets"], [{"Key": "InstanceIds", "Values": [node]}])
        self.assertEqual(description["Status"]["Name"], "Associated")
        self.assertEqual(description["Status"]["Message"], "Associated with AWS-UpdateSSMAgent")
        self.assertClientError(lambda: self.ssm.create_association(Name="AWS-UpdateSSMAgent", InstanceId=node),
                               "AssociationAlreadyExists", 400)

    def test_instance_id_excludes_the_parameters_the_seed_lists(self):
        node = self.node()
        for member, value in [("AssociationName", "named"), ("DocumentVersion", "$LATEST"), ("MaxErrors", "1"),
                              ("MaxConcurrency", "1"), ("ScheduleExpression", "rate(1 day)"),
                              ("OutputLocation", {"S3Location": {"OutputS3BucketName": "my-bucket"}})]:
            with self.subTest(member=member):
                self.assertClientError(
                    lambda: self.ssm.create_association(Name="AWS-UpdateSSMAgent", InstanceId=node, **{member: value}),
                    "InvalidParameters", 400)

    def test_instance_id_fails_with_schema_2_documents(self):
        """"Requests that include the parameter InstanceID with SSM documents that use schema
        version 2.0 or later will fail.\""""
        node = self.node()
        self.assertClientError(
            lambda: self.ssm.create_association(Name="AWS-RunPatchBaseline", InstanceId=node,
                                                Parameters={"Operation": ["Scan"]}),
            "InvalidDocument", 400,
            "Document schema version, 2.2, is not supported by association that is created with instance id")

    def test_instance_id_must_be_a_managed_node(self):
        self.assertClientError(lambda: self.ssm.create_association(Name="AWS-UpdateSSMAgent",
                                                                   InstanceId="i-0123456789abcdef0"),
                               "InvalidInstanceId", 400)

    def test_targets_and_target_maps_are_exclusive(self):
        self.assertClientError(lambda: self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}],
                                                   TargetMaps=[{"InstanceIds": ["i-0123456789abcdef0"]}]),
                               "InvalidTargetMaps", 400, "Both Targets and TargetMaps can't be specified together.")

    def test_schedule_rules(self):
        targets = [{"Key": "InstanceIds", "Values": ["*"]}]
        self.assertClientError(lambda: self.create(Targets=targets, ScheduleExpression="cron(0 2 ? * SUN *)",
                                                   ScheduleOffset=2),
                               "InvalidParameters", 400)
        self.assertClientError(lambda: self.create(Targets=targets, ScheduleExpression="rate(1 hour)",
                                                   ApplyOnlyAtCronInterval=True),
                               "InvalidSchedule", 400)
        self.assertClientError(lambda: self.create(Targets=targets, ScheduleExpression="rate(10 minutes)"),
                               "InvalidSchedule", 400)
        self.assertClientError(lambda: self.create(Targets=targets, ScheduleExpression="every day"),
                               "InvalidSchedule", 400)
        ok = self.create(Targets=targets, ScheduleExpression="cron(0 2 ? * SUN *)", ScheduleOffset=2,
                         ApplyOnlyAtCronInterval=True)
        self.assertEqual(ok["ScheduleOffset"], 2)

    def test_documents_versions_and_parameters(self):
        targets = [{"Key": "InstanceIds", "Values": ["*"]}]
        self.assertClientError(lambda: self.create(Name="No-Such-Document", Targets=targets), "InvalidDocument", 400)
        self.assertClientError(lambda: self.create(Targets=targets, DocumentVersion="99"), "InvalidDocumentVersion", 400)
        self.assertClientError(lambda: self.create(Targets=targets, Parameters={}), "InvalidParameters", 400,
                               'Parameter "commands" requires a value.')
        self.assertClientError(lambda: self.create(Targets=targets, Parameters={"commands": ["ls"], "nope": ["x"]}),
                               "InvalidParameters", 400)

    def test_targets_output_location_and_tags_are_checked(self):
        self.assertClientError(lambda: self.create(Targets=[{"Key": "colour", "Values": ["blue"]}]), "InvalidTarget", 400)
        self.assertClientError(lambda: self.create(Targets=[{"Key": "InstanceIds", "Values": ["not-an-id"]}]),
                               "InvalidTarget", 400)
        self.assertClientError(lambda: self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}],
                                                   OutputLocation={"S3Location": {"OutputS3BucketName": "Bad_Bucket"}}),
                               "InvalidOutputLocation", 400)
        self.assertClientError(lambda: self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}],
                                                   Tags=[{"Key": "aws:reserved", "Value": "x"}]),
                               "InvalidTag", 400)

    def test_association_limit_per_account_and_region(self):
        """"You can have at most 2,000 active associations" per account and Region."""
        ssm = self.cairn.client("ssm", account=OTHER, region="ap-south-1")
        first = None
        for _ in range(2000):
            created = ssm.create_association(Name="AWS-UpdateSSMAgent",
                                             Targets=[{"Key": "tag:none", "Values": ["x"]}])
            first = first or created["AssociationDescription"]["AssociationId"]
        self.assertClientError(lambda: ssm.create_association(Name="AWS-UpdateSSMAgent",
                                                              Targets=[{"Key": "tag:none", "Values": ["x"]}]),
                               "AssociationLimitExceeded", 400)
        # A deletion frees one place, and only one.
        ssm.delete_association(AssociationId=first)
        ssm.create_association(Name="AWS-UpdateSSMAgent", Targets=[{"Key": "tag:none", "Values": ["x"]}])
        self.assertClientError(lambda: ssm.create_association(Name="AWS-UpdateSSMAgent",
                                                              Targets=[{"Key": "tag:none", "Values": ["x"]}]),
                               "AssociationLimitExceeded", 400)
        # Another Region of the same account is not affected.
        self.cairn.client("ssm", account=OTHER, region="ap-south-2").create_association(
            Name="AWS-UpdateSSMAgent", Targets=[{"Key": "tag:none", "Values": ["x"]}])

    def test_batch_reports_each_entry(self):
        result = self.ssm.create_association_batch(Entries=[
            {"Name": "AWS-RunShellScript", "Parameters": {"commands": ["ls"]},
             "Targets": [{"Key": "InstanceIds", "Values": ["*"]}]},
            {"Name": "No-Such-Document", "Targets": [{"Key": "InstanceIds", "Values": ["*"]}]},
        ])
        self.assertEqual(len(result["Successful"]), 1)
        self.assertEqual(len(result["Failed"]), 1)
        self.assertEqual(result["Failed"][0]["Entry"]["Name"], "No-Such-Document")
        self.assertEqual(result["Failed"][0]["Fault"], "Client")

    def test_accounts_and_regions_are_isolated(self):
        description = self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}])
        for account, region in [(OTHER, REGION), (ACCOUNT, "us-west-2")]:
            other = self.cairn.client("ssm", account=account, region=region)
            self.assertEqual(other.list_associations()["Associations"], [])
            self.assertClientError(lambda: other.describe_association(AssociationId=description["AssociationId"]),
                                   "AssociationDoesNotExist", 400)


class RunTest(AssociationTestCase):
    def test_a_run_reaches_success_through_the_lifecycle(self):
        nodes = [self.node(tags=[{"Key": "env", "Value": "prod"}]) for _ in range(2)]
        self.node(tags=[{"Key": "env", "Value": "dev"}])
        description = self.create(Targets=[{"Key": "tag:env", "Values": ["prod"]}])
        association_id = description["AssociationId"]
        self.settle()
        described = self.ssm.describe_association(AssociationId=association_id)["AssociationDescription"]
        self.assertEqual(described["Overview"]["Status"], "Success")
        self.assertEqual(described["Overview"]["AssociationStatusAggregatedCount"], {"Success": 2})
        self.assertIn("LastExecutionDate", described)
        self.assertIn("LastSuccessfulExecutionDate", described)
        executions = self.ssm.describe_association_executions(AssociationId=association_id)["AssociationExecutions"]
        self.assertEqual(len(executions), 1)
        self.assertEqual(executions[0]["Status"], "Success")
        self.assertEqual(executions[0]["ResourceCountByStatus"], "{Success=2}")
        targets = self.ssm.describe_association_execution_targets(
            AssociationId=association_id, ExecutionId=executions[0]["ExecutionId"])["AssociationExecutionTargets"]
        self.assertEqual(sorted(t["ResourceId"] for t in targets), sorted(nodes))
        self.assertTrue(all(t["Status"] == "Success" for t in targets))
        statuses = self.ssm.describe_instance_associations_status(InstanceId=nodes[0])["InstanceAssociationStatusInfos"]
        self.assertEqual(statuses[0]["AssociationId"], association_id)
        self.assertEqual(statuses[0]["Status"], "Success")

    def test_max_concurrency_runs_in_waves_and_max_errors_stops_the_rest(self):
        """MaxConcurrency 1: one node per wave. MaxErrors 0: "the system stops sending requests
        after the first error is returned", so the nodes not reached are skipped."""
        for _ in range(3):
            self.node(tags=[{"Key": "role", "Value": "web"}], outcome="Failed")
        association_id = self.create(Targets=[{"Key": "tag:role", "Values": ["web"]}], MaxConcurrency="1",
                                     MaxErrors="0")["AssociationId"]
        self.advance(0.01)  # the run starts
        self.advance(1)     # first wave in flight
        execution = self.ssm.describe_association_executions(AssociationId=association_id)["AssociationExecutions"][0]
        targets = self.ssm.describe_association_execution_targets(
            AssociationId=association_id, ExecutionId=execution["ExecutionId"])["AssociationExecutionTargets"]
        self.assertEqual(sorted(t["Status"] for t in targets), ["InProgress", "Pending", "Pending"])
        self.settle()
        targets = self.ssm.describe_association_execution_targets(
            AssociationId=association_id, ExecutionId=execution["ExecutionId"])["AssociationExecutionTargets"]
        self.assertEqual(sorted(t["Status"] for t in targets), ["Failed", "Skipped", "Skipped"])
        described = self.ssm.describe_association(AssociationId=association_id)["AssociationDescription"]
        self.assertEqual(described["Overview"]["Status"], "Failed")
        self.assertNotIn("LastSuccessfulExecutionDate", described)
        failed_only = self.ssm.describe_association_execution_targets(
            AssociationId=association_id, ExecutionId=execution["ExecutionId"],
            Filters=[{"Key": "Status", "Value": "Failed"}])["AssociationExecutionTargets"]
        self.assertEqual(len(failed_only), 1)

    def test_one_advance_runs_a_whole_run_wave_by_wave(self):
        """A clock advance runs every step that falls within it, the steps earlier steps
        schedule included, each with the clock at its due time: a run of three waves
        (MaxConcurrency 1) finishes in one advance, one wave a second."""
        for _ in range(3):
            self.node(tags=[{"Key": "role", "Value": "api"}])
        association_id = self.create(Targets=[{"Key": "tag:role", "Values": ["api"]}],
                                     MaxConcurrency="1")["AssociationId"]
        self.advance(30)
        execution = self.ssm.describe_association_executions(AssociationId=association_id)["AssociationExecutions"][0]
        self.assertEqual(execution["Status"], "Success")
        targets = self.ssm.describe_association_execution_targets(
            AssociationId=association_id, ExecutionId=execution["ExecutionId"])["AssociationExecutionTargets"]
        self.assertEqual([t["Status"] for t in targets], ["Success"] * 3)
        finished = sorted(t["LastExecutionDate"] for t in targets)
        self.assertEqual(len(set(finished)), 3, finished)  # each wave at its own time
        self.assertEqual(self.ssm.describe_association(AssociationId=association_id)[
            "AssociationDescription"]["Overview"]["Status"], "Success")

    def test_apply_only_at_cron_interval_does_not_run_at_creation(self):
        self.node()
        association_id = self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}],
                                     ScheduleExpression="cron(0 3 ? * * *)", ApplyOnlyAtCronInterval=True)["AssociationId"]
        self.settle(3)
        self.assertEqual(self.ssm.describe_association_executions(AssociationId=association_id)["AssociationExecutions"], [])

    def test_rate_schedule_runs_again(self):
        self.node()
        association_id = self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}],
                                     ScheduleExpression="rate(30 minutes)")["AssociationId"]
        self.settle(3)
        self.advance(1800)
        self.settle(3)
        executions = self.ssm.describe_association_executions(AssociationId=association_id)["AssociationExecutions"]
        self.assertEqual(len(executions), 2)
        self.assertGreater(executions[0]["CreatedTime"], executions[1]["CreatedTime"], "newest first")

    def test_start_associations_once_and_new_nodes_run(self):
        association_id = self.create(Targets=[{"Key": "tag:team", "Values": ["blue"]}])["AssociationId"]
        self.settle(2)
        self.assertEqual(self.ssm.describe_association_executions(AssociationId=association_id)["AssociationExecutions"], [])
        # A node that joins the target set later runs the association (dynamic targets).
        node = self.node(tags=[{"Key": "team", "Value": "blue"}])
        self.settle(3)
        executions = self.ssm.describe_association_executions(AssociationId=association_id)["AssociationExecutions"]
        self.assertEqual(len(executions), 1)
        self.ssm.start_associations_once(AssociationIds=[association_id])
        self.settle(3)
        self.assertEqual(len(self.ssm.describe_association_executions(AssociationId=association_id)["AssociationExecutions"]), 2)
        self.assertEqual(self.ssm.describe_effective_instance_associations(InstanceId=node)["Associations"][0]["AssociationId"],
                         association_id)
        self.assertClientError(lambda: self.ssm.start_associations_once(AssociationIds=[str(uuid.uuid4())]),
                               "AssociationDoesNotExist", 400)

    def test_execution_filters_and_unknown_execution(self):
        self.node()
        association_id = self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}])["AssociationId"]
        self.settle()
        executions = self.ssm.describe_association_executions(
            AssociationId=association_id, Filters=[{"Key": "Status", "Value": "Failed", "Type": "EQUAL"}])
        self.assertEqual(executions["AssociationExecutions"], [])
        self.assertClientError(lambda: self.ssm.describe_association_execution_targets(
            AssociationId=association_id, ExecutionId=str(uuid.uuid4())), "AssociationExecutionDoesNotExist", 400)

    def test_sync_compliance_auto_records_association_compliance(self):
        node = self.node()
        self.create(Targets=[{"Key": "InstanceIds", "Values": [node]}])
        manual = self.node()
        self.create(Targets=[{"Key": "InstanceIds", "Values": [manual]}], SyncCompliance="MANUAL")
        self.settle()
        items = self.ssm.list_compliance_items(ResourceIds=[node], ResourceTypes=["ManagedInstance"])["ComplianceItems"]
        self.assertEqual([item["ComplianceType"] for item in items], ["Association"])
        self.assertEqual(items[0]["Status"], "COMPLIANT")
        self.assertEqual(self.ssm.list_compliance_items(ResourceIds=[manual],
                                                        ResourceTypes=["ManagedInstance"])["ComplianceItems"], [])


class VersionTest(AssociationTestCase):
    def test_every_update_is_a_version(self):
        association_id = self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}],
                                     AssociationName="first", MaxErrors="2")["AssociationId"]
        updated = self.ssm.update_association(AssociationId=association_id, AssociationName="second",
                                              Parameters={"commands": ["uptime"]})["AssociationDescription"]
        self.assertEqual(updated["AssociationVersion"], "2")
        # "the system removes all optional parameters from the request and overwrites the
        # association with null values for those parameters"
        self.assertNotIn("MaxErrors", updated)
        self.assertEqual(updated["Targets"], [{"Key": "InstanceIds", "Values": ["*"]}])
        versions = self.ssm.list_association_versions(AssociationId=association_id)["AssociationVersions"]
        self.assertEqual([v["AssociationVersion"] for v in versions], ["1", "2"])
        self.assertEqual(versions[0]["AssociationName"], "first")
        first = self.ssm.describe_association(AssociationId=association_id, AssociationVersion="1")["AssociationDescription"]
        self.assertEqual(first["AssociationName"], "first")
        self.assertClientError(lambda: self.ssm.describe_association(AssociationId=association_id, AssociationVersion="7"),
                               "InvalidAssociationVersion", 400)
        self.assertClientError(lambda: self.ssm.update_association(AssociationId=association_id, AssociationVersion="1",
                                                                   Parameters={"commands": ["id"]}),
                               "InvalidAssociationVersion", 400)
        self.assertClientError(lambda: self.ssm.update_association(AssociationId=str(uuid.uuid4())),
                               "AssociationDoesNotExist", 400)
        self.assertClientError(lambda: self.ssm.list_association_versions(AssociationId=str(uuid.uuid4())),
                               "AssociationDoesNotExist", 400)

    def test_delete_by_id_and_legacy_name_and_instance(self):
        association_id = self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}])["AssociationId"]
        self.ssm.delete_association(AssociationId=association_id)
        self.assertClientError(lambda: self.ssm.describe_association(AssociationId=association_id),
                               "AssociationDoesNotExist", 400)
        node = self.node()
        self.ssm.create_association(Name="AWS-UpdateSSMAgent", InstanceId=node)
        self.assertEqual(self.ssm.describe_association(Name="AWS-UpdateSSMAgent",
                                                       InstanceId=node)["AssociationDescription"]["InstanceId"], node)
        status = self.ssm.update_association_status(
            Name="AWS-UpdateSSMAgent", InstanceId=node,
            AssociationStatus={"Date": 1714566896, "Name": "Success", "Message": "all good"})["AssociationDescription"]
        self.assertEqual(status["Status"]["Name"], "Success")
        self.assertClientError(lambda: self.ssm.update_association_status(
            Name="AWS-UpdateSSMAgent", InstanceId=node,
            AssociationStatus={"Date": 1714566896, "Name": "Success", "Message": "all good"}), "StatusUnchanged", 400)
        self.ssm.delete_association(Name="AWS-UpdateSSMAgent", InstanceId=node)
        self.assertClientError(lambda: self.ssm.delete_association(Name="AWS-UpdateSSMAgent", InstanceId=node),
                               "AssociationDoesNotExist", 400)


class ListAssociationsTest(AssociationTestCase):
    def test_filters(self):
        node = self.node()
        legacy = self.ssm.create_association(Name="AWS-UpdateSSMAgent", InstanceId=node)["AssociationDescription"]
        named = self.create(Targets=[{"Key": "InstanceIds", "Values": [node]}], AssociationName="named")
        grouped = self.create(Targets=[{"Key": "resource-groups:Name", "Values": ["web-servers"]}])

        def ids(*filters):
            listed = self.ssm.list_associations(AssociationFilterList=[{"key": k, "value": v} for k, v in filters])
            return sorted(a["AssociationId"] for a in listed["Associations"])

        self.assertEqual(ids(("InstanceId", node)), [legacy["AssociationId"]],
                         "the InstanceId filter only finds legacy associations")
        self.assertEqual(ids(("Name", "AWS-RunShellScript")), sorted([named["AssociationId"], grouped["AssociationId"]]))
        self.assertEqual(ids(("AssociationName", "named")), [named["AssociationId"]])
        self.assertEqual(ids(("AssociationId", grouped["AssociationId"])), [grouped["AssociationId"]])
        self.assertEqual(ids(("ResourceGroupName", "web-servers")), [grouped["AssociationId"]])
        self.assertEqual(ids(("Name", "AWS-RunShellScript"), ("AssociationName", "named")), [named["AssociationId"]])
        self.settle()
        self.assertEqual(ids(("AssociationStatusName", "Success")), sorted([legacy["AssociationId"], named["AssociationId"]]))
        self.assertEqual(ids(("AssociationStatusName", "Pending")), [grouped["AssociationId"]])
        self.assertEqual(ids(("LastExecutedAfter", "2000-01-01T00:00:00Z")),
                         sorted([legacy["AssociationId"], named["AssociationId"]]))
        self.assertEqual(ids(("LastExecutedBefore", "2000-01-01T00:00:00Z")), [])
        listed = self.ssm.list_associations(AssociationFilterList=[{"key": "AssociationId", "value": named["AssociationId"]}])
        item = listed["Associations"][0]
        self.assertEqual(item["Overview"]["Status"], "Success")
        self.assertIn("LastExecutionDate", item)
        self.assertNotIn("Parameters", item, "the Association shape has no Parameters")

    def test_pagination_visits_every_association_once_despite_concurrent_changes(self):
        created = {self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}])["AssociationId"] for _ in range(23)}
        seen, token, pages = [], None, 0
        while True:
            kwargs = {"MaxResults": 5}
            if token:
                kwargs["NextToken"] = token
            page = self.ssm.list_associations(**kwargs)
            seen.extend(a["AssociationId"] for a in page["Associations"])
            pages += 1
            if pages == 2:
                # Changes between pages: a delete of a seen one, and new ones.
                self.ssm.delete_association(AssociationId=seen[0])
                self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}])
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(len(seen), len(set(seen)), "no association appears twice")
        self.assertTrue(created <= set(seen), "every association that existed throughout is listed")
        paginated = [a["AssociationId"] for page in self.ssm.get_paginator("list_associations").paginate(
            PaginationConfig={"PageSize": 7}) for a in page["Associations"]]
        self.assertEqual(len(paginated), 23)

    def test_forged_and_foreign_tokens_are_refused(self):
        for _ in range(3):
            self.create(Targets=[{"Key": "InstanceIds", "Values": ["*"]}])
        token = self.ssm.list_associations(MaxResults=1)["NextToken"]
        self.assertClientError(lambda: self.ssm.list_associations(NextToken="forged"), "InvalidNextToken", 400)
        other = self.cairn.client("ssm", account=OTHER, region=REGION)
        self.assertClientError(lambda: other.list_associations(NextToken=token), "InvalidNextToken", 400)
        self.assertClientError(lambda: self.ssm.list_associations(
            NextToken=token, AssociationFilterList=[{"key": "Name", "value": "AWS-RunShellScript"}]),
            "InvalidNextToken", 400)


if __name__ == "__main__":
    import unittest
    unittest.main()
