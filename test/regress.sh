#!/usr/bin/env bash
# For developers: builds, installs into a private tree and runs only the
# tests named, on a throwaway cluster.
#   bash test/regress.sh drop_guard evaluate          (sql/<name>.sql)
#   bash test/regress.sh test/pgtap/catalog.sql       (pgTAP files)
#   bash test/regress.sh evaluate_kill                (specs/<name>.spec)
#   bash test/regress.sh test/t/005_reference_rls.pl  (TAP tests, own clusters)
# Differences are left in regression.diffs and output_iso/regression.diffs.
# The full suite is test/run.sh.
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
ensure_deps
build_install || exit 1
trap 'stop_cluster; drop_tree' EXIT
start_cluster || exit 1
regress=() tap=() iso=() perl=() rc=0
for a in "$@"; do
	case "$a" in
	*.sql) tap+=("$a") ;;
	*.pl) perl+=("$a") ;;
	*) if [ -f "specs/$a.spec" ]; then iso+=("$a"); else regress+=("$a"); fi ;;
	esac
done
if [ ${#regress[@]} -gt 0 ]; then
	make -s PG_CONFIG="$PG_CONFIG" bindir="$KPI_BINDIR" installcheck-regress REGRESS="${regress[*]}" || rc=1
fi
if [ ${#tap[@]} -gt 0 ]; then
	psql -X -q -c "CREATE EXTENSION IF NOT EXISTS pgtap" >/dev/null
	pg_prove "${tap[@]}" || rc=1
fi
if [ ${#iso[@]} -gt 0 ]; then
	make -s PG_CONFIG="$PG_CONFIG" bindir="$KPI_BINDIR" installcheck-isolation ISOLATION="${iso[*]}" || rc=1
fi
if [ ${#perl[@]} -gt 0 ]; then
	run_tap "${perl[@]}" || rc=1
fi
exit $rc
