#!/usr/bin/env bash
# Scheduled-evaluation benchmark (issue 5): a year of CALL kpi.evaluate for a
# province of civil servants in the reference schema.  Generates (not timed)
# the organisation and its inputs with bench/evaluate.sql, then times
# CALL kpi.evaluate(m, 'month') for each month of 2026 and
# CALL kpi.evaluate('2026-01-01', 'year'), and prints each time, the total,
# the rows written and a check that the ledgers add up (violations = 0).
# Before each month, the bare scoring query over the same month (kpi.tally_agg
# grouped by official, kpi.period_score with G, written to a table: the floor
# of what a month's run must compute; serial, as a CALL is) is timed in its own
# session, and the ratio of the month's CALL to it printed, in wall time and
# in backend CPU time (issue 15: at most 4).
# Then, as a backfill would, the 12 months again (supersede => true) in two
# sessions at once: runs of different periods do not wait for each other, so
# the two cores are used (BENCH_TWO_SESSIONS=0 skips this pass).
#
#   bash bench/evaluate.sh [officials] [lines]   default 200000 officials, 10000000 lines
#
# Everything runs on a throwaway cluster (test/lib.sh's in_cluster on a free port
# from test/lib.sh's pick_port, never 5432 or 5499), dropped at the end.
# Logs go to bench/out/evaluate_*.txt.  Environment: BENCH_SEED (default 0.335).
set -u -o pipefail
cd "$(dirname "$0")/.."

inside=0	# --inside: the part that runs in the throwaway cluster
if [ "${1:-}" = "--inside" ]; then shift; inside=1; fi

OFFICIALS=${1:-200000}
LINES=${2:-10000000}
SEED=${BENCH_SEED:-0.335}

if [ "$inside" = 0 ]; then
	for v in "$OFFICIALS" "$LINES"; do
		case "$v" in ''|*[!0-9]*) echo "usage: bash bench/evaluate.sh [officials] [lines]" >&2; exit 2;; esac
	done
	[ "$OFFICIALS" -ge 25 ] || { echo "need at least 25 officials" >&2; exit 2; }
	. test/lib.sh
	ensure_deps || exit 1
	build_install || { echo "build failed" >&2; exit 1; }
	pick_port || exit 1
	case "$PGPORT" in 5432|5499) echo "refusing port $PGPORT" >&2; exit 1;; esac

	# task lines take about 130 bytes a row with their indexes, results and
	# ledger about as much again: keep the lot in shared buffers (capped)
	mb=$(( LINES / 4000 + OFFICIALS / 100 + 128 ))
	[ "$mb" -gt 3072 ] && mb=3072
	sb=${mb}MB
	mkdir -p bench/out
	echo "== throwaway cluster on port $PGPORT, shared_buffers=$sb, work_mem=256MB"
	in_cluster \
		-o "shared_buffers=$sb" \
		-o "work_mem=256MB" \
		-o "maintenance_work_mem=512MB" \
		"${BENCH_CLUSTER_OPTS[@]}" \
		bash "$0" --inside "$OFFICIALS" "$LINES"
	exit $?
fi

###########################################################################
# Inside the throwaway cluster (PGHOST, PGPORT, PGUSER, PGPASSWORD set).
###########################################################################
set -e
. test/lib.sh
bench_prologue
$PSQL -c "CREATE EXTENSION kpi_eval_reference"
echo "== generating $OFFICIALS officials, $LINES task lines over 2026 (not timed)"
t0=$(date +%s)
$PSQL -v officials="$OFFICIALS" -v lines="$LINES" -v seed="$SEED" -v step=gen \
	-f bench/evaluate.sql | tee "$out/evaluate_gen.txt" | sed 's/^/   /'
echo "   generated in $(( $(date +%s) - t0 )) s"
$PSQL -At -c "SELECT 'prewarmed ' || sum(pg_prewarm(c.oid)) || ' blocks of the input tables and indexes'
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'kpi' AND c.relkind IN ('r', 'i')
                AND c.relname ~ '^(unit|official|task_line|general_mark|leader_criteria|disciplinary_record)'" |
	sed 's/^/   /'

# One CALL in its own session, timed (test/lib.sh bench_timed).
declare -a NAMES WALLS CPUS
call_timed() {	# $1 = period_start, $2 = kind
	local log="$out/evaluate_run_$2_$1.txt"
	bench_timed "$log" "" <<<"CALL kpi.evaluate('$1', '$2');" ||
		{ echo "!! CALL kpi.evaluate('$1', '$2') failed:"; cat "$log"; exit 1; }
	local wall=$BENCH_WALL cpu=$BENCH_CPU
	NAMES+=("$2 $1"); WALLS+=("$wall"); CPUS+=("$cpu")
	printf '   %-18s %10.1f s wall %10.1f s backend cpu   %s\n' "$2 $1" \
		"$(awk -v w="$wall" 'BEGIN { print w / 1000 }')" "$(awk -v c="$cpu" 'BEGIN { print c / 1000 }')" \
		"$(grep -o 'run [0-9]* of period.*' "$log" | head -1)"
}

# The floor: the bare scoring query of a month, written to a table, timed.
declare -a FLOORS FLOORCPUS RATIOS CPURATIOS
floor_timed() {	# $1 = period_start
	local log="$out/evaluate_floor_$1.txt"
	bench_timed "$log" "DROP TABLE IF EXISTS public.bench_floor; SET max_parallel_workers_per_gather = 0;" <<EOSQL ||
CREATE TABLE public.bench_floor AS
SELECT t.official_id, t.tally, kpi.period_score(kpi.general_points(g.marks), t.tally) AS score
FROM (SELECT l.official_id,
             kpi.tally_agg(l.coef, l.assigned_qty, l.completed_qty, l.passed_qty, l.quality_errors, l.late_events) AS tally
      FROM kpi.task_line l
      WHERE l.official_id IS NOT NULL AND l.due BETWEEN date '$1' AND (date '$1' + interval '1 month' - interval '1 day')::date
      GROUP BY l.official_id) t
JOIN kpi.general_mark g ON g.official_id = t.official_id AND g.period_start = date '$1';
EOSQL
		{ echo "!! the floor query of $1 failed:"; cat "$log"; exit 1; }
	FLOORS+=("$BENCH_WALL"); FLOORCPUS+=("$BENCH_CPU")
}

echo "== timing: CALL kpi.evaluate for each month of 2026 (each after the bare scoring query"
echo "   of the same month, the floor), then the year"
for m in $(seq -w 1 12); do
	floor_timed "2026-$m-01"
	call_timed "2026-$m-01" month
	ratio=$(awk -v c="${WALLS[-1]}" -v f="${FLOORS[-1]}" 'BEGIN { printf "%.2f", c / f }')
	cpuratio=$(awk -v c="${CPUS[-1]}" -v f="${FLOORCPUS[-1]}" 'BEGIN { if (f > 0) printf "%.2f", c / f; else print "n/a" }')
	RATIOS+=("$ratio"); [ "$cpuratio" = n/a ] || CPURATIOS+=("$cpuratio")
	printf '   %-18s %10.2f s wall %10.2f s backend cpu (bare scoring query)   month / floor = %s wall, %s cpu\n' \
		"floor $m" "$(awk -v w="${FLOORS[-1]}" 'BEGIN { print w / 1000 }')" \
		"$(awk -v w="${FLOORCPUS[-1]}" 'BEGIN { print w / 1000 }')" "$ratio" "$cpuratio"
done
$PSQL -c "DROP TABLE IF EXISTS public.bench_floor"
call_timed 2026-01-01 year

total=$(printf '%s\n' "${WALLS[@]}" | awk '{ s += $1 } END { printf "%.1f", s / 1000 }')
months=$(printf '%s\n' "${WALLS[@]:0:12}" | awk '{ s += $1 } END { printf "%.1f", s / 1000 }')
totalcpu=$(printf '%s\n' "${CPUS[@]}" | awk '{ s += $1 } END { printf "%.1f", s / 1000 }')

two=""
if [ "${BENCH_TWO_SESSIONS:-1}" = 1 ]; then
	echo "== the 12 months again in two sessions at once (supersede => true)"
	t0=$(date +%s.%N)
	printf '2026-%02d-01\n' $(seq 1 12) |
		xargs -P 2 -I{} psql -X -q -v ON_ERROR_STOP=1 -c "CALL kpi.evaluate('{}', 'month', supersede => true)" \
			>"$out/evaluate_two_sessions.txt" 2>&1 || { echo "!! a two-session run failed:"; cat "$out/evaluate_two_sessions.txt"; exit 1; }
	two=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	echo "   12 months in two sessions: $two s wall"
fi

echo
echo "== rows written and checks"
$PSQL -v step=check -f bench/evaluate.sql | tee "$out/evaluate_check.txt" | sed 's/^/   /'
violations=$(sed -n 's/^violations = \([0-9]*\)$/\1/p' "$out/evaluate_check.txt")
sizes=$(psql -X -At -c "SELECT 'official_result ' || pg_size_pretty((SELECT sum(pg_total_relation_size(p.relid))::bigint
                                                                       FROM pg_partition_tree('kpi.official_result') p))
                          || ', of which packed ledgers ' || pg_size_pretty((SELECT sum(pg_column_size(r.ledger))::bigint
                                                                             FROM kpi.official_result r))")

echo
echo "== results: $OFFICIALS officials, $LINES task lines (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   12 months: $months s; year: $(awk -v w="${WALLS[12]}" 'BEGIN { printf "%.1f", w / 1000 }') s;" \
	"total: $total s wall ($totalcpu s backend cpu)"
echo "   a month against the bare scoring query of the same month (floor), measured side by side:"
echo "   floor median $(printf '%s\n' "${FLOORS[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2000 }') s;" \
	"month / floor: median $(printf '%s\n' "${RATIOS[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2 }')," \
	"range $(printf '%s\n' "${RATIOS[@]}" | sort -n | head -1) to $(printf '%s\n' "${RATIOS[@]}" | sort -n | tail -1) (wall);" \
	"backend cpu: median $(printf '%s\n' "${CPURATIOS[@]}" | sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "%.2f", (a[int((NR + 1) / 2)] + a[int(NR / 2) + 1]) / 2; else print "n/a" }')"
[ -n "$two" ] && echo "   the 12 months again, two sessions at once: $two s wall"
echo "   sizes: $sizes"
echo "   violations = ${violations:-?}"
[ "${violations:-x}" = 0 ] || { echo "!! the ledger check found ${violations:-no count of} violations"; exit 1; }
