/*
 * deduction.c
 *		Deduction criteria in general form (rules.md GN1-GN3): points less a
 *		fixed deduction per event, events counted from waiting times, and
 *		groups of criteria capped at a group maximum.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "utils/array.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(deduction_points);

/*
 * kpi.deduction_points(max_points, per_event, events): max(0, P - p x events)
 * (GN1), exact.
 */
Datum
deduction_points(PG_FUNCTION_ARGS)
{
	int64		max_points = kpi_fixed_arg(PG_GETARG_DATUM(0), "max_points", "deduction criterion");
	int64		per_event = kpi_fixed_arg(PG_GETARG_DATUM(1), "per_event", "deduction criterion");
	int64		events = PG_GETARG_INT64(2);
	int128		left;

	if (events < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("deduction criterion events must not be negative"),
				 errdetail("The value given is " INT64_FORMAT ".", events)));
	/* both factors are below 10^16 and 2^63, so the product fits int128 */
	left = (int128) max_points - (int128) per_event * events;
	PG_RETURN_NUMERIC(kpi_fixed_to_numeric(left > 0 ? (int64) left : 0));
}

static TimestampTz
FiniteArg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(argno);

	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wait %s must be a finite timestamp", what),
				 errdetail("Infinite timestamps have no waiting time.")));
	return t;
}

PG_FUNCTION_INFO_V1(wait_events);

/*
 * kpi.wait_events(started, answered, allowed, as_of): 1 when the answer took
 * longer than allowed, or, with no answer, when as_of is more than allowed
 * after started; else 0 (GN2).  Waiting time is elapsed calendar time;
 * allowed is compared as PostgreSQL compares intervals (a day is 24 hours,
 * a month 30 days).  NULL when started or allowed is NULL.
 */
Datum
wait_events(PG_FUNCTION_ARGS)
{
	TimestampTz started;
	TimestampTz until;
	Interval   *allowed;
	int128		span;
	const char *what = "answered";

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	started = FiniteArg(fcinfo, 0, "started");
	allowed = PG_GETARG_INTERVAL_P(2);
	span = (int128) allowed->month * DAYS_PER_MONTH * USECS_PER_DAY +
		(int128) allowed->day * USECS_PER_DAY + allowed->time;
	if (span < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wait allowed time must not be negative"),
				 errdetail("The value given is %s.",
						   DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(allowed))))));
	if (!PG_ARGISNULL(1))
		until = FiniteArg(fcinfo, 1, "answered");
	else if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
	{
		until = FiniteArg(fcinfo, 3, "as_of");
		what = "as_of";
	}
	else
		PG_RETURN_INT32(0);		/* not answered, and no date to judge by */
	if (until < started)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wait %s is before started", what),
				 errdetail("A wait cannot end before it starts.")));
	PG_RETURN_INT32((int128) until - started > span ? 1 : 0);
}

/* group_points state: rows, sum of points, group maximum (fixed point) */
#define GROUP_N		0
#define GROUP_SUM	1
#define GROUP_MAX	2
#define GROUP_LEN	3

/* The bigint[] state at argno, checked; modifiable in place inside an aggregate. */
static ArrayType *
GroupState(FunctionCallInfo fcinfo, int argno, bool writable, int64 **v)
{
	ArrayType  *a = kpi_state_array(fcinfo, argno, GROUP_LEN, writable,
									"kpi.group_points", v);

	if ((*v)[GROUP_N] < 0 || (*v)[GROUP_SUM] < 0 || (*v)[GROUP_MAX] < -1 ||
		((*v)[GROUP_N] > 0 && (*v)[GROUP_MAX] < 0) ||
		((*v)[GROUP_N] == 0 && (*v)[GROUP_SUM] != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi.group_points: invalid aggregate state"),
				 errdetail("The state has a negative count or sum, or no group maximum.")));
	return a;
}

static void
SameMax(int64 *slot, int64 value)
{
	if (*slot == -1)
		*slot = value;
	else if (*slot != value)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi.group_points group_max differs between rows"),
				 errdetail("The maximums %s and %s were given for one group.",
						   kpi_fixed_cstring(*slot), kpi_fixed_cstring(value)),
				 errhint("Group by the criteria group, whose maximum is the same on every row.")));
}

static void
AddPoints(int64 *into, int64 v)
{
	if (__builtin_add_overflow(*into, v, into))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi.group_points sum is out of range"),
				 errdetail("The count or the sum of points exceeds the bigint range of the state.")));
}

PG_FUNCTION_INFO_V1(group_points_trans);

/* kpi.group_points transition: adds one criterion's points */
Datum
group_points_trans(PG_FUNCTION_ARGS)
{
	int64	   *st;
	ArrayType  *state = GroupState(fcinfo, 0, true, &st);
	int64		points = kpi_fixed_arg(PG_GETARG_DATUM(1), "points", "criterion");
	int64		max = kpi_fixed_arg(PG_GETARG_DATUM(2), "group_max", "criteria group");

	SameMax(&st[GROUP_MAX], max);
	AddPoints(&st[GROUP_N], 1);
	AddPoints(&st[GROUP_SUM], points);
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(group_points_combine);

/* kpi.group_points combine function */
Datum
group_points_combine(PG_FUNCTION_ARGS)
{
	int64	   *a;
	int64	   *b;
	ArrayType  *state = GroupState(fcinfo, 0, true, &a);

	GroupState(fcinfo, 1, false, &b);
	if (b[GROUP_N] > 0)
	{
		SameMax(&a[GROUP_MAX], b[GROUP_MAX]);
		AddPoints(&a[GROUP_N], b[GROUP_N]);
		AddPoints(&a[GROUP_SUM], b[GROUP_SUM]);
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(group_points_final);

/* kpi.group_points final function: least(sum, group_max) (GN3); NULL over no rows */
Datum
group_points_final(PG_FUNCTION_ARGS)
{
	int64	   *st;

	GroupState(fcinfo, 0, false, &st);
	if (st[GROUP_N] == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_fixed_to_numeric(Min(st[GROUP_SUM], st[GROUP_MAX])));
}
