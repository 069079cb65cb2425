-- test/pgtap/cycle.sql: properties of the 2026 cycle in the reference schema
-- (issue 13, rules.md CY2) on a generated organisation of 3 units and 40
-- officials with 3 leaders, random marks, leader criteria and task lines:
--   - a quarterly form ("forms_period": "quarter") applied to three months
--     gives the same results as three monthly forms with the same marks
--     (every score, tier and component, official by official);
--   - under it, a form dated on a later month of the quarter is not read;
--   - per unit (kpi.unit_forms_period): in the third quarter the Sở and its
--     Phòng A read quarterly forms while Phòng B, by its own row, reads one a
--     month; every result equals the first quarter's, and each unit reads
--     only its own kind of form.
-- Everything runs in one transaction, rolled back.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS kpi_eval_reference CASCADE;
SET client_min_messages = error;

SELECT plan(11);
SELECT setseed(0.13);

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở', 'province'), (2, 1, 'Phòng A', NULL), (3, 1, 'Phòng B', NULL);
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group)
SELECT i, CASE WHEN i <= 3 THEN i ELSE 2 + i % 2 END, 'Công chức ' || i, i <= 3, CASE WHEN i <= 3 THEN i END,
       CASE WHEN i <= 3 THEN 'lanh_dao' ELSE 'chuyen_vien' END
FROM generate_series(1, 40) i;

-- the first quarter reads one form a quarter; the second, one a month
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('quarterly forms', '[2026-01-01,2026-04-01)', '{"forms_period": "quarter"}');

-- task lines for months 1-3, copied to months 4-6 three months later
CREATE TEMP TABLE gen_line AS
SELECT o AS official_id, m, (1 + floor(random() * 3))::numeric AS coef,
       (1 + floor(random() * 27))::int AS due_day, random() < 0.85 AS done, random() < 0.2 AS late,
       (random() * 3)::int AS errors, (random() * 2)::int AS late_events
FROM generate_series(1, 40) o, generate_series(1, 3) m, generate_series(1, 4) k
WHERE random() < 0.8;
INSERT INTO kpi.task_line (official_id, title, due, done, coef, completed_qty, passed_qty, quality_errors, late_events)
SELECT g.official_id, 'Việc ' || row_number() OVER (), make_date(2026, g.m + s, g.due_day),
       CASE WHEN g.done THEN make_date(2026, g.m + s, g.due_day) + CASE WHEN g.late THEN 3 ELSE 0 END END,
       g.coef, g.done::int, g.done::int, CASE WHEN g.done THEN g.errors ELSE 0 END,
       CASE WHEN g.done AND g.late THEN 1 + g.late_events ELSE 0 END
FROM gen_line g, (VALUES (0), (3), (6)) AS sh(s);

-- one set of marks and criteria per official: dated on the quarter's first
-- day in the first quarter, on each month in the second
CREATE TEMP TABLE gen_form AS
SELECT o AS official_id,
       ARRAY[round((random() * 5)::numeric * 2) / 2, 5, 2.5, 2.5, 2.5, 2.5, 2.5,
             round((random() * 2.5)::numeric * 2) / 2, 2.5, round((random() * 2.5)::numeric * 2) / 2] AS marks,
       CASE WHEN random() < 0.5 THEN 50 ELSE 100 END AS dd, CASE WHEN random() < 0.3 THEN 50 ELSE 100 END AS e
FROM generate_series(1, 40) o;
INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT f.official_id, d, f.marks FROM gen_form f, unnest('{2026-01-01,2026-04-01,2026-05-01,2026-06-01}'::date[]) d;
INSERT INTO kpi.leader_criteria (official_id, period_start, dd, e)
SELECT f.official_id, d, f.dd, f.e FROM gen_form f, unnest('{2026-01-01,2026-04-01,2026-05-01,2026-06-01}'::date[]) d
WHERE f.official_id <= 3;

CALL kpi.evaluate('2026-01-01', 'month');
CALL kpi.evaluate('2026-02-01', 'month');
CALL kpi.evaluate('2026-03-01', 'month');
CALL kpi.evaluate('2026-04-01', 'month');
CALL kpi.evaluate('2026-05-01', 'month');
CALL kpi.evaluate('2026-06-01', 'month');

SELECT is((SELECT count(*) FROM kpi.current_official_result WHERE period_kind = 'month'), 240::bigint,
          'every official is scored in each of the six months');
SELECT ok((SELECT count(DISTINCT score) > 20 AND bool_or(is_leader AND dd = 50) AND bool_or(tier = 'khong_hoan_thanh')
           FROM kpi.current_official_result),
          'the generated months are varied: many scores, reduced leader criteria, a tier not complete');
SELECT is_empty($$
	SELECT q.official_id, q.period_start, q.general_points, q.quantity_pct, q.quality_pct, q.progress_pct,
	       q.task_pct, q.task_points, q.d, q.dd, q.e, q.score, q.tier
	FROM kpi.current_official_result q WHERE q.period_start < '2026-04-01'
	EXCEPT
	SELECT m.official_id, (m.period_start - interval '3 months')::date, m.general_points, m.quantity_pct, m.quality_pct,
	       m.progress_pct, m.task_pct, m.task_points, m.d, m.dd, m.e, m.score, m.tier
	FROM kpi.current_official_result m WHERE m.period_start >= '2026-04-01'
$$, 'a quarterly form applied to three months equals three monthly forms with the same marks');
SELECT is((SELECT sum(score) FROM kpi.current_official_result WHERE period_start < '2026-04-01'),
          (SELECT sum(score) FROM kpi.current_official_result WHERE period_start >= '2026-04-01'),
          'the total of the scores is the same both ways');

-- under quarterly forms a form dated on the quarter's second month is not read:
-- without the quarter's form the official misses it (DQ-DU-01)
DELETE FROM kpi.general_mark WHERE official_id = 4 AND period_start = '2026-01-01';
INSERT INTO kpi.general_mark VALUES (4, '2026-02-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');
SELECT ok(EXISTS (SELECT 1 FROM kpi.check_inputs('2026-02-01', 'month') c
                  WHERE c.check_id = 'DQ-DU-01' AND c.official_id = 4)
          AND (SELECT count(*) FROM kpi.check_inputs('2026-02-01', 'month') c WHERE c.severity = 'error') = 1,
          'under quarterly forms the month''s own form is not read, and only that official lacks one');

-- Per unit: the third quarter under the seeded (monthly) rules, the Sở (1)
-- and so Phòng A (2) on quarterly forms, Phòng B (3) monthly by its own row
-- (the nearest ancestor-or-self wins); the forms dated accordingly
INSERT INTO kpi.unit_forms_period (unit_id, effective, forms_period) VALUES
	(1, '[2026-07-01,2026-10-01)', 'quarter'), (3, '[2026-07-01,)', 'period');
INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT f.official_id, d, f.marks
FROM gen_form f JOIN kpi.official o USING (official_id),
     unnest(CASE WHEN o.unit_id = 3 THEN '{2026-07-01,2026-08-01,2026-09-01}'::date[] ELSE '{2026-07-01}' END) d;
INSERT INTO kpi.leader_criteria (official_id, period_start, dd, e)
SELECT f.official_id, d, f.dd, f.e
FROM gen_form f JOIN kpi.official o USING (official_id),
     unnest(CASE WHEN o.unit_id = 3 THEN '{2026-07-01,2026-08-01,2026-09-01}'::date[] ELSE '{2026-07-01}' END) d
WHERE f.official_id <= 3;
SELECT results_eq($$SELECT unit_id, forms_period, forms, set_by FROM kpi.unit_forms('2026-08-01', 'month', '{}') ORDER BY unit_id$$,
                  $$VALUES (1::bigint, 'quarter', '2026-07-01'::date, 1::bigint), (2, 'quarter', '2026-07-01', 1),
                           (3, 'period', '2026-08-01', 3)$$,
                  'kpi.unit_forms: Phòng A inherits the Sở''s quarterly forms, Phòng B keeps its own monthly ones');
SELECT is((SELECT count(*) FROM generate_series(7, 9) m, kpi.check_inputs(make_date(2026, m, 1), 'month') c
           WHERE c.severity = 'error'), 0::bigint,
          'per unit: each unit finds its own kind of form in every month of the quarter');
CALL kpi.evaluate('2026-07-01', 'month');
CALL kpi.evaluate('2026-08-01', 'month');
CALL kpi.evaluate('2026-09-01', 'month');
SELECT is_empty($$
	SELECT q.official_id, (q.period_start + interval '6 months')::date, q.general_points, q.quantity_pct, q.quality_pct,
	       q.progress_pct, q.task_pct, q.task_points, q.d, q.dd, q.e, q.score, q.tier
	FROM kpi.current_official_result q WHERE q.period_start < '2026-04-01'
	EXCEPT
	SELECT m.official_id, m.period_start, m.general_points, m.quantity_pct, m.quality_pct,
	       m.progress_pct, m.task_pct, m.task_points, m.d, m.dd, m.e, m.score, m.tier
	FROM kpi.current_official_result m WHERE m.period_start >= '2026-07-01'
$$, 'per unit: quarterly forms in two units and monthly forms in the third give the first quarter''s results');
-- each unit reads only its own kind: a Phòng B official without an August form
-- misses it although the quarter's form exists; a Phòng A official's August
-- form is not read
DELETE FROM kpi.general_mark WHERE official_id = 5 AND period_start = '2026-08-01';
INSERT INTO kpi.general_mark VALUES (4, '2026-08-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');
SELECT results_eq($$SELECT official_id FROM kpi.check_inputs('2026-08-01', 'month') WHERE check_id = 'DQ-DU-01' ORDER BY 1$$,
                  $$VALUES (5::bigint)$$,
                  'per unit: Phòng B needs its month''s form; Phòng A''s month form is neither needed nor missed');
DELETE FROM kpi.general_mark WHERE official_id = 4 AND period_start = '2026-07-01';
SELECT throws_ok($$SELECT kpi.check_period_forms('2026-08-01', 'month', '{}')$$, '22004',
                 'general-criteria marks are missing for 2 official(s) in period 2026-08-01 (month)',
                 'per unit: kpi.evaluate refuses the month, naming both officials whatever form each reads');
CREATE FUNCTION pg_temp.detail_of(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE d text;
BEGIN
	EXECUTE q;
	RETURN NULL;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
	RETURN d;
END $f$;
SELECT is(pg_temp.detail_of($$SELECT kpi.check_period_forms('2026-08-01', 'month', '{}')$$),
          'Officials without a kpi.general_mark row for 2026-07-01 or 2026-08-01: 4, 5.',
          'per unit: the error names the dates of the forms the officials would read');

SELECT * FROM finish();
ROLLBACK;
