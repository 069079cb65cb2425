-- test/pgtap/result_refs.sql: the results' references kept without foreign
-- keys (issue 15, src/result_refs.c, src/reference/result_refs.sql), as
-- properties over random statements: a statement's rows are accepted exactly
-- when every run, official and unit they name exists (the oracle: anti-joins
-- against the tables, what the dropped foreign keys checked), the error names
-- exactly the keys missing (sorted, the first 10, then how many more), the
-- rows named are locked FOR KEY SHARE, and an official or unit is deleted
-- exactly when no result names it.  Each case in a savepoint, all rolled back.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS kpi_eval_reference CASCADE;
CREATE EXTENSION IF NOT EXISTS pgrowlocks;

SELECT plan(7);

SELECT setseed(0.4242);
SELECT kpi.ensure_year_partitions(2026);
-- units without a tree: a unit is then referred to by its officials and the results only
INSERT INTO kpi.unit (unit_id, parent_id, name) SELECT u, NULL, 'Đơn vị ' || u FROM generate_series(1, 40) u;
INSERT INTO kpi.official (official_id, unit_id, full_name) SELECT o, 1 + o % 40, 'Công chức ' || o FROM generate_series(1, 400) o;
INSERT INTO kpi.evaluation_run (period_start, period_end, period_kind, rule_set_id, engine_version)
SELECT make_date(2026, m, 1), (make_date(2026, m, 1) + interval '1 month - 1 day')::date, 'month',
       kpi.rule_set_for(make_date(2026, m, 1)), 'test'
FROM generate_series(1, 6) m;

-- random statements: n rows whose keys are drawn from a range a little wider
-- than the tables' (so some statements name missing keys, most do not)
CREATE TEMP TABLE stmt AS
SELECT s, n, widen FROM generate_series(1, 300) s,
     LATERAL (SELECT 1 + floor(random() * 60)::int AS n, random() < 0.5 AS widen) x;
CREATE TEMP TABLE stmt_row AS
SELECT st.s, i,
       1 + floor(random() * CASE WHEN st.widen AND random() < 0.05 THEN 9 ELSE 6 END)::bigint AS run_id,
       1 + floor(random() * CASE WHEN st.widen AND random() < 0.05 THEN 480 ELSE 400 END)::bigint AS official_id,
       1 + floor(random() * CASE WHEN st.widen AND random() < 0.05 THEN 48 ELSE 40 END)::bigint AS unit_id
FROM stmt st, generate_series(1, st.n) i;
-- and five statements naming many missing officials (more than the error lists)
INSERT INTO stmt SELECT s, 30, true FROM generate_series(301, 305) s;
INSERT INTO stmt_row SELECT s, i, 1, 400 + s * 100 + i, 1 FROM generate_series(301, 305) s, generate_series(1, 30) i;

-- what the foreign keys would have said: the keys missing, in the order the
-- error names them (runs, officials, units; each ascending)
CREATE TEMP TABLE expected AS
SELECT st.s, (SELECT string_agg(format('Key (%s)=(%s) is not present in table "%s".', m.col, m.id, m.tab), ' ' ORDER BY m.t, m.id)
              FROM (SELECT DISTINCT 1 AS t, 'run_id' AS col, 'evaluation_run' AS tab, r.run_id AS id FROM stmt_row r
                    WHERE r.s = st.s AND NOT EXISTS (SELECT 1 FROM kpi.evaluation_run e WHERE e.run_id = r.run_id)
                    UNION
                    SELECT DISTINCT 2, 'official_id', 'official', r.official_id FROM stmt_row r
                    WHERE r.s = st.s AND NOT EXISTS (SELECT 1 FROM kpi.official o WHERE o.official_id = r.official_id)
                    UNION
                    SELECT DISTINCT 3, 'unit_id', 'unit', r.unit_id FROM stmt_row r
                    WHERE r.s = st.s AND NOT EXISTS (SELECT 1 FROM kpi.unit u WHERE u.unit_id = r.unit_id)) m) AS missing,
       (SELECT count(*) FROM (SELECT DISTINCT 1, r.run_id FROM stmt_row r WHERE r.s = st.s
                                AND NOT EXISTS (SELECT 1 FROM kpi.evaluation_run e WHERE e.run_id = r.run_id)
                              UNION SELECT DISTINCT 2, r.official_id FROM stmt_row r WHERE r.s = st.s
                                AND NOT EXISTS (SELECT 1 FROM kpi.official o WHERE o.official_id = r.official_id)
                              UNION SELECT DISTINCT 3, r.unit_id FROM stmt_row r WHERE r.s = st.s
                                AND NOT EXISTS (SELECT 1 FROM kpi.unit u WHERE u.unit_id = r.unit_id)) c) AS n_missing
FROM stmt st;

-- each statement run, into the parent or (every third) into the partition
-- itself, and undone; what it said kept (a row's date is its number in the
-- statement: no two rows share a primary key)
CREATE TEMP TABLE got (s integer, code text, detail text, locked bigint);
CREATE FUNCTION pg_temp.run_statement(p_s integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	v_code text;
	v_detail text;
	v_locked bigint;
BEGIN
	BEGIN
		EXECUTE format('INSERT INTO kpi.%I (run_id, official_id, unit_id, task_group, is_leader, period_start, period_kind, input_digest)
		                SELECT r.run_id, r.official_id, r.unit_id, ''default'', false, date ''2026-01-01'' + r.i, ''month'', ''x''
		                FROM stmt_row r WHERE r.s = $1',
		               CASE WHEN p_s % 3 = 0 THEN 'official_result_2026' ELSE 'official_result' END) USING p_s;
		-- the rows named are locked FOR KEY SHARE by this statement's
		-- subtransaction (pgrowlocks lists the locks held now, not those of
		-- the statements rolled back before)
		SELECT (SELECT count(*) FROM kpi.official o JOIN pgrowlocks('kpi.official') l ON l.locked_row = o.ctid
		        WHERE 'For Key Share' = ANY (l.modes)
		          AND o.official_id IN (SELECT r.official_id FROM stmt_row r WHERE r.s = p_s))
		     + (SELECT count(*) FROM kpi.unit u JOIN pgrowlocks('kpi.unit') l ON l.locked_row = u.ctid
		        WHERE 'For Key Share' = ANY (l.modes)
		          AND u.unit_id IN (SELECT r.unit_id FROM stmt_row r WHERE r.s = p_s))
		     + (SELECT count(*) FROM kpi.evaluation_run e JOIN pgrowlocks('kpi.evaluation_run') l ON l.locked_row = e.ctid
		        WHERE 'For Key Share' = ANY (l.modes)
		          AND e.run_id IN (SELECT r.run_id FROM stmt_row r WHERE r.s = p_s))
		INTO v_locked;
		RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'undo';
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS v_code = RETURNED_SQLSTATE, v_detail = PG_EXCEPTION_DETAIL;
	END;
	INSERT INTO got VALUES (p_s, v_code, nullif(v_detail, ''), v_locked);
END $$;
SELECT count(pg_temp.run_statement(s)) FROM stmt;

SELECT ok((SELECT count(*) FROM expected WHERE n_missing > 0) BETWEEN 30 AND 270,
	'the random statements include both statements naming missing keys and statements that do not');
SELECT is((SELECT count(*) FROM got g JOIN expected e USING (s)
           WHERE (e.n_missing = 0) = (g.code = 'P0001') AND (e.n_missing > 0) = (g.code = '23503')),
          305::bigint,
	'a statement is accepted exactly when every run, official and unit it names exists (else 23503)');
SELECT is((SELECT count(*) FROM got g JOIN expected e USING (s)
           WHERE e.n_missing > 0 AND e.n_missing <= 10 AND g.detail = e.missing),
          (SELECT count(*) FROM expected WHERE n_missing BETWEEN 1 AND 10),
	'the error names exactly the keys missing: runs, officials, units, each ascending');
SELECT is((SELECT count(*) FROM got g JOIN expected e USING (s)
           WHERE e.n_missing > 10
             AND g.detail = (SELECT string_agg(x, ' ' ORDER BY n) FROM (
                    SELECT u.x || '.' AS x, u.n FROM unnest(string_to_array(rtrim(e.missing, '.'), '. ')) WITH ORDINALITY AS u(x, n)
                    WHERE u.n <= 10) y) || format(' And %s more keys.', e.n_missing - 10)),
          (SELECT count(*) FROM expected WHERE n_missing > 10),
	'with more than 10 keys missing, the first 10 are named and the rest counted');
SELECT is((SELECT count(*) FROM got g WHERE g.code = 'P0001'
             AND g.locked = (SELECT count(DISTINCT r.official_id) + count(DISTINCT r.unit_id) + count(DISTINCT r.run_id)
                             FROM stmt_row r WHERE r.s = g.s)),
          (SELECT count(*) FROM got WHERE code = 'P0001'),
	'an accepted statement has locked FOR KEY SHARE every official, unit and run it names');

-- the referenced side: results for some officials and units, then every
-- official and unit deleted in turn (each undone): refused exactly when a
-- result names it
INSERT INTO kpi.official_result (run_id, official_id, unit_id, task_group, is_leader, period_start, period_kind, input_digest)
SELECT DISTINCT ON (o) 1, o, 1 + floor(random() * 40)::bigint, 'default', false, date '2026-01-01', 'month', 'x'
FROM generate_series(1, 400) o WHERE random() < 0.3;
CREATE FUNCTION pg_temp.delete_refused(p_table text, p_id bigint) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		IF p_table = 'unit' THEN
			-- its officials let go first, past their own foreign key, so that
			-- only the results' guard can refuse
			SET LOCAL session_replication_role = replica;
			DELETE FROM kpi.official WHERE unit_id = p_id;
			SET LOCAL session_replication_role = origin;
			DELETE FROM kpi.unit WHERE unit_id = p_id;
		ELSE
			DELETE FROM kpi.official WHERE official_id = p_id;
		END IF;
		RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'undo';
	EXCEPTION WHEN OTHERS THEN
		RETURN SQLSTATE;
	END;
END $$;
SELECT is((SELECT count(*) FROM kpi.official o
           WHERE (pg_temp.delete_refused('official', o.official_id) = '23503')
                 = EXISTS (SELECT 1 FROM kpi.official_result r WHERE r.official_id = o.official_id)),
          400::bigint,
	'deleting an official is refused exactly when a result names it');
SELECT is((SELECT count(*) FROM kpi.unit u
           WHERE (pg_temp.delete_refused('unit', u.unit_id) = '23503')
                 = EXISTS (SELECT 1 FROM kpi.official_result r WHERE r.unit_id = u.unit_id)),
          40::bigint,
	'deleting a unit is refused exactly when a result names it');

SELECT * FROM finish();
ROLLBACK;
