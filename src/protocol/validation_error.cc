#include <string>

#include "protocol/protocol.h"

namespace cairn::protocol {
namespace {

using validate::Constraint;

// `Value 'x' at 'associationName' failed to satisfy constraint: Member must ...`, counted and
// joined with "; " as AWS's Coral front ends (ssm, config) write it.
std::string CoralMessage(const validate::Report& report) {
  const size_t count = report.violations.size();
  std::string message = std::to_string(count) +
                        (count == 1 ? " validation error" : " validation errors") + " detected: ";
  for (size_t violation_idx = 0; violation_idx < count; ++violation_idx) {
    const validate::Violation& violation = report.violations[violation_idx];
    if (violation_idx) message.append("; ");
    message.append("Value ");
    if (violation.value_is_null) {
      message.append("null");
    } else {
      message.append("'").append(violation.value).append("'");
    }
    message.append(" at '").append(violation.path).append("' failed to satisfy constraint: ");
    message.append(violation.phrase);
  }
  return message;
}

// Organizations answers InvalidInputException with one Reason, and the message its API
// reference gives for that reason (InvalidInputException, "Reason" list).
AwsError OrganizationsInvalidInput(const validate::Violation& violation) {
  struct ReasonText {
    const char* reason;
    const char* message;
  };
  auto reason_for = [](Constraint constraint) -> ReasonText {
    switch (constraint) {
      case Constraint::kRequired:
        return {"INPUT_REQUIRED", "You must include a value for all required parameters."};
      case Constraint::kMinLength:
        return {"MIN_LENGTH_EXCEEDED",
                "You provided a string parameter that is shorter than allowed."};
      case Constraint::kMaxLength:
        return {"MAX_LENGTH_EXCEEDED",
                "You provided a string parameter that is longer than allowed."};
      case Constraint::kMinValue:
        return {"MIN_VALUE_EXCEEDED",
                "You provided a numeric parameter that has a smaller value than allowed."};
      case Constraint::kMaxValue:
        return {"MAX_VALUE_EXCEEDED",
                "You provided a numeric parameter that has a larger value than allowed."};
      case Constraint::kEnum:
        return {"INVALID_ENUM", "You specified an invalid value."};
      case Constraint::kPattern:
      case Constraint::kUnion:
        break;
    }
    return {"INVALID_PATTERN", "You provided a value that does not match the required pattern."};
  };
  const ReasonText text = reason_for(violation.constraint);
  return AwsError::Make("InvalidInputException", text.message).With("Reason", text.reason);
}

bool DeclaresInvalidInputWithReason(const model::ServiceModel& service) {
  const model::Shape* shape = service.FindShape("InvalidInputException");
  return shape && shape->FindMember("Reason");
}

}  // namespace

// A page size out of its range, alone: services that model InvalidLimitException (AWS Config)
// answer it with that error ("The specified limit is outside the allowable range.", the
// DescribeOrganizationConformancePackStatuses API reference) rather than ValidationException.
bool OnlyLimitOutOfRange(const model::ServiceModel& service, const validate::Report& report) {
  if (!service.FindShape("InvalidLimitException")) return false;
  for (const validate::Violation& violation : report.violations) {
    const bool range = violation.constraint == Constraint::kMinValue ||
                       violation.constraint == Constraint::kMaxValue;
    if (!range || violation.path != "limit") return false;
  }
  return !report.violations.empty();
}

AwsError ValidationError(const model::ServiceModel& service, const validate::Report& report) {
  if (report.type_error) return errors::SerializationException(*report.type_error);
  if (OnlyLimitOutOfRange(service, report)) {
    return AwsError::Make("InvalidLimitException",
                          "The specified limit is outside the allowable range.");
  }
  if (DeclaresInvalidInputWithReason(service)) {
    return OrganizationsInvalidInput(report.violations.front());
  }
  // securityhub models InvalidInputException (400) for "an invalid or out-of-range value";
  // AWS documents no wording, so it carries the same Coral-style text, which names the
  // member and the constraint.
  if (service.protocol == model::Protocol::kRestJson &&
      service.FindShape("InvalidInputException")) {
    return AwsError::Make("InvalidInputException", CoralMessage(report));
  }
  return AwsError::Make("ValidationException", CoralMessage(report));
}

}  // namespace cairn::protocol
