#!/usr/bin/env bash
# Configures (once) and builds cairn and its tests into build/ (or $CAIRN_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${CAIRN_BUILD_DIR:-build}"
# Objects are the same whichever build dir compiles them: let ccache share them.
export CCACHE_NOHASHDIR=true
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${CAIRN_BUILD_TYPE:-RelWithDebInfo}"
fi
cmake --build "$build_dir" -j "${CAIRN_JOBS:-2}"
