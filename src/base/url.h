// Percent-decoding for URI paths, query strings and form bodies (RFC 3986, and
// application/x-www-form-urlencoded where `+` is a space).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cairn::url {

// Decodes `%XX` escapes into `out`. False when an escape is malformed (`%G1`, `%4` at the
// end): the caller answers the request with an error rather than guessing.
bool PercentDecode(std::string_view text, std::string& out, bool plus_is_space = false);

// Splits `a=1&b=2&b=3` into decoded pairs, in order. False on a malformed escape.
bool ParseQuery(std::string_view query, std::vector<std::pair<std::string, std::string>>& out,
                bool plus_is_space);

}  // namespace cairn::url
