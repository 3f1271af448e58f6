#include "base/url.h"

namespace cairn::url {
namespace {

int HexValue(char character) {
  if (character >= '0' && character <= '9') return character - '0';
  if (character >= 'a' && character <= 'f') return character - 'a' + 10;
  if (character >= 'A' && character <= 'F') return character - 'A' + 10;
  return -1;
}

}  // namespace

bool PercentDecode(std::string_view text, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const char character = text[pos];
    if (character == '%') {
      if (pos + 2 >= text.size()) return false;
      const int high = HexValue(text[pos + 1]);
      const int low = HexValue(text[pos + 2]);
      if (high < 0 || low < 0) return false;
      out.push_back(static_cast<char>(high * 16 + low));
      pos += 2;
    } else if (character == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(character);
    }
  }
  return true;
}

bool ParseQuery(std::string_view query, std::vector<std::pair<std::string, std::string>>& out,
                bool plus_is_space) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, equals), key, plus_is_space)) return false;
    if (equals != std::string_view::npos &&
        !PercentDecode(pair.substr(equals + 1), value, plus_is_space)) {
      return false;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return true;
}

}  // namespace cairn::url
