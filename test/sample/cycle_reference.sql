-- test/sample/cycle_reference.sql: the sample province's 2026 run as a real
-- cycle (issue 13, doc/cycle.md), after test/sample/load_reference.sql and
-- before kpi.evaluate (test/demo_inside.sh):
--  * every form goes through its levels: the official's self-assessment
--    (generous on mark 10: its maximum), the manager's and, for a leader, the
--    second review, as the decision then recorded (CY1);
--  * the December forms of one unit's staff and of one leader are not yet
--    decided: a rule set for 2026 with "unapproved": "skip" rates the others
--    and records them as not rated (CY6);
--  * one civil servant of the first agency moves to the second on 16 July
--    (CY4, CY7: rated by the new agency from both agencies' months);
--  * one civil servant is on maternity leave from 4 May to 3 November: the
--    months with fewer than 10 days worked are not rated (min_days_worked).
--  * the fifth agency (UBND xã Tân Lập, unit 25) scores its forms once a
--    quarter (kpi.unit_forms_period, CY2): its officials' forms of the
--    quarters' first months are kept as the quarter's, the others dropped.
-- (test/sample/load_reference.sql stays as it is: the upgrade test loads it
-- into 0.1.0, which has none of these tables.)
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

BEGIN;

INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('Chu kỳ 2026: phiếu chưa duyệt chưa xếp loại, ít nhất 10 ngày làm việc',
        '[2026-01-01,2027-01-01)', '{"unapproved": "skip", "min_days_worked": 10}');

-- who: the December forms of the staff of the first unit with three or more
-- non-leaders in the fourth agency, and its head
CREATE TEMP TABLE demo_pending AS
SELECT o.official_id
FROM kpi.official o
WHERE o.unit_id = (SELECT u.unit_id FROM kpi.unit u JOIN kpi.official x ON x.unit_id = u.unit_id
                   WHERE u.parent_id = 24 AND NOT x.is_leader
                   GROUP BY u.unit_id HAVING count(*) >= 3 ORDER BY u.unit_id LIMIT 1);

-- levels: self (mark 10 at its maximum, dd and e at leader_full), manager and
-- review as decided; the decisions loaded come after them (a level is not
-- added to a decided form)
CREATE TEMP TABLE demo_decision AS SELECT official_id, period_start, marks FROM kpi.general_mark;
DELETE FROM kpi.general_mark;
INSERT INTO kpi.assessment (official_id, period_start, level, marks, assessed_by, assessed_at)
SELECT g.official_id, g.period_start, 'self', g.marks[1:9] || 2.5::numeric, 'cong_chuc',
       (g.period_start + interval '1 month 2 days')::timestamptz
FROM demo_decision g;
INSERT INTO kpi.assessment (official_id, period_start, level, marks, dd, e, assessed_by, assessed_at)
SELECT g.official_id, g.period_start, 'manager', g.marks, c.dd, c.e, 'lanh_dao_truc_tiep',
       (g.period_start + interval '1 month 4 days')::timestamptz
FROM demo_decision g
LEFT JOIN kpi.leader_criteria c USING (official_id, period_start);
INSERT INTO kpi.assessment (official_id, period_start, level, marks, dd, e, assessed_by, assessed_at)
SELECT g.official_id, g.period_start, 'review', g.marks, c.dd, c.e, 'ban_can_su',
       (g.period_start + interval '1 month 6 days')::timestamptz
FROM demo_decision g
JOIN kpi.official o USING (official_id)
LEFT JOIN kpi.leader_criteria c USING (official_id, period_start)
WHERE o.is_leader
  AND o.official_id NOT IN (SELECT p.official_id FROM demo_pending p JOIN kpi.official l USING (official_id)
                            WHERE l.is_leader AND g.period_start = '2026-12-01');
-- the decisions, but December's for them are not taken yet
DELETE FROM kpi.leader_criteria c USING demo_pending p
WHERE c.official_id = p.official_id AND c.period_start = '2026-12-01';
INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT d.official_id, d.period_start, d.marks FROM demo_decision d
WHERE d.period_start <> '2026-12-01' OR d.official_id NOT IN (SELECT p.official_id FROM demo_pending p)
ORDER BY d.official_id, d.period_start;

-- quarterly forms in the fifth agency: its subtree reads the forms dated on
-- each quarter's first day for the three months of the quarter
INSERT INTO kpi.unit_forms_period (unit_id, effective, forms_period, decision)
VALUES (25, '[2026-01-01,)', 'quarter', 'Thông báo 05/TB-UBND: đánh giá theo quý từ năm 2026');
CREATE TEMP TABLE demo_quarterly AS
SELECT o.official_id FROM kpi.official o JOIN kpi.unit u USING (unit_id)
WHERE u.unit_id = 25 OR u.parent_id = 25;
DELETE FROM kpi.general_mark g USING demo_quarterly q
WHERE g.official_id = q.official_id AND extract(month FROM g.period_start)::int % 3 <> 1;
DELETE FROM kpi.leader_criteria c USING demo_quarterly q
WHERE c.official_id = q.official_id AND extract(month FROM c.period_start)::int % 3 <> 1;
DELETE FROM kpi.assessment a USING demo_quarterly q
WHERE a.official_id = q.official_id AND extract(month FROM a.period_start)::int % 3 <> 1;

-- a move on 16 July: the first non-leader of the first agency's first unit
-- to the first unit of the second agency, into the task group of its staff
CREATE TEMP TABLE demo_move AS
SELECT o.official_id, o.unit_id AS old_unit, o.task_group AS old_group, n.unit_id AS new_unit,
       n.task_group AS new_group
FROM kpi.official o
CROSS JOIN LATERAL (SELECT x.unit_id, x.task_group FROM kpi.official x JOIN kpi.unit u USING (unit_id)
                    WHERE u.parent_id = 22 AND NOT x.is_leader ORDER BY x.unit_id, x.official_id LIMIT 1) n
WHERE o.official_id = (SELECT x.official_id FROM kpi.official x JOIN kpi.unit u USING (unit_id)
                       WHERE u.parent_id = 21 AND NOT x.is_leader ORDER BY x.unit_id, x.official_id LIMIT 1);
INSERT INTO kpi.assignment (official_id, unit_id, task_group, valid, note)
SELECT m.official_id, m.old_unit, m.old_group, daterange(NULL, '2026-07-16'), 'trước khi điều động'
FROM demo_move m
UNION ALL
SELECT m.official_id, m.new_unit, m.new_group, daterange('2026-07-16', NULL), 'điều động từ 16/7/2026'
FROM demo_move m;

-- maternity leave: the first woman among the staff of the third agency
INSERT INTO kpi.leave (official_id, kind, valid, note)
SELECT o.official_id, 'maternity', daterange('2026-05-04', '2026-11-03', '[]'), 'nghỉ thai sản'
FROM sample.official o JOIN kpi.unit u USING (unit_id)
WHERE u.parent_id = 23 AND o.gender = 'nữ' AND NOT o.is_leader
ORDER BY o.official_id LIMIT 1;

COMMIT;
RESET client_min_messages;

\echo '== the 2026 cycle (doc/cycle.md): levels of the forms, pending decisions, a move, a leave, quarterly forms'
\x on
SELECT (SELECT count(*) FROM kpi.assessment) AS form_levels,
       (SELECT count(*) FROM kpi.general_mark) AS decisions,
       (SELECT count(*) FROM kpi.assessment_pending) AS forms_pending,
       (SELECT official_id || ': unit ' || old_unit || ' -> ' || new_unit || ' on 2026-07-16'
        FROM demo_move) AS moved,
       (SELECT official_id || ': ' || kind || ' ' || lower(valid) || ' to ' || (upper(valid) - 1)
        FROM kpi.leave) AS on_leave,
       (SELECT string_agg(f.unit_id || ': ' || f.forms_period || ' forms from ' || lower(f.effective), ', ')
        FROM kpi.unit_forms_period f) AS quarterly_forms;
\x off
SELECT unit_id, official_id, period_start, is_leader, levels, pending_level
FROM kpi.assessment_pending ORDER BY unit_id, official_id;
