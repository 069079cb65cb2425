#!/usr/bin/env bash
# Year-end rating benchmark (issue 3): rate every civil servant from the
# stored monthly tallies in one statement (annual score, tier with the
# disqualifier, the 20% quota per unit and task group) and time it against
# the same statement without the quota window and against a plain
# count(*) GROUP BY official over the same table.
#
#   bash bench/rating.sh [officials] [groups]    default 200000 officials, 10000 groups
#
# Data and statements: bench/rating.sql.  Everything runs on a throwaway
# cluster (test/lib.sh's in_cluster on a free port from test/lib.sh's pick_port,
# never 5432 or 5499), dropped at the end.  Environment overrides:
#   BENCH_MONTHS   months of stored tallies (default 12)
#   BENCH_RUNS     timed runs per statement and mode after one warm-up (default 3)
# This is a benchmark, not a test: it prints figures; it fails only when a
# check of the results fails (violations <> 0) or something breaks.
set -u -o pipefail
cd "$(dirname "$0")/.."

inside=0	# --inside: the part that runs in the throwaway cluster
if [ "${1:-}" = "--inside" ]; then shift; inside=1; fi

OFFICIALS=${1:-200000}
NGROUPS=${2:-10000}	# not GROUPS: bash's own variable
MONTHS=${BENCH_MONTHS:-12}
RUNS=${BENCH_RUNS:-3}

if [ "$inside" = 0 ]; then
	for v in "$OFFICIALS" "$NGROUPS" "$MONTHS" "$RUNS"; do
		case "$v" in ''|*[!0-9]*) echo "usage: bash bench/rating.sh [officials] [groups]" >&2; exit 2;; esac
	done
	if [ "$NGROUPS" -lt 1 ] || [ "$NGROUPS" -gt "$OFFICIALS" ] || [ "$MONTHS" -lt 1 ] || [ "$MONTHS" -gt 12 ]; then
		echo "need 1 <= groups <= officials and 1 <= BENCH_MONTHS <= 12" >&2; exit 2
	fi
	. test/lib.sh
	ensure_deps || exit 1
	build_install || { echo "build failed" >&2; exit 1; }
	pick_port || exit 1
	case "$PGPORT" in 5432|5499) echo "refusing port $PGPORT" >&2; exit 1;; esac

	# the monthly table takes about 170 bytes a row; keep it in shared buffers
	sb=$(( OFFICIALS * MONTHS / 5000 + 128 ))MB
	mkdir -p bench/out
	echo "== throwaway cluster on port $PGPORT, shared_buffers=$sb"
	in_cluster \
		-o "shared_buffers=$sb" \
		-o "work_mem=256MB" \
		"${BENCH_CLUSTER_OPTS[@]}" \
		bash "$0" --inside "$OFFICIALS" "$NGROUPS"
	exit $?
fi

###########################################################################
# Inside the throwaway cluster (PGHOST, PGPORT, PGUSER, PGPASSWORD set).
###########################################################################
set -e
. test/lib.sh
bench_prologue
echo "== generating $OFFICIALS officials in $NGROUPS groups, $MONTHS months of stored tallies (not timed)"
t0=$(date +%s)
$PSQL -v officials="$OFFICIALS" -v groups="$NGROUPS" -v months="$MONTHS" -v step=gen \
	-f bench/rating.sql | sed 's/^/   /'
echo "   generated in $(( $(date +%s) - t0 )) s"
$PSQL -At -c "SELECT 'prewarmed ' || pg_prewarm('monthly') || ' blocks of monthly, '
                     || pg_prewarm('officials') || ' of officials'" | sed 's/^/   /'

# Session settings of the two modes (as bench/run.sh).
SERIAL="SET max_parallel_workers_per_gather = 0;"
PARALLEL="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET min_parallel_index_scan_size = 0;"

# The timed statements materialise a view of bench/rating.sql, which the
# planner inlines: CREATE UNLOGGED TABLE res_<q>_<mode> AS SELECT * FROM rating_<q>.
# (A count(*) over the window query would not do: the planner drops unused
# window functions from a subquery.)
ORDER="count noquota full"
declare -A LABEL=(
	[count]="count(*) GROUP BY official (baseline)"
	[noquota]="rating without the quota window"
	[full]="full year-end rating (one statement)"
)
ctas() { echo "CREATE UNLOGGED TABLE res_$1_$2 AS SELECT * FROM rating_$1;"; }

# Plans: the parallel plans must have 2 workers, the serial ones none.
for q in $ORDER; do
	for mode in serial parallel; do
		settings=$SERIAL; [ "$mode" = parallel ] && settings=$PARALLEL
		{ echo "$settings"; echo "EXPLAIN (COSTS OFF) $(ctas "$q" "$mode")"; } |
			$PSQL -At >"$out/rating_plan_${q}_$mode.txt"
		if [ "$mode" = parallel ] && ! grep -q 'Workers Planned: 2' "$out/rating_plan_${q}_$mode.txt"; then
			echo "!! the parallel plan of $q is not parallel:"; cat "$out/rating_plan_${q}_$mode.txt"; exit 1
		fi
		if [ "$mode" = serial ] && grep -q 'Workers Planned' "$out/rating_plan_${q}_$mode.txt"; then
			echo "!! the serial plan of $q is parallel"; exit 1
		fi
	done
done
echo "== parallel plan of the full rating (EXPLAIN ANALYZE, TIMING OFF):"
{
	echo "$PARALLEL"
	echo "BEGIN;"
	echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $(ctas full explain)"
	echo "ROLLBACK;"
} | $PSQL -At | sed 's/^/   /'

# One timed run of the CREATE TABLE AS in a fresh session (test/lib.sh
# bench_timed; the previous result table is dropped first, outside the
# timing; in parallel mode the CPU time leaves out the workers).  Appends to
# WALL[q,mode] and CPU[q,mode].
declare -A WALL CPU BEST BESTCPU
run_once() {	# $1 = statement key, $2 = serial|parallel, $3 = round (0 = warm-up)
	local settings=$SERIAL; [ "$2" = parallel ] && settings=$PARALLEL
	local log="$out/rating_run_${1}_$2_$3.txt"
	bench_timed "$log" "$settings
SET client_min_messages = warning; DROP TABLE IF EXISTS res_$1_$2; RESET client_min_messages;" < <(ctas "$1" "$2") ||
		{ echo "!! statement $1 ($2) failed:"; cat "$log"; exit 1; }
	[ "$3" = 0 ] && return 0
	WALL[$1,$2]="${WALL[$1,$2]:-}$BENCH_WALL "
	CPU[$1,$2]="${CPU[$1,$2]:-}$BENCH_CPU "
}
round_report() {	# $1 = statement key, $2 = serial|parallel
	printf '   %-8s %-8s wall ms: %-30s backend cpu ms: %s\n' "$1" "$2" "${WALL[$1,$2]}" "${CPU[$1,$2]}"
}
bench_rounds

echo
echo "== checks"
$PSQL -v step=check -f bench/rating.sql | tee "$out/rating_check.txt" | sed 's/^/   /'
violations=$(sed -n 's/^violations = \([0-9]*\)$/\1/p' "$out/rating_check.txt")

rows=$(psql -X -At -c "SELECT count(*) FROM monthly")
echo
echo "== results: $OFFICIALS officials, $NGROUPS groups, $rows stored monthly tallies (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-42s %10s %11s %10s %9s\n' "statement (best of $RUNS, ms)" "serial" "serial CPU" "2 workers" "speed-up"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for q in $ORDER; do
	printf '%-42s %10.0f %11.0f %10.0f %9s\n' "${LABEL[$q]}" "${BEST[$q,serial]}" \
		"${BESTCPU[$q,serial]}" "${BEST[$q,parallel]}" "$(ratio "${BEST[$q,serial]}" "${BEST[$q,parallel]}")"
done
echo
printf '%-42s %10s %11s %10s\n' "ratio" "serial" "serial CPU" "2 workers"
for pair in "full noquota" "full count" "noquota count"; do
	set -- $pair
	printf '%-42s %10s %11s %10s\n' "$1 / $2" \
		"$(ratio "${BEST[$1,serial]}" "${BEST[$2,serial]}")" \
		"$(ratio "${BESTCPU[$1,serial]}" "${BESTCPU[$2,serial]}")" \
		"$(ratio "${BEST[$1,parallel]}" "${BEST[$2,parallel]}")"
done
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$violations" = 0 ] || { echo "!! the checks found $violations violations"; exit 1; }
