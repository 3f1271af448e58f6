#include "base/sha256.h"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace cairn::sha256 {
namespace {

// FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube roots of the
// first 64 primes.
constexpr uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// Section 5.3.3: the first 32 bits of the fractional parts of the square roots of the first 8
// primes.
constexpr uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

constexpr uint32_t Rotr(uint32_t value, int bits) {
  return (value >> bits) | (value << (32 - bits));
}

uint32_t LoadBigEndian(const unsigned char* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

void StoreBigEndian(uint32_t value, unsigned char* bytes) {
  bytes[0] = static_cast<unsigned char>(value >> 24);
  bytes[1] = static_cast<unsigned char>(value >> 16);
  bytes[2] = static_cast<unsigned char>(value >> 8);
  bytes[3] = static_cast<unsigned char>(value);
}

// Section 6.2.2, one block.
void CompressPortable(uint32_t* state, const unsigned char* block) {
  uint32_t schedule[64];
  for (int word_idx = 0; word_idx < 16; ++word_idx) {
    schedule[word_idx] = LoadBigEndian(block + 4 * word_idx);
  }
  for (int word_idx = 16; word_idx < 64; ++word_idx) {
    const uint32_t w15 = schedule[word_idx - 15];
    const uint32_t w2 = schedule[word_idx - 2];
    const uint32_t sigma0 = Rotr(w15, 7) ^ Rotr(w15, 18) ^ (w15 >> 3);
    const uint32_t sigma1 = Rotr(w2, 17) ^ Rotr(w2, 19) ^ (w2 >> 10);
    schedule[word_idx] = schedule[word_idx - 16] + sigma0 + schedule[word_idx - 7] + sigma1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int round_idx = 0; round_idx < 64; ++round_idx) {
    const uint32_t big_sigma1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
    const uint32_t choose = (e & f) ^ (~e & g);
    const uint32_t t1 = h + big_sigma1 + choose + kRound[round_idx] + schedule[round_idx];
    const uint32_t big_sigma0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
    const uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
    const uint32_t t2 = big_sigma0 + majority;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

#if defined(__x86_64__)
bool CpuHasShaExtensions() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  const bool ssse3_and_sse41 = (ecx & bit_SSSE3) && (ecx & bit_SSE4_1);
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  return ssse3_and_sse41 && (ebx & bit_SHA);
}

// The same rounds with the SHA-NI instructions (Intel's "Intel SHA Extensions" white paper):
// the state lives as ABEF/CDGH vectors, sha256rnds2 does two rounds, sha256msg1/msg2 extend
// the message schedule four words at a time.
__attribute__((target("sha,ssse3,sse4.1"))) void CompressExtensions(uint32_t* state,
                                                                    const unsigned char* blocks,
                                                                    size_t count) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0]));
  __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4]));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
  for (size_t block_idx = 0; block_idx < count; ++block_idx, blocks += kBlockSize) {
    const __m128i abef_before = abef;
    const __m128i cdgh_before = cdgh;
    __m128i words[4];
#pragma GCC unroll 16
    for (int group_idx = 0; group_idx < 16; ++group_idx) {
      __m128i& current = words[group_idx % 4];
      if (group_idx < 4) {
        current = _mm_shuffle_epi8(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * group_idx)), byte_swap);
      } else {
        // W[t..t+3] = W[t-16] + s0(W[t-15]) + W[t-7] + s1(W[t-2]), for four t at once.
        const __m128i previous = words[(group_idx + 3) % 4];
        const __m128i before_previous = words[(group_idx + 2) % 4];
        __m128i next = _mm_sha256msg1_epu32(current, words[(group_idx + 1) % 4]);
        next = _mm_add_epi32(next, _mm_alignr_epi8(previous, before_previous, 4));
        current = _mm_sha256msg2_epu32(next, previous);
      }
      __m128i message = _mm_add_epi32(
          current, _mm_loadu_si128(reinterpret_cast<const __m128i*>(&kRound[4 * group_idx])));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
      message = _mm_shuffle_epi32(message, 0x0E);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, message);
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  dcba = _mm_blend_epi16(feba, dchg, 0xF0);
  hgfe = _mm_alignr_epi8(dchg, feba, 8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), dcba);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), hgfe);
}
#endif

}  // namespace

Hasher::Hasher(Implementation implementation) {
#if defined(__x86_64__)
  static const bool kCpuHasShaExtensions = CpuHasShaExtensions();
  use_extensions_ = implementation == Implementation::kAuto && kCpuHasShaExtensions;
#else
  use_extensions_ = false;
#endif
  std::memcpy(state_, kInitial, sizeof state_);
}

void Hasher::Compress(const unsigned char* blocks, size_t count) {
#if defined(__x86_64__)
  if (use_extensions_) return CompressExtensions(state_, blocks, count);
#endif
  for (size_t block_idx = 0; block_idx < count; ++block_idx) {
    CompressPortable(state_, blocks + block_idx * kBlockSize);
  }
}

void Hasher::Update(std::string_view data) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  size_t size = data.size();
  total_bytes_ += size;
  if (buffered_ > 0) {
    const size_t take = std::min(size, kBlockSize - buffered_);
    std::memcpy(buffer_ + buffered_, bytes, take);
    buffered_ += take;
    bytes += take;
    size -= take;
    if (buffered_ < kBlockSize) return;
    Compress(buffer_, 1);
    buffered_ = 0;
  }
  const size_t whole_blocks = size / kBlockSize;
  Compress(bytes, whole_blocks);
  bytes += whole_blocks * kBlockSize;
  size -= whole_blocks * kBlockSize;
  std::memcpy(buffer_, bytes, size);
  buffered_ = size;
}

// Section 5.1.1: a 1 bit, zeros up to 56 mod 64 bytes, then the length in bits, big-endian.
Digest Hasher::Final() {
  const uint64_t total_bits = total_bytes_ * 8;
  buffer_[buffered_++] = 0x80;
  if (buffered_ > kBlockSize - 8) {
    std::memset(buffer_ + buffered_, 0, kBlockSize - buffered_);
    Compress(buffer_, 1);
    buffered_ = 0;
  }
  std::memset(buffer_ + buffered_, 0, kBlockSize - 8 - buffered_);
  StoreBigEndian(static_cast<uint32_t>(total_bits >> 32), buffer_ + kBlockSize - 8);
  StoreBigEndian(static_cast<uint32_t>(total_bits), buffer_ + kBlockSize - 4);
  Compress(buffer_, 1);
  Digest digest;
  for (int word_idx = 0; word_idx < 8; ++word_idx) {
    StoreBigEndian(state_[word_idx], digest.data() + 4 * word_idx);
  }
  return digest;
}

Digest Hash(std::string_view data) {
  Hasher hasher;
  hasher.Update(data);
  return hasher.Final();
}

// RFC 2104: H((K ^ opad) || H((K ^ ipad) || data)), K hashed first when longer than a block.
Digest Hmac(std::string_view key, std::string_view data) {
  unsigned char padded_key[kBlockSize] = {};
  if (key.size() > kBlockSize) {
    const Digest hashed_key = Hash(key);
    std::memcpy(padded_key, hashed_key.data(), hashed_key.size());
  } else {
    std::memcpy(padded_key, key.data(), key.size());
  }
  unsigned char pad[kBlockSize];
  for (size_t byte_idx = 0; byte_idx < kBlockSize; ++byte_idx) {
    pad[byte_idx] = padded_key[byte_idx] ^ 0x36;
  }
  Hasher inner;
  inner.Update(std::string_view(reinterpret_cast<const char*>(pad), kBlockSize));
  inner.Update(data);
  const Digest inner_digest = inner.Final();
  for (size_t byte_idx = 0; byte_idx < kBlockSize; ++byte_idx) {
    pad[byte_idx] = padded_key[byte_idx] ^ 0x5c;
  }
  Hasher outer;
  outer.Update(std::string_view(reinterpret_cast<const char*>(pad), kBlockSize));
  outer.Update(
      std::string_view(reinterpret_cast<const char*>(inner_digest.data()), inner_digest.size()));
  return outer.Final();
}

std::string Hex(const Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex(digest.size() * 2, '0');
  for (size_t byte_idx = 0; byte_idx < digest.size(); ++byte_idx) {
    hex[2 * byte_idx] = kDigits[digest[byte_idx] >> 4];
    hex[2 * byte_idx + 1] = kDigits[digest[byte_idx] & 0xf];
  }
  return hex;
}

std::string HexHash(std::string_view data) { return Hex(Hash(data)); }

bool ConstantTimeEqual(const void* left, const void* right, size_t size) {
  const auto* left_bytes = static_cast<const volatile unsigned char*>(left);
  const auto* right_bytes = static_cast<const volatile unsigned char*>(right);
  unsigned char difference = 0;
  for (size_t byte_idx = 0; byte_idx < size; ++byte_idx) {
    difference |= left_bytes[byte_idx] ^ right_bytes[byte_idx];
  }
  return difference == 0;
}

}  // namespace cairn::sha256
