"""Durable state: --data-dir keeps every acknowledged change in SQLite across restarts and
crashes, refuses databases it must not touch, and exports/imports snapshots."""
import concurrent.futures
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import unittest

import botocore.exceptions

import harness

MANAGEMENT = "111111111111"


def full_listing(cairn):
    """Everything Organizations shows the management account, for before/after comparisons."""
    org = cairn.client("organizations", account=MANAGEMENT)
    listing = {"organization": org.describe_organization()["Organization"]}
    listing["accounts"] = [a for p in org.get_paginator("list_accounts").paginate() for a in p["Accounts"]]
    root = org.list_roots()["Roots"][0]
    listing["root"] = root
    units, pending = [], [root["Id"]]
    while pending:
        parent = pending.pop()
        for page in org.get_paginator("list_organizational_units_for_parent").paginate(ParentId=parent):
            for unit in page["OrganizationalUnits"]:
                units.append((parent, unit))
                pending.append(unit["Id"])
    listing["units"] = sorted(units, key=lambda item: item[1]["Id"])
    listing["service_access"] = org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    listing["delegated"] = org.list_delegated_administrators()["DelegatedAdministrators"]
    listing["tags"] = {unit["Id"]: org.list_tags_for_resource(ResourceId=unit["Id"])["Tags"]
                       for _, unit in units}
    listing["create_status"] = org.list_create_account_status()["CreateAccountStatuses"]
    return listing


class RestartTest(harness.DataDirTestCase):
    def build_organization(self, cairn):
        org = cairn.client("organizations", account=MANAGEMENT)
        org.create_organization(FeatureSet="ALL")
        root = org.list_roots()["Roots"][0]["Id"]
        security = org.create_organizational_unit(ParentId=root, Name="Security",
                                                  Tags=[{"Key": "team", "Value": "sec"}])
        org.create_organizational_unit(ParentId=security["OrganizationalUnit"]["Id"], Name="Nested")
        request = org.create_account(Email="audit@example.com", AccountName="audit")["CreateAccountStatus"]
        cairn.admin("POST", "/_cairn/clock/advance", {"seconds": 2})
        account = org.describe_create_account_status(
            CreateAccountRequestId=request["Id"])["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account, SourceParentId=root,
                         DestinationParentId=security["OrganizationalUnit"]["Id"])
        org.enable_aws_service_access(ServicePrincipal="config.amazonaws.com")
        org.register_delegated_administrator(AccountId=account, ServicePrincipal="config.amazonaws.com")
        return account

    def test_everything_is_identical_after_a_graceful_restart(self):
        first = self.start()
        self.build_organization(first)
        before = full_listing(first)
        self.assertEqual(first.stop(), 0)
        second = self.start()
        self.assertEqual(full_listing(second), before)

    def test_everything_is_identical_after_kill_9(self):
        first = self.start()
        self.build_organization(first)
        before = full_listing(first)
        first.kill()
        second = self.start()
        self.assertEqual(full_listing(second), before)

    def test_pending_account_creation_keeps_moving_after_restart(self):
        first = self.start()
        org = first.client("organizations", account=MANAGEMENT)
        org.create_organization()
        # Move the clock far ahead first: the restarted cairn must keep the advanced clock.
        first.admin("POST", "/_cairn/clock/advance", {"seconds": 3600})
        request = org.create_account(Email="new@example.com", AccountName="new")["CreateAccountStatus"]
        first.kill()
        second = self.start()
        org = second.client("organizations", account=MANAGEMENT)
        status = org.describe_create_account_status(CreateAccountRequestId=request["Id"])["CreateAccountStatus"]
        if status["State"] == "IN_PROGRESS":
            second.admin("POST", "/_cairn/clock/advance", {"seconds": 2})
            status = org.describe_create_account_status(
                CreateAccountRequestId=request["Id"])["CreateAccountStatus"]
        self.assertEqual(status["State"], "SUCCEEDED")
        self.assertIn(status["AccountId"], [a["Id"] for a in org.list_accounts()["Accounts"]])

    def test_reset_clears_durable_state(self):
        first = self.start()
        first.client("organizations", account=MANAGEMENT).create_organization()
        self.assertEqual(first.admin("POST", "/_cairn/reset")[0], 200)
        first.stop()
        second = self.start()
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            second.client("organizations", account=MANAGEMENT).describe_organization()
        self.assertEqual(caught.exception.response["Error"]["Code"], "AWSOrganizationsNotInUseException")

    def test_a_refused_request_writes_nothing(self):
        first = self.start()
        org = first.client("organizations", account=MANAGEMENT)
        org.create_organization()
        root = org.list_roots()["Roots"][0]["Id"]
        org.create_organizational_unit(ParentId=root, Name="Only")
        with self.assertRaises(botocore.exceptions.ClientError):
            org.create_organizational_unit(ParentId=root, Name="Only")
        first.kill()
        second = self.start()
        names = [u["Name"] for u in second.client("organizations", account=MANAGEMENT)
                 .list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]]
        self.assertEqual(names, ["Only"])


class CrashTest(harness.DataDirTestCase):
    def test_every_acknowledged_write_survives_kill_9_under_concurrent_clients(self):
        """Several clients create OUs as fast as they can; cairn is killed mid-stream. After a
        restart every OU whose response was received exists, and every OU that exists has an
        existing parent (nothing half-applied)."""
        cairn = self.start()
        org = cairn.client("organizations", account=MANAGEMENT)
        org.create_organization()
        root = org.list_roots()["Roots"][0]["Id"]
        acknowledged, lock, stop = [], threading.Lock(), threading.Event()

        def writer(writer_idx):
            client = cairn.client("organizations", account=MANAGEMENT)
            for item_idx in range(10_000):
                if stop.is_set():
                    return
                try:
                    unit = client.create_organizational_unit(ParentId=root, Name=f"w{writer_idx}-{item_idx}")
                except Exception:  # the connection dies with the process
                    return
                with lock:
                    acknowledged.append(unit["OrganizationalUnit"]["Id"])

        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
            futures = [pool.submit(writer, writer_idx) for writer_idx in range(6)]
            deadline = time.time() + 10
            while time.time() < deadline and len(acknowledged) < 300:
                time.sleep(0.02)
            cairn.kill()
            stop.set()
            for future in futures:
                future.result()
        self.assertGreater(len(acknowledged), 50)
        restarted = self.start()
        units = {u["Id"] for p in restarted.client("organizations", account=MANAGEMENT)
                 .get_paginator("list_organizational_units_for_parent").paginate(ParentId=root)
                 for u in p["OrganizationalUnits"]}
        missing = set(acknowledged) - units
        self.assertFalse(missing, f"{len(missing)} acknowledged OUs lost")


class RefusalTest(harness.DataDirTestCase):
    def test_a_second_cairn_on_the_same_data_dir_is_refused(self):
        self.start()
        result = self.run_cairn("--port", "0", "--data-dir", self.data_dir)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("in use by another cairn", result.stderr)

    def test_a_corrupt_database_is_refused_and_left_untouched(self):
        path = os.path.join(self.data_dir, "cairn.db")
        with open(path, "w") as database:
            database.write("garbage " * 100)
        result = self.run_cairn("--port", "0", "--data-dir", self.data_dir)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("not a cairn database", result.stderr)
        with open(path) as database:
            self.assertTrue(database.read().startswith("garbage"))

    def test_a_database_from_a_newer_cairn_is_refused(self):
        self.start().stop()
        with sqlite3.connect(os.path.join(self.data_dir, "cairn.db")) as database:
            database.execute("UPDATE meta SET value = 999 WHERE key = 'schema_version'")
        result = self.run_cairn("--port", "0", "--data-dir", self.data_dir)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("newer cairn", result.stderr)

    def test_a_corrupt_document_is_refused(self):
        cairn = self.start()
        cairn.client("organizations", account=MANAGEMENT).create_organization()
        cairn.stop()
        with sqlite3.connect(os.path.join(self.data_dir, "cairn.db")) as database:
            database.execute("UPDATE resources SET document = '{broken' WHERE collection LIKE 'organizations.%'")
        result = self.run_cairn("--port", "0", "--data-dir", self.data_dir)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("corrupt document", result.stderr)


class SnapshotTest(harness.DataDirTestCase):
    def test_export_then_import_into_another_data_dir(self):
        cairn = self.start("--world", os.path.join(harness.REPO, "examples", "world.yaml"))
        before = full_listing(cairn)
        snapshot = os.path.join(self.data_dir, "snapshot.json")
        # Export reads while cairn is still running.
        result = self.run_cairn("export", snapshot, "--data-dir", self.data_dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(snapshot) as snapshot_file:
            document = json.load(snapshot_file)
        self.assertEqual(document["format"], "cairn-snapshot")
        self.assertIn("organizations.accounts", document["collections"])
        # Import is refused while a cairn holds the target directory.
        result = self.run_cairn("import", snapshot, "--data-dir", self.data_dir)
        self.assertNotEqual(result.returncode, 0)
        cairn.stop()

        other_dir = tempfile.mkdtemp(prefix="cairn-import-")
        self.addCleanup(shutil.rmtree, other_dir, True)
        result = self.run_cairn("import", snapshot, "--data-dir", other_dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        imported = harness.Cairn("--data-dir", other_dir)
        self.running.append(imported)
        self.assertEqual(full_listing(imported), before)

    def test_import_refuses_what_is_not_a_snapshot(self):
        bad = os.path.join(self.data_dir, "bad.json")
        with open(bad, "w") as bad_file:
            json.dump({"format": "something-else"}, bad_file)
        result = self.run_cairn("import", bad, "--data-dir", self.data_dir)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("not a cairn snapshot", result.stderr)
        result = self.run_cairn("export", bad)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--data-dir", result.stderr)


if __name__ == "__main__":
    unittest.main()
