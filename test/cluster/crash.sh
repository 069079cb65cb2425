#!/usr/bin/env bash
# Crash tests of kpi.evaluate (issue 11): on a node of its own, a province of
# civil servants (bench/evaluate.sql, KPI_CRASH_OFFICIALS officials) is
# evaluated while the server is killed under it:
#   1. kill -9 of the backend running CALL kpi.evaluate (the postmaster then
#      restarts every backend and recovers);
#   2. pg_ctl stop -m immediate during CALL kpi.evaluate, then a restart;
#   3. kill -9 during a superseding run (supersede => true) of a period that
#      already has results.
# Each kill lands while the CALL waits to seal its run (another session
# holds a SHARE lock on kpi.run_seal), when it has written its run and
# results but not committed them, and its client sees the connection lost.  After recovery: nothing partial (no run
# row of the period, no result or ledger row without its run, every run with
# as many results as officials and ledgers adding up), and a re-run succeeds
# with results identical to those of the same run in an untouched copy of
# the database (every column but run ids and timestamps).
#
# Usage: bash test/cluster/crash.sh OUTPREFIX
# Env: KPI_CRASH_OFFICIALS (default 20000), KPI_CRASH_LINES (default 400000)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
OFFICIALS=${KPI_CRASH_OFFICIALS:-20000}
LINES=${KPI_CRASH_LINES:-400000}
echo "# crash.sh: kill -9 and immediate stop during kpi.evaluate ($OFFICIALS officials, $LINES task lines)"

# commits must be on disk when they return (the test nodes default to synchronous_commit = off)
kc_start_node crash "restart_after_crash = on" "work_mem = 64MB" "synchronous_commit = on" || kc_bail "node did not start"
P=$KC_PORT
DIR=$KC_BASE/crash
LOG=$KC_BASE/crash.log
WORK=$KC_BASE/work
mkdir -p "$WORK"
q() { kc_psql "$P" "$1" -At -c "$2"; }

kc_psql "$P" postgres -c "CREATE DATABASE cr" &&
	kc_psql "$P" cr -c "CREATE EXTENSION kpi_eval_reference CASCADE" &&
	kc_psql "$P" cr -v officials="$OFFICIALS" -v lines="$LINES" -v seed=0.11 -v step=gen \
		-f "$here/../../bench/evaluate.sql" >"$WORK/gen.out" || kc_bail "generating the data" "$(tail -5 "$WORK/gen.out")"
kc_psql "$P" cr -c "VACUUM ANALYZE" >/dev/null
# the reference: the same runs in an untouched copy
kc_psql "$P" postgres -c "CREATE DATABASE cr_ref TEMPLATE cr" || kc_bail "copying the database"
t0=$(date +%s.%N)
for m in 2026-03-01 2026-04-01; do
	kc_psql "$P" cr_ref -c "CALL kpi.evaluate('$m', 'month')" >/dev/null || kc_bail "reference run of $m"
done
t1=$(date +%s.%N)
kc_psql "$P" cr_ref -c "CALL kpi.evaluate('2026-03-01', 'month', supersede => true)" >/dev/null || kc_bail "reference superseding run"
kc_diag "two reference month runs: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"

# results of the current run of a period, without run ids: one line per row
results() {	# results DB PERIOD
	q "$1" "WITH r AS (SELECT e.run_id FROM kpi.evaluation_run e
	                   WHERE e.period_start = '$2' AND e.period_kind = 'month'
	                     AND NOT EXISTS (SELECT FROM kpi.run_supersession s WHERE s.run_id = e.run_id))
	        SELECT 'result ' || (official_id, unit_id, task_group, is_leader, general_points, quantity_pct, quality_pct,
	                             progress_pct, task_pct, task_points, d, dd, e, score, tier, tally, input_digest)::text
	          FROM kpi.official_result WHERE run_id IN (SELECT run_id FROM r)
	        UNION ALL
	        SELECT 'ledger ' || (official_id, unit_id, line_no, rule_id, source_table, source_id, points_lost, detail)::text
	          FROM kpi.ledger WHERE run_id IN (SELECT run_id FROM r)" | LC_ALL=C sort
}
for m in 2026-03-01 2026-04-01; do results cr_ref "$m" >"$WORK/ref_$m.txt"; done

# consistency of the whole database: a line "name value" per measure
consistency() {
	q cr "SELECT 'runs ' || count(*) FROM kpi.evaluation_run;
	      SELECT 'runs without results ' || count(*) FROM kpi.evaluation_run e
	       WHERE NOT EXISTS (SELECT FROM kpi.official_result r WHERE r.run_id = e.run_id);
	      SELECT 'runs whose result count is not the officials count ' || count(*) FROM kpi.evaluation_run e
	       WHERE (SELECT count(*) FROM kpi.official_result r WHERE r.run_id = e.run_id) <> (SELECT count(*) FROM kpi.official);
	      SELECT 'results without a run ' || count(*) FROM kpi.official_result r
	       WHERE NOT EXISTS (SELECT FROM kpi.evaluation_run e WHERE e.run_id = r.run_id);
	      SELECT 'ledger rows without a result ' || count(*) FROM kpi.ledger l
	       WHERE NOT EXISTS (SELECT FROM kpi.official_result r WHERE (r.run_id, r.official_id) = (l.run_id, l.official_id));
	      SELECT 'scored results whose ledger does not add up ' || count(*) FROM kpi.official_result r
	       WHERE r.score IS NOT NULL
	         AND 100 - r.score <> coalesce((SELECT sum(points_lost) FROM kpi.ledger l
	                                         WHERE (l.run_id, l.official_id) = (r.run_id, r.official_id)), 0);
	      SELECT 'supersessions ' || count(*) FROM kpi.run_supersession;"
}
# the checks after a crash: no run of the period, nothing partial
check_after() {	# check_after WHAT PERIOD RUNS-EXPECTED SUPERSESSIONS-EXPECTED
	local c; c=$(consistency)
	kc_is "$(echo "$c" | grep '^runs [0-9]')" "runs $3" "$1: the killed run left no run row ($3 runs)"
	kc_is "$(echo "$c" | grep -v '^runs [0-9]' | grep -v '^supersessions' | grep -vc ' 0$')" 0 \
		"$1: nothing partial: $(echo "$c" | grep -v '^runs [0-9]' | grep -v '^supersessions' | tr '\n' ';')"
	kc_is "$(echo "$c" | grep '^supersessions')" "supersessions $4" "$1: no supersession recorded by the killed run"
	kc_is "$(q cr "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" 0 "$1: no advisory lock left"
}

# start_call NAME SQL: the CALL caught while it waits to seal its run
# (another session's SHARE lock on kpi.run_seal), its run and results written
# and not committed
start_call() {
	kc_call_at_lock "$P" cr "$WORK" "$1" "$2" kpi.run_seal kpi.evaluation_run,kpi.official_result
	CALL_PID=$KC_CALL_PID
}
call_lost() { kc_call_lost "$WORK" "$1"; }
release_holder() { kc_release_holder "$WORK" "$1"; }
rerun() {	# rerun WHAT PERIOD [supersede]
	local extra=""; [ "${3:-}" = supersede ] && extra=", supersede => true"
	if kc_psql "$P" cr -c "CALL kpi.evaluate('$2', 'month'$extra)" >"$WORK/rerun.out" 2>&1; then
		kc_ok "$1: the re-run succeeds"
	else
		kc_not_ok "$1: the re-run succeeds" "$(cat "$WORK/rerun.out")"
	fi
	results cr "$2" >"$WORK/got_$2.txt"
	kc_same_rows "$1: the re-run's results and ledger equal the untouched database's" "$WORK/ref_$2.txt" "$WORK/got_$2.txt"
}

# 1. kill -9 of the backend
start_call kill9 "CALL kpi.evaluate('2026-03-01', 'month')"
kc_diag "killing backend $CALL_PID with SIGKILL"
kill -9 "$CALL_PID"
call_lost kill9
release_holder kill9
kc_wait_nodes "$P" || kc_bail "no recovery after kill -9"
grep -q "terminated by signal 9" "$LOG" && kc_ok "kill -9: the server log shows the backend killed and the restart" ||
	kc_not_ok "kill -9: the server log shows the backend killed" "$(tail -5 "$LOG")"
check_after "kill -9" 2026-03-01 0 0
rerun "kill -9" 2026-03-01

# 2. immediate stop
start_call immediate "CALL kpi.evaluate('2026-04-01', 'month')"
kc_diag "pg_ctl stop -m immediate while backend $CALL_PID runs"
kc_as_owner "$KC_BINDIR/pg_ctl" -D "$DIR" -m immediate -w stop >/dev/null 2>&1 || kc_bail "immediate stop"
call_lost immediate
release_holder immediate
kc_as_owner "$KC_BINDIR/pg_ctl" -D "$DIR" -l "$LOG" -w -t 120 start >/dev/null 2>&1 || kc_bail "restart after the immediate stop"
grep -q "database system was interrupted" "$LOG" && kc_ok "immediate stop: the restart ran crash recovery" ||
	kc_not_ok "immediate stop: the restart ran crash recovery" "$(tail -5 "$LOG")"
check_after "immediate stop" 2026-04-01 1 0
rerun "immediate stop" 2026-04-01

# 3. kill -9 during a superseding run: the old run stays current
results cr 2026-03-01 >"$WORK/before.txt"
start_call supersede "CALL kpi.evaluate('2026-03-01', 'month', supersede => true)"
kill -9 "$CALL_PID"
call_lost supersede
release_holder supersede
kc_wait_nodes "$P" || kc_bail "no recovery after kill -9"
check_after "kill -9 during a superseding run" 2026-03-01 2 0
results cr 2026-03-01 >"$WORK/after.txt"
kc_same_rows "kill -9 during a superseding run: the old run's results are still the current ones" "$WORK/before.txt" "$WORK/after.txt"
rerun "kill -9 during a superseding run" 2026-03-01 supersede
kc_is "$(q cr "SELECT count(*) FROM kpi.run_supersession")" 1 "kill -9 during a superseding run: the re-run records its one supersession"
kc_is "$(consistency | grep -v '^runs [0-9]' | grep -v '^supersessions' | grep -vc ' 0$')" 0 "at the end, the database is consistent"
kc_finish
