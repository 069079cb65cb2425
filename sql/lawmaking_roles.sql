--
-- Law-making by role group (issue 13 point 9, rules.md LM5-LM7): each role
-- group's template (kpi.lm_role_score, kpi.lm_role_points), the roll-up of a
-- ministry across its roles (kpi.lm_ministry_score, kpi.lawmaking_role_scores,
-- kpi.lawmaking_ministry_scores) and the PAR INDEX fraction it feeds
-- (kpi.lm_par_fraction, kpi.score_agencies).  Every expected score is worked
-- out by hand in a comment.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i sql/include/err.sql

-- the default templates (LM5): drafting follows lawmaking_template (null)
SELECT key, value FROM jsonb_each(kpi.effective_rules('{}'))
WHERE key LIKE 'lawmaking%' ORDER BY key;

------------------------------------------------------------------------------
-- Three ministries, the year 2026, all six role groups
------------------------------------------------------------------------------

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Bộ Tư pháp', 'ministry'),
	(2, NULL, 'Bộ Tài chính', 'ministry'),
	(3, NULL, 'Văn phòng Chính phủ', 'ministry');

-- Unit 1, drafting: D0 is of 2025 (counted nowhere);
--   D1 due 03-31 issued 03-20, never returned, obstacles 2 found 2 solved, 1 initiative
--   D2 due 06-30 issued 07-10 (late), returned once, obstacles 1 found 0 solved
--   D3 due 09-30 never issued (backlog)
--   D4 due 11-30 issued 11-15, never returned
-- due 4, on time 2 (D1 D4), issued 3 (D1 D2 D4), first pass 2 (D1 D4),
-- obstacles 3 found 2 solved, initiatives 1; documents dated in 2026: 4.
-- Drafting template = lawmaking_template 40/30/15/5/10, impact 8:
--   40 x 2/4 + 30 x 2/3 + 15 x 2/3 + 5 x 1 + 8 = 20 + 20 + 10 + 5 + 8 = 63.00
-- Unit 1, appraisal: A1..A5 due 02-15, 04-15, 05-15, 08-15, 10-15; A2 issued
--   late, A3 returned once, A1 has 1 obstacle found and solved.
-- due 5, on time 4, issued 5, first pass 4, obstacles 1/1; documents 5.
-- Appraisal template 40/40/10/0/10, impact 9:
--   40 x 4/5 + 40 x 4/5 + 10 x 1/1 + 0 + 9 = 32 + 32 + 10 + 9 = 83.00
INSERT INTO kpi.lawmaking_document (unit_id, role, title, due, issued, times_returned,
                                    obstacles_detected, obstacles_resolved, initiatives) VALUES
	(1, 'drafting', 'D0 Thông tư 2025', '2025-06-30', '2025-06-15', 0, 0, 0, 0),
	(1, 'drafting', 'D1 Nghị định hộ tịch', '2026-03-31', '2026-03-20', 0, 2, 2, 1),
	(1, 'drafting', 'D2 Nghị định công chứng', '2026-06-30', '2026-07-10', 1, 1, 0, 0),
	(1, 'drafting', 'D3 Luật trợ giúp pháp lý', '2026-09-30', NULL, 0, 0, 0, 0),
	(1, 'drafting', 'D4 Thông tư thi hành án', '2026-11-30', '2026-11-15', 0, 0, 0, 0),
	(1, 'appraisal', 'A1 Thẩm định nghị định thuế', '2026-02-15', '2026-02-10', 0, 1, 1, 0),
	(1, 'appraisal', 'A2 Thẩm định luật nhà ở', '2026-04-15', '2026-04-20', 0, 0, 0, 0),
	(1, 'appraisal', 'A3 Thẩm định nghị định đất đai', '2026-05-15', '2026-05-15', 1, 0, 0, 0),
	(1, 'appraisal', 'A4 Thẩm định luật đường bộ', '2026-08-15', '2026-08-01', 0, 0, 0, 0),
	(1, 'appraisal', 'A5 Thẩm định nghị định viên chức', '2026-10-15', '2026-10-14', 0, 0, 0, 0);
-- Unit 2, joint appraisal: J1 on time, J2 late (06-12 for 06-10), J3 on the
--   day but returned once: due 3, on time 2, issued 3, first pass 2.
--   Template 60/30/0/0/10, impact 7: 60 x 2/3 + 30 x 2/3 + 7 = 40 + 20 + 7 = 67.00
-- Unit 2, poll: P1 early, P2 late, P3 early; none returned: due 3, on time 2,
--   issued 3, first pass 3.  Template 70/20/0/0/10, no impact mark (0):
--   70 x 2/3 + 20 = 46.6667 + 20 = 66.67 (200/3)
-- Unit 2, finalising: F1 on time but returned once, F2 never issued:
--   due 2, on time 1, issued 1, first pass 0.  Template 50/40/0/0/10, impact 6:
--   50 x 1/2 + 40 x 0/1 + 6 = 31.00
INSERT INTO kpi.lawmaking_document (unit_id, role, title, due, issued, times_returned) VALUES
	(2, 'joint_appraisal', 'J1', '2026-03-10', '2026-03-09', 0),
	(2, 'joint_appraisal', 'J2', '2026-06-10', '2026-06-12', 0),
	(2, 'joint_appraisal', 'J3', '2026-09-10', '2026-09-10', 1),
	(2, 'poll', 'P1', '2026-04-01', '2026-03-30', 0),
	(2, 'poll', 'P2', '2026-07-01', '2026-07-03', 0),
	(2, 'poll', 'P3', '2026-12-01', '2026-11-30', 0),
	(2, 'finalising', 'F1', '2026-05-20', '2026-05-18', 1),
	(2, 'finalising', 'F2', '2026-10-20', NULL, 0);
-- Unit 3, Government Office: G1 on the day, G2 late and returned twice:
--   due 2, on time 1, issued 2, first pass 1.  Template 50/40/0/0/10, impact 10:
--   50 x 1/2 + 40 x 1/2 + 10 = 25 + 20 + 10 = 55.00
-- Unit 3, poll: Q1 on the day: 70 + 20 + 0 = 90.00
INSERT INTO kpi.lawmaking_document (unit_id, role, title, due, issued, times_returned) VALUES
	(3, 'government_office', 'G1', '2026-02-01', '2026-02-01', 0),
	(3, 'government_office', 'G2', '2026-08-01', '2026-08-05', 2),
	(3, 'poll', 'Q1', '2026-06-01', '2026-06-01', 0);
INSERT INTO kpi.lawmaking_impact VALUES
	(1, 'drafting', '2026-01-01', '2026-12-31', 8),
	(1, 'appraisal', '2026-01-01', '2026-12-31', 9),
	(1, 'appraisal', '2026-01-01', '2026-06-30', 2),	-- another period: not used
	(2, 'joint_appraisal', '2026-01-01', '2026-12-31', 7),
	(2, 'finalising', '2026-01-01', '2026-12-31', 6),
	(3, 'government_office', '2026-01-01', '2026-12-31', 10);

-- per role group: 63.00, 83.00 | 67.00, 66.67, 31.00 | 55.00, 90.00
SELECT unit_id, role, documents, impact, score, summary
FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}');
-- the points of each component (LM5), unrounded
SELECT r.unit_id, r.role, p.*
FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') r,
     kpi.lm_role_points(r.summary, r.role, coalesce(r.impact, 0)) p;

-- LM6, rolled up by documents (the default):
--   unit 1: (4 x 63 + 5 x 83) / 9 = 667 / 9 = 74.1111 -> 74.11
--   unit 2: (3 x 67 + 3 x 200/3 + 2 x 31) / 8 = 463 / 8 = 57.875 -> 57.88
--   unit 3: (2 x 55 + 1 x 90) / 3 = 200 / 3 = 66.6667 -> 66.67
SELECT unit_id, score, (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(roles) k) AS roles
FROM kpi.lawmaking_ministry_scores('2026-01-01', '2026-12-31', '{}');
SELECT jsonb_pretty(roles -> 'poll') AS unit_2_poll
FROM kpi.lawmaking_ministry_scores('2026-01-01', '2026-12-31', '{}') WHERE unit_id = 2;
-- by role only: unit 1 (63 + 83) / 2 = 73.00; unit 2 (67 + 200/3 + 31) / 3
-- = 494/9 = 54.8889 -> 54.89; unit 3 (55 + 90) / 2 = 72.50
SELECT unit_id, score FROM kpi.lawmaking_ministry_scores('2026-01-01', '2026-12-31', '{"lawmaking_rollup": "roles"}');
-- a drafted document counts as two of any other role: unit 1
-- (2 x 4 x 63 + 5 x 83) / 13 = 919 / 13 = 70.6923 -> 70.69; unit 2 and 3 have
-- no drafting: as before; poll left out (weight 0): unit 2 (3 x 67 + 2 x 31) / 5
-- = 263 / 5 = 52.60, unit 3 55.00
SELECT unit_id, score
FROM kpi.lawmaking_ministry_scores('2026-01-01', '2026-12-31',
	'{"lawmaking_role_weights": {"drafting": 2, "appraisal": 1, "joint_appraisal": 1, "government_office": 1, "finalising": 1}}');
-- a role group given its own drafting template: unit 1 drafting
-- progress 50 x 2/4 + quality 50 x 2/3 = 25 + 33.3333 = 58.33 (impact 8 > 0
-- points: refused, so the mark is passed as 0 here)
SELECT kpi.lm_role_score(s, 'drafting', 0, '{"lawmaking_drafting_template": {"progress": 50, "quality": 50}}') AS own,
       kpi.lm_role_score(s, 'drafting', 8) AS follows_lawmaking_template,
       kpi.lm_score(s, 8) AS lm_score
FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') r(u, role, n, s)
WHERE u = 1 AND role = 'drafting';
-- one role rolls up to its own score; rows with a NULL are skipped
SELECT r.unit_id, r.role, r.score, one.rolled_up
FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') r,
     LATERAL (SELECT kpi.lm_ministry_score(x.role, x.summary, coalesce(x.impact, 0), x.documents, '{}') AS rolled_up
              FROM (SELECT r.*) x) one;
SELECT kpi.lm_ministry_score(role, s, impact, docs, '{}') AS skipped_nulls
FROM (VALUES ('poll', NULL::kpi.lawmaking, 0, 1::bigint),
             (NULL, '(period_start=2026-01-01,period_end=2026-12-31,due_in_period=1,on_time=1,late_issued=0,backlog=0,issued_in_period=1,first_pass=1,obstacles_detected=0,obstacles_resolved=0,initiatives=0)', 0, 1),
             ('poll', '(period_start=2026-01-01,period_end=2026-12-31,due_in_period=2,on_time=1,late_issued=1,backlog=0,issued_in_period=2,first_pass=2,obstacles_detected=0,obstacles_resolved=0,initiatives=0)', 0, 2)
     ) v(role, s, impact, docs);
-- the state is a numeric[] with a combine function: two halves of a
-- ministry's roles merge exactly: unit 2 (3 x 67 + 3 x 200/3) + (2 x 31),
-- 463 / 8 -> 57.88; a valid hand-made state: 150 / 2 = 75.00
SELECT kpi.lm_ministry_score_final(kpi.lm_ministry_score_combine(
         (SELECT kpi.lm_ministry_score_trans(kpi.lm_ministry_score_trans(NULL, 'joint_appraisal', a.summary, 7, 3, '{}'),
                                             'poll', b.summary, 0, 3, '{}')
          FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') a,
               kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') b
          WHERE a.unit_id = 2 AND a.role = 'joint_appraisal' AND b.unit_id = 2 AND b.role = 'poll'),
         (SELECT kpi.lm_ministry_score_trans(NULL, 'finalising', f.summary, 6, 2, '{}')
          FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') f
          WHERE f.unit_id = 2 AND f.role = 'finalising'))) AS combined,
       kpi.lm_ministry_score_final('{3,0,0,2,5,2,150,1}') AS hand_made;
-- nothing to score or nothing that weighs: NULL
SELECT kpi.lm_ministry_score(role, s, 0, docs, '{}') AS not_scored
FROM (VALUES ('poll', '(period_start=2026-01-01,period_end=2026-12-31,due_in_period=0,on_time=0,late_issued=0,backlog=3,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'::kpi.lawmaking, 3::bigint),
             ('drafting', '(period_start=2026-01-01,period_end=2026-12-31,due_in_period=1,on_time=1,late_issued=0,backlog=0,issued_in_period=1,first_pass=1,obstacles_detected=0,obstacles_resolved=0,initiatives=0)', 0)) v(role, s, docs);

------------------------------------------------------------------------------
-- LM7: the PAR INDEX component of a ministry's score
------------------------------------------------------------------------------

-- kpi.lm_par_fraction: (1 - w) par + w lawmaking / 100
--   w 0.5: 0.5 x 0.8 + 0.5 x 0.7411 = 0.77055; w 1: 0.7411; w 0: 0.8;
--   no law-making score: 0.8; no index with w 0.5: NULL, with w 1: 0.7411
SELECT kpi.lm_par_fraction(0.8, 74.11, '{"lawmaking_par_weight": 0.5}') AS half,
       kpi.lm_par_fraction(0.8, 74.11, '{"lawmaking_par_weight": 1}') AS all_lawmaking,
       kpi.lm_par_fraction(0.8, 74.11, '{}') AS by_default,
       kpi.lm_par_fraction(0.8, NULL, '{"lawmaking_par_weight": 0.5}') AS no_lawmaking,
       kpi.lm_par_fraction(NULL, 74.11, '{"lawmaking_par_weight": 0.5}') AS no_index,
       kpi.lm_par_fraction(NULL, 74.11, '{"lawmaking_par_weight": 1}') AS no_index_all_lawmaking;

-- Unit 1 is scored as an agency: G = 30, one work-plan line done on time and
-- passed (KQ 100), no dossiers (procedures full), PAR INDEX 80 (0.8).
INSERT INTO kpi.agency_input VALUES (1, 2026, '{7.5,7.5,7.5,7.5}', 0, 0, 0);
INSERT INTO kpi.task_line (unit_id, title, due, done, completed_qty, passed_qty)
VALUES (1, 'Kế hoạch công tác năm', '2026-06-30', '2026-06-20', 1, 1);
INSERT INTO kpi.index_value VALUES (1, 2026, 'par', 80);
-- default rules: ministry 60 + 10, no PAR: 30 + 60 + 10 = 100.00 (unchanged)
-- template 55 + 10 + PAR 5, w 0: 30 + 55 + 10 + 5 x 0.8 = 99.00
-- w 0.5: PAR 5 x 0.77055 = 3.85275: 98.85275 -> 98.85
-- w 1:   PAR 5 x 0.7411 = 3.7055: 98.7055 -> 98.71
SELECT v.name, a.unit_id, a.score, a.tier, a.components -> 'par_points' AS par_points,
       a.components -> 'lawmaking' -> 'score' AS lawmaking, a.components -> 'lawmaking' -> 'par_fraction' AS par_fraction
FROM (VALUES ('default', '{}'::jsonb),
             ('par 5, w 0', '{"ministry_template": {"work_plan": 55, "procedures": 10, "par": 5}}'),
             ('par 5, w 0.5', '{"ministry_template": {"work_plan": 55, "procedures": 10, "par": 5}, "lawmaking_par_weight": 0.5}'),
             ('par 5, w 1', '{"ministry_template": {"work_plan": 55, "procedures": 10, "par": 5}, "lawmaking_par_weight": 1}')) v(name, rules),
     kpi.score_agencies(2026, v.rules) a
WHERE a.unit_id = 1
ORDER BY v.name;
-- the components and the IX1 ledger row: 5 x (1 - 0.77055) = 1.14725; the
-- rows add up to 100 - 98.85 = 1.15 (rounding 0.00275)
SELECT jsonb_pretty((a.components -> 'lawmaking') - 'roles'::text) AS lawmaking,
       (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(a.components -> 'lawmaking' -> 'roles') k) AS roles
FROM kpi.score_agencies(2026, '{"ministry_template": {"work_plan": 55, "procedures": 10, "par": 5}, "lawmaking_par_weight": 0.5}') a
WHERE a.unit_id = 1;
SELECT e.rule_id, e.points_lost, e.detail
FROM kpi.score_agencies(2026, '{"ministry_template": {"work_plan": 55, "procedures": 10, "par": 5}, "lawmaking_par_weight": 0.5}', true) a,
     unnest(a.ledger) e
WHERE a.unit_id = 1;
-- the input digest covers the law-making summaries and marks only when they
-- are used: a new drafting mark changes it under w 0.5, not under w 0
CREATE TEMP TABLE digest_before AS
SELECT r.w, a.input_digest
FROM (VALUES ('0'), ('0.5')) r(w),
     kpi.score_agencies(2026, jsonb_build_object('lawmaking_par_weight', r.w::numeric)) a
WHERE a.unit_id = 1;
-- drafting 60 instead of 63: (4 x 60 + 5 x 83) / 9 = 655 / 9 = 72.78;
-- PAR 0.4 + 0.3639 = 0.7639 x 5 = 3.8195 -> 98.8195 -> 98.82
UPDATE kpi.lawmaking_impact SET mark = 5 WHERE unit_id = 1 AND role = 'drafting' AND period_end = '2026-12-31';
SELECT a.score, a.components -> 'lawmaking' -> 'score' AS lawmaking
FROM kpi.score_agencies(2026, '{"ministry_template": {"work_plan": 55, "procedures": 10, "par": 5}, "lawmaking_par_weight": 0.5}') a
WHERE a.unit_id = 1;
SELECT b.w, b.input_digest = a.input_digest AS digest_unchanged
FROM digest_before b,
     kpi.score_agencies(2026, jsonb_build_object('lawmaking_par_weight', b.w::numeric)) a
WHERE a.unit_id = 1
ORDER BY b.w;

-- kpi.evaluate of the year under a rule set that feeds the PAR INDEX: the
-- agency result stored is the one above (98.82), with its law-making
-- components; one official of unit 1 evaluated in January makes the year
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('Thí điểm KPI xây dựng pháp luật', '[2026-01-01,2027-01-01)',
        '{"ministry_template": {"work_plan": 55, "procedures": 10, "par": 5}, "lawmaking_par_weight": 0.5}');
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group)
VALUES (1, 1, 'Nguyễn Văn An', true, 1, 'lanh_dao');
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
VALUES (1, 'Chỉ đạo xây dựng văn bản', '2026-01-20', '2026-01-19', 1, 1);
INSERT INTO kpi.general_mark VALUES (1, '2026-01-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');
SET client_min_messages = warning;
CALL kpi.evaluate('2026-01-01', 'month');
CALL kpi.evaluate('2026-01-01', 'year');
RESET client_min_messages;
SELECT a.unit_id, a.score, a.tier, a.components -> 'par_points' AS par_points,
       a.components -> 'lawmaking' -> 'score' AS lawmaking,
       (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(a.components -> 'lawmaking' -> 'roles') k) AS roles
FROM kpi.current_agency_result a;
SELECT l.rule_id, l.points_lost, l.detail ->> 'lawmaking_score' AS lawmaking_score
FROM kpi.agency_ledger l ORDER BY l.line_no;

------------------------------------------------------------------------------
-- Errors
------------------------------------------------------------------------------

\x on
SELECT q, e.*
FROM (VALUES
  -- role groups
  ($$SELECT kpi.lm_role_score(summary, 'drafter', 0) FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') LIMIT 1$$),
  ($$SELECT kpi.lm_role_score(summary, 'poll', 10.5) FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') LIMIT 1$$),
  ($$SELECT kpi.lm_role_score(summary, 'appraisal', 3, '{"lawmaking_appraisal_template": {"progress": 60, "quality": 40}}') FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') LIMIT 1$$),
  -- rules
  ($$SELECT kpi.effective_rules('{"lawmaking_poll_template": {"progress": 70, "quality": 20}}')$$),
  ($$SELECT kpi.effective_rules('{"lawmaking_poll_template": {"speed": 100}}')$$),
  ($$SELECT kpi.effective_rules('{"lawmaking_poll_template": [70, 20, 0, 0, 10]}')$$),
  ($$SELECT kpi.effective_rules('{"lawmaking_role_weights": {}}')$$),
  ($$SELECT kpi.effective_rules('{"lawmaking_role_weights": {"drafting": -1}}')$$),
  ($$SELECT kpi.effective_rules('{"lawmaking_role_weights": {"ministry": 1}}')$$),
  ($$SELECT kpi.effective_rules('{"lawmaking_rollup": "mean"}')$$),
  ($$SELECT kpi.effective_rules('{"lawmaking_par_weight": 1.5}')$$),
  -- the roll-up
  ($$SELECT kpi.lm_ministry_score(role, summary, 0, documents, '{}') FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') r, generate_series(1, 2) WHERE unit_id = 3 AND role = 'poll'$$),
  ($$SELECT kpi.lm_ministry_score(r.role, r.summary, 0, r.documents, '{}') FROM (SELECT * FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') UNION ALL SELECT * FROM kpi.lawmaking_role_scores('2026-01-01', '2026-06-30', '{}')) r WHERE unit_id = 3$$),
  ($$SELECT kpi.lm_ministry_score(role, summary, 0, documents, CASE role WHEN 'poll' THEN '{}' ELSE '{"cap": true}' END::jsonb) FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') WHERE unit_id = 3$$),
  ($$SELECT kpi.lm_ministry_score(role, summary, 0, -1, '{}') FROM kpi.lawmaking_role_scores('2026-01-01', '2026-12-31', '{}') WHERE unit_id = 3$$),
  -- crafted states of the aggregate
  ($$SELECT kpi.lm_ministry_score_final('{1,2,3}')$$),
  ($$SELECT kpi.lm_ministry_score_final('{1,0,0,2,0,1,200.5,2}')$$),
  ($$SELECT kpi.lm_ministry_score_final('{64,0,0,2,0,1,50,1}')$$),
  ($$SELECT kpi.lm_ministry_score_final('{1,0,0,2,0,1,50,0}')$$),
  ($$SELECT kpi.lm_ministry_score_final('{1,5,4,2,0,1,50,1}')$$),
  ($$SELECT kpi.lm_ministry_score_final('{1,0,0,2,0,1,NULL,1}')$$),
  ($$SELECT kpi.lm_ministry_score_combine('{1,0,0,2,5,1,50,1}', '{3,0,0,2,5,1,60,1}')$$),
  ($$SELECT kpi.lm_ministry_score_combine('{1,0,0,2,5,1,50,1}', '{2,0,0,2,6,1,60,1}')$$),
  -- the PAR fraction
  ($$SELECT kpi.lm_par_fraction(1.2, 50, '{"lawmaking_par_weight": 0.5}')$$),
  ($$SELECT kpi.lm_par_fraction(0.8, 100.01, '{"lawmaking_par_weight": 0.5}')$$),
  ($$SELECT kpi.lm_par_fraction(0.8, 50, NULL)$$),
  -- the tables
  ($$INSERT INTO kpi.lawmaking_document (unit_id, role, due) VALUES (1, 'draftng', '2026-05-01')$$),
  ($$INSERT INTO kpi.lawmaking_impact VALUES (1, 'appraisal ', '2026-01-01', '2026-12-31', 5)$$),
  ($$INSERT INTO kpi.lawmaking_impact VALUES (1, 'poll', '2026-12-31', '2026-01-01', 5)$$),
  ($$INSERT INTO kpi.lawmaking_impact VALUES (1, 'poll', '2026-01-01', '2026-12-31', -1)$$),
  -- a mark above the role group's impact points is refused when scored
  ($$UPDATE kpi.lawmaking_impact SET mark = 12 WHERE unit_id = 3; SELECT * FROM kpi.lawmaking_ministry_scores('2026-01-01', '2026-12-31', '{}')$$)
) v(q), pg_temp.err(q) e;
\x off

SET kpi_eval.allow_drop_with_data = on;
SET client_min_messages = error;	-- the warning counts every table's rows (drop_guard.sql pins it)
DROP EXTENSION kpi_eval_reference;
RESET client_min_messages;
