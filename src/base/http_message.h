// HttpRequest / HttpResponse: the plain values that pass between the HTTP layer and the
// gateway. They know nothing of sockets or Beast, so the gateway and everything below it can
// be tested by building a request by hand.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn {

struct HttpRequest {
  std::string method;  // upper case, e.g. "POST"
  std::string target;  // path and query as sent, still percent-encoded
  // Header names are lower-cased by the HTTP layer; values are kept as sent.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header of that (lower-case) name, or empty.
  std::string_view Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return value;
    }
    return {};
  }
  bool HasHeader(std::string_view lower_name) const {
    for (const auto& header : headers) {
      if (header.first == lower_name) return true;
    }
    return false;
  }
  std::string_view Path() const {
    const size_t query = target.find('?');
    return std::string_view(target).substr(0, query);
  }
  std::string_view Query() const {
    const size_t query = target.find('?');
    return query == std::string::npos ? std::string_view()
                                      : std::string_view(target).substr(query + 1);
  }
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Not sent: what the access log says about the request ("ssm.CreateAssociation" and the
  // account and region it acted as), filled by the gateway as it learns them.
  std::string log_operation;
  std::string log_account;
  std::string log_region;

  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace cairn
