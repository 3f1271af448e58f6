#include "base/sha256.h"

#include <gtest/gtest.h>

namespace cairn::sha256 {
namespace {

std::string HexOf(std::string_view bytes) {
  Digest digest{};
  EXPECT_LE(bytes.size(), digest.size());
  std::copy(bytes.begin(), bytes.end(), digest.begin());
  return Hex(digest).substr(0, bytes.size() * 2);
}

// NIST "Secure Hashing" example values (SHA256.pdf, SHA2_Additional) for FIPS 180-4.
TEST(Sha256Test, NistVectors) {
  EXPECT_EQ(HexHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexHash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexHash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(
      HexHash("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqk"
              "lmnopqrlmnopqrsmnopqrstnopqrstu"),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(HexHash(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the padding boundary (55, 56, 63, 64, 65 bytes) and incremental updates that
// straddle blocks give the same digest as one Update.
TEST(Sha256Test, IncrementalMatchesOneShotAtEveryBoundary) {
  // Values from Python's hashlib (an independent implementation).
  EXPECT_EQ(HexHash(std::string(55, 'q')),
            "85528b5baff5639cb8e7daca79d085ac29ac0978e873ed7527158616b2b6c379");
  EXPECT_EQ(HexHash(std::string(56, 'q')),
            "f8ce2f8d6990c639668fe404262f35ed72d8bb145ad6bae786af7284447386df");
  EXPECT_EQ(HexHash(std::string(63, 'q')),
            "9b49777003a4143d8c3f4d3002eb631c6bda8b030a3ccc87f8a21d5f61c89e87");
  EXPECT_EQ(HexHash(std::string(64, 'q')),
            "ee8e658590c9a5e119400a774415a01db104de1ee6e2c29ec69aa73ef46544d2");
  EXPECT_EQ(HexHash(std::string(65, 'q')),
            "2b6c3f7f12b1b12fc5409626dc4e5302d8d37082cbeddea7755eac43aba039c8");
  const std::string text(200, 'q');
  for (size_t size : {0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 200}) {
    const std::string_view data = std::string_view(text).substr(0, size);
    for (size_t split = 0; split <= size; split += 7) {
      Hasher hasher;
      hasher.Update(data.substr(0, split));
      hasher.Update(data.substr(split));
      EXPECT_EQ(Hex(hasher.Final()), HexHash(data)) << size << " split at " << split;
    }
  }
}

// The SHA-extension path (taken on CPUs that have it, as the vectors above were) and the
// portable one agree on every length across several blocks.
TEST(Sha256Test, PortableAndExtensionPathsAgree) {
  std::string text;
  for (int byte_idx = 0; byte_idx < 300; ++byte_idx)
    text.push_back(static_cast<char>(byte_idx * 7));
  for (size_t size = 0; size <= text.size(); ++size) {
    Hasher portable(Hasher::Implementation::kPortable);
    portable.Update(std::string_view(text).substr(0, size));
    EXPECT_EQ(Hex(portable.Final()), HexHash(std::string_view(text).substr(0, size))) << size;
  }
  Hasher portable(Hasher::Implementation::kPortable);
  portable.Update("abc");
  EXPECT_EQ(Hex(portable.Final()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// RFC 4231 section 4, test cases 1-7 (HMAC-SHA-256 values).
TEST(Sha256Test, HmacRfc4231Vectors) {
  EXPECT_EQ(Hex(Hmac(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Hex(Hmac("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(Hmac(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  std::string key4;
  for (char byte = 1; byte <= 25; ++byte) key4.push_back(byte);
  EXPECT_EQ(Hex(Hmac(key4, std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test case 5 publishes the output truncated to 128 bits.
  EXPECT_EQ(HexOf(Bytes(Hmac(std::string(20, '\x0c'), "Test With Truncation")).substr(0, 16)),
            "a3b6167473100ee06e0c796c2955552b");
  EXPECT_EQ(
      Hex(Hmac(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(Hex(Hmac(std::string(131, '\xaa'),
                     "This is a test using a larger than block-size key and a larger than "
                     "block-size data. The key needs to be hashed before being used by the HMAC "
                     "algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(Sha256Test, ConstantTimeEqual) {
  EXPECT_TRUE(ConstantTimeEqual("abcd", "abcd", 4));
  EXPECT_FALSE(ConstantTimeEqual("abcd", "abce", 4));
  EXPECT_FALSE(ConstantTimeEqual("xbcd", "abcd", 4));
  EXPECT_TRUE(ConstantTimeEqual("abcd", "abce", 3));
}

}  // namespace
}  // namespace cairn::sha256
