"""Snapshots of many SSM associations, for the list-page and restore sections, built from a
template cairn exported itself (so they follow whatever format the binary under test writes).

make_template(binary, workdir) starts a durable cairn, creates one association through
CreateAssociation, runs the lifecycle steps it scheduled, stops it and `cairn export`s the
data dir. write_snapshot(template, path, layout) then writes a snapshot holding, for each
(account, count) of `layout`, `count` copies of every document that mentions the template's
association id, with the account and the id replaced (ids are distinct UUID-shaped strings),
plus one copy of every other document. `cairn import FILE --data-dir DIR` loads it.
"""

import json
import os
import subprocess

from harness import CHILDREN, start_cairn
import scale

TEMPLATE_ACCOUNT = "100000000000"


def make_template(binary, workdir):
    data_dir = os.path.join(workdir, "template-data")
    proc, port, _, _ = start_cairn(binary, ["--log-level", "warn", "--data-dir", data_dir],
                                   os.path.join(workdir, "template.log"), timeout=30)
    client = scale.AwsClient(port, TEMPLATE_ACCOUNT)
    answer = client.ok("AmazonSSM.CreateAssociation", scale.ENTRY)
    client.close()
    association_id = answer["AssociationDescription"]["AssociationId"]
    scale.run_due_steps(port)
    CHILDREN.stop(proc)
    path = os.path.join(workdir, "template.json")
    subprocess.run([binary, "export", path, "--data-dir", data_dir], check=True, timeout=60,
                   stdout=subprocess.DEVNULL)
    with open(path) as source:
        snapshot = json.load(source)
    return {"snapshot": snapshot, "id": association_id}


def association_id(account_idx, seq):
    return "%08x-0000-4000-8000-%012x" % (account_idx, seq)


def write_snapshot(template, path, layout):
    """layout: [(account id, how many associations)]. Returns the number of documents."""
    snapshot, template_id = template["snapshot"], template["id"]
    head = {key: value for key, value in snapshot.items() if key != "collections"}
    documents = 0
    with open(path, "w") as out:
        out.write(json.dumps(head, separators=(",", ":"))[:-1] + ',"collections":{')
        for collection_idx, (collection, docs) in enumerate(
                sorted(snapshot["collections"].items())):
            out.write("%s%s:{" % ("," if collection_idx else "", json.dumps(collection)))
            first = True
            for key, doc in docs.items():
                text = json.dumps(doc, separators=(",", ":"))
                entry = "%s:%s" % (json.dumps(key), text)
                if template_id not in key and template_id not in text:
                    out.write(("" if first else ",") + entry)
                    first = False
                    documents += 1
                    continue
                # Parts between occurrences of the account and the id, filled per copy.
                pieces = [part.split(TEMPLATE_ACCOUNT) for part in entry.split(template_id)]
                buffer = []
                for account_idx, (account, count) in enumerate(layout):
                    with_account = [account.join(part) for part in pieces]
                    for seq in range(count):
                        buffer.append(association_id(account_idx, seq).join(with_account))
                        if len(buffer) >= 10000:
                            out.write(("" if first else ",") + ",".join(buffer))
                            first = False
                            documents += len(buffer)
                            buffer = []
                if buffer:
                    out.write(("" if first else ",") + ",".join(buffer))
                    first = False
                    documents += len(buffer)
            out.write("}")
        out.write("}}")
    return documents


def layout_of(total, first_account_count, accounts_from=200000000000, per_account=2000):
    """Account accounts_from holds first_account_count associations; the rest fill
    per_account-sized accounts after it."""
    layout = [("%012d" % accounts_from, min(total, first_account_count))]
    left, account = total - layout[0][1], accounts_from + 1
    while left > 0:
        layout.append(("%012d" % account, min(per_account, left)))
        left -= layout[-1][1]
        account += 1
    return layout
