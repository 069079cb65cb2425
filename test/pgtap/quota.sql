-- Properties of the excellent quota (rules.md CS15) on random groups, checked
-- against a brute-force search in plain SQL with exact numeric arithmetic:
--   nested (default): the largest E <= N with E <= q (M + N - E)
--   pooled:           the largest E <= N with E <= q (M + N)
-- and the kept members are the top E by score, T, G (NULL last), caller key.
BEGIN;
CREATE EXTENSION IF NOT EXISTS kpi_eval;
SELECT plan(23);

SELECT setseed(0.20250335);

------------------------------------------------------------------------------
-- kpi.quota_kept on an exhaustive grid of (N, M, q)
------------------------------------------------------------------------------

CREATE TEMP TABLE grid AS
SELECT n, m, q,
	(SELECT max(e) FROM generate_series(0, n) e WHERE e <= q * (m + n - e)) AS nested_bf,
	(SELECT max(e) FROM generate_series(0, n) e WHERE e <= q * (m + n)) AS pooled_bf
FROM generate_series(0, 40) n, generate_series(0, 40) m,
	unnest('{0, 0.0001, 0.1, 0.2, 0.25, 0.3333, 0.5, 0.9999, 1}'::numeric[]) q;

SELECT is((SELECT count(*) FROM grid WHERE kpi.quota_kept(n, m, q) <> nested_bf), 0::bigint,
	'quota_kept = brute force (nested) for N, M in 0..40 and 9 rates');
SELECT is((SELECT count(*) FROM grid
		WHERE kpi.quota_kept(n, m, q, '{"quota_reading": "pooled"}') <> pooled_bf), 0::bigint,
	'quota_kept = brute force (pooled) for N, M in 0..40 and 9 rates');
-- the closed form floor(q (M + N) / (1 + q)), in integers of 1/10000, is the brute force
SELECT is((SELECT count(*) FROM grid
		WHERE least(n, ((q * 10000)::bigint * (m + n)) / (10000 + (q * 10000)::bigint)) <> nested_bf),
	0::bigint, 'the nested closed form min(N, floor(q (M + N) / (1 + q))) = brute force');
SELECT is((SELECT count(*) FROM grid WHERE kpi.quota_kept(n, m) <> kpi.quota_kept(n, m, 0.2)
		OR kpi.quota_kept(n, m, NULL, '{"quota_rate": 0.25}') <> kpi.quota_kept(n, m, 0.25)),
	0::bigint, 'a NULL rate is the rules'' quota_rate (0.20 by default)');

------------------------------------------------------------------------------
-- Random groups through the window functions
------------------------------------------------------------------------------

-- 400 groups of 0 to 30 members (unit, task group), each with one rate:
-- 0.20, 0.25, 0.1, 0.3333 or NULL (the rules' 0.20)
CREATE TEMP TABLE grp AS
SELECT gid, gid / 8 AS unit, 'g' || (gid % 8) AS task_group,
	floor(random() * 31)::int AS size,
	('{0.20, 0.25, 0.1, 0.3333, NULL}'::numeric[])[1 + floor(random() * 5)::int] AS rate
FROM generate_series(1, 400) gid;

-- Scores, T and G from small sets so that ties are frequent: 6 scores
-- 88.00 .. 90.01, T in {60, 61, NULL}, G in {28, 29, NULL}; in every fourth
-- group only 90.00 or 90.01, T 60 or NULL, G 28 (ties everywhere); about 3%
-- of rows without a tier and 3% without a score.  Rows are stored in a random
-- order that is not the order of the caller key.
CREATE TEMP TABLE mem AS
SELECT * FROM (
	SELECT g.gid, g.unit, g.task_group, g.rate, i AS ckey,
		CASE WHEN random() < 0.03 THEN NULL
			ELSE ('{xuat_sac, tot, hoan_thanh, khong_hoan_thanh}'::kpi.tier[])[1 + floor(random() * 4)::int] END AS tier,
		CASE WHEN random() < 0.03 THEN NULL
			WHEN g.gid % 4 = 0 THEN 90 + floor(random() * 2)::numeric / 100
			ELSE round(88 + floor(random() * 3)::numeric + floor(random() * 2)::numeric / 100, 2) END AS score,
		CASE WHEN g.gid % 4 = 0 THEN ('{60, NULL}'::numeric[])[1 + floor(random() * 2)::int]
			ELSE ('{60, 61, NULL}'::numeric[])[1 + floor(random() * 3)::int] END AS tp,
		CASE WHEN g.gid % 4 = 0 THEN 28
			ELSE ('{28, 29, NULL}'::numeric[])[1 + floor(random() * 3)::int] END AS gp
	FROM grp g, generate_series(1, g.size) i) s
ORDER BY random();

-- N, M and the brute-force E per group (groups with no member included)
CREATE TEMP TABLE ref AS
SELECT g.gid, coalesce(g.rate, 0.20) AS q, c.n, c.m,
	(SELECT max(e) FROM generate_series(0, c.n) e WHERE e <= coalesce(g.rate, 0.20) * (c.m + c.n - e)) AS nested_bf,
	(SELECT max(e) FROM generate_series(0, c.n) e WHERE e <= coalesce(g.rate, 0.20) * (c.m + c.n)) AS pooled_bf
FROM grp g, LATERAL (
	SELECT count(*) FILTER (WHERE tier = 'xuat_sac' AND score IS NOT NULL) AS n,
		count(*) FILTER (WHERE tier = 'tot' AND score IS NOT NULL) AS m
	FROM mem WHERE mem.gid = g.gid) c;

-- the expected result of every row: candidates ranked by score, T, G (NULL
-- after any value), then the caller key
CREATE TEMP TABLE expect AS
WITH ranked AS (
	SELECT mem.*, r.nested_bf, r.pooled_bf, r.n,
		(tier = 'xuat_sac' AND score IS NOT NULL) AS cand,
		CASE WHEN tier = 'xuat_sac' AND score IS NOT NULL THEN
			row_number() OVER (PARTITION BY mem.gid, (tier = 'xuat_sac' AND score IS NOT NULL)
				ORDER BY score DESC, tp DESC NULLS LAST, gp DESC NULLS LAST, ckey) END AS rk
	FROM mem JOIN ref r USING (gid)
)
SELECT gid, ckey, tier, score, tp, gp, cand, rk, nested_bf, pooled_bf, n,
	CASE WHEN tier IS NULL OR score IS NULL THEN NULL
		WHEN cand AND rk > nested_bf THEN 'tot'::kpi.tier ELSE tier END AS nested_tier,
	CASE WHEN tier IS NULL OR score IS NULL THEN NULL
		WHEN cand AND rk > pooled_bf THEN 'tot'::kpi.tier ELSE tier END AS pooled_tier
FROM ranked;

-- tie flags: the last kept (rank E) and the first demoted (rank E + 1) share
-- score, T and G; every candidate with those keys is flagged
CREATE TEMP TABLE expect_tie AS
SELECT e.gid, e.ckey,
	CASE WHEN e.tier IS NULL OR e.score IS NULL THEN NULL
		ELSE coalesce(e.cand AND lk.score IS NOT NULL AND fd.score IS NOT NULL
			AND (lk.score, lk.tp, lk.gp) IS NOT DISTINCT FROM (fd.score, fd.tp, fd.gp)
			AND (e.score, e.tp, e.gp) IS NOT DISTINCT FROM (lk.score, lk.tp, lk.gp), false) END AS tie
FROM expect e
LEFT JOIN expect lk ON lk.gid = e.gid AND lk.cand AND lk.rk = e.nested_bf
LEFT JOIN expect fd ON fd.gid = e.gid AND fd.cand AND fd.rk = e.nested_bf + 1;

-- the extension's answers: per-group rate column, default rules; pooled; and
-- the same rows in another random order
CREATE TEMP TABLE got AS
SELECT gid, ckey, tier,
	kpi.quota_tier(tier, score, tp, gp, rate) OVER w AS nested_tier,
	kpi.quota_tie(tier, score, tp, gp, rate) OVER w AS tie,
	kpi.quota_tier(tier, score, tp, gp, rate, '{"quota_reading": "pooled"}') OVER w AS pooled_tier
FROM mem
WINDOW w AS (PARTITION BY unit, task_group ORDER BY ckey);

CREATE TEMP TABLE got_shuffled AS
SELECT gid, ckey, tier,
	kpi.quota_tier(tier, score, tp, gp, rate) OVER w AS nested_tier,
	kpi.quota_tie(tier, score, tp, gp, rate) OVER w AS tie,
	kpi.quota_tier(tier, score, tp, gp, rate, '{"quota_reading": "pooled"}') OVER w AS pooled_tier
FROM (SELECT * FROM mem ORDER BY random() OFFSET 0) s
WINDOW w AS (PARTITION BY unit, task_group ORDER BY ckey);

-- the random data exercise what they should
SELECT cmp_ok((SELECT count(*) FROM mem), '>', 4000::bigint, 'more than 4000 random members');
SELECT ok((SELECT count(*) FILTER (WHERE size = 0) > 0 AND count(*) FILTER (WHERE size = 30) > 0 FROM grp),
	'groups of 0 and of 30 members occur');
SELECT cmp_ok((SELECT count(*) FROM ref WHERE nested_bf > 0 AND nested_bf < n), '>', 50::bigint,
	'many groups have a cut inside their candidates');
SELECT cmp_ok((SELECT count(DISTINCT gid) FROM expect_tie WHERE tie), '>', 25::bigint,
	'many groups have a tie across the cut');
SELECT cmp_ok((SELECT count(*) FROM mem WHERE tier IS NULL OR score IS NULL), '>', 50::bigint,
	'rows without a tier or a score occur');

SELECT is((SELECT count(*) FROM got), (SELECT count(*) FROM mem), 'one result per member');
SELECT is((SELECT count(*) FROM ref r
		WHERE (SELECT count(*) FROM got g WHERE g.gid = r.gid AND g.nested_tier = 'xuat_sac') <> r.nested_bf),
	0::bigint, 'per group, the number kept excellent = brute force (nested)');
SELECT is((SELECT count(*) FROM ref r WHERE kpi.quota_kept(r.n, r.m, r.q) <> r.nested_bf), 0::bigint,
	'per group, quota_kept(N, M, q) = brute force (nested)');
SELECT is((SELECT count(*) FROM got g JOIN expect e USING (gid, ckey)
		WHERE g.nested_tier IS DISTINCT FROM e.nested_tier), 0::bigint,
	'nested: the kept are exactly the top E by score, T, G, caller key; the rest unchanged; NULL rows NULL');
SELECT is((SELECT count(*) FROM got g JOIN expect e USING (gid, ckey)
		WHERE g.pooled_tier IS DISTINCT FROM e.pooled_tier), 0::bigint,
	'pooled: the kept are exactly the top E (E <= q (M + N)) by the same order');
SELECT is((SELECT count(*) FROM got g JOIN expect_tie e USING (gid, ckey)
		WHERE g.tie IS DISTINCT FROM e.tie), 0::bigint,
	'quota_tie flags exactly the candidates tied with the last kept and first demoted');
SELECT is((SELECT count(*) FROM got g JOIN expect e USING (gid, ckey)
		WHERE g.tie AND NOT e.cand), 0::bigint, 'only candidates are ever flagged');

-- the law's own statement: excellent after the quota <= q x good after the
-- quota, in every group; and the quota is as large as it may be (one more
-- excellent would break it) unless every candidate was kept
SELECT is((SELECT count(*) FROM (
		SELECT r.gid, r.q, r.n,
			count(*) FILTER (WHERE g.nested_tier = 'xuat_sac') AS x,
			count(*) FILTER (WHERE g.nested_tier = 'tot') AS t
		FROM ref r LEFT JOIN got g USING (gid) GROUP BY r.gid, r.q, r.n) s
		WHERE NOT (x <= q * t)), 0::bigint,
	'excellent after the quota never exceeds q x good after the quota (nested)');
SELECT is((SELECT count(*) FROM (
		SELECT r.gid, r.q, r.n,
			count(*) FILTER (WHERE g.nested_tier = 'xuat_sac') AS x,
			count(*) FILTER (WHERE g.nested_tier = 'tot') AS t
		FROM ref r LEFT JOIN got g USING (gid) GROUP BY r.gid, r.q, r.n) s
		WHERE x < n AND x + 1 <= q * (t - 1)), 0::bigint,
	'the nested quota is maximal: one more excellent would exceed q x good');
SELECT is((SELECT count(*) FROM ref r
		WHERE (SELECT count(*) FROM got g WHERE g.gid = r.gid AND g.nested_tier = 'tot')
			<> r.m + r.n - r.nested_bf), 0::bigint,
	'good after the quota = M + N - E: the good count grows as excellent shrinks');
SELECT is((SELECT count(*) FROM ref WHERE pooled_bf < nested_bf), 0::bigint,
	'the pooled reading never keeps fewer than the nested one');

-- order independence: the same rows in another physical order, same window
-- ORDER BY, give the same results
SELECT is((SELECT count(*) FROM (
		(SELECT * FROM got EXCEPT ALL SELECT * FROM got_shuffled)
		UNION ALL
		(SELECT * FROM got_shuffled EXCEPT ALL SELECT * FROM got)) d), 0::bigint,
	'shuffling the input rows does not change quota_tier or quota_tie');

-- a rate from the rules for every group equals that rate as the argument
SELECT is((SELECT count(*) FROM (
		SELECT kpi.quota_tier(tier, score, tp, gp, NULL, '{"quota_rate": 0.25}') OVER w AS a,
			kpi.quota_tier(tier, score, tp, gp, 0.25) OVER w AS b
		FROM mem WINDOW w AS (PARTITION BY unit, task_group ORDER BY ckey)) s
		WHERE a IS DISTINCT FROM b), 0::bigint,
	'rules quota_rate 0.25 = rate argument 0.25 on every row');

-- a demotion only ever turns xuat_sac into tot
SELECT is((SELECT count(*) FROM got WHERE tier IS DISTINCT FROM nested_tier
		AND NOT (tier = 'xuat_sac' AND nested_tier = 'tot')
		AND nested_tier IS NOT NULL), 0::bigint,
	'the quota changes nothing but xuat_sac -> tot');

SELECT * FROM finish();
ROLLBACK;
