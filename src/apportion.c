/*
 * apportion.c
 *		Exact largest-remainder apportionment (rules.md PAY3): the window
 *		functions kpi.apportion and kpi.apportion_capped.
 *
 * Used as  kpi.apportion(weight, total, step) OVER (PARTITION BY p ORDER BY k)
 * the whole partition is decided on its first row.  The total is a whole
 * number S of steps; a row's exact quota is S w / W steps (W the sum of the
 * weights).  Weights are brought to one decimal scale and held as int128, so
 * the quota's floor and remainder are integer division: no float, no
 * rounding, and the result depends only on the partition's rows and order,
 * whatever the plan.
 */
#include "postgres.h"

#include "kpi_eval.h"
#include "apportion.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "windowapi.h"

static void
TooLarge(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("apportionment is out of range"),
			 errdetail("The weights, their decimal places or the number of steps are too large for exact 128-bit arithmetic."),
			 errhint("Give the weights with fewer decimal places or use a larger step.")));
}

static int128
Mul(int128 a, int128 b)
{
	int128		r;

	if (__builtin_mul_overflow(a, b, &r))
		TooLarge();
	return r;
}

/* Row order of the leftover steps: larger remainder first, then earlier row. */
typedef struct Remainder
{
	int128		rem;
	int64		pos;
} Remainder;

static int
CmpRemainder(const void *pa, const void *pb)
{
	const Remainder *a = pa;
	const Remainder *b = pb;

	if (a->rem != b->rem)
		return a->rem > b->rem ? -1 : 1;
	return a->pos < b->pos ? -1 : (a->pos > b->pos ? 1 : 0);
}

/* Capping order: smaller cap per unit of weight first (cap_a / w_a < cap_b / w_b). */
typedef struct Capped
{
	int128		weight;
	int64		cap;
	int64		pos;
} Capped;

static int
CmpCapped(const void *pa, const void *pb)
{
	const Capped *a = pa;
	const Capped *b = pb;
	int128		l = Mul(a->cap, b->weight);
	int128		r = Mul(b->cap, a->weight);

	if (l != r)
		return l < r ? -1 : 1;
	return a->pos < b->pos ? -1 : (a->pos > b->pos ? 1 : 0);
}

/*
 * Caps first (water-filling): in the order of cap per unit of weight, a row
 * is capped when its quota of what is left, left x w / W_left, reaches its
 * cap; capping it can only raise the others' quotas, so the capped rows are
 * a prefix of that order.  The rest is apportioned among the uncapped rows
 * by largest remainder; an uncapped row's quota is below its cap, a whole
 * number of steps, so its floor plus one leftover step still fits.
 */
int64
kpi_apportion_steps(int64 n, const int128 *weight, const bool *null,
					const int64 *cap, int64 steps, KpiShare *share)
{
	int128		wsum = 0;
	int128		left = steps;
	int128		given = 0;
	int64		ncap = 0;
	int64		nrem = 0;
	bool	   *done = palloc0(n * sizeof(bool));
	Capped	   *byratio = palloc(n * sizeof(Capped));
	Remainder  *rem = palloc(n * sizeof(Remainder));

	memset(share, 0, n * sizeof(KpiShare));
	for (int64 i = 0; i < n; i++)
	{
		if (null[i])
			continue;
		wsum = kpi_add128(wsum, weight[i], "apportionment weight sum");
		if (cap != NULL && cap[i] >= 0 && weight[i] > 0)
		{
			byratio[ncap].weight = weight[i];
			byratio[ncap].cap = cap[i];
			byratio[ncap].pos = i;
			ncap++;
		}
	}
	if (wsum == 0)
	{
		if (steps != 0)
			ereport(ERROR,
					(errcode(ERRCODE_DIVISION_BY_ZERO),
					 errmsg("cannot apportion a nonzero total over zero weights"),
					 errdetail("Every weight of the window partition is zero or NULL, and the total is not zero.")));
		return 0;
	}

	qsort(byratio, ncap, sizeof(Capped), CmpCapped);
	for (int64 j = 0; j < ncap && wsum > 0; j++)
	{
		Capped	   *c = &byratio[j];

		if (Mul(c->cap, wsum) > Mul(left, c->weight))
			break;
		share[c->pos].steps = c->cap;
		share[c->pos].capped = true;
		done[c->pos] = true;
		left -= c->cap;
		wsum -= c->weight;
	}
	if (wsum == 0)
		return (int64) left;	/* every row with a weight took its cap */

	for (int64 i = 0; i < n; i++)
	{
		int128		num;
		int128		q;

		if (null[i] || done[i])
			continue;
		num = Mul(left, weight[i]);
		q = num / wsum;
		share[i].steps = (int64) q;
		given += q;
		rem[nrem].rem = num % wsum;
		rem[nrem].pos = i;
		nrem++;
	}
	/* fewer leftover steps than uncapped rows: the remainders sum to them */
	qsort(rem, nrem, sizeof(Remainder), CmpRemainder);
	for (int64 j = 0; j < (int64) (left - given); j++)
	{
		share[rem[j].pos].steps++;
		share[rem[j].pos].extra = true;
	}
	pfree(done);
	pfree(byratio);
	pfree(rem);
	return 0;
}

/* A total, step or cap must be a finite number, not negative. */
static void
CheckAmount(Numeric v, const char *what, const char *context)
{
	if (numeric_is_nan(v) || numeric_is_inf(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s must be a finite number", context, what),
				 errdetail("The value given is %s.",
						   DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v))))));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(v),
										  NumericGetDatum(int64_to_numeric(0)))) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s must not be negative", context, what),
				 errdetail("The value given is %s.",
						   DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v))))));
}

static char *
NumText(Datum v)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, v));
}

int64
kpi_total_steps(Datum total, Datum step, const char *context)
{
	Datum		zero = NumericGetDatum(int64_to_numeric(0));
	Datum		n;

	CheckAmount(DatumGetNumeric(total), "total", context);
	CheckAmount(DatumGetNumeric(step), "step", context);
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, step, zero)) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s step must be positive", context),
				 errdetail("The step given is 0.")));
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp,
										  DirectFunctionCall2(numeric_mod, total, step), zero)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s total must be a multiple of the step", context),
				 errdetail("The total %s is not a whole number of steps of %s.",
						   NumText(total), NumText(step))));
	n = DirectFunctionCall2(numeric_div_trunc, total, step);
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, n,
										  NumericGetDatum(int64_to_numeric(KPI_APPORTION_MAX_STEPS)))) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s total holds too many steps", context),
				 errdetail("The total %s is more than 10^18 steps of %s.", NumText(total), NumText(step))));
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, n));
}

/* Decimal places of a numeric without its trailing zeros. */
int
kpi_numeric_scale_of(Datum num)
{
	return DatumGetInt32(DirectFunctionCall1(numeric_min_scale, num));
}

/* An exact non-negative numeric as an integer in units of 10^-scale. */
int128
kpi_numeric_scaled(Datum num, int scale, const char *context)
{
	const char *s = NumText(DirectFunctionCall1(numeric_trim_scale, num));
	const char *end;
	int128		r;

	if (!kpi_cstring_to_int128(s, scale, &r, &end) || *end != '\0')
		TooLarge();
	(void) context;
	return r;
}

Datum
kpi_steps_amount(int64 steps, Datum step)
{
	return DirectFunctionCall2(numeric_mul, NumericGetDatum(int64_to_numeric(steps)), step);
}

/* The partition's decision, made on its first row. */
typedef struct Apportionment
{
	bool		decided;
	bool		allnull;		/* total or step NULL on every row */
	int64		nrows;
	bool	   *null;			/* weight NULL: no share */
	KpiShare   *share;
	Datum		step;
} Apportionment;

/* The argument argno (total, step) must be the same on every row. */
static Datum
SameValue(WindowObject winobj, int argno, int64 nrows, const char *what,
		  bool *isnull, const char *context)
{
	Datum		first = WinGetFuncArgInPartition(winobj, argno, 0, WINDOW_SEEK_HEAD, false, isnull, NULL);

	if (!*isnull)
		first = datumCopy(first, false, -1);
	for (int64 i = 1; i < nrows; i++)
	{
		bool		n;
		Datum		d = WinGetFuncArgInPartition(winobj, argno, i, WINDOW_SEEK_HEAD, false, &n, NULL);

		if (n != *isnull ||
			(!n && DatumGetInt32(DirectFunctionCall2(numeric_cmp, first, d)) != 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s %s differs within one window partition", context, what),
					 errdetail("The values %s and %s were given for the same partition.",
							   *isnull ? "NULL" : NumText(first), n ? "NULL" : NumText(d)),
					 errhint("Give one %s for the whole partition.", what)));
	}
	return first;
}

static Apportionment *
Decide(FunctionCallInfo fcinfo, bool capped)
{
	const char *context = capped ? "kpi.apportion_capped" : "kpi.apportion";
	int			totalarg = capped ? 2 : 1;
	WindowObject winobj = PG_WINDOW_OBJECT();
	Apportionment *ap = WinGetPartitionLocalMemory(winobj, sizeof(Apportionment));
	MemoryContext old;
	Datum	   *copy;
	int128	   *weight;
	int64	   *cap = NULL;
	int			scale = 0;
	bool		tnull;
	bool		snull;
	Datum		total;
	int64		steps;

	if (ap->decided)
		return ap;
	old = MemoryContextSwitchTo(GetMemoryChunkContext(ap));
	ap->nrows = WinGetPartitionRowCount(winobj);
	ap->null = palloc0(ap->nrows * sizeof(bool));
	ap->share = palloc0(ap->nrows * sizeof(KpiShare));
	total = SameValue(winobj, totalarg, ap->nrows, "total", &tnull, context);
	ap->step = SameValue(winobj, totalarg + 1, ap->nrows, "step", &snull, context);
	if (tnull || snull)
	{
		/* as for a strict function: no total or no step, no shares */
		ap->allnull = true;
		ap->decided = true;
		MemoryContextSwitchTo(old);
		return ap;
	}
	steps = kpi_total_steps(total, ap->step, context);

	/* the weights at the largest decimal scale any of them needs */
	copy = palloc(ap->nrows * sizeof(Datum));
	weight = palloc(ap->nrows * sizeof(int128));
	for (int64 i = 0; i < ap->nrows; i++)
	{
		Datum		w = WinGetFuncArgInPartition(winobj, 0, i, WINDOW_SEEK_HEAD, false, &ap->null[i], NULL);
		Numeric		wn;

		if (ap->null[i])
			continue;
		wn = DatumGetNumeric(w);
		if (numeric_is_nan(wn) || numeric_is_inf(wn) ||
			DatumGetInt32(DirectFunctionCall2(numeric_cmp, w, NumericGetDatum(int64_to_numeric(0)))) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s weight must be a finite number, not negative", context),
					 errdetail("The weight given is %s.", NumText(w))));
		copy[i] = datumCopy(w, false, -1);
		scale = Max(scale, kpi_numeric_scale_of(w));
	}
	for (int64 i = 0; i < ap->nrows; i++)
		if (!ap->null[i])
			weight[i] = kpi_numeric_scaled(copy[i], scale, context);

	if (capped)
	{
		cap = palloc(ap->nrows * sizeof(int64));
		for (int64 i = 0; i < ap->nrows; i++)
		{
			bool		n;
			Datum		c = WinGetFuncArgInPartition(winobj, 1, i, WINDOW_SEEK_HEAD, false, &n, NULL);
			Datum		k;

			cap[i] = -1;
			if (n || ap->null[i])
				continue;		/* no cap */
			CheckAmount(DatumGetNumeric(c), "cap", context);
			/* a cap takes whole steps: the step below it */
			k = DirectFunctionCall2(numeric_div_trunc, c, ap->step);
			if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, k,
												  NumericGetDatum(int64_to_numeric(steps)))) < 0)
				cap[i] = DatumGetInt64(DirectFunctionCall1(numeric_int8, k));
		}
	}
	kpi_apportion_steps(ap->nrows, weight, ap->null, cap, steps, ap->share);
	pfree(copy);
	pfree(weight);
	ap->step = datumCopy(ap->step, false, -1);
	ap->decided = true;
	MemoryContextSwitchTo(old);
	return ap;
}

PG_FUNCTION_INFO_V1(apportion);

/* kpi.apportion(weight, total, step) OVER (...): the row's share */
Datum
apportion(PG_FUNCTION_ARGS)
{
	Apportionment *ap = Decide(fcinfo, false);
	int64		pos = WinGetCurrentPosition(PG_WINDOW_OBJECT());

	if (ap->allnull || ap->null[pos])
		PG_RETURN_NULL();
	PG_RETURN_DATUM(kpi_steps_amount(ap->share[pos].steps, ap->step));
}

PG_FUNCTION_INFO_V1(apportion_capped);

/*
 * kpi.apportion_capped(weight, cap, total, step) OVER (...): the row's
 * share, whether its cap bound, and whether it took a leftover step, as a
 * kpi.apportioned; what every capped row leaves is apportioned among the
 * others.  A NULL cap is no cap.
 */
Datum
apportion_capped(PG_FUNCTION_ARGS)
{
	Apportionment *ap = Decide(fcinfo, true);
	int64		pos = WinGetCurrentPosition(PG_WINDOW_OBJECT());
	TupleDesc	desc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (ap->allnull || ap->null[pos])
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "kpi.apportion_capped must return a composite type");
	desc = BlessTupleDesc(desc);
	values[0] = kpi_steps_amount(ap->share[pos].steps, ap->step);
	values[1] = BoolGetDatum(ap->share[pos].capped);
	values[2] = BoolGetDatum(ap->share[pos].extra);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
