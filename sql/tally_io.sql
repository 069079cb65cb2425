--
-- kpi.tally input and output: text and binary round trips, malformed text
-- (22P02), counts out of range (22003), hostile binary (22P03).
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

--
-- Text input: the canonical form
--
SELECT '(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally;
-- whitespace around the parentheses and after "=" and ","; zeros and a leading
-- dot are read exactly and written in the shortest exact form
SELECT ' ( lines= 0001, assigned= 1.00000000 ,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=.25,progress_deduction=0.2500 ) '::kpi.tally;
-- fractional sums carry 8 decimals (products of two 4-decimal inputs)
SELECT '(lines=2,assigned=3.00000001,quantity=2.5,quality=0.00000001,progress=2.49999999,progress_strict=2.49999999,quality_errors=7,late_events=3,quality_deduction=0.0001,progress_deduction=1)'::kpi.tally;
-- an empty tally (no lines): valid, and scores as "not scored"
SELECT '(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0,progress_deduction=0)'::kpi.tally;
-- boundaries: counts at the bigint maximum, sums at the int128 maximum
-- (2^127 - 1 units of 10^-8), deduction rates at 1: these should pass
SELECT '(lines=9223372036854775807,assigned=1701411834604692317316873037158.84105727,quantity=1701411834604692317316873037158.84105727,quality=1701411834604692317316873037158.84105727,progress=1701411834604692317316873037158.84105727,progress_strict=1701411834604692317316873037158.84105727,quality_errors=9223372036854775807,late_events=9223372036854775807,quality_deduction=1,progress_deduction=1)'::kpi.tally;
SELECT * FROM kpi.tally_components('(lines=9223372036854775807,assigned=1701411834604692317316873037158.84105727,quantity=1701411834604692317316873037158.84105727,quality=1701411834604692317316873037158.84105727,progress=1701411834604692317316873037158.84105727,progress_strict=1701411834604692317316873037158.84105727,quality_errors=9223372036854775807,late_events=9223372036854775807,quality_deduction=1,progress_deduction=1)');
SELECT NULL::kpi.tally IS NULL AS null_in;

--
-- Text round trip: out -> in -> out is the identity
--
CREATE TABLE io_t (id int PRIMARY KEY, t kpi.tally);
-- tallies of task lines with 4-decimal inputs, so sums with up to 8 decimals
INSERT INTO io_t
SELECT g, kpi.tally_agg(c, a, d, p, e, l)
FROM (SELECT g, i,
             (i % 7) * 0.0001 + (i % 3) * 1.5 + (g % 5) * 0.0013 AS c,
             (i % 4) + 0.0007 * (g % 11) AS a,
             (i % 5) + 0.0003 * (i % 9) AS d,
             least((i % 5) + 0.0003 * (i % 9), (i % 6) * 0.8333) AS p,
             (i * g) % 6 AS e,
             (i + g) % 5 AS l
      FROM generate_series(1, 200) g, generate_series(1, g % 23 + 1) i) lines
GROUP BY g;
INSERT INTO io_t VALUES
 (1001, '(lines=1,assigned=0.00000001,quantity=0.00000001,quality=0.00000001,progress=0,progress_strict=0,quality_errors=0,late_events=4,quality_deduction=0.25,progress_deduction=0.25)'),
 (1002, '(lines=9223372036854775807,assigned=1701411834604692317316873037158.84105727,quantity=1701411834604692317316873037158.84105727,quality=1701411834604692317316873037158.84105727,progress=1701411834604692317316873037158.84105727,progress_strict=1701411834604692317316873037158.84105727,quality_errors=9223372036854775807,late_events=9223372036854775807,quality_deduction=1,progress_deduction=1)'),
 (1003, '(lines=3,assigned=99999999999999999999999.99999999,quantity=2999999999999999400000000.00000003,quality=12345678901234567890.12345678,progress=2999999999999999400000000.00000003,progress_strict=2999999999999999400000000.00000003,quality_errors=0,late_events=0,quality_deduction=0.9999,progress_deduction=0)'),
 (1004, '(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
 (1005, NULL);
SELECT count(*) AS tallies,
       count(*) FILTER (WHERE t::text::kpi.tally::text = t::text) AS text_round_trips,
       count(*) FILTER (WHERE kpi.tally_send(t::text::kpi.tally) = kpi.tally_send(t)) AS same_bits,
       count(*) FILTER (WHERE t::text ~ '\.\d{5,8}[,)]') AS with_5_to_8_decimals
FROM io_t WHERE t IS NOT NULL;
SELECT id, t FROM io_t WHERE id IN (1, 2, 1001, 1003) ORDER BY id;

--
-- Malformed text: 22P02
--
\x on
SELECT input, e.*
FROM (VALUES
  (''),
  ('lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25'),
  ('((lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  -- wrong field order
  ('(lines=1,quantity=1,assigned=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  -- missing field
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25)'),
  -- extra field, extra text, missing ")"
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25,extra=1)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25) x'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25'),
  -- field names are exact: no space before "=", no other case
  ('(lines =1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(LINES=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  -- negative values
  ('(lines=-1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=-1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=-0,quality_deduction=0.25,progress_deduction=0.25)'),
  -- too many decimals: 9 on a sum, 5 on a rate, any on a count
  ('(lines=1,assigned=1.000000001,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25001,progress_deduction=0.25)'),
  ('(lines=1.0,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  -- not a plain decimal
  ('(lines=,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1.,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1e2,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=NaN,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=+1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)')
) v(input), pg_temp.err(format('SELECT %L::kpi.tally', input)) e;

--
-- Well-formed text that no task lines could produce: 22P02
--
SELECT input, e.*
FROM (VALUES
  -- quality credit above quantity credit
  ('(lines=1,assigned=1,quantity=1,quality=1.00000001,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  -- progress credit above quantity credit
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=2,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  -- strict progress credit above progress credit
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=0.75,progress_strict=0.75000001,quality_errors=0,late_events=1,quality_deduction=0.25,progress_deduction=0.25)'),
  -- no lines but nonzero sums or counts
  ('(lines=0,assigned=1,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=0,assigned=0,quantity=0.00000001,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=1,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=1,quality_deduction=0.25,progress_deduction=0.25)'),
  -- a deduction rate above 1 (1 itself is valid, see above)
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=1.0001,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=2)')
) v(input), pg_temp.err(format('SELECT %L::kpi.tally', input)) e;

--
-- Counts beyond bigint: 22003 (maximum + 1 should fail)
--
SELECT input, e.*
FROM (VALUES
  ('(lines=9223372036854775808,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=9223372036854775808,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=99999999999999999999999999,quality_deduction=0.25,progress_deduction=0.25)')
) v(input), pg_temp.err(format('SELECT %L::kpi.tally', input)) e;
\x off

-- the plain error path, as a client sees it
SELECT '(lines=1,assigned=1,quantity=1,quality=2,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally;
SELECT '(lines=1)'::kpi.tally;
SELECT 1 AS server_still_answers;

--
-- Binary round trip through COPY (FORMAT binary)
--
-- file names unique to this backend, so concurrent runs do not collide
SELECT '/tmp/kpi_regress_tally_io_' || pg_backend_pid() || '_rt.bin' AS rtfile,
       '/tmp/kpi_regress_tally_io_' || pg_backend_pid() || '_bad.bin' AS badfile \gset
CREATE TABLE io_back (LIKE io_t);
COPY io_t TO :'rtfile' (FORMAT binary);
COPY io_back FROM :'rtfile' (FORMAT binary);
SELECT count(*) AS rows_back,
       count(*) FILTER (WHERE a.t IS NULL AND b.t IS NULL) AS nulls_back,
       count(*) FILTER (WHERE a.t::text = b.t::text) AS same_text,
       count(*) FILTER (WHERE kpi.tally_send(a.t) = kpi.tally_send(b.t)) AS same_bits
FROM io_t a JOIN io_back b USING (id);
-- the wire form: version 1, flags 0, rates 2500 and 2500, three int8 counts,
-- five int128 sums in units of 10^-8, all big-endian: 110 bytes
SELECT kpi.tally_send(t), length(kpi.tally_send(t))
FROM (SELECT kpi.tally_agg(1, true, true, 0, 1) AS t) s;

--
-- Hostile binary input: 22P03
--
-- recv(b): write b as the raw bytes of one binary COPY field, load that file
-- into a kpi.tally column, and report the tally or the error
CREATE TABLE io_recv (t kpi.tally);
CREATE FUNCTION pg_temp.recv(b bytea, OUT result text, OUT code text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
DECLARE
	f text := '/tmp/kpi_regress_tally_io_' || pg_backend_pid() || '_recv.bin';
BEGIN
	EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', b, f);
	TRUNCATE io_recv;
	EXECUTE format('COPY io_recv FROM %L (FORMAT binary)', f);
	SELECT t::text INTO result FROM io_recv;
	code := 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL;
END $$;

-- a valid tally as the base: 2 lines, one failed review, one late event
SELECT kpi.tally_agg(c, d, p, e, l) AS base FROM (VALUES (1, true, true, 1, 0), (2, true, true, 0, 1)) v(c, d, p, e, l) \gset
SELECT :'base'::kpi.tally;
-- the base and crafted but valid forms load
SELECT r.* FROM pg_temp.recv(kpi.tally_send(:'base')) r;
SELECT r.* FROM pg_temp.recv(overlay(kpi.tally_send(:'base') PLACING '\x2710' FROM 3)) r;
SELECT r.* FROM pg_temp.recv(kpi.tally_send('(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)')) r;

\x on
SELECT name, r.code, r.message, r.detail, r.result
FROM (SELECT kpi.tally_send(:'base') AS b) base,
LATERAL (VALUES
  (1, 'empty', ''::bytea),
  (2, 'one byte short', substr(b, 1, 109)),
  (3, 'one byte extra', b || '\x00'::bytea),
  (4, 'version 0', set_byte(b, 0, 0)),
  (5, 'version 2', set_byte(b, 0, 2)),
  (6, 'flags bit 0 set', set_byte(b, 1, 1)),
  (7, 'flags bit 7 set', set_byte(b, 1, 128)),
  (8, 'quality deduction 1.0001', overlay(b PLACING '\x2711' FROM 3)),
  (9, 'progress deduction 6.5535', overlay(b PLACING '\xffff' FROM 5)),
  (10, 'negative lines', set_byte(b, 6, 255)),
  (11, 'negative late events', set_byte(b, 22, 128)),
  (12, 'negative assigned', set_byte(b, 30, 128)),
  (13, 'quality above quantity', overlay(b PLACING '\x00000000000000000000000ba43b7400' FROM 63)),
  (14, 'progress above quantity', overlay(b PLACING '\x00000000000000000000000ba43b7400' FROM 79)),
  (15, 'strict progress above progress', overlay(b PLACING '\x00000000000000000000000000000000000000000000000000000000112a8800' FROM 79)),
  (16, 'no lines but sums', overlay(b PLACING '\x0000000000000000' FROM 7)),
  (17, 'both rates 1, strict progress below progress', overlay(b PLACING '\x27102710' FROM 3))
) v(n, name, bytes), pg_temp.recv(bytes) r
ORDER BY n;
\x off

-- the plain error path, as a client sees it
SELECT set_byte(kpi.tally_send(:'base'), 0, 9) AS bad \gset
COPY (SELECT :'bad'::bytea) TO :'badfile' (FORMAT binary);
COPY io_recv FROM :'badfile' (FORMAT binary);
SELECT 1 AS server_still_answers;

-- remove the files written above
DO $$
BEGIN
	EXECUTE format('COPY (SELECT 1 WHERE false) TO PROGRAM %L',
				   'rm -f /tmp/kpi_regress_tally_io_' || pg_backend_pid() || '_*.bin');
END $$;

DROP TABLE io_t, io_back, io_recv;

--
-- Sums beyond the 128-bit range: 22003 "out of range", not a syntax error
--
-- 2^127 - 1 units of 10^-8 is 1701411834604692317316873037158.84105727 (valid
-- above); one unit more, in each sum field, and far more
\x on
SELECT input, e.*
FROM (VALUES
  ('(lines=1,assigned=1701411834604692317316873037158.84105728,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1701411834604692317316873037158.84105728,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1701411834604692317316873037158.84105728,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=0,progress=1701411834604692317316873037159,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=0,progress=1,progress_strict=99999999999999999999999999999999999999999999,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned= 1701411834604692317316873037158.84105728 ,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)')
) v(input), pg_temp.err(format('SELECT %L::kpi.tally', input)) e;

--
-- A count with a decimal point, or a fraction: 22P02, "must be a non-negative integer"
--
SELECT input, e.*
FROM (VALUES
  ('(lines=1.0,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=1.5,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=0.75,progress_strict=0,quality_errors=0,late_events=1.,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=0.75,progress_strict=0,quality_errors=0,late_events=.5,quality_deduction=0.25,progress_deduction=0.25)'),
  -- a sum or a rate with too many decimals keeps its own message
  ('(lines=1,assigned=1.000000000,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'),
  ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25000)')
) v(input), pg_temp.err(format('SELECT %L::kpi.tally', input)) e;
\x off
-- the plain error paths, as a client sees them
SELECT '(lines=1,assigned=1701411834604692317316873037158.84105728,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally;
SELECT '(lines=2.0,assigned=1,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally;
SELECT 1 AS server_still_answers;
