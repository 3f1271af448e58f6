#include "services/securityhub/standards_catalog.h"

#include <boost/json.hpp>
#include <set>
#include <stdexcept>

// catalog.json, embedded by src/services/CMakeLists.txt with .incbin.
extern "C" const char cairn_securityhub_catalog_begin[];
extern "C" const char cairn_securityhub_catalog_end[];

namespace cairn::securityhub {
namespace json = boost::json;
namespace {

constexpr std::string_view kRegionPlaceholder = "{region}";

std::string Member(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value || !value->is_string()) {
    throw std::runtime_error("catalog.json: missing string member " + std::string(key));
  }
  return std::string(value->get_string());
}

std::string Optional(const json::object& object, std::string_view key, std::string fallback) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::move(fallback);
}

}  // namespace

std::string Standard::Arn(std::string_view region) const {
  std::string arn = arn_template;
  if (const size_t at = arn.find(kRegionPlaceholder); at != std::string::npos) {
    arn.replace(at, kRegionPlaceholder.size(), region);
  }
  return arn;
}

json::object Standard::ToJson(std::string_view region) const {
  return {{"StandardsArn", Arn(region)},
          {"Name", name},
          {"Description", description},
          {"EnabledByDefault", enabled_by_default},
          {"StandardsManagedBy", managed_by}};
}

Catalog Catalog::Parse(std::string_view text) {
  const json::value parsed = json::parse(text);
  Catalog catalog;
  for (const json::value& entry : parsed.at("controls").as_array()) {
    const json::object& control = entry.as_object();
    const std::string id = Member(control, "SecurityControlId");
    if (!catalog.control_index_.emplace(id, catalog.controls_.size()).second) {
      throw std::runtime_error("catalog.json names control " + id + " twice");
    }
    catalog.controls_.push_back(control);
  }
  for (const json::value& entry : parsed.at("standards").as_array()) {
    const json::object& object = entry.as_object();
    Standard standard;
    standard.arn_template = Member(object, "StandardsArn");
    standard.path = Member(object, "Path");
    standard.name = Member(object, "Name");
    standard.description = Member(object, "Description");
    standard.enabled_by_default = object.at("EnabledByDefault").as_bool();
    standard.managed_by = object.at("StandardsManagedBy").as_object();
    std::set<std::string> included;
    for (const json::value& item : object.at("Controls").as_array()) {
      const json::object& fields = item.as_object();
      StandardControl control;
      control.control_id = Member(fields, "ControlId");
      control.arn_suffix = Member(fields, "ArnSuffix");
      for (const json::value& id : fields.at("SecurityControlIds").as_array()) {
        control.security_control_ids.emplace_back(id.as_string());
      }
      if (control.security_control_ids.empty()) {
        throw std::runtime_error("catalog.json: control " + control.control_id + " of " +
                                 standard.name + " names no security control");
      }
      const json::object* leading = catalog.FindControl(control.security_control_ids.front());
      for (const std::string& id : control.security_control_ids) {
        if (!catalog.FindControl(id)) {
          throw std::runtime_error("catalog.json: " + standard.name + " names unknown control " +
                                   id);
        }
        included.insert(id);
      }
      control.title = Optional(fields, "Title", Member(*leading, "Title"));
      control.description = Optional(fields, "Description", Member(*leading, "Description"));
      control.severity = Optional(fields, "SeverityRating", Member(*leading, "SeverityRating"));
      control.remediation_url =
          Optional(fields, "RemediationUrl", Member(*leading, "RemediationUrl"));
      control.related_requirements = fields.at("RelatedRequirements").as_array();
      standard.controls.push_back(std::move(control));
    }
    for (const json::object& control : catalog.controls_) {
      const std::string id = Member(control, "SecurityControlId");
      if (included.contains(id)) standard.security_control_ids.push_back(id);
    }
    catalog.standards_.push_back(std::move(standard));
  }
  return catalog;
}

const Standard* Catalog::FindStandard(std::string_view arn, std::string_view region) const {
  for (const Standard& standard : standards_) {
    if (standard.Arn(region) == arn) return &standard;
  }
  return nullptr;
}

const Standard* Catalog::FindStandardByPath(std::string_view path) const {
  for (const Standard& standard : standards_) {
    if (standard.path == path) return &standard;
  }
  return nullptr;
}

const json::object* Catalog::FindControl(std::string_view control_id) const {
  const size_t index = ControlIndex(control_id);
  return index < controls_.size() ? &controls_[index] : nullptr;
}

size_t Catalog::ControlIndex(std::string_view control_id) const {
  const auto found = control_index_.find(control_id);
  return found == control_index_.end() ? controls_.size() : found->second;
}

const Catalog& SecurityHubCatalog() {
  static const Catalog kCatalog = Catalog::Parse(std::string_view(
      cairn_securityhub_catalog_begin,
      static_cast<size_t>(cairn_securityhub_catalog_end - cairn_securityhub_catalog_begin)));
  return kCatalog;
}

}  // namespace cairn::securityhub
