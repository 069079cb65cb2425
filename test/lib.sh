# Shared by test/run.sh, test/demo.sh and the benchmarks: install what is
# missing, build kpi_eval and install it into a private PostgreSQL tree, start
# throwaway clusters from it.  Source it; it never writes the system
# PostgreSQL directories and never touches a system-wide PostgreSQL service.

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export PG_CONFIG

# Run a command as root: directly when we are root, else through sudo.
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# libipc-run-perl: PostgreSQL::Test::Cluster (the TAP tests); postgresql-15-cron:
# the pg_cron TAP test (installed before build_install copies the tree)
KPI_PACKAGES="build-essential postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl libipc-run-perl postgresql-15-cron"
# test/package.sh: dpkg-buildpackage with debhelper's pgxs sequence (dh_pgxs_test)
KPI_DEB_PACKAGES="dpkg-dev debhelper postgresql-server-dev-all"

# ensure_deps [PACKAGE...]: installs what is missing of KPI_PACKAGES and of
# the packages named.
ensure_deps() {
	local missing=""
	for p in $KPI_PACKAGES "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "== installing Debian packages:$missing"
		as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
		# the package scripts may create a 15/main cluster; we never start it
		DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq $missing >/dev/null
	fi
}

# The private PostgreSQL tree: a copy of the PostgreSQL 15 server files with
# kpi_eval installed into it by make install DESTDIR=...  PostgreSQL finds its
# share and lib directories relative to its binary, so clusters started from
# $KPI_BINDIR load this build, and the system directories (which the Debian
# package may own) are never written.  KPI_TREE may name a directory to reuse.
KPI_PG_LIB=/usr/lib/postgresql/15
KPI_PG_SHARE=/usr/share/postgresql/15

build_install() {
	echo "== building kpi_eval"
	make -s PG_CONFIG="$PG_CONFIG" >/dev/null || return 1
	if [ -z "${KPI_TREE:-}" ]; then
		KPI_TREE=$(mktemp -d /tmp/kpi_tree.XXXXXX) || return 1
		KPI_TREE_OWNED=1
	fi
	chmod 755 "$KPI_TREE"
	rm -rf "$KPI_TREE/usr"
	mkdir -p "$KPI_TREE$(dirname $KPI_PG_LIB)" "$KPI_TREE$(dirname $KPI_PG_SHARE)"
	cp -a "$KPI_PG_LIB" "$KPI_TREE$(dirname $KPI_PG_LIB)/" &&
		cp -a "$KPI_PG_SHARE" "$KPI_TREE$(dirname $KPI_PG_SHARE)/" || return 1
	make -s PG_CONFIG="$PG_CONFIG" DESTDIR="$KPI_TREE" install >/dev/null || return 1
	KPI_BINDIR=$KPI_TREE$KPI_PG_LIB/bin
	export KPI_TREE KPI_BINDIR
	echo "== installed into the private tree $KPI_TREE (system directories untouched)"
}

# Removes the private tree that build_install made (not one given in KPI_TREE).
drop_tree() {
	[ "${KPI_TREE_OWNED:-0}" = 1 ] && [ -n "${KPI_TREE:-}" ] && rm -rf "$KPI_TREE"
	return 0
}

# Ports.  A caller's PGPORT is honoured when it is free; otherwise the first
# free port of KPI_PORTS (a range "FIRST-LAST", default 5433-5498) is taken.
# A port is reserved with an atomic mkdir of /tmp/kpi_port.N until its holder
# exits, so two scripts starting clusters at once never draw the same port.
port_in_use() {
	[ -e "/var/run/postgresql/.s.PGSQL.$1.lock" ] || [ -e "/tmp/.s.PGSQL.$1.lock" ] ||
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# reserve_port P: true when P is free and now ours (released by release_ports)
KPI_RESERVED_PORTS=()
reserve_port() {
	local lock=/tmp/kpi_port.$1
	[ "$(cat "$lock/pid" 2>/dev/null)" = $$ ] && ! port_in_use "$1" && return 0	# ours already
	if [ -d "$lock" ] && ! kill -0 "$(cat "$lock/pid" 2>/dev/null)" 2>/dev/null; then
		rm -rf "$lock"	# left by a holder that died
	fi
	port_in_use "$1" && return 1
	mkdir "$lock" 2>/dev/null || return 1
	echo $$ >"$lock/pid"
	KPI_RESERVED_PORTS+=("$1")
}

release_ports() {
	local p
	for p in "${KPI_RESERVED_PORTS[@]}"; do rm -rf "/tmp/kpi_port.$p"; done
	KPI_RESERVED_PORTS=()
}

pick_port() {
	local range=${KPI_PORTS:-5433-5498} p
	if [ -n "${PGPORT:-}" ] && reserve_port "$PGPORT"; then export PGPORT; return 0; fi
	for p in $(seq "${range%-*}" "${range#*-}"); do
		if reserve_port "$p"; then PGPORT=$p; export PGPORT; return 0; fi
	done
	echo "no free port in $range" >&2
	return 1
}

# The harness cluster of test/run.sh, test/demo.sh and the benchmarks: initdb
# and pg_ctl from the private tree in a temporary directory, unix socket only,
# owned by postgres when we are root (initdb refuses root).  Sets PGHOST,
# PGPORT, PGUSER and PGDATABASE; stop_cluster stops and deletes it.
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_cluster() {	# start_cluster [-o "name=value"]...
	pick_port || return 1
	KPI_CLUSTER=$(mktemp -d /tmp/kpi_harness.XXXXXX) || return 1
	[ "$(id -u)" = 0 ] && chown postgres: "$KPI_CLUSTER"
	as_pg "$KPI_BINDIR/initdb" -D "$KPI_CLUSTER/data" -U postgres -A trust --no-sync \
		-E UTF8 --locale=C.UTF-8 >"$KPI_CLUSTER/initdb.log" 2>&1 ||
		{ cat "$KPI_CLUSTER/initdb.log" >&2; return 1; }
	local opts=(-c "port=$PGPORT" -c "listen_addresses=" -c "unix_socket_directories=$KPI_CLUSTER")
	while [ $# -gt 0 ]; do
		[ "$1" = -o ] && shift
		opts+=(-c "$1"); shift
	done
	as_pg "$KPI_BINDIR/pg_ctl" -D "$KPI_CLUSTER/data" -l "$KPI_CLUSTER/server.log" -w -t 120 \
		-o "$(printf "%q " "${opts[@]}")" start >/dev/null ||
		{ cat "$KPI_CLUSTER/server.log" >&2; return 1; }
	export PGHOST=$KPI_CLUSTER PGPORT PGUSER=postgres PGDATABASE=postgres
	export PATH=$KPI_BINDIR:$PATH
}

# in_cluster [-o name=value]... COMMAND [ARG...]: runs COMMAND with PGHOST,
# PGPORT, PGUSER and PGDATABASE set to a new harness cluster (in the manner
# of pg_virtualenv -t, but from the private tree), which is dropped
# afterwards; returns COMMAND's status.
in_cluster() {
	local opts=() rc
	while [ "${1:-}" = -o ]; do opts+=(-o "$2"); shift 2; done
	start_cluster "${opts[@]}" || { stop_cluster; return 1; }
	"$@"
	rc=$?
	stop_cluster
	return $rc
}

stop_cluster() {
	if [ -n "${KPI_CLUSTER:-}" ]; then
		as_pg "$KPI_BINDIR/pg_ctl" -D "$KPI_CLUSTER/data" -m fast -w stop >/dev/null 2>&1
		rm -rf "$KPI_CLUSTER"
		KPI_CLUSTER=""
	fi
	release_ports
}

# pg_virtualenv options shared by the benchmarks: 2 parallel workers, no JIT,
# and a cluster tuned for bulk loading (it is thrown away, so crash safety
# does not matter).
BENCH_CLUSTER_OPTS=(
	-o "max_parallel_workers_per_gather=2" -o "max_parallel_workers=8"
	-o "max_worker_processes=8" -o "jit=off" -o "autovacuum=off" -o "fsync=off"
	-o "synchronous_commit=off" -o "full_page_writes=off" -o "wal_level=minimal"
	-o "max_wal_senders=0" -o "max_wal_size=8GB"
)

# First steps of a benchmark inside its throwaway cluster: sets PSQL and out,
# says what it runs on, and creates the extensions the benchmarks use.
bench_prologue() {
	PSQL="psql -X -q -v ON_ERROR_STOP=1"
	out=bench/out
	mkdir -p "$out"
	echo "== $(psql -X -At -c 'SELECT version()')"
	echo "== machine: $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	$PSQL -c "CREATE EXTENSION kpi_eval" -c "CREATE EXTENSION pg_prewarm"
}

# bench_timed LOG SETUP < STATEMENTS: runs SETUP, then the statements, in one new
# session; the statements are timed by \timing and by the backend's CPU time
# (utime + stime from /proc), which other load on the machine inflates far
# less.  Sets BENCH_WALL and BENCH_CPU (ms); the session's output is in LOG.
# Fails when a statement fails.  Not in a pipeline (a subshell would keep
# the variables): feed it with < <(...) or <<<.
bench_timed() {
	local log=$1 setup=$2 tick
	tick=$(( 1000 / $(getconf CLK_TCK) ))
	{
		echo "$setup"
		echo "SELECT pg_backend_pid() AS pid \\gset"
		echo "\\setenv BENCH_PID :pid"
		echo "\\! echo cpu0 \$(cut -d' ' -f14,15 /proc/\$BENCH_PID/stat)"
		echo "\\timing on"
		cat
		echo "\\timing off"
		echo "\\! echo cpu1 \$(cut -d' ' -f14,15 /proc/\$BENCH_PID/stat)"
	} | psql -X -q -v ON_ERROR_STOP=1 -At >"$log" 2>&1 || return 1
	BENCH_WALL=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$log" | tail -1)
	BENCH_CPU=$(awk -v t="$tick" '$1 == "cpu0" { a = $2 + $3 } $1 == "cpu1" { b = $2 + $3 } END { print (b - a) * t }' "$log")
}

# bench_rounds: times every statement of ORDER with the benchmark's run_once,
# serial then with parallel workers: 1 warm-up round and RUNS timed rounds,
# the statements interleaved so that a burst of other load on the machine
# hits all of them alike.  Sets BEST[q,mode] and BESTCPU[q,mode], the best
# wall and CPU times, and calls the benchmark's round_report q mode.
bench_rounds() {
	local mode r q
	echo "== timing: 1 warm-up round + $RUNS timed rounds, interleaved"
	for mode in serial parallel; do
		for r in $(seq 0 "$RUNS"); do
			for q in $ORDER; do run_once "$q" "$mode" "$r"; done
			echo "   $mode round $r done (load average $(cut -d' ' -f1-3 /proc/loadavg))"
		done
		for q in $ORDER; do
			BEST[$q,$mode]=$(printf '%s\n' ${WALL[$q,$mode]} | sort -g | head -1)
			BESTCPU[$q,$mode]=$(printf '%s\n' ${CPU[$q,$mode]} | sort -g | head -1)
			round_report "$q" "$mode"
		done
	done
}

# TAP-style counting for the shell suites that start no cluster of
# lib_cluster.bash (test/meta.sh, test/package.sh): tap_ok, tap_not_ok, tap_is;
# tap_done OUT writes the counts to OUT.passed and OUT.failed (when OUT is
# given) and prints "# NAME: N passed, N failed".
TAP_N=0 TAP_PASSED=0 TAP_FAILED=0
tap_ok() {	# tap_ok DESCRIPTION
	TAP_N=$((TAP_N + 1)); TAP_PASSED=$((TAP_PASSED + 1))
	echo "ok $TAP_N - $1"
}
tap_not_ok() {	# tap_not_ok DESCRIPTION [DETAIL...]
	TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	shift
	local l
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}
tap_is() {	# tap_is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then tap_ok "$3"
	else tap_not_ok "$3" "got:      $1" "expected: $2"; fi
}
tap_done() {	# tap_done [OUT]
	if [ -n "${1:-}" ]; then
		echo "$TAP_PASSED" >"$1.passed"
		echo "$TAP_FAILED" >"$1.failed"
	fi
	echo "# $(basename "$0"): $TAP_PASSED passed, $TAP_FAILED failed"
}

# run_tap [TEST...]: the Perl TAP tests (test/t/*.pl, or those named) by PGXS
# prove_installcheck, on clusters PostgreSQL::Test::Cluster starts from the
# private tree (bindir=$KPI_BINDIR), as postgres when we are root (initdb
# refuses root).  make runs out of tree (VPATH) in a temporary directory, so
# tmp_check (the nodes, their logs) is writable by that user and the source
# tree is only read.  The framework picks the nodes' ports and reserves them
# in /tmp/kpi_tap_ports.<user>, shared by concurrent runs of that user.
# Prints prove's verbose output (with each test's time); returns its status.
run_tap() {
	local root dir rc ports tests=""
	root=$(pwd)
	[ $# -gt 0 ] && tests="TAP=$*"
	dir=$(mktemp -d /tmp/kpi_tap.XXXXXX) || return 1
	ports=/tmp/kpi_tap_ports.$(as_pg id -un)
	as_pg mkdir -p "$ports" || return 1
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	as_pg env PG_TEST_PORT_DIR="$ports" PG_TEST_TIMEOUT_DEFAULT=600 \
		make -s --no-print-directory -f "$root/Makefile" -C "$dir" srcdir="$root" VPATH="$root" \
		PG_CONFIG="$PG_CONFIG" bindir="$KPI_BINDIR" PROVE_FLAGS="-I test/perl -v --timer" ${tests:+"$tests"} prove_installcheck
	rc=$?
	# keep the nodes' logs of a failed run
	if [ $rc -ne 0 ] && [ -n "${KPI_TAP_LOGS:-}" ]; then
		rm -rf "$KPI_TAP_LOGS" && cp -a "$dir/tmp_check/log" "$KPI_TAP_LOGS" 2>/dev/null
	fi
	rm -rf "$dir"
	return $rc
}
