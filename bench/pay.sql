-- Bonus distribution benchmark (issue 14): data, the measured statements, checks.
--
--   psql -v officials=200000 -v units=10000 [-v step=gen|check] -f bench/pay.sql
--
-- step=gen generates, in the kpi_eval_reference tables of a throwaway
-- database: units (a root and `units` units under it, ids 2..units+1),
-- officials spread unevenly over them, 12 months of payroll each (grade
-- coefficients 2.34 to 8.0, one official in 50 paid by salary amount, one in
-- 40 with only 3 months), a year run with a tier after the quota per official
-- (about 15% xuat_sac, 65% tot, 15% hoan_thanh, 3% khong_hoan_thanh, 2% no
-- result), one ad-hoc bonus per 100 units, and a regulation (weights times
-- the salary coefficient, a cap of 10 base salaries that binds on some, 6
-- months of service, 5% ad-hoc reserve).  It also defines the per-official
-- inputs of the floor and of the bare apportionment (pay_input).
-- step=check checks the current pay run and prints "violations = N" last.
\set ON_ERROR_STOP 1
\if :{?officials} \else \set officials 200000 \endif
\if :{?units} \else \set units 10000 \endif
\if :{?step} \else \set step gen \endif
SET client_min_messages = warning;

SELECT :'step' = 'check' AS is_check \gset
\if :is_check
SELECT count(*) AS violations FROM (
	-- each unit: fund = paid by rating + ad-hoc + reserved + unpaid, and the
	-- payouts of the unit add up to what the fund row says was paid
	SELECT f.unit_id FROM kpi.current_pay_unit f
	WHERE f.kind = 'bonus' AND (f.fund <> f.paid + f.reserved + f.unpaid
	   OR f.rating_paid <> (SELECT coalesce(sum(p.share), 0) FROM kpi.payout p
	                        WHERE p.pay_run_id = f.pay_run_id AND p.unit_id = f.unit_id))
	UNION ALL
	-- no share above its cap, every share a whole number of steps
	SELECT p.official_id FROM kpi.payout p JOIN kpi.current_pay_run r USING (pay_run_id)
	WHERE r.kind = 'bonus' AND (p.share > p.cap OR p.share % 1000 <> 0)
	UNION ALL
	-- each payout is the sum of its ledger lines
	SELECT p.official_id FROM kpi.payout p JOIN kpi.current_pay_run r USING (pay_run_id)
	WHERE r.kind = 'bonus' AND p.amount <> (SELECT sum(l.amount) FROM kpi.payout_ledger l
	                                       WHERE l.pay_run_id = p.pay_run_id AND l.official_id = p.official_id)
) v \gset
SELECT count(*) AS payouts, count(*) FILTER (WHERE capped) AS capped, count(*) FILTER (WHERE remainder_step) AS leftover_steps,
       sum(p.amount) AS paid FROM kpi.payout p JOIN kpi.current_pay_run r USING (pay_run_id) WHERE r.kind = 'bonus';
\echo violations = :violations
\quit
\endif

SELECT setseed(0.7324);
INSERT INTO kpi.unit (unit_id, parent_id, name) VALUES (1, NULL, 'Tỉnh');
INSERT INTO kpi.unit (unit_id, parent_id, name)
SELECT u, 1, 'Đơn vị ' || u FROM generate_series(2, :units + 1) u;
-- uneven unit sizes: official i goes to unit 2 + floor(units * r^1.5)
INSERT INTO kpi.official (official_id, unit_id, full_name)
SELECT i, 2 + least(:units - 1, floor(:units * power(random(), 1.5))::int), 'Công chức ' || i
FROM generate_series(1, :officials) i;
-- every unit has at least one official
UPDATE kpi.official SET unit_id = official_id + 1 WHERE official_id <= :units;

INSERT INTO kpi.payroll (official_id, month, salary_amount, grade_coefficient)
SELECT o.official_id, m::date,
       CASE WHEN o.official_id % 50 = 0 THEN 6000000 + (o.official_id % 7) * 500000 END,
       CASE WHEN o.official_id % 50 <> 0 THEN round(2.34 + (o.official_id % 17) * 0.3335, 2) END
FROM kpi.official o, generate_series(date '2026-01-01', date '2026-12-01', interval '1 month') m
WHERE o.official_id % 40 <> 0 OR m >= date '2026-10-01';

INSERT INTO kpi.evaluation_run (period_start, period_end, period_kind, rule_set_id)
VALUES ('2026-01-01', '2026-12-31', 'year', 1);
SELECT kpi.ensure_year_partitions(2026);
INSERT INTO kpi.official_result (run_id, official_id, unit_id, task_group, is_leader, period_start, period_kind,
                                 score, tier, quota_tier, input_digest)
SELECT 1, o.official_id, o.unit_id, 'default', false, '2026-01-01', 'year', x.score, x.tier, x.tier, 'bench'
FROM kpi.official o
CROSS JOIN LATERAL (SELECT random() AS r) rr
CROSS JOIN LATERAL (SELECT CASE WHEN rr.r < 0.15 THEN 'xuat_sac' WHEN rr.r < 0.80 THEN 'tot'
                                WHEN rr.r < 0.95 THEN 'hoan_thanh' ELSE 'khong_hoan_thanh' END::kpi.tier AS tier,
                           round((40 + rr.r * 0 + random() * 60)::numeric, 2) AS score) x
WHERE random() >= 0.02;

INSERT INTO kpi.adhoc_bonus (official_id, year, amount, reason)
SELECT o.official_id, 2026, 2000000, 'Thành tích đột xuất'
FROM kpi.official o WHERE o.official_id <= :units AND o.official_id % 100 = 0;

INSERT INTO kpi.bonus_regulation (name, valid_from, regulation)
VALUES ('Quy chế (benchmark)', '2026-01-01',
        '{"multiply_by": "salary_coefficient", "cap_base_salaries": 10, "min_service_months": 6, "adhoc_reserve": 0.05}');
ANALYZE;

-- the per-official inputs of the floor and of the bare apportionment: the
-- year's payroll per official, their weight and cap, the unit's distributable
CREATE TABLE pay_input AS
SELECT w.unit_id, w.official_id, w.weight, w.cap, f.distributable,
       CASE WHEN sum(w.weight) OVER (PARTITION BY w.unit_id) > 0 THEN f.distributable ELSE 0 END AS total
FROM (SELECT o.unit_id, o.official_id,
             kpi.bonus_weight(r.quota_tier, r.score, p.coef, p.months, g.regulation) AS weight,
             kpi.bonus_cap(2340000, g.regulation) AS cap
      FROM (SELECT s.official_id, count(*)::int AS months, max(s.grade_coefficient) AS coef
            FROM kpi.payroll s GROUP BY s.official_id) p
      JOIN kpi.official o USING (official_id)
      LEFT JOIN kpi.official_result r ON r.official_id = o.official_id
      CROSS JOIN (SELECT kpi.bonus_rules(b.regulation) AS regulation FROM kpi.bonus_regulation b) g) w
JOIN kpi.bonus_unit_fund(2026, (SELECT kpi.bonus_rules(regulation) FROM kpi.bonus_regulation)) f USING (unit_id);
ANALYZE pay_input;
SELECT (SELECT count(*) FROM kpi.unit) AS units, (SELECT count(*) FROM kpi.official) AS officials,
       (SELECT count(*) FROM kpi.payroll) AS payroll_months, (SELECT count(*) FROM kpi.official_result) AS results;
