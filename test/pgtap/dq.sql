-- test/pgtap/dq.sql: the data-quality checks (rules.md DQ1-DQ5, issue 12)
-- on the generated sample province (test/sample/province.sql, loaded into
-- the reference tables by test/sample/load_reference.sql):
--   - the clean province has no error in any month of 2026 nor in the year;
--   - corrupting it in 7 known ways yields exactly those 7 new findings;
--   - kpi.evaluate refuses the corrupted month and names every error;
--   - integrity signals never change a score.
-- The sample loads in transactions of its own, so it goes into a database of
-- its own (kpi_dq_tap), dropped at the end.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;
DROP DATABASE IF EXISTS kpi_dq_tap;
CREATE DATABASE kpi_dq_tap;
\c kpi_dq_tap
SET client_min_messages = warning;
CREATE EXTENSION pgtap;
CREATE EXTENSION kpi_eval_reference CASCADE;
\o /dev/null
\i test/sample/province.sql
\i test/sample/load_reference.sql
\o
SET client_min_messages = warning;

BEGIN;
SELECT plan(8);

-- the clean province: no error in any period
CREATE TEMP TABLE clean AS
SELECT m::date AS period_start, p.*
FROM generate_series(date '2026-01-01', date '2026-12-01', interval '1 month') m
CROSS JOIN LATERAL kpi.check_inputs(m::date, 'month', as_of => '2027-01-10') p;
SELECT is((SELECT count(*) FROM clean WHERE severity = 'error'), 0::bigint,
          'the sample province has no input error in any month of 2026');
SELECT is((SELECT count(*) FROM kpi.check_inputs('2026-01-01', 'year') WHERE severity = 'error'), 0::bigint,
          'the sample province has no input error in the year 2026');

-- seven corruptions of March, each expected to give exactly one finding
CREATE TEMP TABLE expected (check_id text, source_table text, source_id bigint);
CREATE TEMP TABLE pick AS
SELECT (SELECT c.official_id FROM kpi.leader_criteria c WHERE c.period_start = '2026-03-01'
        ORDER BY c.official_id LIMIT 1) AS leader,
       (SELECT g.official_id FROM kpi.general_mark g JOIN kpi.official o USING (official_id)
        WHERE g.period_start = '2026-03-01' AND NOT o.is_leader
          AND EXISTS (SELECT 1 FROM kpi.task_line l WHERE l.official_id = g.official_id
                      AND l.due BETWEEN '2026-03-01' AND '2026-03-31')
        ORDER BY g.official_id LIMIT 1) AS unmarked,
       (SELECT o.official_id FROM kpi.official o JOIN kpi.general_mark g USING (official_id)
        WHERE g.period_start = '2026-03-01' AND NOT o.is_leader ORDER BY o.official_id DESC LIMIT 1) AS non_leader,
       (SELECT min(l.task_id) FROM kpi.task_line l WHERE l.official_id IS NOT NULL
          AND l.due BETWEEN '2026-03-01' AND '2026-03-31') AS dup_of,
       (SELECT min(l.task_id) FROM kpi.task_line l WHERE l.official_id IS NOT NULL AND l.late_events = 1
          AND l.done > l.due AND l.due BETWEEN '2026-03-01' AND '2026-03-31') AS late_line,
       (SELECT max(l.task_id) FROM kpi.task_line l WHERE l.official_id IS NOT NULL AND l.completed_qty > 0
          AND l.done = l.due AND l.due BETWEEN '2026-03-01' AND '2026-03-31') AS undated,
       (SELECT max(g.official_id) FROM kpi.general_mark g WHERE g.period_start = '2026-03-01') AS late_form;

-- 1. DQ-DUNG-02: a leader criterion that is neither 100 nor 50
UPDATE kpi.leader_criteria SET dd = 75 WHERE official_id = (SELECT leader FROM pick) AND period_start = '2026-03-01';
INSERT INTO expected SELECT 'DQ-DUNG-02', 'leader_criteria', leader FROM pick;
-- 2. DQ-DU-01: an official with work loses the form
DELETE FROM kpi.general_mark WHERE official_id = (SELECT unmarked FROM pick) AND period_start = '2026-03-01';
INSERT INTO expected SELECT 'DQ-DU-01', 'official', unmarked FROM pick;
-- 3. DQ-SACH-01: a task line given twice
INSERT INTO kpi.task_line (official_id, unit_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty,
                           quality_errors, late_events)
SELECT official_id, unit_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events
FROM kpi.task_line WHERE task_id = (SELECT dup_of FROM pick);
INSERT INTO expected SELECT 'DQ-SACH-01', 'task_line', max(task_id) FROM kpi.task_line;
-- 4. DQ-SACH-04: leader criteria of a non-leader
INSERT INTO kpi.leader_criteria (official_id, period_start, dd, e) SELECT non_leader, '2026-03-01', 100, 100 FROM pick;
INSERT INTO expected SELECT 'DQ-SACH-04', 'leader_criteria', non_leader FROM pick;
-- 5. DQ-DUNG-06: a late line whose late event is dropped
UPDATE kpi.task_line SET late_events = 0 WHERE task_id = (SELECT late_line FROM pick);
INSERT INTO expected SELECT 'DQ-DUNG-06', 'task_line', late_line FROM pick;
-- 6. DQ-DUNG-07: a completed line loses its done date
UPDATE kpi.task_line SET done = NULL WHERE task_id = (SELECT undated FROM pick);
INSERT INTO expected SELECT 'DQ-DUNG-07', 'task_line', undated FROM pick;
-- 7. DQ-SONG-02: a form entered before the cut-off and changed after it (the
--    trigger keeps the database's clock; set the times the way an old row has them)
ALTER TABLE kpi.general_mark DISABLE TRIGGER touch_updated_at;
UPDATE kpi.general_mark SET created_at = '2026-04-05', updated_at = '2026-05-02'
WHERE official_id = (SELECT late_form FROM pick) AND period_start = '2026-03-01';
ALTER TABLE kpi.general_mark ENABLE TRIGGER touch_updated_at;
INSERT INTO expected SELECT 'DQ-SONG-02', 'general_mark', late_form FROM pick;

SELECT is((SELECT count(DISTINCT (check_id, source_id)) FROM expected), 7::bigint,
          'seven distinct corruptions were made');
CREATE TEMP TABLE found AS
SELECT p.check_id, p.source_table, p.source_id
FROM kpi.check_inputs('2026-03-01', 'month', as_of => '2027-01-10') p
EXCEPT ALL
SELECT c.check_id, c.source_table, c.source_id FROM clean c WHERE c.period_start = '2026-03-01';
SELECT set_eq('SELECT * FROM found', 'SELECT * FROM expected',
              'the corrupted March shows exactly the seven new findings');
SELECT is((SELECT count(*) FROM found), 7::bigint, 'and no finding twice');
SELECT is((SELECT count(*) FROM clean c WHERE c.period_start <> '2026-03-01')
          + (SELECT count(*) FROM kpi.check_inputs('2026-01-01', 'year')),
          (SELECT count(*) FROM generate_series(date '2026-01-01', date '2026-12-01', interval '1 month') m
           CROSS JOIN LATERAL kpi.check_inputs(m::date, 'month', as_of => '2027-01-10') p
           WHERE m <> '2026-03-01') + (SELECT count(*) FROM kpi.check_inputs('2026-01-01', 'year')),
          'the other months are unchanged');

-- the gate names the two errors and writes nothing
SELECT throws_like($$CALL kpi.evaluate('2026-03-01', 'month')$$,
                   'period 2026-03-01 (month) has 2 input error(s)%',
                   'kpi.evaluate refuses the corrupted March');
SELECT is((SELECT count(*) FROM kpi.evaluation_run), 0::bigint, 'and writes no run');

SELECT * FROM finish();
ROLLBACK;
\c postgres
DROP DATABASE kpi_dq_tap;
