-- kpi_eval_reference 0.1.0 -> 0.2.0: DDL and row migrations only (see src/sqlgen.sh);
-- function bodies are re-applied from the sources.
--@ schema

-- === run seals, supersession guard, row-level security of runs and rule sets (issue 11) ===
-- Seals (doc/security.md): a digest of each run's rows, chained run to run, so
-- that a change made past the append-only triggers can be detected
CREATE TABLE kpi.run_seal (
	run_id bigint PRIMARY KEY REFERENCES kpi.evaluation_run,
	seal_no bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	results_digest text NOT NULL,
	chain_prev bigint,
	chain_digest text NOT NULL,
	sealed_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	sealed_on_upgrade boolean NOT NULL DEFAULT false
);

COMMENT ON TABLE kpi.run_seal IS
'the seal of each run, written by kpi.evaluate in the run''s transaction: a sha256 of its results, ledgers and supersession (kpi.run_results_digest) and a sha256 chained to the previous seal (kpi.run_chain_digest); kpi.verify_run recomputes both; append-only';
COMMENT ON SEQUENCE kpi.run_seal_seal_no_seq IS 'identity of kpi.run_seal: the order runs were sealed in';
COMMENT ON COLUMN kpi.run_seal.chain_prev IS 'the run whose seal was the latest when this one was written (NULL: the first seal); its chain_digest is part of this one''s';
COMMENT ON COLUMN kpi.run_seal.sealed_on_upgrade IS 'true for a run evaluated before 0.2.0 and sealed by ALTER EXTENSION ... UPDATE: the seal vouches for the rows as they were at the upgrade, not at the evaluation';

-- Corrections: the one way a row leaves kpi.run_supersession
CREATE TABLE kpi.run_correction (
	correction_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	run_id bigint NOT NULL,
	superseded_by bigint NOT NULL,
	superseded_at timestamptz NOT NULL,
	problem text NOT NULL,
	reason text NOT NULL,
	corrected_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	corrected_by name NOT NULL DEFAULT CURRENT_USER
);

COMMENT ON TABLE kpi.run_correction IS
'the supersession rows kpi.repair_supersession removed because they were invalid (not written by kpi.evaluate: another period, an earlier run, a run that does not supersede it): the row, what was wrong, why, who and when; append-only';
COMMENT ON SEQUENCE kpi.run_correction_correction_id_seq IS 'identity of kpi.run_correction';

SELECT pg_catalog.pg_extension_config_dump('kpi.run_seal', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_seal_seal_no_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_correction', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_correction_correction_id_seq', '');
COMMENT ON TABLE kpi.run_supersession IS
'runs that are no longer current: run_id was replaced by superseded_by (kpi.evaluate with supersede => true); the old results stay; append-only; a row must name a later run of the same period that supersedes run_id (kpi.supersession_problem), a bad one is removed by kpi.repair_supersession';
-- === end run seals (issue 11) ===
-- === pay: payroll, bonus regulations, pay runs (issue 14) ===
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
	PRIMARY KEY (pay_run_id, official_id, line_no),
	FOREIGN KEY (pay_run_id, official_id) REFERENCES kpi.payout
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
-- === end pay ===
-- === reporting views for BI tools (issue 16) ===
CREATE SCHEMA kpi_report;
COMMENT ON SCHEMA kpi_report IS
'reporting views of kpi_eval_reference for BI tools: built-in scalar types only, comments in English and Vietnamese / các khung nhìn báo cáo cho công cụ BI: chỉ kiểu dữ liệu có sẵn, chú thích tiếng Anh và tiếng Việt';
-- === end of reporting views for BI tools (issue 16) ===

--@ post

-- === run seals, supersession guard, row-level security of runs and rule sets (issue 11) ===
CREATE TRIGGER run_write_guard BEFORE INSERT ON kpi.evaluation_run
	FOR EACH ROW EXECUTE FUNCTION kpi.run_write_guard();
CREATE TRIGGER run_write_guard BEFORE INSERT ON kpi.run_supersession
	FOR EACH ROW EXECUTE FUNCTION kpi.run_write_guard();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.run_seal
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.run_seal
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.run_correction
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.run_correction
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
REVOKE EXECUTE ON FUNCTION kpi.repair_supersession(bigint, text) FROM PUBLIC;

-- every column of kpi.official that names a unit or a group stays in the caller's subtree
ALTER POLICY unit_subtree ON kpi.official
	WITH CHECK (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v)
	            AND (leads_unit IS NULL OR leads_unit IN (SELECT v.unit_id FROM kpi.visible_unit v))
	            AND (quota_group IS NULL
	                 OR kpi.quota_group_within(quota_group, ARRAY(SELECT v.unit_id FROM kpi.visible_unit v))));
-- a CS15 row of a named quota group counts its members: only for roles that see them all
ALTER POLICY unit_subtree ON kpi.ledger
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v)
	       AND (rule_id <> 'CS15' OR (detail ->> 'quota_group') IS NULL
	            OR (run_id, detail ->> 'quota_group') IN (SELECT g.run_id, g.quota_group FROM kpi.visible_quota_group g)));
GRANT SELECT ON kpi.visible_quota_group TO PUBLIC;

-- runs, seals and rule sets carry no unit: every role with SELECT reads them
-- (the reporting views need the runs), nobody under row-level security
-- writes them, whatever its privileges; drafts are for the owner's what-if
ALTER TABLE kpi.evaluation_run ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON kpi.evaluation_run FOR SELECT USING (true);
ALTER TABLE kpi.run_supersession ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON kpi.run_supersession FOR SELECT USING (true);
ALTER TABLE kpi.run_seal ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON kpi.run_seal FOR SELECT USING (true);
ALTER TABLE kpi.run_correction ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON kpi.run_correction FOR SELECT USING (true);
ALTER TABLE kpi.rule_set ENABLE ROW LEVEL SECURITY;
CREATE POLICY published ON kpi.rule_set FOR SELECT USING (NOT is_draft);

-- the runs evaluated before 0.2.0 are sealed now, in run order (sealed_on_upgrade)
SELECT pg_catalog.count(kpi.seal_run(r.run_id, true))
FROM (SELECT r.run_id FROM kpi.evaluation_run r ORDER BY r.run_id) r;

-- supersessions that kpi.evaluate did not write (a forged row) are reported, not changed
DO $$
DECLARE
	v_bad text;
BEGIN
	SELECT pg_catalog.string_agg(pg_catalog.format('run %s by run %s: %s', s.run_id, s.superseded_by,
	                                               kpi.supersession_problem(s.run_id, s.superseded_by)), '; ')
	INTO v_bad
	FROM kpi.run_supersession s
	WHERE kpi.supersession_problem(s.run_id, s.superseded_by) IS NOT NULL;
	IF v_bad IS NOT NULL THEN
		RAISE WARNING 'kpi.run_supersession holds supersessions that kpi.evaluate did not write'
			USING DETAIL = v_bad,
			      HINT = 'As the owner of the kpi tables: SELECT kpi.repair_supersession(run_id, reason) for each (doc/security.md).';
	END IF;
END
$$;
-- === end run seals (issue 11) ===

-- === pay: append-only pay runs, row-level security (issue 14) ===
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
-- === end pay ===


-- === reporting views for BI tools (issue 16) ===
GRANT USAGE ON SCHEMA kpi_report TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA kpi_report TO PUBLIC;
-- === end of reporting views for BI tools (issue 16) ===
