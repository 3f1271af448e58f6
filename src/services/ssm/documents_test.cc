#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "services/ssm/document_content.h"

namespace cairn::ssm {
namespace {
namespace json = boost::json;

constexpr std::string_view kCommandJson = R"({
  "schemaVersion": "2.2",
  "description": "Runs things.",
  "parameters": {
    "commands": {"type": "StringList", "description": "What to run", "minItems": 1},
    "timeout": {"type": "String", "default": "3600", "allowedPattern": "[0-9]+"},
    "retries": {"type": "Integer", "default": 3},
    "flags": {"type": "StringList", "default": []},
    "verbose": {"type": "Boolean", "default": true}
  },
  "mainSteps": [
    {"action": "aws:runShellScript", "name": "unix",
     "inputs": {"runCommand": "{{ commands }}", "timeoutSeconds": "{{ timeout }}"}}
  ]
})";

constexpr std::string_view kCommandYaml = R"(schemaVersion: '2.2'
description: Runs things.
parameters:
  commands:
    type: StringList
    description: What to run
    minItems: 1
  timeout:
    type: String
    default: '3600'
    allowedPattern: '[0-9]+'
  retries:
    type: Integer
    default: 3
  flags:
    type: StringList
    default: []
  verbose:
    type: Boolean
    default: true
mainSteps:
  - action: aws:runShellScript
    name: unix
    inputs:
      runCommand: '{{ commands }}'
      timeoutSeconds: '{{ timeout }}'
)";

const json::object& ParameterNamed(const json::array& parameters, std::string_view name) {
  for (const json::value& parameter : parameters) {
    if (parameter.at("Name").as_string() == name) return parameter.as_object();
  }
  static const json::object kNone;
  ADD_FAILURE() << "no parameter " << name;
  return kNone;
}

void ExpectContentError(const Result<ParsedContent>& parsed, std::string_view code,
                        std::string_view message) {
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, code);
  EXPECT_EQ(parsed.error().message, message);
}

TEST(DocumentContentTest, JsonCommandDocumentReportsWhatDescribeDocumentShows) {
  Result<ParsedContent> parsed = ParseContent(kCommandJson, "JSON", "Command");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->schema_version, "2.2");
  EXPECT_EQ(parsed->description, "Runs things.");
  EXPECT_EQ(parsed->platform_types, (std::set<std::string>{"Linux", "MacOS"}));
  ASSERT_EQ(parsed->parameters.size(), 5u);
  EXPECT_EQ(parsed->parameters[0].at("Name"), "commands");  // the content's order

  const json::object& commands = ParameterNamed(parsed->parameters, "commands");
  EXPECT_FALSE(commands.contains("DefaultValue"));  // required
  EXPECT_EQ(commands.at("Description"), "What to run");
  EXPECT_EQ(commands.at("MinItems"), 1);
  // Defaults are strings; lists, numbers and booleans as JSON text.
  EXPECT_EQ(ParameterNamed(parsed->parameters, "timeout").at("DefaultValue"), "3600");
  EXPECT_EQ(ParameterNamed(parsed->parameters, "retries").at("DefaultValue"), "3");
  EXPECT_EQ(ParameterNamed(parsed->parameters, "flags").at("DefaultValue"), "[]");
  EXPECT_EQ(ParameterNamed(parsed->parameters, "verbose").at("DefaultValue"), "true");
  EXPECT_EQ(ParameterNamed(parsed->parameters, "timeout").at("AllowedPattern"), "[0-9]+");

  // DescribeDocument shows Name, Type, Description and DefaultValue only.
  const json::array shown = PublicParameters(parsed->parameters);
  EXPECT_EQ(
      shown[0].as_object(),
      (json::object{{"Name", "commands"}, {"Type", "StringList"}, {"Description", "What to run"}}));
}

TEST(DocumentContentTest, YamlReadsAsTheSameDocument) {
  Result<ParsedContent> from_yaml = ParseContent(kCommandYaml, "YAML", "Command");
  Result<ParsedContent> from_json = ParseContent(kCommandJson, "JSON", "Command");
  ASSERT_TRUE(from_yaml.ok()) << from_yaml.error().message;
  ASSERT_TRUE(from_json.ok());
  EXPECT_EQ(from_yaml->tree, from_json->tree);
  EXPECT_EQ(from_yaml->parameters, from_json->parameters);
  EXPECT_EQ(from_yaml->platform_types, from_json->platform_types);
}

TEST(DocumentContentTest, YamlPlainScalarsResolveLikeJacksonAndQuotedOnesStayStrings) {
  Result<ParsedContent> parsed = ParseContent(
      "schemaVersion: \"2.2\"\nflag: true\ncount: 3600\nratio: 1.5\nnothing: ~\nquoted: "
      "'3600'\nword: yes\n"
      "mainSteps: []\n",
      "YAML", "Command");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const json::object& tree = parsed->tree.as_object();
  EXPECT_EQ(tree.at("flag"), true);
  EXPECT_EQ(tree.at("count"), 3600);
  EXPECT_EQ(tree.at("ratio"), 1.5);
  EXPECT_TRUE(tree.at("nothing").is_null());
  EXPECT_EQ(tree.at("quoted"), "3600");
  EXPECT_EQ(tree.at("word"), "yes");
}

TEST(DocumentContentTest, PlatformTypesFollowPluginsAndPreconditions) {
  Result<ParsedContent> parsed = ParseContent(R"({"schemaVersion": "2.2", "mainSteps": [
      {"action": "aws:runPowerShellScript", "name": "win",
       "precondition": {"StringEquals": ["platformType", "Windows"]}, "inputs": {"runCommand": ["dir"]}}]})",
                                              "JSON", "Command");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->platform_types, (std::set<std::string>{"Windows"}));
  EXPECT_EQ(PlatformTypesJson({"MacOS", "Windows", "Linux"}),
            (json::array{"Windows", "Linux", "MacOS"}));

  parsed =
      ParseContent(R"({"schemaVersion": "1.2", "runtimeConfig": {"aws:runPowerShellScript": {}}})",
                   "JSON", "Command");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->platform_types, (std::set<std::string>{"Windows", "Linux"}));

  parsed = ParseContent(R"({"schemaVersion": "0.3", "mainSteps": []})", "JSON", "Automation");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->platform_types.size(), 3u);
}

TEST(DocumentContentTest, MalformedJsonIsPlacedAsJacksonPlacesIt) {
  // awslabs/amazon-eks-ami#716: a URL given as content.
  ExpectContentError(ParseContent("https://raw.githubusercontent.com/x.json", "JSON", "Command"),
                     "InvalidDocumentContent", "JSON not well-formed. at Line: 1, Column: 6");
  ExpectContentError(ParseContent("{\n  \"schemaVersion\": \"2.2\",\n  oops\n}", "JSON", "Command"),
                     "InvalidDocumentContent", "JSON not well-formed. at Line: 3, Column: 7");
  ExpectContentError(ParseContent("a: b\n  c: d\n", "YAML", "Command"), "InvalidDocumentContent",
                     "YAML not well-formed. at Line: 2, Column: 4");
}

TEST(DocumentContentTest, SchemaVersionRules) {
  ExpectContentError(
      ParseContent(R"({"mainSteps": []})", "JSON", "Command"), "InvalidDocumentContent",
      R"x([message: "object has missing required properties ([\"schemaVersion\"])" - parent node: /])x");
  ExpectContentError(ParseContent(R"({"schemaVersion": "3.0"})", "JSON", "Automation"),
                     "InvalidDocumentContent", "Document schema version is invalid. Value: 3.0");
  ExpectContentError(ParseContent(R"({"schemaVersion": "2.0", "inputs": {}})", "JSON", "Session"),
                     "InvalidDocumentSchemaVersion",
                     "2.0 is not a valid schema version for Session document type");
  ExpectContentError(ParseContent(R"({"schemaVersion": "0.3"})", "JSON", "Command"),
                     "InvalidDocumentSchemaVersion",
                     "0.3 is not a valid schema version for Command document type");
  ExpectContentError(
      ParseContent(R"({"Resources": {}})", "JSON", "CloudFormation"), "InvalidDocumentContent",
      R"x([message: "object has missing required properties ([\"schemaVersion\",\"templateBody\"])" - parent node: /])x");
  // Types without a schema of their own take any object.
  EXPECT_TRUE(ParseContent(R"({"anything": 1})", "JSON", "ApplicationConfiguration").ok());
}

TEST(DocumentContentTest, ContentThatIsNoDocumentIsRefused) {
  EXPECT_EQ(ParseContent("[1, 2]", "JSON", "Command").error().code, "InvalidDocumentContent");
  EXPECT_EQ(ParseContent("just words", "YAML", "Command").error().code, "InvalidDocumentContent");
  EXPECT_EQ(ParseContent(R"({"schemaVersion": "2.2", "parameters": {"p": {"type": "Float"}}})",
                         "JSON", "Command")
                .error()
                .code,
            "InvalidDocumentContent");
  EXPECT_EQ(ParseContent("BEGIN:VCALENDAR", "TEXT", "Command").error().code,
            "InvalidDocumentContent");
  EXPECT_TRUE(ParseContent("BEGIN:VCALENDAR", "TEXT", "ChangeCalendar").ok());
}

TEST(DocumentContentTest, UndeclaredParametersAreRefused) {
  // CrowdStrike/aws-ssm-distributor#66.
  ExpectContentError(
      ParseContent(R"({"schemaVersion": "0.3", "mainSteps": [{"name": "s", "action": "aws:sleep",
                                     "inputs": {"Duration": "{{ PackageVersion }}"}}]})",
                   "JSON", "Automation"),
      "InvalidDocumentContent", "Parameter \"PackageVersion\" is not declared.");
  // System variables, step outputs and other templating are not parameters.
  EXPECT_TRUE(
      ParseContent(R"({"schemaVersion": "0.3", "mainSteps": [{"name": "s", "action": "aws:sleep",
                              "inputs": {"a": "{{ automation:EXECUTION_ID }}", "b": "{{ s.Output }}",
                                         "c": "{{ .State.Running }}"}}]})",
                   "JSON", "Automation")
          .ok());
}

TEST(DocumentContentTest, ConvertsBetweenJsonAndYaml) {
  const std::string yaml = *ConvertContent(R"({"schemaVersion":"2.2","parameters":{},"mainSteps":[
      {"action":"aws:runShellScript","name":"run","inputs":{"runCommand":["echo \"hi\"","ls"]}}],
      "count":2,"on":true,"nested":[[1,2]]})",
                                           "JSON", "YAML");
  EXPECT_EQ(yaml,
            "---\n"
            "schemaVersion: \"2.2\"\n"
            "parameters: {}\n"
            "mainSteps:\n"
            "- action: \"aws:runShellScript\"\n"
            "  name: \"run\"\n"
            "  inputs:\n"
            "    runCommand:\n"
            "    - \"echo \\\"hi\\\"\"\n"
            "    - \"ls\"\n"
            "count: 2\n"
            "\"on\": true\n"
            "nested:\n"
            "- - 1\n"
            "  - 2\n");
  // And back: the same values.
  const std::string json_text = *ConvertContent(yaml, "YAML", "JSON");
  EXPECT_EQ(
      json::parse(json_text),
      json::parse(
          R"({"schemaVersion":"2.2","parameters":{},"mainSteps":[{"action":"aws:runShellScript",
                "name":"run","inputs":{"runCommand":["echo \"hi\"","ls"]}}],"count":2,"on":true,"nested":[[1,2]]})"));
  EXPECT_EQ(*ConvertContent("{ }", "JSON", "JSON"),
            "{ }");  // the same format is returned as stored
  // prowler-cloud/prowler#2146.
  Result<std::string> text = ConvertContent("BEGIN:VCALENDAR", "TEXT", "JSON");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, "ValidationException");
  EXPECT_EQ(text.error().message, "Invalid document format JSON");
}

TEST(DocumentContentTest, JsonLayouts) {
  const json::value value = json::parse(R"({"a":[1,{"b":"x"}],"c":{},"d":[],"e":1.5})");
  EXPECT_EQ(ToJson(value), R"({"a":[1,{"b":"x"}],"c":{},"d":[],"e":1.5})");
  EXPECT_EQ(ToJson(value, 4, ":"),
            "{\n    \"a\":[\n        1,\n        {\n            \"b\":\"x\"\n        }\n    ],\n"
            "    \"c\":{},\n    \"d\":[],\n    \"e\":1.5\n}");
}

TEST(DocumentContentTest, Sha256Hex) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AwsDocumentsTest, CatalogueIsLoadedAndReadsLikeTheDocumentsItHolds) {
  const auto& catalog = AwsDocuments();
  ASSERT_TRUE(catalog.contains("AWS-RunShellScript"));
  ASSERT_TRUE(catalog.contains("AWS-RunPatchBaseline"));
  const AwsDocument& shell = catalog.at("AWS-RunShellScript");
  EXPECT_EQ(shell.document.owner, "Amazon");
  EXPECT_EQ(shell.version.status, "Active");
  // The content as AWS serves it: its published Hash is the SHA-256 of these bytes.
  EXPECT_EQ(shell.version.hash, "99749de5e62f71e5ebe9a55c2321e2c394796afe7208cff048696541e6f6771e");
  EXPECT_EQ(Sha256Hex(shell.version.content), shell.version.hash);

  for (const auto& [name, aws] : catalog) {
    SCOPED_TRACE(name);
    Result<ParsedContent> parsed =
        ParseContent(aws.version.content, "JSON", aws.document.document_type);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->schema_version, aws.document.schema_version);
    // AWS lists some legacy documents on fewer platforms than their plugins support
    // (AWS-ApplyPatchBaseline: Windows only): the catalogue's list stands, within the plugins'.
    EXPECT_TRUE(std::includes(parsed->platform_types.begin(), parsed->platform_types.end(),
                              aws.document.platform_types.begin(),
                              aws.document.platform_types.end()));
    // What the content declares is what the catalogue says, defaults included.
    EXPECT_EQ(PublicParameters(parsed->parameters), aws.document.parameters);
    for (const json::value& parameter : aws.parameters)
      EXPECT_FALSE(parameter.as_object().contains("Required"));
  }
}

}  // namespace
}  // namespace cairn::ssm
