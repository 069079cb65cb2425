--
-- Year partitions of the results (issue 11, doc/operations-data.md):
-- kpi.official_result is partitioned by year of period_start (each result
-- carries its packed ledger: kpi.ledger is a view over it, issue 15);
-- kpi.evaluate makes a year's partition (kpi.ensure_year_partitions) with
-- its TRUNCATE guard, check of the references (no foreign keys: issue 15),
-- row-level security and policies; a
-- closed year is detached, exported, moved out and attached again; the drop
-- guard refuses DROP TABLE of an attached partition holding rows; the other
-- years still evaluate and explain.
--
CREATE EXTENSION kpi_eval_reference;
\set SHOW_CONTEXT never
\i sql/include/err.sql
SET datestyle = 'ISO, YMD';
SET client_min_messages = warning;
CREATE ROLE regress_kpi_part_unit2 NOLOGIN;
GRANT USAGE ON SCHEMA kpi TO regress_kpi_part_unit2;
INSERT INTO kpi.unit (unit_id, parent_id, name, reporting_role) VALUES
	(1, NULL, 'Sở Tư pháp', NULL), (2, 1, 'Phòng Hành chính tư pháp', 'regress_kpi_part_unit2');
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, task_group) VALUES
	(1, 1, 'Nguyễn Văn An', false, 'chuyen_vien'), (2, 2, 'Trần Thị Bình', false, 'chuyen_vien'),
	(3, 2, 'Lê Văn Cường', false, 'chuyen_vien');
-- January and February of 2026 and 2027, one late task in February
INSERT INTO kpi.task_line (official_id, title, due, done, completed_qty, passed_qty)
SELECT o.official_id, 'Nhiệm vụ ' || m, make_date(y, m, 20),
       make_date(y, m, CASE WHEN o.official_id = 3 AND m = 2 THEN 25 ELSE 19 END), 1, 1
FROM kpi.official o, generate_series(2026, 2027) y, generate_series(1, 2) m;
INSERT INTO kpi.general_mark
SELECT o.official_id, make_date(y, m, 1), '{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2}'
FROM kpi.official o, generate_series(2026, 2027) y, generate_series(1, 2) m;

-- no partition before the first run
SELECT c.relname, c.relkind FROM pg_class c
WHERE c.relnamespace = 'kpi'::regnamespace AND c.relname ~ '^(official_result|ledger)' AND c.relkind IN ('r', 'p')
ORDER BY 1;
CALL kpi.evaluate('2026-01-01', 'month');
CALL kpi.evaluate('2026-02-01', 'month');
CALL kpi.evaluate('2027-01-01', 'month');
CALL kpi.evaluate('2027-02-01', 'month');

------------------------------------------------------------------------------
-- the partitions and their guards
------------------------------------------------------------------------------

-- one partition per year, the rows of the year in it
SELECT i.inhparent::regclass AS parent, c.relname AS partition, pg_get_expr(c.relpartbound, c.oid) AS bound,
       c.relrowsecurity AS rls, (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
       (SELECT string_agg(t.tgname, ', ' ORDER BY t.tgname) FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS triggers,
       (SELECT string_agg(pg_get_constraintdef(k.oid), '; ' ORDER BY pg_get_constraintdef(k.oid))
          FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f') AS foreign_keys,
       obj_description(c.oid, 'pg_class') IS NOT NULL AS commented
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'kpi.official_result'::regclass
ORDER BY 1, 2;
SELECT tableoid::regclass, count(*) FROM kpi.official_result GROUP BY 1 ORDER BY 1;
-- the ledger rows live in their results: kpi.ledger is a view, no partitions
SELECT c.relkind, (SELECT count(*) FROM kpi.ledger) AS ledger_rows,
       (SELECT sum(kpi.ledger_pack_length(r.ledger)) FROM kpi.official_result r) AS packed_entries
FROM pg_class c WHERE c.oid = 'kpi.ledger'::regclass;
SELECT r.tableoid::regclass, count(*) FROM kpi.ledger l
JOIN kpi.official_result r USING (run_id, official_id, period_start) GROUP BY 1 ORDER BY 1;
-- the year partitions are not members of the extension (pg_dump dumps them whole)
SELECT count(*) AS members FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.classid = 'pg_class'::regclass AND d.objid = 'kpi.official_result_2027'::regclass;
-- made again: nothing to do
SELECT kpi.ensure_year_partitions(2027);
SELECT * FROM pg_temp.err($$SELECT kpi.ensure_year_partitions(NULL)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.ensure_year_partitions(1899)$$);

-- append-only through a partition, and TRUNCATE of a partition (a statement
-- trigger of the parent is not inherited: each partition has its own)
SELECT * FROM pg_temp.err($$UPDATE kpi.official_result_2027 SET score = 100$$);
SELECT * FROM pg_temp.err($$DELETE FROM kpi.official_result_2026$$);
SELECT * FROM pg_temp.err($$TRUNCATE kpi.official_result_2026 CASCADE$$);
-- the view kpi.ledger refuses writes as the results do
SELECT * FROM pg_temp.err($$DELETE FROM kpi.ledger WHERE period_start = '2026-01-01'$$);
SELECT * FROM pg_temp.err($$UPDATE kpi.ledger SET points_lost = 0$$);
SELECT * FROM pg_temp.err($$TRUNCATE kpi.ledger$$);
-- the orphan guard: a ledger row without its result cannot be written (the
-- ledger is a column of its result), a result without its run is refused
SELECT * FROM pg_temp.err($$INSERT INTO kpi.ledger (run_id, official_id, unit_id, line_no, rule_id, points_lost, period_start)
                           VALUES (3, 1, 1, 99, 'N0.3', 0, '2027-06-01')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official_result (run_id, official_id, unit_id, task_group, is_leader,
                                                             period_start, period_kind, input_digest)
                           VALUES (99, 1, 1, 'x', false, '2027-06-01', 'month', 'x')$$);
-- no year partition, no row: kpi.evaluate makes them, a row written by hand needs them
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official_result (run_id, official_id, unit_id, task_group, is_leader,
                                                             period_start, period_kind, input_digest)
                           VALUES (1, 1, 1, 'x', false, '2031-06-01', 'month', 'x')$$);

-- the references without foreign keys (result_refs.sql): checked once a
-- statement, into the parent, into a partition itself, by COPY; every key
-- missing is named (the first 10), in one error
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official_result (run_id, official_id, unit_id, task_group, is_leader,
                                                             period_start, period_kind, input_digest)
                           VALUES (3, 98, 97, 'x', false, '2027-06-01', 'month', 'x'),
                                  (99, 1, 1, 'x', false, '2027-06-01', 'month', 'x')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official_result_2027 (run_id, official_id, unit_id, task_group, is_leader,
                                                                  period_start, period_kind, input_digest)
                           VALUES (3, 98, 1, 'x', false, '2027-06-01', 'month', 'x')$$);
SELECT * FROM pg_temp.err($$INSERT INTO kpi.official_result (run_id, official_id, unit_id, task_group, is_leader,
                                                             period_start, period_kind, input_digest)
                           SELECT 3, 100 + i, 1, 'x', false, '2027-06-01', 'month', 'x' FROM generate_series(1, 12) i$$);
COPY (SELECT 99 AS run_id, 1 AS official_id, 1 AS unit_id, 'x' AS task_group, false AS is_leader,
             date '2027-06-01' AS period_start, 'month' AS period_kind, 'x' AS input_digest)
	TO '/tmp/kpi_regress_refs.copy';
SELECT * FROM pg_temp.err($$COPY kpi.official_result (run_id, official_id, unit_id, task_group, is_leader, period_start,
                                                      period_kind, input_digest) FROM '/tmp/kpi_regress_refs.copy'$$);
-- the referenced side: an official or unit a result names is not deleted,
-- its key not changed, its table not truncated; another change goes through
-- (rolled back: the results are append-only)
BEGIN;
INSERT INTO kpi.unit (unit_id, parent_id, name) VALUES (9, 1, 'Phòng cũ');
INSERT INTO kpi.official (official_id, unit_id, full_name) VALUES (9, 1, 'Phạm Thị Dung');
INSERT INTO kpi.official_result_2027 (run_id, official_id, unit_id, task_group, is_leader, period_start, period_kind, input_digest)
VALUES (3, 9, 9, 'x', false, '2027-01-01', 'month', 'x');
SELECT * FROM pg_temp.err($$DELETE FROM kpi.official WHERE official_id = 9$$);
SELECT * FROM pg_temp.err($$UPDATE kpi.official SET official_id = 10 WHERE official_id = 9$$);
SELECT * FROM pg_temp.err($$DELETE FROM kpi.unit WHERE unit_id = 9$$);
SELECT * FROM pg_temp.err($$TRUNCATE kpi.official CASCADE$$);
SELECT * FROM pg_temp.err($$TRUNCATE kpi.unit CASCADE$$);
UPDATE kpi.official SET full_name = 'Phạm Thị Dung (chuyển công tác)', unit_id = 2 WHERE official_id = 9;
UPDATE kpi.unit SET name = 'Phòng cũ (giải thể)' WHERE unit_id = 9;
SELECT o.full_name, o.unit_id, r.unit_id AS result_unit FROM kpi.official o JOIN kpi.official_result r USING (official_id)
WHERE o.official_id = 9;
ROLLBACK;

-- a partition read directly is under row-level security like its parent:
-- unit 2's role sees the rows of unit 2 there too, even with SELECT on all tables
GRANT SELECT ON ALL TABLES IN SCHEMA kpi TO regress_kpi_part_unit2;
SET ROLE regress_kpi_part_unit2;
SELECT (SELECT string_agg(DISTINCT unit_id::text, ',') FROM kpi.official_result) AS parent,
       (SELECT string_agg(DISTINCT unit_id::text, ',') FROM kpi.official_result_2027) AS result_2027,
       (SELECT string_agg(DISTINCT unit_id::text, ',') FROM kpi.ledger) AS ledger;
RESET ROLE;

------------------------------------------------------------------------------
-- archiving 2026: detach, export, move out; the drop guard
------------------------------------------------------------------------------

-- an attached partition holding rows is not dropped
SELECT * FROM pg_temp.err($$DROP TABLE kpi.official_result_2026 CASCADE$$);
-- detach the results (their ledgers with them)
ALTER TABLE kpi.official_result DETACH PARTITION kpi.official_result_2026;
SELECT count(*) AS rows_2026_left FROM kpi.official_result WHERE period_start < '2027-01-01';
-- the detached table keeps its rows, TRUNCATE guard, check of the references and policies
-- (PostgreSQL removes the cloned append_only row triggers)
SELECT c.relname, c.relispartition, c.relrowsecurity,
       (SELECT string_agg(t.tgname, ', ' ORDER BY t.tgname) FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS triggers,
       (SELECT count(*) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f') AS foreign_keys
FROM pg_class c WHERE c.oid = 'kpi.official_result_2026'::regclass ORDER BY 1;
SELECT (SELECT count(*) FROM kpi.official_result_2026) AS results,
       (SELECT count(*) FROM kpi.official_result_2026 r, kpi.ledger_unpack(r.ledger)) AS ledger,
       (SELECT count(*) FROM kpi.ledger WHERE period_start < '2027-01-01') AS ledger_rows_left;
-- exported (COPY), as the archive procedure does; the copy has every row
CREATE TEMP TABLE archive_result AS SELECT * FROM kpi.official_result_2026;
CREATE TEMP TABLE archive_ledger AS SELECT * FROM kpi.ledger WHERE false;
INSERT INTO archive_ledger
SELECT r.run_id, r.official_id, r.unit_id, x.n, x.rule_id, x.source_table, x.source_id, x.points_lost, x.detail, r.period_start
FROM kpi.official_result_2026 r, kpi.ledger_unpack(r.ledger) WITH ORDINALITY
     AS x(rule_id, source_table, source_id, points_lost, detail, n);
-- COPY writes a ledger as its kpi.ledger_entry[] text, and reads it back
CREATE TEMP TABLE copied (LIKE kpi.official_result);
COPY kpi.official_result_2026 TO '/tmp/kpi_regress_partitions.copy';
COPY copied FROM '/tmp/kpi_regress_partitions.copy';
COPY (SELECT * FROM kpi.official_result_2026) TO '/tmp/kpi_regress_partitions.bin' WITH (FORMAT binary);
COPY copied FROM '/tmp/kpi_regress_partitions.bin' WITH (FORMAT binary);
SELECT count(*) AS copies, count(*) FILTER (WHERE c.ledger::text = r.ledger::text) AS same_ledger,
       bool_and(c.ledger::text LIKE '{"(%)"}') AS ledger_text
FROM copied c JOIN kpi.official_result_2026 r USING (run_id, official_id);
-- a detached table of that name keeps the year from being evaluated
SELECT * FROM pg_temp.err($$CALL kpi.evaluate('2026-01-01', 'month', supersede => true)$$);
-- moved to an archive schema (or dropped: a detached table is not guarded)
CREATE SCHEMA kpi_archive;
ALTER TABLE kpi.official_result_2026 SET SCHEMA kpi_archive;

-- the live years still evaluate, explain and verify
CALL kpi.evaluate('2027-02-01', 'month', supersede => true);
SELECT official_id, score, tier FROM kpi.current_official_result WHERE period_start = '2027-02-01' ORDER BY 1;
SELECT rule_id, points_lost, description FROM kpi.explain(3, '2027-02-01', 'en', 'month') ORDER BY line_no;
SELECT r.run_id, v.results_ok, v.chain_ok FROM kpi.evaluation_run r, LATERAL kpi.verify_run(r.run_id) v
WHERE r.period_start >= '2027-01-01' ORDER BY 1;
-- the archived runs are still in kpi.evaluation_run, their rows are not: their
-- seals report the results changed
SELECT r.run_id, r.period_start, (SELECT count(*) FROM kpi.official_result o WHERE o.run_id = r.run_id) AS live_rows,
       v.results_ok, v.chain_ok
FROM kpi.evaluation_run r, LATERAL kpi.verify_run(r.run_id) v WHERE r.period_start < '2027-01-01' ORDER BY 1;
-- a year evaluated for the first time gets its partitions
CALL kpi.evaluate('2028-01-01', 'month', allow_empty => true);
SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'kpi.official_result'::regclass ORDER BY 1;

------------------------------------------------------------------------------
-- restoring 2026: attached again, with the guards back
------------------------------------------------------------------------------

ALTER TABLE kpi_archive.official_result_2026 SET SCHEMA kpi;
ALTER TABLE kpi.official_result ATTACH PARTITION kpi.official_result_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT kpi.ensure_year_partitions(2026);
SELECT c.relname, (SELECT string_agg(t.tgname, ', ' ORDER BY t.tgname) FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal) AS triggers
FROM pg_class c WHERE c.oid = 'kpi.official_result_2026'::regclass ORDER BY 1;
SELECT (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM kpi.official_result t WHERE period_start < '2027-01-01')
       = (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM archive_result t) AS results_same,
       (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM kpi.ledger t WHERE period_start < '2027-01-01')
       = (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM archive_ledger t) AS ledger_same,
       (SELECT count(*) FROM kpi.official_result WHERE period_start < '2027-01-01') AS results_2026;
SELECT r.run_id, v.results_ok, v.chain_ok FROM kpi.evaluation_run r, LATERAL kpi.verify_run(r.run_id) v
WHERE r.period_start < '2027-01-01' ORDER BY 1;
SELECT rule_id, points_lost FROM kpi.explain(3, '2026-02-01', 'en', 'month') ORDER BY line_no;
-- and a year is dropped only deliberately
SET kpi_eval.allow_drop_with_data = on;
DROP TABLE kpi.official_result_2028;
RESET kpi_eval.allow_drop_with_data;
RESET client_min_messages;
SELECT * FROM pg_temp.err($$DROP TABLE kpi.official_result_2026$$);

DROP TABLE archive_result, archive_ledger, copied;
DROP SCHEMA kpi_archive;
SET kpi_eval.allow_drop_with_data = on;
SET client_min_messages = error;
DROP OWNED BY regress_kpi_part_unit2;
DROP ROLE regress_kpi_part_unit2;
DROP EXTENSION kpi_eval_reference;
