-- Year-end rating benchmark (issue 3): data, the measured statements, checks.
--
--   psql -v officials=200000 -v groups=10000 [-v months=12] [-v seed=0.335] \
--        [-v step=gen|check] -f bench/rating.sql
--
-- step=gen (the default) generates the data and defines the measured
-- statements as views (rating_full, rating_noquota, rating_count);
-- step=check checks the results bench/rating.sh materialised from them
-- (res_full_serial, res_full_parallel, res_noquota_serial) and prints
-- "violations = N" last.  Run it on a throwaway database: it drops and
-- recreates its tables.
--
-- Data:
--   officials(official_id, unit_id, task_group, disqualified)
--     groups = units x 4 task groups (unit_id = 1..groups/4, task_group 1..4,
--     ids shuffled); every group has at least one member, the rest are spread
--     unevenly (at the defaults: sizes 1 to 193, median 14, 80% between 3
--     and 46); 1% of the officials have a disqualifier in the year (CS14).
--   monthly(official_id, month, general, t kpi.tally)
--     the stored monthly tallies: per official and month, kpi.tally_agg over
--     6 to 25 generated task lines (one INSERT per month), G the month's
--     general-criteria points (18..30 in steps of 0.5).  2% of the
--     official-months are absent (not worked); 0.5% of the worked months had
--     nothing assigned, so the stored tally is NULL and the month is not
--     scored (E9).
--   Task lines: coef 1 (85%), 2 (8%), 0.5 (4%), 4 (3%); 75% single-unit lines
--   (assigned 1), the rest 2..12 units with partial and over-completion;
--   each official has a done rate, a pass rate, a failed-review rate and a
--   lateness rate of their own, so that annual scores spread over every tier
--   (about 23% excellent before the quota, 65% good, 11% complete); 1% are
--   flawless all year (annual 100, T = 70, G = 30), so some tie across the
--   quota cut.
-- Deterministic: setseed and a serial plan.

\set ON_ERROR_STOP 1
\if :{?officials} \else \set officials 200000 \endif
\if :{?groups} \else \set groups 10000 \endif
\if :{?months} \else \set months 12 \endif
\if :{?seed} \else \set seed 0.335 \endif
\if :{?step} \else \set step gen \endif
SELECT :'step' = 'gen' AS step_gen, :'step' = 'check' AS step_check \gset

\if :step_gen
SET max_parallel_workers_per_gather = 0;
SET client_min_messages = warning;
DROP VIEW IF EXISTS rating_full, rating_noquota, rating_count;
DROP TABLE IF EXISTS officials, monthly, traits, grp;
RESET client_min_messages;
SELECT setseed(:seed) \g /dev/null

-- groups: a unit and a task group each, in shuffled order
CREATE TABLE grp AS
SELECT g, (r - 1) / 4 + 1 AS unit_id, (r - 1) % 4 + 1 AS task_group
FROM (SELECT g, row_number() OVER (ORDER BY random(), g)::int AS r
      FROM generate_series(1, :groups) g) s;

-- per official: group, disqualifier, and the traits that drive the lines.
-- The first officials fill one group each; the others go to group
-- 1 + floor(groups * u * v), so that group sizes are uneven.  Kinds: 1%
-- flawless (every line done, passed and on time, G = 30 every month: they
-- tie on score, T and G, the ties kpi.quota_tie flags), 0.5% weak (most work
-- undone), the rest ordinary, with a spread of done, pass, lateness and
-- failed-review rates and of usual G.
CREATE TABLE traits AS
SELECT official_id, g, disqualified,
       CASE kind WHEN 'flawless' THEN 1
                 WHEN 'weak' THEN 0.15 + 0.35 * u_done
                 ELSE 0.60 + 0.40 * (1 - u_done ^ 1.5) END AS p_done,	-- a unit is completed
       CASE WHEN kind = 'flawless' THEN 1 ELSE 1 - 0.30 * u_pass ^ 2 END AS p_pass,	-- a completed unit passes
       CASE WHEN kind = 'flawless' THEN 0 ELSE 0.30 * u_late ^ 2 END AS p_late,	-- a line is late
       CASE WHEN kind = 'flawless' THEN 0 ELSE 0.25 * u_err ^ 2 END AS p_error,	-- a line fails a review
       CASE WHEN kind = 'flawless' THEN 30 ELSE 30 - 0.5 * floor(u_g ^ 1.5 * 20) END AS g_base,	-- usual G
       CASE WHEN kind = 'flawless' THEN 0 ELSE 8 END AS g_jitter	-- monthly G varies below g_base
FROM (SELECT i AS official_id,
             CASE WHEN i <= :groups THEN i ELSE 1 + floor(:groups * u_g1 * u_g2)::int END AS g,
             u_dq < 0.01 AS disqualified,
             CASE WHEN u_kind < 0.01 THEN 'flawless' WHEN u_kind < 0.015 THEN 'weak'
                  ELSE 'ordinary' END AS kind,
             u_done, u_pass, u_late, u_err, u_g
      FROM (SELECT i, random() AS u_g1, random() AS u_g2, random() AS u_dq, random() AS u_kind,
                   random() AS u_done, random() AS u_pass, random() AS u_late, random() AS u_err,
                   random() AS u_g
            FROM generate_series(1, :officials) i) u) k;

CREATE TABLE officials (
	official_id int PRIMARY KEY,
	unit_id int NOT NULL,
	task_group int NOT NULL,
	disqualified bool NOT NULL
);
INSERT INTO officials
SELECT t.official_id, grp.unit_id, grp.task_group, t.disqualified
FROM traits t JOIN grp USING (g)
ORDER BY t.official_id;

CREATE TABLE monthly (
	official_id int NOT NULL,
	month date NOT NULL,
	general numeric NOT NULL,
	t kpi.tally
);

-- one batch per month, as the tallies would be stored month by month
SELECT format($q$
INSERT INTO monthly (official_id, month, general, t)
SELECT m.official_id, %L::date,
       greatest(18, m.g_base - 0.5 * floor(m.r_g ^ 3 * m.g_jitter))::numeric,
       l.t
FROM (SELECT o.*, random() AS r_worked, random() AS r_none, random() AS r_n, random() AS r_g
      FROM traits o) m
CROSS JOIN LATERAL (
	SELECT kpi.tally_agg(x.coef, x.assigned, x.completed,
	                     CASE WHEN x.r_pass < m.p_pass THEN x.completed
	                          ELSE floor(x.completed * x.r_part::numeric) END,
	                     CASE WHEN x.completed > 0 AND x.r_err < m.p_error
	                          THEN 1 + (x.r_err2 < 0.2)::int ELSE 0 END,
	                     CASE WHEN x.completed > 0 AND x.r_late < m.p_late
	                          THEN 1 + (x.r_late2 < 0.3)::int ELSE 0 END) AS t
	FROM (SELECT r.*,
	             CASE WHEN r.assigned = 1 THEN (r.r_done < m.p_done)::int::numeric
	                  WHEN m.p_done = 1 THEN r.assigned
	                  ELSE round(r.assigned * least(1.15, m.p_done + 0.3 * (r.r_done - 0.5))::numeric)
	             END AS completed
	      FROM (SELECT CASE WHEN r_coef < 0.85 THEN 1 WHEN r_coef < 0.93 THEN 2
	                        WHEN r_coef < 0.97 THEN 0.5 ELSE 4 END::numeric AS coef,
	                   CASE WHEN r_kind < 0.75 THEN 1
	                        ELSE 2 + floor(r_size * 11) END::numeric AS assigned, q.*
	            FROM (SELECT random() AS r_coef, random() AS r_kind, random() AS r_size,
	                         random() AS r_done, random() AS r_pass, random() AS r_part,
	                         random() AS r_err, random() AS r_err2, random() AS r_late,
	                         random() AS r_late2
	                  FROM generate_series(1, CASE WHEN m.r_none < 0.005 THEN 0
	                                               ELSE 6 + floor(m.r_n * 20)::int END)) q
	           ) r
	     ) x
) l
WHERE m.r_worked < 0.98
ORDER BY m.official_id
$q$, make_date(2026, mo, 1))
FROM generate_series(1, :months) mo
ORDER BY mo
\gexec

DROP TABLE traits, grp;
VACUUM ANALYZE officials;
VACUUM ANALYZE monthly;

-- The measured statements.  Views, so that the timed statement is
-- CREATE TABLE ... AS SELECT * FROM <view>: the planner inlines the view, so
-- the plan is the one of the statement written out.
--
-- rating_full: the whole year-end rating in one statement.  Per official:
--   score  = kpi.annual_score of the monthly kpi.period_score (CS11, CS12)
--   t_pts  = kpi.task_points of the year's kpi.rollup of the monthly tallies
--            (task-result points T of all the year's lines, unrounded)
--   g_pts  = the mean of the monthly G over the scored months, unrounded
--   tier   = kpi.tier_of(score, disqualified) (CS13, CS14)
-- then the quota (CS15) per unit and task group: kpi.quota_tier and
-- kpi.quota_tie, ordered by official_id as the final tie-break.
CREATE VIEW rating_full AS
SELECT o.official_id, o.unit_id, o.task_group, y.score, y.t_pts, y.g_pts,
       kpi.tier_of(y.score, o.disqualified) AS tier,
       kpi.quota_tier(kpi.tier_of(y.score, o.disqualified), y.score, y.t_pts, y.g_pts) OVER w AS final_tier,
       kpi.quota_tie(kpi.tier_of(y.score, o.disqualified), y.score, y.t_pts, y.g_pts) OVER w AS tied
FROM (SELECT official_id,
             kpi.annual_score(kpi.period_score(general, t)) AS score,
             kpi.task_points(kpi.rollup(t)) AS t_pts,
             avg(general) FILTER (WHERE t IS NOT NULL) AS g_pts
      FROM monthly
      GROUP BY official_id) y
JOIN officials o USING (official_id)
WINDOW w AS (PARTITION BY o.unit_id, o.task_group ORDER BY o.official_id);

-- rating_noquota: the same without the quota window
CREATE VIEW rating_noquota AS
SELECT o.official_id, o.unit_id, o.task_group, y.score, y.t_pts, y.g_pts,
       kpi.tier_of(y.score, o.disqualified) AS tier
FROM (SELECT official_id,
             kpi.annual_score(kpi.period_score(general, t)) AS score,
             kpi.task_points(kpi.rollup(t)) AS t_pts,
             avg(general) FILTER (WHERE t IS NOT NULL) AS g_pts
      FROM monthly
      GROUP BY official_id) y
JOIN officials o USING (official_id);

-- rating_count: baseline, the same scan and grouping with count(*)
CREATE VIEW rating_count AS
SELECT official_id, count(*) AS months
FROM monthly
GROUP BY official_id;

SELECT (SELECT count(*) FROM officials) AS officials,
       (SELECT count(DISTINCT (unit_id, task_group)) FROM officials) AS groups,
       (SELECT count(*) FROM monthly) AS monthly_rows,
       (SELECT count(*) FROM monthly WHERE t IS NULL) AS unscored_months,
       (SELECT sum((kpi.tally_components(t)).lines) FROM monthly) AS task_lines,
       pg_size_pretty(pg_total_relation_size('monthly')) AS monthly_size;
\endif

\if :step_check
-- 1. serial and parallel plans give the same rating, and the statement
--    without the quota the same scores and tiers
SELECT (SELECT count(*) FROM res_full_serial) AS rated,
       (SELECT count(*) FROM res_full_serial s FULL JOIN res_full_parallel p USING (official_id)
        WHERE (s.*) IS DISTINCT FROM (p.*)) AS serial_parallel_diff,
       (SELECT count(*) FROM res_full_serial s FULL JOIN res_noquota_serial n USING (official_id)
        WHERE (s.score, s.t_pts, s.g_pts, s.tier) IS DISTINCT FROM (n.score, n.t_pts, n.g_pts, n.tier))
         AS noquota_diff \gset
-- 2. the annual score is the rounded mean of the published monthly scores
--    (CS12; numeric round is half away from zero, and avg of up to 12
--    2-decimal values is exact enough never to sit on a false .xx5), and the
--    tier follows the thresholds and the disqualifier (CS13, CS14)
SELECT count(*) FILTER (WHERE r.score IS DISTINCT FROM a.mean) AS score_diff,
       count(*) FILTER (WHERE r.tier IS DISTINCT FROM
                        CASE WHEN r.score IS NULL THEN NULL
                             WHEN o.disqualified THEN 'khong_hoan_thanh'
                             WHEN r.score >= 90 THEN 'xuat_sac' WHEN r.score >= 70 THEN 'tot'
                             WHEN r.score >= 50 THEN 'hoan_thanh' ELSE 'khong_hoan_thanh'
                        END::kpi.tier) AS tier_diff
FROM res_full_serial r
JOIN officials o USING (official_id)
JOIN (SELECT official_id, round(avg(kpi.period_score(general, t)), 2) AS mean
      FROM monthly GROUP BY official_id) a USING (official_id) \gset

\echo
\echo tiers before and after the quota (CS15)
SELECT coalesce(b.tier::text, 'NULL (no scored month)') AS tier,
       b.n AS before, round(100.0 * b.n / sum(b.n) OVER (), 2) AS "before %",
       coalesce(a.n, 0) AS after, round(100.0 * coalesce(a.n, 0) / sum(b.n) OVER (), 2) AS "after %"
FROM (SELECT tier, count(*) AS n FROM res_full_serial GROUP BY tier) b
LEFT JOIN (SELECT final_tier, count(*) AS n FROM res_full_serial GROUP BY final_tier) a
       ON a.final_tier IS NOT DISTINCT FROM b.tier
ORDER BY b.tier DESC NULLS LAST;

-- 3. per group (unit, task group), with N candidates for excellent and M good
--    before the quota, E excellent and good_after good after it:
--    over_quota      5 E > good_after: more than 20% of the good (CS15, the law)
--    not_maximal     E <> min(N, floor((M + N) / 6)) = kpi.quota_kept(N, M): the
--                    quota keeps exactly the most it may (CS15, E6)
--    not_conserved   E + good_after <> N + M: a demoted member is not good
--    better_demoted  a demoted member beats a kept one on (score, T, G)
--    tie_flags       members flagged tied although no tie straddles the cut, or
--                    a tie straddles it and they are not all flagged
CREATE TEMP TABLE quota_groups AS
SELECT unit_id, task_group, count(*) AS members,
       count(*) FILTER (WHERE tier = 'xuat_sac') AS n_before,
       count(*) FILTER (WHERE tier = 'tot') AS m_before,
       count(*) FILTER (WHERE final_tier = 'xuat_sac') AS exc_after,
       count(*) FILTER (WHERE final_tier = 'tot') AS good_after,
       count(*) FILTER (WHERE tied) AS tied,
       min(ARRAY[score, t_pts, g_pts]) FILTER (WHERE final_tier = 'xuat_sac') AS kept_min,
       max(ARRAY[score, t_pts, g_pts]) FILTER (WHERE tier = 'xuat_sac' AND final_tier = 'tot') AS demoted_max
FROM res_full_serial
GROUP BY unit_id, task_group;

SELECT count(*) AS groups,
       min(members) AS min_size, percentile_disc(0.5) WITHIN GROUP (ORDER BY members) AS median_size,
       max(members) AS max_size,
       count(*) FILTER (WHERE exc_after < n_before) AS groups_capped,
       sum(n_before - exc_after) AS demoted,
       sum(tied) AS tied_members,
       count(*) FILTER (WHERE 5 * exc_after > good_after) AS over_quota,
       count(*) FILTER (WHERE exc_after <> least(n_before, (m_before + n_before) / 6)
                           OR exc_after <> kpi.quota_kept(n_before, m_before)) AS not_maximal,
       count(*) FILTER (WHERE exc_after + good_after <> n_before + m_before) AS not_conserved,
       count(*) FILTER (WHERE demoted_max > kept_min) AS better_demoted,
       count(*) FILTER (WHERE (tied > 0) <> coalesce(demoted_max = kept_min, false)) AS tie_flags
FROM quota_groups \gset
SELECT :groups AS groups, :min_size AS min_size, :median_size AS median_size,
       :max_size AS max_size, :groups_capped AS groups_capped, :demoted AS demoted,
       :tied_members AS tied_members \gx
-- 4. row by row: only excellent -> good changes; NULL exactly for the unscored;
--    the tied members share the key at the cut
SELECT count(*) FILTER (WHERE r.final_tier IS DISTINCT FROM r.tier
                          AND NOT (r.tier = 'xuat_sac' AND r.final_tier = 'tot')) AS bad_changes,
       count(*) FILTER (WHERE (r.final_tier IS NULL) <> (r.tier IS NULL)
                           OR (r.tied IS NULL) <> (r.tier IS NULL)) AS bad_nulls,
       count(*) FILTER (WHERE r.tied AND ARRAY[r.score, r.t_pts, r.g_pts] <> g.kept_min) AS bad_ties
FROM res_full_serial r JOIN quota_groups g USING (unit_id, task_group) \gset

\echo
SELECT :serial_parallel_diff AS serial_parallel_diff, :noquota_diff AS noquota_diff,
       :score_diff AS score_diff, :tier_diff AS tier_diff, :over_quota AS over_quota,
       :not_maximal AS not_maximal, :not_conserved AS not_conserved,
       :better_demoted AS better_demoted, :tie_flags AS tie_flags,
       :bad_changes AS bad_changes, :bad_nulls AS bad_nulls, :bad_ties AS bad_ties \gx
SELECT :serial_parallel_diff + :noquota_diff + :score_diff + :tier_diff + :over_quota
       + :not_maximal + :not_conserved + :better_demoted + :tie_flags + :bad_changes
       + :bad_nulls + :bad_ties AS violations \gset
\echo violations = :violations
\endif
