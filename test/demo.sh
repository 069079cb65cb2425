#!/usr/bin/env bash
# The kpi_eval demo: bash test/demo.sh
#
# Installs what is missing (Debian 12 packages), builds the extensions and
# installs them into a private copy of the PostgreSQL 15 tree (test/lib.sh;
# the system directories are not written), starts a throwaway cluster from it
# (dropped afterwards), loads a generated sample province
# (test/sample/province.sql), evaluates a year of it and prints the report.
# Exits non-zero if anything fails.
set -eu
cd "$(dirname "$0")/.."
started=$(date +%s)

. test/lib.sh
ensure_deps
build_install
trap 'stop_cluster; drop_tree' EXIT

echo "== starting a throwaway PostgreSQL 15 cluster"
in_cluster bash test/demo_inside.sh

echo "== demo finished in $(( $(date +%s) - started )) s"
