--@ schema

CREATE TYPE kpi.score_detail AS (
	quantity_pct numeric,
	quality_pct numeric,
	progress_pct numeric,
	task_pct numeric,
	task_points numeric,
	d numeric,
	dd numeric,
	e numeric,
	score numeric,
	tier kpi.tier
);

COMMENT ON TYPE kpi.score_detail IS
'everything a result row shows of one official''s period, from kpi.score_detail or kpi.score_organisation: a, b, c, KQ, T (CS5-CS9), for a leader d, dd, e (CS10), the score (CS11) and its tier (CS13)';
--@ functions

------------------------------------------------------------------------------
-- One period of an organisation (CS5-CS11, CS13): the result rows in one call
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.score_detail(general numeric, t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS kpi.score_detail AS 'MODULE_PATHNAME', 'score_detail' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.score_detail(general numeric, t kpi.tally, d numeric, dd numeric, e numeric,
                                 rules jsonb DEFAULT '{}')
RETURNS kpi.score_detail AS 'MODULE_PATHNAME', 'score_detail' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.score_organisation(unit_id bigint, is_leader boolean, scope bigint[],
                                       general numeric, t kpi.tally, dd numeric, e numeric,
                                       rules jsonb DEFAULT '{}')
RETURNS kpi.score_detail AS 'MODULE_PATHNAME', 'score_organisation' LANGUAGE C IMMUTABLE WINDOW PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.unit_scopes(roots bigint[], unit_ids bigint[], parent_ids bigint[],
                                whole_subtree boolean DEFAULT true)
RETURNS TABLE (root bigint, scope bigint[])
AS 'MODULE_PATHNAME', 'unit_scopes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;

-- Works over arrays rather than a table, so it stays IMMUTABLE and fits any unit table.
CREATE OR REPLACE FUNCTION kpi.unit_scope(root bigint, unit_ids bigint[], parent_ids bigint[],
                               whole_subtree boolean DEFAULT true)
RETURNS SETOF bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT pg_catalog.unnest(s.scope)
	FROM kpi.unit_scopes(ARRAY[root], unit_ids, parent_ids, whole_subtree) s
$$;

COMMENT ON FUNCTION kpi.score_detail(numeric, kpi.tally, jsonb) IS
'a non-leader''s period in one call (kpi.score_detail): a, b, c, KQ, T, the score G + 0.70 x KQ and its tier (CS5-CS11, CS13); no tally: all NULL; no G: score and tier NULL; NULL rules give NULL';
COMMENT ON FUNCTION kpi.score_detail(numeric, kpi.tally, numeric, numeric, numeric, jsonb) IS
'a leader''s period in one call (kpi.score_detail) with criteria d, dd, e (CS10; NULL: leader_full): a, b, c, KQ, T, d, dd, e, the score and its tier; NULLs as for the non-leader form';
COMMENT ON FUNCTION kpi.score_organisation(bigint, boolean, bigint[], numeric, kpi.tally, numeric, numeric, jsonb) IS
'window function over one period of one organisation (the window partition): each official''s kpi.score_detail, with a leader''s d decided (CS10): leader_reduced when someone they manage ends below threshold_complete, else leader_full; a leader manages the non-leaders of the units in scope and the leaders whose unit is in it and whose scope is a proper subset of it, or equal to it when the leader sits outside it and they inside (else leaders of the same units are peers); dd and e NULL: leader_full; the rules must be the same on every row';
COMMENT ON FUNCTION kpi.unit_scopes(bigint[], bigint[], bigint[], boolean) IS
'for each distinct root, the units whose civil servants a leader of that unit manages (criterion d, CS10), sorted: the whole subtree by default, or the root only; cycles are safe; the one implementation of a leader''s subtree';
COMMENT ON FUNCTION kpi.unit_scope(bigint, bigint[], bigint[], boolean) IS
'the units whose civil servants a leader of unit root manages (criterion d, CS10): the whole subtree by default, or root only; cycles are safe (kpi.unit_scopes for one root)';
