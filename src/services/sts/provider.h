// STS, only GetCallerIdentity: tells a client which account its key id acts as in cairn.
// Stateless, so Reset() has nothing to forget and handlers need no lock.
#pragma once

#include "gateway/service.h"

namespace cairn::sts {

class Provider final : public gateway::Service {
 public:
  std::string_view Name() const override { return "sts"; }
  void Bind(gateway::OperationTable& table) override;
  void Reset() override {}

  // The root user of the calling account, as STS answers for root credentials: the account
  // id is the UserId and the ARN is `arn:aws:iam::<account>:root`.
  static Result<boost::json::object> GetCallerIdentity(const gateway::RequestContext& context,
                                                       boost::json::object& input);
};

}  // namespace cairn::sts
