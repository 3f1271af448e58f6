// Compliance: what PutComplianceItems and association runs record about managed nodes, and the
// three list operations that read it back.
//
// One Compliance record per (node, compliance type), keyed <scope><node id>/<type>, holds the
// type's items and execution summary. Statuses are worked out when read:
//   - a (node, type) is NON_COMPLIANT when any of its items is, else COMPLIANT;
//   - its OverallSeverity is the highest severity among the items that decide its status;
//   - ListComplianceSummaries counts nodes per type ("a summary count of compliant and
//     non-compliant resources for a compliance type"), each in the bucket of its OverallSeverity;
//   - ListResourceComplianceSummaries counts items per (node, type).
#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <shared_mutex>

#include "base/time_format.h"
#include "services/common/paging.h"
#include "services/ssm/errors.h"
#include "services/ssm/filters.h"
#include "services/ssm/provider.h"

namespace cairn::ssm {
namespace json = boost::json;
namespace {

constexpr std::string_view kManagedInstance = "ManagedInstance";
constexpr std::string_view kAssociationType = "Association";
// ComplianceTypeCountLimitExceededException: "You can specify a maximum of 10 different types."
constexpr size_t kMaxCustomTypes = 10;
// The limit in AWS's ItemSizeLimitExceededException ("Compliance item can have up to 800 KB in
// total.", reported in dev-sec/cis-dil-benchmark#121), measured on the items as JSON.
constexpr size_t kMaxItemsBytes = 800 * 1024;
constexpr size_t kDefaultPageSize = 50;
// Between a record's key and an item's position in a page token's key.
constexpr char kItemSeparator = '#';

const services::PagingRules kPaging{"ssm", "MaxResults", kDefaultPageSize, false,
                                    [] { return errors::InvalidNextToken(); }};

// Severities from the highest, with the SeveritySummary member that counts each.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kSeverities = {{
    {"CRITICAL", "CriticalCount"},
    {"HIGH", "HighCount"},
    {"MEDIUM", "MediumCount"},
    {"LOW", "LowCount"},
    {"INFORMATIONAL", "InformationalCount"},
    {"UNSPECIFIED", "UnspecifiedCount"},
}};

std::string Text(const json::object& object, std::string_view member) {
  const json::value* value = object.if_contains(member);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

size_t SeverityIndex(std::string_view severity) {
  for (size_t severity_idx = 0; severity_idx < kSeverities.size(); ++severity_idx) {
    if (kSeverities[severity_idx].first == severity) return severity_idx;
  }
  return kSeverities.size() - 1;
}

struct SeverityCounts {
  std::array<int, kSeverities.size()> counts{};
  int total = 0;

  void Add(std::string_view severity) {
    ++counts[SeverityIndex(severity)];
    ++total;
  }
  json::object Json() const {
    json::object out;
    for (size_t severity_idx = 0; severity_idx < kSeverities.size(); ++severity_idx) {
      out[kSeverities[severity_idx].second] = counts[severity_idx];
    }
    return out;
  }
};

// The status of one (node, compliance type), from its items.
struct RecordSummary {
  std::string status = "COMPLIANT";
  std::string overall_severity = "UNSPECIFIED";
  SeverityCounts compliant;
  SeverityCounts non_compliant;
};

RecordSummary Summarize(const Compliance& record) {
  RecordSummary summary;
  int compliant_rank = -1;
  int non_compliant_rank = -1;
  std::string compliant_severity = "UNSPECIFIED";
  std::string non_compliant_severity;
  for (const json::value& value : record.items) {
    const json::object& item = value.as_object();
    const std::string severity = Text(item, "Severity");
    const int rank = filters::SeverityRank(severity);
    if (Text(item, "Status") == "NON_COMPLIANT") {
      summary.non_compliant.Add(severity);
      if (rank > non_compliant_rank) {
        non_compliant_rank = rank;
        non_compliant_severity = severity;
      }
    } else {
      summary.compliant.Add(severity);
      if (rank > compliant_rank) {
        compliant_rank = rank;
        compliant_severity = severity;
      }
    }
  }
  if (summary.non_compliant.total > 0) {
    summary.status = "NON_COMPLIANT";
    summary.overall_severity = non_compliant_severity;
  } else {
    summary.overall_severity = compliant_severity;
  }
  return summary;
}

double ExecutionTimeOf(const Compliance& record) {
  const json::value* time = record.execution_summary.if_contains("ExecutionTime");
  return time && time->is_number() ? time->to_number<double>() : 0;
}

// Filters on a (node, compliance type) and its summary. The API reference names no filter keys:
// these are the members of what the operations return, as its examples use them.
Result<std::vector<filters::ComplianceFilter>> ParseRecordFilters(
    const json::value* record_filters) {
  return filters::ParseComplianceFilters(
      record_filters, {"ComplianceType", "ResourceId", "ResourceType", "Status", "OverallSeverity",
                       "ExecutionId", "ExecutionType", "ExecutionTime"});
}

// Whether a record passes filters on its own members and its summary's.
bool RecordPasses(const std::vector<filters::ComplianceFilter>& record_filters,
                  const Compliance& record, const RecordSummary& summary) {
  for (const filters::ComplianceFilter& filter : record_filters) {
    bool passed = false;
    if (filter.key == "ExecutionTime") {
      passed = filters::PassesTime(filter, ExecutionTimeOf(record));
    } else {
      std::string actual;
      if (filter.key == "ComplianceType") actual = record.compliance_type;
      if (filter.key == "ResourceId") actual = record.resource_id;
      if (filter.key == "ResourceType") actual = record.resource_type;
      if (filter.key == "Status") actual = summary.status;
      if (filter.key == "OverallSeverity") actual = summary.overall_severity;
      if (filter.key == "ExecutionId") actual = Text(record.execution_summary, "ExecutionId");
      if (filter.key == "ExecutionType") actual = Text(record.execution_summary, "ExecutionType");
      passed = filters::Passes(filter, actual);
    }
    if (!passed) return false;
  }
  return true;
}

bool ItemPasses(const std::vector<filters::ComplianceFilter>& item_filters,
                const Compliance& record, const json::object& item) {
  for (const filters::ComplianceFilter& filter : item_filters) {
    bool passed = false;
    if (filter.key == "ExecutionTime") {
      passed = filters::PassesTime(filter, ExecutionTimeOf(record));
    } else {
      std::string actual;
      if (filter.key == "ComplianceType") actual = record.compliance_type;
      if (filter.key == "ResourceId") actual = record.resource_id;
      if (filter.key == "ResourceType") actual = record.resource_type;
      if (filter.key == "ExecutionId") actual = Text(record.execution_summary, "ExecutionId");
      if (filter.key == "ExecutionType") actual = Text(record.execution_summary, "ExecutionType");
      if (filter.key == "Id" || filter.key == "Title" || filter.key == "Status" ||
          filter.key == "Severity") {
        actual = Text(item, filter.key);
      }
      passed = filters::Passes(filter, actual);
    }
    if (!passed) return false;
  }
  return true;
}

json::object ComplianceItemJson(const Compliance& record, const json::object& item) {
  json::object out{{"ComplianceType", record.compliance_type},
                   {"ResourceType", record.resource_type},
                   {"ResourceId", record.resource_id},
                   // AWS answers an empty Id and Title rather than none (ssm list-compliance-items
                   // example in the AWS CLI reference).
                   {"Id", Text(item, "Id")},
                   {"Title", Text(item, "Title")},
                   {"Status", Text(item, "Status")},
                   {"Severity", Text(item, "Severity")},
                   {"ExecutionSummary", record.execution_summary}};
  if (const json::value* details = item.if_contains("Details");
      details && details->is_object() && !details->get_object().empty()) {
    out["Details"] = *details;
  }
  return out;
}

json::object ResourceSummaryJson(const Compliance& record, const RecordSummary& summary) {
  return {{"ComplianceType", record.compliance_type},
          {"ResourceType", record.resource_type},
          {"ResourceId", record.resource_id},
          {"Status", summary.status},
          {"OverallSeverity", summary.overall_severity},
          {"ExecutionSummary", record.execution_summary},
          {"CompliantSummary", json::object{{"CompliantCount", summary.compliant.total},
                                            {"SeveritySummary", summary.compliant.Json()}}},
          {"NonCompliantSummary", json::object{{"NonCompliantCount", summary.non_compliant.total},
                                               {"SeveritySummary", summary.non_compliant.Json()}}}};
}

std::string RecordKey(std::string_view scope, std::string_view resource_id,
                      std::string_view compliance_type) {
  std::string key(scope);
  key.append(resource_id).push_back('/');
  key.append(compliance_type);
  return key;
}

// The item as stored: the members PutComplianceItems takes, nothing invented.
json::object StoredItem(const json::object& entry) {
  json::object item;
  for (std::string_view member : {"Id", "Title", "Severity", "Status", "Details"}) {
    if (const json::value* value = entry.if_contains(member)) item[member] = *value;
  }
  return item;
}

std::optional<double> TimestampOf(const json::value& value) {
  if (value.is_number()) return value.to_number<double>();
  if (value.is_string()) return time_format::ParseIso8601(value.get_string());
  return std::nullopt;
}

}  // namespace

void Provider::BindCompliance(gateway::OperationTable& table) {
  table.Bind("PutComplianceItems", this, &Provider::PutComplianceItems);
  table.Bind("ListComplianceItems", this, &Provider::ListComplianceItems);
  table.Bind("ListComplianceSummaries", this, &Provider::ListComplianceSummaries);
  table.Bind("ListResourceComplianceSummaries", this, &Provider::ListResourceComplianceSummaries);
}

Provider::Output Provider::PutComplianceItems(const Context& context, Input& input) {
  const std::string resource_id = Text(input, "ResourceId");
  const std::string compliance_type = Text(input, "ComplianceType");
  // "ManagedInstance is currently the only supported resource type."
  if (Text(input, "ResourceType") != kManagedInstance) return errors::InvalidResourceType();
  const bool partial = Text(input, "UploadType") == "PARTIAL";
  const json::array& entries = input.at("Items").as_array();
  if (json::serialize(entries).size() > kMaxItemsBytes) {
    return errors::ItemSizeLimitExceededException(
        "Compliance item can have up to 800 KB in total.");
  }
  std::set<std::string> ids;
  for (const json::value& entry : entries) {
    const std::string id = Text(entry.as_object(), "Id");
    // PARTIAL replaces items by Id, so each needs one; no upload may name an item twice.
    if (id.empty() && partial) {
      return errors::InvalidItemContentException(
          "Every compliance item needs an Id when UploadType is PARTIAL.");
    }
    if (!id.empty() && !ids.insert(id).second) {
      return errors::InvalidItemContentException("The compliance item Id " + id +
                                                 " appears more than once.");
    }
  }
  json::object execution_summary;
  const json::object& summary_input = input.at("ExecutionSummary").as_object();
  const std::optional<double> execution_time = TimestampOf(summary_input.at("ExecutionTime"));
  if (!execution_time) {
    return errors::InvalidItemContentException(
        "ExecutionSummary.ExecutionTime isn't a valid time.");
  }
  execution_summary["ExecutionTime"] = *execution_time;
  for (std::string_view member : {"ExecutionId", "ExecutionType"}) {
    if (const json::value* value = summary_input.if_contains(member)) {
      execution_summary[member] = *value;
    }
  }

  const std::string scope = ScopePrefix(context.account_id, context.region);
  return Write([&](State& state, store::Transaction& txn) -> Output {
    // AWS answers InvalidResourceId with no message (a recorded response in getmoto/moto#4360).
    if (!state.nodes.Find(scope + resource_id)) return errors::InvalidResourceId("");
    const std::string key = RecordKey(scope, resource_id, compliance_type);
    const Compliance* existing = state.compliance.Find(key);
    if (!existing && compliance_type.starts_with("Custom:")) {
      const std::string resource_prefix = scope + resource_id + "/";
      size_t custom_types = 0;
      for (auto record = state.compliance.LowerBound(resource_prefix);
           record != state.compliance.items().end() && record->first.starts_with(resource_prefix);
           ++record) {
        if (record->second.compliance_type.starts_with("Custom:")) ++custom_types;
      }
      if (custom_types >= kMaxCustomTypes) {
        return errors::ComplianceTypeCountLimitExceededException();
      }
    }
    Compliance record;
    record.resource_id = resource_id;
    record.resource_type = kManagedInstance;
    record.compliance_type = compliance_type;
    record.execution_summary = std::move(execution_summary);
    if (partial && existing) {
      // PARTIAL: "the system overwrites compliance information for a specific association":
      // items named again are replaced, the others kept.
      record.items = existing->items;
      for (const json::value& entry : entries) {
        json::object item = StoredItem(entry.as_object());
        const std::string id = Text(item, "Id");
        auto same = std::find_if(
            record.items.begin(), record.items.end(),
            [&id](const json::value& kept) { return Text(kept.as_object(), "Id") == id; });
        if (same != record.items.end()) {
          *same = std::move(item);
        } else {
          record.items.push_back(std::move(item));
        }
      }
    } else {
      for (const json::value& entry : entries) {
        record.items.push_back(StoredItem(entry.as_object()));
      }
    }
    state.compliance.Put(txn, key, std::move(record));
    return json::object{};
  });
}

Provider::Output Provider::ListComplianceItems(const Context& context, Input& input) {
  if (const json::value* types = input.if_contains("ResourceTypes")) {
    for (const json::value& type : types->as_array()) {
      if (type.as_string() != kManagedInstance) return errors::InvalidResourceType();
    }
  }
  std::string resource_id;
  if (const json::value* resource_ids = input.if_contains("ResourceIds")) {
    // "Currently, you can only specify one resource ID."
    if (resource_ids->as_array().size() > 1) {
      return errors::InvalidResourceId("Currently, you can only specify one resource ID.");
    }
    resource_id = resource_ids->as_array().front().as_string();
  }
  Result<std::vector<filters::ComplianceFilter>> item_filters = filters::ParseComplianceFilters(
      input.if_contains("Filters"),
      {"ComplianceType", "ResourceId", "ResourceType", "Id", "Title", "Status", "Severity",
       "ExecutionId", "ExecutionType", "ExecutionTime"});
  if (!item_filters.ok()) return std::move(item_filters).error();
  const std::string query = json::serialize(
      json::object{{"ResourceIds", resource_id},
                   {"Filters", input.contains("Filters") ? input.at("Filters") : json::value()}});
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const std::string prefix = resource_id.empty() ? scope : scope + resource_id + "/";
  const services::Paging paging(tokens_, context, input, "ListComplianceItems", query, kPaging);
  Result<std::string> start = paging.Start();
  if (!start.ok()) return std::move(start).error();

  // Pages run over (record, item position): a token names the last item returned.
  std::string start_record = prefix;
  size_t start_item = 0;
  if (!start->empty()) {
    const size_t separator = start->rfind(kItemSeparator);
    start_record = start->substr(0, separator);
    start_item = std::stoul(start->substr(separator + 1)) + 1;
  }
  std::shared_lock lock(mutex_);
  json::array items;
  std::optional<std::string> last_key;
  bool more = false;
  const auto& records = state_.compliance.items();
  for (auto record = records.lower_bound(start_record);
       record != records.end() && record->first.starts_with(prefix) && !more; ++record) {
    const size_t first = record->first == start_record ? start_item : 0;
    for (size_t item_idx = first; item_idx < record->second.items.size(); ++item_idx) {
      const json::object& item = record->second.items[item_idx].as_object();
      if (!ItemPasses(*item_filters, record->second, item)) continue;
      if (items.size() == paging.limit()) {
        more = true;
        break;
      }
      items.push_back(ComplianceItemJson(record->second, item));
      last_key = record->first + kItemSeparator + PaddedNumber(item_idx);
    }
  }
  json::object out{{"ComplianceItems", std::move(items)}};
  if (more && last_key) out["NextToken"] = paging.NextToken(*last_key);
  return out;
}

Provider::Output Provider::ListComplianceSummaries(const Context& context, Input& input) {
  Result<std::vector<filters::ComplianceFilter>> record_filters =
      ParseRecordFilters(input.if_contains("Filters"));
  if (!record_filters.ok()) return std::move(record_filters).error();
  const std::string query =
      json::serialize(input.contains("Filters") ? input.at("Filters") : json::value());
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const services::Paging paging(tokens_, context, input, "ListComplianceSummaries", query, kPaging);
  Result<std::string> start = paging.Start();
  if (!start.ok()) return std::move(start).error();

  struct TypeSummary {
    SeverityCounts compliant;
    SeverityCounts non_compliant;
  };
  std::map<std::string, TypeSummary> by_type;
  {
    std::shared_lock lock(mutex_);
    const auto& records = state_.compliance.items();
    for (auto record = records.lower_bound(scope);
         record != records.end() && record->first.starts_with(scope); ++record) {
      const RecordSummary summary = Summarize(record->second);
      if (!RecordPasses(*record_filters, record->second, summary)) continue;
      TypeSummary& type = by_type[record->second.compliance_type];
      (summary.status == "NON_COMPLIANT" ? type.non_compliant : type.compliant)
          .Add(summary.overall_severity);
    }
  }
  json::array items;
  std::optional<std::string> last_key;
  bool more = false;
  for (auto type = start->empty() ? by_type.begin() : by_type.upper_bound(*start);
       type != by_type.end(); ++type) {
    if (items.size() == paging.limit()) {
      more = true;
      break;
    }
    items.push_back(json::object{
        {"ComplianceType", type->first},
        {"CompliantSummary", json::object{{"CompliantCount", type->second.compliant.total},
                                          {"SeveritySummary", type->second.compliant.Json()}}},
        {"NonCompliantSummary",
         json::object{{"NonCompliantCount", type->second.non_compliant.total},
                      {"SeveritySummary", type->second.non_compliant.Json()}}}});
    last_key = type->first;
  }
  json::object out{{"ComplianceSummaryItems", std::move(items)}};
  if (more && last_key) out["NextToken"] = paging.NextToken(*last_key);
  return out;
}

Provider::Output Provider::ListResourceComplianceSummaries(const Context& context, Input& input) {
  Result<std::vector<filters::ComplianceFilter>> record_filters =
      ParseRecordFilters(input.if_contains("Filters"));
  if (!record_filters.ok()) return std::move(record_filters).error();
  const std::string query =
      json::serialize(input.contains("Filters") ? input.at("Filters") : json::value());
  const std::string scope = ScopePrefix(context.account_id, context.region);
  const services::Paging paging(tokens_, context, input, "ListResourceComplianceSummaries", query,
                                kPaging);
  std::shared_lock lock(mutex_);
  return services::ListPage(
      paging, state_.compliance, scope, "ResourceComplianceSummaryItems",
      [&](const Compliance& record) {
        return RecordPasses(*record_filters, record, Summarize(record));
      },
      [](const Compliance& record) { return ResourceSummaryJson(record, Summarize(record)); });
}

void Provider::RecordAssociationCompliance(State& state, store::Transaction& txn,
                                           std::string_view scope, const Association& association,
                                           std::string_view node_id, std::string_view status,
                                           double now) {
  // As AWS's association compliance shows it (ssm list-compliance-items example): one item per
  // association, Id the association id, Title its name (empty without one), Details the
  // document and version that ran; ExecutionSummary only the time compliance was captured.
  const json::object spec = association.spec.Parse();
  const std::string document_name = Text(spec, "Name");
  std::string version = Text(spec, "DocumentVersion");
  if (version.empty() || version.starts_with("$")) {
    // The concrete version behind $DEFAULT or $LATEST: the account's own document knows it;
    // AWS-owned documents are all at version 1 in cairn's catalog.
    const std::string name = document_name.substr(
        document_name.rfind('/') == std::string::npos ? 0 : document_name.rfind('/') + 1);
    const Document* document = state.documents.Find(std::string(scope) + name);
    if (document) {
      version = version == "$LATEST" ? document->latest_version : document->default_version;
    } else {
      version = "1";
    }
  }
  const std::string severity = Text(spec, "ComplianceSeverity");
  json::object item{
      {"Id", association.id},
      {"Title", Text(spec, "AssociationName")},
      {"Severity", severity.empty() ? "UNSPECIFIED" : severity},
      {"Status", status == "Success" ? "COMPLIANT" : "NON_COMPLIANT"},
      {"Details", json::object{{"DocumentName", document_name}, {"DocumentVersion", version}}}};

  const std::string key = RecordKey(scope, node_id, kAssociationType);
  const Compliance* existing = state.compliance.Find(key);
  Compliance record = existing ? *existing : Compliance{};
  record.resource_id = node_id;
  record.resource_type = kManagedInstance;
  record.compliance_type = kAssociationType;
  // "State Manager updates compliance information for all associations on an instance whenever
  // any association executes" (PutComplianceItems, ExecutionTime).
  record.execution_summary = json::object{{"ExecutionTime", now}};
  auto same = std::find_if(record.items.begin(), record.items.end(),
                           [&association](const json::value& kept) {
                             return Text(kept.as_object(), "Id") == association.id;
                           });
  if (same != record.items.end()) {
    *same = std::move(item);
  } else {
    record.items.push_back(std::move(item));
  }
  state.compliance.Put(txn, key, std::move(record));
}

}  // namespace cairn::ssm
