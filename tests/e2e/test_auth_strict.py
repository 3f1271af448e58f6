"""`--auth strict`: SigV4 signatures verified against a credentials file, through boto3, the
AWS CLI and raw HTTP, for every protocol (awsJson: ssm, config, organizations; restJson:
securityhub; awsQuery: sts). A refused request must change nothing."""
import datetime
import os
import subprocess
import tempfile
import unittest
import urllib.request
from unittest import mock

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials
import botocore.exceptions

from harness import AWS_CLI, BINARY, Cairn, run_cairn

ALICE = ("AKIAALICE000000001", "alice-secret/with+chars", "111111111111")
BOB = ("AKIABOB00000000002", "bob-secret", "222222222222", "bob-session-token")
CREDENTIALS = f"""\
{ALICE[0]}:
  secret_access_key: "{ALICE[1]}"
  account: "{ALICE[2]}"
{BOB[0]}:
  secret_access_key: {BOB[1]}
  account: "{BOB[2]}"
  session_token: {BOB[3]}
"""

BAD_SIGNATURE = ("The request signature we calculated does not match the signature you "
                 "provided. Check your AWS Secret Access Key and signing method. Consult the "
                 "service documentation for details.")
INVALID_TOKEN = "The security token included in the request is invalid."

# (service, a read call, the refusal codes for a bad signature and an unknown key, status)
PROTOCOLS = [
    ("ssm", lambda c: c.list_documents(MaxResults=1), "InvalidSignatureException",
     "UnrecognizedClientException", 400),
    ("config", lambda c: c.describe_configuration_aggregators(),
     "InvalidSignatureException", "UnrecognizedClientException", 400),
    ("organizations", lambda c: c.create_organization(FeatureSet="ALL"),
     "InvalidSignatureException",
     "UnrecognizedClientException", 400),
    ("securityhub", lambda c: c.enable_security_hub(), "InvalidSignatureException",
     "UnrecognizedClientException", 403),
    ("sts", lambda c: c.get_caller_identity(), "SignatureDoesNotMatch", "InvalidClientTokenId",
     403),
]


def shifted_clock(seconds):
    """Makes botocore sign as if its clock were `seconds` off."""
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    return mock.patch.object(botocore.auth, "get_current_datetime",
                             lambda: now + datetime.timedelta(seconds=seconds))


class StrictAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.TemporaryDirectory()
        cls.credentials = os.path.join(cls.workdir.name, "credentials.yaml")
        with open(cls.credentials, "w") as file:
            file.write(CREDENTIALS)
        cls.cairn = Cairn("--auth", "strict", "--credentials", cls.credentials)

    @classmethod
    def tearDownClass(cls):
        cls.cairn.stop()
        cls.workdir.cleanup()

    def setUp(self):
        status, _ = self.cairn.admin("POST", "/_cairn/reset")
        self.assertEqual(status, 200)

    def client(self, service, key=ALICE[0], secret=ALICE[1], token=None):
        config = botocore.config.Config(retries={"max_attempts": 0, "mode": "standard"})
        return boto3.session.Session(
            aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token,
            region_name="us-east-1").client(service, endpoint_url=self.cairn.endpoint,
                                             config=config)

    def assertRefused(self, call, code, status, message=None):
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            call()
        response = caught.exception.response
        self.assertEqual(response["Error"]["Code"], code, response)
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], status, response)
        if message is not None:
            self.assertEqual(response["Error"]["Message"], message, response)
        return response

    def test_right_secret_is_served_in_every_protocol(self):
        for service, call, *_ in PROTOCOLS:
            with self.subTest(service=service):
                call(self.client(service))

    def test_the_account_is_the_credentials_files(self):
        identity = self.client("sts").get_caller_identity()
        self.assertEqual(identity["Account"], ALICE[2])
        identity = self.client("sts", *BOB[:2], token=BOB[3]).get_caller_identity()
        self.assertEqual(identity["Account"], BOB[2])

    def test_wrong_secret_is_refused_in_each_protocols_words(self):
        for service, call, bad_signature, _, status in PROTOCOLS:
            with self.subTest(service=service):
                self.assertRefused(lambda: call(self.client(service, secret="wrong")),
                                   bad_signature, status, BAD_SIGNATURE)

    def test_unknown_key_is_refused_in_each_protocols_words(self):
        for service, call, _, unknown_key, status in PROTOCOLS:
            with self.subTest(service=service):
                self.assertRefused(
                    lambda: call(self.client(service, key="AKIANOBODY00000000", secret="x")),
                    unknown_key, status, INVALID_TOKEN)

    def test_twelve_digit_keys_are_not_accounts_in_strict_mode(self):
        self.assertRefused(
            lambda: self.client("sts", key=ALICE[2], secret="secret").get_caller_identity(),
            "InvalidClientTokenId", 403, INVALID_TOKEN)

    def test_session_token_must_be_the_one_on_file(self):
        for token in (None, "another-token"):
            with self.subTest(token=token):
                self.assertRefused(
                    lambda: self.client("ssm", *BOB[:2], token=token).list_documents(),
                    "UnrecognizedClientException", 400, INVALID_TOKEN)
        self.assertRefused(
            lambda: self.client("ssm", token="unexpected").list_documents(),
            "UnrecognizedClientException", 400, INVALID_TOKEN)
        self.client("ssm", *BOB[:2], token=BOB[3]).list_documents()

    def test_a_refused_write_changes_nothing(self):
        content = '{"schemaVersion": "2.2", "mainSteps": []}'
        for secret in ("wrong", ALICE[1]):
            try:
                self.client("ssm", secret=secret).create_document(
                    Name="Doc", Content=content, DocumentType="Command")
            except botocore.exceptions.ClientError as error:
                self.assertEqual(error.response["Error"]["Code"], "InvalidSignatureException")
            names = [d["Name"] for d in self.client("ssm").list_documents(
                Filters=[{"Key": "Owner", "Values": ["Self"]}])["DocumentIdentifiers"]]
            self.assertEqual(names, [] if secret == "wrong" else ["Doc"])
        self.assertRefused(
            lambda: self.client("organizations", secret="wrong").create_organization(
                FeatureSet="ALL"), "InvalidSignatureException", 400)
        self.assertRefused(lambda: self.client("organizations").describe_organization(),
                           "AWSOrganizationsNotInUseException", 400)

    def test_signatures_older_or_newer_than_15_minutes_are_refused(self):
        with shifted_clock(-16 * 60):
            response = self.assertRefused(lambda: self.client("ssm").list_documents(),
                                          "InvalidSignatureException", 400)
        self.assertRegex(response["Error"]["Message"],
                         r"^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z "
                         r"\(\d{8}T\d{6}Z - 15 min\.\)$")
        with shifted_clock(16 * 60):
            response = self.assertRefused(lambda: self.client("sts").get_caller_identity(),
                                          "SignatureDoesNotMatch", 403)
        self.assertRegex(response["Error"]["Message"], r"^Signature not yet current: ")
        with shifted_clock(-10 * 60):
            self.client("ssm").list_documents()

    def test_rest_paths_with_encoded_labels_verify(self):
        arn = "arn:aws:securityhub:us-east-1:111111111111:hub/default"
        # A greedy label with `:` and `/`, percent-encoded by botocore and encoded once more in
        # the canonical request: any mistake there answers InvalidSignatureException instead.
        self.assertRefused(lambda: self.client("securityhub").list_tags_for_resource(
            ResourceArn=arn), "ResourceNotFoundException", 404)
        self.client("securityhub").enable_security_hub(EnableDefaultStandards=False)
        self.assertEqual(
            self.client("securityhub").list_tags_for_resource(ResourceArn=arn)["Tags"], {})

    def signed_request(self, body, secret=ALICE[1]):
        request = botocore.awsrequest.AWSRequest(
            method="POST", url=self.cairn.endpoint + "/", data=body,
            headers={"X-Amz-Target": "AmazonSSM.ListDocuments",
                     "Content-Type": "application/x-amz-json-1.1"})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(ALICE[0], secret), "ssm",
                                "us-east-1").add_auth(request)
        return request

    def send(self, request, body=None):
        raw = urllib.request.Request(request.url, data=body if body is not None else request.body,
                                     method=request.method, headers=dict(request.headers))
        try:
            with urllib.request.urlopen(raw, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def test_a_body_changed_after_signing_is_refused(self):
        request = self.signed_request(b'{"MaxResults": 1}')
        self.assertEqual(self.send(request)[0], 200)
        status, body = self.send(request, b'{"MaxResults": 2}')
        self.assertEqual(status, 400)
        self.assertIn(b"InvalidSignatureException", body)

    def test_a_payload_hash_header_must_match_the_body(self):
        request = self.signed_request(b'{"MaxResults": 1}')
        request.headers["X-Amz-Content-SHA256"] = "0" * 64
        status, body = self.send(request)
        self.assertEqual(status, 400)
        self.assertIn(b"x-amz-content-sha256", body)

    def test_a_signature_scoped_to_another_service_is_refused(self):
        request = botocore.awsrequest.AWSRequest(
            method="POST", url=self.cairn.endpoint + "/", data=b"{}",
            headers={"X-Amz-Target": "AmazonSSM.ListDocuments",
                     "Content-Type": "application/x-amz-json-1.1"})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(*ALICE[:2]), "config",
                                "us-east-1").add_auth(request)
        status, body = self.send(request)
        self.assertEqual(status, 400)
        self.assertIn(b"Credential should be scoped to correct service: 'ssm'", body)

    def test_unsigned_and_half_signed_requests(self):
        status, _, body = self.cairn.raw("POST", "/", b"{}", {
            "X-Amz-Target": "AmazonSSM.ListDocuments",
            "Content-Type": "application/x-amz-json-1.1"})
        self.assertEqual(status, 403)
        self.assertIn(b"MissingAuthenticationTokenException", body)
        status, _, body = self.cairn.raw("POST", "/", b"{}", {
            "X-Amz-Target": "AmazonSSM.ListDocuments",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": f"AWS4-HMAC-SHA256 Credential={ALICE[0]}/20240101/us-east-1/ssm/"
                             "aws4_request"})
        self.assertEqual(status, 400)
        self.assertIn(b"IncompleteSignatureException", body)
        self.assertIn(b"requires 'Signature' parameter", body)

    def test_presigned_urls(self):
        url = self.client("sts").generate_presigned_url("get_caller_identity", ExpiresIn=300,
                                                        HttpMethod="GET")
        with urllib.request.urlopen(url, timeout=10) as response:
            self.assertEqual(response.status, 200)
            self.assertIn(f"<Account>{ALICE[2]}</Account>".encode(), response.read())
        tampered = url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(tampered, timeout=10)
        self.assertEqual(caught.exception.code, 403)
        self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", caught.exception.read())
        # botocore signs a presigned URL with the model's method (POST) unless told GET; AWS
        # then refuses the GET (boto/boto3#756), and so does cairn.
        post_signed = self.client("sts").generate_presigned_url("get_caller_identity")
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(post_signed, timeout=10)
        self.assertEqual(caught.exception.code, 403)
        wrong = self.client("sts", secret="wrong").generate_presigned_url("get_caller_identity",
                                                                          HttpMethod="GET")
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(wrong, timeout=10)
        self.assertEqual(caught.exception.code, 403)

    @unittest.skipUnless(AWS_CLI, "the AWS CLI is not installed")
    def test_aws_cli_with_right_and_wrong_secrets(self):
        env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
        env.update({"AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                    "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1", "AWS_ACCESS_KEY_ID": ALICE[0]})

        def cli(secret, *args):
            return subprocess.run(
                [AWS_CLI, *args, "--endpoint-url", self.cairn.endpoint, "--region", "us-east-1"],
                capture_output=True, text=True, timeout=60,
                env={**env, "AWS_SECRET_ACCESS_KEY": secret})

        done = cli(ALICE[1], "sts", "get-caller-identity", "--query", "Account", "--output",
                   "text")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.strip(), ALICE[2])
        done = cli("wrong", "ssm", "list-documents")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("InvalidSignatureException", done.stderr)
        done = cli("wrong", "sts", "get-caller-identity")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", done.stderr)


class StrictAuthFlagsTest(unittest.TestCase):
    def test_strict_needs_a_credentials_file(self):
        done = run_cairn("--auth", "strict")
        self.assertEqual(done.returncode, 2)
        self.assertIn("--auth strict needs --credentials FILE", done.stderr)
        done = run_cairn("--auth", "loose")
        self.assertEqual(done.returncode, 2)
        self.assertIn("--auth must be open or strict", done.stderr)

    def test_bad_credentials_files_are_refused_at_startup(self):
        with tempfile.TemporaryDirectory() as workdir:
            path = os.path.join(workdir, "credentials.yaml")
            cases = {
                "AKIA1:\n  secret_access_key: s\n  account: 12\n": "line 1: AKIA1 needs",
                "AKIA1: {secret_access_key: s, account: '111111111111', role: x}\n":
                    "unknown field 'role'",
                "AKIA1: [unclosed\n": "line ",
            }
            for text, expected in cases.items():
                with open(path, "w") as file:
                    file.write(text)
                done = run_cairn("--auth", "strict", "--credentials", path, "--port", "0")
                self.assertEqual(done.returncode, 2, text)
                self.assertIn(expected, done.stderr)
            done = run_cairn("--auth", "strict", "--credentials", path + ".missing")
            self.assertEqual(done.returncode, 2)
            self.assertIn("cannot read credentials file", done.stderr)


if __name__ == "__main__":
    unittest.main()
