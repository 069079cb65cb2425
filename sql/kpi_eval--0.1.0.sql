/* kpi_eval--0.1.0.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION kpi_eval" to load this file. \quit

COMMENT ON SCHEMA kpi IS 'kpi_eval: Vietnam public-sector KPI scores and rating tiers (Decree 335/2025/ND-CP)';

------------------------------------------------------------------------------
-- Rule sets (rules.md section 6)
------------------------------------------------------------------------------

CREATE FUNCTION kpi.effective_rules(rules jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'effective_rules'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.effective_rules(jsonb) IS
'the complete, validated rule set: the Decree 335 defaults overridden by the keys given';

------------------------------------------------------------------------------
-- The kpi.tally summary type (rules.md CS4-CS8)
------------------------------------------------------------------------------

CREATE TYPE kpi.tally;

CREATE FUNCTION kpi.tally_in(cstring) RETURNS kpi.tally
AS 'MODULE_PATHNAME', 'tally_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.tally_out(kpi.tally) RETURNS cstring
AS 'MODULE_PATHNAME', 'tally_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.tally_recv(internal) RETURNS kpi.tally
AS 'MODULE_PATHNAME', 'tally_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.tally_send(kpi.tally) RETURNS bytea
AS 'MODULE_PATHNAME', 'tally_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE kpi.tally (
	INPUT = kpi.tally_in,
	OUTPUT = kpi.tally_out,
	RECEIVE = kpi.tally_recv,
	SEND = kpi.tally_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE kpi.tally IS
'mergeable exact summary of task lines: assigned weight and quantity, quality and progress credit (CS4-CS8)';
COMMENT ON FUNCTION kpi.tally_in(cstring) IS 'kpi.tally text input';
COMMENT ON FUNCTION kpi.tally_out(kpi.tally) IS 'kpi.tally text output (exact, round-trips)';
COMMENT ON FUNCTION kpi.tally_recv(internal) IS 'kpi.tally binary input';
COMMENT ON FUNCTION kpi.tally_send(kpi.tally) IS 'kpi.tally binary output';

CREATE FUNCTION kpi.tally_components(t kpi.tally,
	OUT lines bigint, OUT assigned numeric, OUT quantity_credit numeric,
	OUT quality_credit numeric, OUT progress_credit numeric,
	OUT progress_credit_strict numeric, OUT quality_errors bigint,
	OUT late_events bigint, OUT quality_deduction numeric,
	OUT progress_deduction numeric)
AS 'MODULE_PATHNAME', 'tally_components'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.tally_components(kpi.tally) IS
'every field of a tally as exact numbers: line count, converted weights and credits, event counts, deduction rates';

------------------------------------------------------------------------------
-- Aggregates building and merging tallies
------------------------------------------------------------------------------

CREATE FUNCTION kpi.tally_agg_trans(kpi.tally, numeric, numeric, numeric, numeric, integer, integer)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi.tally_agg_trans(kpi.tally, numeric, numeric, numeric, numeric, integer, integer, jsonb)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi.tally_agg_inv(kpi.tally, numeric, numeric, numeric, numeric, integer, integer)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi.tally_agg_inv(kpi.tally, numeric, numeric, numeric, numeric, integer, integer, jsonb)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi.tally_agg_unit_trans(kpi.tally, numeric, boolean, boolean, integer, integer)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_unit_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi.tally_agg_unit_trans(kpi.tally, numeric, boolean, boolean, integer, integer, jsonb)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_unit_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi.tally_agg_unit_inv(kpi.tally, numeric, boolean, boolean, integer, integer)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_unit_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi.tally_agg_unit_inv(kpi.tally, numeric, boolean, boolean, integer, integer, jsonb)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_agg_unit_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- STRICT is right for the combine functions: the state is a real type, and
-- the executor copies the non-null side when one side is null.
CREATE FUNCTION kpi.tally_final(kpi.tally)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.tally_combine(kpi.tally, kpi.tally)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.tally_uncombine(kpi.tally, kpi.tally)
RETURNS kpi.tally AS 'MODULE_PATHNAME', 'tally_uncombine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.tally_agg_trans(kpi.tally, numeric, numeric, numeric, numeric, integer, integer) IS
'kpi.tally_agg transition function';
COMMENT ON FUNCTION kpi.tally_agg_trans(kpi.tally, numeric, numeric, numeric, numeric, integer, integer, jsonb) IS
'kpi.tally_agg transition function (with rules)';
COMMENT ON FUNCTION kpi.tally_agg_inv(kpi.tally, numeric, numeric, numeric, numeric, integer, integer) IS
'kpi.tally_agg moving-aggregate inverse transition function';
COMMENT ON FUNCTION kpi.tally_agg_inv(kpi.tally, numeric, numeric, numeric, numeric, integer, integer, jsonb) IS
'kpi.tally_agg moving-aggregate inverse transition function (with rules)';
COMMENT ON FUNCTION kpi.tally_agg_unit_trans(kpi.tally, numeric, boolean, boolean, integer, integer) IS
'kpi.tally_agg transition function, single-unit form';
COMMENT ON FUNCTION kpi.tally_agg_unit_trans(kpi.tally, numeric, boolean, boolean, integer, integer, jsonb) IS
'kpi.tally_agg transition function, single-unit form (with rules)';
COMMENT ON FUNCTION kpi.tally_agg_unit_inv(kpi.tally, numeric, boolean, boolean, integer, integer) IS
'kpi.tally_agg moving-aggregate inverse transition function, single-unit form';
COMMENT ON FUNCTION kpi.tally_agg_unit_inv(kpi.tally, numeric, boolean, boolean, integer, integer, jsonb) IS
'kpi.tally_agg moving-aggregate inverse transition function, single-unit form (with rules)';
COMMENT ON FUNCTION kpi.tally_final(kpi.tally) IS
'kpi.tally_agg and kpi.rollup final function: a tally of no lines is NULL';
COMMENT ON FUNCTION kpi.tally_combine(kpi.tally, kpi.tally) IS
'aggregate combine function of every tally aggregate, and kpi.rollup transition function: exact merge';
COMMENT ON FUNCTION kpi.tally_uncombine(kpi.tally, kpi.tally) IS
'kpi.rollup moving-aggregate inverse transition function: exact removal';

CREATE AGGREGATE kpi.tally_agg(coef numeric, assigned_qty numeric, completed_qty numeric,
                               passed_qty numeric, quality_errors integer, late_events integer) (
	SFUNC = kpi.tally_agg_trans,
	STYPE = kpi.tally,
	FINALFUNC = kpi.tally_final,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_trans,
	MINVFUNC = kpi.tally_agg_inv,
	MSTYPE = kpi.tally,
	MFINALFUNC = kpi.tally_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.tally_agg(coef numeric, assigned_qty numeric, completed_qty numeric,
                               passed_qty numeric, quality_errors integer, late_events integer,
                               rules jsonb) (
	SFUNC = kpi.tally_agg_trans,
	STYPE = kpi.tally,
	FINALFUNC = kpi.tally_final,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_trans,
	MINVFUNC = kpi.tally_agg_inv,
	MSTYPE = kpi.tally,
	MFINALFUNC = kpi.tally_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.tally_agg(coef numeric, done boolean, passed boolean,
                               quality_errors integer, late_events integer) (
	SFUNC = kpi.tally_agg_unit_trans,
	STYPE = kpi.tally,
	FINALFUNC = kpi.tally_final,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_unit_trans,
	MINVFUNC = kpi.tally_agg_unit_inv,
	MSTYPE = kpi.tally,
	MFINALFUNC = kpi.tally_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.tally_agg(coef numeric, done boolean, passed boolean,
                               quality_errors integer, late_events integer, rules jsonb) (
	SFUNC = kpi.tally_agg_unit_trans,
	STYPE = kpi.tally,
	FINALFUNC = kpi.tally_final,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_unit_trans,
	MINVFUNC = kpi.tally_agg_unit_inv,
	MSTYPE = kpi.tally,
	MFINALFUNC = kpi.tally_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.rollup(kpi.tally) (
	SFUNC = kpi.tally_combine,
	STYPE = kpi.tally,
	FINALFUNC = kpi.tally_final,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_combine,
	MINVFUNC = kpi.tally_uncombine,
	MSTYPE = kpi.tally,
	MFINALFUNC = kpi.tally_final,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE kpi.tally_agg(numeric, numeric, numeric, numeric, integer, integer) IS
'summarise task lines (coef, assigned_qty, completed_qty, passed_qty, quality_errors, late_events) into a kpi.tally (CS4-CS7)';
COMMENT ON AGGREGATE kpi.tally_agg(numeric, numeric, numeric, numeric, integer, integer, jsonb) IS
'summarise task lines into a kpi.tally with the deduction rates of the given rules';
COMMENT ON AGGREGATE kpi.tally_agg(numeric, boolean, boolean, integer, integer) IS
'summarise single-unit task lines (coef, done, passed, quality_errors, late_events) into a kpi.tally';
COMMENT ON AGGREGATE kpi.tally_agg(numeric, boolean, boolean, integer, integer, jsonb) IS
'summarise single-unit task lines into a kpi.tally with the deduction rates of the given rules';
COMMENT ON AGGREGATE kpi.rollup(kpi.tally) IS
'merge tallies exactly (month to quarter to year, person to unit): equal to summarising all their lines at once';

------------------------------------------------------------------------------
-- Reading a tally (CS5-CS11)
------------------------------------------------------------------------------

CREATE FUNCTION kpi.quantity_pct(t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'quantity_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.quality_pct(t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'quality_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.progress_pct(t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'progress_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.task_pct(t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'task_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.task_pct(t kpi.tally, d numeric, dd numeric, e numeric, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'task_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.task_points(t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'task_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.task_points(t kpi.tally, d numeric, dd numeric, e numeric, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'task_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.period_score(general numeric, t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'period_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.period_score(general numeric, t kpi.tally, d numeric, dd numeric, e numeric,
                                 rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'period_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.general_points(marks numeric[], rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'general_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.quantity_pct(kpi.tally, jsonb) IS
'quantity a = 100 x converted completed / converted assigned (CS5), capped at 100 unless rules say "cap": false; NULL when nothing was assigned';
COMMENT ON FUNCTION kpi.quality_pct(kpi.tally, jsonb) IS
'quality b (CS6): passed units less 25% per failed review, per line, over converted assigned; capped like a';
COMMENT ON FUNCTION kpi.progress_pct(kpi.tally, jsonb) IS
'progress c (CS7): completed units less 25% per late event (or only on-time units, "progress_reading": "strict"), over converted assigned';
COMMENT ON FUNCTION kpi.task_pct(kpi.tally, jsonb) IS
'task percentage KQ = (a + b + c) / 3 for a non-leader (CS9)';
COMMENT ON FUNCTION kpi.task_pct(kpi.tally, numeric, numeric, numeric, jsonb) IS
'task percentage KQ = (a + b + c + d + dd + e) / 6 for a leader (CS9, CS10); d, dd, e are 100 or 50';
COMMENT ON FUNCTION kpi.task_points(kpi.tally, jsonb) IS
'task-result points T = 0.70 x KQ for a non-leader (CS9), unrounded';
COMMENT ON FUNCTION kpi.task_points(kpi.tally, numeric, numeric, numeric, jsonb) IS
'task-result points T = 0.70 x KQ for a leader (CS9, CS10), unrounded';
COMMENT ON FUNCTION kpi.period_score(numeric, kpi.tally, jsonb) IS
'period total G + 0.70 x KQ for a non-leader (CS11), rounded half away from zero to 2 decimals from the exact value';
COMMENT ON FUNCTION kpi.period_score(numeric, kpi.tally, numeric, numeric, numeric, jsonb) IS
'period total G + 0.70 x KQ for a leader with criteria d, dd, e (CS10, CS11), rounded half away from zero to 2 decimals';
COMMENT ON FUNCTION kpi.general_points(numeric[], jsonb) IS
'general-criteria points G: the sum of the 10 marks of the Decree 335 form, each checked against its maximum (CS3)';

------------------------------------------------------------------------------
-- Tiers (CS13-CS14)
------------------------------------------------------------------------------

CREATE TYPE kpi.tier AS ENUM ('khong_hoan_thanh', 'hoan_thanh', 'tot', 'xuat_sac');

COMMENT ON TYPE kpi.tier IS
'rating tier, ordered worst to best: khong_hoan_thanh (not complete), hoan_thanh (complete), tot (good), xuat_sac (excellent)';

CREATE FUNCTION kpi.tier_of(score numeric, disqualified boolean DEFAULT false, rules jsonb DEFAULT '{}')
RETURNS kpi.tier AS 'MODULE_PATHNAME', 'tier_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.tier_label(tier kpi.tier, lang text DEFAULT 'vi')
RETURNS text AS 'MODULE_PATHNAME', 'tier_label' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.tier_of(numeric, boolean, jsonb) IS
'tier of a score rounded to 2 decimals: >= 90 xuat_sac, >= 70 tot, >= 50 hoan_thanh, else khong_hoan_thanh (CS13); khong_hoan_thanh when disqualified (CS14)';
COMMENT ON FUNCTION kpi.tier_label(kpi.tier, text) IS
'the official name of a tier in Vietnamese (''vi'') or English (''en'')';

------------------------------------------------------------------------------
-- Aggregates over period scores (CS10, CS12)
------------------------------------------------------------------------------

CREATE FUNCTION kpi.annual_score_trans(bigint[], numeric)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'annual_score_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.annual_score_trans(bigint[], numeric, jsonb)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'annual_score_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.annual_score_inv(bigint[], numeric)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'annual_score_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.annual_score_inv(bigint[], numeric, jsonb)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'annual_score_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.annual_score_combine(bigint[], bigint[])
RETURNS bigint[] AS 'MODULE_PATHNAME', 'annual_score_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.annual_score_final(bigint[])
RETURNS numeric AS 'MODULE_PATHNAME', 'annual_score_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.unit_result_trans(bigint[], numeric)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'unit_result_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.unit_result_trans(bigint[], numeric, jsonb)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'unit_result_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.unit_result_combine(bigint[], bigint[])
RETURNS bigint[] AS 'MODULE_PATHNAME', 'unit_result_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.unit_result_final(bigint[])
RETURNS numeric AS 'MODULE_PATHNAME', 'unit_result_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.annual_score_trans(bigint[], numeric) IS 'kpi.annual_score transition function';
COMMENT ON FUNCTION kpi.annual_score_trans(bigint[], numeric, jsonb) IS 'kpi.annual_score transition function (with rules)';
COMMENT ON FUNCTION kpi.annual_score_inv(bigint[], numeric) IS 'kpi.annual_score moving-aggregate inverse transition function';
COMMENT ON FUNCTION kpi.annual_score_inv(bigint[], numeric, jsonb) IS 'kpi.annual_score moving-aggregate inverse transition function (with rules)';
COMMENT ON FUNCTION kpi.annual_score_combine(bigint[], bigint[]) IS 'kpi.annual_score combine function';
COMMENT ON FUNCTION kpi.annual_score_final(bigint[]) IS 'kpi.annual_score final function';
COMMENT ON FUNCTION kpi.unit_result_trans(bigint[], numeric) IS 'kpi.unit_result transition function';
COMMENT ON FUNCTION kpi.unit_result_trans(bigint[], numeric, jsonb) IS 'kpi.unit_result transition function (with rules)';
COMMENT ON FUNCTION kpi.unit_result_combine(bigint[], bigint[]) IS 'kpi.unit_result combine function';
COMMENT ON FUNCTION kpi.unit_result_final(bigint[]) IS 'kpi.unit_result final function';

CREATE AGGREGATE kpi.annual_score(period_score numeric) (
	SFUNC = kpi.annual_score_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.annual_score_final,
	COMBINEFUNC = kpi.annual_score_combine,
	INITCOND = '{0,0,-1,-1}',
	MSFUNC = kpi.annual_score_trans,
	MINVFUNC = kpi.annual_score_inv,
	MSTYPE = bigint[],
	MFINALFUNC = kpi.annual_score_final,
	MINITCOND = '{0,0,-1,-1}',
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.annual_score(period_score numeric, rules jsonb) (
	SFUNC = kpi.annual_score_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.annual_score_final,
	COMBINEFUNC = kpi.annual_score_combine,
	INITCOND = '{0,0,-1,-1}',
	MSFUNC = kpi.annual_score_trans,
	MINVFUNC = kpi.annual_score_inv,
	MSTYPE = bigint[],
	MFINALFUNC = kpi.annual_score_final,
	MINITCOND = '{0,0,-1,-1}',
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.unit_result(subordinate_score numeric) (
	SFUNC = kpi.unit_result_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.unit_result_final,
	COMBINEFUNC = kpi.unit_result_combine,
	INITCOND = '{0,0,-1,-1,-1,-1,-1}',
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.unit_result(subordinate_score numeric, rules jsonb) (
	SFUNC = kpi.unit_result_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.unit_result_final,
	COMBINEFUNC = kpi.unit_result_combine,
	INITCOND = '{0,0,-1,-1,-1,-1,-1}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE kpi.annual_score(numeric) IS
'annual score: mean of the scored period totals as published (rounded), rounded to 2 decimals; NULL periods are left out (CS12, N0.4)';
COMMENT ON AGGREGATE kpi.annual_score(numeric, jsonb) IS
'annual score under the given rules (rounding scale)';
COMMENT ON AGGREGATE kpi.unit_result(numeric) IS
'leader criterion d: 100 when every scored subordinate reached 50, else 50; 100 when nobody was scored (CS10)';
COMMENT ON AGGREGATE kpi.unit_result(numeric, jsonb) IS
'leader criterion d under the given rules (threshold_complete, leader_full, leader_reduced)';

------------------------------------------------------------------------------
-- Helpers
------------------------------------------------------------------------------

-- Plain SQL so the planner inlines it into the query over the task table.
CREATE FUNCTION kpi.late_events(due date, done date)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN due IS NULL THEN NULL WHEN done > due THEN 1 ELSE 0 END;

COMMENT ON FUNCTION kpi.late_events(date, date) IS
'1 when done after due, else 0; a NULL done date (not done) is not late; NULL when due is NULL';

------------------------------------------------------------------------------
-- Year-end rating: quota, disqualifiers, screening (CS14-CS16)
------------------------------------------------------------------------------

CREATE FUNCTION kpi.quota_tier(tier kpi.tier, score numeric, task_points numeric,
                               general_points numeric, rate numeric DEFAULT NULL,
                               rules jsonb DEFAULT '{}')
RETURNS kpi.tier AS 'MODULE_PATHNAME', 'quota_tier' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION kpi.quota_tie(tier kpi.tier, score numeric, task_points numeric,
                              general_points numeric, rate numeric DEFAULT NULL,
                              rules jsonb DEFAULT '{}')
RETURNS boolean AS 'MODULE_PATHNAME', 'quota_tie' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE FUNCTION kpi.quota_kept(candidates bigint, good bigint, rate numeric DEFAULT NULL,
                               rules jsonb DEFAULT '{}')
RETURNS bigint AS 'MODULE_PATHNAME', 'quota_kept' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.quota_tier(kpi.tier, numeric, numeric, numeric, numeric, jsonb) IS
'window function: the tier after the excellent quota within the window partition (one unit and task group, CS15); demoted members become tot; rows with a NULL tier or score are ignored and get NULL, and NULL rules give NULL; rate NULL means the rules'' quota_rate (0.20)';
COMMENT ON FUNCTION kpi.quota_tie(kpi.tier, numeric, numeric, numeric, numeric, jsonb) IS
'window function: true for candidates tied on score, task points and general points across the quota cut, who need a manual decision (CS15)';
COMMENT ON FUNCTION kpi.quota_kept(bigint, bigint, numeric, jsonb) IS
'the number of excellent ratings a group keeps: min(N, floor(q (M + N) / (1 + q))), or floor(q (M + N)) under "quota_reading": "pooled" (CS15)';

CREATE TYPE kpi.discipline_form AS ENUM
	('khien_trach', 'canh_cao', 'ha_bac_luong', 'giang_chuc', 'cach_chuc', 'buoc_thoi_viec');

COMMENT ON TYPE kpi.discipline_form IS
'disciplinary forms for civil servants, lightest first: reprimand, warning, salary-grade demotion, demotion, removal from post, forced dismissal';

CREATE FUNCTION kpi.disqualifies(kind text, form kpi.discipline_form DEFAULT NULL,
                                 duty_related boolean DEFAULT NULL, is_leader boolean DEFAULT NULL,
                                 rules jsonb DEFAULT '{}')
RETURNS boolean AS 'MODULE_PATHNAME', 'disqualifies' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.disqualifies(text, kpi.discipline_form, boolean, boolean, jsonb) IS
'does one record force khong_hoan_thanh for its year (CS14)? kind ''degradation'': always; ''discipline'': duty-related and a reprimand or heavier; ''unit_corruption'': leaders only';

CREATE FUNCTION kpi.screening(years integer[], tiers kpi.tier[], rules jsonb DEFAULT '{}')
RETURNS text AS 'MODULE_PATHNAME', 'screening' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.screening(integer[], kpi.tier[], jsonb) IS
'screening flag for the last year of a tier history (CS16): ''out'' after 2 consecutive years not complete, ''down'' when not complete, ''up'' when excellent, else NULL';

-- Works over arrays rather than a table, so it stays IMMUTABLE and fits any unit table.
CREATE FUNCTION kpi.unit_scope(root bigint, unit_ids bigint[], parent_ids bigint[],
                               whole_subtree boolean DEFAULT true)
RETURNS SETOF bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
	IF cardinality(unit_ids) <> cardinality(parent_ids) THEN
		RAISE EXCEPTION 'unit_ids and parent_ids must have the same length'
			USING ERRCODE = '22023',
			      DETAIL = format('There are %s unit ids and %s parent ids.',
			                      cardinality(unit_ids), cardinality(parent_ids));
	END IF;
	IF array_position(unit_ids, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'unit_ids must not contain nulls'
			USING ERRCODE = '22004', DETAIL = 'Every unit needs an id; a root unit has a NULL parent id.';
	END IF;
	-- UNION (not UNION ALL) stops at units already reached, so cycles end
	RETURN QUERY
	WITH RECURSIVE tree(id, parent) AS (
		SELECT * FROM unnest(unit_ids, parent_ids)
	), scope(id) AS (
		SELECT root
		UNION
		SELECT t.id FROM tree t JOIN scope s ON t.parent = s.id WHERE whole_subtree
	)
	SELECT scope.id FROM scope;
END
$$;

COMMENT ON FUNCTION kpi.unit_scope(bigint, bigint[], bigint[], boolean) IS
'the units whose civil servants a leader of unit root manages (criterion d, CS10): the whole subtree by default, or root only; cycles are safe';

------------------------------------------------------------------------------
-- Deduction criteria in general form (rules.md GN1-GN3)
------------------------------------------------------------------------------

CREATE FUNCTION kpi.deduction_points(max_points numeric, per_event numeric, events bigint)
RETURNS numeric AS 'MODULE_PATHNAME', 'deduction_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- not STRICT: a NULL answered time means "not answered"
CREATE FUNCTION kpi.wait_events(started timestamptz, answered timestamptz, allowed interval,
                                as_of timestamptz DEFAULT NULL)
RETURNS integer AS 'MODULE_PATHNAME', 'wait_events' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.deduction_points(numeric, numeric, bigint) IS
'points of a deduction criterion: max(0, max_points - per_event x events), exact (GN1)';
COMMENT ON FUNCTION kpi.wait_events(timestamptz, timestamptz, interval, timestamptz) IS
'1 when answered - started > allowed, or when not answered and as_of - started > allowed, else 0 (GN2); elapsed calendar time, a day is 24 hours; NULL when started or allowed is NULL';

CREATE FUNCTION kpi.group_points_trans(bigint[], numeric, numeric)
RETURNS bigint[] AS 'MODULE_PATHNAME', 'group_points_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.group_points_combine(bigint[], bigint[])
RETURNS bigint[] AS 'MODULE_PATHNAME', 'group_points_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.group_points_final(bigint[])
RETURNS numeric AS 'MODULE_PATHNAME', 'group_points_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.group_points_trans(bigint[], numeric, numeric) IS 'kpi.group_points transition function';
COMMENT ON FUNCTION kpi.group_points_combine(bigint[], bigint[]) IS 'kpi.group_points combine function';
COMMENT ON FUNCTION kpi.group_points_final(bigint[]) IS 'kpi.group_points final function';

CREATE AGGREGATE kpi.group_points(points numeric, group_max numeric) (
	SFUNC = kpi.group_points_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.group_points_final,
	COMBINEFUNC = kpi.group_points_combine,
	INITCOND = '{0,0,-1}',
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE kpi.group_points(numeric, numeric) IS
'points of a group of criteria: least(sum(points), group_max), exact (GN3); group_max must be the same on every row; NULL over no rows';

------------------------------------------------------------------------------
-- Agencies (rules.md AG1-AG5)
------------------------------------------------------------------------------

CREATE FUNCTION kpi.agency_general_points(marks numeric[], rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'agency_general_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.agency_score(general numeric, work_plan kpi.tally, dossiers bigint,
                                 dossiers_on_time bigint, dossiers_online bigint,
                                 indices jsonb DEFAULT '{}', kind text DEFAULT 'ministry',
                                 rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'agency_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.agency_components(general numeric, work_plan kpi.tally, dossiers bigint,
                                      dossiers_on_time bigint, dossiers_online bigint,
                                      indices jsonb DEFAULT '{}', kind text DEFAULT 'ministry',
                                      rules jsonb DEFAULT '{}',
                                      OUT general_points numeric, OUT work_plan_points numeric,
                                      OUT procedures_points numeric, OUT par_points numeric,
                                      OUT sipas_points numeric, OUT pci_points numeric,
                                      OUT dti_points numeric, OUT score numeric)
AS 'MODULE_PATHNAME', 'agency_components' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.head_tier(head kpi.tier, agency kpi.tier, rules jsonb DEFAULT '{}')
RETURNS kpi.tier AS 'MODULE_PATHNAME', 'head_tier' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.head_capped(head kpi.tier, agency kpi.tier, rules jsonb DEFAULT '{}')
RETURNS boolean AS 'MODULE_PATHNAME', 'head_capped' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.agency_general_points(numeric[], jsonb) IS
'agency general-criteria points G: the sum of the marks, each checked against rules agency_marks_max (default 4 x 7.5, AG2)';
COMMENT ON FUNCTION kpi.agency_score(numeric, kpi.tally, bigint, bigint, bigint, jsonb, text, jsonb) IS
'agency score G + sum of template points x fraction (AG1-AG3): work plan KQ / 100 of the tally, procedures ((1 - w) on time + w online) / dossiers (full when no dossiers), indices as fractions 0..1; ministry 60 + 10, province 40 + 10 + 5 x 4 by default; rounded once; NULL when the work plan has nothing assigned';
COMMENT ON FUNCTION kpi.agency_components(numeric, kpi.tally, bigint, bigint, bigint, jsonb, text, jsonb) IS
'the points of G and of each template component of an agency score, unrounded, and the rounded score; NULL for components the template does not use';
COMMENT ON FUNCTION kpi.head_tier(kpi.tier, kpi.tier, jsonb) IS
'the tier of the head of an agency: least(head, agency) when rules head_cap is true, else head (AG5, off by default)';
COMMENT ON FUNCTION kpi.head_capped(kpi.tier, kpi.tier, jsonb) IS
'true when the AG5 cap lowered the head''s tier to the agency''s';

------------------------------------------------------------------------------
-- Indices (rules.md IX1-IX5)
------------------------------------------------------------------------------

CREATE FUNCTION kpi.index_check(code text, value numeric)
RETURNS numeric AS 'MODULE_PATHNAME', 'index_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.index_fraction(code text, value numeric, higher_is_better boolean DEFAULT true)
RETURNS numeric AS 'MODULE_PATHNAME', 'index_fraction' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.pci_composite(subindices numeric[],
                                  weights numeric[] DEFAULT '{0.05,0.05,0.20,0.05,0.10,0.05,0.05,0.20,0.20,0.05}')
RETURNS numeric AS 'MODULE_PATHNAME', 'pci_composite' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.pci_check(composite numeric, subindices numeric[],
                              weights numeric[] DEFAULT '{0.05,0.05,0.20,0.05,0.10,0.05,0.05,0.20,0.20,0.05}',
                              tolerance numeric DEFAULT 0)
RETURNS boolean AS 'MODULE_PATHNAME', 'pci_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.index_norm(code text, value numeric, method text DEFAULT NULL,
                               higher_is_better boolean DEFAULT true, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'index_norm' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;

COMMENT ON FUNCTION kpi.index_check(text, numeric) IS
'the value when it is within its index''s scale, else an error: par, sipas, pci 0..100; dti 0..1000 points; dti_ratio 0..1 (IX1-IX4); for CHECK constraints';
COMMENT ON FUNCTION kpi.index_fraction(text, numeric, boolean) IS
'an index value as a fraction 0..1 by its scale, exactly (value / 100, / 1000 or / 1); 1 - that when lower is better (IX5)';
COMMENT ON FUNCTION kpi.pci_composite(numeric[], numeric[]) IS
'PCI composite sum of w_k x 10 x s_k over sub-indices 0..10, exact; VCCI weights 5,5,20,5,10,5,5,20,20,5 % by default, weights must add up to 1 (IX3)';
COMMENT ON FUNCTION kpi.pci_check(numeric, numeric[], numeric[], numeric) IS
'true when a published PCI composite is within tolerance (default 0) of the composite of its sub-indices rounded half away from zero to 2 decimals';
COMMENT ON FUNCTION kpi.index_norm(text, numeric, text, boolean, jsonb) IS
'window function: the value as a fraction 0..1 (IX5) by ''scale'', ''minmax'' among the partition''s values (all equal: 1) or ''rank'' ((n - rank) / (n - 1), ties share the best rank, n = 1: 1); NULL values give NULL and are not peers; method NULL means rules index_method';

------------------------------------------------------------------------------
-- Law-making KPI pilot (rules.md LM1-LM4): the kpi.lawmaking summary
------------------------------------------------------------------------------

CREATE TYPE kpi.lawmaking;

CREATE FUNCTION kpi.lawmaking_in(cstring) RETURNS kpi.lawmaking
AS 'MODULE_PATHNAME', 'lawmaking_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lawmaking_out(kpi.lawmaking) RETURNS cstring
AS 'MODULE_PATHNAME', 'lawmaking_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lawmaking_recv(internal) RETURNS kpi.lawmaking
AS 'MODULE_PATHNAME', 'lawmaking_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lawmaking_send(kpi.lawmaking) RETURNS bytea
AS 'MODULE_PATHNAME', 'lawmaking_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE kpi.lawmaking (
	INPUT = kpi.lawmaking_in,
	OUTPUT = kpi.lawmaking_out,
	RECEIVE = kpi.lawmaking_recv,
	SEND = kpi.lawmaking_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);

COMMENT ON TYPE kpi.lawmaking IS
'mergeable summary of law-making documents for one period: documents due, on time, issued late, backlog, issued, passed first time, obstacles detected and resolved, initiatives (LM2-LM3)';
COMMENT ON FUNCTION kpi.lawmaking_in(cstring) IS 'kpi.lawmaking text input';
COMMENT ON FUNCTION kpi.lawmaking_out(kpi.lawmaking) IS 'kpi.lawmaking text output (exact, round-trips)';
COMMENT ON FUNCTION kpi.lawmaking_recv(internal) IS 'kpi.lawmaking binary input';
COMMENT ON FUNCTION kpi.lawmaking_send(kpi.lawmaking) IS 'kpi.lawmaking binary output';

-- not STRICT: a NULL issued date means "never issued"
CREATE FUNCTION kpi.lawmaking_agg_trans(kpi.lawmaking, date, date, integer, integer, integer,
                                        integer, date, date)
RETURNS kpi.lawmaking AS 'MODULE_PATHNAME', 'lawmaking_agg_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION kpi.lawmaking_combine(kpi.lawmaking, kpi.lawmaking)
RETURNS kpi.lawmaking AS 'MODULE_PATHNAME', 'lawmaking_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.lawmaking_agg_trans(kpi.lawmaking, date, date, integer, integer, integer, integer, date, date) IS
'kpi.lawmaking_agg transition function';
COMMENT ON FUNCTION kpi.lawmaking_combine(kpi.lawmaking, kpi.lawmaking) IS
'kpi.lawmaking_agg combine function and kpi.rollup(kpi.lawmaking) transition function: exact merge of summaries of the same period';

CREATE AGGREGATE kpi.lawmaking_agg(due date, issued date, times_returned integer,
                                   obstacles_detected integer, obstacles_resolved integer,
                                   initiatives integer, period_start date, period_end date) (
	SFUNC = kpi.lawmaking_agg_trans,
	STYPE = kpi.lawmaking,
	COMBINEFUNC = kpi.lawmaking_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.rollup(kpi.lawmaking) (
	SFUNC = kpi.lawmaking_combine,
	STYPE = kpi.lawmaking,
	COMBINEFUNC = kpi.lawmaking_combine,
	PARALLEL = SAFE
);

COMMENT ON AGGREGATE kpi.lawmaking_agg(date, date, integer, integer, integer, integer, date, date) IS
'summarise documents (due, issued, times returned, obstacles detected and resolved, initiatives) for the period [period_start, period_end] (LM1-LM3); pass every document, the backlog includes those due before the period; a row without a due date reports obstacles and initiatives dated by issued';
COMMENT ON AGGREGATE kpi.rollup(kpi.lawmaking) IS
'merge law-making summaries of the same period over different documents (units into a ministry), exactly';

CREATE FUNCTION kpi.lm_append(a kpi.lawmaking, b kpi.lawmaking)
RETURNS kpi.lawmaking AS 'MODULE_PATHNAME', 'lm_append' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lm_components(s kpi.lawmaking,
	OUT period_start date, OUT period_end date, OUT due_in_period bigint, OUT on_time bigint,
	OUT late_issued bigint, OUT backlog bigint, OUT issued_in_period bigint,
	OUT first_pass bigint, OUT obstacles_detected bigint, OUT obstacles_resolved bigint,
	OUT initiatives bigint)
AS 'MODULE_PATHNAME', 'lm_components' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lm_on_time_rate(s kpi.lawmaking)
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_on_time_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lm_first_pass_rate(s kpi.lawmaking)
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_first_pass_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lm_obstacle_rate(s kpi.lawmaking)
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_obstacle_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lm_backlog(s kpi.lawmaking)
RETURNS bigint AS 'MODULE_PATHNAME', 'lm_backlog' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lm_late_issued(s kpi.lawmaking)
RETURNS bigint AS 'MODULE_PATHNAME', 'lm_late_issued' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lm_initiatives(s kpi.lawmaking)
RETURNS bigint AS 'MODULE_PATHNAME', 'lm_initiatives' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lm_score(s kpi.lawmaking, impact numeric, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'lm_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.lm_points(s kpi.lawmaking, impact numeric, rules jsonb DEFAULT '{}',
	OUT progress_points numeric, OUT quality_points numeric, OUT obstacles_points numeric,
	OUT initiatives_points numeric, OUT impact_points numeric, OUT score numeric)
AS 'MODULE_PATHNAME', 'lm_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION kpi.period_bounds(kind text, start date, OUT period_start date, OUT period_end date)
AS 'MODULE_PATHNAME', 'period_bounds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Plain SQL so the planner inlines it into FILTER clauses.
CREATE FUNCTION kpi.lm_is_backlog(due date, issued date, period_end date)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN due <= period_end AND (issued IS NULL OR issued > period_end);

COMMENT ON FUNCTION kpi.lm_append(kpi.lawmaking, kpi.lawmaking) IS
'the summary of two consecutive periods over the same documents (two quarters into a half-year): counts add up, the backlog is the later period''s';
COMMENT ON FUNCTION kpi.lm_components(kpi.lawmaking) IS
'every field of a law-making summary: period bounds and counts';
COMMENT ON FUNCTION kpi.lm_on_time_rate(kpi.lawmaking) IS
'percent of the documents due in the period that were issued by their due date (LM3); NULL when none was due';
COMMENT ON FUNCTION kpi.lm_first_pass_rate(kpi.lawmaking) IS
'percent of the documents issued in the period that were never returned for quality (LM3); NULL when none was issued';
COMMENT ON FUNCTION kpi.lm_obstacle_rate(kpi.lawmaking) IS
'percent of the obstacles detected that were resolved (LM3); NULL when none was detected';
COMMENT ON FUNCTION kpi.lm_backlog(kpi.lawmaking) IS
'backlog (no dong): documents due on or before the period end and not issued by then, including those due before the period (LM3)';
COMMENT ON FUNCTION kpi.lm_late_issued(kpi.lawmaking) IS
'documents issued in the period after their due date (LM3)';
COMMENT ON FUNCTION kpi.lm_initiatives(kpi.lawmaking) IS
'institutional initiatives of the period (LM3)';
COMMENT ON FUNCTION kpi.lm_score(kpi.lawmaking, numeric, jsonb) IS
'law-making score (LM4): progress 40 x on-time share, quality 30 x first-pass share, obstacles 15 x resolved share, initiatives 5 x min(1, n / target), plus the impact mark 0..10; a share with nothing to measure earns full points; rounded once; NULL when nothing was due, issued or detected';
COMMENT ON FUNCTION kpi.lm_points(kpi.lawmaking, numeric, jsonb) IS
'the points of each law-making component, unrounded, and the rounded score (LM4)';
COMMENT ON FUNCTION kpi.period_bounds(text, date) IS
'first and last day of the ''month'', ''quarter'', ''half'' or ''year'' starting on start (LM1); start on day 1 to 28; periods may cross a year end';
COMMENT ON FUNCTION kpi.lm_is_backlog(date, date, date) IS
'true when a document due on due and issued on issued (NULL: never) is outstanding at period_end (LM3), for listing the backlog';
