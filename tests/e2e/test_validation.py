"""End-to-end: cairn validates the input of every in-scope operation of ssm, config,
securityhub and organizations against its service model before any provider runs, and answers
each service's own error, as AWS's front ends do:

- ssm, config: 400 ValidationException, "1 validation error detected: Value '<v>' at '<path>'
  failed to satisfy constraint: <phrase>" (AWS's Coral message);
- securityhub: 400 InvalidInputException with the same text;
- organizations: 400 InvalidInputException with a Reason (INPUT_REQUIRED, MIN_LENGTH_EXCEEDED,
  ...) and the message the Organizations API reference gives for it.

The cases are generated from models/*.json, independently of cairn's C++: for every operation
and every constraint of its input (at top level or nested), one request breaks exactly that
constraint and is otherwise valid. Requests go through boto3 with client-side validation off,
so that what answers is cairn's. Run with CAIRN_VALIDATION_VERBOSE=1 to print every case.
"""
import json
import os
import re
import unittest

import botocore
import botocore.exceptions

from harness import CairnTestCase, json_headers, model_path, signed_headers

SERVICES = ("ssm", "config", "securityhub", "organizations")

# Organizations' InvalidInputException reasons and their messages (API reference,
# InvalidInputException).
ORGANIZATIONS_REASONS = {
    "required": ("INPUT_REQUIRED", "You must include a value for all required parameters."),
    "min_length": ("MIN_LENGTH_EXCEEDED",
                   "You provided a string parameter that is shorter than allowed."),
    "max_length": ("MAX_LENGTH_EXCEEDED",
                   "You provided a string parameter that is longer than allowed."),
    "min_value": ("MIN_VALUE_EXCEEDED",
                  "You provided a numeric parameter that has a smaller value than allowed."),
    "max_value": ("MAX_VALUE_EXCEEDED",
                  "You provided a numeric parameter that has a larger value than allowed."),
    "enum": ("INVALID_ENUM", "You specified an invalid value."),
    "pattern": ("INVALID_PATTERN", "You provided a value that does not match the required pattern."),
}

# A valid example for the model patterns that the generic candidates below do not satisfy.
KNOWN_VALID = {
    r"(?i)all|[0-9]{12}": "123456789012",
    r"\d{12}": "123456789012",
    r"^\d{12}$": "123456789012",
    r"^(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$": "123456789012",
    r"^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})|(\d{12})$": "123456789012",
    r"^(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$": "r-abcd",
    r"^(r-[0-9a-z]{4,32})|(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})|(^p-[0-9a-zA-Z_]{8,128})"
    r"|(^rp-[0-9a-zA-Z_]{4,128})|(^rt-[0-9a-zA-Z_]{8,32})$": "r-abcd",
    r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$": "ou-abcd-abcdefgh",
    r"^car-[a-z0-9]{8,32}$": "car-abcdefgh",
    r"[^\s@]+@[^\s@]+\.[^\s@]+": "user@example.com",
    r"[a-zA-Z0-9]{2,64}::[a-zA-Z0-9]{2,64}::[a-zA-Z0-9]{2,64}": "AWS::EC2::Instance",
    r"guard\-2\.x\.x": "guard-2.x.x",
    r"s3://.*": "s3://bucket/key",
    r"^arn:aws:securityhub:.*": "arn:aws:securityhub:us-east-1:111111111111:hub/default",
    r"arn:aws(-[^:]+)?:iam::[0-9]{12}:role/.+": "arn:aws:iam::111111111111:role/dispatch",
    r"(^i-(\w{8}|\w{17})$)|(^mi-\w{17}$)": "i-0123456789abcdef0",
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}":
        "12345678-1234-1234-1234-123456789012",
    r"^\/[\w\.\-\:\/]*$": "/AWS::EC2::Instance",
    r"([$]LATEST|[$]DEFAULT|^[1-9][0-9]*$)": "$LATEST",
    r"([$]LATEST)|([1-9][0-9]*)": "$LATEST",
    r"([$]LATEST|[$]DEFAULT|[$]ALL)": "$LATEST",
    r"(^[1-9][0-9]*$)": "1",
    r"^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$": "1",
    r"^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$": "1",
}
GENERIC_VALID = ["abc", "abcdefgh", "123456789012", "a"]
# Candidates for a string that breaks a pattern; `aws:` breaks securityhub's TagKey lookahead.
PATTERN_BREAKERS = ["!", " ", "#", "aws:abc", "a", "1", "@", ":", "A", "\u00e9", "\t"]

WILDCARD = object()  # a rendered value AWS leaves unspecified (structures, map order)


def python_regex(pattern):
    """The model pattern for Python's re. \\p{L}, \\p{Z}, \\p{N} occur only inside character
    classes in these models, and every value tested here is ASCII."""
    translated = (pattern.replace(r"\p{L}", "A-Za-z").replace(r"\p{Z}", " ")
                  .replace(r"\p{N}", "0-9"))
    return re.compile(translated)


def lower_first(name):
    return name[:1].lower() + name[1:]


def render(value):
    """Java's toString, as AWS renders the `Value '...'` part; WILDCARD where AWS's rendering
    is not known (structures) or not deterministic (maps of several entries)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, list):
        parts = [render(element) for element in value]
        if any(part is WILDCARD for part in parts):
            return WILDCARD
        return "[" + ", ".join(parts) + "]"
    if isinstance(value, dict) and getattr(value, "is_map", False) and len(value) <= 1:
        parts = [(key, render(item)) for key, item in value.items()]
        if any(part is WILDCARD for _, part in parts):
            return WILDCARD
        return "{" + ", ".join(f"{key}={part}" for key, part in parts) + "}"
    return WILDCARD


class MapValue(dict):
    """A map document (as opposed to a structure), so that render() knows which it is."""
    is_map = True


class Skip(Exception):
    """A case that cannot be sent; the reason is counted and printed."""


class Model:
    def __init__(self, service):
        with open(model_path(service)) as model_file:
            self.document = json.load(model_file)
        self.service = service
        self.shapes = self.document["shapes"]
        self.protocol = self.document["metadata"]["protocol"]

    def shape(self, name):
        return self.shapes[name]

    # ---- the constraints of a scalar, as AWS words them ----

    def violations(self, name, value):
        """(kind, phrase) for each constraint of scalar shape `name` that `value` breaks."""
        shape = self.shape(name)
        found = []
        if shape["type"] == "string":
            length = len(value)
            if "min" in shape and length < shape["min"]:
                found.append(("min_length",
                              f"Member must have length greater than or equal to {shape['min']}"))
            if "max" in shape and length > shape["max"]:
                found.append(("max_length",
                              f"Member must have length less than or equal to {shape['max']}"))
            if "enum" in shape and value not in shape["enum"]:
                found.append(("enum", "Member must satisfy enum value set: ["
                              + ", ".join(shape["enum"]) + "]"))
            if "pattern" in shape and not python_regex(shape["pattern"]).search(value):
                found.append(("pattern", "Member must satisfy regular expression pattern: "
                              + shape["pattern"]))
        elif shape["type"] in ("integer", "long"):
            if "min" in shape and value < shape["min"]:
                found.append(("min_value",
                              f"Member must have value greater than or equal to {shape['min']}"))
            if "max" in shape and value > shape["max"]:
                found.append(("max_value",
                              f"Member must have value less than or equal to {shape['max']}"))
        return found

    def all_phrases(self, name):
        """Every constraint of a scalar shape, in the order AWS lists them when it reports a list
        element or map key/value ("Member must satisfy constraint: [..., ...]"): maximum, then
        minimum, then pattern (observed in ACM, Lambda and CloudFormation messages)."""
        shape = self.shape(name)
        noun = "length" if shape["type"] == "string" else "value"
        phrases = []
        if "max" in shape:
            phrases.append(f"Member must have {noun} less than or equal to {shape['max']}")
        if "min" in shape:
            phrases.append(f"Member must have {noun} greater than or equal to {shape['min']}")
        if "pattern" in shape:
            phrases.append("Member must satisfy regular expression pattern: " + shape["pattern"])
        if "enum" in shape:
            phrases.append("Member must satisfy enum value set: [" + ", ".join(shape["enum"]) + "]")
        return phrases

    def size_phrases(self, name):
        shape = self.shape(name)
        phrases = []
        if "max" in shape:
            phrases.append(f"Member must have length less than or equal to {shape['max']}")
        if "min" in shape:
            phrases.append(f"Member must have length greater than or equal to {shape['min']}")
        return phrases

    # ---- valid values ----

    def valid_string(self, name, variant=0):
        shape = self.shape(name)
        if "enum" in shape:
            return shape["enum"][variant % len(shape["enum"])]
        bases = ([KNOWN_VALID[shape["pattern"]]] if shape.get("pattern") in KNOWN_VALID else [])
        bases += GENERIC_VALID
        low, high = shape.get("min", 0), shape.get("max", 10**9)
        for base in bases:
            for candidate in self._variants(base, variant):
                if len(candidate) < low:
                    candidate = candidate + candidate[-1] * (low - len(candidate))
                candidate = candidate[:high]
                if not self.violations(name, candidate):
                    return candidate
        raise Skip(f"no valid value for string shape {name} (pattern {shape.get('pattern')})")

    @staticmethod
    def _variants(base, variant):
        if variant == 0:
            return [base]
        suffix = str(variant)
        letters = ""
        number = variant
        while number:
            number, digit = divmod(number - 1, 26)
            letters = chr(ord("a") + digit) + letters
        return [base + suffix, base[:-len(suffix)] + suffix, base + letters,
                base[:-len(letters)] + letters]

    def valid(self, name, variant=0):
        shape = self.shape(name)
        kind = shape["type"]
        if kind == "string":
            return self.valid_string(name, variant)
        if kind in ("integer", "long"):
            return min(max(1, shape.get("min", 1)), shape.get("max", 1 << 30))
        if kind in ("double", "float"):
            return 1.5
        if kind == "boolean":
            return True
        if kind == "timestamp":
            return 1714000000
        if kind == "list":
            count = min(max(shape.get("min", 0), 1), shape.get("max", 1))
            return [self.valid(shape["member"]["shape"], index) for index in range(count)]
        if kind == "map":
            count = min(max(shape.get("min", 0), 1), shape.get("max", 1))
            return MapValue((self.valid(shape["key"]["shape"], index),
                             self.valid(shape["value"]["shape"])) for index in range(count))
        if kind == "structure":
            if shape.get("union"):
                member_name, member = next(iter(shape["members"].items()))
                return {member_name: self.valid(member["shape"])}
            return {member_name: self.valid(shape["members"][member_name]["shape"])
                    for member_name in shape.get("required", [])}
        raise Skip(f"no valid value for {kind} shape {name}")

    # ---- values that break one constraint ----

    def breaking_string(self, name, kind):
        """A string that breaks `kind` and, where one exists, nothing else."""
        shape = self.shape(name)
        low, high = shape.get("min", 0), shape.get("max")
        candidates = []
        try:
            base = self.valid_string(name)
        except Skip:
            base = "a"
        if kind == "min_length":
            if low == 0:
                return None
            candidates = [base[:low - 1], "a" * (low - 1), "1" * (low - 1)]
        elif kind == "max_length":
            if high is None:
                return None
            candidates = [base + base[-1] * (high + 1 - len(base)), "a" * (high + 1),
                          "1" * (high + 1), base + "a" * (high + 1 - len(base))]
        elif kind == "enum":
            candidates = ["NOT_A_VALID_VALUE", "x"]
        elif kind == "pattern":
            for breaker in PATTERN_BREAKERS:
                candidate = breaker * max(1, -(-low // len(breaker)))
                if high is not None:
                    candidate = candidate[:high]
                candidates.append(candidate)
        for candidate in candidates:
            kinds = [found for found, _ in self.violations(name, candidate)]
            if kinds == [kind]:
                return candidate
        for candidate in candidates:  # none alone: the first that breaks it at all
            if kind in [found for found, _ in self.violations(name, candidate)]:
                return candidate
        return None


class Case:
    def __init__(self, service, operation, kind, where, params, expected):
        self.service = service
        self.operation = operation
        self.kind = kind
        self.where = where
        self.params = params
        # [(kind, path, rendered value | None for null | WILDCARD, phrase)]
        self.expected = expected

    def __str__(self):
        return f"{self.service}.{self.operation} {self.kind} at {self.where}"


DELETE = object()  # a leaf that removes its member: the "required" cases


class CaseBuilder:
    """Walks one operation's input shape and yields a Case per constraint."""

    def __init__(self, model, operation_name):
        self.model = model
        self.operation_name = operation_name
        self.operation = model.document["operations"][operation_name]
        self.input_name = self.operation["input"]["shape"]
        self.cases = []
        self.skips = []

    # Steps of a path: ("member", name, location), ("element",), ("value",).
    def place(self, shape_name, current, steps, leaf):
        """Returns (document, path) with leaf(shape_name, current) at the end of steps, every
        container on the way created valid."""
        if not steps:
            return leaf(shape_name, current), ""
        shape = self.model.shape(shape_name)
        step, rest = steps[0], steps[1:]
        if step[0] == "member":
            member_name = step[1]
            document = dict(current) if current is not None else self.model.valid(shape_name)
            if shape.get("union"):
                document = {key: value for key, value in document.items() if key == member_name}
            member_shape = shape["members"][member_name]["shape"]
            value, path = self.place(member_shape, document.get(member_name), rest, leaf)
            if value is DELETE:
                document.pop(member_name, None)
            else:
                document[member_name] = value
            return document, lower_first(member_name) + ("." + path if path else "")
        if step[0] == "element":
            document = list(current) if current else self.model.valid(shape_name)
            if not document:
                document = [self.model.valid(shape["member"]["shape"])]
            value, path = self.place(shape["member"]["shape"], document[0], rest, leaf)
            document[0] = value
            return document, "1.member" + ("." + path if path else "")
        if step[0] == "value":
            document = MapValue(current) if current else self.model.valid(shape_name)
            key = next(iter(document))
            value, path = self.place(shape["value"]["shape"], document[key], rest, leaf)
            document[key] = value
            return document, f"{key}.member" + ("." + path if path else "")
        raise AssertionError(step)

    def add(self, kind, steps, leaf, expect):
        """Adds the case whose request has leaf(shape, current) at the end of steps;
        expect(path, leaf_value) -> [(kind, path, rendered value, phrase)]."""
        placed = {}

        def remember(shape_name, current):
            placed["value"] = leaf(shape_name, current)
            return placed["value"]

        try:
            params, path = self.place(self.input_name, None, steps, remember)
        except Skip as reason:
            self.skip(kind, steps, str(reason))
            return
        self.cases.append(Case(self.model.service, self.operation_name, kind, path, params,
                               expect(path, placed["value"])))

    def skip(self, kind, steps, reason):
        names = [step[1] for step in steps if step[0] == "member"]
        self.skips.append(f"{self.model.service}.{self.operation_name} {kind} at "
                          f"{'.'.join(names)}: {reason}")

    def build(self):
        self.walk_structure(self.input_name, [])
        return self

    def walk_structure(self, shape_name, steps):
        shape = self.model.shape(shape_name)
        for member_name, member in shape["members"].items():
            location = member.get("location")
            member_steps = steps + [("member", member_name, location)]
            if member_name in shape.get("required", []):
                if location == "uri":
                    self.skip("required", member_steps,
                              "a URI label cannot be left out; the path would name no operation")
                else:
                    self.add("required", member_steps, lambda name, current: DELETE,
                             lambda path, value: [("required", path, None,
                                                   "Member must not be null")])
            self.walk_value(member["shape"], member_steps, location)

    def walk_value(self, shape_name, steps, location=None):
        shape = self.model.shape(shape_name)
        kind = shape["type"]
        if kind == "structure":
            self.walk_structure(shape_name, steps)
        elif kind in ("string", "integer", "long"):
            self.walk_scalar(shape_name, steps, location)
        elif kind == "list":
            self.walk_list(shape_name, steps, location)
        elif kind == "map":
            self.walk_map(shape_name, steps)

    def scalar_kinds(self, shape_name):
        shape = self.model.shape(shape_name)
        kinds = []
        if shape["type"] == "string":
            if shape.get("min", 0) > 0:
                kinds.append("min_length")
            if "max" in shape:
                kinds.append("max_length")
            if "enum" in shape:
                kinds.append("enum")
            if "pattern" in shape:
                kinds.append("pattern")
        elif shape["type"] in ("integer", "long"):
            if "min" in shape:
                kinds.append("min_value")
            if "max" in shape:
                kinds.append("max_value")
        return kinds

    def breaking_scalar(self, shape_name, kind):
        shape = self.model.shape(shape_name)
        if kind == "min_value":
            value = shape["min"] - 1
        elif kind == "max_value":
            value = shape["max"] + 1
        else:
            return self.model.breaking_string(shape_name, kind)
        if shape["type"] == "integer" and not -2**31 <= value < 2**31:
            return None  # would be a type error (out of range of int), not this constraint
        return value

    def walk_scalar(self, shape_name, steps, location):
        for kind in self.scalar_kinds(shape_name):
            bad = self.breaking_scalar(shape_name, kind)
            if bad is None:
                self.skip(kind, steps, f"no value of {shape_name} breaks it")
                continue
            if location == "uri" and bad == "":
                self.skip(kind, steps, "an empty URI label cannot be sent")
                continue

            def expect(path, value, shape_name=shape_name):
                return [(found, path, render(value), phrase)
                        for found, phrase in self.model.violations(shape_name, value)]

            self.add(kind, steps, lambda name, current, bad=bad: bad, expect)

    def walk_list(self, shape_name, steps, location):
        shape = self.model.shape(shape_name)
        element = shape["member"]["shape"]
        size_kinds = []
        if shape.get("min", 0) > 0:
            size_kinds.append(("min_length", shape["min"] - 1))
        if "max" in shape:
            size_kinds.append(("max_length", shape["max"] + 1))
        for kind, count in size_kinds:
            values = [self.model.valid(element, index) for index in range(count)]
            if location == "querystring" and not values:
                # An empty list is not sent at all: the member is simply absent.
                self.skip(kind, steps, "an empty query-string list is not sent")
                continue
            phrase = (f"Member must have length greater than or equal to {shape['min']}"
                      if kind == "min_length"
                      else f"Member must have length less than or equal to {shape['max']}")
            self.add(kind, steps, lambda name, current, values=values: values,
                     lambda path, value, kind=kind, phrase=phrase:
                     [(kind, path, render(value), phrase)])
        element_type = self.model.shape(element)["type"]
        if element_type in ("structure", "list", "map"):
            self.walk_value(element, steps + [("element",)])
            return
        # Scalar elements: AWS reports the whole list once, listing every element constraint.
        for kind in self.scalar_kinds(element):
            bad = self.breaking_scalar(element, kind)
            if bad is None:
                self.skip(kind, steps + [("element",)], f"no value of {element} breaks it")
                continue
            count = max(shape.get("min", 0), 1)
            values = [bad] + [self.model.valid(element, index) for index in range(1, count)]
            phrase = ("Member must satisfy constraint: ["
                      + ", ".join(self.model.all_phrases(element)) + "]")
            self.add(f"element {kind}", steps, lambda name, current, values=values: values,
                     lambda path, value, kind=kind, phrase=phrase:
                     [(kind, path, render(value), phrase)])

    def walk_map(self, shape_name, steps):
        shape = self.model.shape(shape_name)
        key_shape, value_shape = shape["key"]["shape"], shape["value"]["shape"]
        for kind, count in ([("min_length", shape["min"] - 1)] if shape.get("min", 0) > 0 else []) + \
                           ([("max_length", shape["max"] + 1)] if "max" in shape else []):
            entries = MapValue((self.model.valid(key_shape, index), self.model.valid(value_shape))
                               for index in range(count))
            phrase = (f"Member must have length greater than or equal to {shape['min']}"
                      if kind == "min_length"
                      else f"Member must have length less than or equal to {shape['max']}")
            self.add(kind, steps, lambda name, current, entries=entries: entries,
                     lambda path, value, kind=kind, phrase=phrase:
                     [(kind, path, render(value), phrase)])
        # Keys: reported once on the map, listing every key constraint.
        for kind in self.scalar_kinds(key_shape):
            bad = self.breaking_scalar(key_shape, kind)
            if bad is None:
                self.skip("key " + kind, steps, f"no value of {key_shape} breaks it")
                continue
            entries = MapValue([(bad, self.model.valid(value_shape))])
            phrase = ("Map keys must satisfy constraint: ["
                      + ", ".join(self.model.all_phrases(key_shape)) + "]")
            self.add(f"key {kind}", steps, lambda name, current, entries=entries: entries,
                     lambda path, value, kind=kind, phrase=phrase:
                     [(kind, path, render(value), phrase)])
        value_type = self.model.shape(value_shape)["type"]
        key = self.model.valid(key_shape)
        if value_type == "structure":
            self.walk_value(value_shape, steps + [("value",)])
        elif value_type == "list":
            # A list value's size is reported on the map ("Map value must satisfy constraint",
            # as DynamoDB's requestItems); how AWS words a bad element inside it is not known.
            list_shape = self.model.shape(value_shape)
            element = list_shape["member"]["shape"]
            sizes = ([("min_length", list_shape["min"] - 1)] if list_shape.get("min", 0) > 0
                     else []) + ([("max_length", list_shape["max"] + 1)]
                                 if "max" in list_shape else [])
            for kind, count in sizes:
                entries = MapValue([(key, [self.model.valid(element, index)
                                           for index in range(count)])])
                phrase = ("Map value must satisfy constraint: ["
                          + ", ".join(self.model.size_phrases(value_shape)) + "]")
                self.add(f"value {kind}", steps, lambda name, current, entries=entries: entries,
                         lambda path, value, kind=kind, phrase=phrase:
                         [(kind, path, render(value), phrase)])
            for kind in self.scalar_kinds(element):
                self.skip(f"value element {kind}", steps,
                          "AWS's wording for an element of a list inside a map is not known")
        elif value_type == "map":
            self.skip("value", steps, "maps of maps do not occur in scope")
        else:
            for kind in self.scalar_kinds(value_shape):
                bad = self.breaking_scalar(value_shape, kind)
                if bad is None:
                    self.skip("value " + kind, steps, f"no value of {value_shape} breaks it")
                    continue
                entries = MapValue([(key, bad)])
                phrase = ("Map value must satisfy constraint: ["
                          + ", ".join(self.model.all_phrases(value_shape)) + "]")
                self.add(f"value {kind}", steps, lambda name, current, entries=entries: entries,
                         lambda path, value, kind=kind, phrase=phrase:
                         [(kind, path, render(value), phrase)])


def build_cases():
    cases, skips, operations = [], [], 0
    for service in SERVICES:
        model = Model(service)
        for operation_name, operation in sorted(model.document["operations"].items()):
            operations += 1
            if "input" not in operation:
                continue
            builder = CaseBuilder(model, operation_name).build()
            cases += builder.cases
            skips += builder.skips
    return cases, skips, operations


CASES, SKIPS, OPERATION_COUNT = build_cases()


def plain(document):
    """MapValue -> dict, recursively, for botocore."""
    if isinstance(document, dict):
        return {key: plain(value) for key, value in document.items()}
    if isinstance(document, list):
        return [plain(value) for value in document]
    return document


def coral_part(path, rendered, phrase):
    value = "null" if rendered is None else "'" + (
        "(?s:.*)" if rendered is WILDCARD else re.escape(rendered)) + "'"
    return f"Value {value} at '{re.escape(path)}' failed to satisfy constraint: {re.escape(phrase)}"


def coral_regexes(expected):
    """Every order of the expected parts (AWS does not document their order)."""
    count = len(expected)
    head = re.escape(f"{count} validation error{'s' if count > 1 else ''} detected: ")
    orders = [expected] if count == 1 else _permutations(expected)
    return [head + "; ".join(coral_part(path, rendered, phrase)
                             for _, path, rendered, phrase in order) for order in orders]


def _permutations(items):
    if len(items) <= 1:
        return [items]
    return [[items[index]] + rest for index in range(len(items))
            for rest in _permutations(items[:index] + items[index + 1:])]


class ModelDrivenValidationTest(CairnTestCase):
    """Every constraint of every in-scope operation's input is enforced with AWS's error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clients = {service: cls.cairn.client(service, validate=False) for service in SERVICES}
        if os.environ.get("CAIRN_VALIDATION_VERBOSE"):
            for case in CASES:
                print(case, json.dumps(plain(case.params))[:200])
            for skip in SKIPS:
                print("skip:", skip)

    def call(self, case):
        client = self.clients[case.service]
        method = getattr(client, botocore.xform_name(case.operation))
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            method(**plain(case.params))
        return caught.exception.response

    def check(self, case):
        response = self.call(case)
        error = response["Error"]
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 400, response)
        if case.service == "organizations":
            self.assertEqual(error["Code"], "InvalidInputException", response)
            allowed = {ORGANIZATIONS_REASONS[kind] for kind, *_ in case.expected}
            self.assertIn((response.get("Reason"), error["Message"]), allowed, response)
            return
        if case.service == "config" and all(kind in ("min_value", "max_value") and path == "limit"
                                            for kind, path, *_ in case.expected):
            # The seed DescribeOrganizationConformancePackStatuses page: a Limit out of its
            # range is InvalidLimitException, as for every Config operation that models it.
            self.assertEqual((error["Code"], error["Message"]),
                             ("InvalidLimitException", "The specified limit is outside the allowable range."))
            return
        code = "InvalidInputException" if case.service == "securityhub" else "ValidationException"
        self.assertEqual(error["Code"], code, response)
        regexes = coral_regexes(case.expected)
        self.assertTrue(any(re.fullmatch(regex, error["Message"]) for regex in regexes),
                        f"\n  got:      {error['Message']}\n  expected: {regexes[0]}")

    def test_every_constraint_of_every_operation(self):
        """Each generated request breaks one model constraint and gets the service's
        validation error naming that member and constraint."""
        self.assertEqual(OPERATION_COUNT, 131)
        for case in CASES:
            with self.subTest(case=str(case)):
                self.check(case)

    def test_every_operation_is_covered(self):
        """Every in-scope operation with a constrained input has at least one case."""
        covered = {(case.service, case.operation) for case in CASES}
        for service in SERVICES:
            model = Model(service)
            for operation_name, operation in model.document["operations"].items():
                if "input" not in operation:
                    continue
                builder = CaseBuilder(model, operation_name).build()
                if builder.cases:
                    self.assertIn((service, operation_name), covered)

    def test_case_counts(self):
        """Prints how many cases each service has and every skip with its reason."""
        counts = {}
        for case in CASES:
            counts[case.service] = counts.get(case.service, 0) + 1
        print(f"\nvalidation cases: {counts}, total {len(CASES)}; skipped {len(SKIPS)}:")
        for skip in SKIPS:
            print("  skip:", skip)
        self.assertGreater(len(CASES), 500)

    # ---- hand-written checks of what the generated cases cannot show ----

    def assertCoralMessage(self, message, parts):
        """message is AWS's Coral validation message made of parts [(path, value, phrase)], in
        any order (AWS does not document the order)."""
        regexes = coral_regexes([(None, path, value, phrase) for path, value, phrase in parts])
        self.assertTrue(any(re.fullmatch(regex, message) for regex in regexes), message)

    def assertNotValidationError(self, call):
        """call() passes validation: it succeeds, or fails with something other than a model
        validation error (the operation's own semantics, or 501 while it has no provider)."""
        try:
            call()
        except botocore.exceptions.ClientError as error:
            message = error.response["Error"]["Message"]
            self.assertNotIn("validation error", message, error.response)
            self.assertNotIn(error.response.get("Reason"),
                             {reason for reason, _ in ORGANIZATIONS_REASONS.values()},
                             error.response)

    def json_call(self, service, target, body):
        """POSTs a raw awsJson request; returns (status, headers, parsed body)."""
        status, response_headers, raw = self.cairn.raw(
            "POST", "/", body if isinstance(body, bytes) else body.encode(),
            json_headers(target, service=service))
        return status, response_headers, json.loads(raw)

    def test_two_violations_are_counted_and_joined_ssm(self):
        """ssm: "2 validation errors detected: <one>; <other>", one part per violation."""
        response = self.assertClientError(
            lambda: self.clients["ssm"].list_associations(MaxResults=51,
                                                          AssociationFilterList=[]),
            "ValidationException", 400)
        self.assertCoralMessage(response["Error"]["Message"], [
            ("associationFilterList", "[]", "Member must have length greater than or equal to 1"),
            ("maxResults", "51", "Member must have value less than or equal to 50")])

    def test_two_violations_are_counted_and_joined_config(self):
        """config: a list-element violation and a range violation in one request."""
        response = self.assertClientError(
            lambda: self.clients["config"].describe_configuration_aggregators(
                ConfigurationAggregatorNames=["!!!"], Limit=101),
            "ValidationException", 400)
        self.assertCoralMessage(response["Error"]["Message"], [
            ("configurationAggregatorNames", "[!!!]",
             "Member must satisfy constraint: [Member must have length less than or equal to 256, "
             "Member must have length greater than or equal to 1, "
             "Member must satisfy regular expression pattern: [\\w\\-]+]"),
            ("limit", "101", "Member must have value less than or equal to 100")])

    def test_two_violations_are_counted_and_joined_securityhub(self):
        """securityhub: InvalidInputException (400) carrying the same two-part message."""
        response = self.assertClientError(
            lambda: self.clients["securityhub"].create_configuration_policy(Name=" "),
            "InvalidInputException", 400)
        self.assertCoralMessage(response["Error"]["Message"], [
            ("name", " ", "Member must satisfy regular expression pattern: .*\\S.*"),
            ("configurationPolicy", None, "Member must not be null")])

    def test_two_violations_organizations_names_one_reason(self):
        """organizations: one InvalidInputException with the Reason of one of the violations."""
        response = self.assertClientError(
            lambda: self.clients["organizations"].create_organizational_unit(ParentId="bad",
                                                                             Name=""),
            "InvalidInputException", 400)
        self.assertIn((response["Reason"], response["Error"]["Message"]),
                      {ORGANIZATIONS_REASONS["pattern"], ORGANIZATIONS_REASONS["min_length"]})

    def test_explicit_null_is_a_missing_member(self):
        """A JSON null counts as absent: "Value null at 'name' ... Member must not be null"."""
        status, headers, body = self.json_call("ssm", "AmazonSSM.CreateAssociation",
                                               '{"Name": null}')
        self.assertEqual(status, 400)
        self.assertEqual(body["__type"].rsplit("#", 1)[-1], "ValidationException")
        self.assertEqual(body.get("message", body.get("Message")),
                         "1 validation error detected: Value null at 'name' failed to satisfy "
                         "constraint: Member must not be null")

    def test_wrong_json_types_are_serialization_errors(self):
        """A JSON value of the wrong type fails deserialization before any constraint is
        checked: 400 SerializationException with the Coral deserializer's message."""
        cases = [
            ("ssm", "AmazonSSM.ListAssociations", '{"MaxResults":"ten"}',
             "STRING_VALUE cannot be converted to Integer"),
            ("ssm", "AmazonSSM.CreateAssociation", '{"Name":5}',
             "NUMBER_VALUE cannot be converted to String"),
            ("ssm", "AmazonSSM.CreateAssociation",
             '{"Name":"AWS-RunShellScript","ApplyOnlyAtCronInterval":"yes"}',
             "STRING_VALUE cannot be converted to Boolean"),
            ("ssm", "AmazonSSM.CreateAssociation",
             '{"Name":"AWS-RunShellScript","Targets":{"Key":"tag:a"}}',
             "Start of structure or map found where not expected."),
            ("config", "StarlingDoveService.DescribeConfigurationAggregators", '{"Limit":true}',
             "TRUE_VALUE cannot be converted to Integer"),
            ("organizations", "AWSOrganizationsV20161128.ListAccounts", '{"MaxResults":"5"}',
             "STRING_VALUE cannot be converted to Integer"),
        ]
        for service, target, body, message in cases:
            with self.subTest(target=target, body=body):
                status, headers, parsed = self.json_call(service, target, body)
                self.assertEqual(status, 400, parsed)
                self.assertEqual(parsed["__type"].rsplit("#", 1)[-1], "SerializationException")
                self.assertEqual(parsed.get("message", parsed.get("Message")), message)
                self.assertIn("x-amzn-RequestId", headers)

    def test_securityhub_wrong_types_in_body_and_query(self):
        """securityhub (restJson): a body member of the wrong type, and a query-string value
        that is not a number, are 400 SerializationException in the restJson error shape."""
        headers = {"Content-Type": "application/json", **signed_headers(service="securityhub")}
        status, response_headers, body = self.cairn.raw(
            "POST", "/configurationPolicy/create", b'{"Name":5}', headers)
        self.assertEqual(status, 400)
        self.assertEqual(response_headers.get("x-amzn-ErrorType", "").split(":")[0],
                         "SerializationException")
        self.assertEqual(json.loads(body)["Message"], "NUMBER_VALUE cannot be converted to String")
        status, response_headers, body = self.cairn.raw(
            "GET", "/configurationPolicy/list?MaxResults=ten", b"", headers)
        self.assertEqual(status, 400)
        self.assertEqual(response_headers.get("x-amzn-ErrorType", "").split(":")[0],
                         "SerializationException")

    def test_union_needs_exactly_one_member(self):
        """securityhub Target is a union: two members set is refused with InvalidInputException
        naming the member."""
        response = self.assertClientError(
            lambda: self.clients["securityhub"].get_configuration_policy_association(
                Target={"AccountId": "123456789012", "RootId": "r-abcd"}),
            "InvalidInputException", 400)
        self.assertIn("'target'", response["Error"]["Message"])

    def test_lengths_count_characters_not_bytes(self):
        """AWS counts string length in characters: 256 two-byte characters fit a max of 256,
        257 do not."""
        ssm = self.clients["ssm"]
        self.assertNotValidationError(lambda: ssm.create_association(
            Name="AWS-RunShellScript", ScheduleExpression="\u00e9" * 256))
        response = self.assertClientError(
            lambda: ssm.create_association(Name="AWS-RunShellScript",
                                           ScheduleExpression="\u00e9" * 257),
            "ValidationException", 400)
        self.assertTrue(response["Error"]["Message"].endswith(
            "at 'scheduleExpression' failed to satisfy constraint: "
            "Member must have length less than or equal to 256"), response)

    def test_patterns_search_unless_anchored(self):
        """Model patterns match anywhere in the value unless they anchor themselves
        (Smithy semantics), including AWS's own half-anchored alternations."""
        organizations = self.clients["organizations"]
        # `^(r-...)|(ou-...)$` anchors only the start of the first alternative.
        self.assertNotValidationError(lambda: organizations.list_children(
            ParentId="r-abcd-and-more", ChildType="ACCOUNT"))
        # ssm AccountId `(?i)all|[0-9]{12}`: case-insensitive "all" is an account list.
        self.assertNotValidationError(lambda: self.clients["ssm"].modify_document_permission(
            Name="my-document", PermissionType="Share", AccountIdsToAdd=["All"]))
        # securityhub TagKey `^(?!aws:)[a-zA-Z+-=._:/]+$`: the range `+-=` admits digits and `,`.
        arn = "arn:aws:securityhub:us-east-1:111111111111:configuration-policy/x"
        self.assertNotValidationError(lambda: self.clients["securityhub"].tag_resource(
            ResourceArn=arn, Tags={"Key1,2": "v"}))

    def test_lookahead_patterns_are_enforced(self):
        """The model's lookahead patterns are enforced, not skipped: securityhub tag keys may
        not start with `aws:`, ssm alarm names may not be blank."""
        arn = "arn:aws:securityhub:us-east-1:111111111111:configuration-policy/x"
        response = self.assertClientError(
            lambda: self.clients["securityhub"].tag_resource(ResourceArn=arn,
                                                             Tags={"aws:owner": "me"}),
            "InvalidInputException", 400)
        self.assertEqual(
            response["Error"]["Message"],
            "1 validation error detected: Value '{aws:owner=me}' at 'tags' failed to satisfy "
            "constraint: Map keys must satisfy constraint: [Member must have length less than or "
            "equal to 128, Member must have length greater than or equal to 1, Member must "
            "satisfy regular expression pattern: ^(?!aws:)[a-zA-Z+-=._:/]+$]")
        response = self.assertClientError(
            lambda: self.clients["ssm"].create_association(
                Name="AWS-RunShellScript",
                AlarmConfiguration={"Alarms": [{"Name": "   "}]}),
            "ValidationException", 400)
        self.assertEqual(
            response["Error"]["Message"],
            "1 validation error detected: Value '   ' at 'alarmConfiguration.alarms.1.member.name' "
            "failed to satisfy constraint: Member must satisfy regular expression pattern: "
            "^(?!\\s*$).+")

    def test_values_are_quoted_raw_in_a_well_formed_body(self):
        """The offending value appears as sent (quotes, backslashes, newlines, non-ASCII), and
        the error body stays valid JSON."""
        value = 'a "quoted" \\ back\nslash \u00e9'
        response = self.assertClientError(
            lambda: self.clients["ssm"].create_association(Name="AWS-RunShellScript",
                                                           AssociationName=value),
            "ValidationException", 400)
        self.assertEqual(response["Error"]["Message"],
                         f"1 validation error detected: Value '{value}' at 'associationName' "
                         "failed to satisfy constraint: Member must satisfy regular expression "
                         "pattern: ^[a-zA-Z0-9_\\-.]{3,128}$")

    def test_rest_labels_and_query_lists_are_decoded_before_validation(self):
        """securityhub: a percent-encoded URI label is validated decoded, and a list sent as
        repeated query keys (?tagKeys=a&tagKeys=b) is validated as one list."""
        hub = self.clients["securityhub"]
        response = self.assertClientError(
            lambda: hub.list_tags_for_resource(ResourceArn="not an/arn:x"),
            "InvalidInputException", 400)
        self.assertEqual(response["Error"]["Message"],
                         "1 validation error detected: Value 'not an/arn:x' at 'resourceArn' "
                         "failed to satisfy constraint: Member must satisfy regular expression "
                         "pattern: ^arn:aws:securityhub:.*")
        arn = "arn:aws:securityhub:us-east-1:111111111111:configuration-policy/x"
        response = self.assertClientError(
            lambda: hub.untag_resource(ResourceArn=arn, TagKeys=["team", "aws:owner", "cost"]),
            "InvalidInputException", 400)
        self.assertEqual(response["Error"]["Message"],
                         "1 validation error detected: Value '[team, aws:owner, cost]' at "
                         "'tagKeys' failed to satisfy constraint: Member must satisfy constraint: "
                         "[Member must have length less than or equal to 128, Member must have "
                         "length greater than or equal to 1, Member must satisfy regular "
                         "expression pattern: ^(?!aws:)[a-zA-Z+-=._:/]+$]")

    def test_valid_request_reaches_the_operation(self):
        """Validation runs before the provider: an otherwise-valid request to an operation is
        answered by the operation, or with 501 NotImplemented naming it while it has none."""
        client = self.clients["config"]
        try:
            client.describe_configuration_aggregators()
        except botocore.exceptions.ClientError as error:
            response = error.response
            if response["ResponseMetadata"]["HTTPStatusCode"] == 501:
                self.assertEqual(response["Error"]["Code"], "NotImplemented")
                self.assertIn("config.DescribeConfigurationAggregators",
                              response["Error"]["Message"])
            else:
                self.assertNotIn("validation error", response["Error"]["Message"])


if __name__ == "__main__":
    unittest.main()
