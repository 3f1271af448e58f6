#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (one file per seed,
named by its SHA-1 as libFuzzer names what it adds). Seeds come from the service models (one
well-formed request per operation), the unit tests' literals (schedule expressions, templates,
world files), the e2e tests' templates and examples/world.yaml. Run it again after a model or
test change; files it wrote before and no longer writes are kept (they may be libFuzzer finds
worth keeping: `-merge=1` into the corpus directory adds those)."""
import ast
import hashlib
import json
import os
import re
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SERVICES = ["ssm", "config", "organizations", "securityhub", "sts"]


def write(target, seed):
    data = seed.encode() if isinstance(seed, str) else seed
    directory = os.path.join(HERE, "corpus", target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, hashlib.sha1(data).hexdigest()), "wb") as out:
        out.write(data)


def load_models():
    return {name: json.load(open(os.path.join(REPO, "models", name + ".json"))) for name in SERVICES}


def sample(model, shape_name, depth=0):
    """A value of the shape that meets its simple constraints, with every required member."""
    shape = model["shapes"][shape_name]
    kind = shape["type"]
    if kind == "structure":
        members = shape.get("members", {})
        names = shape.get("required", []) or ([] if depth else list(members)[:2])
        if shape.get("union"):
            names = list(members)[:1]
        if depth > 4:
            return {}
        return {name: sample(model, members[name]["shape"], depth + 1) for name in names}
    if kind == "list":
        return [sample(model, shape["member"]["shape"], depth + 1)] if depth < 5 else []
    if kind == "map":
        return {"Key": sample(model, shape["value"]["shape"], depth + 1)} if depth < 5 else {}
    if kind in ("integer", "long"):
        return int(shape.get("min", 1))
    if kind in ("double", "float"):
        return float(shape.get("min", 1))
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1714521600
    if "enum" in shape:
        return shape["enum"][0]
    length = max(int(shape.get("min", 1)), 1)
    return ("a" * min(length, 64))


def json_body(model, operation):
    shape = operation.get("input", {}).get("shape")
    return sample(model, shape) if shape else {}


def rest_request(model, operation):
    """(method, target, body) of a restJson operation, labels filled from the sample input."""
    body = json_body(model, operation)
    shape = model["shapes"][operation["input"]["shape"]] if "input" in operation else {}
    uri = operation["http"]["requestUri"]
    path, _, query = uri.partition("?")
    params = [query] if query else []
    for name, member in shape.get("members", {}).items():
        location = member.get("location")
        value = body.pop(name, None) if location else None
        if location == "uri":
            text = urllib.parse.quote(str(value if value is not None else "arn:aws:x:1"), safe="")
            path = re.sub(r"\{" + member["locationName"] + r"\+?\}", text, path)
        elif location == "querystring" and value is not None:
            text = str(value).lower() if isinstance(value, bool) else str(value)
            params.append(member["locationName"] + "=" + urllib.parse.quote(text))
    target = path + ("?" + "&".join(params) if params else "")
    return operation["http"]["method"], target, json.dumps(body) if body else ""


def http_request(method, target, headers, body):
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1:4566"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body.encode())}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


def authorization(account, service, region="us-east-1"):
    return ("Authorization", f"AWS4-HMAC-SHA256 Credential={account}/20240501/{region}/{service}/"
                             "aws4_request, SignedHeaders=host;x-amz-date, Signature=00")


def model_seeds():
    models = load_models()
    management = "111111111111"
    create_org = http_request("POST", "/", [
        ("X-Amz-Target", "AWSOrganizationsV20161128.CreateOrganization"),
        ("Content-Type", "application/x-amz-json-1.1"), authorization(management, "organizations")],
        json.dumps({"FeatureSet": "ALL"}))
    for name, model in models.items():
        metadata = model["metadata"]
        for op_name, operation in model["operations"].items():
            if metadata["protocol"] == "json":
                prefix = metadata["targetPrefix"]
                body = json.dumps(json_body(model, operation))
                write("fuzz_json_validate", f"{prefix}.{op_name}\n{body}")
                request = http_request("POST", "/", [
                    ("X-Amz-Target", f"{prefix}.{op_name}"),
                    ("Content-Type", "application/x-amz-json-1.1"),
                    authorization(management, metadata.get("signingName", metadata["endpointPrefix"]))], body)
                write("fuzz_http", request)
                write("fuzz_http", create_org.replace("Host:", "Connection: keep-alive\r\nHost:", 1)
                      + request)
            elif metadata["protocol"] == "rest-json":
                method, target, body = rest_request(model, operation)
                write("fuzz_rest_router", f"{method} {target}\n{body}")
                write("fuzz_json_validate", f"{name}:{op_name}\n{json.dumps(json_body(model, operation))}")
                headers = [("Content-Type", "application/json"), authorization(management, "securityhub")]
                write("fuzz_http", http_request(method, target, headers, body))
            else:  # query (sts)
                form = {"Action": op_name, "Version": metadata["apiVersion"]}
                for member, value in json_body(model, operation).items():
                    if not isinstance(value, (dict, list)):
                        form[member] = value
                body = urllib.parse.urlencode(form)
                write("fuzz_json_validate", f"{name}:{op_name}\n{body}")
                write("fuzz_http", http_request("POST", "/", [
                    ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                    authorization(management, "sts")], body))
    # Admin endpoints and a presigned request.
    write("fuzz_http", http_request("GET", "/_cairn/health", [], ""))
    write("fuzz_http", http_request("POST", "/_cairn/clock/advance", [], '{"seconds": 3600}'))
    write("fuzz_http", http_request(
        "GET", "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=222222222222%2F20240501%2Fus-east-1%2Fsts%2Faws4_request", [], ""))


def sigv4_seeds():
    scope = "111111111111/20240501/us-east-1/ssm/aws4_request"
    write("fuzz_sigv4", "/\nauthorization: AWS4-HMAC-SHA256 Credential=" + scope +
          ", SignedHeaders=host;x-amz-date, Signature=00\nx-amz-date: 20240501T000000Z\n")
    write("fuzz_sigv4", "/\nauthorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
          "20240501/eu-west-1/securityhub/aws4_request,SignedHeaders=host,Signature=ab\n")
    write("fuzz_sigv4", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" +
          urllib.parse.quote(scope, safe="") + "&X-Amz-Signature=00\nhost: localhost\n")
    write("fuzz_sigv4", "/\nauthorization: AWS4-HMAC-SHA256 Credential=/20240501//ssm/aws4_request\n")
    write("fuzz_sigv4", "/\nauthorization: Basic dXNlcjpwYXNz\n")
    write("fuzz_sigv4", "/?X-Amz-Credential=%zz\n")


def cpp_raw_strings(path):
    text = open(path).read()
    return [match.group(2) for match in re.finditer(r'R"(\w*)\((.*?)\)\1"', text, re.S)]


def python_strings(path, contains):
    found = []
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and contains in node.value:
            found.append(node.value)
    return found


def text_seeds():
    schedule_test = open(os.path.join(REPO, "src/services/ssm/schedule_test.cc")).read()
    for expression in sorted(set(re.findall(r'"((?:cron|rate|at)\([^"]*\))"', schedule_test))):
        write("fuzz_schedule", expression)
    for text in cpp_raw_strings(os.path.join(REPO, "src/services/config/template_test.cc")):
        if "Resources" in text or "Parameters" in text:
            write("fuzz_template", text)
    for test in ("test_config_packs.py", "test_config_aggregators.py"):
        for text in python_strings(os.path.join(REPO, "tests/e2e", test), "Resources"):
            write("fuzz_template", text)
    for text in cpp_raw_strings(os.path.join(REPO, "src/main/world_test.cc")):
        write("fuzz_world", text)
    write("fuzz_world", open(os.path.join(REPO, "examples/world.yaml")).read())


if __name__ == "__main__":
    model_seeds()
    sigv4_seeds()
    text_seeds()
    for target in sorted(os.listdir(os.path.join(HERE, "corpus"))):
        print(target, len(os.listdir(os.path.join(HERE, "corpus", target))))
