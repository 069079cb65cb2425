--@ functions

------------------------------------------------------------------------------
-- Reading a tally (CS5-CS11)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.quantity_pct(t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'quantity_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.quality_pct(t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'quality_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.progress_pct(t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'progress_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.task_pct(t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'task_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.task_pct(t kpi.tally, d numeric, dd numeric, e numeric, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'task_pct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.task_points(t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'task_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.task_points(t kpi.tally, d numeric, dd numeric, e numeric, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'task_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.period_score(general numeric, t kpi.tally, rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'period_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.period_score(general numeric, t kpi.tally, d numeric, dd numeric, e numeric,
                                 rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'period_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION kpi.general_points(marks numeric[], rules jsonb DEFAULT '{}')
RETURNS numeric AS 'MODULE_PATHNAME', 'general_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION kpi.quantity_pct(kpi.tally, jsonb) IS
'quantity a = 100 x converted completed / converted assigned (CS5), capped at 100 unless rules say "cap": false; NULL when nothing was assigned';
COMMENT ON FUNCTION kpi.quality_pct(kpi.tally, jsonb) IS
'quality b (CS6): passed units less 25% per failed review, per line, over converted assigned; capped like a';
COMMENT ON FUNCTION kpi.progress_pct(kpi.tally, jsonb) IS
'progress c (CS7): completed units less 25% per late event (or only on-time units, "progress_reading": "strict"), over converted assigned';
COMMENT ON FUNCTION kpi.task_pct(kpi.tally, jsonb) IS
'task percentage KQ = (a + b + c) / 3 for a non-leader (CS9)';
COMMENT ON FUNCTION kpi.task_pct(kpi.tally, numeric, numeric, numeric, jsonb) IS
'task percentage KQ = (a + b + c + d + dd + e) / 6 for a leader (CS9, CS10); d, dd, e are 100 or 50';
COMMENT ON FUNCTION kpi.task_points(kpi.tally, jsonb) IS
'task-result points T = 0.70 x KQ for a non-leader (CS9), unrounded';
COMMENT ON FUNCTION kpi.task_points(kpi.tally, numeric, numeric, numeric, jsonb) IS
'task-result points T = 0.70 x KQ for a leader (CS9, CS10), unrounded';
COMMENT ON FUNCTION kpi.period_score(numeric, kpi.tally, jsonb) IS
'period total G + 0.70 x KQ for a non-leader (CS11), rounded half away from zero to 2 decimals from the exact value';
COMMENT ON FUNCTION kpi.period_score(numeric, kpi.tally, numeric, numeric, numeric, jsonb) IS
'period total G + 0.70 x KQ for a leader with criteria d, dd, e (CS10, CS11), rounded half away from zero to 2 decimals';
COMMENT ON FUNCTION kpi.general_points(numeric[], jsonb) IS
'general-criteria points G: the sum of the 10 marks of the Decree 335 form, each checked against its maximum (CS3)';
