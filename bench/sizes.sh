#!/usr/bin/env bash
# Sizes of the result tables (doc/operations-data.md): generates a province
# with bench/evaluate.sql (default 20,000 officials and 1,000,000 task lines,
# the ratio of bench/evaluate.sh's full size), evaluates the 12 months of
# 2026 and the year, and prints for each result table its rows, its size on
# disk with indexes and TOAST (pg_total_relation_size, after VACUUM; for
# the partitioned kpi.official_result, of all its year partitions; kpi.ledger
# is a view over the results' packed ledgers: its row is the size of the
# column kpi.official_result.ledger, already in kpi.official_result), the
# bytes per row, per official and month, and the size of a year's rows
# exported with COPY (text, and gzip -6 of it).  Sizes are measured, not
# timed, so the load of the machine does not matter.
#
#   bash bench/sizes.sh [officials] [lines]
set -u -o pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--inside" ]; then
	OFFICIALS=${1:-20000} LINES=${2:-1000000}
	. test/lib.sh
	ensure_deps || exit 1
	build_install || exit 1
	trap 'drop_tree' EXIT
	in_cluster -o "shared_buffers=512MB" -o "work_mem=128MB" "${BENCH_CLUSTER_OPTS[@]}" \
		bash "$0" --inside "$OFFICIALS" "$LINES"
	exit $?
fi
OFFICIALS=$2 LINES=$3
set -e
PSQL="psql -X -q -v ON_ERROR_STOP=1"
$PSQL -c "CREATE EXTENSION kpi_eval_reference CASCADE" 2>/dev/null
echo "== generating $OFFICIALS officials, $LINES task lines"
$PSQL -v officials="$OFFICIALS" -v lines="$LINES" -v step=gen -f bench/evaluate.sql >/dev/null
echo "== evaluating the 12 months of 2026 and the year"
for m in $(seq -w 1 12); do $PSQL -c "CALL kpi.evaluate('2026-$m-01', 'month')" 2>/dev/null; done
$PSQL -c "CALL kpi.evaluate('2026-01-01', 'year')" 2>/dev/null
$PSQL -c "VACUUM ANALYZE"
echo "== sizes after 13 runs (12 months and the year) of $OFFICIALS officials (kpi.ledger: the packed ledgers, inside kpi.official_result)"
$PSQL -P footer=off <<SQL
SELECT t AS "table", n AS "rows", pg_size_pretty(b) AS "on disk",
       CASE WHEN n > 0 THEN round(b::numeric / n) END AS "bytes/row",
       CASE WHEN per_official THEN round(b::numeric / $OFFICIALS) END AS "bytes/official",
       CASE WHEN per_official THEN pg_size_pretty((b * (200000.0 / $OFFICIALS))::bigint) END AS "at 200,000 officials"
FROM (SELECT t, (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM ' || t, false, true, '')))[1]::text::bigint AS n,
             CASE WHEN t = 'kpi.ledger' THEN (SELECT sum(pg_column_size(r.ledger))::bigint FROM kpi.official_result r)
                  ELSE coalesce((SELECT sum(pg_total_relation_size(p.relid))::bigint FROM pg_partition_tree(t::regclass) p),
                                pg_total_relation_size(t::regclass)) END AS b,
             t IN ('kpi.official_result', 'kpi.ledger', 'kpi.task_line', 'kpi.general_mark') AS per_official
      FROM unnest(ARRAY['kpi.evaluation_run', 'kpi.official_result', 'kpi.ledger', 'kpi.agency_result',
                        'kpi.agency_ledger', 'kpi.task_line', 'kpi.general_mark']) t) s;
SQL
echo "== the year partitions (kpi.ensure_year_partitions)"
$PSQL -P footer=off -c "SELECT c.oid::regclass AS partition, pg_get_expr(c.relpartbound, c.oid) AS bound,
       pg_size_pretty(pg_total_relation_size(c.oid)) AS \"on disk\"
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'kpi.official_result'::regclass ORDER BY 1"
echo "== a year's results exported with COPY (the partition of 2026, its 13 runs, ledgers as kpi.ledger_entry[] text), as the archive procedure does"
dir=$(mktemp -d)
chmod 777 "$dir"
for t in official_result; do
	$PSQL -c "COPY kpi.${t}_2026 TO '$dir/$t.copy'"
	raw=$(stat -c %s "$dir/$t.copy")
	gz=$(gzip -6 -c "$dir/$t.copy" | wc -c)
	echo "   kpi.$t: COPY text $((raw / 1048576)) MB, gzip -6 $((gz / 1048576)) MB ($(awk -v a="$raw" -v b="$gz" 'BEGIN { printf "%.1f", a / b }') x smaller)"
done
rm -rf "$dir"
