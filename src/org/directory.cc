#include "org/directory.h"

#include <mutex>

namespace cairn::org {

std::string ServiceAccessKey(std::string_view organization_id, std::string_view principal) {
  return std::string(organization_id) + "/" + std::string(principal);
}

std::string DelegationKey(std::string_view organization_id, std::string_view account_id,
                          std::string_view principal) {
  return std::string(organization_id) + "/" + std::string(account_id) + "/" +
         std::string(principal);
}

std::vector<store::CollectionBase*> State::All() {
  return {&organizations,  &units,       &accounts, &create_requests,
          &service_access, &delegations, &tags};
}

const Organization* State::OrganizationOf(std::string_view account_id) const {
  const Account* account = accounts.Find(account_id);
  if (!account || account->organization_id.empty()) return nullptr;
  return organizations.Find(account->organization_id);
}

bool State::IsDelegatedAdministrator(std::string_view organization_id, std::string_view account_id,
                                     std::string_view principal) const {
  return delegations.Find(DelegationKey(organization_id, account_id, principal)) != nullptr;
}

bool State::IsDelegatedAdministratorForAny(std::string_view organization_id,
                                           std::string_view account_id) const {
  const std::string prefix = std::string(organization_id) + "/" + std::string(account_id) + "/";
  auto found = delegations.LowerBound(prefix);
  return found != delegations.items().end() && found->first.starts_with(prefix);
}

bool State::IsTrustedAccessEnabled(std::string_view organization_id,
                                   std::string_view principal) const {
  return service_access.Find(ServiceAccessKey(organization_id, principal)) != nullptr;
}

std::string State::ParentOf(std::string_view child_id) const {
  if (const Account* account = accounts.Find(child_id)) return account->parent_id;
  if (const OrganizationalUnit* unit = units.Find(child_id)) return unit->parent_id;
  return {};
}

std::vector<std::string> State::ParentChain(std::string_view child_id) const {
  std::vector<std::string> chain;
  std::string parent = ParentOf(child_id);
  while (!parent.empty()) {
    chain.push_back(parent);
    parent = ParentOf(parent);
  }
  return chain;
}

std::vector<std::string> State::Descendants(std::string_view parent_id) const {
  // Organizations are small next to the cost of a request; a scan keeps the state free of a
  // second index that every write would have to maintain.
  std::vector<std::string> out;
  std::vector<std::string> pending{std::string(parent_id)};
  while (!pending.empty()) {
    const std::string current = std::move(pending.back());
    pending.pop_back();
    for (const auto& [id, unit] : units.items()) {
      if (unit.parent_id == current) {
        out.push_back(id);
        pending.push_back(id);
      }
    }
    for (const auto& [id, account] : accounts.items()) {
      if (account.parent_id == current) out.push_back(id);
    }
  }
  return out;
}

std::vector<const Account*> State::AccountsOf(std::string_view organization_id) const {
  std::vector<const Account*> out;
  for (const auto& [id, account] : accounts.items()) {
    if (account.organization_id == organization_id) out.push_back(&account);
  }
  return out;
}

std::vector<const OrganizationalUnit*> State::UnitsOf(std::string_view organization_id) const {
  std::vector<const OrganizationalUnit*> out;
  for (const auto& [id, unit] : units.items()) {
    if (unit.organization_id == organization_id) out.push_back(&unit);
  }
  return out;
}

Membership Directory::MembershipOf(std::string_view account_id) const {
  std::shared_lock lock(mutex_);
  const Organization* organization = state_.OrganizationOf(account_id);
  if (!organization) return {};
  return Membership{organization->id, organization->management_account_id,
                    organization->feature_set, organization->root_id};
}

bool Directory::IsManagementAccount(std::string_view account_id) const {
  std::shared_lock lock(mutex_);
  const Organization* organization = state_.OrganizationOf(account_id);
  return organization && organization->management_account_id == account_id;
}

bool Directory::IsDelegatedAdministrator(std::string_view account_id,
                                         std::string_view principal) const {
  std::shared_lock lock(mutex_);
  const Organization* organization = state_.OrganizationOf(account_id);
  return organization && state_.IsDelegatedAdministrator(organization->id, account_id, principal);
}

bool Directory::IsTrustedAccessEnabled(std::string_view organization_id,
                                       std::string_view principal) const {
  std::shared_lock lock(mutex_);
  return state_.IsTrustedAccessEnabled(organization_id, principal);
}

std::vector<std::string> Directory::ParentChain(std::string_view child_id) const {
  std::shared_lock lock(mutex_);
  return state_.ParentChain(child_id);
}

std::vector<std::string> Directory::Descendants(std::string_view parent_id) const {
  std::shared_lock lock(mutex_);
  return state_.Descendants(parent_id);
}

std::vector<std::string> Directory::MemberAccounts(std::string_view organization_id) const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  for (const Account* account : state_.AccountsOf(organization_id)) out.push_back(account->id);
  return out;
}

void Directory::EnableTrustedAccess(std::string_view organization_id, std::string_view principal,
                                    double now) {
  (void)Write([&](WriteContext& write) -> Result<Ok> {
    const std::string key = ServiceAccessKey(organization_id, principal);
    if (!write.state.service_access.Find(key)) {
      write.state.service_access.Put(
          write.txn, key, ServiceAccess{std::string(organization_id), std::string(principal), now});
    }
    return Ok{};
  });
}

void Directory::RegisterDelegatedAdministrator(std::string_view organization_id,
                                               std::string_view account_id,
                                               std::string_view principal, double now) {
  (void)Write([&](WriteContext& write) -> Result<Ok> {
    const std::string key = DelegationKey(organization_id, account_id, principal);
    if (!write.state.delegations.Find(key)) {
      write.state.delegations.Put(write.txn, key,
                                  Delegation{std::string(organization_id), std::string(account_id),
                                             std::string(principal), now});
    }
    return Ok{};
  });
}

void Directory::AddListener(std::function<void(const Event&)> listener) {
  listeners_.push_back(std::move(listener));
}

void Directory::Reset() {
  std::unique_lock lock(mutex_);
  store::ClearAll(journal_, state_.All());
  generation_.fetch_add(1, std::memory_order_release);
}

void Directory::Restore() {
  std::unique_lock lock(mutex_);
  store::LoadAll(journal_, state_.All());
  generation_.fetch_add(1, std::memory_order_release);
}

void Directory::Notify(const std::vector<Event>& events) {
  for (const Event& event : events) {
    for (const auto& listener : listeners_) listener(event);
  }
}

}  // namespace cairn::org
