--@ schema

------------------------------------------------------------------------------
-- Reference schema and evaluation runs (RS1-RS2)
--
-- Tables for an organisation (units, officials, task lines, marks, leader
-- criteria, disciplinary records, agency inputs, index values, law-making
-- documents) and versioned rule sets; kpi.evaluate writes append-only results
-- with an explanation ledger.  This layer orchestrates: every score, tier,
-- quota decision and rule is computed by the functions above.
------------------------------------------------------------------------------

-- Rule sets --------------------------------------------------------------------

CREATE TABLE kpi.rule_set (
	rule_set_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE,
	effective daterange NOT NULL CHECK (NOT isempty(effective)),
	rules jsonb NOT NULL DEFAULT '{}' CHECK (kpi.effective_rules(rules) IS NOT NULL),
	is_draft boolean NOT NULL DEFAULT false,
	seeded boolean NOT NULL DEFAULT false,
	-- the seeded Decree 335 set is the fallback: sets of yours may cover it
	CONSTRAINT rule_set_no_overlap EXCLUDE USING gist (effective WITH &&) WHERE (NOT is_draft AND NOT seeded)
);

INSERT INTO kpi.rule_set (name, effective, rules, seeded)
VALUES ('Decree 335/2025/ND-CP', '[2026-01-01,)', '{}', true);

SELECT pg_catalog.pg_extension_config_dump('kpi.rule_set', 'WHERE NOT seeded');
SELECT pg_catalog.pg_extension_config_dump('kpi.rule_set_rule_set_id_seq', '');

COMMENT ON TABLE kpi.rule_set IS
'versioned rule sets (RS1-RS2): rules jsonb (only the keys that differ from Decree 335) in force over the effective date range; drafts are for kpi.what_if and may overlap; non-draft sets of yours may not overlap each other and take precedence over the seeded Decree 335 set';
COMMENT ON SEQUENCE kpi.rule_set_rule_set_id_seq IS 'identity of kpi.rule_set';
COMMENT ON COLUMN kpi.rule_set.effective IS 'days the rule set is in force; an evaluation uses the set in force on the period''s last day';
COMMENT ON COLUMN kpi.rule_set.seeded IS 'true for the Decree 335 set created by the extension (read-only, not dumped by pg_dump)';
--@ functions

CREATE OR REPLACE FUNCTION kpi.rule_set_guard()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		RAISE EXCEPTION 'kpi.rule_set cannot be truncated'
			USING ERRCODE = '55000',
			      DETAIL = 'It holds the seeded Decree 335 rule set, which the extension owns.',
			      HINT = 'Delete your own rule sets with DELETE.';
	END IF;
	IF TG_OP = 'INSERT' THEN
		IF NEW.seeded THEN
			RAISE EXCEPTION 'only the extension seeds rule sets'
				USING ERRCODE = '55000',
				      DETAIL = 'A rule set with seeded = true would not be saved by pg_dump.',
				      HINT = 'Insert it with seeded = false.';
		END IF;
		RETURN NEW;
	END IF;
	IF OLD.seeded THEN
		RAISE EXCEPTION 'the seeded rule set "%" cannot be changed', OLD.name
			USING ERRCODE = '55000',
			      DETAIL = 'It is part of the extension and is not saved by pg_dump.',
			      HINT = 'Add a rule set of your own: where its effective range overlaps the seeded one, it takes precedence.';
	END IF;
	IF TG_OP = 'UPDATE' THEN
		IF NEW.seeded THEN
			RAISE EXCEPTION 'only the extension seeds rule sets' USING ERRCODE = '55000';
		END IF;
		IF EXISTS (SELECT 1 FROM kpi.evaluation_run r
		           WHERE r.rule_set_id = OLD.rule_set_id
		             AND (NEW.rules IS DISTINCT FROM OLD.rules OR NEW.is_draft
		                  OR NOT NEW.effective @> r.period_end)) THEN
			RAISE EXCEPTION 'rule set "%" is used by evaluation runs', OLD.name
				USING ERRCODE = '55000',
				      DETAIL = 'Its rules cannot change, it cannot become a draft, and its effective range must keep every evaluated period''s last day, so that past results can be recomputed.',
				      HINT = 'Add a new rule set for the days it should cover.';
		END IF;
		RETURN NEW;
	END IF;
	RETURN OLD;
END
$$;

COMMENT ON FUNCTION kpi.rule_set_guard() IS
'trigger of kpi.rule_set: the seeded set is read-only, nobody else seeds, and a set used by evaluation runs keeps its rules and covers their periods';
--@ post

CREATE TRIGGER rule_set_guard BEFORE INSERT OR UPDATE OR DELETE ON kpi.rule_set
	FOR EACH ROW EXECUTE FUNCTION kpi.rule_set_guard();
CREATE TRIGGER rule_set_no_truncate BEFORE TRUNCATE ON kpi.rule_set
	FOR EACH STATEMENT EXECUTE FUNCTION kpi.rule_set_guard();
--@ functions

CREATE OR REPLACE FUNCTION kpi.rule_set_for(day date)
RETURNS integer
LANGUAGE plpgsql STABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	v_id integer;
BEGIN
	SELECT s.rule_set_id INTO v_id
	FROM kpi.rule_set s
	WHERE NOT s.is_draft AND s.effective @> day
	ORDER BY s.seeded, s.rule_set_id
	LIMIT 1;
	IF v_id IS NULL THEN
		RAISE EXCEPTION 'no kpi rule set is in force on %', to_char(day, 'YYYY-MM-DD')
			USING ERRCODE = '55000',
			      HINT = 'Add a non-draft rule set whose effective range contains that day to kpi.rule_set.';
	END IF;
	RETURN v_id;
END
$$;

COMMENT ON FUNCTION kpi.rule_set_for(date) IS
'the id of the non-draft rule set in force on day: one of yours if its range contains the day, else the seeded Decree 335 set; an error (55000) when none is';
