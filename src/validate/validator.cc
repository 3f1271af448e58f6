#include "validate/validator.h"

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace cairn::validate {
namespace json = boost::json;
using model::Shape;
using model::ShapeType;

namespace {

// LowerFirst(member_name) appended to `out`, without a string of its own.
void AppendLowerFirst(std::string& out, std::string_view member_name) {
  const size_t start = out.size();
  out.append(member_name);
  if (out.size() > start && out[start] >= 'A' && out[start] <= 'Z') {
    out[start] = static_cast<char>(out[start] - 'A' + 'a');
  }
}

}  // namespace

std::string LowerFirst(std::string_view member_name) {
  std::string out;
  AppendLowerFirst(out, member_name);
  return out;
}

namespace {

// AWS counts string length in characters; a UTF-8 continuation byte does not start one.
int64_t CharacterCount(std::string_view text) {
  int64_t count = 0;
  for (unsigned char byte : text) count += (byte & 0xC0) != 0x80;
  return count;
}

const char* JsonKindName(const json::value& value, bool& is_decimal) {
  is_decimal = value.is_double();
  switch (value.kind()) {
    case json::kind::string:
      return "STRING_VALUE";
    case json::kind::bool_:
      return value.get_bool() ? "TRUE_VALUE" : "FALSE_VALUE";
    case json::kind::double_:
      return "DECIMAL_VALUE";
    default:
      return "NUMBER_VALUE";
  }
}

// Java's toString rendering, which AWS uses for the `Value '...'` part of its messages.
void Render(const Shape& shape, const json::value& value, std::string& out) {
  switch (value.kind()) {
    case json::kind::string:
      out.append(value.get_string());
      return;
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const json::value& element : value.get_array()) {
        if (!first) out.append(", ");
        first = false;
        Render(shape.list_member ? *shape.list_member : shape, element, out);
      }
      out.push_back(']');
      return;
    }
    case json::kind::object: {
      const bool is_structure = shape.type == ShapeType::kStructure;
      out.append(is_structure ? shape.name + "(" : "{");
      bool first = true;
      for (const auto& entry : value.get_object()) {
        if (!first) out.append(", ");
        first = false;
        const Shape* member_shape = &shape;
        if (is_structure) {
          const model::Member* member = shape.FindMember(entry.key());
          if (member) member_shape = member->shape;
          AppendLowerFirst(out, entry.key());
        } else {
          out.append(entry.key());
          if (shape.map_value) member_shape = shape.map_value;
        }
        out.push_back('=');
        Render(*member_shape, entry.value(), out);
      }
      out.push_back(is_structure ? ')' : '}');
      return;
    }
    case json::kind::null:
      out.append("null");
      return;
    default:
      out.append(json::serialize(value));
  }
}

std::string RenderValue(const Shape& shape, const json::value& value) {
  std::string out;
  Render(shape, value, out);
  return out;
}

// Whether any element of a list, or any key or value of a map, broke a constraint, and the
// first constraint broken (Organizations names one Reason).
struct CollectionFindings {
  std::optional<Constraint> first_constraint;

  void Add(Constraint constraint) {
    if (!first_constraint) first_constraint = constraint;
  }
};

std::string BracketedList(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t value_idx = 0; value_idx < values.size(); ++value_idx) {
    if (value_idx) out.append(", ");
    out.append(values[value_idx]);
  }
  out.push_back(']');
  return out;
}

// Every constraint of an element, key or value shape, in the order AWS lists them when it
// reports a collection once ("Member must satisfy constraint: [...]", "Map keys must ...",
// "Map value must ..."): maximum, minimum, pattern, enum. AWS lists all of them, not only the
// ones broken, e.g. ACM RequestCertificate's subjectAlternativeNames or Lambda's
// cors.allowMethods.
std::string AllConstraintPhrases(const Shape& shape) {
  const char* noun = shape.IsNumber() ? "value" : "length";
  std::vector<std::string> phrases;
  if (shape.max) {
    phrases.push_back(std::string("Member must have ") + noun + " less than or equal to " +
                      std::to_string(*shape.max));
  }
  if (shape.min) {
    phrases.push_back(std::string("Member must have ") + noun + " greater than or equal to " +
                      std::to_string(*shape.min));
  }
  if (!shape.pattern.empty()) {
    phrases.push_back("Member must satisfy regular expression pattern: " + shape.pattern);
  }
  if (!shape.enum_values.empty()) {
    phrases.push_back("Member must satisfy enum value set: " + BracketedList(shape.enum_values));
  }
  return BracketedList(phrases);
}

bool IsComposite(const Shape& shape) {
  return shape.type == ShapeType::kStructure || shape.type == ShapeType::kList ||
         shape.type == ShapeType::kMap;
}

}  // namespace

// One validation of one document: carries the path being walked and the findings.
class Validator::Walk {
 public:
  Walk(const Validator& validator, Report& report) : validator_(validator), report_(report) {}

  // Returns false when a type error ends the walk.
  bool Value(const Shape& shape, const json::value& value) {
    switch (shape.type) {
      case ShapeType::kStructure:
        return Structure(shape, value);
      case ShapeType::kList:
        return List(shape, value);
      case ShapeType::kMap:
        return Map(shape, value);
      default:
        return Scalar(shape, value, /*collect=*/nullptr);
    }
  }

 private:
  bool TypeError(std::string message) {
    report_.type_error = std::move(message);
    report_.violations.clear();
    return false;
  }

  // A scalar or collection given where a structure, list or map is expected.
  bool CompositeTypeError(const Shape& shape, const json::value& value) {
    if (value.is_object()) return TypeError("Start of structure or map found where not expected.");
    if (value.is_array()) return TypeError("Start of list found where not expected");
    if (shape.type == ShapeType::kList && value.is_string()) {
      return TypeError("Unrecognized collection type class java.lang.String");
    }
    return TypeError("Unexpected field type");
  }

  void Add(Constraint constraint, const Shape& shape, const json::value* value,
           std::string phrase) {
    Violation& violation = report_.violations.emplace_back();
    violation.constraint = constraint;
    violation.path = path_;
    violation.value_is_null = value == nullptr;
    if (value) violation.value = RenderValue(shape, *value);
    violation.phrase = std::move(phrase);
  }

  bool Structure(const Shape& shape, const json::value& value) {
    if (!value.is_object()) return CompositeTypeError(shape, value);
    const json::object& object = value.get_object();
    size_t members_set = 0;
    for (const model::Member& member : shape.members) {
      const json::value* member_value = object.if_contains(member.name);
      // AWS's deserializers treat an explicit null like an absent member.
      if (member_value && member_value->is_null()) member_value = nullptr;
      // The path grows only for a member that is there or missing against the rules: most of
      // a shape's members are absent from most requests (issue 8).
      if (!member_value && !member.required) continue;
      const size_t path_length = path_.size();
      if (!path_.empty()) path_.push_back('.');
      AppendLowerFirst(path_, member.name);
      if (!member_value) {
        Add(Constraint::kRequired, *member.shape, nullptr, "Member must not be null");
      } else {
        ++members_set;
        if (!Value(*member.shape, *member_value)) return false;
      }
      path_.resize(path_length);
    }
    if (shape.is_union && members_set != 1) {
      Add(Constraint::kUnion, shape, &value,
          "Member must have exactly one of its members set, not " + std::to_string(members_set));
    }
    return true;
  }

  // Checks a list's or map's size; a list that is a map's value has its size reported on the
  // map, so it is collected instead.
  bool Size(const Shape& shape, const json::value& value, int64_t size,
            CollectionFindings* collect = nullptr) {
    if (shape.min && size < *shape.min) {
      if (collect) {
        collect->Add(Constraint::kMinLength);
      } else {
        Add(Constraint::kMinLength, shape, &value,
            "Member must have length greater than or equal to " + std::to_string(*shape.min));
      }
    }
    if (shape.max && size > *shape.max) {
      if (collect) {
        collect->Add(Constraint::kMaxLength);
      } else {
        Add(Constraint::kMaxLength, shape, &value,
            "Member must have length less than or equal to " + std::to_string(*shape.max));
      }
    }
    return true;
  }

  bool List(const Shape& shape, const json::value& value,
            CollectionFindings* collect_size = nullptr) {
    if (!value.is_array()) return CompositeTypeError(shape, value);
    const json::array& array = value.get_array();
    Size(shape, value, static_cast<int64_t>(array.size()), collect_size);
    const Shape& element_shape = *shape.list_member;
    if (IsComposite(element_shape)) {
      for (size_t element_idx = 0; element_idx < array.size(); ++element_idx) {
        const size_t path_length = path_.size();
        path_.append(".").append(std::to_string(element_idx + 1)).append(".member");
        if (!array[element_idx].is_null() && !Value(element_shape, array[element_idx])) {
          return false;
        }
        path_.resize(path_length);
      }
      return true;
    }
    // Scalar elements: AWS reports the whole list once, listing the element's constraints.
    CollectionFindings elements;
    for (const json::value& element : array) {
      if (element.is_null()) continue;
      if (!Scalar(element_shape, element, &elements)) return false;
    }
    if (elements.first_constraint) {
      Add(*elements.first_constraint, shape, &value,
          "Member must satisfy constraint: " + AllConstraintPhrases(element_shape));
    }
    return true;
  }

  // AWS reports bad keys once and bad scalar values once, on the map itself ("Map keys must
  // satisfy constraint: [...]", "Map value must ..."), and walks into composite values at
  // `<map>.<key>.member`, as DynamoDB's `requestItems.<table>.member.keys`. How it words a bad
  // element of a list that is a map value is not known; it is reported at that list's path.
  bool Map(const Shape& shape, const json::value& value) {
    if (!value.is_object()) return CompositeTypeError(shape, value);
    const json::object& object = value.get_object();
    Size(shape, value, static_cast<int64_t>(object.size()));
    const Shape& value_shape = *shape.map_value;
    CollectionFindings keys;
    CollectionFindings values;
    for (const auto& entry : object) {
      const json::value key(entry.key());
      if (!Scalar(*shape.map_key, key, &keys)) return false;
      if (entry.value().is_null()) continue;
      const size_t path_length = path_.size();
      path_.append(".").append(entry.key()).append(".member");
      bool well_typed = true;
      if (!IsComposite(value_shape)) {
        well_typed = Scalar(value_shape, entry.value(), &values);
      } else if (value_shape.type == ShapeType::kList) {
        well_typed = List(value_shape, entry.value(), &values);
      } else {
        well_typed = Value(value_shape, entry.value());
      }
      if (!well_typed) return false;
      path_.resize(path_length);
    }
    if (keys.first_constraint) {
      Add(*keys.first_constraint, shape, &value,
          "Map keys must satisfy constraint: " + AllConstraintPhrases(*shape.map_key));
    }
    if (values.first_constraint) {
      Add(*values.first_constraint, shape, &value,
          "Map value must satisfy constraint: " + AllConstraintPhrases(value_shape));
    }
    return true;
  }

  // Checks one scalar. Without `collect`, violations are reported at the current path;
  // with it they are only noted (list elements and map keys and values are reported by the
  // enclosing collection, as AWS does).
  bool Scalar(const Shape& shape, const json::value& value, CollectionFindings* collect) {
    auto violate = [&](Constraint constraint, std::string phrase) {
      if (collect) {
        collect->Add(constraint);
      } else {
        Add(constraint, shape, &value, std::move(phrase));
      }
    };
    bool is_decimal = false;
    switch (shape.type) {
      case ShapeType::kString: {
        if (!value.is_string()) {
          if (value.is_structured()) return CompositeTypeError(shape, value);
          return TypeError(std::string(JsonKindName(value, is_decimal)) +
                           " cannot be converted to String");
        }
        const std::string_view text = value.get_string();
        const int64_t length = CharacterCount(text);
        if (shape.min && length < *shape.min) {
          violate(Constraint::kMinLength,
                  "Member must have length greater than or equal to " + std::to_string(*shape.min));
        }
        if (shape.max && length > *shape.max) {
          violate(Constraint::kMaxLength,
                  "Member must have length less than or equal to " + std::to_string(*shape.max));
        }
        if (!shape.enum_values.empty()) {
          bool known = false;
          for (const std::string& allowed : shape.enum_values) known |= allowed == text;
          if (!known) {
            violate(Constraint::kEnum,
                    "Member must satisfy enum value set: " + BracketedList(shape.enum_values));
          }
        }
        const Pattern* pattern = validator_.patterns_[shape.index];
        if (pattern && !pattern->Matches(text)) {
          violate(Constraint::kPattern,
                  "Member must satisfy regular expression pattern: " + pattern->source());
        }
        return true;
      }
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        const char* java_type = shape.type == ShapeType::kInteger ? "Integer" : "Long";
        int64_t number = 0;
        if (value.is_int64()) {
          number = value.get_int64();
        } else if (value.is_uint64()) {
          number = std::numeric_limits<int64_t>::max();
        } else if (value.is_double() && std::trunc(value.get_double()) == value.get_double() &&
                   std::fabs(value.get_double()) < 9e18) {
          number = static_cast<int64_t>(value.get_double());
        } else {
          if (value.is_structured()) return CompositeTypeError(shape, value);
          return TypeError(std::string(JsonKindName(value, is_decimal)) +
                           " cannot be converted to " + java_type);
        }
        if (shape.type == ShapeType::kInteger && (number > std::numeric_limits<int32_t>::max() ||
                                                  number < std::numeric_limits<int32_t>::min())) {
          return TypeError("Numeric value (" + json::serialize(value) +
                           ") out of range of int (-2147483648 - 2147483647)");
        }
        return Range(shape, value, static_cast<double>(number), violate);
      }
      case ShapeType::kDouble:
      case ShapeType::kFloat:
        if (!value.is_number()) {
          if (value.is_structured()) return CompositeTypeError(shape, value);
          return TypeError(std::string(JsonKindName(value, is_decimal)) +
                           " cannot be converted to Double");
        }
        return Range(shape, value, value.to_number<double>(), violate);
      case ShapeType::kBoolean:
        if (!value.is_bool()) {
          if (value.is_structured()) return CompositeTypeError(shape, value);
          return TypeError(std::string(JsonKindName(value, is_decimal)) +
                           " cannot be converted to Boolean");
        }
        return true;
      case ShapeType::kTimestamp:
        if (!value.is_number() && !value.is_string()) {
          if (value.is_structured()) return CompositeTypeError(shape, value);
          return TypeError(std::string(JsonKindName(value, is_decimal)) +
                           " cannot be converted to Date");
        }
        return true;
      case ShapeType::kBlob:
        if (!value.is_string()) {
          if (value.is_structured()) return CompositeTypeError(shape, value);
          return TypeError(std::string(JsonKindName(value, is_decimal)) +
                           " cannot be converted to ByteBuffer");
        }
        return Size(shape, value, static_cast<int64_t>(value.get_string().size()));
      default:
        return Value(shape, value);
    }
  }

  template <typename Violate>
  bool Range(const Shape& shape, const json::value& value, double number, Violate& violate) {
    if (shape.min && number < static_cast<double>(*shape.min)) {
      violate(Constraint::kMinValue,
              "Member must have value greater than or equal to " + std::to_string(*shape.min));
    }
    if (shape.max && number > static_cast<double>(*shape.max)) {
      violate(Constraint::kMaxValue,
              "Member must have value less than or equal to " + std::to_string(*shape.max));
    }
    return true;
  }

  const Validator& validator_;
  Report& report_;
  std::string path_;
};

Validator::Validator(const model::ServiceModel& service) {
  patterns_.resize(service.shapes.size(), nullptr);
  std::unordered_map<std::string_view, const Pattern*> by_source;
  for (const Shape& shape : service.shapes) {
    if (shape.pattern.empty()) continue;
    auto [found, inserted] = by_source.emplace(shape.pattern, nullptr);
    if (inserted) {
      distinct_patterns_.push_back(std::make_unique<Pattern>(shape.pattern));
      found->second = distinct_patterns_.back().get();
    }
    patterns_[shape.index] = found->second;
  }
}

void Validator::CompilePatterns() const {
  for (const auto& pattern : distinct_patterns_) pattern->Compile();
}

Report Validator::Validate(const model::Shape& input, const json::value& document) const {
  Report report;
  Walk walk(*this, report);
  walk.Value(input, document);
  return report;
}

}  // namespace cairn::validate
