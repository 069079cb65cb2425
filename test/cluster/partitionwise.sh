#!/usr/bin/env bash
# Partitionwise aggregation over kpi_eval aggregates, on the cluster the test
# harness provides (PGHOST, PGPORT, PGUSER set; own database, dropped at exit).
#
# Task lines partitioned by province (LIST, 4 partitions, one of them DEFAULT)
# and by month (RANGE, 12 partitions).  With enable_partitionwise_aggregate=on
# the plans must aggregate per partition -- fully when the GROUP BY holds the
# partition key, partially (Partial Aggregate per partition + Finalize) when it
# does not -- in serial and in forced-parallel variants, and every result
# (kpi.tally_agg both forms, kpi.rollup, kpi.period_score, kpi.task_pct,
# kpi.tier_of, kpi.annual_score, kpi.unit_result) must equal, as text, the
# serial result over the same rows in one unpartitioned table.  Stored
# per-official monthly tallies, partitioned by province, exercise kpi.rollup,
# kpi.annual_score and kpi.unit_result (and their combine functions) directly.
#
# Usage: bash test/cluster/partitionwise.sh OUTPREFIX
#   writes OUTPREFIX.passed and OUTPREFIX.failed
# Env: KPI_PW_OFFICIALS (2000), KPI_PW_LINES (120000), KPI_SEED (0.3141)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
echo "# partitionwise.sh: partitionwise aggregation (local partitions)"

OFFICIALS=${KPI_PW_OFFICIALS:-2000}
LINES=${KPI_PW_LINES:-120000}
SEED=${KPI_SEED:-0.3141}
kc_harness_db kpi_partitionwise_$$


psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" ||
	kc_bail "cannot create database $DB on the harness cluster"
db -c "CREATE EXTENSION kpi_eval" || kc_bail "CREATE EXTENSION kpi_eval"

t0=$SECONDS
{
	kc_gen_sql t_flat "$OFFICIALS" "$LINES" 6 "$SEED"
	cat <<-'SQL'
	CREATE TABLE t_prov (LIKE t_flat) PARTITION BY LIST (province);
	CREATE TABLE t_prov_1 PARTITION OF t_prov FOR VALUES IN (1);
	CREATE TABLE t_prov_2 PARTITION OF t_prov FOR VALUES IN (2);
	CREATE TABLE t_prov_34 PARTITION OF t_prov FOR VALUES IN (3, 4);
	CREATE TABLE t_prov_other PARTITION OF t_prov DEFAULT;
	INSERT INTO t_prov SELECT * FROM t_flat;
	CREATE TABLE t_month (LIKE t_flat) PARTITION BY RANGE (period);
	SELECT format('CREATE TABLE t_month_%s PARTITION OF t_month FOR VALUES FROM (%L) TO (%L)',
	              to_char(m, 'MM'), m::date, (m + interval '1 month')::date)
	  FROM generate_series(date '2025-01-01', date '2025-12-01', interval '1 month') m
	\gexec
	INSERT INTO t_month SELECT * FROM t_flat;
	SQL
	kc_tally_table_sql t_flat tt_flat
	cat <<-'SQL'
	CREATE TABLE tt_prov (LIKE tt_flat) PARTITION BY LIST (province);
	CREATE TABLE tt_prov_1 PARTITION OF tt_prov FOR VALUES IN (1);
	CREATE TABLE tt_prov_2 PARTITION OF tt_prov FOR VALUES IN (2);
	CREATE TABLE tt_prov_34 PARTITION OF tt_prov FOR VALUES IN (3, 4);
	CREATE TABLE tt_prov_other PARTITION OF tt_prov DEFAULT;
	INSERT INTO tt_prov SELECT * FROM tt_flat;
	VACUUM ANALYZE;
	SQL
} | db >/dev/null || kc_bail "loading the task lines"
kc_diag "$LINES lines, $OFFICIALS officials, seed $SEED, loaded in $((SECONDS - t0)) s"

# Every partition holds rows, and the three tables hold the same rows.
nonempty=$(dbq "" "SELECT count(*) FILTER (WHERE n > 0) || '/' || count(*) FROM (
	SELECT tableoid, count(*) n FROM t_prov GROUP BY tableoid
	UNION ALL SELECT tableoid, count(*) FROM t_month GROUP BY tableoid) s")
kc_is "$nonempty" "16/16" "all 4 province and 12 month partitions hold rows"
same=$(dbq "" "SELECT (SELECT count(*) FROM (TABLE t_flat EXCEPT ALL TABLE t_prov) a)
	+ (SELECT count(*) FROM (TABLE t_prov EXCEPT ALL TABLE t_flat) b)
	+ (SELECT count(*) FROM (TABLE t_flat EXCEPT ALL TABLE t_month) c)
	+ (SELECT count(*) FROM (TABLE t_month EXCEPT ALL TABLE t_flat) d)")
kc_is "$same" "0" "partitioned tables hold exactly the rows of the flat table"

PW_SERIAL="-c enable_partitionwise_aggregate=on $KC_SERIAL_OPTS"
PW_PARALLEL="-c enable_partitionwise_aggregate=on $KC_PARALLEL_OPTS"
AGG="kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)"

# explain_check LABEL OPTIONS SQL FULL PARTIAL FINAL [GATHER]
#   FULL    expected number of non-partial (Hash|Group)Aggregate nodes
#   PARTIAL expected number of Partial (Hash|Group)Aggregate nodes
#   FINAL   expected number of Finalize nodes
#   GATHER  1: a Gather (Merge) must be present
explain_check() {
	local label=$1 opts=$2 sql=$3 full=$4 partial=$5 final=$6 gather=${7:-0} f
	f=$WORK/plan.$KC_N
	dbq "$opts" "EXPLAIN (COSTS OFF) $sql" >"$f" || { kc_not_ok "$label: EXPLAIN failed"; return; }
	local nf np nfin ng
	nf=$(kc_plan_count '(^|->  )(Hash|Group|Mixed)?Aggregate' "$f")
	np=$(kc_plan_count 'Partial (Hash|Group|Mixed)?Aggregate' "$f")
	nfin=$(kc_plan_count 'Finalize' "$f")
	ng=$(kc_plan_count 'Gather' "$f")
	local gather_ok=0
	if [ "$gather" = 0 ]; then [ "$ng" = 0 ] && gather_ok=1
	else [ "$ng" -ge 1 ] && gather_ok=1; fi
	if [ "$nf" = "$full" ] && [ "$np" = "$partial" ] && [ "$nfin" = "$final" ] && [ "$gather_ok" = 1 ]; then
		kc_ok "$label"
	else
		kc_not_ok "$label" "full/partial/finalize/gather: $nf/$np/$nfin/$ng, expected $full/$partial/$final/$gather" \
			"$(cat "$f")"
	fi
}

# --- plans -------------------------------------------------------------------
explain_check "partitionwise off: one aggregate over the Append (control)" \
	"-c enable_partitionwise_aggregate=off $KC_SERIAL_OPTS" \
	"SELECT province, official, $AGG FROM t_prov GROUP BY province, official" 1 0 0
explain_check "by province: GROUP BY partition key -> full aggregate per partition (4)" "$PW_SERIAL" \
	"SELECT province, official, $AGG FROM t_prov GROUP BY province, official" 4 0 0
explain_check "by province: GROUP BY task_group -> Partial Aggregate per partition (4) + Finalize" "$PW_SERIAL" \
	"SELECT task_group, $AGG FROM t_prov GROUP BY task_group" 0 4 1
explain_check "stored tallies by province: kpi.rollup per unit -> full aggregate per partition (4)" "$PW_SERIAL" \
	"SELECT province, unit, kpi.rollup(t) FROM tt_prov GROUP BY province, unit" 4 0 0
explain_check "stored tallies by province: kpi.rollup per task group -> Partial Aggregate per partition (4) + Finalize" "$PW_SERIAL" \
	"SELECT task_group, kpi.rollup(t) FROM tt_prov GROUP BY task_group" 0 4 1
explain_check "stored tallies by province: kpi.annual_score per task group -> Partial per partition (4) + Finalize" "$PW_SERIAL" \
	"SELECT task_group, kpi.annual_score(kpi.period_score(general, t)) FROM tt_prov GROUP BY task_group" 0 4 1
explain_check "stored tallies by province: kpi.unit_result per month -> Partial per partition (4) + Finalize" "$PW_SERIAL" \
	"SELECT period, kpi.unit_result(kpi.period_score(general, t)) FROM tt_prov GROUP BY period" 0 4 1
explain_check "by month: GROUP BY partition key -> full aggregate per partition (12)" "$PW_SERIAL" \
	"SELECT period, official, $AGG FROM t_month GROUP BY period, official" 12 0 0
explain_check "by month: GROUP BY official -> Partial Aggregate per partition (12) + Finalize" "$PW_SERIAL" \
	"SELECT official, $AGG FROM t_month GROUP BY official" 0 12 1
explain_check "by month: single-unit kpi.tally_agg, no GROUP BY -> Partial per partition (12) + Finalize" "$PW_SERIAL" \
	"SELECT kpi.tally_agg(coef, done, passed, quality_errors, late_events) FROM t_month" 0 12 1
explain_check "parallel, by province: full aggregate per partition under Gather/Parallel Append" "$PW_PARALLEL" \
	"SELECT province, official, $AGG FROM t_prov GROUP BY province, official" 4 0 0 1
explain_check "parallel, by province: Partial Aggregate per partition over Parallel Seq Scan + Finalize" "$PW_PARALLEL" \
	"SELECT task_group, $AGG FROM t_prov GROUP BY task_group" 0 4 1 1
explain_check "parallel, by month: GROUP BY partition key -> full aggregate per partition (12) under Gather" "$PW_PARALLEL" \
	"SELECT period, official, $AGG FROM t_month GROUP BY period, official" 12 0 0 1

# The forced-parallel plan really runs in workers (not just planned).
f=$WORK/analyze
dbq "$PW_PARALLEL" "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT task_group, $AGG FROM t_prov GROUP BY task_group" >"$f"
launched=$(grep -oE 'Workers Launched: [0-9]+' "$f" | head -1 | grep -oE '[0-9]+$')
kc_cond "parallel partitionwise plan launched workers (Workers Launched: ${launched:-none})" "${launched:-0}" -ge 1
kc_cond "parallel partitionwise plan scans partitions with Parallel Seq Scan" "$(kc_plan_count 'Parallel Seq Scan' "$f")" -ge 4

# --- results -----------------------------------------------------------------
# Reference: serial, partitionwise off, unpartitioned table.  Each query's
# result under each plan must match it line for line.
i=0
while IFS=$'\t' read -r label sql; do
	[ -n "$label" ] || continue
	i=$((i + 1))
	ref=$WORK/q$i.ref
	dbq "-c enable_partitionwise_aggregate=off $KC_SERIAL_OPTS" "${sql//%T/t_flat}" >"$ref" ||
		{ kc_not_ok "$label: reference query failed"; continue; }
	for variant in "t_prov|$PW_SERIAL|by province, partitionwise" \
		"t_month|$PW_SERIAL|by month, partitionwise" \
		"t_prov|$PW_PARALLEL|by province, partitionwise + parallel" \
		"t_month|$PW_PARALLEL|by month, partitionwise + parallel"; do
		IFS='|' read -r tbl opts vlabel <<<"$variant"
		got=$WORK/q$i.$KC_N
		if dbq "$opts" "${sql//%T/$tbl}" >"$got"; then
			kc_same_rows "$label: $vlabel = unpartitioned serial" "$ref" "$got"
		else
			kc_not_ok "$label: $vlabel: query failed"
		fi
	done
done < <(kc_queries)

while IFS=$'\t' read -r label sql; do
	[ -n "$label" ] || continue
	i=$((i + 1))
	ref=$WORK/q$i.ref
	dbq "-c enable_partitionwise_aggregate=off $KC_SERIAL_OPTS" "${sql//%T/tt_flat}" >"$ref" ||
		{ kc_not_ok "$label: reference query failed"; continue; }
	for variant in "$PW_SERIAL|by province, partitionwise" "$PW_PARALLEL|by province, partitionwise + parallel"; do
		IFS='|' read -r opts vlabel <<<"$variant"
		got=$WORK/q$i.$KC_N
		if dbq "$opts" "${sql//%T/tt_prov}" >"$got"; then
			kc_same_rows "$label: $vlabel = unpartitioned serial" "$ref" "$got"
		else
			kc_not_ok "$label: $vlabel: query failed"
		fi
	done
done < <(kc_tally_queries)

kc_diag "total $((SECONDS - t0)) s"
kc_finish
