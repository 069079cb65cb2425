#!/usr/bin/env bash
# Scale-out benchmark (issue 6): the same generated task lines, the same
# queries (bench/scale.sql), timed in one run under
#   - one node, serial                     (the baseline)
#   - one node, 2 parallel workers
#   - one node, partitioned by province (8 partitions), partitionwise on / off,
#     serial and with 2 workers
#   - 3 postgres_fdw shards on this host, partitionwise on, plain and with
#     async foreign scans (async_capable)
# and prints median times and their ratio to the baseline.
#
#   bash bench/scale.sh [lines]        default 2000000 lines, lines/50 officials
#
# It starts its own 4 throwaway clusters (coordinator + 3 shards; initdb +
# pg_ctl in a temp directory, unix socket only, never port 5432 or 5499) and
# deletes them at the end.  Environment overrides:
#   BENCH_RUNS       timed runs per query and configuration after one warm-up (3)
#   BENCH_QUERIES    which blocks of bench/scale.sql to run ("scores groups rollup";
#                    "annual" is the fourth)
#   BENCH_OFFICIALS  number of civil servants (lines / 50)
#   BENCH_NO_BUILD=1 do not build and install the extension first
# All clusters run on the same machine, so the shard figures show the cost and
# the overlap of postgres_fdw, not more hardware.  It fails (exit 1) only when
# the configurations disagree on a result or something breaks.
set -u -o pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

LINES=${1:-2000000}
case "$LINES" in ''|*[!0-9]*) echo "usage: bash bench/scale.sh [lines]" >&2; exit 2;; esac
OFFICIALS=${BENCH_OFFICIALS:-$(( LINES / 50 > 0 ? LINES / 50 : 1 ))}
RUNS=${BENCH_RUNS:-3}
NPROV=8
SHARD_PROVINCES=("1, 4, 7" "2, 5, 8" "3, 6")

. test/lib.sh
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
	ensure_deps || exit 1
	build_install || { echo "build failed" >&2; exit 1; }
fi
. test/cluster/lib_cluster.bash
kc_setup ""

# the same settings on every node; the data fits in shared_buffers everywhere
conf=("shared_buffers = $(( LINES / 2500 + 256 ))MB" "work_mem = 256MB" "jit = off"
	"autovacuum = off" "max_worker_processes = 8" "max_parallel_workers = 8"
	"max_parallel_workers_per_gather = 2" "wal_level = minimal" "max_wal_senders = 0")
t0=$SECONDS
KC_NOWAIT=1 kc_start_node coordinator "${conf[@]}" || { echo "cannot start the coordinator" >&2; exit 1; }
CPORT=$KC_PORT
kc_wait_nodes "$CPORT" || exit 1
kc_start_shards 3 "${conf[@]}" || { echo "cannot start the shards" >&2; exit 1; }
DB=kpi_scale
kc_psql "$CPORT" postgres -c "CREATE DATABASE $DB" || exit 1
coord() { kc_psql "$CPORT" "$DB" "$@"; }
KC_COORD=coord

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== kpi_eval scale-out benchmark: $LINES task lines, $OFFICIALS civil servants, $NPROV provinces"
echo "== $(coord -At -c 'SELECT version()')"
echo "== $(nproc) CPU cores; 4 clusters on this host: coordinator + 3 shards (ports $CPORT ${KC_SHARD_PORTS[*]})"
{
	echo "CREATE EXTENSION kpi_eval;"
	kc_gen_sql t_flat "$OFFICIALS" "$LINES" "$NPROV" 0.5
	echo "CREATE TABLE t_part (LIKE t_flat) PARTITION BY LIST (province);"
	for p in $(seq 1 $NPROV); do echo "CREATE TABLE t_part_$p PARTITION OF t_part FOR VALUES IN ($p);"; done
	echo "INSERT INTO t_part SELECT * FROM t_flat;"
	echo "VACUUM ANALYZE t_flat; VACUUM ANALYZE t_part;"
} | coord >/dev/null || { echo "data generation failed" >&2; exit 1; }
kc_create_servers || exit 1
kc_distribute t_flat t_dist text "${SHARD_PROVINCES[@]}" || exit 1
# warm every table into shared buffers (coordinator and shards)
coord -c "SELECT count(*) FROM t_flat" -c "SELECT count(*) FROM t_part" >/dev/null
for p in "${KC_SHARD_PORTS[@]}"; do kc_psql "$p" "$KC_SHARD_DB" -c "SELECT count(*) FROM t_flat" >/dev/null; done
echo "== set up in $((SECONDS - t0)) s: t_flat $(coord -At -c "SELECT pg_size_pretty(pg_total_relation_size('t_flat'))"), lines per shard: $(for p in "${KC_SHARD_PORTS[@]}"; do kc_psql "$p" "$KC_SHARD_DB" -At -c "SELECT count(*) FROM t_flat"; done | paste -sd/)"

SERIAL="-c max_parallel_workers_per_gather=0"
PAR2="-c max_parallel_workers_per_gather=2 -c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0"
# label | table | GUCs | async foreign scans
CONFIGS=(
	"1 node, serial|t_flat|-c enable_partitionwise_aggregate=off $SERIAL|0"
	"1 node, 2 workers|t_flat|-c enable_partitionwise_aggregate=off $PAR2|0"
	"partitioned, partitionwise off|t_part|-c enable_partitionwise_aggregate=off $SERIAL|0"
	"partitioned, partitionwise on|t_part|-c enable_partitionwise_aggregate=on $SERIAL|0"
	"partitioned, partitionwise, 2 workers|t_part|-c enable_partitionwise_aggregate=on $PAR2|0"
	"3 fdw shards, partitionwise|t_dist|-c enable_partitionwise_aggregate=on $SERIAL|0"
	"3 fdw shards, partitionwise, async|t_dist|-c enable_partitionwise_aggregate=on $SERIAL|1"
)
QUERIES=${BENCH_QUERIES:-scores groups rollup}

# query_text NAME: the SQL of one block of bench/scale.sql
query_text() {
	awk -v n="$1" '/^-- name: /{on = ($3 == n); next} on && !/^--/' bench/scale.sql
}

# set_async 0|1: async foreign scans on the 3 servers or not
set_async() {
	local s
	for s in 1 2 3; do
		coord -c "ALTER SERVER shard$s OPTIONS (DROP async_capable)" 2>/dev/null
		[ "$1" = 1 ] && coord -c "ALTER SERVER shard$s OPTIONS (ADD async_capable 'true')"
	done
}

# plan_facts SQL TABLE GUCS: run once under EXPLAIN ANALYZE (also the warm-up)
# and report what the plan really did
plan_facts() {
	local plan w pa fa sh as
	plan=$(PGOPTIONS="$3" coord -At -v tbl="$2" <<<"EXPLAIN (ANALYZE, VERBOSE, TIMING OFF, COSTS OFF) $1") || return 1
	mkdir -p bench/out && echo "$plan" >"bench/out/scale.$q.$ci.plan"
	w=$(grep -oE 'Workers Launched: [0-9]+' <<<"$plan" | awk '{s += $3} END {print s + 0}')
	pa=$(grep -cE 'Partial (Hash|Group|Mixed)?Aggregate' <<<"$plan")
	fa=$(grep -cE '(^|->  )(Hash|Group|Mixed)?Aggregate' <<<"$plan")
	sh=$(grep -cE 'Remote SQL: .*kpi\.tally_agg\(' <<<"$plan")
	as=$(grep -c 'Async Foreign Scan' <<<"$plan")
	echo "workers=$w aggs=$fa partial=$pa shipped=$sh async=$as"
}

# run_once SQL TABLE GUCS: one timed run in a fresh session; prints
# "<ms>|<result row>"
run_once() {
	local out
	out=$( { echo '\timing on'; echo "$1"; } | PGOPTIONS="$3" coord -At -v tbl="$2") || return 1
	echo "$(grep -oE '^Time: [0-9.]+' <<<"$out" | awk '{print $2}')|$(grep -v '^Time: ' <<<"$out")"
}

median() { sort -n | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

status=0
declare -A REF
printf '\n%-7s %-38s %10s %7s  %s\n' query configuration "median ms" ratio "what the plan did (EXPLAIN ANALYZE)"
for q in $QUERIES; do
	sql=$(query_text "$q")
	[ -n "$sql" ] || { echo "no query $q in bench/scale.sql" >&2; exit 2; }
	declare -A FACTS=() TIMES=() RES=()
	ci=0
	for c in "${CONFIGS[@]}"; do
		IFS='|' read -r label tbl gucs async <<<"$c"
		set_async "$async"
		FACTS[$ci]=$(plan_facts "$sql" "$tbl" "$gucs") || { echo "query $q failed under $label" >&2; exit 1; }
		ci=$((ci + 1))
	done
	# rounds: every configuration once per round, so that a change in the
	# machine's load hits all of them alike
	for r in $(seq 1 "$RUNS"); do
		ci=0
		for c in "${CONFIGS[@]}"; do
			IFS='|' read -r label tbl gucs async <<<"$c"
			set_async "$async"
			o=$(run_once "$sql" "$tbl" "$gucs") || { echo "query $q failed under $label" >&2; exit 1; }
			TIMES[$ci]="${TIMES[$ci]:-} ${o%%|*}"
			res=${o#*|}
			if [ -z "${RES[$ci]:-}" ]; then RES[$ci]=$res
			elif [ "${RES[$ci]}" != "$res" ]; then RES[$ci]="$res (CHANGED between runs)"; status=1; fi
			ci=$((ci + 1))
		done
	done
	REF[$q]=${RES[0]}
	ci=0
	for c in "${CONFIGS[@]}"; do
		IFS='|' read -r label tbl gucs async <<<"$c"
		m=$(tr ' ' '\n' <<<"${TIMES[$ci]}" | grep . | median)
		[ $ci = 0 ] && base=$m
		ratio=$(awk -v a="$m" -v b="$base" 'BEGIN {printf "%.2f", a / b}')
		flag=""
		[ "${RES[$ci]}" != "${REF[$q]}" ] && { flag="  RESULT DIFFERS: ${RES[$ci]}"; status=1; }
		printf '%-7s %-38s %10.1f %6sx  %s%s\n' "$q" "$label" "$m" "$ratio" "${FACTS[$ci]}" "$flag"
		ci=$((ci + 1))
	done
	echo "        result, identical in every configuration unless flagged: ${REF[$q]}"
	if [ "$q" = rollup ] && [ -n "${REF[groups]:-}" ] && [ "${REF[rollup]}" != "${REF[groups]}" ]; then
		echo "        RESULT DIFFERS from the groups query"; status=1
	fi
	unset FACTS TIMES RES
done
echo
echo "ratio = median time / median time of '1 node, serial' for the same query (< 1 is faster);"
echo "median of $RUNS rounds (each configuration once per round, each run in a new session)"
echo "after one EXPLAIN ANALYZE warm-up; plans in bench/out/scale.*.plan; total $((SECONDS - t0)) s;"
echo "load average before/after: $LOAD0 / $(cut -d' ' -f1-3 /proc/loadavg)."
[ $status = 0 ] || echo "FAILED: some configuration gave a different result"
exit $status
