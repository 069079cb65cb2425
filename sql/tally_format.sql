--
-- kpi.tally storage format version 2 (issue 18): the compact 64-byte layout,
-- exact promotion to the wide layout, canonical values, and every way a
-- version 1 value (0.1.0's only layout) can be met after an upgrade.
--
-- The version 1 values below were captured from the 0.1.0 code (commit
-- 451bfa5) and are pinned here byte for byte: their text form, their binary
-- (send) form and their raw stored bytes (the varlena payload, native
-- little-endian), with what every accessor returned for them under 0.1.0.
--
\i sql/include/err.sql
-- raw(b): the stored bytes b as a kpi.tally datum, unchecked (what a table
-- written by 0.1.0 holds); bytes(t): the stored bytes of a datum.  Both are
-- byteasend, which returns a copy of its varlena argument unchanged.
CREATE FUNCTION pg_temp.raw(bytea) RETURNS kpi.tally LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
CREATE FUNCTION pg_temp.bytes(kpi.tally) RETURNS bytea LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';

CREATE TABLE v1_pinned (g int PRIMARY KEY, txt text, wire bytea, stored bytea);
INSERT INTO v1_pinned VALUES
  (1, '(lines=4,assigned=11.469,quantity=8.5,quality=5.75,progress=7.625,progress_strict=5,quality_errors=3,late_events=4,quality_deduction=0.25,progress_deduction=0.25)',
   '\x010009c409c4000000000000000400000000000000030000000000000004000000000000000000000000445c4e2000000000000000000000000032a9f8800000000000000000000000002245cdc00000000000000000000000002d72d3a00000000000000000000000001dcd6500',
   '\x0100c409c409000000000000040000000000000003000000000000000400000000000000204e5c4400000000000000000000000080f8a932000000000000000000000000c0cd4522000000000000000000000000a0d3722d0000000000000000000000000065cd1d000000000000000000000000'),
  (2, '(lines=2,assigned=2,quantity=2,quality=2,progress=2,progress_strict=2,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)',
   '\x010009c409c40000000000000002000000000000000000000000000000000000000000000000000000000bebc2000000000000000000000000000bebc2000000000000000000000000000bebc2000000000000000000000000000bebc2000000000000000000000000000bebc200',
   '\x0100c409c40900000000000002000000000000000000000000000000000000000000000000c2eb0b00000000000000000000000000c2eb0b00000000000000000000000000c2eb0b00000000000000000000000000c2eb0b00000000000000000000000000c2eb0b000000000000000000000000'),
  (3, '(lines=2,assigned=1999999999999999600000000.00000002,quantity=1999999999999999600000000.00000002,quality=1999999999999749600000000.00002502,progress=1999999999999749600000000.00002502,progress_strict=1999999999998999600000000.00010002,quality_errors=1,late_events=1,quality_deduction=0.25,progress_deduction=0.25)',
   '\x010009c409c4000000000000000200000000000000010000000000000001000009dc5ada82b70acbc33840fc0002000009dc5ada82b70acbc33840fc0002000009dc5ada82b5afd9ebace83809c6000009dc5ada82b5afd9ebace83809c6000009dc5ada82b19f04650addec2712',
   '\x0100c409c4090000000000000200000000000000010000000000000001000000000000000200fc4038c3cb0ab782da5adc0900000200fc4038c3cb0ab782da5adc090000c60938e8acebd9afb582da5adc090000c60938e8acebd9afb582da5adc0900001227ecdd0a65049fb182da5adc090000'),
  (4, '(lines=4,assigned=11.469,quantity=8.5,quality=5,progress=8.15,progress_strict=5,quality_errors=3,late_events=4,quality_deduction=0.5,progress_deduction=0.1)',
   '\x0100138803e8000000000000000400000000000000030000000000000004000000000000000000000000445c4e2000000000000000000000000032a9f8800000000000000000000000001dcd65000000000000000000000000003093e9c00000000000000000000000001dcd6500',
   '\x01008813e803000000000000040000000000000003000000000000000400000000000000204e5c4400000000000000000000000080f8a9320000000000000000000000000065cd1d000000000000000000000000c0e993300000000000000000000000000065cd1d000000000000000000000000'),
  (5, '(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)',
   '\x010009c409c40000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
   '\x0100c409c4090000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000');
-- what 0.1.0 returned for them: components, then period_score(26.5, t),
-- task_pct, quantity_pct, quality_pct, progress_pct, task_points
CREATE TABLE v1_results (g int PRIMARY KEY, components text, scores text);
INSERT INTO v1_results VALUES
  (1, '(4,11.469,8.5,5.75,7.625,5,3,4,0.25,0.25)', '(71.00,63.5771790624000930,74.1128258784549656,50.1351469177783591,66.4835643909669544,44.5040253436800651)'),
  (2, '(2,2,2,2,2,2,0,0,0.25,0.25)', '(96.50,100.0000000000000000,100.0000000000000000,100.0000000000000000,100.0000000000000000,70.0000000000000000)'),
  (3, '(2,1999999999999999600000000.00000002,1999999999999999600000000.00000002,1999999999999749600000000.00002502,1999999999999749600000000.00002502,1999999999998999600000000.00010002,1,1,0.25,0.25)', '(96.50,99.9999999999916667,100.0000000000000000,99.9999999999875000,99.9999999999875000,69.9999999999941667)'),
  (4, '(4,11.469,8.5,5,8.15,5,3,4,0.5,0.1)', '(70.55,62.9232423634725492,74.1128258784549656,43.5957799285029209,71.0611212834597611,44.0462696544307844)'),
  (5, '(0,0,0,0,0,0,0,0,0.25,0.25)', '(,,,,,)');

CREATE FUNCTION pg_temp.scores(t kpi.tally) RETURNS text LANGUAGE sql AS $$
	SELECT ROW(kpi.period_score(26.5, t), kpi.task_pct(t), kpi.quantity_pct(t), kpi.quality_pct(t),
	           kpi.progress_pct(t), kpi.task_points(t))::text $$;

--
-- 1. Stored version 1 values: read in place, never rewritten by reading
--
CREATE TABLE v1_stored (g int PRIMARY KEY, t kpi.tally);
INSERT INTO v1_stored SELECT g, pg_temp.raw(stored) FROM v1_pinned;
SELECT s.g, pg_column_size(s.t) AS size, pg_temp.bytes(s.t) = p.stored AS stored_as_0_1_0,
       s.t::text = p.txt AS same_text, kpi.tally_send(s.t) = p.wire AS same_wire,
       (kpi.tally_components(s.t))::text = r.components AS same_components,
       pg_temp.scores(s.t) = r.scores AS same_scores
FROM v1_stored s JOIN v1_pinned p USING (g) JOIN v1_results r USING (g) ORDER BY g;

--
-- 2. Text: the form is the same in both versions; input stores the compact
-- layout whenever the values fit (group 3 has sums beyond int64: wide)
--
SELECT p.g, pg_column_size(p.txt::kpi.tally) AS size,
       pg_temp.bytes(p.txt::kpi.tally) = p.stored AS same_bytes_as_0_1_0,
       p.txt::kpi.tally::text = p.txt AS round_trip,
       kpi.tally_send(p.txt::kpi.tally) = p.wire AS same_wire,
       pg_temp.scores(p.txt::kpi.tally) = r.scores AS same_scores
FROM v1_pinned p JOIN v1_results r USING (g) ORDER BY g;
-- the compact layout, byte for byte: 4-byte header (64 << 2), version 2,
-- flags 0, rates 2500 and 2500, reserved 0, int32 lines, errors, late
-- events, then five int64 sums in units of 10^-8 (native byte order)
SELECT pg_temp.bytes(txt::kpi.tally) FROM v1_pinned WHERE g = 1;

--
-- 3. Binary: the wire form is 0.1.0's (version 1, 110 bytes) in both
-- directions, so a shard still running 0.1.0 and one running 0.2.0 read
-- each other's binary COPY; received values are stored compact
--
CREATE TABLE v1_recv (g int, t kpi.tally);
DO $$
DECLARE
	f text := '/tmp/kpi_regress_tally_format_' || pg_backend_pid() || '_';
	r record;
BEGIN
	-- the exact bytes a 0.1.0 node sends, one binary COPY field per row
	FOR r IN SELECT g, wire FROM v1_pinned ORDER BY g LOOP
		EXECUTE format('COPY (SELECT %s, %L::bytea) TO %L (FORMAT binary)', r.g, r.wire, f || r.g);
		EXECUTE format('COPY v1_recv FROM %L (FORMAT binary)', f || r.g);
	END LOOP;
	-- and a binary COPY of the stored version 1 values, out and back in
	EXECUTE format('COPY (SELECT g + 10, t FROM v1_stored) TO %L (FORMAT binary)', f || 'table');
	EXECUTE format('COPY v1_recv FROM %L (FORMAT binary)', f || 'table');
	EXECUTE format('COPY (SELECT 1 WHERE false) TO PROGRAM %L',
				   'rm -f /tmp/kpi_regress_tally_format_' || pg_backend_pid() || '_*');
END $$;
SELECT v.g, pg_column_size(v.t) AS size, v.t::text = p.txt AS same_text,
       kpi.tally_send(v.t) = p.wire AS same_wire, pg_temp.scores(v.t) = r.scores AS same_scores
FROM v1_recv v JOIN v1_pinned p ON p.g = v.g % 10 JOIN v1_results r ON r.g = p.g ORDER BY v.g;

--
-- 4. Combined with version 2 values: combine, rollup (serial, parallel,
-- moving window), direct calls; every result is canonical
--
CREATE TABLE mixed (k int, g int, t kpi.tally);
INSERT INTO mixed SELECT i, g, CASE WHEN i % 2 = 0 THEN pg_temp.raw(stored) ELSE txt::kpi.tally END
FROM v1_pinned, generate_series(1, 40) i WHERE g IN (1, 2, 5);
INSERT INTO mixed SELECT i, 4, CASE WHEN i % 3 = 0 THEN pg_temp.raw(stored) ELSE txt::kpi.tally END
FROM v1_pinned, generate_series(1, 30) i WHERE g = 4;
SELECT count(*) FILTER (WHERE pg_column_size(t) = 120) AS wide_rows,
       count(*) FILTER (WHERE pg_column_size(t) = 64) AS compact_rows FROM mixed;
CREATE TEMP TABLE serial_rollup AS
SELECT g IN (1, 2, 5) AS same_rates, kpi.rollup(t) AS t FROM mixed GROUP BY 1;
SELECT same_rates, t, pg_column_size(t) AS size FROM serial_rollup ORDER BY 1;
-- the same as the rollup of text-input (version 2) values only
SELECT bool_and(s.t::text = x.t::text) AS same_as_version_2_only
FROM serial_rollup s JOIN (
	SELECT g IN (1, 2, 5) AS same_rates, kpi.rollup(p.txt::kpi.tally) AS t
	FROM mixed m JOIN v1_pinned p USING (g) GROUP BY 1) x USING (same_rates);
-- parallel: partial rollups combined
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
SELECT bool_and(s.t::text = x.t::text AND pg_temp.bytes(s.t) = pg_temp.bytes(x.t)) AS parallel_same_bytes
FROM serial_rollup s JOIN (SELECT g IN (1, 2, 5) AS same_rates, kpi.rollup(t) AS t FROM mixed GROUP BY 1) x
USING (same_rates);
RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
-- a moving window over stored version 1 and 2 values (inverse: uncombine)
SELECT k, w, pg_column_size(w) AS size
FROM (SELECT k, kpi.rollup(t) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS w
      FROM mixed WHERE g = 1) s
WHERE k <= 4 ORDER BY k;
SELECT count(*) AS frames,
       count(*) FILTER (WHERE w::text = kpi.tally_combine(a, b)::text) AS equal_to_pairwise_merge
FROM (SELECT k, t AS b, lag(t) OVER (ORDER BY k) AS a,
             kpi.rollup(t) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS w
      FROM mixed WHERE g = 2) s WHERE a IS NOT NULL;
-- direct calls with a stored version 1 argument
SELECT kpi.tally_combine(pg_temp.raw(a.stored), b.txt::kpi.tally) AS v1_plus_v2,
       pg_column_size(kpi.tally_combine(pg_temp.raw(a.stored), b.txt::kpi.tally)) AS size
FROM v1_pinned a, v1_pinned b WHERE a.g = 1 AND b.g = 2;
SELECT kpi.tally_agg_unit_trans(pg_temp.raw(stored), 1, true, true, 0, 0) AS plus_one_line,
       pg_column_size(kpi.tally_agg_unit_trans(pg_temp.raw(stored), 1, true, true, 0, 0)) AS size
FROM v1_pinned WHERE g = 2;
-- a single stored version 1 row: the final function returns it canonical
SELECT pg_column_size(kpi.rollup(t)) AS size, kpi.rollup(t)::text = (SELECT txt FROM v1_pinned WHERE g = 1) AS same
FROM v1_stored WHERE g = 1;

--
-- 5. Promotion: sums beyond int64 move the state to the wide layout,
-- exactly; the result is the same in every plan and compact when it fits
--
CREATE TABLE big (k int, coef numeric, qty numeric);
-- coef * qty = 10^10 per line, 10^18 units of 10^-8: 9 lines fit int64
-- sums, the 10th leaves them
INSERT INTO big SELECT i, 100000, 100000 FROM generate_series(1, 40) i;
SELECT kpi.tally_agg(coef, qty, qty, qty, 0, 0) AS t, pg_column_size(kpi.tally_agg(coef, qty, qty, qty, 0, 0)) AS size
FROM big;
SELECT n, pg_column_size(kpi.tally_agg(coef, qty, qty, qty, 0, 0)) AS size
FROM big, (VALUES (9), (10)) v(n) WHERE k <= n GROUP BY n ORDER BY n;
SELECT (kpi.tally_components(kpi.tally_agg(coef, qty, qty, qty, 0, 0))).assigned = sum(coef * qty) AS exact
FROM big;
-- a moving window: promoted frames, and frames that shrink back are compact
SELECT k, t, pg_column_size(t) AS size
FROM (SELECT k, kpi.tally_agg(coef, CASE WHEN k BETWEEN 5 AND 14 THEN qty ELSE 1 END, 1, 1, 0, 0)
             OVER (ORDER BY k ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) AS t FROM big) s
WHERE k IN (4, 14, 24) ORDER BY k;
-- serial and parallel give the same bytes
CREATE TEMP TABLE big_serial AS
SELECT k <= 9 AS m, kpi.tally_agg(coef, qty, qty, qty, 0, 0) AS t FROM big GROUP BY 1;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
SELECT m AS first_nine, pg_temp.bytes(s.t) = pg_temp.bytes(p.t) AS parallel_same_bytes,
       pg_column_size(p.t) AS size
FROM big_serial s JOIN (SELECT k <= 9 AS m, kpi.tally_agg(coef, qty, qty, qty, 0, 0) AS t FROM big GROUP BY 1) p USING (m)
ORDER BY m;
RESET parallel_setup_cost; RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather;
-- merging two compact tallies whose sum leaves int64
SELECT pg_column_size(kpi.tally_combine(t, t)) AS size, kpi.tally_combine(t, t)
FROM (SELECT kpi.tally_agg(coef, qty, qty, qty, 0, 0) AS t FROM big WHERE k <= 9) s;

--
-- 6. Rewriting stored values is optional: reading never needs it.  A text
-- round trip stores the canonical (compact) layout.
--
UPDATE v1_stored SET t = t::text::kpi.tally;
SELECT s.g, pg_column_size(s.t) AS size, pg_temp.scores(s.t) = r.scores AS same_scores
FROM v1_stored s JOIN v1_results r USING (g) ORDER BY g;

DROP TABLE v1_pinned, v1_results, v1_stored, v1_recv, mixed, big;

--
-- 7. The text of sums on either side of 2^64 units (1e-8 each): printed from
-- 64 bits or from 128, the same digits, the fraction's trailing zeros dropped.
--
SELECT x, format('(lines=1,assigned=%s,quantity=%s,quality=%s,progress=%s,progress_strict=%s,quality_errors=0,late_events=0,quality_deduction=0.0001,progress_deduction=1)',
                 x, x, x, x, x)::kpi.tally::text = format('(lines=1,assigned=%s,quantity=%s,quality=%s,progress=%s,progress_strict=%s,quality_errors=0,late_events=0,quality_deduction=0.0001,progress_deduction=1)',
                 rtrim(rtrim(x, '0'), '.'), rtrim(rtrim(x, '0'), '.'), rtrim(rtrim(x, '0'), '.'), rtrim(rtrim(x, '0'), '.'), rtrim(rtrim(x, '0'), '.')) AS canonical
FROM (VALUES ('184467440737.09551615'), ('184467440737.09551616'), ('184467440737.09551620'), ('0.00000001'),
             ('0.10000000'), ('100.00'), ('0.0'), ('1844674407370955161.5')) v(x);
