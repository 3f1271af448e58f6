#include "validate/pattern.h"

#include <stdexcept>

namespace cairn::validate {
namespace {

struct Rewrite {
  std::string_view model_pattern;
  std::string_view must_not_match;
  std::string_view must_match;
};

// Every lookahead pattern of the in-scope models, rewritten by hand. pattern_test.cc checks
// each rewrite against strings on both sides of the lookahead.
constexpr Rewrite kRewrites[] = {
    // securityhub TagKey: not starting with `aws:`.
    {R"(^(?!aws:)[a-zA-Z+-=._:/]+$)", R"(^aws:)", R"(^[a-zA-Z+-=._:/]+$)"},
    // ssm: not empty or only white space.
    {R"(^(?!\s*$).+)", R"(^\s*$)", R"(^.+)"},
};

// Java regexes write a code point as `\uXXXX`; RE2 spells it `\x{XXXX}`.
std::string TranslateJavaEscapes(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size());
  for (size_t pos = 0; pos < pattern.size(); ++pos) {
    if (pattern[pos] == '\\' && pos + 1 < pattern.size()) {
      if (pattern[pos + 1] == 'u' && pos + 5 < pattern.size()) {
        out.append("\\x{").append(pattern.substr(pos + 2, 4)).append("}");
        pos += 5;
      } else {
        out.append(pattern.substr(pos, 2));  // any other escape passes through untouched
        ++pos;
      }
      continue;
    }
    out.push_back(pattern[pos]);
  }
  return out;
}

std::unique_ptr<RE2> CompileRe2(std::string_view java_pattern, const std::string& source) {
  const std::string pattern = TranslateJavaEscapes(java_pattern);
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  auto compiled = std::make_unique<RE2>(pattern, options);
  if (!compiled->ok()) {
    throw std::runtime_error("model pattern cannot be compiled: " + source + ": " +
                             compiled->error());
  }
  return compiled;
}

}  // namespace

void Pattern::Compile() const {
  std::call_once(compiled_, [this] {
    for (const Rewrite& rewrite : kRewrites) {
      if (rewrite.model_pattern == source_) {
        must_match_ = CompileRe2(rewrite.must_match, source_);
        must_not_match_ = CompileRe2(rewrite.must_not_match, source_);
        return;
      }
    }
    if (source_.find("(?=") != std::string::npos || source_.find("(?!") != std::string::npos ||
        source_.find("(?<") != std::string::npos) {
      throw std::runtime_error("model pattern uses lookaround with no rewrite in pattern.cc: " +
                               source_);
    }
    must_match_ = CompileRe2(source_, source_);
  });
}

bool Pattern::Matches(std::string_view text) const {
  Compile();
  if (must_not_match_ && RE2::PartialMatch(text, *must_not_match_)) return false;
  return RE2::PartialMatch(text, *must_match_);
}

}  // namespace cairn::validate
