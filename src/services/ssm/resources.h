// The resources of SSM State Manager as cairn stores them, each with a stable serialized form.
//
// A resource keeps the members its user supplied exactly as the (validated) request gave them,
// in `spec`, so that every field comes back as it was sent and none appears with an invented
// default (what Terraform reads back and compares); cairn's own fields sit beside it.
//
// Keys: everything in SSM is regional and per account, so every key starts with the scope
// `<account>/<region>/`; a page of one scope is a key range of its collection.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

namespace cairn::ssm {

// `<account>/<region>/`: the prefix of every key of one scope.
std::string ScopePrefix(std::string_view account_id, std::string_view region);

// The members of an association as its user sent them: immutable once stored, and shared by
// the association and the record of its version (copying a Spec copies a pointer). Held as
// compact JSON text in one allocation, parsed where it is read: a boost::json::object of the
// bench's 110-byte spec takes about 700 bytes of heap in 13 allocations, its text about 130 in
// one (issue 8: memory per association). Parsing it costs about what copying the object into
// a response did.
class Spec {
 public:
  Spec() = default;  // {}
  explicit Spec(const boost::json::object& members);
  // From the compact serialization of an object, as Spec::text() gives it and stored documents
  // hold it (restore takes it from there without parsing and serializing it again).
  static Spec FromText(std::string_view compact);

  boost::json::object Parse() const;
  // The serialized members ("{}" when there are none).
  std::string_view text() const;

 private:
  std::shared_ptr<const char[]> text_;  // NUL-terminated (JSON text has no raw NUL); null: {}
};

struct Association {
  std::string id;  // UUID
  int version = 1;
  // CreateAssociation's members as sent (Name, Targets, Parameters, ScheduleExpression, ...);
  // UpdateAssociation replaces it with the new version's.
  Spec spec;
  double created = 0;  // Date
  double updated = 0;  // LastUpdateAssociationDate
  double last_execution = 0;
  double last_success = 0;
  std::string status = "Pending";  // Overview.Status: Pending | Success | Failed
  std::string detailed_status = "Creating";
  std::map<std::string, int> status_counts;  // AssociationStatusAggregatedCount
  double next_run = 0;                       // when the schedule fires next (0: not scheduled)
  // The AssociationStatus structure of legacy (InstanceId) associations: Date, Name,
  // Message, AdditionalInfo; set at creation and by UpdateAssociationStatus.
  boost::json::object legacy_status;

  boost::json::value ToJson() const;
  static Association FromJson(const boost::json::value& value);
  // Restore (store::Collection): `scratch` is `document` parsed into scratch memory.
  static Association FromStored(const boost::json::value& scratch, std::string_view document);
};

// The latest status of one association on one managed node, as
// DescribeInstanceAssociationsStatus returns it.
struct InstanceAssociationStatus {
  std::string association_id;
  int association_version = 1;
  std::string instance_id;
  std::string status;  // Success | Failed | Pending
  std::string detailed_status;
  std::string execution_summary;
  double execution_date = 0;

  boost::json::value ToJson() const;
  static InstanceAssociationStatus FromJson(const boost::json::value& value);
};

// One version of an association, as ListAssociationVersions returns it.
struct AssociationVersion {
  std::string association_id;
  int version = 1;
  Spec spec;  // the same Spec as the association's while this is its current version
  double created = 0;

  boost::json::value ToJson() const;
  static AssociationVersion FromJson(const boost::json::value& value);
  static AssociationVersion FromStored(const boost::json::value& scratch,
                                       std::string_view document);
};

struct Execution {
  std::string association_id;
  int association_version = 1;
  std::string id;                  // ExecutionId (UUID)
  std::string status = "Pending";  // Pending | InProgress | Success | Failed
  std::string detailed_status;
  double created = 0;
  double last_execution = 0;
  std::map<std::string, int> resource_counts;  // ResourceCountByStatus
  double next_step = 0;                        // when the lifecycle advances it (0: finished)

  boost::json::value ToJson() const;
  static Execution FromJson(const boost::json::value& value);
};

struct ExecutionTarget {
  std::string association_id;
  int association_version = 1;
  std::string execution_id;
  std::string resource_id;
  std::string resource_type = "ManagedInstance";
  std::string status = "Pending";  // Pending | InProgress | Success | Failed | Skipped
  std::string detailed_status;
  double last_execution = 0;

  boost::json::value ToJson() const;
  static ExecutionTarget FromJson(const boost::json::value& value);
};

// A managed node registered with POST /_cairn/ssm/instances or a world file.
struct ManagedNode {
  std::string id;  // i-... or mi-...
  std::string platform_type = "Linux";
  std::string platform_name;
  std::string platform_version;
  std::string computer_name;
  std::string ip_address;
  std::string resource_type;                    // EC2Instance | ManagedInstance
  std::string association_outcome = "Success";  // what runs on it report: Success | Failed
  double registered = 0;
  double last_association = 0;
  double last_successful_association = 0;

  boost::json::value ToJson() const;
  static ManagedNode FromJson(const boost::json::value& value);
};

struct DocumentVersion {
  std::string name;
  std::string version;  // "1", "2", ...
  std::string version_name;
  std::string content;
  std::string format = "JSON";  // JSON | YAML | TEXT
  std::string hash;             // SHA-256 of the content
  double created = 0;
  std::string status = "Active";

  boost::json::value ToJson() const;
  static DocumentVersion FromJson(const boost::json::value& value);
};

struct Document {
  std::string name;
  std::string owner;  // account id
  std::string document_type = "Command";
  std::string target_type;
  std::string display_name;
  // Parsed from the default version's content when it changes.
  std::string schema_version;
  std::string description;
  boost::json::array parameters;  // DocumentParameter list, as DescribeDocument returns it
  std::set<std::string> platform_types;
  std::string default_version = "1";
  std::string latest_version = "1";
  double created = 0;
  // Who it is shared with (ModifyDocumentPermission): account id, or "all" for everyone, to
  // the SharedDocumentVersion it was shared at ($DEFAULT, $LATEST or $ALL).
  std::map<std::string, std::string> shared_with;

  boost::json::value ToJson() const;
  static Document FromJson(const boost::json::value& value);
};

// The compliance of one resource for one compliance type (PutComplianceItems replaces it
// whole; association runs write the `Association` type when SyncCompliance is AUTO).
struct Compliance {
  std::string resource_id;
  std::string resource_type = "ManagedInstance";
  std::string compliance_type;
  boost::json::object execution_summary;
  boost::json::array items;  // ComplianceItemEntry-like objects with Status and Severity

  boost::json::value ToJson() const;
  static Compliance FromJson(const boost::json::value& value);
};

struct TagSet {
  std::map<std::string, std::string> tags;

  boost::json::value ToJson() const;
  static TagSet FromJson(const boost::json::value& value);
};

}  // namespace cairn::ssm
