-- test/pgtap/ledger_pack.sql
-- Properties of kpi.ledger_pack (issue 15): over 3,000 random ledgers of
-- the shapes kpi.score_period writes, mixed with values it does not know
-- (other rule ids, tables, keys and strings; numerics of random scale, sign
-- and size; NULL fields; nested details), unpacking a pack gives back
-- exactly the entries packed, as text; so do its text form, kpi.ledger_entries
-- and a COPY through the binary form; the pack is smaller than the rows; and
-- a ledger written by kpi.evaluate reads back through kpi.ledger as
-- kpi.score_period computed it.
--
-- Each check compares two independently computed texts, so it fails when an
-- entry is lost, reordered, or comes back with another value, scale or
-- jsonb text (the last test makes sure a differing ledger is noticed).
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS kpi_eval_reference CASCADE;
SET client_min_messages = error;

SELECT plan(13);

SELECT setseed(0.15);

-- a random numeric: scale 0..8 (sometimes 20 or 300), sign, size up to 10^30
CREATE FUNCTION pg_temp.rnum() RETURNS numeric LANGUAGE sql VOLATILE AS $$
	SELECT CASE WHEN r < 0.03 THEN NULL
	            WHEN r < 0.05 THEN 'NaN'::numeric
	            ELSE round(((random() - 0.4) * 10 ^ (floor(random() * 30)))::numeric,
	                       CASE WHEN random() < 0.05 THEN 300 WHEN random() < 0.1 THEN 20
	                            ELSE floor(random() * 9)::int END) END
	FROM (SELECT random() AS r) s
$$;
CREATE FUNCTION pg_temp.pick(a text[]) RETURNS text LANGUAGE sql VOLATILE AS $$
	SELECT a[1 + floor(random() * cardinality(a))::int]
$$;
-- a random detail: one of the known shapes with random values, or a mix of
-- known and unknown keys, nested values, non-objects
CREATE FUNCTION pg_temp.rdetail() RETURNS jsonb LANGUAGE sql VOLATILE AS $$
	SELECT CASE floor(random() * 9)::int
		WHEN 0 THEN jsonb_build_object('coef', pg_temp.rnum(), 'assigned_qty', floor(random() * 200),
		                               'completed_qty', pg_temp.rnum(), 'passed_qty', floor(random() * 3),
		                               'quality_errors', floor(random() * 7), 'late_events', floor(random() * 4),
		                               'progress_reading', pg_temp.pick('{partial,strict,other}'))
		WHEN 1 THEN jsonb_build_object('score', pg_temp.rnum())
		WHEN 2 THEN jsonb_build_object('mark_no', floor(random() * 11), 'mark', pg_temp.rnum(), 'max', 2.5)
		WHEN 3 THEN jsonb_build_object('component', pg_temp.pick('{quantity,quality,progress}'), 'pct', pg_temp.rnum())
		WHEN 4 THEN jsonb_build_object('criterion', pg_temp.pick('{d,dd,e}'), 'value', pg_temp.rnum(),
		                               'recorded', random() < 0.5)
		WHEN 5 THEN jsonb_build_object('quota_group', pg_temp.pick('{nhom_a,NULL}'), 'unit_id', floor(random() * 9),
		                               'task_group', NULL, 'candidates', floor(random() * 300), 'good', 3, 'kept', 2,
		                               'rate', pg_temp.rnum(), 'decision', pg_temp.pick('{"QĐ 1",NULL}'),
		                               'tie', random() < 0.5, 'demoted', random() < 0.5)
		WHEN 6 THEN jsonb_build_object('k' || floor(random() * 5), pg_temp.rnum(), 'mark', pg_temp.pick('{d,x,strict}'),
		                               'nested', jsonb_build_array(pg_temp.rnum(), jsonb_build_object('a', random() < 0.5)))
		WHEN 7 THEN to_jsonb(pg_temp.rnum())
		ELSE '{}'::jsonb END
$$;

CREATE TEMP TABLE ledgers AS
SELECT g AS id,
       (SELECT coalesce(array_agg(ROW(CASE WHEN random() < 0.02 THEN NULL
                                           ELSE pg_temp.pick('{CS3,CS5,CS6,CS7,CS8,CS10,CS12,CS14,CS15,CY1,N0.3,AG2,XX1,cs5}') END,
                                      pg_temp.pick('{general_mark,task_line,task_line,unit,leader_criteria,assessment,official_result,NULL,other_table}'),
                                      CASE WHEN random() < 0.3 THEN NULL WHEN random() < 0.5 THEN 7
                                           ELSE floor((random() - 0.2) * 10 ^ floor(random() * 18))::bigint END,
                                      pg_temp.rnum(),
                                      CASE WHEN random() < 0.02 THEN NULL WHEN random() < 0.3 THEN '{"same": 1}'
                                           ELSE pg_temp.rdetail() END)::kpi.ledger_entry ORDER BY k), '{}')
        FROM generate_series(1, floor(random() * 12)::int + (g * 0)) k) AS e
FROM generate_series(1, 3000) g;

SELECT ok((SELECT sum(cardinality(e)) > 12000 AND count(*) FILTER (WHERE e = '{}') > 100
                  AND count(DISTINCT cardinality(e)) = 12 FROM ledgers),
	'3,000 random ledgers, of 0 to 11 entries');
SELECT is((SELECT count(*) FROM ledgers l
           WHERE coalesce((SELECT array_agg(ROW(x.rule_id, x.source_table, x.source_id, x.points_lost, x.detail)::kpi.ledger_entry ORDER BY x.n)
                           FROM kpi.ledger_unpack(kpi.ledger_pack(l.e)) WITH ORDINALITY
                                AS x(rule_id, source_table, source_id, points_lost, detail, n))::text, '{}')
                 IS DISTINCT FROM l.e::text), 0::bigint,
	'kpi.ledger_unpack(kpi.ledger_pack(x)) gives back x, entry by entry, as text');
SELECT is((SELECT count(*) FROM ledgers l WHERE kpi.ledger_entries(kpi.ledger_pack(l.e))::text IS DISTINCT FROM l.e::text), 0::bigint,
	'kpi.ledger_entries(kpi.ledger_pack(x)) = x, as text');
SELECT is((SELECT count(*) FROM ledgers l
           WHERE kpi.ledger_pack(l.e)::text IS DISTINCT FROM l.e::text
              OR kpi.ledger_pack(l.e)::text::kpi.ledger_pack::text IS DISTINCT FROM l.e::text), 0::bigint,
	'the text form of a pack is the text of its kpi.ledger_entry[], and reads back as the same pack');
SELECT is((SELECT count(*) FROM ledgers l
           WHERE kpi.ledger_pack_send(kpi.ledger_pack(kpi.ledger_pack(l.e)::text::kpi.ledger_entry[]))
                 IS DISTINCT FROM kpi.ledger_pack_send(kpi.ledger_pack(l.e))), 0::bigint,
	'packing is deterministic: the same entries give the same bytes');
SELECT is((SELECT count(*) FROM ledgers l WHERE kpi.ledger_pack_length(kpi.ledger_pack(l.e)) <> cardinality(l.e)), 0::bigint,
	'kpi.ledger_pack_length is the number of entries');
-- the same ledger in packs, differing: noticed (the comparison above is not vacuous)
SELECT ok((SELECT bool_and(kpi.ledger_pack(l.e)::text <> kpi.ledger_pack(l.e || ROW('N0.3', NULL, NULL, 0.000001, '{}')::kpi.ledger_entry)::text
                           AND kpi.ledger_pack(l.e || ROW('N0.3', NULL, NULL, 0.10, '{}')::kpi.ledger_entry)::text
                               <> kpi.ledger_pack(l.e || ROW('N0.3', NULL, NULL, 0.1, '{}')::kpi.ledger_entry)::text)
           FROM ledgers l),
	'a ledger with one more entry, or a points_lost of another scale, packs differently');

-- kpi.ledger_seal_text writes, in C, the text the seal's version 1 builds in SQL
-- (kpi.run_results_digest): over the random ledgers, a NULL unit among them,
-- and entries whose strings need escaping, with extreme and non-finite numbers
CREATE TEMP TABLE seal_cases AS
SELECT l.id, l.e, CASE WHEN l.id % 10 = 0 THEN NULL ELSE l.id * 7919 - 5000 END AS u FROM ledgers l
UNION ALL
SELECT 0, ARRAY[ROW(E'a"b\\c\n\t\u0001 Đ', E'tê"n\\', -9223372036854775808, 'Infinity', E'{"k\\"": "v\\\\n", "a": [1, {"b": null}]}'),
                ROW(NULL, NULL, 9223372036854775807, '-Infinity', 'null'),
                ROW('CS5', 'task_line', 0, 'NaN', '"x"'),
                ROW('CS5', 'task_line', 0, -0.000001, '12.50')]::kpi.ledger_entry[], -1;
SELECT is((SELECT count(*) FROM seal_cases l
           WHERE kpi.ledger_seal_text(kpi.ledger_pack(l.e), l.u)
                 IS DISTINCT FROM coalesce((SELECT string_agg(jsonb_build_array(x.n, l.u, x.rule_id, x.source_table, x.source_id,
                                                                                x.points_lost, x.detail)::text, E'\n' ORDER BY x.n)
                                            FROM unnest(l.e) WITH ORDINALITY
                                                 AS x(rule_id, source_table, source_id, points_lost, detail, n)), '')), 0::bigint,
	'kpi.ledger_seal_text is, byte for byte, the SQL text of version 1 of the seal, over 3,001 ledgers');
SELECT is((SELECT kpi.ledger_seal_text(kpi.ledger_pack(l.e), l.u) FROM seal_cases l WHERE l.id = 0),
          concat_ws(E'\n', E'[1, -1, "a\\"b\\\\c\\n\\t\\u0001 Đ", "tê\\"n\\\\", -9223372036854775808, "Infinity", {"a": [1, {"b": null}], "k\\"": "v\\\\n"}]',
                    '[2, -1, null, null, 9223372036854775807, "-Infinity", null]',
                    '[3, -1, "CS5", "task_line", 0, "NaN", "x"]',
                    '[4, -1, "CS5", "task_line", 0, -0.000001, 12.50]'),
	'kpi.ledger_seal_text escapes strings as JSON does, prints non-finite numerics as strings and details as jsonb text');
-- numerics at the edges of the pack's digits path (kpi_numeric_decimal: an
-- unscaled value within +-(2^63 - 1), a display scale up to 252; 121 in a
-- detail), each as points_lost and as a detail's number
CREATE TEMP TABLE edge_num AS
SELECT x.n FROM (VALUES (0::numeric), (0.00), (-0.5), (0.0001), (-0.0001), (127), (128), (-1),
                        (9223372036854775807), (-9223372036854775807), (9223372036854775808), (-9223372036854775808),
                        (922337203685477580.7), (-922337203685477580.8), (0.9223372036854775807), (1e-121), (1e-122),
                        (1e-252), (1e-253), (round(1::numeric, 121)), (round(1::numeric, 122)), (round(7::numeric, 252)),
                        (round(7::numeric, 253)), (10000), (100000000), (1e18), (1e19), (12345678.90123456)) x(n);
SELECT is((SELECT count(*) FROM edge_num x
           CROSS JOIN LATERAL (SELECT ARRAY[ROW('CS5', 'task_line', 1, x.n, jsonb_build_object('score', x.n)),
                                            ROW('CS5', 'task_line', 2, x.n, jsonb_build_object('k', x.n))]::kpi.ledger_entry[] AS e) l
           WHERE kpi.ledger_entries(kpi.ledger_pack(l.e))::text IS DISTINCT FROM l.e::text
              OR kpi.ledger_seal_text(kpi.ledger_pack(l.e), 3)
                 IS DISTINCT FROM (SELECT string_agg(jsonb_build_array(y.k, 3, y.rule_id, y.source_table, y.source_id,
                                                                       y.points_lost, y.detail)::text, E'\n' ORDER BY y.k)
                                   FROM unnest(l.e) WITH ORDINALITY AS y(rule_id, source_table, source_id, points_lost, detail, k))),
          0::bigint,
	'numerics at the int64 and scale edges pack, unpack and print as numeric_out and jsonb print them');
SELECT ok(kpi.ledger_seal_text(kpi.ledger_pack('{}'), 1) = '' AND kpi.ledger_seal_text(NULL, 1) IS NULL
          AND kpi.ledger_seal_text(kpi.ledger_pack(ARRAY[ROW('CS5', NULL, NULL, 1, NULL)]::kpi.ledger_entry[]), NULL)
              = '[1, null, "CS5", null, null, 1, null]',
	'kpi.ledger_seal_text: the empty string for an empty ledger, NULL for a NULL pack, null for a NULL unit');

-- the ledgers of a small evaluated province, as kpi.score_period computes them
INSERT INTO kpi.unit (unit_id, parent_id, name) VALUES (1, NULL, 'Sở'), (2, 1, 'Phòng');
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, task_group)
SELECT o, 1 + o % 2, 'Cán bộ ' || o, o % 7 = 0, 'chuyen_vien' FROM generate_series(1, 40) o;
INSERT INTO kpi.task_line (official_id, title, coef, assigned_qty, due, done, completed_qty, passed_qty, quality_errors)
SELECT o, 'việc ' || i, 1 + floor(r1 * 3), a, '2026-03-20',
       CASE WHEN r2 < 0.8 THEN date '2026-03-18' ELSE date '2026-03-27' END, c, floor(c * r3), floor(r4 * 2)
FROM (SELECT i, 1 + floor(random() * 40)::int AS o, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
             1 + floor(random() * 4) AS a, floor(random() * 6) AS c
      FROM generate_series(1, 300) i) x;
INSERT INTO kpi.general_mark
SELECT o, '2026-03-01', CASE WHEN o % 3 = 0 THEN '{5,4.5,2.5,2.5,2,2.5,2.5,2.5,2.5,2.5}' ELSE '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}' END::numeric[]
FROM generate_series(1, 40) o;
CALL kpi.evaluate('2026-03-01', 'month');
SELECT is((SELECT count(*) FROM kpi.score_period('2026-03-01', 'month', NULL, true) s
           JOIN kpi.official_result r ON r.official_id = s.official_id AND r.period_start = '2026-03-01'
           WHERE coalesce((SELECT array_agg(ROW(l.rule_id, l.source_table, l.source_id, l.points_lost, l.detail)::kpi.ledger_entry
                                            ORDER BY l.line_no)
                           FROM kpi.ledger l WHERE l.run_id = r.run_id AND l.official_id = r.official_id)::text, '')
                 IS DISTINCT FROM coalesce(s.ledger::text, '')), 0::bigint,
	'every ledger kpi.evaluate stored reads back through kpi.ledger as kpi.score_period computes it');
SELECT ok((SELECT sum(pg_column_size(r.ledger)) FROM kpi.official_result r)
          < (SELECT sum(pg_column_size(l.*)) FROM kpi.ledger l) / 4,
	'the packed ledgers take less than a quarter of the bytes of their rows');

SELECT * FROM finish();
ROLLBACK;
