--@ functions

-- Row-level security -----------------------------------------------------------
--
-- A unit's reporting_role (and every role that is a member of it) sees the
-- rows of the unit's subtree in the input and result tables and in the
-- views; nothing else.  The owner of the tables (the role that created the
-- extension) and superusers are not subject to it, nor are roles with
-- BYPASSRLS.  Privileges are the DBA's: grant SELECT to reporting roles (see
-- the README); the append-only triggers refuse UPDATE, DELETE and TRUNCATE of
-- results whatever the privileges.

-- The subtree, computed with the rights of the view's owner (it reads every
-- kpi.unit row, past the policies, like a SECURITY DEFINER function would);
-- pg_has_role checks the role running the query.
CREATE OR REPLACE VIEW kpi.visible_unit WITH (security_barrier) AS
WITH RECURSIVE v AS (
	SELECT u.unit_id
	FROM kpi.unit u
	JOIN pg_catalog.pg_roles r ON r.rolname = u.reporting_role
	WHERE pg_catalog.pg_has_role(r.oid, 'MEMBER')
	UNION
	SELECT c.unit_id
	FROM kpi.unit c
	JOIN v ON c.parent_id = v.unit_id
)
SELECT v.unit_id FROM v;
--@ post

GRANT SELECT ON kpi.visible_unit TO PUBLIC;
CREATE TRIGGER append_only INSTEAD OF INSERT OR UPDATE OR DELETE ON kpi.ledger
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
GRANT SELECT ON kpi.visible_quota_group TO PUBLIC;
--@ functions

-- The named quota groups of each run whose every member is in the current
-- role's subtree (read with the owner's rights, like kpi.visible_unit): the
-- CS15 ledger rows of the other groups count officials of other units.
CREATE OR REPLACE VIEW kpi.visible_quota_group WITH (security_barrier) AS
SELECT r.run_id, r.quota_group
FROM kpi.official_result r
WHERE r.quota_group IS NOT NULL
GROUP BY r.run_id, r.quota_group
HAVING bool_and(r.unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

COMMENT ON VIEW kpi.visible_quota_group IS
'per run, the named quota groups (kpi.official_result.quota_group) whose every member belongs to a unit the current role reports on (kpi.visible_unit): the groups whose CS15 ledger rows it may read; read with the rights of its owner';

-- The explanation ledger, one row per cause (issue 15): the packed ledgers of
-- the results (kpi.official_result.ledger, kpi.ledger_pack) unpacked.  With
-- the caller's rights (security_invoker), so a role reads the ledgers of the
-- results it may read (their unit_subtree policy); a CS15 row of a named
-- quota group counts its members: only for roles that see them all (the
-- roles under row-level security; the owner and BYPASSRLS roles read every
-- row, as they read every result).  Not updatable: the INSTEAD OF trigger
-- append_only refuses INSERT, UPDATE and DELETE as on the result tables.
CREATE OR REPLACE VIEW kpi.ledger WITH (security_invoker = true) AS
SELECT r.run_id, r.official_id, r.unit_id, l.line_no::integer AS line_no, l.rule_id, l.source_table,
       l.source_id, l.points_lost, l.detail, r.period_start
FROM kpi.official_result r
CROSS JOIN LATERAL kpi.ledger_unpack(r.ledger) WITH ORDINALITY
     AS l(rule_id, source_table, source_id, points_lost, detail, line_no)
WHERE l.rule_id OPERATOR(pg_catalog.<>) 'CS15' OR (l.detail OPERATOR(pg_catalog.->>) 'quota_group') IS NULL
   OR NOT (SELECT pg_catalog.row_security_active('kpi.official_result'::pg_catalog.regclass))
   OR (r.run_id, l.detail OPERATOR(pg_catalog.->>) 'quota_group') IN (SELECT g.run_id, g.quota_group FROM kpi.visible_quota_group g);

COMMENT ON VIEW kpi.ledger IS
'explanation ledger: the points an official lost in a run, one row per cause with its rule id and source row, adding up exactly to 100 - score (an N0.3 row takes the rounding); detail keeps the facts used, for kpi.explain; the packed ledgers of kpi.official_result (column ledger) unpacked, read with the caller''s rights (the results'' row-level security applies; a CS15 row of a named quota group only for roles that see all its members); not updatable: the ledger is written with its result by kpi.evaluate';
COMMENT ON COLUMN kpi.ledger.unit_id IS 'the unit_id of the result the row explains';
COMMENT ON COLUMN kpi.ledger.line_no IS 'the position of the row in its result''s ledger, from 1';
COMMENT ON COLUMN kpi.ledger.period_start IS 'the period_start of the result the row explains';

-- The check of a new or changed official's quota group: its other members
-- must be in the caller's subtree.  It reads kpi.official past the policies,
-- so it is SECURITY DEFINER, and it works out the caller's subtree itself,
-- for the role of the session (SET ROLE, else the session user: inside the
-- function current_user is its owner), so that no caller can ask about any
-- other set of units; it answers one boolean (doc/security.md).
CREATE OR REPLACE FUNCTION kpi.quota_group_within(quota_group text)
RETURNS boolean
LANGUAGE sql STABLE STRICT SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	WITH RECURSIVE caller AS (
		SELECT r.oid
		FROM pg_catalog.pg_roles r
		WHERE r.rolname = CASE WHEN pg_catalog.current_setting('role') = 'none' THEN session_user::text
		                       ELSE pg_catalog.current_setting('role') END
	), v AS (
		SELECT u.unit_id
		FROM kpi.unit u
		JOIN pg_catalog.pg_roles r ON r.rolname = u.reporting_role
		CROSS JOIN caller c
		WHERE pg_catalog.pg_has_role(c.oid, r.oid, 'MEMBER')
		UNION
		SELECT ch.unit_id
		FROM kpi.unit ch
		JOIN v ON ch.parent_id = v.unit_id
	)
	SELECT NOT EXISTS (SELECT 1 FROM kpi.official o
	                   WHERE o.quota_group = quota_group_within.quota_group
	                     AND o.unit_id NOT IN (SELECT v.unit_id FROM v))
$$;

COMMENT ON FUNCTION kpi.quota_group_within(text) IS
'true when every official of the named quota group belongs to a unit the role of the session reports on (a group nobody is in yet, too): the row-level security check that a unit''s role puts its officials only into groups within its subtree; it answers only for the caller''s own subtree';

COMMENT ON VIEW kpi.visible_unit IS
'the units the current role reports on: every unit whose reporting_role it is a member of, and their subtrees (used by the row-level security policies; read with the rights of its owner)';
--@ post

ALTER TABLE kpi.unit ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.unit FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.official ENABLE ROW LEVEL SECURITY;
-- every column that names a unit or a group stays in the caller's subtree
CREATE POLICY unit_subtree ON kpi.official
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v))
	WITH CHECK (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v)
	            AND (leads_unit IS NULL OR leads_unit IN (SELECT v.unit_id FROM kpi.visible_unit v))
	            AND (quota_group IS NULL
	                 OR kpi.quota_group_within(quota_group)));

ALTER TABLE kpi.task_line ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.task_line
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v)
	       OR official_id IN (SELECT o.official_id FROM kpi.official o
	                          JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));

ALTER TABLE kpi.general_mark ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.general_mark
	USING (official_id IN (SELECT o.official_id FROM kpi.official o
	                       JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));

ALTER TABLE kpi.leader_criteria ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.leader_criteria
	USING (official_id IN (SELECT o.official_id FROM kpi.official o
	                       JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));

ALTER TABLE kpi.disciplinary_record ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.disciplinary_record
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v)
	       OR official_id IN (SELECT o.official_id FROM kpi.official o
	                          JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));

-- a unit's quota rate is approved by the competent authority above it (CS15):
-- a role reads the approvals of its subtree, and writes only those of units
-- whose parent it reports on, never its own unit's (nor a root's, nor a named
-- group's: those are the owner's)
ALTER TABLE kpi.quota_approval ENABLE ROW LEVEL SECURITY;
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

ALTER TABLE kpi.index_value ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.index_value
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.agency_input ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.agency_input
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.lawmaking_document ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.lawmaking_document
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.lawmaking_impact ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.lawmaking_impact
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

-- results: read only (the append-only triggers refuse the rest anyway)
ALTER TABLE kpi.official_result ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.official_result FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.agency_result ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.agency_result FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

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

ALTER TABLE kpi.agency_ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.agency_ledger FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

-- the problems kpi.check_inputs recorded (data_quality.sql) name units: a
-- role reads those of its subtree; those that name no unit are the owner's
ALTER TABLE kpi.input_problem ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.input_problem FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
