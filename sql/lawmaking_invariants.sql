--
-- Every invariant of a kpi.lawmaking summary (issue 11 point 4), on every
-- input path: text input (22P02), binary receive (22P03), kpi.lm_append
-- (22023); combine, rollup and kpi.lm_score check their arguments too
-- (22023), but SQL can only hand them values that passed text or binary
-- input, and sums of valid summaries are valid (the invariants are linear).  The invariants (src/lawmaking.c CheckState),
-- from the definitions of LM3 for a document due on d and issued on i
-- (NULL: never) in the period [S, E]:
--   on_time <= due_in_period
--   due_in_period <= on_time + late_issued + backlog   (each document due
--     in the period is issued by d, or in (d, E], or not by E)
--   late_issued <= issued_in_period, first_pass <= issued_in_period
--   obstacles_resolved <= obstacles_detected
-- and, for kpi.lm_append over the same documents, the first period's
-- backlog <= the second's backlog + late_issued.
--
\set SHOW_CONTEXT never
\i sql/include/err.sql

-- lm(due, on_time, late, backlog, issued, first_pass, detected, resolved):
-- the text of a 2026 Q2 summary with those counts (no initiatives)
CREATE FUNCTION pg_temp.lm(due bigint, on_time bigint, late bigint, backlog bigint, issued bigint,
                           first_pass bigint, detected bigint, resolved bigint) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN format('(period_start=2026-04-01,period_end=2026-06-30,due_in_period=%s,on_time=%s,late_issued=%s,backlog=%s,issued_in_period=%s,first_pass=%s,obstacles_detected=%s,obstacles_resolved=%s,initiatives=0)',
              due, on_time, late, backlog, issued, first_pass, detected, resolved);

-- the issue's example: 5 documents due, none on time, late or outstanding;
-- it scored 55.00 before; now refused by text input, binary receive and the score
SELECT e.* FROM pg_temp.err(format('SELECT %L::kpi.lawmaking', pg_temp.lm(5, 0, 0, 0, 0, 0, 0, 0))) e;
CREATE TABLE lm_recv (s kpi.lawmaking);
CREATE FUNCTION pg_temp.recv(b bytea, OUT result text, OUT code text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
DECLARE
	f text := '/tmp/kpi_regress_lm_invariants_' || pg_backend_pid() || '.bin';
BEGIN
	EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', b, f);
	TRUNCATE lm_recv;
	EXECUTE format('COPY lm_recv FROM %L (FORMAT binary)', f);
	SELECT s::text INTO result FROM lm_recv;
	code := 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL;
END $$;
-- the valid wire form of 5 due and 5 outstanding, then its backlog count
-- (bytes 37-44) zeroed: the same impossible summary in binary
SELECT kpi.lawmaking_send(pg_temp.lm(5, 0, 0, 5, 0, 0, 0, 0)::kpi.lawmaking) AS good \gset
SELECT r.* FROM pg_temp.recv(:'good') r;
SELECT r.* FROM pg_temp.recv(overlay(:'good'::bytea PLACING '\x0000000000000000' FROM 37)) r;

-- each invariant: at equality accepted, one over refused naming the field
\x on
SELECT name, e.*
FROM (VALUES
  (1, 'on_time = due', pg_temp.lm(3, 3, 0, 0, 0, 0, 0, 0)),
  (2, 'on_time > due', pg_temp.lm(3, 4, 0, 0, 0, 0, 0, 0)),
  (3, 'due = on_time + late + backlog', pg_temp.lm(6, 1, 2, 3, 2, 0, 0, 0)),
  (4, 'due > on_time + late + backlog', pg_temp.lm(7, 1, 2, 3, 2, 0, 0, 0)),
  (5, 'due below the sum (late and backlog of documents due earlier)', pg_temp.lm(1, 0, 4, 9, 4, 0, 0, 0)),
  (6, 'late = issued', pg_temp.lm(0, 0, 2, 0, 2, 0, 0, 0)),
  (7, 'late > issued', pg_temp.lm(0, 0, 3, 0, 2, 0, 0, 0)),
  (8, 'first_pass = issued', pg_temp.lm(0, 0, 0, 0, 2, 2, 0, 0)),
  (9, 'first_pass > issued', pg_temp.lm(0, 0, 0, 0, 2, 3, 0, 0)),
  (10, 'resolved = detected', pg_temp.lm(0, 0, 0, 0, 0, 0, 2, 2)),
  (11, 'resolved > detected', pg_temp.lm(0, 0, 0, 0, 0, 0, 2, 3)),
  (12, 'negative backlog', pg_temp.lm(0, 0, 0, -1, 0, 0, 0, 0)),
  (13, 'due at the bigint maximum, the sum beyond it', pg_temp.lm(9223372036854775807, 9223372036854775807, 9223372036854775807, 9223372036854775807, 9223372036854775807, 0, 0, 0))
) v(n, name, input), pg_temp.err(format('SELECT %L::kpi.lawmaking', input)) e
ORDER BY n;
\x off

-- the same on the binary path: from the valid wire form of row 3, each
-- count in turn raised by one (bytes 13-84 hold the nine int8 counts):
-- refused where the raise breaks an invariant (due, late, resolved), else accepted
SELECT kpi.lawmaking_send(pg_temp.lm(6, 1, 2, 3, 2, 1, 2, 1)::kpi.lawmaking) AS good \gset
\x on
SELECT field, r.code, r.detail
FROM unnest(ARRAY['due_in_period', 'on_time', 'late_issued', 'backlog', 'issued_in_period',
                  'first_pass', 'obstacles_detected', 'obstacles_resolved', 'initiatives'])
     WITH ORDINALITY f(field, n),
     LATERAL (SELECT substr(:'good'::bytea, 13 + 8 * (n::int - 1), 8) AS old) o,
     LATERAL (SELECT overlay(:'good'::bytea PLACING int8send(('x' || encode(old, 'hex'))::bit(64)::bigint + 1)
                             FROM 13 + 8 * (n::int - 1)) AS b) c,
     pg_temp.recv(b) r
ORDER BY n;
\x off

-- kpi.lm_append: the first period's backlog must reappear in the second as
-- backlog or late; the appended result must itself be possible
SELECT '(period_start=2026-01-01,period_end=2026-03-31,due_in_period=4,on_time=1,late_issued=0,backlog=3,issued_in_period=1,first_pass=1,obstacles_detected=0,obstacles_resolved=0,initiatives=0)' AS q1,
       '(period_start=2026-04-01,period_end=2026-06-30,due_in_period=2,on_time=2,late_issued=1,backlog=2,issued_in_period=3,first_pass=3,obstacles_detected=0,obstacles_resolved=0,initiatives=0)' AS q2_ok,
       '(period_start=2026-04-01,period_end=2026-06-30,due_in_period=2,on_time=2,late_issued=0,backlog=2,issued_in_period=2,first_pass=2,obstacles_detected=0,obstacles_resolved=0,initiatives=0)' AS q2_short,
       '(period_start=2026-04-01,period_end=2026-06-30,due_in_period=2,on_time=0,late_issued=3,backlog=0,issued_in_period=3,first_pass=3,obstacles_detected=0,obstacles_resolved=0,initiatives=0)' AS q2_sum
\gset
SELECT kpi.lm_append(:'q1', :'q2_ok') AS half_year;
SELECT kpi.lm_append(:'q2_ok', :'q1')::text = kpi.lm_append(:'q1', :'q2_ok')::text AS either_order;
\x on
SELECT e.* FROM pg_temp.err(format('SELECT kpi.lm_append(%L, %L)', :'q1', :'q2_short')) e;
-- q1's 3 outstanding became q2's 3 late, but q2's 2 due are not placed:
-- the half-year would have 6 due and only 1 + 3 + 0 on time, late or outstanding
SELECT e.* FROM pg_temp.err(format('SELECT kpi.lm_append(%L, %L)', :'q1', :'q2_sum')) e;
\x off

-- the invariants are not too strict: 3000 random documents in 30 ministries,
-- summarised by quarter and by half-year; every summary is accepted, the
-- quarters append to the half-year exactly, ministries roll up exactly
SELECT setseed(0.11);
CREATE TABLE rdocs AS
SELECT g % 30 AS ministry,
       d AS due,
       CASE WHEN random() < 0.2 THEN NULL ELSE d + (random() * 120 - 60)::int END AS issued,
       (random() * 2)::int AS times_returned,
       o AS obstacles_detected, (random() * o)::int AS obstacles_resolved,
       (random() * 2)::int AS initiatives
FROM generate_series(1, 3000) g,
     LATERAL (SELECT '2025-10-01'::date + (random() * 365)::int + g * 0 AS d,
                     (random() * 3)::int + g * 0 AS o) x;
CREATE TABLE rsum AS
SELECT ministry, p.name,
       kpi.lawmaking_agg(due, issued, times_returned, obstacles_detected, obstacles_resolved,
                         initiatives, p.ps, p.pe) AS s
FROM rdocs, (VALUES ('q1', '2026-01-01'::date, '2026-03-31'::date), ('q2', '2026-04-01', '2026-06-30'),
                    ('h1', '2026-01-01', '2026-06-30')) p(name, ps, pe)
GROUP BY ministry, p.name;
SELECT count(*) AS summaries,
       count(*) FILTER (WHERE s::text::kpi.lawmaking::text = s::text) AS text_round_trips,
       count(*) FILTER (WHERE kpi.lm_score(s, 5) IS NOT NULL) AS scored
FROM rsum;
SELECT count(*) AS ministries,
       count(*) FILTER (WHERE kpi.lm_append(q1.s, q2.s)::text = h1.s::text) AS quarters_append_exactly
FROM rsum q1 JOIN rsum q2 USING (ministry) JOIN rsum h1 USING (ministry)
WHERE q1.name = 'q1' AND q2.name = 'q2' AND h1.name = 'h1';
SELECT kpi.rollup(s)::text = (SELECT kpi.lawmaking_agg(due, issued, times_returned, obstacles_detected,
                                                        obstacles_resolved, initiatives, '2026-04-01', '2026-06-30')::text
                              FROM rdocs) AS rollup_is_exact
FROM rsum WHERE name = 'q2';

DO $$
BEGIN
	EXECUTE format('COPY (SELECT 1 WHERE false) TO PROGRAM %L',
				   'rm -f /tmp/kpi_regress_lm_invariants_' || pg_backend_pid() || '.bin');
END $$;
DROP TABLE lm_recv, rdocs, rsum;
