--@ schema

CREATE TYPE kpi.discipline_form AS ENUM
	('khien_trach', 'canh_cao', 'ha_bac_luong', 'giang_chuc', 'cach_chuc', 'buoc_thoi_viec');

COMMENT ON TYPE kpi.discipline_form IS
'disciplinary forms for civil servants, lightest first: reprimand, warning, salary-grade demotion, demotion, removal from post, forced dismissal; salary-grade demotion and demotion were removed by Decree 172/2025/ND-CP and are refused for decisions dated on or after the rule value discipline_reform_date (kpi.discipline_form_valid)';
--@ functions

CREATE OR REPLACE FUNCTION kpi.disqualifies(kind text, form kpi.discipline_form DEFAULT NULL,
                                 duty_related boolean DEFAULT NULL, is_leader boolean DEFAULT NULL,
                                 rules jsonb DEFAULT '{}')
RETURNS boolean AS 'MODULE_PATHNAME', 'disqualifies' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.disqualifies(text, kpi.discipline_form, boolean, boolean, jsonb) IS
'does one record force khong_hoan_thanh for its year (CS14)? kind ''degradation'': always; ''discipline'': duty-related and a reprimand or heavier; ''unit_corruption'': leaders only';

CREATE OR REPLACE FUNCTION kpi.discipline_form_valid(form kpi.discipline_form, decided_on date,
                                 rules jsonb DEFAULT '{}')
RETURNS boolean AS 'MODULE_PATHNAME', 'discipline_form_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.discipline_form_valid(kpi.discipline_form, date, jsonb) IS
'may a disciplinary decision dated decided_on take this form? false for salary-grade demotion (ha_bac_luong) and demotion (giang_chuc) dated on or after the rule value discipline_reform_date (Decree 172/2025/ND-CP, default 2025-07-01); records dated before keep them (CS14)';

CREATE OR REPLACE FUNCTION kpi.screening(years integer[], tiers kpi.tier[], rules jsonb DEFAULT '{}')
RETURNS text AS 'MODULE_PATHNAME', 'screening' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.screening(integer[], kpi.tier[], jsonb) IS
'screening flag for the last year of a tier history (CS16): ''out'' after 2 consecutive years not complete, ''down'' when not complete, ''up'' when excellent, else NULL';
