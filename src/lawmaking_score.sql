--@ functions

------------------------------------------------------------------------------
-- Law-making by role group (rules.md LM5-LM7): each role group's template,
-- the roll-up of a ministry across its roles, the PAR INDEX fraction it feeds
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.lm_role_score(s kpi.lawmaking, role text, impact numeric, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_role_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_role_points(s kpi.lawmaking, role text, impact numeric, rules jsonb DEFAULT '{}',
	OUT progress_points numeric, OUT quality_points numeric, OUT obstacles_points numeric,
	OUT initiatives_points numeric, OUT impact_points numeric, OUT score numeric)
AS 'MODULE_PATHNAME', 'lm_role_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- the state is a numeric[] (see lawmaking_score.c); the transition is not
-- STRICT: the state starts NULL, and rows with a NULL argument are skipped
CREATE OR REPLACE FUNCTION kpi.lm_ministry_score_trans(numeric[], text, kpi.lawmaking, numeric, bigint, jsonb)
RETURNS numeric[] AS 'MODULE_PATHNAME', 'lm_ministry_score_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_ministry_score_combine(numeric[], numeric[])
RETURNS numeric[] AS 'MODULE_PATHNAME', 'lm_ministry_score_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.lm_ministry_score_final(numeric[])
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_ministry_score_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE AGGREGATE kpi.lm_ministry_score(role text, s kpi.lawmaking, impact numeric, documents bigint,
                                                  rules jsonb) (
	SFUNC = kpi.lm_ministry_score_trans,
	STYPE = numeric[],
	FINALFUNC = kpi.lm_ministry_score_final,
	COMBINEFUNC = kpi.lm_ministry_score_combine,
	PARALLEL = SAFE
);

-- not STRICT: the index or the law-making score may be missing
CREATE OR REPLACE FUNCTION kpi.lm_par_fraction(par numeric, lawmaking numeric, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_par_fraction' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.lm_role_score(kpi.lawmaking, text, numeric, jsonb) IS
'law-making score of a ministry in one role group (LM5: drafting, appraisal, joint_appraisal, government_office, poll, finalising), as kpi.lm_score with the group''s template rules lawmaking_<role>_template (null: lawmaking_template); rounded once; NULL when nothing was due, issued or detected';
COMMENT ON FUNCTION kpi.lm_role_points(kpi.lawmaking, text, numeric, jsonb) IS
'the points of each component of a role group''s law-making score, unrounded, and the rounded score (LM5)';
COMMENT ON FUNCTION kpi.lm_ministry_score_trans(numeric[], text, kpi.lawmaking, numeric, bigint, jsonb) IS
'kpi.lm_ministry_score transition function; the state is {roles seen, period start, period end, rounding scale, rules hash, weight, weighted sum numerator, denominator}';
COMMENT ON FUNCTION kpi.lm_ministry_score_combine(numeric[], numeric[]) IS
'kpi.lm_ministry_score combine function: merges the states of different roles of one ministry, exactly';
COMMENT ON FUNCTION kpi.lm_ministry_score_final(numeric[]) IS
'kpi.lm_ministry_score final function: the weighted mean of the role scores, rounded once';
COMMENT ON AGGREGATE kpi.lm_ministry_score(text, kpi.lawmaking, numeric, bigint, jsonb) IS
'a ministry''s law-making score across its role groups (LM6): the mean of the roles'' exact scores (kpi.lm_role_score) weighted by rules lawmaking_role_weights x documents (lawmaking_rollup "documents", the default) or by the weights alone ("roles"), rounded once; one row per role group and the same period and rules in every row; roles not scored or of weight 0 are left out; NULL when none is left';
COMMENT ON FUNCTION kpi.lm_par_fraction(numeric, numeric, jsonb) IS
'the fraction 0..1 of a ministry''s PAR INDEX component (LM7): (1 - w) x par + w x lawmaking / 100, w = rules lawmaking_par_weight (default 0: the index as published); without a law-making score the index as it is; with w = 1 the index is not needed; otherwise NULL when the index is missing';
