--
-- kpi.ledger_pack (issue 15, src/ledger_pack.c): a result's ledger packed
-- into one value.  Every shape of ledger row the system writes round-trips
-- exactly (the text the seals hash), and so do values it does not know:
-- other rule ids and tables, numerics of any scale and size, NULL fields,
-- unknown keys, nested values; the text and binary forms; malformed input.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
\i sql/include/err.sql
SET client_min_messages = warning;

-- pg_temp.same(entries): the entries unpacked again as packed, as text
CREATE FUNCTION pg_temp.same(e kpi.ledger_entry[]) RETURNS boolean LANGUAGE sql AS $$
	SELECT coalesce((SELECT array_agg(ROW(x.rule_id, x.source_table, x.source_id, x.points_lost, x.detail)::kpi.ledger_entry
	                                  ORDER BY n)
	                 FROM kpi.ledger_unpack(kpi.ledger_pack(e)) WITH ORDINALITY
	                 AS x(rule_id, source_table, source_id, points_lost, detail, n))::text, '{}') = e::text
	   AND kpi.ledger_entries(kpi.ledger_pack(e))::text = e::text
	   AND kpi.ledger_pack(e)::text = e::text
	   AND kpi.ledger_pack(e)::text::kpi.ledger_pack::text = e::text
	   AND kpi.ledger_pack_length(kpi.ledger_pack(e)) = cardinality(e)
$$;

-- every ledger shape kpi.score_period writes, one result each
CREATE TEMP TABLE shapes (name text, e kpi.ledger_entry[]);
INSERT INTO shapes VALUES
('month: CS3, CS5-CS7 of one line (one detail), CS8, CS10, N0.3', ARRAY[
	ROW('CS3', 'general_mark', NULL, 1.000000, '{"max": 2.5, "mark": 1.5, "mark_no": 10}'),
	ROW('CS5', 'task_line', 37, -4.666667, '{"coef": 1, "passed_qty": 0, "late_events": 0, "assigned_qty": 2, "completed_qty": 3, "quality_errors": 1, "progress_reading": "partial"}'),
	ROW('CS6', 'task_line', 37, 9.333333, '{"coef": 1, "passed_qty": 0, "late_events": 0, "assigned_qty": 2, "completed_qty": 3, "quality_errors": 1, "progress_reading": "partial"}'),
	ROW('CS7', 'task_line', 37, -4.666667, '{"coef": 1, "passed_qty": 0, "late_events": 0, "assigned_qty": 2, "completed_qty": 3, "quality_errors": 1, "progress_reading": "partial"}'),
	ROW('CS7', 'task_line', 6037, 1.166667, '{"coef": 1.5, "passed_qty": 1, "late_events": 1, "assigned_qty": 1, "completed_qty": 1, "quality_errors": 0, "progress_reading": "strict"}'),
	ROW('CS8', NULL, NULL, 4.666667, '{"pct": 120.0000000000000000, "component": "quantity"}'),
	ROW('CS10', 'unit', 1, 5.833333, '{"value": 50, "recorded": true, "criterion": "d"}'),
	ROW('CS10', 'leader_criteria', NULL, 5.833333, '{"value": 50, "recorded": false, "criterion": "dd"}'),
	ROW('N0.3', NULL, NULL, -0.003333, '{"score": 90.67}')]::kpi.ledger_entry[]),
('month: CY1 (0 points, scale 6), N0.3', ARRAY[
	ROW('CY1', 'assessment', NULL, 0.000000, '{"item": "mark 3", "self": 5, "approved": 4.5}'),
	ROW('CY1', 'assessment', NULL, 0.000000, '{"item": "dd", "self": 100, "approved": 50}'),
	ROW('N0.3', NULL, NULL, 0.000000, '{"score": 100.00}')]::kpi.ledger_entry[]),
('year: CS12, CS14, CS15, N0.3', ARRAY[
	ROW('CS12', 'official_result', 1, 0.833333, '{"score": 90.00, "periods": 12, "period_kind": "month", "period_start": "2026-01-01"}'),
	ROW('CS12', 'official_result', 14, 0.832500, '{"score": 90.01, "periods": 12, "period_kind": "quarter", "period_start": "2026-02-01"}'),
	ROW('CS14', 'disciplinary_record', 7, 0.000000, '{"form": "khien_trach", "kind": "party", "decided_on": "2026-05-04", "disqualifies": true, "duty_related": null}'),
	ROW('CS15', 'quota_approval', 1, 0.000000, '{"tie": false, "good": 0, "kept": 1, "rate": 1, "demoted": true, "unit_id": null, "decision": "QĐ 12/QĐ-UBND ngày 01/12/2026", "candidates": 2, "task_group": null, "quota_group": "nhom_a"}'),
	ROW('CS15', NULL, NULL, 0.000000, '{"tie": true, "good": 3, "kept": 2, "rate": 0.2, "demoted": false, "unit_id": 4, "decision": null, "candidates": 10, "task_group": "chuyen_vien", "quota_group": null}'),
	ROW('N0.3', NULL, NULL, 0.004167, '{"score": 90.0}')]::kpi.ledger_entry[]),
('agency rows (AG2, a work-plan line, AG3, IX1) also pack', ARRAY[
	ROW('AG2', 'agency_input', 3, 0.5, '{"max": 10, "mark": 9.5, "mark_no": 1}'),
	ROW('CS5', 'task_line', 99, 0.25, '{"coef": 2, "passed_qty": 1, "work_plan": true, "late_events": 0, "assigned_qty": 4, "completed_qty": 3, "quality_errors": 0, "progress_reading": "partial"}'),
	ROW('AG3', NULL, NULL, 1.25, '{"procedures": 20, "online": 15}'),
	ROW('IX1', 'index_value', 8, 2.000001, '{"index": "PAR INDEX", "fraction": 0.875}')]::kpi.ledger_entry[]),
('the rounding row alone; an empty ledger', ARRAY[ROW('N0.3', NULL, NULL, 0.000000, '{"score": 100}')]::kpi.ledger_entry[]),
('empty', '{}'),
('numerics: odd scales, huge, tiny, negative, NaN, zero scales', ARRAY[
	ROW('CS5', 'task_line', 1, 0, '{"coef": 0}'),
	ROW('CS5', 'task_line', 1, 0.0, '{"coef": 0.00}'),
	ROW('CS5', 'task_line', 1, -0.000001, '{"coef": -127}'),
	ROW('CS5', 'task_line', 1, 123456789012345678.123456, '{"coef": 128}'),
	ROW('CS5', 'task_line', 1, 9223372036854775807, '{"coef": 9223372036854775808}'),
	ROW('CS5', 'task_line', 1, -9223372036854775808, '{"coef": -9223372036854775809}'),
	ROW('CS5', 'task_line', 1, 1e-30, '{"coef": 1e-200}'),
	ROW('CS5', 'task_line', 1, 12345678901234567890123456789012345678901234567890, '{"coef": 1.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001}'),
	ROW('CS5', 'task_line', 1, 'NaN', '{"coef": 3.14159265358979323846}'),
	ROW('CS5', 'task_line', 1, 'Infinity', '{"coef": 1e20}'),
	ROW('CS5', 'task_line', 1, '-Infinity', '{"coef": -5.5}'),
	ROW('CS5', 'task_line', 1, round(1::numeric / 3, 253), '{}'),
	ROW('CS5', 'task_line', 1, round(2::numeric / 3, 252), '{}')]::kpi.ledger_entry[]),
('NULL fields, ids of any size, the same id and detail twice', ARRAY[
	ROW(NULL, NULL, NULL, NULL, NULL),
	ROW('CS3', NULL, -9223372036854775808, 1, NULL),
	ROW('CS3', NULL, -9223372036854775808, 1, '{}'),
	ROW('CS3', NULL, 9223372036854775807, 1, '{}'),
	ROW('CS3', NULL, 9223372036854775807, NULL, 'null'),
	ROW('CS3', 'general_mark', 0, 2, 'null')]::kpi.ledger_entry[]),
('unknown rule ids, tables, keys, strings; nested and non-object details', ARRAY[
	ROW('XX9', 'some_table', 5, 1, '{"a": 1, "zz": [1, 2.50, {"b": null}], "mark": "strict", "max": {"x": "y"}, "kind": "ngoài", "form": ""}'),
	ROW('', '', 5, 1, '[1, "two", 3.0]'),
	ROW('cs3', 'Task_Line', 5, 1, '"a string"'),
	ROW('N0.3 ', 'task_line ', 5, 1, '12.50'),
	ROW('CS8', 'quota_approval', 5, 1, 'true'),
	ROW(repeat('R', 300), repeat('t', 300), 5, 1, jsonb_build_object(repeat('k', 300), repeat('v', 300))),
	ROW('CS5', 'task_line', 5, 1, '{"coef": 1, "passed_qty": 0, "late_events": 0, "assigned_qty": 2, "completed_qty": 3, "quality_errors": 1, "progress_reading": "nhanh"}'),
	ROW('CS5', 'task_line', 5, 1, '{"coef": 1, "passed_qty": 0, "late_events": 0, "assigned_qty": 2, "completed_qty": 3, "quality_errors": 1, "progress_readings": "partial"}'),
	ROW('CS10', 'unit', 5, 1, '{"value": "50", "recorded": "yes", "criterion": 1}')]::kpi.ledger_entry[]);
SELECT name, pg_temp.same(e) AS round_trip, cardinality(e) AS entries,
       pg_column_size(kpi.ledger_pack(e)) - 4 AS packed_bytes,
       (SELECT sum(pg_column_size(x)) FROM unnest(e) x) AS row_bytes
FROM shapes ORDER BY name;
-- the packed bytes of the first shape: version 1, 9 entries, the task line's
-- detail once (the next two entries repeat it: head byte 0x52)
SELECT kpi.ledger_pack_send(kpi.ledger_pack(e)) FROM shapes WHERE name LIKE 'month: CS3%';
-- unpacked rows: WITH ORDINALITY numbers them
SELECT n, rule_id, source_table, source_id, points_lost, detail
FROM shapes, kpi.ledger_unpack(kpi.ledger_pack(e)) WITH ORDINALITY AS x(rule_id, source_table, source_id, points_lost, detail, n)
WHERE name LIKE 'NULL fields%' ORDER BY n;
SELECT count(*) FROM kpi.ledger_unpack(kpi.ledger_pack('{}'));
SELECT kpi.ledger_pack(NULL), kpi.ledger_unpack(NULL), kpi.ledger_entries(NULL), kpi.ledger_pack_length(NULL);

-- the binary form (COPY BINARY) and the text form (COPY) read back the same
CREATE TEMP TABLE packs (name text, p kpi.ledger_pack);
INSERT INTO packs SELECT name, kpi.ledger_pack(e) FROM shapes;
COPY packs TO '/tmp/kpi_regress_ledger_pack.bin' WITH (FORMAT binary);
COPY packs TO '/tmp/kpi_regress_ledger_pack.txt';
CREATE TEMP TABLE packs_bin (LIKE packs);
CREATE TEMP TABLE packs_txt (LIKE packs);
COPY packs_bin FROM '/tmp/kpi_regress_ledger_pack.bin' WITH (FORMAT binary);
COPY packs_txt FROM '/tmp/kpi_regress_ledger_pack.txt';
SELECT count(*) AS packs, count(*) FILTER (WHERE b.p::text = s.e::text) AS binary_same,
       count(*) FILTER (WHERE t.p::text = s.e::text) AS text_same
FROM shapes s JOIN packs_bin b USING (name) JOIN packs_txt t USING (name);

-- bad input
SELECT * FROM pg_temp.err($$SELECT '{"(CS3,,,1,{})"'::kpi.ledger_pack$$);
SELECT * FROM pg_temp.err($$SELECT '{"(CS3,,x,1,{})"}'::kpi.ledger_pack$$);
SELECT * FROM pg_temp.err($$SELECT '{"(CS3,,,1,{)"}'::kpi.ledger_pack$$);
SELECT * FROM pg_temp.err($$SELECT '{"(CS3,,,1,{},extra)"}'::kpi.ledger_pack$$);
SELECT * FROM pg_temp.err($$SELECT kpi.ledger_pack(ARRAY[NULL]::kpi.ledger_entry[])$$);
SELECT * FROM pg_temp.err($$SELECT kpi.ledger_pack(ARRAY[[ROW('CS3', NULL, NULL, 1, '{}')]]::kpi.ledger_entry[])$$);
SELECT * FROM pg_temp.err($$SELECT kpi.ledger_pack('[0:0]={"(CS3,,,1,{})"}'::kpi.ledger_entry[])$$);
SELECT * FROM pg_temp.err($$SELECT '[0:0]={"(CS3,,,1,{})"}'::kpi.ledger_pack$$);
-- malformed packed bytes (a binary-coercible cast, for this test only):
-- every reader refuses them (XX001, data corrupted)
CREATE CAST (bytea AS kpi.ledger_pack) WITHOUT FUNCTION;
CREATE TEMP TABLE bad_packs AS SELECT n, b FROM unnest(ARRAY[
	'\x',                           -- empty
	'\x02',                         -- another format version
	'\x01',                         -- no entry count
	'\x0101',                       -- one entry, no bytes
	'\x01ffffffffffffffffffff01',   -- an entry count of 11 bytes
	'\x01010051000000',             -- a rule code past the known ones (0x51)
	'\x01010c010000',               -- a source table code past the known ones (12)
	'\x010110010000',               -- the previous source id, in the first entry
	'\x010130010000',               -- source id form 3
	'\x010140010000',               -- the previous detail, in the first entry
	'\x01010001ff',                 -- numeric form 255
	'\x01010001fe0178',             -- a numeric text that is no numeric
	'\x0101007f0a',                 -- a rule id text past the end
	'\x0101800100000b',             -- detail shape 11
	'\x01018001000000017f00',       -- detail key code 127
	'\x0101800100000001010363',     -- detail string code 99
	'\x010180010000000201000100',   -- a key twice
	'\x0101c001000005',             -- a detail text past the end
	'\x0101c0010000017b',           -- a detail text that is no json
	'\x01010001000000'              -- a byte after the last entry
	]::bytea[]) WITH ORDINALITY AS x(b, n);
SELECT b, (pg_temp.err(format('SELECT %L::bytea::kpi.ledger_pack::text', b))).* FROM bad_packs ORDER BY n;
-- kpi.ledger_seal_text reads packs itself (to print the seal's text): the
-- same bytes, refused with the same errors (no row: none differs)
SELECT b, (pg_temp.err(format('SELECT kpi.ledger_seal_text(%L::bytea::kpi.ledger_pack, 1)', b))).*
FROM bad_packs
WHERE pg_temp.err(format('SELECT kpi.ledger_seal_text(%L::bytea::kpi.ledger_pack, 1)', b))
      IS DISTINCT FROM pg_temp.err(format('SELECT %L::bytea::kpi.ledger_pack::text', b));
SELECT (pg_temp.err($$SELECT * FROM kpi.ledger_unpack('\x02'::bytea::kpi.ledger_pack)$$)).*;
SELECT (pg_temp.err($$SELECT kpi.ledger_entries('\x0105'::bytea::kpi.ledger_pack)$$)).*;
SELECT (pg_temp.err($$SELECT kpi.ledger_pack_length('\x02'::bytea::kpi.ledger_pack)$$)).*;
DROP CAST (bytea AS kpi.ledger_pack);

DROP TABLE shapes, packs, packs_bin, packs_txt, bad_packs;
DROP FUNCTION pg_temp.same(kpi.ledger_entry[]);
DROP EXTENSION kpi_eval_reference;
