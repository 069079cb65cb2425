/*
 * score.c
 *		Reading a tally: the component percentages, the task percentage, the
 *		period total, and the general-criteria sum (rules.md CS3, CS5-CS11).
 *
 * Every result is derived from the exact integer sums of the tally.  A
 * percentage is one numeric division; a score is rounded once, from the
 * exact rational, where N0.3 says.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"

/* The task-result part of a tally under a rule set, as num / den. */
typedef struct TaskRatio
{
	Numeric		num;
	Numeric		den;
} TaskRatio;

static Numeric
kpi_round_numeric(Numeric value, int scale)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(value),
											   Int32GetDatum(scale)));
}

/*
 * kpi_score_arg's result read from the score's digits (kpi_numeric_decimal),
 * for a score of at most 16 decimals within its range: rounded half up, which
 * is numeric_round's rule for values that are not negative.  False sends every
 * other score (and every error) to the general path.  A year reads one score a
 * period an official.
 */
static bool
score_fixed_digits(Datum score, const KpiRules *rules, int64 *result)
{
	int64		u;
	int			s;
	int			rs = rules->rounding_scale;

	Assert(rs >= 0 && rs <= KPI_DIGITS);
	if (!kpi_numeric_decimal(score, &u, &s) || u < 0 || s > 16)
		return false;
	/* the range first, unrounded (N0.5): u x 10^-s at most 100 */
	if (rules->cap && (u / kpi_pow10[s] > 100 || (u / kpi_pow10[s] == 100 && u % kpi_pow10[s] != 0)))
		return false;
	if (s > rs)
	{
		int64		d = kpi_pow10[s - rs];
		int64		r = u % d;

		u = u / d + (r >= d - r ? 1 : 0);	/* half up: 2r >= d */
		s = rs;
	}
	/* fixed point of KPI_DIGITS decimals, below the inputs' limit of 10^12 */
	if (u >= KPI_SCALED_LIMIT / kpi_pow10[KPI_DIGITS - s])
		return false;
	*result = u * kpi_pow10[KPI_DIGITS - s];
	return true;
}

/*
 * A score argument, rounded to the rule set's scale as a person would see
 * it (N0.3), as fixed point.  Scores are on the 100-point scale.
 */
int64
kpi_score_arg(Datum score, const char *what, const KpiRules *rules)
{
	Numeric		num;
	Numeric		limit;
	int64		v;

	if (score_fixed_digits(score, rules, &v))
		return v;
	num = DatumGetNumeric(score);
	limit = kpi_num_int(rules->cap ? 100 : 0);
	if (numeric_is_nan(num) || numeric_is_inf(num))
		kpi_report_fixed(numeric_is_nan(num) ? KPI_FIXED_NAN : KPI_FIXED_INFINITE,
						 what, "kpi", score);
	/* range first, so nothing out of range is rounded into it (N0.5) */
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, score,
										  NumericGetDatum(kpi_num_int(0)))) < 0 ||
		(rules->cap &&
		 DatumGetInt32(DirectFunctionCall2(numeric_cmp, score, NumericGetDatum(limit))) > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 rules->cap ? errmsg("kpi %s must be between 0 and 100", what) :
				 errmsg("kpi %s must not be negative", what),
				 errdetail("The value given is %s.",
						   DatumGetCString(DirectFunctionCall1(numeric_out, score)))));
	/* uncapped rule sets ("cap": false) allow scores above 100 */
	v = kpi_fixed_arg(NumericGetDatum(kpi_round_numeric(num, rules->rounding_scale)), what, "kpi");
	return v;
}

/*
 * The component credits a, b, c over the weight, in the strict or partial
 * progress reading (CS7), capped at the weight or not (CS8).  Shared with the
 * ledger (ledger.c), whose CS5-CS8 rows explain them.
 */
void
kpi_component_credits(const KpiTally *t, bool strict, bool cap, int128 parts[3])
{
	parts[0] = t->quantity;
	parts[1] = t->quality;
	parts[2] = strict ? t->progress_strict : t->progress;
	if (cap)
		for (int i = 0; i < 3; i++)
			if (parts[i] > t->assigned)
				parts[i] = t->assigned;
}

/* The capped (CS8) or uncapped component credits under a rule set. */
static void
Components(const KpiTally *t, const KpiRules *r, int128 parts[3])
{
	kpi_component_credits(t, r->strict_progress, r->cap, parts);
}

/* a' + b' + c', the credit sum of CS9, as an exact numeric */
static Numeric
CreditSum(const KpiTally *t, const KpiRules *r)
{
	int128		parts[3];

	Components(t, r, parts);
	return kpi_int128_to_numeric(kpi_add128(kpi_add128(parts[0], parts[1], "credit"), parts[2], "credit"),
								 KPI_PRODUCT_DIGITS);
}

/*
 * The non-leader task fraction KQ / 100 = (a' + b' + c') / (3 W) as num / den
 * (CS9), for the agency work plan (AG3).  False when nothing was assigned.
 */
bool
kpi_task_fraction(const KpiTally *t, const KpiRules *r, Numeric *num, Numeric *den)
{
	kpi_rules_check_tally(r, t);
	if (t->assigned == 0)
		return false;
	*num = CreditSum(t, r);
	*den = kpi_num_mul(kpi_num_int(3), kpi_int128_to_numeric(t->assigned, KPI_PRODUCT_DIGITS));
	return true;
}

/* Validate a leader criterion d, dd or e (CS10): full or reduced value. */
int64
kpi_leader_fixed(Datum v, const char *what, const KpiRules *r)
{
	int64		x = kpi_fixed_arg(v, what, "leader criterion");

	if (x != r->leader_full && x != r->leader_reduced)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("leader criterion %s must be %s or %s", what,
						kpi_fixed_cstring(r->leader_full), kpi_fixed_cstring(r->leader_reduced)),
				 errdetail("The value given is %s.", kpi_fixed_cstring(x))));
	return x;
}

/* The leader criteria d, dd, e at arguments argno.., validated in that order. */
static void
LeaderArgs(FunctionCallInfo fcinfo, int argno, const KpiRules *r, int64 lc[3])
{
	static const char *const names[3] = {"d", "dd", "e"};

	for (int i = 0; i < 3; i++)
		lc[i] = kpi_leader_fixed(PG_GETARG_DATUM(argno + i), names[i], r);
}

/*
 * KQ (CS9) as an exact ratio: (100 * (a' + b' + c') + W * (d + dd + e)) /
 * (k * W), with a', b', c' the component credits and k = 3 or 6.  lc holds
 * the leader criteria, or is NULL for a non-leader.  The caller has checked
 * the tally against the rules.  Returns false when nothing was assigned
 * (N0.4: not scored).
 */
static bool
TaskRatioOf(const KpiTally *t, const int64 *lc, const KpiRules *r, TaskRatio *kq)
{
	Numeric		w;

	if (t->assigned == 0)
		return false;
	w = kpi_int128_to_numeric(t->assigned, KPI_PRODUCT_DIGITS);
	kq->num = kpi_num_mul(kpi_num_int(100), CreditSum(t, r));
	if (lc)
		kq->num = kpi_num_add(kq->num,
							  kpi_num_mul(kpi_num_add(kpi_num_add(kpi_fixed_to_numeric(lc[0]),
																  kpi_fixed_to_numeric(lc[1])),
													  kpi_fixed_to_numeric(lc[2])),
										  w));
	kq->den = kpi_num_mul(kpi_num_int(lc ? 6 : 3), w);
	return true;
}

/* One component percentage, 100 * part / W, of a tally with work assigned. */
Numeric
kpi_component_pct(const KpiTally *t, const int128 parts[3], int which)
{
	return kpi_num_div(kpi_num_mul(kpi_num_int(100),
								   kpi_int128_to_numeric(parts[which], KPI_PRODUCT_DIGITS)),
					   kpi_int128_to_numeric(t->assigned, KPI_PRODUCT_DIGITS));
}

/* T = task_points x KQ / 100 */
static Numeric
TaskPointsOf(const TaskRatio *kq, const KpiRules *r)
{
	return kpi_num_div(kpi_num_mul(kpi_fixed_to_numeric(r->task_points), kq->num),
					   kpi_num_mul(kpi_num_int(100), kq->den));
}

/* One component percentage: 100 * part / W. */
static Datum
ComponentPct(FunctionCallInfo fcinfo, int which)
{
	KpiTally	buf;
	const KpiTally *t = PG_GETARG_KPI_TALLY(0, &buf);
	const KpiRules *r = kpi_rules_arg(fcinfo, 1);
	int128		parts[3];

	kpi_rules_check_tally(r, t);
	if (t->assigned == 0)
		PG_RETURN_NULL();
	Components(t, r, parts);
	PG_RETURN_NUMERIC(kpi_component_pct(t, parts, which));
}

PG_FUNCTION_INFO_V1(quantity_pct);

/* kpi.quantity_pct(t, rules): a (CS5) */
Datum
quantity_pct(PG_FUNCTION_ARGS)
{
	return ComponentPct(fcinfo, 0);
}

PG_FUNCTION_INFO_V1(quality_pct);

/* kpi.quality_pct(t, rules): b (CS6) */
Datum
quality_pct(PG_FUNCTION_ARGS)
{
	return ComponentPct(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(progress_pct);

/* kpi.progress_pct(t, rules): c (CS7) */
Datum
progress_pct(PG_FUNCTION_ARGS)
{
	return ComponentPct(fcinfo, 2);
}

/* The ratio KQ of kpi.task_pct and kpi.task_points (t [, d, dd, e], rules). */
static bool
TaskArgs(FunctionCallInfo fcinfo, const KpiRules **r, TaskRatio *kq)
{
	bool		leader = PG_NARGS() == 5;
	KpiTally	buf;
	const KpiTally *t = PG_GETARG_KPI_TALLY(0, &buf);
	int64		lc[3];

	*r = kpi_rules_arg(fcinfo, leader ? 4 : 1);
	/* validate every argument, even when the period is not scored */
	if (leader)
		LeaderArgs(fcinfo, 1, *r, lc);
	kpi_rules_check_tally(*r, t);
	return TaskRatioOf(t, leader ? lc : NULL, *r, kq);
}

PG_FUNCTION_INFO_V1(task_pct);

/* kpi.task_pct(t [, d, dd, e], rules): KQ (CS9) */
Datum
task_pct(PG_FUNCTION_ARGS)
{
	const KpiRules *r;
	TaskRatio	kq;

	if (!TaskArgs(fcinfo, &r, &kq))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_num_div(kq.num, kq.den));
}

PG_FUNCTION_INFO_V1(task_points);

/* kpi.task_points(t [, d, dd, e], rules): T = 0.70 x KQ (CS9), unrounded */
Datum
task_points(PG_FUNCTION_ARGS)
{
	const KpiRules *r;
	TaskRatio	kq;

	if (!TaskArgs(fcinfo, &r, &kq))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(TaskPointsOf(&kq, r));
}

/* The general-criteria points G, validated against the rule set (CS3). */
int64
kpi_general_fixed(Datum g, const KpiRules *r)
{
	int64		v = kpi_fixed_arg(g, "points", "general criteria");

	if (v > r->general_points)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("general criteria points must be between 0 and %s",
						kpi_fixed_cstring(r->general_points)),
				 errdetail("The value given is %s.", kpi_fixed_cstring(v))));
	return v;
}

/*
 * TOTAL rounded to 10^-scale in int128 arithmetic, when the sums are small
 * enough (as in any real period): with W the assigned weight and S the
 * credit sum (both 10^-8 units), G, L = d + dd + e and tp in 10^-4 units,
 * TOTAL = (G 10^6 k W + tp (10^6 S + L W)) / (10^10 k W).  Every term stays
 * below 10^37.  Returns false to fall back to the numeric path.
 */
static bool
FastTotal(int128 w, int128 s, int64 g, int64 leaders, int k, int64 tp, int scale,
		  int64 *result)
{
	int128		num;
	int128		den;
	int128		q;
	int128		pow10 = 1;

	if (w > PG_INT64_MAX || s > PG_INT64_MAX)
		return false;
	num = (int128) g * 1000000 * k * w + (int128) tp * (1000000 * s + (int128) leaders * w);
	den = (int128) INT64CONST(10000000000) * k * w;
	for (int i = 0; i < scale; i++)
		pow10 *= 10;
	/* half away from zero; everything is non-negative */
	q = (2 * num * pow10 + den) / (2 * den);
	if (q > PG_INT64_MAX)
		return false;
	*result = (int64) q;
	return true;
}

/*
 * TOTAL = G + 0.70 x KQ (CS11) of a tally with work assigned, rounded half
 * away from zero from the exact value (N0.3); lc as for TaskRatioOf.
 */
static Numeric
PeriodTotal(const KpiTally *t, int64 g, const int64 *lc, const KpiRules *r)
{
	int128		parts[3];
	int64		total;
	TaskRatio	kq;
	Numeric		den;

	Components(t, r, parts);
	if (FastTotal(t->assigned, kpi_add128(kpi_add128(parts[0], parts[1], "credit"), parts[2], "credit"),
				  g, lc ? lc[0] + lc[1] + lc[2] : 0, lc ? 6 : 3, r->task_points, r->rounding_scale, &total))
		return int64_div_fast_to_numeric(total, r->rounding_scale);

	/* huge sums: the same value through exact numeric arithmetic */
	TaskRatioOf(t, lc, r, &kq);
	/* (100 * den * G + task_points * num) / (100 * den) */
	den = kpi_num_mul(kpi_num_int(100), kq.den);
	return kpi_round_ratio(kpi_num_add(kpi_num_mul(den, kpi_fixed_to_numeric(g)),
									   kpi_num_mul(kpi_fixed_to_numeric(r->task_points), kq.num)),
						   den, r->rounding_scale);
}

PG_FUNCTION_INFO_V1(period_score);

/*
 * kpi.period_score(general, t [, d, dd, e], rules): TOTAL = G + 0.70 x KQ
 * (CS11), rounded half away from zero from the exact value (N0.3).
 */
Datum
period_score(PG_FUNCTION_ARGS)
{
	bool		leader = PG_NARGS() == 6;
	const KpiRules *r = kpi_rules_arg(fcinfo, leader ? 5 : 2);
	int64		gfixed = kpi_general_fixed(PG_GETARG_DATUM(0), r);
	KpiTally	buf;
	const KpiTally *t = PG_GETARG_KPI_TALLY(1, &buf);
	int64		lc[3];

	if (leader)
		LeaderArgs(fcinfo, 2, r, lc);
	kpi_rules_check_tally(r, t);
	if (t->assigned == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(PeriodTotal(t, gfixed, leader ? lc : NULL, r));
}

/*
 * Everything a result row shows of one official's period (kpi.score_detail):
 * a, b, c, KQ, T, the score and its tier, from tally t (NULL: no work),
 * G (NULL: no form) and, for a leader, the criteria lc (NULL: a non-leader).
 * The caller has validated G and lc; the tally is checked here.
 */
void
kpi_score_detail(const KpiTally *t, const int64 *g, const int64 *lc, const KpiRules *r,
				 KpiScoreDetail *sd)
{
	int128		parts[3];
	TaskRatio	kq;

	memset(sd, 0, sizeof(*sd));
	sd->tier = -1;
	sd->leader = lc != NULL;
	if (lc)
		memcpy(sd->lc, lc, sizeof(sd->lc));
	if (t == NULL)
		return;
	kpi_rules_check_tally(r, t);
	if (t->assigned == 0)
		return;
	Components(t, r, parts);
	for (int i = 0; i < 3; i++)
		sd->pct[i] = kpi_component_pct(t, parts, i);
	TaskRatioOf(t, lc, r, &kq);
	sd->task_pct = kpi_num_div(kq.num, kq.den);
	sd->task_points = TaskPointsOf(&kq, r);
	if (g == NULL)
		return;
	sd->score = PeriodTotal(t, *g, lc, r);
	sd->score_fixed = kpi_score_arg(NumericGetDatum(sd->score), "score", r);
	sd->tier = kpi_tier_rank(sd->score_fixed, r);
}

/*
 * The kpi.score_detail row of sd: the leader criteria as given in lcd (a
 * NULL entry: the value in sd->lc), the tier as a kpi.tier value.
 */
Datum
kpi_score_detail_datum(FunctionCallInfo fcinfo, TupleDesc desc, const KpiScoreDetail *sd,
					   const Datum *lcd)
{
	Datum		values[KPI_SCORE_DETAIL_NATTS];
	bool		nulls[KPI_SCORE_DETAIL_NATTS];
	Numeric		num[8] = {sd->pct[0], sd->pct[1], sd->pct[2], sd->task_pct, sd->task_points,
	NULL, NULL, NULL};

	Assert(desc->natts == KPI_SCORE_DETAIL_NATTS);
	for (int i = 0; i < 8; i++)
	{
		if (i >= 5 && sd->leader)
			values[i] = lcd && lcd[i - 5] ? lcd[i - 5] : NumericGetDatum(kpi_fixed_to_numeric(sd->lc[i - 5]));
		else
			values[i] = NumericGetDatum(num[i]);
		nulls[i] = i >= 5 ? !sd->leader : num[i] == NULL;
	}
	values[8] = NumericGetDatum(sd->score);
	nulls[8] = sd->score == NULL;
	values[9] = sd->tier < 0 ? (Datum) 0 :
		ObjectIdGetDatum(kpi_tier_oids(fcinfo, TupleDescAttr(desc, 9)->atttypid)[sd->tier]);
	nulls[9] = sd->tier < 0;
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/* The row type of a function returning kpi.score_detail, blessed, cached. */
TupleDesc
kpi_score_detail_desc(FunctionCallInfo fcinfo)
{
	KpiFnExtra *cache = kpi_fn_extra(fcinfo);
	TupleDesc	desc;

	if (cache->result_desc)
		return cache->result_desc;
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE ||
		desc->natts != KPI_SCORE_DETAIL_NATTS)
		elog(ERROR, "kpi.score_detail must return the composite type kpi.score_detail");
	/* in the call site's memory, so it lives as long as the cache */
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		cache->result_desc = BlessTupleDesc(CreateTupleDescCopy(desc));
		MemoryContextSwitchTo(old);
	}
	return cache->result_desc;
}

PG_FUNCTION_INFO_V1(score_detail);

/*
 * kpi.score_detail(general, t [, d, dd, e], rules): the row of kpi.score_detail
 * in one call.  Not strict: no tally leaves everything but d, dd, e NULL; no
 * G leaves the score and tier NULL; a leader criterion not given is met
 * (leader_full).  NULL rules give NULL.
 */
Datum
score_detail(PG_FUNCTION_ARGS)
{
	bool		leader = PG_NARGS() == 6;
	int			rules_arg = leader ? 5 : 2;
	const KpiRules *r;
	KpiTally	buf;
	const KpiTally *t = NULL;
	int64		g = 0;
	int64		lc[3];
	Datum		lcd[3] = {0, 0, 0};
	KpiScoreDetail sd;

	if (PG_NARGS() > rules_arg && PG_ARGISNULL(rules_arg))
		PG_RETURN_NULL();
	r = kpi_rules_arg(fcinfo, rules_arg);
	if (!PG_ARGISNULL(0))
		g = kpi_general_fixed(PG_GETARG_DATUM(0), r);
	if (!PG_ARGISNULL(1))
		t = PG_GETARG_KPI_TALLY(1, &buf);
	if (leader)
	{
		static const char *const names[3] = {"d", "dd", "e"};

		for (int i = 0; i < 3; i++)
		{
			lc[i] = r->leader_full;
			if (!PG_ARGISNULL(2 + i))
			{
				lcd[i] = PG_GETARG_DATUM(2 + i);
				lc[i] = kpi_leader_fixed(lcd[i], names[i], r);
			}
		}
	}
	kpi_score_detail(t, PG_ARGISNULL(0) ? NULL : &g, leader ? lc : NULL, r, &sd);
	PG_RETURN_DATUM(kpi_score_detail_datum(fcinfo, kpi_score_detail_desc(fcinfo), &sd, lcd));
}

/*
 * The sum of the marks of a general-criteria form, each checked against its
 * maximum (CS3 for civil servants, AG2 for agencies).  "form" names the form
 * in messages ("general criteria" or "agency general criteria"); "key" is
 * the rules key listing the maxima.  The caller checks there is a form.
 */
Numeric
kpi_sum_marks(ArrayType *marks, const int64 *max, int nmax, const char *form,
			  const char *key)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int64		sum = 0;

	if (ARR_NDIM(marks) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s marks must be a one-dimensional array", form),
				 errdetail("The array given has %d dimensions.", ARR_NDIM(marks))));
	deconstruct_array(marks, NUMERICOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n != nmax)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s form has %d marks, not %d", form, nmax, n),
				 (nmax == kpi_rules_default()->nmarks &&
				  memcmp(max, kpi_rules_default()->marks_max, nmax * sizeof(int64)) == 0) ?
				 errdetail("Decree 335 has 10 marks: group I 5 + 5, group II 4 x 2.5, group III 4 x 2.5.") :
				 errdetail("The rules' %s lists %d marks.", key, nmax)));
	for (int i = 0; i < n; i++)
	{
		int64		v;
		KpiFixedStatus status;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s mark %d is null", form, i + 1),
					 errdetail("Every mark of the form must be given; a criterion with no merit gets 0.")));
		/* the mark's name formatted only for the message, not for 20 marks an official a month */
		status = kpi_numeric_to_fixed(elems[i], &v);
		if (status != KPI_FIXED_OK)
			kpi_report_fixed(status, psprintf("mark %d", i + 1), form, elems[i]);
		if (v > max[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s mark %d must be between 0 and %s", form, i + 1,
							kpi_fixed_cstring(max[i])),
					 errdetail("The value given is %s.", kpi_fixed_cstring(v))));
		sum += v;
	}
	return kpi_fixed_to_numeric(sum);
}

PG_FUNCTION_INFO_V1(general_points);

/*
 * kpi.general_points(marks numeric[], rules): G, the sum of the marks of the
 * general-criteria form, each checked against its maximum (CS3).
 */
Datum
general_points(PG_FUNCTION_ARGS)
{
	ArrayType  *marks = PG_GETARG_ARRAYTYPE_P(0);
	const KpiRules *r = kpi_rules_arg(fcinfo, 1);

	if (r->nmarks == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules give no general-criteria form"),
				 errdetail("general_points was changed without general_marks_max."),
				 errhint("Add general_marks_max, the maximum of each mark, to the rules.")));
	PG_RETURN_NUMERIC(kpi_sum_marks(marks, r->marks_max, r->nmarks, "general criteria",
									"general_marks_max"));
}
