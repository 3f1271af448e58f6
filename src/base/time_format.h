// Timestamps as AWS writes them. cairn keeps every instant as seconds since the Unix epoch in
// a double (millisecond precision is what AWS returns); these functions render it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cairn::time_format {

// `2024-05-01T12:34:56.789Z` (ISO-8601, UTC, milliseconds), restJson's `iso8601` format.
std::string Iso8601(double epoch_seconds);

// Seconds rounded to milliseconds, as awsJson services send them (`1714566896.789`).
double EpochMillisPrecision(double epoch_seconds);

// Parses `2024-05-01T12:34:56Z`, with optional fractional seconds and `+hh:mm` offset.
std::optional<double> ParseIso8601(std::string_view text);

}  // namespace cairn::time_format
