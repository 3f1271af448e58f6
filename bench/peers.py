"""cairn's cheap reads and writes side by side with nginx and moto_server (section `ops`).

Three servers run at once: cairn (`--threads 2 --log-level warn`, a world file of a small
organization), a static nginx (`return 200`, bench.py's) and moto_server (`python3 -m
moto.server`, the emulator cairn is measured against; used only as a benchmark peer). Each
operation is one wrk Lua script with its environment (the same bytes go to all three):

  reads   DescribeAssociation, GetConfigurationPolicyAssociation,
          DescribeOrganizationConformancePackStatuses by name (bench/aws_json.lua)
  writes  CreateAssociation, PutConfigurationAggregator, StartConfigurationPolicyAssociation
          (bench/writes.lua; every request a real, successful change: see the script)

Per round (--rounds, interleaved) and operation: cairn at 16 connections, cairn at 1
connection (its p99), nginx at 16 connections, and moto_server at 16 connections when moto
implements the operation (checked on every run by sending the request first: moto answers
500 NotImplementedError or 404 for what it lacks). The report gives medians over rounds.
Targets (issue 8): cairn >= 50% of nginx's req/s, >= 100x moto_server's, p99 at one
connection < 0.3 ms.
"""

import collections
import json
import os
import statistics
import subprocess
import sys
import time

from harness import (CHILDREN, Elsewhere, free_port, http_call, log, run_wrk, us_text,
                     wait_for_quiet)
import scale
from scale import AwsClient, admin, busy_text, start_server

AWS_JSON_LUA = "bench/aws_json.lua"
WRITES_LUA = "bench/writes.lua"

MANAGEMENT = "111111111111"
ADMIN = "222222222222"        # Security Hub delegated administrator
CALLER = "123456789012"       # SSM and aggregator caller
MEMBERS = 64                  # member accounts the policy-association writes cycle through
READ_MEMBER = "3%011d" % MEMBERS   # one more member, whose association the read gets
PACK = "bench-pack"
LINKED_REGION = "us-west-2"
POLICY = {"SecurityHub": {"ServiceEnabled": True, "EnabledStandardIdentifiers": [],
                          "SecurityControlsConfiguration": {
                              "DisabledSecurityControlIdentifiers": []}}}

NGINX_RATIO_TARGET = 0.5
MOTO_RATIO_TARGET = 100.0
P99_TARGET_US = 300.0

Op = collections.namedtuple("Op", "name kind script env moto_env what")


def world_file(path):
    members = ", ".join('{id: "%s", name: m%s, email: m%s@example.com}' % (a, a, a)
                        for a in ("3%011d" % index for index in range(MEMBERS + 1)))
    with open(path, "w") as out:
        out.write("""\
# Written by bench/peers.py: the organization the cheap reads and writes run in.
organization:
  feature_set: ALL
  management_account: {id: "%s", name: management, email: management@example.com}
  trusted_access: [securityhub.amazonaws.com, config.amazonaws.com,
                   config-multiaccountsetup.amazonaws.com]
  delegated_administrators:
    - {account: "%s", service_principal: securityhub.amazonaws.com}
  accounts:
    - {id: "%s", name: audit, email: audit@example.com}
  organizational_units:
    - {name: Members, accounts: [%s]}
""" % (MANAGEMENT, ADMIN, ADMIN, members))


def rest(port, account, path, body, ok=(200,)):
    """One restJson1 call (Security Hub) on a fresh connection."""
    client = AwsClient(port, account, service="securityhub")
    try:
        client.conn.request("POST", path, json.dumps(body),
                            {"Content-Type": "application/json",
                             "Authorization": client.headers["Authorization"]})
        response = client.conn.getresponse()
        data = response.read()
        answer = json.loads(data) if data else {}
        if response.status not in ok:
            raise RuntimeError("POST %s answered %d: %s" % (path, response.status, answer))
        return answer
    finally:
        client.close()


def set_up_cairn(port):
    """The state every read needs, through the real APIs; returns the ids the scripts use."""
    ssm = AwsClient(port, CALLER)
    association = ssm.ok("AmazonSSM.CreateAssociation", dict(scale.ENTRY, AssociationName="read"))
    ssm.close()
    association_id = association["AssociationDescription"]["AssociationId"]

    config = AwsClient(port, MANAGEMENT, service="config")
    config.ok("StarlingDoveService.PutOrganizationConformancePack",
              {"OrganizationConformancePackName": PACK, "TemplateBody": scale.PACK_TEMPLATE})

    rest(port, MANAGEMENT, "/accounts", {})
    rest(port, MANAGEMENT, "/organization/admin/enable", {"AdminAccountId": ADMIN})
    rest(port, ADMIN, "/accounts", {}, ok=(200, 409))
    rest(port, ADMIN, "/findingAggregator/create",
         {"RegionLinkingMode": "SPECIFIED_REGIONS", "Regions": [LINKED_REGION]})
    rest(port, ADMIN, "/organization/configuration", {
        "AutoEnable": False, "AutoEnableStandards": "NONE",
        "OrganizationConfiguration": {"ConfigurationType": "CENTRAL"}})
    admin(port, "/_cairn/clock/advance", {"seconds": 3})
    policies = [rest(port, ADMIN, "/configurationPolicy/create",
                     {"Name": "bench-%s" % name, "ConfigurationPolicy": POLICY})["Id"]
                for name in ("a", "b")]
    rest(port, ADMIN, "/configurationPolicyAssociation/associate",
         {"ConfigurationPolicyIdentifier": policies[0], "Target": {"AccountId": READ_MEMBER}})
    # Until the pack is deployed and the policy applied (at most a minute of cairn's clock).
    for _ in range(60):
        admin(port, "/_cairn/clock/advance", {"seconds": 1})
        status = config.ok("StarlingDoveService.DescribeOrganizationConformancePackStatuses",
                           {"OrganizationConformancePackNames": [PACK]})
        pack = status["OrganizationConformancePackStatuses"][0]["Status"]
        got = rest(port, ADMIN, "/configurationPolicyAssociation/get",
                   {"Target": {"AccountId": READ_MEMBER}})
        if pack == "CREATE_SUCCESSFUL" and got.get("AssociationStatus") == "SUCCESS":
            break
    else:
        raise RuntimeError("ops: after 60 clock seconds, pack %s, policy association %s"
                           % (pack, got))
    config.close()
    return association_id, policies


def operations(association_id, policies):
    def read(name, target, body, account, service, path=None, what=""):
        env = {"BENCH_BODY": json.dumps(body, separators=(",", ":")), "BENCH_ACCOUNT": account,
               "BENCH_SERVICE": service}
        env.update({"BENCH_PATH": path} if path else {"BENCH_TARGET": target})
        return Op(name, "read", AWS_JSON_LUA, env, env, what)

    def write(name, kind, account, what, extra=None):
        env = dict({"BENCH_WRITE": kind, "BENCH_ACCOUNT": account}, **(extra or {}))
        return Op(name, "write", WRITES_LUA, env, env, what)

    return [
        read("DescribeAssociation", "AmazonSSM.DescribeAssociation",
             {"AssociationId": association_id}, CALLER, "ssm",
             what="one association by id"),
        read("GetConfigurationPolicyAssociation", None, {"Target": {"AccountId": READ_MEMBER}},
             ADMIN, "securityhub", path="/configurationPolicyAssociation/get",
             what="a member account's applied policy, as the delegated administrator"),
        read("DescribeOrganizationConformancePackStatuses",
             "StarlingDoveService.DescribeOrganizationConformancePackStatuses",
             {"OrganizationConformancePackNames": [PACK]}, MANAGEMENT, "config",
             what="one pack by name (deployed to %d accounts)" % (MEMBERS + 3)),
        write("CreateAssociation", "create_association", CALLER,
              "a new association per request"),
        write("PutConfigurationAggregator", "put_aggregator", CALLER,
              "replaces an aggregator's account source with a new account id"),
        write("StartConfigurationPolicyAssociation", "start_policy_association", ADMIN,
              "applies the other of two policies to a member account",
              {"BENCH_MEMBERS": str(MEMBERS), "BENCH_POLICIES": ",".join(policies)}),
    ]


# ---------------------------------------------------------------------------------------------
# moto_server.

def start_moto(workdir, timeout=60.0):
    """moto_server on a free port; None when moto is not installed."""
    probe = subprocess.run([sys.executable, "-c", "import moto.server"], capture_output=True,
                           timeout=60)
    if probe.returncode != 0:
        return None
    port = free_port()
    log_path = os.path.join(workdir, "moto.log")
    with open(log_path, "wb") as out:
        proc = CHILDREN.spawn([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                               str(port)], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.perf_counter() + timeout
    while True:
        try:
            if http_call(port, b"GET /moto-api/ HTTP/1.1\r\nHost: x\r\n\r\n", timeout=5)[0] \
                    < 500:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.perf_counter() > deadline:
            raise RuntimeError("moto_server did not start; see its log")
        time.sleep(0.2)
    version = subprocess.run([sys.executable, "-c", "import moto; print(moto.__version__)"],
                             capture_output=True, text=True, timeout=60).stdout.strip()
    return proc, port, version, log_path


def set_up_moto(port):
    """What the reads need in moto, through boto3: an organization and an organization
    conformance pack (moto insists on a TemplateS3Uri, which it never reads)."""
    import boto3  # only the moto peer needs it
    import botocore.config
    session = boto3.session.Session(aws_access_key_id=MANAGEMENT, aws_secret_access_key="x",
                                    region_name="us-east-1")
    config = botocore.config.Config(retries={"max_attempts": 1})
    endpoint = "http://127.0.0.1:%d" % port
    session.client("organizations", endpoint_url=endpoint,
                   config=config).create_organization(FeatureSet="ALL")
    session.client("config", endpoint_url=endpoint, config=config) \
        .put_organization_conformance_pack(OrganizationConformancePackName=PACK,
                                           TemplateS3Uri="s3://bench/template.yaml")


def first_request(op):
    """The request op's script sends first, built in Python, for probing moto."""
    env = op.env
    auth = ("AWS4-HMAC-SHA256 Credential=%s/20240501/us-east-1/%s/aws4_request, "
            "SignedHeaders=host, Signature=00")
    if op.kind == "read":
        path, target, body = env.get("BENCH_PATH", "/"), env.get("BENCH_TARGET"), \
            env["BENCH_BODY"]
        account, service = env["BENCH_ACCOUNT"], env["BENCH_SERVICE"]
    elif env["BENCH_WRITE"] == "create_association":
        path, target, service, account = "/", "AmazonSSM.CreateAssociation", "ssm", \
            "499900000000"
        body = json.dumps(dict(scale.ENTRY, AssociationName="probe"))
    elif env["BENCH_WRITE"] == "put_aggregator":
        path, target, service, account = "/", "StarlingDoveService.PutConfigurationAggregator", \
            "config", env["BENCH_ACCOUNT"]
        body = json.dumps({"ConfigurationAggregatorName": "probe", "AccountAggregationSources":
                           [{"AccountIds": ["599900000000"], "AllAwsRegions": True}]})
    else:
        path, target, service, account = "/configurationPolicyAssociation/associate", None, \
            "securityhub", env["BENCH_ACCOUNT"]
        body = json.dumps({"ConfigurationPolicyIdentifier": "probe",
                           "Target": {"AccountId": "300000000000"}})
    headers = "Authorization: %s\r\n" % (auth % (account, service))
    if target:
        headers += "Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: %s\r\n" % target
    else:
        headers += "Content-Type: application/json\r\n"
    return ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %d\r\n\r\n%s"
            % (path, headers, len(body), body)).encode()


def moto_implements(port, op, log_path):
    """(implemented, what moto answered): moto answers an operation it lacks with 500 (a
    NotImplementedError in its log) or 404 (no route)."""
    status, _ = http_call(port, first_request(op), timeout=30)
    if status == 404:
        return False, "moto answers 404: no route"
    if status in (500, 501):
        with open(log_path, errors="replace") as log_file:
            lacking = "has not been implemented" in log_file.read()[-4000:]
        return False, "moto answers %d%s" % (status, ": NotImplementedError" if lacking else "")
    return True, str(status)


# ---------------------------------------------------------------------------------------------
# The section.

def median(values):
    return statistics.median(values) if values else None


def ops_section(binary, wrk, workdir, options):
    import bench  # nginx's configuration and start-up are bench.py's
    seconds = options.ops_seconds
    world = os.path.join(workdir, "ops-world.yaml")
    world_file(world)
    proc, port, cairn_command, _ = start_server(
        binary, scale.SERVER_FLAGS + ["--world", world], workdir, "ops")
    association_id, policies = set_up_cairn(port)
    ops = operations(association_id, policies)

    nginx_dir = os.path.join(workdir, "ops-nginx")
    os.makedirs(nginx_dir, exist_ok=True)
    nginx_proc, nginx_port = bench.start_nginx(bench.nginx_binary(), nginx_dir)
    moto = start_moto(workdir)
    moto_note = "moto_server is not installed (python3 -m moto.server)"
    if moto:
        moto_proc, moto_port, moto_version, moto_log = moto
        set_up_moto(moto_port)
        moto_note = "moto %s: `python3 -m moto.server -H 127.0.0.1 -p $PORT`" % moto_version
    servers = {"cairn": (proc, port), "nginx": (nginx_proc, nginx_port)}
    if moto:
        servers["moto"] = (moto_proc, moto_port)

    # Which operations moto implements, and its state checked: the reads answer 200.
    moto_answers = {}
    for op in ops:
        if moto:
            moto_answers[op.name] = moto_implements(moto_port, op, moto_log)
        else:
            moto_answers[op.name] = (False, "not installed")

    log("ops: warm-up")
    run_counter = [0]

    def env_of(op):
        env = dict(op.env)
        if op.kind == "write":
            env["BENCH_RUN"] = str(run_counter[0])
            run_counter[0] += 1
        return env

    for op in ops:
        run_wrk(wrk, 2, 16, 1, op.script, port, env=env_of(op))
    results = collections.defaultdict(list)   # (op name, server, connections) -> outcomes
    for round_idx in range(options.rounds):
        for op in ops:
            # nginx at one connection too: on this VM the wake-ups of an idle vCPU set a floor
            # under any server's one-connection latency, which the p99 target is read against.
            plan = [("cairn", 16), ("cairn", 1), ("nginx", 16), ("nginx", 1)]
            if moto_answers[op.name][0]:
                plan.append(("moto", 16))
            for server, connections in plan:
                wait_for_quiet(options.quiet_wait)
                log("ops: round %d/%d: %s on %s, %d connection(s)" % (
                    round_idx + 1, options.rounds, op.name, server, connections))
                server_proc, server_port = servers[server]
                window = Elsewhere(server_proc.pid)
                outcome = run_wrk(wrk, 2 if connections > 1 else 1, connections, seconds,
                                  op.script, server_port, env=env_of(op))
                outcome["cpu_us_per_request"] = \
                    window.server_seconds() * 1e6 / max(1, outcome["requests"])
                outcome["elsewhere"] = window.cpus()
                results[(op.name, server, connections)].append(outcome)
                if server_proc.poll() is not None:
                    raise RuntimeError("%s exited during the ops runs" % server)

    # The writes did what they say: in cairn, every CreateAssociation made an association.
    created = sum(outcome["requests"] - outcome["non2xx"]
                  for key, runs in results.items() if key[0] == "CreateAssociation"
                  and key[1] == "cairn" for outcome in runs)
    cairn_rss = scale.memory_kib(proc.pid)["VmRSS"]
    for server_proc, _ in servers.values():
        CHILDREN.stop(server_proc)
    options.results["ops"] = {
        "ops": [(op, op_figures(op, results, moto_answers), wrk_line(op, 16, seconds))
                for op in ops],
        "command": cairn_command, "moto": moto_note}
    return render(ops, results, moto_answers, options, cairn_command, moto_note, seconds,
                  created, cairn_rss)


def wrk_line(op, connections, seconds):
    shown = dict(op.env)
    if op.kind == "write":
        shown["BENCH_RUN"] = "<n>"
    return scale.wrk_text(2 if connections > 1 else 1, connections, seconds, op.script, shown)


def render(ops, results, moto_answers, options, cairn_command, moto_note, seconds, created,
           cairn_rss):
    lines = ["## Cheap reads and writes: cairn, nginx, moto_server (issue 8)", "",
             "cairn: %s, with a world file of %d member accounts (one OU), an association, an "
             "organization conformance pack, central configuration with two policies, set up "
             "through the APIs. nginx: `return 200 \"ok\"`, 2 workers, same request bytes. %s, "
             "an organization and the pack set up through boto3. wrk runs of %d s, %d "
             "interleaved rounds; figures are medians over rounds (each run's value in "
             "parentheses). cairn made %s associations in the CreateAssociation runs and ended "
             "at %.0f MiB RSS." % (cairn_command, MEMBERS + 1, moto_note, seconds,
                                     options.rounds, scale.count(created), cairn_rss / 1024),
             "",
             "| Operation | cairn req/s, 16 conn | nginx req/s | moto req/s | cairn/nginx | "
             "cairn/moto | cairn p50 / p99, 1 conn | nginx p50 / p99, 1 conn | cairn cpu/req | "
             "non-2xx (cairn) | elsewhere (CPUs) | Command |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for op in ops:
        figures = op_figures(op, results, moto_answers)
        runs16 = results[(op.name, "cairn", 16)]
        runs1 = results[(op.name, "cairn", 1)]
        nginx = results[(op.name, "nginx", 16)]
        moto = results.get((op.name, "moto", 16), [])

        def each(runs, key="rps", fmt="{:,.0f}"):
            return " (%s)" % " / ".join(fmt.format(run[key]) for run in runs) if runs else ""

        errors = sum(run["non2xx"] + run["socket_errors"] for run in runs16 + runs1)
        elsewhere = " / ".join(busy_text(run["elsewhere"]) for run in runs16 + runs1)
        lines.append("| %s (%s: %s) | %s%s | %s%s | %s%s | %s | %s | %s / %s | %s / %s | %s | %s | "
                     "%s | `%s`; 1 conn: `-t1 -c1`; cairn %s |" % (
                         op.name, op.kind, op.what,
                         "{:,.0f}".format(figures["cairn_rps"]), each(runs16),
                         "{:,.0f}".format(figures["nginx_rps"]), each(nginx),
                         "{:,.0f}".format(figures["moto_rps"]) if moto else
                         "not implemented (%s)" % moto_answers[op.name][1], each(moto),
                         figures["nginx_text"], figures["moto_text"],
                         us_text(figures["p50"]), us_text(figures["p99"]),
                         us_text(figures["nginx_p50"]), us_text(figures["nginx_p99"]),
                         us_text(median([run["cpu_us_per_request"] for run in runs16])),
                         "%d" % errors if not errors else "**%d**" % errors, elsewhere,
                         wrk_line(op, 16, seconds), cairn_command))
    lines += ["", "Targets: cairn >= %.0f%% of nginx's req/s and >= %.0fx moto_server's on the "
              "same operation at 16 connections; p99 at 1 connection < %s (nginx's at 1 connection, "
              "same request, shows the floor the machine sets). moto's rows and "
              "nginx's count moto's and nginx's own answers (nginx answers 200 to anything; "
              "moto's reads answer 200 after its set-up)."
              % (100 * NGINX_RATIO_TARGET, MOTO_RATIO_TARGET, us_text(P99_TARGET_US)), ""]
    return lines


def op_figures(op, results, moto_answers):
    cairn_rps = median([run["rps"] for run in results[(op.name, "cairn", 16)]])
    nginx_rps = median([run["rps"] for run in results[(op.name, "nginx", 16)]])
    moto_runs = results.get((op.name, "moto", 16), [])
    moto_rps = median([run["rps"] for run in moto_runs])
    p50 = median([run["p50"] for run in results[(op.name, "cairn", 1)]])
    p99 = median([run["p99"] for run in results[(op.name, "cairn", 1)]])
    nginx_1 = results.get((op.name, "nginx", 1), [])
    nginx_ratio = cairn_rps / nginx_rps
    moto_ratio = cairn_rps / moto_rps if moto_rps else None
    moto_errors = sum(run["non2xx"] + run["socket_errors"] for run in moto_runs)
    return {
        "cairn_rps": cairn_rps, "nginx_rps": nginx_rps, "moto_rps": moto_rps, "p50": p50,
        "p99": p99, "nginx_ratio": nginx_ratio, "moto_ratio": moto_ratio,
        "nginx_p50": median([run["p50"] for run in nginx_1]),
        "nginx_p99": median([run["p99"] for run in nginx_1]),
        "nginx_text": "%.0f%% (%s)" % (100 * nginx_ratio, "met" if nginx_ratio >=
                                       NGINX_RATIO_TARGET else "**missed**"),
        "moto_text": "moto: not implemented" if moto_ratio is None else
        "%.0fx (%s)%s" % (moto_ratio, "met" if moto_ratio >= MOTO_RATIO_TARGET else "**missed**",
                          ", moto non-2xx %d" % moto_errors if moto_errors else ""),
    }


SECTIONS = {"ops": ops_section}
