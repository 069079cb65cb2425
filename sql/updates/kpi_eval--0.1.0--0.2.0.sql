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
-- === evaluation pipeline: result rows and quota decisions in one call (issue 15) ===
CREATE TYPE kpi.score_detail AS (
	quantity_pct numeric,
	quality_pct numeric,
	progress_pct numeric,
	task_pct numeric,
	task_points numeric,
	d numeric,
	dd numeric,
	e numeric,
	score numeric,
	tier kpi.tier
);
COMMENT ON TYPE kpi.score_detail IS
'everything a result row shows of one official''s period, from kpi.score_detail or kpi.score_organisation: a, b, c, KQ, T (CS5-CS9), for a leader d, dd, e (CS10), the score (CS11) and its tier (CS13)';
CREATE TYPE kpi.quota_decision AS (
	tier kpi.tier,
	tie boolean,
	candidates bigint,
	good bigint,
	kept bigint,
	rate numeric
);
COMMENT ON TYPE kpi.quota_decision IS
'one row''s excellent-quota decision (CS15) from kpi.quota_decision: the tier after the quota and the tie flag, and its group''s candidates for excellent, members rated good, the number kept and the rate applied';
-- === end evaluation pipeline (issue 15) ===

--@ post
