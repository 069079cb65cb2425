# bench/callgrind_lib.sh, sourced by bench/callgrind.sh and
# bench/callgrind_evaluate.sh: the build under test in a private tree, with
# valgrind, and a private cluster for it in a temporary directory (unix socket
# only, no TCP port), removed on exit.
#   callgrind_cluster PORT [server options...]
# sets BIN (the tree's binaries), dir (the cluster's directory, its data in
# $dir/data), PGHOST, PGPORT, PGUSER and PGDATABASE, and starts the server.
. test/lib.sh
ensure_deps
command -v valgrind >/dev/null || { as_root apt-get install -y -qq valgrind >/dev/null; }
build_install
# the private tree of build_install: the build under test, not the system one
BIN=$KPI_BINDIR

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

callgrind_cluster() {
	local port=$1
	shift
	dir=$(mktemp -d)
	chmod 755 "$dir"
	[ "$(id -u)" = 0 ] && chown postgres "$dir"
	trap 'as_pg "$BIN/pg_ctl" -D "$dir/data" -w stop -m fast >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
	as_pg "$BIN/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
	as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
		-o "-p $port -k $dir -c listen_addresses= -c fsync=off -c autovacuum=off $*" >/dev/null
	export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres
}
