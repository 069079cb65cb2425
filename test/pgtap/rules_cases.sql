-- test/pgtap/rules_cases.sql
-- One or more assertions per rule of rules.md N0.1-N0.5 and CS1-CS14, with
-- the worked cases E1-E5 and E7-E9.  Every expected value is computed by
-- hand from rules.md (the arithmetic is in the comments), never copied from
-- the extension's output.
--
-- Runs on its own in a database where pgtap exists:
--   pg_prove -d DB test/pgtap/rules_cases.sql
BEGIN;
CREATE EXTENSION IF NOT EXISTS kpi_eval;
SELECT plan(158);

------------------------------------------------------------------------------
-- Named task-line sets and their tallies
------------------------------------------------------------------------------
-- single-unit lines (CS4): coef, done, passed, quality_errors, late_events
CREATE TEMP TABLE kpi_unit_line (name text, coef numeric, done boolean, passed boolean,
                                 errors int, late int);
INSERT INTO kpi_unit_line
-- E1: 20 lines coef 1, 18 completed, all pass first time, 2 of the 18 late once
SELECT 'E1', 1, true, true, 0, 0 FROM generate_series(1, 16)
UNION ALL SELECT 'E1', 1, true, true, 0, 1 FROM generate_series(1, 2)
UNION ALL SELECT 'E1', 1, false, false, 0, 0 FROM generate_series(1, 2)
-- E2: 10 lines coef 1, 2 lines coef 8, 1 line coef 16; all completed but the
-- coef-16 line; one coef-8 line failed one review; all on time
UNION ALL SELECT 'E2', 1, true, true, 0, 0 FROM generate_series(1, 10)
UNION ALL VALUES ('E2', 8, true, true, 0, 0), ('E2', 8, true, true, 1, 0), ('E2', 16, false, false, 0, 0)
-- E3: 4 lines completed on time, one failed 2 reviews (then 4, 5 and 6)
UNION ALL SELECT 'E3', 1, true, true, 0, 0 FROM generate_series(1, 3)
UNION ALL VALUES ('E3', 1, true, true, 2, 0)
UNION ALL SELECT 'E3_4', 1, true, true, 0, 0 FROM generate_series(1, 3)
UNION ALL VALUES ('E3_4', 1, true, true, 4, 0)
UNION ALL SELECT 'E3_5', 1, true, true, 0, 0 FROM generate_series(1, 3)
UNION ALL VALUES ('E3_5', 1, true, true, 5, 0)
UNION ALL SELECT 'E3_6', 1, true, true, 0, 0 FROM generate_series(1, 3)
UNION ALL VALUES ('E3_6', 1, true, true, 6, 0)
-- everything done, passed and on time (E4's a = b = c = 100)
UNION ALL SELECT 'perfect', 1, true, true, 0, 0 FROM generate_series(1, 3)
-- nothing done, with failed reviews and late events
UNION ALL VALUES ('none', 1, false, false, 2, 1), ('none', 1, false, false, 0, 3), ('none', 2, false, false, 0, 0)
-- 2 of 3 done: a = b = c = 200/3
UNION ALL VALUES ('two_of_three', 1, true, true, 0, 0), ('two_of_three', 1, true, true, 0, 0),
                 ('two_of_three', 1, false, false, 0, 0)
-- E9: nothing assigned (zero weight)
UNION ALL VALUES ('zero_weight', 0, true, true, 0, 0), ('zero_weight', 0, false, false, 1, 1)
-- late events on a line that was not done
UNION ALL VALUES ('late_not_done', 1, false, false, 0, 3), ('late_not_done', 1, true, true, 0, 0)
-- CS2: January one line done, February three lines not done
UNION ALL VALUES ('jan', 1, true, true, 0, 0)
UNION ALL SELECT 'feb', 1, false, false, 0, 0 FROM generate_series(1, 3);

-- general lines: coef, assigned, completed, passed, quality_errors, late_events
CREATE TEMP TABLE kpi_line (name text, coef numeric, assigned numeric, completed numeric,
                            passed numeric, errors int, late int);
INSERT INTO kpi_line VALUES
	('over', 1, 10, 12, 12, 0, 0),            -- over-completion: 120%
	('multi_err', 2, 10, 10, 10, 2, 0),       -- quality credit 2 x (10 - 0.5) = 19 of 20
	('multi_late', 1, 4, 4, 4, 0, 2),         -- progress credit 4 - 0.5 = 3.5; strict 4 - 2 = 2
	('compensate', 1, 1, 3, 3, 0, 0),         -- 3 + 0 of 2 assigned: 150% before the cap
	('compensate', 1, 1, 0, 0, 0, 0),
	('exact', 1, 0.1, 0.1, 0.1, 0, 0),        -- 0.1 + 0.2 = 0.3 exactly
	('exact', 1, 0.2, 0.2, 0.2, 0, 0),
	('with_null', 1, 2, 1, 1, 0, 0),          -- a row with a NULL input is skipped
	('with_null', 5, 2, NULL, 1, 0, 0),
	('without_null', 1, 2, 1, 1, 0, 0);

CREATE TEMP TABLE kpi_t (name text PRIMARY KEY, t kpi.tally);
INSERT INTO kpi_t
SELECT name, kpi.tally_agg(coef, done, passed, errors, late) FROM kpi_unit_line GROUP BY name
UNION ALL
SELECT name, kpi.tally_agg(coef, assigned, completed, passed, errors, late) FROM kpi_line GROUP BY name
UNION ALL
SELECT 'E1_strict_rules', kpi.tally_agg(coef, done, passed, errors, late, '{"progress_reading": "strict"}')
FROM kpi_unit_line WHERE name = 'E1'
UNION ALL
SELECT 'E3_q50', kpi.tally_agg(coef, done, passed, errors, late, '{"quality_deduction": 0.5}')
FROM kpi_unit_line WHERE name = 'E3';

CREATE FUNCTION pg_temp.t(text) RETURNS kpi.tally
LANGUAGE sql STABLE AS $$ SELECT t FROM kpi_t WHERE name = $1 $$;

------------------------------------------------------------------------------
-- N0.1 points and percentages
------------------------------------------------------------------------------
SELECT results_eq(
	$$SELECT kpi.quantity_pct(pg_temp.t('over')), kpi.quality_pct(pg_temp.t('over')),
	         kpi.progress_pct(pg_temp.t('over'))$$,
	$$VALUES (100::numeric, 100::numeric, 100::numeric)$$,
	'N0.1 a, b, c of a 120% over-completed line are percentages, at most 100');
SELECT results_eq(
	$$SELECT kpi.quantity_pct(pg_temp.t('none')), kpi.quality_pct(pg_temp.t('none')),
	         kpi.progress_pct(pg_temp.t('none')), kpi.period_score(0, pg_temp.t('none'))$$,
	$$VALUES (0::numeric, 0::numeric, 0::numeric, 0::numeric)$$,
	'N0.1 nothing done (with failed reviews and late events): a = b = c = 0 and TOTAL 0, never negative');
SELECT results_eq(
	$$SELECT pg_typeof(kpi.quantity_pct(pg_temp.t('E1')))::text, pg_typeof(kpi.task_pct(pg_temp.t('E1')))::text,
	         pg_typeof(kpi.task_points(pg_temp.t('E1')))::text, pg_typeof(kpi.period_score(28, pg_temp.t('E1')))::text,
	         pg_typeof(kpi.general_points(ARRAY[5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5]))::text,
	         (SELECT pg_typeof(kpi.annual_score(x))::text FROM (VALUES (90.5)) v(x))$$,
	$$VALUES ('numeric', 'numeric', 'numeric', 'numeric', 'numeric', 'numeric')$$,
	'N0.1 every score and percentage is numeric');

------------------------------------------------------------------------------
-- N0.2 exactness
------------------------------------------------------------------------------
SELECT is((SELECT assigned FROM kpi.tally_components(pg_temp.t('exact'))), 0.3,
	'N0.2 0.1 + 0.2 summed as exactly 0.3 (binary floating point gives 0.30000000000000004)');
SELECT is(
	(SELECT kpi.tally_agg(coef, done, passed, errors, late ORDER BY coef DESC, late DESC)::text
	 FROM kpi_unit_line WHERE name = 'E2'),
	(SELECT kpi.tally_agg(coef, done, passed, errors, late ORDER BY coef, late)::text
	 FROM kpi_unit_line WHERE name = 'E2'),
	'N0.2 the same lines in another order give the same tally');
SELECT is(
	(SELECT kpi.rollup(t)::text FROM (SELECT kpi.tally_agg(coef, done, passed, errors, late) t
	                                  FROM kpi_unit_line WHERE name = 'E2' GROUP BY coef) s),
	pg_temp.t('E2')::text,
	'N0.2 tallies of parts rolled up = the tally of all lines (E2 split by coef)');

------------------------------------------------------------------------------
-- N0.3 rounding
------------------------------------------------------------------------------
-- G 20.005 + 0.70 x 100 = 90.005 exactly, a half: away from zero is 90.01
-- (the binary double nearest 90.005 is below it and would round to 90.00)
SELECT is(kpi.period_score(20.005, pg_temp.t('perfect'))::text, '90.01',
	'N0.3 an exact half (90.005) rounds away from zero to 90.01');
-- 2 of 3 done: KQ = 200/3, T = 46.6666..., TOTAL = 0.007 + 46.6666... = 46.67366...
-- -> 46.67; rounding KQ first (66.67 -> T 46.669 -> 46.676) would give 46.68
SELECT is(kpi.period_score(0.007, pg_temp.t('two_of_three'))::text, '46.67',
	'N0.3 intermediate values are not rounded: TOTAL 46.67, not 46.68');
SELECT is(round(kpi.task_points(pg_temp.t('two_of_three')), 12), 46.666666666667,
	'N0.3 task points T are returned unrounded (46.6666666666...)');
-- published 70.004, 70.004, 70.007 -> 70.00, 70.00, 70.01 -> mean 70.00333 -> 70.00
-- (the mean of the unrounded values is 70.005, which would give 70.01)
SELECT is((SELECT kpi.annual_score(x)::text FROM (VALUES (70.004), (70.004), (70.007)) v(x)), '70.00',
	'N0.3 the annual mean uses the published (rounded) period scores: 70.00, not 70.01');
-- E1 exact TOTAL = 28 + 0.7 x 267.5 / 3 = 90.41666...
SELECT results_eq(
	$$SELECT kpi.period_score(28, pg_temp.t('E1'), '{"rounding_scale": 0}')::text,
	         kpi.period_score(28, pg_temp.t('E1'), '{"rounding_scale": 4}')::text$$,
	$$VALUES ('90', '90.4167')$$,
	'N0.3/RS1 the rounding scale is a rule: E1 at 0 decimals 90, at 4 decimals 90.4167');
SELECT is(kpi.tier_of(89.995), 'xuat_sac'::kpi.tier,
	'N0.3 a score compared to a threshold is rounded first: 89.995 -> 90.00 -> excellent');

------------------------------------------------------------------------------
-- N0.4 NULL
------------------------------------------------------------------------------
SELECT results_eq(
	$$SELECT kpi.quantity_pct(pg_temp.t('zero_weight')), kpi.quality_pct(pg_temp.t('zero_weight')),
	         kpi.progress_pct(pg_temp.t('zero_weight')), kpi.task_pct(pg_temp.t('zero_weight')),
	         kpi.task_points(pg_temp.t('zero_weight')), kpi.period_score(30, pg_temp.t('zero_weight')),
	         kpi.period_score(30, pg_temp.t('zero_weight'), 100, 100, 100)$$,
	$$VALUES (NULL::numeric, NULL::numeric, NULL::numeric, NULL::numeric, NULL::numeric,
	          NULL::numeric, NULL::numeric)$$,
	'N0.4 nothing assigned: every percentage and score is NULL, not 0 and not 100');
SELECT is((SELECT lines FROM kpi.tally_components(pg_temp.t('zero_weight'))), 2::bigint,
	'N0.4 the zero-weight lines are still counted in the tally');
SELECT results_eq(
	$$SELECT (SELECT kpi.tally_agg(1, 1, 1, 1, 0, 0) FROM generate_series(1, 0))::text,
	         (SELECT kpi.tally_agg(1, true, true, 0, 0) FROM generate_series(1, 0))::text,
	         (SELECT kpi.rollup(t) FROM kpi_t WHERE false)::text,
	         (SELECT kpi.annual_score(x) FROM (VALUES (90.0)) v(x) WHERE false)::text$$,
	$$VALUES (NULL::text, NULL::text, NULL::text, NULL::text)$$,
	'N0.4 tally_agg, rollup and annual_score over no rows are NULL, like avg');
SELECT is(pg_temp.t('with_null')::text, pg_temp.t('without_null')::text,
	'N0.4 a task line with a NULL input is skipped, like built-in aggregates');
SELECT results_eq(
	$$SELECT (SELECT kpi.tally_agg(c, 1, 1, 1, 0, 0) FROM (VALUES (NULL::numeric), (NULL)) v(c))::text,
	         (SELECT kpi.annual_score(x) FROM (VALUES (NULL::numeric), (NULL)) v(x))::text$$,
	$$VALUES (NULL::text, NULL::text)$$,
	'N0.4 aggregates over rows that are all NULL are NULL');

-- In a moving window frame (ROWS n PRECEDING) a NULL row at the start of the
-- frame must be skipped too; PostgreSQL refuses a moving-aggregate transition
-- function that returns NULL (22004), so the state must stay a tally.  Run
-- under lives_ok so that a regression cannot abort the file.
CREATE TEMP TABLE kpi_win (i int, t text);
SELECT lives_ok(
	$$INSERT INTO kpi_win
	  SELECT i, (kpi.tally_agg(c, 1, 1, 1, 0, 0) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))::text
	  FROM (VALUES (1, NULL::numeric), (2, 1::numeric)) v(i, c)$$,
	'N0.4 moving tally_agg over a frame that starts with a NULL row runs');
SELECT results_eq(
	$$SELECT i, t FROM kpi_win ORDER BY i$$,
	$$VALUES (1, NULL::text), (2, (SELECT kpi.tally_agg(1, 1, 1, 1, 0, 0))::text)$$,
	'N0.4 moving tally_agg skips the NULL row: NULL, then the tally of one line');

------------------------------------------------------------------------------
-- N0.5 bad input: an error with a clear message and SQLSTATE, never a clamp
------------------------------------------------------------------------------
SELECT throws_ok($$SELECT kpi.tally_agg(-1, 1, 1, 1, 0, 0)$$,
	'22023', 'task line coef must not be negative', 'N0.5 negative weight (coef) is refused');
SELECT throws_ok($$SELECT kpi.tally_agg(-2, true, true, 0, 0)$$,
	'22023', 'task line coef must not be negative', 'N0.5 negative weight (coef) is refused, single-unit form');
SELECT throws_ok($$SELECT kpi.tally_agg(1, -1, 1, 1, 0, 0)$$,
	'22023', 'task line assigned_qty must not be negative', 'N0.5 negative assigned quantity is refused');
SELECT throws_ok($$SELECT kpi.tally_agg(1, 1, -0.5, 0, 0, 0)$$,
	'22023', 'task line completed_qty must not be negative', 'N0.5 negative completed quantity is refused');
SELECT throws_ok($$SELECT kpi.tally_agg(1, 1, 1, -1, 0, 0)$$,
	'22023', 'task line passed_qty must not be negative', 'N0.5 negative passed quantity is refused');
SELECT throws_ok($$SELECT kpi.tally_agg(1, 1, 1, 1, -1, 0)$$,
	'22023', 'task line quality_errors must not be negative', 'N0.5 negative count (quality_errors) is refused');
SELECT throws_ok($$SELECT kpi.tally_agg(1, true, true, 0, -2)$$,
	'22023', 'task line late_events must not be negative', 'N0.5 negative count (late_events) is refused');
SELECT throws_ok($$SELECT kpi.tally_agg('NaN', 1, 1, 1, 0, 0)$$,
	'22023', 'task line coef must be a finite number', 'N0.5 NaN is refused');
SELECT throws_ok($$SELECT kpi.tally_agg(1, 1, 'Infinity', 1, 0, 0)$$,
	'22023', 'task line completed_qty must be a finite number', 'N0.5 infinity is refused');
SELECT throws_ok($$SELECT kpi.tally_agg(1, '-Infinity', 1, 1, 0, 0)$$,
	'22023', 'task line assigned_qty must be a finite number', 'N0.5 minus infinity is refused');
SELECT throws_ok($$SELECT kpi.period_score('NaN', kpi.tally_agg(1, true, true, 0, 0))$$,
	'22023', 'general criteria points must be a finite number', 'N0.5 NaN general points are refused');
SELECT throws_ok($$SELECT kpi.tally_agg(1.00001, 1, 1, 1, 0, 0)$$,
	'22023', 'task line coef has more than 4 decimal places', 'N0.5 a fifth decimal is refused, not rounded');
SELECT throws_ok($$SELECT kpi.general_points(ARRAY[5.5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5])$$,
	'22023', 'general criteria mark 1 must be between 0 and 5', 'N0.5 a mark above its maximum (5) is refused');
SELECT throws_ok($$SELECT kpi.general_points(ARRAY[5, 5, 2.5001, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5])$$,
	'22023', 'general criteria mark 3 must be between 0 and 2.5', 'N0.5 a mark above its maximum (2.5) is refused');
SELECT throws_ok($$SELECT kpi.period_score(30.01, kpi.tally_agg(1, true, true, 0, 0))$$,
	'22023', 'general criteria points must be between 0 and 30', 'N0.5 general points above 30 are refused');
SELECT throws_ok($$SELECT kpi.tally_agg(1, 2, 1, 1.5, 0, 0)$$,
	'22023', 'task line passed_qty exceeds completed_qty', 'N0.5 passed > completed is refused');
SELECT throws_ok($$SELECT kpi.tally_agg(1, false, true, 0, 0)$$,
	'22023', 'task line is passed but not done', 'N0.5 passed but not done is refused (single-unit form)');
SELECT throws_ok($$SELECT 'garbage'::kpi.tally$$,
	'22P02', 'invalid input syntax for type kpi.tally: "garbage"', 'N0.5 malformed tally text is 22P02');
SELECT throws_ok($$SELECT '(lines=1,assigned=1)'::kpi.tally$$,
	'22P02', 'invalid input syntax for type kpi.tally: "(lines=1,assigned=1)"',
	'N0.5 tally text with missing fields is 22P02');
SELECT throws_ok(
	$$SELECT '(lines=1,assigned=1,quantity=1,quality=2,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally$$,
	'22P02', 'invalid kpi.tally value', 'N0.5 a tally no task lines could produce (quality > quantity) is 22P02');
SELECT throws_ok($$SELECT kpi.tally_agg(1, 1e12, 1, 1, 0, 0)$$,
	'22003', 'task line assigned_qty is out of range', 'N0.5 an input of 1e12 or more is an overflow (22003)');
SELECT throws_ok(
	$$SELECT '(lines=9223372036854775808,assigned=1,quantity=1,quality=1,progress=1,progress_strict=1,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally$$,
	'22003', 'kpi.tally count is out of range', 'N0.5 a tally line count beyond bigint is an overflow (22003)');
SELECT throws_ok(
	$$SELECT kpi.rollup(t) FROM (VALUES
	  ('(lines=2000000,assigned=1000000000000000000000000000000,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally),
	  ('(lines=2000000,assigned=1000000000000000000000000000000,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally)) v(t)$$,
	'22003', 'kpi.tally assigned weight is out of range', 'N0.5 a sum beyond 128 bits is an overflow (22003), not a wrap');
SELECT throws_ok(
	$$SELECT kpi.rollup(t) FROM (VALUES
	  ('(lines=9223372036854775807,assigned=1,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally),
	  ('(lines=1,assigned=1,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)'::kpi.tally)) v(t)$$,
	'22003', 'kpi.tally count is out of range', 'N0.5 a line count beyond bigint is an overflow (22003)');
SELECT throws_ok($$SELECT kpi.tier_of(100.01)$$,
	'22023', 'kpi score must be between 0 and 100', 'N0.5 a score above 100 is refused');
SELECT throws_ok($$SELECT kpi.tier_of(-1)$$,
	'22023', 'kpi score must be between 0 and 100', 'N0.5 a negative score is refused');
SELECT throws_ok($$SELECT kpi.tier_of(100.004)$$,
	'22023', 'kpi score must be between 0 and 100', 'N0.5 a score above 100 is refused, not rounded into range');
SELECT throws_ok($$SELECT kpi.annual_score(x) FROM (VALUES (101)) v(x)$$,
	'22023', 'kpi period score must be between 0 and 100', 'N0.5 a period score above 100 is refused');
SELECT throws_ok($$SELECT kpi.effective_rules('{"foo": 1}')$$,
	'22023', 'unknown kpi rules key "foo"', 'N0.5 an unknown rules key is refused');
SELECT throws_ok($$SELECT kpi.tally_agg(1, 1, 1, 1, 0, 0, '{"quality_deduction": 1.5}')$$,
	'22023', 'invalid value for kpi rules key "quality_deduction"', 'N0.5 a deduction rate above 1 is refused');
SELECT throws_ok($$SELECT kpi.tier_label('tot', 'fr')$$,
	'22023', 'unknown tier label language "fr"', 'N0.5 an unknown label language is refused');

------------------------------------------------------------------------------
-- CS1 scale: TOTAL = G (0..30) + T (0..70)
------------------------------------------------------------------------------
SELECT is(kpi.period_score(30, pg_temp.t('perfect'))::text, '100.00', 'CS1 G 30 + T 70 = 100.00');
SELECT is(kpi.period_score(0, pg_temp.t('perfect'))::text, '70.00', 'CS1 G 0 + T 70 = 70.00');
SELECT is(kpi.period_score(30, pg_temp.t('none'))::text, '30.00', 'CS1 G 30 + T 0 = 30.00');
SELECT is(kpi.task_points(pg_temp.t('perfect')), 70::numeric, 'CS1 task results are at most 70 points');
SELECT results_eq(
	$$SELECT (kpi.effective_rules() ->> 'general_points')::numeric, (kpi.effective_rules() ->> 'task_points')::numeric$$,
	$$VALUES (30::numeric, 70::numeric)$$,
	'CS1/RS1 the default rule set splits 30 general + 70 task points');
SELECT throws_ok($$SELECT kpi.effective_rules('{"general_points": 20}')$$,
	'22023', 'kpi rules general_points and task_points must add up to 100',
	'CS1 a rule set whose split does not add up to 100 is refused');
-- a 40 / 60 split: G 40 + 0.60 x 100 = 100.00; G 20 + 0.60 x 200/3 = 60.00
SELECT results_eq(
	$$SELECT kpi.period_score(40, pg_temp.t('perfect'), '{"general_points": 40, "task_points": 60}')::text,
	         kpi.period_score(20, pg_temp.t('two_of_three'), '{"general_points": 40, "task_points": 60}')::text$$,
	$$VALUES ('100.00', '60.00')$$,
	'CS1/RS1 another split (40 + 60) is a rule: 100.00 and 60.00');

------------------------------------------------------------------------------
-- CS2 periods: the caller chooses the lines of a period
------------------------------------------------------------------------------
-- January 1 of 1 done, February 0 of 3: the quarter has 1 of 4 done, a = 25
-- (not the mean of the monthly 100 and 0)
SELECT is(kpi.quantity_pct(kpi.rollup(t)), 25::numeric,
	'CS2 a quarter from its months: a = 1 of 4 = 25, not the mean of 100 and 0')
FROM kpi_t WHERE name IN ('jan', 'feb');
SELECT is((SELECT kpi.rollup(t)::text FROM kpi_t WHERE name IN ('jan', 'feb')),
	(SELECT kpi.tally_agg(coef, done, passed, errors, late)::text FROM kpi_unit_line WHERE name IN ('jan', 'feb')),
	'CS2 the quarter''s tally from the monthly tallies = the tally of the quarter''s lines');

------------------------------------------------------------------------------
-- CS3 general criteria: 10 marks of the form, each within its maximum
------------------------------------------------------------------------------
SELECT is(kpi.general_points(ARRAY[5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5]), 30::numeric,
	'CS3 every mark at its maximum (5 + 5 + 8 x 2.5) gives G = 30');
-- 4.5 + 5 + 2 + 2.5 + 2.5 + 2.5 + 2 + 2.5 + 2.5 + 1.75 = 27.75
SELECT is(kpi.general_points(ARRAY[4.5, 5, 2, 2.5, 2.5, 2.5, 2, 2.5, 2.5, 1.75]), 27.75,
	'CS3 G is the sum of the marks: 27.75');
SELECT is(kpi.general_points(ARRAY[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]::numeric[]), 0::numeric, 'CS3 all marks 0 give G = 0');
SELECT results_eq(
	$$SELECT kpi.effective_rules() -> 'general_marks_max'$$,
	$$VALUES ('[5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5]'::jsonb)$$,
	'CS3 the default form: group I 5 + 5, group II 4 x 2.5, group III 4 x 2.5');
SELECT throws_ok($$SELECT kpi.general_points(ARRAY[5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5])$$,
	'22023', 'general criteria form has 10 marks, not 9', 'CS3 a form with 9 marks is refused');
SELECT throws_ok($$SELECT kpi.general_points(ARRAY[5, NULL, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5])$$,
	'22004', 'general criteria mark 2 is null', 'CS3 a missing mark is refused');
SELECT throws_ok($$SELECT kpi.general_points(ARRAY[5, -1, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5])$$,
	'22023', NULL, 'CS3 a negative mark is refused');
-- another form: maxima 10, 10, 10 (sum 30); marks 10 + 9.5 + 0 = 19.5
SELECT is(kpi.general_points(ARRAY[10, 9.5, 0], '{"general_marks_max": [10, 10, 10]}'), 19.5,
	'CS3/RS1 the form is a rule: 3 marks of 10 give 19.5');

------------------------------------------------------------------------------
-- CS4 task lines
------------------------------------------------------------------------------
SELECT is((SELECT kpi.tally_agg(1, true, true, 2, 1))::text, (SELECT kpi.tally_agg(1, 1, 1, 1, 2, 1))::text,
	'CS4 a single-unit line = a line with assigned 1, completed 1, passed 1');
SELECT is((SELECT kpi.tally_agg(1, true, false, 3, 0))::text, (SELECT kpi.tally_agg(1, 1, 1, 0, 3, 0))::text,
	'CS4 a single-unit line done but not passed = completed 1, passed 0');
SELECT is((SELECT kpi.tally_agg(1, false, false, 0, 2))::text, (SELECT kpi.tally_agg(1, 1, 0, 0, 0, 2))::text,
	'CS4 a single-unit line not done = assigned 1, completed 0');
SELECT results_eq(
	$$SELECT lines, assigned, quantity_credit, quality_errors, late_events
	  FROM kpi.tally_components(pg_temp.t('E2'))$$,
	$$VALUES (13::bigint, 42::numeric, 26::numeric, 1::bigint, 0::bigint)$$,
	'CS4 E2: coefficients convert to standard products: 13 lines, 42 assigned, 26 completed, 1 failed review');
SELECT results_eq(
	$$SELECT assigned, quantity_credit, quality_credit FROM kpi.tally_components(pg_temp.t('over'))$$,
	$$VALUES (10::numeric, 12::numeric, 12::numeric)$$,
	'CS4 over-completion (12 of 10) is kept in the tally');
SELECT results_eq(
	$$SELECT quality_errors, late_events FROM kpi.tally_components(pg_temp.t('E1'))$$,
	$$VALUES (0::bigint, 2::bigint)$$,
	'CS4 E1: the tally counts 0 failed reviews and 2 late events');

------------------------------------------------------------------------------
-- CS5 quantity a = 100 x sum(coef x completed) / sum(coef x assigned)
------------------------------------------------------------------------------
SELECT is(kpi.quantity_pct(pg_temp.t('E1')), 90::numeric, 'CS5 E1: a = 18 / 20 = 90');
SELECT is(round(kpi.quantity_pct(pg_temp.t('E2')), 4), 61.9048, 'CS5 E2: a = 26 / 42 = 61.9048');
SELECT is(round(kpi.quantity_pct(pg_temp.t('E2')), 15), 61.904761904761905,
	'CS5 E2: a = 61.904761904761905 to 15 decimals');
SELECT is(kpi.quantity_pct(pg_temp.t('jan')), 100::numeric, 'CS5 one line of one done: a = 100');

------------------------------------------------------------------------------
-- CS6 quality b: each failed review costs 0.25 of that line's product
------------------------------------------------------------------------------
SELECT is(kpi.quality_pct(pg_temp.t('E1')), 90::numeric, 'CS6 E1: all 18 pass first time, b = 90');
-- (10 + 8 + 8 x 0.75) / 42 = 24 / 42
SELECT is(round(kpi.quality_pct(pg_temp.t('E2')), 4), 57.1429, 'CS6 E2: b = 24 / 42 = 57.1429');
-- (3 + 1 - 0.5) / 4
SELECT is(kpi.quality_pct(pg_temp.t('E3')), 87.5, 'CS6 E3: one line failed 2 reviews, b = 3.5 / 4 = 87.5');
SELECT is(kpi.quality_pct(pg_temp.t('E3_5')), 75::numeric, 'CS6 E3: with 5 failures that line''s credit is 0, b = 75');
-- 2 x (10 - 2 x 0.25) / (2 x 10)
SELECT is(kpi.quality_pct(pg_temp.t('multi_err')), 95::numeric,
	'CS6 a 10-unit line with 2 failed reviews loses 0.5 unit: b = 19 / 20 = 95');
-- quality_deduction 0.5: (3 + 1 - 1) / 4 = 75
SELECT is(kpi.quality_pct(pg_temp.t('E3_q50'), '{"quality_deduction": 0.5}'), 75::numeric,
	'CS6/RS1 the deduction is a rule: at 0.5 per failure E3 gives b = 75');
SELECT throws_ok($$SELECT kpi.quality_pct(pg_temp.t('E3'), '{"quality_deduction": 0.5}')$$,
	'22023', 'kpi rules quality_deduction 0.5 differs from the 0.25 the tally was summed with',
	'CS6 a tally summed at 0.25 cannot be read at another quality deduction');
SELECT throws_ok(
	$$SELECT kpi.rollup(t) FROM kpi_t WHERE name IN ('E3', 'E3_q50')$$,
	'22023', 'cannot merge kpi.tally values summed with different deduction rates',
	'CS6 tallies summed at different deduction rates cannot be merged');

------------------------------------------------------------------------------
-- CS7 progress c: each late event costs 0.25 of that line's product
------------------------------------------------------------------------------
-- (16 + 2 x 0.75) / 20
SELECT is(kpi.progress_pct(pg_temp.t('E1')), 87.5, 'CS7 E1: c = (16 + 2 x 0.75) / 20 = 87.5');
SELECT is(kpi.progress_pct(pg_temp.t('E1'), '{"progress_reading": "strict"}'), 80::numeric,
	'CS7 strict reading: E1 c = 16 / 20 = 80');
SELECT is(kpi.progress_pct(pg_temp.t('E1_strict_rules'), '{"progress_reading": "strict"}'), 80::numeric,
	'CS7 strict reading passed to tally_agg and to the accessor: E1 c = 80');
SELECT is(round(kpi.progress_pct(pg_temp.t('E2')), 4), 61.9048, 'CS7 E2: all on time, c = 26 / 42 = 61.9048');
SELECT is(kpi.progress_pct(pg_temp.t('multi_late')), 87.5,
	'CS7 a 4-unit line late twice: c = (4 - 0.5) / 4 = 87.5');
SELECT is(kpi.progress_pct(pg_temp.t('multi_late'), '{"progress_reading": "strict"}'), 50::numeric,
	'CS7 strict reading: a 4-unit line late twice keeps 2 on-time units, c = 50');
SELECT is(kpi.progress_pct(pg_temp.t('late_not_done')), 50::numeric,
	'CS7 late events on a line not done cost nothing more: c = 1 / 2 = 50');
-- progress_deduction 0.5: (16 + 2 x 0.5) / 20 = 85
SELECT is((SELECT kpi.progress_pct(kpi.tally_agg(coef, done, passed, errors, late, '{"progress_deduction": 0.5}'),
	                               '{"progress_deduction": 0.5}')
	       FROM kpi_unit_line WHERE name = 'E1'), 85::numeric,
	'CS7/RS1 the deduction is a rule: at 0.5 per late event E1 gives c = 85');

------------------------------------------------------------------------------
-- CS8 caps at 100, uncapped ratios available, no negative credit
------------------------------------------------------------------------------
SELECT is(kpi.quantity_pct(pg_temp.t('over')), 100::numeric, 'CS8 120% completed: a capped at 100');
SELECT results_eq(
	$$SELECT kpi.quantity_pct(pg_temp.t('over'), '{"cap": false}'), kpi.quality_pct(pg_temp.t('over'), '{"cap": false}'),
	         kpi.progress_pct(pg_temp.t('over'), '{"cap": false}')$$,
	$$VALUES (120::numeric, 120::numeric, 120::numeric)$$,
	'CS8 uncapped ratios ("cap": false): a = b = c = 120');
SELECT results_eq(
	$$SELECT kpi.quantity_pct(pg_temp.t('compensate')), kpi.quantity_pct(pg_temp.t('compensate'), '{"cap": false}')$$,
	$$VALUES (100::numeric, 150::numeric)$$,
	'CS8 the cap applies to the ratio of sums (3 of 2 assigned: 150 -> 100)');
-- G 0 + 0.70 x 100 = 70.00 (uncapped, 0.70 x 120 would be 84)
SELECT is(kpi.period_score(0, pg_temp.t('over'))::text, '70.00',
	'CS8 over-completion never lifts T above 70');
SELECT is(kpi.quality_pct(pg_temp.t('E3_4')), 75::numeric,
	'CS8 4 failures on one unit: credit max(0, 1 - 1) = 0, b = 75');
SELECT is(kpi.quality_pct(pg_temp.t('E3_6')), 75::numeric,
	'CS8 6 failures on one unit: credit max(0, 1 - 1.5) = 0, not negative, b = 75 (not 62.5)');
SELECT is((SELECT quality_credit FROM kpi.tally_components(pg_temp.t('E3_6'))), 3::numeric,
	'CS8 the line with 6 failures adds 0 quality credit, never a negative amount');

------------------------------------------------------------------------------
-- CS9 KQ = (a + b + c) / 3, leaders / 6; T = 0.70 x KQ
------------------------------------------------------------------------------
-- E1: (90 + 90 + 87.5) / 3 = 89.1666..., T = 62.41666...
SELECT is(round(kpi.task_pct(pg_temp.t('E1')), 4), 89.1667, 'CS9 E1: KQ = 89.1667');
SELECT is(round(kpi.task_points(pg_temp.t('E1')), 4), 62.4167, 'CS9 E1: T = 0.70 x KQ = 62.4167');
-- E2: (26 + 24 + 26) / 126 x 100 = 60.3174603...
SELECT is(round(kpi.task_pct(pg_temp.t('E2')), 4), 60.3175, 'CS9 E2: KQ = (61.9048 + 57.1429 + 61.9048) / 3 = 60.3175');
SELECT is(kpi.task_pct(pg_temp.t('perfect')), 100::numeric, 'CS9 a = b = c = 100: KQ = 100');
-- E4 leader: (100 + 100 + 100 + 50 + 100 + 100) / 6 = 91.666...
SELECT is(round(kpi.task_pct(pg_temp.t('perfect'), 50, 100, 100), 4), 91.6667, 'CS9 E4 leader: KQ = 550 / 6 = 91.6667');
SELECT is(round(kpi.task_points(pg_temp.t('perfect'), 50, 100, 100), 4), 64.1667, 'CS9 E4 leader: T = 64.1667');
-- leader with a = b = c = 200/3 and d = dd = e = 100: (200 + 300) / 6 = 83.333...
SELECT is(round(kpi.task_pct(pg_temp.t('two_of_three'), 100, 100, 100), 4), 83.3333,
	'CS9 leader with a = b = c = 66.67 and d = dd = e = 100: KQ = 83.3333');

------------------------------------------------------------------------------
-- CS10 leaders' criteria d, dd, e are 100 or 50; d from the unit's results
------------------------------------------------------------------------------
SELECT throws_ok($$SELECT kpi.task_pct(pg_temp.t('perfect'), 75, 100, 100)$$,
	'22023', 'leader criterion d must be 100 or 50', 'CS10 d must be 100 or 50');
SELECT throws_ok($$SELECT kpi.period_score(20, pg_temp.t('perfect'), 100, 100, 49)$$,
	'22023', 'leader criterion e must be 100 or 50', 'CS10 e must be 100 or 50');
SELECT throws_ok($$SELECT kpi.period_score(20, pg_temp.t('zero_weight'), 100, 0, 100)$$,
	'22023', 'leader criterion dd must be 100 or 50', 'CS10 dd is checked even when the period is not scored');
-- dd = 50: (300 + 100 + 50 + 100) / 6 = 91.666...; d = e = 50: (300 + 50 + 100 + 50) / 6 = 83.333...
SELECT results_eq(
	$$SELECT kpi.period_score(29, pg_temp.t('perfect'), 100, 50, 100)::text,
	         kpi.period_score(29, pg_temp.t('perfect'), 50, 100, 50)::text$$,
	$$VALUES ('93.17', '87.33')$$,
	'CS10 dd = 50 gives 29 + 64.1667 = 93.17; d = e = 50 gives 29 + 58.3333 = 87.33');
SELECT is((SELECT kpi.unit_result(x) FROM (VALUES (50.00), (80), (99.5)) v(x)), 100::numeric,
	'CS10 d = 100 when every subordinate scored at least 50');
SELECT is((SELECT kpi.unit_result(x) FROM (VALUES (49.99), (80), (99.5)) v(x)), 50::numeric,
	'CS10 d = 50 when a subordinate scored below 50 (49.99)');
SELECT is((SELECT kpi.unit_result(x) FROM (VALUES (49.995), (80)) v(x)), 100::numeric,
	'CS10/N0.3 a subordinate at 49.995 is published as 50.00: d = 100');
SELECT is((SELECT kpi.unit_result(x) FROM (VALUES (1.0)) v(x) WHERE false), 100::numeric,
	'CS10 d = 100 when the leader manages nobody (Default)');
SELECT is((SELECT kpi.unit_result(x) FROM (VALUES (NULL::numeric), (NULL)) v(x)), 100::numeric,
	'CS10/N0.4 subordinates not scored (NULL) are left out: d = 100');
SELECT is((SELECT kpi.unit_result(x, '{"threshold_complete": 60}') FROM (VALUES (55), (80)) v(x)), 50::numeric,
	'CS10/RS1 d follows the rule set''s "complete" threshold (55 < 60: d = 50)');

------------------------------------------------------------------------------
-- CS11 period total = G + 0.70 x KQ, rounded to 2 decimals
------------------------------------------------------------------------------
-- E1: 28 + 62.41666... = 90.41666... -> 90.42
SELECT is(kpi.period_score(28, pg_temp.t('E1'))::text, '90.42', 'CS11 E1: TOTAL = 28 + 62.4167 = 90.42');
-- E1 strict: 28 + 0.7 x 260 / 3 = 88.6666... -> 88.67
SELECT is(kpi.period_score(28, pg_temp.t('E1'), '{"progress_reading": "strict"}')::text, '88.67',
	'CS11 E1 strict reading: TOTAL = 88.67');
-- E2: 27 + 0.7 x 76 / 126 x 100 = 27 + 42.2222... = 69.2222... -> 69.22
SELECT is(kpi.period_score(27, pg_temp.t('E2'))::text, '69.22', 'CS11 E2: TOTAL = 27 + 42.2222 = 69.22');
-- E4: 29 + 64.1666... = 93.1666... -> 93.17
SELECT is(kpi.period_score(29, pg_temp.t('perfect'), 50, 100, 100)::text, '93.17',
	'CS11 E4 leader: TOTAL = 29 + 64.1667 = 93.17');
SELECT is(scale(kpi.period_score(30, pg_temp.t('perfect'))), 2, 'CS11 a period total has exactly 2 decimals (100.00)');
SELECT is(kpi.period_score(kpi.general_points(ARRAY[4.5, 5, 2, 2.5, 2.5, 2.5, 2, 2.5, 2.5, 1.75]), pg_temp.t('E1'))::text,
	'90.17', 'CS3 + CS11 G from the form (27.75) + T of E1 (62.4167) = 90.17');

------------------------------------------------------------------------------
-- CS12 annual score: mean of the scored period totals
------------------------------------------------------------------------------
-- E5: 1087.5 / 12 = 90.625 -> 90.63
SELECT is((SELECT kpi.annual_score(x)::text FROM (VALUES (92), (88), (95), (90.5), (87), (91), (93), (89), (90),
	                                                   (94), (86), (92)) v(x)), '90.63',
	'CS12 E5: the mean of the 12 monthly totals is 90.625 -> 90.63');
-- E9: 11 months at 30 + 0.7 x 200/3 = 76.6666... -> 76.67 each, March not scored -> 76.67
SELECT is((SELECT kpi.annual_score(kpi.period_score(30, t))::text
	       FROM (SELECT m, CASE WHEN m = 3 THEN pg_temp.t('zero_weight')
	                            ELSE pg_temp.t('two_of_three') END AS t
	             FROM generate_series(1, 12) m) s),
	'76.67',
	'CS12 E9: March (nothing assigned) is not scored and left out: mean of 11 x 76.67 = 76.67');
SELECT is((SELECT kpi.annual_score(x)::text FROM (VALUES (80), (80), (NULL), (80), (80), (80), (80), (80), (80),
	                                                   (80), (80), (80)) v(x)), '80.00',
	'CS12 E9: 11 periods at 80 and one NULL: 80.00, not 73.33 or 81.67');
-- a period scored at a previous agency is one more row: (90 + 91) / 2 = 90.50
SELECT is((SELECT kpi.annual_score(x)::text FROM (SELECT 90 UNION ALL SELECT 91) v(x)), '90.50',
	'CS12 periods from two agencies average together: (90 + 91) / 2 = 90.50');
SELECT is((SELECT kpi.annual_score(x)::text FROM (VALUES (70), (70), (71)) v(x)), '70.33',
	'CS12 the annual mean is rounded per N0.3: 211 / 3 = 70.333... -> 70.33');
SELECT is((SELECT kpi.annual_score(x)::text FROM (VALUES (70.01), (70.00)) v(x)), '70.01',
	'CS12 the annual mean rounds half away from zero: 70.005 -> 70.01');

------------------------------------------------------------------------------
-- CS13 tiers on the rounded score, lower bounds inclusive
------------------------------------------------------------------------------
SELECT results_eq(
	$$SELECT s, kpi.tier_of(s::numeric) FROM (VALUES
	    (1, '100'), (2, '90.00'), (3, '89.995'), (4, '89.99'), (5, '89.9949'), (6, '70.00'), (7, '69.995'),
	    (8, '69.99'), (9, '69.9949'), (10, '50.00'), (11, '49.995'), (12, '49.99'), (13, '49.9949'), (14, '0')) v(i, s)
	  ORDER BY i$$,
	$$VALUES ('100', 'xuat_sac'::kpi.tier), ('90.00', 'xuat_sac'), ('89.995', 'xuat_sac'), ('89.99', 'tot'),
	         ('89.9949', 'tot'), ('70.00', 'tot'), ('69.995', 'tot'), ('69.99', 'hoan_thanh'),
	         ('69.9949', 'hoan_thanh'), ('50.00', 'hoan_thanh'), ('49.995', 'hoan_thanh'),
	         ('49.99', 'khong_hoan_thanh'), ('49.9949', 'khong_hoan_thanh'), ('0', 'khong_hoan_thanh')$$,
	'CS13 every tier boundary, on the score rounded to 2 decimals');
SELECT is(kpi.tier_of(90.00), 'xuat_sac'::kpi.tier, 'CS13 E8: 90.00 is excellent');
SELECT is(kpi.tier_of(89.99), 'tot'::kpi.tier, 'CS13 E8: 89.99 is good');
SELECT is(kpi.tier_of(89.995), 'xuat_sac'::kpi.tier, 'CS13 E8: 89.995 rounds to 90.00, excellent');
SELECT is(kpi.tier_of(70.00), 'tot'::kpi.tier, 'CS13 E8: 70.00 is good');
SELECT is(kpi.tier_of(69.99), 'hoan_thanh'::kpi.tier, 'CS13 E8: 69.99 is complete');
SELECT is(kpi.tier_of(50.00), 'hoan_thanh'::kpi.tier, 'CS13 E8: 50.00 is complete');
SELECT is(kpi.tier_of(49.99), 'khong_hoan_thanh'::kpi.tier, 'CS13 E8: 49.99 is not complete');
SELECT is(kpi.tier_of(kpi.period_score(28, pg_temp.t('E1'))), 'xuat_sac'::kpi.tier, 'CS13 E1: 90.42 is excellent');
SELECT is(kpi.tier_of(kpi.period_score(28, pg_temp.t('E1'), '{"progress_reading": "strict"}')), 'tot'::kpi.tier,
	'CS13 E1 strict reading: 88.67 is good (the reading changes the tier)');
SELECT is(kpi.tier_of(kpi.period_score(27, pg_temp.t('E2'))), 'hoan_thanh'::kpi.tier, 'CS13 E2: 69.22 is complete');
SELECT is(kpi.tier_of(kpi.period_score(29, pg_temp.t('perfect'), 50, 100, 100)), 'xuat_sac'::kpi.tier,
	'CS13 E4: 93.17 is excellent');
SELECT results_eq(
	$$SELECT kpi.tier_of(x, false, '{"threshold_excellent": 85, "threshold_good": 65, "threshold_complete": 45}')
	  FROM (VALUES (1, 88.67), (2, 84.99), (3, 65), (4, 64.99), (5, 45), (6, 44.995), (7, 44.99)) v(i, x) ORDER BY i$$,
	$$VALUES ('xuat_sac'::kpi.tier), ('tot'), ('tot'), ('hoan_thanh'), ('hoan_thanh'), ('hoan_thanh'), ('khong_hoan_thanh')$$,
	'CS13/RS1 thresholds are rules: 85 / 65 / 45');
SELECT results_eq(
	$$SELECT kpi.tier_label(t) FROM unnest(enum_range(NULL::kpi.tier)) t$$,
	$$VALUES ('Không hoàn thành nhiệm vụ'), ('Hoàn thành nhiệm vụ'), ('Hoàn thành tốt nhiệm vụ'),
	         ('Hoàn thành xuất sắc nhiệm vụ')$$,
	'CS13 the official Vietnamese tier names');
SELECT is((SELECT count(DISTINCT kpi.tier_label(t, 'en')) FROM unnest(enum_range(NULL::kpi.tier)) t), 4::bigint,
	'CS13 four distinct English tier names');

------------------------------------------------------------------------------
-- CS14 disqualifiers: not complete regardless of score
------------------------------------------------------------------------------
SELECT is(kpi.tier_of(kpi.period_score(29, pg_temp.t('perfect'), 50, 100, 100), true), 'khong_hoan_thanh'::kpi.tier,
	'CS14 E4 with a corruption case in the unit: not complete');
SELECT is(kpi.tier_of(93, true), 'khong_hoan_thanh'::kpi.tier, 'CS14 E7: annual 93 with a reprimand: not complete');
SELECT is(kpi.tier_of(93), 'xuat_sac'::kpi.tier, 'CS14 E7 without the reprimand: 93 is excellent');
SELECT is((SELECT kpi.annual_score(x)::text FROM (VALUES (93)) v(x)), '93.00',
	'CS14 E7: the numeric score stays visible (93.00)');
SELECT is(kpi.tier_of(100, true), 'khong_hoan_thanh'::kpi.tier, 'CS14 disqualified at 100: not complete');
SELECT is(kpi.tier_of(10, true), 'khong_hoan_thanh'::kpi.tier, 'CS14 disqualified at 10: not complete');
SELECT is(kpi.tier_of(75, false), 'tot'::kpi.tier, 'CS14 disqualified = false leaves the tier to the score');
-- which records disqualify (kpi.disqualifies, per the CS14 list)
SELECT is(kpi.disqualifies('degradation'), true,
	'CS14 a conclusion of political, ethical or lifestyle degradation disqualifies');
SELECT is(kpi.disqualifies('discipline', 'khien_trach', true), true,
	'CS14 a reprimand (the lightest form) for a duty-related violation disqualifies');
SELECT is(kpi.disqualifies('discipline', 'buoc_thoi_viec', true), true,
	'CS14 a heavier form for a duty-related violation disqualifies');
SELECT is(kpi.disqualifies('discipline', 'canh_cao', false), false,
	'CS14 discipline for a violation not related to duty does not disqualify');
SELECT is(kpi.disqualifies('unit_corruption', is_leader => true), true,
	'CS14 corruption handled in the unit in a leader''s direct charge disqualifies the leader');
SELECT is(kpi.disqualifies('unit_corruption', is_leader => false), false,
	'CS14 corruption in the unit does not disqualify a civil servant who is not its leader');
SELECT is(kpi.tier_of(kpi.period_score(29, pg_temp.t('perfect'), 50, 100, 100),
	                  kpi.disqualifies('unit_corruption', is_leader => true)),
	'khong_hoan_thanh'::kpi.tier, 'CS14 E4: the leader''s unit corruption case makes 93.17 not complete');

SELECT * FROM finish();
ROLLBACK;
