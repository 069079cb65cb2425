--
-- Exact apportionment (rules.md PAY3): the window functions kpi.apportion and
-- kpi.apportion_capped.  Every expected value is worked out by hand in the
-- comments: with S = total / step steps and W the sum of the weights, a row's
-- quota is S w / W steps; it gets the floor, and the S - sum(floors) leftover
-- steps go to the largest remainders, ties to the earlier row.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

CREATE TEMP TABLE ap (p int, k int, w numeric, total numeric, step numeric, cap numeric);

-- Three people, a fund of 10,000,000 đồng, step 1,000 (S = 10,000 steps).
-- Equal weights: quotas 3,333.33 steps each; floors 3,333 x 3 = 9,999; one
-- leftover step, the three remainders tie (1/3 each): the earliest row (k = 1)
-- takes it.  3,334,000 + 3,333,000 + 3,333,000 = 10,000,000.
INSERT INTO ap VALUES (1, 1, 1, 10000000, 1000, NULL), (1, 2, 1, 10000000, 1000, NULL),
	(1, 3, 1, 10000000, 1000, NULL);
-- Tier weights 1.5, 1.0, 0.5 (W = 3): quotas 5,000, 3,333.33, 1,666.67 steps;
-- floors 5,000 + 3,333 + 1,666 = 9,999; the leftover step goes to the largest
-- remainder, 2/3 (k = 3): 5,000,000, 3,333,000, 1,667,000.
INSERT INTO ap VALUES (2, 1, 1.5, 10000000, 1000, NULL), (2, 2, 1.0, 10000000, 1000, NULL),
	(2, 3, 0.5, 10000000, 1000, NULL);
-- A NULL weight takes no part (no share); the others split as if it were absent:
-- 7 đồng by 1 and 2 (step 1): quotas 2.33 and 4.67: floors 2 + 4, leftover to
-- the larger remainder (2/3, k = 3): 2 and 5.
INSERT INTO ap VALUES (3, 1, 1, 7, 1, NULL), (3, 2, NULL, 7, 1, NULL), (3, 3, 2, 7, 1, NULL);
-- Zero weights with a zero total: zero shares.  A zero weight beside others: 0.
INSERT INTO ap VALUES (4, 1, 0, 0, 1000, NULL), (4, 2, 0, 0, 1000, NULL),
	(5, 1, 0, 5, 1, NULL), (5, 2, 3, 5, 1, NULL);
-- Fine weights and a step with decimals: 1 split by 1/3-ish weights
-- 0.333333, 0.333333, 0.333334 (W = 1) in steps of 0.01 (S = 100): quotas
-- 33.3333, 33.3333, 33.3334: floors 33 x 3 = 99; the leftover step to the
-- largest remainder, 0.3334 (k = 3): 0.33, 0.33, 0.34.
INSERT INTO ap VALUES (6, 1, 0.333333, 1, 0.01, NULL), (6, 2, 0.333333, 1, 0.01, NULL),
	(6, 3, 0.333334, 1, 0.01, NULL);

SELECT p, k, w, kpi.apportion(w, total, step) OVER (PARTITION BY p ORDER BY k) AS share
FROM ap ORDER BY p, k;

-- The tie goes to the earlier row of the window's ORDER BY, not of the table:
-- in descending k the leftover step of partition 1 goes to k = 3.
SELECT k, kpi.apportion(w, total, step) OVER (ORDER BY k DESC) AS share
FROM ap WHERE p = 1 ORDER BY k;

-- The default step is 1 đồng: 100 by 1, 1, 1: 34, 33, 33.
SELECT k, kpi.apportion(w, 100) OVER (ORDER BY k) FROM ap WHERE p = 1 ORDER BY k;

-- NULL total or step on every row: NULL shares, as for a strict function.
SELECT kpi.apportion(w, NULL, 1) OVER () AS no_total, kpi.apportion(w, 10, NULL) OVER () AS no_step
FROM ap WHERE p = 1 LIMIT 1;

-- Caps.  10,000,000 by 1.5, 1.0, 0.5 with caps 4,000,000 on everyone: k = 1's
-- quota 5,000,000 reaches its cap, takes 4,000,000 and leaves 6,000,000
-- (6,000 steps) to weights 1.0 and 0.5: quotas 4,000 and 2,000 steps; k = 2's
-- 4,000 reaches its cap too (the order of cap per weight: 4,000/1.5 first,
-- then 4,000/1.0), so 2,000,000 is left to k = 3 alone: 2,000,000.
UPDATE ap SET cap = 4000000 WHERE p = 2;
-- A cap that is not a whole step is taken down to the step: cap 3,500,500 ->
-- 3,500 steps.  Quotas 5,000 / 3,333.33 / 1,666.67: k = 1 capped at 3,500,
-- leaves 6,500 steps to weights 1.0 and 0.5: 4,333.33 and 2,166.67 (no cap):
-- floors 4,333 + 2,166 = 6,499, leftover to 2/3 (k = 3): 4,333,000, 2,167,000.
INSERT INTO ap VALUES (7, 1, 1.5, 10000000, 1000, 3500500), (7, 2, 1.0, 10000000, 1000, NULL),
	(7, 3, 0.5, 10000000, 1000, NULL);
-- Everyone capped: the shares add up to less than the total (3 + 3 of 10).
INSERT INTO ap VALUES (8, 1, 1, 10, 1, 3), (8, 2, 1, 10, 1, 3);
SELECT p, k, w, cap, (kpi.apportion_capped(w, cap, total, step) OVER (PARTITION BY p ORDER BY k)).*
FROM ap WHERE p IN (2, 7, 8) ORDER BY p, k;

-- kpi.apportion_capped returns a kpi.apportioned
SELECT DISTINCT pg_typeof(kpi.apportion_capped(w, cap, total, step) OVER (PARTITION BY p)) FROM ap WHERE p = 2;

-- Errors: nothing is returned.
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(w, 10000500, 1000) OVER () FROM ap WHERE p = 1$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(x, 10, 1) OVER () FROM (VALUES (1::numeric), (-1)) v(x)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(x, 10, 1) OVER () FROM (VALUES (1::numeric), ('NaN')) v(x)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(x, 10, 1) OVER () FROM (VALUES (1::numeric), ('Infinity')) v(x)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(1, t, 1) OVER () FROM (VALUES (10::numeric), (20)) v(t)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(1, t, 1) OVER () FROM (VALUES (10::numeric), (NULL)) v(t)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(1, 10, s) OVER () FROM (VALUES (1::numeric), (2)) v(s)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(0, 10, 1) OVER () FROM generate_series(1, 3)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(NULL, 10, 1) OVER () FROM generate_series(1, 3)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(1, -10, 1) OVER ()$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(1, 10, 0) OVER ()$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(1, 10, -1) OVER ()$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(1, 'NaN', 1) OVER ()$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(1, 10, 'Infinity') OVER ()$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(1, 1e19, 1) OVER ()$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion(x, 10, 1) OVER () FROM (VALUES (1e-30), (1e20)) v(x)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion_capped(1, -1, 10, 1) OVER ()$$);
SELECT * FROM pg_temp.err($$SELECT kpi.apportion_capped(1, 'NaN', 10, 1) OVER ()$$);
