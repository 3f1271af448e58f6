"""End-to-end: the foundation every service stands on, driven through boto3, the AWS CLI and
raw HTTP: who a request acts as (account from the SigV4 key id, region from the credential
scope), the wire protocols' error shapes (awsJson, restJson, awsQuery), the server's limits
and connection handling, the admin API, and the process's flags, environment and signals.
"""
import http.client
import json
import re
import signal
import socket
import unittest
import xml.etree.ElementTree as ElementTree

from harness import (AWS_CLI, MANAGEMENT, Cairn, CairnTestCase, aws_cli, free_port, json_headers,
                     model_path, run_cairn, signed_headers)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
STS_FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
STS_NAMESPACE = "{https://sts.amazonaws.com/doc/2011-06-15/}"


def lower_keys(headers):
    return {name.lower(): value for name, value in headers.items()}


def http_exchange(port, raw_request, read_bytes=65536):
    """Sends raw bytes on a fresh connection and returns what the server answers until it
    closes or a complete response has arrived."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(raw_request)
        received = b""
        while True:
            chunk = connection.recv(read_bytes)
            if not chunk:
                break
            received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length:\s*(\d+)", head)
            if length and len(body) >= int(length.group(1)):
                break
        return received


class IdentityTest(CairnTestCase):
    """The account of a request is its access key id when that is 12 digits, else the default
    account; the region is the credential scope's."""

    @unittest.skipUnless(AWS_CLI, "the AWS CLI is not installed")
    def test_cli_get_caller_identity_acts_as_the_key_id_account(self):
        """`aws sts get-caller-identity` with a 12-digit key id prints that account and its
        root ARN, as STS does for an account's root credentials."""
        result = aws_cli(self.cairn.endpoint, "sts", "get-caller-identity",
                         account="123456789012", region="eu-west-1")
        self.assertEqual(result.returncode, 0, result.stderr)
        identity = json.loads(result.stdout)
        self.assertEqual(identity["Account"], "123456789012")
        self.assertEqual(identity["Arn"], "arn:aws:iam::123456789012:root")
        self.assertEqual(identity["UserId"], "123456789012")

    @unittest.skipUnless(AWS_CLI, "the AWS CLI is not installed")
    def test_cli_non_numeric_key_id_is_the_default_account(self):
        """A key id that is not 12 digits (a real-looking AKIA... id) acts as 000000000000."""
        result = aws_cli(self.cairn.endpoint, "sts", "get-caller-identity",
                         account="AKIAIOSFODNN7EXAMPLE")
        self.assertEqual(result.returncode, 0, result.stderr)
        identity = json.loads(result.stdout)
        self.assertEqual(identity["Account"], "000000000000")
        self.assertEqual(identity["Arn"], "arn:aws:iam::000000000000:root")

    @unittest.skipUnless(AWS_CLI, "the AWS CLI is not installed")
    def test_cli_prints_aws_service_errors(self):
        """The CLI reports cairn's error as it reports AWS's: code, operation and message on
        stderr, and a failing exit code."""
        result = aws_cli(self.cairn.endpoint, "ssm", "list-associations", "--max-results", "51")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("An error occurred (ValidationException) when calling the ListAssociations "
                      "operation: 1 validation error detected: Value '51' at 'maxResults' failed "
                      "to satisfy constraint: Member must have value less than or equal to 50",
                      result.stderr)

    def test_boto3_get_caller_identity(self):
        """boto3 STS: Account/Arn/UserId from the key id, in any region; an 11- or 13-digit
        key id is not an account id."""
        for key_id, account in [("210987654321", "210987654321"),
                                ("21098765432", "000000000000"),
                                ("2109876543210", "000000000000")]:
            for region in ("us-east-1", "ap-southeast-2"):
                with self.subTest(key_id=key_id, region=region):
                    identity = self.cairn.client("sts", account=key_id,
                                                 region=region).get_caller_identity()
                    self.assertEqual(identity["Account"], account)
                    self.assertEqual(identity["Arn"], f"arn:aws:iam::{account}:root")
                    self.assertEqual(identity["UserId"], account)

    def test_sts_query_protocol_by_get(self):
        """awsQuery also takes Action and Version from the query string of a GET."""
        status, headers, body = self.cairn.raw(
            "GET", "/?Action=GetCallerIdentity&Version=2011-06-15",
            headers=signed_headers("123456789012", "eu-central-1", "sts"))
        self.assertEqual(status, 200, body)
        root = ElementTree.fromstring(body)
        result = root.find(f"{STS_NAMESPACE}GetCallerIdentityResult")
        self.assertEqual(result.find(f"{STS_NAMESPACE}Account").text, "123456789012")
        request_id = root.find(f"{STS_NAMESPACE}ResponseMetadata/{STS_NAMESPACE}RequestId").text
        self.assertEqual(request_id, lower_keys(headers)["x-amzn-requestid"])


class AwsJsonErrorsTest(CairnTestCase):
    """awsJson 1.1 (ssm, config, organizations) refuses bad requests as AWS's JSON front ends
    do: `{"__type": ..., "message": ...}`, Content-Type application/x-amz-json-1.1."""

    def post(self, target, body, headers=None):
        status, response_headers, raw = self.cairn.raw(
            "POST", "/", body, headers if headers is not None else json_headers(target))
        return status, lower_keys(response_headers), raw

    def assertJsonError(self, response, status, code):
        actual_status, headers, raw = response
        self.assertEqual(actual_status, status, raw)
        self.assertEqual(headers["content-type"], "application/x-amz-json-1.1")
        self.assertRegex(headers.get("x-amzn-requestid", ""), UUID)
        body = json.loads(raw)
        self.assertEqual(set(body), {"__type", "message"}, body)
        self.assertEqual(body["__type"], code)
        return body["message"]

    def test_malformed_json_is_a_serialization_exception(self):
        """A body that is not JSON: 400 SerializationException."""
        self.assertJsonError(self.post("AmazonSSM.ListAssociations", b'{"MaxResults": 5'),
                             400, "SerializationException")

    def test_json_array_body_is_a_serialization_exception(self):
        """The body must be a JSON object; an array is a SerializationException."""
        self.assertJsonError(self.post("AmazonSSM.ListAssociations", b"[1, 2]"),
                             400, "SerializationException")
        self.assertJsonError(self.post("StarlingDoveService.DescribeConfigurationAggregators",
                                       b'"text"'), 400, "SerializationException")

    def test_empty_body_is_an_empty_input(self):
        """An empty body is the empty input: a missing required member is then reported."""
        message = self.assertJsonError(self.post("AmazonSSM.CreateAssociation", b""),
                                       400, "ValidationException")
        self.assertEqual(message, "1 validation error detected: Value null at 'name' failed to "
                                  "satisfy constraint: Member must not be null")

    def test_unknown_operation_of_a_known_service(self):
        """An X-Amz-Target naming no operation of the service: 400 UnknownOperationException."""
        self.assertJsonError(self.post("AmazonSSM.SendCommandToTheMoon", b"{}"),
                             400, "UnknownOperationException")

    def test_unknown_target_prefix(self):
        """An X-Amz-Target of no known service, or with no operation part, is also
        UnknownOperationException."""
        for target in ("DynamoDB_20120810.ListTables", "AmazonSSM", "."):
            with self.subTest(target=target):
                self.assertJsonError(self.post(target, b"{}", json_headers(target)),
                                     400, "UnknownOperationException")

    def test_other_services_operation_under_a_prefix(self):
        """Operations are looked up in the prefix's own service: organizations' ListAccounts
        does not exist under AmazonSSM."""
        self.assertJsonError(self.post("AmazonSSM.ListAccounts", b"{}"),
                             400, "UnknownOperationException")

    def test_missing_authorization_is_missing_authentication_token(self):
        """No Authorization header (and no presigned query): 403
        MissingAuthenticationTokenException."""
        headers = {"X-Amz-Target": "AmazonSSM.ListAssociations",
                   "Content-Type": "application/x-amz-json-1.1"}
        self.assertJsonError(self.post(None, b"{}", headers), 403,
                             "MissingAuthenticationTokenException")

    def test_malformed_authorization_is_incomplete_signature(self):
        """An Authorization header that is not SigV4, or whose credential scope is not
        key/date/region/service/aws4_request: 400 IncompleteSignatureException."""
        for authorization in ("Bearer abc",
                              "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00",
                              "AWS4-HMAC-SHA256 Credential=111111111111/20240501/us-east-1, "
                              "SignedHeaders=host, Signature=00"):
            with self.subTest(authorization=authorization):
                headers = {"X-Amz-Target": "AmazonSSM.ListAssociations",
                           "Content-Type": "application/x-amz-json-1.1",
                           "Authorization": authorization}
                self.assertJsonError(self.post(None, b"{}", headers), 400,
                                     "IncompleteSignatureException")

    def test_boto3_sees_the_error_code_and_request_id(self):
        """botocore parses the awsJson error: code, message, status and request id."""
        response = self.assertClientError(
            lambda: self.cairn.client("organizations").list_accounts(MaxResults=21),
            "InvalidInputException", 400,
            "You provided a numeric parameter that has a larger value than allowed.")
        self.assertEqual(response["Reason"], "MAX_VALUE_EXCEEDED")
        self.assertRegex(response["ResponseMetadata"]["RequestId"], UUID)


class RestJsonErrorsTest(CairnTestCase):
    """restJson (securityhub): errors carry x-amzn-ErrorType, a {"Code","Message"} body and the
    model's status."""

    def test_unknown_path_is_404_unknown_operation(self):
        """A path matching no route: 404, x-amzn-ErrorType UnknownOperationException, body
        {"Code","Message"}."""
        for method, path in [("GET", "/no/such/route"), ("POST", "/configurationPolicy/list"),
                             ("PUT", "/accounts")]:
            with self.subTest(method=method, path=path):
                status, headers, raw = self.cairn.raw(method, path,
                                                      headers=signed_headers(service="securityhub"))
                headers = lower_keys(headers)
                self.assertEqual(status, 404, raw)
                self.assertEqual(headers["x-amzn-errortype"].split(":")[0],
                                 "UnknownOperationException")
                self.assertRegex(headers.get("x-amzn-requestid", ""), UUID)
                body = json.loads(raw)
                self.assertEqual(set(body), {"Code", "Message"}, body)
                self.assertEqual(body["Code"], "UnknownOperationException")

    def test_securityhub_error_has_the_models_status(self):
        """A securityhub error comes with the HTTP status its model error shape declares
        (InvalidInputException: 400), the x-amzn-ErrorType header and botocore's parsed code."""
        with open(model_path("securityhub")) as model_file:
            shape = json.load(model_file)["shapes"]["InvalidInputException"]
        response = self.assertClientError(
            lambda: self.cairn.client("securityhub", validate=False).get_configuration_policy(
                Identifier="   "),
            "InvalidInputException", shape["error"]["httpStatusCode"])
        self.assertEqual(
            response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"].split(":")[0],
            "InvalidInputException")
        self.assertEqual(response["Error"]["Message"],
                         "1 validation error detected: Value '   ' at 'identifier' failed to "
                         "satisfy constraint: Member must satisfy regular expression pattern: "
                         ".*\\S.*")

    def test_missing_authorization_on_a_rest_route(self):
        """A restJson route without credentials: 403 MissingAuthenticationTokenException in
        the restJson shape."""
        status, headers, raw = self.cairn.raw("GET", "/configurationPolicy/list")
        self.assertEqual(status, 403, raw)
        self.assertEqual(lower_keys(headers)["x-amzn-errortype"].split(":")[0],
                         "MissingAuthenticationTokenException")
        self.assertEqual(json.loads(raw)["Code"], "MissingAuthenticationTokenException")


class QueryErrorsTest(CairnTestCase):
    """awsQuery (STS): errors are XML ErrorResponse documents."""

    def test_unknown_action_is_invalid_action(self):
        """An Action STS does not have: 400 InvalidAction, <ErrorResponse><Error><Type>Sender
        </Type><Code>InvalidAction</Code>..., with the request id."""
        status, headers, raw = self.cairn.raw(
            "POST", "/", b"Action=AssumeTheMoon&Version=2011-06-15",
            {**STS_FORM, **signed_headers(service="sts")})
        headers = lower_keys(headers)
        self.assertEqual(status, 400, raw)
        self.assertIn("xml", headers["content-type"])
        root = ElementTree.fromstring(raw)
        self.assertEqual(root.tag, f"{STS_NAMESPACE}ErrorResponse")
        error = root.find(f"{STS_NAMESPACE}Error")
        self.assertEqual(error.find(f"{STS_NAMESPACE}Code").text, "InvalidAction")
        self.assertEqual(error.find(f"{STS_NAMESPACE}Type").text, "Sender")
        self.assertTrue(error.find(f"{STS_NAMESPACE}Message").text)
        self.assertEqual(root.find(f"{STS_NAMESPACE}RequestId").text, headers["x-amzn-requestid"])

    def test_missing_action(self):
        """A form body with no Action: 400 MissingAction in XML."""
        status, _, raw = self.cairn.raw("POST", "/", b"Version=2011-06-15",
                                        {**STS_FORM, **signed_headers(service="sts")})
        self.assertEqual(status, 400, raw)
        root = ElementTree.fromstring(raw)
        self.assertEqual(root.find(f"{STS_NAMESPACE}Error/{STS_NAMESPACE}Code").text,
                         "MissingAction")


class ServerTest(CairnTestCase):
    """Connection handling and limits."""

    def test_every_aws_response_has_a_fresh_request_id(self):
        """Every AWS-protocol answer, success or error, carries x-amzn-RequestId, a new UUID
        each time."""
        responses = [
            self.cairn.raw("POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15",
                           {**STS_FORM, **signed_headers(service="sts")}),
            self.cairn.raw("POST", "/", b"Action=Nope&Version=2011-06-15",
                           {**STS_FORM, **signed_headers(service="sts")}),
            self.cairn.raw("POST", "/", b"{}", json_headers("AmazonSSM.Nope")),
            self.cairn.raw("POST", "/", b"{", json_headers("AmazonSSM.ListAssociations")),
            self.cairn.raw("GET", "/nowhere", headers=signed_headers(service="securityhub")),
            self.cairn.raw("POST", "/", b"{}", {"X-Amz-Target": "AmazonSSM.ListAssociations"}),
        ]
        ids = [lower_keys(headers).get("x-amzn-requestid", "") for _, headers, _ in responses]
        for request_id in ids:
            self.assertRegex(request_id, UUID)
        self.assertEqual(len(set(ids)), len(ids))

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        """HTTP/1.1 keep-alive: successive requests, successes and errors of every protocol,
        travel on one connection."""
        connection = http.client.HTTPConnection("127.0.0.1", self.cairn.port, timeout=10)
        try:
            requests = [
                ("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15",
                 {**STS_FORM, **signed_headers(service="sts")}, 200),
                ("POST", "/", "{}", json_headers("AmazonSSM.Nope"), 400),
                ("GET", "/_cairn/health", None, {}, 200),
                ("GET", "/nowhere", None, signed_headers(service="securityhub"), 404),
                ("POST", "/", '{"MaxResults": 0}',
                 json_headers("AWSOrganizationsV20161128.ListAccounts"), 400),
                ("POST", "/", "Action=GetCallerIdentity&Version=2011-06-15",
                 {**STS_FORM, **signed_headers(service="sts")}, 200),
            ]
            first_socket = None
            for method, path, body, headers, status in requests:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                self.assertEqual(response.status, status, (method, path))
                self.assertNotEqual((response.getheader("Connection") or "").lower(), "close")
                if first_socket is None:
                    first_socket = connection.sock
                self.assertIs(connection.sock, first_socket, "the connection was reopened")
        finally:
            connection.close()

    def test_oversized_body_is_413_and_the_server_keeps_serving(self):
        """A body over the limit (8 MiB by default) is refused with 413 before it is read,
        and the server goes on serving."""
        answer = http_exchange(self.cairn.port,
                               b"POST / HTTP/1.1\r\nHost: cairn\r\n"
                               b"X-Amz-Target: AmazonSSM.ListAssociations\r\n"
                               b"Content-Type: application/x-amz-json-1.1\r\n"
                               b"Content-Length: 8388609\r\n\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 413"), head)
        self.assertEqual(json.loads(body)["__type"], "RequestEntityTooLargeException")
        self.assertIn(b"x-amzn-requestid", head.lower())
        identity = self.cairn.client("sts").get_caller_identity()
        self.assertEqual(identity["Account"], MANAGEMENT)

    def test_malformed_http_is_400_and_the_connection_closes(self):
        """A request that is not HTTP/1.1 gets 400 in the awsJson error shape with a request id,
        and the connection is closed (RFC 9112 2.2)."""
        for raw in (b"GARBAGE\r\n\r\n",
                    b"POST / HTTP/1.1\r\nHost: cairn\r\nContent-Length: abc\r\n\r\n"):
            with self.subTest(raw=raw):
                answer = http_exchange(self.cairn.port, raw)
                head, _, body = answer.partition(b"\r\n\r\n")
                self.assertTrue(head.startswith(b"HTTP/1.1 400"), head)
                self.assertIn(b"connection: close", head.lower())
                self.assertRegex(lower_keys(dict(line.split(": ", 1) for line in
                                                 head.decode().split("\r\n")[1:]))["x-amzn-requestid"], UUID)
                self.assertEqual(json.loads(body)["__type"], "BadRequest")

    def test_oversized_headers_are_431_in_the_aws_shape(self):
        answer = http_exchange(self.cairn.port, b"GET /_cairn/health HTTP/1.1\r\nHost: cairn\r\nX-Big: " +
                               b"a" * 20000 + b"\r\n\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 431"), head)
        self.assertEqual(json.loads(body)["__type"], "RequestHeaderFieldsTooLarge")

    def test_expect_100_continue_is_answered_before_the_body(self):
        """A client that sends `Expect: 100-continue` waits for the interim answer before it
        sends the body (curl does for bodies over 1 KiB); cairn answers at once."""
        with socket.create_connection(("127.0.0.1", self.cairn.port), timeout=5) as connection:
            connection.sendall(b"POST / HTTP/1.1\r\nHost: cairn\r\nExpect: 100-continue\r\n"
                               b"Content-Type: application/x-www-form-urlencoded\r\n"
                               b"Authorization: AWS4-HMAC-SHA256 Credential=123456789012/20240501/"
                               b"us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00\r\n"
                               b"Content-Length: 43\r\n\r\n")
            interim = connection.recv(1024)
            self.assertTrue(interim.startswith(b"HTTP/1.1 100 Continue"), interim)
            connection.sendall(b"Action=GetCallerIdentity&Version=2011-06-15")
            answer = b""
            while b"</GetCallerIdentityResponse>" not in answer:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                answer += chunk
            self.assertIn(b"HTTP/1.1 200", answer)
            self.assertIn(b"<Account>123456789012</Account>", answer)

    def test_large_body_under_the_limit_is_read(self):
        """The default limit admits large bodies: a 1 MiB request is parsed (and refused for
        its content, not its size)."""
        body = json.dumps({"Name": "x" * (1 << 20)}).encode()
        status, _, raw = self.cairn.raw("POST", "/", body, json_headers("AmazonSSM.CreateAssociation"))
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(raw)["__type"], "ValidationException")


class AdminApiTest(CairnTestCase):
    """cairn's own admin endpoints, and the aliases LocalStack's and moto's users script
    against."""

    def test_health(self):
        """GET /_cairn/health and GET /_localstack/health: status, version, every service and
        the uptime."""
        for path in ("/_cairn/health", "/_localstack/health"):
            with self.subTest(path=path):
                status, health = self.cairn.admin("GET", path)
                self.assertEqual(status, 200)
                self.assertIsInstance(health["version"], str)
                self.assertTrue(health["version"])
                self.assertEqual(set(health["services"]),
                                 {"ssm", "config", "securityhub", "organizations", "sts"})
                for state in health["services"].values():
                    self.assertIn(state, ("running", "available"))
                self.assertEqual(health["services"]["sts"], "running")
                self.assertIsInstance(health["uptime_seconds"], (int, float))
                self.assertGreaterEqual(health["uptime_seconds"], 0)

    def test_reset_and_its_aliases_forget_all_state(self):
        """POST /_cairn/reset, /_localstack/state/reset and /moto-api/reset each return 200 and
        drop every resource (here: an organization)."""
        organizations = self.cairn.client("organizations")
        for path in ("/_cairn/reset", "/_localstack/state/reset", "/moto-api/reset"):
            with self.subTest(path=path):
                organizations.create_organization(FeatureSet="ALL")
                self.assertEqual(organizations.describe_organization()["Organization"]
                                 ["MasterAccountId"], MANAGEMENT)
                status, body = self.cairn.admin("POST", path)
                self.assertEqual(status, 200)
                self.assertTrue(body["reset"])
                self.assertClientError(organizations.describe_organization,
                                       "AWSOrganizationsNotInUseException", 400)

    def test_wrong_method_is_405(self):
        """Admin endpoints answer 405 to a method they do not take."""
        for method, path in [("POST", "/_cairn/health"), ("DELETE", "/_localstack/health"),
                             ("GET", "/_cairn/reset"), ("GET", "/_localstack/state/reset"),
                             ("PUT", "/moto-api/reset"), ("GET", "/_cairn/clock/advance")]:
            with self.subTest(method=method, path=path):
                status, _, _ = self.cairn.raw(method, path)
                self.assertEqual(status, 405)

    def test_unknown_admin_path_is_404(self):
        """An admin path cairn does not have: 404."""
        status, _, _ = self.cairn.raw("GET", "/_cairn/no-such-thing")
        self.assertEqual(status, 404)

    def test_clock_advance(self):
        """POST /_cairn/clock/advance {"seconds": N} moves cairn's clock forward by N seconds
        and returns the new time; a missing or non-positive N is 400."""
        status, first = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": 1})
        self.assertEqual(status, 200)
        status, second = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": 3600})
        self.assertEqual(status, 200)
        self.assertGreaterEqual(second["now"] - first["now"], 3600)
        self.assertLess(second["now"] - first["now"], 3600 + 60)
        for payload in ({}, {"seconds": 0}, {"seconds": -5}, {"seconds": "ten"}):
            with self.subTest(payload=payload):
                status, _, _ = self.cairn.raw("POST", "/_cairn/clock/advance",
                                              json.dumps(payload).encode())
                self.assertEqual(status, 400)
        status, _, _ = self.cairn.raw("POST", "/_cairn/clock/advance", b"not json")
        self.assertEqual(status, 400)


class ProcessTest(unittest.TestCase):
    """Flags, environment and signals; each test starts its own cairn."""

    def start(self, *args, **kwargs):
        cairn = Cairn(*args, **kwargs)
        self.addCleanup(cairn.stop)
        return cairn

    def test_sigterm_stops_the_process_with_exit_code_0(self):
        """SIGTERM stops cairn gracefully: exit code 0, even with a keep-alive connection
        open."""
        cairn = self.start()
        connection = http.client.HTTPConnection("127.0.0.1", cairn.port, timeout=10)
        connection.request("GET", "/_cairn/health")
        connection.getresponse().read()
        cairn.process.send_signal(signal.SIGTERM)
        self.assertEqual(cairn.process.wait(timeout=15), 0)
        connection.close()

    def test_access_log_names_account_region_and_operation(self):
        """At --log-level info each request is logged with the account from the key id and the
        region from the credential scope."""
        cairn = self.start("--log-level", "info")
        cairn.client("sts", account="123456789012", region="eu-west-2").get_caller_identity()
        cairn.client("sts", account="not-an-account", region="ca-central-1").get_caller_identity()
        cairn.process.send_signal(signal.SIGTERM)
        self.assertEqual(cairn.process.wait(timeout=15), 0)
        log = cairn.process.stderr.read()
        self.assertIn("123456789012 eu-west-2 sts.GetCallerIdentity 200", log)
        self.assertIn("000000000000 ca-central-1 sts.GetCallerIdentity 200", log)

    def test_port_0_picks_a_free_port(self):
        """--port 0 listens on a free port and prints it; two instances get two ports."""
        first, second = self.start(), self.start()
        self.assertNotEqual(first.port, 0)
        self.assertNotEqual(first.port, second.port)
        for cairn in (first, second):
            self.assertEqual(cairn.client("sts").get_caller_identity()["Account"], MANAGEMENT)

    def test_cairn_port_environment_variable(self):
        """CAIRN_PORT chooses the port when --port is not given; --port overrides it."""
        port = free_port()
        cairn = self.start(port=None, env={"CAIRN_PORT": str(port)})
        self.assertEqual(cairn.port, port)
        self.assertEqual(cairn.admin("GET", "/_cairn/health")[0], 200)
        overridden = self.start(env={"CAIRN_PORT": str(port)})  # with --port 0
        self.assertNotEqual(overridden.port, port)

    def test_default_account_flag_and_environment(self):
        """--default-account (or CAIRN_DEFAULT_ACCOUNT) is the account of key ids that are not
        12 digits."""
        for cairn in (self.start("--default-account", "222222222222"),
                      self.start(env={"CAIRN_DEFAULT_ACCOUNT": "333333333333"})):
            with self.subTest(endpoint=cairn.endpoint):
                account = cairn.client("sts", account="AKIAEXAMPLE").get_caller_identity()
                expected = "222222222222" if "--default-account" in cairn.process.args else \
                    "333333333333"
                self.assertEqual(account["Account"], expected)
                twelve = cairn.client("sts", account="444444444444").get_caller_identity()
                self.assertEqual(twelve["Account"], "444444444444")

    def test_smaller_body_limit(self):
        """--max-body-bytes 1024: a 2 KiB body is 413 naming the limit, a small one is served,
        and so is the next request on a new connection."""
        cairn = self.start("--max-body-bytes", "1024")
        body = json.dumps({"Name": "x" * 2048}).encode()
        connection = http.client.HTTPConnection("127.0.0.1", cairn.port, timeout=10)
        try:
            connection.request("POST", "/", body=body,
                               headers=json_headers("AmazonSSM.CreateAssociation"))
            response = connection.getresponse()
            payload = json.loads(response.read())
            self.assertEqual(response.status, 413)
            self.assertEqual(payload["__type"], "RequestEntityTooLargeException")
            self.assertIn("1024", payload["message"])
        finally:
            connection.close()
        self.assertEqual(cairn.client("sts").get_caller_identity()["Account"], MANAGEMENT)

    def test_bad_flags_exit_with_code_2_and_usage(self):
        """An unknown flag, a bad value or a missing value: exit code 2, the problem and the
        usage on stderr, nothing served."""
        for args in (["--no-such-flag", "1"], ["--port", "http"], ["--port", "70000"],
                     ["--default-account", "12345"], ["--log-level", "loud"], ["--port"]):
            with self.subTest(args=args):
                result = run_cairn(*args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn("usage: cairn", result.stderr)
                self.assertEqual(result.stdout, "")
        result = run_cairn(env={"CAIRN_PORT": "not-a-port"})
        self.assertEqual(result.returncode, 2, result.stderr)

    def test_help_and_version(self):
        """--help prints the usage and --version the version, both exiting 0."""
        result = run_cairn("--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("--max-body-bytes", result.stdout)
        result = run_cairn("--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^cairn \S+\n$")


if __name__ == "__main__":
    unittest.main()
