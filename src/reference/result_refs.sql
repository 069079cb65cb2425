--@ functions

-- The results' references (issue 15, doc/operations-data.md) -------------------
--
-- A result names its run (kpi.evaluation_run), its official (kpi.official)
-- and their unit (kpi.unit).  The year partitions of kpi.official_result
-- have no foreign keys for them: a foreign key checks each inserted row by a
-- query of its own, three a result, a fifth of a month's run.  The same
-- guarantees are kept by three triggers:
--   result_refs (kpi.result_refs_check, C) after every INSERT or COPY into
--     the results or one of their partitions: every key the new rows name
--     exists, and its row is locked FOR KEY SHARE, as a foreign key's check
--     locks it (one query a table for the statement's distinct keys);
--   result_refs (kpi.result_refs_guard, C) after a DELETE of an official or
--     a unit, or a change of its key, refused while a result names it;
--   result_refs_truncate on kpi.official and kpi.unit: TRUNCATE refused
--     while results exist (a TRUNCATE fires no row trigger).
-- Runs are append-only (runs.sql), so the run side needs no guard.

CREATE OR REPLACE FUNCTION kpi.result_refs_check()
RETURNS trigger
AS '$libdir/kpi_eval', 'result_refs_check'
LANGUAGE C;

COMMENT ON FUNCTION kpi.result_refs_check() IS
'the result_refs trigger of kpi.official_result and each of its year partitions, AFTER INSERT FOR EACH STATEMENT with the new rows as transition table: every run_id, official_id and unit_id of the new rows names an existing kpi.evaluation_run, kpi.official and kpi.unit, whose rows it locks FOR KEY SHARE (as a foreign key''s check does), as the owner of the results; else 23503, naming the first 10 keys missing (in C, src/result_refs.c)';

CREATE OR REPLACE FUNCTION kpi.result_refs_guard()
RETURNS trigger
AS '$libdir/kpi_eval', 'result_refs_guard'
LANGUAGE C;

COMMENT ON FUNCTION kpi.result_refs_guard() IS
'the result_refs trigger of kpi.official (argument official_id) and kpi.unit (unit_id), AFTER DELETE OR UPDATE FOR EACH ROW: refuses (23503) deleting the row, or changing its key, while a result of kpi.official_result names it; reads the results with the latest snapshot and as their owner (in C, src/result_refs.c)';

CREATE OR REPLACE FUNCTION kpi.result_refs_truncate()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM kpi.official_result) THEN
		RAISE EXCEPTION 'cannot truncate a table the results refer to'
			USING ERRCODE = '0A000',
			      DETAIL = format('Table "official_result" refers to "%s" (trigger result_refs).', TG_TABLE_NAME),
			      HINT = 'Results are append-only: archive a year by detaching its partition (doc/operations-data.md).';
	END IF;
	RETURN NULL;
END
$$;

COMMENT ON FUNCTION kpi.result_refs_truncate() IS
'the result_refs_truncate trigger of kpi.official and kpi.unit, BEFORE TRUNCATE: refused (0A000) while kpi.official_result holds a row, which a TRUNCATE, firing no row trigger, would leave naming nothing';
--@ post

CREATE TRIGGER result_refs AFTER INSERT ON kpi.official_result
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.result_refs_check();
CREATE TRIGGER result_refs AFTER DELETE OR UPDATE OF official_id ON kpi.official
	FOR EACH ROW EXECUTE FUNCTION kpi.result_refs_guard('official_id');
CREATE TRIGGER result_refs AFTER DELETE OR UPDATE OF unit_id ON kpi.unit
	FOR EACH ROW EXECUTE FUNCTION kpi.result_refs_guard('unit_id');
CREATE TRIGGER result_refs_truncate BEFORE TRUNCATE ON kpi.official
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.result_refs_truncate();
CREATE TRIGGER result_refs_truncate BEFORE TRUNCATE ON kpi.unit
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.result_refs_truncate();
