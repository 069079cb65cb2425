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
--@ post
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
