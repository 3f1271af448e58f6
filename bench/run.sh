#!/usr/bin/env bash
# cairn's benchmark, one command: startup to first answer, idle memory, and requests/s with
# latency percentiles under wrk against a static nginx on the same machine in the same run;
# then the scale sections: durable vs in-memory writes, 100,000 SSM associations, and an
# organization conformance pack over 1,000 accounts. Prints a Markdown report and writes it to
# bench/results/latest.md. Arguments go to bench.py (--help lists them).
#
#   CAIRN_BINARY   binary to measure (default build/src/main/cairn; built when missing)
#   BENCH_SECTIONS comma-separated subset of foundation,durable,associations,orgpack (all)
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
