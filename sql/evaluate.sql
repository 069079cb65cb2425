--
-- The reference schema and evaluation runs (rules.md RS1-RS2): rule sets by
-- effective date, kpi.evaluate over a small organisation (2 units, 5 officials,
-- a leader, 2 months, a reprimand), refusal and supersession of runs, the year
-- with its quota and agency, the explanation ledger and kpi.explain,
-- kpi.what_if, append-only results, and a failing run that leaves nothing.
--
-- The reference schema is its own extension (it requires kpi_eval, which
-- pg_regress loads); the last step drops it again, with the explicit override.
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';	-- dates as 2026-03-01 (messages use ISO dates whatever the style)

------------------------------------------------------------------------------
-- Rule sets (RS1-RS2)
------------------------------------------------------------------------------

-- the seeded Decree 335 set, in force from 2026
SELECT rule_set_id, name, effective, rules, is_draft, seeded FROM kpi.rule_set;
SELECT kpi.rule_set_for('2026-03-31') AS in_force;
SELECT kpi.rule_set_for('2025-12-31');

-- a set of yours takes precedence over the seeded one where they overlap;
-- two non-draft sets of yours may not overlap (23P01), drafts may
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('Nghị định 2027 (giả định)', '[2027-01-01,)', '{"quota_rate": 0.25}');
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('Chồng lấn', '[2027-06-01,2028-01-01)', '{}');
INSERT INTO kpi.rule_set (name, effective, rules, is_draft)
VALUES ('Dự thảo tiến độ chặt', '[2026-01-01,)', '{"progress_reading": "strict"}', true),
       ('Dự thảo hạn mức 30%', '[2027-06-01,2028-01-01)', '{"quota_rate": 0.3}', true);
SELECT d, kpi.rule_set_for(d) AS rule_set_id
FROM unnest('{2026-01-01,2026-12-31,2027-01-01,2027-07-01}'::date[]) AS d;

-- invalid rules, the seeded set, and seeding are refused
INSERT INTO kpi.rule_set (name, effective, rules) VALUES ('Sai', '[2030-01-01,)', '{"threshold_good": 95}');
UPDATE kpi.rule_set SET effective = '[2026-01-01,2027-01-01)' WHERE seeded;
DELETE FROM kpi.rule_set WHERE seeded;
INSERT INTO kpi.rule_set (name, effective, seeded) VALUES ('Tự gieo', '[2031-01-01,)', true);

------------------------------------------------------------------------------
-- A small organisation: a department (a province agency) and one of its units
------------------------------------------------------------------------------

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở Tư pháp', 'province'),
	(2, 1, 'Phòng Hành chính tư pháp', NULL);
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group) VALUES
	(1, 1, 'Nguyễn Văn An', true, 1, 'lanh_dao'),
	(2, 1, 'Trần Thị Bình', false, NULL, 'chuyen_vien'),
	(3, 2, 'Lê Văn Cường', false, NULL, 'chuyen_vien'),
	(4, 2, 'Phạm Thị Dung', false, NULL, 'chuyen_vien'),
	(5, 2, 'Hoàng Văn Em', false, NULL, 'chuyen_vien');

-- January 2026
-- 1 (leader): 5 single-unit lines, all done on time and passed
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT 1, 'Chỉ đạo, điều hành ' || i, '2026-01-20', '2026-01-19', 1, 1 FROM generate_series(1, 5) i;
-- 2: case E1: 20 lines, 18 done and passed, 2 of those late once
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, late_events)
SELECT 2, 'Trả lời văn bản ' || i, '2026-01-20',
       CASE WHEN i <= 16 THEN date '2026-01-18' WHEN i <= 18 THEN date '2026-01-25' END,
       (i <= 18)::int, (i <= 18)::int, (i IN (17, 18))::int
FROM generate_series(1, 20) i;
-- 3: case E2: 10 lines coef 1, 2 lines coef 8 (one failed a review), 1 line coef 16 not done
INSERT INTO kpi.task_line (official_id, title, due, done, coef, completed_qty, passed_qty, quality_errors)
SELECT 3, 'Hồ sơ ' || i, '2026-01-31', '2026-01-30', 1, 1, 1, 0 FROM generate_series(1, 10) i;
INSERT INTO kpi.task_line (official_id, title, due, done, coef, completed_qty, passed_qty, quality_errors) VALUES
	(3, 'Thẩm định dự thảo A', '2026-01-31', '2026-01-30', 8, 1, 1, 1),
	(3, 'Thẩm định dự thảo B', '2026-01-31', '2026-01-30', 8, 1, 1, 0),
	(3, 'Dự thảo quyết định', '2026-01-31', NULL, 16, 0, 0, 0);
-- 4: case E3: 4 lines done on time, one failed 2 reviews
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, quality_errors)
SELECT 4, 'Báo cáo ' || i, '2026-01-25', '2026-01-24', 1, 1, CASE WHEN i = 4 THEN 2 ELSE 0 END
FROM generate_series(1, 4) i;
-- 5: one product line: 12 dossiers settled of 10 assigned, coefficient 2 (over-completion, CS8)
INSERT INTO kpi.task_line (official_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty)
VALUES (5, 'Hồ sơ chứng thực', '2026-01-31', '2026-01-31', 2, 10, 12, 12);

INSERT INTO kpi.general_mark VALUES
	(1, '2026-01-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2}'),
	(2, '2026-01-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,1.5,1.5}'),
	(3, '2026-01-01', '{5,4,2.5,2.5,2.5,2.5,2.5,2.5,1.5,1.5}'),
	(4, '2026-01-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'),
	(5, '2026-01-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,0,0}');

-- February 2026
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT 1, 'Chỉ đạo, điều hành ' || i, '2026-02-20', '2026-02-19', 1, 1 FROM generate_series(1, 4) i;
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT 2, 'Trả lời văn bản ' || i, '2026-02-20', '2026-02-18', 1, 1 FROM generate_series(1, 10) i;
-- 3: 4 lines, 3 not done: a score below 50, so the leader's d is 50 (CS10)
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT 3, 'Hồ sơ ' || i, '2026-02-27', CASE WHEN i = 1 THEN date '2026-02-26' END, (i = 1)::int, (i = 1)::int
FROM generate_series(1, 4) i;
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT 4, 'Báo cáo ' || i, '2026-02-25', '2026-02-24', 1, 1 FROM generate_series(1, 5) i;
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, late_events) VALUES
	(5, 'Hồ sơ chứng thực 1', '2026-02-25', '2026-02-25', 1, 1, 0),
	(5, 'Hồ sơ chứng thực 2', '2026-02-25', '2026-02-27', 1, 1, 1);

INSERT INTO kpi.general_mark VALUES
	(1, '2026-02-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'),
	(2, '2026-02-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}'),
	(3, '2026-02-01', '{4,4,2,2,2,2,1,1,1,1}'),
	(4, '2026-02-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2}'),
	(5, '2026-02-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,1,1}');
-- February: delays in the plan of the leader's unit (đ = 50)
INSERT INTO kpi.leader_criteria VALUES (1, '2026-02-01', 50, NULL);
-- a reprimand for a duty-related violation (CS14)
INSERT INTO kpi.disciplinary_record (official_id, decided_on, kind, form, duty_related)
VALUES (4, '2026-02-10', 'discipline', 'khien_trach', true);

-- the department's yearly inputs (AG1-AG3): marks, dossiers, its own work
-- plan (20 lines as in E1) and the published indices
INSERT INTO kpi.agency_input VALUES (1, 2026, '{7,6.5,6.5,6.5}', 50000, 49000, 40000);
INSERT INTO kpi.index_value VALUES
	(1, 2026, 'par', 91.43), (1, 2026, 'sipas', 83.94), (1, 2026, 'pci', 63.525), (1, 2026, 'dti', 800.2);
INSERT INTO kpi.task_line (unit_id, title, due, done, completed_qty, passed_qty, late_events)
SELECT 1, 'Kế hoạch công tác năm, mục ' || i, '2026-06-30', CASE WHEN i <= 18 THEN date '2026-06-30' END,
       (i <= 18)::int, (i <= 18)::int, (i <= 2)::int
FROM generate_series(1, 20) i;

-- input checks: a line of nobody (or of both), a mark above its maximum, an
-- index out of scale, dti given twice
\set VERBOSITY terse
INSERT INTO kpi.task_line (due) VALUES ('2026-01-10');
\set VERBOSITY default
INSERT INTO kpi.general_mark VALUES (2, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,3}');
INSERT INTO kpi.index_value VALUES (1, 2026, 'par', 101);
INSERT INTO kpi.index_value VALUES (1, 2026, 'dti_ratio', 0.8);

------------------------------------------------------------------------------
-- Evaluating months (CS3-CS11)
------------------------------------------------------------------------------

CALL kpi.evaluate('2026-01-01', 'month');

SELECT r.run_id, r.period_start, r.period_end, r.period_kind, r.rule_set_id, r.engine_version,
       r.created_by = current_user AS by_me, r.supersedes
FROM kpi.evaluation_run r ORDER BY r.run_id;

-- official 2 is case E1 (90.42), 3 is E2 (69.22), 4 is E3 (b = 87.5); 5 is
-- capped at 100 on a, b and c; the leader's d is 100 (everyone reached 50)
SELECT official_id, unit_id, is_leader, general_points AS g,
       round(quantity_pct, 4) AS a, round(quality_pct, 4) AS b, round(progress_pct, 4) AS c,
       round(task_pct, 4) AS kq, d, dd, e, score, tier
FROM kpi.current_official_result WHERE period_start = '2026-01-01' ORDER BY official_id;

CALL kpi.evaluate('2026-02-01', 'month');

-- official 3 scored 37.5, so the leader's d is 50; đ is 50 from the criteria
-- row, e is 100 (NULL there): KQ = (100 + 100 + 100 + 50 + 50 + 100) / 6
SELECT official_id, general_points AS g, round(task_pct, 4) AS kq, d, dd, e, score, tier
FROM kpi.current_official_result WHERE period_start = '2026-02-01' ORDER BY official_id;

------------------------------------------------------------------------------
-- An evaluated period is refused; supersede writes a new run and keeps the old
------------------------------------------------------------------------------

CALL kpi.evaluate('2026-02-01', 'month');
CALL kpi.evaluate('2026-02-01', 'month', supersede => true);

SELECT r.run_id, r.period_start, r.period_kind, r.supersedes, s.superseded_by,
       s.superseded_at IS NOT NULL AS marked
FROM kpi.evaluation_run r LEFT JOIN kpi.run_supersession s USING (run_id)
ORDER BY r.run_id;

-- the old run's results stay; the new run has the same scores and inputs
SELECT old.official_id, old.score AS old_score, new.score AS new_score,
       old.input_digest = new.input_digest AS same_inputs,
       old.tally::text = new.tally::text AS same_tally
FROM kpi.official_result old
JOIN kpi.official_result new ON new.official_id = old.official_id AND new.run_id = 3
WHERE old.run_id = 2
ORDER BY old.official_id;
SELECT run_id, count(*) AS results FROM kpi.official_result GROUP BY run_id ORDER BY run_id;
SELECT DISTINCT run_id FROM kpi.current_official_result ORDER BY run_id;

------------------------------------------------------------------------------
-- The explanation ledger: points lost add up exactly to 100 - score
------------------------------------------------------------------------------

SELECT line_no, rule_id, source_table, source_id, points_lost, detail
FROM kpi.ledger WHERE run_id = 1 AND official_id = 5 ORDER BY line_no;

SELECT * FROM kpi.explain(3, '2026-01-01');
SELECT * FROM kpi.explain(3, '2026-01-01', 'en');
SELECT * FROM kpi.explain(2, '2026-01-01', 'en');
SELECT * FROM kpi.explain(1, '2026-02-01', 'vi');
SELECT * FROM kpi.explain(1, '2026-02-01', 'en');
SELECT * FROM kpi.explain(4, '2026-03-01');
SELECT * FROM kpi.explain(4, '2026-01-01', 'fr');

------------------------------------------------------------------------------
-- What-if: the strict progress reading changes E1's tier (CS7); nothing written
------------------------------------------------------------------------------

SELECT * FROM kpi.what_if('2026-01-01', 'month', '{"progress_reading": "strict"}');
SELECT * FROM kpi.what_if('2026-01-01', 'month',
	(SELECT rules FROM kpi.rule_set WHERE name = 'Dự thảo tiến độ chặt')) WHERE changed;
SELECT count(*) AS runs FROM kpi.evaluation_run;

------------------------------------------------------------------------------
-- A run that fails leaves nothing (N0.5); a line with passed > completed is
-- refused where it enters (dq_constraints.sql has every such refusal)
------------------------------------------------------------------------------

-- March is evaluated under a pilot rule set of its own
INSERT INTO kpi.rule_set (name, effective, rules)
VALUES ('Thí điểm tháng 3', '[2026-03-01,2026-04-01)', '{"progress_reading": "strict"}');
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, late_events) VALUES
	(5, 'Hồ sơ chứng thực', '2026-03-25', '2026-03-25', 1, 2, 0);
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty, late_events) VALUES
	(2, 'Trả lời văn bản', '2026-03-20', '2026-03-20', 1, 1, 0),
	(2, 'Tổng hợp báo cáo', '2026-03-20', '2026-03-23', 1, 1, 1),
	(5, 'Hồ sơ chứng thực', '2026-03-25', '2026-03-25', 1, 1, 0);
INSERT INTO kpi.general_mark VALUES
	(2, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'),
	(5, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');

-- a month with work but no general-criteria form is refused
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
VALUES (3, 'Hồ sơ', '2026-03-26', '2026-03-26', 1, 1);
SELECT (SELECT count(*) FROM kpi.evaluation_run) AS runs, (SELECT count(*) FROM kpi.official_result) AS results,
       (SELECT count(*) FROM kpi.ledger) AS ledger_rows, (SELECT count(*) FROM kpi.run_supersession) AS superseded;
CALL kpi.evaluate('2026-03-01', 'month');
SELECT (SELECT count(*) FROM kpi.evaluation_run) AS runs, (SELECT count(*) FROM kpi.official_result) AS results,
       (SELECT count(*) FROM kpi.ledger) AS ledger_rows, (SELECT count(*) FROM kpi.run_supersession) AS superseded;
INSERT INTO kpi.general_mark VALUES (3, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');

CALL kpi.evaluate('2026-03-01', 'month');
SELECT r.run_id, r.rule_set_id, s.name FROM kpi.evaluation_run r JOIN kpi.rule_set s USING (rule_set_id)
WHERE r.period_start = '2026-03-01';
SELECT official_id, round(progress_pct, 4) AS c, score, tier
FROM kpi.current_official_result WHERE period_start = '2026-03-01' ORDER BY official_id;

-- a rule set used by a run keeps its rules and its period
UPDATE kpi.rule_set SET rules = '{}' WHERE name = 'Thí điểm tháng 3';
UPDATE kpi.rule_set SET effective = '[2026-03-01,2026-03-15)' WHERE name = 'Thí điểm tháng 3';
UPDATE kpi.rule_set SET name = 'Thí điểm tháng 3/2026' WHERE name = 'Thí điểm tháng 3';

-- bad periods
CALL kpi.evaluate('2026-03-05', 'month');
CALL kpi.evaluate('2026-02-01', 'quarter');
CALL kpi.evaluate('2026-01-01', 'week');
CALL kpi.evaluate('2025-12-01', 'month');

------------------------------------------------------------------------------
-- The year (CS12-CS15, AG1-AG5)
------------------------------------------------------------------------------

CALL kpi.evaluate('2026-01-01', 'year');

-- the annual score is the mean of the current months' published scores;
-- 4 is disqualified by the reprimand (score shown); in unit 2's specialist
-- group 1 excellent and 0 good keep floor(1/6) = 0 excellent (CS15)
SELECT official_id, unit_id, task_group, general_points AS g, round(task_points, 4) AS t,
       score, tier, disqualified, quota_tier, quota_tie
FROM kpi.current_official_result WHERE period_kind = 'year' ORDER BY official_id;
SELECT y.official_id, y.score = kpi.annual_score(m.score) AS annual_ok
FROM kpi.current_official_result y
JOIN kpi.current_official_result m ON m.official_id = y.official_id AND m.period_kind = 'month'
WHERE y.period_kind = 'year'
GROUP BY y.official_id, y.score ORDER BY 1;

-- the department: 87.01 as in the README's province example; its head is the leader
SELECT unit_id, year, score, tier, head_official_id, head_tier, head_capped,
       components - 'work_plan' AS components
FROM kpi.current_agency_result;

-- its ledger: 100 - 87.01 = 12.99 points lost, by mark, work-plan line,
-- procedures part and index (AG2, AG3 with CS5-CS8, IX1-IX4)
SELECT * FROM kpi.explain_agency(1, 2026);
SELECT * FROM kpi.explain_agency(1, 2026, 'en');
SELECT sum(points_lost) AS lost, 100 - (SELECT score FROM kpi.current_agency_result WHERE unit_id = 1) AS expected
FROM kpi.explain_agency(1, 2026, 'en');
SELECT * FROM kpi.explain_agency(2, 2026);
SELECT * FROM kpi.explain_agency(1, 2025);
SELECT * FROM kpi.explain_agency(1, 2026, 'fr');
-- the same ledger as kpi.score_agencies computes it (kpi.ledger_entry[]), and
-- kpi.ledger_description on single rows
SELECT unit_id, score, cardinality(ledger) AS rows, pg_typeof(ledger), (ledger[1]).rule_id,
       (ledger[cardinality(ledger)]).points_lost AS rounding
FROM kpi.score_agencies(2026, '{}', true);
SELECT unit_id, score, ledger FROM kpi.score_agencies(2026, '{}');
SELECT kpi.ledger_description('CS7', '{"coef": 2, "assigned_qty": 1, "completed_qty": 1, "late_events": 2}', 12, 0.5, 'en'),
       kpi.ledger_description('CS7', '{"coef": 2, "assigned_qty": 1, "completed_qty": 1, "late_events": 2}', 12, 0.5),
       kpi.ledger_description('XX9', '{}', NULL, 0, 'en') AS unknown_rule;
SELECT kpi.ledger_description('CS3', '{}', NULL, 0, 'fr');
-- the ledger's rows, in C: one line of coefficient 2 with 12 of 10 done
-- (120%): each component loses -4.666667 = 70 / 3 x (20 - 24) / 20; an
-- official's ledger with that tally and a form with mark 2 half a point
-- short: the cap gives the over-completion back (CS8), the N0.3 row
SELECT e.* FROM (SELECT kpi.ledger_lines(7, x.t, 2, 10, 12, 12, 0, 0, x.t, 70, false, false, '{}') AS l
                 FROM (SELECT kpi.tally_agg(2, 10, 12, 12, 0, 0) AS t) x) y, unnest(y.l) e;
SELECT e.* FROM (SELECT kpi.tally_agg(2, 10, 12, 12, 0, 0) AS t) x,
                unnest(kpi.official_ledger(NULL, x.t, '{5,4.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', 99.5,
                                           NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, '{}')) e;
-- a leader whose unit 12 fell short (d = 50) and whose e is 50 on a recorded
-- form; the self-assessment said 5 for mark 2 and e = 100 (CY1, 0 points)
SELECT e.* FROM unnest(kpi.official_ledger(NULL, NULL, '{5,4.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}', 76.17,
                                           50, 100, 50, true, true, 12, '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}',
                                           NULL, NULL, '{}')) e;
SELECT kpi.official_ledger(NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, '{}') AS unscored;
-- an agency's ledger: a ministry's work plan 8 of 10 done (60 points), 90 of
-- 100 dossiers on time and 70 online (AG3: 10 points, half of them online);
-- a province's indices below 1 (IX1-IX4), PAR under law-making (LM7)
WITH x AS (SELECT kpi.tally_agg(1, 10, 8, 8, 0, 0) AS t),
     y AS (SELECT min(x.t::text)::kpi.tally AS t, kpi.ledger_lines(9, x.t, 1, 10, 8, 8, 0, 0, x.t, 60, false, true, '{}') AS l FROM x)
SELECT e.* FROM y, unnest(kpi.agency_year_ledger(3, 2026, 'ministry', '{7.5,7,7.5,7.5}', y.t, 60, y.l, 100, 90, 70,
                                            NULL, NULL, NULL, NULL, NULL, false, 85.33, '{}')) e;
SELECT e.* FROM unnest(kpi.agency_year_ledger(1, 2026, 'province', NULL, NULL, 40, NULL, 0, 0, 0,
                                         '{"par": 0.85, "sipas": 1, "pci": 0.6750, "dti": 0.5}',
                                         '{"par": 85.00, "sipas": 100, "pci": 67.5, "dti": 0.5}',
                                         '{"par": 0.9}', 80.5, 0.5, true, 91.2, '{}')) e;
-- no work-plan points: no line rows; an unknown kind: no procedures or indices
WITH x AS (SELECT kpi.tally_agg(1, 10, 8, 8, 0, 0) AS t),
     y AS (SELECT min(x.t::text)::kpi.tally AS t, kpi.ledger_lines(9, x.t, 1, 10, 8, 8, 0, 0, x.t, 0, false, true, '{}') AS l FROM x)
SELECT cardinality(y.l) AS line_rows,
       kpi.agency_year_ledger(3, 2026, 'district', NULL, y.t, 0, y.l, 100, 50, 50, '{"par": 0.5}', NULL, NULL, NULL, NULL, false,
                         85.33, '{}') AS only_n03 FROM y;
SELECT kpi.ledger_close(ARRAY[ROW('CS3', 'general_mark', NULL, 0.5, '{}')::kpi.ledger_entry], 99.33);
SELECT kpi.ledger_close(NULL, 90);
-- a year's share rows (CS12): in period order, then run, whatever the arrays' order;
-- a period not scored has none and does not count; NULL date or run kept
SELECT e.* FROM unnest(kpi.period_shares(ARRAY[5, NULL, 3, 4], ARRAY[date '2026-03-01', '2026-01-01', NULL, '2026-03-01'],
                                         'month', ARRAY[90, 80.5, NULL, 66.67])) e;
SELECT e.* FROM unnest(kpi.period_shares(ARRAY[9, 8], ARRAY[NULL, date '2026-04-01'], 'quarter', ARRAY[100, 0])) e;
SELECT kpi.period_shares(ARRAY[1], ARRAY[date '2026-01-01'], 'month', ARRAY[NULL::numeric]) AS none,
       kpi.period_shares(NULL, ARRAY[date '2026-01-01'], 'month', ARRAY[1]) IS NULL AS strict;
SELECT kpi.period_shares(ARRAY[1, 2], ARRAY[date '2026-01-01'], 'month', ARRAY[1, 2]);
SELECT kpi.period_shares(ARRAY[[1], [2]], ARRAY[date '2026-01-01', '2026-02-01'], 'month', ARRAY[1, 2]);
SELECT kpi.ledger_description('CS3', '{}', NULL, 0, NULL);

SELECT * FROM kpi.explain(4, '2026-01-01', 'vi', 'year');
SELECT * FROM kpi.explain(2, '2026-01-01', 'en', 'year');
SELECT * FROM kpi.explain(2, '2026-01-01');

SELECT * FROM kpi.quota_decisions ORDER BY official_id;
SELECT * FROM kpi.tier_distribution WHERE period_kind = 'year' ORDER BY unit_id, tier;
SELECT * FROM kpi.current_unit_result ORDER BY period_kind, period_start, unit_id;

-- the year under the strict reading: months re-scored from their stored tallies
SELECT * FROM kpi.what_if('2026-01-01', 'year', '{"progress_reading": "strict"}');

-- Quota groups and approved rates (CS15): the specialists of the department
-- and of its unit share one named quota group; an approved rate of 1 for
-- it keeps floor(1 x 2 / 2) = 1 of its 2 candidates, the better (5); unit 1
-- gets 0.5 for every group, which keeps its leader (floor(0.5 / 1.5) = 0:
-- the leader still goes down)
UPDATE kpi.official SET quota_group = 'Chuyên viên Sở' WHERE official_id IN (2, 5);
INSERT INTO kpi.quota_approval (year, quota_group, rate, decision)
VALUES (2026, 'Chuyên viên Sở', 1, 'QĐ 12/QĐ-UBND ngày 01/12/2026');
INSERT INTO kpi.quota_approval (year, unit_id, rate, decision) VALUES (2026, 1, 0.5, 'QĐ 13/QĐ-UBND');
-- bad approvals: a rate above 1, no target or two, a group without a unit, twice
INSERT INTO kpi.quota_approval (year, unit_id, rate) VALUES (2026, 2, 1.5);
INSERT INTO kpi.quota_approval (year, rate) VALUES (2026, 0.3);
INSERT INTO kpi.quota_approval (year, unit_id, quota_group, rate) VALUES (2026, 2, 'Chuyên viên Sở', 0.3);
INSERT INTO kpi.quota_approval (year, task_group, quota_group, rate) VALUES (2026, 'chuyen_vien', 'Chuyên viên Sở', 0.3);
INSERT INTO kpi.quota_approval (year, unit_id, rate) VALUES (2026, 1, 0.4);
CALL kpi.evaluate('2026-01-01', 'year', supersede => true);
SELECT official_id, unit_id, task_group, score, tier, quota_group, quota_rate, quota_tier, quota_tie
FROM kpi.current_official_result WHERE period_kind = 'year' ORDER BY official_id;
SELECT * FROM kpi.quota_decisions ORDER BY official_id;
SELECT * FROM kpi.explain(2, '2026-01-01', 'vi', 'year') WHERE rule_id = 'CS15';
SELECT * FROM kpi.explain(1, '2026-01-01', 'en', 'year') WHERE rule_id = 'CS15';
-- the approval is an input: the digests of the group's members changed
SELECT n.official_id, o.input_digest = n.input_digest AS same_digest
FROM kpi.current_official_result n
JOIN kpi.official_result o ON o.official_id = n.official_id
 AND o.run_id = (SELECT s.run_id FROM kpi.run_supersession s JOIN kpi.evaluation_run r USING (run_id)
                 WHERE r.period_kind = 'year')
WHERE n.period_kind = 'year' ORDER BY 1;

-- a month evaluated after its year warns that the year is stale
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
VALUES (2, 'Trả lời văn bản', '2026-04-10', '2026-04-09', 1, 1);
INSERT INTO kpi.general_mark VALUES (2, '2026-04-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}');
CALL kpi.evaluate('2026-04-01', 'month');

------------------------------------------------------------------------------
-- Every result: the ledger adds up to 100 - score, exactly
------------------------------------------------------------------------------

SELECT count(*) AS scored_results,
       count(*) FILTER (WHERE lost IS DISTINCT FROM 100 - score) AS violations
FROM (SELECT r.run_id, r.official_id, r.score, sum(l.points_lost) AS lost
      FROM kpi.official_result r LEFT JOIN kpi.ledger l USING (run_id, official_id)
      WHERE r.score IS NOT NULL
      GROUP BY r.run_id, r.official_id, r.score) s;
SELECT count(*) AS unscored_with_ledger
FROM kpi.official_result r JOIN kpi.ledger l USING (run_id, official_id) WHERE r.score IS NULL;
SELECT count(*) AS scored_agency_results,
       count(*) FILTER (WHERE lost IS DISTINCT FROM 100 - score) AS violations
FROM (SELECT a.run_id, a.unit_id, a.score, sum(l.points_lost) AS lost
      FROM kpi.agency_result a LEFT JOIN kpi.agency_ledger l USING (run_id, unit_id)
      WHERE a.score IS NOT NULL
      GROUP BY a.run_id, a.unit_id, a.score) s;

------------------------------------------------------------------------------
-- Results are append-only, for everyone
------------------------------------------------------------------------------

UPDATE kpi.official_result SET score = 100 WHERE official_id = 3;
DELETE FROM kpi.ledger WHERE run_id = 1;
DELETE FROM kpi.evaluation_run WHERE run_id = 2;
UPDATE kpi.run_supersession SET superseded_by = 1;
TRUNCATE kpi.agency_result CASCADE;
DELETE FROM kpi.agency_ledger;
TRUNCATE kpi.official_result CASCADE;

------------------------------------------------------------------------------
-- Law-making backlog (LM3)
------------------------------------------------------------------------------

INSERT INTO kpi.unit (unit_id, parent_id, name) VALUES (3, NULL, 'Bộ Tư pháp (thí điểm)');
INSERT INTO kpi.lawmaking_document (unit_id, role, title, due, issued) VALUES
	(3, 'drafting', 'Nghị định A', '2026-03-31', '2026-03-20'),
	(3, 'drafting', 'Nghị định B', '2026-04-30', NULL),
	(3, 'drafting', 'Thông tư C', '2026-05-31', '2026-06-15'),
	(3, 'appraisal', 'Thẩm định D', '2026-05-15', NULL),
	(3, 'appraisal', 'Thẩm định E', '2026-08-31', NULL);
SELECT * FROM kpi.lawmaking_backlog_at('2026-06-01');
SELECT * FROM kpi.lawmaking_backlog_at('2026-06-30');
SELECT count(*) >= 0 AS view_reads FROM kpi.lawmaking_backlog;

-- the records go only when the session says so (drop_guard.sql tests the refusal)
SET client_min_messages = error;
SET kpi_eval.allow_drop_with_data = on;
DROP EXTENSION kpi_eval_reference;
RESET kpi_eval.allow_drop_with_data;
RESET client_min_messages;
