#include "main/world.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "org/naming.h"

namespace cairn::world {
namespace {

constexpr size_t kMaxOrganizationalUnitDepth = 5;

struct PlannedAccount {
  std::string id, name, email;
};

struct PlannedUnit {
  std::string id;  // empty: made up when applied
  std::string name;
  std::vector<PlannedAccount> accounts;
  std::vector<PlannedUnit> units;
};

struct PlannedDelegation {
  std::string account_id, principal;
};

struct Plan {
  bool has_organization = false;
  std::vector<boost::json::object> nodes;  // registration bodies of managed_nodes
  PlannedAccount management;
  std::string organization_id;
  std::string root_id;
  std::string feature_set = "ALL";
  std::vector<std::string> trusted_access;
  std::vector<PlannedDelegation> delegations;
  std::vector<PlannedAccount> root_accounts;
  std::vector<PlannedUnit> units;
};

// A refusal that names the file, line and path of the offending node.
class Problem {
 public:
  Problem(std::string source) : source_(std::move(source)) {}
  AwsError At(const YAML::Node& node, const std::string& path, const std::string& what) const {
    const int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    return AwsError::Make("InvalidWorldFile",
                          source_ + ":" + std::to_string(line) + ": " + path + ": " + what);
  }

 private:
  std::string source_;
};

// Parses the YAML tree into a plan, checking every field.
class Planner {
 public:
  Planner(const Problem& problem) : problem_(problem) {}

  Result<Plan> Build(const YAML::Node& document) {
    Plan plan;
    if (!document.IsMap()) {
      return problem_.At(document, "(top)",
                         "must be a mapping with `organization` and/or `managed_nodes`");
    }
    if (Result<Ok> keys = OnlyKeys(document, "(top)", {"organization", "managed_nodes"});
        !keys.ok()) {
      return std::move(keys).error();
    }
    if (Result<Ok> nodes = ParseNodes(document["managed_nodes"], plan); !nodes.ok())
      return std::move(nodes).error();
    const YAML::Node organization = document["organization"];
    if (!organization && !plan.nodes.empty()) return plan;
    if (!organization || !organization.IsMap()) {
      return problem_.At(document, "organization",
                         "is required (or managed_nodes) and must be a mapping");
    }
    plan.has_organization = true;
    const std::string path = "organization";
    if (Result<Ok> keys =
            OnlyKeys(organization, path,
                     {"id", "root_id", "feature_set", "management_account", "trusted_access",
                      "delegated_administrators", "accounts", "organizational_units"});
        !keys.ok()) {
      return std::move(keys).error();
    }
    if (Result<Ok> id =
            OptionalText(organization, path, "id", "^o-[a-z0-9]{10,32}$", plan.organization_id);
        !id.ok()) {
      return std::move(id).error();
    }
    if (Result<Ok> root =
            OptionalText(organization, path, "root_id", "^r-[0-9a-z]{4,32}$", plan.root_id);
        !root.ok()) {
      return std::move(root).error();
    }
    if (Result<Ok> feature = OptionalText(organization, path, "feature_set", "", plan.feature_set);
        !feature.ok()) {
      return std::move(feature).error();
    }
    if (plan.feature_set != "ALL" && plan.feature_set != "CONSOLIDATED_BILLING") {
      return problem_.At(organization["feature_set"], path + ".feature_set",
                         "must be ALL or CONSOLIDATED_BILLING");
    }
    const YAML::Node management = organization["management_account"];
    if (!management) return problem_.At(organization, path + ".management_account", "is required");
    if (Result<PlannedAccount> account = ParseAccount(management, path + ".management_account");
        account.ok()) {
      plan.management = std::move(account).value();
    } else {
      return std::move(account).error();
    }
    if (Result<Ok> list = TextList(organization, path, "trusted_access", plan.trusted_access);
        !list.ok()) {
      return std::move(list).error();
    }
    if (!plan.trusted_access.empty() && plan.feature_set != "ALL") {
      return problem_.At(
          organization["trusted_access"], path + ".trusted_access",
          "needs feature_set ALL (AWS enables trusted access only with all features)");
    }
    if (Result<Ok> accounts =
            ParseAccounts(organization["accounts"], path + ".accounts", plan.root_accounts);
        !accounts.ok()) {
      return std::move(accounts).error();
    }
    if (Result<Ok> units = ParseUnits(organization["organizational_units"],
                                      path + ".organizational_units", 1, plan.units);
        !units.ok()) {
      return std::move(units).error();
    }
    if (Result<Ok> delegations = ParseDelegations(organization["delegated_administrators"], plan);
        !delegations.ok()) {
      return std::move(delegations).error();
    }
    return plan;
  }

 private:
  Result<Ok> OnlyKeys(const YAML::Node& node, const std::string& path,
                      std::set<std::string> allowed) {
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      if (!allowed.contains(key))
        return problem_.At(entry.first, path, "unknown key `" + key + "`");
    }
    return Ok{};
  }

  Result<Ok> OptionalText(const YAML::Node& parent, const std::string& path, const std::string& key,
                          const std::string& pattern, std::string& out) {
    const YAML::Node node = parent[key];
    if (!node) return Ok{};
    if (!node.IsScalar()) return problem_.At(node, path + "." + key, "must be a string");
    out = node.as<std::string>();
    if (!pattern.empty() && !Matches(out, pattern)) {
      return problem_.At(node, path + "." + key, "`" + out + "` must match " + pattern);
    }
    return Ok{};
  }

  static bool Matches(const std::string& text, const std::string& pattern) {
    return RE2::FullMatch(text, RE2(pattern, RE2::Quiet));
  }

  Result<Ok> TextList(const YAML::Node& parent, const std::string& path, const std::string& key,
                      std::vector<std::string>& out) {
    const YAML::Node node = parent[key];
    if (!node) return Ok{};
    if (!node.IsSequence()) return problem_.At(node, path + "." + key, "must be a list");
    for (size_t item_idx = 0; item_idx < node.size(); ++item_idx) {
      if (!node[item_idx].IsScalar() || node[item_idx].as<std::string>().empty()) {
        return problem_.At(node[item_idx], path + "." + key + "[" + std::to_string(item_idx) + "]",
                           "must be a service principal such as config.amazonaws.com");
      }
      out.push_back(node[item_idx].as<std::string>());
    }
    return Ok{};
  }

  Result<PlannedAccount> ParseAccount(const YAML::Node& node, const std::string& path) {
    if (!node.IsMap()) return problem_.At(node, path, "must be a mapping with id, name and email");
    if (Result<Ok> keys = OnlyKeys(node, path, {"id", "name", "email"}); !keys.ok())
      return std::move(keys).error();
    PlannedAccount account;
    const YAML::Node id = node["id"];
    if (!id || !id.IsScalar())
      return problem_.At(node, path + ".id", "is required (12 digits, quoted)");
    account.id = id.as<std::string>();
    if (account.id.size() != 12 ||
        account.id.find_first_not_of("0123456789") != std::string::npos) {
      return problem_.At(id, path + ".id",
                         "`" + account.id + "` must be 12 digits (quote it: \"012345678901\")");
    }
    if (!seen_accounts_.insert(account.id).second) {
      return problem_.At(id, path + ".id", "account " + account.id + " appears twice");
    }
    if (Result<Ok> name = OptionalText(node, path, "name", "", account.name); !name.ok())
      return std::move(name).error();
    if (Result<Ok> email = OptionalText(node, path, "email", "", account.email); !email.ok())
      return std::move(email).error();
    if (account.name.empty()) account.name = org::DefaultName(account.id);
    if (account.email.empty()) account.email = org::DefaultEmail(account.id);
    if (account.email.find('@') == std::string::npos || account.email.size() < 6 ||
        account.email.size() > 64) {
      return problem_.At(node["email"], path + ".email",
                         "`" + account.email + "` is not an e-mail address");
    }
    if (account.name.size() > 50)
      return problem_.At(node["name"], path + ".name", "must be at most 50 characters");
    if (!seen_emails_.insert(account.email).second) {
      return problem_.At(node["email"], path + ".email",
                         "e-mail " + account.email + " is used twice");
    }
    return account;
  }

  Result<Ok> ParseAccounts(const YAML::Node& node, const std::string& path,
                           std::vector<PlannedAccount>& out) {
    if (!node) return Ok{};
    if (!node.IsSequence()) return problem_.At(node, path, "must be a list of accounts");
    for (size_t account_idx = 0; account_idx < node.size(); ++account_idx) {
      Result<PlannedAccount> account =
          ParseAccount(node[account_idx], path + "[" + std::to_string(account_idx) + "]");
      if (!account.ok()) return std::move(account).error();
      out.push_back(std::move(account).value());
    }
    return Ok{};
  }

  Result<Ok> ParseUnits(const YAML::Node& node, const std::string& path, size_t depth,
                        std::vector<PlannedUnit>& out) {
    if (!node) return Ok{};
    if (!node.IsSequence())
      return problem_.At(node, path, "must be a list of organizational units");
    if (node.size() > 0 && depth > kMaxOrganizationalUnitDepth) {
      return problem_.At(node, path,
                         "OUs nest at most 5 levels below the root (AWS OU_DEPTH_LIMIT_EXCEEDED)");
    }
    std::set<std::string> names;
    for (size_t unit_idx = 0; unit_idx < node.size(); ++unit_idx) {
      const YAML::Node item = node[unit_idx];
      const std::string item_path = path + "[" + std::to_string(unit_idx) + "]";
      if (!item.IsMap()) return problem_.At(item, item_path, "must be a mapping with a name");
      if (Result<Ok> keys =
              OnlyKeys(item, item_path, {"id", "name", "accounts", "organizational_units"});
          !keys.ok()) {
        return std::move(keys).error();
      }
      PlannedUnit unit;
      if (Result<Ok> name = OptionalText(item, item_path, "name", "", unit.name); !name.ok())
        return std::move(name).error();
      if (unit.name.empty() || unit.name.size() > 128) {
        return problem_.At(item, item_path + ".name", "is required, 1 to 128 characters");
      }
      if (!names.insert(unit.name).second) {
        return problem_.At(item["name"], item_path + ".name",
                           "OU `" + unit.name + "` appears twice under one parent");
      }
      if (Result<Ok> id =
              OptionalText(item, item_path, "id", "^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$", unit.id);
          !id.ok()) {
        return std::move(id).error();
      }
      if (Result<Ok> accounts =
              ParseAccounts(item["accounts"], item_path + ".accounts", unit.accounts);
          !accounts.ok()) {
        return std::move(accounts).error();
      }
      if (Result<Ok> units = ParseUnits(item["organizational_units"],
                                        item_path + ".organizational_units", depth + 1, unit.units);
          !units.ok()) {
        return std::move(units).error();
      }
      out.push_back(std::move(unit));
    }
    return Ok{};
  }

  // managed_nodes: [{account, region, instance_id?, platform_type?, platform_name?,
  // platform_version?, computer_name?, ip_address?, tags?: {key: value}, association_outcome?}]
  // checked with the rules of POST /_cairn/ssm/instances.
  Result<Ok> ParseNodes(const YAML::Node& node, Plan& plan) {
    const std::string path = "managed_nodes";
    if (!node) return Ok{};
    if (!node.IsSequence()) return problem_.At(node, path, "must be a list of managed nodes");
    static const std::pair<const char*, const char*> kFields[] = {
        {"account", "AccountId"},
        {"region", "Region"},
        {"instance_id", "InstanceId"},
        {"platform_type", "PlatformType"},
        {"platform_name", "PlatformName"},
        {"platform_version", "PlatformVersion"},
        {"computer_name", "ComputerName"},
        {"ip_address", "IPAddress"},
        {"association_outcome", "AssociationOutcome"}};
    for (size_t node_idx = 0; node_idx < node.size(); ++node_idx) {
      const YAML::Node item = node[node_idx];
      const std::string item_path = path + "[" + std::to_string(node_idx) + "]";
      if (!item.IsMap())
        return problem_.At(item, item_path, "must be a mapping with account and region");
      std::set<std::string> allowed{"tags"};
      for (const auto& [yaml_key, body_key] : kFields) allowed.insert(yaml_key);
      if (Result<Ok> keys = OnlyKeys(item, item_path, allowed); !keys.ok())
        return std::move(keys).error();
      boost::json::object body;
      for (const auto& [yaml_key, body_key] : kFields) {
        std::string value;
        if (Result<Ok> text = OptionalText(item, item_path, yaml_key, "", value); !text.ok()) {
          return std::move(text).error();
        }
        if (!value.empty()) body[body_key] = value;
      }
      auto refuse = [&](const char* key, const std::string& what) {
        return problem_.At(item[key] ? item[key] : item, item_path + "." + key, what);
      };
      const auto text = [&body](const char* key) {
        const boost::json::value* value = body.if_contains(key);
        return value ? std::string(value->as_string()) : std::string();
      };
      if (!Matches(text("AccountId"), "^[0-9]{12}$"))
        return refuse("account", "is required: 12 digits, quoted");
      if (text("Region").empty()) return refuse("region", "is required, e.g. us-east-1");
      if (body.contains("InstanceId") &&
          !Matches(text("InstanceId"), "^(i-(\\w{8}|\\w{17})|mi-\\w{17})$")) {
        return refuse("instance_id",
                      "must be i- followed by 8 or 17 characters, or mi- followed by 17");
      }
      if (body.contains("PlatformType") &&
          !Matches(text("PlatformType"), "^(Linux|Windows|MacOS)$")) {
        return refuse("platform_type", "must be Linux, Windows or MacOS");
      }
      if (body.contains("AssociationOutcome") &&
          !Matches(text("AssociationOutcome"), "^(Success|Failed)$")) {
        return refuse("association_outcome", "must be Success or Failed");
      }
      if (const YAML::Node tags = item["tags"]) {
        if (!tags.IsMap()) return refuse("tags", "must be a mapping of tag keys to values");
        boost::json::array tag_list;
        for (const auto& tag : tags) {
          if (!tag.second.IsScalar()) return refuse("tags", "tag values must be strings");
          tag_list.push_back(
              {{"Key", tag.first.as<std::string>()}, {"Value", tag.second.as<std::string>()}});
        }
        body["Tags"] = std::move(tag_list);
      }
      plan.nodes.push_back(std::move(body));
    }
    return Ok{};
  }

  Result<Ok> ParseDelegations(const YAML::Node& node, Plan& plan) {
    const std::string path = "organization.delegated_administrators";
    if (!node) return Ok{};
    if (!node.IsSequence()) return problem_.At(node, path, "must be a list");
    std::set<std::string> trusted(plan.trusted_access.begin(), plan.trusted_access.end());
    for (size_t delegation_idx = 0; delegation_idx < node.size(); ++delegation_idx) {
      const YAML::Node item = node[delegation_idx];
      const std::string item_path = path + "[" + std::to_string(delegation_idx) + "]";
      if (!item.IsMap())
        return problem_.At(item, item_path, "must be a mapping with account and service_principal");
      if (Result<Ok> keys = OnlyKeys(item, item_path, {"account", "service_principal"});
          !keys.ok()) {
        return std::move(keys).error();
      }
      PlannedDelegation delegation;
      if (Result<Ok> account = OptionalText(item, item_path, "account", "", delegation.account_id);
          !account.ok()) {
        return std::move(account).error();
      }
      if (Result<Ok> principal =
              OptionalText(item, item_path, "service_principal", "", delegation.principal);
          !principal.ok()) {
        return std::move(principal).error();
      }
      if (!seen_accounts_.contains(delegation.account_id)) {
        return problem_.At(
            item, item_path + ".account",
            "`" + delegation.account_id + "` is not an account of this organization");
      }
      if (delegation.account_id == plan.management.id) {
        return problem_.At(item, item_path + ".account",
                           "the management account cannot be a delegated administrator (AWS "
                           "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR)");
      }
      if (!trusted.contains(delegation.principal)) {
        return problem_.At(
            item, item_path + ".service_principal",
            "`" + delegation.principal +
                "` needs trusted access first: add it to organization.trusted_access");
      }
      plan.delegations.push_back(std::move(delegation));
    }
    return Ok{};
  }

  const Problem& problem_;
  std::set<std::string> seen_accounts_;
  std::set<std::string> seen_emails_;
};

// Applies a checked plan in one transaction. Fails only if the plan conflicts with state that
// already exists (an account of the file is in another organization).
class Applier {
 public:
  Applier(org::Directory::WriteContext& write, double now) : write_(write), now_(now) {}

  Result<Ok> Apply(const Plan& plan) {
    const org::Organization* existing = write_.state.OrganizationOf(plan.management.id);
    if (existing && existing->management_account_id != plan.management.id) {
      return AwsError::Make("InvalidWorldFile", "account " + plan.management.id +
                                                    " is a member of organization " + existing->id +
                                                    ", not its management account");
    }
    if (existing) {
      organization_ = *existing;
    } else {
      organization_.id =
          plan.organization_id.empty() ? org::NewOrganizationId() : plan.organization_id;
      if (write_.state.organizations.Find(organization_.id)) {
        return AwsError::Make("InvalidWorldFile",
                              "organization id " + organization_.id + " is already in use");
      }
      organization_.arn = org::OrganizationArn(plan.management.id, organization_.id);
      organization_.feature_set = plan.feature_set;
      organization_.management_account_id = plan.management.id;
      organization_.management_account_email = plan.management.email;
      organization_.root_id = plan.root_id.empty() ? org::NewRootId() : plan.root_id;
      organization_.created = now_;
      write_.state.organizations.Put(write_.txn, organization_.id, organization_);
    }
    if (Result<Ok> management = PlaceAccount(plan.management, organization_.root_id, "INVITED");
        !management.ok()) {
      return management;
    }
    for (const PlannedAccount& account : plan.root_accounts) {
      if (Result<Ok> placed = PlaceAccount(account, organization_.root_id, "CREATED"); !placed.ok())
        return placed;
    }
    for (const PlannedUnit& unit : plan.units) {
      if (Result<Ok> placed = PlaceUnit(unit, organization_.root_id); !placed.ok()) return placed;
    }
    for (const std::string& principal : plan.trusted_access) {
      const std::string key = org::ServiceAccessKey(organization_.id, principal);
      if (!write_.state.service_access.Find(key)) {
        write_.state.service_access.Put(write_.txn, key,
                                        org::ServiceAccess{organization_.id, principal, now_});
      }
    }
    for (const PlannedDelegation& delegation : plan.delegations) {
      const std::string key =
          org::DelegationKey(organization_.id, delegation.account_id, delegation.principal);
      if (!write_.state.delegations.Find(key)) {
        write_.state.delegations.Put(
            write_.txn, key,
            org::Delegation{organization_.id, delegation.account_id, delegation.principal, now_});
      }
    }
    return Ok{};
  }

 private:
  Result<Ok> PlaceAccount(const PlannedAccount& planned, const std::string& parent_id,
                          const char* joined_method) {
    const org::Account* existing = write_.state.accounts.Find(planned.id);
    if (existing && existing->organization_id == organization_.id) return Ok{};  // already placed
    if (existing && !existing->organization_id.empty()) {
      return AwsError::Make("InvalidWorldFile", "account " + planned.id +
                                                    " already belongs to organization " +
                                                    existing->organization_id);
    }
    org::Account account;
    account.id = planned.id;
    account.arn =
        org::AccountArn(organization_.management_account_id, organization_.id, planned.id);
    account.email = planned.email;
    account.name = planned.name;
    account.joined_method = joined_method;
    account.joined = now_;
    account.parent_id = parent_id;
    account.organization_id = organization_.id;
    write_.state.accounts.Put(write_.txn, planned.id, std::move(account));
    write_.events.push_back({org::Event::Kind::kAccountJoined, organization_.id, planned.id});
    return Ok{};
  }

  Result<Ok> PlaceUnit(const PlannedUnit& planned, const std::string& parent_id) {
    std::string unit_id;
    for (const org::OrganizationalUnit* unit : write_.state.UnitsOf(organization_.id)) {
      if (unit->parent_id == parent_id && unit->name == planned.name) unit_id = unit->id;
    }
    if (unit_id.empty()) {
      unit_id = planned.id;
      if (unit_id.empty()) {
        do {
          unit_id = org::NewOrganizationalUnitId(organization_.root_id);
        } while (write_.state.units.Find(unit_id));
      } else if (write_.state.units.Find(unit_id)) {
        return AwsError::Make("InvalidWorldFile", "OU id " + unit_id + " is already in use");
      }
      write_.state.units.Put(
          write_.txn, unit_id,
          org::OrganizationalUnit{unit_id,
                                  org::OrganizationalUnitArn(organization_.management_account_id,
                                                             organization_.id, unit_id),
                                  planned.name, parent_id, organization_.id});
    }
    for (const PlannedAccount& account : planned.accounts) {
      if (Result<Ok> placed = PlaceAccount(account, unit_id, "CREATED"); !placed.ok())
        return placed;
    }
    for (const PlannedUnit& child : planned.units) {
      if (Result<Ok> placed = PlaceUnit(child, unit_id); !placed.ok()) return placed;
    }
    return Ok{};
  }

  org::Directory::WriteContext& write_;
  double now_;
  org::Organization organization_;
};

}  // namespace

Result<Ok> LoadText(const std::string& text, const std::string& source_name,
                    org::Directory& directory, double now, const NodeRegistrar& nodes) {
  YAML::Node document;
  try {
    document = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    return AwsError::Make(
        "InvalidWorldFile",
        source_name + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
  const Problem problem(source_name);
  Planner planner(problem);
  Result<Plan> plan = [&]() -> Result<Plan> {
    try {
      return planner.Build(document);
    } catch (const YAML::Exception& error) {
      return AwsError::Make(
          "InvalidWorldFile",
          source_name + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
    }
  }();
  if (!plan.ok()) return std::move(plan).error();
  if (!plan->nodes.empty() && !nodes) {
    return AwsError::Make("InvalidWorldFile", source_name + ": managed_nodes need the SSM service");
  }
  if (plan->has_organization) {
    Result<Ok> applied = directory.Write(
        [&](org::Directory::WriteContext& write) { return Applier(write, now).Apply(*plan); });
    if (!applied.ok()) return applied;
  }
  for (const boost::json::object& body : plan->nodes) {
    Result<boost::json::object> registered = nodes(body, now);
    if (!registered.ok()) {
      return AwsError::Make("InvalidWorldFile",
                            source_name + ": managed node: " + registered.error().message);
    }
  }
  return Ok{};
}

Result<Ok> Load(const std::string& path, org::Directory& directory, double now,
                const NodeRegistrar& nodes) {
  std::ifstream file(path);
  if (!file) return AwsError::Make("InvalidWorldFile", path + ": cannot be read");
  std::stringstream text;
  text << file.rdbuf();
  return LoadText(text.str(), path, directory, now, nodes);
}

}  // namespace cairn::world
