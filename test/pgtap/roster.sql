-- test/pgtap/roster.sql: the reference schema's helpers of kpi.score_period
-- that no other test names directly (issues 13 and 15):
--   - kpi.leader_scopes: each root's scope is the unit and every unit below it;
--   - kpi.period_roster: one row per official of the period, in the unit of
--     the assignment covering most of its days, with the approved marks, the
--     self-assessment, the level pending and the days worked (CY1, CY4);
--   - kpi.check_period_forms: work without a form is 22004, a form whose
--     levels are not yet decided 55000, or a NOTICE under "unapproved": "skip".
-- Everything runs in one transaction, rolled back.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS kpi_eval_reference CASCADE;
SET client_min_messages = warning;

SELECT plan(9);

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở A', 'province'), (2, 1, 'Phòng B', NULL), (3, 2, 'Tổ C', NULL), (4, NULL, 'Sở D', 'province');
INSERT INTO kpi.official (official_id, unit_id, full_name, task_group) VALUES
	(1, 2, 'Công chức 1', 'chuyen_vien'), (2, 3, 'Công chức 2', 'chuyen_vien'), (3, 3, 'Công chức 3', 'chuyen_vien');

SELECT results_eq(
	$$SELECT root, scope FROM kpi.leader_scopes(ARRAY[1, 2, 4]::bigint[]) ORDER BY root$$,
	$$VALUES (1::bigint, '{1,2,3}'::bigint[]), (2, '{2,3}'), (4, '{4}')$$,
	'kpi.leader_scopes: each root with the units below it, in ascending order');

-- official 2 moves from unit 3 to unit 4 on 2026-03-20: 19 days against 12
INSERT INTO kpi.assignment (official_id, unit_id, task_group, valid)
VALUES (2, 3, 'chuyen_vien', daterange(NULL, '2026-03-20')), (2, 4, 'chuyen_vien', daterange('2026-03-20', NULL));
INSERT INTO kpi.leave (official_id, kind, valid) VALUES (3, 'sick', daterange('2026-03-01', '2026-03-29'));
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, late_events)
SELECT o, 'Việc ' || o, date '2026-03-20', date '2026-03-19', 1, 1, 0 FROM generate_series(1, 3) o;
INSERT INTO kpi.general_mark (official_id, period_start, marks)
VALUES (1, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');
INSERT INTO kpi.assessment (official_id, period_start, level, marks)
VALUES (2, '2026-03-01', 'self', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}');

SELECT results_eq(
	$$SELECT official_id, unit_id, marks IS NOT NULL, has_form, self_marks IS NOT NULL, pending, days_worked, not_rated
	  FROM kpi.period_roster('2026-03-01', 'month', '{}') ORDER BY official_id$$,
	$$VALUES (1::bigint, 2::bigint, true, true, false, NULL::text, 31, NULL::text),
	         (2, 3, false, true, true, 'manager', 31, 'not approved (pending: manager)'),
	         (3, 3, false, false, false, NULL, 3, NULL)$$,
	'kpi.period_roster: the unit of most days, the approved form, the pending level, the days worked');
SELECT is((SELECT not_rated FROM kpi.period_roster('2026-03-01', 'month', '{"min_days_worked": 5}')
           WHERE official_id = 3),
          'worked 3 days (min_days_worked 5)',
          'kpi.period_roster: fewer days worked than min_days_worked is not rated, with the reason');
SELECT is((SELECT count(*) FROM kpi.period_roster('2026-04-01', 'month', '{}')), 3::bigint,
          'kpi.period_roster: every official assigned in the period has a row, with or without work');

-- official 3 worked 3 days and has no form: with min_days_worked 5 they need none
SELECT throws_ok($$SELECT kpi.check_period_forms('2026-03-01', 'month', '{"min_days_worked": 5}')$$,
	'55000', NULL, 'kpi.check_period_forms: a form with levels and no decision is refused');
SELECT lives_ok($$SELECT kpi.check_period_forms('2026-03-01', 'month', '{"min_days_worked": 5, "unapproved": "skip"}')$$,
	'kpi.check_period_forms: under "unapproved": "skip" the pending form is no error');
SELECT throws_ok($$SELECT kpi.check_period_forms('2026-03-01', 'month', '{"unapproved": "skip"}')$$,
	'22004', NULL, 'kpi.check_period_forms: work without a form at any level is refused (official 3)');
INSERT INTO kpi.general_mark (official_id, period_start, marks)
VALUES (3, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');
SELECT lives_ok($$SELECT kpi.check_period_forms('2026-03-01', 'month', '{"unapproved": "skip"}')$$,
	'kpi.check_period_forms: every official with work has a form');
SELECT throws_ok($$SELECT kpi.check_period_forms('2026-03-01', 'month', '{}')$$,
	'55000', NULL, 'kpi.check_period_forms: refuse is the default for a pending form');

SELECT * FROM finish();
ROLLBACK;
