--
-- Rule sets (rules.md section 6): kpi.effective_rules, every scoring key
-- accepted and every bad value refused; kpi.late_events.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
CREATE FUNCTION pg_temp.err(q text, OUT code text, OUT message text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	code := 'ok';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL;
END $$;

--
-- The defaults: Decree 335 (one row per key)
--
SELECT key, value FROM jsonb_each(kpi.effective_rules()) ORDER BY key;
SELECT kpi.effective_rules() = kpi.effective_rules('{}') AS empty_is_default;
-- the effective rules are themselves valid rules, and a fixed point
SELECT kpi.effective_rules(kpi.effective_rules()) = kpi.effective_rules() AS fixed_point;
SELECT kpi.effective_rules(NULL) IS NULL AS null_rules;

--
-- Each key accepted: the effective value of the key given
--
SELECT rules, kpi.effective_rules(rules::jsonb) -> k AS effective
FROM (VALUES
  ('quality_deduction', '{"quality_deduction": 0}'),
  ('quality_deduction', '{"quality_deduction": 0.0001}'),
  ('quality_deduction', '{"quality_deduction": 1}'),
  ('quality_deduction', '{"quality_deduction": 0.50000}'),
  ('progress_deduction', '{"progress_deduction": 0.1}'),
  ('progress_reading', '{"progress_reading": "strict"}'),
  ('progress_reading', '{"progress_reading": "partial"}'),
  ('cap', '{"cap": false}'),
  ('cap', '{"cap": true}'),
  ('threshold_excellent', '{"threshold_excellent": 100}'),
  ('threshold_good', '{"threshold_good": 89.9999}'),
  ('threshold_complete', '{"threshold_complete": 0}'),
  ('leader_full', '{"leader_full": 90}'),
  ('leader_reduced', '{"leader_reduced": 0}'),
  ('rounding_scale', '{"rounding_scale": 0}'),
  ('rounding_scale', '{"rounding_scale": 4}'),
  ('rounding_scale', '{"rounding_scale": 3.0}'),
  ('general_marks_max', '{"general_marks_max": [10, 10, 10]}'),
  ('general_marks_max', '{"general_marks_max": [30]}'),
  ('general_marks_max', '{"general_marks_max": [0.0001, 29.9999]}'),
  ('quota_rate', '{"quota_rate": 0.25}'),
  ('quota_rate', '{"quota_rate": 0}'),
  ('quota_reading', '{"quota_reading": "pooled"}'),
  ('quota_reading', '{"quota_reading": "nested"}'),
  ('discipline_min', '{"discipline_min": "canh_cao"}'),
  ('discipline_min', '{"discipline_min": "buoc_thoi_viec"}'),
  ('screen_down_years', '{"screen_down_years": 100}'),
  ('screen_out_years', '{"screen_out_years": 3}'),
  ('screen_up_years', '{"screen_up_years": 2}')
) v(k, rules);
-- the points split: general_points and task_points together
SELECT kpi.effective_rules('{"general_points": 40, "task_points": 60}') -> 'general_points' AS g,
       kpi.effective_rules('{"general_points": 40, "task_points": 60}') -> 'task_points' AS t,
       -- the 30-point form no longer applies, so no form is left
       kpi.effective_rules('{"general_points": 40, "task_points": 60}') -> 'general_marks_max' AS marks;
SELECT kpi.effective_rules('{"general_points": 40, "task_points": 60, "general_marks_max": [10, 10, 10, 10]}') -> 'general_marks_max' AS marks,
       kpi.effective_rules('{"general_points": 0, "task_points": 100}') -> 'task_points' AS all_tasks,
       kpi.effective_rules('{"general_points": 30, "task_points": 70}') -> 'general_marks_max' AS default_form_kept;
-- all thresholds together
SELECT kpi.effective_rules('{"threshold_excellent": 95, "threshold_good": 80, "threshold_complete": 60}')
       - ARRAY(SELECT key FROM jsonb_each(kpi.effective_rules()) WHERE key NOT LIKE 'threshold%') AS thresholds;
-- a duplicated key: the last one wins, as in any jsonb value
SELECT kpi.effective_rules('{"cap": true, "cap": false}') -> 'cap' AS cap;

--
-- Each bad value refused (22023), with its message
--
\x on
SELECT rules, e.*
FROM (VALUES
  -- not an object
  ('[]'), ('[{"cap": false}]'), ('1'), ('"strict"'), ('null'), ('true'),
  -- wrong type
  ('{"quality_deduction": "0.25"}'),
  ('{"quality_deduction": null}'),
  ('{"quality_deduction": [0.25]}'),
  ('{"cap": 1}'),
  ('{"cap": "false"}'),
  ('{"progress_reading": 1}'),
  ('{"progress_reading": "late"}'),
  ('{"progress_reading": ["strict"]}'),
  ('{"threshold_excellent": {"value": 90}}'),
  ('{"general_marks_max": 30}'),
  ('{"general_marks_max": {"a": 30}}'),
  ('{"general_marks_max": ["30"]}'),
  ('{"general_marks_max": [[15, 15]]}'),
  ('{"quota_reading": "both"}'),
  ('{"discipline_min": "reprimand"}'),
  ('{"discipline_min": 0}'),
  -- out of range or too precise
  ('{"quality_deduction": 1.0001}'),
  ('{"quality_deduction": -0.25}'),
  ('{"progress_deduction": 0.00001}'),
  ('{"general_points": 100.0001, "task_points": 0}'),
  ('{"threshold_excellent": 100.0001}'),
  ('{"threshold_complete": -1}'),
  ('{"leader_full": 101}'),
  ('{"rounding_scale": 5}'),
  ('{"rounding_scale": -1}'),
  ('{"rounding_scale": 1.5}'),
  ('{"general_marks_max": []}'),
  ('{"general_marks_max": [0, 30]}'),
  ('{"general_marks_max": [-5, 35]}'),
  ('{"general_marks_max": [100.0001]}'),
  ('{"general_marks_max": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}'),
  ('{"quota_rate": 1.0001}'),
  ('{"screen_down_years": 0}'),
  ('{"screen_out_years": 101}'),
  ('{"screen_up_years": 1.5}'),
  -- thresholds not decreasing
  ('{"threshold_excellent": 70}'),
  ('{"threshold_good": 50}'),
  ('{"threshold_complete": 80}'),
  ('{"threshold_excellent": 50, "threshold_good": 70, "threshold_complete": 90}'),
  -- points not adding up to 100
  ('{"general_points": 40}'),
  ('{"task_points": 60}'),
  ('{"general_points": 40, "task_points": 60.0001}'),
  -- marks not adding up to general_points
  ('{"general_marks_max": [10, 10]}'),
  ('{"general_marks_max": [5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5001]}'),
  ('{"general_points": 40, "task_points": 60, "general_marks_max": [10, 10, 10]}'),
  -- leader criteria in the wrong order
  ('{"leader_reduced": 100}'),
  ('{"leader_full": 40}')
) v(rules), pg_temp.err(format('SELECT kpi.effective_rules(%L)', rules)) e;
\x off
-- the plain error path, as a client sees it
-- unknown keys; the detail lists the known keys (shown once here, terse after)
SELECT kpi.effective_rules('{"foo": 1}');
\set VERBOSITY terse
-- key names are exact
SELECT kpi.effective_rules('{"Quality_deduction": 0.25}');
SELECT kpi.effective_rules('{"cap": false, "progress_readings": "strict"}');
\set VERBOSITY default
SELECT kpi.effective_rules('{"threshold_good": 95}');
SELECT kpi.effective_rules('{"general_points": 40}');
SELECT kpi.effective_rules('[]');
SELECT 1 AS server_still_answers;

--
-- Every function that takes rules validates them, even when unused
--
\set VERBOSITY terse
SELECT kpi.tier_of(95, false, '{"bogus": true}');
\set VERBOSITY default
SELECT kpi.period_score(30, kpi.tally_agg(1, true, true, 0, 0), '{"cap": null}');
SELECT kpi.general_points('{5, 5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5}', '{"rounding_scale": 9}');
SELECT kpi.annual_score(s, '{"threshold_good": 101}') FROM (VALUES (90)) v(s);
-- ... and the same rules give the same results however often they are read
SELECT count(DISTINCT kpi.tier_of(s, false, '{"threshold_excellent": 95}')) AS tiers,
       count(*) FILTER (WHERE kpi.tier_of(s, false, '{"threshold_excellent": 95}') = 'xuat_sac') AS excellent
FROM generate_series(0, 100) s;

--
-- kpi.late_events(due, done): 1 when done after due, else 0 (GN2)
--
SELECT due, done, kpi.late_events(due::date, done::date) AS late
FROM (VALUES ('2026-03-31', '2026-03-30'),
             ('2026-03-31', '2026-03-31'),
             ('2026-03-31', '2026-04-01'),
             ('2026-03-31', '2027-03-31'),
             ('2026-03-31', NULL),
             (NULL, '2026-04-01'),
             (NULL, NULL),
             ('2026-03-31', 'infinity'),
             ('-infinity', '2026-03-31'),
             ('infinity', 'infinity')) v(due, done);
-- it feeds tally_agg directly; a NULL due date skips the line (a NULL input)
SELECT kpi.tally_agg(1, done IS NOT NULL, done IS NOT NULL, 0, kpi.late_events(due, done))
FROM (VALUES ('2026-03-31'::date, '2026-03-30'::date),
             ('2026-03-31', '2026-04-02'),
             ('2026-03-31', NULL),
             (NULL, '2026-03-01')) v(due, done);
-- plain SQL, inlined into the calling query: the plan shows the CASE, not a call
CREATE TABLE due_dates (due date, done date);
EXPLAIN (VERBOSE, COSTS OFF)
SELECT kpi.late_events(due, done) FROM due_dates;
DROP TABLE due_dates;
