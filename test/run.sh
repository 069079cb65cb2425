#!/usr/bin/env bash
# Runs every test of kpi_eval on throwaway clusters and ends with the line
# "N passed, N failed".  Usage: bash test/run.sh
# The build is installed into a private copy of the PostgreSQL tree
# (test/lib.sh), never into the system directories.
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
ensure_deps
build_install || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
trap 'stop_cluster; drop_tree' EXIT

out=test/out
rm -rf "$out" && mkdir -p "$out"
in_cluster bash test/run_inside.sh "$out"
status=$?

passed=$(cat "$out"/*.passed 2>/dev/null | awk '{s+=$1} END {print s+0}')
failed=$(cat "$out"/*.failed 2>/dev/null | awk '{s+=$1} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1	# the harness itself failed
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
