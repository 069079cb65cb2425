-- test/pgtap/period_assignment.sql: kpi.period_assignment (issue 13 follow-up,
-- rules.md CY4) answers exactly as the first version, which read every
-- assignment of every official with multiranges, on 300 officials with random
-- histories (none, one open, moves with gaps, assignments starting after the
-- period or ended before it, no lower bound) and random leave, for every
-- month, quarter and year of 2025-2027, single days, a period open at its
-- end, and a period before and after every assignment; and the indexes it
-- relies on are there.
-- Everything runs in one transaction, rolled back.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS kpi_eval_reference CASCADE;
SET client_min_messages = warning;

SELECT plan(5);
SELECT setseed(0.42);

-- the first version (0.2.0 before the follow-up), as the reference
CREATE FUNCTION pg_temp.period_assignment_v1(period_start date, period_end date)
RETURNS TABLE (official_id bigint, unit_id bigint, task_group text, is_leader boolean, leads_unit bigint,
               assignment_id bigint, days_assigned integer, days_worked integer)
LANGUAGE sql STABLE
AS $$
	WITH p AS (SELECT daterange(period_assignment_v1.period_start, period_assignment_v1.period_end, '[]') AS r),
	a AS (SELECT a.official_id, a.unit_id, a.task_group, a.is_leader, a.leads_unit, a.assignment_id,
	             a.valid * p.r AS r, a.valid
	      FROM kpi.assignment a CROSS JOIN p),
	mine AS (SELECT DISTINCT ON (a.official_id) a.official_id, a.unit_id, a.task_group, a.is_leader, a.leads_unit,
	                a.assignment_id,
	                sum(coalesce(upper(a.r) - lower(a.r), 0)) OVER (PARTITION BY a.official_id) AS days_assigned,
	                range_agg(a.r) OVER (PARTITION BY a.official_id) AS worked
	         FROM a
	         ORDER BY a.official_id, coalesce(upper(a.r) - lower(a.r), 0) DESC, lower(a.valid) DESC NULLS LAST),
	roster AS (SELECT m.official_id, m.unit_id, m.task_group, m.is_leader, m.leads_unit, m.assignment_id,
	                  m.days_assigned::integer AS days_assigned, m.worked
	           FROM mine m
	           UNION ALL
	           SELECT o.official_id, o.unit_id, o.task_group, o.is_leader, o.leads_unit, NULL::bigint,
	                  upper(p.r) - lower(p.r), datemultirange(p.r)
	           FROM kpi.official o CROSS JOIN p
	           WHERE NOT EXISTS (SELECT 1 FROM kpi.assignment x WHERE x.official_id = o.official_id)),
	away AS (SELECT l.official_id, range_agg(l.valid * p.r) AS off
	         FROM kpi.leave l CROSS JOIN p WHERE l.valid && p.r GROUP BY l.official_id)
	SELECT r.official_id, r.unit_id, r.task_group, r.is_leader, r.leads_unit, r.assignment_id, r.days_assigned,
	       r.days_assigned - coalesce((SELECT sum(upper(x) - lower(x))::integer
	                                   FROM unnest(r.worked * w.off) AS x), 0)
	FROM roster r LEFT JOIN away w ON w.official_id = r.official_id
$$;

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind)
SELECT u, NULL, 'Sở ' || u, 'province' FROM generate_series(1, 6) u;
INSERT INTO kpi.official (official_id, unit_id, full_name, task_group, is_leader, leads_unit)
SELECT i, 1 + i % 6, 'Công chức ' || i, 'g' || (i % 3), i % 7 = 0, CASE WHEN i % 7 = 0 THEN 1 + i % 6 END
FROM generate_series(1, 300) i;
-- histories: 0 to 4 assignments of 20 to 500 days with gaps of 0 to 90 days from
-- a random start in 2024-2026; the first may have no lower bound, the last no upper
CREATE TEMP TABLE h AS
SELECT o.official_id, k, (20 + random() * 480)::int AS len, (CASE WHEN random() < 0.5 THEN 0 ELSE random() * 90 END)::int AS gap,
       1 + (random() * 5)::int AS unit, random() < 0.3 AS leader
FROM kpi.official o, LATERAL generate_series(1, (o.official_id % 5)::int) k
WHERE o.official_id % 5 > 0;
CREATE TEMP TABLE hs AS
SELECT h.*, date '2024-01-01' + (hashint4(h.official_id::int) % 900 + 900) % 900
       + (sum(h.len + h.gap) OVER (PARTITION BY h.official_id ORDER BY h.k) - h.len - h.gap)::int AS first_day,
       max(h.k) OVER (PARTITION BY h.official_id) AS last_k
FROM h;
INSERT INTO kpi.assignment (official_id, unit_id, task_group, is_leader, leads_unit, valid)
SELECT hs.official_id, hs.unit, 'g' || hs.k, hs.leader, CASE WHEN hs.leader THEN hs.unit END,
       daterange(CASE WHEN hs.k = 1 AND hs.official_id % 3 = 0 THEN NULL ELSE hs.first_day END,
                 CASE WHEN hs.k = hs.last_k AND hs.official_id % 4 <> 1 THEN NULL ELSE hs.first_day + hs.len END)
FROM hs ORDER BY hs.official_id, hs.k;
-- leave: up to 3 spells of 1 to 150 days, apart
INSERT INTO kpi.leave (official_id, kind, valid)
SELECT o.official_id, CASE WHEN k = 1 THEN 'maternity' ELSE 'sick' END,
       daterange(date '2025-01-01' + (k - 1) * 330 + (random() * 150)::int,
                 date '2025-01-01' + (k - 1) * 330 + 151 + (random() * 150)::int)
FROM kpi.official o, generate_series(1, 3) k
WHERE random() < 0.4;
ANALYZE kpi.assignment, kpi.leave, kpi.official;

CREATE TEMP TABLE period (period_start date, period_end date);
INSERT INTO period
SELECT d, (d + interval '1 month - 1 day')::date FROM generate_series(date '2025-01-01', date '2027-12-01', interval '1 month') d
UNION ALL
SELECT d, (d + interval '3 months - 1 day')::date FROM generate_series(date '2025-01-01', date '2027-10-01', interval '3 months') d
UNION ALL
SELECT make_date(y, 1, 1), make_date(y, 12, 31) FROM generate_series(2025, 2027) y
UNION ALL
SELECT d, d FROM generate_series(date '2025-02-27', date '2027-12-31', interval '37 days') d
UNION ALL
VALUES (date '2026-03-01', NULL::date), (date '1990-01-01', date '1990-12-31'), (date '2040-01-01', date '2040-03-31');

SELECT ok((SELECT count(*) FILTER (WHERE n = 0) > 40 AND count(*) FILTER (WHERE n >= 3) > 100
                  AND count(*) FILTER (WHERE open) > 100 AND count(*) FILTER (WHERE since_before) > 30
           FROM (SELECT o.official_id, count(a.*) AS n, bool_or(upper_inf(a.valid)) AS open,
                        bool_or(lower_inf(a.valid)) AS since_before
                 FROM kpi.official o LEFT JOIN kpi.assignment a USING (official_id) GROUP BY 1) s)
          AND (SELECT count(*) > 100 FROM kpi.leave),
          'the histories are varied: no assignment, several, open, since before the records, leave');
SELECT ok((SELECT count(*) FILTER (WHERE x.assignment_id IS NOT NULL AND x.days_assigned = 0) > 200
                  AND count(*) FILTER (WHERE x.days_assigned > 0 AND x.days_worked < x.days_assigned) > 200
                  AND count(*) FILTER (WHERE x.assignment_id IS NULL) > 1000
           FROM period p CROSS JOIN LATERAL kpi.period_assignment(p.period_start, p.period_end) x),
          'the periods meet officials with no assignment covering them, with leave, and without assignments');
SELECT is((SELECT count(*) FROM period p CROSS JOIN LATERAL kpi.period_assignment(p.period_start, p.period_end) x),
          (SELECT count(*) * 300 FROM period), 'one row per official and period');
SELECT is_empty($$
	SELECT p.period_start, p.period_end, d.*
	FROM period p
	CROSS JOIN LATERAL ((SELECT * FROM kpi.period_assignment(p.period_start, p.period_end)
	                     EXCEPT ALL SELECT * FROM pg_temp.period_assignment_v1(p.period_start, p.period_end))
	                    UNION ALL
	                    (SELECT * FROM pg_temp.period_assignment_v1(p.period_start, p.period_end)
	                     EXCEPT ALL SELECT * FROM kpi.period_assignment(p.period_start, p.period_end))) d
$$, 'kpi.period_assignment gives exactly the rows of the first version for every period');

-- the indexes: the assignments and leave overlapping a period, an official's latest
SELECT set_has($$SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
                 WHERE i.indrelid IN ('kpi.assignment'::regclass, 'kpi.leave'::regclass)$$,
               $$VALUES ('CREATE INDEX assignment_valid_idx ON kpi.assignment USING gist (valid)'),
                        ('CREATE INDEX assignment_official_id_lower_idx ON kpi.assignment USING btree (official_id, lower(valid) DESC NULLS LAST)'),
                        ('CREATE INDEX leave_valid_idx ON kpi.leave USING gist (valid)')$$,
               'kpi.assignment and kpi.leave have the indexes of kpi.period_assignment');
SELECT * FROM finish();
ROLLBACK;
