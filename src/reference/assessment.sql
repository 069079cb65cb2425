--@ schema

-- Self-assessment, review and approval (issue 13 point 1, rules.md CY1) ---------
--
-- Forms 01, 02A and 02B: the official scores themself ("Điểm do cá nhân tự
-- chấm"), the direct manager comments and scores, and the competent authority
-- decides; a leader's form goes through one more review before the decision.
-- kpi.assessment keeps the levels before the decision, with who and when; the
-- decision is the kpi.general_mark row (with kpi.leader_criteria), the only
-- level kpi.evaluate scores, as before 0.2.0.

CREATE TABLE kpi.assessment (
	official_id bigint NOT NULL REFERENCES kpi.official ON DELETE CASCADE,
	period_start date NOT NULL,
	level text NOT NULL CHECK (level IN ('self', 'manager', 'review')),
	marks numeric[] NOT NULL CHECK (kpi.general_points(marks) IS NOT NULL),
	dd numeric,
	e numeric,
	assessed_by name NOT NULL DEFAULT CURRENT_USER,
	assessed_at timestamptz NOT NULL DEFAULT now(),
	note text,
	PRIMARY KEY (official_id, period_start, level),
	CONSTRAINT assessment_period_start CHECK (extract(day FROM period_start) = 1),
	CONSTRAINT assessment_criteria_range CHECK (dd BETWEEN 0 AND 100 AND e BETWEEN 0 AND 100)
);
CREATE INDEX ON kpi.assessment (period_start);

COMMENT ON TABLE kpi.assessment IS
'the levels of a general-criteria form before the decision (CY1, forms 01, 02A, 02B): the official''s self-assessment (''self''), the direct manager''s (''manager'') and, for a leader, the second review (''review''), each with the marks, dd and e, who and when; the competent authority''s decision is the kpi.general_mark row (and kpi.leader_criteria), which kpi.evaluate scores; an official with levels here and no kpi.general_mark row is pending (kpi.assessment_pending)';
COMMENT ON COLUMN kpi.assessment.level IS '''self'' (form 01, the official''s own marks), ''manager'' (the direct manager''s marks, after ''self''), ''review'' (a leader''s second level, after ''manager''; refused for a non-leader)';
COMMENT ON COLUMN kpi.assessment.marks IS 'the ten general-criteria marks at this level, checked against Decree 335 (as kpi.general_mark.marks)';
COMMENT ON COLUMN kpi.assessment.dd IS 'a leader''s criterion dd at this level (NULL: leader_full)';
COMMENT ON COLUMN kpi.assessment.e IS 'a leader''s criterion e at this level (NULL: leader_full)';

ALTER TABLE kpi.general_mark ADD COLUMN approved_by name DEFAULT CURRENT_USER;
COMMENT ON COLUMN kpi.general_mark.approved_by IS
'the role that recorded the competent authority''s decision (CY1); NULL for rows written before 0.2.0';
SELECT pg_catalog.pg_extension_config_dump('kpi.assessment', '');

--@ functions

CREATE OR REPLACE FUNCTION kpi.assessment_levels(is_leader boolean)
RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE WHEN assessment_levels.is_leader THEN '{self,manager,review,approved}'::text[]
	            ELSE '{self,manager,approved}'::text[] END
$$;

COMMENT ON FUNCTION kpi.assessment_levels(boolean) IS
'the levels a form goes through, in order (CY1): self, manager, approved; a leader''s also review before approved (form 02B)';

CREATE OR REPLACE FUNCTION kpi.assessment_guard()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_n bigint;
	v_bad text;
BEGIN
	-- a level and a decision written at once for the same official are
	-- serialised: a level locks the official's row FOR UPDATE, which waits for
	-- (and then holds off) the FOR KEY SHARE of a decision's foreign key; the
	-- checks below then read what the other transaction committed
	IF TG_TABLE_NAME = 'assessment' THEN
		PERFORM 1 FROM kpi.official o
		WHERE o.official_id IN (SELECT n.official_id FROM new_rows n)
		ORDER BY o.official_id
		FOR UPDATE;
	END IF;
	-- set-based over the statement's rows, as kpi.official_leads_unit_guard; a
	-- load of decisions on forms outside the cycle costs one join
	IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN kpi.assessment a
	               ON a.official_id = n.official_id AND a.period_start = n.period_start) THEN
		RETURN NULL;
	END IF;
	WITH n AS (
		SELECT DISTINCT n.official_id, n.period_start FROM new_rows n
	),
	f AS (	-- each form's levels and the official's role on the form's day
		SELECT n.official_id, n.period_start, ao.is_leader,
		       kpi.assessment_levels(ao.is_leader) AS needed,
		       ARRAY(SELECT a.level FROM kpi.assessment a
		             WHERE a.official_id = n.official_id AND a.period_start = n.period_start) AS done
		FROM n
		CROSS JOIN LATERAL kpi.assignment_on(n.official_id, n.period_start) ao
	),
	bad AS (
		SELECT f.*, lv.level, lv.o,
		       row_number() OVER (ORDER BY f.official_id, f.period_start, lv.o) AS rn
		FROM f
		CROSS JOIN LATERAL unnest(f.needed) WITH ORDINALITY AS lv(level, o)
		WHERE CASE WHEN TG_TABLE_NAME = 'general_mark'
		           -- a decision on a form in the cycle needs every level before it
		           THEN cardinality(f.done) > 0 AND lv.level <> 'approved' AND NOT lv.level = ANY (f.done)
		           -- a level needs the one before it; review is a leader's
		           ELSE (lv.level = ANY (f.done) AND lv.o > 1 AND NOT f.needed[lv.o - 1] = ANY (f.done))
		           END
		UNION ALL
		SELECT f.*, 'review', 0, row_number() OVER (ORDER BY f.official_id, f.period_start)
		FROM f
		WHERE TG_TABLE_NAME = 'assessment' AND NOT f.is_leader AND 'review' = ANY (f.done)
		UNION ALL	-- a level written after the decision
		SELECT f.*, 'approved', -1, row_number() OVER (ORDER BY f.official_id, f.period_start)
		FROM f
		WHERE TG_TABLE_NAME = 'assessment' AND TG_OP IN ('INSERT', 'UPDATE')
		  AND EXISTS (SELECT 1 FROM kpi.general_mark g
		              WHERE g.official_id = f.official_id AND g.period_start = f.period_start)
	)
	SELECT count(*), string_agg(format('official %s, form of %s: %s', b.official_id, b.period_start,
	                                   CASE WHEN b.o = 0 THEN 'a second review is for leaders only'
	                                        WHEN b.o = -1 THEN 'the form is decided already (kpi.general_mark)'
	                                        WHEN TG_TABLE_NAME = 'general_mark' THEN format('level %s is missing', b.level)
	                                        ELSE format('level %s comes before %s', b.needed[b.o - 1], b.level) END),
	                            '; ' ORDER BY b.official_id, b.period_start, b.o) FILTER (WHERE b.rn <= 20)
	INTO v_n, v_bad
	FROM bad b;
	IF v_n > 0 THEN
		RAISE EXCEPTION '% assessment level(s) out of order', v_n
			USING ERRCODE = '23514',
			      DETAIL = v_bad || CASE WHEN v_n > 20 THEN format('; and %s more.', v_n - 20) ELSE '.' END,
			      HINT = 'A form goes through self, manager (and review for a leader) before the decision in kpi.general_mark (rules.md CY1).';
	END IF;
	RETURN NULL;
END
$$;

COMMENT ON FUNCTION kpi.assessment_guard() IS
'statement trigger of kpi.assessment and kpi.general_mark (CY1): a manager level needs the self level, a review the manager level and a leader, and no level of a decided form is added or changed; a decision (kpi.general_mark) on a form that has levels in kpi.assessment needs all of them (a leader''s review included); a form with no levels may be recorded directly, as before 0.2.0; refuses with 23514, naming each form; a level locks its officials'' rows FOR UPDATE so that a concurrent decision (whose foreign key takes FOR KEY SHARE) is checked after it; SECURITY DEFINER (the lock needs no UPDATE privilege of the caller)';

CREATE OR REPLACE FUNCTION kpi.assessment_delete_guard()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_n bigint;
	v_bad text;
BEGIN
	-- the levels of a form are its record: a decided form keeps them, and a
	-- level goes only from the last one down.  The official's row is locked
	-- as a level written is (kpi.assessment_guard), so a decision written at
	-- once waits and then finds the level gone.  Rows deleted with their
	-- official (ON DELETE CASCADE) are not checked.
	PERFORM 1 FROM kpi.official o
	WHERE o.official_id IN (SELECT d.official_id FROM old_rows d)
	ORDER BY o.official_id
	FOR UPDATE;
	WITH d AS (
		SELECT d.official_id, d.period_start, d.level,
		       array_position(kpi.assessment_levels(true), d.level) AS o
		FROM old_rows d
		WHERE EXISTS (SELECT 1 FROM kpi.official x WHERE x.official_id = d.official_id)
	),
	bad AS (
		SELECT d.official_id, d.period_start, d.o,
		       format('official %s, form of %s: level %s of a decided form (kpi.general_mark)',
		              d.official_id, d.period_start, d.level) AS why
		FROM d
		WHERE EXISTS (SELECT 1 FROM kpi.general_mark g
		              WHERE g.official_id = d.official_id AND g.period_start = d.period_start)
		UNION ALL
		SELECT d.official_id, d.period_start, d.o,
		       format('official %s, form of %s: level %s comes after %s and stays',
		              d.official_id, d.period_start, a.level, d.level)
		FROM d
		JOIN kpi.assessment a ON a.official_id = d.official_id AND a.period_start = d.period_start
		WHERE array_position(kpi.assessment_levels(true), a.level) > d.o
		  AND NOT EXISTS (SELECT 1 FROM kpi.general_mark g
		                  WHERE g.official_id = d.official_id AND g.period_start = d.period_start)
	)
	SELECT count(*), string_agg(b.why, '; ' ORDER BY b.official_id, b.period_start, b.o) FILTER (WHERE b.rn <= 20)
	INTO v_n, v_bad
	FROM (SELECT b.*, row_number() OVER (ORDER BY b.official_id, b.period_start, b.o) AS rn FROM bad b) b;
	IF v_n > 0 THEN
		RAISE EXCEPTION '% assessment level(s) cannot be deleted', v_n
			USING ERRCODE = '23514',
			      DETAIL = v_bad || CASE WHEN v_n > 20 THEN format('; and %s more.', v_n - 20) ELSE '.' END,
			      HINT = 'Delete a form''s levels from the last one down; to correct a decided form, delete its decision (kpi.general_mark) first (rules.md CY1).';
	END IF;
	RETURN NULL;
END
$$;

COMMENT ON FUNCTION kpi.assessment_delete_guard() IS
'statement trigger of kpi.assessment (CY1): a level of a decided form (one with its kpi.general_mark row) is not deleted, and a level is deleted only with every later one; refuses with 23514, naming up to 20 forms; rows deleted with their official are not checked; locks the officials'' rows FOR UPDATE like kpi.assessment_guard; SECURITY DEFINER';

CREATE OR REPLACE FUNCTION kpi.form_levels(forms date)
RETURNS TABLE (official_id bigint, self_marks numeric[], self_dd numeric, self_e numeric,
               levels text[], approved boolean)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	-- the forms dated forms that are in the cycle (have a level in kpi.assessment)
	SELECT a.official_id, s.marks, s.dd, s.e, a.levels,
	       EXISTS (SELECT 1 FROM kpi.general_mark g
	               WHERE g.official_id = a.official_id AND g.period_start = form_levels.forms)
	FROM (SELECT a.official_id,
	             array_agg(a.level ORDER BY array_position(kpi.assessment_levels(true), a.level)) AS levels
	      FROM kpi.assessment a
	      WHERE a.period_start = form_levels.forms
	      GROUP BY a.official_id) a
	LEFT JOIN kpi.assessment s
	  ON s.official_id = a.official_id AND s.period_start = form_levels.forms AND s.level = 'self'
$$;

COMMENT ON FUNCTION kpi.form_levels(date) IS
'the forms dated forms that have levels in kpi.assessment (CY1): the self-assessed marks, dd and e, the levels recorded in order, and whether the decision (kpi.general_mark) is recorded';

CREATE OR REPLACE FUNCTION kpi.period_roster(period_start date, period_kind text, rules jsonb)
RETURNS TABLE (official_id bigint, unit_id bigint, task_group text, is_leader boolean, leads_unit bigint,
               marks numeric[], dd numeric, e numeric, has_criteria boolean, has_form boolean,
               self_marks numeric[], self_dd numeric, self_e numeric, pending text,
               days_worked integer, not_rated text, forms date)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	-- who is scored in a month or quarter, where, and on which approved form:
	-- the assignment of the period (CY4), the decision (CY1), the self-assessment.
	-- x is MATERIALIZED: inlined, its expressions would be evaluated per row
	-- (the rules are a parameter here, not a constant), 60 us each
	WITH x AS MATERIALIZED (
		SELECT (kpi.effective_rules(period_roster.rules) ->> 'min_days_worked')::integer AS min_days,
		       kpi.evaluation_period_end(period_roster.period_start, period_roster.period_kind) AS p_end
	),
	-- CY2: the forms each unit reads (its quarter's under quarterly forms)
	uf AS (
		SELECT f.unit_id, f.forms
		FROM kpi.unit_forms(period_roster.period_start, period_roster.period_kind, period_roster.rules) f
	),
	fl AS (	-- the levels of the forms of those dates (usually one)
		SELECT d.forms, l.*
		FROM (SELECT DISTINCT uf.forms FROM uf) d
		CROSS JOIN LATERAL kpi.form_levels(d.forms) l
	),
	r AS (
		SELECT pa.*, g.marks, c.dd, c.e, c.official_id IS NOT NULL AS has_criteria,
		       g.official_id IS NOT NULL OR fl.official_id IS NOT NULL AS has_form,
		       fl.self_marks, fl.self_dd, fl.self_e,
		       CASE WHEN g.official_id IS NULL AND fl.official_id IS NOT NULL
		            THEN (SELECT lv FROM unnest(kpi.assessment_levels(pa.is_leader)) lv
		                  WHERE NOT lv = ANY (fl.levels) LIMIT 1) END AS pending,
		       x.min_days, uf.forms
		FROM x
		CROSS JOIN LATERAL kpi.period_assignment(period_roster.period_start, x.p_end) pa
		JOIN uf ON uf.unit_id = pa.unit_id
		-- = ANY of the dates read (an initplan): the forms of those dates only, by
		-- their index, not every form of every period hashed
		LEFT JOIN kpi.general_mark g ON g.official_id = pa.official_id AND g.period_start = uf.forms
		                           AND g.period_start = ANY (ARRAY(SELECT DISTINCT uf.forms FROM uf))
		LEFT JOIN kpi.leader_criteria c ON c.official_id = pa.official_id AND c.period_start = uf.forms
		                              AND c.period_start = ANY (ARRAY(SELECT DISTINCT uf.forms FROM uf))
		LEFT JOIN fl ON fl.official_id = pa.official_id AND fl.forms = uf.forms
	)
	SELECT r.official_id, r.unit_id, r.task_group, r.is_leader, r.leads_unit,
	       CASE WHEN r.days_worked >= r.min_days THEN r.marks END,
	       r.dd, r.e, r.has_criteria, r.has_form,
	       r.self_marks, r.self_dd, r.self_e, r.pending, r.days_worked,
	       CASE WHEN r.pending IS NOT NULL THEN format('not approved (pending: %s)', r.pending)
	            WHEN r.days_worked < r.min_days
	            THEN format('worked %s days (min_days_worked %s)', r.days_worked, r.min_days) END,
	       r.forms
	FROM r
$$;

COMMENT ON FUNCTION kpi.period_roster(date, text, jsonb) IS
'every official for a month or quarter as kpi.score_period reads them: the unit, task group and leader role of the period''s assignment (kpi.period_assignment, CY4), the approved marks and leader criteria (kpi.general_mark, kpi.leader_criteria, dated forms: the quarter''s first day where the unit reads quarterly forms, kpi.unit_forms), whether a form exists at any level, the self-assessed marks, dd and e (CY1), the level pending when the form is not yet approved, the days worked, and why the period is not rated (not approved; fewer days worked than min_days_worked: the marks are then NULL)';

CREATE OR REPLACE FUNCTION kpi.check_period_forms(period_start date, period_kind text, rules jsonb)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_start date := check_period_forms.period_start;
	v_kind text := check_period_forms.period_kind;
	v_rules jsonb := check_period_forms.rules;
	v_end date := kpi.evaluation_period_end(check_period_forms.period_start, check_period_forms.period_kind);
	v_eff jsonb := kpi.effective_rules(check_period_forms.rules);
	v_dates date[];	-- the dates of the forms read (CY2): one unless units differ
	v_missing_dates text;
	v_pending_dates text;
	v_cand bigint[];
	v_missing bigint[];
	v_pending text;
	v_npending bigint;
BEGIN
	v_dates := kpi.forms_dates(v_start, v_kind, v_rules);
	-- an official with work assigned needs the general-criteria form, unless
	-- the form is in the cycle and pending (CY6, below) or the period is not
	-- rated for the days worked (CY4): the roster of the period is read only
	-- for the officials with work and no decision on one of the period's
	-- forms dates, usually none.  Those without a decision are found first,
	-- from the officials and the forms (a line's official is a row of
	-- kpi.official, visible when the line is); only their lines are read, by
	-- their index, and none when every official has the decisions
	SELECT array_agg(o.official_id) INTO v_cand
	FROM kpi.official o
	LEFT JOIN (SELECT g.official_id, count(*) AS n
	           FROM kpi.general_mark g WHERE g.period_start = ANY (v_dates)
	           GROUP BY g.official_id) g ON g.official_id = o.official_id
	WHERE coalesce(g.n, 0) < cardinality(v_dates);
	IF v_cand IS NULL THEN
		RETURN;
	END IF;
	SELECT array_agg(w.official_id) INTO v_cand
	FROM (SELECT DISTINCT l.official_id
	      FROM kpi.task_line l
	      WHERE l.official_id = ANY (v_cand) AND l.due BETWEEN v_start AND v_end
	        AND l.coef > 0 AND l.assigned_qty > 0) w;
	IF v_cand IS NULL THEN
		RETURN;
	END IF;
	SELECT array_agg(r.official_id ORDER BY r.official_id) FILTER (WHERE NOT r.has_form AND r.not_rated IS NULL),
	       count(*) FILTER (WHERE r.pending IS NOT NULL),
	       string_agg(format('%s (pending: %s)', r.official_id, r.pending), ', ' ORDER BY r.official_id)
	           FILTER (WHERE r.pending IS NOT NULL AND r.n <= 20),
	       string_agg(DISTINCT to_char(r.forms, 'YYYY-MM-DD'), ' or ') FILTER (WHERE NOT r.has_form AND r.not_rated IS NULL),
	       string_agg(DISTINCT to_char(r.forms, 'YYYY-MM-DD'), ' or ') FILTER (WHERE r.pending IS NOT NULL)
	INTO v_missing, v_npending, v_pending, v_missing_dates, v_pending_dates
	FROM (SELECT r.*, row_number() OVER (PARTITION BY r.pending IS NOT NULL ORDER BY r.official_id) AS n
	      FROM kpi.period_roster(v_start, v_kind, v_rules) r
	      WHERE r.official_id = ANY (v_cand)) r;
	IF v_missing IS NOT NULL THEN
		RAISE EXCEPTION 'general-criteria marks are missing for % official(s) in period % (%)',
			cardinality(v_missing), to_char(v_start, 'YYYY-MM-DD'), v_kind
			USING ERRCODE = '22004',
			      DETAIL = format('Officials without a kpi.general_mark row for %s: %s.',
			                      v_missing_dates, array_to_string(v_missing[1:20], ', ')
			                      || CASE WHEN cardinality(v_missing) > 20 THEN ', ...' ELSE '' END),
			      HINT = 'Every official with work assigned in the period needs the marks of the general-criteria form (CS3).';
	END IF;
	-- CY6: a form in the cycle (kpi.assessment) but not decided: refused, or
	-- under "unapproved": "skip" recorded as not rated
	IF v_npending > 0 THEN
		v_pending := v_pending || CASE WHEN v_npending > 20 THEN ', ...' ELSE '' END;
		IF v_eff ->> 'unapproved' = 'skip' THEN
			RAISE NOTICE '% official(s) with work in period % (%) are not rated: their forms are not approved',
				v_npending, to_char(v_start, 'YYYY-MM-DD'), v_kind
				USING DETAIL = format('Officials: %s.', v_pending);
		ELSE
			RAISE EXCEPTION 'the general-criteria forms of % official(s) in period % (%) are not approved',
				v_npending, to_char(v_start, 'YYYY-MM-DD'), v_kind
				USING ERRCODE = '55000',
				      DETAIL = format('Officials with levels in kpi.assessment for %s and no decision in kpi.general_mark: %s.',
				                      v_pending_dates, v_pending),
				      HINT = 'Record the competent authority''s decisions (CY1), or rate them later: the rule value "unapproved": "skip" records them as not rated.';
		END IF;
	END IF;
END
$$;

COMMENT ON FUNCTION kpi.check_period_forms(date, text, jsonb) IS
'the forms kpi.score_period needs for a month or quarter: an official with work and no form at any level is an error (22004, CS3) unless the period is not rated for the days worked (CY4); one whose form has levels in kpi.assessment and no decision is refused (55000) or, under "unapproved": "skip", named in a NOTICE (CY6); the errors name up to 20 officials';

CREATE OR REPLACE VIEW kpi.assessment_pending WITH (security_invoker = true) AS
SELECT pa.unit_id, a.official_id, a.period_start, pa.is_leader, a.levels,
       (SELECT lv FROM unnest(kpi.assessment_levels(pa.is_leader)) lv
        WHERE NOT lv = ANY (a.levels) LIMIT 1) AS pending_level,
       a.last_at
FROM (SELECT a.official_id, a.period_start,
             array_agg(a.level ORDER BY array_position(kpi.assessment_levels(true), a.level)) AS levels,
             max(a.assessed_at) AS last_at
      FROM kpi.assessment a
      WHERE NOT EXISTS (SELECT 1 FROM kpi.general_mark g
                        WHERE g.official_id = a.official_id AND g.period_start = a.period_start)
      GROUP BY a.official_id, a.period_start) a
CROSS JOIN LATERAL kpi.assignment_on(a.official_id, a.period_start) pa;

COMMENT ON VIEW kpi.assessment_pending IS
'the forms in the cycle not yet decided (CY1), per unit: the unit and role of the official''s assignment on the form''s day, the levels recorded, the level pending (manager, review for a leader, or approved: the competent authority''s decision in kpi.general_mark) and when the last level was recorded; officials with work and no form at any level are DQ-DU-01 of kpi.check_inputs';
--@ post

CREATE TRIGGER levels_in_order_insert AFTER INSERT ON kpi.assessment
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.assessment_guard();
CREATE TRIGGER levels_in_order_update AFTER UPDATE ON kpi.assessment
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.assessment_guard();
CREATE TRIGGER levels_in_order_insert AFTER INSERT ON kpi.general_mark
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.assessment_guard();
CREATE TRIGGER levels_in_order_delete AFTER DELETE ON kpi.assessment
	REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.assessment_delete_guard();

-- row-level security like kpi.general_mark (rls.sql)
ALTER TABLE kpi.assessment ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.assessment
	USING (official_id IN (SELECT o.official_id FROM kpi.official o
	                       JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));
