"""List pages at 1,000 / 100,000 / 1,000,000 SSM associations, restore from --data-dir, and
memory per restored association (section `pages`).

Each size is a data dir made by `cairn import` of a snapshot bench/snapshot_gen.py writes from
a template the binary under test exported itself: account 200000000000 holds 1,000
associations at every size (so its pages are the same query whatever the store holds), the
rest fill accounts of 2,000 (AWS's limit per account and Region) after it. Imported data dirs
are kept in bench/results/cache/ under a key made of the template's shape (collections, field
names, schema version) and the size, so a rerun with a binary that stores associations the
same way skips the import; every run works on a copy. BENCH_CACHE=0 turns the cache off.

Per round (--rounds), for each size in turn: start cairn on the data dir (`--threads 2
--log-level warn`) and time it to the first 200 (restore), read its RSS after restore; the
last round's servers stay up, and then, interleaved over sizes and rounds, wrk at one
connection on ListAssociations MaxResults 50 of account 200000000000, first page and page 11
of 20 (--page-seconds each), and the full walk of its 20 pages (median of 3 per round).
Reported: medians over rounds. Targets (issue 8): a page at 1M costs less than 1.5x one at 1k;
restoring 100,000 resources in under 500 ms.
"""

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import time

from harness import (BENCH_DIR, CHILDREN, display_path, log, memory_kib, us_text,
                     wait_for_quiet)
import scale
import snapshot_gen
from scale import busy_text, count, measure_wrk, start_server

AWS_JSON_LUA = "bench/aws_json.lua"
PAGE_ACCOUNT = "200000000000"
PAGE_ACCOUNT_HOLDS = 1000
PAGE_RATIO_TARGET = 1.5
RESTORE_TARGET_MS = 500.0
RESTORE_TARGET_SIZE = 100000


def shape(value):
    """The structure of a JSON value without its contents: what the cache key hashes."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [shape(item) for item in value[:1]]
    return type(value).__name__


def cache_key(template):
    snapshot = template["snapshot"]
    described = {"schema_version": snapshot.get("schema_version"),
                 "collections": {name: [shape(doc) for doc in docs.values()][:1]
                                 for name, docs in snapshot["collections"].items()}}
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]


def data_dir_for(binary, template, size, workdir, use_cache):
    """A data dir holding `size` associations, in workdir; returns (path, how it was made)."""
    target = os.path.join(workdir, "pages-%d" % size)
    cache = os.path.join(BENCH_DIR, "results", "cache", "associations-%d-%s"
                         % (size, cache_key(template)))
    if use_cache and os.path.isdir(cache):
        started = time.perf_counter()
        shutil.copytree(cache, target)
        return target, "copied from %s (%.1f s)" % (display_path(cache),
                                                    time.perf_counter() - started)
    snapshot = os.path.join(workdir, "pages-%d.json" % size)
    log("pages: writing a snapshot of %s associations" % count(size))
    started = time.perf_counter()
    documents = snapshot_gen.write_snapshot(template, snapshot,
                                            snapshot_gen.layout_of(size, PAGE_ACCOUNT_HOLDS,
                                                                   int(PAGE_ACCOUNT)))
    written = time.perf_counter() - started
    megabytes = os.path.getsize(snapshot) / 1e6
    log("pages: cairn import of %s documents (%.0f MB)" % (count(documents), megabytes))
    started = time.perf_counter()
    subprocess.run([binary, "import", snapshot, "--data-dir", target], check=True,
                   timeout=1800, stdout=subprocess.DEVNULL)
    imported = time.perf_counter() - started
    os.remove(snapshot)
    if use_cache:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(target, cache + ".partial")
        os.rename(cache + ".partial", cache)
    return target, ("snapshot of %s documents (%.0f MB) written in %.1f s, `%s import FILE "
                    "--data-dir DIR` %.1f s" % (count(documents), megabytes, written,
                                                display_path(binary), imported))


def walk(port):
    pages, items, seconds, tokens = scale.walk_associations(port, PAGE_ACCOUNT)
    if items != PAGE_ACCOUNT_HOLDS:
        raise RuntimeError("pages: account %s lists %d associations, expected %d"
                           % (PAGE_ACCOUNT, items, PAGE_ACCOUNT_HOLDS))
    return pages, seconds, tokens


def pages_section(binary, wrk, workdir, options):
    sizes = options.page_sizes
    use_cache = os.environ.get("BENCH_CACHE", "1") != "0"
    template = snapshot_gen.make_template(binary, workdir)
    dirs, made = {}, {}
    for size in sizes:
        dirs[size], made[size] = data_dir_for(binary, template, size, workdir, use_cache)

    rounds = max(2, options.rounds)
    restore = {size: [] for size in sizes}
    rss = {size: [] for size in sizes}
    servers = {}
    for round_idx in range(rounds):
        for size in sizes:
            wait_for_quiet(options.quiet_wait)
            log("pages: round %d/%d: restore %s associations" % (round_idx + 1, rounds,
                                                                 count(size)))
            args = scale.SERVER_FLAGS + ["--data-dir", dirs[size]]
            proc, port, command, answer_ms = start_server(binary, args, workdir,
                                                          "pages-%d" % size, timeout=600)
            restore[size].append(answer_ms)
            time.sleep(0.5)
            rss[size].append(memory_kib(proc.pid))
            if round_idx == rounds - 1:
                servers[size] = (proc, port, command)
            else:
                CHILDREN.stop(proc, grace=60)

    tokens = {}
    for size in sizes:
        tokens[size] = walk(servers[size][1])[2]
    middle = len(tokens[sizes[0]]) // 2
    page_runs = {(size, name): [] for size in sizes for name in ("first", "middle")}
    walks = {size: [] for size in sizes}
    bodies = {"first": scale.list_page_body(), "middle": None}
    for round_idx in range(rounds):
        for size in sizes:
            proc, port, _ = servers[size]
            walks[size].append(statistics.median(walk(port)[1] for _ in range(3)))
            for name in ("first", "middle"):
                body = scale.list_page_body(tokens[size][middle] if name == "middle" else None)
                env = {"BENCH_TARGET": "AmazonSSM.ListAssociations",
                       "BENCH_ACCOUNT": PAGE_ACCOUNT,
                       "BENCH_BODY": json.dumps(body, separators=(",", ":"))}
                wait_for_quiet(options.quiet_wait)
                log("pages: round %d/%d: %s page at %s" % (round_idx + 1, rounds, name,
                                                           count(size)))
                outcome = measure_wrk(wrk, proc, port, 1, 1, options.page_seconds,
                                      AWS_JSON_LUA, env)
                if outcome["non2xx"] or outcome["socket_errors"]:
                    raise RuntimeError("pages: ListAssociations failed under wrk: %s" % outcome)
                page_runs[(size, name)].append(outcome)
    for proc, _, _ in servers.values():
        CHILDREN.stop(proc, grace=60)
    return render(binary, sizes, made, restore, rss, page_runs, walks, len(tokens[sizes[0]]),
                  middle, servers, options, rounds)


def med(runs, key):
    return statistics.median(run[key] for run in runs)


def render(binary, sizes, made, restore, rss, page_runs, walks, pages, middle, servers,
           options, rounds):
    small, large = sizes[0], sizes[-1]
    command = servers[large][2].replace("pages-%d" % large, "pages-N")
    shown = {"first": '{"MaxResults":50}',
             "middle": '{"MaxResults":50,"NextToken":"<token of page %d>"}' % (middle + 1)}
    rows = []
    for size in sizes:
        rows.append(scale.row("data dir of %s associations" % count(size), made[size],
                              "bench/pages.py via bench/snapshot_gen.py"))
    for size in sizes:
        runs = restore[size]
        target = ""
        met = None
        if size == RESTORE_TARGET_SIZE:
            target, met = "< %.0f ms" % RESTORE_TARGET_MS, statistics.median(runs) < \
                RESTORE_TARGET_MS
        rows.append(scale.row(
            "restore %s associations: start to first 200" % count(size),
            "%.0f ms median (%s)" % (statistics.median(runs),
                                     " / ".join("%.0f" % run for run in runs)),
            command.replace("pages-N", "pages-%d" % size) + " (data dir above)",
            target=target, met=met))
    for size in sizes:
        rows.append(scale.row("RSS after restoring %s associations" % count(size),
                              "%.1f MiB VmRSS, %.1f MiB anonymous (medians)" % (
                                  statistics.median(r["VmRSS"] for r in rss[size]) / 1024,
                                  statistics.median(r["Anonymous"] for r in rss[size]) / 1024),
                              "`/proc/PID/status`, 0.5 s after the first 200"))
    if large != small:
        per = (statistics.median(r["VmRSS"] for r in rss[large]) -
               statistics.median(r["VmRSS"] for r in rss[small])) * 1024 / (large - small)
        rows.append(scale.row("memory per restored association (RSS %s - RSS %s)" % (
            count(large), count(small)), "%.0f bytes (its request JSON is %d bytes)" % (
                per, len(json.dumps(scale.ENTRY, separators=(",", ":")))), "the rows above"))
    ratios = {}
    for name in ("first", "middle"):
        for size in sizes:
            runs = page_runs[(size, name)]
            rows.append(scale.row(
                "ListAssociations MaxResults 50, %s page (%s of %d), %s in the store" % (
                    name, "1" if name == "first" else middle + 1, pages, count(size)),
                "p50 %s, p99 %s; %.0f req/s; cpu/req %s (medians of %d)" % (
                    us_text(med(runs, "p50")), us_text(med(runs, "p99")), med(runs, "rps"),
                    us_text(med(runs, "cpu_us_per_request")), len(runs)),
                "`%s`" % scale.wrk_text(1, 1, options.page_seconds, AWS_JSON_LUA, {
                    "BENCH_TARGET": "AmazonSSM.ListAssociations", "BENCH_ACCOUNT": PAGE_ACCOUNT,
                    "BENCH_BODY": shown[name]}),
                elsewhere=" / ".join(busy_text(run["elsewhere"]) for run in runs)))
        if large != small:
            ratio = med(page_runs[(large, name)], "p50") / med(page_runs[(small, name)], "p50")
            cpu_ratio = med(page_runs[(large, name)], "cpu_us_per_request") / \
                med(page_runs[(small, name)], "cpu_us_per_request")
            ratios[name] = (ratio, cpu_ratio)
            rows.append(scale.row("ratio of the %s page's cost, %s / %s" % (
                name, count(large), count(small)),
                "p50 x%.2f (cpu/req x%.2f)" % (ratio, cpu_ratio), "the rows above",
                target="p50 < %.1f" % PAGE_RATIO_TARGET, met=ratio < PAGE_RATIO_TARGET))
    for size in sizes:
        rows.append(scale.row("full walk of account %s (%s associations, %d pages), %s in the "
                              "store" % (PAGE_ACCOUNT, count(PAGE_ACCOUNT_HOLDS), pages,
                                         count(size)),
                              "%.1f ms median (%s)" % (
                                  1000 * statistics.median(walks[size]),
                                  " / ".join("%.1f" % (1000 * w) for w in walks[size])),
                              "bench/scale.py walk_associations: ListAssociations MaxResults "
                              "50 following NextToken, one keep-alive connection; median of 3 "
                              "walks per round"))
    summary = {
        "restore": {size: statistics.median(restore[size]) for size in sizes},
        "pages": {name: {size: med(page_runs[(size, name)], "p50") for size in sizes}
                  for name in ("first", "middle")},
        "ratios": ratios, "walks": {size: statistics.median(walks[size]) for size in sizes},
        "rss": {size: statistics.median(r["VmRSS"] for r in rss[size]) for size in sizes},
        "command": command, "page_count": pages,
    }
    options.results["pages"] = summary
    return ["## List pages at %s associations, restore, memory (issue 8)" % " / ".join(
                count(size) for size in sizes), "",
            "Data dirs are imported snapshots (see bench/pages.py); every server runs `%s`. "
            "%d rounds; page latencies are wrk at one connection for %d s per run." % (
                command.strip("`"), rounds, options.page_seconds), ""] + \
        scale.table(rows) + [""]


SECTIONS = {"pages": pages_section}
