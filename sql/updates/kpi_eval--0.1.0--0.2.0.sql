-- kpi_eval 0.1.0 -> 0.2.0: DDL and row migrations only (see src/sqlgen.sh);
-- function bodies are re-applied from the sources.
--@ schema

-- === pay: exact apportionment (issue 14) ===
CREATE TYPE kpi.apportioned AS (share numeric, capped boolean, remainder_step boolean);
COMMENT ON TYPE kpi.apportioned IS
'a row''s result of kpi.apportion_capped: its share, whether its cap bound, whether it took one of the leftover steps (PAY3)';
-- === end pay ===

--@ post
