# Shared by test/cluster/*.sh and bench/scale.sh (source it; the .bash suffix
# keeps test/run_inside.sh from running it as a test).
#
#  - TAP-style counting: kc_ok / kc_not_ok / kc_is, counts written to
#    $KC_OUT.passed and $KC_OUT.failed on exit (also when a script dies early);
#  - throwaway PostgreSQL 15 clusters on this host (initdb + pg_ctl in a temp
#    directory, unix socket only, listen_addresses = '', never port 5432/5499),
#    stopped and deleted on exit whatever happens;
#  - the random task-line generator used by every scale-out test and the bench.

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
# the private tree of test/lib.sh when there is one
KC_BINDIR=${KPI_BINDIR:-$("$PG_CONFIG" --bindir)}

##############################################################################
# Counting
##############################################################################

KC_N=0
KC_PASSED=0
KC_FAILED=0
KC_FINISHED=0
KC_OUT=${KC_OUT:-}

kc_ok() {	# kc_ok DESCRIPTION
	KC_N=$((KC_N + 1)); KC_PASSED=$((KC_PASSED + 1))
	echo "ok $KC_N - $1"
}

kc_not_ok() {	# kc_not_ok DESCRIPTION [DETAIL...]
	KC_N=$((KC_N + 1)); KC_FAILED=$((KC_FAILED + 1))
	echo "not ok $KC_N - $1"
	shift
	local l
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}

kc_is() {	# kc_is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then kc_ok "$3"
	else kc_not_ok "$3" "got:      $1" "expected: $2"; fi
}

kc_cond() {	# kc_cond DESCRIPTION TEST-ARGS...   (arguments of `[ ]`)
	local d=$1; shift
	if [ "$@" ]; then kc_ok "$d"; else kc_not_ok "$d" "condition failed: $*"; fi
}

kc_diag() { printf '# %s\n' "$@"; }

# A setup step failed: record it as a failure and stop (the EXIT trap cleans up).
kc_bail() {
	kc_not_ok "setup: $1" "${@:2}"
	exit 1
}

kc_finish() { KC_FINISHED=1; }

kc_write_counts() {
	[ -z "$KC_OUT" ] && [ "$KC_N" = 0 ] && return 0	# not a test (the bench)
	if [ "$KC_FINISHED" != 1 ] && [ -n "$KC_OUT" ]; then
		KC_N=$((KC_N + 1)); KC_FAILED=$((KC_FAILED + 1))
		echo "not ok $KC_N - script ended before its last check"
	fi
	if [ -n "$KC_OUT" ]; then
		echo "$KC_PASSED" >"$KC_OUT.passed"
		echo "$KC_FAILED" >"$KC_OUT.failed"
	fi
	echo "# $(basename "$0"): $KC_PASSED passed, $KC_FAILED failed"
}

##############################################################################
# Throwaway clusters
##############################################################################

KC_BASE=""		# temp directory holding every node's data dir and the socket dir
KC_SOCK=""		# unix socket directory of every node we start
KC_NODES=()		# data directories of started nodes
KC_CLEANUPS=()	# extra cleanup commands (eval'd on exit, before the nodes stop)

# The OS user that owns our clusters: postgres when we run as root (initdb
# refuses root), else ourselves.
kc_as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

kc_cleanup() {
	local rc=$? c d
	for c in "${KC_CLEANUPS[@]}"; do eval "$c" >/dev/null 2>&1; done
	for d in "${KC_NODES[@]}"; do
		kc_as_owner "$KC_BINDIR/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1
	done
	[ -n "$KC_BASE" ] && rm -rf "$KC_BASE"
	for d in /tmp/kpi_port.*; do
		[ "$(cat "$d/pid" 2>/dev/null)" = $$ ] && rm -rf "$d"
	done
	kc_write_counts
	exit $rc
}

# kc_harness_db NAME: the database this script uses on the harness cluster
# (the one test/run.sh started; PGHOST and PGPORT point at it): sets DB=NAME
# and WORK (a temporary directory), removes both at exit, and defines db
# (psql on DB) and dbq [PGOPTIONS] SQL (one query, unaligned).  The caller
# creates the database.
kc_harness_db() {
	DB=$1
	WORK=$(mktemp -d "/tmp/$1.XXXXXX") || kc_bail "mktemp failed"
	KC_CLEANUPS+=("rm -rf '$WORK'")
	KC_CLEANUPS+=("psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS $DB WITH (FORCE)'")
	db() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
	dbq() {
		if [ $# -ge 2 ]; then PGOPTIONS="$1" psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" -c "$2"
		else psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; fi
	}
}

kc_setup() {	# kc_setup OUTPREFIX   (OUTPREFIX may be empty: no counts files)
	KC_OUT=$1
	trap kc_cleanup EXIT
	trap 'exit 130' INT TERM HUP
}

kc_mkbase() {
	[ -n "$KC_BASE" ] && return 0
	KC_BASE=$(mktemp -d /tmp/kpi_cluster.XXXXXX) || kc_bail "mktemp failed"
	KC_SOCK=$KC_BASE/sock
	mkdir -p "$KC_SOCK"
	if [ "$(id -u)" = 0 ]; then chown -R postgres: "$KC_BASE"; fi
	chmod 700 "$KC_BASE" "$KC_SOCK"
}

# A TCP port nobody listens on (the nodes listen on a unix socket only; the
# port still names the socket and keys shared memory).  Never 5432 or 5499.
kc_free_port() {
	local p tries=0
	while [ $tries -lt 200 ]; do
		p=$((20000 + RANDOM % 30000))
		tries=$((tries + 1))
		[ "$p" = 5432 ] || [ "$p" = 5499 ] && continue
		[ -e "$KC_SOCK/.s.PGSQL.$p" ] && continue
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
		# reserved with an atomic mkdir until exit: a node still starting
		# (KC_NOWAIT=1) has no socket yet, but its port is taken all the same
		mkdir "/tmp/kpi_port.$p" 2>/dev/null || continue
		echo $$ >"/tmp/kpi_port.$p/pid"
		echo "$p"; return 0
	done
	return 1
}

# kc_start_node NAME [postgresql.conf lines...]: starts a node, sets KC_PORT.
# Call it in the main shell (not in $(...)), so the EXIT trap knows the node.
KC_PORT=""
kc_start_node() {
	local name=$1; shift
	kc_mkbase
	local dir=$KC_BASE/$name port
	port=$(kc_free_port) || { echo "no free port" >&2; return 1; }
	# initdb once per run, then copy the fresh data directory (much faster)
	if [ ! -d "$KC_BASE/template" ]; then
		kc_as_owner "$KC_BINDIR/initdb" -D "$KC_BASE/template" -U postgres -A trust --no-sync \
			-E UTF8 --locale=C >"$KC_BASE/initdb.log" 2>&1 || {
			cat "$KC_BASE/initdb.log" >&2; rm -rf "$KC_BASE/template"; return 1; }
	fi
	kc_as_owner cp -a "$KC_BASE/template" "$dir" || return 1
	{
		echo "port = $port"
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$KC_SOCK'"
		echo "fsync = off"
		echo "synchronous_commit = off"
		echo "full_page_writes = off"
		echo "max_wal_size = 4GB"
		echo "shared_buffers = 128MB"
		local l; for l in "$@"; do echo "$l"; done
	} | kc_as_owner tee -a "$dir/postgresql.conf" >/dev/null
	KC_NODES+=("$dir")
	KC_PORT=$port
	# KC_NOWAIT=1: return at once, kc_wait_nodes waits for every node
	local w=-w; [ "${KC_NOWAIT:-0}" = 1 ] && w=-W
	kc_as_owner "$KC_BINDIR/pg_ctl" -D "$dir" -l "$KC_BASE/$name.log" $w -t 60 start \
		>/dev/null 2>&1 || { cat "$KC_BASE/$name.log" >&2; return 1; }
}

# kc_wait_nodes PORT...: wait (up to 60 s) until every node accepts connections
kc_wait_nodes() {
	local p t
	for p in "$@"; do
		t=0
		until "$KC_BINDIR/pg_isready" -q -h "$KC_SOCK" -p "$p" -U postgres -d postgres; do
			t=$((t + 1)); [ $t -gt 300 ] && { echo "node on port $p did not start" >&2; return 1; }
			sleep 0.2
		done
	done
}

# kc_psql PORT DB [psql args...]: psql on one of our nodes, quiet, stop on error
kc_psql() {
	local port=$1 db=$2; shift 2
	"$KC_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$KC_SOCK" -p "$port" -U postgres -d "$db" "$@"
}

##############################################################################
# A CALL caught mid-flight (the crash tests)
##############################################################################

# kc_call_at_lock PORT DB DIR NAME SQL TABLE WRITTEN: another session holds a
# SHARE lock on TABLE; SQL (a CALL) runs in the background as application
# NAME until it waits for that lock, holding RowExclusiveLock on each table
# of WRITTEN (comma-separated: the rows it has written, not yet committed).
# A lock, not a delay, so the CALL is caught at the same point however fast
# it runs.  Sets KC_CALL_PID (the backend), KC_CALL_JOB and KC_HOLDER_JOB;
# DIR keeps NAME's output files.  One test: the locks held.
kc_call_at_lock() {
	local port=$1 db=$2 dir=$3 name=$4 sql=$5 table=$6 written=$7 i held
	rm -f "$dir/$name.locked" "$dir/$name.release" "$dir/$name.rc"
	( { echo "BEGIN; LOCK TABLE $table IN SHARE MODE; SELECT 'locked';"
	    while [ ! -f "$dir/$name.release" ]; do sleep 0.2; done
	    echo "COMMIT;"; } |
	  PGAPPNAME=${name}_holder kc_psql "$port" "$db" -At >"$dir/$name.locked" 2>&1 ) &
	KC_HOLDER_JOB=$!
	for i in $(seq 1 200); do grep -q locked "$dir/$name.locked" 2>/dev/null && break; sleep 0.05; done
	grep -q locked "$dir/$name.locked" || kc_bail "$name: the lock on $table was not taken" "$(cat "$dir/$name.locked")"
	( PGAPPNAME=$name kc_psql "$port" "$db" -c "$sql" >"$dir/$name.out" 2>&1; echo $? >"$dir/$name.rc" ) &
	KC_CALL_JOB=$!
	KC_CALL_PID=
	for i in $(seq 1 1200); do
		KC_CALL_PID=$(kc_psql "$port" "$db" -At -c "SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
		                 WHERE a.application_name = '$name' AND a.wait_event_type = 'Lock'
		                   AND NOT l.granted AND l.relation = '$table'::regclass")
		[ -n "$KC_CALL_PID" ] && break
		[ -f "$dir/$name.rc" ] && break	# it ended without waiting
		sleep 0.05
	done
	[ -n "$KC_CALL_PID" ] || kc_bail "$name never waited for the lock on $table" "$(cat "$dir/$name.out")"
	held=$(kc_psql "$port" "$db" -At -c "SELECT string_agg(relation::regclass::text, ',' ORDER BY relation::regclass::text) FROM pg_locks
	             WHERE pid = $KC_CALL_PID AND granted AND mode = 'RowExclusiveLock'
	               AND relation::regclass::text = ANY (string_to_array('$written', ','))")
	kc_is "$held" "$written" "$name: the CALL is mid-flight: it waits for $table and has written $written"
}

# kc_call_lost DIR NAME: the CALL's client saw its connection lost, not a result
kc_call_lost() {
	wait "$KC_CALL_JOB"
	kc_cond "$2: the client of the CALL saw its connection lost (rc $(cat "$1/$2.rc"))" \
		"$(cat "$1/$2.rc")" != 0 -a "$(grep -cE 'server closed the connection|connection to server was lost|terminating connection' "$1/$2.out")" -gt 0
}

# kc_release_holder DIR NAME: let the lock holder's loop end (its session is
# gone with the crash)
kc_release_holder() {
	touch "$1/$2.release"
	wait "$KC_HOLDER_JOB" 2>/dev/null
}

##############################################################################
# Random task lines
##############################################################################

# kc_gen_sql TABLE OFFICIALS LINES PROVINCES SEED
# SQL creating TABLE (unpartitioned) with LINES random task lines of OFFICIALS
# civil servants spread over PROVINCES provinces, 12 monthly periods of 2025.
# Deterministic for a given SEED (setseed; the generating query is serial).
# An official's province, unit and task group never change; general marks
# (G) are one value per official and period.  About 1 official in 97 has only
# coef-0 lines (nothing assigned: NULL scores).
kc_gen_sql() {
	local tbl=$1 nof=$2 nlines=$3 nprov=$4 seed=$5
	cat <<-SQL
	SET max_parallel_workers_per_gather = 0;
	SET client_min_messages = warning;
	SELECT setseed($seed);
	DROP TABLE IF EXISTS kc_officials;
	CREATE TEMP TABLE kc_officials AS
	SELECT o AS official,
	       1 + floor(random() * $nprov)::int AS province,
	       floor(random() * 40)::int AS unit_no,
	       1 + floor(random() * 9)::int AS task_group,
	       (o % 97 = 0) AS idle
	  FROM generate_series(1, $nof) o;
	CREATE TABLE $tbl (
	    line_id        bigint NOT NULL,
	    province       int NOT NULL,
	    unit           int NOT NULL,
	    official       int NOT NULL,
	    task_group     int NOT NULL,
	    period         date NOT NULL,
	    general        numeric NOT NULL,
	    coef           numeric NOT NULL,
	    assigned_qty   numeric NOT NULL,
	    completed_qty  numeric NOT NULL,
	    passed_qty     numeric NOT NULL,
	    quality_errors int NOT NULL,
	    late_events    int NOT NULL,
	    done           boolean NOT NULL,
	    passed         boolean NOT NULL
	);
	INSERT INTO $tbl
	SELECT l.line_id, o.province, o.province * 100 + o.unit_no, o.official, o.task_group,
	       l.period,
	       -- G in 0..30 by halves, one value per official and period
	       ((o.official * 37 + extract(month FROM l.period)::int * 11) % 61) / 2.0,
	       CASE WHEN o.idle THEN 0 ELSE l.coef END,
	       l.assigned, l.completed, least(l.passed, l.completed),
	       l.qerr, l.late, l.completed > 0, least(l.passed, l.completed) > 0
	  FROM (SELECT line_id, official, period, coef, qerr, late, assigned,
	               -- completed: 0 or 1 for a single-unit line, else 0..1.3 x assigned
	               -- (over-completion); passed likewise, then capped at completed
	               CASE WHEN unit_line THEN (r1 < 0.85)::int::numeric
	                    ELSE round(assigned * (r1 * 1.3)::numeric, 2) END AS completed,
	               CASE WHEN unit_line THEN (r2 < 0.8)::int::numeric
	                    ELSE round(assigned * (r2 * 1.3)::numeric, 2) END AS passed
	          FROM (SELECT g AS line_id,
	                       1 + floor(random() * $nof)::int AS official,
	                       make_date(2025, 1 + floor(random() * 12)::int, 1) AS period,
	                       (ARRAY[1, 1, 1, 1, 0.5, 1.25, 2, 8, 16, 0, 0.3333])[1 + floor(random() * 11)::int] AS coef,
	                       unit_line,
	                       CASE WHEN unit_line THEN 1 ELSE round((1 + random() * 19)::numeric, 2) END AS assigned,
	                       random() AS r1, random() AS r2,
	                       (ARRAY[0, 0, 0, 0, 0, 0, 1, 1, 2, 5])[1 + floor(random() * 10)::int] AS qerr,
	                       (ARRAY[0, 0, 0, 0, 0, 0, 0, 1, 2, 3])[1 + floor(random() * 10)::int] AS late
	                  FROM (SELECT g, random() < 0.5 AS unit_line
	                          FROM generate_series(1, $nlines) g) s0) s1) l
	  JOIN kc_officials o ON o.official = l.official;
	RESET max_parallel_workers_per_gather;
	RESET client_min_messages;
	SQL
}

# The result queries every plan must agree on.  Each prints one text line per
# group; %T is replaced by the table name.  Names are "label<TAB>sql".
kc_queries() {
	cat <<-'Q'
	tally per official and month	SELECT province, official, period, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)::text FROM %T GROUP BY province, official, period
	tally per official (year)	SELECT province, official, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)::text FROM %T GROUP BY province, official
	single-unit tally per official	SELECT province, official, kpi.tally_agg(coef, done, passed, quality_errors, late_events)::text FROM %T GROUP BY province, official
	tally with rules per official	SELECT province, official, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events, '{"quality_deduction": 0.5, "progress_deduction": 0.1}'::jsonb)::text FROM %T GROUP BY province, official
	tally per task group (across provinces)	SELECT task_group, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)::text FROM %T GROUP BY task_group
	tally per month (across provinces)	SELECT period, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)::text FROM %T GROUP BY period
	grand total tally	SELECT kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)::text, kpi.tally_agg(coef, done, passed, quality_errors, late_events)::text FROM %T
	period score, task pct and tier per official and month	SELECT province, official, period, kpi.period_score(general, t), kpi.task_pct(t), kpi.tier_of(kpi.period_score(general, t)) FROM (SELECT province, official, period, general, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) t FROM %T GROUP BY province, official, period, general) s
	rollup of official tallies per unit	SELECT unit, kpi.rollup(t)::text, count(*) FROM (SELECT province, unit, official, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) t FROM %T GROUP BY province, unit, official) s GROUP BY unit
	rollup of monthly tallies per task group	SELECT task_group, kpi.rollup(t)::text FROM (SELECT province, task_group, official, period, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) t FROM %T GROUP BY province, task_group, official, period) s GROUP BY task_group
	annual score and tier per official	SELECT province, official, kpi.annual_score(s), kpi.tier_of(kpi.annual_score(s)) FROM (SELECT province, official, period, kpi.period_score(general, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)) s FROM %T GROUP BY province, official, period, general) q GROUP BY province, official
	unit result (criterion d) per unit and month	SELECT unit, period, kpi.unit_result(s) FROM (SELECT province, unit, official, period, kpi.period_score(general, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)) s FROM %T GROUP BY province, unit, official, period, general) q GROUP BY unit, period
	Q
}

##############################################################################
# Comparing result sets
##############################################################################

# Forced parallel plans: 2 workers, parallel paths costed as free.
KC_PARALLEL_OPTS="-c max_parallel_workers_per_gather=2 -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c min_parallel_index_scan_size=0"
# Serial plans.
KC_SERIAL_OPTS="-c max_parallel_workers_per_gather=0"

# kc_same_rows DESCRIPTION REFERENCE-FILE GOT-FILE
# One check: both files hold the same lines in any order (exact text), and the
# reference is not empty.  On failure prints the mismatch count and a sample.
kc_same_rows() {
	local d=$1 ref=$2 got=$3 nref ngot mism
	nref=$(wc -l <"$ref"); ngot=$(wc -l <"$got")
	mism=$(diff <(LC_ALL=C sort "$ref") <(LC_ALL=C sort "$got") | grep -c '^[<>]')
	if [ "$nref" -gt 0 ] && [ "$mism" -eq 0 ]; then
		kc_ok "$d ($nref rows, 0 mismatches)"
	else
		kc_not_ok "$d" "reference rows: $nref, rows: $ngot, mismatched lines: $mism" \
			"$(diff <(LC_ALL=C sort "$ref") <(LC_ALL=C sort "$got") | grep '^[<>]' | head -4)"
	fi
}

# kc_plan_count REGEX FILE: number of plan lines matching REGEX
kc_plan_count() { grep -cE "$1" "$2"; }

# SQL creating TALLIES (unpartitioned) from the task-line table LINES: one
# stored kpi.tally per official and month, as an evaluation run would keep.
kc_tally_table_sql() {
	cat <<-SQL
	CREATE TABLE $2 AS
	SELECT province, unit, task_group, official, period, general,
	       kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) AS t
	  FROM $1 GROUP BY province, unit, task_group, official, period, general;
	SQL
}

# Queries over stored tallies (table %T as made by kc_tally_table_sql):
# kpi.rollup, and kpi.annual_score / kpi.unit_result grouped both by and
# across the partition key, so that their combine functions run too.
kc_tally_queries() {
	cat <<-'Q'
	stored tallies: rollup per unit	SELECT unit, kpi.rollup(t)::text FROM %T GROUP BY province, unit
	stored tallies: rollup per task group and month (across provinces)	SELECT task_group, period, kpi.rollup(t)::text, kpi.period_score(20, kpi.rollup(t)) FROM %T GROUP BY task_group, period
	stored tallies: annual score per official	SELECT province, official, kpi.annual_score(kpi.period_score(general, t)) FROM %T GROUP BY province, official
	stored tallies: annual score per task group (across provinces)	SELECT task_group, kpi.annual_score(kpi.period_score(general, t)) FROM %T GROUP BY task_group
	stored tallies: unit result per unit and month	SELECT unit, period, kpi.unit_result(kpi.period_score(general, t)) FROM %T GROUP BY province, unit, period
	stored tallies: unit result per task group and month (across provinces)	SELECT task_group, period, kpi.unit_result(kpi.period_score(general, t)) FROM %T GROUP BY task_group, period
	Q
}

##############################################################################
# postgres_fdw shards
##############################################################################

KC_SHARD_DB=kpi_shard
KC_SHARD_PORTS=()

# kc_start_shards N [postgresql.conf lines...]: N nodes shard1..shardN, each
# with database $KC_SHARD_DB and kpi_eval installed; ports in KC_SHARD_PORTS.
kc_start_shards() {
	local n=$1 s; shift
	KC_SHARD_PORTS=()
	for s in $(seq 1 "$n"); do
		KC_NOWAIT=1 kc_start_node "shard$s" "$@" || return 1
		KC_SHARD_PORTS+=("$KC_PORT")
	done
	kc_wait_nodes "${KC_SHARD_PORTS[@]}" || return 1
	for s in "${KC_SHARD_PORTS[@]}"; do
		kc_psql "$s" postgres -c "CREATE DATABASE $KC_SHARD_DB" &&
			kc_psql "$s" "$KC_SHARD_DB" -c "CREATE EXTENSION kpi_eval" || return 1
	done
}

# kc_create_servers [extra server options]: in the coordinator database (psql
# command in KC_COORD, a function name), postgres_fdw servers shard1..N over
# our unix socket, shipping kpi_eval, and user mappings.
kc_create_servers() {
	local extra=${1:-} i=0 p
	$KC_COORD -c "CREATE EXTENSION IF NOT EXISTS postgres_fdw" || return 1
	for p in "${KC_SHARD_PORTS[@]}"; do
		i=$((i + 1))
		$KC_COORD <<-SQL || return 1
		CREATE SERVER shard$i FOREIGN DATA WRAPPER postgres_fdw
		    OPTIONS (host '$KC_SOCK', port '$p', dbname '$KC_SHARD_DB',
		             extensions 'kpi_eval', fetch_size '10000'$extra);
		CREATE USER MAPPING FOR CURRENT_USER SERVER shard$i OPTIONS (user 'postgres');
		SQL
	done
}

# kc_distribute SRC DIST COPY-FORMAT PROVINCE-LIST...
# Ships the rows of coordinator table SRC to the shards (shard i gets the
# provinces of the i-th list, table SRC of the same name and columns there),
# then makes DIST on the coordinator: partitioned by LIST (province), one
# postgres_fdw foreign partition per shard.  COPY-FORMAT: text or binary.
kc_distribute() {
	local src=$1 dist=$2 fmt=$3 i=0 p provs ddl; shift 3
	ddl=$($KC_COORD -At -c "SELECT 'CREATE TABLE $src (' || string_agg(format('%I %s', attname, format_type(atttypid, atttypmod)), ', ' ORDER BY attnum) || ')'
	             FROM pg_attribute WHERE attrelid = '$src'::regclass AND attnum > 0 AND NOT attisdropped") || return 1
	$KC_COORD -c "CREATE TABLE $dist (LIKE $src) PARTITION BY LIST (province)" || return 1
	for provs in "$@"; do
		p=${KC_SHARD_PORTS[$i]}; i=$((i + 1))
		kc_psql "$p" "$KC_SHARD_DB" -c "$ddl" || return 1
		$KC_COORD -c "COPY (SELECT * FROM $src WHERE province IN ($provs) ORDER BY random()) TO STDOUT (FORMAT $fmt)" |
			kc_psql "$p" "$KC_SHARD_DB" -c "COPY $src FROM STDIN (FORMAT $fmt)" || return 1
		kc_psql "$p" "$KC_SHARD_DB" -c "VACUUM ANALYZE $src" || return 1
		$KC_COORD -c "CREATE FOREIGN TABLE ${dist}_$i PARTITION OF $dist FOR VALUES IN ($provs)
		              SERVER shard$i OPTIONS (table_name '$src')" || return 1
	done
	$KC_COORD -c "ANALYZE $dist"
}
