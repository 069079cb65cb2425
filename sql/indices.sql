--
-- Published indices (rules.md IX1-IX5): kpi.index_check, kpi.index_fraction,
-- kpi.pci_composite, kpi.pci_check and the window function kpi.index_norm.
-- Expected values are worked out by hand in the comments.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

--
-- IX1-IX4: the scale of each code.  PAR INDEX, SIPAS and PCI are 0..100;
-- DTI is 0..1000 points, or its published 0..1 ratio.  Both ends are valid;
-- any number of decimals is kept exactly.
--
SELECT code, value, kpi.index_check(code, value) AS checked
FROM (VALUES ('par', 0), ('par', 100), ('par', 89.95), ('sipas', 83.94), ('pci', 72.95),
             ('dti', 0), ('dti', 1000), ('dti', 800.2), ('dti_ratio', 0), ('dti_ratio', 1),
             ('dti_ratio', 0.8002), ('pci', 65.123456789012345678901234567890)) v(code, value);
SELECT kpi.index_check('par', NULL) IS NULL AS null_value, kpi.index_check(NULL, 5) IS NULL AS null_code;

-- out of range (just past each end), not a number, unknown or misspelt code: 22023
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.index_check(''par'', 100.0001)'),
  ('SELECT kpi.index_check(''par'', -0.01)'),
  ('SELECT kpi.index_check(''sipas'', 100.5)'),
  ('SELECT kpi.index_check(''pci'', 101)'),
  ('SELECT kpi.index_check(''dti'', 1000.1)'),
  ('SELECT kpi.index_check(''dti_ratio'', 1.0001)'),
  ('SELECT kpi.index_check(''dti'', ''NaN'')'),
  ('SELECT kpi.index_check(''par'', ''Infinity'')'),
  ('SELECT kpi.index_check(''PAR'', 50)'),
  ('SELECT kpi.index_check(''pci_index'', 50)'),
  ('SELECT kpi.index_check('''', 50)')
) v(q), pg_temp.err(q) e;
\x off

-- Storing indices: a plain table validated by a CHECK constraint
CREATE TABLE index_values (
	year int NOT NULL,
	province text NOT NULL,
	code text NOT NULL,
	value numeric CHECK (kpi.index_check(code, value) = value),
	PRIMARY KEY (year, province, code)
);
INSERT INTO index_values VALUES
	(2024, 'Hai Phong', 'par', 96.17), (2024, 'Ha Noi', 'par', 91.43),
	(2024, 'Da Nang', 'dti', 800.2), (2024, 'Tra Vinh', 'dti', 607.7),
	(2024, 'Quang Ninh', 'pci', 72.95), (2024, 'Bac Giang', 'sipas', NULL);
-- rejected rows: out of range, unknown code (the error names the rule)
INSERT INTO index_values VALUES (2024, 'X', 'par', 101);
INSERT INTO index_values VALUES (2024, 'X', 'dti', 1000.5);
INSERT INTO index_values VALUES (2024, 'X', 'hdi', 0.7);
SELECT count(*) AS stored FROM index_values;

--
-- IX5 by scale: value / scale, exact; reversed (1 - x) when lower is
-- better.  DTI 800.2 points -> 0.8002 (published as 0.8002); PAR 89.95% ->
-- 0.8995; SIPAS 83.94% -> 0.8394; PCI 72.95 -> 0.7295; 100 -> 1; 0 -> 0.
--
SELECT code, value, kpi.index_fraction(code, value) AS fraction,
       kpi.index_fraction(code, value, false) AS lower_is_better
FROM (VALUES ('dti', 800.2), ('dti_ratio', 0.8002), ('par', 89.95), ('sipas', 83.94),
             ('pci', 72.95), ('par', 100), ('dti', 0),
             ('pci', 65.123456789012345678901234567890)) v(code, value);
SELECT kpi.index_fraction('dti', 800.2) = kpi.index_fraction('dti_ratio', 0.8002) AS same_dti;
-- the stored indices as fractions
SELECT province, code, kpi.index_fraction(code, value) AS fraction
FROM index_values ORDER BY province, code;
SELECT * FROM pg_temp.err('SELECT kpi.index_fraction(''par'', 120)');
SELECT * FROM pg_temp.err('SELECT kpi.index_fraction(''gdp'', 12)');

--
-- IX3: the PCI composite sum of w_k x 10 x s_k, exact.  A made-up province
-- with sub-indices 6.25, 5.10, 7.00, 6.00, 5.50, 6.00, 6.80, 6.40, 6.60, 5.90
-- under VCCI's weights 5, 5, 20, 5, 10, 5, 5, 20, 20, 5 %:
-- 3.125 + 2.55 + 14 + 3 + 5.5 + 3 + 3.4 + 12.8 + 13.2 + 2.95 = 63.525,
-- published to 2 decimals as 63.53 (half away from zero).
--
SELECT kpi.pci_composite('{6.25,5.10,7.00,6.00,5.50,6.00,6.80,6.40,6.60,5.90}') AS composite;
-- all sub-indices 10 -> 100; all 0 -> 0; all 7.5 -> 75
SELECT kpi.pci_composite(array_fill(10::numeric, '{10}')) AS all_ten,
       kpi.pci_composite(array_fill(0::numeric, '{10}')) AS all_zero,
       kpi.pci_composite(array_fill(7.5, '{10}')) AS all_seven_and_a_half;
-- other weights: equal weights over 4 sub-indices: 2.5 x (8 + 6 + 4 + 2) = 50;
-- one weight of 1: 10 x 7.25 = 72.5
SELECT kpi.pci_composite('{8,6,4,2}', '{0.25,0.25,0.25,0.25}') AS equal_weights,
       kpi.pci_composite('{7.25}', '{1}') AS one_weight;
-- checking a stored composite against its sub-indices: 63.53 is right,
-- 63.52 is not, unless a tolerance of 0.01 is allowed; 63.525 itself is
-- not a 2-decimal publication and fails the exact check
SELECT kpi.pci_check(63.53, s) AS published,
       kpi.pci_check(63.52, s) AS off_by_one_cent,
       kpi.pci_check(63.52, s, tolerance => 0.01) AS within_tolerance,
       kpi.pci_check(63.525, s) AS unrounded
FROM (SELECT '{6.25,5.10,7.00,6.00,5.50,6.00,6.80,6.40,6.60,5.90}'::numeric[] AS s) v;
-- rounding is half away from zero: one sub-index of weight 1, composite
-- 10 x 0.0005 = 0.005 publishes as 0.01; 10 x 0.00049 = 0.0049 as 0
SELECT kpi.pci_check(0.01, '{0.0005}', '{1}') AS half_up,
       kpi.pci_check(0, '{0.0005}', '{1}') AS not_down,
       kpi.pci_check(0, '{0.00049}', '{1}') AS below_half;

-- bad input: weights not adding up to 1, out of range, NULL elements (22004),
-- mismatched lengths, empty or 2-D arrays
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.pci_composite(''{5,5,5,5,5,5,5,5,5,5}'', ''{0.05,0.05,0.20,0.05,0.10,0.05,0.05,0.20,0.20,0.04}'')'),
  ('SELECT kpi.pci_composite(''{5,5}'', ''{0.5,0.5000000000000000000001}'')'),
  ('SELECT kpi.pci_composite(''{5,5}'', ''{1.5,-0.5}'')'),
  ('SELECT kpi.pci_composite(''{5,5}'', ''{1.01,0}'')'),
  ('SELECT kpi.pci_composite(''{10.01,5,5,5,5,5,5,5,5,5}'')'),
  ('SELECT kpi.pci_composite(''{-1,5,5,5,5,5,5,5,5,5}'')'),
  ('SELECT kpi.pci_composite(''{NaN,5,5,5,5,5,5,5,5,5}'')'),
  ('SELECT kpi.pci_composite(''{5,NULL,5,5,5,5,5,5,5,5}'')'),
  ('SELECT kpi.pci_composite(''{5,5}'', ''{0.5,NULL}'')'),
  ('SELECT kpi.pci_composite(''{5,5,5,5,5,5,5,5,5}'')'),
  ('SELECT kpi.pci_composite(''{}'', ''{}'')'),
  ('SELECT kpi.pci_composite(''{{5,5},{5,5}}'', ''{0.25,0.25,0.25,0.25}'')'),
  ('SELECT kpi.pci_check(100.01, ''{10}'', ''{1}'')'),
  ('SELECT kpi.pci_check(50, ''{5}'', ''{1}'', -0.01)')
) v(q), pg_temp.err(q) e;
\x off

--
-- IX5 among peers: kpi.index_norm over a window.  PAR INDEX 2024 of six
-- made-up provinces, one without a published value:
--   A 96.17, B 91.43, C 91.43, D 86.5, E NULL, F 80.00
-- min-max: (v - 80) / 16.17: A 1, B = C 11.43 / 16.17 = 0.70686...,
-- D 6.5 / 16.17 = 0.40197..., F 0
-- rank among the n = 5 non-NULL values: A rank 1, B = C rank 2 (ties share
-- the better rank), D rank 4, F rank 5; (n - rank) / (n - 1): A 1,
-- B = C 0.75, D 0.25, F 0
-- lower is better reverses both: min-max (96.17 - v) / 16.17; ranks from
-- the bottom F 1, D 2, B = C 3, A 5: F 1, D 0.75, B = C 0.5, A 0
-- 2025 has two peers: 97 -> 1, 95 -> 0 by min-max and by rank
--
CREATE TABLE par (year int, province text, value numeric);
INSERT INTO par VALUES
	(2024, 'A', 96.17), (2024, 'B', 91.43), (2024, 'C', 91.43), (2024, 'D', 86.5),
	(2024, 'E', NULL), (2024, 'F', 80.00),
	(2025, 'A', 97), (2025, 'B', 95);
SELECT year, province, value,
       kpi.index_norm('par', value) OVER w AS by_scale,
       kpi.index_norm('par', value, 'minmax') OVER w AS minmax,
       kpi.index_norm('par', value, 'rank') OVER w AS rank,
       kpi.index_norm('par', value, 'minmax', false) OVER w AS minmax_low,
       kpi.index_norm('par', value, 'rank', false) OVER w AS rank_low
FROM par
WINDOW w AS (PARTITION BY year)
ORDER BY year, province;
-- the method from the rules (index_method), NULL method = the rules' one
SELECT province,
       kpi.index_norm('par', value, NULL, true, '{"index_method": "rank"}') OVER w AS rules_rank,
       kpi.index_norm('par', value, NULL, true, '{"index_method": "minmax"}') OVER w AS rules_minmax,
       kpi.index_norm('par', value, 'scale', true, '{"index_method": "rank"}') OVER w AS explicit_scale
FROM par WHERE year = 2024
WINDOW w AS (PARTITION BY year)
ORDER BY province;
-- one peer: min-max and rank give 1; all peers equal: 1 for everyone
SELECT kpi.index_norm('sipas', v, 'minmax') OVER () AS minmax_one,
       kpi.index_norm('sipas', v, 'rank') OVER () AS rank_one
FROM (VALUES (83.94)) t(v);
SELECT kpi.index_norm('dti', v, 'minmax') OVER () AS minmax_equal,
       kpi.index_norm('dti', v, 'rank', false) OVER () AS rank_equal
FROM (VALUES (600), (600), (600), (NULL)) t(v);
-- NULL arguments: a NULL value or code gives NULL (not a peer); a NULL
-- direction or rules gives NULL
SELECT kpi.index_norm(c, v, 'rank') OVER () AS null_code_or_value,
       kpi.index_norm('par', v, 'rank', NULL) OVER () AS null_direction,
       kpi.index_norm('par', v, 'rank', true, NULL) OVER () AS null_rules
FROM (VALUES ('par', 90), (NULL, 80), ('par', NULL), ('par', 70)) t(c, v);
-- the whole partition is the peer set, whatever the window's ORDER BY or frame
SELECT province, kpi.index_norm('par', value, 'rank') OVER (PARTITION BY year ORDER BY province ROWS CURRENT ROW) AS rank
FROM par WHERE year = 2024 ORDER BY province;

-- rank agrees with SQL's rank() (ties share the best rank) and min-max with
-- its formula, on 600 generated values with many ties in 6 partitions
CREATE TABLE gen AS
SELECT g % 6 AS part, (g * 7919 % 41) * 2.5 AS value
FROM generate_series(1, 600) g;
INSERT INTO gen VALUES (0, NULL), (3, NULL);
SELECT count(*) AS rows,
       count(*) FILTER (WHERE norm_rank = (n - sql_rank)::numeric / (n - 1)) AS rank_agrees,
       count(*) FILTER (WHERE norm_rank_low = (n - sql_rank_low)::numeric / (n - 1)) AS rank_low_agrees,
       count(*) FILTER (WHERE norm_minmax = trim_scale((value - lo) / (hi - lo))) AS minmax_agrees
FROM (
	SELECT value,
	       kpi.index_norm('par', value, 'rank') OVER w AS norm_rank,
	       kpi.index_norm('par', value, 'rank', false) OVER w AS norm_rank_low,
	       kpi.index_norm('par', value, 'minmax') OVER w AS norm_minmax,
	       rank() OVER (PARTITION BY part ORDER BY value DESC NULLS LAST) AS sql_rank,
	       rank() OVER (PARTITION BY part ORDER BY value ASC) AS sql_rank_low,
	       count(value) OVER (PARTITION BY part) AS n,
	       min(value) OVER (PARTITION BY part) AS lo,
	       max(value) OVER (PARTITION BY part) AS hi
	FROM gen
	WINDOW w AS (PARTITION BY part)
) s
WHERE value IS NOT NULL;

-- bad input: unknown method, a value out of range anywhere in the
-- partition, codes mixed among peers (scale alone does not compare peers)
\x on
SELECT q, e.*
FROM (VALUES
  ('SELECT kpi.index_norm(''par'', v, ''zscore'') OVER () FROM (VALUES (1)) t(v)'),
  ('SELECT kpi.index_norm(''par'', v, ''rank'') OVER () FROM (VALUES (90), (101)) t(v)'),
  ('SELECT kpi.index_norm(''par'', v) OVER () FROM (VALUES (101)) t(v)'),
  ('SELECT kpi.index_norm(''sparkle'', v) OVER () FROM (VALUES (1)) t(v)'),
  ('SELECT kpi.index_norm(c, v, ''minmax'') OVER () FROM (VALUES (''par'', 90), (''dti'', 800)) t(c, v)'),
  ('SELECT kpi.index_norm(''par'', v, NULL, true, ''{"index_method": "zscore"}'') OVER () FROM (VALUES (1)) t(v)'),
  ('SELECT kpi.index_norm(''par'', v, NULL, true, ''{"index_method": 1}'') OVER () FROM (VALUES (1)) t(v)')
) v(q), pg_temp.err(q) e;
\x off
SELECT kpi.index_norm(c, v, 'scale') OVER () AS mixed_codes_by_scale
FROM (VALUES ('par', 90), ('dti', 800)) t(c, v);

DROP TABLE index_values, par, gen;
