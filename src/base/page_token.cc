#include "base/page_token.h"

#include "base/ids.h"
#include "base/sha256.h"

namespace cairn {
namespace {

constexpr size_t kMacBytes = 12;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// base64url without padding: tokens travel in JSON bodies and query strings unescaped.
std::string Base64Url(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3f]);
  return out;
}

std::optional<std::string> FromBase64Url(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char character : text) {
    const char* found = std::char_traits<char>::find(kAlphabet, 64, character);
    if (!found) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(found - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace

// XORs `bytes` with a keystream of HMAC(secret, mac || counter) blocks: the key inside a
// token is unreadable, and since the MAC differs per key and scope, so does the stream.
std::string PageTokens::Crypt(std::string_view mac, std::string_view bytes) const {
  std::string out(bytes);
  std::string seed(mac);
  seed.push_back('\0');
  for (size_t offset = 0; offset < out.size(); offset += sha256::kDigestSize) {
    seed.back() = static_cast<char>(offset / sha256::kDigestSize);
    const sha256::Digest block = sha256::Hmac(secret_, seed);
    for (size_t byte_idx = offset; byte_idx < out.size() && byte_idx < offset + block.size();
         ++byte_idx) {
      out[byte_idx] = static_cast<char>(out[byte_idx] ^ block[byte_idx - offset]);
    }
  }
  return out;
}

PageTokens::PageTokens() : secret_(ids::RandomHex(32)) {}

std::string PageTokens::Mac(std::string_view scope, std::string_view last_key) const {
  std::string message;
  message.reserve(scope.size() + last_key.size() + 1);
  message.append(scope).push_back('\0');
  message.append(last_key);
  const sha256::Digest digest = sha256::Hmac(secret_, message);
  return std::string(reinterpret_cast<const char*>(digest.data()), kMacBytes);
}

std::string PageTokens::Encode(std::string_view scope, std::string_view last_key) const {
  const std::string mac = Mac(scope, last_key);
  return Base64Url(mac + Crypt(mac, last_key));
}

std::optional<std::string> PageTokens::Decode(std::string_view scope,
                                              std::string_view token) const {
  std::optional<std::string> payload = FromBase64Url(token);
  if (!payload || payload->size() < kMacBytes) return std::nullopt;
  const std::string mac = payload->substr(0, kMacBytes);
  std::string last_key = Crypt(mac, std::string_view(*payload).substr(kMacBytes));
  if (!sha256::ConstantTimeEqual(Mac(scope, last_key).data(), mac.data(), kMacBytes)) {
    return std::nullopt;
  }
  return last_key;
}

std::string PageScope(std::initializer_list<std::string_view> parts) {
  std::string scope;
  for (std::string_view part : parts) scope.append(part).push_back('\x1f');
  return scope;
}

}  // namespace cairn
