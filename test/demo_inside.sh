#!/usr/bin/env bash
# The part of test/demo.sh that runs inside the throwaway cluster
# (pg_virtualenv sets PGHOST, PGPORT, PGUSER and PGDATABASE).
set -eu
cd "$(dirname "$0")/.."

psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

createdb kpi_demo
export PGDATABASE=kpi_demo
psql -c "CREATE EXTENSION kpi_eval"
echo "== kpi_eval $(psql -At -c "SELECT extversion FROM pg_extension WHERE extname = 'kpi_eval'") on $(psql -At -c 'SHOW server_version')"

t0=$(now)
psql -f test/sample/province.sql
t1=$(now)
echo "== sample province loaded in $(secs "$t0" "$t1") s"

psql -f test/sample/report.sql
t2=$(now)
echo
echo "== evaluated and reported in $(secs "$t1" "$t2") s"
