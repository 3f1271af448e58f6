"""Terraform against cairn: the hashicorp/aws provider (5.x) builds a landing zone in two layers
(tests/e2e/terraform/organization, then tests/e2e/terraform/accounts, whose providers act as
accounts the first layer created), plans again and finds no drift, changes it in place
(revision 2) and again finds no drift, then destroys it all, leaving cairn clean.

Terraform reads every resource back after creating or changing it and on every plan: a field
that cairn answers differently from what was sent, or a default that cairn invents, shows up
as drift.

Needs `terraform` (1.5 or later) and the hashicorp/aws provider 5.x in a local filesystem mirror,
so that nothing is downloaded: CAIRN_TF_PROVIDER_MIRROR names it, else the usual directories
below are searched. A machine without `terraform` at all skips this file and says why (the
e2e suite must run where only boto3 and the AWS CLI are installed); CAIRN_REQUIRE_TERRAFORM=1
makes that a failure too. A machine with `terraform` but without the provider mirror fails:
a broken Terraform setup must not look like a pass.
"""
import concurrent.futures
import glob
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import botocore.exceptions

import harness

TERRAFORM = shutil.which("terraform")
CONFIGURATIONS = os.path.join(harness.HERE, "terraform")
MANAGEMENT = harness.MANAGEMENT
REGION = "us-east-1"

# Where Terraform's documentation and distribution packages put provider mirrors.
MIRROR_CANDIDATES = [
    "/opt/tf-plugins",
    os.path.expanduser("~/.terraform.d/plugins"),
    os.path.expanduser("~/.local/share/terraform/plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
    "/usr/share/terraform/providers",
]
# A whole terraform command; the provider's own waiters poll every 10 to 30 seconds.
COMMAND_TIMEOUT = 300


def terraform_platform():
    machine = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine(),
                                                                            platform.machine())
    return platform.system().lower() + "_" + machine


def provider_mirror():
    """The filesystem mirror holding hashicorp/aws 5.x for this platform (unpacked or packed
    layout), or None."""
    named = os.environ.get("CAIRN_TF_PROVIDER_MIRROR")
    target = terraform_platform()
    for mirror in [named] if named else MIRROR_CANDIDATES:
        base = os.path.join(mirror, "registry.terraform.io", "hashicorp", "aws")
        if (glob.glob(os.path.join(base, "5.*", target))
                or glob.glob(os.path.join(base, f"terraform-provider-aws_5.*_{target}.zip"))):
            return mirror
    return None


def require_terraform():
    if TERRAFORM is None and os.environ.get("CAIRN_REQUIRE_TERRAFORM") != "1":
        raise unittest.SkipTest("terraform is not installed on this machine (no `terraform` on "
                                "PATH); set CAIRN_REQUIRE_TERRAFORM=1 to make this a failure")
    if TERRAFORM is None:
        raise AssertionError("CAIRN_REQUIRE_TERRAFORM=1 but there is no `terraform` on PATH")
    mirror = provider_mirror()
    if mirror is None:
        searched = os.environ.get("CAIRN_TF_PROVIDER_MIRROR") or ", ".join(MIRROR_CANDIDATES)
        raise AssertionError(
            f"terraform is installed ({TERRAFORM}) but no filesystem mirror holds "
            f"registry.terraform.io/hashicorp/aws 5.x for {terraform_platform()} (searched: "
            f"{searched}); set CAIRN_TF_PROVIDER_MIRROR to the mirror directory")
    return mirror


class TerraformLandingZoneTest(unittest.TestCase):
    """One landing zone, applied, changed, planned and destroyed by the real Terraform CLI."""

    @classmethod
    def setUpClass(cls):
        cls.mirror = require_terraform()
        # Terraform waits in real time (account creation, association runs, central
        # configuration): cairn's statuses must move on their own.
        cls.cairn = harness.Cairn(env={"CAIRN_CLOCK": "real"})
        cls.workdir = tempfile.mkdtemp(prefix="cairn-terraform-")

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def setUp(self):
        self.cli_config = os.path.join(self.workdir, "cli.tfrc")
        with open(self.cli_config, "w") as config:
            # Only the mirror: an attempt to reach the registry would be a test bug.
            config.write('provider_installation {\n  filesystem_mirror {\n'
                         f'    path    = {json.dumps(self.mirror)}\n'
                         '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n')
        self.layers = {}
        self.timings = []
        self.revision = 1
        for layer in ("organization", "accounts"):
            directory = os.path.join(self.workdir, layer)
            shutil.copytree(os.path.join(CONFIGURATIONS, layer), directory)
            self.layers[layer] = directory

    def terraform(self, layer, *args, expect=(0,)):
        """Runs `terraform <args>` in a layer's directory, isolated from the machine's AWS and
        Terraform settings; fails with the command's output unless its exit code is expected."""
        env = {name: value for name, value in os.environ.items()
               if not name.startswith(("AWS_", "TF_"))}
        env.update({
            "TF_CLI_CONFIG_FILE": self.cli_config, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            "TF_VAR_endpoint": self.cairn.endpoint,
            "TF_VAR_management_account_id": MANAGEMENT,
            "TF_VAR_organization_state": os.path.join(self.layers["organization"],
                                                      "terraform.tfstate"),
            "TF_VAR_revision": str(self.revision),
            "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        })
        started = time.monotonic()
        result = subprocess.run([TERRAFORM, *args, "-no-color"], cwd=self.layers[layer], env=env,
                                capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        self.timings.append(f"{layer} {args[0]} {time.monotonic() - started:.0f}s")
        if result.returncode not in expect:
            self.fail(f"terraform {' '.join(args)} in {layer} (revision {self.revision}) exited "
                      f"{result.returncode} after {time.monotonic() - started:.0f}s:\n"
                      f"{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
        return result

    def apply(self, layer):
        self.terraform(layer, "apply", "-auto-approve", "-input=false")

    def assertNoDrift(self):
        """`plan -detailed-exitcode` exits 2 when anything would change: drift that cairn
        caused. The layers are planned side by side (plans only read)."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            plans = {layer: pool.submit(self.terraform, layer, "plan", "-detailed-exitcode",
                                        "-input=false", expect=(0, 2))
                     for layer in ("organization", "accounts")}
            for layer, plan in plans.items():
                result = plan.result()
                self.assertEqual(result.returncode, 0, f"drift in {layer} (revision "
                                 f"{self.revision}):\n{result.stdout[-8000:]}")

    def outputs(self, layer):
        result = self.terraform(layer, "output", "-json")
        return {name: value["value"] for name, value in json.loads(result.stdout).items()}

    def test_landing_zone_applies_changes_without_drift_and_destroys_clean(self):
        self.revision = 1
        self.terraform("organization", "init", "-input=false")
        self.apply("organization")
        ids = self.outputs("organization")
        audit, workload = ids["audit_account_id"], ids["workload_account_id"]
        self.check_organization_layer(audit, workload)
        # A managed node for the association to target (nodes are not Terraform resources).
        status, node = self.cairn.admin("POST", "/_cairn/ssm/instances", {
            "AccountId": workload, "Region": REGION,
            "Tags": [{"Key": "Role", "Value": "web"}]})
        self.assertEqual(status, 200, node)
        self.terraform("accounts", "init", "-input=false")
        self.apply("accounts")
        self.check_accounts_layer(audit, workload)
        self.assertNoDrift()

        # Revision 2 changes resources in place: their Update paths must read back as sent.
        self.revision = 2
        self.apply("organization")
        self.apply("accounts")
        self.check_changes(workload)
        self.assertNoDrift()

        # The plans just read every resource: destroy need not read them again.
        self.terraform("accounts", "destroy", "-auto-approve", "-input=false", "-refresh=false")
        self.terraform("organization", "destroy", "-auto-approve", "-input=false",
                       "-refresh=false")
        self.check_clean(audit, workload)
        print("\n  terraform: " + ", ".join(self.timings), file=sys.stderr)

    def check_organization_layer(self, audit, workload):
        org = self.cairn.client("organizations")
        self.assertEqual(org.describe_organization()["Organization"]["MasterAccountId"], MANAGEMENT)
        parent = org.list_parents(ChildId=workload)["Parents"][0]["Id"]
        self.assertEqual(org.describe_organizational_unit(
            OrganizationalUnitId=parent)["OrganizationalUnit"]["Name"], "Production")
        admins = org.list_delegated_administrators()["DelegatedAdministrators"]
        self.assertEqual([admin["Id"] for admin in admins], [audit])
        # The organization conformance pack reached the workload account, not the excluded
        # audit account.
        packs = self.cairn.client("config", account=workload).describe_conformance_packs()
        self.assertEqual(len(packs["ConformancePackDetails"]), 1)
        self.assertEqual(self.cairn.client("config", account=audit).describe_conformance_packs()
                         ["ConformancePackDetails"], [])

    def check_accounts_layer(self, audit, workload):
        hub = self.cairn.client("securityhub", account=audit)
        self.assertEqual(hub.describe_organization_configuration()["OrganizationConfiguration"]
                         ["ConfigurationType"], "CENTRAL")
        ssm = self.cairn.client("ssm", account=workload)
        association = ssm.list_associations()["Associations"][0]
        # wait_for_success_timeout_seconds made Terraform wait for the first run.
        self.assertEqual(association["Overview"]["Status"], "Success")

    def check_changes(self, workload):
        org = self.cairn.client("organizations")
        parent = org.list_parents(ChildId=workload)["Parents"][0]["Id"]
        self.assertEqual(org.describe_organizational_unit(
            OrganizationalUnitId=parent)["OrganizationalUnit"]["Name"], "Workloads")
        ssm = self.cairn.client("ssm", account=workload)
        document = ssm.describe_document(Name="Workload-Hardening")["Document"]
        self.assertEqual((document["DefaultVersion"], document["VersionName"]), ("2", "2.0"))
        association = ssm.list_associations()["Associations"][0]
        self.assertEqual(association["ScheduleExpression"], "rate(12 hours)")

    def check_clean(self, audit, workload):
        """Everything Terraform created is gone; what AWS itself did on the way is named."""
        for account in (MANAGEMENT, audit, workload):
            with self.assertRaises(botocore.exceptions.ClientError) as caught:
                self.cairn.client("organizations", account=account).describe_organization()
            self.assertEqual(caught.exception.response["Error"]["Code"],
                             "AWSOrganizationsNotInUseException")
        for account in (MANAGEMENT, audit):
            config = self.cairn.client("config", account=account)
            self.assertEqual(config.describe_configuration_aggregators()
                             ["ConfigurationAggregators"], [])
        config = self.cairn.client("config")
        self.assertEqual(config.describe_aggregation_authorizations()["AggregationAuthorizations"],
                         [])
        member_config = self.cairn.client("config", account=workload)
        self.assertEqual(member_config.describe_conformance_packs()["ConformancePackDetails"], [])
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            self.cairn.client("securityhub").describe_hub()
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidAccessException")
        # Designating the administrator enabled Security Hub in the audit account (AWS does);
        # Terraform never managed that hub, so it stays, with nothing else in it.
        audit_hub = self.cairn.client("securityhub", account=audit)
        audit_hub.describe_hub()
        self.assertEqual(audit_hub.list_finding_aggregators()["FindingAggregators"], [])
        ssm = self.cairn.client("ssm", account=workload)
        self.assertEqual(ssm.list_associations()["Associations"], [])
        self.assertEqual(ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])
                         ["DocumentIdentifiers"], [])


if __name__ == "__main__":
    unittest.main()
