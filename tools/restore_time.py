#!/usr/bin/env python3
"""Startup to first answer of cairn on a data dir (issue 8: restore 100,000 resources < 500 ms).

    tools/restore_time.py BINARY DATA_DIR [--runs N] [--make-scheduled N]

Copies DATA_DIR once to a temporary directory (cairn takes its lock and may write its WAL
there), then starts `BINARY --port 0 --log-level warn --threads 2 --data-dir COPY` N times
(default 5) and times each from just before the spawn to its first 200 to STS
GetCallerIdentity (what bench/pages.py measures, through bench/harness.py's start_cairn).
Prints every run, the median, and the server's CPU time (user+sys) per run.

--make-scheduled N builds DATA_DIR instead (when it does not exist): N SSM associations with
a ScheduleExpression (so each has a NextRun the scheduler must take back on restore), created
through the API with CreateAssociationBatch under --clock virtual.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from harness import CHILDREN, start_cairn  # noqa: E402
import scale  # noqa: E402


def make_scheduled(binary, data_dir, count):
    proc, port, _, _ = start_cairn(binary, ["--log-level", "warn", "--data-dir", data_dir,
                                            "--clock", "virtual"], timeout=30)
    accounts = max(1, count // 1000)
    made = 0
    for account_idx in range(accounts):
        client = scale.AwsClient(port, "%012d" % (300000000000 + account_idx))
        in_account = min(1000, count - made)
        for start in range(0, in_account, 10):
            entries = []
            for seq in range(start, min(in_account, start + 10)):
                entries.append({"Name": "AWS-RunShellScript",
                                "Parameters": {"commands": ["echo %d" % seq]},
                                "Targets": [{"Key": "tag:Env", "Values": ["x%d" % seq]}],
                                "ScheduleExpression": "rate(30 minutes)",
                                "AssociationName": "a-%d-%d" % (account_idx, seq)})
            client.ok("AmazonSSM.CreateAssociationBatch", {"Entries": entries})
        made += in_account
        client.close()
    CHILDREN.stop(proc, grace=60)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("data_dir")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--make-scheduled", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="reuse DATA_DIR without a copy")
    parser.add_argument("--wrapper", default="",
                        help="command before the binary, e.g. 'perf record -g -o /tmp/p.data'")
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    if options.make_scheduled and not os.path.isdir(options.data_dir):
        started = time.perf_counter()
        make_scheduled(binary, options.data_dir, options.make_scheduled)
        print("made %s in %.1f s" % (options.data_dir, time.perf_counter() - started))
    work = tempfile.mkdtemp(prefix="restore-time-")
    try:
        data = options.data_dir
        if not options.keep:
            data = os.path.join(work, "data")
            shutil.copytree(options.data_dir, data)
        runs, cpus = [], []
        for _ in range(options.runs):
            proc, _, _, answer_ms = start_cairn(
                binary, ["--log-level", "warn", "--threads", "2", "--data-dir", data],
                os.path.join(work, "cairn.log"), timeout=600, wrapper=options.wrapper.split())
            cpus.append(cpu_seconds(proc.pid) if not options.wrapper else 0)
            CHILDREN.stop(proc, grace=60)
            runs.append(answer_ms)
            print("run: %.0f ms to first 200 (server CPU %.2f s)" % (answer_ms, cpus[-1]),
                  flush=True)
        print(json.dumps({"median_ms": round(statistics.median(runs), 1),
                          "runs_ms": [round(run, 1) for run in runs],
                          "median_cpu_s": round(statistics.median(cpus), 2)}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
