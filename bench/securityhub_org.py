#!/usr/bin/env python3
"""Security Hub central configuration at organization scale (issues 7 and 8).

Starts cairn (env CAIRN_BINARY, else build/src/main/cairn) with `--clock virtual` and a world
file of N member accounts (default 5,000) in nested OUs: 5 top-level OUs, 4 OUs in each, 5
OUs in each of those (125 OUs, three levels), the accounts spread over the 100 leaf OUs. The
management account 111111111111 makes 222222222222 the Security Hub delegated administrator;
that account enables its hub, a finding aggregator (home Region us-east-1) and CENTRAL
configuration, all through the real APIs. Policies are then applied at several levels: one at
the root, one at a top OU, one at a second-level OU, one at a leaf OU, one at ten accounts and
SELF_MANAGED_SECURITY_HUB at ten more. Then it measures:

  (a) ListConfigurationPolicyAssociations with MaxResults 100: the full paginated walk of
      every association (root, OUs, accounts), per-page latency p50/p99, and a selective
      filtered page (ConfigurationPolicyId + AssociationType, few matches);
  (b) inheritance recomputation: MoveAccount of an account between subtrees that inherit
      different policies, and StartConfigurationPolicyAssociation on a second-level OU
      (N/20 accounts below it): the time of the change itself, of the clock step that
      finishes the propagation (PENDING -> SUCCESS), and until every affected account's
      GetConfigurationPolicyAssociation shows the new policy with SUCCESS.
      (AWS Organizations has no operation that moves an OU; an OU-level association change
      is what re-parents a whole subtree's inheritance.)
  (c) the latency of one middle page, and of a full filtered page (the second-level OU's
      policy, INHERITED: one account in 20), at 1,000 accounts vs N, both servers up and
      their rounds interleaved: the ratio, target under 1.5 (issue 8: "a list page costs the
      same" whatever the size).

Usage: python3 bench/securityhub_org.py [--accounts N] [--repeat R]
Importable: run(binary, accounts) -> list of row dicts, each
  {"measure": str,            what was measured, with the organization's size
   "result": str,             the figure(s), human readable
   "command": str,            the cairn command line and the request(s) that produced it
   "target": str,             the target it is held to ("" when none)
   "met": bool | None,        whether the target was met (None: no target)
   "elsewhere": float | None} CPUs busy outside cairn and this client while measuring
                              (None when not measured)
the same shape as bench/scale.py's rows; table(rows) renders them as Markdown.
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import CHILDREN, REPO_DIR, display_path, log, start_cairn  # noqa: E402

REGION = "us-east-1"
LINKED_REGION = "us-west-2"
MANAGEMENT = "111111111111"
ADMIN = "222222222222"
SELF_MANAGED = "SELF_MANAGED_SECURITY_HUB"
TOP_UNITS, MID_UNITS, LEAF_UNITS = 5, 4, 5
PAGE_SIZE = 100
FILTERED_PAGE_SIZE = 40
PAGE_RATIO_TARGET = 1.5
SMALL = 1000
SERVER_FLAGS = ["--log-level", "warn", "--threads", "2", "--clock", "virtual"]
# An enabled policy that enables no standard and disables no control: valid without the
# standards catalog being consulted.
POLICY = {"SecurityHub": {"ServiceEnabled": True, "EnabledStandardIdentifiers": [],
                          "SecurityControlsConfiguration": {
                              "DisabledSecurityControlIdentifiers": []}}}


def unit_id(level, index):
    return "ou-bnch-%d%07d" % (level, index)


def account_id(index):
    return "3%011d" % index


class Org:
    """The shape of the organization of the world file, for choosing targets."""

    def __init__(self, accounts):
        self.accounts = accounts
        self.tops = [unit_id(1, t) for t in range(TOP_UNITS)]
        self.mids = {}    # top -> [mid]
        self.leaves = {}  # mid -> [leaf]
        self.members = {}  # leaf -> [account]
        self.parent = {}
        leaves = []
        for t, top in enumerate(self.tops):
            self.mids[top] = [unit_id(2, t * MID_UNITS + m) for m in range(MID_UNITS)]
            for m, mid in enumerate(self.mids[top]):
                self.parent[mid] = top
                base = (t * MID_UNITS + m) * LEAF_UNITS
                self.leaves[mid] = [unit_id(3, base + leaf) for leaf in range(LEAF_UNITS)]
                for leaf in self.leaves[mid]:
                    self.parent[leaf] = mid
                    self.members[leaf] = []
                    leaves.append(leaf)
        for index in range(accounts):
            leaf = leaves[index % len(leaves)]
            self.members[leaf].append(account_id(index))
            self.parent[account_id(index)] = leaf
        self.unit_count = len(self.parent) - accounts + len(self.tops)

    def accounts_under(self, unit):
        if unit in self.members:
            return list(self.members[unit])
        children = self.mids.get(unit) or self.leaves.get(unit) or []
        out = []
        for child in children:
            out += self.accounts_under(child)
        return out

    def write_world(self, path):
        lines = ["# Written by bench/securityhub_org.py: %d member accounts in %d nested OUs."
                 % (self.accounts, self.unit_count),
                 "organization:", "  feature_set: ALL", "  management_account:",
                 '    id: "%s"' % MANAGEMENT, "    name: management",
                 "    email: management@example.com",
                 "  trusted_access: [securityhub.amazonaws.com]",
                 "  delegated_administrators:",
                 '    - {account: "%s", service_principal: securityhub.amazonaws.com}' % ADMIN,
                 "  accounts:",
                 '    - {id: "%s", name: audit, email: audit@example.com}' % ADMIN,
                 "  organizational_units:"]
        for top in self.tops:
            lines += ["    - {id: %s, name: %s, organizational_units: [" % (top, top)]
            for mid in self.mids[top]:
                lines.append("        {id: %s, name: %s, organizational_units: [" % (mid, mid))
                for leaf in self.leaves[mid]:
                    members = ", ".join('{id: "%s", name: m%s, email: m%s@example.com}'
                                        % (a, a, a) for a in self.members[leaf])
                    lines.append("          {id: %s, name: %s, accounts: [%s]}," % (
                        leaf, leaf, members))
                lines.append("        ]},")
            lines.append("      ]}")
        with open(path, "w") as out:
            out.write("\n".join(lines) + "\n")


class Client:
    """Signed-looking requests on one keep-alive connection (cairn takes the account from the
    access key id of the Authorization header)."""

    def __init__(self, port, account, service):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.auth = ("AWS4-HMAC-SHA256 Credential=%s/20240501/%s/%s/aws4_request, "
                     "SignedHeaders=host, Signature=00" % (account, REGION, service))

    def _send(self, path, body, headers):
        self.conn.request("POST", path, json.dumps(body, separators=(",", ":")),
                          dict(headers, Authorization=self.auth))
        response = self.conn.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else {}

    def rest(self, path, body, ok=(200,)):
        status, answer = self._send(path, body, {"Content-Type": "application/json"})
        if status not in ok:
            raise RuntimeError("POST %s answered %d: %s" % (path, status, answer))
        return answer

    def target(self, target, body):
        status, answer = self._send("/", body, {"Content-Type": "application/x-amz-json-1.1",
                                                "X-Amz-Target": target})
        if status != 200:
            raise RuntimeError("%s answered %d: %s" % (target, status, answer))
        return answer


def admin_call(port, path, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = conn.getresponse()
        answer = response.read()
        if response.status != 200:
            raise RuntimeError("%s answered %d: %s" % (path, response.status, answer))
        return json.loads(answer) if answer else {}
    finally:
        conn.close()


def advance(port, seconds=3):
    admin_call(port, "/_cairn/clock/advance", {"seconds": seconds})


def ms(seconds):
    return seconds * 1000.0


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(fn, *args):
    started = time.perf_counter()
    answer = fn(*args)
    return time.perf_counter() - started, answer


def row(measure, result, command, target="", met=None, elsewhere=None):
    return {"measure": measure, "result": result, "command": command, "target": target,
            "met": met, "elsewhere": elsewhere}


def table(rows):
    lines = ["| Measure | Result | Target | Met | Command |", "|---|---|---|---|---|"]
    for item in rows:
        met = "" if item["met"] is None else ("yes" if item["met"] else "**NO**")
        lines.append("| %s | %s | %s | %s | %s |" % (item["measure"], item["result"],
                                                     item["target"], met, item["command"]))
    return lines


class Central:
    """A running cairn with the organization and central configuration set up."""

    def __init__(self, binary, accounts, workdir):
        self.org = Org(accounts)
        world = os.path.join(workdir, "world-%d.yaml" % accounts)
        self.org.write_world(world)
        args = SERVER_FLAGS + ["--world", world]
        self.proc, self.port, _, self.startup_ms = start_cairn(
            binary, args, os.path.join(workdir, "cairn-%d.log" % accounts), timeout=120)
        self.command = "`%s --port 0 %s`" % (
            display_path(binary), " ".join(args).replace(workdir, "$TMP"))
        self.sh = Client(self.port, ADMIN, "securityhub")
        self.organizations = Client(self.port, MANAGEMENT, "organizations")
        self.root = self.organizations.target("AWSOrganizationsV20161128.ListRoots",
                                              {})["Roots"][0]["Id"]
        management = Client(self.port, MANAGEMENT, "securityhub")
        management.rest("/accounts", {})
        management.rest("/organization/admin/enable", {"AdminAccountId": ADMIN})
        self.sh.rest("/accounts", {}, ok=(200, 409))
        self.sh.rest("/findingAggregator/create",
                      {"RegionLinkingMode": "SPECIFIED_REGIONS", "Regions": [LINKED_REGION]})
        self.sh.rest("/organization/configuration", {
            "AutoEnable": False, "AutoEnableStandards": "NONE",
            "OrganizationConfiguration": {"ConfigurationType": "CENTRAL"}})
        advance(self.port)
        self.policies = {}
        for name in ("root", "top", "mid", "leaf", "accounts", "spare"):
            self.policies[name] = self.sh.rest("/configurationPolicy/create", {
                "Name": "bench-" + name, "ConfigurationPolicy": POLICY})["Id"]
        # Several levels: root, a top OU, a second-level OU of another top OU, a leaf OU of a
        # third, ten accounts with a policy of their own, ten self-managed.
        self.covered_top = self.org.tops[1]
        self.mid = self.org.mids[self.org.tops[2]][0]
        self.leaf = self.org.leaves[self.org.mids[self.org.tops[3]][1]][0]
        self.first_association_s, _ = timed(self.associate, self.policies["root"],
                                            {"RootId": self.root})
        self.associate(self.policies["top"], {"OrganizationalUnitId": self.covered_top})
        self.associate(self.policies["mid"], {"OrganizationalUnitId": self.mid})
        self.associate(self.policies["leaf"], {"OrganizationalUnitId": self.leaf})
        self.applied_accounts = set()
        for index in range(20):
            account = account_id(accounts - 1 - 37 * index)
            policy = self.policies["accounts"] if index % 2 else SELF_MANAGED
            self.associate(policy, {"AccountId": account})
            self.applied_accounts.add(account)
        advance(self.port)

    def associate(self, policy, target):
        return self.sh.rest("/configurationPolicyAssociation/associate",
                            {"ConfigurationPolicyIdentifier": policy, "Target": target})

    def disassociate(self, policy, target):
        return self.sh.rest("/configurationPolicyAssociation/disassociate",
                            {"ConfigurationPolicyIdentifier": policy, "Target": target})

    def get(self, account):
        return self.sh.rest("/configurationPolicyAssociation/get",
                            {"Target": {"AccountId": account}})

    def page(self, token=None, filters=None, size=PAGE_SIZE):
        body = {"MaxResults": size}
        if token:
            body["NextToken"] = token
        if filters:
            body["Filters"] = filters
        return self.sh.rest("/configurationPolicyAssociation/list", body)

    def walk(self, filters=None):
        """Every page; returns (total seconds, [page seconds], [summaries])."""
        pages, items, token = [], [], None
        started = time.perf_counter()
        while True:
            seconds, answer = timed(self.page, token, filters)
            pages.append(seconds)
            items += answer["ConfigurationPolicyAssociationSummaries"]
            token = answer.get("NextToken")
            if not token:
                return time.perf_counter() - started, pages, items

    def middle_token(self):
        token = None
        for _ in range(max(1, (self.org.accounts // PAGE_SIZE) // 2)):
            token = self.page(token).get("NextToken")
        return token

    def repeat_page(self, repeat, token=None, filters=None, size=PAGE_SIZE):
        answer = self.page(token, filters, size)  # warm
        if len(answer["ConfigurationPolicyAssociationSummaries"]) != size:
            raise RuntimeError("the measured page is not full: %s" % answer)
        return [timed(self.page, token, filters, size)[0] for _ in range(repeat)]

    def move(self, account, destination):
        return self.organizations.target("AWSOrganizationsV20161128.MoveAccount", {
            "AccountId": account, "SourceParentId": self.org.parent[account],
            "DestinationParentId": destination})

    def wait_until(self, accounts, policy):
        """Reads each account's association until all show `policy` with SUCCESS; returns the
        number of reads."""
        reads = 0
        for account in accounts:
            while True:
                answer = self.get(account)
                reads += 1
                if answer["ConfigurationPolicyId"] == policy and \
                        answer["AssociationStatus"] == "SUCCESS":
                    break
                if reads > 10 * len(accounts) + 100:
                    raise RuntimeError("%s never showed %s: %s" % (account, policy, answer))
                advance(self.port)
        return reads

    def stop(self):
        CHILDREN.stop(self.proc)


LIST = "ListConfigurationPolicyAssociations"


def run(binary, accounts, repeat=200):
    rows = []
    workdir = tempfile.mkdtemp(prefix="cairn-shorg-")
    size = "{:,}".format(accounts)
    me = "`python3 bench/securityhub_org.py --accounts %d`" % accounts
    try:
        log("securityhub_org: %s accounts, starting cairn and setting up central configuration"
            % size)
        started = time.perf_counter()
        central = Central(binary, accounts, workdir)
        setup_s = time.perf_counter() - started
        cmd = central.command
        total_targets = 1 + central.org.unit_count + accounts + 2
        rows.append(row("%s accounts, %d OUs: start with the world file, set up central "
                        "configuration, 6 policies, 24 associations" % (size, central.org.unit_count),
                        "%.0f ms to first 200; %.2f s in all; first association (root) %.1f ms"
                        % (central.startup_ms, setup_s, ms(central.first_association_s)),
                        "%s; %s" % (cmd, me)))

        # (a) the full walk, three times; the best and every page's latency.
        walks = [central.walk() for _ in range(3)]
        best = min(walks, key=lambda walk: walk[0])
        pages = [seconds for walk in walks for seconds in walk[1]]
        count = len(best[2])
        ids = {item["TargetId"] for item in best[2]}
        rows.append(row("(a) %s: every association, MaxResults %d (%s accounts)"
                        % (LIST, PAGE_SIZE, size),
                        "%d associations (%d distinct, %d expected) in %d pages: %.1f ms per walk "
                        "(best of 3); page p50 %.2f ms, p99 %.2f ms"
                        % (count, len(ids), total_targets, len(best[1]), ms(best[0]),
                           ms(percentile(pages, 0.5)), ms(percentile(pages, 0.99))),
                        "%s; POST /configurationPolicyAssociation/list {MaxResults: %d, NextToken} "
                        "until no NextToken" % (cmd, PAGE_SIZE),
                        "every target once", count == len(ids) == total_targets))
        filters = {"ConfigurationPolicyId": central.policies["leaf"],
                   "AssociationType": "INHERITED"}
        walk_s, walk_pages, items = central.walk(filters)
        rows.append(row("(a) %s filtered walk: leaf OU's policy, INHERITED (%s accounts)"
                        % (LIST, size),
                        "%d associations in %d pages, %.2f ms"
                        % (len(items), len(walk_pages), ms(walk_s)),
                        "%s; POST /configurationPolicyAssociation/list {Filters: "
                        "{ConfigurationPolicyId, AssociationType: INHERITED}}" % cmd))

        # (b) an account moved between subtrees that inherit different policies.
        mover = [account for account in central.org.accounts_under(central.covered_top)
                 if account not in central.applied_accounts][0]
        elsewhere_leaf = central.org.leaves[central.org.mids[central.org.tops[4]][0]][0]
        home_leaf = central.org.parent[mover]
        change, step, until = [], [], []
        for round_idx in range(10):
            destination, policy = ((elsewhere_leaf, central.policies["root"]) if round_idx % 2 == 0
                                   else (home_leaf, central.policies["top"]))
            started = time.perf_counter()
            central.move(mover, destination)
            moved = time.perf_counter()
            central.org.parent[mover] = destination
            answer = central.get(mover)
            assert answer["ConfigurationPolicyId"] == policy, answer
            assert answer["AssociationType"] == "INHERITED", answer
            before_step = time.perf_counter()
            advance(central.port)
            after_step = time.perf_counter()
            central.wait_until([mover], policy)
            done = time.perf_counter()
            change.append(moved - started)
            step.append(after_step - before_step)
            until.append(done - started)
        rows.append(row("(b) MoveAccount between subtrees with different inherited policies "
                        "(%s accounts), 10 moves" % size,
                        "MoveAccount p50 %.2f ms (max %.2f); clock step p50 %.2f ms; until "
                        "GetConfigurationPolicyAssociation shows the new policy SUCCESS: "
                        "p50 %.2f ms"
                        % (ms(statistics.median(change)), ms(max(change)),
                           ms(statistics.median(step)), ms(statistics.median(until))),
                        "%s; Organizations MoveAccount as %s, POST /_cairn/clock/advance "
                        "{seconds: 3}, POST /configurationPolicyAssociation/get"
                        % (cmd, MANAGEMENT)))

        # (b) an OU-level association change: a second-level OU and everything below it.
        unit = central.org.mids[central.org.tops[3]][2]
        affected = [account for account in central.org.accounts_under(unit)
                    if account not in central.applied_accounts]
        results = []
        for policy_name in ("spare", None, "spare", None):
            started = time.perf_counter()
            if policy_name:
                central.associate(central.policies[policy_name],
                                  {"OrganizationalUnitId": unit})
                expected = central.policies[policy_name]
            else:
                central.disassociate(central.policies["spare"], {"OrganizationalUnitId": unit})
                expected = central.policies["root"]
            changed = time.perf_counter()
            advance(central.port)
            stepped = time.perf_counter()
            reads = central.wait_until(affected, expected)
            done = time.perf_counter()
            results.append((policy_name or "disassociate", changed - started,
                            stepped - changed, done - stepped, done - started, reads))
        text = "; ".join("%s: call %.2f ms, clock step %.2f ms, %d reads %.1f ms, in all %.1f ms"
                         % (name, ms(call), ms(stepped), reads, ms(read), ms(total))
                         for name, call, stepped, read, total, reads in results[:2])
        rows.append(row("(b) OU-level association change on a second-level OU with %d "
                        "accounts below (%s accounts)" % (len(affected), size), text,
                        "%s; POST /configurationPolicyAssociation/associate|disassociate "
                        "{OrganizationalUnitId}, POST /_cairn/clock/advance {seconds: 3}, "
                        "POST /configurationPolicyAssociation/get per affected account" % cmd))

        # (c) the page latency here and, for the ratio, at 1,000 accounts: both servers up,
        # rounds interleaved, the best round's p50 of each (the machine is shared and noisy).
        servers = [(size, central)]
        if accounts > SMALL:
            log("securityhub_org: the same pages at %s accounts" % "{:,}".format(SMALL))
            servers.append(("{:,}".format(SMALL), Central(binary, SMALL, workdir)))
        rounds = 5
        plain, filtered = {}, {}
        tokens = {label: server.middle_token() for label, server in servers}
        # The second-level OU's policy, INHERITED: one account in 20 matches, so a page of
        # FILTERED_PAGE_SIZE is full at both sizes (50 and 250 matches) and a scan would visit
        # 20 associations per item returned.
        selective = {label: {"ConfigurationPolicyId": server.policies["mid"],
                             "AssociationType": "INHERITED"} for label, server in servers}
        for _ in range(rounds):
            for label, server in servers:
                plain.setdefault(label, []).append(
                    server.repeat_page(max(1, repeat // rounds), tokens[label]))
                filtered.setdefault(label, []).append(
                    server.repeat_page(max(1, repeat // rounds), None, selective[label],
                                       FILTERED_PAGE_SIZE))
        for _, server in servers:
            server.stop()

        def best(runs):
            return min(runs, key=statistics.median)

        per_round = max(1, repeat // rounds)
        big_plain, big_filtered = best(plain[size]), best(filtered[size])
        rows.append(row("(c) %s middle page, MaxResults %d (%s accounts)"
                        % (LIST, PAGE_SIZE, size),
                        "p50 %.3f ms, p99 %.3f ms (best of %d rounds of %d)"
                        % (ms(percentile(big_plain, 0.5)), ms(percentile(big_plain, 0.99)),
                           rounds, per_round),
                        "%s; POST /configurationPolicyAssociation/list {MaxResults: %d, "
                        "NextToken: <page %d>}" % (cmd, PAGE_SIZE,
                                                   max(1, (accounts // PAGE_SIZE) // 2))))
        rows.append(row("(c) %s selective filtered page, MaxResults %d (%s accounts)"
                        % (LIST, FILTERED_PAGE_SIZE, size),
                        "p50 %.3f ms, p99 %.3f ms (best of %d rounds of %d)"
                        % (ms(percentile(big_filtered, 0.5)), ms(percentile(big_filtered, 0.99)),
                           rounds, per_round),
                        "%s; POST /configurationPolicyAssociation/list {MaxResults: %d, Filters: "
                        "{ConfigurationPolicyId: <second-level OU's policy>, AssociationType: "
                        "INHERITED}}" % (cmd, FILTERED_PAGE_SIZE)))
        if len(servers) > 1:
            small_label = servers[1][0]
            for name, runs in (("middle page", plain), ("selective filtered page", filtered)):
                big = statistics.median(best(runs[size]))
                little = statistics.median(best(runs[small_label]))
                ratio = big / little
                rows.append(row("(c) %s %s: %s vs %s accounts" % (LIST, name, size, small_label),
                                "p50 %.3f ms vs %.3f ms: ratio %.2f" % (ms(big), ms(little), ratio),
                                "`python3 bench/securityhub_org.py --accounts %d`: both servers "
                                "up, %d interleaved rounds of %d requests, best round each"
                                % (accounts, rounds, per_round),
                                "ratio < %.1f" % PAGE_RATIO_TARGET, ratio < PAGE_RATIO_TARGET))
        return rows
    finally:
        CHILDREN.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=200,
                        help="requests per page-latency figure (default 200)")
    options = parser.parse_args()
    binary = os.environ.get("CAIRN_BINARY") or os.path.join(REPO_DIR, "build", "src", "main",
                                                            "cairn")
    if not os.access(binary, os.X_OK):
        sys.exit("no cairn binary at %s (build it, or set CAIRN_BINARY)" % binary)
    rows = run(os.path.abspath(binary), options.accounts, options.repeat)
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
