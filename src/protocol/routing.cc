#include <algorithm>

#include "base/url.h"
#include "base/utf8.h"
#include "protocol/protocol.h"

namespace cairn::protocol {

Result<Target> ResolveJsonTarget(const model::Catalog& catalog, std::string_view target_header) {
  const size_t dot = target_header.rfind('.');
  if (dot == std::string_view::npos) {
    return errors::UnknownOperationException("Unable to determine the operation from X-Amz-Target");
  }
  const std::string_view prefix = target_header.substr(0, dot);
  const std::string_view operation_name = target_header.substr(dot + 1);
  for (const model::ServiceModel& service : catalog.services()) {
    if (service.protocol != model::Protocol::kJson || service.target_prefix != prefix) continue;
    const model::Operation* operation = service.FindOperation(operation_name);
    if (!operation) break;
    return Target{&service, operation, {}};
  }
  return errors::UnknownOperationException("Unknown operation " + std::string(target_header));
}

RestRouter::RestRouter(const model::Catalog& catalog) {
  for (const model::ServiceModel& service : catalog.services()) {
    if (service.protocol != model::Protocol::kRestJson) continue;
    for (const model::Operation& operation : service.operations) {
      Route route{&service, &operation, {}, 0};
      std::string_view uri = operation.request_uri;
      uri = uri.substr(0, uri.find('?'));  // literal query parts are not used in scope
      size_t start = 1;
      while (start <= uri.size()) {
        size_t end = uri.find('/', start);
        if (end == std::string_view::npos) end = uri.size();
        std::string_view piece = uri.substr(start, end - start);
        Segment segment;
        if (piece.size() > 2 && piece.front() == '{' && piece.back() == '}') {
          piece = piece.substr(1, piece.size() - 2);
          if (piece.back() == '+') {
            segment.greedy = true;
            piece.remove_suffix(1);
          }
          for (const model::Member& member : operation.input->members) {
            if (member.location == model::Location::kUri && member.location_name == piece) {
              segment.label = &member;
            }
          }
          if (!segment.label) {
            throw std::runtime_error("model " + service.name + ": " + operation.name +
                                     " has an unbound URI label");
          }
        } else {
          segment.literal = std::string(piece);
          ++route.literal_count;
        }
        route.segments.push_back(std::move(segment));
        start = end + 1;
      }
      routes_.push_back(std::move(route));
    }
  }
  // Most specific first, so `/configurationPolicy/list` wins over `/configurationPolicy/{Id}`.
  std::stable_sort(routes_.begin(), routes_.end(), [](const Route& left, const Route& right) {
    return left.literal_count > right.literal_count;
  });
}

Result<Target> RestRouter::Match(std::string_view method, std::string_view path) const {
  std::vector<std::string_view> pieces;
  if (path.empty() || path.front() != '/') {
    return AwsError::Make("UnknownOperationException", "No operation matches the request path",
                          404);
  }
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    pieces.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (pieces.size() > 1 && pieces.back().empty()) pieces.pop_back();  // trailing slash

  for (const Route& route : routes_) {
    if (route.operation->http_method != method) continue;
    Target target{route.service, route.operation, {}};
    bool matched = true;
    size_t piece_idx = 0;
    for (const Segment& segment : route.segments) {
      if (piece_idx >= pieces.size()) {
        matched = false;
        break;
      }
      if (!segment.label) {
        if (pieces[piece_idx] != segment.literal) {
          matched = false;
          break;
        }
        ++piece_idx;
        continue;
      }
      std::string_view raw = pieces[piece_idx];
      if (segment.greedy) {
        const char* begin = pieces[piece_idx].data();
        const char* end = pieces.back().data() + pieces.back().size();
        raw = std::string_view(begin, static_cast<size_t>(end - begin));
        piece_idx = pieces.size();
      } else {
        ++piece_idx;
      }
      if (raw.empty()) {
        matched = false;
        break;
      }
      std::string decoded;
      if (!url::PercentDecode(raw, decoded)) {
        return AwsError::Make("InvalidInputException",
                              "The request path has a malformed percent-encoding", 400);
      }
      // A label becomes a string member, which must be text: bytes that are not UTF-8 would
      // reach the provider (and every response quoting them) as malformed JSON.
      if (!utf8::IsValid(decoded)) {
        return AwsError::Make("InvalidInputException",
                              "The request path does not decode to valid UTF-8", 400);
      }
      target.uri_labels.emplace_back(segment.label, std::move(decoded));
    }
    if (matched && piece_idx == pieces.size()) return target;
  }
  return AwsError::Make("UnknownOperationException",
                        "No operation matches " + std::string(method) + " " + std::string(path),
                        404);
}

Result<Target> ResolveQueryAction(const model::ServiceModel& service, const HttpRequest& request) {
  std::vector<std::pair<std::string, std::string>> params;
  const bool form =
      request.Header("content-type").find("x-www-form-urlencoded") != std::string_view::npos;
  if ((form && !url::ParseQuery(request.body, params, true)) ||
      !url::ParseQuery(request.Query(), params, true)) {
    return AwsError::Make("MalformedQueryString", "The query string is malformed", 400);
  }
  for (const auto& [key, value] : params) {
    if (key != "Action") continue;
    if (const model::Operation* operation = service.FindOperation(value)) {
      return Target{&service, operation, {}};
    }
    return AwsError::Make(
        "InvalidAction",
        "Could not find operation " + value + " for version " + service.api_version, 400);
  }
  return AwsError::Make("MissingAction", "Missing Action", 400);
}

}  // namespace cairn::protocol
