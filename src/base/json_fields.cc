#include "base/json_fields.h"

namespace cairn::json_fields {
namespace json = boost::json;

std::string Text(const json::object& object, std::string_view member) {
  const json::value* value = object.if_contains(member);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::string Text(const json::value& value, std::string_view member) {
  return value.is_object() ? Text(value.get_object(), member) : std::string();
}

double Number(const json::object& object, std::string_view member) {
  const json::value* value = object.if_contains(member);
  return value && value->is_number() ? value->to_number<double>() : 0;
}

double Number(const json::value& value, std::string_view member) {
  return value.is_object() ? Number(value.get_object(), member) : 0;
}

bool Flag(const json::object& object, std::string_view member, bool fallback) {
  const json::value* value = object.if_contains(member);
  return value && value->is_bool() ? value->get_bool() : fallback;
}

json::object Object(const json::object& object, std::string_view member) {
  const json::value* value = object.if_contains(member);
  return value && value->is_object() ? value->get_object() : json::object();
}

json::array Array(const json::object& object, std::string_view member) {
  const json::value* value = object.if_contains(member);
  return value && value->is_array() ? value->get_array() : json::array();
}

json::array StringsToJson(const std::vector<std::string>& strings) {
  json::array out;
  out.reserve(strings.size());
  for (const std::string& item : strings) out.push_back(json::string(item));
  return out;
}

std::vector<std::string> Strings(const json::object& object, std::string_view member) {
  std::vector<std::string> out;
  const json::value* value = object.if_contains(member);
  if (!value || !value->is_array()) return out;
  for (const json::value& item : value->get_array()) {
    if (item.is_string()) out.emplace_back(item.get_string());
  }
  return out;
}

std::vector<std::string> Strings(const json::value& value, std::string_view member) {
  return value.is_object() ? Strings(value.get_object(), member) : std::vector<std::string>();
}

json::object StringMapToJson(const std::map<std::string, std::string>& map) {
  json::object out;
  for (const auto& [key, value] : map) out[key] = value;
  return out;
}

std::map<std::string, std::string> StringMap(const json::object& object, std::string_view member) {
  std::map<std::string, std::string> out;
  const json::value* value = object.if_contains(member);
  if (!value || !value->is_object()) return out;
  for (const auto& entry : value->get_object()) {
    if (entry.value().is_string()) out[entry.key()] = std::string(entry.value().get_string());
  }
  return out;
}

}  // namespace cairn::json_fields
