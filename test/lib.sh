# Shared by test/run.sh, test/demo.sh and bench/run.sh: install what is
# missing, build and install the extension.  Source it; it changes nothing
# else on the machine and never touches a system-wide PostgreSQL service.

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export PG_CONFIG

# Run a command as root: directly when we are root, else through sudo.
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

KPI_PACKAGES="build-essential postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl"

ensure_deps() {
	local missing=""
	for p in $KPI_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "== installing Debian packages:$missing"
		as_root apt-get update -qq
		# the package scripts may create a 15/main cluster; we never start it
		DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq $missing >/dev/null
	fi
}

build_install() {
	echo "== building kpi_eval"
	make -s PG_CONFIG="$PG_CONFIG" >/dev/null || return 1
	as_root make -s PG_CONFIG="$PG_CONFIG" install >/dev/null || return 1
}

# Export PGPORT as a port nothing listens on: pg_virtualenv -t would otherwise
# take 5432 even when a server (the system one, say) already runs there.
port_in_use() {
	[ -e "/var/run/postgresql/.s.PGSQL.$1.lock" ] || [ -e "/tmp/.s.PGSQL.$1.lock" ] ||
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
	PGPORT=""
	for p in $(seq 5433 5498); do
		if ! port_in_use "$p"; then PGPORT=$p; break; fi
	done
	[ -n "$PGPORT" ] || { echo "no free port in 5433-5498" >&2; return 1; }
	export PGPORT
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
