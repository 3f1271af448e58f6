# The organization layer of a landing zone, applied as the management account: the
# organization with trusted access, nested OUs, an audit and a workload account, delegated
# administrators, the organization-wide AWS Config aggregator, conformance pack and rule, and
# Security Hub's administrator. tests/e2e/test_terraform.py applies it against cairn; the
# accounts layer (../accounts) reads its outputs.

terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100.0, < 6.0.0" }
  }
}

variable "endpoint" {
  description = "cairn's URL, e.g. http://127.0.0.1:4566"
  type        = string
}

variable "revision" {
  description = "1 builds the landing zone; 2 changes it in place (renames, moves, tags)"
  type        = number
  default     = 1
}

variable "management_account_id" {
  description = "The account the organization is created from (cairn: the access key id)"
  type        = string
}

# cairn answers as the account named by the access key id. The provider asks STS
# GetCallerIdentity (answered by cairn) for its account id, which resources such as
# aws_securityhub_account need for their ARNs, so credentials validation and the account id
# lookup stay on.
provider "aws" {
  alias                   = "management"
  region                  = "us-east-1"
  access_key              = var.management_account_id
  secret_key              = "cairn"
  skip_metadata_api_check = true
  skip_region_validation  = true
  endpoints {
    organizations = var.endpoint
    ssm           = var.endpoint
    configservice = var.endpoint
    securityhub   = var.endpoint
    sts           = var.endpoint
  }
  default_tags {
    tags = { ManagedBy = "terraform" }
  }
}

resource "aws_organizations_organization" "this" {
  provider    = aws.management
  feature_set = "ALL"
  aws_service_access_principals = [
    "config.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "securityhub.amazonaws.com",
    "ssm.amazonaws.com",
  ]
  enabled_policy_types = []
}

locals {
  root_id = aws_organizations_organization.this.roots[0].id
  changed = var.revision >= 2
}

resource "aws_organizations_organizational_unit" "security" {
  provider  = aws.management
  name      = "Security"
  parent_id = local.root_id
  tags      = { Layer = "security" }
}

resource "aws_organizations_organizational_unit" "workloads" {
  provider  = aws.management
  name      = "Workloads"
  parent_id = local.root_id
}

resource "aws_organizations_organizational_unit" "production" {
  provider  = aws.management
  name      = local.changed ? "Prod" : "Production"
  parent_id = aws_organizations_organizational_unit.workloads.id
  tags      = merge({ Environment = "production" }, local.changed ? { Revision = "2" } : {})
}

# close_on_deletion = false: destroy removes the accounts from the organization
# (RemoveAccountFromOrganization). With true it would call CloseAccount and wait for
# SUSPENDED, and a suspended account stays in the organization (AWS: for 90 days), so the
# organization could not be deleted afterwards.
resource "aws_organizations_account" "audit" {
  provider          = aws.management
  name              = "audit"
  email             = "audit@example.com"
  parent_id         = aws_organizations_organizational_unit.security.id
  close_on_deletion = false
  role_name         = "OrganizationAccountAccessRole"
  tags              = { Role = "audit" }
}

resource "aws_organizations_account" "workload" {
  provider          = aws.management
  name              = "payments-prod"
  email             = "payments-prod@example.com"
  parent_id         = local.changed ? aws_organizations_organizational_unit.workloads.id : aws_organizations_organizational_unit.production.id
  close_on_deletion = false
  tags              = local.changed ? { Role = "workload", CostCenter = "payments" } : { Role = "workload" }
}

resource "aws_organizations_delegated_administrator" "audit" {
  for_each = toset([
    "config.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "securityhub.amazonaws.com",
  ])
  provider          = aws.management
  account_id        = aws_organizations_account.audit.id
  service_principal = each.value
  depends_on        = [aws_organizations_organization.this]
}

resource "aws_config_configuration_aggregator" "organization" {
  provider = aws.management
  name     = "organization"
  organization_aggregation_source {
    all_regions = true
    role_arn    = "arn:aws:iam::${var.management_account_id}:role/ConfigAggregator"
  }
  tags       = { Purpose = "compliance" }
  depends_on = [aws_organizations_organization.this]
}

resource "aws_config_aggregate_authorization" "audit" {
  provider   = aws.management
  account_id = aws_organizations_account.audit.id
  region     = "us-east-1"
  tags       = { Purpose = "compliance" }
}

resource "aws_config_organization_conformance_pack" "baseline" {
  provider      = aws.management
  name          = "baseline"
  template_body = <<-YAML
    Parameters:
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
  YAML
  input_parameter {
    parameter_name  = "MaxAccessKeyAge"
    parameter_value = "60"
  }
  excluded_accounts = [aws_organizations_account.audit.id]
  depends_on        = [aws_organizations_delegated_administrator.audit]
}

resource "aws_config_organization_managed_rule" "s3_versioning" {
  provider                    = aws.management
  name                        = "s3-bucket-versioning-enabled"
  rule_identifier             = "S3_BUCKET_VERSIONING_ENABLED"
  description                 = "S3 buckets keep every version"
  resource_types_scope        = ["AWS::S3::Bucket"]
  maximum_execution_frequency = "TwentyFour_Hours"
  input_parameters            = jsonencode({ isMfaDeleteEnabled = "false" })
  excluded_accounts           = [aws_organizations_account.audit.id]
  depends_on                  = [aws_organizations_delegated_administrator.audit]
}

resource "aws_securityhub_account" "management" {
  provider                 = aws.management
  enable_default_standards = false
}

resource "aws_securityhub_standards_subscription" "management_cis" {
  provider      = aws.management
  standards_arn = "arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0"
  depends_on    = [aws_securityhub_account.management]
}

# Security Hub's DisableOrganizationAdminAccount (what destroy calls) leaves the Organizations
# registration in place, so the landing zone registers the delegated administrator itself:
# destroy then deregisters it before the account leaves the organization.
resource "aws_securityhub_organization_admin_account" "audit" {
  provider         = aws.management
  admin_account_id = aws_organizations_account.audit.id
  depends_on = [
    aws_securityhub_account.management,
    aws_organizations_delegated_administrator.audit,
  ]
}

output "audit_account_id" { value = aws_organizations_account.audit.id }
output "workload_account_id" { value = aws_organizations_account.workload.id }
output "workloads_ou_id" { value = aws_organizations_organizational_unit.workloads.id }
