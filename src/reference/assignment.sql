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
	-- days, ties to the later one; an official whose assignments all lie
	-- outside the period gets the one starting last, with 0 days; an official
	-- without assignments is in their kpi.official unit on every day.
	-- Only the assignments and leave overlapping the period are read (the
	-- GiST indexes on valid), and the history of the others only for the
	-- officials with no assignment in the period (the index on official_id,
	-- lower(valid)).  An official's assignments do not overlap, nor do their
	-- leaves, so the days add up without multiranges, and the joins are index
	-- probes or hashes: the period's rows are estimated blind (parameters).
	WITH p AS (
		SELECT daterange(period_assignment.period_start, period_assignment.period_end, '[]') AS r
	),
	a AS (	-- the assignments overlapping the period, with their days in it
		SELECT a.official_id, a.unit_id, a.task_group, a.is_leader, a.leads_unit, a.assignment_id,
		       coalesce(least(upper(a.valid), upper(p.r)) - greatest(lower(a.valid), lower(p.r)), 0) AS days,
		       lower(a.valid) AS since
		FROM p JOIN kpi.assignment a ON a.valid OPERATOR(pg_catalog.&&) p.r
	),
	l AS (	-- the leave overlapping the period, cut to it
		SELECT l.official_id, l.valid OPERATOR(pg_catalog.*) p.r AS r
		FROM p JOIN kpi.leave l ON l.valid OPERATOR(pg_catalog.&&) p.r
	),
	s AS (	-- one sort: an official's assignments by days, then their leave days within them
		SELECT x.*,
		       sum(x.days) OVER (PARTITION BY x.official_id) AS days_assigned,
		       sum(x.off) OVER (PARTITION BY x.official_id) AS days_off,
		       row_number() OVER (PARTITION BY x.official_id
		                          ORDER BY x.kind, x.days DESC, x.since DESC NULLS LAST) AS n
		FROM (SELECT 0 AS kind, a.*, 0 AS off FROM a
		      UNION ALL
		      SELECT 1, l.official_id, NULL, NULL, NULL, NULL, NULL, 0, NULL,
		             least(upper(y.valid), upper(l.r)) - greatest(lower(y.valid), lower(l.r))
		      FROM l JOIN kpi.assignment y
		        ON y.official_id = l.official_id AND y.valid OPERATOR(pg_catalog.&&) l.r) x
	)
	SELECT s.official_id, s.unit_id, s.task_group, s.is_leader, s.leads_unit, s.assignment_id,
	       s.days_assigned::integer, (s.days_assigned - s.days_off)::integer
	FROM s
	WHERE s.n = 1
	UNION ALL
	-- no assignment in the period: the one starting last with 0 days, else kpi.official
	SELECT o.official_id,
	       CASE WHEN h.assignment_id IS NULL THEN o.unit_id ELSE h.unit_id END,
	       CASE WHEN h.assignment_id IS NULL THEN o.task_group ELSE h.task_group END,
	       CASE WHEN h.assignment_id IS NULL THEN o.is_leader ELSE h.is_leader END,
	       CASE WHEN h.assignment_id IS NULL THEN o.leads_unit ELSE h.leads_unit END,
	       h.assignment_id,
	       CASE WHEN h.assignment_id IS NULL THEN upper(p.r) - lower(p.r) ELSE 0 END,
	       CASE WHEN h.assignment_id IS NULL THEN upper(p.r) - lower(p.r) - coalesce(lo.days, 0)::integer ELSE 0 END
	FROM p
	CROSS JOIN kpi.official o
	LEFT JOIN LATERAL (SELECT h.unit_id, h.task_group, h.is_leader, h.leads_unit, h.assignment_id
	                   FROM kpi.assignment h
	                   WHERE h.official_id = o.official_id
	                   ORDER BY lower(h.valid) DESC NULLS LAST
	                   LIMIT 1) h ON true
	LEFT JOIN (SELECT l.official_id, sum(upper(l.r) - lower(l.r)) AS days FROM l GROUP BY l.official_id) lo
	       ON lo.official_id = o.official_id
	WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.official_id = o.official_id)
$$;

COMMENT ON FUNCTION kpi.period_assignment(date, date) IS
'every official''s assignment for the days period_start to period_end (CY4, CY7): the kpi.assignment covering most of them, ties to the later one (an official with assignments none of which covers the period gets the one starting last, with 0 days), or their kpi.official columns when they have no assignment; the days assigned in the period and the days worked (assigned, less kpi.leave)';

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
