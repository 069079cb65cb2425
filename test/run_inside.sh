#!/usr/bin/env bash
# The part of test/run.sh that runs inside the throwaway harness cluster
# (PGHOST, PGPORT, PGUSER and PGDATABASE are set by in_cluster, test/lib.sh):
# pg_regress, pgTAP, the isolation specs and the bash multi-cluster tests
# still in test/cluster/*.sh.  Writes counts to $1/<suite>.passed and
# $1/<suite>.failed.
set -u
out=$1
MAKE_ARGS=(-s --no-print-directory PG_CONFIG="$PG_CONFIG" bindir="$KPI_BINDIR")

# 1. pg_regress: outputs and error texts (sql/ + expected/), one check per test
make "${MAKE_ARGS[@]}" installcheck-regress >"$out/regress.log" 2>&1
cat "$out/regress.log"
grep -cE '^(test| ) .* \.\.\. ok' "$out/regress.log" >"$out/regress.passed"
grep -cE '\.\.\. (FAILED|failed)' "$out/regress.log" >"$out/regress.failed"
[ -f regression.diffs ] && head -200 regression.diffs

# 2. pgTAP: properties and rules (test/pgtap/*.sql), one assertion per line
if ls test/pgtap/*.sql >/dev/null 2>&1; then
	psql -X -q -c "CREATE EXTENSION IF NOT EXISTS pgtap" >/dev/null
	pg_prove -v test/pgtap/*.sql >"$out/pgtap.log" 2>&1
	prove_status=$?
	grep -vE '^ok ' "$out/pgtap.log" | grep -vE '^\s*$' | tail -60
	grep -cE '^\s*ok [0-9]+' "$out/pgtap.log" >"$out/pgtap.passed"
	failed=$(grep -cE '^\s*not ok [0-9]+' "$out/pgtap.log")
	# a file that died or ran a wrong number of tests fails as a whole
	if [ "$prove_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
	echo "$failed" >"$out/pgtap.failed"
fi

# Release metadata (META.json, control files, Makefile, debian/, LICENSE)
# and the Debian package, built and tested from a private tree
bash test/meta.sh "$out/meta" >"$out/meta.log" 2>&1
cat "$out/meta.log"
bash test/package.sh "$out/package" >"$out/package.log" 2>&1
cat "$out/package.log"

# 3. isolation specs (specs/*.spec + expected/*.out) by pg_isolation_regress:
#    one check per permutation (each permutation's output, its lock waits
#    included, must equal the expected one)
if ls specs/*.spec >/dev/null 2>&1; then
	make "${MAKE_ARGS[@]}" installcheck-isolation >"$out/isolation.log" 2>&1
	iso_status=$?
	cat "$out/isolation.log"
	[ -f output_iso/regression.diffs ] && head -200 output_iso/regression.diffs
	passed=0 failed=0
	while read -r name result; do
		n=$(grep -c '^starting permutation:' "expected/$name.out")
		if [ "$result" = ok ]; then passed=$((passed + n)); else failed=$((failed + n)); fi
	done < <(sed -nE 's/^test ([a-z0-9_]+) +\.\.\. (ok|FAILED|failed).*/\1 \2/p' "$out/isolation.log")
	if [ "$iso_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
	echo "$passed" >"$out/isolation.passed"
	echo "$failed" >"$out/isolation.failed"
fi

# 4. multi-cluster tests still written in bash (test/cluster/*.sh), each
#    printing its own counts
for t in test/cluster/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	bash "$t" "$out/$name" >"$out/$name.log" 2>&1
	cat "$out/$name.log"
done
exit 0
