#include "services/sts/provider.h"

namespace cairn::sts {

void Provider::Bind(gateway::OperationTable& table) {
  table.Bind("GetCallerIdentity", &Provider::GetCallerIdentity);
}

Result<boost::json::object> Provider::GetCallerIdentity(const gateway::RequestContext& context,
                                                        boost::json::object&) {
  const std::string account(context.account_id);
  return boost::json::object{
      {"UserId", account},
      {"Account", account},
      {"Arn", "arn:aws:iam::" + account + ":root"},
  };
}

}  // namespace cairn::sts
