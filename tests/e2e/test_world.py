"""World files: `cairn --world FILE` (or CAIRN_WORLD) builds an organization at startup."""
import os
import subprocess
import tempfile
import unittest

import harness

EXAMPLE = os.path.join(harness.REPO, "examples", "world.yaml")


class ExampleLandingZoneTest(unittest.TestCase):
    """The shipped example builds a landing zone that boto3 sees as AWS would show it."""

    @classmethod
    def setUpClass(cls):
        cls.cairn = harness.Cairn("--world", EXAMPLE)

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()

    def test_management_account_sees_every_account_and_ou(self):
        org = self.cairn.client("organizations", account="111111111111")
        organization = org.describe_organization()["Organization"]
        self.assertEqual(organization["Id"], "o-cairnexample")
        self.assertEqual(organization["MasterAccountEmail"], "management@example.com")
        accounts = {a["Id"]: a for p in org.get_paginator("list_accounts").paginate()
                    for a in p["Accounts"]}
        self.assertEqual(sorted(accounts), ["111111111111", "222222222222", "333333333333",
                                            "444444444444", "555555555555", "666666666666"])
        self.assertEqual(accounts["222222222222"]["Name"], "audit")
        root = org.list_roots()["Roots"][0]
        self.assertEqual(root["Id"], "r-cair")
        top = {u["Name"]: u["Id"] for u in
               org.list_organizational_units_for_parent(ParentId=root["Id"])["OrganizationalUnits"]}
        self.assertEqual(sorted(top), ["Infrastructure", "Security", "Workloads"])
        nested = org.list_organizational_units_for_parent(ParentId=top["Workloads"])
        self.assertEqual(sorted(u["Name"] for u in nested["OrganizationalUnits"]),
                         ["Development", "Production"])

    def test_nested_account_parent_chain(self):
        org = self.cairn.client("organizations", account="111111111111")
        parent = org.list_parents(ChildId="555555555555")["Parents"][0]
        self.assertEqual(parent["Type"], "ORGANIZATIONAL_UNIT")
        self.assertEqual(org.describe_organizational_unit(
            OrganizationalUnitId=parent["Id"])["OrganizationalUnit"]["Name"], "Production")

    def test_trusted_access_and_delegated_administrators(self):
        org = self.cairn.client("organizations", account="111111111111")
        principals = {p["ServicePrincipal"] for p in
                      org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]}
        self.assertIn("securityhub.amazonaws.com", principals)
        admins = org.list_delegated_administrators(
            ServicePrincipal="config.amazonaws.com")["DelegatedAdministrators"]
        self.assertEqual([a["Id"] for a in admins], ["222222222222"])

    def test_managed_nodes_are_registered_per_account_and_region(self):
        ssm = self.cairn.client("ssm", account="555555555555", region="us-east-1")
        nodes = ssm.describe_instance_information()["InstanceInformationList"]
        self.assertEqual(sorted(n["InstanceId"] for n in nodes), ["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002"])
        web = ssm.describe_instance_information(Filters=[{"Key": "tag:Role", "Values": ["web"]}])
        self.assertEqual(len(web["InstanceInformationList"]), 2)
        dev = self.cairn.client("ssm", account="666666666666", region="us-east-1")
        self.assertEqual(dev.describe_instance_information()["InstanceInformationList"][0]["PlatformType"], "Windows")
        self.assertEqual(self.cairn.client("ssm", account="555555555555", region="eu-west-1")
                         .describe_instance_information()["InstanceInformationList"], [])

    def test_member_accounts_act_as_themselves(self):
        member = self.cairn.client("organizations", account="555555555555")
        self.assertEqual(member.describe_organization()["Organization"]["MasterAccountId"],
                         "111111111111")
        with self.assertRaises(member.exceptions.AccessDeniedException):
            member.list_accounts()


class WorldFileErrorsTest(unittest.TestCase):
    """A bad world file stops cairn with its line number, before it serves anything."""

    def start(self, text, via_env=False):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as world:
            world.write(text)
        self.addCleanup(os.unlink, world.name)
        args = [harness.BINARY, "--port", "0"]
        env = dict(os.environ)
        if via_env:
            env["CAIRN_WORLD"] = world.name
        else:
            args += ["--world", world.name]
        return subprocess.run(args, capture_output=True, text=True, timeout=10, env=env), world.name

    def test_bad_account_id_names_file_and_line(self):
        result, path = self.start('organization:\n  management_account: {id: "111111111111"}\n'
                                  '  accounts:\n    - {id: "42"}\n')
        self.assertEqual(result.returncode, 2)
        self.assertIn(path + ":4:", result.stderr)
        self.assertIn("must be 12 digits", result.stderr)
        self.assertNotIn("listening", result.stdout)

    def test_env_variable_and_yaml_syntax_error(self):
        result, path = self.start("organization: [unclosed\n", via_env=True)
        self.assertEqual(result.returncode, 2)
        self.assertIn(path + ":", result.stderr)

    def test_missing_file(self):
        result = subprocess.run([harness.BINARY, "--port", "0", "--world", "/nonexistent.yaml"],
                                capture_output=True, text=True, timeout=10)
        self.assertEqual(result.returncode, 2)
        self.assertIn("cannot be read", result.stderr)


if __name__ == "__main__":
    unittest.main()
