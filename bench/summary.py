"""The summary table at the top of the report: one row per scenario, cairn's figure, the
peers' (nginx, moto_server) on the same request, the ratios the targets are about, and the
command that produced it. Built from the figures each section leaves in options.results
(medians over rounds); a section that did not run has no rows. Also the `shorg` section, which
runs bench/securityhub_org.py (another file, another author) when it exists.
"""

import importlib
import os

from harness import BENCH_DIR, kib_text, log, us_text
import scale

NGINX_TARGET = 0.5
MOTO_TARGET = 100.0
P99_TARGET_US = 300.0
STARTUP_TARGET_MS = 10.0
RSS_TARGET_KIB = 10 * 1024


def verdicts(checks):
    """'yes' / '**NO**' per (name, ok) check; ok None is skipped."""
    shown = ["%s%s" % ("%s " % name if name and len(checks) > 1 else "",
                       "yes" if ok else "**NO**") for name, ok in checks if ok is not None]
    return "; ".join(shown)


def rps(value):
    return "{:,.0f} req/s".format(value)


def summary_rows(results):
    rows = []

    def add(scenario, cairn, peers, ratio, target, met, command):
        rows.append((scenario, cairn, peers, ratio, target, met, command))

    if "foundation" in results:
        f = results["foundation"]
        nginx_ratio = f["sts_rps"] / f["nginx_rps"]
        add("STS GetCallerIdentity, the cheapest 200 (foundation)",
            "%s at 16 conn; p99 %s at 1 conn" % (rps(f["sts_rps"]), us_text(f["sts_p99_1c"])),
            "nginx %s; p99 %s at 1 conn" % (rps(f["nginx_rps"]), us_text(f["nginx_p99_1c"])),
            "cairn/nginx %.0f%%" % (100 * nginx_ratio),
            ">= 50%% nginx; p99 < %s" % us_text(P99_TARGET_US),
            verdicts([("nginx", nginx_ratio >= NGINX_TARGET),
                      ("p99", f["sts_p99_1c"] < P99_TARGET_US)]),
            "`wrk -t2 -c16 -s bench/sts_get_caller_identity.lua` against %s" % f["command"])
        add("startup to first answer, empty (foundation)",
            "%.1f ms median" % f["startup_ms"],
            "spawn floor (`cairn --version`) %.1f ms" % f["startup_floor_ms"], "",
            "< %.0f ms" % STARTUP_TARGET_MS,
            verdicts([("", f["startup_ms"] < STARTUP_TARGET_MS)]),
            "bench/bench.py: spawn `cairn --port 0 --log-level warn`, POST STS until a 200")
        add("idle RSS (foundation)", kib_text(f["idle_rss"]["VmRSS"]), "", "",
            "< 10 MiB", verdicts([("", f["idle_rss"]["VmRSS"] < RSS_TARGET_KIB)]),
            "`/proc/PID/status` after 10 STS + 10 SSM requests")
        add("loaded RSS: after every wrk run (foundation)", kib_text(f["loaded_rss"]["VmRSS"]),
            "", "", "", "", f["command"])

    if "ops" in results:
        o = results["ops"]
        for op, figures, command in o["ops"]:
            moto = "moto: not implemented" if figures["moto_ratio"] is None else \
                "moto %s" % rps(figures["moto_rps"])
            ratio = "cairn/nginx %.0f%%" % (100 * figures["nginx_ratio"])
            if figures["moto_ratio"] is not None:
                ratio += "; cairn/moto %.0fx" % figures["moto_ratio"]
            add("%s (%s)" % (op.name, op.kind),
                "%s at 16 conn; p99 %s at 1 conn" % (rps(figures["cairn_rps"]),
                                                     us_text(figures["p99"])),
                "nginx %s, p99 %s at 1 conn; %s" % (rps(figures["nginx_rps"]),
                                                     us_text(figures["nginx_p99"]), moto),
                ratio, ">= 50%% nginx; >= 100x moto; p99 < %s" % us_text(P99_TARGET_US),
                verdicts([("nginx", figures["nginx_ratio"] >= NGINX_TARGET),
                          ("moto", None if figures["moto_ratio"] is None else
                           figures["moto_ratio"] >= MOTO_TARGET),
                          ("p99", figures["p99"] < P99_TARGET_US)]),
                "`%s` against %s" % (command, o["command"]))

    if "pages" in results:
        p = results["pages"]
        sizes = sorted(p["restore"])
        label = " / ".join(scale.count(size) for size in sizes)
        for name in ("first", "middle"):
            ratio, cpu_ratio = p["ratios"].get(name, (None, None))
            add("ListAssociations page (%s, 50 of one account's 1,000), %s in the store"
                % (name, label),
                "p50 " + " / ".join(us_text(p["pages"][name][size]) for size in sizes), "",
                "" if ratio is None else "%s/%s p50 x%.2f (cpu/req x%.2f)" % (
                    scale.count(sizes[-1]), scale.count(sizes[0]), ratio, cpu_ratio),
                "p50 ratio < 1.5", verdicts([("", None if ratio is None else ratio < 1.5)]),
                "`wrk -t1 -c1 -s bench/aws_json.lua` (bench/pages.py) against %s"
                % p["command"])
        add("full paginated walk, %d pages, %s in the store" % (p["page_count"], label),
            " / ".join("%.1f ms" % (1000 * p["walks"][size]) for size in sizes), "", "", "",
            "", "bench/pages.py: ListAssociations following NextToken")
        for size in sizes:
            target = 100000
            add("restore %s associations from --data-dir: start to first answer"
                % scale.count(size), "%.0f ms" % p["restore"][size], "", "",
                "< 500 ms" if size == target else "",
                verdicts([("", p["restore"][size] < 500 if size == target else None)]),
                p["command"].replace("pages-N", "pages-%d" % size))
        if len(sizes) > 1:
            per = (p["rss"][sizes[-1]] - p["rss"][sizes[0]]) * 1024 / (sizes[-1] - sizes[0])
            add("loaded RSS: %s associations restored" % scale.count(sizes[-1]),
                "%s; %.0f bytes per association" % (kib_text(p["rss"][sizes[-1]]), per), "", "",
                "", "", "`/proc/PID/status` 0.5 s after restore")

    if "durable" in results:
        d = results["durable"]
        ratio = d["rps"][1] / d["rps"][0]
        add("durable vs in-memory writes (SSM AddTagsToResource, 16 conn)",
            "%s durable (%s); %s `--durability power`" % (rps(d["rps"][1]), d["labels"][1],
                                                           rps(d["rps"][2])),
            "in memory %s" % rps(d["rps"][0]), "durable/in memory %.0f%%" % (100 * ratio),
            ">= 50%", verdicts([("", ratio >= 0.5)]),
            "`%s` against %s" % (d["command"], d["servers"][1]))

    if "associations" in results:
        a = results["associations"]
        add("memory per association beyond its request JSON (100,000 created through the "
            "API)", "%.0f bytes (%.0f in all, JSON %d)" % (a["beyond"], a["rss_per"],
                                                           a["entry_bytes"]),
            "", "", "< 1 KiB", verdicts([("", a["beyond"] < 1024)]),
            "bench/scale.py: CreateAssociationBatch against %s, RSS after - before"
            % a["command"])
        add("ListAssociations page p50, 100,000 / 1,000 created through the API",
            "%.2f (first page), %.2f (middle)" % (a["ratios"]["first"], a["ratios"]["middle"]),
            "", "", "< 1.5", verdicts([("", max(a["ratios"].values()) < 1.5)]),
            "bench/scale.py (associations section)")

    if "orgpack" in results:
        g = results["orgpack"]
        add("organization conformance pack, 1,000 member accounts: Put to CREATE_SUCCESSFUL "
            "(median of %d deployments)" % g["deployments"],
            "Put %.1f ms; %d clock steps, %.0f ms of wall time" % (
                g["put_ms"], g["steps"], g["wall_ms"]),
            "", "", "", "", "bench/scale.py (orgpack) against %s" % g["command"])

    for item in results.get("shorg", []):
        met = "" if item.get("met") is None else ("yes" if item["met"] else "**NO**")
        add("Security Hub organization: %s" % item["measure"], item["result"], "", "",
            item.get("target", ""), met, item["command"])
    return rows


def summary_table(options):
    rows = summary_rows(options.results)
    if not rows:
        return []
    lines = ["## Summary", "",
             "Medians over rounds, from the sections below (each gives every run's figure). "
             "Ratios compare figures of the same run of the suite on the same machine.", "",
             "| Scenario | cairn | peers on the same request | ratio | target | met | Command |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append("| %s |" % " | ".join(str(cell) for cell in row))
    return lines + [""]


def shorg_section(binary, wrk, workdir, options):
    """bench/securityhub_org.py's run(binary, accounts), when the file exists."""
    if not os.path.exists(os.path.join(BENCH_DIR, "securityhub_org.py")):
        log("shorg: bench/securityhub_org.py does not exist; skipped")
        return ["## Security Hub organization (shorg)", "",
                "bench/securityhub_org.py does not exist in this tree: nothing measured.", ""]
    module = importlib.import_module("securityhub_org")
    rows = module.run(binary, options.shorg_accounts)
    options.results["shorg"] = rows
    return ["## Security Hub central configuration at %s accounts (shorg)"
            % scale.count(options.shorg_accounts), "",
            "Measured by `bench/securityhub_org.py` (`run(binary, %d)`); see its docstring."
            % options.shorg_accounts, ""] + scale.table(rows) + [""]
