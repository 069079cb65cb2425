#!/usr/bin/env bash
# Optional (not part of test/run.sh): kpi_eval built with the undefined
# behaviour sanitizer (-fsanitize=undefined, through PG_CFLAGS and
# PG_LDFLAGS, in a copy of the source tree so the normal build is left
# alone), installed into a private tree, and the pg_regress suite (or the
# tests named) run against it.  The server process loads libubsan with
# kpi_eval.so; every report goes to $dir/ubsan.<pid> (UBSAN_OPTIONS
# log_path), and the script ends with "ubsan: N reports" (non-zero exit
# when N > 0).
#
#   bash test/ubsan.sh [test ...]
#
# AddressSanitizer is not offered: on this machine a server with ASan
# preloaded hangs at start in libgpg-error's constructor.
set -u
cd "$(dirname "$0")/.."
. test/lib.sh
ensure_deps
SRC=$(mktemp -d /tmp/kpi_ubsan.XXXXXX)
git ls-files -z | xargs -0 cp --parents -t "$SRC" || exit 1
chmod -R a+rX "$SRC"
cd "$SRC"
export PG_CFLAGS="-fsanitize=undefined -fno-omit-frame-pointer -g"
export PG_LDFLAGS="-fsanitize=undefined"
build_install || { echo "ubsan build failed"; exit 1; }
unset PG_CFLAGS PG_LDFLAGS
nm -D src/../kpi_eval.so 2>/dev/null | grep -q __ubsan_handle || { echo "kpi_eval.so is not instrumented"; exit 1; }
UB=$SRC/ubsan_logs
mkdir -p "$UB" && chmod 777 "$UB"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=0:log_path=$UB/ubsan"
trap 'stop_cluster; drop_tree; cd /; rm -rf "$SRC"' EXIT
start_cluster || exit 1
echo "== kpi_eval.so instrumented (imports $(nm -D kpi_eval.so | grep -c __ubsan_handle) kinds of sanitizer handler); running the suite"
if [ $# -gt 0 ]; then
	make -s PG_CONFIG="$PG_CONFIG" installcheck REGRESS="$*" 2>&1 | tee "$UB/regress.log"
else
	make -s PG_CONFIG="$PG_CONFIG" installcheck 2>&1 | tee "$UB/regress.log"
fi
stop_cluster
n=$(cat "$UB"/ubsan.* 2>/dev/null | grep -c "runtime error")
[ "$n" -gt 0 ] && cat "$UB"/ubsan.* | grep -A8 "runtime error" | head -80
echo "ubsan: $n reports"
[ "$n" -eq 0 ]
