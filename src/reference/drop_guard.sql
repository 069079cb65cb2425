--@ functions

-- The guard against losing the records (drop_guard.c) ----------------------

CREATE OR REPLACE FUNCTION kpi.reference_drop_guard()
RETURNS event_trigger
AS '$libdir/kpi_eval', 'reference_drop_guard'
LANGUAGE C;

COMMENT ON FUNCTION kpi.reference_drop_guard() IS
'event trigger function: refuses DROP EXTENSION kpi_eval_reference (and DROP EXTENSION kpi_eval CASCADE, DROP SCHEMA kpi, DROP OWNED BY its owner) while any reference table holds rows, and DROP TABLE of an attached year partition of kpi.official_result that holds rows (DETACH PARTITION first: the archive path), unless kpi_eval.allow_drop_with_data is on';

--@ post

CREATE EVENT TRIGGER kpi_reference_drop_guard ON ddl_command_start
	WHEN TAG IN ('DROP EXTENSION', 'DROP SCHEMA', 'DROP OWNED', 'DROP TABLE')
	EXECUTE FUNCTION kpi.reference_drop_guard();

COMMENT ON EVENT TRIGGER kpi_reference_drop_guard IS
'keeps a DROP from deleting the reference schema''s records by accident (see kpi.reference_drop_guard), also a DROP TABLE of a year partition of the results';
