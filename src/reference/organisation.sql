--@ schema

-- Organisation and inputs ----------------------------------------------------

CREATE TABLE kpi.unit (
	unit_id bigint PRIMARY KEY,
	parent_id bigint REFERENCES kpi.unit,
	name text NOT NULL,
	agency_kind text CHECK (agency_kind IN ('ministry', 'province')),
	reporting_role name,
	CHECK (parent_id <> unit_id)
);
CREATE INDEX ON kpi.unit (parent_id);

COMMENT ON TABLE kpi.unit IS
'units of the organisation, a tree (parent_id NULL at a root); a unit with agency_kind is an agency rated yearly (AG1-AG5)';
COMMENT ON COLUMN kpi.unit.agency_kind IS '''ministry'' or ''province'': the unit is a rated agency with that template (AG3); NULL: not rated';
COMMENT ON COLUMN kpi.unit.reporting_role IS 'the database role that reports on this unit''s subtree (for row-level security)';

CREATE TABLE kpi.official (
	official_id bigint PRIMARY KEY,
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	full_name text NOT NULL,
	is_leader boolean NOT NULL DEFAULT false,
	leads_unit bigint REFERENCES kpi.unit,
	task_group text NOT NULL DEFAULT 'default',
	quota_group text,
	CONSTRAINT official_leads_unit_leader CHECK (leads_unit IS NULL OR is_leader)
);
CREATE INDEX ON kpi.official (unit_id);
CREATE INDEX ON kpi.official (leads_unit);

COMMENT ON TABLE kpi.official IS
'civil servants: their unit, leader flag (scored with d, dd, e: CS10), the unit in a leader''s direct charge and the task group of the quota (CS15)';
COMMENT ON COLUMN kpi.official.leads_unit IS
'for a leader, the unit in their direct charge (criterion d covers the non-leaders of its subtree; unit_corruption records of it disqualify them); NULL means the leader''s own unit';
COMMENT ON COLUMN kpi.official.task_group IS 'group of civil servants with similar tasks: the quota applies per unit and task group (CS15)';
COMMENT ON COLUMN kpi.official.quota_group IS 'a named quota group that spans units (for example the heads of an agency''s units, rated together by its head): officials with the same quota_group share one excellent quota; NULL: the quota group is the official''s unit and task group (CS15)';

CREATE TABLE kpi.task_line (
	task_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	official_id bigint REFERENCES kpi.official,
	unit_id bigint REFERENCES kpi.unit,
	title text,
	due date NOT NULL,
	done date,
	coef numeric NOT NULL DEFAULT 1,
	assigned_qty numeric NOT NULL DEFAULT 1,
	completed_qty numeric NOT NULL DEFAULT 0,
	passed_qty numeric NOT NULL DEFAULT 0,
	quality_errors integer NOT NULL DEFAULT 0,
	late_events integer NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT task_line_one_owner CHECK ((official_id IS NULL) <> (unit_id IS NULL)),
	CONSTRAINT task_line_values CHECK (kpi.task_line_check(task_id, official_id, unit_id, coef, assigned_qty,
	                                                       completed_qty, passed_qty, quality_errors, late_events)),
	CONSTRAINT task_line_done_after_start CHECK (done IS NULL OR done >= date '2000-01-01')
);
CREATE INDEX ON kpi.task_line (official_id, due);
CREATE INDEX ON kpi.task_line (unit_id, due) WHERE unit_id IS NOT NULL;
CREATE INDEX ON kpi.task_line (due);

COMMENT ON TABLE kpi.task_line IS
'task lines (CS4) of an official, or of an agency''s own work plan (unit_id, AG3); a line belongs to the period its due date falls in (CS2); values are checked by kpi.tally_agg when evaluated';
COMMENT ON SEQUENCE kpi.task_line_task_id_seq IS 'identity of kpi.task_line';
COMMENT ON COLUMN kpi.task_line.created_at IS 'when the row was inserted (data quality, DQ4)';
COMMENT ON COLUMN kpi.task_line.updated_at IS 'when the row was last changed, set by the trigger touch_updated_at (data quality, DQ4: lines past due neither closed nor updated, changes after the cut-off)';
COMMENT ON COLUMN kpi.task_line.late_events IS 'missed deadlines, excluding those certified as objective (CS7); kpi.late_events(due, done) gives 0 or 1';

CREATE TABLE kpi.general_mark (
	official_id bigint NOT NULL REFERENCES kpi.official,
	period_start date NOT NULL,
	marks numeric[] NOT NULL CHECK (kpi.general_points(marks) IS NOT NULL),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (official_id, period_start),
	CONSTRAINT general_mark_period_start CHECK (extract(day FROM period_start) = 1)
);
CREATE INDEX ON kpi.general_mark (period_start);

COMMENT ON TABLE kpi.general_mark IS
'the marks of the general-criteria form (CS3) of an official for the period starting period_start (a month, or a quarter when quarters are evaluated)';
COMMENT ON COLUMN kpi.general_mark.period_start IS 'the first day of the month or quarter the form rates (constraint general_mark_period_start: a row dated on the 15th would never be read)';
COMMENT ON COLUMN kpi.general_mark.created_at IS 'when the row was inserted (data quality, DQ4)';
COMMENT ON COLUMN kpi.general_mark.updated_at IS 'when the row was last changed, set by the trigger touch_updated_at (data quality, DQ4)';

CREATE TABLE kpi.leader_criteria (
	official_id bigint NOT NULL REFERENCES kpi.official,
	period_start date NOT NULL,
	dd numeric,
	e numeric,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (official_id, period_start),
	CONSTRAINT leader_criteria_period_start CHECK (extract(day FROM period_start) = 1),
	CONSTRAINT leader_criteria_range CHECK (dd BETWEEN 0 AND 100 AND e BETWEEN 0 AND 100)
);
CREATE INDEX ON kpi.leader_criteria (period_start);

COMMENT ON TABLE kpi.leader_criteria IS
'a leader''s criteria dd (organising implementation) and e (uniting the staff) for a period (CS10): leader_full (100) or leader_reduced (50); a missing row or a NULL value means leader_full';
COMMENT ON COLUMN kpi.leader_criteria.period_start IS 'the first day of the month or quarter the criteria rate (constraint leader_criteria_period_start)';
COMMENT ON COLUMN kpi.leader_criteria.created_at IS 'when the row was inserted (data quality, DQ4)';
COMMENT ON COLUMN kpi.leader_criteria.updated_at IS 'when the row was last changed, set by the trigger touch_updated_at (data quality, DQ4)';

CREATE TABLE kpi.disciplinary_record (
	record_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	official_id bigint REFERENCES kpi.official,
	unit_id bigint REFERENCES kpi.unit,
	decided_on date NOT NULL,
	kind text NOT NULL CHECK (kind IN ('degradation', 'discipline', 'unit_corruption')),
	form kpi.discipline_form,
	duty_related boolean,
	CONSTRAINT disciplinary_record_subject CHECK ((official_id IS NULL) <> (unit_id IS NULL)),
	CONSTRAINT disciplinary_record_unit_kind CHECK ((kind = 'unit_corruption') = (unit_id IS NOT NULL)),
	CONSTRAINT disciplinary_record_form_in_force CHECK (kpi.discipline_form_valid(form, decided_on))
);
CREATE INDEX ON kpi.disciplinary_record (decided_on);

COMMENT ON TABLE kpi.disciplinary_record IS
'decisions that may disqualify for the year they are dated in (CS14): degradation or discipline of an official; unit_corruption of a unit, which applies to the leaders in charge of it';
COMMENT ON SEQUENCE kpi.disciplinary_record_record_id_seq IS 'identity of kpi.disciplinary_record';
COMMENT ON CONSTRAINT disciplinary_record_form_in_force ON kpi.disciplinary_record IS
'Decree 172/2025/ND-CP: no salary-grade demotion or demotion decided on or after 2025-07-01 (kpi.discipline_form_valid with the default rules); older records keep them';

CREATE TABLE kpi.quota_approval (
	approval_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	year integer NOT NULL,
	unit_id bigint REFERENCES kpi.unit,
	task_group text,
	quota_group text,
	rate numeric NOT NULL CHECK (kpi.quota_kept(0, 0, rate) IS NOT NULL),
	decision text,
	CONSTRAINT quota_approval_target CHECK ((unit_id IS NULL) <> (quota_group IS NULL)),
	CONSTRAINT quota_approval_task_group CHECK (task_group IS NULL OR unit_id IS NOT NULL),
	CONSTRAINT quota_approval_once UNIQUE NULLS NOT DISTINCT (year, unit_id, task_group, quota_group)
);

COMMENT ON TABLE kpi.quota_approval IS
'a higher excellent quota rate approved for a year (CS15: "an authority may approve a higher rate for an outstanding unit"): for a named quota_group, or for a unit''s task_group, or for every task group of a unit (task_group NULL); the most specific row applies, else the rule set''s quota_rate';
COMMENT ON SEQUENCE kpi.quota_approval_approval_id_seq IS 'identity of kpi.quota_approval';
COMMENT ON COLUMN kpi.quota_approval.rate IS 'the approved rate q, 0 to 1, checked by kpi.quota_kept';
COMMENT ON COLUMN kpi.quota_approval.decision IS 'the approving decision (number, date, authority), shown in the ledger';

CREATE TABLE kpi.index_value (
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	year integer NOT NULL,
	code text NOT NULL,
	value numeric NOT NULL,
	PRIMARY KEY (unit_id, year, code),
	CHECK (kpi.index_check(code, value) IS NOT NULL)
);
-- dti and dti_ratio are the same template component
CREATE UNIQUE INDEX index_value_one_dti ON kpi.index_value
	(unit_id, year, (CASE code WHEN 'dti_ratio' THEN 'dti' ELSE code END));

COMMENT ON TABLE kpi.index_value IS
'published index values of an agency for a year (IX1-IX4: par, sipas, pci, dti or dti_ratio), checked by kpi.index_check and used as fractions by scale (kpi.index_fraction)';

CREATE TABLE kpi.agency_input (
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	year integer NOT NULL,
	marks numeric[] NOT NULL,
	dossiers bigint NOT NULL DEFAULT 0,
	dossiers_on_time bigint NOT NULL DEFAULT 0,
	dossiers_online bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (unit_id, year),
	CONSTRAINT agency_input_dossiers CHECK (dossiers_on_time BETWEEN 0 AND dossiers AND dossiers_online BETWEEN 0 AND dossiers)
);

COMMENT ON TABLE kpi.agency_input IS
'an agency''s yearly inputs (AG2-AG3): general-criteria marks and administrative-procedure dossiers (total, settled on time, handled online)';

CREATE TABLE kpi.lawmaking_document (
	doc_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	role text NOT NULL,
	title text,
	due date,
	issued date,
	times_returned integer NOT NULL DEFAULT 0 CHECK (times_returned >= 0),
	obstacles_detected integer NOT NULL DEFAULT 0 CHECK (obstacles_detected >= 0),
	obstacles_resolved integer NOT NULL DEFAULT 0 CHECK (obstacles_resolved >= 0),
	initiatives integer NOT NULL DEFAULT 0 CHECK (initiatives >= 0),
	CHECK (obstacles_resolved <= obstacles_detected),
	-- the role groups of the revised pilot draft (LM5), as kpi.lm_role_score names them
	CONSTRAINT lawmaking_document_role
		CHECK (role IN ('drafting', 'appraisal', 'joint_appraisal', 'government_office', 'poll', 'finalising'))
);
CREATE INDEX ON kpi.lawmaking_document (unit_id, role);

COMMENT ON TABLE kpi.lawmaking_document IS
'law-making documents of a ministry (LM2): its role group (LM5: drafting, appraisal, joint_appraisal, government_office, poll, finalising), due and issue dates, times returned, obstacles, initiatives; summarise with kpi.lawmaking_agg, score with kpi.lawmaking_role_scores';
COMMENT ON SEQUENCE kpi.lawmaking_document_doc_id_seq IS 'identity of kpi.lawmaking_document';

--@ functions

-- Where bad values enter (data quality, rules.md DQ1, DQ4) -----------------------

CREATE OR REPLACE FUNCTION kpi.touch_updated_at()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- created_at is the first insert's; updated_at is the database's clock, not the caller's
	NEW.created_at := OLD.created_at;
	NEW.updated_at := now();
	RETURN NEW;
END
$$;

COMMENT ON FUNCTION kpi.touch_updated_at() IS
'trigger of kpi.task_line, kpi.general_mark and kpi.leader_criteria: an UPDATE keeps created_at and sets updated_at to now() (liveness checks DQ-SONG-*)';

CREATE OR REPLACE FUNCTION kpi.unit_agency()
RETURNS TABLE (unit_id bigint, agency_id bigint)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	-- the agency of a unit is its nearest ancestor-or-self with an agency_kind,
	-- else its root; a cycle stops after 1000 steps (DQ-DUNG-03 reports it)
	WITH RECURSIVE up(start, unit_id, parent_id, agency_kind, depth) AS (
		SELECT u.unit_id, u.unit_id, u.parent_id, u.agency_kind, 0 FROM kpi.unit u
		UNION ALL
		SELECT up.start, p.unit_id, p.parent_id, p.agency_kind, up.depth + 1
		FROM up JOIN kpi.unit p ON p.unit_id OPERATOR(pg_catalog.=) up.parent_id
		WHERE up.agency_kind IS NULL AND up.depth OPERATOR(pg_catalog.<) 1000
	)
	SELECT DISTINCT ON (up.start) up.start, up.unit_id
	FROM up
	ORDER BY up.start, (up.agency_kind IS NOT NULL) DESC, up.depth DESC
$$;

COMMENT ON FUNCTION kpi.unit_agency() IS
'every unit with its agency: the nearest ancestor-or-self with an agency_kind, else the root of its tree (DQ1: a leader''s unit inside their agency)';

CREATE OR REPLACE FUNCTION kpi.official_leads_unit_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_bad text;
	v_n bigint;
BEGIN
	-- set-based over the statement's rows: a COPY of 200,000 officials costs one join
	IF NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.leads_unit IS NOT NULL) THEN
		RETURN NULL;
	END IF;
	WITH ua AS MATERIALIZED (SELECT * FROM kpi.unit_agency()),
	bad AS (
		SELECT n.official_id, n.unit_id, a.agency_id AS own, n.leads_unit, b.agency_id AS other,
		       row_number() OVER (ORDER BY n.official_id) AS rn
		FROM new_rows n
		JOIN ua a ON a.unit_id = n.unit_id
		JOIN ua b ON b.unit_id = n.leads_unit
		WHERE a.agency_id <> b.agency_id
	)
	SELECT count(*), string_agg(format('official %s (unit %s, agency %s) leads unit %s of agency %s',
	                                   bad.official_id, bad.unit_id, bad.own, bad.leads_unit, bad.other),
	                            '; ' ORDER BY bad.official_id) FILTER (WHERE bad.rn <= 20)
	INTO v_n, v_bad
	FROM bad;
	IF v_n > 0 THEN
		RAISE EXCEPTION '% official(s) lead a unit outside their own agency', v_n
			USING ERRCODE = '23514',
			      DETAIL = v_bad || CASE WHEN v_n > 20 THEN format('; and %s more.', v_n - 20) ELSE '.' END,
			      HINT = 'leads_unit is the unit in the leader''s direct charge, inside the agency of their own unit_id (rules.md DQ1).';
	END IF;
	RETURN NULL;
END
$$;

COMMENT ON FUNCTION kpi.official_leads_unit_guard() IS
'statement trigger of kpi.official: refuses rows whose leads_unit is in another agency than their unit_id (23514), naming every such official (DQ1)';
--@ post

CREATE TRIGGER touch_updated_at BEFORE UPDATE ON kpi.task_line
	FOR EACH ROW EXECUTE FUNCTION kpi.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON kpi.general_mark
	FOR EACH ROW EXECUTE FUNCTION kpi.touch_updated_at();
CREATE TRIGGER touch_updated_at BEFORE UPDATE ON kpi.leader_criteria
	FOR EACH ROW EXECUTE FUNCTION kpi.touch_updated_at();
CREATE TRIGGER leads_unit_in_agency_insert AFTER INSERT ON kpi.official
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.official_leads_unit_guard();
CREATE TRIGGER leads_unit_in_agency_update AFTER UPDATE ON kpi.official
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.official_leads_unit_guard();
