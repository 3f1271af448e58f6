#!/usr/bin/env bash
# Builds cairn and runs every test (unit and end-to-end) through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir "${CAIRN_BUILD_DIR:-build}" --output-on-failure -j "${CAIRN_JOBS:-2}" "$@"
