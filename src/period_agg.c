/*
 * period_agg.c
 *		Aggregates over period scores: kpi.annual_score (CS12) and
 *		kpi.unit_result, the leader's criterion d (CS10).
 *
 * Their states are bigint[] arrays, like the built-in avg(int4): a real SQL
 * type, so the aggregates are parallel safe and shippable, with exact
 * fixed-point sums.  Since anyone can call the support functions with any
 * array, every state array is checked before use.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "catalog/pg_type.h"
#include "utils/array.h"

/* annual_score state: count, sum of rounded scores (fixed point), scale, cap */
#define ANNUAL_N		0
#define ANNUAL_SUM		1
#define ANNUAL_SCALE	2
#define ANNUAL_CAP		3
#define ANNUAL_LEN		4

/* unit_result state: scored, below threshold, threshold, scale, full, reduced, cap */
#define UNIT_N			0
#define UNIT_BELOW		1
#define UNIT_THRESHOLD	2
#define UNIT_SCALE		3
#define UNIT_FULL		4
#define UNIT_REDUCED	5
#define UNIT_CAP		6
#define UNIT_LEN		7

/* Unset parameters in the initial state. */
#define UNSET			(-1)

/*
 * The bigint[] state at argno, checked for shape only (each aggregate checks
 * what its elements mean); when writable, it may be changed in place inside
 * an aggregate and is a copy otherwise.  *v gets its elements.  Shared with
 * kpi.group_points (deduction.c).
 */
ArrayType *
kpi_state_array(FunctionCallInfo fcinfo, int argno, int len, bool writable,
				const char *caller, int64 **v)
{
	ArrayType  *a;

	a = (writable && AggCheckCallContext(fcinfo, NULL)) ?
		PG_GETARG_ARRAYTYPE_P(argno) :
		(writable ? PG_GETARG_ARRAYTYPE_P_COPY(argno) : PG_GETARG_ARRAYTYPE_P(argno));
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != len || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid aggregate state", caller),
				 errdetail("The state must be a bigint array of %d elements without nulls.", len)));
	*v = (int64 *) ARR_DATA_PTR(a);
	return a;
}

static void
BadState(const char *caller)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: invalid aggregate state", caller),
			 errdetail("A parameter or count in the state is out of range.")));
}

/* A recorded parameter: unset, or a fixed-point value in [0, 100]. */
static bool
ParamOk(int64 v, int64 hi)
{
	return v == UNSET || (v >= 0 && v <= hi);
}

/* 10^(KPI_DIGITS - scale): what a score rounded to scale is a multiple of */
static int64
ScaleUnit(int64 scale)
{
	int64		u = 1;

	for (int64 i = scale; i < KPI_DIGITS; i++)
		u *= 10;
	return u;
}

/*
 * A state no sequence of scores could produce is refused: the sum must fit
 * the count (each score at most 100, or below 10^12 when uncapped) and be a
 * multiple of the rounding unit.
 */
static void
CheckAnnual(const int64 *st)
{
	int128		limit;

	if (st[ANNUAL_N] < 0 || st[ANNUAL_SUM] < 0 || !ParamOk(st[ANNUAL_SCALE], KPI_DIGITS) ||
		!ParamOk(st[ANNUAL_CAP], 1) || (st[ANNUAL_N] == 0 && st[ANNUAL_SUM] != 0))
		BadState("kpi.annual_score");
	limit = (int128) st[ANNUAL_N] * (st[ANNUAL_CAP] == 0 ? KPI_SCALED_LIMIT : 100 * KPI_ONE);
	if (st[ANNUAL_SUM] > limit ||
		(st[ANNUAL_SCALE] != UNSET && st[ANNUAL_SUM] % ScaleUnit(st[ANNUAL_SCALE]) != 0))
		BadState("kpi.annual_score");
}

static void
CheckUnit(const int64 *st)
{
	if (st[UNIT_N] < 0 || st[UNIT_BELOW] < 0 || st[UNIT_BELOW] > st[UNIT_N] ||
		!ParamOk(st[UNIT_THRESHOLD], 100 * KPI_ONE) || !ParamOk(st[UNIT_SCALE], KPI_DIGITS) ||
		!ParamOk(st[UNIT_FULL], 100 * KPI_ONE) || !ParamOk(st[UNIT_REDUCED], 100 * KPI_ONE) ||
		!ParamOk(st[UNIT_CAP], 1) ||
		(st[UNIT_FULL] != UNSET && st[UNIT_REDUCED] != UNSET && st[UNIT_FULL] <= st[UNIT_REDUCED]))
		BadState("kpi.unit_result");
}

static void
MismatchedRules(const char *agg)
{
	bool		annual = strcmp(agg, "kpi.annual_score") == 0;

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s cannot combine scores read under different rules", agg),
			 annual ?
			 errdetail("The rounding scale or cap differ between the rows or partial results.") :
			 errdetail("The rounding scale, cap, threshold or leader values differ between the rows or partial results.")));
}

/* Set or check one parameter recorded in a state. */
static void
StateParam(int64 *slot, int64 value, const char *agg)
{
	if (*slot == UNSET)
		*slot = value;
	else if (*slot != value)
		MismatchedRules(agg);
}

static Datum
AnnualTransition(FunctionCallInfo fcinfo, int sign)
{
	int64	   *st;
	ArrayType  *state = kpi_state_array(fcinfo, 0, ANNUAL_LEN, true, "kpi.annual_score", &st);
	const KpiRules *r = kpi_rules_arg(fcinfo, 2);
	int64		score = kpi_score_arg(PG_GETARG_DATUM(1), "period score", r);

	CheckAnnual(st);
	StateParam(&st[ANNUAL_SCALE], r->rounding_scale, "kpi.annual_score");
	StateParam(&st[ANNUAL_CAP], r->cap ? 1 : 0, "kpi.annual_score");
	if (__builtin_add_overflow(st[ANNUAL_N], sign, &st[ANNUAL_N]) ||
		__builtin_add_overflow(st[ANNUAL_SUM], sign * score, &st[ANNUAL_SUM]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi.annual_score state is out of range")));
	CheckAnnual(st);
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(annual_score_trans);

/* kpi.annual_score transition: adds one period score as published (rounded) */
Datum
annual_score_trans(PG_FUNCTION_ARGS)
{
	return AnnualTransition(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(annual_score_inv);

/* moving-aggregate inverse of annual_score_trans */
Datum
annual_score_inv(PG_FUNCTION_ARGS)
{
	return AnnualTransition(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(annual_score_combine);

/* kpi.annual_score combine function */
Datum
annual_score_combine(PG_FUNCTION_ARGS)
{
	int64	   *a;
	int64	   *b;
	ArrayType  *state = kpi_state_array(fcinfo, 0, ANNUAL_LEN, true, "kpi.annual_score", &a);

	kpi_state_array(fcinfo, 1, ANNUAL_LEN, false, "kpi.annual_score", &b);
	CheckAnnual(a);
	CheckAnnual(b);

	if (b[ANNUAL_N] > 0)
	{
		StateParam(&a[ANNUAL_SCALE], b[ANNUAL_SCALE], "kpi.annual_score");
		StateParam(&a[ANNUAL_CAP], b[ANNUAL_CAP], "kpi.annual_score");
		if (__builtin_add_overflow(a[ANNUAL_N], b[ANNUAL_N], &a[ANNUAL_N]) ||
			__builtin_add_overflow(a[ANNUAL_SUM], b[ANNUAL_SUM], &a[ANNUAL_SUM]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("kpi.annual_score state is out of range")));
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(annual_score_final);

/*
 * kpi.annual_score final function: the mean of the period scores, rounded
 * half away from zero from the exact quotient (CS12, N0.3); NULL when no
 * period was scored (N0.4).
 */
Datum
annual_score_final(PG_FUNCTION_ARGS)
{
	int64	   *st;
	int64		n;
	int			scale;
	int128		m;

	kpi_state_array(fcinfo, 0, ANNUAL_LEN, false, "kpi.annual_score", &st);
	CheckAnnual(st);
	n = st[ANNUAL_N];
	if (n == 0)
		PG_RETURN_NULL();
	scale = (int) st[ANNUAL_SCALE];
	if (scale < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi.annual_score: invalid aggregate state")));
	/* sum / n in units of 10^-scale: floor((2 sum + m) / 2m), m = n 10^(4 - scale) */
	m = n;
	for (int i = scale; i < KPI_DIGITS; i++)
		m *= 10;
	PG_RETURN_NUMERIC(int64_div_fast_to_numeric((int64) ((2 * (int128) st[ANNUAL_SUM] + m) / (2 * m)),
												scale));
}

/*
 * Criterion d (CS10), the one implementation that kpi.unit_result and
 * kpi.score_organisation share: a managed official's rounded period score
 * (fixed point) counts against the leader when below threshold_complete,
 * and d is leader_reduced when anyone counted so, else leader_full.
 */
bool
kpi_below_complete(int64 score, int64 threshold_complete)
{
	return score < threshold_complete;
}

int64
kpi_criterion_d(int64 below, int64 leader_full, int64 leader_reduced)
{
	return below > 0 ? leader_reduced : leader_full;
}

PG_FUNCTION_INFO_V1(unit_result_trans);

/* kpi.unit_result transition: counts subordinates scored below "complete" */
Datum
unit_result_trans(PG_FUNCTION_ARGS)
{
	int64	   *st;
	ArrayType  *state = kpi_state_array(fcinfo, 0, UNIT_LEN, true, "kpi.unit_result", &st);
	const KpiRules *r = kpi_rules_arg(fcinfo, 2);
	int64		score = kpi_score_arg(PG_GETARG_DATUM(1), "subordinate score", r);

	CheckUnit(st);
	StateParam(&st[UNIT_THRESHOLD], r->threshold_complete, "kpi.unit_result");
	StateParam(&st[UNIT_CAP], r->cap ? 1 : 0, "kpi.unit_result");
	StateParam(&st[UNIT_SCALE], r->rounding_scale, "kpi.unit_result");
	StateParam(&st[UNIT_FULL], r->leader_full, "kpi.unit_result");
	StateParam(&st[UNIT_REDUCED], r->leader_reduced, "kpi.unit_result");
	st[UNIT_N]++;
	if (kpi_below_complete(score, st[UNIT_THRESHOLD]))
		st[UNIT_BELOW]++;
	CheckUnit(st);
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(unit_result_combine);

/* kpi.unit_result combine function */
Datum
unit_result_combine(PG_FUNCTION_ARGS)
{
	int64	   *a;
	int64	   *b;
	ArrayType  *state = kpi_state_array(fcinfo, 0, UNIT_LEN, true, "kpi.unit_result", &a);

	kpi_state_array(fcinfo, 1, UNIT_LEN, false, "kpi.unit_result", &b);
	CheckUnit(a);
	CheckUnit(b);

	if (b[UNIT_N] > 0)
	{
		for (int i = UNIT_THRESHOLD; i < UNIT_LEN; i++)
			StateParam(&a[i], b[i], "kpi.unit_result");
		if (__builtin_add_overflow(a[UNIT_N], b[UNIT_N], &a[UNIT_N]) ||
			__builtin_add_overflow(a[UNIT_BELOW], b[UNIT_BELOW], &a[UNIT_BELOW]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("kpi.unit_result state is out of range")));
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(unit_result_final);

/*
 * kpi.unit_result final function: criterion d (CS10) is 100 when every
 * scored subordinate reached "complete", else 50; 100 when nobody was
 * scored (the leader manages nobody: our default).
 */
Datum
unit_result_final(PG_FUNCTION_ARGS)
{
	int64	   *st;
	const KpiRules *dflt = kpi_rules_default();
	int64		full;
	int64		reduced;

	kpi_state_array(fcinfo, 0, UNIT_LEN, false, "kpi.unit_result", &st);
	CheckUnit(st);
	full = st[UNIT_FULL] == UNSET ? dflt->leader_full : st[UNIT_FULL];
	reduced = st[UNIT_REDUCED] == UNSET ? dflt->leader_reduced : st[UNIT_REDUCED];
	PG_RETURN_NUMERIC(kpi_fixed_to_numeric(kpi_criterion_d(st[UNIT_BELOW], full, reduced)));
}
