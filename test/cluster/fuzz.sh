#!/usr/bin/env bash
# The seeded, bounded SQL-level fuzzer (test/fuzz/fuzz.sql) on a node of its
# own, so a crash cannot take the harness cluster with it.  Statements: text
# input of kpi.tally and kpi.lawmaking (mutated valid values; successes must
# read back identically), binary receive of both (mutated wire forms through
# COPY FORMAT binary; successes must send back the same bytes), the rules
# parser (kpi.effective_rules of mutated rules), every function of schema kpi
# with random arguments (aggregate support functions with crafted states
# included) and every aggregate over random rows, plain and as a moving
# window.
#
# Fails on a lost connection, "terminated by signal", PANIC or TRAP in the
# server log, XX000 or any SQLSTATE outside the allow-list (classes 22, data
# exception, and 54, program limit exceeded, and 23514, the check violation of
# kpi.task_line_check; fz.expected), a round trip that
# differs, or a batch running over its time limit.  A batch that loses its
# connection is replayed with echo to name the statement.
#
# Usage: bash test/cluster/fuzz.sh OUTPREFIX
# Env: KPI_FUZZ_STATEMENTS (default 50000: about 40 s on an idle 2-core
#      machine, 150 s when other work shares it), KPI_FUZZ_SEED (default 11),
#      KPI_FUZZ_BATCH (statements per batch, default 2500)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
N=${KPI_FUZZ_STATEMENTS:-50000}
SEED=${KPI_FUZZ_SEED:-11}
BATCH=${KPI_FUZZ_BATCH:-2500}
echo "# fuzz.sh: $N statements, seed $SEED, batches of $BATCH"

kc_start_node fuzz "restart_after_crash = on" "log_min_messages = warning" ||
	kc_bail "fuzz node did not start"
P=$KC_PORT
LOG=$KC_BASE/fuzz.log
kc_psql "$P" postgres -c "CREATE DATABASE fuzz" &&
	kc_psql "$P" fuzz -c "CREATE EXTENSION kpi_eval" &&
	kc_psql "$P" fuzz -f "$here/../fuzz/fuzz.sql" >/dev/null || kc_bail "fuzz schema"
q() { kc_psql "$P" fuzz -At -c "$1"; }

t0=$(date +%s)
lost=0 over=0 b=0 done_=0
while [ "$done_" -lt "$N" ]; do
	b=$((b + 1))
	size=$((N - done_)); [ "$size" -gt "$BATCH" ] && size=$BATCH
	if ! PGOPTIONS="-c statement_timeout=300s" kc_psql "$P" fuzz -c "CALL fz.batch($SEED, $b, $size)" \
		>"$KC_BASE/batch.out" 2>&1; then
		if grep -q "canceling statement due to statement timeout" "$KC_BASE/batch.out"; then
			over=$((over + 1))
			kc_diag "batch $b ran over its time limit"
		elif ! grep -qE "server closed the connection|connection to server was lost|terminating connection" "$KC_BASE/batch.out"; then
			kc_bail "batch $b: the fuzzer itself failed" "$(head -5 "$KC_BASE/batch.out")"
		else
			lost=$((lost + 1))
			kc_diag "batch $b failed: $(head -3 "$KC_BASE/batch.out")"
			kc_wait_nodes "$P" || kc_bail "the fuzz node did not come back"
			# replay with echo: the last statement echoed is the one that failed
			kc_psql "$P" fuzz -c "CALL fz.batch($SEED, $b, $size, true)" >"$KC_BASE/replay.out" 2>&1
			kc_diag "replay of batch $b, last statement: $(grep 'NOTICE:  fuzz' "$KC_BASE/replay.out" | tail -1 | cut -c1-1500)"
			kc_wait_nodes "$P" || kc_bail "the fuzz node did not come back"
		fi
	fi
	done_=$((done_ + size))
done
t1=$(date +%s)
kc_diag "ran $N statements in $b batches in $((t1 - t0)) s"

kc_is "$lost" 0 "no batch lost its connection"
kc_is "$over" 0 "no batch ran over its time limit (300 s)"
signals=$(grep -cE "terminated by signal|PANIC|TRAP:" "$LOG")
kc_is "$signals" 0 "no server process terminated by a signal, no PANIC or TRAP in the server log"
kc_is "$(q "SELECT coalesce(sum(n), 0) FROM fz.stat")" "$N" "every statement ran and was counted"
kc_is "$(q "SELECT count(*) FROM fz.finding WHERE state = 'XX000'")" 0 "no internal error (XX000)"
for kind in text binary rules call aggregate; do
	n=$(q "SELECT coalesce(sum(n), 0) FROM fz.stat WHERE kind = '$kind'")
	ok=$(q "SELECT coalesce(sum(n), 0) FROM fz.stat WHERE kind = '$kind' AND state = 'ok'")
	states=$(q "SELECT string_agg(state || ' ' || n, ', ' ORDER BY n DESC) FROM (SELECT state, sum(n) n FROM fz.stat WHERE kind = '$kind' GROUP BY state) s")
	bad=$(q "SELECT count(*) FROM fz.finding WHERE kind = '$kind'")
	if [ "$bad" = 0 ] && [ "$n" -gt 0 ] && [ "$ok" -gt 0 ] && [ "$ok" -lt "$n" ]; then
		kc_ok "$kind: $n statements, only expected SQLSTATEs and exact round trips ($states)"
	else
		kc_not_ok "$kind: $n statements, $bad unexpected (successes $ok; $states)" \
			"$(q "SELECT state || ' ' || message || E'\n  ' || left(stmt, 600) FROM fz.finding WHERE kind = '$kind' ORDER BY batch, i LIMIT 5")"
	fi
done
# the detectors detect: a batch whose backend is killed (kill -9) is seen
# as a lost connection, and the server log shows the signal
( kc_psql "$P" fuzz -c "CALL fz.batch($SEED, 0, 1000000)" >"$KC_BASE/self.out" 2>&1 ) &
self_job=$!
for i in $(seq 1 100); do
	pid=$(q "SELECT pid FROM pg_stat_activity WHERE query LIKE 'CALL fz.batch(%, 0, %' AND state = 'active'")
	[ -n "$pid" ] && break
	sleep 0.1
done
[ -n "$pid" ] && kill -9 "$pid"
wait "$self_job"
kc_cond "self-check: a backend killed under a batch is seen as a lost connection" \
	"$(grep -cE "server closed the connection|connection to server was lost|terminating connection" "$KC_BASE/self.out")" -gt 0
kc_cond "self-check: the server log then shows \"terminated by signal\"" "$(grep -c "terminated by signal 9" "$LOG")" -gt 0
kc_wait_nodes "$P" || kc_bail "the fuzz node did not come back after the self-check"

# every function and aggregate of schema kpi was called, and succeeded at least once
missed=$(q "SELECT string_agg(t.proname || '(' || array_to_string(t.args, ', ') || ')', '; ') FROM fz.target t WHERE NOT EXISTS (SELECT FROM fz.called c WHERE c.oid = t.oid AND c.ok > 0)")
kc_is "$missed" "" "every function and aggregate of schema kpi taking no internal succeeded at least once ($(q "SELECT count(*) FROM fz.target") of them)"
kc_finish
