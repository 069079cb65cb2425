-- test/pgtap/evaluate.sql: properties of the reference schema and its
-- evaluation runs (rules.md RS1-RS2, CS2-CS15, AG1-AG5) on a generated
-- organisation: 4 agencies, 26 units in a tree, about 300 officials with
-- leaders and deputies, 12 months of 2026 and 4 quarters of 2027.
--   - every ledger adds up exactly to 100 - score;
--   - month and quarter results equal a direct computation with the C
--     functions (independent SQL: recursive unit tree, kpi.tally_agg per
--     official and period, kpi.unit_result, kpi.period_score);
--   - the year equals kpi.annual_score of the current periods, with the
--     disqualifiers and the quota computed directly;
--   - evaluating again with supersede gives identical results and ledgers;
--   - results do not depend on the plan or the row order;
--   - what-if under the rules in force changes nothing, and the strict
--     progress reading never raises a score.
-- Everything runs in one transaction, rolled back.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS kpi_eval_reference CASCADE;
SET client_min_messages = error;	-- the stale-year warnings of the supersede block are expected

SELECT plan(57);

SELECT setseed(0.2026335);

------------------------------------------------------------------------------
-- The organisation
------------------------------------------------------------------------------

-- 4 agencies (2 provinces' departments, 2 ministries), 4 units under each,
-- and a team under every second unit: 4 + 16 + 8 = 28 units
INSERT INTO kpi.unit (unit_id, parent_id, name, agency_kind)
SELECT a, NULL, 'Cơ quan ' || a, CASE WHEN a <= 2 THEN 'province' ELSE 'ministry' END
FROM generate_series(1, 4) a;
INSERT INTO kpi.unit (unit_id, parent_id, name)
SELECT a * 10 + u, a, 'Phòng ' || a || '.' || u FROM generate_series(1, 4) a, generate_series(1, 4) u;
INSERT INTO kpi.unit (unit_id, parent_id, name)
SELECT (a * 10 + u) * 10 + 1, a * 10 + u, 'Tổ ' || a || '.' || u
FROM generate_series(1, 4) a, generate_series(1, 4) u WHERE u % 2 = 0;

-- 6 to 16 people per unit; in a unit the first is its head, the second a
-- deputy; an agency's deputy supervises one of its units (so the agency has
-- one head); the task group splits leaders, and specialists in two
CREATE TEMP TABLE gen_size AS
SELECT unit_id, 6 + floor(random() * 11)::int AS size
FROM (SELECT unit_id FROM kpi.unit ORDER BY unit_id) u;

INSERT INTO kpi.official (official_id, unit_id, full_name, is_leader, leads_unit, task_group)
SELECT row_number() OVER (ORDER BY g.unit_id, k), g.unit_id, 'Công chức ' || g.unit_id || '-' || k,
       k <= 2,
       CASE WHEN k = 1 THEN g.unit_id
            WHEN k = 2 AND u.parent_id IS NULL THEN g.unit_id * 10 + 1
            WHEN k = 2 THEN g.unit_id END,
       CASE WHEN k <= 2 THEN 'lanh_dao' WHEN k % 2 = 0 THEN 'tong_hop' ELSE 'chuyen_mon' END
FROM gen_size g JOIN kpi.unit u USING (unit_id), generate_series(1, g.size) k
ORDER BY g.unit_id, k;

-- a per-person slackness; 2026 months and 2027 quarters; some periods off
CREATE TEMP TABLE gen_person AS
SELECT official_id, (random() + random()) / 2 AS u
FROM (SELECT official_id FROM kpi.official ORDER BY official_id) o;

CREATE TEMP TABLE gen_period AS
SELECT p.official_id, p.period_start, p.kind, p.u, r_off, r_idle, 3 + floor(r_n * 10)::int AS n
FROM (SELECT g.official_id, g.u, s.period_start, s.kind, random() AS r_off, random() AS r_idle, random() AS r_n
      FROM gen_person g,
           (SELECT m::date AS period_start, 'month' AS kind FROM generate_series('2026-01-01'::date, '2026-12-01', '1 month') m
            UNION ALL
            SELECT q::date, 'quarter' FROM generate_series('2027-01-01'::date, '2027-10-01', '3 months') q) s
      ORDER BY g.official_id, s.period_start) p;

-- task lines: single-unit lines and quantity lines (over-completion too),
-- coefficients from 0.5 to 16; 4% of periods off (no lines), 2% with only
-- coefficient-0 lines (nothing assigned: not scored, N0.4)
INSERT INTO kpi.task_line (official_id, title, due, done, coef, assigned_qty, completed_qty, passed_qty,
                           quality_errors, late_events)
SELECT official_id, 'Việc ' || k, due, CASE WHEN completed > 0 THEN due END,
       coef, assigned, completed, least(passed, completed), qerr, late
FROM (
	SELECT p.official_id, k, p.period_start + floor(r1 * 27)::int AS due,
	       CASE WHEN p.r_idle < 0.02 THEN 0
	            ELSE ('{1,1,1,1,2,2,4,8,16,0.5}'::numeric[])[1 + floor(r2 * 10)::int] END AS coef,
	       CASE WHEN r3 < 0.7 THEN 1 ELSE 1 + floor(r4 * 20)::int END AS assigned,
	       CASE WHEN r3 < 0.7 THEN (r5 > 0.35 * p.u)::int
	            ELSE round((1 + floor(r4 * 20)::int) * (1.3 - 0.6 * p.u * r5)::numeric, 2) END AS completed,
	       CASE WHEN r3 < 0.7 THEN (r6 > 0.2 * p.u)::int
	            ELSE round((1 + floor(r4 * 20)::int) * (1.3 - 0.8 * p.u * r6)::numeric, 2) END AS passed,
	       CASE WHEN r7 < 0.15 * p.u THEN 1 + floor(r8 * 3)::int ELSE 0 END AS qerr,
	       CASE WHEN r8 < 0.2 * p.u THEN 1 + floor(r7 * 2)::int ELSE 0 END AS late
	FROM (SELECT p.*, k, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
	             random() AS r6, random() AS r7, random() AS r8
	      FROM gen_period p, generate_series(1, p.n) k
	      WHERE p.r_off >= 0.04
	      ORDER BY p.official_id, p.period_start, k) p
) s;

-- the general-criteria form of every period worked, and of a few periods off
-- (a row with marks but no lines: not scored)
INSERT INTO kpi.general_mark (official_id, period_start, marks)
SELECT official_id, period_start,
       array_agg(greatest(0, mx - CASE WHEN r < 0.75 THEN 0 WHEN r < 0.95 THEN 0.5 ELSE 1 END) ORDER BY i)
FROM (SELECT p.official_id, p.period_start, i, mx, random() AS r
      FROM gen_period p, unnest('{5,5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5}'::numeric[]) WITH ORDINALITY AS m(mx, i)
      WHERE p.r_off >= 0.04 OR p.r_off < 0.01
      ORDER BY p.official_id, p.period_start, i) s
GROUP BY official_id, period_start;

-- leaders' dd and e: a reduced value in about 1 period in 5, NULL e sometimes
INSERT INTO kpi.leader_criteria (official_id, period_start, dd, e)
SELECT official_id, period_start, CASE WHEN r1 < 0.5 THEN 50 ELSE 100 END,
       CASE WHEN r2 < 0.3 THEN 50 WHEN r2 < 0.6 THEN NULL ELSE 100 END
FROM (SELECT p.official_id, p.period_start, random() AS r0, random() AS r1, random() AS r2
      FROM gen_period p JOIN kpi.official o USING (official_id)
      WHERE o.is_leader ORDER BY p.official_id, p.period_start) s
WHERE r0 < 0.2;

-- disciplinary records of 2026: a duty-related reprimand (disqualifies), a
-- warning not duty-related (does not), a degradation, a reprimand whose
-- duty-relatedness is unknown (tier undecided), and corruption in unit 12
-- (its leaders, and the deputy of agency 1 who supervises... no: unit 11)
INSERT INTO kpi.disciplinary_record (official_id, unit_id, decided_on, kind, form, duty_related) VALUES
	(5, NULL, '2026-03-10', 'discipline', 'khien_trach', true),
	(6, NULL, '2026-04-10', 'discipline', 'canh_cao', false),
	(7, NULL, '2026-05-10', 'degradation', NULL, NULL),
	(8, NULL, '2026-06-10', 'discipline', 'khien_trach', NULL),
	(NULL, 12, '2026-07-10', 'unit_corruption', NULL, NULL),
	(9, NULL, '2025-12-31', 'discipline', 'buoc_thoi_viec', true);

-- the agencies' inputs, own work plans and (provinces) indices
INSERT INTO kpi.agency_input
SELECT a, y, '{7.5,7,6.5,7}', 1000 * a, 900 * a, 700 * a
FROM generate_series(1, 4) a, (VALUES (2026), (2027)) AS v(y);
INSERT INTO kpi.task_line (unit_id, title, due, done, coef, completed_qty, passed_qty, quality_errors, late_events)
SELECT a, 'Kế hoạch ' || k, make_date(y, 1 + k % 12, 15), make_date(y, 1 + k % 12, 15),
       1 + k % 3, (k % 7 <> 0)::int, (k % 7 <> 0)::int, (k % 11 = 0)::int, (k % 5 = 0)::int
FROM generate_series(1, 4) a, (VALUES (2026), (2027)) AS v(y), generate_series(1, 25) k;
INSERT INTO kpi.index_value
SELECT a, y, c.code, c.v + a + y - 2026
FROM generate_series(1, 2) a, (VALUES (2026), (2027)) AS v(y),
     (VALUES ('par', 85.5), ('sipas', 80.25), ('pci', 65.1), ('dti', 700.4)) AS c(code, v);

------------------------------------------------------------------------------
-- Evaluate 12 months, the year 2026, 4 quarters and the year 2027
------------------------------------------------------------------------------

SELECT clock_timestamp() AS t0 \gset
CALL kpi.evaluate('2026-01-01', 'month');
CALL kpi.evaluate('2026-02-01', 'month');
CALL kpi.evaluate('2026-03-01', 'month');
CALL kpi.evaluate('2026-04-01', 'month');
CALL kpi.evaluate('2026-05-01', 'month');
CALL kpi.evaluate('2026-06-01', 'month');
CALL kpi.evaluate('2026-07-01', 'month');
CALL kpi.evaluate('2026-08-01', 'month');
CALL kpi.evaluate('2026-09-01', 'month');
CALL kpi.evaluate('2026-10-01', 'month');
CALL kpi.evaluate('2026-11-01', 'month');
CALL kpi.evaluate('2026-12-01', 'month');
CALL kpi.evaluate('2026-01-01', 'year');
CALL kpi.evaluate('2027-01-01', 'quarter');
CALL kpi.evaluate('2027-04-01', 'quarter');
CALL kpi.evaluate('2027-07-01', 'quarter');
CALL kpi.evaluate('2027-10-01', 'quarter');
CALL kpi.evaluate('2027-01-01', 'year');
SELECT diag(format('%s officials, %s task lines; 18 runs in %s', (SELECT count(*) FROM kpi.official),
	(SELECT count(*) FROM kpi.task_line), date_trunc('millisecond', clock_timestamp() - :'t0'::timestamptz)));

SELECT is((SELECT count(*) FROM kpi.evaluation_run), 18::bigint, '18 runs: 12 months, 4 quarters, 2 years');
SELECT is((SELECT count(DISTINCT official_id) FROM kpi.official_result WHERE period_kind = 'month'),
	(SELECT count(*) FROM kpi.official), 'every official has month results');
SELECT cmp_ok((SELECT count(*) FROM kpi.official_result WHERE score IS NULL AND period_kind = 'month'), '>', 0::bigint,
	'some periods are not scored (only coefficient-0 lines, or marks without lines: N0.4)');

------------------------------------------------------------------------------
-- The ledger
------------------------------------------------------------------------------

SELECT is((SELECT count(*) FROM (
	SELECT r.score, sum(l.points_lost) AS lost
	FROM kpi.official_result r LEFT JOIN kpi.ledger l USING (run_id, official_id)
	WHERE r.score IS NOT NULL GROUP BY r.run_id, r.official_id, r.score) s
	WHERE lost IS DISTINCT FROM 100 - score), 0::bigint,
	'every scored result: the ledger adds up exactly to 100 - score');
SELECT is((SELECT count(*) FROM kpi.official_result r JOIN kpi.ledger l USING (run_id, official_id)
	WHERE r.score IS NULL), 0::bigint, 'an unscored result has no ledger');
SELECT is((SELECT count(*) FROM (
	SELECT run_id, official_id, max(line_no) AS mx, count(*) AS n, min(line_no) AS mn,
	       count(*) FILTER (WHERE rule_id = 'N0.3') AS n03,
	       max(line_no) FILTER (WHERE rule_id = 'N0.3') AS n03_at
	FROM kpi.ledger GROUP BY run_id, official_id) s
	WHERE mn <> 1 OR mx <> n OR n03 <> 1 OR n03_at <> mx), 0::bigint,
	'ledger lines are numbered 1..n and end with one N0.3 (rounding) row');
SELECT is((SELECT count(*) FROM kpi.ledger WHERE rule_id = 'N0.3' AND abs(points_lost) >= 0.005 + 0.000001 * 40),
	0::bigint, 'the rounding row is below half a cent plus the 6-decimal rounding of the other rows');
SELECT is((SELECT count(*) FROM (
	SELECT r.general_points, sum(l.points_lost) AS lost
	FROM kpi.official_result r LEFT JOIN kpi.ledger l ON l.run_id = r.run_id AND l.official_id = r.official_id
	     AND l.rule_id = 'CS3'
	WHERE r.score IS NOT NULL AND r.period_kind <> 'year'
	GROUP BY r.run_id, r.official_id, r.general_points) s
	WHERE 30 - general_points <> coalesce(lost, 0)), 0::bigint,
	'CS3 rows: the marks lost add up to 30 - G');
SELECT is((SELECT count(*) FROM kpi.ledger l JOIN kpi.task_line t ON t.task_id = l.source_id
	WHERE l.source_table = 'task_line' AND t.official_id <> l.official_id), 0::bigint,
	'CS5-CS7 rows cite task lines of the official');
SELECT is((SELECT count(*) FROM kpi.ledger l
	JOIN kpi.official_result r USING (run_id, official_id)
	JOIN kpi.task_line t ON t.task_id = l.source_id
	WHERE l.source_table = 'task_line'
	  AND NOT (t.due BETWEEN r.period_start AND kpi.evaluation_period_end(r.period_start, r.period_kind))),
	0::bigint, 'CS5-CS7 rows cite task lines due in the period (CS2)');
SELECT is((SELECT count(*) FROM (
	SELECT l.run_id, l.official_id, sum(l.points_lost) AS lost
	FROM kpi.ledger l JOIN kpi.official_result r USING (run_id, official_id)
	WHERE r.period_kind = 'year' AND l.rule_id = 'CS12'
	GROUP BY 1, 2) s
	JOIN kpi.official_result r USING (run_id, official_id)
	WHERE abs(lost - (100 - r.score)) > 0.005 + 0.000001 * 12), 0::bigint,
	'year: the CS12 rows (one per period) add up to 100 - annual within the rounding');
SELECT is((SELECT array_agg(DISTINCT rule_id ORDER BY rule_id) FROM kpi.ledger),
	'{CS10,CS12,CS14,CS15,CS3,CS5,CS6,CS7,CS8,N0.3}'::text[], 'every kind of ledger row occurs');

------------------------------------------------------------------------------
-- Month and quarter results = a direct computation with the C functions
------------------------------------------------------------------------------

-- Leaders are scored deepest first: a leader manages the non-leaders of
-- their subtree, the leaders in charge of a unit strictly below their own,
-- and, when the leader sits outside the unit in their charge (an agency's
-- deputy over a unit), the leaders in charge of that same unit who sit in it
-- (CS10; else leaders in charge of the same unit are peers).  So d of an
-- agency's head reads the scores of the unit heads under it.
CREATE TEMP TABLE tree AS
WITH RECURSIVE t(root, unit_id, depth) AS (
	SELECT unit_id, unit_id, 0 FROM kpi.unit
	UNION ALL
	SELECT t.root, u.unit_id, t.depth + 1 FROM t JOIN kpi.unit u ON u.parent_id = t.unit_id
)
SELECT root, unit_id, depth FROM t;

CREATE TEMP TABLE base AS
WITH
periods(kind, period_start, period_end) AS (
	SELECT 'month', m::date, (m + interval '1 month - 1 day')::date
	FROM generate_series('2026-01-01'::date, '2026-12-01', '1 month') m
	UNION ALL
	SELECT 'quarter', q::date, (q + interval '3 months - 1 day')::date
	FROM generate_series('2027-01-01'::date, '2027-10-01', '3 months') q
),
tallies AS (
	SELECT p.kind, p.period_start, t.official_id,
	       kpi.tally_agg(t.coef, t.assigned_qty, t.completed_qty, t.passed_qty, t.quality_errors, t.late_events) AS t
	FROM kpi.task_line t JOIN periods p ON t.due BETWEEN p.period_start AND p.period_end
	WHERE t.official_id IS NOT NULL
	GROUP BY 1, 2, 3
)
SELECT p.kind, p.period_start, o.official_id, o.unit_id, o.is_leader, coalesce(o.leads_unit, o.unit_id) AS in_charge,
       (SELECT max(tr.depth) FROM tree tr WHERE tr.unit_id = coalesce(o.leads_unit, o.unit_id)) AS depth,
       NOT EXISTS (SELECT 1 FROM tree tr WHERE tr.root = coalesce(o.leads_unit, o.unit_id)
                   AND tr.unit_id = o.unit_id) AS outside,
       tl.t, kpi.general_points(g.marks) AS g, coalesce(c.dd, 100) AS dd, coalesce(c.e, 100) AS e
FROM periods p CROSS JOIN kpi.official o
LEFT JOIN tallies tl ON tl.kind = p.kind AND tl.period_start = p.period_start AND tl.official_id = o.official_id
LEFT JOIN kpi.general_mark g ON g.official_id = o.official_id AND g.period_start = p.period_start
LEFT JOIN kpi.leader_criteria c ON c.official_id = o.official_id AND c.period_start = p.period_start
WHERE tl.official_id IS NOT NULL OR g.official_id IS NOT NULL;

CREATE TEMP TABLE direct AS
SELECT b.kind, b.period_start, b.official_id, b.unit_id, b.in_charge, b.outside, b.is_leader, b.g,
       NULL::numeric AS d, NULL::numeric AS dd, NULL::numeric AS e,
       kpi.period_score(b.g, b.t) AS score, kpi.task_points(b.t) AS tp, b.t::text AS t
FROM base b WHERE NOT b.is_leader;

DO $$
DECLARE
	v record;
BEGIN
	FOR v IN SELECT DISTINCT depth, outside FROM base WHERE is_leader ORDER BY depth DESC, outside LOOP
		INSERT INTO direct
		SELECT b.kind, b.period_start, b.official_id, b.unit_id, b.in_charge, b.outside, true, b.g, dc.d, b.dd, b.e,
		       kpi.period_score(b.g, b.t, dc.d, b.dd, b.e), kpi.task_points(b.t, dc.d, b.dd, b.e), b.t::text
		FROM base b
		CROSS JOIN LATERAL (
			SELECT kpi.unit_result(m.score) AS d
			FROM direct m
			JOIN tree tr ON tr.root = b.in_charge AND tr.unit_id = m.unit_id
			WHERE m.kind = b.kind AND m.period_start = b.period_start
			  AND (NOT m.is_leader
			       OR m.in_charge IN (SELECT t2.unit_id FROM tree t2 WHERE t2.root = b.in_charge AND t2.depth > 0)
			       OR (m.in_charge = b.in_charge AND b.outside AND NOT m.outside))
		) dc
		WHERE b.is_leader AND b.depth = v.depth AND b.outside = v.outside;
	END LOOP;
END
$$;

SELECT is((SELECT count(*) FROM direct d
	FULL JOIN kpi.current_official_result r
	  ON r.official_id = d.official_id AND r.period_start = d.period_start AND r.period_kind = d.kind
	WHERE coalesce(r.period_kind, d.kind) <> 'year'
	  AND (r.official_id IS NULL OR d.official_id IS NULL
	       OR r.score IS DISTINCT FROM d.score OR r.general_points IS DISTINCT FROM d.g
	       OR r.d IS DISTINCT FROM d.d OR r.dd IS DISTINCT FROM d.dd OR r.e IS DISTINCT FROM d.e
	       OR r.task_points IS DISTINCT FROM d.tp OR r.tally::text IS DISTINCT FROM d.t
	       OR r.tier IS DISTINCT FROM kpi.tier_of(d.score))), 0::bigint,
	'month and quarter results (who, G, d, dd, e, T, score, tier, tally) = the direct computation');
SELECT cmp_ok((SELECT count(*) FROM kpi.current_official_result WHERE d = 50), '>', 0::bigint,
	'some leaders have d = 50 (a subordinate below 50)');
SELECT cmp_ok((SELECT count(*) FROM kpi.current_official_result WHERE d = 100 AND is_leader AND period_kind = 'month'),
	'>', 0::bigint, 'and some d = 100');

------------------------------------------------------------------------------
-- The years
------------------------------------------------------------------------------

SELECT is((SELECT count(*) FROM kpi.current_official_result y
	WHERE y.period_kind = 'year'
	  AND y.score IS DISTINCT FROM (SELECT kpi.annual_score(m.score) FROM kpi.current_official_result m
	                                WHERE m.official_id = y.official_id
	                                  AND m.period_kind = CASE WHEN y.period_start = '2026-01-01' THEN 'month' ELSE 'quarter' END
	                                  AND m.period_start BETWEEN y.period_start AND y.period_start + 364)),
	0::bigint, 'year score = kpi.annual_score of the current months (2026) or quarters (2027)');

CREATE TEMP TABLE direct_year AS
WITH y AS (
	SELECT extract(year FROM m.period_start)::int AS year, m.official_id,
	       kpi.annual_score(m.score) AS score,
	       avg(m.general_points) FILTER (WHERE m.score IS NOT NULL) AS g,
	       kpi.task_points(kpi.rollup(m.tally)) AS tp
	FROM kpi.current_official_result m WHERE m.period_kind <> 'year'
	GROUP BY 1, 2
),
dq AS (
	SELECT y.year, y.official_id,
	       CASE WHEN count(r.record_id) = 0 THEN false
	            WHEN bool_or(kpi.disqualifies(r.kind, r.form, r.duty_related, o.is_leader)) THEN true
	            WHEN bool_or(kpi.disqualifies(r.kind, r.form, r.duty_related, o.is_leader) IS NULL) THEN NULL
	            ELSE false END AS dq
	FROM y JOIN kpi.official o USING (official_id)
	LEFT JOIN kpi.disciplinary_record r
	  ON extract(year FROM r.decided_on) = y.year
	 AND (r.official_id = o.official_id OR (o.is_leader AND r.unit_id = coalesce(o.leads_unit, o.unit_id)))
	GROUP BY 1, 2
),
t AS (
	SELECT y.*, o.unit_id, o.task_group, dq.dq,
	       kpi.tier_of(y.score, dq.dq) AS tier
	FROM y JOIN kpi.official o USING (official_id) JOIN dq USING (year, official_id)
)
SELECT t.*, kpi.quota_tier(tier, score, tp, g) OVER w AS qtier, kpi.quota_tie(tier, score, tp, g) OVER w AS qtie
FROM t WINDOW w AS (PARTITION BY year, unit_id, task_group ORDER BY official_id);

SELECT is((SELECT count(*) FROM direct_year d
	FULL JOIN kpi.current_official_result r
	  ON r.period_kind = 'year' AND r.official_id = d.official_id AND extract(year FROM r.period_start) = d.year
	WHERE (r.period_kind = 'year' OR r.period_kind IS NULL)
	  AND (r.official_id IS NULL OR d.official_id IS NULL
	       OR r.score IS DISTINCT FROM d.score OR r.general_points IS DISTINCT FROM d.g
	       OR r.task_points IS DISTINCT FROM d.tp OR r.disqualified IS DISTINCT FROM d.dq
	       OR r.tier IS DISTINCT FROM d.tier OR r.quota_tier IS DISTINCT FROM d.qtier
	       OR r.quota_tie IS DISTINCT FROM d.qtie)), 0::bigint,
	'year results (annual, G, T, disqualified, tier, quota tier and tie) = the direct computation');
SELECT is((SELECT array_agg(official_id ORDER BY official_id) FROM kpi.current_official_result
	WHERE period_kind = 'year' AND period_start = '2026-01-01' AND disqualified),
	(SELECT array_agg(o.official_id ORDER BY o.official_id) FROM kpi.official o
	 WHERE o.official_id IN (5, 7) OR (o.is_leader AND coalesce(o.leads_unit, o.unit_id) = 12)),
	'2026 disqualified: the duty-related reprimand, the degradation, the leaders in charge of unit 12 (CS14)');
SELECT is((SELECT score IS NOT NULL AND tier IS NULL AND disqualified IS NULL FROM kpi.current_official_result
	WHERE period_kind = 'year' AND period_start = '2026-01-01' AND official_id = 8), true,
	'a reprimand of unknown duty-relatedness leaves the tier undecided (NULL)');
SELECT is((SELECT count(*) FROM kpi.current_official_result
	WHERE period_kind = 'year' AND official_id IN (6, 9) AND disqualified), 0::bigint,
	'a warning not duty-related, and a record of the year before, do not disqualify');
SELECT cmp_ok((SELECT count(*) FROM kpi.quota_decisions WHERE quota_tier < tier), '>', 0::bigint,
	'the quota demotes some excellent ratings to good');
SELECT is((SELECT count(*) FROM kpi.quota_decisions WHERE NOT (quota_tier <> tier OR quota_tie)), 0::bigint,
	'kpi.quota_decisions lists only demotions and ties');
SELECT is((SELECT sum(officials)::bigint FROM kpi.tier_distribution),
	(SELECT count(*) FROM kpi.current_official_result), 'kpi.tier_distribution counts every current result');

-- agencies
SELECT is((SELECT count(*) FROM kpi.current_agency_result), 8::bigint, '4 agencies rated in each of 2 years');
SELECT is((SELECT count(*) FROM kpi.current_agency_result a
	JOIN kpi.agency_input i ON i.unit_id = a.unit_id AND i.year = a.year
	JOIN kpi.unit u ON u.unit_id = a.unit_id
	WHERE a.score IS DISTINCT FROM kpi.agency_score(
		kpi.agency_general_points(i.marks),
		(SELECT kpi.tally_agg(t.coef, t.assigned_qty, t.completed_qty, t.passed_qty, t.quality_errors, t.late_events)
		 FROM kpi.task_line t WHERE t.unit_id = a.unit_id AND extract(year FROM t.due) = a.year),
		i.dossiers, i.dossiers_on_time, i.dossiers_online,
		coalesce((SELECT jsonb_object_agg(v.code, kpi.index_fraction(v.code, v.value)) FROM kpi.index_value v
		          WHERE v.unit_id = a.unit_id AND v.year = a.year), '{}'),
		u.agency_kind)
	   OR a.tier IS DISTINCT FROM kpi.tier_of(a.score)), 0::bigint,
	'agency scores and tiers = kpi.agency_score of the inputs, work plan and indices (AG1-AG4)');
SELECT is((SELECT count(*) FROM kpi.agency_result a
	LEFT JOIN (SELECT run_id, unit_id, sum(points_lost) AS lost FROM kpi.agency_ledger GROUP BY 1, 2) l
	  USING (run_id, unit_id)
	WHERE a.score IS NOT NULL AND l.lost IS DISTINCT FROM 100 - a.score), 0::bigint,
	'every scored agency result has a ledger adding up exactly to 100 - score');
SELECT is((SELECT count(*) FROM kpi.agency_result a JOIN kpi.agency_ledger l USING (run_id, unit_id)
	WHERE a.score IS NULL), 0::bigint, 'an unscored agency has no ledger');
SELECT is((SELECT count(*) FROM kpi.agency_result a
	JOIN kpi.unit u ON u.unit_id = a.unit_id
	CROSS JOIN LATERAL (SELECT kpi.effective_rules() -> (u.agency_kind || '_template') AS tpl) t
	CROSS JOIN LATERAL (
		SELECT coalesce(sum(l.points_lost) FILTER (WHERE l.rule_id = 'AG2'), 0) AS marks,
		       coalesce(sum(l.points_lost) FILTER (WHERE l.rule_id IN ('CS5', 'CS6', 'CS7', 'CS8')), 0) AS plan,
		       coalesce(sum(l.points_lost) FILTER (WHERE l.rule_id = 'AG3'), 0) AS procedures,
		       coalesce(sum(l.points_lost) FILTER (WHERE l.rule_id LIKE 'IX_'), 0) AS indices,
		       count(*) AS n
		FROM kpi.agency_ledger l WHERE l.run_id = a.run_id AND l.unit_id = a.unit_id) g
	WHERE a.score IS NOT NULL
	  AND (g.marks <> 30 - (a.components ->> 'general_points')::numeric
	       OR abs(g.plan - ((t.tpl ->> 'work_plan')::numeric - (a.components ->> 'work_plan_points')::numeric)) > 0.000001 * g.n
	       OR abs(g.procedures - ((t.tpl ->> 'procedures')::numeric
	                              - (a.components ->> 'procedures_points')::numeric)) > 0.000001 * g.n
	       OR abs(g.indices - (SELECT coalesce(sum((t.tpl ->> c)::numeric - coalesce((a.components ->> (c || '_points'))::numeric, 0)), 0)
	                           FROM unnest('{par,sipas,pci,dti}'::text[]) c
	                           WHERE (t.tpl ->> c)::numeric > 0)) > 0.000001 * g.n)), 0::bigint,
	'each part of an agency ledger adds up to what its component lost: marks exactly, work plan, procedures and indices within the rows'' rounding');
SELECT is((SELECT count(*) FROM kpi.agency_ledger l
	WHERE l.rule_id NOT IN ('AG2', 'AG3', 'CS5', 'CS6', 'CS7', 'CS8', 'IX1', 'IX2', 'IX3', 'IX4', 'N0.3')
	   OR (l.rule_id LIKE 'CS%' AND NOT (l.detail ->> 'work_plan')::boolean)
	   OR abs(l.points_lost) > 70 AND l.rule_id <> 'N0.3'
	   OR (l.rule_id = 'N0.3' AND abs(l.points_lost) > 0.005 + 0.000001 * 40)), 0::bigint,
	'agency ledger rows: known rules, work-plan rows marked, the rounding row within the rounding');
SELECT is((SELECT count(*) FROM kpi.current_agency_result a
	JOIN kpi.current_official_result h ON h.official_id = a.head_official_id AND h.period_kind = 'year'
	     AND extract(year FROM h.period_start) = a.year
	WHERE a.head_tier IS DISTINCT FROM h.quota_tier OR a.head_capped), 0::bigint,
	'without head_cap the head''s tier is their own, never capped (AG5 off)');
SELECT is((SELECT count(*) FROM kpi.current_agency_result a LEFT JOIN kpi.official o ON o.official_id = a.head_official_id
	WHERE o.official_id IS NULL OR o.leads_unit <> a.unit_id OR NOT o.is_leader), 0::bigint,
	'each agency''s head is its one leader in charge');

------------------------------------------------------------------------------
-- Supersede: the same inputs give the same results, ledgers and digests
------------------------------------------------------------------------------

CREATE TEMP TABLE before_runs AS SELECT run_id FROM kpi.evaluation_run;
CALL kpi.evaluate('2026-03-01', 'month', supersede => true);
CALL kpi.evaluate('2026-08-01', 'month', supersede => true);
CALL kpi.evaluate('2027-04-01', 'quarter', supersede => true);
CALL kpi.evaluate('2026-01-01', 'year', supersede => true);

SELECT is((SELECT count(*) FROM kpi.run_supersession), 4::bigint, 'four runs superseded');
SELECT is((SELECT count(*) FROM kpi.run_supersession s JOIN before_runs b ON b.run_id = s.superseded_by),
	0::bigint, 'each by a new run');
SELECT is((SELECT count(*) FROM (
	(SELECT s.superseded_by, o.official_id, o.score, o.tier, o.general_points, o.task_points, o.d, o.dd, o.e,
	        o.disqualified, o.quota_tier, o.quota_tie, o.input_digest, o.tally::text
	 FROM kpi.run_supersession s JOIN kpi.official_result o ON o.run_id = s.run_id
	 EXCEPT
	 SELECT s.superseded_by, n.official_id, n.score, n.tier, n.general_points, n.task_points, n.d, n.dd, n.e,
	        n.disqualified, n.quota_tier, n.quota_tie, n.input_digest, n.tally::text
	 FROM kpi.run_supersession s JOIN kpi.official_result n ON n.run_id = s.superseded_by)
	UNION ALL
	(SELECT s.superseded_by, n.official_id, n.score, n.tier, n.general_points, n.task_points, n.d, n.dd, n.e,
	        n.disqualified, n.quota_tier, n.quota_tie, n.input_digest, n.tally::text
	 FROM kpi.run_supersession s JOIN kpi.official_result n ON n.run_id = s.superseded_by
	 EXCEPT
	 SELECT s.superseded_by, o.official_id, o.score, o.tier, o.general_points, o.task_points, o.d, o.dd, o.e,
	        o.disqualified, o.quota_tier, o.quota_tie, o.input_digest, o.tally::text
	 FROM kpi.run_supersession s JOIN kpi.official_result o ON o.run_id = s.run_id)) x), 0::bigint,
	'the superseding runs have identical results and input digests');
SELECT is((SELECT count(*) FROM (
	(SELECT s.superseded_by, o.official_id, o.line_no, o.rule_id, o.source_table, o.points_lost, o.detail,
	        CASE WHEN o.rule_id <> 'CS12' THEN o.source_id END
	 FROM kpi.run_supersession s JOIN kpi.ledger o ON o.run_id = s.run_id
	 EXCEPT
	 SELECT s.superseded_by, n.official_id, n.line_no, n.rule_id, n.source_table, n.points_lost, n.detail,
	        CASE WHEN n.rule_id <> 'CS12' THEN n.source_id END
	 FROM kpi.run_supersession s JOIN kpi.ledger n ON n.run_id = s.superseded_by)
	UNION ALL
	(SELECT s.superseded_by, n.official_id, n.line_no, n.rule_id, n.source_table, n.points_lost, n.detail,
	        CASE WHEN n.rule_id <> 'CS12' THEN n.source_id END
	 FROM kpi.run_supersession s JOIN kpi.ledger n ON n.run_id = s.superseded_by
	 EXCEPT
	 SELECT s.superseded_by, o.official_id, o.line_no, o.rule_id, o.source_table, o.points_lost, o.detail,
	        CASE WHEN o.rule_id <> 'CS12' THEN o.source_id END
	 FROM kpi.run_supersession s JOIN kpi.ledger o ON o.run_id = s.run_id)) x), 0::bigint,
	'and identical ledgers (a year''s CS12 rows cite the months'' new runs)');
SELECT is((SELECT count(*) FROM kpi.ledger l JOIN kpi.current_official_result y USING (run_id, official_id)
	LEFT JOIN kpi.current_official_result m ON m.run_id = l.source_id AND m.official_id = l.official_id
	WHERE y.period_kind = 'year' AND y.period_start = '2026-01-01' AND l.rule_id = 'CS12' AND m.run_id IS NULL),
	0::bigint, 'the 2026 year, evaluated again after its months, cites their current results in its CS12 rows');
SELECT cmp_ok((SELECT count(*) FROM kpi.run_supersession s JOIN kpi.ledger n ON n.run_id = s.superseded_by),
	'>', 1000::bigint, '(over more than 1000 ledger rows)');
SELECT is((SELECT count(*) FROM kpi.current_official_result WHERE run_id IN (SELECT run_id FROM kpi.run_supersession)),
	0::bigint, 'superseded runs are not current');
SELECT is((SELECT count(*) FROM (SELECT period_kind, period_start, count(DISTINCT run_id) AS n
	FROM kpi.current_official_result GROUP BY 1, 2) s WHERE n <> 1), 0::bigint,
	'one current run per period');

SELECT throws_ok($$CALL kpi.evaluate('2026-03-01', 'month')$$, '55000',
	'period 2026-03-01 (month) is already evaluated', 'an evaluated period is refused (55000)');
SELECT throws_ok($$UPDATE kpi.official_result SET score = 0$$, '55000', 'kpi results are append-only',
	'results cannot be updated');
SELECT throws_ok($$DELETE FROM kpi.ledger$$, '55000', 'kpi results are append-only', 'ledgers cannot be deleted');
SELECT throws_ok($$TRUNCATE kpi.evaluation_run CASCADE$$, '55000', 'kpi results are append-only',
	'runs cannot be truncated');

------------------------------------------------------------------------------
-- Determinism: other plans and another physical order of the inputs
------------------------------------------------------------------------------

CREATE TEMP TABLE stored AS
SELECT official_id, period_start, period_kind, score, tier, input_digest, tally::text AS t
FROM kpi.current_official_result WHERE period_start IN ('2026-05-01', '2027-07-01') AND period_kind <> 'year';

-- the task lines rewritten in reverse order (new heap order, same ids)
CREATE TEMP TABLE lines_copy AS SELECT * FROM kpi.task_line;
DELETE FROM kpi.task_line;
INSERT INTO kpi.task_line OVERRIDING SYSTEM VALUE SELECT * FROM lines_copy ORDER BY task_id DESC;
SET LOCAL enable_hashagg = off;
SET LOCAL enable_indexscan = off;
SET LOCAL enable_bitmapscan = off;
-- forced parallel plans (a leader and workers) inside the functions
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;

SELECT is((SELECT count(*) FROM stored s
	FULL JOIN (SELECT p.*, '2026-05-01'::date AS ps, 'month' AS pk FROM kpi.score_period('2026-05-01', 'month') p
	           UNION ALL
	           SELECT p.*, '2027-07-01', 'quarter' FROM kpi.score_period('2027-07-01', 'quarter') p) n
	  ON n.official_id = s.official_id AND n.ps = s.period_start AND n.pk = s.period_kind
	WHERE (s.score, s.tier, s.input_digest, s.t) IS DISTINCT FROM (n.score, n.tier, n.input_digest, n.tally::text)),
	0::bigint, 'another plan and row order give the same scores, tiers, tallies and digests');
RESET enable_hashagg;
RESET enable_indexscan;
RESET enable_bitmapscan;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
ANALYZE kpi.task_line;

------------------------------------------------------------------------------
-- What-if
------------------------------------------------------------------------------

SELECT is((SELECT count(*) FROM kpi.what_if('2026-06-01', 'month', '{}')
	WHERE changed OR current_score IS DISTINCT FROM new_score), 0::bigint,
	'what-if under the rules in force (Decree 335, {}) changes nothing (month)');
SELECT is((SELECT count(*) FROM kpi.what_if('2026-01-01', 'year', '{}')
	WHERE changed OR current_score IS DISTINCT FROM new_score), 0::bigint,
	'what-if under the rules in force changes nothing (year, months re-scored)');
SELECT is((SELECT count(*) FROM kpi.what_if('2026-06-01', 'month', '{"progress_reading": "strict"}')
	WHERE new_score > current_score), 0::bigint, 'the strict progress reading never raises a score (CS7)');
SELECT cmp_ok((SELECT count(*) FROM kpi.what_if('2026-06-01', 'month', '{"progress_reading": "strict"}')
	WHERE changed), '>', 0::bigint, 'and it changes some tiers');
SELECT is((SELECT count(*) FROM kpi.what_if('2026-01-01', 'year', '{"quota_rate": 1, "quota_reading": "pooled"}') w
	JOIN kpi.current_official_result r ON r.official_id = w.official_id AND r.period_kind = 'year'
	     AND r.period_start = '2026-01-01'
	WHERE w.new_tier IS DISTINCT FROM r.tier), 0::bigint,
	'what-if a year with a pooled quota of 1 (keeps min(N, M + N) = N): nobody is demoted');
SELECT is((SELECT count(*) FROM kpi.evaluation_run), 22::bigint, 'what-if wrote nothing');

------------------------------------------------------------------------------
-- kpi.explain
------------------------------------------------------------------------------

SELECT is((SELECT count(*) FROM (
	SELECT r.official_id, r.period_start, r.period_kind, r.score, lang,
	       (SELECT sum(x.points_lost) FROM kpi.explain(r.official_id, r.period_start, lang, r.period_kind) x) AS lost,
	       (SELECT count(*) FILTER (WHERE x.description IS NULL OR x.description = x.rule_id)
	        FROM kpi.explain(r.official_id, r.period_start, lang, r.period_kind) x) AS undescribed
	FROM kpi.current_official_result r, (VALUES ('vi'), ('en')) AS l(lang)
	WHERE r.score IS NOT NULL AND r.official_id % 17 = 0) s
	WHERE lost <> 100 - score OR undescribed > 0), 0::bigint,
	'kpi.explain (vi and en) describes every row, and its points add up to 100 - score');

-- kpi.score_inputs, the pure scoring core of evaluate and what_if, on
-- kpi.score_input rows worked by hand: E1 (90.42); nothing done (G 20 ->
-- 20.00, below 50); a leader of unit 10 with a = b = c = 100, G 29, dd = e =
-- 100: d = 50 because official 2 scored below 50, so E4's 93.17; without
-- official 2, d = 100 and the leader scores 29 + 70 = 99.00 (CS10, CS11).
CREATE TEMP TABLE si_t AS
SELECT (SELECT kpi.tally_agg(1::numeric, g <= 18, g <= 18, 0, CASE WHEN g IN (1, 2) THEN 1 ELSE 0 END)
          FROM generate_series(1, 20) g) AS e1,
       kpi.tally_agg(1::numeric, false, false, 0, 0) AS none_done,
       kpi.tally_agg(1::numeric, true, true, 0, 0) AS all_done;
SELECT results_eq(
	$$SELECT s.official_id, s.d, s.score, s.tier FROM si_t, kpi.score_inputs(ARRAY[
	    ROW(1, 10, false, NULL, 28, si_t.e1, NULL, NULL)::kpi.score_input,
	    ROW(2, 10, false, NULL, 20, si_t.none_done, NULL, NULL)::kpi.score_input,
	    ROW(3, 10, true, '{10}', 29, si_t.all_done, 100, 100)::kpi.score_input]) s ORDER BY 1$$,
	$$VALUES (1::bigint, NULL::numeric, 90.42::numeric, 'xuat_sac'::kpi.tier),
	         (2, NULL, 20.00, 'khong_hoan_thanh'),
	         (3, 50, 93.17, 'xuat_sac')$$,
	'kpi.score_inputs: E1, an unscored-work official and a leader whose d is 50 (CS10, E4)');
SELECT results_eq(
	$$SELECT s.official_id, s.d, s.score FROM si_t, kpi.score_inputs(ARRAY[
	    ROW(1, 10, false, NULL, 28, si_t.e1, NULL, NULL)::kpi.score_input,
	    ROW(3, 10, true, '{10}', 29, si_t.all_done, 100, 100)::kpi.score_input]) s ORDER BY 1$$,
	$$VALUES (1::bigint, NULL::numeric, 90.42::numeric), (3, 100, 99.00)$$,
	'kpi.score_inputs: every managed official at 50 or more gives d = 100 (CS10)');
-- A leader also manages the leaders of the units below theirs (CS10): in
-- department 10 over unit 20, leader 4 of unit 20 did nothing (G 10: 10 +
-- 0.70 x 50 = 45.00 with d = 100), so the department's leader 3 gets d = 50
-- (93.17) although every non-leader passed; 5, a deputy of unit 20, is 4's
-- peer, not their manager: d = 100, 99.00; 6, a deputy of the department
-- who supervises unit 20 from outside it, manages 4: d = 50, 93.17.
SELECT results_eq(
	$$SELECT s.official_id, s.d, s.score FROM si_t, kpi.score_inputs(ARRAY[
	    ROW(1, 20, false, NULL, 28, si_t.e1, NULL, NULL)::kpi.score_input,
	    ROW(3, 10, true, '{10,20}', 29, si_t.all_done, 100, 100)::kpi.score_input,
	    ROW(4, 20, true, '{20}', 10, si_t.none_done, 100, 100)::kpi.score_input,
	    ROW(5, 20, true, '{20}', 29, si_t.all_done, 100, 100)::kpi.score_input,
	    ROW(6, 10, true, '{20}', 29, si_t.all_done, 100, 100)::kpi.score_input]) s ORDER BY 1$$,
	$$VALUES (1::bigint, NULL::numeric, 90.42::numeric), (3, 50, 93.17), (4, 100, 45.00), (5, 100, 99.00),
	         (6, 50, 93.17)$$,
	'kpi.score_inputs: a leader below 50 in a unit under theirs gives d = 50; leaders of one unit are peers, a supervisor from outside is not (CS10)');
-- Leader 4 (G 16, nothing done) passes with d = 100 (51.00) but not with
-- d = 50 (45.17), which official 2's 20.00 gives; 3 manages both: d = 50.
SELECT results_eq(
	$$SELECT s.official_id, s.d, s.score FROM si_t, kpi.score_inputs(ARRAY[
	    ROW(2, 20, false, NULL, 20, si_t.none_done, NULL, NULL)::kpi.score_input,
	    ROW(3, 10, true, '{10,20}', 29, si_t.all_done, 100, 100)::kpi.score_input,
	    ROW(4, 20, true, '{20}', 16, si_t.none_done, 100, 100)::kpi.score_input]) s ORDER BY 1$$,
	$$VALUES (2::bigint, NULL::numeric, 20.00::numeric), (3, 50, 93.17), (4, 50, 45.17)$$,
	'kpi.score_inputs: d of a leader in the chain is decided before their own manager''s (CS10)');

-- the input digests hold dates: they do not depend on the session's DateStyle
SET LOCAL DateStyle = 'SQL, DMY';
SELECT ok((SELECT count(*) > 100 AND bool_and(s.input_digest = r.input_digest)
           FROM (SELECT official_id, input_digest, 'month' AS k FROM kpi.score_period('2026-03-01', 'month')
                 UNION ALL
                 SELECT official_id, input_digest, 'year' FROM kpi.score_period('2026-01-01', 'year')) s
           JOIN kpi.current_official_result r
             ON r.official_id = s.official_id AND r.period_kind = s.k
            AND r.period_start = CASE s.k WHEN 'month' THEN date '2026-03-01' ELSE date '2026-01-01' END),
	'the input digests of a month and a year are the same under another DateStyle');
SELECT ok((SELECT count(*) > 0 AND bool_and(s.input_digest = r.input_digest)
           FROM kpi.score_agencies(2026, (SELECT rules FROM kpi.rule_set WHERE rule_set_id = kpi.rule_set_for('2026-12-31'))) s
           JOIN kpi.agency_result r ON r.unit_id = s.unit_id AND r.year = 2026
           JOIN kpi.evaluation_run e ON e.run_id = r.run_id
           WHERE NOT EXISTS (SELECT 1 FROM kpi.run_supersession x WHERE x.run_id = r.run_id)),
	'so are the agencies''');
RESET DateStyle;

SELECT * FROM finish();
ROLLBACK;
