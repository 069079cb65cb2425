--
-- kpi.check_inputs (rules.md DQ1-DQ4, issue 12): one fixture per check id,
-- each finding with its message in Vietnamese and English; the gate of
-- kpi.evaluate (DQ5): errors refuse the run and list every error, warnings
-- are recorded with the run, a period without inputs is refused unless
-- allow_empty => true.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET timezone = 'Asia/Ho_Chi_Minh';

-- agency 1 (units 2, 3, 13) and agency 10 (units 11, 12); 20 and 21 will loop
INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở Nội vụ', 'province'), (2, 1, 'Phòng Công chức', NULL), (3, 1, 'Phòng Tổ chức', NULL),
	(10, NULL, 'Sở Tư pháp', 'province'), (11, 10, 'Phòng Hộ tịch', NULL), (12, 10, 'Phòng Bổ trợ', NULL),
	(13, 10, 'Phòng Văn thư', NULL),
	(20, NULL, 'Đơn vị A', NULL), (21, 20, 'Đơn vị B', NULL);
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, quota_group) VALUES
	(1, 1, 'Giám đốc Nội vụ', true, NULL, NULL),
	(2, 2, 'Chuyên viên An', false, NULL, 'Chuyên viên'),
	(3, 2, 'Trưởng phòng Bình', true, NULL, NULL),
	(4, 3, 'Chuyên viên Cường', false, NULL, NULL),
	(5, 3, 'Chuyên viên Dung', false, NULL, NULL),
	(6, 1, 'Phó giám đốc Em', true, 2, NULL),
	(7, 11, 'Chuyên viên Giang', false, NULL, 'Chuyên viên'),
	(8, 12, 'Trưởng phòng Hà', true, 13, NULL),
	(9, 11, 'Trưởng phòng Khánh', true, NULL, NULL),
	(10, 10, 'Giám đốc Tư pháp', true, NULL, NULL);
-- DQ-DUNG-03: a loop; DQ-DUNG-04: unit 13 moves to agency 1, official 8 still leads it
UPDATE kpi.unit SET parent_id = 21 WHERE unit_id = 20;
UPDATE kpi.unit SET parent_id = 1 WHERE unit_id = 13;

INSERT INTO kpi.task_line (official_id, unit_id, title, due, done, completed_qty, passed_qty, late_events,
                           created_at, updated_at) VALUES
	(2, NULL, 'Báo cáo tháng', '2026-03-10', '2026-03-10', 1, 1, 0, '2026-03-01', '2026-03-10'),
	(2, NULL, 'Báo cáo tháng', '2026-03-10', '2026-03-10', 1, 1, 0, '2026-03-01', '2026-03-10'),	-- DQ-SACH-01
	(2, NULL, 'Tờ trình', '2026-03-12', '2026-03-14', 1, 1, 0, '2026-03-01', '2026-03-14'),		-- DQ-DUNG-06
	(2, NULL, 'Công văn', '2026-03-20', NULL, 1, 1, 0, '2026-03-01', '2026-03-20'),			-- DQ-DUNG-07
	(3, NULL, 'Kế hoạch', '2026-03-25', '2026-04-25', 1, 1, 1, '2026-03-01', '2026-03-25'),		-- DQ-DUNG-05
	(3, NULL, 'Đề án', '2026-03-05', NULL, 0, 0, 0, '2026-03-01', '2026-03-01'),			-- DQ-SONG-01
	(4, NULL, 'Hồ sơ', '2026-03-15', '2026-03-15', 1, 1, 0, '2026-03-01', '2026-03-15'),		-- DQ-DU-01
	(7, NULL, 'Hộ tịch', '2026-03-15', '2026-03-15', 1, 1, 0, '2026-03-01', '2026-03-15'),
	(1, NULL, 'Chỉ đạo', '2026-03-31', '2026-03-31', 1, 1, 0, '2026-03-01', '2026-03-31'),
	(9, NULL, 'Điều hành', '2026-03-31', '2026-03-31', 1, 1, 0, '2026-03-01', '2026-03-31'),
	(NULL, 2, 'Kế hoạch của phòng', '2026-03-31', '2026-03-31', 1, 1, 0, '2026-03-01', '2026-03-31');	-- DQ-SACH-06
INSERT INTO kpi.general_mark (official_id, period_start, marks, created_at, updated_at) VALUES
	(1, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', '2026-03-31', '2026-03-31'),
	(2, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', '2026-03-31', '2026-04-25'),	-- DQ-SONG-02
	(3, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', '2026-03-31', '2026-03-31'),	-- DQ-DU-02
	(5, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', '2026-03-31', '2026-03-31'),	-- DQ-DU-06, DQ-DU-03
	(7, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', '2026-03-31', '2026-03-31'),
	(9, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', '2026-03-31', '2026-03-31');
INSERT INTO kpi.leader_criteria (official_id, period_start, dd, e, created_at, updated_at) VALUES
	(1, '2026-03-01', 75, 100, '2026-03-31', '2026-03-31'),			-- DQ-DUNG-02
	(2, '2026-03-01', 100, 100, '2026-03-31', '2026-03-31'),			-- DQ-SACH-04
	(9, '2026-03-01', 100, 100, '2026-02-20', '2026-02-20');			-- DQ-SONG-03

-- every problem of March, seen on 20 April 2026 (cut-off 16 April)
SELECT check_id, severity, unit_id, official_id, source_table, source_id, message_vi, message_en
FROM kpi.check_inputs('2026-03-01', 'month', as_of => '2026-04-20')
ORDER BY check_id, unit_id, official_id, source_id;

-- DQ-DUNG-01: April is under a rule set with a four-mark form
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('Phiếu 4 tiêu chí', '[2026-04-01,2026-05-01)',
        '{"general_points": 40, "task_points": 60, "general_marks_max": [10, 10, 10, 10]}');
INSERT INTO kpi.general_mark (official_id, period_start, marks) VALUES
	(7, '2026-04-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty) VALUES
	(7, 'Hộ tịch', '2026-04-15', '2026-04-15', 1, 1);
SELECT check_id, severity, official_id, source_table, message_vi, message_en
FROM kpi.check_inputs('2026-04-01', 'month', as_of => '2026-04-20')
WHERE check_id LIKE 'DQ-DUNG-%' ORDER BY 1, 3, message_en;

-- the year: agencies' inputs and indices, quota groups, corruption records
INSERT INTO kpi.agency_input (unit_id, year, marks) VALUES (1, 2026, '{7,6.5,6.5,6.5}');
INSERT INTO kpi.index_value VALUES (1, 2026, 'par', 91.43), (1, 2026, 'dti_ratio', 0.8);
INSERT INTO kpi.disciplinary_record (unit_id, decided_on, kind) VALUES (3, '2026-06-01', 'unit_corruption');
SELECT check_id, severity, unit_id, official_id, source_table, source_id, message_vi, message_en
FROM kpi.check_inputs('2026-01-01', 'year')
ORDER BY check_id, unit_id, source_id;

-- bad arguments
\i sql/include/err.sql
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.check_inputs(NULL, 'month')$$);
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.check_inputs('2026-03-05', 'month')$$);
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.check_inputs('2026-03-01', 'month', stale_days => -1)$$);

------------------------------------------------------------------------------
-- The gate of kpi.evaluate (DQ5)
------------------------------------------------------------------------------

-- every error at once, in the detail; nothing is written
CALL kpi.evaluate('2026-03-01', 'month');
SELECT (SELECT count(*) FROM kpi.evaluation_run) AS runs, (SELECT count(*) FROM kpi.input_check_run) AS check_runs;
-- the DBA keeps them in a table
SELECT kpi.record_input_check('2026-03-01', 'month', '2026-04-20') AS check_run_id;
SELECT check_run_id, period_start, period_kind, errors, warnings, run_id, checked_by = current_user AS by_me
FROM kpi.input_check_run;
SELECT problem_no, check_id, severity, official_id, source_table, source_id
FROM kpi.input_problem WHERE severity = 'error' ORDER BY problem_no;
SELECT period_start, errors, warnings FROM kpi.latest_input_check;

-- corrected: the run goes through and keeps its warnings
UPDATE kpi.unit SET parent_id = NULL WHERE unit_id = 20;
UPDATE kpi.unit SET parent_id = 10 WHERE unit_id = 13;
UPDATE kpi.leader_criteria SET dd = 50 WHERE official_id = 1;
INSERT INTO kpi.general_mark (official_id, period_start, marks) VALUES (4, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');
SELECT count(*) FILTER (WHERE severity = 'error') AS errors, count(*) FILTER (WHERE severity = 'warning') AS warnings
FROM kpi.check_inputs('2026-03-01', 'month', as_of => '2026-04-20');
CALL kpi.evaluate('2026-03-01', 'month');
SELECT w.run_id = r.run_id AS same_run, w.check_id, w.official_id, w.source_table, w.source_id
FROM kpi.run_input_warning w JOIN kpi.evaluation_run r ON r.period_start = w.period_start
ORDER BY w.problem_no;
SELECT official_id, score FROM kpi.current_official_result ORDER BY official_id;

-- a month without inputs is refused, so an early scheduled run blocks nothing
CALL kpi.evaluate('2026-06-01', 'month');
CALL kpi.evaluate('2027-01-01', 'year');
SELECT kpi.period_has_inputs('2026-03-01', 'month') AS march, kpi.period_has_inputs('2026-06-01', 'month') AS june,
       kpi.period_has_inputs('2026-01-01', 'year') AS y2026, kpi.period_has_inputs('2027-01-01', 'year') AS y2027;
CALL kpi.evaluate('2026-06-01', 'month', allow_empty => true);
CALL kpi.evaluate('2026-06-01', 'month', allow_empty => NULL);

-- the two line-check messages the fixture above does not reach: a done date
-- with nothing completed (DQ-DUNG-07) and a line changed after the cut-off
-- (DQ-SONG-02); each line check's text is written for its hits only
BEGIN;
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, created_at, updated_at) VALUES
	(5, 'Tổng hợp', '2026-05-18', '2026-05-18', 0, 0, '2026-05-01', '2026-05-18'),
	(5, 'Thống kê', '2026-05-19', '2026-05-19', 1, 1, '2026-05-01', '2026-06-18 10:30');
SELECT check_id, severity, official_id, source_table, message_vi, message_en
FROM kpi.check_inputs('2026-05-01', 'month', as_of => '2026-06-20')
WHERE source_table = 'task_line' ORDER BY check_id, source_id;
ROLLBACK;

SET client_min_messages = error;
SET kpi_eval.allow_drop_with_data = on;
DROP EXTENSION kpi_eval_reference;
RESET kpi_eval.allow_drop_with_data;
RESET client_min_messages;
