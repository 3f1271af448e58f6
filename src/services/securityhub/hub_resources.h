// The resources of the hub family of Security Hub (see provider.h) as cairn stores them, each
// with a stable serialized form, and the pure rules about them (ARNs, Region linking).
//
//   Hub                        an account's subscription in one Region (EnableSecurityHub)
//   AdminAccount               the organization's Security Hub administrator in one Region, as
//                              the management account designated it
//                              (EnableOrganizationAdminAccount)
//   OrganizationConfiguration  what the administrator set for the organization in one Region
//                              (UpdateOrganizationConfiguration): LOCAL or CENTRAL
//   FindingAggregator          cross-Region aggregation; its Region is the home Region
//   Member                     an account that an administrator added in one Region (CreateMembers)
//   TagSet                     the tags of one taggable resource (the hub, configuration policies)
//
// Plain values; the provider's lock guards the collections that hold them.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::securityhub {

// The Organizations service principal of Security Hub (trusted access, delegated administrator).
inline constexpr std::string_view kServicePrincipal = "securityhub.amazonaws.com";

struct Hub {
  std::string account_id;
  std::string region;
  double subscribed_at = 0;
  bool auto_enable_controls = true;
  std::string control_finding_generator =
      "SECURITY_CONTROL";  // STANDARD_CONTROL | SECURITY_CONTROL
  // Whether the hub was enabled with the default standards (EnableSecurityHub's
  // EnableDefaultStandards, or an enablement on the account's behalf): the standards family
  // enables AWS Foundational Security Best Practices and CIS 1.2.0 from it.
  bool enable_default_standards = true;

  std::string Arn() const;  // arn:aws:securityhub:<region>:<account>:hub/default

  boost::json::value ToJson() const;
  static Hub FromJson(const boost::json::value& value);
};

struct AdminAccount {
  std::string organization_id;
  std::string account_id;
  std::string region;
  std::string feature = "SecurityHub";  // SecurityHub | SecurityHubV2
  std::string status = "ENABLED";       // ENABLED | DISABLE_IN_PROGRESS
  double enabled_at = 0;
  double disabled_at = 0;  // when DISABLE_IN_PROGRESS ends (the lifecycle step's due time)

  boost::json::value ToJson() const;
  static AdminAccount FromJson(const boost::json::value& value);
};

struct OrganizationConfiguration {
  std::string organization_id;
  std::string admin_account_id;
  std::string region;
  bool auto_enable = false;
  std::string auto_enable_standards = "DEFAULT";  // NONE | DEFAULT
  std::string configuration_type = "LOCAL";       // LOCAL | CENTRAL
  std::string status = "ENABLED";                 // PENDING | ENABLED | FAILED
  std::string status_message;
  double status_due = 0;  // when PENDING ends (the lifecycle step's due time)

  bool central_enabled() const { return configuration_type == "CENTRAL" && status == "ENABLED"; }
  // DescribeOrganizationConfiguration's members.
  boost::json::object Describe(bool member_account_limit_reached) const;

  boost::json::value ToJson() const;
  static OrganizationConfiguration FromJson(const boost::json::value& value);
};

struct FindingAggregator {
  std::string arn;
  std::string account_id;
  std::string region;  // the aggregation (home) Region
  std::string
      linking_mode;  // ALL_REGIONS | ALL_REGIONS_EXCEPT_SPECIFIED | SPECIFIED_REGIONS | NO_REGIONS
  std::vector<std::string> regions;
  double created = 0;

  // Whether findings of `region` reach this aggregator: the home Region and its linked Regions.
  bool Links(std::string_view region) const;
  // The members of Create/Get/UpdateFindingAggregator's output.
  boost::json::object Describe() const;

  boost::json::value ToJson() const;
  static FindingAggregator FromJson(const boost::json::value& value);
};

struct Member {
  std::string account_id;
  std::string administrator_id;
  std::string email;
  // Enabled: an organization account the administrator enabled (no invitation); Created: an
  // account outside the organization, added but not invited yet.
  std::string status;
  std::string organization_id;  // the organization an Enabled member was added through
  double invited_at = 0;
  double updated_at = 0;

  bool associated() const { return status == "Enabled" || status == "Associated"; }
  // The Member structure of the API.
  boost::json::object Describe() const;

  boost::json::value ToJson() const;
  static Member FromJson(const boost::json::value& value);
};

struct TagSet {
  std::map<std::string, std::string> tags;

  boost::json::value ToJson() const;
  static TagSet FromJson(const boost::json::value& value);
};

// The parts of a Security Hub ARN `arn:aws:securityhub:<region>:<account>:<resource>`.
struct ArnParts {
  std::string region;
  std::string account_id;
  std::string resource;  // hub/default, finding-aggregator/<id>, configuration-policy/<id>, ...
};
std::optional<ArnParts> ParseArn(std::string_view arn);

// Whether `name` has the shape of an AWS Region name (`us-east-1`, `ap-southeast-2`,
// `us-gov-west-1`).
bool IsRegionName(std::string_view name);

}  // namespace cairn::securityhub
