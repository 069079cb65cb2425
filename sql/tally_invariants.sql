--
-- kpi.tally refuses every summary that no set of task lines can produce
-- (issue 11 point 4), on every path a value enters by: text input, binary
-- input, and every function that reads a stored value (accessors, combine,
-- rollup, the final function, a direct call of a transition function),
-- including version 1 values that 0.1.0 accepted and stored.
--
\i sql/include/err.sql
-- raw(b): stored bytes as a kpi.tally datum, unchecked, as 0.1.0 could
-- have written them (byteasend returns its varlena argument unchanged)
CREATE FUNCTION pg_temp.raw(bytea) RETURNS kpi.tally LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
-- le(v, n): the non-negative integer v as n little-endian bytes
CREATE FUNCTION pg_temp.le(v numeric, n int) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	r bytea := '';
BEGIN
	FOR i IN 1..n LOOP
		r := r || set_byte('\x00'::bytea, 0, mod(v, 256)::int);
		v := div(v, 256);
	END LOOP;
	RETURN r;
END $$;

-- Each case: the fields of a tally, sums in SQL units.  "ok" cases are the
-- boundaries that must stay accepted.
CREATE TABLE cases (n int PRIMARY KEY, name text, lines numeric, errors numeric, late numeric,
	assigned numeric, quantity numeric, quality numeric, progress numeric, strict numeric,
	qd numeric, pd numeric);
INSERT INTO cases VALUES
  -- the review's examples: 0.1.0 accepted both (the first scores 76.67
  -- where its one line gives 100)
  (1, 'no late events, progress below quantity', 1, 0, 0, 1, 1, 1, 0.3, 0.3, 0.25, 0.25),
  (2, 'zero progress deduction, progress below quantity', 1, 0, 2, 1, 1, 1, 0.5, 0, 0.25, 0),
  (3, 'progress deduction 1, strict progress below progress', 1, 0, 1, 1, 1, 1, 0.5, 0, 0.25, 1),
  (4, 'strict loss above 1 / rate times the progress loss', 1, 0, 1, 1, 1, 1, 0.9, 0, 0.25, 0.25),
  (5, 'progress loss beyond what one late event deducts', 1, 0, 1, 1000000000000, 1000000000000,
      0, 0, 0, 0.25, 0.25),
  (10, 'progress loss beyond what one late event deducts at rate 0.0001', 1, 0, 1, 1000000000, 1000000000,
      0, 0, 0, 0.25, 0.0001),
  (6, 'more failed reviews than lines can count', 1, 2147483648, 0, 1, 1, 1, 1, 1, 0.25, 0.25),
  (7, 'more late events than lines can count', 2, 0, 4294967295, 1, 1, 1, 0, 0, 0.25, 0.25),
  (8, 'assigned beyond one line''s largest product', 1, 0, 0, 1000000000000000000000000, 0, 0, 0, 0, 0.25, 0.25),
  (9, 'quantity beyond two lines'' largest products', 2, 0, 0, 1, 1999999999999999600000000.00000003,
      0, 1999999999999999600000000.00000003, 1999999999999999600000000.00000003, 0.25, 0.25),
  -- boundaries that task lines reach: accepted
  (20, 'ok: one line at the largest product', 1, 0, 0, 999999999999999800000000.00000001,
       999999999999999800000000.00000001, 0, 999999999999999800000000.00000001,
       999999999999999800000000.00000001, 0.25, 0.25),
  (21, 'ok: event counts at lines times the int4 maximum', 2, 4294967294, 4294967294, 1, 1, 0, 0, 0, 0.25, 0.25),
  (22, 'ok: strict loss exactly 1 / rate times the progress loss', 1, 0, 1, 1, 1, 1, 0.75, 0, 0.25, 0.25),
  (23, 'ok: rate 1, strict equal to progress', 1, 0, 1, 1, 1, 1, 0, 0, 0.25, 1),
  (24, 'ok: zero rate, progress equal to quantity, strict lower', 1, 0, 1, 1, 1, 1, 1, 0, 0.25, 0);

CREATE VIEW forms AS
SELECT n, name,
       format('(lines=%s,assigned=%s,quantity=%s,quality=%s,progress=%s,progress_strict=%s,quality_errors=%s,late_events=%s,quality_deduction=%s,progress_deduction=%s)',
              lines, assigned, quantity, quality, progress, strict, errors, late, qd, pd) AS txt,
       -- the version 1 stored layout: version 1, flags, rates, reserved,
       -- padding, three int8 counts, five int128 sums in units of 10^-8
       '\x0100'::bytea || pg_temp.le(qd * 10000, 2) || pg_temp.le(pd * 10000, 2) || '\x000000000000'::bytea
         || pg_temp.le(lines, 8) || pg_temp.le(errors, 8) || pg_temp.le(late, 8)
         || pg_temp.le(assigned * 100000000, 16) || pg_temp.le(quantity * 100000000, 16)
         || pg_temp.le(quality * 100000000, 16) || pg_temp.le(progress * 100000000, 16)
         || pg_temp.le(strict * 100000000, 16) AS stored,
       -- the same in the compact layout (version 2), where the values fit
       CASE WHEN greatest(lines, errors, late) < 2^31
                 AND greatest(assigned, quantity) * 100000000 < 2^63 THEN
       '\x0200'::bytea || pg_temp.le(qd * 10000, 2) || pg_temp.le(pd * 10000, 2) || '\x0000'::bytea
         || pg_temp.le(lines, 4) || pg_temp.le(errors, 4) || pg_temp.le(late, 4)
         || pg_temp.le(assigned * 100000000, 8) || pg_temp.le(quantity * 100000000, 8)
         || pg_temp.le(quality * 100000000, 8) || pg_temp.le(progress * 100000000, 8)
         || pg_temp.le(strict * 100000000, 8) END AS compact,
       -- a valid tally of the same rates to merge with
       format('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=%s,progress_deduction=%s)',
              qd, pd) AS good
FROM cases;

-- recv(b): load b as the bytes of one binary COPY field into a kpi.tally
-- column (tally_recv); 'ok' or the SQLSTATE
CREATE TABLE recv_t (t kpi.tally);
CREATE FUNCTION pg_temp.recv(b bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	f text := '/tmp/kpi_regress_tally_invariants_' || pg_backend_pid() || '.bin';
	code text;
BEGIN
	EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', b, f);
	BEGIN
		EXECUTE format('COPY recv_t FROM %L (FORMAT binary)', f);
		code := 'ok';
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE;
	END;
	EXECUTE format('COPY (SELECT 1 WHERE false) TO PROGRAM %L', 'rm -f ' || f);
	RETURN code;
END $$;

\x on
SELECT n, name, t.code AS text_in, t.detail,
       -- binary input of what the stored value sends (0.1.0's wire form)
       pg_temp.recv(kpi.tally_send(pg_temp.raw(stored))) AS binary_in,
       -- a stored value read back: output works (dumps never fail), every
       -- reader refuses it
       (SELECT code FROM pg_temp.err(format('SELECT pg_temp.raw(%L)::text', stored))) AS text_out,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.period_score(20, pg_temp.raw(%L))', stored))) AS period_score,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.tally_components(pg_temp.raw(%L))', stored))) AS components,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.tally_combine(%L::kpi.tally, pg_temp.raw(%L))', good, stored))) AS combine,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.rollup(t) FROM (VALUES (%L::kpi.tally), (pg_temp.raw(%L))) v(t)', good, stored))) AS rollup,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.rollup(t) FROM (VALUES (pg_temp.raw(%L)), (%L::kpi.tally)) v(t)', stored, good))) AS rollup_state,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.rollup(pg_temp.raw(%L))', stored))) AS rollup_one_row,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.tally_agg_unit_trans(pg_temp.raw(%L), 1, true, true, 0, 0)', stored))) AS direct_trans
FROM forms, LATERAL pg_temp.err(format('SELECT %L::kpi.tally', txt)) t
ORDER BY n;
-- the same cases stored in the compact layout (where they fit): the
-- readers and kpi.rollup's in-place merge of two compact values refuse them
SELECT n, name,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.period_score(20, pg_temp.raw(%L))', compact))) AS period_score,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.rollup(t) FROM (VALUES (%L::kpi.tally), (pg_temp.raw(%L))) v(t)', good, compact))) AS rollup,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.rollup(t) FROM (VALUES (pg_temp.raw(%L)), (%L::kpi.tally)) v(t)', compact, good))) AS rollup_state,
       (SELECT code FROM pg_temp.err(format('SELECT kpi.rollup(pg_temp.raw(%L))', compact))) AS rollup_one_row
FROM forms WHERE compact IS NOT NULL
ORDER BY n;
-- and a valid compact value built byte for byte reads as its text form
SELECT pg_temp.raw(compact)::text = txt AS same, kpi.rollup(pg_temp.raw(compact))::text = txt AS rollup_same
FROM forms WHERE n = 22;
\x off

-- the plain error paths, as a client sees them
SELECT '(lines=1,assigned=1,quantity=1,quality=1,progress=0.3,progress_strict=0.3,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally;
SELECT kpi.period_score(20, pg_temp.raw(stored)) FROM forms WHERE n = 1;
SELECT 1 AS server_still_answers;

DROP VIEW forms;
DROP TABLE cases, recv_t;
