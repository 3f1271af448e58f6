"""Shared end-to-end harness: starts the real cairn binary on a free port and hands out
boto3 clients and raw HTTP helpers that act as a given account and region.

CAIRN_BINARY names the binary (CTest sets it); otherwise ../../build/src/main/cairn.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

import boto3
import botocore.config
import botocore.session

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BINARY = os.environ.get("CAIRN_BINARY", os.path.join(REPO, "build", "src", "main", "cairn"))

MANAGEMENT = "111111111111"
DEFAULT_REGION = "us-east-1"


class Cairn:
    """One cairn process on 127.0.0.1 and a free port, stopped by stop()."""

    def __init__(self, *extra_args, env=None, port="0"):
        """port=None passes no --port flag (so that CAIRN_PORT in env applies). Tests run on
        the virtual clock (time moves only by /_cairn/clock/advance) unless they ask for
        `--clock real`, so that no status moves on while a slow machine runs a test."""
        port_args = ["--port", port] if port is not None else []
        if "--clock" not in extra_args and "CAIRN_CLOCK" not in (env or {}):
            extra_args = (*extra_args, "--clock", "virtual")
        self.process = subprocess.Popen(
            [BINARY, *port_args, "--log-level", "warn", *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, **(env or {})})
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.process.kill()
            raise RuntimeError("cairn did not start: " + line + self.process.stderr.read())
        self.endpoint = line.strip().rsplit(" ", 1)[-1]
        self.port = int(self.endpoint.rsplit(":", 1)[-1])

    def kill(self):
        """Ends the process at once (SIGKILL): no drain, no chance to flush anything."""
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            stream.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            stream.close()
        return self.process.returncode

    def client(self, service, account=MANAGEMENT, region=DEFAULT_REGION, validate=True, retries=0):
        """A boto3 client whose access key id is the account it acts as. validate=False turns
        off botocore's client-side checks so that cairn's own validation is what answers."""
        config = botocore.config.Config(
            parameter_validation=validate,
            retries={"max_attempts": retries, "mode": "standard"} if retries == 0 else None)
        return boto3.session.Session(
            aws_access_key_id=account, aws_secret_access_key="secret",
            region_name=region).client(service, endpoint_url=self.endpoint, config=config)

    def raw(self, method, path, body=b"", headers=None):
        """Sends one HTTP request as given; returns (status, headers, body bytes)."""
        request = urllib.request.Request(self.endpoint + path, data=body or None, method=method,
                                         headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def admin(self, method, path, payload=None):
        status, _, body = self.raw(method, path, json.dumps(payload).encode() if payload else b"")
        return status, json.loads(body) if body else None


def signed_headers(account=MANAGEMENT, region=DEFAULT_REGION, service="ssm"):
    """An Authorization header cairn accepts (signatures are not verified by default)."""
    return {"Authorization": f"AWS4-HMAC-SHA256 Credential={account}/20240501/{region}/{service}/"
                             "aws4_request, SignedHeaders=host;x-amz-date, Signature=00"}


class CairnTestCase(unittest.TestCase):
    """One cairn for the whole test class; state is reset before every test."""

    @classmethod
    def setUpClass(cls):
        cls.cairn = Cairn()

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()

    def setUp(self):
        status, _ = self.cairn.admin("POST", "/_cairn/reset")
        self.assertEqual(status, 200)

    def assertClientError(self, call, code, status=None, message=None):
        """Asserts that call() raises a ClientError with that code (and status/message)."""
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            call()
        response = caught.exception.response
        self.assertEqual(response["Error"]["Code"], code, response)
        if status is not None:
            self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], status, response)
        if message is not None:
            self.assertEqual(response["Error"]["Message"], message, response)
        return response


class DataDirTestCase(unittest.TestCase):
    """Tests that start (and restart) cairns on one data dir of their own, removed afterwards;
    every cairn started is stopped at the end of the test."""

    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="cairn-data-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)
        self.running = []

    def tearDown(self):
        for cairn in self.running:
            if cairn.process.poll() is None:
                cairn.stop()

    def start(self, *args):
        cairn = Cairn("--data-dir", self.data_dir, *args)
        self.running.append(cairn)
        return cairn

    def run_cairn(self, *args, timeout=15):
        return run_cairn(*args, timeout=timeout)


def model_path(service):
    return os.path.join(REPO, "models", service + ".json")


def json_headers(target, account=MANAGEMENT, region=DEFAULT_REGION, service="ssm"):
    """Headers of an awsJson 1.1 request for X-Amz-Target `target` (e.g.
    `AmazonSSM.ListAssociations`), acting as account in region."""
    return {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.1",
            **signed_headers(account, region, service)}


def run_cairn(*args, env=None, timeout=15):
    """Runs the binary with args to completion (for flags that make it exit at once)."""
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def free_port():
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


AWS_CLI = shutil.which("aws")


def aws_cli(endpoint, *args, account=MANAGEMENT, region=DEFAULT_REGION, timeout=60):
    """Runs the AWS CLI against endpoint with the access key id `account`, isolated from any
    local AWS configuration; returns the CompletedProcess."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": account, "AWS_SECRET_ACCESS_KEY": "x",
                "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1"})
    return subprocess.run([AWS_CLI, *args, "--endpoint-url", endpoint, "--region", region],
                          capture_output=True, text=True, timeout=timeout, env=env)
