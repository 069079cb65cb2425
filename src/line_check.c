/*
 * line_check.c
 *		kpi.task_line_problem and kpi.task_line_check: whether kpi.tally_agg
 *		accepts one task line (rules.md CS4, N0.5), without summing it.
 *
 * The reference schema checks each line where it enters (a CHECK constraint
 * of kpi.task_line) and the loader reports every bad staged line at once;
 * both must apply the same rule as the aggregate, so the rule lives here, in
 * the same fixed-point conversion the aggregate uses, and not in SQL.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "kpi_eval.h"

/* The reason a quantity cannot be used, or NULL. */
static char *
QuantityProblem(Datum num, const char *what, int64 *v)
{
	KpiFixedStatus status = kpi_numeric_to_fixed(num, v);
	char	   *shown;

	if (status == KPI_FIXED_OK)
		return NULL;
	shown = DatumGetCString(DirectFunctionCall1(numeric_out, num));
	switch (status)
	{
		case KPI_FIXED_NAN:
		case KPI_FIXED_INFINITE:
			return psprintf("%s must be a finite number (the value given is %s)", what, shown);
		case KPI_FIXED_NEGATIVE:
			return psprintf("%s must not be negative (the value given is %s)", what, shown);
		case KPI_FIXED_TOO_PRECISE:
			return psprintf("%s has more than %d decimal places (the value given is %s)",
							what, KPI_DIGITS, shown);
		case KPI_FIXED_TOO_LARGE:
			return psprintf("%s is out of range (the value given is %s; values must be less than "
							KPI_INPUT_LIMIT_TEXT ")", what, shown);
		case KPI_FIXED_OK:
			break;
	}
	return NULL;
}

/*
 * The first reason kpi.tally_agg would refuse the line of arguments
 * first..first+5 (coef, assigned, completed, passed, errors, late), or NULL
 * when it accepts it.  A NULL argument is no problem: the aggregate skips it
 * and the table's NOT NULL refuses it.
 */
static char *
LineProblem(FunctionCallInfo fcinfo, int first)
{
	static const char *const names[4] = {"coef", "assigned_qty", "completed_qty", "passed_qty"};
	int64		v[4];
	char	   *why;

	for (int i = 0; i < 4; i++)
	{
		if (PG_ARGISNULL(first + i))
			return NULL;
		why = QuantityProblem(PG_GETARG_DATUM(first + i), names[i], &v[i]);
		if (why)
			return why;
	}
	if (v[3] > v[2])
		return psprintf("passed_qty %s exceeds completed_qty %s (only completed units can pass)",
						kpi_fixed_cstring(v[3]), kpi_fixed_cstring(v[2]));
	for (int i = 4; i < 6; i++)
	{
		if (PG_ARGISNULL(first + i))
			return NULL;
		if (PG_GETARG_INT32(first + i) < 0)
			return psprintf("%s must not be negative (the value given is %d)",
							i == 4 ? "quality_errors" : "late_events", PG_GETARG_INT32(first + i));
	}
	return NULL;
}

PG_FUNCTION_INFO_V1(task_line_problem);

/* kpi.task_line_problem(coef, assigned, completed, passed, errors, late): text or NULL */
Datum
task_line_problem(PG_FUNCTION_ARGS)
{
	char	   *why = LineProblem(fcinfo, 0);

	if (why == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(why));
}

PG_FUNCTION_INFO_V1(task_line_check);

/*
 * kpi.task_line_check(task_id, official_id, unit_id, coef, ...): true, or a
 * check_violation naming the line, so that a CHECK constraint built on it
 * says which row and why instead of only the constraint's name.
 */
Datum
task_line_check(PG_FUNCTION_ARGS)
{
	char	   *why = LineProblem(fcinfo, 3);

	if (why != NULL)
	{
		char	   *owner = !PG_ARGISNULL(1) ? psprintf("official %lld", (long long) PG_GETARG_INT64(1)) :
			!PG_ARGISNULL(2) ? psprintf("unit %lld", (long long) PG_GETARG_INT64(2)) : pstrdup("nobody");

		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("task line %s of %s: %s",
						PG_ARGISNULL(0) ? "(new)" : psprintf("%lld", (long long) PG_GETARG_INT64(0)),
						owner, why),
				 errdetail("kpi.tally_agg would refuse this line (rules.md CS4, N0.5); nothing was written."),
				 errhint("Quantities are numbers from 0 with at most %d decimal places, and passed_qty is at most completed_qty.",
						 KPI_DIGITS)));
	}
	PG_RETURN_BOOL(true);
}
