-- Roster benchmark (issue 13 follow-up), for bench/roster.sh: assignment
-- history and leave over the organisation of bench/evaluate.sql, and the
-- first version of the roster, to time against the installed one.
--
--   psql -v step=history [-v years=0] -f bench/roster.sql
--   psql -v step=before -f bench/roster.sql
--
-- step=history (after evaluate.sql step=gen): every official's assignment as
-- the upgrade from 0.1.0 writes it (kpi.official's unit, no bounds), except:
-- 10% move on a day of 2026 from another unit (their first assignment ends
-- the day before), 0.2% left in 2025 (one assignment, ended 2025-07-01); with
-- years = N, every official also has N yearly assignments before 2026 in
-- other units.  Leave: 2% maternity of 4 to 6 months, 5% a few sick days.
-- step=before: kpi.period_assignment as first released in 0.2.0 (every
-- assignment of every official, multiranges), kpi.period_roster with its rule
-- values inlined per row (as before), and without the indexes added for them.
\set ON_ERROR_STOP 1
\if :{?step} \else \set step history \endif
\if :{?years} \else \set years 0 \endif
SELECT (:'step' = 'history') AS is_history \gset

\if :is_history
SET max_parallel_workers_per_gather = 0;
SELECT max(unit_id) AS max_unit FROM kpi.unit \gset
-- the earlier years: yearly assignments up to a day of 2025, the first unbounded below
INSERT INTO kpi.assignment (official_id, unit_id, task_group, valid, note)
SELECT o.official_id, 1 + (o.unit_id + k) % :max_unit, 'g1',
       daterange(CASE WHEN k > 1 THEN make_date(2025 - :years + k - 1, 1, 1) + (o.official_id % 300)::int END,
                 make_date(2025 - :years + k, 1, 1) + (o.official_id % 300)::int),
       'earlier'
FROM kpi.official o, generate_series(1, :years) k
WHERE o.official_id % 500 <> 7
ORDER BY o.official_id, k;
-- movers: the assignment before the move
INSERT INTO kpi.assignment (official_id, unit_id, task_group, is_leader, leads_unit, valid, note)
SELECT o.official_id, 1 + o.unit_id % :max_unit, 'g1', false, NULL,
       daterange(CASE WHEN :years > 0 THEN make_date(2025, 1, 1) + (o.official_id % 300)::int END,
                 date '2026-01-01' + (o.official_id * 37 % 365)::int), 'moved'
FROM kpi.official o WHERE o.official_id % 10 = 3 AND o.official_id > 1000
ORDER BY o.official_id;
-- the current assignment (kpi.official's columns, which the mirror keeps)
INSERT INTO kpi.assignment (official_id, unit_id, task_group, is_leader, leads_unit, valid, note)
SELECT o.official_id, o.unit_id, o.task_group, o.is_leader, o.leads_unit,
       daterange(CASE WHEN o.official_id % 10 = 3 AND o.official_id > 1000
                      THEN date '2026-01-01' + (o.official_id * 37 % 365)::int
                      WHEN :years > 0 THEN make_date(2025, 1, 1) + (o.official_id % 300)::int END, NULL),
       'current'
FROM kpi.official o WHERE o.official_id % 500 <> 7
ORDER BY o.official_id;
-- left in 2025: one assignment, ended
INSERT INTO kpi.assignment (official_id, unit_id, task_group, valid, note)
SELECT o.official_id, o.unit_id, o.task_group, daterange(date '2024-01-01', date '2025-07-01'), 'left'
FROM kpi.official o WHERE o.official_id % 500 = 7 AND NOT o.is_leader;
-- leave
INSERT INTO kpi.leave (official_id, kind, valid)
SELECT o.official_id, 'maternity', daterange(date '2026-02-01' + (o.official_id % 150)::int,
                                             date '2026-02-01' + (o.official_id % 150)::int + 120 + (o.official_id % 60)::int)
FROM kpi.official o WHERE o.official_id % 50 = 11;
INSERT INTO kpi.leave (official_id, kind, valid)
SELECT o.official_id, 'sick', daterange(date '2026-01-05' + (o.official_id * 13 % 340)::int,
                                        date '2026-01-05' + (o.official_id * 13 % 340)::int + 1 + (o.official_id % 5)::int)
FROM kpi.official o WHERE o.official_id % 20 = 4;
RESET max_parallel_workers_per_gather;
VACUUM ANALYZE kpi.assignment, kpi.leave, kpi.official;
SELECT (SELECT count(*) FROM kpi.assignment) AS assignments,
       (SELECT count(DISTINCT official_id) FROM kpi.assignment WHERE note = 'moved') AS moved_in_2026,
       (SELECT count(*) FROM kpi.assignment WHERE note = 'left') AS left_in_2025,
       (SELECT count(*) FROM kpi.leave) AS leaves;
\else
-- the first version of 0.2.0
CREATE OR REPLACE FUNCTION kpi.period_assignment(period_start date, period_end date)
RETURNS TABLE (official_id bigint, unit_id bigint, task_group text, is_leader boolean, leads_unit bigint,
               assignment_id bigint, days_assigned integer, days_worked integer)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	WITH p AS (
		SELECT daterange(period_assignment.period_start, period_assignment.period_end, '[]') AS r
	),
	a AS (
		SELECT a.official_id, a.unit_id, a.task_group, a.is_leader, a.leads_unit, a.assignment_id,
		       a.valid OPERATOR(pg_catalog.*) p.r AS r, a.valid
		FROM kpi.assignment a CROSS JOIN p
	),
	mine AS (
		SELECT DISTINCT ON (a.official_id) a.official_id, a.unit_id, a.task_group, a.is_leader, a.leads_unit,
		       a.assignment_id,
		       sum(coalesce(upper(a.r) - lower(a.r), 0)) OVER (PARTITION BY a.official_id) AS days_assigned,
		       range_agg(a.r) OVER (PARTITION BY a.official_id) AS worked
		FROM a
		ORDER BY a.official_id, coalesce(upper(a.r) - lower(a.r), 0) DESC, lower(a.valid) DESC NULLS LAST
	),
	roster AS (
		SELECT m.official_id, m.unit_id, m.task_group, m.is_leader, m.leads_unit, m.assignment_id,
		       m.days_assigned::integer AS days_assigned, m.worked
		FROM mine m
		UNION ALL
		SELECT o.official_id, o.unit_id, o.task_group, o.is_leader, o.leads_unit, NULL::bigint,
		       upper(p.r) - lower(p.r), datemultirange(p.r)
		FROM kpi.official o CROSS JOIN p
		WHERE NOT EXISTS (SELECT 1 FROM kpi.assignment x WHERE x.official_id = o.official_id)
	),
	away AS (
		SELECT l.official_id, range_agg(l.valid OPERATOR(pg_catalog.*) p.r) AS off
		FROM kpi.leave l CROSS JOIN p
		WHERE l.valid OPERATOR(pg_catalog.&&) p.r
		GROUP BY l.official_id
	)
	SELECT r.official_id, r.unit_id, r.task_group, r.is_leader, r.leads_unit, r.assignment_id, r.days_assigned,
	       r.days_assigned - coalesce((SELECT sum(upper(x) - lower(x))::integer
	                                   FROM unnest(r.worked OPERATOR(pg_catalog.*) w.off) AS x), 0)
	FROM roster r
	LEFT JOIN away w ON w.official_id = r.official_id
$$;
-- kpi.period_roster as installed, its CTE x not materialized
SELECT replace(pg_get_functiondef('kpi.period_roster(date, text, jsonb)'::regprocedure),
               'WITH x AS MATERIALIZED (', 'WITH x AS (') \gexec
DROP INDEX IF EXISTS kpi.assignment_valid_idx, kpi.assignment_official_id_lower_idx, kpi.leave_valid_idx;
\endif
