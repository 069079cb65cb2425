--@ schema

-- Quarterly forms per agency (issue 13 point 2, rules.md CY2) --------------------
--
-- In 2026 several agencies score the ten general-criteria marks and d/dd/e
-- once a quarter and apply them to each month of it, while their task results
-- stay monthly.  The rule value forms_period says so for the whole database;
-- kpi.unit_forms_period says it for a unit and its subtree, over a range of
-- quarters, so that one agency can use quarterly forms beside others that do
-- not.  The nearest ancestor-or-self with a row in force wins, as the nearest
-- agency does in kpi.unit_agency.

CREATE TABLE kpi.unit_forms_period (
	unit_id bigint NOT NULL REFERENCES kpi.unit,
	effective daterange NOT NULL,
	forms_period text NOT NULL CONSTRAINT unit_forms_period_value CHECK (forms_period IN ('period', 'quarter')),
	decision text,
	PRIMARY KEY (unit_id, effective),
	-- a month's form is its quarter's form only if the switch falls between
	-- quarters: otherwise one form would be read both as a month's and as a
	-- quarter's
	CONSTRAINT unit_forms_period_quarters CHECK (
		NOT isempty(effective)
		AND (lower_inf(effective) OR lower(effective) = date_trunc('quarter', lower(effective))::date)
		AND (upper_inf(effective) OR upper(effective) = date_trunc('quarter', upper(effective))::date)),
	-- int8range(id, id, '[]') && is equality of ids, so no btree_gist is needed
	CONSTRAINT unit_forms_period_no_overlap EXCLUDE USING gist
		(int8range(unit_id, unit_id, '[]') WITH &&, effective WITH &&)
);

COMMENT ON TABLE kpi.unit_forms_period IS
'which forms a unit and its subtree read for a month (CY2): forms_period ''quarter'' makes every month of a quarter read the general-criteria form and leader criteria dated the quarter''s first day, ''period'' its own month''s; over effective, whole quarters; the nearest ancestor-or-self row in force on the period''s last day wins over the rule value forms_period (kpi.unit_forms)';
COMMENT ON COLUMN kpi.unit_forms_period.effective IS 'the quarters the choice is in force, [first day of a quarter, first day of a later quarter) or unbounded';
COMMENT ON COLUMN kpi.unit_forms_period.forms_period IS '''quarter'': a month reads the form of its quarter; ''period'': each month its own form (the default of the rule value forms_period)';
COMMENT ON COLUMN kpi.unit_forms_period.decision IS 'the decision or letter that set the agency''s cycle (number, date, authority)';
COMMENT ON CONSTRAINT unit_forms_period_quarters ON kpi.unit_forms_period IS
'the range is not empty and starts and ends on the first day of a quarter (or is unbounded): a month never reads a form that another month reads as its own';
COMMENT ON CONSTRAINT unit_forms_period_no_overlap ON kpi.unit_forms_period IS
'one choice per unit on any day (an exclusion constraint, safe under concurrent writes)';

SELECT pg_catalog.pg_extension_config_dump('kpi.unit_forms_period', '');

--@ functions

CREATE OR REPLACE FUNCTION kpi.forms_date(period_start date, period_kind text, forms_period text)
RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	-- CY2: a month under quarterly forms reads the form of its quarter
	SELECT CASE WHEN forms_date.period_kind = 'month' AND forms_date.forms_period = 'quarter'
	            THEN date_trunc('quarter', forms_date.period_start)::date
	            ELSE forms_date.period_start END
$$;

COMMENT ON FUNCTION kpi.forms_date(date, text, text) IS
'the date of the general-criteria form and leader criteria a period reads (CY2): for a month under forms_period ''quarter'' the first day of its quarter, else the period''s first day; NULL forms_period reads the period''s own';

CREATE OR REPLACE FUNCTION kpi.unit_forms(period_start date, period_kind text, rules jsonb)
RETURNS TABLE (unit_id bigint, forms_period text, forms date, set_by bigint)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	-- the choices in force walk down the tree from the units that made them,
	-- stopping at a unit with its own (overrides are few; units are many); a
	-- cycle stops after 1000 steps (DQ-DUNG-03 reports it)
	WITH RECURSIVE
	p AS (
		SELECT kpi.evaluation_period_end(unit_forms.period_start, unit_forms.period_kind) AS last_day,
		       kpi.effective_rules(unit_forms.rules) ->> 'forms_period' AS dflt
	),
	o AS (
		SELECT f.unit_id, f.forms_period
		FROM kpi.unit_forms_period f CROSS JOIN p
		WHERE f.effective OPERATOR(pg_catalog.@>) p.last_day
	),
	down(unit_id, forms_period, set_by, depth) AS (
		SELECT o.unit_id, o.forms_period, o.unit_id, 0 FROM o
		UNION ALL
		SELECT c.unit_id, d.forms_period, d.set_by, d.depth OPERATOR(pg_catalog.+) 1
		FROM down d JOIN kpi.unit c ON c.parent_id OPERATOR(pg_catalog.=) d.unit_id
		WHERE NOT EXISTS (SELECT 1 FROM o WHERE o.unit_id OPERATOR(pg_catalog.=) c.unit_id)
		  AND d.depth OPERATOR(pg_catalog.<) 1000
	),
	nearest AS (
		SELECT DISTINCT ON (d.unit_id) d.unit_id, d.forms_period, d.set_by
		FROM down d
		ORDER BY d.unit_id, d.depth
	)
	SELECT u.unit_id, coalesce(n.forms_period, p.dflt),
	       kpi.forms_date(unit_forms.period_start, unit_forms.period_kind, coalesce(n.forms_period, p.dflt)),
	       n.set_by
	FROM kpi.unit u
	CROSS JOIN p
	LEFT JOIN nearest n ON n.unit_id OPERATOR(pg_catalog.=) u.unit_id
$$;

COMMENT ON FUNCTION kpi.unit_forms(date, text, jsonb) IS
'every unit with the forms a period reads (CY2): the forms_period of the nearest ancestor-or-self kpi.unit_forms_period row in force on the period''s last day (set_by names that unit), else the rule value forms_period of the rules given (set_by NULL), and the date of the forms read (kpi.forms_date)';

CREATE OR REPLACE FUNCTION kpi.forms_dates(period_start date, period_kind text, rules jsonb)
RETURNS date[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	-- usually one date; two when some units read their quarter's forms and
	-- others their month's
	SELECT coalesce(array_agg(DISTINCT f.forms ORDER BY f.forms),
	                ARRAY[kpi.forms_date(forms_dates.period_start, forms_dates.period_kind,
	                                     kpi.effective_rules(forms_dates.rules) ->> 'forms_period')])
	FROM kpi.unit_forms(forms_dates.period_start, forms_dates.period_kind, forms_dates.rules) f
$$;

COMMENT ON FUNCTION kpi.forms_dates(date, text, jsonb) IS
'the dates of the forms some unit reads for a period (CY2, kpi.unit_forms), in order: one date unless units differ; with no units, the rule value''s';
--@ post

-- read like kpi.quota_approval; written by the owner only, as kpi.rule_set
-- is: which forms an agency reads changes its results
ALTER TABLE kpi.unit_forms_period ENABLE ROW LEVEL SECURITY;
CREATE POLICY unit_subtree ON kpi.unit_forms_period FOR SELECT
	USING (unit_id IN (SELECT v.unit_id FROM kpi.visible_unit v));
