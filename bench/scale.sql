-- bench/scale.sql: the timed queries of bench/scale.sh.
-- Each block starts with "-- name: NAME"; :tbl is the table the query reads
-- (t_flat, t_part or t_dist).  Each query returns one summary row (counts and
-- sums of exact scores), so the results of every configuration can be
-- compared, and the client transfer stays negligible.

-- name: scores
-- period score and tier of every civil servant and month
-- (GROUP BY holds the partition key: full aggregation per partition / shard)
SELECT count(*) AS scored_periods,
       sum(s) AS sum_of_scores,
       count(*) FILTER (WHERE kpi.tier_of(s) >= 'tot') AS good_or_better
  FROM (SELECT kpi.period_score(general,
                 kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)) AS s
          FROM :tbl
         GROUP BY province, official, period, general) q;

-- name: annual
-- annual score of every civil servant: kpi.annual_score over the period scores
SELECT count(*) AS officials, sum(a) AS sum_of_annual_scores
  FROM (SELECT kpi.annual_score(s) AS a
          FROM (SELECT province, official,
                       kpi.period_score(general,
                         kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events)) AS s
                  FROM :tbl
                 GROUP BY province, official, period, general) p
         GROUP BY province, official) q;

-- name: groups
-- one tally per task group and month across all provinces
-- (GROUP BY misses the partition key: partial aggregation, then combine)
SELECT count(*) AS groups, sum(kpi.task_pct(t)) AS sum_of_task_pct, kpi.rollup(t)::text AS grand_total
  FROM (SELECT task_group, period,
               kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) AS t
          FROM :tbl
         GROUP BY task_group, period) q;

-- name: rollup
-- the same answer as "groups", written for shards: aggregate per province
-- first (shipped whole to each shard), then merge the tallies with kpi.rollup
SELECT count(*) AS groups, sum(kpi.task_pct(t)) AS sum_of_task_pct, kpi.rollup(t)::text AS grand_total
  FROM (SELECT task_group, period, kpi.rollup(pt) AS t
          FROM (SELECT province, task_group, period,
                       kpi.tally_agg(coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) AS pt
                  FROM :tbl
                 GROUP BY province, task_group, period) p
         GROUP BY task_group, period) q;
