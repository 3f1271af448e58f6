"""A full listing of cairn's state through the public AWS APIs, for tests that must show that
something changed nothing (bad input) or lost nothing (soak).

listing(cairn, accounts, regions) walks every List/Describe operation of every service as each
account, following every page, and returns one plain dict; two listings compare with ==. An
operation the account may not call is recorded as its error code, so that a change of access
(an organization deleted, a hub disabled) shows up too.
"""
import botocore.exceptions

from harness import MANAGEMENT


def _pages(call, token_in, token_out, items_key, **kwargs):
    """Every item of a paginated operation, in order."""
    items = []
    token = None
    while True:
        response = call(**kwargs, **({token_in: token} if token else {}))
        items.extend(response.get(items_key, []))
        token = response.get(token_out)
        if not token:
            return items


def _record(out, key, call):
    try:
        value = call()
    except botocore.exceptions.ClientError as error:
        value = {"error": error.response["Error"]["Code"]}
    if isinstance(value, dict):
        value = {name: item for name, item in value.items() if name != "ResponseMetadata"}
    out[key] = value


def _organizations(cairn, out):
    org = cairn.client("organizations", MANAGEMENT)
    _record(out, "organization", lambda: org.describe_organization()["Organization"])
    _record(out, "accounts", lambda: _pages(org.list_accounts, "NextToken", "NextToken",
                                             "Accounts"))
    _record(out, "roots", lambda: _pages(org.list_roots, "NextToken", "NextToken", "Roots"))

    def tree():
        nodes = {}
        pending = [root["Id"] for root in org.list_roots()["Roots"]]
        while pending:
            parent = pending.pop()
            ous = _pages(org.list_organizational_units_for_parent, "NextToken", "NextToken",
                         "OrganizationalUnits", ParentId=parent)
            accounts = _pages(org.list_accounts_for_parent, "NextToken", "NextToken",
                              "Accounts", ParentId=parent)
            nodes[parent] = {"ous": ous, "accounts": sorted(a["Id"] for a in accounts)}
            pending.extend(ou["Id"] for ou in ous)
        return nodes

    _record(out, "tree", tree)
    _record(out, "service_access", lambda: _pages(
        org.list_aws_service_access_for_organization, "NextToken", "NextToken",
        "EnabledServicePrincipals"))
    _record(out, "delegated_admins", lambda: _pages(
        org.list_delegated_administrators, "NextToken", "NextToken", "DelegatedAdministrators"))


def _ssm(cairn, account, region, out):
    ssm = cairn.client("ssm", account, region)
    _record(out, "documents", lambda: _pages(
        ssm.list_documents, "NextToken", "NextToken", "DocumentIdentifiers",
        Filters=[{"Key": "Owner", "Values": ["Self"]}]))
    _record(out, "associations", lambda: _pages(ssm.list_associations, "NextToken", "NextToken",
                                                "Associations"))
    _record(out, "nodes", lambda: _pages(ssm.describe_instance_information, "NextToken",
                                         "NextToken", "InstanceInformationList"))


def _config(cairn, account, region, out):
    config = cairn.client("config", account, region)
    _record(out, "aggregators", lambda: _pages(
        config.describe_configuration_aggregators, "NextToken", "NextToken",
        "ConfigurationAggregators"))
    _record(out, "authorizations", lambda: _pages(
        config.describe_aggregation_authorizations, "NextToken", "NextToken",
        "AggregationAuthorizations"))
    _record(out, "pending_requests", lambda: _pages(
        config.describe_pending_aggregation_requests, "NextToken", "NextToken",
        "PendingAggregationRequests"))
    _record(out, "conformance_packs", lambda: _pages(
        config.describe_conformance_packs, "NextToken", "NextToken",
        "ConformancePackDetails"))
    _record(out, "org_conformance_packs", lambda: _pages(
        config.describe_organization_conformance_packs, "NextToken", "NextToken",
        "OrganizationConformancePacks"))
    _record(out, "org_config_rules", lambda: _pages(
        config.describe_organization_config_rules, "NextToken", "NextToken",
        "OrganizationConfigRules"))


def _securityhub(cairn, account, region, out):
    hub = cairn.client("securityhub", account, region)
    _record(out, "hub", lambda: hub.describe_hub())
    _record(out, "policies", lambda: _pages(
        hub.list_configuration_policies, "NextToken", "NextToken",
        "ConfigurationPolicySummaries"))
    _record(out, "aggregators", lambda: _pages(
        hub.list_finding_aggregators, "NextToken", "NextToken", "FindingAggregators"))
    _record(out, "members", lambda: _pages(hub.list_members, "NextToken", "NextToken",
                                           "Members", OnlyAssociated=False))
    _record(out, "standards", lambda: _pages(hub.get_enabled_standards, "NextToken",
                                             "NextToken", "StandardsSubscriptions"))
    _record(out, "org_admins", lambda: _pages(hub.list_organization_admin_accounts,
                                              "NextToken", "NextToken", "AdminAccounts"))
    _record(out, "org_configuration", lambda: hub.describe_organization_configuration())


def listing(cairn, accounts, regions=("us-east-1",)):
    """Everything every account can list, per service; plain data, comparable with ==."""
    state = {"organizations": {}}
    _organizations(cairn, state["organizations"])
    for account in accounts:
        for region in regions:
            scope = state.setdefault(f"{account}/{region}", {})
            for name, walk in (("ssm", _ssm), ("config", _config),
                               ("securityhub", _securityhub)):
                scope[name] = {}
                walk(cairn, account, region, scope[name])
    return state
