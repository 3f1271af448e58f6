// World files: a YAML description of an organization (management account, OUs nested to any
// depth AWS allows, member accounts with fixed ids, trusted access, delegated administrators)
// that cairn builds at startup, so a CI job starts from a realistic landing zone at once.
//
// Loading is two steps: the whole file is parsed and checked into a plan (any mistake is
// reported with its line number), then the plan is applied in one Directory transaction, so
// a bad file changes nothing. Applying is idempotent: what already exists (same account ids,
// same OU names under the same parent) is kept, so a restart with durable state does not
// duplicate anything. See examples/world.yaml for the format.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <string>

#include "base/result.h"
#include "org/directory.h"

namespace cairn::world {

// Registers one managed node: the SSM provider's POST /_cairn/ssm/instances handler, which
// takes {"AccountId","Region","InstanceId"?,"PlatformType"?,"ComputerName"?,"Tags"?,...}.
using NodeRegistrar =
    std::function<Result<boost::json::object>(const boost::json::object& body, double now)>;

// Loads and applies a world file at `now` (epoch seconds). Errors read
// "world.yaml:12: organizational_units[0].accounts[1].id: must be 12 digits". A file's
// `managed_nodes` are registered through `nodes` once the organization is applied; every node
// entry is checked while planning, so registration cannot refuse one afterwards.
Result<Ok> Load(const std::string& path, org::Directory& directory, double now,
                const NodeRegistrar& nodes = {});
// Same, from YAML text (`source_name` stands for the file in messages). For tests.
Result<Ok> LoadText(const std::string& text, const std::string& source_name,
                    org::Directory& directory, double now, const NodeRegistrar& nodes = {});

}  // namespace cairn::world
