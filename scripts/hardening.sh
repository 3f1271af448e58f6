#!/usr/bin/env bash
# Sanitizers and fuzzing (README "Sanitizers and fuzzing"), with clang from Debian:
#   1. build-asan: everything with AddressSanitizer + UndefinedBehaviorSanitizer (UB fatal) and
#      libFuzzer's coverage instrumentation; runs the unit and end-to-end tests under it
#      (all but the Terraform one, whose two minutes are terraform's, not cairn's);
#   2. the fuzz targets of that same build, each for CAIRN_FUZZ_SECONDS (default 20) from its
#      seed corpus fuzz/corpus/<target>/ (new inputs go to build-asan/fuzz-corpus/, crashes to
#      build-asan/fuzz-artifacts/);
#   3. build-tsan: cairn and the concurrency unit tests with ThreadSanitizer; runs store_test
#      (group commit) and lifecycle_test (scheduler), and the e2e tests labelled `concurrency`
#      (HTTP server, persistence under kill -9 and concurrent writers).
# Sanitizer reports go to files (a report at exit, e.g. a leak, would otherwise only reach a
# stderr that the e2e harness does not read): any report fails the run and is printed.
# CAIRN_HARDENING_STEPS=asan,fuzz,tsan chooses the steps; extra args go to every ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export CC=clang-14 CXX=clang++-14
export CCACHE_NOHASHDIR=true
jobs="${CAIRN_JOBS:-2}"
steps=",${CAIRN_HARDENING_STEPS:-asan,fuzz,tsan},"
fuzz_seconds="${CAIRN_FUZZ_SECONDS:-20}"
symbolizer="$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)"

configure() {  # configure DIR CMAKE_ARGS...
  local dir="$1"
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
  fi
}

# Prints and fails on any sanitizer report written under $1.
check_reports() {
  local reports
  reports="$(find "$1" -type f 2>/dev/null | sort)"
  if [ -n "$reports" ]; then
    for report in $reports; do
      echo "=== $report" >&2
      cat "$report" >&2
    done
    echo "hardening: sanitizer reports above" >&2
    return 1
  fi
}

failed=0
timer() { echo "hardening: $1 took $((SECONDS - $2)) s"; }

if [[ "$steps" == *,asan,* || "$steps" == *,fuzz,* ]]; then
  start=$SECONDS
  configure build-asan -DCAIRN_SANITIZE=address,undefined -DCAIRN_FUZZ=ON
  cmake --build build-asan -j "$jobs"
  timer "ASan+UBSan build" $start
fi

if [[ "$steps" == *,asan,* ]]; then
  start=$SECONDS
  reports="$PWD/build-asan/sanitizer-reports"
  rm -rf "$reports" && mkdir -p "$reports"
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:log_path=$reports/asan" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan" \
  ASAN_SYMBOLIZER_PATH="$symbolizer" \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -E '^e2e\.test_terraform$' "$@" ||
    failed=1
  check_reports "$reports" || failed=1
  timer "ASan+UBSan tests" $start
fi

if [[ "$steps" == *,fuzz,* ]]; then
  start=$SECONDS
  mkdir -p build-asan/fuzz-artifacts build-asan/fuzz-logs
  for fuzzer in build-asan/fuzz/fuzz_*; do
    [ -x "$fuzzer" ] || continue
    target="$(basename "$fuzzer")"
    mkdir -p "build-asan/fuzz-corpus/$target"
    echo "hardening: fuzzing $target for ${fuzz_seconds}s"
    # New inputs go to the first directory; the repo's seeds (the second) are only read.
    log="build-asan/fuzz-logs/$target.log"
    status=0
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    ASAN_SYMBOLIZER_PATH="$symbolizer" \
      "$fuzzer" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="build-asan/fuzz-artifacts/$target-" \
        "build-asan/fuzz-corpus/$target" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
    grep -E '^(INFO: seed corpus|#[0-9]+[[:space:]]+DONE|stat::average_exec_per_sec)' "$log" || true
    if [ "$status" -ne 0 ]; then
      tail -n 80 "$log" >&2
      echo "hardening: $target failed (log $log, input in build-asan/fuzz-artifacts/)" >&2
      failed=1
    fi
  done
  timer "fuzzing" $start
fi

if [[ "$steps" == *,tsan,* ]]; then
  start=$SECONDS
  configure build-tsan -DCAIRN_SANITIZE=thread
  # Only what the concurrency tests run.
  cmake --build build-tsan -j "$jobs" --target cairn store_test lifecycle_test
  timer "TSan build" $start
  start=$SECONDS
  reports="$PWD/build-tsan/sanitizer-reports"
  rm -rf "$reports" && mkdir -p "$reports"
  TSAN_OPTIONS="halt_on_error=0:second_deadlock_stack=1:history_size=4:log_path=$reports/tsan" \
  TSAN_SYMBOLIZER_PATH="$symbolizer" \
    bash -c 'build-tsan/src/store/store_test --gtest_brief=1 && build-tsan/src/lifecycle/lifecycle_test --gtest_brief=1' ||
    failed=1
  TSAN_OPTIONS="halt_on_error=0:second_deadlock_stack=1:history_size=4:log_path=$reports/tsan" \
  TSAN_SYMBOLIZER_PATH="$symbolizer" \
    ctest --test-dir build-tsan --output-on-failure -j "$jobs" -L concurrency "$@" || failed=1
  check_reports "$reports" || failed=1
  timer "TSan tests" $start
fi

exit "$failed"
