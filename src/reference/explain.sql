--@ functions


CREATE OR REPLACE FUNCTION kpi.explain(official_id bigint, period_start date, lang text DEFAULT 'vi',
                            period_kind text DEFAULT NULL)
RETURNS TABLE (line_no integer, rule_id text, description text, source_table text, source_id bigint,
               points_lost numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_official bigint := explain.official_id;
	v_start date := explain.period_start;
	v_lang text := explain.lang;
	v_kinds text[];
	v_run bigint;
	v_kind text;
BEGIN
	IF v_lang IS NULL THEN
		RAISE EXCEPTION 'label language must not be NULL'
			USING ERRCODE = '22004', HINT = 'Use ''vi'' (Vietnamese) or ''en'' (English).';
	END IF;
	IF v_lang NOT IN ('vi', 'en') THEN
		RAISE EXCEPTION 'unknown label language "%"', v_lang
			USING ERRCODE = '22023', HINT = 'Use ''vi'' (Vietnamese) or ''en'' (English).';
	END IF;
	IF explain.period_kind IS NOT NULL THEN
		PERFORM kpi.evaluation_period_end(v_start, explain.period_kind);
	END IF;
	SELECT array_agg(r.period_kind ORDER BY r.period_kind), min(r.run_id) INTO v_kinds, v_run
	FROM kpi.official_result r
	JOIN kpi.evaluation_run er ON er.run_id = r.run_id
	WHERE r.official_id = v_official AND r.period_start = v_start
	  AND (explain.period_kind IS NULL OR r.period_kind = explain.period_kind)
	  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id);
	IF v_kinds IS NULL THEN
		RAISE EXCEPTION 'official % has no current result for the period starting %', v_official,
			to_char(v_start, 'YYYY-MM-DD')
			USING ERRCODE = 'P0002',
			      HINT = 'Evaluate the period with kpi.evaluate; an official with nothing in the period has no result.';
	END IF;
	IF cardinality(v_kinds) > 1 THEN
		RAISE EXCEPTION 'official % has results for % periods starting %', v_official,
			array_to_string(v_kinds, ' and '), to_char(v_start, 'YYYY-MM-DD')
			USING ERRCODE = '22023', HINT = 'Pass period_kind => ''month'', ''quarter'' or ''year''.';
	END IF;
	v_kind := v_kinds[1];

	RETURN QUERY
	SELECT l.line_no, l.rule_id,
	       kpi.ledger_description(l.rule_id, l.detail, l.source_id, l.points_lost, v_lang),
	       l.source_table, l.source_id, l.points_lost
	FROM kpi.ledger l
	WHERE l.run_id = v_run AND l.official_id = v_official
	ORDER BY l.line_no;
END
$$;

COMMENT ON FUNCTION kpi.explain(bigint, date, text, text) IS
'the ledger of an official''s current result for the period starting period_start (period_kind needed only when several kinds start that day), one row per cause with a description in Vietnamese (''vi'') or English (''en''); points_lost adds up to 100 - score';

CREATE OR REPLACE FUNCTION kpi.explain_agency(unit_id bigint, year integer, lang text DEFAULT 'vi')
RETURNS TABLE (line_no integer, rule_id text, description text, source_table text, source_id bigint,
               points_lost numeric)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_run bigint;
BEGIN
	IF explain_agency.lang IS NULL THEN
		RAISE EXCEPTION 'label language must not be NULL'
			USING ERRCODE = '22004', HINT = 'Use ''vi'' (Vietnamese) or ''en'' (English).';
	END IF;
	IF explain_agency.lang NOT IN ('vi', 'en') THEN
		RAISE EXCEPTION 'unknown label language "%"', explain_agency.lang
			USING ERRCODE = '22023', HINT = 'Use ''vi'' (Vietnamese) or ''en'' (English).';
	END IF;
	SELECT a.run_id INTO v_run
	FROM kpi.agency_result a
	WHERE a.unit_id = explain_agency.unit_id AND a.year = explain_agency.year
	  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = a.run_id);
	IF v_run IS NULL THEN
		RAISE EXCEPTION 'agency % has no current result for %', explain_agency.unit_id, explain_agency.year
			USING ERRCODE = 'P0002',
			      HINT = 'Evaluate the year with kpi.evaluate(''<year>-01-01'', ''year''); only units with an agency_kind are rated.';
	END IF;
	RETURN QUERY
	SELECT l.line_no, l.rule_id,
	       kpi.ledger_description(l.rule_id, l.detail, l.source_id, l.points_lost, explain_agency.lang),
	       l.source_table, l.source_id, l.points_lost
	FROM kpi.agency_ledger l
	WHERE l.run_id = v_run AND l.unit_id = explain_agency.unit_id
	ORDER BY l.line_no;
END
$$;

COMMENT ON FUNCTION kpi.explain_agency(bigint, integer, text) IS
'the ledger of an agency''s current yearly result, one row per cause with a description in Vietnamese (''vi'') or English (''en''); points_lost adds up to 100 - score (no rows when the agency was not scored)';

CREATE OR REPLACE FUNCTION kpi.what_if(period_start date, period_kind text, rules jsonb)
RETURNS TABLE (official_id bigint, current_score numeric, current_tier kpi.tier, new_score numeric,
               new_tier kpi.tier, changed boolean)
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT coalesce(c.official_id, n.official_id),
	       c.score, CASE WHEN what_if.period_kind = 'year' THEN c.quota_tier ELSE c.tier END,
	       n.score, CASE WHEN what_if.period_kind = 'year' THEN n.quota_tier ELSE n.tier END,
	       (CASE WHEN what_if.period_kind = 'year' THEN c.quota_tier ELSE c.tier END)
	       IS DISTINCT FROM (CASE WHEN what_if.period_kind = 'year' THEN n.quota_tier ELSE n.tier END)
	FROM kpi.score_period(what_if.period_start, what_if.period_kind) c
	FULL JOIN kpi.score_period(what_if.period_start, what_if.period_kind, what_if.rules) n
	  ON n.official_id = c.official_id
	ORDER BY 1
$$;

COMMENT ON FUNCTION kpi.what_if(date, text, jsonb) IS
'per official, the score and tier of a month, quarter or year under the rule set in force and under the given (draft) rules, and whether the tier changes; writes nothing; a year re-scores the current period results (a draft that changes deduction rates cannot re-score stored tallies: try it on the months)';
