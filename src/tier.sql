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

CREATE OR REPLACE FUNCTION kpi.deputy_tier(deputy_tier kpi.tier, head_tier kpi.tier,
                                           late_key_tasks boolean, rules jsonb DEFAULT '{}')
RETURNS kpi.tier AS 'MODULE_PATHNAME', 'deputy_tier' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.deputy_tier(kpi.tier, kpi.tier, boolean, jsonb) IS
'a deputy''s tier, capped at the head''s when the unit had late key tasks and the rule value deputy_cap is true (CY5, off by default); no head''s tier: unchanged';

CREATE OR REPLACE FUNCTION kpi.annual_tier(period_tiers kpi.tier[], rules jsonb DEFAULT '{}')
RETURNS kpi.tier AS 'MODULE_PATHNAME', 'annual_tier' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.annual_tier(kpi.tier[], jsonb) IS
'the year''s tier from its period tiers by the rule value annual_tier_table (CY3; default: 2 or more excellent and none not complete: xuat_sac; 2 or more not complete: khong_hoan_thanh; 2 or more good or better: tot; else hoan_thanh); NULL elements are periods not rated; NULL when none was rated';
