"""End-to-end: cairn's connection limits, each configurable and answered as HTTP or AWS does,
and a slowloris client cannot starve the others (loopback only, bounded in time).

- --header-timeout-ms: a request whose header has begun must complete it in time, else
  408 and close (RFC 9110 15.5.9); --idle-timeout-ms: an idle connection is closed silently
  (RFC 9112 9.8), a request still arriving at its deadline is answered 408.
- --max-connections: a few connections over the limit are read and answered 503
  ServiceUnavailable (RFC 9110 15.6.4), then closed.
- --max-requests-per-second (per connection): the service's throttling error, in its own
  protocol: ThrottlingException 400 (ssm, config: AWS's Common Errors), Organizations'
  modelled TooManyRequestsException 400, Security Hub's modelled 429 LimitExceededException
  ("throttling limits"), STS `Throttling` 400 "Rate exceeded"; the connection stays open.
- --max-body-bytes / --max-header-bytes: 413 / 431 and close, in the protocol's shape when the
  header could be read.
"""
import json
import socket
import threading
import time
import unittest

from bad_input_cases import (Wire, error_code, json_headers, query_headers, raw_send,
                             request_bytes, rest_headers)
from harness import Cairn, run_cairn


def encoded(headers):
    return {name: value.encode() for name, value in headers.items()}


SSM_REQUEST = request_bytes("POST", "/", b"{}", encoded(json_headers("ssm", "ListDocuments")))


class SlowlorisTest(unittest.TestCase):
    def test_trickling_headers_cannot_starve_a_normal_client(self):
        """300 connections trickle a header one byte at a time; a normal client on a new
        connection still gets every answer promptly, and each slow connection is answered 408
        and closed once its header is over --header-timeout-ms."""
        cairn = Cairn("--header-timeout-ms", "1500", "--idle-timeout-ms", "20000")
        slow = []
        try:
            prefix = b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: "
            for _ in range(300):
                sock = socket.create_connection(("127.0.0.1", cairn.port), timeout=5)
                sock.sendall(prefix)
                slow.append(sock)
            stop = threading.Event()

            def trickle():
                while not stop.is_set():
                    for sock in slow:
                        try:
                            sock.send(b"a")
                        except OSError:
                            pass
                    time.sleep(0.1)

            trickler = threading.Thread(target=trickle)
            trickler.start()
            latencies = []
            try:
                wire = Wire(cairn.port)
                for _ in range(100):
                    started = time.monotonic()
                    status, headers, _ = wire.send("POST", "/", b"{}",
                                                   json_headers("ssm", "ListDocuments"))
                    latencies.append(time.monotonic() - started)
                    self.assertEqual(status, 200)
                wire.close()
            finally:
                stop.set()
                trickler.join()
            latencies.sort()
            self.assertLess(latencies[-1], 0.5, latencies[-5:])
            # Every slow connection is answered 408 and closed within the header timeout plus
            # a sweep period or two.
            deadline = time.monotonic() + 5
            answered = 0
            for sock in slow:
                sock.settimeout(max(0.1, deadline - time.monotonic()))
                received = b""
                try:
                    while True:
                        chunk = sock.recv(4096)
                        if not chunk:
                            break
                        received += chunk
                except (socket.timeout, ConnectionResetError):
                    pass
                if received.startswith(b"HTTP/1.1 408"):
                    answered += 1
            self.assertEqual(answered, len(slow))
            status, _ = cairn.admin("GET", "/_cairn/health")
            self.assertEqual(status, 200)
        finally:
            for sock in slow:
                sock.close()
            cairn.stop()


class LimitsTest(unittest.TestCase):
    def test_idle_connection_is_closed_silently(self):
        cairn = Cairn("--idle-timeout-ms", "300")
        try:
            with socket.create_connection(("127.0.0.1", cairn.port), timeout=5) as sock:
                started = time.monotonic()
                self.assertEqual(sock.recv(100), b"")
                self.assertLess(time.monotonic() - started, 2)
            # Also after a request on a keep-alive connection.
            with socket.create_connection(("127.0.0.1", cairn.port), timeout=5) as sock:
                sock.sendall(SSM_REQUEST)
                self.assertTrue(sock.recv(65536).startswith(b"HTTP/1.1 200"))
                self.assertEqual(sock.recv(100), b"")
        finally:
            cairn.stop()

    def test_request_body_slower_than_idle_timeout_is_408(self):
        cairn = Cairn("--idle-timeout-ms", "400", "--header-timeout-ms", "5000")
        try:
            head = SSM_REQUEST.replace(b"Content-Length: 2", b"Content-Length: 10")[:-2]
            status, headers, body = raw_send(cairn.port, head + b"{", timeout=5)
            self.assertEqual(status, 408)
            self.assertEqual(error_code(status, headers, body), ("json", "RequestTimeout"))
            self.assertIn("x-amzn-requestid", headers)
        finally:
            cairn.stop()

    def test_connections_over_the_limit_are_answered_503(self):
        cairn = Cairn("--max-connections", "4")
        held = []
        try:
            for _ in range(4):
                held.append(socket.create_connection(("127.0.0.1", cairn.port), timeout=5))
            time.sleep(0.2)  # let the server accept them
            status, headers, body = raw_send(cairn.port, SSM_REQUEST)
            self.assertEqual(status, 503)
            self.assertEqual(error_code(status, headers, body), ("json", "ServiceUnavailable"))
            self.assertIn("close", headers.get("connection", ""))
            data = request_bytes("POST", "/", b"Action=GetCallerIdentity",
                                 encoded(query_headers()))
            status, headers, body = raw_send(cairn.port, data)
            self.assertEqual((status, error_code(status, headers, body)),
                             (503, ("query", "ServiceUnavailable")))
            held.pop().close()
            time.sleep(0.2)
            status, _, _ = raw_send(cairn.port, SSM_REQUEST)
            self.assertEqual(status, 200)
        finally:
            for sock in held:
                sock.close()
            cairn.stop()

    def test_request_rate_per_connection(self):
        cairn = Cairn("--max-requests-per-second", "5")
        try:
            calls = {
                "ssm": ("POST", "/", b"{}", json_headers("ssm", "ListDocuments"),
                        ("json", "ThrottlingException"), 400),
                "config": ("POST", "/", b"{}",
                           json_headers("config", "DescribeConfigurationAggregators"),
                           ("json", "ThrottlingException"), 400),
                "organizations": ("POST", "/", b"{}",
                                  json_headers("organizations", "ListRoots"),
                                  ("json", "TooManyRequestsException"), 400),
                "securityhub": ("GET", "/configurationPolicy/list", b"", rest_headers(),
                                ("rest", "LimitExceededException"), 429),
                "sts": ("POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15",
                        query_headers(), ("query", "Throttling"), 400),
            }
            for service, (method, path, body, headers, expected, status) in calls.items():
                with self.subTest(service=service):
                    wire = Wire(cairn.port)
                    answers = [wire.send(method, path, body, headers) for _ in range(12)]
                    throttled = [answer for answer in answers if answer[0] == status and
                                 error_code(*answer) == expected]
                    self.assertGreaterEqual(len(throttled), 5, [a[:1] for a in answers])
                    self.assertLessEqual(len(throttled), 7)
                    for answer in throttled:
                        self.assertIn("x-amzn-requestid", answer[1])
                        self.assertNotIn("close", answer[1].get("connection", ""))
                    # Another connection has its own budget; this one refills with time.
                    other = Wire(cairn.port)
                    self.assertNotEqual(error_code(*other.send(method, path, body, headers)),
                                        expected)
                    other.close()
                    time.sleep(0.5)
                    self.assertNotEqual(error_code(*wire.send(method, path, body, headers)),
                                        expected)
                    wire.close()
        finally:
            cairn.stop()

    def test_body_and_header_limits_in_the_protocols_shape(self):
        cairn = Cairn("--max-body-bytes", "1000", "--max-header-bytes", "2000")
        try:
            big = json.dumps({"Name": "a" * 2000}).encode()
            status, headers, body = raw_send(cairn.port, request_bytes(
                "POST", "/", big, encoded(json_headers("ssm", "DescribeDocument"))))
            self.assertEqual((status, error_code(status, headers, body)),
                             (413, ("json", "RequestEntityTooLargeException")))
            status, headers, body = raw_send(cairn.port, request_bytes(
                "POST", "/configurationPolicy/create", big, encoded(rest_headers())))
            self.assertEqual((status, error_code(status, headers, body)[1]),
                             (413, "RequestEntityTooLargeException"))
            status, headers, body = raw_send(cairn.port, request_bytes(
                "POST", "/", b"{}", {**encoded(json_headers("ssm", "ListDocuments")),
                                     "X-Pad": b"p" * 3000}))
            self.assertEqual((status, error_code(status, headers, body)),
                             (431, ("json", "RequestHeaderFieldsTooLarge")))
            self.assertEqual(cairn.admin("GET", "/_cairn/health")[0], 200)
        finally:
            cairn.stop()

    def test_limit_flags_are_validated(self):
        for flag, value in (("--max-requests-per-second", "x"), ("--header-timeout-ms", "0"),
                            ("--max-connections", "-1")):
            with self.subTest(flag=flag):
                result = run_cairn(flag, value)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(flag, result.stderr)


if __name__ == "__main__":
    unittest.main()
