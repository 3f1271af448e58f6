"""The malformed requests of the bad-input suite (test_bad_input*.py), and how to send and judge
them. Every case is a named, distinct request; `send` returns what came back:
(status, headers with lower-case names, body bytes), or CLOSED when the server closed the
connection without answering, which HTTP allows only where no answer can be framed.

What AWS does for each category, and so what cairn is held to (where AWS does not document it,
the choice is cairn's and says so):

- Broken JSON, a body that is not an object, invalid UTF-8 inside the JSON text, a raw control
  character (NUL) inside a string, nesting deeper than any shape: the Coral/Jackson
  deserializer fails before validation: 400 SerializationException (awsJson, restJson).
- A JSON value of the wrong type at any depth: 400 SerializationException ("STRING_VALUE cannot
  be converted to Integer", test_validation.py checks the messages).
- Unknown members: AWS's JSON protocols ignore members the shape does not have (Smithy's
  awsJson1_1 and restJson1 specs: "unknown members MUST be ignored" for forward compatibility),
  so a request with extra members gets the same answer as without them.
- Duplicate keys: Jackson binds the last occurrence (its default, no STRICT_DUPLICATE_DETECTION);
  cairn keeps the last one too.
- Content-Type: the awsJson front ends pick the operation from X-Amz-Target and read the body as
  JSON whatever the Content-Type says (botocore sends application/x-amz-json-1.1, other SDKs
  application/json); cairn's choice for other types is the same, so the answer is the one the
  JSON body earns.
- X-Amz-Target naming no operation, or an awsJson request that is not a POST (Smithy's
  awsJson1_1: every operation is POST /): 400 UnknownOperationException (awsJson shape). No
  X-Amz-Target and no form body: the request is matched against the REST routes, and no route
  is 404 UnknownOperationException in the restJson shape (cairn serves every service on one
  endpoint, so it cannot tell which service a bare POST / meant).
- REST paths and query strings whose percent-encoding is broken, or decodes to invalid UTF-8:
  400 InvalidInputException (API Gateway, in front of Security Hub, refuses them with a 400;
  the code is cairn's choice).
- awsQuery (STS): no Action 400 MissingAction, an unknown one 400 InvalidAction, a malformed
  form 400 MalformedQueryString, in the XML error shape.
- Strings and lists over their model bounds (however large): the service's validation error
  (ValidationException for ssm/config, InvalidInputException for organizations/securityhub).
- HTTP that cannot be parsed (bad request line, Content-Length, chunking, header syntax):
  400 and the connection closed (RFC 9112 2.2, 6.3); a body over --max-body-bytes 413 and
  headers over --max-header-bytes 431, then close (RFC 9110 15.5.14, RFC 6585 5); a body that
  ends before its Content-Length when the client closes: nothing to answer, the connection is
  closed.
"""
import http.client
import json
import os
import socket
import time

from harness import DEFAULT_REGION, MANAGEMENT, model_path

CLOSED = "closed"
SERVICES_JSON = ("ssm", "config", "organizations")
PREFIX = {"ssm": "AmazonSSM", "config": "StarlingDoveService",
          "organizations": "AWSOrganizationsV20161128"}
VALIDATION_CODE = {"ssm": "ValidationException", "config": "ValidationException",
                   "organizations": "InvalidInputException",
                   "securityhub": "InvalidInputException"}


def auth(account=MANAGEMENT, service="ssm", region=DEFAULT_REGION):
    return ("AWS4-HMAC-SHA256 Credential=" + account + "/20240501/" + region + "/" + service +
            "/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")


def json_headers(service, operation, account=MANAGEMENT):
    return {"X-Amz-Target": PREFIX[service] + "." + operation,
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": auth(account, service)}


def rest_headers(account=MANAGEMENT):
    return {"Content-Type": "application/json", "Authorization": auth(account, "securityhub")}


def query_headers(account=MANAGEMENT):
    return {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Authorization": auth(account, "sts")}


class Wire:
    """One keep-alive HTTP connection (http.client), reopened whenever the server closes it."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def send(self, method, path, body=b"", headers=None):
        if isinstance(body, str):
            body = body.encode()
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                data = response.read()
                headers_out = {name.lower(): value for name, value in response.getheaders()}
                if response.will_close:
                    self.close()
                return response.status, headers_out, data
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                self.close()
                if attempt:
                    return CLOSED
            except Exception:
                self.close()  # a half-sent request leaves the connection unusable
                raise
        return CLOSED

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def raw_exchange(port, data, pieces=None, delay=0.0, half_close=False, timeout=10):
    """Writes bytes on a fresh connection (in `pieces` chunks `delay` apart when given), then
    reads until the server closes or `timeout` passes. Returns (bytes received, closed)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            if pieces:
                for start in range(0, len(data), pieces):
                    sock.sendall(data[start:start + pieces])
                    if delay:
                        time.sleep(delay)
            else:
                sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before taking it all; read what it said
        received = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                return received, False
            except ConnectionResetError:
                return received, True
            if not chunk:
                return received, True
            received += chunk
            parsed = parse_response(received)
            if parsed and parsed[3] and "close" not in parsed[1].get("connection", ""):
                return received, False  # a complete keep-alive answer: nothing more comes
        return received, False


def parse_response(data):
    """(status, headers, body, complete) of the first HTTP response in data, or None."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = data[:end].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = data[end + 4:end + 4 + length]
    return int(parts[1]), headers, body, len(body) == length


def raw_send(port, data, **kwargs):
    """A raw exchange judged like Wire.send: the first response, or CLOSED."""
    received, closed = raw_exchange(port, data, **kwargs)
    parsed = parse_response(received)
    if parsed is None:
        return CLOSED if closed or not received else (0, {}, received)
    status, headers, body, _ = parsed
    return status, headers, body


def request_bytes(method, path, body=b"", headers=None, version="HTTP/1.1"):
    if isinstance(body, str):
        body = body.encode()
    lines = [f"{method} {path} {version}".encode(), b"Host: 127.0.0.1"]
    for name, value in (headers or {}).items():
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes)
                                              else value.encode()))
    if body and not any(name.lower() in ("content-length", "transfer-encoding")
                        for name in (headers or {})):
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def error_code(status, headers, body):
    """(shape, code) of an AWS error response: shape is json, rest or query; None when the
    response is not an AWS error in any protocol's shape."""
    if "x-amzn-errortype" in headers:
        try:
            document = json.loads(body)
        except ValueError:
            return None
        code = headers["x-amzn-errortype"].split(":", 1)[0]
        if not isinstance(document, dict) or document.get("Code", code) != code:
            return None
        return "rest", code
    if headers.get("content-type", "").startswith("text/xml"):
        text = body.decode("utf-8")  # raises on invalid UTF-8: the response would be unreadable
        start, end = text.find("<Code>"), text.find("</Code>")
        if "<ErrorResponse" not in text or start < 0 or end < start:
            return None
        return "query", text[start + 6:end]
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("__type"), str):
        return None
    return "json", document["__type"].rsplit("#", 1)[-1]


class Case:
    """One malformed request: `send(wire, port)` does it; `shape` is the protocol shape the
    error must have (None: any), `codes` the acceptable codes (None: any), `statuses` the
    acceptable statuses; `close_ok` lets the server close without answering."""

    def __init__(self, name, send, shape=None, codes=None, statuses=range(400, 500),
                 close_ok=False, must_close=False):
        self.name = name
        self.send = send
        self.shape = shape
        self.codes = (codes,) if isinstance(codes, str) else codes
        self.statuses = statuses
        self.close_ok = close_ok
        self.must_close = must_close


def http_case(name, method, path, body=b"", headers=None, **kwargs):
    return Case(name, lambda wire, port: wire.send(method, path, body, headers), **kwargs)


def raw_case(name, data, send_kwargs=None, **kwargs):
    return Case(name, lambda wire, port: raw_send(port, data, **(send_kwargs or {})), **kwargs)


# ---- the service models: wrong types at every depth ----

WRONG_VALUES = {
    "string": [5, True, [], {}],
    "integer": ["7", True, [], {}],
    "long": ["7", False, [], {}],
    "double": ["x", True, [], {}],
    "float": ["x", True, [], {}],
    "boolean": ["true", 1, [], {}],
    "timestamp": [True, [], {}],
    "list": ["x", 5, {}, True],
    "map": ["x", 5, [], True],
    "structure": ["x", 5, [], True],
}


def load_model(service):
    with open(model_path(service)) as model_file:
        return json.load(model_file)


def member_paths(model, shape_name, path=(), depth=0, seen=()):
    """(path, shape name) of every member reachable from a structure, through list elements
    (step 0) and map values (step "k"), without following a shape into itself."""
    shapes = model["shapes"]
    shape = shapes[shape_name]
    if depth > 6 or shape_name in seen:
        return
    seen = seen + (shape_name,)
    if shape["type"] == "structure":
        for member_name, member in shape.get("members", {}).items():
            if depth == 0 and member.get("location") in ("uri", "querystring", "header"):
                continue
            yield path + (member_name,), member["shape"]
            yield from member_paths(model, member["shape"], path + (member_name,), depth + 1,
                                    seen)
    elif shape["type"] == "list":
        element = shape["member"]["shape"]
        yield path + (0,), element
        yield from member_paths(model, element, path + (0,), depth + 1, seen)
    elif shape["type"] == "map":
        value = shape["value"]["shape"]
        yield path + ("k",), value
        yield from member_paths(model, value, path + ("k",), depth + 1, seen)


def place(path, value):
    """A document holding `value` at `path` (ints are list indexes)."""
    if not path:
        return value
    inner = place(path[1:], value)
    return [inner] if isinstance(path[0], int) else {path[0]: inner}


def wrong_type_documents(service):
    """(operation, path text, document) with one wrong-typed value each, for every member of
    every operation's input at every depth; the wrong value rotates through WRONG_VALUES."""
    model = load_model(service)
    rotation = 0
    for operation_name, operation in sorted(model["operations"].items()):
        if "input" not in operation:
            continue
        for path, shape_name in member_paths(model, operation["input"]["shape"]):
            kind = model["shapes"][shape_name]["type"]
            choices = WRONG_VALUES.get(kind)
            if not choices:
                continue
            wrong = choices[rotation % len(choices)]
            rotation += 1
            yield operation_name, ".".join(str(step) for step in path), place(path, wrong)


def rest_operation(model, name):
    operation = model["operations"][name]
    return operation["http"]["method"], operation["http"]["requestUri"]


def rest_path(uri, fill="cairn-missing"):
    """A request path for a requestUri template, every label filled with `fill`."""
    out = []
    for piece in uri.split("?")[0].split("/"):
        out.append(fill if piece.startswith("{") else piece)
    return "/".join(out)


def dumps(document):
    return json.dumps(document, separators=(",", ":"))


def env_flag(name):
    return os.environ.get(name, "") not in ("", "0")
