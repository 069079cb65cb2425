#!/usr/bin/env bash
# Randomized: the same random task lines of thousands of civil servants,
# evaluated under four plans, must give identical tallies, period scores,
# tiers, annual scores, unit results and rollups (exact text):
#   serial        one unpartitioned table, no parallel workers (the reference)
#   parallel      the same table, 2 workers forced (Partial/Finalize Aggregate)
#   partitionwise a local table partitioned by province, partitionwise on
#   sharded       partitions on 3 postgres_fdw shards, partitionwise on
# Each run draws a new seed (printed; set KPI_SEED to replay one), and from it
# the data size, the number of provinces, how they are split into local
# partitions and over the shards, and the row order inside each table.
#
# Usage: bash test/cluster/plans_equal.sh OUTPREFIX   (inside the harness cluster)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"

SEED=${KPI_SEED:-$(( (RANDOM << 15 | RANDOM) % 1000000 ))}
SEED=${SEED#0.}
RANDOM=$((10#$SEED % 32768))	# the shape below is drawn from the seed too
OFFICIALS=$((2000 + RANDOM % 3001))
LINES=$((OFFICIALS * (15 + RANDOM % 16)))
NPROV=$((4 + RANDOM % 6))
echo "# plans_equal.sh: seed $SEED (replay: KPI_SEED=$SEED), $OFFICIALS officials, $LINES lines, $NPROV provinces"

# provinces in a random order, dealt round-robin to the 3 shards, and cut into
# local partitions of 1 or 2 provinces (the last one the DEFAULT partition)
mapfile -t PROVS < <(for p in $(seq 1 "$NPROV"); do echo "$RANDOM $p"; done | sort -n | cut -d' ' -f2)
SHARDS=("" "" "")
for i in "${!PROVS[@]}"; do
	s=$((i % 3)); SHARDS[$s]=${SHARDS[$s]:+${SHARDS[$s]}, }${PROVS[$i]}
done
PARTS=(); i=0
while [ $i -lt $((NPROV - 1)) ]; do
	if [ $((RANDOM % 2)) = 0 ] || [ $((i + 2)) -ge "$NPROV" ]; then PARTS+=("${PROVS[$i]}"); i=$((i + 1))
	else PARTS+=("${PROVS[$i]}, ${PROVS[$((i + 1))]}"); i=$((i + 2)); fi
done
kc_diag "shards: (${SHARDS[0]}) (${SHARDS[1]}) (${SHARDS[2]}); local partitions:$(printf ' (%s)' "${PARTS[@]}") + DEFAULT (${PROVS[$((NPROV - 1))]})"

kc_harness_db kpi_plans_$$

t0=$SECONDS
kc_start_shards 3 || kc_bail "cannot start the 3 shards"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" || kc_bail "CREATE DATABASE $DB"
{
	echo "CREATE EXTENSION kpi_eval;"
	kc_gen_sql t_gen "$OFFICIALS" "$LINES" "$NPROV" "0.$SEED"
	echo "CREATE TABLE t_flat AS SELECT * FROM t_gen ORDER BY random();"
	echo "CREATE TABLE t_part (LIKE t_gen) PARTITION BY LIST (province);"
	for i in "${!PARTS[@]}"; do
		echo "CREATE TABLE t_part_$i PARTITION OF t_part FOR VALUES IN (${PARTS[$i]});"
	done
	echo "CREATE TABLE t_part_default PARTITION OF t_part DEFAULT;"
	echo "INSERT INTO t_part SELECT * FROM t_gen ORDER BY random();"
	echo "VACUUM ANALYZE t_flat; VACUUM ANALYZE t_part;"
} | db >/dev/null || kc_bail "generating the task lines"
KC_COORD=db
kc_create_servers || kc_bail "creating the postgres_fdw servers"
kc_distribute t_gen t_dist text "${SHARDS[@]}" || kc_bail "distributing the task lines"
kc_diag "set up in $((SECONDS - t0)) s"

SERIAL="-c enable_partitionwise_aggregate=off $KC_SERIAL_OPTS"
PARALLEL="-c enable_partitionwise_aggregate=off $KC_PARALLEL_OPTS"
PW="-c enable_partitionwise_aggregate=on $KC_SERIAL_OPTS"
AGG="kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)"
Q="SELECT province, official, $AGG FROM %T GROUP BY province, official"
nparts=$(( ${#PARTS[@]} + 1 ))

# --- each plan is the plan it claims to be ------------------------------------
f=$WORK/serial; dbq "$SERIAL" "EXPLAIN (COSTS OFF) ${Q//%T/t_flat}" >"$f"
kc_cond "serial plan: one aggregate, no Gather, no partial aggregation" \
	"$(kc_plan_count 'Aggregate' "$f")$(kc_plan_count 'Gather|Partial' "$f")" = 10
f=$WORK/parallel; dbq "$PARALLEL" "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${Q//%T/t_flat}" >"$f"
launched=$(grep -oE 'Workers Launched: [0-9]+' "$f" | head -1 | grep -oE '[0-9]+$')
kc_cond "parallel plan: Partial Aggregate in ${launched:-no} launched workers + Finalize" \
	"$(kc_plan_count 'Partial (Hash|Group)?Aggregate' "$f")$(kc_plan_count 'Finalize' "$f")" = 11 -a "${launched:-0}" -ge 1
f=$WORK/pw; dbq "$PW" "EXPLAIN (COSTS OFF) ${Q//%T/t_part}" >"$f"
kc_cond "partitionwise plan: one full aggregate per partition ($nparts)" \
	"$(kc_plan_count '(Hash|Group)Aggregate' "$f")" = "$nparts"
f=$WORK/sharded; dbq "$PW" "EXPLAIN (VERBOSE, COSTS OFF) ${Q//%T/t_dist}" >"$f"
kc_cond "sharded plan: kpi.tally_agg shipped in each of the 3 Foreign Scans" \
	"$(kc_plan_count 'Remote SQL: .*kpi\.tally_agg\(' "$f")$(kc_plan_count '(^|->  )(Partial |Finalize )?(Hash|Group|Mixed)?Aggregate' "$f")" = 30

# --- every plan gives the serial results --------------------------------------
i=0
while IFS=$'\t' read -r label sql; do
	[ -n "$label" ] || continue
	i=$((i + 1))
	ref=$WORK/ref.$i
	dbq "$SERIAL" "${sql//%T/t_flat}" >"$ref" || { kc_not_ok "$label: serial query failed"; continue; }
	for variant in "t_flat|$PARALLEL|parallel" "t_part|$PW|partitionwise" "t_dist|$PW|sharded"; do
		IFS='|' read -r tbl opts vlabel <<<"$variant"
		got=$WORK/got.$KC_N
		if dbq "$opts" "${sql//%T/$tbl}" >"$got"; then
			kc_same_rows "$label: $vlabel = serial" "$ref" "$got"
		else
			kc_not_ok "$label: $vlabel: query failed"
		fi
	done
done < <(kc_queries)

kc_diag "total $((SECONDS - t0)) s (seed $SEED)"
kc_finish
