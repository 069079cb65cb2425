-- kpi_eval_reference 0.1.0 -> 0.2.0: DDL and row migrations only (see src/sqlgen.sh);
-- function bodies are re-applied from the sources.
--@ schema

-- === reporting views for BI tools (issue 16) ===
CREATE SCHEMA kpi_report;
COMMENT ON SCHEMA kpi_report IS
'reporting views of kpi_eval_reference for BI tools: built-in scalar types only, comments in English and Vietnamese / các khung nhìn báo cáo cho công cụ BI: chỉ kiểu dữ liệu có sẵn, chú thích tiếng Anh và tiếng Việt';
-- === end of reporting views for BI tools (issue 16) ===
--@ post

-- === reporting views for BI tools (issue 16) ===
GRANT USAGE ON SCHEMA kpi_report TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA kpi_report TO PUBLIC;
-- === end of reporting views for BI tools (issue 16) ===
