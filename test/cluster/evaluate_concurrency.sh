#!/usr/bin/env bash
# Runs of kpi.evaluate at the same time, and a run cancelled half-way, on the
# cluster the test harness provides (PGHOST, PGPORT, PGUSER set; own
# database, dropped at exit).  Two psql sessions run in the background; the
# first holds its run open with pg_sleep inside its transaction.
#
#   - a second run of the same period waits on the period's advisory lock
#     (seen in pg_locks and pg_stat_activity), then is refused (55000), or,
#     with supersede => true, supersedes the first run;
#   - runs of different periods do not wait for each other, and what-if
#     does not wait for a run;
#   - a year waits for a run of one of its months, then uses it;
#   - under REPEATABLE READ, whose snapshot predates the first run's commit,
#     the second run is still refused (the unique index, not the snapshot);
#   - a run cancelled half-way (pg_cancel_backend) writes nothing and
#     leaves nothing locked.
#
# Usage: bash test/cluster/evaluate_concurrency.sh OUTPREFIX
#   writes OUTPREFIX.passed and OUTPREFIX.failed
# Env: KPI_CC_SLEEP (seconds the first session holds its run, default 3)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
echo "# evaluate_concurrency.sh: concurrent and cancelled kpi.evaluate runs"

HOLD=${KPI_CC_SLEEP:-3}
kc_harness_db kpi_evaluate_cc_$$

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# session NAME SQL: runs SQL in the background as application NAME; its
# output (with SQLSTATEs) goes to $WORK/NAME.out, its start and end times to
# $WORK/NAME.t0 and $WORK/NAME.t1, its exit status to $WORK/NAME.rc
session() {
	local name=$1 sql=$2
	(
		now >"$WORK/$name.t0"
		PGAPPNAME=$name psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$DB" \
			-c '\set VERBOSITY verbose' -c "$sql" >"$WORK/$name.out" 2>&1
		echo $? >"$WORK/$name.rc"
		now >"$WORK/$name.t1"
	) &
}
# pid_of NAME: the backend pid of the session (waits up to 10 s for it)
pid_of() {
	local i p
	for i in $(seq 1 100); do
		p=$(dbq "SELECT pid FROM pg_stat_activity WHERE application_name = '$1' AND datname = current_database()")
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.1
	done
	return 1
}
# wait_lock PID t|f: until PID holds (t) or waits for (f) an advisory lock
# (up to 10 s); fails when it never does
wait_lock() {
	local i n
	for i in $(seq 1 100); do
		n=$(dbq "SELECT count(*) FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND granted = '$2'::boolean")
		[ -n "$n" ] && [ "$n" != 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# hold CALL: session a runs CALL in a transaction it keeps open $HOLD s more,
# holding the run's advisory lock; sets pa
hold() {
	session a "BEGIN; $1 SELECT pg_sleep($HOLD); COMMIT;"
	pa=$(pid_of a) || kc_bail "session a did not start"
	wait_lock "$pa" t || kc_bail "session a never took the advisory lock"
}

# waits SQL DESCRIPTION: session b runs SQL, which must wait for an advisory
# lock (pg_locks: not granted); sets pb
waits() {
	session b "$1"
	pb=$(pid_of b) || kc_bail "session b did not start"
	if wait_lock "$pb" f; then kc_ok "$2"; else kc_not_ok "$2"; fi
}
runs_of() { dbq "SELECT count(*) FROM kpi.evaluation_run WHERE period_start = '$1' AND period_kind = '$2'"; }

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" ||
	kc_bail "cannot create database $DB on the harness cluster"
db -c "CREATE EXTENSION kpi_eval_reference CASCADE" || kc_bail "CREATE EXTENSION kpi_eval_reference CASCADE"

# a small organisation: 3 units, 40 officials (a leader per unit), 6 months of
# task lines and marks
db <<-'SQL' || kc_bail "loading the organisation"
	SELECT setseed(0.5) \gset
	INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind)
	VALUES (1, NULL, 'Sở', 'province'), (2, 1, 'Phòng A', NULL), (3, 1, 'Phòng B', NULL);
	INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit)
	SELECT i, 1 + i % 3, 'Công chức ' || i, i <= 3, CASE WHEN i <= 3 THEN 1 + i % 3 END
	FROM generate_series(1, 40) i;
	INSERT INTO kpi.task_line (official_id, due, done, completed_qty, passed_qty, quality_errors, late_events)
	SELECT o, make_date(2026, m, 1 + (k * 3) % 28), NULL, c, c * (random() < 0.9)::int,
	       (random() < 0.1)::int, (random() < 0.1)::int
	FROM generate_series(1, 40) o, generate_series(1, 6) m, generate_series(1, 10) k,
	     LATERAL (SELECT (random() < 0.85)::int AS c) x
	ORDER BY o, m, k;
	INSERT INTO kpi.general_mark
	SELECT o, make_date(2026, m, 1), '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2,2}'
	FROM generate_series(1, 40) o, generate_series(1, 6) m;
	SQL

##############################################################################
# 1. Same period: the second run waits, then is refused
##############################################################################

hold "CALL kpi.evaluate('2026-01-01', 'month');"
waits "CALL kpi.evaluate('2026-01-01', 'month');" "a second run of 2026-01 waits for the advisory lock (pg_locks: not granted)"
kc_is "$(dbq "SELECT wait_event_type || '/' || wait_event FROM pg_stat_activity WHERE pid = $pb")" \
	"Lock/advisory" "pg_stat_activity shows it waiting on Lock/advisory"
kc_is "$(dbq "SELECT count(*) FROM pg_locks l JOIN pg_locks w ON w.locktype = 'advisory' AND w.classid = l.classid
	AND w.objid = l.objid AND NOT w.granted AND w.pid = $pb WHERE l.pid = $pa AND l.granted")" "1" \
	"it waits for the lock that the first run holds"
wait
kc_is "$(cat "$WORK/a.rc")" "0" "the first run commits"
kc_is "$(grep -c 'ERROR:  55000: period 2026-01-01 (month) is already evaluated' "$WORK/b.out")" "1" \
	"then the second run is refused: 55000 period 2026-01-01 (month) is already evaluated"
waited=$(elapsed "$(cat "$WORK/b.t0")" "$(cat "$WORK/b.t1")")
kc_cond "the second run waited for the first ($waited s, the first held ${HOLD} s)" \
	"$(awk -v w="$waited" -v h="$HOLD" 'BEGIN { print (w >= h - 1.5) ? 1 : 0 }')" = 1
kc_is "$(runs_of 2026-01-01 month)" "1" "one run of 2026-01"

##############################################################################
# 2. Same period with supersede: the second waits, then supersedes the first
##############################################################################

hold "CALL kpi.evaluate('2026-01-01', 'month', supersede => true);"
waits "CALL kpi.evaluate('2026-01-01', 'month', supersede => true);" "a superseding run waits for the run in progress"
wait
kc_is "$(cat "$WORK/a.rc")/$(cat "$WORK/b.rc")" "0/0" "both superseding runs commit"
kc_is "$(dbq "SELECT string_agg(run_id || '>' || superseded_by, ' ' ORDER BY run_id) FROM kpi.run_supersession")" \
	"1>2 2>3" "they form a chain: run 1 superseded by 2, run 2 by 3"
kc_is "$(dbq "SELECT string_agg(DISTINCT run_id::text, ',') FROM kpi.current_official_result
	WHERE period_start = '2026-01-01'")" "3" "only the last run is current"
kc_is "$(dbq "SELECT count(*) FROM (SELECT official_id, score, input_digest FROM kpi.official_result WHERE run_id = 1
	EXCEPT SELECT official_id, score, input_digest FROM kpi.official_result WHERE run_id = 3) s")" "0" \
	"and it has the first run's results"

##############################################################################
# 3. Other periods do not wait; what-if does not wait
##############################################################################

hold "CALL kpi.evaluate('2026-02-01', 'month');"
t0=$(now)
dbq "CALL kpi.evaluate('2026-03-01', 'month')" >"$WORK/c.out" 2>&1
rc=$?
t1=$(now)
dbq "SELECT count(*) FROM kpi.what_if('2026-02-01', 'month', '{\"progress_reading\": \"strict\"}')" >"$WORK/w.out" 2>&1
rcw=$?
t2=$(now)
alive=$(dbq "SELECT count(*) FROM pg_stat_activity WHERE pid = $pa AND state = 'active'")
kc_is "$rc/$alive" "0/1" "2026-03 is evaluated while the run of 2026-02 is still open"
kc_cond "without waiting for it ($(elapsed "$t0" "$t1") s)" \
	"$(awk -v w="$(elapsed "$t0" "$t1")" -v h="$HOLD" 'BEGIN { print (w < h - 0.5) ? 1 : 0 }')" = 1
kc_is "$rcw/$(cat "$WORK/w.out")" "0/40" "what-if on 2026-02 answers during its run ($(elapsed "$t1" "$t2") s)"
wait

##############################################################################
# 4. A year waits for a run of one of its months, then uses it
##############################################################################

hold "CALL kpi.evaluate('2026-02-01', 'month', supersede => true);"
waits "CALL kpi.evaluate('2026-01-01', 'year');" "a year run waits for the run of its month 2026-02"
wait
kc_is "$(cat "$WORK/a.rc")/$(cat "$WORK/b.rc")" "0/0" "both commit"
feb=$(dbq "SELECT run_id FROM kpi.evaluation_run r WHERE period_start = '2026-02-01' AND period_kind = 'month'
	AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id)")
kc_is "$(dbq "SELECT count(DISTINCT l.source_id) FILTER (WHERE (l.detail ->> 'period_start')::date = '2026-02-01')
	|| '/' || min(l.source_id) FILTER (WHERE (l.detail ->> 'period_start')::date = '2026-02-01')
	FROM kpi.ledger l JOIN kpi.evaluation_run r USING (run_id) WHERE r.period_kind = 'year' AND l.rule_id = 'CS12'")" \
	"1/$feb" "the year used the month run that committed while it waited (run $feb)"

##############################################################################
# 5. REPEATABLE READ: a snapshot older than the first run's commit
##############################################################################

hold "CALL kpi.evaluate('2026-04-01', 'month');"
session b "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM kpi.evaluation_run;
	CALL kpi.evaluate('2026-04-01', 'month'); COMMIT;"
pb=$(pid_of b) || kc_bail "session b did not start"
wait_lock "$pb" f || kc_not_ok "(the repeatable-read run did not wait)"
wait
kc_is "$(grep -c 'ERROR:  55000: period 2026-04-01 (month) is already evaluated' "$WORK/b.out")/$(grep -c 'A concurrent run of the same period committed first' "$WORK/b.out")" \
	"1/1" "under REPEATABLE READ the second run is refused too (55000, a concurrent run committed first)"
kc_is "$(runs_of 2026-04-01 month)" "1" "one run of 2026-04"

##############################################################################
# 6. A run cancelled half-way writes nothing
##############################################################################

# a trigger of the test's own makes the run stop for a while after its
# results are written, before its ledger
db -c "CREATE FUNCTION public.slow_down() RETURNS trigger LANGUAGE plpgsql AS
	\$\$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END \$\$;
	CREATE TRIGGER slow_down AFTER INSERT ON kpi.official_result
	FOR EACH STATEMENT EXECUTE FUNCTION public.slow_down();" || kc_bail "creating the slow-down trigger"
before=$(dbq "SELECT (SELECT count(*) FROM kpi.evaluation_run) || '/' || (SELECT count(*) FROM kpi.official_result)
	|| '/' || (SELECT count(*) FROM kpi.ledger) || '/' || (SELECT count(*) FROM kpi.run_supersession)")
session a "CALL kpi.evaluate('2026-05-01', 'month');"
pa=$(pid_of a) || kc_bail "session a did not start"
wait_lock "$pa" t || kc_bail "session a never took the advisory lock"
for i in $(seq 1 100); do
	[ "$(dbq "SELECT wait_event FROM pg_stat_activity WHERE pid = $pa")" = "PgSleep" ] && break
	sleep 0.1
done
kc_is "$(dbq "SELECT wait_event FROM pg_stat_activity WHERE pid = $pa")" "PgSleep" \
	"the run of 2026-05 is half-way (results written, sleeping in a trigger)"
kc_is "$(dbq "SELECT pg_cancel_backend($pa)")" "t" "pg_cancel_backend cancels it"
wait
kc_is "$(grep -c 'ERROR:  57014: canceling statement due to user request' "$WORK/a.out")" "1" \
	"the run ends with 57014 (query_canceled)"
after=$(dbq "SELECT (SELECT count(*) FROM kpi.evaluation_run) || '/' || (SELECT count(*) FROM kpi.official_result)
	|| '/' || (SELECT count(*) FROM kpi.ledger) || '/' || (SELECT count(*) FROM kpi.run_supersession)")
kc_is "$after" "$before" "nothing was written: runs/results/ledger/supersessions $after"
kc_is "$(dbq "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" "0" "no advisory lock is left"
db -c "DROP TRIGGER slow_down ON kpi.official_result" || kc_bail "dropping the trigger"
kc_is "$(dbq "CALL kpi.evaluate('2026-05-01', 'month'); SELECT count(*) FROM kpi.current_official_result
	WHERE period_start = '2026-05-01'" 2>/dev/null | tail -1)" "40" "2026-05 is evaluated afterwards"

##############################################################################
# 7. Every ledger still adds up
##############################################################################

kc_is "$(dbq "SELECT count(*) FROM (SELECT r.score, sum(l.points_lost) AS lost
	FROM kpi.official_result r LEFT JOIN kpi.ledger l USING (run_id, official_id)
	WHERE r.score IS NOT NULL GROUP BY r.run_id, r.official_id, r.score) s WHERE lost IS DISTINCT FROM 100 - score")" \
	"0" "every ledger adds up to 100 - score"

kc_finish
