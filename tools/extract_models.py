#!/usr/bin/env python3
"""Extracts cairn's service models from the botocore installed on this machine.

For each service, keeps the in-scope operations (those listed in
shared/reference/api-catalog.json, plus STS GetCallerIdentity) and every shape they reach,
with documentation stripped, and writes models/<service>.json. The build embeds these files;
they are generated, never edited by hand.

Usage: tools/extract_models.py [--catalog PATH] [--out DIR]
"""
import argparse
import json
import os
import sys

import botocore.session

# Besides the catalog: STS GetCallerIdentity, which tells a client which account it acts as.
EXTRA_OPERATIONS = {"sts": ["GetCallerIdentity"]}

# Shape and operation keys that carry semantics; everything else (documentation, examples,
# deprecation notes, endpoint discovery hints) is dropped.
SHAPE_KEYS = {
    "type", "members", "member", "key", "value", "required", "min", "max", "pattern",
    "enum", "location", "locationName", "timestampFormat", "union", "error", "exception",
    "fault", "flattened", "jsonvalue", "idempotencyToken", "xmlNamespace", "box", "shape",
    "document", "streaming", "payload",
}
OPERATION_KEYS = {"name", "http", "input", "output", "errors", "endpoint"}
METADATA_KEYS = {
    "apiVersion", "endpointPrefix", "jsonVersion", "protocol", "serviceId", "signingName",
    "targetPrefix", "xmlNamespace", "signatureVersion", "serviceFullName",
}


def strip(node, keep):
    return {key: value for key, value in node.items() if key in keep}


def strip_shape(shape):
    out = strip(shape, SHAPE_KEYS)
    for key in ("members",):
        if key in out:
            out[key] = {name: strip(member, SHAPE_KEYS) for name, member in out[key].items()}
    for key in ("member", "key", "value"):
        if key in out:
            out[key] = strip(out[key], SHAPE_KEYS)
    return out


def referenced_shapes(shape):
    for member in shape.get("members", {}).values():
        yield member["shape"]
    for key in ("member", "key", "value"):
        if key in shape:
            yield shape[key]["shape"]


def extract(service, operations, loader):
    model = loader.load_service_model(service, "service-2")
    out_ops = {}
    pending = []
    for name in sorted(operations):
        operation = strip(model["operations"][name], OPERATION_KEYS)
        out_ops[name] = operation
        for key in ("input", "output"):
            if key in operation:
                pending.append(operation[key]["shape"])
        pending.extend(error["shape"] for error in operation.get("errors", []))
    shapes = {}
    while pending:
        shape_name = pending.pop()
        if shape_name in shapes:
            continue
        shape = model["shapes"][shape_name]
        shapes[shape_name] = strip_shape(shape)
        pending.extend(referenced_shapes(shape))
    paginators = loader.load_service_model(service, "paginators-1").get("pagination", {})
    return {
        "generated_by": "tools/extract_models.py from botocore; do not edit",
        "metadata": strip(model["metadata"], METADATA_KEYS),
        "operations": out_ops,
        "shapes": dict(sorted(shapes.items())),
        "paginators": {name: paginators[name] for name in sorted(operations) if name in paginators},
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--catalog",
                        default=os.path.join(here, "..", "..", "shared", "reference",
                                             "api-catalog.json"))
    parser.add_argument("--out", default=os.path.join(here, "..", "models"))
    args = parser.parse_args()

    with open(args.catalog) as catalog_file:
        catalog = json.load(catalog_file)
    by_service = {}
    for entry in catalog:
        by_service.setdefault(entry["service"], set()).add(entry["operation"])
    for service, names in EXTRA_OPERATIONS.items():
        by_service.setdefault(service, set()).update(names)

    loader = botocore.session.get_session().get_component("data_loader")
    os.makedirs(args.out, exist_ok=True)
    for service, names in sorted(by_service.items()):
        document = extract(service, names, loader)
        path = os.path.join(args.out, service + ".json")
        with open(path, "w") as out_file:
            json.dump(document, out_file, separators=(",", ":"), sort_keys=False)
            out_file.write("\n")
        print(f"{path}: {len(document['operations'])} operations, "
              f"{len(document['shapes'])} shapes", file=sys.stderr)


if __name__ == "__main__":
    main()
