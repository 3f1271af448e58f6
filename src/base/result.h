// Result<T>: either a value or an AwsError, the return type of anything that can fail in an
// expected way. Like leveldb::Status with a payload; no exceptions on the expected path.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "base/aws_error.h"

namespace cairn {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}         // NOLINT: implicit by design
  Result(AwsError error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

  const AwsError& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  AwsError&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, AwsError> state_;
};

// Result of an operation that produces nothing but success or an error.
struct Ok {};
using Status = Result<Ok>;

}  // namespace cairn
