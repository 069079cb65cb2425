--
-- Aggregates over period scores: kpi.annual_score (CS12, N0.3, N0.4) and
-- kpi.unit_result, the leader's criterion d (CS10); their support functions
-- called directly with hostile state arrays.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

--
-- E5: monthly totals 92, 88, 95, 90.5, 87, 91, 93, 89, 90, 94, 86, 92:
-- sum 1087.5, mean 90.625, annual 90.63
--
CREATE TABLE e5 (month int, score numeric);
INSERT INTO e5 VALUES (1, 92), (2, 88), (3, 95), (4, 90.5), (5, 87), (6, 91),
                      (7, 93), (8, 89), (9, 90), (10, 94), (11, 86), (12, 92);
SELECT kpi.annual_score(score) AS annual, kpi.tier_of(kpi.annual_score(score)) AS tier FROM e5;
-- any order, any grouping (quarters averaged from their parts, not from means)
SELECT kpi.annual_score(score ORDER BY score DESC) AS annual_desc FROM e5;

--
-- E9: unscored (NULL) periods are left out of the mean
--
SELECT kpi.annual_score(score) AS annual, count(score) AS scored
FROM (VALUES (90.42), (69.22), (NULL), (97.08), (NULL)) v(score);
-- periods scored at a previous agency count like any other (CS12)
SELECT kpi.annual_score(score) AS annual
FROM (VALUES ('old agency', 80), ('old agency', 85), ('new agency', 90)) v(agency, score);

--
-- Rounding (N0.3): each period score counts as published (rounded to 2
-- decimals), and the mean is rounded half away from zero from the exact quotient
--
-- 90.005 is published as 90.01 and 90.004 as 90.00: mean 90.005 -> 90.01
-- (averaging the unrounded values would give 90.0045 -> 90.00)
SELECT kpi.annual_score(score) AS annual FROM (VALUES (90.005), (90.004)) v(score);
-- published 89.99 and 90.00 average to 89.995, which rounds up to 90.00 (excellent)
SELECT kpi.annual_score(score) AS annual, kpi.tier_of(kpi.annual_score(score)) AS tier
FROM (VALUES (89.99), (90.00)) v(score);
-- exact halves round away from zero (banker's rounding would give 90.00 and 50.02)
SELECT (SELECT kpi.annual_score(s) FROM (VALUES (90.00), (90.01)) v(s)) AS half_90_005,
       (SELECT kpi.annual_score(s) FROM (VALUES (50.02), (50.03)) v(s)) AS half_50_025,
       (SELECT kpi.annual_score(s) FROM (VALUES (90), (90), (90.01)) v(s)) AS third_90_0033,
       (SELECT kpi.annual_score(s) FROM (VALUES (90), (90.01), (90.01)) v(s)) AS two_thirds_90_0067;
-- always 2 decimals; 0 and 100 are valid scores
SELECT (SELECT kpi.annual_score(s) FROM (VALUES (100), (100)) v(s)) AS all_100,
       (SELECT kpi.annual_score(s) FROM (VALUES (0), (0.004)) v(s)) AS all_0,
       (SELECT kpi.annual_score(s) FROM (VALUES (100), (0)) v(s)) AS mixed;
-- another rounding scale: 89.5 and 90.4 are published as 90 and 90
SELECT kpi.annual_score(s, '{"rounding_scale": 0}') AS scale_0,
       kpi.annual_score(s, '{"rounding_scale": 1}') AS scale_1,
       kpi.annual_score(s, '{"rounding_scale": 4}') AS scale_4
FROM (VALUES (89.5), (90.4)) v(s);

--
-- Empty input and NULLs
--
SELECT kpi.annual_score(score) IS NULL AS no_rows FROM e5 WHERE false;
SELECT kpi.annual_score(s) IS NULL AS only_nulls FROM (VALUES (NULL::numeric), (NULL)) v(s);
SELECT kpi.annual_score(s, NULL) IS NULL AS null_rules FROM (VALUES (90)) v(s);
SELECT month % 2 AS half, kpi.annual_score(CASE WHEN month % 2 = 0 THEN score END) AS annual
FROM e5 GROUP BY 1 ORDER BY 1;

--
-- Scores out of range: errors
--
\x on
SELECT s, e.*
FROM (VALUES ('100.01'), ('100.005'), ('150'), ('-0.01'), ('-5'), ('NaN'), ('Infinity'), ('1e20')) v(s),
     pg_temp.err(format('SELECT kpi.annual_score(x) FROM (VALUES (90), (%L::numeric)) v(x)', s)) e;
\x off
SELECT kpi.annual_score(x) FROM (VALUES (90), (100.01)) v(x);
-- rules are checked, and must be the same on every row
SELECT kpi.annual_score(x, '{"rounding_scale": 5}') FROM (VALUES (90)) v(x);
SELECT kpi.annual_score(x, r) FROM (VALUES (90, '{}'::jsonb), (91, '{"rounding_scale": 1}')) v(x, r);
SELECT 1 AS server_still_answers;

--
-- Moving windows (inverse transition): ROWS BETWEEN 2 PRECEDING AND CURRENT ROW
--
-- 92; (92+88)/2 = 90; 275/3 = 91.67; 273.5/3 = 91.17; 272.5/3 = 90.83;
-- 268.5/3 = 89.50; 271/3 = 90.33; 273/3 = 91; 272/3 = 90.67; 273/3 = 91;
-- 270/3 = 90; 272/3 = 90.67.  The running mean ends at the annual 90.63.
SELECT month, score,
       kpi.annual_score(score) OVER (ORDER BY month ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS last_3,
       kpi.annual_score(score) OVER (ORDER BY month) AS year_to_date
FROM e5 ORDER BY month;
-- NULL periods inside the frame are skipped; a frame of NULLs only is NULL
SELECT m, s, kpi.annual_score(s) OVER (ORDER BY m ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS last_2
FROM (VALUES (1, 90), (2, NULL), (3, NULL), (4, 80), (5, 85.005)) v(m, s) ORDER BY m;
-- every moving frame equals the mean computed from scratch
CREATE TABLE scores AS
SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE round((i * 37 % 10001) / 100.0, 3) END AS s
FROM generate_series(1, 400) i;
SELECT count(*) AS frames,
       count(*) FILTER (WHERE moving IS NOT DISTINCT FROM fresh) AS exact
FROM (SELECT i,
             kpi.annual_score(s) OVER (ORDER BY i ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS moving,
             (SELECT kpi.annual_score(s) FROM scores s2 WHERE s2.i BETWEEN s1.i - 5 AND s1.i) AS fresh
      FROM scores s1) x;
-- and the mean of the published values, computed with plain numeric arithmetic
SELECT kpi.annual_score(s) AS annual,
       round(avg(round(s, 2)), 2) AS plain_sql
FROM scores;

--
-- kpi.unit_result: criterion d is 100 when every scored subordinate reached
-- 50 (on the published score), else 50 (CS10)
--
SELECT kpi.unit_result(s) AS d FROM (VALUES (92), (75.5), (50.00)) v(s);
SELECT kpi.unit_result(s) AS d FROM (VALUES (92), (75.5), (49.99)) v(s);
-- 49.995 is published as 50.00 and counts as reached; 49.994 is 49.99
SELECT kpi.unit_result(s) AS d FROM (VALUES (92), (49.995)) v(s);
SELECT kpi.unit_result(s) AS d FROM (VALUES (92), (49.994)) v(s);
-- nobody scored (the leader manages nobody, or no period scored): 100
SELECT kpi.unit_result(s) AS d FROM (VALUES (1)) v(s) WHERE false;
SELECT kpi.unit_result(s) AS d FROM (VALUES (NULL::numeric), (NULL)) v(s);
-- NULL (unscored) subordinates are left out
SELECT kpi.unit_result(s) AS d FROM (VALUES (NULL::numeric), (60), (NULL)) v(s);
-- per unit
SELECT unit, kpi.unit_result(s) AS d
FROM (VALUES (1, 70), (1, 49), (2, 99), (2, 50), (3, NULL)) v(unit, s)
GROUP BY unit ORDER BY unit;
-- E4: the leader's d comes from the unit: one subordinate below 50 gives d = 50
SELECT kpi.period_score(29, kpi.tally_agg(1, true, true, 0, 0),
                        (SELECT kpi.unit_result(s) FROM (VALUES (92), (49.99), (75)) v(s)), 100, 100) AS e4_total
FROM generate_series(1, 3);
-- custom rules: another threshold, other criterion values
SELECT kpi.unit_result(s, '{"threshold_complete": 60}') AS d_60,
       kpi.unit_result(s) AS d_default
FROM (VALUES (80), (59.99)) v(s);
SELECT kpi.unit_result(s, '{"leader_full": 90, "leader_reduced": 40}') AS d
FROM (VALUES (80), (30)) v(s);
SELECT kpi.unit_result(s, '{"leader_full": 90, "leader_reduced": 40}') AS d
FROM (VALUES (80), (70)) v(s);
SELECT kpi.unit_result(s, '{"rounding_scale": 0}') AS d FROM (VALUES (49.5)) v(s);
-- errors: scores out of range, rules differing between rows, bad rules
SELECT kpi.unit_result(s) FROM (VALUES (70), (100.01)) v(s);
SELECT kpi.unit_result(s) FROM (VALUES (70), (-1)) v(s);
SELECT kpi.unit_result(s, r) FROM (VALUES (70, '{}'::jsonb), (80, '{"threshold_complete": 60}')) v(s, r);
SELECT kpi.unit_result(s, '{"leader_full": 40, "leader_reduced": 40}') FROM (VALUES (70)) v(s);
SELECT 1 AS server_still_answers;

--
-- Support functions called directly: states are checked, never trusted
--
-- valid calls: the state is (count, sum in 1/10000, rounding scale, cap) and
-- (scored, below, threshold, scale, full, reduced, cap), fixed point; -1 is
-- unset, cap 1 is capped and 0 uncapped
SELECT kpi.annual_score_trans('{0,0,-1,-1}', 92) AS trans,
       kpi.annual_score_trans('{1,920000,2,1}', 88.005) AS trans_rounded,
       kpi.annual_score_inv('{2,1800000,2,1}', 92) AS inv,
       kpi.annual_score_combine('{1,920000,2,1}', '{2,1800000,2,1}') AS combine,
       kpi.annual_score_combine('{1,920000,2,1}', '{0,0,-1,-1}') AS combine_empty,
       kpi.annual_score_final('{2,1812500,2,1}') AS final,
       kpi.annual_score_final('{0,0,-1,-1}') AS final_empty;
SELECT kpi.unit_result_trans('{0,0,-1,-1,-1,-1,-1}', 49.99) AS trans,
       kpi.unit_result_combine('{1,1,500000,2,1000000,500000,1}', '{2,0,500000,2,1000000,500000,1}') AS combine,
       kpi.unit_result_final('{3,1,500000,2,1000000,500000,1}') AS final_reduced,
       kpi.unit_result_final('{3,0,500000,2,1000000,500000,1}') AS final_full,
       kpi.unit_result_final('{0,0,-1,-1,-1,-1,-1}') AS final_empty;
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.annual_score_final(''{1,2}'')'),
  ('SELECT kpi.annual_score_final(''{1,2,3,4,5}'')'),
  ('SELECT kpi.annual_score_final(''{}'')'),
  ('SELECT kpi.annual_score_final(''{{1,2,3,4}}'')'),
  ('SELECT kpi.annual_score_final(''{1,NULL,2,1}'')'),
  ('SELECT kpi.annual_score_final(''{-1,0,2,1}'')'),
  ('SELECT kpi.annual_score_final(''{1,-5,2,1}'')'),
  ('SELECT kpi.annual_score_final(''{1,900000,7,1}'')'),
  ('SELECT kpi.annual_score_final(''{2,1800000,-1,1}'')'),
  ('SELECT kpi.annual_score_trans(''{1,2}'', 92)'),
  ('SELECT kpi.annual_score_trans(''{0,0,3,1}'', 92)'),
  ('SELECT kpi.annual_score_trans(''{-3,0,2,1}'', 92)'),
  ('SELECT kpi.annual_score_inv(''{1,NULL,2,1}'', 92)'),
  ('SELECT kpi.annual_score_combine(''{1,920000,2,1}'', ''{1,880000,4,1}'')'),
  ('SELECT kpi.annual_score_combine(''{1,920000,2,1}'', ''{1,880000}'')'),
  ('SELECT kpi.annual_score_combine(''{1,920000,2,1}'', ''{1,-880000,2,1}'')'),
  ('SELECT kpi.annual_score_combine(''{9223372036854775807,0,2,1}'', ''{1,0,2,1}'')'),
  ('SELECT kpi.unit_result_final(''{1,2,3}'')'),
  ('SELECT kpi.unit_result_final(''{1,2,500000,2,1000000,500000,1}'')'),
  ('SELECT kpi.unit_result_final(''{1,0,500000,2,1000000,NULL,1}'')'),
  ('SELECT kpi.unit_result_final(''{-1,0,500000,2,1000000,500000,1}'')'),
  ('SELECT kpi.unit_result_trans(''{0,0,600000,-1,-1,-1,-1}'', 70)'),
  ('SELECT kpi.unit_result_trans(''{0,0,-1,-1,-1}'', 70)'),
  ('SELECT kpi.unit_result_combine(''{1,0,500000,2,1000000,500000,1}'', ''{1,0,500000,2,900000,500000,1}'')'),
  ('SELECT kpi.unit_result_combine(''{1,0,500000,2,1000000,500000,1}'', ''{1,0,500000,2,1000000}'')'),
  ('SELECT kpi.unit_result_combine(''{9223372036854775807,0,500000,2,1000000,500000,1}'', ''{1,0,500000,2,1000000,500000,1}'')'),
  -- states in the earlier 3- and 6-element formats (no cap) are refused
  ('SELECT kpi.annual_score_final(''{2,1812500,2}'')'),
  ('SELECT kpi.annual_score_trans(''{0,0,-1}'', 92)'),
  ('SELECT kpi.unit_result_final(''{3,1,500000,2,1000000,500000}'')'),
  ('SELECT kpi.unit_result_trans(''{0,0,-1,-1,-1,-1}'', 70)')
) v(q), pg_temp.err(q) e;
\x off
SELECT kpi.annual_score_final('{1,NULL,2,1}');
SELECT 1 AS server_still_answers;

DROP TABLE e5, scores;

--
-- Scores are range-checked before rounding (N0.5): 100.004 is not published
-- as 100.00, nor -0.004 as 0.00
--
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.annual_score(x) FROM (VALUES (100.004)) v(x)'),
  ('SELECT kpi.annual_score(x) FROM (VALUES (90), (100.004)) v(x)'),
  ('SELECT kpi.annual_score(x) FROM (VALUES (-0.004)) v(x)'),
  ('SELECT kpi.annual_score(x, ''{"rounding_scale": 0}'') FROM (VALUES (100.4)) v(x)'),
  ('SELECT kpi.annual_score(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (VALUES (90), (100.004)) v(x)'),
  ('SELECT kpi.unit_result(x) FROM (VALUES (100.004)) v(x)'),
  ('SELECT kpi.unit_result(x) FROM (VALUES (70), (-0.004)) v(x)'),
  ('SELECT kpi.annual_score_trans(''{0,0,-1,-1}'', 100.001)'),
  ('SELECT kpi.unit_result_trans(''{0,0,-1,-1,-1,-1,-1}'', -0.001)')
) v(q), pg_temp.err(q) e;
\x off
-- 0 and 100 themselves are accepted; 99.995 is published as 100.00
SELECT (SELECT kpi.annual_score(s) FROM (VALUES (100), (100.000)) v(s)) AS all_100,
       (SELECT kpi.annual_score(s) FROM (VALUES (0), (0.000)) v(s)) AS all_0,
       (SELECT kpi.annual_score(s) FROM (VALUES (99.995)) v(s)) AS rounds_to_100,
       (SELECT kpi.unit_result(s) FROM (VALUES (100), (50)) v(s)) AS d_100,
       (SELECT kpi.unit_result(s) FROM (VALUES (100), (0)) v(s)) AS d_50;

--
-- Uncapped rule sets ("cap": false): period scores above 100 are accepted
--
-- 100.004 is published as 100.00: (100.00 + 120 + 90) / 3 = 103.333... -> 103.33
SELECT kpi.annual_score(s, '{"cap": false}') AS annual
FROM (VALUES (100.004), (120), (90)) v(s);
-- moving: {100.00} = 100.00; {100.00, 120} = 110.00; {120, 90} = 105.00
SELECT m, s, kpi.annual_score(s, '{"cap": false}') OVER (ORDER BY m ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS last_2
FROM (VALUES (1, 100.004), (2, 120), (3, 90)) v(m, s) ORDER BY m;
-- criterion d: 120 reached 50, 49.99 did not (d = 50); 49.995 is 50.00 (d = 100)
SELECT (SELECT kpi.unit_result(s, '{"cap": false}') FROM (VALUES (120), (49.99)) v(s)) AS d_below,
       (SELECT kpi.unit_result(s, '{"cap": false}') FROM (VALUES (120), (49.995)) v(s)) AS d_reached;
-- negative scores are still refused
SELECT kpi.annual_score(s, '{"cap": false}') FROM (VALUES (-0.004)) v(s);
SELECT kpi.unit_result(s, '{"cap": false}') FROM (VALUES (-1)) v(s);

--
-- Hostile states: parameters and counts are checked, never trusted
--
\x on
SELECT q, e.*
FROM (VALUES
  -- full and reduced below 0, or full not above reduced
  ('SELECT kpi.unit_result_final(''{1,0,500000,2,-5,-7,1}'')'),
  ('SELECT kpi.unit_result_final(''{1,1,500000,2,-5,-7,1}'')'),
  ('SELECT kpi.unit_result_final(''{1,0,500000,2,500000,1000000,1}'')'),
  ('SELECT kpi.unit_result_final(''{1,0,500000,2,500000,500000,1}'')'),
  -- threshold above 100, scale above 4
  ('SELECT kpi.unit_result_final(''{1,0,1000001,2,1000000,500000,1}'')'),
  ('SELECT kpi.unit_result_final(''{1,0,500000,5,1000000,500000,1}'')'),
  ('SELECT kpi.unit_result_combine(''{1,0,500000,2,-5,-7,1}'', ''{0,0,-1,-1,-1,-1,-1}'')'),
  ('SELECT kpi.unit_result_combine(''{0,0,-1,-1,-1,-1,-1}'', ''{1,0,500000,2,-5,-7,1}'')'),
  -- removing a period from a state that holds none, or more than it holds
  ('SELECT kpi.annual_score_inv(''{0,0,2,1}'', 92)'),
  ('SELECT kpi.annual_score_inv(''{0,0,-1,-1}'', 92)'),
  ('SELECT kpi.annual_score_inv(''{1,900000,2,1}'', 92)'),
  -- no periods but a sum (1.00, on the rounding grid)
  ('SELECT kpi.annual_score_final(''{0,10000,2,1}'')'),
  ('SELECT kpi.annual_score_combine(''{0,0,2,1}'', ''{0,10000,2,1}'')')
) v(q), pg_temp.err(q) e;
\x off
-- valid direct calls still work: (92 + 88) - 92 = 88; removing the last
-- period leaves an empty state (final NULL); the leader's own values 90 / 40
SELECT kpi.annual_score_inv('{2,1800000,2,1}', 92) AS inv,
       kpi.annual_score_inv('{1,920000,2,1}', 92) AS inv_last,
       kpi.annual_score_final(kpi.annual_score_inv('{1,920000,2,1}', 92)) IS NULL AS final_empty,
       kpi.annual_score_final(kpi.annual_score_inv('{3,2720000,2,1}', 92)) AS final_inv,
       kpi.unit_result_final('{3,1,500000,2,900000,400000,1}') AS final_reduced,
       kpi.unit_result_final('{3,0,500000,2,900000,400000,1}') AS final_full,
       kpi.unit_result_final('{1,0,500000,2,-1,-1,1}') AS final_default_values;
SELECT kpi.unit_result_final('{1,0,500000,2,-5,-7,1}');
SELECT kpi.annual_score_inv('{0,0,2,1}', 92);
SELECT 1 AS server_still_answers;

--
-- The sum is bounded by the count and on the rounding grid; the cap is
-- recorded in the state and must be the same everywhere
--
\x on
SELECT q, e.*
FROM (VALUES
  -- one period summing to 100.01: impossible capped, possible uncapped
  ('SELECT kpi.annual_score_final(''{1,1000100,2,1}'')'),
  ('SELECT kpi.annual_score_final(''{1,1000100,2,0}'')'),
  ('SELECT kpi.annual_score_combine(''{1,1000100,2,1}'', ''{0,0,-1,-1}'')'),
  ('SELECT kpi.annual_score_combine(''{1,1000100,2,0}'', ''{0,0,-1,-1}'')'),
  -- at most 100 per period capped (the bound itself is fine) ...
  ('SELECT kpi.annual_score_final(''{2,2000000,2,1}'')'),
  ('SELECT kpi.annual_score_final(''{2,2000100,2,1}'')'),
  -- ... and at most 10^12 per period uncapped
  ('SELECT kpi.annual_score_final(''{1,10000000000000000,4,0}'')'),
  ('SELECT kpi.annual_score_final(''{1,10000000000000001,4,0}'')'),
  -- an unset cap bounds the sum like a capped one
  ('SELECT kpi.annual_score_final(''{1,1000100,2,-1}'')'),
  -- a sum off the rounding grid: 92.0001 cannot be a sum of scores rounded
  -- to 2 decimals, but can be one of scores rounded to 4
  ('SELECT kpi.annual_score_final(''{1,920001,2,1}'')'),
  ('SELECT kpi.annual_score_final(''{1,920001,4,1}'')'),
  ('SELECT kpi.annual_score_final(''{1,920010,1,1}'')'),
  ('SELECT kpi.annual_score_final(''{1,920000,0,1}'')'),
  ('SELECT kpi.annual_score_combine(''{1,920000,2,1}'', ''{1,880001,2,1}'')'),
  ('SELECT kpi.annual_score_trans(''{1,920001,2,1}'', 88)'),
  -- the cap out of range
  ('SELECT kpi.annual_score_final(''{1,920000,2,2}'')'),
  ('SELECT kpi.annual_score_final(''{1,920000,2,-2}'')'),
  ('SELECT kpi.unit_result_final(''{1,0,500000,2,1000000,500000,2}'')'),
  ('SELECT kpi.unit_result_final(''{1,0,500000,2,1000000,500000,-2}'')'),
  ('SELECT kpi.unit_result_trans(''{0,0,-1,-1,-1,-1,5}'', 70)'),
  -- capped and uncapped states or rows do not mix
  ('SELECT kpi.annual_score_combine(''{1,920000,2,1}'', ''{1,920000,2,0}'')'),
  ('SELECT kpi.annual_score_combine(''{1,920000,2,0}'', ''{1,920000,2,1}'')'),
  ('SELECT kpi.annual_score_trans(''{1,920000,2,0}'', 92)'),
  ('SELECT kpi.annual_score_trans(''{1,920000,2,1}'', 92, ''{"cap": false}'')'),
  ('SELECT kpi.annual_score_inv(''{2,1840000,2,0}'', 92)'),
  ('SELECT kpi.unit_result_combine(''{1,0,500000,2,1000000,500000,1}'', ''{1,0,500000,2,1000000,500000,0}'')'),
  ('SELECT kpi.unit_result_trans(''{1,0,500000,2,1000000,500000,0}'', 70)'),
  ('SELECT kpi.unit_result_trans(''{1,0,500000,2,1000000,500000,1}'', 70, ''{"cap": false}'')'),
  -- a transition checks the state before applying it: each of these would
  -- become a valid state if it did not
  ('SELECT kpi.annual_score_final(kpi.annual_score_trans(''{0,100000,2,-1}'', 90))'),
  ('SELECT kpi.annual_score_final(kpi.annual_score_trans(''{0,100000,2,1}'', 90))'),
  ('SELECT kpi.annual_score_final(kpi.annual_score_trans(''{1,1000100,2,1}'', 0))'),
  ('SELECT kpi.unit_result_final(kpi.unit_result_trans(''{-1,0,-1,-1,-1,-1,-1}'', 70))'),
  -- rows read with and without a cap in the same aggregate
  ('SELECT kpi.annual_score(s, r) FROM (VALUES (90, ''{"cap": false}''::jsonb), (91, ''{}'')) v(s, r)'),
  ('SELECT kpi.annual_score(s, r) FROM (VALUES (90, ''{}''::jsonb), (91, ''{"cap": false}'')) v(s, r)'),
  ('SELECT kpi.annual_score(s, r) OVER (ORDER BY s ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (VALUES (90, ''{"cap": false}''::jsonb), (91, ''{}'')) v(s, r)'),
  ('SELECT kpi.unit_result(s, r) FROM (VALUES (90, ''{"cap": false}''::jsonb), (91, ''{}'')) v(s, r)')
) v(q), pg_temp.err(q) e;
\x off
-- valid states on either side of the new checks give their results
SELECT kpi.annual_score_final('{1,1000100,2,0}') AS uncapped_100_01,
       kpi.annual_score_final('{2,2000000,2,1}') AS capped_100,
       kpi.annual_score_final('{1,920001,4,1}') AS scale_4,
       kpi.annual_score_final('{1,920000,0,1}') AS scale_0,
       kpi.annual_score_trans('{1,1000100,2,0}', 120, '{"cap": false}') AS trans_uncapped,
       kpi.annual_score_combine('{1,1000100,2,0}', '{1,1200000,2,0}') AS combine_uncapped,
       kpi.unit_result_trans('{1,0,500000,2,1000000,500000,0}', 120, '{"cap": false}') AS unit_uncapped;
-- the same cap on every row is fine, however it is spelled
SELECT kpi.annual_score(s, r) AS annual, kpi.unit_result(s, r) AS d
FROM (VALUES (90, '{"cap": true}'::jsonb), (91.5, '{}')) v(s, r);
SELECT kpi.annual_score(s, r) AS annual, kpi.unit_result(s, r) AS d
FROM (VALUES (120, '{"cap": false}'::jsonb), (40, '{"cap": false, "rounding_scale": 2}')) v(s, r);
-- the plain error, as a client sees it
SELECT kpi.annual_score(s, r) FROM (VALUES (90, '{"cap": false}'::jsonb), (91, '{}')) v(s, r);
SELECT kpi.annual_score_final('{1,920001,2,1}');
SELECT 1 AS server_still_answers;
