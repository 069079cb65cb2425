#!/usr/bin/env bash
# The demo's evaluation with a hostile schema in front of the search path
# (issue 10, doc/security.md): the sample province is loaded twice, into two
# databases; the first is evaluated as the demo does (twelve months and the
# year), the second with search_path = regress_hostile, pg_catalog, public,
# where regress_hostile shadows, with the very same argument types (so they
# would win even over pg_catalog), the functions, aggregates and operators
# that the kpi routines use: to_char, round, count(*), sum, array_agg, =, <,
# +, ||, ->>, @> and more, each raising an error when called.  Both
# databases must hold identical runs, results and ledgers (compared by md5
# over every row), and kpi.explain, kpi.explain_agency, kpi.what_if,
# kpi.lawmaking_backlog, kpi.rule_set_for and the reporting views must answer
# the same under the hostile search path.  As a control, the released 0.1.0 (which did not pin
# its search_path) is hijacked by the same schema.
#
# Runs in the cluster of test/run.sh (PGHOST, PGPORT, PGUSER set), in
# databases of its own, dropped at the end.
#
# Usage: bash test/cluster/search_path_hostile.sh OUTPREFIX
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib_cluster.bash"
kc_setup "${1:-}"
echo "# search_path_hostile.sh: the sample province evaluated with a hostile schema first in the search path"

kc_harness_db kpi_hostile_$$
plain=kpi_hostile_plain_$$ old=kpi_hostile_old_$$
KC_CLEANUPS+=("psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS $plain WITH (FORCE)'")
KC_CLEANUPS+=("psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS $old WITH (FORCE)'")
HOSTILE="-c search_path=regress_hostile,pg_catalog,public"
on() { local d=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 -d "$d" "$@"; }

# the hostile schema: every object raises "hostile <name> called"
hostile_sql() {
	cat <<-'SQL'
	CREATE SCHEMA regress_hostile;
	CREATE FUNCTION regress_hostile.boom(what text) RETURNS void LANGUAGE plpgsql AS $$
	BEGIN RAISE EXCEPTION 'hostile % called', what USING ERRCODE = 'XXH00'; END $$;
	DO $$
	DECLARE
		f record;
		n integer := 0;
	BEGIN
		-- functions: name, argument types, result type
		FOR f IN SELECT * FROM (VALUES
			('to_char', 'date, text', 'text'), ('to_char', 'timestamptz, text', 'text'),
			('to_char', 'numeric, text', 'text'), ('round', 'numeric, integer', 'numeric'),
			('round', 'numeric', 'numeric'), ('md5', 'text', 'text'), ('hashtext', 'text', 'integer'),
			('make_date', 'integer, integer, integer', 'date'), ('date_trunc', 'text, date', 'timestamp'),
			('date_trunc', 'text, timestamptz', 'timestamptz'),
			('pg_advisory_xact_lock', 'integer, integer', 'void'),
			('pg_advisory_xact_lock_shared', 'integer, integer', 'void'),
			('cardinality', 'anyarray', 'integer'), ('array_to_string', 'anyarray, text', 'text'),
			('array_position', 'anycompatiblearray, anycompatible', 'integer'),
			('isempty', 'daterange', 'boolean'), ('row_security_active', 'oid', 'boolean'),
			('jsonb_build_object', 'text, numeric', 'jsonb'), ('now', '', 'timestamptz'),
			('concat_ws', 'text, text, text', 'text'), ('format', 'text, text', 'text'),
			('abs', 'numeric', 'numeric'), ('trunc', 'numeric, integer', 'numeric')
		) AS t(name, args, ret) LOOP
			n := n + 1;
			EXECUTE format('CREATE FUNCTION regress_hostile.%I(%s) RETURNS %s LANGUAGE plpgsql AS '
			               '$f$ BEGIN PERFORM regress_hostile.boom(%L); %s END $f$',
			               f.name, f.args, f.ret, f.name || '(' || f.args || ')',
			               CASE WHEN f.ret = 'void' THEN 'RETURN;' ELSE 'RETURN NULL;' END);
		END LOOP;
		-- set-returning
		CREATE FUNCTION regress_hostile.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE plpgsql AS
			$f$ BEGIN PERFORM regress_hostile.boom('unnest(anyarray)'); END $f$;
		CREATE FUNCTION regress_hostile.generate_series(date, date, interval) RETURNS SETOF timestamp
			LANGUAGE plpgsql AS $f$ BEGIN PERFORM regress_hostile.boom('generate_series(date, date, interval)'); END $f$;
		-- aggregates: name, argument types, state type
		FOR f IN SELECT * FROM (VALUES
			('count', '*', 'bigint'), ('sum', 'numeric', 'numeric'), ('sum', 'bigint', 'numeric'),
			('min', 'date', 'date'), ('max', 'numeric', 'numeric'), ('min', 'numeric', 'numeric'),
			('avg', 'numeric', 'numeric'), ('array_agg', 'bigint', 'bigint[]'), ('array_agg', 'text', 'text[]'),
			('string_agg', 'text, text', 'text'), ('bool_or', 'boolean', 'boolean')
		) AS t(name, args, stype) LOOP
			n := n + 1;
			EXECUTE format('CREATE FUNCTION regress_hostile.%I(%s) RETURNS %s LANGUAGE plpgsql AS '
			               '$f$ BEGIN PERFORM regress_hostile.boom(%L); RETURN NULL; END $f$',
			               'agg_' || n, f.stype || CASE WHEN f.args = '*' THEN '' ELSE ', ' || f.args END, f.stype,
			               f.name || '(' || f.args || ')');
			EXECUTE format('CREATE AGGREGATE regress_hostile.%I(%s) (sfunc = regress_hostile.%I, stype = %s)',
			               f.name, f.args, 'agg_' || n, f.stype);
		END LOOP;
		-- operators: name, left type, right type, result type
		FOR f IN
			SELECT o.op, t.typ AS l, t.typ AS r, 'boolean' AS ret
			FROM unnest(ARRAY['=', '<>', '<', '<=', '>', '>=']) o(op),
			     unnest(ARRAY['bigint', 'integer', 'numeric', 'text', 'date', 'boolean', 'jsonb']) t(typ)
			UNION ALL
			SELECT o.op, t.typ, t.typ, t.typ
			FROM unnest(ARRAY['+', '-', '*', '/']) o(op), unnest(ARRAY['bigint', 'integer', 'numeric']) t(typ)
			UNION ALL
			SELECT * FROM (VALUES ('||', 'text', 'text', 'text'), ('||', 'jsonb', 'jsonb', 'jsonb'),
			                      ('->>', 'jsonb', 'text', 'text'), ('->>', 'jsonb', 'integer', 'text'),
			                      ('->', 'jsonb', 'text', 'jsonb'), ('@>', 'daterange', 'date', 'boolean'),
			                      ('&&', 'daterange', 'daterange', 'boolean'), ('-', 'date', 'date', 'integer'),
			                      ('+', 'date', 'integer', 'date'), ('=', 'name', 'name', 'boolean'),
			                      ('=', 'oid', 'oid', 'boolean'), ('=', 'regclass', 'regclass', 'boolean')) v
		LOOP
			n := n + 1;
			EXECUTE format('CREATE FUNCTION regress_hostile.%I(%s, %s) RETURNS %s LANGUAGE plpgsql AS '
			               '$f$ BEGIN PERFORM regress_hostile.boom(%L); RETURN NULL; END $f$',
			               'op_' || n, f.l, f.r, f.ret, 'operator ' || f.op || '(' || f.l || ', ' || f.r || ')');
			EXECUTE format('CREATE OPERATOR regress_hostile.%s (leftarg = %s, rightarg = %s, function = regress_hostile.%I)',
			               f.op, f.l, f.r, 'op_' || n);
		END LOOP;
	END $$;
	SQL
}

# everything a run leaves, as one md5 (created_at and created_by aside)
digest_sql="SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
	SELECT concat_ws('|', 'run', run_id, period_start, period_end, period_kind, rule_set_id, engine_version, supersedes) x
	FROM kpi.evaluation_run
	UNION ALL SELECT concat_ws('|', 'sup', run_id, superseded_by) FROM kpi.run_supersession
	UNION ALL SELECT 'result|' || r::text FROM kpi.official_result r
	UNION ALL SELECT 'agency|' || a::text FROM kpi.agency_result a
	UNION ALL SELECT 'ledger|' || l::text FROM kpi.ledger l
	UNION ALL SELECT 'aledger|' || l::text FROM kpi.agency_ledger l) s"
count_sql="SELECT (SELECT count(*) FROM kpi.official_result) || ' results, ' || (SELECT count(*) FROM kpi.ledger)
	|| ' ledger rows, ' || (SELECT count(*) FROM kpi.agency_result) || ' agency results, '
	|| (SELECT count(*) FROM kpi.agency_ledger) || ' agency ledger rows'"
# what the read functions answer (run under the search path given)
# (:id is an official the quota demoted, explained for the year and March)
reads_sql="SELECT 'explain', e::text FROM (SELECT * FROM kpi.explain(:id, '2026-01-01', 'en', 'year')) e
	UNION ALL SELECT 'explain_month', e::text FROM (SELECT * FROM kpi.explain(:id, '2026-03-01', 'vi', 'month')) e
	UNION ALL SELECT 'explain_agency', e::text FROM (SELECT * FROM kpi.explain_agency(21, 2026, 'en')) e
	UNION ALL SELECT 'what_if', w::text FROM (SELECT * FROM kpi.what_if('2026-03-01', 'month', '{\"progress_reading\": \"strict\"}')) w
	UNION ALL SELECT 'backlog', b::text FROM (SELECT * FROM kpi.lawmaking_backlog_at('2026-12-31')) b
	UNION ALL SELECT 'backlog_view', (SELECT pg_catalog.count(*) FROM kpi.lawmaking_backlog)::text
	UNION ALL SELECT 'rule_set_for', kpi.rule_set_for('2026-12-31')::text
	UNION ALL SELECT 'unit_result', u::text FROM kpi.current_unit_result u
	UNION ALL SELECT 'tiers', t::text FROM kpi.tier_distribution t
	UNION ALL SELECT 'quota', q::text FROM kpi.quota_decisions q
	UNION ALL SELECT 'agency', ROW(a.run_id, a.unit_id, a.score, a.components, a.tier, a.head_official_id, a.head_tier, a.head_capped, a.input_digest)::text
	          FROM kpi.current_agency_result a
	ORDER BY 1, 2"

load() {	# load DB: the sample province in the kpi reference tables
	createdb "$1" || kc_bail "createdb $1"
	on "$1" -c "CREATE EXTENSION kpi_eval_reference CASCADE" >/dev/null || kc_bail "CREATE EXTENSION in $1"
	on "$1" -f "$root/test/sample/province.sql" >/dev/null || kc_bail "loading test/sample/province.sql into $1"
	on "$1" -f "$root/test/sample/load_reference.sql" >/dev/null || kc_bail "loading the reference tables of $1"
}
evaluate() {	# evaluate DB [PGOPTIONS]: the demo's thirteen runs
	local m
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		PGOPTIONS=${2:-} on "$1" -c "CALL kpi.evaluate('2026-$m-01', 'month')" 2>"$WORK/err" ||
			{ kc_not_ok "CALL kpi.evaluate('2026-$m-01', 'month') in $1" "$(cat "$WORK/err")"; return 1; }
	done
	PGOPTIONS=${2:-} on "$1" -c "CALL kpi.evaluate('2026-01-01', 'year')" 2>"$WORK/err" ||
		{ kc_not_ok "CALL kpi.evaluate('2026-01-01', 'year') in $1" "$(cat "$WORK/err")"; return 1; }
	kc_ok "the twelve months and the year evaluate in $1 ${2:+(search path: ${2#-c search_path=})}"
}

load "$plain"
load "$DB"
hostile_sql | on "$DB" >/dev/null || kc_bail "creating the hostile schema"
kc_cond "the hostile schema shadows $(on "$DB" -c "SELECT count(*) FROM pg_proc WHERE pronamespace = 'regress_hostile'::regnamespace") functions and $(on "$DB" -c "SELECT count(*) FROM pg_operator WHERE oprnamespace = 'regress_hostile'::regnamespace") operators" \
	"$(on "$DB" -c "SELECT count(*) FROM pg_operator WHERE oprnamespace = 'regress_hostile'::regnamespace")" -gt 60
# the shadows are live: a plain query under that search path calls them
got=$(PGOPTIONS=$HOSTILE on "$DB" -c "SELECT count(*) FROM kpi.unit WHERE unit_id = 1" 2>&1)
case "$got" in
*"hostile count(*) called"*|*"hostile operator = (bigint, bigint) called"*|*"hostile operator =(bigint, bigint) called"*)
	kc_ok "an unqualified query under the hostile search path calls the hostile objects" ;;
*) kc_not_ok "an unqualified query under the hostile search path calls the hostile objects" "$got" ;;
esac

evaluate "$plain"
evaluate "$DB" "$HOSTILE"
kc_diag "$(on "$plain" -c "$count_sql")"
kc_is "$(on "$DB" -c "$digest_sql")" "$(on "$plain" -c "$digest_sql")" \
	"runs, results and ledgers are identical to the untouched run (md5 over every row)"
id=$(on "$plain" -c "SELECT min(r.official_id) FROM kpi.official_result r JOIN kpi.official_result m
                      ON m.official_id = r.official_id AND m.period_start = '2026-03-01' AND m.score IS NOT NULL
                      WHERE r.period_kind = 'year' AND r.quota_tier < r.tier")
reads=${reads_sql//:id/$id}
PGOPTIONS=$HOSTILE on "$DB" -c "$reads" >"$WORK/reads.hostile" 2>&1
on "$plain" -c "$reads" >"$WORK/reads.plain" 2>&1
diff "$WORK/reads.plain" "$WORK/reads.hostile" | grep "^>" | head -5
kc_is "$(md5sum <"$WORK/reads.hostile")" "$(md5sum <"$WORK/reads.plain")" \
	"kpi.explain (official $id), explain_agency, what_if, lawmaking_backlog(_at), rule_set_for and the views answer the same under the hostile search path ($(on "$plain" -c "$reads" | wc -l) rows)"
kc_is "$(on "$DB" -f "$root/test/sample/report_reference.sql" 2>&1 | md5sum)" \
	"$(on "$plain" -f "$root/test/sample/report_reference.sql" 2>&1 | md5sum)" \
	"the demo's reference report is identical"

# the control: 0.1.0 pinned nothing, and the same schema hijacks its kpi.evaluate
createdb "$old" || kc_bail "createdb $old"
on "$old" -c "CREATE EXTENSION kpi_eval VERSION '0.1.0'" -c "CREATE EXTENSION kpi_eval_reference VERSION '0.1.0'" >/dev/null ||
	kc_bail "CREATE EXTENSION ... VERSION '0.1.0'"
hostile_sql | on "$old" >/dev/null || kc_bail "creating the hostile schema in $old"
got=$(PGOPTIONS=$HOSTILE on "$old" -c "CALL kpi.evaluate('2026-03-01', 'month')" 2>&1)
case "$got" in
*"hostile "*" called"*) kc_ok "control: the hostile schema hijacks the released 0.1.0's kpi.evaluate ($(printf '%s\n' "$got" | sed -n 's/^ERROR:  //p'))" ;;
*) kc_not_ok "control: the hostile schema hijacks the released 0.1.0's kpi.evaluate" "$got" ;;
esac
kc_finish
