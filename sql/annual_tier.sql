--
-- The 2026 cycle, library part (rules.md CY3, CY5, CS15): the year's tier
-- from its period tiers (kpi.annual_tier and the rule value
-- annual_tier_table), the deputy cap (kpi.deputy_tier and deputy_cap), and
-- the notice that the pooled quota reading does not comply with Decree 335.
--
\set SHOW_CONTEXT never
\i sql/include/err.sql

-- the default table: our reading of Customs letter 21169/CHQ-TCCB for quarters
SELECT jsonb_pretty(kpi.effective_rules() -> 'annual_tier_table') AS default_table;

-- worked quarters, by hand: (excellent, excellent, good, good): 2 excellent and
-- none not complete -> excellent; one not complete blocks it -> good (3 good
-- or better); 2 not complete -> not complete; (excellent, good, complete,
-- complete): 2 good or better -> good; one good -> complete
SELECT q AS quarters, kpi.annual_tier(q) AS year
FROM (VALUES ('{xuat_sac,xuat_sac,tot,tot}'::kpi.tier[]),
             ('{xuat_sac,xuat_sac,xuat_sac,khong_hoan_thanh}'),
             ('{xuat_sac,xuat_sac,khong_hoan_thanh,khong_hoan_thanh}'),
             ('{xuat_sac,tot,hoan_thanh,hoan_thanh}'),
             ('{tot,hoan_thanh,hoan_thanh,hoan_thanh}'),
             ('{khong_hoan_thanh,hoan_thanh,hoan_thanh,hoan_thanh}'),
             ('{xuat_sac,xuat_sac}'),
             ('{xuat_sac}')) v(q);

-- periods not rated (NULL) do not count; nothing rated: NULL (N0.4); STRICT
SELECT kpi.annual_tier('{xuat_sac,NULL,xuat_sac,NULL}') AS two_of_four_rated,
       kpi.annual_tier('{NULL,NULL}') AS none_rated,
       kpi.annual_tier('{}') AS empty,
       kpi.annual_tier(NULL) AS null_array,
       kpi.annual_tier('{tot}', NULL) AS null_rules;

-- as an aggregate over stored period results: array_agg in period order
SELECT official, kpi.annual_tier(array_agg(tier ORDER BY quarter)) AS year
FROM (VALUES (1, 1, 'xuat_sac'::kpi.tier), (1, 2, 'xuat_sac'), (1, 3, 'tot'), (1, 4, 'xuat_sac'),
             (2, 1, 'tot'), (2, 2, 'khong_hoan_thanh'), (2, 3, 'khong_hoan_thanh'), (2, 4, 'xuat_sac')) r(official, quarter, tier)
GROUP BY official ORDER BY official;

-- a table of your own is data: 3 excellent quarters for excellent, any not
-- complete -> complete at best, otherwise good
SELECT q AS quarters,
       kpi.annual_tier(q, '{"annual_tier_table": [
           {"tier": "xuat_sac", "when": [{"tiers": ["xuat_sac"], "at_least": 3}]},
           {"tier": "hoan_thanh", "when": [{"tiers": ["khong_hoan_thanh"], "at_least": 1, "at_most": 1}]},
           {"tier": "khong_hoan_thanh", "when": [{"tiers": ["khong_hoan_thanh"], "at_least": 2}]},
           {"tier": "tot"}]}') AS year
FROM (VALUES ('{xuat_sac,xuat_sac,xuat_sac,hoan_thanh}'::kpi.tier[]),
             ('{xuat_sac,xuat_sac,tot,khong_hoan_thanh}'),
             ('{khong_hoan_thanh,khong_hoan_thanh,tot,tot}'),
             ('{hoan_thanh,hoan_thanh,hoan_thanh,hoan_thanh}')) v(q);
SELECT kpi.effective_rules('{"annual_tier_table": [{"tier": "tot", "when": [{"tiers": ["tot", "xuat_sac"], "at_least": 1, "at_most": 4}]}, {"tier": "hoan_thanh"}]}')
       -> 'annual_tier_table' AS round_trip;

-- bad tables (22023)
SELECT t AS annual_tier_table, e.code, e.message, e.detail
FROM unnest(ARRAY[
	'{"tier": "tot"}',
	'[]',
	'[{"tier": "tot", "when": [{"tiers": ["tot"], "at_least": 1}]}]',
	'[{"tier": "rat_tot"}]',
	'[{"tier": "tot", "when": [{"tiers": ["gioi"], "at_least": 1}]}, {"tier": "tot"}]',
	'[{"tier": "tot", "when": [{"tiers": ["tot"], "at_least": 1.5}]}, {"tier": "tot"}]',
	'[{"tier": "tot", "when": [{"tiers": ["tot"], "at_least": -1}]}, {"tier": "tot"}]',
	'[{"tier": "tot", "when": [{"tiers": ["tot"]}]}, {"tier": "tot"}]',
	'[{"tier": "tot", "when": [{"tiers": [], "at_most": 1}]}, {"tier": "tot"}]',
	'[{"tier": "tot", "if": []}]',
	'[{"when": []}]',
	'[{"tier": "tot"}, {"tier": "tot"}, {"tier": "tot"}, {"tier": "tot"}, {"tier": "tot"}, {"tier": "tot"}, {"tier": "tot"}, {"tier": "tot"}, {"tier": "tot"}]'
]) AS t,
LATERAL pg_temp.err(format('SELECT kpi.annual_tier(''{tot}'', %L::jsonb)', jsonb_build_object('annual_tier_table', t::jsonb)::text)) e;
SELECT kpi.annual_tier('{{tot,tot},{tot,tot}}');

-- the deputy cap (CY5): off by default; on, a deputy rated above the head
-- is brought down to the head's tier when the unit had late key tasks
SELECT d AS deputy, h AS head, late,
       kpi.deputy_tier(d, h, late) AS default_off,
       kpi.deputy_tier(d, h, late, '{"deputy_cap": true}') AS capped
FROM (VALUES ('xuat_sac'::kpi.tier, 'tot'::kpi.tier, true), ('xuat_sac', 'tot', false),
             ('tot', 'xuat_sac', true), ('tot', 'tot', true), ('xuat_sac', NULL, true),
             ('xuat_sac', 'hoan_thanh', NULL), ('hoan_thanh', 'tot', NULL), (NULL, 'tot', true)) v(d, h, late);
SELECT kpi.deputy_tier('xuat_sac', 'tot', true, NULL) AS null_rules;
SELECT * FROM pg_temp.err($$SELECT kpi.deputy_tier('xuat_sac', 'tot', true, '{"deputy_cap": 1}')$$);

-- the pooled quota reading is an explicitly non-compliant option (CS15, E6):
-- it keeps 2 of 5 eligible with 6 good, more than 20% of the 9 then good
SELECT kpi.quota_kept(5, 6) AS nested;
SELECT kpi.quota_kept(5, 6, rules => '{"quota_reading": "pooled"}') AS pooled;
