--@ functions

-- The pay runs of the bonus and the income (PAY, doc/pay.md): kpi.distribute_bonus
-- and kpi.distribute_income and the steps they share; the tables, the what-if
-- functions and the views are in pay.sql.

-- Pay runs -------------------------------------------------------------------

-- The checks and bookkeeping both procedures share: arguments, row-level
-- security, one run of a period at a time, the run it supersedes.
CREATE OR REPLACE FUNCTION kpi.pay_run_start(kind text, period_start date, scope_unit_id bigint, supersede boolean)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_old bigint;
BEGIN
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c
	           WHERE c.relnamespace = 'kpi'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
	             AND pg_catalog.row_security_active(c.oid)) THEN
		RAISE EXCEPTION 'kpi pay runs must see every row of the kpi tables'
			USING ERRCODE = '42501',
			      DETAIL = format('Row-level security applies to role %s.', current_user),
			      HINT = 'Run kpi.distribute_bonus and kpi.distribute_income as the owner of the kpi tables or as a role with BYPASSRLS.';
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('kpi.pay:' || pay_run_start.kind), pay_run_start.period_start - date '2000-01-01');
	SELECT r.pay_run_id INTO v_old FROM kpi.pay_run r
	WHERE r.kind = pay_run_start.kind AND r.period_start = pay_run_start.period_start
	  AND r.scope_unit_id IS NOT DISTINCT FROM pay_run_start.scope_unit_id
	  AND NOT EXISTS (SELECT 1 FROM kpi.pay_run n WHERE n.supersedes = r.pay_run_id);
	IF v_old IS NOT NULL AND NOT pay_run_start.supersede THEN
		RAISE EXCEPTION 'the % of % is already distributed', pay_run_start.kind, to_char(pay_run_start.period_start, 'YYYY-MM-DD')
			USING ERRCODE = '55000',
			      DETAIL = format('Pay run %s holds its current payouts.', v_old),
			      HINT = 'To distribute it again and keep the old run as superseded, pass supersede => true.';
	END IF;
	RETURN v_old;
END
$$;

COMMENT ON FUNCTION kpi.pay_run_start(text, date, bigint, boolean) IS
'used by kpi.distribute_bonus and kpi.distribute_income: refuses callers under row-level security, takes the period''s lock and returns the current run it supersedes (an error 55000 when there is one and supersede is false)';

-- The current evaluation run of a period, or an error.
CREATE OR REPLACE FUNCTION kpi.pay_evaluation_run(period_start date, period_kind text)
RETURNS bigint
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_run bigint;
BEGIN
	SELECT r.run_id INTO v_run FROM kpi.evaluation_run r
	WHERE r.period_start = pay_evaluation_run.period_start AND r.period_kind = pay_evaluation_run.period_kind
	  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id);
	IF v_run IS NULL THEN
		RAISE EXCEPTION 'period % (%) is not evaluated', to_char(pay_evaluation_run.period_start, 'YYYY-MM-DD'),
			pay_evaluation_run.period_kind
			USING ERRCODE = '55000',
			      DETAIL = 'Pay follows the current results of the period, and it has none.',
			      HINT = format('CALL kpi.evaluate(%L, %L) first.', pay_evaluation_run.period_start, pay_evaluation_run.period_kind);
	END IF;
	RETURN v_run;
END
$$;

COMMENT ON FUNCTION kpi.pay_evaluation_run(date, text) IS
'the current evaluation run of a period, whose results a pay run uses; an error (55000) when the period is not evaluated';

-- The ledger lines of a run's payouts: PAY2 the share (down to the step, or
-- the cap), PAY3 the leftover step, PAY1 each ad-hoc bonus decision.
CREATE OR REPLACE FUNCTION kpi.pay_write_ledger(pay_run_id bigint, step numeric, regulation jsonb, year integer)
RETURNS bigint
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
	WITH l AS (
		SELECT p.official_id, p.unit_id, 1 AS ord, 'PAY2' AS rule_id,
		       p.share - CASE WHEN p.remainder_step THEN step ELSE 0 END AS amount,
		       NULL::text AS source_table, NULL::bigint AS source_id,
		       jsonb_strip_nulls(jsonb_build_object(
		           'tier', p.tier, 'score', p.score,
		           'coefficient', regulation -> 'tier_coefficients' -> (p.tier::text),
		           'multiply_by', regulation ->> 'multiply_by',
		           'salary_coefficient', p.salary_coefficient, 'service_months', p.service_months,
		           'weight', p.weight, 'cap', p.cap, 'capped', p.capped,
		           'why', CASE WHEN p.weight IS NULL THEN 'no share: no result, or no value to multiply by'
		                       WHEN p.weight = 0 AND p.service_months < (regulation ->> 'min_service_months')::integer
		                            THEN 'no share: service below the minimum months'
		                       WHEN p.weight = 0 THEN 'no share: the tier''s coefficient is 0'
		                       WHEN p.capped THEN 'the quota reached the cap'
		                       ELSE 'the quota down to the step' END)) AS detail
		FROM kpi.payout p WHERE p.pay_run_id = pay_write_ledger.pay_run_id
		UNION ALL
		SELECT p.official_id, p.unit_id, 2, 'PAY3', step, NULL, NULL,
		       jsonb_build_object('step', step, 'why', 'a leftover step, to one of the largest remainders')
		FROM kpi.payout p WHERE p.pay_run_id = pay_write_ledger.pay_run_id AND p.remainder_step
		UNION ALL
		SELECT p.official_id, p.unit_id, 3, 'PAY1', a.amount, 'kpi.adhoc_bonus', a.bonus_id,
		       jsonb_strip_nulls(jsonb_build_object('reason', a.reason, 'decision_no', a.decision_no,
		                                            'decided_on', a.decided_on))
		FROM kpi.adhoc_bonus a
		JOIN kpi.payout p ON p.pay_run_id = pay_write_ledger.pay_run_id AND p.official_id = a.official_id
		WHERE a.year = pay_write_ledger.year
	), ins AS (
		INSERT INTO kpi.payout_ledger (pay_run_id, official_id, unit_id, line_no, rule_id, amount,
		                               source_table, source_id, detail)
		SELECT pay_write_ledger.pay_run_id, l.official_id, l.unit_id,
		       row_number() OVER (PARTITION BY l.official_id ORDER BY l.ord, l.source_id),
		       l.rule_id, l.amount, l.source_table, l.source_id, l.detail
		FROM l
		RETURNING 1
	)
	SELECT count(*) FROM ins
$$;

COMMENT ON FUNCTION kpi.pay_write_ledger(bigint, numeric, jsonb, integer) IS
'used by the pay runs: writes the ledger lines of a run''s payouts (PAY2 share with tier, coefficient, weight and cap; PAY3 leftover step; PAY1 ad-hoc decisions of the year); returns their number';

CREATE OR REPLACE PROCEDURE kpi.distribute_bonus(year integer, supersede boolean DEFAULT false)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_year integer := distribute_bonus.year;
	v_from date;
	v_old bigint;
	v_run bigint;
	v_eval bigint;
	v_reg jsonb;
	v_reg_id integer;
	v_n bigint;
BEGIN
	IF v_year IS NULL OR distribute_bonus.supersede IS NULL THEN
		RAISE EXCEPTION 'kpi.distribute_bonus arguments must not be NULL' USING ERRCODE = '22004';
	END IF;
	v_from := make_date(v_year, 1, 1);
	v_old := kpi.pay_run_start('bonus', v_from, NULL, distribute_bonus.supersede);
	v_eval := kpi.pay_evaluation_run(v_from, 'year');
	SELECT r.regulation_id, r.regulation INTO v_reg_id, v_reg FROM kpi.bonus_regulation_for(make_date(v_year, 12, 31)) r;
	BEGIN
		INSERT INTO kpi.pay_run (kind, period_start, period_end, regulation, regulation_id, evaluation_run_id, supersedes)
		VALUES ('bonus', v_from, make_date(v_year, 12, 31), v_reg, v_reg_id, v_eval, v_old)
		RETURNING pay_run_id INTO v_run;
	EXCEPTION WHEN unique_violation THEN
		RAISE EXCEPTION 'the bonus of % is already distributed', v_from
			USING ERRCODE = '55000', DETAIL = 'A concurrent pay run of the same period committed first.',
			      HINT = 'Run it in a READ COMMITTED transaction, or retry with supersede => true.';
	END;

	-- one statement: the payroll is read once, for the payouts and the units' funds
	WITH w AS MATERIALIZED (
		SELECT * FROM kpi.bonus_what_if_funds(v_year, v_reg)
	), p AS (
		INSERT INTO kpi.payout (pay_run_id, official_id, unit_id, tier, score, salary_coefficient, service_months,
		                        weight, cap, share, adhoc, amount, capped, remainder_step)
		SELECT v_run, w.official_id, w.unit_id, w.tier, w.score, w.salary_coefficient, w.service_months,
		       w.weight, w.cap, w.share, w.adhoc, w.amount, w.capped, w.remainder_step
		FROM w
		RETURNING 1
	), u AS (
		INSERT INTO kpi.pay_unit_fund (pay_run_id, unit_id, salary_fund, fund, reserve, adhoc, distributable, paid, unpaid)
		SELECT v_run, w.unit_id, w.unit_salary_fund, w.unit_fund, w.unit_reserve, w.unit_adhoc, w.unit_distributable,
		       sum(w.share), w.unit_distributable - sum(w.share)
		FROM w
		GROUP BY w.unit_id, w.unit_salary_fund, w.unit_fund, w.unit_reserve, w.unit_adhoc, w.unit_distributable
	)
	SELECT count(*) INTO v_n FROM p;
	PERFORM kpi.pay_write_ledger(v_run, kpi.bonus_step(v_reg), v_reg, v_year);

	RAISE NOTICE '%', format('kpi.distribute_bonus: pay run %s of %s: %s payouts from evaluation run %s%s', v_run, v_year,
		v_n, v_eval, CASE WHEN v_old IS NULL THEN '' ELSE format(', superseding pay run %s', v_old) END);
END
$$;

COMMENT ON PROCEDURE kpi.distribute_bonus(integer, boolean) IS
'pays the year''s bonus (PAY1-PAY3): writes a pay run (kind bonus) with kpi.bonus_what_if under the regulation in force on 31 December, from the year''s current evaluation results (tier after the quota), the payouts, their ledger and each unit''s fund; supersede => true replaces the current run of the year, keeping it; append-only';

CREATE OR REPLACE PROCEDURE kpi.distribute_income(quarter_start date, amount numeric, scope_unit_id bigint DEFAULT NULL,
                                       supersede boolean DEFAULT false)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_from date := distribute_income.quarter_start;
	v_old bigint;
	v_run bigint;
	v_eval bigint;
	v_reg jsonb;
	v_reg_id integer;
	v_n bigint;
BEGIN
	IF v_from IS NULL OR distribute_income.amount IS NULL OR distribute_income.supersede IS NULL THEN
		RAISE EXCEPTION 'kpi.distribute_income arguments must not be NULL' USING ERRCODE = '22004';
	END IF;
	IF v_from <> date_trunc('quarter', v_from)::date THEN
		RAISE EXCEPTION 'a quarter starts on the first day of January, April, July or October'
			USING ERRCODE = '22023', DETAIL = format('The date given is %s.', v_from);
	END IF;
	IF distribute_income.scope_unit_id IS NOT NULL
	   AND NOT EXISTS (SELECT 1 FROM kpi.unit u WHERE u.unit_id = distribute_income.scope_unit_id) THEN
		RAISE EXCEPTION 'unit % does not exist', distribute_income.scope_unit_id USING ERRCODE = '23503';
	END IF;
	v_old := kpi.pay_run_start('income', v_from, distribute_income.scope_unit_id, distribute_income.supersede);
	v_eval := kpi.pay_evaluation_run(v_from, 'quarter');
	SELECT r.regulation_id, r.regulation INTO v_reg_id, v_reg
	FROM kpi.bonus_regulation_for(((v_from + interval '3 months')::date - interval '1 day')::date) r;
	BEGIN
		INSERT INTO kpi.pay_run (kind, period_start, period_end, scope_unit_id, amount, regulation, regulation_id,
		                         evaluation_run_id, supersedes)
		VALUES ('income', v_from, ((v_from + interval '3 months')::date - interval '1 day')::date,
		        distribute_income.scope_unit_id, distribute_income.amount, v_reg, v_reg_id, v_eval, v_old)
		RETURNING pay_run_id INTO v_run;
	EXCEPTION WHEN unique_violation THEN
		RAISE EXCEPTION 'the income of % is already distributed', v_from
			USING ERRCODE = '55000', DETAIL = 'A concurrent pay run of the same period committed first.',
			      HINT = 'Run it in a READ COMMITTED transaction, or retry with supersede => true.';
	END;

	INSERT INTO kpi.payout (pay_run_id, official_id, unit_id, tier, score, salary_coefficient,
	                        weight, share, adhoc, amount, remainder_step)
	SELECT v_run, w.official_id, w.unit_id, w.tier, w.score, w.salary_coefficient,
	       w.weight, w.share, 0, w.share, w.remainder_step
	FROM kpi.income_what_if(v_from, distribute_income.amount, v_reg, distribute_income.scope_unit_id) w;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	PERFORM kpi.pay_write_ledger(v_run, kpi.bonus_step(v_reg), v_reg, NULL);

	INSERT INTO kpi.pay_unit_fund (pay_run_id, unit_id, salary_fund, fund, reserve, adhoc, distributable, paid, unpaid)
	SELECT v_run, p.unit_id, NULL, sum(p.share), 0, 0, sum(p.share), sum(p.share), 0
	FROM kpi.payout p WHERE p.pay_run_id = v_run
	GROUP BY p.unit_id;

	RAISE NOTICE '%', format('kpi.distribute_income: pay run %s of the quarter %s: %s payouts from evaluation run %s%s',
		v_run, v_from, v_n, v_eval, CASE WHEN v_old IS NULL THEN '' ELSE format(', superseding pay run %s', v_old) END);
END
$$;

COMMENT ON PROCEDURE kpi.distribute_income(date, numeric, bigint, boolean) IS
'pays a quarter''s additional income from savings (PAY4): writes a pay run (kind income) splitting amount with kpi.income_what_if under the regulation in force on the quarter''s last day, from the quarter''s current evaluation results, among the scope unit''s subtree (NULL: every unit); payouts, ledger, per-unit totals; supersede => true replaces the current run; append-only';

CREATE OR REPLACE FUNCTION kpi.refuse_pay_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION 'kpi pay runs are append-only'
		USING ERRCODE = '55000',
		      DETAIL = format('%s on %I.%I is not allowed.', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME),
		      HINT = 'To replace a distribution, CALL kpi.distribute_bonus(year, supersede => true) or kpi.distribute_income(..., supersede => true).';
END
$$;

COMMENT ON FUNCTION kpi.refuse_pay_change() IS
'trigger of the pay run tables: refuses UPDATE, DELETE and TRUNCATE (pay runs are append-only)';
