--@ schema

-- Assignment history and leave (issue 13 point 4, rules.md CY4) ------------------
--
-- Decree 335/2025/ND-CP Art. 21: a civil servant who moved is rated by the new
-- agency from the old agency's period results, and one absent on leave is
-- rated on the periods actually worked.  kpi.assignment records where an
-- official worked and when; kpi.leave the days they were away.  A period is
-- scored in the unit of the assignment covering most of its days (doc/cycle.md).

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
	-- no two assignments of an official overlap: int8range(id, id, '[]') && is
	-- equality of ids, so no btree_gist is needed
	CONSTRAINT assignment_no_overlap EXCLUDE USING gist
		(int8range(official_id, official_id, '[]') WITH &&, valid WITH &&)
);
CREATE INDEX ON kpi.assignment (unit_id);

COMMENT ON TABLE kpi.assignment IS
'where an official worked and when (CY4, Decree 335 Art. 21): unit, task group, leader role and the unit in their charge over the dates valid; no two assignments of an official overlap (constraint assignment_no_overlap); the open assignment (no upper bound) is the official''s current one and kpi.official mirrors it; an official with no assignment is in their kpi.official unit for every period';
COMMENT ON SEQUENCE kpi.assignment_assignment_id_seq IS 'identity of kpi.assignment';
COMMENT ON COLUMN kpi.assignment.valid IS 'the days of the assignment, [first day, day after the last) (daterange(''2026-01-01'', ''2026-07-01'') is January to June); no upper bound: still in force; no lower bound: since before the records (the upgrade from 0.1.0 writes each official''s unit so)';
COMMENT ON COLUMN kpi.assignment.leads_unit IS 'for a leader, the unit in their direct charge during the assignment (as kpi.official.leads_unit)';
COMMENT ON CONSTRAINT assignment_no_overlap ON kpi.assignment IS
'an official is in one assignment on any day (an exclusion constraint, safe under concurrent writes)';

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

COMMENT ON TABLE kpi.leave IS
'days an official did not work (CY4): maternity, sick, study, unpaid or other leave, over the dates valid; the days of a period minus these are the days worked, and a period with fewer than the rule value min_days_worked is not rated';
COMMENT ON SEQUENCE kpi.leave_leave_id_seq IS 'identity of kpi.leave';
COMMENT ON COLUMN kpi.leave.valid IS 'the days of leave, [first day, day after the last), bounded';

SELECT pg_catalog.pg_extension_config_dump('kpi.assignment', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.assignment_assignment_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.leave', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.leave_leave_id_seq', '');

--@ functions

CREATE OR REPLACE FUNCTION kpi.period_assignment(period_start date, period_end date)
RETURNS TABLE (official_id bigint, unit_id bigint, task_group text, is_leader boolean, leads_unit bigint,
               assignment_id bigint, days_assigned integer, days_worked integer)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	-- each official's assignment for the period: the one covering most of its
	-- days, ties to the later one; an official without assignments is in their
	-- kpi.official unit on every day
	WITH p AS (
		SELECT daterange(period_assignment.period_start, period_assignment.period_end, '[]') AS r
	),
	a AS (
		SELECT a.official_id, a.unit_id, a.task_group, a.is_leader, a.leads_unit, a.assignment_id,
		       a.valid OPERATOR(pg_catalog.*) p.r AS r, a.valid
		FROM kpi.assignment a CROSS JOIN p
	),
	mine AS (
		SELECT DISTINCT ON (a.official_id) a.official_id, a.unit_id, a.task_group, a.is_leader, a.leads_unit,
		       a.assignment_id,
		       sum(coalesce(upper(a.r) - lower(a.r), 0)) OVER (PARTITION BY a.official_id) AS days_assigned,
		       range_agg(a.r) OVER (PARTITION BY a.official_id) AS worked
		FROM a
		ORDER BY a.official_id, coalesce(upper(a.r) - lower(a.r), 0) DESC, lower(a.valid) DESC NULLS LAST
	),
	roster AS (
		SELECT m.official_id, m.unit_id, m.task_group, m.is_leader, m.leads_unit, m.assignment_id,
		       m.days_assigned::integer AS days_assigned, m.worked
		FROM mine m
		UNION ALL
		SELECT o.official_id, o.unit_id, o.task_group, o.is_leader, o.leads_unit, NULL::bigint,
		       upper(p.r) - lower(p.r), datemultirange(p.r)
		FROM kpi.official o CROSS JOIN p
		WHERE NOT EXISTS (SELECT 1 FROM kpi.assignment x WHERE x.official_id = o.official_id)
	),
	away AS (	-- the leave days within the days assigned
		SELECT l.official_id, range_agg(l.valid OPERATOR(pg_catalog.*) p.r) AS off
		FROM kpi.leave l CROSS JOIN p
		WHERE l.valid OPERATOR(pg_catalog.&&) p.r
		GROUP BY l.official_id
	)
	SELECT r.official_id, r.unit_id, r.task_group, r.is_leader, r.leads_unit, r.assignment_id, r.days_assigned,
	       r.days_assigned - coalesce((SELECT sum(upper(x) - lower(x))::integer
	                                   FROM unnest(r.worked OPERATOR(pg_catalog.*) w.off) AS x), 0)
	FROM roster r
	LEFT JOIN away w ON w.official_id = r.official_id
$$;

COMMENT ON FUNCTION kpi.period_assignment(date, date) IS
'every official''s assignment for the days period_start to period_end (CY4, CY7): the kpi.assignment covering most of them, ties to the later one (an official with assignments none of which covers the period gets their nearest-by-days one, with 0 days), or their kpi.official columns when they have no assignment; the days assigned in the period and the days worked (assigned, less kpi.leave)';

CREATE OR REPLACE FUNCTION kpi.assignment_on(official_id bigint, day date)
RETURNS TABLE (unit_id bigint, task_group text, is_leader boolean, leads_unit bigint, assignment_id bigint)
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
	-- the assignment covering the day, else the official's kpi.official columns
	SELECT x.unit_id, x.task_group, x.is_leader, x.leads_unit, x.assignment_id
	FROM (SELECT a.unit_id, a.task_group, a.is_leader, a.leads_unit, a.assignment_id, 1 AS o
	      FROM kpi.assignment a
	      WHERE a.official_id = assignment_on.official_id AND a.valid OPERATOR(pg_catalog.@>) assignment_on.day
	      UNION ALL
	      SELECT o.unit_id, o.task_group, o.is_leader, o.leads_unit, NULL, 2
	      FROM kpi.official o WHERE o.official_id = assignment_on.official_id) x
	ORDER BY x.o LIMIT 1
$$;

COMMENT ON FUNCTION kpi.assignment_on(bigint, date) IS
'an official''s unit, task group, leader role and unit in charge on a day (CY4): the kpi.assignment covering it, else their kpi.official columns; no row for an unknown official';

CREATE OR REPLACE FUNCTION kpi.assignment_mirror()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	-- kpi.official holds the open assignment; each side copies to the other only
	-- what differs, so the pair of triggers stops after one round
	IF TG_TABLE_NAME = 'assignment' THEN
		IF upper_inf(NEW.valid) THEN
			UPDATE kpi.official o
			SET unit_id = NEW.unit_id, task_group = NEW.task_group, is_leader = NEW.is_leader,
			    leads_unit = NEW.leads_unit
			WHERE o.official_id = NEW.official_id
			  AND (o.unit_id, o.task_group, o.is_leader, o.leads_unit)
			      IS DISTINCT FROM (NEW.unit_id, NEW.task_group, NEW.is_leader, NEW.leads_unit);
		END IF;
	ELSE
		UPDATE kpi.assignment a
		SET unit_id = NEW.unit_id, task_group = NEW.task_group, is_leader = NEW.is_leader,
		    leads_unit = NEW.leads_unit
		WHERE a.official_id = NEW.official_id AND upper_inf(a.valid)
		  AND (a.unit_id, a.task_group, a.is_leader, a.leads_unit)
		      IS DISTINCT FROM (NEW.unit_id, NEW.task_group, NEW.is_leader, NEW.leads_unit);
	END IF;
	RETURN NULL;
END
$$;

COMMENT ON FUNCTION kpi.assignment_mirror() IS
'trigger of kpi.assignment and kpi.official: an open assignment (no upper bound) written sets the official''s unit_id, task_group, is_leader and leads_unit, and those columns changed on kpi.official change the open assignment (as before 0.2.0, a change of kpi.official moves the official for every period); runs with the owner''s rights, touching only the official''s own rows';
--@ post

CREATE TRIGGER mirror_official AFTER INSERT OR UPDATE ON kpi.assignment
	FOR EACH ROW EXECUTE FUNCTION kpi.assignment_mirror();
CREATE TRIGGER mirror_assignment AFTER UPDATE OF unit_id, task_group, is_leader, leads_unit ON kpi.official
	FOR EACH ROW EXECUTE FUNCTION kpi.assignment_mirror();

-- row-level security like the other input tables (rls.sql): the official's unit
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
