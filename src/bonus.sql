--@ functions

------------------------------------------------------------------------------
-- Bonus regulation (PAY1, PAY2, PAY4)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.bonus_rules(regulation jsonb DEFAULT '{}')
RETURNS jsonb AS 'MODULE_PATHNAME', 'bonus_rules' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.bonus_fund(salary_fund numeric, regulation jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'bonus_fund' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.bonus_reserve(fund numeric, regulation jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'bonus_reserve' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.bonus_cap(base_salary numeric, regulation jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'bonus_cap' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.bonus_step(regulation jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'bonus_step' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.bonus_weight(tier kpi.tier, score numeric, salary_coefficient numeric,
                                 service_months integer, regulation jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'bonus_weight' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.bonus_rules(jsonb) IS
'the complete bonus regulation: the keys given, validated, and every default (fund_share 0.1, tier_coefficients xuat_sac 1.5 / tot 1 / hoan_thanh 0.5 / khong_hoan_thanh 0, multiply_by none, cap_base_salaries null, min_service_months 0, adhoc_reserve 0, step 1000; PAY1, PAY2)';
COMMENT ON FUNCTION kpi.bonus_fund(numeric, jsonb) IS
'the year''s bonus fund: fund_share (10%, Decree 73/2024/ND-CP) of the salary fund without allowances, down to the step (PAY1)';
COMMENT ON FUNCTION kpi.bonus_reserve(numeric, jsonb) IS
'the part of a bonus fund kept for ad-hoc bonuses: adhoc_reserve of it, down to the step (PAY1, PAY2)';
COMMENT ON FUNCTION kpi.bonus_cap(numeric, jsonb) IS
'the per-person cap of a bonus: cap_base_salaries times the base salary, down to the step; NULL when the regulation has no cap (PAY2)';
COMMENT ON FUNCTION kpi.bonus_step(jsonb) IS
'the step bonuses and additional income are paid in (the regulation''s step, 1,000 đồng by default; PAY3)';
COMMENT ON FUNCTION kpi.bonus_weight(kpi.tier, numeric, numeric, integer, jsonb) IS
'a person''s weight in the bonus split: the tier''s coefficient, times the score or the salary coefficient under multiply_by; 0 below min_service_months; NULL (no share) without a tier or without the value multiplied by (PAY2)';
