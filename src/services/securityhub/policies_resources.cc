#include "services/securityhub/policies_resources.h"

#include <re2/re2.h>

#include <boost/json.hpp>
#include <cstdio>
#include <queue>
#include <unordered_map>

#include "base/json_fields.h"
#include "services/securityhub/errors.h"

namespace cairn::securityhub {
namespace json = boost::json;
namespace {

using json_fields::Number;
using json_fields::Text;

AwsError Semantics(std::string_view what) {
  return errors::InvalidInputException("Invalid semantics: " + std::string(what));
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string FormatNumber(double number) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.15g", number);
  return text;
}

const json::object* ObjectAt(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_object() ? &value->get_object() : nullptr;
}

const json::array* ArrayAt(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_array() ? &value->get_array() : nullptr;
}

// One custom parameter value against its definition's ConfigurationOptions (the catalog's
// ParameterDefinition shape: exactly one member, naming the value type).
Result<Ok> CheckParameterValue(std::string_view control_id, std::string_view name,
                               const json::object& value, const json::object& options) {
  if (options.empty()) return Ok{};
  const std::string_view type = options.begin()->key();
  const json::object* limits =
      options.begin()->value().is_object() ? &options.begin()->value().get_object() : nullptr;
  const std::string where =
      "parameter " + std::string(name) + " of security control " + std::string(control_id);
  if (!value.contains(type)) {
    return Semantics("The value of " + where + " must be of type " + std::string(type));
  }
  const json::value& given = value.at(type);
  auto check_range = [&](double number) -> Result<Ok> {
    if (!limits) return Ok{};
    const json::value* min = limits->if_contains("Min");
    const json::value* max = limits->if_contains("Max");
    if ((min && min->is_number() && number < min->to_number<double>()) ||
        (max && max->is_number() && number > max->to_number<double>())) {
      std::string range =
          "[" + (min && min->is_number() ? FormatNumber(min->to_number<double>()) : std::string()) +
          ", " +
          (max && max->is_number() ? FormatNumber(max->to_number<double>()) : std::string()) + "]";
      return Semantics("Value " + FormatNumber(number) + " of " + where + " is out of range " +
                       range);
    }
    return Ok{};
  };
  auto check_items = [&](const json::array& items) -> Result<Ok> {
    const json::value* max_items = limits ? limits->if_contains("MaxItems") : nullptr;
    if (max_items && max_items->is_number() &&
        static_cast<double>(items.size()) > max_items->to_number<double>()) {
      return Semantics("The value of " + where + " has more than " +
                       FormatNumber(max_items->to_number<double>()) + " items");
    }
    return Ok{};
  };
  auto check_allowed = [&](std::string_view text) -> Result<Ok> {
    const json::array* allowed = limits ? ArrayAt(*limits, "AllowedValues") : nullptr;
    if (!allowed) return Ok{};
    for (const json::value& candidate : *allowed) {
      if (candidate.is_string() && candidate.get_string() == text) return Ok{};
    }
    return Semantics("Value " + std::string(text) + " of " + where +
                     " is not one of its allowed values");
  };
  auto check_expression = [&](std::string_view text) -> Result<Ok> {
    const std::string expression = limits ? Text(*limits, "Re2Expression") : std::string();
    if (expression.empty()) return Ok{};
    const RE2 pattern(expression, RE2::Quiet);
    if (pattern.ok() && !RE2::PartialMatch(text, pattern)) {
      return Semantics("Value " + std::string(text) + " of " + where + " does not match " +
                       expression);
    }
    return Ok{};
  };
  if (type == "Integer" || type == "Double") return check_range(given.to_number<double>());
  if (type == "Enum") return check_allowed(given.get_string());
  if (type == "String") return check_expression(given.get_string());
  if (type == "IntegerList" || type == "StringList" || type == "EnumList") {
    const json::array& items = given.get_array();
    if (Result<Ok> size = check_items(items); !size.ok()) return size;
    for (const json::value& item : items) {
      Result<Ok> checked = type == "IntegerList" ? check_range(item.to_number<double>())
                           : type == "EnumList"  ? check_allowed(item.get_string())
                                                 : check_expression(item.get_string());
      if (!checked.ok()) return checked;
    }
  }
  return Ok{};
}

Result<json::array> CheckCustomParameters(const json::array& list, const ControlCatalog& catalog) {
  json::array out;
  for (const json::value& entry_value : list) {
    const json::object& entry = entry_value.get_object();
    const std::string control_id = Text(entry, "SecurityControlId");
    if (control_id.empty())
      return Semantics("SecurityControlId must be specified for custom parameters");
    if (!catalog.is_control(control_id))
      return Semantics("Invalid security control identifier: " + control_id);
    const json::object* definitions = catalog.parameters(control_id);
    json::object parameters;
    if (const json::object* given = ObjectAt(entry, "Parameters")) {
      for (const auto& parameter : *given) {
        const std::string name(parameter.key());
        const json::object* definition = definitions ? ObjectAt(*definitions, name) : nullptr;
        if (!definition) {
          return Semantics("Parameter " + name + " is not a parameter of security control " +
                           control_id);
        }
        const json::object& configuration = parameter.value().get_object();
        const std::string value_type = Text(configuration, "ValueType");
        json::object stored{{"ValueType", value_type}};
        if (value_type == "CUSTOM") {
          const json::object* value = ObjectAt(configuration, "Value");
          if (!value) {
            return Semantics("A value must be provided for parameter " + name +
                             " of security control " + control_id +
                             " when its ValueType is CUSTOM");
          }
          const json::object* options = ObjectAt(*definition, "ConfigurationOptions");
          if (options) {
            if (Result<Ok> checked = CheckParameterValue(control_id, name, *value, *options);
                !checked.ok()) {
              return std::move(checked).error();
            }
          }
          stored["Value"] = *value;
        }
        parameters[name] = std::move(stored);
      }
    }
    out.push_back(
        json::object{{"SecurityControlId", control_id}, {"Parameters", std::move(parameters)}});
  }
  return out;
}

}  // namespace

// --- Stored forms

json::value ConfigurationPolicy::ToJson() const {
  return {{"Id", id},
          {"Arn", arn},
          {"Name", name},
          {"Description", description},
          {"UpdatedReason", updated_reason},
          {"CreatedAt", created},
          {"UpdatedAt", updated},
          {"ConfigurationPolicy", policy}};
}

ConfigurationPolicy ConfigurationPolicy::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  ConfigurationPolicy policy;
  policy.id = Text(object, "Id");
  policy.arn = Text(object, "Arn");
  policy.name = Text(object, "Name");
  policy.description = Text(object, "Description");
  policy.updated_reason = Text(object, "UpdatedReason");
  policy.created = Number(object, "CreatedAt");
  policy.updated = Number(object, "UpdatedAt");
  if (const json::object* document = ObjectAt(object, "ConfigurationPolicy"))
    policy.policy = *document;
  return policy;
}

json::value PolicyAssociation::ToJson() const {
  return {{"TargetId", target_id},
          {"TargetType", target_type},
          {"ConfigurationPolicyId", policy_id},
          {"AssociationType", association_type},
          {"AssociationStatus", status},
          {"AssociationStatusMessage", message},
          {"UpdatedAt", updated},
          {"Due", due}};
}

PolicyAssociation PolicyAssociation::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  PolicyAssociation association;
  association.target_id = Text(object, "TargetId");
  association.target_type = Text(object, "TargetType");
  association.policy_id = Text(object, "ConfigurationPolicyId");
  association.association_type = Text(object, "AssociationType");
  association.status = Text(object, "AssociationStatus");
  association.message = Text(object, "AssociationStatusMessage");
  association.updated = Number(object, "UpdatedAt");
  association.due = Number(object, "Due");
  return association;
}

// --- The filter index

bool AssociationFilter::Matches(const PolicyAssociation& association) const {
  return (policy_id.empty() || association.policy_id == policy_id) &&
         (association_type.empty() || association.association_type == association_type) &&
         (status.empty() || association.status == status);
}

std::string AssociationIndex::GroupKey(std::string_view prefix,
                                       const PolicyAssociation& association) {
  std::string key;
  key.reserve(prefix.size() + association.policy_id.size() + association.association_type.size() +
              association.status.size() + 2);
  key.append(prefix).append(association.policy_id).push_back('\n');
  key.append(association.association_type).push_back('\n');
  key.append(association.status);
  return key;
}

void AssociationIndex::Insert(std::string_view prefix, const PolicyAssociation& association) {
  auto [group, inserted] = groups_.try_emplace(GroupKey(prefix, association));
  if (inserted) {
    group->second.association_type = association.association_type;
    group->second.status = association.status;
  }
  group->second.target_ids.insert(association.target_id);
}

void AssociationIndex::Erase(std::string_view prefix, const PolicyAssociation& association) {
  auto group = groups_.find(GroupKey(prefix, association));
  if (group == groups_.end()) return;
  group->second.target_ids.erase(association.target_id);
  if (group->second.target_ids.empty()) groups_.erase(group);
}

void AssociationIndex::ClearScope(std::string_view prefix) {
  auto group = groups_.lower_bound(prefix);
  while (group != groups_.end() && group->first.starts_with(prefix)) group = groups_.erase(group);
}

size_t AssociationIndex::size() const {
  size_t total = 0;
  for (const auto& [key, group] : groups_) total += group.target_ids.size();
  return total;
}

AssociationIndex::Page AssociationIndex::Collect(std::string_view prefix,
                                                 const AssociationFilter& filter,
                                                 std::string_view start_after, size_t limit) const {
  using Cursor = std::pair<std::set<std::string, std::less<>>::const_iterator,
                           std::set<std::string, std::less<>>::const_iterator>;
  // The groups of the scope, narrowed to one policy's when the filter names one.
  std::string first(prefix);
  if (!filter.policy_id.empty()) first.append(filter.policy_id).push_back('\n');
  std::vector<Cursor> cursors;
  for (auto group = groups_.lower_bound(first);
       group != groups_.end() && group->first.starts_with(first); ++group) {
    ++visited_;
    const Group& members = group->second;
    // A policy id never holds '\n': without a policy filter, `first` is the bare prefix and
    // every group of the scope follows it; with one, exactly that policy's groups do.
    if ((!filter.association_type.empty() && members.association_type != filter.association_type) ||
        (!filter.status.empty() && members.status != filter.status)) {
      continue;
    }
    auto from = start_after.empty() ? members.target_ids.begin()
                                    : members.target_ids.upper_bound(start_after);
    if (from != members.target_ids.end()) cursors.emplace_back(from, members.target_ids.end());
  }
  // A k-way merge of the groups' ordered ids, smallest first.
  const auto later = [](const Cursor& left, const Cursor& right) {
    return *left.first > *right.first;
  };
  std::priority_queue<Cursor, std::vector<Cursor>, decltype(later)> heap(later, std::move(cursors));
  Page page;
  while (!heap.empty()) {
    if (page.target_ids.size() == limit) {
      page.more = true;
      break;
    }
    Cursor cursor = heap.top();
    heap.pop();
    ++visited_;
    page.target_ids.push_back(*cursor.first);
    if (++cursor.first != cursor.second) heap.push(cursor);
  }
  return page;
}

// --- Inheritance

std::vector<EffectiveTarget> ComputeInheritance(
    const OrgTree& tree,
    const std::function<const std::string*(std::string_view target_id)>& applied) {
  // Children lists, built once: parent id -> (is_unit, index) of each child.
  std::unordered_map<std::string_view, std::vector<std::pair<bool, size_t>>> children;
  children.reserve(tree.units.size() + 1);
  for (size_t unit_idx = 0; unit_idx < tree.units.size(); ++unit_idx) {
    children[tree.units[unit_idx].parent_id].emplace_back(true, unit_idx);
  }
  for (size_t account_idx = 0; account_idx < tree.accounts.size(); ++account_idx) {
    children[tree.accounts[account_idx].parent_id].emplace_back(false, account_idx);
  }

  std::vector<EffectiveTarget> result;
  result.reserve(tree.size());
  EffectiveTarget root;
  root.id = tree.root_id;
  root.type = kTargetRoot;
  if (const std::string* policy = applied(tree.root_id)) {
    root.policy_id = *policy;
    root.applied = root.covered = true;
  } else {
    root.policy_id = std::string(kSelfManaged);
  }
  result.push_back(std::move(root));

  // Depth first from the root; each entry's configuration comes from its parent's entry.
  std::vector<size_t> stack{0};
  while (!stack.empty()) {
    const size_t parent_idx = stack.back();
    stack.pop_back();
    auto found = children.find(result[parent_idx].id);
    if (found == children.end()) continue;
    // Walked in reverse so that the stack visits children in their listed order.
    for (auto child = found->second.rbegin(); child != found->second.rend(); ++child) {
      const auto [is_unit, node_idx] = *child;
      const OrgNode& node = is_unit ? tree.units[node_idx] : tree.accounts[node_idx];
      EffectiveTarget target;
      target.node = &node;
      target.id = node.id;
      target.type = is_unit ? kTargetUnit : kTargetAccount;
      target.parent = static_cast<int>(parent_idx);
      if (const std::string* policy = applied(node.id)) {
        target.policy_id = *policy;
        target.applied = target.covered = true;
      } else {
        target.policy_id = result[parent_idx].policy_id;
        target.covered = result[parent_idx].covered;
      }
      result.push_back(std::move(target));
      if (is_unit) stack.push_back(result.size() - 1);
    }
  }
  return result;
}

StatusAndMessage AggregateStatus(std::string_view target_type, std::string_view policy_id,
                                 bool own_pending,
                                 std::span<const std::string_view> child_statuses) {
  size_t failed = 0;
  size_t pending = 0;
  for (std::string_view status : child_statuses) {
    if (status == kFailed) ++failed;
    if (status == kPending) ++pending;
  }
  return AggregateStatus(target_type, policy_id, own_pending, pending, failed);
}

StatusAndMessage AggregateStatus(std::string_view target_type, std::string_view policy_id,
                                 bool own_pending, size_t pending_children,
                                 size_t failed_children) {
  const size_t failed = failed_children;
  if (own_pending || pending_children > 0) return {std::string(kPending), ""};
  if (failed > 0) {
    // The two messages of the AWS CLI reference's list-configuration-policy-associations example.
    if (target_type == kTargetRoot) {
      return {std::string(kFailed),
              "Policy association failed because " + std::to_string(failed) +
                  " organizational units or accounts under this root failed."};
    }
    return {std::string(kFailed), "One or more children under this target failed association."};
  }
  return AccountOutcome(policy_id, true);
}

StatusAndMessage AccountOutcome(std::string_view policy_id, bool account_active) {
  if (!account_active) {
    return {std::string(kFailed),
            "Policy association failed because the account is not active in the organization."};
  }
  // A self-managed association succeeds without a message (AWS CLI reference example).
  if (policy_id == kSelfManaged) return {std::string(kSuccess), ""};
  return {std::string(kSuccess), "Association applied successfully on this target."};
}

// --- Policy documents

Result<json::object> CheckPolicy(const json::object& policy, const ControlCatalog& catalog) {
  const json::object* hub = ObjectAt(policy, "SecurityHub");
  if (!hub) return Semantics("A SecurityHub policy must be specified");
  const json::value* enabled = hub->if_contains("ServiceEnabled");
  if (!enabled || !enabled->is_bool()) return Semantics("ServiceEnabled must be specified");
  // A policy that disables Security Hub configures nothing else; AWS accepts standards and
  // controls with it but does not keep them (terraform-provider-aws configuration_policy.go).
  if (!enabled->get_bool())
    return json::object{{"SecurityHub", json::object{{"ServiceEnabled", false}}}};

  const json::array* standards = ArrayAt(*hub, "EnabledStandardIdentifiers");
  const json::object* controls = ObjectAt(*hub, "SecurityControlsConfiguration");
  if (!standards || !controls) {
    // Observed answer (hashicorp/terraform-provider-aws#36739).
    return Semantics(
        "Enabled standards and security control configurations must be configured when Security "
        "Hub is "
        "enabled");
  }
  std::vector<std::string> unknown;
  for (const json::value& arn : *standards) {
    if (!catalog.is_standard(arn.get_string())) unknown.emplace_back(arn.get_string());
  }
  if (!unknown.empty()) return Semantics("Invalid standard identifiers: " + Join(unknown));

  const json::array* enabled_controls = ArrayAt(*controls, "EnabledSecurityControlIdentifiers");
  const json::array* disabled_controls = ArrayAt(*controls, "DisabledSecurityControlIdentifiers");
  if ((enabled_controls != nullptr) == (disabled_controls != nullptr)) {
    return Semantics(
        "Exactly one of EnabledSecurityControlIdentifiers and DisabledSecurityControlIdentifiers "
        "must be "
        "configured");
  }
  for (const json::array* list : {enabled_controls, disabled_controls}) {
    if (!list) continue;
    for (const json::value& control : *list) {
      if (!catalog.is_control(control.get_string())) unknown.emplace_back(control.get_string());
    }
  }
  if (!unknown.empty()) return Semantics("Invalid security control identifiers: " + Join(unknown));

  json::object stored_controls;
  if (enabled_controls) stored_controls["EnabledSecurityControlIdentifiers"] = *enabled_controls;
  if (disabled_controls) stored_controls["DisabledSecurityControlIdentifiers"] = *disabled_controls;
  if (const json::array* custom = ArrayAt(*controls, "SecurityControlCustomParameters")) {
    Result<json::array> parameters = CheckCustomParameters(*custom, catalog);
    if (!parameters.ok()) return std::move(parameters).error();
    stored_controls["SecurityControlCustomParameters"] = std::move(*parameters);
  }
  return json::object{
      {"SecurityHub", json::object{{"ServiceEnabled", true},
                                   {"EnabledStandardIdentifiers", *standards},
                                   {"SecurityControlsConfiguration", std::move(stored_controls)}}}};
}

}  // namespace cairn::securityhub
