-- Properties of the exact apportionment (rules.md PAY3) on 4,000 random
-- partitions, checked against a brute-force largest-remainder computation in
-- plain SQL with exact numeric arithmetic, in serial and parallel plans.
BEGIN;
CREATE EXTENSION IF NOT EXISTS kpi_eval;
SELECT plan(14);

SELECT setseed(0.7324);

-- 4,000 partitions of 1 to 25 rows: a step (1, 1,000 or 0.01), a total of
-- 0 to 2,000,000 steps, weights with 0 to 4 decimals (some zero, some NULL),
-- and caps on about a third of the rows; the rows are stored shuffled.
CREATE TABLE part AS
SELECT p, (ARRAY[1, 1000, 0.01])[1 + floor(random() * 3)::int]::numeric AS step,
	floor(random() * 2000001)::numeric AS nsteps, 1 + floor(random() * 25)::int AS n
FROM generate_series(1, 4000) p;
CREATE TABLE ap AS
SELECT p, k, step, nsteps * step AS total,
	CASE WHEN r < 0.05 THEN NULL WHEN r < 0.12 THEN 0
	     ELSE round((random() * 1000)::numeric, floor(random() * 5)::int) END AS w,
	CASE WHEN random() < 0.33 THEN round((random() * nsteps * step / 4)::numeric, 2) END AS cap
FROM part, generate_series(1, n) k, LATERAL (SELECT random() + k * 0 + p * 0 AS r) x
ORDER BY random();
-- a partition of only zero or NULL weights gets a zero total (the error case is in sql/apportion.sql)
UPDATE ap SET total = 0 WHERE p IN (SELECT p FROM ap GROUP BY p HAVING coalesce(sum(w), 0) = 0);
ANALYZE ap;

SELECT ok((SELECT count(DISTINCT p) FROM ap) = 4000 AND (SELECT count(*) FROM ap) > 40000,
	'4,000 random partitions, over 40,000 rows');

CREATE TABLE serial AS
SELECT p, k, w, total, step, cap,
	kpi.apportion(w, total, step) OVER (PARTITION BY p ORDER BY k) AS plain,
	(kpi.apportion_capped(w, cap, total, step) OVER (PARTITION BY p ORDER BY k)).*
FROM ap;

-- Brute force: S = total / step steps, quota S w / W; floor, remainder
-- S w - floor W, and the leftover steps to the largest remainders, then k.
CREATE TABLE brute AS
WITH q AS (
	SELECT p, k, w, total, step, total / step AS s, sum(w) OVER (PARTITION BY p) AS wsum FROM ap
), f AS (
	SELECT *, CASE WHEN wsum > 0 THEN floor(s * w / wsum) ELSE 0 END AS fl,
		CASE WHEN wsum > 0 THEN s * w - floor(s * w / wsum) * wsum ELSE 0 END AS rem
	FROM q WHERE w IS NOT NULL
), r AS (
	SELECT *, row_number() OVER (PARTITION BY p ORDER BY rem DESC, k) AS rk,
		s - sum(fl) OVER (PARTITION BY p) AS leftover
	FROM f
)
SELECT p, k, (fl + CASE WHEN rk <= leftover THEN 1 ELSE 0 END) * step AS share FROM r;

SELECT is((SELECT count(*) FROM serial s JOIN brute b USING (p, k) WHERE s.plain = b.share)
		+ (SELECT count(*) FROM serial WHERE w IS NULL AND plain IS NULL),
	(SELECT count(*) FROM ap), 'kpi.apportion = the brute-force largest remainder on every row');

SELECT is((SELECT count(*) FROM (SELECT p, max(total) AS total, sum(plain) AS paid FROM serial GROUP BY p) x
		WHERE paid IS DISTINCT FROM total AND NOT (total = 0 AND paid IS NULL)),
	0::bigint, 'the shares of every partition add up to its total exactly');

SELECT is((SELECT count(*) FROM serial s
		JOIN (SELECT p, sum(w) AS wsum FROM ap GROUP BY p) t USING (p)
		WHERE t.wsum > 0 AND w IS NOT NULL
		  AND (abs(plain * t.wsum - total * w) >= step * t.wsum OR plain % step <> 0)),
	0::bigint, 'every share is a multiple of the step, within one step of its exact quota');

SELECT is((SELECT count(*) FROM serial a JOIN serial b USING (p)
		WHERE a.w > b.w AND a.plain < b.plain), 0::bigint,
	'monotone in weight: a larger weight never gets less');

SELECT is((SELECT count(*) FROM serial WHERE (w IS NULL) <> (plain IS NULL)), 0::bigint,
	'a NULL weight, and only a NULL weight, gets a NULL share');

-- the same partitions in a parallel plan: parallel scan, gather, sort
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL force_parallel_mode = on;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE l text; r text := '';
BEGIN
	FOR l IN EXECUTE 'EXPLAIN ' || q LOOP r := r || l || E'\n'; END LOOP;
	RETURN r;
END $$;
SELECT ok(pg_temp.plan_of($$SELECT p, k, kpi.apportion(w, total, step) OVER (PARTITION BY p ORDER BY k) FROM ap$$)
		~ 'Gather', 'the forced plan is parallel');
CREATE TABLE parallel AS
SELECT p, k, kpi.apportion(w, total, step) OVER (PARTITION BY p ORDER BY k) AS plain,
	(kpi.apportion_capped(w, cap, total, step) OVER (PARTITION BY p ORDER BY k)).*
FROM ap;
RESET force_parallel_mode;
RESET max_parallel_workers_per_gather;
SELECT is((SELECT count(*) FROM serial s JOIN parallel x USING (p, k)
		WHERE s.plain IS NOT DISTINCT FROM x.plain AND s.share IS NOT DISTINCT FROM x.share
		  AND s.capped IS NOT DISTINCT FROM x.capped AND s.remainder_step IS NOT DISTINCT FROM x.remainder_step),
	(SELECT count(*) FROM ap), 'the same result serial and parallel');

SELECT ok((SELECT count(*) FILTER (WHERE capped) > 1000 AND count(*) FILTER (WHERE remainder_step) > 10000
		AND count(DISTINCT p) FILTER (WHERE capped) > 500 FROM serial),
	'the random caps bind on over 1,000 rows of over 500 partitions, over 10,000 rows take a leftover step');

-- Caps (water-filling): no share above its cap (down to the step); the
-- shares add up to the total unless every row with a weight is capped; the
-- uncapped rows are exactly kpi.apportion of what the capped rows left; a
-- capped row's cap is at most its quota of that rest at the final rate.
SELECT is((SELECT count(*) FROM serial WHERE cap IS NOT NULL AND share > floor(cap / step) * step),
	0::bigint, 'no capped share exceeds its cap taken down to the step');
SELECT is((SELECT count(*) FROM (
		SELECT p, max(total) AS total, sum(share) AS paid,
			bool_or(w > 0 AND NOT capped) AS open FROM serial GROUP BY p) x
		WHERE open AND paid <> total), 0::bigint,
	'capped shares add up to the total whenever a row with a weight is not capped');
CREATE TABLE rest AS
SELECT p, k, w, s.share,
	kpi.apportion(w, total - capped_sum, step) OVER (PARTITION BY p ORDER BY k) AS again
FROM serial s
JOIN (SELECT p, coalesce(sum(share) FILTER (WHERE capped), 0) AS capped_sum FROM serial GROUP BY p) c USING (p)
WHERE w IS NOT NULL AND NOT capped
  AND p IN (SELECT p FROM serial GROUP BY p HAVING bool_or(w > 0 AND NOT capped));
SELECT is((SELECT count(*) FROM rest WHERE share <> again), 0::bigint,
	'the uncapped rows get kpi.apportion of what the capped rows leave');
SELECT is((SELECT count(*) FROM serial s
		JOIN (SELECT p, sum(share) FILTER (WHERE NOT capped) AS rest_paid,
			sum(w) FILTER (WHERE NOT capped) AS rest_w FROM serial GROUP BY p) r USING (p)
		WHERE s.capped AND r.rest_w > 0 AND s.share * r.rest_w > r.rest_paid * s.w),
	0::bigint, 'a capped row''s cap is at most its quota at the rate of the uncapped rows');
SELECT is((SELECT count(*) FROM serial WHERE cap IS NULL AND share IS DISTINCT FROM plain
		AND p NOT IN (SELECT p FROM serial WHERE capped)), 0::bigint,
	'where no cap binds, kpi.apportion_capped is kpi.apportion');

SELECT * FROM finish();
ROLLBACK;
