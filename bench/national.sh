#!/usr/bin/env bash
# National-size month (issue 15): one month of CALL kpi.evaluate at the size
# of a whole civil service, beside its floor, on a throwaway cluster.
# Generates (not timed) `officials` officials with their January forms and
# `lines` task lines due in January 2026 (bench/evaluate.sql with months=1:
# the defaults are 1,000,000 officials and 4,170,000 lines, the month of a
# year of 50 lines per official, as 100M lines for 2,000,000 officials),
# then times, each in its own session: the bare scoring query of January
# (the floor, as bench/evaluate.sh), CALL kpi.evaluate('2026-01-01', 'month')
# and the year over that month.  Prints wall and backend CPU times, the
# ratio to the floor, and the size on disk of the inputs and of the results.
#
#   bash bench/national.sh [officials] [lines]
#
# Needs about 2 kB of disk per official (inputs, results, ledger, WAL).
# Logs: bench/out/national_*.txt.
set -eu
cd "$(dirname "$0")/.."

if [ "${1:-}" != --inside ]; then
	OFFICIALS=${1:-1000000}
	LINES=${2:-4170000}
	. test/lib.sh
	ensure_deps
	build_install
	trap 'stop_cluster; drop_tree' EXIT
	pick_port || exit 1
	mb=$(( LINES / 4000 + OFFICIALS / 100 + 128 ))
	[ "$mb" -gt 3072 ] && mb=3072
	mkdir -p bench/out
	echo "== throwaway cluster on port $PGPORT, shared_buffers=${mb}MB, work_mem=256MB"
	in_cluster -o "shared_buffers=${mb}MB" -o "work_mem=256MB" -o "maintenance_work_mem=1GB" \
		"${BENCH_CLUSTER_OPTS[@]}" bash "$0" --inside "$OFFICIALS" "$LINES"
	exit $?
fi

OFFICIALS=$2 LINES=$3
. test/lib.sh
bench_prologue
$PSQL -c "CREATE EXTENSION kpi_eval_reference"
echo "== generating $OFFICIALS officials and $LINES task lines due in January 2026 (not timed)"
t0=$(date +%s)
$PSQL -v officials="$OFFICIALS" -v lines="$LINES" -v months=1 -v step=gen \
	-f bench/evaluate.sql >"$out/national_gen.txt"
$PSQL -c "VACUUM ANALYZE" >/dev/null
echo "   generated in $(( $(date +%s) - t0 )) s; machine load average $(cut -d' ' -f1-3 /proc/loadavg)"

timed() {	# timed NAME SETUP < SQL: one session, prints and keeps the times
	bench_timed "$out/national_$1.txt" "$2" || { echo "!! $1 failed:"; cat "$out/national_$1.txt"; exit 1; }
	printf '   %-28s %9.1f s wall %9.1f s backend cpu\n' "$1" \
		"$(awk -v w="$BENCH_WALL" 'BEGIN { print w / 1000 }')" "$(awk -v c="$BENCH_CPU" 'BEGIN { print c / 1000 }')"
}
echo "== timing"
timed floor "SET max_parallel_workers_per_gather = 0;" <<'EOSQL'
CREATE TABLE public.bench_floor AS
SELECT t.official_id, t.tally, kpi.period_score(kpi.general_points(g.marks), t.tally) AS score
FROM (SELECT l.official_id,
             kpi.tally_agg(l.coef, l.assigned_qty, l.completed_qty, l.passed_qty, l.quality_errors, l.late_events) AS tally
      FROM kpi.task_line l
      WHERE l.official_id IS NOT NULL AND l.due BETWEEN date '2026-01-01' AND date '2026-01-31'
      GROUP BY l.official_id) t
JOIN kpi.general_mark g ON g.official_id = t.official_id AND g.period_start = date '2026-01-01';
EOSQL
FW=$BENCH_WALL FC=$BENCH_CPU
timed "month 2026-01" "SET client_min_messages = warning;" <<<"CALL kpi.evaluate('2026-01-01', 'month');"
MW=$BENCH_WALL MC=$BENCH_CPU
timed "year 2026 (one month)" "SET client_min_messages = warning;" <<<"CALL kpi.evaluate('2026-01-01', 'year');"
awk -v mw="$MW" -v fw="$FW" -v mc="$MC" -v fc="$FC" 'BEGIN {
	printf "   month / floor = %.1f wall, %.1f cpu\n", mw / fw, mc / fc
	printf "   12 such months: %.0f s wall (a projection: 12 x the month measured)\n", 12 * mw / 1000 }'
echo "== size on disk (tables with their indexes and TOAST)"
$PSQL -At -F ' ' -c "SELECT rpad(c.relname, 28), pg_size_pretty(sum(pg_total_relation_size(c.oid))::bigint)
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'kpi' AND c.relkind IN ('r', 'p')
                       AND c.relname ~ '^(task_line|general_mark|official_result|ledger)'
                     GROUP BY c.relname ORDER BY 1" | sed 's/^/   /'
