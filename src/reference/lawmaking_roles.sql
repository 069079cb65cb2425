--@ schema

------------------------------------------------------------------------------
-- Law-making by role group (rules.md LM5-LM7): the impact marks, and the
-- scores of each ministry per role group and rolled up across its roles
------------------------------------------------------------------------------

CREATE TABLE kpi.lawmaking_impact (
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	role text NOT NULL,
	period_start date NOT NULL,
	period_end date NOT NULL,
	mark numeric NOT NULL CHECK (mark >= 0),
	PRIMARY KEY (unit_id, role, period_start, period_end),
	CONSTRAINT lawmaking_impact_role
		CHECK (role IN ('drafting', 'appraisal', 'joint_appraisal', 'government_office', 'poll', 'finalising')),
	CONSTRAINT lawmaking_impact_period CHECK (period_end >= period_start)
);

COMMENT ON TABLE kpi.lawmaking_impact IS
'the "results and impact" mark of a ministry in a law-making role group for one period (LM4, LM5), given by the evaluation council; at most the impact points of the role group''s template (checked when scored); no row: no impact points';

SELECT pg_catalog.pg_extension_config_dump('kpi.lawmaking_impact', '');

--@ functions

CREATE OR REPLACE FUNCTION kpi.lawmaking_role_scores(period_start date, period_end date, rules jsonb)
RETURNS TABLE (unit_id bigint, role text, documents bigint, summary kpi.lawmaking, impact numeric,
               score numeric)
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT g.unit_id, g.role, g.documents, g.s, i.mark,
	       kpi.lm_role_score(g.s, g.role, coalesce(i.mark, 0), lawmaking_role_scores.rules)
	FROM (
		SELECT d.unit_id, d.role,
		       count(*) FILTER (WHERE d.due BETWEEN lawmaking_role_scores.period_start AND lawmaking_role_scores.period_end
		                           OR d.issued BETWEEN lawmaking_role_scores.period_start AND lawmaking_role_scores.period_end) AS documents,
		       kpi.lawmaking_agg(d.due, d.issued, d.times_returned, d.obstacles_detected, d.obstacles_resolved,
		                         d.initiatives, lawmaking_role_scores.period_start, lawmaking_role_scores.period_end) AS s
		FROM kpi.lawmaking_document d
		GROUP BY d.unit_id, d.role
	) g
	LEFT JOIN kpi.lawmaking_impact i
	       ON i.unit_id = g.unit_id AND i.role = g.role
	      AND i.period_start = lawmaking_role_scores.period_start AND i.period_end = lawmaking_role_scores.period_end
	WHERE g.s IS NOT NULL
	ORDER BY g.unit_id, g.role
$$;

COMMENT ON FUNCTION kpi.lawmaking_role_scores(date, date, jsonb) IS
'per ministry and role group, the law-making summary of [period_start, period_end] over its kpi.lawmaking_document rows, the documents dated in the period (due or issued in it), the impact mark recorded for exactly that period (kpi.lawmaking_impact; NULL: none, scored as 0) and kpi.lm_role_score under rules (LM5)';

CREATE OR REPLACE FUNCTION kpi.lawmaking_ministry_scores(period_start date, period_end date, rules jsonb)
RETURNS TABLE (unit_id bigint, score numeric, roles jsonb)
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT r.unit_id,
	       kpi.lm_ministry_score(r.role, r.summary, coalesce(r.impact, 0), r.documents, lawmaking_ministry_scores.rules),
	       jsonb_object_agg(r.role, jsonb_build_object('documents', r.documents, 'impact', r.impact,
	                                                   'score', r.score, 'summary', r.summary::text))
	FROM kpi.lawmaking_role_scores(lawmaking_ministry_scores.period_start, lawmaking_ministry_scores.period_end,
	                               lawmaking_ministry_scores.rules) r
	GROUP BY r.unit_id
	ORDER BY r.unit_id
$$;

COMMENT ON FUNCTION kpi.lawmaking_ministry_scores(date, date, jsonb) IS
'per ministry, its law-making score of [period_start, period_end] rolled up across its role groups (kpi.lm_ministry_score over kpi.lawmaking_role_scores, LM6) and, per role, its documents, impact mark, score and summary';
