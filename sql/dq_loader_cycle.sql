--
-- Loading the 2026 cycle (issue 13): the levels of the forms (kpi.assessment),
-- assignment history (kpi.assignment) and leave (kpi.leave) staged from CSV
-- files beside the organisation of test/loader, checked with it and loaded in
-- the same call: first files with mistakes, every problem reported at once
-- and nothing loaded; then the files as they should be, loaded and evaluated;
-- then the same files again, refused as already there.
-- pg_regress runs in the repository root, so the paths are test/loader/...
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';

-- the organisation as exported (test/loader), the cycle's files with mistakes
\copy kpi.stage_unit (unit_id, parent_id, name, agency_kind) FROM 'test/loader/unit.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_official (official_id, unit_id, full_name, is_leader, leads_unit, task_group, quota_group) FROM 'test/loader/official.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_task_line (official_id, unit_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) FROM 'test/loader/task_line.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_general_mark (official_id, period_start, marks) FROM 'test/loader/general_mark.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_leader_criteria (official_id, period_start, dd, e) FROM 'test/loader/leader_criteria.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_assignment (official_id, unit_id, task_group, is_leader, leads_unit, valid_from, valid_to, note) FROM 'test/loader/cycle/bad/assignment.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_leave (official_id, kind, first_day, last_day, note) FROM 'test/loader/cycle/bad/leave.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_assessment (official_id, period_start, level, marks, dd, e, assessed_by, note) FROM 'test/loader/cycle/bad/assessment.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
CALL kpi.load_staged('DD/MM/YYYY', decimal_comma => true);
SELECT * FROM kpi.stage_cycle_problems('DD/MM/YYYY', true);
-- kpi.stage_problems includes them, the organisation's files have none
SELECT staging_table, count(*) AS problems FROM kpi.stage_problems('DD/MM/YYYY', true) GROUP BY 1 ORDER BY 1;
SELECT (SELECT count(*) FROM kpi.unit) AS units, (SELECT count(*) FROM kpi.official) AS officials,
       (SELECT count(*) FROM kpi.assignment) AS assignments, (SELECT count(*) FROM kpi.leave) AS leave,
       (SELECT count(*) FROM kpi.assessment) AS levels, (SELECT count(*) FROM kpi.general_mark) AS forms;
SELECT * FROM kpi.stage_cycle_problems(NULL);
SELECT * FROM kpi.stage_cycle_problems('dd.mm.yyyy');
SELECT * FROM kpi.stage_marks_problems('stage_unit', false, 1);
CALL kpi.stage_clear();
SELECT (SELECT count(*) FROM kpi.stage_assignment) + (SELECT count(*) FROM kpi.stage_leave)
       + (SELECT count(*) FROM kpi.stage_assessment) AS staged_left;

-- the cycle's files as they should be (test/loader/cycle), with the organisation
\copy kpi.stage_unit (unit_id, parent_id, name, agency_kind) FROM 'test/loader/unit.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_official (official_id, unit_id, full_name, is_leader, leads_unit, task_group, quota_group) FROM 'test/loader/official.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_task_line (official_id, unit_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) FROM 'test/loader/task_line.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_general_mark (official_id, period_start, marks) FROM 'test/loader/general_mark.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_leader_criteria (official_id, period_start, dd, e) FROM 'test/loader/leader_criteria.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_assignment (official_id, unit_id, task_group, is_leader, leads_unit, valid_from, valid_to, note) FROM 'test/loader/cycle/assignment.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_leave (official_id, kind, first_day, last_day, note) FROM 'test/loader/cycle/leave.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_assessment (official_id, period_start, level, marks, dd, e, assessed_by, note) FROM 'test/loader/cycle/assessment.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
SELECT * FROM kpi.stage_problems('DD/MM/YYYY', true);
CALL kpi.load_staged('DD/MM/YYYY', decimal_comma => true);
SELECT official_id, unit_id, task_group, is_leader, leads_unit, valid, note FROM kpi.assignment ORDER BY assignment_id;
SELECT official_id, kind, valid, note FROM kpi.leave ORDER BY leave_id;
SELECT official_id, period_start, level, marks, dd, e, assessed_by, note FROM kpi.assessment ORDER BY 1, 2, 3;
-- the mirror: official 3's open assignment is their kpi.official unit
SELECT official_id, unit_id, task_group FROM kpi.official WHERE official_id = 3;
-- March: official 3 is scored in unit 3 (19 days of 31), official 4 worked 26 days
SELECT official_id, unit_id, assignment_id IS NOT NULL AS from_history, days_assigned, days_worked
FROM kpi.period_assignment('2026-03-01', '2026-03-31') ORDER BY 1;
CALL kpi.evaluate('2026-03-01', 'month');
SELECT official_id, unit_id, general_points, self_general_points, score, self_score, tier
FROM kpi.current_official_result ORDER BY 1;

-- the same files again: every assignment, leave and level is there already,
-- and a level is refused on a decided form
\copy kpi.stage_assignment (official_id, unit_id, task_group, is_leader, leads_unit, valid_from, valid_to, note) FROM 'test/loader/cycle/assignment.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_leave (official_id, kind, first_day, last_day, note) FROM 'test/loader/cycle/leave.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_assessment (official_id, period_start, level, marks, dd, e, assessed_by, note) FROM 'test/loader/cycle/assessment.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
SELECT * FROM kpi.stage_problems('DD/MM/YYYY', true);
CALL kpi.stage_clear();

SET client_min_messages = error;
SET kpi_eval.allow_drop_with_data = on;
DROP EXTENSION kpi_eval_reference;
RESET kpi_eval.allow_drop_with_data;
RESET client_min_messages;
