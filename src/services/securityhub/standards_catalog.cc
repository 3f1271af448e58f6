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
    const json::object& compact = entry.as_object();
    const std::string id = Member(compact, "SecurityControlId");
    if (!catalog.control_index_.emplace(id, catalog.controls_.size()).second) {
      throw std::runtime_error("catalog.json names control " + id + " twice");
    }
    // catalog.json leaves out what follows from the rest (build.py keeps it compact): the
    // RemediationUrl AWS derives from the id, AVAILABLE, and CustomizableProperties ["Parameters"]
    // exactly when the control has parameter definitions. The object is rebuilt in the member
    // order of AWS's SecurityControlDefinition.
    const json::value* parameters = compact.if_contains("ParameterDefinitions");
    const bool customizable =
        parameters && parameters->is_object() && !parameters->get_object().empty();
    json::object control;
    control["SecurityControlId"] = id;
    control["Title"] = Member(compact, "Title");
    control["Description"] = Member(compact, "Description");
    control["RemediationUrl"] =
        Optional(compact, "RemediationUrl",
                 "https://docs.aws.amazon.com/console/securityhub/" + id + "/remediation");
    control["SeverityRating"] = Member(compact, "SeverityRating");
    control["CurrentRegionAvailability"] =
        Optional(compact, "CurrentRegionAvailability", "AVAILABLE");
    if (const json::value* properties = compact.if_contains("CustomizableProperties")) {
      control["CustomizableProperties"] = *properties;
    } else {
      control["CustomizableProperties"] = customizable ? json::array{"Parameters"} : json::array{};
    }
    if (customizable) control["ParameterDefinitions"] = *parameters;
    catalog.controls_.push_back(std::move(control));
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
      // ArnSuffix and SecurityControlIds default to the ControlId, RelatedRequirements to none
      // (build.py leaves out what equals the default).
      control.control_id = Member(fields, "ControlId");
      control.arn_suffix = Optional(fields, "ArnSuffix", control.control_id);
      if (const json::value* ids = fields.if_contains("SecurityControlIds")) {
        for (const json::value& id : ids->as_array()) {
          control.security_control_ids.emplace_back(id.as_string());
        }
      } else {
        control.security_control_ids.push_back(control.control_id);
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
      if (const json::value* related = fields.if_contains("RelatedRequirements")) {
        control.related_requirements = related->as_array();
      }
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
