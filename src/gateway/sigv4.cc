#include "gateway/sigv4.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

#include "base/sha256.h"
#include "base/url.h"

namespace cairn::gateway::sigv4 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string Hmac(std::string_view key, std::string_view data) {
  return sha256::Bytes(sha256::Hmac(key, data));
}

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (Unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(raw);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xf]);
    }
  }
  return out;
}

// RFC 3986 5.2.4 with empty segments dropped too, as the SDKs sign non-S3 paths.
std::string NormalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = slash + 1;
  }
  std::string out = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i) out.push_back('/');
    out.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) out.push_back('/');
  return out;
}

std::string Trimmed(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> SplitSignedHeaders(std::string_view list) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t semicolon = std::min(list.find(';', start), list.size());
    std::string name(list.substr(start, semicolon - start));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!name.empty()) names.push_back(std::move(name));
    start = semicolon + 1;
  }
  return names;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::optional<Parts> ReadHeader(const HttpRequest& request, std::string_view authorization,
                                std::optional<Incomplete>& incomplete) {
  Parts parts;
  bool has_credential = false, has_signed_headers = false, has_signature = false;
  std::string_view rest = authorization.substr(kAlgorithm.size());
  bool scope_ok = true;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view item = TrimSpaces(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const size_t equals = item.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view name = item.substr(0, equals);
    const std::string_view value = item.substr(equals + 1);
    if (name == "Credential") {
      has_credential = true;
      scope_ok = ReadScope(value, parts);
    } else if (name == "SignedHeaders") {
      has_signed_headers = true;
      parts.signed_headers = SplitSignedHeaders(value);
    } else if (name == "Signature") {
      has_signature = true;
      parts.signature = value;
    }
  }
  parts.amz_date = request.Header("x-amz-date");
  parts.security_token = request.Header("x-amz-security-token");
  std::string missing;
  if (!has_credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!has_signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (!has_signed_headers) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (parts.amz_date.empty()) {
    missing +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!missing.empty()) {
    incomplete = Incomplete{missing + "Authorization=" + std::string(authorization)};
    return std::nullopt;
  }
  if (!scope_ok) {
    incomplete = Incomplete{"Credential should be scoped to a valid region. "};
    return std::nullopt;
  }
  return parts;
}

std::optional<Parts> ReadQuery(const HttpRequest& request, std::optional<Incomplete>& incomplete) {
  std::vector<std::pair<std::string, std::string>> params;
  if (!url::ParseQuery(request.Query(), params, false)) return std::nullopt;
  const auto find = [&](std::string_view name) -> const std::string* {
    for (const auto& [key, value] : params) {
      if (key == name) return &value;
    }
    return nullptr;
  };
  const std::string* algorithm = find("X-Amz-Algorithm");
  const std::string* credential = find("X-Amz-Credential");
  if (!algorithm && !credential) return std::nullopt;
  std::string missing;
  for (const std::string_view name : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
                                      "X-Amz-SignedHeaders", "X-Amz-Date"}) {
    if (!find(name))
      missing += "AWS query-string parameters must include '" + std::string(name) + "'. ";
  }
  if (!missing.empty()) {
    incomplete = Incomplete{missing + "Re-examine the query-string parameters."};
    return std::nullopt;
  }
  if (*algorithm != kAlgorithm) {
    incomplete = Incomplete{"X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\""};
    return std::nullopt;
  }
  Parts parts;
  parts.presigned = true;
  if (!ReadScope(*credential, parts)) {
    incomplete = Incomplete{"Credential should be scoped to a valid region. "};
    return std::nullopt;
  }
  parts.signed_headers = SplitSignedHeaders(*find("X-Amz-SignedHeaders"));
  parts.signature = *find("X-Amz-Signature");
  parts.amz_date = *find("X-Amz-Date");
  if (const std::string* token = find("X-Amz-Security-Token")) parts.security_token = *token;
  return parts;
}

}  // namespace

bool ReadScope(std::string_view scope, Parts& parts) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (start <= scope.size()) {
    const size_t slash = std::min(scope.find('/', start), scope.size());
    pieces.push_back(scope.substr(start, slash - start));
    start = slash + 1;
  }
  if (pieces.size() != 5 || pieces[0].empty() || pieces[4] != "aws4_request") return false;
  // A region is a short name of lower-case letters, digits and hyphens (us-east-1,
  // us-gov-west-1, cn-north-1); anything else would become a per-region key of cairn's state.
  const std::string_view region = pieces[2];
  if (region.empty() || region.size() > 32) return false;
  for (const char c : region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  parts.access_key_id = pieces[0];
  parts.scope_date = pieces[1];
  parts.region = pieces[2];
  parts.service = pieces[3];
  return true;
}

std::optional<Parts> Read(const HttpRequest& request, std::optional<Incomplete>& incomplete) {
  const std::string_view authorization = request.Header("authorization");
  if (!authorization.empty()) {
    if (!authorization.starts_with(kAlgorithm)) {
      incomplete = Incomplete{
          "Authorization header requires 'Credential' parameter. "
          "Authorization header requires 'Signature' parameter. "
          "Authorization header requires 'SignedHeaders' parameter. "};
      return std::nullopt;
    }
    return ReadHeader(request, authorization, incomplete);
  }
  return ReadQuery(request, incomplete);
}

std::string CanonicalRequest(const HttpRequest& request, const Parts& parts,
                             std::string_view payload_hash) {
  std::string canonical = request.method + "\n";
  canonical += UriEncode(NormalizePath(request.Path()), true) + "\n";

  std::vector<std::pair<std::string, std::string>> params;
  url::ParseQuery(request.Query(), params, false);
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [name, value] : params) {
    if (parts.presigned && name == "X-Amz-Signature") continue;
    encoded.emplace_back(UriEncode(name, false), UriEncode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (i) canonical.push_back('&');
    canonical += encoded[i].first + "=" + encoded[i].second;
  }
  canonical.push_back('\n');

  std::vector<std::string> names = parts.signed_headers;
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const std::string& name : names) {
    std::string value;
    bool first = true;
    for (const auto& [header, header_value] : request.headers) {
      if (header != name) continue;
      if (!first) value.push_back(',');
      value += Trimmed(header_value);
      first = false;
    }
    canonical += name + ":" + value + "\n";
  }
  canonical.push_back('\n');
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) canonical.push_back(';');
    canonical += names[i];
  }
  canonical.push_back('\n');
  canonical += payload_hash;
  return canonical;
}

std::string StringToSign(const Parts& parts, std::string_view canonical_request) {
  return std::string(kAlgorithm) + "\n" + parts.amz_date + "\n" + parts.Scope() + "\n" +
         sha256::HexHash(canonical_request);
}

std::string Signature(std::string_view secret, const Parts& parts,
                      std::string_view string_to_sign) {
  std::string key = Hmac("AWS4" + std::string(secret), parts.scope_date);
  key = Hmac(key, parts.region);
  key = Hmac(key, parts.service);
  key = Hmac(key, "aws4_request");
  return sha256::Hex(sha256::Hmac(key, string_to_sign));
}

std::optional<long long> ParseAmzDate(std::string_view amz_date) {
  if (amz_date.size() != 16 || amz_date[8] != 'T' || amz_date[15] != 'Z') return std::nullopt;
  for (size_t i = 0; i < 15; ++i) {
    if (i != 8 && (amz_date[i] < '0' || amz_date[i] > '9')) return std::nullopt;
  }
  const auto number = [&](size_t at, size_t size) {
    int value = 0;
    for (size_t i = at; i < at + size; ++i) value = value * 10 + (amz_date[i] - '0');
    return value;
  };
  std::tm tm{};
  tm.tm_year = number(0, 4) - 1900;
  tm.tm_mon = number(4, 2) - 1;
  tm.tm_mday = number(6, 2);
  tm.tm_hour = number(9, 2);
  tm.tm_min = number(11, 2);
  tm.tm_sec = number(13, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return std::nullopt;
  }
  return static_cast<long long>(timegm(&tm));
}

std::string FormatAmzDate(long long epoch_seconds) {
  const std::time_t time = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[20];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

}  // namespace cairn::gateway::sigv4
