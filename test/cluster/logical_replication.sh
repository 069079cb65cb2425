#!/usr/bin/env bash
# Logical replication of the results (issue 11 point 7, doc/robustness.md):
# two nodes, a publisher (wal_level = logical) holding the reference schema
# and its runs, and a subscriber set up as doc/robustness.md recommends:
#   - the publication carries the results tables, the organisation they
#     refer to and the rule sets (without the seeded one, which the
#     extension creates on both sides), WITH (publish = 'insert'): a
#     deletion or update on the publisher, even one that bypassed its
#     triggers, is never applied to the subscriber;
#   - on the subscriber the append-only triggers are ENABLE ALWAYS, so they
#     fire for replicated changes too (a publication that does carry
#     deletions cannot remove results), and for local sessions whatever
#     their session_replication_role;
#   - readers on the subscriber get SELECT only.
# Checks: the initial copy and later runs arrive identical (every row of
# every published table); local UPDATE, DELETE and TRUNCATE on the
# subscriber are refused (also for a superuser in replica mode), INSERT by a
# reader is refused; a tampering on the publisher does not reach the
# subscriber.
#
# Usage: bash test/cluster/logical_replication.sh OUTPREFIX
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"

# The small organisation of the reference tests (test/sample/reference_org.sql,
# which KpiTest::org_sql reads too): units 1-3, officials 1-7, January and
# February 2026, the agency's yearly inputs; and March for officials 6 and 7
# (KpiTest::march_sql's rows).
kr_org_sql() { cat "$here/../sample/reference_org.sql"; }

kr_march_sql() {
	cat <<-'SQL'
	INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
	SELECT o, 'Tháng 3, nhiệm vụ ' || i, '2026-03-20', '2026-03-19', 1, 1
	FROM generate_series(6, 7) o, generate_series(1, 4) i;
	INSERT INTO kpi.general_mark
	SELECT o, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}' FROM generate_series(6, 7) o;
	SQL
}

echo "# logical_replication.sh: the results published to a second cluster"

KC_NOWAIT=1 kc_start_node pub "wal_level = logical" "max_wal_senders = 4" "max_replication_slots = 4" || kc_bail "publisher"
PUB=$KC_PORT
KC_NOWAIT=1 kc_start_node sub "max_logical_replication_workers = 4" "wal_receiver_timeout = 10s" || kc_bail "subscriber"
SUB=$KC_PORT
kc_wait_nodes "$PUB" "$SUB" || kc_bail "nodes did not start"
pub() { kc_psql "$PUB" kr "$@"; }
sub() { kc_psql "$SUB" kr "$@"; }
pubq() { kc_psql "$PUB" kr -At -c "$1"; }
subq() { kc_psql "$SUB" kr -At -c "$1"; }

# (kpi.ledger is a view over the results' packed ledgers: compared, not published)
RESULT_TABLES="kpi.evaluation_run kpi.run_supersession kpi.run_seal kpi.run_correction kpi.official_result kpi.agency_result kpi.agency_ledger"
TABLES="kpi.unit kpi.official kpi.rule_set $RESULT_TABLES kpi.ledger"

for p in "$PUB" "$SUB"; do
	kc_psql "$p" postgres -c "CREATE DATABASE kr" &&
		kc_psql "$p" kr -c "CREATE EXTENSION kpi_eval_reference CASCADE" 2>/dev/null || kc_bail "extension on port $p"
done
kr_org_sql | pub >/dev/null || kc_bail "organisation"
pub -c "CALL kpi.evaluate('2026-01-01', 'month')" 2>/dev/null || kc_bail "January run"

# the publisher: inserts only
pub -c "CREATE PUBLICATION kpi_results FOR TABLE kpi.unit, kpi.official, kpi.rule_set WHERE (NOT seeded),
        kpi.evaluation_run, kpi.run_supersession, kpi.run_seal, kpi.run_correction,
        kpi.official_result, kpi.agency_result, kpi.agency_ledger
        WITH (publish = 'insert', publish_via_partition_root = true)" || kc_bail "publication"
# the subscriber: append-only triggers ALWAYS, a read-only reader, then the subscription
{
	for t in $RESULT_TABLES; do
		echo "ALTER TABLE $t ENABLE ALWAYS TRIGGER append_only, ENABLE ALWAYS TRIGGER append_only_truncate;"
	done
	# the year partitions the replicated rows go to, made after: with the parents' triggers' state
	echo "SELECT kpi.ensure_year_partitions(2026);"
	echo "CREATE ROLE kpi_reader LOGIN;"
	echo "GRANT USAGE ON SCHEMA kpi TO kpi_reader;"
	echo "GRANT SELECT ON ALL TABLES IN SCHEMA kpi TO kpi_reader;"
	echo "CREATE SUBSCRIPTION kpi_results CONNECTION 'host=$KC_SOCK port=$PUB dbname=kr user=postgres' PUBLICATION kpi_results;"
} | sub 2>&1 | grep -v "^NOTICE" || true
kc_is "$(subq "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'append_only%' AND tgenabled = 'A'")" 16 \
	"the subscriber's 16 append-only triggers are ENABLE ALWAYS (14 of the tables, 2 of the 2026 partition)"

# table digest: md5 of every row's text, in order
digest() {	# digest pubq|subq TABLE
	$1 "SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text)), '-') FROM $2 t"
}
# wait until every published table is the same on both sides (60 s)
wait_same() {
	local i t same
	for i in $(seq 1 300); do
		same=1
		for t in $TABLES; do
			[ "$(digest pubq "$t")" = "$(digest subq "$t")" ] || { same=0; break; }
		done
		[ $same = 1 ] && return 0
		sleep 0.2
	done
	return 1
}
compare() {	# compare WHAT
	local t
	wait_same
	for t in $TABLES; do
		local a b; a=$(digest pubq "$t"); b=$(digest subq "$t")
		if [ "$a" = "$b" ] && [ "${a%% *}" -gt 0 ]; then kc_ok "$1: $t identical on the subscriber (${a%% *} rows)"
		elif [ "$a" = "$b" ]; then kc_ok "$1: $t identical on the subscriber (empty on both)"
		else kc_not_ok "$1: $t identical on the subscriber" "publisher: $a" "subscriber: $b"; fi
	done
}
compare "initial copy"

# later runs stream over: February, January again superseding the first, the year
pub -c "CALL kpi.evaluate('2026-02-01', 'month')" -c "CALL kpi.evaluate('2026-01-01', 'month', supersede => true)" \
	-c "CALL kpi.evaluate('2026-01-01', 'year')" 2>/dev/null ||
	kc_bail "later runs"
compare "after three more runs"
kc_is "$(subq "SELECT count(*) FROM kpi.current_official_result")" "$(pubq "SELECT count(*) FROM kpi.current_official_result")" \
	"the subscriber's current results view shows as many rows as the publisher's"

# the seals verify on the subscriber: it holds exactly what was sealed
kc_is "$(subq "SELECT count(*) FILTER (WHERE sealed AND results_ok AND chain_ok) || '/' || count(*) FROM kpi.evaluation_run e, kpi.verify_run(e.run_id) v")" \
	"$(pubq "SELECT count(*) || '/' || count(*) FROM kpi.evaluation_run")" "every run's seal verifies on the subscriber (kpi.verify_run)"

# local modification on the subscriber is refused
try() {	# try WHAT EXPECTED-SQLSTATE PSQL-ARGS...: one statement, its SQLSTATE or ok
	local what=$1 want=$2 got; shift 2
	got=$("$@" -v VERBOSITY=verbose 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' | head -1)
	kc_is "${got:-ok}" "$want" "$what"
}
try "subscriber: UPDATE of a result refused (55000)" 55000 sub -c "UPDATE kpi.official_result SET score = 100"
try "subscriber: DELETE of ledger rows refused (55000)" 55000 sub -c "DELETE FROM kpi.ledger"
try "subscriber: TRUNCATE refused (55000)" 55000 sub -c "TRUNCATE kpi.evaluation_run CASCADE"
try "subscriber: a superuser with session_replication_role = replica is refused too (ENABLE ALWAYS)" 55000 \
	env PGOPTIONS="-c session_replication_role=replica" "$KC_BINDIR/psql" -X -q -h "$KC_SOCK" -p "$SUB" -U postgres -d kr \
	-c "UPDATE kpi.official_result SET ledger = NULL"
try "subscriber: a reader cannot INSERT a result (42501)" 42501 \
	"$KC_BINDIR/psql" -X -q -h "$KC_SOCK" -p "$SUB" -U kpi_reader -d kr \
	-c "INSERT INTO kpi.evaluation_run (period_start, period_end, period_kind, rule_set_id) VALUES ('2026-05-01', '2026-05-31', 'month', 1)"
try "subscriber: a reader can read the results" ok \
	"$KC_BINDIR/psql" -X -q -h "$KC_SOCK" -p "$SUB" -U kpi_reader -d kr -c "SELECT count(*) FROM kpi.ledger"

# a tampering on the publisher (a superuser bypassing its triggers, emptying
# the packed ledgers of run 1) does not reach the subscriber: the update is
# not published; a later run still arrives
ledger_before=$(subq "SELECT count(*) FROM kpi.ledger")
PGOPTIONS="-c session_replication_role=replica" pub -c "UPDATE kpi.official_result SET ledger = NULL WHERE run_id = 1" ||
	kc_bail "the tampering on the publisher"
kr_march_sql | pub >/dev/null && pub -c "CALL kpi.evaluate('2026-03-01', 'month')" 2>/dev/null || kc_bail "March run"
march=$(pubq "SELECT count(*) FROM kpi.official_result r JOIN kpi.evaluation_run e USING (run_id) WHERE e.period_start = '2026-03-01'")
for i in $(seq 1 300); do
	[ "$(subq "SELECT count(*) FROM kpi.official_result r JOIN kpi.evaluation_run e USING (run_id) WHERE e.period_start = '2026-03-01'")" = "$march" ] && break
	sleep 0.2
done
kc_is "$(subq "SELECT count(*) FROM kpi.official_result r JOIN kpi.evaluation_run e USING (run_id) WHERE e.period_start = '2026-03-01'")" "$march" \
	"a run after the tampering arrives ($march results)"
kc_cond "the ledger rows deleted on the publisher are still on the subscriber ($(subq "SELECT count(*) FROM kpi.ledger WHERE run_id = 1") of run 1; publisher: $(pubq "SELECT count(*) FROM kpi.ledger WHERE run_id = 1"))" \
	"$(subq "SELECT count(*) FROM kpi.ledger WHERE run_id = 1")" -gt 0 -a "$(pubq "SELECT count(*) FROM kpi.ledger WHERE run_id = 1")" = 0
kc_is "$(pubq "SELECT results_ok FROM kpi.verify_run(1)")/$(subq "SELECT results_ok FROM kpi.verify_run(1)")" "f/t" \
	"kpi.verify_run(1) detects the tampering on the publisher and still verifies on the subscriber"
kc_cond "the subscriber's ledger only grew ($ledger_before rows, now $(subq "SELECT count(*) FROM kpi.ledger"))" \
	"$(subq "SELECT count(*) FROM kpi.ledger")" -gt "$ledger_before"

# defence in depth: a publication that does carry updates and deletions; the
# replicated update is refused by the subscriber's ALWAYS trigger and the rows stay
pub -c "ALTER PUBLICATION kpi_results SET (publish = 'insert, update, delete, truncate')" || kc_bail "alter publication"
n2=$(subq "SELECT count(*) FROM kpi.ledger WHERE run_id = 2")
PGOPTIONS="-c session_replication_role=replica" pub -c "UPDATE kpi.official_result SET ledger = NULL WHERE run_id = 2" || kc_bail "second tampering"
for i in $(seq 1 150); do
	grep -q "kpi results are append-only" "$KC_BASE/sub.log" && break
	sleep 0.2
done
kc_cond "a replicated UPDATE is refused by the subscriber's apply worker (server log: kpi results are append-only)" \
	"$(grep -c "kpi results are append-only" "$KC_BASE/sub.log")" -gt 0
kc_is "$(subq "SELECT count(*) FROM kpi.ledger WHERE run_id = 2")" "$n2" "the subscriber keeps the $n2 ledger rows of run 2"
sub -c "ALTER SUBSCRIPTION kpi_results DISABLE" >/dev/null 2>&1
kc_finish
