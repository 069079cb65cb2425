#!/usr/bin/env bash
# Data-quality benchmark (issue 12): kpi.check_inputs over a full-size month.
# Generates (not timed) the organisation and a year of inputs with
# bench/evaluate.sql (200,000 officials, 10 million task lines over 2026:
# about 833,000 lines due in a month), then times, each in its own session,
# 1 warm-up round and BENCH_RUNS (default 3) timed rounds, interleaved:
#   floor   one statement counting the rows the checks read for March: the
#           month's task lines (by the due index, as the checks do), the
#           officials, units, general-criteria forms and leader criteria;
#   check   SELECT count(*) FROM kpi.check_inputs('2026-03-01', 'month');
#   record  SELECT kpi.record_input_check('2026-03-01', 'month') (the gate's
#           work inside kpi.evaluate: the checks and their rows written);
#   year    SELECT count(*) FROM kpi.check_inputs('2026-01-01', 'year');
#   signals SELECT count(*) FROM kpi.integrity_signals('2026-03-01', 'month').
# It prints the best wall and backend CPU time of each (the machine is shared:
# CPU time of the backend is the steadier figure) and the ratio of each to
# the floor measured in the same run.
#
#   bash bench/dq.sh [officials] [lines]   default 200000 officials, 10000000 lines
#
# Throwaway cluster as bench/evaluate.sh; logs in bench/out/dq_*.txt.
set -u -o pipefail
cd "$(dirname "$0")/.."

inside=0
if [ "${1:-}" = "--inside" ]; then shift; inside=1; fi
OFFICIALS=${1:-200000}
LINES=${2:-10000000}
SEED=${BENCH_SEED:-0.335}
RUNS=${BENCH_RUNS:-3}

if [ "$inside" = 0 ]; then
	for v in "$OFFICIALS" "$LINES" "$RUNS"; do
		case "$v" in ''|*[!0-9]*) echo "usage: bash bench/dq.sh [officials] [lines]" >&2; exit 2;; esac
	done
	[ "$OFFICIALS" -ge 25 ] || { echo "need at least 25 officials" >&2; exit 2; }
	. test/lib.sh
	ensure_deps || exit 1
	build_install || { echo "build failed" >&2; exit 1; }
	pick_port || exit 1
	case "$PGPORT" in 5432|5499) echo "refusing port $PGPORT" >&2; exit 1;; esac
	mb=$(( LINES / 4000 + OFFICIALS / 100 + 128 ))
	[ "$mb" -gt 3072 ] && mb=3072
	mkdir -p bench/out
	echo "== throwaway cluster on port $PGPORT, shared_buffers=${mb}MB, work_mem=256MB"
	in_cluster -o "shared_buffers=${mb}MB" -o "work_mem=256MB" -o "maintenance_work_mem=512MB" \
		"${BENCH_CLUSTER_OPTS[@]}" bash "$0" --inside "$OFFICIALS" "$LINES"
	exit $?
fi

set -e
. test/lib.sh
bench_prologue
# the reference schema is its own extension (bench_prologue creates kpi_eval)
$PSQL -c "CREATE EXTENSION kpi_eval_reference"
echo "== generating $OFFICIALS officials, $LINES task lines over 2026 (not timed)"
t0=$(date +%s)
$PSQL -v officials="$OFFICIALS" -v lines="$LINES" -v seed="$SEED" -v step=gen \
	-f bench/evaluate.sql | tee "$out/dq_gen.txt" | sed 's/^/   /'
echo "   generated in $(( $(date +%s) - t0 )) s"
$PSQL -At -c "SELECT 'prewarmed ' || sum(pg_prewarm(c.oid)) || ' blocks'
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'kpi' AND c.relkind IN ('r', 'i')
                AND c.relname ~ '^(unit|official|task_line|general_mark|leader_criteria|disciplinary_record)'" |
	sed 's/^/   /'
$PSQL -At -c "SELECT 'March: ' || count(*) || ' task lines due' FROM kpi.task_line
              WHERE due BETWEEN '2026-03-01' AND '2026-03-31'" | sed 's/^/   /'

declare -A SQL WALL CPU
SQL[floor]="SELECT (SELECT count(*) FROM kpi.task_line WHERE due BETWEEN '2026-03-01' AND '2026-03-31')
           + (SELECT count(*) FROM kpi.official) + (SELECT count(*) FROM kpi.unit)
           + (SELECT count(*) FROM kpi.general_mark WHERE period_start = '2026-03-01')
           + (SELECT count(*) FROM kpi.leader_criteria WHERE period_start = '2026-03-01');"
SQL[check]="SELECT count(*) FROM kpi.check_inputs('2026-03-01', 'month');"
SQL[record]="SELECT kpi.record_input_check('2026-03-01', 'month');"
SQL[year]="SELECT count(*) FROM kpi.check_inputs('2026-01-01', 'year');"
SQL[signals]="SELECT count(*) FROM kpi.integrity_signals('2026-03-01', 'month');"
ORDER="floor check record year signals"

echo "== timing: 1 warm-up round + $RUNS timed rounds, interleaved"
for r in $(seq 0 "$RUNS"); do
	for q in $ORDER; do
		bench_timed "$out/dq_${q}_$r.txt" "SET max_parallel_workers_per_gather = 0;" <<<"${SQL[$q]}" ||
			{ echo "!! $q failed:"; cat "$out/dq_${q}_$r.txt"; exit 1; }
		if [ "$r" -gt 0 ]; then
			WALL[$q]="${WALL[$q]:-} $BENCH_WALL"; CPU[$q]="${CPU[$q]:-} $BENCH_CPU"
		fi
	done
	echo "   round $r done (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done

echo "== what the checks found in March (the generated data has no error)"
$PSQL -c "SELECT check_id, severity, count(*) FROM kpi.check_inputs('2026-03-01', 'month') GROUP BY 1, 2 ORDER BY 1" |
	sed 's/^/   /'

best() { printf '%s\n' $1 | sort -g | head -1; }
fw=$(best "${WALL[floor]}"); fc=$(best "${CPU[floor]}")
echo
echo "== results: $OFFICIALS officials, $LINES task lines (best of $RUNS; ratios to the floor of this run)"
for q in $ORDER; do
	w=$(best "${WALL[$q]}"); c=$(best "${CPU[$q]}")
	printf '   %-8s %9.2f s wall %9.2f s backend cpu   x%.1f wall  x%.1f cpu\n' "$q" \
		"$(awk -v v="$w" 'BEGIN { print v / 1000 }')" "$(awk -v v="$c" 'BEGIN { print v / 1000 }')" \
		"$(awk -v a="$w" -v b="$fw" 'BEGIN { print a / b }')" \
		"$(awk -v a="$c" -v b="$fc" 'BEGIN { print (b > 0 ? a / b : 0) }')"
done
