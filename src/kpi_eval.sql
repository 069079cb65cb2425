--@ schema

COMMENT ON SCHEMA kpi IS 'kpi_eval: Vietnam public-sector KPI scores and rating tiers (Decree 335/2025/ND-CP)';
