#include "services/config/template.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <optional>
#include <set>

#include "services/config/errors.h"

namespace cairn::config::templates {
namespace json = boost::json;

namespace {

constexpr std::string_view kConfigRule = "AWS::Config::ConfigRule";
constexpr std::string_view kRemediation = "AWS::Config::RemediationConfiguration";

AwsError TemplateError(std::string_view what) {
  return errors::ConformancePackTemplateValidationException(TemplateErrorMessage(what));
}

// CloudFormation's own template errors start with "Template format error: ".
AwsError FormatError(std::string_view what) {
  return TemplateError("Template format error: " + std::string(what));
}

// CloudFormation's resource schema errors ("Properties validation failed for resource X with
// message: #/Path: ...").
AwsError PropertyError(std::string_view logical_id, std::string_view what) {
  return TemplateError("Properties validation failed for resource " + std::string(logical_id) +
                       " with message: " + std::string(what));
}

bool IsAlphanumeric(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(),
                                      [](unsigned char c) { return std::isalnum(c) != 0; });
}

std::string Joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
    if (item_idx) out.append(separator);
    out.append(items[item_idx]);
  }
  return out;
}

// --- Reading the document: YAML (with CloudFormation's short-form tags) or JSON.

json::value Intrinsic(std::string_view tag, json::value argument) {
  const std::string_view function = tag.substr(1);
  if (function == "Ref" || function == "Condition")
    return json::object{{function, std::move(argument)}};
  if (function == "GetAtt" && argument.is_string()) {
    const std::string text(argument.get_string());
    const size_t dot = text.find('.');
    json::array parts{json::string(text.substr(0, dot))};
    if (dot != std::string::npos) parts.push_back(json::string(text.substr(dot + 1)));
    argument = std::move(parts);
  }
  return json::object{{"Fn::" + std::string(function), std::move(argument)}};
}

json::value FromYaml(const YAML::Node& node) {
  json::value value;
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      value = json::string(node.Scalar());
      break;
    case YAML::NodeType::Sequence: {
      json::array items;
      for (const YAML::Node& item : node) items.push_back(FromYaml(item));
      value = std::move(items);
      break;
    }
    case YAML::NodeType::Map: {
      json::object members;
      for (const auto& entry : node) {
        const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
        members[key] = FromYaml(entry.second);
      }
      value = std::move(members);
      break;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  // `!Ref x`: a local tag. Quoted scalars carry the tag "!", untagged nodes "?", and YAML's
  // own `!!str` tags come back expanded to "tag:yaml.org,2002:str".
  const std::string& tag = node.Tag();
  if (tag.size() > 1 && tag[0] == '!') return Intrinsic(tag, std::move(value));
  return value;
}

// JSON templates: every scalar becomes a string, as CloudFormation reads them.
json::value Stringified(const json::value& value) {
  switch (value.kind()) {
    case json::kind::object: {
      json::object members;
      for (const auto& entry : value.get_object())
        members[entry.key()] = Stringified(entry.value());
      return members;
    }
    case json::kind::array: {
      json::array items;
      for (const json::value& item : value.get_array()) items.push_back(Stringified(item));
      return items;
    }
    case json::kind::bool_:
      return json::string(value.get_bool() ? "true" : "false");
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return json::string(json::serialize(value));
    case json::kind::string:
    case json::kind::null:
      break;
  }
  return value;
}

Result<json::value> ReadDocument(std::string_view body) {
  const size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '{') {
    boost::system::error_code error;
    json::value parsed = json::parse(body, error);
    if (error) return FormatError("JSON not well-formed.");
    return Stringified(parsed);
  }
  try {
    return FromYaml(YAML::Load(std::string(body)));
  } catch (const YAML::Exception& error) {
    return FormatError("YAML not well-formed. (line " + std::to_string(error.mark.line + 1) +
                       ", column " + std::to_string(error.mark.column + 1) + ")");
  }
}

// The single key of an intrinsic function object (`{"Ref": ...}`, `{"Fn::If": ...}`), or "".
std::string_view FunctionOf(const json::value& value) {
  if (!value.is_object() || value.get_object().size() != 1) return {};
  const std::string_view key = value.get_object().begin()->key();
  if (key == "Ref" || key.starts_with("Fn::")) return key;
  return {};
}

std::string Text(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_array()) {
    std::vector<std::string> items;
    for (const json::value& item : value.get_array()) items.push_back(Text(item));
    return Joined(items, ",");
  }
  if (value.is_null()) return std::string();
  return json::serialize(value);
}

// --- Evaluating the template for one account and region.

class Resolver {
 public:
  Resolver(const json::object& document, std::string_view account_id, std::string_view region)
      : document_(document), account_id_(account_id), region_(region) {}

  Result<Ok> BindParameters(const std::map<std::string, std::string>& inputs);
  Result<bool> NamedCondition(std::string_view name);
  // The value with every intrinsic function evaluated; nullopt for AWS::NoValue.
  Result<std::optional<json::value>> Evaluate(const json::value& value);

 private:
  Result<std::optional<json::value>> Function(std::string_view function,
                                              const json::value& argument);
  Result<std::optional<json::value>> Reference(std::string_view name);
  Result<json::value> Substitute(const json::value& argument);
  Result<bool> Condition(const json::value& expression);
  Result<json::value> Required(const json::value& value, std::string_view function);

  std::string Partition() const {
    if (region_.starts_with("cn-")) return "aws-cn";
    if (region_.starts_with("us-gov-")) return "aws-us-gov";
    return "aws";
  }

  const json::object& document_;
  std::string account_id_;
  std::string region_;
  std::map<std::string, json::value> parameters_;
  std::map<std::string, bool> conditions_;
  std::set<std::string> evaluating_;
};

const json::object* MemberObject(const json::object& parent, std::string_view key) {
  const json::value* value = parent.if_contains(key);
  return value && value->is_object() ? &value->get_object() : nullptr;
}

Result<Ok> Resolver::BindParameters(const std::map<std::string, std::string>& inputs) {
  static const json::object kNone;
  const json::object* declared = MemberObject(document_, "Parameters");
  if (!declared) declared = &kNone;
  std::vector<std::string> unknown, missing;
  for (const auto& [name, value] : inputs) {
    if (!declared->contains(name)) unknown.push_back(name);
  }
  if (!unknown.empty())
    return TemplateError("Parameters: [" + Joined(unknown, ", ") +
                         "] do not exist in the template");
  for (const auto& entry : *declared) {
    const std::string name(entry.key());
    const json::object& declaration = entry.value().get_object();
    std::string value;
    if (auto input = inputs.find(name); input != inputs.end()) {
      value = input->second;
    } else if (const json::value* fallback = declaration.if_contains("Default")) {
      value = Text(*fallback);
    } else {
      missing.push_back(name);
      continue;
    }
    if (const json::value* allowed = declaration.if_contains("AllowedValues");
        allowed && allowed->is_array()) {
      const json::array& choices = allowed->get_array();
      if (std::none_of(choices.begin(), choices.end(),
                       [&](const json::value& choice) { return Text(choice) == value; })) {
        return TemplateError("Parameter '" + name + "' must be one of AllowedValues");
      }
    }
    const std::string type = Text(declaration.at("Type"));
    if (type == "CommaDelimitedList" || type.starts_with("List<")) {
      json::array items;
      size_t start = 0;
      while (true) {
        const size_t comma = value.find(',', start);
        items.push_back(json::string(value.substr(start, comma - start)));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      parameters_[name] = std::move(items);
    } else {
      parameters_[name] = json::string(value);
    }
  }
  if (!missing.empty())
    return TemplateError("Parameters: [" + Joined(missing, ", ") + "] must have values");
  return Ok{};
}

Result<std::optional<json::value>> Resolver::Reference(std::string_view name) {
  if (auto parameter = parameters_.find(std::string(name)); parameter != parameters_.end()) {
    return std::optional<json::value>(parameter->second);
  }
  if (name == "AWS::NoValue") return std::optional<json::value>();
  if (name == "AWS::AccountId") return std::optional<json::value>(json::string(account_id_));
  if (name == "AWS::Region") return std::optional<json::value>(json::string(region_));
  if (name == "AWS::Partition") return std::optional<json::value>(json::string(Partition()));
  if (name == "AWS::URLSuffix") {
    return std::optional<json::value>(
        json::string(region_.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com"));
  }
  // A ConfigRule's Ref is its name (CloudFormation's return value for AWS::Config::ConfigRule).
  if (const json::object* resources = MemberObject(document_, "Resources")) {
    if (const json::value* resource = resources->if_contains(name)) {
      const json::object* properties = MemberObject(resource->get_object(), "Properties");
      const json::value* rule_name =
          properties ? properties->if_contains("ConfigRuleName") : nullptr;
      return std::optional<json::value>(rule_name && rule_name->is_string() ? *rule_name
                                                                            : json::string(name));
    }
  }
  return FormatError("Unresolved resource dependencies [" + std::string(name) +
                     "] in the Resources block of the template");
}

Result<json::value> Resolver::Required(const json::value& value, std::string_view function) {
  Result<std::optional<json::value>> evaluated = Evaluate(value);
  if (!evaluated.ok()) return std::move(evaluated).error();
  if (!evaluated->has_value()) {
    return FormatError("AWS::NoValue is not allowed as an argument of " + std::string(function));
  }
  return std::move(**evaluated);
}

Result<json::value> Resolver::Substitute(const json::value& argument) {
  const json::value* pattern = &argument;
  std::map<std::string, std::string> variables;
  if (argument.is_array()) {
    const json::array& parts = argument.get_array();
    if (parts.size() != 2 || !parts[1].is_object()) {
      return FormatError("Fn::Sub requires a string or a list of a string and a map of variables");
    }
    pattern = &parts[0];
    for (const auto& entry : parts[1].get_object()) {
      Result<json::value> value = Required(entry.value(), "Fn::Sub");
      if (!value.ok()) return std::move(value).error();
      variables[std::string(entry.key())] = Text(*value);
    }
  }
  if (!pattern->is_string())
    return FormatError("Fn::Sub requires a string or a list of a string and a map of variables");
  const std::string text(pattern->get_string());
  std::string out;
  size_t position = 0;
  while (position < text.size()) {
    const size_t open = text.find("${", position);
    if (open == std::string::npos) {
      out.append(text, position);
      break;
    }
    out.append(text, position, open - position);
    const size_t close = text.find('}', open);
    if (close == std::string::npos) {
      out.append(text, open);
      break;
    }
    const std::string name = text.substr(open + 2, close - open - 2);
    position = close + 1;
    if (name.starts_with("!")) {  // ${!Literal} is written as ${Literal}
      out.append("${").append(name.substr(1)).append("}");
      continue;
    }
    if (auto variable = variables.find(name); variable != variables.end()) {
      out.append(variable->second);
      continue;
    }
    if (name.find('.') != std::string::npos) {
      return FormatError("Fn::Sub cannot use the attribute " + name +
                         " in a conformance pack template");
    }
    Result<std::optional<json::value>> value = Reference(name);
    if (!value.ok()) return std::move(value).error();
    if (value->has_value()) out.append(Text(**value));
  }
  return json::value(json::string(out));
}

Result<std::optional<json::value>> Resolver::Function(std::string_view function,
                                                      const json::value& argument) {
  using Value = std::optional<json::value>;
  if (function == "Ref") {
    if (!argument.is_string())
      return FormatError("Ref requires the name of a parameter or resource");
    return Reference(argument.get_string());
  }
  if (function == "Fn::If") {
    if (!argument.is_array() || argument.get_array().size() != 3 ||
        !argument.get_array()[0].is_string()) {
      return FormatError("Fn::If requires a list argument with three elements");
    }
    const json::array& parts = argument.get_array();
    Result<bool> holds = NamedCondition(parts[0].get_string());
    if (!holds.ok()) return std::move(holds).error();
    return Evaluate(*holds ? parts[1] : parts[2]);
  }
  if (function == "Fn::Sub") {
    Result<json::value> text = Substitute(argument);
    if (!text.ok()) return std::move(text).error();
    return Value(std::move(*text));
  }
  if (function == "Fn::Join") {
    if (!argument.is_array() || argument.get_array().size() != 2 ||
        !argument.get_array()[0].is_string()) {
      return FormatError("Fn::Join requires a list of a delimiter and a list of values");
    }
    Result<json::value> items = Required(argument.get_array()[1], "Fn::Join");
    if (!items.ok()) return std::move(items).error();
    if (!items->is_array())
      return FormatError("Fn::Join requires a list of a delimiter and a list of values");
    std::vector<std::string> texts;
    for (const json::value& item : items->get_array()) {
      Result<json::value> text = Required(item, "Fn::Join");
      if (!text.ok()) return std::move(text).error();
      texts.push_back(Text(*text));
    }
    return Value(json::string(Joined(texts, argument.get_array()[0].get_string())));
  }
  if (function == "Fn::Select") {
    if (!argument.is_array() || argument.get_array().size() != 2) {
      return FormatError("Fn::Select requires a list of an index and a list of values");
    }
    Result<json::value> index = Required(argument.get_array()[0], "Fn::Select");
    if (!index.ok()) return std::move(index).error();
    Result<json::value> items = Required(argument.get_array()[1], "Fn::Select");
    if (!items.ok()) return std::move(items).error();
    const std::string position = Text(*index);
    const bool numeric =
        !position.empty() && std::all_of(position.begin(), position.end(),
                                         [](unsigned char c) { return std::isdigit(c) != 0; });
    if (!items->is_array() || !numeric || std::stoul(position) >= items->get_array().size()) {
      return FormatError("Fn::Select cannot select a nonexistent value at index " + position);
    }
    return Evaluate(items->get_array()[std::stoul(position)]);
  }
  if (function == "Fn::Split") {
    if (!argument.is_array() || argument.get_array().size() != 2 ||
        !argument.get_array()[0].is_string()) {
      return FormatError("Fn::Split requires a list of a delimiter and a string");
    }
    Result<json::value> source = Required(argument.get_array()[1], "Fn::Split");
    if (!source.ok()) return std::move(source).error();
    const std::string delimiter(argument.get_array()[0].get_string());
    const std::string text = Text(*source);
    json::array parts;
    size_t start = 0;
    while (!delimiter.empty()) {
      const size_t found = text.find(delimiter, start);
      if (found == std::string::npos) break;
      parts.push_back(json::string(text.substr(start, found - start)));
      start = found + delimiter.size();
    }
    parts.push_back(json::string(text.substr(start)));
    return Value(std::move(parts));
  }
  return FormatError("Unsupported function " + std::string(function) +
                     " in a conformance pack template");
}

Result<std::optional<json::value>> Resolver::Evaluate(const json::value& value) {
  if (const std::string_view function = FunctionOf(value); !function.empty()) {
    return Function(function, value.get_object().begin()->value());
  }
  if (value.is_object()) {
    json::object members;
    for (const auto& entry : value.get_object()) {
      Result<std::optional<json::value>> member = Evaluate(entry.value());
      if (!member.ok()) return std::move(member).error();
      if (member->has_value()) members[entry.key()] = std::move(**member);
    }
    return std::optional<json::value>(std::move(members));
  }
  if (value.is_array()) {
    json::array items;
    for (const json::value& item : value.get_array()) {
      Result<std::optional<json::value>> element = Evaluate(item);
      if (!element.ok()) return std::move(element).error();
      if (element->has_value()) items.push_back(std::move(**element));
    }
    return std::optional<json::value>(std::move(items));
  }
  return std::optional<json::value>(value);
}

Result<bool> Resolver::Condition(const json::value& expression) {
  if (!expression.is_object() || expression.get_object().size() != 1) {
    return FormatError(
        "Conditions can only be boolean operations on parameters and other conditions");
  }
  const std::string_view function = expression.get_object().begin()->key();
  const json::value& argument = expression.get_object().begin()->value();
  if (function == "Condition") {
    if (!argument.is_string()) return FormatError("Condition requires the name of a condition");
    return NamedCondition(argument.get_string());
  }
  if (function == "Fn::Equals") {
    if (!argument.is_array() || argument.get_array().size() != 2) {
      return FormatError("Fn::Equals requires a list argument with two elements");
    }
    Result<json::value> left = Required(argument.get_array()[0], "Fn::Equals");
    if (!left.ok()) return std::move(left).error();
    Result<json::value> right = Required(argument.get_array()[1], "Fn::Equals");
    if (!right.ok()) return std::move(right).error();
    return Text(*left) == Text(*right);
  }
  if (function == "Fn::Not" || function == "Fn::And" || function == "Fn::Or") {
    const size_t arity = argument.is_array() ? argument.get_array().size() : 0;
    if (function == "Fn::Not" ? arity != 1 : (arity < 2 || arity > 10)) {
      return FormatError(std::string(function) +
                         (function == "Fn::Not"
                              ? " requires a list argument with one element"
                              : " requires a list argument with two to ten elements"));
    }
    bool all = true, any = false;
    for (const json::value& operand : argument.get_array()) {
      Result<bool> holds = Condition(operand);
      if (!holds.ok()) return std::move(holds).error();
      all = all && *holds;
      any = any || *holds;
    }
    if (function == "Fn::Not") return !all;
    return function == "Fn::And" ? all : any;
  }
  return FormatError(
      "Conditions can only be boolean operations on parameters and other conditions");
}

Result<bool> Resolver::NamedCondition(std::string_view name) {
  const std::string key(name);
  if (auto known = conditions_.find(key); known != conditions_.end()) return known->second;
  const json::object* declared = MemberObject(document_, "Conditions");
  const json::value* expression = declared ? declared->if_contains(name) : nullptr;
  if (!expression) {
    return FormatError("Unresolved dependencies [" + key +
                       "]. Cannot reference resources in the Conditions block of the template");
  }
  if (!evaluating_.insert(key).second)
    return FormatError("Circular dependency between conditions [" + key + "]");
  Result<bool> holds = Condition(*expression);
  evaluating_.erase(key);
  if (holds.ok()) conditions_[key] = *holds;
  return holds;
}

// --- The properties of one resource.

Result<std::string> OptionalString(const json::object& properties, std::string_view logical_id,
                                   std::string_view path, std::string_view key) {
  const json::value* value = properties.if_contains(key);
  if (!value) return std::string();
  if (!value->is_string()) {
    return PropertyError(logical_id, "#/" + std::string(path) + ": expected type: String, found: " +
                                         (value->is_array() ? "JSONArray" : "JSONObject"));
  }
  return std::string(value->get_string());
}

Result<Ok> OneOf(std::string_view logical_id, std::string_view path, const std::string& value,
                 std::initializer_list<std::string_view> allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return Ok{};
  return PropertyError(logical_id,
                       "#/" + std::string(path) + ": " + value + " is not a valid enum value");
}

Result<RuleSpec> RuleOf(std::string_view logical_id, const json::object& properties) {
  RuleSpec rule;
  rule.logical_id = logical_id;
  Result<std::string> name =
      OptionalString(properties, logical_id, "ConfigRuleName", "ConfigRuleName");
  if (!name.ok()) return std::move(name).error();
  rule.name = name->empty() ? std::string(logical_id) : *name;
  if (rule.name.size() > 128) {
    return PropertyError(logical_id, "#/ConfigRuleName: expected maxLength: 128, actual: " +
                                         std::to_string(rule.name.size()));
  }
  if (rule.name.find_first_not_of(" \t\r\n") == std::string::npos) {
    return PropertyError(
        logical_id, "#/ConfigRuleName: string [" + rule.name + "] does not match pattern .*\\S.*");
  }
  Result<std::string> description =
      OptionalString(properties, logical_id, "Description", "Description");
  if (!description.ok()) return std::move(description).error();
  rule.description = std::move(*description);

  const json::value* source = properties.if_contains("Source");
  if (!source || !source->is_object())
    return PropertyError(logical_id, "#: required key [Source] not found");
  const json::object& source_object = source->get_object();
  Result<std::string> owner = OptionalString(source_object, logical_id, "Source/Owner", "Owner");
  if (!owner.ok()) return std::move(owner).error();
  if (owner->empty()) return PropertyError(logical_id, "#/Source: required key [Owner] not found");
  if (Result<Ok> known =
          OneOf(logical_id, "Source/Owner", *owner, {"AWS", "CUSTOM_LAMBDA", "CUSTOM_POLICY"});
      !known.ok()) {
    return std::move(known).error();
  }
  rule.owner = std::move(*owner);
  Result<std::string> identifier =
      OptionalString(source_object, logical_id, "Source/SourceIdentifier", "SourceIdentifier");
  if (!identifier.ok()) return std::move(identifier).error();
  rule.source_identifier = std::move(*identifier);
  if (rule.owner == "CUSTOM_POLICY") {
    const json::object* details = MemberObject(source_object, "CustomPolicyDetails");
    if (!details)
      return PropertyError(logical_id, "#/Source: required key [CustomPolicyDetails] not found");
    for (std::string_view key : {"PolicyRuntime", "PolicyText"}) {
      if (!details->contains(key)) {
        return PropertyError(logical_id, "#/Source/CustomPolicyDetails: required key [" +
                                             std::string(key) + "] not found");
      }
    }
  } else if (rule.source_identifier.empty()) {
    return PropertyError(logical_id, "#/Source: required key [SourceIdentifier] not found");
  }

  if (const json::value* parameters = properties.if_contains("InputParameters")) {
    if (parameters->is_object()) {
      json::object texts;
      for (const auto& entry : parameters->get_object())
        texts[entry.key()] = json::string(Text(entry.value()));
      rule.input_parameters = json::serialize(texts);
    } else if (parameters->is_string()) {
      boost::system::error_code error;
      const json::value parsed = json::parse(parameters->get_string(), error);
      if (error || !parsed.is_object()) {
        return PropertyError(
            logical_id, "#/InputParameters: expected a JSON object of parameter names and values");
      }
      rule.input_parameters = std::string(parameters->get_string());
    } else {
      return PropertyError(logical_id,
                           "#/InputParameters: expected type: JSONObject, found: JSONArray");
    }
  }
  if (const json::value* scope = properties.if_contains("Scope")) {
    if (!scope->is_object())
      return PropertyError(logical_id, "#/Scope: expected type: JSONObject, found: String");
    if (const json::value* types = scope->get_object().if_contains("ComplianceResourceTypes")) {
      if (!types->is_array()) {
        return PropertyError(
            logical_id, "#/Scope/ComplianceResourceTypes: expected type: JSONArray, found: String");
      }
      for (const json::value& type : types->get_array()) rule.resource_types.push_back(Text(type));
    }
  }
  Result<std::string> frequency = OptionalString(
      properties, logical_id, "MaximumExecutionFrequency", "MaximumExecutionFrequency");
  if (!frequency.ok()) return std::move(frequency).error();
  if (!frequency->empty()) {
    if (Result<Ok> known =
            OneOf(logical_id, "MaximumExecutionFrequency", *frequency,
                  {"One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"});
        !known.ok()) {
      return std::move(known).error();
    }
  }
  rule.maximum_execution_frequency = std::move(*frequency);
  return rule;
}

Result<Ok> CheckRemediation(std::string_view logical_id, const json::object& properties) {
  for (std::string_view key : {"ConfigRuleName", "TargetId", "TargetType"}) {
    if (!properties.contains(key))
      return PropertyError(logical_id, "#: required key [" + std::string(key) + "] not found");
  }
  return Ok{};
}

}  // namespace

std::string TemplateErrorMessage(std::string_view what) {
  return "Invalid conformance pack template provided. Errors found: [" + std::string(what) +
         "]. Fix your template and try again.";
}

Result<Template> Template::Parse(std::string_view body) {
  Result<json::value> read = ReadDocument(body);
  if (!read.ok()) return std::move(read).error();
  if (!read->is_object()) return FormatError("unsupported structure.");
  const json::object& document = read->get_object();

  static const std::set<std::string_view> kSections = {"AWSTemplateFormatVersion",
                                                       "Description",
                                                       "Metadata",
                                                       "Parameters",
                                                       "Mappings",
                                                       "Conditions",
                                                       "Transform",
                                                       "Resources",
                                                       "Outputs",
                                                       "Rules"};
  std::vector<std::string> unknown;
  for (const auto& entry : document) {
    if (!kSections.contains(entry.key())) unknown.emplace_back(entry.key());
  }
  if (!unknown.empty())
    return FormatError("Invalid template property or properties [" + Joined(unknown, ", ") + "]");

  if (const json::value* parameters = document.if_contains("Parameters")) {
    if (!parameters->is_object()) return FormatError("Parameters must be an object");
    for (const auto& entry : parameters->get_object()) {
      if (!IsAlphanumeric(entry.key()))
        return FormatError("Parameter name " + std::string(entry.key()) + " is non alphanumeric.");
      const json::value& declaration = entry.value();
      if (!declaration.is_object() || !declaration.get_object().contains("Type") ||
          !declaration.get_object().at("Type").is_string()) {
        return FormatError("Every Parameters object must contain a Type member.");
      }
    }
  }
  if (const json::value* conditions = document.if_contains("Conditions");
      conditions && !conditions->is_object()) {
    return FormatError("Conditions must be an object");
  }

  const json::value* resources = document.if_contains("Resources");
  if (!resources || !resources->is_object() || resources->get_object().empty()) {
    return FormatError("At least one Resources member must be defined.");
  }
  if (resources->get_object().size() > kMaxResources) {
    return TemplateError("Number of resources provided in the template exceeds the allowed limit");
  }
  for (const auto& entry : resources->get_object()) {
    const std::string logical_id(entry.key());
    if (!IsAlphanumeric(logical_id))
      return FormatError("Resource name " + logical_id + " is non alphanumeric.");
    const json::value& resource = entry.value();
    const json::value* type =
        resource.is_object() ? resource.get_object().if_contains("Type") : nullptr;
    if (!type || !type->is_string()) {
      return FormatError("[/Resources/" + logical_id +
                         "] Every Resources object must contain a Type member.");
    }
    if (type->get_string() != kConfigRule && type->get_string() != kRemediation) {
      return TemplateError(
          "Resource " + logical_id + " has the type " + std::string(type->get_string()) +
          "; a conformance pack template contains only " + std::string(kConfigRule) + " and " +
          std::string(kRemediation) + " resources");
    }
    if (const json::value* properties = resource.get_object().if_contains("Properties");
        properties && !properties->is_object()) {
      return FormatError("[/Resources/" + logical_id + "/Properties] Properties must be an object");
    }
  }
  return Template(std::move(*read));
}

Result<std::vector<RuleSpec>> Template::Resolve(const std::map<std::string, std::string>& inputs,
                                                std::string_view account_id,
                                                std::string_view region) const {
  const json::object& document = document_.get_object();
  Resolver resolver(document, account_id, region);
  if (Result<Ok> bound = resolver.BindParameters(inputs); !bound.ok())
    return std::move(bound).error();
  std::vector<RuleSpec> rules;
  std::set<std::string> names;
  for (const auto& entry : document.at("Resources").get_object()) {
    const std::string_view logical_id = entry.key();
    const json::object& resource = entry.value().get_object();
    if (const json::value* condition = resource.if_contains("Condition")) {
      if (!condition->is_string())
        return FormatError("[/Resources/" + std::string(logical_id) +
                           "/Condition] must be a string");
      Result<bool> holds = resolver.NamedCondition(condition->get_string());
      if (!holds.ok()) return std::move(holds).error();
      if (!*holds) continue;
    }
    static const json::value kNoProperties = json::object();
    const json::value* raw = resource.if_contains("Properties");
    Result<std::optional<json::value>> properties = resolver.Evaluate(raw ? *raw : kNoProperties);
    if (!properties.ok()) return std::move(properties).error();
    const json::object& evaluated = properties->has_value() && (*properties)->is_object()
                                        ? (*properties)->get_object()
                                        : kNoProperties.get_object();
    if (resource.at("Type").get_string() == kRemediation) {
      if (Result<Ok> checked = CheckRemediation(logical_id, evaluated); !checked.ok())
        return std::move(checked).error();
      continue;
    }
    Result<RuleSpec> rule = RuleOf(logical_id, evaluated);
    if (!rule.ok()) return std::move(rule).error();
    if (!names.insert(rule->name).second) {
      return TemplateError("ConfigRuleName " + rule->name + " is used by more than one resource");
    }
    rules.push_back(std::move(*rule));
  }
  return rules;
}

}  // namespace cairn::config::templates
