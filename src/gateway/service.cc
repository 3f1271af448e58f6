#include "gateway/service.h"

#include <stdexcept>

namespace cairn::gateway {

void OperationTable::Bind(std::string_view operation, Handler handler) {
  const model::Operation* modelled = service_.FindOperation(operation);
  if (!modelled) {
    throw std::logic_error(service_.name + " has no operation " + std::string(operation) +
                           " in its model");
  }
  if (handlers_[modelled->index]) {
    throw std::logic_error(service_.name + "." + std::string(operation) + " is bound twice");
  }
  handlers_[modelled->index] = std::move(handler);
}

void OperationTable::BindAdmin(std::string path, AdminHandler handler) {
  for (const auto& route : admin_routes_) {
    if (route.first == path) throw std::logic_error("admin path " + path + " is bound twice");
  }
  admin_routes_.emplace_back(std::move(path), std::move(handler));
}

Registry::Registry(const model::Catalog& catalog) : catalog_(catalog) {
  for (const model::ServiceModel& model : catalog.services()) {
    entries_.push_back(Entry{&model, nullptr, std::vector<Handler>(model.operations.size())});
  }
}

void Registry::Add(std::shared_ptr<Service> service) {
  for (Entry& entry : entries_) {
    if (entry.model->name != service->Name()) continue;
    if (entry.service) {
      throw std::logic_error("service " + entry.model->name + " is registered twice");
    }
    OperationTable table(*entry.model, entry.handlers, admin_routes_);
    service->Bind(table);
    entry.service = std::move(service);
    return;
  }
  throw std::logic_error("no model for service " + std::string(service->Name()));
}

const Handler* Registry::Find(const model::ServiceModel& service,
                              const model::Operation& operation) const {
  for (const Entry& entry : entries_) {
    if (entry.model != &service) continue;
    const Handler& handler = entry.handlers[operation.index];
    return handler ? &handler : nullptr;
  }
  return nullptr;
}

const AdminHandler* Registry::FindAdmin(std::string_view path) const {
  for (const auto& [route, handler] : admin_routes_) {
    if (route == path) return &handler;
  }
  return nullptr;
}

void Registry::ResetAll() {
  for (Entry& entry : entries_) {
    if (entry.service) entry.service->Reset();
  }
}

std::vector<std::pair<std::string, bool>> Registry::Services() const {
  std::vector<std::pair<std::string, bool>> out;
  for (const Entry& entry : entries_) out.emplace_back(entry.model->name, entry.service != nullptr);
  return out;
}

}  // namespace cairn::gateway
