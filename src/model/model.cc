#include "model/model.h"

#include <boost/json.hpp>
#include <stdexcept>

namespace cairn::model {
namespace json = boost::json;

const Member* Shape::FindMember(std::string_view member_name) const {
  for (const Member& member : members) {
    if (member.name == member_name) return &member;
  }
  return nullptr;
}

const Shape* ServiceModel::FindShape(std::string_view shape_name) const {
  auto found = shape_index.find(shape_name);
  return found == shape_index.end() ? nullptr : found->second;
}

const Operation* ServiceModel::FindOperation(std::string_view operation_name) const {
  auto found = operation_index.find(operation_name);
  return found == operation_index.end() ? nullptr : found->second;
}

namespace {

[[noreturn]] void Malformed(const ServiceModel& service, std::string_view what) {
  throw std::runtime_error("model " + service.name + ": " + std::string(what));
}

ShapeType ParseType(const ServiceModel& service, std::string_view type) {
  static const std::pair<std::string_view, ShapeType> kTypes[] = {
      {"structure", ShapeType::kStructure},
      {"list", ShapeType::kList},
      {"map", ShapeType::kMap},
      {"string", ShapeType::kString},
      {"integer", ShapeType::kInteger},
      {"long", ShapeType::kLong},
      {"double", ShapeType::kDouble},
      {"float", ShapeType::kFloat},
      {"boolean", ShapeType::kBoolean},
      {"timestamp", ShapeType::kTimestamp},
      {"blob", ShapeType::kBlob},
  };
  for (const auto& [type_name, shape_type] : kTypes) {
    if (type_name == type) return shape_type;
  }
  Malformed(service, "unknown shape type " + std::string(type));
}

Location ParseLocation(std::string_view location) {
  if (location == "uri") return Location::kUri;
  if (location == "querystring") return Location::kQuery;
  if (location == "header") return Location::kHeader;
  return Location::kBody;
}

std::string StringOr(const json::object& node, std::string_view key, std::string fallback = {}) {
  const json::value* value = node.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : fallback;
}

std::optional<int64_t> OptionalInt(const json::object& node, std::string_view key) {
  const json::value* value = node.if_contains(key);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return static_cast<int64_t>(value->get_uint64());
  if (value->is_double()) return static_cast<int64_t>(value->get_double());
  return std::nullopt;
}

const Shape* Resolve(const ServiceModel& service, const json::value& reference) {
  const std::string name = StringOr(reference.as_object(), "shape");
  const Shape* shape = service.FindShape(name);
  if (!shape) Malformed(service, "reference to unknown shape " + name);
  return shape;
}

void LoadService(ServiceModel& service, const json::object& document) {
  const json::object& metadata = document.at("metadata").as_object();
  const std::string protocol = StringOr(metadata, "protocol");
  if (protocol == "json") {
    service.protocol = Protocol::kJson;
  } else if (protocol == "rest-json") {
    service.protocol = Protocol::kRestJson;
  } else if (protocol == "query") {
    service.protocol = Protocol::kQuery;
  } else {
    Malformed(service, "unsupported protocol " + protocol);
  }
  service.target_prefix = StringOr(metadata, "targetPrefix");
  service.signing_name = StringOr(metadata, "signingName", StringOr(metadata, "endpointPrefix"));
  service.api_version = StringOr(metadata, "apiVersion");
  service.xml_namespace = StringOr(metadata, "xmlNamespace");

  // Two passes: create every shape so that references resolve, then fill them in.
  const json::object& shapes = document.at("shapes").as_object();
  for (const auto& entry : shapes) {
    Shape& shape = service.shapes.emplace_back();
    shape.name = std::string(entry.key());
    shape.index = service.shapes.size() - 1;
  }
  for (Shape& shape : service.shapes) service.shape_index.emplace(shape.name, &shape);

  for (Shape& shape : service.shapes) {
    const json::object& node = shapes.at(shape.name).as_object();
    shape.type = ParseType(service, StringOr(node, "type"));
    shape.min = OptionalInt(node, "min");
    shape.max = OptionalInt(node, "max");
    shape.pattern = StringOr(node, "pattern");
    shape.timestamp_format = StringOr(node, "timestampFormat");
    if (const json::value* values = node.if_contains("enum")) {
      for (const json::value& value : values->as_array()) {
        shape.enum_values.emplace_back(value.as_string());
      }
    }
    if (const json::value* is_union = node.if_contains("union"))
      shape.is_union = is_union->as_bool();
    if (node.contains("exception")) {
      shape.is_error = true;
      shape.is_fault = node.contains("fault");
      if (const json::value* error = node.if_contains("error")) {
        shape.error_status =
            static_cast<int>(OptionalInt(error->as_object(), "httpStatusCode").value_or(0));
      }
    }
    if (shape.type == ShapeType::kStructure) {
      std::vector<std::string_view> required;
      if (const json::value* names = node.if_contains("required")) {
        for (const json::value& name : names->as_array()) required.push_back(name.as_string());
      }
      for (const auto& member_entry : node.at("members").as_object()) {
        const json::object& member_node = member_entry.value().as_object();
        Member& member = shape.members.emplace_back();
        member.name = std::string(member_entry.key());
        member.shape = Resolve(service, member_node);
        member.location = ParseLocation(StringOr(member_node, "location"));
        member.location_name = StringOr(member_node, "locationName", member.name);
        for (std::string_view name : required) member.required |= name == member.name;
      }
    } else if (shape.type == ShapeType::kList) {
      shape.list_member = Resolve(service, node.at("member"));
    } else if (shape.type == ShapeType::kMap) {
      shape.map_key = Resolve(service, node.at("key"));
      shape.map_value = Resolve(service, node.at("value"));
    }
  }

  const json::object& operations = document.at("operations").as_object();
  const json::object* paginators = nullptr;
  if (const json::value* value = document.if_contains("paginators"))
    paginators = &value->as_object();
  service.operations.reserve(operations.size());
  for (const auto& entry : operations) {
    const json::object& node = entry.value().as_object();
    Operation& operation = service.operations.emplace_back();
    operation.name = std::string(entry.key());
    operation.index = service.operations.size() - 1;
    const json::object& http = node.at("http").as_object();
    operation.http_method = StringOr(http, "method", "POST");
    operation.request_uri = StringOr(http, "requestUri", "/");
    if (const json::value* input = node.if_contains("input"))
      operation.input = Resolve(service, *input);
    if (const json::value* output = node.if_contains("output")) {
      operation.output = Resolve(service, *output);
    }
    if (const json::value* errors = node.if_contains("errors")) {
      for (const json::value& error : errors->as_array()) {
        operation.errors.push_back(Resolve(service, error));
      }
    }
    if (paginators) {
      if (const json::value* paginator = paginators->if_contains(operation.name)) {
        const json::object& paging = paginator->as_object();
        const json::value* input_token = paging.if_contains("input_token");
        const json::value* output_token = paging.if_contains("output_token");
        if (input_token && input_token->is_string() && output_token && output_token->is_string()) {
          operation.paginator =
              Paginator{std::string(input_token->get_string()),
                        std::string(output_token->get_string()), StringOr(paging, "limit_key")};
        }
      }
    }
  }
  for (const Operation& operation : service.operations) {
    service.operation_index.emplace(operation.name, &operation);
  }
}

}  // namespace

std::unique_ptr<Catalog> Catalog::Load(
    const std::vector<std::pair<std::string, std::string_view>>& documents) {
  auto catalog = std::make_unique<Catalog>();
  for (const auto& [name, text] : documents) {
    ServiceModel& service = catalog->services_.emplace_back();
    service.name = name;
    boost::system::error_code error;
    json::value document = json::parse(text, error);
    if (error || !document.is_object()) Malformed(service, "not a JSON object");
    LoadService(service, document.as_object());
  }
  return catalog;
}

const ServiceModel* Catalog::Find(std::string_view service) const {
  for (const ServiceModel& model : services_) {
    if (model.name == service) return &model;
  }
  return nullptr;
}

}  // namespace cairn::model
