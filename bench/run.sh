#!/usr/bin/env bash
# Benchmark of the scoring core (issue 2): kpi.tally_agg + kpi.period_score
# against a plain count(*) GROUP BY and against the same scores in plain SQL
# numeric arithmetic, serial and with 2 parallel workers.
#
#   bash bench/run.sh [lines]          default 10000000 lines, lines/50 officials
#
# Everything runs on a throwaway cluster (test/lib.sh's in_cluster, its own port, never
# 5432 or 5499), dropped at the end.  Environment overrides:
#   BENCH_OFFICIALS        number of civil servants (default lines / 50)
#   BENCH_SHARED_BUFFERS   shared_buffers (default: room for the whole table)
#   BENCH_RUNS             timed runs per query after one warm-up (default 3)
#   BENCH_QUERIES          the queries to time, of: count reads avg kpi kpi_unit
#                          plain plain_unit (default all; the plain-SQL ones
#                          take four times as long as the rest together)
#   BENCH_LEADER           on (default) or off: parallel_leader_participation
#                          of the parallel runs; off leaves the 2 cores to the
#                          2 workers instead of sharing them among 3 processes
#   BENCH_JIT              off (default, as every other benchmark) or on: jit of
#                          the timed sessions (PostgreSQL's default is on; with
#                          it the executor compiles the deforming of the rows)
#   BENCH_PORT             port of the throwaway cluster (default: first free
#                          one from 5701)
#   BENCH_PROFILE=1        also perf-record the serial kpi query
#                          (report in bench/out/, which git ignores)
# This is a benchmark, not a test: it prints figures and checks the scores
# agree; it fails only when the scores disagree or something breaks.
set -u -o pipefail
cd "$(dirname "$0")/.."

inside=0	# --inside: the part that runs in the throwaway cluster
if [ "${1:-}" = "--inside" ]; then shift; inside=1; fi

LINES=${1:-10000000}
OFFICIALS=${BENCH_OFFICIALS:-$(( LINES / 50 > 0 ? LINES / 50 : 1 ))}
RUNS=${BENCH_RUNS:-3}
G=26.5	# the general-criteria points G used by every timed query

if [ "$inside" = 0 ]; then
	case "$LINES" in ''|*[!0-9]*) echo "usage: bash bench/run.sh [lines]" >&2; exit 2;; esac
	. test/lib.sh
	ensure_deps || exit 1
	build_install || { echo "build failed" >&2; exit 1; }

	# a free port of our own: never the system default 5432 nor 5499
	port=${BENCH_PORT:-}
	if [ -z "$port" ]; then
		for p in $(seq 5701 5799); do
			if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then port=$p; break; fi
		done
	fi
	case "$port" in 5432|5499|'') echo "no usable port" >&2; exit 1;; esac

	# the table takes about 110 bytes a line; keep it all in shared buffers
	sb=${BENCH_SHARED_BUFFERS:-$(( LINES / 6000 + 128 ))MB}
	mkdir -p bench/out
	echo "== throwaway cluster on port $port, shared_buffers=$sb"
	PGPORT=$port in_cluster \
		-o "shared_buffers=$sb" \
		-o "work_mem=512MB" \
		"${BENCH_CLUSTER_OPTS[@]}" \
		-o "huge_pages=off" \
		bash "$0" --inside "$LINES"
	exit $?
fi

###########################################################################
# Inside the throwaway cluster (PGHOST, PGPORT, PGUSER, PGPASSWORD set).
###########################################################################
set -e
. test/lib.sh
bench_prologue
echo "== generating $LINES task lines for $OFFICIALS officials"
t0=$(date +%s)
$PSQL -v lines="$LINES" -v officials="$OFFICIALS" -f bench/gen.sql
echo "   generated in $(( $(date +%s) - t0 )) s"
$PSQL -At -c "SELECT 'prewarmed ' || pg_prewarm('tasks') || ' blocks of tasks, '
                     || pg_prewarm('general_marks') || ' of general_marks'"

# Session settings of the two modes.
JIT=${BENCH_JIT:-off}
case "$JIT" in on|off) ;; *) echo "BENCH_JIT must be on or off" >&2; exit 2;; esac
SERIAL="SET jit = $JIT; SET max_parallel_workers_per_gather = 0;"
LEADER=${BENCH_LEADER:-on}
case "$LEADER" in on|off) ;; *) echo "BENCH_LEADER must be on or off" >&2; exit 2;; esac
PARALLEL="SET jit = $JIT; SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET min_parallel_index_scan_size = 0; SET parallel_leader_participation = $LEADER;"

FULL_TALLY="kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)"
UNIT_TALLY="kpi.tally_agg(coef, done, passed, quality_errors, late_events)"

# The plain-SQL scores, exact: with W the converted assigned weight and
# A, B, C the component credits, a = 100 * least(A, W) / W (CS5-CS8) and
# TOTAL = G + 0.70 * (a + b + c) / 3 = N / D with N = 3 W G + 70 (A'+B'+C')
# and D = 3 W; rounded half away from zero to 2 decimals (N0.3) exactly as
# floor((200 N + D) / (2 D)) / 100, without any rounded division.
plain_score() {	# $1 = G expression
	echo "round(div(200 * (3 * w * $1 + 70 * (least(w, qn) + least(w, ql) + least(w, pr))) + 3 * w,
	               6 * w) / 100, 2)"
}
FULL_SUMS="nullif(sum(coef * assigned_qty), 0) AS w,
	sum(coef * completed_qty) AS qn,
	sum(coef * greatest(0, passed_qty - 0.25 * quality_errors)) AS ql,
	sum(coef * greatest(0, completed_qty - 0.25 * late_events)) AS pr"
UNIT_SUMS="nullif(sum(coef), 0) AS w,
	sum(CASE WHEN done THEN coef ELSE 0 END) AS qn,
	sum(coef * greatest(0, CASE WHEN passed THEN 1 ELSE 0 END - 0.25 * quality_errors)) AS ql,
	sum(coef * greatest(0, CASE WHEN done THEN 1 ELSE 0 END - 0.25 * late_events)) AS pr"

# The timed queries: one row per official, same FROM and GROUP BY; each is
# wrapped the same way so that only two numbers reach the client.
declare -A Q
Q[count]="SELECT official_id, count(*) AS x FROM tasks GROUP BY official_id"
Q[reads]="SELECT official_id, count(late_events) AS x FROM tasks GROUP BY official_id"
Q[avg]="SELECT official_id, avg(late_events) AS x FROM tasks GROUP BY official_id"
Q[kpi]="SELECT official_id, kpi.period_score($G, $FULL_TALLY) AS x FROM tasks GROUP BY official_id"
Q[kpi_unit]="SELECT official_id, kpi.period_score($G, $UNIT_TALLY) AS x FROM tasks GROUP BY official_id"
Q[plain]="SELECT official_id, $(plain_score $G) AS x
	FROM (SELECT official_id, $FULL_SUMS FROM tasks GROUP BY official_id) s"
Q[plain_unit]="SELECT official_id, $(plain_score $G) AS x
	FROM (SELECT official_id, $UNIT_SUMS FROM tasks GROUP BY official_id) s"
ORDER=${BENCH_QUERIES:-count reads avg kpi kpi_unit plain plain_unit}
for q in $ORDER; do
	[ -n "${Q[$q]:-}" ] || { echo "unknown query in BENCH_QUERIES: $q" >&2; exit 2; }
done
has() { case " $ORDER " in *" $1 "*) return 0;; esac; return 1; }
declare -A LABEL=(
	[count]="count(*) GROUP BY official_id (baseline)"
	[reads]="count(late_events) (reference: reads the columns)"
	[avg]="avg(late_events) (reference: by-reference state)"
	[kpi]="kpi.period_score(G, kpi.tally_agg(6 cols))"
	[kpi_unit]="kpi.period_score(G, kpi.tally_agg(unit form))"
	[plain]="plain SQL numeric, full form"
	[plain_unit]="plain SQL numeric, unit form"
)

wrap() { echo "SELECT count(*) AS groups, sum(hashtext(x::text)) AS checksum FROM ($1) s"; }

# Plans: the parallel plans must have 2 workers.
for q in $ORDER; do
	for mode in serial parallel; do
		settings=$SERIAL; [ "$mode" = parallel ] && settings=$PARALLEL
		{ echo "$settings"; echo "EXPLAIN (COSTS OFF) $(wrap "${Q[$q]}");"; } |
			$PSQL -At >"$out/plan_${q}_$mode.txt"
		if [ "$mode" = parallel ] && ! grep -q 'Workers Planned: 2' "$out/plan_${q}_$mode.txt"; then
			echo "!! the parallel plan of $q is not parallel:"; cat "$out/plan_${q}_$mode.txt"; exit 1
		fi
		if [ "$mode" = serial ] && grep -q 'Workers Planned' "$out/plan_${q}_$mode.txt"; then
			echo "!! the serial plan of $q is parallel"; exit 1
		fi
	done
done
echo "== parallel plan of the kpi query (EXPLAIN ANALYZE, TIMING OFF):"
{ echo "$PARALLEL"; echo "EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) $(wrap "${Q[kpi]}");"; } |
	$PSQL -At | sed 's/^/   /'

# One timed run of a query in a fresh session (test/lib.sh bench_timed; the
# one-row result goes to a file).  Appends to WALL[q,mode] and CPU[q,mode].
declare -A WALL CPU RESULT BEST BESTCPU MEDCPU
run_once() {	# $1 = query key, $2 = serial|parallel, $3 = round (0 = warm-up)
	local settings=$SERIAL; [ "$2" = parallel ] && settings=$PARALLEL
	local res="$out/result_${1}_$2.txt" log="$out/run_${1}_$2_$3.txt"
	bench_timed "$log" "$settings" < <(printf '%s\n' "\\o $res" "$(wrap "${Q[$1]}");") ||
		{ echo "!! query $1 ($2) failed:"; cat "$log"; exit 1; }
	[ "$3" = 0 ] && return 0
	WALL[$1,$2]="${WALL[$1,$2]:-}$BENCH_WALL "
	CPU[$1,$2]="${CPU[$1,$2]:-}$BENCH_CPU "
	RESULT[$1,$2]=$(head -1 "$res")
}
round_report() {	# $1 = query key, $2 = serial|parallel; in parallel runs the CPU time is the leader's
	printf '   %-10s %-8s wall ms: %-32s %s cpu ms: %-24s result: %s\n' "$1" "$2" \
		"${WALL[$1,$2]}" "$([ "$2" = parallel ] && echo leader || echo backend)" \
		"${CPU[$1,$2]}" "${RESULT[$1,$2]}"
}
bench_rounds

echo
echo "== results: $LINES task lines, $OFFICIALS officials, parallel_leader_participation = $LEADER, jit = $JIT (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
median() { printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-50s %11s %11s %11s %11s\n' "query (ms: best of $RUNS; median)" "serial" "serial CPU" "CPU median" "2 workers"
for q in $ORDER; do
	MEDCPU[$q]=$(median "${CPU[$q,serial]}")
	printf '%-50s %11.1f %11.0f %11.0f %11.1f\n' "${LABEL[$q]}" "${BEST[$q,serial]}" "${BESTCPU[$q,serial]}" "${MEDCPU[$q]}" "${BEST[$q,parallel]}"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
printf '%-50s %11s %11s %11s %11s   %s\n' "ratio" "serial" "serial CPU" "CPU median" "2 workers" "target (serial CPU)"
for pair in "kpi count <=1.15" "kpi_unit count <=1.15" "kpi reads -" "kpi_unit reads -" \
            "reads count -" "avg count -" "kpi avg -" "plain kpi >=5" "plain_unit kpi_unit >=5"; do
	set -- $pair
	has "$1" && has "$2" || continue
	printf '%-50s %11s %11s %11s %11s   %s\n' "$1 / $2" \
		"$(ratio "${BEST[$1,serial]}" "${BEST[$2,serial]}")" \
		"$(ratio "${BESTCPU[$1,serial]}" "${BESTCPU[$2,serial]}")" \
		"$(ratio "${MEDCPU[$1]}" "${MEDCPU[$2]}")" \
		"$(ratio "${BEST[$1,parallel]}" "${BEST[$2,parallel]}")" "$3"
done
echo
printf '%-50s %11s   %s\n' "speed-up of 2 workers (serial / 2 workers, best wall)" "" "target"
for q in $ORDER; do
	target=-; case "$q" in kpi|kpi_unit) target=">=1.8";; esac
	printf '%-50s %11s   %s\n' "$q" "$(ratio "${BEST[$q,serial]}" "${BEST[$q,parallel]}")" "$target"
done

# Agreement.  1) the timed queries: the kpi and plain-SQL checksums of the
# same form must be equal, serial and parallel.
echo
echo "== agreement"
bad=0
for pair in "kpi plain" "kpi_unit plain_unit"; do
	set -- $pair
	has "$1" || continue
	if ! has "$2"; then
		# no plain-SQL query timed: serial and parallel must agree
		if [ "${RESULT[$1,parallel]}" = "${RESULT[$1,serial]}" ]; then
			echo "   checksum $1 serial = parallel: ${RESULT[$1,serial]} (the value-by-value check below compares with plain SQL)"
		else
			echo "!! checksum $1 serial ${RESULT[$1,serial]} <> parallel ${RESULT[$1,parallel]}"; bad=1
		fi
		continue
	fi
	for mode in serial parallel; do
		if [ "${RESULT[$1,$mode]}" = "${RESULT[$2,$mode]}" ] && [ "${RESULT[$1,$mode]}" = "${RESULT[$1,serial]}" ]; then
			echo "   checksum $1 = $2 ($mode): ${RESULT[$1,$mode]}"
		else
			echo "!! checksum $1 ${RESULT[$1,$mode]} <> $2 ${RESULT[$2,$mode]} ($mode)"; bad=1
		fi
	done
done
# 2) every official and month, with G from general_marks (the design.md
# query shape), compared value by value.  Also shown: how often the naive
# plain-SQL formula (rounded divisions, then round(..., 2)) differs.
NAIVE="round(g.points + 0.70 * (least(100, 100 * qn / w) + least(100, 100 * ql / w)
	+ least(100, 100 * pr / w)) / 3, 2)"
cat >"$out/verify.sql" <<EOF
$PARALLEL
WITH f AS (
	SELECT t.official_id, t.month, g.points,
	       kpi.period_score(g.points, $FULL_TALLY) AS kpi_score,
	       $FULL_SUMS
	FROM tasks t JOIN general_marks g USING (official_id, month)
	GROUP BY t.official_id, t.month, g.points
), u AS (
	SELECT t.official_id, t.month, g.points,
	       kpi.period_score(g.points, $UNIT_TALLY) AS kpi_score,
	       $UNIT_SUMS
	FROM tasks t JOIN general_marks g USING (official_id, month)
	GROUP BY t.official_id, t.month, g.points
)
SELECT 'full' AS form, count(*) AS scored_periods,
       count(*) FILTER (WHERE kpi_score IS DISTINCT FROM $(plain_score g.points)) AS mismatches,
       count(*) FILTER (WHERE kpi_score IS NULL) AS null_scores,
       min(kpi_score) AS min_score, max(kpi_score) AS max_score,
       count(*) FILTER (WHERE kpi_score IS DISTINCT FROM $NAIVE) AS naive_sql_differs
FROM f g
UNION ALL
SELECT 'unit', count(*),
       count(*) FILTER (WHERE kpi_score IS DISTINCT FROM $(plain_score g.points)),
       count(*) FILTER (WHERE kpi_score IS NULL),
       min(kpi_score), max(kpi_score),
       count(*) FILTER (WHERE kpi_score IS DISTINCT FROM $NAIVE)
FROM u g;
EOF
$PSQL -A -P footer=off -f "$out/verify.sql" >"$out/verify.txt"
column -t -s '|' "$out/verify.txt" | sed 's/^/   /'
mismatches=$(awk -F'|' 'NR > 1 { s += $3 } END { print s + 0 }' "$out/verify.txt")
echo "   mismatch count (kpi vs exact plain SQL, all officials, both forms): $mismatches"
[ "$mismatches" = 0 ] || bad=1

if [ "${BENCH_PROFILE:-0}" = 1 ] && command -v perf >/dev/null; then
	echo
	echo "== perf profile of the serial kpi query ($out/perf_kpi.txt)"
	perf_data=$(mktemp -d)/perf.data	# large: kept out of the work tree
	{
		echo "$SERIAL"
		echo "SELECT pg_backend_pid() AS pid \\gset"
		echo "\\setenv BENCH_PID :pid"
		echo "\\! perf record -F 2000 -g -o $perf_data -p \$BENCH_PID >/dev/null 2>&1 & echo \$! >$out/perf.pid"
		echo "SELECT pg_sleep(1);"
		echo "\\o /dev/null"
		for _ in 1 2 3 4 5; do echo "$(wrap "${Q[kpi]}");"; done
	} | $PSQL -At >/dev/null
	perf_pid=$(cat "$out/perf.pid")
	kill -INT "$perf_pid" 2>/dev/null || true
	while kill -0 "$perf_pid" 2>/dev/null; do sleep 1; done
	perf report -i "$perf_data" --no-children --sort dso --stdio -g none 2>/dev/null |
		grep -v '^#' | grep -v '^$' | tee "$out/perf_kpi_dso.txt"
	perf report -i "$perf_data" --no-children --percent-limit 0.7 --stdio \
		-g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40 | tee "$out/perf_kpi.txt"
	rm -rf "$(dirname "$perf_data")"
fi

echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$bad" = 0 ] || { echo "!! the kpi and plain-SQL scores disagree"; exit 1; }
