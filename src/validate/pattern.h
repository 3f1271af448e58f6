// Pattern: one model `pattern` compiled for matching with Smithy's semantics (search, not
// full match, unless the pattern anchors itself), on RE2 so that matching is linear-time
// whatever a client sends.
//
// RE2 has no lookaround. The few model patterns that use a leading negative lookahead
// `^(?!X)Y` are rewritten explicitly as "must not match ^X, must match ^Y" (see kRewrites in
// pattern.cc); any other pattern RE2 cannot compile is a startup error, never skipped.
// Immutable after construction; Matches() is safe from any thread.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>

namespace cairn::validate {

class Pattern {
 public:
  // Throws std::runtime_error when the pattern can be neither compiled nor rewritten.
  explicit Pattern(const std::string& model_pattern);

  bool Matches(std::string_view text) const;
  // The pattern as the model writes it, for error messages.
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::unique_ptr<RE2> must_match_;
  std::unique_ptr<RE2> must_not_match_;  // null unless the pattern had a lookahead
};

}  // namespace cairn::validate
