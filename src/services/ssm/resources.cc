#include "services/ssm/resources.h"

#include <boost/json.hpp>
#include <cstring>

#include "base/json_fields.h"
#include "store/store.h"

namespace cairn::ssm {
namespace json = boost::json;
namespace {

using json_fields::Array;
using json_fields::Number;
using json_fields::Object;
using json_fields::Text;

int Integer(const json::object& object, std::string_view key) {
  return static_cast<int>(Number(object, key));
}

json::object CountsToJson(const std::map<std::string, int>& counts) {
  json::object out;
  for (const auto& [status, count] : counts) out[status] = count;
  return out;
}

std::map<std::string, int> CountsFromJson(const json::object& object) {
  std::map<std::string, int> counts;
  for (const auto& entry : object)
    counts[entry.key()] = static_cast<int>(entry.value().to_number<double>());
  return counts;
}

json::object StringsToJson(const std::map<std::string, std::string>& map) {
  json::object out;
  for (const auto& [key, value] : map) out[key] = value;
  return out;
}

std::map<std::string, std::string> StringsFromJson(const json::object& object) {
  std::map<std::string, std::string> map;
  for (const auto& entry : object) map[entry.key()] = std::string(entry.value().as_string());
  return map;
}

json::array SetToJson(const std::set<std::string>& set) {
  json::array out;
  for (const std::string& item : set) out.push_back(json::string(item));
  return out;
}

std::set<std::string> SetFromJson(const json::array& array) {
  std::set<std::string> set;
  for (const json::value& item : array) set.emplace(item.as_string());
  return set;
}

// The object `member` of `object` without a copy (an empty one when absent).
const json::object& ObjectRef(const json::object& object, std::string_view member) {
  static const json::object empty;
  const json::value* value = object.if_contains(member);
  return value && value->is_object() ? value->get_object() : empty;
}

// The Spec of a stored association or version: its text as the document holds it (the
// compact serialization Spec::text() gave when it was written), or, for a document laid out
// otherwise, the parsed member serialized again.
Spec StoredSpec(const json::object& object, std::string_view document) {
  const std::optional<std::string_view> text = store::StoredMember(document, "Spec");
  if (text && text->starts_with('{')) return Spec::FromText(*text);
  return Spec(ObjectRef(object, "Spec"));
}

}  // namespace

std::string ScopePrefix(std::string_view account_id, std::string_view region) {
  std::string prefix;
  prefix.reserve(account_id.size() + region.size() + 2);
  prefix.append(account_id).push_back('/');
  prefix.append(region).push_back('/');
  return prefix;
}

Spec::Spec(const json::object& members) {
  if (members.empty()) return;
  *this = FromText(json::serialize(members));
}

Spec Spec::FromText(std::string_view compact) {
  Spec spec;
  if (compact == "{}") return spec;
  auto stored = std::make_shared_for_overwrite<char[]>(compact.size() + 1);
  std::memcpy(stored.get(), compact.data(), compact.size());
  stored[compact.size()] = '\0';
  spec.text_ = std::move(stored);
  return spec;
}

json::object Spec::Parse() const {
  if (!text_) return {};
  return json::parse(text()).as_object();
}

std::string_view Spec::text() const { return text_ ? std::string_view(text_.get()) : "{}"; }

json::value Association::ToJson() const {
  return {{"Id", id},
          {"Version", version},
          {"Spec", spec.Parse()},
          {"Created", created},
          {"Updated", updated},
          {"LastExecution", last_execution},
          {"LastSuccess", last_success},
          {"Status", status},
          {"DetailedStatus", detailed_status},
          {"StatusCounts", CountsToJson(status_counts)},
          {"NextRun", next_run},
          {"LegacyStatus", legacy_status}};
}

Association Association::FromJson(const json::value& value) { return FromStored(value, {}); }

Association Association::FromStored(const json::value& scratch, std::string_view document) {
  const json::object& object = scratch.as_object();
  Association association;
  association.id = Text(object, "Id");
  association.version = Integer(object, "Version");
  association.spec = StoredSpec(object, document);
  association.created = Number(object, "Created");
  association.updated = Number(object, "Updated");
  association.last_execution = Number(object, "LastExecution");
  association.last_success = Number(object, "LastSuccess");
  association.status = Text(object, "Status");
  association.detailed_status = Text(object, "DetailedStatus");
  association.status_counts = CountsFromJson(Object(object, "StatusCounts"));
  association.next_run = Number(object, "NextRun");
  // A copy in the default memory (a boost::json copy would keep the scratch memory).
  association.legacy_status = json::object(ObjectRef(object, "LegacyStatus"), json::storage_ptr());
  return association;
}

json::value InstanceAssociationStatus::ToJson() const {
  return {{"AssociationId", association_id},   {"AssociationVersion", association_version},
          {"InstanceId", instance_id},         {"Status", status},
          {"DetailedStatus", detailed_status}, {"ExecutionSummary", execution_summary},
          {"ExecutionDate", execution_date}};
}

InstanceAssociationStatus InstanceAssociationStatus::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  InstanceAssociationStatus status;
  status.association_id = Text(object, "AssociationId");
  status.association_version = Integer(object, "AssociationVersion");
  status.instance_id = Text(object, "InstanceId");
  status.status = Text(object, "Status");
  status.detailed_status = Text(object, "DetailedStatus");
  status.execution_summary = Text(object, "ExecutionSummary");
  status.execution_date = Number(object, "ExecutionDate");
  return status;
}

json::value AssociationVersion::ToJson() const {
  return {{"AssociationId", association_id},
          {"Version", version},
          {"Spec", spec.Parse()},
          {"Created", created}};
}

AssociationVersion AssociationVersion::FromJson(const json::value& value) {
  return FromStored(value, {});
}

AssociationVersion AssociationVersion::FromStored(const json::value& scratch,
                                                  std::string_view document) {
  const json::object& object = scratch.as_object();
  return AssociationVersion{Text(object, "AssociationId"), Integer(object, "Version"),
                            StoredSpec(object, document), Number(object, "Created")};
}

json::value Execution::ToJson() const {
  return {{"AssociationId", association_id},
          {"AssociationVersion", association_version},
          {"Id", id},
          {"Status", status},
          {"DetailedStatus", detailed_status},
          {"Created", created},
          {"LastExecution", last_execution},
          {"ResourceCounts", CountsToJson(resource_counts)},
          {"NextStep", next_step}};
}

Execution Execution::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  Execution execution;
  execution.association_id = Text(object, "AssociationId");
  execution.association_version = Integer(object, "AssociationVersion");
  execution.id = Text(object, "Id");
  execution.status = Text(object, "Status");
  execution.detailed_status = Text(object, "DetailedStatus");
  execution.created = Number(object, "Created");
  execution.last_execution = Number(object, "LastExecution");
  execution.resource_counts = CountsFromJson(Object(object, "ResourceCounts"));
  execution.next_step = Number(object, "NextStep");
  return execution;
}

json::value ExecutionTarget::ToJson() const {
  return {{"AssociationId", association_id},   {"AssociationVersion", association_version},
          {"ExecutionId", execution_id},       {"ResourceId", resource_id},
          {"ResourceType", resource_type},     {"Status", status},
          {"DetailedStatus", detailed_status}, {"LastExecution", last_execution}};
}

ExecutionTarget ExecutionTarget::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  ExecutionTarget target;
  target.association_id = Text(object, "AssociationId");
  target.association_version = Integer(object, "AssociationVersion");
  target.execution_id = Text(object, "ExecutionId");
  target.resource_id = Text(object, "ResourceId");
  target.resource_type = Text(object, "ResourceType");
  target.status = Text(object, "Status");
  target.detailed_status = Text(object, "DetailedStatus");
  target.last_execution = Number(object, "LastExecution");
  return target;
}

json::value ManagedNode::ToJson() const {
  return {{"Id", id},
          {"PlatformType", platform_type},
          {"PlatformName", platform_name},
          {"PlatformVersion", platform_version},
          {"ComputerName", computer_name},
          {"IPAddress", ip_address},
          {"ResourceType", resource_type},
          {"AssociationOutcome", association_outcome},
          {"Registered", registered},
          {"LastAssociation", last_association},
          {"LastSuccessfulAssociation", last_successful_association}};
}

ManagedNode ManagedNode::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  ManagedNode node;
  node.id = Text(object, "Id");
  node.platform_type = Text(object, "PlatformType");
  node.platform_name = Text(object, "PlatformName");
  node.platform_version = Text(object, "PlatformVersion");
  node.computer_name = Text(object, "ComputerName");
  node.ip_address = Text(object, "IPAddress");
  node.resource_type = Text(object, "ResourceType");
  node.association_outcome = Text(object, "AssociationOutcome");
  node.registered = Number(object, "Registered");
  node.last_association = Number(object, "LastAssociation");
  node.last_successful_association = Number(object, "LastSuccessfulAssociation");
  return node;
}

json::value DocumentVersion::ToJson() const {
  return {{"Name", name},       {"Version", version}, {"VersionName", version_name},
          {"Content", content}, {"Format", format},   {"Hash", hash},
          {"Created", created}, {"Status", status}};
}

DocumentVersion DocumentVersion::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  DocumentVersion version;
  version.name = Text(object, "Name");
  version.version = Text(object, "Version");
  version.version_name = Text(object, "VersionName");
  version.content = Text(object, "Content");
  version.format = Text(object, "Format");
  version.hash = Text(object, "Hash");
  version.created = Number(object, "Created");
  version.status = Text(object, "Status");
  return version;
}

json::value Document::ToJson() const {
  return {{"Name", name},
          {"Owner", owner},
          {"DocumentType", document_type},
          {"TargetType", target_type},
          {"DisplayName", display_name},
          {"SchemaVersion", schema_version},
          {"Description", description},
          {"Parameters", parameters},
          {"PlatformTypes", SetToJson(platform_types)},
          {"DefaultVersion", default_version},
          {"LatestVersion", latest_version},
          {"Created", created},
          {"SharedWith", StringsToJson(shared_with)}};
}

Document Document::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  Document document;
  document.name = Text(object, "Name");
  document.owner = Text(object, "Owner");
  document.document_type = Text(object, "DocumentType");
  document.target_type = Text(object, "TargetType");
  document.display_name = Text(object, "DisplayName");
  document.schema_version = Text(object, "SchemaVersion");
  document.description = Text(object, "Description");
  document.parameters = Array(object, "Parameters");
  document.platform_types = SetFromJson(Array(object, "PlatformTypes"));
  document.default_version = Text(object, "DefaultVersion");
  document.latest_version = Text(object, "LatestVersion");
  document.created = Number(object, "Created");
  document.shared_with = StringsFromJson(Object(object, "SharedWith"));
  return document;
}

json::value Compliance::ToJson() const {
  return {{"ResourceId", resource_id},
          {"ResourceType", resource_type},
          {"ComplianceType", compliance_type},
          {"ExecutionSummary", execution_summary},
          {"Items", items}};
}

Compliance Compliance::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  Compliance compliance;
  compliance.resource_id = Text(object, "ResourceId");
  compliance.resource_type = Text(object, "ResourceType");
  compliance.compliance_type = Text(object, "ComplianceType");
  compliance.execution_summary = Object(object, "ExecutionSummary");
  compliance.items = Array(object, "Items");
  return compliance;
}

json::value TagSet::ToJson() const { return {{"Tags", StringsToJson(tags)}}; }

TagSet TagSet::FromJson(const json::value& value) {
  return TagSet{StringsFromJson(Object(value.as_object(), "Tags"))};
}

}  // namespace cairn::ssm
