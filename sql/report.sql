--
-- Reporting views for BI tools (schema kpi_report): the types and comments of
-- every column, and the output of every view over a small organisation (an
-- agency with two units, seven civil servants, two months and the year, with
-- the excellent quota demoting four of them), and row-level security through
-- the views.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';

-- Every column of every reporting view: only built-in scalar types (no
-- custom type, no array, no json), numeric with a declared precision and
-- scale, and a comment in English and Vietnamese ("English / Tiếng Việt").
SELECT c.relname AS view, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE n.nspname = 'kpi_report'
ORDER BY c.relname, a.attnum;

SELECT c.relname AS view, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) AS offending_type
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
JOIN pg_type t ON t.oid = a.atttypid
WHERE n.nspname = 'kpi_report'
  AND (t.typnamespace <> 'pg_catalog'::regnamespace OR t.typcategory IN ('A', 'U', 'C', 'E')
       OR t.typname IN ('json', 'jsonb') OR (t.typname = 'numeric' AND a.atttypmod < 0));

SELECT c.relkind, c.relname, c.reloptions,
       obj_description(c.oid, 'pg_class') LIKE '% / %' AS bilingual
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'kpi_report' ORDER BY c.relname;

SELECT c.relname AS view, a.attname AS column_without_two_languages
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE n.nspname = 'kpi_report' AND coalesce(col_description(c.oid, a.attnum), '') NOT LIKE '% / %';

-- the extension owns the schema and every view
SELECT pg_describe_object(classid, objid, 0) AS member
FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'kpi_eval_reference')
  AND (pg_describe_object(classid, objid, 0) LIKE '%kpi_report%')
ORDER BY 1;

-- the tier dimension
SELECT * FROM kpi_report.tier ORDER BY tier_rank;

------------------------------------------------------------------------------
-- A small organisation
------------------------------------------------------------------------------
INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind) VALUES
	(1, NULL, 'Sở Nội vụ', 'province'),
	(2, 1, 'Phòng Công chức', NULL),
	(3, 2, 'Tổ Tiền lương', NULL),
	(9, NULL, 'Bộ Tư pháp', NULL);
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group) VALUES
	(1, 1, 'Nguyễn Văn An', true, 1, 'lanh_dao'),
	(2, 2, 'Trần Thị Bình', false, NULL, 'chuyen_vien'),
	(3, 2, 'Lê Văn Cường', false, NULL, 'chuyen_vien'),
	(4, 2, 'Phạm Thị Dung', false, NULL, 'chuyen_vien'),
	(5, 2, 'Hoàng Văn Em', false, NULL, 'chuyen_vien'),
	(6, 2, 'Vũ Thị Phương', false, NULL, 'chuyen_vien'),
	(7, 3, 'Đặng Văn Giang', false, NULL, 'chuyen_vien');

-- January and February: 10 lines each; officials 2-4 do them all (100 %),
-- 5 and 6 leave 2 undone (80 %), 7 leaves 6 undone (40 %), and nothing is
-- assigned to 7 in February (not scored, N0.4)
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT o, 'Nhiệm vụ ' || i, m + 19, CASE WHEN i <= n THEN m + 18 END, (i <= n)::int, (i <= n)::int
FROM (VALUES (1, 10), (2, 10), (3, 10), (4, 10), (5, 8), (6, 8), (7, 4)) AS w (o, n),
     (VALUES (date '2026-01-01'), (date '2026-02-01')) AS p (m),
     generate_series(1, 10) i
WHERE NOT (o = 7 AND m = date '2026-02-01');
INSERT INTO kpi.general_mark
SELECT o, m, marks
FROM (VALUES (1, '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'::numeric[]),
             (2, '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'), (3, '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,1.5}'),
             (4, '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,1.5,1.5}'), (5, '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'),
             (6, '{5,4,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'), (7, '{4,4,2,2,2,2,2,2,2,2}')) AS g (o, marks),
     (VALUES (date '2026-01-01'), (date '2026-02-01')) AS p (m)
WHERE NOT (o = 7 AND m = date '2026-02-01');
INSERT INTO kpi.agency_input VALUES (1, 2026, '{7,6.5,6.5,6.5}', 1000, 950, 800);
INSERT INTO kpi.index_value VALUES
	(1, 2026, 'par', 91.43), (1, 2026, 'sipas', 83.94), (1, 2026, 'pci', 63.525), (1, 2026, 'dti', 800.2);
INSERT INTO kpi.task_line (unit_id, title, due, done, completed_qty, passed_qty)
SELECT 1, 'Kế hoạch năm, mục ' || i, '2026-06-30', CASE WHEN i <= 9 THEN date '2026-06-30' END,
       (i <= 9)::int, (i <= 9)::int
FROM generate_series(1, 10) i;
-- a law-making document long overdue, one issued, one not yet due
INSERT INTO kpi.lawmaking_document (unit_id, role, title, due, issued, times_returned) VALUES
	(9, 'drafting', 'Nghị định hướng dẫn A', '2026-03-31', NULL, 1),
	(9, 'drafting', 'Thông tư B', '2026-03-31', '2026-03-30', 0),
	(9, 'appraisal', 'Nghị định C', '2999-12-31', NULL, 0);

CALL kpi.evaluate('2026-01-01', 'month');
CALL kpi.evaluate('2026-02-01', 'month');
CALL kpi.evaluate('2026-01-01', 'year');

------------------------------------------------------------------------------
-- Every view
------------------------------------------------------------------------------
SELECT * FROM kpi_report.unit ORDER BY unit_id;

SELECT * FROM kpi_report.period WHERE month IN (1, 2, 12) OR period_kind <> 'month'
ORDER BY period_kind_rank, period_start;
SELECT period_kind, count(*), min(period_start), max(period_end) FROM kpi_report.period GROUP BY 1 ORDER BY 1;

SELECT official_id, full_name, unit_id, agency_id, period_key, period_kind, period_start, period_end, year,
       score, general_points, task_points, quantity_pct, quality_pct, progress_pct, task_pct,
       leader_d_pct, leader_dd_pct, leader_e_pct
FROM kpi_report.official_result ORDER BY period_kind, period_start, official_id;

-- for the year, the final tier is after the quota (CS15): 3 excellent by
-- score and 2 good in the group of unit 2 keep floor(5/6) = 0, and the leader
-- alone in his group keeps none either
SELECT official_id, period_key, score, final_tier, final_tier_rank, final_tier_label_vi, final_tier_label_en,
       pre_quota_tier, pre_quota_tier_rank, pre_quota_tier_label_vi, pre_quota_tier_label_en,
       disqualified, quota_demoted, quota_tie, quota_group, quota_rate_pct, rule_set_id,
       engine_version = (SELECT extversion FROM pg_extension WHERE extname = 'kpi_eval') AS engine_is_this,
       evaluated_on = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS evaluated_today
FROM kpi_report.official_result ORDER BY period_kind, period_start, official_id;

SELECT official_id, period_key, line_no, rule_id, source_table, points_lost, description_vi, description_en
FROM kpi_report.ledger_line WHERE official_id IN (5, 7) AND period_kind = 'month' AND period_start = '2026-01-01'
ORDER BY official_id, line_no;
-- the ledger adds up to 100 - score for every scored result
SELECT count(*) AS results, count(*) FILTER (WHERE lost IS DISTINCT FROM 100 - score) AS not_adding_up
FROM (SELECT r.score, (SELECT sum(l.points_lost) FROM kpi_report.ledger_line l
                       WHERE l.run_id = r.run_id AND l.official_id = r.official_id) AS lost
      FROM kpi_report.official_result r WHERE r.score IS NOT NULL) s;

SELECT * FROM kpi_report.unit_result ORDER BY period_kind, period_start, unit_id;

SELECT unit_id, agency_id, period_key, tier_code, tier_rank, tier_label_vi, final_officials, pre_quota_officials
FROM kpi_report.tier_count WHERE period_kind = 'year' ORDER BY unit_id, tier_rank DESC;
-- the counts of tier_count are those of unit_result
SELECT count(*) AS mismatches
FROM kpi_report.unit_result u
WHERE u.final_xuat_sac <> (SELECT final_officials FROM kpi_report.tier_count t
                           WHERE t.unit_id = u.unit_id AND t.period_key = u.period_key AND t.tier_code = 'xuat_sac')
   OR u.pre_quota_xuat_sac <> (SELECT pre_quota_officials FROM kpi_report.tier_count t
                               WHERE t.unit_id = u.unit_id AND t.period_key = u.period_key AND t.tier_code = 'xuat_sac');

SELECT agency_id, agency_name, agency_kind, period_key, year, score, final_tier, final_tier_rank,
       final_tier_label_vi, final_tier_label_en, head_official_id, head_full_name, head_final_tier,
       head_final_tier_rank, head_final_tier_label_vi, head_final_tier_label_en, head_capped, rule_set_id,
       evaluated_on = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS evaluated_today
FROM kpi_report.agency_result ORDER BY agency_id;

SELECT agency_id, year, component, component_rank, label_vi, label_en, rule_id, points, index_pct
FROM kpi_report.agency_component ORDER BY agency_id, component_rank;

SELECT unit_id, unit_name, role, backlog, oldest_due, oldest_days_overdue = current_date - date '2026-03-31' AS days_ok
FROM kpi_report.lawmaking_backlog ORDER BY unit_id, role;
SELECT unit_id, role, doc_id, title, due, days_overdue > 0 AS overdue, times_returned
FROM kpi_report.lawmaking_backlog_document ORDER BY doc_id;

------------------------------------------------------------------------------
-- Row-level security applies through the views (security_invoker)
------------------------------------------------------------------------------
CREATE ROLE regress_kpi_report_reader;
GRANT USAGE ON SCHEMA kpi TO regress_kpi_report_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA kpi TO regress_kpi_report_reader;
UPDATE kpi.unit SET reporting_role = 'regress_kpi_report_reader' WHERE unit_id = 2;
SET ROLE regress_kpi_report_reader;
SELECT unit_id, unit_level, unit_path, agency_id FROM kpi_report.unit ORDER BY unit_id;
SELECT unit_id, period_key, officials, final_xuat_sac, final_tot FROM kpi_report.unit_result
WHERE period_kind = 'year' ORDER BY unit_id;
SELECT count(*) AS agencies_seen FROM kpi_report.agency_result;
RESET ROLE;
-- without SELECT on the kpi tables the views show nothing either
REVOKE SELECT ON ALL TABLES IN SCHEMA kpi FROM regress_kpi_report_reader;
\i sql/include/err.sql
SET ROLE regress_kpi_report_reader;
SELECT pg_temp.err($$SELECT count(*) FROM kpi_report.official_result$$);
RESET ROLE;
REVOKE USAGE ON SCHEMA kpi FROM regress_kpi_report_reader;
UPDATE kpi.unit SET reporting_role = NULL WHERE unit_id = 2;
DROP ROLE regress_kpi_report_reader;

SET kpi_eval.allow_drop_with_data = on;
SET client_min_messages = error;	-- the warning counts every table's rows (drop_guard.sql pins it)
DROP EXTENSION kpi_eval_reference;
RESET client_min_messages;
SELECT count(*) AS schemas_left FROM pg_namespace WHERE nspname = 'kpi_report';
