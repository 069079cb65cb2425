/*
 * tally_agg.c
 *		kpi.tally_agg and kpi.rollup: transition, inverse and combine
 *		functions (rules.md CS4-CS8).
 *
 * The state is a kpi.tally, a real SQL type, so parallel query,
 * partitionwise aggregation, postgres_fdw and Citus can all ship it.  The
 * state is changed in place only when called by the executor as an
 * aggregate; a direct call gets a modified copy.
 */
#include "postgres.h"

#include "kpi_eval.h"

/* One task line, fixed point (KPI_DIGITS decimals). */
typedef struct TaskLine
{
	int64		coef;
	int64		assigned;
	int64		completed;
	int64		passed;
	int32		errors;
	int32		late;
} TaskLine;

static int32
CountArg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	int32		v = PG_GETARG_INT32(argno);

	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("task line %s must not be negative", what),
				 errdetail("The value given is %d.", v)));
	return v;
}

/* Clamp at zero: a line never earns negative credit (CS8). */
static inline int64
NonNegative(int64 v)
{
	return v < 0 ? 0 : v;
}

/*
 * Add (sign = 1) or remove (sign = -1) one line's credits (CS5-CS7).
 * Products of two scaled inputs are below 10^32, so each fits int128; the
 * running sums are overflow-checked.
 */
static void
ApplyLine(KpiTally *t, const TaskLine *l, int sign)
{
	int64		quality_units = NonNegative(l->passed - (int64) t->quality_deduction * l->errors);
	int64		progress_units = NonNegative(l->completed - (int64) t->progress_deduction * l->late);
	int64		strict_units = NonNegative(l->completed - KPI_ONE * l->late);
	int128		coef = l->coef;

	if (__builtin_add_overflow(t->lines, sign, &t->lines) ||
		__builtin_add_overflow(t->quality_errors, sign * (int64) l->errors, &t->quality_errors) ||
		__builtin_add_overflow(t->late_events, sign * (int64) l->late, &t->late_events))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi.tally count is out of range")));
	t->assigned = kpi_add128(t->assigned, sign * coef * l->assigned, "assigned weight");
	t->quantity = kpi_add128(t->quantity, sign * coef * l->completed, "quantity credit");
	t->quality = kpi_add128(t->quality, sign * coef * quality_units, "quality credit");
	t->progress = kpi_add128(t->progress, sign * coef * progress_units, "progress credit");
	t->progress_strict = kpi_add128(t->progress_strict, sign * coef * strict_units, "progress credit");
}

/*
 * Read the line from the arguments.  unit_form is the single-unit form
 * (coef, done, passed, errors, late).  Returns false when any input is NULL:
 * like the built-in aggregates, a row with a NULL input is skipped.
 */
static bool
ReadLine(FunctionCallInfo fcinfo, bool unit_form, TaskLine *l)
{
	int			nline = unit_form ? 5 : 6;

	/* the optional rules argument counts too, as for a strict function */
	for (int i = 1; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			return false;

	l->coef = kpi_fixed_arg_fast(PG_GETARG_DATUM(1), "coef", "task line");
	if (unit_form)
	{
		bool		done = PG_GETARG_BOOL(2);
		bool		passed = PG_GETARG_BOOL(3);

		if (passed && !done)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("task line is passed but not done"),
					 errdetail("Only a completed product can pass its quality review.")));
		l->assigned = KPI_ONE;
		l->completed = done ? KPI_ONE : 0;
		l->passed = passed ? KPI_ONE : 0;
	}
	else
	{
		l->assigned = kpi_fixed_arg_fast(PG_GETARG_DATUM(2), "assigned_qty", "task line");
		l->completed = kpi_fixed_arg_fast(PG_GETARG_DATUM(3), "completed_qty", "task line");
		l->passed = kpi_fixed_arg_fast(PG_GETARG_DATUM(4), "passed_qty", "task line");
		if (l->passed > l->completed)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("task line passed_qty exceeds completed_qty"),
					 errdetail("passed_qty is %s and completed_qty is %s; only completed units can pass.",
							   kpi_fixed_cstring(l->passed), kpi_fixed_cstring(l->completed))));
	}
	l->errors = CountArg(fcinfo, nline - 1, "quality_errors");
	l->late = CountArg(fcinfo, nline, "late_events");
	return true;
}

/* The state to modify: in place inside an aggregate, else a copy. */
static KpiTally *
MutableState(FunctionCallInfo fcinfo, int argno)
{
	/* the executor's own state is never toasted: skip the detoast check */
	if (AggCheckCallContext(fcinfo, NULL))
		return (KpiTally *) DatumGetPointer(PG_GETARG_DATUM(argno));
	return (KpiTally *) pg_detoast_datum_copy((struct varlena *) PG_GETARG_POINTER(argno));
}

/*
 * The rules of this row (rules overloads only).  Every row's rules are read
 * and validated; the parse is cached, so a constant costs a comparison.
 */
static const KpiRules *
RowRules(FunctionCallInfo fcinfo, int rules_arg)
{
	return PG_NARGS() > rules_arg ? kpi_rules_arg(fcinfo, rules_arg) : NULL;
}

/* An empty state takes the rates of the rules; a non-empty one must agree. */
static void
SetRates(KpiTally *t, const KpiRules *r)
{
	if (t->lines == 0)
	{
		t->quality_deduction = (uint16) r->quality_deduction;
		t->progress_deduction = (uint16) r->progress_deduction;
	}
	else if (t->quality_deduction != r->quality_deduction ||
			 t->progress_deduction != r->progress_deduction)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi.tally_agg rules differ between rows"),
				 errdetail("The deduction rates must be the same for every line of one tally.")));
}

/*
 * Add (sign 1) or remove (sign -1) the row's line.  A row with a NULL input
 * is skipped; then an absent state becomes an empty tally, because a moving
 * aggregate's state must never be NULL.  The final function reads an empty
 * tally as NULL, so an aggregate over no lines is NULL, like avg.
 */
static Datum
Transition(FunctionCallInfo fcinfo, bool unit_form, int sign)
{
	TaskLine	l;
	KpiTally   *t;
	int			rules_arg = unit_form ? 6 : 7;
	bool		skip = !ReadLine(fcinfo, unit_form, &l);
	const KpiRules *r = skip ? NULL : RowRules(fcinfo, rules_arg);

	if (PG_ARGISNULL(0))
	{
		const KpiRules *d = kpi_rules_default();

		if (sign < 0)
			PG_RETURN_NULL();	/* nothing to remove from: recompute */
		t = kpi_tally_new((uint16) d->quality_deduction, (uint16) d->progress_deduction);
	}
	else if (skip)
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	else
		t = MutableState(fcinfo, 0);
	if (skip)
		PG_RETURN_KPI_TALLY(t);
	if (r)
		SetRates(t, r);
	else if (t->lines == 0)
		SetRates(t, kpi_rules_default());
	ApplyLine(t, &l, sign);
	PG_RETURN_KPI_TALLY(t);
}

PG_FUNCTION_INFO_V1(tally_agg_trans);

/* kpi.tally_agg transition: (coef, assigned, completed, passed, errors, late [, rules]) */
Datum
tally_agg_trans(PG_FUNCTION_ARGS)
{
	return Transition(fcinfo, false, 1);
}

PG_FUNCTION_INFO_V1(tally_agg_inv);

/* moving-aggregate inverse of tally_agg_trans */
Datum
tally_agg_inv(PG_FUNCTION_ARGS)
{
	return Transition(fcinfo, false, -1);
}

PG_FUNCTION_INFO_V1(tally_agg_unit_trans);

/* kpi.tally_agg transition, single-unit form: (coef, done, passed, errors, late [, rules]) */
Datum
tally_agg_unit_trans(PG_FUNCTION_ARGS)
{
	return Transition(fcinfo, true, 1);
}

PG_FUNCTION_INFO_V1(tally_agg_unit_inv);

/* moving-aggregate inverse of tally_agg_unit_trans */
Datum
tally_agg_unit_inv(PG_FUNCTION_ARGS)
{
	return Transition(fcinfo, true, -1);
}

PG_FUNCTION_INFO_V1(tally_final);

/* kpi.tally_agg final function: a tally of no lines is NULL */
Datum
tally_final(PG_FUNCTION_ARGS)
{
	KpiTally   *t = PG_GETARG_KPI_TALLY(0);

	if (t->lines == 0)
		PG_RETURN_NULL();
	PG_RETURN_KPI_TALLY(t);
}

PG_FUNCTION_INFO_V1(tally_combine);

/*
 * Combine function of every tally aggregate, and the transition function of
 * kpi.rollup: exact, associative and commutative.
 */
Datum
tally_combine(PG_FUNCTION_ARGS)
{
	KpiTally   *into = MutableState(fcinfo, 0);

	kpi_tally_merge(into, PG_GETARG_KPI_TALLY(1));
	PG_RETURN_KPI_TALLY(into);
}

PG_FUNCTION_INFO_V1(tally_uncombine);

/* moving-aggregate inverse of kpi.rollup */
Datum
tally_uncombine(PG_FUNCTION_ARGS)
{
	KpiTally   *from = MutableState(fcinfo, 0);

	if (!kpi_tally_unmerge(from, PG_GETARG_KPI_TALLY(1)) || from->lines == 0)
		PG_RETURN_NULL();
	PG_RETURN_KPI_TALLY(from);
}
