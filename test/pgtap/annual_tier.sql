-- test/pgtap/annual_tier.sql
-- Properties of kpi.annual_tier under the default table (rules.md CY3), over
-- every combination of four quarterly tiers (4^4 = 256 years): the year does
-- not depend on the order of the quarters, never gets worse when one quarter
-- gets better, and agrees with the letter's wording written out by hand.
BEGIN;
CREATE EXTENSION IF NOT EXISTS kpi_eval;
SELECT plan(4);

CREATE TEMP TABLE years AS
SELECT ARRAY[a, b, c, d] AS q, kpi.annual_tier(ARRAY[a, b, c, d]) AS year
FROM unnest(enum_range(NULL::kpi.tier)) a, unnest(enum_range(NULL::kpi.tier)) b,
     unnest(enum_range(NULL::kpi.tier)) c, unnest(enum_range(NULL::kpi.tier)) d;

SELECT is((SELECT count(*) FROM years WHERE year IS NOT NULL), 256::bigint,
	'every one of the 256 years of four rated quarters gets a tier');

SELECT is((SELECT count(*) FROM years y
           WHERE y.year <> kpi.annual_tier(ARRAY(SELECT t FROM unnest(y.q) t ORDER BY t))),
          0::bigint, 'the year does not depend on the order of its quarters');

-- raise one quarter by one tier: the year never falls
SELECT is((SELECT count(*) FROM years y, generate_series(1, 4) i
           WHERE y.q[i] < 'xuat_sac'
             AND kpi.annual_tier(y.q[:i - 1] || (enum_range(y.q[i], NULL))[2] || y.q[i + 1:]) < y.year),
          0::bigint, 'improving one quarter never lowers the year (monotone)');

-- the letter's wording, counted by hand
SELECT is((SELECT count(*) FROM years y,
                  LATERAL (SELECT count(*) FILTER (WHERE t = 'xuat_sac') AS xs,
                                  count(*) FILTER (WHERE t >= 'tot') AS good,
                                  count(*) FILTER (WHERE t = 'khong_hoan_thanh') AS kht
                           FROM unnest(y.q) t) n
           WHERE y.year IS DISTINCT FROM CASE WHEN n.xs >= 2 AND n.kht = 0 THEN 'xuat_sac'
                                              WHEN n.kht >= 2 THEN 'khong_hoan_thanh'
                                              WHEN n.good >= 2 THEN 'tot'
                                              ELSE 'hoan_thanh' END::kpi.tier),
          0::bigint, 'the default table says what letter 21169 says (2 excellent and none not complete; 2 not complete; 2 good or better; else complete)');

SELECT * FROM finish();
ROLLBACK;
