-- test/sample/report_reference.sql: the sample province's year as the Sở Nội vụ
-- reports it, after CALL kpi.evaluate over the reference schema (loaded by
-- test/sample/load_reference.sql), read from the reporting views of schema
-- kpi_report only.
--
-- Written for the people who sign it: Vietnamese first (a short English
-- summary at the end), numbers with the decimal comma, dates dd/mm/yyyy,
-- the official counts (after the excellent quota) first, Decree 335 article
-- numbers beside the rules, lines of at most 100 columns.  The cross-checks
-- against the plain-SQL computation are tests (test/t/007_sample_crosscheck.pl),
-- not part of the report.
--
-- Usage: psql -X -q -v ON_ERROR_STOP=1 -f test/sample/report_reference.sql
\set ON_ERROR_STOP 1
\set QUIET on
\pset footer off
\pset null ''
SET client_min_messages = warning;

-- numbers the Vietnamese way: 1.234,56
CREATE FUNCTION pg_temp.vn(x numeric, decimals integer DEFAULT 2) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT translate(to_char(round(x, decimals),
	                         'FM999G999G990' || CASE WHEN decimals > 0 THEN 'D' || repeat('0', decimals) ELSE '' END),
	                 ',.', '.,')
$$;
CREATE FUNCTION pg_temp.ngay(d date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT to_char(d, 'DD/MM/YYYY') $$;

-- the year reported and the agencies (short names of the sample)
SELECT max(year) AS y FROM kpi_report.official_result WHERE period_kind = 'year' \gset
CREATE TEMP TABLE agency AS
SELECT u.unit_id AS agency_id, a.short_name AS code, a.name
FROM kpi_report.unit u JOIN sample.agency a ON 20 + a.agency_id = u.unit_id
WHERE u.is_rated_agency;
SELECT p.name AS tinh, upper(p.short_name) AS tinh_hoa,
       rpad(' Số:      /BC-SNV', 47) || p.short_name || ', ngày ' || to_char(max(r.evaluated_on), 'DD')
       || ' tháng ' || to_char(max(r.evaluated_on), 'MM') || ' năm ' || to_char(max(r.evaluated_on), 'YYYY')
       AS so_ngay, '(' || p.name || ')' AS tinh_ngoac
FROM sample.province p, kpi_report.official_result r
WHERE r.period_kind = 'year' AND r.year = :y GROUP BY p.name, p.short_name \gset

\echo
\echo 'UBND TỈNH' :tinh_hoa '                             CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'
\echo '    SỞ NỘI VỤ                                      Độc lập - Tự do - Hạnh phúc'
\echo :so_ngay
\echo
\echo '                                   BÁO CÁO'
\echo '           Kết quả đánh giá, xếp loại chất lượng công chức năm' :y
\echo '                     (theo Nghị định số 335/2025/NĐ-CP)'
\echo '                          ' :tinh_ngoac
\echo
\echo 'Căn cứ kết quả theo dõi, đánh giá hằng tháng (Điều 14) và xếp loại chất lượng năm'
\echo '(Điều 20, Điều 21 Nghị định số 335/2025/NĐ-CP), Sở Nội vụ báo cáo như sau.'
\echo 'Chữ viết tắt: HTXSNV - Hoàn thành xuất sắc nhiệm vụ; HTTNV - Hoàn thành tốt nhiệm vụ;'
\echo 'HTNV - Hoàn thành nhiệm vụ; KHTNV - Không hoàn thành nhiệm vụ.'

\echo
\echo 'I. KẾT QUẢ XẾP LOẠI CHÍNH THỨC (sau khi áp dụng tỷ lệ HTXSNV, Điều 20)'
\echo
SELECT coalesce(a.code, 'Cộng') AS "Cơ quan",
       sum(r.officials) AS "Số CC",
       sum(r.final_xuat_sac) AS "HTXSNV", sum(r.final_tot) AS "HTTNV",
       sum(r.final_hoan_thanh) AS "HTNV", sum(r.final_khong_hoan_thanh) AS "KHTNV",
       sum(r.officials - r.scored) AS "Không chấm",
       pg_temp.vn(100.0 * sum(r.final_xuat_sac) / nullif(sum(r.scored), 0), 1) || ' %' AS "Tỷ lệ HTXSNV"
FROM kpi_report.unit_result r JOIN agency a USING (agency_id)
WHERE r.period_kind = 'year' AND r.year = :y
GROUP BY ROLLUP ((a.agency_id, a.code))
ORDER BY a.agency_id NULLS LAST;
\echo 'Cơ quan:'
\pset tuples_only on
SELECT code || ': ' || name FROM agency ORDER BY agency_id;
\pset tuples_only off

\echo
\echo 'II. TỶ LỆ HTXSNV (Điều 20): không quá 20% số HTTNV trong cùng đơn vị, cùng nhóm nhiệm vụ'
\echo
SELECT coalesce(a.code, 'Cộng') AS "Cơ quan",
       sum(r.pre_quota_xuat_sac) AS "HTXSNV theo điểm",
       sum(r.final_xuat_sac) AS "Được giữ",
       sum(r.quota_demoted) AS "Chuyển HTTNV",
       sum(r.quota_ties) AS "Bằng điểm tại ngưỡng"
FROM kpi_report.unit_result r JOIN agency a USING (agency_id)
WHERE r.period_kind = 'year' AND r.year = :y
GROUP BY ROLLUP ((a.agency_id, a.code))
ORDER BY a.agency_id NULLS LAST;
\echo 'Các trường hợp bằng điểm tại ngưỡng cần người có thẩm quyền quyết định:'
SELECT a.code AS "Cơ quan", r.official_id AS "Mã CC", r.full_name AS "Họ và tên",
       pg_temp.vn(r.score) AS "Điểm năm", r.quota_group AS "Nhóm"
FROM kpi_report.official_result r JOIN agency a USING (agency_id)
WHERE r.period_kind = 'year' AND r.year = :y AND r.quota_tie
ORDER BY a.agency_id, r.score DESC, r.official_id;

\echo
\echo 'III. ĐIỂM NĂM THEO CƠ QUAN (trung bình điểm các tháng, Điều 21)'
\echo
SELECT coalesce(a.code, 'Cộng') AS "Cơ quan", sum(r.scored) AS "Được chấm",
       pg_temp.vn(sum(r.mean_score * r.scored) / nullif(sum(r.scored), 0)) AS "Bình quân",
       pg_temp.vn(min(r.min_score)) AS "Thấp nhất", pg_temp.vn(max(r.max_score)) AS "Cao nhất"
FROM kpi_report.unit_result r JOIN agency a USING (agency_id)
WHERE r.period_kind = 'year' AND r.year = :y
GROUP BY ROLLUP ((a.agency_id, a.code))
ORDER BY a.agency_id NULLS LAST;
\echo '(bình quân của cơ quan tính từ điểm bình quân đã làm tròn của từng đơn vị)'

\echo
\echo 'IV. KHÔNG HOÀN THÀNH NHIỆM VỤ DO VI PHẠM (Điều 20; điểm vẫn được công bố)'
\echo
SELECT a.code AS "Cơ quan", r.official_id AS "Mã CC", r.full_name AS "Họ và tên",
       pg_temp.vn(r.score) AS "Điểm năm", r.pre_quota_tier_label_vi AS "Xếp loại"
FROM kpi_report.official_result r JOIN agency a USING (agency_id)
WHERE r.period_kind = 'year' AND r.year = :y AND r.disqualified
ORDER BY a.agency_id, r.official_id;

\echo
\echo 'V. KẾT QUẢ ĐÁNH GIÁ CƠ QUAN NĂM' :y
\echo
SELECT a.code AS "Cơ quan", pg_temp.vn(r.score) AS "Điểm", r.final_tier_label_vi AS "Xếp loại",
       r.head_full_name AS "Người đứng đầu", r.head_final_tier_label_vi AS "Xếp loại người đứng đầu"
FROM kpi_report.agency_result r JOIN agency a USING (agency_id)
WHERE r.year = :y ORDER BY r.agency_id;
\echo 'Điểm thành phần (tiêu chí chung 30 điểm, kết quả thực hiện nhiệm vụ 70 điểm):'
SELECT a.code AS "Cơ quan",
       pg_temp.vn(max(c.points) FILTER (WHERE c.component = 'general')) AS "Chung",
       pg_temp.vn(max(c.points) FILTER (WHERE c.component = 'work_plan')) AS "Kế hoạch",
       pg_temp.vn(max(c.points) FILTER (WHERE c.component = 'procedures')) AS "TTHC",
       pg_temp.vn(max(c.points) FILTER (WHERE c.component = 'par')) AS "PAR",
       pg_temp.vn(max(c.points) FILTER (WHERE c.component = 'sipas')) AS "SIPAS",
       pg_temp.vn(max(c.points) FILTER (WHERE c.component = 'pci')) AS "PCI",
       pg_temp.vn(max(c.points) FILTER (WHERE c.component = 'dti')) AS "DTI"
FROM kpi_report.agency_component c JOIN agency a USING (agency_id)
WHERE c.year = :y GROUP BY a.agency_id, a.code ORDER BY a.agency_id;
\echo '(điểm thành phần làm tròn đến 2 chữ số; tổng chính xác của chúng là điểm của cơ quan)'

-- one civil servant: the first reprimanded in the year (a high score that a
-- disqualifier overrides), and the month of the decision
SELECT d.official_id AS ex_id, r.full_name || ' (mã ' || d.official_id || ')' AS ex_name, pg_temp.ngay(d.decided_on) AS ex_day,
       to_char(d.decided_on, 'YYYY-MM') AS ex_month, to_char(d.decided_on, 'MM/YYYY') AS ex_month_vi
FROM sample.discipline d
JOIN kpi_report.official_result r ON r.official_id = d.official_id AND r.period_kind = 'year'
ORDER BY d.decided_on, d.official_id LIMIT 1 \gset

\echo
\echo 'VI. GIẢI TRÌNH KẾT QUẢ CỦA MỘT CÔNG CHỨC (ví dụ):' :ex_name
\echo
SELECT p.period_label_vi AS "Kỳ", pg_temp.vn(r.score) AS "Điểm",
       r.pre_quota_tier_label_vi AS "Xếp loại theo điểm",
       CASE WHEN r.disqualified THEN 'có' ELSE 'không' END AS "Vi phạm",
       r.final_tier_label_vi AS "Xếp loại chính thức"
FROM kpi_report.official_result r JOIN kpi_report.period p USING (period_key)
WHERE r.official_id = :ex_id AND r.period_key IN (:'ex_month', :'y')
ORDER BY p.period_kind_rank;
\echo 'Bị kỷ luật khiển trách ngày' :ex_day '(Điều 20): không hoàn thành nhiệm vụ dù điểm năm cao.'
\echo
\echo 'Điểm bị trừ tháng' :ex_month_vi '(điểm năm là trung bình điểm các tháng, Điều 21):'
SELECT l.line_no AS "TT", l.rule_id || CASE
           WHEN l.rule_id = 'CS3' THEN ' (Mẫu 01)'
           WHEN l.rule_id IN ('CS5', 'CS6', 'CS7') THEN ' (Điều 14)'
           WHEN l.rule_id = 'CS10' THEN ' (Điều 14)'
           ELSE '' END AS "Quy định",
       regexp_replace(l.description_vi, '([0-9])\.([0-9])', '\1,\2', 'g') AS "Nội dung",
       pg_temp.vn(l.points_lost) AS "Điểm trừ"
FROM kpi_report.ledger_line l
WHERE l.official_id = :ex_id AND l.period_key = :'ex_month'
ORDER BY l.line_no;
\echo '(Mã quy định: xem RULES.md; điểm trừ làm tròn đến 2 chữ số, tổng chính xác bằng 100 - điểm)'

\echo
\echo 'VII. SỐ LIỆU ĐẦU VÀO'
\echo
SELECT coalesce(a.code, 'Cộng') AS "Cơ quan",
       count(*) AS "Tháng có việc",
       count(g.official_id) AS "Có phiếu TCC",
       pg_temp.vn(100.0 * count(g.official_id) / count(*), 1) || ' %' AS "Đủ phiếu"
FROM (SELECT DISTINCT t.official_id, date_trunc('month', t.due)::date AS m
      FROM kpi.task_line t
      WHERE t.official_id IS NOT NULL AND extract(year FROM t.due) = :y) w
JOIN kpi.official o USING (official_id)
JOIN kpi_report.unit u ON u.unit_id = o.unit_id
JOIN agency a ON a.agency_id = u.agency_id
LEFT JOIN kpi.general_mark g ON g.official_id = w.official_id AND g.period_start = w.m
GROUP BY ROLLUP ((a.agency_id, a.code))
ORDER BY a.agency_id NULLS LAST;
SELECT pg_temp.vn(count(*) FILTER (WHERE period_kind = 'month'), 0) AS kq_thang,
       pg_temp.vn(count(*) FILTER (WHERE period_kind = 'year'), 0) AS kq_nam,
       'ngày ' || pg_temp.ngay(min(evaluated_on)) || CASE WHEN min(evaluated_on) < max(evaluated_on)
           THEN ' - ' || pg_temp.ngay(max(evaluated_on)) ELSE '' END AS ngay,
       '(kpi_eval ' || min(engine_version) || ',' AS phien_ban
FROM kpi_report.official_result WHERE year = :y \gset
\echo 'Đã đánh giá' :kq_thang 'kết quả tháng và' :kq_nam 'kết quả năm' :phien_ban :ngay ').'
\echo 'Phiếu tiêu chí chung: Mẫu số 01 Nghị định số 335/2025/NĐ-CP.'

\echo
\echo '     NGƯỜI LẬP BÁO CÁO                                       GIÁM ĐỐC'
\echo
\echo
\echo

\echo 'Summary in English: civil servants rated for' :y 'under Decree 335/2025/ND-CP. Section I'
\echo 'gives the official tiers (after the excellent quota of Art. 20), II the quota, III the'
\echo 'annual scores (mean of the months, Art. 21), IV those disqualified, V the agencies, VI'
\echo 'one civil servant''s explanation, VII the inputs. Rule ids: RULES.md.'
