// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), in-tree.
//
// cairn needs only these two primitives (SigV4 signatures, page-token MACs, SSM document
// hashes); linking libcrypto for them cost ~3.4 MiB of resident pages and ~1 ms of dynamic
// relocation at every start (issue 8). Not hardened against timing side channels beyond
// ConstantTimeEqual: nothing secret flows through data-dependent branches here, and cairn is an
// emulator, not a key store. Stateless functions and a value-type Hasher; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::sha256 {

inline constexpr size_t kDigestSize = 32;
inline constexpr size_t kBlockSize = 64;
using Digest = std::array<unsigned char, kDigestSize>;

// Incremental hashing: Update any number of times, then Final once.
class Hasher {
 public:
  // kAuto uses the x86 SHA extensions when the CPU has them (about 10x faster: SSM hashes its
  // ~75 KB of AWS documents at every start); kPortable is plain C++ (tests compare the two).
  enum class Implementation { kAuto, kPortable };
  explicit Hasher(Implementation implementation = Implementation::kAuto);
  void Update(std::string_view data);
  Digest Final();

 private:
  void Compress(const unsigned char* blocks, size_t count);
  bool use_extensions_;
  uint32_t state_[8];
  unsigned char buffer_[kBlockSize];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

Digest Hash(std::string_view data);
Digest Hmac(std::string_view key, std::string_view data);

// Lower-case hex of a digest (64 characters).
std::string Hex(const Digest& digest);
std::string HexHash(std::string_view data);

// The digest's bytes as a string (e.g. to chain HMACs, as SigV4's key derivation does).
inline std::string Bytes(const Digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

// Compares `size` bytes in time independent of where they differ.
bool ConstantTimeEqual(const void* left, const void* right, size_t size);

}  // namespace cairn::sha256
