"""End-to-end: the AWS CLI, v1 (python3's `aws`, botocore 1.x) and v2 (Debian's `awscli`
package, /usr/bin/aws, with its own bundled botocore), drive a landing zone through every
in-scope operation of the api catalog (Organizations, SSM, Config, Security Hub) and STS
GetCallerIdentity.

Both CLIs run the same scenario at the same time, each against its own cairn (virtual clock),
so a step's output from v1 and from v2 can be compared: after generated ids and timestamps are
replaced by names, and v1's output is cut down to the members v2's (older) model knows, the two
must be identical; a difference is a bug in cairn (or a documented CLI difference, see
`normalize`). Besides the happy paths: one error path per service (exit code 254 and the error
code on stderr), `--output json` round trips (the output of one command fed back with
`--cli-input-json file://...`, plus a `--generate-cli-skeleton` filled in), and pagination
(`--page-size` on every paginated list operation, `--max-items` / `--starting-token` walks).

Documented CLI differences handled here:
- Debian's v2 (2.9.19, January 2023) predates Security Hub central configuration and the
  security control definitions (12 operations). For those operations v2 is given the service
  model of the machine's botocore through AWS_DATA_PATH, so v2's own serializer and parser
  still do the work.
- Timestamps: both CLIs are configured with `cli_timestamp_format = iso8601` (v1 would print
  the wire value otherwise).
"""
import concurrent.futures
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import botocore.session

from harness import MANAGEMENT, Cairn, model_path

# v1: the `aws` of the python3 running this test (its botocore is the one imported here); a
# pyenv shim on PATH would need the real HOME, which the runs replace.
V1 = next((path for path in (os.path.join(os.path.dirname(sys.executable), "aws"), shutil.which("aws"))
           if path and os.access(path, os.X_OK)), None)
V2 = "/usr/bin/aws" if os.access("/usr/bin/aws", os.X_OK) else None
V2_DATA = "/usr/lib/python3/dist-packages/awscli/botocore/data"
REQUIRE = os.environ.get("CAIRN_REQUIRE_CLI") == "1"

REGION = "us-east-1"
LINKED = "us-west-2"
SCRATCH = "333333333333"   # a management account whose organization is deleted at once
EXTERNAL = "444444444444"  # an account outside the organization (config authorization source)
CLI_SERVICE = {"organizations": "organizations", "ssm": "ssm", "configservice": "config",
               "securityhub": "securityhub", "sts": "sts"}

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")
FSBP = f"arn:aws:securityhub:{REGION}::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS14 = f"arn:aws:securityhub:{REGION}::standards/cis-aws-foundations-benchmark/v/1.4.0"

PACK_TEMPLATE = """Parameters:
  MaxAccessKeyAge:
    Type: String
    Default: "90"
Resources:
  AccessKeysRotated:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: access-keys-rotated
      Source:
        Owner: AWS
        SourceIdentifier: ACCESS_KEYS_ROTATED
      InputParameters:
        maxAccessKeyAge:
          Ref: MaxAccessKeyAge
  IAMPasswordPolicy:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: iam-password-policy
      Source:
        Owner: AWS
        SourceIdentifier: IAM_PASSWORD_POLICY
"""


def document(description, default="hello"):
    return json.dumps({
        "schemaVersion": "2.2", "description": description,
        "parameters": {"message": {"type": "String", "description": "What to say", "default": default}},
        "mainSteps": [{"action": "aws:runShellScript", "name": "say",
                       "inputs": {"runCommand": ["echo {{ message }}"]}}]})


def kebab(operation):
    return botocore.xform_name(operation, "-")


def load_model(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as stream:
        return json.load(stream)


def v2_model(service):
    """v2's own service model (the newest api version it ships), or None."""
    folder = os.path.join(V2_DATA, service)
    if not os.path.isdir(folder):
        return None
    version = sorted(os.listdir(folder))[-1]
    for name in ("service-2.json", "service-2.json.gz"):
        path = os.path.join(folder, version, name)
        if os.path.exists(path):
            return load_model(path)
    return None


def prune(value, shape_name, model):
    """value cut down to the members the model's shape has (what that CLI can print)."""
    shape = model["shapes"][shape_name]
    kind = shape["type"]
    if kind == "structure" and isinstance(value, dict):
        return {key: prune(item, shape["members"][key]["shape"], model)
                for key, item in value.items() if key in shape["members"]}
    if kind == "list" and isinstance(value, list):
        return [prune(item, shape["member"]["shape"], model) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: prune(item, shape["value"]["shape"], model) for key, item in value.items()}
    return value


class CliError(AssertionError):
    pass


class Run:
    """One CLI (v1 or v2) driving its own cairn through the scenario. Every call's output is
    recorded under a label, with the generated ids it saw, for the comparison afterwards."""

    def __init__(self, name, program, workdir, overlay=None, own_models=None):
        self.name, self.program, self.workdir = name, program, workdir
        self.overlay, self.own_models = overlay, own_models
        self.overlaid = set()  # (service, Operation) that ran with the overlay model
        self.cairn = Cairn()
        self.ids = {}          # name -> generated value (account ids, OU ids, association ids...)
        self.records = []      # (label, service, operation, output or error line)
        self.called = set()    # (model service, Operation) answered successfully
        self.invocations = 0
        self.seconds = 0.0
        config = os.path.join(workdir, "config")
        with open(config, "w") as stream:
            stream.write("[default]\ncli_timestamp_format = iso8601\ncli_pager =\n"
                         "cli_auto_prompt = off\nretry_mode = standard\nmax_attempts = 1\n")
        open(os.path.join(workdir, "credentials"), "w").close()
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
        self.env.update({"AWS_CONFIG_FILE": config,
                         "AWS_SHARED_CREDENTIALS_FILE": os.path.join(workdir, "credentials"),
                         "AWS_PAGER": "", "AWS_SECRET_ACCESS_KEY": "secret",
                         "AWS_DEFAULT_REGION": REGION, "HOME": workdir})

    def stop(self):
        self.cairn.stop()

    # --- running the CLI

    def invoke(self, service, command, args, account, region):
        env = dict(self.env, AWS_ACCESS_KEY_ID=account, AWS_DEFAULT_REGION=region)
        model_service = CLI_SERVICE[service]
        operation = self.operation(model_service, command)
        overlaid = bool(self.overlay) and (self.needs_overlay(model_service, operation, args) or
                                           (model_service, operation) in OVERLAID_OUTPUTS)
        if overlaid:
            env["AWS_DATA_PATH"] = self.overlay
            self.overlaid.add((model_service, operation))
        argv = [self.program, service, command, *args, "--endpoint-url", self.cairn.endpoint,
                "--output", "json"]
        started = time.monotonic()
        result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
        self.seconds += time.monotonic() - started
        self.invocations += 1
        return result, model_service, operation, overlaid

    def needs_overlay(self, service, operation, args):
        """True when this CLI's own model lacks the operation or one of the options given."""
        own = self.own_models.get(service)
        if not own or operation not in own["operations"]:
            return True
        shape = own["operations"][operation].get("input", {}).get("shape")
        members = own["shapes"][shape]["members"] if shape else {}
        options = {"--" + kebab(name) for name in members}
        options |= {"--no-" + kebab(name) for name in members}
        return any(arg.startswith("--") and arg not in options and arg not in GLOBAL_OPTIONS
                   for arg in args)

    @staticmethod
    def operation(model_service, command):
        return OPERATIONS[model_service][command]

    def call(self, service, command, *args, account=MANAGEMENT, region=REGION, label=None,
             record=True):
        """Runs `aws service command args --output json`; returns the parsed output ({} when
        the CLI prints nothing) and records it."""
        result, model_service, operation, overlaid = self.invoke(service, command, args, account, region)
        if result.returncode != 0:
            raise CliError(f"{self.name}: aws {service} {command} {' '.join(args)} (as {account}) "
                           f"exited {result.returncode}: {result.stderr.strip()}")
        output = json.loads(result.stdout) if result.stdout.strip() else {}
        self.called.add((model_service, operation))
        if record:
            self.records.append((label or f"{service} {command}", model_service, operation, output, overlaid))
        return output

    def fail(self, service, command, *args, code, account=MANAGEMENT, region=REGION):
        """Runs a command that must fail with the AWS error `code`: exit code 254 (a service
        error) or 255 (v1 answers 255 for some, e.g. an unsigned request), and the
        `An error occurred (code) when calling the Op operation: message` line on stderr."""
        result, model_service, operation, overlaid = self.invoke(service, command, args, account, region)
        line = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
        if result.returncode not in (254, 255) or f"An error occurred ({code})" not in line:
            raise CliError(f"{self.name}: aws {service} {command} {' '.join(args)}: expected {code}, "
                           f"exit {result.returncode}: {result.stderr.strip()}")
        self.records.append((f"error {service} {command}", model_service, operation, {"stderr": line}, overlaid))
        return line

    def file(self, name, content):
        path = os.path.join(self.workdir, name)
        with open(path, "w") as stream:
            stream.write(content if isinstance(content, str) else json.dumps(content))
        return "file://" + path

    def advance(self, seconds=5):
        """Moves cairn's clock in one advance, which runs every lifecycle step falling within
        it, the steps earlier steps schedule included."""
        status, body = self.cairn.admin("POST", "/_cairn/clock/advance", {"seconds": seconds})
        if status != 200:
            raise CliError(f"clock advance: {status} {body}")

    def pages(self, service, command, *args, key, page_size=1, max_items=1, full=None, single=False,
              **kwargs):
        """The list operation walked three ways: one call with --page-size (the CLI follows
        NextToken itself), and --max-items/--starting-token steps; both must give the whole
        list, which the first call (recorded as the happy path) also returns."""
        whole = self.call(service, command, *args, "--page-size", str(page_size), **kwargs)
        items = whole[key]
        if full is not None and items != full:
            raise CliError(f"{self.name}: {command} --page-size {page_size}: {items} != {full}")
        walked, token, steps = [], None, 0
        while True:
            extra = ("--starting-token", token) if token else ()
            # Not compared between the CLIs: where a page ends depends on the generated ids.
            page = self.call(service, command, *args, "--max-items", str(max_items), *extra,
                             record=False, **kwargs)
            steps += 1
            if len(page[key]) > max_items:
                raise CliError(f"{self.name}: {command} --max-items {max_items} gave {len(page[key])}")
            walked.extend(page[key])
            token = page.get("NextToken")
            if not token:
                break
            if steps > 20:
                raise CliError(f"{self.name}: {command}: pagination does not end")
        if walked != items:
            raise CliError(f"{self.name}: {command} --max-items walk {walked} != {items}")
        if len(items) <= max_items and not single:
            raise CliError(f"{self.name}: {command}: the walk needs more than one page ({len(items)} items)")
        return whole


OPERATIONS = {}   # model service -> CLI command -> Operation
# Operations whose output v2's own model lacks a member the scenario reads (v2 would drop it).
OVERLAID_OUTPUTS = {("securityhub", "DescribeOrganizationConfiguration")}
GLOBAL_OPTIONS = {"--cli-input-json", "--generate-cli-skeleton", "--page-size", "--max-items",
                  "--starting-token", "--no-paginate", "--no-sign-request"}


def load_operations():
    session = botocore.session.get_session()
    for service in CLI_SERVICE.values():
        model = session.get_service_model(service)
        OPERATIONS[service] = {kebab(name): name for name in model.operation_names}


# --- the scenario: every operation, as a landing zone uses it

def organizations(run):
    org = "organizations"
    ids = run.ids
    # An organization made and deleted by another management account.
    run.call(org, "create-organization", "--feature-set", "ALL", account=SCRATCH)
    run.call(org, "delete-organization", account=SCRATCH)

    created = run.call(org, "create-organization", "--feature-set", "ALL")["Organization"]
    ids["organization"] = created["Id"]
    run.call(org, "describe-organization")
    ids["root"] = run.call(org, "list-roots")["Roots"][0]["Id"]
    run.call(org, "list-roots", "--page-size", "1", label="list-roots --page-size")
    for name in ("Security", "Workloads", "Sandbox"):
        ids["ou-" + name] = run.call(org, "create-organizational-unit", "--parent-id", ids["root"],
                                     "--name", name, "--tags", "Key=Layer,Value=" + name.lower())[
            "OrganizationalUnit"]["Id"]
    ids["ou-Production"] = run.call(org, "create-organizational-unit", "--parent-id",
                                    ids["ou-Workloads"], "--name", "Production")["OrganizationalUnit"]["Id"]
    run.call(org, "describe-organizational-unit", "--organizational-unit-id", ids["ou-Security"])
    # Round trip: describe's output, renamed, is update's --cli-input-json.
    unit = run.call(org, "describe-organizational-unit", "--organizational-unit-id", ids["ou-Sandbox"],
                    label="describe-organizational-unit (round trip source)")["OrganizationalUnit"]
    renamed = run.call(org, "update-organizational-unit", "--cli-input-json", run.file(
        "ou.json", {"OrganizationalUnitId": unit["Id"], "Name": unit["Name"] + "-old"}))["OrganizationalUnit"]
    if renamed != dict(unit, Name="Sandbox-old"):
        raise CliError(f"{run.name}: update-organizational-unit round trip: {renamed} vs {unit}")
    run.call(org, "delete-organizational-unit", "--organizational-unit-id", ids["ou-Sandbox"])

    # Accounts: IN_PROGRESS, then SUCCEEDED when the clock moves.
    requests = {}
    for name in ("audit", "log-archive", "workload", "leaver", "closing"):
        status = run.call(org, "create-account", "--email", f"{name}@example.com",
                          "--account-name", name, "--tags", "Key=Role,Value=" + name)["CreateAccountStatus"]
        if status["State"] != "IN_PROGRESS":
            raise CliError(f"{run.name}: create-account answered {status}")
        requests[name] = ids["car-" + name] = status["Id"]
    run.call(org, "describe-create-account-status", "--create-account-request-id", requests["audit"],
             label="describe-create-account-status IN_PROGRESS")
    run.advance(10)
    for name, request in requests.items():
        status = run.call(org, "describe-create-account-status", "--create-account-request-id",
                          request)["CreateAccountStatus"]
        if status["State"] != "SUCCEEDED":
            raise CliError(f"{run.name}: {name} is {status}")
        ids[name] = status["AccountId"]
    run.pages(org, "list-create-account-status", "--states", "SUCCEEDED",
              key="CreateAccountStatuses", max_items=2)
    run.pages(org, "list-accounts", key="Accounts", max_items=2)
    run.call(org, "describe-account", "--account-id", ids["audit"])
    for name, unit in (("audit", "ou-Security"), ("log-archive", "ou-Security"),
                       ("workload", "ou-Production")):
        run.call(org, "move-account", "--account-id", ids[name], "--source-parent-id", ids["root"],
                 "--destination-parent-id", ids[unit])
    run.pages(org, "list-parents", "--child-id", ids["workload"], key="Parents", single=True)
    run.pages(org, "list-children", "--parent-id", ids["root"], "--child-type", "ORGANIZATIONAL_UNIT",
              key="Children")
    run.pages(org, "list-organizational-units-for-parent", "--parent-id", ids["root"],
              key="OrganizationalUnits")
    run.pages(org, "list-accounts-for-parent", "--parent-id", ids["ou-Security"], key="Accounts")

    for principal in ("config.amazonaws.com", "config-multiaccountsetup.amazonaws.com",
                      "securityhub.amazonaws.com", "ssm.amazonaws.com"):
        run.call(org, "enable-aws-service-access", "--service-principal", principal)
    run.pages(org, "list-aws-service-access-for-organization", key="EnabledServicePrincipals")
    for principal in ("config.amazonaws.com", "config-multiaccountsetup.amazonaws.com",
                      "securityhub.amazonaws.com"):
        run.call(org, "register-delegated-administrator", "--account-id", ids["audit"],
                 "--service-principal", principal)
    run.call(org, "register-delegated-administrator", "--account-id", ids["log-archive"],
             "--service-principal", "ssm.amazonaws.com")
    run.pages(org, "list-delegated-administrators", key="DelegatedAdministrators")
    run.pages(org, "list-delegated-services-for-account", "--account-id", ids["audit"],
              key="DelegatedServices")
    run.call(org, "deregister-delegated-administrator", "--account-id", ids["log-archive"],
             "--service-principal", "ssm.amazonaws.com")
    run.call(org, "disable-aws-service-access", "--service-principal", "ssm.amazonaws.com")

    run.call(org, "tag-resource", "--resource-id", ids["workload"], "--tags", "Key=CostCenter,Value=payments",
             "Key=Owner,Value=team-a")
    run.call(org, "untag-resource", "--resource-id", ids["workload"], "--tag-keys", "Owner")
    tags = run.call(org, "list-tags-for-resource", "--resource-id", ids["workload"])["Tags"]
    if sorted(tag["Key"] for tag in tags) != ["CostCenter", "Role"]:
        raise CliError(f"{run.name}: tags {tags}")

    run.call(org, "remove-account-from-organization", "--account-id", ids["leaver"])
    run.call(org, "close-account", "--account-id", ids["closing"])
    run.advance(10)
    run.call(org, "describe-account", "--account-id", ids["closing"], label="describe-account closed")
    run.fail(org, "describe-organizational-unit", "--organizational-unit-id", "ou-abcd-12345678",
             code="OrganizationalUnitNotFoundException")


def ssm(run):
    s = "ssm"
    ids = run.ids
    account = ids["workload"]
    kwargs = {"account": account}
    for index in range(2):
        status, body = run.cairn.admin("POST", "/_cairn/ssm/instances", {
            "AccountId": account, "Region": REGION, "InstanceId": f"mi-0123456789abcdef{index}",
            "ComputerName": f"web-{index}", "Tags": [{"Key": "Role", "Value": "web"}]})
        if status != 200:
            raise CliError(f"register instance: {status} {body}")
    node = "mi-0123456789abcdef0"
    run.pages(s, "describe-instance-information", key="InstanceInformationList", page_size=5, **kwargs)

    # Documents: create from a file, update, versions, default version, sharing.
    run.call(s, "create-document", "--name", "Hello", "--document-type", "Command", "--document-format",
             "JSON", "--content", run.file("hello.json", document("Says hello.")),
             "--tags", "Key=Team,Value=platform", **kwargs)
    run.call(s, "create-document", "--name", "Scratch", "--content", document("Scratch."), **kwargs)
    run.advance(2)
    run.call(s, "describe-document", "--name", "Hello", **kwargs)
    content = run.call(s, "get-document", "--name", "Hello", **kwargs)["Content"]
    # Round trip: get-document's Content is create-document's --content file://.
    run.call(s, "create-document", "--name", "HelloCopy", "--content", run.file("copy.json", content),
             label="create-document (round trip)", **kwargs)
    run.call(s, "update-document", "--name", "Hello", "--document-version", "$LATEST", "--content",
             document("Says hello twice.", "hi"), **kwargs)
    run.advance(2)
    run.pages(s, "list-document-versions", "--name", "Hello", key="DocumentVersions", **kwargs)
    run.call(s, "update-document-default-version", "--name", "Hello", "--document-version", "2", **kwargs)
    run.pages(s, "list-documents", "--filters", "Key=Owner,Values=Self", key="DocumentIdentifiers", **kwargs)
    run.call(s, "modify-document-permission", "--name", "Hello", "--permission-type", "Share",
             "--account-ids-to-add", ids["audit"], ids["log-archive"], **kwargs)
    run.call(s, "describe-document-permission", "--name", "Hello", "--permission-type", "Share", **kwargs)
    run.call(s, "delete-document", "--name", "Scratch", **kwargs)

    # Associations.
    created = run.call(s, "create-association", "--name", "Hello", "--association-name", "say-hello",
                       "--targets", "Key=tag:Role,Values=web", "--parameters", "message=hi",
                       "--schedule-expression", "rate(30 minutes)", "--max-concurrency", "1",
                       "--max-errors", "0", "--compliance-severity", "HIGH", "--tags", "Key=Team,Value=platform",
                       **kwargs)["AssociationDescription"]
    ids["association"] = created["AssociationId"]
    batch = run.call(s, "create-association-batch", "--entries", run.file("batch.json", [
        {"Name": "AWS-UpdateSSMAgent", "InstanceId": node},
        {"Name": "Hello", "AssociationName": "say-bye", "Targets": [{"Key": "InstanceIds", "Values": [node]}],
         "Parameters": {"message": ["bye"]}}]), **kwargs)
    if batch.get("Failed"):
        raise CliError(f"{run.name}: create-association-batch failed {batch['Failed']}")
    for entry in batch["Successful"]:
        ids["association-" + entry.get("AssociationName", entry["Name"])] = entry["AssociationId"]
    run.advance(5)
    run.call(s, "describe-association", "--association-id", ids["association"], **kwargs)
    # Round trip: describe-association's output is update-association's --cli-input-json.
    description = run.call(s, "describe-association", "--association-id", ids["association"],
                           label="describe-association (round trip source)", **kwargs)["AssociationDescription"]
    update = {key: description[key] for key in (
        "AssociationId", "Name", "Parameters", "Targets", "ScheduleExpression", "AssociationName",
        "MaxConcurrency", "MaxErrors", "ComplianceSeverity") if key in description}
    update["Parameters"] = {"message": ["hello again"]}
    updated = run.call(s, "update-association", "--cli-input-json", run.file("association.json", update),
                       **kwargs)["AssociationDescription"]
    if updated["AssociationVersion"] != "2" or updated["Parameters"] != update["Parameters"]:
        raise CliError(f"{run.name}: update-association round trip: {updated}")
    run.pages(s, "list-associations", key="Associations", max_items=2, **kwargs)
    run.call(s, "list-association-versions", "--association-id", ids["association"], **kwargs)
    run.pages(s, "list-association-versions", "--association-id", ids["association"],
              key="AssociationVersions", **kwargs)
    run.call(s, "start-associations-once", "--association-ids", ids["association"], **kwargs)
    run.advance(60)
    executions = run.pages(s, "describe-association-executions", "--association-id", ids["association"],
                           key="AssociationExecutions", **kwargs)["AssociationExecutions"]
    run.pages(s, "describe-association-execution-targets", "--association-id", ids["association"],
              "--execution-id", executions[0]["ExecutionId"], key="AssociationExecutionTargets", **kwargs)
    run.pages(s, "describe-effective-instance-associations", "--instance-id", node, key="Associations",
              **kwargs)
    run.pages(s, "describe-instance-associations-status", "--instance-id", node,
              key="InstanceAssociationStatusInfos", **kwargs)
    run.call(s, "update-association-status", "--name", "AWS-UpdateSSMAgent", "--instance-id", node,
             "--association-status", "Date=2024-05-01T12:00:00Z,Name=Success,Message=all good", **kwargs)
    run.call(s, "delete-association", "--association-id", ids["association-say-bye"], **kwargs)

    # Activations, compliance, tags.
    activation = run.call(s, "create-activation", "--iam-role", "SSMServiceRole", "--registration-limit", "5",
                          "--default-instance-name", "onprem", **kwargs)
    ids["activation"], ids["activation-code"] = activation["ActivationId"], activation["ActivationCode"]
    for index, status in enumerate(("COMPLIANT", "NON_COMPLIANT")):
        run.call(s, "put-compliance-items", "--resource-id", f"mi-0123456789abcdef{index}", "--resource-type",
                 "ManagedInstance", "--compliance-type", "Custom:Patching", "--execution-summary",
                 "ExecutionTime=2024-05-01T12:00:00Z", "--items",
                 f"Id=patch-1,Title=Patch one,Severity=HIGH,Status={status}",
                 f"Id=patch-2,Title=Patch two,Severity=LOW,Status=COMPLIANT", **kwargs)
    run.pages(s, "list-compliance-items", "--resource-ids", node, "--resource-types", "ManagedInstance",
              key="ComplianceItems", **kwargs)
    run.pages(s, "list-compliance-summaries", key="ComplianceSummaryItems", **kwargs)
    run.pages(s, "list-resource-compliance-summaries", key="ResourceComplianceSummaryItems", **kwargs)
    run.call(s, "add-tags-to-resource", "--resource-type", "Document", "--resource-id", "Hello",
             "--tags", "Key=Env,Value=prod", "Key=Owner,Value=me", **kwargs)
    run.call(s, "remove-tags-from-resource", "--resource-type", "Document", "--resource-id", "Hello",
             "--tag-keys", "Owner", **kwargs)
    run.call(s, "list-tags-for-resource", "--resource-type", "Document", "--resource-id", "Hello", **kwargs)
    run.fail(s, "describe-document", "--name", "Missing", code="InvalidDocument", **kwargs)


def config(run):
    c = "configservice"
    ids = run.ids
    audit = {"account": ids["audit"]}
    role = f"arn:aws:iam::{ids['audit']}:role/ConfigAggregator"
    # The organization aggregator of the delegated administrator, and an account aggregator
    # over an account outside the organization (a pending request until it authorizes).
    run.call(c, "put-configuration-aggregator", "--configuration-aggregator-name", "organization",
             "--organization-aggregation-source", f"RoleArn={role},AllAwsRegions=true",
             "--tags", "Key=Purpose,Value=compliance", **audit)
    run.call(c, "put-configuration-aggregator", "--configuration-aggregator-name", "external",
             "--account-aggregation-sources", f"AccountIds={EXTERNAL},AwsRegions={REGION}", **audit)
    run.call(c, "describe-pending-aggregation-requests", account=EXTERNAL)
    run.call(c, "delete-pending-aggregation-request", "--requester-account-id", ids["audit"],
             "--requester-aws-region", REGION, account=EXTERNAL)
    run.call(c, "put-aggregation-authorization", "--authorized-account-id", ids["audit"],
             "--authorized-aws-region", REGION, "--tags", "Key=Purpose,Value=compliance", account=EXTERNAL)
    run.call(c, "put-aggregation-authorization", "--authorized-account-id", ids["audit"],
             "--authorized-aws-region", LINKED, account=EXTERNAL)
    run.pages(c, "describe-aggregation-authorizations", key="AggregationAuthorizations", account=EXTERNAL)
    run.call(c, "delete-aggregation-authorization", "--authorized-account-id", ids["audit"],
             "--authorized-aws-region", LINKED, account=EXTERNAL)
    run.advance(5)
    aggregators = run.pages(c, "describe-configuration-aggregators", key="ConfigurationAggregators",
                            **audit)["ConfigurationAggregators"]
    ids["aggregator-arn"] = next(a["ConfigurationAggregatorArn"] for a in aggregators
                                 if a["ConfigurationAggregatorName"] == "organization")
    ids["aggregator-external-arn"] = next(a["ConfigurationAggregatorArn"] for a in aggregators
                                          if a["ConfigurationAggregatorName"] == "external")
    # Round trip: describe's aggregator, as --cli-input-json of put, changes nothing.
    source = next(a for a in aggregators if a["ConfigurationAggregatorName"] == "organization")
    again = run.call(c, "put-configuration-aggregator", "--cli-input-json", run.file("aggregator.json", {
        key: source[key] for key in ("ConfigurationAggregatorName", "OrganizationAggregationSource")}),
        label="put-configuration-aggregator (round trip)", **audit)["ConfigurationAggregator"]
    if {k: v for k, v in again.items() if k != "LastUpdatedTime"} != \
            {k: v for k, v in source.items() if k != "LastUpdatedTime"}:
        raise CliError(f"{run.name}: put-configuration-aggregator round trip: {again} vs {source}")
    run.pages(c, "describe-configuration-aggregator-sources-status", "--configuration-aggregator-name",
              "external", key="AggregatedSourceStatusList", single=True, **audit)

    # Organization conformance pack and organization config rule, deployed by the clock.
    run.call(c, "put-organization-conformance-pack", "--organization-conformance-pack-name", "baseline",
             "--template-body", run.file("pack.yaml", PACK_TEMPLATE), "--conformance-pack-input-parameters",
             "ParameterName=MaxAccessKeyAge,ParameterValue=60", "--excluded-accounts", ids["log-archive"],
             **audit)
    run.call(c, "put-organization-config-rule", "--organization-config-rule-name", "s3-versioning",
             "--organization-managed-rule-metadata", json.dumps({
                 "RuleIdentifier": "S3_BUCKET_VERSIONING_ENABLED", "Description": "versioned buckets",
                 "ResourceTypesScope": ["AWS::S3::Bucket"], "MaximumExecutionFrequency": "TwentyFour_Hours"}),
             **audit)
    run.call(c, "put-organization-config-rule", "--organization-config-rule-name", "root-mfa",
             "--organization-managed-rule-metadata", "RuleIdentifier=ROOT_ACCOUNT_MFA_ENABLED", **audit)
    run.advance(30)
    run.call(c, "describe-organization-conformance-packs", **audit)
    run.call(c, "describe-organization-conformance-pack-statuses", **audit)
    run.pages(c, "get-organization-conformance-pack-detailed-status", "--organization-conformance-pack-name",
              "baseline", key="OrganizationConformancePackDetailedStatuses", max_items=2, **audit)
    run.pages(c, "describe-organization-config-rules", key="OrganizationConfigRules", **audit)
    run.pages(c, "describe-organization-config-rule-statuses", key="OrganizationConfigRuleStatuses", **audit)
    run.pages(c, "get-organization-config-rule-detailed-status", "--organization-config-rule-name",
              "s3-versioning", key="OrganizationConfigRuleDetailedStatus", max_items=2, **audit)
    # An organization pack of a second name, so its lists page.
    run.call(c, "put-organization-conformance-pack", "--organization-conformance-pack-name", "second",
             "--template-body", PACK_TEMPLATE, label="put-organization-conformance-pack second", **audit)
    run.advance(30)
    run.pages(c, "describe-organization-conformance-packs", key="OrganizationConformancePacks", **audit)
    run.pages(c, "describe-organization-conformance-pack-statuses", key="OrganizationConformancePackStatuses",
              **audit)

    # The packs as a member account sees them.
    workload = {"account": ids["workload"]}
    run.call(c, "put-conformance-pack", "--conformance-pack-name", "local", "--template-body", PACK_TEMPLATE,
             **workload)
    run.advance(5)
    packs = run.pages(c, "describe-conformance-packs", key="ConformancePackDetails", **workload)
    ids["pack-names"] = [p["ConformancePackName"] for p in packs["ConformancePackDetails"]]
    run.pages(c, "describe-conformance-pack-status", key="ConformancePackStatusDetails", **workload)
    # No paginator for it in v2's model: one call.
    rules = run.call(c, "describe-conformance-pack-compliance", "--conformance-pack-name", "local",
                     **workload)["ConformancePackRuleComplianceList"]
    # A pack's rules carry a suffix of the pack's own (conformance-pack-xxxx).
    for index, rule in enumerate(sorted(rule["ConfigRuleName"] for rule in rules)):
        ids[f"pack-rule-{index}"] = rule
    run.pages(c, "get-conformance-pack-compliance-summary", "--conformance-pack-names", "local",
              *[name for name in ids["pack-names"] if name != "local"][:1],
              key="ConformancePackComplianceSummaryList", **workload)
    run.call(c, "get-conformance-pack-compliance-details", "--conformance-pack-name", "local",
             "--filters", "ConfigRuleNames=" + ids["pack-rule-0"], **workload)
    run.call(c, "list-conformance-pack-compliance-scores", **workload)
    run.call(c, "describe-aggregate-compliance-by-conformance-packs", "--configuration-aggregator-name",
             "organization", **audit)
    run.call(c, "get-aggregate-conformance-pack-compliance-summary", "--configuration-aggregator-name",
             "organization", "--group-by-key", "ACCOUNT_ID", **audit)
    run.call(c, "delete-conformance-pack", "--conformance-pack-name", "local", **workload)

    # Tags on the aggregator (a paginated ListTagsForResource).
    run.call(c, "tag-resource", "--resource-arn", ids["aggregator-arn"], "--tags", "Key=Env,Value=prod",
             "Key=Owner,Value=security", **audit)
    run.call(c, "untag-resource", "--resource-arn", ids["aggregator-arn"], "--tag-keys", "Owner", **audit)
    run.pages(c, "list-tags-for-resource", "--resource-arn", ids["aggregator-arn"], key="Tags", **audit)

    run.call(c, "delete-organization-config-rule", "--organization-config-rule-name", "root-mfa", **audit)
    run.call(c, "delete-organization-conformance-pack", "--organization-conformance-pack-name", "second",
             **audit)
    run.call(c, "delete-configuration-aggregator", "--configuration-aggregator-name", "external", **audit)
    run.fail(c, "describe-configuration-aggregators", "--configuration-aggregator-names", "missing",
             code="NoSuchConfigurationAggregatorException", **audit)


def securityhub(run):
    h = "securityhub"
    ids = run.ids
    audit = {"account": ids["audit"]}
    run.call(h, "enable-security-hub", "--no-enable-default-standards")
    run.call(h, "enable-organization-admin-account", "--admin-account-id", ids["audit"])
    run.call(h, "list-organization-admin-accounts")
    run.call(h, "describe-hub", **audit)
    run.call(h, "update-security-hub-configuration", "--control-finding-generator", "SECURITY_CONTROL",
             "--auto-enable-controls", **audit)
    created = run.call(h, "create-finding-aggregator", "--region-linking-mode", "SPECIFIED_REGIONS",
                       "--regions", LINKED, **audit)
    ids["finding-aggregator"] = created["FindingAggregatorArn"]
    run.call(h, "get-finding-aggregator", "--finding-aggregator-arn", ids["finding-aggregator"], **audit)
    run.call(h, "update-finding-aggregator", "--finding-aggregator-arn", ids["finding-aggregator"],
             "--region-linking-mode", "SPECIFIED_REGIONS", "--regions", LINKED, "eu-west-1", **audit)
    run.call(h, "list-finding-aggregators", **audit)
    run.call(h, "update-organization-configuration", "--no-auto-enable", "--auto-enable-standards", "NONE",
             "--organization-configuration", "ConfigurationType=CENTRAL", **audit)
    run.advance(5)
    configuration = run.call(h, "describe-organization-configuration", **audit)
    central = configuration["OrganizationConfiguration"]
    if (central["ConfigurationType"], central["Status"]) != ("CENTRAL", "ENABLED"):
        raise CliError(f"{run.name}: central configuration {configuration}")

    # Standards and controls.
    run.pages(h, "describe-standards", key="Standards", max_items=3, **audit)
    run.call(h, "batch-enable-standards", "--standards-subscription-requests",
             f"StandardsArn={FSBP}", f"StandardsArn={CIS14}", **audit)
    run.advance(5)
    subscriptions = run.pages(h, "get-enabled-standards", key="StandardsSubscriptions", **audit)[
        "StandardsSubscriptions"]
    cis = next(s["StandardsSubscriptionArn"] for s in subscriptions if s["StandardsArn"] == CIS14)
    run.call(h, "describe-standards-controls", "--standards-subscription-arn", cis, "--max-items", "3",
             **audit)
    run.call(h, "batch-disable-standards", "--standards-subscription-arns", cis, **audit)
    run.call(h, "list-security-control-definitions", "--standards-arn", FSBP, "--max-items", "3", **audit)
    run.call(h, "get-security-control-definition", "--security-control-id", "IAM.1", **audit)

    # Members.
    run.call(h, "create-members", "--account-details", f"AccountId={ids['workload']}",
             f"AccountId={ids['log-archive']}", **audit)
    run.pages(h, "list-members", key="Members", **audit)
    run.call(h, "get-members", "--account-ids", ids["workload"], ids["log-archive"], **audit)

    # Central configuration: policies, associations with the root, OUs and accounts.
    policy = {"SecurityHub": {"ServiceEnabled": True, "EnabledStandardIdentifiers": [FSBP],
                              "SecurityControlsConfiguration": {"DisabledSecurityControlIdentifiers": ["IAM.1"]}}}
    created = run.call(h, "create-configuration-policy", "--name", "baseline", "--description", "the baseline",
                       "--configuration-policy", json.dumps(policy), "--tags", "Env=prod", **audit)
    ids["policy"], ids["policy-arn"] = created["Id"], created["Arn"]
    ids["policy-off"] = run.call(h, "create-configuration-policy", "--name", "off", "--configuration-policy",
                                 json.dumps({"SecurityHub": {"ServiceEnabled": False}}), **audit)["Id"]
    # Round trip: get's output, with a new description, is update's --cli-input-json.
    got = run.call(h, "get-configuration-policy", "--identifier", ids["policy"], **audit)
    updated = run.call(h, "update-configuration-policy", "--cli-input-json", run.file("policy.json", {
        "Identifier": got["Id"], "Name": got["Name"], "Description": "the baseline, reviewed",
        "ConfigurationPolicy": got["ConfigurationPolicy"]}), **audit)
    if updated["ConfigurationPolicy"] != got["ConfigurationPolicy"]:
        raise CliError(f"{run.name}: update-configuration-policy round trip: {updated} vs {got}")
    run.pages(h, "list-configuration-policies", key="ConfigurationPolicySummaries", **audit)
    # A --generate-cli-skeleton, filled in, is the input of the association.
    skeleton = run.call(h, "start-configuration-policy-association", "--generate-cli-skeleton", "input",
                        record=False, **audit)
    if set(skeleton) != {"ConfigurationPolicyIdentifier", "Target"}:
        raise CliError(f"{run.name}: skeleton {skeleton}")
    skeleton["ConfigurationPolicyIdentifier"] = ids["policy"]
    skeleton["Target"] = {"OrganizationalUnitId": ids["ou-Workloads"]}
    run.call(h, "start-configuration-policy-association", "--cli-input-json", run.file("association.json", skeleton),
             **audit)
    run.call(h, "start-configuration-policy-association", "--configuration-policy-identifier",
             ids["policy-off"], "--target", f"AccountId={ids['log-archive']}", **audit)
    run.call(h, "start-configuration-policy-association", "--configuration-policy-identifier",
             "SELF_MANAGED_SECURITY_HUB", "--target", f"RootId={ids['root']}", **audit)
    run.advance(10)
    association = run.call(h, "get-configuration-policy-association", "--target",
                           f"AccountId={ids['workload']}", **audit)
    if association["AssociationStatus"] != "SUCCESS":
        raise CliError(f"{run.name}: association {association}")
    run.call(h, "batch-get-configuration-policy-associations", "--configuration-policy-association-identifiers",
             json.dumps([{"Target": {"AccountId": ids["workload"]}},
                         {"Target": {"OrganizationalUnitId": ids["ou-Production"]}}]), **audit)
    run.pages(h, "list-configuration-policy-associations", key="ConfigurationPolicyAssociationSummaries",
              max_items=2, **audit)
    run.call(h, "start-configuration-policy-disassociation", "--configuration-policy-identifier",
             ids["policy-off"], "--target", f"AccountId={ids['log-archive']}", **audit)
    run.advance(10)
    run.call(h, "delete-configuration-policy", "--identifier", ids["policy-off"], **audit)

    # Tags.
    run.call(h, "tag-resource", "--resource-arn", ids["policy-arn"], "--tags", "Owner=security,Tier=1", **audit)
    run.call(h, "untag-resource", "--resource-arn", ids["policy-arn"], "--tag-keys", "Tier", **audit)
    run.call(h, "list-tags-for-resource", "--resource-arn", ids["policy-arn"], **audit)

    run.fail(h, "get-configuration-policy", "--identifier", "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
             code="ResourceNotFoundException", **audit)
    # Central configuration stops once its policies are gone; then the administrator can go.
    run.call(h, "start-configuration-policy-disassociation", "--configuration-policy-identifier", ids["policy"],
             "--target", f"OrganizationalUnitId={ids['ou-Workloads']}",
             label="start-configuration-policy-disassociation baseline", **audit)
    run.call(h, "start-configuration-policy-disassociation", "--configuration-policy-identifier",
             "SELF_MANAGED_SECURITY_HUB", "--target", f"RootId={ids['root']}",
             label="start-configuration-policy-disassociation self-managed", **audit)
    run.advance(10)
    run.call(h, "delete-configuration-policy", "--identifier", ids["policy"],
             label="delete-configuration-policy baseline", **audit)
    run.call(h, "update-organization-configuration", "--no-auto-enable", "--organization-configuration",
             "ConfigurationType=LOCAL", label="update-organization-configuration LOCAL", **audit)
    run.advance(5)
    run.call(h, "disable-organization-admin-account", "--admin-account-id", ids["audit"])
    # A standalone account: central configuration keeps the audit account's finding
    # aggregator (its Region is the home Region) for as long as it lasts.
    run.call(h, "enable-security-hub", account=EXTERNAL, label="enable-security-hub (standalone)")
    standalone = run.call(h, "create-finding-aggregator", "--region-linking-mode", "ALL_REGIONS",
                          account=EXTERNAL, label="create-finding-aggregator (standalone)")
    run.call(h, "delete-finding-aggregator", "--finding-aggregator-arn", standalone["FindingAggregatorArn"],
             account=EXTERNAL)
    run.call(h, "disable-security-hub", account=EXTERNAL)


def sts(run):
    identity = run.call("sts", "get-caller-identity", account=run.ids["audit"])
    if identity["Account"] != run.ids["audit"]:
        raise CliError(f"{run.name}: get-caller-identity {identity}")
    run.call("sts", "get-caller-identity", label="get-caller-identity management")
    run.fail("organizations", "describe-organization", code="AWSOrganizationsNotInUseException",
             account=EXTERNAL)
    run.fail("sts", "get-caller-identity", "--no-sign-request", code="MissingAuthenticationTokenException")


def scenario(run):
    organizations(run)
    sts(run)
    ssm(run)
    config(run)
    securityhub(run)


# --- comparison

def normalize(output, ids, operation_model_shape, model):
    """output with generated values named, timestamps and request ids blanked, lists sorted
    (the order of ids differs between the two cairns), cut down to v2's model."""
    if operation_model_shape and model:
        output = prune(output, operation_model_shape, model)
    names = sorted(((value, name) for name, value in ids.items() if isinstance(value, str) and len(value) > 3),
                   key=lambda pair: -len(pair[0]))

    def walk(value):
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            items = [walk(item) for item in value]
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
        if isinstance(value, str):
            if ISO.match(value):
                return "<time>"
            for text, name in names:
                value = value.replace(text, f"<{name}>")
            value = re.sub(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "<uuid>", value)
            value = re.sub(r"\b(o|ou|r|car|act|mi)-[0-9a-z-]{6,}\b", r"<\1-id>", value)
            # Config's generated suffixes (names of packs deployed by an organization pack,
            # pack ids, organization rule ARNs, the packs' CloudFormation stacks).
            for pattern in (r"(OrgConformsPack-[A-Za-z0-9-]+?-)[a-z0-9]{8}\b", r"(conformance-pack-)[a-z0-9]{9}\b",
                            r"((?:organization-config-rule|organization-conformance-pack)/[A-Za-z0-9_-]+?-)[a-z0-9]{8}\b",
                            r"(OrgConfigRule-[A-Za-z0-9_-]+?-)[a-z0-9]{8}\b",
                            r"(awsconfigconforms-[A-Za-z0-9<>-]+?-)[a-z0-9]{9}\b",
                            r"(config-aggregator-)[a-z0-9]{8}\b"):
                value = re.sub(pattern, r"\1<id>", value)
            return value
        return value
    return walk(output)


@unittest.skipUnless((V1 and V2) or REQUIRE, "AWS CLI v1 (aws) or v2 (/usr/bin/aws) is not installed")
class AwsCliTest(unittest.TestCase):
    """The whole scenario through v1 and v2 at once (one cairn each), then the comparison."""

    @classmethod
    def setUpClass(cls):
        load_operations()
        cls.workdir = tempfile.mkdtemp(prefix="cairn-cli-")
        # v2's model set, and for the operations it lacks, the machine's botocore models.
        cls.v2_models = {service: v2_model(service) for service in CLI_SERVICE.values()}
        overlay = os.path.join(cls.workdir, "models")
        session = botocore.session.get_session()
        loader = session.get_component("data_loader")
        for service in CLI_SERVICE.values():
            version = loader.determine_latest_version(service, "service-2")
            folder = os.path.join(overlay, service, version)
            os.makedirs(folder)
            for kind in ("service-2", "paginators-1"):
                with open(os.path.join(folder, kind + ".json"), "w") as stream:
                    json.dump(loader.load_service_model(service, kind), stream)
        runs = []
        only = os.environ.get("CAIRN_CLI_ONLY")  # v1 or v2: run one CLI only (debugging)
        for name, program, extra in (("v1", V1, {}), ("v2", V2, {"overlay": overlay, "own_models": cls.v2_models})):
            if only and name != only:
                continue
            folder = os.path.join(cls.workdir, name)
            os.makedirs(folder)
            runs.append(Run(name, program, folder, **extra))
        cls.runs = {run.name: run for run in runs}
        cls.v1, cls.v2 = cls.runs.get("v1"), cls.runs.get("v2")
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            futures = {run.name: pool.submit(scenario, run) for run in runs}
            cls.errors = {name: future.exception() for name, future in futures.items()}
        cls.wall = time.monotonic() - started

    @classmethod
    def tearDownClass(cls):
        for run in cls.runs.values():
            run.stop()
        shutil.rmtree(cls.workdir, ignore_errors=True)
        print(f"\nAWS CLI scenario: {cls.wall:.1f} s wall; " + "; ".join(
            f"{run.name} {run.invocations} invocations ({run.seconds:.1f} s)" for run in cls.runs.values()))
        if cls.v2:
            print(f"v2 ran {len(cls.v2.overlaid)} operations with botocore's newer model: "
                  f"{', '.join(sorted(op for _, op in cls.v2.overlaid))}")

    def check_run(self, run):
        if run is None:
            self.skipTest("CAIRN_CLI_ONLY")
        if self.errors[run.name]:
            raise self.errors[run.name]

    def test_v1_runs_the_scenario(self):
        self.check_run(self.v1)

    def test_v2_runs_the_scenario(self):
        self.check_run(self.v2)

    def test_every_operation_in_scope_answers_both_clis(self):
        # The repo's models hold exactly the operations in scope (131, and STS's one).
        catalog = set()
        for service in CLI_SERVICE.values():
            catalog.update((service, name) for name in load_model(model_path(service))["operations"])
        self.assertEqual(len(catalog), 132)
        for run in self.runs.values():
            with self.subTest(cli=run.name):
                self.assertEqual(sorted(catalog - run.called), [], f"{run.name} never ran these successfully")

    def test_v1_and_v2_print_the_same(self):
        if len(self.runs) < 2:
            self.skipTest("CAIRN_CLI_ONLY")
        self.assertEqual([r[0] for r in self.v1.records][:len(self.v2.records)],
                         [r[0] for r in self.v2.records][:len(self.v1.records)])
        differences = []
        for (label, service, operation, first, _), (_, _, _, second, overlaid) in zip(
                self.v1.records, self.v2.records):
            # v2's own model knows fewer output members than v1's: v1's output is cut down
            # to them, unless v2 ran that call with the overlay (v1's model).
            model = None if overlaid else self.v2_models.get(service)
            shape = None
            if model and operation in model["operations"] and "stderr" not in first:
                shape = model["operations"][operation].get("output", {}).get("shape")
            else:
                model = None
            one = normalize(first, self.v1.ids, shape, model)
            two = normalize(second, self.v2.ids, shape, model)
            if one != two:
                differences.append(f"{label}:\n  v1 {json.dumps(one, sort_keys=True)}\n"
                                   f"  v2 {json.dumps(two, sort_keys=True)}")
        self.assertEqual(differences, [], "\n".join(differences))


if __name__ == "__main__":
    unittest.main()
