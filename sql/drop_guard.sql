--
-- The two extensions and the drop guard (kpi.reference_drop_guard, the event
-- trigger kpi_reference_drop_guard): the library holds no data and can be
-- dropped; the reference schema requires it and refuses to be dropped, by
-- any of the DROPs that would reach it, while its tables hold records,
-- unless the session sets kpi_eval.allow_drop_with_data.
--
\set SHOW_CONTEXT never
\set VERBOSITY default

-- the library alone: no tables, no procedures, no event trigger
SELECT extname, extversion, extrelocatable FROM pg_extension WHERE extname LIKE 'kpi%' ORDER BY 1;
SELECT count(*) AS tables FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'kpi' AND c.relkind IN ('r', 'p', 'v');
SELECT count(*) AS procedures FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'kpi' AND p.prokind = 'p';
-- and it can be dropped and created again: it holds nothing
DROP EXTENSION kpi_eval;
CREATE EXTENSION kpi_eval;

-- the reference schema requires the library
CREATE EXTENSION kpi_eval_reference;
SELECT e.extname, e.extversion, r.extname AS requires
FROM pg_extension e
LEFT JOIN pg_depend d ON d.classid = 'pg_extension'::regclass AND d.objid = e.oid
                      AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'n'
LEFT JOIN pg_extension r ON r.oid = d.refobjid
WHERE e.extname LIKE 'kpi%' ORDER BY 1;
DROP EXTENSION kpi_eval;
SELECT evtname, evtevent, evttags FROM pg_event_trigger;

-- empty (the seeded Decree 335 rule set is not a record): the drop goes through
DROP EXTENSION kpi_eval_reference;
SELECT to_regclass('kpi.unit') AS unit_table;
CREATE EXTENSION kpi_eval_reference;

-- one unit, one official, one draft rule set: every DROP that would reach
-- the tables is refused (2BP01), and nothing is dropped
INSERT INTO kpi.unit (unit_id, parent_id, name) VALUES (1, NULL, 'Sở Nội vụ');
INSERT INTO kpi.official (official_id, unit_id, full_name) VALUES (1, 1, 'Nguyễn Văn A');
INSERT INTO kpi.rule_set (name, effective, rules, is_draft) VALUES ('Dự thảo', '[2026-01-01,)', '{}', true);
DROP EXTENSION kpi_eval_reference;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DROP EXTENSION IF EXISTS kpi_eval_reference, kpi_eval CASCADE;
DROP EXTENSION kpi_eval CASCADE;
DROP SCHEMA kpi CASCADE;
BEGIN;
DROP OWNED BY CURRENT_USER;
ROLLBACK;
SELECT count(*) AS units, (SELECT count(*) FROM kpi.official) AS officials FROM kpi.unit;
-- a DROP that does not reach the reference schema is not in its way
CREATE SCHEMA scratch;
DROP SCHEMA scratch;
CREATE TEMP TABLE t (x int);
DROP TABLE t;

-- the override is for the session that sets it; the drop warns and goes through
SET kpi_eval.allow_drop_with_data = on;
DROP EXTENSION kpi_eval_reference;
RESET kpi_eval.allow_drop_with_data;
SELECT to_regclass('kpi.unit') AS unit_table, to_regclass('kpi.official') AS official_table;
SELECT count(*) AS event_triggers FROM pg_event_trigger;

-- DROP SCHEMA kpi CASCADE with the override drops both extensions
CREATE EXTENSION kpi_eval_reference;
INSERT INTO kpi.unit (unit_id, parent_id, name) VALUES (1, NULL, 'Sở Nội vụ');
BEGIN;
SET LOCAL kpi_eval.allow_drop_with_data = on;
SET LOCAL client_min_messages = error;
DROP SCHEMA kpi CASCADE;
SELECT count(*) AS kpi_extensions FROM pg_extension WHERE extname LIKE 'kpi%';
ROLLBACK;
SELECT count(*) AS units FROM kpi.unit;

-- the guard is an event trigger function, not for calling directly
SELECT kpi.reference_drop_guard();
SHOW kpi_eval.allow_drop_with_data;
SET kpi_eval.allow_drop_with_data = 'maybe';
SET kpi_eval.no_such_setting = 1;

-- leave the library alone for the tests that follow
SET kpi_eval.allow_drop_with_data = on;
SET client_min_messages = error;
DROP EXTENSION kpi_eval_reference;
RESET client_min_messages;
RESET kpi_eval.allow_drop_with_data;
