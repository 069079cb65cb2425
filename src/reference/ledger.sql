--@ schema

CREATE TYPE kpi.ledger_entry AS (
	rule_id text,
	source_table text,
	source_id bigint,
	points_lost numeric,
	detail jsonb
);

COMMENT ON TYPE kpi.ledger_entry IS
'one explanation ledger row as kpi.score_period and kpi.score_agencies return it (explain => true): the rule id, the source row, the points lost and the facts used; kpi.evaluate numbers them into kpi.ledger and kpi.agency_ledger';
--@ functions

-- The ledger's rows are computed in C (src/ledger.c, src/ledger_rows.c), from
-- the same exact sums as the scores; they are declared here because their
-- arguments and results are kpi.ledger_entry, a type of this extension.

CREATE OR REPLACE FUNCTION kpi.ledger_lines_trans(kpi.ledger_entry[], bigint, kpi.tally, numeric, numeric, numeric,
                                                  numeric, integer, integer, kpi.tally, numeric, boolean, boolean, jsonb)
RETURNS kpi.ledger_entry[]
AS '$libdir/kpi_eval', 'ledger_lines_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.ledger_lines_trans(kpi.ledger_entry[], bigint, kpi.tally, numeric, numeric, numeric, numeric,
                                           integer, integer, kpi.tally, numeric, boolean, boolean, jsonb) IS
'kpi.ledger_lines transition function: appends the rows of a line whose credits differ from its weight';

CREATE OR REPLACE FUNCTION kpi.ledger_lines_combine(kpi.ledger_entry[], kpi.ledger_entry[])
RETURNS kpi.ledger_entry[]
AS '$libdir/kpi_eval', 'ledger_lines_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.ledger_lines_combine(kpi.ledger_entry[], kpi.ledger_entry[]) IS
'kpi.ledger_lines combine function: the rows of both partial states';

CREATE OR REPLACE FUNCTION kpi.ledger_lines_final(kpi.ledger_entry[])
RETURNS kpi.ledger_entry[]
AS '$libdir/kpi_eval', 'ledger_lines_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.ledger_lines_final(kpi.ledger_entry[]) IS
'kpi.ledger_lines final function: the rows in task_id order, CS5, CS6, CS7 within a line';

CREATE OR REPLACE AGGREGATE kpi.ledger_lines(task_id bigint, t kpi.tally, coef numeric, assigned_qty numeric,
                                             completed_qty numeric, passed_qty numeric, quality_errors integer,
                                             late_events integer, period kpi.tally, points numeric, leader boolean,
                                             work_plan boolean, rules jsonb) (
	SFUNC = kpi.ledger_lines_trans,
	STYPE = kpi.ledger_entry[],
	FINALFUNC = kpi.ledger_lines_final,
	COMBINEFUNC = kpi.ledger_lines_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE kpi.ledger_lines(bigint, kpi.tally, numeric, numeric, numeric, numeric, integer, integer,
                                      kpi.tally, numeric, boolean, boolean, jsonb) IS
'the ledger rows of a period''s task lines (CS5-CS7) of one official or agency: each line t (its tally, with its facts for the detail) gives, for quantity, quality and progress (the reading of rules) whose credit differs from the weight, points / k x (assigned - credit) / the weight of the period''s tally period, rounded to 6 decimals, negative for over-completion; in task_id order; points is the task points (an agency''s work-plan points, work_plan true), k is 3, 6 for a leader (CS9); no rows when the period has nothing assigned';

CREATE OR REPLACE FUNCTION kpi.period_shares(run_ids bigint[], starts date[], period_kind text, scores numeric[])
RETURNS kpi.ledger_entry[]
AS '$libdir/kpi_eval', 'period_shares'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.period_shares(bigint[], date[], text, numeric[]) IS
'the year''s share rows of one official''s ledger (CS12): the i-th period is the result of run run_ids[i] for the period of period_kind starting starts[i], with score scores[i]; each period scored (score not NULL) gives (100 - score) / periods of the year''s 100 - annual score, rounded to 6 decimals, periods being the number scored; in period order, then run; arrays of different lengths (2202E) and of more than one dimension (2202E) are refused';

CREATE OR REPLACE FUNCTION kpi.quota_ledger(tier kpi.tier, quota_tier kpi.tier, tie boolean, approval_id bigint,
                                            quota_group text, unit_id bigint, task_group text, candidates bigint,
                                            good bigint, kept bigint, rate numeric, decision text)
RETURNS kpi.ledger_entry[]
AS '$libdir/kpi_eval', 'quota_ledger'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.quota_ledger(kpi.tier, kpi.tier, boolean, bigint, text, bigint, text, bigint, bigint, bigint,
                                     numeric, text) IS
'the year''s quota row of one official''s ledger (CS15), at 0 points: one row when the quota demoted the official (quota_tier <> tier) or they tied at its cut (tie), none otherwise; its detail is the decision''s facts (quota_group, unit_id, task_group, candidates, good, kept, rate, decision, tie, demoted), its source the approval applied (kpi.quota_approval approval_id), if any; in C (src/ledger_rows.c), called by kpi.score_period';

CREATE OR REPLACE FUNCTION kpi.official_ledger(lines kpi.ledger_entry[], t kpi.tally, marks numeric[], score numeric,
                                               d numeric, dd numeric, e numeric, is_leader boolean,
                                               has_criteria boolean, in_charge bigint, self_marks numeric[],
                                               self_dd numeric, self_e numeric, rules jsonb)
RETURNS kpi.ledger_entry[]
AS '$libdir/kpi_eval', 'official_ledger'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.official_ledger(kpi.ledger_entry[], kpi.tally, numeric[], numeric, numeric, numeric, numeric,
                                        boolean, boolean, bigint, numeric[], numeric, numeric, jsonb) IS
'an official''s period ledger, adding up to 100 - score: each mark below its maximum (CS3), the task lines'' rows lines (kpi.ledger_lines), what the 100% cap gives back of the period tally t when the rules cap (CS8), a leader''s criteria d, dd, e below 100 (CS10; d cites in_charge), the 0-point items where the approved form differs from the self-assessment self_marks, self_dd, self_e (CY1), and a last N0.3 row taking the rounding; NULL when score is NULL';

CREATE OR REPLACE FUNCTION kpi.agency_year_ledger(unit_id bigint, year integer, kind text, marks numeric[], t kpi.tally,
                                             points numeric, lines kpi.ledger_entry[], dossiers bigint,
                                             dossiers_on_time bigint, dossiers_online bigint, fractions jsonb,
                                             index_values jsonb, index_fractions jsonb, lawmaking_score numeric,
                                             lawmaking_par_weight numeric, lawmaking boolean, score numeric, rules jsonb)
RETURNS kpi.ledger_entry[]
AS '$libdir/kpi_eval', 'agency_year_ledger'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.agency_year_ledger(bigint, integer, text, numeric[], kpi.tally, numeric, kpi.ledger_entry[], bigint,
                                      bigint, bigint, jsonb, jsonb, jsonb, numeric, numeric, boolean, numeric, jsonb) IS
'an agency''s year ledger, adding up to 100 - score: each mark below its maximum (AG2); when the work plan has points, the lines'' rows lines (kpi.ledger_lines) and what the 100% cap gives back of its tally t (CS8); the procedures (AG3: the part settled on time and the part handled online of the kind''s template, each losing weight x (dossiers - counted) / dossiers); each index with points below a fraction of 1 (IX1-IX4: weight x (1 - fraction), fractions as used, with the index values and, for PAR under law-making (LM7), the fraction before it and the law-making score and weight); and a last N0.3 row taking the rounding; NULL when score is NULL';

CREATE OR REPLACE FUNCTION kpi.ledger_close(entries kpi.ledger_entry[], score numeric)
RETURNS kpi.ledger_entry[]
AS '$libdir/kpi_eval', 'ledger_close'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.ledger_close(kpi.ledger_entry[], numeric) IS
'a result''s ledger: its entries and a last N0.3 row that takes the rest, 100 - score - the entries'' points, so that the ledger adds up exactly to 100 - score';

-- Explanations and what-if -----------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.ledger_description(rule_id text, detail jsonb, source_id bigint, points_lost numeric,
                                       lang text DEFAULT 'vi')
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
	IF ledger_description.lang IS NULL THEN
		RAISE EXCEPTION 'label language must not be NULL'
			USING ERRCODE = '22004', HINT = 'Use ''vi'' (Vietnamese) or ''en'' (English).';
	END IF;
	IF ledger_description.lang NOT IN ('vi', 'en') THEN
		RAISE EXCEPTION 'unknown label language "%"', ledger_description.lang
			USING ERRCODE = '22023', HINT = 'Use ''vi'' (Vietnamese) or ''en'' (English).';
	END IF;
	RETURN (
	SELECT
	       CASE CASE WHEN l.rule_id IN ('IX1', 'IX2', 'IX3', 'IX4') THEN 'IX' ELSE l.rule_id END
	       WHEN 'CS3' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('Tiêu chí chung, mục %s: %s/%s điểm', t.mark_no, t.mark, t.max)
	                 ELSE format('General criteria, mark %s: %s of %s points', t.mark_no, t.mark, t.max) END
	       WHEN 'CS5' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('Số lượng: hoàn thành %s/%s%s%s, nhiệm vụ #%s', t.completed, t.assigned,
	                             CASE WHEN l.points_lost < 0 THEN ' (vượt mức)' ELSE '' END, t.coef_vi, l.source_id)
	                 ELSE format('Quantity: %s of %s completed%s%s, task #%s', t.completed, t.assigned,
	                             CASE WHEN l.points_lost < 0 THEN ' (over-completed)' ELSE '' END, t.coef_en, l.source_id) END
	       WHEN 'CS6' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('Chất lượng: %s, nhiệm vụ #%s', concat_ws(', ',
	                             CASE WHEN t.errors > 0 THEN format('%s lần không đạt yêu cầu', t.errors) END,
	                             CASE WHEN t.passed <> t.assigned THEN format('đạt %s/%s', t.passed, t.assigned) END)
	                             || t.coef_vi, l.source_id)
	                 ELSE format('Quality: %s, task #%s', concat_ws(', ',
	                             CASE WHEN t.errors > 0 THEN format('%s failed review%s', t.errors,
	                                                                CASE WHEN t.errors > 1 THEN 's' ELSE '' END) END,
	                             CASE WHEN t.passed <> t.assigned THEN format('%s of %s passed', t.passed, t.assigned) END)
	                             || t.coef_en, l.source_id) END
	       WHEN 'CS7' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('Tiến độ: %s, nhiệm vụ #%s', concat_ws(', ',
	                             CASE WHEN t.late > 0 THEN format('%s lần trễ hạn', t.late) END,
	                             CASE WHEN t.completed <> t.assigned THEN format('hoàn thành %s/%s', t.completed, t.assigned) END)
	                             || t.coef_vi, l.source_id)
	                 ELSE format('Progress: %s, task #%s', concat_ws(', ',
	                             CASE WHEN t.late > 0 THEN format('%s late event%s', t.late,
	                                                              CASE WHEN t.late > 1 THEN 's' ELSE '' END) END,
	                             CASE WHEN t.completed <> t.assigned THEN format('%s of %s completed', t.completed, t.assigned) END)
	                             || t.coef_en, l.source_id) END
	       WHEN 'CS8' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('Giới hạn 100%%: %s đạt %s%%, chỉ tính 100%%',
	                             CASE l.detail ->> 'component' WHEN 'quantity' THEN 'số lượng'
	                                  WHEN 'quality' THEN 'chất lượng' ELSE 'tiến độ' END, t.pct)
	                 ELSE format('Cap at 100%%: %s reached %s%%, counted as 100%%', l.detail ->> 'component', t.pct) END
	       WHEN 'CS10' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('Tiêu chí %s: %s', CASE l.detail ->> 'criterion'
	                             WHEN 'd' THEN 'd (kết quả của đơn vị phụ trách)'
	                             WHEN 'dd' THEN 'đ (tổ chức triển khai nhiệm vụ)'
	                             ELSE 'e (đoàn kết nội bộ)' END, t.value)
	                 ELSE format('Criterion %s: %s', CASE l.detail ->> 'criterion'
	                             WHEN 'd' THEN 'd (results of the unit in charge)'
	                             WHEN 'dd' THEN 'đ (organising implementation)'
	                             ELSE 'e (uniting the staff)' END, t.value) END
	       WHEN 'CY1' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('Phê duyệt khác tự chấm, %s: tự chấm %s, được duyệt %s',
	                             replace(l.detail ->> 'item', 'mark', 'mục'),
	                             trim_scale((l.detail ->> 'self')::numeric), trim_scale((l.detail ->> 'approved')::numeric))
	                 ELSE format('Approved differs from the self-assessment, %s: self %s, approved %s',
	                             l.detail ->> 'item',
	                             trim_scale((l.detail ->> 'self')::numeric), trim_scale((l.detail ->> 'approved')::numeric)) END
	       WHEN 'CS12' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('%s: %s điểm, bình quân %s kỳ',
	                             CASE l.detail ->> 'period_kind'
	                                  WHEN 'month' THEN 'Tháng ' || to_char(t.p_start, 'MM/YYYY')
	                                  ELSE 'Quý ' || to_char(t.p_start, 'Q/YYYY') END, t.p_score, t.periods)
	                 ELSE format('%s: %s points, mean of %s periods',
	                             CASE l.detail ->> 'period_kind'
	                                  WHEN 'month' THEN 'Month ' || to_char(t.p_start, 'YYYY-MM')
	                                  ELSE 'Quarter ' || to_char(t.p_start, 'YYYY-"Q"Q') END, t.p_score, t.periods) END
	       WHEN 'CS14' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('%s ngày %s: %s',
	                             CASE l.detail ->> 'kind'
	                                  WHEN 'degradation' THEN 'Kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống'
	                                  WHEN 'unit_corruption' THEN 'Đơn vị phụ trách bị xử lý về tham nhũng, lãng phí'
	                                  ELSE 'Kỷ luật ' || coalesce(CASE l.detail ->> 'form'
	                                       WHEN 'khien_trach' THEN 'khiển trách' WHEN 'canh_cao' THEN 'cảnh cáo'
	                                       WHEN 'ha_bac_luong' THEN 'hạ bậc lương' WHEN 'giang_chuc' THEN 'giáng chức'
	                                       WHEN 'cach_chuc' THEN 'cách chức' WHEN 'buoc_thoi_viec' THEN 'buộc thôi việc' END,
	                                       '(chưa rõ hình thức)') END,
	                             to_char(t.decided_on, 'DD/MM/YYYY'),
	                             CASE WHEN (l.detail ->> 'disqualifies')::boolean
	                                  THEN 'không hoàn thành nhiệm vụ, điểm vẫn được công bố'
	                                  ELSE 'chưa đủ thông tin để xác định (có liên quan đến thực thi nhiệm vụ không?)' END)
	                 ELSE format('%s on %s: %s',
	                             CASE l.detail ->> 'kind'
	                                  WHEN 'degradation' THEN 'Political, ethical or lifestyle degradation concluded'
	                                  WHEN 'unit_corruption' THEN 'Unit in charge handled for corruption or waste'
	                                  ELSE 'Discipline: ' || coalesce(CASE l.detail ->> 'form'
	                                       WHEN 'khien_trach' THEN 'reprimand' WHEN 'canh_cao' THEN 'warning'
	                                       WHEN 'ha_bac_luong' THEN 'salary-grade demotion' WHEN 'giang_chuc' THEN 'demotion'
	                                       WHEN 'cach_chuc' THEN 'removal from post' WHEN 'buoc_thoi_viec' THEN 'forced dismissal' END,
	                                       'form unknown') END,
	                             to_char(t.decided_on, 'YYYY-MM-DD'),
	                             CASE WHEN (l.detail ->> 'disqualifies')::boolean
	                                  THEN 'not complete, the score stays visible'
	                                  ELSE 'undecided (was it duty-related?)' END) END
	       WHEN 'CS15' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('Hạn mức hoàn thành xuất sắc (tỷ lệ %s%s): nhóm có %s người đạt mức xuất sắc, %s hoàn thành tốt, giữ %s; %s',
	                             t.rate, ', ' || (l.detail ->> 'decision'), t.candidates, t.good, t.kept,
	                             CASE WHEN (l.detail ->> 'tie')::boolean
	                                  THEN 'hòa ở ngưỡng, cần người có thẩm quyền quyết định'
	                                  ELSE 'xếp sau người được giữ, chuyển xuống hoàn thành tốt' END)
	                 ELSE format('Excellent quota (rate %s%s): the group has %s rated excellent, %s good, %s kept; %s',
	                             t.rate, ', ' || (l.detail ->> 'decision'), t.candidates, t.good, t.kept,
	                             CASE WHEN (l.detail ->> 'tie')::boolean
	                                  THEN 'tied at the cut, a manual decision is needed'
	                                  ELSE 'ranked below those kept, rated good instead' END) END
	       WHEN 'AG2' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('Tiêu chí chung của cơ quan, mục %s: %s/%s điểm', t.mark_no, t.mark, t.max)
	                 ELSE format('Agency general criteria, mark %s: %s of %s points', t.mark_no, t.mark, t.max) END
	       WHEN 'AG3' THEN
	            CASE WHEN l.lang = 'vi'
	                 THEN format('Thủ tục hành chính: %s/%s hồ sơ %s (phần %s điểm)', t.counted, t.dossiers,
	                             CASE l.detail ->> 'part' WHEN 'on_time' THEN 'giải quyết đúng hạn'
	                                  ELSE 'tiếp nhận, giải quyết trực tuyến' END, t.weight)
	                 ELSE format('Administrative procedures: %s of %s dossiers %s (a part worth %s points)', t.counted, t.dossiers,
	                             CASE l.detail ->> 'part' WHEN 'on_time' THEN 'settled on time'
	                                  ELSE 'handled online' END, t.weight) END
	       WHEN 'IX' THEN
	            format(CASE WHEN l.lang = 'vi' THEN 'Chỉ số %s: %s, quy đổi %s của %s điểm'
	                        ELSE 'Index %s: %s, counted as %s of %s points' END,
	                   CASE l.rule_id WHEN 'IX1' THEN 'PAR INDEX' WHEN 'IX2' THEN 'SIPAS'
	                                  WHEN 'IX3' THEN 'PCI' ELSE 'DTI' END,
	                   t.index_value, t.fraction, t.weight)
	       WHEN 'N0.3' THEN
	            CASE WHEN l.lang = 'vi' THEN format('Làm tròn điểm đến %s', t.score)
	                 ELSE format('Rounding the score to %s', t.score) END
	       ELSE l.rule_id END
	       || t.plan_note
	FROM (SELECT ledger_description.rule_id, ledger_description.detail, ledger_description.source_id,
	             ledger_description.points_lost, ledger_description.lang) AS l(rule_id, detail, source_id, points_lost, lang)
	CROSS JOIN LATERAL (
		SELECT l.detail ->> 'mark_no' AS mark_no,
		       trim_scale((l.detail ->> 'mark')::numeric) AS mark,
		       trim_scale((l.detail ->> 'max')::numeric) AS max,
		       trim_scale((l.detail ->> 'assigned_qty')::numeric) AS assigned,
		       trim_scale((l.detail ->> 'completed_qty')::numeric) AS completed,
		       trim_scale((l.detail ->> 'passed_qty')::numeric) AS passed,
		       (l.detail ->> 'quality_errors')::int AS errors,
		       (l.detail ->> 'late_events')::int AS late,
		       CASE WHEN (l.detail ->> 'coef')::numeric <> 1
		            THEN format(' (hệ số %s)', trim_scale((l.detail ->> 'coef')::numeric)) ELSE '' END AS coef_vi,
		       CASE WHEN (l.detail ->> 'coef')::numeric <> 1
		            THEN format(' (coefficient %s)', trim_scale((l.detail ->> 'coef')::numeric)) ELSE '' END AS coef_en,
		       round((l.detail ->> 'pct')::numeric, 2) AS pct,
		       trim_scale((l.detail ->> 'value')::numeric) AS value,
		       (l.detail ->> 'period_start')::date AS p_start,
		       (l.detail ->> 'score')::numeric AS p_score,
		       (l.detail ->> 'periods')::int AS periods,
		       (l.detail ->> 'decided_on')::date AS decided_on,
		       (l.detail ->> 'score')::numeric AS score,
		       trim_scale((l.detail ->> 'weight')::numeric) AS weight,
		       (l.detail ->> 'dossiers')::bigint AS dossiers,
		       (l.detail ->> 'counted')::bigint AS counted,
		       trim_scale((l.detail ->> 'fraction')::numeric) AS fraction,
		       trim_scale((l.detail ->> 'rate')::numeric) AS rate,
		       (l.detail ->> 'candidates')::bigint AS candidates,
		       (l.detail ->> 'good')::bigint AS good,
		       (l.detail ->> 'kept')::bigint AS kept,
		       trim_scale((l.detail ->> 'index_value')::numeric) AS index_value,
		       CASE WHEN (l.detail ->> 'work_plan')::boolean
		            THEN CASE WHEN l.lang = 'vi' THEN ' (kế hoạch công tác của cơ quan)' ELSE ' (the agency''s work plan)' END
		            ELSE '' END AS plan_note
	) t);
END
$$;

COMMENT ON FUNCTION kpi.ledger_description(text, jsonb, bigint, numeric, text) IS
'the readable description of a ledger row (kpi.ledger or kpi.agency_ledger) from its rule id, detail, source id and points lost, in Vietnamese (''vi'', the default) or English (''en''); used by kpi.explain and kpi.explain_agency';
