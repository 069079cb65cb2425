--
-- Self-assessment, review and approval (issue 13 point 1, rules.md CY1):
-- the levels of kpi.assessment, the decision in kpi.general_mark, what
-- kpi.evaluate does with forms not yet approved, the self-score kept beside
-- the approved score, and the ledger rows where they differ.  Every expected
-- value is worked by hand in the comments.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i sql/include/err.sql

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở Nội vụ', 'province'),
	(2, 1, 'Phòng Tổ chức cán bộ', NULL);
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group) VALUES
	(1, 1, 'Nguyễn Văn An', true, 1, 'lanh_dao'),
	(2, 2, 'Trần Thị Bình', false, NULL, 'chuyen_vien'),
	(3, 2, 'Lê Văn Cường', false, NULL, 'chuyen_vien'),
	(4, 2, 'Phạm Thị Dung', false, NULL, 'chuyen_vien');
-- March 2026: two lines each, on time and passed: a = b = c = 100
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT o, 'Việc ' || i, '2026-03-20', '2026-03-19', 1, 1
FROM generate_series(1, 4) o, generate_series(1, 2) i;

-- the levels in order: a manager's level needs the self level (23514)
SELECT * FROM pg_temp.err($$INSERT INTO kpi.assessment (official_id, period_start, level, marks)
                           VALUES (2, '2026-03-01', 'manager', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}')$$);
-- form 01: 2 scores themself the maximum (G 30); the manager takes 1 point
-- off mark 10 (G 29)
INSERT INTO kpi.assessment (official_id, period_start, level, marks, assessed_by, note) VALUES
	(2, '2026-03-01', 'self', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', 'binh', 'tự chấm'),
	(4, '2026-03-01', 'self', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', 'dung', NULL);
INSERT INTO kpi.assessment (official_id, period_start, level, marks, assessed_by, note) VALUES
	(2, '2026-03-01', 'manager', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}', 'truong_phong', 'chậm báo cáo'),
	(4, '2026-03-01', 'manager', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', 'truong_phong', NULL);
-- a second review is a leader's (form 02B): refused for 2
SELECT * FROM pg_temp.err($$INSERT INTO kpi.assessment (official_id, period_start, level, marks)
                           VALUES (2, '2026-03-01', 'review', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}')$$);
-- the leader: self-assessed dd and e at leader_full (NULL), manager the same
INSERT INTO kpi.assessment (official_id, period_start, level, marks, dd, e, assessed_by) VALUES
	(1, '2026-03-01', 'self', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', NULL, NULL, 'an');
INSERT INTO kpi.assessment (official_id, period_start, level, marks, dd, e, assessed_by) VALUES
	(1, '2026-03-01', 'manager', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', 50, NULL, 'pho_chu_tich');
-- the leader's decision needs the second review first
SELECT * FROM pg_temp.err($$INSERT INTO kpi.general_mark (official_id, period_start, marks)
                           VALUES (1, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}')$$);

-- pending, per unit: 1 at review, 2 and 4 at the decision
SELECT unit_id, official_id, period_start, is_leader, levels, pending_level FROM kpi.assessment_pending
ORDER BY unit_id, official_id;

INSERT INTO kpi.assessment (official_id, period_start, level, marks, dd, e, assessed_by) VALUES
	(1, '2026-03-01', 'review', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', 50, NULL, 'ban_can_su');
-- the decisions: 1 with dd 50, 2 as the manager scored, 3 recorded directly
-- (a form outside the cycle, as before 0.2.0); 4 stays pending
INSERT INTO kpi.general_mark (official_id, period_start, marks) VALUES
	(1, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'),
	(2, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}'),
	(3, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');
INSERT INTO kpi.leader_criteria (official_id, period_start, dd, e) VALUES (1, '2026-03-01', 50, NULL);
SELECT official_id, approved_by = current_user AS approved_by_me FROM kpi.general_mark ORDER BY official_id;
-- no level is added to a decided form (3 was decided directly)
SELECT * FROM pg_temp.err($$INSERT INTO kpi.assessment (official_id, period_start, level, marks)
                           VALUES (3, '2026-03-01', 'self', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}')$$);
-- nor changed or deleted: a decided form's levels are its record (23514)
SELECT * FROM pg_temp.err($$UPDATE kpi.assessment SET marks = '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'
                           WHERE official_id = 2 AND level = 'manager'$$);
SELECT * FROM pg_temp.err($$DELETE FROM kpi.assessment WHERE official_id IN (1, 2) AND level = 'self'$$);
-- a pending form's levels go from the last one down: not the self level
-- while the manager's stays, but both at once, or the manager's alone
SELECT * FROM pg_temp.err($$DELETE FROM kpi.assessment WHERE official_id = 4 AND level = 'self'$$);
BEGIN;
DELETE FROM kpi.assessment WHERE official_id = 4;
SELECT count(*) AS levels_of_4 FROM kpi.assessment WHERE official_id = 4;
ROLLBACK;
BEGIN;
DELETE FROM kpi.assessment WHERE official_id = 4 AND level = 'manager';
SELECT level FROM kpi.assessment WHERE official_id = 4;
ROLLBACK;
SELECT unit_id, official_id, levels, pending_level FROM kpi.assessment_pending ORDER BY official_id;

-- 4 is pending, not missing: no DQ-DU-01 error; kpi.evaluate refuses the period
SELECT check_id, severity, official_id FROM kpi.check_inputs('2026-03-01', 'month')
WHERE severity = 'error';
SELECT * FROM pg_temp.err($$CALL kpi.evaluate('2026-03-01', 'month')$$);
-- under "unapproved": "skip" the period is evaluated; 4 is reported and not rated
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('Chưa duyệt: bỏ qua', '[2026-03-01,2026-04-01)', '{"unapproved": "skip"}');
CALL kpi.evaluate('2026-03-01', 'month');

-- worked by hand.  2: G 29, a = b = c = 100, T 70: 99; self G 30: 100.
-- 3: G 30, 100, no self-assessment.  4: not rated.
-- 1 (leader): G 30, d 100 (nobody below 50), dd 50, e 100:
-- KQ = (100 + 100 + 100 + 100 + 50 + 100) / 6 = 91.6667, T = 64.1667, 94.17;
-- self (dd 100): KQ 100, 100.
SELECT official_id, unit_id, general_points, self_general_points, dd, score, self_score, tier, not_rated
FROM kpi.official_result ORDER BY official_id;
-- the same for a BI tool (kpi_report): self-score beside the approved one,
-- and why 4 is not rated
SELECT official_id, score, self_general_points, self_score, final_tier, not_rated, not_rated_reason
FROM kpi_report.official_result ORDER BY official_id;
-- the ledger still adds up to 100 - score; the CY1 rows cost 0 points
SELECT official_id, sum(points_lost) AS lost, 100 - min(r.score) AS expected
FROM kpi.ledger JOIN kpi.official_result r USING (run_id, official_id)
GROUP BY official_id ORDER BY official_id;
SELECT rule_id, description, source_table, points_lost FROM kpi.explain(2, '2026-03-01', 'en');
SELECT rule_id, description, source_table, points_lost FROM kpi.explain(1, '2026-03-01', 'vi');

-- the helpers, alone
SELECT kpi.assessment_levels(true) AS leader, kpi.assessment_levels(false) AS staff;
-- the CY1 rows of a ledger (kpi.official_ledger): mark 1 and a leader's dd
-- (NULL: leader_full) and e the decision changed; none without a self-assessment
SELECT e.rule_id, e.detail, e.points_lost
FROM unnest(kpi.official_ledger(NULL, NULL, '{4,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', 95, 100, 50, NULL, true, true, 1,
                                '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', NULL, 50, '{}')) e WHERE e.rule_id = 'CY1';
SELECT count(*) AS none
FROM unnest(kpi.official_ledger(NULL, NULL, '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', 100, NULL, NULL, NULL, false, NULL, NULL,
                                NULL, NULL, NULL, '{}')) e WHERE e.rule_id = 'CY1';
SELECT * FROM pg_temp.err($$SELECT kpi.effective_rules('{"unapproved": "later"}')$$);
SELECT kpi.effective_rules('{}') -> 'unapproved' AS default_unapproved;

SET kpi_eval.allow_drop_with_data = on;
SET client_min_messages = error;
DROP EXTENSION kpi_eval_reference;
