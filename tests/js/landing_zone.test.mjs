// End-to-end: the AWS SDK for JavaScript v3 builds a landing zone against cairn, step by step
// (the steps share one cairn and run in order): an organization with OUs and accounts
// (CreateAccount's lifecycle moved by the virtual clock), trusted access and delegated
// administrators; an AWS Config organization aggregator, organization conformance pack and
// their statuses; Security Hub's administrator, CENTRAL configuration, configuration policies
// and associations (paged with the SDK's paginator); SSM documents and associations as a
// workload account; STS GetCallerIdentity; and error paths (the SDK's error name, HTTP status
// and message). The SDK parses responses strictly (timestamps, numbers, required members), so
// a response it cannot parse fails the step.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import {
  OrganizationsClient, CreateOrganizationCommand, DescribeOrganizationCommand, ListRootsCommand,
  CreateOrganizationalUnitCommand, DescribeOrganizationalUnitCommand, ListOrganizationalUnitsForParentCommand,
  CreateAccountCommand, DescribeCreateAccountStatusCommand, ListCreateAccountStatusCommand, ListAccountsCommand,
  DescribeAccountCommand, MoveAccountCommand, ListParentsCommand, ListChildrenCommand,
  EnableAWSServiceAccessCommand, ListAWSServiceAccessForOrganizationCommand,
  RegisterDelegatedAdministratorCommand, ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand, ListTagsForResourceCommand as ListOrgTagsCommand,
  paginateListAccounts, AWSOrganizationsNotInUseException, DuplicateOrganizationalUnitException,
} from "@aws-sdk/client-organizations";
import {
  ConfigServiceClient, PutConfigurationAggregatorCommand, DescribeConfigurationAggregatorsCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand, PutOrganizationConformancePackCommand,
  DescribeOrganizationConformancePacksCommand, DescribeOrganizationConformancePackStatusesCommand,
  GetOrganizationConformancePackDetailedStatusCommand, DescribeConformancePacksCommand,
  DescribeConformancePackStatusCommand, PutOrganizationConfigRuleCommand, DescribeOrganizationConfigRuleStatusesCommand,
  PutAggregationAuthorizationCommand, DescribeAggregationAuthorizationsCommand,
  ListTagsForResourceCommand as ListConfigTagsCommand, NoSuchConfigurationAggregatorException,
} from "@aws-sdk/client-config-service";
import {
  SecurityHubClient, EnableSecurityHubCommand, DescribeHubCommand, EnableOrganizationAdminAccountCommand,
  ListOrganizationAdminAccountsCommand, CreateFindingAggregatorCommand, UpdateOrganizationConfigurationCommand,
  DescribeOrganizationConfigurationCommand, CreateConfigurationPolicyCommand, GetConfigurationPolicyCommand,
  ListConfigurationPoliciesCommand, StartConfigurationPolicyAssociationCommand,
  GetConfigurationPolicyAssociationCommand, BatchGetConfigurationPolicyAssociationsCommand,
  paginateListConfigurationPolicyAssociations, GetEnabledStandardsCommand, BatchEnableStandardsCommand,
  DescribeStandardsCommand, GetSecurityControlDefinitionCommand, ListTagsForResourceCommand as ListHubTagsCommand,
  ResourceNotFoundException, InvalidInputException,
} from "@aws-sdk/client-securityhub";
import {
  SSMClient, CreateDocumentCommand, DescribeDocumentCommand, GetDocumentCommand, ListDocumentsCommand,
  UpdateDocumentCommand, ListDocumentVersionsCommand, CreateAssociationCommand, DescribeAssociationCommand,
  UpdateAssociationCommand, ListAssociationsCommand, ListAssociationVersionsCommand,
  DescribeAssociationExecutionsCommand, DescribeAssociationExecutionTargetsCommand,
  DescribeInstanceInformationCommand, DescribeInstanceAssociationsStatusCommand, StartAssociationsOnceCommand,
  PutComplianceItemsCommand, ListComplianceSummariesCommand, ListResourceComplianceSummariesCommand,
  paginateListAssociations, InvalidDocument, AssociationDoesNotExist,
} from "@aws-sdk/client-ssm";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";

import { Cairn, MANAGEMENT, REGION } from "./cairn.mjs";

const LINKED = "us-west-2";
const OUTSIDER = "999999999999";
const FSBP = `arn:aws:securityhub:${REGION}::standards/aws-foundational-security-best-practices/v/1.0.0`;
const PACK = `Resources:
  IAMPasswordPolicy:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: iam-password-policy
      Source:
        Owner: AWS
        SourceIdentifier: IAM_PASSWORD_POLICY
`;
const DOCUMENT = (description) => JSON.stringify({
  schemaVersion: "2.2", description,
  parameters: { message: { type: "String", description: "What to say", default: "hello" } },
  mainSteps: [{ action: "aws:runShellScript", name: "say", inputs: { runCommand: ["echo {{ message }}"] } }],
});

// A Date the SDK parsed from the wire, close to cairn's clock (virtual: started at wall time).
function assertDate(value, what) {
  assert.ok(value instanceof Date, `${what} is a Date, not ${typeof value} ${value}`);
  assert.ok(!Number.isNaN(value.getTime()), `${what} is a valid date`);
  assert.ok(Math.abs(value.getTime() - Date.now()) < 7 * 24 * 3600 * 1000, `${what} ${value.toISOString()} is near now`);
}

// Runs call(), which must reject with the SDK error `name` (an instance of ErrorClass when
// given), HTTP status and, when given, message; returns the error.
async function assertError(call, { name, status, message, ErrorClass }) {
  let error;
  try {
    await call();
  } catch (caught) {
    error = caught;
  }
  assert.ok(error, `expected ${name}`);
  assert.equal(error.name, name, `${error.name}: ${error.message}`);
  if (ErrorClass) assert.ok(error instanceof ErrorClass, `${error.name} is an instance of ${ErrorClass.name}`);
  assert.equal(error.$metadata.httpStatusCode, status);
  assert.ok(error.$metadata.requestId, "the error carries x-amzn-RequestId");
  if (message !== undefined) assert.equal(error.message, message);
  assert.equal(error.$fault, status >= 500 ? "server" : "client");
  return error;
}

describe("AWS SDK for JavaScript v3 against cairn: a landing zone", { concurrency: false }, () => {
  let cairn;
  const ids = {};
  const clients = {};
  const client = (Class, account = MANAGEMENT, region = REGION) => {
    const key = `${Class.name}/${account}/${region}`;
    clients[key] ??= cairn.client(Class, account, region);
    return clients[key];
  };
  const org = () => client(OrganizationsClient);

  before(async () => { cairn = await Cairn.start(); });
  after(async () => {
    for (const each of Object.values(clients)) each.destroy();
    if (cairn) assert.equal(await cairn.stop(), 0, "cairn exits 0 on SIGTERM");
  });

  test("organization, OUs and the root", async () => {
    const { Organization } = await org().send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    assert.match(Organization.Id, /^o-[a-z0-9]{10,32}$/);
    assert.equal(Organization.MasterAccountId, MANAGEMENT);
    const described = await org().send(new DescribeOrganizationCommand({}));
    assert.deepEqual(described.Organization, Organization);
    const { Roots } = await org().send(new ListRootsCommand({}));
    assert.equal(Roots.length, 1);
    ids.root = Roots[0].Id;
    for (const name of ["Security", "Workloads"]) {
      const { OrganizationalUnit } = await org().send(new CreateOrganizationalUnitCommand({
        ParentId: ids.root, Name: name, Tags: [{ Key: "Layer", Value: name.toLowerCase() }] }));
      ids[name] = OrganizationalUnit.Id;
      assert.match(OrganizationalUnit.Arn, new RegExp(`:ou/${Organization.Id}/${OrganizationalUnit.Id}$`));
    }
    const { OrganizationalUnit } = await org().send(new DescribeOrganizationalUnitCommand({
      OrganizationalUnitId: ids.Security }));
    assert.equal(OrganizationalUnit.Name, "Security");
    const units = await org().send(new ListOrganizationalUnitsForParentCommand({ ParentId: ids.root }));
    assert.deepEqual(units.OrganizationalUnits.map((u) => u.Name).sort(), ["Security", "Workloads"]);
    await assertError(() => org().send(new CreateOrganizationalUnitCommand({ ParentId: ids.root, Name: "Security" })),
                      { name: "DuplicateOrganizationalUnitException", status: 400,
                        ErrorClass: DuplicateOrganizationalUnitException });
  });

  test("accounts: CreateAccount is IN_PROGRESS until the clock moves", async () => {
    const requests = {};
    for (const name of ["audit", "log-archive", "workload"]) {
      const { CreateAccountStatus } = await org().send(new CreateAccountCommand({
        Email: `${name}@example.com`, AccountName: name, Tags: [{ Key: "Role", Value: name }] }));
      assert.equal(CreateAccountStatus.State, "IN_PROGRESS");
      assert.match(CreateAccountStatus.Id, /^car-[a-z0-9]{8,32}$/);
      assertDate(CreateAccountStatus.RequestedTimestamp, "RequestedTimestamp");
      requests[name] = CreateAccountStatus.Id;
    }
    await cairn.advance(10);
    for (const [name, request] of Object.entries(requests)) {
      const { CreateAccountStatus } = await org().send(new DescribeCreateAccountStatusCommand({
        CreateAccountRequestId: request }));
      assert.equal(CreateAccountStatus.State, "SUCCEEDED");
      assertDate(CreateAccountStatus.CompletedTimestamp, "CompletedTimestamp");
      assert.match(CreateAccountStatus.AccountId, /^\d{12}$/);
      ids[name] = CreateAccountStatus.AccountId;
    }
    const statuses = await org().send(new ListCreateAccountStatusCommand({ States: ["SUCCEEDED"] }));
    assert.equal(statuses.CreateAccountStatuses.length, 3);
    const { Account } = await org().send(new DescribeAccountCommand({ AccountId: ids.audit }));
    assert.equal(Account.Name, "audit");
    assert.equal(Account.Status, "ACTIVE");
    assertDate(Account.JoinedTimestamp, "JoinedTimestamp");
    // The SDK's paginator over ListAccounts, one account a page.
    const seen = [];
    for await (const page of paginateListAccounts({ client: org(), pageSize: 1 }, {})) {
      assert.ok(page.Accounts.length <= 1);
      seen.push(...page.Accounts.map((a) => a.Id));
    }
    assert.deepEqual(seen.sort(), [MANAGEMENT, ids.audit, ids["log-archive"], ids.workload].sort());
    const listed = await org().send(new ListAccountsCommand({}));
    assert.equal(listed.Accounts.length, 4);
  });

  test("OUs hold the accounts; trusted access and delegated administrators", async () => {
    for (const [name, unit] of [["audit", "Security"], ["log-archive", "Security"], ["workload", "Workloads"]]) {
      await org().send(new MoveAccountCommand({ AccountId: ids[name], SourceParentId: ids.root,
                                                DestinationParentId: ids[unit] }));
    }
    const { Parents } = await org().send(new ListParentsCommand({ ChildId: ids.workload }));
    assert.deepEqual(Parents, [{ Id: ids.Workloads, Type: "ORGANIZATIONAL_UNIT" }]);
    const { Children } = await org().send(new ListChildrenCommand({ ParentId: ids.Security, ChildType: "ACCOUNT" }));
    assert.deepEqual(Children.map((c) => c.Id).sort(), [ids.audit, ids["log-archive"]].sort());
    for (const principal of ["config.amazonaws.com", "config-multiaccountsetup.amazonaws.com",
                             "securityhub.amazonaws.com"]) {
      await org().send(new EnableAWSServiceAccessCommand({ ServicePrincipal: principal }));
      await org().send(new RegisterDelegatedAdministratorCommand({ AccountId: ids.audit, ServicePrincipal: principal }));
    }
    const access = await org().send(new ListAWSServiceAccessForOrganizationCommand({}));
    assert.equal(access.EnabledServicePrincipals.length, 3);
    access.EnabledServicePrincipals.forEach((p) => assertDate(p.DateEnabled, "DateEnabled"));
    const { DelegatedAdministrators } = await org().send(new ListDelegatedAdministratorsCommand({}));
    assert.deepEqual(DelegatedAdministrators.map((a) => a.Id), [ids.audit]);
    assertDate(DelegatedAdministrators[0].DelegationEnabledDate, "DelegationEnabledDate");
    const services = await org().send(new ListDelegatedServicesForAccountCommand({ AccountId: ids.audit }));
    assert.equal(services.DelegatedServices.length, 3);
    const tags = await org().send(new ListOrgTagsCommand({ ResourceId: ids.workload }));
    assert.deepEqual(tags.Tags, [{ Key: "Role", Value: "workload" }]);
  });

  test("Config: organization aggregator, conformance pack and their statuses", async () => {
    const config = client(ConfigServiceClient, ids.audit);
    const role = `arn:aws:iam::${ids.audit}:role/ConfigAggregator`;
    const { ConfigurationAggregator } = await config.send(new PutConfigurationAggregatorCommand({
      ConfigurationAggregatorName: "organization",
      OrganizationAggregationSource: { RoleArn: role, AllAwsRegions: true },
      Tags: [{ Key: "Purpose", Value: "compliance" }] }));
    assertDate(ConfigurationAggregator.CreationTime, "CreationTime");
    assert.deepEqual(ConfigurationAggregator.OrganizationAggregationSource, { RoleArn: role, AllAwsRegions: true });
    const described = await config.send(new DescribeConfigurationAggregatorsCommand({}));
    assert.deepEqual(described.ConfigurationAggregators, [ConfigurationAggregator]);
    const tags = await config.send(new ListConfigTagsCommand({ ResourceArn: ConfigurationAggregator.ConfigurationAggregatorArn }));
    assert.deepEqual(tags.Tags, [{ Key: "Purpose", Value: "compliance" }]);
    await config.send(new PutOrganizationConformancePackCommand({
      OrganizationConformancePackName: "baseline", TemplateBody: PACK, ExcludedAccounts: [ids["log-archive"]] }));
    await config.send(new PutOrganizationConfigRuleCommand({
      OrganizationConfigRuleName: "root-mfa",
      OrganizationManagedRuleMetadata: { RuleIdentifier: "ROOT_ACCOUNT_MFA_ENABLED" } }));
    await cairn.advance(30);
    const sources = await config.send(new DescribeConfigurationAggregatorSourcesStatusCommand({
      ConfigurationAggregatorName: "organization" }));
    for (const source of sources.AggregatedSourceStatusList) {
      assert.equal(source.SourceType, "ORGANIZATION");
      if (source.LastUpdateTime !== undefined) assertDate(source.LastUpdateTime, "LastUpdateTime");
    }
    const packs = await config.send(new DescribeOrganizationConformancePacksCommand({}));
    assert.equal(packs.OrganizationConformancePacks[0].OrganizationConformancePackName, "baseline");
    assertDate(packs.OrganizationConformancePacks[0].LastUpdateTime, "LastUpdateTime");
    const { OrganizationConformancePackStatuses } = await config.send(
      new DescribeOrganizationConformancePackStatusesCommand({}));
    assert.equal(OrganizationConformancePackStatuses[0].Status, "CREATE_SUCCESSFUL");
    const detailed = await config.send(new GetOrganizationConformancePackDetailedStatusCommand({
      OrganizationConformancePackName: "baseline" }));
    // Every member but the excluded log-archive, and the management account.
    assert.deepEqual(detailed.OrganizationConformancePackDetailedStatuses.map((s) => s.AccountId).sort(),
                     [MANAGEMENT, ids.audit, ids.workload].sort());
    for (const status of detailed.OrganizationConformancePackDetailedStatuses) {
      assert.equal(status.Status, "CREATE_SUCCESSFUL");
      assertDate(status.LastUpdateTime, "LastUpdateTime");
    }
    const rules = await config.send(new DescribeOrganizationConfigRuleStatusesCommand({}));
    assert.equal(rules.OrganizationConfigRuleStatuses[0].OrganizationRuleStatus, "CREATE_SUCCESSFUL");
    // The pack as the workload account sees it.
    const member = client(ConfigServiceClient, ids.workload);
    const local = await member.send(new DescribeConformancePacksCommand({}));
    assert.equal(local.ConformancePackDetails.length, 1);
    assert.match(local.ConformancePackDetails[0].ConformancePackName, /^OrgConformsPack-baseline-/);
    const status = await member.send(new DescribeConformancePackStatusCommand({}));
    assert.equal(status.ConformancePackStatusDetails[0].ConformancePackState, "CREATE_COMPLETE");
    assertDate(status.ConformancePackStatusDetails[0].LastUpdateRequestedTime, "LastUpdateRequestedTime");
    // An authorization for an account aggregator of the audit account.
    const outsider = client(ConfigServiceClient, OUTSIDER);
    const { AggregationAuthorization } = await outsider.send(new PutAggregationAuthorizationCommand({
      AuthorizedAccountId: ids.audit, AuthorizedAwsRegion: REGION }));
    assertDate(AggregationAuthorization.CreationTime, "CreationTime");
    const authorizations = await outsider.send(new DescribeAggregationAuthorizationsCommand({}));
    assert.deepEqual(authorizations.AggregationAuthorizations, [AggregationAuthorization]);
    await assertError(() => config.send(new DescribeConfigurationAggregatorsCommand({
      ConfigurationAggregatorNames: ["missing"] })), {
      name: "NoSuchConfigurationAggregatorException", status: 400,
      ErrorClass: NoSuchConfigurationAggregatorException });
  });

  test("Security Hub: administrator, CENTRAL configuration, policies and associations", async () => {
    await client(SecurityHubClient).send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    await client(SecurityHubClient).send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ids.audit }));
    const admins = await client(SecurityHubClient).send(new ListOrganizationAdminAccountsCommand({}));
    assert.deepEqual(admins.AdminAccounts, [{ AccountId: ids.audit, Status: "ENABLED" }]);
    const hub = client(SecurityHubClient, ids.audit);
    const described = await hub.send(new DescribeHubCommand({}));
    assert.match(described.HubArn, new RegExp(`^arn:aws:securityhub:${REGION}:${ids.audit}:hub/default$`));
    assert.equal(typeof described.AutoEnableControls, "boolean");
    await hub.send(new CreateFindingAggregatorCommand({ RegionLinkingMode: "SPECIFIED_REGIONS", Regions: [LINKED] }));
    await hub.send(new UpdateOrganizationConfigurationCommand({
      AutoEnable: false, AutoEnableStandards: "NONE", OrganizationConfiguration: { ConfigurationType: "CENTRAL" } }));
    await cairn.advance(5);
    const configuration = await hub.send(new DescribeOrganizationConfigurationCommand({}));
    assert.equal(configuration.OrganizationConfiguration.ConfigurationType, "CENTRAL");
    assert.equal(configuration.OrganizationConfiguration.Status, "ENABLED");
    assert.equal(configuration.AutoEnable, false);

    const standards = await hub.send(new DescribeStandardsCommand({}));
    assert.ok(standards.Standards.some((s) => s.StandardsArn === FSBP));
    const control = await hub.send(new GetSecurityControlDefinitionCommand({ SecurityControlId: "IAM.1" }));
    assert.equal(control.SecurityControlDefinition.SecurityControlId, "IAM.1");

    const policy = { SecurityHub: { ServiceEnabled: true, EnabledStandardIdentifiers: [FSBP],
                                    SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: ["IAM.1"] } } };
    const created = await hub.send(new CreateConfigurationPolicyCommand({
      Name: "baseline", Description: "the baseline", ConfigurationPolicy: policy, Tags: { Env: "prod" } }));
    assertDate(created.CreatedAt, "CreatedAt");
    assertDate(created.UpdatedAt, "UpdatedAt");
    assert.deepEqual(created.ConfigurationPolicy, policy);
    ids.policy = created.Id;
    const got = await hub.send(new GetConfigurationPolicyCommand({ Identifier: created.Id }));
    assert.deepEqual(got, { ...created, $metadata: got.$metadata });
    const off = await hub.send(new CreateConfigurationPolicyCommand({
      Name: "off", ConfigurationPolicy: { SecurityHub: { ServiceEnabled: false } } }));
    const listed = await hub.send(new ListConfigurationPoliciesCommand({}));
    assert.deepEqual(listed.ConfigurationPolicySummaries.map((p) => p.Name).sort(), ["baseline", "off"]);
    const tags = await hub.send(new ListHubTagsCommand({ ResourceArn: created.Arn }));
    assert.deepEqual(tags.Tags, { Env: "prod" });

    const association = await hub.send(new StartConfigurationPolicyAssociationCommand({
      ConfigurationPolicyIdentifier: created.Id, Target: { OrganizationalUnitId: ids.Workloads } }));
    assert.equal(association.AssociationStatus, "PENDING", JSON.stringify(association));
    assertDate(association.UpdatedAt, "UpdatedAt");
    await hub.send(new StartConfigurationPolicyAssociationCommand({
      ConfigurationPolicyIdentifier: off.Id, Target: { AccountId: ids["log-archive"] } }));
    await cairn.advance(10);
    const effective = await hub.send(new GetConfigurationPolicyAssociationCommand({ Target: { AccountId: ids.workload } }));
    assert.equal(effective.ConfigurationPolicyId, created.Id);
    assert.equal(effective.AssociationType, "INHERITED");
    assert.equal(effective.AssociationStatus, "SUCCESS");
    const batch = await hub.send(new BatchGetConfigurationPolicyAssociationsCommand({
      ConfigurationPolicyAssociationIdentifiers: [{ Target: { AccountId: ids.workload } },
                                                  { Target: { AccountId: ids["log-archive"] } }] }));
    assert.deepEqual(batch.ConfigurationPolicyAssociations.map((a) => a.ConfigurationPolicyId).sort(),
                     [created.Id, off.Id].sort());
    // The SDK's paginator, one summary a page, gives what one big page gives.
    const paged = [];
    let pages = 0;
    for await (const page of paginateListConfigurationPolicyAssociations({ client: hub, pageSize: 1 }, {})) {
      pages += 1;
      assert.ok(page.ConfigurationPolicyAssociationSummaries.length <= 1);
      paged.push(...page.ConfigurationPolicyAssociationSummaries);
    }
    assert.ok(paged.length >= 4, `${paged.length} associations`);
    assert.ok(pages >= paged.length);
    paged.forEach((summary) => assertDate(summary.UpdatedAt, "UpdatedAt"));
    const { $metadata, ...whole } = await hub.send(new (await import("@aws-sdk/client-securityhub"))
      .ListConfigurationPolicyAssociationsCommand({ MaxResults: 100 }));
    assert.deepEqual(paged, whole.ConfigurationPolicyAssociationSummaries);

    await hub.send(new BatchEnableStandardsCommand({ StandardsSubscriptionRequests: [{ StandardsArn: FSBP }] }));
    await cairn.advance(5);
    const enabled = await hub.send(new GetEnabledStandardsCommand({}));
    assert.ok(enabled.StandardsSubscriptions.some((s) => s.StandardsArn === FSBP && s.StandardsStatus === "READY"));

    await assertError(() => hub.send(new GetConfigurationPolicyCommand({ Identifier: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" })), {
      name: "ResourceNotFoundException", status: 404, ErrorClass: ResourceNotFoundException });
    await assertError(() => hub.send(new StartConfigurationPolicyAssociationCommand({
      ConfigurationPolicyIdentifier: created.Id, Target: { AccountId: "12345" } })), {
      name: "InvalidInputException", status: 400, ErrorClass: InvalidInputException });
  });

  test("SSM: documents and associations as the workload account", async () => {
    const account = ids.workload;
    for (const index of [0, 1]) {
      const { status } = await cairn.admin("POST", "/_cairn/ssm/instances", {
        AccountId: account, Region: REGION, InstanceId: `mi-0123456789abcdef${index}`, Tags: [{ Key: "Role", Value: "web" }] });
      assert.equal(status, 200);
    }
    const ssm = client(SSMClient, account);
    const info = await ssm.send(new DescribeInstanceInformationCommand({}));
    assert.equal(info.InstanceInformationList.length, 2);
    info.InstanceInformationList.forEach((node) => {
      assertDate(node.LastPingDateTime, "LastPingDateTime");
      if (node.RegistrationDate !== undefined) assertDate(node.RegistrationDate, "RegistrationDate");
    });
    const { DocumentDescription } = await ssm.send(new CreateDocumentCommand({
      Name: "Hello", Content: DOCUMENT("Says hello."), DocumentType: "Command", DocumentFormat: "JSON" }));
    assert.equal(DocumentDescription.Status, "Creating");
    assertDate(DocumentDescription.CreatedDate, "CreatedDate");
    await cairn.advance(2);
    const described = await ssm.send(new DescribeDocumentCommand({ Name: "Hello" }));
    assert.equal(described.Document.Status, "Active");
    assert.equal(described.Document.Parameters[0].Name, "message");
    const got = await ssm.send(new GetDocumentCommand({ Name: "Hello", DocumentVersion: "$LATEST" }));
    assert.equal(got.Content, DOCUMENT("Says hello."));
    await ssm.send(new UpdateDocumentCommand({ Name: "Hello", Content: DOCUMENT("Twice."), DocumentVersion: "$LATEST" }));
    await cairn.advance(2);
    const versions = await ssm.send(new ListDocumentVersionsCommand({ Name: "Hello" }));
    assert.deepEqual(versions.DocumentVersions.map((v) => v.DocumentVersion).sort(), ["1", "2"]);
    versions.DocumentVersions.forEach((v) => assertDate(v.CreatedDate, "CreatedDate"));
    const owned = await ssm.send(new ListDocumentsCommand({ Filters: [{ Key: "Owner", Values: ["Self"] }] }));
    assert.deepEqual(owned.DocumentIdentifiers.map((d) => d.Name), ["Hello"]);

    const { AssociationDescription: created } = await ssm.send(new CreateAssociationCommand({
      Name: "Hello", AssociationName: "say-hello", Targets: [{ Key: "tag:Role", Values: ["web"] }],
      Parameters: { message: ["hi"] }, ScheduleExpression: "rate(30 minutes)", MaxConcurrency: "1", MaxErrors: "0" }));
    assertDate(created.Date, "Date");
    await ssm.send(new CreateAssociationCommand({ Name: "AWS-UpdateSSMAgent", InstanceId: "mi-0123456789abcdef0" }));
    await cairn.advance(60);
    const { AssociationDescription } = await ssm.send(new DescribeAssociationCommand({ AssociationId: created.AssociationId }));
    assert.equal(AssociationDescription.Overview.Status, "Success");
    assert.equal(typeof AssociationDescription.Overview.AssociationStatusAggregatedCount.Success, "number");
    assertDate(AssociationDescription.LastExecutionDate, "LastExecutionDate");
    const updated = await ssm.send(new UpdateAssociationCommand({ AssociationId: created.AssociationId,
                                                                 Parameters: { message: ["again"] } }));
    assert.equal(updated.AssociationDescription.AssociationVersion, "2");
    const listedVersions = await ssm.send(new ListAssociationVersionsCommand({ AssociationId: created.AssociationId }));
    assert.equal(listedVersions.AssociationVersions.length, 2);
    listedVersions.AssociationVersions.forEach((v) => assertDate(v.CreatedDate, "CreatedDate"));
    await ssm.send(new StartAssociationsOnceCommand({ AssociationIds: [created.AssociationId] }));
    await cairn.advance(60);
    const executions = await ssm.send(new DescribeAssociationExecutionsCommand({ AssociationId: created.AssociationId }));
    assert.ok(executions.AssociationExecutions.length >= 2);
    executions.AssociationExecutions.forEach((e) => assertDate(e.CreatedTime, "CreatedTime"));
    const targets = await ssm.send(new DescribeAssociationExecutionTargetsCommand({
      AssociationId: created.AssociationId, ExecutionId: executions.AssociationExecutions[0].ExecutionId }));
    assert.equal(targets.AssociationExecutionTargets.length, 2);
    targets.AssociationExecutionTargets.forEach((t) => assertDate(t.LastExecutionDate, "LastExecutionDate"));
    const statuses = await ssm.send(new DescribeInstanceAssociationsStatusCommand({ InstanceId: "mi-0123456789abcdef0" }));
    assert.equal(statuses.InstanceAssociationStatusInfos.length, 2);
    statuses.InstanceAssociationStatusInfos.forEach((s) => assertDate(s.ExecutionDate, "ExecutionDate"));
    const names = [];
    for await (const page of paginateListAssociations({ client: ssm, pageSize: 1 }, {})) {
      names.push(...page.Associations.map((a) => a.Name));
    }
    assert.deepEqual(names.sort(), ["AWS-UpdateSSMAgent", "Hello"]);
    const all = await ssm.send(new ListAssociationsCommand({}));
    all.Associations.forEach((a) => { if (a.LastExecutionDate) assertDate(a.LastExecutionDate, "LastExecutionDate"); });

    await ssm.send(new PutComplianceItemsCommand({
      ResourceId: "mi-0123456789abcdef0", ResourceType: "ManagedInstance", ComplianceType: "Custom:Patching",
      ExecutionSummary: { ExecutionTime: new Date("2024-05-01T12:00:00Z") },
      Items: [{ Id: "patch-1", Title: "Patch one", Severity: "HIGH", Status: "NON_COMPLIANT" }] }));
    const summaries = await ssm.send(new ListComplianceSummariesCommand({}));
    const patching = summaries.ComplianceSummaryItems.find((s) => s.ComplianceType === "Custom:Patching");
    assert.equal(patching.NonCompliantSummary.NonCompliantCount, 1);
    const resources = await ssm.send(new ListResourceComplianceSummariesCommand({}));
    const patched = resources.ResourceComplianceSummaryItems.find((s) => s.ComplianceType === "Custom:Patching");
    assert.equal(patched.ExecutionSummary.ExecutionTime.toISOString(), "2024-05-01T12:00:00.000Z");

    await assertError(() => ssm.send(new DescribeDocumentCommand({ Name: "Missing" })), {
      name: "InvalidDocument", status: 400, message: "The specified document does not exist.", ErrorClass: InvalidDocument });
    await assertError(() => ssm.send(new DescribeAssociationCommand({ AssociationId: "11111111-2222-3333-4444-555555555555" })), {
      name: "AssociationDoesNotExist", status: 400, ErrorClass: AssociationDoesNotExist });
  });

  test("STS GetCallerIdentity, and error paths", async () => {
    const identity = await client(STSClient, ids.audit).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, ids.audit);
    assert.match(identity.Arn, new RegExp(`^arn:aws:(iam|sts)::${ids.audit}:`));
    assert.ok(identity.UserId);
    await assertError(() => client(OrganizationsClient, OUTSIDER).send(new DescribeOrganizationCommand({})), {
      name: "AWSOrganizationsNotInUseException", status: 400, ErrorClass: AWSOrganizationsNotInUseException,
      message: "Your account is not a member of an organization." });
    await assertError(() => org().send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: "ou-zzzz-12345678" })), {
      name: "OrganizationalUnitNotFoundException", status: 400 });
    await assertError(() => org().send(new CreateAccountCommand({ Email: "not-an-email", AccountName: "x" })), {
      name: "InvalidInputException", status: 400 });
  });
});
