--@ functions

-- Data quality for dashboards, and integrity signals (rules.md DQ6) ---------------

CREATE OR REPLACE VIEW kpi.unit_data_quality AS
WITH c AS (
	SELECT l.check_run_id, l.period_start, l.period_kind, l.checked_at,
	       kpi.evaluation_period_end(l.period_start, l.period_kind) AS period_end
	FROM kpi.latest_input_check l
	WHERE l.period_kind IN ('month', 'quarter')
),
o AS (
	SELECT c.check_run_id, o.unit_id, o.official_id, o.is_leader, c.period_start, c.period_end,
	       g.updated_at AS mark_at, lc.updated_at AS criteria_at,
	       g.official_id IS NOT NULL AS has_marks, lc.official_id IS NOT NULL AS has_criteria
	FROM c
	CROSS JOIN kpi.official o
	LEFT JOIN kpi.general_mark g ON g.official_id = o.official_id AND g.period_start = c.period_start
	LEFT JOIN kpi.leader_criteria lc ON lc.official_id = o.official_id AND lc.period_start = c.period_start
),
l AS (
	SELECT c.check_run_id, t.official_id, count(*) AS lines,
	       count(*) FILTER (WHERE t.done IS NOT NULL AND t.done <= t.due) AS on_time,
	       max(t.updated_at) AS line_at
	FROM c JOIN kpi.task_line t ON t.due BETWEEN c.period_start AND c.period_end AND t.official_id IS NOT NULL
	GROUP BY c.check_run_id, t.official_id
),
u AS (
	SELECT o.check_run_id, o.unit_id, count(*) AS officials,
	       count(*) FILTER (WHERE o.has_marks AND coalesce(l.lines, 0) > 0 AND (o.has_criteria OR NOT o.is_leader)) AS complete,
	       sum(coalesce(l.lines, 0)) AS lines, sum(coalesce(l.on_time, 0)) AS on_time,
	       greatest(max(o.mark_at), max(o.criteria_at), max(l.line_at)) AS newest_update
	FROM o LEFT JOIN l ON l.check_run_id = o.check_run_id AND l.official_id = o.official_id
	GROUP BY o.check_run_id, o.unit_id
),
p AS (
	SELECT q.check_run_id, q.unit_id, count(*) FILTER (WHERE q.severity = 'error') AS errors,
	       count(*) FILTER (WHERE q.severity = 'warning') AS warnings
	FROM kpi.input_problem q JOIN c USING (check_run_id)
	GROUP BY q.check_run_id, q.unit_id
),
k AS (
	SELECT x.check_run_id, x.unit_id, jsonb_object_agg(x.check_id, x.n ORDER BY x.check_id) AS by_check
	FROM (SELECT q.check_run_id, q.unit_id, q.check_id, count(*) AS n
	      FROM kpi.input_problem q JOIN c USING (check_run_id)
	      GROUP BY 1, 2, 3) x
	GROUP BY x.check_run_id, x.unit_id
)
SELECT u.unit_id, c.period_start, c.period_kind, c.check_run_id, c.checked_at, u.officials,
       u.complete AS officials_complete,
       round(u.complete::numeric / nullif(u.officials, 0), 4) AS share_complete,
       u.lines, u.on_time AS lines_on_time,
       round(u.on_time::numeric / nullif(u.lines, 0), 4) AS share_on_time,
       u.newest_update, now() - u.newest_update AS newest_update_age,
       coalesce(p.errors, 0) AS errors, coalesce(p.warnings, 0) AS warnings,
       coalesce(k.by_check, '{}') AS problems_by_check
FROM u
JOIN c ON c.check_run_id = u.check_run_id
LEFT JOIN p ON p.check_run_id = u.check_run_id AND p.unit_id = u.unit_id
LEFT JOIN k ON k.check_run_id = u.check_run_id AND k.unit_id = u.unit_id;

COMMENT ON VIEW kpi.unit_data_quality IS
'per unit and checked month or quarter (the latest recorded check run, kpi.latest_input_check): officials, the share with complete inputs (form, task lines, and leader criteria for a leader), the share of task lines closed on time, the newest update and its age, errors and warnings, and the count per check id (problems_by_check)';

CREATE OR REPLACE FUNCTION kpi.integrity_signals(period_start date, period_kind text, min_peers integer DEFAULT 5)
RETURNS TABLE (signal_id text, official_id bigint, unit_id bigint, task_group text, statistic numeric,
               peer_median numeric, peer_mad numeric, peers bigint, message_vi text, message_en text)
LANGUAGE plpgsql STABLE
SET enable_nestloop = off
SET jit = off
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_start date := integrity_signals.period_start;
	v_kind text := integrity_signals.period_kind;
	v_end date;
	v_prev date;
	v_gmax numeric;
	-- a robust z of 3.5 (Iglewicz and Hoaglin): 0.6745 (x - median) / MAD > 3.5
	k constant numeric := 3.5 / 0.6745;
BEGIN
	IF v_start IS NULL OR v_kind IS NULL OR min_peers IS NULL THEN
		RAISE EXCEPTION 'kpi.integrity_signals arguments must not be NULL' USING ERRCODE = '22004';
	END IF;
	IF v_kind NOT IN ('month', 'quarter') THEN
		RAISE EXCEPTION 'integrity signals are computed for a month or a quarter, not a %', v_kind USING ERRCODE = '22023';
	END IF;
	v_end := kpi.evaluation_period_end(v_start, v_kind);
	v_gmax := (kpi.effective_rules((SELECT s.rules FROM kpi.rule_set s WHERE s.rule_set_id = kpi.rule_set_for(v_end)))
	           ->> 'general_points')::numeric;
	v_prev := (v_start - CASE v_kind WHEN 'month' THEN interval '1 month' ELSE interval '3 months' END)::date;

	RETURN QUERY
	WITH
	ua AS MATERIALIZED (SELECT * FROM kpi.unit_agency()),
	who AS MATERIALIZED (
		SELECT o.official_id, o.unit_id, o.task_group, a.agency_id
		FROM kpi.official o JOIN ua a ON a.unit_id = o.unit_id
	),
	per AS (
		SELECT l.official_id,
		       count(*) FILTER (WHERE l.done IS NOT NULL) AS done_lines,
		       count(*) FILTER (WHERE l.done BETWEEN v_end - 2 AND v_end) AS done_at_end,
		       sum(l.coef * l.assigned_qty) AS weight, sum(l.assigned_qty) AS qty,
		       count(*) FILTER (WHERE l.completed_qty > 0) AS completed_lines,
		       count(*) FILTER (WHERE l.quality_errors > 0) AS reviewed_lines,
		       bool_and(l.passed_qty = l.completed_qty AND l.quality_errors = 0) AS all_passed
		FROM kpi.task_line l
		WHERE l.official_id IS NOT NULL AND l.due BETWEEN v_start AND v_end
		GROUP BY l.official_id
	),
	x AS (	-- one statistic per official and signal
		SELECT 'DQ-TIN-01' AS sig, p.official_id, round(p.done_at_end::numeric / p.done_lines, 4) AS v, 0.5 AS min_effect
		FROM per p WHERE p.done_lines >= 3
		UNION ALL
		SELECT 'DQ-TIN-02', p.official_id, round(p.weight / p.qty, 4), NULL
		FROM per p WHERE p.qty > 0
		UNION ALL
		SELECT 'DQ-TIN-03', p.official_id, round(p.reviewed_lines::numeric / p.completed_lines, 4), NULL
		FROM per p WHERE p.completed_lines >= 5
		UNION ALL
		SELECT 'DQ-TIN-05', n.official_id, n.score - o.score, 20
		FROM kpi.current_official_result n
		JOIN kpi.current_official_result o ON o.official_id = n.official_id AND o.period_kind = v_kind
		                                   AND o.period_start = v_prev
		WHERE n.period_kind = v_kind AND n.period_start = v_start AND n.score IS NOT NULL AND o.score IS NOT NULL
	),
	g AS (
		SELECT x.*, w.unit_id, w.task_group, w.agency_id
		FROM x JOIN who w USING (official_id)
	),
	med AS (
		SELECT g.sig, g.agency_id, g.task_group, count(*) AS n,
		       percentile_disc(0.5) WITHIN GROUP (ORDER BY g.v) AS m
		FROM g GROUP BY 1, 2, 3
	),
	mad AS (
		SELECT g.sig, g.agency_id, g.task_group, percentile_disc(0.5) WITHIN GROUP (ORDER BY abs(g.v - med.m)) AS d
		FROM g JOIN med USING (sig, agency_id, task_group) GROUP BY 1, 2, 3
	),
	flagged AS (
		SELECT g.sig, g.official_id, g.unit_id, g.task_group, g.v, med.m, mad.d, med.n
		FROM g JOIN med USING (sig, agency_id, task_group) JOIN mad USING (sig, agency_id, task_group)
		WHERE med.n >= min_peers
		  AND CASE g.sig
		        -- the group reviews (its median share of lines with a failed review is above 0), this official never
		        WHEN 'DQ-TIN-03' THEN g.v = 0 AND med.m > 0 AND g.v < med.m - k * mad.d
		        -- twice the group's median mix at least
		        WHEN 'DQ-TIN-02' THEN g.v >= 2 * med.m AND g.v - med.m > k * mad.d
		        ELSE g.v - med.m >= g.min_effect AND g.v - med.m > k * mad.d END
	)
	SELECT f.sig, f.official_id, f.unit_id, f.task_group, f.v, f.m, f.d, f.n,
	       CASE f.sig
	         WHEN 'DQ-TIN-01' THEN format('Công chức %s hoàn thành %s%% số việc trong 3 ngày cuối kỳ; trung vị nhóm %s%% (độ lệch tuyệt đối trung vị %s, %s người).',
	                                      f.official_id, round(100 * f.v, 1), round(100 * f.m, 1), f.d, f.n)
	         WHEN 'DQ-TIN-02' THEN format('Hệ số quy đổi bình quân của công chức %s là %s; trung vị nhóm %s (độ lệch tuyệt đối trung vị %s, %s người).',
	                                      f.official_id, f.v, f.m, f.d, f.n)
	         WHEN 'DQ-TIN-03' THEN format('Mọi sản phẩm của công chức %s đều đạt, không lần thẩm định nào không đạt; trung vị nhóm %s%% sản phẩm có lỗi (%s người).',
	                                      f.official_id, round(100 * f.m, 1), f.n)
	         ELSE format('Điểm của công chức %s thay đổi %s điểm so với kỳ trước; trung vị nhóm %s (độ lệch tuyệt đối trung vị %s, %s người).',
	                     f.official_id, f.v, f.m, f.d, f.n) END,
	       CASE f.sig
	         WHEN 'DQ-TIN-01' THEN format('Official %s completed %s%% of their lines in the last 3 days of the period; the group''s median is %s%% (median absolute deviation %s, %s peers).',
	                                      f.official_id, round(100 * f.v, 1), round(100 * f.m, 1), f.d, f.n)
	         WHEN 'DQ-TIN-02' THEN format('The mean conversion coefficient of official %s is %s; the group''s median is %s (median absolute deviation %s, %s peers).',
	                                      f.official_id, f.v, f.m, f.d, f.n)
	         WHEN 'DQ-TIN-03' THEN format('Every product of official %s passed with no failed review; in the group the median share of products with a failed review is %s%% (%s peers).',
	                                      f.official_id, round(100 * f.m, 1), f.n)
	         ELSE format('The score of official %s moved %s points from the previous period; the group''s median move is %s (median absolute deviation %s, %s peers).',
	                     f.official_id, f.v, f.m, f.d, f.n) END
	FROM flagged f;

	-- DQ-TIN-04: general-criteria marks at the maximum for a whole unit
	RETURN QUERY
	WITH
	ua AS MATERIALIZED (SELECT * FROM kpi.unit_agency()),
	per AS (
		SELECT o.unit_id, count(*) AS n,
		       count(*) FILTER (WHERE kpi.general_points(g.marks) = v_gmax) AS at_max
		FROM kpi.general_mark g
		JOIN kpi.official o USING (official_id)
		WHERE g.period_start = v_start
		GROUP BY o.unit_id
	),
	sh AS (SELECT p.unit_id, a.agency_id, p.n, round(p.at_max::numeric / p.n, 4) AS v FROM per p JOIN ua a USING (unit_id)),
	med AS (SELECT sh.agency_id, count(*) AS units, percentile_disc(0.5) WITHIN GROUP (ORDER BY sh.v) AS m
	        FROM sh GROUP BY 1)
	SELECT 'DQ-TIN-04', NULL::bigint, sh.unit_id, NULL::text, sh.v, med.m, NULL::numeric, med.units,
	       format('Cả %s công chức của đơn vị %s đều được điểm tiêu chí chung tối đa; trung vị tỉ lệ này giữa %s đơn vị của cơ quan là %s%%.',
	              sh.n, sh.unit_id, med.units, round(100 * med.m, 1)),
	       format('All %s officials of unit %s have the maximum general-criteria marks; among the agency''s %s units the median share is %s%%.',
	              sh.n, sh.unit_id, med.units, round(100 * med.m, 1))
	FROM sh JOIN med USING (agency_id)
	WHERE sh.v = 1 AND sh.n >= 3 AND med.m < 1;
END
$$;

COMMENT ON FUNCTION kpi.integrity_signals(date, text, integer) IS
'integrity signals of a month or quarter, for a reviewer and never changing a score (rules.md DQ6): per official against the peers of the same agency and task group (at least min_peers), by median and median absolute deviation (robust z above 3.5): DQ-TIN-01 completions bunched in the period''s last 3 days, DQ-TIN-02 a conversion-coefficient mix far above the median, DQ-TIN-03 every line passed with no failed review where the group''s reviews fail some, DQ-TIN-05 a jump of the score from the previous period; per unit DQ-TIN-04 general-criteria marks at the maximum for the whole unit; each row shows the statistic and the peers'' median, MAD and count';
