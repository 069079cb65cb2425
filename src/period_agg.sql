--@ functions

------------------------------------------------------------------------------
-- Aggregates over period scores (CS10, CS12)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.annual_score_trans(bigint[], numeric)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'annual_score_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.annual_score_trans(bigint[], numeric, jsonb)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'annual_score_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.annual_score_inv(bigint[], numeric)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'annual_score_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.annual_score_inv(bigint[], numeric, jsonb)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'annual_score_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.annual_score_combine(bigint[], bigint[])
RETURNS bigint[] AS 'MODULE_PATHNAME', 'annual_score_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.annual_score_final(bigint[])
RETURNS numeric AS 'MODULE_PATHNAME', 'annual_score_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.unit_result_trans(bigint[], numeric)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'unit_result_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.unit_result_trans(bigint[], numeric, jsonb)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'unit_result_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.unit_result_combine(bigint[], bigint[])
RETURNS bigint[] AS 'MODULE_PATHNAME', 'unit_result_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.unit_result_final(bigint[])
RETURNS numeric AS 'MODULE_PATHNAME', 'unit_result_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.annual_score_trans(bigint[], numeric) IS 'kpi.annual_score transition function';
COMMENT ON FUNCTION kpi.annual_score_trans(bigint[], numeric, jsonb) IS 'kpi.annual_score transition function (with rules)';
COMMENT ON FUNCTION kpi.annual_score_inv(bigint[], numeric) IS 'kpi.annual_score moving-aggregate inverse transition function';
COMMENT ON FUNCTION kpi.annual_score_inv(bigint[], numeric, jsonb) IS 'kpi.annual_score moving-aggregate inverse transition function (with rules)';
COMMENT ON FUNCTION kpi.annual_score_combine(bigint[], bigint[]) IS 'kpi.annual_score combine function';
COMMENT ON FUNCTION kpi.annual_score_final(bigint[]) IS 'kpi.annual_score final function';
COMMENT ON FUNCTION kpi.unit_result_trans(bigint[], numeric) IS 'kpi.unit_result transition function';
COMMENT ON FUNCTION kpi.unit_result_trans(bigint[], numeric, jsonb) IS 'kpi.unit_result transition function (with rules)';
COMMENT ON FUNCTION kpi.unit_result_combine(bigint[], bigint[]) IS 'kpi.unit_result combine function';
COMMENT ON FUNCTION kpi.unit_result_final(bigint[]) IS 'kpi.unit_result final function';

CREATE OR REPLACE AGGREGATE kpi.annual_score(period_score numeric) (
	SFUNC = kpi.annual_score_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.annual_score_final,
	COMBINEFUNC = kpi.annual_score_combine,
	INITCOND = '{0,0,-1,-1}',
	MSFUNC = kpi.annual_score_trans,
	MINVFUNC = kpi.annual_score_inv,
	MSTYPE = bigint[],
	MFINALFUNC = kpi.annual_score_final,
	MINITCOND = '{0,0,-1,-1}',
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE kpi.annual_score(period_score numeric, rules jsonb) (
	SFUNC = kpi.annual_score_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.annual_score_final,
	COMBINEFUNC = kpi.annual_score_combine,
	INITCOND = '{0,0,-1,-1}',
	MSFUNC = kpi.annual_score_trans,
	MINVFUNC = kpi.annual_score_inv,
	MSTYPE = bigint[],
	MFINALFUNC = kpi.annual_score_final,
	MINITCOND = '{0,0,-1,-1}',
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE kpi.unit_result(subordinate_score numeric) (
	SFUNC = kpi.unit_result_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.unit_result_final,
	COMBINEFUNC = kpi.unit_result_combine,
	INITCOND = '{0,0,-1,-1,-1,-1,-1}',
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE kpi.unit_result(subordinate_score numeric, rules jsonb) (
	SFUNC = kpi.unit_result_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.unit_result_final,
	COMBINEFUNC = kpi.unit_result_combine,
	INITCOND = '{0,0,-1,-1,-1,-1,-1}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE kpi.annual_score(numeric) IS
'annual score: mean of the scored period totals as published (rounded), rounded to 2 decimals; NULL periods are left out (CS12, N0.4)';
COMMENT ON AGGREGATE kpi.annual_score(numeric, jsonb) IS
'annual score under the given rules (rounding scale)';
COMMENT ON AGGREGATE kpi.unit_result(numeric) IS
'leader criterion d: 100 when every scored subordinate reached 50, else 50; 100 when nobody was scored (CS10)';
COMMENT ON AGGREGATE kpi.unit_result(numeric, jsonb) IS
'leader criterion d under the given rules (threshold_complete, leader_full, leader_reduced)';

