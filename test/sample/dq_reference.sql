-- test/sample/dq_reference.sql: a data-quality summary of the sample province
-- in the reference tables, before it is scored (test/demo_inside.sh): the
-- checks of every month of 2026 and of the year (kpi.check_inputs, recorded
-- with kpi.record_input_check), the per-unit view kpi.unit_data_quality and
-- the integrity signals of one month (kpi.integrity_signals).
\set ON_ERROR_STOP 1
\pset pager off
-- the demo's output fits 100 columns: wide columns wrap
\pset format wrapped
\pset columns 100
SET client_min_messages = warning;

\echo '== data quality before scoring: recorded checks of 2026 (errors block kpi.evaluate, warnings do not)'
-- recorded first: a query does not see the rows its own functions insert
SELECT count(kpi.record_input_check(m::date, 'month')) AS months_checked
FROM generate_series(date '2026-01-01', date '2026-12-01', interval '1 month') m \gset
SELECT kpi.record_input_check('2026-01-01', 'year') AS year_check \gset
SELECT c.period_start, c.period_kind, c.errors, c.warnings
FROM kpi.latest_input_check c ORDER BY c.period_kind, c.period_start;

\echo '== findings per check id over the year'
SELECT p.check_id, p.severity, count(*) AS findings, min(p.message_en) AS example
FROM kpi.input_problem p
GROUP BY 1, 2 ORDER BY 2, 1;

\echo '== the five units with the least complete inputs in March'
SELECT q.unit_id, q.officials, q.share_complete, q.lines, q.share_on_time, q.warnings, q.problems_by_check
FROM kpi.unit_data_quality q
WHERE q.period_start = '2026-03-01' AND q.period_kind = 'month'
ORDER BY q.share_complete, q.unit_id LIMIT 5;

\echo '== integrity signals of March (for a reviewer; they never change a score)'
SELECT s.signal_id, count(*) AS flagged, min(s.message_en) AS example
FROM kpi.integrity_signals('2026-03-01', 'month') s
GROUP BY 1 ORDER BY 1;
