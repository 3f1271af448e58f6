"""The machinery every section of cairn's benchmark shares.

Processes (each child in its own process group, all killed on the way out), raw HTTP on
127.0.0.1, wrk runs and their parsing, /proc readings (RSS, CPU time of a process group), and
the interference accounting: how much CPU anything else used while a figure was measured.
Nothing here measures by itself; bench.py and scale.py do.
"""

import math
import os
import re
import resource
import select
import signal
import socket
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)

# The request start_cairn waits on: STS GetCallerIdentity, the cheapest 200 cairn gives.
STS_BODY = b"Action=GetCallerIdentity&Version=2011-06-15"
STS_AUTH = (b"AWS4-HMAC-SHA256 Credential=123456789012/20240501/us-east-1/sts/aws4_request, "
            b"SignedHeaders=host, Signature=00")


def sts_request(port):
    return (b"POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Authorization: %s\r\nContent-Length: %d\r\n\r\n%s"
            % (port, STS_AUTH, len(STS_BODY), STS_BODY))


# ---------------------------------------------------------------------------------------------
# Processes: every child gets its own process group so that nginx's workers die with it.

class Children:
    def __init__(self):
        self.procs = []

    def spawn(self, argv, **kwargs):
        proc = subprocess.Popen(argv, start_new_session=True, **kwargs)
        self.procs.append(proc)
        return proc

    def stop(self, proc, sig=signal.SIGTERM, grace=5.0):
        """Signals the child's group, waits at most `grace` seconds, then SIGKILLs it."""
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # leftovers of the group (nginx workers)
        except (ProcessLookupError, PermissionError):
            pass
        if proc.poll() is None:
            proc.wait(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self):
        for proc in list(self.procs):
            self.stop(proc, grace=2.0)


CHILDREN = Children()


def on_signal(signum, _frame):
    raise SystemExit(128 + signum)


# ---------------------------------------------------------------------------------------------
# Small helpers.

def read_line(fd, deadline):
    """Reads one line from a pipe fd, giving up at `deadline` (perf_counter seconds)."""
    data = b""
    while b"\n" not in data:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise RuntimeError("timed out waiting for a line; got %r" % data)
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError("pipe closed before a full line; got %r" % data)
            data += chunk
    return data.split(b"\n", 1)[0].decode()


def http_call(port, request, timeout=2.0):
    """One request on a fresh connection; returns (status, body). Raises OSError if refused."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                raise OSError("connection closed before the response headers")
            data += chunk
        head, body = data.split(b"\r\n\r\n", 1)
        status = int(head.split(b" ", 2)[1])
        match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        length = int(match.group(1)) if match else 0
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return status, body


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def proc_status_kib(pid, field):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError("no %s in /proc/%d/status" % (field, pid))


def group_cpu_seconds(pgid):
    """utime+stime of every live process in a process group (cairn, or nginx's master+workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields[0] is state; pgrp is the 5th stat field
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def percentile(samples, fraction):
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def kib_text(kib):
    return "%.1f MiB (%d KiB)" % (kib / 1024, kib)


def us_text(micros):
    return "%.0f µs" % micros if micros < 1000 else "%.2f ms" % (micros / 1000)


# ---------------------------------------------------------------------------------------------
# Servers.

def start_cairn(binary, args, stderr_path=None, timeout=5.0, wrapper=()):
    """Spawns cairn on port 0 and waits for its first 200 to STS GetCallerIdentity.
    `wrapper` goes before the binary on the command line (valgrind, for instance).

    Returns (proc, port, ms_to_listening_line, ms_to_first_200), both measured from just
    before the spawn.
    """
    stderr = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
    started = time.perf_counter()
    deadline = started + timeout
    proc = CHILDREN.spawn(list(wrapper) + [binary, "--port", "0"] + args, stdout=subprocess.PIPE,
                          stderr=stderr)
    if stderr_path:
        stderr.close()
    line = read_line(proc.stdout.fileno(), deadline)
    listening = time.perf_counter()
    match = re.fullmatch(r"cairn listening on http://127\.0\.0\.1:(\d+)", line)
    if not match:
        raise RuntimeError("unexpected first line from cairn: %r" % line)
    port = int(match.group(1))
    request = sts_request(port)
    while True:
        try:
            remaining = max(0.05, deadline - time.perf_counter())
            if http_call(port, request, timeout=remaining)[0] == 200:
                break
        except OSError:
            pass
        if time.perf_counter() > deadline:
            raise RuntimeError("cairn did not answer 200 within %.0f s" % timeout)
    answered = time.perf_counter()
    return proc, port, (listening - started) * 1000, (answered - started) * 1000


# ---------------------------------------------------------------------------------------------
# Interference. The machine is shared (builds, other benchmarks): before each measurement the
# bench waits, boundedly, for the CPUs to be quiet, and it reports how much CPU was used by
# anything else than the server under test and its client while it measured.

QUIET_CPUS = 0.15       # below this much CPU busy elsewhere, the machine counts as quiet
DISTURBED_CPUS = 0.25   # a measurement with more than this busy elsewhere is flagged


def busy_cpu_seconds():
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, steal = \
            (int(field) for field in stat.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    """CPU of this script and of its children reaped so far (wrk, short-lived cairns)."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(part.ru_utime + part.ru_stime for part in usage)


class Elsewhere:
    """Measures the CPUs' busy time not accounted to us or to `pgid` between start and end."""

    def __init__(self, pgid=None):
        self.pgid = pgid
        self.started = time.perf_counter()
        self.busy = busy_cpu_seconds()
        self.own = own_cpu_seconds()
        self.server = group_cpu_seconds(pgid) if pgid else 0.0

    def server_seconds(self):
        return group_cpu_seconds(self.pgid) - self.server if self.pgid else 0.0

    def cpus(self):
        elapsed = time.perf_counter() - self.started
        other = (busy_cpu_seconds() - self.busy) - (own_cpu_seconds() - self.own) \
            - self.server_seconds()
        return max(0.0, other / elapsed)


# What the whole run may spend waiting for quiet, across every measurement (--quiet-budget):
# on a machine that stays busy, the suite measures anyway, flags the figures, and still ends
# in bounded time.
QUIET_BUDGET = {"seconds": 90.0}


def wait_for_quiet(max_wait):
    started = time.perf_counter()
    deadline = started + min(max_wait, QUIET_BUDGET["seconds"])
    try:
        while True:
            window = Elsewhere()
            time.sleep(0.5)
            load = window.cpus()
            if load < QUIET_CPUS:
                return
            if time.perf_counter() > deadline:
                log("still %.2f CPUs busy elsewhere; measuring anyway (%.0f s of waiting left "
                    "in the run's budget)" % (load, max(0.0, QUIET_BUDGET["seconds"] -
                                                        (time.perf_counter() - started))))
                return
            log("waiting for the machine to be quiet (%.2f CPUs busy elsewhere)" % load)
            time.sleep(2)
    finally:
        QUIET_BUDGET["seconds"] = max(0.0, QUIET_BUDGET["seconds"] -
                                      (time.perf_counter() - started))


# ---------------------------------------------------------------------------------------------
# wrk.

UNIT_US = {"us": 1.0, "ms": 1000.0, "s": 1_000_000.0}


def parse_wrk(output):
    def latency(label):
        match = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % label, output, re.M)
        return float(match.group(1)) * UNIT_US[match.group(2)]

    rps = float(re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M).group(1))
    total = int(re.search(r"^\s*(\d+) requests in", output, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    return {
        "rps": rps, "requests": total, "p50": latency("50"), "p99": latency("99"),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(count) for count in errors.groups()) if errors else 0,
    }


def run_wrk(wrk, threads, connections, seconds, script, port, pin_cpu=None, env=None):
    """One wrk run; `env` adds variables the Lua script reads (os.getenv)."""
    argv = [wrk, "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--latency",
            "-s", os.path.join(REPO_DIR, script), "http://127.0.0.1:%d/" % port]
    pin = (lambda: os.sched_setaffinity(0, {pin_cpu})) if pin_cpu is not None else None
    result = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30,
                            check=True, cwd=REPO_DIR, preexec_fn=pin,
                            env=dict(os.environ, **env) if env else None)
    return parse_wrk(result.stdout)


def pin_group(pgid, cpus):
    """Sets the CPU affinity of every thread of every process in a process group."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as stat:
                if int(stat.read().rsplit(")", 1)[1].split()[2]) != pgid:
                    continue
            for thread in os.listdir("/proc/%s/task" % entry):
                os.sched_setaffinity(int(thread), cpus)
        except OSError:
            continue  # exited meanwhile


# ---------------------------------------------------------------------------------------------
# Memory and output.

def memory_kib(pid):
    """VmRSS and VmHWM count every resident page of the shared libraries too; Pss shares those
    among the processes that map them, and Anonymous is the process's own memory (heap)."""
    figures = {"VmRSS": proc_status_kib(pid, "VmRSS"), "VmHWM": proc_status_kib(pid, "VmHWM")}
    with open("/proc/%d/smaps_rollup" % pid) as rollup:
        for line in rollup:
            field = line.split(":")[0]
            if field in ("Pss", "Anonymous"):
                figures[field] = int(line.split()[1])
    return figures


def memory_text(figures):
    return "%s / %s (Pss %.1f MiB, Anonymous %.1f MiB)" % (
        kib_text(figures["VmRSS"]), kib_text(figures["VmHWM"]), figures["Pss"] / 1024,
        figures["Anonymous"] / 1024)


def display_path(path):
    return os.path.relpath(path, REPO_DIR) if path.startswith(REPO_DIR + os.sep) else path


def log(message):
    print("bench: " + message, file=sys.stderr, flush=True)

