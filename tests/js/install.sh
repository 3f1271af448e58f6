#!/usr/bin/env bash
# Installs the pinned AWS SDK for JavaScript v3 (package-lock.json) into tests/js/node_modules
# with `npm ci`, unless node_modules already holds exactly that lockfile: then nothing is
# fetched, so the tests run offline once installed. Exit 77 (CTest: skipped) when node or npm
# is absent, unless CAIRN_REQUIRE_NODE=1 (then that is a failure).
set -euo pipefail
cd "${BASH_SOURCE[0]%/*}"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node or npm is not installed (scripts/setup.sh installs them)" >&2
  [ "${CAIRN_REQUIRE_NODE:-0}" = 1 ] && exit 1
  exit 77
fi
exec 9<package-lock.json
flock 9  # two build dirs' test runs share this node_modules
stamp=node_modules/.cairn-lockfile.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f node_modules/.package-lock.json ]; then
  echo "node_modules matches package-lock.json: nothing to install"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
