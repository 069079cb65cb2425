--
-- Loading your data (issue 12): CSV files of a small organisation, exported
-- with Vietnamese dates (dd/mm/yyyy) and decimal commas, COPYed into the text
-- staging tables and loaded with one call; then files with mistakes, whose
-- every problem is reported at once, with nothing loaded.
-- pg_regress runs in the repository root, so the paths are test/loader/...
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';

-- the parsers: exactly the format named, never guessed
SELECT v, kpi.stage_date(v, 'DD/MM/YYYY') AS vn, kpi.stage_date(v, 'YYYY-MM-DD') AS iso
FROM unnest('{31/03/2026,29/02/2026,29/02/2028,2026-03-31,3/3/2026,""}'::text[]) AS v;
SELECT v, kpi.stage_number(v, true) AS comma, kpi.stage_number(v, false) AS point
FROM unnest('{"2,5","2.5",12,"1.000,5",-1,""}'::text[]) AS v;
SELECT v, kpi.stage_bool(v) FROM unnest('{có,không,true,0,"",NULL,có thể}'::text[]) AS v;
SELECT kpi.stage_formats('kpi.stage_problems', 'DD/MM/YYYY', true, 1) AS comma,
       kpi.stage_formats('kpi.stage_problems', 'YYYY-MM-DD', false, 0) AS point;
SELECT kpi.stage_formats('kpi.stage_cycle_problems', 'YYYY-MM-DD', NULL, 1);

-- files with mistakes (test/loader/bad): every problem at once, with its line, column and reason
\copy kpi.stage_unit (unit_id, parent_id, name, agency_kind) FROM 'test/loader/bad/unit.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_official (official_id, unit_id, full_name, is_leader, leads_unit, task_group, quota_group) FROM 'test/loader/bad/official.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_task_line (official_id, unit_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) FROM 'test/loader/bad/task_line.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_general_mark (official_id, period_start, marks) FROM 'test/loader/bad/general_mark.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_leader_criteria (official_id, period_start, dd, e) FROM 'test/loader/bad/leader_criteria.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_disciplinary_record (official_id, unit_id, decided_on, kind, form, duty_related) FROM 'test/loader/bad/disciplinary_record.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
CALL kpi.load_staged('DD/MM/YYYY', decimal_comma => true);
SELECT * FROM kpi.stage_problems('DD/MM/YYYY', true);
SELECT (SELECT count(*) FROM kpi.unit) AS units, (SELECT count(*) FROM kpi.official) AS officials,
       (SELECT count(*) FROM kpi.task_line) AS lines;
CALL kpi.load_staged('dd.mm.yyyy');
CALL kpi.stage_clear();


-- the organisation as exported (test/loader)
\copy kpi.stage_unit (unit_id, parent_id, name, agency_kind) FROM 'test/loader/unit.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_official (official_id, unit_id, full_name, is_leader, leads_unit, task_group, quota_group) FROM 'test/loader/official.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_task_line (official_id, unit_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) FROM 'test/loader/task_line.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_general_mark (official_id, period_start, marks) FROM 'test/loader/general_mark.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_leader_criteria (official_id, period_start, dd, e) FROM 'test/loader/leader_criteria.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_disciplinary_record (official_id, unit_id, decided_on, kind, form, duty_related) FROM 'test/loader/disciplinary_record.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')

-- read as ISO dates with decimal points, every date and decimal is wrong
SELECT staging_table, count(*) AS problems FROM kpi.stage_problems() GROUP BY 1 ORDER BY 1;
-- as exported: no problem, and the load goes in
SELECT * FROM kpi.stage_problems('DD/MM/YYYY', true);
CALL kpi.load_staged('DD/MM/YYYY', decimal_comma => true);
SELECT unit_id, parent_id, name, agency_kind FROM kpi.unit ORDER BY 1;
SELECT official_id, unit_id, full_name, is_leader, leads_unit, task_group, quota_group FROM kpi.official ORDER BY 1;
SELECT task_id, official_id, unit_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty,
       quality_errors, late_events FROM kpi.task_line ORDER BY 1;
SELECT official_id, period_start, marks, kpi.general_points(marks) AS g FROM kpi.general_mark ORDER BY 1;
SELECT official_id, period_start, dd, e FROM kpi.leader_criteria ORDER BY 1;
SELECT official_id, unit_id, decided_on, kind, form, duty_related FROM kpi.disciplinary_record;
SELECT (SELECT count(*) FROM kpi.stage_unit) + (SELECT count(*) FROM kpi.stage_task_line) AS staged_left;
-- the loaded month passes the checks (warnings only) and is evaluated
SELECT check_id, severity, official_id, source_id, message_en
FROM kpi.check_inputs('2026-03-01', 'month', as_of => '2026-04-05') ORDER BY 1, 3, 4;
CALL kpi.evaluate('2026-03-01', 'month');
SELECT official_id, general_points, score, tier FROM kpi.current_official_result ORDER BY 1;

-- loading the same files again: every row already exists
\copy kpi.stage_unit (unit_id, parent_id, name, agency_kind) FROM 'test/loader/unit.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_official (official_id, unit_id, full_name, is_leader, leads_unit, task_group, quota_group) FROM 'test/loader/official.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_task_line (official_id, unit_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) FROM 'test/loader/task_line.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_general_mark (official_id, period_start, marks) FROM 'test/loader/general_mark.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_leader_criteria (official_id, period_start, dd, e) FROM 'test/loader/leader_criteria.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')
\copy kpi.stage_disciplinary_record (official_id, unit_id, decided_on, kind, form, duty_related) FROM 'test/loader/disciplinary_record.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')

SELECT staging_table, column_name, count(*) AS problems, min(reason) AS example
FROM kpi.stage_problems('DD/MM/YYYY', true) GROUP BY 1, 2 ORDER BY 1, 2;
CALL kpi.stage_clear();

SET client_min_messages = error;
SET kpi_eval.allow_drop_with_data = on;
DROP EXTENSION kpi_eval_reference;
RESET kpi_eval.allow_drop_with_data;
RESET client_min_messages;
