--
-- Agencies (rules.md AG1-AG5): the rule-set keys for agencies, indices and
-- law-making; kpi.agency_general_points, kpi.agency_score,
-- kpi.agency_components, kpi.head_tier and kpi.head_capped.  Every expected
-- score is worked out by hand in a comment.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

--
-- Rule-set keys.  The defaults: AG2 marks 4 x 7.5; AG3 ministry work plan 60
-- + procedures 10, province 40 + 10 + PAR 5 + SIPAS 5 + PCI 5 + DTI 5;
-- online weight 0.5; AG5 cap off; IX5 by scale; LM4 40/30/15/5/10, target 1.
--
SELECT key, value
FROM jsonb_each(kpi.effective_rules())
WHERE key IN ('agency_marks_max', 'ministry_template', 'province_template',
              'procedures_online_weight', 'head_cap', 'index_method',
              'lawmaking_template', 'initiatives_target')
ORDER BY key;
-- overrides; a template names the components it gives points to, the others get 0
SELECT key, value
FROM jsonb_each(kpi.effective_rules('{"agency_marks_max": [10, 10, 5, 5],
	"ministry_template": {"work_plan": 50, "procedures": 10, "par": 5, "dti": 5},
	"province_template": {"work_plan": 70},
	"procedures_online_weight": 0.25, "head_cap": true, "index_method": "rank",
	"lawmaking_template": {"progress": 50, "quality": 25, "obstacles": 10, "initiatives": 5, "impact": 10},
	"initiatives_target": 2.5}'))
WHERE key IN ('agency_marks_max', 'ministry_template', 'province_template',
              'procedures_online_weight', 'head_cap', 'index_method',
              'lawmaking_template', 'initiatives_target')
ORDER BY key;
-- changing the 30/70 split without new agency forms leaves them unset
-- (null): the agency functions then ask for them; given with the split, they
-- are used
SELECT key, value
FROM jsonb_each(kpi.effective_rules('{"general_points": 40, "task_points": 60, "general_marks_max": [10, 10, 10, 10]}'))
WHERE key IN ('agency_marks_max', 'ministry_template', 'province_template')
ORDER BY key;
SELECT key, value
FROM jsonb_each(kpi.effective_rules('{"general_points": 40, "task_points": 60, "general_marks_max": [10, 10, 10, 10],
	"agency_marks_max": [20, 20], "ministry_template": {"work_plan": 60}, "province_template": null}'))
WHERE key IN ('agency_marks_max', 'ministry_template', 'province_template')
ORDER BY key;
-- every effective rule set reads back as itself
SELECT r AS rules, kpi.effective_rules(kpi.effective_rules(r)) = kpi.effective_rules(r) AS round_trips
FROM unnest(ARRAY[
	'{}',
	'{"ministry_template": null, "agency_marks_max": null}',
	'{"general_points": 40, "task_points": 60, "general_marks_max": [10, 10, 10, 10]}',
	'{"province_template": {"work_plan": 30, "procedures": 10, "par": 7.5, "sipas": 7.5, "pci": 7.5, "dti": 7.5}}',
	'{"index_method": "minmax", "head_cap": true, "initiatives_target": 0.0001}'
]::jsonb[]) r;

-- invalid keys and values: 22023
\x on
SELECT r AS rules, e.*
FROM unnest(ARRAY[
	'{"agency_marks_max": [7.5, 7.5, 7.5]}',
	'{"agency_marks_max": [7.5, 7.5, 7.5, 7.5001]}',
	'{"agency_marks_max": []}',
	'{"agency_marks_max": [0, 30]}',
	'{"agency_marks_max": 30}',
	'{"agency_marks_max": [7.5, 7.5, 7.5, "7.5"]}',
	'{"ministry_template": {"work_plan": 60, "procedures": 9.9999}}',
	'{"ministry_template": {"work_plan": 70, "procedures": 10}}',
	'{"ministry_template": {"work_plan": 60, "procedure": 10}}',
	'{"ministry_template": {"work_plan": 60, "procedures": -10, "par": 20}}',
	'{"ministry_template": {"work_plan": 60, "procedures": 10.00001}}',
	'{"ministry_template": {"work_plan": 101}}',
	'{"province_template": [40, 10, 5, 5, 5, 5]}',
	'{"province_template": {"work_plan": {"points": 40}}}',
	'{"province_template": "default"}',
	'{"general_points": 40, "task_points": 60, "ministry_template": {"work_plan": 60, "procedures": 10}}',
	'{"general_points": 40, "task_points": 60, "agency_marks_max": [7.5, 7.5, 7.5, 7.5]}',
	'{"procedures_online_weight": 1.5}',
	'{"procedures_online_weight": -0.5}',
	'{"procedures_online_weight": [0.5]}',
	'{"head_cap": "yes"}',
	'{"head_cap": 1}',
	'{"index_method": "zscore"}',
	'{"lawmaking_template": {"progress": 40, "quality": 30, "obstacles": 15, "initiatives": 5, "impact": 9}}',
	'{"lawmaking_template": {"progress": 100, "speed": 0}}',
	'{"lawmaking_template": null}',
	'{"initiatives_target": 0}',
	'{"initiatives_target": 1000000.0001}',
	'{"initiatives_target": 1.00001}'
]::jsonb[]) r, pg_temp.err(format('SELECT kpi.effective_rules(%L)', r)) e;
\x off

--
-- AG2: the general criteria of an agency, 4 marks of at most 7.5 by default
--
SELECT kpi.agency_general_points('{7.5,7,6.5,7}') AS g, kpi.agency_general_points('{0,0,0,0}') AS zero,
       kpi.agency_general_points('{7.5,7.5,7.5,7.5}') AS full_marks;
-- another form: 10 + 10 + 5 + 5
SELECT kpi.agency_general_points('{10,9.25,5,4.5}', '{"agency_marks_max": [10, 10, 5, 5]}') AS custom_form;
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.agency_general_points(''{7.5,7.5,7.5,7.5001}'')'),
  ('SELECT kpi.agency_general_points(''{7.5,7.5,7.5}'')'),
  ('SELECT kpi.agency_general_points(''{7.5,7.5,7.5,7.5,0}'')'),
  ('SELECT kpi.agency_general_points(''{7.5,NULL,7.5,7.5}'')'),
  ('SELECT kpi.agency_general_points(''{-1,7.5,7.5,7.5}'')'),
  ('SELECT kpi.agency_general_points(''{{7.5,7.5},{7.5,7.5}}'')'),
  ('SELECT kpi.agency_general_points(''{10,10,10,10}'', ''{"general_points": 40, "task_points": 60}'')'),
  ('SELECT kpi.agency_general_points(''{10,10,10,10}'', ''{"agency_marks_max": null}'')')
) v(q), pg_temp.err(q) e;
\x off

--
-- AG1-AG3, worked example 1: a ministry.
--   G = 7.5 + 7 + 6.5 + 7 = 28.
--   Work plan: 8 lines coef 1 done and passed on time; 1 line coef 2 done on
--   time but failed one quality review (quality credit 2 x 0.75 = 1.5); 1
--   line coef 2 not done.  W = 12; quantity 10, quality 9.5, progress 10;
--   KQ / 100 = (10 + 9.5 + 10) / (3 x 12) = 29.5 / 36;
--   work plan points = 60 x 29.5 / 36 = 49.1666...
--   Procedures: 1200 dossiers, 1140 settled on time, 900 online:
--   10 x (0.5 x 1140 + 0.5 x 900) / 1200 = 10 x 0.85 = 8.5.
--   Total 28 + 49.1666... + 8.5 = 85.6666... -> 85.67, tot.
--
CREATE TABLE ministry_tasks (ministry text, coef numeric, assigned numeric, completed numeric,
                             passed numeric, quality_errors int, late_events int);
INSERT INTO ministry_tasks
SELECT 'Bo A', 1, 1, 1, 1, 0, 0 FROM generate_series(1, 8);
INSERT INTO ministry_tasks VALUES ('Bo A', 2, 1, 1, 1, 1, 0), ('Bo A', 2, 1, 0, 0, 0, 0);
CREATE TABLE ministry_year AS
SELECT ministry, kpi.agency_general_points('{7.5,7,6.5,7}') AS g,
       kpi.tally_agg(coef, assigned, completed, passed, quality_errors, late_events) AS work_plan,
       1200::bigint AS dossiers, 1140::bigint AS on_time, 900::bigint AS online
FROM ministry_tasks GROUP BY ministry;
SELECT ministry, kpi.task_pct(work_plan) AS kq,
       kpi.agency_score(g, work_plan, dossiers, on_time, online) AS score,
       kpi.tier_of(kpi.agency_score(g, work_plan, dossiers, on_time, online)) AS tier
FROM ministry_year;
SELECT c.* FROM ministry_year, kpi.agency_components(g, work_plan, dossiers, on_time, online) c;

--
-- Worked example 2: a province.
--   G = 7 + 6.5 + 6.5 + 6.5 = 26.5.
--   Work plan: case E1 of rules.md (20 single-unit lines, 18 done, 2 of them
--   late once): KQ = 89.1666...; 40 x 0.891666... = 35.6666...
--   Procedures: 50000 dossiers, 49000 on time, 40000 online:
--   10 x (0.5 x 0.98 + 0.5 x 0.8) = 8.9.
--   Indices by scale: PAR 91.43 -> 5 x 0.9143 = 4.5715; SIPAS 83.94 ->
--   5 x 0.8394 = 4.197; PCI composite 63.525 (indices.sql) -> 5 x 0.63525 =
--   3.17625; DTI 800.2 points -> 5 x 0.8002 = 4.001.
--   Total 26.5 + 35.6666... + 8.9 + 4.5715 + 4.197 + 3.17625 + 4.001
--   = 87.0124166... -> 87.01, tot.
--
CREATE TABLE province_year AS
SELECT kpi.agency_general_points('{7,6.5,6.5,6.5}') AS g,
       (SELECT kpi.tally_agg(1, i <= 18, i <= 18, 0, CASE WHEN i <= 2 THEN 1 ELSE 0 END)
        FROM generate_series(1, 20) i) AS work_plan,
       jsonb_build_object(
           'par', kpi.index_fraction('par', 91.43),
           'sipas', kpi.index_fraction('sipas', 83.94),
           'pci', kpi.index_fraction('pci', kpi.pci_composite('{6.25,5.10,7.00,6.00,5.50,6.00,6.80,6.40,6.60,5.90}')),
           'dti', kpi.index_fraction('dti', 800.2)) AS indices;
SELECT indices FROM province_year;
SELECT kpi.agency_score(g, work_plan, 50000, 49000, 40000, indices, 'province') AS score,
       kpi.tier_of(kpi.agency_score(g, work_plan, 50000, 49000, 40000, indices, 'province')) AS tier
FROM province_year;
SELECT c.* FROM province_year,
       kpi.agency_components(g, work_plan, 50000, 49000, 40000, indices, 'province') c;
-- the components other than the work plan add up exactly: 26.5 + 8.9 +
-- 4.5715 + 4.197 + 3.17625 + 4.001 = 51.34575; with the work plan's 107 / 3
-- the exact total is 87.0124166...
SELECT general_points + procedures_points + par_points + sipas_points + pci_points + dti_points AS others
FROM province_year, kpi.agency_components(g, work_plan, 50000, 49000, 40000, indices, 'province');
-- the strict progress reading (CS7) flows through: c = 80, KQ = 86.6666...,
-- 40 x 0.866666... = 34.6666..., total 86.0124166... -> 86.01
SELECT kpi.agency_score(g, work_plan, 50000, 49000, 40000, indices, 'province',
                        '{"progress_reading": "strict"}') AS strict_score
FROM province_year;

--
-- AG3 procedures: the online weight w (fraction = (1 - w) on_time / n +
-- w online / n); no dossiers earns full points (our default: nothing was
-- handled late); counts at their bounds
--
SELECT w, kpi.agency_score(28, work_plan, 1200, 1140, 900, '{}', 'ministry',
                           jsonb_build_object('procedures_online_weight', w)) AS score
FROM ministry_year, unnest('{0,0.5,1}'::numeric[]) w;
-- w = 0: 28 + 49.1666 + 9.5 = 86.67; w = 1: 28 + 49.1666 + 7.5 = 84.67
SELECT kpi.agency_score(28, work_plan, 0, 0, 0) AS no_dossiers,
       kpi.agency_score(28, work_plan, 1200, 1200, 1200) AS all_on_time_online,
       kpi.agency_score(28, work_plan, 1200, 0, 0) AS none_on_time
FROM ministry_year;
-- no_dossiers and all: 28 + 49.1666 + 10 = 87.17; none: 77.17

--
-- N0.3 and AG4 on agency scores: a ministry with a full work plan (60) and
-- no dossiers (10): the score is G + 70, rounded once, half away from zero;
-- 90.005 -> 90.01; 89.995 -> 90.00 (xuat_sac); 89.9949 -> 89.99 (tot);
-- 49.995 -> 50.00 (hoan_thanh)
--
SELECT g, kpi.agency_score(g, t, 0, 0, 0) AS score, kpi.tier_of(kpi.agency_score(g, t, 0, 0, 0)) AS tier
FROM unnest('{20.005,19.995,19.9949,0}'::numeric[]) g,
     (SELECT kpi.tally_agg(1, true, true, 0, 0) AS t) s;
SELECT kpi.agency_score(0, t, 1000, 0, 0, '{}', 'ministry', '{"ministry_template": {"work_plan": 20, "procedures": 50}}') AS low,
       kpi.tier_of(kpi.agency_score(29.995, t, 1000, 0, 0, '{}', 'ministry', '{"ministry_template": {"work_plan": 20, "procedures": 50}}')) AS tier_at_49_995
FROM (SELECT kpi.tally_agg(1, true, true, 0, 0) AS t) s;
-- 0 + 20 = 20; 29.995 + 20 = 49.995 -> 50.00, hoan_thanh

--
-- Templates from the rules: a ministry scored on PAR and DTI too; a province
-- template without indices; a template with no work-plan points ignores the
-- tally (even an empty one)
--
SELECT kpi.agency_score(28, work_plan, 1200, 1140, 900, '{"par": 0.8995, "dti": 0.8002}', 'ministry',
                        '{"ministry_template": {"work_plan": 50, "procedures": 10, "par": 5, "dti": 5}}') AS ministry_with_indices
FROM ministry_year;
-- 28 + 50 x 29.5 / 36 + 8.5 + 4.4975 + 4.001 = 85.9707222... -> 85.97
SELECT kpi.agency_score(26.5, work_plan, 50000, 49000, 40000, '{}', 'province',
                        '{"province_template": {"work_plan": 60, "procedures": 10}}') AS province_without_indices
FROM province_year;
-- 26.5 + 60 x 0.891666... + 8.9 = 26.5 + 53.5 + 8.9 = 88.9
SELECT kpi.agency_score(30, '(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)',
                        100, 80, 40, '{}', 'ministry', '{"ministry_template": {"procedures": 70}}') AS procedures_only;
-- 30 + 70 x (0.5 x 0.8 + 0.5 x 0.4) = 30 + 42 = 72
-- extra indices are ignored when the template gives them no points; null
-- values count as absent
SELECT kpi.agency_score(g, work_plan, 1200, 1140, 900, '{"par": 0.1, "pci": null}') AS ministry_ignores_indices
FROM ministry_year;

-- N0.4: a work plan with nothing assigned is not scored (NULL), as are NULL
-- arguments; the components show what is known
SELECT kpi.agency_score(28, '(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)',
                        100, 80, 40) IS NULL AS nothing_assigned;
SELECT c.* FROM kpi.agency_components(28, '(lines=0,assigned=0,quantity=0,quality=0,progress=0,progress_strict=0,quality_errors=0,late_events=0,quality_deduction=0.25,progress_deduction=0.25)',
                        100, 80, 40) c;
SELECT kpi.agency_score(NULL, work_plan, 1, 1, 1) IS NULL AS null_general,
       kpi.agency_score(28, NULL, 1, 1, 1) IS NULL AS null_tally,
       kpi.agency_score(28, work_plan, NULL, 1, 1) IS NULL AS null_dossiers,
       kpi.agency_score(28, work_plan, 1, 1, 1, NULL) IS NULL AS null_indices
FROM ministry_year;

-- bad input: 22023
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.agency_score(30.0001, work_plan, 1, 1, 1) FROM ministry_year'),
  ('SELECT kpi.agency_score(-1, work_plan, 1, 1, 1) FROM ministry_year'),
  ('SELECT kpi.agency_score(27.00001, work_plan, 1, 1, 1) FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, -1, 0, 0) FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, -1, 0) FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 11, 0) FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 0, 11) FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{}'', ''commune'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{}'', ''province'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{"par": 0.9, "sipas": 0.8, "pci": 0.7}'', ''province'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{"par": 0.9, "sipas": 0.8, "pci": 0.7, "dti": null}'', ''province'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{"par": 89.95}'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{"par": -0.1}'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{"par": "0.9"}'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{"par": [0.9]}'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{"hdi": 0.7}'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''[0.9]'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''0.9'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{}'', ''ministry'', ''{"ministry_template": null}'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{}'', ''ministry'', ''{"general_points": 40, "task_points": 60}'') FROM ministry_year'),
  ('SELECT kpi.agency_score(28, work_plan, 10, 5, 5, ''{}'', ''ministry'', ''{"quality_deduction": 0.5}'') FROM ministry_year')
) v(q), pg_temp.err(q) e;
\x off

--
-- AG5: the head's tier may not exceed the agency's when head_cap is on
-- (off by default); head_capped shows when the cap bound
--
SELECT h AS head, a AS agency,
       kpi.head_tier(h, a) AS default_rules,
       kpi.head_tier(h, a, '{"head_cap": true}') AS capped,
       kpi.head_capped(h, a) AS capped_by_default,
       kpi.head_capped(h, a, '{"head_cap": true}') AS cap_bound
FROM unnest(enum_range(NULL::kpi.tier)) h, unnest(enum_range(NULL::kpi.tier)) a
WHERE h >= 'tot' OR a = 'xuat_sac'
ORDER BY h DESC, a DESC;
SELECT kpi.head_tier(NULL, 'tot') IS NULL AS null_head, kpi.head_capped('tot', NULL) IS NULL AS null_agency;
SELECT * FROM pg_temp.err('SELECT kpi.head_tier(''tot'', ''tot'', ''{"head_cap": "on"}'')');

DROP TABLE ministry_tasks, ministry_year, province_year;
