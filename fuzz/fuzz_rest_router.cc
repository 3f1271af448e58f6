// Fuzzes restJson routing (protocol/routing.cc RestRouter): method and path against every
// route of the model's `requestUri` templates, percent-decoding of labels, then the input
// document built from labels, query string and body, and its validation.
//
// Input: `METHOD /path?query` on the first line, then the body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "base/http_message.h"
#include "model/model.h"
#include "protocol/protocol.h"
#include "validate/validator.h"

namespace {

using namespace cairn;

struct World {
  std::unique_ptr<model::Catalog> catalog = model::Catalog::LoadEmbedded();
  protocol::RestRouter router{*catalog};
  std::unique_ptr<validate::Validator> validator =
      std::make_unique<validate::Validator>(*catalog->Find("securityhub"));
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const World world;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t line_end = text.find('\n');
  const std::string_view line = text.substr(0, line_end);
  const size_t space = line.find(' ');
  if (space == std::string_view::npos) return 0;
  HttpRequest request;
  request.method = std::string(line.substr(0, space));
  request.target = std::string(line.substr(space + 1));
  if (line_end != std::string_view::npos) request.body = std::string(text.substr(line_end + 1));

  Result<protocol::Target> target = world.router.Match(request.method, request.Path());
  if (!target.ok()) {
    const int status = target.error().http_status;
    if (status != 400 && status != 404) std::abort();
    (void)protocol::ErrorResponse(world.catalog->Find("securityhub"), std::move(target).error(),
                                  "request-id");
    return 0;
  }
  Result<boost::json::value> input = protocol::ParseInput(target.value(), request);
  if (!input.ok()) {
    if (input.error().http_status != 400) std::abort();
    return 0;
  }
  const model::Operation& operation = *target.value().operation;
  if (operation.input && target.value().service->name == "securityhub") {
    const validate::Report report = world.validator->Validate(*operation.input, input.value());
    if (!report.ok()) (void)protocol::ValidationError(*target.value().service, report);
  }
  return 0;
}
