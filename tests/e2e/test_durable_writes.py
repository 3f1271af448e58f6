"""Durable writes answered after their commit (issue 8): with --data-dir, an HTTP worker does
not block while a write's batch is written; the answer is sent once the batch is durable. These
tests hold the guarantees that come with it: no answer before its change is durable (kill -9
under concurrent writers loses nothing acknowledged), a SIGTERM answers or closes every
connection and loses nothing acknowledged, and answers on one connection keep request order."""
import concurrent.futures
import json
import signal
import socket
import threading
import time
import unittest

import harness

ACCOUNT = "222222222222"
WRITERS = 8


def association_ids(cairn):
    ssm = cairn.client("ssm", account=ACCOUNT)
    return {a["AssociationId"] for page in ssm.get_paginator("list_associations").paginate()
            for a in page["Associations"]}


class DurableWritesTest(harness.DataDirTestCase):
    def write_until_stopped(self, cairn, stop):
        """WRITERS clients create associations as fast as they can until `stop` is set or the
        server goes away; returns the ids whose creation was acknowledged."""
        acknowledged, lock = [], threading.Lock()

        def writer(writer_idx):
            ssm = cairn.client("ssm", account=ACCOUNT)
            for item_idx in range(100_000):
                if stop.is_set():
                    return
                try:
                    created = ssm.create_association(
                        Name="AWS-RunShellScript", Parameters={"commands": ["true"]},
                        AssociationName=f"w{writer_idx}-{item_idx}",
                        Targets=[{"Key": "tag:none", "Values": ["x"]}])
                except Exception:  # the connection ends with the process
                    return
                with lock:
                    acknowledged.append(created["AssociationDescription"]["AssociationId"])

        pool = concurrent.futures.ThreadPoolExecutor(max_workers=WRITERS)
        futures = [pool.submit(writer, writer_idx) for writer_idx in range(WRITERS)]
        return acknowledged, lock, pool, futures

    def wait_for(self, acknowledged, lock, count):
        deadline = time.time() + 30
        while time.time() < deadline:
            with lock:
                if len(acknowledged) >= count:
                    return
            time.sleep(0.02)

    def test_every_acknowledged_write_survives_kill_9_under_concurrent_writers(self):
        cairn = self.start()
        stop = threading.Event()
        acknowledged, lock, pool, futures = self.write_until_stopped(cairn, stop)
        self.wait_for(acknowledged, lock, 400)
        cairn.kill()
        stop.set()
        for future in futures:
            future.result()
        pool.shutdown()
        self.assertGreaterEqual(len(acknowledged), 400)
        stored = association_ids(self.start())
        missing = set(acknowledged) - stored
        self.assertFalse(missing, f"{len(missing)} of {len(acknowledged)} acknowledged writes lost")

    def test_sigterm_answers_or_closes_every_connection_and_loses_nothing(self):
        # --durability power: every batch is fsynced, so commits take long enough that a stop
        # meets requests waiting for theirs.
        cairn = self.start("--durability", "power")
        stop = threading.Event()
        acknowledged, lock, pool, futures = self.write_until_stopped(cairn, stop)
        self.wait_for(acknowledged, lock, 200)
        cairn.process.send_signal(signal.SIGTERM)
        started = time.time()
        returncode = cairn.process.wait(timeout=15)
        self.assertEqual(returncode, 0, cairn.process.stderr.read())
        self.assertLess(time.time() - started, 10, "the drain deadline was reached")
        stop.set()
        for future in futures:
            future.result(timeout=30)  # every writer got an answer or a closed connection
        pool.shutdown()
        cairn.stop()
        self.assertGreaterEqual(len(acknowledged), 200)
        stored = association_ids(self.start())
        missing = set(acknowledged) - stored
        self.assertFalse(missing, f"{len(missing)} of {len(acknowledged)} acknowledged writes lost")

    def test_pipelined_requests_on_one_connection_are_answered_in_order(self):
        """Several writes sent at once on one connection: each answer comes after its own
        commit, in the order of the requests, and each names the association it created."""
        cairn = self.start()
        names = [f"pipelined-{idx}" for idx in range(20)]
        payload = b""
        for name in names:
            body = json.dumps({"Name": "AWS-RunShellScript", "AssociationName": name,
                               "Parameters": {"commands": ["true"]},
                               "Targets": [{"Key": "tag:none", "Values": ["x"]}]}).encode()
            headers = harness.json_headers("AmazonSSM.CreateAssociation", account=ACCOUNT)
            payload += (b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n" % len(body) +
                        b"".join(b"%s: %s\r\n" % (k.encode(), v.encode()) for k, v in headers.items()) +
                        b"\r\n" + body)
        with socket.create_connection(("127.0.0.1", cairn.port), timeout=10) as sock:
            sock.sendall(payload)
            answers = sock.makefile("rb")  # one reader: answers may arrive in one segment
            answered = []
            for _ in names:
                status = answers.readline().split()[1]
                length = 0
                while (line := answers.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode().partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                self.assertEqual(status, b"200")
                answered.append(json.loads(answers.read(length))["AssociationDescription"]["AssociationName"])
            answers.close()
        self.assertEqual(answered, names)
        ssm = cairn.client("ssm", account=ACCOUNT)
        listed = [a["AssociationName"] for page in ssm.get_paginator("list_associations").paginate()
                  for a in page["Associations"]]
        self.assertEqual(sorted(listed), sorted(names))


if __name__ == "__main__":
    unittest.main()
