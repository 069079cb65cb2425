#!/usr/bin/env bash
# Crash tests of the bonus distribution (issue 11): on a node of its own, the
# year's bonus of a generated organisation (bench/pay.sql, KPI_CRASH_PAY_OFFICIALS
# officials) is distributed while the server is killed under it:
#   1. kill -9 of the backend running CALL kpi.distribute_bonus once it has
#      written the pay run, its payouts and the units' funds, and waits to
#      write the ledger;
#   2. pg_ctl stop -m immediate once it has written the pay run row and waits
#      to write the payouts; then a restart;
#   3. kill -9 during a superseding distribution (supersede => true), waiting
#      to write its ledger.
# The run is held mid-flight, not raced: another session holds a SHARE lock on
# the next table the run writes (kpi.payout_ledger or kpi.payout), so the
# CALL blocks there with its earlier rows written; the test checks that it
# waits on that lock and holds RowExclusiveLock on the tables it has written
# before killing it.  Its client sees the connection lost.  After recovery:
# nothing partial (no pay run row of the killed run; no payout, ledger or unit
# fund row without its run; every run with its payouts, ledger and funds
# adding up), no lock left, and a re-run succeeds with the totals of the same
# run in an untouched copy of the database (every payout, ledger line and
# unit fund but the run ids) and passes bench/pay.sql's checks.
#
# Usage: bash test/cluster/crash_pay.sh OUTPREFIX
# Env: KPI_CRASH_PAY_OFFICIALS (default 3000), KPI_CRASH_PAY_UNITS (default 150)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
OFFICIALS=${KPI_CRASH_PAY_OFFICIALS:-3000}
UNITS=${KPI_CRASH_PAY_UNITS:-150}
echo "# crash_pay.sh: kill -9 and immediate stop during kpi.distribute_bonus ($OFFICIALS officials, $UNITS units)"

# a crash test needs commits on disk when they return: synchronous_commit = on
# (the test nodes default to off, which can lose the last commits on an immediate stop)
kc_start_node crashpay "restart_after_crash = on" "synchronous_commit = on" || kc_bail "node did not start"
P=$KC_PORT
DIR=$KC_BASE/crashpay
LOG=$KC_BASE/crashpay.log
WORK=$KC_BASE/work
mkdir -p "$WORK"
q() { kc_psql "$P" "$1" -At -c "$2"; }

kc_psql "$P" postgres -c "CREATE DATABASE cp" &&
	kc_psql "$P" cp -c "CREATE EXTENSION kpi_eval_reference CASCADE" &&
	kc_psql "$P" cp -v officials="$OFFICIALS" -v units="$UNITS" -v step=gen \
		-f "$here/../../bench/pay.sql" >"$WORK/gen.out" || kc_bail "generating the data" "$(tail -5 "$WORK/gen.out")"
# the reference: the same distributions in an untouched copy
kc_psql "$P" postgres -c "CREATE DATABASE cp_ref TEMPLATE cp" || kc_bail "copying the database"
kc_psql "$P" cp_ref -c "CALL kpi.distribute_bonus(2026)" >/dev/null 2>&1 || kc_bail "reference distribution"

# the current bonus run of 2026, without run ids: one line per row
paid() {	# paid DB
	q "$1" "WITH r AS (SELECT pay_run_id FROM kpi.current_pay_run WHERE kind = 'bonus' AND period_start = '2026-01-01')
	        SELECT 'payout ' || (official_id, unit_id, tier, score, salary_coefficient, service_months, weight, cap,
	                             share, adhoc, amount, capped, remainder_step)::text
	          FROM kpi.payout WHERE pay_run_id IN (SELECT pay_run_id FROM r)
	        UNION ALL
	        SELECT 'ledger ' || (l.official_id, l.unit_id, l.line_no, l.rule_id, l.amount, l.source_table, l.source_id, l.detail)::text
	          FROM kpi.payout_ledger l WHERE l.pay_run_id IN (SELECT pay_run_id FROM r)
	        UNION ALL
	        SELECT 'fund ' || (unit_id, salary_fund, fund, reserve, adhoc, distributable, paid, unpaid)::text
	          FROM kpi.pay_unit_fund WHERE pay_run_id IN (SELECT pay_run_id FROM r)" | LC_ALL=C sort
}
paid cp_ref >"$WORK/ref.txt"
kc_cond "the reference distribution paid every unit ($(grep -c '^fund' "$WORK/ref.txt") unit funds, $(grep -c '^payout' "$WORK/ref.txt") payouts)" \
	"$(grep -c '^fund' "$WORK/ref.txt")" -eq "$UNITS"
kc_psql "$P" cp -c "CALL kpi.distribute_bonus(2025)" >/dev/null 2>&1 &&
	kc_not_ok "2025 has no evaluation run: distributing it must fail" ||
	kc_ok "2025 has no evaluation run: distributing it fails before writing"

# consistency of the whole database: a line "name value" per measure
consistency() {
	q cp "SELECT 'pay runs ' || count(*) FROM kpi.pay_run;
	      SELECT 'payouts without a run ' || count(*) FROM kpi.payout p
	       WHERE NOT EXISTS (SELECT FROM kpi.pay_run r WHERE r.pay_run_id = p.pay_run_id);
	      SELECT 'ledger rows without a payout ' || count(*) FROM kpi.payout_ledger l
	       WHERE NOT EXISTS (SELECT FROM kpi.payout p WHERE (p.pay_run_id, p.official_id) = (l.pay_run_id, l.official_id));
	      SELECT 'unit funds without a run ' || count(*) FROM kpi.pay_unit_fund f
	       WHERE NOT EXISTS (SELECT FROM kpi.pay_run r WHERE r.pay_run_id = f.pay_run_id);
	      SELECT 'runs without payouts ' || count(*) FROM kpi.pay_run r
	       WHERE NOT EXISTS (SELECT FROM kpi.payout p WHERE p.pay_run_id = r.pay_run_id);
	      SELECT 'runs without unit funds ' || count(*) FROM kpi.pay_run r
	       WHERE NOT EXISTS (SELECT FROM kpi.pay_unit_fund f WHERE f.pay_run_id = r.pay_run_id);
	      SELECT 'payouts whose ledger does not add up ' || count(*) FROM kpi.payout p
	       WHERE p.amount <> coalesce((SELECT sum(l.amount) FROM kpi.payout_ledger l
	                                   WHERE (l.pay_run_id, l.official_id) = (p.pay_run_id, p.official_id)), 0);
	      SELECT 'unit funds whose payouts do not add up ' || count(*) FROM kpi.pay_unit_fund f
	       WHERE f.paid <> coalesce((SELECT sum(p.share) FROM kpi.payout p
	                                 WHERE (p.pay_run_id, p.unit_id) = (f.pay_run_id, f.unit_id)), 0);
	      SELECT 'current bonus runs of 2026 ' || count(*) FROM kpi.current_pay_run WHERE kind = 'bonus' AND period_start = '2026-01-01';"
}
check_after() {	# check_after WHAT RUNS-EXPECTED CURRENT-EXPECTED
	local c; c=$(consistency)
	kc_is "$(echo "$c" | grep '^pay runs')" "pay runs $2" "$1: the killed run left no pay run row ($2 runs)"
	kc_is "$(echo "$c" | grep -v '^pay runs' | grep -v '^current' | grep -vc ' 0$')" 0 \
		"$1: nothing partial: $(echo "$c" | grep -v '^pay runs' | grep -v '^current' | tr '\n' ';')"
	kc_is "$(echo "$c" | grep '^current')" "current bonus runs of 2026 $3" "$1: $3 current bonus run of 2026"
	kc_is "$(q cp "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" 0 "$1: no advisory lock left"
}

# start_call NAME SQL TABLE WRITTEN: the CALL caught while it waits for a
# SHARE lock on TABLE, having written each table of WRITTEN (not committed)
start_call() {
	kc_call_at_lock "$P" cp "$WORK" "$1" "$2" "$3" "$4"
	CALL_PID=$KC_CALL_PID
}
call_lost() { kc_call_lost "$WORK" "$1"; }
release_holder() { kc_release_holder "$WORK" "$1"; }
rerun() {	# rerun WHAT [supersede]
	local extra=""; [ "${2:-}" = supersede ] && extra=", supersede => true"
	if kc_psql "$P" cp -c "CALL kpi.distribute_bonus(2026$extra)" >"$WORK/rerun.out" 2>&1; then
		kc_ok "$1: the re-run succeeds"
	else
		kc_not_ok "$1: the re-run succeeds" "$(cat "$WORK/rerun.out")"
	fi
	paid cp >"$WORK/got.txt"
	kc_same_rows "$1: the re-run's payouts, ledger and unit funds equal the untouched database's" "$WORK/ref.txt" "$WORK/got.txt"
	kc_is "$(kc_psql "$P" cp -At -v step=check -f "$here/../../bench/pay.sql" 2>&1 | grep '^violations')" "violations = 0" \
		"$1: the re-run passes the checks of bench/pay.sql (funds, caps, steps, ledger)"
}

# 1. kill -9 of the backend, waiting to write the ledger
start_call kill9 "CALL kpi.distribute_bonus(2026)" kpi.payout_ledger "kpi.pay_run,kpi.pay_unit_fund,kpi.payout"
kc_diag "killing backend $CALL_PID with SIGKILL"
kill -9 "$CALL_PID"
call_lost kill9
release_holder kill9
kc_wait_nodes "$P" || kc_bail "no recovery after kill -9"
grep -q "terminated by signal 9" "$LOG" && kc_ok "kill -9: the server log shows the backend killed and the restart" ||
	kc_not_ok "kill -9: the server log shows the backend killed" "$(tail -5 "$LOG")"
check_after "kill -9" 0 0
rerun "kill -9"

# 2. immediate stop, waiting to write the payouts (a superseding run: the
# first one is current)
start_call immediate "CALL kpi.distribute_bonus(2026, supersede => true)" kpi.payout "kpi.pay_run"
kc_diag "pg_ctl stop -m immediate while backend $CALL_PID runs"
kc_as_owner "$KC_BINDIR/pg_ctl" -D "$DIR" -m immediate -w stop >/dev/null 2>&1 || kc_bail "immediate stop"
call_lost immediate
release_holder immediate
kc_as_owner "$KC_BINDIR/pg_ctl" -D "$DIR" -l "$LOG" -w -t 120 start >/dev/null 2>&1 || kc_bail "restart after the immediate stop"
grep -q "database system was interrupted" "$LOG" && kc_ok "immediate stop: the restart ran crash recovery" ||
	kc_not_ok "immediate stop: the restart ran crash recovery" "$(tail -5 "$LOG")"
check_after "immediate stop" 1 1
paid cp >"$WORK/after.txt"
kc_same_rows "immediate stop: the first run's payouts are still the current ones" "$WORK/ref.txt" "$WORK/after.txt"

# 3. kill -9 during a superseding run, waiting to write its ledger
start_call supersede "CALL kpi.distribute_bonus(2026, supersede => true)" kpi.payout_ledger "kpi.pay_run,kpi.pay_unit_fund,kpi.payout"
kill -9 "$CALL_PID"
call_lost supersede
release_holder supersede
kc_wait_nodes "$P" || kc_bail "no recovery after kill -9"
check_after "kill -9 during a superseding run" 1 1
rerun "kill -9 during a superseding run" supersede
kc_is "$(q cp "SELECT count(*) FROM kpi.pay_run WHERE supersedes IS NOT NULL")" 1 \
	"kill -9 during a superseding run: the re-run records its one supersession"
kc_is "$(consistency | grep -v '^pay runs' | grep -v '^current' | grep -vc ' 0$')" 0 "at the end, the database is consistent"
kc_finish
