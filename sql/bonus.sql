--
-- The bonus regulation (rules.md PAY1, PAY2): kpi.bonus_rules and the rules
-- it drives (fund, reserve, cap, step, weight), with the capped split of
-- kpi.apportion_capped.  Expected values are worked by hand in the comments.
--
\set SHOW_CONTEXT never
\i sql/include/err.sql

-- every default, and a regulation that sets every key
SELECT kpi.bonus_rules();
SELECT kpi.bonus_rules('{"fund_share": 0.1, "tier_coefficients": {"xuat_sac": 2, "khong_hoan_thanh": 0.1},
	"multiply_by": "salary_coefficient", "cap_base_salaries": 2.5, "min_service_months": 6,
	"adhoc_reserve": 0.05, "step": 10000}');

-- the fund: 10% of a salary fund of 123,456,789 đồng is 12,345,678.9, down
-- to the step of 1,000: 12,345,000; with step 1: 12,345,678
SELECT kpi.bonus_fund(123456789), kpi.bonus_fund(123456789, '{"step": 1}'),
	kpi.bonus_fund(123456789, '{"fund_share": 0.125}');
-- the reserve: 5% of 12,345,000 = 617,250, down to 1,000: 617,000; none by default
SELECT kpi.bonus_reserve(12345000, '{"adhoc_reserve": 0.05}'), kpi.bonus_reserve(12345000);
-- the cap: 2.5 base salaries of 2,340,000 = 5,850,000; 1.3333 x 2,340,000 =
-- 3,119,922.2, down to 1,000: 3,119,000; no cap by default
SELECT kpi.bonus_cap(2340000, '{"cap_base_salaries": 2.5}'),
	kpi.bonus_cap(2340000, '{"cap_base_salaries": 1.3333}'), kpi.bonus_cap(2340000);
SELECT kpi.bonus_step(), kpi.bonus_step('{"step": 500}');

-- weights: the tier's coefficient; times the score (87.25 x 1.5 = 130.875) or
-- the salary coefficient (4.98 x 1.0 = 4.98); 0 below the minimum service
SELECT t, kpi.bonus_weight(t, 87.25, 4.98, 12) AS plain,
	kpi.bonus_weight(t, 87.25, 4.98, 12, '{"multiply_by": "score"}') AS by_score,
	kpi.bonus_weight(t, 87.25, 4.98, 12, '{"multiply_by": "salary_coefficient"}') AS by_salary,
	kpi.bonus_weight(t, 87.25, 4.98, 5, '{"min_service_months": 6}') AS short_service
FROM unnest(enum_range(NULL::kpi.tier)) t ORDER BY t DESC;
-- NULL: no tier, no score when multiplied by it, no months when a minimum applies
SELECT kpi.bonus_weight(NULL, 90, 1, 12), kpi.bonus_weight('tot', NULL, 1, 12, '{"multiply_by": "score"}'),
	kpi.bonus_weight('tot', NULL, NULL, NULL), kpi.bonus_weight('tot', 1, 1, NULL, '{"min_service_months": 1}'),
	kpi.bonus_weight('tot', 1, 1, 12, NULL);

-- The capped split of a fund of 20,000,000 among four people with base
-- salary 2,340,000 and a cap of 2 base salaries (4,680,000), weights from the
-- default coefficients: xuat_sac 1.5, xuat_sac 1.5, tot 1.0, hoan_thanh 0.5
-- (W = 4.5, 20,000,000 / 4.5 = 4,444,444.44 per unit of weight).  In the
-- order of cap per unit of weight: the xuat_sac (4,680,000 / 1.5 =
-- 3,120,000 <= 4,444,444.44) are capped; 10,640,000 is left to W = 1.5,
-- 7,093,333.33 per unit: the tot (4,680,000 <= 7,093,333.33) is capped;
-- 5,960,000 is left to W = 0.5, 11,920,000 per unit: the hoan_thanh
-- (4,680,000 / 0.5 = 9,360,000) is capped too.  All four get 4,680,000 and
-- 20,000,000 - 18,720,000 = 1,280,000 stays unpaid.
CREATE TEMP TABLE staff (k int, tier kpi.tier, base numeric);
INSERT INTO staff VALUES (1, 'xuat_sac', 2340000), (2, 'xuat_sac', 2340000), (3, 'tot', 2340000),
	(4, 'hoan_thanh', 2340000);
SELECT k, tier, (kpi.apportion_capped(kpi.bonus_weight(tier, NULL, NULL, 12), kpi.bonus_cap(base, r),
	20000000, kpi.bonus_step(r)) OVER (ORDER BY k)).*
FROM staff, (SELECT '{"cap_base_salaries": 2}'::jsonb AS r) reg ORDER BY k;
-- With a cap of 3 base salaries (7,020,000) on a fund of 20,000,000: nobody's
-- quota reaches it (the largest is 6,666,666.67), so the split is the plain
-- one: 6,666.67 / 6,666.67 / 4,444.44 / 2,222.22 steps: floors 6,666 + 6,666
-- + 4,444 + 2,222 = 19,998; the two leftover steps go to the remainders 2/3,
-- 2/3 (k = 1, 2); 4/9 and 2/9 get none: 6,667,000 6,667,000 4,444,000 2,222,000.
-- With a cap of 1.6 base salaries (3,744,000) on a fund of 12,000,000:
-- quotas 4,000,000 / 4,000,000 / 2,666,666.67 / 1,333,333.33: the two
-- xuat_sac take 3,744,000; 4,512,000 is left to 1.0 and 0.5: 3,008,000 and
-- 1,504,000, both below the cap: 3,744,000 3,744,000 3,008,000 1,504,000.
SELECT k, tier, (kpi.apportion_capped(kpi.bonus_weight(tier, NULL, NULL, 12), kpi.bonus_cap(base, r),
	f, kpi.bonus_step(r)) OVER (PARTITION BY f ORDER BY k)).*
FROM staff, (VALUES ('{"cap_base_salaries": 3}'::jsonb, 20000000), ('{"cap_base_salaries": 1.6}', 12000000)) reg(r, f)
ORDER BY f, k;

-- errors
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('[]')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"bonus": 1}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"fund_share": 1.5}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"fund_share": "10%"}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"adhoc_reserve": -0.1}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"cap_base_salaries": 0}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"min_service_months": 6.5}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"min_service_months": 13}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"step": 0}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"multiply_by": "salary"}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"tier_coefficients": [1, 2]}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"tier_coefficients": {"gioi": 2}}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_rules('{"tier_coefficients": {"tot": 101}}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_fund(-1)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_fund('NaN')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_reserve(-1)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_cap('-Infinity', '{"cap_base_salaries": 2}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_weight('tot', 1, 1, -1, '{"min_service_months": 1}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_weight('tot', 90.12345, 1, 12, '{"multiply_by": "score"}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.bonus_weight('tot', -1, 1, 12, '{"multiply_by": "score"}')$$);
