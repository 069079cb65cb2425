--@ functions

-- Scoring ----------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.evaluation_period_end(period_start date, period_kind text)
RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF period_kind NOT IN ('month', 'quarter', 'year') THEN
		RAISE EXCEPTION 'unknown evaluation period kind "%"', period_kind
			USING ERRCODE = '22023', HINT = 'The period kind is ''month'', ''quarter'' or ''year''.';
	END IF;
	IF extract(day FROM period_start) <> 1
	   OR (period_kind = 'quarter' AND extract(month FROM period_start) NOT IN (1, 4, 7, 10))
	   OR (period_kind = 'year' AND extract(month FROM period_start) <> 1) THEN
		RAISE EXCEPTION 'a % period cannot start on %', period_kind, to_char(period_start, 'YYYY-MM-DD')
			USING ERRCODE = '22023',
			      HINT = CASE period_kind
			             WHEN 'month' THEN 'A month starts on its first day.'
			             WHEN 'quarter' THEN 'A quarter starts on 1 January, 1 April, 1 July or 1 October.'
			             ELSE 'A year starts on 1 January.' END;
	END IF;
	RETURN (kpi.period_bounds(period_kind, period_start)).period_end;
END
$$;

COMMENT ON FUNCTION kpi.evaluation_period_end(date, text) IS
'the last day of the evaluation period (''month'', ''quarter'' or ''year'') starting on period_start; an error (22023) unless it starts a calendar month, quarter or year';

-- a task line's inputs as the input digests print them (src/seal_text.c)
CREATE OR REPLACE FUNCTION kpi.task_line_text(task_id bigint, due date, coef numeric, assigned_qty numeric,
                                              completed_qty numeric, passed_qty numeric, quality_errors integer,
                                              late_events integer)
RETURNS text
AS '$libdir/kpi_eval', 'task_line_text'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.task_line_text(bigint, date, numeric, numeric, numeric, numeric, integer, integer) IS
'a task line''s inputs as the input digests of kpi.score_period and kpi.score_agencies print them, a line each: concat_ws('','', task_id, due, coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) under DateStyle ISO (NULLs left out), printed in C (src/seal_text.c) whatever the session''s DateStyle';

--@ schema

CREATE TYPE kpi.score_input AS (
	official_id bigint,
	unit_id bigint,
	is_leader boolean,
	scope bigint[],
	general numeric,
	tally kpi.tally,
	dd numeric,
	e numeric
);

COMMENT ON TYPE kpi.score_input IS
'what kpi.score_inputs needs of one official for one period: unit, leader flag, the units a leader manages (criterion d), G, the tally and dd, e';
--@ functions

CREATE OR REPLACE FUNCTION kpi.score_inputs(inputs kpi.score_input[], rules jsonb DEFAULT '{}')
RETURNS TABLE (official_id bigint, quantity_pct numeric, quality_pct numeric, progress_pct numeric,
               task_pct numeric, task_points numeric, d numeric, dd numeric, e numeric,
               score numeric, tier kpi.tier)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT x.official_id, (x.sd).quantity_pct, (x.sd).quality_pct, (x.sd).progress_pct, (x.sd).task_pct,
	       (x.sd).task_points, (x.sd).d, (x.sd).dd, (x.sd).e, (x.sd).score, (x.sd).tier
	FROM (SELECT i.official_id,
	             kpi.score_organisation(i.unit_id, i.is_leader, i.scope, i.general, i.tally, i.dd, i.e, rules)
	             OVER () AS sd
	      FROM pg_catalog.unnest(inputs) i) x
$$;

COMMENT ON FUNCTION kpi.score_inputs(kpi.score_input[], jsonb) IS
'scores one period of officials given as an array under rules, through kpi.score_organisation: non-leaders G + 0.70 x KQ; a leader with d = leader_reduced when someone they manage scored below threshold_complete, else leader_full (CS10), dd and e (NULL: leader_full); returns a, b, c, KQ, T, d, dd, e, the score and its tier';

CREATE OR REPLACE FUNCTION kpi.leader_scopes(roots bigint[])
RETURNS TABLE (root bigint, scope bigint[])
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT s.root, s.scope
	FROM kpi.unit_scopes(roots,
	                     ARRAY(SELECT u.unit_id FROM kpi.unit u ORDER BY u.unit_id),
	                     ARRAY(SELECT u.parent_id FROM kpi.unit u ORDER BY u.unit_id)) s
$$;

COMMENT ON FUNCTION kpi.leader_scopes(bigint[]) IS
'for each unit of roots (the units leaders are in charge of), its scope in kpi.unit: the unit and every unit below it (kpi.unit_scopes), for criterion d (CS10)';

CREATE OR REPLACE FUNCTION kpi.score_period(period_start date, period_kind text, rules jsonb DEFAULT NULL,
                                 explain boolean DEFAULT false, rescore boolean DEFAULT NULL)
RETURNS TABLE (official_id bigint, unit_id bigint, task_group text, is_leader boolean,
               general_points numeric, quantity_pct numeric, quality_pct numeric, progress_pct numeric,
               task_pct numeric, task_points numeric, d numeric, dd numeric, e numeric,
               score numeric, tier kpi.tier, disqualified boolean, quota_tier kpi.tier, quota_tie boolean,
               quota_group text, quota_rate numeric, tally kpi.tally, input_digest text, ledger kpi.ledger_entry[],
               self_general_points numeric, self_score numeric, not_rated text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
-- The plans join CTEs of a whole organisation, whose sizes the planner cannot
-- know (a CTE has no statistics, and kpi.evaluation_run is too small to be
-- analysed automatically): a nested loop it thinks joins 200 rows to 200
-- would join 200,000 to 200,000.  Hash and merge joins cost little more at
-- the sizes it does expect.  JIT would cost more than the run.
SET enable_nestloop = off
-- Grouped by sorting, never hashing: the ledger aggregates' per-group states
-- are expanded arrays, each a memory context, which PostgreSQL 15's hash
-- aggregate walks all of at every new group (quadratic: 39% of a year's
-- time at 20,000 officials); an ORDER BY in the call would avoid it too, at
-- the cost of a sort in every group (their final functions order the rows)
SET enable_hashagg = off
SET jit = off
-- the input digests print dates: the same text whatever the session's DateStyle
SET DateStyle = 'ISO, YMD'
AS $$
#variable_conflict use_column
DECLARE
	v_start date := score_period.period_start;
	v_kind text := score_period.period_kind;
	v_explain boolean := coalesce(score_period.explain, false);
	v_end date;
	v_dates date[];	-- the dates of the general-criteria forms and d/dd/e read (CY2)
	v_rules jsonb;
	v_rescore boolean;
	v_eff jsonb;
	v_eff_text text;	-- in every input digest: printed once, not per official (2 KB, 8 us)
	v_full numeric;
	v_tp numeric;
	v_strict boolean;
	v_cap boolean;
	v_tiers boolean;	-- CY3: the year's tier from its period tiers
	v_src text;
	v_runs bigint[];
	v_state text;
	v_msg text;
	v_detail text;
	v_hint text;
	v_where text;
	r record;
BEGIN
	IF v_start IS NULL OR v_kind IS NULL THEN
		RAISE EXCEPTION 'period_start and period_kind must not be NULL' USING ERRCODE = '22004';
	END IF;
	v_end := kpi.evaluation_period_end(v_start, v_kind);
	-- rescore NULL: a year re-scores its stored periods when rules are given
	-- (what-if); kpi.evaluate passes the rule set in force with rescore false
	v_rescore := coalesce(score_period.rescore, score_period.rules IS NOT NULL);
	v_rules := coalesce(score_period.rules,
	                    (SELECT s.rules FROM kpi.rule_set s WHERE s.rule_set_id = kpi.rule_set_for(v_end)));
	v_eff := kpi.effective_rules(v_rules);
	v_eff_text := v_eff::text;
	v_full := (v_eff ->> 'leader_full')::numeric;
	v_tp := (v_eff ->> 'task_points')::numeric;
	v_strict := v_eff ->> 'progress_reading' = 'strict';
	v_cap := (v_eff ->> 'cap')::boolean;
	v_tiers := v_eff ->> 'annual_method' = 'tiers';

	IF v_kind IN ('month', 'quarter') THEN
		-- the forms: missing (22004), not approved (CY6: refused or reported)
		PERFORM kpi.check_period_forms(v_start, v_kind, v_rules);

		BEGIN
			RETURN QUERY
			WITH
			lines AS (	-- one tally per line, so the ledger can cite it; rolled up exactly below.
				-- kpi.tally_agg of one line, called as its transition and final functions:
				-- the same value, without a hash aggregate of one-line groups (half the cost)
				SELECT l.task_id, l.official_id, l.coef, l.assigned_qty, l.completed_qty, l.passed_qty,
				       l.quality_errors, l.late_events, l.due,
				       kpi.tally_final(kpi.tally_agg_trans(NULL::kpi.tally, l.coef, l.assigned_qty, l.completed_qty,
				                                           l.passed_qty, l.quality_errors, l.late_events, v_rules)) AS t
				FROM kpi.task_line l
				WHERE l.official_id IS NOT NULL AND l.due BETWEEN v_start AND v_end
				-- sorted once here: the sorts of per, of its groups' lines and of lrows
				-- then find their input in order (a pass each instead of a sort)
				ORDER BY l.official_id, l.task_id
			),
			per AS (
				SELECT ln.official_id, kpi.rollup(ln.t) AS tally,
				       string_agg(kpi.task_line_text(ln.task_id, ln.due, ln.coef, ln.assigned_qty, ln.completed_qty,
				                                     ln.passed_qty, ln.quality_errors, ln.late_events),
				                  ';' ORDER BY ln.task_id) AS lines_text
				FROM lines ln
				GROUP BY ln.official_id
			),
			who AS (	-- the period's assignment, approved and self-assessed forms (CY1, CY4)
				SELECT o.official_id, o.unit_id, o.task_group, o.is_leader, o.leads_unit,
				       p.tally, p.lines_text, o.marks, o.dd, o.e, o.has_criteria,
				       o.self_marks, o.self_dd, o.self_e, o.not_rated
				FROM kpi.period_roster(v_start, v_kind, v_rules) o
				LEFT JOIN per p ON p.official_id = o.official_id
				WHERE p.official_id IS NOT NULL OR o.has_form
			),
			-- every leader's scope (CS10) in one pass over the tree: the subtree
			-- of the unit in their charge
			reach AS MATERIALIZED (
				SELECT * FROM kpi.leader_scopes(ARRAY(SELECT coalesce(w.leads_unit, w.unit_id)
				                                      FROM who w WHERE w.is_leader))
			),
			inp AS (
				SELECT w.*, kpi.general_points(w.marks, v_rules) AS general,
				       kpi.general_points(w.self_marks, v_rules) AS self_general, rc.scope
				FROM who w
				LEFT JOIN reach rc ON w.is_leader AND rc.root = coalesce(w.leads_unit, w.unit_id)
			),
			-- every official's result row, criterion d decided in C (CS10), beside the
			-- row of inp it scores: the window passes its input rows through, so
			-- nothing joins the two (or sorts them) again
			scored AS (
				SELECT x.official_id, x.unit_id, x.task_group, x.is_leader, x.leads_unit, x.tally, x.lines_text,
				       x.marks, x.dd AS form_dd, x.e AS form_e, x.has_criteria, x.self_marks, x.self_dd, x.self_e,
				       x.not_rated, x.general, x.self_general, (x.sd).*
				FROM (SELECT i.*, kpi.score_organisation(i.unit_id, i.is_leader, i.scope, i.general, i.tally,
				                                         i.dd, i.e, v_rules) OVER () AS sd
				      FROM inp i) x
			),
			-- the explanation ledger (CS3, CS5-CS8, CS10, CY1, N0.3), its rows computed in C
			ow AS (
				SELECT s.official_id, s.is_leader, s.marks, s.has_criteria, coalesce(s.leads_unit, s.unit_id) AS in_charge,
				       s.score, s.d, s.dd, s.e, s.tally, s.self_marks, s.self_dd, s.self_e
				FROM scored s
				WHERE v_explain AND s.score IS NOT NULL
			),
			lrows AS (
				SELECT ln.official_id,
				       kpi.ledger_lines(ln.task_id, ln.t, ln.coef, ln.assigned_qty, ln.completed_qty, ln.passed_qty,
				                        ln.quality_errors, ln.late_events, ow.tally, v_tp, ow.is_leader, false, v_rules)
				       AS lines	-- (its final function orders the rows; grouped by sorting: see enable_hashagg)
				FROM lines ln
				JOIN ow ON ow.official_id = ln.official_id
				GROUP BY ln.official_id
			),
			ledgers AS (
				SELECT ow.official_id,
				       kpi.official_ledger(x.lines, ow.tally, ow.marks, ow.score, ow.d, ow.dd, ow.e, ow.is_leader,
				                           ow.has_criteria, ow.in_charge, ow.self_marks, ow.self_dd, ow.self_e,
				                           v_rules) AS ledger
				FROM ow
				LEFT JOIN lrows x ON x.official_id = ow.official_id
			)
			SELECT s.official_id, s.unit_id, s.task_group, s.is_leader, s.general,
			       s.quantity_pct, s.quality_pct, s.progress_pct, s.task_pct, s.task_points,
			       s.d, s.dd, s.e, s.score, s.tier,
			       NULL::boolean, NULL::kpi.tier, NULL::boolean, NULL::text, NULL::numeric,
			       s.tally,
			       md5(concat_ws('|', v_kind, v_start, s.lines_text, s.marks::text,
			                     s.form_dd, s.form_e, s.d, v_eff_text, s.unit_id, s.self_marks::text, s.not_rated)),
			       lg.ledger,
			       s.self_general,
			       CASE WHEN s.not_rated IS NOT NULL OR s.self_marks IS NULL THEN NULL
			            WHEN s.is_leader
			            THEN kpi.period_score(s.self_general, s.tally, s.d,
			                                  coalesce(s.self_dd, v_full), coalesce(s.self_e, v_full), v_rules)
			            ELSE kpi.period_score(s.self_general, s.tally, v_rules) END,
			       s.not_rated
			FROM scored s
			LEFT JOIN ledgers lg ON lg.official_id = s.official_id;
		EXCEPTION WHEN data_exception THEN
			-- name the row that holds the bad value (N0.5)
			GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
			                        v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
			FOR r IN SELECT l.* FROM kpi.task_line l
			         WHERE l.official_id IS NOT NULL AND l.due BETWEEN v_start AND v_end
			         ORDER BY l.task_id LOOP
				BEGIN
					PERFORM kpi.tally_agg(r.coef, r.assigned_qty, r.completed_qty, r.passed_qty,
					                      r.quality_errors, r.late_events, v_rules);
				EXCEPTION WHEN data_exception THEN
					v_where := format('It is in task line %s of official %s.', r.task_id, r.official_id);
					EXIT;
				END;
			END LOOP;
			IF v_where IS NULL THEN
				-- CY2: the forms some unit reads; which one holds the bad value
				v_dates := kpi.forms_dates(v_start, v_kind, v_rules);
				FOR r IN SELECT g.* FROM kpi.general_mark g WHERE g.period_start = ANY (v_dates)
				         ORDER BY g.official_id LOOP
					BEGIN
						PERFORM kpi.general_points(r.marks, v_rules);
					EXCEPTION WHEN data_exception THEN
						v_where := format('It is in the general-criteria marks of official %s.', r.official_id);
						EXIT;
					END;
				END LOOP;
			END IF;
			IF v_where IS NULL THEN
				SELECT format('It is in the leader criteria of official %s.', c.official_id) INTO v_where
				FROM kpi.leader_criteria c
				WHERE c.period_start = ANY (kpi.forms_dates(v_start, v_kind, v_rules))
				  AND (c.dd NOT IN ((v_eff ->> 'leader_full')::numeric, (v_eff ->> 'leader_reduced')::numeric)
				       OR c.e NOT IN ((v_eff ->> 'leader_full')::numeric, (v_eff ->> 'leader_reduced')::numeric))
				ORDER BY c.official_id LIMIT 1;
			END IF;
			v_detail := concat_ws(' ', nullif(v_detail, ''), v_where);
			IF coalesce(v_hint, '') = '' THEN
				RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg, DETAIL = v_detail;
			END IF;
			RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg, DETAIL = v_detail, HINT = v_hint;
		END;
		RETURN;
	END IF;

	-- a year: the annual score over the current month results (or quarters)
	SELECT CASE WHEN bool_or(er.period_kind = 'month') THEN 'month'
	            WHEN bool_or(er.period_kind = 'quarter') THEN 'quarter' END INTO v_src
	FROM kpi.evaluation_run er
	WHERE er.period_kind IN ('month', 'quarter') AND er.period_start BETWEEN v_start AND v_end
	  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession x WHERE x.run_id = er.run_id);
	IF v_src IS NULL THEN
		RAISE EXCEPTION 'the year % cannot be evaluated: none of its months or quarters is', extract(year FROM v_start)
			USING ERRCODE = '55000',
			      HINT = format('Evaluate its periods first, for example CALL kpi.evaluate(%L, ''month'').',
			                    to_char(v_start, 'YYYY-MM-DD'));
	END IF;
	-- the current runs of those periods, as an array: joined to evaluation_run
	-- and run_supersession (never analysed: too small), the results' rows
	-- would be estimated at one, and the year's joins would hash and sort
	-- the wide side
	v_runs := ARRAY(SELECT er.run_id FROM kpi.evaluation_run er
	                WHERE er.period_kind = v_src AND er.period_start BETWEEN v_start AND v_end
	                  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession x WHERE x.run_id = er.run_id));

	RETURN QUERY
	WITH
	-- the period results read (the columns used below only, not the ledgers):
	-- not materialised, so that the 2.4 million rows of a year at 200,000
	-- officials flow from the scan into the window instead of into a
	-- tuplestore first (only one branch of used reads them)
	periods AS NOT MATERIALIZED (
		SELECT m.run_id, m.official_id, m.period_start, m.unit_id, m.task_group, m.is_leader, m.general_points,
		       m.tally, m.score, m.tier, m.dd, m.e
		FROM kpi.official_result m
		WHERE m.run_id = ANY (v_runs) AND m.period_start BETWEEN v_start AND v_end
	),
	-- small CTEs computed once, whatever the statistics say
	scope AS MATERIALIZED (	-- as for a month: each leader's subtree, in one pass
		SELECT o.official_id, rc.scope
		FROM kpi.official o
		JOIN kpi.leader_scopes(ARRAY(SELECT coalesce(l.leads_unit, l.unit_id) FROM kpi.official l
		                             WHERE v_rescore AND l.is_leader)) rc
		  ON rc.root = coalesce(o.leads_unit, o.unit_id)
		WHERE v_rescore AND o.is_leader
	),
	-- the published period scores, or (what-if) the stored periods re-scored under the rules
	used AS (
		SELECT p.run_id, p.official_id, p.period_start, p.general_points, p.tally, p.score, p.tier,
		       p.unit_id, p.task_group, p.is_leader
		FROM periods p
		WHERE NOT v_rescore
		UNION ALL
		SELECT p.run_id, p.official_id, p.period_start, p.general_points, p.tally, (p.sd).score, (p.sd).tier,
		       p.unit_id, p.task_group, p.is_leader
		FROM (SELECT pp.*,
		             kpi.score_organisation(pp.unit_id, pp.is_leader, sc.scope, pp.general_points, pp.tally,
		                                    pp.dd, pp.e, v_rules) OVER (PARTITION BY pp.period_start) AS sd
		      FROM periods pp LEFT JOIN scope sc ON sc.official_id = pp.official_id
		      WHERE v_rescore) p
	),
	-- an official's own records, and a leader's unit's: two hash joins (one
	-- join ON a = b OR c = d could only be a nested loop, officials x records)
	recs AS (
		SELECT o.official_id, dr.record_id, dr.kind, dr.form, dr.duty_related, dr.decided_on,
		       kpi.disqualifies(dr.kind, dr.form, dr.duty_related, o.is_leader, v_rules) AS dq
		FROM kpi.official o
		JOIN kpi.disciplinary_record dr ON dr.official_id = o.official_id
		WHERE dr.decided_on BETWEEN v_start AND v_end
		UNION ALL
		SELECT o.official_id, dr.record_id, dr.kind, dr.form, dr.duty_related, dr.decided_on,
		       kpi.disqualifies(dr.kind, dr.form, dr.duty_related, o.is_leader, v_rules)
		FROM kpi.official o
		JOIN kpi.disciplinary_record dr ON dr.unit_id = coalesce(o.leads_unit, o.unit_id)
		WHERE o.is_leader AND dr.decided_on BETWEEN v_start AND v_end
		  AND dr.official_id IS DISTINCT FROM o.official_id
	),
	dq AS (
		SELECT rc.official_id,
		       CASE WHEN bool_or(rc.dq) THEN true WHEN bool_or(rc.dq IS NULL) THEN NULL ELSE false END AS dq,
		       string_agg(concat_ws(',', rc.record_id, rc.kind, rc.form, rc.duty_related, rc.decided_on), ';'
		                  ORDER BY rc.record_id) AS recs_text
		FROM recs rc
		GROUP BY rc.official_id
	),
	-- an official's quota group and disciplinary facts, joined to each of
	-- their periods below so that the year's row has all its digest needs
	facts AS MATERIALIZED (
		SELECT o.official_id, o.quota_group, q.recs_text,
		       -- no record: false; NULL only for a record whose effect is unknown
		       CASE WHEN q.official_id IS NULL THEN false ELSE q.dq END AS dq
		FROM kpi.official o
		LEFT JOIN dq q ON q.official_id = o.official_id
	),
	-- approved quota rates of the year (CS15), the most specific first
	appr AS MATERIALIZED (
		SELECT a.* FROM kpi.quota_approval a WHERE a.year = extract(year FROM v_start)::int
	),
	-- an official's year over their periods in order: aggregates over the whole
	-- partition of one window, so one sort serves them all (PostgreSQL 15
	-- sorts each group again for every aggregate with its own ORDER BY), and
	-- the partition's last period is its row; the ledger's share rows (CS12)
	-- are built at the end from three narrow arrays (kpi.period_shares), not
	-- carried through the joins as 2 KB of rows an official; an official has
	-- one current result a period, so the order is total
	yr AS (
		SELECT y.official_id, y.score,
		       -- CY3 (annual_method "tiers"): the year's tier from the period tiers
		       kpi.annual_tier(y.tiers, v_rules) AS period_tier,
		       y.general, y.tally, y.scored, y.unit_id, y.task_group, y.is_leader,
		       y.quota_group, y.dq, y.recs_text,
		       coalesce(ag.rate, at.rate, au.rate) AS q_rate,
		       coalesce(ag.approval_id, at.approval_id, au.approval_id) AS q_approval,
		       coalesce(ag.decision, at.decision, au.decision) AS q_decision,
		       md5(concat_ws('|', v_kind, v_start, v_src, y.periods_text, y.recs_text, v_eff_text,
		                     y.quota_group, coalesce(ag.rate, at.rate, au.rate))) AS digest,
		       y.sh_runs, y.sh_starts, y.sh_scores
		FROM (SELECT u.official_id, u.period_start,
		             kpi.annual_score(u.score, v_rules) OVER w AS score,
		             array_agg(u.tier) FILTER (WHERE v_tiers) OVER w AS tiers,
		             avg(u.general_points) FILTER (WHERE u.score IS NOT NULL) OVER w AS general,
		             kpi.rollup(u.tally) OVER w AS tally,
		             count(u.score) OVER w AS scored,
		             -- CY7: rated in the unit of the year's last period (Art. 21: by the new
		             -- agency), which is the row kept below: its own columns, not last_value()
		             -- per row (a fetch of the frame's tail each, 16% of a year's instructions)
		             u.unit_id, u.task_group, u.is_leader,
		             string_agg(concat_ws(',', u.period_start, u.score, u.tally::text), ';') OVER w AS periods_text,
		             array_agg(u.run_id) FILTER (WHERE v_explain) OVER w AS sh_runs,
		             array_agg(u.period_start) FILTER (WHERE v_explain) OVER w AS sh_starts,
		             array_agg(u.score) FILTER (WHERE v_explain) OVER w AS sh_scores,
		             max(u.period_start) OVER w AS last_start,
		             f.quota_group, f.dq, f.recs_text
		      FROM used u
		      JOIN facts f ON f.official_id = u.official_id
		      WINDOW w AS (PARTITION BY u.official_id ORDER BY u.period_start
		                   ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) y
		LEFT JOIN appr ag ON ag.quota_group = y.quota_group
		LEFT JOIN appr at ON y.quota_group IS NULL AND at.unit_id = y.unit_id AND at.task_group = y.task_group
		LEFT JOIN appr au ON y.quota_group IS NULL AND au.unit_id = y.unit_id AND au.task_group IS NULL
		WHERE y.period_start = y.last_start
	),
	-- kpi.score_detail once an official, not at each use of its fields (the
	-- input digest is made in yr, where the periods' text, 2 KB an official,
	-- is built, so that no sort or join carries that text)
	rated AS MATERIALIZED (
		SELECT y.official_id, y.score, y.period_tier, y.general, y.tally, y.scored, y.unit_id, y.task_group,
		       y.is_leader, y.quota_group,
		       y.dq, y.recs_text,
		       CASE WHEN NOT v_tiers
		            THEN kpi.tier_of(y.score, y.dq, v_rules)
		            -- the disqualifiers override the period tiers as they do the score (CS14)
		            WHEN y.score IS NULL OR y.dq IS NULL THEN NULL
		            WHEN y.dq THEN 'khong_hoan_thanh'::kpi.tier
		            ELSE y.period_tier END AS tier,
		       kpi.score_detail(NULL, y.tally, v_rules) AS sd,
		       y.q_rate, y.q_approval, y.q_decision, y.digest, y.sh_runs, y.sh_starts, y.sh_scores
		FROM yr y
	),
	-- one quota per named quota group, else per unit and task group
	quota AS (
		SELECT x.*, (x.qd).tier AS q_tier, (x.qd).tie AS q_tie, (x.qd).candidates AS q_n,
		       (x.qd).good AS q_m, (x.qd).kept AS q_kept, coalesce(x.q_rate, (x.qd).rate) AS q_rate_used
		FROM (SELECT ra.*, (ra.sd).task_points AS tp,
		             kpi.quota_decision(ra.tier, ra.score, (ra.sd).task_points, ra.general, ra.q_rate, v_rules)
		             OVER (PARTITION BY ra.quota_group, CASE WHEN ra.quota_group IS NULL THEN ra.unit_id END,
		                                CASE WHEN ra.quota_group IS NULL THEN ra.task_group END
		                   ORDER BY ra.official_id) AS qd
		      FROM rated ra) x
	),
	-- the ledger: each period's share of 100 - annual (CS12, in C: kpi.period_shares),
	-- the disqualifiers (CS14, by decision date and record) and the quota (CS15, one
	-- row at most, made below without an aggregate) at 0 points, rounding (N0.3, in C)
	cs14 AS (
		SELECT rc.official_id,
		       array_agg(ROW('CS14', 'disciplinary_record', rc.record_id, round(0, 6),
		                     jsonb_build_object('kind', rc.kind, 'form', rc.form, 'duty_related', rc.duty_related,
		                                        'decided_on', rc.decided_on, 'disqualifies', rc.dq))::kpi.ledger_entry
		                 ORDER BY rc.decided_on, rc.record_id) AS rows
		FROM recs rc JOIN yr y ON y.official_id = rc.official_id
		WHERE v_explain AND y.score IS NOT NULL AND (rc.dq OR rc.dq IS NULL)
		GROUP BY rc.official_id
	)
	SELECT q.official_id, q.unit_id, q.task_group, q.is_leader, q.general,
	       (q.sd).quantity_pct, (q.sd).quality_pct, (q.sd).progress_pct, (q.sd).task_pct, q.tp,
	       NULL::numeric, NULL::numeric, NULL::numeric,
	       q.score, q.tier, q.dq, q.q_tier, q.q_tie, q.quota_group, q.q_rate_used, q.tally,
	       q.digest,
	       CASE WHEN v_explain AND q.score IS NOT NULL
	            THEN kpi.ledger_close(kpi.period_shares(q.sh_runs, q.sh_starts, v_src, q.sh_scores)
	                                  || coalesce(c.rows, '{}')
	                                  || kpi.quota_ledger(q.tier, q.q_tier, q.q_tie, q.q_approval, q.quota_group, q.unit_id,
	                                                      q.task_group, q.q_n, q.q_m, q.q_kept, q.q_rate_used,
	                                                      q.q_decision),
	                                  q.score) END,
	       NULL::numeric, NULL::numeric,
	       CASE WHEN q.scored = 0 THEN format('no %s of the year rated', v_src) END
	FROM quota q
	LEFT JOIN cs14 c ON c.official_id = q.official_id;
END
$$;

COMMENT ON FUNCTION kpi.score_period(date, text, jsonb, boolean, boolean) IS
'the results of every official for a month, quarter or year, computed without writing anything (the one implementation behind kpi.evaluate and kpi.what_if); rules NULL: the rule set in force on the period''s last day, and for a year the published period scores; rules given: scored under them, and for a year the stored periods re-scored unless rescore is false (kpi.evaluate passes the rule set in force so); explain: also the ledger rows (kpi.ledger_entry[])';
