#!/usr/bin/env bash
# The upgrade path: the last release (0.1.0) of both extensions, with a
# province's records in it, updated to the current version must equal a
# fresh install of the current version, and lose nothing.
#
#   1. the released install scripts are unchanged (sql/released.sha256);
#   2. database A: CREATE EXTENSION ... VERSION '0.1.0' for both, the sample
#      province loaded (test/sample/province.sql, load_reference.sql), the
#      twelve months and the year evaluated, tallies stored in a user table;
#   3. ALTER EXTENSION kpi_eval UPDATE, ALTER EXTENSION kpi_eval_reference UPDATE;
#   4. database B: a fresh CREATE EXTENSION kpi_eval_reference CASCADE;
#   5. A and B compared object by object (test/upgrade/describe.sql: members,
#      function definitions, columns, constraints, indexes, triggers,
#      policies, views, types, comments, privileges, pg_dump registrations),
#      the difference printed when they differ;
#   6. in A: stored tallies read the same through every accessor, the results
#      and ledgers written by 0.1.0 are unchanged (the ledger rows read through
#      the view kpi.ledger over the packed ledgers of 0.2.0), and re-evaluating a month
#      and the year (supersede => true) gives identical scores and tiers.
#
# Runs in the cluster of test/run.sh (PGHOST, PGPORT, PGUSER set by
# in_cluster), in databases of its own, dropped at the end.
# Usage: bash test/cluster/upgrade.sh OUTPREFIX
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
echo "# upgrade.sh: 0.1.0 with data, updated, against a fresh install"

FROM=0.1.0
TO=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$root/kpi_eval.control")

# 1. released scripts never change
if (cd "$root" && sha256sum --quiet -c sql/released.sha256) >"/tmp/kpi_released.$$" 2>&1; then
	kc_ok "released install scripts match sql/released.sha256 ($(wc -l <"$root/sql/released.sha256") scripts)"
else
	kc_not_ok "released install scripts match sql/released.sha256" "$(cat "/tmp/kpi_released.$$")"
fi
rm -f "/tmp/kpi_released.$$"
kc_is "$(grep -c -- "--$FROM.sql" "$root/sql/released.sha256")" 2 "both extensions' $FROM install scripts are recorded"

kc_harness_db kpi_upgrade_$$
FRESH=kpi_fresh_$$
KC_CLEANUPS+=("psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS $FRESH WITH (FORCE)'")
createdb "$DB" || kc_bail "createdb $DB"
createdb "$FRESH" || kc_bail "createdb $FRESH"
fresh() { psql -X -q -v ON_ERROR_STOP=1 -d "$FRESH" "$@"; }

# 2. the release, with a province in it
db -c "CREATE EXTENSION kpi_eval VERSION '$FROM'" -c "CREATE EXTENSION kpi_eval_reference VERSION '$FROM'" ||
	kc_bail "CREATE EXTENSION ... VERSION '$FROM'"
kc_is "$(dbq "SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'kpi%'")" \
	"kpi_eval $FROM, kpi_eval_reference $FROM" "both extensions installed at $FROM"
db -f "$root/test/sample/province.sql" >/dev/null || kc_bail "loading test/sample/province.sql"
db -f "$root/test/sample/load_reference.sql" >/dev/null || kc_bail "loading the reference tables"
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	db -c "CALL kpi.evaluate('2026-$m-01', 'month')" 2>/dev/null || kc_bail "CALL kpi.evaluate('2026-$m-01', 'month') at $FROM"
done
db -c "CALL kpi.evaluate('2026-01-01', 'year')" 2>/dev/null || kc_bail "CALL kpi.evaluate('2026-01-01', 'year') at $FROM"

# tallies kept in a user table, and every accessor over them
db -c "CREATE TABLE public.kept_tally AS
       SELECT official_id, period_start, tally FROM kpi.official_result WHERE tally IS NOT NULL" ||
	kc_bail "storing tallies"
db -c "CREATE TABLE public.kept_rollup AS
       SELECT official_id, kpi.rollup(tally) AS tally FROM public.kept_tally GROUP BY official_id" ||
	kc_bail "storing rolled-up tallies"
READ_TALLIES="SELECT md5(string_agg(concat_ws('|', official_id, kpi.tally_components(tally)::text,
                   kpi.quantity_pct(tally), kpi.quality_pct(tally), kpi.progress_pct(tally),
                   kpi.task_pct(tally), kpi.task_points(tally), kpi.period_score(25, tally)), ',' ORDER BY official_id, tally::text))
              FROM (SELECT official_id, tally FROM public.kept_tally UNION ALL
                    SELECT official_id, tally FROM public.kept_rollup) s"
# digest TABLE: the rows of TABLE over the columns it had at the release
# (columns that a later version adds are not part of what was written)
declare -A COLS
for t in official_result ledger agency_result agency_ledger evaluation_run; do
	COLS[$t]=$(dbq "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
	                WHERE attrelid = 'kpi.$t'::regclass AND attnum > 0 AND NOT attisdropped")
done
digest() { dbq "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM (SELECT ${COLS[$1]} FROM kpi.$1) x"; }
before_tallies=$(dbq "$READ_TALLIES")
declare -A BEFORE
for t in official_result ledger agency_result agency_ledger evaluation_run; do BEFORE[$t]=$(digest $t); done
kc_cond "the release evaluated the sample province ($(dbq "SELECT count(*) FROM kpi.official_result") results, $(dbq "SELECT count(*) FROM kpi.ledger") ledger rows, $(dbq "SELECT count(*) FROM public.kept_tally") stored tallies)" \
	"$(dbq "SELECT count(*) FROM kpi.official_result")" -gt 100 -a "$(dbq "SELECT count(*) FROM public.kept_tally")" -gt 100

# 0.1.0 took any text as a law-making role; 0.2.0 keeps the six role groups
# (LM5): the spellings a 0.1.0 database may hold are mapped, any other value
# stops the update (in one transaction, so nothing is changed) and is named
db -c "INSERT INTO kpi.lawmaking_document (unit_id, role, title, due)
       SELECT 101, r, 'role spelling ' || o, '2026-12-31'
       FROM unnest(ARRAY['Drafting', ' Thẩm định', 'tham gia thẩm định', 'Văn phòng Chính phủ', 'polls',
                         'Tiếp thu, hoàn thiện', 'chairing']) WITH ORDINALITY AS x(r, o)" ||
	kc_bail "adding law-making documents with 0.1.0 role spellings"
db -c "ALTER EXTENSION kpi_eval UPDATE; ALTER EXTENSION kpi_eval_reference UPDATE" >"$WORK/refused.log" 2>&1
kc_is "$(grep -c "role 'chairing' is none of the six role groups" "$WORK/refused.log")" 1 \
	"the update refuses a law-making role it cannot map, naming it"
kc_is "$(dbq "SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'kpi%'")" \
	"kpi_eval $FROM, kpi_eval_reference $FROM" "the refused update changed nothing"
db -c "DELETE FROM kpi.lawmaking_document WHERE role = 'chairing'" || kc_bail "deleting the unmappable role"

# issue 15: the update packs every 0.1.0 ledger row into its result's
# kpi.ledger_pack and checks they read back exactly; a ledger it cannot pack
# as it was (a row renumbered by a superuser past the triggers) stops the
# update, naming the result, and nothing is changed
read -r v_run v_off <<<"$(dbq "SELECT run_id || ' ' || official_id FROM kpi.ledger WHERE line_no = 2 ORDER BY run_id, official_id LIMIT 1")"
PGOPTIONS="-c session_replication_role=replica" db -c "UPDATE kpi.ledger SET line_no = 99 WHERE run_id = $v_run AND official_id = $v_off AND line_no = 2" ||
	kc_bail "renumbering a ledger row"
db -c "ALTER EXTENSION kpi_eval UPDATE; ALTER EXTENSION kpi_eval_reference UPDATE" >"$WORK/refused_ledger.log" 2>&1
kc_is "$(grep -c "the ledger of 0.1.0 cannot be packed into its results" "$WORK/refused_ledger.log") $(grep -c "run $v_run, official $v_off: the line numbers are not 1 to" "$WORK/refused_ledger.log")" \
	"1 1" "the update refuses a ledger whose rows are not numbered 1 to n, naming the result (run $v_run, official $v_off)"
kc_is "$(dbq "SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'kpi%'")" \
	"kpi_eval $FROM, kpi_eval_reference $FROM" "the update refused for the ledger changed nothing"
PGOPTIONS="-c session_replication_role=replica" db -c "UPDATE kpi.ledger SET line_no = 2 WHERE run_id = $v_run AND official_id = $v_off AND line_no = 99" ||
	kc_bail "restoring the ledger row"

# 3. the update
if db -c "ALTER EXTENSION kpi_eval UPDATE" -c "ALTER EXTENSION kpi_eval_reference UPDATE" >"$WORK/update.log" 2>&1; then
	kc_ok "ALTER EXTENSION kpi_eval UPDATE and kpi_eval_reference UPDATE ($FROM -> $TO) with data"
else
	kc_not_ok "ALTER EXTENSION ... UPDATE ($FROM -> $TO) with data" "$(cat "$WORK/update.log")"
fi
kc_is "$(dbq "SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname) FROM pg_extension WHERE extname LIKE 'kpi%'")" \
	"kpi_eval $TO, kpi_eval_reference $TO" "both extensions are at $TO after the update"

kc_is "$(dbq "SELECT string_agg(role, ',' ORDER BY title) FROM kpi.lawmaking_document WHERE title LIKE 'role spelling %'")" \
	"drafting,appraisal,joint_appraisal,government_office,poll,finalising" \
	"the 0.1.0 role spellings became the six role groups"

# 4-5. against a fresh install
fresh -c "CREATE EXTENSION kpi_eval_reference CASCADE" || kc_bail "fresh CREATE EXTENSION kpi_eval_reference CASCADE"
db -f "$root/test/upgrade/describe.sql" >"$WORK/upgraded.txt" || kc_bail "describing the upgraded database"
fresh -f "$root/test/upgrade/describe.sql" >"$WORK/fresh.txt" || kc_bail "describing the fresh database"
for kind in member function aggregate relation 'column comment' view constraint index trigger policy type 'event trigger' schema version; do
	a=$(grep -c "^$kind|" "$WORK/upgraded.txt") b=$(grep -c "^$kind|" "$WORK/fresh.txt")
	if diff <(grep "^$kind|" "$WORK/upgraded.txt") <(grep "^$kind|" "$WORK/fresh.txt") >"$WORK/diff.txt"; then
		kc_ok "upgraded = fresh: $kind entries ($b)"
	else
		kc_not_ok "upgraded = fresh: $kind entries (upgraded $a, fresh $b)" \
			"< only or different in the upgraded database, > in the fresh install:" "$(head -40 "$WORK/diff.txt")"
	fi
done
kc_cond "the comparison is not vacuous ($(wc -l <"$WORK/fresh.txt") lines)" "$(wc -l <"$WORK/fresh.txt")" -gt 500

# 6. nothing lost, nothing changed
kc_is "$(dbq "$READ_TALLIES")" "$before_tallies" "stored tallies (and their rollups) read the same through every accessor"
for t in official_result ledger agency_result agency_ledger evaluation_run; do
	kc_is "$(digest $t)" "${BEFORE[$t]}" "kpi.$t: the rows written by $FROM are unchanged"
done
# issue 13 (CY4): each official's unit became their open assignment, unbounded
kc_is "$(dbq "SELECT count(*) FILTER (WHERE a.unit_id = o.unit_id AND a.task_group = o.task_group
                                        AND a.is_leader = o.is_leader
                                        AND a.leads_unit IS NOT DISTINCT FROM o.leads_unit
                                        AND lower_inf(a.valid) AND upper_inf(a.valid))
                   || ' of ' || count(*) || ', ' || (SELECT count(*) FROM kpi.assignment)
            FROM kpi.official o LEFT JOIN kpi.assignment a USING (official_id)")" \
	"$(dbq "SELECT count(*) || ' of ' || count(*) || ', ' || count(*) FROM kpi.official")" \
	"every official's unit is their open assignment after the update"

# re-evaluating gives identical scores and tiers
db -c "CREATE TABLE public.before_rerun AS SELECT official_id, period_start, period_kind, score, tier, quota_tier
       FROM kpi.current_official_result WHERE period_start IN ('2026-03-01', '2026-01-01')" ||
	kc_bail "keeping the results before the re-run"
db -c "CALL kpi.evaluate('2026-03-01', 'month', supersede => true)" >"$WORK/rerun.log" 2>&1 ||
	kc_not_ok "CALL kpi.evaluate('2026-03-01', 'month', supersede => true) after the update" "$(cat "$WORK/rerun.log")"
db -c "CALL kpi.evaluate('2026-01-01', 'year', supersede => true)" >>"$WORK/rerun.log" 2>&1 ||
	kc_not_ok "CALL kpi.evaluate('2026-01-01', 'year', supersede => true) after the update" "$(cat "$WORK/rerun.log")"
kc_is "$(dbq "SELECT count(DISTINCT run_id) FROM kpi.current_official_result c
            WHERE period_start IN ('2026-03-01', '2026-01-01')
              AND c.engine_version = '$TO'")" 2 "March and the year were re-evaluated by $TO"
kc_is "$(dbq "SELECT count(*) FROM public.before_rerun b
            FULL JOIN (SELECT * FROM kpi.current_official_result
                       WHERE period_start IN ('2026-03-01', '2026-01-01')) c
              USING (official_id, period_start, period_kind)
            WHERE b.official_id IS NULL OR c.official_id IS NULL
               OR b.score IS DISTINCT FROM c.score OR b.tier IS DISTINCT FROM c.tier
               OR b.quota_tier IS DISTINCT FROM c.quota_tier")" 0 \
	"re-evaluating March and the year after the update gives identical scores and tiers ($(dbq "SELECT count(*) FROM public.before_rerun") results)"

kc_finish
