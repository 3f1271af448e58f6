// Conformance pack templates: the CloudFormation-shaped YAML or JSON document that
// PutConformancePack and PutOrganizationConformancePack take as TemplateBody.
//
// Parse() checks the document's shape once (well-formed YAML or JSON, a Resources map of
// AWS::Config::ConfigRule and AWS::Config::RemediationConfiguration resources, at most
// kMaxResources of them, Parameters with a Type, Conditions). Resolve() then evaluates it for
// one account and region: parameter values from ConformancePackInputParameters or their
// Default, the pseudo parameters, `Ref`/`!Ref`, `Fn::If` with Conditions (`Fn::Equals`,
// `Fn::Not`, `Fn::And`, `Fn::Or`), `Fn::Sub`, `Fn::Join`, `Fn::Select` and `AWS::NoValue`
// (what the templates of awslabs/aws-config-rules use), and checks each rule's properties.
//
// Errors are ConformancePackTemplateValidationException with AWS's wording, "Invalid
// conformance pack template provided. Errors found: [<what>]. Fix your template and try
// again." (the shape of a real answer quoted in awslabs/aws-config-rules#430); the organization
// operations re-code them as OrganizationConformancePackTemplateValidationException. The
// <what> texts follow CloudFormation's template errors where the check is CloudFormation's.
//
// A Template is an immutable value: safe to share between threads.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace cairn::config::templates {

// Resources per template: a larger one is refused with "Number of resources provided in the
// template exceeds the allowed limit" (AWS Config service limits: 130 rules per conformance
// pack; awslabs/aws-config-rules#430 shows a 131-rule pack refused).
inline constexpr size_t kMaxResources = 130;

// One AWS::Config::ConfigRule of a template, resolved for an account and region.
struct RuleSpec {
  std::string logical_id;
  std::string name;  // Properties.ConfigRuleName, the logical id when the template has none
  std::string description;
  std::string owner;  // AWS | CUSTOM_LAMBDA | CUSTOM_POLICY
  std::string source_identifier;
  std::string input_parameters;  // a JSON object as text, as PutConfigRule takes it; "" if none
  std::vector<std::string> resource_types;  // Scope.ComplianceResourceTypes
  std::string maximum_execution_frequency;
};

class Template {
 public:
  // Checks the document; the error is ConformancePackTemplateValidationException.
  static Result<Template> Parse(std::string_view body);

  // The rules of the template for `account_id` in `region`, with `inputs` (parameter name ->
  // value, from ConformancePackInputParameters) overriding Defaults.
  Result<std::vector<RuleSpec>> Resolve(const std::map<std::string, std::string>& inputs,
                                        std::string_view account_id, std::string_view region) const;

  size_t resource_count() const { return document_.at("Resources").as_object().size(); }

 private:
  explicit Template(boost::json::value document) : document_(std::move(document)) {}
  // The template as JSON, YAML short-form tags (`!Ref x`) rewritten to their long form
  // (`{"Ref": "x"}`), every scalar a string.
  boost::json::value document_;
};

// AWS's message for a template error whose details are `what`.
std::string TemplateErrorMessage(std::string_view what);

}  // namespace cairn::config::templates
