// Pattern: one model `pattern` compiled for matching with Smithy's semantics (search, not
// full match, unless the pattern anchors itself), on RE2 so that matching is linear-time
// whatever a client sends.
//
// RE2 has no lookaround. The few model patterns that use a leading negative lookahead
// `^(?!X)Y` are rewritten explicitly as "must not match ^X, must match ^Y" (see kRewrites in
// pattern.cc); any other pattern RE2 cannot compile is a startup error, never skipped.
//
// Compiling is deferred to first use (or Compile()): RE2 compilation of every model pattern is
// most of cairn's startup time, none of it is needed to answer the first request, and a
// compiled RE2 holds memory, so a pattern no request has used is never compiled (issue 8: idle
// RSS; cairn used to compile them all on a thread after it started listening). pattern_test.cc
// compiles every embedded model pattern, so a pattern that cannot compile fails the build's
// tests, not a request. Thread-safe: compilation happens once, under std::call_once.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace cairn::validate {

class Pattern {
 public:
  explicit Pattern(const std::string& model_pattern) : source_(model_pattern) {}

  // Compiles now if not yet done. Throws std::runtime_error when the pattern can be neither
  // compiled nor rewritten.
  void Compile() const;
  bool Matches(std::string_view text) const;
  // The pattern as the model writes it, for error messages.
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  mutable std::once_flag compiled_;
  mutable std::unique_ptr<RE2> must_match_;
  mutable std::unique_ptr<RE2> must_not_match_;  // null unless the pattern had a lookahead
};

}  // namespace cairn::validate
