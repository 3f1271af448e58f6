// Random identifiers in the formats AWS uses: request ids and UUIDs, lowercase hex strings.
// Thread-safe: each thread draws from its own generator, seeded once from the OS.
#pragma once

#include <cstdint>
#include <string>

namespace cairn::ids {

// 64 random bits from the calling thread's generator.
uint64_t RandomBits();

// A version-4 UUID, `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lowercase.
std::string Uuid();

// `length` random characters from [0-9a-f].
std::string RandomHex(size_t length);

// `length` random characters from [0-9a-z] (Organizations ids use this alphabet).
std::string RandomLowerAlnum(size_t length);

// `length` random decimal digits, the first one non-zero.
std::string RandomDigits(size_t length);

}  // namespace cairn::ids
