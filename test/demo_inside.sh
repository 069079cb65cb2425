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

# The same year computed by calling the library's functions directly (the
# plain-SQL report, with its own checks): kept in a file for developers; the
# agreement of the two computations is a test (test/t/007_sample_crosscheck.pl).
out=${KPI_DEMO_OUT:-demo_out}
mkdir -p "$out"
psql -f test/sample/report.sql >"$out/report_plain_sql.txt"
t2=$(now)
echo "== computed with the library functions in $(secs "$t1" "$t2") s (details: $out/report_plain_sql.txt)"

# The same province through the reference schema: load it into the kpi tables,
# evaluate the twelve months and the year with kpi.evaluate, report from the
# views and explain one civil servant's results.
echo
echo "== loading the sample province into the kpi reference tables"
psql -f test/sample/load_reference.sql
t3=$(now)
echo "== loaded in $(secs "$t2" "$t3") s"
# the full cycle: levels of the forms, pending decisions, a move, a leave
psql -f test/sample/cycle_reference.sql
# what the checks say before anything is scored (kpi.evaluate runs them too)
psql -f test/sample/dq_reference.sql
t3=$(now)
# (the runs' notices are left out: one line per run is said below)
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	psql -c "SET client_min_messages = warning" -c "CALL kpi.evaluate('2026-$m-01', 'month')"
done
t4=$(now)
psql -c "SET client_min_messages = warning" -c "CALL kpi.evaluate('2026-01-01', 'year')"
t5=$(now)
echo "== kpi.evaluate: 12 months in $(secs "$t3" "$t4") s, the year in $(secs "$t4" "$t5") s"
psql -At -c "SELECT '== ' || count(DISTINCT r.run_id) || ' runs: '
                   || count(*) FILTER (WHERE r.period_kind = 'month') || ' month results, '
                   || count(*) FILTER (WHERE r.period_kind = 'year') || ' year results'
            FROM kpi.evaluation_run r JOIN kpi.official_result o USING (run_id)"
psql -f test/sample/cycle_results.sql
psql -f test/sample/report_reference.sql | tee "$out/bao_cao_2026.txt"
# the same report as a page with charts, from the reporting views (no network)
/usr/bin/python3 test/sample/report_html.py "host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=$PGUSER" \
	"$out/bao_cao_2026.html" 2026
t6=$(now)
echo
echo "== report in $(secs "$t5" "$t6") s: $out/bao_cao_2026.txt and $out/bao_cao_2026.html (open it in a browser)"

# Pay follows results (doc/pay.md): the year's bonus and the first quarter's
# additional income of the sample province, from the runs above.
echo
echo "== paying the sample province: the 2026 bonus and the first quarter's additional income"
psql -f test/sample/pay_reference.sql
t7=$(now)
echo "== paid in $(secs "$t6" "$t7") s"
