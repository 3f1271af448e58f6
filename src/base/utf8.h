// UTF-8 checks for text that reaches cairn without a JSON parser validating it first (percent-
// decoded URI labels and query values, header values) and for text cairn writes back into a
// response (error messages that quote what the client sent). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cairn::utf8 {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF).
bool IsValid(std::string_view text);

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD, so a
// message quoting client input stays valid in a JSON or XML response.
std::string Sanitize(std::string_view text);

}  // namespace cairn::utf8
