#include <boost/json.hpp>

#include "base/time_format.h"
#include "base/utf8.h"
#include "protocol/protocol.h"

namespace cairn::protocol {
namespace json = boost::json;
using model::ShapeType;

namespace {

constexpr std::string_view kAmzJson = "application/x-amz-json-1.1";

enum class TimestampStyle { kEpochSeconds, kIso8601 };

TimestampStyle StyleFor(const model::ServiceModel& service, const model::Shape& shape) {
  if (shape.timestamp_format == "iso8601") return TimestampStyle::kIso8601;
  if (shape.timestamp_format == "unixTimestamp") return TimestampStyle::kEpochSeconds;
  return service.protocol == model::Protocol::kJson ||
                 service.protocol == model::Protocol::kRestJson
             ? TimestampStyle::kEpochSeconds
             : TimestampStyle::kIso8601;
}

// Brings a provider's output document to the wire form its shape asks for: absent (null)
// members and members the shape does not have are dropped (so a provider can build one
// document for several output shapes, e.g. AssociationDescription and Association), and
// timestamps, which providers keep as epoch seconds, are written in the shape's format.
void ShapeOutput(const model::ServiceModel& service, const model::Shape& shape,
                 json::value& value) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      if (!value.is_object()) return;
      json::object& object = value.get_object();
      for (auto entry = object.begin(); entry != object.end();) {
        if (entry->value().is_null()) {
          entry = object.erase(entry);
          continue;
        }
        const model::Member* member = shape.FindMember(entry->key());
        if (!member) {
          entry = object.erase(entry);
          continue;
        }
        ShapeOutput(service, *member->shape, entry->value());
        ++entry;
      }
      return;
    }
    case ShapeType::kList:
      if (!value.is_array()) return;
      for (json::value& element : value.get_array())
        ShapeOutput(service, *shape.list_member, element);
      return;
    case ShapeType::kMap:
      if (!value.is_object()) return;
      for (auto& entry : value.get_object()) ShapeOutput(service, *shape.map_value, entry.value());
      return;
    case ShapeType::kTimestamp:
      if (!value.is_number()) return;
      if (StyleFor(service, shape) == TimestampStyle::kIso8601) {
        value = time_format::Iso8601(value.to_number<double>());
      } else {
        value = time_format::EpochMillisPrecision(value.to_number<double>());
      }
      return;
    default:
      return;
  }
}

// Client bytes quoted in a message may be neither UTF-8 nor characters XML 1.0 allows
// (section 2.2: no C0 controls but tab, CR and LF): each becomes U+FFFD, so that the document
// still parses.
void XmlEscape(std::string_view text, std::string& out) {
  if (!utf8::IsValid(text)) return XmlEscape(utf8::Sanitize(text), out);
  for (char character : text) {
    if (static_cast<unsigned char>(character) < 0x20 && character != '\t' && character != '\n' &&
        character != '\r') {
      out.append("\xEF\xBF\xBD");
      continue;
    }
    switch (character) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      case '\'':
        out.append("&apos;");
        break;
      default:
        out.push_back(character);
    }
  }
}

void XmlValue(const model::Shape& shape, const json::value& value, std::string& out) {
  switch (shape.type) {
    case ShapeType::kStructure:
      for (const model::Member& member : shape.members) {
        const json::value* member_value =
            value.is_object() ? value.get_object().if_contains(member.name) : nullptr;
        if (!member_value || member_value->is_null()) continue;
        out.append("<").append(member.location_name).append(">");
        XmlValue(*member.shape, *member_value, out);
        out.append("</").append(member.location_name).append(">");
      }
      return;
    case ShapeType::kList:
      if (!value.is_array()) return;
      for (const json::value& element : value.get_array()) {
        out.append("<member>");
        XmlValue(*shape.list_member, element, out);
        out.append("</member>");
      }
      return;
    case ShapeType::kTimestamp:
      if (value.is_number()) out.append(time_format::Iso8601(value.to_number<double>()));
      return;
    default:
      if (value.is_string()) {
        XmlEscape(value.get_string(), out);
      } else {
        out.append(json::serialize(value));
      }
  }
}

void AddCommonHeaders(HttpResponse& response, std::string_view content_type,
                      std::string_view request_id) {
  response.SetHeader("Content-Type", std::string(content_type));
  response.SetHeader("x-amzn-RequestId", std::string(request_id));
}

const model::Shape* ModelledError(const model::ServiceModel* service, std::string_view code) {
  if (!service) return nullptr;
  const model::Shape* shape = service->FindShape(code);
  return shape && shape->is_error ? shape : nullptr;
}

}  // namespace

HttpResponse SuccessResponse(const model::ServiceModel& service, const model::Operation& operation,
                             json::object output, std::string_view request_id) {
  HttpResponse response;
  if (service.protocol == model::Protocol::kQuery) {
    AddCommonHeaders(response, "text/xml", request_id);
    std::string& body = response.body;
    body.append("<")
        .append(operation.name)
        .append("Response xmlns=\"")
        .append(service.xml_namespace)
        .append("\">");
    body.append("<").append(operation.name).append("Result>");
    if (operation.output) XmlValue(*operation.output, json::value(std::move(output)), body);
    body.append("</").append(operation.name).append("Result>");
    body.append("<ResponseMetadata><RequestId>")
        .append(request_id)
        .append("</RequestId></ResponseMetadata>");
    body.append("</").append(operation.name).append("Response>");
    return response;
  }
  AddCommonHeaders(response,
                   service.protocol == model::Protocol::kJson ? kAmzJson : "application/json",
                   request_id);
  json::value document(std::move(output));
  if (operation.output) ShapeOutput(service, *operation.output, document);
  response.body = json::serialize(document);
  return response;
}

HttpResponse ErrorResponse(const model::ServiceModel* service, AwsError error,
                           std::string_view request_id) {
  HttpResponse response;
  // Messages quote what the client sent (an X-Amz-Target, an Action), which may not be UTF-8.
  error.message = utf8::Sanitize(error.message);
  const model::Shape* shape = ModelledError(service, error.code);
  // The model's status is authoritative where it gives one (restJson error traits).
  response.status = shape && shape->error_status ? shape->error_status : error.http_status;
  const model::Protocol protocol = service ? service->protocol : model::Protocol::kJson;

  if (protocol == model::Protocol::kQuery) {
    AddCommonHeaders(response, "text/xml", request_id);
    std::string& body = response.body;
    body.append("<ErrorResponse xmlns=\"")
        .append(service->xml_namespace)
        .append("\"><Error><Type>");
    body.append(response.status >= 500 ? "Receiver" : "Sender").append("</Type><Code>");
    XmlEscape(error.code, body);
    body.append("</Code><Message>");
    XmlEscape(error.message, body);
    body.append("</Message></Error><RequestId>")
        .append(request_id)
        .append("</RequestId></ErrorResponse>");
    return response;
  }

  json::object body = std::move(error.fields);
  if (protocol == model::Protocol::kRestJson) {
    AddCommonHeaders(response, "application/json", request_id);
    response.SetHeader("x-amzn-ErrorType", error.code);
    body["Code"] = error.code;
    body["Message"] = error.message;
  } else {
    AddCommonHeaders(response, kAmzJson, request_id);
    body["__type"] = error.code;
    body["message"] = error.message;
    // Modelled error members are parsed back by exact name; most SSM and Organizations
    // error shapes spell it `Message`.
    if (shape && shape->FindMember("Message")) body["Message"] = error.message;
  }
  response.body = json::serialize(body);
  return response;
}

}  // namespace cairn::protocol
