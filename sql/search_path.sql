--
-- search_path hijacking (CVE-2018-1058, CVE-2022-2625 class; issues 10 and 11,
-- doc/security.md): every SQL and PL/pgSQL routine of schema kpi either pins
-- SET search_path = pg_catalog, pg_temp or is an inlinable SQL function whose
-- every function, operator and type is schema-qualified (or bound when it was
-- created, a RETURN / BEGIN ATOMIC body).  Then the three attacks of issue 11
-- point 1: a role with CREATE on a schema in the superuser's search_path
-- shadows to_char(date, text), array_agg(bigint) and @>(daterange, date) with
-- routines that make it superuser; the superuser's CALL kpi.evaluate,
-- SELECT * FROM kpi.lawmaking_backlog, kpi.rule_set_for and the rule-set
-- trigger must not call them.
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';

------------------------------------------------------------------------------
-- The catalog check
------------------------------------------------------------------------------

-- What a string body of an inlinable SQL function (parsed with the caller's
-- search_path) names without a schema: operators outside OPERATOR(schema.op),
-- function calls, casts to types that are not SQL keywords, and the
-- constructs that look an operator up by name (IN, BETWEEN, IS DISTINCT
-- FROM, LIKE, NULLIF, a simple CASE).
CREATE FUNCTION pg_temp.unqualified(src text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	s text := src;
	found text[] := '{}';
	m text[];
BEGIN
	s := regexp_replace(s, '--[^\n]*', ' ', 'g');
	s := regexp_replace(s, '''(''''|[^''])*''', ' $lit$ ', 'g');
	s := regexp_replace(s, 'OPERATOR\s*\(\s*(pg_catalog|kpi)\.[^)]+\)', ' $op$ ', 'gi');
	-- casts to non-keyword types resolve through the search_path
	FOR m IN SELECT regexp_matches(s, '::\s*("?[A-Za-z_][A-Za-z_0-9]*"?)(\s*\.)?', 'g') LOOP
		IF m[2] IS NULL AND lower(m[1]) NOT IN ('int', 'integer', 'bigint', 'smallint', 'numeric', 'decimal',
		                                         'dec', 'boolean', 'real', 'float', 'double', 'char', 'character',
		                                         'varchar', 'bit', 'time', 'timestamp', 'interval') THEN
			found := found || ('type ' || m[1]);
		END IF;
	END LOOP;
	s := regexp_replace(s, '\m(pg_catalog|kpi)\.[A-Za-z_][A-Za-z_0-9]*', ' $q$ ', 'gi');
	s := regexp_replace(s, '::', ' ', 'g');
	s := regexp_replace(s, '\(\s*\*\s*\)|\.\*|\mSELECT\s+\*', ' ', 'gi');
	FOR m IN SELECT regexp_matches(s, '([-+*/<>=~!@#%^&|`?]+)', 'g') LOOP
		found := found || ('operator ' || m[1]);
	END LOOP;
	FOR m IN SELECT regexp_matches(s, '(\m[A-Za-z_][A-Za-z_0-9]*\s+)?(\m[A-Za-z_][A-Za-z_0-9]*)\s*\(', 'g') LOOP
		CONTINUE WHEN upper(btrim(coalesce(m[1], ''))) = 'AS';	-- an alias's column names
		CONTINUE WHEN upper(m[2]) IN ('COALESCE', 'GREATEST', 'LEAST', 'ROW', 'VALUES', 'EXISTS', 'LATERAL',
		                              'AS', 'FILTER', 'OVER', 'AND', 'OR', 'NOT', 'SELECT', 'FROM', 'WHERE',
		                              'ON', 'JOIN', 'WHEN', 'THEN', 'ELSE', 'ARRAY', 'ANY', 'ALL', 'CROSS',
		                              'USING', 'BY', 'WITH', 'UNION', 'CAST', 'EXTRACT', 'ORDINALITY');
		found := found || ('function ' || m[2]);
	END LOOP;
	FOR m IN SELECT regexp_matches(s, '(\mIN\s*\(|\mBETWEEN\M|\mDISTINCT\s+FROM\M|\m(I?LIKE|SIMILAR|NULLIF)\M|\mCASE\s+(?!WHEN\M))', 'gi') LOOP
		found := found || ('construct ' || btrim(m[1]));
	END LOOP;
	RETURN found;
END
$$;

-- Why routine p could run objects of another schema, or NULL when it cannot.
CREATE FUNCTION pg_temp.hijackable(p oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
	SELECT CASE
	       WHEN f.proconfig @> '{"search_path=pg_catalog, pg_temp"}' THEN NULL
	       WHEN f.prosecdef THEN 'SECURITY DEFINER without SET search_path = pg_catalog, pg_temp'
	       WHEN l.lanname <> 'sql' THEN l.lanname || ' without SET search_path = pg_catalog, pg_temp'
	       WHEN f.proconfig IS NOT NULL THEN 'SET clauses (not inlinable) without search_path = pg_catalog, pg_temp'
	       -- a RETURN / BEGIN ATOMIC body is bound at CREATE time; it may not
	       -- have bound anything outside pg_catalog (whose objects are pinned,
	       -- so not in pg_depend) and kpi
	       WHEN f.prosqlbody IS NOT NULL THEN
	            (SELECT 'binds ' || string_agg(pg_describe_object(d.refclassid, d.refobjid, 0), ', ')
	             FROM pg_depend d
	             WHERE d.classid = 'pg_proc'::regclass AND d.objid = f.oid
	               AND d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass, 'pg_type'::regclass)
	               AND CASE d.refclassid
	                   WHEN 'pg_proc'::regclass THEN (SELECT x.pronamespace FROM pg_proc x WHERE x.oid = d.refobjid)
	                   WHEN 'pg_operator'::regclass THEN (SELECT x.oprnamespace FROM pg_operator x WHERE x.oid = d.refobjid)
	                   ELSE (SELECT x.typnamespace FROM pg_type x WHERE x.oid = d.refobjid) END
	                   NOT IN ('pg_catalog'::regnamespace, 'kpi'::regnamespace))
	       WHEN cardinality(pg_temp.unqualified(f.prosrc)) > 0 THEN
	            'unqualified in its body: ' || array_to_string(pg_temp.unqualified(f.prosrc), ', ')
	       END
	FROM pg_proc f JOIN pg_language l ON l.oid = f.prolang
	WHERE f.oid = p
$$;

-- every SQL and PL/pgSQL routine of schema kpi: none can be hijacked
SELECT f.oid::regprocedure AS routine, pg_temp.hijackable(f.oid) AS why
FROM pg_proc f JOIN pg_language l ON l.oid = f.prolang
WHERE f.pronamespace = 'kpi'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
  AND pg_temp.hijackable(f.oid) IS NOT NULL
ORDER BY 1::text;

-- the check is not vacuous: it covers the routines of both extensions, some
-- pinned and some inlinable (string bodies and RETURN bodies)
SELECT count(*) FILTER (WHERE f.proconfig @> '{"search_path=pg_catalog, pg_temp"}') >= 10 AS pinned,
       count(*) FILTER (WHERE f.proconfig IS NULL AND f.prosqlbody IS NULL) >= 1 AS inlinable_string_bodies,
       count(*) FILTER (WHERE f.proconfig IS NULL AND f.prosqlbody IS NOT NULL) >= 2 AS inlinable_return_bodies
FROM pg_proc f JOIN pg_language l ON l.oid = f.prolang
WHERE f.pronamespace = 'kpi'::regnamespace AND l.lanname IN ('sql', 'plpgsql');

-- the inlinable ones are still inlined (no SET clause): the plan shows no call
EXPLAIN (COSTS OFF, VERBOSE) SELECT kpi.late_events('2026-03-01', d) FROM (VALUES (date '2026-03-02')) v(d);

-- and it finds what it should: routines written the old way
CREATE FUNCTION kpi.regress_unpinned_plpgsql(d date) RETURNS text LANGUAGE plpgsql
AS $$ BEGIN RETURN kpi.regress_unpinned_sql(d); END $$;
CREATE FUNCTION kpi.regress_unpinned_sql(d date) RETURNS text LANGUAGE sql
AS $$ SELECT to_char(d, 'YYYY') || nullif('x', 'y') || d::text WHERE d > '2026-01-01' AND d IN (d) $$;
CREATE FUNCTION kpi.regress_qualified_sql(d date) RETURNS text LANGUAGE sql
AS $$ SELECT pg_catalog.to_char(d, 'YYYY') OPERATOR(pg_catalog.||) d::pg_catalog.text $$;
CREATE FUNCTION kpi.regress_bound_sql(d date) RETURNS boolean LANGUAGE sql
RETURN d > '2026-01-01';
CREATE FUNCTION kpi.regress_definer(d date) RETURNS boolean LANGUAGE sql SECURITY DEFINER
AS $$ SELECT pg_catalog.to_char(d, 'YYYY') OPERATOR(pg_catalog.=) '2026' $$;
SELECT f.oid::regprocedure AS routine, pg_temp.hijackable(f.oid) AS why
FROM pg_proc f WHERE f.proname LIKE 'regress\_%' AND f.pronamespace = 'kpi'::regnamespace ORDER BY 1::text;
DROP FUNCTION kpi.regress_unpinned_plpgsql, kpi.regress_unpinned_sql, kpi.regress_qualified_sql,
	kpi.regress_bound_sql, kpi.regress_definer;

------------------------------------------------------------------------------
-- The three attacks (issue 11, point 1)
------------------------------------------------------------------------------

-- a role that may create objects in a schema of the superuser's search_path
-- (as every role could in public before PostgreSQL 15)
CREATE ROLE regress_kpi_attacker NOLOGIN;
CREATE SCHEMA regress_kpi_shared;
GRANT USAGE, CREATE ON SCHEMA regress_kpi_shared TO regress_kpi_attacker;
GRANT USAGE ON SCHEMA kpi TO regress_kpi_attacker;

SET ROLE regress_kpi_attacker;
CREATE FUNCTION regress_kpi_shared.escalate() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	RAISE WARNING 'hijacked: % runs the attacker''s code', current_user;
	ALTER ROLE regress_kpi_attacker SUPERUSER;
END $$;
-- an exact match for a date beats pg_catalog.to_char(timestamptz, text)
CREATE FUNCTION regress_kpi_shared.to_char(d date, f text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM regress_kpi_shared.escalate();
	RETURN pg_catalog.to_char(d::timestamp, f);
END $$;
-- array_agg(bigint) beats pg_catalog.array_agg(anynonarray)
CREATE FUNCTION regress_kpi_shared.agg_step(a bigint[], x bigint) RETURNS bigint[] LANGUAGE plpgsql AS $$
BEGIN
	PERFORM regress_kpi_shared.escalate();
	RETURN a || x;
END $$;
CREATE AGGREGATE regress_kpi_shared.array_agg(bigint) (sfunc = regress_kpi_shared.agg_step, stype = bigint[]);
-- @>(daterange, date) beats pg_catalog.@>(anyrange, anyelement)
CREATE FUNCTION regress_kpi_shared.contains(r daterange, d date) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	PERFORM regress_kpi_shared.escalate();
	RETURN r OPERATOR(pg_catalog.@>) d;
END $$;
CREATE OPERATOR regress_kpi_shared.@> (leftarg = daterange, rightarg = date, function = regress_kpi_shared.contains);
RESET ROLE;

-- the attack works on a routine written the old way (so this test can fail)
CREATE FUNCTION pg_temp.old_style(d date) RETURNS text LANGUAGE plpgsql
AS $$ BEGIN RETURN to_char(d, 'YYYY-MM-DD'); END $$;
SET search_path = regress_kpi_shared, public;
SELECT pg_temp.old_style('2026-03-01');
RESET search_path;
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_kpi_attacker';
ALTER ROLE regress_kpi_attacker NOSUPERUSER;

-- a small organisation: an evaluated March under a rule set of its own, a backlog
INSERT INTO kpi.unit (unit_id, parent_id, name) VALUES (1, NULL, 'Sở Tư pháp');
INSERT INTO kpi.official (official_id, unit_id, full_name) VALUES (1, 1, 'Nguyễn Văn An'), (2, 1, 'Trần Thị Bình');
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
VALUES (1, 'Báo cáo', '2026-03-20', '2026-03-19', 1, 1), (2, 'Tờ trình', '2026-03-20', '2026-03-25', 1, 1);
INSERT INTO kpi.general_mark
SELECT o, m, '{5,4,2.5,2.5,2.5,2.5,2.5,2.5,1.5,1.5}' FROM generate_series(1, 2) o, (VALUES (date '2026-03-01'), ('2026-04-01')) p(m);
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
VALUES (1, 'Đề án', '2026-04-20', '2026-04-19', 1, 1), (2, 'Kế hoạch', '2026-04-20', NULL, 0, 0);
INSERT INTO kpi.lawmaking_document (unit_id, role, title, due, issued)
VALUES (1, 'drafting', 'Quyết định A', '2026-03-31', NULL), (1, 'drafting', 'Quyết định B', '2026-04-30', NULL);
INSERT INTO kpi.rule_set (name, effective, rules) VALUES ('Thí điểm 2026', '[2026-03-01,2027-01-01)', '{}');

-- the superuser, with the shared schema in front of the search path
SET search_path = regress_kpi_shared, public;
SET client_min_messages = warning;
CALL kpi.evaluate('2026-03-01', 'month');
CALL kpi.evaluate('2026-04-01', 'month');
CALL kpi.evaluate('2026-01-01', 'year');
SELECT * FROM kpi.lawmaking_backlog_at('2026-12-31');
SELECT unit_id, role, backlog, oldest_due, doc_ids FROM kpi.lawmaking_backlog;
SELECT kpi.rule_set_for('2026-03-31') = (SELECT rule_set_id FROM kpi.rule_set WHERE name = 'Thí điểm 2026') AS own_set;
UPDATE kpi.rule_set SET name = 'Thí điểm 2026 (đổi tên)' WHERE name = 'Thí điểm 2026';
UPDATE kpi.rule_set SET effective = '[2026-03-01,2026-03-15)' WHERE name = 'Thí điểm 2026 (đổi tên)';
SELECT line_no, rule_id, description FROM kpi.explain(2, '2026-03-01', 'en');
SELECT official_id, changed FROM kpi.what_if('2026-03-01', 'month', '{"progress_reading": "strict"}');
RESET client_min_messages;
RESET search_path;

-- nothing ran the attacker's code
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_kpi_attacker';
SELECT official_id, score, tier FROM kpi.current_official_result ORDER BY period_kind, period_start, official_id;

DROP SCHEMA regress_kpi_shared CASCADE;
REVOKE USAGE ON SCHEMA kpi FROM regress_kpi_attacker;
DROP ROLE regress_kpi_attacker;
SET kpi_eval.allow_drop_with_data = on;
SET client_min_messages = error;	-- the warning counts every table's rows (drop_guard.sql pins it)
DROP EXTENSION kpi_eval_reference;
RESET client_min_messages;
