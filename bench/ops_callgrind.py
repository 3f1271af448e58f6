#!/usr/bin/env python3
"""Instructions per request of the `ops` section's operations, under callgrind (issue 8).

Counting instructions is repeatable on a busy machine where requests/s are not. cairn runs
under `valgrind --tool=callgrind --instr-atstart=no` with the ops section's world file and
state (bench/peers.py's set-up); per operation, WARM requests go first, then instrumentation
is switched on, the counters zeroed, N requests sent one after the other on one keep-alive
connection (the same bytes bench/aws_json.lua and bench/writes.lua send; every write a real,
successful change), and the counters dumped to callgrind.out.<pid>.<n> in --out. Prints
instructions per request (every thread: HTTP, gateway, provider, journal, scheduler).

  bench/ops_callgrind.py [--binary build/src/main/cairn] [--requests 2000] [--out DIR]
                         [--ops Name,...]
  callgrind_annotate --inclusive=yes DIR/callgrind.out.PID.N | head -60   # where it goes
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import CHILDREN, STS_AUTH, STS_BODY  # noqa: E402
import peers  # noqa: E402
import scale  # noqa: E402


def auth(account, service):
    return ("AWS4-HMAC-SHA256 Credential=%s/20240501/us-east-1/%s/aws4_request, "
            "SignedHeaders=host, Signature=00" % (account, service))


def http_request(path, headers, body):
    body = body.encode() if isinstance(body, str) else body
    head = "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n" % path
    head += "".join("%s: %s\r\n" % item for item in headers.items())
    head += "Content-Length: %d\r\n\r\n" % len(body)
    return head.encode() + body


def requests_of(op, run):
    """A generator of the request bytes op's wrk script would send (thread 0, run `run`)."""
    env = op.env
    counter = 0
    while True:
        if op.kind == "read":
            headers = {"Authorization": auth(env["BENCH_ACCOUNT"], env["BENCH_SERVICE"])}
            if "BENCH_PATH" in env:
                headers["Content-Type"] = "application/json"
                path = env["BENCH_PATH"]
            else:
                headers["Content-Type"] = "application/x-amz-json-1.1"
                headers["X-Amz-Target"] = env["BENCH_TARGET"]
                path = "/"
            yield http_request(path, headers, env["BENCH_BODY"])
        elif op.kind == "sts":
            yield http_request("/", {"Content-Type": "application/x-www-form-urlencoded",
                                     "Authorization": STS_AUTH.decode()}, STS_BODY)
        elif env["BENCH_WRITE"] == "create_association":
            caller = "4%02d%d%08d" % (run, 0, counter // 1000)
            body = ('{"Name":"AWS-RunShellScript","AssociationName":"bench-%d-%d-%d",'
                    '"Parameters":{"commands":["true"]},'
                    '"Targets":[{"Key":"tag:none","Values":["x"]}]}' % (run, 0, counter))
            yield http_request("/", {"Content-Type": "application/x-amz-json-1.1",
                                     "X-Amz-Target": "AmazonSSM.CreateAssociation",
                                     "Authorization": auth(caller, "ssm")}, body)
        elif env["BENCH_WRITE"] == "put_aggregator":
            body = ('{"ConfigurationAggregatorName":"bench-%d-%d","AccountAggregationSources":'
                    '[{"AccountIds":["5%02d%d%08d"],"AllAwsRegions":true}]}'
                    % (0, counter % 8, run, 0, counter))
            yield http_request("/", {"Content-Type": "application/x-amz-json-1.1",
                                     "X-Amz-Target":
                                     "StarlingDoveService.PutConfigurationAggregator",
                                     "Authorization": auth(env["BENCH_ACCOUNT"], "config")},
                               body)
        else:
            half = int(env["BENCH_MEMBERS"]) // 2
            policies = env["BENCH_POLICIES"].split(",")
            member = "3%011d" % (counter % half)
            policy = policies[(counter // half) % 2]
            body = ('{"ConfigurationPolicyIdentifier":"%s","Target":{"AccountId":"%s"}}'
                    % (policy, member))
            yield http_request("/configurationPolicyAssociation/associate",
                               {"Content-Type": "application/json",
                                "Authorization": auth(env["BENCH_ACCOUNT"], "securityhub")},
                               body)
        counter += 1


class Connection:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def send(self, request):
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.recv()
        head, rest = self.buffer.split(b"\r\n\r\n", 1)
        length = int(re.search(rb"(?im)^content-length:\s*(\d+)", head).group(1))
        while len(rest) < length:
            rest += self.recv()
        self.buffer = rest[length:]
        status = int(head.split(b" ", 2)[1])
        if status != 200:
            raise RuntimeError("answered %d: %s" % (status, rest[:length]))

    def recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise OSError("connection closed")
        return chunk


def control(pid, *args):
    """callgrind_control waits for valgrind to poll its command file, which a thread blocked
    in epoll does only when something happens: nudge it with requests until it answers."""
    proc = subprocess.Popen(["callgrind_control"] + list(args) + [str(pid)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc


def run_control(pid, port, *args):
    proc = control(pid, *args)
    nudge = Connection(port)
    deadline = time.time() + 120
    while proc.poll() is None:
        if time.time() > deadline:
            proc.kill()
            raise RuntimeError("callgrind_control %s did not answer" % " ".join(args))
        try:
            nudge.sock.sendall(b"GET /_cairn/health HTTP/1.1\r\nHost: x\r\n\r\n")
            nudge.sock.settimeout(0.2)
            nudge.sock.recv(65536)
        except (socket.timeout, OSError):
            pass
        time.sleep(0.05)
    nudge.sock.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default="build/src/main/cairn")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--out", default=None)
    parser.add_argument("--ops", default="")
    options = parser.parse_args()
    out = os.path.abspath(options.out or tempfile.mkdtemp(prefix="cairn-callgrind-"))
    os.makedirs(out, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="cairn-ops-callgrind-")
    world = os.path.join(workdir, "world.yaml")
    peers.world_file(world)
    wrapper = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
               "--callgrind-out-file=%s/callgrind.out.%%p" % out]
    proc, port, _, _ = scale.start_server(options.binary, scale.SERVER_FLAGS + ["--world", world],
                                          workdir, "cairn", timeout=120, wrapper=wrapper)
    try:
        association_id, policies = peers.set_up_cairn(port)
        ops = peers.operations(association_id, policies)
        ops.insert(0, peers.Op("STS GetCallerIdentity", "sts", None, {}, {}, ""))
        wanted = [name for name in options.ops.split(",") if name]
        rows = []
        for run, op in enumerate(ops):
            if wanted and not any(op.name.startswith(name) for name in wanted):
                continue
            requests = requests_of(op, run)
            conn = Connection(port)
            for _ in range(options.warm):
                conn.send(next(requests))
            batch = [next(requests) for _ in range(options.requests)]
            run_control(proc.pid, port, "-i", "on")
            run_control(proc.pid, port, "-z")
            for request in batch:
                conn.send(request)
            run_control(proc.pid, port, "-d", op.name.replace(" ", "_"))
            run_control(proc.pid, port, "-i", "off")
            conn.sock.close()
            dumps = sorted((os.path.getmtime(os.path.join(out, name)), name)
                           for name in os.listdir(out) if name.startswith("callgrind.out."))
            latest = os.path.join(out, dumps[-1][1])
            with open(latest) as dump:
                totals = re.search(r"(?m)^(?:summary|totals):\s*(\d+)", dump.read())
            ir = int(totals.group(1)) if totals else 0
            rows.append((op.name, ir / options.requests, latest))
            print("%-45s %10.0f Ir/request   %s" % (op.name, ir / options.requests, latest),
                  flush=True)
    finally:
        CHILDREN.stop(proc)
    print(json.dumps({name: round(per) for name, per, _ in rows}))


if __name__ == "__main__":
    main()
