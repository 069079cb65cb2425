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
--@ functions

COMMENT ON VIEW kpi.visible_unit IS
'the units the current role reports on: every unit whose reporting_role it is a member of, and their subtrees (used by the row-level security policies; read with the rights of its owner)';
--@ post

ALTER TABLE kpi.unit ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.unit FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.official ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.official
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

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

ALTER TABLE kpi.quota_approval ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.quota_approval
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.index_value ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.index_value
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.agency_input ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.agency_input
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.lawmaking_document ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.lawmaking_document
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

-- results: read only (the append-only triggers refuse the rest anyway)
ALTER TABLE kpi.official_result ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.official_result FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.agency_result ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.agency_result FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.ledger FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.agency_ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.agency_ledger FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
