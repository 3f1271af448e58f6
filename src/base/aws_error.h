// AwsError: an expected failure of an AWS operation, as a value.
//
// Every refusal cairn answers (validation, missing resource, access rule) is an AwsError
// carried in a Result; the protocol layer turns it into the wire shape of its service.
// Exceptions are reserved for bugs, which the gateway answers as 500 InternalFailure.
// Values are cheap to move and safe to share between threads once built.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <utility>

namespace cairn {

struct AwsError {
  // The AWS error code, exactly as AWS spells it (`AssociationDoesNotExist`).
  std::string code;
  std::string message;
  int http_status = 400;
  // Modelled members of the error shape beyond the message, e.g. Organizations' `Reason`.
  boost::json::object fields;

  static AwsError Make(std::string code, std::string message, int http_status = 400) {
    return AwsError{std::move(code), std::move(message), http_status, {}};
  }
  AwsError&& With(std::string_view member, boost::json::value value) && {
    fields[member] = std::move(value);
    return std::move(*this);
  }
};

}  // namespace cairn
