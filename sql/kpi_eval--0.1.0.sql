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
COMMENT ON FUNCTION kpi.tally_combine(kpi.tally, kpi.tally) IS
'aggregate combine function of every tally aggregate, and kpi.rollup transition function: exact merge';
COMMENT ON FUNCTION kpi.tally_uncombine(kpi.tally, kpi.tally) IS
'kpi.rollup moving-aggregate inverse transition function: exact removal';

CREATE AGGREGATE kpi.tally_agg(coef numeric, assigned_qty numeric, completed_qty numeric,
                               passed_qty numeric, quality_errors integer, late_events integer) (
	SFUNC = kpi.tally_agg_trans,
	STYPE = kpi.tally,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_trans,
	MINVFUNC = kpi.tally_agg_inv,
	MSTYPE = kpi.tally,
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.tally_agg(coef numeric, assigned_qty numeric, completed_qty numeric,
                               passed_qty numeric, quality_errors integer, late_events integer,
                               rules jsonb) (
	SFUNC = kpi.tally_agg_trans,
	STYPE = kpi.tally,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_trans,
	MINVFUNC = kpi.tally_agg_inv,
	MSTYPE = kpi.tally,
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.tally_agg(coef numeric, done boolean, passed boolean,
                               quality_errors integer, late_events integer) (
	SFUNC = kpi.tally_agg_unit_trans,
	STYPE = kpi.tally,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_unit_trans,
	MINVFUNC = kpi.tally_agg_unit_inv,
	MSTYPE = kpi.tally,
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.tally_agg(coef numeric, done boolean, passed boolean,
                               quality_errors integer, late_events integer, rules jsonb) (
	SFUNC = kpi.tally_agg_unit_trans,
	STYPE = kpi.tally,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_agg_unit_trans,
	MINVFUNC = kpi.tally_agg_unit_inv,
	MSTYPE = kpi.tally,
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.rollup(kpi.tally) (
	SFUNC = kpi.tally_combine,
	STYPE = kpi.tally,
	COMBINEFUNC = kpi.tally_combine,
	MSFUNC = kpi.tally_combine,
	MINVFUNC = kpi.tally_uncombine,
	MSTYPE = kpi.tally,
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
	INITCOND = '{0,0,-1}',
	MSFUNC = kpi.annual_score_trans,
	MINVFUNC = kpi.annual_score_inv,
	MSTYPE = bigint[],
	MFINALFUNC = kpi.annual_score_final,
	MINITCOND = '{0,0,-1}',
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.annual_score(period_score numeric, rules jsonb) (
	SFUNC = kpi.annual_score_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.annual_score_final,
	COMBINEFUNC = kpi.annual_score_combine,
	INITCOND = '{0,0,-1}',
	MSFUNC = kpi.annual_score_trans,
	MINVFUNC = kpi.annual_score_inv,
	MSTYPE = bigint[],
	MFINALFUNC = kpi.annual_score_final,
	MINITCOND = '{0,0,-1}',
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.unit_result(subordinate_score numeric) (
	SFUNC = kpi.unit_result_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.unit_result_final,
	COMBINEFUNC = kpi.unit_result_combine,
	INITCOND = '{0,0,-1,-1,-1,-1}',
	PARALLEL = SAFE
);
CREATE AGGREGATE kpi.unit_result(subordinate_score numeric, rules jsonb) (
	SFUNC = kpi.unit_result_trans,
	STYPE = bigint[],
	FINALFUNC = kpi.unit_result_final,
	COMBINEFUNC = kpi.unit_result_combine,
	INITCOND = '{0,0,-1,-1,-1,-1}',
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
'window function: the tier after the excellent quota within the window partition (one unit and task group, CS15); demoted members become tot; rows with a NULL tier or score are ignored and get NULL; rate NULL means the rules'' quota_rate (0.20)';
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

-- Pure SQL over arrays, so it stays IMMUTABLE and works on any unit table.
CREATE FUNCTION kpi.unit_scope(root bigint, unit_ids bigint[], parent_ids bigint[],
                               whole_subtree boolean DEFAULT true)
RETURNS SETOF bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	WITH RECURSIVE tree(id, parent) AS (
		SELECT * FROM unnest(unit_ids, parent_ids)
	), scope(id) AS (
		SELECT root
		UNION
		SELECT t.id FROM tree t JOIN scope s ON t.parent = s.id WHERE whole_subtree
	)
	SELECT id FROM scope;
END;

COMMENT ON FUNCTION kpi.unit_scope(bigint, bigint[], bigint[], boolean) IS
'the units whose civil servants a leader of unit root manages (criterion d, CS10): the whole subtree by default, or root only; cycles are safe';
