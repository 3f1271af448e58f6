// Fuzzes the input side of every operation: JSON parsing, conversion to the model's types and
// model validation (protocol/input.cc, validate/validator.cc), then the error the service
// answers for a refusal, serialized in its protocol's shape (protocol/validation_error.cc,
// protocol/response.cc).
//
// Input: a first line naming the operation, then the request body. The line is either an
// X-Amz-Target (`AmazonSSM.CreateAssociation`, resolved as the gateway does) or
// `service:Operation` for any service of the catalog (`securityhub:CreateConfigurationPolicy`,
// `sts:AssumeRole`, whose body is then a form).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "base/http_message.h"
#include "model/model.h"
#include "protocol/protocol.h"
#include "validate/validator.h"

namespace {

using namespace cairn;

struct World {
  std::unique_ptr<model::Catalog> catalog = model::Catalog::LoadEmbedded();
  std::vector<std::unique_ptr<validate::Validator>> validators;
  World() {
    for (const model::ServiceModel& service : catalog->services()) {
      validators.push_back(std::make_unique<validate::Validator>(service));
    }
  }
  const validate::Validator& ValidatorFor(const model::ServiceModel* service) const {
    size_t index = 0;
    for (const model::ServiceModel& each : catalog->services()) {
      if (&each == service) break;
      ++index;
    }
    return *validators.at(index);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const World world;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t line_end = text.find('\n');
  const std::string_view line = text.substr(0, line_end);
  HttpRequest request;
  request.method = "POST";
  request.target = "/";
  if (line_end != std::string_view::npos) request.body = std::string(text.substr(line_end + 1));

  protocol::Target target;
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    target.service = world.catalog->Find(line.substr(0, colon));
    if (!target.service) return 0;
    target.operation = target.service->FindOperation(line.substr(colon + 1));
    if (!target.operation) return 0;
    if (target.service->protocol == model::Protocol::kQuery) {
      request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    }
  } else {
    request.headers.emplace_back("x-amz-target", std::string(line));
    Result<protocol::Target> resolved = protocol::ResolveJsonTarget(*world.catalog, line);
    if (!resolved.ok()) {
      (void)protocol::ErrorResponse(nullptr, std::move(resolved).error(), "request-id");
      return 0;
    }
    target = std::move(resolved).value();
  }

  Result<boost::json::value> input = protocol::ParseInput(target, request);
  if (!input.ok()) {
    // SerializationException for JSON, the awsQuery errors for a form: a 4xx either way.
    if (input.error().http_status < 400 || input.error().http_status >= 500) std::abort();
    (void)protocol::ErrorResponse(target.service, std::move(input).error(), "request-id");
    return 0;
  }
  if (!target.operation->input) return 0;
  const validate::Report report =
      world.ValidatorFor(target.service).Validate(*target.operation->input, input.value());
  if (!report.ok()) {
    const AwsError error = protocol::ValidationError(*target.service, report);
    if (error.http_status != 400) std::abort();
    (void)protocol::ErrorResponse(target.service, error, "request-id");
  }
  return 0;
}
