// Fuzzes conformance pack templates (services/config/template.h): YAML or JSON TemplateBody,
// short-form tags, intrinsic functions. Whatever the text, Parse() and Resolve() answer a value
// or ConformancePackTemplateValidationException.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "services/config/template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cairn::config::templates;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const cairn::Result<Template> parsed = Template::Parse(text);
  if (!parsed.ok()) {
    if (parsed.error().code != "ConformancePackTemplateValidationException") std::abort();
    return 0;
  }
  if (parsed.value().resource_count() > kMaxResources) std::abort();
  const std::map<std::string, std::string> inputs = {{"MaxPasswordAge", "90"},
                                                     {"Environment", "prod"}};
  const auto rules = parsed.value().Resolve(inputs, "111111111111", "us-east-1");
  if (!rules.ok() && rules.error().code != "ConformancePackTemplateValidationException") {
    std::abort();
  }
  (void)parsed.value().Resolve({}, "222222222222", "eu-west-1");
  return 0;
}
