#!/usr/bin/env bash
# Sharding kpi_eval data by province with postgres_fdw.
#
# Starts 3 shard clusters on this host (initdb + pg_ctl in a temp directory,
# unix socket only), installs kpi_eval on each, and on the harness cluster
# (PGHOST/PGPORT/PGUSER; own database, dropped at exit) builds tables
# partitioned by province whose partitions are postgres_fdw foreign tables on
# the shards, servers created with OPTIONS (extensions 'kpi_eval').
# Checks:
#  (a) GROUP BY the partition key with enable_partitionwise_aggregate=on ships
#      the whole aggregate: every Foreign Scan's Remote SQL holds kpi.tally_agg
#      (and kpi.rollup / kpi.period_score / kpi.annual_score / kpi.unit_result);
#      without the extensions option, or with partitionwise off, it does not;
#  (b) results equal the single-node serial run over the same rows;
#  (c) grouping across provinces aggregates partially on the coordinator and
#      is still exact;
#  (d) the single-unit kpi.tally_agg and kpi.rollup over foreign tables, with
#      stored tallies shipped to the shards by binary COPY (tally_send/recv);
#  plus the same with async foreign scans (async_capable 'true').
# Every cluster is stopped and deleted on exit, also on failure.
#
# Usage: bash test/cluster/fdw_shards.sh OUTPREFIX
# Env: KPI_FDW_OFFICIALS (2000), KPI_FDW_LINES (60000), KPI_SEED (0.2718)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
echo "# fdw_shards.sh: 3 postgres_fdw shards, partitioned by province"

OFFICIALS=${KPI_FDW_OFFICIALS:-2000}
LINES=${KPI_FDW_LINES:-60000}
SEED=${KPI_SEED:-0.2718}
kc_harness_db kpi_fdw_$$
# province lists per shard (7 provinces over 3 shards)
SHARD_PROVINCES=("1, 4, 7" "2, 5" "3, 6")


t0=$SECONDS
# --- shards ------------------------------------------------------------------
kc_start_shards 3 || kc_bail "cannot start the 3 shards"
PORTS=("${KC_SHARD_PORTS[@]}")
kc_diag "shards on unix socket $KC_SOCK, ports ${PORTS[*]} (started in $((SECONDS - t0)) s)"

# --- coordinator: data, single-node copy, servers, distributed tables --------
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" ||
	kc_bail "cannot create database $DB on the harness cluster"
{
	echo "CREATE EXTENSION kpi_eval;"
	kc_gen_sql t_flat "$OFFICIALS" "$LINES" 7 "$SEED"
	kc_tally_table_sql t_flat tt_flat
	echo "VACUUM ANALYZE t_flat; VACUUM ANALYZE tt_flat;"
} | db >/dev/null || kc_bail "generating the task lines"
KC_COORD=db
kc_create_servers || kc_bail "creating the postgres_fdw servers"
# task lines by text COPY; stored tallies by binary COPY (tally_send -> tally_recv)
kc_distribute t_flat t_dist text "${SHARD_PROVINCES[@]}" || kc_bail "distributing the task lines"
kc_distribute tt_flat tt_dist binary "${SHARD_PROVINCES[@]}" || kc_bail "distributing the stored tallies"
kc_diag "$LINES lines, $OFFICIALS officials, seed $SEED; set up in $((SECONDS - t0)) s"

# --- the shards hold exactly the coordinator's rows -------------------------
rows=$(dbq "" "SELECT (SELECT count(*) FROM (TABLE t_flat EXCEPT ALL TABLE t_dist) a)
	+ (SELECT count(*) FROM (TABLE t_dist EXCEPT ALL TABLE t_flat) b)
	+ (SELECT count(*) FROM t_flat) - (SELECT count(*) FROM t_dist)")
kc_is "$rows" "0" "the 3 shards hold exactly the single-node task lines"
rows=$(dbq "" "SELECT count(*) FROM (SELECT province, official, period, t::text FROM tt_flat
	EXCEPT ALL SELECT province, official, period, t::text FROM tt_dist) a")
kc_is "$rows" "0" "tallies shipped by binary COPY read back equal on the shards"
n=$(for p in "${PORTS[@]}"; do kc_psql "$p" "$KC_SHARD_DB" -At -c "SELECT count(*) > 0 FROM t_flat"; done | grep -c t)
kc_is "$n" "3" "every shard holds task lines"

# --- what Citus and postgres_fdw need from the catalog -----------------------
# (the README's "Distributed use" section quotes these queries)
AGGS="FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN pg_type t ON t.oid = a.aggtranstype
      WHERE p.pronamespace = 'kpi'::regnamespace"
n=$(dbq "" "SELECT count(*) $AGGS")
kc_cond "catalog: schema kpi has aggregates ($n)" "$n" -ge 5
r=$(dbq "" "SELECT count(*) FILTER (WHERE a.aggcombinefn = 0) $AGGS")
kc_is "$r" "0" "catalog: every kpi aggregate has a COMBINEFUNC"
r=$(dbq "" "SELECT count(*) FILTER (WHERE t.typtype = 'p' OR a.aggtranstype = 'internal'::regtype) $AGGS")
kc_is "$r" "0" "catalog: no kpi aggregate has an internal or pseudo-type state"
r=$(dbq "" "SELECT count(*) FILTER (WHERE t.typsend = 0 OR t.typreceive = 0 OR t.typinput = 0 OR t.typoutput = 0) $AGGS")
kc_is "$r" "0" "catalog: every kpi aggregate state type has text and binary I/O"
r=$(dbq "" "SELECT coalesce(string_agg(f::regprocedure::text, ', '), 'none')
	FROM (SELECT unnest(ARRAY[a.aggfnoid, a.aggtransfn, a.aggcombinefn, a.aggfinalfn, a.aggmtransfn,
	                          a.aggminvtransfn, a.aggmfinalfn, t.typinput, t.typoutput, t.typreceive, t.typsend]::oid[]) f
	        $AGGS) s JOIN pg_proc q ON q.oid = s.f
	WHERE s.f <> 0 AND (q.provolatile <> 'i' OR q.proparallel <> 's')
	  AND q.pronamespace <> 'pg_catalog'::regnamespace")
kc_is "$r" "none" "catalog: every kpi aggregate, support and state I/O function is IMMUTABLE PARALLEL SAFE"
r=$(dbq "" "SELECT count(*) $AGGS AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
	WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e' AND e.extname = 'kpi_eval')")
kc_is "$r" "0" "catalog: every kpi aggregate belongs to extension kpi_eval (shippable with extensions 'kpi_eval')"
r=$(dbq "" "SELECT count(*) FILTER (WHERE t::text::kpi.tally::text IS DISTINCT FROM t::text) || '/' || count(*) FROM tt_flat")
kc_is "${r%/*}" "0" "kpi.tally text form round-trips exactly (${r#*/} stored tallies)"

PW="-c enable_partitionwise_aggregate=on $KC_SERIAL_OPTS"
AGG="kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)"

# pushdown_check LABEL OPTIONS SQL REMOTE-REGEX EXPECT
#   EXPECT = pushed: 3 Foreign Scans whose Remote SQL matches REMOTE-REGEX and no
#                    local Aggregate node
#            local:  no Remote SQL matches REMOTE-REGEX, local aggregate nodes
#            partial: Partial Aggregate over each of the 3 Foreign Scans + Finalize
pushdown_check() {
	local label=$1 opts=$2 sql=$3 re=$4 expect=$5 f nfs nrem nagg npart nfin ok=0
	f=$WORK/plan.$KC_N
	dbq "$opts" "EXPLAIN (VERBOSE, COSTS OFF) $sql" >"$f" || { kc_not_ok "$label: EXPLAIN failed"; return; }
	nfs=$(kc_plan_count 'Foreign Scan' "$f")
	nrem=$(kc_plan_count "Remote SQL: .*$re" "$f")
	nagg=$(kc_plan_count '(^|->  )(Partial |Finalize )?(Hash|Group|Mixed)?Aggregate' "$f")
	npart=$(kc_plan_count 'Partial (Hash|Group|Mixed)?Aggregate' "$f")
	nfin=$(kc_plan_count 'Finalize' "$f")
	case $expect in
	pushed) [ "$nfs" = 3 ] && [ "$nrem" = 3 ] && [ "$nagg" = 0 ] && ok=1 ;;
	local) [ "$nfs" -ge 3 ] && [ "$nrem" = 0 ] && [ "$nagg" -ge 1 ] && ok=1 ;;
	partial) [ "$nfs" = 3 ] && [ "$nrem" = 0 ] && [ "$npart" = 3 ] && [ "$nfin" = 1 ] && ok=1 ;;
	esac
	if [ $ok = 1 ]; then kc_ok "$label"
	else kc_not_ok "$label" "expected $expect; foreign scans $nfs, remote SQL matching $nrem, aggregates $nagg, partial $npart, finalize $nfin" "$(cat "$f")"; fi
}

# --- (a) pushdown ------------------------------------------------------------
pushdown_check "(a) GROUP BY province, official: whole kpi.tally_agg runs on the 3 shards" "$PW" \
	"SELECT province, official, $AGG FROM t_dist GROUP BY province, official" 'kpi\.tally_agg\(' pushed
pushdown_check "(a) period score and tier per official and month: kpi.period_score(general, kpi.tally_agg(...)) shipped" "$PW" \
	"SELECT province, official, period, kpi.period_score(general, $AGG) FROM t_dist GROUP BY province, official, period, general" \
	'kpi\.period_score\(general, kpi\.tally_agg\(' pushed
pushdown_check "(a) single-unit kpi.tally_agg per official shipped" "$PW" \
	"SELECT province, official, kpi.tally_agg(coef, done, passed, quality_errors, late_events) FROM t_dist GROUP BY province, official" \
	'kpi\.tally_agg\(coef, done, passed' pushed
pushdown_check "(a) kpi.tally_agg with a rules argument shipped" "$PW" \
	"SELECT province, official, kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events, '{\"quality_deduction\": 0.5}') FROM t_dist GROUP BY province, official" \
	'kpi\.tally_agg\(.*jsonb\)' pushed
pushdown_check "(a) kpi.rollup of stored tallies per unit shipped" "$PW" \
	"SELECT province, unit, kpi.rollup(t) FROM tt_dist GROUP BY province, unit" 'kpi\.rollup\(t\)' pushed
pushdown_check "(a) kpi.annual_score per official shipped" "$PW" \
	"SELECT province, official, kpi.annual_score(kpi.period_score(general, t)) FROM tt_dist GROUP BY province, official" \
	'kpi\.annual_score\(kpi\.period_score\(' pushed
pushdown_check "(a) kpi.unit_result per unit and month shipped" "$PW" \
	"SELECT province, unit, period, kpi.unit_result(kpi.period_score(general, t)) FROM tt_dist GROUP BY province, unit, period" \
	'kpi\.unit_result\(' pushed
pushdown_check "(a) control: partitionwise off -> aggregate runs locally over fetched rows" \
	"-c enable_partitionwise_aggregate=off $KC_SERIAL_OPTS" \
	"SELECT province, official, $AGG FROM t_dist GROUP BY province, official" 'kpi\.tally_agg\(' local
db -c "ALTER SERVER shard1 OPTIONS (DROP extensions)" || kc_bail "ALTER SERVER"
f=$WORK/noext
dbq "$PW" "EXPLAIN (VERBOSE, COSTS OFF) SELECT province, official, $AGG FROM t_dist GROUP BY province, official" >"$f"
n1=$(grep -cE 'Remote SQL: .*kpi\.tally_agg\(' "$f")
kc_cond "(a) control: without extensions 'kpi_eval' shard1 gets no aggregate, the others still do (Remote SQL with kpi.tally_agg: $n1)" "$n1" = 2
db -c "ALTER SERVER shard1 OPTIONS (ADD extensions 'kpi_eval')" || kc_bail "ALTER SERVER"

# --- (c) grouping across provinces: partial aggregation on the coordinator --
pushdown_check "(c) GROUP BY task_group: Partial Aggregate over each Foreign Scan + Finalize, nothing shipped" "$PW" \
	"SELECT task_group, $AGG FROM t_dist GROUP BY task_group" 'kpi\.' partial
pushdown_check "(c)(d) kpi.rollup of stored tallies per task group: partial on the coordinator" "$PW" \
	"SELECT task_group, kpi.rollup(t) FROM tt_dist GROUP BY task_group" 'kpi\.' partial

# --- (b)(c)(d) results equal the single node ---------------------------------
compare_all() {	# compare_all VARIANT-LABEL OPTIONS
	local vlabel=$1 opts=$2 label sql ref got i=0
	while IFS=$'\t' read -r label sql; do
		[ -n "$label" ] || continue
		i=$((i + 1))
		case $label in stored*) ref_t=tt_flat; got_t=tt_dist ;; *) ref_t=t_flat; got_t=t_dist ;; esac
		ref=$WORK/ref.$i
		[ -s "$ref" ] || dbq "-c enable_partitionwise_aggregate=off $KC_SERIAL_OPTS" "${sql//%T/$ref_t}" >"$ref" ||
			{ kc_not_ok "$label: single-node query failed"; continue; }
		got=$WORK/got.$KC_N
		if dbq "$opts" "${sql//%T/$got_t}" >"$got"; then
			kc_same_rows "$label: $vlabel = single node" "$ref" "$got"
		else
			kc_not_ok "$label: $vlabel: query failed"
		fi
	done < <(kc_queries; kc_tally_queries)
}
kc_diag "plans checked at $((SECONDS - t0)) s"
compare_all "3 shards, partitionwise" "$PW"
kc_diag "at $((SECONDS - t0)) s"
compare_all "3 shards, partitionwise off" "-c enable_partitionwise_aggregate=off $KC_SERIAL_OPTS"

kc_diag "at $((SECONDS - t0)) s"
# --- async foreign scans: the 3 shards work at the same time ----------------
for s in 1 2 3; do db -c "ALTER SERVER shard$s OPTIONS (ADD async_capable 'true')" || kc_bail "async_capable"; done
f=$WORK/async
dbq "$PW" "EXPLAIN (VERBOSE, COSTS OFF) SELECT province, official, $AGG FROM t_dist GROUP BY province, official" >"$f"
n=$(kc_plan_count 'Async Foreign Scan' "$f"); nrem=$(kc_plan_count 'Remote SQL: .*kpi\.tally_agg\(' "$f")
kc_cond "async_capable: 3 Async Foreign Scans, each shipping kpi.tally_agg (async $n, shipped $nrem)" "$n$nrem" = 33
compare_all "3 shards, partitionwise, async" "$PW"

kc_diag "total $((SECONDS - t0)) s"
kc_finish
