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

------------------------------------------------------------------------------
-- Reference schema and evaluation runs (RS1-RS2)
--
-- Tables for an organisation (units, officials, task lines, marks, leader
-- criteria, disciplinary records, agency inputs, index values, law-making
-- documents) and versioned rule sets; kpi.evaluate writes append-only results
-- with an explanation ledger.  This layer orchestrates: every score, tier,
-- quota decision and rule is computed by the functions above.
------------------------------------------------------------------------------

-- Rule sets --------------------------------------------------------------------

CREATE TABLE kpi.rule_set (
	rule_set_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE,
	effective daterange NOT NULL CHECK (NOT isempty(effective)),
	rules jsonb NOT NULL DEFAULT '{}' CHECK (kpi.effective_rules(rules) IS NOT NULL),
	is_draft boolean NOT NULL DEFAULT false,
	seeded boolean NOT NULL DEFAULT false,
	-- the seeded Decree 335 set is the fallback: sets of yours may cover it
	CONSTRAINT rule_set_no_overlap EXCLUDE USING gist (effective WITH &&) WHERE (NOT is_draft AND NOT seeded)
);

INSERT INTO kpi.rule_set (name, effective, rules, seeded)
VALUES ('Decree 335/2025/ND-CP', '[2026-01-01,)', '{}', true);

SELECT pg_catalog.pg_extension_config_dump('kpi.rule_set', 'WHERE NOT seeded');
SELECT pg_catalog.pg_extension_config_dump('kpi.rule_set_rule_set_id_seq', '');

COMMENT ON TABLE kpi.rule_set IS
'versioned rule sets (RS1-RS2): rules jsonb (only the keys that differ from Decree 335) in force over the effective date range; drafts are for kpi.what_if and may overlap; non-draft sets of yours may not overlap each other and take precedence over the seeded Decree 335 set';
COMMENT ON SEQUENCE kpi.rule_set_rule_set_id_seq IS 'identity of kpi.rule_set';
COMMENT ON COLUMN kpi.rule_set.effective IS 'days the rule set is in force; an evaluation uses the set in force on the period''s last day';
COMMENT ON COLUMN kpi.rule_set.seeded IS 'true for the Decree 335 set created by the extension (read-only, not dumped by pg_dump)';

CREATE FUNCTION kpi.rule_set_guard()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		RAISE EXCEPTION 'kpi.rule_set cannot be truncated'
			USING ERRCODE = '55000',
			      DETAIL = 'It holds the seeded Decree 335 rule set, which the extension owns.',
			      HINT = 'Delete your own rule sets with DELETE.';
	END IF;
	IF TG_OP = 'INSERT' THEN
		IF NEW.seeded THEN
			RAISE EXCEPTION 'only the extension seeds rule sets'
				USING ERRCODE = '55000',
				      DETAIL = 'A rule set with seeded = true would not be saved by pg_dump.',
				      HINT = 'Insert it with seeded = false.';
		END IF;
		RETURN NEW;
	END IF;
	IF OLD.seeded THEN
		RAISE EXCEPTION 'the seeded rule set "%" cannot be changed', OLD.name
			USING ERRCODE = '55000',
			      DETAIL = 'It is part of the extension and is not saved by pg_dump.',
			      HINT = 'Add a rule set of your own: where its effective range overlaps the seeded one, it takes precedence.';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		IF NEW.seeded THEN
			RAISE EXCEPTION 'only the extension seeds rule sets' USING ERRCODE = '55000';
		END IF;
		IF EXISTS (SELECT 1 FROM kpi.evaluation_run r
		           WHERE r.rule_set_id = OLD.rule_set_id
		             AND (NEW.rules IS DISTINCT FROM OLD.rules OR NEW.is_draft
		                  OR NOT NEW.effective @> r.period_end)) THEN
			RAISE EXCEPTION 'rule set "%" is used by evaluation runs', OLD.name
				USING ERRCODE = '55000',
				      DETAIL = 'Its rules cannot change, it cannot become a draft, and its effective range must keep every evaluated period''s last day, so that past results can be recomputed.',
				      HINT = 'Add a new rule set for the days it should cover.';
		END IF;
		RETURN NEW;
	END IF;
	RETURN OLD;
END
$$;

COMMENT ON FUNCTION kpi.rule_set_guard() IS
'trigger of kpi.rule_set: the seeded set is read-only, nobody else seeds, and a set used by evaluation runs keeps its rules and covers their periods';

CREATE TRIGGER rule_set_guard BEFORE INSERT OR UPDATE OR DELETE ON kpi.rule_set
	FOR EACH ROW EXECUTE FUNCTION kpi.rule_set_guard();
CREATE TRIGGER rule_set_no_truncate BEFORE TRUNCATE ON kpi.rule_set
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.rule_set_guard();

CREATE FUNCTION kpi.rule_set_for(day date)
RETURNS integer
LANGUAGE plpgsql STABLE STRICT
AS $$
DECLARE
	v_id integer;
BEGIN
	SELECT s.rule_set_id INTO v_id
	FROM kpi.rule_set s
	WHERE NOT s.is_draft AND s.effective @> day
	ORDER BY s.seeded, s.rule_set_id
	LIMIT 1;
	IF v_id IS NULL THEN
		RAISE EXCEPTION 'no kpi rule set is in force on %', to_char(day, 'YYYY-MM-DD')
			USING ERRCODE = '55000',
			      HINT = 'Add a non-draft rule set whose effective range contains that day to kpi.rule_set.';
	END IF;
	RETURN v_id;
END
$$;

COMMENT ON FUNCTION kpi.rule_set_for(date) IS
'the id of the non-draft rule set in force on day: one of yours if its range contains the day, else the seeded Decree 335 set; an error (55000) when none is';

-- Organisation and inputs ----------------------------------------------------

CREATE TABLE kpi.unit (
	unit_id bigint PRIMARY KEY,
	parent_id bigint REFERENCES kpi.unit,
	name text NOT NULL,
	agency_kind text CHECK (agency_kind IN ('ministry', 'province')),
	reporting_role name,
	CHECK (parent_id <> unit_id)
);
CREATE INDEX ON kpi.unit (parent_id);

COMMENT ON TABLE kpi.unit IS
'units of the organisation, a tree (parent_id NULL at a root); a unit with agency_kind is an agency rated yearly (AG1-AG5)';
COMMENT ON COLUMN kpi.unit.agency_kind IS '''ministry'' or ''province'': the unit is a rated agency with that template (AG3); NULL: not rated';
COMMENT ON COLUMN kpi.unit.reporting_role IS 'the database role that reports on this unit''s subtree (for row-level security)';

CREATE TABLE kpi.official (
	official_id bigint PRIMARY KEY,
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	full_name text NOT NULL,
	is_leader boolean NOT NULL DEFAULT false,
	leads_unit bigint REFERENCES kpi.unit,
	task_group text NOT NULL DEFAULT 'default',
	quota_group text
);
CREATE INDEX ON kpi.official (unit_id);
CREATE INDEX ON kpi.official (leads_unit);

COMMENT ON TABLE kpi.official IS
'civil servants: their unit, leader flag (scored with d, dd, e: CS10), the unit in a leader''s direct charge and the task group of the quota (CS15)';
COMMENT ON COLUMN kpi.official.leads_unit IS
'for a leader, the unit in their direct charge (criterion d covers the non-leaders of its subtree; unit_corruption records of it disqualify them); NULL means the leader''s own unit';
COMMENT ON COLUMN kpi.official.task_group IS 'group of civil servants with similar tasks: the quota applies per unit and task group (CS15)';
COMMENT ON COLUMN kpi.official.quota_group IS 'a named quota group that spans units (for example the heads of an agency''s units, rated together by its head): officials with the same quota_group share one excellent quota; NULL: the quota group is the official''s unit and task group (CS15)';

CREATE TABLE kpi.task_line (
	task_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	official_id bigint REFERENCES kpi.official,
	unit_id bigint REFERENCES kpi.unit,
	title text,
	due date NOT NULL,
	done date,
	coef numeric NOT NULL DEFAULT 1,
	assigned_qty numeric NOT NULL DEFAULT 1,
	completed_qty numeric NOT NULL DEFAULT 0,
	passed_qty numeric NOT NULL DEFAULT 0,
	quality_errors integer NOT NULL DEFAULT 0,
	late_events integer NOT NULL DEFAULT 0,
	CONSTRAINT task_line_one_owner CHECK ((official_id IS NULL) <> (unit_id IS NULL))
);
CREATE INDEX ON kpi.task_line (official_id, due);
CREATE INDEX ON kpi.task_line (unit_id, due) WHERE unit_id IS NOT NULL;
CREATE INDEX ON kpi.task_line (due);

COMMENT ON TABLE kpi.task_line IS
'task lines (CS4) of an official, or of an agency''s own work plan (unit_id, AG3); a line belongs to the period its due date falls in (CS2); values are checked by kpi.tally_agg when evaluated';
COMMENT ON SEQUENCE kpi.task_line_task_id_seq IS 'identity of kpi.task_line';
COMMENT ON COLUMN kpi.task_line.late_events IS 'missed deadlines, excluding those certified as objective (CS7); kpi.late_events(due, done) gives 0 or 1';

CREATE TABLE kpi.general_mark (
	official_id bigint NOT NULL REFERENCES kpi.official,
	period_start date NOT NULL,
	marks numeric[] NOT NULL CHECK (kpi.general_points(marks) IS NOT NULL),
	PRIMARY KEY (official_id, period_start)
);
CREATE INDEX ON kpi.general_mark (period_start);

COMMENT ON TABLE kpi.general_mark IS
'the marks of the general-criteria form (CS3) of an official for the period starting period_start (a month, or a quarter when quarters are evaluated)';

CREATE TABLE kpi.leader_criteria (
	official_id bigint NOT NULL REFERENCES kpi.official,
	period_start date NOT NULL,
	dd numeric,
	e numeric,
	PRIMARY KEY (official_id, period_start)
);
CREATE INDEX ON kpi.leader_criteria (period_start);

COMMENT ON TABLE kpi.leader_criteria IS
'a leader''s criteria dd (organising implementation) and e (uniting the staff) for a period (CS10): leader_full (100) or leader_reduced (50); a missing row or a NULL value means leader_full';

CREATE TABLE kpi.disciplinary_record (
	record_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	official_id bigint REFERENCES kpi.official,
	unit_id bigint REFERENCES kpi.unit,
	decided_on date NOT NULL,
	kind text NOT NULL CHECK (kind IN ('degradation', 'discipline', 'unit_corruption')),
	form kpi.discipline_form,
	duty_related boolean,
	CONSTRAINT disciplinary_record_subject CHECK ((official_id IS NULL) <> (unit_id IS NULL)),
	CONSTRAINT disciplinary_record_unit_kind CHECK ((kind = 'unit_corruption') = (unit_id IS NOT NULL))
);
CREATE INDEX ON kpi.disciplinary_record (decided_on);

COMMENT ON TABLE kpi.disciplinary_record IS
'decisions that may disqualify for the year they are dated in (CS14): degradation or discipline of an official; unit_corruption of a unit, which applies to the leaders in charge of it';
COMMENT ON SEQUENCE kpi.disciplinary_record_record_id_seq IS 'identity of kpi.disciplinary_record';

CREATE TABLE kpi.quota_approval (
	approval_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	year integer NOT NULL,
	unit_id bigint REFERENCES kpi.unit,
	task_group text,
	quota_group text,
	rate numeric NOT NULL CHECK (kpi.quota_kept(0, 0, rate) IS NOT NULL),
	decision text,
	CONSTRAINT quota_approval_target CHECK ((unit_id IS NULL) <> (quota_group IS NULL)),
	CONSTRAINT quota_approval_task_group CHECK (task_group IS NULL OR unit_id IS NOT NULL),
	CONSTRAINT quota_approval_once UNIQUE NULLS NOT DISTINCT (year, unit_id, task_group, quota_group)
);

COMMENT ON TABLE kpi.quota_approval IS
'a higher excellent quota rate approved for a year (CS15: "an authority may approve a higher rate for an outstanding unit"): for a named quota_group, or for a unit''s task_group, or for every task group of a unit (task_group NULL); the most specific row applies, else the rule set''s quota_rate';
COMMENT ON SEQUENCE kpi.quota_approval_approval_id_seq IS 'identity of kpi.quota_approval';
COMMENT ON COLUMN kpi.quota_approval.rate IS 'the approved rate q, 0 to 1, checked by kpi.quota_kept';
COMMENT ON COLUMN kpi.quota_approval.decision IS 'the approving decision (number, date, authority), shown in the ledger';

CREATE TABLE kpi.index_value (
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	year integer NOT NULL,
	code text NOT NULL,
	value numeric NOT NULL,
	PRIMARY KEY (unit_id, year, code),
	CHECK (kpi.index_check(code, value) IS NOT NULL)
);
-- dti and dti_ratio are the same template component
CREATE UNIQUE INDEX index_value_one_dti ON kpi.index_value
	(unit_id, year, (CASE code WHEN 'dti_ratio' THEN 'dti' ELSE code END));

COMMENT ON TABLE kpi.index_value IS
'published index values of an agency for a year (IX1-IX4: par, sipas, pci, dti or dti_ratio), checked by kpi.index_check and used as fractions by scale (kpi.index_fraction)';

CREATE TABLE kpi.agency_input (
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	year integer NOT NULL,
	marks numeric[] NOT NULL,
	dossiers bigint NOT NULL DEFAULT 0,
	dossiers_on_time bigint NOT NULL DEFAULT 0,
	dossiers_online bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (unit_id, year)
);

COMMENT ON TABLE kpi.agency_input IS
'an agency''s yearly inputs (AG2-AG3): general-criteria marks and administrative-procedure dossiers (total, settled on time, handled online)';

CREATE TABLE kpi.lawmaking_document (
	doc_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	role text NOT NULL,
	title text,
	due date,
	issued date,
	times_returned integer NOT NULL DEFAULT 0 CHECK (times_returned >= 0),
	obstacles_detected integer NOT NULL DEFAULT 0 CHECK (obstacles_detected >= 0),
	obstacles_resolved integer NOT NULL DEFAULT 0 CHECK (obstacles_resolved >= 0),
	initiatives integer NOT NULL DEFAULT 0 CHECK (initiatives >= 0),
	CHECK (obstacles_resolved <= obstacles_detected)
);
CREATE INDEX ON kpi.lawmaking_document (unit_id, role);

COMMENT ON TABLE kpi.lawmaking_document IS
'law-making documents of a ministry (LM2): its role (drafting, appraisal, ...), due and issue dates, times returned, obstacles, initiatives; summarise with kpi.lawmaking_agg';
COMMENT ON SEQUENCE kpi.lawmaking_document_doc_id_seq IS 'identity of kpi.lawmaking_document';

-- Results (append-only) --------------------------------------------------------

CREATE TABLE kpi.evaluation_run (
	run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	period_start date NOT NULL,
	period_end date NOT NULL,
	period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
	rule_set_id integer NOT NULL REFERENCES kpi.rule_set,
	engine_version text,
	created_at timestamptz NOT NULL DEFAULT now(),
	created_by name NOT NULL DEFAULT current_user,
	supersedes bigint UNIQUE REFERENCES kpi.evaluation_run,
	CHECK (period_end >= period_start)
);
-- one first run per period; every later run names the run it supersedes (at
-- most once): no two current runs of a period, whatever the isolation level
CREATE UNIQUE INDEX evaluation_run_first_per_period ON kpi.evaluation_run (period_kind, period_start)
	WHERE supersedes IS NULL;
CREATE INDEX ON kpi.evaluation_run (period_start);

COMMENT ON TABLE kpi.evaluation_run IS
'one row per kpi.evaluate call that succeeded: the period, the rule set in force on its last day, the engine version, who and when; append-only';
COMMENT ON SEQUENCE kpi.evaluation_run_run_id_seq IS 'identity of kpi.evaluation_run';
COMMENT ON COLUMN kpi.evaluation_run.supersedes IS 'the run of the same period this run replaced (also recorded in kpi.run_supersession)';

CREATE TABLE kpi.run_supersession (
	run_id bigint PRIMARY KEY REFERENCES kpi.evaluation_run,
	superseded_by bigint NOT NULL UNIQUE REFERENCES kpi.evaluation_run,
	superseded_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE kpi.run_supersession IS
'runs that are no longer current: run_id was replaced by superseded_by (kpi.evaluate with supersede => true); the old results stay; append-only';

CREATE TABLE kpi.official_result (
	run_id bigint NOT NULL REFERENCES kpi.evaluation_run,
	official_id bigint NOT NULL REFERENCES kpi.official,
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	task_group text NOT NULL,
	is_leader boolean NOT NULL,
	period_start date NOT NULL,
	period_kind text NOT NULL,
	general_points numeric,
	quantity_pct numeric,
	quality_pct numeric,
	progress_pct numeric,
	task_pct numeric,
	task_points numeric,
	d numeric,
	dd numeric,
	e numeric,
	score numeric,
	tier kpi.tier,
	disqualified boolean,
	quota_tier kpi.tier,
	quota_tie boolean,
	quota_group text,
	quota_rate numeric,
	tally kpi.tally,
	input_digest text NOT NULL,
	PRIMARY KEY (run_id, official_id)
);
CREATE INDEX ON kpi.official_result (official_id, period_start);
CREATE INDEX ON kpi.official_result (unit_id);

COMMENT ON TABLE kpi.official_result IS
'an official''s result in a run: G, a, b, c, KQ, T, leader criteria, the score (NULL when nothing was assigned, N0.4), tier; for a year also disqualified, the tier after the quota and quota ties; the tally and an md5 of the inputs used; append-only';
COMMENT ON COLUMN kpi.official_result.general_points IS 'G of the period; for a year, the mean G of the scored periods (the quota''s second tie-break)';
COMMENT ON COLUMN kpi.official_result.task_points IS 'T of the period; for a year, T of the year''s merged tally (the quota''s first tie-break)';
COMMENT ON COLUMN kpi.official_result.quota_group IS 'for a year, the official''s named quota group (kpi.official.quota_group); NULL: their unit and task group';
COMMENT ON COLUMN kpi.official_result.quota_rate IS 'for a year, the quota rate applied to the official''s group: an approved rate (kpi.quota_approval) or the rule set''s quota_rate';
COMMENT ON COLUMN kpi.official_result.input_digest IS 'md5 of the inputs used (task lines, marks, criteria, d, records, periods, effective rules): equal digests mean a recomputation must give the same result';

CREATE TABLE kpi.agency_result (
	run_id bigint NOT NULL REFERENCES kpi.evaluation_run,
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	year integer NOT NULL,
	score numeric,
	components jsonb,
	tier kpi.tier,
	head_official_id bigint REFERENCES kpi.official,
	head_tier kpi.tier,
	head_capped boolean,
	input_digest text NOT NULL,
	PRIMARY KEY (run_id, unit_id)
);

COMMENT ON TABLE kpi.agency_result IS
'an agency''s yearly result in a year run (AG1-AG5): score, component points (kpi.agency_components), tier, and its head''s tier after the optional cap; append-only';

CREATE TABLE kpi.ledger (
	run_id bigint NOT NULL,
	official_id bigint NOT NULL,
	unit_id bigint NOT NULL,	-- the result's unit_id, copied for row-level security
	line_no integer NOT NULL,
	rule_id text NOT NULL,
	source_table text,
	source_id bigint,
	points_lost numeric NOT NULL,
	detail jsonb NOT NULL DEFAULT '{}',
	PRIMARY KEY (run_id, official_id, line_no),
	FOREIGN KEY (run_id, official_id) REFERENCES kpi.official_result
);

COMMENT ON TABLE kpi.ledger IS
'explanation ledger: the points an official lost in a run, one row per cause with its rule id and source row, adding up exactly to 100 - score (an N0.3 row takes the rounding); detail keeps the facts used, for kpi.explain; append-only';

CREATE TABLE kpi.agency_ledger (
	run_id bigint NOT NULL,
	unit_id bigint NOT NULL,
	line_no integer NOT NULL,
	rule_id text NOT NULL,
	source_table text,
	source_id bigint,
	points_lost numeric NOT NULL,
	detail jsonb NOT NULL DEFAULT '{}',
	PRIMARY KEY (run_id, unit_id, line_no),
	FOREIGN KEY (run_id, unit_id) REFERENCES kpi.agency_result
);

COMMENT ON TABLE kpi.agency_ledger IS
'explanation ledger of an agency''s yearly result: one row per cause (AG2 marks, CS5-CS8 over its work-plan lines, AG3 procedures, IX1-IX4 indices) with its source row, adding up exactly to 100 - score (an N0.3 row takes the rounding); append-only';

CREATE FUNCTION kpi.refuse_result_change()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
	RAISE EXCEPTION 'kpi results are append-only'
		USING ERRCODE = '55000',
		      DETAIL = format('%s on %I.%I is not allowed.', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME),
		      HINT = 'To replace the results of a period, CALL kpi.evaluate(period_start, period_kind, supersede => true).';
END
$$;

COMMENT ON FUNCTION kpi.refuse_result_change() IS
'trigger of the result tables: refuses UPDATE, DELETE and TRUNCATE (kpi results are append-only)';

CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.evaluation_run
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.evaluation_run
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.run_supersession
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.run_supersession
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.official_result
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.official_result
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.agency_result
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.agency_result
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.ledger
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.ledger
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON kpi.agency_ledger
	FOR EACH ROW EXECUTE FUNCTION kpi.refuse_result_change();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON kpi.agency_ledger
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.refuse_result_change();

-- pg_dump dumps the rows of every input and result table
SELECT pg_catalog.pg_extension_config_dump('kpi.unit', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.official', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.task_line', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.task_line_task_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.general_mark', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.leader_criteria', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.disciplinary_record', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.disciplinary_record_record_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.quota_approval', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.quota_approval_approval_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.index_value', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.agency_input', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.lawmaking_document', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.lawmaking_document_doc_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.evaluation_run', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.evaluation_run_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.run_supersession', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.official_result', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.agency_result', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.ledger', '');
SELECT pg_catalog.pg_extension_config_dump('kpi.agency_ledger', '');

-- Scoring ----------------------------------------------------------------------

CREATE FUNCTION kpi.evaluation_period_end(period_start date, period_kind text)
RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
	IF period_kind NOT IN ('month', 'quarter', 'year') THEN
		RAISE EXCEPTION 'unknown evaluation period kind "%"', period_kind
			USING ERRCODE = '22023', HINT = 'The period kind is ''month'', ''quarter'' or ''year''.';
	END IF;
	IF extract(day FROM period_start) <> 1
	   OR (period_kind = 'quarter' AND extract(month FROM period_start) NOT IN (1, 4, 7, 10))
	   OR (period_kind = 'year' AND extract(month FROM period_start) <> 1) THEN
		RAISE EXCEPTION 'a % period cannot start on %', period_kind, to_char(period_start, 'YYYY-MM-DD')
			USING ERRCODE = '22023',
			      HINT = CASE period_kind
			             WHEN 'month' THEN 'A month starts on its first day.'
			             WHEN 'quarter' THEN 'A quarter starts on 1 January, 1 April, 1 July or 1 October.'
			             ELSE 'A year starts on 1 January.' END;
	END IF;
	RETURN (kpi.period_bounds(period_kind, period_start)).period_end;
END
$$;

COMMENT ON FUNCTION kpi.evaluation_period_end(date, text) IS
'the last day of the evaluation period (''month'', ''quarter'' or ''year'') starting on period_start; an error (22023) unless it starts a calendar month, quarter or year';

CREATE TYPE kpi.ledger_entry AS (
	rule_id text,
	source_table text,
	source_id bigint,
	points_lost numeric,
	detail jsonb
);

COMMENT ON TYPE kpi.ledger_entry IS
'one explanation ledger row as kpi.score_period and kpi.score_agencies return it (explain => true): the rule id, the source row, the points lost and the facts used; kpi.evaluate numbers them into kpi.ledger and kpi.agency_ledger';

-- Ledger rows shared by officials and agencies (inlined SQL functions)

CREATE FUNCTION kpi.ledger_mark_rows(marks numeric[], maxima jsonb)
RETURNS TABLE (mark_no bigint, mark numeric, max numeric, points_lost numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT mk.n, mk.v, mx.m, round(mx.m - mk.v, 6)
	FROM unnest(marks) WITH ORDINALITY AS mk(v, n)
	CROSS JOIN LATERAL (SELECT (maxima ->> (mk.n::int - 1))::numeric AS m) mx
	WHERE mx.m <> mk.v
$$;

COMMENT ON FUNCTION kpi.ledger_mark_rows(numeric[], jsonb) IS
'ledger rows of a general-criteria form (CS3, AG2): each mark below its maximum (maxima: the rules'' general_marks_max or agency_marks_max) and the points it lost, maximum - mark';

CREATE FUNCTION kpi.ledger_line_rows(t kpi.tally, points numeric, k integer, period_assigned numeric,
                                     strict boolean)
RETURNS TABLE (component integer, rule_id text, points_lost numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT comp.o, comp.rule_id, round(points * (c.assigned - comp.credit) / (k * period_assigned), 6)
	FROM kpi.tally_components(t) c
	CROSS JOIN LATERAL (VALUES
		(1, 'CS5', c.quantity_credit),
		(2, 'CS6', c.quality_credit),
		(3, 'CS7', CASE WHEN strict THEN c.progress_credit_strict ELSE c.progress_credit END)
	) AS comp(o, rule_id, credit)
	WHERE c.assigned <> comp.credit
$$;

COMMENT ON FUNCTION kpi.ledger_line_rows(kpi.tally, numeric, integer, numeric, boolean) IS
'ledger rows of one task line''s tally t (CS5-CS7): for quantity, quality and progress (strict: the strict progress reading), points / k x (assigned - credit) / period_assigned, where points is the task points (or an agency''s work-plan points), k is 3 (6 for a leader) and period_assigned the assigned weight of the whole period; negative for over-completion';

CREATE FUNCTION kpi.ledger_cap_rows(t kpi.tally, points numeric, k integer, strict boolean, rules jsonb)
RETURNS TABLE (component integer, name text, pct numeric, points_lost numeric)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT comp.o, comp.name, comp.pct, round(points * (comp.credit - c.assigned) / (k * c.assigned), 6)
	FROM kpi.tally_components(t) c
	CROSS JOIN LATERAL (VALUES
		(1, 'quantity', c.quantity_credit, kpi.quantity_pct(t, rules || '{"cap": false}')),
		(2, 'quality', c.quality_credit, kpi.quality_pct(t, rules || '{"cap": false}')),
		(3, 'progress', CASE WHEN strict THEN c.progress_credit_strict ELSE c.progress_credit END,
		 kpi.progress_pct(t, rules || '{"cap": false}'))
	) AS comp(o, name, credit, pct)
	WHERE comp.credit > c.assigned
$$;

COMMENT ON FUNCTION kpi.ledger_cap_rows(kpi.tally, numeric, integer, boolean, jsonb) IS
'ledger rows of the 100% cap (CS8) over a period''s tally t: each component above 100% (its uncapped percentage pct) gives back points / k x (credit - assigned) / assigned, so that its over-completion rows and this row add up to 0; the caller keeps them only when the rules cap';

CREATE FUNCTION kpi.ledger_close(entries kpi.ledger_entry[], score numeric)
RETURNS kpi.ledger_entry[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT coalesce(entries, '{}')
	       || ROW('N0.3', NULL, NULL,
	              100 - score - coalesce((SELECT sum(e.points_lost) FROM unnest(entries) e), 0),
	              jsonb_build_object('score', score))::kpi.ledger_entry
$$;

COMMENT ON FUNCTION kpi.ledger_close(kpi.ledger_entry[], numeric) IS
'a result''s ledger: its entries and a last N0.3 row that takes the rest, 100 - score - the entries'' points, so that the ledger adds up exactly to 100 - score';

CREATE TYPE kpi.score_input AS (
	official_id bigint,
	unit_id bigint,
	is_leader boolean,
	scope bigint[],
	general numeric,
	tally kpi.tally,
	dd numeric,
	e numeric
);

COMMENT ON TYPE kpi.score_input IS
'what kpi.score_inputs needs of one official for one period: unit, leader flag, the units a leader manages (criterion d), G, the tally and dd, e';

CREATE FUNCTION kpi.score_inputs(inputs kpi.score_input[], rules jsonb DEFAULT '{}')
RETURNS TABLE (official_id bigint, quantity_pct numeric, quality_pct numeric, progress_pct numeric,
               task_pct numeric, task_points numeric, d numeric, dd numeric, e numeric,
               score numeric, tier kpi.tier)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	WITH RECURSIVE
	i AS MATERIALIZED (
		SELECT * FROM unnest(inputs)
	),
	eff AS MATERIALIZED (	-- once, not per row
		SELECT (r ->> 'leader_full')::numeric AS full, (r ->> 'leader_reduced')::numeric AS reduced,
		       (r ->> 'threshold_complete')::numeric AS pass
		FROM kpi.effective_rules(rules) r
	),
	-- the non-leaders: G + 0.70 x KQ
	staff AS MATERIALIZED (
		SELECT i.official_id, i.unit_id, kpi.period_score(i.general, i.tally, rules) AS score
		FROM i WHERE NOT i.is_leader
	),
	lead AS MATERIALIZED (
		SELECT i.official_id, i.unit_id, i.general, i.tally,
		       coalesce(i.dd, f.full) AS dd, coalesce(i.e, f.full) AS e,
		       (SELECT count(DISTINCT u) FROM unnest(i.scope) u WHERE u IS NOT NULL) AS n_units,
		       NOT coalesce(i.unit_id = ANY (i.scope), false) AS outside
		FROM i CROSS JOIN eff f
		WHERE i.is_leader
	),
	lu AS MATERIALIZED (	-- a leader and each unit of their scope
		SELECT DISTINCT i.official_id, u.unit_id
		FROM i CROSS JOIN LATERAL unnest(i.scope) AS u(unit_id)
		WHERE i.is_leader AND u.unit_id IS NOT NULL
	),
	-- leader L manages leader M when M's unit is in L's scope and M's scope is a
	-- proper subset of L's, or the same units with L sitting outside them and M
	-- inside (an agency's deputy over a unit's head); else they are peers
	cand AS (
		SELECT lu.official_id AS lid, m.official_id AS mid, m.n_units
		FROM lu
		JOIN lead m ON m.unit_id = lu.unit_id
		JOIN lead l ON l.official_id = lu.official_id
		WHERE m.official_id <> l.official_id
		  AND (m.n_units < l.n_units OR (m.n_units = l.n_units AND l.outside AND NOT m.outside))
	),
	pairs AS MATERIALIZED (
		SELECT c.lid, c.mid FROM cand c WHERE c.n_units = 0
		UNION ALL
		SELECT c.lid, c.mid
		FROM cand c
		JOIN lu mu ON mu.official_id = c.mid
		JOIN lu lu2 ON lu2.official_id = c.lid AND lu2.unit_id = mu.unit_id
		WHERE c.n_units > 0
		GROUP BY c.lid, c.mid, c.n_units
		HAVING count(*) = c.n_units
	),
	-- a scored non-leader below "complete" in a leader's scope
	staff_bad AS MATERIALIZED (
		SELECT DISTINCT lu.official_id
		FROM lu JOIN staff s ON s.unit_id = lu.unit_id
		CROSS JOIN eff f
		WHERE s.score < f.pass
	),
	-- each leader's score with d = 100 and with d = 50
	both_d AS MATERIALIZED (
		SELECT l.official_id,
		       kpi.period_score(l.general, l.tally, f.full, l.dd, l.e, rules) AS s_full,
		       kpi.period_score(l.general, l.tally, f.reduced, l.dd, l.e, rules) AS s_reduced,
		       sb.official_id IS NOT NULL AS staff_bad
		FROM lead l CROSS JOIN eff f
		LEFT JOIN staff_bad sb ON sb.official_id = l.official_id
	),
	-- the leaders who end below "complete": below it whatever d is, or below it
	-- with d = 50 and someone they manage below it (CS10); up the management order
	bad(official_id) AS (
		SELECT b.official_id FROM both_d b CROSS JOIN eff f
		WHERE b.s_full < f.pass OR (b.s_reduced < f.pass AND b.staff_bad)
		UNION
		SELECT p.lid
		FROM bad JOIN pairs p ON p.mid = bad.official_id
		JOIN both_d b ON b.official_id = p.lid
		CROSS JOIN eff f
		WHERE b.s_reduced < f.pass
	),
	-- the leaders who manage a leader who ended below "complete"
	bad_below AS (
		SELECT DISTINCT p.lid FROM pairs p JOIN bad ON bad.official_id = p.mid
	),
	leaders AS (
		SELECT l.official_id, l.tally, l.dd, l.e,
		       CASE WHEN b.staff_bad OR bb.lid IS NOT NULL THEN f.reduced ELSE f.full END AS d,
		       b.s_full, b.s_reduced
		FROM lead l CROSS JOIN eff f
		JOIN both_d b ON b.official_id = l.official_id
		LEFT JOIN bad_below bb ON bb.lid = l.official_id
	),
	scored AS (
		SELECT x.official_id, x.tally, x.d, x.dd, x.e, true AS is_leader,
		       CASE WHEN x.d = f.full THEN x.s_full ELSE x.s_reduced END AS score
		FROM leaders x CROSS JOIN eff f
		UNION ALL
		SELECT i.official_id, i.tally, NULL, NULL, NULL, false, s.score
		FROM i JOIN staff s ON s.official_id = i.official_id
	)
	SELECT x.official_id,
	       kpi.quantity_pct(x.tally, rules), kpi.quality_pct(x.tally, rules), kpi.progress_pct(x.tally, rules),
	       CASE WHEN x.is_leader THEN kpi.task_pct(x.tally, x.d, x.dd, x.e, rules) ELSE kpi.task_pct(x.tally, rules) END,
	       CASE WHEN x.is_leader THEN kpi.task_points(x.tally, x.d, x.dd, x.e, rules) ELSE kpi.task_points(x.tally, rules) END,
	       x.d, x.dd, x.e, x.score, kpi.tier_of(x.score, false, rules)
	FROM scored x
$$;

COMMENT ON FUNCTION kpi.score_inputs(kpi.score_input[], jsonb) IS
'scores one period of officials under rules: non-leaders G + 0.70 x KQ; a leader with d = leader_reduced when someone they manage scored below threshold_complete, else leader_full (CS10), dd and e (NULL: leader_full); a leader manages the non-leaders of the units in their scope and the leaders whose unit is in it and whose scope is a proper subset of it, or equal to it when the leader sits outside it and they inside (else leaders of the same units are peers); returns a, b, c, KQ, T, d, dd, e, the score and its tier';

CREATE FUNCTION kpi.score_period(period_start date, period_kind text, rules jsonb DEFAULT NULL,
                                 explain boolean DEFAULT false)
RETURNS TABLE (official_id bigint, unit_id bigint, task_group text, is_leader boolean,
               general_points numeric, quantity_pct numeric, quality_pct numeric, progress_pct numeric,
               task_pct numeric, task_points numeric, d numeric, dd numeric, e numeric,
               score numeric, tier kpi.tier, disqualified boolean, quota_tier kpi.tier, quota_tie boolean,
               quota_group text, quota_rate numeric, tally kpi.tally, input_digest text, ledger kpi.ledger_entry[])
LANGUAGE plpgsql STABLE
-- The plans join CTEs of a whole organisation, whose sizes the planner cannot
-- know (a CTE has no statistics, and kpi.evaluation_run is too small to be
-- analysed automatically): a nested loop it thinks joins 200 rows to 200
-- would join 200,000 to 200,000.  Hash and merge joins cost little more at
-- the sizes it does expect.  JIT would cost more than the run.
SET enable_nestloop = off
SET jit = off
AS $$
#variable_conflict use_column
DECLARE
	v_start date := score_period.period_start;
	v_kind text := score_period.period_kind;
	v_explain boolean := coalesce(score_period.explain, false);
	v_end date;
	v_rules jsonb;
	v_rescore boolean;
	v_eff jsonb;
	v_tp numeric;
	v_strict boolean;
	v_cap boolean;
	v_src text;
	v_missing bigint[];
	v_state text;
	v_msg text;
	v_detail text;
	v_hint text;
	v_where text;
	r record;
BEGIN
	IF v_start IS NULL OR v_kind IS NULL THEN
		RAISE EXCEPTION 'period_start and period_kind must not be NULL' USING ERRCODE = '22004';
	END IF;
	v_end := kpi.evaluation_period_end(v_start, v_kind);
	v_rescore := score_period.rules IS NOT NULL;
	v_rules := coalesce(score_period.rules,
	                    (SELECT s.rules FROM kpi.rule_set s WHERE s.rule_set_id = kpi.rule_set_for(v_end)));
	v_eff := kpi.effective_rules(v_rules);
	v_tp := (v_eff ->> 'task_points')::numeric;
	v_strict := v_eff ->> 'progress_reading' = 'strict';
	v_cap := (v_eff ->> 'cap')::boolean;

	IF v_kind IN ('month', 'quarter') THEN
		-- an official with work assigned needs the general-criteria form
		SELECT array_agg(DISTINCT l.official_id ORDER BY l.official_id) INTO v_missing
		FROM kpi.task_line l
		WHERE l.official_id IS NOT NULL AND l.due BETWEEN v_start AND v_end
		  AND l.coef > 0 AND l.assigned_qty > 0
		  AND NOT EXISTS (SELECT 1 FROM kpi.general_mark g
		                  WHERE g.official_id = l.official_id AND g.period_start = v_start);
		IF v_missing IS NOT NULL THEN
			RAISE EXCEPTION 'general-criteria marks are missing for % official(s) in period % (%)',
				cardinality(v_missing), to_char(v_start, 'YYYY-MM-DD'), v_kind
				USING ERRCODE = '22004',
				      DETAIL = format('Officials without a kpi.general_mark row for %s: %s.',
				                      to_char(v_start, 'YYYY-MM-DD'), array_to_string(v_missing[1:20], ', ')
				                      || CASE WHEN cardinality(v_missing) > 20 THEN ', ...' ELSE '' END),
				      HINT = 'Every official with work assigned in the period needs the marks of the general-criteria form (CS3).';
		END IF;

		BEGIN
			RETURN QUERY
			WITH
			lines AS (	-- one tally per line, so the ledger can cite it; rolled up exactly below
				SELECT l.task_id, l.official_id, l.coef, l.assigned_qty, l.completed_qty, l.passed_qty,
				       l.quality_errors, l.late_events, l.due,
				       kpi.tally_agg(l.coef, l.assigned_qty, l.completed_qty, l.passed_qty,
				                     l.quality_errors, l.late_events, v_rules) AS t
				FROM kpi.task_line l
				WHERE l.official_id IS NOT NULL AND l.due BETWEEN v_start AND v_end
				GROUP BY l.task_id
			),
			per AS (
				SELECT ln.official_id, kpi.rollup(ln.t) AS tally,
				       string_agg(concat_ws(',', ln.task_id, ln.due, ln.coef, ln.assigned_qty, ln.completed_qty,
				                            ln.passed_qty, ln.quality_errors, ln.late_events),
				                  ';' ORDER BY ln.task_id) AS lines_text
				FROM lines ln
				GROUP BY ln.official_id
			),
			who AS (
				SELECT o.official_id, o.unit_id, o.task_group, o.is_leader, o.leads_unit,
				       p.tally, p.lines_text, g.marks, c.dd, c.e,
				       c.official_id IS NOT NULL AS has_criteria
				FROM kpi.official o
				LEFT JOIN per p ON p.official_id = o.official_id
				LEFT JOIN kpi.general_mark g ON g.official_id = o.official_id AND g.period_start = v_start
				LEFT JOIN kpi.leader_criteria c ON c.official_id = o.official_id AND c.period_start = v_start
				WHERE p.official_id IS NOT NULL OR g.official_id IS NOT NULL
			),
			-- every leader's scope (CS10) in one pass over the tree: the subtree
			-- of the unit in their charge (UNION stops at repeats, as in kpi.unit_scope)
			reach AS MATERIALIZED (
				WITH RECURSIVE r(root, unit_id) AS (
					SELECT DISTINCT coalesce(w.leads_unit, w.unit_id), coalesce(w.leads_unit, w.unit_id)
					FROM who w WHERE w.is_leader
					UNION
					SELECT r.root, u.unit_id FROM r JOIN kpi.unit u ON u.parent_id = r.unit_id
				)
				SELECT r.root, array_agg(r.unit_id ORDER BY r.unit_id) AS scope FROM r GROUP BY r.root
			),
			inp AS (
				SELECT w.*, kpi.general_points(w.marks, v_rules) AS general, rc.scope
				FROM who w
				LEFT JOIN reach rc ON w.is_leader AND rc.root = coalesce(w.leads_unit, w.unit_id)
			),
			scored AS (
				SELECT s.*
				FROM kpi.score_inputs(
					(SELECT array_agg(ROW(i.official_id, i.unit_id, i.is_leader, i.scope, i.general,
					                      i.tally, i.dd, i.e)::kpi.score_input)
					 FROM inp i),
					v_rules) s
			),
			-- the explanation ledger (CS3, CS5-CS8, CS10, N0.3)
			ow AS (
				SELECT i.official_id, i.is_leader, i.marks, i.has_criteria, coalesce(i.leads_unit, i.unit_id) AS in_charge,
				       s.score, s.d, s.dd, s.e, c.assigned AS w, CASE WHEN i.is_leader THEN 6 ELSE 3 END AS k,
				       i.tally
				FROM inp i
				JOIN scored s ON s.official_id = i.official_id
				CROSS JOIN LATERAL kpi.tally_components(i.tally) c
				WHERE v_explain AND s.score IS NOT NULL
			),
			lrows AS (
				SELECT ow.official_id, 1 AS g1, m.mark_no AS g2, 0 AS g3, 'CS3' AS rule_id,
				       'general_mark' AS source_table, NULL::bigint AS source_id, m.points_lost AS pts,
				       jsonb_build_object('mark_no', m.mark_no, 'mark', m.mark, 'max', m.max) AS detail
				FROM ow
				CROSS JOIN LATERAL kpi.ledger_mark_rows(ow.marks, v_eff -> 'general_marks_max') m
				UNION ALL
				SELECT ln.official_id, 2, ln.task_id, lr.component, lr.rule_id, 'task_line', ln.task_id,
				       lr.points_lost,
				       jsonb_build_object('coef', ln.coef, 'assigned_qty', ln.assigned_qty,
				                          'completed_qty', ln.completed_qty, 'passed_qty', ln.passed_qty,
				                          'quality_errors', ln.quality_errors, 'late_events', ln.late_events,
				                          'progress_reading', v_eff ->> 'progress_reading')
				FROM lines ln
				JOIN ow ON ow.official_id = ln.official_id
				CROSS JOIN LATERAL kpi.ledger_line_rows(ln.t, v_tp, ow.k, ow.w, v_strict) lr
				UNION ALL
				SELECT ow.official_id, 3, cr.component, 0, 'CS8', NULL, NULL, cr.points_lost,
				       jsonb_build_object('component', cr.name, 'pct', cr.pct)
				FROM ow
				CROSS JOIN LATERAL kpi.ledger_cap_rows(ow.tally, v_tp, ow.k, v_strict, v_rules) cr
				WHERE v_cap
				UNION ALL
				SELECT ow.official_id, 4, comp.o, 0, 'CS10', comp.src,
				       CASE WHEN comp.o = 1 THEN ow.in_charge END,
				       round(v_tp * (100 - comp.v) / 600, 6),
				       jsonb_build_object('criterion', comp.name, 'value', comp.v,
				                          'recorded', comp.o = 1 OR ow.has_criteria)
				FROM ow
				CROSS JOIN LATERAL (VALUES (1, 'd', ow.d, 'unit'), (2, 'dd', ow.dd, 'leader_criteria'),
				                           (3, 'e', ow.e, 'leader_criteria')) AS comp(o, name, v, src)
				WHERE ow.is_leader AND comp.v <> 100
			),
			ledgers AS (
				SELECT ow.official_id,
				       kpi.ledger_close(array_agg(ROW(x.rule_id, x.source_table, x.source_id, x.pts, x.detail)::kpi.ledger_entry
				                                  ORDER BY x.g1, x.g2, x.g3) FILTER (WHERE x.rule_id IS NOT NULL),
				                        ow.score) AS ledger
				FROM ow
				LEFT JOIN lrows x ON x.official_id = ow.official_id
				GROUP BY ow.official_id, ow.score
			)
			SELECT i.official_id, i.unit_id, i.task_group, i.is_leader, i.general,
			       s.quantity_pct, s.quality_pct, s.progress_pct, s.task_pct, s.task_points,
			       s.d, s.dd, s.e, s.score, s.tier,
			       NULL::boolean, NULL::kpi.tier, NULL::boolean, NULL::text, NULL::numeric,
			       i.tally,
			       md5(concat_ws('|', v_kind, v_start, i.lines_text, i.marks::text,
			                     i.dd, i.e, s.d, v_eff::text)),
			       lg.ledger
			FROM inp i
			JOIN scored s ON s.official_id = i.official_id
			LEFT JOIN ledgers lg ON lg.official_id = i.official_id;
		EXCEPTION WHEN data_exception THEN
			-- name the row that holds the bad value (N0.5)
			GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
			                        v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
			FOR r IN SELECT l.* FROM kpi.task_line l
			         WHERE l.official_id IS NOT NULL AND l.due BETWEEN v_start AND v_end
			         ORDER BY l.task_id LOOP
				BEGIN
					PERFORM kpi.tally_agg(r.coef, r.assigned_qty, r.completed_qty, r.passed_qty,
					                      r.quality_errors, r.late_events, v_rules);
				EXCEPTION WHEN data_exception THEN
					v_where := format('It is in task line %s of official %s.', r.task_id, r.official_id);
					EXIT;
				END;
			END LOOP;
			IF v_where IS NULL THEN
				FOR r IN SELECT g.* FROM kpi.general_mark g WHERE g.period_start = v_start
				         ORDER BY g.official_id LOOP
					BEGIN
						PERFORM kpi.general_points(r.marks, v_rules);
					EXCEPTION WHEN data_exception THEN
						v_where := format('It is in the general-criteria marks of official %s.', r.official_id);
						EXIT;
					END;
				END LOOP;
			END IF;
			IF v_where IS NULL THEN
				SELECT format('It is in the leader criteria of official %s.', c.official_id) INTO v_where
				FROM kpi.leader_criteria c
				WHERE c.period_start = v_start
				  AND (c.dd NOT IN ((v_eff ->> 'leader_full')::numeric, (v_eff ->> 'leader_reduced')::numeric)
				       OR c.e NOT IN ((v_eff ->> 'leader_full')::numeric, (v_eff ->> 'leader_reduced')::numeric))
				ORDER BY c.official_id LIMIT 1;
			END IF;
			v_detail := concat_ws(' ', nullif(v_detail, ''), v_where);
			IF coalesce(v_hint, '') = '' THEN
				RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg, DETAIL = v_detail;
			END IF;
			RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg, DETAIL = v_detail, HINT = v_hint;
		END;
		RETURN;
	END IF;

	-- a year: the annual score over the current month results (or quarters)
	SELECT CASE WHEN bool_or(er.period_kind = 'month') THEN 'month'
	            WHEN bool_or(er.period_kind = 'quarter') THEN 'quarter' END INTO v_src
	FROM kpi.evaluation_run er
	WHERE er.period_kind IN ('month', 'quarter') AND er.period_start BETWEEN v_start AND v_end
	  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession x WHERE x.run_id = er.run_id);
	IF v_src IS NULL THEN
		RAISE EXCEPTION 'the year % cannot be evaluated: none of its months or quarters is', extract(year FROM v_start)
			USING ERRCODE = '55000',
			      HINT = format('Evaluate its periods first, for example CALL kpi.evaluate(%L, ''month'').',
			                    to_char(v_start, 'YYYY-MM-DD'));
	END IF;

	RETURN QUERY
	WITH
	-- small CTEs computed once, whatever the statistics say
	periods AS MATERIALIZED (
		SELECT m.*
		FROM kpi.official_result m
		JOIN kpi.evaluation_run er ON er.run_id = m.run_id
		WHERE er.period_kind = v_src AND er.period_start BETWEEN v_start AND v_end
		  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession x WHERE x.run_id = er.run_id)
	),
	reach AS MATERIALIZED (	-- as for a month: each leader's subtree, in one pass
		WITH RECURSIVE r(root, unit_id) AS (
			SELECT DISTINCT coalesce(o.leads_unit, o.unit_id), coalesce(o.leads_unit, o.unit_id)
			FROM kpi.official o WHERE v_rescore AND o.is_leader
			UNION
			SELECT r.root, u.unit_id FROM r JOIN kpi.unit u ON u.parent_id = r.unit_id
		)
		SELECT r.root, array_agg(r.unit_id ORDER BY r.unit_id) AS scope FROM r GROUP BY r.root
	),
	scope AS MATERIALIZED (
		SELECT o.official_id, rc.scope
		FROM kpi.official o JOIN reach rc ON rc.root = coalesce(o.leads_unit, o.unit_id)
		WHERE v_rescore AND o.is_leader
	),
	-- the published period scores, or (what-if) the stored periods re-scored under the rules
	used AS (
		SELECT p.run_id, p.official_id, p.period_start, p.general_points, p.tally, p.score
		FROM periods p
		WHERE NOT v_rescore
		UNION ALL
		SELECT p.run_id, p.official_id, p.period_start, p.general_points, p.tally, s.score
		FROM (SELECT pp.period_start,
		             array_agg(ROW(pp.official_id, pp.unit_id, pp.is_leader, sc.scope, pp.general_points,
		                           pp.tally, pp.dd, pp.e)::kpi.score_input) AS inputs
		      FROM periods pp LEFT JOIN scope sc ON sc.official_id = pp.official_id
		      WHERE v_rescore
		      GROUP BY pp.period_start) b
		CROSS JOIN LATERAL kpi.score_inputs(b.inputs, v_rules) s
		JOIN periods p ON p.period_start = b.period_start AND p.official_id = s.official_id
	),
	yr AS (
		SELECT u.official_id,
		       kpi.annual_score(u.score, v_rules) AS score,
		       avg(u.general_points) FILTER (WHERE u.score IS NOT NULL) AS general,
		       kpi.rollup(u.tally) AS tally,
		       count(u.score) AS scored,
		       string_agg(concat_ws(',', u.period_start, u.score, u.tally::text), ';'
		                  ORDER BY u.period_start) AS periods_text
		FROM used u
		GROUP BY u.official_id
	),
	recs AS (
		SELECT o.official_id, dr.record_id, dr.kind, dr.form, dr.duty_related, dr.decided_on,
		       kpi.disqualifies(dr.kind, dr.form, dr.duty_related, o.is_leader, v_rules) AS dq
		FROM kpi.official o
		JOIN kpi.disciplinary_record dr
		  ON dr.official_id = o.official_id
		  OR (dr.unit_id = coalesce(o.leads_unit, o.unit_id) AND o.is_leader)
		WHERE dr.decided_on BETWEEN v_start AND v_end
	),
	dq AS (
		SELECT rc.official_id,
		       CASE WHEN bool_or(rc.dq) THEN true WHEN bool_or(rc.dq IS NULL) THEN NULL ELSE false END AS dq,
		       string_agg(concat_ws(',', rc.record_id, rc.kind, rc.form, rc.duty_related, rc.decided_on), ';'
		                  ORDER BY rc.record_id) AS recs_text
		FROM recs rc
		GROUP BY rc.official_id
	),
	-- approved quota rates of the year (CS15), the most specific first
	appr AS MATERIALIZED (
		SELECT a.* FROM kpi.quota_approval a WHERE a.year = extract(year FROM v_start)::int
	),
	rated AS (
		SELECT y.*, o.unit_id, o.task_group, o.is_leader, o.quota_group,
		       CASE WHEN q.official_id IS NULL THEN false ELSE q.dq END AS dq, q.recs_text,
		       kpi.tier_of(y.score, CASE WHEN q.official_id IS NULL THEN false ELSE q.dq END, v_rules) AS tier,
		       kpi.task_points(y.tally, v_rules) AS tp,
		       coalesce(ag.rate, at.rate, au.rate) AS q_rate,
		       coalesce(ag.approval_id, at.approval_id, au.approval_id) AS q_approval,
		       coalesce(ag.decision, at.decision, au.decision) AS q_decision
		FROM yr y
		JOIN kpi.official o ON o.official_id = y.official_id
		LEFT JOIN dq q ON q.official_id = y.official_id
		LEFT JOIN appr ag ON ag.quota_group = o.quota_group
		LEFT JOIN appr at ON o.quota_group IS NULL AND at.unit_id = o.unit_id AND at.task_group = o.task_group
		LEFT JOIN appr au ON o.quota_group IS NULL AND au.unit_id = o.unit_id AND au.task_group IS NULL
	),
	-- one quota per named quota group, else per unit and task group
	quota AS (
		SELECT ra.*,
		       kpi.quota_tier(ra.tier, ra.score, ra.tp, ra.general, ra.q_rate, v_rules) OVER w AS q_tier,
		       kpi.quota_tie(ra.tier, ra.score, ra.tp, ra.general, ra.q_rate, v_rules) OVER w AS q_tie,
		       count(*) FILTER (WHERE ra.tier = 'xuat_sac' AND ra.score IS NOT NULL) OVER g AS q_n,
		       count(*) FILTER (WHERE ra.tier = 'tot' AND ra.score IS NOT NULL) OVER g AS q_m,
		       coalesce(ra.q_rate, (v_eff ->> 'quota_rate')::numeric) AS q_rate_used
		FROM rated ra
		WINDOW g AS (PARTITION BY ra.quota_group, CASE WHEN ra.quota_group IS NULL THEN ra.unit_id END,
		                          CASE WHEN ra.quota_group IS NULL THEN ra.task_group END),
		       w AS (g ORDER BY ra.official_id)
	),
	-- the ledger: each period's share of 100 - annual (CS12), disqualifiers (CS14), rounding
	lrows AS (
		SELECT u.official_id, 1 AS g1, u.period_start AS g2, 0::bigint AS g3, 'CS12' AS rule_id,
		       'official_result' AS source_table, u.run_id AS source_id,
		       round((100 - u.score) / y.scored, 6) AS pts,
		       jsonb_build_object('period_start', u.period_start, 'period_kind', v_src,
		                          'score', u.score, 'periods', y.scored) AS detail
		FROM used u JOIN yr y ON y.official_id = u.official_id
		WHERE v_explain AND u.score IS NOT NULL AND y.score IS NOT NULL
		UNION ALL
		SELECT rc.official_id, 2, rc.decided_on, rc.record_id, 'CS14', 'disciplinary_record', rc.record_id, round(0, 6),
		       jsonb_build_object('kind', rc.kind, 'form', rc.form, 'duty_related', rc.duty_related,
		                          'decided_on', rc.decided_on, 'disqualifies', rc.dq)
		FROM recs rc JOIN yr y ON y.official_id = rc.official_id
		WHERE v_explain AND y.score IS NOT NULL AND (rc.dq OR rc.dq IS NULL)
		UNION ALL
		SELECT q.official_id, 3, NULL::date, 0::bigint, 'CS15',
		       CASE WHEN q.q_approval IS NOT NULL THEN 'quota_approval' END, q.q_approval::bigint, round(0, 6),
		       jsonb_build_object('quota_group', q.quota_group, 'unit_id', q.unit_id, 'task_group', q.task_group,
		                          'candidates', q.q_n, 'good', q.q_m,
		                          'kept', kpi.quota_kept(q.q_n, q.q_m, q.q_rate_used, v_rules),
		                          'rate', q.q_rate_used, 'decision', q.q_decision,
		                          'tie', q.q_tie, 'demoted', q.q_tier <> q.tier)
		FROM quota q
		WHERE v_explain AND q.score IS NOT NULL AND (q.q_tier <> q.tier OR q.q_tie)
	),
	ledgers AS (
		SELECT y.official_id,
		       kpi.ledger_close(array_agg(ROW(x.rule_id, x.source_table, x.source_id, x.pts, x.detail)::kpi.ledger_entry
		                                  ORDER BY x.g1, x.g2, x.g3) FILTER (WHERE x.rule_id IS NOT NULL),
		                        y.score) AS ledger
		FROM yr y
		LEFT JOIN lrows x ON x.official_id = y.official_id
		WHERE v_explain AND y.score IS NOT NULL
		GROUP BY y.official_id, y.score
	)
	SELECT q.official_id, q.unit_id, q.task_group, q.is_leader, q.general,
	       kpi.quantity_pct(q.tally, v_rules), kpi.quality_pct(q.tally, v_rules), kpi.progress_pct(q.tally, v_rules),
	       kpi.task_pct(q.tally, v_rules), q.tp,
	       NULL::numeric, NULL::numeric, NULL::numeric,
	       q.score, q.tier, q.dq, q.q_tier, q.q_tie, q.quota_group, q.q_rate_used, q.tally,
	       md5(concat_ws('|', v_kind, v_start, v_src, q.periods_text, q.recs_text, v_eff::text,
	                     q.quota_group, q.q_rate)),
	       lg.ledger
	FROM quota q
	LEFT JOIN ledgers lg ON lg.official_id = q.official_id;
END
$$;

COMMENT ON FUNCTION kpi.score_period(date, text, jsonb, boolean) IS
'the results of every official for a month, quarter or year, computed without writing anything (the one implementation behind kpi.evaluate and kpi.what_if); rules NULL: the rule set in force on the period''s last day, and for a year the published period scores; rules given: scored under them, and for a year the stored periods re-scored; explain: also the ledger rows (kpi.ledger_entry[])';

CREATE FUNCTION kpi.score_agencies(year integer, rules jsonb, explain boolean DEFAULT false)
RETURNS TABLE (unit_id bigint, score numeric, tier kpi.tier, components jsonb, input_digest text,
               ledger kpi.ledger_entry[])
LANGUAGE sql STABLE
SET jit = off
AS $$
	WITH
	eff AS MATERIALIZED (
		SELECT kpi.effective_rules(score_agencies.rules) AS r
	),
	lines AS (	-- one tally per line, so the ledger can cite it; rolled up exactly below
		SELECT l.task_id, l.unit_id, l.due, l.coef, l.assigned_qty, l.completed_qty, l.passed_qty,
		       l.quality_errors, l.late_events,
		       kpi.tally_agg(l.coef, l.assigned_qty, l.completed_qty, l.passed_qty,
		                     l.quality_errors, l.late_events, score_agencies.rules) AS t
		FROM kpi.task_line l
		WHERE l.unit_id IS NOT NULL
		  AND l.due BETWEEN make_date(score_agencies.year, 1, 1) AND make_date(score_agencies.year, 12, 31)
		GROUP BY l.task_id
	),
	plan AS (
		SELECT ln.unit_id, kpi.rollup(ln.t) AS t,
		       string_agg(concat_ws(',', ln.task_id, ln.due, ln.coef, ln.assigned_qty, ln.completed_qty,
		                            ln.passed_qty, ln.quality_errors, ln.late_events), ';' ORDER BY ln.task_id) AS lines_text
		FROM lines ln
		GROUP BY ln.unit_id
	),
	idx AS (
		SELECT v.unit_id,
		       jsonb_object_agg(CASE v.code WHEN 'dti_ratio' THEN 'dti' ELSE v.code END,
		                        kpi.index_fraction(v.code, v.value)) AS indices,
		       jsonb_object_agg(CASE v.code WHEN 'dti_ratio' THEN 'dti' ELSE v.code END, v.value) AS idx_values,
		       string_agg(concat_ws(',', v.code, v.value), ';' ORDER BY v.code) AS idx_text
		FROM kpi.index_value v
		WHERE v.year = score_agencies.year
		GROUP BY v.unit_id
	),
	scored AS (
		SELECT a.unit_id, a.agency_kind, ai.marks, ai.dossiers, ai.dossiers_on_time, ai.dossiers_online,
		       p.t, p.lines_text, x.indices, x.idx_values, x.idx_text, c.*,
		       ai.unit_id IS NOT NULL AS has_input
		FROM kpi.unit a
		LEFT JOIN kpi.agency_input ai ON ai.unit_id = a.unit_id AND ai.year = score_agencies.year
		LEFT JOIN plan p ON p.unit_id = a.unit_id
		LEFT JOIN idx x ON x.unit_id = a.unit_id
		LEFT JOIN LATERAL kpi.agency_components(kpi.agency_general_points(ai.marks, score_agencies.rules), p.t,
		                                        ai.dossiers, ai.dossiers_on_time, ai.dossiers_online,
		                                        coalesce(x.indices, '{}'), a.agency_kind, score_agencies.rules) c ON true
		WHERE a.agency_kind IS NOT NULL
	),
	-- the explanation ledger (AG2, AG3 with CS5-CS8, IX1-IX4, N0.3)
	aw AS (
		SELECT sc.*, tpl.tpl, (tpl.tpl ->> 'work_plan')::numeric AS wp, c.assigned AS w
		FROM scored sc
		CROSS JOIN eff e
		CROSS JOIN LATERAL (SELECT e.r -> (sc.agency_kind || '_template') AS tpl) tpl
		LEFT JOIN LATERAL kpi.tally_components(sc.t) c ON true
		WHERE score_agencies.explain AND sc.score IS NOT NULL
	),
	lrows AS (
		SELECT aw.unit_id, 1 AS g1, m.mark_no AS g2, 0 AS g3, 'AG2' AS rule_id,
		       'agency_input' AS source_table, aw.unit_id AS source_id, m.points_lost AS pts,
		       jsonb_build_object('year', score_agencies.year, 'mark_no', m.mark_no, 'mark', m.mark, 'max', m.max) AS detail
		FROM aw
		CROSS JOIN eff e
		CROSS JOIN LATERAL kpi.ledger_mark_rows(aw.marks, e.r -> 'agency_marks_max') m
		UNION ALL
		SELECT ln.unit_id, 2, ln.task_id, lr.component, lr.rule_id, 'task_line', ln.task_id, lr.points_lost,
		       jsonb_build_object('coef', ln.coef, 'assigned_qty', ln.assigned_qty,
		                          'completed_qty', ln.completed_qty, 'passed_qty', ln.passed_qty,
		                          'quality_errors', ln.quality_errors, 'late_events', ln.late_events,
		                          'progress_reading', e.r ->> 'progress_reading', 'work_plan', true)
		FROM lines ln
		JOIN aw ON aw.unit_id = ln.unit_id
		CROSS JOIN eff e
		CROSS JOIN LATERAL kpi.ledger_line_rows(ln.t, aw.wp, 3, aw.w, e.r ->> 'progress_reading' = 'strict') lr
		WHERE aw.wp > 0
		UNION ALL
		SELECT aw.unit_id, 3, cr.component, 0, 'CS8', NULL, NULL, cr.points_lost,
		       jsonb_build_object('component', cr.name, 'pct', cr.pct, 'work_plan', true)
		FROM aw
		CROSS JOIN eff e
		CROSS JOIN LATERAL kpi.ledger_cap_rows(aw.t, aw.wp, 3, e.r ->> 'progress_reading' = 'strict',
		                                       score_agencies.rules) cr
		WHERE aw.wp > 0 AND (e.r ->> 'cap')::boolean
		UNION ALL
		SELECT aw.unit_id, 4, part.o, 0, 'AG3', 'agency_input', aw.unit_id,
		       round(part.weight * (aw.dossiers - part.counted) / aw.dossiers, 6),
		       jsonb_build_object('year', score_agencies.year, 'part', part.name, 'dossiers', aw.dossiers,
		                          'counted', part.counted, 'weight', part.weight)
		FROM aw
		CROSS JOIN eff e
		CROSS JOIN LATERAL (VALUES
			(1, 'on_time', aw.dossiers_on_time,
			 (aw.tpl ->> 'procedures')::numeric * (1 - (e.r ->> 'procedures_online_weight')::numeric)),
			(2, 'online', aw.dossiers_online,
			 (aw.tpl ->> 'procedures')::numeric * (e.r ->> 'procedures_online_weight')::numeric)
		) AS part(o, name, counted, weight)
		WHERE aw.dossiers > 0 AND part.weight > 0 AND part.counted < aw.dossiers
		UNION ALL
		SELECT aw.unit_id, 5, ix.o, 0, ix.rule_id, 'index_value', NULL,
		       round(ix.weight * (1 - (aw.indices ->> ix.code)::numeric), 6),
		       jsonb_build_object('year', score_agencies.year, 'code', ix.code,
		                          'index_value', aw.idx_values -> ix.code,
		                          'fraction', aw.indices -> ix.code, 'weight', ix.weight)
		FROM aw
		CROSS JOIN LATERAL (VALUES (1, 'IX1', 'par', (aw.tpl ->> 'par')::numeric),
		                           (2, 'IX2', 'sipas', (aw.tpl ->> 'sipas')::numeric),
		                           (3, 'IX3', 'pci', (aw.tpl ->> 'pci')::numeric),
		                           (4, 'IX4', 'dti', (aw.tpl ->> 'dti')::numeric)) AS ix(o, rule_id, code, weight)
		WHERE ix.weight > 0 AND (aw.indices ->> ix.code)::numeric < 1
	),
	ledgers AS (
		SELECT aw.unit_id,
		       kpi.ledger_close(array_agg(ROW(x.rule_id, x.source_table, x.source_id, x.pts, x.detail)::kpi.ledger_entry
		                                  ORDER BY x.g1, x.g2, x.g3) FILTER (WHERE x.rule_id IS NOT NULL),
		                        aw.score) AS ledger
		FROM aw
		LEFT JOIN lrows x ON x.unit_id = aw.unit_id
		GROUP BY aw.unit_id, aw.score
	)
	SELECT sc.unit_id, sc.score, kpi.tier_of(sc.score, false, score_agencies.rules),
	       CASE WHEN sc.has_input THEN
	            jsonb_build_object('general_points', sc.general_points, 'work_plan_points', sc.work_plan_points,
	                               'procedures_points', sc.procedures_points, 'par_points', sc.par_points,
	                               'sipas_points', sc.sipas_points, 'pci_points', sc.pci_points,
	                               'dti_points', sc.dti_points, 'kind', sc.agency_kind,
	                               'indices', coalesce(sc.indices, '{}'), 'work_plan', sc.t::text)
	       END,
	       md5(concat_ws('|', score_agencies.year, sc.agency_kind, sc.marks::text, sc.dossiers, sc.dossiers_on_time,
	                     sc.dossiers_online, sc.lines_text, sc.idx_text, e.r::text)),
	       lg.ledger
	FROM scored sc
	CROSS JOIN eff e
	LEFT JOIN ledgers lg ON lg.unit_id = sc.unit_id
$$;

COMMENT ON FUNCTION kpi.score_agencies(integer, jsonb, boolean) IS
'every agency''s yearly score under rules (AG1-AG4): kpi.agency_components over its kpi.agency_input, its own task lines due in the year and its index values as fractions by scale; score NULL without an input row or with nothing assigned; explain: also its ledger rows (kpi.ledger_entry[]) (marks, work-plan lines, procedures, indices, rounding), adding up to 100 - score';

-- Evaluation runs --------------------------------------------------------------

CREATE PROCEDURE kpi.evaluate(period_start date, period_kind text, supersede boolean DEFAULT false)
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
	v_start date := evaluate.period_start;
	v_kind text := evaluate.period_kind;
	v_end date;
	v_old bigint;
	v_run bigint;
	v_rule_set integer;
	v_rules jsonb;
	v_officials bigint;
	v_agencies bigint := 0;
	v_heads text;
	v_year_run bigint;
	v_state text;
	v_msg text;
	v_detail text;
	v_hint text;
BEGIN
	IF v_start IS NULL OR v_kind IS NULL OR evaluate.supersede IS NULL THEN
		RAISE EXCEPTION 'kpi.evaluate arguments must not be NULL' USING ERRCODE = '22004';
	END IF;
	v_end := kpi.evaluation_period_end(v_start, v_kind);
	-- a caller under row-level security would score only the rows it sees
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c
	           WHERE c.relnamespace = 'kpi'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
	             AND pg_catalog.row_security_active(c.oid)) THEN
		RAISE EXCEPTION 'kpi.evaluate must see every row of the kpi tables'
			USING ERRCODE = '42501',
			      DETAIL = format('Row-level security applies to role %s.', current_user),
			      HINT = 'Run kpi.evaluate as the owner of the kpi tables or as a role with BYPASSRLS.';
	END IF;

	-- one run of a period at a time: a second call waits here, then sees the first's run
	PERFORM pg_advisory_xact_lock(hashtext('kpi.evaluate:' || v_kind), v_start - date '2000-01-01');
	IF v_kind = 'year' THEN
		-- and no month or quarter of the year is evaluated meanwhile
		PERFORM pg_advisory_xact_lock_shared(hashtext('kpi.evaluate:' || k.kind), m::date - date '2000-01-01')
		FROM (VALUES ('month', interval '1 month'), ('quarter', interval '3 months')) AS k(kind, step),
		     LATERAL generate_series(v_start, v_end, k.step) AS m
		ORDER BY k.kind, m;
	END IF;

	SELECT r.run_id INTO v_old
	FROM kpi.evaluation_run r
	WHERE r.period_start = v_start AND r.period_kind = v_kind
	  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id);
	IF v_old IS NOT NULL AND NOT evaluate.supersede THEN
		RAISE EXCEPTION 'period % (%) is already evaluated', to_char(v_start, 'YYYY-MM-DD'), v_kind
			USING ERRCODE = '55000',
			      DETAIL = format('Run %s holds its current results.', v_old),
			      HINT = 'To evaluate it again and keep the old run as superseded, pass supersede => true.';
	END IF;

	v_rule_set := kpi.rule_set_for(v_end);
	SELECT s.rules INTO v_rules FROM kpi.rule_set s WHERE s.rule_set_id = v_rule_set;

	BEGIN
		INSERT INTO kpi.evaluation_run (period_start, period_end, period_kind, rule_set_id, engine_version, supersedes)
		VALUES (v_start, v_end, v_kind, v_rule_set,
		        (SELECT x.extversion FROM pg_catalog.pg_extension x WHERE x.extname = 'kpi_eval'), v_old)
		RETURNING run_id INTO v_run;
	EXCEPTION WHEN unique_violation THEN
		-- only under REPEATABLE READ or SERIALIZABLE, whose snapshot predates a concurrent run
		RAISE EXCEPTION 'period % (%) is already evaluated', to_char(v_start, 'YYYY-MM-DD'), v_kind
			USING ERRCODE = '55000',
			      DETAIL = 'A concurrent run of the same period committed first.',
			      HINT = 'Run kpi.evaluate in a READ COMMITTED transaction, or retry with supersede => true.';
	END;
	IF v_old IS NOT NULL THEN
		INSERT INTO kpi.run_supersession (run_id, superseded_by, superseded_at) VALUES (v_old, v_run, now());
	END IF;

	BEGIN
		WITH s AS MATERIALIZED (
			SELECT * FROM kpi.score_period(v_start, v_kind, NULL, true)
		),
		ins AS (
			INSERT INTO kpi.official_result
				(run_id, official_id, unit_id, task_group, is_leader, period_start, period_kind,
				 general_points, quantity_pct, quality_pct, progress_pct, task_pct, task_points,
				 d, dd, e, score, tier, disqualified, quota_tier, quota_tie, quota_group, quota_rate,
				 tally, input_digest)
			SELECT v_run, s.official_id, s.unit_id, s.task_group, s.is_leader, v_start, v_kind,
			       s.general_points, s.quantity_pct, s.quality_pct, s.progress_pct, s.task_pct, s.task_points,
			       s.d, s.dd, s.e, s.score, s.tier, s.disqualified, s.quota_tier, s.quota_tie, s.quota_group,
			       s.quota_rate, s.tally, s.input_digest
			FROM s
			RETURNING 1
		),
		led AS (
			INSERT INTO kpi.ledger (run_id, official_id, unit_id, line_no, rule_id, source_table, source_id,
			                        points_lost, detail)
			SELECT v_run, s.official_id, s.unit_id, x.n, x.rule_id, x.source_table, x.source_id,
			       x.points_lost, x.detail
			FROM s CROSS JOIN LATERAL unnest(s.ledger) WITH ORDINALITY
			     AS x(rule_id, source_table, source_id, points_lost, detail, n)
			RETURNING 1
		)
		SELECT (SELECT count(*) FROM ins) + 0 * (SELECT count(*) FROM led) INTO v_officials;

		IF v_kind = 'year' THEN
			-- the head of an agency is the one leader in charge of the agency's unit
			SELECT string_agg(format('unit %s: officials %s', h.unit_id, h.ids), '; ') INTO v_heads
			FROM (SELECT coalesce(o.leads_unit, o.unit_id) AS unit_id,
			             array_to_string(array_agg(o.official_id ORDER BY o.official_id), ', ') AS ids
			      FROM kpi.official o
			      JOIN kpi.unit u ON u.unit_id = coalesce(o.leads_unit, o.unit_id) AND u.agency_kind IS NOT NULL
			      WHERE o.is_leader
			      GROUP BY 1 HAVING count(*) > 1) h;
			IF v_heads IS NOT NULL THEN
				RAISE EXCEPTION 'an agency has more than one leader in charge of it'
					USING ERRCODE = '22023', DETAIL = v_heads || '.',
					      HINT = 'The head of an agency is the one leader whose leads_unit is the agency; set each deputy''s leads_unit to the unit they supervise.';
			END IF;
			WITH a AS MATERIALIZED (
				SELECT * FROM kpi.score_agencies(extract(year FROM v_start)::int, v_rules, true)
			),
			ins AS (
				INSERT INTO kpi.agency_result (run_id, unit_id, year, score, components, tier,
				                               head_official_id, head_tier, head_capped, input_digest)
				SELECT v_run, a.unit_id, extract(year FROM v_start)::int, a.score, a.components, a.tier,
				       h.official_id, kpi.head_tier(h.quota_tier, a.tier, v_rules),
				       kpi.head_capped(h.quota_tier, a.tier, v_rules), a.input_digest
				FROM a
				LEFT JOIN LATERAL (
					SELECT o.official_id, r.quota_tier
					FROM kpi.official o
					LEFT JOIN kpi.official_result r ON r.run_id = v_run AND r.official_id = o.official_id
					WHERE o.is_leader AND coalesce(o.leads_unit, o.unit_id) = a.unit_id
				) h ON true
				RETURNING 1
			),
			led AS (
				INSERT INTO kpi.agency_ledger (run_id, unit_id, line_no, rule_id, source_table, source_id,
				                               points_lost, detail)
				SELECT v_run, a.unit_id, x.n, x.rule_id, x.source_table, x.source_id, x.points_lost, x.detail
				FROM a CROSS JOIN LATERAL unnest(a.ledger) WITH ORDINALITY
				     AS x(rule_id, source_table, source_id, points_lost, detail, n)
				RETURNING 1
			)
			SELECT (SELECT count(*) FROM ins) + 0 * (SELECT count(*) FROM led) INTO v_agencies;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
		                        v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
		-- the same error, without the internal statement in its context
		IF coalesce(v_detail, '') = '' AND coalesce(v_hint, '') = '' THEN
			RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg;
		ELSIF coalesce(v_hint, '') = '' THEN
			RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg, DETAIL = v_detail;
		ELSIF coalesce(v_detail, '') = '' THEN
			RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg, HINT = v_hint;
		END IF;
		RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_msg, DETAIL = v_detail, HINT = v_hint;
	END;

	IF v_kind <> 'year' THEN
		SELECT r.run_id INTO v_year_run
		FROM kpi.evaluation_run r
		WHERE r.period_kind = 'year' AND r.period_start = date_trunc('year', v_start)::date
		  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id);
		IF v_year_run IS NOT NULL THEN
			RAISE WARNING 'the year % was evaluated (run %) before this run of period % (%)',
				extract(year FROM v_start), v_year_run, to_char(v_start, 'YYYY-MM-DD'), v_kind
				USING HINT = format('Evaluate the year again: CALL kpi.evaluate(%L, ''year'', supersede => true).',
				                    to_char(date_trunc('year', v_start), 'YYYY-MM-DD'));
		END IF;
	END IF;

	RAISE NOTICE 'kpi.evaluate: run % of period % (%) under rule set %: % official results%',
		v_run, to_char(v_start, 'YYYY-MM-DD'), v_kind, v_rule_set, v_officials,
		CASE WHEN v_kind = 'year' THEN format(', %s agency results', v_agencies) ELSE '' END
		|| CASE WHEN v_old IS NOT NULL THEN format('; run %s superseded', v_old) ELSE '' END;
END
$$;

COMMENT ON PROCEDURE kpi.evaluate(date, text, boolean) IS
'evaluates a month, quarter or year into a new append-only run (results, ledger, and for a year the quota and agencies) under the rule set in force on the period''s last day; runs of a period are serialised; an evaluated period is refused (55000) unless supersede => true, which marks the old run superseded; all or nothing';

-- Explanations and what-if -----------------------------------------------------

CREATE FUNCTION kpi.ledger_description(rule_id text, detail jsonb, source_id bigint, points_lost numeric,
                                       lang text DEFAULT 'vi')
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
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


CREATE FUNCTION kpi.explain(official_id bigint, period_start date, lang text DEFAULT 'vi',
                            period_kind text DEFAULT NULL)
RETURNS TABLE (line_no integer, rule_id text, description text, source_table text, source_id bigint,
               points_lost numeric)
LANGUAGE plpgsql STABLE
AS $$
#variable_conflict use_column
DECLARE
	v_official bigint := explain.official_id;
	v_start date := explain.period_start;
	v_lang text := explain.lang;
	v_kinds text[];
	v_run bigint;
	v_kind text;
BEGIN
	IF v_lang IS NULL THEN
		RAISE EXCEPTION 'label language must not be NULL'
			USING ERRCODE = '22004', HINT = 'Use ''vi'' (Vietnamese) or ''en'' (English).';
	END IF;
	IF v_lang NOT IN ('vi', 'en') THEN
		RAISE EXCEPTION 'unknown label language "%"', v_lang
			USING ERRCODE = '22023', HINT = 'Use ''vi'' (Vietnamese) or ''en'' (English).';
	END IF;
	IF explain.period_kind IS NOT NULL THEN
		PERFORM kpi.evaluation_period_end(v_start, explain.period_kind);
	END IF;
	SELECT array_agg(r.period_kind ORDER BY r.period_kind), min(r.run_id) INTO v_kinds, v_run
	FROM kpi.official_result r
	JOIN kpi.evaluation_run er ON er.run_id = r.run_id
	WHERE r.official_id = v_official AND r.period_start = v_start
	  AND (explain.period_kind IS NULL OR r.period_kind = explain.period_kind)
	  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id);
	IF v_kinds IS NULL THEN
		RAISE EXCEPTION 'official % has no current result for the period starting %', v_official,
			to_char(v_start, 'YYYY-MM-DD')
			USING ERRCODE = 'P0002',
			      HINT = 'Evaluate the period with kpi.evaluate; an official with nothing in the period has no result.';
	END IF;
	IF cardinality(v_kinds) > 1 THEN
		RAISE EXCEPTION 'official % has results for % periods starting %', v_official,
			array_to_string(v_kinds, ' and '), to_char(v_start, 'YYYY-MM-DD')
			USING ERRCODE = '22023', HINT = 'Pass period_kind => ''month'', ''quarter'' or ''year''.';
	END IF;
	v_kind := v_kinds[1];

	RETURN QUERY
	SELECT l.line_no, l.rule_id,
	       kpi.ledger_description(l.rule_id, l.detail, l.source_id, l.points_lost, v_lang),
	       l.source_table, l.source_id, l.points_lost
	FROM kpi.ledger l
	WHERE l.run_id = v_run AND l.official_id = v_official
	ORDER BY l.line_no;
END
$$;

COMMENT ON FUNCTION kpi.explain(bigint, date, text, text) IS
'the ledger of an official''s current result for the period starting period_start (period_kind needed only when several kinds start that day), one row per cause with a description in Vietnamese (''vi'') or English (''en''); points_lost adds up to 100 - score';

CREATE FUNCTION kpi.explain_agency(unit_id bigint, year integer, lang text DEFAULT 'vi')
RETURNS TABLE (line_no integer, rule_id text, description text, source_table text, source_id bigint,
               points_lost numeric)
LANGUAGE plpgsql STABLE
AS $$
#variable_conflict use_column
DECLARE
	v_run bigint;
BEGIN
	IF explain_agency.lang IS NULL THEN
		RAISE EXCEPTION 'label language must not be NULL'
			USING ERRCODE = '22004', HINT = 'Use ''vi'' (Vietnamese) or ''en'' (English).';
	END IF;
	IF explain_agency.lang NOT IN ('vi', 'en') THEN
		RAISE EXCEPTION 'unknown label language "%"', explain_agency.lang
			USING ERRCODE = '22023', HINT = 'Use ''vi'' (Vietnamese) or ''en'' (English).';
	END IF;
	SELECT a.run_id INTO v_run
	FROM kpi.agency_result a
	WHERE a.unit_id = explain_agency.unit_id AND a.year = explain_agency.year
	  AND NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = a.run_id);
	IF v_run IS NULL THEN
		RAISE EXCEPTION 'agency % has no current result for %', explain_agency.unit_id, explain_agency.year
			USING ERRCODE = 'P0002',
			      HINT = 'Evaluate the year with kpi.evaluate(''<year>-01-01'', ''year''); only units with an agency_kind are rated.';
	END IF;
	RETURN QUERY
	SELECT l.line_no, l.rule_id,
	       kpi.ledger_description(l.rule_id, l.detail, l.source_id, l.points_lost, explain_agency.lang),
	       l.source_table, l.source_id, l.points_lost
	FROM kpi.agency_ledger l
	WHERE l.run_id = v_run AND l.unit_id = explain_agency.unit_id
	ORDER BY l.line_no;
END
$$;

COMMENT ON FUNCTION kpi.explain_agency(bigint, integer, text) IS
'the ledger of an agency''s current yearly result, one row per cause with a description in Vietnamese (''vi'') or English (''en''); points_lost adds up to 100 - score (no rows when the agency was not scored)';

CREATE FUNCTION kpi.what_if(period_start date, period_kind text, rules jsonb)
RETURNS TABLE (official_id bigint, current_score numeric, current_tier kpi.tier, new_score numeric,
               new_tier kpi.tier, changed boolean)
LANGUAGE sql STABLE STRICT
AS $$
	SELECT coalesce(c.official_id, n.official_id),
	       c.score, CASE WHEN what_if.period_kind = 'year' THEN c.quota_tier ELSE c.tier END,
	       n.score, CASE WHEN what_if.period_kind = 'year' THEN n.quota_tier ELSE n.tier END,
	       (CASE WHEN what_if.period_kind = 'year' THEN c.quota_tier ELSE c.tier END)
	       IS DISTINCT FROM (CASE WHEN what_if.period_kind = 'year' THEN n.quota_tier ELSE n.tier END)
	FROM kpi.score_period(what_if.period_start, what_if.period_kind) c
	FULL JOIN kpi.score_period(what_if.period_start, what_if.period_kind, what_if.rules) n
	  ON n.official_id = c.official_id
	ORDER BY 1
$$;

COMMENT ON FUNCTION kpi.what_if(date, text, jsonb) IS
'per official, the score and tier of a month, quarter or year under the rule set in force and under the given (draft) rules, and whether the tier changes; writes nothing; a year re-scores the current period results (a draft that changes deduction rates cannot re-score stored tallies: try it on the months)';

-- Views for reporting ----------------------------------------------------------

CREATE VIEW kpi.current_official_result AS
SELECT r.run_id, r.official_id, r.unit_id, r.task_group, r.is_leader,
       r.period_start, er.period_end, r.period_kind,
       r.general_points, r.quantity_pct, r.quality_pct, r.progress_pct, r.task_pct, r.task_points,
       r.d, r.dd, r.e, r.score, r.tier, r.disqualified, r.quota_tier, r.quota_tie, r.quota_group, r.quota_rate,
       r.tally, r.input_digest, er.rule_set_id, er.engine_version, er.created_at
FROM kpi.official_result r
JOIN kpi.evaluation_run er ON er.run_id = r.run_id
WHERE NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = r.run_id);

COMMENT ON VIEW kpi.current_official_result IS
'the officials'' results of the current (not superseded) run of every evaluated period, with the run''s rule set, engine version and time';

CREATE VIEW kpi.current_agency_result AS
SELECT a.run_id, a.unit_id, a.year, a.score, a.components, a.tier,
       a.head_official_id, a.head_tier, a.head_capped, a.input_digest,
       er.rule_set_id, er.engine_version, er.created_at
FROM kpi.agency_result a
JOIN kpi.evaluation_run er ON er.run_id = a.run_id
WHERE NOT EXISTS (SELECT 1 FROM kpi.run_supersession s WHERE s.run_id = a.run_id);

COMMENT ON VIEW kpi.current_agency_result IS
'the agencies'' results of the current run of every evaluated year';

CREATE VIEW kpi.current_unit_result AS
SELECT r.unit_id, u.name AS unit_name, u.parent_id, r.period_start, r.period_end, r.period_kind,
       count(*) AS officials,
       count(r.score) AS scored,
       avg(r.score) AS mean_score,
       min(r.score) AS min_score,
       max(r.score) AS max_score,
       count(*) FILTER (WHERE t.tier = 'xuat_sac') AS xuat_sac,
       count(*) FILTER (WHERE t.tier = 'tot') AS tot,
       count(*) FILTER (WHERE t.tier = 'hoan_thanh') AS hoan_thanh,
       count(*) FILTER (WHERE t.tier = 'khong_hoan_thanh') AS khong_hoan_thanh,
       count(*) FILTER (WHERE r.quota_tier < r.tier) AS quota_demoted,
       count(*) FILTER (WHERE r.disqualified) AS disqualified,
       count(*) FILTER (WHERE r.is_leader) AS leaders
FROM kpi.current_official_result r
JOIN kpi.unit u ON u.unit_id = r.unit_id
CROSS JOIN LATERAL (SELECT CASE WHEN r.period_kind = 'year' THEN r.quota_tier ELSE r.tier END AS tier) t
GROUP BY r.unit_id, u.name, u.parent_id, r.period_start, r.period_end, r.period_kind;

COMMENT ON VIEW kpi.current_unit_result IS
'per unit and evaluated period, the current results of its officials: how many, how many scored, the mean, lowest and highest score, the number in each tier (for a year after the quota), demoted by the quota, disqualified, and the leaders among them';

CREATE VIEW kpi.tier_distribution AS
SELECT r.unit_id, r.period_start, r.period_kind,
       CASE WHEN r.period_kind = 'year' THEN r.quota_tier ELSE r.tier END AS tier,
       count(*) AS officials
FROM kpi.current_official_result r
GROUP BY 1, 2, 3, 4;

COMMENT ON VIEW kpi.tier_distribution IS
'number of officials per unit, period and tier in the current results (for a year the tier after the quota; tier NULL: not scored)';

CREATE VIEW kpi.quota_decisions AS
SELECT r.run_id, r.official_id, r.unit_id, r.task_group, extract(year FROM r.period_start)::int AS year,
       r.score, r.task_points, r.general_points, r.tier, r.quota_tier, r.quota_tie, r.quota_group, r.quota_rate
FROM kpi.current_official_result r
WHERE r.period_kind = 'year' AND (r.quota_tier <> r.tier OR r.quota_tie);

COMMENT ON VIEW kpi.quota_decisions IS
'current year results where the excellent quota demoted the official or a tie across the cut needs a manual decision (CS15)';

CREATE FUNCTION kpi.lawmaking_backlog_at(as_of date)
RETURNS TABLE (unit_id bigint, role text, backlog bigint, oldest_due date, doc_ids bigint[])
LANGUAGE sql STABLE STRICT
AS $$
	SELECT d.unit_id, d.role, count(*), min(d.due), array_agg(d.doc_id ORDER BY d.due, d.doc_id)
	FROM kpi.lawmaking_document d
	WHERE kpi.lm_is_backlog(d.due, d.issued, as_of)
	GROUP BY d.unit_id, d.role
	ORDER BY d.unit_id, d.role
$$;

COMMENT ON FUNCTION kpi.lawmaking_backlog_at(date) IS
'per ministry and role, the law-making backlog at as_of (LM3): documents due on or before that day and not issued by then, their number, oldest due date and ids';

CREATE VIEW kpi.lawmaking_backlog AS
SELECT b.unit_id, b.role, b.backlog, b.oldest_due, b.doc_ids
FROM kpi.lawmaking_backlog_at(current_date) b;

COMMENT ON VIEW kpi.lawmaking_backlog IS
'per ministry and role, the law-making backlog today (kpi.lawmaking_backlog_at(current_date))';

-- Row-level security -----------------------------------------------------------
--
-- A unit's reporting_role (and every role that is a member of it) sees the
-- rows of the unit's subtree in the input and result tables and in the
-- views; nothing else.  The owner of the tables (the role that created the
-- extension) and superusers are not subject to it, nor are roles with
-- BYPASSRLS.  Privileges are the DBA's: grant SELECT to reporting roles (see
-- the README); the append-only triggers refuse UPDATE, DELETE and TRUNCATE of
-- results whatever the privileges.

-- The subtree, computed with the rights of the view's owner (it reads every
-- kpi.unit row, past the policies, like a SECURITY DEFINER function would);
-- pg_has_role checks the role running the query.
CREATE VIEW kpi.visible_unit WITH (security_barrier) AS
WITH RECURSIVE v AS (
	SELECT u.unit_id
	FROM kpi.unit u
	JOIN pg_catalog.pg_roles r ON r.rolname = u.reporting_role
	WHERE pg_catalog.pg_has_role(r.oid, 'MEMBER')
	UNION
	SELECT c.unit_id
	FROM kpi.unit c
	JOIN v ON c.parent_id = v.unit_id
)
SELECT v.unit_id FROM v;

GRANT SELECT ON kpi.visible_unit TO PUBLIC;

COMMENT ON VIEW kpi.visible_unit IS
'the units the current role reports on: every unit whose reporting_role it is a member of, and their subtrees (used by the row-level security policies; read with the rights of its owner)';

ALTER TABLE kpi.unit ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.unit FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.official ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.official
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.task_line ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.task_line
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v)
	       OR official_id IN (SELECT o.official_id FROM kpi.official o
	                          JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));

ALTER TABLE kpi.general_mark ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.general_mark
	USING (official_id IN (SELECT o.official_id FROM kpi.official o
	                       JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));

ALTER TABLE kpi.leader_criteria ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.leader_criteria
	USING (official_id IN (SELECT o.official_id FROM kpi.official o
	                       JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));

ALTER TABLE kpi.disciplinary_record ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.disciplinary_record
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v)
	       OR official_id IN (SELECT o.official_id FROM kpi.official o
	                          JOIN kpi.visible_unit v ON v.unit_id = o.unit_id));

ALTER TABLE kpi.quota_approval ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.quota_approval
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.index_value ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.index_value
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.agency_input ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.agency_input
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.lawmaking_document ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.lawmaking_document
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

-- results: read only (the append-only triggers refuse the rest anyway)
ALTER TABLE kpi.official_result ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.official_result FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.agency_result ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.agency_result FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.ledger FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

ALTER TABLE kpi.agency_ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.agency_ledger FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));

-- the reporting views run with the caller's rights, so its policies apply
ALTER VIEW kpi.current_official_result SET (security_invoker = true);
ALTER VIEW kpi.current_agency_result SET (security_invoker = true);
ALTER VIEW kpi.tier_distribution SET (security_invoker = true);
ALTER VIEW kpi.current_unit_result SET (security_invoker = true);
ALTER VIEW kpi.quota_decisions SET (security_invoker = true);
ALTER VIEW kpi.lawmaking_backlog SET (security_invoker = true);
