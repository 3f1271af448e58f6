#!/usr/bin/env python3
"""cairn's benchmark: the foundation sections (startup, idle memory, throughput against a
static nginx) and the scale sections of scale.py (durable writes, 100,000 SSM associations,
an organization conformance pack over 1,000 accounts), chosen with --sections.

Run through bench/run.sh, which builds the binary when it is missing. Everything binds
127.0.0.1, every wait is bounded, and every process started here is killed on the way out
(normal end, exception, SIGINT, SIGTERM or SIGHUP). Prints one Markdown report and writes it
to bench/results/latest.md.
"""

import argparse
import collections
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import harness
import pages
import peers
import scale
import summary
from harness import (BENCH_DIR, CHILDREN, DISTURBED_CPUS, REPO_DIR, Elsewhere, display_path,
                     free_port, http_call, log, memory_kib, memory_text, on_signal, percentile,
                     pin_group, run_wrk, start_cairn, sts_request, us_text, wait_for_quiet)

# In the order they run; each is selectable with --sections.
SECTIONS = ["foundation", "ops", "durable", "associations", "pages", "orgpack", "shorg"]
SECTION_FUNCTIONS = dict(scale.SECTIONS, **peers.SECTIONS, **pages.SECTIONS,
                         shorg=summary.shorg_section)

STS_LUA = "bench/sts_get_caller_identity.lua"
SSM_LUA = "bench/ssm_list_associations_invalid.lua"
SSM_BODY = b'{"MaxResults":0}'
SSM_AUTH = (b"AWS4-HMAC-SHA256 Credential=123456789012/20240501/us-east-1/ssm/aws4_request, "
            b"SignedHeaders=host, Signature=00")

STARTUP_TARGET_MS = 10.0
RSS_TARGET_KIB = 10 * 1024
RPS_RATIO_TARGET = 0.5


def ssm_request(port):
    return (b"POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
            b"Content-Type: application/x-amz-json-1.1\r\n"
            b"X-Amz-Target: AmazonSSM.ListAssociations\r\n"
            b"Authorization: %s\r\nContent-Length: %d\r\n\r\n%s"
            % (port, SSM_AUTH, len(SSM_BODY), SSM_BODY))


def nginx_conf(directory, port):
    return """\
# Minimal static server for the comparison: every request gets 200 and a 2-byte body.
daemon off;
master_process on;
worker_processes 2;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        location / {{ return 200 "ok"; }}
    }}
}}
""".format(d=directory, port=port)


def nginx_binary():
    return shutil.which("nginx") or "/usr/sbin/nginx"


def start_nginx(nginx, directory, timeout=5.0):
    port = free_port()
    conf = os.path.join(directory, "nginx.conf")
    with open(conf, "w") as out:
        out.write(nginx_conf(directory, port))
    proc = CHILDREN.spawn([nginx, "-p", directory, "-e", os.path.join(directory, "error.log"),
                           "-c", conf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.perf_counter() + timeout
    while True:
        try:
            if http_call(port, sts_request(port))[0] == 200:
                return proc, port
        except OSError:
            pass
        if proc.poll() is not None or time.perf_counter() > deadline:
            with open(os.path.join(directory, "error.log"), errors="replace") as log:
                raise RuntimeError("nginx did not start:\n" + log.read())
        time.sleep(0.02)


# ---------------------------------------------------------------------------------------------
# wrk scenarios.

# One wrk measurement: `pin_cpu` set runs the server and wrk on that one CPU.
Scenario = collections.namedtuple("Scenario", "label server threads connections script pin_cpu",
                                  defaults=(None,))

def wrk_command(scenario, seconds):
    return "%swrk -t%d -c%d -d%ds --latency -s %s http://127.0.0.1:$PORT/" % (
        "taskset -c %d " % scenario.pin_cpu if scenario.pin_cpu is not None else "",
        scenario.threads, scenario.connections, seconds, scenario.script)


# ---------------------------------------------------------------------------------------------
# The benchmark.

def measure_startup(binary, runs):
    to_line, to_answer, to_exit = [], [], []
    window = Elsewhere()
    for _ in range(runs):
        proc, _port, line_ms, answer_ms = start_cairn(binary, ["--log-level", "warn"])
        to_line.append(line_ms)
        to_answer.append(answer_ms)
        stopping = time.perf_counter()
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
        to_exit.append((time.perf_counter() - stopping) * 1000)
        CHILDREN.stop(proc)
    # The floor under any startup figure: exec, dynamic linking and static initialisation of
    # the same binary, with no model loading and no socket, spawned the same way.
    floor = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([binary, "--version"], stdout=subprocess.DEVNULL, timeout=10, check=True,
                       start_new_session=True)
        floor.append((time.perf_counter() - started) * 1000)
    return {"line": to_line, "answer": to_answer, "exit": to_exit, "floor": floor,
            "elsewhere": window.cpus()}


def measure_idle_memory(binary):
    proc, port, _, _ = start_cairn(binary, ["--log-level", "warn"])
    after_start = memory_kib(proc.pid)
    for _ in range(10):
        assert http_call(port, sts_request(port))[0] == 200
        assert http_call(port, ssm_request(port))[0] == 400
    time.sleep(0.2)
    after_requests = memory_kib(proc.pid)
    CHILDREN.stop(proc)
    return after_start, after_requests


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", default=os.environ.get("CAIRN_BINARY",
                                                           "build/src/main/cairn"))
    parser.add_argument("--baseline", default=os.environ.get("CAIRN_BASELINE_BINARY"),
                        help="a second cairn binary measured in the same run, for A/B")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 10)),
                        help="duration of each wrk run")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 2)),
                        help="times each wrk scenario is run (interleaved)")
    parser.add_argument("--startup-runs", type=int,
                        default=int(os.environ.get("BENCH_STARTUP_RUNS", 20)))
    parser.add_argument("--quiet-wait", type=int,
                        default=int(os.environ.get("BENCH_QUIET_WAIT", 60)),
                        help="seconds to wait at most for a quiet machine before a measurement")
    parser.add_argument("--quiet-budget", type=int,
                        default=int(os.environ.get("BENCH_QUIET_BUDGET", 90)),
                        help="seconds the whole run may spend waiting for a quiet machine")
    parser.add_argument("--sections", default=os.environ.get("BENCH_SECTIONS",
                                                             ",".join(SECTIONS)),
                        help="comma-separated, from: " + ", ".join(SECTIONS))
    parser.add_argument("--page-seconds", type=int,
                        default=int(os.environ.get("BENCH_PAGE_SECONDS", 3)),
                        help="duration of each one-connection wrk run on a read (scale sections)")
    parser.add_argument("--ops-seconds", type=int,
                        default=int(os.environ.get("BENCH_OPS_SECONDS", 5)),
                        help="duration of each wrk run of the ops section (reads and writes "
                             "against cairn, nginx and moto_server)")
    parser.add_argument("--page-sizes", default=os.environ.get("BENCH_PAGE_SIZES",
                                                               "1000,100000,1000000"),
                        help="associations in the store for the pages section (smallest "
                             "first; ratios compare the largest with the smallest)")
    parser.add_argument("--shorg-accounts", type=int,
                        default=int(os.environ.get("BENCH_SHORG_ACCOUNTS", 5000)),
                        help="member accounts of the Security Hub organization (shorg)")
    parser.add_argument("--create-processes", type=int,
                        default=int(os.environ.get("BENCH_CREATE_PROCESSES", 4)),
                        help="Python processes creating the 100,000 associations")
    parser.add_argument("--profile", choices=("auto", "always", "never"),
                        default=os.environ.get("BENCH_PROFILE", "auto"),
                        help="strace/perf breakdown of a durable write (auto: when its target "
                             "is missed)")
    parser.add_argument("--output", default=os.path.join(BENCH_DIR, "results", "latest.md"))
    options = parser.parse_args()
    sections = [name.strip() for name in options.sections.split(",") if name.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        sys.exit("bench: unknown section(s) %s; choose from %s" % (", ".join(unknown),
                                                                    ", ".join(SECTIONS)))
    harness.QUIET_BUDGET["seconds"] = float(options.quiet_budget)
    options.page_sizes = sorted(int(size) for size in options.page_sizes.split(",") if size)
    options.results = {}   # figures each section leaves for the summary table

    def resolve(path):
        return path if os.path.isabs(path) else os.path.join(REPO_DIR, path)

    builds = [("cairn", resolve(options.binary))]
    if options.baseline:
        builds.append(("baseline", resolve(options.baseline)))
    for _, binary in builds:
        if not os.access(binary, os.X_OK):
            sys.exit("bench: %s is not an executable" % binary)
    wrk = shutil.which("wrk")
    nginx = nginx_binary()
    if not wrk or not os.path.exists(nginx):
        sys.exit("bench: wrk and nginx are required (scripts/setup.sh installs them)")

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)

    workdir = tempfile.mkdtemp(prefix="cairn-bench-")
    started = time.perf_counter()
    body = []
    try:
        for name in sections:
            log("section %s" % name)
            section_started = time.perf_counter()
            if name == "foundation":
                body += run(builds, wrk, nginx, workdir, options)
            else:
                body += SECTION_FUNCTIONS[name](builds[0][1], wrk, workdir, options)
            body[-1:] = ["", "_Section %s took %.0f s._" % (name, time.perf_counter() -
                                                            section_started), ""]
    finally:
        CHILDREN.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    report = "\n".join(
        ["# cairn benchmark", ""] + environment_lines(builds, wrk, nginx) +
        ["- sections: %s; the run took %.0f s" % (", ".join(sections),
                                                 time.perf_counter() - started), ""] +
        summary.summary_table(options) + body)
    print(report)
    os.makedirs(os.path.dirname(options.output), exist_ok=True)
    with open(options.output, "w") as out:
        out.write(report)
    log("written to %s" % display_path(options.output))


def run(builds, wrk, nginx, workdir, options):
    startup, memory = {}, {}
    for name, binary in builds:
        wait_for_quiet(options.quiet_wait)
        log("%s: startup, %d runs of %s" % (name, options.startup_runs, binary))
        startup[name] = measure_startup(binary, options.startup_runs)
        log("%s: idle memory" % name)
        memory[name] = measure_idle_memory(binary)

    log("starting servers")
    nginx_proc, nginx_port = start_nginx(nginx, workdir)
    # name -> (process, port, how it was started)
    servers = {"nginx": (nginx_proc, nginx_port, "nginx: `return 200 \"ok\"`, 2 workers")}
    configs = []  # (server name, binary, cairn flags, stderr file)
    for name, binary in builds:
        configs.append(("%s-t2" % name, binary, ["--log-level", "warn", "--threads", "2"], None))
        if name == "cairn":
            configs.append(("cairn-t1", binary, ["--log-level", "warn", "--threads", "1"], None))
            configs.append(("cairn-t2-info", binary, ["--log-level", "info", "--threads", "2"],
                            os.path.join(workdir, "cairn-info.log")))
    for server, binary, args, stderr_path in configs:
        proc, port, _, _ = start_cairn(binary, args, stderr_path)
        servers[server] = (proc, port, "`%s --port 0 %s%s`" % (
            display_path(binary), " ".join(args), " 2>file" if stderr_path else ""))

    sts, ssm = "STS GetCallerIdentity (200)", "SSM ListAssociations MaxResults=0 (400)"
    many = [server for server in servers if server.endswith(("-t2", "-t1"))]
    scenarios = [Scenario("nginx static 200, same STS request bytes", "nginx", 2, 16, STS_LUA)]
    scenarios += [Scenario(sts, server, 2, 16, STS_LUA) for server in many]
    scenarios += [Scenario(ssm, server, 2, 16, SSM_LUA) for server in many]
    scenarios.append(Scenario(sts + ", access log on", "cairn-t2-info", 2, 16, STS_LUA))
    # At one connection, latency is mostly the wake-up of the other side: cheap on the same
    # CPU, an inter-processor interrupt (tens of µs in a VM) across CPUs, where the scheduler
    # places them as it likes. The pinned rows take placement out of the comparison.
    one = ["nginx"] + [server for server in servers if server.endswith("-t2")]
    for pin_cpu in (None, 0):
        where = ", 1 connection" + (", server and wrk on CPU 0" if pin_cpu is not None else "")
        scenarios += [Scenario((sts if server != "nginx" else "nginx static 200") + where,
                               server, 1, 1, STS_LUA, pin_cpu) for server in one]
    log("warm-up")
    for server in servers:
        run_wrk(wrk, 2, 16, 1, STS_LUA, servers[server][1])

    results = {index: [] for index in range(len(scenarios))}
    for round_idx in range(options.rounds):
        for index, scenario in enumerate(scenarios):
            wait_for_quiet(options.quiet_wait)
            log("round %d/%d: %s on %s" % (round_idx + 1, options.rounds, scenario.label,
                                          scenario.server))
            proc, port, _ = servers[scenario.server]
            if scenario.pin_cpu is not None:
                pin_group(proc.pid, {scenario.pin_cpu})
            window = Elsewhere(proc.pid)
            try:
                outcome = run_wrk(wrk, scenario.threads, scenario.connections, options.seconds,
                                  scenario.script, port, scenario.pin_cpu)
            finally:
                if scenario.pin_cpu is not None:
                    pin_group(proc.pid, set(range(os.cpu_count())))
            outcome["cpu_us_per_request"] = \
                window.server_seconds() * 1e6 / max(1, outcome["requests"])
            outcome["elsewhere"] = window.cpus()
            results[index].append(outcome)
            if proc.poll() is not None:
                raise RuntimeError("%s exited during the run" % scenario.server)

    loaded_rss = {server: memory_kib(servers[server][0].pid) for server, _, _, _ in configs}
    options.results["foundation"] = foundation_figures(scenarios, results, startup, memory,
                                                       loaded_rss, servers)
    for proc, _, _ in servers.values():
        CHILDREN.stop(proc)
    return render(builds, options, scenarios, results, servers, startup, memory, loaded_rss,
                  wrk, nginx)


def foundation_figures(scenarios, results, startup, memory, loaded_rss, servers):
    """What the summary table takes from this section: medians over rounds."""
    def runs_of(server, connections, label_start, pinned=False):
        for index, scenario in enumerate(scenarios):
            if scenario.server == server and scenario.connections == connections and \
                    scenario.label.startswith(label_start) and \
                    (scenario.pin_cpu is not None) == pinned and "access log" not in \
                    scenario.label:
                return results[index]
        return []

    def median_of(runs, key):
        return statistics.median(run[key] for run in runs) if runs else None

    sts = "STS GetCallerIdentity"
    return {
        "startup_ms": statistics.median(startup["cairn"]["answer"]),
        "startup_floor_ms": statistics.median(startup["cairn"]["floor"]),
        "idle_rss": memory["cairn"][1], "loaded_rss": loaded_rss["cairn-t2"],
        "sts_rps": median_of(runs_of("cairn-t2", 16, sts), "rps"),
        "nginx_rps": median_of(results[0], "rps"),
        "sts_p99_1c": median_of(runs_of("cairn-t2", 1, sts), "p99"),
        "nginx_p99_1c": median_of(runs_of("nginx", 1, "nginx"), "p99"),
        "command": servers["cairn-t2"][2],
    }


def environment_lines(builds, wrk, nginx):
    def first_line(argv):
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            return (done.stdout + done.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.SubprocessError):
            return "?"

    cpu = "?"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    revision = first_line(["git", "-C", REPO_DIR, "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", REPO_DIR, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, timeout=10).stdout.strip()
    lines = [
        "- when: %s" % time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "- machine: %d CPUs (%s), Linux %s; server and wrk share the CPUs, nothing pinned"
        % (os.cpu_count(), cpu, platform.release()),
        "- tree: %s%s" % (revision, " with uncommitted changes" if dirty else ""),
    ]
    for name, binary in builds:
        lines.append("- %s: `%s` (%s)" % (name, display_path(binary),
                                          first_line([binary, "--version"])))
    lines.append("- %s; %s" % (first_line([wrk, "-v"]).split(" Copyright")[0],
                               first_line([nginx, "-v"])))
    return lines


def render(builds, options, scenarios, results, servers, startup, memory, loaded_rss, wrk,
           nginx):
    def verdict(ok):
        return "yes" if ok else "**NO**"

    def busy_text(cpus):
        return "%.2f%s" % (cpus, " (!)" if cpus > DISTURBED_CPUS else "")

    lines = ["## Startup and memory", "",
              "Startup is measured from just before the spawn, by this script (Python), so it "
              "includes ~1-2 ms of spawning that the `--version` floor row shows.", "",
              "| Build | Measure | Result | Target | Met | Command |",
              "|---|---|---|---|---|---|"]
    for name, binary in builds:
        figures = startup[name]
        runs = len(figures["answer"])
        median_answer = statistics.median(figures["answer"])
        command = "`%s --port 0 --log-level warn`" % display_path(binary)
        lines.append(
            "| %s | startup to first 200 (median / p90 of %d; %s CPUs busy elsewhere) "
            "| %.2f / %.2f ms | < %.0f ms | %s | %s: spawn, read the `cairn listening on` line, "
            "POST STS GetCallerIdentity on a new connection until a 200 |"
            % (name, runs, busy_text(figures["elsewhere"]), median_answer,
               percentile(figures["answer"], 0.9), STARTUP_TARGET_MS,
               verdict(median_answer < STARTUP_TARGET_MS), command))
        lines.append("| %s | startup to `listening` line (median / p90) | %.2f / %.2f ms | | | "
                     "same runs |" % (name, statistics.median(figures["line"]),
                                      percentile(figures["line"], 0.9)))
        lines.append("| %s | floor: spawn to exit of `--version` (median / p90) | %.2f / %.2f ms "
                     "| | | `%s --version` (exec, dynamic linking, static init) |"
                     % (name, statistics.median(figures["floor"]),
                        percentile(figures["floor"], 0.9), display_path(binary)))
        lines.append("| %s | graceful stop: SIGTERM to exit, idle (median / p90) | %.2f / %.2f "
                     "ms | | | `kill -TERM` after the first 200 |"
                     % (name, statistics.median(figures["exit"]),
                        percentile(figures["exit"], 0.9)))
        after_start, after_requests = memory[name]
        lines.append("| %s | idle VmRSS / VmHWM after startup | %s | < 10 MiB | %s | "
                     "%s, `/proc/PID/status` and `smaps_rollup` |"
                     % (name, memory_text(after_start),
                        verdict(after_start["VmRSS"] < RSS_TARGET_KIB), command))
        lines.append("| %s | idle VmRSS / VmHWM after 10 STS + 10 SSM requests | %s | "
                     "< 10 MiB | %s | same process, 0.2 s after the last answer |"
                     % (name, memory_text(after_requests),
                        verdict(after_requests["VmRSS"] < RSS_TARGET_KIB)))
    for server, figures in loaded_rss.items():
        lines.append("| %s | VmRSS / VmHWM after all its wrk runs | %s | | | %s |"
                     % (server, memory_text(figures), servers[server][2]))

    nginx_best = max(outcome["rps"] for outcome in results[0])
    lines += ["", "## Throughput (wrk, %d s per run, %d interleaved rounds)"
              % (options.seconds, options.rounds), "",
              "Figures separated by / are those of each run; `cpu/req` is that of the best run "
              "and is the server's "
              "user+system CPU time (every process of its group) over the requests it "
              "served. `elsewhere` is the CPU used by anything but the server and wrk during "
              "each run; (!) marks runs above %.2f CPUs, whose figures are not to be trusted."
              % DISTURBED_CPUS, "",
              "| Scenario | Server | req/s | best req/s | vs nginx | p50 | p99 | "
              "cpu/req | elsewhere (CPUs) | non-2xx / socket errors | Command |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for index, scenario in enumerate(scenarios):
        runs = results[index]
        best = max(runs, key=lambda outcome: outcome["rps"])
        ratio = best["rps"] / nginx_best
        if scenario.connections != 16:
            ratio_text = "—"
        elif scenario.server == "nginx":
            ratio_text = "100%"
        else:
            ratio_text = "%.0f%% (%s)" % (100 * ratio,
                                         "met" if ratio >= RPS_RATIO_TARGET else "**missed**")
        def per_run(key, render_one):
            return " / ".join(render_one(outcome[key]) for outcome in runs)

        lines.append("| %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %d / %d | `%s` against "
                     "%s |" % (
                         scenario.label, scenario.server, per_run("rps", "{:.0f}".format),
                         best["rps"], ratio_text, per_run("p50", us_text),
                         per_run("p99", us_text), us_text(best["cpu_us_per_request"]),
                         per_run("elsewhere", busy_text),
                         sum(outcome["non2xx"] for outcome in runs),
                         sum(outcome["socket_errors"] for outcome in runs),
                         wrk_command(scenario, options.seconds), servers[scenario.server][2]))
    lines += ["", "Targets: startup < %.0f ms, idle RSS < 10 MiB, cairn >= %.0f%% of nginx "
              "req/s at 16 connections. SSM rows answer 400 by design (validation), so their "
              "non-2xx count equals their request count." % (STARTUP_TARGET_MS,
                                                              100 * RPS_RATIO_TARGET), ""]
    return lines


if __name__ == "__main__":
    main()
