--
-- Rule sets (rules.md section 6): kpi.effective_rules, every scoring key
-- accepted and every bad value refused; kpi.late_events.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

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
  ('general_marks_max', '{"general_marks_max": null}'),
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
-- no form: general_marks_max is a JSON null (not an empty array), whether
-- given as null or left without a form by a new split
SELECT kpi.effective_rules('{"general_marks_max": null}') -> 'general_marks_max' AS given_null,
       jsonb_typeof(kpi.effective_rules('{"general_marks_max": null}') -> 'general_marks_max') AS given_null_type,
       jsonb_typeof(kpi.effective_rules('{"general_points": 40, "task_points": 60}') -> 'general_marks_max') AS new_split_type,
       kpi.effective_rules('{"general_points": 40, "task_points": 60, "general_marks_max": null}') -> 'general_marks_max' AS new_split_null;

--
-- Round trips: the effective rules read back as themselves, null forms and
-- templates included
--
SELECT r AS rules, kpi.effective_rules(kpi.effective_rules(r)) = kpi.effective_rules(r) AS round_trips
FROM unnest(ARRAY[
	'{}',
	'{"general_marks_max": null}',
	'{"general_points": 40, "task_points": 60}',
	'{"general_points": 40, "task_points": 60, "agency_marks_max": null}',
	'{"general_points": 40, "task_points": 60, "general_marks_max": null}',
	'{"general_points": 40, "task_points": 60, "general_marks_max": null, "agency_marks_max": null}',
	'{"general_points": 40, "task_points": 60, "general_marks_max": [10, 10, 10, 10], "agency_marks_max": [20, 20], "ministry_template": {"work_plan": 60}}',
	'{"general_points": 0, "task_points": 100}',
	'{"general_points": 100, "task_points": 0, "general_marks_max": [100], "ministry_template": {}}',
	'{"general_marks_max": null, "agency_marks_max": null, "ministry_template": null, "province_template": null}',
	'{"cap": false, "progress_reading": "strict", "rounding_scale": 0, "quota_reading": "pooled", "discipline_min": "buoc_thoi_viec"}',
	'{"quality_deduction": 0.0001, "progress_deduction": 1, "quota_rate": 0, "screen_down_years": 100, "screen_out_years": 3, "screen_up_years": 2}',
	'{"threshold_excellent": 100, "threshold_good": 0.0002, "threshold_complete": 0.0001, "leader_full": 0.0001, "leader_reduced": 0}',
	'{"general_marks_max": [0.0001, 29.9999], "agency_marks_max": [29.9999, 0.0001]}',
	'{"lawmaking_template": {"impact": 99.9999, "initiatives": 0.0001}, "index_method": "rank", "head_cap": true, "procedures_online_weight": 0, "initiatives_target": 1000000}'
]::jsonb[]) r;
-- and one more reading changes nothing either
SELECT kpi.effective_rules(kpi.effective_rules(kpi.effective_rules('{"general_points": 40, "task_points": 60, "agency_marks_max": null}')))
       = kpi.effective_rules('{"general_points": 40, "task_points": 60, "agency_marks_max": null}') AS twice;

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
-- The keys of agencies, indices and law-making (AG2-AG5, IX5, LM4): each
-- accepted, with its effective value
--
SELECT rules, kpi.effective_rules(rules::jsonb) -> k AS effective
FROM (VALUES
  -- AG2: null or 1 to 32 positive marks adding up to general_points
  ('agency_marks_max', '{"agency_marks_max": [7.5, 7.5, 7.5, 7.5]}'),
  ('agency_marks_max', '{"agency_marks_max": [30]}'),
  ('agency_marks_max', '{"agency_marks_max": [0.0001, 29.9999]}'),
  ('agency_marks_max', '{"agency_marks_max": [10, 10, 5, 2.5, 2.50]}'),
  ('agency_marks_max', '{"agency_marks_max": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]}'),
  ('agency_marks_max', '{"agency_marks_max": null}'),
  ('agency_marks_max', '{"general_points": 40, "task_points": 60, "agency_marks_max": [10, 10, 10, 10]}'),
  ('agency_marks_max', '{"general_points": 40, "task_points": 60}'),
  -- AG3: null or points by component adding up to task_points; components
  -- not named get 0
  ('ministry_template', '{"ministry_template": {"work_plan": 70}}'),
  ('ministry_template', '{"ministry_template": {"work_plan": 60, "procedures": 10}}'),
  ('ministry_template', '{"ministry_template": {"work_plan": 20, "procedures": 10, "par": 10, "sipas": 10, "pci": 10, "dti": 10}}'),
  ('ministry_template', '{"ministry_template": {"work_plan": 69.9999, "par": 0, "dti": 0.0001}}'),
  ('ministry_template', '{"ministry_template": null}'),
  ('ministry_template', '{"general_points": 40, "task_points": 60, "ministry_template": {"work_plan": 60}}'),
  ('ministry_template', '{"general_points": 40, "task_points": 60}'),
  ('ministry_template', '{"general_points": 100, "task_points": 0, "general_marks_max": [100], "ministry_template": {}}'),
  ('province_template', '{"province_template": {"work_plan": 40, "procedures": 10, "par": 5, "sipas": 5, "pci": 5, "dti": 5}}'),
  ('province_template', '{"province_template": {"pci": 70}}'),
  ('province_template', '{"province_template": null}'),
  ('province_template', '{"general_points": 40, "task_points": 60, "province_template": {"work_plan": 40, "dti": 20}}'),
  -- AG4: a weight from 0 to 1
  ('procedures_online_weight', '{"procedures_online_weight": 0}'),
  ('procedures_online_weight', '{"procedures_online_weight": 0.0001}'),
  ('procedures_online_weight', '{"procedures_online_weight": 0.75}'),
  ('procedures_online_weight', '{"procedures_online_weight": 1}'),
  -- AG5: true or false
  ('head_cap', '{"head_cap": true}'),
  ('head_cap', '{"head_cap": false}'),
  -- IX5: one of three methods
  ('index_method', '{"index_method": "scale"}'),
  ('index_method', '{"index_method": "minmax"}'),
  ('index_method', '{"index_method": "rank"}'),
  -- LM4: points by component adding up to 100, whatever the points split
  ('lawmaking_template', '{"lawmaking_template": {"progress": 100}}'),
  ('lawmaking_template', '{"lawmaking_template": {"progress": 40, "quality": 30, "obstacles": 15, "initiatives": 5, "impact": 10}}'),
  ('lawmaking_template', '{"lawmaking_template": {"impact": 99.9999, "initiatives": 0.0001}}'),
  ('lawmaking_template', '{"general_points": 40, "task_points": 60, "lawmaking_template": {"quality": 50, "progress": 50}}'),
  -- LM4: a positive target up to 1000000
  ('initiatives_target', '{"initiatives_target": 0.0001}'),
  ('initiatives_target', '{"initiatives_target": 1}'),
  ('initiatives_target', '{"initiatives_target": 2.5}'),
  ('initiatives_target', '{"initiatives_target": 1000000}')
) v(k, rules);

--
-- ... and each bad value refused (22023), with its message
--
\x on
SELECT rules, e.*
FROM (VALUES
  -- agency_marks_max: wrong type or shape
  ('{"agency_marks_max": 30}'),
  ('{"agency_marks_max": "[7.5, 7.5, 7.5, 7.5]"}'),
  ('{"agency_marks_max": {"a": 30}}'),
  ('{"agency_marks_max": [7.5, 7.5, 7.5, null]}'),
  ('{"agency_marks_max": [7.5, 7.5, 7.5, "7.5"]}'),
  ('{"agency_marks_max": [[15, 15]]}'),
  ('{"agency_marks_max": []}'),
  -- agency_marks_max: marks out of range, too precise or too many
  ('{"agency_marks_max": [0, 30]}'),
  ('{"agency_marks_max": [-7.5, 37.5]}'),
  ('{"agency_marks_max": [100.0001]}'),
  ('{"agency_marks_max": [7.5, 7.5, 7.5, 7.49999, 0.00001]}'),
  ('{"agency_marks_max": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]}'),
  -- agency_marks_max: not adding up to general_points
  ('{"agency_marks_max": [10, 10]}'),
  ('{"agency_marks_max": [7.5, 7.5, 7.5, 7.5001]}'),
  ('{"general_points": 40, "task_points": 60, "agency_marks_max": [7.5, 7.5, 7.5, 7.5]}'),
  -- templates: wrong type or shape
  ('{"ministry_template": 70}'),
  ('{"ministry_template": "default"}'),
  ('{"ministry_template": [60, 10]}'),
  ('{"ministry_template": {"work_plan": "70"}}'),
  ('{"ministry_template": {"work_plan": null, "procedures": 70}}'),
  ('{"province_template": {"work_plan": {"points": 70}}}'),
  ('{"province_template": {"work_plan": [70]}}'),
  -- templates: unknown components (names are exact)
  ('{"ministry_template": {"Work_plan": 70}}'),
  ('{"ministry_template": {"work_plan": 70, "bonus": 0}}'),
  ('{"province_template": {"progress": 70}}'),
  -- templates: points out of range or too precise
  ('{"ministry_template": {"work_plan": 80, "procedures": -10}}'),
  ('{"ministry_template": {"work_plan": 100.0001}}'),
  ('{"ministry_template": {"work_plan": 69.99999, "procedures": 0.00001}}'),
  -- templates: not adding up to task_points
  ('{"ministry_template": {"work_plan": 60}}'),
  ('{"ministry_template": {}}'),
  ('{"province_template": {"work_plan": 40, "procedures": 10, "par": 5, "sipas": 5, "pci": 5, "dti": 5.0001}}'),
  ('{"general_points": 40, "task_points": 60, "province_template": {"work_plan": 70}}'),
  -- procedures_online_weight
  ('{"procedures_online_weight": 1.0001}'),
  ('{"procedures_online_weight": -0.0001}'),
  ('{"procedures_online_weight": 0.00001}'),
  ('{"procedures_online_weight": "0.5"}'),
  ('{"procedures_online_weight": null}'),
  ('{"procedures_online_weight": true}'),
  ('{"procedures_online_weight": [0.5]}'),
  -- head_cap
  ('{"head_cap": 1}'),
  ('{"head_cap": "true"}'),
  ('{"head_cap": null}'),
  ('{"head_cap": [true]}'),
  -- index_method
  ('{"index_method": "Scale"}'),
  ('{"index_method": "zscore"}'),
  ('{"index_method": ""}'),
  ('{"index_method": 0}'),
  ('{"index_method": null}'),
  ('{"index_method": ["rank"]}'),
  -- lawmaking_template: not nullable, an object of known components
  ('{"lawmaking_template": null}'),
  ('{"lawmaking_template": 100}'),
  ('{"lawmaking_template": [40, 30, 15, 5, 10]}'),
  ('{"lawmaking_template": {"progress": "100"}}'),
  ('{"lawmaking_template": {"progress": 100, "speed": 0}}'),
  ('{"lawmaking_template": {"work_plan": 100}}'),
  -- lawmaking_template: points out of range, too precise, not adding up to 100
  ('{"lawmaking_template": {"progress": 110, "impact": -10}}'),
  ('{"lawmaking_template": {"progress": 100.0001}}'),
  ('{"lawmaking_template": {"progress": 99.99999, "impact": 0.00001}}'),
  ('{"lawmaking_template": {"progress": 99.9999}}'),
  ('{"lawmaking_template": {}}'),
  ('{"general_points": 40, "task_points": 60, "lawmaking_template": {"progress": 60}}'),
  -- initiatives_target
  ('{"initiatives_target": 0}'),
  ('{"initiatives_target": -1}'),
  ('{"initiatives_target": 0.00001}'),
  ('{"initiatives_target": 1000000.0001}'),
  ('{"initiatives_target": "1"}'),
  ('{"initiatives_target": null}'),
  ('{"initiatives_target": true}'),
  ('{"initiatives_target": [1]}')
) v(rules), pg_temp.err(format('SELECT kpi.effective_rules(%L)', rules)) e;
\x off
-- the plain errors, as a client sees them: the known components are listed
SELECT kpi.effective_rules('{"ministry_template": {"bonus": 70}}');
SELECT kpi.effective_rules('{"lawmaking_template": {"progress": 100, "speed": 0}}');
SELECT kpi.effective_rules('{"general_points": 40, "task_points": 60, "agency_marks_max": [7.5, 7.5, 7.5, 7.5]}');
SELECT kpi.effective_rules('{"province_template": {"work_plan": 70.0001}}');
SELECT 1 AS server_still_answers;

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
