--@ functions

-- Seals of the runs (doc/security.md) ------------------------------------------
--
-- The append-only triggers stop every role but the owner of the tables and
-- superusers, who can bypass triggers (session_replication_role = replica,
-- ALTER TABLE ... DISABLE TRIGGER).  The seals make such a change visible:
-- kpi.evaluate writes, in the run's own transaction, a sha256 of everything
-- the run wrote, chained to the previous seal; kpi.verify_run recomputes it.
-- The canonical text of the rows is fixed here (version 1): every column
-- listed by name, as jsonb text, under fixed date and time zone settings.

CREATE OR REPLACE FUNCTION kpi.seal_array_text(VARIADIC "any")
RETURNS text
AS '$libdir/kpi_eval', 'seal_array_text'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.seal_array_text("any") IS
'jsonb_build_array(...)::text of its arguments, printed in C without building the jsonb (src/seal_text.c), byte for byte the same: integers and numerics as JSON numbers (NaN and the infinities as strings), booleans, dates as ISO strings, text as JSON strings, NULL as null; another type is refused (42804); the run seals (version 1) print every result row with it';

CREATE OR REPLACE FUNCTION kpi.run_results_digest(run_id bigint)
RETURNS text
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, YMD'
SET IntervalStyle = 'postgres'
AS $$
	-- one sha256 per official (result and ledger) and per agency, then one over them all
	SELECT encode(sha256(convert_to(concat_ws(E'\n',
		'kpi.run_results_digest v1',
		(SELECT string_agg(x.official_id || ' ' || encode(sha256(convert_to(x.t, 'UTF8')), 'hex'), E'\n'
		                   ORDER BY x.official_id)
		 FROM (SELECT r.official_id,
		              -- jsonb_build_array(...)::text, printed in C (kpi.seal_array_text)
		              kpi.seal_array_text(r.official_id, r.unit_id, r.task_group, r.is_leader, r.period_start,
		                                  r.period_kind, r.general_points, r.quantity_pct, r.quality_pct,
		                                  r.progress_pct, r.task_pct, r.task_points, r.d, r.dd, r.e, r.score,
		                                  r.tier::text, r.disqualified, r.quota_tier::text, r.quota_tie,
		                                  r.quota_group, r.quota_rate, r.tally::text, r.input_digest)
		              -- CY1, CY4 (0.2.0): only when set, so the seals of older rows stay as they were
		              || CASE WHEN num_nonnulls(r.self_general_points, r.self_score, r.not_rated) > 0
		                      THEN kpi.seal_array_text(r.self_general_points, r.self_score, r.not_rated)
		                      ELSE '' END
		              -- the ledger's rows as kpi.ledger gives them (every row: not through its CS15 filter),
		              -- jsonb_build_array(line_no, unit_id, rule_id, source_table, source_id, points_lost,
		              -- detail)::text each, a line apiece, written in C by kpi.ledger_seal_text
		              || E'\n' || coalesce(kpi.ledger_seal_text(r.ledger, r.unit_id), '') AS t
		       FROM kpi.official_result r
		       WHERE r.run_id = run_results_digest.run_id) x),
		'agencies',
		(SELECT string_agg(x.unit_id || ' ' || encode(sha256(convert_to(x.t, 'UTF8')), 'hex'), E'\n'
		                   ORDER BY x.unit_id)
		 FROM (SELECT a.unit_id,
		              jsonb_build_array(a.unit_id, a.year, a.score, a.components, a.tier::text,
		                                a.head_official_id, a.head_tier::text, a.head_capped, a.input_digest)::text
		              || E'\n' || coalesce(l.t, '') AS t
		       FROM kpi.agency_result a
		       LEFT JOIN (SELECT l.unit_id,
		                         string_agg(jsonb_build_array(l.line_no, l.rule_id, l.source_table, l.source_id,
		                                                      l.points_lost, l.detail)::text,
		                                    E'\n' ORDER BY l.line_no) AS t
		                  FROM kpi.agency_ledger l WHERE l.run_id = run_results_digest.run_id
		                  GROUP BY l.unit_id) l ON l.unit_id = a.unit_id
		       WHERE a.run_id = run_results_digest.run_id) x),
		'supersedes',
		(SELECT string_agg(jsonb_build_array(s.run_id, s.superseded_by, s.superseded_at)::text, E'\n'
		                   ORDER BY s.run_id)
		 FROM kpi.run_supersession s WHERE s.superseded_by = run_results_digest.run_id)), 'UTF8')), 'hex')
$$;

COMMENT ON FUNCTION kpi.run_results_digest(bigint) IS
'sha256 (hex) of everything run run_id wrote: its official results with their ledgers, its agency results with their ledgers, and the supersession row naming it; a fixed canonical text (v1), the same whatever the session''s settings';

CREATE OR REPLACE FUNCTION kpi.run_chain_digest(prev_digest text, run_id bigint, results_digest text)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, YMD'
AS $$
	SELECT encode(sha256(convert_to(jsonb_build_array('kpi.run_chain_digest v1', prev_digest,
		r.run_id, r.period_start, r.period_end, r.period_kind, r.rule_set_id, r.engine_version,
		r.created_at, r.created_by, r.supersedes, results_digest)::text, 'UTF8')), 'hex')
	FROM kpi.evaluation_run r
	WHERE r.run_id = run_chain_digest.run_id
$$;

COMMENT ON FUNCTION kpi.run_chain_digest(text, bigint, text) IS
'sha256 (hex) of the previous seal''s chain digest (NULL for the first seal), the row of run run_id in kpi.evaluation_run and its results digest: a link of the chain of seals';

CREATE OR REPLACE FUNCTION kpi.seal_run(run_id bigint, on_upgrade boolean DEFAULT false)
RETURNS kpi.run_seal
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_prev kpi.run_seal;
	v_results text;
	v_seal kpi.run_seal;
BEGIN
	-- chained to the latest seal committed; no lock, so that runs of other
	-- periods never wait for each other (two runs committing at the same time
	-- may follow the same seal: the chain forks, each link still verifies)
	SELECT s.* INTO v_prev FROM kpi.run_seal s ORDER BY s.seal_no DESC LIMIT 1;
	v_results := kpi.run_results_digest(seal_run.run_id);
	INSERT INTO kpi.run_seal (run_id, results_digest, chain_prev, chain_digest, sealed_on_upgrade)
	VALUES (seal_run.run_id, v_results, v_prev.run_id,
	        kpi.run_chain_digest(v_prev.chain_digest, seal_run.run_id, v_results), coalesce(seal_run.on_upgrade, false))
	RETURNING * INTO v_seal;
	RETURN v_seal;
END
$$;

COMMENT ON FUNCTION kpi.seal_run(bigint, boolean) IS
'writes the seal of run run_id (kpi.evaluate calls it last, in the run''s transaction; the update to 0.2.0 seals the runs before it with on_upgrade): its results digest and a chain digest over the latest seal committed';

CREATE OR REPLACE FUNCTION kpi.verify_run(run bigint)
RETURNS TABLE (run_id bigint, sealed boolean, results_ok boolean, chain_ok boolean, detail text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_run bigint := verify_run.run;
	v_seal kpi.run_seal;
	v_prev kpi.run_seal;
	v_results text;
	v_chain text;
	v_problems text[] := '{}';
	v_chain_problems text[] := '{}';
BEGIN
	IF EXISTS (SELECT 1 FROM pg_class c
	           WHERE c.relnamespace = 'kpi'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
	             AND row_security_active(c.oid)) THEN
		RAISE EXCEPTION 'kpi.verify_run must see every row of the kpi tables'
			USING ERRCODE = '42501',
			      DETAIL = format('Row-level security applies to role %s.', current_user),
			      HINT = 'Run kpi.verify_run as the owner of the kpi tables or as a role with BYPASSRLS.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM kpi.evaluation_run r WHERE r.run_id = v_run) THEN
		RAISE EXCEPTION 'run % does not exist', v_run USING ERRCODE = 'P0002';
	END IF;
	SELECT s.* INTO v_seal FROM kpi.run_seal s WHERE s.run_id = v_run;
	IF v_seal.run_id IS NULL THEN
		RETURN QUERY SELECT v_run, false, NULL::boolean, NULL::boolean,
			format('Run %s has no seal: kpi.evaluate seals every run it writes, so the seal was deleted or the run was not written by kpi.evaluate.', v_run);
		RETURN;
	END IF;
	v_results := kpi.run_results_digest(v_run);
	IF v_results IS DISTINCT FROM v_seal.results_digest THEN
		v_problems := v_problems || format('Its results, ledgers or supersession differ from what was sealed (sha256 %s sealed, %s now).',
		                                   v_seal.results_digest, v_results);
	END IF;
	IF v_seal.chain_prev IS NOT NULL THEN
		SELECT s.* INTO v_prev FROM kpi.run_seal s WHERE s.run_id = v_seal.chain_prev;
		IF v_prev.run_id IS NULL THEN
			v_chain_problems := v_chain_problems || format('The seal of run %s, which its seal follows in the chain, is missing.', v_seal.chain_prev);
		ELSIF v_prev.seal_no >= v_seal.seal_no THEN
			v_chain_problems := v_chain_problems || format('Its seal follows the seal of run %s, which was written after it.', v_prev.run_id);
		END IF;
	ELSIF EXISTS (SELECT 1 FROM kpi.run_seal s WHERE s.seal_no < v_seal.seal_no) THEN
		v_chain_problems := v_chain_problems || 'Its seal names no previous seal, but it is not the first one.'::text;
	END IF;
	v_chain := kpi.run_chain_digest(v_prev.chain_digest, v_run, v_seal.results_digest);
	IF v_chain IS DISTINCT FROM v_seal.chain_digest AND (v_seal.chain_prev IS NULL OR v_prev.run_id IS NOT NULL) THEN
		v_chain_problems := v_chain_problems || 'Its row in kpi.evaluation_run or its seal differs from what the chain recorded.'::text;
	END IF;
	v_problems := v_problems || v_chain_problems;
	RETURN QUERY SELECT v_run, true, v_results IS NOT DISTINCT FROM v_seal.results_digest,
		cardinality(v_chain_problems) = 0,
		CASE WHEN cardinality(v_problems) = 0
		     THEN 'The run''s results, ledgers and supersession match its seal, and the seal its chain.'
		     ELSE array_to_string(v_problems, ' ') END
		|| CASE WHEN v_seal.sealed_on_upgrade
		        THEN ' Sealed by the update to 0.2.0: the seal vouches for the rows as they were then.' ELSE '' END;
END
$$;

COMMENT ON FUNCTION kpi.verify_run(bigint) IS
'recomputes the seal of run run: sealed (false: no seal), results_ok (its results, ledgers and supersession still give the sealed sha256), chain_ok (its run row and seal still give the chain digest, after the previous seal), and a sentence saying what differs; for the owner of the kpi tables or a role with BYPASSRLS (else 42501)';
