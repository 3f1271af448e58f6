#include "base/ids.h"

#include <random>

namespace cairn::ids {
namespace {

// xoshiro256** (Blackman & Vigna): fast, small state, good statistical quality. Identifiers
// need uniqueness and unpredictability in tests, not cryptographic strength.
class Xoshiro256 {
 public:
  Xoshiro256() {
    std::random_device device;
    for (uint64_t& word : state_) word = (uint64_t{device()} << 32) ^ device();
  }
  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

 private:
  static uint64_t Rotl(uint64_t value, int bits) {
    return (value << bits) | (value >> (64 - bits));
  }
  uint64_t state_[4];
};

std::string RandomFrom(std::string_view alphabet, size_t length) {
  std::string out(length, '0');
  uint64_t bits = 0;
  int bits_left = 0;
  for (char& character : out) {
    if (bits_left < 8) {
      bits = RandomBits();
      bits_left = 64;
    }
    // Multiply-shift maps 8 random bits onto the alphabet with a bias below 1/8 per draw,
    // which is irrelevant for identifiers.
    character = alphabet[((bits & 0xff) * alphabet.size()) >> 8];
    bits >>= 8;
    bits_left -= 8;
  }
  return out;
}

}  // namespace

uint64_t RandomBits() {
  thread_local Xoshiro256 generator;
  return generator.Next();
}

std::string Uuid() {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t high = RandomBits();
  uint64_t low = RandomBits();
  high = (high & ~uint64_t{0xf000}) | 0x4000;                  // version 4
  low = (low & ~(uint64_t{0xc} << 60)) | (uint64_t{8} << 60);  // variant 10xx
  std::string out(36, '-');
  int nibble_idx = 0;
  for (size_t char_idx = 0; char_idx < out.size(); ++char_idx) {
    if (char_idx == 8 || char_idx == 13 || char_idx == 18 || char_idx == 23) continue;
    const uint64_t word = nibble_idx < 16 ? high : low;
    const int shift = 60 - 4 * (nibble_idx % 16);
    out[char_idx] = kHex[(word >> shift) & 0xf];
    ++nibble_idx;
  }
  return out;
}

std::string RandomHex(size_t length) { return RandomFrom("0123456789abcdef", length); }

std::string RandomLowerAlnum(size_t length) {
  return RandomFrom("0123456789abcdefghijklmnopqrstuvwxyz", length);
}

std::string RandomDigits(size_t length) {
  std::string out = RandomFrom("0123456789", length);
  if (!out.empty() && out[0] == '0') out[0] = RandomFrom("123456789", 1)[0];
  return out;
}

}  // namespace cairn::ids
