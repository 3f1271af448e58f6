# The account layer of the landing zone: Security Hub central configuration run by the audit
# account (the delegated administrator), and State Manager in a workload account. Providers
# act as accounts that the organization layer (../organization) created, whose ids it reads
# from that layer's state: a provider cannot be configured from resources of its own
# configuration.

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

variable "organization_state" {
  description = "Path of the organization layer's terraform.tfstate"
  type        = string
}

variable "revision" {
  description = "1 builds the landing zone; 2 changes it in place (versions, parameters, controls)"
  type        = number
  default     = 1
}

data "terraform_remote_state" "organization" {
  backend = "local"
  config  = { path = var.organization_state }
}

locals {
  organization = data.terraform_remote_state.organization.outputs
  changed      = var.revision >= 2
}

provider "aws" {
  alias                   = "audit"
  region                  = "us-east-1"
  access_key              = local.organization.audit_account_id
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

provider "aws" {
  alias                   = "workload"
  region                  = "us-east-1"
  access_key              = local.organization.workload_account_id
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

# Central configuration needs the home Region's finding aggregator first.
resource "aws_securityhub_finding_aggregator" "home" {
  provider     = aws.audit
  linking_mode = "ALL_REGIONS"
}

resource "aws_securityhub_organization_configuration" "central" {
  provider              = aws.audit
  auto_enable           = false
  auto_enable_standards = "NONE"
  organization_configuration {
    configuration_type = "CENTRAL"
  }
  depends_on = [aws_securityhub_finding_aggregator.home]
}

resource "aws_securityhub_configuration_policy" "baseline" {
  provider    = aws.audit
  name        = "baseline"
  description = "AWS Foundational Security Best Practices in every workload account"
  configuration_policy {
    service_enabled = true
    enabled_standard_arns = [
      "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
    ]
    security_controls_configuration {
      disabled_control_identifiers = local.changed ? ["IAM.1", "IAM.2"] : ["IAM.1"]
      security_control_custom_parameter {
        security_control_id = "IAM.7"
        parameter {
          name       = "MaxPasswordAge"
          value_type = "CUSTOM"
          int {
            value = local.changed ? 45 : 60
          }
        }
      }
    }
  }
  depends_on = [aws_securityhub_organization_configuration.central]
}

resource "aws_securityhub_configuration_policy_association" "workloads" {
  provider  = aws.audit
  target_id = local.organization.workloads_ou_id
  policy_id = aws_securityhub_configuration_policy.baseline.id
}

# The audit account aggregates AWS Config data as the organization's delegated administrator.
resource "aws_config_configuration_aggregator" "audit" {
  provider = aws.audit
  name     = "organization-from-audit"
  organization_aggregation_source {
    all_regions = false
    regions     = local.changed ? ["eu-central-1", "eu-west-1", "us-east-1"] : ["eu-west-1", "us-east-1"]
    role_arn    = "arn:aws:iam::${local.organization.audit_account_id}:role/ConfigAggregator"
  }
  tags = { Purpose = "compliance" }
}

resource "aws_ssm_document" "hardening" {
  provider        = aws.workload
  name            = "Workload-Hardening"
  document_type   = "Command"
  document_format = "YAML"
  target_type     = "/AWS::EC2::Instance"
  version_name    = "${var.revision}.0"
  permissions = {
    type        = "Share"
    account_ids = local.organization.audit_account_id
  }
  content = <<-YAML
    schemaVersion: "2.2"
    description: Applies the workload hardening baseline.
    parameters:
      Level:
        type: String
        default: standard
        allowedValues: [standard, strict]
    mainSteps:
      - action: aws:runShellScript
        name: harden
        inputs:
          runCommand:
            - echo "hardening ${var.revision} {{ Level }}"
  YAML
  tags    = { Team = "payments" }
}

# No sync_compliance: the provider sends it to UpdateAssociation only when it changes, and
# UpdateAssociation replaces the association with the request (AWS: "the system removes all
# optional parameters from the request and overwrites the association with null values"), so
# any other in-place change would drop it, on AWS as on cairn.
resource "aws_ssm_association" "hardening" {
  provider                         = aws.workload
  name                             = aws_ssm_document.hardening.name
  association_name                 = "workload-hardening"
  schedule_expression              = local.changed ? "rate(12 hours)" : "rate(1 day)"
  compliance_severity              = local.changed ? "MEDIUM" : "HIGH"
  max_concurrency                  = "50%"
  max_errors                       = "1"
  wait_for_success_timeout_seconds = 60
  output_location {
    s3_bucket_name = "payments-ssm-logs"
    s3_key_prefix  = "hardening"
    s3_region      = "us-east-1"
  }
  parameters = {
    Level = local.changed ? "standard" : "strict"
  }
  targets {
    key    = "tag:Role"
    values = ["web"]
  }
  tags = { Team = "payments" }
}
