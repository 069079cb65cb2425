-- test/pgtap/seal_text.sql
-- kpi.seal_array_text (issue 15) prints, in C, what jsonb_build_array(...)::text
-- prints for the scalar types the run seals use: over 5,000 random rows of
-- integers, numerics (random scale, sign and size; NaN, infinities), booleans,
-- dates (infinities too), text needing JSON escapes and NULLs, the two texts
-- are the same byte for byte; other types are refused; and the seal of a run
-- still verifies.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS kpi_eval_reference CASCADE;
SET client_min_messages = error;

SELECT plan(10);

SELECT setseed(0.41);

CREATE FUNCTION pg_temp.rnum() RETURNS numeric LANGUAGE sql VOLATILE AS $$
	SELECT CASE WHEN r < 0.05 THEN NULL
	            WHEN r < 0.07 THEN 'NaN'::numeric
	            WHEN r < 0.08 THEN 'Infinity'::numeric
	            WHEN r < 0.09 THEN '-Infinity'::numeric
	            ELSE round(((random() - 0.4) * 10 ^ (floor(random() * 30)))::numeric,
	                       CASE WHEN random() < 0.05 THEN 40 ELSE floor(random() * 9)::int END) END
	FROM (SELECT random() AS r) s
$$;
CREATE FUNCTION pg_temp.rtext() RETURNS text LANGUAGE sql VOLATILE AS $$
	SELECT CASE WHEN r < 0.1 THEN NULL
	            WHEN r < 0.2 THEN ''
	            ELSE (SELECT string_agg(chr((ARRAY[34, 92, 10, 9, 13, 8, 12, 1, 31, 47, 65, 97, 272, 7887, 128512])
	                                        [1 + floor(random() * 15)::int]), '')
	                  FROM generate_series(0, floor(r * 12)::int)) END
	FROM (SELECT random() AS r) s
$$;

CREATE TEMP TABLE v AS
SELECT g AS id,
       CASE WHEN random() < 0.1 THEN NULL ELSE floor((random() - 0.5) * 2 ^ 62)::bigint END AS i8,
       CASE WHEN random() < 0.1 THEN NULL ELSE floor((random() - 0.5) * 2 ^ 31)::int END AS i4,
       CASE WHEN random() < 0.1 THEN NULL ELSE floor((random() - 0.5) * 2 ^ 15)::smallint END AS i2,
       pg_temp.rnum() AS n1, pg_temp.rnum() AS n2,
       CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.5 END AS b,
       CASE WHEN random() < 0.05 THEN NULL WHEN random() < 0.02 THEN 'infinity'::date
            WHEN random() < 0.02 THEN '-infinity'::date
            ELSE date '2026-01-01' + floor((random() - 0.5) * 400000)::int END AS d,
       pg_temp.rtext() AS t, pg_temp.rtext()::varchar AS vc
FROM generate_series(1, 5000) g;

SELECT ok((SELECT count(*) FILTER (WHERE n1 = 'NaN') > 50 AND count(*) FILTER (WHERE n1 = 'Infinity') > 20
                  AND count(*) FILTER (WHERE t ~ '["\\]') > 1000 AND count(*) FILTER (WHERE d = 'infinity') > 20
                  AND count(*) FILTER (WHERE d < '0001-01-01') > 50 FROM v),
	'5,000 random rows, with NaN, infinities, dates before Christ and strings to escape');
SELECT is((SELECT count(*) FROM v
           WHERE kpi.seal_array_text(v.id, v.i8, v.i4, v.i2, v.n1, v.n2, v.b, v.d, v.t, v.vc, NULL::text, 'x')
                 IS DISTINCT FROM jsonb_build_array(v.id, v.i8, v.i4, v.i2, v.n1, v.n2, v.b, v.d, v.t, v.vc, NULL::text, 'x')::text),
          0::bigint,
	'kpi.seal_array_text is jsonb_build_array(...)::text, byte for byte');
SELECT is(kpi.seal_array_text(1, E'a"b\\c\n\u0001', 'NaN'::numeric, 2.50, true, date '2026-03-01', NULL::bigint),
          E'[1, "a\\"b\\\\c\\n\\u0001", "NaN", 2.50, true, "2026-03-01", null]',
	'kpi.seal_array_text: JSON strings escaped, NaN as a string, the scale kept, ISO dates');
SELECT is((SELECT count(*) FROM (VALUES (0::numeric), (0.00), (-0.5), (0.0001), (9223372036854775807),
                                         (-9223372036854775807), (9223372036854775808), (-9223372036854775808),
                                         (922337203685477580.7), (0.9223372036854775807), (1e-252), (1e-253),
                                         (round(7::numeric, 252)), (round(7::numeric, 253)), (1e18), (1e19)) x(n)
           WHERE kpi.seal_array_text(x.n, -x.n) IS DISTINCT FROM jsonb_build_array(x.n, -x.n)::text), 0::bigint,
	'numerics at the int64 and scale edges of the digits path print as numeric_out prints them');
SELECT ok(kpi.seal_array_text(VARIADIC '{}'::text[]) = '[]' AND kpi.seal_array_text(VARIADIC NULL::text[]) IS NULL
          AND kpi.seal_array_text(VARIADIC ARRAY[1.5, NULL]) = '[1.5, null]',
	'an empty VARIADIC array gives [], a NULL one NULL, an array its elements, like jsonb_build_array');
SELECT throws_ok($$SELECT kpi.seal_array_text(1, now())$$, '42804',
                 'kpi.seal_array_text cannot print argument 2 of type timestamp with time zone',
	'a type whose jsonb text it does not reproduce is refused (42804)');
SELECT throws_ok($$SELECT kpi.seal_array_text(1.5::float8)$$, '42804', NULL,
	'float8 is refused too (jsonb would print it through numeric)');

-- kpi.task_line_text: concat_ws(',', ...) of a task line's inputs under DateStyle ISO
CREATE TEMP TABLE tl AS
SELECT g AS task_id,
       CASE WHEN random() < 0.05 THEN NULL WHEN random() < 0.02 THEN 'infinity'::date
            WHEN random() < 0.02 THEN '-infinity'::date
            ELSE date '2026-01-01' + floor((random() - 0.5) * 1000000)::int END AS due,
       pg_temp.rnum() AS coef, pg_temp.rnum() AS assigned_qty, pg_temp.rnum() AS completed_qty, pg_temp.rnum() AS passed_qty,
       CASE WHEN random() < 0.1 THEN NULL ELSE floor((random() - 0.5) * 2 ^ 31)::int END AS quality_errors,
       CASE WHEN random() < 0.1 THEN NULL ELSE floor(random() * 5)::int END AS late_events
FROM generate_series(-5, 3000) g;
SET LOCAL DateStyle = 'ISO, YMD';
CREATE TEMP TABLE tl_iso AS
SELECT task_id, concat_ws(',', task_id, due, coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) AS t
FROM tl;
SELECT is((SELECT count(*) FROM tl JOIN tl_iso i USING (task_id)
           WHERE kpi.task_line_text(tl.task_id, tl.due, tl.coef, tl.assigned_qty, tl.completed_qty, tl.passed_qty,
                                    tl.quality_errors, tl.late_events) IS DISTINCT FROM i.t), 0::bigint,
	'kpi.task_line_text is concat_ws(...) under DateStyle ISO over 3,006 random lines (NULLs, infinite and BC dates, NaN, any scale)');
SET LOCAL DateStyle = 'SQL, DMY';
SELECT is(kpi.task_line_text(7, date '2026-03-01', 1.50, 2, NULL, 0, 1, NULL) || ' ' || kpi.task_line_text(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          '7,2026-03-01,1.50,2,0,1 ',
	'kpi.task_line_text prints ISO dates whatever the DateStyle, leaves NULLs out, and is empty for none');
RESET DateStyle;

-- a run evaluated and sealed with it verifies
INSERT INTO kpi.unit (unit_id, parent_id, name) VALUES (1, NULL, 'Sở');
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, task_group)
SELECT o, 1, 'Cán bộ ' || o, o = 1, 'chuyen_vien' FROM generate_series(1, 12) o;
INSERT INTO kpi.task_line (official_id, title, coef, assigned_qty, due, done, completed_qty, passed_qty, quality_errors)
SELECT 1 + i % 12, 'việc "' || i || '"', 1, 2, '2026-03-20', '2026-03-18', 2, 1 + i % 2, i % 3
FROM generate_series(1, 60) i;
INSERT INTO kpi.general_mark
SELECT o, '2026-03-01', '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}' FROM generate_series(1, 12) o;
CALL kpi.evaluate('2026-03-01', 'month');
SELECT ok((SELECT bool_and(v.results_ok AND v.chain_ok) FROM kpi.evaluation_run r, kpi.verify_run(r.run_id) v),
	'the run sealed with it verifies');

SELECT * FROM finish();
ROLLBACK;
