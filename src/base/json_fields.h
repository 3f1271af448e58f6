// Reading members of JSON documents: the validated inputs providers receive and the stored
// forms of resources. Every reader is lenient in the same way: a member that is absent or of
// another type reads as empty (""/0/false/{}), because inputs were validated against the model
// and stored forms were written by cairn itself.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::json_fields {

std::string Text(const boost::json::object& object, std::string_view member);
std::string Text(const boost::json::value& value, std::string_view member);
double Number(const boost::json::object& object, std::string_view member);
double Number(const boost::json::value& value, std::string_view member);
bool Flag(const boost::json::object& object, std::string_view member, bool fallback = false);
boost::json::object Object(const boost::json::object& object, std::string_view member);
boost::json::array Array(const boost::json::object& object, std::string_view member);

// A list of strings, both ways.
boost::json::array StringsToJson(const std::vector<std::string>& strings);
std::vector<std::string> Strings(const boost::json::object& object, std::string_view member);
std::vector<std::string> Strings(const boost::json::value& value, std::string_view member);

// A string-to-string map (tags), both ways.
boost::json::object StringMapToJson(const std::map<std::string, std::string>& map);
std::map<std::string, std::string> StringMap(const boost::json::object& object,
                                             std::string_view member);

}  // namespace cairn::json_fields
