--
-- Reading a tally: a, b, c, KQ, T and the period total (rules.md CS3,
-- CS5-CS11), worked cases E1-E4 and E9, caps, leader criteria, general
-- criteria, rule-set keys, and deduction mismatches.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

-- single-unit task lines of the worked cases
CREATE TABLE e_lines (ecase text, coef numeric, done boolean, passed boolean, errors int, late int);
-- E1: 20 lines coef 1, 18 completed, all pass first time, 2 of the 18 late once
INSERT INTO e_lines SELECT 'E1', 1, i <= 18, i <= 18, 0, (i <= 2)::int FROM generate_series(1, 20) i;
-- E2: 10 lines coef 1, 2 lines coef 8, 1 line coef 16; all completed but the
-- coef-16 line; one coef-8 line failed one review (then passed); all on time
INSERT INTO e_lines SELECT 'E2', 1, true, true, 0, 0 FROM generate_series(1, 10);
INSERT INTO e_lines VALUES ('E2', 8, true, true, 1, 0), ('E2', 8, true, true, 0, 0),
                           ('E2', 16, false, false, 0, 0);
-- E3: 4 lines all completed on time, one failed 2 reviews; E3b: 5 reviews
INSERT INTO e_lines SELECT 'E3', 1, true, true, (i = 1)::int * 2, 0 FROM generate_series(1, 4) i;
INSERT INTO e_lines SELECT 'E3b', 1, true, true, (i = 1)::int * 5, 0 FROM generate_series(1, 4) i;
-- E4: a leader whose own a, b, c are 100
INSERT INTO e_lines SELECT 'E4', 1, true, true, 0, 0 FROM generate_series(1, 3);
CREATE TABLE e_tally AS
SELECT ecase, kpi.tally_agg(coef, done, passed, errors, late) AS t FROM e_lines GROUP BY ecase;

--
-- E1: a = 90, b = 90, c = (16 + 2 x 0.75) / 20 = 87.5; KQ = 267.5 / 3 = 89.1667;
-- T = 0.7 x KQ = 62.4167; TOTAL = 28 + T = 90.4167 -> 90.42, excellent.
-- Strict reading: c = 16 / 20 = 80; KQ = 86.6667; T = 60.6667; TOTAL 88.67, good.
--
SELECT t FROM e_tally WHERE ecase = 'E1';
SELECT kpi.quantity_pct(t) AS a, kpi.quality_pct(t) AS b, kpi.progress_pct(t) AS c,
       kpi.task_pct(t) AS kq, kpi.task_points(t) AS task_points,
       kpi.period_score(28, t) AS total, kpi.tier_of(kpi.period_score(28, t)) AS tier
FROM e_tally WHERE ecase = 'E1';
SELECT kpi.progress_pct(t, r) AS c, kpi.task_pct(t, r) AS kq, kpi.task_points(t, r) AS task_points,
       kpi.period_score(28, t, r) AS total, kpi.tier_of(kpi.period_score(28, t, r)) AS tier
FROM e_tally, (SELECT '{"progress_reading": "strict"}'::jsonb AS r) s WHERE ecase = 'E1';
-- "partial" is the default reading
SELECT kpi.period_score(28, t, '{"progress_reading": "partial"}') AS total FROM e_tally WHERE ecase = 'E1';

--
-- E2: a = 26/42 = 61.9048, b = 24/42 = 57.1429, c = 26/42; KQ = 76/126 x 100;
-- T = 42.2222; TOTAL = 27 + T = 69.2222 -> 69.22, complete.
--
SELECT kpi.quantity_pct(t) AS a, kpi.quality_pct(t) AS b, kpi.progress_pct(t) AS c,
       kpi.task_pct(t) AS kq, kpi.task_points(t) AS task_points,
       kpi.period_score(27, t) AS total, kpi.tier_of(kpi.period_score(27, t)) AS tier
FROM e_tally WHERE ecase = 'E2';

--
-- E3: one line failed 2 reviews: its credit is 1 - 0.5, b = 3.5 / 4 = 87.5.
-- With 5 failures the credit is max(0, 1 - 1.25) = 0 and b = 75 (never negative, CS8).
--
SELECT ecase, kpi.quality_pct(t) AS b, kpi.period_score(30, t) AS total
FROM e_tally WHERE ecase IN ('E3', 'E3b') ORDER BY ecase;
-- in the quantity form a failed review costs 25% of one unit: a line of 4 units
-- loses 0.25 / 4 = 6.25 points of b per failure
SELECT e, kpi.quality_pct(kpi.tally_agg(1, 4, 4, 4, e, 0)) AS b
FROM generate_series(0, 6) e GROUP BY e ORDER BY e;

--
-- E4: leader, a = b = c = 100, d = 50, dd = e = 100, G = 29: KQ = 550 / 6 =
-- 91.6667, T = 64.1667, TOTAL = 93.1667 -> 93.17, excellent; with a
-- corruption case in the unit (CS14), not complete, the score still shown.
--
SELECT kpi.task_pct(t, 50, 100, 100) AS kq, kpi.task_points(t, 50, 100, 100) AS task_points,
       kpi.period_score(29, t, 50, 100, 100) AS total,
       kpi.tier_of(kpi.period_score(29, t, 50, 100, 100)) AS tier,
       kpi.tier_of(kpi.period_score(29, t, 50, 100, 100), true) AS tier_disqualified
FROM e_tally WHERE ecase = 'E4';
-- all criteria met: KQ 100, TOTAL 29 + 70 = 99.00; all reduced: KQ 75, TOTAL 29 + 52.5 = 81.50
SELECT kpi.period_score(29, t, 100, 100, 100) AS all_met, kpi.period_score(29, t, 50, 50, 50) AS all_reduced,
       kpi.period_score(29, t, 100.0, 50.00, 100.0000) AS scales_ignored
FROM e_tally WHERE ecase = 'E4';
-- a leader with E1's own task lines and d = 50: KQ = (267.5 + 250) / 6 = 86.25
SELECT kpi.task_pct(t, 50, 100, 100) AS kq, kpi.task_points(t, 50, 100, 100) AS task_points
FROM e_tally WHERE ecase = 'E1';

--
-- E9: nothing assigned in March: March is not scored (NULL) and is left out
-- of the annual mean; a month with no task rows at all is the same
--
CREATE TABLE months (month int, general numeric);
INSERT INTO months VALUES (1, 28), (2, 27), (3, 30), (4, 30), (5, 30);
CREATE TABLE month_lines (month int, coef numeric, done boolean, passed boolean, errors int, late int);
INSERT INTO month_lines SELECT 1, coef, done, passed, errors, late FROM e_lines WHERE ecase = 'E1';
INSERT INTO month_lines SELECT 2, coef, done, passed, errors, late FROM e_lines WHERE ecase = 'E2';
-- March: lines exist, but with coefficient 0 nothing is assigned
INSERT INTO month_lines VALUES (3, 0, true, true, 0, 0), (3, 0, false, false, 0, 0);
INSERT INTO month_lines SELECT 4, coef, done, passed, errors, late FROM e_lines WHERE ecase = 'E3';
-- May: no task lines at all
SELECT m.month, kpi.period_score(m.general, kpi.tally_agg(l.coef, l.done, l.passed, l.errors, l.late)) AS score
FROM months m LEFT JOIN month_lines l USING (month)
GROUP BY m.month, m.general ORDER BY m.month;
-- annual = (90.42 + 69.22 + 97.08) / 3 = 85.5733 -> 85.57; counting March or May
-- as 0 would give a different, wrong answer
SELECT kpi.annual_score(score) AS annual, count(score) AS scored_months, count(*) AS months
FROM (SELECT m.month, kpi.period_score(m.general, kpi.tally_agg(l.coef, l.done, l.passed, l.errors, l.late)) AS score
      FROM months m LEFT JOIN month_lines l USING (month)
      GROUP BY m.month, m.general) s;
-- a tally of no lines is not scored either
SELECT kpi.period_score(30, '(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)') IS NULL AS not_scored;

--
-- Rounding: half away from zero, once, from the exact value (N0.3)
--
-- E1 with G = 28.0083: exact 90.42496..., so 90.42; rounding T to 4 decimals
-- first (62.4167) would give 90.4250 and then 90.43
SELECT kpi.period_score(28.0083, t) AS g_28_0083, kpi.period_score(28.0084, t) AS g_28_0084
FROM e_tally WHERE ecase = 'E1';
-- exact halves: 0.005 -> 0.01 and 99.985 -> 99.99 (banker's rounding would give 0.00 and 99.98)
SELECT kpi.period_score(0.005, (SELECT kpi.tally_agg(1, false, false, 0, 0))) AS nothing_done_g_0_005,
       kpi.period_score(29.985, t) AS perfect_g_29_985,
       kpi.period_score(29.9849, t) AS perfect_g_29_9849
FROM e_tally WHERE ecase = 'E4';
-- E1 as a leader with d = 50 is an exact half too: 28 + 0.7 x 86.25 = 88.375 -> 88.38
SELECT kpi.period_score(28, t, 50, 100, 100) AS total FROM e_tally WHERE ecase = 'E1';
-- always exactly 2 decimals (rounding_scale), also for whole numbers and 0
SELECT kpi.period_score(30, t) AS perfect, kpi.period_score(0, (SELECT kpi.tally_agg(1, false, false, 0, 0))) AS zero
FROM e_tally WHERE ecase = 'E4';
-- another rounding_scale
SELECT kpi.period_score(28, t, '{"rounding_scale": 0}') AS scale_0, kpi.period_score(28, t, '{"rounding_scale": 1}') AS scale_1,
       kpi.period_score(28, t, '{"rounding_scale": 4}') AS scale_4
FROM e_tally WHERE ecase = 'E1';

--
-- Caps (CS8): over-completion counts at most 100 unless "cap": false
--
-- one line: coef 1, assigned 2, completed 3, passed 1, 4 late events:
-- a = 150 (capped 100), b = 50, c = 100 x (3 - 1) / 2 = 100, strict c = 0
-- capped:   KQ = 250 / 3, T = 58.3333, G 20 -> 78.33 (good)
-- uncapped: KQ = 300 / 3 = 100, T = 70, G 20 -> 90.00 (excellent)
SELECT kpi.quantity_pct(t) AS a, kpi.quality_pct(t) AS b, kpi.progress_pct(t) AS c,
       kpi.task_pct(t) AS kq, kpi.period_score(20, t) AS total
FROM (SELECT kpi.tally_agg(1, 2, 3, 1, 0, 4) AS t) s;
SELECT kpi.quantity_pct(t, r) AS a, kpi.quality_pct(t, r) AS b, kpi.progress_pct(t, r) AS c,
       kpi.task_pct(t, r) AS kq, kpi.period_score(20, t, r) AS total
FROM (SELECT kpi.tally_agg(1, 2, 3, 1, 0, 4) AS t, '{"cap": false}'::jsonb AS r) s;
SELECT kpi.period_score(20, t, '{"cap": true}') AS cap_true,
       kpi.progress_pct(t, '{"cap": false, "progress_reading": "strict"}') AS strict_c
FROM (SELECT kpi.tally_agg(1, 2, 3, 1, 0, 4) AS t) s;
-- the cap applies to the sums, not per line: one line over, one under
SELECT kpi.quantity_pct(t) AS a FROM (SELECT kpi.tally_agg(1, a, d, 0, 0, 0) AS t
  FROM (VALUES (1, 2), (1, 0)) v(a, d)) s;

--
-- Leader criteria d, dd, e (CS10): only 100 or 50
--
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.period_score(29, t, 75, 100, 100) FROM e_tally WHERE ecase = ''E4'''),
  ('SELECT kpi.period_score(29, t, 100, 0, 100) FROM e_tally WHERE ecase = ''E4'''),
  ('SELECT kpi.period_score(29, t, 100, 100, 100.0001) FROM e_tally WHERE ecase = ''E4'''),
  ('SELECT kpi.task_pct(t, 49.9999, 100, 100) FROM e_tally WHERE ecase = ''E4'''),
  ('SELECT kpi.task_points(t, 100, 100, -50) FROM e_tally WHERE ecase = ''E4'''),
  ('SELECT kpi.task_pct(t, ''NaN'', 100, 100) FROM e_tally WHERE ecase = ''E4'''),
  ('SELECT kpi.task_pct(t, 100, 50.00001, 100) FROM e_tally WHERE ecase = ''E4'''),
  -- checked even when the period is not scored
  ('SELECT kpi.period_score(29, kpi.tally_agg(0, true, true, 0, 0), 100, 100, 70)'),
  -- other values under other rules
  ('SELECT kpi.period_score(29, t, 50, 100, 100, ''{"leader_reduced": 0}'') FROM e_tally WHERE ecase = ''E4''')
) v(q), pg_temp.err(q) e;
\x off
-- leader_reduced 0: d = 0 gives KQ = 500 / 6, T = 58.3333, TOTAL 87.33
SELECT kpi.period_score(29, t, 0, 100, 100, '{"leader_reduced": 0}') AS total FROM e_tally WHERE ecase = 'E4';
SELECT kpi.period_score(29, t, 75, 100, 100) FROM e_tally WHERE ecase = 'E4';

--
-- General criteria points G (CS1): 0..30
--
SELECT kpi.period_score(0, t) AS g_0, kpi.period_score(30, t) AS g_30, kpi.period_score(30.0000, t) AS g_30_0000
FROM e_tally WHERE ecase = 'E2';
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.period_score(30.0001, t) FROM e_tally WHERE ecase = ''E2'''),
  ('SELECT kpi.period_score(31, t) FROM e_tally WHERE ecase = ''E2'''),
  ('SELECT kpi.period_score(-0.0001, t) FROM e_tally WHERE ecase = ''E2'''),
  ('SELECT kpi.period_score(''NaN'', t) FROM e_tally WHERE ecase = ''E2'''),
  ('SELECT kpi.period_score(''Infinity'', t) FROM e_tally WHERE ecase = ''E2'''),
  ('SELECT kpi.period_score(27.00001, t) FROM e_tally WHERE ecase = ''E2'''),
  ('SELECT kpi.period_score(1e12, t) FROM e_tally WHERE ecase = ''E2'''),
  -- checked even when the period is not scored
  ('SELECT kpi.period_score(31, kpi.tally_agg(0, true, true, 0, 0))')
) v(q), pg_temp.err(q) e;
\x off
SELECT kpi.period_score(30.0001, t) FROM e_tally WHERE ecase = 'E2';

--
-- kpi.general_points: the 10 marks of the Decree 335 form (CS3)
--
-- group I: 5 + 5; group II: 4 x 2.5; group III: 4 x 2.5
SELECT kpi.general_points('{5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}') AS full_marks,
       kpi.general_points('{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}') AS zero,
       kpi.general_points('{4.5, 5, 2, 2.5, 2.5, 2, 2.5, 2.5, 2.5, 2}') AS g_28,
       kpi.general_points('{4.9999, 0.0001, 1.25, 0, 0, 0, 0, 0, 0, 2.5000}') AS fractions;
-- marks feed the period total
SELECT kpi.period_score(kpi.general_points('{4.5, 5, 2, 2.5, 2.5, 2, 2.5, 2.5, 2.5, 2}'), t) AS total
FROM e_tally WHERE ecase = 'E1';
\x on
SELECT marks, e.*
FROM (VALUES
  -- each mark above its maximum (5, 5, then 8 x 2.5)
  ('{5.0001, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}'),
  ('{5, 5.0001, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}'),
  ('{5, 5, 2.5001, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}'),
  ('{5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5001}'),
  ('{0, 0, 5, 0, 0, 0, 0, 0, 0, 0}'),
  -- bad marks
  ('{-1, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}'),
  ('{5, NaN, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}'),
  ('{5, 5, 2.49999, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}'),
  ('{5, 5, NULL, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}'),
  -- wrong shape
  ('{5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}'),
  ('{5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 0}'),
  ('{}'),
  ('{{5, 5, 2.5, 2.5, 2.5}, {2.5, 2.5, 2.5, 2.5, 2.5}}')
) v(marks), pg_temp.err(format('SELECT kpi.general_points(%L)', marks)) e;
\x off
SELECT kpi.general_points('{5, 5, 2.5001, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}');
SELECT kpi.general_points(NULL) IS NULL AS null_marks;

--
-- Rule keys working together
--
-- a 40/60 split with its own form of 4 marks of 10
SELECT kpi.general_points('{10, 9.5, 10, 8}', r) AS g,
       kpi.task_points(t, r) AS task_points,
       kpi.period_score(kpi.general_points('{10, 9.5, 10, 8}', r), t, r) AS total
FROM e_tally, (SELECT '{"general_points": 40, "task_points": 60, "general_marks_max": [10, 10, 10, 10]}'::jsonb AS r) s
WHERE ecase = 'E1';
-- E1 under 40/60: T = 0.6 x 89.1667 = 53.5; G may now reach 40 but not 40.0001
SELECT kpi.period_score(40, t, r) AS g_40, kpi.period_score(35, t, r) AS g_35
FROM e_tally, (SELECT '{"general_points": 40, "task_points": 60}'::jsonb AS r) s WHERE ecase = 'E1';
SELECT kpi.period_score(40.0001, t, '{"general_points": 40, "task_points": 60}') FROM e_tally WHERE ecase = 'E1';
-- the default split written out keeps the default form
SELECT kpi.general_points('{5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}', '{"general_points": 30, "task_points": 70}');
-- a new split without a form: G can be passed, but the marks cannot be checked
SELECT kpi.general_points('{10, 10, 10, 10}', '{"general_points": 40, "task_points": 60}');
-- another form for the same 30 points
SELECT kpi.general_points('{10, 10, 10}', '{"general_marks_max": [10, 10, 10]}') AS three_marks;
SELECT kpi.general_points('{5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}', '{"general_marks_max": [10, 10, 10]}');
SELECT kpi.general_points('{10, 10, 10.5}', '{"general_marks_max": [10, 10, 10]}');

--
-- Deduction rates: the accessor's rules must agree with the tally's
--
-- a tally summed at the default 0.25 may be read with rules that say 0.25
SELECT kpi.quality_pct(t, '{"quality_deduction": 0.25, "progress_deduction": 0.25}') AS b
FROM e_tally WHERE ecase = 'E3';
-- but not with other rates
SELECT kpi.quality_pct(t, '{"quality_deduction": 0.5}') FROM e_tally WHERE ecase = 'E3';
SELECT kpi.period_score(30, t, '{"progress_deduction": 0.1}') FROM e_tally WHERE ecase = 'E1';
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.quantity_pct(t, ''{"quality_deduction": 0}'') FROM e_tally WHERE ecase = ''E3'''),
  ('SELECT kpi.progress_pct(t, ''{"progress_deduction": 1}'') FROM e_tally WHERE ecase = ''E3'''),
  ('SELECT kpi.task_pct(t, ''{"quality_deduction": 0.5}'') FROM e_tally WHERE ecase = ''E3'''),
  ('SELECT kpi.task_points(t, 100, 100, 100, ''{"quality_deduction": 0.5}'') FROM e_tally WHERE ecase = ''E3'''),
  ('SELECT kpi.period_score(30, t, 100, 100, 100, ''{"quality_deduction": 0.5}'') FROM e_tally WHERE ecase = ''E3'''),
  -- also for a tally with nothing assigned
  ('SELECT kpi.period_score(30, kpi.tally_agg(0, true, true, 0, 0), ''{"quality_deduction": 0.5}'')')
) v(q), pg_temp.err(q) e;
\x off
-- summed with other rates: read with no rates given, or the same rates
-- E3 at quality_deduction 0.5: the failed line keeps max(0, 1 - 2 x 0.5) = 0, b = 75
SELECT kpi.quality_pct(t) AS b, kpi.quality_pct(t, '{"quality_deduction": 0.5}') AS b_same_rate,
       kpi.period_score(30, t) AS total
FROM (SELECT kpi.tally_agg(coef, done, passed, errors, late, '{"quality_deduction": 0.5}') AS t
      FROM e_lines WHERE ecase = 'E3') s;
SELECT kpi.quality_pct(t, '{"quality_deduction": 0.25}')
FROM (SELECT kpi.tally_agg(coef, done, passed, errors, late, '{"quality_deduction": 0.5}') AS t
      FROM e_lines WHERE ecase = 'E3') s;

--
-- NULL arguments: the accessors are strict
--
SELECT kpi.quantity_pct(NULL) IS NULL AS a, kpi.task_pct(t, NULL, 100, 100) IS NULL AS kq,
       kpi.period_score(NULL, t) IS NULL AS no_g, kpi.period_score(30, NULL) IS NULL AS no_tally,
       kpi.period_score(30, t, NULL) IS NULL AS no_rules, kpi.general_points('{}', NULL) IS NULL AS marks_no_rules
FROM e_tally WHERE ecase = 'E1';
-- invalid rules are refused by every accessor
SELECT kpi.quantity_pct(t, '{"cap": "yes"}') FROM e_tally WHERE ecase = 'E1';
SELECT kpi.period_score(30, t, '[]') FROM e_tally WHERE ecase = 'E1';
SELECT 1 AS server_still_answers;

DROP TABLE e_lines, e_tally, months, month_lines;

--
-- Uncapped rule sets ("cap": false): an over-completed period total above
-- 100 is a valid score for the annual mean and the tier under the same rules
--
-- one line coef 1, assigned 1, completed 1.5, all passed and on time:
-- a = b = c = 150 uncapped (100 capped); G = 28:
--   uncapped: KQ = 150, T = 105, TOTAL = 133.00; capped: T = 70, TOTAL = 98.00
-- E1 (a, b, c all below 100) is 90.42 either way; annual uncapped
-- (133.00 + 90.42) / 2 = 111.71, excellent
CREATE TABLE cap_months (month int, t kpi.tally);
INSERT INTO cap_months
SELECT 1, kpi.tally_agg(1, 1, 1.5, 1.5, 0, 0)
UNION ALL
SELECT 2, kpi.tally_agg(1, i <= 18, i <= 18, 0, (i <= 2)::int) FROM generate_series(1, 20) i;
SELECT month, kpi.period_score(28, t) AS capped, kpi.period_score(28, t, '{"cap": false}') AS uncapped
FROM cap_months ORDER BY month;
SELECT kpi.annual_score(kpi.period_score(28, t, '{"cap": false}'), '{"cap": false}') AS annual,
       kpi.tier_of(kpi.annual_score(kpi.period_score(28, t, '{"cap": false}'), '{"cap": false}'),
                   false, '{"cap": false}') AS tier
FROM cap_months;
-- the default (capped) rules refuse the uncapped total
SELECT kpi.annual_score(kpi.period_score(28, t, '{"cap": false}')) FROM cap_months;
SELECT kpi.tier_of(kpi.period_score(28, t, '{"cap": false}')) FROM cap_months WHERE month = 1;
DROP TABLE cap_months;
