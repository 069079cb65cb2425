--
-- kpi.tally_agg (both forms) and kpi.rollup: sums, NULL rows, empty groups,
-- deduction rates, merging, moving windows, bad task lines (rules.md CS4-CS8).
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

--
-- Quantity form: (coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)
--
-- Credits per line, with the 0.25 deductions clamped per line (CS6-CS8):
--   line 1: coef 2,   assigned 3, completed 3, passed 2, 1 error, 1 late
--           quality 2 x (2 - 0.25) = 3.5; progress 2 x (3 - 0.25) = 5.5; strict 2 x (3 - 1) = 4
--   line 2: coef 0.5, assigned 4, completed 1, passed 1, 5 errors, 6 late
--           quality 0.5 x max(0, 1 - 1.25) = 0; progress 0.5 x max(0, 1 - 1.5) = 0; strict 0
--   line 3: coef 1.25, assigned 2, completed 2.5 (over-completion), passed 2.5, 0, 0
--           quality 3.125; progress 3.125; strict 3.125
-- sums: assigned 6 + 2 + 2.5 = 10.5; quantity 6 + 0.5 + 3.125 = 9.625;
--       quality 6.625; progress 8.625; strict 7.125; 6 errors; 7 late events
CREATE TABLE lines_q (id int, coef numeric, assigned numeric, completed numeric,
                      passed numeric, errors int, late int);
INSERT INTO lines_q VALUES
 (1, 2,    3, 3,   2,   1, 1),
 (2, 0.5,  4, 1,   1,   5, 6),
 (3, 1.25, 2, 2.5, 2.5, 0, 0);
SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late) FROM lines_q;
SELECT c.* FROM (SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late) AS t FROM lines_q) s,
  kpi.tally_components(s.t) c;
-- a = 100 x 9.625 / 10.5 = 91.666...; b = 100 x 6.625 / 10.5 = 63.095...;
-- c = 100 x 8.625 / 10.5 = 82.142...
SELECT round(kpi.quantity_pct(t), 10) AS a, round(kpi.quality_pct(t), 10) AS b,
       round(kpi.progress_pct(t), 10) AS c
FROM (SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late) AS t FROM lines_q) s;

-- fractional inputs with 4 decimals give exact sums with 8 decimals
SELECT kpi.tally_agg(0.0001, 0.0003, 0.0002, 0.0001, 0, 1);

--
-- Single-unit form: (coef, done, passed, quality_errors, late_events)
--
-- the same lines through both forms give the same tally
CREATE TABLE lines_u (id int, coef numeric, done boolean, passed boolean, errors int, late int);
INSERT INTO lines_u VALUES
 (1, 1, true,  true,  0, 0),
 (2, 2, true,  false, 0, 1),
 (3, 1, false, false, 0, 0),
 (4, 1, true,  true,  1, 0),
 (5, 3, true,  true,  0, 2);
SELECT kpi.tally_agg(coef, done, passed, errors, late) FROM lines_u;
SELECT (SELECT kpi.tally_agg(coef, done, passed, errors, late) FROM lines_u)::text =
       (SELECT kpi.tally_agg(coef, 1, done::int, passed::int, errors, late) FROM lines_u)::text
       AS forms_agree;

--
-- NULL inputs and empty groups
--
-- a row with any NULL input is skipped, like the built-in aggregates
SELECT kpi.tally_agg(c, a, d, p, e, l)
FROM (VALUES (1, 1, 1, 1, 0, 0),
             (NULL, 1, 1, 1, 0, 0), (1, NULL, 1, 1, 0, 0), (1, 1, NULL, 1, 0, 0),
             (1, 1, 1, NULL, 0, 0), (1, 1, 1, 1, NULL, 0), (1, 1, 1, 1, 0, NULL))
     v(c, a, d, p, e, l);
SELECT kpi.tally_agg(c, d, p, e, l)
FROM (VALUES (1, true, true, 0, 0),
             (NULL, true, true, 0, 0), (1, NULL, true, 0, 0), (1, true, NULL, 0, 0),
             (1, true, true, NULL, 0), (1, true, true, 0, NULL))
     v(c, d, p, e, l);
-- NULL rules count as a NULL input too
SELECT kpi.tally_agg(1, true, true, 0, 0, NULL::jsonb) IS NULL AS null_rules_row_skipped;
-- no rows, or only skipped rows: NULL (N0.4), in both forms and with rules
SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late) IS NULL AS no_rows FROM lines_q WHERE false;
SELECT kpi.tally_agg(coef, done, passed, errors, late) IS NULL AS no_rows FROM lines_u WHERE false;
SELECT kpi.tally_agg(coef, done, passed, errors, late, '{"quality_deduction": 0.5}') IS NULL AS no_rows FROM lines_u WHERE false;
SELECT kpi.tally_agg(c, d, p, e, l) IS NULL AS only_null_rows
FROM (VALUES (NULL::numeric, true, true, 0, 0), (1, NULL, true, 0, 0)) v(c, d, p, e, l);
-- per group: a group whose rows are all skipped gets NULL
SELECT g, kpi.tally_agg(c, d, p, 0, 0)
FROM (VALUES (1, 1, true, true), (2, NULL, true, true), (3, 1, NULL, false)) v(g, c, d, p)
GROUP BY g ORDER BY g;

--
-- coef 0 and assigned 0: the line counts, but adds no weight
--
SELECT kpi.tally_agg(0, true, true, 3, 2);
SELECT kpi.tally_agg(2, 0, 0, 0, 0, 0);
-- nothing assigned: not scored (NULL), not 0 and not 100 (N0.4, E9)
SELECT kpi.quantity_pct(t) AS a, kpi.quality_pct(t) AS b, kpi.progress_pct(t) AS c,
       kpi.task_pct(t) AS kq, kpi.period_score(30, t) AS score
FROM (SELECT kpi.tally_agg(0, true, true, 0, 0) AS t) s;
-- a coef-0 line changes no percentage of the others
SELECT kpi.quantity_pct(t) AS a, kpi.quality_pct(t) AS b, kpi.progress_pct(t) AS c
FROM (SELECT kpi.tally_agg(c, d, p, 0, 0) AS t
      FROM (VALUES (1, true, true), (1, false, false), (0, false, false)) v(c, d, p)) s;

--
-- Over-completion: completed above assigned (CS4); capped when scored (CS8)
--
SELECT kpi.tally_agg(1, 2, 3, 3, 0, 0);
SELECT kpi.quantity_pct(t) AS a_capped, kpi.quantity_pct(t, '{"cap": false}') AS a_uncapped,
       kpi.quality_pct(t, '{"cap": false}') AS b_uncapped, kpi.progress_pct(t, '{"cap": false}') AS c_uncapped
FROM (SELECT kpi.tally_agg(1, 2, 3, 3, 0, 0) AS t) s;

--
-- Other deduction rates: tally_agg(..., rules) fixes them when summing
--
-- line 1 of lines_q with quality_deduction 0.5 and progress_deduction 0.1:
--   quality 2 x (2 - 0.5) = 3; progress 2 x (3 - 0.1) = 5.8
-- line 2: quality 0.5 x max(0, 1 - 2.5) = 0; progress 0.5 x max(0, 1 - 0.6) = 0.2
-- line 3: quality 3.125; progress 3.125; strict progress is unchanged (7.125)
SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late,
                     '{"quality_deduction": 0.5, "progress_deduction": 0.1}')
FROM lines_q;
-- rate 0: no deduction; rate 1: a failed review costs the whole unit
SELECT kpi.tally_agg(coef, done, passed, errors, late, '{"quality_deduction": 0, "progress_deduction": 1}')
FROM lines_u;
-- other keys of the rules are validated but do not change the sums
SELECT kpi.tally_agg(coef, done, passed, errors, late, '{"progress_reading": "strict", "cap": false}')::text =
       kpi.tally_agg(coef, done, passed, errors, late)::text AS same_sums
FROM lines_u;
-- invalid rules are refused (terse: the list of known keys is shown in rules.sql)
SELECT kpi.tally_agg(coef, done, passed, errors, late, '{"quality_deduction": 1.5}') FROM lines_u;
\set VERBOSITY terse
SELECT kpi.tally_agg(coef, done, passed, errors, late, '{"quality_deduction": 0.25, "foo": 1}') FROM lines_u;
\set VERBOSITY default

--
-- kpi.rollup: merging tallies equals summing all their lines at once
--
CREATE TABLE month_lines (official int, month int, coef numeric, done boolean, passed boolean,
                          errors int, late int);
INSERT INTO month_lines
SELECT o, m, 1 + (i % 4) * 0.5, (i + m) % 5 <> 0, (i + m) % 5 <> 0 AND (i * o) % 7 <> 0,
       (i + o) % 3, (i * m) % 4
FROM generate_series(1, 3) o, generate_series(1, 3) m, generate_series(1, 10 + o) i;
CREATE TABLE month_tally AS
SELECT official, month, kpi.tally_agg(coef, done, passed, errors, late) AS t
FROM month_lines GROUP BY official, month;
-- quarter per official, from the monthly tallies and from the lines
SELECT q.official, q.t::text = l.t::text AS rollup_equals_lines, q.t
FROM (SELECT official, kpi.rollup(t) AS t FROM month_tally GROUP BY official) q
JOIN (SELECT official, kpi.tally_agg(coef, done, passed, errors, late) AS t FROM month_lines GROUP BY official) l
USING (official) ORDER BY official;
-- the unit: every official and month, in any grouping
SELECT (SELECT kpi.rollup(t) FROM month_tally)::text =
       (SELECT kpi.tally_agg(coef, done, passed, errors, late) FROM month_lines)::text AS unit_equals_lines,
       (SELECT kpi.rollup(t) FROM (SELECT kpi.rollup(t) AS t FROM month_tally GROUP BY month) s)::text =
       (SELECT kpi.rollup(t) FROM month_tally)::text AS any_grouping;
-- NULL tallies are skipped; no rows gives NULL
SELECT kpi.rollup(t) FROM (VALUES (NULL::kpi.tally), ((SELECT kpi.tally_agg(1, true, true, 0, 0))), (NULL)) v(t);
SELECT kpi.rollup(t) IS NULL AS no_rows FROM month_tally WHERE false;
SELECT kpi.rollup(t) IS NULL AS only_nulls FROM (VALUES (NULL::kpi.tally), (NULL)) v(t);
-- a tally of no lines takes the rates of the other side
SELECT kpi.rollup(t) FROM (VALUES
  ('(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0,progress_deduction=0)'::kpi.tally),
  ((SELECT kpi.tally_agg(1, true, true, 1, 1, '{"quality_deduction": 0.5}')))) v(t);
-- tallies summed with different deduction rates cannot be merged
SELECT kpi.rollup(t) FROM (VALUES
  ((SELECT kpi.tally_agg(1, true, true, 1, 0))),
  ((SELECT kpi.tally_agg(1, true, true, 1, 0, '{"quality_deduction": 0.5}')))) v(t);
SELECT kpi.tally_combine(kpi.tally_agg(1, true, true, 0, 0, '{"progress_deduction": 0.1}'),
                         kpi.tally_agg(1, true, true, 0, 0));
-- a sum beyond the 128-bit range: 22003
\set VERBOSITY sqlstate
SELECT kpi.rollup(t) FROM (VALUES
  ('(lines=2000000,assigned=1701411834604692317316873037158.84105727,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally),
  ('(lines=1,assigned=0.00000001,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)')) v(t);
SELECT kpi.rollup(t) FROM (VALUES
  ('(lines=9223372036854775807,assigned=1,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally),
  ('(lines=1,assigned=1,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)')) v(t);
\set VERBOSITY default
-- the maximum itself is fine
SELECT kpi.rollup(t) FROM (VALUES
  ('(lines=9223372036854775806,assigned=1701411834604692317316873037158.84105726,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally),
  ('(lines=1,assigned=0.00000001,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)')) v(t);

-- support functions called directly return a new value, leaving the input alone
SELECT kpi.tally_agg_unit_trans(NULL, 1, true, true, 0, 0) AS first,
       kpi.tally_agg_unit_trans(kpi.tally_agg_unit_trans(NULL, 1, true, true, 0, 0), 2, true, false, 0, 1) AS second;

--
-- Moving windows: ROWS BETWEEN 2 PRECEDING AND CURRENT ROW (inverse transition)
--
-- lines_u credits (quality, progress, strict): 1: 1,1,1 (weight 1); 2: 0,1.5,0
-- (weight 2, 1 late); 3: 0,0,0 (weight 1, not done); 4: 0.75,1,1 (weight 1,
-- 1 error); 5: 3,1.5,0 (weight 3, 2 late); row 6 has a NULL input and is
-- skipped; 7: 1,1,1 (weight 1); 8: 0,1,0 (weight 2, done, failed 3 reviews, late twice)
INSERT INTO lines_u VALUES
 (6, 1, NULL, true, 0, 0),
 (7, 1, true, true, 0, 0),
 (8, 2, true, false, 3, 2);
SELECT id, c.lines, c.assigned, c.quantity_credit AS quantity, c.quality_credit AS quality,
       c.progress_credit AS progress, c.progress_credit_strict AS strict,
       c.quality_errors, c.late_events, kpi.quantity_pct(w.t) AS a
FROM (SELECT id, kpi.tally_agg(coef, done, passed, errors, late)
                   OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS t
      FROM lines_u) w
LEFT JOIN LATERAL kpi.tally_components(w.t) c ON true
ORDER BY id;
-- the quantity form over the same frames agrees
SELECT id,
       (kpi.tally_agg(coef, 1, done::int, passed::int, errors, late) OVER w)::text =
       (kpi.tally_agg(coef, done, passed, errors, late) OVER w)::text AS forms_agree
FROM lines_u
WINDOW w AS (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
ORDER BY id;
-- every moving frame equals the same lines summed from scratch, for both
-- aggregates (tally_agg with its inverse, rollup with tally_uncombine)
CREATE TABLE wlines AS
SELECT i AS id, (i % 5) * 0.25 AS coef, 1 + (i % 3) AS assigned, (i % 4) * 0.75 AS completed,
       (i % 4) * 0.5 AS passed, (i * 7) % 5 AS errors, (i * 3) % 4 AS late,
       CASE WHEN i % 10 <> 5 THEN '{"quality_deduction": 0.3}'::jsonb END AS rules
FROM generate_series(1, 300) i;
UPDATE wlines SET assigned = NULL WHERE id % 17 = 0;
SELECT count(*) AS frames,
       count(*) FILTER (WHERE moving::text = fresh::text) AS tally_agg_exact
FROM (SELECT id,
             kpi.tally_agg(coef, assigned, completed, passed, errors, late)
               OVER (ORDER BY id ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS moving,
             (SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late)
              FROM wlines w2 WHERE w2.id BETWEEN w1.id - 4 AND w1.id) AS fresh
      FROM wlines w1) s;
-- rows with a NULL input (assigned or rules) are skipped in every frame
SELECT count(*) AS frames,
       count(*) FILTER (WHERE moving::text = fresh::text) AS with_rules_exact
FROM (SELECT id,
             kpi.tally_agg(coef, assigned, completed, passed, errors, late, rules)
               OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS moving,
             (SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late, rules)
              FROM wlines w2 WHERE w2.id BETWEEN w1.id - 3 AND w1.id) AS fresh
      FROM wlines w1) s;
-- kpi.rollup over one tally per line, NULL for the skipped lines
CREATE TABLE wtally AS
SELECT id, kpi.tally_agg(coef, assigned, completed, passed, errors, late) AS t
FROM wlines GROUP BY id;
SELECT count(*) AS frames,
       count(*) FILTER (WHERE moving::text = fresh::text) AS rollup_exact,
       count(*) FILTER (WHERE t IS NULL) AS null_tallies
FROM (SELECT id, t,
             kpi.rollup(t) OVER (ORDER BY id ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS moving,
             (SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late)
              FROM wlines w2 WHERE w2.id BETWEEN p.id - 6 AND p.id) AS fresh
      FROM wtally p) s;
-- a frame of NULL tallies only is NULL, and the window recovers after it
SELECT id, kpi.rollup(t) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, '(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally),
             (2, NULL), (3, NULL),
             (4, '(lines=2,assigned=2,quantity=1,quality=0.5,progress=1,progress_strict=1,quality_errors=2,late_events=0,quality_deduction=0.25,progress_deduction=0.25)')) v(id, t)
ORDER BY id;

--
-- Parallel aggregation uses the combine function and gives the same bits
--
CREATE TABLE plines AS
SELECT i AS id, (i % 9) * 0.1111 AS coef, 1 + (i % 3) AS assigned, (i % 5) * 0.5 AS completed,
       (i % 5) * 0.25 AS passed, i % 4 AS errors, (i * 7) % 3 AS late
FROM generate_series(1, 20000) i;
ANALYZE plines;
CREATE TABLE serial_result AS
SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late) AS t FROM plines;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late) FROM plines;
SELECT (SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late) FROM plines)::text =
       (SELECT t FROM serial_result)::text AS parallel_equals_serial;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- the sums checked against plain numeric arithmetic (CS5-CS7 per line)
SELECT c.lines = n AS lines_ok, c.assigned = sa AS assigned_ok, c.quantity_credit = sq AS quantity_ok,
       c.quality_credit = sb AS quality_ok, c.progress_credit = sc AS progress_ok,
       c.progress_credit_strict = ss AS strict_ok, c.quality_errors = se AS errors_ok,
       c.late_events = sl AS late_ok
FROM (SELECT t FROM serial_result) r, kpi.tally_components(r.t) c,
     (SELECT count(*) AS n, sum(coef * assigned) AS sa, sum(coef * completed) AS sq,
             sum(coef * greatest(0, passed - 0.25 * errors)) AS sb,
             sum(coef * greatest(0, completed - 0.25 * late)) AS sc,
             sum(coef * greatest(0, completed - late)) AS ss,
             sum(errors) AS se, sum(late) AS sl
      FROM plines) o;
SELECT t FROM serial_result;

--
-- Bad task lines (N0.5): every class, with its SQLSTATE
--
\x on
SELECT q, e.*
FROM (VALUES
  -- negative values: 22023
  ('SELECT kpi.tally_agg(-1, 1, 1, 1, 0, 0)'),
  ('SELECT kpi.tally_agg(-0.0001, 1, 1, 1, 0, 0)'),
  ('SELECT kpi.tally_agg(1, -1, 0, 0, 0, 0)'),
  ('SELECT kpi.tally_agg(1, 1, -1, 0, 0, 0)'),
  ('SELECT kpi.tally_agg(1, 1, 1, -1, 0, 0)'),
  ('SELECT kpi.tally_agg(1, 1, 1, 1, -1, 0)'),
  ('SELECT kpi.tally_agg(1, 1, 1, 1, 0, -1)'),
  ('SELECT kpi.tally_agg(-1, true, true, 0, 0)'),
  ('SELECT kpi.tally_agg(1, true, true, -1, 0)'),
  ('SELECT kpi.tally_agg(1, true, true, 0, -2147483648)'),
  -- not finite: 22023
  ('SELECT kpi.tally_agg(''NaN'', 1, 1, 1, 0, 0)'),
  ('SELECT kpi.tally_agg(1, ''Infinity'', 1, 1, 0, 0)'),
  ('SELECT kpi.tally_agg(1, 1, ''-Infinity'', 0, 0, 0)'),
  ('SELECT kpi.tally_agg(1, 1, 1, ''NaN'', 0, 0)'),
  ('SELECT kpi.tally_agg(''Infinity'', true, false, 0, 0)'),
  -- more than 4 decimals: 22023 (never rounded)
  ('SELECT kpi.tally_agg(0.00001, 1, 1, 1, 0, 0)'),
  ('SELECT kpi.tally_agg(1, 1.00005, 1, 1, 0, 0)'),
  ('SELECT kpi.tally_agg(1, 1, 0.33333, 0, 0, 0)'),
  ('SELECT kpi.tally_agg(1.23456, true, true, 0, 0)'),
  -- 10^12 or more: 22003
  ('SELECT kpi.tally_agg(1000000000000, 1, 1, 1, 0, 0)'),
  ('SELECT kpi.tally_agg(1, 1000000000000, 1, 1, 0, 0)'),
  ('SELECT kpi.tally_agg(1, 1, 1e15, 0, 0, 0)'),
  ('SELECT kpi.tally_agg(1e12, true, true, 0, 0)'),
  -- passed above completed, passed but not done: 22023
  ('SELECT kpi.tally_agg(1, 2, 1, 1.0001, 0, 0)'),
  ('SELECT kpi.tally_agg(1, true, true, 0, 0), kpi.tally_agg(1, false, true, 0, 0)')
) v(q), pg_temp.err(q) e;
\x off
-- the maximum input (10^12 - 0.0001), zeros beyond 4 decimals, and -0 are fine
SELECT kpi.tally_agg(999999999999.9999, 999999999999.9999, 999999999999.9999, 999999999999.9999, 2147483647, 2147483647);
SELECT kpi.tally_agg(1.00000000, 2.5000, 2.50000, 0.000000, 0, 0);
SELECT kpi.tally_agg(-0.0, 1, 1, 1, 0, 0);
-- the plain error path, as a client sees it
SELECT kpi.tally_agg(coef, done, NOT done, errors, late) FROM lines_u;
SELECT kpi.tally_agg(1, 1, 2, 3, 0, 0);
SELECT kpi.tally_agg(1, 1, 1, 1, 0, 0.5::int - 2);
SELECT 1 AS server_still_answers;

DROP TABLE lines_q, lines_u, month_lines, month_tally, wlines, wtally, plines, serial_result;

--
-- Moving windows whose frame starts on, or is restarted at, a row with a NULL
-- input: the moving state is an empty tally, never NULL, and the final
-- function kpi.tally_final reads a tally of no lines as NULL
--
-- row 1 is skipped, row 2 is one line coef 1, done and passed: frame {1} has
-- no line (NULL); frame {1, 2} is that one line
SELECT i, kpi.tally_agg(c, true, true, 0, 0) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, NULL::numeric), (2, 1)) v(i, c) ORDER BY i;
-- rows 1 and 4 are one line each, rows 2 and 3 are skipped: frames {1} and
-- {1, 2} hold line 1; {2, 3} holds no line (NULL); {3, 4} holds line 4
SELECT i, kpi.tally_agg(c, true, true, 0, 0) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 1), (2, NULL::numeric), (3, NULL), (4, 1)) v(i, c) ORDER BY i;
-- the quantity form: a line coef 2, assigned 1, completed 1, passed 1, one
-- failed review: assigned 2, quantity 2, quality 2 x (1 - 0.25) = 1.5,
-- progress 2, strict 2
SELECT i, kpi.tally_agg(c, 1, 1, 1, 1, 0) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, NULL::numeric), (2, 2)) v(i, c) ORDER BY i;
SELECT i, kpi.tally_agg(c, 1, 1, 1, 1, 0) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 2), (2, NULL::numeric), (3, NULL), (4, 2)) v(i, c) ORDER BY i;
-- with rules: quality_deduction 0.5, a line coef 1 done and passed with one
-- failed review and one late event: quality 1 - 0.5 = 0.5, progress
-- 1 - 0.25 = 0.75, strict 0; the rates are the rules', not the defaults
SELECT i, kpi.tally_agg(c, true, true, 1, 1, '{"quality_deduction": 0.5}')
            OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, NULL::numeric), (2, 1)) v(i, c) ORDER BY i;
SELECT i, kpi.tally_agg(c, true, true, 1, 1, '{"quality_deduction": 0.5}')
            OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 1), (2, NULL::numeric), (3, NULL), (4, 1)) v(i, c) ORDER BY i;
-- quantity form with rules: coef 2, one failed review at 0.5: quality 2 x 0.5 = 1
SELECT i, kpi.tally_agg(c, 1, 1, 1, 1, 0, '{"quality_deduction": 0.5}')
            OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, 2), (2, NULL::numeric), (3, NULL), (4, 2)) v(i, c) ORDER BY i;
-- a NULL rules value is a NULL input too: rows 2 and 3 are skipped
SELECT i, kpi.tally_agg(1, true, true, 1, 1, r)
            OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, '{"quality_deduction": 0.5}'::jsonb), (2, NULL), (3, NULL),
             (4, '{"quality_deduction": 0.5}')) v(i, r) ORDER BY i;
-- frames that end after the current row, and frames with an exclusion (the
-- aggregate is restarted for every row), over skipped rows: line counts
-- rows: 1 skipped, 2 one line, 3 skipped, 4 skipped, 5 one line coef 3
SELECT i, (kpi.tally_components(kpi.tally_agg(c, true, true, 0, 0)
             OVER (ORDER BY i ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING))).assigned AS next_2,
          (kpi.tally_components(kpi.tally_agg(c, true, true, 0, 0)
             OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW))).assigned AS neighbours,
          (kpi.tally_components(kpi.tally_agg(c, true, true, 0, 0)
             OVER (ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW))).assigned AS previous_2
FROM (VALUES (1, NULL::numeric), (2, 1), (3, NULL), (4, NULL), (5, 3)) v(i, c) ORDER BY i;
-- every moving frame equals the same lines summed from scratch, with runs of
-- skipped rows at the start and inside, in all four forms
CREATE TABLE nlines AS
SELECT i AS id, CASE WHEN i <= 3 OR i % 4 = 0 OR i % 7 IN (2, 3) THEN NULL ELSE 1 + (i % 3) * 0.5 END AS coef,
       1 + (i % 2) AS assigned, (i % 3) * 0.5 AS completed, (i % 3) * 0.25 AS passed,
       i % 3 AS errors, (i * 5) % 3 AS late
FROM generate_series(1, 120) i;
SELECT count(*) AS frames,
       count(*) FILTER (WHERE fresh IS NULL) AS empty_frames,
       count(*) FILTER (WHERE moving::text IS NOT DISTINCT FROM fresh::text) AS quantity_exact,
       count(*) FILTER (WHERE moving_u::text IS NOT DISTINCT FROM fresh_u::text) AS unit_exact,
       count(*) FILTER (WHERE moving_r::text IS NOT DISTINCT FROM fresh_r::text) AS quantity_rules_exact,
       count(*) FILTER (WHERE moving_ur::text IS NOT DISTINCT FROM fresh_ur::text) AS unit_rules_exact
FROM (SELECT id,
             kpi.tally_agg(coef, assigned, completed, passed, errors, late) OVER w AS moving,
             kpi.tally_agg(coef, completed > 0, passed > 0, errors, late) OVER w AS moving_u,
             kpi.tally_agg(coef, assigned, completed, passed, errors, late, '{"quality_deduction": 0.3}') OVER w AS moving_r,
             kpi.tally_agg(coef, completed > 0, passed > 0, errors, late, '{"progress_deduction": 0.5}') OVER w AS moving_ur,
             (SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late)
              FROM nlines n2 WHERE n2.id BETWEEN n1.id - 1 AND n1.id) AS fresh,
             (SELECT kpi.tally_agg(coef, completed > 0, passed > 0, errors, late)
              FROM nlines n2 WHERE n2.id BETWEEN n1.id - 1 AND n1.id) AS fresh_u,
             (SELECT kpi.tally_agg(coef, assigned, completed, passed, errors, late, '{"quality_deduction": 0.3}')
              FROM nlines n2 WHERE n2.id BETWEEN n1.id - 1 AND n1.id) AS fresh_r,
             (SELECT kpi.tally_agg(coef, completed > 0, passed > 0, errors, late, '{"progress_deduction": 0.5}')
              FROM nlines n2 WHERE n2.id BETWEEN n1.id - 1 AND n1.id) AS fresh_ur
      FROM nlines n1
      WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) s;
DROP TABLE nlines;
-- a plain aggregate over skipped rows only is NULL, in every form
SELECT kpi.tally_agg(c, 1, 1, 1, 0, 0) IS NULL AS quantity,
       kpi.tally_agg(c, true, true, 0, 0) IS NULL AS unit,
       kpi.tally_agg(c, 1, 1, 1, 0, 0, '{"quality_deduction": 0.5}') IS NULL AS quantity_rules,
       kpi.tally_agg(c, true, true, 0, 0, '{"quality_deduction": 0.5}') IS NULL AS unit_rules
FROM (VALUES (NULL::numeric), (NULL)) v(c);
SELECT kpi.tally_agg(1, true, true, 0, 0, r) IS NULL AS null_rules_only
FROM (VALUES (NULL::jsonb), (NULL)) v(r);
-- kpi.tally_final called directly: a tally of no lines is NULL, any other
-- tally is returned as it is, NULL in gives NULL out
SELECT kpi.tally_final('(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)') IS NULL AS no_lines,
       kpi.tally_final('(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.5,progress_deduction=0)') IS NULL AS no_lines_other_rates,
       kpi.tally_final(NULL) IS NULL AS null_in;
SELECT kpi.tally_final('(lines=1,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)') AS one_line_no_weight;
SELECT kpi.tally_final(kpi.tally_agg(2, 1, 1, 1, 1, 0)) AS one_line;
-- the transition function called directly on a skipped row gives an empty
-- tally (with the default rates), which the final function reads as NULL
SELECT kpi.tally_agg_unit_trans(NULL, NULL, true, true, 0, 0) AS skipped_first,
       kpi.tally_final(kpi.tally_agg_unit_trans(NULL, NULL, true, true, 0, 0)) IS NULL AS final_null;

--
-- kpi.tally_agg(..., rules): every row's rules are read and validated
--
-- the deduction rates differ between rows: 22023, in either order and either form
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.tally_agg(1, true, true, 1, 1, r ORDER BY i) FROM (VALUES (1, ''{"quality_deduction": 0.5}''::jsonb), (2, ''{}'')) v(i, r)'),
  ('SELECT kpi.tally_agg(1, true, true, 1, 1, r ORDER BY i) FROM (VALUES (1, ''{}''::jsonb), (2, ''{"quality_deduction": 0.5}'')) v(i, r)'),
  ('SELECT kpi.tally_agg(1, true, true, 1, 1, r ORDER BY i) FROM (VALUES (1, ''{}''::jsonb), (2, ''{"progress_deduction": 0.1}'')) v(i, r)'),
  ('SELECT kpi.tally_agg(1, 1, 1, 1, 1, 1, r ORDER BY i) FROM (VALUES (1, ''{}''::jsonb), (2, ''{}''), (3, ''{"progress_deduction": 0.1}'')) v(i, r)'),
  ('SELECT kpi.tally_agg(1, 1, 1, 1, 1, 1, r ORDER BY i) FROM (VALUES (1, ''{"quality_deduction": 0.5}''::jsonb), (2, ''{"quality_deduction": 0.5001}'')) v(i, r)'),
  -- a moving frame holding both rows
  ('SELECT kpi.tally_agg(1, true, true, 1, 1, r) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (VALUES (1, ''{}''::jsonb), (2, ''{"quality_deduction": 0.5}'')) v(i, r)')
) v(q), pg_temp.err(q) e;
\x off
-- invalid rules on a later row: 22023 (the detail lists the known keys,
-- shown in rules.sql)
SELECT q, e.code, e.message
FROM (VALUES
  ('SELECT kpi.tally_agg(1, true, true, 1, 1, r ORDER BY i) FROM (VALUES (1, ''{}''::jsonb), (2, ''{"foo": 1}'')) v(i, r)'),
  ('SELECT kpi.tally_agg(1, 1, 1, 1, 1, 1, r ORDER BY i) FROM (VALUES (1, ''{"quality_deduction": 0.5}''::jsonb), (2, ''{"quality_deduction": 0.5, "foo": 1}'')) v(i, r)'),
  ('SELECT kpi.tally_agg(1, true, true, 1, 1, r ORDER BY i) FROM (VALUES (1, ''{}''::jsonb), (2, ''{"cap": "no"}'')) v(i, r)'),
  ('SELECT kpi.tally_agg(1, true, true, 1, 1, r ORDER BY i) FROM (VALUES (1, ''{}''::jsonb), (2, ''[]'')) v(i, r)')
) v(q), pg_temp.err(q) e;
-- the same rates on every row work, whatever the other keys and however the
-- number is written: three lines with one failed review and one late event
-- each at quality_deduction 0.5: quality 3 x 0.5 = 1.5, progress 3 x 0.75 =
-- 2.25, strict 0
SELECT kpi.tally_agg(1, true, true, 1, 1, r ORDER BY i)
FROM (VALUES (1, '{"quality_deduction": 0.5}'::jsonb),
             (2, '{"quality_deduction": 0.50, "cap": false}'),
             (3, '{"progress_reading": "strict", "quality_deduction": 0.5000}')) v(i, r);
-- rows without rules keys use the default rates, like '{}'
SELECT kpi.tally_agg(1, true, true, 1, 1, r ORDER BY i)
FROM (VALUES (1, '{}'::jsonb), (2, '{"quality_deduction": 0.25, "progress_deduction": 0.25}')) v(i, r);
-- an empty first row (a NULL input) takes no rates: the next row's rules give
-- them (quality 1 - 0.5 = 0.5, progress 1 - 0.25 = 0.75)
SELECT kpi.tally_agg(c, true, true, 1, 1, r ORDER BY i)
FROM (VALUES (1, NULL::numeric, '{}'::jsonb), (2, 1, '{"quality_deduction": 0.5}')) v(i, c, r);
SELECT kpi.tally_agg(1, true, true, 1, 1, r ORDER BY i)
FROM (VALUES (1, NULL::jsonb), (2, '{"quality_deduction": 0.5}')) v(i, r);
-- the same in a moving frame: frame {1} is NULL, frame {1, 2} has rate 0.5
SELECT i, kpi.tally_agg(c, true, true, 1, 1, r) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM (VALUES (1, NULL::numeric, '{}'::jsonb), (2, 1, '{"quality_deduction": 0.5}')) v(i, c, r) ORDER BY i;
-- frames of one row each may use different rules (no frame mixes them)
SELECT i, kpi.tally_agg(1, true, true, 1, 0, r) OVER (ORDER BY i ROWS BETWEEN CURRENT ROW AND CURRENT ROW)
FROM (VALUES (1, '{}'::jsonb), (2, '{"quality_deduction": 0.5}'), (3, '{"quality_deduction": 1}')) v(i, r) ORDER BY i;

--
-- kpi.rollup of tallies of no lines is NULL, like kpi.tally_agg over no lines
--
SELECT kpi.rollup(t) IS NULL AS rollup_of_empty_is_null
FROM (VALUES ('(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally)) v(t);
SELECT kpi.rollup(t)::text AS rollup_of_empty_and_one_line
FROM (VALUES ('(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally),
             ('(lines=1,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)')) v(t);

--
-- the transition's fast path reads the common numerics itself
-- (src/tally_agg.c SmallNumeric: zero, one digit of weight -1 to 2, two
-- digits of weight 0 to 2) and leaves the rest to the general path; mixed in
-- one group, in any order, every sum equals the sum of the values: zero
-- with and without decimals, 1 with 5 decimals, 0.0002, 1.5, 1.2345,
-- 12.3456, 10000, 100000000, 12345678.9 (two digits of weight 1), and the
-- general path's 10000.5 and 123456789.1234 (three and four digits)
--
SELECT (c).*
FROM (SELECT kpi.tally_components(kpi.tally_agg(1, q, q, q, 0, 0)) AS c
      FROM unnest('{1,0,0.0,1.00000,0.0002,1.5,1.2345,12.3456,10000,100000000,12345678.9,10000.5,123456789.1234,9,2,0.5}'::numeric[]) AS q) s;
SELECT sum(q) AS expected
FROM unnest('{1,0,0.0,1.00000,0.0002,1.5,1.2345,12.3456,10000,100000000,12345678.9,10000.5,123456789.1234,9,2,0.5}'::numeric[]) AS q;
-- a value the fast path does not take is refused by the general one, after
-- fast-path rows: too many decimals
SELECT kpi.tally_agg(1, q, q, q, 0, 0) FROM unnest('{1,2,0.00001}'::numeric[]) AS q;
SELECT kpi.tally_agg(1, q, q, q, 0, 0) FROM unnest('{1,-1}'::numeric[]) AS q;
SELECT (kpi.tally_components(kpi.tally_agg(1, q, q, q, 0, 0))).assigned FROM unnest('{1,1}'::numeric[]) AS q;
SELECT (kpi.tally_components(kpi.tally_agg(c, 1, 1, 1, 0, 0))).assigned
FROM unnest('{4,0.5,4,0.5,1}'::numeric[]) AS c;
