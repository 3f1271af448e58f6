// Validator: checks an input document against its operation's input shape, the way AWS's
// front ends do before an operation runs: JSON types first (a wrong type is a deserialization
// failure, reported alone), then every constraint of the model: required members, string
// length, numeric range, pattern, enum, list and map size, and unions with exactly one
// member. It reports every violation with AWS's member path and constraint phrase; turning
// them into a service's error (ValidationException, InvalidInputException + Reason) is the
// protocol layer's job.
//
// One Validator per service model, built at startup (each pattern compiles on first use);
// Validate() is const and safe from any thread.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "validate/pattern.h"

namespace cairn::validate {

enum class Constraint {
  kRequired,
  kMinLength,
  kMaxLength,
  kMinValue,
  kMaxValue,
  kPattern,
  kEnum,
  kUnion,
};

struct Violation {
  Constraint constraint;
  // AWS's member path: `associationName`, `targets.1.member.key`.
  std::string path;
  // The offending value as AWS renders it (Java toString style), or empty for a null value.
  std::string value;
  bool value_is_null = false;
  // AWS's phrase: `Member must satisfy regular expression pattern: ^[a-z]+$`.
  std::string phrase;
};

struct Report {
  // A JSON type that does not fit the shape, with AWS's deserializer message; when set,
  // `violations` is empty.
  std::optional<std::string> type_error;
  std::vector<Violation> violations;

  bool ok() const { return !type_error && violations.empty(); }
};

class Validator {
 public:
  explicit Validator(const model::ServiceModel& service);

  Report Validate(const model::Shape& input, const boost::json::value& document) const;
  // Compiles every pattern now (see pattern.h); throws std::runtime_error for a defect.
  void CompilePatterns() const;

 private:
  class Walk;
  // One Pattern per distinct model pattern (many shapes share one), and for each shape its
  // pattern or null.
  std::vector<std::unique_ptr<Pattern>> distinct_patterns_;
  std::vector<const Pattern*> patterns_;  // indexed by Shape::index
};

// `associationName` from `AssociationName`, the form AWS uses in member paths.
std::string LowerFirst(std::string_view member_name);

}  // namespace cairn::validate
