--@ functions

-- Views for reporting ----------------------------------------------------------

-- The reporting views run with the caller's rights, so the row-level security
-- policies of their tables apply to whoever reads them.
CREATE OR REPLACE VIEW kpi.current_official_result WITH (security_invoker = true) AS
SELECT r.run_id, r.official_id, r.unit_id, r.task_group, r.is_leader,
       r.period_start, er.period_end, r.period_kind,
       r.general_points, r.quantity_pct, r.quality_pct, r.progress_pct, r.task_pct, r.task_points,
       r.d, r.dd, r.e, r.score, r.tier, r.disqualified, r.quota_tier, r.quota_tie, r.quota_group, r.quota_rate,
       r.tally, r.input_digest, er.rule_set_id, er.engine_version, er.created_at,
       r.self_general_points, r.self_score, r.not_rated
FROM kpi.official_result r
JOIN kpi.evaluation_run er ON er.run_id = r.run_id
WHERE NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id);

COMMENT ON VIEW kpi.current_official_result IS
'the officials'' results of the current (not superseded) run of every evaluated period, with the run''s rule set, engine version and time';

CREATE OR REPLACE VIEW kpi.current_agency_result WITH (security_invoker = true) AS
SELECT a.run_id, a.unit_id, a.year, a.score, a.components, a.tier,
       a.head_official_id, a.head_tier, a.head_capped, a.input_digest,
       er.rule_set_id, er.engine_version, er.created_at
FROM kpi.agency_result a
JOIN kpi.evaluation_run er ON er.run_id = a.run_id
WHERE NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = a.run_id);

COMMENT ON VIEW kpi.current_agency_result IS
'the agencies'' results of the current run of every evaluated year';

CREATE OR REPLACE VIEW kpi.current_unit_result WITH (security_invoker = true) AS
SELECT r.unit_id, u.name AS unit_name, u.parent_id, r.period_start, r.period_end, r.period_kind,
       count(*) AS officials,
       count(r.score) AS scored,
       avg(r.score) AS mean_score,
       min(r.score) AS min_score,
       max(r.score) AS max_score,
       count(*) FILTER (WHERE t.tier = 'xuat_sac') AS xuat_sac,
       count(*) FILTER (WHERE t.tier = 'tot') AS tot,
       count(*) FILTER (WHERE t.tier = 'hoan_thanh') AS hoan_thanh,
       count(*) FILTER (WHERE t.tier = 'khong_hoan_thanh') AS khong_hoan_thanh,
       count(*) FILTER (WHERE r.quota_tier < r.tier) AS quota_demoted,
       count(*) FILTER (WHERE r.disqualified) AS disqualified,
       count(*) FILTER (WHERE r.is_leader) AS leaders
FROM kpi.current_official_result r
JOIN kpi.unit u ON u.unit_id = r.unit_id
CROSS JOIN LATERAL (SELECT CASE WHEN r.period_kind = 'year' THEN r.quota_tier ELSE r.tier END AS tier) t
GROUP BY r.unit_id, u.name, u.parent_id, r.period_start, r.period_end, r.period_kind;

COMMENT ON VIEW kpi.current_unit_result IS
'per unit and evaluated period, the current results of its officials: how many, how many scored, the mean, lowest and highest score, the number in each tier (for a year after the quota), demoted by the quota, disqualified, and the leaders among them';

CREATE OR REPLACE VIEW kpi.tier_distribution WITH (security_invoker = true) AS
SELECT r.unit_id, r.period_start, r.period_kind,
       CASE WHEN r.period_kind = 'year' THEN r.quota_tier ELSE r.tier END AS tier,
       count(*) AS officials
FROM kpi.current_official_result r
GROUP BY 1, 2, 3, 4;

COMMENT ON VIEW kpi.tier_distribution IS
'number of officials per unit, period and tier in the current results (for a year the tier after the quota; tier NULL: not scored)';

CREATE OR REPLACE VIEW kpi.quota_decisions WITH (security_invoker = true) AS
SELECT r.run_id, r.official_id, r.unit_id, r.task_group, extract(year FROM r.period_start)::int AS year,
       r.score, r.task_points, r.general_points, r.tier, r.quota_tier, r.quota_tie, r.quota_group, r.quota_rate
FROM kpi.current_official_result r
WHERE r.period_kind = 'year' AND (r.quota_tier <> r.tier OR r.quota_tie);

COMMENT ON VIEW kpi.quota_decisions IS
'current year results where the excellent quota demoted the official or a tie across the cut needs a manual decision (CS15)';

CREATE OR REPLACE FUNCTION kpi.lawmaking_backlog_at(as_of date)
RETURNS TABLE (unit_id bigint, role text, backlog bigint, oldest_due date, doc_ids bigint[])
LANGUAGE sql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT d.unit_id, d.role, count(*), min(d.due), array_agg(d.doc_id ORDER BY d.due, d.doc_id)
	FROM kpi.lawmaking_document d
	WHERE kpi.lm_is_backlog(d.due, d.issued, as_of)
	GROUP BY d.unit_id, d.role
	ORDER BY d.unit_id, d.role
$$;

COMMENT ON FUNCTION kpi.lawmaking_backlog_at(date) IS
'per ministry and role, the law-making backlog at as_of (LM3): documents due on or before that day and not issued by then, their number, oldest due date and ids';

CREATE OR REPLACE VIEW kpi.lawmaking_backlog WITH (security_invoker = true) AS
SELECT b.unit_id, b.role, b.backlog, b.oldest_due, b.doc_ids
FROM kpi.lawmaking_backlog_at(current_date) b;

COMMENT ON VIEW kpi.lawmaking_backlog IS
'per ministry and role, the law-making backlog today (kpi.lawmaking_backlog_at(current_date))';
