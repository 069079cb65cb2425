--@ functions

------------------------------------------------------------------------------
-- Deduction criteria in general form (rules.md GN1-GN3)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.deduction_points(max_points numeric, per_event numeric, events bigint)
RETURNS numeric AS 'MODULE_PATHNAME', 'deduction_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- not STRICT: a NULL answered time means "not answered"
CREATE OR REPLACE FUNCTION kpi.wait_events(started timestamptz, answered timestamptz, allowed interval,
                                as_of timestamptz DEFAULT NULL)
RETURNS integer AS 'MODULE_PATHNAME', 'wait_events' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.deduction_points(numeric, numeric, bigint) IS
'points of a deduction criterion: max(0, max_points - per_event x events), exact (GN1)';
COMMENT ON FUNCTION kpi.wait_events(timestamptz, timestamptz, interval, timestamptz) IS
'1 when answered - started > allowed, or when not answered and as_of - started > allowed, else 0 (GN2); elapsed calendar time, a day is 24 hours; NULL when started or allowed is NULL';

CREATE OR REPLACE FUNCTION kpi.group_points_trans(bigint[], numeric, numeric)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'group_points_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.group_points_combine(bigint[], bigint[])
RETURNS bigint[] AS 'MODULE_PATHNAME', 'group_points_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.group_points_final(bigint[])
RETURNS numeric AS 'MODULE_PATHNAME', 'group_points_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.group_points_trans(bigint[], numeric, numeric) IS 'kpi.group_points transition function';
COMMENT ON FUNCTION kpi.group_points_combine(bigint[], bigint[]) IS 'kpi.group_points combine function';
COMMENT ON FUNCTION kpi.group_points_final(bigint[]) IS 'kpi.group_points final function';

CREATE OR REPLACE AGGREGATE kpi.group_points(points numeric, group_max numeric) (
	SFUNC = kpi.group_points_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.group_points_final,
	COMBINEFUNC = kpi.group_points_combine,
	INITCOND = '{0,0,-1}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE kpi.group_points(numeric, numeric) IS
'points of a group of criteria: least(sum(points), group_max), exact (GN3); group_max must be the same on every row; NULL over no rows';
