--@ functions

------------------------------------------------------------------------------
-- Indices (rules.md IX1-IX5)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.index_check(code text, value numeric)
RETURNS numeric AS 'MODULE_PATHNAME', 'index_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.index_fraction(code text, value numeric, higher_is_better boolean DEFAULT true)
RETURNS numeric AS 'MODULE_PATHNAME', 'index_fraction' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.pci_composite(subindices numeric[],
                                  weights numeric[] DEFAULT '{0.05,0.05,0.20,0.05,0.10,0.05,0.05,0.20,0.20,0.05}')
RETURNS numeric AS 'MODULE_PATHNAME', 'pci_composite' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.pci_check(composite numeric, subindices numeric[],
                              weights numeric[] DEFAULT '{0.05,0.05,0.20,0.05,0.10,0.05,0.05,0.20,0.20,0.05}',
                              tolerance numeric DEFAULT 0)
RETURNS boolean AS 'MODULE_PATHNAME', 'pci_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.index_norm(code text, value numeric, method text DEFAULT NULL,
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
