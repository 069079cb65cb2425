--
-- The year-end rating around the score (rules.md CS14, CS16; worked case E7):
-- kpi.disqualifies, a per-year disqualification from dated decisions,
-- kpi.screening, kpi.unit_scope and criterion d over a leader's scope (CS10).
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

------------------------------------------------------------------------------
-- kpi.disqualifies (CS14)
------------------------------------------------------------------------------

-- 'discipline': every form, duty-related or not.  Reprimand (khien_trach) or
-- heavier for a duty-related violation disqualifies: all six forms true when
-- duty-related, all false when not.  With discipline_min = canh_cao the
-- reprimand no longer disqualifies, the warning and heavier still do.
SELECT form,
	kpi.disqualifies('discipline', form, true) AS duty,
	kpi.disqualifies('discipline', form, false) AS not_duty,
	kpi.disqualifies('discipline', form, true, false) AS duty_non_leader,
	kpi.disqualifies('discipline', form, true, NULL, '{"discipline_min": "canh_cao"}') AS duty_min_canh_cao,
	kpi.disqualifies('discipline', form, false, NULL, '{"discipline_min": "canh_cao"}') AS not_duty_min_canh_cao,
	kpi.disqualifies('discipline', form, true, NULL, '{"discipline_min": "buoc_thoi_viec"}') AS duty_min_heaviest
FROM unnest(enum_range(NULL::kpi.discipline_form)) AS form
ORDER BY form;

-- 'unit_corruption': leaders only; 'degradation': always, whatever else is given
SELECT kind, is_leader, kpi.disqualifies(kind, NULL, NULL, is_leader) AS disqualifies
FROM (VALUES ('unit_corruption'), ('degradation')) AS k(kind),
	(VALUES (true), (false)) AS l(is_leader)
ORDER BY kind, is_leader;
SELECT kpi.disqualifies('degradation') AS degradation_alone,
	kpi.disqualifies('degradation', 'khien_trach', false, false) AS degradation_other_facts_irrelevant,
	kpi.disqualifies('unit_corruption', 'khien_trach', false, true) AS corruption_form_irrelevant;

-- NULL facts the kind needs give NULL: the form or the duty link of a
-- discipline, the leader flag of a unit corruption; a NULL kind or NULL rules
SELECT kpi.disqualifies('discipline', NULL, true) IS NULL AS no_form,
	kpi.disqualifies('discipline', 'canh_cao', NULL) IS NULL AS no_duty,
	kpi.disqualifies('discipline') IS NULL AS nothing,
	kpi.disqualifies('unit_corruption') IS NULL AS no_leader_flag,
	kpi.disqualifies(NULL, 'canh_cao', true, true) IS NULL AS no_kind,
	kpi.disqualifies('degradation', NULL, NULL, NULL, NULL) IS NULL AS no_rules;

-- errors: an unknown kind (the kinds are case-sensitive), a bad discipline_min
SELECT * FROM pg_temp.err($$SELECT kpi.disqualifies('corruption', NULL, NULL, true)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.disqualifies('Discipline', 'khien_trach', true)$$);
SELECT * FROM pg_temp.err($$SELECT kpi.disqualifies('discipline', 'khien_trach', true, NULL, '{"discipline_min": "reprimand"}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.disqualifies('discipline', 'khien_trach', true, NULL, '{"discipline_min": 1}')$$);
SELECT * FROM pg_temp.err($$SELECT 'khien_trach_nhe'::kpi.discipline_form$$);
\set VERBOSITY terse
SELECT kpi.disqualifies('warning', 'canh_cao', true);
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default

------------------------------------------------------------------------------
-- A per-year decision from a table of dated records (CS14 "in the
-- evaluation year"), and E7: the numeric score stays visible
------------------------------------------------------------------------------

CREATE TEMP TABLE staff (person text PRIMARY KEY, is_leader boolean);
INSERT INTO staff VALUES ('an', false), ('binh', false), ('chi', false),
	('dung', true), ('em', false), ('giang', true), ('hoa', false);

CREATE TEMP TABLE annual (person text, year int, score numeric);
INSERT INTO annual VALUES
	('an', 2024, 93), ('an', 2025, 93),
	('binh', 2024, 91), ('binh', 2025, 91),
	('chi', 2024, 85), ('chi', 2025, 85),
	('dung', 2024, 95), ('dung', 2025, 95),
	('em', 2025, 49.99),
	('giang', 2025, 92),
	('hoa', 2025, 72);

CREATE TEMP TABLE record (person text, decided date, kind text,
	form kpi.discipline_form, duty_related boolean);
INSERT INTO record VALUES
	-- E7: a duty-related reprimand in 2025 -> 2025 not complete, 93 shown;
	-- 2024 (no record) stays xuat_sac
	('an', '2025-06-10', 'discipline', 'khien_trach', true),
	-- dated 31 December 2024: counts for 2024 only; the 2025-01-01 record is
	-- not duty-related and does not count
	('binh', '2024-12-31', 'discipline', 'canh_cao', true),
	('binh', '2025-01-01', 'discipline', 'cach_chuc', false),
	-- two records in one year, one harmless: bool_or -> disqualified in 2025
	('chi', '2025-02-01', 'discipline', 'khien_trach', false),
	('chi', '2025-11-30', 'degradation', NULL, NULL),
	-- a leader whose unit was handled for corruption in 2025
	('dung', '2025-09-09', 'unit_corruption', NULL, NULL),
	-- the same kind of record for a non-leader does not disqualify
	('hoa', '2025-09-09', 'unit_corruption', NULL, NULL),
	-- a record dated 2026 does not count for 2025
	('giang', '2026-01-01', 'degradation', NULL, NULL);

-- bool_or over the records dated within the year; no record -> false
CREATE TEMP VIEW rated AS
SELECT a.person, a.year, a.score,
	coalesce(bool_or(kpi.disqualifies(r.kind, r.form, r.duty_related, s.is_leader)), false) AS disqualified,
	count(r.*) AS records_in_year
FROM annual a
JOIN staff s USING (person)
LEFT JOIN record r ON r.person = a.person
	AND r.decided >= make_date(a.year, 1, 1) AND r.decided < make_date(a.year + 1, 1, 1)
GROUP BY a.person, a.year, a.score;

-- an 2024 93 xuat_sac, 2025 93 (shown) khong_hoan_thanh (E7);
-- binh 2024 disqualified (warning dated 2024-12-31), 2025 xuat_sac;
-- chi 2025 disqualified by the degradation conclusion; dung 2025 by the
-- corruption case in the unit; em 49.99 not complete by score; giang 2025
-- xuat_sac (the 2026 record is another year); hoa tot (not a leader)
SELECT person, year, score, records_in_year, disqualified,
	kpi.tier_of(score, disqualified) AS tier,
	kpi.tier_of(score) AS tier_by_score_alone
FROM rated ORDER BY person, year;

------------------------------------------------------------------------------
-- kpi.screening (CS16)
------------------------------------------------------------------------------

-- down: the last year not complete; out: the last 2 consecutive years not
-- complete; a gap year (not rated) breaks the run; up: the last year
-- excellent; NULL otherwise
SELECT label, kpi.screening(years, tiers) AS flag
FROM (VALUES
	('one year not complete', '{2025}'::int[], '{khong_hoan_thanh}'::kpi.tier[]),
	('2 consecutive not complete', '{2024,2025}', '{khong_hoan_thanh,khong_hoan_thanh}'),
	('3 consecutive not complete', '{2023,2024,2025}', '{khong_hoan_thanh,khong_hoan_thanh,khong_hoan_thanh}'),
	('gap year 2024 not rated', '{2023,2025}', '{khong_hoan_thanh,khong_hoan_thanh}'),
	('good in between', '{2023,2024,2025}', '{khong_hoan_thanh,tot,khong_hoan_thanh}'),
	('complete in between', '{2024,2025}', '{hoan_thanh,khong_hoan_thanh}'),
	('recovered in the last year', '{2023,2024,2025}', '{khong_hoan_thanh,khong_hoan_thanh,hoan_thanh}'),
	('excellent', '{2025}', '{xuat_sac}'),
	('excellent after not complete', '{2024,2025}', '{khong_hoan_thanh,xuat_sac}'),
	('good', '{2024,2025}', '{xuat_sac,tot}'),
	('complete', '{2025}', '{hoan_thanh}'),
	('no history', '{}', '{}')
) AS h(label, years, tiers)
ORDER BY label;

-- the year counts are rules: out after 3, up after 2 consecutive excellent,
-- down only after 2
SELECT label,
	kpi.screening(years, tiers, '{"screen_out_years": 3}') AS out_3,
	kpi.screening(years, tiers, '{"screen_up_years": 2}') AS up_2,
	kpi.screening(years, tiers, '{"screen_down_years": 2, "screen_out_years": 3}') AS down_2_out_3
FROM (VALUES
	('1 not complete', '{2025}'::int[], '{khong_hoan_thanh}'::kpi.tier[]),
	('2 not complete', '{2024,2025}', '{khong_hoan_thanh,khong_hoan_thanh}'),
	('3 not complete', '{2023,2024,2025}', '{khong_hoan_thanh,khong_hoan_thanh,khong_hoan_thanh}'),
	('1 excellent', '{2025}', '{xuat_sac}'),
	('2 excellent', '{2024,2025}', '{xuat_sac,xuat_sac}'),
	('2 excellent with a gap', '{2023,2025}', '{xuat_sac,xuat_sac}')
) AS h(label, years, tiers)
ORDER BY label;

-- screening a history built with array_agg(... ORDER BY year) from the rated
-- view: an (xuat_sac, khong_hoan_thanh) -> down; binh (khong_hoan_thanh,
-- xuat_sac) -> up; chi (tot, khong_hoan_thanh) -> down; dung (xuat_sac,
-- khong_hoan_thanh) -> down; em (khong_hoan_thanh) -> down; giang -> up; hoa -> NULL
SELECT person, array_agg(year ORDER BY year) AS years,
	array_agg(kpi.tier_of(score, disqualified) ORDER BY year) AS tiers,
	kpi.screening(array_agg(year ORDER BY year),
		array_agg(kpi.tier_of(score, disqualified) ORDER BY year)) AS flag
FROM rated GROUP BY person ORDER BY person;

-- NULL arguments give NULL (strict)
SELECT kpi.screening(NULL, '{tot}') IS NULL AS null_years,
	kpi.screening('{2025}', NULL) IS NULL AS null_tiers,
	kpi.screening('{2025}', '{tot}', NULL) IS NULL AS null_rules;

-- errors: length mismatch, a NULL element, years not strictly increasing,
-- a 2-D array, bad rule values (an unknown key without its detail, the list
-- of known keys, which grows with the rule set)
SELECT * FROM pg_temp.err($$SELECT kpi.screening('{2024,2025}', '{khong_hoan_thanh}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.screening('{2024,NULL}', '{tot,tot}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.screening('{2024,2025}', '{tot,NULL}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.screening('{2025,2024}', '{khong_hoan_thanh,khong_hoan_thanh}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.screening('{2025,2025}', '{khong_hoan_thanh,khong_hoan_thanh}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.screening('{{2024,2025}}', '{{tot,tot}}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.screening('{2025}', '{tot}', '{"screen_out_years": 0}')$$);
SELECT * FROM pg_temp.err($$SELECT kpi.screening('{2025}', '{tot}', '{"screen_up_years": 1.5}')$$);
SELECT code, message FROM pg_temp.err($$SELECT kpi.screening('{2025}', '{tot}', '{"screen_years": 2}')$$);
\set VERBOSITY terse
SELECT kpi.screening('{2024,2025}', '{tot}');
\echo :LAST_ERROR_SQLSTATE
SELECT kpi.screening('{2024,2025}', '{tot,NULL}');
\echo :LAST_ERROR_SQLSTATE
SELECT kpi.screening('{2025,2024}', '{tot,tot}');
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default

------------------------------------------------------------------------------
-- kpi.unit_scope and criterion d for a leader (CS10)
------------------------------------------------------------------------------

-- Units: 1 is a department with sections 2 and 3; 4 is under 2; 5 has no
-- parent (another department); 7 -> 8 -> 9 -> 7 is a cycle.
CREATE TEMP TABLE unit (id bigint, parent bigint);
INSERT INTO unit VALUES (1, NULL), (2, 1), (3, 1), (4, 2), (5, NULL),
	(7, 9), (8, 7), (9, 8);

-- whole subtree, direct (the unit itself only), a cycle, an unknown root
SELECT root, whole,
	ARRAY(SELECT u FROM kpi.unit_scope(root,
		(SELECT array_agg(id ORDER BY id) FROM unit),
		(SELECT array_agg(parent ORDER BY id) FROM unit), whole) AS u ORDER BY u) AS scope
FROM (VALUES (1), (2), (3), (5), (7), (8), (42)) AS r(root),
	(VALUES (true), (false)) AS w(whole)
ORDER BY root, whole DESC;
-- the default is the whole subtree; NULL arguments give no rows (strict)
SELECT array_agg(u ORDER BY u) AS default_scope
FROM kpi.unit_scope(2, '{1,2,3,4}', '{NULL,1,1,2}') AS u;
SELECT count(*) AS null_root_rows FROM kpi.unit_scope(NULL, '{1}', '{NULL}');
-- empty unit arrays: just the root
SELECT array_agg(u) AS no_units FROM kpi.unit_scope(1, '{}', '{}') AS u;

-- One period's scores of the civil servants in each unit; the leaders are
-- not among their own subordinates.  Unit 4 has a 45 (below 50); unit 3 has
-- a member not scored this period (NULL, left out); unit 5 has a 30.
CREATE TEMP TABLE member (person text, unit bigint, score numeric);
INSERT INTO member VALUES
	('s1', 1, 80), ('s2', 2, 75), ('s3', 3, 60), ('s3b', 3, NULL),
	('s4', 4, 45), ('s5', 5, 30), ('s7', 7, 88), ('s8', 8, 50), ('s9', 9, 49.995);

-- d = 100 when every scored civil servant in the scope reached 50, else 50;
-- 100 when nobody in the scope was scored.
--   leader of 1, whole subtree: s1, s2, s3, s4 (45) -> 50; direct: s1 -> 100
--   leader of 2, whole: s2, s4 (45) -> 50; direct: s2 -> 100
--   leader of 3: s3 (60; s3b not scored) -> 100 either way
--   leader of 4: s4 -> 50;  leader of 5: s5 (30) -> 50
--   leader of 7, whole (the cycle 7, 8, 9): s7 88, s8 50, s9 49.995 rounds
--   to 50.00 -> 100; direct: s7 -> 100
--   leader of 42 (no such unit, nobody) -> 100
SELECT root, whole, count(m.score) AS scored, min(m.score) AS lowest,
	kpi.unit_result(m.score) AS d
FROM (VALUES (1), (2), (3), (4), (5), (7), (42)) AS r(root)
	CROSS JOIN (VALUES (true), (false)) AS w(whole)
	LEFT JOIN LATERAL (SELECT m.score FROM member m
		WHERE m.unit IN (SELECT kpi.unit_scope(root,
			(SELECT array_agg(id ORDER BY id) FROM unit),
			(SELECT array_agg(parent ORDER BY id) FROM unit), whole))) m ON true
GROUP BY root, whole
ORDER BY root, whole DESC;
-- the leader without a scope row at all (an empty join) also gets 100
SELECT kpi.unit_result(score) AS d_nobody FROM member WHERE false;
