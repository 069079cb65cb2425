#!/usr/bin/env bash
# Optional (not part of test/run.sh): the pg_regress suite against a server
# running under valgrind memcheck.  Builds and installs into a private tree
# as test/run.sh does, starts the server under valgrind (every backend is
# traced: they are forks of the postmaster), runs the pg_regress tests named
# (default: all of sql/), then prints the memcheck error count of each
# server process and the first reports that involve kpi_eval.so.
#
#   bash test/valgrind.sh [test ...]      e.g. bash test/valgrind.sh lawmaking tally_io
#
# Suppressions: test/valgrind/kpi_eval.supp (the server's benign padding
# writes), plus KPI_VALGRIND_SUPP if set (PostgreSQL's src/tools/valgrind.supp
# from a source tree).  The Debian server is not built with USE_VALGRIND, so
# memcheck does not see palloc chunk boundaries: it finds reads of
# uninitialised memory, invalid frees and overruns of malloc'd blocks, not
# an overrun into the next chunk of a memory context.  Expect the suite to
# run 20-50 times slower.  Ends with "valgrind: N processes with a report
# naming kpi_eval.so" and exits non-zero when N > 0.
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
KPI_PACKAGES="$KPI_PACKAGES valgrind"
ensure_deps
build_install || exit 1
trap 'stop_vg; drop_tree' EXIT
pick_port || exit 1
VG=$(mktemp -d /tmp/kpi_valgrind.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres: "$VG"
as_pg "$KPI_BINDIR/initdb" -D "$VG/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$VG/initdb.log" 2>&1 ||
	{ cat "$VG/initdb.log"; exit 1; }
supp=(--suppressions="$PWD/test/valgrind/kpi_eval.supp")
[ -n "${KPI_VALGRIND_SUPP:-}" ] && supp+=(--suppressions="$KPI_VALGRIND_SUPP")
chmod 644 test/valgrind/kpi_eval.supp
stop_vg() {
	[ -n "${VG:-}" ] || return 0
	as_pg "$KPI_BINDIR/pg_ctl" -D "$VG/data" -m fast -w -t 300 stop >/dev/null 2>&1
	release_ports
}
echo "== starting the server under valgrind memcheck (port $PGPORT)"
as_pg valgrind --quiet --trace-children=yes --track-origins=yes --read-var-info=no \
	--leak-check=no --num-callers=30 --error-limit=no "${supp[@]}" \
	--log-file="$VG/vg.%p.log" \
	"$KPI_BINDIR/postgres" -D "$VG/data" -c port="$PGPORT" -c listen_addresses= \
	-c unix_socket_directories="$VG" -c max_parallel_workers_per_gather=0 -c jit=off \
	-c autovacuum=off >"$VG/server.log" 2>&1 &
for i in $(seq 1 600); do
	"$KPI_BINDIR/pg_isready" -q -h "$VG" -p "$PGPORT" && break
	sleep 0.5
done
"$KPI_BINDIR/pg_isready" -q -h "$VG" -p "$PGPORT" || { echo "the server did not start"; tail "$VG/server.log"; exit 1; }
export PGHOST=$VG PGUSER=postgres PGDATABASE=postgres PATH=$KPI_BINDIR:$PATH
t0=$(date +%s)
if [ $# -gt 0 ]; then
	make -s PG_CONFIG="$PG_CONFIG" installcheck REGRESS="$*" 2>&1 | tee "$VG/regress.log"
else
	make -s PG_CONFIG="$PG_CONFIG" installcheck 2>&1 | tee "$VG/regress.log"
fi
echo "== suite ran in $(( $(date +%s) - t0 )) s under valgrind"
stop_vg
VGDIR=$VG; VG=""
total=0 ours=0
for f in "$VGDIR"/vg.*.log; do
	n=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$f" | tail -1)
	total=$((total + ${n:-0}))
done
ours=$(grep -l "kpi_eval.so" "$VGDIR"/vg.*.log 2>/dev/null | wc -l)
echo "valgrind: $(ls "$VGDIR"/vg.*.log | wc -l) processes traced, $total errors in all, $ours processes with a report naming kpi_eval.so"
if [ "$ours" -gt 0 ]; then
	grep -h -B2 -A25 "kpi_eval.so" $(grep -l "kpi_eval.so" "$VGDIR"/vg.*.log | head -3) | head -120
fi
grep -E "^(test| ) .* \.\.\. (FAILED|failed)" "$VGDIR/regress.log" && echo "(tests failed under valgrind; see regression.diffs)"
if [ "$ours" -eq 0 ]; then
	rm -rf "$VGDIR"
	echo "valgrind: 0 processes with a report naming kpi_eval.so"
else
	echo "valgrind: $ours processes with a report naming kpi_eval.so (logs kept in $VGDIR)"
fi
[ "$ours" -eq 0 ]
