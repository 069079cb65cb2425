-- Properties of the year-end rating (rules.md CS10, CS13-CS16) on random
-- histories: disqualifiers (CS14), the quota after them (CS15), screening
-- (CS16) and the leader's scope for criterion d (CS10).
BEGIN;
CREATE EXTENSION IF NOT EXISTS kpi_eval;
SELECT plan(25);

SELECT setseed(0.335);

------------------------------------------------------------------------------
-- kpi.disqualifies, exhaustively over forms and discipline_min
------------------------------------------------------------------------------

CREATE TEMP TABLE forms AS
SELECT f, row_number() OVER (ORDER BY f) AS weight
FROM unnest(enum_range(NULL::kpi.discipline_form)) f;

SELECT is((SELECT count(*) FROM forms f, forms mn, (VALUES (true), (false), (NULL::boolean)) l(is_leader)
		WHERE kpi.disqualifies('discipline', f.f, true, l.is_leader, jsonb_build_object('discipline_min', mn.f))
			IS DISTINCT FROM (f.weight >= mn.weight)), 0::bigint,
	'duty-related discipline disqualifies exactly when the form is discipline_min or heavier (all 36 pairs, any leader flag)');
SELECT is((SELECT count(*) FROM forms f, forms mn, (VALUES (true), (false), (NULL::boolean)) l(is_leader)
		WHERE kpi.disqualifies('discipline', f.f, false, l.is_leader, jsonb_build_object('discipline_min', mn.f))
			IS DISTINCT FROM false), 0::bigint,
	'discipline not related to duty never disqualifies');
SELECT is((SELECT count(*) FROM forms f
		WHERE kpi.disqualifies('discipline', f.f, true) IS DISTINCT FROM true), 0::bigint,
	'by default (Decree 335) a reprimand or anything heavier disqualifies');
SELECT is((SELECT count(*) FROM forms a, forms b
		WHERE a.weight < b.weight AND kpi.disqualifies('discipline', a.f, true, NULL, '{"discipline_min": "ha_bac_luong"}')
			AND NOT kpi.disqualifies('discipline', b.f, true, NULL, '{"discipline_min": "ha_bac_luong"}')), 0::bigint,
	'a heavier form disqualifies whenever a lighter one does');
SELECT is((SELECT count(*) FROM (VALUES (true), (false)) l(is_leader), (VALUES (true), (false)) d(duty), forms f
		WHERE kpi.disqualifies('degradation', f.f, d.duty, l.is_leader) IS DISTINCT FROM true
			OR kpi.disqualifies('unit_corruption', f.f, d.duty, l.is_leader) IS DISTINCT FROM l.is_leader), 0::bigint,
	'degradation always disqualifies; a corruption case in the unit exactly for leaders');

------------------------------------------------------------------------------
-- Random histories: 300 civil servants, years 2018..2025, some years not
-- rated, random disciplinary and other records on random dates
------------------------------------------------------------------------------

CREATE TEMP TABLE person AS
SELECT p AS pid, p % 12 AS unit, 'g' || (p % 3) AS task_group, random() < 0.2 AS is_leader,
	random() < 0.1 AS weak
FROM generate_series(1, 300) p;

-- annual scores with 2 decimals; most between 70 and 100 so that the quota
-- bites, some lower; weak performers mostly below 50 (long runs of not
-- complete); about 15% of years not rated (absent, a gap)
CREATE TEMP TABLE annual AS
SELECT pid, y AS year,
	round((CASE WHEN weak THEN 35 + random() * 20
		WHEN random() < 0.8 THEN 70 + random() * 30 ELSE 35 + random() * 35 END)::numeric, 2) AS score
FROM person, generate_series(2018, 2025) y
WHERE random() >= 0.15;

CREATE TEMP TABLE record AS
SELECT pid,
	date '2017-06-01' + floor(random() * 3500)::int AS decided,
	(ARRAY['discipline', 'discipline', 'discipline', 'degradation', 'unit_corruption'])[1 + floor(random() * 5)::int] AS kind,
	(enum_range(NULL::kpi.discipline_form))[1 + floor(random() * 6)::int] AS form,
	random() < 0.6 AS duty_related
FROM person, generate_series(1, 3) i
WHERE random() < 0.2;

-- the rating pipeline: disqualified in a year = bool_or(kpi.disqualifies)
-- over the records dated within that year; tier; quota per unit, task
-- group and year
CREATE TEMP TABLE rated AS
WITH d AS (
	SELECT a.pid, a.year, a.score,
		coalesce(bool_or(kpi.disqualifies(r.kind, r.form, r.duty_related, p.is_leader)), false) AS disqualified
	FROM annual a JOIN person p USING (pid)
	LEFT JOIN record r ON r.pid = a.pid
		AND r.decided >= make_date(a.year, 1, 1) AND r.decided < make_date(a.year + 1, 1, 1)
	GROUP BY a.pid, a.year, a.score
), t AS (
	SELECT d.*, p.unit, p.task_group, kpi.tier_of(d.score, d.disqualified) AS tier
	FROM d JOIN person p USING (pid)
)
SELECT t.*,
	kpi.quota_tier(tier, score, NULL, NULL) OVER (PARTITION BY unit, task_group, year ORDER BY pid) AS final
FROM t;

SELECT cmp_ok((SELECT count(*) FROM rated WHERE disqualified), '>', 30::bigint,
	'the random histories have disqualified years');
SELECT cmp_ok((SELECT count(*) FROM rated WHERE disqualified AND score >= 90), '>', 5::bigint,
	'... some of them with an excellent score');
SELECT cmp_ok((SELECT count(*) FROM rated WHERE tier = 'xuat_sac' AND final = 'tot'), '>', 30::bigint,
	'the quota demotes many');

-- CS14 against a plain-SQL reading of the rule: a record dated in the year
-- that is a degradation, a duty-related discipline (any form: reprimand or
-- heavier), or a unit corruption case of a leader
SELECT is((SELECT count(*) FROM rated r JOIN person p USING (pid)
		WHERE r.disqualified IS DISTINCT FROM EXISTS (
			SELECT FROM record c WHERE c.pid = r.pid AND extract(year FROM c.decided) = r.year
				AND (c.kind = 'degradation' OR (c.kind = 'discipline' AND c.duty_related)
					OR (c.kind = 'unit_corruption' AND p.is_leader)))), 0::bigint,
	'disqualified in a year = a disqualifying record dated in that year (plain SQL)');
SELECT is((SELECT count(*) FROM rated WHERE disqualified AND tier <> 'khong_hoan_thanh'), 0::bigint,
	'a disqualified year is khong_hoan_thanh whatever the score');
SELECT is((SELECT count(*) FROM rated WHERE NOT disqualified AND tier <>
		CASE WHEN score >= 90 THEN 'xuat_sac' WHEN score >= 70 THEN 'tot'
			WHEN score >= 50 THEN 'hoan_thanh' ELSE 'khong_hoan_thanh' END::kpi.tier), 0::bigint,
	'a year not disqualified is tiered by its score alone (90 / 70 / 50)');
SELECT is((SELECT count(*) FROM rated WHERE disqualified AND final = 'xuat_sac'), 0::bigint,
	'a disqualified member is never excellent after the quota');
SELECT is((SELECT count(*) FROM rated WHERE disqualified AND final IS DISTINCT FROM 'khong_hoan_thanh'), 0::bigint,
	'the quota leaves a disqualified member khong_hoan_thanh');
SELECT is((SELECT count(*) FROM rated WHERE final > tier OR final IS NULL), 0::bigint,
	'the quota never raises a tier');
SELECT is((SELECT count(*) FROM (
		SELECT unit, task_group, year,
			count(*) FILTER (WHERE final = 'xuat_sac') AS x, count(*) FILTER (WHERE final = 'tot') AS t
		FROM rated GROUP BY unit, task_group, year) s
		WHERE NOT (x <= 0.2 * t)), 0::bigint,
	'excellent <= 20% of good after the quota in every unit, group and year');

------------------------------------------------------------------------------
-- Screening (CS16) of every person-year, on the history up to that year
------------------------------------------------------------------------------

CREATE TEMP TABLE screened AS
SELECT r.pid, r.year, r.final,
	prev.final AS prev_final, prev2.final AS prev2_final,
	kpi.screening(h.years, h.tiers) AS flag,
	kpi.screening(h.years, h.tiers, '{"screen_out_years": 3, "screen_up_years": 2}') AS flag_3_2
FROM rated r
LEFT JOIN rated prev ON prev.pid = r.pid AND prev.year = r.year - 1
LEFT JOIN rated prev2 ON prev2.pid = r.pid AND prev2.year = r.year - 2
CROSS JOIN LATERAL (
	SELECT array_agg(year ORDER BY year) AS years, array_agg(final ORDER BY year) AS tiers
	FROM rated x WHERE x.pid = r.pid AND x.year <= r.year) h;

SELECT ok((SELECT count(*) FILTER (WHERE flag = 'out') > 20 AND count(*) FILTER (WHERE flag_3_2 = 'out') > 10
		AND count(*) FILTER (WHERE flag_3_2 = 'up') > 3 FROM screened),
	'the random histories have ''out'' flags, 3-year ''out'' runs and 2-year ''up'' runs');
SELECT is((SELECT count(*) FROM screened WHERE flag = 'out'
		AND NOT (final = 'khong_hoan_thanh' AND prev_final = 'khong_hoan_thanh')), 0::bigint,
	'''out'' implies this year and the previous consecutive year were khong_hoan_thanh');
SELECT is((SELECT count(*) FROM screened WHERE final = 'khong_hoan_thanh' AND prev_final = 'khong_hoan_thanh'
		AND flag IS DISTINCT FROM 'out'), 0::bigint,
	'2 consecutive years khong_hoan_thanh always give ''out''');
SELECT is((SELECT count(*) FROM screened WHERE flag IS DISTINCT FROM
		CASE WHEN final = 'khong_hoan_thanh' AND prev_final = 'khong_hoan_thanh' THEN 'out'
			WHEN final = 'khong_hoan_thanh' THEN 'down'
			WHEN final = 'xuat_sac' THEN 'up' END), 0::bigint,
	'flag = out / down / up / NULL from this year and the year before (a gap year breaks a run)');
SELECT is((SELECT count(*) FROM screened WHERE flag_3_2 IS DISTINCT FROM
		CASE WHEN final = 'khong_hoan_thanh' AND prev_final = 'khong_hoan_thanh'
				AND prev2_final = 'khong_hoan_thanh' THEN 'out'
			WHEN final = 'khong_hoan_thanh' THEN 'down'
			WHEN final = 'xuat_sac' AND prev_final = 'xuat_sac' THEN 'up' END), 0::bigint,
	'with screen_out_years 3 and screen_up_years 2 the runs needed are 3 and 2 years');
SELECT is((SELECT count(*) FROM screened s JOIN rated r USING (pid, year)
		WHERE r.disqualified AND coalesce(s.flag, 'none') NOT IN ('down', 'out')), 0::bigint,
	'a disqualified year is always screened down or out');

------------------------------------------------------------------------------
-- kpi.unit_scope and criterion d on a random unit tree
------------------------------------------------------------------------------

-- 200 units; each unit's parent is an earlier unit or none (a forest), and
-- 3 extra units 201 -> 202 -> 203 -> 201 form a cycle
CREATE TEMP TABLE unit AS
SELECT id::bigint, CASE WHEN id = 1 OR random() < 0.1 THEN NULL
	ELSE 1 + floor(random() * (id - 1))::bigint END AS parent
FROM generate_series(1, 200) id
UNION ALL VALUES (201, 203), (202, 201), (203, 202);

-- ancestors-or-self of every unit, walking up (the other direction from
-- unit_scope), stopping at a repeat
CREATE TEMP TABLE anc AS
WITH RECURSIVE up(id, anc, path) AS (
	SELECT id, id, ARRAY[id] FROM unit
	UNION ALL
	SELECT up.id, u.parent, up.path || u.parent
	FROM up JOIN unit u ON u.id = up.anc
	WHERE u.parent IS NOT NULL AND u.parent <> ALL (up.path)
)
SELECT DISTINCT id, anc FROM up;

CREATE TEMP TABLE scope AS
SELECT r.id AS root, s AS id
FROM unit r, LATERAL kpi.unit_scope(r.id,
	(SELECT array_agg(id ORDER BY id) FROM unit),
	(SELECT array_agg(parent ORDER BY id) FROM unit)) s;

SELECT is((SELECT count(*) FROM (
		(SELECT root, id FROM scope EXCEPT SELECT anc, id FROM anc)
		UNION ALL
		(SELECT anc, id FROM anc EXCEPT SELECT root, id FROM scope)) d), 0::bigint,
	'the whole-subtree scope of every unit = the units it is an ancestor-or-self of (cycle included)');
SELECT is((SELECT count(*) FROM scope s WHERE s.id <> s.root
		AND NOT EXISTS (SELECT FROM unit u JOIN scope p ON p.root = s.root AND p.id = u.parent WHERE u.id = s.id)),
	0::bigint, 'every unit in a scope but the root has its parent in the scope');
SELECT is((SELECT count(*) FROM unit r
		WHERE ARRAY(SELECT kpi.unit_scope(r.id, (SELECT array_agg(id) FROM unit),
				(SELECT array_agg(parent) FROM unit), false)) <> ARRAY[r.id]), 0::bigint,
	'the direct scope is the unit itself');

-- one civil servant per unit and period, some not scored: criterion d of a
-- leader of each unit = 50 when anyone scored in the scope is below 50
CREATE TEMP TABLE member AS
SELECT id AS unit, CASE WHEN random() < 0.1 THEN NULL ELSE round((45 + random() * 55)::numeric, 2) END AS score
FROM unit, generate_series(1, 2);

SELECT is((SELECT count(*) FROM (
		SELECT s.root, kpi.unit_result(m.score) AS d,
			CASE WHEN bool_or(m.score < 50) THEN 50 ELSE 100 END AS expected
		FROM scope s LEFT JOIN member m ON m.unit = s.id
		GROUP BY s.root) x
		WHERE d <> expected), 0::bigint,
	'criterion d over each leader''s scope = 50 when a scored subordinate is below 50, else 100');

SELECT * FROM finish();
ROLLBACK;
