#include "services/ssm/document_content.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "base/sha256.h"
#include "base/time_format.h"
#include "services/ssm/errors.h"

// aws_documents.json, embedded by src/services/CMakeLists.txt with .incbin.
extern "C" const char cairn_ssm_aws_documents_begin[];
extern "C" const char cairn_ssm_aws_documents_end[];

namespace cairn::ssm {
namespace json = boost::json;
namespace {

constexpr std::array<std::string_view, 3> kPlatformOrder = {"Windows", "Linux", "MacOS"};
const std::set<std::string> kAllPlatforms = {"Windows", "Linux", "MacOS"};

// Schema versions SSM knows at all; a version outside them is a content error ("Document
// schema version is invalid. Value: 3.0", reported for an Automation document in
// hashicorp/terraform-provider-aws#21213).
const std::set<std::string, std::less<>> kKnownSchemaVersions = {"0.3", "1.0", "1.2", "2.0", "2.2"};

// The schema versions each document type accepts (Systems Manager User Guide, "Schema
// features and examples"): Command 1.2/2.0/2.2, Policy 2.0 or later, Automation 0.3, Session
// 1.0; a Distributor package manifest is 2.0. Types absent here carry free-form content.
const std::map<std::string, std::set<std::string, std::less<>>, std::less<>> kSchemaVersionsByType =
    {
        {"Command", {"1.2", "2.0", "2.2"}},     {"Policy", {"2.0", "2.2"}}, {"Automation", {"0.3"}},
        {"Automation.ChangeTemplate", {"0.3"}}, {"Session", {"1.0"}},       {"Package", {"2.0"}},
};

// The platforms each Command and Policy plugin runs on (Systems Manager User Guide, "Command
// document plugin reference", Supported platforms of each plugin). A document's PlatformTypes
// is the union over its steps. aws:runPowerShellScript is Windows and Linux: AWS lists
// AWS-RunPowerShellScript so.
const std::map<std::string, std::set<std::string>, std::less<>> kPluginPlatforms = {
    {"aws:applications", {"Windows"}},
    {"aws:cloudWatch", {"Windows"}},
    {"aws:configureDocker", {"Windows", "Linux"}},
    {"aws:configurePackage", kAllPlatforms},
    {"aws:domainJoin", {"Windows", "Linux"}},
    {"aws:downloadContent", kAllPlatforms},
    {"aws:psModule", {"Windows"}},
    {"aws:refreshAssociation", kAllPlatforms},
    {"aws:runDockerAction", {"Windows", "Linux"}},
    {"aws:runDocument", kAllPlatforms},
    {"aws:runPowerShellScript", {"Windows", "Linux"}},
    {"aws:runShellScript", {"Linux", "MacOS"}},
    {"aws:softwareInventory", kAllPlatforms},
    {"aws:updateAgent", {"Windows"}},
    {"aws:updateSsmAgent", kAllPlatforms},
};

const std::set<std::string, std::less<>> kParameterTypes = {"String",  "StringList", "Boolean",
                                                            "Integer", "MapList",    "StringMap"};

// The limit of nesting accepted in content; deeper documents are refused, not crashed on.
constexpr unsigned kMaxDepth = 256;

AwsError ContentError(std::string message = "") {
  return message.empty() ? errors::InvalidDocumentContent()
                         : errors::InvalidDocumentContent(std::move(message));
}

// --- number formatting shared by the JSON and YAML writers

std::string FormatDouble(double number) {
  char buffer[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, number);
    if (std::strtod(buffer, nullptr) == number) break;
  }
  std::string text(buffer);
  // Keep a float a float when it is written back (1.0 stays 1.0, not 1).
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

std::string ScalarJson(const json::value& value) {
  switch (value.kind()) {
    case json::kind::int64:
      return std::to_string(value.get_int64());
    case json::kind::uint64:
      return std::to_string(value.get_uint64());
    case json::kind::double_:
      return FormatDouble(value.get_double());
    default:
      return json::serialize(value);
  }
}

// --- JSON writer (compact, or Python's json.dumps(indent=N) layout)

void WriteJson(const json::value& value, int indent, std::string_view separator, int depth,
               std::string& out) {
  const auto newline = [&](int level) {
    if (indent == 0) return;
    out.push_back('\n');
    out.append(static_cast<size_t>(indent * level), ' ');
  };
  if (value.is_object()) {
    const json::object& object = value.get_object();
    if (object.empty()) {
      out += "{}";
      return;
    }
    out.push_back('{');
    bool first = true;
    for (const auto& member : object) {
      if (!first) out.push_back(',');
      first = false;
      newline(depth + 1);
      out += json::serialize(json::string(member.key()));
      out += separator;
      WriteJson(member.value(), indent, separator, depth + 1, out);
    }
    newline(depth);
    out.push_back('}');
  } else if (value.is_array()) {
    const json::array& array = value.get_array();
    if (array.empty()) {
      out += "[]";
      return;
    }
    out.push_back('[');
    bool first = true;
    for (const json::value& item : array) {
      if (!first) out.push_back(',');
      first = false;
      newline(depth + 1);
      WriteJson(item, indent, separator, depth + 1, out);
    }
    newline(depth);
    out.push_back(']');
  } else {
    out += ScalarJson(value);
  }
}

// --- YAML reader: yaml-cpp nodes to JSON values, resolving plain scalars as Jackson's YAML
// parser does (true/false, null/~/empty, integers, floats; everything else a string).

bool IsInteger(std::string_view text) {
  size_t start = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (start == text.size()) return false;
  for (size_t idx = start; idx < text.size(); ++idx) {
    if (!std::isdigit(static_cast<unsigned char>(text[idx]))) return false;
  }
  return true;
}

bool IsFloat(std::string_view text) {
  size_t idx = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  size_t digits = 0;
  while (idx < text.size() && std::isdigit(static_cast<unsigned char>(text[idx]))) ++idx, ++digits;
  if (idx < text.size() && text[idx] == '.') {
    ++idx;
    while (idx < text.size() && std::isdigit(static_cast<unsigned char>(text[idx])))
      ++idx, ++digits;
  }
  if (digits == 0) return false;
  if (idx < text.size() && (text[idx] == 'e' || text[idx] == 'E')) {
    ++idx;
    if (idx < text.size() && (text[idx] == '-' || text[idx] == '+')) ++idx;
    size_t exponent_digits = 0;
    while (idx < text.size() && std::isdigit(static_cast<unsigned char>(text[idx])))
      ++idx, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return idx == text.size();
}

bool IsNullWord(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::optional<bool> BoolWord(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

json::value PlainScalar(const std::string& text) {
  if (IsNullWord(text)) return nullptr;
  if (std::optional<bool> flag = BoolWord(text)) return *flag;
  if (IsInteger(text)) {
    errno = 0;
    const long long number = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == 0) return static_cast<int64_t>(number);
  }
  if (IsFloat(text)) return std::strtod(text.c_str(), nullptr);
  return json::string(text);
}

Result<json::value> FromYaml(const YAML::Node& node, unsigned depth) {
  if (depth > kMaxDepth) return ContentError();
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json::object object;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) return ContentError();
        Result<json::value> member = FromYaml(entry.second, depth + 1);
        if (!member.ok()) return std::move(member).error();
        object[entry.first.Scalar()] = std::move(*member);
      }
      return json::value(std::move(object));
    }
    case YAML::NodeType::Sequence: {
      json::array array;
      for (const YAML::Node& item : node) {
        Result<json::value> element = FromYaml(item, depth + 1);
        if (!element.ok()) return std::move(element).error();
        array.push_back(std::move(*element));
      }
      return json::value(std::move(array));
    }
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted and block scalars "!" and plain ones "?": only plain scalars are
      // resolved to booleans, numbers and null.
      if (node.Tag() == "!") return json::value(json::string(node.Scalar()));
      return PlainScalar(node.Scalar());
    default:
      return json::value(nullptr);
  }
}

// --- YAML writer (Jackson's YAMLGenerator defaults: document start marker, strings always
// double-quoted, block style, sequence dashes at their key's indentation). Jackson also folds
// long strings at 80 columns; cairn writes each string on one line, the same value.

std::string QuotedYaml(std::string_view text) {
  std::string out = "\"";
  for (const char raw : text) {
    const auto byte = static_cast<unsigned char>(raw);
    switch (raw) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\x%02X", byte);
          out += escape;
        } else {
          out.push_back(raw);
        }
    }
  }
  out.push_back('"');
  return out;
}

// Words YAML 1.1 readers (PyYAML, SnakeYAML's resolver) take for booleans.
bool IsYaml11Bool(std::string_view text) {
  static const std::set<std::string, std::less<>> kWords = {"y",  "Y",   "yes", "Yes", "YES", "n",
                                                            "N",  "no",  "No",  "NO",  "on",  "On",
                                                            "ON", "off", "Off", "OFF"};
  return kWords.contains(text);
}

// A key is written plain unless a YAML reader could take plain text for something else.
std::string YamlKey(std::string_view key) {
  static const std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  bool plain = !key.empty() && kIndicators.find(key.front()) == std::string_view::npos &&
               !std::isspace(static_cast<unsigned char>(key.front())) &&
               !std::isspace(static_cast<unsigned char>(key.back())) && key.back() != ':' &&
               key.find(": ") == std::string_view::npos &&
               key.find(" #") == std::string_view::npos && !IsNullWord(key) && !BoolWord(key) &&
               !IsYaml11Bool(key) && !IsInteger(key) && !IsFloat(key);
  for (const char raw : key) {
    if (static_cast<unsigned char>(raw) < 0x20) plain = false;
  }
  return plain ? std::string(key) : QuotedYaml(key);
}

std::string ScalarYaml(const json::value& value) {
  if (value.is_string()) return QuotedYaml(value.get_string());
  if (value.is_object()) return "{}";
  if (value.is_array()) return "[]";
  return ScalarJson(value);
}

bool IsBlock(const json::value& value) {
  return (value.is_object() && !value.get_object().empty()) ||
         (value.is_array() && !value.get_array().empty());
}

void WriteYamlSequence(const json::array& array, size_t indent, bool inline_first,
                       std::string& out);

// Writes the members of `object` at `indent`; the first one follows what is already on the
// line when `inline_first` (a mapping that is a sequence item).
void WriteYamlMapping(const json::object& object, size_t indent, bool inline_first,
                      std::string& out) {
  bool first = true;
  for (const auto& member : object) {
    if (!(first && inline_first)) out.append(indent, ' ');
    first = false;
    out += YamlKey(member.key());
    out.push_back(':');
    const json::value& value = member.value();
    if (!IsBlock(value)) {
      out.push_back(' ');
      out += ScalarYaml(value);
      out.push_back('\n');
    } else if (value.is_object()) {
      out.push_back('\n');
      WriteYamlMapping(value.get_object(), indent + 2, false, out);
    } else {
      out.push_back('\n');
      WriteYamlSequence(value.get_array(), indent, false, out);
    }
  }
}

void WriteYamlSequence(const json::array& array, size_t indent, bool inline_first,
                       std::string& out) {
  bool first = true;
  for (const json::value& item : array) {
    if (!(first && inline_first)) out.append(indent, ' ');
    first = false;
    out += "- ";
    if (!IsBlock(item)) {
      out += ScalarYaml(item);
      out.push_back('\n');
    } else if (item.is_object()) {
      WriteYamlMapping(item.get_object(), indent + 2, true, out);
    } else {
      WriteYamlSequence(item.get_array(), indent + 2, true, out);
    }
  }
}

// --- parsing

// JSON errors read as Jackson's do, "JSON not well-formed. at Line: 1, Column: 6" for
// content `https://...` (awslabs/amazon-eks-ami#716, aws/aws-cli#6860): the position is just
// past the offending token, lines and columns counted from 1.
AwsError JsonSyntaxError(std::string_view content, size_t offset) {
  size_t end = offset;
  if (end < content.size()) {
    if (std::isalnum(static_cast<unsigned char>(content[end])) || content[end] == '_') {
      while (end < content.size() &&
             (std::isalnum(static_cast<unsigned char>(content[end])) || content[end] == '_')) {
        ++end;
      }
    } else {
      ++end;
    }
  }
  size_t line = 1;
  size_t line_start = 0;
  for (size_t idx = 0; idx < offset && idx < content.size(); ++idx) {
    if (content[idx] == '\n') {
      ++line;
      line_start = idx + 1;
    }
  }
  return ContentError("JSON not well-formed. at Line: " + std::to_string(line) +
                      ", Column: " + std::to_string(end - line_start + 1));
}

Result<json::value> ParseJsonText(std::string_view content) {
  json::parse_options options;
  options.max_depth = kMaxDepth;
  json::stream_parser parser({}, options);
  boost::system::error_code error;
  const size_t consumed = parser.write(content.data(), content.size(), error);
  if (error) return JsonSyntaxError(content, consumed);
  parser.finish(error);
  if (error) return JsonSyntaxError(content, content.size());
  return parser.release();
}

// The YAML counterpart of the JSON message (by analogy: no real YAML syntax error message
// is published).
Result<json::value> ParseYamlText(std::string_view content) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(content));
  } catch (const YAML::Exception& error) {
    return ContentError("YAML not well-formed. at Line: " + std::to_string(error.mark.line + 1) +
                        ", Column: " + std::to_string(error.mark.column + 1));
  }
  return FromYaml(root, 0);
}

std::string SchemaVersionText(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  return value.is_number() ? ScalarJson(value) : "";
}

std::string DefaultValueText(const json::value& value) {
  return value.is_string() ? std::string(value.get_string()) : ToJson(value);
}

Result<json::array> ParametersOf(const json::object& root) {
  json::array out;
  const json::value* declared = root.if_contains("parameters");
  if (!declared || declared->is_null()) return out;
  if (!declared->is_object()) return ContentError();
  for (const auto& [name, spec] : declared->get_object()) {
    if (!spec.is_object()) return ContentError();
    const json::object& fields = spec.get_object();
    const json::value* type = fields.if_contains("type");
    if (!type || !type->is_string() || !kParameterTypes.contains(type->get_string()))
      return ContentError();
    json::object parameter{{"Name", name}, {"Type", *type}};
    if (const json::value* description = fields.if_contains("description");
        description && description->is_string()) {
      parameter["Description"] = *description;
    }
    if (const json::value* value = fields.if_contains("default"); value && !value->is_null()) {
      parameter["DefaultValue"] = DefaultValueText(*value);
    }
    static const std::pair<std::string_view, std::string_view> kConstraints[] = {
        {"allowedValues", "AllowedValues"}, {"allowedPattern", "AllowedPattern"},
        {"minItems", "MinItems"},           {"maxItems", "MaxItems"},
        {"minChars", "MinChars"},           {"maxChars", "MaxChars"}};
    for (const auto& [content_name, member] : kConstraints) {
      if (const json::value* value = fields.if_contains(content_name)) parameter[member] = *value;
    }
    out.push_back(std::move(parameter));
  }
  return out;
}

// `{{ name }}` references in every string below `value`, for names made of word characters
// only: `{{ automation:EXECUTION_ID }}`, `{{ ssm:/path }}` and step outputs `{{ step.Output }}`
// are not parameters.
void CollectReferences(const json::value& value, std::set<std::string>& names) {
  if (value.is_string()) {
    const std::string_view text = value.get_string();
    for (size_t open = text.find("{{"); open != std::string_view::npos;
         open = text.find("{{", open + 2)) {
      const size_t close = text.find("}}", open + 2);
      if (close == std::string_view::npos) return;
      std::string_view inner = text.substr(open + 2, close - open - 2);
      while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
      while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
      bool word = !inner.empty();
      for (const char raw : inner) {
        if (!std::isalnum(static_cast<unsigned char>(raw)) && raw != '_') word = false;
      }
      if (word) names.emplace(inner);
    }
  } else if (value.is_object()) {
    for (const auto& member : value.get_object()) CollectReferences(member.value(), names);
  } else if (value.is_array()) {
    for (const json::value& item : value.get_array()) CollectReferences(item, names);
  }
}

std::set<std::string> StepPlatforms(const json::object& step) {
  const json::value* action = step.if_contains("action");
  if (!action || !action->is_string()) return {};
  auto known = kPluginPlatforms.find(action->get_string());
  if (known == kPluginPlatforms.end()) return {};
  std::set<std::string> platforms = known->second;
  // A step that runs on one platform only: "precondition": {"StringEquals": ["platformType",
  // "Linux"]}.
  if (const json::value* precondition = step.if_contains("precondition");
      precondition && precondition->is_object()) {
    const json::value* equals = precondition->get_object().if_contains("StringEquals");
    if (equals && equals->is_array() && equals->get_array().size() == 2 &&
        equals->get_array()[0] == "platformType" && equals->get_array()[1].is_string()) {
      const std::string only(equals->get_array()[1].get_string());
      std::set<std::string> narrowed;
      if (platforms.contains(only)) narrowed.insert(only);
      platforms = std::move(narrowed);
    }
  }
  return platforms;
}

std::set<std::string> PlatformsOf(const json::object& root, std::string_view document_type,
                                  std::string_view schema_version) {
  if (document_type == "Automation" || document_type == "Automation.ChangeTemplate" ||
      document_type == "Session" || document_type == "Package") {
    return kAllPlatforms;
  }
  if (document_type != "Command" && document_type != "Policy") return {};
  std::set<std::string> platforms;
  if (schema_version == "1.2") {
    if (const json::value* config = root.if_contains("runtimeConfig");
        config && config->is_object()) {
      for (const auto& plugin : config->get_object()) {
        json::object step{{"action", plugin.key()}};
        platforms.merge(StepPlatforms(step));
      }
    }
    return platforms;
  }
  if (const json::value* steps = root.if_contains("mainSteps"); steps && steps->is_array()) {
    for (const json::value& step : steps->get_array()) {
      if (step.is_object()) platforms.merge(StepPlatforms(step.get_object()));
    }
  }
  return platforms;
}

// Missing root members read as the schema validator's report, "[message: "object has missing
// required properties ([\"schemaVersion\",\"templateBody\"])" - parent node: /]" for a
// CloudFormation document (aws/aws-cli#8253).
AwsError MissingProperties(std::initializer_list<std::string_view> names) {
  std::string list;
  for (std::string_view name : names) {
    if (!list.empty()) list += ",";
    list += "\\\"" + std::string(name) + "\\\"";
  }
  return ContentError("[message: \"object has missing required properties ([" + list +
                      "])\" - parent node: /]");
}

}  // namespace

Result<ParsedContent> ParseContent(std::string_view content, std::string_view format,
                                   std::string_view document_type) {
  const auto versions = kSchemaVersionsByType.find(document_type);
  const bool structured =
      versions != kSchemaVersionsByType.end() || document_type == "CloudFormation";
  ParsedContent parsed;
  if (format == "TEXT") {
    // TEXT carries content SSM does not read (a ChangeCalendar's iCalendar data).
    if (structured) return ContentError();
    return parsed;
  }
  Result<json::value> tree = format == "YAML" ? ParseYamlText(content) : ParseJsonText(content);
  if (!tree.ok()) return std::move(tree).error();
  if (!tree->is_object()) return ContentError();
  const json::object& root = tree->get_object();

  const json::value* schema = root.if_contains("schemaVersion");
  if (schema) parsed.schema_version = SchemaVersionText(*schema);
  if (document_type == "CloudFormation" && (!schema || !root.contains("templateBody"))) {
    if (!schema && !root.contains("templateBody"))
      return MissingProperties({"schemaVersion", "templateBody"});
    return schema ? MissingProperties({"templateBody"}) : MissingProperties({"schemaVersion"});
  }
  if (versions != kSchemaVersionsByType.end()) {
    if (!schema) return MissingProperties({"schemaVersion"});
    if (!kKnownSchemaVersions.contains(parsed.schema_version)) {
      return ContentError("Document schema version is invalid. Value: " + parsed.schema_version);
    }
    // A known version the type does not take: "2.0 is not a valid schema version for Session
    // document type" (gazoakley/terraform-aws-session-manager-settings#1).
    if (!versions->second.contains(parsed.schema_version)) {
      return errors::InvalidDocumentSchemaVersion(parsed.schema_version +
                                                  " is not a valid schema version for " +
                                                  std::string(document_type) + " document type");
    }
  }
  if (const json::value* description = root.if_contains("description");
      description && description->is_string()) {
    parsed.description = description->get_string();
  }
  Result<json::array> parameters = ParametersOf(root);
  if (!parameters.ok()) return std::move(parameters).error();
  parsed.parameters = std::move(*parameters);

  // A reference to a parameter the document does not declare: `Parameter "PackageVersion" is
  // not declared.` (CrowdStrike/aws-ssm-distributor#66).
  if (versions != kSchemaVersionsByType.end()) {
    std::set<std::string> referenced;
    for (const auto& member : root) {
      if (member.key() != "parameters" && member.key() != "description")
        CollectReferences(member.value(), referenced);
    }
    for (const std::string& name : referenced) {
      if (!root.contains("parameters") || !root.at("parameters").is_object() ||
          !root.at("parameters").get_object().contains(name)) {
        return ContentError("Parameter \"" + name + "\" is not declared.");
      }
    }
  }
  parsed.platform_types = PlatformsOf(root, document_type, parsed.schema_version);
  parsed.tree = std::move(*tree);
  return parsed;
}

json::array PublicParameters(const json::array& parameters) {
  json::array out;
  for (const json::value& parameter : parameters) {
    const json::object& fields = parameter.as_object();
    json::object shown;
    for (std::string_view member : {"Name", "Type", "Description", "DefaultValue"}) {
      if (const json::value* value = fields.if_contains(member)) shown[member] = *value;
    }
    out.push_back(std::move(shown));
  }
  return out;
}

json::array PlatformTypesJson(const std::set<std::string>& platform_types) {
  json::array out;
  for (std::string_view platform : kPlatformOrder) {
    if (platform_types.contains(std::string(platform))) out.emplace_back(platform);
  }
  return out;
}

Result<std::string> ConvertContent(std::string_view content, std::string_view stored_format,
                                   std::string_view wanted_format) {
  if (wanted_format.empty() || wanted_format == stored_format) return std::string(content);
  // "Invalid document format JSON" when a document cannot be had in the format asked for
  // (prowler-cloud/prowler#2146).
  if (wanted_format == "TEXT" || stored_format == "TEXT") {
    return AwsError::Make("ValidationException",
                          "Invalid document format " + std::string(wanted_format));
  }
  Result<json::value> tree =
      stored_format == "YAML" ? ParseYamlText(content) : ParseJsonText(content);
  if (!tree.ok()) return std::move(tree).error();
  // Conversions to JSON are compact: no published response shows AWS's layout for them.
  return wanted_format == "YAML" ? ToYaml(*tree) : ToJson(*tree);
}

std::string ToYaml(const json::value& value) {
  std::string out = "---";
  if (IsBlock(value)) {
    out.push_back('\n');
    if (value.is_object()) {
      WriteYamlMapping(value.get_object(), 0, false, out);
    } else {
      WriteYamlSequence(value.get_array(), 0, false, out);
    }
  } else {
    out.push_back(' ');
    out += ScalarYaml(value);
    out.push_back('\n');
  }
  return out;
}

std::string ToJson(const json::value& value, int indent, std::string_view separator) {
  std::string out;
  WriteJson(value, indent, separator, 0, out);
  return out;
}

std::string Sha256Hex(std::string_view data) { return sha256::HexHash(data); }

namespace {

std::string Member(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

// The catalogue's entry for one document. Content is written the way AWS serves the JSON
// AWS documents: four-space indentation, no space after the colon, a final newline. That
// layout reproduces the published Hash of AWS-RunShellScript byte for byte.
AwsDocument LoadAwsDocument(const json::object& entry) {
  // Entries without a published CreatedDate get this fixed one (AWS-RunShellScript's), so
  // responses stay the same from run to run.
  static const double kDefaultCreated = *time_format::ParseIso8601("2017-08-30T21:33:44.432Z");
  AwsDocument aws;
  Document& document = aws.document;
  document.name = Member(entry, "Name");
  document.owner = "Amazon";
  document.document_type = Member(entry, "DocumentType");
  document.schema_version = Member(entry, "SchemaVersion");
  document.description = Member(entry, "Description");
  document.default_version = Member(entry, "DefaultVersion");
  document.latest_version = Member(entry, "LatestVersion");
  const std::optional<double> created = time_format::ParseIso8601(Member(entry, "CreatedDate"));
  document.created = created ? *created : kDefaultCreated;
  for (const json::value& platform : entry.at("PlatformTypes").as_array()) {
    document.platform_types.emplace(platform.as_string());
  }
  for (const json::value& parameter : entry.at("Parameters").as_array()) {
    json::object fields = parameter.as_object();
    fields.erase("Required");  // implied: no DefaultValue
    aws.parameters.push_back(std::move(fields));
  }
  document.parameters = PublicParameters(aws.parameters);

  DocumentVersion& version = aws.version;
  version.name = document.name;
  version.version = Member(entry, "DocumentVersion");
  version.content = ToJson(entry.at("Content"), 4, ":") + "\n";
  version.format = "JSON";
  version.hash = Sha256Hex(version.content);
  version.created = document.created;
  version.status = "Active";
  return aws;
}

std::map<std::string, AwsDocument, std::less<>> LoadAwsDocuments() {
  const std::string_view text(
      cairn_ssm_aws_documents_begin,
      static_cast<size_t>(cairn_ssm_aws_documents_end - cairn_ssm_aws_documents_begin));
  std::map<std::string, AwsDocument, std::less<>> catalog;
  const json::value parsed = json::parse(text);
  for (const json::value& entry : parsed.at("documents").as_array()) {
    AwsDocument aws = LoadAwsDocument(entry.as_object());
    std::string name = aws.document.name;
    if (!catalog.emplace(std::move(name), std::move(aws)).second) {
      throw std::logic_error("aws_documents.json names a document twice");
    }
  }
  return catalog;
}

}  // namespace

const std::map<std::string, AwsDocument, std::less<>>& AwsDocuments() {
  static const std::map<std::string, AwsDocument, std::less<>> kCatalog = LoadAwsDocuments();
  return kCatalog;
}

}  // namespace cairn::ssm
