-- test/pgtap/ledger.sql: the ledger's rows computed in C (kpi.ledger_lines,
-- kpi.official_ledger, kpi.agency_ledger, kpi.ledger_close; issue 15) against
-- an independent plain-SQL computation, the formulas of 0.1.0 kept here as the
-- oracle (schema oracle, rolled back with the rest): on random officials,
-- leaders and agencies with random marks, task lines (over-completion,
-- coefficients other than 1, numerics of several scales, no lines at all),
-- self-assessments and scores, under six rule sets (the cap on and off,
-- strict and partial progress, other task points and maxima, other deduction
-- rates), every ledger equals the oracle's as text: the same rows, order,
-- values, scales and jsonb details.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS kpi_eval_reference CASCADE;

SELECT plan(30);

SELECT setseed(0.1515);

------------------------------------------------------------------------------
-- The oracle: the SQL ledger helpers of 0.1.0 and 0.2.0 before issue 15
------------------------------------------------------------------------------
CREATE SCHEMA oracle;
CREATE OR REPLACE FUNCTION oracle.ledger_mark_rows(marks numeric[], maxima jsonb)
RETURNS TABLE (mark_no bigint, mark numeric, max numeric, points_lost numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT mk.n, mk.v, mx.m, pg_catalog.round(mx.m OPERATOR(pg_catalog.-) mk.v, 6)
	FROM pg_catalog.unnest(marks) WITH ORDINALITY AS mk(v, n)
	CROSS JOIN LATERAL (SELECT (maxima OPERATOR(pg_catalog.->>) (mk.n::int OPERATOR(pg_catalog.-) 1))::numeric AS m) mx
	WHERE mx.m OPERATOR(pg_catalog.<>) mk.v
$$;


CREATE OR REPLACE FUNCTION oracle.ledger_line_rows(t kpi.tally, points numeric, k integer, period_assigned numeric,
                                     strict boolean)
RETURNS TABLE (component integer, rule_id text, points_lost numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT comp.o, comp.rule_id,
	       pg_catalog.round(points OPERATOR(pg_catalog.*) (c.assigned OPERATOR(pg_catalog.-) comp.credit)
	                        OPERATOR(pg_catalog./) (k OPERATOR(pg_catalog.*) period_assigned), 6)
	FROM kpi.tally_components(t) c
	CROSS JOIN LATERAL (VALUES
		(1, 'CS5', c.quantity_credit),
		(2, 'CS6', c.quality_credit),
		(3, 'CS7', CASE WHEN strict THEN c.progress_credit_strict ELSE c.progress_credit END)
	) AS comp(o, rule_id, credit)
	WHERE c.assigned OPERATOR(pg_catalog.<>) comp.credit
$$;


CREATE OR REPLACE FUNCTION oracle.ledger_cap_rows(t kpi.tally, points numeric, k integer, strict boolean, rules jsonb)
RETURNS TABLE (component integer, name text, pct numeric, points_lost numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT comp.o, comp.name, comp.pct,
	       pg_catalog.round(points OPERATOR(pg_catalog.*) (comp.credit OPERATOR(pg_catalog.-) c.assigned)
	                        OPERATOR(pg_catalog./) (k OPERATOR(pg_catalog.*) c.assigned), 6)
	FROM kpi.tally_components(t) c
	CROSS JOIN LATERAL (VALUES
		(1, 'quantity', c.quantity_credit, kpi.quantity_pct(t, rules OPERATOR(pg_catalog.||) '{"cap": false}'::pg_catalog.jsonb)),
		(2, 'quality', c.quality_credit, kpi.quality_pct(t, rules OPERATOR(pg_catalog.||) '{"cap": false}'::pg_catalog.jsonb)),
		(3, 'progress', CASE WHEN strict THEN c.progress_credit_strict ELSE c.progress_credit END,
		 kpi.progress_pct(t, rules OPERATOR(pg_catalog.||) '{"cap": false}'::pg_catalog.jsonb))
	) AS comp(o, name, credit, pct)
	WHERE comp.credit OPERATOR(pg_catalog.>) c.assigned
$$;


CREATE OR REPLACE FUNCTION oracle.ledger_close(entries kpi.ledger_entry[], score numeric)
RETURNS kpi.ledger_entry[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT coalesce(entries, '{}')
	       OPERATOR(pg_catalog.||) ROW('N0.3', NULL, NULL,
	              100 OPERATOR(pg_catalog.-) score OPERATOR(pg_catalog.-)
	              coalesce((SELECT pg_catalog.sum(e.points_lost) FROM pg_catalog.unnest(entries) e), 0),
	              pg_catalog.jsonb_build_object('score', score))::kpi.ledger_entry
$$;


CREATE OR REPLACE FUNCTION oracle.self_differences(self_marks numeric[], self_dd numeric, self_e numeric,
                                                marks numeric[], dd numeric, e numeric, is_leader boolean,
                                                leader_full numeric)
RETURNS TABLE (o integer, item text, self numeric, approved numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	-- each mark, and a leader's dd and e (NULL: leader_full), that the decision changed
	SELECT m.o::integer, 'mark ' || m.o, m.s, m.a
	FROM unnest(self_differences.self_marks, self_differences.marks) WITH ORDINALITY AS m(s, a, o)
	WHERE self_differences.self_marks IS NOT NULL AND m.s IS DISTINCT FROM m.a
	UNION ALL
	SELECT 100 + c.o, c.item, c.s, c.a
	FROM (VALUES (1, 'dd', coalesce(self_differences.self_dd, self_differences.leader_full),
	                       coalesce(self_differences.dd, self_differences.leader_full)),
	             (2, 'e', coalesce(self_differences.self_e, self_differences.leader_full),
	                      coalesce(self_differences.e, self_differences.leader_full))) AS c(o, item, s, a)
	WHERE self_differences.self_marks IS NOT NULL AND self_differences.is_leader AND c.s IS DISTINCT FROM c.a
	ORDER BY 1
$$;

------------------------------------------------------------------------------
-- Random inputs
------------------------------------------------------------------------------
CREATE TEMP TABLE rs (rs_no integer PRIMARY KEY, rules jsonb);
INSERT INTO rs VALUES
	(1, '{}'),
	(2, '{"progress_reading": "strict"}'),
	(3, '{"cap": false}'),
	(4, '{"progress_reading": "strict", "cap": false}'),
	(5, '{"general_points": 40, "task_points": 60, "general_marks_max": [10, 10, 5, 5, 5, 5],
	      "agency_marks_max": [10, 10, 10, 10],
	      "ministry_template": {"work_plan": 45, "procedures": 10, "par": 5, "sipas": 0, "pci": 0, "dti": 0},
	      "province_template": {"work_plan": 35, "procedures": 5, "par": 5, "sipas": 5, "pci": 5, "dti": 5}}'),
	(6, '{"quality_deduction": 0.5, "progress_deduction": 0.1, "leader_full": 90, "leader_reduced": 45}');

-- a value in one of several scales (1, 1.0, 1.00)
CREATE FUNCTION pg_temp.scaled(v numeric, r double precision) RETURNS numeric LANGUAGE sql AS $$
	SELECT CASE WHEN r < 0.6 THEN v WHEN r < 0.8 THEN round(v, 1) ELSE round(v, 2) END
$$;

CREATE TEMP TABLE off AS
SELECT g AS official_id, random() < 0.3 AS is_leader,
       CASE WHEN random() < 0.1 THEN NULL
            ELSE ARRAY(SELECT pg_temp.scaled(m.max - (ARRAY[0, 0, 0, 0, 0.5, 1, 2.5, -0.5, 0.25])[1 + floor(random() * 9)::int],
                                             random())
                       FROM unnest('{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'::numeric[]) WITH ORDINALITY m(max, i)
                       WHERE g IS NOT NULL ORDER BY m.i) END AS marks,
       CASE WHEN random() < 0.05 THEN NULL ELSE round((random() * 100)::numeric, 2) END AS score,
       (ARRAY[100, 50, 100, 100.0])[1 + floor(random() * 4)::int] AS d,
       (ARRAY[100, 50, NULL, 100, 90, 45.0])[1 + floor(random() * 6)::int] AS dd,
       (ARRAY[100, 50, NULL, 100.00, 90])[1 + floor(random() * 5)::int] AS e,
       (ARRAY[true, false, NULL])[1 + floor(random() * 3)::int] AS has_criteria,
       CASE WHEN random() < 0.2 THEN NULL ELSE 100 + floor(random() * 20)::bigint END AS in_charge,
       random() AS self_r,
       (ARRAY[NULL, 50, 100, 90])[1 + floor(random() * 4)::int] AS self_dd,
       (ARRAY[NULL, 50, 100.0])[1 + floor(random() * 3)::int] AS self_e
FROM generate_series(1, 400) g;
-- self-assessments: none, the same, some marks changed, a shorter form
ALTER TABLE off ADD COLUMN self_marks numeric[];
UPDATE off SET self_marks = CASE WHEN self_r < 0.4 THEN NULL
                                 WHEN self_r < 0.6 THEN marks
                                 WHEN self_r < 0.9 THEN ARRAY(SELECT CASE WHEN random() < 0.3 THEN m.v + 0.5 ELSE m.v END
                                                              FROM unnest(marks) WITH ORDINALITY m(v, i)
                                                              WHERE official_id IS NOT NULL ORDER BY m.i)
                                 ELSE marks[1:7] END;

-- 0 to 8 task lines each (none for every ninth official), completion up to
-- 150%; and one line so heavy that a row's quotient lies within 10^-12
-- below a half (70 / 3 / 46666666.6667 = 0.00000049999999999964)
CREATE TEMP TABLE line AS
SELECT row_number() OVER (ORDER BY o.official_id, k) * 7 % 10007 AS task_id, o.official_id,
       (ARRAY[1, 2, 0.5, 1.25, 1.0, 3])[1 + floor(random() * 6)::int] AS coef,
       pg_temp.scaled((1 + floor(random() * 40)::int)::numeric / 2, random()) AS assigned_qty,
       random() AS c_r, random() AS p_r,
       floor(random() * 3)::int AS quality_errors, floor(random() * 3)::int AS late_events
FROM off o CROSS JOIN LATERAL generate_series(1, o.official_id % 9) k;
ALTER TABLE line ADD COLUMN completed_qty numeric, ADD COLUMN passed_qty numeric;
UPDATE line SET completed_qty = CASE WHEN c_r < 0.5 THEN assigned_qty ELSE round(assigned_qty * (c_r * 1.5)::numeric, 1) END;
UPDATE line SET passed_qty = CASE WHEN p_r < 0.6 THEN completed_qty ELSE floor(completed_qty * p_r::numeric) END;
-- and two whose rows are exactly half a millionth: 70 / 3 x 3 / 140000000,
-- rounded away from zero to 0.000001 and -0.000001 (N0.3)
INSERT INTO off (official_id, is_leader, marks, score, d, dd, e, has_criteria, in_charge, self_marks)
VALUES (9999, false, NULL, 99.99, 100, NULL, NULL, false, NULL, NULL),
       (9998, false, NULL, 99.99, 100, NULL, NULL, false, NULL, NULL),
       (9997, false, NULL, 99.99, 100, NULL, NULL, false, NULL, NULL);
INSERT INTO line (task_id, official_id, coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)
VALUES (20000, 9999, 1, 46666666.6667, 46666665.6667, 46666665.6667, 0, 0),
       (20001, 9998, 1, 140000000, 139999997, 139999997, 0, 0),
       (20002, 9997, 1, 140000000, 140000003, 140000003, 0, 0);

-- every line's tally under every rule set
CREATE TEMP TABLE lt AS
SELECT rs.rs_no, rs.rules, l.*,
       (SELECT kpi.tally_agg(v.c, v.a, v.d, v.p, v.q, v.l, rs.rules)
        FROM (VALUES (l.coef, l.assigned_qty, l.completed_qty, l.passed_qty, l.quality_errors, l.late_events))
             v(c, a, d, p, q, l)) AS t
FROM rs CROSS JOIN line l;

CREATE TEMP TABLE ow AS
SELECT rs.rs_no, rs.rules, kpi.effective_rules(rs.rules) AS eff, o.*, p.tally,
       CASE WHEN o.is_leader THEN 6 ELSE 3 END AS k, c.assigned AS w
FROM rs CROSS JOIN off o
LEFT JOIN (SELECT lt.rs_no, lt.official_id, kpi.rollup(lt.t) AS tally FROM lt GROUP BY 1, 2) p
  ON p.rs_no = rs.rs_no AND p.official_id = o.official_id
CROSS JOIN LATERAL kpi.tally_components(p.tally) c;

------------------------------------------------------------------------------
-- Officials: the month's ledger as kpi.score_period wrote it in SQL
------------------------------------------------------------------------------
CREATE TEMP TABLE old_ledger AS
WITH lrows AS (
	SELECT ow.rs_no, ow.official_id, 1 AS g1, m.mark_no AS g2, 0 AS g3, 'CS3' AS rule_id,
	       'general_mark' AS source_table, NULL::bigint AS source_id, m.points_lost AS pts,
	       jsonb_build_object('mark_no', m.mark_no, 'mark', m.mark, 'max', m.max) AS detail
	FROM ow
	CROSS JOIN LATERAL oracle.ledger_mark_rows(ow.marks, ow.eff -> 'general_marks_max') m
	WHERE ow.score IS NOT NULL
	UNION ALL
	SELECT ow.rs_no, ln.official_id, 2, ln.task_id, lr.component, lr.rule_id, 'task_line', ln.task_id,
	       lr.points_lost,
	       jsonb_build_object('coef', ln.coef, 'assigned_qty', ln.assigned_qty,
	                          'completed_qty', ln.completed_qty, 'passed_qty', ln.passed_qty,
	                          'quality_errors', ln.quality_errors, 'late_events', ln.late_events,
	                          'progress_reading', ow.eff ->> 'progress_reading')
	FROM lt ln
	JOIN ow ON ow.official_id = ln.official_id AND ow.rs_no = ln.rs_no
	CROSS JOIN LATERAL oracle.ledger_line_rows(ln.t, (ow.eff ->> 'task_points')::numeric, ow.k, ow.w,
	                                           ow.eff ->> 'progress_reading' = 'strict') lr
	WHERE ow.score IS NOT NULL
	UNION ALL
	SELECT ow.rs_no, ow.official_id, 3, cr.component, 0, 'CS8', NULL, NULL, cr.points_lost,
	       jsonb_build_object('component', cr.name, 'pct', cr.pct)
	FROM ow
	CROSS JOIN LATERAL oracle.ledger_cap_rows(ow.tally, (ow.eff ->> 'task_points')::numeric, ow.k,
	                                          ow.eff ->> 'progress_reading' = 'strict', ow.rules) cr
	WHERE (ow.eff ->> 'cap')::boolean AND ow.score IS NOT NULL
	UNION ALL
	SELECT ow.rs_no, ow.official_id, 4, comp.o, 0, 'CS10', comp.src,
	       CASE WHEN comp.o = 1 THEN ow.in_charge END,
	       round((ow.eff ->> 'task_points')::numeric * (100 - comp.v) / 600, 6),
	       jsonb_build_object('criterion', comp.name, 'value', comp.v,
	                          'recorded', comp.o = 1 OR ow.has_criteria)
	FROM ow
	CROSS JOIN LATERAL (VALUES (1, 'd', ow.d, 'unit'), (2, 'dd', ow.dd, 'leader_criteria'),
	                           (3, 'e', ow.e, 'leader_criteria')) AS comp(o, name, v, src)
	WHERE ow.is_leader AND comp.v <> 100 AND ow.score IS NOT NULL
	UNION ALL
	SELECT ow.rs_no, ow.official_id, 5, cy.o, 0, 'CY1', 'assessment', NULL, round(0, 6),
	       jsonb_build_object('item', cy.item, 'self', cy.self, 'approved', cy.approved)
	FROM ow
	CROSS JOIN LATERAL oracle.self_differences(ow.self_marks, ow.self_dd, ow.self_e, ow.marks, ow.dd, ow.e,
	                                           ow.is_leader, (ow.eff ->> 'leader_full')::numeric) cy
	WHERE ow.score IS NOT NULL
)
SELECT ow.rs_no, ow.official_id,
       CASE WHEN ow.score IS NOT NULL THEN
       oracle.ledger_close(array_agg(ROW(x.rule_id, x.source_table, x.source_id, x.pts, x.detail)::kpi.ledger_entry
                                     ORDER BY x.g1, x.g2, x.g3) FILTER (WHERE x.rule_id IS NOT NULL),
                           ow.score) END AS ledger
FROM ow
LEFT JOIN lrows x ON x.official_id = ow.official_id AND x.rs_no = ow.rs_no
GROUP BY ow.rs_no, ow.official_id, ow.score;

-- the same through the C functions, as kpi.score_period calls them now
CREATE TEMP TABLE new_ledger AS
SELECT ow.rs_no, ow.official_id,
       kpi.official_ledger(x.lines, ow.tally, ow.marks, ow.score, ow.d, ow.dd, ow.e, ow.is_leader,
                           ow.has_criteria, ow.in_charge, ow.self_marks, ow.self_dd, ow.self_e, ow.rules) AS ledger
FROM ow
LEFT JOIN (SELECT ln.rs_no, ln.official_id,
                  kpi.ledger_lines(ln.task_id, ln.t, ln.coef, ln.assigned_qty, ln.completed_qty, ln.passed_qty,
                                   ln.quality_errors, ln.late_events, o.tally, (o.eff ->> 'task_points')::numeric,
                                   o.is_leader, false, ln.rules) AS lines
           FROM lt ln JOIN ow o ON o.official_id = ln.official_id AND o.rs_no = ln.rs_no
           GROUP BY 1, 2) x ON x.rs_no = ow.rs_no AND x.official_id = ow.official_id;

SELECT is((SELECT count(*) FROM old_ledger), (SELECT count(*) FROM new_ledger), 'as many ledgers');
SELECT is((SELECT count(*) FROM old_ledger o JOIN new_ledger n USING (rs_no, official_id)
           WHERE o.rs_no = r.rs_no AND o.ledger::text IS DISTINCT FROM n.ledger::text), 0::bigint,
          format('officials'' ledgers equal the oracle''s as text under %s', r.rules))
FROM rs r ORDER BY r.rs_no;

-- what the random inputs covered (so that the equalities above mean something)
CREATE TEMP TABLE new_rows AS
SELECT n.rs_no, n.official_id, e.*
FROM new_ledger n CROSS JOIN LATERAL unnest(n.ledger) e;
SELECT ok(count(DISTINCT rule_id) = 8, 'every kind of row: CS3, CS5-CS8, CS10, CY1, N0.3') FROM new_rows;
SELECT ok(count(*) > 100, 'over-completion rows (negative points)') FROM new_rows WHERE rule_id IN ('CS5', 'CS6', 'CS7') AND points_lost < 0;
SELECT ok(count(*) > 10 AND bool_and(rs_no IN (1, 2, 5, 6)), 'CS8 rows, and only when the rules cap') FROM new_rows WHERE rule_id = 'CS8';
SELECT ok(count(*) FILTER (WHERE detail -> 'recorded' = 'null') > 0 AND count(*) FILTER (WHERE source_table = 'unit' AND source_id IS NULL) > 0,
          'CS10 rows with recorded NULL and with no unit in charge') FROM new_rows WHERE rule_id = 'CS10';
SELECT ok(count(*) FILTER (WHERE detail ->> 'item' = 'dd') > 0 AND count(*) FILTER (WHERE detail -> 'self' = 'null') > 0,
          'CY1 rows of a leader''s dd and of marks missing from the self-assessment') FROM new_rows WHERE rule_id = 'CY1';
SELECT ok(count(*) = 6, 'the line near a half gives 0.000000 (numeric''s own path)')
FROM new_rows WHERE official_id = 9999 AND rule_id = 'CS5' AND points_lost::text = '0.000000';
SELECT is(array_agg(points_lost::text ORDER BY official_id DESC), '{0.000001,-0.000001}',
          'rows of exactly half a millionth round away from zero')
FROM new_rows WHERE official_id IN (9998, 9997) AND rule_id = 'CS5' AND rs_no = 1;
SELECT ok(count(*) > 0, 'marks in other scales kept in the details') FROM new_rows WHERE rule_id = 'CS3' AND detail ->> 'mark' LIKE '%.%0';
SELECT is((SELECT count(*) FROM new_ledger WHERE ledger IS NULL), (SELECT count(*) FROM ow WHERE score IS NULL),
          'no ledger without a score');
SELECT is((SELECT count(*) FROM new_ledger n WHERE (SELECT sum(points_lost) FROM unnest(n.ledger)) <> 100 - (SELECT score FROM off WHERE official_id = n.official_id)),
          0::bigint, 'every ledger adds up to 100 - score');
-- points with more decimals than a fixed point holds: numeric's path for every row
SELECT is((SELECT kpi.ledger_lines(ln.task_id, ln.t, ln.coef, ln.assigned_qty, ln.completed_qty, ln.passed_qty,
                                   ln.quality_errors, ln.late_events, o.tally, 70.000001, true, false, '{}')::text
           FROM lt ln JOIN ow o ON o.rs_no = 1 AND o.official_id = 8 WHERE ln.rs_no = 1 AND ln.official_id = 8),
          (SELECT array_agg(ROW(lr.rule_id, 'task_line', ln.task_id, lr.points_lost,
                                jsonb_build_object('coef', ln.coef, 'assigned_qty', ln.assigned_qty,
                                                   'completed_qty', ln.completed_qty, 'passed_qty', ln.passed_qty,
                                                   'quality_errors', ln.quality_errors, 'late_events', ln.late_events,
                                                   'progress_reading', 'partial'))::kpi.ledger_entry
                            ORDER BY ln.task_id, lr.component)::text
           FROM lt ln
           CROSS JOIN LATERAL oracle.ledger_line_rows(ln.t, 70.000001, 6,
                                                      (SELECT c.assigned FROM ow CROSS JOIN LATERAL kpi.tally_components(ow.tally) c
                                                       WHERE ow.rs_no = 1 AND ow.official_id = 8), false) lr
           WHERE ln.rs_no = 1 AND ln.official_id = 8),
          'kpi.ledger_lines with 6-decimal points and k = 6 equals the oracle');

-- partial states combined (a parallel plan: Partial and Finalize aggregates)
-- give the same rows in the same order
CREATE TABLE pl AS SELECT ln.*, o.tally AS period, o.is_leader FROM lt ln JOIN ow o USING (rs_no, official_id) WHERE ln.rs_no = 1;
ANALYZE pl;
CREATE TEMP TABLE serial_lines AS
SELECT pl.official_id, kpi.ledger_lines(pl.task_id, pl.t, pl.coef, pl.assigned_qty, pl.completed_qty, pl.passed_qty,
                                        pl.quality_errors, pl.late_events, pl.period, 70, pl.is_leader, false, '{}')::text AS l
FROM pl GROUP BY pl.official_id;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL enable_hashagg = off;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; t text := '';
BEGIN
	FOR r IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP t := t || r || E'\n'; END LOOP;
	RETURN t;
END $$;
SELECT ok(pg_temp.plan_of($$SELECT pl.official_id, kpi.ledger_lines(pl.task_id, pl.t, pl.coef, pl.assigned_qty, pl.completed_qty,
                                  pl.passed_qty, pl.quality_errors, pl.late_events, pl.period, 70, pl.is_leader, false, '{}')
                           FROM pl GROUP BY pl.official_id$$) ~ 'Partial GroupAggregate',
          'kpi.ledger_lines can be aggregated in parallel (partial states combined)');
SELECT is((SELECT count(*) FROM (SELECT pl.official_id,
                                        kpi.ledger_lines(pl.task_id, pl.t, pl.coef, pl.assigned_qty, pl.completed_qty,
                                                         pl.passed_qty, pl.quality_errors, pl.late_events, pl.period, 70,
                                                         pl.is_leader, false, '{}')::text AS l
                                 FROM pl GROUP BY pl.official_id) p
           FULL JOIN serial_lines s USING (official_id)
           WHERE p.l IS DISTINCT FROM s.l),
          0::bigint, 'the parallel plan''s rows equal the serial ones, in the same order');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;

------------------------------------------------------------------------------
-- Agencies: the marks (AG2), the work plan's lines and its cap (CS8), the
-- procedures (AG3) and the indices (IX1-IX4)
------------------------------------------------------------------------------
CREATE TEMP TABLE ag AS
SELECT rs.rs_no, rs.rules, kpi.effective_rules(rs.rules) AS eff, o.official_id AS unit_id,
       CASE WHEN o.official_id % 2 = 0 THEN 'ministry' ELSE 'province' END AS kind,
       ARRAY(SELECT pg_temp.scaled(7.5 - (ARRAY[0, 0, 1, 2.5, 0.75])[1 + floor(random() * 5)::int], random())
             FROM generate_series(1, 4) i WHERE o.official_id IS NOT NULL) AS marks,
       o.score, p.tally AS t, c.assigned AS w
FROM rs CROSS JOIN off o
LEFT JOIN (SELECT lt.rs_no, lt.official_id, kpi.rollup(lt.t) AS tally FROM lt GROUP BY 1, 2) p
  ON p.rs_no = rs.rs_no AND p.official_id = o.official_id
CROSS JOIN LATERAL kpi.tally_components(p.tally) c
WHERE o.official_id <= 80 AND o.score IS NOT NULL;
ALTER TABLE ag ADD COLUMN wp numeric, ADD COLUMN tpl jsonb, ADD COLUMN dossiers bigint, ADD COLUMN on_time bigint,
	ADD COLUMN online bigint, ADD COLUMN indices jsonb, ADD COLUMN idx_values jsonb, ADD COLUMN used_indices jsonb,
	ADD COLUMN lm_score numeric, ADD COLUMN lm_par_weight numeric, ADD COLUMN lm_roles boolean;
UPDATE ag SET wp = (eff -> (kind || '_template') ->> 'work_plan')::numeric, tpl = eff -> (kind || '_template'),
              dossiers = CASE WHEN random() < 0.2 THEN 0 ELSE floor(random() * 200)::bigint END;
UPDATE ag SET on_time = CASE WHEN random() < 0.3 THEN dossiers ELSE floor(dossiers * random())::bigint END,
              online = CASE WHEN random() < 0.3 THEN dossiers ELSE floor(dossiers * random())::bigint END,
              indices = (SELECT jsonb_object_agg(c, CASE WHEN random() < 0.3 THEN 1 ELSE round(random()::numeric, 4) END)
                         FROM unnest('{par,sipas,pci,dti}'::text[]) c WHERE random() < 0.85 AND unit_id IS NOT NULL);
UPDATE ag SET idx_values = (SELECT jsonb_object_agg(k, round((v::text)::numeric * 100, 2)) FROM jsonb_each(indices) x(k, v)),
              lm_roles = kind = 'ministry' AND random() < 0.5;
UPDATE ag SET lm_score = CASE WHEN lm_roles THEN round((random() * 100)::numeric, 2) END,
              lm_par_weight = CASE WHEN lm_roles THEN 0.5 END;
UPDATE ag SET used_indices = CASE WHEN lm_roles
                                  THEN coalesce(indices, '{}') || jsonb_build_object('par',
                                       round(coalesce((indices ->> 'par')::numeric, 0) * 0.5 + lm_score / 200, 4))
                                  ELSE indices END;

CREATE TEMP TABLE old_ag AS
WITH lrows AS (
	SELECT ag.rs_no, ag.unit_id, 1 AS g1, m.mark_no AS g2, 0 AS g3, 'AG2' AS rule_id,
	       'agency_input' AS source_table, ag.unit_id AS source_id, m.points_lost AS pts,
	       jsonb_build_object('year', 2026, 'mark_no', m.mark_no, 'mark', m.mark, 'max', m.max) AS detail
	FROM ag CROSS JOIN LATERAL oracle.ledger_mark_rows(ag.marks, ag.eff -> 'agency_marks_max') m
	UNION ALL
	SELECT ag.rs_no, ln.official_id, 2, ln.task_id, lr.component, lr.rule_id, 'task_line', ln.task_id, lr.points_lost,
	       jsonb_build_object('coef', ln.coef, 'assigned_qty', ln.assigned_qty,
	                          'completed_qty', ln.completed_qty, 'passed_qty', ln.passed_qty,
	                          'quality_errors', ln.quality_errors, 'late_events', ln.late_events,
	                          'progress_reading', ag.eff ->> 'progress_reading', 'work_plan', true)
	FROM lt ln JOIN ag ON ag.unit_id = ln.official_id AND ag.rs_no = ln.rs_no
	CROSS JOIN LATERAL oracle.ledger_line_rows(ln.t, ag.wp, 3, ag.w, ag.eff ->> 'progress_reading' = 'strict') lr
	WHERE ag.wp > 0
	UNION ALL
	SELECT ag.rs_no, ag.unit_id, 3, cr.component, 0, 'CS8', NULL, NULL, cr.points_lost,
	       jsonb_build_object('component', cr.name, 'pct', cr.pct, 'work_plan', true)
	FROM ag CROSS JOIN LATERAL oracle.ledger_cap_rows(ag.t, ag.wp, 3, ag.eff ->> 'progress_reading' = 'strict', ag.rules) cr
	WHERE ag.wp > 0 AND (ag.eff ->> 'cap')::boolean
	UNION ALL
	SELECT aw.rs_no, aw.unit_id, 4, part.o, 0, 'AG3', 'agency_input', aw.unit_id,
	       round(part.weight * (aw.dossiers - part.counted) / aw.dossiers, 6),
	       jsonb_build_object('year', 2026, 'part', part.name, 'dossiers', aw.dossiers,
	                          'counted', part.counted, 'weight', part.weight)
	FROM ag aw
	CROSS JOIN LATERAL (VALUES
		(1, 'on_time', aw.on_time,
		 (aw.tpl ->> 'procedures')::numeric * (1 - (aw.eff ->> 'procedures_online_weight')::numeric)),
		(2, 'online', aw.online,
		 (aw.tpl ->> 'procedures')::numeric * (aw.eff ->> 'procedures_online_weight')::numeric)
	) AS part(o, name, counted, weight)
	WHERE aw.dossiers > 0 AND part.weight > 0 AND part.counted < aw.dossiers
	UNION ALL
	SELECT aw.rs_no, aw.unit_id, 5, ix.o, 0, ix.rule_id, 'index_value', NULL,
	       round(ix.weight * (1 - (aw.used_indices ->> ix.code)::numeric), 6),
	       jsonb_build_object('year', 2026, 'code', ix.code,
	                          'index_value', aw.idx_values -> ix.code,
	                          'fraction', aw.used_indices -> ix.code, 'weight', ix.weight)
	       || CASE WHEN ix.code = 'par' AND aw.lm_roles
	               THEN jsonb_build_object('index_fraction', aw.indices -> 'par', 'lawmaking_score', aw.lm_score,
	                                       'lawmaking_par_weight', aw.lm_par_weight)
	               ELSE '{}' END
	FROM ag aw
	CROSS JOIN LATERAL (VALUES (1, 'IX1', 'par', (aw.tpl ->> 'par')::numeric),
	                           (2, 'IX2', 'sipas', (aw.tpl ->> 'sipas')::numeric),
	                           (3, 'IX3', 'pci', (aw.tpl ->> 'pci')::numeric),
	                           (4, 'IX4', 'dti', (aw.tpl ->> 'dti')::numeric)) AS ix(o, rule_id, code, weight)
	WHERE ix.weight > 0 AND (aw.used_indices ->> ix.code)::numeric < 1
)
SELECT ag.rs_no, ag.unit_id,
       oracle.ledger_close(array_agg(ROW(x.rule_id, x.source_table, x.source_id, x.pts, x.detail)::kpi.ledger_entry
                                     ORDER BY x.g1, x.g2, x.g3) FILTER (WHERE x.rule_id IS NOT NULL), ag.score) AS ledger
FROM ag LEFT JOIN lrows x ON x.unit_id = ag.unit_id AND x.rs_no = ag.rs_no
GROUP BY ag.rs_no, ag.unit_id, ag.score;

CREATE TEMP TABLE new_ag AS
SELECT ag.rs_no, ag.unit_id,
       kpi.agency_year_ledger(ag.unit_id, 2026, ag.kind, ag.marks, ag.t, ag.wp, x.lines, ag.dossiers, ag.on_time, ag.online,
                         ag.used_indices, ag.idx_values, ag.indices, ag.lm_score, ag.lm_par_weight, ag.lm_roles,
                         ag.score, ag.rules) AS ledger
FROM ag
LEFT JOIN (SELECT ln.rs_no, ln.official_id,
                  kpi.ledger_lines(ln.task_id, ln.t, ln.coef, ln.assigned_qty, ln.completed_qty, ln.passed_qty,
                                   ln.quality_errors, ln.late_events, a.t, a.wp, false, true, ln.rules) AS lines
           FROM lt ln JOIN ag a ON a.unit_id = ln.official_id AND a.rs_no = ln.rs_no
           GROUP BY 1, 2) x ON x.rs_no = ag.rs_no AND x.official_id = ag.unit_id;

SELECT is((SELECT count(*) FROM old_ag o JOIN new_ag n USING (rs_no, unit_id)
           WHERE o.ledger::text IS DISTINCT FROM n.ledger::text), 0::bigint,
          'agencies'' ledgers equal the oracle''s as text under every rule set');
SELECT ok((SELECT count(DISTINCT e.rule_id) FROM new_ag n CROSS JOIN LATERAL unnest(n.ledger) e) = 11,
          'agencies: AG2, CS5-CS8, AG3, IX1-IX4 and N0.3');
SELECT ok((SELECT count(*) FROM new_ag n CROSS JOIN LATERAL unnest(n.ledger) e WHERE e.detail ? 'lawmaking_score') > 0,
          'agencies: PAR rows under law-making (LM7)');

------------------------------------------------------------------------------
-- The year's shares (CS12): each scored period's (100 - score) / periods
------------------------------------------------------------------------------
CREATE TEMP TABLE yp AS
SELECT o.official_id, 100 + m AS run_id, make_date(2026, m, 1) AS period_start,
       CASE WHEN random() < 0.1 THEN NULL
            WHEN random() < 0.2 THEN round((random() * 100)::numeric, 4)
            ELSE round((random() * 100)::numeric, 2) END AS score
FROM off o CROSS JOIN generate_series(1, 12) m
WHERE o.official_id <= 200 AND m <= 1 + o.official_id % 12;
INSERT INTO yp VALUES (201, 1, '2026-01-01', 100.00), (201, 2, '2026-02-01', 0), (201, 3, '2026-03-01', 33.33);
CREATE TEMP TABLE yn AS SELECT official_id, count(score) AS scored FROM yp GROUP BY official_id;
SELECT is((SELECT count(*) FROM
           (SELECT y.official_id,
                   array_agg(ROW('CS12', 'official_result', y.run_id, round((100 - y.score) / n.scored, 6),
                                 jsonb_build_object('period_start', y.period_start, 'period_kind', 'month',
                                                    'score', y.score, 'periods', n.scored))::kpi.ledger_entry
                             ORDER BY y.period_start)::text AS l
            FROM yp y JOIN yn n USING (official_id) WHERE y.score IS NOT NULL GROUP BY y.official_id) o
           FULL JOIN
           (SELECT y.official_id,
                   kpi.period_shares(array_agg(y.run_id), array_agg(y.period_start), 'month',
                                     array_agg(y.score))::text AS l
            FROM (SELECT * FROM yp ORDER BY random()) y
            GROUP BY y.official_id HAVING count(y.score) > 0) c USING (official_id)
           WHERE o.l IS DISTINCT FROM c.l),
          0::bigint, 'kpi.period_shares equals the oracle (CS12), whatever the order of the periods');
SELECT is(kpi.period_shares(ARRAY[7, 8], ARRAY[date '2026-02-01', '2026-01-01'], 'month', ARRAY[NULL, NULL]::numeric[]),
          '{}'::kpi.ledger_entry[], 'kpi.period_shares: no rows when no period is scored');
SELECT throws_ok($$SELECT kpi.period_shares(ARRAY[1, 2], ARRAY[date '2026-01-01'], 'month', ARRAY[1, 2])$$,
                 '2202E', 'run_ids, starts and scores must have the same length',
                 'kpi.period_shares: arrays of different lengths are refused (2202E)');
SELECT throws_ok($$SELECT kpi.period_shares(ARRAY[[1], [2]], ARRAY[date '2026-01-01', '2026-02-01'], 'month', ARRAY[1, 2])$$,
                 '2202E', 'run_ids must be a one-dimensional array',
                 'kpi.period_shares: an array of two dimensions is refused (2202E)');

------------------------------------------------------------------------------
-- kpi.ledger_close alone
------------------------------------------------------------------------------
SELECT is((SELECT array_agg(kpi.ledger_close(v.e, v.s)::text ORDER BY v.n) FROM (VALUES
	(1, ARRAY[ROW('CS3', 'general_mark', NULL, 0.5, '{}')::kpi.ledger_entry], 99.33),
	(2, NULL, 90.00),
	(3, '{}', 100),
	(4, ARRAY[ROW('X', NULL, 1, NULL, '{}')::kpi.ledger_entry, ROW('Y', NULL, 2, 1.25, '{"a": 1}')::kpi.ledger_entry], 95.5),
	(5, ARRAY[ROW('X', NULL, 1, 2.1234567, '{}')::kpi.ledger_entry], NULL)) v(n, e, s)),
	(SELECT array_agg(oracle.ledger_close(v.e, v.s)::text ORDER BY v.n) FROM (VALUES
	(1, ARRAY[ROW('CS3', 'general_mark', NULL, 0.5, '{}')::kpi.ledger_entry], 99.33),
	(2, NULL, 90.00),
	(3, '{}', 100),
	(4, ARRAY[ROW('X', NULL, 1, NULL, '{}')::kpi.ledger_entry, ROW('Y', NULL, 2, 1.25, '{"a": 1}')::kpi.ledger_entry], 95.5),
	(5, ARRAY[ROW('X', NULL, 1, 2.1234567, '{}')::kpi.ledger_entry], NULL)) v(n, e, s)),
	'kpi.ledger_close equals the oracle (NULL entries, NULL points, NULL score, other scales)');

-- kpi.quota_ledger (CS15): the row kpi.score_period built in SQL before, over
-- random decisions (NULL tiers, ties, approvals and facts; NaN rates)
CREATE TEMP TABLE qd AS
SELECT g,
       (ARRAY['xuat_sac', 'tot', 'hoan_thanh', 'khong_hoan_thanh', NULL])[1 + floor(random() * 5)::int]::kpi.tier AS tier,
       (ARRAY['xuat_sac', 'tot', 'hoan_thanh', NULL])[1 + floor(random() * 4)::int]::kpi.tier AS q_tier,
       (ARRAY[true, false, NULL])[1 + floor(random() * 3)::int] AS tie,
       CASE WHEN random() < 0.5 THEN floor(random() * 1000)::int END AS approval,
       CASE WHEN random() < 0.5 THEN 'nhóm "' || g || '"' END AS quota_group,
       CASE WHEN random() < 0.9 THEN floor(random() * 10 ^ 12)::bigint END AS unit_id,
       CASE WHEN random() < 0.5 THEN 'chuyen_vien' END AS task_group,
       CASE WHEN random() < 0.9 THEN floor(random() * 500)::bigint END AS n,
       CASE WHEN random() < 0.9 THEN floor(random() * 500)::bigint END AS m,
       CASE WHEN random() < 0.9 THEN floor(random() * 100)::bigint END AS kept,
       CASE WHEN random() < 0.05 THEN 'NaN'::numeric WHEN random() < 0.9 THEN round(random()::numeric, floor(random() * 8)::int) END AS rate,
       CASE WHEN random() < 0.5 THEN 'QĐ ' || g || E'/\\"x' END AS decision
FROM generate_series(1, 3000) g;
SELECT is((SELECT count(*) FROM qd
           WHERE kpi.quota_ledger(qd.tier, qd.q_tier, qd.tie, qd.approval, qd.quota_group, qd.unit_id, qd.task_group,
                                  qd.n, qd.m, qd.kept, qd.rate, qd.decision)::text
                 IS DISTINCT FROM (CASE WHEN qd.q_tier <> qd.tier OR qd.tie
                                        THEN ARRAY[ROW('CS15', CASE WHEN qd.approval IS NOT NULL THEN 'quota_approval' END,
                                                       qd.approval::bigint, round(0, 6),
                                                       jsonb_build_object('quota_group', qd.quota_group, 'unit_id', qd.unit_id,
                                                                          'task_group', qd.task_group, 'candidates', qd.n,
                                                                          'good', qd.m, 'kept', qd.kept, 'rate', qd.rate,
                                                                          'decision', qd.decision, 'tie', qd.tie,
                                                                          'demoted', qd.q_tier <> qd.tier))::kpi.ledger_entry]
                                        ELSE '{}' END)::text), 0::bigint,
	'kpi.quota_ledger is the CS15 row jsonb_build_object made, over 3,000 random decisions');
SELECT ok((SELECT count(*) FILTER (WHERE cardinality(kpi.quota_ledger(qd.tier, qd.q_tier, qd.tie, qd.approval, qd.quota_group,
                                                                      qd.unit_id, qd.task_group, qd.n, qd.m, qd.kept, qd.rate,
                                                                      qd.decision)) = 1) BETWEEN 1000 AND 2500 FROM qd)
          AND cardinality(kpi.quota_ledger('tot', 'tot', false, 1, NULL, 1, NULL, 1, 1, 1, 0.1, NULL)) = 0
          AND cardinality(kpi.quota_ledger(NULL, 'tot', NULL, 1, NULL, 1, NULL, 1, 1, 1, 0.1, NULL)) = 0,
	'kpi.quota_ledger gives no row without a demotion or a tie (NULL tiers demote no one), one with either');

SELECT * FROM finish();
ROLLBACK;
