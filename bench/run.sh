#!/usr/bin/env bash
# cairn's benchmark, one command: cairn, moto_server and a static nginx side by side in one
# run. Startup, memory and requests/s against nginx; cheap reads and writes against nginx and
# moto_server; durable vs in-memory writes; SSM associations at scale; list pages at 1k / 100k
# / 1M associations and restore from --data-dir; an organization conformance pack over 1,000
# accounts; Security Hub central configuration at 5,000 accounts. Prints a Markdown report
# that opens with a summary table of ratios and absolute figures (medians over rounds) and
# writes it to bench/results/latest.md. Arguments go to bench.py (--help lists them).
#
#   CAIRN_BINARY   binary to measure (default build/src/main/cairn; built when missing)
#   BENCH_SECTIONS comma-separated subset of foundation,ops,durable,associations,pages,
#                  orgpack,shorg (all)
#   BENCH_OPS_SECONDS per wrk run of the ops section (5); BENCH_PAGE_SIZES (1000,100000,1000000)
#   BENCH_SHORG_ACCOUNTS (5000); BENCH_CACHE=0: import the page data dirs afresh
#   BENCH_SECONDS  seconds per wrk throughput run (default 10); BENCH_ROUNDS runs per
#                  scenario (default 2); BENCH_PAGE_SECONDS per one-connection read run (3)
#   BENCH_STARTUP_RUNS  startup samples (default 20)
#   BENCH_PROFILE  auto|always|never: strace/perf/massif breakdowns when a target is missed
#
# Do not build anything else while it runs: the machine's cores are the thing being measured.
set -euo pipefail
cd "$(dirname "$0")/.."

binary="${CAIRN_BINARY:-build/src/main/cairn}"
if [ ! -x "$binary" ]; then
  case "$binary" in
    */src/main/cairn) CAIRN_BUILD_DIR="${binary%/src/main/cairn}" scripts/build.sh ;;
    *) echo "bench: $binary does not exist and is not in a build tree (…/src/main/cairn)" >&2
       exit 2 ;;
  esac
fi
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    { echo "bench: $tool is missing; run scripts/setup.sh" >&2; exit 2; }
done

# bench.py kills every process it started on its way out; the trap covers bench.py itself
# being interrupted or killed before it can.
bench_pid=""
cleanup() { [ -n "$bench_pid" ] && kill "$bench_pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
python3 bench/bench.py --binary "$binary" "$@" &
bench_pid=$!
status=0
wait "$bench_pid" || status=$?
bench_pid=""
exit "$status"
