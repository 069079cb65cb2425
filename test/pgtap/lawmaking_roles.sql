-- test/pgtap/lawmaking_roles.sql
-- Properties of the law-making role groups and their roll-up (rules.md
-- LM5-LM6) over random documents of 60 ministries in the six role groups:
-- the roll-up of one role is that role's score, the order of documents and
-- of roles does not matter, the roll-up is a weighted mean (between the
-- lowest and the highest role score, unchanged when every weight is
-- scaled), the combine function agrees with the transition, and the role
-- groups the C code knows are those the reference table accepts.
BEGIN;
CREATE EXTENSION IF NOT EXISTS kpi_eval;
SELECT plan(11);

SELECT setseed(0.5);
CREATE TEMP TABLE doc AS
SELECT m, r.role, k, due,
       CASE WHEN random() < 0.15 THEN NULL ELSE due + (floor(random() * 40) - 25)::int END AS issued,
       (random() < 0.3)::int * (1 + floor(random() * 3)::int) AS returned,
       d AS detected, floor(random() * (d + 1))::int AS resolved,
       (random() < 0.1)::int AS initiatives
FROM generate_series(1, 60) m
CROSS JOIN unnest(ARRAY['drafting', 'appraisal', 'joint_appraisal', 'government_office', 'poll', 'finalising']) r(role)
CROSS JOIN LATERAL generate_series(1, floor(random() * 9)::int + 0 * m + 0 * length(r.role)) k
CROSS JOIN LATERAL (SELECT date '2025-12-01' + floor(random() * 420)::int + 0 * k AS due,
                           floor(random() * random() * 4)::int + 0 * k AS d) x;

-- one summary per ministry and role, over its documents in two orders
CREATE TEMP TABLE role_sum AS
SELECT m, role,
       count(*) FILTER (WHERE due BETWEEN '2026-01-01' AND '2026-12-31'
                           OR issued BETWEEN '2026-01-01' AND '2026-12-31') AS docs,
       kpi.lawmaking_agg(due, issued, returned, detected, resolved, initiatives, '2026-01-01', '2026-12-31'
                         ORDER BY k) AS s,
       kpi.lawmaking_agg(due, issued, returned, detected, resolved, initiatives, '2026-01-01', '2026-12-31'
                         ORDER BY random()) AS s_shuffled,
       (m % 11)::numeric AS impact
FROM doc
GROUP BY m, role;
UPDATE role_sum SET impact = 0 WHERE impact > 10;

SELECT ok((SELECT count(*) FROM role_sum WHERE kpi.lm_role_score(s, role, impact) IS NOT NULL) > 250,
	'most of the 360 role summaries are scored (the fixture is not empty)');

SELECT is((SELECT count(*) FROM role_sum WHERE s::text IS DISTINCT FROM s_shuffled::text), 0::bigint,
	'the order of the documents does not change a role''s summary');

SELECT is((SELECT count(*) FROM role_sum r
           WHERE kpi.lm_role_score(r.s, r.role, r.impact) IS DISTINCT FROM
                 (SELECT kpi.lm_ministry_score(x.role, x.s, x.impact, x.docs, '{}') FROM (SELECT r.*) x)),
          0::bigint, 'the roll-up of one role equals that role''s score (or both are NULL)');

SELECT is((SELECT count(*) FROM role_sum r
           WHERE r.role = 'drafting' AND kpi.lm_role_score(r.s, r.role, r.impact) IS DISTINCT FROM kpi.lm_score(r.s, r.impact)),
          0::bigint, 'by default the drafting role group is scored as kpi.lm_score (lawmaking_template)');

CREATE TEMP TABLE rolled AS
SELECT m,
       kpi.lm_ministry_score(role, s, impact, docs, '{}' ORDER BY role) AS by_role,
       kpi.lm_ministry_score(role, s, impact, docs, '{}' ORDER BY random()) AS shuffled,
       kpi.lm_ministry_score(role, s, impact, docs, '{"lawmaking_role_weights": {"drafting": 3, "appraisal": 3, "joint_appraisal": 3, "government_office": 3, "poll": 3, "finalising": 3}}') AS tripled,
       kpi.lm_ministry_score(role, s, impact, docs, '{"lawmaking_rollup": "roles"}') AS roles_only,
       min(kpi.lm_role_score(s, role, impact)) AS lo,
       max(kpi.lm_role_score(s, role, impact)) AS hi,
       avg(kpi.lm_role_score(s, role, impact)) AS mean_rounded
FROM role_sum
GROUP BY m;

SELECT is((SELECT count(*) FROM rolled WHERE by_role IS DISTINCT FROM shuffled), 0::bigint,
	'the order of the roles does not change the roll-up');
SELECT is((SELECT count(*) FROM rolled WHERE by_role IS DISTINCT FROM tripled), 0::bigint,
	'scaling every role weight by 3 does not change the roll-up');
SELECT is((SELECT count(*) FROM rolled WHERE NOT (by_role BETWEEN lo AND hi) OR NOT (roles_only BETWEEN lo AND hi)),
          0::bigint, 'the roll-up lies between the lowest and the highest role score (a weighted mean)');
SELECT ok((SELECT count(*) FROM rolled WHERE by_role <> roles_only) > 10,
	'weighting by documents differs from weighting by role for many ministries (the rule value matters)');

-- the combine function: the roles split in two halves, each folded by the
-- transition function alone, then merged
CREATE AGGREGATE pg_temp.lm_state(text, kpi.lawmaking, numeric, bigint, jsonb) (
	SFUNC = kpi.lm_ministry_score_trans,
	STYPE = numeric[]
);
CREATE FUNCTION pg_temp.half_state(m integer, first boolean) RETURNS numeric[]
LANGUAGE sql AS $$
	SELECT pg_temp.lm_state(r.role, r.s, r.impact, r.docs, '{}')
	FROM role_sum r WHERE r.m = half_state.m AND (r.role < 'g') = half_state.first
$$;
SELECT is((SELECT count(*) FROM (
             SELECT m, kpi.lm_ministry_score_final(kpi.lm_ministry_score_combine(
                          coalesce(pg_temp.half_state(m, true), '{0,0,0,0,0,0,0,1}'),
                          coalesce(pg_temp.half_state(m, false), '{0,0,0,0,0,0,0,1}'))) AS merged
             FROM generate_series(1, 60) m) c
           JOIN rolled USING (m)
           WHERE merged IS DISTINCT FROM by_role), 0::bigint,
	'merging the states of two halves of the roles (the combine function) gives the roll-up');

-- the role groups of the C code are those of the reference table's check
CREATE EXTENSION IF NOT EXISTS kpi_eval_reference;
INSERT INTO kpi.unit (unit_id, name, agency_kind) VALUES (900001, 'Bộ thử', 'ministry');
CREATE FUNCTION pg_temp.inserts(role text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO kpi.lawmaking_document (unit_id, role, due) VALUES (900001, inserts.role, '2026-05-01');
	RETURN true;
EXCEPTION WHEN check_violation THEN
	RETURN false;
END $$;
SELECT is((SELECT count(*) FROM jsonb_object_keys(kpi.effective_rules() -> 'lawmaking_role_weights') r
           WHERE pg_temp.inserts(r) AND kpi.lm_role_score(
                     '(period_start=2026-01-01,period_end=2026-12-31,due_in_period=1,on_time=1,late_issued=0,backlog=0,issued_in_period=1,first_pass=1,obstacles_detected=0,obstacles_resolved=0,initiatives=0)',
                     r, 0) IS NOT NULL),
          6::bigint, 'each of the six role groups of the rules is accepted by kpi.lawmaking_document and scored');
SELECT is((SELECT count(*) FROM unnest(ARRAY['Drafting', 'drafting ', 'polls', 'government office', 'revision']) r
           WHERE pg_temp.inserts(r)),
          0::bigint, 'other spellings are refused by kpi.lawmaking_document''s check');

SELECT * FROM finish();
ROLLBACK;
