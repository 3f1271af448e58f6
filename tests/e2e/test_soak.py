"""Soak (bounded, loopback only): 64 clients mix reads, writes and deletes across six accounts
and every service for CAIRN_SOAK_SECONDS (default 120), while 256 more connections are held
open, faults are injected (connections aborted mid-request, malformed bytes, clients that
trickle their request, and one kill -9 of cairn restarted on the same data dir halfway), and
then checks that nothing was lost:

- every create that was acknowledged (2xx) and not later deleted is listed;
- every acknowledged delete is gone, and a create refused with an AWS error left nothing;
- no paginated walk (small pages) lists anything twice.

A request whose outcome the client could not learn (the connection died with cairn) is
checked only for duplicates. The figures are printed at the end (CAIRN_SOAK_SECONDS=600 for
a long run); the README quotes them.
"""
import json
import os
import random
import socket
import tempfile
import threading
import time
import unittest

import boto3
import botocore.config
import botocore.exceptions

from bad_input_cases import json_headers, request_bytes
from harness import MANAGEMENT, REPO, Cairn

SECONDS = float(os.environ.get("CAIRN_SOAK_SECONDS", "120"))
CLIENTS = 64
IDLE_CONNECTIONS = 256
ACCOUNTS = [MANAGEMENT, "222222222222", "333333333333", "444444444444", "555555555555",
            "666666666666"]
LIVE_PER_CLIENT = 3  # deletes keep each client's live resources of a kind at most this many
DOCUMENT = json.dumps({"schemaVersion": "2.2", "description": "soak", "mainSteps": [
    {"action": "aws:runShellScript", "name": "run", "inputs": {"runCommand": ["true"]}}]})

PRESENT, ABSENT, UNKNOWN = "present", "absent", "unknown"


def paginate(call, items_key, token_key="NextToken", **kwargs):
    items, token = [], None
    while True:
        response = call(**kwargs, **({token_key: token} if token else {}))
        items.extend(response.get(items_key, []))
        token = response.get(token_key)
        if not token:
            return items


class Kind:
    """One resource type: how to create, delete and read one, and list all (paginated)."""

    def __init__(self, name, create, delete, read, listing, accounts=None):
        self.name = name
        self.create = create  # (clients, resource name) -> id used by delete
        self.delete = delete  # (clients, id)
        self.read = read  # (clients, id)
        self.listing = listing  # (clients) -> list of resource names, as walked
        self.accounts = accounts


def hub_arn(account):
    return f"arn:aws:securityhub:us-east-1:{account}:hub/default"


KINDS = [
    Kind("document",
         lambda c, name: c["ssm"].create_document(
             Name=name, Content=DOCUMENT, DocumentType="Command",
             DocumentFormat="JSON")["DocumentDescription"]["Name"],
         lambda c, ident: c["ssm"].delete_document(Name=ident),
         lambda c, ident: c["ssm"].describe_document(Name=ident),
         lambda c: [item["Name"] for item in paginate(
             c["ssm"].list_documents, "DocumentIdentifiers", MaxResults=7,
             Filters=[{"Key": "Owner", "Values": ["Self"]}])]),
    Kind("association",
         lambda c, name: (name, c["ssm"].create_association(
             Name="AWS-RunShellScript", AssociationName=name,
             Targets=[{"Key": "tag:Soak", "Values": ["yes"]}],
             Parameters={"commands": ["true"]})["AssociationDescription"]["AssociationId"]),
         lambda c, ident: c["ssm"].delete_association(AssociationId=ident[1]),
         lambda c, ident: c["ssm"].describe_association(AssociationId=ident[1]),
         lambda c: [item["Name"] + "|" + item.get("AssociationName", "") for item in paginate(
             c["ssm"].list_associations, "Associations", MaxResults=5)]),
    Kind("aggregator",
         lambda c, name: c["config"].put_configuration_aggregator(
             ConfigurationAggregatorName=name,
             AccountAggregationSources=[{"AccountIds": [c["account"]], "AllAwsRegions": True}])[
             "ConfigurationAggregator"]["ConfigurationAggregatorName"],
         lambda c, ident: c["config"].delete_configuration_aggregator(
             ConfigurationAggregatorName=ident),
         lambda c, ident: c["config"].describe_configuration_aggregators(
             ConfigurationAggregatorNames=[ident]),
         lambda c: [item["ConfigurationAggregatorName"] for item in paginate(
             c["config"].describe_configuration_aggregators, "ConfigurationAggregators",
             Limit=4)]),
    Kind("ou",
         lambda c, name: (name, c["org"].create_organizational_unit(
             ParentId=c["root"], Name=name)["OrganizationalUnit"]["Id"]),
         lambda c, ident: c["org"].delete_organizational_unit(OrganizationalUnitId=ident[1]),
         lambda c, ident: c["org"].describe_organizational_unit(OrganizationalUnitId=ident[1]),
         lambda c: [item["Name"] for item in paginate(
             c["org"].list_organizational_units_for_parent, "OrganizationalUnits",
             ParentId=c["root"], MaxResults=3)],
         accounts=[MANAGEMENT]),
    Kind("hub-tag",
         lambda c, name: c["hub"].tag_resource(ResourceArn=hub_arn(c["account"]),
                                               Tags={name: "v"}) and name,
         lambda c, ident: c["hub"].untag_resource(ResourceArn=hub_arn(c["account"]),
                                                  TagKeys=[ident]),
         lambda c, ident: c["hub"].list_tags_for_resource(ResourceArn=hub_arn(c["account"])),
         lambda c: list(c["hub"].list_tags_for_resource(
             ResourceArn=hub_arn(c["account"]))["Tags"])),
]


def clients_for(endpoint, account, root):
    session = boto3.session.Session(aws_access_key_id=account, aws_secret_access_key="x",
                                    region_name="us-east-1")
    # Low-level clients are thread-safe: the clients of an account are shared by its threads.
    config = botocore.config.Config(retries={"total_max_attempts": 1}, max_pool_connections=16,
                                    connect_timeout=5, read_timeout=30)
    made = {name: session.client(service, endpoint_url=endpoint, config=config)
            for name, service in (("ssm", "ssm"), ("config", "config"),
                                  ("org", "organizations"), ("hub", "securityhub"),
                                  ("sts", "sts"))}
    made.update(account=account, root=root)
    return made


def resource_key(kind, ident):
    """What the listing of `kind` shows for a resource created as `ident`."""
    if kind.name == "association":
        return "AWS-RunShellScript|" + ident[0]
    if kind.name == "ou":
        return ident[0]
    return ident


class Figures:
    def __init__(self):
        self.lock = threading.Lock()
        self.tried = self.acknowledged = self.refused = self.lost_answers = 0
        self.faults = {"aborted": 0, "malformed": 0, "slow": 0, "kill -9": 0}

    def add(self, **counts):
        with self.lock:
            for name, count in counts.items():
                if name in self.faults:
                    self.faults[name] += count
                else:
                    setattr(self, name, getattr(self, name) + count)


class SoakTest(unittest.TestCase):
    def test_soak(self):
        data_dir = tempfile.TemporaryDirectory()
        world = os.path.join(REPO, "examples", "world.yaml")
        args = ("--world", world, "--data-dir", data_dir.name, "--idle-timeout-ms", "600000",
                "--threads", "2")
        self.cairn = Cairn(*args)
        port = self.cairn.port
        endpoint = self.cairn.endpoint
        figures = Figures()
        held = []
        peak_connections = [0]
        try:
            setup = clients_for(endpoint, MANAGEMENT, None)
            root = setup["org"].list_roots()["Roots"][0]["Id"]
            shared = {account: clients_for(endpoint, account, root) for account in ACCOUNTS}
            for account in ACCOUNTS:
                shared[account]["hub"].enable_security_hub(EnableDefaultStandards=False)
            for _ in range(IDLE_CONNECTIONS):
                held.append(socket.create_connection(("127.0.0.1", port), timeout=5))

            # (kind name, account, resource key) -> PRESENT / ABSENT / UNKNOWN
            outcomes = {}
            outcomes_lock = threading.Lock()
            deadline = time.monotonic() + SECONDS
            restart_at = time.monotonic() + SECONDS / 2
            restarting = threading.Event()

            def record(key, outcome):
                with outcomes_lock:
                    outcomes[key] = outcome

            def fault(rng):
                kind = rng.choice(["aborted", "malformed", "slow"])
                data = request_bytes("POST", "/", b'{"Name":"AWS-RunShellScript"}', {
                    n: v.encode() for n, v in json_headers("ssm", "DescribeDocument").items()})
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                        if kind == "aborted":
                            sock.sendall(data[:rng.randrange(1, len(data))])
                            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                            b"\x01\x00\x00\x00\x00\x00\x00\x00")
                        elif kind == "malformed":
                            sock.sendall(b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n")
                            sock.recv(4096)
                        else:
                            for start in range(0, len(data), 16):
                                sock.sendall(data[start:start + 16])
                                time.sleep(0.01)
                            sock.recv(4096)
                except OSError:
                    pass
                figures.add(**{kind: 1})

            def client(index):
                rng = random.Random(index)
                account = ACCOUNTS[index % len(ACCOUNTS)]
                clients = shared[account]
                kinds = [kind for kind in KINDS if not kind.accounts or account in kind.accounts]
                live = {kind.name: [] for kind in kinds}
                serial = 0
                while time.monotonic() < deadline:
                    if restarting.is_set():
                        time.sleep(0.05)
                        continue
                    kind = rng.choice(kinds)
                    roll = rng.random()
                    if roll < 0.02:
                        fault(rng)
                        continue
                    figures.add(tried=1)
                    try:
                        if roll < 0.45 or (roll < 0.75 and len(live[kind.name]) >= LIVE_PER_CLIENT):
                            if live[kind.name] and roll < 0.75:
                                ident = live[kind.name].pop(0)
                                key = (kind.name, account, resource_key(kind, ident))
                                try:
                                    kind.delete(clients, ident)
                                    record(key, ABSENT)
                                except botocore.exceptions.ClientError:
                                    record(key, PRESENT)  # refused: nothing changed
                                    live[kind.name].append(ident)
                                    raise
                                except Exception:
                                    record(key, UNKNOWN)
                                    raise
                            elif live[kind.name]:
                                kind.read(clients, rng.choice(live[kind.name]))
                            else:
                                clients["sts"].get_caller_identity()
                        else:
                            serial += 1
                            name = f"soak-{index}-{serial}"
                            created_key = resource_key(kind, (name, None) if kind.name in (
                                "association", "ou") else name)
                            key = (kind.name, account, created_key)
                            try:
                                ident = kind.create(clients, name)
                                record(key, PRESENT)
                                live[kind.name].append(ident)
                            except botocore.exceptions.ClientError:
                                record(key, ABSENT)
                                raise
                            except Exception:
                                record(key, UNKNOWN)
                                raise
                        figures.add(acknowledged=1)
                    except botocore.exceptions.ClientError:
                        figures.add(refused=1)
                    except Exception:  # the connection died (kill -9): outcome unknown
                        figures.add(lost_answers=1)
                        time.sleep(0.05)

            def watch_connections():
                while time.monotonic() < deadline:
                    try:
                        count = sum(1 for fd in os.listdir(f"/proc/{self.cairn.process.pid}/fd")
                                    if os.readlink(f"/proc/{self.cairn.process.pid}/fd/{fd}")
                                    .startswith("socket:"))
                        peak_connections[0] = max(peak_connections[0], count - 1)
                    except OSError:
                        pass
                    if time.monotonic() >= restart_at and not figures.faults["kill -9"]:
                        # kill -9 halfway, and a restart on the same data dir and port.
                        restarting.set()
                        self.cairn.kill()
                        for sock in held:
                            sock.close()
                        held.clear()
                        self.cairn = Cairn(*args, port=str(port))
                        for _ in range(IDLE_CONNECTIONS):
                            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
                        figures.add(**{"kill -9": 1})
                        restarting.clear()
                    time.sleep(0.5)

            threads = [threading.Thread(target=client, args=(index,)) for index in range(CLIENTS)]
            watcher = threading.Thread(target=watch_connections)
            started = time.monotonic()
            for thread in threads + [watcher]:
                thread.start()
            for thread in threads + [watcher]:
                thread.join()
            elapsed = time.monotonic() - started

            # ---- the consistency check ----
            verified = {PRESENT: 0, ABSENT: 0, UNKNOWN: 0}
            for account in ACCOUNTS:
                clients = shared[account]
                for kind in KINDS:
                    if kind.accounts and account not in kind.accounts:
                        continue
                    walked = kind.listing(clients)
                    duplicates = {item for item in walked if walked.count(item) > 1}
                    self.assertFalse(duplicates, f"{kind.name} {account}: listed twice")
                    listed = set(walked)
                    for (kind_name, owner, key), outcome in outcomes.items():
                        if kind_name != kind.name or owner != account:
                            continue
                        verified[outcome] += 1
                        if outcome == PRESENT:
                            self.assertIn(key, listed, f"{kind.name} {account}: lost")
                        elif outcome == ABSENT:
                            self.assertNotIn(key, listed, f"{kind.name} {account}: not deleted")
            self.assertIsNone(self.cairn.process.poll())
            self.assertGreater(figures.acknowledged, 1000 * min(1, SECONDS / 60))
            self.assertEqual(figures.faults["kill -9"], 1 if SECONDS >= 4 else 0)
            print(f"\nsoak: {elapsed:.0f} s, {CLIENTS} clients, {figures.tried} requests tried "
                  f"({figures.tried / elapsed:.0f}/s): {figures.acknowledged} acknowledged, "
                  f"{figures.refused} refused with an AWS error, {figures.lost_answers} "
                  f"unanswered (cairn killed); peak {peak_connections[0]} connections held; "
                  f"faults survived: {figures.faults}; checked {verified[PRESENT]} present, "
                  f"{verified[ABSENT]} absent, {verified[UNKNOWN]} of unknown outcome: "
                  "nothing lost, nothing duplicated")
        finally:
            for sock in held:
                sock.close()
            self.cairn.stop()
            data_dir.cleanup()


if __name__ == "__main__":
    unittest.main()
