--@ schema

------------------------------------------------------------------------------
-- The kpi.tally summary type (rules.md CS4-CS8)
------------------------------------------------------------------------------

CREATE TYPE kpi.tally;

CREATE FUNCTION kpi.tally_in(cstring) RETURNS kpi.tally
AS 'MODULE_PATHNAME', 'tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.tally_out(kpi.tally) RETURNS cstring
AS 'MODULE_PATHNAME', 'tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.tally_recv(internal) RETURNS kpi.tally
AS 'MODULE_PATHNAME', 'tally_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.tally_send(kpi.tally) RETURNS bytea
AS 'MODULE_PATHNAME', 'tally_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE kpi.tally (
	INPUT = kpi.tally_in,
	OUTPUT = kpi.tally_out,
	RECEIVE = kpi.tally_recv,
	SEND = kpi.tally_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE kpi.tally IS
'mergeable exact summary of task lines: assigned weight and quantity, quality and progress credit (CS4-CS8)';
--@ functions
COMMENT ON FUNCTION kpi.tally_in(cstring) IS 'kpi.tally text input';
COMMENT ON FUNCTION kpi.tally_out(kpi.tally) IS 'kpi.tally text output (exact, round-trips)';
COMMENT ON FUNCTION kpi.tally_recv(internal) IS 'kpi.tally binary input';
COMMENT ON FUNCTION kpi.tally_send(kpi.tally) IS 'kpi.tally binary output';

CREATE OR REPLACE FUNCTION kpi.tally_components(t kpi.tally,
	OUT lines bigint, OUT assigned numeric, OUT quantity_credit numeric,
	OUT quality_credit numeric, OUT progress_credit numeric,
	OUT progress_credit_strict numeric, OUT quality_errors bigint,
	OUT late_events bigint, OUT quality_deduction numeric,
	OUT progress_deduction numeric)
AS 'MODULE_PATHNAME', 'tally_components'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.tally_components(kpi.tally) IS
'every field of a tally as exact numbers: line count, converted weights and credits, event counts, deduction rates';
