#!/usr/bin/env bash
# Roster benchmark (issue 13 follow-up): the cost of kpi.period_assignment
# and kpi.period_roster in a month's CALL kpi.evaluate, the first version of
# 0.2.0 ("before", bench/roster.sql step=before) against the installed one
# ("after"), side by side on the same data in one cluster.
#
#   bash bench/roster.sh [officials] [lines]   default 20000 officials, 1000000 task lines
#
# Generates (not timed) the organisation of bench/evaluate.sql and the
# assignment history and leave of bench/roster.sql (BENCH_HISTORY_YEARS
# earlier yearly assignments per official, default 0).  Then, 1 warm-up
# round and BENCH_RUNS (default 3) timed rounds, in each round "before" then
# "after" (the functions swapped in their own session), each statement in its
# own session (wall time from \timing, backend CPU from /proc):
# SELECT count(*) FROM kpi.period_assignment('2026-03-01', '2026-03-31'),
# SELECT count(*) FROM kpi.period_roster('2026-03-01', 'month', <rule set>),
# CALL kpi.evaluate('2026-03-01', 'month', supersede => true).
# Prints the best of each, the generic plans of kpi.period_assignment's
# query before and after (bench/out/roster_explain_*.txt; the function is
# planned with its parameters unknown), and checks that the last "before" and
# "after" runs wrote the same results (differences = 0, else exit 1).
# Throwaway cluster as bench/evaluate.sh (test/lib.sh), dropped at the end.
set -u -o pipefail
cd "$(dirname "$0")/.."

inside=0
if [ "${1:-}" = "--inside" ]; then shift; inside=1; fi
OFFICIALS=${1:-20000}
LINES=${2:-1000000}
RUNS=${BENCH_RUNS:-3}
YEARS=${BENCH_HISTORY_YEARS:-0}

if [ "$inside" = 0 ]; then
	for v in "$OFFICIALS" "$LINES" "$RUNS" "$YEARS"; do
		case "$v" in ''|*[!0-9]*) echo "usage: bash bench/roster.sh [officials] [lines]" >&2; exit 2;; esac
	done
	[ "$OFFICIALS" -ge 25 ] || { echo "need at least 25 officials" >&2; exit 2; }
	. test/lib.sh
	ensure_deps || exit 1
	build_install || { echo "build failed" >&2; exit 1; }
	mb=$(( LINES / 4000 + OFFICIALS / 100 + 128 ))
	[ "$mb" -gt 3072 ] && mb=3072
	mkdir -p bench/out
	in_cluster -o "shared_buffers=${mb}MB" -o "work_mem=256MB" -o "maintenance_work_mem=512MB" \
		"${BENCH_CLUSTER_OPTS[@]}" bash "$0" --inside "$OFFICIALS" "$LINES"
	exit $?
fi

set -e
. test/lib.sh
bench_prologue
$PSQL -c "CREATE EXTENSION kpi_eval_reference"
echo "== generating $OFFICIALS officials, $LINES task lines, assignment history ($YEARS earlier years) and leave (not timed)"
$PSQL -v officials="$OFFICIALS" -v lines="$LINES" -v step=gen -f bench/evaluate.sql | sed 's/^/   /'
$PSQL -v step=history -v years="$YEARS" -f bench/roster.sql | sed 's/^/   /'
$PSQL -At -c "SELECT 'prewarmed ' || sum(pg_prewarm(c.oid)) || ' blocks' FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'kpi' AND c.relkind IN ('r', 'i')" | sed 's/^/   /'

# the installed ("after") definitions and indexes, to swap back
psql -X -At -o "$out/roster_after.sql" -c "
	SELECT 'SET client_min_messages = warning;'
	UNION ALL
	SELECT pg_get_functiondef(p.oid) || ';' FROM pg_proc p
	WHERE p.oid IN ('kpi.period_assignment(date, date)'::regprocedure, 'kpi.period_roster(date, text, jsonb)'::regprocedure)
	UNION ALL
	SELECT replace(pg_get_indexdef(i.indexrelid), 'CREATE INDEX', 'CREATE INDEX IF NOT EXISTS') || ';' FROM pg_index i
	WHERE i.indrelid IN ('kpi.assignment'::regclass, 'kpi.leave'::regclass)
	  AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
state() {	# state before|after
	if [ "$1" = before ]; then $PSQL -v step=before -f bench/roster.sql >/dev/null
	else $PSQL -f "$out/roster_after.sql" >/dev/null; fi
	$PSQL -c "ANALYZE kpi.assignment, kpi.leave"
}

# the generic plan of kpi.period_assignment's query, as the function runs it
explain() {	# explain before|after
	psql -X -At -c "SELECT prosrc FROM pg_proc WHERE oid = 'kpi.period_assignment(date, date)'::regprocedure" |
		sed 's/period_assignment\.period_start/$1/g; s/period_assignment\.period_end/$2/g' >"$out/roster_body.sql"
	{ echo "SET plan_cache_mode = force_generic_plan;"
	  echo "PREPARE q(date, date) AS"; cat "$out/roster_body.sql"; echo ";"
	  echo "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) EXECUTE q('2026-03-01', '2026-03-31');"; } |
		psql -X -q -v ON_ERROR_STOP=1 >"$out/roster_explain_$1.txt"
}

RS=$(psql -X -At -c "SELECT quote_literal(rules) FROM kpi.rule_set WHERE rule_set_id = kpi.rule_set_for('2026-03-31')")
declare -A WALL CPU
QUERIES="assignment roster evaluate"
label() {
	case "$1" in
	assignment) echo "kpi.period_assignment, March (count)" ;;
	roster) echo "kpi.period_roster, March (count)" ;;
	evaluate) echo "CALL kpi.evaluate, March (supersede)" ;;
	esac
}
stmt() {
	case "$1" in
	assignment) echo "SELECT count(*) FROM kpi.period_assignment('2026-03-01', '2026-03-31');" ;;
	roster) echo "SELECT count(*) FROM kpi.period_roster('2026-03-01', 'month', $RS);" ;;
	evaluate) echo "CALL kpi.evaluate('2026-03-01', 'month', supersede => true);" ;;
	esac
}
echo "== timing: 1 warm-up round + $RUNS rounds, before then after in each"
for r in $(seq 0 "$RUNS"); do
	for s in before after; do
		state "$s"
		[ "$r" = 0 ] && explain "$s"
		for q in $QUERIES; do
			bench_timed "$out/roster_${s}_$q.txt" "" <<<"$(stmt "$q")" ||
				{ echo "!! $s $q failed:"; cat "$out/roster_${s}_$q.txt"; exit 1; }
			if [ "$r" -gt 0 ]; then
				WALL[$s,$q]="${WALL[$s,$q]:-} $BENCH_WALL"; CPU[$s,$q]="${CPU[$s,$q]:-} $BENCH_CPU"
			fi
		done
	done
	echo "   round $r done (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done

# the last two runs of March: before, then after; their results must agree
diffs=$(psql -X -At -c "
	WITH r AS (SELECT run_id, row_number() OVER (ORDER BY run_id DESC) AS n FROM kpi.evaluation_run
	           WHERE period_kind = 'month' AND period_start = '2026-03-01'),
	a AS (SELECT o.* FROM kpi.official_result o JOIN r USING (run_id) WHERE r.n = 1),
	b AS (SELECT o.* FROM kpi.official_result o JOIN r USING (run_id) WHERE r.n = 2)
	SELECT count(*) FROM a FULL JOIN b USING (official_id)
	WHERE (a.unit_id, a.task_group, a.is_leader, a.score, a.tier, a.not_rated, a.general_points, a.input_digest)
	      IS DISTINCT FROM (b.unit_id, b.task_group, b.is_leader, b.score, b.tier, b.not_rated, b.general_points, b.input_digest)")

best() { printf '%s\n' $1 | sort -g | head -1 | awk '{ printf "%.3f", $1 / 1000 }'; }
echo
echo "== results: $OFFICIALS officials, $LINES task lines, $(psql -X -At -c 'SELECT count(*) FROM kpi.assignment') assignments," \
	"$(psql -X -At -c 'SELECT count(*) FROM kpi.leave') leaves (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '   %-40s %10s %10s %10s %10s\n' "statement (best of $RUNS)" "before" "after" "before" "after"
printf '   %-40s %10s %10s %10s %10s\n' "" "wall s" "wall s" "cpu s" "cpu s"
for q in $QUERIES; do
	printf '   %-40s %10s %10s %10s %10s\n' "$(label "$q")" \
		"$(best "${WALL[before,$q]}")" "$(best "${WALL[after,$q]}")" "$(best "${CPU[before,$q]}")" "$(best "${CPU[after,$q]}")"
done
for s in before after; do
	echo "   kpi.period_assignment, generic plan $s: $(grep -E 'Execution Time' "$out/roster_explain_$s.txt" | sed 's/^ *//')," \
		"$(grep -cE 'Seq Scan on (assignment|leave)' "$out/roster_explain_$s.txt") sequential scans of kpi.assignment or kpi.leave" \
		"(bench/out/roster_explain_$s.txt)"
done
echo "   results of the last before and after runs that differ: differences = $diffs"
[ "$diffs" = 0 ] || { echo "!! the runs before and after disagree"; exit 1; }
