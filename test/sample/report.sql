-- test/sample/report.sql: evaluate the sample province (test/sample/province.sql)
-- with kpi_eval and print a readable report.
--
-- Steps: monthly kpi.tally per civil servant (single-unit task lines and
-- multi-unit product lines, merged with kpi.rollup) -> a, b, c, KQ and the
-- monthly period score (leaders: d = kpi.unit_result over the month scores of
-- their unit's non-leaders, đ and e from sample.leader_criteria) -> annual
-- score = kpi.annual_score of the monthly scores -> tier = kpi.tier_of(annual,
-- disqualified), disqualifiers checked with kpi.disqualifies -> the excellent
-- quota per unit and task group with kpi.quota_tier.
-- Usage: psql -X -v ON_ERROR_STOP=1 -f test/sample/report.sql

\set ON_ERROR_STOP 1
\set QUIET on
\pset footer off
\pset border 0
\pset null '—'
SET client_min_messages = warning;

------------------------------------------------------------------------------
-- Evaluation
------------------------------------------------------------------------------

-- Rule-set figures used to explain lost points (the Decree 335 defaults).
SELECT (r->>'general_points')::numeric AS g_max,
       (r->>'task_points')::numeric / 100 AS t_weight,
       (r->>'leader_full')::numeric AS full_mark
FROM kpi.effective_rules() r \gset

-- Unit codes for compact tables: agency short name and the unit's rank.
CREATE TEMP TABLE unit_code AS
SELECT u.unit_id, u.agency_id, a.name AS agency, u.name AS unit,
       a.short_name || '-' || row_number() OVER (PARTITION BY u.agency_id ORDER BY u.unit_id) AS code
FROM sample.unit u JOIN sample.agency a USING (agency_id);

-- 1. One kpi.tally per civil servant and month.  Task lines belong to the
-- month of their due date (CS2); late events come from the dates.
CREATE TEMP TABLE month_tally AS
SELECT official_id, month, kpi.rollup(t) AS t
FROM (
	SELECT official_id, date_trunc('month', due_on)::date AS month,
	       kpi.tally_agg(coef, done_on IS NOT NULL, passed, quality_errors,
	                     kpi.late_events(due_on, done_on)) AS t
	FROM sample.task_line
	GROUP BY 1, 2
	UNION ALL
	SELECT official_id, month,
	       kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors,
	                     kpi.late_events(due_on, done_on))
	FROM sample.product_line
	GROUP BY 1, 2
) s
GROUP BY 1, 2;

-- 2. Monthly scores.  Every civil servant has a row for every month; a month
-- with nothing assigned (leave) has no tally and its score is NULL (N0.4).
CREATE TEMP TABLE month_eval AS
WITH base AS (
	SELECT o.official_id, o.unit_id, o.is_leader, m::date AS month, mt.t,
	       kpi.general_points(gm.marks) AS g
	FROM sample.official o
	CROSS JOIN generate_series('2026-01-01'::date, '2026-12-01', '1 month') m
	LEFT JOIN month_tally mt ON mt.official_id = o.official_id AND mt.month = m::date
	LEFT JOIN sample.general_marks gm ON gm.official_id = o.official_id AND gm.month = m::date
),
unit_month AS (		-- criterion d of the unit's leaders (CS10)
	SELECT unit_id, month, kpi.unit_result(kpi.period_score(g, t)) AS d
	FROM base
	WHERE NOT is_leader
	GROUP BY unit_id, month
)
SELECT b.official_id, b.unit_id, b.is_leader, b.month, b.t, b.g,
       um.d, lc.dd, lc.e,
       kpi.quantity_pct(b.t) AS a,
       kpi.quality_pct(b.t) AS b,
       kpi.progress_pct(b.t) AS c,
       CASE WHEN b.is_leader THEN kpi.task_pct(b.t, um.d, lc.dd, lc.e) ELSE kpi.task_pct(b.t) END AS kq,
       CASE WHEN b.is_leader THEN kpi.task_points(b.t, um.d, lc.dd, lc.e) ELSE kpi.task_points(b.t) END AS tp,
       CASE WHEN b.is_leader THEN kpi.period_score(b.g, b.t, um.d, lc.dd, lc.e)
            ELSE kpi.period_score(b.g, b.t) END AS score
FROM base b
LEFT JOIN unit_month um ON b.is_leader AND um.unit_id = b.unit_id AND um.month = b.month
LEFT JOIN sample.leader_criteria lc ON lc.official_id = b.official_id AND lc.month = b.month;

-- 3. Disqualifiers in the year (CS14): duty-related discipline of reprimand
-- or heavier; for the head of a unit handled for corruption, the unit case.
CREATE TEMP TABLE disq AS
SELECT official_id, string_agg(reason, '; ' ORDER BY decided_on) AS reason
FROM (
	SELECT d.official_id, d.decided_on,
	       CASE d.form WHEN 'khien_trach' THEN 'khiển trách' WHEN 'canh_cao' THEN 'cảnh cáo'
	                   WHEN 'ha_bac_luong' THEN 'hạ bậc lương' WHEN 'giang_chuc' THEN 'giáng chức'
	                   WHEN 'cach_chuc' THEN 'cách chức' ELSE 'buộc thôi việc' END
	       || ' ' || to_char(d.decided_on, 'DD/MM/YYYY') || ': ' || d.reason AS reason
	FROM sample.discipline d JOIN sample.official o USING (official_id)
	WHERE d.decided_on >= '2026-01-01' AND d.decided_on < '2027-01-01'
	  AND kpi.disqualifies('discipline', d.form, d.duty_related, o.is_leader)
	UNION ALL
	SELECT o.official_id, i.decided_on,
	       'vụ ' || i.kind || ' ở phòng ' || to_char(i.decided_on, 'DD/MM/YYYY') || ': ' || i.description
	FROM sample.unit_incident i
	JOIN sample.official o ON o.unit_id = i.unit_id AND o.position = 'Trưởng phòng'
	WHERE i.decided_on >= '2026-01-01' AND i.decided_on < '2027-01-01'
	  AND kpi.disqualifies('unit_corruption', is_leader => o.is_leader)
) s
GROUP BY official_id;

-- 4. The year: annual score (mean of the published monthly scores, CS12),
-- tier (CS13, CS14), then the excellent quota per unit and task group (CS15).
CREATE TEMP TABLE year_eval AS
WITH y AS (
	SELECT o.official_id, o.unit_id, o.full_name, o.position, o.is_leader, o.task_group,
	       count(e.score) AS months_scored,
	       kpi.annual_score(e.score) AS annual,
	       avg(e.tp) FILTER (WHERE e.score IS NOT NULL) AS tp,
	       avg(e.g) FILTER (WHERE e.score IS NOT NULL) AS g,
	       d.official_id IS NOT NULL AS disqualified, d.reason AS disq_reason
	FROM sample.official o
	JOIN month_eval e USING (official_id)
	LEFT JOIN disq d USING (official_id)
	GROUP BY o.official_id, d.official_id, d.reason
)
SELECT y.*, kpi.tier_of(y.annual, y.disqualified) AS tier
FROM y;

ALTER TABLE year_eval ADD COLUMN tier_final kpi.tier, ADD COLUMN quota_tie boolean;
UPDATE year_eval y
SET tier_final = q.tier_final, quota_tie = q.tie
FROM (SELECT official_id,
             kpi.quota_tier(tier, annual, tp, g) OVER w AS tier_final,
             kpi.quota_tie(tier, annual, tp, g) OVER w AS tie
      FROM year_eval
      WINDOW w AS (PARTITION BY unit_id, task_group)) q
WHERE q.official_id = y.official_id;

-- Tier abbreviations as used in Vietnamese reports (HTXSNV, HTTNV, HTNV,
-- KHTNV): the initials of kpi.tier_label.
CREATE TEMP TABLE tier_name AS
SELECT t AS tier, kpi.tier_label(t) AS vi, kpi.tier_label(t, 'en') AS en,
       (SELECT upper(string_agg(left(w, 1), '' ORDER BY i))
        FROM regexp_split_to_table(kpi.tier_label(t), ' ') WITH ORDINALITY AS x(w, i)) AS abbr
FROM unnest(enum_range(NULL::kpi.tier)) t;

SELECT max(abbr) FILTER (WHERE tier = 'xuat_sac') AS h_xs,
       max(abbr) FILTER (WHERE tier = 'tot') AS h_tot,
       max(abbr) FILTER (WHERE tier = 'hoan_thanh') AS h_ht,
       max(abbr) FILTER (WHERE tier = 'khong_hoan_thanh') AS h_kht,
       max(abbr) FILTER (WHERE tier = 'xuat_sac') || ' sau hạn mức' AS h_xs_q
FROM tier_name \gset

------------------------------------------------------------------------------
-- Report
------------------------------------------------------------------------------

SELECT name AS province, year FROM sample.province \gset
\echo
\echo '================================================================================'
\echo ' ĐÁNH GIÁ, XẾP LOẠI CÔNG CHỨC NĂM' :year '-' :province
\echo ' (Nghị định 335/2025/NĐ-CP; tính bằng kpi_eval)'
\echo '================================================================================'
\echo
\echo '0. Dữ liệu đầu vào / Input data'
SELECT (SELECT count(*) FROM sample.agency) AS "Cơ quan",
       (SELECT count(*) FROM sample.unit) AS "Đơn vị",
       (SELECT count(*) FROM sample.official) AS "Công chức",
       (SELECT count(*) FROM sample.official WHERE is_leader) AS "Lãnh đạo phòng",
       (SELECT count(*) FROM sample.task_line) AS "Nhiệm vụ (1 đơn vị)",
       (SELECT count(*) FROM sample.product_line) AS "Sản phẩm (nhiều đơn vị)",
       (SELECT count(*) FROM month_eval WHERE score IS NOT NULL) AS "Tháng được chấm",
       (SELECT count(*) FROM month_eval WHERE score IS NULL) AS "Tháng không chấm";

\echo
\echo '1. Kết quả xếp loại toàn tỉnh / Province-wide tiers (kpi.tier_of, kpi.tier_label)'
SELECT n.abbr AS "Viết tắt", n.vi AS "Mức xếp loại", n.en AS "Tier (en)",
       count(y.official_id) AS "Số người",
       round(100.0 * count(y.official_id) / (SELECT count(*) FROM year_eval), 1) AS "%",
       (SELECT count(*) FROM year_eval z WHERE z.tier_final = n.tier) AS "Sau hạn mức XS (CS15)"
FROM tier_name n LEFT JOIN year_eval y ON y.tier = n.tier
GROUP BY n.tier, n.abbr, n.vi, n.en
ORDER BY n.tier DESC;
\echo 'Ngưỡng (CS13): >= 90 HTXSNV, >= 70 HTTNV, >= 50 HTNV, < 50 KHTNV; vi phạm CS14 thì KHTNV.'
\echo 'Hạn mức (CS15): trong mỗi phòng và nhóm nhiệm vụ, số HTXSNV không quá 20% số HTTNV.'

\echo
\echo '2. Theo cơ quan, đơn vị / By agency and unit'
SELECT CASE WHEN grouping(u.code) = 0 THEN u.code ELSE '' END AS "Mã ĐV",
       CASE WHEN grouping(u.agency) = 1 THEN 'TOÀN TỈNH' ELSE u.agency END AS "Cơ quan",
       CASE WHEN grouping(u.agency) = 1 THEN ''
            WHEN grouping(u.code) = 1 THEN '(cộng cơ quan)' ELSE u.unit END AS "Đơn vị",
       count(*) AS "Số CC",
       count(*) FILTER (WHERE y.is_leader) AS "LĐ",
       round(avg(y.annual), 2) AS "Điểm TB",
       count(*) FILTER (WHERE y.tier = 'xuat_sac') AS :"h_xs",
       count(*) FILTER (WHERE y.tier = 'tot') AS :"h_tot",
       count(*) FILTER (WHERE y.tier = 'hoan_thanh') AS :"h_ht",
       count(*) FILTER (WHERE y.tier = 'khong_hoan_thanh') AS :"h_kht",
       count(*) FILTER (WHERE y.tier_final = 'xuat_sac') AS :"h_xs_q"
FROM year_eval y JOIN unit_code u USING (unit_id)
GROUP BY GROUPING SETS ((u.agency_id, u.agency, u.unit_id, u.code, u.unit), (u.agency_id, u.agency), ())
ORDER BY u.agency_id NULLS LAST, u.unit_id NULLS LAST;

\echo
\echo '3. Điểm từng tháng và cả năm của từng công chức / Monthly and annual scores'
\echo '   (— : tháng không được chấm vì không được giao việc, N0.4; Năm = kpi.annual_score)'
SELECT u.code AS "ĐV", y.official_id AS "Mã", y.full_name AS "Họ và tên",
       CASE y.position WHEN 'Trưởng phòng' THEN 'TP' WHEN 'Phó Trưởng phòng' THEN 'PTP' ELSE 'CV' END AS "CV",
       max(e.score) FILTER (WHERE e.month = '2026-01-01') AS "T1",
       max(e.score) FILTER (WHERE e.month = '2026-02-01') AS "T2",
       max(e.score) FILTER (WHERE e.month = '2026-03-01') AS "T3",
       max(e.score) FILTER (WHERE e.month = '2026-04-01') AS "T4",
       max(e.score) FILTER (WHERE e.month = '2026-05-01') AS "T5",
       max(e.score) FILTER (WHERE e.month = '2026-06-01') AS "T6",
       max(e.score) FILTER (WHERE e.month = '2026-07-01') AS "T7",
       max(e.score) FILTER (WHERE e.month = '2026-08-01') AS "T8",
       max(e.score) FILTER (WHERE e.month = '2026-09-01') AS "T9",
       max(e.score) FILTER (WHERE e.month = '2026-10-01') AS "T10",
       max(e.score) FILTER (WHERE e.month = '2026-11-01') AS "T11",
       max(e.score) FILTER (WHERE e.month = '2026-12-01') AS "T12",
       y.annual AS "Năm",
       n.abbr AS "Xếp loại",
       CASE WHEN y.disqualified THEN 'x' ELSE '' END AS "VP",
       CASE WHEN y.tier_final <> y.tier THEN nf.abbr || CASE WHEN y.quota_tie THEN ' (hòa)' ELSE '' END
            WHEN y.quota_tie THEN 'hòa, xét lại' ELSE '' END AS "Sau hạn mức"
FROM year_eval y
JOIN unit_code u USING (unit_id)
JOIN month_eval e USING (official_id)
JOIN tier_name n ON n.tier = y.tier
JOIN tier_name nf ON nf.tier = y.tier_final
GROUP BY u.agency_id, u.unit_id, u.code, y.official_id, y.full_name, y.position, y.annual,
         n.abbr, nf.abbr, y.disqualified, y.tier, y.tier_final, y.quota_tie
ORDER BY u.agency_id, u.unit_id, y.official_id;
\echo 'CV: TP trưởng phòng, PTP phó trưởng phòng (lãnh đạo, chấm thêm d, đ, e), CV chuyên viên.'
\echo 'VP: vi phạm (CS14, mục 6). Sau hạn mức: mức sau khi áp hạn mức HTXSNV của phòng và nhóm nhiệm vụ'
\echo '(CS15), khi khác mức theo điểm.'

SELECT code AS first_code,
       '4. Chi tiết từng tháng của đơn vị ' || code || ' (' || agency || ' - ' || unit || ')' AS title4
FROM unit_code ORDER BY agency_id, unit_id LIMIT 1 \gset
\echo
\echo :title4
\echo '   a số lượng, b chất lượng, c tiến độ (%, kpi.quantity_pct / quality_pct / progress_pct);'
\echo '   d, đ, e tiêu chí lãnh đạo; KQ tỷ lệ hoàn thành; G tiêu chí chung; Điểm = G + 0,70 x KQ'
WITH unit1 AS (
	SELECT e.*, o.full_name, o.position
	FROM month_eval e JOIN sample.official o USING (official_id)
	JOIN unit_code u ON u.unit_id = o.unit_id AND u.code = :'first_code'
),
rows AS (
	SELECT official_id, full_name, position, is_leader, month, k.ord, k.name, k.v
	FROM unit1,
	     LATERAL (VALUES (1, 'a', round(a, 2)), (2, 'b', round(b, 2)), (3, 'c', round(c, 2)),
	                     (4, 'd', d), (5, 'đ', dd), (6, 'e', e),
	                     (7, 'KQ', round(kq, 2)), (8, 'G', round(g, 2)), (9, 'Điểm', score)) k(ord, name, v)
	WHERE is_leader OR k.ord NOT IN (4, 5, 6)
)
SELECT CASE WHEN ord = 1 THEN official_id::text ELSE '' END AS "Mã",
       CASE WHEN ord = 1 THEN full_name
            WHEN ord = 2 THEN '  ' || position ELSE '' END AS "Họ và tên",
       name AS " ",
       max(v) FILTER (WHERE month = '2026-01-01') AS "T1",
       max(v) FILTER (WHERE month = '2026-02-01') AS "T2",
       max(v) FILTER (WHERE month = '2026-03-01') AS "T3",
       max(v) FILTER (WHERE month = '2026-04-01') AS "T4",
       max(v) FILTER (WHERE month = '2026-05-01') AS "T5",
       max(v) FILTER (WHERE month = '2026-06-01') AS "T6",
       max(v) FILTER (WHERE month = '2026-07-01') AS "T7",
       max(v) FILTER (WHERE month = '2026-08-01') AS "T8",
       max(v) FILTER (WHERE month = '2026-09-01') AS "T9",
       max(v) FILTER (WHERE month = '2026-10-01') AS "T10",
       max(v) FILTER (WHERE month = '2026-11-01') AS "T11",
       max(v) FILTER (WHERE month = '2026-12-01') AS "T12"
FROM rows
GROUP BY official_id, full_name, position, ord, name
ORDER BY official_id, ord;

\echo
\echo '5. Mười công chức mất nhiều điểm nhất và nguyên nhân / The 10 who lost the most points, and why'
\echo '   Mất = 100 - điểm năm, chia theo: G tiêu chí chung; a việc chưa hoàn thành; b lỗi chất lượng;'
\echo '   c trễ hạn; d,đ,e tiêu chí lãnh đạo; các phần cộng lại đúng bằng cột Mất (LT: làm tròn).'
WITH loss AS (		-- points lost each scored month, exactly, by criterion
	SELECT official_id,
	       :g_max - g AS l_g,
	       :t_weight * (100 - a) / CASE WHEN is_leader THEN 6 ELSE 3 END AS l_a,
	       :t_weight * (100 - b) / CASE WHEN is_leader THEN 6 ELSE 3 END AS l_b,
	       :t_weight * (100 - c) / CASE WHEN is_leader THEN 6 ELSE 3 END AS l_c,
	       CASE WHEN is_leader THEN :t_weight * (3 * :full_mark - d - dd - e) / 6 ELSE 0 END AS l_lead
	FROM month_eval
	WHERE score IS NOT NULL
),
per_year AS (
	SELECT official_id, round(avg(l_g), 2) AS l_g, round(avg(l_a), 2) AS l_a,
	       round(avg(l_b), 2) AS l_b, round(avg(l_c), 2) AS l_c, round(avg(l_lead), 2) AS l_lead
	FROM loss GROUP BY official_id
),
counts AS (		-- events over the year, from the merged tallies
	SELECT official_id, (kpi.tally_components(kpi.rollup(t))).*
	FROM month_eval WHERE t IS NOT NULL GROUP BY official_id
),
lines AS (
	SELECT official_id, count(*) FILTER (WHERE done_on IS NULL) AS unfinished,
	       count(*) FILTER (WHERE done_on IS NOT NULL AND NOT passed) AS not_passed
	FROM sample.task_line GROUP BY official_id
)
SELECT u.code AS "ĐV", y.official_id AS "Mã", y.full_name AS "Họ và tên", y.annual AS "Năm",
       n.abbr AS "Xếp loại", 100 - y.annual AS "Mất",
       p.l_g AS "G", p.l_a AS "a", p.l_b AS "b", p.l_c AS "c", p.l_lead AS "d,đ,e",
       100 - y.annual - p.l_g - p.l_a - p.l_b - p.l_c - p.l_lead AS "LT",
       c.lines AS "Số việc", l.unfinished AS "Chưa xong", l.not_passed AS "Không đạt",
       c.quality_errors AS "Lần lỗi CL", c.late_events AS "Lần trễ hạn"
FROM year_eval y
JOIN unit_code u USING (unit_id)
JOIN per_year p USING (official_id)
JOIN counts c USING (official_id)
JOIN lines l USING (official_id)
JOIN tier_name n ON n.tier = y.tier
ORDER BY y.annual, y.official_id
LIMIT 10;
\echo 'Số việc: dòng nhiệm vụ và sản phẩm; Chưa xong: nhiệm vụ chưa hoàn thành; Không đạt: hoàn thành'
\echo 'nhưng không đạt yêu cầu; Lần lỗi CL: lần bị trả lại vì lỗi nội dung (trừ 25%); Lần trễ hạn (trừ 25%).'

\echo
\echo '6. Không hoàn thành nhiệm vụ do vi phạm (CS14), điểm vẫn được công bố / Disqualified'
SELECT u.code AS "ĐV", y.official_id AS "Mã", y.full_name AS "Họ và tên", y.position AS "Chức vụ",
       y.annual AS "Năm", tn.abbr AS "Theo điểm", n.abbr AS "Xếp loại", y.disq_reason AS "Lý do"
FROM year_eval y
JOIN unit_code u USING (unit_id)
JOIN tier_name n ON n.tier = y.tier
JOIN tier_name tn ON tn.tier = kpi.tier_of(y.annual)
WHERE y.disqualified
ORDER BY y.official_id;

\echo
\echo '7. Tháng không được chấm (nghỉ, không được giao việc: N0.4, ví dụ E9)'
SELECT u.code AS "ĐV", y.official_id AS "Mã", y.full_name AS "Họ và tên",
       string_agg(to_char(l.month, 'MM/YYYY'), ', ' ORDER BY l.month) AS "Tháng nghỉ",
       min(l.reason) AS "Lý do", y.months_scored AS "Số tháng chấm", y.annual AS "Năm (TB các tháng chấm)"
FROM sample.leave l
JOIN year_eval y USING (official_id)
JOIN unit_code u USING (unit_id)
GROUP BY u.code, y.official_id, y.full_name, y.months_scored, y.annual
ORDER BY y.official_id;

\echo
\echo 'Phân bố xếp loại / Tier distribution:'
SELECT string_agg(n.abbr || ' ' || coalesce(c.k, 0), ', ' ORDER BY n.tier DESC) AS "summary"
FROM tier_name n
LEFT JOIN (SELECT tier, count(*) AS k FROM year_eval GROUP BY tier) c USING (tier) \gset
\echo '   ' :summary
