-- test/sample/cycle_results.sql: what the 2026 cycle of the sample province
-- (test/sample/cycle_reference.sql) did to its results, after kpi.evaluate
-- (test/demo_inside.sh): the officials not rated and why, the moved
-- official's months in two agencies, the self-scores beside the approved ones,
-- the agency on quarterly forms.
\set ON_ERROR_STOP 1
\pset pager off
\pset format wrapped
\pset columns 100

\echo '== not rated in 2026, and why (kpi.official_result.not_rated)'
SELECT r.period_kind, r.not_rated, count(*) AS results,
       string_agg(DISTINCT r.official_id::text, ', ') AS officials
FROM kpi.current_official_result r
WHERE r.not_rated IS NOT NULL
GROUP BY 1, 2 ORDER BY 1, 2;

\echo '== the moved official: each month in the unit of most of its days, the year in the new agency'
SELECT r.period_kind AS kind, to_char(r.period_start, 'MM/YYYY') AS period, r.unit_id,
       ua.agency_id AS agency, r.score, r.tier, r.quota_tier
FROM kpi.current_official_result r
JOIN kpi.unit_agency() ua ON ua.unit_id = r.unit_id
WHERE r.official_id = (SELECT a.official_id FROM kpi.assignment a WHERE lower(a.valid) = '2026-07-16')
  AND (r.period_kind = 'year' OR r.period_start BETWEEN '2026-06-01' AND '2026-08-01')
ORDER BY r.period_kind, r.period_start;

\echo '== self-assessed and approved scores of the months (CY1)'
SELECT count(*) FILTER (WHERE r.self_score IS NOT NULL) AS with_self_score,
       count(*) FILTER (WHERE r.self_score > r.score) AS self_above_approved,
       round(avg(r.self_score - r.score), 2) AS mean_gap,
       (SELECT count(*) FROM kpi.ledger l JOIN kpi.current_official_result c USING (run_id, official_id)
        WHERE l.rule_id = 'CY1') AS cy1_ledger_rows
FROM kpi.current_official_result r
WHERE r.period_kind = 'month';

\echo '== the agency on quarterly forms (CY2): one form a quarter, so G is the same in each of its months'
SELECT to_char(r.period_start, 'YYYY-"Q"Q') AS quarter, count(DISTINCT r.official_id) AS officials,
       count(*) AS month_results,
       count(DISTINCT (r.official_id, r.general_points)) AS official_g_values,
       (SELECT count(*) FROM kpi.general_mark g JOIN kpi.official o USING (official_id)
        WHERE o.unit_id IN (SELECT u.unit_id FROM kpi.unit u WHERE u.unit_id = 25 OR u.parent_id = 25)
          AND date_trunc('quarter', g.period_start) = date_trunc('quarter', min(r.period_start))) AS forms
FROM kpi.current_official_result r
WHERE r.period_kind = 'month' AND r.unit_id IN (SELECT u.unit_id FROM kpi.unit u WHERE u.unit_id = 25 OR u.parent_id = 25)
GROUP BY 1 ORDER BY 1;
