// The resources of AWS Organizations as cairn stores them. Each has a stable serialized form
// (ToJson/FromJson) because the store may persist it; field names follow the AWS API.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>

namespace cairn::org {

struct Organization {
  std::string id;  // o-xxxxxxxxxx
  std::string arn;
  std::string feature_set;  // ALL | CONSOLIDATED_BILLING
  std::string management_account_id;
  std::string management_account_email;
  std::string root_id;
  double created = 0;

  boost::json::value ToJson() const;
  static Organization FromJson(const boost::json::value& value);
};

struct OrganizationalUnit {
  std::string id;  // ou-<root suffix>-<8>
  std::string arn;
  std::string name;
  std::string parent_id;  // r-... or ou-...
  std::string organization_id;

  boost::json::value ToJson() const;
  static OrganizationalUnit FromJson(const boost::json::value& value);
};

struct Account {
  std::string id;  // 12 digits
  std::string arn;
  std::string email;
  std::string name;
  std::string status = "ACTIVE";  // ACTIVE | SUSPENDED | PENDING_CLOSURE
  std::string joined_method;      // INVITED | CREATED
  double joined = 0;
  std::string parent_id;
  std::string organization_id;
  // When a CloseAccount moves it from PENDING_CLOSURE to SUSPENDED (0: not closing).
  double closes_at = 0;

  boost::json::value ToJson() const;
  static Account FromJson(const boost::json::value& value);
};

struct CreateAccountRequest {
  std::string id;  // car-...
  std::string organization_id;
  std::string account_name;
  std::string email;
  std::string state = "IN_PROGRESS";  // IN_PROGRESS | SUCCEEDED | FAILED
  double requested = 0;
  double completed = 0;
  double completes_at = 0;  // when the lifecycle finishes it
  std::string account_id;
  std::string failure_reason;
  std::map<std::string, std::string> tags;  // applied to the account when it is created

  boost::json::value ToJson() const;
  static CreateAccountRequest FromJson(const boost::json::value& value);
};

// Trusted access of one service principal in one organization.
struct ServiceAccess {
  std::string organization_id;
  std::string principal;
  double enabled = 0;

  boost::json::value ToJson() const;
  static ServiceAccess FromJson(const boost::json::value& value);
};

// One account registered as delegated administrator for one service principal.
struct Delegation {
  std::string organization_id;
  std::string account_id;
  std::string principal;
  double enabled = 0;

  boost::json::value ToJson() const;
  static Delegation FromJson(const boost::json::value& value);
};

// Tags of one taggable resource (account, OU, root).
struct TagSet {
  std::map<std::string, std::string> tags;

  boost::json::value ToJson() const;
  static TagSet FromJson(const boost::json::value& value);
};

}  // namespace cairn::org
