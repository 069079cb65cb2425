--@ schema

------------------------------------------------------------------------------
-- Pay follows results (rules.md PAY1-PAY4, issue 14)
--
-- The payroll, the base salary, bonus regulations and ad-hoc bonus decisions
-- are inputs; kpi.distribute_bonus and kpi.distribute_income write
-- append-only pay runs with their payouts and a ledger of why each person
-- got what.  Every amount is computed by the library (kpi.bonus_fund,
-- kpi.bonus_weight, kpi.bonus_cap, kpi.apportion_capped): this layer only
-- gathers the rows.
------------------------------------------------------------------------------

CREATE TABLE kpi.base_salary (
	effective_from date PRIMARY KEY,
	amount numeric NOT NULL CHECK (amount > 0),
	source text,
	seeded boolean NOT NULL DEFAULT false
);
-- Decree 73/2024/ND-CP Art. 3: 2,340,000 đồng a month from 1 July 2024
INSERT INTO kpi.base_salary (effective_from, amount, source, seeded)
VALUES ('2024-07-01', 2340000, 'Decree 73/2024/ND-CP Art. 3', true);

COMMENT ON TABLE kpi.base_salary IS
'the base salary (mức lương cơ sở) by effective date: a grade coefficient times the amount in force in a month is that month''s salary; the seeded row is Decree 73/2024/ND-CP (2,340,000 đồng from 1 July 2024)';

CREATE TABLE kpi.payroll (
	official_id bigint NOT NULL REFERENCES kpi.official,
	month date NOT NULL CHECK (month = date_trunc('month', month)::date),
	salary_amount numeric CHECK (salary_amount >= 0),
	grade_coefficient numeric CHECK (grade_coefficient > 0),
	PRIMARY KEY (official_id, month),
	CONSTRAINT payroll_one_salary CHECK ((salary_amount IS NULL) <> (grade_coefficient IS NULL))
);
CREATE INDEX ON kpi.payroll (month);

COMMENT ON TABLE kpi.payroll IS
'who is on the payroll in a month and their salary by position, title, grade and step without allowances (PAY1): either salary_amount, or grade_coefficient times the base salary in force that month';

CREATE TABLE kpi.bonus_regulation (
	regulation_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE,
	valid_from date NOT NULL,
	regulation jsonb NOT NULL DEFAULT '{}' CHECK (kpi.bonus_rules(regulation) IS NOT NULL),
	is_draft boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX bonus_regulation_one_per_day ON kpi.bonus_regulation (valid_from) WHERE NOT is_draft;

COMMENT ON TABLE kpi.bonus_regulation IS
'the agency''s bonus regulations (quy chế thưởng, PAY2) as kpi.bonus_rules values: the non-draft one with the latest valid_from on or before a period''s last day applies (none: the defaults); drafts are for kpi.bonus_what_if';

CREATE TABLE kpi.adhoc_bonus (
	bonus_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	official_id bigint NOT NULL REFERENCES kpi.official,
	year integer NOT NULL,
	amount numeric NOT NULL CHECK (amount > 0),
	reason text NOT NULL,
	decision_no text,
	decided_on date
);
CREATE INDEX ON kpi.adhoc_bonus (year);

COMMENT ON TABLE kpi.adhoc_bonus IS
'ad-hoc bonus decisions for exceptional achievements, paid out of the year''s bonus fund of the official''s unit before the split by rating (PAY1)';

CREATE TABLE kpi.pay_run (
	pay_run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('bonus', 'income')),
	period_start date NOT NULL,
	period_end date NOT NULL,
	scope_unit_id bigint REFERENCES kpi.unit,
	amount numeric,
	regulation jsonb NOT NULL,
	regulation_id integer REFERENCES kpi.bonus_regulation,
	evaluation_run_id bigint REFERENCES kpi.evaluation_run,
	created_at timestamptz NOT NULL DEFAULT now(),
	created_by name NOT NULL DEFAULT current_user,
	supersedes bigint UNIQUE REFERENCES kpi.pay_run,
	CHECK (period_end >= period_start),
	CHECK ((kind = 'income') = (amount IS NOT NULL))
);
-- one first run per period and scope; every later one names the run it supersedes
CREATE UNIQUE INDEX pay_run_first_per_period ON kpi.pay_run (kind, period_start, coalesce(scope_unit_id, 0))
	WHERE supersedes IS NULL;

COMMENT ON TABLE kpi.pay_run IS
'one row per kpi.distribute_bonus (a year) or kpi.distribute_income (a quarter, an amount, a unit subtree or everyone) that succeeded: the complete regulation applied, the evaluation run whose results it used; a run superseded by a later one (supersedes) is no longer current; append-only';

CREATE TABLE kpi.pay_unit_fund (
	pay_run_id bigint NOT NULL REFERENCES kpi.pay_run,
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	salary_fund numeric,
	fund numeric NOT NULL,
	reserve numeric NOT NULL,
	adhoc numeric NOT NULL,
	distributable numeric NOT NULL,
	paid numeric NOT NULL,
	unpaid numeric NOT NULL,
	PRIMARY KEY (pay_run_id, unit_id)
);

COMMENT ON TABLE kpi.pay_unit_fund IS
'a pay run''s money per unit: for a bonus run the salary fund, the fund (10%), the ad-hoc reserve, the ad-hoc bonuses decided, what was split by rating (distributable), paid by rating and unpaid (left by caps, or nobody to pay); for an income run the unit''s part of the amount; append-only';

CREATE TABLE kpi.payout (
	pay_run_id bigint NOT NULL REFERENCES kpi.pay_run,
	official_id bigint NOT NULL,	-- copied from kpi.official by the pay run (no
	unit_id bigint NOT NULL,		-- foreign keys: 400,000 checks a run at full size)
	tier kpi.tier,
	score numeric,
	salary_coefficient numeric,
	service_months integer,
	weight numeric,
	cap numeric,
	share numeric NOT NULL,
	adhoc numeric NOT NULL DEFAULT 0,
	amount numeric NOT NULL,
	capped boolean NOT NULL DEFAULT false,
	remainder_step boolean NOT NULL DEFAULT false,
	PRIMARY KEY (pay_run_id, official_id)
);
CREATE INDEX ON kpi.payout (official_id);
CREATE INDEX ON kpi.payout (unit_id);

COMMENT ON TABLE kpi.payout IS
'what an official is paid by a pay run: the share by rating (tier after the quota, weight, cap) plus ad-hoc bonuses; amount = share + adhoc; append-only';

CREATE TABLE kpi.payout_ledger (
	pay_run_id bigint NOT NULL,
	official_id bigint NOT NULL,
	unit_id bigint NOT NULL,	-- the payout's unit_id, copied for row-level security
	line_no integer NOT NULL,
	rule_id text NOT NULL,
	amount numeric NOT NULL,
	source_table text,
	source_id bigint,
	detail jsonb NOT NULL DEFAULT '{}',
	-- no foreign key to kpi.payout: only the pay runs write both, in one
	-- transaction (a check per line: 250,000 a run at full size)
	PRIMARY KEY (pay_run_id, official_id, line_no)
);

COMMENT ON TABLE kpi.payout_ledger IS
'why an official got their payout, one row per cause adding up to it exactly: PAY2 (the quota share down to the step, or the cap, with the tier, coefficient and weight), PAY3 (a leftover step), PAY1 (an ad-hoc bonus decision); append-only';

SELECT pg_catalog.pg_extension_config_dump('kpi.base_salary', 'WHERE NOT seeded');
SELECT pg_catalog.pg_extension_config_dump('kpi.payroll', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.bonus_regulation', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.bonus_regulation_regulation_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.adhoc_bonus', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.adhoc_bonus_bonus_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.pay_run', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.pay_run_pay_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.pay_unit_fund', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.payout', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.payout_ledger', '');
--@ functions

CREATE OR REPLACE FUNCTION kpi.base_salary_on(day date)
RETURNS numeric
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT b.amount FROM kpi.base_salary b WHERE b.effective_from <= day
	ORDER BY b.effective_from DESC LIMIT 1
$$;

COMMENT ON FUNCTION kpi.base_salary_on(date) IS
'the base salary in force on day (kpi.base_salary); NULL before the first';

-- The base salary of each month on the payroll, joined on the month (a hash
-- join, not a range condition per payroll row).
CREATE OR REPLACE VIEW kpi.payroll_salary WITH (security_invoker = true) AS
WITH bm AS (
	SELECT m.m AS month,
	       (SELECT s.amount FROM kpi.base_salary s WHERE s.effective_from <= m.m
	        ORDER BY s.effective_from DESC LIMIT 1) AS amount
	FROM (SELECT DISTINCT p.month AS m FROM kpi.payroll p) m
)
SELECT p.official_id, p.month, p.salary_amount, p.grade_coefficient, bm.amount AS base_salary,
       coalesce(p.salary_amount, p.grade_coefficient * bm.amount) AS salary
FROM kpi.payroll p
LEFT JOIN bm ON bm.month = p.month AND p.grade_coefficient IS NOT NULL;

COMMENT ON VIEW kpi.payroll_salary IS
'each payroll month with its salary: salary_amount, or grade_coefficient times the base salary in force that month (NULL if none is)';

CREATE OR REPLACE FUNCTION kpi.bonus_regulation_for(day date, OUT regulation_id integer, OUT regulation jsonb)
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT r.regulation_id, kpi.bonus_rules(r.regulation) FROM kpi.bonus_regulation r
	WHERE NOT r.is_draft AND r.valid_from <= day
	UNION ALL SELECT NULL, kpi.bonus_rules('{}')
	ORDER BY 1 NULLS LAST LIMIT 1
$$;

COMMENT ON FUNCTION kpi.bonus_regulation_for(date) IS
'the bonus regulation in force on day: the non-draft kpi.bonus_regulation with the latest valid_from on or before it, completed by kpi.bonus_rules; none: (NULL, the defaults)';

-- Raises an error from inside a query (the checks of the pay functions run
-- in the query that computes the amounts, so the payroll is read once).
CREATE OR REPLACE FUNCTION kpi.pay_refuse(sqlstate text, message text, detail text, hint text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = pay_refuse.sqlstate, MESSAGE = pay_refuse.message,
		DETAIL = pay_refuse.detail, HINT = pay_refuse.hint;
END
$$;

COMMENT ON FUNCTION kpi.pay_refuse(text, text, text, text) IS
'used by the pay functions: raises the error given (a check made inside the query that reads the payroll)';

-- The year's payroll per official, in one pass: months on the payroll, the
-- salary fund, months without a base salary, the coefficient of the latest
-- month (the largest (month, coefficient) pair: an aggregate with no sort).
CREATE OR REPLACE FUNCTION kpi.bonus_payroll_year(year integer)
RETURNS TABLE (official_id bigint, unit_id bigint, months integer, salary numeric, missing bigint,
               salary_coefficient numeric)
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT x.official_id, o.unit_id, x.months, x.salary, x.missing, x.coef
	FROM (SELECT s.official_id, count(*)::integer AS months, sum(s.salary) AS salary,
	             count(*) FILTER (WHERE s.salary IS NULL) AS missing,
	             (max(ARRAY[(s.month - date '2000-01-01')::numeric, s.grade_coefficient]))[2] AS coef
	      -- kpi.payroll_salary for the year's 12 months only (its base salary per
	      -- month from the months of the whole payroll would read it twice)
	      FROM (SELECT p.official_id, p.month, p.grade_coefficient,
	                   coalesce(p.salary_amount, p.grade_coefficient * bm.amount) AS salary
	            FROM kpi.payroll p
	            -- OFFSET 0: the base salary once per month, not per payroll row
	            -- (a series of 12 integers: the planner knows its size and hashes it)
	            LEFT JOIN (SELECT m.month,
	                              (SELECT b.amount FROM kpi.base_salary b WHERE b.effective_from <= m.month
	                               ORDER BY b.effective_from DESC LIMIT 1) AS amount
	                       FROM (SELECT make_date(bonus_payroll_year.year, i, 1) AS month
	                             FROM generate_series(1, 12) i) m
	                       OFFSET 0) bm
	              ON bm.month = p.month AND p.grade_coefficient IS NOT NULL
	            WHERE p.month >= make_date(bonus_payroll_year.year, 1, 1)
	              AND p.month < make_date(bonus_payroll_year.year + 1, 1, 1)) s
	      GROUP BY s.official_id) x
	JOIN kpi.official o ON o.official_id = x.official_id;
END
$$;

COMMENT ON FUNCTION kpi.bonus_payroll_year(integer) IS
'the year''s payroll per official (kpi.payroll_salary): their unit, months on the payroll, salary fund, months with a grade coefficient but no base salary in force, and the grade coefficient of the latest month (NULL if paid by amount)';

-- The money of each unit for a year (PAY1) from the payroll per official:
-- the salary fund, the fund, the reserve for ad-hoc bonuses, the ad-hoc
-- bonuses decided and what is left to split by rating.  Refuses a month
-- without a base salary and ad-hoc bonuses beyond the fund.
CREATE OR REPLACE FUNCTION kpi.bonus_unit_fund(year integer, regulation jsonb)
RETURNS TABLE (unit_id bigint, salary_fund numeric, fund numeric, reserve numeric, adhoc numeric,
               distributable numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH per AS (SELECT * FROM kpi.bonus_payroll_year(bonus_unit_fund.year)),
	-- the units' money (the same in kpi.bonus_unit_fund and kpi.bonus_what_if)
	ah AS (
		SELECT o.unit_id, sum(a.amount) AS adhoc
		FROM kpi.adhoc_bonus a JOIN kpi.official o ON o.official_id = a.official_id
		WHERE a.year = bonus_unit_fund.year
		GROUP BY o.unit_id
	), u AS (
		SELECT per.unit_id, sum(per.salary) AS salary_fund, sum(per.missing) AS missing
		FROM per GROUP BY per.unit_id
	), f0 AS (
		SELECT coalesce(u.unit_id, ah.unit_id) AS unit_id, coalesce(u.missing, 0) AS missing,
		       coalesce(u.salary_fund, 0) AS salary_fund, coalesce(ah.adhoc, 0) AS adhoc,
		       kpi.bonus_fund(coalesce(u.salary_fund, 0), bonus_unit_fund.regulation) AS fund,
		       kpi.bonus_step(bonus_unit_fund.regulation) AS step
		FROM u FULL JOIN ah ON ah.unit_id = u.unit_id
	), f1 AS (
		-- ad-hoc bonuses come first, out of the reserve or beyond it, in whole steps
		SELECT f0.*, kpi.bonus_reserve(f0.fund, bonus_unit_fund.regulation) AS reserve,
		       f0.fund - greatest(kpi.bonus_reserve(f0.fund, bonus_unit_fund.regulation),
		                          ceil(f0.adhoc / f0.step) * f0.step) AS distributable
		FROM f0
		WHERE f0.missing = 0
		   OR kpi.pay_refuse('55000', 'no base salary is in force for a payroll month with a grade coefficient',
		          (SELECT format('The first such month is official %s, %s.', x.official_id, to_char(x.month, 'YYYY-MM'))
		           FROM kpi.payroll_salary x
		           WHERE x.month >= make_date(bonus_unit_fund.year, 1, 1) AND x.month < make_date(bonus_unit_fund.year + 1, 1, 1)
		             AND x.salary IS NULL
		           ORDER BY x.official_id, x.month LIMIT 1),
		          'Add the base salary in force to kpi.base_salary.')
	), f AS (
		SELECT f1.* FROM f1
		WHERE f1.distributable >= 0
		   OR kpi.pay_refuse('22023', 'the ad-hoc bonuses of a unit exceed its bonus fund',
		          format('Unit %s: ad-hoc bonuses %s, fund %s.', f1.unit_id, f1.adhoc, f1.fund),
		          'Ad-hoc bonuses come out of the year''s bonus fund (Decree 73/2024/ND-CP): correct kpi.adhoc_bonus.')
	)
	SELECT f.unit_id, f.salary_fund, f.fund, f.reserve, f.adhoc, f.distributable FROM f ORDER BY f.unit_id;
END
$$;

COMMENT ON FUNCTION kpi.bonus_unit_fund(integer, jsonb) IS
'per unit and year (PAY1): the salary fund of the payroll (kpi.payroll_salary), the bonus fund (kpi.bonus_fund), the ad-hoc reserve (kpi.bonus_reserve), the ad-hoc bonuses decided and what is left to split by rating: the fund less the larger of the reserve and the ad-hoc bonuses (taken up to the step); an error (22023) when the ad-hoc bonuses exceed the fund, and (55000) for a payroll month whose grade coefficient has no base salary in force';
CREATE OR REPLACE FUNCTION kpi.bonus_what_if_funds(year integer, regulation jsonb)
RETURNS TABLE (unit_id bigint, official_id bigint, tier kpi.tier, score numeric, salary_coefficient numeric,
               service_months integer, weight numeric, cap numeric, share numeric, capped boolean,
               remainder_step boolean, adhoc numeric, amount numeric,
               unit_salary_fund numeric, unit_fund numeric, unit_reserve numeric, unit_adhoc numeric,
               unit_distributable numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH per AS MATERIALIZED (SELECT * FROM kpi.bonus_payroll_year(bonus_what_if_funds.year)),
	-- the units' money (the same in kpi.bonus_unit_fund and kpi.bonus_what_if)
	ah AS (
		SELECT o.unit_id, sum(a.amount) AS adhoc
		FROM kpi.adhoc_bonus a JOIN kpi.official o ON o.official_id = a.official_id
		WHERE a.year = bonus_what_if_funds.year
		GROUP BY o.unit_id
	), u AS (
		SELECT per.unit_id, sum(per.salary) AS salary_fund, sum(per.missing) AS missing
		FROM per GROUP BY per.unit_id
	), f0 AS (
		SELECT coalesce(u.unit_id, ah.unit_id) AS unit_id, coalesce(u.missing, 0) AS missing,
		       coalesce(u.salary_fund, 0) AS salary_fund, coalesce(ah.adhoc, 0) AS adhoc,
		       kpi.bonus_fund(coalesce(u.salary_fund, 0), bonus_what_if_funds.regulation) AS fund,
		       kpi.bonus_step(bonus_what_if_funds.regulation) AS step
		FROM u FULL JOIN ah ON ah.unit_id = u.unit_id
	), f1 AS (
		-- ad-hoc bonuses come first, out of the reserve or beyond it, in whole steps
		SELECT f0.*, kpi.bonus_reserve(f0.fund, bonus_what_if_funds.regulation) AS reserve,
		       f0.fund - greatest(kpi.bonus_reserve(f0.fund, bonus_what_if_funds.regulation),
		                          ceil(f0.adhoc / f0.step) * f0.step) AS distributable
		FROM f0
		WHERE f0.missing = 0
		   OR kpi.pay_refuse('55000', 'no base salary is in force for a payroll month with a grade coefficient',
		          (SELECT format('The first such month is official %s, %s.', x.official_id, to_char(x.month, 'YYYY-MM'))
		           FROM kpi.payroll_salary x
		           WHERE x.month >= make_date(bonus_what_if_funds.year, 1, 1) AND x.month < make_date(bonus_what_if_funds.year + 1, 1, 1)
		             AND x.salary IS NULL
		           ORDER BY x.official_id, x.month LIMIT 1),
		          'Add the base salary in force to kpi.base_salary.')
	), f AS (
		SELECT f1.* FROM f1
		WHERE f1.distributable >= 0
		   OR kpi.pay_refuse('22023', 'the ad-hoc bonuses of a unit exceed its bonus fund',
		          format('Unit %s: ad-hoc bonuses %s, fund %s.', f1.unit_id, f1.adhoc, f1.fund),
		          'Ad-hoc bonuses come out of the year''s bonus fund (Decree 73/2024/ND-CP): correct kpi.adhoc_bonus.')
	),
	ahp AS (
		SELECT a.official_id, sum(a.amount) AS adhoc FROM kpi.adhoc_bonus a WHERE a.year = bonus_what_if_funds.year
		GROUP BY a.official_id
	), res AS (
		SELECT r.official_id, r.quota_tier, r.score FROM kpi.current_official_result r
		WHERE r.period_kind = 'year' AND r.period_start = make_date(bonus_what_if_funds.year, 1, 1)
	), c AS MATERIALIZED (
		-- once, not per row
		SELECT kpi.bonus_cap(kpi.base_salary_on(make_date(bonus_what_if_funds.year, 12, 31)), bonus_what_if_funds.regulation) AS cap,
		       kpi.bonus_step(bonus_what_if_funds.regulation) AS step
	), w AS (
		SELECT o.unit_id, o.official_id, res.quota_tier AS tier, res.score, per.salary_coefficient,
		       coalesce(per.months, 0) AS months,
		       CASE WHEN per.official_id IS NOT NULL
		            THEN kpi.bonus_weight(res.quota_tier, res.score, per.salary_coefficient, per.months,
		                                  bonus_what_if_funds.regulation) END AS weight,
		       coalesce(ahp.adhoc, 0) AS adhoc, f.distributable, f.salary_fund AS unit_salary_fund,
		       f.fund AS unit_fund, f.reserve AS unit_reserve, f.adhoc AS unit_adhoc
		FROM per FULL JOIN ahp ON ahp.official_id = per.official_id
		JOIN kpi.official o ON o.official_id = coalesce(per.official_id, ahp.official_id)
		JOIN f ON f.unit_id = o.unit_id
		LEFT JOIN res ON res.official_id = o.official_id
	), t AS (
		-- a unit with nobody to pay by rating splits nothing (its money stays unpaid)
		SELECT w.*, CASE WHEN coalesce(sum(w.weight) OVER (PARTITION BY w.unit_id), 0) > 0
		                 THEN w.distributable ELSE 0 END AS total
		FROM w
	), a AS (
		SELECT t.*, c.cap, kpi.apportion_capped(t.weight, c.cap, t.total, c.step)
		                     OVER (PARTITION BY t.unit_id ORDER BY t.official_id) AS x
		FROM t CROSS JOIN c
	)
	SELECT a.unit_id, a.official_id, a.tier, a.score, a.salary_coefficient, a.months, a.weight, a.cap,
	       coalesce((a.x).share, 0), coalesce((a.x).capped, false), coalesce((a.x).remainder_step, false),
	       a.adhoc, coalesce((a.x).share, 0) + a.adhoc,
	       a.unit_salary_fund, a.unit_fund, a.unit_reserve, a.unit_adhoc, a.distributable
	FROM a;
END
$$;

COMMENT ON FUNCTION kpi.bonus_what_if_funds(integer, jsonb) IS
'used by kpi.bonus_what_if and kpi.distribute_bonus: the rows of kpi.bonus_what_if, each with its unit''s money as kpi.bonus_unit_fund computes it (salary fund, fund, reserve, ad-hoc, distributable), so that a pay run reads the payroll once';

-- kpi.bonus_what_if_funds without the unit's columns (an inlinable SQL
-- function, so no SET search_path: its rows are not stored once more).
CREATE OR REPLACE FUNCTION kpi.bonus_what_if(year integer, regulation jsonb)
RETURNS TABLE (unit_id bigint, official_id bigint, tier kpi.tier, score numeric, salary_coefficient numeric,
               service_months integer, weight numeric, cap numeric, share numeric, capped boolean,
               remainder_step boolean, adhoc numeric, amount numeric)
LANGUAGE sql STABLE
AS $$
	SELECT w.unit_id, w.official_id, w.tier, w.score, w.salary_coefficient, w.service_months, w.weight, w.cap,
	       w.share, w.capped, w.remainder_step, w.adhoc, w.amount
	FROM kpi.bonus_what_if_funds(bonus_what_if.year, bonus_what_if.regulation) w
$$;

COMMENT ON FUNCTION kpi.bonus_what_if(integer, jsonb) IS
'the year''s bonus per official under a regulation (a draft, or the one in force), without writing anything (PAY1-PAY3): the fund of each unit less its ad-hoc set-aside, split by kpi.apportion_capped over kpi.bonus_weight of the year''s tier after the quota (current year results), capped by kpi.bonus_cap of the base salary at the year''s end, in the regulation''s step, ties to the lower official_id; plus the ad-hoc bonuses decided';

CREATE OR REPLACE FUNCTION kpi.income_what_if(quarter_start date, amount numeric, regulation jsonb,
                                   scope_unit_id bigint DEFAULT NULL)
RETURNS TABLE (unit_id bigint, official_id bigint, tier kpi.tier, score numeric, salary_coefficient numeric,
               weight numeric, share numeric, remainder_step boolean)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_reg jsonb := kpi.bonus_rules(income_what_if.regulation);
	v_from date := income_what_if.quarter_start;
	v_amount numeric := income_what_if.amount;
	v_scope bigint := income_what_if.scope_unit_id;
BEGIN
	IF v_from IS NULL OR v_amount IS NULL THEN
		RAISE EXCEPTION 'kpi.income_what_if quarter_start and amount must not be NULL' USING ERRCODE = '22004';
	END IF;
	IF v_from <> date_trunc('quarter', v_from)::date THEN
		RAISE EXCEPTION 'a quarter starts on the first day of January, April, July or October'
			USING ERRCODE = '22023', DETAIL = format('The date given is %s.', v_from);
	END IF;
	RETURN QUERY
	WITH RECURSIVE scope AS (
		SELECT u.unit_id FROM kpi.unit u WHERE u.unit_id = v_scope OR (v_scope IS NULL AND u.parent_id IS NULL)
		UNION
		SELECT c.unit_id FROM kpi.unit c JOIN scope ON c.parent_id = scope.unit_id
	), per AS (
		SELECT s.official_id, (max(ARRAY[(s.month - date '2000-01-01')::numeric, s.grade_coefficient]))[2] AS coef
		FROM kpi.payroll s
		WHERE s.month >= v_from AND s.month < (v_from + interval '3 months')::date
		GROUP BY s.official_id
	), res AS (
		SELECT r.official_id, r.tier, r.score FROM kpi.current_official_result r
		WHERE r.period_kind = 'quarter' AND r.period_start = v_from
	), w AS (
		-- the minimum service is a year's rule: it does not apply to a quarter
		SELECT o.unit_id, o.official_id, res.tier, res.score, per.coef,
		       kpi.bonus_weight(res.tier, res.score, per.coef, 12, v_reg) AS weight
		FROM per JOIN kpi.official o ON o.official_id = per.official_id
		JOIN scope ON scope.unit_id = o.unit_id
		LEFT JOIN res ON res.official_id = o.official_id
	), a AS (
		SELECT w.*, kpi.apportion_capped(w.weight, NULL, v_amount, kpi.bonus_step(v_reg))
		              OVER (ORDER BY w.official_id) AS x
		FROM w
	)
	SELECT a.unit_id, a.official_id, a.tier, a.score, a.coef, a.weight,
	       coalesce((a.x).share, 0), coalesce((a.x).remainder_step, false)
	FROM a;
END
$$;

COMMENT ON FUNCTION kpi.income_what_if(date, numeric, jsonb, bigint) IS
'a quarter''s additional income per official under a regulation, without writing anything (PAY4): amount split by kpi.apportion over kpi.bonus_weight of the quarter''s tier and score (current quarter results) among the officials on the payroll in the quarter in the scope unit''s subtree (NULL: every unit), in the regulation''s step, ties to the lower official_id';

-- Views ----------------------------------------------------------------------

CREATE OR REPLACE VIEW kpi.current_pay_run WITH (security_invoker = true) AS
SELECT r.* FROM kpi.pay_run r
WHERE NOT EXISTS (SELECT 1 FROM kpi.pay_run n WHERE n.supersedes = r.pay_run_id);

COMMENT ON VIEW kpi.current_pay_run IS
'the pay runs that are current: not superseded by a later run of the same kind, period and scope';

CREATE OR REPLACE VIEW kpi.current_pay_unit WITH (security_invoker = true) AS
SELECT r.pay_run_id, r.kind, r.period_start, r.period_end, f.unit_id, u.name AS unit_name,
       f.salary_fund, f.fund, f.adhoc AS adhoc_paid, f.paid AS rating_paid, f.paid + f.adhoc AS paid,
       f.fund - f.distributable - f.adhoc AS reserved, f.unpaid,
       (SELECT count(*) FROM kpi.payout p WHERE p.pay_run_id = r.pay_run_id AND p.unit_id = f.unit_id AND p.amount > 0) AS officials_paid
FROM kpi.current_pay_run r
JOIN kpi.pay_unit_fund f ON f.pay_run_id = r.pay_run_id
JOIN kpi.unit u ON u.unit_id = f.unit_id;

COMMENT ON VIEW kpi.current_pay_unit IS
'per unit and current pay run: the salary fund and fund (bonus), the ad-hoc bonuses paid, paid by rating, paid in all, the ad-hoc reserve left unused, the unpaid rest (caps, nobody to pay) and how many were paid; fund = paid + reserved + unpaid';

CREATE OR REPLACE VIEW kpi.current_pay_tier WITH (security_invoker = true) AS
SELECT r.pay_run_id, r.kind, r.period_start, p.unit_id, p.tier,
       count(*) AS officials, sum(p.share) AS paid, min(p.share) AS min_share, max(p.share) AS max_share,
       round(avg(p.share)) AS mean_share, count(*) FILTER (WHERE p.capped) AS capped
FROM kpi.current_pay_run r
JOIN kpi.payout p ON p.pay_run_id = r.pay_run_id
GROUP BY r.pay_run_id, r.kind, r.period_start, p.unit_id, p.tier;

COMMENT ON VIEW kpi.current_pay_tier IS
'the spread of the shares by rating per unit, tier and current pay run: how many, paid, smallest, largest and mean share (rounded to the đồng), how many capped';
--@ post

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.pay_run
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_pay_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.pay_run
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_pay_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.pay_unit_fund
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_pay_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.pay_unit_fund
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_pay_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.payout
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_pay_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.payout
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_pay_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.payout_ledger
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_pay_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.payout_ledger
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_pay_change();

-- row-level security like the other input and result tables (src/reference/rls.sql)
ALTER TABLE kpi.payroll ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.payroll
	USING (official_id IN (SELECT o.official_id FROM kpi.official o
	                       JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));
ALTER TABLE kpi.adhoc_bonus ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.adhoc_bonus
	USING (official_id IN (SELECT o.official_id FROM kpi.official o
	                       JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));
ALTER TABLE kpi.pay_unit_fund ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.pay_unit_fund FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
ALTER TABLE kpi.payout ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.payout FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
ALTER TABLE kpi.payout_ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.payout_ledger FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
