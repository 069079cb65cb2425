--
-- Data quality where values enter (rules.md DQ1, issue 12): the constraints of
-- the reference tables refuse bad task lines, marks and criteria dated off a
-- period start, leaders of units outside their agency and impossible dossier
-- counts, at INSERT, UPDATE and COPY, naming the row; created_at/updated_at
-- are kept by a trigger.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i sql/include/err.sql
-- the failing row of a CHECK shows created_at and updated_at: keep the rest
CREATE FUNCTION pg_temp.err_row(q text, OUT code text, OUT message text, OUT detail text)
LANGUAGE sql AS $$
	SELECT e.code, e.message,
	       regexp_replace(e.detail, '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[.0-9]*[-+]\d\d', '<time>', 'g')
	FROM pg_temp.err(q) e
$$;

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở Nội vụ', 'province'), (2, 1, 'Phòng Công chức', NULL),
	(3, NULL, 'Sở Tư pháp', 'province'), (4, 3, 'Phòng Hộ tịch', NULL);
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit) VALUES
	(1, 1, 'Nguyễn Văn An', true, 2), (2, 2, 'Trần Thị Bình', false, NULL);

-- the library function behind the task line constraint (the same rule as kpi.tally_agg)
SELECT kpi.task_line_problem(1, 1, 1, 1, 0, 0) AS ok,
       kpi.task_line_problem(-1, 1, 1, 1, 0, 0) AS negative,
       kpi.task_line_problem(0.33333, 1, 1, 1, 0, 0) AS too_precise,
       kpi.task_line_problem(1, 1, 1, 2, 0, 0) AS passed_gt_completed;
SELECT kpi.task_line_problem('NaN', 1, 1, 1, 0, 0) AS nan,
       kpi.task_line_problem(1, 1e13, 1, 1, 0, 0) AS too_large,
       kpi.task_line_problem(1, 1, 1, 1, -1, 0) AS errors,
       kpi.task_line_problem(1, 1, 1, 1, 0, -2) AS late,
       kpi.task_line_problem(NULL, 1, 1, 1, 0, 0) AS null_is_no_problem;
SELECT kpi.task_line_check(7, 1, NULL, 1, 1, 1, 1, 0, 0) AS accepted;

-- task lines: each refusal names the line, its official or unit, and why
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.task_line (official_id, due, completed_qty, passed_qty)
                           VALUES (2, '2026-03-10', 1, 2)$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.task_line (official_id, due, coef) VALUES (2, '2026-03-10', -1)$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.task_line (official_id, due, coef) VALUES (2, '2026-03-10', 0.33333)$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.task_line (unit_id, due, assigned_qty) VALUES (1, '2026-03-10', 'NaN')$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.task_line (official_id, due, late_events) VALUES (2, '2026-03-10', -1)$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.task_line (official_id, due, quality_errors) VALUES (2, '2026-03-10', -1)$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.task_line (official_id, due, done) VALUES (2, '2026-03-10', '0206-03-10')$$);
SELECT count(*) AS lines FROM kpi.task_line;
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
VALUES (2, 'Báo cáo', '2026-03-10', '2026-03-09', 1, 1);
SELECT * FROM pg_temp.err_row($$UPDATE kpi.task_line SET passed_qty = 3 WHERE official_id = 2$$);

-- COPY: the first bad row stops it, with its line of input in the context
\set SHOW_CONTEXT errors
COPY kpi.task_line (official_id, due, coef, assigned_qty, completed_qty, passed_qty) FROM stdin WITH (FORMAT csv);
2,2026-03-11,1,1,1,1
2,2026-03-12,1,1,1,2
\.
\set SHOW_CONTEXT never
SELECT count(*) AS lines FROM kpi.task_line;

-- marks and criteria dated on the 15th would never be read: refused
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.general_mark (official_id, period_start, marks)
                           VALUES (2, '2026-03-15', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}')$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.leader_criteria (official_id, period_start, dd) VALUES (1, '2026-03-15', 50)$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.leader_criteria (official_id, period_start, e) VALUES (1, '2026-03-01', 150)$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.leader_criteria (official_id, period_start, dd) VALUES (1, '2026-03-01', -50)$$);
\set VERBOSITY terse
COPY kpi.general_mark (official_id, period_start, marks) FROM stdin;
2	2026-04-02	{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}
\.
\set VERBOSITY default

-- leads_unit: only a leader has one, and it is inside the leader's agency
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.official (official_id, unit_id, full_name, leads_unit)
                           VALUES (3, 2, 'Lê Văn Cường', 2)$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit)
                           VALUES (3, 2, 'Lê Văn Cường', true, 4), (4, 1, 'Phạm Thị Dung', true, 3)$$);
SELECT * FROM pg_temp.err_row($$UPDATE kpi.official SET leads_unit = 4 WHERE official_id = 1$$);
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit) VALUES (5, 4, 'Võ Văn Em', true, 3);
SELECT official_id, unit_id, leads_unit FROM kpi.official ORDER BY 1;

-- dossier counts of an agency
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.agency_input (unit_id, year, marks, dossiers, dossiers_on_time)
                           VALUES (1, 2026, '{7,6.5,6.5,6.5}', 100, 101)$$);
SELECT * FROM pg_temp.err_row($$INSERT INTO kpi.agency_input (unit_id, year, marks, dossiers, dossiers_online)
                           VALUES (1, 2026, '{7,6.5,6.5,6.5}', 100, -1)$$);

-- created_at stays, updated_at follows the database clock on every change
INSERT INTO kpi.general_mark (official_id, period_start, marks, created_at, updated_at)
VALUES (2, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', '2026-03-31 08:00+07', '2026-03-31 08:00+07');
UPDATE kpi.general_mark SET marks = '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2}', created_at = now(), updated_at = '2020-01-01'
WHERE official_id = 2;
SELECT created_at = '2026-03-31 08:00+07' AS created_kept, updated_at > created_at + interval '1 day' AS updated_now,
       marks FROM kpi.general_mark;
UPDATE kpi.task_line SET done = '2026-03-10' WHERE official_id = 2 AND due = '2026-03-10';
SELECT due, done, updated_at > created_at AS updated FROM kpi.task_line ORDER BY due;

SET client_min_messages = error;
SET kpi_eval.allow_drop_with_data = on;
DROP EXTENSION kpi_eval_reference;
RESET kpi_eval.allow_drop_with_data;
RESET client_min_messages;
