#!/usr/bin/env bash
# Builds cairn and starts it on 127.0.0.1:4566 (flags are passed through: --port, --world ...).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec "${CAIRN_BUILD_DIR:-build}/src/main/cairn" "$@"
