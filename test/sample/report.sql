-- test/sample/report.sql: evaluate the sample province (test/sample/province.sql)
-- with kpi_eval and print a readable report.
--
-- Civil servants (sections 0-7): monthly kpi.tally per civil servant
-- (single-unit task lines and multi-unit product lines, merged with
-- kpi.rollup) -> a, b, c, KQ and the monthly period score (leaders: d =
-- kpi.unit_result over the month scores of the people they manage: a unit's
-- staff; for an agency's deputy everyone in the unit they supervise; for its
-- head everyone else in the agency via kpi.unit_scope; đ and e from
-- sample.leader_criteria) -> annual score =
-- kpi.annual_score of the monthly scores -> tier = kpi.tier_of(annual,
-- disqualified), disqualifiers checked with kpi.disqualifies.
-- Year end (section 8): the excellent quota per task group with
-- kpi.quota_tier / kpi.quota_tie, checked against kpi.quota_kept; screening
-- flags with kpi.screening over sample.tier_history and 2026.
-- Organisation (sections 9-11): agency scores (kpi.agency_general_points,
-- kpi.tally_agg over the agency's own lines, kpi.agency_components /
-- agency_score, kpi.tier_of, kpi.head_tier / head_capped); the province's
-- indices (kpi.index_check, kpi.pci_composite, kpi.index_norm); law-making
-- (kpi.period_bounds, kpi.lawmaking_agg, kpi.lm_* accessors, kpi.lm_score,
-- kpi.lm_append, kpi.lm_is_backlog).
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

-- Unit codes for compact tables: agency short name and the unit's rank, LĐ
-- for the agency's leadership; sort puts the leadership first.
CREATE TEMP TABLE unit_code AS
SELECT unit_id, agency_id, parent_id, agency, unit, rank, 100 * agency_id + rank AS sort,
       short_name || '-' || CASE WHEN rank = 0 THEN 'LĐ' ELSE rank::text END AS code
FROM (SELECT u.unit_id, u.agency_id, u.parent_id, a.name AS agency, a.short_name, u.name AS unit,
             row_number() OVER (PARTITION BY u.agency_id ORDER BY u.parent_id IS NOT NULL, u.unit_id) - 1 AS rank
      FROM sample.unit u JOIN sample.agency a USING (agency_id)) s;

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
-- Criterion d of a leader (CS10) reads the scores of the people the leader
-- manages: for the head and deputies of a unit, its staff; for a deputy of an
-- agency, everyone in the unit they supervise, its leaders included; for the
-- head of an agency, everyone else in the agency (kpi.unit_scope), its
-- deputies included.  So units are scored first, then the agencies' deputies,
-- then their heads.
CREATE TEMP TABLE month_base AS
SELECT o.official_id, o.unit_id, o.is_leader, u.parent_id IS NULL AS agency_leader, m::date AS month,
       mt.t, kpi.general_points(gm.marks) AS g
FROM sample.official o
JOIN sample.unit u USING (unit_id)
CROSS JOIN generate_series('2026-01-01'::date, '2026-12-01', '1 month') m
LEFT JOIN month_tally mt ON mt.official_id = o.official_id AND mt.month = m::date
LEFT JOIN sample.general_marks gm ON gm.official_id = o.official_id AND gm.month = m::date;

CREATE TEMP TABLE month_eval AS
WITH unit_month AS (		-- criterion d of the unit's leaders
	SELECT unit_id, month, kpi.unit_result(kpi.period_score(g, t)) AS d
	FROM month_base
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
FROM month_base b
LEFT JOIN unit_month um ON b.is_leader AND um.unit_id = b.unit_id AND um.month = b.month
LEFT JOIN sample.leader_criteria lc ON lc.official_id = b.official_id AND lc.month = b.month
WHERE NOT b.agency_leader;

INSERT INTO month_eval		-- the agencies' deputies
WITH deputy_month AS (
	SELECT o.official_id, e.month, kpi.unit_result(e.score) AS d
	FROM sample.official o
	JOIN month_eval e ON e.unit_id = o.supervises
	GROUP BY o.official_id, e.month
)
SELECT b.official_id, b.unit_id, b.is_leader, b.month, b.t, b.g,
       dm.d, lc.dd, lc.e,
       kpi.quantity_pct(b.t), kpi.quality_pct(b.t), kpi.progress_pct(b.t),
       kpi.task_pct(b.t, dm.d, lc.dd, lc.e),
       kpi.task_points(b.t, dm.d, lc.dd, lc.e),
       kpi.period_score(b.g, b.t, dm.d, lc.dd, lc.e)
FROM month_base b
JOIN deputy_month dm ON dm.official_id = b.official_id AND dm.month = b.month
LEFT JOIN sample.leader_criteria lc ON lc.official_id = b.official_id AND lc.month = b.month
WHERE b.agency_leader;

INSERT INTO month_eval		-- the agencies' heads
WITH tree AS (
	SELECT array_agg(unit_id::bigint ORDER BY unit_id) AS ids,
	       array_agg(parent_id::bigint ORDER BY unit_id) AS parents
	FROM sample.unit
),
head_month AS (
	SELECT o.official_id, e.month, kpi.unit_result(e.score) AS d
	FROM sample.official o
	CROSS JOIN tree
	CROSS JOIN LATERAL kpi.unit_scope(o.unit_id, tree.ids, tree.parents) AS s(unit_id)
	JOIN month_eval e ON e.unit_id = s.unit_id AND e.official_id <> o.official_id
	WHERE o.position IN ('Giám đốc', 'Chủ tịch UBND')
	GROUP BY o.official_id, e.month
)
SELECT b.official_id, b.unit_id, b.is_leader, b.month, b.t, b.g,
       hm.d, lc.dd, lc.e,
       kpi.quantity_pct(b.t), kpi.quality_pct(b.t), kpi.progress_pct(b.t),
       kpi.task_pct(b.t, hm.d, lc.dd, lc.e),
       kpi.task_points(b.t, hm.d, lc.dd, lc.e),
       kpi.period_score(b.g, b.t, hm.d, lc.dd, lc.e)
FROM month_base b
JOIN head_month hm ON hm.official_id = b.official_id AND hm.month = b.month
LEFT JOIN sample.leader_criteria lc ON lc.official_id = b.official_id AND lc.month = b.month
WHERE b.agency_leader;

-- 3. Disqualifiers in the year (CS14): duty-related discipline of reprimand
-- or heavier; for the leaders in direct charge of a unit handled for
-- corruption (its head and deputies, and the agency deputy who supervises
-- it), the unit case.
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
	JOIN sample.official o
	  ON (o.unit_id = i.unit_id AND o.is_leader) OR o.supervises = i.unit_id
	WHERE i.decided_on >= '2026-01-01' AND i.decided_on < '2027-01-01'
	  AND kpi.disqualifies('unit_corruption', is_leader => o.is_leader)
) s
GROUP BY official_id;

-- 4. The year: annual score (mean of the published monthly scores, CS12),
-- tier (CS13, CS14), then the excellent quota per task group (CS15; the window
-- is ordered by official_id, the final tie-break, so a tie is decided the same
-- way on every run and flagged by kpi.quota_tie).
CREATE TEMP TABLE year_eval AS
WITH y AS (
	SELECT o.official_id, o.unit_id, o.full_name, o.position, o.is_leader, o.group_id,
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
      WINDOW w AS (PARTITION BY group_id ORDER BY official_id)) q
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
       (SELECT count(*) FROM sample.official o JOIN sample.unit u USING (unit_id)
        WHERE u.parent_id IS NULL) AS "Lãnh đạo cơ quan",
       (SELECT count(*) FROM sample.official o JOIN sample.unit u USING (unit_id)
        WHERE o.is_leader AND u.parent_id IS NOT NULL) AS "Lãnh đạo phòng",
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
\echo 'Hạn mức (CS15): trong mỗi nhóm có nhiệm vụ tương đồng, số HTXSNV không quá 20% số HTTNV (mục 8).'

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
GROUP BY GROUPING SETS ((u.agency_id, u.agency, u.sort, u.code, u.unit), (u.agency_id, u.agency), ())
ORDER BY u.agency_id NULLS LAST, u.sort NULLS LAST;

\echo
\echo '3. Điểm từng tháng và cả năm của từng công chức / Monthly and annual scores'
\echo '   (— : tháng không được chấm vì không được giao việc, N0.4; Năm = kpi.annual_score)'
SELECT u.code AS "ĐV", y.official_id AS "Mã", y.full_name AS "Họ và tên",
       CASE y.position WHEN 'Giám đốc' THEN 'GĐ' WHEN 'Phó Giám đốc' THEN 'PGĐ'
                       WHEN 'Chủ tịch UBND' THEN 'CT' WHEN 'Phó Chủ tịch UBND' THEN 'PCT'
                       WHEN 'Trưởng phòng' THEN 'TP' WHEN 'Phó Trưởng phòng' THEN 'PTP' ELSE 'CV' END AS "CV",
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
GROUP BY u.sort, u.code, y.official_id, y.full_name, y.position, y.annual,
         n.abbr, nf.abbr, y.disqualified, y.tier, y.tier_final, y.quota_tie
ORDER BY u.sort, y.official_id;
\echo 'CV: GĐ, PGĐ giám đốc, phó giám đốc sở; CT, PCT chủ tịch, phó chủ tịch UBND; TP, PTP trưởng, phó'
\echo 'trưởng phòng (lãnh đạo: chấm thêm d, đ, e; d của lãnh đạo cơ quan xét mọi công chức của cơ quan);'
\echo 'CV chuyên viên. VP: vi phạm (CS14, mục 6). Sau hạn mức: mức sau khi áp hạn mức HTXSNV trong nhóm'
\echo '(CS15, mục 8), khi khác mức theo điểm.'

SELECT code AS first_code,
       '4. Chi tiết từng tháng của đơn vị ' || code || ' (' || agency || ' - ' || unit || ')' AS title4
FROM unit_code WHERE rank = 1 ORDER BY sort LIMIT 1 \gset
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

------------------------------------------------------------------------------
-- 8. The year end: the quota on excellent by group (CS15), the ties the
-- quota leaves to a person, and the screening flags (CS16)
------------------------------------------------------------------------------

-- One row per quota group: N candidates (rated excellent by score), M rated
-- good, the number kept by kpi.quota_tier, and kpi.quota_kept(N, M) to check it.
CREATE TEMP TABLE quota_group AS
SELECT g.group_id, g.name AS group_name, g.agency_id, g.unit_id,
       coalesce(a.short_name, 'Tỉnh') AS agency,
       CASE WHEN g.agency_id IS NULL THEN '(toàn tỉnh)' WHEN g.unit_id IS NULL THEN '(toàn cơ quan)'
            ELSE u.code END AS unit,
       coalesce(u.sort, 100 * coalesce(g.agency_id, 0)) AS sort,
       count(y.official_id) AS members,
       count(*) FILTER (WHERE y.tier = 'xuat_sac') AS candidates,
       count(*) FILTER (WHERE y.tier = 'tot') AS good,
       count(*) FILTER (WHERE y.tier = 'xuat_sac' AND y.tier_final = 'xuat_sac') AS kept,
       count(*) FILTER (WHERE y.tier = 'xuat_sac' AND y.tier_final = 'tot') AS demoted,
       count(*) FILTER (WHERE y.quota_tie) AS tied,
       kpi.quota_kept(count(*) FILTER (WHERE y.tier = 'xuat_sac'), count(*) FILTER (WHERE y.tier = 'tot')) AS quota_kept
FROM sample.task_group g
JOIN year_eval y USING (group_id)
LEFT JOIN sample.agency a ON a.agency_id = g.agency_id
LEFT JOIN unit_code u ON u.unit_id = g.unit_id
GROUP BY g.group_id, g.name, g.agency_id, g.unit_id, a.short_name, u.code, u.sort;

SELECT count(*) AS q_groups,
       count(*) FILTER (WHERE candidates > 0) AS q_with_cand,
       count(*) FILTER (WHERE demoted > 0) AS q_biting,
       sum(candidates) AS q_cand, sum(kept) AS q_kept, sum(demoted) AS q_demoted, sum(tied) AS q_tied,
       count(*) FILTER (WHERE kept = quota_kept) AS q_checked,
       count(*) FILTER (WHERE kept = quota_kept) = count(*) AS q_all_ok
FROM quota_group \gset
SELECT CASE WHEN :'q_all_ok' THEN 'khớp ở cả ' || :q_groups || ' nhóm'
            ELSE 'LỆCH ở ' || (:q_groups - :q_checked) || ' nhóm' END AS q_check_text,
       format('%s nhóm, %s có ứng viên, %s bị hạn mức cắt; ứng viên %s, giữ %s, hạ %s, hòa ở ngưỡng %s.',
              :q_groups, :q_with_cand, :q_biting, :q_cand, :q_kept, :q_demoted, :q_tied) AS q_total_text \gset

\echo
\echo '================================================================================'
\echo ' XẾP LOẠI CUỐI NĂM: HẠN MỨC HTXSNV VÀ SÀNG LỌC / YEAR END: QUOTA AND SCREENING'
\echo '================================================================================'
\echo
\echo '8. Hạn mức HTXSNV theo nhóm (CS15) / The excellent quota by group'
\echo '   Nhóm: công chức có nhiệm vụ tương đồng. Chuyên viên: trong từng phòng; lãnh đạo phòng: trong'
\echo '   cơ quan (do người đứng đầu đánh giá); lãnh đạo sở, UBND cấp xã: toàn tỉnh (do Chủ tịch UBND tỉnh).'
\echo '   Giữ = số HTXSNV sau kpi.quota_tier; quota_kept = kpi.quota_kept(N, M) = min(N, floor((M + N) / 6)).'
SELECT agency AS "Cơ quan", unit AS "Đơn vị", group_name AS "Nhóm nhiệm vụ",
       members AS "Số người", candidates AS "Ứng viên XS (N)", good AS "HTTNV (M)",
       kept AS "Giữ XS", quota_kept AS "quota_kept", demoted AS "Hạ xuống HTTNV",
       tied AS "Hòa ở ngưỡng"
FROM quota_group
ORDER BY sort, group_id;
\echo '   Cộng:' :q_total_text
\echo '   Đối chiếu số giữ (kpi.quota_tier) với kpi.quota_kept:' :q_check_text

\echo
\echo '8a. Hòa ở ngưỡng hạn mức: cần người có thẩm quyền quyết định (kpi.quota_tie)'
\echo '    Bằng nhau cả điểm năm, điểm kết quả nhiệm vụ T và điểm tiêu chí chung G (trung bình tháng);'
\echo '    kpi.quota_tier tạm giữ người đứng trước theo thứ tự của cửa sổ (mã công chức).'
SELECT q.agency AS "Cơ quan", q.unit AS "Đơn vị", q.group_name AS "Nhóm nhiệm vụ",
       q.candidates || '/' || q.kept AS "N/giữ",
       y.official_id AS "Mã", y.full_name AS "Họ và tên", y.annual AS "Năm",
       round(y.tp, 4) AS "T", round(y.g, 4) AS "G",
       n.abbr AS "Tạm xếp"
FROM year_eval y
JOIN quota_group q USING (group_id)
JOIN tier_name n ON n.tier = y.tier_final
WHERE y.quota_tie
ORDER BY q.sort, q.group_id, y.official_id;

-- Screening (CS16): tiers of 2024 and 2025 from sample.tier_history, 2026 as
-- decided here (after the quota and the disqualifiers).
CREATE TEMP TABLE screening AS
SELECT official_id, y2024, y2025, y2026,
       kpi.screening(years, tiers) AS flag
FROM (SELECT y.official_id,
             max(h.tier) FILTER (WHERE h.year = 2024) AS y2024,
             max(h.tier) FILTER (WHERE h.year = 2025) AS y2025,
             y.tier_final AS y2026,
             array_agg(h.year ORDER BY h.year) FILTER (WHERE h.year IS NOT NULL) || 2026 AS years,
             array_agg(h.tier ORDER BY h.year) FILTER (WHERE h.year IS NOT NULL) || y.tier_final AS tiers
      FROM year_eval y
      LEFT JOIN sample.tier_history h USING (official_id)
      GROUP BY y.official_id, y.tier_final) s;

\echo
\echo '8b. Sàng lọc sau xếp loại (CS16, kpi.screening) / Screening flags'
\echo '    up: HTXSNV năm 2026 (ưu tiên xem xét đề bạt, khen thưởng); down: KHTNV năm 2026 (xem xét bố trí'
\echo '    công tác khác); out: KHTNV 2 năm liên tiếp (xem xét cho thôi việc). Năm 2026: mức sau hạn mức và vi phạm.'
SELECT s.flag AS "Cờ", u.code AS "ĐV", y.official_id AS "Mã", y.full_name AS "Họ và tên", y.position AS "Chức vụ",
       coalesce(n24.abbr, '—') AS "2024", coalesce(n25.abbr, '—') AS "2025", n26.abbr AS "2026",
       y.annual AS "Điểm 2026",
       concat_ws('; ', CASE WHEN y.disqualified THEN 'vi phạm (CS14)' END,
                       CASE WHEN s.y2024 IS NULL THEN 'vào công vụ năm 2025' END) AS "Ghi chú"
FROM screening s
JOIN year_eval y USING (official_id)
JOIN unit_code u USING (unit_id)
LEFT JOIN tier_name n24 ON n24.tier = s.y2024
LEFT JOIN tier_name n25 ON n25.tier = s.y2025
JOIN tier_name n26 ON n26.tier = s.y2026
WHERE s.flag IS NOT NULL
ORDER BY array_position('{out,down,up}'::text[], s.flag), u.sort, y.official_id;
\echo '    —: năm chưa được đánh giá (chưa là công chức).'
SELECT string_agg(f || ' ' || coalesce(k, 0), ', ' ORDER BY o) AS flags
FROM unnest('{up,down,out}'::text[]) WITH ORDINALITY AS x(f, o)
LEFT JOIN (SELECT flag, count(*) AS k FROM screening GROUP BY flag) c ON c.flag = x.f \gset
SELECT format('%s; không có cờ: %s', :'flags', count(*)) AS flags_text FROM screening WHERE flag IS NULL \gset
\echo '    Số người theo cờ:' :flags_text

------------------------------------------------------------------------------
-- 9-10. Agencies (AG1-AG5) and the province's indices (IX1-IX5)
------------------------------------------------------------------------------

SELECT short_name AS province_short FROM sample.province \gset

-- The indices, each checked against its scale (kpi.index_check); the PCI
-- composite from its ten sub-indices (kpi.pci_composite).
CREATE TEMP TABLE idx AS
SELECT year, province, code, kpi.index_check(code, value) AS value
FROM sample.province_index
UNION ALL
SELECT year, province, 'pci', kpi.index_check('pci', kpi.pci_composite(subindices))
FROM sample.pci_subindex;

-- Normalised among the peers of the same index and year (IX5); with no
-- method, kpi.index_norm uses the rules' index_method ('scale').
CREATE TEMP TABLE idx_norm AS
SELECT year, province, code, value,
       kpi.index_norm(code, value) OVER w AS by_rules,
       kpi.index_norm(code, value, 'scale') OVER w AS by_scale,
       kpi.index_norm(code, value, 'minmax') OVER w AS by_minmax,
       kpi.index_norm(code, value, 'rank') OVER w AS by_rank,
       rank() OVER (PARTITION BY code, year ORDER BY value DESC) AS place
FROM idx
WINDOW w AS (PARTITION BY code, year);

-- Agencies: G from the four marks (kpi.agency_general_points), the work plan
-- as one kpi.tally of the agency's own task lines due in the year, the
-- dossiers, and the province's indices by the rules' method.
CREATE TEMP TABLE agency_eval AS
WITH plan AS (
	SELECT agency_id,
	       count(*) FILTER (WHERE source = 'kế hoạch') AS n_plan,
	       count(*) FILTER (WHERE source = 'phát sinh') AS n_arising,
	       kpi.tally_agg(coef, done_on IS NOT NULL, passed, quality_errors,
	                     kpi.late_events(due_on, done_on)) AS t
	FROM sample.agency_task_line
	WHERE due_on >= make_date(:year, 1, 1) AND due_on < make_date(:year + 1, 1, 1)
	GROUP BY agency_id
),
ix AS (
	SELECT jsonb_object_agg(code, by_rules) AS indices
	FROM idx_norm WHERE year = :year AND province = :'province_short'
)
SELECT a.agency_id, a.short_name, a.name, a.kind, m.marks, m.note, g.g,
       p.n_plan, p.n_arising, p.t,
       kpi.quantity_pct(p.t) AS a, kpi.quality_pct(p.t) AS b, kpi.progress_pct(p.t) AS c,
       kpi.task_pct(p.t) AS kq,
       d.dossiers, d.on_time, d.online, ix.indices,
       c.general_points, c.work_plan_points, c.procedures_points, c.par_points, c.sipas_points,
       c.pci_points, c.dti_points, c.score,
       kpi.agency_score(g.g, p.t, d.dossiers, d.on_time, d.online, ix.indices, a.kind) AS score_check,
       kpi.tier_of(c.score) AS tier,
       kpi.agency_score(g.g, p.t, d.dossiers, d.on_time, d.online, kind => 'ministry') AS score_ministry
FROM sample.agency a
JOIN sample.agency_marks m ON m.agency_id = a.agency_id AND m.year = :year
CROSS JOIN LATERAL (SELECT kpi.agency_general_points(m.marks) AS g) g
JOIN plan p ON p.agency_id = a.agency_id
JOIN sample.agency_dossier d ON d.agency_id = a.agency_id AND d.year = :year
CROSS JOIN ix
CROSS JOIN LATERAL kpi.agency_components(g.g, p.t, d.dossiers, d.on_time, d.online, ix.indices, a.kind) c;

-- The head of each agency, as rated in the civil-servant evaluation above.
CREATE TEMP TABLE agency_head AS
SELECT e.agency_id, y.official_id, y.full_name, y.position, y.annual, y.tier, y.tier_final,
       e.tier AS agency_tier,
       kpi.head_tier(y.tier_final, e.tier) AS head_tier_off,
       kpi.head_tier(y.tier_final, e.tier, '{"head_cap": true}') AS head_tier_on,
       kpi.head_capped(y.tier_final, e.tier, '{"head_cap": true}') AS capped
FROM agency_eval e
JOIN sample.unit u ON u.agency_id = e.agency_id AND u.parent_id IS NULL
JOIN year_eval y ON y.unit_id = u.unit_id AND y.position IN ('Giám đốc', 'Chủ tịch UBND');

\echo
\echo '================================================================================'
\echo ' ĐÁNH GIÁ, XẾP LOẠI CƠ QUAN, CHỈ SỐ CỦA TỈNH, XÂY DỰNG PHÁP LUẬT'
\echo ' AGENCIES, THE PROVINCE''S INDICES, LAW-MAKING'
\echo '================================================================================'
\echo
\echo '9. Cơ quan năm' :year '(AG1-AG4) / Agency scores and tiers'
\echo '   Đầu vào: G = 4 tiêu chí chung x 7,5 (kpi.agency_general_points); việc của cơ quan trong năm:'
\echo '   kế hoạch (hệ số 2) và phát sinh (hệ số 1), a, b, c, KQ như công chức; hồ sơ thủ tục hành chính.'
SELECT short_name AS "Cơ quan", array_to_string(marks, ' + ') || ' = ' || g AS "Tiêu chí chung G",
       n_plan || ' + ' || n_arising AS "Việc KH + PS",
       round(a, 2) AS "a", round(b, 2) AS "b", round(c, 2) AS "c", round(kq, 2) AS "KQ",
       dossiers AS "Hồ sơ", round(100.0 * on_time / dossiers, 2) AS "Đúng hạn %",
       round(100.0 * online / dossiers, 2) AS "Trực tuyến %"
FROM agency_eval
ORDER BY agency_id;
SELECT string_agg(short_name || ': ' || note, '; ' ORDER BY agency_id) AS agency_notes
FROM agency_eval WHERE note IS NOT NULL \gset
\echo '   Ghi chú tiêu chí chung:' :agency_notes

\echo
\echo '   Điểm theo thành phần (kpi.agency_components, mẫu tỉnh: kế hoạch 40 + TTHC 10 + PAR, SIPAS, PCI, DTI 5 mỗi chỉ số;'
\echo '   chỉ số của tỉnh theo thang đo, mục 10). Xếp loại bằng kpi.tier_of như công chức (AG4).'
SELECT short_name AS "Cơ quan", general_points AS "G (30)",
       round(work_plan_points, 4) AS "Kế hoạch (40)", round(procedures_points, 4) AS "TTHC (10)",
       round(par_points, 4) AS "PAR (5)", round(sipas_points, 4) AS "SIPAS (5)",
       round(pci_points, 4) AS "PCI (5)", round(dti_points, 4) AS "DTI (5)",
       score AS "Điểm", n.abbr AS "Xếp loại",
       CASE WHEN score_check = score THEN 'khớp' ELSE 'LỆCH' END AS "= agency_score",
       score_ministry AS "Mẫu bộ (60 + 10)", nm.abbr AS "XL theo mẫu bộ"
FROM agency_eval
JOIN tier_name n USING (tier)
JOIN tier_name nm ON nm.tier = kpi.tier_of(score_ministry)
ORDER BY agency_id;
\echo '   Mẫu bộ (so sánh): cùng số liệu chấm theo mẫu bộ, ngành (kế hoạch 60 + TTHC 10, không có chỉ số).'

\echo
\echo '9a. Người đứng đầu cơ quan: giới hạn theo xếp loại cơ quan (AG5, kpi.head_tier / kpi.head_capped,'
\echo '    quy tắc {"head_cap": true}; mặc định không áp dụng)'
SELECT e.short_name AS "Cơ quan", h.official_id AS "Mã", h.full_name AS "Họ và tên", h.position AS "Chức vụ",
       h.annual AS "Điểm CC", nt.abbr AS "XL theo điểm", nf.abbr AS "XL CC (mục 1-8)",
       na.abbr AS "XL cơ quan", noff.abbr AS "Không giới hạn", non.abbr AS "Có giới hạn",
       CASE WHEN h.capped THEN 'bị hạ' ELSE '' END AS "AG5"
FROM agency_head h
JOIN agency_eval e USING (agency_id)
JOIN tier_name nt ON nt.tier = h.tier
JOIN tier_name nf ON nf.tier = h.tier_final
JOIN tier_name na ON na.tier = h.agency_tier
JOIN tier_name noff ON noff.tier = h.head_tier_off
JOIN tier_name non ON non.tier = h.head_tier_on
ORDER BY h.agency_id;

\echo
\echo '10. Chỉ số năm' :year 'của tỉnh và 9 tỉnh so sánh (IX1-IX4, dữ liệu mẫu) / Published indices'
\echo '    PAR INDEX, SIPAS (%); PCI = tổng w x 10 x chỉ số thành phần (kpi.pci_composite, trọng số VCCI);'
\echo '    DTI (điểm / 1000). Mọi giá trị qua kpi.index_check; (hạng) trong 10 tỉnh.'
SELECT CASE WHEN i.province = :'province_short' THEN '* ' ELSE '  ' END || i.province AS "Tỉnh",
       max(i.value) FILTER (WHERE code = 'par') || ' (' || max(place) FILTER (WHERE code = 'par') || ')' AS "PAR INDEX %",
       max(i.value) FILTER (WHERE code = 'sipas') || ' (' || max(place) FILTER (WHERE code = 'sipas') || ')' AS "SIPAS %",
       round(max(i.value) FILTER (WHERE code = 'pci'), 3) || ' (' || max(place) FILTER (WHERE code = 'pci') || ')' AS "PCI",
       max(i.value) FILTER (WHERE code = 'dti') || ' (' || max(place) FILTER (WHERE code = 'dti') || ')' AS "DTI (điểm)",
       array_to_string(p.subindices, ' ') AS "PCI: 10 chỉ số thành phần"
FROM idx_norm i
JOIN sample.pci_subindex p USING (year, province)
WHERE i.year = :year
GROUP BY i.province, p.subindices
ORDER BY i.province <> :'province_short', max(i.value) FILTER (WHERE code = 'pci') DESC, max(i.value) FILTER (WHERE code = 'par') DESC;

\echo
\echo '    Chuẩn hóa về 0..1 (kpi.index_norm OVER (PARTITION BY code, year)): thang đo (giá trị / thang),'
\echo '    min-max ((v - min) / (max - min)) và hạng ((n - hạng) / (n - 1), đồng hạng nhận hạng cao hơn).'
SELECT CASE WHEN i.province = :'province_short' THEN '* ' ELSE '  ' END || i.province AS "Tỉnh",
       round(max(by_scale) FILTER (WHERE code = 'par'), 4) AS "PAR thang",
       round(max(by_minmax) FILTER (WHERE code = 'par'), 4) AS "min-max",
       round(max(by_rank) FILTER (WHERE code = 'par'), 4) AS "hạng",
       round(max(by_scale) FILTER (WHERE code = 'sipas'), 4) AS "SIPAS thang",
       round(max(by_minmax) FILTER (WHERE code = 'sipas'), 4) AS "min-max",
       round(max(by_rank) FILTER (WHERE code = 'sipas'), 4) AS "hạng",
       round(max(by_scale) FILTER (WHERE code = 'pci'), 4) AS "PCI thang",
       round(max(by_minmax) FILTER (WHERE code = 'pci'), 4) AS "min-max",
       round(max(by_rank) FILTER (WHERE code = 'pci'), 4) AS "hạng",
       round(max(by_scale) FILTER (WHERE code = 'dti'), 4) AS "DTI thang",
       round(max(by_minmax) FILTER (WHERE code = 'dti'), 4) AS "min-max",
       round(max(by_rank) FILTER (WHERE code = 'dti'), 4) AS "hạng"
FROM idx_norm i
WHERE i.year = :year
GROUP BY i.province
ORDER BY i.province <> :'province_short', max(i.value) FILTER (WHERE code = 'pci') DESC, max(i.value) FILTER (WHERE code = 'par') DESC;
SELECT string_agg(code || ' ' || round(by_rules, 4), ', ' ORDER BY array_position('{par,sipas,pci,dti}'::text[], code)) AS used
FROM idx_norm WHERE year = :year AND province = :'province_short' \gset
\echo '    Dùng cho điểm cơ quan (mục 9, phương pháp mặc định của quy tắc: thang đo):' :used

------------------------------------------------------------------------------
-- 11. Law-making (LM1-LM4): the fourth quarter and the second half of 2026
------------------------------------------------------------------------------

CREATE TEMP TABLE lm_period AS
SELECT 'Q3/2026' AS name, 0 AS ord, * FROM kpi.period_bounds('quarter', '2026-07-01')
UNION ALL
SELECT 'Q4/2026', 1, * FROM kpi.period_bounds('quarter', '2026-10-01')
UNION ALL
SELECT '6T cuối 2026', 2, * FROM kpi.period_bounds('half', '2026-07-01');

-- Every document of a ministry and role goes into every period's summary:
-- the backlog includes documents due before the period.
CREATE TEMP TABLE lm_eval AS
SELECT d.ministry_id, d.role, p.name AS period, p.ord, p.period_start, p.period_end,
       kpi.lawmaking_agg(d.due_on, d.issued_on, d.times_returned, d.obstacles_detected,
                         d.obstacles_resolved, d.initiatives, p.period_start, p.period_end) AS s
FROM sample.lm_document d CROSS JOIN lm_period p
GROUP BY d.ministry_id, d.role, p.name, p.ord, p.period_start, p.period_end;

SELECT period_end AS lm_end FROM lm_period WHERE ord = 2 \gset

\echo
\echo '11. Xây dựng pháp luật: Q4/2026 và 6 tháng cuối năm 2026 (kpi.period_bounds; số liệu đến 20/01/2027)'
\echo '    Đến hạn: văn bản có hạn trong kỳ; Đúng hạn: ban hành không muộn hơn hạn; Trễ: ban hành trong kỳ sau hạn;'
\echo '    Nợ đọng: đến hạn trước cuối kỳ mà chưa ban hành đến cuối kỳ (kể cả từ các kỳ trước); Đạt lần đầu:'
\echo '    ban hành trong kỳ, không bị trả lại lần nào; Vướng mắc: phát hiện / đã xử lý (theo hạn trong kỳ).'
\echo '    Vai trò: Soạn thảo = chủ trì soạn thảo; Tham gia TĐ = tham gia thẩm định; Trả lời phiếu = trả lời'
\echo '    phiếu lấy ý kiến thành viên Chính phủ; Hoàn thiện = tiếp thu, hoàn thiện dự thảo sau góp ý.'
SELECT m.short_name AS "Bộ", r.short_name AS "Vai trò", e.period AS "Kỳ",
       c.due_in_period AS "Đến hạn", c.on_time AS "Đúng hạn", round(kpi.lm_on_time_rate(e.s), 2) AS "% đúng hạn",
       c.late_issued AS "Trễ", c.backlog AS "Nợ đọng", c.issued_in_period AS "Ban hành",
       c.first_pass AS "Đạt lần đầu", round(kpi.lm_first_pass_rate(e.s), 2) AS "% lần đầu",
       c.obstacles_detected || ' / ' || c.obstacles_resolved AS "Vướng mắc",
       round(kpi.lm_obstacle_rate(e.s), 2) AS "% xử lý", c.initiatives AS "Sáng kiến"
FROM lm_eval e
CROSS JOIN LATERAL kpi.lm_components(e.s) c
JOIN sample.ministry m USING (ministry_id)
JOIN sample.lm_role r USING (role)
WHERE e.ord > 0
ORDER BY e.ministry_id, r.ord, e.ord;

\echo
\echo '    Điểm (LM4, mẫu minh họa: tiến độ 40 x đúng hạn / đến hạn, chất lượng 30 x đạt lần đầu / ban hành,'
\echo '    vướng mắc 15 x đã xử lý / phát hiện, sáng kiến 5 x min(1, số / 1), tác động: điểm chấm 0..10;'
\echo '    không có gì để đo thì đủ điểm phần đó). kpi.lm_points, kpi.lm_score, kpi.tier_of.'
SELECT m.short_name AS "Bộ", r.short_name AS "Vai trò", e.period AS "Kỳ",
       round(p.progress_points, 4) AS "Tiến độ (40)", round(p.quality_points, 4) AS "Chất lượng (30)",
       round(p.obstacles_points, 4) AS "Vướng mắc (15)", round(p.initiatives_points, 4) AS "Sáng kiến (5)",
       round(p.impact_points, 1) AS "Tác động (10)",
       kpi.lm_score(e.s, i.mark) AS "Điểm", n.abbr AS "Xếp loại"
FROM lm_eval e
JOIN sample.lm_impact i ON i.ministry_id = e.ministry_id AND i.role = e.role AND i.period_start = e.period_start
                       AND i.period = CASE WHEN e.ord = 2 THEN 'half' ELSE 'quarter' END
CROSS JOIN LATERAL kpi.lm_points(e.s, i.mark) p
JOIN sample.ministry m ON m.ministry_id = e.ministry_id
JOIN sample.lm_role r ON r.role = e.role
LEFT JOIN tier_name n ON n.tier = kpi.tier_of(kpi.lm_score(e.s, i.mark))
WHERE e.ord > 0
ORDER BY e.ministry_id, r.ord, e.ord;

SELECT count(*) AS lm_groups,
       count(*) FILTER (WHERE kpi.lm_append(q3.s, q4.s)::text = h.s::text) AS lm_append_ok
FROM lm_eval q3
JOIN lm_eval q4 ON q4.ministry_id = q3.ministry_id AND q4.role = q3.role AND q4.ord = 1
JOIN lm_eval h ON h.ministry_id = q3.ministry_id AND h.role = q3.role AND h.ord = 2
WHERE q3.ord = 0 \gset
\echo '    Đối chiếu: Q3 nối Q4 (kpi.lm_append) bằng đúng 6 tháng cuối năm ở' :lm_append_ok '/' :lm_groups 'nhóm bộ - vai trò.'

SELECT count(*) AS bl_listed FROM sample.lm_document WHERE kpi.lm_is_backlog(due_on, issued_on, :'lm_end') \gset
SELECT format('11a. Văn bản nợ đọng tại %s (kpi.lm_is_backlog): %s văn bản (cộng kpi.lm_backlog của các nhóm: %s)',
              to_char(:'lm_end'::date, 'DD/MM/YYYY'), :bl_listed, sum(kpi.lm_backlog(s))) AS bl_title
FROM lm_eval WHERE ord = 2 \gset
\echo
\echo :bl_title
SELECT d.code AS "Mã", d.title AS "Văn bản (việc)",
       to_char(d.due_on, 'DD/MM/YYYY') AS "Hạn",
       coalesce(to_char(d.issued_on, 'DD/MM/YYYY'), 'chưa ban hành') AS "Ban hành",
       :'lm_end'::date - d.due_on AS "Quá hạn (ngày)",
       d.times_returned AS "Lần trả lại"
FROM sample.lm_document d
WHERE kpi.lm_is_backlog(d.due_on, d.issued_on, :'lm_end')
ORDER BY :'lm_end'::date - d.due_on DESC, d.doc_id;
\echo '    Quá hạn: số ngày từ hạn đến cuối kỳ. Văn bản ban hành sau cuối kỳ vẫn là nợ đọng của kỳ (cột Ban hành'
\echo '    ghi ngày). Lần trả lại: số lần bị trả lại vì chất lượng. Mã: bộ thực hiện việc và số thứ tự.'

------------------------------------------------------------------------------
-- Key figures
------------------------------------------------------------------------------

SELECT string_agg(short_name || ' ' || n.abbr || ' (' || score || ')', ', ' ORDER BY agency_id) AS k_agencies
FROM agency_eval JOIN tier_name n USING (tier) \gset
SELECT string_agg(e.short_name || ' ' || h.full_name, ', ' ORDER BY h.agency_id) AS k_capped
FROM agency_head h JOIN agency_eval e USING (agency_id) WHERE h.capped \gset
SELECT string_agg(n.abbr || ' ' || coalesce(c.k, 0), ', ' ORDER BY n.tier DESC) AS k_final
FROM tier_name n
LEFT JOIN (SELECT tier_final AS tier, count(*) AS k FROM year_eval GROUP BY tier_final) c USING (tier) \gset

\echo
\echo '================================================================================'
\echo ' TÓM TẮT / KEY FIGURES'
\echo '================================================================================'
\echo ' Công chức, xếp loại chính thức (sau hạn mức và vi phạm):' :k_final
\echo ' Hạn mức HTXSNV:' :q_total_text
\echo ' Số giữ đối chiếu kpi.quota_kept:' :q_check_text
\echo ' Cờ sàng lọc (CS16):' :flags
\echo ' Cơ quan:' :k_agencies
\echo ' Người đứng đầu bị hạ nếu áp dụng AG5:' :k_capped
\echo ' Văn bản nợ đọng tại 31/12/2026:' :bl_listed
