--@ schema

------------------------------------------------------------------------------
-- Tiers (CS13-CS14)
------------------------------------------------------------------------------

CREATE TYPE kpi.tier AS ENUM ('khong_hoan_thanh', 'hoan_thanh', 'tot', 'xuat_sac');

COMMENT ON TYPE kpi.tier IS
'rating tier, ordered worst to best: khong_hoan_thanh (not complete), hoan_thanh (complete), tot (good), xuat_sac (excellent)';
--@ functions

CREATE OR REPLACE FUNCTION kpi.tier_of(score numeric, disqualified boolean DEFAULT false, rules jsonb DEFAULT '{}')
RETURNS kpi.tier AS 'MODULE_PATHNAME', 'tier_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.tier_label(tier kpi.tier, lang text DEFAULT 'vi')
RETURNS text AS 'MODULE_PATHNAME', 'tier_label' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.tier_of(numeric, boolean, jsonb) IS
'tier of a score rounded to 2 decimals: >= 90 xuat_sac, >= 70 tot, >= 50 hoan_thanh, else khong_hoan_thanh (CS13); khong_hoan_thanh when disqualified (CS14)';
COMMENT ON FUNCTION kpi.tier_label(kpi.tier, text) IS
'the official name of a tier in Vietnamese (''vi'') or English (''en'')';
