-- bench/gen.sql: benchmark data for kpi_eval (issue 2).
--
--   psql -X -v ON_ERROR_STOP=1 -v lines=10000000 -v officials=200000 \
--        [-v months=1] [-v seed=0.335] -f bench/gen.sql
--
-- Makes two tables in the current database, replacing them if they exist:
--   tasks          one row per task line, `lines` rows for about `officials`
--                  civil servants (about lines/officials each, spread at
--                  random), over `months` months starting 2026-01-01;
--   general_marks  one row per (official_id, month): the general-criteria
--                  points G (CS3), 18..30 in steps of 0.25.
-- Deterministic: the same variables give the same rows (setseed, serial plan).
-- Run it only on a throwaway cluster: at 10M lines the table is about 1 GB.

\if :{?lines}
\else
\set lines 10000000
\endif
\if :{?officials}
\else
\set officials 200000
\endif
\if :{?months}
\else
\set months 1
\endif
\if :{?seed}
\else
\set seed 0.335
\endif

\set ON_ERROR_STOP 1
-- random() is parallel restricted anyway; a serial plan keeps the draw order fixed
SET max_parallel_workers_per_gather = 0;
SELECT setseed(:seed);

DROP TABLE IF EXISTS tasks;
DROP TABLE IF EXISTS general_marks;

-- Spread (per line):
--   coef          1 (70%), 2 (12%), 4 (6%), 8 (2%), 0 (0.5%), 0.5 (4.5%),
--                 else 0.1..3.1 with 4 decimals (5%)
--   kind          single unit: assigned 1 (70%); a count 2..20 (25%);
--                 a fractional quantity 0.5..10.5 with 2 decimals (5%)
--   completion    complete (85%), over-completed by up to 50% (3%),
--                 partial, possibly nothing (12%)
--   passed_qty    = completed (90%), else a part of it
--   quality_errors 0 (90%), 1 (7%), 2 (2%), 3 (1%)
--   late_events   0 (85%), 1 (10%), 2 (4%), 3..7 (1%)
--   done          completed_qty >= assigned_qty
--   passed        passed_qty >= assigned_qty (so passed implies done)
-- Lines are interleaved across officials, as rows arrive over time.
CREATE TABLE tasks AS
SELECT official_id, month, coef, assigned_qty, completed_qty, passed_qty,
       quality_errors, late_events,
       completed_qty >= assigned_qty AS done,
       passed_qty >= assigned_qty AS passed
FROM (
	SELECT official_id, month, coef, assigned_qty, completed_qty,
	       CASE WHEN u_pass < 0.9 THEN completed_qty
	            ELSE trunc(completed_qty * ((u_pass - 0.9) * 10)::numeric, scale)
	       END AS passed_qty,
	       quality_errors, late_events
	FROM (
		SELECT official_id, month, coef, assigned_qty, scale, u_pass,
		       CASE WHEN u_done < 0.85 THEN assigned_qty
		            WHEN u_done < 0.88 THEN assigned_qty + trunc(assigned_qty * (0.5 * u_over)::numeric, scale)
		            ELSE trunc(assigned_qty * u_over::numeric, scale)
		       END AS completed_qty,
		       quality_errors, late_events
		FROM (
			SELECT 1 + floor(u_off * :officials)::int AS official_id,
			       (date '2026-01-01' + make_interval(months => floor(u_mon * :months)::int))::date AS month,
			       CASE WHEN u_coef < 0.70 THEN 1::numeric
			            WHEN u_coef < 0.82 THEN 2::numeric
			            WHEN u_coef < 0.88 THEN 4::numeric
			            WHEN u_coef < 0.90 THEN 8::numeric
			            WHEN u_coef < 0.905 THEN 0::numeric
			            WHEN u_coef < 0.95 THEN 0.5
			            ELSE round((0.1 + 3 * u_coef2)::numeric, 4)
			       END AS coef,
			       CASE WHEN u_kind < 0.70 THEN 1::numeric
			            WHEN u_kind < 0.95 THEN (2 + floor(19 * u_qty))::numeric
			            ELSE round((0.5 + 10 * u_qty)::numeric, 2)
			       END AS assigned_qty,
			       CASE WHEN u_kind < 0.95 THEN 0 ELSE 2 END AS scale,
			       u_done, u_over, u_pass,
			       CASE WHEN u_err < 0.90 THEN 0 WHEN u_err < 0.97 THEN 1
			            WHEN u_err < 0.99 THEN 2 ELSE 3 END AS quality_errors,
			       CASE WHEN u_late < 0.85 THEN 0 WHEN u_late < 0.95 THEN 1
			            WHEN u_late < 0.99 THEN 2
			            ELSE 3 + floor((u_late - 0.99) * 500)::int END AS late_events
			FROM (
				-- volatile target list: not pulled up, each draw made once per row
				SELECT i, random() AS u_off, random() AS u_mon, random() AS u_coef,
				       random() AS u_coef2, random() AS u_kind, random() AS u_qty,
				       random() AS u_done, random() AS u_over, random() AS u_pass,
				       random() AS u_err, random() AS u_late
				FROM generate_series(1, :lines) AS i
			) draws
		) l1
	) l2
) l3;

ALTER TABLE tasks
	ALTER official_id SET NOT NULL, ALTER month SET NOT NULL,
	ALTER coef SET NOT NULL, ALTER assigned_qty SET NOT NULL,
	ALTER completed_qty SET NOT NULL, ALTER passed_qty SET NOT NULL,
	ALTER quality_errors SET NOT NULL, ALTER late_events SET NOT NULL,
	ALTER done SET NOT NULL, ALTER passed SET NOT NULL;

-- G for every official and month that has task lines (CS3: 0..30).
CREATE TABLE general_marks AS
SELECT official_id, month,
       round(round((18 + 12 * sqrt(random()))::numeric * 4) / 4, 2) AS points
FROM (SELECT DISTINCT official_id, month FROM tasks ORDER BY 1, 2) om
ORDER BY official_id, month;
ALTER TABLE general_marks ADD PRIMARY KEY (official_id, month);

VACUUM ANALYZE tasks;
VACUUM ANALYZE general_marks;

SELECT count(*) AS lines,
       count(DISTINCT official_id) AS officials,
       count(DISTINCT month) AS months,
       pg_size_pretty(pg_table_size('tasks')) AS tasks_size
FROM tasks;
