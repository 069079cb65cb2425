-- test/sample/pay_reference.sql: pays the sample province from its kpi_eval
-- results (rules.md PAY1-PAY4, doc/pay.md), after test/demo_inside.sh has
-- evaluated the twelve months and the year with kpi.evaluate.
--
--  * the payroll: every official on it for the twelve months of 2026, by a
--    grade coefficient (2.34 to 6.78, spread over the officials) times the
--    base salary of Decree 73/2024/ND-CP (2,340,000 đồng, seeded);
--  * the province's regulation: the default tier coefficients (1.5 / 1 /
--    0.5 / 0) times the salary coefficient, a cap of 8 base salaries, 6 months
--    of service at least, 5% of
--    each unit's fund kept for ad-hoc bonuses; one ad-hoc bonus decision;
--  * the year's bonus (kpi.distribute_bonus) and the first quarter's
--    additional income from savings, 500,000,000 đồng for the whole province
--    (kpi.distribute_income), after evaluating the quarter;
--  * the per-unit summary (kpi.current_pay_unit), the spread per tier
--    (kpi.current_pay_tier) and one official's ledger.
-- the demo's output fits 100 columns: wide columns wrap
\pset format wrapped
\pset columns 100
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

INSERT INTO kpi.payroll (official_id, month, grade_coefficient)
SELECT o.official_id, m::date, 2.34 + (o.official_id % 13) * 0.37
FROM kpi.official o, generate_series(date '2026-01-01', date '2026-12-01', interval '1 month') m;

INSERT INTO kpi.bonus_regulation (name, valid_from, regulation)
VALUES ('Quy chế chi thưởng của tỉnh (mẫu)', '2026-01-01',
        '{"multiply_by": "salary_coefficient", "cap_base_salaries": 8, "min_service_months": 6, "adhoc_reserve": 0.05}');
INSERT INTO kpi.adhoc_bonus (official_id, year, amount, reason, decision_no, decided_on)
SELECT min(official_id), 2026, 1500000, 'Thành tích đột xuất trong phòng chống thiên tai', 'QĐ 99/QĐ-UBND', '2026-10-15'
FROM kpi.official;

CALL kpi.distribute_bonus(2026);
-- the quarter is evaluated after the year: its warning that the year predates
-- it does not apply (a year is scored from its months, not its quarters)
SET client_min_messages = error;
CALL kpi.evaluate('2026-01-01', 'quarter');
SET client_min_messages = warning;
CALL kpi.distribute_income('2026-01-01', 500000000);

\echo
\echo == the year 2026 bonus per unit (fund = paid + reserved + unpaid)
SELECT unit_id AS "unit", unit_name AS "name", salary_fund AS "salary fund", fund AS "fund 10%",
       adhoc_paid AS "ad-hoc", rating_paid AS "by rating", reserved, unpaid, officials_paid AS "paid",
       fund = paid + reserved + unpaid AS "adds up"
FROM kpi.current_pay_unit WHERE kind = 'bonus' ORDER BY unit_id;

\echo
\echo == the whole province: the bonus adds up to the đồng
SELECT sum(fund) AS fund, sum(paid) AS paid, sum(reserved) AS reserved, sum(unpaid) AS unpaid,
       sum(fund) = sum(paid) + sum(reserved) + sum(unpaid) AS "adds up",
       (SELECT count(*) FILTER (WHERE capped) FROM kpi.payout p JOIN kpi.current_pay_run r USING (pay_run_id)
        WHERE r.kind = 'bonus') AS capped
FROM kpi.current_pay_unit WHERE kind = 'bonus';

\echo
\echo == the spread of the bonus per tier (all units)
SELECT tier, sum(officials) AS officials, sum(paid) AS paid, min(min_share) AS smallest, max(max_share) AS largest,
       sum(capped) AS capped
FROM kpi.current_pay_tier WHERE kind = 'bonus' GROUP BY tier ORDER BY tier DESC NULLS LAST;

\echo
\echo == additional income of the first quarter (500,000,000 đồng) per unit
SELECT unit_id AS "unit", unit_name AS "name", paid, officials_paid AS "paid officials"
FROM kpi.current_pay_unit WHERE kind = 'income' ORDER BY unit_id;
SELECT sum(paid) AS "income paid", sum(paid) = 500000000 AS "adds up"
FROM kpi.current_pay_unit WHERE kind = 'income';

\echo
\echo == why the first official got their bonus (kpi.payout_ledger)
SELECT l.line_no, l.rule_id, l.amount, l.detail
FROM kpi.payout_ledger l JOIN kpi.current_pay_run r USING (pay_run_id)
WHERE r.kind = 'bonus' AND l.official_id = (SELECT min(official_id) FROM kpi.official)
ORDER BY l.line_no;
