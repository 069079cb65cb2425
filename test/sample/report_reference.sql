-- test/sample/report_reference.sql: the sample province as evaluated by
-- CALL kpi.evaluate over the reference schema (loaded by
-- test/sample/load_reference.sql), printed from the reporting views:
-- tiers per agency after the quota, quota decisions, agency results, one civil
-- servant's explanation (kpi.explain), and a cross-check against the
-- plain-SQL report (test/sample/report.sql, whose final tiers the demo keeps
-- in sample.report_year_tier).
\set ON_ERROR_STOP 1
\pset footer off

-- the agency (root unit) of each unit
CREATE TEMP TABLE ref_agency AS
WITH RECURSIVE up AS (
	SELECT unit_id, unit_id AS root FROM kpi.unit WHERE parent_id IS NULL
	UNION ALL
	SELECT u.unit_id, up.root FROM kpi.unit u JOIN up ON u.parent_id = up.unit_id
)
SELECT up.unit_id, up.root, a.short_name
FROM up JOIN sample.agency a ON 20 + a.agency_id = up.root;

\echo
\echo '================================================================================'
\echo ' ĐÁNH GIÁ BẰNG kpi.evaluate TRÊN LƯỢC ĐỒ THAM CHIẾU / EVALUATED WITH kpi.evaluate'
\echo '================================================================================'
\echo
\echo 'R1. Các lần đánh giá / Evaluation runs (kpi.evaluation_run)'
SELECT period_kind AS "Kỳ", count(*) AS "Số lần", min(period_start) AS "Từ", max(period_end) AS "Đến",
       sum((SELECT count(*) FROM kpi.official_result r WHERE r.run_id = er.run_id)) AS "Kết quả CC",
       sum((SELECT count(*) FROM kpi.ledger l WHERE l.run_id = er.run_id)) AS "Dòng giải trình"
FROM kpi.evaluation_run er
GROUP BY period_kind ORDER BY min(run_id);

\echo
\echo 'R2. Xếp loại năm 2026 sau hạn mức theo cơ quan / Year tiers after the quota, by agency (kpi.tier_distribution)'
SELECT a.short_name AS "Cơ quan",
       sum(t.officials) FILTER (WHERE t.tier = 'xuat_sac') AS "HTXSNV",
       sum(t.officials) FILTER (WHERE t.tier = 'tot') AS "HTTNV",
       sum(t.officials) FILTER (WHERE t.tier = 'hoan_thanh') AS "HTNV",
       sum(t.officials) FILTER (WHERE t.tier = 'khong_hoan_thanh') AS "KHTNV",
       sum(t.officials) FILTER (WHERE t.tier IS NULL) AS "Không chấm",
       sum(t.officials) AS "Cộng"
FROM kpi.tier_distribution t
JOIN ref_agency a USING (unit_id)
WHERE t.period_kind = 'year' AND t.period_start = '2026-01-01'
GROUP BY ROLLUP (a.root, a.short_name)
HAVING grouping(a.short_name) = 0 OR grouping(a.root) = 1
ORDER BY a.root NULLS LAST;

\echo
\echo 'R3. Quyết định hạn mức / Quota decisions (kpi.quota_decisions)'
SELECT count(*) AS "Số quyết định",
       count(*) FILTER (WHERE quota_tier <> tier) AS "Hạ HTXSNV -> HTTNV",
       count(*) FILTER (WHERE quota_tie) AS "Hòa, cần quyết định"
FROM kpi.quota_decisions WHERE year = 2026;

\echo
\echo 'R4. Cơ quan / Agency results (kpi.current_agency_result)'
SELECT a.short_name AS "Cơ quan", round(r.score, 2) AS "Điểm", kpi.tier_label(r.tier) AS "Xếp loại",
       r.head_official_id AS "Người đứng đầu", o.full_name AS "Họ tên",
       kpi.tier_label(r.head_tier) AS "Xếp loại người đứng đầu", r.head_capped AS "Bị giới hạn"
FROM kpi.current_agency_result r
JOIN ref_agency a ON a.unit_id = r.unit_id
LEFT JOIN kpi.official o ON o.official_id = r.head_official_id
WHERE r.year = 2026
ORDER BY r.unit_id;

-- one civil servant: the first reprimanded in the year (a high score that a
-- disqualifier overrides), and the month of the decision
SELECT d.official_id AS ex_id, date_trunc('month', d.decided_on)::date AS ex_month, o.full_name AS ex_name,
       to_char(d.decided_on, 'MM/YYYY') AS ex_month_vi, to_char(d.decided_on, 'YYYY-MM') AS ex_month_en
FROM sample.discipline d JOIN kpi.official o USING (official_id)
ORDER BY d.decided_on, d.official_id LIMIT 1 \gset

\echo
\echo 'R5. Giải trình của một công chức / One civil servant''s explanation (kpi.explain):' :ex_id :'ex_name'
SELECT period_kind AS "Kỳ", period_start AS "Từ", round(score, 2) AS "Điểm", kpi.tier_label(tier) AS "Theo điểm",
       disqualified AS "Vi phạm", kpi.tier_label(quota_tier) AS "Sau hạn mức"
FROM kpi.current_official_result
WHERE official_id = :ex_id AND (period_kind = 'year' OR period_start = :'ex_month')
ORDER BY period_kind DESC;
\echo
\echo '   Năm 2026 (tiếng Việt):'
SELECT line_no AS "#", rule_id AS "Quy định", description AS "Nội dung", points_lost AS "Điểm mất"
FROM kpi.explain(:ex_id, '2026-01-01', 'vi', 'year');
\echo '   Year 2026 (English):'
SELECT line_no AS "#", rule_id AS "Rule", description AS "Description", points_lost AS "Points lost"
FROM kpi.explain(:ex_id, '2026-01-01', 'en', 'year');
\echo '   Tháng' :ex_month_vi '(tiếng Việt):'
SELECT line_no AS "#", rule_id AS "Quy định", description AS "Nội dung", source_table AS "Nguồn",
       source_id AS "Mã", points_lost AS "Điểm mất"
FROM kpi.explain(:ex_id, :'ex_month', 'vi', 'month');
\echo '   Month' :ex_month_en '(English):'
SELECT line_no AS "#", rule_id AS "Rule", description AS "Description", source_table AS "Source",
       source_id AS "Id", points_lost AS "Points lost"
FROM kpi.explain(:ex_id, :'ex_month', 'en', 'month');

\echo
\echo 'R6. Đối chiếu với báo cáo SQL thuần (mục 1-8) / Cross-check against the plain-SQL report'
CREATE TEMP TABLE ref_cmp AS
SELECT s.official_id, o.full_name, o.task_group, o.is_leader, o.leads_unit,
       s.annual AS sql_score, r.score AS kpi_score,
       s.tier AS sql_tier, r.tier AS kpi_tier, s.tier_final AS sql_final, r.quota_tier AS kpi_final
FROM sample.report_year_tier s
JOIN kpi.official o USING (official_id)
LEFT JOIN kpi.current_official_result r
  ON r.official_id = s.official_id AND r.period_kind = 'year' AND r.period_start = '2026-01-01';

SELECT count(*) AS "Công chức",
       count(*) FILTER (WHERE sql_score IS DISTINCT FROM kpi_score) AS "Điểm năm khác",
       count(*) FILTER (WHERE sql_tier IS DISTINCT FROM kpi_tier) AS "Mức theo điểm khác",
       count(*) FILTER (WHERE sql_final IS DISTINCT FROM kpi_final) AS "Mức cuối năm khác"
FROM ref_cmp;
SELECT count(*) FILTER (WHERE sql_final IS DISTINCT FROM kpi_final) AS n_diff FROM ref_cmp \gset
\echo 'CROSS-CHECK: officials whose year tier from kpi.evaluate differs from the plain-SQL final tier:' :n_diff
SELECT official_id AS "Mã", full_name AS "Họ tên", task_group AS "Nhóm", is_leader AS "LĐ",
       round(sql_score, 2) AS "Điểm SQL", round(kpi_score, 2) AS "Điểm kpi",
       sql_tier AS "Mức SQL", kpi_tier AS "Mức kpi", sql_final AS "Cuối SQL", kpi_final AS "Cuối kpi"
FROM ref_cmp
WHERE sql_final IS DISTINCT FROM kpi_final OR sql_tier IS DISTINCT FROM kpi_tier
   OR sql_score IS DISTINCT FROM kpi_score
ORDER BY official_id
LIMIT 40;
