#!/usr/bin/env bash
# The part of test/demo.sh that runs inside the throwaway cluster
# (in_cluster, test/lib.sh, sets PGHOST, PGPORT, PGUSER and PGDATABASE).
set -eu
cd "$(dirname "$0")/.."

psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

createdb kpi_demo
export PGDATABASE=kpi_demo
psql -c "CREATE EXTENSION kpi_eval_reference CASCADE"
echo "== $(psql -At -c "SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'kpi_eval%'") on PostgreSQL $(psql -At -c 'SHOW server_version')"

t0=$(now)
psql -f test/sample/province.sql
t1=$(now)
echo "== sample province loaded in $(secs "$t0" "$t1") s"

# the report's final tiers are kept (sample.report_year_tier) for the
# cross-check against kpi.evaluate below; this prints nothing
psql -f test/sample/report.sql \
	-c "CREATE TABLE sample.report_year_tier AS SELECT official_id, annual, tier, tier_final FROM year_eval"
t2=$(now)
echo
echo "== evaluated and reported in $(secs "$t1" "$t2") s"

# The same province through the reference schema: load it into the kpi tables,
# evaluate the twelve months and the year with kpi.evaluate, report from the
# views and explain one civil servant's results.
echo
echo "== loading the sample province into the kpi reference tables"
psql -f test/sample/load_reference.sql
t3=$(now)
echo "== loaded in $(secs "$t2" "$t3") s"
# what the checks say before anything is scored (kpi.evaluate runs them too)
psql -f test/sample/dq_reference.sql
t3=$(now)
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	psql -c "CALL kpi.evaluate('2026-$m-01', 'month')"
done
t4=$(now)
psql -c "CALL kpi.evaluate('2026-01-01', 'year')"
t5=$(now)
echo "== kpi.evaluate: 12 months in $(secs "$t3" "$t4") s, the year in $(secs "$t4" "$t5") s"
psql -f test/sample/report_reference.sql
t6=$(now)
echo
echo "== reference report in $(secs "$t5" "$t6") s"
