// The service model: botocore's shapes and operations for the in-scope operations of each
// service, loaded once at startup from the JSON files that tools/extract_models.py wrote and
// the build embedded. Everything generic in cairn (parsing, validation, routing, output) reads
// it; nothing below the providers types a member name twice.
//
// A Catalog is immutable after Load() and safe to read from any thread. Shapes reference
// each other by pointer; the Catalog owns them all and outlives every request.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cairn::model {

enum class ShapeType {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kDouble,
  kFloat,
  kBoolean,
  kTimestamp,
  kBlob,
};

enum class Location { kBody, kUri, kQuery, kHeader };

enum class Protocol { kJson, kRestJson, kQuery };

struct Shape;

struct Member {
  std::string name;
  const Shape* shape = nullptr;
  bool required = false;
  Location location = Location::kBody;
  // For kUri/kQuery/kHeader: the label, query key or header name it is bound to.
  std::string location_name;
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::kString;
  // Dense index within its service, for tables built over all shapes (compiled patterns).
  size_t index = 0;

  // kStructure
  std::vector<Member> members;
  bool is_union = false;
  // kList: element; kMap: key and value.
  const Shape* list_member = nullptr;
  const Shape* map_key = nullptr;
  const Shape* map_value = nullptr;

  // Constraints. `min`/`max` bound the length of strings, lists and maps and the value of
  // numbers, as in the model.
  std::optional<int64_t> min;
  std::optional<int64_t> max;
  std::string pattern;
  std::vector<std::string> enum_values;
  std::string timestamp_format;  // "iso8601", "unixTimestamp" or empty

  // Error shapes.
  bool is_error = false;
  bool is_fault = false;
  int error_status = 0;  // 0 when the model does not say

  const Member* FindMember(std::string_view member_name) const;
  bool IsNumber() const {
    return type == ShapeType::kInteger || type == ShapeType::kLong || type == ShapeType::kDouble ||
           type == ShapeType::kFloat;
  }
};

struct Paginator {
  std::string input_token;
  std::string output_token;
  std::string limit_key;
};

struct Operation {
  std::string name;
  size_t index = 0;  // dense index within its service
  std::string http_method;
  std::string request_uri;
  const Shape* input = nullptr;   // may be null
  const Shape* output = nullptr;  // may be null
  std::vector<const Shape*> errors;
  std::optional<Paginator> paginator;
};

struct ServiceModel {
  std::string name;  // cairn's service name: ssm, config, securityhub, organizations, sts
  Protocol protocol = Protocol::kJson;
  std::string target_prefix;  // awsJson: `AmazonSSM`
  std::string signing_name;   // SigV4 credential-scope service
  std::string api_version;
  std::string xml_namespace;
  std::deque<Shape> shapes;
  std::vector<Operation> operations;

  const Shape* FindShape(std::string_view shape_name) const;
  const Operation* FindOperation(std::string_view operation_name) const;

  std::unordered_map<std::string_view, const Shape*> shape_index;
  std::unordered_map<std::string_view, const Operation*> operation_index;
};

class Catalog {
 public:
  // Builds the catalog from the models embedded in the binary. A malformed model is a build
  // defect: Load throws std::runtime_error naming the shape.
  static std::unique_ptr<Catalog> LoadEmbedded();
  // Same from JSON texts, keyed by cairn's service name (the file's stem). For tests.
  static std::unique_ptr<Catalog> Load(
      const std::vector<std::pair<std::string, std::string_view>>& documents);

  const ServiceModel* Find(std::string_view service) const;
  const std::deque<ServiceModel>& services() const { return services_; }

 private:
  std::deque<ServiceModel> services_;
};

}  // namespace cairn::model
