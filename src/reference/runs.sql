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
'runs that are no longer current: run_id was replaced by superseded_by (kpi.evaluate with supersede => true); the old results stay; append-only';

CREATE TABLE kpi.official_result (
	run_id bigint NOT NULL REFERENCES kpi.evaluation_run,
	official_id bigint NOT NULL REFERENCES kpi.official,
	unit_id bigint NOT NULL REFERENCES kpi.unit,
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
	PRIMARY KEY (run_id, official_id)
);
CREATE INDEX ON kpi.official_result (official_id, period_start);
CREATE INDEX ON kpi.official_result (unit_id);

COMMENT ON TABLE kpi.official_result IS
'an official''s result in a run: G, a, b, c, KQ, T, leader criteria, the score (NULL when nothing was assigned, N0.4), tier; for a year also disqualified, the tier after the quota and quota ties; the tally and an md5 of the inputs used; append-only';
COMMENT ON COLUMN kpi.official_result.general_points IS 'G of the period; for a year, the mean G of the scored periods (the quota''s second tie-break)';
COMMENT ON COLUMN kpi.official_result.task_points IS 'T of the period; for a year, T of the year''s merged tally (the quota''s first tie-break)';
COMMENT ON COLUMN kpi.official_result.quota_group IS 'for a year, the official''s named quota group (kpi.official.quota_group); NULL: their unit and task group';
COMMENT ON COLUMN kpi.official_result.quota_rate IS 'for a year, the quota rate applied to the official''s group: an approved rate (kpi.quota_approval) or the rule set''s quota_rate';
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

CREATE TABLE kpi.ledger (
	run_id bigint NOT NULL,
	official_id bigint NOT NULL,
	unit_id bigint NOT NULL,	-- the result's unit_id, copied for row-level security
	line_no integer NOT NULL,
	rule_id text NOT NULL,
	source_table text,
	source_id bigint,
	points_lost numeric NOT NULL,
	detail jsonb NOT NULL DEFAULT '{}',
	PRIMARY KEY (run_id, official_id, line_no),
	FOREIGN KEY (run_id, official_id) REFERENCES kpi.official_result
);

COMMENT ON TABLE kpi.ledger IS
'explanation ledger: the points an official lost in a run, one row per cause with its rule id and source row, adding up exactly to 100 - score (an N0.3 row takes the rounding); detail keeps the facts used, for kpi.explain; append-only';

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

COMMENT ON FUNCTION kpi.refuse_result_change() IS
'trigger of the result tables: refuses UPDATE, DELETE and TRUNCATE (kpi results are append-only)';
--@ post

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
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.ledger
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.ledger
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
SELECT pg_catalog.pg_extension_config_dump('kpi.ledger', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.agency_ledger', '');
