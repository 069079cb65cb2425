-- kpi_eval 0.1.0 -> 0.2.0: DDL and row migrations only (see src/sqlgen.sh);
-- function bodies are re-applied from the sources.
--@ schema

-- === pay: exact apportionment (issue 14) ===
CREATE TYPE kpi.apportioned AS (share numeric, capped boolean, remainder_step boolean);
COMMENT ON TYPE kpi.apportioned IS
'a row''s result of kpi.apportion_capped: its share, whether its cap bound, whether it took one of the leftover steps (PAY3)';
-- === end pay ===
-- === 2026 cycle (issue 13) ===
COMMENT ON TYPE kpi.discipline_form IS
'disciplinary forms for civil servants, lightest first: reprimand, warning, salary-grade demotion, demotion, removal from post, forced dismissal; salary-grade demotion and demotion were removed by Decree 172/2025/ND-CP and are refused for decisions dated on or after the rule value discipline_reform_date (kpi.discipline_form_valid)';
-- === end 2026 cycle (issue 13) ===

--@ post
