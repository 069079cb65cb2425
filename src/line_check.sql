--@ functions

------------------------------------------------------------------------------
-- One task line as kpi.tally_agg reads it (rules.md CS4, N0.5)
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION kpi.task_line_problem(coef numeric, assigned_qty numeric, completed_qty numeric,
                                                 passed_qty numeric, quality_errors integer, late_events integer)
RETURNS text
AS 'MODULE_PATHNAME', 'task_line_problem'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.task_line_problem(numeric, numeric, numeric, numeric, integer, integer) IS
'why kpi.tally_agg would refuse this task line (a quantity negative, not finite, out of range or with more than 4 decimals, passed_qty above completed_qty, a negative count), in English; NULL when it accepts it (a NULL argument is no problem)';

CREATE OR REPLACE FUNCTION kpi.task_line_check(task_id bigint, official_id bigint, unit_id bigint, coef numeric,
                                               assigned_qty numeric, completed_qty numeric, passed_qty numeric,
                                               quality_errors integer, late_events integer)
RETURNS boolean
AS 'MODULE_PATHNAME', 'task_line_check'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION kpi.task_line_check(bigint, bigint, bigint, numeric, numeric, numeric, numeric, integer, integer) IS
'true when kpi.tally_agg accepts the task line, else a check_violation (23514) naming the line (task_id, its official or unit) and the reason of kpi.task_line_problem: the CHECK constraint of kpi.task_line';
