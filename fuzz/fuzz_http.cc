// Fuzzes the whole request path: the bytes one connection sends (requests pipelined) go
// through Beast's HTTP/1.1 parser with the server's default limits, become HttpRequests the
// way http/server.cc builds them, and each is answered by a Gateway wired like main/main.cc
// (every provider, memory journal, virtual clock). State is reset after every input, so an
// input is a self-contained conversation (create, then read, then delete...).
//
// Whatever the bytes, every answer is an HTTP status below 500 except 501 (an operation
// cairn does not implement): a 500 is a provider's exception, i.e. a bug.
#include <algorithm>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "base/http_message.h"
#include "base/log.h"
#include "base/page_token.h"
#include "gateway/gateway.h"
#include "http/server.h"
#include "lifecycle/clock.h"
#include "lifecycle/scheduler.h"
#include "model/model.h"
#include "org/directory.h"
#include "services/config/provider.h"
#include "services/organizations/provider.h"
#include "services/securityhub/provider.h"
#include "services/ssm/provider.h"
#include "services/sts/provider.h"
#include "store/store.h"

namespace {

using namespace cairn;
namespace bhttp = boost::beast::http;

struct World {
  std::unique_ptr<model::Catalog> catalog = model::Catalog::LoadEmbedded();
  store::MemoryJournal journal;
  lifecycle::ManualClock clock{1714521600};  // 2024-05-01T00:00:00Z
  lifecycle::Scheduler scheduler{clock};
  PageTokens page_tokens{"fuzz-page-token-secret"};
  org::Directory directory{journal};
  gateway::Registry registry{*catalog};
  std::unique_ptr<gateway::Gateway> gateway;

  World() {
    log::SetLevel(log::Level::kOff);
    registry.Add(std::make_shared<sts::Provider>());
    registry.Add(
        std::make_shared<organizations::Provider>(directory, scheduler, page_tokens));
    registry.Add(std::make_shared<ssm::Provider>(journal, scheduler, page_tokens, directory));
    registry.Add(std::make_shared<config::Provider>(journal, scheduler, page_tokens, directory));
    registry.Add(
        std::make_shared<securityhub::Provider>(journal, scheduler, page_tokens, directory));
    gateway = std::make_unique<gateway::Gateway>(
        *catalog, registry, clock, scheduler,
        gateway::GatewayOptions{"000000000000", "us-east-1", "fuzz"});
  }
};

// As http/server.cc converts Beast's message.
HttpRequest Convert(bhttp::request<bhttp::string_body>& message) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  static const http::ServerOptions limits;
  size_t offset = 0;
  for (int requests = 0; requests < 16 && offset < size; ++requests) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.header_limit(static_cast<uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    boost::system::error_code error;
    while (offset < size && !parser.is_done()) {
      const size_t used = parser.put(boost::asio::buffer(data + offset, size - offset), error);
      offset += used;
      if (error || used == 0) break;
    }
    if (error == bhttp::error::need_more) parser.put_eof(error);
    if (error || !parser.is_done()) break;  // the server answers 4xx or closes
    bhttp::request<bhttp::string_body> message = parser.release();
    const bool keep_alive = message.keep_alive();
    const HttpResponse response = world.gateway->Handle(Convert(message));
    if (response.status >= 500 && response.status != 501) {
      std::fprintf(stderr, "status %d: %s\n", response.status, response.body.c_str());
      std::abort();
    }
    if (!keep_alive) break;
  }
  HttpRequest reset;
  reset.method = "POST";
  reset.target = "/_cairn/reset";
  if (world.gateway->Handle(reset).status != 200) std::abort();
  return 0;
}
