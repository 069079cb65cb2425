--@ schema

-- A result's ledger, packed (issue 15, src/ledger_pack.c) ----------------------
--
-- kpi.official_result.ledger holds the explanation ledger of each result in
-- one compact value; kpi.ledger (rls.sql) is the view that unpacks it into one
-- row per cause.  The text form is the kpi.ledger_entry[] text (COPY,
-- pg_dump), the binary form the packed bytes.

CREATE TYPE kpi.ledger_pack;

CREATE FUNCTION kpi.ledger_pack_in(cstring)
RETURNS kpi.ledger_pack
AS '$libdir/kpi_eval', 'ledger_pack_in'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION kpi.ledger_pack_out(kpi.ledger_pack)
RETURNS cstring
AS '$libdir/kpi_eval', 'ledger_pack_out'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION kpi.ledger_pack_recv(internal)
RETURNS kpi.ledger_pack
AS '$libdir/kpi_eval', 'ledger_pack_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION kpi.ledger_pack_send(kpi.ledger_pack)
RETURNS bytea
AS '$libdir/kpi_eval', 'ledger_pack_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE kpi.ledger_pack (
	INPUT = kpi.ledger_pack_in,
	OUTPUT = kpi.ledger_pack_out,
	RECEIVE = kpi.ledger_pack_recv,
	SEND = kpi.ledger_pack_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);

COMMENT ON TYPE kpi.ledger_pack IS
'an official result''s explanation ledger (its kpi.ledger_entry rows, in order) packed into one compact value (src/ledger_pack.c, format version 1): known rule ids, source tables, detail keys and strings as codes, numerics as scale and unscaled value, a task line''s repeated detail once; round-trips exactly; text form: the kpi.ledger_entry[] text; kpi.ledger_pack makes one, kpi.ledger_unpack reads it';
COMMENT ON FUNCTION kpi.ledger_pack_in(cstring) IS 'input function of kpi.ledger_pack: reads the text of a kpi.ledger_entry[] and packs it (STABLE, as the array and record input functions it calls)';
COMMENT ON FUNCTION kpi.ledger_pack_out(kpi.ledger_pack) IS 'output function of kpi.ledger_pack: the text of its kpi.ledger_entry[]';
COMMENT ON FUNCTION kpi.ledger_pack_recv(internal) IS 'binary input function of kpi.ledger_pack: the packed bytes, checked (22P03 when malformed)';
COMMENT ON FUNCTION kpi.ledger_pack_send(kpi.ledger_pack) IS 'binary output function of kpi.ledger_pack: the packed bytes';
--@ functions

CREATE OR REPLACE FUNCTION kpi.ledger_pack(entries kpi.ledger_entry[])
RETURNS kpi.ledger_pack
AS '$libdir/kpi_eval', 'ledger_pack_make'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.ledger_pack(kpi.ledger_entry[]) IS
'packs a ledger (the entries kpi.score_period returns, in order: line_no is the position) into a kpi.ledger_pack; a NULL entry (22004) and an array that is not one-dimensional from subscript 1 (2202E) are refused; kpi.evaluate stores it in kpi.official_result.ledger';

CREATE OR REPLACE FUNCTION kpi.ledger_unpack(pack kpi.ledger_pack)
RETURNS SETOF kpi.ledger_entry
AS '$libdir/kpi_eval', 'ledger_pack_unpack'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;

COMMENT ON FUNCTION kpi.ledger_unpack(kpi.ledger_pack) IS
'the entries of a packed ledger, in order (WITH ORDINALITY gives line_no), exactly as they were packed (the same text: numeric scales, jsonb); a malformed value is refused (XX001); the view kpi.ledger reads the results'' ledgers with it';

CREATE OR REPLACE FUNCTION kpi.ledger_entries(pack kpi.ledger_pack)
RETURNS kpi.ledger_entry[]
AS '$libdir/kpi_eval', 'ledger_pack_entries'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.ledger_entries(kpi.ledger_pack) IS
'the entries of a packed ledger as one kpi.ledger_entry[] (the inverse of kpi.ledger_pack)';

CREATE OR REPLACE FUNCTION kpi.ledger_seal_text(pack kpi.ledger_pack, unit_id bigint)
RETURNS text
AS '$libdir/kpi_eval', 'ledger_seal_text'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.ledger_seal_text(kpi.ledger_pack, bigint) IS
'the text of a packed ledger that the seal of its run hashes (kpi.run_results_digest, version 1): one line per entry, jsonb_build_array(line_no, unit_id, rule_id, source_table, source_id, points_lost, detail) as text, joined by newlines, written in C (src/ledger_seal.c) byte for byte as that SQL prints it; an empty ledger gives the empty string, a NULL pack NULL; a malformed value is refused (XX001)';

CREATE OR REPLACE FUNCTION kpi.ledger_pack_length(pack kpi.ledger_pack)
RETURNS integer
AS '$libdir/kpi_eval', 'ledger_pack_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.ledger_pack_length(kpi.ledger_pack) IS
'the number of entries of a packed ledger, read from its header without unpacking it';
