"""cairn's scale sections, run by bench.py after the foundation sections (--sections):

  durable       write throughput in memory vs with --data-dir, process and power (issue 4)
  associations  100,000 SSM associations: creation, a ListAssociations page at 1,000 vs at
                100,000, a paginated walk, memory per association (issue 5)
  orgpack       an organization conformance pack over 1,000 member accounts: time to
                CREATE_SUCCESSFUL, status reads at that size (issue 6)

Each section starts its own cairn (port 0, 127.0.0.1), measures, stops it, and returns
Markdown lines: a table whose every row names the command that produced it. Everything a
section starts is registered with harness.CHILDREN and killed on the way out.
"""

import collections
import http.client
import json
import multiprocessing
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import time

from harness import (CHILDREN, DISTURBED_CPUS, Elsewhere, display_path, log, memory_kib,
                     run_wrk, start_cairn, us_text, wait_for_quiet)

ADD_TAGS_LUA = "bench/ssm_add_tags.lua"
AWS_JSON_LUA = "bench/aws_json.lua"

DURABLE_RATIO_TARGET = 0.5      # durable writes/s over in-memory writes/s (issue 4)
PAGE_RATIO_TARGET = 1.25        # a page at 100,000 over one at 1,000: "the same", within noise
ASSOCIATION_OVERHEAD_TARGET = 1024  # bytes per association beyond the user's JSON (issue 5)

SERVER_FLAGS = ["--log-level", "warn", "--threads", "2"]
REGION = "us-east-1"


# ---------------------------------------------------------------------------------------------
# Talking to cairn from Python: keep-alive connections, awsJson1_1 and the admin API.

class AwsClient:
    """awsJson1_1 calls on one keep-alive connection, as `account` in us-east-1."""

    def __init__(self, port, account, service="ssm", timeout=120):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.headers = {
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": "AWS4-HMAC-SHA256 Credential=%s/20240501/%s/%s/aws4_request, "
                             "SignedHeaders=host, Signature=00" % (account, REGION, service),
        }

    def call(self, target, body):
        self.conn.request("POST", "/", json.dumps(body, separators=(",", ":")),
                          dict(self.headers, **{"X-Amz-Target": target}))
        response = self.conn.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else {}

    def ok(self, target, body):
        status, answer = self.call(target, body)
        if status != 200:
            raise RuntimeError("%s answered %d: %s" % (target, status, answer))
        return answer

    def close(self):
        self.conn.close()


def admin(port, path, body, timeout=300):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = conn.getresponse()
        answer = json.loads(response.read())
        if response.status != 200:
            raise RuntimeError("%s answered %d: %s" % (path, response.status, answer))
        return answer
    finally:
        conn.close()


def run_due_steps(port):
    """Runs every lifecycle step already due (the clock moves by 1 ms), so that what requests
    scheduled has happened before a figure is read."""
    return admin(port, "/_cairn/clock/advance", {"seconds": 0.001})


# ---------------------------------------------------------------------------------------------
# Measuring and reporting.

def start_server(binary, args, workdir, name, timeout=30.0, wrapper=()):
    """Starts cairn with the sections' flags; its stderr goes to a file for diagnosis."""
    proc, port, _, answer_ms = start_cairn(binary, args, os.path.join(workdir, name + ".log"),
                                           timeout=timeout, wrapper=wrapper)
    command = "`%s --port 0 %s`" % (display_path(binary), " ".join(args).replace(workdir, "$TMP"))
    return proc, port, command, answer_ms


def measure_wrk(wrk, proc, port, threads, connections, seconds, script, env=None):
    """One wrk run with the server's CPU per request and the CPU used elsewhere meanwhile."""
    window = Elsewhere(proc.pid)
    outcome = run_wrk(wrk, threads, connections, seconds, script, port, env=env)
    outcome["cpu_us_per_request"] = window.server_seconds() * 1e6 / max(1, outcome["requests"])
    outcome["elsewhere"] = window.cpus()
    if proc.poll() is not None:
        raise RuntimeError("cairn exited during a wrk run")
    return outcome


def wrk_text(threads, connections, seconds, script, env=None, shown=None):
    """The command line of a wrk run; `shown` replaces env values too long to print."""
    assignments = ""
    for key, value in sorted((env or {}).items()):
        value = (shown or {}).get(key, value)
        assignments += "%s=%s " % (key, "'%s'" % value if any(c in value for c in " {\"'<")
                                   else value)
    return "%swrk -t%d -c%d -d%ds --latency -s %s http://127.0.0.1:$PORT/" % (
        assignments, threads, connections, seconds, script)


def count(number):
    return "{:,}".format(number)


def busy_text(cpus):
    return "%.2f%s" % (cpus, " (!)" if cpus > DISTURBED_CPUS else "")


def row(measure, result, command, target="", met=None, elsewhere=None):
    return {"measure": measure, "result": result, "command": command, "target": target,
            "met": met, "elsewhere": elsewhere}


def table(rows):
    lines = ["| Measure | Result | Target | Met | elsewhere (CPUs) | Command |",
             "|---|---|---|---|---|---|"]
    for item in rows:
        met = "" if item["met"] is None else ("yes" if item["met"] else "**NO**")
        elsewhere = item["elsewhere"]
        if isinstance(elsewhere, (int, float)):
            elsewhere = busy_text(elsewhere)
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            item["measure"], item["result"], item["target"], met, elsewhere or "",
            item["command"]))
    return lines


def best_latency(runs):
    """The run with the lowest median latency: on a shared machine, the least disturbed one.
    Its `elsewhere` becomes the list of every run's, for the report."""
    best = dict(min(runs, key=lambda run: run["p50"]))
    best["elsewhere"] = " / ".join(busy_text(run["elsewhere"]) for run in runs)
    return best


def latency_text(outcome):
    text = "p50 %s, p99 %s; %.0f req/s; cpu/req %s" % (
        us_text(outcome["p50"]), us_text(outcome["p99"]), outcome["rps"],
        us_text(outcome["cpu_us_per_request"]))
    if outcome["non2xx"] or outcome["socket_errors"]:
        text += " (**%d non-2xx, %d socket errors**)" % (outcome["non2xx"],
                                                         outcome["socket_errors"])
    return text


def dir_kib(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total // 1024


# ---------------------------------------------------------------------------------------------
# Durable vs in-memory writes (issue 4).

NODES = 64
WRITE_ACCOUNT = "123456789012"


def register_nodes(port):
    for node_idx in range(NODES):
        admin(port, "/_cairn/ssm/instances", {"AccountId": WRITE_ACCOUNT, "Region": REGION,
                                              "InstanceId": "mi-%017x" % node_idx})


def durable_writes(binary, wrk, workdir, options):
    modes = [("in memory", []),
             ("durable, --durability process (default)",
              ["--data-dir", os.path.join(workdir, "data-process")]),
             ("durable, --durability power",
              ["--data-dir", os.path.join(workdir, "data-power"), "--durability", "power"])]
    servers = []
    for mode_idx, (label, extra) in enumerate(modes):
        proc, port, command, _ = start_server(binary, SERVER_FLAGS + extra, workdir,
                                              "durable-%d" % mode_idx)
        register_nodes(port)
        servers.append({"label": label, "proc": proc, "port": port, "command": command,
                        "runs": [], "extra": extra})
    env = {"BENCH_NODES": str(NODES)}
    log("durable: warm-up")
    for server in servers:
        run_wrk(wrk, 2, 16, 1, ADD_TAGS_LUA, server["port"], env=env)
    for round_idx in range(options.rounds):
        for server in servers:
            wait_for_quiet(options.quiet_wait)
            log("durable: round %d/%d: %s" % (round_idx + 1, options.rounds, server["label"]))
            server["runs"].append(measure_wrk(wrk, server["proc"], server["port"], 2, 16,
                                              options.seconds, ADD_TAGS_LUA, env))
    # Every write was a 200 and changed a tag; a node still holds at most 8 tags.
    for server in servers:
        client = AwsClient(server["port"], WRITE_ACCOUNT)
        tags = client.ok("AmazonSSM.ListTagsForResource",
                         {"ResourceType": "ManagedInstance", "ResourceId": "mi-%017x" % 0})
        client.close()
        if not 1 <= len(tags["TagList"]) <= 8:
            raise RuntimeError("unexpected tags after the write runs: %s" % tags)

    command = wrk_text(2, 16, options.seconds, ADD_TAGS_LUA, env)
    lines = ["## Durable vs in-memory writes (issue 4)", "",
             "SSM AddTagsToResource on %d registered hybrid nodes, every request a distinct tag "
             "value (a real change), 16 connections, %d interleaved rounds of %d s; each row's "
             "server runs `%s`. Figures separated by / are each run's; ratios compare best runs; "
             "`cpu/req` is the server's CPU over the requests of its best run. Data dirs are "
             "on %s." % (NODES, options.rounds, options.seconds, " ".join(SERVER_FLAGS),
                         filesystem_of(workdir)), "",
             "| Mode | req/s per run | best req/s | vs in memory | p50 | p99 | cpu/req | "
             "elsewhere (CPUs) | non-2xx / socket errors | data dir after | Command |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    memory_best = max(run["rps"] for run in servers[0]["runs"])
    ratios = {}
    for server in servers:
        runs = server["runs"]
        best = max(runs, key=lambda run: run["rps"])
        ratio = best["rps"] / memory_best
        ratios[server["label"]] = ratio
        if server is servers[0]:
            ratio_text = "100%"
        elif "process" in server["label"]:
            ratio_text = "%.0f%% (%s; target >= %.0f%%)" % (
                100 * ratio, "met" if ratio >= DURABLE_RATIO_TARGET else "**missed**",
                100 * DURABLE_RATIO_TARGET)
        else:
            ratio_text = "%.0f%%" % (100 * ratio)
        data_dir = server["extra"][1] if server["extra"] else None
        lines.append("| %s | %s | %.0f | %s | %s | %s | %s | %s | %d / %d | %s | `%s` against "
                     "%s |" % (
                         server["label"], " / ".join("%.0f" % run["rps"] for run in runs),
                         best["rps"], ratio_text,
                         " / ".join(us_text(run["p50"]) for run in runs),
                         " / ".join(us_text(run["p99"]) for run in runs),
                         us_text(best["cpu_us_per_request"]),
                         " / ".join(busy_text(run["elsewhere"]) for run in runs),
                         sum(run["non2xx"] for run in runs),
                         sum(run["socket_errors"] for run in runs),
                         "%.1f MiB" % (dir_kib(data_dir) / 1024) if data_dir else "—",
                         command, server["command"]))
    lines.append("")

    process = servers[1]
    missed = ratios[process["label"]] < DURABLE_RATIO_TARGET
    options.results["durable"] = {
        "rps": [statistics.median(run["rps"] for run in server["runs"]) for server in servers],
        "labels": [server["label"] for server in servers], "command": command,
        "servers": [server["command"] for server in servers]}
    if options.profile == "always" or (options.profile == "auto" and missed):
        lines += profile_writes(wrk, workdir, options, servers[0], process)
    elif missed:
        lines += ["The target is missed; `--profile always` (or perf and strace installed, "
                  "with the default `--profile auto`) explains where the time goes.", ""]
    for server in servers:
        CHILDREN.stop(server["proc"])
    return lines


def filesystem_of(path):
    try:
        done = subprocess.run(["df", "--output=fstype", path], capture_output=True, text=True,
                              timeout=10)
        return done.stdout.split()[-1]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


# Where a durable write's server CPU goes: each perf sample counts once, in the first category
# one of its stack frames matches (frames are symbol names, leaf first).
PROFILE_CATEGORIES = [
    ("SQLite WAL checkpoint (copies WAL pages to the db, fdatasync)",
     ("sqlite3WalCheckpoint", "sqlite3Checkpoint")),
    ("SQLite COMMIT: WAL frames written (pwrite) and header", ("sqlite3WalFrames",)),
    ("SQLite BEGIN: read snapshot and file locks", ("sqlite3BtreeBeginTrans",)),
    ("SQLite: `BEGIN;`/`COMMIT;` text parsed again on every commit (sqlite3_exec)",
     ("sqlite3RunParser", "sqlite3LockAndPrepare", "sqlite3Prepare")),
    ("SQLite: rest of the journal commit (upsert, unlock, WAL index)", ("SqliteJournal::",)),
    ("journal: serializing the changed resources (ToJson, SerializeDocument)",
     ("Transaction::Commit",)),
    ("lock handoff between threads (futex)", ("futex",)),
    ("HTTP: socket reads and writes, epoll", ("sendmsg", "recvfrom", "__libc_recv",
                                              "epoll_wait")),
    ("request handling: routing, parsing, validation, provider, response",
     ("Gateway::Handle",)),
]
# Syscalls counted across the SQLite rows above.
PROFILE_SYSCALLS = [("fcntl (POSIX file locks)", "fcntl"), ("pwrite64", "pwrite"),
                    ("fdatasync/fsync", "sync")]


def profile_writes(wrk, workdir, options, memory, process):
    """Where a durable write's time goes: syscalls per request (strace -c on 2,000 serial
    writes, in memory and durable) and the durable server's CPU by category (perf samples)."""
    lines = ["### Where a durable write's time goes", ""]
    requests = 2000
    strace = shutil.which("strace")
    if strace:
        counts = {}
        for server in (memory, process):
            counts[server["label"]] = strace_counts(strace, workdir, server, requests)
        names = sorted(set().union(*(set(by_name) for by_name in counts.values())),
                       key=lambda name: -counts[process["label"]].get(name, 0))
        lines += ["Syscalls per request, counted by `strace -f -c -p PID` while one keep-alive "
                  "connection sends %d AddTagsToResource one after the other:" % requests, "",
                  "| syscall | %s | %s |" % (memory["label"], process["label"]), "|---|---|---|"]
        for name in names:
            per = [counts[server["label"]].get(name, 0) / requests for server in (memory, process)]
            if max(per) >= 0.005:
                lines.append("| %s | %.2f | %.2f |" % (name, per[0], per[1]))
        lines.append("")
    else:
        lines += ["(strace is not installed: no syscall counts)", ""]

    perf = shutil.which("perf")
    if not perf:
        return lines + ["(perf is not installed: `apt-get install -y linux-perf`)", ""]
    breakdowns = []
    for server in (memory, process):
        samples = perf_samples(perf, wrk, workdir, options, server)
        if not samples:
            return lines + ["(perf recorded no samples)", ""]
        best = max(server["runs"], key=lambda run: run["rps"])
        breakdowns.append((len(samples), best["cpu_us_per_request"], categorize(samples)))
    lines += ["Server CPU by where it was spent: `perf record -F 499 -g --call-graph dwarf -p "
              "PID` during a 16-connection wrk run on each server (%d and %d samples); each "
              "sample counts once, in the first row one of its frames matches. µs per request "
              "is a row's share of the samples times the CPU per request of that server's best "
              "run (%s in memory, %s durable)." % (
                  breakdowns[0][0], breakdowns[1][0], us_text(breakdowns[0][1]),
                  us_text(breakdowns[1][1])), "",
              "| where | in memory: share, µs/req | durable: share, µs/req | durable - memory, "
              "µs/req |", "|---|---|---|---|"]
    labels = [label for label, _ in PROFILE_CATEGORIES] + [OTHER] + \
        ["(across the SQLite rows) %s syscalls" % label for label, _ in PROFILE_SYSCALLS]
    for label in labels:
        cells = []
        for total, cpu_us, counted in breakdowns:
            share = counted.get(label, 0) / total
            cells.append((share, share * cpu_us))
        lines.append("| %s | %.1f%%, %.1f | %.1f%%, %.1f | %+.1f |" % (
            label, 100 * cells[0][0], cells[0][1], 100 * cells[1][0], cells[1][1],
            cells[1][1] - cells[0][1]))
    lines.append("")
    return lines


OTHER = "other (scheduler, allocator, kernel, ...)"


def categorize(samples):
    """Counts samples per PROFILE_CATEGORIES row, and per syscall within SQLite."""
    counted = {}
    for frames in samples:
        joined = "\n".join(frames)
        category = OTHER
        for label, needles in PROFILE_CATEGORIES:
            if any(needle in joined for needle in needles):
                category = label
                break
        counted[category] = counted.get(category, 0) + 1
        if "SqliteJournal::" in joined:
            for label, needle in PROFILE_SYSCALLS:
                if any(needle in frame and ("sys_" in frame or "__libc" in frame)
                       for frame in frames):
                    key = "(across the SQLite rows) %s syscalls" % label
                    counted[key] = counted.get(key, 0) + 1
    return counted


def strace_counts(strace, workdir, server, requests):
    output = os.path.join(workdir, "strace-%d.txt" % server["proc"].pid)
    tracer = CHILDREN.spawn([strace, "-f", "-c", "-o", output, "-p", str(server["proc"].pid)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # strace says "attached" on stderr once it traces every thread.
    deadline = time.perf_counter() + 10
    seen = b""
    while b"attached" not in seen and time.perf_counter() < deadline:
        if select.select([tracer.stderr], [], [], 0.5)[0]:
            chunk = os.read(tracer.stderr.fileno(), 4096)
            if not chunk:
                raise RuntimeError("strace could not attach to cairn")
            seen += chunk
    client = AwsClient(server["port"], WRITE_ACCOUNT)
    for request_idx in range(requests):
        client.ok("AmazonSSM.AddTagsToResource", {
            "ResourceType": "ManagedInstance", "ResourceId": "mi-%017x" % (request_idx % NODES),
            "Tags": [{"Key": "k%d" % (request_idx % 8), "Value": "strace-%d" % request_idx}]})
    client.close()
    tracer.send_signal(signal.SIGINT)
    tracer.wait(timeout=30)
    CHILDREN.stop(tracer)
    counts = {}
    with open(output) as summary:
        for line in summary:
            fields = line.split()
            # % time, seconds, usecs/call, calls, [errors], syscall
            if len(fields) >= 5 and fields[3].isdigit() and fields[-1] != "total":
                counts[fields[-1]] = int(fields[3])
    return counts


def perf_samples(perf, wrk, workdir, options, server):
    """Stacks (symbol names, leaf first) of perf samples of the server under a wrk write load."""
    data = os.path.join(workdir, "perf.data")
    seconds = max(4, min(options.seconds, 8))
    loader = CHILDREN.spawn([wrk, "-t2", "-c16", "-d%ds" % seconds, "-s",
                             os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                          "ssm_add_tags.lua"),
                             "http://127.0.0.1:%d/" % server["port"]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, BENCH_NODES=str(NODES)))
    time.sleep(1)
    subprocess.run([perf, "record", "-q", "-F", "499", "-g", "--call-graph", "dwarf,16384",
                    "-p", str(server["proc"].pid), "-o", data, "--", "sleep",
                    str(seconds - 2)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=seconds + 60, check=True)
    loader.wait(timeout=seconds + 30)
    CHILDREN.stop(loader)
    script = subprocess.run([perf, "script", "-i", data, "-F", "tid,ip,sym", "--no-inline"],
                            capture_output=True, text=True, timeout=300).stdout
    samples, frames = [], []
    for line in script.splitlines():
        if not line.strip():
            if frames:
                samples.append(frames)
            frames = []
        elif line.startswith("\t"):
            parts = line.split(None, 1)
            frames.append(parts[1] if len(parts) > 1 else "")
    if frames:
        samples.append(frames)
    os.remove(data)
    return samples


# ---------------------------------------------------------------------------------------------
# SSM associations at scale (issue 5).

SCOPES = 50                        # accounts 100000000000 .. 100000000049, us-east-1
PER_SCOPE = 2000                   # AWS's limit of associations per account and Region
FIRST_ACCOUNT = 100000000000
ENTRY = {"Name": "AWS-RunShellScript", "Parameters": {"commands": ["true"]},
         "Targets": [{"Key": "tag:none", "Values": ["x"]}]}
BATCH = 50


def account_of(scope_idx):
    return "%012d" % (FIRST_ACCOUNT + scope_idx)


def create_associations(task):
    """Worker: creates `count` associations in one account with CreateAssociationBatch."""
    port, account, count = task
    client = AwsClient(port, account)
    created = 0
    try:
        while created < count:
            entries = [ENTRY] * min(BATCH, count - created)
            answer = client.ok("AmazonSSM.CreateAssociationBatch", {"Entries": entries})
            if answer.get("Failed"):
                raise RuntimeError("CreateAssociationBatch failed in %s: %s"
                                   % (account, answer["Failed"][0]))
            created += len(answer["Successful"])
    finally:
        client.close()
    return created


def list_page_body(token=None):
    body = {"MaxResults": 50}
    if token:
        body["NextToken"] = token
    return body


def walk_associations(port, account):
    """Every page of ListAssociations for one account; returns (pages, items, seconds, tokens)."""
    client = AwsClient(port, account)
    started = time.perf_counter()
    pages, items, tokens, token = 0, 0, [None], None
    while True:
        answer = client.ok("AmazonSSM.ListAssociations", list_page_body(token))
        pages += 1
        items += len(answer["Associations"])
        token = answer.get("NextToken")
        if not token:
            break
        tokens.append(token)
        if pages > 10000:
            raise RuntimeError("ListAssociations never ended")
    seconds = time.perf_counter() - started
    client.close()
    return pages, items, seconds, tokens


def measure_pages(wrk, proc, port, options, label):
    """wrk at one connection on the first and the middle page of account 0's associations
    (the run with the lowest p50 of --rounds), and the paginated walk of all of them (median of
    5 walks)."""
    walks = [walk_associations(port, account_of(0)) for _ in range(5)]
    pages, items, _, tokens = walks[0]
    walk_seconds = statistics.median(walk[2] for walk in walks)
    middle = len(tokens) // 2
    results = {"pages": pages, "items": items, "walk": walk_seconds}
    for name, page_idx in (("first", 0), ("middle", middle)):
        env = {"BENCH_TARGET": "AmazonSSM.ListAssociations", "BENCH_ACCOUNT": account_of(0),
               "BENCH_BODY": json.dumps(list_page_body(tokens[page_idx]),
                                        separators=(",", ":"))}
        shown = {"BENCH_BODY": '{"MaxResults":50%s}' % (
            ',"NextToken":"<token of page %d>"' % (page_idx + 1) if page_idx else "")}
        runs = []
        for round_idx in range(options.rounds):
            wait_for_quiet(options.quiet_wait)
            log("associations: %s, %s page, round %d/%d" % (label, name, round_idx + 1,
                                                             options.rounds))
            runs.append(measure_wrk(wrk, proc, port, 1, 1, options.page_seconds, AWS_JSON_LUA,
                                    env))
        outcome = best_latency(runs)
        outcome["command"] = wrk_text(1, 1, options.page_seconds, AWS_JSON_LUA, env, shown)
        outcome["page"] = "%d of %d" % (page_idx + 1, pages)
        results[name] = outcome
    return results


def associations_at_scale(binary, wrk, workdir, options):
    proc, port, server_command, _ = start_server(binary, SERVER_FLAGS, workdir, "associations")
    entry_bytes = len(json.dumps(ENTRY, separators=(",", ":")))
    # One association first, so one-time costs (the document catalogue's first use, the
    # allocator's first arenas) are not counted per association.
    create_associations((port, account_of(0), 1))
    run_due_steps(port)
    time.sleep(0.2)
    before = memory_kib(proc.pid)

    wait_for_quiet(options.quiet_wait)
    log("associations: 999 more in account %s (1,000 in the store)" % account_of(0))
    window = Elsewhere(proc.pid)
    started = time.perf_counter()
    create_associations((port, account_of(0), 999))
    first_seconds = time.perf_counter() - started
    first_elsewhere = window.cpus()
    run_due_steps(port)
    at_1k = measure_pages(wrk, proc, port, options, "1,000 in the store")

    total = SCOPES * PER_SCOPE
    log("associations: up to %s, %s per account in %d accounts, %d processes"
        % (count(total), count(PER_SCOPE), SCOPES, options.create_processes))
    tasks = [(port, account_of(0), PER_SCOPE - 1000)]
    tasks += [(port, account_of(scope_idx), PER_SCOPE) for scope_idx in range(1, SCOPES)]
    wait_for_quiet(options.quiet_wait)
    window = Elsewhere(proc.pid)
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(options.create_processes) as pool:
        created = sum(pool.map(create_associations, tasks, chunksize=1))
        pool.close()
        pool.join()
    bulk_seconds = time.perf_counter() - started
    bulk_elsewhere = window.cpus()
    bulk_server_cpu = window.server_seconds()
    run_due_steps(port)
    time.sleep(0.2)
    after = memory_kib(proc.pid)
    in_store = 1000 + created
    if in_store != total:
        raise RuntimeError("created %d associations, expected %d" % (in_store, total))
    at_100k = measure_pages(wrk, proc, port, options, "100,000 in the store")
    CHILDREN.stop(proc)

    measured = in_store - 1
    rss_per = (after["VmRSS"] - before["VmRSS"]) * 1024 / measured
    anon_per = (after["Anonymous"] - before["Anonymous"]) * 1024 / measured
    beyond = rss_per - entry_bytes
    create_command = ("CreateAssociationBatch, %d entries per request, each entry `%s` "
                      "(%d bytes), on keep-alive connections" % (
                          BATCH, json.dumps(ENTRY, separators=(",", ":")), entry_bytes))
    rows = [
        row("create 999 associations, one account (1,000 in the store)",
            "%.2f s (%.0f associations/s)" % (first_seconds, 999 / first_seconds),
            "bench/scale.py: %s, 1 connection, against %s" % (create_command,
                                                                  server_command),
            elsewhere=first_elsewhere),
        row("create %s more, %d accounts x %s (100,000 in the store)" % (
            count(created), SCOPES, count(PER_SCOPE)),
            "%.2f s (%.0f associations/s; server CPU %.0f µs per association)" % (
                bulk_seconds, created / bulk_seconds, bulk_server_cpu * 1e6 / created),
            "same, %d Python processes, one account each at a time" % options.create_processes,
            elsewhere=bulk_elsewhere),
    ]
    for name in ("first", "middle"):
        small, large = at_1k[name], at_100k[name]
        rows.append(row("ListAssociations MaxResults 50, %s page, 1,000 in the store (page %s "
                        "of one account)" % (name, small["page"]),
                        latency_text(small), "`%s`" % small["command"],
                        elsewhere=small["elsewhere"]))
        rows.append(row("same, 100,000 in the store (page %s of one account holding 2,000)"
                        % large["page"], latency_text(large), "`%s`" % large["command"],
                        elsewhere=large["elsewhere"]))
        ratio = large["p50"] / small["p50"]
        rows.append(row("ratio of the %s page's cost, 100,000 / 1,000" % name,
                        "p50 x%.2f, cpu/req x%.2f" % (
                            ratio, large["cpu_us_per_request"] / small["cpu_us_per_request"]),
                        "the two rows above", target="<= %.2f (the same)" % PAGE_RATIO_TARGET,
                        met=ratio <= PAGE_RATIO_TARGET))
    for label, figures in (("1,000", at_1k), ("100,000", at_100k)):
        rows.append(row("full walk of one account, %s in the store" % label,
                        "%s associations in %d pages: %.1f ms (%s per page)" % (
                            count(figures["items"]), figures["pages"], figures["walk"] * 1000,
                            us_text(figures["walk"] * 1e6 / figures["pages"])),
                        "bench/scale.py: ListAssociations MaxResults 50 following "
                        "NextToken on one keep-alive connection, median of 5 walks"))
    rows.append(row(
        "memory per association (RSS after - before, over %s)" % count(measured),
        "%.0f bytes (Anonymous %.0f); the user's JSON is %d bytes, so %.0f bytes beyond it" % (
            rss_per, anon_per, entry_bytes, beyond),
        "VmRSS %s -> %s KiB, `/proc/PID/status`, after the creation and every lifecycle step "
        "it scheduled (`POST /_cairn/clock/advance {\"seconds\":0.001}`)"
        % (before["VmRSS"], after["VmRSS"]),
        target="< %d bytes beyond the user's" % ASSOCIATION_OVERHEAD_TARGET,
        met=beyond < ASSOCIATION_OVERHEAD_TARGET))
    options.results["associations"] = {
        "beyond": beyond, "rss_per": rss_per, "entry_bytes": entry_bytes,
        "ratios": {name: at_100k[name]["p50"] / at_1k[name]["p50"]
                   for name in ("first", "middle")},
        "create_rate": created / bulk_seconds, "command": server_command}
    lines = []
    if options.profile == "always" or (options.profile == "auto" and
                                       beyond >= ASSOCIATION_OVERHEAD_TARGET):
        lines = massif_associations(binary, workdir)
    return ["## SSM associations at scale (issue 5)", "",
            "One cairn (`%s`) holds 1,000 associations (one account), then 100,000 (%d "
            "accounts x %s, the per-account-and-Region limit, us-east-1), each targeting "
            "`tag:none=x` so no node runs anything. Page latencies are wrk at one connection "
            "for %d s on the same page again and again; of --rounds runs, the one with the "
            "lowest p50 is shown (elsewhere: every run's)."
            % (server_command.strip("`"), SCOPES, count(PER_SCOPE), options.page_seconds),
            ""] + \
        table(rows) + [""] + lines


MASSIF_ASSOCIATIONS = 2000


def massif_associations(binary, workdir):
    """What an association's heap is made of: valgrind's massif on a cairn that creates
    MASSIF_ASSOCIATIONS associations, its peak heap attributed to the cairn source lines that
    allocated it, under CreateAssociationBatch (what creating an association keeps)."""
    valgrind = shutil.which("valgrind")
    if not valgrind:
        return ["(valgrind is not installed: no heap breakdown)", ""]
    out = os.path.join(workdir, "massif.out")
    log("associations: massif heap profile of %d associations" % MASSIF_ASSOCIATIONS)
    proc, port, _, _ = start_server(binary, SERVER_FLAGS, workdir, "massif", timeout=120,
                                    wrapper=[valgrind, "--tool=massif", "--depth=40",
                                             "--threshold=0.01", "--massif-out-file=" + out])
    create_associations((port, account_of(0), MASSIF_ASSOCIATIONS))
    run_due_steps(port)
    CHILDREN.stop(proc, grace=120)
    sites, useful, extra = massif_sites(out, "CreateAssociationBatch")
    os.remove(out)
    lines = ["### What an association's memory is made of", "",
             "`valgrind --tool=massif --depth=40 --threshold=0.01 %s --port 0 %s` creating %s "
             "associations as above. At the peak the whole process holds %d KiB of heap data "
             "and %d KiB of malloc's own headers and padding (%.0f bytes per association if "
             "all of it were theirs). The data allocated under CreateAssociationBatch, by the "
             "innermost cairn source lines of each allocation:"
             % (display_path(binary), " ".join(SERVER_FLAGS), count(MASSIF_ASSOCIATIONS),
                useful // 1024, extra // 1024, extra / MASSIF_ASSOCIATIONS), "",
             "| allocated at (innermost cairn lines first) | bytes per association |",
             "|---|---|"]
    kept = 0
    for site, size in sites.most_common():
        if size / MASSIF_ASSOCIATIONS < 8:
            break
        kept += size
        lines.append("| %s | %.0f |" % (site, size / MASSIF_ASSOCIATIONS))
    lines += ["| all of the above | %.0f |" % (kept / MASSIF_ASSOCIATIONS), ""]
    return lines


def massif_sites(path, under):
    """(bytes per allocation site, heap bytes, extra heap bytes) of the peak snapshot of a
    massif output, counting only allocations with a frame containing `under`. A site is the
    first three cairn source lines of the allocation's stack, innermost first."""
    with open(path) as massif:
        lines = massif.read().split("\n")
    start, heap, extra = None, 0, 0
    for index, line in enumerate(lines):
        if line.startswith("mem_heap_B="):
            current_heap = int(line.split("=")[1])
        elif line.startswith("mem_heap_extra_B="):
            current_extra = int(line.split("=")[1])
        elif line == "heap_tree=peak":
            start, heap, extra = index + 1, current_heap, current_extra
    sites = collections.Counter()
    if start is None:
        return sites, heap, extra
    node = re.compile(r"^\s*n(\d+): (\d+) (.*)$")
    source = re.compile(r"\(([a-z_]+\.(?:cc|h)):(\d+)\)")
    library = ("new_allocator", "stl_", "basic_string", "alloc_traits", "allocator", "unique_ptr")
    # Depth-first over the tree; a stack of (remaining children, frames so far).
    position, stack = start, [(1, [])]
    while stack:
        remaining, frames = stack.pop()
        if remaining == 0:
            continue
        stack.append((remaining - 1, frames))
        match = node.match(lines[position])
        position += 1
        children, size, label = int(match.group(1)), int(match.group(2)), match.group(3)
        frames = frames + [label]
        if children:
            stack.append((children, frames))
        elif any(under in frame for frame in frames):
            found = [source.search(frame) for frame in frames]
            cairn_lines = ["%s:%s" % (hit.group(1), hit.group(2)) for hit in found
                           if hit and not hit.group(1).startswith(library)]
            sites[" < ".join(cairn_lines[:3]) or "(no cairn frame)"] += size
    return sites, heap, extra


# ---------------------------------------------------------------------------------------------
# An organization conformance pack at 1,000 member accounts (issue 6).

MANAGEMENT = "111111111111"
MEMBERS = 1000
PACK = "bench-pack"
PACK_TEMPLATE = """\
Resources:
  S3BucketVersioningEnabled:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: s3-bucket-versioning-enabled
      Source:
        Owner: AWS
        SourceIdentifier: S3_BUCKET_VERSIONING_ENABLED
"""
MAX_STEPS = 300


def world_file(path):
    """A world of MEMBERS accounts: 250 in each of Security and Infrastructure, and in
    Production and Development under Workloads."""
    accounts = iter("2%011d" % account_idx for account_idx in range(1, MEMBERS + 1))

    def members(indent, count):
        out = [indent + "accounts:"]
        for _ in range(count):
            account = next(accounts)
            out.append('%s  - {id: "%s", name: member-%s, email: member-%s@example.com}'
                       % (indent, account, account, account))
        return out

    quarter = MEMBERS // 4
    lines = ["# Written by bench/scale.py: %d member accounts under four OUs." % MEMBERS,
             "organization:", "  feature_set: ALL", "  management_account:",
             '    id: "%s"' % MANAGEMENT, "    name: management",
             "    email: management@example.com", "  organizational_units:",
             "    - name: Security"] + members("      ", quarter) + \
        ["    - name: Infrastructure"] + members("      ", quarter) + \
        ["    - name: Workloads", "      organizational_units:",
         "        - name: Production"] + members("          ", quarter) + \
        ["        - name: Development"] + members("          ", MEMBERS - 3 * quarter)
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


def pack_status(client, name=PACK):
    answer = client.ok("StarlingDoveService.DescribeOrganizationConformancePackStatuses",
                       {"OrganizationConformancePackNames": [name]})
    return answer["OrganizationConformancePackStatuses"][0]


def deploy_pack(client, port, name):
    """Puts a pack and steps the clock until CREATE_SUCCESSFUL; returns (put ms, wall ms,
    steps, slowest step ms, clock seconds)."""
    started = time.perf_counter()
    client.ok("StarlingDoveService.PutOrganizationConformancePack",
              {"OrganizationConformancePackName": name, "TemplateBody": PACK_TEMPLATE})
    put_ms = (time.perf_counter() - started) * 1000
    first = pack_status(client, name)
    steps, slowest_step_ms, status = 0, 0.0, first
    while status["Status"] != "CREATE_SUCCESSFUL":
        if status["Status"] not in ("CREATE_IN_PROGRESS",) or steps >= MAX_STEPS:
            raise RuntimeError("organization pack: %s after %d steps" % (status, steps))
        step_started = time.perf_counter()
        admin(port, "/_cairn/clock/advance", {"seconds": 1})
        slowest_step_ms = max(slowest_step_ms, (time.perf_counter() - step_started) * 1000)
        steps += 1
        status = pack_status(client, name)
    wall_ms = (time.perf_counter() - started) * 1000
    return put_ms, wall_ms, steps, slowest_step_ms, \
        status["LastUpdateTime"] - first["LastUpdateTime"]


def organization_pack(binary, wrk, workdir, options):
    world = os.path.join(workdir, "world-%d.yaml" % MEMBERS)
    world_file(world)
    wait_for_quiet(options.quiet_wait)
    proc, port, server_command, startup_ms = start_server(
        binary, SERVER_FLAGS + ["--world", world], workdir, "orgpack")
    client = AwsClient(port, MANAGEMENT, service="config")
    before = memory_kib(proc.pid)

    log("orgpack: PutOrganizationConformancePack over %s accounts" % count(MEMBERS + 1))
    window = Elsewhere(proc.pid)
    put_ms, wall_ms, steps, slowest_step_ms, clock_seconds = deploy_pack(client, port, PACK)
    elsewhere = window.cpus()
    time.sleep(0.2)
    after = memory_kib(proc.pid)
    # The same deployment again (another pack of the same template), --rounds in all, for
    # medians; the reads below are on the first pack.
    deployments = [(put_ms, wall_ms, steps)]
    for round_idx in range(1, options.rounds):
        wait_for_quiet(options.quiet_wait)
        log("orgpack: deployment %d/%d" % (round_idx + 1, options.rounds))
        again = deploy_pack(client, port, "%s-%d" % (PACK, round_idx + 1))
        deployments.append(again[:3])

    # Detailed statuses: the tokens of every page of 100, for a later page.
    tokens, token, accounts_seen = [None], None, 0
    walk_started = time.perf_counter()
    while True:
        body = {"OrganizationConformancePackName": PACK, "Limit": 100}
        if token:
            body["NextToken"] = token
        answer = client.ok("StarlingDoveService.GetOrganizationConformancePackDetailedStatus",
                           body)
        accounts_seen += len(answer["OrganizationConformancePackDetailedStatuses"])
        if any(item["Status"] != "CREATE_SUCCESSFUL"
               for item in answer["OrganizationConformancePackDetailedStatuses"]):
            raise RuntimeError("a member deployment is not CREATE_SUCCESSFUL")
        token = answer.get("NextToken")
        if not token or len(tokens) > 1000:
            break
        tokens.append(token)
    walk_ms = (time.perf_counter() - walk_started) * 1000
    client.close()

    reads = [("DescribeOrganizationConformancePackStatuses by name",
              "StarlingDoveService.DescribeOrganizationConformancePackStatuses",
              {"OrganizationConformancePackNames": [PACK]}, None),
             ("GetOrganizationConformancePackDetailedStatus Limit 100, page 1 of %d"
              % len(tokens), "StarlingDoveService.GetOrganizationConformancePackDetailedStatus",
              {"OrganizationConformancePackName": PACK, "Limit": 100}, None)]
    later = min(len(tokens) - 1, 5)
    if later > 0:
        reads.append(("GetOrganizationConformancePackDetailedStatus Limit 100, page %d of %d"
                      % (later + 1, len(tokens)),
                      "StarlingDoveService.GetOrganizationConformancePackDetailedStatus",
                      {"OrganizationConformancePackName": PACK, "Limit": 100,
                       "NextToken": tokens[later]}, later + 1))
    read_rows = []
    for label, target, body, page in reads:
        env = {"BENCH_TARGET": target, "BENCH_ACCOUNT": MANAGEMENT, "BENCH_SERVICE": "config",
               "BENCH_BODY": json.dumps(body, separators=(",", ":"))}
        shown = None
        if page:
            shown = {"BENCH_BODY": json.dumps(dict(body, NextToken="<token of page %d>" % page),
                                              separators=(",", ":"))}
        runs = []
        for round_idx in range(options.rounds):
            wait_for_quiet(options.quiet_wait)
            log("orgpack: %s, round %d/%d" % (label, round_idx + 1, options.rounds))
            runs.append(measure_wrk(wrk, proc, port, 1, 1, options.page_seconds, AWS_JSON_LUA,
                                    env))
        outcome = best_latency(runs)
        read_rows.append(row(label + ", %s accounts deployed" % count(MEMBERS + 1),
                             latency_text(outcome),
                             "`%s`" % wrk_text(1, 1, options.page_seconds, AWS_JSON_LUA, env,
                                               shown), elsewhere=outcome["elsewhere"]))
    CHILDREN.stop(proc)
    options.results["orgpack"] = {
        "put_ms": statistics.median(d[0] for d in deployments),
        "wall_ms": statistics.median(d[1] for d in deployments),
        "steps": statistics.median(d[2] for d in deployments), "deployments": len(deployments),
        "clock_seconds": clock_seconds, "startup_ms": startup_ms, "command": server_command}

    driver = "bench/scale.py as the management account on a keep-alive connection"
    rows = [
        row("startup with the world file (%s members, 5 OUs) to first 200" % count(MEMBERS),
            "%.1f ms" % startup_ms, server_command),
        row("PutOrganizationConformancePack (one AWS::Config::ConfigRule, "
            "S3_BUCKET_VERSIONING_ENABLED) over %s accounts" % count(MEMBERS + 1),
            "%.1f ms" % put_ms, driver),
        row("Put to CREATE_SUCCESSFUL (DescribeOrganizationConformancePackStatuses by name "
            "after each step)",
            "clock %.1f s in %d steps of `/_cairn/clock/advance {\"seconds\":1}`; wall %.1f ms; "
            "slowest step %.1f ms" % (clock_seconds, steps, wall_ms, slowest_step_ms),
            driver + ", polling after each step (at most %d)" % MAX_STEPS,
            elsewhere=elsewhere),
        row("every deployment (%d packs of the same template, one after the other): Put, "
            "then to CREATE_SUCCESSFUL" % len(deployments),
            "; ".join("Put %.1f ms, wall %.1f ms, %d steps" % d for d in deployments),
            driver),
        row("memory for the deployed pack (RSS after - before the Put)",
            "%d KiB (%.0f bytes per account)" % (
                after["VmRSS"] - before["VmRSS"],
                (after["VmRSS"] - before["VmRSS"]) * 1024 / (MEMBERS + 1)),
            "`/proc/PID/status`"),
    ] + read_rows + [
        row("full walk of the detailed statuses, Limit 100",
            "%s accounts in %d pages: %.1f ms" % (count(accounts_seen), len(tokens), walk_ms),
            driver + ", following NextToken"),
    ]
    return ["## Organization conformance pack at %s member accounts (issue 6)" % count(MEMBERS),
            "", "cairn starts with a world file of %s member accounts and the management "
            "account; the management account puts one organization conformance pack, deployed "
            "into all %s. Read latencies are wrk at one connection for %d s, the run with the "
            "lowest p50 of --rounds (elsewhere: every run's)."
            % (count(MEMBERS), count(MEMBERS + 1), options.page_seconds), ""] + \
        table(rows) + [""]


SECTIONS = {"durable": durable_writes, "associations": associations_at_scale,
            "orgpack": organization_pack}
