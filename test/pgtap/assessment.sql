-- test/pgtap/assessment.sql: properties of self-assessment and approval in the
-- reference schema (issue 13, rules.md CY1) on 3 units and 40 officials with
-- 3 leaders, random task lines, random self-assessed marks lowered at random
-- by the manager, a quarter of the forms left pending:
--   - under "unapproved": "skip" an official is not rated exactly when their
--     form is pending, and kpi.assessment_pending lists exactly those forms;
--   - the self-score of a non-leader is the score they get when the decision
--     takes their self-assessed marks (the month evaluated again);
--   - the ledger adds up to 100 - score, with one 0-point CY1 row per mark
--     (and dd, e) where the decision differs from the self-assessment.
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

SELECT plan(7);
SELECT setseed(0.01);

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở', 'province'), (2, 1, 'Phòng A', NULL), (3, 1, 'Phòng B', NULL);
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group)
SELECT i, CASE WHEN i <= 3 THEN i ELSE 2 + i % 2 END, 'Công chức ' || i, i <= 3, CASE WHEN i <= 3 THEN i END,
       CASE WHEN i <= 3 THEN 'lanh_dao' ELSE 'chuyen_vien' END
FROM generate_series(1, 40) i;
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('bỏ qua phiếu chưa duyệt', '[2026-03-01,2026-04-01)', '{"unapproved": "skip"}');
INSERT INTO kpi.task_line (official_id, title, due, done, coef, completed_qty, passed_qty, quality_errors)
SELECT o, 'Việc', make_date(2026, 3, (1 + floor(random() * 27))::int), CASE WHEN random() < 0.85 THEN '2026-03-28'::date END,
       (1 + floor(random() * 3))::numeric, 0, 0, 0
FROM generate_series(1, 40) o, generate_series(1, 3) k;
UPDATE kpi.task_line SET completed_qty = 1, passed_qty = 1, quality_errors = (random() * 2)::int WHERE done IS NOT NULL;

CREATE TEMP TABLE gen AS
SELECT o AS official_id,
       ARRAY[5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5]::numeric[] AS self,
       ARRAY[5 - floor(random() * 3), 5, 2.5, 2.5 - floor(random() * 2), 2.5, 2.5, 2.5, 2.5, 2.5,
             2.5 - floor(random() * 3) / 2]::numeric[] AS approved,
       CASE WHEN random() < 0.4 THEN 50 END AS dd, random() < 0.25 AS pending
FROM generate_series(1, 40) o;
INSERT INTO kpi.assessment (official_id, period_start, level, marks)
SELECT g.official_id, '2026-03-01', 'self', g.self FROM gen g;
INSERT INTO kpi.assessment (official_id, period_start, level, marks, dd)
SELECT g.official_id, '2026-03-01', 'manager', g.approved, g.dd FROM gen g;
INSERT INTO kpi.assessment (official_id, period_start, level, marks, dd)
SELECT g.official_id, '2026-03-01', 'review', g.approved, g.dd FROM gen g WHERE g.official_id <= 3;
INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT g.official_id, '2026-03-01', g.approved FROM gen g WHERE NOT g.pending;
INSERT INTO kpi.leader_criteria (official_id, period_start, dd, e)
SELECT g.official_id, '2026-03-01', g.dd, NULL FROM gen g WHERE NOT g.pending AND g.official_id <= 3;

CALL kpi.evaluate('2026-03-01', 'month');
CREATE TEMP TABLE first_run AS SELECT * FROM kpi.current_official_result;

SELECT ok((SELECT count(*) FILTER (WHERE pending) BETWEEN 5 AND 20 FROM gen)
          AND (SELECT count(DISTINCT score) > 10 FROM first_run),
          'the generated forms are varied, some pending');
SELECT is_empty($$
	SELECT r.official_id FROM first_run r JOIN gen g USING (official_id)
	WHERE (r.not_rated IS NOT NULL) <> g.pending OR (g.pending AND r.score IS NOT NULL)
$$, 'an official is not rated exactly when their form is pending');
SELECT set_eq($$SELECT official_id FROM kpi.assessment_pending WHERE pending_level = 'approved'$$,
              $$SELECT official_id FROM gen WHERE pending$$,
              'kpi.assessment_pending lists exactly the forms pending the decision');
SELECT is_empty($$
	SELECT r.official_id FROM first_run r
	JOIN (SELECT l.official_id, sum(l.points_lost) AS lost FROM kpi.ledger l
	      WHERE l.run_id = (SELECT max(run_id) FROM first_run) GROUP BY l.official_id) l USING (official_id)
	WHERE r.score IS NOT NULL AND l.lost <> 100 - r.score
$$, 'the ledger adds up to 100 - score');
SELECT is_empty($$
	SELECT g.official_id
	FROM gen g JOIN first_run r USING (official_id)
	WHERE r.score IS NOT NULL
	  AND (SELECT count(*) FROM kpi.ledger l WHERE l.run_id = r.run_id AND l.official_id = g.official_id
	       AND l.rule_id = 'CY1' AND l.points_lost = 0)
	      <> (SELECT count(*) FROM unnest(g.self, g.approved) AS m(s, a) WHERE s <> a)
	         + CASE WHEN g.official_id <= 3 AND g.dd IS NOT NULL THEN 1 ELSE 0 END
$$, 'one 0-point CY1 row per item the decision changed');
SELECT ok((SELECT bool_and(self_score >= score) AND bool_or(self_score > score)
           FROM first_run WHERE score IS NOT NULL),
          'the self-assessment (all marks at their maxima) never scores below the decision');

-- the decisions take the self-assessed marks: the non-leaders' scores become their self-scores
UPDATE kpi.general_mark m SET marks = g.self FROM gen g WHERE g.official_id = m.official_id;
CALL kpi.evaluate('2026-03-01', 'month', supersede => true);
SELECT is_empty($$
	SELECT f.official_id FROM first_run f JOIN kpi.current_official_result c USING (official_id)
	WHERE NOT f.is_leader AND f.score IS NOT NULL AND f.self_score IS DISTINCT FROM c.score
$$, 'a non-leader''s self-score is the score of a decision that takes the self-assessed marks');

SELECT * FROM finish();
ROLLBACK;
