// The standards family of Security Hub: the catalog of standards and security controls
// (standards_catalog.h) and each account's subscriptions to standards in each Region (see
// provider.h; state in standards_state.h).
//
// As AWS documents it:
//   - Every operation needs Security Hub enabled in the caller's account and Region
//     (InvalidAccessException "Account <id> is not subscribed to AWS Security Hub").
//   - BatchEnableStandards subscribes: PENDING, then READY (lifecycle step below); a standard
//     already subscribed is returned as it is. BatchDisableStandards unsubscribes: DELETING,
//     then the subscription is gone. A PENDING subscription can't be disabled yet
//     (InvalidInputException "StandardsSubscription(s) in state PENDING, please try later").
//   - EnableSecurityHub with EnableDefaultStandards (the default) subscribes the account to the
//     standards the catalog marks EnabledByDefault: AWS Foundational Security Best Practices
//     v1.0.0 and CIS AWS Foundations Benchmark v1.2.0.
#include <algorithm>
#include <boost/json.hpp>
#include <mutex>
#include <optional>

#include "base/json_fields.h"
#include "services/common/paging.h"
#include "services/securityhub/errors.h"
#include "services/securityhub/provider.h"
#include "services/securityhub/standards_catalog.h"

namespace cairn::securityhub {
namespace json = boost::json;

namespace {

using json_fields::Text;

// How long AWS's asynchronous steps take in cairn (seconds of clock time).
constexpr double kEnableSeconds = 1.0;   // PENDING -> READY
constexpr double kDisableSeconds = 1.0;  // DELETING -> gone

// Page sizes: the model's maximum (MaxResults 1..100) where MaxResults is not given, as the
// hub family does.
AwsError InvalidNextToken() {
  return errors::InvalidInputException("The NextToken value is not valid.");
}
const services::PagingRules kPaging{"securityhub", "MaxResults", 100, false, InvalidNextToken};

// --- Input.

std::vector<std::string> Strings(const json::object& input, std::string_view member) {
  std::vector<std::string> out;
  if (const json::value* value = input.if_contains(member); value && value->is_array()) {
    for (const json::value& item : value->get_array()) out.emplace_back(item.as_string());
  }
  return out;
}

std::map<std::string, std::string> StringMap(const json::object& input, std::string_view member) {
  std::map<std::string, std::string> out;
  if (const json::value* value = input.if_contains(member); value && value->is_object()) {
    for (const auto& entry : value->get_object())
      out[entry.key()] = std::string(entry.value().as_string());
  }
  return out;
}

// --- AWS's answers.

AwsError NotSubscribed(std::string_view account_id) {
  return errors::InvalidAccessException("Account " + std::string(account_id) +
                                        " is not subscribed to AWS Security Hub");
}

// "Invalid StandardsSubscriptionRequest(s): [{"StandardsArn":"..."}]": the requests AWS
// refused, as compact JSON (awslabs/aws-securityhub-multiaccount-scripts issues 26, 34).
AwsError InvalidRequests(const json::array& requests) {
  return errors::InvalidInputException("Invalid StandardsSubscriptionRequest(s): " +
                                       json::serialize(requests));
}

// BatchDisableStandards of a subscription the caller doesn't have. cairn words it like the
// request error above; AWS's text for this case was not found.
AwsError InvalidSubscriptionArns(const json::array& arns) {
  return errors::InvalidInputException("Invalid StandardsSubscriptionArn(s): " +
                                       json::serialize(arns));
}

// "StandardsSubscription(s) in state PENDING, please try later: ["arn:..."]"
// (aws-samples/aws-control-tower-securityhub-enabler issue 18, BatchDisableStandards).
AwsError TryLater(std::string_view status, const json::array& arns) {
  return errors::InvalidInputException("StandardsSubscription(s) in state " + std::string(status) +
                                       ", please try later: " + json::serialize(arns));
}

// --- Subscriptions.

std::string SubscriptionKey(std::string_view account_id, std::string_view region,
                            const Standard& standard) {
  return ScopePrefix(account_id, region) + standard.path;
}

std::string SubscriptionArn(std::string_view account_id, std::string_view region,
                            const Standard& standard) {
  return "arn:aws:securityhub:" + std::string(region) + ":" + std::string(account_id) +
         ":subscription/" + standard.path;
}

// The standard of a subscription ARN of the caller's account and Region, or null.
const Standard* StandardOfSubscription(std::string_view arn, std::string_view account_id,
                                       std::string_view region) {
  const std::string prefix = "arn:aws:securityhub:" + std::string(region) + ":" +
                             std::string(account_id) + ":subscription/";
  if (!arn.starts_with(prefix)) return nullptr;
  return SecurityHubCatalog().FindStandardByPath(arn.substr(prefix.size()));
}

// One subscription as the account sees it.
struct Subscription {
  const Standard* standard = nullptr;
  std::string status;  // PENDING | READY | DELETING
  double created_at = 0;
  std::map<std::string, std::string> input;
};

// The hub of a scope, keyed `<scope>hub` (hub_state.h).
const Hub* HubOf(const HubState& hub, std::string_view account_id, std::string_view region) {
  return hub.hubs.Find(ScopePrefix(account_id, region) + "hub");
}

// The record of `standard` that belongs to `hub` (null when there is none, or it is an
// earlier hub's).
const StandardsSubscription* RecordOf(const StandardsState& state, const Hub& hub,
                                      const Standard& standard) {
  const StandardsSubscription* record =
      state.subscriptions.Find(SubscriptionKey(hub.account_id, hub.region, standard));
  return record && record->hub_subscribed_at == hub.subscribed_at ? record : nullptr;
}

// The account's subscription to `standard`, if it has one (REMOVED ones it no longer has).
// A default standard nothing has changed since the hub enabled it has no record: it moves
// from PENDING to READY with the clock, kEnableSeconds after the hub's SubscribedAt, as a
// subscription of BatchEnableStandards does through the lifecycle step. A record whose step
// fell due but has not run yet (a restore before ResumeStandards) reads as the step leaves it.
std::optional<Subscription> SubscriptionTo(const StandardsState& state, const Hub& hub,
                                           const Standard& standard, double now) {
  if (const StandardsSubscription* record = RecordOf(state, hub, standard)) {
    const bool due = record->status_due != 0 && now >= record->status_due;
    if (record->status == "REMOVED" || (record->status == "DELETING" && due)) return std::nullopt;
    const std::string status = record->status == "PENDING" && due ? "READY" : record->status;
    return Subscription{&standard, status, record->created_at, record->input};
  }
  if (!hub.enable_default_standards || !standard.enabled_by_default) return std::nullopt;
  const std::string status = now < hub.subscribed_at + kEnableSeconds ? "PENDING" : "READY";
  return Subscription{&standard, status, hub.subscribed_at, {}};
}

// The account's subscriptions, in catalog order.
std::vector<Subscription> SubscriptionsOf(const StandardsState& state, const Hub& hub, double now) {
  std::vector<Subscription> out;
  for (const Standard& standard : SecurityHubCatalog().standards()) {
    if (std::optional<Subscription> subscription = SubscriptionTo(state, hub, standard, now)) {
      out.push_back(std::move(*subscription));
    }
  }
  return out;
}

json::object SubscriptionJson(const Subscription& subscription, std::string_view account_id,
                              std::string_view region) {
  json::object input;
  for (const auto& [name, value] : subscription.input) input[name] = value;
  return {{"StandardsSubscriptionArn", SubscriptionArn(account_id, region, *subscription.standard)},
          {"StandardsArn", subscription.standard->Arn(region)},
          {"StandardsInput", std::move(input)},
          {"StandardsStatus", subscription.status},
          {"StandardsControlsUpdatable",
           subscription.status == "READY" ? "READY_FOR_UPDATES" : "NOT_READY_FOR_UPDATES"}};
}

// --- Pages of the catalog's fixed lists.

// A paging key that sorts like the position it encodes.
std::string PositionKey(size_t position) {
  std::string digits = std::to_string(position);
  return std::string(6 - std::min<size_t>(digits.size(), 6), '0') + digits;
}

// One page of `count` items in a fixed order: `key_of(i)` is item i's PositionKey and
// `to_json(i)` its output.
template <typename KeyOf, typename ToJson>
Provider::Output PageOf(const services::Paging& paging, size_t count, std::string_view list_member,
                        KeyOf&& key_of, ToJson&& to_json) {
  Result<std::string> start = paging.Start();
  if (!start.ok()) return std::move(start).error();
  json::array items;
  std::string last_key;
  json::object out;
  for (size_t index = 0; index < count; ++index) {
    std::string key = key_of(index);
    if (!start->empty() && key <= *start) continue;
    if (items.size() == paging.limit()) {
      out["NextToken"] = paging.NextToken(last_key);
      break;
    }
    items.push_back(to_json(index));
    last_key = std::move(key);
  }
  out[list_member] = std::move(items);
  return out;
}

}  // namespace

// --- StandardsSubscription's stored form.

json::value StandardsSubscription::ToJson() const {
  json::object stored_input;
  for (const auto& [name, value] : input) stored_input[name] = value;
  return {{"AccountId", account_id},
          {"Region", region},
          {"StandardsPath", standards_path},
          {"Status", status},
          {"StatusDue", status_due},
          {"CreatedAt", created_at},
          {"HubSubscribedAt", hub_subscribed_at},
          {"StandardsInput", std::move(stored_input)}};
}

StandardsSubscription StandardsSubscription::FromJson(const json::value& value) {
  const json::object& object = value.as_object();
  const auto number = [&](std::string_view key) {
    const json::value* found = object.if_contains(key);
    return found && found->is_number() ? found->to_number<double>() : 0.0;
  };
  StandardsSubscription subscription;
  subscription.account_id = Text(object, "AccountId");
  subscription.region = Text(object, "Region");
  subscription.standards_path = Text(object, "StandardsPath");
  subscription.status = Text(object, "Status");
  subscription.status_due = number("StatusDue");
  subscription.created_at = number("CreatedAt");
  subscription.hub_subscribed_at = number("HubSubscribedAt");
  subscription.input = StringMap(object, "StandardsInput");
  return subscription;
}

void Provider::BindStandards(gateway::OperationTable& table) {
  const std::pair<std::string_view, Output (Provider::*)(const Context&, Input&)> kOperations[] = {
      {"BatchEnableStandards", &Provider::BatchEnableStandards},
      {"BatchDisableStandards", &Provider::BatchDisableStandards},
      {"GetEnabledStandards", &Provider::GetEnabledStandards},
      {"DescribeStandards", &Provider::DescribeStandards},
      {"DescribeStandardsControls", &Provider::DescribeStandardsControls},
      {"ListSecurityControlDefinitions", &Provider::ListSecurityControlDefinitions},
      {"GetSecurityControlDefinition", &Provider::GetSecurityControlDefinition},
  };
  for (const auto& [name, method] : kOperations) table.Bind(name, this, method);
  // The embedded catalog is parsed by the first request that reads it, not here: parsed, it
  // holds heap that a cairn which never serves standards does not need, and its parse is off
  // the path to the first answer (issue 8).
}

// --- Between families

bool Provider::IsStandardArn(std::string_view arn, std::string_view region) const {
  return SecurityHubCatalog().FindStandard(arn, region) != nullptr;
}

bool Provider::IsSecurityControl(std::string_view control_id) const {
  return SecurityHubCatalog().FindControl(control_id) != nullptr;
}

const json::object* Provider::ControlParameters(std::string_view control_id) const {
  const json::object* control = SecurityHubCatalog().FindControl(control_id);
  if (!control) return nullptr;
  const json::value* parameters = control->if_contains("ParameterDefinitions");
  return parameters ? &parameters->as_object() : nullptr;
}

void Provider::ForgetStandards(store::Transaction& txn, std::string_view scope) {
  standards_.subscriptions.ErasePrefix(txn, scope);
}

void Provider::ResumeStandards() {
  std::vector<std::pair<double, std::string>> moving;
  {
    std::shared_lock lock(mutex_);
    for (const auto& [key, subscription] : standards_.subscriptions.items()) {
      if (subscription.status == "PENDING" || subscription.status == "DELETING")
        moving.emplace_back(subscription.status_due, key);
    }
  }
  for (const auto& [due, key] : moving) {
    scheduler_.At(due, [this, key = key] { FinishStandardsSubscription(key); });
  }
}

void Provider::FinishStandardsSubscription(const std::string& key) {
  const double now = scheduler_.now();
  (void)Write([&](store::Transaction& txn) -> Result<Ok> {
    const StandardsSubscription* subscription = standards_.subscriptions.Find(key);
    if (!subscription || subscription->status_due == 0 || now < subscription->status_due)
      return Ok{};
    if (subscription->status == "PENDING") {
      standards_.subscriptions.Update(txn, key, [](StandardsSubscription& stored) {
        stored.status = "READY";
        stored.status_due = 0;
      });
      return Ok{};
    }
    if (subscription->status != "DELETING") return Ok{};
    // A default standard stays disabled (REMOVED hides it); any other has nothing to remember.
    const Standard* standard =
        SecurityHubCatalog().FindStandardByPath(subscription->standards_path);
    if (standard && standard->enabled_by_default) {
      standards_.subscriptions.Update(txn, key, [](StandardsSubscription& stored) {
        stored.status = "REMOVED";
        stored.status_due = 0;
      });
    } else {
      standards_.subscriptions.Erase(txn, key);
    }
    return Ok{};
  });
}

// --- Subscriptions

Provider::Output Provider::BatchEnableStandards(const Context& context, Input& input) {
  const json::array& requests = input.at("StandardsSubscriptionRequests").as_array();
  const Catalog& catalog = SecurityHubCatalog();
  return Write([&](store::Transaction& txn) -> Output {
    const Hub* hub = HubOf(hub_, context.account_id, context.region);
    if (!hub) return NotSubscribed(context.account_id);
    json::array invalid;
    std::vector<std::pair<const Standard*, std::map<std::string, std::string>>> wanted;
    for (const json::value& request : requests) {
      const json::object& fields = request.as_object();
      const Standard* standard = catalog.FindStandard(Text(fields, "StandardsArn"), context.region);
      if (!standard) {
        invalid.push_back(fields);
        continue;
      }
      const bool repeated = std::any_of(wanted.begin(), wanted.end(),
                                        [&](const auto& seen) { return seen.first == standard; });
      if (!repeated) wanted.emplace_back(standard, StringMap(fields, "StandardsInput"));
    }
    if (!invalid.empty()) return InvalidRequests(invalid);
    json::array deleting;
    for (const auto& [standard, standards_input] : wanted) {
      const std::optional<Subscription> current =
          SubscriptionTo(standards_, *hub, *standard, context.now);
      if (current && current->status == "DELETING")
        deleting.emplace_back(SubscriptionArn(context.account_id, context.region, *standard));
    }
    // AWS's message for a PENDING subscription that BatchDisableStandards refuses, applied to
    // a DELETING one that BatchEnableStandards can't subscribe to again yet.
    if (!deleting.empty()) return TryLater("DELETING", deleting);

    json::array out;
    for (auto& [standard, standards_input] : wanted) {
      // Already subscribed (PENDING or READY): AWS answers with the subscription as it is.
      if (std::optional<Subscription> current =
              SubscriptionTo(standards_, *hub, *standard, context.now)) {
        out.push_back(SubscriptionJson(*current, context.account_id, context.region));
        continue;
      }
      StandardsSubscription subscription;
      subscription.account_id = context.account_id;
      subscription.region = context.region;
      subscription.standards_path = standard->path;
      subscription.status = "PENDING";
      subscription.status_due = context.now + kEnableSeconds;
      subscription.created_at = context.now;
      subscription.hub_subscribed_at = hub->subscribed_at;
      subscription.input = std::move(standards_input);
      const std::string key = SubscriptionKey(context.account_id, context.region, *standard);
      const double due = subscription.status_due;
      const StandardsSubscription& stored =
          standards_.subscriptions.Put(txn, key, std::move(subscription));
      out.push_back(
          SubscriptionJson(Subscription{standard, stored.status, stored.created_at, stored.input},
                           context.account_id, context.region));
      scheduler_.At(due, [this, key] { FinishStandardsSubscription(key); });
    }
    return json::object{{"StandardsSubscriptions", std::move(out)}};
  });
}

Provider::Output Provider::BatchDisableStandards(const Context& context, Input& input) {
  const std::vector<std::string> arns = Strings(input, "StandardsSubscriptionArns");
  return Write([&](store::Transaction& txn) -> Output {
    const Hub* hub = HubOf(hub_, context.account_id, context.region);
    if (!hub) return NotSubscribed(context.account_id);
    json::array invalid;
    json::array pending;
    std::vector<Subscription> wanted;
    for (const std::string& arn : arns) {
      const Standard* standard = StandardOfSubscription(arn, context.account_id, context.region);
      std::optional<Subscription> current =
          standard ? SubscriptionTo(standards_, *hub, *standard, context.now) : std::nullopt;
      if (!current) {
        invalid.emplace_back(arn);
      } else if (current->status == "PENDING") {
        pending.emplace_back(arn);
      } else if (std::none_of(wanted.begin(), wanted.end(), [&](const Subscription& seen) {
                   return seen.standard == standard;
                 })) {
        wanted.push_back(std::move(*current));
      }
    }
    if (!invalid.empty()) return InvalidSubscriptionArns(invalid);
    if (!pending.empty()) return TryLater("PENDING", pending);

    json::array out;
    for (Subscription& subscription : wanted) {
      if (subscription.status == "READY") {
        const std::string key =
            SubscriptionKey(context.account_id, context.region, *subscription.standard);
        StandardsSubscription deleting;
        deleting.account_id = context.account_id;
        deleting.region = context.region;
        deleting.standards_path = subscription.standard->path;
        deleting.status = "DELETING";
        deleting.status_due = context.now + kDisableSeconds;
        deleting.created_at = subscription.created_at;
        deleting.hub_subscribed_at = hub->subscribed_at;
        deleting.input = subscription.input;
        const double due = deleting.status_due;
        standards_.subscriptions.Put(txn, key, std::move(deleting));
        scheduler_.At(due, [this, key] { FinishStandardsSubscription(key); });
        subscription.status = "DELETING";
      }
      out.push_back(SubscriptionJson(subscription, context.account_id, context.region));
    }
    return json::object{{"StandardsSubscriptions", std::move(out)}};
  });
}

Provider::Output Provider::GetEnabledStandards(const Context& context, Input& input) {
  const std::vector<std::string> arns = Strings(input, "StandardsSubscriptionArns");
  std::shared_lock lock(mutex_);
  const Hub* hub = HubOf(hub_, context.account_id, context.region);
  if (!hub) return NotSubscribed(context.account_id);
  std::vector<Subscription> subscriptions = SubscriptionsOf(standards_, *hub, context.now);
  if (!arns.empty()) {
    std::erase_if(subscriptions, [&](const Subscription& subscription) {
      const std::string arn =
          SubscriptionArn(context.account_id, context.region, *subscription.standard);
      return std::find(arns.begin(), arns.end(), arn) == arns.end();
    });
  }
  std::string query;
  for (const std::string& arn : arns) query.append(arn).push_back('\n');
  const services::Paging paging(tokens_, context, input, "GetEnabledStandards", query, kPaging);
  const auto& standards = SecurityHubCatalog().standards();
  const auto position = [&](size_t index) {
    return PositionKey(static_cast<size_t>(subscriptions[index].standard - standards.data()));
  };
  return PageOf(paging, subscriptions.size(), "StandardsSubscriptions", position,
                [&](size_t index) {
                  return SubscriptionJson(subscriptions[index], context.account_id, context.region);
                });
}

// --- The catalog

Provider::Output Provider::DescribeStandards(const Context& context, Input& input) {
  std::shared_lock lock(mutex_);
  if (!HubOf(hub_, context.account_id, context.region)) return NotSubscribed(context.account_id);
  const auto& standards = SecurityHubCatalog().standards();
  const services::Paging paging(tokens_, context, input, "DescribeStandards", "", kPaging);
  return PageOf(paging, standards.size(), "Standards", PositionKey,
                [&](size_t index) { return standards[index].ToJson(context.region); });
}

Provider::Output Provider::DescribeStandardsControls(const Context& context, Input& input) {
  const std::string arn = Text(input, "StandardsSubscriptionArn");
  std::shared_lock lock(mutex_);
  const Hub* hub = HubOf(hub_, context.account_id, context.region);
  if (!hub) return NotSubscribed(context.account_id);
  // The wording of these two errors is cairn's (AWS's was not found); the codes are the
  // model's: a string that is no subscription ARN of the caller, and one it isn't subscribed to.
  const Standard* standard = StandardOfSubscription(arn, context.account_id, context.region);
  if (!standard) {
    return errors::InvalidInputException("Invalid StandardsSubscriptionArn: " + arn);
  }
  const std::optional<Subscription> subscription =
      SubscriptionTo(standards_, *hub, *standard, context.now);
  if (!subscription) {
    return errors::ResourceNotFoundException("StandardsSubscription " + arn + " not found");
  }
  const services::Paging paging(tokens_, context, input, "DescribeStandardsControls", arn, kPaging);
  const std::string arn_prefix = "arn:aws:securityhub:" + std::string(context.region) + ":" +
                                 std::string(context.account_id) + ":control/" + standard->path +
                                 "/";
  return PageOf(paging, standard->controls.size(), "Controls", PositionKey, [&](size_t index) {
    const StandardControl& control = standard->controls[index];
    return json::object{{"StandardsControlArn", arn_prefix + control.arn_suffix},
                        {"ControlStatus", "ENABLED"},
                        {"ControlStatusUpdatedAt", subscription->created_at},
                        {"ControlId", control.control_id},
                        {"Title", control.title},
                        {"Description", control.description},
                        {"RemediationUrl", control.remediation_url},
                        {"SeverityRating", control.severity},
                        {"RelatedRequirements", control.related_requirements}};
  });
}

Provider::Output Provider::ListSecurityControlDefinitions(const Context& context, Input& input) {
  const std::string standards_arn = Text(input, "StandardsArn");
  std::shared_lock lock(mutex_);
  if (!HubOf(hub_, context.account_id, context.region)) return NotSubscribed(context.account_id);
  const Catalog& catalog = SecurityHubCatalog();
  const Standard* standard = nullptr;
  if (input.contains("StandardsArn")) {
    standard = catalog.FindStandard(standards_arn, context.region);
    // cairn's wording; AWS's was not found.
    if (!standard) return errors::InvalidInputException("Invalid StandardsArn: " + standards_arn);
  }
  const services::Paging paging(tokens_, context, input, "ListSecurityControlDefinitions",
                                standards_arn, kPaging);
  if (!standard) {
    return PageOf(paging, catalog.controls().size(), "SecurityControlDefinitions", PositionKey,
                  [&](size_t index) { return catalog.controls()[index]; });
  }
  const std::vector<std::string>& ids = standard->security_control_ids;
  return PageOf(
      paging, ids.size(), "SecurityControlDefinitions",
      [&](size_t index) { return PositionKey(catalog.ControlIndex(ids[index])); },
      [&](size_t index) { return *catalog.FindControl(ids[index]); });
}

Provider::Output Provider::GetSecurityControlDefinition(const Context& context, Input& input) {
  const std::string control_id = Text(input, "SecurityControlId");
  std::shared_lock lock(mutex_);
  if (!HubOf(hub_, context.account_id, context.region)) return NotSubscribed(context.account_id);
  const json::object* control = SecurityHubCatalog().FindControl(control_id);
  // ResourceNotFoundException is the model's; the wording is cairn's.
  if (!control) {
    return errors::ResourceNotFoundException("Security control " + control_id + " doesn't exist.");
  }
  return json::object{{"SecurityControlDefinition", *control}};
}

}  // namespace cairn::securityhub
