#!/usr/bin/env bash
# For developers: builds, installs into a private tree and runs only the
# pg_regress tests and pgTAP files named, on a throwaway cluster.
#   bash test/regress.sh drop_guard evaluate          (sql/<name>.sql)
#   bash test/regress.sh test/pgtap/catalog.sql       (pgTAP files)
# Differences are left in regression.diffs.  The full suite is test/run.sh.
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
ensure_deps
build_install || exit 1
trap 'stop_cluster; drop_tree' EXIT
start_cluster || exit 1
regress=() tap=() rc=0
for a in "$@"; do
	case "$a" in *.sql) tap+=("$a") ;; *) regress+=("$a") ;; esac
done
if [ ${#regress[@]} -gt 0 ]; then
	make -s PG_CONFIG="$PG_CONFIG" installcheck REGRESS="${regress[*]}" || rc=1
fi
if [ ${#tap[@]} -gt 0 ]; then
	psql -X -q -c "CREATE EXTENSION IF NOT EXISTS pgtap" >/dev/null
	pg_prove "${tap[@]}" || rc=1
fi
exit $rc
