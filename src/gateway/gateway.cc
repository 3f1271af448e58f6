#include "gateway/gateway.h"

#include <boost/json.hpp>
#include <exception>

#include "base/ids.h"
#include "base/log.h"
#include "gateway/identity.h"
#include "store/store.h"

namespace cairn::gateway {
namespace json = boost::json;

// What the access log says about a request, filled in as the gateway learns it.
struct Gateway::Call {
  std::string request_id = ids::Uuid();
  std::string operation = "-";
  std::string account = "-";
  std::string region = "-";
};

Gateway::Gateway(const model::Catalog& catalog, Registry& registry, lifecycle::Clock& clock,
                 lifecycle::Scheduler& scheduler, GatewayOptions options)
    : catalog_(catalog),
      registry_(registry),
      clock_(clock),
      scheduler_(scheduler),
      options_(std::move(options)),
      rest_router_(catalog) {
  for (const model::ServiceModel& service : catalog.services()) {
    validators_.push_back(std::make_unique<validate::Validator>(service));
  }
}

const model::ServiceModel* Gateway::FirstOfProtocol(model::Protocol protocol) const {
  for (const model::ServiceModel& service : catalog_.services()) {
    if (service.protocol == protocol) return &service;
  }
  return nullptr;
}

const validate::Validator& Gateway::ValidatorFor(const model::ServiceModel& service) const {
  size_t service_idx = 0;
  for (const model::ServiceModel& candidate : catalog_.services()) {
    if (&candidate == &service) break;
    ++service_idx;
  }
  return *validators_[service_idx];
}

void Gateway::CompilePatterns() const {
  for (const auto& validator : validators_) validator->CompilePatterns();
}

HttpResponse Gateway::Handle(const HttpRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  Call call;
  HttpResponse response;
  try {
    response = Dispatch(request, call);
  } catch (const std::exception& bug) {
    log::Error("request " + call.request_id + " " + call.operation + " failed: " + bug.what());
    response =
        protocol::ErrorResponse(nullptr, protocol::errors::InternalFailure(), call.request_id);
  }
  if (log::Enabled(log::Level::kInfo)) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
    log::Info(call.account + " " + call.region + " " + call.operation + " " +
              std::to_string(response.status) + " " + std::to_string(micros) + "us");
  }
  return response;
}

void Gateway::Handle(const HttpRequest& request, std::function<void(HttpResponse)> respond) {
  store::DeferredDurability durability;
  HttpResponse response = Handle(request);
  if (!durability.pending()) return respond(std::move(response));
  durability.Then([respond = std::move(respond), response = std::move(response)]() mutable {
    respond(std::move(response));
  });
}

HttpResponse Gateway::Dispatch(const HttpRequest& request, Call& call) {
  const std::string_view path = request.Path();
  if (path.starts_with("/_cairn/") || path.starts_with("/_localstack/") ||
      path.starts_with("/moto-api/")) {
    call.operation = "admin" + std::string(path);
    HttpResponse response = Admin(request, path);
    response.SetHeader("x-amzn-RequestId", call.request_id);
    return response;
  }

  // 1. Which service and operation. A request that names none is refused in the shape of
  // the protocol it tried: awsJson for an X-Amz-Target, XML for a query Action, and REST
  // (404 + x-amzn-ErrorType) for a path that matches no route.
  Result<std::optional<Credential>> credential = ReadCredential(request);
  const model::ServiceModel* error_shape_service = nullptr;
  Result<protocol::Target> resolved = [&]() -> Result<protocol::Target> {
    const std::string_view amz_target = request.Header("x-amz-target");
    if (!amz_target.empty()) return protocol::ResolveJsonTarget(catalog_, amz_target);
    const model::ServiceModel* query_service = FirstOfProtocol(model::Protocol::kQuery);
    const bool form =
        request.Header("content-type").find("x-www-form-urlencoded") != std::string_view::npos;
    const bool scoped_to_query_service = credential.ok() && *credential && query_service &&
                                         (*credential)->service == query_service->signing_name;
    if (query_service && (form || scoped_to_query_service ||
                          request.Query().find("Action=") != std::string_view::npos)) {
      error_shape_service = query_service;
      return protocol::ResolveQueryAction(*query_service, request);
    }
    error_shape_service = FirstOfProtocol(model::Protocol::kRestJson);
    return rest_router_.Match(request.method, path);
  }();
  if (!resolved.ok()) {
    return protocol::ErrorResponse(error_shape_service, std::move(resolved).error(),
                                   call.request_id);
  }
  protocol::Target target = std::move(resolved).value();
  const model::ServiceModel& service = *target.service;
  const model::Operation& operation = *target.operation;
  call.operation = service.name + "." + operation.name;

  // 2. Who calls.
  if (!credential.ok())
    return protocol::ErrorResponse(&service, std::move(credential).error(), call.request_id);
  if (!*credential) {
    return protocol::ErrorResponse(&service, protocol::errors::MissingAuthenticationToken(),
                                   call.request_id);
  }
  const Credential& who = **credential;
  std::string account;
  if (options_.strict_auth) {
    const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    Result<const Principal*> principal = options_.strict_auth->Verify(request, service, now);
    if (!principal.ok())
      return protocol::ErrorResponse(&service, std::move(principal).error(), call.request_id);
    account = (*principal)->account;
  } else {
    account = AccountForKey(who.access_key_id, options_.default_account);
  }
  call.account = account;
  call.region = who.region;

  // 3. What it asks.
  Result<json::value> input = protocol::ParseInput(target, request);
  if (!input.ok())
    return protocol::ErrorResponse(&service, std::move(input).error(), call.request_id);
  if (operation.input) {
    const validate::Report report = ValidatorFor(service).Validate(*operation.input, *input);
    if (!report.ok()) {
      return protocol::ErrorResponse(&service, protocol::ValidationError(service, report),
                                     call.request_id);
    }
  }

  // 4. The provider.
  const Handler* handler = registry_.Find(service, operation);
  if (!handler) {
    return protocol::ErrorResponse(
        &service, protocol::errors::NotImplemented(service.name, operation.name), call.request_id);
  }
  const RequestContext context{account, who.region, who.access_key_id, call.request_id,
                               clock_.Now()};
  Result<json::object> output = (*handler)(context, input->as_object());
  if (!output.ok())
    return protocol::ErrorResponse(&service, std::move(output).error(), call.request_id);
  return protocol::SuccessResponse(service, operation, std::move(output).value(), call.request_id);
}

HttpResponse Gateway::Admin(const HttpRequest& request, std::string_view path) {
  HttpResponse response;
  response.SetHeader("Content-Type", "application/json");
  auto answer = [&](int status, json::object body) {
    response.status = status;
    response.body = json::serialize(body);
    return response;
  };
  const bool is_get = request.method == "GET" || request.method == "HEAD";
  const bool is_post = request.method == "POST";

  if (path == "/_cairn/health" || path == "/_localstack/health") {
    if (!is_get) return answer(405, {{"error", "use GET"}});
    json::object services;
    for (const auto& [name, served] : registry_.Services()) {
      services[name] = served ? "running" : "available";
    }
    const double uptime =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    return answer(200, {{"status", "ok"},
                        {"version", options_.version},
                        {"edition", "cairn"},
                        {"uptime_seconds", uptime},
                        {"services", std::move(services)}});
  }
  if (path == "/_cairn/reset" || path == "/_localstack/state/reset" || path == "/moto-api/reset") {
    if (!is_post) return answer(405, {{"error", "use POST"}});
    // Pending lifecycle steps belong to the state being forgotten.
    scheduler_.Clear();
    registry_.ResetAll();
    return answer(200, {{"status", "ok"}, {"reset", true}});
  }
  if (path == "/_cairn/clock/advance") {
    if (!is_post) return answer(405, {{"error", "use POST"}});
    boost::system::error_code error;
    const json::value body = json::parse(request.body, error);
    const json::value* seconds =
        !error && body.is_object() ? body.as_object().if_contains("seconds") : nullptr;
    if (!seconds || !seconds->is_number() || seconds->to_number<double>() <= 0) {
      return answer(400, {{"error", "body must be {\"seconds\": <number > 0>}"}});
    }
    // Everything that falls due within the advance runs before it is acknowledged, steps that
    // earlier steps schedule included, so a test that advances the clock sees the statuses
    // that time brought.
    const size_t ran = scheduler_.Advance(seconds->to_number<double>());
    return answer(200, {{"now", clock_.Now()}, {"tasks_run", ran}});
  }
  if (const AdminHandler* handler = registry_.FindAdmin(path)) {
    if (!is_post) return answer(405, {{"error", "use POST"}});
    boost::system::error_code error;
    json::value body =
        request.body.empty() ? json::value(json::object()) : json::parse(request.body, error);
    if (error || !body.is_object())
      return answer(400, {{"error", "the body must be a JSON object"}});
    Result<json::object> result = (*handler)(body.as_object(), clock_.Now());
    if (!result.ok())
      return answer(400, {{"error", result.error().message}, {"code", result.error().code}});
    return answer(200, std::move(result).value());
  }
  return answer(404, {{"error", "no admin endpoint " + std::string(path)}});
}

}  // namespace cairn::gateway
