-- test/pgtap/properties.sql
-- Properties of the scoring core over a few thousand random task lines
-- (rules.md N0.2 exactness, CS4-CS12): rollup = recomputation, serial =
-- parallel, moving windows = recomputation, the numeric decoder, the plain
-- SQL formulas of the spec, order independence.
--
-- Runs on its own in a database where pgtap exists:
--   pg_prove -d DB test/pgtap/properties.sql
-- Everything is created inside the transaction and rolled back.  The tables
-- are real (not temporary) so that parallel workers can scan them.
BEGIN;
CREATE EXTENSION IF NOT EXISTS kpi_eval;
SELECT plan(135);

------------------------------------------------------------------------------
-- Data: 24000 random task lines (setseed makes them the same on every run),
-- 400 officials x 12 months, plus 20 officials with perfect months.
------------------------------------------------------------------------------
DO $$ BEGIN PERFORM setseed(0.42); END $$;

CREATE TABLE kpi_prop_line AS
WITH r AS (
	SELECT g AS id, random() AS r0, random() AS r1, random() AS r2, random() AS r3,
	       random() AS r4, random() AS r5, random() AS r6, random() AS r7,
	       random() AS r8, random() AS r9
	FROM generate_series(1, 24000) g
), b AS (
	SELECT id, 1 + floor(r0 * 400)::int AS official, 1 + floor(r9 * 12)::int AS month,
	       r1 < 0.6 AS unit,
	       CASE WHEN r2 < 0.05 THEN 0::numeric                     -- zero weight
	            WHEN r2 < 0.5 THEN (1 + floor(r3 * 16))::numeric   -- integer coef
	            ELSE trunc((r3 * 20)::numeric, 4) END AS coef,      -- 4 decimals
	       CASE WHEN r4 < 0.1 THEN 0::numeric                      -- unplanned work
	            ELSE trunc((r4 * 50)::numeric, floor(r5 * 5)::int) END AS qty,
	       r6 AS rc, r7 AS rp,
	       floor(7 * r8 ^ 3)::int AS errors,                       -- 0..6
	       floor(4 * r5 ^ 2)::int AS late                          -- 0..3
	FROM r
), c AS (
	SELECT id, official, month, unit, coef,
	       CASE WHEN unit THEN 1::numeric ELSE qty END AS assigned,
	       CASE WHEN unit THEN (rc < 0.85)::int::numeric
	            WHEN qty = 0 THEN trunc((rc * 5)::numeric, 2)
	            ELSE trunc(qty * (rc * 1.3)::numeric, 4) END AS completed,  -- up to 130%
	       rp, errors, late
	FROM b
), d AS (
	SELECT id, official, month, unit, coef, assigned, completed,
	       CASE WHEN unit THEN (completed = 1 AND rp < 0.9)::int::numeric
	            WHEN rp < 0.4 THEN completed
	            ELSE trunc(completed * rp::numeric, 4) END AS passed,
	       errors, late
	FROM c
	UNION ALL
	-- officials 401..420: every month three perfect single-unit lines
	SELECT 100000 + (o - 401) * 36 + (m - 1) * 3 + k, o, m, true, 1, 1, 1, 1, 0, 0
	FROM generate_series(401, 420) o, generate_series(1, 12) m, generate_series(1, 3) k
)
SELECT id, official, month, unit,
       -- months with nothing assigned (N0.4, E9): some officials in March and July
       CASE WHEN official % 37 = 5 AND month IN (3, 7) THEN 0 ELSE coef END AS coef,
       assigned, completed, passed,
       CASE WHEN unit THEN completed = 1 END AS done,   -- NULL on multi-unit lines
       CASE WHEN unit THEN passed = 1 END AS ok,
       errors, late,
       row_number() OVER (PARTITION BY official ORDER BY id) AS rn,
       row_number() OVER (PARTITION BY official, unit ORDER BY id) AS urn
FROM d;
CREATE INDEX ON kpi_prop_line (official, rn);
ANALYZE kpi_prop_line;

-- general-criteria points G per official and month (<= 4 decimals, 0..30);
-- the perfect officials get G on a 0.0125 grid, so some totals are exact halves
CREATE TABLE kpi_prop_general AS
SELECT o AS official, m AS month,
       CASE WHEN o > 400 THEN 10 + ((o - 400) * 12 + m) * 0.0125
            WHEN (o + m) % 17 = 0 THEN 30
            WHEN (o + m) % 19 = 0 THEN 0
            ELSE trunc((random() * 30)::numeric, floor(random() * 5)::int) END AS g
FROM generate_series(1, 420) o, generate_series(1, 12) m;

-- leaders (CS10): every tenth official, with some criteria at 50
CREATE TABLE kpi_prop_leader AS
SELECT o AS official,
       CASE WHEN o % 20 = 0 THEN 50 ELSE 100 END::numeric AS d,
       CASE WHEN o % 30 = 0 THEN 50 ELSE 100 END::numeric AS dd,
       CASE WHEN o % 40 = 0 THEN 50 ELSE 100 END::numeric AS e
FROM generate_series(10, 400, 10) o;

-- monthly tallies and period scores, as an application would store them
CREATE TABLE kpi_prop_month AS
SELECT s.official, s.month,
       row_number() OVER (PARTITION BY s.official ORDER BY s.month) AS rn,
       s.t, g.g, ld.official IS NOT NULL AS leader, ld.d, ld.dd, ld.e,
       CASE WHEN ld.official IS NULL THEN kpi.period_score(g.g, s.t)
            ELSE kpi.period_score(g.g, s.t, ld.d, ld.dd, ld.e) END AS score
FROM (SELECT official, month,
             kpi.tally_agg(coef, assigned, completed, passed, errors, late) AS t
      FROM kpi_prop_line GROUP BY official, month) s
JOIN kpi_prop_general g USING (official, month)
LEFT JOIN kpi_prop_leader ld USING (official);
CREATE INDEX ON kpi_prop_month (official, rn);
ANALYZE kpi_prop_general, kpi_prop_leader, kpi_prop_month;

-- the data set really has what the properties below are about
SELECT results_eq(
	$$SELECT count(*) >= 24000, count(DISTINCT official), count(*) FILTER (WHERE unit) > 10000,
	         count(*) FILTER (WHERE NOT unit) > 8000,
	         count(*) FILTER (WHERE completed > assigned) > 1000,
	         count(*) FILTER (WHERE coef = 0) > 500,
	         count(*) FILTER (WHERE coef <> trunc(coef)) > 5000,
	         array_agg(DISTINCT errors ORDER BY errors), array_agg(DISTINCT late ORDER BY late)
	  FROM kpi_prop_line$$,
	$$VALUES (true, 420::bigint, true, true, true, true, true, '{0,1,2,3,4,5,6}'::int[], '{0,1,2,3}'::int[])$$,
	'data: 24000+ lines of 420 officials, unit and multi-unit, over-completion, zero weights, errors 0..6, late 0..3');
SELECT results_eq(
	$$SELECT count(*) > 4800, count(*) FILTER (WHERE score IS NULL) BETWEEN 10 AND 100,
	         count(*) FILTER (WHERE leader) > 400, count(*) FILTER (WHERE score >= 90) > 0,
	         count(*) FILTER (WHERE score < 50) > 0,
	         count(*) FILTER (WHERE score BETWEEN 50 AND 89.99) > 1000
	  FROM kpi_prop_month$$,
	$$VALUES (true, true, true, true, true, true)$$,
	'data: 4800+ official-months, some not scored (N0.4), leaders, scores on both sides of 50 and 90');

------------------------------------------------------------------------------
-- (a) rollup = recomputation from the lines
------------------------------------------------------------------------------
SELECT results_eq(
	$$SELECT official, kpi.rollup(t)::text FROM kpi_prop_month GROUP BY official ORDER BY official$$,
	$$SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late)::text
	  FROM kpi_prop_line GROUP BY official ORDER BY official$$,
	'rollup of the monthly tallies of each official = tally_agg over the year''s lines');

SELECT results_eq(
	$$SELECT kpi.rollup(t)::text FROM
	    (SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late) t
	     FROM kpi_prop_line GROUP BY official) s$$,
	$$SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late)::text FROM kpi_prop_line$$,
	'rollup of the per-official tallies = tally_agg of all lines');

SELECT results_eq(
	$$SELECT official, (month - 1) / 3 AS quarter, kpi.rollup(t)::text
	  FROM kpi_prop_month GROUP BY 1, 2 ORDER BY 1, 2$$,
	$$SELECT official, (month - 1) / 3 AS quarter,
	         kpi.tally_agg(coef, assigned, completed, passed, errors, late)::text
	  FROM kpi_prop_line GROUP BY 1, 2 ORDER BY 1, 2$$,
	'CS2: rollup of three monthly tallies = tally_agg over the quarter''s lines');

SELECT results_eq(
	$$SELECT official % 20 AS unit, kpi.rollup(t)::text FROM
	    (SELECT official, kpi.rollup(t) t FROM kpi_prop_month GROUP BY official) s
	  GROUP BY 1 ORDER BY 1$$,
	$$SELECT official % 20 AS unit, kpi.tally_agg(coef, assigned, completed, passed, errors, late)::text
	  FROM kpi_prop_line GROUP BY 1 ORDER BY 1$$,
	'rollup month -> official -> unit = tally_agg over the unit''s lines');

SELECT results_eq(
	$$SELECT official, kpi.rollup(t::text::kpi.tally)::text FROM kpi_prop_month GROUP BY 1 ORDER BY 1$$,
	$$SELECT official, kpi.rollup(t)::text FROM kpi_prop_month GROUP BY 1 ORDER BY 1$$,
	'tallies read back from their text form roll up to the same tallies');

SELECT is_empty(
	$$SELECT official, month FROM kpi_prop_month WHERE t::text::kpi.tally::text <> t::text$$,
	'every monthly tally survives a text round trip unchanged');

SELECT results_eq(
	$$SELECT official, kpi.tally_agg(coef, done, ok, errors, late)::text
	  FROM kpi_prop_line GROUP BY official ORDER BY official$$,
	$$SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late)::text
	  FROM kpi_prop_line WHERE unit GROUP BY official ORDER BY official$$,
	'CS4: single-unit form = general form with assigned 1, completed and passed 0/1; rows with a NULL input are skipped');

SELECT results_eq(
	$$SELECT official, kpi.rollup(t)::text FROM
	    (SELECT official, kpi.tally_agg(coef, done, ok, errors, late) t
	     FROM kpi_prop_line WHERE unit GROUP BY official
	     UNION ALL
	     SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late)
	     FROM kpi_prop_line WHERE NOT unit GROUP BY official) s
	  GROUP BY official ORDER BY official$$,
	$$SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late)::text
	  FROM kpi_prop_line GROUP BY official ORDER BY official$$,
	'rollup of a single-unit-form tally and a general-form tally = tally of all lines');

SELECT results_eq(
	$$SELECT official, kpi.rollup(t)::text FROM
	    (SELECT official, month, kpi.tally_agg(coef, assigned, completed, passed, errors, late,
	                                           '{"quality_deduction": 0.5, "progress_deduction": 0.1}') t
	     FROM kpi_prop_line GROUP BY 1, 2) s
	  GROUP BY official ORDER BY official$$,
	$$SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late,
	                                 '{"quality_deduction": 0.5, "progress_deduction": 0.1}')::text
	  FROM kpi_prop_line GROUP BY official ORDER BY official$$,
	'rollup = recomputation also for tallies summed with other deduction rates');

SELECT results_eq(
	$$SELECT official, kpi.period_score(30, kpi.rollup(t))::text FROM kpi_prop_month
	  GROUP BY official ORDER BY official$$,
	$$SELECT official, kpi.period_score(30, kpi.tally_agg(coef, assigned, completed, passed, errors, late))::text
	  FROM kpi_prop_line GROUP BY official ORDER BY official$$,
	'period scores read from rolled-up tallies = scores read from the recomputed tallies');

------------------------------------------------------------------------------
-- (b) serial plan vs forced parallel plans (with and without the leader)
------------------------------------------------------------------------------
-- Runs q as EXPLAIN ANALYZE CREATE TEMP TABLE tab AS q: the plan text proves
-- which plan ran and how many workers it launched, the table keeps its rows.
-- (A query run through a cursor, as results_eq does, never runs in parallel.)
CREATE FUNCTION pg_temp.capture(tab text, q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	l text;
	p text := '';
BEGIN
	FOR l IN EXECUTE format('EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) '
	                        'CREATE TEMP TABLE %I AS %s', tab, q) LOOP
		p := p || l || E'\n';
	END LOOP;
	RETURN p;
END $$;

-- every output column is text: identical results means identical bits
CREATE TEMP TABLE kpi_q (name text PRIMARY KEY, keys text, q text);
INSERT INTO kpi_q VALUES
('tally_by_official', '1',
 $$SELECT official::text, t::text, kpi.quantity_pct(t)::text AS a, kpi.quality_pct(t)::text AS b,
          kpi.progress_pct(t)::text AS c, kpi.progress_pct(t, '{"progress_reading": "strict"}')::text AS cs,
          kpi.task_pct(t)::text AS kq, kpi.period_score((official % 31)::numeric, t)::text AS score
   FROM (SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late) t
         FROM kpi_prop_line GROUP BY official) s$$),
('score_by_official_month', '1, 2',
 $$SELECT s.official::text, lpad(s.month::text, 2, '0') AS month, s.t::text,
          (CASE WHEN ld.official IS NULL THEN kpi.period_score(g.g, s.t)
                ELSE kpi.period_score(g.g, s.t, ld.d, ld.dd, ld.e) END)::text AS score
   FROM (SELECT official, month, kpi.tally_agg(coef, assigned, completed, passed, errors, late) t
         FROM kpi_prop_line GROUP BY official, month) s
   JOIN kpi_prop_general g USING (official, month)
   LEFT JOIN kpi_prop_leader ld USING (official)$$),
('unit_form_by_official', '1',
 $$SELECT official::text, kpi.tally_agg(coef, done, ok, errors, late)::text AS t
   FROM kpi_prop_line GROUP BY official$$),
('rules_by_official', '1',
 $$SELECT official::text, t::text,
          kpi.period_score(20, t, '{"quality_deduction": 0.5, "progress_deduction": 0.1, "cap": false}')::text AS score
   FROM (SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late,
                                        '{"quality_deduction": 0.5, "progress_deduction": 0.1}') t
         FROM kpi_prop_line GROUP BY official) s$$),
('tally_all', '1',
 $$SELECT t::text, kpi.period_score(25.5, t)::text AS score, kpi.task_pct(t)::text AS kq
   FROM (SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late) t FROM kpi_prop_line) s$$),
('rollup_by_official', '1',
 $$SELECT official::text, kpi.rollup(t)::text AS t FROM kpi_prop_month GROUP BY official$$),
('rollup_all', '1',
 $$SELECT kpi.rollup(t)::text AS t FROM kpi_prop_month$$),
('annual_by_official', '1',
 $$SELECT official::text, kpi.annual_score(score)::text AS annual,
          kpi.annual_score(score, '{"rounding_scale": 1}')::text AS annual_1
   FROM kpi_prop_month GROUP BY official$$),
('annual_all', '1',
 $$SELECT kpi.annual_score(score)::text AS annual, kpi.annual_score(score, '{"rounding_scale": 3}')::text AS annual_3
   FROM kpi_prop_month$$),
('unit_result_by_month_unit', '1, 2',
 $$SELECT lpad(month::text, 2, '0') AS month, lpad((official % 20)::text, 2, '0') AS unit,
          kpi.unit_result(score)::text AS d,
          kpi.unit_result(score, '{"threshold_complete": 65, "leader_reduced": 40}')::text AS d_65
   FROM kpi_prop_month GROUP BY 1, 2$$),
('unit_result_all', '1',
 $$SELECT kpi.unit_result(score)::text AS d, kpi.unit_result(score, '{"threshold_complete": 5}')::text AS d_5
   FROM kpi_prop_month$$);

CREATE TEMP TABLE kpi_plan (name text, variant text, plan text);

SET LOCAL max_parallel_workers_per_gather = 0;
INSERT INTO kpi_plan SELECT name, 'serial', pg_temp.capture('serial_' || name, q) FROM kpi_q;

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL min_parallel_index_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = on;
INSERT INTO kpi_plan SELECT name, 'leader', pg_temp.capture('leader_' || name, q) FROM kpi_q;

SET LOCAL parallel_leader_participation = off;
INSERT INTO kpi_plan SELECT name, 'workers', pg_temp.capture('workers_' || name, q) FROM kpi_q;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET min_parallel_index_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

SELECT doesnt_match(plan, 'Gather|Partial',
	format('N0.2 serial plan of %s has no Gather and no partial aggregation', name))
FROM kpi_plan WHERE variant = 'serial' ORDER BY name;

SELECT matches(plan, 'Partial (Hash|Group)?Aggregate',
	format('N0.2 %s plan of %s has a partial aggregate', variant, name))
FROM kpi_plan WHERE variant <> 'serial' ORDER BY name, variant;

SELECT matches(plan, 'Workers Launched: [1-9]',
	format('N0.2 %s plan of %s launched parallel workers', variant, name))
FROM kpi_plan WHERE variant <> 'serial' ORDER BY name, variant;

SELECT results_eq(
	format('SELECT * FROM %I ORDER BY %s', v || '_' || name, keys),
	format('SELECT * FROM %I ORDER BY %s', 'serial_' || name, keys),
	format('N0.2 %s: parallel plan (%s) gives the serial plan''s results', name,
	       CASE v WHEN 'leader' THEN 'leader participating' ELSE 'workers only' END))
FROM kpi_q, (VALUES ('leader'), ('workers')) AS x(v) ORDER BY name, v;

SELECT is((SELECT count(*) FROM serial_tally_by_official), 420::bigint,
	'the compared result sets are not empty (420 officials)');

------------------------------------------------------------------------------
-- (c) moving windows = recomputation over the same frame
------------------------------------------------------------------------------
SELECT results_eq(
	$$SELECT id, (kpi.tally_agg(coef, assigned, completed, passed, errors, late) OVER w)::text
	  FROM kpi_prop_line
	  WINDOW w AS (PARTITION BY official ORDER BY rn ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
	  ORDER BY id$$,
	$$SELECT l.id, (SELECT kpi.tally_agg(m.coef, m.assigned, m.completed, m.passed, m.errors, m.late)
	                FROM kpi_prop_line m
	                WHERE m.official = l.official AND m.rn BETWEEN l.rn - 2 AND l.rn)::text
	  FROM kpi_prop_line l ORDER BY l.id$$,
	'moving tally_agg over 3 lines = tally_agg recomputed over the frame');

SELECT results_eq(
	$$SELECT id, (kpi.tally_agg(coef, done, ok, errors, late) OVER w)::text
	  FROM kpi_prop_line WHERE unit
	  WINDOW w AS (PARTITION BY official ORDER BY urn ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
	  ORDER BY id$$,
	$$SELECT l.id, (SELECT kpi.tally_agg(m.coef, m.done, m.ok, m.errors, m.late)
	                FROM kpi_prop_line m
	                WHERE m.unit AND m.official = l.official AND m.urn BETWEEN l.urn - 2 AND l.urn)::text
	  FROM kpi_prop_line l WHERE l.unit ORDER BY l.id$$,
	'moving single-unit tally_agg over 3 single-unit lines = recomputation');

-- Over all lines, the multi-unit lines are NULL inputs of the single-unit
-- form and must be skipped (N0.4), also at the start of a moving frame, where
-- PostgreSQL refuses a transition function that returns NULL (22004).  The
-- window is materialised under lives_ok so a regression cannot abort the file.
CREATE TEMP TABLE kpi_win_unit_all (id int, t text);
SELECT lives_ok(
	$$INSERT INTO kpi_win_unit_all
	  SELECT id, (kpi.tally_agg(coef, done, ok, errors, late) OVER w)::text
	  FROM kpi_prop_line
	  WINDOW w AS (PARTITION BY official ORDER BY rn ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)$$,
	'N0.4 moving single-unit tally_agg over frames with NULL rows (some all NULL) runs');
SELECT results_eq(
	$$SELECT id, t FROM kpi_win_unit_all ORDER BY id$$,
	$$SELECT l.id::int, (SELECT kpi.tally_agg(m.coef, m.done, m.ok, m.errors, m.late)
	                     FROM kpi_prop_line m
	                     WHERE m.official = l.official AND m.rn BETWEEN l.rn - 2 AND l.rn)::text
	  FROM kpi_prop_line l ORDER BY l.id$$,
	'N0.4 moving single-unit tally_agg over frames with NULL rows = recomputation');

SELECT results_eq(
	$$SELECT id, (kpi.tally_agg(coef, assigned, CASE WHEN id % 3 = 0 THEN NULL ELSE completed END,
	                            passed, errors, late) OVER w)::text
	  FROM kpi_prop_line
	  WINDOW w AS (PARTITION BY official ORDER BY rn ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
	  ORDER BY id$$,
	$$SELECT l.id, (SELECT kpi.tally_agg(m.coef, m.assigned, CASE WHEN m.id % 3 = 0 THEN NULL ELSE m.completed END,
	                                     m.passed, m.errors, m.late)
	                FROM kpi_prop_line m
	                WHERE m.official = l.official AND m.rn BETWEEN l.rn - 2 AND l.rn)::text
	  FROM kpi_prop_line l ORDER BY l.id$$,
	'N0.4 moving tally_agg with a NULL completed_qty on every third line (skipped) = recomputation');

SELECT results_eq(
	$$SELECT id, (kpi.tally_agg(coef, assigned, completed, passed, errors, late,
	                            '{"quality_deduction": 0.3, "progress_deduction": 0.6}') OVER w)::text
	  FROM kpi_prop_line
	  WINDOW w AS (PARTITION BY official ORDER BY rn ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
	  ORDER BY id$$,
	$$SELECT l.id, (SELECT kpi.tally_agg(m.coef, m.assigned, m.completed, m.passed, m.errors, m.late,
	                                     '{"quality_deduction": 0.3, "progress_deduction": 0.6}')
	                FROM kpi_prop_line m
	                WHERE m.official = l.official AND m.rn BETWEEN l.rn - 2 AND l.rn)::text
	  FROM kpi_prop_line l ORDER BY l.id$$,
	'moving tally_agg with other deduction rates = recomputation');

SELECT results_eq(
	$$SELECT official, month, (kpi.rollup(t) OVER w)::text,
	         kpi.period_score(g, kpi.rollup(t) OVER w)::text
	  FROM kpi_prop_month
	  WINDOW w AS (PARTITION BY official ORDER BY rn ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
	  ORDER BY 1, 2$$,
	$$SELECT p.official, p.month, r.t::text, kpi.period_score(p.g, r.t)::text
	  FROM kpi_prop_month p
	  CROSS JOIN LATERAL (SELECT kpi.rollup(q.t) AS t FROM kpi_prop_month q
	                      WHERE q.official = p.official AND q.rn BETWEEN p.rn - 2 AND p.rn) r
	  ORDER BY 1, 2$$,
	'moving rollup over 3 months (and its period score) = recomputation');

SELECT results_eq(
	$$SELECT official, month, (kpi.rollup(t) OVER w)::text
	  FROM kpi_prop_month
	  WINDOW w AS (PARTITION BY official ORDER BY rn ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING)
	  ORDER BY 1, 2$$,
	$$SELECT p.official, p.month,
	         (SELECT kpi.rollup(q.t) FROM kpi_prop_month q
	          WHERE q.official = p.official AND q.rn BETWEEN p.rn - 3 AND p.rn - 1)::text
	  FROM kpi_prop_month p ORDER BY 1, 2$$,
	'moving rollup over the 3 previous months (first frame empty: NULL) = recomputation');

SELECT results_eq(
	$$SELECT official, month, (kpi.annual_score(score) OVER w)::text
	  FROM kpi_prop_month
	  WINDOW w AS (PARTITION BY official ORDER BY rn ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
	  ORDER BY 1, 2$$,
	$$SELECT p.official, p.month,
	         (SELECT kpi.annual_score(q.score) FROM kpi_prop_month q
	          WHERE q.official = p.official AND q.rn BETWEEN p.rn - 2 AND p.rn)::text
	  FROM kpi_prop_month p ORDER BY 1, 2$$,
	'moving annual_score over 3 months (NULL periods left out) = recomputation');

SELECT results_eq(
	$$SELECT official, month, (kpi.annual_score(score, '{"rounding_scale": 1}') OVER w)::text
	  FROM kpi_prop_month
	  WINDOW w AS (PARTITION BY official ORDER BY rn ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING)
	  ORDER BY 1, 2$$,
	$$SELECT p.official, p.month,
	         (SELECT kpi.annual_score(q.score, '{"rounding_scale": 1}') FROM kpi_prop_month q
	          WHERE q.official = p.official AND q.rn BETWEEN p.rn - 3 AND p.rn - 1)::text
	  FROM kpi_prop_month p ORDER BY 1, 2$$,
	'moving annual_score with rules over the 3 previous months = recomputation');

SELECT results_eq(
	$$SELECT official, month, (kpi.unit_result(score) OVER w)::text
	  FROM kpi_prop_month
	  WINDOW w AS (PARTITION BY official ORDER BY rn ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
	  ORDER BY 1, 2$$,
	$$SELECT p.official, p.month,
	         (SELECT kpi.unit_result(q.score) FROM kpi_prop_month q
	          WHERE q.official = p.official AND q.rn BETWEEN p.rn - 2 AND p.rn)::text
	  FROM kpi_prop_month p ORDER BY 1, 2$$,
	'windowed unit_result over 3 months = recomputation');

------------------------------------------------------------------------------
-- (d) the numeric decoder: one line with coef 1 and x as every quantity
------------------------------------------------------------------------------
CREATE TEMP TABLE kpi_prop_num AS
SELECT row_number() OVER () AS id, x FROM (
	-- 16 significant digits up to 999999999999.9999
	SELECT (floor(random() * 1e8)::numeric * 10000 + floor(random() * 10000)::numeric)
	       + floor(random() * 10000)::numeric / 10000 AS x
	FROM generate_series(1, 1500)
	UNION ALL
	-- any magnitude, 0 to 4 decimals
	SELECT least(trunc((random() * 10 ^ floor(random() * 13))::numeric, floor(random() * 5)::int),
	             999999999999.9999)
	FROM generate_series(1, 1500)
	UNION ALL
	-- trailing zeros, short numeric format (display scale <= 63)
	SELECT round(trunc((random() * 10 ^ floor(random() * 12))::numeric, floor(random() * 5)::int),
	             5 + floor(random() * 59)::int)
	FROM generate_series(1, 1000)
	UNION ALL
	-- trailing zeros, long numeric format (display scale > 63)
	SELECT round(trunc((random() * 10 ^ floor(random() * 12))::numeric, floor(random() * 5)::int),
	             64 + floor(random() * 100)::int)
	FROM generate_series(1, 1000)
	UNION ALL
	SELECT unnest(ARRAY['0', '0.0001', '0.001', '0.01', '0.1', '1', '9999', '9999.9999', '10000',
	                    '10000.0001', '99999999.9999', '100000000', '100000000.0001',
	                    '999999999999', '999999999999.9999', '1.50000', '100.0000', '0.00010',
	                    '-0', '-0.0000', '1e4', '1.0e8', '123456789012.3456', '0000012.3400',
	                    '0.' || repeat('0', 100), '1.' || repeat('0', 70),
	                    '9999.9999' || repeat('0', 80)]::numeric[])
) s;
ANALYZE kpi_prop_num;

SELECT results_eq(
	$$SELECT count(*) > 5000, count(*) FILTER (WHERE scale(x) > 63) > 900,
	         count(*) FILTER (WHERE scale(x) BETWEEN 5 AND 63) > 900,
	         count(*) FILTER (WHERE x >= 1e11) > 100, count(*) FILTER (WHERE x < 1) > 100,
	         max(x) = 999999999999.9999, min(x) = 0
	  FROM kpi_prop_num$$,
	$$VALUES (true, true, true, true, true, true, true)$$,
	'decoder data: 5000+ numerics in [0, 1e12), short and long formats, small and large');

SELECT is_empty(
	$$SELECT n.id, n.x, c.assigned
	  FROM kpi_prop_num n
	  CROSS JOIN LATERAL (SELECT kpi.tally_agg(1, v.x, v.x, v.x, 0, 0) AS t
	                      FROM (VALUES (n.x)) v(x)) a
	  CROSS JOIN LATERAL kpi.tally_components(a.t) c
	  WHERE c.assigned IS DISTINCT FROM n.x OR c.quantity_credit IS DISTINCT FROM n.x
	     OR c.quality_credit IS DISTINCT FROM n.x OR c.progress_credit IS DISTINCT FROM n.x
	     OR c.lines IS DISTINCT FROM 1$$,
	'decoder: tally of one line (coef 1, x, x, x) has assigned = quantity = quality = progress credit = x exactly');

SELECT is_empty(
	$$SELECT n.id, n.x, c.assigned
	  FROM kpi_prop_num n
	  CROSS JOIN LATERAL (SELECT kpi.tally_agg(v.x, 1, 1, 0, 0, 0) AS t
	                      FROM (VALUES (n.x)) v(x)) a
	  CROSS JOIN LATERAL kpi.tally_components(a.t) c
	  WHERE c.assigned IS DISTINCT FROM n.x OR c.quantity_credit IS DISTINCT FROM n.x$$,
	'decoder: a coefficient x gives assigned weight = x exactly');

SELECT is_empty(
	$$SELECT n.id, n.x
	  FROM kpi_prop_num n
	  CROSS JOIN LATERAL (SELECT kpi.tally_agg(v.x, v.x, 0, 0, 0, 0) AS t
	                      FROM (VALUES (n.x)) v(x)) a
	  CROSS JOIN LATERAL kpi.tally_components(a.t) c
	  WHERE c.assigned IS DISTINCT FROM n.x * n.x$$,
	'decoder: coef x times assigned x is x * x exactly (products up to 1e24 in 128 bits)');

SELECT is_empty(
	$$SELECT n.id, n.x FROM kpi_prop_num n
	  CROSS JOIN LATERAL (SELECT kpi.tally_agg(1, v.x, v.x, v.x, 0, 0) AS t
	                      FROM (VALUES (n.x)) v(x)) a
	  WHERE a.t::text::kpi.tally::text <> a.t::text$$,
	'decoder: every one-line tally survives a text round trip');

SELECT results_eq(
	$$SELECT v.s, (SELECT c.assigned::text FROM kpi.tally_components(
	                 (SELECT kpi.tally_agg(1, w.x, 0, 0, 0, 0) FROM (VALUES (v.s::numeric)) w(x))) c)
	  FROM (VALUES (1, '0'), (2, '0.0001'), (3, '9999.9999'), (4, '10000'),
	               (5, '999999999999.9999'), (6, '1.50000'), (7, '100.0000'), (8, '-0.000'),
	               (9, '10000.0001'), (10, '0.00010'), (11, '1e8'),
	               (12, '1.' || repeat('0', 70)), (13, '0.' || repeat('0', 90))) v(i, s)
	  ORDER BY v.i$$,
	$$VALUES ('0', '0'), ('0.0001', '0.0001'), ('9999.9999', '9999.9999'), ('10000', '10000'),
	         ('999999999999.9999', '999999999999.9999'), ('1.50000', '1.5'), ('100.0000', '100'),
	         ('-0.000', '0'), ('10000.0001', '10000.0001'), ('0.00010', '0.0001'), ('1e8', '100000000'),
	         ('1.' || repeat('0', 70), '1'), ('0.' || repeat('0', 90), '0')$$,
	'decoder: edge values read exactly, trailing zeros and long formats included');

-- the SQLSTATE a one-line tally of x raises ('00000' when it is accepted)
CREATE FUNCTION pg_temp.decode_state(val numeric) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM kpi.tally_agg(1, v.x, 0, 0, 0, 0) FROM (VALUES (val)) v(x);
	RETURN '00000';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

SELECT results_eq(
	$$SELECT pg_temp.decode_state(x + (1 + floor(random() * 9))::numeric * 0.00001) AS state, count(*)
	  FROM kpi_prop_num WHERE id % 10 = 0 AND x < 999999999999 GROUP BY 1$$,
	$$VALUES ('22023', (SELECT count(*) FROM kpi_prop_num WHERE id % 10 = 0 AND x < 999999999999))$$,
	'decoder: values with a nonzero 5th decimal are refused (22023), never rounded');

SELECT results_eq(
	$$SELECT pg_temp.decode_state(x + 1e12) AS state, count(*)
	  FROM kpi_prop_num WHERE id % 10 = 1 GROUP BY 1$$,
	$$VALUES ('22003', (SELECT count(*) FROM kpi_prop_num WHERE id % 10 = 1))$$,
	'decoder: values of 1e12 or more are out of range (22003)');

SELECT results_eq(
	$$SELECT pg_temp.decode_state(-x) AS state, count(*)
	  FROM kpi_prop_num WHERE id % 10 = 2 AND x > 0 GROUP BY 1$$,
	$$VALUES ('22023', (SELECT count(*) FROM kpi_prop_num WHERE id % 10 = 2 AND x > 0))$$,
	'decoder: every negative value is refused (22023)');

------------------------------------------------------------------------------
-- (e) the spec's formulas in plain SQL numeric arithmetic = the accessors
------------------------------------------------------------------------------
CREATE TEMP TABLE kpi_plain AS
SELECT m.official, m.month, m.t, m.g, m.leader, m.d, m.dd, m.e, m.score,
       p.w, p.aq, p.bq, p.cq, p.cs, p.bq_r, p.cq_r
FROM kpi_prop_month m
JOIN (SELECT official, month,
             sum(coef * assigned) AS w,                                  -- CS5
             sum(coef * completed) AS aq,                                -- CS5
             sum(coef * greatest(0, passed - 0.25 * errors)) AS bq,      -- CS6, CS8
             sum(coef * greatest(0, completed - 0.25 * late)) AS cq,     -- CS7, CS8
             sum(coef * greatest(0, completed - late)) AS cs,            -- CS7 strict
             sum(coef * greatest(0, passed - 0.5 * errors)) AS bq_r,     -- other rates
             sum(coef * greatest(0, completed - 0.1 * late)) AS cq_r
      FROM kpi_prop_line GROUP BY official, month) p USING (official, month);

SELECT is((SELECT count(*) FROM kpi_plain), (SELECT count(*) FROM kpi_prop_month),
	'plain formulas cover every official-month');

SELECT is_empty(
	$$SELECT official, month FROM kpi_plain
	  WHERE round(kpi.quantity_pct(t), 10)
	        IS DISTINCT FROM round(CASE WHEN w > 0 THEN least(100, 100 * aq / w) END, 10)$$,
	'CS5/CS8 a = least(100, 100 * sum(coef * completed) / sum(coef * assigned)), NULL when nothing assigned');

SELECT is_empty(
	$$SELECT official, month FROM kpi_plain
	  WHERE round(kpi.quality_pct(t), 10)
	        IS DISTINCT FROM round(CASE WHEN w > 0 THEN least(100, 100 * bq / w) END, 10)$$,
	'CS6/CS8 b = least(100, 100 * sum(coef * greatest(0, passed - 0.25 * errors)) / W)');

SELECT is_empty(
	$$SELECT official, month FROM kpi_plain
	  WHERE round(kpi.progress_pct(t), 10)
	        IS DISTINCT FROM round(CASE WHEN w > 0 THEN least(100, 100 * cq / w) END, 10)$$,
	'CS7/CS8 c = least(100, 100 * sum(coef * greatest(0, completed - 0.25 * late)) / W)');

SELECT is_empty(
	$$SELECT official, month FROM kpi_plain
	  WHERE round(kpi.progress_pct(t, '{"progress_reading": "strict"}'), 10)
	        IS DISTINCT FROM round(CASE WHEN w > 0 THEN least(100, 100 * cs / w) END, 10)$$,
	'CS7 strict c = least(100, 100 * sum(coef * greatest(0, completed - late)) / W)');

SELECT is_empty(
	$$SELECT official, month FROM kpi_plain
	  WHERE (round(kpi.quantity_pct(t, '{"cap": false}'), 10),
	         round(kpi.quality_pct(t, '{"cap": false}'), 10),
	         round(kpi.progress_pct(t, '{"cap": false}'), 10))
	        IS DISTINCT FROM
	        (round(CASE WHEN w > 0 THEN 100 * aq / w END, 10),
	         round(CASE WHEN w > 0 THEN 100 * bq / w END, 10),
	         round(CASE WHEN w > 0 THEN 100 * cq / w END, 10))$$,
	'CS8 uncapped a, b, c ("cap": false) = the plain ratios');

SELECT ok((SELECT count(*) FROM kpi_plain WHERE w > 0 AND aq > w) > 100,
	'CS8: over 100 official-months have quantity above 100% before the cap');

SELECT is_empty(
	$$SELECT official, month FROM kpi_plain
	  WHERE NOT coalesce(abs((CASE WHEN leader THEN kpi.task_pct(t, d, dd, e) ELSE kpi.task_pct(t) END)
	                    - (CASE WHEN w = 0 THEN NULL WHEN leader THEN (least(100, 100 * aq / w) + least(100, 100 * bq / w)
	                                              + least(100, 100 * cq / w) + d + dd + e) / 6
	                            ELSE (least(100, 100 * aq / w) + least(100, 100 * bq / w)
	                                  + least(100, 100 * cq / w)) / 3 END)) < 1e-12,
	                     w = 0 AND kpi.task_pct(t) IS NULL)$$,
	'CS9/CS10 KQ = (a + b + c) / 3, leaders (a + b + c + d + dd + e) / 6, to 1e-12 (NULL when nothing assigned)');

SELECT is_empty(
	$$SELECT official, month FROM kpi_plain
	  WHERE NOT coalesce(abs((CASE WHEN leader THEN kpi.task_points(t, d, dd, e) ELSE kpi.task_points(t) END)
	                    - 0.70 * (CASE WHEN w = 0 THEN NULL WHEN leader THEN (least(100, 100 * aq / w) + least(100, 100 * bq / w)
	                                                     + least(100, 100 * cq / w) + d + dd + e) / 6
	                                   ELSE (least(100, 100 * aq / w) + least(100, 100 * bq / w)
	                                         + least(100, 100 * cq / w)) / 3 END)) < 1e-12,
	                     w = 0 AND kpi.task_points(t) IS NULL)$$,
	'CS9 T = 0.70 x KQ, to 1e-12 (NULL when nothing assigned)');

-- T is unrounded (N0.3): where the exact T ends in 5 at the 11th decimal,
-- the accessor rounds it up at 10 decimals, the summed plain divisions may not
SELECT is_empty(
	$$SELECT official, month FROM kpi_plain
	  WHERE w > 0 AND NOT leader
	    AND round(kpi.task_points(t), 10)
	        IS DISTINCT FROM round(70 * (least(aq, w) + least(bq, w) + least(cq, w)) / (3 * w), 10)$$,
	'CS9 T = 70 x (A + B + C) / 3W as one division, equal at 10 decimals for every non-leader');

-- TOTAL as an exact rational num / den, rounded half away from zero with
-- integer division only: div(200 num + den, 2 den) / 100 (all values >= 0)
CREATE TEMP TABLE kpi_exact AS
SELECT official, month, score, leader, g, w,
       CASE WHEN w > 0 THEN div(200 * num + den, 2 * den) / 100 END AS exact,
       CASE WHEN w = 0 THEN NULL
            WHEN leader THEN g + 0.70 * (least(100, 100 * aq / w) + least(100, 100 * bq / w)
                                         + least(100, 100 * cq / w) + d + dd + e) / 6
            ELSE g + 0.70 * (least(100, 100 * aq / w) + least(100, 100 * bq / w)
                             + least(100, 100 * cq / w)) / 3 END AS naive
FROM (SELECT *,
             CASE WHEN leader THEN 6 * w * g + 70 * (least(aq, w) + least(bq, w) + least(cq, w))
                                   + 0.70 * w * (d + dd + e)
                  ELSE 3 * w * g + 70 * (least(aq, w) + least(bq, w) + least(cq, w)) END AS num,
             CASE WHEN leader THEN 6 * w ELSE 3 * w END AS den
      FROM kpi_plain) s;

SELECT is_empty(
	$$SELECT official, month, score, exact FROM kpi_exact WHERE score IS DISTINCT FROM exact$$,
	'CS11/N0.3 period score = G + 0.70 x KQ from the exact rational, rounded half away from zero, every official-month');

SELECT is_empty(
	$$SELECT official, month, score, naive FROM kpi_exact
	  WHERE abs(naive * 100 - trunc(naive * 100) - 0.5) > 1e-9
	    AND score IS DISTINCT FROM round(naive, 2)$$,
	'CS11 period score = round(G + 0.70 x KQ, 2) of the plain formula wherever that is not within 1e-9 of a half');

SELECT ok((SELECT count(*) FILTER (WHERE abs(naive * 100 - trunc(naive * 100) - 0.5) > 1e-9)
           FROM kpi_exact WHERE w > 0) > 4500,
	'the plain-formula comparison covers over 4500 scored official-months');

SELECT ok((SELECT count(*) FROM kpi_exact
           WHERE w > 0 AND (200 * (naive - trunc(naive, 2))) = 1) >= 50,
	'N0.3: at least 50 totals are exact halves at the 3rd decimal, and they are covered by the exact comparison');

SELECT is_empty(
	$$SELECT official, month, score FROM kpi_exact
	  WHERE (w > 0) IS DISTINCT FROM (score IS NOT NULL) OR scale(score) <> 2$$,
	'N0.4/CS11 a period score is NULL exactly when nothing was assigned, else it has exactly 2 decimals');

SELECT is_empty(
	$$SELECT official, month FROM kpi_plain
	  WHERE (SELECT (round(kpi.quality_pct(r.t, '{"quality_deduction": 0.5}'), 10),
	                 round(kpi.progress_pct(r.t, '{"progress_deduction": 0.1}'), 10))
	         FROM (SELECT kpi.tally_agg(l.coef, l.assigned, l.completed, l.passed, l.errors, l.late,
	                                    '{"quality_deduction": 0.5, "progress_deduction": 0.1}') AS t
	               FROM kpi_prop_line l
	               WHERE l.official = kpi_plain.official AND l.month = kpi_plain.month) r)
	        IS DISTINCT FROM
	        (round(CASE WHEN w > 0 THEN least(100, 100 * bq_r / w) END, 10),
	         round(CASE WHEN w > 0 THEN least(100, 100 * cq_r / w) END, 10))$$,
	'CS6/CS7 with deduction rates 0.5 and 0.1 = the plain formulas with those rates');

SELECT is_empty(
	$$SELECT y.official FROM
	    (SELECT official, kpi.rollup(t) AS t, sum(w) AS w, sum(aq) AS aq, sum(bq) AS bq, sum(cq) AS cq
	     FROM kpi_plain GROUP BY official) y
	  WHERE kpi.period_score(25, y.t)
	        IS DISTINCT FROM CASE WHEN w > 0 THEN
	          div(200 * (3 * w * 25 + 70 * (least(aq, w) + least(bq, w) + least(cq, w))) + 3 * w,
	              6 * w) / 100 END$$,
	'CS11 yearly score of every official from the rolled-up tally = exact plain formula over the year''s sums');

------------------------------------------------------------------------------
-- (f) order independence
------------------------------------------------------------------------------
SELECT results_eq(
	$$SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late ORDER BY id DESC)::text
	  FROM kpi_prop_line GROUP BY official ORDER BY official$$,
	$$SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late ORDER BY id)::text
	  FROM kpi_prop_line GROUP BY official ORDER BY official$$,
	'N0.2 tally_agg over lines in descending order = ascending order');

SELECT results_eq(
	$$SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late
	                                 ORDER BY md5(id::text))::text
	  FROM kpi_prop_line GROUP BY official ORDER BY official$$,
	$$SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late ORDER BY id)::text
	  FROM kpi_prop_line GROUP BY official ORDER BY official$$,
	'N0.2 tally_agg over lines in a shuffled order = ascending order');

SELECT results_eq(
	$$SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late)::text
	  FROM (SELECT * FROM kpi_prop_line ORDER BY md5(id::text || 'x') OFFSET 0) s
	  GROUP BY official ORDER BY official$$,
	$$SELECT official, kpi.tally_agg(coef, assigned, completed, passed, errors, late)::text
	  FROM (SELECT * FROM kpi_prop_line ORDER BY completed DESC, id OFFSET 0) s
	  GROUP BY official ORDER BY official$$,
	'N0.2 tally_agg over two differently ordered subqueries gives the same tallies');

SELECT results_eq(
	$$SELECT kpi.tally_agg(coef, done, ok, errors, late ORDER BY id DESC)::text FROM kpi_prop_line$$,
	$$SELECT kpi.tally_agg(coef, done, ok, errors, late ORDER BY md5(id::text))::text FROM kpi_prop_line$$,
	'N0.2 single-unit tally_agg of all lines is the same in any order');

SELECT results_eq(
	$$SELECT official, kpi.rollup(t ORDER BY month DESC)::text, kpi.annual_score(score ORDER BY score DESC)::text
	  FROM kpi_prop_month GROUP BY official ORDER BY official$$,
	$$SELECT official, kpi.rollup(t ORDER BY month)::text, kpi.annual_score(score ORDER BY score)::text
	  FROM kpi_prop_month GROUP BY official ORDER BY official$$,
	'N0.2 rollup and annual_score give the same result in any order');

-- a score read from its digits (at most 16 decimals) or by the general path
-- (more): rounded as numeric_round rounds, exact halves included, in range
CREATE TEMP TABLE score_digits AS
SELECT x, rs FROM (SELECT round((random() * 100)::numeric, floor(random() * 21)::int) AS x, floor(random() * 5)::int AS rs
                   FROM generate_series(1, 4000)) r
UNION ALL
SELECT least(round((random() * 100)::numeric, rs) + 5 * 10 ^ (-rs - 1)::numeric, 100), rs
FROM (SELECT floor(random() * 5)::int AS rs FROM generate_series(1, 1000)) h
UNION ALL
VALUES (0::numeric, 2), (100, 0), (100.000000000000000000, 4), (99.995, 2), (0.00005, 4), (0.000049999999999999999, 4);
SELECT is((SELECT count(*) FROM score_digits v
           WHERE (SELECT kpi.annual_score(y.s, jsonb_build_object('rounding_scale', v.rs)) FROM (SELECT v.x) y(s))
                 IS DISTINCT FROM round(v.x, v.rs)), 0::bigint,
	'a score of any scale (up to 20 decimals, exact halves too) is rounded as numeric_round rounds it');
SELECT throws_ok($$SELECT kpi.annual_score(x) FROM (VALUES (100.001)) v(x)$$, '22023',
                 'kpi period score must be between 0 and 100',
	'a score just above 100 is refused, not rounded into range (from its digits)');
SELECT throws_ok($$SELECT kpi.annual_score(x) FROM (VALUES (100.00000000000000000001)) v(x)$$, '22023',
                 'kpi period score must be between 0 and 100',
	'a score just above 100 with 20 decimals is refused too (the general path)');

SELECT * FROM finish();
ROLLBACK;
