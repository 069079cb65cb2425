#!/usr/bin/env bash
# The kpi_eval demo: bash test/demo.sh
#
# Installs what is missing (Debian 12 packages), builds and installs the
# extension, starts a throwaway PostgreSQL 15 cluster (pg_virtualenv -t, dropped
# afterwards), creates the extension, loads a generated sample province
# (test/sample/province.sql), evaluates a year of it with kpi_eval and prints
# the report (test/sample/report.sql).  Exits non-zero if anything fails.
set -eu
cd "$(dirname "$0")/.."
started=$(date +%s)

. test/lib.sh
ensure_deps
build_install

pick_port

echo "== starting a throwaway PostgreSQL 15 cluster on port $PGPORT"
pg_virtualenv -t -v 15 bash test/demo_inside.sh

echo "== demo finished in $(( $(date +%s) - started )) s"
