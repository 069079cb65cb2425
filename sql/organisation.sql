--
-- One period of an organisation in one call (rules.md CS5-CS11, CS13, CS15):
-- kpi.score_detail, the window function kpi.score_organisation (criterion d,
-- CS10), kpi.unit_scopes and the quota decision as a record
-- (kpi.quota_decision).  Expected values are worked by hand in the comments.
--
\set SHOW_CONTEXT never

-- err(q): run q and report how it failed ('ok' when it did not)
\i sql/include/err.sql

-- E1: 20 lines, 18 completed, 2 of them late once: a = b = 90, c = 87.5,
-- KQ = 89.1667, T = 62.4167, with G = 28: 90.42 (excellent).
-- none_done: one line, nothing done: a = b = c = 0; with G = 20: 20.00.
-- all_done: one line, done on time: a = b = c = 100.
CREATE TEMP TABLE t AS
SELECT (SELECT kpi.tally_agg(1::numeric, g <= 18, g <= 18, 0, CASE WHEN g IN (1, 2) THEN 1 ELSE 0 END)
          FROM generate_series(1, 20) g) AS e1,
       kpi.tally_agg(1::numeric, false, false, 0, 0) AS none_done,
       kpi.tally_agg(1::numeric, true, true, 0, 0) AS all_done;

-- kpi.score_detail: the whole row in one call
SELECT (kpi.score_detail(28, e1)).* FROM t;
-- a leader with a = b = c = 100, G = 29, d = 50, dd = e = 100 (E4):
-- KQ = (300 + 250) / 6 = 91.6667, T = 64.1667, 93.17
SELECT (kpi.score_detail(29, all_done, 50, 100, 100)).* FROM t;
-- d, dd, e not given count as met (leader_full): 29 + 70 = 99.00
SELECT (kpi.score_detail(29, all_done, NULL, NULL, NULL)).* FROM t;
-- no G: everything but the score and tier; no tally: nothing but d, dd, e;
-- NULL rules: NULL
SELECT (kpi.score_detail(NULL, e1)).* FROM t;
SELECT (kpi.score_detail(29, NULL, 100, 50, 100)).*;
SELECT kpi.score_detail(28, e1, NULL) IS NULL AS null_rules FROM t;
-- the same values as the accessors, under other rules too
SELECT r AS rules,
       (sd).quantity_pct = kpi.quantity_pct(e1, r) AND (sd).quality_pct = kpi.quality_pct(e1, r)
       AND (sd).progress_pct = kpi.progress_pct(e1, r) AND (sd).task_pct = kpi.task_pct(e1, r)
       AND (sd).task_points = kpi.task_points(e1, r) AND (sd).score = kpi.period_score(28, e1, r)
       AND (sd).tier = kpi.tier_of(kpi.period_score(28, e1, r), false, r) AS same,
       (sd).quantity_pct::text = kpi.quantity_pct(e1, r)::text
       AND (sd).task_pct::text = kpi.task_pct(e1, r)::text AS same_text
FROM t, (VALUES ('{}'::jsonb), ('{"progress_reading": "strict"}'), ('{"rounding_scale": 0}'),
                ('{"cap": false}')) AS v(r),
     LATERAL (SELECT kpi.score_detail(28, e1, r) AS sd) x;
SELECT (sd).task_pct = kpi.task_pct(all_done, 50, 100, 50) AND (sd).score = kpi.period_score(29, all_done, 50, 100, 50)
       AS leader_same
FROM t, LATERAL (SELECT kpi.score_detail(29, all_done, 50, 100, 50) AS sd) x;
-- the arguments are checked as by the accessors
SELECT * FROM pg_temp.err($$SELECT kpi.score_detail(31, e1) FROM t$$);
SELECT * FROM pg_temp.err($$SELECT kpi.score_detail(29, all_done, 75, 100, 100) FROM t$$);
SELECT * FROM pg_temp.err($$SELECT kpi.score_detail(28, e1, '{"quality_deduction": 0.5}') FROM t$$);

-- kpi.score_organisation over one period.  Department 10 over unit 20:
--   1  non-leader of unit 20, E1, G 28: 90.42
--   3  leader of department 10 (scope 10, 20), all done, G 29
--   4  leader of unit 20 (scope 20), nothing done, G 10: 10 + 0.70 x 50 = 45.00
--      with d = 100 (nobody below them)
--   5  a second leader of unit 20 (scope 20): 4's peer, not their manager: d = 100, 99.00
--   6  a deputy of the department supervising unit 20 from outside it
--      (unit 10, scope 20): manages 4: d = 50, 93.17
-- 3 manages 4 (below 50): d = 50, 93.17.
CREATE TEMP TABLE org (id int, unit bigint, leader boolean, scope bigint[], g numeric, which text);
INSERT INTO org VALUES (1, 20, false, NULL, 28, 'e1'), (3, 10, true, '{10,20}', 29, 'all_done'),
	(4, 20, true, '{20}', 10, 'none_done'), (5, 20, true, '{20}', 29, 'all_done'),
	(6, 10, true, '{20}', 29, 'all_done');
CREATE TEMP VIEW org_t AS
SELECT o.*, CASE o.which WHEN 'e1' THEN t.e1 WHEN 'none_done' THEN t.none_done ELSE t.all_done END AS tally
FROM org o, t;
SELECT id, (sd).d, (sd).dd, (sd).e, (sd).score, (sd).tier
FROM (SELECT id, kpi.score_organisation(unit, leader, scope, g, tally, NULL, NULL) OVER () AS sd FROM org_t) x
ORDER BY id;
-- d is decided up the chain: 4 with G 16 passes with d = 100 (51.00) but
-- not with d = 50 (45.17), which non-leader 2's 20.00 gives; 3 then gets 50
-- for 4 as well as for 2
INSERT INTO org VALUES (2, 20, false, NULL, 20, 'none_done');
UPDATE org SET g = 16 WHERE id = 4;
DELETE FROM org WHERE id IN (1, 5, 6);
SELECT id, (sd).d, (sd).score
FROM (SELECT id, kpi.score_organisation(unit, leader, scope, g, tally, NULL, NULL) OVER () AS sd FROM org_t) x
ORDER BY id;
-- each partition is one organisation: without 2, d = 100 for 4 (51.00) and
-- for 3 (99.00); threshold_complete 52 puts 4's 51.00 below it again
SELECT r, id, (sd).d, (sd).score
FROM (SELECT r, id, kpi.score_organisation(unit, leader, scope, g, tally, NULL, NULL, r) OVER (PARTITION BY r) AS sd
      FROM org_t, (VALUES ('{}'::jsonb), ('{"threshold_complete": 52}')) v(r) WHERE id <> 2) x
ORDER BY r, id;
-- dd and e as given (50 lowers KQ by 50 / 6 each), and a leader with no
-- work: d still decided, nothing scored
SELECT id, (sd).d, (sd).dd, (sd).e, (sd).score
FROM (SELECT id, kpi.score_organisation(unit, leader, scope, g, CASE WHEN id = 4 THEN NULL ELSE tally END,
                                        50, CASE WHEN id = 3 THEN 50 END) OVER () AS sd
      FROM org_t) x
ORDER BY id;
-- the rules must be the same on every row; a bad dd is named
SELECT * FROM pg_temp.err($$SELECT kpi.score_organisation(unit, leader, scope, g, tally, NULL, NULL,
	CASE WHEN id = 3 THEN '{"threshold_complete": 60}' ELSE '{}' END::jsonb) OVER () FROM org_t$$);
SELECT * FROM pg_temp.err($$SELECT kpi.score_organisation(unit, leader, scope, g, tally, 75, NULL) OVER () FROM org_t$$);
SELECT count(*) FILTER (WHERE sd IS NULL) AS null_rules
FROM (SELECT kpi.score_organisation(unit, leader, scope, g, tally, NULL, NULL, NULL) OVER () AS sd FROM org_t) x;

-- kpi.unit_scopes: 1 is a department with sections 2 and 3, 4 is under 2,
-- 5 has no parent; 7 -> 8 -> 9 -> 7 is a cycle; 42 is no unit (itself only);
-- roots repeated or NULL are taken once or left out
SELECT * FROM kpi.unit_scopes('{3,1,7,42,1,NULL,2}', '{1,2,3,4,5,7,8,9}', '{NULL,1,1,2,NULL,9,7,8}');
SELECT * FROM kpi.unit_scopes('{1,7}', '{1,2,3,4,5,7,8,9}', '{NULL,1,1,2,NULL,9,7,8}', false);
SELECT count(*) AS no_roots FROM kpi.unit_scopes('{}', '{1}', '{NULL}');
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.unit_scopes('{1}', '{1,2}', '{NULL}')$$);
SELECT * FROM pg_temp.err($$SELECT * FROM kpi.unit_scopes('{1}', '{1,NULL}', '{NULL,1}')$$);

-- kpi.quota_decision: E6, 5 candidates and 6 rated good in one group keep
-- floor(0.2 x 11 / 1.2) = 1; candidates 2 and 3 tie on score, T and G, but
-- below the cut (the first kept is 1), so nobody is flagged; 7 has no score.
-- Group 2: 2 candidates tied across the cut with 4 good: keep
-- floor(0.2 x 6 / 1.2) = 1, both flagged.
CREATE TEMP TABLE qd (grp int, k int, tier kpi.tier, score numeric, tp numeric, gp numeric);
INSERT INTO qd VALUES
	(1, 1, 'xuat_sac', 95, 66, 29), (1, 2, 'xuat_sac', 93, 64, 29), (1, 3, 'xuat_sac', 93, 64, 29),
	(1, 4, 'xuat_sac', 91, 62, 29), (1, 5, 'xuat_sac', 90, 61, 29), (1, 6, 'tot', 85, 56, 29),
	(1, 7, 'xuat_sac', NULL, NULL, NULL),
	(1, 8, 'tot', 80, 51, 29), (1, 9, 'tot', 80, 51, 29), (1, 10, 'tot', 75, 46, 29), (1, 11, 'tot', 72, 43, 29),
	(1, 12, 'tot', 71, 42, 29), (1, 13, 'hoan_thanh', 60, 31, 29),
	(2, 1, 'xuat_sac', 92, 63, 29), (2, 2, 'xuat_sac', 92, 63, 29), (2, 3, 'tot', 80, 51, 29),
	(2, 4, 'tot', 80, 51, 29), (2, 5, 'tot', 80, 51, 29), (2, 6, 'tot', 80, 51, 29);
SELECT grp, k, (d).*
FROM (SELECT grp, k, kpi.quota_decision(tier, score, tp, gp) OVER w AS d FROM qd
      WINDOW w AS (PARTITION BY grp ORDER BY k)) x
ORDER BY grp, k;
-- the same decision as kpi.quota_tier, kpi.quota_tie and kpi.quota_kept,
-- under a group rate and the pooled reading too
SELECT r, rate, count(*) AS rows,
       count(*) FILTER (WHERE (d).tier IS DISTINCT FROM qt OR (d).tie IS DISTINCT FROM qe
                        OR (d).kept <> kpi.quota_kept((d).candidates, (d).good, rate, r)) AS differ
FROM (SELECT r, rate, kpi.quota_decision(tier, score, tp, gp, rate, r) OVER w AS d,
             kpi.quota_tier(tier, score, tp, gp, rate, r) OVER w AS qt,
             kpi.quota_tie(tier, score, tp, gp, rate, r) OVER w AS qe
      FROM qd, (VALUES ('{}'::jsonb, NULL::numeric), ('{}', 0.5), ('{"quota_reading": "pooled"}', NULL)) v(r, rate)
      WINDOW w AS (PARTITION BY r, rate, grp ORDER BY k)) x
GROUP BY r, rate ORDER BY r, rate;
SELECT count(*) FILTER (WHERE d IS NULL) AS null_rules
FROM (SELECT kpi.quota_decision(tier, score, tp, gp, NULL, NULL) OVER (PARTITION BY grp) AS d FROM qd) x;
SELECT * FROM pg_temp.err($$SELECT kpi.quota_decision(tier, score, tp, gp, NULL, CASE WHEN k = 1 THEN '{}' ELSE '{"quota_rate": 0.3}' END::jsonb) OVER (PARTITION BY grp) FROM qd$$);
