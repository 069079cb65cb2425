--@ schema

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
--@ functions

------------------------------------------------------------------------------
-- Year-end rating: quota, disqualifiers, screening (CS14-CS16)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.quota_decision(tier kpi.tier, score numeric, task_points numeric,
                                   general_points numeric, rate numeric DEFAULT NULL,
                                   rules jsonb DEFAULT '{}')
RETURNS kpi.quota_decision AS 'MODULE_PATHNAME', 'quota_decision' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.quota_tier(tier kpi.tier, score numeric, task_points numeric,
                               general_points numeric, rate numeric DEFAULT NULL,
                               rules jsonb DEFAULT '{}')
RETURNS kpi.tier AS 'MODULE_PATHNAME', 'quota_tier' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.quota_tie(tier kpi.tier, score numeric, task_points numeric,
                              general_points numeric, rate numeric DEFAULT NULL,
                              rules jsonb DEFAULT '{}')
RETURNS boolean AS 'MODULE_PATHNAME', 'quota_tie' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.quota_kept(candidates bigint, good bigint, rate numeric DEFAULT NULL,
                               rules jsonb DEFAULT '{}')
RETURNS bigint AS 'MODULE_PATHNAME', 'quota_kept' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.quota_decision(kpi.tier, numeric, numeric, numeric, numeric, jsonb) IS
'window function: the excellent-quota decision of the row within the window partition (one unit and task group, CS15) as a kpi.quota_decision: the tier after the quota (demoted members become tot) and the tie flag, NULL for a row with a NULL tier or score, and the partition''s candidates, members rated good, number kept and rate applied (NULL rate: the rules'' quota_rate); NULL rules give NULL';
COMMENT ON FUNCTION kpi.quota_tier(kpi.tier, numeric, numeric, numeric, numeric, jsonb) IS
'window function: the tier after the excellent quota within the window partition (one unit and task group, CS15); demoted members become tot; rows with a NULL tier or score are ignored and get NULL, and NULL rules give NULL; rate NULL means the rules'' quota_rate (0.20)';
COMMENT ON FUNCTION kpi.quota_tie(kpi.tier, numeric, numeric, numeric, numeric, jsonb) IS
'window function: true for candidates tied on score, task points and general points across the quota cut, who need a manual decision (CS15)';
COMMENT ON FUNCTION kpi.quota_kept(bigint, bigint, numeric, jsonb) IS
'the number of excellent ratings a group keeps: min(N, floor(q (M + N) / (1 + q))), or floor(q (M + N)) under "quota_reading": "pooled" (CS15)';
