-- kpi_eval_reference 0.1.0 -> 0.2.0: DDL and row migrations only (see src/sqlgen.sh);
-- function bodies are re-applied from the sources.
--@ schema
-- === data quality: constraints on the inputs (issue 12) ===
-- The new constraints are validated, not added NOT VALID: an upgraded
-- database must equal a fresh 0.2.0 one, and a NOT VALID constraint would let
-- the bad rows reach kpi.evaluate, which is what issue 12 is about.  So the
-- update first lists every existing row that breaks one and refuses to go on;
-- the DBA fixes them (the detail names each) and runs ALTER EXTENSION again.
DO $dq$
DECLARE
	v_bad text;
BEGIN
	IF (SELECT x.extversion FROM pg_catalog.pg_extension x WHERE x.extname = 'kpi_eval') = '0.1.0' THEN
		RAISE EXCEPTION 'kpi_eval_reference 0.2.0 needs kpi_eval 0.2.0'
			USING ERRCODE = '55000', HINT = 'Run ALTER EXTENSION kpi_eval UPDATE first.';
	END IF;
	SELECT string_agg(x, E'\n' ORDER BY o, k) INTO v_bad FROM (
		SELECT 1 AS o, l.task_id AS k,
		       format('kpi.task_line %s: %s', l.task_id,
		              kpi.task_line_problem(l.coef, l.assigned_qty, l.completed_qty, l.passed_qty,
		                                    l.quality_errors, l.late_events)) AS x
		FROM kpi.task_line l
		WHERE kpi.task_line_problem(l.coef, l.assigned_qty, l.completed_qty, l.passed_qty,
		                            l.quality_errors, l.late_events) IS NOT NULL
		UNION ALL
		SELECT 2, l.task_id, format('kpi.task_line %s: done %s is before 2000-01-01', l.task_id, l.done)
		FROM kpi.task_line l WHERE l.done < date '2000-01-01'
		UNION ALL
		SELECT 3, g.official_id, format('kpi.general_mark (%s, %s): period_start is not the first day of a month',
		                                g.official_id, g.period_start)
		FROM kpi.general_mark g WHERE extract(day FROM g.period_start) <> 1
		UNION ALL
		SELECT 4, c.official_id, format('kpi.leader_criteria (%s, %s): %s',
		                                c.official_id, c.period_start,
		                                CASE WHEN extract(day FROM c.period_start) <> 1
		                                     THEN 'period_start is not the first day of a month'
		                                     ELSE 'dd or e is outside 0..100' END)
		FROM kpi.leader_criteria c
		WHERE extract(day FROM c.period_start) <> 1 OR NOT (c.dd BETWEEN 0 AND 100 AND c.e BETWEEN 0 AND 100)
		UNION ALL
		SELECT 5, o.official_id, format('kpi.official %s: leads_unit %s but is_leader is false', o.official_id, o.leads_unit)
		FROM kpi.official o WHERE o.leads_unit IS NOT NULL AND NOT o.is_leader
		UNION ALL
		SELECT 6, a.unit_id, format('kpi.agency_input (%s, %s): dossiers settled on time or online exceed the dossiers',
		                            a.unit_id, a.year)
		FROM kpi.agency_input a
		WHERE NOT (a.dossiers_on_time BETWEEN 0 AND a.dossiers AND a.dossiers_online BETWEEN 0 AND a.dossiers)
	) bad(o, k, x);
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'kpi_eval_reference 0.2.0 refuses rows that kpi_eval_reference 0.1.0 accepted'
			USING ERRCODE = '23514', DETAIL = v_bad,
			      HINT = 'Correct or delete these rows, then run ALTER EXTENSION kpi_eval_reference UPDATE again; nothing was changed.';
	END IF;
END
$dq$;

ALTER TABLE kpi.official ADD CONSTRAINT official_leads_unit_leader CHECK (leads_unit IS NULL OR is_leader);
ALTER TABLE kpi.task_line
	ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
	ADD CONSTRAINT task_line_values CHECK (kpi.task_line_check(task_id, official_id, unit_id, coef, assigned_qty,
	                                                           completed_qty, passed_qty, quality_errors, late_events)),
	ADD CONSTRAINT task_line_done_after_start CHECK (done IS NULL OR done >= date '2000-01-01');
ALTER TABLE kpi.general_mark
	ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
	ADD CONSTRAINT general_mark_period_start CHECK (extract(day FROM period_start) = 1);
ALTER TABLE kpi.leader_criteria
	ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
	ADD CONSTRAINT leader_criteria_period_start CHECK (extract(day FROM period_start) = 1),
	ADD CONSTRAINT leader_criteria_range CHECK (dd BETWEEN 0 AND 100 AND e BETWEEN 0 AND 100);
ALTER TABLE kpi.agency_input
	ADD CONSTRAINT agency_input_dossiers CHECK (dossiers_on_time BETWEEN 0 AND dossiers AND dossiers_online BETWEEN 0 AND dossiers);
COMMENT ON COLUMN kpi.task_line.created_at IS 'when the row was inserted (data quality, DQ4)';
COMMENT ON COLUMN kpi.task_line.updated_at IS 'when the row was last changed, set by the trigger touch_updated_at (data quality, DQ4: lines past due neither closed nor updated, changes after the cut-off)';
COMMENT ON COLUMN kpi.general_mark.period_start IS 'the first day of the month or quarter the form rates (constraint general_mark_period_start: a row dated on the 15th would never be read)';
COMMENT ON COLUMN kpi.general_mark.created_at IS 'when the row was inserted (data quality, DQ4)';
COMMENT ON COLUMN kpi.general_mark.updated_at IS 'when the row was last changed, set by the trigger touch_updated_at (data quality, DQ4)';
COMMENT ON COLUMN kpi.leader_criteria.period_start IS 'the first day of the month or quarter the criteria rate (constraint leader_criteria_period_start)';
COMMENT ON COLUMN kpi.leader_criteria.created_at IS 'when the row was inserted (data quality, DQ4)';
COMMENT ON COLUMN kpi.leader_criteria.updated_at IS 'when the row was last changed, set by the trigger touch_updated_at (data quality, DQ4)';
-- === end data quality: constraints (issue 12) ===
-- === data quality: checks and the gate of kpi.evaluate (issue 12) ===
-- kpi.evaluate gains allow_empty: a new signature, so the old one goes
DROP PROCEDURE kpi.evaluate(date, text, boolean);
CREATE TABLE kpi.input_check_run (
	check_run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	period_start date NOT NULL,
	period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
	checked_at timestamptz NOT NULL DEFAULT now(),
	checked_by name NOT NULL DEFAULT current_user,
	errors integer NOT NULL,
	warnings integer NOT NULL,
	run_id bigint UNIQUE REFERENCES kpi.evaluation_run
);
CREATE INDEX ON kpi.input_check_run (period_kind, period_start);
COMMENT ON TABLE kpi.input_check_run IS
'one recorded run of kpi.check_inputs over a period (kpi.record_input_check, or kpi.evaluate before it scores): when, by whom, how many errors and warnings; run_id is the evaluation run it let through';
COMMENT ON SEQUENCE kpi.input_check_run_check_run_id_seq IS 'identity of kpi.input_check_run';
COMMENT ON COLUMN kpi.input_check_run.run_id IS 'the evaluation run these checks preceded (its warnings are in kpi.run_input_warning); NULL for a check recorded on its own';
CREATE TABLE kpi.input_problem (
	check_run_id bigint NOT NULL REFERENCES kpi.input_check_run ON DELETE CASCADE,
	problem_no integer NOT NULL,
	check_id text NOT NULL,
	severity text NOT NULL CHECK (severity IN ('error', 'warning')),
	unit_id bigint,
	official_id bigint,
	source_table text,
	source_id bigint,
	message_vi text NOT NULL,
	message_en text NOT NULL,
	PRIMARY KEY (check_run_id, problem_no)
);
CREATE INDEX ON kpi.input_problem (check_id);
COMMENT ON TABLE kpi.input_problem IS
'the problems a recorded check run found, one row each, as kpi.check_inputs returns them (stable check ids DQ-DUNG-*, DQ-DU-*, DQ-SACH-*, DQ-SONG-*; doc/data.md lists them)';
SELECT pg_catalog.pg_extension_config_dump('kpi.input_check_run', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.input_check_run_check_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.input_problem', '');
-- === end data quality: checks and the gate (issue 12) ===
-- === data quality: loader staging tables (issue 12) ===
CREATE TABLE kpi.stage_unit (
	row_no bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	unit_id text, parent_id text, name text, agency_kind text
);
CREATE TABLE kpi.stage_official (
	row_no bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	official_id text, unit_id text, full_name text, is_leader text, leads_unit text,
	task_group text, quota_group text
);
CREATE TABLE kpi.stage_task_line (
	row_no bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	official_id text, unit_id text, title text, due text, done text, coef text, assigned_qty text,
	completed_qty text, passed_qty text, quality_errors text, late_events text
);
CREATE TABLE kpi.stage_general_mark (
	row_no bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	official_id text, period_start text, marks text
);
CREATE TABLE kpi.stage_leader_criteria (
	row_no bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	official_id text, period_start text, dd text, e text
);
CREATE TABLE kpi.stage_disciplinary_record (
	row_no bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	official_id text, unit_id text, decided_on text, kind text, form text, duty_related text
);

COMMENT ON TABLE kpi.stage_unit IS 'staging for kpi.unit: COPY a CSV of units here (text columns), then CALL kpi.load_staged()';
COMMENT ON TABLE kpi.stage_official IS 'staging for kpi.official (is_leader: true/false, t/f, 1/0, yes/no, có/không; empty: false)';
COMMENT ON TABLE kpi.stage_task_line IS 'staging for kpi.task_line (dates and numbers in the formats kpi.load_staged is told; empty quantities take the table''s defaults)';
COMMENT ON TABLE kpi.stage_general_mark IS 'staging for kpi.general_mark (marks separated by |, for example 5|5|2.5|2.5|2.5|2.5|2.5|2.5|2.5|2.5)';
COMMENT ON TABLE kpi.stage_leader_criteria IS 'staging for kpi.leader_criteria (dd and e: 100, 50 or empty)';
COMMENT ON TABLE kpi.stage_disciplinary_record IS 'staging for kpi.disciplinary_record';
COMMENT ON SEQUENCE kpi.stage_unit_row_no_seq IS 'row numbers of kpi.stage_unit (kpi.stage_clear restarts them)';
COMMENT ON SEQUENCE kpi.stage_official_row_no_seq IS 'row numbers of kpi.stage_official (kpi.stage_clear restarts them)';
COMMENT ON SEQUENCE kpi.stage_task_line_row_no_seq IS 'row numbers of kpi.stage_task_line (kpi.stage_clear restarts them)';
COMMENT ON SEQUENCE kpi.stage_general_mark_row_no_seq IS 'row numbers of kpi.stage_general_mark (kpi.stage_clear restarts them)';
COMMENT ON SEQUENCE kpi.stage_leader_criteria_row_no_seq IS 'row numbers of kpi.stage_leader_criteria (kpi.stage_clear restarts them)';
COMMENT ON SEQUENCE kpi.stage_disciplinary_record_row_no_seq IS 'row numbers of kpi.stage_disciplinary_record (kpi.stage_clear restarts them)';
-- === end data quality: loader staging tables (issue 12) ===

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
-- === end pay ===
-- === reporting views for BI tools (issue 16) ===
CREATE SCHEMA kpi_report;
COMMENT ON SCHEMA kpi_report IS
'reporting views of kpi_eval_reference for BI tools: built-in scalar types only, comments in English and Vietnamese / các khung nhìn báo cáo cho công cụ BI: chỉ kiểu dữ liệu có sẵn, chú thích tiếng Anh và tiếng Việt';
-- === end of reporting views for BI tools (issue 16) ===

-- === 2026 cycle (issue 13) ===
-- Decree 172/2025/ND-CP removed salary-grade demotion and demotion.  Records
-- dated before it took effect keep them; a 0.1.0 database may already hold
-- such a form on a later date, which 0.2.0 refuses: list them and stop,
-- as the data-quality constraints above do, rather than add NOT VALID.
DO $cycle$
DECLARE
	v_bad text;
BEGIN
	SELECT string_agg(format('kpi.disciplinary_record %s: form %s decided on %s, after Decree 172/2025/ND-CP removed it',
	                         d.record_id, d.form, d.decided_on), E'\n' ORDER BY d.record_id) INTO v_bad
	FROM kpi.disciplinary_record d
	WHERE NOT kpi.discipline_form_valid(d.form, d.decided_on);
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'kpi_eval_reference 0.2.0 refuses rows that kpi_eval_reference 0.1.0 accepted'
			USING ERRCODE = '23514', DETAIL = v_bad,
			      HINT = 'Correct or delete these rows, then run ALTER EXTENSION kpi_eval_reference UPDATE again; nothing was changed.';
	END IF;
END
$cycle$;
ALTER TABLE kpi.disciplinary_record
	ADD CONSTRAINT disciplinary_record_form_in_force CHECK (kpi.discipline_form_valid(form, decided_on));
COMMENT ON CONSTRAINT disciplinary_record_form_in_force ON kpi.disciplinary_record IS
'Decree 172/2025/ND-CP: no salary-grade demotion or demotion decided on or after 2025-07-01 (kpi.discipline_form_valid with the default rules); older records keep them';
-- === end 2026 cycle (issue 13) ===
-- === law-making by role group (issue 13) ===
-- kpi.lawmaking_document.role was free text in 0.1.0; 0.2.0 keeps the six
-- role groups of the revised pilot draft (LM5).  The spellings a 0.1.0
-- database may hold (English or Vietnamese, any case, spaces or hyphens) are
-- mapped; any other value stops the update with the rows named, as above,
-- rather than guess a role group.
UPDATE kpi.lawmaking_document d
SET role = m.role
FROM (VALUES
	('drafting', 'drafting'), ('drafting_agency', 'drafting'), ('draft', 'drafting'),
	('chu_tri', 'drafting'), ('chu_tri_soan_thao', 'drafting'), ('soan_thao', 'drafting'),
	('chủ_trì', 'drafting'), ('chủ_trì_soạn_thảo', 'drafting'), ('soạn_thảo', 'drafting'),
	('appraisal', 'appraisal'), ('appraisal_agency', 'appraisal'), ('appraising', 'appraisal'),
	('tham_dinh', 'appraisal'), ('thẩm_định', 'appraisal'),
	('joint_appraisal', 'joint_appraisal'), ('appraisal_participation', 'joint_appraisal'),
	('taking_part_in_appraisal', 'joint_appraisal'), ('participating_in_appraisal', 'joint_appraisal'),
	('tham_gia_tham_dinh', 'joint_appraisal'), ('tham_gia_thẩm_định', 'joint_appraisal'),
	('government_office', 'government_office'), ('gov_office', 'government_office'),
	('vpcp', 'government_office'), ('van_phong_chinh_phu', 'government_office'),
	('văn_phòng_chính_phủ', 'government_office'),
	('poll', 'poll'), ('polls', 'poll'), ('opinion_poll', 'poll'), ('answering_polls', 'poll'),
	('poll_answer', 'poll'), ('tra_loi_phieu', 'poll'), ('trả_lời_phiếu', 'poll'),
	('finalising', 'finalising'), ('finalizing', 'finalising'), ('revision', 'finalising'),
	('revising', 'finalising'), ('revising_after_opinions', 'finalising'), ('tiep_thu', 'finalising'),
	('hoan_thien', 'finalising'), ('tiếp_thu', 'finalising'), ('hoàn_thiện', 'finalising'),
	('tiếp_thu_hoàn_thiện', 'finalising'), ('tiep_thu_hoan_thien', 'finalising')
) m(spelling, role)
WHERE pg_catalog.regexp_replace(pg_catalog.lower(pg_catalog.btrim(d.role)), '[\s,-]+', '_', 'g') = m.spelling
  AND d.role IS DISTINCT FROM m.role;
DO $lmroles$
DECLARE
	v_bad text;
BEGIN
	SELECT string_agg(format('kpi.lawmaking_document %s: role %L is none of the six role groups', d.doc_id, d.role),
	                  E'\n' ORDER BY d.doc_id) INTO v_bad
	FROM kpi.lawmaking_document d
	WHERE d.role NOT IN ('drafting', 'appraisal', 'joint_appraisal', 'government_office', 'poll', 'finalising');
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'kpi_eval_reference 0.2.0 refuses rows that kpi_eval_reference 0.1.0 accepted'
			USING ERRCODE = '23514', DETAIL = v_bad,
			      HINT = 'Set each role to drafting, appraisal, joint_appraisal, government_office, poll or finalising, then run ALTER EXTENSION kpi_eval_reference UPDATE again; nothing was changed.';
	END IF;
END
$lmroles$;
ALTER TABLE kpi.lawmaking_document ADD CONSTRAINT lawmaking_document_role
	CHECK (role IN ('drafting', 'appraisal', 'joint_appraisal', 'government_office', 'poll', 'finalising'));
COMMENT ON TABLE kpi.lawmaking_document IS
'law-making documents of a ministry (LM2): its role group (LM5: drafting, appraisal, joint_appraisal, government_office, poll, finalising), due and issue dates, times returned, obstacles, initiatives; summarise with kpi.lawmaking_agg, score with kpi.lawmaking_role_scores';

CREATE TABLE kpi.lawmaking_impact (
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	role text NOT NULL,
	period_start date NOT NULL,
	period_end date NOT NULL,
	mark numeric NOT NULL CHECK (mark >= 0),
	PRIMARY KEY (unit_id, role, period_start, period_end),
	CONSTRAINT lawmaking_impact_role
		CHECK (role IN ('drafting', 'appraisal', 'joint_appraisal', 'government_office', 'poll', 'finalising')),
	CONSTRAINT lawmaking_impact_period CHECK (period_end >= period_start)
);
COMMENT ON TABLE kpi.lawmaking_impact IS
'the "results and impact" mark of a ministry in a law-making role group for one period (LM4, LM5), given by the evaluation council; at most the impact points of the role group''s template (checked when scored); no row: no impact points';
SELECT pg_catalog.pg_extension_config_dump('kpi.lawmaking_impact', '');
-- === end law-making by role group (issue 13) ===
-- === evaluation pipeline: one rule-set lookup per run (issue 15) ===
-- kpi.score_period gains "rescore" (kpi.evaluate passes the rule set in force
-- with rescore false instead of having it looked up again)
DROP FUNCTION kpi.score_period(date, text, jsonb, boolean);
-- === end evaluation pipeline (issue 15) ===

-- === 2026 cycle: approval levels, assignment history, leave (issue 13) ===
-- CY4: where an official worked and when, and their leave
CREATE TABLE kpi.assignment (
	assignment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	official_id bigint NOT NULL REFERENCES kpi.official ON DELETE CASCADE,
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	task_group text NOT NULL DEFAULT 'default',
	is_leader boolean NOT NULL DEFAULT false,
	leads_unit bigint REFERENCES kpi.unit,
	valid daterange NOT NULL,
	note text,
	CONSTRAINT assignment_leads_unit_leader CHECK (leads_unit IS NULL OR is_leader),
	CONSTRAINT assignment_valid_not_empty CHECK (NOT isempty(valid)),
	CONSTRAINT assignment_no_overlap EXCLUDE USING gist
		(int8range(official_id, official_id, '[]') WITH &&, valid WITH &&)
);
CREATE INDEX ON kpi.assignment (unit_id);
-- kpi.period_assignment: the assignments overlapping a period, and an
-- official's latest (also the foreign key's ON DELETE CASCADE)
CREATE INDEX ON kpi.assignment USING gist (valid);
CREATE INDEX ON kpi.assignment (official_id, lower(valid) DESC NULLS LAST);
COMMENT ON TABLE kpi.assignment IS
'where an official worked and when (CY4, Decree 335 Art. 21): unit, task group, leader role and the unit in their charge over the dates valid; no two assignments of an official overlap (constraint assignment_no_overlap); the open assignment (no upper bound) is the official''s current one and kpi.official mirrors it; an official with no assignment is in their kpi.official unit for every period';
COMMENT ON SEQUENCE kpi.assignment_assignment_id_seq IS 'identity of kpi.assignment';
COMMENT ON COLUMN kpi.assignment.valid IS 'the days of the assignment, [first day, day after the last) (daterange(''2026-01-01'', ''2026-07-01'') is January to June); no upper bound: still in force; no lower bound: since before the records (the upgrade from 0.1.0 writes each official''s unit so)';
COMMENT ON COLUMN kpi.assignment.leads_unit IS 'for a leader, the unit in their direct charge during the assignment (as kpi.official.leads_unit)';
COMMENT ON CONSTRAINT assignment_no_overlap ON kpi.assignment IS
'an official is in one assignment on any day (an exclusion constraint, safe under concurrent writes)';
-- each official's current unit becomes their open assignment, since before the records
INSERT INTO kpi.assignment (official_id, unit_id, task_group, is_leader, leads_unit, valid, note)
SELECT o.official_id, o.unit_id, o.task_group, o.is_leader, o.leads_unit, daterange(NULL, NULL),
       'kpi.official at the upgrade to 0.2.0'
FROM kpi.official o ORDER BY o.official_id;

CREATE TABLE kpi.leave (
	leave_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	official_id bigint NOT NULL REFERENCES kpi.official ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('maternity', 'sick', 'study', 'unpaid', 'other')),
	valid daterange NOT NULL,
	note text,
	CONSTRAINT leave_valid_bounded CHECK (NOT isempty(valid) AND NOT lower_inf(valid) AND NOT upper_inf(valid)),
	CONSTRAINT leave_no_overlap EXCLUDE USING gist
		(int8range(official_id, official_id, '[]') WITH &&, valid WITH &&)
);
CREATE INDEX ON kpi.leave USING gist (valid);
COMMENT ON TABLE kpi.leave IS
'days an official did not work (CY4): maternity, sick, study, unpaid or other leave, over the dates valid; the days of a period minus these are the days worked, and a period with fewer than the rule value min_days_worked is not rated';
COMMENT ON SEQUENCE kpi.leave_leave_id_seq IS 'identity of kpi.leave';
COMMENT ON COLUMN kpi.leave.valid IS 'the days of leave, [first day, day after the last), bounded';

-- CY1: the levels of a form before the decision; the decision stays kpi.general_mark
CREATE TABLE kpi.assessment (
	official_id bigint NOT NULL REFERENCES kpi.official ON DELETE CASCADE,
	period_start date NOT NULL,
	level text NOT NULL CHECK (level IN ('self', 'manager', 'review')),
	marks numeric[] NOT NULL CHECK (kpi.general_points(marks) IS NOT NULL),
	dd numeric,
	e numeric,
	assessed_by name NOT NULL DEFAULT CURRENT_USER,
	assessed_at timestamptz NOT NULL DEFAULT now(),
	note text,
	PRIMARY KEY (official_id, period_start, level),
	CONSTRAINT assessment_period_start CHECK (extract(day FROM period_start) = 1),
	CONSTRAINT assessment_criteria_range CHECK (dd BETWEEN 0 AND 100 AND e BETWEEN 0 AND 100)
);
CREATE INDEX ON kpi.assessment (period_start);
COMMENT ON TABLE kpi.assessment IS
'the levels of a general-criteria form before the decision (CY1, forms 01, 02A, 02B): the official''s self-assessment (''self''), the direct manager''s (''manager'') and, for a leader, the second review (''review''), each with the marks, dd and e, who and when; the competent authority''s decision is the kpi.general_mark row (and kpi.leader_criteria), which kpi.evaluate scores; an official with levels here and no kpi.general_mark row is pending (kpi.assessment_pending)';
COMMENT ON COLUMN kpi.assessment.level IS '''self'' (form 01, the official''s own marks), ''manager'' (the direct manager''s marks, after ''self''), ''review'' (a leader''s second level, after ''manager''; refused for a non-leader)';
COMMENT ON COLUMN kpi.assessment.marks IS 'the ten general-criteria marks at this level, checked against Decree 335 (as kpi.general_mark.marks)';
COMMENT ON COLUMN kpi.assessment.dd IS 'a leader''s criterion dd at this level (NULL: leader_full)';
COMMENT ON COLUMN kpi.assessment.e IS 'a leader''s criterion e at this level (NULL: leader_full)';
-- the existing forms are the approved level; who approved them is not known (NULL)
ALTER TABLE kpi.general_mark ADD COLUMN approved_by name;
ALTER TABLE kpi.general_mark ALTER COLUMN approved_by SET DEFAULT CURRENT_USER;
COMMENT ON COLUMN kpi.general_mark.approved_by IS
'the role that recorded the competent authority''s decision (CY1); NULL for rows written before 0.2.0';

-- the result keeps the self-assessment and why a period is not rated
ALTER TABLE kpi.official_result
	ADD COLUMN self_general_points numeric,
	ADD COLUMN self_score numeric,
	ADD COLUMN not_rated text;
COMMENT ON COLUMN kpi.official_result.self_general_points IS 'G of the official''s self-assessment (CY1, kpi.assessment level self); NULL: none recorded, or a year';
COMMENT ON COLUMN kpi.official_result.self_score IS 'the score the period would have with the self-assessed marks (and dd, e) and the same task results and d (CY1); score is the approved one; NULL: no self-assessment, not rated, or a year';
COMMENT ON COLUMN kpi.official_result.not_rated IS 'why the official is not rated (score NULL) in the period: "not approved (pending: level)" (CY1, "unapproved": "skip"), "worked n days (min_days_worked m)" (CY4), or for a year "no month of the year rated"; NULL: rated, or nothing assigned (N0.4)';
-- kpi.score_period returns the new columns: a new return type (dropped in the
-- evaluation pipeline block above)

SELECT pg_catalog.pg_extension_config_dump('kpi.assignment', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.assignment_assignment_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.leave', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.leave_leave_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.assessment', '');
-- === end 2026 cycle: approval levels, assignment history, leave (issue 13) ===
-- === quarterly forms per agency (issue 13) ===
-- CY2: a unit and its subtree may read their quarter's forms for each month
CREATE TABLE kpi.unit_forms_period (
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	effective daterange NOT NULL,
	forms_period text NOT NULL CONSTRAINT unit_forms_period_value CHECK (forms_period IN ('period', 'quarter')),
	decision text,
	PRIMARY KEY (unit_id, effective),
	-- a month's form is its quarter's form only if the switch falls between
	-- quarters: otherwise one form would be read both as a month's and as a
	-- quarter's
	CONSTRAINT unit_forms_period_quarters CHECK (
		NOT isempty(effective)
		AND (lower_inf(effective) OR lower(effective) = date_trunc('quarter', lower(effective))::date)
		AND (upper_inf(effective) OR upper(effective) = date_trunc('quarter', upper(effective))::date)),
	-- int8range(id, id, '[]') && is equality of ids, so no btree_gist is needed
	CONSTRAINT unit_forms_period_no_overlap EXCLUDE USING gist
		(int8range(unit_id, unit_id, '[]') WITH &&, effective WITH &&)
);

COMMENT ON TABLE kpi.unit_forms_period IS
'which forms a unit and its subtree read for a month (CY2): forms_period ''quarter'' makes every month of a quarter read the general-criteria form and leader criteria dated the quarter''s first day, ''period'' its own month''s; over effective, whole quarters; the nearest ancestor-or-self row in force on the period''s last day wins over the rule value forms_period (kpi.unit_forms)';
COMMENT ON COLUMN kpi.unit_forms_period.effective IS 'the quarters the choice is in force, [first day of a quarter, first day of a later quarter) or unbounded';
COMMENT ON COLUMN kpi.unit_forms_period.forms_period IS '''quarter'': a month reads the form of its quarter; ''period'': each month its own form (the default of the rule value forms_period)';
COMMENT ON COLUMN kpi.unit_forms_period.decision IS 'the decision or letter that set the agency''s cycle (number, date, authority)';
COMMENT ON CONSTRAINT unit_forms_period_quarters ON kpi.unit_forms_period IS
'the range is not empty and starts and ends on the first day of a quarter (or is unbounded): a month never reads a form that another month reads as its own';
COMMENT ON CONSTRAINT unit_forms_period_no_overlap ON kpi.unit_forms_period IS
'one choice per unit on any day (an exclusion constraint, safe under concurrent writes)';

SELECT pg_catalog.pg_extension_config_dump('kpi.unit_forms_period', '');
-- === end quarterly forms per agency (issue 13) ===
-- === loader staging for the cycle's tables: assessment levels, assignments, leave (issue 13) ===
CREATE TABLE kpi.stage_assignment (
	row_no bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	official_id text, unit_id text, task_group text, is_leader text, leads_unit text,
	valid_from text, valid_to text, note text
);
CREATE TABLE kpi.stage_leave (
	row_no bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	official_id text, kind text, first_day text, last_day text, note text
);
CREATE TABLE kpi.stage_assessment (
	row_no bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	official_id text, period_start text, level text, marks text, dd text, e text, assessed_by text, note text
);

COMMENT ON TABLE kpi.stage_assignment IS 'staging for kpi.assignment (CY4): valid_from and valid_to are the first and the last day of the assignment, both included; an empty valid_from: since before the records, an empty valid_to: still in force (the official''s current assignment, which kpi.official mirrors); empty task_group: default; is_leader as in kpi.stage_official (empty: false)';
COMMENT ON TABLE kpi.stage_leave IS 'staging for kpi.leave (CY4): first_day and last_day of the leave, both included and required; kind maternity, sick, study, unpaid or other';
COMMENT ON TABLE kpi.stage_assessment IS 'staging for kpi.assessment (CY1): a level (self, manager or review) of an official''s form for the period starting period_start, with its marks (separated by |), dd and e (100, 50 or empty) and, optionally, assessed_by (empty: the loading role); loaded before the decisions of kpi.stage_general_mark';
COMMENT ON SEQUENCE kpi.stage_assignment_row_no_seq IS 'row numbers of kpi.stage_assignment (kpi.stage_clear restarts them)';
COMMENT ON SEQUENCE kpi.stage_leave_row_no_seq IS 'row numbers of kpi.stage_leave (kpi.stage_clear restarts them)';
COMMENT ON SEQUENCE kpi.stage_assessment_row_no_seq IS 'row numbers of kpi.stage_assessment (kpi.stage_clear restarts them)';
-- === end loader staging for the cycle's tables (issue 13) ===
-- === compact ledger (issue 15) ===
-- the type of kpi.official_result.ledger, as src/reference/ledger_pack.sql
-- makes it (its functions come with the functions phase); the ledger rows of
-- 0.1.0 move into their results' packs in the post phase (year partitions)
CREATE TYPE kpi.ledger_pack;

CREATE FUNCTION kpi.ledger_pack_in(cstring)
RETURNS kpi.ledger_pack
AS '$libdir/kpi_eval', 'ledger_pack_in'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION kpi.ledger_pack_out(kpi.ledger_pack)
RETURNS cstring
AS '$libdir/kpi_eval', 'ledger_pack_out'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION kpi.ledger_pack_recv(internal)
RETURNS kpi.ledger_pack
AS '$libdir/kpi_eval', 'ledger_pack_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION kpi.ledger_pack_send(kpi.ledger_pack)
RETURNS bytea
AS '$libdir/kpi_eval', 'ledger_pack_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE kpi.ledger_pack (
	INPUT = kpi.ledger_pack_in,
	OUTPUT = kpi.ledger_pack_out,
	RECEIVE = kpi.ledger_pack_recv,
	SEND = kpi.ledger_pack_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);

COMMENT ON TYPE kpi.ledger_pack IS
'an official result''s explanation ledger (its kpi.ledger_entry rows, in order) packed into one compact value (src/ledger_pack.c, format version 1): known rule ids, source tables, detail keys and strings as codes, numerics as scale and unscaled value, a task line''s repeated detail once; round-trips exactly; text form: the kpi.ledger_entry[] text; kpi.ledger_pack makes one, kpi.ledger_unpack reads it';
COMMENT ON FUNCTION kpi.ledger_pack_in(cstring) IS 'input function of kpi.ledger_pack: reads the text of a kpi.ledger_entry[] and packs it (STABLE, as the array and record input functions it calls)';
COMMENT ON FUNCTION kpi.ledger_pack_out(kpi.ledger_pack) IS 'output function of kpi.ledger_pack: the text of its kpi.ledger_entry[]';
COMMENT ON FUNCTION kpi.ledger_pack_recv(internal) IS 'binary input function of kpi.ledger_pack: the packed bytes, checked (22P03 when malformed)';
COMMENT ON FUNCTION kpi.ledger_pack_send(kpi.ledger_pack) IS 'binary output function of kpi.ledger_pack: the packed bytes';
-- === end compact ledger (issue 15) ===
-- === year partitions (issue 11) ===
-- kpi.official_result becomes partitioned by year of period_start
-- (partitions.sql), and each result holds its ledger, packed (issue 15):
-- kpi.ledger becomes a view over the results.  Here the tables of 0.1.0 step
-- aside, renamed with their indexes, and the new parent is made as a fresh
-- install makes it; the functions phase then re-creates every view over the
-- new tables (CREATE OR REPLACE VIEW keeps the views' privileges) and makes
-- the view kpi.ledger, and the post phase makes the years' partitions, moves
-- the rows (the ledger rows into their results' packs) and drops the old
-- tables.
ALTER TABLE kpi.ledger RENAME TO ledger_0_1_0;
ALTER TABLE kpi.official_result RENAME TO official_result_0_1_0;
DO $$
DECLARE
	v_index record;
BEGIN
	FOR v_index IN
		SELECT c.relname
		FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid IN ('kpi.ledger_0_1_0'::pg_catalog.regclass, 'kpi.official_result_0_1_0'::pg_catalog.regclass)
	LOOP
		EXECUTE pg_catalog.format('ALTER INDEX kpi.%I RENAME TO %I', v_index.relname, v_index.relname || '_0_1_0');
	END LOOP;
END
$$;
CREATE TABLE kpi.official_result (
	run_id bigint NOT NULL,
	official_id bigint NOT NULL,
	unit_id bigint NOT NULL,
	task_group text NOT NULL,
	is_leader boolean NOT NULL,
	period_start date NOT NULL,
	period_kind text NOT NULL,
	general_points numeric,
	quantity_pct numeric,
	quality_pct numeric,
	progress_pct numeric,
	task_pct numeric,
	task_points numeric,
	d numeric,
	dd numeric,
	e numeric,
	score numeric,
	tier kpi.tier,
	disqualified boolean,
	quota_tier kpi.tier,
	quota_tie boolean,
	quota_group text,
	quota_rate numeric,
	tally kpi.tally,
	input_digest text NOT NULL,
	self_general_points numeric,
	self_score numeric,
	not_rated text,
	ledger kpi.ledger_pack
	-- each partition's: PRIMARY KEY (run_id, official_id, period_start)
	-- (a run is of one period: run_id, official_id is unique), indexes on
	-- (official_id, period_start) and (unit_id)
) PARTITION BY RANGE (period_start);
-- the comments of the new table, as src/reference/runs.sql gives them
DO $$
DECLARE
	v_c record;
BEGIN
	FOR v_c IN
		SELECT o.relname, a.attname, d.description
		FROM pg_catalog.pg_description d
		JOIN pg_catalog.pg_class o ON o.oid = d.objoid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
		LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = o.oid AND a.attnum = d.objsubid AND d.objsubid > 0
		WHERE o.oid = 'kpi.official_result_0_1_0'::pg_catalog.regclass
	LOOP
		IF v_c.attname IS NOT NULL THEN
			EXECUTE pg_catalog.format('COMMENT ON COLUMN kpi.%I.%I IS %L',
			                          pg_catalog.replace(v_c.relname, '_0_1_0', ''), v_c.attname, v_c.description);
		END IF;
	END LOOP;
END
$$;
COMMENT ON TABLE kpi.official_result IS
'an official''s result in a run: G, a, b, c, KQ, T, leader criteria, the score (NULL when nothing was assigned, N0.4), tier; for a year also disqualified, the tier after the quota and quota ties; the tally and an md5 of the inputs used; append-only; partitioned by year of period_start (kpi.ensure_year_partitions)';
COMMENT ON COLUMN kpi.official_result.period_start IS 'the first day of the run''s period; the partition key (one partition per calendar year, kpi.ensure_year_partitions)';
COMMENT ON COLUMN kpi.official_result.ledger IS 'the explanation ledger of the result, packed (kpi.ledger_pack): the points lost per cause, adding up exactly to 100 - score (an N0.3 entry takes the rounding); NULL: not scored; read it as rows through the view kpi.ledger or with kpi.ledger_unpack';
SELECT pg_catalog.pg_extension_config_dump('kpi.official_result', '');
-- === end year partitions (issue 11) ===
-- === C ledger (issue 15) ===
-- the ledger's rows are computed in C (kpi.ledger_lines, kpi.official_ledger,
-- kpi.agency_ledger; kpi.ledger_close becomes a C function in place): the SQL
-- helpers that computed them are gone
DROP FUNCTION kpi.ledger_mark_rows(numeric[], jsonb);
DROP FUNCTION kpi.ledger_line_rows(kpi.tally, numeric, integer, numeric, boolean);
DROP FUNCTION kpi.ledger_cap_rows(kpi.tally, numeric, integer, boolean, jsonb);
-- === end C ledger (issue 15) ===
--@ post

-- === year partitions (issue 11) ===
-- the parents' guards, as src/reference/runs.sql and rls.sql make them
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.official_result
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.official_result
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
ALTER TABLE kpi.official_result ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.official_result FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
-- the references of the results, checked a statement at a time instead of
-- by foreign keys (issue 15, src/reference/result_refs.sql): before the rows
-- move, so that they are checked too
CREATE TRIGGER result_refs AFTER INSERT ON kpi.official_result
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.result_refs_check();
CREATE TRIGGER result_refs AFTER DELETE OR UPDATE OF official_id ON kpi.official
	FOR EACH ROW EXECUTE FUNCTION kpi.result_refs_guard('official_id');
CREATE TRIGGER result_refs AFTER DELETE OR UPDATE OF unit_id ON kpi.unit
	FOR EACH ROW EXECUTE FUNCTION kpi.result_refs_guard('unit_id');
CREATE TRIGGER result_refs_truncate BEFORE TRUNCATE ON kpi.official
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.result_refs_truncate();
CREATE TRIGGER result_refs_truncate BEFORE TRUNCATE ON kpi.unit
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.result_refs_truncate();
-- the view kpi.ledger (issue 15) refuses writes as the result tables do
CREATE TRIGGER append_only INSTEAD OF INSERT OR UPDATE OR DELETE ON kpi.ledger
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
-- the privileges granted on the old tables, on the new table and the view
-- kpi.ledger (which is read only: SELECT)
DO $$
DECLARE
	v_t text;
	v_acl record;
BEGIN
	FOREACH v_t IN ARRAY ARRAY['official_result', 'ledger'] LOOP
		FOR v_acl IN
			SELECT a.grantee, a.privilege_type, a.is_grantable
			FROM pg_catalog.pg_class c CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
			WHERE c.oid = pg_catalog.format('kpi.%I', v_t || '_0_1_0')::pg_catalog.regclass AND a.grantee <> c.relowner
			  AND (v_t = 'official_result' OR a.privilege_type = 'SELECT')
		LOOP
			EXECUTE pg_catalog.format('GRANT %s ON kpi.%I TO %s%s', v_acl.privilege_type, v_t,
			                          CASE WHEN v_acl.grantee = 0 THEN 'PUBLIC' ELSE v_acl.grantee::regrole::text END,
			                          CASE WHEN v_acl.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
		END LOOP;
	END LOOP;
END
$$;
-- the years' partitions (made outside the extension, as kpi.evaluate makes
-- them), then the rows; each result takes its ledger rows, packed in
-- line_no order (every row: the checks below refuse the update otherwise)
DO $$
DECLARE
	v_year integer;
BEGIN
	FOR v_year IN
		SELECT DISTINCT pg_catalog.date_part('year', r.period_start)::integer
		FROM kpi.official_result_0_1_0 r ORDER BY 1
	LOOP
		PERFORM kpi.ensure_year_partitions(v_year);
		EXECUTE pg_catalog.format('ALTER EXTENSION kpi_eval_reference DROP TABLE kpi.%I', 'official_result_' || v_year);
	END LOOP;
END
$$;
INSERT INTO kpi.official_result
	(run_id, official_id, unit_id, task_group, is_leader, period_start, period_kind,
	 general_points, quantity_pct, quality_pct, progress_pct, task_pct, task_points,
	 d, dd, e, score, tier, disqualified, quota_tier, quota_tie, quota_group, quota_rate,
	 tally, input_digest, self_general_points, self_score, not_rated, ledger)
SELECT r.run_id, r.official_id, r.unit_id, r.task_group, r.is_leader, r.period_start, r.period_kind,
       r.general_points, r.quantity_pct, r.quality_pct, r.progress_pct, r.task_pct, r.task_points,
       r.d, r.dd, r.e, r.score, r.tier, r.disqualified, r.quota_tier, r.quota_tie, r.quota_group, r.quota_rate,
       r.tally, r.input_digest, r.self_general_points, r.self_score, r.not_rated, l.ledger
FROM kpi.official_result_0_1_0 r
LEFT JOIN (SELECT l.run_id, l.official_id,
                  kpi.ledger_pack(pg_catalog.array_agg(ROW(l.rule_id, l.source_table, l.source_id, l.points_lost,
                                                           l.detail)::kpi.ledger_entry ORDER BY l.line_no)) AS ledger
           FROM kpi.ledger_0_1_0 l
           GROUP BY l.run_id, l.official_id) l ON l.run_id = r.run_id AND l.official_id = r.official_id;
-- every ledger row moved, exactly: numbered 1..n under a result of the same
-- unit (as kpi.evaluate wrote them), the same rows and text read back
DO $$
DECLARE
	v_bad text;
BEGIN
	SELECT pg_catalog.format('run %s, official %s: %s', l.run_id, l.official_id,
	                         CASE WHEN r.run_id IS NULL THEN 'the ledger rows have no result'
	                              WHEN pg_catalog.bool_or(l.unit_id <> r.unit_id) THEN 'a ledger row names another unit than its result'
	                              ELSE 'the line numbers are not 1 to ' || pg_catalog.count(*) END)
	INTO v_bad
	FROM kpi.ledger_0_1_0 l
	LEFT JOIN kpi.official_result_0_1_0 r ON r.run_id = l.run_id AND r.official_id = l.official_id
	GROUP BY l.run_id, l.official_id, r.run_id
	HAVING r.run_id IS NULL OR pg_catalog.bool_or(l.unit_id <> r.unit_id)
	    OR pg_catalog.min(l.line_no) <> 1 OR pg_catalog.max(l.line_no) <> pg_catalog.count(*)
	LIMIT 1;
	IF v_bad IS NULL AND EXISTS (
		(SELECT l.run_id, l.official_id, l.unit_id, l.line_no, l.rule_id, l.source_table, l.source_id,
		        l.points_lost::text, l.detail::text FROM kpi.ledger_0_1_0 l
		 EXCEPT ALL
		 SELECT l.run_id, l.official_id, l.unit_id, l.line_no, l.rule_id, l.source_table, l.source_id,
		        l.points_lost::text, l.detail::text
		 FROM (SELECT r.run_id, r.official_id, r.unit_id, x.line_no::integer AS line_no, x.rule_id, x.source_table,
		              x.source_id, x.points_lost, x.detail
		       FROM kpi.official_result r
		       CROSS JOIN LATERAL kpi.ledger_unpack(r.ledger) WITH ORDINALITY
		            AS x(rule_id, source_table, source_id, points_lost, detail, line_no)) l)
		UNION ALL
		(SELECT l.run_id, l.official_id, l.unit_id, l.line_no, l.rule_id, l.source_table, l.source_id,
		        l.points_lost::text, l.detail::text
		 FROM (SELECT r.run_id, r.official_id, r.unit_id, x.line_no::integer AS line_no, x.rule_id, x.source_table,
		              x.source_id, x.points_lost, x.detail
		       FROM kpi.official_result r
		       CROSS JOIN LATERAL kpi.ledger_unpack(r.ledger) WITH ORDINALITY
		            AS x(rule_id, source_table, source_id, points_lost, detail, line_no)) l
		 EXCEPT ALL
		 SELECT l.run_id, l.official_id, l.unit_id, l.line_no, l.rule_id, l.source_table, l.source_id,
		        l.points_lost::text, l.detail::text FROM kpi.ledger_0_1_0 l)) THEN
		v_bad := 'the packed ledgers do not read back as the rows of the old kpi.ledger';
	END IF;
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'the ledger of 0.1.0 cannot be packed into its results'
			USING ERRCODE = '23000', DETAIL = v_bad || '.',
			      HINT = 'kpi.evaluate of 0.1.0 numbers every result''s ledger rows from 1; restore the rows it wrote, then update again.';
	END IF;
END
$$;
-- out of the extension first: that also takes them out of its pg_dump registrations
ALTER EXTENSION kpi_eval_reference DROP TABLE kpi.ledger_0_1_0;
ALTER EXTENSION kpi_eval_reference DROP TABLE kpi.official_result_0_1_0;
DROP TABLE kpi.ledger_0_1_0;
DROP TABLE kpi.official_result_0_1_0;
-- the drop guard also refuses DROP TABLE of a year partition that holds rows
DROP EVENT TRIGGER kpi_reference_drop_guard;
CREATE EVENT TRIGGER kpi_reference_drop_guard ON ddl_command_start
	WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA', 'DROP OWNED', 'DROP TABLE')
	EXECUTE FUNCTION kpi.reference_drop_guard();
COMMENT ON EVENT TRIGGER kpi_reference_drop_guard IS
'keeps a DROP from deleting the reference schema''s records by accident (see kpi.reference_drop_guard), also a DROP TABLE of a year partition of the results';
-- === end year partitions (issue 11) ===

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
	                 OR kpi.quota_group_within(quota_group)));
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

-- === data quality: triggers (issue 12) ===
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON kpi.task_line
	FOR EACH ROW EXECUTE FUNCTION kpi.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON kpi.general_mark
	FOR EACH ROW EXECUTE FUNCTION kpi.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON kpi.leader_criteria
	FOR EACH ROW EXECUTE FUNCTION kpi.touch_updated_at();
-- existing leaders were accepted by 0.1.0: the guard applies to new rows and changes
CREATE TRIGGER leads_unit_in_agency_insert AFTER INSERT ON kpi.official
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.official_leads_unit_guard();
CREATE TRIGGER leads_unit_in_agency_update AFTER UPDATE ON kpi.official
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.official_leads_unit_guard();
-- === end data quality: triggers (issue 12) ===

-- === row-level security of the recorded input problems (issue 12) ===
ALTER TABLE kpi.input_problem ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.input_problem FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
-- === end row-level security of the recorded input problems (issue 12) ===

-- === law-making by role group: row-level security of the impact marks (issue 13) ===
ALTER TABLE kpi.lawmaking_impact ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.lawmaking_impact
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
-- === end law-making by role group (issue 13) ===

-- === quota approvals by the competent authority (issue 11) ===
-- 0.1.0 let a unit's role write the approval of its own unit's quota rate:
-- it approved its own rate.  Reads are unchanged; writes need the parent.
DROP POLICY unit_subtree ON kpi.quota_approval;
CREATE POLICY unit_subtree ON kpi.quota_approval FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
CREATE POLICY competent_authority_insert ON kpi.quota_approval FOR INSERT
	WITH CHECK (unit_id IN (SELECT u.unit_id FROM kpi.unit u
	                        WHERE u.parent_id IN (SELECT v.unit_id FROM kpi.visible_unit v)));
CREATE POLICY competent_authority_update ON kpi.quota_approval FOR UPDATE
	USING (unit_id IN (SELECT u.unit_id FROM kpi.unit u
	                   WHERE u.parent_id IN (SELECT v.unit_id FROM kpi.visible_unit v)))
	WITH CHECK (unit_id IN (SELECT u.unit_id FROM kpi.unit u
	                        WHERE u.parent_id IN (SELECT v.unit_id FROM kpi.visible_unit v)));
CREATE POLICY competent_authority_delete ON kpi.quota_approval FOR DELETE
	USING (unit_id IN (SELECT u.unit_id FROM kpi.unit u
	                   WHERE u.parent_id IN (SELECT v.unit_id FROM kpi.visible_unit v)));
-- === end quota approvals by the competent authority (issue 11) ===
-- === 2026 cycle: approval levels, assignment history, leave (issue 13) ===
CREATE TRIGGER mirror_official AFTER INSERT OR UPDATE ON kpi.assignment
	FOR EACH ROW EXECUTE FUNCTION kpi.assignment_mirror();
CREATE TRIGGER mirror_assignment AFTER UPDATE OF unit_id, task_group, is_leader, leads_unit ON kpi.official
	FOR EACH ROW EXECUTE FUNCTION kpi.assignment_mirror();
ALTER TABLE kpi.assignment ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.assignment
	USING (official_id IN (SELECT o.official_id FROM kpi.official o
	                       JOIN kpi.visible_unit v ON v.unit_id = o.unit_id))
	WITH CHECK (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v)
	            AND (leads_unit IS NULL OR leads_unit IN (SELECT v.unit_id FROM kpi.visible_unit v)));
ALTER TABLE kpi.leave ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.leave
	USING (official_id IN (SELECT o.official_id FROM kpi.official o
	                       JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));
CREATE TRIGGER levels_in_order_insert AFTER INSERT ON kpi.assessment
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.assessment_guard();
CREATE TRIGGER levels_in_order_update AFTER UPDATE ON kpi.assessment
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.assessment_guard();
CREATE TRIGGER levels_in_order_insert AFTER INSERT ON kpi.general_mark
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.assessment_guard();
CREATE TRIGGER levels_in_order_delete AFTER DELETE ON kpi.assessment
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.assessment_delete_guard();
ALTER TABLE kpi.assessment ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.assessment
	USING (official_id IN (SELECT o.official_id FROM kpi.official o
	                       JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));
-- === end 2026 cycle: approval levels, assignment history, leave (issue 13) ===
-- === quarterly forms per agency (issue 13) ===
ALTER TABLE kpi.unit_forms_period ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.unit_forms_period FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
-- === end quarterly forms per agency (issue 13) ===
