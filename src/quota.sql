--@ functions

------------------------------------------------------------------------------
-- Year-end rating: quota, disqualifiers, screening (CS14-CS16)
------------------------------------------------------------------------------

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

COMMENT ON FUNCTION kpi.quota_tier(kpi.tier, numeric, numeric, numeric, numeric, jsonb) IS
'window function: the tier after the excellent quota within the window partition (one unit and task group, CS15); demoted members become tot; rows with a NULL tier or score are ignored and get NULL, and NULL rules give NULL; rate NULL means the rules'' quota_rate (0.20)';
COMMENT ON FUNCTION kpi.quota_tie(kpi.tier, numeric, numeric, numeric, numeric, jsonb) IS
'window function: true for candidates tied on score, task points and general points across the quota cut, who need a manual decision (CS15)';
COMMENT ON FUNCTION kpi.quota_kept(bigint, bigint, numeric, jsonb) IS
'the number of excellent ratings a group keeps: min(N, floor(q (M + N) / (1 + q))), or floor(q (M + N)) under "quota_reading": "pooled" (CS15)';
