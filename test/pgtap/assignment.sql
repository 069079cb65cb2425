-- test/pgtap/assignment.sql: properties of assignment history and leave in the
-- reference schema (issue 13, rules.md CY4, Decree 335 Art. 21) on 30 pairs
-- of officials with random task lines and marks for the twelve months of
-- 2026; in each pair the first moves from agency 1 to agency 2 on a random
-- day, the second (the same lines and marks) stays in agency 1:
--   - every month and the year give the pair the same score and tier: an
--     official transferred mid-year gets the same annual score as the same
--     periods scored in one unit;
--   - each month of the transferred official is scored in the unit where
--     they spent most of its days (ties to the later), the year in the unit
--     of its last period;
--   - leave: a month with fewer days worked than min_days_worked is not
--     rated and the year is the mean of the months rated.
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

SELECT plan(8);
SELECT setseed(0.21);

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở A', 'province'), (2, NULL, 'Sở B', 'province');
-- officials 1-30 move, 31-60 are their twins, 61-70 take leave
INSERT INTO kpi.official (official_id, unit_id, full_name, task_group)
SELECT i, 1, 'Công chức ' || i, 'chuyen_vien' FROM generate_series(1, 70) i;
CREATE TEMP TABLE move AS
SELECT i AS official_id, date '2026-01-15' + (random() * 320)::int AS day FROM generate_series(1, 30) i;
INSERT INTO kpi.assignment (official_id, unit_id, task_group, valid)
SELECT m.official_id, 1, 'chuyen_vien', daterange(NULL, m.day) FROM move m
UNION ALL
SELECT m.official_id, 2, 'chuyen_vien', daterange(m.day, NULL) FROM move m;
CREATE TEMP TABLE away AS
SELECT 60 + i AS official_id, date '2026-01-01' + (random() * 300)::int AS first_day,
       (5 + random() * 120)::int AS days
FROM generate_series(1, 10) i;
INSERT INTO kpi.leave (official_id, kind, valid)
SELECT a.official_id, CASE WHEN a.days > 60 THEN 'maternity' ELSE 'sick' END,
       daterange(a.first_day, a.first_day + a.days)
FROM away a;
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('15 ngày', '[2026-01-01,2027-01-01)', '{"min_days_worked": 15}');

-- lines and marks of officials 1-30 and 61-70, copied to the twins 31-60
CREATE TEMP TABLE gen_line AS
SELECT o AS official_id, m, (1 + floor(random() * 3))::numeric AS coef,
       (1 + floor(random() * 27))::int AS due_day, random() < 0.85 AS done, random() < 0.2 AS late,
       (random() * 3)::int AS errors
FROM (SELECT generate_series(1, 30) UNION ALL SELECT generate_series(61, 70)) AS o(o),
     generate_series(1, 12) m, generate_series(1, 3) k
WHERE random() < 0.8;
INSERT INTO kpi.task_line (official_id, title, due, done, coef, completed_qty, passed_qty, quality_errors, late_events)
SELECT g.official_id + tw.shift, 'Việc', make_date(2026, g.m, g.due_day),
       CASE WHEN g.done THEN make_date(2026, g.m, g.due_day) + CASE WHEN g.late THEN 3 ELSE 0 END END,
       g.coef, g.done::int, g.done::int, CASE WHEN g.done THEN g.errors ELSE 0 END,
       CASE WHEN g.done AND g.late THEN 1 ELSE 0 END
FROM gen_line g, (VALUES (0), (30)) AS tw(shift)
WHERE tw.shift = 0 OR g.official_id <= 30;
CREATE TEMP TABLE gen_form AS
SELECT o AS official_id, m,
       ARRAY[round((random() * 5)::numeric * 2) / 2, 5, 2.5, 2.5, 2.5, 2.5, 2.5,
             round((random() * 2.5)::numeric * 2) / 2, 2.5, 2.5] AS marks
FROM (SELECT generate_series(1, 30) UNION ALL SELECT generate_series(61, 70)) AS o(o), generate_series(1, 12) m;
INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT f.official_id + tw.shift, make_date(2026, f.m, 1), f.marks
FROM gen_form f, (VALUES (0), (30)) AS tw(shift)
WHERE tw.shift = 0 OR f.official_id <= 30;

DO $$
BEGIN
	FOR m IN 1..12 LOOP
		CALL kpi.evaluate(make_date(2026, m, 1), 'month');
	END LOOP;
	CALL kpi.evaluate('2026-01-01', 'year');
END
$$;

SELECT ok((SELECT count(DISTINCT score) > 30 AND count(DISTINCT unit_id) = 2
           FROM kpi.current_official_result WHERE official_id <= 30 AND period_kind = 'month'),
          'the generated months are varied and the movers are scored in both agencies');
SELECT is_empty($$
	SELECT a.period_kind, a.period_start, a.official_id
	FROM kpi.current_official_result a
	JOIN kpi.current_official_result b
	  ON b.official_id = a.official_id + 30 AND b.period_kind = a.period_kind AND b.period_start = a.period_start
	WHERE a.official_id <= 30
	  AND (a.score, a.tier, a.general_points, a.task_points) IS DISTINCT FROM (b.score, b.tier, b.general_points, b.task_points)
$$, 'a transferred official and their twin in one unit have the same score and tier every month and the year');
SELECT is((SELECT count(*) FROM kpi.current_official_result a
           JOIN kpi.current_official_result b ON b.official_id = a.official_id + 30 AND b.period_kind = a.period_kind
                                              AND b.period_start = a.period_start
           WHERE a.official_id <= 30), 390::bigint, 'every pair has its 12 months and the year');
-- the unit of a month: most days, ties to the later assignment (the day of
-- the move is the first of the new unit: unit 2 has (end - day + 1) days)
SELECT is_empty($$
	SELECT r.official_id, r.period_start
	FROM kpi.current_official_result r JOIN move m USING (official_id)
	WHERE r.period_kind = 'month'
	  AND r.unit_id <> CASE WHEN m.day <= r.period_start THEN 2
	                        WHEN m.day > (r.period_start + interval '1 month - 1 day')::date THEN 1
	                        WHEN (r.period_start + interval '1 month')::date - m.day >= m.day - r.period_start THEN 2
	                        ELSE 1 END
$$, 'each month is scored in the unit of most of its days, ties to the later');
SELECT is_empty($$
	SELECT y.official_id FROM kpi.current_official_result y
	WHERE y.period_kind = 'year' AND y.official_id <= 30 AND y.unit_id <> 2
$$, 'the year of a mover is rated in the new agency (the unit of the last period)');
-- leave: the days worked of a month are its days less the leave
SELECT ok((SELECT count(*) FILTER (WHERE not_rated IS NOT NULL) > 3
                  AND count(*) FILTER (WHERE not_rated IS NULL AND score IS NOT NULL) > 50
           FROM kpi.current_official_result WHERE official_id > 60 AND period_kind = 'month'),
          'the leave leaves months not rated and months rated');
SELECT is_empty($$
	SELECT r.official_id, r.period_start
	FROM kpi.current_official_result r JOIN away a USING (official_id)
	CROSS JOIN LATERAL (SELECT r.period_start AS s, (r.period_start + interval '1 month')::date AS e) p
	WHERE r.period_kind = 'month'
	  AND (r.not_rated IS NOT NULL)
	      <> ((p.e - p.s) - greatest(0, least(p.e, a.first_day + a.days) - greatest(p.s, a.first_day)) < 15)
$$, 'a month is not rated exactly when its days less the leave are fewer than min_days_worked');
SELECT is_empty($$
	SELECT y.official_id
	FROM kpi.current_official_result y
	WHERE y.period_kind = 'year' AND y.official_id > 60
	  AND y.score IS DISTINCT FROM (SELECT round(avg(m.score), 2) FROM kpi.current_official_result m
	                                WHERE m.official_id = y.official_id AND m.period_kind = 'month')
$$, 'the year of an official on leave is the mean of the months rated');

SELECT * FROM finish();
ROLLBACK;
