-- pg_temp.err(q): runs the statement q and returns 'ok', or the SQLSTATE,
-- message and detail of its error.  Included (\i) by the regression tests
-- that list error cases; pg_regress runs each test in a session of its own.
CREATE FUNCTION pg_temp.err(q text, OUT code text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	code := 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL;
END $$;
