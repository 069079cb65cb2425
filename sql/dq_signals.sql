--
-- Data quality for dashboards (kpi.unit_data_quality) and integrity signals
-- (kpi.integrity_signals, rules.md DQ6): one fixture per signal in a group of
-- six peers; signals never change a score.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở Nội vụ', 'province'), (2, 1, 'Phòng Công chức', NULL), (3, 1, 'Phòng Tổ chức', NULL);
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, task_group)
SELECT i, 2, 'Chuyên viên ' || i, false, 'cv' FROM generate_series(1, 6) i;
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, task_group) VALUES
	(7, 2, 'Trưởng phòng', true, 'ld'), (8, 3, 'Trưởng phòng Tổ chức', true, 'ld'),
	(9, 3, 'Chuyên viên 9', false, 'cv'), (10, 3, 'Chuyên viên 10', false, 'cv');

-- February: one line each, done on time; official 5 did not complete theirs
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT i, 'Việc tháng 2', '2026-02-20', CASE WHEN i <> 5 THEN date '2026-02-20' END,
       (i <> 5)::int, (i <> 5)::int
FROM generate_series(1, 7) i;
-- March: five lines each, on their due dates; official 1 closes all on the
-- 30th (DQ-TIN-01), official 2's lines weigh 4 (DQ-TIN-02), every line
-- but official 4's has one failed review (DQ-TIN-03)
INSERT INTO kpi.task_line (official_id, title, due, done, coef, completed_qty, passed_qty, quality_errors)
SELECT i, 'Việc tháng 3 số ' || j, CASE WHEN i = 1 THEN date '2026-03-31' ELSE date '2026-03-01' + 5 * j - 1 END,
       CASE WHEN i = 1 THEN date '2026-03-30' ELSE date '2026-03-01' + 5 * j - 1 END,
       CASE WHEN i = 2 THEN 4 ELSE 1 END, 1, 1, (i <> 4 AND j = 1)::int
FROM generate_series(1, 7) i, generate_series(1, 5) j;
INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT i, m, CASE WHEN i IN (1, 2) THEN '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2}'::numeric[]
                  ELSE '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}' END
FROM generate_series(1, 7) i, unnest('{2026-02-01,2026-03-01}'::date[]) m;
-- unit 3: all three at the maximum marks (DQ-TIN-04)
INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT i, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}' FROM generate_series(8, 10) i;
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT i, 'Việc tháng 3', '2026-03-10', '2026-03-10', 1, 1 FROM generate_series(8, 10) i;

CALL kpi.evaluate('2026-02-01', 'month');
CALL kpi.evaluate('2026-03-01', 'month');
SELECT official_id, period_start, score FROM kpi.current_official_result WHERE official_id <= 7
ORDER BY 1, 2;

SELECT signal_id, official_id, unit_id, task_group, statistic, peer_median, peer_mad, peers, message_vi, message_en
FROM kpi.integrity_signals('2026-03-01', 'month') ORDER BY 1, 2, 3;
-- fewer peers than asked for: no signal by peers (the unit signal stays)
SELECT signal_id, count(*) FROM kpi.integrity_signals('2026-03-01', 'month', min_peers => 7) GROUP BY 1 ORDER BY 1;
-- a signal changes no score: the results are what they were
SELECT count(*) AS runs FROM kpi.evaluation_run;
\i sql/include/err.sql
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.integrity_signals('2026-01-01', 'year')$$);
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.integrity_signals(NULL, 'month')$$);

-- the dashboard view over the latest recorded check of each period
SELECT unit_id, period_start, period_kind, officials, officials_complete, share_complete, lines, lines_on_time,
       share_on_time, newest_update IS NOT NULL AS has_update, newest_update_age >= interval '0' AS age_ok,
       errors, warnings, problems_by_check
FROM kpi.unit_data_quality ORDER BY period_start, unit_id;

SET client_min_messages = error;
SET kpi_eval.allow_drop_with_data = on;
DROP EXTENSION kpi_eval_reference;
RESET kpi_eval.allow_drop_with_data;
RESET client_min_messages;
