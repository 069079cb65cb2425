--@ functions

CREATE OR REPLACE FUNCTION kpi.score_agencies(year integer, rules jsonb, explain boolean DEFAULT false)
RETURNS TABLE (unit_id bigint, score numeric, tier kpi.tier, components jsonb, input_digest text,
               ledger kpi.ledger_entry[])
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off
-- the input digests print dates: the same text whatever the session's DateStyle
SET DateStyle = 'ISO, YMD'
AS $$
	WITH
	eff AS MATERIALIZED (
		SELECT kpi.effective_rules(score_agencies.rules) AS r
	),
	lines AS (	-- one tally per line, so the ledger can cite it; rolled up exactly below
		SELECT l.task_id, l.unit_id, l.due, l.coef, l.assigned_qty, l.completed_qty, l.passed_qty,
		       l.quality_errors, l.late_events,
		       kpi.tally_agg(l.coef, l.assigned_qty, l.completed_qty, l.passed_qty,
		                     l.quality_errors, l.late_events, score_agencies.rules) AS t
		FROM kpi.task_line l
		WHERE l.unit_id IS NOT NULL
		  AND l.due BETWEEN make_date(score_agencies.year, 1, 1) AND make_date(score_agencies.year, 12, 31)
		GROUP BY l.task_id
	),
	plan AS (
		SELECT ln.unit_id, kpi.rollup(ln.t) AS t,
		       string_agg(kpi.task_line_text(ln.task_id, ln.due, ln.coef, ln.assigned_qty, ln.completed_qty,
		                                     ln.passed_qty, ln.quality_errors, ln.late_events), ';' ORDER BY ln.task_id) AS lines_text
		FROM lines ln
		GROUP BY ln.unit_id
	),
	idx AS (
		SELECT v.unit_id,
		       jsonb_object_agg(CASE v.code WHEN 'dti_ratio' THEN 'dti' ELSE v.code END,
		                        kpi.index_fraction(v.code, v.value)) AS indices,
		       jsonb_object_agg(CASE v.code WHEN 'dti_ratio' THEN 'dti' ELSE v.code END, v.value) AS idx_values,
		       string_agg(concat_ws(',', v.code, v.value), ';' ORDER BY v.code) AS idx_text
		FROM kpi.index_value v
		WHERE v.year = score_agencies.year
		GROUP BY v.unit_id
	),
	-- LM7: with lawmaking_par_weight > 0, a ministry's PAR INDEX fraction
	-- takes in its law-making score of the year rolled up across its roles
	lm AS (
		SELECT m.unit_id, m.score, m.roles, (e.r ->> 'lawmaking_par_weight')::numeric AS par_weight
		FROM eff e
		CROSS JOIN LATERAL kpi.lawmaking_ministry_scores(make_date(score_agencies.year, 1, 1),
		                                                 make_date(score_agencies.year, 12, 31),
		                                                 score_agencies.rules) m
		WHERE (e.r ->> 'lawmaking_par_weight')::numeric > 0
	),
	scored AS (
		SELECT a.unit_id, a.agency_kind, ai.marks, ai.dossiers, ai.dossiers_on_time, ai.dossiers_online,
		       p.t, p.lines_text, x.indices, x.idx_values, x.idx_text, ux.used_indices, lm.score AS lm_score,
		       lm.roles AS lm_roles, lm.par_weight AS lm_par_weight, c.*,
		       ai.unit_id IS NOT NULL AS has_input
		FROM kpi.unit a
		LEFT JOIN kpi.agency_input ai ON ai.unit_id = a.unit_id AND ai.year = score_agencies.year
		LEFT JOIN plan p ON p.unit_id = a.unit_id
		LEFT JOIN idx x ON x.unit_id = a.unit_id
		LEFT JOIN lm ON lm.unit_id = a.unit_id AND a.agency_kind = 'ministry'
		CROSS JOIN LATERAL (
			SELECT CASE WHEN lm.unit_id IS NULL THEN coalesce(x.indices, '{}')
			            ELSE coalesce(x.indices, '{}')
			                 || jsonb_build_object('par', kpi.lm_par_fraction((x.indices ->> 'par')::numeric, lm.score,
			                                                                  score_agencies.rules))
			       END AS used_indices
		) ux
		LEFT JOIN LATERAL kpi.agency_components(kpi.agency_general_points(ai.marks, score_agencies.rules), p.t,
		                                        ai.dossiers, ai.dossiers_on_time, ai.dossiers_online,
		                                        ux.used_indices, a.agency_kind, score_agencies.rules) c ON true
		WHERE a.agency_kind IS NOT NULL
	),
	-- the explanation ledger (AG2, CS5-CS8 of the work plan, AG3, IX1-IX4, N0.3),
	-- its rows computed in C
	aw AS (
		SELECT sc.*, (e.r -> (sc.agency_kind || '_template') ->> 'work_plan')::numeric AS wp
		FROM scored sc
		CROSS JOIN eff e
		WHERE score_agencies.explain AND sc.score IS NOT NULL
	),
	plan_rows AS (
		SELECT ln.unit_id,
		       kpi.ledger_lines(ln.task_id, ln.t, ln.coef, ln.assigned_qty, ln.completed_qty, ln.passed_qty,
		                        ln.quality_errors, ln.late_events, aw.t, aw.wp, false, true, score_agencies.rules
		                        ORDER BY ln.task_id) AS lines	-- never a hash aggregate (scoring.sql, lrows)
		FROM lines ln
		JOIN aw ON aw.unit_id = ln.unit_id
		GROUP BY ln.unit_id
	),
	ledgers AS (
		SELECT aw.unit_id,
		       kpi.agency_year_ledger(aw.unit_id, score_agencies.year, aw.agency_kind, aw.marks, aw.t, aw.wp, pr.lines,
		                         aw.dossiers, aw.dossiers_on_time, aw.dossiers_online, aw.used_indices, aw.idx_values,
		                         aw.indices, aw.lm_score, aw.lm_par_weight, aw.lm_roles IS NOT NULL, aw.score,
		                         score_agencies.rules) AS ledger
		FROM aw
		LEFT JOIN plan_rows pr ON pr.unit_id = aw.unit_id
	)
	SELECT sc.unit_id, sc.score, kpi.tier_of(sc.score, false, score_agencies.rules),
	       CASE WHEN sc.has_input THEN
	            jsonb_build_object('general_points', sc.general_points, 'work_plan_points', sc.work_plan_points,
	                               'procedures_points', sc.procedures_points, 'par_points', sc.par_points,
	                               'sipas_points', sc.sipas_points, 'pci_points', sc.pci_points,
	                               'dti_points', sc.dti_points, 'kind', sc.agency_kind,
	                               'indices', coalesce(sc.indices, '{}'), 'work_plan', sc.t::text)
	            || CASE WHEN sc.lm_roles IS NOT NULL
	                    THEN jsonb_build_object('lawmaking', jsonb_build_object(
	                             'score', sc.lm_score, 'par_weight', sc.lm_par_weight,
	                             'par_fraction', sc.used_indices -> 'par', 'roles', sc.lm_roles))
	                    ELSE '{}' END
	       END,
	       md5(concat_ws('|', score_agencies.year, sc.agency_kind, sc.marks::text, sc.dossiers, sc.dossiers_on_time,
	                     sc.dossiers_online, sc.lines_text, sc.idx_text, e.r::text, sc.lm_roles::text)),
	       lg.ledger
	FROM scored sc
	CROSS JOIN eff e
	LEFT JOIN ledgers lg ON lg.unit_id = sc.unit_id
$$;

COMMENT ON FUNCTION kpi.score_agencies(integer, jsonb, boolean) IS
'every agency''s yearly score under rules (AG1-AG4): kpi.agency_components over its kpi.agency_input, its own task lines due in the year and its index values as fractions by scale; score NULL without an input row or with nothing assigned; explain: also its ledger rows (kpi.ledger_entry[]) (marks, work-plan lines, procedures, indices, rounding), adding up to 100 - score; with rules lawmaking_par_weight > 0 a ministry''s PAR INDEX fraction is kpi.lm_par_fraction of the index and its law-making score of the year (kpi.lawmaking_ministry_scores, LM7), shown in components -> ''lawmaking''';
