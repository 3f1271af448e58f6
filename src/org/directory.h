// Directory: the organization model that every service consults, and the one place where
// cairn's access rules about organizations live.
//
// It answers, for any account: is it in an organization, is it the management account, a
// delegated administrator for service principal P (for P only: a delegated admin for one
// service gains nothing for another), is trusted access enabled for P; and it walks the
// hierarchy (parent chain, descendants, member accounts). The Organizations API provider
// changes it through Write(); other services read it and subscribe to its events (an account
// joined, left or moved) to keep organization-wide deployments and inheritance current.
//
// Organizations is global: one Directory for all regions. Thread-safe: queries take a shared
// lock, Write() an exclusive one; listeners are called after the write committed and the
// lock is released, on the writing thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/shared_mutex.h"
#include "org/resources.h"
#include "store/store.h"

namespace cairn::org {

// Every collection of the model. Guarded by Directory's mutex.
struct State {
  store::Collection<Organization> organizations{"organizations.organizations"};  // by id
  store::Collection<OrganizationalUnit> units{"organizations.units"};            // by id
  store::Collection<Account> accounts{"organizations.accounts"};                 // by id
  store::Collection<CreateAccountRequest> create_requests{"organizations.create_account_requests"};
  store::Collection<ServiceAccess> service_access{"organizations.service_access"};  // org/principal
  store::Collection<Delegation> delegations{"organizations.delegations"};  // org/account/principal
  store::Collection<TagSet> tags{"organizations.tags"};                    // by resource id

  std::vector<store::CollectionBase*> All();

  // The organization an account belongs to, or null.
  const Organization* OrganizationOf(std::string_view account_id) const;
  bool IsDelegatedAdministrator(std::string_view organization_id, std::string_view account_id,
                                std::string_view principal) const;
  bool IsDelegatedAdministratorForAny(std::string_view organization_id,
                                      std::string_view account_id) const;
  bool IsTrustedAccessEnabled(std::string_view organization_id, std::string_view principal) const;
  // The id of the parent of an account or OU, or empty.
  std::string ParentOf(std::string_view child_id) const;
  // Parent, grandparent, ... up to and including the root.
  std::vector<std::string> ParentChain(std::string_view child_id) const;
  // OUs and accounts below `parent_id`, depth first.
  std::vector<std::string> Descendants(std::string_view parent_id) const;
  std::vector<const Account*> AccountsOf(std::string_view organization_id) const;
  std::vector<const OrganizationalUnit*> UnitsOf(std::string_view organization_id) const;
};

std::string ServiceAccessKey(std::string_view organization_id, std::string_view principal);
std::string DelegationKey(std::string_view organization_id, std::string_view account_id,
                          std::string_view principal);

// What changed in an organization, for the services that follow it.
struct Event {
  enum class Kind {
    kAccountJoined,
    kAccountLeft,
    kAccountMoved,
    kAccountSuspended,
    kOrganizationDeleted
  };
  Kind kind;
  std::string organization_id;
  std::string account_id;  // empty for kOrganizationDeleted
};

// Where an account stands in its organization.
struct Membership {
  std::string organization_id;  // empty: the account is in no organization
  std::string management_account_id;
  std::string feature_set;
  std::string root_id;
  bool in_organization() const { return !organization_id.empty(); }
};

class Directory {
 public:
  explicit Directory(store::Journal& journal) : journal_(journal) {}

  // --- Access rules, for every service.
  Membership MembershipOf(std::string_view account_id) const;
  bool IsManagementAccount(std::string_view account_id) const;
  bool IsDelegatedAdministrator(std::string_view account_id, std::string_view principal) const;
  bool IsTrustedAccessEnabled(std::string_view organization_id, std::string_view principal) const;
  std::vector<std::string> ParentChain(std::string_view child_id) const;
  std::vector<std::string> Descendants(std::string_view parent_id) const;
  // Ids of every account of the organization, the management account included, in id order.
  std::vector<std::string> MemberAccounts(std::string_view organization_id) const;

  // --- Reading and changing the model (the Organizations provider, world files).
  template <typename Fn>
  auto Read(Fn&& fn) const {
    std::shared_lock lock(mutex_);
    return fn(static_cast<const State&>(state_));
  }

  struct WriteContext {
    State& state;
    store::Transaction& txn;
    std::vector<Event>& events;
  };
  // Runs `fn` under the exclusive lock in one transaction. `fn` returns a Result: on success
  // the transaction commits and the events it raised reach the listeners; on error every
  // change is rolled back.
  template <typename Fn>
  auto Write(Fn&& fn) {
    std::vector<Event> events;
    std::unique_lock lock(mutex_);
    store::Transaction txn(journal_);
    WriteContext context{state_, txn, events};
    auto result = fn(context);
    if (!result.ok()) return result;  // the transaction rolls back, under the lock, as it goes
    txn.Commit();
    generation_.fetch_add(1, std::memory_order_release);
    lock.unlock();
    // Durable before anyone hears of it; other writers may batch with this commit meanwhile.
    txn.AwaitDurable();
    Notify(events);
    return result;
  }

  // Enables trusted access for `principal` in the organization, as services do on the
  // caller's behalf (Config's PutConfigurationAggregator "calls EnableAwsServiceAccess").
  // Idempotent.
  void EnableTrustedAccess(std::string_view organization_id, std::string_view principal,
                           double now);
  // Registers `account_id` as delegated administrator for `principal`, as services do on the
  // caller's behalf (Security Hub's EnableOrganizationAdminAccount "calls Organizations to make
  // that account the delegated administrator account"). Idempotent; raises no event.
  void RegisterDelegatedAdministrator(std::string_view organization_id, std::string_view account_id,
                                      std::string_view principal, double now);

  // Moves on with every committed Write, Reset and Restore (under the exclusive lock): a reader
  // that read generation G before it read the model knows that what it read is still current
  // while generation() == G, and can keep what it derived from it (securityhub policies).
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Listeners are added at startup, before requests are served.
  void AddListener(std::function<void(const Event&)> listener);
  // Forgets every organization, in memory and in the journal (POST /_cairn/reset).
  void Reset();
  // Loads every collection from the journal (startup). Throws on a corrupt document.
  void Restore();

 private:
  void Notify(const std::vector<Event>& events);

  store::Journal& journal_;
  mutable base::SharedMutex mutex_;
  State state_;  // guarded by mutex_
  std::atomic<uint64_t> generation_{0};
  // Set up at startup, before requests are served; read without a lock afterwards.
  std::vector<std::function<void(const Event&)>> listeners_;
};

}  // namespace cairn::org
