// Service: what a provider (one folder of services/) gives the gateway. A provider binds a
// handler to each AWS operation it implements, by the operation's exact name; the gateway
// finds handlers by the operation's index in the model, so dispatch is an array lookup.
// Adding a service is adding a folder and one Registry::Add call in main/.
//
// Handlers are called from both worker threads at once: a provider guards its own state.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/model.h"

namespace cairn::gateway {

// Who calls, where, and when: everything a provider needs to know about a request.
struct RequestContext {
  std::string_view account_id;     // 12 digits
  std::string_view region;         // from the SigV4 credential scope
  std::string_view access_key_id;  // as sent
  std::string_view request_id;
  double now = 0;  // the clock's reading when the request arrived, epoch seconds
};

// Input: the validated input document (providers may move values out of it). Output: a
// document of the operation's output shape with timestamps as epoch-second numbers; null
// members are omitted on the wire.
using Handler =
    std::function<Result<boost::json::object>(const RequestContext&, boost::json::object& input)>;

// A service's own admin endpoint (not AWS), e.g. POST /_cairn/ssm/instances: a JSON object
// in, a JSON object out; an error answers 400 with its message.
using AdminHandler =
    std::function<Result<boost::json::object>(const boost::json::object& body, double now)>;

class OperationTable {
 public:
  OperationTable(const model::ServiceModel& service, std::vector<Handler>& handlers,
                 std::vector<std::pair<std::string, AdminHandler>>& admin_routes)
      : service_(service), handlers_(handlers), admin_routes_(admin_routes) {}
  // Binds an operation. Throws std::logic_error for an operation the model does not have or
  // one bound twice: wiring mistakes surface at startup, not as a wrong answer later.
  void Bind(std::string_view operation, Handler handler);
  // Binds a provider's method named after the operation: table.Bind("X", this, &Provider::X).
  template <typename Provider>
  void Bind(std::string_view operation, Provider* provider,
            Result<boost::json::object> (Provider::*method)(const RequestContext&,
                                                            boost::json::object&)) {
    Bind(operation, [provider, method](const RequestContext& context, boost::json::object& input) {
      return (provider->*method)(context, input);
    });
  }
  // Serves POST `path` (under /_cairn/) with `handler`. Throws std::logic_error for a path
  // bound twice.
  void BindAdmin(std::string path, AdminHandler handler);

 private:
  const model::ServiceModel& service_;
  std::vector<Handler>& handlers_;
  std::vector<std::pair<std::string, AdminHandler>>& admin_routes_;
};

class Service {
 public:
  virtual ~Service() = default;
  // The model's service name: ssm, config, securityhub, organizations, sts.
  virtual std::string_view Name() const = 0;
  virtual void Bind(OperationTable& table) = 0;
  // Forgets every resource (POST /_cairn/reset).
  virtual void Reset() = 0;
};

// The services cairn runs, keyed by name. Filled once by main/ before serving; read-only
// afterwards, so lookups need no lock.
class Registry {
 public:
  explicit Registry(const model::Catalog& catalog);
  // Throws std::logic_error for a duplicate name or a name the catalog has no model for.
  void Add(std::shared_ptr<Service> service);
  // The handler for an operation, or null when no provider implements it.
  const Handler* Find(const model::ServiceModel& service, const model::Operation& operation) const;
  void ResetAll();
  // Names of every modelled service, with whether a provider serves it.
  std::vector<std::pair<std::string, bool>> Services() const;
  // The admin handler a service bound for `path`, or null.
  const AdminHandler* FindAdmin(std::string_view path) const;

 private:
  struct Entry {
    const model::ServiceModel* model;
    std::shared_ptr<Service> service;
    std::vector<Handler> handlers;  // by Operation::index
  };
  const model::Catalog& catalog_;
  std::vector<Entry> entries_;
  std::vector<std::pair<std::string, AdminHandler>> admin_routes_;
};

}  // namespace cairn::gateway
