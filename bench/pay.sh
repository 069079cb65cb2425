#!/usr/bin/env bash
# Bonus distribution benchmark (issue 14): pay the year's bonus of 200,000
# officials in 10,000 units (bench/pay.sql generates the payroll and a
# synthetic year run), timed against floors measured in the same run:
#   floor     a bare window sum over the per-official rows, PARTITION BY unit
#             (the least any per-unit split of the same rows costs)
#   apportion kpi.apportion_capped over the same rows (the C split alone)
#   what-if   kpi.bonus_what_if(2026, regulation): the whole computation from
#             the payroll, results and ad-hoc bonuses, nothing written
#   full      CALL kpi.distribute_bonus(2026, supersede => true): the same,
#             writing the run, payouts, ledger and unit funds
#
#   bash bench/pay.sh [officials] [units]    default 200000 officials, 10000 units
#
# Throwaway cluster (test/lib.sh in_cluster on a free port), dropped at the
# end.  BENCH_RUNS timed rounds (default 3) after one warm-up, interleaved;
# wall time by \timing and the backend's CPU time (less affected by the
# other load on the machine).  Serial only: kpi.distribute_bonus is one
# session.  Fails when a check of the results fails.
set -u -o pipefail
cd "$(dirname "$0")/.."

inside=0
if [ "${1:-}" = "--inside" ]; then shift; inside=1; fi
OFFICIALS=${1:-200000}
UNITS=${2:-10000}
RUNS=${BENCH_RUNS:-3}

if [ "$inside" = 0 ]; then
	for v in "$OFFICIALS" "$UNITS" "$RUNS"; do
		case "$v" in ''|*[!0-9]*) echo "usage: bash bench/pay.sh [officials] [units]" >&2; exit 2;; esac
	done
	[ "$UNITS" -ge 1 ] && [ "$UNITS" -le "$OFFICIALS" ] || { echo "need 1 <= units <= officials" >&2; exit 2; }
	. test/lib.sh
	ensure_deps || exit 1
	build_install || { echo "build failed" >&2; exit 1; }
	pick_port || exit 1
	case "$PGPORT" in 5432|5499) echo "refusing port $PGPORT" >&2; exit 1;; esac
	sb=$(( OFFICIALS / 500 + 256 ))MB
	echo "== throwaway cluster on port $PGPORT, shared_buffers=$sb"
	in_cluster -o "shared_buffers=$sb" -o "work_mem=256MB" "${BENCH_CLUSTER_OPTS[@]}" \
		bash "$0" --inside "$OFFICIALS" "$UNITS"
	exit $?
fi

set -e
. test/lib.sh
bench_prologue
$PSQL -c "CREATE EXTENSION kpi_eval_reference"
echo "== generating $OFFICIALS officials in $UNITS units, a year of payroll and results (not timed)"
t0=$(date +%s)
$PSQL -v officials="$OFFICIALS" -v units="$UNITS" -f bench/pay.sql | sed 's/^/   /'
echo "   generated in $(( $(date +%s) - t0 )) s"
psql -X -q -At -c "CALL kpi.distribute_bonus(2026)" 2>&1 | sed 's/^/   (first run) /'

REG="(SELECT kpi.bonus_rules(regulation) FROM kpi.bonus_regulation)"
ORDER="floor apportion whatif full"
declare -A LABEL=(
	[floor]="sum() OVER (PARTITION BY unit) (floor)"
	[apportion]="kpi.apportion_capped OVER (PARTITION BY unit)"
	[whatif]="kpi.bonus_what_if (nothing written)"
	[full]="CALL kpi.distribute_bonus (writes)"
)
stmt() {
	case "$1" in
	floor) echo "CREATE UNLOGGED TABLE res_floor AS SELECT unit_id, official_id, sum(weight) OVER (PARTITION BY unit_id ORDER BY official_id) AS s FROM pay_input;" ;;
	apportion) echo "CREATE UNLOGGED TABLE res_apportion AS SELECT unit_id, official_id, kpi.apportion_capped(weight, cap, total, 1000) OVER (PARTITION BY unit_id ORDER BY official_id) AS s FROM pay_input;" ;;
	whatif) echo "CREATE UNLOGGED TABLE res_whatif AS SELECT * FROM kpi.bonus_what_if(2026, $REG);" ;;
	full) echo "CALL kpi.distribute_bonus(2026, supersede => true);" ;;
	esac
}
declare -A WALL CPU BEST BESTCPU
echo "== timing: 1 warm-up round + $RUNS timed rounds, interleaved"
for r in $(seq 0 "$RUNS"); do
	for q in $ORDER; do
		log="$out/pay_run_${q}_$r.txt"
		bench_timed "$log" "SET client_min_messages = warning; DROP TABLE IF EXISTS res_$q;" < <(stmt "$q") ||
			{ echo "!! $q failed:"; cat "$log"; exit 1; }
		[ "$r" = 0 ] && continue
		WALL[$q]="${WALL[$q]:-}$BENCH_WALL "
		CPU[$q]="${CPU[$q]:-}$BENCH_CPU "
	done
	echo "   round $r done (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done
for q in $ORDER; do
	BEST[$q]=$(printf '%s\n' ${WALL[$q]} | sort -g | head -1)
	BESTCPU[$q]=$(printf '%s\n' ${CPU[$q]} | sort -g | head -1)
	printf '   %-10s wall ms: %-30s backend cpu ms: %s\n' "$q" "${WALL[$q]}" "${CPU[$q]}"
done

echo
echo "== checks"
# the cluster runs without autovacuum: statistics of the rows the runs wrote
$PSQL -c "ANALYZE kpi.payout" -c "ANALYZE kpi.payout_ledger" -c "ANALYZE kpi.pay_run" -c "ANALYZE kpi.pay_unit_fund"
$PSQL -v step=check -f bench/pay.sql | tee "$out/pay_check.txt" | sed 's/^/   /'
violations=$(sed -n 's/^violations = \([0-9]*\)$/\1/p' "$out/pay_check.txt")
# the same shares from the bare window function and from the pay run
diff=$(psql -X -At -c "SELECT count(*) FROM res_apportion a JOIN kpi.payout p USING (official_id)
	JOIN kpi.current_pay_run r USING (pay_run_id) WHERE r.kind = 'bonus' AND coalesce((a.s).share, 0) <> p.share")
echo "   bare apportionment vs pay run shares differing: $diff"

echo
echo "== results: $OFFICIALS officials, $UNITS units (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-48s %10s %12s %10s %10s\n' "statement (best of $RUNS)" "wall ms" "backend CPU" "/ floor" "CPU/floor"
for q in $ORDER; do
	printf '%-48s %10.0f %12.0f %10s %10s\n' "${LABEL[$q]}" "${BEST[$q]}" "${BESTCPU[$q]}" \
		"$(ratio "${BEST[$q]}" "${BEST[floor]}")" "$(ratio "${BESTCPU[$q]}" "${BESTCPU[floor]}")"
done
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$violations" = 0 ] && [ "$diff" = 0 ] || { echo "!! the checks failed ($violations violations, $diff differing shares)"; exit 1; }
