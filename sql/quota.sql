--
-- The excellent quota (rules.md CS15, worked case E6): kpi.quota_kept and the
-- window functions kpi.quota_tier / kpi.quota_tie over one unit and task
-- group.  Every expected value is worked out by hand in the comments:
--   nested (default) reading  E = min(N, floor(q (M + N) / (1 + q)))
--   pooled reading            E = min(N, floor(q (M + N)))
-- N = rows rated xuat_sac with a score, M = rows rated tot with a score.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

-- One row per civil servant: unit, task group, caller key, tier before the
-- quota, annual score, task-result points T, general points G, group rate.
CREATE TEMP TABLE qm (
	unit int, grp text, k int, tier kpi.tier, score numeric,
	tp numeric, gp numeric, rate numeric
);

-- The quota over every group of qm (PARTITION BY unit, task group), with the
-- group's rate column; queries below filter this view, never the window input.
CREATE TEMP VIEW qv AS
SELECT unit, grp, k, tier, score, tp, gp, rate,
	kpi.quota_tier(tier, score, tp, gp, rate) OVER w AS after,
	kpi.quota_tie(tier, score, tp, gp, rate) OVER w AS tie
FROM qm
WINDOW w AS (PARTITION BY unit, grp ORDER BY k);

------------------------------------------------------------------------------
-- E6 through kpi.quota_kept
------------------------------------------------------------------------------

-- N = 5, M = 6: floor(11 / 6) = 1; pooled floor(0.2 x 11) = floor(2.2) = 2
SELECT kpi.quota_kept(5, 6) AS nested,
	kpi.quota_kept(5, 6, NULL, '{"quota_reading": "pooled"}') AS pooled,
	kpi.quota_kept(5, 6, NULL, '{"quota_reading": "nested"}') AS nested_explicit;

-- the other (N, M) pairs of E6: (3, 2): floor(5/6) = 0; (1, 4): floor(5/6) = 0;
-- (1, 5): floor(6/6) = 1; (2, 10): floor(12/6) = 2; (10, 0): floor(10/6) = 1
SELECT n, m, kpi.quota_kept(n, m) AS kept, expected
FROM (VALUES (3, 2, 0), (1, 4, 0), (1, 5, 1), (2, 10, 2), (10, 0, 1)) AS v(n, m, expected)
ORDER BY n, m;

------------------------------------------------------------------------------
-- E6 through the window function, one group
------------------------------------------------------------------------------

-- 5 rated xuat_sac (95, 94, 93, 92, 91), 6 tot, 1 hoan_thanh.  E = 1: only the
-- 95 stays excellent, the other 4 become tot: 1 xuat_sac, 10 tot, 1 hoan_thanh.
INSERT INTO qm VALUES
	(1, 'e6', 1, 'xuat_sac', 92, 63, 29, NULL),
	(1, 'e6', 2, 'xuat_sac', 95, 66, 29, NULL),
	(1, 'e6', 3, 'xuat_sac', 91, 62, 29, NULL),
	(1, 'e6', 4, 'xuat_sac', 94, 65, 29, NULL),
	(1, 'e6', 5, 'xuat_sac', 93, 64, 29, NULL),
	(1, 'e6', 6, 'tot', 85, 57, 28, NULL),
	(1, 'e6', 7, 'tot', 80, 52, 28, NULL),
	(1, 'e6', 8, 'tot', 75, 48, 27, NULL),
	(1, 'e6', 9, 'tot', 72, 45, 27, NULL),
	(1, 'e6', 10, 'tot', 88, 60, 28, NULL),
	(1, 'e6', 11, 'tot', 70, 43, 27, NULL),
	(1, 'e6', 12, 'hoan_thanh', 60, 35, 25, NULL);

SELECT k, tier, score, after, tie FROM qv WHERE grp = 'e6' ORDER BY k;

SELECT after, count(*) FROM qv WHERE grp = 'e6' GROUP BY after ORDER BY after;

-- pooled reading on the same group: E = 2, the 95 and the 94 stay
SELECT k, score, after FROM (
	SELECT k, tier, score,
		kpi.quota_tier(tier, score, tp, gp, NULL, '{"quota_reading": "pooled"}') OVER w AS after
	FROM qm WHERE grp = 'e6'
	WINDOW w AS (PARTITION BY unit, grp ORDER BY k)) s
WHERE tier = 'xuat_sac' ORDER BY score DESC;

-- rates other than 0.2 on the same group (N = 5, M = 6):
-- q = 0 -> nobody kept; q = 1 -> min(5, floor(11 / 2)) = 5, everyone kept;
-- q = 0.5 -> floor(5.5 / 1.5) = floor(3.67) = 3 (95, 94, 93);
-- rules quota_rate 0 -> nobody kept; pooled q = 1 -> min(5, 11) = 5
SELECT k, score, q0, q1, q05, rules_q0, pooled_q1 FROM (
	SELECT k, tier, score,
		kpi.quota_tier(tier, score, tp, gp, 0) OVER w AS q0,
		kpi.quota_tier(tier, score, tp, gp, 1) OVER w AS q1,
		kpi.quota_tier(tier, score, tp, gp, 0.5) OVER w AS q05,
		kpi.quota_tier(tier, score, tp, gp, NULL, '{"quota_rate": 0}') OVER w AS rules_q0,
		kpi.quota_tier(tier, score, tp, gp, 1, '{"quota_reading": "pooled"}') OVER w AS pooled_q1
	FROM qm WHERE grp = 'e6'
	WINDOW w AS (PARTITION BY unit, grp ORDER BY k)) s
WHERE tier = 'xuat_sac' ORDER BY score DESC;

------------------------------------------------------------------------------
-- Boundaries through kpi.quota_kept
------------------------------------------------------------------------------

-- N = 0: nothing to keep, whatever M
SELECT kpi.quota_kept(0, 0) AS n0m0, kpi.quota_kept(0, 100) AS n0m100,
	kpi.quota_kept(0, 100, 1, '{"quota_reading": "pooled"}') AS n0m100_pooled_q1;
-- M = 0: E = min(N, floor(N / 6)): N = 1 -> 0, 5 -> 0, 6 -> 1, 12 -> 2
SELECT kpi.quota_kept(1, 0) AS n1, kpi.quota_kept(5, 0) AS n5,
	kpi.quota_kept(6, 0) AS n6, kpi.quota_kept(12, 0) AS n12;
-- q = 0.2 where q (M + N) / (1 + q) is an exact integer: N + M = 6 -> exactly 1,
-- N + M = 12 -> exactly 2, N + M = 18 -> exactly 3; one below: 5 -> 0,
-- 11 -> 1, 17 -> 2
SELECT n, m, n + m AS total, kpi.quota_kept(n, m) AS kept
FROM (VALUES (1, 4), (5, 0), (1, 5), (6, 0), (4, 7), (2, 10), (3, 9), (12, 0),
	(5, 12), (5, 13), (18, 0)) AS v(n, m)
ORDER BY total, n;
-- E = min(N, ...): the cap binds when N is small
SELECT kpi.quota_kept(1, 1000) AS n1_m1000, kpi.quota_kept(2, 1000) AS n2_m1000,
	kpi.quota_kept(2, 1000, NULL, '{"quota_reading": "pooled"}') AS n2_m1000_pooled;
-- q = 0: nobody is kept, in both readings and from the rules
SELECT kpi.quota_kept(5, 100, 0) AS nested_q0,
	kpi.quota_kept(5, 100, 0, '{"quota_reading": "pooled"}') AS pooled_q0,
	kpi.quota_kept(5, 100, NULL, '{"quota_rate": 0}') AS rules_q0;
-- q = 1: nested E = min(N, floor((M + N) / 2)): (5, 1) -> 3, (3, 3) -> 3,
-- (4, 1) -> 2, (1, 0) -> 0; pooled floor(M + N) >= N keeps everyone
SELECT kpi.quota_kept(5, 1, 1) AS n5m1, kpi.quota_kept(3, 3, 1) AS n3m3,
	kpi.quota_kept(4, 1, 1) AS n4m1, kpi.quota_kept(1, 0, 1) AS n1m0,
	kpi.quota_kept(5, 1, 1, '{"quota_reading": "pooled"}') AS pooled_n5m1,
	kpi.quota_kept(1, 0, 1, '{"quota_reading": "pooled"}') AS pooled_n1m0;
-- the approved exception q = 0.25: nested floor((M + N) / 5): 10 -> 2, 9 -> 1;
-- pooled floor((M + N) / 4): 10 -> 2, 12 -> 3
SELECT kpi.quota_kept(3, 7, 0.25) AS n3m7, kpi.quota_kept(3, 6, 0.25) AS n3m6,
	kpi.quota_kept(3, 7, 0.25, '{"quota_reading": "pooled"}') AS pooled_n3m7,
	kpi.quota_kept(3, 9, 0.25, '{"quota_reading": "pooled"}') AS pooled_n3m9;
-- the rate from the rules; an explicit rate wins over the rules' rate
SELECT kpi.quota_kept(3, 7, NULL, '{"quota_rate": 0.25}') AS rules_025,
	kpi.quota_kept(3, 7, 0.2, '{"quota_rate": 0.25}') AS arg_020;
-- exactness: 0.3333 is not 1/3.  N + M = 4: 1.3332 / 1.3333 < 1 -> 0;
-- N + M = 8: 2.6664 / 1.3333 < 2 -> 1; pooled 0.3333 x 3 = 0.9999 -> 0,
-- 0.3333 x 6 = 1.9998 -> 1; and 0.2 x 6 / 1.2 is exactly 1, never 0.999...
SELECT kpi.quota_kept(2, 2, 0.3333) AS nested_4, kpi.quota_kept(4, 4, 0.3333) AS nested_8,
	kpi.quota_kept(3, 0, 0.3333, '{"quota_reading": "pooled"}') AS pooled_3,
	kpi.quota_kept(3, 3, 0.3333, '{"quota_reading": "pooled"}') AS pooled_6,
	kpi.quota_kept(6, 0, 0.2) AS exact_1;
-- NULL counts or rules give NULL; a NULL rate means the rules' rate
SELECT kpi.quota_kept(NULL, 6) IS NULL AS null_n, kpi.quota_kept(5, NULL) IS NULL AS null_m,
	kpi.quota_kept(5, 6, 0.2, NULL) IS NULL AS null_rules, kpi.quota_kept(5, 6, NULL) AS null_rate;

------------------------------------------------------------------------------
-- Boundaries through the window function
------------------------------------------------------------------------------

-- n0: N = 0 (only tot and hoan_thanh): nothing changes, nobody is flagged
INSERT INTO qm VALUES
	(2, 'n0', 1, 'tot', 89, 60, 29, NULL),
	(2, 'n0', 2, 'tot', 88, 60, 28, NULL),
	(2, 'n0', 3, 'hoan_thanh', 65, 40, 25, NULL),
	(2, 'n0', 4, 'khong_hoan_thanh', 45, 20, 25, NULL);
-- m0: M = 0 with 5 candidates: floor(5/6) = 0, all demoted to tot
INSERT INTO qm VALUES
	(2, 'm0', 1, 'xuat_sac', 99, 69, 30, NULL),
	(2, 'm0', 2, 'xuat_sac', 98, 68, 30, NULL),
	(2, 'm0', 3, 'xuat_sac', 97, 67, 30, NULL),
	(2, 'm0', 4, 'xuat_sac', 96, 66, 30, NULL),
	(2, 'm0', 5, 'xuat_sac', 95, 65, 30, NULL);
-- m0b: M = 0 with 6 candidates: floor(6/6) = 1, the 99 (k = 2) stays
INSERT INTO qm VALUES
	(2, 'm0b', 1, 'xuat_sac', 94, 64, 30, NULL),
	(2, 'm0b', 2, 'xuat_sac', 99, 69, 30, NULL),
	(2, 'm0b', 3, 'xuat_sac', 98, 68, 30, NULL),
	(2, 'm0b', 4, 'xuat_sac', 97, 67, 30, NULL),
	(2, 'm0b', 5, 'xuat_sac', 96, 66, 30, NULL),
	(2, 'm0b', 6, 'xuat_sac', 95, 65, 30, NULL);
-- x12: N = 3, M = 9, N + M = 12: exactly 2 kept (93 and 92, not 91)
INSERT INTO qm SELECT 2, 'x12', i, 'tot', 70 + i, 40 + i, 25, NULL FROM generate_series(1, 9) i;
INSERT INTO qm VALUES
	(2, 'x12', 10, 'xuat_sac', 91, 63, 28, NULL),
	(2, 'x12', 11, 'xuat_sac', 93, 64, 29, NULL),
	(2, 'x12', 12, 'xuat_sac', 92, 63, 29, NULL);
-- x11: N = 3, M = 8, N + M = 11: 1 kept (the 93)
INSERT INTO qm SELECT 2, 'x11', i, 'tot', 70 + i, 40 + i, 25, NULL FROM generate_series(1, 8) i;
INSERT INTO qm VALUES
	(2, 'x11', 10, 'xuat_sac', 91, 63, 28, NULL),
	(2, 'x11', 11, 'xuat_sac', 93, 64, 29, NULL),
	(2, 'x11', 12, 'xuat_sac', 92, 63, 29, NULL);

SELECT grp, k, tier, score, after, tie FROM qv
WHERE unit = 2 AND (tier <> 'tot' OR grp = 'n0')
ORDER BY grp, k;

------------------------------------------------------------------------------
-- Ties and tie-breaks
------------------------------------------------------------------------------

-- tie: N = 4 (96, and 95, 95, 95 with the same T and G), M = 7.
-- q = 0.2: E = floor(11/6) = 1: the 96 is kept; last kept 96, first demoted
-- 95: no tie at the cut, so the three 95s (tied among themselves) are not
-- flagged.  q = 0.25 (window rate argument): E = floor(2.75 / 1.25) = 2: the
-- cut falls inside the 95s: all three flagged, the first by the window
-- ORDER BY is kept (k = 10 ascending, k = 12 descending).
-- The rows are inserted in an order that is not the key order.
INSERT INTO qm VALUES
	(3, 'tie', 12, 'xuat_sac', 95, 65, 29, NULL),
	(3, 'tie', 11, 'xuat_sac', 95, 65, 29, NULL),
	(3, 'tie', 14, 'xuat_sac', 96, 65, 29, NULL),
	(3, 'tie', 10, 'xuat_sac', 95, 65, 29, NULL);
INSERT INTO qm SELECT 3, 'tie', 20 + i, 'tot', 80, 55, 25, NULL FROM generate_series(1, 7) i;

SELECT k, score, after AS after_020, tie AS tie_020, after_025, tie_025, after_025_desc, tie_025_desc
FROM qv JOIN (
	SELECT unit, grp, k,
		kpi.quota_tier(tier, score, tp, gp, 0.25) OVER w AS after_025,
		kpi.quota_tie(tier, score, tp, gp, 0.25) OVER w AS tie_025,
		kpi.quota_tier(tier, score, tp, gp, 0.25) OVER wd AS after_025_desc,
		kpi.quota_tie(tier, score, tp, gp, 0.25) OVER wd AS tie_025_desc
	FROM qm
	WINDOW w AS (PARTITION BY unit, grp ORDER BY k),
		wd AS (PARTITION BY unit, grp ORDER BY k DESC)) s USING (unit, grp, k)
WHERE grp = 'tie' AND (tier = 'xuat_sac' OR k = 21)
ORDER BY k;

-- tie2: a tie among the kept, away from the cut: N = 3 (97, 97, 90), M = 9:
-- E = floor(12/6) = 2: both 97s kept, the 90 demoted, nobody flagged
INSERT INTO qm VALUES
	(3, 'tie2', 1, 'xuat_sac', 97, 67, 30, NULL),
	(3, 'tie2', 2, 'xuat_sac', 90, 60, 30, NULL),
	(3, 'tie2', 3, 'xuat_sac', 97, 67, 30, NULL);
INSERT INTO qm SELECT 3, 'tie2', 10 + i, 'tot', 75, 50, 25, NULL FROM generate_series(1, 9) i;
-- tie3: a tie of the score only, broken by T: N = 2 (93 T 64, 93 T 63), M = 4:
-- E = 1: the T = 64 is kept although it comes later by key; not flagged
INSERT INTO qm VALUES
	(3, 'tie3', 1, 'xuat_sac', 93, 63, 30, NULL),
	(3, 'tie3', 2, 'xuat_sac', 93, 64, 29, NULL);
INSERT INTO qm SELECT 3, 'tie3', 10 + i, 'tot', 75, 50, 25, NULL FROM generate_series(1, 4) i;
-- tie4: tied on score and NULL T and NULL G: N = 2, M = 4: E = 1, the first
-- by key is kept and both are flagged (missing keys are equal to each other)
INSERT INTO qm VALUES
	(3, 'tie4', 1, 'xuat_sac', 91, NULL, NULL, NULL),
	(3, 'tie4', 2, 'xuat_sac', 91, NULL, NULL, NULL);
INSERT INTO qm SELECT 3, 'tie4', 10 + i, 'tot', 75, 50, 25, NULL FROM generate_series(1, 4) i;
-- tie5: the same score written 91.5 and 91.50 is one score: tied and flagged
INSERT INTO qm VALUES
	(3, 'tie5', 1, 'xuat_sac', 91.50, 64, 27.5, NULL),
	(3, 'tie5', 2, 'xuat_sac', 91.5, 64.0, 27.50, NULL);
INSERT INTO qm SELECT 3, 'tie5', 10 + i, 'tot', 75, 50, 25, NULL FROM generate_series(1, 4) i;

SELECT grp, k, score, tp, gp, after, tie FROM qv
WHERE grp IN ('tie2', 'tie3', 'tie4', 'tie5') AND tier = 'xuat_sac'
ORDER BY grp, k;

-- tb: the full ranking key.  Six candidates, no tot, so with the pooled
-- reading E = min(6, floor(6 q)): q = 0.1667 -> 1, 0.3334 -> 2, 0.5 -> 3,
-- 0.6667 -> 4, 0.8334 -> 5.  Expected rank: k6 (score 92.01 beats any T),
-- k2 (92, T 63 beats a higher G), k3 (92, 62, G 29), k1 (92, 62, G 28),
-- k5 (92, 62, G NULL after any G), k4 (92, T NULL after any T, G 30 unused)
INSERT INTO qm VALUES
	(4, 'tb', 1, 'xuat_sac', 92, 62, 28, NULL),
	(4, 'tb', 2, 'xuat_sac', 92, 63, 27, NULL),
	(4, 'tb', 3, 'xuat_sac', 92, 62, 29, NULL),
	(4, 'tb', 4, 'xuat_sac', 92, NULL, 30, NULL),
	(4, 'tb', 5, 'xuat_sac', 92, 62, NULL, NULL),
	(4, 'tb', 6, 'xuat_sac', 92.01, 50, 20, NULL);
SELECT k, score, tp, gp, e1, e2, e3, e4, e5 FROM (
	SELECT k, score, tp, gp,
		kpi.quota_tier(tier, score, tp, gp, 0.1667, '{"quota_reading": "pooled"}') OVER w = 'xuat_sac' AS e1,
		kpi.quota_tier(tier, score, tp, gp, 0.3334, '{"quota_reading": "pooled"}') OVER w = 'xuat_sac' AS e2,
		kpi.quota_tier(tier, score, tp, gp, 0.5, '{"quota_reading": "pooled"}') OVER w = 'xuat_sac' AS e3,
		kpi.quota_tier(tier, score, tp, gp, 0.6667, '{"quota_reading": "pooled"}') OVER w = 'xuat_sac' AS e4,
		kpi.quota_tier(tier, score, tp, gp, 0.8334, '{"quota_reading": "pooled"}') OVER w = 'xuat_sac' AS e5
	FROM qm WHERE grp = 'tb'
	WINDOW w AS (PARTITION BY unit, grp ORDER BY k)) s
ORDER BY k;
-- the default nested reading: M = 0, floor(6/6) = 1 keeps k6 alone; the last
-- kept (92.01) and the first demoted (92) differ: nobody flagged
SELECT k, after, tie FROM qv WHERE grp = 'tb' ORDER BY k;

------------------------------------------------------------------------------
-- Several groups in one query, one with an approved rate of 0.25
------------------------------------------------------------------------------

-- (10, a): N = 2 (95, 91), M = 4: floor(6/6) = 1 -> the 95
-- (10, b): N = 2 (93, 92), M = 10: floor(12/6) = 2 -> both
-- (11, a): N = 1 (90), M = 2: floor(3/6) = 0 -> demoted
-- (11, b): rate 0.25: N = 3 (97, 94, 91), M = 7: floor(2.5 / 1.25) = 2 -> 97, 94
--          (with 0.2 it would be floor(10/6) = 1)
-- The same task group name in two units is two groups.
INSERT INTO qm VALUES
	(10, 'a', 1, 'xuat_sac', 91, 62, 29, NULL),
	(10, 'a', 2, 'xuat_sac', 95, 66, 29, NULL),
	(10, 'b', 1, 'xuat_sac', 92, 63, 29, NULL),
	(10, 'b', 2, 'xuat_sac', 93, 64, 29, NULL),
	(11, 'a', 1, 'xuat_sac', 90, 62, 28, NULL),
	(11, 'b', 1, 'xuat_sac', 91, 62, 29, 0.25),
	(11, 'b', 2, 'xuat_sac', 97, 67, 30, 0.25),
	(11, 'b', 3, 'xuat_sac', 94, 65, 29, 0.25);
INSERT INTO qm SELECT 10, 'a', 10 + i, 'tot', 80, 55, 25, NULL FROM generate_series(1, 4) i;
INSERT INTO qm SELECT 10, 'b', 10 + i, 'tot', 80, 55, 25, NULL FROM generate_series(1, 10) i;
INSERT INTO qm SELECT 11, 'a', 10 + i, 'tot', 80, 55, 25, NULL FROM generate_series(1, 2) i;
INSERT INTO qm SELECT 11, 'b', 10 + i, 'tot', 80, 55, 25, 0.25 FROM generate_series(1, 7) i;
INSERT INTO qm VALUES (11, 'b', 20, 'hoan_thanh', 55, 30, 25, 0.25);

SELECT unit, grp, k, score, rate, after, tie FROM qv
WHERE unit IN (10, 11) AND tier = 'xuat_sac'
ORDER BY unit, grp, k;

-- per group: candidates N, good M before; xuat_sac and tot after; the law's
-- check "excellent <= q x good" on the result
SELECT unit, grp,
	count(*) FILTER (WHERE tier = 'xuat_sac') AS n,
	count(*) FILTER (WHERE tier = 'tot') AS m,
	count(*) FILTER (WHERE after = 'xuat_sac') AS excellent,
	count(*) FILTER (WHERE after = 'tot') AS good,
	count(*) FILTER (WHERE after = 'xuat_sac') <=
		coalesce(max(rate), 0.2) * count(*) FILTER (WHERE after = 'tot') AS within_quota
FROM qv WHERE unit IN (10, 11)
GROUP BY unit, grp ORDER BY unit, grp;

------------------------------------------------------------------------------
-- Rows without a tier or a score, and disqualified members
------------------------------------------------------------------------------

-- nul: counted: N = 2 (95, 94), M = 3: floor(5/6) = 0 -> both demoted.
-- Ignored (result NULL, not counted): a NULL tier with 99, a xuat_sac with
-- no score, two tot with no score.  Counting the tot rows would give M = 5
-- and keep one; counting the xuat_sac without score would give N = 3, keep 1.
INSERT INTO qm VALUES
	(5, 'nul', 1, 'xuat_sac', 95, 65, 30, NULL),
	(5, 'nul', 2, 'xuat_sac', 94, 64, 30, NULL),
	(5, 'nul', 3, 'tot', 80, 55, 25, NULL),
	(5, 'nul', 4, 'tot', 81, 55, 25, NULL),
	(5, 'nul', 5, 'tot', 82, 55, 25, NULL),
	(5, 'nul', 6, NULL, 99, 69, 30, NULL),
	(5, 'nul', 7, 'xuat_sac', NULL, 69, 30, NULL),
	(5, 'nul', 8, 'tot', NULL, 55, 25, NULL),
	(5, 'nul', 9, 'tot', NULL, NULL, NULL, NULL),
	(5, 'nul', 10, NULL, NULL, NULL, NULL, NULL);
SELECT k, tier, score, after, tie FROM qv WHERE grp = 'nul' ORDER BY k;

-- dq: tiers from kpi.tier_of(score, disqualified).  A disqualified 97 is
-- khong_hoan_thanh: not a candidate, not good.  N = 2 (93, 91), M = 3:
-- floor(5/6) = 0.  Had the 97 been a candidate: N = 3, M = 3 -> the 97 kept;
-- had the disqualified 85 counted as good: M = 4 -> one kept.
CREATE TEMP TABLE dq (k int, score numeric, disqualified boolean);
INSERT INTO dq VALUES (1, 97, true), (2, 93, false), (3, 91, false),
	(4, 80, false), (5, 82, false), (6, 84, false), (7, 85, true), (8, 65, false);
SELECT k, score, disqualified, tier,
	kpi.quota_tier(tier, score, NULL, NULL) OVER w AS after,
	kpi.quota_tie(tier, score, NULL, NULL) OVER w AS tie
FROM (SELECT k, score, disqualified, kpi.tier_of(score, disqualified) AS tier FROM dq) s
WINDOW w AS (ORDER BY k)
ORDER BY k;

------------------------------------------------------------------------------
-- Errors
------------------------------------------------------------------------------

-- a rate above 1 or below 0, or with more than 4 decimals (window and count)
SELECT * FROM pg_temp.err($$SELECT kpi.quota_tier(tier, score, tp, gp, 1.01) OVER (PARTITION BY unit, grp ORDER BY k) FROM qm$$);
SELECT * FROM pg_temp.err($$SELECT kpi.quota_tier(tier, score, tp, gp, -0.2) OVER (PARTITION BY unit, grp ORDER BY k) FROM qm$$);
SELECT * FROM pg_temp.err($$SELECT kpi.quota_tie(tier, score, tp, gp, 0.12345) OVER (PARTITION BY unit, grp ORDER BY k) FROM qm$$);
SELECT * FROM pg_temp.err($$SELECT kpi.quota_kept(5, 6, 1.5)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.quota_kept(5, 6, -0.2)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.quota_kept(5, 6, 'NaN')$$);
-- a rate that differs within one partition (here within unit 10, group a)
SELECT * FROM pg_temp.err($$SELECT kpi.quota_tier(tier, score, tp, gp, CASE WHEN k = 1 THEN 0.25 ELSE 0.2 END) OVER (PARTITION BY unit, grp ORDER BY k) FROM qm WHERE unit = 10$$);
-- a window partitioned by unit only mixes groups 10/a and 10/b: still one
-- rate per partition here, so no error (the grouping is the caller's job)
SELECT * FROM pg_temp.err($$SELECT kpi.quota_tier(tier, score, tp, gp, 0.25) OVER (PARTITION BY unit ORDER BY k) FROM qm$$);
-- ... but a rate that differs only between groups is fine (the qv view above)
-- bad rules: unknown key (its detail, the list of known keys, is left out:
-- it grows with the rule set), bad reading, rate out of range in the rules
SELECT code, message FROM pg_temp.err($$SELECT kpi.quota_tier(tier, score, tp, gp, NULL, '{"quota_rat": 0.25}') OVER (PARTITION BY unit, grp ORDER BY k) FROM qm$$);
SELECT * FROM pg_temp.err($$SELECT kpi.quota_kept(5, 6, NULL, '{"quota_reading": "pool"}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.quota_kept(5, 6, NULL, '{"quota_rate": 1.2}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.quota_kept(5, 6, NULL, '[0.2]')$$);
-- negative counts
SELECT * FROM pg_temp.err($$SELECT kpi.quota_kept(-1, 6)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.quota_kept(5, -6)$$);
-- the same failures seen by psql, with the SQLSTATE
\set VERBOSITY terse
SELECT kpi.quota_tier(tier, score, tp, gp, 2) OVER (PARTITION BY unit, grp ORDER BY k) FROM qm;
\echo :LAST_ERROR_SQLSTATE
SELECT kpi.quota_tier(tier, score, tp, gp, -1) OVER (PARTITION BY unit, grp ORDER BY k) FROM qm;
\echo :LAST_ERROR_SQLSTATE
SELECT kpi.quota_tier(tier, score, tp, gp, k / 10.0) OVER (PARTITION BY unit, grp ORDER BY k) FROM qm;
\echo :LAST_ERROR_SQLSTATE
SELECT kpi.quota_kept(5, 6, NULL, '{"bogus": true}');
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default

------------------------------------------------------------------------------
-- A full worked example in one statement: monthly or quarterly period
-- scores -> annual score (kpi.annual_score, CS12) -> tier with
-- disqualification (kpi.tier_of, CS13-CS14) -> quota (kpi.quota_tier, CS15)
------------------------------------------------------------------------------

-- an:    the 12 monthly totals of E5 -> 90.625 -> 90.63, xuat_sac
-- binh:  92, 91, 90, 93 -> 91.50, xuat_sac
-- chi:   90, 90, 89.99, 90.02 -> 90.0025 -> 90.00, xuat_sac
-- dung:  93 x 4 -> 93.00, but a duty-related reprimand in the year (E7):
--        khong_hoan_thanh with 93.00 shown
-- em:    85, 80, 75 and a quarter not scored (NULL, E9) -> 80.00, tot
-- giang: 88, 89, 90, 91 -> 89.50, tot
-- hoa:   70, 72, 71, 69 -> 70.50, tot
-- khanh: 60, 65 -> 62.50, hoan_thanh
-- N = 3, M = 3: E = floor(6/6) = 1 -> binh (91.50) stays; an and chi -> tot.
-- After: 1 xuat_sac, 5 tot, 1 hoan_thanh, 1 khong_hoan_thanh; 1 <= 0.2 x 5.
CREATE TEMP TABLE period (person text, unit int, grp text, period int, score numeric, gp numeric);
INSERT INTO period
SELECT 'an', 1, 'cv', p, s, 28
FROM unnest('{92, 88, 95, 90.5, 87, 91, 93, 89, 90, 94, 86, 92}'::numeric[]) WITH ORDINALITY AS u(s, p);
INSERT INTO period VALUES
	('binh', 1, 'cv', 1, 92, 29), ('binh', 1, 'cv', 2, 91, 29),
	('binh', 1, 'cv', 3, 90, 28), ('binh', 1, 'cv', 4, 93, 29),
	('chi', 1, 'cv', 1, 90, 28), ('chi', 1, 'cv', 2, 90, 28),
	('chi', 1, 'cv', 3, 89.99, 28), ('chi', 1, 'cv', 4, 90.02, 28),
	('dung', 1, 'cv', 1, 93, 29), ('dung', 1, 'cv', 2, 93, 29),
	('dung', 1, 'cv', 3, 93, 29), ('dung', 1, 'cv', 4, 93, 29),
	('em', 1, 'cv', 1, 85, 27), ('em', 1, 'cv', 2, 80, 27),
	('em', 1, 'cv', 3, 75, 26), ('em', 1, 'cv', 4, NULL, NULL),
	('giang', 1, 'cv', 1, 88, 28), ('giang', 1, 'cv', 2, 89, 28),
	('giang', 1, 'cv', 3, 90, 28), ('giang', 1, 'cv', 4, 91, 28),
	('hoa', 1, 'cv', 1, 70, 24), ('hoa', 1, 'cv', 2, 72, 24),
	('hoa', 1, 'cv', 3, 71, 24), ('hoa', 1, 'cv', 4, 69, 24),
	('khanh', 1, 'cv', 1, 60, 20), ('khanh', 1, 'cv', 2, 65, 20);
CREATE TEMP TABLE decision (person text, decided date, kind text,
	form kpi.discipline_form, duty_related boolean);
INSERT INTO decision VALUES
	('dung', '2025-06-10', 'discipline', 'khien_trach', true),
	-- a decision of another year does not count against 2025
	('hoa', '2024-12-30', 'discipline', 'canh_cao', true),
	-- not duty-related: does not disqualify
	('binh', '2025-03-01', 'discipline', 'khien_trach', false);

WITH annual AS (
	SELECT person, unit, grp,
		kpi.annual_score(score) AS score,
		avg(gp) AS gp,
		avg(score - gp) AS tp
	FROM period GROUP BY person, unit, grp
), disq AS (
	SELECT a.person, coalesce(bool_or(kpi.disqualifies(d.kind, d.form, d.duty_related, false)), false) AS disqualified
	FROM annual a LEFT JOIN decision d
		ON d.person = a.person AND d.decided >= '2025-01-01' AND d.decided < '2026-01-01'
	GROUP BY a.person
), rated AS (
	SELECT a.*, q.disqualified, kpi.tier_of(a.score, q.disqualified) AS tier
	FROM annual a JOIN disq q USING (person)
)
SELECT person, score, disqualified, tier,
	kpi.quota_tier(tier, score, tp, gp) OVER w AS final,
	kpi.quota_tie(tier, score, tp, gp) OVER w AS tie
FROM rated
WINDOW w AS (PARTITION BY unit, grp ORDER BY person)
ORDER BY score DESC;
