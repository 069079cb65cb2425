--
-- Assignment history, leave and days worked (issue 13 point 4, rules.md CY4,
-- Decree 335/2025/ND-CP Art. 21): periods scored in the unit the official
-- was in, the year combining periods of two agencies, periods with too few
-- days worked recorded as not rated.  Every expected value is worked by hand.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i sql/include/err.sql

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở Nội vụ', 'province'),
	(2, NULL, 'Sở Tài chính', 'province');
INSERT INTO kpi.official (official_id, unit_id, full_name, task_group) VALUES
	(10, 1, 'Trần Thị Bình', 'chuyen_vien'),	-- moves to unit 2 on 16 March
	(11, 1, 'Lê Văn Cường', 'chuyen_vien'),	-- the same work, in unit 1 all year
	(12, 1, 'Phạm Thị Dung', 'chuyen_vien'),	-- maternity leave from 25 January
	(13, 1, 'Hoàng Văn Em', 'chuyen_vien'),	-- sick 5 to 27 January
	(14, 1, 'Võ Thị Giang', 'chuyen_vien');	-- moves to unit 2 on 15 February

-- 10: January to 15 March in unit 1, then unit 2 (the open assignment);
-- kpi.official follows the open assignment
INSERT INTO kpi.assignment (official_id, unit_id, task_group, valid) VALUES
	(10, 1, 'chuyen_vien', '[2026-01-01,2026-03-16)'),
	(10, 2, 'chuyen_vien', '[2026-03-16,)'),
	(14, 1, 'chuyen_vien', '[2025-01-01,2026-02-15)'),
	(14, 2, 'chuyen_vien', '[2026-02-15,)');
SELECT official_id, unit_id FROM kpi.official WHERE official_id IN (10, 14) ORDER BY official_id;
-- an official is in one assignment a day (exclusion constraint, 23P01)
SELECT * FROM pg_temp.err($$INSERT INTO kpi.assignment (official_id, unit_id, valid)
                           VALUES (10, 1, '[2026-03-01,2026-04-01)')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.assignment (official_id, unit_id, valid) VALUES (10, 1, 'empty')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.assignment (official_id, unit_id, leads_unit, valid)
                           VALUES (11, 1, 1, '[2026-01-01,)')$$);
-- another official's days may overlap
INSERT INTO kpi.assignment (official_id, unit_id, task_group, valid) VALUES (11, 1, 'chuyen_vien', '[2026-01-01,)');

INSERT INTO kpi.leave (official_id, kind, valid) VALUES
	(12, 'maternity', '[2026-01-25,2026-08-10)'),
	(13, 'sick', daterange('2026-01-05', '2026-01-27', '[]'));
SELECT * FROM pg_temp.err($$INSERT INTO kpi.leave (official_id, kind, valid) VALUES (12, 'sick', '[2026-03-01,2026-03-05)')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.leave (official_id, kind, valid) VALUES (13, 'sick', '[2026-03-01,)')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.leave (official_id, kind, valid) VALUES (13, 'holiday', '[2026-03-01,2026-03-05)')$$);

-- the days of each month.  10: January 31 and February 28 in unit 1; March:
-- 15 days in unit 1, 16 in unit 2, so unit 2.  14: February 14 days in each
-- unit, a tie, to the later assignment (unit 2).  12: January 24 days
-- worked (1 to 24), February and March none.  13: January 31 - 23 = 8.
-- 11: no leave, every day.
SELECT m.m, pa.official_id, pa.unit_id, pa.assignment_id IS NOT NULL AS from_history,
       pa.days_assigned, pa.days_worked
FROM generate_series(1, 3) m(m)
CROSS JOIN LATERAL kpi.period_assignment(make_date(2026, m.m, 1),
                                         (make_date(2026, m.m, 1) + interval '1 month - 1 day')::date) pa
ORDER BY m.m, pa.official_id;
SELECT * FROM kpi.assignment_on(10, '2026-03-15');
SELECT * FROM kpi.assignment_on(10, '2026-03-16');

-- 2026 rates a period only with at least 10 days worked
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('Ít nhất 10 ngày làm việc', '[2026-01-01,2027-01-01)', '{"min_days_worked": 10}');

-- 10 and 11 the same work: January G 30 all on time (100); February G 29
-- (99); March one of two lines late once: c = (1 + 0.75) / 2 = 87.5,
-- KQ = (100 + 100 + 87.5) / 3 = 95.8333, T = 67.0833, 97.08
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, late_events)
SELECT o, 'Việc ' || i, make_date(2026, m, 20),
       make_date(2026, m, CASE WHEN m = 3 AND i = 1 THEN 22 ELSE 19 END), 1, 1,
       (m = 3 AND i = 1)::int
FROM unnest('{10,11}'::bigint[]) o, generate_series(1, 3) m, generate_series(1, 2) i
UNION ALL	-- 12: a line each month (the March one assigned before the leave, no form)
SELECT 12, 'Việc', make_date(2026, m, 20), make_date(2026, m, 19), 1, 1, 0 FROM generate_series(1, 3) m
UNION ALL	-- 13 and 14: January, February
SELECT 13, 'Việc', '2026-01-20', '2026-01-19', 1, 1, 0
UNION ALL
SELECT 14, 'Việc', '2026-02-20', '2026-02-19', 1, 1, 0;
INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT o, make_date(2026, m, 1), CASE WHEN m = 2 THEN '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}'::numeric[]
                                      ELSE '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}' END
FROM unnest('{10,11}'::bigint[]) o, generate_series(1, 3) m
UNION ALL
SELECT o, make_date(2026, m, 1), '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'
FROM (VALUES (12, 1), (12, 2), (13, 1), (14, 2)) AS x(o, m);

-- 12 in March has work and no form, but is not rated for the days: no
-- DQ-DU-01 error, and kpi.evaluate does not refuse it
SELECT check_id, severity, official_id FROM kpi.check_inputs('2026-03-01', 'month') WHERE severity = 'error';
CALL kpi.evaluate('2026-01-01', 'month');
CALL kpi.evaluate('2026-02-01', 'month');
CALL kpi.evaluate('2026-03-01', 'month');
SELECT period_start, official_id, unit_id, general_points, score, tier, not_rated
FROM kpi.official_result ORDER BY period_start, official_id;

-- the year: 10 and 11 (100 + 99 + 97.08) / 3 = 98.69, 10 rated in unit 2
-- (the unit of the year's last period, Art. 21); 12: January only, 100;
-- 13: no month rated; 14: 100, unit 2
CALL kpi.evaluate('2026-01-01', 'year');
SELECT official_id, unit_id, score, tier, not_rated
FROM kpi.official_result WHERE period_kind = 'year' ORDER BY official_id;

-- kpi.official changed directly moves the open assignment with it (as before 0.2.0)
UPDATE kpi.official SET task_group = 'chuyen_vien_chinh' WHERE official_id = 10;
SELECT official_id, unit_id, task_group, valid FROM kpi.assignment WHERE official_id = 10 ORDER BY valid;

SET kpi_eval.allow_drop_with_data = on;
SET client_min_messages = error;
DROP EXTENSION kpi_eval_reference;
