// Gateway: the whole life of one request, as a function from HttpRequest to HttpResponse.
//
//   admin path?  -> admin API (not AWS)
//   which service and operation (X-Amz-Target, REST route, or awsQuery Action)
//   -> identity (account from the key id, region from the credential scope)
//   -> input document (protocol) -> validation (model) -> provider handler
//   -> output or error in the protocol's wire shape, with x-amzn-RequestId
//
// Whatever a provider throws is a bug: it is logged and answered 500 InternalFailure, and the
// server keeps serving. Handle() is safe to call from every worker thread at once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/http_message.h"
#include "gateway/service.h"
#include "gateway/strict_auth.h"
#include "lifecycle/clock.h"
#include "lifecycle/scheduler.h"
#include "model/model.h"
#include "protocol/protocol.h"
#include "validate/validator.h"

namespace cairn::gateway {

struct GatewayOptions {
  std::string default_account = "000000000000";
  std::string default_region = "us-east-1";
  std::string version;
  // `--auth strict`: every AWS request's signature is verified against these credentials.
  // Null: identity is read from the credential scope and signatures are not checked.
  const StrictAuth* strict_auth = nullptr;
};

class Gateway {
 public:
  Gateway(const model::Catalog& catalog, Registry& registry, lifecycle::Clock& clock,
          lifecycle::Scheduler& scheduler, GatewayOptions options);

  HttpResponse Handle(const HttpRequest& request);
  // Handles `request` and calls `respond` with the answer once every change it made is
  // durable: at once, on this thread, when it changed nothing or the journal keeps nothing;
  // otherwise from the journal's writer thread, so that this thread can serve other requests
  // while the commit is written (see store::DeferredDurability).
  void Handle(const HttpRequest& request, std::function<void(HttpResponse)> respond);
  // Compiles every model pattern ahead of the requests that need them (main runs it on a
  // thread of its own right after the server listens, so startup does not wait for it).
  void CompilePatterns() const;

 private:
  struct Call;
  HttpResponse Dispatch(const HttpRequest& request, Call& call);
  HttpResponse Admin(const HttpRequest& request, std::string_view path);
  const validate::Validator& ValidatorFor(const model::ServiceModel& service) const;
  const model::ServiceModel* FirstOfProtocol(model::Protocol protocol) const;

  const model::Catalog& catalog_;
  Registry& registry_;
  lifecycle::Clock& clock_;
  lifecycle::Scheduler& scheduler_;
  GatewayOptions options_;
  protocol::RestRouter rest_router_;
  std::vector<std::unique_ptr<validate::Validator>> validators_;  // parallel to catalog services
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace cairn::gateway
