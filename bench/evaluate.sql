-- Scheduled-evaluation benchmark (issue 5): fills the reference schema with a
-- province of civil servants and a year of task lines, for bench/evaluate.sh
-- to time CALL kpi.evaluate over the 12 months of 2026 and the year.
--
--   psql -v officials=200000 -v lines=10000000 [-v seed=0.335] [-v step=gen|check] \
--        [-v months=12] -f bench/evaluate.sql
--
-- months (default 12) puts the lines and forms in the first months of 2026
-- only (bench/national.sh: one month at national size).
--
-- step=gen (the default) fills kpi.unit, kpi.official, kpi.task_line,
-- kpi.general_mark, kpi.leader_criteria and kpi.disciplinary_record of an
-- empty database with the extension created; step=check (after the runs)
-- prints the rows written and "violations = N" last: among a sample of 1000
-- scored results (of every run), those whose ledger does not add up exactly
-- to 100 - score.
--
-- Data:
--   kpi.unit      1: the province (agency_kind 'province'), its departments
--                 (one per 50 units, at least 1) and the units of about 20
--                 officials each, spread over the departments.
--   kpi.official  1 leader of the province (official 1, leads unit 1), one
--                 leader per department, then the units: the first official
--                 of each unit is its leader (leads_unit = the unit), the
--                 others are non-leaders in task groups 'g1'..'g3'.
--   kpi.task_line `lines` lines, official_id = 1 + g % officials (so every
--                 official has lines/officials of them, about 4 a month at
--                 the defaults), due dates rising through 2026 with a
--                 0-6 day jitter (rows arrive over time); coef 1 (85%),
--                 2 (8%), 0.5 (4%), 4 (3%); 75% single-unit lines, the rest
--                 2..6 units; about 90% complete, some partial, 3% not done;
--                 about 8% of the done units fail review, 5% with quality
--                 errors, 10% done late (one late event).
--   kpi.general_mark  every official and month: 10 marks within their
--                 maxima (5, 5, then 8 x 2.5), mostly full.
--   kpi.leader_criteria  every leader and month: dd and e 100, 10% each 50.
--   kpi.disciplinary_record  one per 2000 officials: reprimands (duty-related
--                 or not), a warning, a degradation; dated in 2026.
-- Deterministic: setseed and a serial plan.

\set ON_ERROR_STOP 1
\if :{?officials} \else \set officials 200000 \endif
\if :{?lines} \else \set lines 10000000 \endif
\if :{?seed} \else \set seed 0.335 \endif
\if :{?step} \else \set step gen \endif
\if :{?months} \else \set months 12 \endif

SELECT (:'step' = 'check') AS is_check \gset
\if :is_check
\else

SET max_parallel_workers_per_gather = 0;
SELECT setseed(:seed);

-- units: 1 province, D departments, U units of about 20 officials
SELECT greatest(1, ceil((:officials)::numeric / 20))::int AS nunits \gset
SELECT greatest(1, ceil((:nunits)::numeric / 50))::int AS ndepts \gset
\echo units: 1 province, :ndepts departments, :nunits units

INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind)
VALUES (1, NULL, 'Tỉnh', 'province');
INSERT INTO kpi.unit (unit_id, parent_id, name)
SELECT 1 + d, 1, 'Sở ' || d FROM generate_series(1, :ndepts) d;
INSERT INTO kpi.unit (unit_id, parent_id, name)
SELECT 1 + :ndepts + u, 2 + (u - 1) % :ndepts, 'Phòng ' || u
FROM generate_series(1, :nunits) u;

-- officials: 1 province leader, ndepts department leaders, then the units
INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group)
SELECT i,
       CASE WHEN i = 1 THEN 1
            WHEN i <= 1 + :ndepts THEN i
            ELSE 2 + :ndepts + (i - 2 - :ndepts) / 20 % :nunits END,
       'Công chức ' || i,
       i <= 1 + :ndepts OR (i - 2 - :ndepts) % 20 = 0,
       CASE WHEN i = 1 THEN 1
            WHEN i <= 1 + :ndepts THEN i
            WHEN (i - 2 - :ndepts) % 20 = 0 THEN 2 + :ndepts + (i - 2 - :ndepts) / 20 % :nunits END,
       CASE WHEN i <= 1 + :ndepts OR (i - 2 - :ndepts) % 20 = 0 THEN 'lanh_dao'
            ELSE 'g' || (1 + i % 3) END
FROM generate_series(1, :officials) i;

-- task lines, over the first `months` months of 2026
SELECT (date '2026-01-01' + make_interval(months => :months))::date - date '2026-01-01' AS days \gset
INSERT INTO kpi.task_line (official_id, title, due, done, coef, assigned_qty,
                           completed_qty, passed_qty, quality_errors, late_events)
SELECT official_id, NULL, due,
       CASE WHEN completed = 0 THEN NULL
            WHEN late THEN due + 1 + (r5 * 10)::int
            ELSE due - (r5 * 5)::int END,
       coef, assigned, completed,
       -- passed: about 8% of the completed units fail review
       CASE WHEN r6 < 0.08 THEN floor(completed * r7) ELSE completed END,
       CASE WHEN r6 < 0.05 THEN 1 + (r7 * 3)::int ELSE 0 END,
       CASE WHEN late AND completed > 0 THEN 1 ELSE 0 END
FROM (
	SELECT 1 + g % :officials AS official_id,
	       date '2026-01-01' + least(:days - 1, ((g::bigint - 1) * :days / :lines)::int + (r1 * 7)::int) AS due,
	       CASE WHEN r2 < 0.85 THEN 1 WHEN r2 < 0.93 THEN 2 WHEN r2 < 0.97 THEN 0.5 ELSE 4 END::numeric AS coef,
	       assigned,
	       CASE WHEN r3 < 0.03 THEN 0
	            WHEN r3 < 0.10 THEN floor(assigned * r4)
	            WHEN r3 < 0.12 THEN assigned + 1
	            ELSE assigned END::numeric AS completed,
	       r4 < 0.10 AS late, r5, r6, r7
	FROM (
		SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
		       random() AS r5, random() AS r6, random() AS r7,
		       CASE WHEN random() < 0.75 THEN 1 ELSE 2 + (random() * 4)::int END::numeric AS assigned
		FROM generate_series(1, :lines) g
	) a
) b;

-- general-criteria forms: every official and month
INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT o, date '2026-01-01' + make_interval(months => m - 1),
       ARRAY[CASE WHEN random() < 0.9 THEN 5 ELSE 4 END,
             CASE WHEN random() < 0.95 THEN 5 ELSE 4.5 END,
             2.5, 2.5, 2.5, 2.5, 2.5, 2.5,
             CASE WHEN random() < 0.9 THEN 2.5 ELSE 2 END,
             CASE WHEN random() < 0.8 THEN 2.5 ELSE 1.5 END]::numeric[]
FROM generate_series(1, :officials) o, generate_series(1, :months) m;

-- leaders' criteria dd and e
INSERT INTO kpi.leader_criteria (official_id, period_start, dd, e)
SELECT o.official_id, date '2026-01-01' + make_interval(months => m - 1),
       CASE WHEN random() < 0.1 THEN 50 ELSE 100 END,
       CASE WHEN random() < 0.1 THEN 50 ELSE 100 END
FROM kpi.official o, generate_series(1, :months) m
WHERE o.is_leader
ORDER BY o.official_id, m;

-- a few disciplinary records
INSERT INTO kpi.disciplinary_record (official_id, decided_on, kind, form, duty_related)
SELECT 1 + ((k * 1999 + 7) % :officials),
       date '2026-01-01' + (k * 37) % 365,
       CASE WHEN k % 10 = 0 THEN 'degradation' ELSE 'discipline' END,
       CASE WHEN k % 10 = 0 THEN NULL WHEN k % 5 = 0 THEN 'canh_cao' ELSE 'khien_trach' END::kpi.discipline_form,
       CASE WHEN k % 10 = 0 THEN NULL ELSE k % 2 = 0 END
FROM generate_series(1, greatest(1, :officials / 2000)) k;

RESET max_parallel_workers_per_gather;
VACUUM ANALYZE kpi.unit, kpi.official, kpi.task_line, kpi.general_mark,
               kpi.leader_criteria, kpi.disciplinary_record;

SELECT (SELECT count(*) FROM kpi.unit) AS units,
       (SELECT count(*) FROM kpi.official) AS officials,
       (SELECT count(*) FROM kpi.official WHERE is_leader) AS leaders,
       (SELECT count(*) FROM kpi.task_line) AS task_lines,
       (SELECT count(*) FROM kpi.general_mark) AS general_marks,
       (SELECT count(*) FROM kpi.leader_criteria) AS leader_criteria,
       (SELECT count(*) FROM kpi.disciplinary_record) AS disciplinary_records,
       pg_size_pretty(pg_total_relation_size('kpi.task_line')) AS task_line_size;
\endif

\if :is_check
\pset footer off
SELECT r.period_kind, count(DISTINCT r.run_id) AS runs, count(*) AS results,
       count(r.score) AS scored,
       (SELECT count(*) FROM kpi.ledger l JOIN kpi.evaluation_run e USING (run_id)
        WHERE e.period_kind = r.period_kind) AS ledger_rows
FROM kpi.official_result r GROUP BY r.period_kind ORDER BY r.period_kind DESC;
SELECT count(*) AS agency_results FROM kpi.agency_result;
SELECT tier, count(*) FROM kpi.official_result WHERE period_kind = 'year'
GROUP BY tier ORDER BY tier;
SELECT quota_tier, count(*) FROM kpi.official_result WHERE period_kind = 'year'
GROUP BY quota_tier ORDER BY quota_tier;

-- sample of 1000 scored results of every run (deterministic)
CREATE TEMP TABLE sample AS
SELECT run_id, official_id, score FROM kpi.official_result
WHERE score IS NOT NULL
ORDER BY hashtext(run_id || ':' || official_id), run_id, official_id
LIMIT 1000;
SELECT count(*) AS sampled, count(DISTINCT run_id) AS sampled_runs FROM sample;
\pset format unaligned
\pset tuples_only on
SELECT 'violations = ' || count(*)
FROM (SELECT s.run_id, s.official_id, s.score, sum(l.points_lost) AS lost
      FROM sample s LEFT JOIN kpi.ledger l USING (run_id, official_id)
      GROUP BY s.run_id, s.official_id, s.score) v
WHERE lost IS DISTINCT FROM 100 - score;
\endif
