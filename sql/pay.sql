--
-- Pay follows results (rules.md PAY1-PAY4): the payroll and base salary, a
-- bonus regulation, ad-hoc bonus decisions, kpi.distribute_bonus and
-- kpi.distribute_income with their payouts, ledger, supersession and views,
-- the what-if, and every error.  The results paid on are written directly
-- into kpi.evaluation_run / kpi.official_result (as kpi.evaluate would), so
-- that every tier and score is chosen by hand; the demo pays from real runs.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i sql/include/err.sql

INSERT INTO kpi.unit (unit_id, parent_id, name) VALUES (1, NULL, 'Sở Nội vụ'), (2, 1, 'Phòng Công chức');
INSERT INTO kpi.official (official_id, unit_id, full_name) VALUES
	(1, 2, 'Nguyễn Văn An'), (2, 2, 'Trần Thị Bình'), (3, 2, 'Lê Văn Cường'), (4, 2, 'Phạm Thị Dung'),
	(7, 2, 'Hoàng Văn Giang'), (5, 1, 'Vũ Thị Hoa'), (6, 1, 'Đỗ Văn Khoa'), (8, 1, 'Bùi Thị Lan');

-- the payroll of 2026: salary amounts, official 4 by grade coefficient 2.5 x
-- the base salary (2,340,000: 5,850,000 a month), official 7 from August only
INSERT INTO kpi.payroll (official_id, month, salary_amount, grade_coefficient)
SELECT o.id, m::date, o.amount, o.coef
FROM (VALUES (1, 10000000, NULL), (2, 8000000, NULL), (3, 6000000, NULL), (4, NULL, 2.5),
             (5, 7001000, NULL), (6, 7001000, NULL), (8, 7001000, NULL)) AS o(id, amount, coef),
     generate_series(date '2026-01-01', date '2026-12-01', interval '1 month') m;
INSERT INTO kpi.payroll (official_id, month, salary_amount)
SELECT 7, m::date, 4000000 FROM generate_series(date '2026-08-01', date '2026-12-01', interval '1 month') m;
SELECT * FROM kpi.base_salary;
SELECT kpi.base_salary_on('2026-12-31') AS base, kpi.base_salary_on('2024-06-30') AS before_first;
SELECT official_id, month, salary_amount, grade_coefficient, base_salary, salary
FROM kpi.payroll_salary WHERE month = '2026-08-01' ORDER BY official_id;

-- the regulation: weight = tier coefficient x annual score, a cap of 5 base
-- salaries (11,700,000), 6 months of service at least, 10% kept for ad-hoc bonuses
INSERT INTO kpi.bonus_regulation (name, valid_from, regulation) VALUES
	('Quy chế thưởng 2026', '2026-01-01',
	 '{"multiply_by": "score", "cap_base_salaries": 5, "min_service_months": 6, "adhoc_reserve": 0.1}');
INSERT INTO kpi.bonus_regulation (name, valid_from, regulation, is_draft) VALUES
	('Dự thảo không trần', '2026-01-01', '{"multiply_by": "score", "min_service_months": 6}', true);
SELECT regulation_id, regulation FROM kpi.bonus_regulation_for('2026-12-31');
SELECT regulation_id, regulation FROM kpi.bonus_regulation_for('2025-12-31');
-- an invalid regulation is refused
INSERT INTO kpi.bonus_regulation (name, valid_from, regulation) VALUES ('Sai', '2027-01-01', '{"cap": 2}');
-- an ad-hoc bonus for exceptional achievement
INSERT INTO kpi.adhoc_bonus (official_id, year, amount, reason, decision_no, decided_on)
VALUES (3, 2026, 2000000, 'Sáng kiến số hoá hồ sơ', 'QĐ 45/QĐ-SNV', '2026-11-20');

-- nothing is paid before the year is evaluated
SELECT * FROM pg_temp.err($$CALL kpi.distribute_bonus(2026)$$);

-- the year's results (tier after the quota) and the first quarter's, in the
-- year's partitions (kpi.evaluate makes them; rows written by hand need them)
SELECT kpi.ensure_year_partitions(2026);
INSERT INTO kpi.evaluation_run (period_start, period_end, period_kind, rule_set_id)
VALUES ('2026-01-01', '2026-12-31', 'year', 1), ('2026-01-01', '2026-03-31', 'quarter', 1);
INSERT INTO kpi.official_result (run_id, official_id, unit_id, task_group, is_leader, period_start, period_kind,
                                 score, tier, quota_tier, input_digest)
SELECT 1, id, u, 'default', false, '2026-01-01', 'year', s, t::kpi.tier, t::kpi.tier, 'hand'
FROM (VALUES (1, 2, 95.5, 'xuat_sac'), (2, 2, 92.25, 'xuat_sac'), (3, 2, 85, 'tot'), (4, 2, 60.5, 'hoan_thanh'),
             (7, 2, 80, 'tot'), (5, 1, 88.75, 'tot'), (6, 1, 88.75, 'tot')) AS r(id, u, s, t);
INSERT INTO kpi.official_result (run_id, official_id, unit_id, task_group, is_leader, period_start, period_kind,
                                 score, tier, input_digest)
SELECT 2, id, u, 'default', false, '2026-01-01', 'quarter', s, t::kpi.tier, 'hand'
FROM (VALUES (1, 2, 82, 'tot'), (2, 2, 91, 'xuat_sac'), (3, 2, 75.5, 'tot'), (4, 2, 55, 'hoan_thanh'),
             (7, 2, 80, 'tot'), (5, 1, 80, 'tot'), (6, 1, 40, 'khong_hoan_thanh')) AS r(id, u, s, t);

------------------------------------------------------------------------------
-- The year's bonus (PAY1-PAY3), worked by hand
------------------------------------------------------------------------------
-- Unit 2: salary fund 12 x (10,000,000 + 8,000,000 + 6,000,000 + 5,850,000)
-- + 5 x 4,000,000 = 378,200,000; fund 10% = 37,820,000; reserve 10% of it =
-- 3,782,000, above the ad-hoc bonus 2,000,000, so 3,782,000 is set aside
-- (1,782,000 stays reserved) and 34,038,000 is split by rating.
-- Weights (coefficient x score): 1: 1.5 x 95.5 = 143.25, 2: 1.5 x 92.25 =
-- 138.375, 3: 1 x 85 = 85, 4: 0.5 x 60.5 = 30.25, 7: 5 months < 6: 0;
-- W = 396.875.  Cap 5 x 2,340,000 = 11,700,000 (11,700 steps).
-- 34,038 steps / 396.875 = 85.765 steps per unit of weight.  Cap per unit of
-- weight: 1: 11,700 / 143.25 = 81.68 <= 85.765: capped; left 22,338 steps,
-- W 253.625, 88.07 per unit; 2: 11,700 / 138.375 = 84.55 <= 88.07: capped;
-- left 10,638 steps, W 115.25; 3: 11,700 / 85 = 137.6 > 92.30: not capped.
-- Quotas 10,638 x 85 / 115.25 = 7,845.81, 10,638 x 30.25 / 115.25 =
-- 2,792.19: floors 7,845 + 2,792 = 10,637, the leftover step to the larger
-- remainder (0.81, official 3): 7,846,000 and 2,792,000; 3 also gets the
-- ad-hoc 2,000,000: 9,846,000.  Paid by rating 34,038,000, unpaid 0.
-- Unit 1: salary fund 36 x 7,001,000 = 252,036,000; fund 25,203,600 down to
-- the step: 25,203,000; reserve 2,520,300 -> 2,520,000; 22,683,000 to split
-- between 5 and 6 (88.75 each; 8 has no year result: no share): 11,341.5
-- steps each, a tie at the last step: the lower official_id (5) takes it:
-- 11,342,000 and 11,341,000 (below the cap).
SELECT * FROM kpi.bonus_unit_fund(2026, (SELECT regulation FROM kpi.bonus_regulation_for('2026-12-31')))
ORDER BY unit_id;
-- kpi.bonus_what_if_funds carries each unit's money beside its officials' rows:
-- the same as kpi.bonus_unit_fund (0 rows differ), every unit there
SELECT count(*) AS differing FROM (
	(SELECT DISTINCT unit_id, unit_salary_fund, unit_fund, unit_reserve, unit_adhoc, unit_distributable
	 FROM kpi.bonus_what_if_funds(2026, (SELECT regulation FROM kpi.bonus_regulation_for('2026-12-31')))
	 EXCEPT ALL
	 SELECT * FROM kpi.bonus_unit_fund(2026, (SELECT regulation FROM kpi.bonus_regulation_for('2026-12-31'))))
	UNION ALL
	(SELECT * FROM kpi.bonus_unit_fund(2026, (SELECT regulation FROM kpi.bonus_regulation_for('2026-12-31')))
	 EXCEPT ALL
	 SELECT DISTINCT unit_id, unit_salary_fund, unit_fund, unit_reserve, unit_adhoc, unit_distributable
	 FROM kpi.bonus_what_if_funds(2026, (SELECT regulation FROM kpi.bonus_regulation_for('2026-12-31'))))) d;
CALL kpi.distribute_bonus(2026);
SELECT pay_run_id, kind, period_start, period_end, scope_unit_id, amount, regulation_id, evaluation_run_id, supersedes,
       regulation
FROM kpi.pay_run;
SELECT official_id, unit_id, tier, score, salary_coefficient, service_months, weight, cap, share, adhoc, amount,
       capped, remainder_step
FROM kpi.payout ORDER BY unit_id, official_id;
SELECT official_id, line_no, rule_id, amount, source_table, source_id, detail
FROM kpi.payout_ledger ORDER BY official_id, line_no;
-- every payout is the sum of its ledger lines
SELECT count(*) AS mismatched FROM kpi.payout p
WHERE p.amount <> (SELECT sum(l.amount) FROM kpi.payout_ledger l
                   WHERE l.pay_run_id = p.pay_run_id AND l.official_id = p.official_id);
SELECT * FROM kpi.pay_unit_fund ORDER BY unit_id;
SELECT kind, period_start, unit_id, unit_name, salary_fund, fund, adhoc_paid, rating_paid, paid, reserved, unpaid,
       officials_paid, fund = paid + reserved + unpaid AS adds_up
FROM kpi.current_pay_unit ORDER BY unit_id;
SELECT kind, unit_id, tier, officials, paid, min_share, max_share, mean_share, capped
FROM kpi.current_pay_tier ORDER BY unit_id, tier DESC;

-- a second run of the year is refused; with supersede it replaces the first
SELECT * FROM pg_temp.err($$CALL kpi.distribute_bonus(2026)$$);
CALL kpi.distribute_bonus(2026, supersede => true);
SELECT pay_run_id, supersedes FROM kpi.pay_run ORDER BY pay_run_id;
SELECT pay_run_id, kind FROM kpi.current_pay_run;
SELECT pay_run_id, count(*), sum(amount) FROM kpi.payout GROUP BY pay_run_id ORDER BY 1;

-- What-if under the draft without a cap or ad-hoc reserve, nothing written:
-- unit 2 sets aside only the ad-hoc 2,000,000, so 35,820,000 is split by
-- 143.25, 138.375, 85, 30.25 (W 396.875): 35,820 x w / W steps = 12,929.05,
-- 12,489.05, 7,671.69, 2,730.22: floors 12,929 + 12,489 + 7,671 + 2,730 =
-- 35,819; the leftover step to the largest remainder 0.69 (3).  Unit 1:
-- 25,203,000 by two equal weights: 12,601.5 steps each: 12,602,000 (5, the
-- tie to the lower official_id) and 12,601,000 (6).
SELECT official_id, unit_id, weight, cap, share, capped, remainder_step, adhoc, amount
FROM kpi.bonus_what_if(2026, (SELECT regulation FROM kpi.bonus_regulation WHERE is_draft))
ORDER BY unit_id, official_id;
SELECT count(*) AS pay_runs FROM kpi.pay_run;

------------------------------------------------------------------------------
-- A quarter's additional income (PAY4)
------------------------------------------------------------------------------
-- Q1 2026, 10,000,000 đồng for everyone on the payroll in the quarter (7 is
-- not: from August), by coefficient x quarter score: 1: 1 x 82 = 82, 2: 1.5
-- x 91 = 136.5, 3: 75.5, 4: 0.5 x 55 = 27.5, 5: 80, 6: 0 x 40 = 0, 8: no
-- result (no share); W = 401.5.  10,000 steps x w / W: 2,042.34, 3,399.75,
-- 1,880.45, 684.93, 1,992.53, 0: floors 2,042 + 3,399 + 1,880 + 684 + 1,992 =
-- 9,997; the three leftover steps to the largest remainders 0.93 (4), 0.75
-- (2) and 0.53 (5).
CALL kpi.distribute_income('2026-01-01', 10000000);
SELECT official_id, unit_id, tier, score, weight, share, amount, remainder_step
FROM kpi.payout WHERE pay_run_id = 3 ORDER BY official_id;
SELECT official_id, line_no, rule_id, amount, detail FROM kpi.payout_ledger
WHERE pay_run_id = 3 AND official_id IN (4, 6, 8) ORDER BY official_id, line_no;
-- the same quarter for unit 2's subtree only is another scope: 1,000,000 by
-- 82, 136.5, 75.5, 27.5 (W 321.5): 255.05, 424.57, 234.84, 85.54 steps:
-- floors 255 + 424 + 234 + 85 = 998; leftover to 0.84 (3) and 0.57 (2)
CALL kpi.distribute_income('2026-01-01', 1000000, 2);
SELECT official_id, share FROM kpi.payout WHERE pay_run_id = 4 ORDER BY official_id;
SELECT kind, period_start, unit_id, fund, paid, reserved, unpaid, officials_paid
FROM kpi.current_pay_unit WHERE kind = 'income' ORDER BY pay_run_id, unit_id;
SELECT * FROM kpi.income_what_if('2026-01-01', 9000, '{"step": 1000}', 2) ORDER BY official_id;

-- the helpers of the procedures: the current evaluation run of a period, and
-- the current pay run a new one would supersede
SELECT kpi.pay_evaluation_run('2026-01-01', 'year') AS year_run,
       kpi.pay_evaluation_run('2026-01-01', 'quarter') AS quarter_run,
       kpi.pay_run_start('bonus', '2026-01-01', NULL, true) AS superseded_bonus_run,
       kpi.pay_run_start('income', '2026-01-01', 2, true) AS superseded_income_run;

------------------------------------------------------------------------------
-- Errors: nothing is written
------------------------------------------------------------------------------
SELECT * FROM pg_temp.err($$CALL kpi.distribute_bonus(NULL)$$);
SELECT * FROM pg_temp.err($$CALL kpi.distribute_bonus(2026, NULL)$$);
SELECT * FROM pg_temp.err($$CALL kpi.distribute_bonus(2027)$$);
SELECT * FROM pg_temp.err($$CALL kpi.distribute_income('2026-01-01', 10000000)$$);
SELECT * FROM pg_temp.err($$CALL kpi.distribute_income('2026-02-01', 10000000)$$);
SELECT * FROM pg_temp.err($$CALL kpi.distribute_income('2026-04-01', 10000000)$$);
SELECT * FROM pg_temp.err($$CALL kpi.distribute_income(NULL, 10000000)$$);
SELECT * FROM pg_temp.err($$CALL kpi.distribute_income('2026-01-01', NULL)$$);
SELECT * FROM pg_temp.err($$CALL kpi.distribute_income('2026-01-01', 1000500, 1, true)$$);
SELECT * FROM pg_temp.err($$CALL kpi.distribute_income('2026-01-01', -1000, 1, true)$$);
SELECT * FROM pg_temp.err($$CALL kpi.distribute_income('2026-01-01', 1000, 99)$$);
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.income_what_if('2026-01-01', 1000, '{"tier_coefficients": {"tot": 0, "xuat_sac": 0, "hoan_thanh": 0}}')$$);
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.bonus_what_if(2026, '{"step": -1}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.pay_run_start('bonus', '2026-01-01', NULL, false)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.pay_write_ledger(2, 1000, '{}', 2026)$$);
-- ad-hoc bonuses beyond the fund
INSERT INTO kpi.adhoc_bonus (official_id, year, amount, reason) VALUES (5, 2026, 30000000, 'Quá quỹ');
SELECT * FROM pg_temp.err($$CALL kpi.distribute_bonus(2026, true)$$);
-- a grade coefficient in a month before any base salary
INSERT INTO kpi.payroll (official_id, month, grade_coefficient) VALUES (1, '2024-01-01', 4.4);
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.bonus_unit_fund(2024, '{}')$$);
-- payroll rows: one salary, a month's first day
INSERT INTO kpi.payroll (official_id, month, salary_amount, grade_coefficient) VALUES (1, '2025-01-01', 1, 1);
INSERT INTO kpi.payroll (official_id, month, salary_amount) VALUES (1, '2025-01-15', 1);
-- pay runs are append-only
SELECT * FROM pg_temp.err($$UPDATE kpi.payout SET amount = amount + 1$$);
SELECT * FROM pg_temp.err($$DELETE FROM kpi.payout_ledger$$);
SELECT * FROM pg_temp.err($$DELETE FROM kpi.pay_run$$);
SELECT * FROM pg_temp.err($$TRUNCATE kpi.pay_unit_fund CASCADE$$);
SELECT count(*) AS pay_runs, (SELECT count(*) FROM kpi.payout) AS payouts FROM kpi.pay_run;

-- row-level security: the reporting role of unit 2 sees its payouts only,
-- and may not distribute (it would pay from the rows it sees)
CREATE ROLE regress_pay_reader;
GRANT USAGE ON SCHEMA kpi TO regress_pay_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA kpi TO regress_pay_reader;
UPDATE kpi.unit SET reporting_role = 'regress_pay_reader' WHERE unit_id = 2;
SET ROLE regress_pay_reader;
SELECT pay_run_id, unit_id, count(*) FROM kpi.payout GROUP BY 1, 2 ORDER BY 1, 2;
SELECT unit_id, count(*) FROM kpi.payroll p JOIN kpi.official o USING (official_id) GROUP BY 1;
SELECT kind, unit_id, paid FROM kpi.current_pay_unit ORDER BY pay_run_id, unit_id;
SELECT * FROM pg_temp.err($$CALL kpi.distribute_bonus(2026, true)$$);
RESET ROLE;
REVOKE ALL ON ALL TABLES IN SCHEMA kpi FROM regress_pay_reader;
REVOKE USAGE ON SCHEMA kpi FROM regress_pay_reader;

-- the internal helpers, called directly: the year's payroll per official,
-- the error raised from inside a query, and each unit's agency
SELECT count(*) AS officials, sum(months) AS payroll_months, sum(missing) AS missing_base_salary
FROM kpi.bonus_payroll_year(2026);
SELECT * FROM pg_temp.err($$SELECT kpi.pay_refuse('22023', 'a refusal', 'A detail.', 'A hint.')$$);
SELECT unit_id, agency_id FROM kpi.unit_agency() ORDER BY unit_id;

SET kpi_eval.allow_drop_with_data = on;
DROP EXTENSION kpi_eval_reference;
DROP ROLE regress_pay_reader;
