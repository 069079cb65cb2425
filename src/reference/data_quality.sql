--@ schema

-- Data quality: checks of a period's inputs and the gate of kpi.evaluate ------
-- (rules.md DQ1-DQ5)

CREATE TABLE kpi.input_check_run (
	check_run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	period_start date NOT NULL,
	period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
	checked_at timestamptz NOT NULL DEFAULT now(),
	checked_by name NOT NULL DEFAULT current_user,
	errors integer NOT NULL,
	warnings integer NOT NULL,
	run_id bigint UNIQUE REFERENCES kpi.evaluation_run
);
CREATE INDEX ON kpi.input_check_run (period_kind, period_start);

COMMENT ON TABLE kpi.input_check_run IS
'one recorded run of kpi.check_inputs over a period (kpi.record_input_check, or kpi.evaluate before it scores): when, by whom, how many errors and warnings; run_id is the evaluation run it let through';
COMMENT ON SEQUENCE kpi.input_check_run_check_run_id_seq IS 'identity of kpi.input_check_run';
COMMENT ON COLUMN kpi.input_check_run.run_id IS 'the evaluation run these checks preceded (its warnings are in kpi.run_input_warning); NULL for a check recorded on its own';

CREATE TABLE kpi.input_problem (
	check_run_id bigint NOT NULL REFERENCES kpi.input_check_run ON DELETE CASCADE,
	problem_no integer NOT NULL,
	check_id text NOT NULL,
	severity text NOT NULL CHECK (severity IN ('error', 'warning')),
	unit_id bigint,
	official_id bigint,
	source_table text,
	source_id bigint,
	message_vi text NOT NULL,
	message_en text NOT NULL,
	PRIMARY KEY (check_run_id, problem_no)
);
CREATE INDEX ON kpi.input_problem (check_id);

COMMENT ON TABLE kpi.input_problem IS
'the problems a recorded check run found, one row each, as kpi.check_inputs returns them (stable check ids DQ-DUNG-*, DQ-DU-*, DQ-SACH-*, DQ-SONG-*; doc/data.md lists them)';

SELECT pg_catalog.pg_extension_config_dump('kpi.input_check_run', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.input_check_run_check_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.input_problem', '');
--@ functions

CREATE OR REPLACE FUNCTION kpi.check_inputs(period_start date, period_kind text,
                                            as_of timestamptz DEFAULT now(),
                                            stale_days integer DEFAULT 14,
                                            cutoff_days integer DEFAULT 15)
RETURNS TABLE (check_id text, severity text, unit_id bigint, official_id bigint,
               source_table text, source_id bigint, message_vi text, message_en text)
LANGUAGE plpgsql STABLE
-- whole-organisation joins of CTEs whose sizes the planner cannot know (as in
-- kpi.score_period): a nested loop it thinks is small would not be
SET enable_nestloop = off
SET jit = off
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	v_start date := check_inputs.period_start;
	v_kind text := check_inputs.period_kind;
	v_end date;
	v_dates date[];	-- the dates of the forms the period reads (CY2): one unless units differ
	v_year integer;
	v_rules jsonb;
	v_eff jsonb;
	v_full numeric;
	v_reduced numeric;
	v_cutoff timestamptz;
	v_stale timestamptz;
	v_today date;	-- the day of the check: a constant of the line pass, not a cast on every line
	v_msg text;
	r record;
BEGIN
	IF v_start IS NULL OR v_kind IS NULL OR as_of IS NULL OR stale_days IS NULL OR cutoff_days IS NULL THEN
		RAISE EXCEPTION 'kpi.check_inputs arguments must not be NULL' USING ERRCODE = '22004';
	END IF;
	IF stale_days < 0 OR cutoff_days < 0 THEN
		RAISE EXCEPTION 'stale_days and cutoff_days must not be negative' USING ERRCODE = '22023';
	END IF;
	v_end := kpi.evaluation_period_end(v_start, v_kind);
	v_year := extract(year FROM v_start)::int;
	v_rules := (SELECT s.rules FROM kpi.rule_set s WHERE s.rule_set_id = kpi.rule_set_for(v_end));
	v_eff := kpi.effective_rules(v_rules);
	-- CY2: a unit under quarterly forms reads its quarter's, as kpi.score_period does
	v_dates := kpi.forms_dates(v_start, v_kind, v_rules);
	v_full := (v_eff ->> 'leader_full')::numeric;
	v_reduced := (v_eff ->> 'leader_reduced')::numeric;
	-- the period's cut-off: cutoff_days after its last day, at midnight of the session's time zone
	v_cutoff := (v_end + 1 + cutoff_days)::timestamptz;
	v_stale := as_of - make_interval(days => stale_days);
	v_today := as_of::date;

	-- Structure, whatever the period -------------------------------------------

	-- DQ-DUNG-03: the unit tree is rooted and acyclic
	RETURN QUERY
	WITH RECURSIVE up(start, cur) AS (
		SELECT u.unit_id, u.parent_id FROM kpi.unit u WHERE u.parent_id IS NOT NULL
		UNION ALL
		SELECT up.start, p.parent_id
		FROM up JOIN kpi.unit p ON p.unit_id = up.cur
		WHERE p.parent_id IS NOT NULL
	) CYCLE cur SET looped USING path
	SELECT DISTINCT 'DQ-DUNG-03', 'error', up.start, NULL::bigint, 'unit', up.start,
	       format('Đơn vị %s không có gốc: chuỗi đơn vị cấp trên của nó lặp lại.', up.start),
	       format('Unit %s has no root: its chain of parent units loops.', up.start)
	FROM up WHERE up.looped;

	-- DQ-DUNG-04: a leader's unit in charge is inside their agency
	RETURN QUERY
	WITH ua AS MATERIALIZED (SELECT * FROM kpi.unit_agency())
	SELECT 'DQ-DUNG-04', 'error', o.unit_id, o.official_id, 'official', o.official_id,
	       format('Công chức %s (đơn vị %s, cơ quan %s) phụ trách đơn vị %s thuộc cơ quan khác (%s).',
	              o.official_id, o.unit_id, a.agency_id, o.leads_unit, b.agency_id),
	       format('Official %s (unit %s, agency %s) leads unit %s of another agency (%s).',
	              o.official_id, o.unit_id, a.agency_id, o.leads_unit, b.agency_id)
	FROM kpi.official o
	JOIN ua a ON a.unit_id = o.unit_id
	JOIN ua b ON b.unit_id = o.leads_unit
	WHERE a.agency_id <> b.agency_id;

	-- DQ-SACH-02: one leader in charge of a unit (an agency's head is the one
	-- leader in charge of it: a year with two is refused)
	RETURN QUERY
	SELECT 'DQ-SACH-02', CASE WHEN v_kind = 'year' AND u.agency_kind IS NOT NULL THEN 'error' ELSE 'warning' END,
	       u.unit_id, NULL::bigint, 'unit', u.unit_id,
	       format('Đơn vị %s có %s lãnh đạo phụ trách trực tiếp: %s.', u.unit_id, l.n, l.ids),
	       format('Unit %s has %s leaders in direct charge of it: %s.', u.unit_id, l.n, l.ids)
	FROM (SELECT coalesce(o.leads_unit, o.unit_id) AS unit_id, count(*) AS n,
	             string_agg(o.official_id::text, ', ' ORDER BY o.official_id) AS ids
	      FROM kpi.official o WHERE o.is_leader
	      GROUP BY 1 HAVING count(*) > 1) l
	JOIN kpi.unit u ON u.unit_id = l.unit_id;

	IF v_kind = 'year' THEN
		-- DQ-DU-04: a rated agency has its inputs for the year
		RETURN QUERY
		SELECT 'DQ-DU-04', 'warning', u.unit_id, NULL::bigint, 'unit', u.unit_id,
		       format('Cơ quan %s chưa có số liệu năm %s (kpi.agency_input: điểm tiêu chí chung, hồ sơ thủ tục hành chính).', u.unit_id, v_year),
		       format('Agency %s has no inputs for %s (kpi.agency_input: general-criteria marks, dossiers).', u.unit_id, v_year)
		FROM kpi.unit u
		WHERE u.agency_kind IS NOT NULL
		  AND NOT EXISTS (SELECT 1 FROM kpi.agency_input a WHERE a.unit_id = u.unit_id AND a.year = v_year);

		-- DQ-DU-05: a province's agency has the four published indices
		RETURN QUERY
		SELECT 'DQ-DU-05', 'warning', u.unit_id, NULL::bigint, 'unit', u.unit_id,
		       format('Cơ quan %s thiếu chỉ số năm %s: %s.', u.unit_id, v_year, m.missing),
		       format('Agency %s lacks index values for %s: %s.', u.unit_id, v_year, m.missing)
		FROM kpi.unit u
		CROSS JOIN LATERAL (
			SELECT string_agg(c.code, ', ' ORDER BY c.code) AS missing
			FROM unnest('{dti,par,pci,sipas}'::text[]) AS c(code)
			WHERE NOT EXISTS (SELECT 1 FROM kpi.index_value x
			                  WHERE x.unit_id = u.unit_id AND x.year = v_year
			                    AND CASE x.code WHEN 'dti_ratio' THEN 'dti' ELSE x.code END = c.code)
		) m
		WHERE u.agency_kind = 'province' AND m.missing IS NOT NULL;

		-- DQ-SACH-03: a named quota group spanning agencies (the leaderships of a
		-- province's agencies may be rated together: a warning, for a look)
		RETURN QUERY
		WITH ua AS MATERIALIZED (SELECT * FROM kpi.unit_agency())
		SELECT 'DQ-SACH-03', 'warning', NULL::bigint, NULL::bigint, 'official', NULL::bigint,
		       format('Nhóm hạn mức "%s" gồm công chức của %s cơ quan (%s).', g.quota_group, g.n, g.agencies),
		       format('Quota group "%s" has officials of %s agencies (%s).', g.quota_group, g.n, g.agencies)
		FROM (SELECT o.quota_group, count(DISTINCT a.agency_id) AS n,
		             string_agg(DISTINCT a.agency_id::text, ', ' ORDER BY a.agency_id::text) AS agencies
		      FROM kpi.official o JOIN ua a ON a.unit_id = o.unit_id
		      WHERE o.quota_group IS NOT NULL
		      GROUP BY o.quota_group HAVING count(DISTINCT a.agency_id) > 1) g;

		-- DQ-SACH-05: a unit_corruption record concerns a unit some leader is in charge of
		RETURN QUERY
		SELECT 'DQ-SACH-05', 'warning', d.unit_id, NULL::bigint, 'disciplinary_record', d.record_id,
		       format('Quyết định %s (tham nhũng, lãng phí tại đơn vị %s) không áp dụng cho lãnh đạo nào: đơn vị không có lãnh đạo phụ trách.', d.record_id, d.unit_id),
		       format('Record %s (corruption in unit %s) applies to no leader: nobody is in charge of the unit.', d.record_id, d.unit_id)
		FROM kpi.disciplinary_record d
		WHERE d.kind = 'unit_corruption' AND extract(year FROM d.decided_on) = v_year
		  AND NOT EXISTS (SELECT 1 FROM kpi.official o
		                  WHERE o.is_leader AND coalesce(o.leads_unit, o.unit_id) = d.unit_id);
		RETURN;
	END IF;

	-- A month or a quarter ----------------------------------------------------------

	-- DQ-DUNG-01: the marks pass the period's rule set (the table checks them
	-- against Decree 335; a rule set may have another form).  One set-based
	-- pass; only when it fails, a row at a time to name every bad row.
	BEGIN
		PERFORM sum(kpi.general_points(g.marks, v_rules))
		FROM kpi.general_mark g WHERE g.period_start = ANY (v_dates);
	EXCEPTION WHEN data_exception THEN
		FOR r IN SELECT g.official_id, g.marks, o.unit_id
		         FROM kpi.general_mark g JOIN kpi.official o USING (official_id)
		         WHERE g.period_start = ANY (v_dates) ORDER BY g.official_id, g.period_start LOOP
			BEGIN
				PERFORM kpi.general_points(r.marks, v_rules);
			EXCEPTION WHEN data_exception THEN
				GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT;
				check_id := 'DQ-DUNG-01'; severity := 'error'; unit_id := r.unit_id;
				official_id := r.official_id; source_table := 'general_mark'; source_id := r.official_id;
				message_vi := format('Điểm tiêu chí chung của công chức %s kỳ %s không hợp lệ theo bộ quy tắc đang áp dụng: %s.',
				                     r.official_id, v_start, v_msg);
				message_en := format('The general-criteria marks of official %s for %s are refused by the rule set in force: %s.',
				                     r.official_id, v_start, v_msg);
				RETURN NEXT;
			END;
		END LOOP;
	END;

	-- One statement, the checks in this order: the officials with their
	-- period's forms, criteria and a summary of their lines (DQ-DU-01,
	-- DQ-DU-02, DQ-DU-06, DQ-DUNG-02, DQ-SACH-04, DQ-SONG-02 (forms),
	-- DQ-SONG-03); the lines some line check hits, joined to their official
	-- (DQ-DUNG-05, DQ-DUNG-06, DQ-DUNG-07, DQ-SACH-06, DQ-SONG-01, DQ-SONG-02
	-- (lines)), kept by the summary's pass over the period's lines, so the
	-- lines are read once; DQ-DU-03; DQ-SACH-01 (duplicate lines: the same
	-- owner, title, dates and values).  The summary per owner also names the
	-- owners that may have duplicates: equal lines share an owner and a slot
	-- of 128 (the day of the due date plus a hash of the title: one title's
	-- lines on two days of a quarter never share one), so an owner whose
	-- lines take as many slots as they are has none (most owners); only the
	-- others' lines, by their index, are grouped on every value.
	RETURN QUERY
	WITH w AS MATERIALIZED (	-- the period's lines per owner (task_line_one_owner: an official or a unit)
		SELECT l.official_id, l.unit_id, count(*) AS lines, count(*) FILTER (WHERE l.work) AS work,
		       bit_count(bit_or(CASE WHEN l.slot < 64 THEN 1::bigint << l.slot ELSE 0 END)::bit(64))
		       + bit_count(bit_or(CASE WHEN l.slot >= 64 THEN 1::bigint << (l.slot - 64) ELSE 0 END)::bit(64))
		       < count(*) AS suspect,
		       -- the lines some line check may hit (usually none), kept from the same pass
		       array_agg(ROW(l.task_id, l.due, l.done, l.completed_qty, l.updated_at,
		                     l.future, l.unlate, l.undated, l.stale, l.changed))
		         FILTER (WHERE l.future OR l.unlate OR l.undated OR l.stale OR l.changed
		                       OR l.unit_id IS NOT NULL) AS hits
		FROM (SELECT l.official_id, l.unit_id, l.task_id, l.due, l.done, l.completed_qty, l.updated_at,
		             l.coef > 0 AND l.assigned_qty > 0 AS work,
		             (((l.due - v_start)::bigint + coalesce(hashtext(l.title), 0)) & 127)::integer AS slot,
		             l.done > v_today AS future,
		             l.late_events = 0 AND kpi.late_events(l.due, l.done) = 1 AS unlate,
		             (l.done IS NULL AND l.completed_qty > 0) OR (l.done IS NOT NULL AND l.completed_qty = 0) AS undated,
		             l.due < v_today AND l.done IS NULL AND l.completed_qty < l.assigned_qty
		               AND l.updated_at < v_stale AS stale,
		             l.created_at <= v_cutoff AND l.updated_at > v_cutoff AS changed
		      FROM kpi.task_line l
		      WHERE l.due BETWEEN v_start AND v_end
		      OFFSET 0) l	-- not pulled up: each line's slot and checks computed once
		GROUP BY l.official_id, l.unit_id
	),
	pa AS MATERIALIZED (	-- the forms each official reads (CY2, the unit of the period: CY4)
		SELECT pa.official_id, uf.forms,
		       pa.days_worked < (v_eff ->> 'min_days_worked')::integer AS short
		FROM kpi.period_assignment(v_start, v_end) pa
		JOIN kpi.unit_forms(v_start, v_kind, v_rules) uf ON uf.unit_id = pa.unit_id
	),
	o AS (
		SELECT o.official_id, o.unit_id, o.is_leader, coalesce(w.lines, 0) AS lines, coalesce(w.work, 0) AS work,
		       pa.forms,
		       g.official_id IS NOT NULL AS has_form, g.created_at AS g_created, g.updated_at AS g_updated,
		       c.official_id IS NOT NULL AS has_criteria, c.dd, c.e, c.created_at AS c_created, c.updated_at AS c_updated,
		       -- CY1: a form with levels in kpi.assessment is pending, not missing (the rule value unapproved)
		       EXISTS (SELECT 1 FROM kpi.assessment a
		               WHERE a.official_id = o.official_id AND a.period_start = pa.forms)
		       OR pa.short AS no_form_needed
		FROM kpi.official o
		JOIN pa ON pa.official_id = o.official_id
		LEFT JOIN w ON w.official_id = o.official_id
		LEFT JOIN kpi.general_mark g ON g.official_id = o.official_id AND g.period_start = pa.forms
		                           AND g.period_start = ANY (v_dates)	-- lets the scan use the period_start index
		LEFT JOIN kpi.leader_criteria c ON c.official_id = o.official_id AND c.period_start = pa.forms
		                              AND c.period_start = ANY (v_dates)	-- so this scan, not every period's
		WHERE w.official_id IS NOT NULL OR g.official_id IS NOT NULL OR c.official_id IS NOT NULL
	),
	k AS (	-- each check's hit
		SELECT o.*,
		       o.work > 0 AND NOT o.has_form AND NOT o.no_form_needed AS du01,
		       o.is_leader AND o.has_form AND NOT o.has_criteria AS du02,
		       o.has_form AND o.lines = 0 AS du06,
		       o.dd NOT IN (v_full, v_reduced) OR o.e NOT IN (v_full, v_reduced) AS dung02,
		       o.has_criteria AND NOT o.is_leader AS sach04,
		       o.g_created <= v_cutoff AND o.g_updated > v_cutoff AS song02_g,
		       o.c_created <= v_cutoff AND o.c_updated > v_cutoff AS song02_c,
		       o.g_updated < o.forms::timestamptz AS song03_g,
		       o.c_updated < o.forms::timestamptz AS song03_c
		FROM o
	),
	l AS (	-- the lines some line check may hit, as the pass of w kept them
		SELECT x.task_id, w.official_id, w.unit_id, x.due, x.done, x.completed_qty, x.updated_at,
		       x.future, x.unlate, x.undated, x.stale, x.changed
		FROM w
		CROSS JOIN LATERAL unnest(w.hits) AS x(task_id bigint, due date, done date, completed_qty numeric,
		                                       updated_at timestamptz, future boolean, unlate boolean,
		                                       undated boolean, stale boolean, changed boolean)
	)
	-- the messages are formatted for the hits only
	SELECT x.check_id, x.severity, o.unit_id, o.official_id, x.source_table, o.official_id,
	       CASE x.check_id || '/' || x.source_table
		WHEN 'DQ-DU-01/official' THEN format('Công chức %s có %s dòng nhiệm vụ trong kỳ %s nhưng chưa có phiếu tiêu chí chung (kpi.general_mark).',
		        o.official_id, o.work, v_start)
		WHEN 'DQ-DU-02/official' THEN format('Lãnh đạo %s chưa có tiêu chí lãnh đạo kỳ %s (kpi.leader_criteria): đ và e được tính là %s.',
		        o.official_id, v_start, v_full)
		WHEN 'DQ-DU-06/general_mark' THEN format('Công chức %s có phiếu tiêu chí chung kỳ %s nhưng không có dòng nhiệm vụ nào: kết quả nhiệm vụ không được chấm.',
		        o.official_id, v_start)
		WHEN 'DQ-DUNG-02/leader_criteria' THEN format('Tiêu chí lãnh đạo của công chức %s kỳ %s phải là %s hoặc %s (đ = %s, e = %s).',
		        o.official_id, v_start, v_full, v_reduced, coalesce(o.dd::text, '-'), coalesce(o.e::text, '-'))
		WHEN 'DQ-SACH-04/leader_criteria' THEN format('Công chức %s không phải lãnh đạo nhưng có tiêu chí lãnh đạo kỳ %s: dòng này không được dùng.', o.official_id, v_start)
		WHEN 'DQ-SONG-02/general_mark' THEN format('Phiếu tiêu chí chung của công chức %s được sửa lúc %s, sau hạn chốt số liệu của kỳ (%s).', o.official_id,
		        to_char(o.g_updated, 'YYYY-MM-DD HH24:MI'), to_char(v_cutoff, 'YYYY-MM-DD'))
		WHEN 'DQ-SONG-02/leader_criteria' THEN format('Tiêu chí lãnh đạo của công chức %s được sửa lúc %s, sau hạn chốt số liệu của kỳ (%s).', o.official_id,
		        to_char(o.c_updated, 'YYYY-MM-DD HH24:MI'), to_char(v_cutoff, 'YYYY-MM-DD'))
		WHEN 'DQ-SONG-03/general_mark' THEN format('Phiếu tiêu chí chung của công chức %s kỳ %s được ghi lúc %s, trước khi kỳ bắt đầu.', o.official_id, v_start,
		        to_char(o.g_updated, 'YYYY-MM-DD HH24:MI'))
		WHEN 'DQ-SONG-03/leader_criteria' THEN format('Tiêu chí lãnh đạo của công chức %s kỳ %s được ghi lúc %s, trước khi kỳ bắt đầu.', o.official_id, v_start,
		        to_char(o.c_updated, 'YYYY-MM-DD HH24:MI')) END,
	       CASE x.check_id || '/' || x.source_table
		WHEN 'DQ-DU-01/official' THEN format('Official %s has %s task line(s) in the period %s but no general-criteria form (kpi.general_mark).',
		        o.official_id, o.work, v_start)
		WHEN 'DQ-DU-02/official' THEN format('Leader %s has no leader criteria for %s (kpi.leader_criteria): dd and e count as %s.',
		        o.official_id, v_start, v_full)
		WHEN 'DQ-DU-06/general_mark' THEN format('Official %s has a general-criteria form for %s but no task line at all: no task result is scored.',
		        o.official_id, v_start)
		WHEN 'DQ-DUNG-02/leader_criteria' THEN format('The leader criteria of official %s for %s must be %s or %s (dd = %s, e = %s).',
		        o.official_id, v_start, v_full, v_reduced, coalesce(o.dd::text, '-'), coalesce(o.e::text, '-'))
		WHEN 'DQ-SACH-04/leader_criteria' THEN format('Official %s is not a leader but has leader criteria for %s: the row is not used.', o.official_id, v_start)
		WHEN 'DQ-SONG-02/general_mark' THEN format('The general-criteria form of official %s was changed at %s, after the period''s cut-off (%s).', o.official_id,
		        to_char(o.g_updated, 'YYYY-MM-DD HH24:MI'), to_char(v_cutoff, 'YYYY-MM-DD'))
		WHEN 'DQ-SONG-02/leader_criteria' THEN format('The leader criteria of official %s was changed at %s, after the period''s cut-off (%s).', o.official_id,
		        to_char(o.c_updated, 'YYYY-MM-DD HH24:MI'), to_char(v_cutoff, 'YYYY-MM-DD'))
		WHEN 'DQ-SONG-03/general_mark' THEN format('The general-criteria form of official %s for %s was last written at %s, before the period began.', o.official_id, v_start,
		        to_char(o.g_updated, 'YYYY-MM-DD HH24:MI'))
		WHEN 'DQ-SONG-03/leader_criteria' THEN format('The leader criteria of official %s for %s was last written at %s, before the period began.', o.official_id, v_start,
		        to_char(o.c_updated, 'YYYY-MM-DD HH24:MI')) END
	FROM k o
	CROSS JOIN LATERAL (VALUES
		(o.du01, 'DQ-DU-01', 'error', 'official'),
		(o.du02, 'DQ-DU-02', 'warning', 'official'),
		(o.du06, 'DQ-DU-06', 'warning', 'general_mark'),
		(o.dung02, 'DQ-DUNG-02', 'error', 'leader_criteria'),
		(o.sach04, 'DQ-SACH-04', 'warning', 'leader_criteria'),
		(o.song02_g, 'DQ-SONG-02', 'warning', 'general_mark'),
		(o.song02_c, 'DQ-SONG-02', 'warning', 'leader_criteria'),
		(o.song03_g, 'DQ-SONG-03', 'warning', 'general_mark'),
		(o.song03_c, 'DQ-SONG-03', 'warning', 'leader_criteria')
	) AS x(hit, check_id, severity, source_table)
	WHERE x.hit
	  -- below the VALUES: they are evaluated for the officials with a hit only, not all of them
	  AND (o.du01 OR o.du02 OR o.du06 OR o.dung02 OR o.sach04 OR o.song02_g OR o.song02_c OR o.song03_g OR o.song03_c)
	UNION ALL
	-- the messages formatted for the hits only, as above (not in the VALUES
	-- rows: a Values Scan computes every row's expressions before its filter)
	SELECT x.check_id, 'warning'::text, coalesce(l.unit_id, o.unit_id), l.official_id, 'task_line'::text, l.task_id,
	       CASE x.check_id
		WHEN 'DQ-DUNG-05' THEN format('Dòng nhiệm vụ %s có ngày hoàn thành %s sau ngày kiểm tra %s.', l.task_id, l.done, v_today)
		WHEN 'DQ-DUNG-06' THEN format('Dòng nhiệm vụ %s hoàn thành ngày %s, sau hạn %s, nhưng không ghi lần trễ hạn nào (chỉ đúng khi có xác nhận lý do khách quan).',
		        l.task_id, l.done, l.due)
		WHEN 'DQ-DUNG-07' THEN
		 CASE WHEN l.done IS NULL
		      THEN format('Dòng nhiệm vụ %s đã hoàn thành %s nhưng không có ngày hoàn thành.', l.task_id, l.completed_qty)
		      ELSE format('Dòng nhiệm vụ %s có ngày hoàn thành %s nhưng khối lượng hoàn thành là 0.', l.task_id, l.done) END
		WHEN 'DQ-SACH-06' THEN format('Dòng nhiệm vụ %s thuộc kế hoạch của đơn vị %s, không phải cơ quan được xếp loại: dòng này không được chấm.', l.task_id, l.unit_id)
		WHEN 'DQ-SONG-01' THEN format('Dòng nhiệm vụ %s quá hạn từ %s, chưa hoàn thành và không được cập nhật từ %s (quá %s ngày).',
		        l.task_id, l.due, l.updated_at::date, stale_days)
		WHEN 'DQ-SONG-02' THEN format('Dòng nhiệm vụ %s được sửa lúc %s, sau hạn chốt số liệu của kỳ (%s).', l.task_id,
		        to_char(l.updated_at, 'YYYY-MM-DD HH24:MI'), to_char(v_cutoff, 'YYYY-MM-DD')) END,
	       CASE x.check_id
		WHEN 'DQ-DUNG-05' THEN format('Task line %s is done on %s, after the day of the check (%s).', l.task_id, l.done, v_today)
		WHEN 'DQ-DUNG-06' THEN format('Task line %s was done on %s, after its due date %s, but counts no late event (right only when certified as objective).',
		        l.task_id, l.done, l.due)
		WHEN 'DQ-DUNG-07' THEN
		 CASE WHEN l.done IS NULL
		      THEN format('Task line %s has completed_qty %s but no done date.', l.task_id, l.completed_qty)
		      ELSE format('Task line %s has a done date (%s) but completed_qty 0.', l.task_id, l.done) END
		WHEN 'DQ-SACH-06' THEN format('Task line %s is in the work plan of unit %s, which is not a rated agency: it is never scored.', l.task_id, l.unit_id)
		WHEN 'DQ-SONG-01' THEN format('Task line %s is past due since %s, not completed, and not updated since %s (more than %s days).',
		        l.task_id, l.due, l.updated_at::date, stale_days)
		WHEN 'DQ-SONG-02' THEN format('Task line %s was changed at %s, after the period''s cut-off (%s).', l.task_id,
		        to_char(l.updated_at, 'YYYY-MM-DD HH24:MI'), to_char(v_cutoff, 'YYYY-MM-DD')) END
	FROM l
	LEFT JOIN kpi.official o ON o.official_id = l.official_id
	LEFT JOIN kpi.unit u ON u.unit_id = l.unit_id
	CROSS JOIN LATERAL (VALUES
		(l.future, 'DQ-DUNG-05'),
		(l.unlate, 'DQ-DUNG-06'),
		(l.undated, 'DQ-DUNG-07'),
		(u.unit_id IS NOT NULL AND u.agency_kind IS NULL, 'DQ-SACH-06'),
		(l.stale, 'DQ-SONG-01'),
		(l.changed, 'DQ-SONG-02')
	) AS x(hit, check_id)
	WHERE x.hit
	UNION ALL
	SELECT 'DQ-DU-03', 'warning', s.unit_id, NULL::bigint, 'unit', s.unit_id,
	       format('Đơn vị %s có %s công chức được đánh giá kỳ %s nhưng không có lãnh đạo phụ trách.', s.unit_id, s.n, v_start),
	       format('Unit %s has %s official(s) evaluated for %s but no leader in charge of it.', s.unit_id, s.n, v_start)
	FROM (SELECT o.unit_id, count(DISTINCT o.official_id) AS n
	      FROM kpi.official o JOIN kpi.general_mark g ON g.official_id = o.official_id AND g.period_start = ANY (v_dates)
	      -- the units without a leader first (usually none), then their officials counted
	      WHERE NOT EXISTS (SELECT 1 FROM kpi.official l
	                        WHERE l.is_leader AND coalesce(l.leads_unit, l.unit_id) = o.unit_id)
	      GROUP BY o.unit_id) s
	UNION ALL
	SELECT 'DQ-SACH-01', 'warning', coalesce(d.unit_id, o.unit_id), d.official_id, 'task_line', x.task_id,
	       format('Dòng nhiệm vụ %s trùng với dòng %s (cùng người, tên, hạn và số liệu).', x.task_id, d.first_id),
	       format('Task line %s duplicates line %s (same owner, title, due date and values).', x.task_id, d.first_id)
	FROM (SELECT l.official_id, l.unit_id, min(l.task_id) AS first_id, array_agg(l.task_id) AS ids
	      FROM kpi.task_line l
	      WHERE l.due BETWEEN v_start AND v_end
	        AND (l.official_id = ANY (ARRAY(SELECT s.official_id FROM w s WHERE s.suspect AND s.official_id IS NOT NULL))
	             OR l.unit_id = ANY (ARRAY(SELECT s.unit_id FROM w s WHERE s.suspect AND s.unit_id IS NOT NULL)))
	      GROUP BY l.official_id, l.unit_id, l.title, l.due, l.done, l.coef, l.assigned_qty, l.completed_qty,
	               l.passed_qty, l.quality_errors, l.late_events
	      HAVING count(*) > 1) d
	CROSS JOIN LATERAL unnest(d.ids) AS x(task_id)
	LEFT JOIN kpi.official o ON o.official_id = d.official_id
	WHERE x.task_id <> d.first_id;
END
$$;

COMMENT ON FUNCTION kpi.check_inputs(date, text, timestamptz, integer, integer) IS
'every data problem of a period''s inputs (rules.md DQ1-DQ4), one row each: a stable check_id (doc/data.md), severity (''error'' blocks kpi.evaluate, ''warning'' does not), the unit, official and source row, and a message in Vietnamese and English; as_of is the day of the check, stale_days the days a line past due may go without an update, cutoff_days the days after the period''s end until its cut-off';

CREATE OR REPLACE FUNCTION kpi.period_has_inputs(period_start date, period_kind text)
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE WHEN period_has_inputs.period_kind = 'year' THEN
		EXISTS (SELECT 1 FROM kpi.evaluation_run r
		        WHERE r.period_kind IN ('month', 'quarter')
		          AND r.period_start BETWEEN period_has_inputs.period_start
		                             AND kpi.evaluation_period_end(period_has_inputs.period_start, 'year')
		          AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id))
		OR EXISTS (SELECT 1 FROM kpi.agency_input a WHERE a.year = extract(year FROM period_has_inputs.period_start))
	ELSE
		EXISTS (SELECT 1 FROM kpi.task_line l
		        WHERE l.due BETWEEN period_has_inputs.period_start
		                        AND kpi.evaluation_period_end(period_has_inputs.period_start, period_has_inputs.period_kind))
		OR EXISTS (SELECT 1 FROM kpi.general_mark g WHERE g.period_start = period_has_inputs.period_start)
		OR EXISTS (SELECT 1 FROM kpi.leader_criteria c WHERE c.period_start = period_has_inputs.period_start)
	END
$$;

COMMENT ON FUNCTION kpi.period_has_inputs(date, text) IS
'whether a period has any input: for a month or quarter a task line due in it or a form dated on its start; for a year an evaluated month or quarter of it or an agency''s yearly inputs (DQ5: kpi.evaluate refuses a period without, unless allow_empty => true)';

CREATE OR REPLACE FUNCTION kpi.record_input_check(period_start date, period_kind text, as_of timestamptz DEFAULT now(),
                                                  run_id bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_id bigint;
BEGIN
	-- INSERTs only: a role allowed to evaluate needs no UPDATE here
	WITH p AS MATERIALIZED (
		SELECT c.*, row_number() OVER (ORDER BY c.severity, c.check_id, c.unit_id NULLS FIRST, c.official_id NULLS FIRST,
		                                        c.source_table, c.source_id NULLS FIRST, c.message_en) AS n
		FROM kpi.check_inputs(record_input_check.period_start, record_input_check.period_kind, as_of) c
	),
	r AS (
		INSERT INTO kpi.input_check_run (period_start, period_kind, errors, warnings, run_id)
		SELECT record_input_check.period_start, record_input_check.period_kind,
		       count(*) FILTER (WHERE p.severity = 'error'), count(*) FILTER (WHERE p.severity = 'warning'),
		       record_input_check.run_id
		FROM p
		RETURNING check_run_id
	),
	ins AS (
		INSERT INTO kpi.input_problem (check_run_id, problem_no, check_id, severity, unit_id, official_id,
		                               source_table, source_id, message_vi, message_en)
		SELECT r.check_run_id, p.n, p.check_id, p.severity, p.unit_id, p.official_id, p.source_table, p.source_id,
		       p.message_vi, p.message_en
		FROM p CROSS JOIN r
		RETURNING 1
	)
	SELECT r.check_run_id INTO v_id FROM r WHERE (SELECT count(*) FROM ins) >= 0;
	RETURN v_id;
END
$$;

COMMENT ON FUNCTION kpi.record_input_check(date, text, timestamptz, bigint) IS
'runs kpi.check_inputs over a period and keeps what it found in kpi.input_check_run and kpi.input_problem (errors first, by problem_no); run_id links it to the evaluation run it precedes (kpi.evaluate passes it); returns the check run''s id';

CREATE OR REPLACE VIEW kpi.run_input_warning AS
SELECT c.run_id, c.check_run_id, c.period_start, c.period_kind, p.problem_no, p.check_id, p.unit_id,
       p.official_id, p.source_table, p.source_id, p.message_vi, p.message_en
FROM kpi.input_check_run c
JOIN kpi.input_problem p ON p.check_run_id = c.check_run_id
WHERE c.run_id IS NOT NULL AND p.severity = 'warning';

COMMENT ON VIEW kpi.run_input_warning IS
'the input warnings kpi.evaluate found and recorded before each of its runs (DQ5: warnings do not block a run)';

CREATE OR REPLACE VIEW kpi.latest_input_check AS
SELECT DISTINCT ON (c.period_kind, c.period_start) c.*
FROM kpi.input_check_run c
ORDER BY c.period_kind, c.period_start, c.check_run_id DESC;

COMMENT ON VIEW kpi.latest_input_check IS
'the latest recorded check run of every period (kpi.record_input_check or kpi.evaluate)';
