#!/usr/bin/env bash
# Runs every test of kpi_eval and ends with the line "N passed, N failed"
# (exit status non-zero when anything failed), after a summary per suite:
#   regress    pg_regress (sql/*.sql + expected/*.out)
#   pgtap      pgTAP files by pg_prove (test/pgtap/*.sql)
#   isolation  isolation specs by pg_isolation_regress (specs/*.spec)
#   tap        Perl TAP tests on PostgreSQL::Test::Cluster (test/t/*.pl)
#   <name>     a bash multi-cluster test still in test/cluster/<name>.sh
# The build is installed into a private copy of the PostgreSQL tree
# (test/lib.sh), never into the system directories; the first four suites
# run on one throwaway harness cluster, the TAP tests start their own.
# Logs: test/out/.  Usage: bash test/run.sh
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
ensure_deps
build_install || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
trap 'stop_cluster; drop_tree' EXIT
t0=$SECONDS

out=test/out
rm -rf "$out" && mkdir -p "$out"
in_cluster bash test/run_inside.sh "$out"
status=$?

# the TAP tests (after the harness cluster is gone: the machine is shared)
KPI_TAP_LOGS=$out/tap_logs run_tap >"$out/tap.log" 2>&1
tap_status=$?
grep -vE '^ok ' "$out/tap.log" | tail -60
grep -cE '^ok [0-9]+' "$out/tap.log" >"$out/tap.passed"
failed=$(grep -cE '^not ok [0-9]+' "$out/tap.log")
# a test that died, or ran another number of checks than it declared
died=$(grep -cE 'Parse errors: (No plan found|Bad plan)' "$out/tap.log")
failed=$((failed + died))
if [ "$tap_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$failed" >"$out/tap.failed"
if [ "$failed" -ne 0 ] && [ -d "$out/tap_logs" ]; then
	echo "== the failed TAP tests' logs are in $out/tap_logs; their last lines:"
	tail -n 15 "$out"/tap_logs/regress_log_* 2>/dev/null
fi

echo "== summary ($((SECONDS - t0)) s)"
passed=0 failed=0
for f in "$out"/*.passed; do
	[ -f "$f" ] || continue
	suite=$(basename "$f" .passed)
	p=$(cat "$f" 2>/dev/null); p=${p:-0}
	x=$(cat "$out/$suite.failed" 2>/dev/null); x=${x:-1}
	printf '   %-24s %5d passed, %d failed\n' "$suite" "$p" "$x"
	passed=$((passed + p)); failed=$((failed + x))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1	# the harness itself failed
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
