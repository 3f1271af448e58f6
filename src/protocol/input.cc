#include <boost/json.hpp>
#include <charconv>

#include "base/url.h"
#include "base/utf8.h"
#include "protocol/protocol.h"

namespace cairn::protocol {
namespace json = boost::json;
using model::Location;
using model::ShapeType;

namespace {

Result<json::value> ParseJsonBody(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return json::value(json::object());
  boost::system::error_code error;
  json::parse_options options;
  options.max_depth = 64;  // deeper than any model shape nests; bounds the parser's stack
  json::value document = json::parse(body, error, {}, options);
  if (error) return errors::SerializationException("Malformed request body: " + error.message());
  if (!document.is_object()) {
    return errors::SerializationException("The request body must be a JSON object");
  }
  return document;
}

// Converts a URI label or query-string value to the JSON type its shape expects, as
// restJson binds them (`?MaxResults=10`, `?OnlyAssociated=true`).
Result<json::value> FromText(const model::Shape& shape, const std::string& text,
                             std::string_view member_name) {
  auto refuse = [&] {
    return errors::SerializationException("Cannot convert '" + text + "' for member " +
                                          std::string(member_name));
  };
  switch (shape.type) {
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      int64_t number = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (error != std::errc() || end != text.data() + text.size()) return refuse();
      return json::value(number);
    }
    case ShapeType::kDouble:
    case ShapeType::kFloat: {
      boost::system::error_code error;
      json::value parsed = json::parse(text, error);
      if (error || !parsed.is_number()) return refuse();
      return parsed;
    }
    case ShapeType::kBoolean:
      if (text == "true") return json::value(true);
      if (text == "false") return json::value(false);
      return refuse();
    default:
      return json::value(json::string(text));
  }
}

Result<json::value> ParseRestInput(const Target& target, const HttpRequest& request) {
  const model::Shape* input = target.operation->input;
  json::object document;
  if (!input) return json::value(std::move(document));
  bool has_body_member = false;
  for (const model::Member& member : input->members) {
    has_body_member |= member.location == Location::kBody;
  }
  if (has_body_member) {
    Result<json::value> body = ParseJsonBody(request.body);
    if (!body.ok()) return std::move(body).error();
    for (auto& entry : body->get_object()) {
      const model::Member* member = input->FindMember(entry.key());
      // Members bound elsewhere are taken only from where the model binds them.
      if (member && member->location == Location::kBody)
        document[entry.key()] = std::move(entry.value());
    }
  }
  for (auto& [member, text] : target.uri_labels) {
    Result<json::value> value = FromText(*member->shape, text, member->name);
    if (!value.ok()) return std::move(value).error();
    document[member->name] = std::move(value).value();
  }
  std::vector<std::pair<std::string, std::string>> params;
  if (!url::ParseQuery(request.Query(), params, false)) {
    return AwsError::Make("InvalidInputException",
                          "The query string has a malformed percent-encoding");
  }
  for (const auto& [key, text] : params) {
    if (!utf8::IsValid(key) || !utf8::IsValid(text)) {
      return AwsError::Make("InvalidInputException",
                            "The query string does not decode to valid UTF-8");
    }
  }
  for (const model::Member& member : input->members) {
    if (member.location != Location::kQuery) continue;
    json::array values;
    for (const auto& [key, text] : params) {
      if (key != member.location_name) continue;
      const model::Shape& element =
          member.shape->type == ShapeType::kList ? *member.shape->list_member : *member.shape;
      Result<json::value> value = FromText(element, text, member.name);
      if (!value.ok()) return std::move(value).error();
      values.push_back(std::move(value).value());
    }
    if (values.empty()) continue;
    if (member.shape->type == ShapeType::kList) {
      document[member.name] = std::move(values);
    } else {
      document[member.name] = std::move(values.front());  // the first of repeated keys
    }
  }
  return json::value(std::move(document));
}

Result<json::value> ParseQueryInput(const Target& target, const HttpRequest& request) {
  // awsQuery input members are flat `Name=value` pairs; the in-scope operation (STS
  // GetCallerIdentity) has none, so Action and Version are all there is to read.
  json::object document;
  std::vector<std::pair<std::string, std::string>> params;
  if (!url::ParseQuery(request.body, params, true) ||
      !url::ParseQuery(request.Query(), params, true)) {
    return AwsError::Make("MalformedQueryString", "The query string is malformed");
  }
  if (target.operation->input) {
    for (const auto& [key, text] : params) {
      const model::Member* member = target.operation->input->FindMember(key);
      if (!member) continue;
      Result<json::value> value = FromText(*member->shape, text, member->name);
      if (!value.ok()) return std::move(value).error();
      document[member->name] = std::move(value).value();
    }
  }
  return json::value(std::move(document));
}

}  // namespace

Result<json::value> ParseInput(const Target& target, const HttpRequest& request) {
  switch (target.service->protocol) {
    case model::Protocol::kJson:
      // awsJson operations are all POST / (Smithy's awsJson1_1 protocol); AWS's front ends do
      // not route another method to the operation its X-Amz-Target names.
      if (request.method != "POST") {
        return errors::UnknownOperationException("awsJson requests must use POST, not " +
                                                 request.method);
      }
      return ParseJsonBody(request.body);
    case model::Protocol::kRestJson:
      return ParseRestInput(target, request);
    case model::Protocol::kQuery:
      return ParseQueryInput(target, request);
  }
  return errors::InternalFailure();
}

}  // namespace cairn::protocol
