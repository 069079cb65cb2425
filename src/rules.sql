--@ functions

------------------------------------------------------------------------------
-- Rule sets (rules.md section 6)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.effective_rules(rules jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'effective_rules'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.effective_rules(jsonb) IS
'the complete, validated rule set: the Decree 335 defaults overridden by the keys given';
