--@ functions

------------------------------------------------------------------------------
-- Agencies (rules.md AG1-AG5)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.agency_general_points(marks numeric[], rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'agency_general_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.agency_score(general numeric, work_plan kpi.tally, dossiers bigint,
                                 dossiers_on_time bigint, dossiers_online bigint,
                                 indices jsonb DEFAULT '{}', kind text DEFAULT 'ministry',
                                 rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'agency_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.agency_components(general numeric, work_plan kpi.tally, dossiers bigint,
                                      dossiers_on_time bigint, dossiers_online bigint,
                                      indices jsonb DEFAULT '{}', kind text DEFAULT 'ministry',
                                      rules jsonb DEFAULT '{}',
                                      OUT general_points numeric, OUT work_plan_points numeric,
                                      OUT procedures_points numeric, OUT par_points numeric,
                                      OUT sipas_points numeric, OUT pci_points numeric,
                                      OUT dti_points numeric, OUT score numeric)
AS 'MODULE_PATHNAME', 'agency_components' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.head_tier(head kpi.tier, agency kpi.tier, rules jsonb DEFAULT '{}')
RETURNS kpi.tier AS 'MODULE_PATHNAME', 'head_tier' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.head_capped(head kpi.tier, agency kpi.tier, rules jsonb DEFAULT '{}')
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
