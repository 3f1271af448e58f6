// SSM documents: the account's own (versions, default version, sharing with other accounts
// or everyone), the ones other accounts share with it (used by ARN), and the AWS-owned
// catalogue every account sees in every region (document_content.h), which is immutable.
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <iterator>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "services/common/paging.h"
#include "services/ssm/document_content.h"
#include "services/ssm/errors.h"
#include "services/ssm/provider.h"

namespace cairn::ssm {
namespace json = boost::json;
namespace {

// A new document or version is Creating (Updating) when CreateDocument (UpdateDocument)
// answers, and Active about a second later (DocumentDescription.Status).
constexpr double kActivationSeconds = 1;
// Systems Manager quotas: content size, versions per document, accounts a document is
// shared with.
constexpr size_t kMaxContentBytes = 64 * 1024;
constexpr size_t kMaxVersions = 1000;
constexpr size_t kMaxSharedAccounts = 1000;

const services::PagingRules kPaging{"ssm", "MaxResults", 50, false,
                                    [] { return errors::InvalidNextToken(); }};
// DescribeDocumentPermission documents no default page size: the largest the model allows
// (200) answers a call without MaxResults with every account of all but the largest shares.
const services::PagingRules kPermissionPaging{"ssm", "MaxResults", 200, false,
                                              [] { return errors::InvalidNextToken(); }};

// InvalidDocument for a name the caller cannot see, for every operation. In April 2025 AWS
// briefly answered "No matching value was found for Name." instead, and rolled that back in
// every Region because clients wait for "does not exist" after DeleteDocument
// (hashicorp/terraform-provider-aws#42125; the AWS provider 5.x still does).
AwsError NoSuchDocument() {
  return errors::InvalidDocument("The specified document does not exist.");
}

// Refusals of the AWS-owned documents, which are read-only to every account. AWS's wording
// for them is not published: these messages are cairn's.
AwsError AwsOwned(std::string_view action) {
  return errors::InvalidDocumentOperation("Documents owned by Amazon can't be " +
                                          std::string(action) + ".");
}

std::string Text(const json::object& input, std::string_view member) {
  const json::value* value = input.if_contains(member);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::string TextOr(const json::object& input, std::string_view member, std::string fallback) {
  std::string value = Text(input, member);
  return value.empty() ? fallback : value;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& letter : out)
    letter = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
  return out;
}

// Names AWS keeps for its own documents (CreateDocument, Name): those starting with aws-,
// amazon-, amzn-, AWSEC2-, AWSConfigRemediation- or AWSSupport-, in any case. The hyphen is
// part of each prefix (aws-cloudformation/aws-cloudformation-resource-providers-ssm#47,
// awslabs/landing-zone-accelerator-on-aws#425): "AWSAccelerator-Baseline" is a user's name.
bool IsReservedName(std::string_view name) {
  static constexpr std::string_view kPrefixes[] = {
      "aws-", "amazon-", "amzn-", "awsec2-", "awsconfigremediation-", "awssupport-"};
  const std::string lower = Lower(name);
  return std::any_of(std::begin(kPrefixes), std::end(kPrefixes),
                     [&](std::string_view prefix) { return lower.starts_with(prefix); });
}

std::optional<uint64_t> VersionNumber(std::string_view version) {
  if (version.empty() || version.size() > 10) return std::nullopt;
  uint64_t number = 0;
  for (const char digit : version) {
    if (!std::isdigit(static_cast<unsigned char>(digit))) return std::nullopt;
    number = number * 10 + static_cast<uint64_t>(digit - '0');
  }
  return number;
}

std::string VersionPrefix(std::string_view scope, std::string_view name) {
  std::string prefix(scope);
  prefix.append(name).push_back('/');
  return prefix;
}

std::string VersionKey(std::string_view scope, std::string_view name, uint64_t version) {
  return VersionPrefix(scope, name) + PaddedNumber(version);
}

std::string DocumentArn(std::string_view region, std::string_view owner, std::string_view name) {
  return "arn:aws:ssm:" + std::string(region) + ":" + std::string(owner) + ":document/" +
         std::string(name);
}

// `arn:<partition>:ssm:<region>:<account, empty for AWS's>:document/<name>`.
struct ParsedArn {
  std::string region;
  std::string owner;
  std::string name;
};

std::optional<ParsedArn> ParseDocumentArn(std::string_view arn) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t colon = arn.find(':'); colon != std::string_view::npos;
       colon = arn.find(':', start)) {
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  parts.push_back(arn.substr(start));
  constexpr std::string_view kResource = "document/";
  if (parts.size() != 6 || parts[0] != "arn" || !parts[1].starts_with("aws") || parts[2] != "ssm" ||
      !parts[5].starts_with(kResource) || parts[5].size() == kResource.size()) {
    return std::nullopt;
  }
  return ParsedArn{std::string(parts[3]), std::string(parts[4]),
                   std::string(parts[5].substr(kResource.size()))};
}

// A document as one caller sees it: its own, one another account shares with it, or AWS's.
struct Located {
  const Document* document = nullptr;
  const AwsDocument* aws = nullptr;  // set for AWS-owned documents
  std::string scope;                 // the owner's scope; empty for AWS-owned documents
  bool own = false;
  std::string shared_version;  // for another account's document: $DEFAULT, $LATEST or $ALL
};

// Resolves a name or an ARN. A name is the caller's own document or an AWS-owned one; another
// account's document is reached by its ARN only, and only when shared with the caller or
// with everyone (Systems Manager User Guide, "Sharing SSM documents").
Result<Located> Locate(const State& state, std::string_view account, std::string_view region,
                       std::string_view name_or_arn) {
  std::string name(name_or_arn);
  std::string owner(account);
  bool aws_only = false;
  if (name_or_arn.starts_with("arn:")) {
    std::optional<ParsedArn> arn = ParseDocumentArn(name_or_arn);
    if (!arn || arn->region != region) return NoSuchDocument();
    name = arn->name;
    owner = arn->owner;
    aws_only = owner.empty();
  }
  if (owner == account) {
    const std::string scope = ScopePrefix(account, region);
    if (const Document* document = state.documents.Find(scope + name))
      return Located{document, nullptr, scope, true, ""};
  }
  if (owner == account || aws_only) {
    const auto& catalog = AwsDocuments();
    if (auto found = catalog.find(name); found != catalog.end()) {
      return Located{&found->second.document, &found->second, "", false, "$ALL"};
    }
    return NoSuchDocument();
  }
  const std::string scope = ScopePrefix(owner, region);
  const Document* document = state.documents.Find(scope + name);
  if (!document) return NoSuchDocument();
  auto shared = document->shared_with.find(std::string(account));
  if (shared == document->shared_with.end()) shared = document->shared_with.find("all");
  if (shared == document->shared_with.end()) return NoSuchDocument();
  return Located{document, nullptr, scope, false, shared->second};
}

// The caller's own document `name`, for the operations that change documents.
Result<Located> LocateOwn(const State& state, std::string_view scope, std::string_view name,
                          std::string_view action) {
  if (const Document* document = state.documents.Find(std::string(scope) + std::string(name))) {
    return Located{document, nullptr, std::string(scope), true, ""};
  }
  if (AwsDocuments().contains(name)) return AwsOwned(action);
  return NoSuchDocument();
}

// Whether another account may use `version` of a document shared with it.
bool SharedVersionAllows(const Located& located, const DocumentVersion& version) {
  if (located.own || located.aws || located.shared_version == "$ALL") return true;
  const Document& document = *located.document;
  return version.version ==
         (located.shared_version == "$LATEST" ? document.latest_version : document.default_version);
}

// The version of a located document that `version` ("", $DEFAULT, $LATEST or a number) and
// `version_name` ("" for any) designate. Another account that was given $LATEST gets the
// latest version by default.
Result<const DocumentVersion*> VersionOf(const State& state, const Located& located,
                                         std::string_view version, std::string_view version_name) {
  const Document& document = *located.document;
  const DocumentVersion* found = nullptr;
  if (located.aws) {
    const DocumentVersion& only = located.aws->version;
    const bool version_matches =
        version.empty() || version == "$DEFAULT" || version == "$LATEST" || version == only.version;
    if (version_matches && (version_name.empty() || version_name == only.version_name))
      found = &only;
  } else if (version.empty() && !version_name.empty()) {
    const std::string prefix = VersionPrefix(located.scope, document.name);
    for (auto item = state.document_versions.LowerBound(prefix);
         item != state.document_versions.items().end() && item->first.starts_with(prefix); ++item) {
      if (item->second.version_name == version_name) found = &item->second;
    }
  } else {
    std::string_view wanted = version;
    if (wanted.empty()) wanted = located.shared_version == "$LATEST" ? "$LATEST" : "$DEFAULT";
    if (wanted == "$DEFAULT") wanted = document.default_version;
    if (wanted == "$LATEST") wanted = document.latest_version;
    if (std::optional<uint64_t> number = VersionNumber(wanted)) {
      found = state.document_versions.Find(VersionKey(located.scope, document.name, *number));
    }
    if (found && !version_name.empty() && found->version_name != version_name) found = nullptr;
  }
  if (!found || !SharedVersionAllows(located, *found)) return errors::InvalidDocumentVersion();
  return found;
}

// What DescribeDocument reports from the content of one version.
struct VersionFacts {
  std::string schema_version;
  std::string description;
  json::array parameters;  // with the constraints of ParsedContent::parameters
  std::set<std::string> platform_types;
};

Result<VersionFacts> FactsOf(const Located& located, const DocumentVersion& version) {
  const Document& document = *located.document;
  if (located.aws) {
    return VersionFacts{document.schema_version, document.description, located.aws->parameters,
                        document.platform_types};
  }
  Result<ParsedContent> parsed =
      ParseContent(version.content, version.format, document.document_type);
  if (!parsed.ok()) return std::move(parsed).error();
  return VersionFacts{std::move(parsed->schema_version), std::move(parsed->description),
                      std::move(parsed->parameters), std::move(parsed->platform_types)};
}

json::array TagsJson(const State& state, const Located& located) {
  json::array out;
  if (!located.own) return out;  // an owner's tags are not shown to other accounts
  if (const TagSet* tags =
          state.tags.Find(TagKey(located.scope, "Document", located.document->name))) {
    for (const auto& [key, value] : tags->tags) out.push_back({{"Key", key}, {"Value", value}});
  }
  return out;
}

// DocumentDescription of one version.
json::object DescriptionJson(const State& state, const Located& located,
                             const DocumentVersion& version, const VersionFacts& facts) {
  const Document& document = *located.document;
  json::object out{{"Hash", version.hash},
                   {"HashType", "Sha256"},
                   {"Name", document.name},
                   {"Owner", document.owner},
                   {"CreatedDate", version.created},
                   {"Status", version.status},
                   {"DocumentVersion", version.version},
                   {"PlatformTypes", PlatformTypesJson(facts.platform_types)},
                   {"DocumentType", document.document_type},
                   {"LatestVersion", document.latest_version},
                   {"DefaultVersion", document.default_version},
                   {"DocumentFormat", version.format},
                   {"Tags", TagsJson(state, located)}};
  if (!document.display_name.empty()) out["DisplayName"] = document.display_name;
  if (!version.version_name.empty()) out["VersionName"] = version.version_name;
  if (!facts.description.empty()) out["Description"] = facts.description;
  if (!facts.parameters.empty()) out["Parameters"] = PublicParameters(facts.parameters);
  if (!facts.schema_version.empty()) out["SchemaVersion"] = facts.schema_version;
  if (!document.target_type.empty()) out["TargetType"] = document.target_type;
  return out;
}

json::object VersionInfoJson(const Document& document, const DocumentVersion& version) {
  json::object out{{"Name", document.name},
                   {"DocumentVersion", version.version},
                   {"CreatedDate", version.created},
                   {"IsDefaultVersion", version.version == document.default_version},
                   {"DocumentFormat", version.format},
                   {"Status", version.status}};
  if (!document.display_name.empty()) out["DisplayName"] = document.display_name;
  if (!version.version_name.empty()) out["VersionName"] = version.version_name;
  return out;
}

// Document fields that follow the default version's content.
void ApplyFacts(Document& document, ParsedContent parsed) {
  document.schema_version = std::move(parsed.schema_version);
  document.description = std::move(parsed.description);
  document.parameters = PublicParameters(parsed.parameters);
  document.platform_types = std::move(parsed.platform_types);
}

// --- ListDocuments filters

// Who owns a document, against the Owner filter's values (DocumentKeyValuesFilter): Self (the
// caller), Amazon, Private (shared with the caller by account id), Public (shared with
// everyone), All, ThirdParty (none in cairn), or an account id.
struct OwnerScope {
  bool self = false;
  bool amazon = false;
  bool shared_private = false;
  bool shared_public = false;
  std::set<std::string> accounts;
};

struct DocumentQuery {
  OwnerScope owners;
  // Every other filter, each a key with alternatives: all must hold, any of the values.
  std::vector<std::pair<std::string, std::vector<std::string>>> conditions;
};

Result<Ok> AddCondition(DocumentQuery& query, bool& owner_given, std::string key,
                        std::vector<std::string> values) {
  static const std::set<std::string, std::less<>> kKeys = {
      "Name", "Owner", "PlatformTypes", "DocumentType", "TargetType", "SearchKeyword"};
  if (!kKeys.contains(key) && !(key.starts_with("tag:") && key.size() > 4))
    return errors::InvalidFilterKey();
  if (key != "Owner") {
    query.conditions.emplace_back(std::move(key), std::move(values));
    return Ok{};
  }
  owner_given = true;
  for (const std::string& value : values) {
    const std::string lower = Lower(value);
    if (lower == "self") query.owners.self = true;
    if (lower == "amazon") query.owners.amazon = true;
    if (lower == "private") query.owners.shared_private = true;
    if (lower == "public") query.owners.shared_public = true;
    if (lower == "all") query.owners = {true, true, true, true, query.owners.accounts};
    if (VersionNumber(value) && value.size() == 12) query.owners.accounts.insert(value);
  }
  return Ok{};
}

// DocumentFilterList (key/value, the older form) and Filters (Key/Values), together. Without
// an Owner filter, the caller's documents, AWS's and those shared with it by account id.
Result<DocumentQuery> ParseQuery(const json::object& input) {
  DocumentQuery query;
  bool owner_given = false;
  if (const json::value* legacy = input.if_contains("DocumentFilterList");
      legacy && legacy->is_array()) {
    for (const json::value& filter : legacy->get_array()) {
      const json::object& fields = filter.as_object();
      Result<Ok> added =
          AddCondition(query, owner_given, Text(fields, "key"), {Text(fields, "value")});
      if (!added.ok()) return std::move(added).error();
    }
  }
  if (const json::value* filters = input.if_contains("Filters"); filters && filters->is_array()) {
    for (const json::value& filter : filters->get_array()) {
      const json::object& fields = filter.as_object();
      std::vector<std::string> values;
      if (const json::value* list = fields.if_contains("Values"); list && list->is_array()) {
        for (const json::value& value : list->get_array()) values.emplace_back(value.as_string());
      }
      Result<Ok> added = AddCondition(query, owner_given, Text(fields, "Key"), std::move(values));
      if (!added.ok()) return std::move(added).error();
    }
  }
  if (!owner_given) query.owners = {true, true, true, false, {}};
  return query;
}

bool ContainsIgnoringCase(std::string_view text, std::string_view part) {
  return Lower(text).find(Lower(part)) != std::string::npos;
}

bool Matches(const DocumentQuery& query, const Document& document, const TagSet* tags) {
  for (const auto& condition : query.conditions) {
    // Not a structured binding: clang before 16 cannot capture one in a lambda.
    const auto& key = condition.first;
    const auto& values = condition.second;
    const auto any = [&values](auto&& test) {
      return std::any_of(values.begin(), values.end(), test);
    };
    bool holds = false;
    if (key == "Name") {
      holds = any([&](const std::string& value) { return document.name.starts_with(value); });
    } else if (key == "PlatformTypes") {
      holds =
          any([&](const std::string& value) { return document.platform_types.contains(value); });
    } else if (key == "DocumentType") {
      holds = any([&](const std::string& value) { return document.document_type == value; });
    } else if (key == "TargetType") {
      holds = any([&](const std::string& value) { return document.target_type == value; });
    } else if (key == "SearchKeyword") {
      holds =
          any([&](const std::string& value) { return ContainsIgnoringCase(document.name, value); });
    } else {
      const std::string tag_key = key.substr(4);
      const auto tag =
          tags ? tags->tags.find(tag_key) : std::map<std::string, std::string>::const_iterator();
      holds =
          tags && tag != tags->tags.end() &&
          (values.empty() || any([&](const std::string& value) { return tag->second == value; }));
    }
    if (!holds) return false;
  }
  return true;
}

// One row of ListDocuments. Rows sort by `key`, the name then the owner, so a page is the rows
// after the last key of the page before, whichever source they come from.
struct Listed {
  std::string key;
  const Document* document;
  std::string scope;  // empty for AWS-owned documents
  bool own;
};

std::string ListKey(std::string_view name, std::string_view owner) {
  std::string key(name);
  key.push_back('\n');
  key.append(owner);
  return key;
}

json::object IdentifierJson(const State& state, const std::string& region, const Listed& row) {
  const Document& document = *row.document;
  const DocumentVersion* version = nullptr;
  if (row.scope.empty()) {
    version = &AwsDocuments().find(document.name)->second.version;
  } else if (std::optional<uint64_t> number = VersionNumber(document.default_version)) {
    version = state.document_versions.Find(VersionKey(row.scope, document.name, *number));
  }
  // Another account's document is listed by its ARN, the name the caller must use for it.
  json::object out{
      {"Name", row.own || row.scope.empty() ? document.name
                                            : DocumentArn(region, document.owner, document.name)},
      {"CreatedDate", document.created},
      {"Owner", document.owner},
      {"PlatformTypes", PlatformTypesJson(document.platform_types)},
      {"DocumentVersion", document.default_version},
      {"DocumentType", document.document_type},
      {"Tags", json::array()}};
  if (!document.schema_version.empty()) out["SchemaVersion"] = document.schema_version;
  if (!document.display_name.empty()) out["DisplayName"] = document.display_name;
  if (!document.target_type.empty()) out["TargetType"] = document.target_type;
  if (version) {
    out["DocumentFormat"] = version->format;
    if (!version->version_name.empty()) out["VersionName"] = version->version_name;
  }
  if (row.own) {
    Located located{&document, nullptr, row.scope, true, ""};
    out["Tags"] = TagsJson(state, located);
  }
  return out;
}

}  // namespace

void Provider::BindDocuments(gateway::OperationTable& table) {
  // Parses the embedded catalogue now, at startup, rather than in the first request.
  (void)AwsDocuments();
  table.Bind("CreateDocument", this, &Provider::CreateDocument);
  table.Bind("DescribeDocument", this, &Provider::DescribeDocument);
  table.Bind("GetDocument", this, &Provider::GetDocument);
  table.Bind("ListDocuments", this, &Provider::ListDocuments);
  table.Bind("UpdateDocument", this, &Provider::UpdateDocument);
  table.Bind("DeleteDocument", this, &Provider::DeleteDocument);
  table.Bind("ListDocumentVersions", this, &Provider::ListDocumentVersions);
  table.Bind("UpdateDocumentDefaultVersion", this, &Provider::UpdateDocumentDefaultVersion);
  table.Bind("DescribeDocumentPermission", this, &Provider::DescribeDocumentPermission);
  table.Bind("ModifyDocumentPermission", this, &Provider::ModifyDocumentPermission);
}

Result<ResolvedDocument> Provider::FindDocument(const State& state, std::string_view account,
                                                std::string_view region,
                                                std::string_view name_or_arn,
                                                std::string_view version) const {
  Result<Located> located = Locate(state, account, region, name_or_arn);
  if (!located.ok()) return std::move(located).error();
  Result<const DocumentVersion*> found = VersionOf(state, *located, version, "");
  if (!found.ok()) return std::move(found).error();
  ResolvedDocument out;
  out.name = name_or_arn;
  out.version = (*found)->version;
  out.document_type = located->document->document_type;
  out.content = &(*found)->content;
  if (located->aws) {
    // The catalog lives as long as the process: its parameters are pointed at, not owned.
    out.schema_version = located->document->schema_version;
    out.parameters = std::shared_ptr<const json::array>(std::shared_ptr<const void>(),
                                                        &located->aws->parameters);
    return out;
  }
  Result<VersionFacts> facts = FactsOf(*located, **found);
  if (!facts.ok()) return std::move(facts).error();
  out.schema_version = std::move(facts->schema_version);
  out.parameters = std::make_shared<const json::array>(std::move(facts->parameters));
  return out;
}

Provider::Output Provider::CreateDocument(const Context& context, Input& input) {
  const std::string name = Text(input, "Name");
  const std::string content = Text(input, "Content");
  const std::string document_type = TextOr(input, "DocumentType", "Command");
  const std::string format = TextOr(input, "DocumentFormat", "JSON");
  // A name in AWS's namespace. AWS's exact wording is not published; it starts "Invalid
  // document <name>" (aws-quickstart/quickstart-microsoft-activedirectory#97).
  if (IsReservedName(name)) {
    return AwsError::Make("ValidationException",
                          "Invalid document " + name +
                              ". Document names can't begin with the prefixes aws-, "
                              "amazon- or amzn-, which AWS reserves.");
  }
  if (content.size() > kMaxContentBytes) return errors::MaxDocumentSizeExceeded();
  Result<ParsedContent> parsed = ParseContent(content, format, document_type);
  if (!parsed.ok()) return std::move(parsed).error();
  std::map<std::string, std::string> tags;
  if (const json::value* list = input.if_contains("Tags"); list && list->is_array()) {
    for (const json::value& tag : list->get_array()) {
      tags[Text(tag.as_object(), "Key")] = Text(tag.as_object(), "Value");
    }
  }
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string version_key = VersionKey(scope, name, 1);
  Output created = Write([&](State& state, store::Transaction& txn) -> Output {
    // "Document with same name SSM-SessionManagerRunShell already exists"
    // (tmknom/terraform-aws-session-manager#34): AWS's documents count too.
    if (state.documents.Find(scope + name) || AwsDocuments().contains(name)) {
      return errors::DocumentAlreadyExists("Document with same name " + name + " already exists");
    }
    Document document;
    document.name = name;
    document.owner = context.account_id;
    document.document_type = document_type;
    document.target_type = Text(input, "TargetType");
    document.display_name = Text(input, "DisplayName");
    document.created = context.now;
    ApplyFacts(document, *parsed);
    DocumentVersion version;
    version.name = name;
    version.version = "1";
    version.version_name = Text(input, "VersionName");
    version.content = content;
    version.format = format;
    version.hash = Sha256Hex(content);
    version.created = context.now;
    version.status = "Creating";
    if (!tags.empty()) state.tags.Put(txn, TagKey(scope, "Document", name), TagSet{tags});
    const DocumentVersion& stored_version =
        state.document_versions.Put(txn, version_key, std::move(version));
    const Document& stored = state.documents.Put(txn, scope + name, std::move(document));
    const Located located{&stored, nullptr, scope, true, ""};
    const VersionFacts facts{parsed->schema_version, parsed->description, parsed->parameters,
                             parsed->platform_types};
    return json::object{
        {"DocumentDescription", DescriptionJson(state, located, stored_version, facts)}};
  });
  if (created.ok()) {
    scheduler_.At(context.now + kActivationSeconds,
                  [this, version_key] { ActivateDocumentVersion(version_key); });
  }
  return created;
}

void Provider::ActivateDocumentVersion(std::string version_key) {
  // The Write's result only decides commit or rollback; a version deleted meanwhile is fine.
  (void)Write([&](State& state, store::Transaction& txn) -> Result<Ok> {
    const DocumentVersion* version = state.document_versions.Find(version_key);
    if (version && version->status != "Active") {
      state.document_versions.Update(txn, version_key,
                                     [](DocumentVersion& moving) { moving.status = "Active"; });
    }
    return Ok{};
  });
}

void Provider::ResumeDocuments() {
  std::shared_lock lock(mutex_);
  for (const auto& [key, version] : state_.document_versions.items()) {
    if (version.status != "Active") {
      scheduler_.At(version.created + kActivationSeconds,
                    [this, key = key] { ActivateDocumentVersion(key); });
    }
  }
}

Provider::Output Provider::DescribeDocument(const Context& context, Input& input) {
  std::shared_lock lock(mutex_);
  Result<Located> located = Locate(state_, context.account_id, context.region, Text(input, "Name"));
  if (!located.ok()) return std::move(located).error();
  Result<const DocumentVersion*> version =
      VersionOf(state_, *located, Text(input, "DocumentVersion"), Text(input, "VersionName"));
  if (!version.ok()) return std::move(version).error();
  Result<VersionFacts> facts = FactsOf(*located, **version);
  if (!facts.ok()) return std::move(facts).error();
  return json::object{{"Document", DescriptionJson(state_, *located, **version, *facts)}};
}

Provider::Output Provider::GetDocument(const Context& context, Input& input) {
  std::shared_lock lock(mutex_);
  Result<Located> located = Locate(state_, context.account_id, context.region, Text(input, "Name"));
  if (!located.ok()) return std::move(located).error();
  Result<const DocumentVersion*> found =
      VersionOf(state_, *located, Text(input, "DocumentVersion"), Text(input, "VersionName"));
  if (!found.ok()) return std::move(found).error();
  const DocumentVersion& version = **found;
  const std::string format = TextOr(input, "DocumentFormat", version.format);
  Result<std::string> content = ConvertContent(version.content, version.format, format);
  if (!content.ok()) return std::move(content).error();
  const Document& document = *located->document;
  json::object out{{"Name", document.name},
                   {"CreatedDate", version.created},
                   {"DocumentVersion", version.version},
                   {"Status", version.status},
                   {"Content", std::move(*content)},
                   {"DocumentType", document.document_type},
                   {"DocumentFormat", format}};
  if (!document.display_name.empty()) out["DisplayName"] = document.display_name;
  if (!version.version_name.empty()) out["VersionName"] = version.version_name;
  return out;
}

Provider::Output Provider::ListDocuments(const Context& context, Input& input) {
  Result<DocumentQuery> parsed = ParseQuery(input);
  if (!parsed.ok()) return std::move(parsed).error();
  const DocumentQuery& query = *parsed;
  std::string query_text;
  for (std::string_view member : {"DocumentFilterList", "Filters"}) {
    if (const json::value* filters = input.if_contains(member))
      query_text += json::serialize(*filters);
    query_text.push_back('|');
  }
  const services::Paging paging(tokens_, context, input, "ListDocuments", query_text, kPaging);
  Result<std::string> start = paging.Start();
  if (!start.ok()) return std::move(start).error();
  const std::string start_name = start->substr(0, start->find('\n'));
  const size_t wanted = paging.limit() + 1;  // one more tells whether a next page exists

  std::shared_lock lock(mutex_);
  const std::string account(context.account_id);
  const std::string region(context.region);
  const std::string scope = ScopePrefix(account, region);
  std::vector<Listed> rows;
  const auto take = [&](std::vector<Listed>& source) {
    std::sort(source.begin(), source.end(),
              [](const Listed& a, const Listed& b) { return a.key < b.key; });
    if (source.size() > wanted) source.resize(wanted);
    for (Listed& row : source) rows.push_back(std::move(row));
  };

  // Each source gives at most `wanted` rows after the start; the page is the first of them all.
  const OwnerScope& owners = query.owners;
  const bool self_listed = owners.self || owners.accounts.contains(account);
  if (self_listed || owners.shared_public) {
    std::vector<Listed> own;
    for (auto item = state_.documents.LowerBound(scope + start_name);
         item != state_.documents.items().end() && item->first.starts_with(scope) &&
         own.size() < wanted;
         ++item) {
      const Document& document = item->second;
      std::string key = ListKey(document.name, account);
      if (!start->empty() && key <= *start) continue;
      if (!self_listed && !document.shared_with.contains("all")) continue;
      if (!Matches(query, document, state_.tags.Find(TagKey(scope, "Document", document.name))))
        continue;
      own.push_back({std::move(key), &document, scope, true});
    }
    take(own);
  }
  if (owners.amazon) {
    std::vector<Listed> amazon;
    const auto& catalog = AwsDocuments();
    for (auto item = catalog.lower_bound(start_name);
         item != catalog.end() && amazon.size() < wanted; ++item) {
      std::string key = ListKey(item->first, "Amazon");
      if (!start->empty() && key <= *start) continue;
      if (!Matches(query, item->second.document, nullptr)) continue;
      amazon.push_back({std::move(key), &item->second.document, "", false});
    }
    take(amazon);
  }
  if (owners.shared_private || owners.shared_public || !owners.accounts.empty()) {
    // Documents other accounts share: no index leads to them, so this reads every document
    // and keeps those of this region shared with the caller.
    std::vector<Listed> shared;
    const std::string region_part = "/" + region + "/";
    for (const auto& [key, document] : state_.documents.items()) {
      if (document.owner == account || document.shared_with.empty()) continue;
      const size_t slash = key.find('/');
      if (key.compare(slash, region_part.size(), region_part) != 0) continue;
      const bool to_caller = document.shared_with.contains(account);
      const bool to_all = document.shared_with.contains("all");
      const bool listed = (owners.shared_private && to_caller) ||
                          (owners.shared_public && to_all) ||
                          (owners.accounts.contains(document.owner) && (to_caller || to_all));
      if (!listed) continue;
      std::string list_key = ListKey(document.name, document.owner);
      if (!start->empty() && list_key <= *start) continue;
      if (!Matches(query, document, nullptr)) continue;
      shared.push_back(
          {std::move(list_key), &document, key.substr(0, slash + region_part.size()), false});
    }
    take(shared);
  }

  std::sort(rows.begin(), rows.end(),
            [](const Listed& a, const Listed& b) { return a.key < b.key; });
  json::object out;
  json::array identifiers;
  const size_t shown = std::min(rows.size(), paging.limit());
  for (size_t row_idx = 0; row_idx < shown; ++row_idx)
    identifiers.push_back(IdentifierJson(state_, region, rows[row_idx]));
  out["DocumentIdentifiers"] = std::move(identifiers);
  if (rows.size() > shown) out["NextToken"] = paging.NextToken(rows[shown - 1].key);
  return out;
}

Provider::Output Provider::UpdateDocument(const Context& context, Input& input) {
  const std::string name = Text(input, "Name");
  const std::string content = Text(input, "Content");
  // The API reference: JSON is the default format, whatever the earlier versions used.
  const std::string format = TextOr(input, "DocumentFormat", "JSON");
  const std::string requested_version = Text(input, "DocumentVersion");
  const std::string version_name = Text(input, "VersionName");
  if (content.size() > kMaxContentBytes) return errors::MaxDocumentSizeExceeded();
  const std::string scope = ScopePrefix(context.account_id, context.region);
  std::string version_key;
  Output updated = Write([&](State& state, store::Transaction& txn) -> Output {
    Result<Located> located = LocateOwn(state, scope, name, "updated");
    if (!located.ok()) return std::move(located).error();
    const Document& document = *located->document;
    // Only the latest version can be updated (UpdateDocument, DocumentVersion).
    if (!requested_version.empty() && requested_version != "$LATEST" &&
        requested_version != document.latest_version) {
      return errors::InvalidDocumentVersion();
    }
    const uint64_t latest = VersionNumber(document.latest_version).value_or(1);
    const DocumentVersion* latest_version =
        state.document_versions.Find(VersionKey(scope, name, latest));
    Result<ParsedContent> parsed = ParseContent(content, format, document.document_type);
    if (!parsed.ok()) return std::move(parsed).error();
    // Schema 1.2 documents take no new versions (Systems Manager User Guide, "Schema features
    // and examples"; AWS answers InvalidDocumentSchemaVersion, per
    // aws-cloudformation/aws-cloudformation-resource-providers-ssm#93). The wording is cairn's.
    if (document.schema_version == "1.2" || parsed->schema_version == "1.2") {
      return errors::InvalidDocumentSchemaVersion(
          "Document schema version, 1.2, is not supported by UpdateDocument. Use schema version "
          "2.0 or later.");
    }
    // Compared with the latest version, the one an update replaces.
    if (latest_version && latest_version->hash == Sha256Hex(content))
      return errors::DuplicateDocumentContent();
    const std::string prefix = VersionPrefix(scope, name);
    size_t versions = 0;
    for (auto item = state.document_versions.LowerBound(prefix);
         item != state.document_versions.items().end() && item->first.starts_with(prefix); ++item) {
      ++versions;
      if (!version_name.empty() && item->second.version_name == version_name) {
        return errors::DuplicateDocumentVersionName();
      }
    }
    if (versions >= kMaxVersions) return errors::DocumentVersionLimitExceeded();

    DocumentVersion version;
    version.name = name;
    version.version = std::to_string(latest + 1);
    version.version_name = version_name;
    version.content = content;
    version.format = format;
    version.hash = Sha256Hex(content);
    version.created = context.now;
    version.status = "Updating";
    version_key = VersionKey(scope, name, latest + 1);
    const DocumentVersion& stored_version =
        state.document_versions.Put(txn, version_key, std::move(version));
    state.documents.Update(txn, scope + name, [&](Document& changed) {
      changed.latest_version = stored_version.version;
      if (input.contains("DisplayName")) changed.display_name = Text(input, "DisplayName");
      if (input.contains("TargetType")) changed.target_type = Text(input, "TargetType");
    });
    const VersionFacts facts{parsed->schema_version, parsed->description, parsed->parameters,
                             parsed->platform_types};
    return json::object{
        {"DocumentDescription", DescriptionJson(state, *located, stored_version, facts)}};
  });
  if (updated.ok()) {
    scheduler_.At(context.now + kActivationSeconds,
                  [this, version_key] { ActivateDocumentVersion(version_key); });
  }
  return updated;
}

Provider::Output Provider::DeleteDocument(const Context& context, Input& input) {
  const std::string name = Text(input, "Name");
  const std::string requested_version = Text(input, "DocumentVersion");
  const std::string version_name = Text(input, "VersionName");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  return Write([&](State& state, store::Transaction& txn) -> Output {
    Result<Located> located = LocateOwn(state, scope, name, "deleted");
    if (!located.ok()) return std::move(located).error();
    const Document& document = *located->document;
    if (!document.shared_with.empty()) return errors::InvalidDocumentOperation();
    const std::string prefix = VersionPrefix(scope, name);

    if (!requested_version.empty() || !version_name.empty()) {
      Result<const DocumentVersion*> found =
          VersionOf(state, *located, requested_version, version_name);
      if (!found.ok()) return std::move(found).error();
      // "Default version of the document can't be deleted."
      // (chaostoolkit-incubator/chaostoolkit-aws#100)
      if ((*found)->version == document.default_version) {
        return errors::InvalidDocumentOperation(
            "Default version of the document can't be deleted.");
      }
      const std::string deleted = (*found)->version;
      state.document_versions.Erase(txn,
                                    VersionKey(scope, name, VersionNumber(deleted).value_or(0)));
      if (deleted == document.latest_version) {
        std::string latest;
        for (auto item = state.document_versions.LowerBound(prefix);
             item != state.document_versions.items().end() && item->first.starts_with(prefix);
             ++item) {
          latest = item->second.version;  // keys sort by version number
        }
        state.documents.Update(txn, scope + name,
                               [&](Document& changed) { changed.latest_version = latest; });
      }
      return json::object{};
    }

    // A document that associations use stays (DeleteDocument, AssociatedInstances).
    const std::string arn = DocumentArn(context.region, context.account_id, name);
    for (auto item = state.associations.LowerBound(scope);
         item != state.associations.items().end() && item->first.starts_with(scope); ++item) {
      const json::object spec = item->second.spec.Parse();
      const json::value* used = spec.if_contains("Name");
      if (used && used->is_string() && (used->get_string() == name || used->get_string() == arn)) {
        return errors::AssociatedInstances();
      }
    }
    std::vector<std::string> version_keys;
    for (auto item = state.document_versions.LowerBound(prefix);
         item != state.document_versions.items().end() && item->first.starts_with(prefix); ++item) {
      version_keys.push_back(item->first);
    }
    for (const std::string& key : version_keys) state.document_versions.Erase(txn, key);
    state.tags.Erase(txn, TagKey(scope, "Document", name));
    state.documents.Erase(txn, scope + name);
    return json::object{};
  });
}

Provider::Output Provider::ListDocumentVersions(const Context& context, Input& input) {
  const std::string name = Text(input, "Name");
  std::shared_lock lock(mutex_);
  Result<Located> located = Locate(state_, context.account_id, context.region, name);
  if (!located.ok()) return std::move(located).error();
  const services::Paging paging(tokens_, context, input, "ListDocumentVersions", name, kPaging);
  const Document& document = *located->document;
  if (located->aws) {
    Result<std::string> start = paging.Start();
    if (!start.ok()) return std::move(start).error();
    json::array versions;
    if (start->empty()) versions.push_back(VersionInfoJson(document, located->aws->version));
    return json::object{{"DocumentVersions", std::move(versions)}};
  }
  return services::ListPage(
      paging, state_.document_versions, VersionPrefix(located->scope, document.name),
      "DocumentVersions",
      [&](const DocumentVersion& version) { return SharedVersionAllows(*located, version); },
      [&](const DocumentVersion& version) { return VersionInfoJson(document, version); });
}

Provider::Output Provider::UpdateDocumentDefaultVersion(const Context& context, Input& input) {
  const std::string name = Text(input, "Name");
  const std::string requested_version = Text(input, "DocumentVersion");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  return Write([&](State& state, store::Transaction& txn) -> Output {
    Result<Located> located = LocateOwn(state, scope, name, "updated");
    if (!located.ok()) return std::move(located).error();
    const std::optional<uint64_t> number = VersionNumber(requested_version);
    const DocumentVersion* version =
        number ? state.document_versions.Find(VersionKey(scope, name, *number)) : nullptr;
    if (!version) return errors::InvalidDocumentVersion();
    Result<ParsedContent> parsed =
        ParseContent(version->content, version->format, located->document->document_type);
    if (!parsed.ok()) return std::move(parsed).error();
    state.documents.Update(txn, scope + name, [&](Document& changed) {
      changed.default_version = version->version;
      ApplyFacts(changed, std::move(*parsed));
    });
    json::object description{{"Name", name}, {"DefaultVersion", version->version}};
    if (!version->version_name.empty()) description["DefaultVersionName"] = version->version_name;
    return json::object{{"Description", std::move(description)}};
  });
}

Provider::Output Provider::DescribeDocumentPermission(const Context& context, Input& input) {
  const std::string name = Text(input, "Name");
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const services::Paging paging(tokens_, context, input, "DescribeDocumentPermission", name,
                                kPermissionPaging);
  Result<std::string> start = paging.Start();
  if (!start.ok()) return std::move(start).error();
  std::shared_lock lock(mutex_);
  Result<Located> located = LocateOwn(state_, scope, name, "shared");
  if (!located.ok()) return std::move(located).error();
  const auto& shared_with = located->document->shared_with;
  json::array account_ids;
  json::array sharing;
  auto item = start->empty() ? shared_with.begin() : shared_with.upper_bound(*start);
  for (; item != shared_with.end() && account_ids.size() < paging.limit(); ++item) {
    account_ids.emplace_back(item->first);
    sharing.push_back({{"AccountId", item->first}, {"SharedDocumentVersion", item->second}});
  }
  json::object out{{"AccountIds", std::move(account_ids)},
                   {"AccountSharingInfoList", std::move(sharing)}};
  if (item != shared_with.end()) out["NextToken"] = paging.NextToken(std::prev(item)->first);
  return out;
}

Provider::Output Provider::ModifyDocumentPermission(const Context& context, Input& input) {
  const std::string name = Text(input, "Name");
  const std::string shared_version = TextOr(input, "SharedDocumentVersion", "$DEFAULT");
  // The model's AccountId pattern is `(?i)all|[0-9]{12}`: "All" is "all".
  const auto accounts = [&](std::string_view member) -> Result<std::vector<std::string>> {
    std::vector<std::string> out;
    if (const json::value* list = input.if_contains(member); list && list->is_array()) {
      for (const json::value& id : list->get_array()) {
        const std::string value(id.as_string());
        out.push_back(Lower(value) == "all" ? "all" : value);
      }
    }
    // "all" stands alone (moto's message for it, which it took from AWS).
    if (out.size() > 1 && std::find(out.begin(), out.end(), "all") != out.end()) {
      return errors::DocumentPermissionLimit(
          "Accounts can either be all or a group of AWS accounts");
    }
    return out;
  };
  Result<std::vector<std::string>> to_add = accounts("AccountIdsToAdd");
  if (!to_add.ok()) return std::move(to_add).error();
  Result<std::vector<std::string>> to_remove = accounts("AccountIdsToRemove");
  if (!to_remove.ok()) return std::move(to_remove).error();
  const std::string scope = ScopePrefix(context.account_id, context.region);
  return Write([&](State& state, store::Transaction& txn) -> Output {
    Result<Located> located = LocateOwn(state, scope, name, "shared");
    if (!located.ok()) return std::move(located).error();
    std::map<std::string, std::string> shared_with = located->document->shared_with;
    for (const std::string& account : *to_add) shared_with[account] = shared_version;
    for (const std::string& account : *to_remove) shared_with.erase(account);
    if (shared_with.size() - shared_with.count("all") > kMaxSharedAccounts)
      return errors::DocumentPermissionLimit();
    state.documents.Update(txn, scope + name, [&](Document& changed) {
      changed.shared_with = std::move(shared_with);
    });
    return json::object{};
  });
}

}  // namespace cairn::ssm
