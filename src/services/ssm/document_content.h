// The content of SSM documents: what CreateDocument and UpdateDocument check in it, what
// DescribeDocument reports from it (schema version, description, parameters, platform types),
// GetDocument's conversions between JSON and YAML, content hashes, and the catalogue of
// AWS-owned documents (aws_documents.json, embedded in the binary and parsed once, on first
// use). Pure functions over values and one immutable catalogue: safe from any thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "base/result.h"
#include "services/ssm/resources.h"

namespace cairn::ssm {

// What a document's content says about it.
struct ParsedContent {
  boost::json::value tree;  // the content as JSON values (null for TEXT content)
  std::string schema_version;
  std::string description;
  // One DocumentParameter per declared parameter, in the content's order: Name, Type,
  // Description, DefaultValue (absent when the parameter has no default, i.e. is required),
  // and, for callers that check parameter values, the constraints the content declares:
  // AllowedValues, AllowedPattern, MinItems, MaxItems, MinChars, MaxChars.
  boost::json::array parameters;
  std::set<std::string> platform_types;  // Windows | Linux | MacOS
};

// Parses `content` written in `format` (JSON, YAML or TEXT) for a document of `document_type`
// and checks what CreateDocument checks: well-formed, an object, a schema version that exists
// and that the type accepts, parameters that are declared. Errors: InvalidDocumentContent,
// InvalidDocumentSchemaVersion, with AWS's messages where they are known.
Result<ParsedContent> ParseContent(std::string_view content, std::string_view format,
                                   std::string_view document_type);

// The members of DocumentParameter that DescribeDocument returns (Name, Type, Description,
// DefaultValue), without the constraints ParsedContent::parameters adds for validation.
boost::json::array PublicParameters(const boost::json::array& parameters);

// PlatformTypes as AWS lists them: Windows, Linux, MacOS, in that order.
boost::json::array PlatformTypesJson(const std::set<std::string>& platform_types);

// `content`, stored in `stored_format`, as GetDocument returns it in `wanted_format`. The
// same format returns the content unchanged; JSON and YAML convert into each other; TEXT
// converts to nothing else (ValidationException "Invalid document format <wanted>").
Result<std::string> ConvertContent(std::string_view content, std::string_view stored_format,
                                   std::string_view wanted_format);

// `value` as YAML the way AWS writes converted documents (Jackson's YAML generator): a `---`
// line, block mappings and sequences, strings double-quoted.
std::string ToYaml(const boost::json::value& value);
// `value` as JSON text: compact when `indent` is 0, otherwise one member per line indented by
// `indent` spaces with `separator` between key and value.
std::string ToJson(const boost::json::value& value, int indent = 0,
                   std::string_view separator = ":");

// Lowercase hex SHA-256 of `data` (DescribeDocument's Hash, HashType Sha256).
std::string Sha256Hex(std::string_view data);

// One AWS-owned document: the Document and its only version as DescribeDocument and
// GetDocument show them (Owner "Amazon"), and its parameters with their constraints.
struct AwsDocument {
  Document document;
  DocumentVersion version;
  boost::json::array parameters;  // as ParsedContent::parameters
};

// The AWS-owned documents every account sees in every region, by name.
const std::map<std::string, AwsDocument, std::less<>>& AwsDocuments();

}  // namespace cairn::ssm
