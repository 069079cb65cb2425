--@ schema

-- Results (append-only) --------------------------------------------------------

CREATE TABLE kpi.evaluation_run (
	run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	period_start date NOT NULL,
	period_end date NOT NULL,
	period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
	rule_set_id integer NOT NULL REFERENCES kpi.rule_set,
	engine_version text,
	created_at timestamptz NOT NULL DEFAULT now(),
	created_by name NOT NULL DEFAULT current_user,
	supersedes bigint UNIQUE REFERENCES kpi.evaluation_run,
	CHECK (period_end >= period_start)
);
-- one first run per period; every later run names the run it supersedes (at
-- most once): no two current runs of a period, whatever the isolation level
CREATE UNIQUE INDEX evaluation_run_first_per_period ON kpi.evaluation_run (period_kind, period_start)
	WHERE supersedes IS NULL;
CREATE INDEX ON kpi.evaluation_run (period_start);

COMMENT ON TABLE kpi.evaluation_run IS
'one row per kpi.evaluate call that succeeded: the period, the rule set in force on its last day, the engine version, who and when; append-only';
COMMENT ON SEQUENCE kpi.evaluation_run_run_id_seq IS 'identity of kpi.evaluation_run';
COMMENT ON COLUMN kpi.evaluation_run.supersedes IS 'the run of the same period this run replaced (also recorded in kpi.run_supersession)';

CREATE TABLE kpi.run_supersession (
	run_id bigint PRIMARY KEY REFERENCES kpi.evaluation_run,
	superseded_by bigint NOT NULL UNIQUE REFERENCES kpi.evaluation_run,
	superseded_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE kpi.run_supersession IS
'runs that are no longer current: run_id was replaced by superseded_by (kpi.evaluate with supersede => true); the old results stay; append-only; a row must name a later run of the same period that supersedes run_id (kpi.supersession_problem), a bad one is removed by kpi.repair_supersession';

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

-- kpi.official_result is partitioned by year of period_start (one partition
-- per calendar year, kpi.official_result_2026, made by
-- kpi.ensure_year_partitions, partitions.sql): a closed year is detached and
-- archived (doc/operations-data.md).  The keys and indexes are those of each
-- partition (a partition is not a member of the extension, and pg_dump
-- restores its keys after its rows, which it could not do for keys the
-- extension's parent passed on); the references to kpi.evaluation_run,
-- kpi.official and kpi.unit are checked a statement at a time by triggers,
-- not foreign keys (result_refs.sql).  Each result carries its explanation
-- ledger, packed (column ledger, kpi.ledger_pack); the view kpi.ledger
-- (rls.sql) unpacks it.
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

COMMENT ON TABLE kpi.official_result IS
'an official''s result in a run: G, a, b, c, KQ, T, leader criteria, the score (NULL when nothing was assigned, N0.4), tier; for a year also disqualified, the tier after the quota and quota ties; the tally and an md5 of the inputs used; append-only; partitioned by year of period_start (kpi.ensure_year_partitions)';
COMMENT ON COLUMN kpi.official_result.general_points IS 'G of the period; for a year, the mean G of the scored periods (the quota''s second tie-break)';
COMMENT ON COLUMN kpi.official_result.task_points IS 'T of the period; for a year, T of the year''s merged tally (the quota''s first tie-break)';
COMMENT ON COLUMN kpi.official_result.quota_group IS 'for a year, the official''s named quota group (kpi.official.quota_group); NULL: their unit and task group';
COMMENT ON COLUMN kpi.official_result.quota_rate IS 'for a year, the quota rate applied to the official''s group: an approved rate (kpi.quota_approval) or the rule set''s quota_rate';
COMMENT ON COLUMN kpi.official_result.self_general_points IS 'G of the official''s self-assessment (CY1, kpi.assessment level self); NULL: none recorded, or a year';
COMMENT ON COLUMN kpi.official_result.self_score IS 'the score the period would have with the self-assessed marks (and dd, e) and the same task results and d (CY1); score is the approved one; NULL: no self-assessment, not rated, or a year';
COMMENT ON COLUMN kpi.official_result.not_rated IS 'why the official is not rated (score NULL) in the period: "not approved (pending: level)" (CY1, "unapproved": "skip"), "worked n days (min_days_worked m)" (CY4), or for a year "no month of the year rated"; NULL: rated, or nothing assigned (N0.4)';
COMMENT ON COLUMN kpi.official_result.period_start IS 'the first day of the run''s period; the partition key (one partition per calendar year, kpi.ensure_year_partitions)';
COMMENT ON COLUMN kpi.official_result.ledger IS 'the explanation ledger of the result, packed (kpi.ledger_pack): the points lost per cause, adding up exactly to 100 - score (an N0.3 entry takes the rounding); NULL: not scored; read it as rows through the view kpi.ledger or with kpi.ledger_unpack';
COMMENT ON COLUMN kpi.official_result.input_digest IS 'md5 of the inputs used (task lines, marks, criteria, d, records, periods, effective rules): equal digests mean a recomputation must give the same result';

CREATE TABLE kpi.agency_result (
	run_id bigint NOT NULL REFERENCES kpi.evaluation_run,
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	year integer NOT NULL,
	score numeric,
	components jsonb,
	tier kpi.tier,
	head_official_id bigint REFERENCES kpi.official,
	head_tier kpi.tier,
	head_capped boolean,
	input_digest text NOT NULL,
	PRIMARY KEY (run_id, unit_id)
);

COMMENT ON TABLE kpi.agency_result IS
'an agency''s yearly result in a year run (AG1-AG5): score, component points (kpi.agency_components), tier, and its head''s tier after the optional cap; append-only';

CREATE TABLE kpi.agency_ledger (
	run_id bigint NOT NULL,
	unit_id bigint NOT NULL,
	line_no integer NOT NULL,
	rule_id text NOT NULL,
	source_table text,
	source_id bigint,
	points_lost numeric NOT NULL,
	detail jsonb NOT NULL DEFAULT '{}',
	PRIMARY KEY (run_id, unit_id, line_no),
	FOREIGN KEY (run_id, unit_id) REFERENCES kpi.agency_result
);

COMMENT ON TABLE kpi.agency_ledger IS
'explanation ledger of an agency''s yearly result: one row per cause (AG2 marks, CS5-CS8 over its work-plan lines, AG3 procedures, IX1-IX4 indices) with its source row, adding up exactly to 100 - score (an N0.3 row takes the rounding); append-only';
--@ functions

CREATE OR REPLACE FUNCTION kpi.refuse_result_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RAISE EXCEPTION 'kpi results are append-only'
		USING ERRCODE = '55000',
		      DETAIL = format('%s on %I.%I is not allowed.', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME),
		      HINT = 'To replace the results of a period, CALL kpi.evaluate(period_start, period_kind, supersede => true).';
END
$$;

CREATE OR REPLACE FUNCTION kpi.supersession_problem(run_id bigint, superseded_by bigint)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_old kpi.evaluation_run;
	v_new kpi.evaluation_run;
BEGIN
	SELECT r.* INTO v_old FROM kpi.evaluation_run r WHERE r.run_id = supersession_problem.run_id;
	SELECT r.* INTO v_new FROM kpi.evaluation_run r WHERE r.run_id = supersession_problem.superseded_by;
	IF v_old.run_id IS NULL OR v_new.run_id IS NULL THEN
		RETURN format('Run %s does not exist.', CASE WHEN v_old.run_id IS NULL THEN supersession_problem.run_id
		                                             ELSE supersession_problem.superseded_by END);
	END IF;
	IF v_new.period_kind <> v_old.period_kind OR v_new.period_start <> v_old.period_start THEN
		RETURN format('Run %s is of period %s (%s), run %s of period %s (%s).',
		              v_old.run_id, v_old.period_start, v_old.period_kind,
		              v_new.run_id, v_new.period_start, v_new.period_kind);
	END IF;
	IF v_new.run_id <= v_old.run_id THEN
		RETURN format('Run %s is not later than run %s.', v_new.run_id, v_old.run_id);
	END IF;
	IF v_new.supersedes IS DISTINCT FROM v_old.run_id THEN
		RETURN format('Run %s supersedes %s, not run %s.', v_new.run_id,
		              coalesce('run ' || v_new.supersedes, 'no run'), v_old.run_id);
	END IF;
	RETURN NULL;
END
$$;

COMMENT ON FUNCTION kpi.supersession_problem(bigint, bigint) IS
'why run superseded_by cannot supersede run run_id (a full sentence), or NULL when it can: the same period and kind, a later run, and the run that kpi.evaluate wrote naming run_id in its supersedes column';

CREATE OR REPLACE FUNCTION kpi.run_write_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_problem text;
	v_old kpi.evaluation_run;
BEGIN
	IF TG_TABLE_NAME = 'run_supersession' THEN
		v_problem := kpi.supersession_problem(NEW.run_id, NEW.superseded_by);
		IF v_problem IS NOT NULL THEN
			RAISE EXCEPTION 'run % cannot be marked superseded by run %', NEW.run_id, NEW.superseded_by
				USING ERRCODE = '23514', DETAIL = v_problem,
				      HINT = 'Only kpi.evaluate(period_start, period_kind, supersede => true) supersedes a run.';
		END IF;
	ELSIF NEW.supersedes IS NOT NULL THEN	-- kpi.evaluation_run
		SELECT r.* INTO v_old FROM kpi.evaluation_run r WHERE r.run_id = NEW.supersedes;
		IF v_old.run_id IS NULL OR v_old.period_kind <> NEW.period_kind OR v_old.period_start <> NEW.period_start
		   OR v_old.run_id >= NEW.run_id THEN
			RAISE EXCEPTION 'run % cannot supersede run %', NEW.run_id, NEW.supersedes
				USING ERRCODE = '23514',
				      DETAIL = format('A run supersedes an earlier run of its own period (%s, %s).',
				                      NEW.period_start, NEW.period_kind),
				      HINT = 'Only kpi.evaluate(period_start, period_kind, supersede => true) supersedes a run.';
		END IF;
	END IF;
	RETURN NEW;
END
$$;

COMMENT ON FUNCTION kpi.run_write_guard() IS
'trigger of kpi.evaluation_run and kpi.run_supersession: refuses (23514) a run that supersedes a run of another period or a later one, and a supersession that kpi.evaluate did not write (kpi.supersession_problem)';

CREATE OR REPLACE FUNCTION kpi.repair_supersession(run_id bigint, reason text)
RETURNS kpi.run_correction
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_row kpi.run_supersession;
	v_problem text;
	v_fix kpi.run_correction;
BEGIN
	IF NOT pg_has_role((SELECT c.relowner FROM pg_class c WHERE c.oid = 'kpi.run_supersession'::regclass), 'USAGE') THEN
		RAISE EXCEPTION 'only the owner of the kpi tables repairs supersessions'
			USING ERRCODE = '42501', DETAIL = format('Role %s does not own kpi.run_supersession.', current_user);
	END IF;
	IF repair_supersession.run_id IS NULL OR nullif(btrim(repair_supersession.reason), '') IS NULL THEN
		RAISE EXCEPTION 'run_id and a reason are required' USING ERRCODE = '22004',
			DETAIL = 'The reason is kept in kpi.run_correction.';
	END IF;
	LOCK TABLE kpi.run_supersession IN SHARE ROW EXCLUSIVE MODE;
	SELECT s.* INTO v_row FROM kpi.run_supersession s WHERE s.run_id = repair_supersession.run_id;
	IF v_row.run_id IS NULL THEN
		RAISE EXCEPTION 'run % is not marked superseded', repair_supersession.run_id USING ERRCODE = 'P0002';
	END IF;
	v_problem := kpi.supersession_problem(v_row.run_id, v_row.superseded_by);
	IF v_problem IS NULL THEN
		RAISE EXCEPTION 'the supersession of run % by run % is valid', v_row.run_id, v_row.superseded_by
			USING ERRCODE = '55000',
			      DETAIL = 'Run ' || v_row.superseded_by || ' is the later run of the same period that kpi.evaluate wrote to replace it.',
			      HINT = 'To replace the current results of the period, evaluate it again with supersede => true.';
	END IF;
	INSERT INTO kpi.run_correction (run_id, superseded_by, superseded_at, problem, reason)
	VALUES (v_row.run_id, v_row.superseded_by, v_row.superseded_at, v_problem, repair_supersession.reason)
	RETURNING * INTO v_fix;
	-- the append-only trigger stays off for this one DELETE only (the lock above keeps others out)
	ALTER TABLE kpi.run_supersession DISABLE TRIGGER append_only;
	DELETE FROM kpi.run_supersession s WHERE s.run_id = v_row.run_id;
	ALTER TABLE kpi.run_supersession ENABLE TRIGGER append_only;
	RETURN v_fix;
END
$$;

COMMENT ON FUNCTION kpi.repair_supersession(bigint, text) IS
'for the owner of the kpi tables: removes the row of kpi.run_supersession that marks run_id superseded when it is invalid (kpi.supersession_problem; a valid one is refused, 55000), and records it with the reason in kpi.run_correction; the run is current again';

COMMENT ON FUNCTION kpi.refuse_result_change() IS
'trigger of the result tables: refuses UPDATE, DELETE and TRUNCATE (kpi results are append-only); also the INSTEAD OF trigger of the view kpi.ledger, refusing INSERT, UPDATE and DELETE';
--@ post

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
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.evaluation_run
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.evaluation_run
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.run_supersession
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.run_supersession
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.official_result
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.official_result
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.agency_result
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.agency_result
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.agency_ledger
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.agency_ledger
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
--@ schema

-- pg_dump dumps the rows of every input and result table
SELECT pg_catalog.pg_extension_config_dump('kpi.unit', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.official', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.task_line', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.task_line_task_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.general_mark', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.leader_criteria', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.disciplinary_record', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.disciplinary_record_record_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.quota_approval', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.quota_approval_approval_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.index_value', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.agency_input', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.lawmaking_document', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.lawmaking_document_doc_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.evaluation_run', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.evaluation_run_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_supersession', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.official_result', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.agency_result', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.agency_ledger', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_seal', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_seal_seal_no_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_correction', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_correction_correction_id_seq', '');
