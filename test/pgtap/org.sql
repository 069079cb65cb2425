-- test/pgtap/org.sql: properties of the agency, index, law-making and
-- deduction objects (rules.md AG, IX, LM, GN): catalog properties, the
-- combine paths of their aggregates (forced parallel, partitionwise),
-- kpi.lawmaking_agg against a plain-SQL reference, and kpi.lm_append of
-- consecutive periods.  Everything runs in one transaction, rolled back.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS kpi_eval;

SELECT plan(63);

------------------------------------------------------------------------------
-- Catalog: every routine IMMUTABLE, PARALLEL SAFE, commented, and STRICT
-- exactly where a NULL argument means a NULL result
------------------------------------------------------------------------------

CREATE TEMP TABLE routines (sig text, strict boolean);
INSERT INTO routines VALUES
	('kpi.deduction_points(numeric,numeric,bigint)', true),
	('kpi.wait_events(timestamptz,timestamptz,interval,timestamptz)', false),
	('kpi.group_points_trans(bigint[],numeric,numeric)', true),
	('kpi.group_points_combine(bigint[],bigint[])', true),
	('kpi.group_points_final(bigint[])', true),
	('kpi.group_points(numeric,numeric)', false),
	('kpi.agency_general_points(numeric[],jsonb)', true),
	('kpi.agency_score(numeric,kpi.tally,bigint,bigint,bigint,jsonb,text,jsonb)', true),
	('kpi.agency_components(numeric,kpi.tally,bigint,bigint,bigint,jsonb,text,jsonb)', true),
	('kpi.head_tier(kpi.tier,kpi.tier,jsonb)', true),
	('kpi.head_capped(kpi.tier,kpi.tier,jsonb)', true),
	('kpi.index_check(text,numeric)', true),
	('kpi.index_fraction(text,numeric,boolean)', true),
	('kpi.pci_composite(numeric[],numeric[])', true),
	('kpi.pci_check(numeric,numeric[],numeric[],numeric)', true),
	('kpi.index_norm(text,numeric,text,boolean,jsonb)', false),
	('kpi.lawmaking_in(cstring)', true),
	('kpi.lawmaking_out(kpi.lawmaking)', true),
	('kpi.lawmaking_recv(internal)', true),
	('kpi.lawmaking_send(kpi.lawmaking)', true),
	('kpi.lawmaking_agg_trans(kpi.lawmaking,date,date,integer,integer,integer,integer,date,date)', false),
	('kpi.lawmaking_combine(kpi.lawmaking,kpi.lawmaking)', true),
	('kpi.lawmaking_agg(date,date,integer,integer,integer,integer,date,date)', false),
	('kpi.rollup(kpi.lawmaking)', false),
	('kpi.lm_append(kpi.lawmaking,kpi.lawmaking)', true),
	('kpi.lm_components(kpi.lawmaking)', true),
	('kpi.lm_on_time_rate(kpi.lawmaking)', true),
	('kpi.lm_first_pass_rate(kpi.lawmaking)', true),
	('kpi.lm_obstacle_rate(kpi.lawmaking)', true),
	('kpi.lm_backlog(kpi.lawmaking)', true),
	('kpi.lm_late_issued(kpi.lawmaking)', true),
	('kpi.lm_initiatives(kpi.lawmaking)', true),
	('kpi.lm_score(kpi.lawmaking,numeric,jsonb)', true),
	('kpi.lm_points(kpi.lawmaking,numeric,jsonb)', true),
	('kpi.period_bounds(text,date)', true),
	('kpi.lm_is_backlog(date,date,date)', false);

-- 36 tests
SELECT ok(p.oid IS NOT NULL AND p.provolatile = 'i' AND p.proparallel = 's'
          AND p.proisstrict = r.strict
          AND coalesce(obj_description(p.oid, 'pg_proc'), '') <> '',
          r.sig || ': immutable, parallel safe, ' || CASE WHEN r.strict THEN '' ELSE 'not ' END
                || 'strict, commented')
FROM routines r LEFT JOIN pg_proc p ON p.oid = to_regprocedure(r.sig)
ORDER BY r.sig;

-- aggregates: a combine function and a real (non-internal) state type (3 tests)
SELECT ok(a.aggcombinefn <> 0 AND a.aggtranstype <> 'internal'::regtype AND a.aggkind = 'n',
          a.aggfnoid::regprocedure::text || ': combine function, state type ' || format_type(a.aggtranstype, NULL))
FROM pg_aggregate a
WHERE a.aggfnoid IN (to_regprocedure('kpi.group_points(numeric,numeric)'),
                     to_regprocedure('kpi.lawmaking_agg(date,date,integer,integer,integer,integer,date,date)'),
                     to_regprocedure('kpi.rollup(kpi.lawmaking)'))
ORDER BY a.aggfnoid::regprocedure::text;

-- the summary type: text and binary I/O, plain storage, double alignment, commented
SELECT ok(t.typinput <> 0 AND t.typoutput <> 0 AND t.typreceive <> 0 AND t.typsend <> 0
          AND t.typstorage = 'p' AND t.typalign = 'd' AND t.typlen = -1
          AND coalesce(obj_description(t.oid, 'pg_type'), '') <> '',
          'kpi.lawmaking: text and binary I/O, plain storage, commented')
FROM pg_type t WHERE t.oid = to_regtype('kpi.lawmaking');
SELECT is((SELECT prokind FROM pg_proc WHERE oid = to_regprocedure('kpi.index_norm(text,numeric,text,boolean,jsonb)')),
          'w'::"char", 'kpi.index_norm is a window function');
SELECT is((SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
           WHERE p.oid = to_regprocedure('kpi.lm_is_backlog(date,date,date)')),
          'sql'::name, 'kpi.lm_is_backlog is plain SQL, inlined into FILTER clauses');

------------------------------------------------------------------------------
-- Generated documents: 7 ministries, 60000 rows, dates from mid-2025 to
-- 2028, some never issued, some report rows without a due date
------------------------------------------------------------------------------

CREATE TABLE lm_docs AS
SELECT g,
       'm' || (g % 7) AS ministry,
       CASE WHEN g % 50 = 0 THEN NULL ELSE date '2025-06-01' + (hashint4(g) & 1023) END AS due,
       CASE WHEN g % 50 = 0 THEN date '2026-01-01' + (hashint4(g * 5) & 511)
            WHEN hashint4(g * 3) % 5 = 0 THEN NULL
            ELSE date '2025-06-01' + (hashint4(g) & 1023) + ((hashint4(g * 7) & 127) - 60) END AS issued,
       CASE WHEN g % 97 = 0 THEN NULL ELSE hashint4(g * 11) & 3 END AS times_returned,
       hashint4(g * 13) & 3 AS detected,
       least(hashint4(g * 13) & 3, hashint4(g * 17) & 3) AS resolved,
       CASE WHEN g % 9 = 0 THEN 1 + (g % 2) ELSE 0 END AS initiatives
FROM generate_series(1, 60000) g;
ANALYZE lm_docs;

-- the periods: two quarters and the half-year crossing the 2026 year end,
-- the four quarters and two halves of 2027, the year 2027, 3 months of 2027
CREATE TABLE lm_periods AS
SELECT name, b.period_start, b.period_end
FROM (VALUES ('q 2026-10', 'quarter', date '2026-10-01'), ('q 2027-01', 'quarter', '2027-01-01'),
             ('h 2026-10', 'half', '2026-10-01'),
             ('q 2027-04', 'quarter', '2027-04-01'), ('q 2027-07', 'quarter', '2027-07-01'),
             ('q 2027-10', 'quarter', '2027-10-01'), ('h 2027-01', 'half', '2027-01-01'),
             ('h 2027-07', 'half', '2027-07-01'), ('y 2027', 'year', '2027-01-01'),
             ('m 2027-01', 'month', '2027-01-01'), ('m 2027-02', 'month', '2027-02-01'),
             ('m 2027-03', 'month', '2027-03-01')) v(name, kind, start),
     kpi.period_bounds(kind, start) b;

-- serial results, per ministry and period
SET max_parallel_workers_per_gather = 0;
CREATE TABLE lm_serial AS
SELECT d.ministry, p.name,
       kpi.lawmaking_agg(d.due, d.issued, d.times_returned, d.detected, d.resolved,
                         d.initiatives, p.period_start, p.period_end)::text AS s
FROM lm_docs d, lm_periods p
GROUP BY d.ministry, p.name;

------------------------------------------------------------------------------
-- kpi.lawmaking_agg against a plain-SQL reference of LM3 (1 test)
------------------------------------------------------------------------------

SELECT results_eq(
	$$SELECT s.ministry, s.name, c.due_in_period, c.on_time, c.late_issued, c.backlog,
	         c.issued_in_period, c.first_pass, c.obstacles_detected, c.obstacles_resolved, c.initiatives
	  FROM lm_serial s, kpi.lm_components(s.s::kpi.lawmaking) c ORDER BY 1, 2$$,
	$$SELECT d.ministry, p.name,
	         count(*) FILTER (WHERE d.due BETWEEN p.period_start AND p.period_end),
	         count(*) FILTER (WHERE d.due BETWEEN p.period_start AND p.period_end AND d.issued <= d.due),
	         count(*) FILTER (WHERE d.due IS NOT NULL AND d.issued BETWEEN p.period_start AND p.period_end AND d.issued > d.due),
	         count(*) FILTER (WHERE kpi.lm_is_backlog(d.due, d.issued, p.period_end)),
	         count(*) FILTER (WHERE d.due IS NOT NULL AND d.issued BETWEEN p.period_start AND p.period_end),
	         count(*) FILTER (WHERE d.due IS NOT NULL AND d.issued BETWEEN p.period_start AND p.period_end
	                          AND coalesce(d.times_returned, 0) = 0),
	         coalesce(sum(d.detected) FILTER (WHERE coalesce(d.due, d.issued) BETWEEN p.period_start AND p.period_end), 0),
	         coalesce(sum(d.resolved) FILTER (WHERE coalesce(d.due, d.issued) BETWEEN p.period_start AND p.period_end), 0),
	         coalesce(sum(d.initiatives) FILTER (WHERE coalesce(d.due, d.issued) BETWEEN p.period_start AND p.period_end), 0)
	  FROM lm_docs d, lm_periods p GROUP BY 1, 2 ORDER BY 1, 2$$,
	'lawmaking_agg counts equal the plain-SQL definitions of LM3 for every ministry and period');

------------------------------------------------------------------------------
-- LM1: consecutive periods append exactly (4 tests)
------------------------------------------------------------------------------

CREATE FUNCTION pg_temp.lm(m text, n text) RETURNS kpi.lawmaking
LANGUAGE sql AS $$ SELECT s::kpi.lawmaking FROM lm_serial WHERE ministry = m AND name = n $$;

SELECT is((SELECT count(*) FROM (SELECT DISTINCT ministry FROM lm_serial) m
           WHERE kpi.lm_append(pg_temp.lm(ministry, 'q 2026-10'), pg_temp.lm(ministry, 'q 2027-01'))::text
                 = pg_temp.lm(ministry, 'h 2026-10')::text), 7::bigint,
          'two quarters appended equal the half-year across the year end, for all 7 ministries');
SELECT is((SELECT count(*) FROM (SELECT DISTINCT ministry FROM lm_serial) m
           WHERE kpi.lm_append(kpi.lm_append(pg_temp.lm(ministry, 'q 2027-01'), pg_temp.lm(ministry, 'q 2027-04')),
                               kpi.lm_append(pg_temp.lm(ministry, 'q 2027-07'), pg_temp.lm(ministry, 'q 2027-10')))::text
                 = pg_temp.lm(ministry, 'y 2027')::text), 7::bigint,
          'four quarters appended pairwise equal the year');
SELECT is((SELECT count(*) FROM (SELECT DISTINCT ministry FROM lm_serial) m
           WHERE kpi.lm_append(pg_temp.lm(ministry, 'h 2027-07'), pg_temp.lm(ministry, 'h 2027-01'))::text
                 = pg_temp.lm(ministry, 'y 2027')::text), 7::bigint,
          'two halves appended (later one first) equal the year');
SELECT is((SELECT count(*) FROM (SELECT DISTINCT ministry FROM lm_serial) m
           WHERE kpi.lm_append(pg_temp.lm(ministry, 'm 2027-01'),
                               kpi.lm_append(pg_temp.lm(ministry, 'm 2027-02'), pg_temp.lm(ministry, 'm 2027-03')))::text
                 = pg_temp.lm(ministry, 'q 2027-01')::text), 7::bigint,
          'three months appended equal the quarter');

------------------------------------------------------------------------------
-- Order independence and round trips (3 tests)
------------------------------------------------------------------------------

SELECT results_eq(
	$$SELECT ministry, kpi.lawmaking_agg(due, issued, times_returned, detected, resolved, initiatives,
	                                     '2026-10-01', '2027-03-31' ORDER BY hashint4(g * 31))::text
	  FROM lm_docs GROUP BY ministry ORDER BY ministry$$,
	$$SELECT ministry, s FROM lm_serial WHERE name = 'h 2026-10' ORDER BY ministry$$,
	'lawmaking_agg is independent of row order');
SELECT is((SELECT count(*) FROM lm_serial WHERE s::kpi.lawmaking::text = s), (SELECT count(*) FROM lm_serial),
          'every summary round-trips through text');
SELECT is((SELECT count(*) FROM lm_serial
           WHERE kpi.lawmaking_send(s::kpi.lawmaking) = kpi.lawmaking_send(s::kpi.lawmaking::text::kpi.lawmaking)),
          (SELECT count(*) FROM lm_serial), 'text round trips keep the same binary form');

------------------------------------------------------------------------------
-- Forced parallel plans: the combine functions run, and give the serial
-- results bit for bit (7 tests)
------------------------------------------------------------------------------

-- plan(q): EXPLAIN ANALYZE of q, one string
CREATE FUNCTION pg_temp.plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	line text;
	result text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
		result := result || line || E'\n';
	END LOOP;
	RETURN result;
END $$;

CREATE TABLE gp_criteria AS
SELECT g, 'grp' || (g % 5) AS grp, ((hashint4(g) & 1023) / 100.0)::numeric(10, 4) AS points,
       (g % 5) * 100 + 250 AS group_max
FROM generate_series(1, 40000) g;
ANALYZE gp_criteria;
CREATE TABLE gp_serial AS
SELECT grp, kpi.group_points(points, group_max) AS points, least(sum(points), min(group_max)) AS reference
FROM gp_criteria GROUP BY grp;
CREATE TABLE lm_units AS
SELECT ministry, g % 3 AS unit,
       kpi.lawmaking_agg(due, issued, times_returned, detected, resolved, initiatives, '2026-10-01', '2027-03-31') AS s
FROM lm_docs GROUP BY ministry, g % 3;
CREATE TABLE lm_rollup_serial AS SELECT kpi.rollup(s)::text AS s FROM lm_units;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 4;
SET parallel_leader_participation = off;

SELECT ok(pg_temp.plan($$SELECT kpi.lawmaking_agg(due, issued, times_returned, detected, resolved, initiatives,
                                                  '2026-10-01', '2027-03-31') FROM lm_docs$$)
          ~ 'Partial Aggregate.*Workers Launched: [1-9]|Workers Launched: [1-9].*Partial Aggregate',
          'lawmaking_agg runs as a parallel partial aggregate');
CREATE TABLE lm_parallel AS
SELECT ministry, kpi.lawmaking_agg(due, issued, times_returned, detected, resolved, initiatives,
                                   '2026-10-01', '2027-03-31')::text AS s
FROM lm_docs GROUP BY ministry;
SELECT results_eq($$SELECT ministry, s FROM lm_parallel ORDER BY ministry$$,
                  $$SELECT ministry, s FROM lm_serial WHERE name = 'h 2026-10' ORDER BY ministry$$,
                  'lawmaking_agg: parallel per-ministry results equal the serial ones');
CREATE TABLE lm_parallel_all AS
SELECT kpi.lawmaking_agg(due, issued, times_returned, detected, resolved, initiatives,
                         '2026-10-01', '2027-03-31')::text AS s FROM lm_docs;
SELECT is((SELECT s FROM lm_parallel_all),
          (SELECT kpi.rollup(s::kpi.lawmaking)::text FROM lm_serial WHERE name = 'h 2026-10'),
          'lawmaking_agg: the parallel total equals the rollup of the serial per-ministry summaries');

SELECT ok(pg_temp.plan($$SELECT grp, kpi.group_points(points, group_max) FROM gp_criteria GROUP BY grp$$)
          ~ 'Partial (Hash|Group)?Aggregate',
          'group_points runs as a parallel partial aggregate');
CREATE TABLE gp_parallel AS
SELECT grp, kpi.group_points(points, group_max) AS points FROM gp_criteria GROUP BY grp;
SELECT results_eq($$SELECT grp, points FROM gp_parallel ORDER BY grp$$,
                  $$SELECT grp, reference FROM gp_serial ORDER BY grp$$,
                  'group_points: parallel results equal least(sum, group_max) computed serially');

SELECT ok(pg_temp.plan($$SELECT kpi.rollup(s) FROM lm_units$$) ~ 'Partial Aggregate',
          'rollup(kpi.lawmaking) runs as a parallel partial aggregate');
CREATE TABLE lm_rollup_parallel AS SELECT kpi.rollup(s)::text AS s FROM lm_units;
SELECT is((SELECT s FROM lm_rollup_parallel), (SELECT s FROM lm_rollup_serial),
          'rollup(kpi.lawmaking): parallel result equals serial');

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

------------------------------------------------------------------------------
-- Partitionwise aggregation: a table partitioned by ministry gives the same
-- summaries as the plain table (4 tests)
------------------------------------------------------------------------------

CREATE TABLE lm_docs_p (LIKE lm_docs) PARTITION BY LIST (ministry);
DO $$
BEGIN
	FOR i IN 0..6 LOOP
		EXECUTE format('CREATE TABLE lm_docs_p%s PARTITION OF lm_docs_p FOR VALUES IN (%L)', i, 'm' || i);
	END LOOP;
END $$;
INSERT INTO lm_docs_p SELECT * FROM lm_docs;
ANALYZE lm_docs_p;
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;

-- not grouped by the partition key: partial aggregates per partition, combined
SELECT ok(pg_temp.plan($$SELECT kpi.lawmaking_agg(due, issued, times_returned, detected, resolved, initiatives,
                                                  '2026-10-01', '2027-03-31') FROM lm_docs_p$$)
          ~ 'Finalize Aggregate.*Partial Aggregate',
          'lawmaking_agg over a partitioned table combines per-partition partial aggregates');
SELECT is((SELECT kpi.lawmaking_agg(due, issued, times_returned, detected, resolved, initiatives,
                                    '2026-10-01', '2027-03-31')::text FROM lm_docs_p),
          (SELECT s FROM lm_parallel_all),
          'lawmaking_agg: partitioned total equals the unpartitioned total');
SELECT ok(pg_temp.plan($$SELECT kpi.group_points(initiatives, 100000) FROM lm_docs_p$$)
          ~ 'Finalize Aggregate.*Partial Aggregate',
          'group_points over a partitioned table combines per-partition partial aggregates');
-- grouped by the partition key: a full aggregate per partition
SELECT results_eq(
	$$SELECT ministry, kpi.lawmaking_agg(due, issued, times_returned, detected, resolved, initiatives,
	                                     '2026-10-01', '2027-03-31')::text FROM lm_docs_p GROUP BY ministry ORDER BY ministry$$,
	$$SELECT ministry, s FROM lm_serial WHERE name = 'h 2026-10' ORDER BY ministry$$,
	'lawmaking_agg: per-partition results equal the unpartitioned ones');

RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;

------------------------------------------------------------------------------
-- Scores read from the summaries: the same whatever path built them, and
-- tiered like civil servants (AG4, LM4) (2 tests)
------------------------------------------------------------------------------

SELECT is((SELECT count(*) FROM lm_serial s JOIN lm_parallel p USING (ministry)
           WHERE s.name = 'h 2026-10'
             AND kpi.lm_score(s.s::kpi.lawmaking, 7) = kpi.lm_score(p.s::kpi.lawmaking, 7)
             AND kpi.lm_score(s.s::kpi.lawmaking, 7) IS NOT NULL), 7::bigint,
          'lm_score of the parallel summaries equals that of the serial ones');
SELECT is((SELECT count(*) FROM lm_serial s, kpi.lm_points(s.s::kpi.lawmaking, 7) p
           WHERE kpi.tier_of(p.score) = kpi.tier_of(kpi.lm_score(s.s::kpi.lawmaking, 7))
             AND abs(p.progress_points + p.quality_points + p.obstacles_points + p.initiatives_points
                     + p.impact_points - p.score) <= 0.005),
          (SELECT count(*) FROM lm_serial),
          'lm_points add up to the score (within its rounding) for every summary');

SELECT * FROM finish();
ROLLBACK;
