/*
 * bonus.c
 *		The bonus regulation (rules.md PAY1, PAY2, PAY4): the jsonb
 *		"regulation" value, validated with its defaults, and the rules that
 *		turn it into a fund, a reserve, a weight and a cap per person.  The
 *		exact split itself is kpi.apportion_capped (apportion.c).
 *
 * Kept apart from the scoring rules (rules.c): a regulation is the agency's
 * own (Decree 73/2024/ND-CP lets it set the amounts), and is passed to these
 * functions as a value so that they stay IMMUTABLE.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

#define MULTIPLY_NONE	0
#define MULTIPLY_SCORE	1
#define MULTIPLY_SALARY	2

static const char *const multiply_names[] = {"none", "score", "salary_coefficient"};

/* Tier labels in kpi.tier order (kpi_tier_index). */
static const char *const tier_names[4] = {"khong_hoan_thanh", "hoan_thanh", "tot", "xuat_sac"};

typedef struct BonusRegulation
{
	int64		fund_share;		/* KPI_DIGITS fixed point, 0..1 */
	int64		coef[4];		/* per tier, 0..100 */
	int			multiply_by;
	int64		cap;			/* base salaries; -1: no cap */
	int			min_service_months;
	int64		adhoc_reserve;	/* share of the fund, 0..1 */
	Numeric		step;			/* đồng, positive */
} BonusRegulation;

#define KNOWN_KEYS "fund_share, tier_coefficients, multiply_by, cap_base_salaries, " \
	"min_service_months, adhoc_reserve, step"

static void BadKey(const char *key, const char *expected) pg_attribute_noreturn();

static void
BadKey(const char *key, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for bonus regulation key \"%s\"", key),
			 errdetail("The value must be %s.", expected)));
}

static int64
Number(const char *key, JsonbValue *v, int64 lo, int64 hi, const char *expected)
{
	int64		r;

	if (v->type != jbvNumeric ||
		kpi_numeric_to_fixed(NumericGetDatum(v->val.numeric), &r) != KPI_FIXED_OK ||
		r < lo || r > hi)
		BadKey(key, expected);
	return r;
}

static void
ParseRegulation(Jsonb *jb, BonusRegulation *reg)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	/* Decree 73/2024 (fund 10%) and our documented defaults */
	reg->fund_share = KPI_ONE / 10;
	reg->coef[3] = 15000;
	reg->coef[2] = 10000;
	reg->coef[1] = 5000;
	reg->coef[0] = 0;
	reg->multiply_by = MULTIPLY_NONE;
	reg->cap = -1;
	reg->min_service_months = 0;
	reg->adhoc_reserve = 0;
	reg->step = int64_to_numeric(1000);

	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a bonus regulation must be a JSON object"),
				 errdetail("Known keys are: %s.", KNOWN_KEYS)));
	it = JsonbIteratorInit(&jb->root);
	tok = JsonbIteratorNext(&it, &v, false);	/* WJB_BEGIN_OBJECT */
	while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_KEY)
	{
		char	   *key = pnstrdup(v.val.string.val, v.val.string.len);

		tok = JsonbIteratorNext(&it, &v, strcmp(key, "tier_coefficients") != 0);
		if (strcmp(key, "fund_share") == 0)
			reg->fund_share = Number(key, &v, 0, KPI_ONE, "a number from 0 to 1 with at most 4 decimal places");
		else if (strcmp(key, "adhoc_reserve") == 0)
			reg->adhoc_reserve = Number(key, &v, 0, KPI_ONE, "a number from 0 to 1 with at most 4 decimal places");
		else if (strcmp(key, "cap_base_salaries") == 0)
			reg->cap = v.type == jbvNull ? -1 :
				Number(key, &v, 1, 1000 * KPI_ONE, "null or a positive number of base salaries up to 1000 with at most 4 decimal places");
		else if (strcmp(key, "min_service_months") == 0)
		{
			int64		m = Number(key, &v, 0, 12 * KPI_ONE, "a whole number of months from 0 to 12");

			if (m % KPI_ONE != 0)
				BadKey(key, "a whole number of months from 0 to 12");
			reg->min_service_months = (int) (m / KPI_ONE);
		}
		else if (strcmp(key, "step") == 0)
		{
			Datum		zero = NumericGetDatum(int64_to_numeric(0));

			if (v.type != jbvNumeric ||
				DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(v.val.numeric), zero)) <= 0)
				BadKey(key, "a positive number of đồng");
			reg->step = DatumGetNumeric(datumCopy(NumericGetDatum(v.val.numeric), false, -1));
		}
		else if (strcmp(key, "multiply_by") == 0)
		{
			int			i;

			for (i = 0; i < 3; i++)
				if (v.type == jbvString && v.val.string.len == (int) strlen(multiply_names[i]) &&
					strncmp(v.val.string.val, multiply_names[i], v.val.string.len) == 0)
					break;
			if (i == 3)
				BadKey(key, "\"none\", \"score\" or \"salary_coefficient\"");
			reg->multiply_by = i;
		}
		else if (strcmp(key, "tier_coefficients") == 0)
		{
			const char *expected = "an object of tier coefficients (xuat_sac, tot, hoan_thanh, khong_hoan_thanh), each from 0 to 100 with at most 4 decimal places";

			if (tok != WJB_BEGIN_OBJECT)
				BadKey(key, expected);
			while ((tok = JsonbIteratorNext(&it, &v, false)) == WJB_KEY)
			{
				char	   *tier = pnstrdup(v.val.string.val, v.val.string.len);
				int			i;

				for (i = 0; i < 4; i++)
					if (strcmp(tier, tier_names[i]) == 0)
						break;
				if (i == 4)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("unknown tier \"%s\" in bonus regulation key \"%s\"", tier, key),
							 errdetail("Known tiers are: xuat_sac, tot, hoan_thanh, khong_hoan_thanh.")));
				tok = JsonbIteratorNext(&it, &v, false);
				if (tok != WJB_VALUE)
					BadKey(key, expected);
				reg->coef[i] = Number(key, &v, 0, 100 * KPI_ONE, expected);
			}
			if (tok != WJB_END_OBJECT)
				BadKey(key, expected);
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown bonus regulation key \"%s\"", key),
					 errdetail("Known keys are: %s.", KNOWN_KEYS)));
	}
}

/*
 * The parse of the last regulation seen by this backend: one regulation is
 * normally applied to every row of a distribution, so one entry suffices.
 */
static Jsonb *cached_source = NULL;
static BonusRegulation cached;

static const BonusRegulation *
Regulation(Datum d)
{
	Jsonb	   *jb = DatumGetJsonbP(d);
	BonusRegulation parsed;

	if (cached_source != NULL && VARSIZE(cached_source) == VARSIZE(jb) &&
		memcmp(cached_source, jb, VARSIZE(jb)) == 0)
		return &cached;
	/* parsed in the caller's memory; only a valid regulation is kept */
	ParseRegulation(jb, &parsed);
	if (cached_source != NULL)
	{
		pfree(cached_source);
		pfree(cached.step);
	}
	cached = parsed;
	cached.step = MemoryContextAlloc(TopMemoryContext, VARSIZE(parsed.step));
	memcpy(cached.step, parsed.step, VARSIZE(parsed.step));
	cached_source = MemoryContextAlloc(TopMemoryContext, VARSIZE(jb));
	memcpy(cached_source, jb, VARSIZE(jb));
	return &cached;
}

static char *
NumText(Numeric n)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
}

PG_FUNCTION_INFO_V1(bonus_rules);

/* kpi.bonus_rules(regulation): the complete regulation, with every default */
Datum
bonus_rules(PG_FUNCTION_ARGS)
{
	const BonusRegulation *r = Regulation(PG_GETARG_DATUM(0));
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfo(&s, "{\"fund_share\": %s, \"tier_coefficients\": {", kpi_fixed_cstring(r->fund_share));
	for (int i = 3; i >= 0; i--)
		appendStringInfo(&s, "%s\"%s\": %s", i < 3 ? ", " : "", tier_names[i], kpi_fixed_cstring(r->coef[i]));
	appendStringInfo(&s, "}, \"multiply_by\": \"%s\", \"cap_base_salaries\": %s, "
					 "\"min_service_months\": %d, \"adhoc_reserve\": %s, \"step\": %s}",
					 multiply_names[r->multiply_by],
					 r->cap < 0 ? "null" : kpi_fixed_cstring(r->cap),
					 r->min_service_months, kpi_fixed_cstring(r->adhoc_reserve), NumText(r->step));
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}

/* floor(amount x share / KPI_ONE) to the step, exactly (numeric arithmetic) */
static Datum
ShareToStep(Datum amount, int64 share, Numeric step)
{
	Datum		x = DirectFunctionCall2(numeric_mul, amount, NumericGetDatum(kpi_fixed_to_numeric(share)));
	Datum		k = DirectFunctionCall2(numeric_div_trunc, x, NumericGetDatum(step));

	return DirectFunctionCall2(numeric_mul, k, NumericGetDatum(step));
}

static void
CheckMoney(Datum v, const char *what)
{
	Numeric		n = DatumGetNumeric(v);

	if (numeric_is_nan(n) || numeric_is_inf(n) ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, v, NumericGetDatum(int64_to_numeric(0)))) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite amount, not negative", what),
				 errdetail("The value given is %s.", NumText(n))));
}

PG_FUNCTION_INFO_V1(bonus_fund);

/*
 * kpi.bonus_fund(salary_fund, regulation): fund_share (10%, PAY1) of the
 * year's salary fund, down to the step: the fund may not exceed its share.
 */
Datum
bonus_fund(PG_FUNCTION_ARGS)
{
	const BonusRegulation *r = Regulation(PG_GETARG_DATUM(1));

	CheckMoney(PG_GETARG_DATUM(0), "salary fund");
	PG_RETURN_DATUM(ShareToStep(PG_GETARG_DATUM(0), r->fund_share, r->step));
}

PG_FUNCTION_INFO_V1(bonus_reserve);

/* kpi.bonus_reserve(fund, regulation): the part kept for ad-hoc bonuses, down to the step */
Datum
bonus_reserve(PG_FUNCTION_ARGS)
{
	const BonusRegulation *r = Regulation(PG_GETARG_DATUM(1));

	CheckMoney(PG_GETARG_DATUM(0), "bonus fund");
	PG_RETURN_DATUM(ShareToStep(PG_GETARG_DATUM(0), r->adhoc_reserve, r->step));
}

PG_FUNCTION_INFO_V1(bonus_cap);

/* kpi.bonus_cap(base_salary, regulation): the per-person cap; NULL: no cap */
Datum
bonus_cap(PG_FUNCTION_ARGS)
{
	const BonusRegulation *r = Regulation(PG_GETARG_DATUM(1));

	CheckMoney(PG_GETARG_DATUM(0), "base salary");
	if (r->cap < 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(ShareToStep(PG_GETARG_DATUM(0), r->cap, r->step));
}

PG_FUNCTION_INFO_V1(bonus_step);

/* kpi.bonus_step(regulation): the step amounts are paid in */
Datum
bonus_step(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(Regulation(PG_GETARG_DATUM(0))->step);
}

PG_FUNCTION_INFO_V1(bonus_weight);

/*
 * kpi.bonus_weight(tier, score, salary_coefficient, service_months,
 * regulation): the person's weight in the split (PAY2): the tier's
 * coefficient, times the score or the salary coefficient if the regulation
 * says so; 0 below the minimum service.  NULL (no share) without a tier,
 * or without the score or coefficient the regulation multiplies by.
 */
Datum
bonus_weight(PG_FUNCTION_ARGS)
{
	const BonusRegulation *r;
	int64		coef;
	int64		mult = KPI_ONE;
	int			argno;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	r = Regulation(PG_GETARG_DATUM(4));
	coef = r->coef[kpi_tier_index(fcinfo, get_fn_expr_argtype(fcinfo->flinfo, 0), PG_GETARG_OID(0))];
	if (r->min_service_months > 0)
	{
		if (PG_ARGISNULL(3))
			PG_RETURN_NULL();
		if (PG_GETARG_INT32(3) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("service months must not be negative"),
					 errdetail("The value given is %d.", PG_GETARG_INT32(3))));
		if (PG_GETARG_INT32(3) < r->min_service_months)
			PG_RETURN_NUMERIC(int64_to_numeric(0));
	}
	argno = r->multiply_by == MULTIPLY_SCORE ? 1 : 2;
	if (r->multiply_by != MULTIPLY_NONE)
	{
		if (PG_ARGISNULL(argno))
			PG_RETURN_NULL();
		mult = kpi_fixed_arg(PG_GETARG_DATUM(argno),
							 r->multiply_by == MULTIPLY_SCORE ? "score" : "salary coefficient",
							 "bonus weight");
	}
	PG_RETURN_NUMERIC(kpi_int128_to_numeric((int128) coef * mult, KPI_PRODUCT_DIGITS));
}
