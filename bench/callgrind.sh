#!/usr/bin/env bash
# Instructions per task line of the benchmark queries, counted by valgrind's
# callgrind: deterministic, so unlike wall-clock times it is not disturbed
# by other load on the machine.  Use it to measure changes to the hot path
# (src/tally_agg.c, src/fixed.c, src/score.c).
#
#   bash bench/callgrind.sh [lines]     default 1000000 lines, lines/50 officials
#
# A private cluster in a temporary directory (initdb, unix socket only, no TCP
# port), removed at the end; each query runs in single-user mode under
# callgrind.  Prints, per query, instructions per line (less the start-up of
# an empty query), then the kpi_eval functions of the kpi query (inclusive).
set -eu -o pipefail
cd "$(dirname "$0")/.."
LINES=${1:-1000000}
OFFICIALS=${BENCH_OFFICIALS:-$(( LINES / 50 > 0 ? LINES / 50 : 1 ))}
. bench/callgrind_lib.sh
callgrind_cluster 5703
psql -X -q -c "CREATE EXTENSION kpi_eval"
psql -X -q -v lines="$LINES" -v officials="$OFFICIALS" -f bench/gen.sql | grep -A2 tasks_size
as_pg "$BIN/pg_ctl" -D "$dir/data" -w stop >/dev/null

FULL="kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)"
UNIT="kpi.tally_agg(coef, done, passed, quality_errors, late_events)"
declare -A Q=(
	[empty]=""
	[count]="SELECT official_id, count(*) AS x FROM tasks GROUP BY official_id"
	[reads]="SELECT official_id, count(late_events) AS x FROM tasks GROUP BY official_id"
	[tally]="SELECT official_id, $FULL IS NOT NULL AS x FROM tasks GROUP BY official_id"
	[kpi]="SELECT official_id, kpi.period_score(26.5, $FULL) AS x FROM tasks GROUP BY official_id"
	[kpi_unit]="SELECT official_id, kpi.period_score(26.5, $UNIT) AS x FROM tasks GROUP BY official_id"
)
ORDER="empty count reads tally kpi kpi_unit"
declare -A IR
for q in $ORDER; do
	if [ -z "${Q[$q]}" ]; then
		sql="SELECT 1;"
	else
		sql="SET max_parallel_workers_per_gather = 0; SELECT count(*), sum(hashtext(x::text)) FROM (${Q[$q]}) s;"
	fi
	echo "$sql" >"$dir/q.sql"
	chmod 644 "$dir/q.sql"
	as_pg valgrind --tool=callgrind --callgrind-out-file="$dir/cg_$q.out" \
		"$BIN/postgres" --single -D "$dir/data" -c jit=off -c work_mem=512MB postgres \
		<"$dir/q.sql" >"$dir/cg_$q.log" 2>&1
	IR[$q]=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$dir/cg_$q.log")
done

echo "== instructions per task line ($LINES lines, $OFFICIALS officials, serial; callgrind)"
for q in $ORDER; do
	[ "$q" = empty ] && continue
	awk -v n="${IR[$q]}" -v e="${IR[empty]}" -v l="$LINES" -v q="$q" -v c="${IR[count]}" \
		'BEGIN { printf "   %-9s %8.0f   (%.2f x count)\n", q, (n - e) / l, (n - e) / (c - e) }'
done
echo "== kpi_eval functions in the kpi query, inclusive instructions per task line (code inlined from a header is listed apart, as src/<header>:function)"
callgrind_annotate --inclusive=yes --auto=no "$dir/cg_kpi.out" 2>/dev/null |
	awk -v l="$LINES" '/kpi_eval\.so|src\/[a-z_]+\.h:|pg_detoast_datum|AggCheckCallContext|numeric_in|_opt_error/ {
		n = $1; gsub(",", "", n); f = $0; sub(/^[^)]*\) +/, "", f); sub(/ .*/, "", f)
		sub(/^.*\//, "", f); printf "   %8.1f  %s\n", n / l, f }' | head -20
