-- test/pgtap/catalog.sql
-- The catalog shape of kpi_eval: every function and aggregate with its
-- signature and return type, volatility, parallel safety, strictness,
-- aggregate support functions, comments, and the kpi.tier order
-- (design.md "Parallel and distributed", rules.md CS13).
--
-- Runs on its own in a database where pgtap exists:
--   pg_prove -d DB test/pgtap/catalog.sql
BEGIN;
CREATE EXTENSION IF NOT EXISTS kpi_eval;
SELECT plan(165);

SELECT has_extension('kpi_eval', 'extension kpi_eval is installed');
SELECT has_schema('kpi', 'schema kpi exists');
SELECT is((SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
           WHERE e.extname = 'kpi_eval'), 'kpi', 'kpi_eval lives in schema kpi');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'kpi_eval'), false,
	'kpi_eval is not relocatable (other extensions and fdw servers name schema kpi)');

------------------------------------------------------------------------------
-- Types
------------------------------------------------------------------------------
SELECT has_type('kpi', 'tally', 'type kpi.tally exists');
SELECT results_eq(
	$$SELECT typlen::int, typalign::text, typstorage::text,
	         typinput::regproc::text = 'kpi.tally_in', typoutput::regproc::text = 'kpi.tally_out',
	         typreceive::regproc::text = 'kpi.tally_recv', typsend::regproc::text = 'kpi.tally_send'
	  FROM pg_type WHERE oid = to_regtype('kpi.tally')$$,
	$$VALUES (-1, 'd', 'p', true, true, true, true)$$,
	'kpi.tally is a plain-storage varlena with text and binary I/O (shippable state type)');
SELECT has_enum('kpi', 'tier', 'enum kpi.tier exists');
SELECT enum_has_labels('kpi', 'tier', ARRAY['khong_hoan_thanh', 'hoan_thanh', 'tot', 'xuat_sac'],
	'CS13 kpi.tier labels in order, worst to best');
SELECT ok('khong_hoan_thanh'::kpi.tier < 'hoan_thanh'::kpi.tier
          AND 'hoan_thanh'::kpi.tier < 'tot'::kpi.tier
          AND 'tot'::kpi.tier < 'xuat_sac'::kpi.tier,
	'CS13 kpi.tier compares worst < complete < good < excellent');
SELECT is((SELECT max(t) FROM unnest(enum_range(NULL::kpi.tier)) t), 'xuat_sac'::kpi.tier,
	'max() of kpi.tier is xuat_sac (excellent)');

------------------------------------------------------------------------------
-- Every function: exists with this signature and returns this type
------------------------------------------------------------------------------
CREATE TEMP TABLE kpi_expected_fn (name name, args name[], returns text, strict boolean, lang name);
INSERT INTO kpi_expected_fn VALUES
	('effective_rules', '{jsonb}', 'jsonb', true, 'c'),
	('tally_in', '{cstring}', 'kpi.tally', true, 'c'),
	('tally_out', '{kpi.tally}', 'cstring', true, 'c'),
	('tally_recv', '{internal}', 'kpi.tally', true, 'c'),
	('tally_send', '{kpi.tally}', 'bytea', true, 'c'),
	('tally_components', '{kpi.tally}', 'record', true, 'c'),
	('tally_agg_trans', '{kpi.tally,numeric,numeric,numeric,numeric,integer,integer}', 'kpi.tally', false, 'c'),
	('tally_agg_trans', '{kpi.tally,numeric,numeric,numeric,numeric,integer,integer,jsonb}', 'kpi.tally', false, 'c'),
	('tally_agg_inv', '{kpi.tally,numeric,numeric,numeric,numeric,integer,integer}', 'kpi.tally', false, 'c'),
	('tally_agg_inv', '{kpi.tally,numeric,numeric,numeric,numeric,integer,integer,jsonb}', 'kpi.tally', false, 'c'),
	('tally_agg_unit_trans', '{kpi.tally,numeric,boolean,boolean,integer,integer}', 'kpi.tally', false, 'c'),
	('tally_agg_unit_trans', '{kpi.tally,numeric,boolean,boolean,integer,integer,jsonb}', 'kpi.tally', false, 'c'),
	('tally_agg_unit_inv', '{kpi.tally,numeric,boolean,boolean,integer,integer}', 'kpi.tally', false, 'c'),
	('tally_agg_unit_inv', '{kpi.tally,numeric,boolean,boolean,integer,integer,jsonb}', 'kpi.tally', false, 'c'),
	('tally_final', '{kpi.tally}', 'kpi.tally', true, 'c'),
	('tally_combine', '{kpi.tally,kpi.tally}', 'kpi.tally', true, 'c'),
	('tally_uncombine', '{kpi.tally,kpi.tally}', 'kpi.tally', true, 'c'),
	('quantity_pct', '{kpi.tally,jsonb}', 'numeric', true, 'c'),
	('quality_pct', '{kpi.tally,jsonb}', 'numeric', true, 'c'),
	('progress_pct', '{kpi.tally,jsonb}', 'numeric', true, 'c'),
	('task_pct', '{kpi.tally,jsonb}', 'numeric', true, 'c'),
	('task_pct', '{kpi.tally,numeric,numeric,numeric,jsonb}', 'numeric', true, 'c'),
	('task_points', '{kpi.tally,jsonb}', 'numeric', true, 'c'),
	('task_points', '{kpi.tally,numeric,numeric,numeric,jsonb}', 'numeric', true, 'c'),
	('period_score', '{numeric,kpi.tally,jsonb}', 'numeric', true, 'c'),
	('period_score', '{numeric,kpi.tally,numeric,numeric,numeric,jsonb}', 'numeric', true, 'c'),
	('general_points', '{numeric[],jsonb}', 'numeric', true, 'c'),
	('tier_of', '{numeric,boolean,jsonb}', 'kpi.tier', true, 'c'),
	('tier_label', '{kpi.tier,text}', 'text', true, 'c'),
	('annual_score_trans', '{bigint[],numeric}', 'bigint[]', true, 'c'),
	('annual_score_trans', '{bigint[],numeric,jsonb}', 'bigint[]', true, 'c'),
	('annual_score_inv', '{bigint[],numeric}', 'bigint[]', true, 'c'),
	('annual_score_inv', '{bigint[],numeric,jsonb}', 'bigint[]', true, 'c'),
	('annual_score_combine', '{bigint[],bigint[]}', 'bigint[]', true, 'c'),
	('annual_score_final', '{bigint[]}', 'numeric', true, 'c'),
	('unit_result_trans', '{bigint[],numeric}', 'bigint[]', true, 'c'),
	('unit_result_trans', '{bigint[],numeric,jsonb}', 'bigint[]', true, 'c'),
	('unit_result_combine', '{bigint[],bigint[]}', 'bigint[]', true, 'c'),
	('unit_result_final', '{bigint[]}', 'numeric', true, 'c'),
	-- plain SQL so that the planner inlines it
	('late_events', '{date,date}', 'integer', false, 'sql');

-- type names as the catalog prints them under the current search_path
UPDATE kpi_expected_fn SET returns = to_regtype(returns)::text;

SELECT has_function('kpi', name, args,
	format('function kpi.%s(%s) exists', name, array_to_string(args, ', ')))
FROM kpi_expected_fn ORDER BY name, cardinality(args), args::text;

SELECT function_returns('kpi', name, args, returns,
	format('kpi.%s(%s) returns %s', name, array_to_string(args, ', '), returns))
FROM kpi_expected_fn ORDER BY name, cardinality(args), args::text;

SELECT is_normal_function('kpi', name, args,
	format('kpi.%s(%s) is a normal function', name, array_to_string(args, ', ')))
FROM kpi_expected_fn ORDER BY name, cardinality(args), args::text;

SELECT function_lang_is('kpi', name, args, lang,
	format('kpi.%s(%s) is written in %s', name, array_to_string(args, ', '), lang))
FROM kpi_expected_fn WHERE name = 'late_events';

------------------------------------------------------------------------------
-- Every aggregate
------------------------------------------------------------------------------
CREATE TEMP TABLE kpi_expected_agg (name name, args name[], returns text);
INSERT INTO kpi_expected_agg VALUES
	('tally_agg', '{numeric,numeric,numeric,numeric,integer,integer}', 'kpi.tally'),
	('tally_agg', '{numeric,numeric,numeric,numeric,integer,integer,jsonb}', 'kpi.tally'),
	('tally_agg', '{numeric,boolean,boolean,integer,integer}', 'kpi.tally'),
	('tally_agg', '{numeric,boolean,boolean,integer,integer,jsonb}', 'kpi.tally'),
	('rollup', '{kpi.tally}', 'kpi.tally'),
	('annual_score', '{numeric}', 'numeric'),
	('annual_score', '{numeric,jsonb}', 'numeric'),
	('unit_result', '{numeric}', 'numeric'),
	('unit_result', '{numeric,jsonb}', 'numeric');
UPDATE kpi_expected_agg SET returns = to_regtype(returns)::text;

SELECT is_aggregate('kpi', name, args,
	format('aggregate kpi.%s(%s) exists', name, array_to_string(args, ', ')))
FROM kpi_expected_agg ORDER BY name, args;

SELECT function_returns('kpi', name, args, returns,
	format('aggregate kpi.%s(%s) returns %s', name, array_to_string(args, ', '), returns))
FROM kpi_expected_agg ORDER BY name, args;

-- the scoring core: the functions and aggregates listed above (other
-- features of the extension add their own overloads and functions)
CREATE TEMP TABLE kpi_core AS
SELECT to_regprocedure(format('kpi.%s(%s)', name, array_to_string(args, ','))) AS oid
FROM (SELECT name, args FROM kpi_expected_fn UNION ALL SELECT name, args FROM kpi_expected_agg) s;

SELECT is((SELECT count(DISTINCT oid)::int FROM kpi_core WHERE oid IS NOT NULL), 49,
	'the scoring core has 49 functions and aggregates, all found');

------------------------------------------------------------------------------
-- Argument names and defaults of the user-facing API
------------------------------------------------------------------------------
SELECT results_eq(
	$$SELECT p.proname::text COLLATE "default", array_to_string(p.proargnames, ',') COLLATE "default", p.pronargdefaults::int,
	         coalesce(pg_get_expr(p.proargdefaults, 0), '') COLLATE "default"
	  FROM pg_proc p
	  WHERE p.pronamespace = 'kpi'::regnamespace AND p.proargnames IS NOT NULL
	    AND p.oid IN (SELECT oid FROM kpi_core)
	  ORDER BY 1, 2$$,
	$$VALUES
	  ('annual_score', 'period_score', 0, ''),
	  ('annual_score', 'period_score,rules', 0, ''),
	  ('effective_rules', 'rules', 1, '''{}''::jsonb'),
	  ('general_points', 'marks,rules', 1, '''{}''::jsonb'),
	  ('late_events', 'due,done', 0, ''),
	  ('period_score', 'general,t,d,dd,e,rules', 1, '''{}''::jsonb'),
	  ('period_score', 'general,t,rules', 1, '''{}''::jsonb'),
	  ('progress_pct', 't,rules', 1, '''{}''::jsonb'),
	  ('quality_pct', 't,rules', 1, '''{}''::jsonb'),
	  ('quantity_pct', 't,rules', 1, '''{}''::jsonb'),
	  ('tally_agg', 'coef,assigned_qty,completed_qty,passed_qty,quality_errors,late_events', 0, ''),
	  ('tally_agg', 'coef,assigned_qty,completed_qty,passed_qty,quality_errors,late_events,rules', 0, ''),
	  ('tally_agg', 'coef,done,passed,quality_errors,late_events', 0, ''),
	  ('tally_agg', 'coef,done,passed,quality_errors,late_events,rules', 0, ''),
	  ('tally_components', 't,lines,assigned,quantity_credit,quality_credit,progress_credit,progress_credit_strict,quality_errors,late_events,quality_deduction,progress_deduction', 0, ''),
	  ('task_pct', 't,d,dd,e,rules', 1, '''{}''::jsonb'),
	  ('task_pct', 't,rules', 1, '''{}''::jsonb'),
	  ('task_points', 't,d,dd,e,rules', 1, '''{}''::jsonb'),
	  ('task_points', 't,rules', 1, '''{}''::jsonb'),
	  ('tier_label', 'tier,lang', 1, '''vi''::text'),
	  ('tier_of', 'score,disqualified,rules', 2, 'false, ''{}''::jsonb'),
	  ('unit_result', 'subordinate_score', 0, ''),
	  ('unit_result', 'subordinate_score,rules', 0, '')$$,
	'argument names and defaults of the scoring core');

SELECT results_eq(
	$$SELECT a.n COLLATE "default", format_type(a.t, NULL), a.m::text
	  FROM pg_proc p,
	       unnest(p.proargnames, p.proallargtypes::oid[], p.proargmodes::text[]) WITH ORDINALITY a(n, t, m, i)
	  WHERE p.oid = 'kpi.tally_components(kpi.tally)'::regprocedure AND a.m = 'o'
	  ORDER BY a.i$$,
	$$VALUES ('lines', 'bigint', 'o'), ('assigned', 'numeric', 'o'), ('quantity_credit', 'numeric', 'o'),
	         ('quality_credit', 'numeric', 'o'), ('progress_credit', 'numeric', 'o'),
	         ('progress_credit_strict', 'numeric', 'o'), ('quality_errors', 'bigint', 'o'),
	         ('late_events', 'bigint', 'o'), ('quality_deduction', 'numeric', 'o'),
	         ('progress_deduction', 'numeric', 'o')$$,
	'kpi.tally_components has OUT columns for every tally field, with exact types');

------------------------------------------------------------------------------
-- Whole-schema properties (zero rows violating)
------------------------------------------------------------------------------
-- procedures (prokind 'p') have no volatility of their own and are left out;
-- so are the reference schema's functions, which read its tables (STABLE) or
-- are its triggers (test/pgtap/evaluate.sql)
CREATE TEMP TABLE kpi_reference_fn AS
SELECT to_regprocedure(f) AS oid
FROM unnest(ARRAY['kpi.rule_set_for(date)', 'kpi.score_period(date,text,jsonb,boolean,boolean)',
                  'kpi.score_agencies(integer,jsonb,boolean)', 'kpi.explain(bigint,date,text,text)',
                  'kpi.explain_agency(bigint,integer,text)',
                  -- reads no table, but format() and to_char() are STABLE
                  'kpi.ledger_description(text,jsonb,bigint,numeric,text)',
                  'kpi.what_if(date,text,jsonb)', 'kpi.lawmaking_backlog_at(date)',
                  'kpi.rule_set_guard()', 'kpi.refuse_result_change()']) f;

SELECT is_empty(
	$$SELECT oid::regprocedure FROM pg_proc
	  WHERE pronamespace = 'kpi'::regnamespace AND prokind <> 'p' AND provolatile <> 'i'
	    AND oid NOT IN (SELECT oid FROM kpi_reference_fn WHERE oid IS NOT NULL)$$,
	'every function, aggregate and window function in schema kpi is IMMUTABLE (but those reading the reference tables)');

SELECT is_empty(
	$$SELECT oid::regprocedure FROM pg_proc
	  WHERE pronamespace = 'kpi'::regnamespace AND prokind <> 'p' AND proparallel <> 's'
	    AND oid NOT IN (SELECT oid FROM kpi_reference_fn WHERE oid IS NOT NULL)$$,
	'every function, aggregate and window function in schema kpi is PARALLEL SAFE (but those reading the reference tables)');

SELECT is_empty(
	$$SELECT p.oid::regprocedure, p.proisstrict, e.strict
	  FROM pg_proc p JOIN kpi_expected_fn e
	    ON e.name = p.proname
	   AND array_to_string(e.args::regtype[], ',') = array_to_string(p.proargtypes::regtype[], ',')
	  WHERE p.pronamespace = 'kpi'::regnamespace AND p.proisstrict <> e.strict$$,
	'scoring functions are STRICT, except the tally_agg transition/inverse functions and kpi.late_events');

SELECT is(
	(SELECT count(*)::int FROM pg_proc p JOIN kpi_expected_fn e
	    ON e.name = p.proname
	   AND array_to_string(e.args::regtype[], ',') = array_to_string(p.proargtypes::regtype[], ',')
	 WHERE p.pronamespace = 'kpi'::regnamespace AND NOT p.proisstrict),
	9,
	'exactly 9 scoring functions are not STRICT: 8 tally_agg transition/inverse functions and kpi.late_events');

SELECT is_empty(
	$$SELECT oid::regprocedure FROM pg_proc
	  WHERE pronamespace = 'kpi'::regnamespace AND prosecdef$$,
	'no SECURITY DEFINER function in schema kpi');

SELECT is_empty(
	$$SELECT aggfnoid::regprocedure FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
	  WHERE p.pronamespace = 'kpi'::regnamespace AND a.aggcombinefn = 0$$,
	'every aggregate has a combine function');

SELECT is_empty(
	$$SELECT aggfnoid::regprocedure FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
	  WHERE p.pronamespace = 'kpi'::regnamespace
	    AND (a.aggtranstype = 'internal'::regtype OR a.aggmtranstype = 'internal'::regtype
	         OR a.aggserialfn <> 0 OR a.aggdeserialfn <> 0)$$,
	'no aggregate has an internal state (so no serial/deserial functions are needed)');

SELECT is_empty(
	$$SELECT a.aggfnoid::regprocedure, f::regprocedure
	  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid,
	       unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggmtransfn, a.aggminvtransfn,
	                    a.aggmfinalfn]::oid[]) f
	  JOIN pg_proc s ON s.oid = f
	  WHERE p.pronamespace = 'kpi'::regnamespace AND f <> 0
	    AND (s.proparallel <> 's' OR s.provolatile <> 'i')$$,
	'every support function of every aggregate is PARALLEL SAFE and IMMUTABLE');

SELECT results_eq(
	$$SELECT a.aggfnoid::regprocedure::text, a.aggtranstype::regtype::text, a.aggfinalfn::regproc::text,
	         a.aggcombinefn::regproc::text, a.aggminvtransfn::regproc::text, a.aggmfinalfn::regproc::text,
	         coalesce(a.agginitval, '') COLLATE "default"
	  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
	  WHERE p.oid IN (SELECT oid FROM kpi_core) ORDER BY 1$$,
	$$SELECT format('kpi.%s(%s)', n, array_to_string(a::regtype[], ',')), s::regtype::text, f, c, i, m, v
	  FROM (VALUES
	    ('annual_score', '{numeric}'::text[], 'bigint[]', 'kpi.annual_score_final', 'kpi.annual_score_combine', 'kpi.annual_score_inv', 'kpi.annual_score_final', '{0,0,-1,-1}'),
	    ('annual_score', '{numeric,jsonb}', 'bigint[]', 'kpi.annual_score_final', 'kpi.annual_score_combine', 'kpi.annual_score_inv', 'kpi.annual_score_final', '{0,0,-1,-1}'),
	    ('rollup', '{kpi.tally}', 'kpi.tally', 'kpi.tally_final', 'kpi.tally_combine', 'kpi.tally_uncombine', 'kpi.tally_final', ''),
	    ('tally_agg', '{numeric,boolean,boolean,integer,integer}', 'kpi.tally', 'kpi.tally_final', 'kpi.tally_combine', 'kpi.tally_agg_unit_inv', 'kpi.tally_final', ''),
	    ('tally_agg', '{numeric,boolean,boolean,integer,integer,jsonb}', 'kpi.tally', 'kpi.tally_final', 'kpi.tally_combine', 'kpi.tally_agg_unit_inv', 'kpi.tally_final', ''),
	    ('tally_agg', '{numeric,numeric,numeric,numeric,integer,integer}', 'kpi.tally', 'kpi.tally_final', 'kpi.tally_combine', 'kpi.tally_agg_inv', 'kpi.tally_final', ''),
	    ('tally_agg', '{numeric,numeric,numeric,numeric,integer,integer,jsonb}', 'kpi.tally', 'kpi.tally_final', 'kpi.tally_combine', 'kpi.tally_agg_inv', 'kpi.tally_final', ''),
	    ('unit_result', '{numeric}', 'bigint[]', 'kpi.unit_result_final', 'kpi.unit_result_combine', '-', '-', '{0,0,-1,-1,-1,-1,-1}'),
	    ('unit_result', '{numeric,jsonb}', 'bigint[]', 'kpi.unit_result_final', 'kpi.unit_result_combine', '-', '-', '{0,0,-1,-1,-1,-1,-1}')
	  ) x(n, a, s, f, c, i, m, v)
	  ORDER BY 1$$,
	'aggregate states, final, combine, moving-aggregate inverse and moving final functions, initial values');

------------------------------------------------------------------------------
-- Comments: every member of the extension, the schema and the extension
------------------------------------------------------------------------------
SELECT is_empty(
	$$SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
	  FROM pg_depend d
	  LEFT JOIN pg_description c
	         ON c.classoid = d.classid AND c.objoid = d.objid AND c.objsubid = d.objsubid
	  WHERE d.refclassid = 'pg_extension'::regclass
	    AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_eval')
	    AND d.deptype = 'e'
	    AND coalesce(btrim(c.description), '') = ''$$,
	'every object of the extension has a comment');

SELECT cmp_ok(
	(SELECT count(*)::int FROM pg_depend
	 WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
	   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_eval')),
	'>=', 50, 'the comment check covers all 50+ members of the extension');

SELECT isnt(obj_description('kpi'::regnamespace, 'pg_namespace'), NULL, 'schema kpi has a comment');
SELECT isnt((SELECT obj_description(oid, 'pg_extension') FROM pg_extension WHERE extname = 'kpi_eval'),
	NULL, 'extension kpi_eval has a comment');

SELECT * FROM finish();
ROLLBACK;
