--@ schema

-- Reporting views for BI tools (schema kpi_report) ------------------------------
--
-- The same results as the views of schema kpi, in built-in scalar types only,
-- so that JDBC, ODBC, psycopg and the BI tools on top of them read every
-- column: scores numeric(5,2) (rounded half away from zero, N0.3), percentages
-- numeric(5,2) on the 0..100 scale, tiers as a text code with a rank and the
-- official names in Vietnamese and English, dates as date, no custom types, no
-- jsonb and no arrays (an array or a jsonb object is a child view).  Every view
-- runs with the caller's rights (security_invoker), so the row-level security
-- of the kpi tables applies.

CREATE SCHEMA kpi_report;
COMMENT ON SCHEMA kpi_report IS
'reporting views of kpi_eval_reference for BI tools: built-in scalar types only, comments in English and Vietnamese / các khung nhìn báo cáo cho công cụ BI: chỉ kiểu dữ liệu có sẵn, chú thích tiếng Anh và tiếng Việt';
--@ functions

-- Dimension: tiers --------------------------------------------------------------
CREATE OR REPLACE VIEW kpi_report.tier WITH (security_invoker = true) AS
SELECT t::text AS tier_code,
       pg_catalog.array_position(pg_catalog.enum_range(NULL::kpi.tier), t)::smallint AS tier_rank,
       kpi.tier_label(t, 'vi') AS tier_label_vi,
       kpi.tier_label(t, 'en') AS tier_label_en
FROM pg_catalog.unnest(pg_catalog.enum_range(NULL::kpi.tier)) AS t;

COMMENT ON VIEW kpi_report.tier IS
'the four rating tiers (CS13) with their rank and official names / bốn mức xếp loại với thứ hạng và tên chính thức';
COMMENT ON COLUMN kpi_report.tier.tier_code IS 'tier code: khong_hoan_thanh, hoan_thanh, tot, xuat_sac / mã mức xếp loại';
COMMENT ON COLUMN kpi_report.tier.tier_rank IS 'rank for sorting: 1 = not complete, 2 = complete, 3 = good, 4 = excellent / thứ hạng để sắp xếp: 1 = không hoàn thành .. 4 = xuất sắc';
COMMENT ON COLUMN kpi_report.tier.tier_label_vi IS 'official name in Vietnamese / tên chính thức bằng tiếng Việt';
COMMENT ON COLUMN kpi_report.tier.tier_label_en IS 'official name in English / tên chính thức bằng tiếng Anh';

-- Dimension: units --------------------------------------------------------------
CREATE OR REPLACE VIEW kpi_report.unit WITH (security_invoker = true) AS
WITH RECURSIVE tree AS (
	SELECT u.unit_id, u.parent_id, u.name, u.agency_kind,
	       1 AS level, u.name AS path, '/' || u.unit_id || '/' AS id_path,
	       u.unit_id AS root_id,
	       CASE WHEN u.agency_kind IS NOT NULL THEN u.unit_id END AS agency_id
	FROM kpi.unit u
	WHERE u.parent_id IS NULL
	   OR NOT EXISTS (SELECT 1 FROM kpi.unit p WHERE p.unit_id = u.parent_id)	-- a visible subtree's top
	UNION ALL
	SELECT c.unit_id, c.parent_id, c.name, c.agency_kind,
	       t.level + 1, t.path || ' > ' || c.name, t.id_path || c.unit_id || '/',
	       t.root_id,
	       CASE WHEN c.agency_kind IS NOT NULL THEN c.unit_id ELSE t.agency_id END
	FROM kpi.unit c
	JOIN tree t ON c.parent_id = t.unit_id
)
SELECT t.unit_id, t.parent_id, t.name AS unit_name, t.level::smallint AS unit_level,
       t.path AS unit_path, t.id_path AS unit_id_path,
       coalesce(t.agency_id, t.root_id) AS agency_id, a.name AS agency_name, a.agency_kind,
       t.agency_kind IS NOT NULL AS is_rated_agency
FROM tree t
JOIN kpi.unit a ON a.unit_id = coalesce(t.agency_id, t.root_id);

COMMENT ON VIEW kpi_report.unit IS
'units with their level, path and agency (the nearest rated agency above or at the unit, else the root); under row-level security the path starts at the highest visible unit / đơn vị với cấp, đường dẫn và cơ quan của đơn vị';
COMMENT ON COLUMN kpi_report.unit.unit_id IS 'unit id (kpi.unit) / mã đơn vị';
COMMENT ON COLUMN kpi_report.unit.parent_id IS 'parent unit id, NULL at a root / mã đơn vị cấp trên, NULL ở gốc';
COMMENT ON COLUMN kpi_report.unit.unit_name IS 'unit name / tên đơn vị';
COMMENT ON COLUMN kpi_report.unit.unit_level IS 'depth in the tree: 1 at a root / cấp trong cây: 1 ở gốc';
COMMENT ON COLUMN kpi_report.unit.unit_path IS 'names from the root down, separated by " > " / tên từ gốc xuống, ngăn cách bằng " > "';
COMMENT ON COLUMN kpi_report.unit.unit_id_path IS 'ids from the root down, as /21/35/ (prefix match finds a subtree) / mã từ gốc xuống, dạng /21/35/';
COMMENT ON COLUMN kpi_report.unit.agency_id IS 'the agency of the unit: the nearest rated agency at or above it, else its root / cơ quan của đơn vị';
COMMENT ON COLUMN kpi_report.unit.agency_name IS 'name of the agency / tên cơ quan';
COMMENT ON COLUMN kpi_report.unit.agency_kind IS 'ministry or province when the agency is rated (AG3), else NULL / bộ hoặc tỉnh khi cơ quan được xếp loại, ngược lại NULL';
COMMENT ON COLUMN kpi_report.unit.is_rated_agency IS 'true when the unit itself is a rated agency / đúng khi chính đơn vị là cơ quan được xếp loại';

-- Dimension: periods ------------------------------------------------------------
-- every month, quarter and year of each year that has an evaluation run
CREATE OR REPLACE VIEW kpi_report.period WITH (security_invoker = true) AS
WITH years AS (
	SELECT DISTINCT pg_catalog.date_part('year', er.period_start)::integer AS y FROM kpi.evaluation_run er
), p AS (
	SELECT 'month' AS kind, pg_catalog.make_date(y, m, 1) AS s, y, m AS n FROM years, pg_catalog.generate_series(1, 12) m
	UNION ALL
	SELECT 'quarter', pg_catalog.make_date(y, 3 * q - 2, 1), y, q FROM years, pg_catalog.generate_series(1, 4) q
	UNION ALL
	SELECT 'year', pg_catalog.make_date(y, 1, 1), y, NULL FROM years
)
SELECT CASE p.kind WHEN 'month' THEN pg_catalog.to_char(p.s, 'YYYY-MM')
                   WHEN 'quarter' THEN p.y || '-Q' || p.n ELSE p.y::text END AS period_key,
       p.kind AS period_kind, p.s AS period_start,
       (p.s + CASE p.kind WHEN 'month' THEN interval '1 month' WHEN 'quarter' THEN interval '3 months'
                          ELSE interval '1 year' END - interval '1 day')::date AS period_end,
       p.y::smallint AS year,
       pg_catalog.date_part('quarter', p.s)::smallint AS quarter,
       CASE p.kind WHEN 'month' THEN p.n::smallint END AS month,
       CASE p.kind WHEN 'month' THEN 'Tháng ' || pg_catalog.to_char(p.s, 'MM/YYYY')
                   WHEN 'quarter' THEN 'Quý ' || (ARRAY['I', 'II', 'III', 'IV'])[p.n] || '/' || p.y
                   ELSE 'Năm ' || p.y END AS period_label_vi,
       CASE p.kind WHEN 'month' THEN pg_catalog.to_char(p.s, 'FMMonth YYYY')
                   WHEN 'quarter' THEN 'Q' || p.n || ' ' || p.y
                   ELSE 'Year ' || p.y END AS period_label_en,
       CASE p.kind WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 ELSE 3 END::smallint AS period_kind_rank
FROM p;

COMMENT ON VIEW kpi_report.period IS
'every month, quarter and year of each year that has an evaluation run, with labels / mọi tháng, quý và năm của các năm đã có lần đánh giá, kèm nhãn';
COMMENT ON COLUMN kpi_report.period.period_key IS 'key: 2026-01 (month), 2026-Q1 (quarter), 2026 (year) / khóa kỳ';
COMMENT ON COLUMN kpi_report.period.period_kind IS 'month, quarter or year / loại kỳ: tháng, quý, năm';
COMMENT ON COLUMN kpi_report.period.period_start IS 'first day of the period / ngày đầu kỳ';
COMMENT ON COLUMN kpi_report.period.period_end IS 'last day of the period / ngày cuối kỳ';
COMMENT ON COLUMN kpi_report.period.year IS 'calendar year / năm';
COMMENT ON COLUMN kpi_report.period.quarter IS 'quarter 1-4 the period starts in / quý (1-4) của ngày đầu kỳ';
COMMENT ON COLUMN kpi_report.period.month IS 'month 1-12 for a month, else NULL / tháng (1-12) với kỳ tháng, ngược lại NULL';
COMMENT ON COLUMN kpi_report.period.period_label_vi IS 'label in Vietnamese: Tháng 01/2026, Quý I/2026, Năm 2026 / nhãn tiếng Việt';
COMMENT ON COLUMN kpi_report.period.period_label_en IS 'label in English: January 2026, Q1 2026, Year 2026 / nhãn tiếng Anh';
COMMENT ON COLUMN kpi_report.period.period_kind_rank IS 'sort order of the kind: 1 month, 2 quarter, 3 year / thứ tự loại kỳ';

-- Fact: officials ---------------------------------------------------------------
CREATE OR REPLACE VIEW kpi_report.official_result WITH (security_invoker = true) AS
SELECT r.run_id, r.official_id, o.full_name, r.unit_id, u.agency_id, r.task_group, r.is_leader,
       CASE r.period_kind WHEN 'month' THEN pg_catalog.to_char(r.period_start, 'YYYY-MM')
                          WHEN 'quarter' THEN pg_catalog.to_char(r.period_start, 'YYYY-"Q"Q')
                          ELSE pg_catalog.to_char(r.period_start, 'YYYY') END AS period_key,
       r.period_kind, r.period_start, r.period_end,
       pg_catalog.date_part('year', r.period_start)::smallint AS year,
       r.score::numeric(5,2) AS score,
       r.general_points::numeric(5,2) AS general_points,
       r.task_points::numeric(5,2) AS task_points,
       r.quantity_pct::numeric(5,2) AS quantity_pct,
       r.quality_pct::numeric(5,2) AS quality_pct,
       r.progress_pct::numeric(5,2) AS progress_pct,
       r.task_pct::numeric(5,2) AS task_pct,
       r.d::numeric(5,2) AS leader_d_pct,
       r.dd::numeric(5,2) AS leader_dd_pct,
       r.e::numeric(5,2) AS leader_e_pct,
       ft.tier_code AS final_tier, ft.tier_rank AS final_tier_rank,
       ft.tier_label_vi AS final_tier_label_vi, ft.tier_label_en AS final_tier_label_en,
       pt.tier_code AS pre_quota_tier, pt.tier_rank AS pre_quota_tier_rank,
       pt.tier_label_vi AS pre_quota_tier_label_vi, pt.tier_label_en AS pre_quota_tier_label_en,
       coalesce(r.disqualified, false) AS disqualified,
       coalesce(r.period_kind = 'year' AND r.quota_tier < r.tier, false) AS quota_demoted,
       coalesce(r.quota_tie, false) AS quota_tie,
       r.quota_group,
       (r.quota_rate * 100)::numeric(5,2) AS quota_rate_pct,
       r.rule_set_id, r.engine_version,
       (r.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS evaluated_on,
       r.self_general_points::numeric(5,2) AS self_general_points,
       r.self_score::numeric(5,2) AS self_score,
       r.not_rated IS NOT NULL AS not_rated,
       r.not_rated AS not_rated_reason
FROM kpi.current_official_result r
JOIN kpi.official o ON o.official_id = r.official_id
LEFT JOIN kpi_report.unit u ON u.unit_id = r.unit_id
LEFT JOIN kpi_report.tier ft
  ON ft.tier_code = (CASE WHEN r.period_kind = 'year' THEN r.quota_tier ELSE r.tier END)::text
LEFT JOIN kpi_report.tier pt ON pt.tier_code = r.tier::text;

COMMENT ON VIEW kpi_report.official_result IS
'one row per official and evaluated period, current runs only (CS11-CS15): scores numeric(5,2), percentages 0..100, the final tier (after the excellent quota for a year) and the tier before the quota / mỗi công chức, mỗi kỳ đã đánh giá: điểm, tỷ lệ, mức xếp loại chính thức (sau hạn mức với kỳ năm) và mức trước hạn mức';
COMMENT ON COLUMN kpi_report.official_result.run_id IS 'the evaluation run (kpi.evaluation_run) / lần đánh giá';
COMMENT ON COLUMN kpi_report.official_result.official_id IS 'official id (kpi.official) / mã công chức';
COMMENT ON COLUMN kpi_report.official_result.full_name IS 'full name / họ và tên';
COMMENT ON COLUMN kpi_report.official_result.unit_id IS 'the official''s unit when evaluated / đơn vị của công chức khi đánh giá';
COMMENT ON COLUMN kpi_report.official_result.agency_id IS 'the agency of that unit (kpi_report.unit) / cơ quan của đơn vị';
COMMENT ON COLUMN kpi_report.official_result.task_group IS 'group of civil servants with similar tasks (CS15) / nhóm công chức có nhiệm vụ tương đồng';
COMMENT ON COLUMN kpi_report.official_result.is_leader IS 'scored as a leader with d, đ, e (CS9-CS10) / được chấm như lãnh đạo';
COMMENT ON COLUMN kpi_report.official_result.period_key IS 'period key, joins kpi_report.period / khóa kỳ, nối với kpi_report.period';
COMMENT ON COLUMN kpi_report.official_result.period_kind IS 'month, quarter or year / loại kỳ';
COMMENT ON COLUMN kpi_report.official_result.period_start IS 'first day of the period / ngày đầu kỳ';
COMMENT ON COLUMN kpi_report.official_result.period_end IS 'last day of the period / ngày cuối kỳ';
COMMENT ON COLUMN kpi_report.official_result.year IS 'calendar year of the period / năm của kỳ';
COMMENT ON COLUMN kpi_report.official_result.score IS 'total score on the 100-point scale, 2 decimals; NULL: not scored (N0.4) / tổng điểm thang 100, 2 chữ số thập phân; NULL: không chấm';
COMMENT ON COLUMN kpi_report.official_result.general_points IS 'general criteria G, points 0..30 (CS3) / điểm tiêu chí chung, 0..30';
COMMENT ON COLUMN kpi_report.official_result.task_points IS 'task results T = 0.70 x KQ, points 0..70 (CS9) / điểm kết quả nhiệm vụ, 0..70';
COMMENT ON COLUMN kpi_report.official_result.quantity_pct IS 'quantity a, percent 0..100 (CS5) / số lượng a, phần trăm';
COMMENT ON COLUMN kpi_report.official_result.quality_pct IS 'quality b, percent 0..100 (CS6) / chất lượng b, phần trăm';
COMMENT ON COLUMN kpi_report.official_result.progress_pct IS 'progress c, percent 0..100 (CS7) / tiến độ c, phần trăm';
COMMENT ON COLUMN kpi_report.official_result.task_pct IS 'task percentage KQ, percent 0..100 (CS9) / tỷ lệ kết quả nhiệm vụ KQ, phần trăm';
COMMENT ON COLUMN kpi_report.official_result.leader_d_pct IS 'leader criterion d, 100 or 50 percent; NULL for non-leaders (CS10) / tiêu chí d của lãnh đạo';
COMMENT ON COLUMN kpi_report.official_result.leader_dd_pct IS 'leader criterion đ, 100 or 50 percent (CS10) / tiêu chí đ của lãnh đạo';
COMMENT ON COLUMN kpi_report.official_result.leader_e_pct IS 'leader criterion e, 100 or 50 percent (CS10) / tiêu chí e của lãnh đạo';
COMMENT ON COLUMN kpi_report.official_result.final_tier IS 'the official tier: for a year after the excellent quota (CS15), else the tier of the score (CS13-CS14); NULL: not scored / mức xếp loại chính thức';
COMMENT ON COLUMN kpi_report.official_result.final_tier_rank IS 'rank of final_tier: 1 not complete .. 4 excellent / thứ hạng của mức chính thức';
COMMENT ON COLUMN kpi_report.official_result.final_tier_label_vi IS 'official name of final_tier in Vietnamese / tên mức chính thức, tiếng Việt';
COMMENT ON COLUMN kpi_report.official_result.final_tier_label_en IS 'official name of final_tier in English / tên mức chính thức, tiếng Anh';
COMMENT ON COLUMN kpi_report.official_result.pre_quota_tier IS 'the tier of the score before the excellent quota (CS13-CS14); equal to final_tier for months and quarters / mức theo điểm trước hạn mức';
COMMENT ON COLUMN kpi_report.official_result.pre_quota_tier_rank IS 'rank of pre_quota_tier: 1 not complete .. 4 excellent / thứ hạng của mức trước hạn mức';
COMMENT ON COLUMN kpi_report.official_result.pre_quota_tier_label_vi IS 'name of pre_quota_tier in Vietnamese / tên mức trước hạn mức, tiếng Việt';
COMMENT ON COLUMN kpi_report.official_result.pre_quota_tier_label_en IS 'name of pre_quota_tier in English / tên mức trước hạn mức, tiếng Anh';
COMMENT ON COLUMN kpi_report.official_result.disqualified IS 'not complete regardless of the score (CS14) / không hoàn thành do vi phạm, bất kể điểm';
COMMENT ON COLUMN kpi_report.official_result.quota_demoted IS 'rated good instead of excellent by the quota (CS15) / bị hạ từ xuất sắc xuống tốt do hạn mức';
COMMENT ON COLUMN kpi_report.official_result.quota_tie IS 'tied across the quota cut: needs a manual decision (CS15) / bằng điểm tại ngưỡng hạn mức, cần quyết định';
COMMENT ON COLUMN kpi_report.official_result.self_general_points IS 'G of the official''s self-assessment (CY1); NULL: none recorded, or a year / điểm tiêu chí chung cá nhân tự chấm';
COMMENT ON COLUMN kpi_report.official_result.self_score IS 'the score with the self-assessed marks and the same task results (CY1); score is the approved one; NULL: no self-assessment, not rated, or a year / điểm theo phiếu cá nhân tự chấm';
COMMENT ON COLUMN kpi_report.official_result.not_rated IS 'true when the official is not rated in the period (score NULL for a reason: form not approved, too few days worked; CY1, CY4) / chưa xếp loại trong kỳ';
COMMENT ON COLUMN kpi_report.official_result.not_rated_reason IS 'why not rated, in English: not approved (pending: level), worked n days (min_days_worked m), no month of the year rated; NULL when rated or with nothing assigned / lý do chưa xếp loại';
COMMENT ON COLUMN kpi_report.official_result.quota_group IS 'the quota group (CS15), for a year / nhóm hạn mức';
COMMENT ON COLUMN kpi_report.official_result.quota_rate_pct IS 'the excellent quota rate applied, percent of the good count (20.00 by default; CS15) / tỷ lệ hạn mức xuất sắc, phần trăm';
COMMENT ON COLUMN kpi_report.official_result.rule_set_id IS 'the rule set of the run (RS2) / bộ quy tắc đã dùng';
COMMENT ON COLUMN kpi_report.official_result.engine_version IS 'the kpi_eval version of the run / phiên bản kpi_eval của lần đánh giá';
COMMENT ON COLUMN kpi_report.official_result.evaluated_on IS 'the day of the run, in Asia/Ho_Chi_Minh / ngày đánh giá, giờ Việt Nam';

-- Fact: the ledger of an official's result (kpi.ledger without jsonb) -------------
CREATE OR REPLACE VIEW kpi_report.ledger_line WITH (security_invoker = true) AS
SELECT r.run_id, r.official_id, r.unit_id, r.period_key, r.period_kind, r.period_start,
       l.line_no, l.rule_id, l.source_table, l.source_id,
       l.points_lost::numeric(9,6) AS points_lost,
       kpi.ledger_description(l.rule_id, l.detail, l.source_id, l.points_lost, 'vi') AS description_vi,
       kpi.ledger_description(l.rule_id, l.detail, l.source_id, l.points_lost, 'en') AS description_en
FROM kpi_report.official_result r
JOIN kpi.ledger l ON l.run_id = r.run_id AND l.official_id = r.official_id;

COMMENT ON VIEW kpi_report.ledger_line IS
'the explanation ledger of the current results: the points lost per cause, adding up to 100 - score / sổ giải trình: điểm bị trừ theo từng nguyên nhân, cộng lại bằng 100 - điểm';
COMMENT ON COLUMN kpi_report.ledger_line.run_id IS 'the evaluation run / lần đánh giá';
COMMENT ON COLUMN kpi_report.ledger_line.official_id IS 'official id / mã công chức';
COMMENT ON COLUMN kpi_report.ledger_line.unit_id IS 'the official''s unit / đơn vị';
COMMENT ON COLUMN kpi_report.ledger_line.period_key IS 'period key, joins kpi_report.period / khóa kỳ';
COMMENT ON COLUMN kpi_report.ledger_line.period_kind IS 'month, quarter or year / loại kỳ';
COMMENT ON COLUMN kpi_report.ledger_line.period_start IS 'first day of the period / ngày đầu kỳ';
COMMENT ON COLUMN kpi_report.ledger_line.line_no IS 'line number within the result / số thứ tự dòng';
COMMENT ON COLUMN kpi_report.ledger_line.rule_id IS 'the rule (RULES.md), for example CS5 / mã quy tắc';
COMMENT ON COLUMN kpi_report.ledger_line.source_table IS 'the input table of the cause, if any / bảng nguồn';
COMMENT ON COLUMN kpi_report.ledger_line.source_id IS 'the id of the source row, if any / mã dòng nguồn';
COMMENT ON COLUMN kpi_report.ledger_line.points_lost IS 'points lost, 6 decimals (negative: credit from over-completion, CS8) / số điểm bị trừ, 6 chữ số thập phân';
COMMENT ON COLUMN kpi_report.ledger_line.description_vi IS 'the cause in Vietnamese / nội dung bằng tiếng Việt';
COMMENT ON COLUMN kpi_report.ledger_line.description_en IS 'the cause in English / nội dung bằng tiếng Anh';

-- Fact: units -------------------------------------------------------------------
CREATE OR REPLACE VIEW kpi_report.unit_result WITH (security_invoker = true) AS
SELECT r.unit_id, r.agency_id, r.period_key, r.period_kind, r.period_start, r.period_end, r.year,
       count(*)::integer AS officials,
       count(r.score)::integer AS scored,
       avg(r.score)::numeric(5,2) AS mean_score,
       min(r.score)::numeric(5,2) AS min_score,
       max(r.score)::numeric(5,2) AS max_score,
       count(*) FILTER (WHERE r.final_tier = 'xuat_sac')::integer AS final_xuat_sac,
       count(*) FILTER (WHERE r.final_tier = 'tot')::integer AS final_tot,
       count(*) FILTER (WHERE r.final_tier = 'hoan_thanh')::integer AS final_hoan_thanh,
       count(*) FILTER (WHERE r.final_tier = 'khong_hoan_thanh')::integer AS final_khong_hoan_thanh,
       count(*) FILTER (WHERE r.pre_quota_tier = 'xuat_sac')::integer AS pre_quota_xuat_sac,
       count(*) FILTER (WHERE r.pre_quota_tier = 'tot')::integer AS pre_quota_tot,
       count(*) FILTER (WHERE r.quota_demoted)::integer AS quota_demoted,
       count(*) FILTER (WHERE r.quota_tie)::integer AS quota_ties,
       count(*) FILTER (WHERE r.disqualified)::integer AS disqualified,
       count(*) FILTER (WHERE r.is_leader)::integer AS leaders
FROM kpi_report.official_result r
GROUP BY r.unit_id, r.agency_id, r.period_key, r.period_kind, r.period_start, r.period_end, r.year;

COMMENT ON VIEW kpi_report.unit_result IS
'per unit and evaluated period: officials, scores, and the count in each final tier (after the quota for a year) and before the quota / mỗi đơn vị, mỗi kỳ: số công chức, điểm, số lượng theo mức chính thức và trước hạn mức';
COMMENT ON COLUMN kpi_report.unit_result.unit_id IS 'unit id / mã đơn vị';
COMMENT ON COLUMN kpi_report.unit_result.agency_id IS 'the unit''s agency / cơ quan của đơn vị';
COMMENT ON COLUMN kpi_report.unit_result.period_key IS 'period key, joins kpi_report.period / khóa kỳ';
COMMENT ON COLUMN kpi_report.unit_result.period_kind IS 'month, quarter or year / loại kỳ';
COMMENT ON COLUMN kpi_report.unit_result.period_start IS 'first day of the period / ngày đầu kỳ';
COMMENT ON COLUMN kpi_report.unit_result.period_end IS 'last day of the period / ngày cuối kỳ';
COMMENT ON COLUMN kpi_report.unit_result.year IS 'calendar year / năm';
COMMENT ON COLUMN kpi_report.unit_result.officials IS 'officials with a result / số công chức có kết quả';
COMMENT ON COLUMN kpi_report.unit_result.scored IS 'officials with a score (not N0.4 unscored) / số công chức được chấm điểm';
COMMENT ON COLUMN kpi_report.unit_result.mean_score IS 'mean of the scores, 2 decimals / điểm trung bình';
COMMENT ON COLUMN kpi_report.unit_result.min_score IS 'lowest score / điểm thấp nhất';
COMMENT ON COLUMN kpi_report.unit_result.max_score IS 'highest score / điểm cao nhất';
COMMENT ON COLUMN kpi_report.unit_result.final_xuat_sac IS 'final tier excellent (after the quota for a year) / số HTXSNV chính thức';
COMMENT ON COLUMN kpi_report.unit_result.final_tot IS 'final tier good / số HTTNV chính thức';
COMMENT ON COLUMN kpi_report.unit_result.final_hoan_thanh IS 'final tier complete / số HTNV chính thức';
COMMENT ON COLUMN kpi_report.unit_result.final_khong_hoan_thanh IS 'final tier not complete / số KHTNV chính thức';
COMMENT ON COLUMN kpi_report.unit_result.pre_quota_xuat_sac IS 'excellent by score, before the quota / số xuất sắc theo điểm, trước hạn mức';
COMMENT ON COLUMN kpi_report.unit_result.pre_quota_tot IS 'good by score, before the quota / số tốt theo điểm, trước hạn mức';
COMMENT ON COLUMN kpi_report.unit_result.quota_demoted IS 'rated good instead of excellent by the quota / số bị hạ do hạn mức';
COMMENT ON COLUMN kpi_report.unit_result.quota_ties IS 'ties across the quota cut awaiting a decision / số trường hợp bằng điểm cần quyết định';
COMMENT ON COLUMN kpi_report.unit_result.disqualified IS 'not complete by a disqualifier (CS14) / số không hoàn thành do vi phạm';
COMMENT ON COLUMN kpi_report.unit_result.leaders IS 'leaders among the officials / số lãnh đạo';

-- Fact: tier counts in long form, for charts -----------------------------------------
CREATE OR REPLACE VIEW kpi_report.tier_count WITH (security_invoker = true) AS
SELECT r.unit_id, r.agency_id, r.period_key, r.period_kind, r.period_start, r.year,
       t.tier_code, t.tier_rank, t.tier_label_vi, t.tier_label_en,
       count(*) FILTER (WHERE r.final_tier = t.tier_code)::integer AS final_officials,
       count(*) FILTER (WHERE r.pre_quota_tier = t.tier_code)::integer AS pre_quota_officials
FROM kpi_report.official_result r
CROSS JOIN kpi_report.tier t
GROUP BY r.unit_id, r.agency_id, r.period_key, r.period_kind, r.period_start, r.year,
         t.tier_code, t.tier_rank, t.tier_label_vi, t.tier_label_en;

COMMENT ON VIEW kpi_report.tier_count IS
'per unit, evaluated period and tier (all four, zeros included): officials in the final tier and in the tier before the quota; the not scored are left out / mỗi đơn vị, kỳ và mức: số công chức theo mức chính thức và trước hạn mức';
COMMENT ON COLUMN kpi_report.tier_count.unit_id IS 'unit id / mã đơn vị';
COMMENT ON COLUMN kpi_report.tier_count.agency_id IS 'the unit''s agency / cơ quan của đơn vị';
COMMENT ON COLUMN kpi_report.tier_count.period_key IS 'period key, joins kpi_report.period / khóa kỳ';
COMMENT ON COLUMN kpi_report.tier_count.period_kind IS 'month, quarter or year / loại kỳ';
COMMENT ON COLUMN kpi_report.tier_count.period_start IS 'first day of the period / ngày đầu kỳ';
COMMENT ON COLUMN kpi_report.tier_count.year IS 'calendar year / năm';
COMMENT ON COLUMN kpi_report.tier_count.tier_code IS 'tier code / mã mức xếp loại';
COMMENT ON COLUMN kpi_report.tier_count.tier_rank IS 'rank: 1 not complete .. 4 excellent / thứ hạng';
COMMENT ON COLUMN kpi_report.tier_count.tier_label_vi IS 'tier name in Vietnamese / tên mức, tiếng Việt';
COMMENT ON COLUMN kpi_report.tier_count.tier_label_en IS 'tier name in English / tên mức, tiếng Anh';
COMMENT ON COLUMN kpi_report.tier_count.final_officials IS 'officials in this tier after the quota (the official count) / số công chức ở mức này, chính thức';
COMMENT ON COLUMN kpi_report.tier_count.pre_quota_officials IS 'officials in this tier by score, before the quota / số công chức ở mức này theo điểm, trước hạn mức';

-- Fact: agencies ----------------------------------------------------------------
CREATE OR REPLACE VIEW kpi_report.agency_result WITH (security_invoker = true) AS
SELECT a.run_id, a.unit_id AS agency_id, u.name AS agency_name, u.agency_kind,
       pg_catalog.to_char(a.year, 'FM0000') AS period_key, a.year::smallint AS year,
       a.score::numeric(5,2) AS score,
       t.tier_code AS final_tier, t.tier_rank AS final_tier_rank,
       t.tier_label_vi AS final_tier_label_vi, t.tier_label_en AS final_tier_label_en,
       a.head_official_id, o.full_name AS head_full_name,
       h.tier_code AS head_final_tier, h.tier_rank AS head_final_tier_rank,
       h.tier_label_vi AS head_final_tier_label_vi, h.tier_label_en AS head_final_tier_label_en,
       coalesce(a.head_capped, false) AS head_capped,
       a.rule_set_id, a.engine_version,
       (a.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS evaluated_on
FROM kpi.current_agency_result a
JOIN kpi.unit u ON u.unit_id = a.unit_id
LEFT JOIN kpi.official o ON o.official_id = a.head_official_id
LEFT JOIN kpi_report.tier t ON t.tier_code = a.tier::text
LEFT JOIN kpi_report.tier h ON h.tier_code = a.head_tier::text;

COMMENT ON VIEW kpi_report.agency_result IS
'one row per rated agency and year, current runs only (AG1-AG5); the components are in kpi_report.agency_component / mỗi cơ quan, mỗi năm: điểm, mức xếp loại, người đứng đầu';
COMMENT ON COLUMN kpi_report.agency_result.run_id IS 'the evaluation run / lần đánh giá';
COMMENT ON COLUMN kpi_report.agency_result.agency_id IS 'the agency''s unit id / mã đơn vị của cơ quan';
COMMENT ON COLUMN kpi_report.agency_result.agency_name IS 'name of the agency / tên cơ quan';
COMMENT ON COLUMN kpi_report.agency_result.agency_kind IS 'ministry or province template (AG3) / loại mẫu: bộ hoặc tỉnh';
COMMENT ON COLUMN kpi_report.agency_result.period_key IS 'the year as a period key, joins kpi_report.period / khóa kỳ (năm)';
COMMENT ON COLUMN kpi_report.agency_result.year IS 'the year rated / năm đánh giá';
COMMENT ON COLUMN kpi_report.agency_result.score IS 'agency score on the 100-point scale, 2 decimals (AG1) / điểm của cơ quan, thang 100';
COMMENT ON COLUMN kpi_report.agency_result.final_tier IS 'the agency''s tier (AG4) / mức xếp loại của cơ quan';
COMMENT ON COLUMN kpi_report.agency_result.final_tier_rank IS 'rank: 1 not complete .. 4 excellent / thứ hạng';
COMMENT ON COLUMN kpi_report.agency_result.final_tier_label_vi IS 'tier name in Vietnamese / tên mức, tiếng Việt';
COMMENT ON COLUMN kpi_report.agency_result.final_tier_label_en IS 'tier name in English / tên mức, tiếng Anh';
COMMENT ON COLUMN kpi_report.agency_result.head_official_id IS 'the head of the agency, if known / người đứng đầu cơ quan';
COMMENT ON COLUMN kpi_report.agency_result.head_full_name IS 'full name of the head / họ và tên người đứng đầu';
COMMENT ON COLUMN kpi_report.agency_result.head_final_tier IS 'the head''s year tier after the optional cap by the agency''s tier (AG5) / mức của người đứng đầu sau giới hạn';
COMMENT ON COLUMN kpi_report.agency_result.head_final_tier_rank IS 'rank of head_final_tier / thứ hạng mức của người đứng đầu';
COMMENT ON COLUMN kpi_report.agency_result.head_final_tier_label_vi IS 'name of head_final_tier in Vietnamese / tên mức của người đứng đầu, tiếng Việt';
COMMENT ON COLUMN kpi_report.agency_result.head_final_tier_label_en IS 'name of head_final_tier in English / tên mức của người đứng đầu, tiếng Anh';
COMMENT ON COLUMN kpi_report.agency_result.head_capped IS 'the cap of AG5 lowered the head''s tier / mức của người đứng đầu bị giới hạn (AG5)';
COMMENT ON COLUMN kpi_report.agency_result.rule_set_id IS 'the rule set of the run / bộ quy tắc đã dùng';
COMMENT ON COLUMN kpi_report.agency_result.engine_version IS 'the kpi_eval version of the run / phiên bản kpi_eval';
COMMENT ON COLUMN kpi_report.agency_result.evaluated_on IS 'the day of the run, in Asia/Ho_Chi_Minh / ngày đánh giá, giờ Việt Nam';

-- Child of agency_result: its component points (the jsonb components as rows) -----
CREATE OR REPLACE VIEW kpi_report.agency_component WITH (security_invoker = true) AS
SELECT a.run_id, a.unit_id AS agency_id, a.year::smallint AS year, c.component, c.component_rank,
       c.label_vi, c.label_en, c.rule_id,
       (a.components ->> (c.component || '_points'))::numeric(5,2) AS points,
       (100 * (a.components -> 'indices' ->> c.component)::numeric)::numeric(5,2) AS index_pct
FROM kpi.current_agency_result a
CROSS JOIN (VALUES
	('general', 1, 'Tiêu chí chung', 'General criteria', 'AG2'),
	('work_plan', 2, 'Kế hoạch công tác', 'Work plan', 'AG3'),
	('procedures', 3, 'Thủ tục hành chính', 'Administrative procedures', 'AG3'),
	('par', 4, 'Chỉ số PAR INDEX', 'PAR INDEX', 'IX1'),
	('sipas', 5, 'Chỉ số SIPAS', 'SIPAS', 'IX2'),
	('pci', 6, 'Chỉ số PCI', 'PCI', 'IX3'),
	('dti', 7, 'Chỉ số DTI', 'DTI', 'IX4')
) AS c (component, component_rank, label_vi, label_en, rule_id)
WHERE a.components ? (c.component || '_points')
  AND a.components ->> (c.component || '_points') IS NOT NULL;

COMMENT ON VIEW kpi_report.agency_component IS
'per agency and year, the points of each component of its score (AG2-AG3, IX1-IX4), rounded to 2 decimals (their exact sum is the score) / mỗi cơ quan, mỗi năm: điểm của từng thành phần';
COMMENT ON COLUMN kpi_report.agency_component.run_id IS 'the evaluation run / lần đánh giá';
COMMENT ON COLUMN kpi_report.agency_component.agency_id IS 'the agency''s unit id / mã đơn vị của cơ quan';
COMMENT ON COLUMN kpi_report.agency_component.year IS 'the year rated / năm đánh giá';
COMMENT ON COLUMN kpi_report.agency_component.component IS 'component code: general, work_plan, procedures, par, sipas, pci, dti / mã thành phần';
COMMENT ON COLUMN kpi_report.agency_component.component_rank IS 'display order of the component / thứ tự hiển thị';
COMMENT ON COLUMN kpi_report.agency_component.label_vi IS 'component name in Vietnamese / tên thành phần, tiếng Việt';
COMMENT ON COLUMN kpi_report.agency_component.label_en IS 'component name in English / tên thành phần, tiếng Anh';
COMMENT ON COLUMN kpi_report.agency_component.rule_id IS 'the rule of the component (RULES.md) / mã quy tắc';
COMMENT ON COLUMN kpi_report.agency_component.points IS 'points of the component, 2 decimals / điểm của thành phần';
COMMENT ON COLUMN kpi_report.agency_component.index_pct IS 'for an index, its value as a percent 0..100 of its scale (IX5); else NULL / giá trị chỉ số, phần trăm';

-- Law-making backlog (kpi.lawmaking_backlog) and its documents (the doc_ids array)
CREATE OR REPLACE VIEW kpi_report.lawmaking_backlog WITH (security_invoker = true) AS
SELECT b.unit_id, u.name AS unit_name, b.role, b.backlog::integer AS backlog, b.oldest_due,
       (current_date - b.oldest_due) AS oldest_days_overdue
FROM kpi.lawmaking_backlog b
JOIN kpi.unit u ON u.unit_id = b.unit_id;

COMMENT ON VIEW kpi_report.lawmaking_backlog IS
'per ministry and role, the law-making backlog today (LM3); its documents are in kpi_report.lawmaking_backlog_document / nợ đọng văn bản theo bộ và vai trò';
COMMENT ON COLUMN kpi_report.lawmaking_backlog.unit_id IS 'the ministry''s unit id / mã đơn vị của bộ';
COMMENT ON COLUMN kpi_report.lawmaking_backlog.unit_name IS 'the ministry / tên bộ';
COMMENT ON COLUMN kpi_report.lawmaking_backlog.role IS 'role in the document (drafting, appraisal, ...) (LM2) / vai trò';
COMMENT ON COLUMN kpi_report.lawmaking_backlog.backlog IS 'documents due by today and not issued / số văn bản nợ đọng';
COMMENT ON COLUMN kpi_report.lawmaking_backlog.oldest_due IS 'the oldest due date among them / hạn sớm nhất';
COMMENT ON COLUMN kpi_report.lawmaking_backlog.oldest_days_overdue IS 'days since the oldest due date / số ngày quá hạn của văn bản cũ nhất';

CREATE OR REPLACE VIEW kpi_report.lawmaking_backlog_document WITH (security_invoker = true) AS
SELECT d.unit_id, d.role, d.doc_id, d.title, d.due, (current_date - d.due) AS days_overdue,
       d.times_returned
FROM kpi.lawmaking_document d
WHERE kpi.lm_is_backlog(d.due, d.issued, current_date);

COMMENT ON VIEW kpi_report.lawmaking_backlog_document IS
'the documents of the law-making backlog today, one row each (LM3) / từng văn bản nợ đọng';
COMMENT ON COLUMN kpi_report.lawmaking_backlog_document.unit_id IS 'the ministry''s unit id / mã đơn vị của bộ';
COMMENT ON COLUMN kpi_report.lawmaking_backlog_document.role IS 'role in the document / vai trò';
COMMENT ON COLUMN kpi_report.lawmaking_backlog_document.doc_id IS 'document id (kpi.lawmaking_document) / mã văn bản';
COMMENT ON COLUMN kpi_report.lawmaking_backlog_document.title IS 'title / tên văn bản';
COMMENT ON COLUMN kpi_report.lawmaking_backlog_document.due IS 'due date / hạn ban hành';
COMMENT ON COLUMN kpi_report.lawmaking_backlog_document.days_overdue IS 'days since the due date / số ngày quá hạn';
COMMENT ON COLUMN kpi_report.lawmaking_backlog_document.times_returned IS 'times returned for quality (LM2) / số lần bị trả lại';
--@ post

-- The views check the caller's rights on the kpi tables (security_invoker),
-- so reading them grants nothing beyond those.
GRANT USAGE ON SCHEMA kpi_report TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA kpi_report TO PUBLIC;
