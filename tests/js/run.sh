#!/usr/bin/env bash
# Runs the AWS SDK for JavaScript v3 tests (node's built-in test runner) against the cairn
# binary named by CAIRN_BINARY. Exit 77 (CTest: skipped) when node is absent, unless
# CAIRN_REQUIRE_NODE=1 (then that is a failure). install.sh (a CTest fixture) installs the SDK.
set -euo pipefail
cd "${BASH_SOURCE[0]%/*}"
if ! command -v node >/dev/null; then
  echo "node is not installed (scripts/setup.sh installs it)" >&2
  [ "${CAIRN_REQUIRE_NODE:-0}" = 1 ] && exit 1
  exit 77
fi
if [ ! -d node_modules/@aws-sdk ]; then
  echo "the SDK is not installed: run tests/js/install.sh" >&2
  exit 1
fi
exec node --test --test-reporter=spec ./*.test.mjs
