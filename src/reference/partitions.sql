--@ functions

-- Year partitions of the results (issue 11, doc/operations-data.md) -----------
--
-- kpi.official_result is partitioned by RANGE (period_start), one partition
-- per calendar year (each result carries its packed ledger, so the ledger
-- needs none of its own: issue 15).  A partition is created, with every
-- guard its parent cannot pass on, by kpi.ensure_year_partitions, which
-- kpi.evaluate calls before it writes: the primary key and indexes (a
-- partition's own, so that pg_dump restores them after the rows: the parent
-- has none), the TRUNCATE guard and the check of the references
-- (result_refs.sql: statement triggers are not inherited), row-level
-- security with the parent's policies (a partition read directly is not
-- subject to the parent's) and a comment.  The row triggers (append_only)
-- are the parent's, cloned by PostgreSQL on every partition, attached or
-- created.

CREATE OR REPLACE FUNCTION kpi.ensure_year_partitions(year integer)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_from date;
	v_to date;
	v_parent text;
	v_name text;
	v_part oid;
	v_created integer := 0;
	v_pol record;
	v_enabled "char";
	v_trigger text;
BEGIN
	IF ensure_year_partitions.year IS NULL THEN
		RAISE EXCEPTION 'year must not be NULL' USING ERRCODE = '22004';
	END IF;
	IF ensure_year_partitions.year OPERATOR(pg_catalog.<) 1900 OR ensure_year_partitions.year OPERATOR(pg_catalog.>) 9998 THEN
		RAISE EXCEPTION 'year % is out of range', ensure_year_partitions.year
			USING ERRCODE = '22023', DETAIL = 'A year partition is made for a year from 1900 to 9998.';
	END IF;
	v_from := make_date(ensure_year_partitions.year, 1, 1);
	v_to := make_date(ensure_year_partitions.year OPERATOR(pg_catalog.+) 1, 1, 1);
	-- nothing to do (every run but a year's first): no lock, so that runs of
	-- the year are not serialised here
	IF (SELECT count(*) FROM pg_class c
	    JOIN pg_inherits i ON i.inhrelid = c.oid
	    JOIN pg_class p ON p.oid = i.inhparent AND p.relnamespace = c.relnamespace
	    WHERE c.relnamespace = 'kpi'::regnamespace AND c.relrowsecurity
	      AND c.relname = p.relname OPERATOR(pg_catalog.||) '_' OPERATOR(pg_catalog.||) ensure_year_partitions.year
	      AND p.relname = 'official_result'
	      AND EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'append_only_truncate')
	      AND EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'result_refs')
	      AND NOT EXISTS (SELECT 1 FROM pg_policy pp WHERE pp.polrelid = p.oid
	                      AND NOT EXISTS (SELECT 1 FROM pg_policy q WHERE q.polrelid = c.oid AND q.polname = pp.polname))) = 1 THEN
		RETURN 0;
	END IF;
	-- one maker at a time per year: a second one waits, then finds the tables
	PERFORM pg_advisory_xact_lock(hashtext('kpi.ensure_year_partitions'), ensure_year_partitions.year);
	FOREACH v_parent IN ARRAY ARRAY['official_result'] LOOP
		v_name := v_parent OPERATOR(pg_catalog.||) '_' OPERATOR(pg_catalog.||) ensure_year_partitions.year;
		SELECT c.oid INTO v_part FROM pg_class c WHERE c.relnamespace = 'kpi'::regnamespace AND c.relname = v_name;
		IF v_part IS NULL THEN
			EXECUTE format('CREATE TABLE kpi.%I PARTITION OF kpi.%I FOR VALUES FROM (%L) TO (%L)',
			               v_name, v_parent, v_from, v_to);
			v_part := format('kpi.%I', v_name)::regclass;
			v_created := v_created OPERATOR(pg_catalog.+) 1;
			-- no foreign keys: the references are checked a statement at a time (result_refs.sql)
			EXECUTE format('ALTER TABLE kpi.%I ADD PRIMARY KEY (run_id, official_id, period_start)', v_name);
			EXECUTE format('CREATE INDEX ON kpi.%I (official_id, period_start)', v_name);
			EXECUTE format('CREATE INDEX ON kpi.%I (unit_id)', v_name);
			EXECUTE format('COMMENT ON TABLE kpi.%I IS %L', v_name,
			               format('the rows of kpi.%s of %s (period_start in [%s, %s)): a year partition made by kpi.ensure_year_partitions; detach it to archive the year (doc/operations-data.md)',
			                      v_parent, ensure_year_partitions.year, v_from, v_to));
		ELSIF NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = v_part
		                    AND i.inhparent = format('kpi.%I', v_parent)::regclass) THEN
			RAISE EXCEPTION 'table kpi.% is not a partition of kpi.%', v_name, v_parent
				USING ERRCODE = '55000',
				      DETAIL = format('A table of that name exists, detached or made by hand; the results of %s cannot be written.', ensure_year_partitions.year),
				      HINT = format('Attach it again (ALTER TABLE kpi.%I ATTACH PARTITION kpi.%I FOR VALUES FROM (%L) TO (%L)), or rename it or move it out of schema kpi (doc/operations-data.md).',
				                    v_parent, v_name, v_from, v_to);
		END IF;
		-- the guards, also on a partition attached by hand; no DDL when they are there.
		-- Statement triggers, which a partition does not inherit: TRUNCATE of the
		-- partition, and an INSERT or COPY into the partition itself
		FOREACH v_trigger IN ARRAY ARRAY['append_only_truncate', 'result_refs'] LOOP
			CONTINUE WHEN EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = v_part AND t.tgname = v_trigger);
			EXECUTE format(CASE v_trigger
			                 WHEN 'append_only_truncate' THEN 'CREATE TRIGGER %I BEFORE TRUNCATE ON kpi.%I'
			                      ' FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change()'
			                 ELSE 'CREATE TRIGGER %I AFTER INSERT ON kpi.%I REFERENCING NEW TABLE AS new_rows'
			                      ' FOR EACH STATEMENT EXECUTE FUNCTION kpi.result_refs_check()' END,
			               v_trigger, v_name);
			-- fired as the parent's is (ENABLE ALWAYS on a subscriber, doc/robustness.md)
			SELECT t.tgenabled INTO v_enabled FROM pg_trigger t
			WHERE t.tgrelid = format('kpi.%I', v_parent)::regclass AND t.tgname = v_trigger;
			IF v_enabled IS DISTINCT FROM 'O' THEN
				EXECUTE format('ALTER TABLE kpi.%I %s TRIGGER %I', v_name,
				               CASE v_enabled WHEN 'A' THEN 'ENABLE ALWAYS' WHEN 'R' THEN 'ENABLE REPLICA' ELSE 'DISABLE' END,
				               v_trigger);
			END IF;
		END LOOP;
		IF NOT (SELECT c.relrowsecurity FROM pg_class c WHERE c.oid = v_part) THEN
			EXECUTE format('ALTER TABLE kpi.%I ENABLE ROW LEVEL SECURITY', v_name);
		END IF;
		FOR v_pol IN
			SELECT p.polname, p.polpermissive, p.polcmd,
			       (SELECT string_agg(CASE WHEN r.r OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' ELSE r.r::regrole::text END, ', ')
			          FROM unnest(p.polroles) r(r)) AS roles,
			       pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS checks
			FROM pg_policy p
			WHERE p.polrelid = format('kpi.%I', v_parent)::regclass
			  AND NOT EXISTS (SELECT 1 FROM pg_policy q WHERE q.polrelid = v_part AND q.polname = p.polname)
			ORDER BY p.polname
		LOOP
			EXECUTE format('CREATE POLICY %I ON kpi.%I AS %s FOR %s TO %s%s%s', v_pol.polname, v_name,
			               CASE WHEN v_pol.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
			               CASE v_pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
			                                 WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
			               v_pol.roles,
			               ' USING (' OPERATOR(pg_catalog.||) v_pol.qual OPERATOR(pg_catalog.||) ')',
			               ' WITH CHECK (' OPERATOR(pg_catalog.||) v_pol.checks OPERATOR(pg_catalog.||) ')');
		END LOOP;
	END LOOP;
	RETURN v_created;
END
$$;

COMMENT ON FUNCTION kpi.ensure_year_partitions(integer) IS
'makes the partition of year (1900-9998) of kpi.official_result (kpi.official_result_<year>, holding the results with their packed ledgers) when it is missing, with its primary key, indexes, comment, TRUNCATE guard and check of the references (result_refs, kpi.result_refs_check; each enabled as the parent''s is), row-level security and the parent''s policies, and adds the guards a partition attached by hand lacks; returns the number of tables made (0 or 1); a table of that name that is not a partition is refused (55000); kpi.evaluate calls it; creating a partition needs the owner of the kpi tables';
