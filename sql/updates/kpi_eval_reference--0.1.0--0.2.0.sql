-- kpi_eval_reference 0.1.0 -> 0.2.0: DDL and row migrations only (see src/sqlgen.sh);
-- function bodies are re-applied from the sources.
--@ schema

-- === run seals, supersession guard, row-level security of runs and rule sets (issue 11) ===
-- Seals (doc/security.md): a digest of each run's rows, chained run to run, so
-- that a change made past the append-only triggers can be detected
CREATE TABLE kpi.run_seal (
	run_id bigint PRIMARY KEY REFERENCES kpi.evaluation_run,
	seal_no bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	results_digest text NOT NULL,
	chain_prev bigint,
	chain_digest text NOT NULL,
	sealed_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
	sealed_on_upgrade boolean NOT NULL DEFAULT false
);

COMMENT ON TABLE kpi.run_seal IS
'the seal of each run, written by kpi.evaluate in the run''s transaction: a sha256 of its results, ledgers and supersession (kpi.run_results_digest) and a sha256 chained to the previous seal (kpi.run_chain_digest); kpi.verify_run recomputes both; append-only';
COMMENT ON SEQUENCE kpi.run_seal_seal_no_seq IS 'identity of kpi.run_seal: the order runs were sealed in';
COMMENT ON COLUMN kpi.run_seal.chain_prev IS 'the run whose seal was the latest when this one was written (NULL: the first seal); its chain_digest is part of this one''s';
COMMENT ON COLUMN kpi.run_seal.sealed_on_upgrade IS 'true for a run evaluated before 0.2.0 and sealed by ALTER EXTENSION ... UPDATE: the seal vouches for the rows as they were at the upgrade, not at the evaluation';

-- Corrections: the one way a row leaves kpi.run_supersession
CREATE TABLE kpi.run_correction (
	correction_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	run_id bigint NOT NULL,
	superseded_by bigint NOT NULL,
	superseded_at timestamptz NOT NULL,
	problem text NOT NULL,
	reason text NOT NULL,
	corrected_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	corrected_by name NOT NULL DEFAULT CURRENT_USER
);

COMMENT ON TABLE kpi.run_correction IS
'the supersession rows kpi.repair_supersession removed because they were invalid (not written by kpi.evaluate: another period, an earlier run, a run that does not supersede it): the row, what was wrong, why, who and when; append-only';
COMMENT ON SEQUENCE kpi.run_correction_correction_id_seq IS 'identity of kpi.run_correction';

SELECT pg_catalog.pg_extension_config_dump('kpi.run_seal', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_seal_seal_no_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_correction', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_correction_correction_id_seq', '');
COMMENT ON TABLE kpi.run_supersession IS
'runs that are no longer current: run_id was replaced by superseded_by (kpi.evaluate with supersede => true); the old results stay; append-only; a row must name a later run of the same period that supersedes run_id (kpi.supersession_problem), a bad one is removed by kpi.repair_supersession';
-- === end run seals (issue 11) ===
--@ post

-- === run seals, supersession guard, row-level security of runs and rule sets (issue 11) ===
CREATE TRIGGER run_write_guard BEFORE INSERT ON kpi.evaluation_run
	FOR EACH ROW EXECUTE FUNCTION kpi.run_write_guard();
CREATE TRIGGER run_write_guard BEFORE INSERT ON kpi.run_supersession
	FOR EACH ROW EXECUTE FUNCTION kpi.run_write_guard();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.run_seal
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.run_seal
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.run_correction
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.run_correction
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
REVOKE EXECUTE ON FUNCTION kpi.repair_supersession(bigint, text) FROM PUBLIC;

-- every column of kpi.official that names a unit or a group stays in the caller's subtree
ALTER POLICY unit_subtree ON kpi.official
	WITH CHECK (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v)
	            AND (leads_unit IS NULL OR leads_unit IN (SELECT v.unit_id FROM kpi.visible_unit v))
	            AND (quota_group IS NULL
	                 OR kpi.quota_group_within(quota_group, ARRAY(SELECT v.unit_id FROM kpi.visible_unit v))));
-- a CS15 row of a named quota group counts its members: only for roles that see them all
ALTER POLICY unit_subtree ON kpi.ledger
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v)
	       AND (rule_id <> 'CS15' OR (detail ->> 'quota_group') IS NULL
	            OR (run_id, detail ->> 'quota_group') IN (SELECT g.run_id, g.quota_group FROM kpi.visible_quota_group g)));
GRANT SELECT ON kpi.visible_quota_group TO PUBLIC;

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

-- the runs evaluated before 0.2.0 are sealed now, in run order (sealed_on_upgrade)
SELECT pg_catalog.count(kpi.seal_run(r.run_id, true))
FROM (SELECT r.run_id FROM kpi.evaluation_run r ORDER BY r.run_id) r;

-- supersessions that kpi.evaluate did not write (a forged row) are reported, not changed
DO $$
DECLARE
	v_bad text;
BEGIN
	SELECT pg_catalog.string_agg(pg_catalog.format('run %s by run %s: %s', s.run_id, s.superseded_by,
	                                               kpi.supersession_problem(s.run_id, s.superseded_by)), '; ')
	INTO v_bad
	FROM kpi.run_supersession s
	WHERE kpi.supersession_problem(s.run_id, s.superseded_by) IS NOT NULL;
	IF v_bad IS NOT NULL THEN
		RAISE WARNING 'kpi.run_supersession holds supersessions that kpi.evaluate did not write'
			USING DETAIL = v_bad,
			      HINT = 'As the owner of the kpi tables: SELECT kpi.repair_supersession(run_id, reason) for each (doc/security.md).';
	END IF;
END
$$;
-- === end run seals (issue 11) ===
