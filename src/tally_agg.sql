--@ functions

------------------------------------------------------------------------------
-- Aggregates building and merging tallies
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.tally_agg_trans(kpi.tally, numeric, numeric, numeric, numeric, integer, integer)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.tally_agg_trans(kpi.tally, numeric, numeric, numeric, numeric, integer, integer, jsonb)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.tally_agg_inv(kpi.tally, numeric, numeric, numeric, numeric, integer, integer)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.tally_agg_inv(kpi.tally, numeric, numeric, numeric, numeric, integer, integer, jsonb)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.tally_agg_unit_trans(kpi.tally, numeric, boolean, boolean, integer, integer)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_unit_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.tally_agg_unit_trans(kpi.tally, numeric, boolean, boolean, integer, integer, jsonb)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_unit_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.tally_agg_unit_inv(kpi.tally, numeric, boolean, boolean, integer, integer)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_unit_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.tally_agg_unit_inv(kpi.tally, numeric, boolean, boolean, integer, integer, jsonb)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_unit_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- STRICT is right for the combine functions: the state is a real type, and
-- the executor copies the non-null side when one side is null.
CREATE OR REPLACE FUNCTION kpi.tally_final(kpi.tally)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.tally_combine(kpi.tally, kpi.tally)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.tally_uncombine(kpi.tally, kpi.tally)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_uncombine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.tally_agg_trans(kpi.tally, numeric, numeric, numeric, numeric, integer, integer) IS
'kpi.tally_agg transition function';
COMMENT ON FUNCTION kpi.tally_agg_trans(kpi.tally, numeric, numeric, numeric, numeric, integer, integer, jsonb) IS
'kpi.tally_agg transition function (with rules)';
COMMENT ON FUNCTION kpi.tally_agg_inv(kpi.tally, numeric, numeric, numeric, numeric, integer, integer) IS
'kpi.tally_agg moving-aggregate inverse transition function';
COMMENT ON FUNCTION kpi.tally_agg_inv(kpi.tally, numeric, numeric, numeric, numeric, integer, integer, jsonb) IS
'kpi.tally_agg moving-aggregate inverse transition function (with rules)';
COMMENT ON FUNCTION kpi.tally_agg_unit_trans(kpi.tally, numeric, boolean, boolean, integer, integer) IS
'kpi.tally_agg transition function, single-unit form';
COMMENT ON FUNCTION kpi.tally_agg_unit_trans(kpi.tally, numeric, boolean, boolean, integer, integer, jsonb) IS
'kpi.tally_agg transition function, single-unit form (with rules)';
COMMENT ON FUNCTION kpi.tally_agg_unit_inv(kpi.tally, numeric, boolean, boolean, integer, integer) IS
'kpi.tally_agg moving-aggregate inverse transition function, single-unit form';
COMMENT ON FUNCTION kpi.tally_agg_unit_inv(kpi.tally, numeric, boolean, boolean, integer, integer, jsonb) IS
'kpi.tally_agg moving-aggregate inverse transition function, single-unit form (with rules)';
COMMENT ON FUNCTION kpi.tally_final(kpi.tally) IS
'kpi.tally_agg and kpi.rollup final function: a tally of no lines is NULL';
COMMENT ON FUNCTION kpi.tally_combine(kpi.tally, kpi.tally) IS
'aggregate combine function of every tally aggregate, and kpi.rollup transition function: exact merge';
COMMENT ON FUNCTION kpi.tally_uncombine(kpi.tally, kpi.tally) IS
'kpi.rollup moving-aggregate inverse transition function: exact removal';

CREATE OR REPLACE AGGREGATE kpi.tally_agg(coef numeric, assigned_qty numeric, completed_qty numeric,
                               passed_qty numeric, quality_errors integer, late_events integer) (
	SFUNC = kpi.tally_agg_trans,
	STYPE = kpi.tally,
	FINALFUNC = kpi.tally_final,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_trans,
	MINVFUNC = kpi.tally_agg_inv,
	MSTYPE = kpi.tally,
	MFINALFUNC = kpi.tally_final,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE kpi.tally_agg(coef numeric, assigned_qty numeric, completed_qty numeric,
                               passed_qty numeric, quality_errors integer, late_events integer,
                               rules jsonb) (
	SFUNC = kpi.tally_agg_trans,
	STYPE = kpi.tally,
	FINALFUNC = kpi.tally_final,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_trans,
	MINVFUNC = kpi.tally_agg_inv,
	MSTYPE = kpi.tally,
	MFINALFUNC = kpi.tally_final,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE kpi.tally_agg(coef numeric, done boolean, passed boolean,
                               quality_errors integer, late_events integer) (
	SFUNC = kpi.tally_agg_unit_trans,
	STYPE = kpi.tally,
	FINALFUNC = kpi.tally_final,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_unit_trans,
	MINVFUNC = kpi.tally_agg_unit_inv,
	MSTYPE = kpi.tally,
	MFINALFUNC = kpi.tally_final,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE kpi.tally_agg(coef numeric, done boolean, passed boolean,
                               quality_errors integer, late_events integer, rules jsonb) (
	SFUNC = kpi.tally_agg_unit_trans,
	STYPE = kpi.tally,
	FINALFUNC = kpi.tally_final,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_unit_trans,
	MINVFUNC = kpi.tally_agg_unit_inv,
	MSTYPE = kpi.tally,
	MFINALFUNC = kpi.tally_final,
	PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE kpi.rollup(kpi.tally) (
	SFUNC = kpi.tally_combine,
	STYPE = kpi.tally,
	FINALFUNC = kpi.tally_final,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_combine,
	MINVFUNC = kpi.tally_uncombine,
	MSTYPE = kpi.tally,
	MFINALFUNC = kpi.tally_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE kpi.tally_agg(numeric, numeric, numeric, numeric, integer, integer) IS
'summarise task lines (coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) into a kpi.tally (CS4-CS7)';
COMMENT ON AGGREGATE kpi.tally_agg(numeric, numeric, numeric, numeric, integer, integer, jsonb) IS
'summarise task lines into a kpi.tally with the deduction rates of the given rules';
COMMENT ON AGGREGATE kpi.tally_agg(numeric, boolean, boolean, integer, integer) IS
'summarise single-unit task lines (coef, done, passed, quality_errors, late_events) into a kpi.tally';
COMMENT ON AGGREGATE kpi.tally_agg(numeric, boolean, boolean, integer, integer, jsonb) IS
'summarise single-unit task lines into a kpi.tally with the deduction rates of the given rules';
COMMENT ON AGGREGATE kpi.rollup(kpi.tally) IS
'merge tallies exactly (month to quarter to year, person to unit): equal to summarising all their lines at once';

------------------------------------------------------------------------------
-- Helpers
------------------------------------------------------------------------------

-- Plain SQL so the planner inlines it into the query over the task table; so
-- no SET search_path, and its operator is schema-qualified (doc/security.md).
CREATE OR REPLACE FUNCTION kpi.late_events(due date, done date)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN due IS NULL THEN NULL WHEN done OPERATOR(pg_catalog.>) due THEN 1 ELSE 0 END;

COMMENT ON FUNCTION kpi.late_events(date, date) IS
'1 when done after due, else 0; a NULL done date (not done) is not late; NULL when due is NULL';
