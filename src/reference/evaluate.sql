--@ functions

-- Evaluation runs --------------------------------------------------------------

CREATE OR REPLACE PROCEDURE kpi.evaluate(period_start date, period_kind text, supersede boolean DEFAULT false,
                                         allow_empty boolean DEFAULT false)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_start date := evaluate.period_start;
	v_kind text := evaluate.period_kind;
	v_end date;
	v_old bigint;
	v_run bigint;
	v_rule_set integer;
	v_rules jsonb;
	v_officials bigint;
	v_agencies bigint := 0;
	v_heads text;
	v_year_run bigint;
	v_state text;
	v_msg text;
	v_detail text;
	v_hint text;
	v_check bigint;
	v_errors integer;
	v_warnings integer;
	v_list text;
BEGIN
	IF v_start IS NULL OR v_kind IS NULL OR evaluate.supersede IS NULL OR evaluate.allow_empty IS NULL THEN
		RAISE EXCEPTION 'kpi.evaluate arguments must not be NULL' USING ERRCODE = '22004';
	END IF;
	v_end := kpi.evaluation_period_end(v_start, v_kind);
	-- a caller under row-level security would score only the rows it sees
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c
	           WHERE c.relnamespace = 'kpi'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
	             AND pg_catalog.row_security_active(c.oid)) THEN
		RAISE EXCEPTION 'kpi.evaluate must see every row of the kpi tables'
			USING ERRCODE = '42501',
			      DETAIL = format('Row-level security applies to role %s.', current_user),
			      HINT = 'Run kpi.evaluate as the owner of the kpi tables or as a role with BYPASSRLS.';
	END IF;

	-- one run of a period at a time: a second call waits here, then sees the first's run
	PERFORM pg_advisory_xact_lock(hashtext('kpi.evaluate:' || v_kind), v_start - date '2000-01-01');
	IF v_kind = 'year' THEN
		-- and no month or quarter of the year is evaluated meanwhile
		PERFORM pg_advisory_xact_lock_shared(hashtext('kpi.evaluate:' || k.kind), m::date - date '2000-01-01')
		FROM (VALUES ('month', interval '1 month'), ('quarter', interval '3 months')) AS k(kind, step),
		     LATERAL generate_series(v_start, v_end, k.step) AS m
		ORDER BY k.kind, m;
	END IF;

	SELECT r.run_id INTO v_old
	FROM kpi.evaluation_run r
	WHERE r.period_start = v_start AND r.period_kind = v_kind
	  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id);
	IF v_old IS NOT NULL AND NOT evaluate.supersede THEN
		RAISE EXCEPTION 'period % (%) is already evaluated', to_char(v_start, 'YYYY-MM-DD'), v_kind
			USING ERRCODE = '55000',
			      DETAIL = format('Run %s holds its current results.', v_old),
			      HINT = 'To evaluate it again and keep the old run as superseded, pass supersede => true.';
	END IF;

	v_rule_set := kpi.rule_set_for(v_end);
	SELECT s.rules INTO v_rules FROM kpi.rule_set s WHERE s.rule_set_id = v_rule_set;

	-- the data-quality gate (rules.md DQ5, data_quality.sql): a period without
	-- inputs would write a run that refuses the real one later
	IF NOT evaluate.allow_empty AND NOT kpi.period_has_inputs(v_start, v_kind) THEN
		RAISE EXCEPTION 'period % (%) has no inputs', to_char(v_start, 'YYYY-MM-DD'), v_kind
			USING ERRCODE = '55000',
			      DETAIL = CASE WHEN v_kind = 'year'
			                    THEN 'No month or quarter of the year is evaluated and no agency has inputs for it.'
			                    ELSE 'No task line is due in the period and no general-criteria form or leader criteria is dated on its start.' END,
			      HINT = 'Load the period''s inputs first; to record an empty run on purpose, pass allow_empty => true.';
	END IF;
	BEGIN
		INSERT INTO kpi.evaluation_run (period_start, period_end, period_kind, rule_set_id, engine_version, supersedes)
		VALUES (v_start, v_end, v_kind, v_rule_set,
		        (SELECT x.extversion FROM pg_catalog.pg_extension x WHERE x.extname = 'kpi_eval'), v_old)
		RETURNING run_id INTO v_run;
	EXCEPTION WHEN unique_violation THEN
		-- only under REPEATABLE READ or SERIALIZABLE, whose snapshot predates a concurrent run
		RAISE EXCEPTION 'period % (%) is already evaluated', to_char(v_start, 'YYYY-MM-DD'), v_kind
			USING ERRCODE = '55000',
			      DETAIL = 'A concurrent run of the same period committed first.',
			      HINT = 'Run kpi.evaluate in a READ COMMITTED transaction, or retry with supersede => true.';
	END;
	-- the checks, recorded with the run they precede; any error rolls it all back
	v_check := kpi.record_input_check(v_start, v_kind, now(), v_run);
	SELECT c.errors, c.warnings INTO v_errors, v_warnings FROM kpi.input_check_run c WHERE c.check_run_id = v_check;
	IF v_errors > 0 THEN
		-- errors come first in problem_no order
		SELECT string_agg(format('%s: %s', p.check_id, p.message_en), E'\n' ORDER BY p.problem_no) INTO v_list
		FROM kpi.input_problem p
		WHERE p.check_run_id = v_check AND p.severity = 'error' AND p.problem_no <= 50;
		RAISE EXCEPTION 'period % (%) has % input error(s); nothing was evaluated', to_char(v_start, 'YYYY-MM-DD'), v_kind, v_errors
			USING ERRCODE = '22000',
			      DETAIL = v_list || CASE WHEN v_errors > 50 THEN format(E'\n... and %s more.', v_errors - 50) ELSE '' END,
			      HINT = format('Correct them and evaluate again. SELECT * FROM kpi.check_inputs(%L, %L) WHERE severity = ''error'' lists them all; SELECT kpi.record_input_check(%L, %L) keeps them in kpi.input_problem.',
			                    to_char(v_start, 'YYYY-MM-DD'), v_kind, to_char(v_start, 'YYYY-MM-DD'), v_kind);
	END IF;

	IF v_old IS NOT NULL THEN
		INSERT INTO kpi.run_supersession (run_id, superseded_by, superseded_at) VALUES (v_old, v_run, now());
	END IF;

	BEGIN
		IF v_kind = 'year' THEN
			-- the head of an agency is the one leader in charge of the agency's unit
			SELECT string_agg(format('unit %s: officials %s', h.unit_id, h.ids), '; ') INTO v_heads
			FROM (SELECT coalesce(o.leads_unit, o.unit_id) AS unit_id,
			             array_to_string(array_agg(o.official_id ORDER BY o.official_id), ', ') AS ids
			      FROM kpi.official o
			      JOIN kpi.unit u ON u.unit_id = coalesce(o.leads_unit, o.unit_id) AND u.agency_kind IS NOT NULL
			      WHERE o.is_leader
			      GROUP BY 1 HAVING count(*) > 1) h;
			IF v_heads IS NOT NULL THEN
				RAISE EXCEPTION 'an agency has more than one leader in charge of it'
					USING ERRCODE = '22023', DETAIL = v_heads || '.',
					      HINT = 'The head of an agency is the one leader whose leads_unit is the agency; set each deputy''s leads_unit to the unit they supervise.';
			END IF;
		END IF;
		-- the year's partition of the results (partitions.sql)
		PERFORM kpi.ensure_year_partitions(extract(year FROM v_start)::int);
		-- one statement: the results with their packed ledgers, and for a year the agencies,
		-- whose heads' tiers come from the results computed here (not read back)
		WITH s AS MATERIALIZED (	-- the ledgers packed here: the materialized rows stay small
			SELECT p.official_id, p.unit_id, p.task_group, p.is_leader, p.general_points, p.quantity_pct,
			       p.quality_pct, p.progress_pct, p.task_pct, p.task_points, p.d, p.dd, p.e, p.score, p.tier,
			       p.disqualified, p.quota_tier, p.quota_tie, p.quota_group, p.quota_rate, p.tally, p.input_digest,
			       p.self_general_points, p.self_score, p.not_rated, kpi.ledger_pack(p.ledger) AS ledger
			FROM kpi.score_period(v_start, v_kind, v_rules, true, rescore => false) p
		),
		ins AS (
			INSERT INTO kpi.official_result
				(run_id, official_id, unit_id, task_group, is_leader, period_start, period_kind,
				 general_points, quantity_pct, quality_pct, progress_pct, task_pct, task_points,
				 d, dd, e, score, tier, disqualified, quota_tier, quota_tie, quota_group, quota_rate,
				 tally, input_digest, self_general_points, self_score, not_rated, ledger)
			SELECT v_run, s.official_id, s.unit_id, s.task_group, s.is_leader, v_start, v_kind,
			       s.general_points, s.quantity_pct, s.quality_pct, s.progress_pct, s.task_pct, s.task_points,
			       s.d, s.dd, s.e, s.score, s.tier, s.disqualified, s.quota_tier, s.quota_tie, s.quota_group,
			       s.quota_rate, s.tally, s.input_digest, s.self_general_points, s.self_score, s.not_rated,
			       s.ledger
			FROM s
			RETURNING 1
		),
		a AS MATERIALIZED (
			SELECT * FROM kpi.score_agencies(extract(year FROM v_start)::int, v_rules, true)
			WHERE v_kind = 'year'
		),
		a_ins AS (
			INSERT INTO kpi.agency_result (run_id, unit_id, year, score, components, tier,
			                               head_official_id, head_tier, head_capped, input_digest)
			SELECT v_run, a.unit_id, extract(year FROM v_start)::int, a.score, a.components, a.tier,
			       h.official_id, kpi.head_tier(h.quota_tier, a.tier, v_rules),
			       kpi.head_capped(h.quota_tier, a.tier, v_rules), a.input_digest
			FROM a
			LEFT JOIN LATERAL (
				SELECT o.official_id, r.quota_tier
				FROM kpi.official o
				LEFT JOIN s r ON r.official_id = o.official_id
				WHERE o.is_leader AND coalesce(o.leads_unit, o.unit_id) = a.unit_id
			) h ON true
			RETURNING 1
		),
		a_led AS (
			INSERT INTO kpi.agency_ledger (run_id, unit_id, line_no, rule_id, source_table, source_id,
			                               points_lost, detail)
			SELECT v_run, a.unit_id, x.n, x.rule_id, x.source_table, x.source_id, x.points_lost, x.detail
			FROM a CROSS JOIN LATERAL unnest(a.ledger) WITH ORDINALITY
			     AS x(rule_id, source_table, source_id, points_lost, detail, n)
			RETURNING 1
		)
		SELECT (SELECT count(*) FROM ins),
		       (SELECT count(*) FROM a_ins) + 0 * (SELECT count(*) FROM a_led)
		INTO v_officials, v_agencies;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
		                        v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
		-- the same error, without the internal statement in its context
		IF coalesce(v_detail, '') = '' AND coalesce(v_hint, '') = '' THEN
			RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg;
		ELSIF coalesce(v_hint, '') = '' THEN
			RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg, DETAIL = v_detail;
		ELSIF coalesce(v_detail, '') = '' THEN
			RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg, HINT = v_hint;
		END IF;
		RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg, DETAIL = v_detail, HINT = v_hint;
	END;

	-- the seal of what the run wrote, chained to the previous run's (kpi.verify_run)
	PERFORM kpi.seal_run(v_run);

	IF v_kind <> 'year' THEN
		SELECT r.run_id INTO v_year_run
		FROM kpi.evaluation_run r
		WHERE r.period_kind = 'year' AND r.period_start = date_trunc('year', v_start)::date
		  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id);
		IF v_year_run IS NOT NULL THEN
			RAISE WARNING 'the year % was evaluated (run %) before this run of period % (%)',
				extract(year FROM v_start), v_year_run, to_char(v_start, 'YYYY-MM-DD'), v_kind
				USING HINT = format('Evaluate the year again: CALL kpi.evaluate(%L, ''year'', supersede => true).',
				                    to_char(date_trunc('year', v_start), 'YYYY-MM-DD'));
		END IF;
	END IF;

	RAISE NOTICE 'kpi.evaluate: run % of period % (%) under rule set %: % official results%',
		v_run, to_char(v_start, 'YYYY-MM-DD'), v_kind, v_rule_set, v_officials,
		CASE WHEN v_kind = 'year' THEN format(', %s agency results', v_agencies) ELSE '' END
		|| CASE WHEN v_old IS NOT NULL THEN format('; run %s superseded', v_old) ELSE '' END
		|| CASE WHEN v_warnings > 0 THEN format('; %s input warning(s) in kpi.run_input_warning', v_warnings) ELSE '' END;
END
$$;

COMMENT ON PROCEDURE kpi.evaluate(date, text, boolean, boolean) IS
'evaluates a month, quarter or year into a new append-only run (results with their packed ledgers, and for a year the quota and agencies) under the rule set in force on the period''s last day; runs of a period are serialised; an evaluated period is refused (55000) unless supersede => true, which marks the old run superseded; a period without inputs is refused (55000) unless allow_empty => true; kpi.check_inputs runs first: any error refuses the run (22000) listing them, warnings are recorded with it (kpi.run_input_warning); the run is sealed (kpi.seal_run, kpi.verify_run); the year''s partition of the results is made first (kpi.ensure_year_partitions); all or nothing';
