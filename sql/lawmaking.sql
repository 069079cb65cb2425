--
-- The law-making KPI pilot (rules.md LM1-LM4): kpi.period_bounds, the
-- kpi.lawmaking summary (text and binary I/O), kpi.lawmaking_agg, the
-- accessors, kpi.lm_score, kpi.lm_append, kpi.rollup(kpi.lawmaking) and
-- kpi.lm_is_backlog.  Every expected count and score is worked out by hand
-- in a comment.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

--
-- LM1: periods.  Quarter, half-year and year (and month) from a start date;
-- a period may cross a year end; thematic evaluations pass any two dates.
--
SELECT kind, start, b.*
FROM (VALUES ('month', '2026-01-01'::date), ('month', '2026-02-01'), ('month', '2028-02-01'),
             ('quarter', '2026-04-01'), ('quarter', '2026-10-01'), ('half', '2026-01-01'),
             ('half', '2026-10-01'), ('year', '2026-01-01'), ('year', '2026-07-01'),
             ('quarter', '2026-01-15'), ('month', '2026-01-28'), ('year', '9998-12-01')) v(kind, start),
     kpi.period_bounds(kind, start) b;
SELECT (kpi.period_bounds(NULL, '2026-01-01')).period_start IS NULL AS null_kind;
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.period_bounds(''week'', ''2026-01-01'')'),
  ('SELECT kpi.period_bounds(''Quarter'', ''2026-01-01'')'),
  ('SELECT kpi.period_bounds(''month'', ''2026-01-29'')'),
  ('SELECT kpi.period_bounds(''month'', ''2026-01-31'')'),
  ('SELECT kpi.period_bounds(''year'', ''infinity'')'),
  ('SELECT kpi.period_bounds(''year'', ''9999-06-01'')')
) v(q), pg_temp.err(q) e;
\x off

--
-- LM2-LM3, worked example 1: one quarter, 2026-04-01 to 2026-06-30, ministry
-- "Bo B" (the other ministry's rows show GROUP BY).  Documents:
--   d1 due 04-10, issued 04-08, never returned, obstacles 1 found 1 solved
--   d2 due 05-15, issued 05-20 (late), returned once, obstacles 2 found 1 solved
--   d3 due 06-30, issued 06-30 (on the due date: on time), 1 initiative
--   d4 due 06-30, never issued                          -> backlog
--   d5 due 07-01, never issued (after the period: not counted at all)
--   d6 due 03-31, issued 03-31 (before the period: not counted at all)
--   d7 due 04-01, issued 07-01 (after the period end)   -> backlog
--   d8 due 05-01, issued 04-15 (early), returned twice
-- due in period: d1 d2 d3 d4 d7 d8 = 6; on time: d1 d3 d8 = 3; issued late
-- in the period: d2 = 1; backlog: d4 d7 = 2; issued in the period: d1 d2 d3
-- d8 = 4, first pass d1 d3 = 2; obstacles (of documents due in the period)
-- 3 found, 2 solved; initiatives 1.
-- LM4 with impact 7: progress 40 x 3 / 6 = 20; quality 30 x 2 / 4 = 15;
-- obstacles 15 x 2 / 3 = 10; initiatives 5 x min(1, 1 / 1) = 5; impact 7;
-- total 57.00, hoan_thanh.
--
CREATE TABLE docs (ministry text, doc text, due date, issued date, times_returned int,
                   obstacles_detected int, obstacles_resolved int, initiatives int);
INSERT INTO docs VALUES
	('Bo B', 'd1', '2026-04-10', '2026-04-08', 0, 1, 1, 0),
	('Bo B', 'd2', '2026-05-15', '2026-05-20', 1, 2, 1, 0),
	('Bo B', 'd3', '2026-06-30', '2026-06-30', 0, 0, 0, 1),
	('Bo B', 'd4', '2026-06-30', NULL, 0, 0, 0, 0),
	('Bo B', 'd5', '2026-07-01', NULL, 0, 4, 0, 3),
	('Bo B', 'd6', '2026-03-31', '2026-03-31', 0, 5, 5, 2),
	('Bo B', 'd7', '2026-04-01', '2026-07-01', 0, 0, 0, 0),
	('Bo B', 'd8', '2026-05-01', '2026-04-15', 2, 0, 0, 0),
	('Bo C', 'c1', '2026-05-05', '2026-05-05', 0, NULL, NULL, NULL);
CREATE TABLE q2 AS
SELECT ministry, kpi.lawmaking_agg(due, issued, times_returned, obstacles_detected,
                                   obstacles_resolved, initiatives, b.period_start, b.period_end) AS s
FROM docs, kpi.period_bounds('quarter', '2026-04-01') b
GROUP BY ministry;
SELECT ministry, s FROM q2 ORDER BY ministry;
SELECT ministry, kpi.lm_on_time_rate(s) AS on_time_pct, kpi.lm_first_pass_rate(s) AS first_pass_pct,
       kpi.lm_obstacle_rate(s) AS obstacles_pct, kpi.lm_backlog(s) AS backlog,
       kpi.lm_late_issued(s) AS late_issued, kpi.lm_initiatives(s) AS initiatives
FROM q2 ORDER BY ministry;
SELECT ministry, kpi.lm_score(s, 7) AS score, kpi.tier_of(kpi.lm_score(s, 7)) AS tier
FROM q2 ORDER BY ministry;
-- Bo C: one document due and issued on the day, nothing else: progress 40,
-- quality 30, obstacles 15 (none detected: full points), initiatives 0,
-- impact 7 -> 92.00
SELECT p.* FROM q2, kpi.lm_points(s, 7) p WHERE ministry = 'Bo B';
SELECT c.* FROM q2, kpi.lm_components(s) c WHERE ministry = 'Bo B';
-- the backlog, listed: d4 and d7
SELECT ministry, array_agg(doc ORDER BY doc) FILTER (WHERE kpi.lm_is_backlog(due, issued, '2026-06-30')) AS backlog
FROM docs GROUP BY ministry ORDER BY ministry;

-- LM4 parameters from the rules: a target of 2 initiatives halves the
-- initiatives points (5 x 1 / 2 = 2.5, total 54.5); a target of 0.5 is
-- more than met (5, total 57); another template (progress 50 x 3 / 6 = 25,
-- quality 20 x 2 / 4 = 10, obstacles 10 x 2 / 3 = 6.666..., initiatives 10,
-- impact mark 7 of 10: 58.666... -> 58.67); the impact mark at 0 and 10;
-- rounding to 4 decimals (57.1234)
SELECT kpi.lm_score(s, 7, '{"initiatives_target": 2}') AS target_2,
       kpi.lm_score(s, 7, '{"initiatives_target": 0.5}') AS target_half,
       kpi.lm_score(s, 7, '{"lawmaking_template": {"progress": 50, "quality": 20, "obstacles": 10, "initiatives": 10, "impact": 10}}') AS other_template,
       kpi.lm_score(s, 0) AS impact_0,
       kpi.lm_score(s, 10) AS impact_full,
       kpi.lm_score(s, 7.1234, '{"rounding_scale": 4}') AS scale_4
FROM q2 WHERE ministry = 'Bo B';
-- impact outside 0..10 (or 0..the template's impact points): 22023
SELECT e.* FROM q2, pg_temp.err(format('SELECT kpi.lm_score(%L, 10.0001)', s)) e WHERE ministry = 'Bo B';
SELECT e.* FROM q2, pg_temp.err(format('SELECT kpi.lm_score(%L, -1)', s)) e WHERE ministry = 'Bo B';
SELECT e.* FROM q2, pg_temp.err(format('SELECT kpi.lm_score(%L, 5.0001, %L)', s, '{"lawmaking_template": {"progress": 45, "quality": 30, "obstacles": 15, "initiatives": 5, "impact": 5}}')) e WHERE ministry = 'Bo B';
SELECT e.* FROM q2, pg_temp.err(format('SELECT kpi.lm_score(%L, 7.00001)', s)) e WHERE ministry = 'Bo B';

--
-- N0.4 and zero denominators.  Nothing due, issued or detected: not
-- scored (NULL), even with a backlog carried from earlier periods; the
-- rates with nothing to measure are NULL, and in the score such a share
-- earns its full points (our default).
--
SELECT s, kpi.lm_score(s, 10) IS NULL AS not_scored, kpi.lm_on_time_rate(s) IS NULL AS no_rate,
       kpi.lm_backlog(s) AS backlog
FROM (SELECT kpi.lawmaking_agg(due, issued, 0, 0, 0, 0, '2026-07-01', '2026-09-30') AS s
      FROM docs WHERE ministry = 'Bo B' AND doc IN ('d4', 'd6')) t;
-- only obstacles detected (a report row without a due date, dated by
-- issued): progress 40 and quality 30 in full, obstacles 15 x 1 / 4,
-- initiatives 5 x min(1, 2 / 1), impact 6: 40 + 30 + 3.75 + 5 + 6 = 84.75
SELECT s, kpi.lm_score(s, 6) AS score, kpi.lm_obstacle_rate(s) AS obstacles_pct
FROM (SELECT kpi.lawmaking_agg(NULL, '2026-08-15', NULL, 4, 1, 2, '2026-07-01', '2026-09-30') AS s) t;
-- a report row dated outside the period and a row with neither date add
-- nothing: only the third row, a document due and issued in the period, counts
SELECT kpi.lawmaking_agg(due, issued, NULL, 4, 1, 2, '2026-07-01', '2026-09-30') AS s
FROM (VALUES (NULL::date, '2026-10-01'::date), (NULL, NULL), ('2026-07-15', '2026-07-14')) v(due, issued);
-- over no rows, or rows without any date: NULL, like other aggregates
SELECT kpi.lawmaking_agg(due, issued, 0, 0, 0, 0, '2026-07-01', '2026-09-30') IS NULL AS no_rows
FROM docs WHERE false;
SELECT kpi.lawmaking_agg(NULL, NULL, 0, 0, 0, 0, '2026-07-01', '2026-09-30') IS NULL AS no_dates;

--
-- Worked example 2: a half-year crossing the year end, 2026-10-01 to
-- 2027-03-31, and its two quarters.  Documents of ministry "Bo D":
--   e1 due 2026-10-15, issued 10-10, never returned, obstacles 2/2
--   e2 due 2026-11-30, issued 12-05 (late), returned once, obstacles 1/0,
--      1 initiative
--   e3 due 2026-12-31, never issued, obstacles 3/1
--   e4 due 2026-09-30 (before the half), issued 2026-10-20 (late, in Q4)
--   e5 due 2026-08-31 (before), never issued
--   e6 due 2027-02-15, issued 2027-02-10, returned twice, obstacles 1/1
--   e7 due 2027-03-31, issued 2027-04-05 (after the half)
--   e8 no due date: a report of 2 initiatives dated 2027-01-20
-- Q4 2026: due e1 e2 e3 = 3, on time e1 = 1, late e2 e4 = 2, backlog at
--   12-31 e3 e5 = 2, issued e1 e2 e4 = 3, first pass e1 e4 = 2,
--   obstacles 6/3 (e1 e2 e3), initiatives 1 (e2)
-- Q1 2027: due e6 e7 = 2, on time e6 = 1, late 0, backlog at 03-31
--   e3 e5 e7 = 3, issued e6 = 1, first pass 0, obstacles 1/1, initiatives 2
-- Half: the sums, with the backlog at 03-31: due 5, on time 2, late 2,
--   backlog 3, issued 4, first pass 2, obstacles 7/4, initiatives 3
-- LM4, impact 8: 40 x 2 / 5 = 16; 30 x 2 / 4 = 15; 15 x 4 / 7 = 8.5714...;
--   5 x min(1, 3) = 5; 8: total 52.5714... -> 52.57, hoan_thanh
--   (Q4: 40 / 3 + 20 + 7.5 + 5 + 8 = 53.8333... -> 53.83; Q1: 20 + 0 + 15
--   + 5 + 8 = 48.00, khong_hoan_thanh)
--
INSERT INTO docs VALUES
	('Bo D', 'e1', '2026-10-15', '2026-10-10', 0, 2, 2, 0),
	('Bo D', 'e2', '2026-11-30', '2026-12-05', 1, 1, 0, 1),
	('Bo D', 'e3', '2026-12-31', NULL, 0, 3, 1, 0),
	('Bo D', 'e4', '2026-09-30', '2026-10-20', 0, 0, 0, 0),
	('Bo D', 'e5', '2026-08-31', NULL, 0, 0, 0, 0),
	('Bo D', 'e6', '2027-02-15', '2027-02-10', 2, 1, 1, 0),
	('Bo D', 'e7', '2027-03-31', '2027-04-05', 0, 0, 0, 0),
	('Bo D', 'e8', NULL, '2027-01-20', NULL, NULL, NULL, 2);
CREATE TABLE bo_d AS
SELECT p.name, p.period_start, p.period_end,
       kpi.lawmaking_agg(d.due, d.issued, d.times_returned, d.obstacles_detected,
                         d.obstacles_resolved, d.initiatives, p.period_start, p.period_end) AS s
FROM docs d,
     (SELECT 'Q4 2026' AS name, * FROM kpi.period_bounds('quarter', '2026-10-01')
      UNION ALL SELECT 'Q1 2027', * FROM kpi.period_bounds('quarter', '2027-01-01')
      UNION ALL SELECT 'H 2026-10..2027-03', * FROM kpi.period_bounds('half', '2026-10-01')) p
WHERE d.ministry = 'Bo D'
GROUP BY p.name, p.period_start, p.period_end;
SELECT name, c.due_in_period, c.on_time, c.late_issued, c.backlog, c.issued_in_period,
       c.first_pass, c.obstacles_detected, c.obstacles_resolved, c.initiatives
FROM bo_d, kpi.lm_components(s) c ORDER BY bo_d.period_start, bo_d.period_end;
SELECT name, kpi.lm_score(s, 8) AS score, kpi.tier_of(kpi.lm_score(s, 8)) AS tier
FROM bo_d ORDER BY period_start, period_end;
-- the backlog at the end of the half-year, listed: e3, e5, e7
SELECT array_agg(doc ORDER BY doc) FILTER (WHERE kpi.lm_is_backlog(due, issued, '2027-03-31')) AS backlog
FROM docs WHERE ministry = 'Bo D';
-- the two quarters appended give the half-year exactly, in either order
SELECT kpi.lm_append(q4.s, q1.s)::text = h.s::text AS q4_then_q1,
       kpi.lm_append(q1.s, q4.s)::text = h.s::text AS q1_then_q4,
       kpi.lm_append(q4.s, q1.s) AS appended
FROM bo_d q4, bo_d q1, bo_d h
WHERE q4.name = 'Q4 2026' AND q1.name = 'Q1 2027' AND h.name LIKE 'H%';
-- periods that are not consecutive cannot be appended (a gap, an overlap)
SELECT e.* FROM bo_d q4, bo_d h,
       pg_temp.err(format('SELECT kpi.lm_append(%L, %L)', q4.s, h.s)) e
WHERE q4.name = 'Q4 2026' AND h.name LIKE 'H%';
SELECT e.* FROM pg_temp.err('SELECT kpi.lm_append(''(period_start=2026-01-01,period_end=2026-03-31,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'', ''(period_start=2026-07-01,period_end=2026-09-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'')') e;

-- kpi.rollup(kpi.lawmaking): units of one ministry, same period, merged
-- exactly: the same as summarising all their documents at once
SELECT kpi.rollup(s)::text = (SELECT kpi.lawmaking_agg(due, issued, times_returned, obstacles_detected,
                                                        obstacles_resolved, initiatives, '2026-04-01', '2026-06-30')::text
                              FROM docs WHERE ministry IN ('Bo B', 'Bo C')) AS rollup_is_exact,
       kpi.rollup(s) AS merged
FROM q2;
SELECT e.* FROM pg_temp.err('SELECT kpi.rollup(s) FROM bo_d') e;

--
-- lm_is_backlog: due on or before the period end and not issued by then
--
SELECT due, issued, kpi.lm_is_backlog(due, issued, '2026-06-30') AS backlog
FROM (VALUES ('2026-06-30'::date, NULL::date), ('2026-06-30', '2026-06-30'), ('2026-06-30', '2026-07-01'),
             ('2026-07-01', NULL), ('2020-01-01', NULL), ('2020-01-01', '2026-06-29'), (NULL, NULL)) v(due, issued);

-- bad rows: 22004 for missing period bounds, 22023 otherwise
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.lawmaking_agg(''2026-05-01'', NULL, 0, 0, 0, 0, NULL, ''2026-06-30'')'),
  ('SELECT kpi.lawmaking_agg(''2026-05-01'', NULL, 0, 0, 0, 0, ''2026-04-01'', NULL)'),
  ('SELECT kpi.lawmaking_agg(''2026-05-01'', NULL, 0, 0, 0, 0, ''2026-06-30'', ''2026-04-01'')'),
  ('SELECT kpi.lawmaking_agg(''2026-05-01'', NULL, 0, 0, 0, 0, ''-infinity'', ''2026-06-30'')'),
  ('SELECT kpi.lawmaking_agg(''2026-05-01'', NULL, 0, 0, 0, 0, ''2026-04-01'', ''10000-01-01'')'),
  ('SELECT kpi.lawmaking_agg(''2026-05-01'', NULL, 0, 3, 4, 0, ''2026-04-01'', ''2026-06-30'')'),
  ('SELECT kpi.lawmaking_agg(''2026-05-01'', NULL, -1, 0, 0, 0, ''2026-04-01'', ''2026-06-30'')'),
  ('SELECT kpi.lawmaking_agg(''2026-05-01'', NULL, 0, -1, 0, 0, ''2026-04-01'', ''2026-06-30'')'),
  ('SELECT kpi.lawmaking_agg(''2026-05-01'', NULL, 0, 0, -1, 0, ''2026-04-01'', ''2026-06-30'')'),
  ('SELECT kpi.lawmaking_agg(''2026-05-01'', NULL, 0, 0, 0, -1, ''2026-04-01'', ''2026-06-30'')'),
  ('SELECT kpi.lawmaking_agg(NULL, NULL, 0, 2, 3, 0, ''2026-04-01'', ''2026-06-30'')'),
  ('SELECT kpi.lawmaking_agg(due, NULL, 0, 0, 0, 0, ps, ''2026-06-30'') FROM (VALUES (''2026-05-01''::date, ''2026-04-01''::date), (''2026-05-02'', ''2026-04-02'')) v(due, ps)'),
  ('SELECT kpi.lawmaking_combine(''(period_start=2026-01-01,period_end=2026-03-31,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'', ''(period_start=2026-01-01,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'')'),
  ('SELECT kpi.lawmaking_combine(''(period_start=2026-01-01,period_end=2026-03-31,due_in_period=9223372036854775807,on_time=0,late_issued=0,backlog=9223372036854775807,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'', ''(period_start=2026-01-01,period_end=2026-03-31,due_in_period=1,on_time=0,late_issued=0,backlog=1,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'')')
) v(q), pg_temp.err(q) e;
\x off
-- the transition and combine functions called directly work on copies
SELECT kpi.lawmaking_agg_trans(NULL, '2026-05-01', '2026-04-30', 0, 1, 1, 0, '2026-04-01', '2026-06-30') AS trans;
SELECT kpi.lawmaking_combine(s, s) AS doubled, s AS unchanged FROM q2 WHERE ministry = 'Bo C';

--
-- Text input and output: the canonical form round-trips; whitespace is
-- allowed around fields; dates are always written YYYY-MM-DD
--
SET datestyle = 'SQL, DMY';
SELECT s FROM q2 WHERE ministry = 'Bo B';
SELECT s::text::kpi.lawmaking::text = s::text AS round_trips FROM q2;
RESET datestyle;
SELECT ' ( period_start= 2026-04-01 , period_end=2026-06-30,due_in_period=6,on_time=3,late_issued=1,backlog=2,issued_in_period=4,first_pass=2,obstacles_detected=3,obstacles_resolved=2,initiatives=1 ) '::kpi.lawmaking;
-- boundaries: the first and last dates, a one-day period, counts at the bigint maximum
SELECT '(period_start=0001-01-01,period_end=9999-12-31,due_in_period=9223372036854775807,on_time=9223372036854775807,late_issued=9223372036854775807,backlog=9223372036854775807,issued_in_period=9223372036854775807,first_pass=9223372036854775807,obstacles_detected=9223372036854775807,obstacles_resolved=9223372036854775807,initiatives=9223372036854775807)'::kpi.lawmaking;
SELECT '(period_start=2026-02-28,period_end=2026-02-28,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'::kpi.lawmaking;

-- malformed text (22P02), impossible summaries (22P02), counts beyond bigint (22003)
\x on
SELECT input, e.*
FROM (VALUES
  (''),
  ('period_start=2026-04-01,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0'),
  ('(period_end=2026-06-30,period_start=2026-04-01,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0,extra=1)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0) x'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0'),
  ('(period_start=2026-4-1,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=01/04/2026,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-02-29,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-13-01,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=0000-12-31,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=10000-01-01,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=-1,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=1.0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=2026-03-31,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=1,on_time=2,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=2,backlog=0,issued_in_period=1,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=1,first_pass=2,obstacles_detected=0,obstacles_resolved=0,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=0,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=1,obstacles_resolved=2,initiatives=0)'),
  ('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=9223372036854775808,on_time=0,late_issued=0,backlog=0,issued_in_period=0,first_pass=0,obstacles_detected=0,obstacles_resolved=0,initiatives=0)')
) v(input), pg_temp.err(format('SELECT %L::kpi.lawmaking', input)) e;
\x off
-- the plain error path, as a client sees it
SELECT '(period_start=2026-04-01)'::kpi.lawmaking;
SELECT 1 AS server_still_answers;

--
-- Binary round trip through COPY (FORMAT binary), and hostile binary input
--
SELECT '/tmp/kpi_regress_lawmaking_' || pg_backend_pid() || '_rt.bin' AS rtfile \gset
CREATE TABLE lm_back (LIKE bo_d);
COPY bo_d TO :'rtfile' (FORMAT binary);
COPY lm_back FROM :'rtfile' (FORMAT binary);
SELECT count(*) AS rows_back,
       count(*) FILTER (WHERE a.s::text = b.s::text) AS same_text,
       count(*) FILTER (WHERE kpi.lawmaking_send(a.s) = kpi.lawmaking_send(b.s)) AS same_bits
FROM bo_d a JOIN lm_back b USING (name);
-- the wire form: version 1, flags 0, reserved int2 0, two int4 dates (days
-- since 2000-01-01), nine int8 counts, big-endian: 84 bytes
SELECT kpi.lawmaking_send(s), length(kpi.lawmaking_send(s)) FROM q2 WHERE ministry = 'Bo B';

-- recv(b): write b as the raw bytes of one binary COPY field, load that
-- file into a kpi.lawmaking column, and report the value or the error
CREATE TABLE lm_recv (s kpi.lawmaking);
CREATE FUNCTION pg_temp.recv(b bytea, OUT result text, OUT code text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
DECLARE
	f text := '/tmp/kpi_regress_lawmaking_' || pg_backend_pid() || '_recv.bin';
BEGIN
	EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', b, f);
	TRUNCATE lm_recv;
	EXECUTE format('COPY lm_recv FROM %L (FORMAT binary)', f);
	SELECT s::text INTO result FROM lm_recv;
	code := 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL;
END $$;
SELECT s AS base FROM q2 WHERE ministry = 'Bo B' \gset
SELECT r.* FROM pg_temp.recv(kpi.lawmaking_send(:'base')) r;
\x on
SELECT name, r.code, r.message, r.detail, r.result
FROM (SELECT kpi.lawmaking_send(:'base') AS b) base,
LATERAL (VALUES
  (1, 'empty', ''::bytea),
  (2, 'one byte short', substr(b, 1, 83)),
  (3, 'one byte extra', b || '\x00'::bytea),
  (4, 'version 0', set_byte(b, 0, 0)),
  (5, 'version 2', set_byte(b, 0, 2)),
  (6, 'flags set', set_byte(b, 1, 1)),
  (7, 'reserved set', set_byte(b, 3, 1)),
  (8, 'start after end', overlay(b PLACING '\x00003000' FROM 5)),
  (9, 'end at infinity', overlay(b PLACING '\x7fffffff' FROM 9)),
  (10, 'start before 0001-01-01', overlay(b PLACING '\xffe00000' FROM 5)),
  (11, 'negative due count', set_byte(b, 12, 255)),
  (12, 'on time above due', overlay(b PLACING '\x0000000000000007' FROM 21)),
  (13, 'late above issued', overlay(b PLACING '\x0000000000000005' FROM 29)),
  (14, 'resolved above detected', overlay(b PLACING '\x0000000000000004' FROM 69))
) v(n, name, bytes), pg_temp.recv(bytes) r
ORDER BY n;
\x off

-- remove the files written above
DO $$
BEGIN
	EXECUTE format('COPY (SELECT 1 WHERE false) TO PROGRAM %L',
				   'rm -f /tmp/kpi_regress_lawmaking_' || pg_backend_pid() || '_*.bin');
END $$;

DROP TABLE docs, q2, bo_d, lm_back, lm_recv;
