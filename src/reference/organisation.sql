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
	quota_group text
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
	CONSTRAINT task_line_one_owner CHECK ((official_id IS NULL) <> (unit_id IS NULL))
);
CREATE INDEX ON kpi.task_line (official_id, due);
CREATE INDEX ON kpi.task_line (unit_id, due) WHERE unit_id IS NOT NULL;
CREATE INDEX ON kpi.task_line (due);

COMMENT ON TABLE kpi.task_line IS
'task lines (CS4) of an official, or of an agency''s own work plan (unit_id, AG3); a line belongs to the period its due date falls in (CS2); values are checked by kpi.tally_agg when evaluated';
COMMENT ON SEQUENCE kpi.task_line_task_id_seq IS 'identity of kpi.task_line';
COMMENT ON COLUMN kpi.task_line.late_events IS 'missed deadlines, excluding those certified as objective (CS7); kpi.late_events(due, done) gives 0 or 1';

CREATE TABLE kpi.general_mark (
	official_id bigint NOT NULL REFERENCES kpi.official,
	period_start date NOT NULL,
	marks numeric[] NOT NULL CHECK (kpi.general_points(marks) IS NOT NULL),
	PRIMARY KEY (official_id, period_start)
);
CREATE INDEX ON kpi.general_mark (period_start);

COMMENT ON TABLE kpi.general_mark IS
'the marks of the general-criteria form (CS3) of an official for the period starting period_start (a month, or a quarter when quarters are evaluated)';

CREATE TABLE kpi.leader_criteria (
	official_id bigint NOT NULL REFERENCES kpi.official,
	period_start date NOT NULL,
	dd numeric,
	e numeric,
	PRIMARY KEY (official_id, period_start)
);
CREATE INDEX ON kpi.leader_criteria (period_start);

COMMENT ON TABLE kpi.leader_criteria IS
'a leader''s criteria dd (organising implementation) and e (uniting the staff) for a period (CS10): leader_full (100) or leader_reduced (50); a missing row or a NULL value means leader_full';

CREATE TABLE kpi.disciplinary_record (
	record_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	official_id bigint REFERENCES kpi.official,
	unit_id bigint REFERENCES kpi.unit,
	decided_on date NOT NULL,
	kind text NOT NULL CHECK (kind IN ('degradation', 'discipline', 'unit_corruption')),
	form kpi.discipline_form,
	duty_related boolean,
	CONSTRAINT disciplinary_record_subject CHECK ((official_id IS NULL) <> (unit_id IS NULL)),
	CONSTRAINT disciplinary_record_unit_kind CHECK ((kind = 'unit_corruption') = (unit_id IS NOT NULL))
);
CREATE INDEX ON kpi.disciplinary_record (decided_on);

COMMENT ON TABLE kpi.disciplinary_record IS
'decisions that may disqualify for the year they are dated in (CS14): degradation or discipline of an official; unit_corruption of a unit, which applies to the leaders in charge of it';
COMMENT ON SEQUENCE kpi.disciplinary_record_record_id_seq IS 'identity of kpi.disciplinary_record';

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
	PRIMARY KEY (unit_id, year)
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
	CHECK (obstacles_resolved <= obstacles_detected)
);
CREATE INDEX ON kpi.lawmaking_document (unit_id, role);

COMMENT ON TABLE kpi.lawmaking_document IS
'law-making documents of a ministry (LM2): its role (drafting, appraisal, ...), due and issue dates, times returned, obstacles, initiatives; summarise with kpi.lawmaking_agg';
COMMENT ON SEQUENCE kpi.lawmaking_document_doc_id_seq IS 'identity of kpi.lawmaking_document';
