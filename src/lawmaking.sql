--@ schema

------------------------------------------------------------------------------
-- Law-making KPI pilot (rules.md LM1-LM4): the kpi.lawmaking summary
------------------------------------------------------------------------------

CREATE TYPE kpi.lawmaking;

CREATE FUNCTION kpi.lawmaking_in(cstring) RETURNS kpi.lawmaking
AS 'MODULE_PATHNAME', 'lawmaking_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lawmaking_out(kpi.lawmaking) RETURNS cstring
AS 'MODULE_PATHNAME', 'lawmaking_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lawmaking_recv(internal) RETURNS kpi.lawmaking
AS 'MODULE_PATHNAME', 'lawmaking_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lawmaking_send(kpi.lawmaking) RETURNS bytea
AS 'MODULE_PATHNAME', 'lawmaking_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE kpi.lawmaking (
	INPUT = kpi.lawmaking_in,
	OUTPUT = kpi.lawmaking_out,
	RECEIVE = kpi.lawmaking_recv,
	SEND = kpi.lawmaking_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE kpi.lawmaking IS
'mergeable summary of law-making documents for one period: documents due, on time, issued late, backlog, issued, passed first time, obstacles detected and resolved, initiatives (LM2-LM3)';
--@ functions
COMMENT ON FUNCTION kpi.lawmaking_in(cstring) IS 'kpi.lawmaking text input';
COMMENT ON FUNCTION kpi.lawmaking_out(kpi.lawmaking) IS 'kpi.lawmaking text output (exact, round-trips)';
COMMENT ON FUNCTION kpi.lawmaking_recv(internal) IS 'kpi.lawmaking binary input';
COMMENT ON FUNCTION kpi.lawmaking_send(kpi.lawmaking) IS 'kpi.lawmaking binary output';

-- not STRICT: a NULL issued date means "never issued"
CREATE OR REPLACE FUNCTION kpi.lawmaking_agg_trans(kpi.lawmaking, date, date, integer, integer, integer,
                                        integer, date, date)
RETURNS kpi.lawmaking AS 'MODULE_PATHNAME', 'lawmaking_agg_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lawmaking_combine(kpi.lawmaking, kpi.lawmaking)
RETURNS kpi.lawmaking AS 'MODULE_PATHNAME', 'lawmaking_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.lawmaking_agg_trans(kpi.lawmaking, date, date, integer, integer, integer, integer, date, date) IS
'kpi.lawmaking_agg transition function';
COMMENT ON FUNCTION kpi.lawmaking_combine(kpi.lawmaking, kpi.lawmaking) IS
'kpi.lawmaking_agg combine function and kpi.rollup(kpi.lawmaking) transition function: exact merge of summaries of the same period';

CREATE OR REPLACE AGGREGATE kpi.lawmaking_agg(due date, issued date, times_returned integer,
                                   obstacles_detected integer, obstacles_resolved integer,
                                   initiatives integer, period_start date, period_end date) (
	SFUNC = kpi.lawmaking_agg_trans,
	STYPE = kpi.lawmaking,
	COMBINEFUNC = kpi.lawmaking_combine,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE kpi.rollup(kpi.lawmaking) (
	SFUNC = kpi.lawmaking_combine,
	STYPE = kpi.lawmaking,
	COMBINEFUNC = kpi.lawmaking_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE kpi.lawmaking_agg(date, date, integer, integer, integer, integer, date, date) IS
'summarise documents (due, issued, times returned, obstacles detected and resolved, initiatives) for the period [period_start, period_end] (LM1-LM3); pass every document, the backlog includes those due before the period; a row without a due date reports obstacles and initiatives dated by issued';
COMMENT ON AGGREGATE kpi.rollup(kpi.lawmaking) IS
'merge law-making summaries of the same period over different documents (units into a ministry), exactly';

CREATE OR REPLACE FUNCTION kpi.lm_append(a kpi.lawmaking, b kpi.lawmaking)
RETURNS kpi.lawmaking AS 'MODULE_PATHNAME', 'lm_append' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_components(s kpi.lawmaking,
	OUT period_start date, OUT period_end date, OUT due_in_period bigint, OUT on_time bigint,
	OUT late_issued bigint, OUT backlog bigint, OUT issued_in_period bigint,
	OUT first_pass bigint, OUT obstacles_detected bigint, OUT obstacles_resolved bigint,
	OUT initiatives bigint)
AS 'MODULE_PATHNAME', 'lm_components' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_on_time_rate(s kpi.lawmaking)
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_on_time_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_first_pass_rate(s kpi.lawmaking)
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_first_pass_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_obstacle_rate(s kpi.lawmaking)
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_obstacle_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_backlog(s kpi.lawmaking)
RETURNS bigint AS 'MODULE_PATHNAME', 'lm_backlog' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_late_issued(s kpi.lawmaking)
RETURNS bigint AS 'MODULE_PATHNAME', 'lm_late_issued' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_initiatives(s kpi.lawmaking)
RETURNS bigint AS 'MODULE_PATHNAME', 'lm_initiatives' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_score(s kpi.lawmaking, impact numeric, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_points(s kpi.lawmaking, impact numeric, rules jsonb DEFAULT '{}',
	OUT progress_points numeric, OUT quality_points numeric, OUT obstacles_points numeric,
	OUT initiatives_points numeric, OUT impact_points numeric, OUT score numeric)
AS 'MODULE_PATHNAME', 'lm_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.period_bounds(kind text, start date, OUT period_start date, OUT period_end date)
AS 'MODULE_PATHNAME', 'period_bounds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Plain SQL so the planner inlines it into FILTER clauses; so no SET
-- search_path, and its operators are schema-qualified (doc/security.md).
CREATE OR REPLACE FUNCTION kpi.lm_is_backlog(due date, issued date, period_end date)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN due OPERATOR(pg_catalog.<=) period_end AND (issued IS NULL OR issued OPERATOR(pg_catalog.>) period_end);

COMMENT ON FUNCTION kpi.lm_append(kpi.lawmaking, kpi.lawmaking) IS
'the summary of two consecutive periods over the same documents (two quarters into a half-year): counts add up, the backlog is the later period''s';
COMMENT ON FUNCTION kpi.lm_components(kpi.lawmaking) IS
'every field of a law-making summary: period bounds and counts';
COMMENT ON FUNCTION kpi.lm_on_time_rate(kpi.lawmaking) IS
'percent of the documents due in the period that were issued by their due date (LM3); NULL when none was due';
COMMENT ON FUNCTION kpi.lm_first_pass_rate(kpi.lawmaking) IS
'percent of the documents issued in the period that were never returned for quality (LM3); NULL when none was issued';
COMMENT ON FUNCTION kpi.lm_obstacle_rate(kpi.lawmaking) IS
'percent of the obstacles detected that were resolved (LM3); NULL when none was detected';
COMMENT ON FUNCTION kpi.lm_backlog(kpi.lawmaking) IS
'backlog (no dong): documents due on or before the period end and not issued by then, including those due before the period (LM3)';
COMMENT ON FUNCTION kpi.lm_late_issued(kpi.lawmaking) IS
'documents issued in the period after their due date (LM3)';
COMMENT ON FUNCTION kpi.lm_initiatives(kpi.lawmaking) IS
'institutional initiatives of the period (LM3)';
COMMENT ON FUNCTION kpi.lm_score(kpi.lawmaking, numeric, jsonb) IS
'law-making score (LM4): progress 40 x on-time share, quality 30 x first-pass share, obstacles 15 x resolved share, initiatives 5 x min(1, n / target), plus the impact mark 0..10; a share with nothing to measure earns full points; rounded once; NULL when nothing was due, issued or detected';
COMMENT ON FUNCTION kpi.lm_points(kpi.lawmaking, numeric, jsonb) IS
'the points of each law-making component, unrounded, and the rounded score (LM4)';
COMMENT ON FUNCTION kpi.period_bounds(text, date) IS
'first and last day of the ''month'', ''quarter'', ''half'' or ''year'' starting on start (LM1); start on day 1 to 28; periods may cross a year end';
COMMENT ON FUNCTION kpi.lm_is_backlog(date, date, date) IS
'true when a document due on due and issued on issued (NULL: never) is outstanding at period_end (LM3), for listing the backlog';
