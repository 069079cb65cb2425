--
-- Deduction criteria in general form (rules.md GN1-GN3): kpi.deduction_points,
-- kpi.wait_events and the kpi.group_points aggregate.  Expected values are
-- worked out by hand in the comments.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

--
-- GN1: a criterion worth P points losing p points per event scores
-- max(0, P - p x events).  Worked example: training attendance worth 15
-- points, 2 points per unexcused absence: 0 -> 15, 1 -> 13, ..., 7 -> 1,
-- 8 -> 0 (15 - 16 clamps at 0), 100 -> 0.
--
SELECT absences, kpi.deduction_points(15, 2, absences) AS points
FROM unnest('{0,1,2,3,4,5,6,7,8,100}'::bigint[]) AS absences;

-- boundaries: landing exactly on 0 (14 - 2 x 7), one event short of it,
-- no deduction at all, a criterion worth 0
SELECT kpi.deduction_points(14, 2, 7) AS exactly_zero,
       kpi.deduction_points(14, 2, 6) AS one_short,
       kpi.deduction_points(14, 0, 1000) AS no_deduction,
       kpi.deduction_points(0, 2, 0) AS worth_nothing;
-- exact decimals (4 places): 10 - 0.3333 x 3 = 9.0001; 2.5 - 0.0001 x 25000 = 0
SELECT kpi.deduction_points(10, 0.3333, 3) AS four_decimals,
       kpi.deduction_points(2.5, 0.0001, 25000) AS down_to_zero,
       kpi.deduction_points(2.5, 0.0001, 24999) AS one_ten_thousandth;
-- the largest inputs: no overflow, the result clamps at 0
SELECT kpi.deduction_points(999999999999.9999, 999999999999.9999, 9223372036854775807) AS huge,
       kpi.deduction_points(999999999999.9999, 0, 9223372036854775807) AS untouched;
-- STRICT: NULL in, NULL out
SELECT kpi.deduction_points(NULL, 2, 1) IS NULL AS null_points,
       kpi.deduction_points(15, 2, NULL) IS NULL AS null_events;

-- bad input: 22023 (negative, 5 decimals, NaN, infinity), 22003 (too large)
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.deduction_points(-1, 2, 1)'),
  ('SELECT kpi.deduction_points(15, -2, 1)'),
  ('SELECT kpi.deduction_points(15, 2, -1)'),
  ('SELECT kpi.deduction_points(15, 0.00001, 1)'),
  ('SELECT kpi.deduction_points(''NaN'', 2, 1)'),
  ('SELECT kpi.deduction_points(15, ''Infinity'', 1)'),
  ('SELECT kpi.deduction_points(1000000000000, 2, 1)')
) v(q), pg_temp.err(q) e;
\x off

--
-- GN2: waiting longer than allowed is one event.  A leader must approve or
-- comment within 5 days; the waiting time is elapsed calendar time (weekends
-- count), compared with the allowed interval as PostgreSQL compares
-- intervals (a day is 24 hours, a month 30 days).
--
SET TIME ZONE 'Asia/Ho_Chi_Minh';
SELECT label, kpi.wait_events(started, answered, allowed, as_of) AS events
FROM (VALUES
  ('exactly 5 days: not late',        '2026-03-02 08:00'::timestamptz, '2026-03-07 08:00'::timestamptz, '5 days'::interval, NULL::timestamptz),
  ('5 days and 1 microsecond: late',  '2026-03-02 08:00', '2026-03-07 08:00:00.000001', '5 days', NULL),
  ('answered the same hour',          '2026-03-02 08:00', '2026-03-02 08:59', '5 days', NULL),
  ('weekend counts: 5 days 16 hours', '2026-03-06 17:00', '2026-03-12 09:00', '5 days', NULL),
  ('120 hours equal 5 days',          '2026-03-02 08:00', '2026-03-07 08:00', '120 hours', NULL),
  ('1 month is 30 days: 30 days ok',  '2026-01-01 00:00', '2026-01-31 00:00', '1 month', NULL),
  ('1 month is 30 days: 31 days late','2026-01-01 00:00', '2026-02-01 00:00', '1 month', NULL),
  ('zero allowed, answered at once',  '2026-03-02 08:00', '2026-03-02 08:00', '0', NULL),
  ('not answered, as_of 5 days on',   '2026-03-02 08:00', NULL, '5 days', '2026-03-07 08:00'),
  ('not answered, as_of 6 days on',   '2026-03-02 08:00', NULL, '5 days', '2026-03-08 08:00'),
  ('not answered, no as_of',          '2026-03-02 08:00', NULL, '5 days', NULL),
  ('answered on time, late as_of',    '2026-03-02 08:00', '2026-03-03 08:00', '5 days', '2026-04-01 00:00')
) v(label, started, answered, allowed, as_of);
-- the 4-argument form defaults as_of to NULL; a NULL start or allowance gives NULL
SELECT kpi.wait_events('2026-03-02', '2026-03-09', '5 days') AS three_args,
       kpi.wait_events(NULL, '2026-03-09', '5 days') IS NULL AS null_started,
       kpi.wait_events('2026-03-02', '2026-03-09', NULL) IS NULL AS null_allowed;
-- time zones do not matter: the same instants, another session zone
SET TIME ZONE 'UTC';
SELECT kpi.wait_events('2026-03-02 08:00+07', '2026-03-07 08:00+07', '5 days') AS same_instants,
       kpi.wait_events('2026-03-02 08:00+07', '2026-03-07 08:00+06', '5 days') AS one_hour_more;
RESET TIME ZONE;

-- bad input: 22023
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.wait_events(''2026-03-02'', ''2026-03-01'', ''5 days'')'),
  ('SELECT kpi.wait_events(''2026-03-02'', NULL, ''5 days'', ''2026-03-01'')'),
  ('SELECT kpi.wait_events(''2026-03-02'', ''2026-03-03'', ''-1 day'')'),
  ('SELECT kpi.wait_events(''-infinity'', ''2026-03-03'', ''5 days'')'),
  ('SELECT kpi.wait_events(''2026-03-02'', ''infinity'', ''5 days'')'),
  ('SELECT kpi.wait_events(''2026-03-02'', NULL, ''5 days'', ''infinity'')')
) v(q), pg_temp.err(q) e;
\x off

-- GN1 + GN2 together: a leader's criterion worth 10 points, 1 point per
-- request left more than 5 days; 3 of the 5 requests below are late
-- (ids 2, 4 and 5, the last one still unanswered on 31 March): 10 - 3 = 7
CREATE TABLE requests (id int, leader text, started timestamptz, answered timestamptz);
INSERT INTO requests VALUES
	(1, 'A', '2026-03-02 08:00+07', '2026-03-04 10:00+07'),
	(2, 'A', '2026-03-05 08:00+07', '2026-03-12 08:00+07'),
	(3, 'A', '2026-03-10 08:00+07', '2026-03-15 08:00+07'),
	(4, 'A', '2026-03-16 08:00+07', '2026-03-21 08:30+07'),
	(5, 'A', '2026-03-20 08:00+07', NULL),
	(6, 'B', '2026-03-20 08:00+07', '2026-03-21 08:00+07');
SELECT leader, sum(kpi.wait_events(started, answered, '5 days', '2026-03-31 23:59+07')) AS late,
       kpi.deduction_points(10, 1, sum(kpi.wait_events(started, answered, '5 days', '2026-03-31 23:59+07'))) AS points
FROM requests GROUP BY leader ORDER BY leader;

--
-- GN3: groups of criteria with a maximum per group.  Group sums are
-- capped at the group maximum: spearhead 12 + 10 + 8 = 30 > 25 -> 25;
-- hard 9.5 + 10.25 = 19.75 (under 20); soft 6 + 4 = 10 = 10 (at the cap).
--
CREATE TABLE criteria (grp text, criterion text, points numeric, group_max numeric);
INSERT INTO criteria VALUES
	('spearhead', 's1', 12, 25), ('spearhead', 's2', 10, 25), ('spearhead', 's3', 8, 25),
	('hard', 'h1', 9.5, 20), ('hard', 'h2', 10.25, 20),
	('soft', 'o1', 6, 10), ('soft', 'o2', 4, 10),
	('soft', 'o3', NULL, 10);		-- not scored yet: skipped like sum() skips it
SELECT grp, sum(points) AS raw_sum, kpi.group_points(points, group_max) AS points
FROM criteria GROUP BY grp ORDER BY grp;
-- the total of the groups, and a group built from deduction criteria:
-- 15 - 2 x 1 = 13 and 15 - 2 x 9 = 0, capped at 20: 13
SELECT sum(points) AS total FROM (
	SELECT kpi.group_points(points, group_max) AS points FROM criteria GROUP BY grp) g;
SELECT kpi.group_points(kpi.deduction_points(15, 2, n), 20) AS attendance_group
FROM (VALUES (1), (9)) v(n);
-- over no rows, or only NULL rows: NULL, like sum()
SELECT kpi.group_points(points, group_max) IS NULL AS no_rows FROM criteria WHERE false;
SELECT kpi.group_points(points, group_max) IS NULL AS only_nulls FROM criteria WHERE points IS NULL;
-- a window over the group: running capped sums 12, 22, 25
SELECT criterion, kpi.group_points(points, group_max) OVER (ORDER BY criterion) AS running
FROM criteria WHERE grp = 'spearhead' ORDER BY criterion;

-- bad input: the group maximum differs between rows; negative or too
-- precise points; a broken state passed to the support functions
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.group_points(p, m) FROM (VALUES (1, 25), (2, 20)) v(p, m)'),
  ('SELECT kpi.group_points(p, m) FROM (VALUES (-1, 25)) v(p, m)'),
  ('SELECT kpi.group_points(p, m) FROM (VALUES (1.00001, 25)) v(p, m)'),
  ('SELECT kpi.group_points(p, m) FROM (VALUES (1, -25)) v(p, m)'),
  ('SELECT kpi.group_points_final(''{1,2}'')'),
  ('SELECT kpi.group_points_final(''{1,2,NULL}'')'),
  ('SELECT kpi.group_points_final(''{1,-2,250000}'')'),
  ('SELECT kpi.group_points_final(''{1,20000,-1}'')'),
  ('SELECT kpi.group_points_final(''{0,5,-1}'')'),
  ('SELECT kpi.group_points_combine(''{1,10000,250000}'', ''{1,10000,200000}'')'),
  ('SELECT kpi.group_points_combine(''{9223372036854775807,10000,250000}'', ''{1,10000,250000}'')')
) v(q), pg_temp.err(q) e;
\x off
-- the support functions called directly, with valid states
SELECT kpi.group_points_trans('{0,0,-1}', 2.5, 10) AS trans,
       kpi.group_points_combine('{1,25000,100000}', '{0,0,-1}') AS with_empty,
       kpi.group_points_combine('{0,0,-1}', '{1,25000,100000}') AS into_empty,
       kpi.group_points_final('{2,125000,100000}') AS capped;

DROP TABLE requests, criteria;
