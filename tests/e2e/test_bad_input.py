"""End-to-end: at least 500 distinct malformed requests, through raw HTTP (http.client and
sockets) and through boto3, across every service and protocol (awsJson 1.1 for ssm, config and
organizations, restJson for securityhub, awsQuery for sts). Each one gets an AWS-shaped 4xx
(status, the error code in the protocol's wire shape, x-amzn-RequestId) or, where HTTP demands
it, a closed connection; cairn stays up; and the full state, listed through the public APIs in
several accounts and exported from the data dir, is the same before and after.

What AWS answers for each category, and why cairn answers the same, is written at the top of
bad_input_cases.py. CAIRN_BAD_INPUT_VERBOSE=1 prints every case.
"""
import json
import os
import tempfile
import unittest
import urllib.parse

import boto3
import botocore.config
import botocore.exceptions

from bad_input_cases import (CLOSED, PREFIX, SERVICES_JSON, VALIDATION_CODE, Case, Wire,
                             auth, dumps, env_flag, error_code, http_case, json_headers,
                             load_model, query_headers, raw_case, raw_send, request_bytes,
                             rest_headers, rest_operation, rest_path, wrong_type_documents)
from harness import MANAGEMENT, REPO, Cairn, run_cairn
from state_listing import listing

AUDIT, MEMBER = "222222222222", "555555555555"
ACCOUNTS = (MANAGEMENT, AUDIT, MEMBER)
MIN_CASES = 500
MAX_BODY = 1024 * 1024  # --max-body-bytes for this suite, so oversized bodies stay cheap
MISSING_UUID = "a1b2c3d4-5678-90ab-cdef-111111111111"

# An operation per awsJson service whose request is otherwise valid and reads a resource that
# does not exist, so that any answer but its own not-found error means something went wrong.
NOT_FOUND = {
    "ssm": ("DescribeDocument", {"Name": "cairn-missing-doc"}, "InvalidDocument"),
    "config": ("DescribeConfigurationAggregators",
               {"ConfigurationAggregatorNames": ["cairn-missing"]},
               "NoSuchConfigurationAggregatorException"),
    "organizations": ("DescribeAccount", {"AccountId": "999999999999"},
                      "AccountNotFoundException"),
}

BROKEN_JSON = [
    b"{", b"}", b"[", b"{\"a\":}", b"{\"a\" 1}", b"{\"a\":1,}", b"{'a':1}", b"{a:1}",
    b"{\"a\":1}}", b"{\"a\":1} x", b"{\"a\":\"\\x\"}", b"{\"a\":\"\\ud800\"}", b"{\"a\":NaN}",
    b"{\"a\":Infinity}", b"{\"a\":01}", b"{\"a\":-}", b"{\"a\":.5}", b"/* c */{}",
    b"{\"a\":1}//", b"\xef\xbb\xbf{}", b"{\"a\":tru}", b"{\"a\":nul}", b"{\"a\":\"x}",
    b"{\"a\"}", b"{,}", b"{\"a\":[1,]}", b"{\"a\":[1 2]}", b"{\"a\":{\"b\"}}", b"\"str\"",
    b"1", b"null", b"true", b"[]", b"[{}]", b"{\"a\":\"\t\"}", b"{\"a\":1e}", b"{\"a\":0x10}",
    b"{\"a\":\"\\u12\"}", b"\x00{}", b"{}\x00",
]

INVALID_UTF8 = [b"\xff", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xe2\x82", b"\xf0\x28\x8c\xbc",
                b"\xc0\xaf", b"\xed\xa0\x80", b"\xf5\x80\x80\x80", b"\xfe"]

BAD_TARGETS = [
    "AmazonSSM", "AmazonSSM.", ".DescribeDocument", "AmazonSSM.describedocument",
    "AmazonSSM.NoSuchOperation", "NoSuchService.DescribeDocument", "amazonssm.DescribeDocument",
    "AmazonSSM.DescribeDocument.Extra", "AmazonSSM..DescribeDocument", "AmazonSSM.\tDescribeDocument",
    "AmazonSSM. DescribeDocument", "AmazonSSM.Describe Document", "AmazonSSM.Désc",
    "StarlingDoveService.DescribeDocument", "AWSOrganizationsV20161128.ListAssociations",
    "AWSSecurityTokenServiceV20110615.GetCallerIdentity", "SecurityHubAPIService.DescribeHub",
    "AmazonSSM." + "A" * 5000, "." * 300, "AmazonSSM.DescribeDocument;x", "*", "AmazonSSM.*",
    "AmazonSSM.__init__", "StarlingDoveService.", "AWSOrganizationsV20161128.describeAccount",
    "AWSOrganizationsV20161128", "StarlingDoveService.Describe-ConfigurationAggregators",
    "AmazonSSM.%44escribeDocument", "AmazonSSM/DescribeDocument", "AmazonSSM:DescribeDocument",
]

BAD_PERCENT = ["%", "%Z", "%ZZ", "%4", "%%", "%g0", "%0G", "a%", "a%2", "%FF", "%C3", "%ED%A0%80",
               "%C0%AF", "%E2%82"]


def boto_client(cairn, service, account=MANAGEMENT):
    config = botocore.config.Config(parameter_validation=False,
                                    retries={"max_attempts": 0, "mode": "standard"})
    return boto3.session.Session(aws_access_key_id=account, aws_secret_access_key="x",
                                 region_name="us-east-1").client(
        service, endpoint_url=cairn.endpoint, config=config)


class BadInputTest(unittest.TestCase):
    """One cairn (durable, so that its data dir can be exported) with an organization and
    resources in several accounts; every test sends one category of malformed requests."""

    seen = set()

    @classmethod
    def setUpClass(cls):
        cls.data_dir = tempfile.TemporaryDirectory()
        cls.cairn = Cairn("--world", os.path.join(REPO, "examples", "world.yaml"),
                          "--data-dir", cls.data_dir.name, "--max-body-bytes", str(MAX_BODY))
        cls.wire = Wire(cls.cairn.port)
        cls.populate()
        cls.before = listing(cls.cairn, ACCOUNTS)
        cls.export_before = cls.export("before")

    @classmethod
    def tearDownClass(cls):
        cls.wire.close()
        cls.cairn.stop()
        cls.data_dir.cleanup()

    @classmethod
    def export(cls, label):
        path = os.path.join(cls.data_dir.name, f"export-{label}.json")
        result = run_cairn("export", path, "--data-dir", cls.data_dir.name)
        if result.returncode != 0:
            raise AssertionError("cairn export failed: " + result.stderr)
        with open(path) as snapshot:
            return json.load(snapshot)

    @classmethod
    def populate(cls):
        """Resources of every service in the management, audit and a member account."""
        for account in ACCOUNTS:
            ssm = cls.cairn.client("ssm", account)
            ssm.create_document(
                Name="cairn-bad-input-doc", DocumentType="Command", DocumentFormat="JSON",
                Content=json.dumps({"schemaVersion": "2.2", "description": "x", "mainSteps": [
                    {"action": "aws:runShellScript", "name": "run",
                     "inputs": {"runCommand": ["true"]}}]}))
            ssm.create_association(Name="AWS-RunShellScript", AssociationName="bad-input",
                                   Targets=[{"Key": "tag:Role", "Values": ["web"]}],
                                   Parameters={"commands": ["true"]})
            ssm.add_tags_to_resource(ResourceType="Document", ResourceId="cairn-bad-input-doc",
                                     Tags=[{"Key": "team", "Value": "platform"}])
            hub = cls.cairn.client("securityhub", account)
            hub.enable_security_hub(EnableDefaultStandards=False)
        config = cls.cairn.client("config", AUDIT)
        config.put_configuration_aggregator(
            ConfigurationAggregatorName="bad-input",
            AccountAggregationSources=[{"AccountIds": [MEMBER], "AllAwsRegions": True}])
        cls.cairn.client("config", MEMBER).put_aggregation_authorization(
            AuthorizedAccountId=AUDIT, AuthorizedAwsRegion="us-east-1")
        hub = cls.cairn.client("securityhub", MANAGEMENT)
        hub.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")

    # ---- the runner ----

    def run_cases(self, cases):
        verbose = env_flag("CAIRN_BAD_INPUT_VERBOSE")
        for case in cases:
            self.assertNotIn(case.name, self.seen, "two cases share a name")
            self.seen.add(case.name)
            with self.subTest(case=case.name):
                answer = case.send(self.wire, self.cairn.port)
                if verbose:
                    print(case.name, answer if answer == CLOSED else answer[:1] + (
                        answer[2][:160],))
                self.check(case, answer)
        self.assertIsNone(self.cairn.process.poll(), "cairn exited")
        status, _ = self.cairn.admin("GET", "/_cairn/health")
        self.assertEqual(status, 200)

    def check(self, case, answer):
        if answer == CLOSED:
            self.assertTrue(case.close_ok or case.must_close,
                            f"{case.name}: connection closed without an answer")
            return
        status, headers, body = answer
        self.assertIn(status, case.statuses, f"{case.name}: {status} {body[:300]!r}")
        self.assertIn("x-amzn-requestid", headers, case.name)
        shaped = error_code(status, headers, body)
        self.assertIsNotNone(shaped, f"{case.name}: not an AWS error: {body[:300]!r}")
        shape, code = shaped
        if case.shape:
            self.assertEqual(shape, case.shape, f"{case.name}: {code} {body[:200]!r}")
        if case.codes:
            self.assertIn(code, case.codes, f"{case.name}: {body[:300]!r}")
        if case.must_close:
            self.assertIn("close", headers.get("connection", ""), case.name)

    # ---- awsJson and restJson bodies ----

    def json_case(self, name, service, operation, body, codes, **kwargs):
        return http_case(name, "POST", "/", body, json_headers(service, operation),
                         shape="json", codes=codes, **kwargs)

    def rest_case(self, name, method, path, body, codes, headers=None, **kwargs):
        return http_case(name, method, path, body, headers or rest_headers(), shape="rest",
                         codes=codes, **kwargs)

    def test_broken_json(self):
        cases = []
        for idx, body in enumerate(BROKEN_JSON):
            for service in SERVICES_JSON:
                operation = NOT_FOUND[service][0]
                cases.append(self.json_case(f"broken-json/{service}/{idx}", service, operation,
                                            body, "SerializationException"))
            cases.append(self.rest_case(f"broken-json/securityhub/{idx}", "POST",
                                        "/configurationPolicy/create", body,
                                        "SerializationException"))
        self.run_cases(cases)

    def test_truncated_json(self):
        """A valid body cut short anywhere is malformed JSON."""
        cases = []
        for service in SERVICES_JSON:
            operation, document, _ = NOT_FOUND[service]
            text = dumps({**document, "Extra": {"a": [1, 2, {"b": "c"}]}})
            for cut in range(1, len(text), max(1, len(text) // 8)):
                cases.append(self.json_case(f"truncated-json/{service}/{cut}", service,
                                            operation, text[:cut], "SerializationException"))
        text = dumps({"Name": "p", "ConfigurationPolicy": {"SecurityHub": {"ServiceEnabled": True}}})
        for cut in range(1, len(text), 6):
            cases.append(self.rest_case(f"truncated-json/securityhub/{cut}", "POST",
                                        "/configurationPolicy/create", text[:cut],
                                        "SerializationException"))
        self.run_cases(cases)

    def test_wrong_types_at_every_depth(self):
        """Every member of every operation's input, at every depth, given a JSON value of
        another type (generated from models/*.json): SerializationException."""
        cases = []
        for service in SERVICES_JSON:
            for operation, where, document in wrong_type_documents(service):
                cases.append(self.json_case(f"wrong-type/{service}/{operation}/{where}", service,
                                            operation, dumps(document),
                                            "SerializationException"))
        model = load_model("securityhub")
        for operation, where, document in wrong_type_documents("securityhub"):
            method, uri = rest_operation(model, operation)
            cases.append(self.rest_case(f"wrong-type/securityhub/{operation}/{where}", method,
                                        rest_path(uri), dumps(document),
                                        "SerializationException"))
        self.assertGreater(len(cases), 300)
        self.run_cases(cases)

    def test_wrong_types_in_rest_query_strings(self):
        cases = []
        model = load_model("securityhub")
        for operation_name, operation in sorted(model["operations"].items()):
            members = model["shapes"][operation["input"]["shape"]].get("members", {})
            for member in members.values():
                kind = model["shapes"][member["shape"]]["type"]
                if member.get("location") != "querystring" or kind not in ("integer", "boolean"):
                    continue
                method, uri = rest_operation(model, operation_name)
                for text in ("ten", "1.5", "", "%20", "true1", "99999999999999999999"):
                    if kind == "boolean" and text == "true1":
                        text = "TRUE"
                    cases.append(self.rest_case(
                        f"query-type/{operation_name}/{member['locationName']}={text}", method,
                        rest_path(uri) + "?" + member["locationName"] + "=" + text, b"",
                        "SerializationException"))
        self.assertGreater(len(cases), 10)
        self.run_cases(cases)

    def test_invalid_utf8_and_nul(self):
        """Invalid UTF-8 and raw control characters inside JSON text are malformed JSON;
        an escaped NUL is a valid string that the model's patterns or the lookup refuse."""
        cases = []
        for idx, bad in enumerate(INVALID_UTF8):
            for service in SERVICES_JSON:
                operation, document, _ = NOT_FOUND[service]
                key = next(iter(document))
                body = b'{"' + key.encode() + b'":"x' + bad + b'"}'
                cases.append(self.json_case(f"utf8-value/{service}/{idx}", service, operation,
                                            body, "SerializationException"))
                cases.append(self.json_case(f"utf8-key/{service}/{idx}", service, operation,
                                            b'{"k' + bad + b'":1}', "SerializationException"))
            cases.append(self.rest_case(f"utf8-value/securityhub/{idx}", "POST",
                                        "/configurationPolicy/create",
                                        b'{"Name":"' + bad + b'"}', "SerializationException"))
        for service in SERVICES_JSON:
            operation, document, not_found = NOT_FOUND[service]
            key = next(iter(document))
            value = document[key]
            raw_nul = dumps({key: value}).encode().replace(b"cairn-missing", b"cairn\x00missing")
            raw_nul = raw_nul.replace(b"999999999999", b"9999\x009999999")
            cases.append(self.json_case(f"nul-raw/{service}", service, operation, raw_nul,
                                        "SerializationException"))
            escaped = dumps({key: value}).replace("cairn-missing", "cairn\\u0000missing")
            escaped = escaped.replace("999999999999", "9999\\u00009999999")
            cases.append(self.json_case(f"nul-escaped/{service}", service, operation, escaped,
                                        (not_found, VALIDATION_CODE[service])))
            cases.append(self.json_case(f"nul-only/{service}", service, operation,
                                        dumps({key: "\u0000" if isinstance(value, str)
                                               else ["\u0000"]}),
                                        (not_found, VALIDATION_CODE[service])))
        cases.append(self.rest_case("nul-escaped/securityhub", "GET",
                                    "/configurationPolicy/get/a%00b", b"",
                                    ("InvalidInputException", "AccessDeniedException")))
        cases.append(self.rest_case("nul-body/securityhub", "POST",
                                    "/configurationPolicyAssociation/get",
                                    b'{"Target":{"AccountId":"1234\\u000056789012"}}',
                                    ("InvalidInputException", "AccessDeniedException")))
        self.run_cases(cases)

    def test_unknown_members_are_ignored(self):
        """Unknown members at any depth change nothing: the answer is the one the request
        earns without them (its not-found error)."""
        extras = {
            "top": {"Zzz": 1}, "nested": {"Zzz": {"a": [1, {"b": None}]}}, "type": {"__type": "x"},
            "lowercase": {"name": "x", "accountId": "1"}, "empty-key": {"": 1},
            "unicode-key": {"\u00e9\u4e2d": "v"}, "long-key": {"k" * 10000: 1},
            "null": {"Zzz": None}, "many": {f"z{index}": index for index in range(2000)},
            "deep": {"Zzz": json.loads("[" * 60 + "]" * 60)},
        }
        cases = []
        for service in SERVICES_JSON:
            operation, document, not_found = NOT_FOUND[service]
            for label, extra in extras.items():
                cases.append(self.json_case(f"unknown-member/{service}/{label}", service,
                                            operation, dumps({**extra, **document}), not_found))
        # securityhub: the code the same request earns without the unknown members.
        hub_requests = [
            ("unknown-member/securityhub", "POST", "/configurationPolicy/create",
             lambda extra: {**extra, "Name": "p", "ConfigurationPolicy": {"Zzz": 1}}),
            ("unknown-member-nested/securityhub", "POST", "/configurationPolicyAssociation/get",
             lambda extra: {"Target": {"AccountId": "999999999999", **extra}}),
        ]
        for prefix, method, path, build in hub_requests:
            plain = error_code(*self.wire.send(method, path, dumps(build({})), rest_headers()))
            self.assertIsNotNone(plain)
            for label, extra in extras.items():
                cases.append(self.rest_case(f"{prefix}/{label}", method, path,
                                            dumps(build(extra)), plain[1]))
        self.run_cases(cases)

    def test_duplicate_keys_last_wins(self):
        cases = []
        for service in SERVICES_JSON:
            operation, document, not_found = NOT_FOUND[service]
            key = next(iter(document))
            value = dumps(document[key])
            cases.append(self.json_case(f"duplicate/{service}/wrong-last", service, operation,
                                        f'{{"{key}":{value},"{key}":5}}',
                                        "SerializationException"))
            cases.append(self.json_case(f"duplicate/{service}/wrong-first", service, operation,
                                        f'{{"{key}":5,"{key}":{value}}}', not_found))
            cases.append(self.json_case(f"duplicate/{service}/many", service, operation,
                                        "{" + ",".join([f'"{key}":{value}'] * 1000) + "}",
                                        not_found))
            invalid = '[""]' if isinstance(document[key], list) else '""'
            cases.append(self.json_case(f"duplicate/{service}/invalid-last", service, operation,
                                        f'{{"{key}":{value},"{key}":{invalid}}}',
                                        VALIDATION_CODE[service]))
        self.run_cases(cases)

    def test_wrong_content_types(self):
        """awsJson picks the operation from X-Amz-Target whatever the Content-Type; the body
        is read as JSON, so a wrong-typed member is still a SerializationException."""
        content_types = ["text/plain", "application/xml", "application/x-www-form-urlencoded",
                         "", "application/json", "multipart/form-data; boundary=x",
                         "application/x-amz-json-1.0", "application/octet-stream",
                         "application/x-amz-json-1.1; charset=latin-1", "*/*", "\u00e9/\u00e9"]
        cases = []
        for idx, content_type in enumerate(content_types):
            for service in SERVICES_JSON:
                operation, document, _ = NOT_FOUND[service]
                headers = {**json_headers(service, operation), "Content-Type": content_type}
                body = dumps({next(iter(document)): True})
                cases.append(http_case(f"content-type/{service}/{idx}", "POST", "/", body,
                                       headers, shape="json", codes="SerializationException"))
            # A form Content-Type names the awsQuery protocol (cairn serves every service on
            # one endpoint), so that one is answered by STS: MissingAction.
            form = "x-www-form-urlencoded" in content_type
            cases.append(Case(
                f"content-type/securityhub/{idx}",
                lambda wire, port, h={**rest_headers(), "Content-Type": content_type}: raw_send(
                    port, request_bytes("POST", "/configurationPolicy/create", b'{"Name":5}',
                                        {n: v.encode() for n, v in h.items()})),
                shape="query" if form else "rest",
                codes="MissingAction" if form else "SerializationException"))
        self.run_cases(cases)

    def test_bad_x_amz_target(self):
        cases = []
        for idx, target in enumerate(BAD_TARGETS):
            headers = {**json_headers("ssm", "DescribeDocument"), "X-Amz-Target": target}
            cases.append(Case(f"target/{idx}", lambda wire, port, h=headers: raw_send(
                port, request_bytes("POST", "/", b'{"Name":"x"}', {
                    name: value.encode("utf-8") for name, value in h.items()})),
                shape="json", codes="UnknownOperationException"))
        for service in SERVICES_JSON:
            operation, document, _ = NOT_FOUND[service]
            headers = json_headers(service, operation)
            del headers["X-Amz-Target"]
            cases.append(http_case(f"target-missing/{service}", "POST", "/", dumps(document),
                                   headers, shape="rest", codes="UnknownOperationException"))
            for method in ("GET", "PUT", "DELETE", "PATCH"):
                cases.append(http_case(f"target-{method.lower()}/{service}", method, "/",
                                       dumps(document), json_headers(service, operation),
                                       shape="json", codes="UnknownOperationException"))
            headers = {**json_headers(service, operation), "X-Amz-Target": ""}
            cases.append(http_case(f"target-empty/{service}", "POST", "/", dumps(document),
                                   headers, shape="rest", codes="UnknownOperationException"))
            for idx, bad in enumerate(INVALID_UTF8[:4]):
                data = request_bytes("POST", "/", dumps(document), {
                    **{n: v.encode() for n, v in json_headers(service, operation).items()},
                    "X-Amz-Target": PREFIX[service].encode() + b"." + bad})
                cases.append(Case(f"target-utf8/{service}/{idx}",
                                  lambda wire, port, d=data: raw_send(port, d),
                                  shape="json", codes="UnknownOperationException"))
        self.run_cases(cases)

    def test_rest_paths(self):
        """Broken percent-encoding or invalid UTF-8 in a REST label, unknown routes and
        methods."""
        model = load_model("securityhub")
        labelled = [name for name, operation in sorted(model["operations"].items())
                    if "{" in operation["http"]["requestUri"]]
        cases = []
        for operation in labelled:
            method, uri = rest_operation(model, operation)
            for idx, bad in enumerate(BAD_PERCENT):
                cases.append(self.rest_case(f"percent/{operation}/{idx}", method,
                                            rest_path(uri, "x" + bad), b"{}",
                                            "InvalidInputException"))
        for idx, path in enumerate(["/nosuch", "/configurationPolicy", "/configurationPolicy/get",
                                    "/configurationPolicy/get/a/b", "//", "/accounts/x",
                                    "/tags", "/%2e%2e/accounts", "/" + "a/" * 2000,
                                    "/configurationPolicy/list/extra"]):
            cases.append(self.rest_case(f"route/{idx}", "GET", path, b"",
                                        ("UnknownOperationException",)))
        for idx, method in enumerate(["PUT", "OPTIONS", "TRACE", "FOO", "CONNECT"]):
            cases.append(Case(f"method/{method}", lambda wire, port, m=method: raw_send(
                port, request_bytes(m, "/accounts", b"", {
                    n: v.encode() for n, v in rest_headers().items()})),
                shape="rest", codes="UnknownOperationException"))
        for idx, query in enumerate(["MaxResults=%", "MaxResults=%G1", "%=1", "a=%FF",
                                     "MaxResults=1&MaxResults=%Z"]):
            cases.append(self.rest_case(f"query-percent/{idx}", "GET",
                                        "/configurationPolicy/list?" + query, b"",
                                        "InvalidInputException"))
        self.run_cases(cases)

    def test_huge_strings_and_lists(self):
        """Values far over their model bounds, at top level of every operation: the service's
        validation error, whatever the size."""
        cases = []
        for service in SERVICES_JSON + ("securityhub",):
            model = load_model(service)
            for operation_name, operation in sorted(model["operations"].items()):
                if "input" not in operation:
                    continue
                members = model["shapes"][operation["input"]["shape"]].get("members", {})
                for member_name, member in members.items():
                    if member.get("location"):
                        continue
                    shape = model["shapes"][member["shape"]]
                    if shape["type"] == "string" and "max" in shape and "enum" not in shape:
                        value = "a" * max(shape["max"] * 4, 100000)
                    elif shape["type"] == "list" and "max" in shape:
                        element = model["shapes"][shape["member"]["shape"]]
                        if element["type"] != "string":
                            continue
                        value = ["a"] * max(shape["max"] * 4, 20000)
                    else:
                        continue
                    document = {member_name: value}
                    name = f"huge/{service}/{operation_name}/{member_name}"
                    if service == "securityhub":
                        method, uri = rest_operation(model, operation_name)
                        cases.append(self.rest_case(name, method, rest_path(uri),
                                                    dumps(document), VALIDATION_CODE[service]))
                    else:
                        cases.append(self.json_case(name, service, operation_name,
                                                    dumps(document), VALIDATION_CODE[service]))
        self.assertGreater(len(cases), 50)
        self.run_cases(cases)

    def test_deep_nesting(self):
        """Nesting far deeper than any shape (up to 100,000 levels) is refused by the parser
        without recursing into it: SerializationException."""
        bodies = {
            "arrays-100k": b"[" * 100000 + b"]" * 100000,
            "arrays-unclosed-100k": b"[" * 100000,
            "objects-100k": b'{"a":' * 100000 + b"1" + b"}" * 100000,
            "member-arrays-100k": b'{"Name":' + b"[" * 100000 + b"]" * 100000 + b"}",
            "member-objects-10k": b'{"Name":' + b'{"a":' * 10000 + b"1" + b"}" * 10001,
            "mixed-50k": b'{"a":[' * 50000 + b"]}" * 50000,
            "arrays-200": b'{"Zzz":' + b"[" * 200 + b"]" * 200 + b"}",
        }
        cases = []
        for label, body in bodies.items():
            for service in SERVICES_JSON:
                cases.append(self.json_case(f"deep/{service}/{label}", service,
                                            NOT_FOUND[service][0], body,
                                            "SerializationException"))
            cases.append(self.rest_case(f"deep/securityhub/{label}", "POST",
                                        "/configurationPolicy/create", body,
                                        "SerializationException"))
        self.run_cases(cases)

    # ---- awsQuery ----

    def test_sts_query(self):
        forms = {
            "no-action": b"Version=2011-06-15", "empty": b"", "unknown-action": b"Action=Bogus",
            "empty-action": b"Action=", "lowercase-action": b"Action=getcalleridentity",
            "percent": b"Action=GetCallerIdentity%ZZ", "lone-percent": b"Action=%",
            "percent-ff": b"Action=%FF", "percent-nul": b"Action=%00",
            "nul": b"Action=Get\x00CallerIdentity", "utf8": b"Action=\xff\xfe",
            "key-percent": b"%ZZ=1&Action=GetCallerIdentity", "separators": b"&&&==&",
            "json-body": b'{"Action":"GetCallerIdentity"}', "xml-body": b"<Action>x</Action>",
            "huge-action": b"Action=" + b"A" * 100000,
            "many-params": b"&".join(b"p%d=1" % index for index in range(20000)),
            "action-other-service": b"Action=ListAssociations",
            "action-plus": b"Action=Get+CallerIdentity", "action-tab": b"Action=\tGetCallerIdentity",
        }
        cases = []
        for label, form in forms.items():
            cases.append(http_case(f"sts/form/{label}", "POST", "/", form, query_headers(),
                                   shape="query"))
            query = urllib.parse.quote(form, safe="=&%+")
            oversized = len(query) > 16000  # over --max-header-bytes: 431, shape unknown
            cases.append(http_case(f"sts/get/{label}", "GET", "/?" + query, b"",
                                   {"Authorization": auth(service="sts")},
                                   shape=None if oversized else "query",
                                   statuses=(431,) if oversized else range(400, 500)))
        self.run_cases(cases)

    # ---- credentials ----

    def test_malformed_authorization(self):
        values = ["AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=", "Bearer abc",
                  "AWS4-HMAC-SHA256 Credential=a/b", "AWS4-HMAC-SHA256 Credential=111/x/y/z/w",
                  "AWS4-HMAC-SHA256 Credential=" + "1" * 5000 + "/20240501/us-east-1/ssm/aws4_request",
                  "AWS4-HMAC-SHA256 Credential=111111111111/20240501//ssm/aws4_request",
                  "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=0", "x" * 3000, "\u00e9"]
        cases = []
        for idx, value in enumerate(values):
            for service in SERVICES_JSON:
                operation, document, _ = NOT_FOUND[service]
                headers = {**json_headers(service, operation), "Authorization": value}
                cases.append(Case(f"auth/{service}/{idx}", lambda wire, port, h=headers,
                                  d=dumps(document): raw_send(port, request_bytes(
                                      "POST", "/", d, {n: v.encode() for n, v in h.items()})),
                                  shape="json"))
            cases.append(Case(f"auth/securityhub/{idx}", lambda wire, port, v=value: raw_send(
                port, request_bytes("GET", "/accounts", b"", {"Authorization": v.encode()})),
                shape="rest"))
        headers = json_headers("ssm", "DescribeDocument")
        del headers["Authorization"]
        cases.append(http_case("auth/missing/ssm", "POST", "/", b"{}", headers, shape="json",
                               codes="MissingAuthenticationTokenException", statuses=(403,)))
        cases.append(http_case("auth/missing/securityhub", "GET", "/accounts", b"", {},
                               shape="rest", codes="MissingAuthenticationTokenException",
                               statuses=(403,)))
        cases.append(http_case("auth/presigned-broken/sts", "GET",
                               "/?Action=GetCallerIdentity&X-Amz-Credential=%ZZ", b"", {},
                               shape="query"))
        self.run_cases(cases)

    # ---- HTTP itself ----

    def test_malformed_http(self):
        """Requests that are not valid HTTP/1.1: 400 and close (RFC 9112 2.2); headers over
        the limit: 431 and close."""
        good = request_bytes("POST", "/", b"{}", {
            n: v.encode() for n, v in json_headers("ssm", "DescribeDocument").items()})
        head = good.split(b"\r\n\r\n")[0]
        messages = {
            "garbage-line": b"GARBAGE\r\n\r\n", "method-only": b"GET\r\n\r\n",
            "no-version": b"GET /\r\n\r\n", "http2-version": b"GET / HTTP/2.0\r\n\r\n",
            "http9-version": b"GET / HTTP/9.9\r\n\r\n", "bad-version": b"GET / HTX/1.1\r\n\r\n",
            "h2-preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "tls-hello": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
            "space-in-target": b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
            "nul-in-target": b"GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n",
            "cl-letters": head + b"\r\nContent-Length: abc\r\n\r\n",
            "cl-negative": head.replace(b"Content-Length: 2", b"Content-Length: -1") + b"\r\n\r\n",
            "cl-plus": head.replace(b"Content-Length: 2", b"Content-Length: +2") + b"\r\n\r\n{}",
            "cl-twice-different": head + b"\r\nContent-Length: 3\r\n\r\n{}",
            "cl-overflow": head.replace(b"Content-Length: 2",
                                        b"Content-Length: 99999999999999999999999") + b"\r\n\r\n",
            "te-and-cl": head + b"\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            "te-unknown": head.replace(b"Content-Length: 2", b"Transfer-Encoding: zip") +
            b"\r\n\r\n{}",
            "chunk-size-letters": head.replace(b"Content-Length: 2", b"Transfer-Encoding: chunked")
            + b"\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            "chunk-no-crlf": head.replace(b"Content-Length: 2", b"Transfer-Encoding: chunked") +
            b"\r\n\r\n2\r\n{}XX0\r\n\r\n",
            "chunk-size-huge": head.replace(b"Content-Length: 2", b"Transfer-Encoding: chunked") +
            b"\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
            "header-no-colon": head + b"\r\nNoColonHere\r\n\r\n{}",
            "header-space-name": head + b"\r\nBad Name: x\r\n\r\n{}",
            "header-nul-value": head + b"\r\nX-A: a\x00b\r\n\r\n{}",
            "header-cr-only": head + b"\r\nX-A: a\rb\r\n\r\n{}",
            "header-empty-name": head + b"\r\n: x\r\n\r\n{}",
            "bare-lf-garbage": b"\n\n\n\x01\x02\x03\r\n\r\n",
            "request-line-only-cr": b"GET / HTTP/1.1\rHost: x\r\n\r\n",
        }
        cases = [raw_case(f"http/{label}", data, statuses=(400,), must_close=True, close_ok=True)
                 for label, data in messages.items()]
        # An obsolete line folding may be replaced by a space instead (RFC 9112 5.2), which is
        # what Beast does: the request goes on to the operation.
        cases.append(raw_case("http/header-obs-fold", head + b"\r\nX-A: a\r\n  folded\r\n\r\n{}",
                              shape="json", codes="ValidationException"))
        # Oversized: the header block, then the body.
        floods = {
            "many-headers": head + b"".join(b"\r\nX-H%d: v" % index for index in range(5000)),
            "huge-header": head + b"\r\nX-Big: " + b"v" * 40000,
            "huge-request-line": b"GET /" + b"a" * 40000 + b" HTTP/1.1",
            "huge-cookie": head + b"\r\nCookie: " + b"c=1; " * 8000,
            "many-empty-headers": head + b"\r\nX-E:" * 6000,
        }
        for label, data in floods.items():
            cases.append(raw_case(f"http/flood/{label}", data + b"\r\n\r\n", statuses=(431, 400),
                                  must_close=True, close_ok=True))
        big = b'{"Name":"' + b"a" * (MAX_BODY + 10) + b'"}'
        cases.append(raw_case("http/body-too-large", good.replace(
            b"Content-Length: 2", b"Content-Length: %d" % len(big)).replace(b"\r\n\r\n{}", b"")
            + b"\r\n\r\n" + big, statuses=(413,), must_close=True, close_ok=True))
        cases.append(raw_case("http/body-declared-too-large", good.replace(
            b"Content-Length: 2", b"Content-Length: 100000000000").replace(b"\r\n\r\n{}", b"")
            + b"\r\n\r\n", statuses=(413,), must_close=True))
        cases.append(raw_case("http/body-expect-continue-too-large", good.replace(
            b"Content-Length: 2", b"Content-Length: 900000000\r\nExpect: 100-continue")
            .replace(b"\r\n\r\n{}", b"") + b"\r\n\r\n", statuses=(413,), must_close=True))
        chunked = head.replace(b"Content-Length: 2", b"Transfer-Encoding: chunked") + b"\r\n\r\n"
        chunk = b"%x\r\n" % 65536 + b"a" * 65536 + b"\r\n"
        cases.append(raw_case("http/body-chunked-too-large",
                              chunked + chunk * (MAX_BODY // 65536 + 2) + b"0\r\n\r\n",
                              statuses=(413,), must_close=True, close_ok=True))
        # A body cut short and the client gone: nothing can be answered.
        for cut in (1, 10, 100):
            data = good.replace(b"Content-Length: 2", b"Content-Length: 200").replace(
                b"\r\n\r\n{}", b"") + b"\r\n\r\n" + b"{" * cut
            cases.append(raw_case(f"http/truncated-body/{cut}", data,
                                  send_kwargs={"half_close": True}, close_ok=True,
                                  statuses=(400,)))
        cases.append(raw_case("http/truncated-header", head, send_kwargs={"half_close": True},
                              close_ok=True, statuses=(400,)))
        cases.append(raw_case("http/truncated-chunk", chunked + b"10\r\nabc",
                              send_kwargs={"half_close": True}, close_ok=True, statuses=(400,)))
        self.run_cases(cases)

    def test_slow_clients(self):
        """A malformed request trickled a few bytes at a time is answered like a fast one."""
        cases = []
        for service in SERVICES_JSON:
            operation, _, _ = NOT_FOUND[service]
            data = request_bytes("POST", "/", b'{"Zzz":1,' + b'"x":' * 3, {
                n: v.encode() for n, v in json_headers(service, operation).items()})
            cases.append(raw_case(f"slow/{service}", data, {"pieces": 7, "delay": 0.002},
                                  shape="json", codes="SerializationException"))
        data = request_bytes("POST", "/configurationPolicy/create", b'{"Name":5}', {
            n: v.encode() for n, v in rest_headers().items()})
        cases.append(raw_case("slow/securityhub", data, {"pieces": 5, "delay": 0.002},
                              shape="rest", codes="SerializationException"))
        data = request_bytes("POST", "/", b"Action=Bogus", {
            n: v.encode() for n, v in query_headers().items()})
        cases.append(raw_case("slow/sts", data, {"pieces": 3, "delay": 0.002}, shape="query",
                              codes="InvalidAction"))
        self.run_cases(cases)

    # ---- through boto3 ----

    def test_boto3(self):
        """The same kinds of mistakes made through boto3 (client-side validation off)."""
        clients = {service: boto_client(self.cairn, service)
                   for service in SERVICES_JSON + ("securityhub", "sts")}
        ssm, config, org, hub = (clients["ssm"], clients["config"], clients["organizations"],
                                 clients["securityhub"])
        huge = "a" * 200000
        calls = {
            "ssm/name-number": (lambda: ssm.describe_document(Name=5), "SerializationException"),
            "ssm/name-list": (lambda: ssm.describe_document(Name=["a"]), "SerializationException"),
            "ssm/name-huge": (lambda: ssm.describe_document(Name=huge), "ValidationException"),
            "ssm/name-empty": (lambda: ssm.describe_document(Name=""), "ValidationException"),
            "ssm/name-nul": (lambda: ssm.describe_document(Name="a\x00b"),
                             ("ValidationException", "InvalidDocument")),
            "ssm/targets-dict": (lambda: ssm.create_association(
                Name="AWS-RunShellScript", Targets=[{"Key": ["x"]}]), "SerializationException"),
            "ssm/targets-huge": (lambda: ssm.create_association(
                Name="AWS-RunShellScript", Targets=[{"Key": "tag:a", "Values": ["v"]}] * 10000),
                "ValidationException"),
            "ssm/max-results-string": (lambda: ssm.list_associations(MaxResults="ten"),
                                       "SerializationException"),
            # 10**12 does not fit the model's Integer: the deserializer refuses it.
            "ssm/max-results-huge": (lambda: ssm.list_associations(MaxResults=10**12),
                                     "SerializationException"),
            "ssm/max-results-zero": (lambda: ssm.list_associations(MaxResults=0),
                                     "ValidationException"),
            "ssm/tags-deep-wrong": (lambda: ssm.add_tags_to_resource(
                ResourceType="Document", ResourceId="cairn-bad-input-doc",
                Tags=[{"Key": "a", "Value": {"x": 1}}]), "SerializationException"),
            "ssm/delete-wrong": (lambda: ssm.delete_document(Name=True), "SerializationException"),
            "config/limit-bool": (lambda: config.describe_configuration_aggregators(Limit=True),
                                  "SerializationException"),
            "config/names-huge": (lambda: config.describe_configuration_aggregators(
                ConfigurationAggregatorNames=["a"] * 50000), "ValidationException"),
            "config/put-wrong-nested": (lambda: config.put_configuration_aggregator(
                ConfigurationAggregatorName="x",
                AccountAggregationSources=[{"AccountIds": ["111111111111"], "AllAwsRegions": "y"}]),
                "SerializationException"),
            "config/delete-missing": (lambda: config.delete_configuration_aggregator(
                ConfigurationAggregatorName="cairn-missing"),
                "NoSuchConfigurationAggregatorException"),
            "config/pack-name-huge": (lambda: config.put_conformance_pack(
                ConformancePackName=huge, TemplateBody="x"), "ValidationException"),
            "organizations/account-number": (lambda: org.describe_account(AccountId=1),
                                             "SerializationException"),
            "organizations/account-bad": (lambda: org.describe_account(AccountId="abc"),
                                          "InvalidInputException"),
            "organizations/create-ou-huge": (lambda: org.create_organizational_unit(
                ParentId="r-cair", Name=huge), "InvalidInputException"),
            "organizations/tags-wrong": (lambda: org.tag_resource(
                ResourceId="222222222222", Tags=[{"Key": 1, "Value": "b"}]),
                "SerializationException"),
            "organizations/move-wrong": (lambda: org.move_account(
                AccountId="222222222222", SourceParentId=["r"], DestinationParentId="r-cair"),
                "SerializationException"),
            "organizations/max-results": (lambda: org.list_accounts(MaxResults=0),
                                          "InvalidInputException"),
            "securityhub/policy-name-number": (lambda: hub.create_configuration_policy(
                Name=5, ConfigurationPolicy={}), "SerializationException"),
            "securityhub/max-results-huge": (lambda: hub.list_configuration_policies(
                MaxResults=100000), "InvalidInputException"),
            # The management account is not the delegated administrator: access is checked
            # before the policy is looked up.
            "securityhub/policy-missing": (lambda: hub.get_configuration_policy(
                Identifier=MISSING_UUID), "AccessDeniedException"),
            "securityhub/policy-bad-percent": (lambda: hub.get_configuration_policy(
                Identifier="a%ZZ"), "AccessDeniedException"),
            "securityhub/tags-wrong": (lambda: hub.tag_resource(
                ResourceArn="arn:aws:securityhub:us-east-1:111111111111:hub/default",
                Tags={"a": 5}), "SerializationException"),
            "securityhub/members-wrong": (lambda: hub.create_members(
                AccountDetails=[{"AccountId": 1}]), "SerializationException"),
            "securityhub/target-union-two": (lambda: hub.get_configuration_policy_association(
                Target={"AccountId": "222222222222", "RootId": "r-cair"}),
                "InvalidInputException"),
            "securityhub/update-org-wrong": (lambda: hub.update_organization_configuration(
                AutoEnable="yes"), "SerializationException"),
        }
        cases = []
        for label, (call, codes) in calls.items():
            def send(wire, port, call=call):
                try:
                    call()
                except botocore.exceptions.ClientError as error:
                    response = error.response
                    headers = {name.lower(): value for name, value in
                               response["ResponseMetadata"]["HTTPHeaders"].items()}
                    return (response["ResponseMetadata"]["HTTPStatusCode"], headers,
                            json.dumps({"__type": response["Error"]["Code"]}).encode())
                raise AssertionError("the call succeeded")
            cases.append(Case("boto3/" + label, send, codes=codes))
        self.run_cases(cases)

    # ---- last: the figures and the state ----

    def test_zz_state_unchanged_and_count(self):
        """Runs last (unittest orders test methods by name): nothing any case sent changed
        the state, and the suite sent at least 500 distinct requests."""
        after = listing(self.cairn, ACCOUNTS)
        self.assertEqual(after, self.before)
        self.assertEqual(self.export("after"), self.export_before)
        self.assertIsNone(self.cairn.process.poll())
        if len(self.seen) < MIN_CASES and len(self.seen) > 0:
            self.fail(f"only {len(self.seen)} distinct cases ran")
        print(f"\nbad-input cases: {len(self.seen)} distinct requests")


if __name__ == "__main__":
    unittest.main()
