/*
 * lawmaking_score.c
 *		The law-making score: the LM4 template (kpi.lm_score, kpi.lm_points),
 *		the role-group templates of the revised pilot draft (LM5,
 *		kpi.lm_role_score, kpi.lm_role_points), the roll-up of a ministry
 *		across its roles (LM6, the aggregate kpi.lm_ministry_score) and the
 *		PAR INDEX fraction it feeds (LM7, kpi.lm_par_fraction).
 *
 * Every score is built as one exact rational and rounded once (N0.3): a
 * role's points are ratios of counts of its kpi.lawmaking summary, and the
 * roll-up is the weighted mean of the roles' exact scores, so the roll-up of
 * a single role is that role's score.
 */
#include "postgres.h"

#include "lawmaking.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"

/* The points of each LM4 component of a template as num / den, and whether to score. */
typedef struct LmPoints
{
	const KpiRules *r;
	bool		scored;
	Numeric		num[KPI_LM_NCOMP];
	Numeric		den[KPI_LM_NCOMP];
} LmPoints;

/* points x part / whole; full points when whole is 0 (nothing to measure) */
static void
Share(LmPoints *p, const int64 *tpl, int comp, int64 part, int64 whole)
{
	Numeric		pts = kpi_fixed_to_numeric(tpl[comp]);

	if (whole == 0)
	{
		p->num[comp] = pts;
		p->den[comp] = kpi_num_int(1);
	}
	else
	{
		p->num[comp] = kpi_num_mul(pts, kpi_num_int(part));
		p->den[comp] = kpi_num_int(whole);
	}
}

/*
 * The points of each component of template tpl (LM4 order) for summary s
 * and the impact mark (fixed point), as exact ratios.  role names the role
 * group in the impact mark's error, NULL for the LM4 template.
 */
static void
LmEval(const KpiLawmaking *s, const int64 *tpl, int64 impact, const KpiRules *r,
	   const char *role, LmPoints *p)
{
	const int64 *c = s->counts;
	int64		target = r->initiatives_target;
	int128		got;

	if (impact > tpl[KPI_LM_IMPACT])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("law-making impact mark must be between 0 and %s",
						kpi_fixed_cstring(tpl[KPI_LM_IMPACT])),
				 role ? errdetail("The value given is %s; the template of role group \"%s\" gives impact %s points.",
								  kpi_fixed_cstring(impact), role, kpi_fixed_cstring(tpl[KPI_LM_IMPACT])) :
				 errdetail("The value given is %s.", kpi_fixed_cstring(impact))));
	kpi_lm_check_state(s, ERRCODE_INVALID_PARAMETER_VALUE);
	p->r = r;
	/* N0.4: nothing was due, issued or detected: not scored */
	p->scored = c[LM_DUE] > 0 || c[LM_ISSUED] > 0 || c[LM_DETECTED] > 0;
	Share(p, tpl, KPI_LM_PROGRESS, c[LM_ON_TIME], c[LM_DUE]);
	Share(p, tpl, KPI_LM_QUALITY, c[LM_FIRST_PASS], c[LM_ISSUED]);
	Share(p, tpl, KPI_LM_OBSTACLES, c[LM_RESOLVED], c[LM_DETECTED]);
	/* initiatives x min(1, n / target), target in units of 1/KPI_ONE */
	got = (int128) c[LM_INITIATIVES] * KPI_ONE;
	if (got > target)
		got = target;
	p->num[KPI_LM_INITIATIVES] = kpi_num_mul(kpi_fixed_to_numeric(tpl[KPI_LM_INITIATIVES]),
											 kpi_int128_to_numeric(got, KPI_DIGITS));
	p->den[KPI_LM_INITIATIVES] = kpi_fixed_to_numeric(target);
	p->num[KPI_LM_IMPACT] = kpi_fixed_to_numeric(impact);
	p->den[KPI_LM_IMPACT] = kpi_num_int(1);
}

/* The exact total of the components: *num / *den. */
static void
LmExact(const LmPoints *p, Numeric *num, Numeric *den)
{
	*num = kpi_num_int(0);
	*den = kpi_num_int(1);
	for (int i = 0; i < KPI_LM_NCOMP; i++)
	{
		*num = kpi_num_add(kpi_num_mul(*num, p->den[i]), kpi_num_mul(p->num[i], *den));
		*den = kpi_num_mul(*den, p->den[i]);
	}
}

/* The total of the components, rounded once (N0.3). */
static Numeric
LmTotal(const LmPoints *p)
{
	Numeric		num;
	Numeric		den;

	LmExact(p, &num, &den);
	return kpi_round_ratio(num, den, p->r->rounding_scale);
}

/* The row of kpi.lm_points and kpi.lm_role_points: each component unrounded, and the score. */
static Datum
PointsTuple(FunctionCallInfo fcinfo, const LmPoints *p)
{
	TupleDesc	tupdesc;
	Datum		values[KPI_LM_NCOMP + 1];
	bool		nulls[KPI_LM_NCOMP + 1] = {0};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	for (int i = 0; i < KPI_LM_NCOMP; i++)
		values[i] = NumericGetDatum(kpi_num_trim(kpi_num_div(p->num[i], p->den[i])));
	if (p->scored)
		values[KPI_LM_NCOMP] = NumericGetDatum(LmTotal(p));
	else
		nulls[KPI_LM_NCOMP] = true;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* kpi.lm_score and kpi.lm_points: (s, impact, rules) under lawmaking_template */
static void
Lm4Args(FunctionCallInfo fcinfo, LmPoints *p)
{
	const KpiRules *r = kpi_rules_arg(fcinfo, 2);
	int64		impact = kpi_fixed_arg(PG_GETARG_DATUM(1), "mark", "law-making impact");

	LmEval(PG_GETARG_LM(0), r->lm_template, impact, r, NULL, p);
}

PG_FUNCTION_INFO_V1(lm_score);

/*
 * kpi.lm_score(s, impact, rules): the law-making score (LM4): progress,
 * quality, obstacles and initiatives points by their shares, plus the impact
 * mark, rounded once; NULL when nothing was due, issued or detected.
 */
Datum
lm_score(PG_FUNCTION_ARGS)
{
	LmPoints	p;

	Lm4Args(fcinfo, &p);
	if (!p.scored)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(LmTotal(&p));
}

PG_FUNCTION_INFO_V1(lm_points);

/* kpi.lm_points(s, impact, rules): the points of each LM4 component, unrounded, and the score */
Datum
lm_points(PG_FUNCTION_ARGS)
{
	LmPoints	p;

	Lm4Args(fcinfo, &p);
	return PointsTuple(fcinfo, &p);
}

/* The index of a role group name (LM5). */
static int
RoleIndex(text *t)
{
	char	   *role = text_to_cstring(t);

	for (int k = 0; k < KPI_LM_NROLES; k++)
		if (strcmp(role, kpi_lm_roles[k]) == 0)
			return k;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown law-making role group \"%s\"", role),
			 errdetail("The role groups are drafting, appraisal, joint_appraisal, government_office, poll and finalising.")));
	return -1;					/* keep compiler quiet */
}

/* The template of role group k: its own, or lawmaking_template when null. */
static const int64 *
RoleTemplate(const KpiRules *r, int k)
{
	return r->lm_role_template_set[k] ? r->lm_role_template[k] : r->lm_template;
}

/* kpi.lm_role_score and kpi.lm_role_points: (s, role, impact, rules) */
static void
RoleArgs(FunctionCallInfo fcinfo, LmPoints *p)
{
	const KpiRules *r = kpi_rules_arg(fcinfo, 3);
	int			k = RoleIndex(PG_GETARG_TEXT_PP(1));
	int64		impact = kpi_fixed_arg(PG_GETARG_DATUM(2), "mark", "law-making impact");

	LmEval(PG_GETARG_LM(0), RoleTemplate(r, k), impact, r, kpi_lm_roles[k], p);
}

PG_FUNCTION_INFO_V1(lm_role_score);

/*
 * kpi.lm_role_score(s, role, impact, rules): the score of a ministry in one
 * role group (LM5): as kpi.lm_score, with the role group's template.
 */
Datum
lm_role_score(PG_FUNCTION_ARGS)
{
	LmPoints	p;

	RoleArgs(fcinfo, &p);
	if (!p.scored)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(LmTotal(&p));
}

PG_FUNCTION_INFO_V1(lm_role_points);

/* kpi.lm_role_points(s, role, impact, rules): the points of each component, unrounded, and the score */
Datum
lm_role_points(PG_FUNCTION_ARGS)
{
	LmPoints	p;

	RoleArgs(fcinfo, &p);
	return PointsTuple(fcinfo, &p);
}

/*
 * The state of kpi.lm_ministry_score is a numeric[], a real SQL type (so
 * the aggregate has a combine function and needs no serialisation): the
 * roles seen (bit k: role group k), the period bounds (days since
 * 2000-01-01), the rounding scale and a 32-bit hash of the rules of the
 * first row (every row must give the same), the sum of the weights, and the
 * sum of weight x exact score as num / den.  Anyone can call the support
 * functions with any array, so every state is checked before use.
 */
#define RS_SEEN			0
#define RS_START		1
#define RS_END			2
#define RS_SCALE		3
#define RS_RULES		4
#define RS_WEIGHT		5
#define RS_NUM			6
#define RS_DEN			7
#define RS_LEN			8

typedef struct LmRollup
{
	int			seen;
	DateADT		period_start;
	DateADT		period_end;
	int			scale;
	int64		rules_hash;
	Numeric		weight;
	Numeric		num;
	Numeric		den;
} LmRollup;

static int
NumCmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)));
}

static void
BadRollup(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("kpi.lm_ministry_score: invalid aggregate state"),
			 errdetail("%s", detail)));
}

/* An element that must be a whole number in [lo, hi]. */
static int64
StateWhole(Numeric v, int64 lo, int64 hi)
{
	int64		f;

	if (kpi_numeric_to_fixed(NumericGetDatum(v), &f) != KPI_FIXED_OK || f % KPI_ONE != 0 ||
		f / KPI_ONE < lo || f / KPI_ONE > hi)
		BadRollup("A role set, period bound, rounding scale or rules hash is not a whole number in its range.");
	return f / KPI_ONE;
}

/* The state at argno, checked: what it says must be possible. */
static void
GetRollup(FunctionCallInfo fcinfo, int argno, LmRollup *st)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(argno);
	Datum	   *e;
	bool	   *nulls;
	int			n;
	Numeric		zero = kpi_num_int(0);

	if (ARR_NDIM(a) != 1 || ARR_ELEMTYPE(a) != NUMERICOID)
		BadRollup("The state must be a numeric array of 8 elements without nulls.");
	deconstruct_array(a, NUMERICOID, -1, false, TYPALIGN_INT, &e, &nulls, &n);
	if (n != RS_LEN)
		BadRollup("The state must be a numeric array of 8 elements without nulls.");
	for (int i = 0; i < n; i++)
		if (nulls[i] || numeric_is_nan(DatumGetNumeric(e[i])) || numeric_is_inf(DatumGetNumeric(e[i])))
			BadRollup("The state must be a numeric array of 8 elements without nulls.");
	st->seen = (int) StateWhole(DatumGetNumeric(e[RS_SEEN]), 0, (1 << KPI_LM_NROLES) - 1);
	st->period_start = (DateADT) StateWhole(DatumGetNumeric(e[RS_START]), MIN_BOUND, MAX_BOUND);
	st->period_end = (DateADT) StateWhole(DatumGetNumeric(e[RS_END]), MIN_BOUND, MAX_BOUND);
	st->scale = (int) StateWhole(DatumGetNumeric(e[RS_SCALE]), 0, KPI_DIGITS);
	st->rules_hash = StateWhole(DatumGetNumeric(e[RS_RULES]), 0, PG_UINT32_MAX);
	st->weight = DatumGetNumeric(e[RS_WEIGHT]);
	st->num = DatumGetNumeric(e[RS_NUM]);
	st->den = DatumGetNumeric(e[RS_DEN]);
	if (st->period_end < st->period_start)
		BadRollup("The period ends before it starts.");
	if (NumCmp(st->weight, zero) < 0 || NumCmp(st->num, zero) < 0 || NumCmp(st->den, zero) <= 0)
		BadRollup("The weight and the weighted sum must not be negative, the denominator must be positive.");
	/* every score is at most 100: num / den <= 100 x weight */
	if (NumCmp(st->num, kpi_num_mul(kpi_num_mul(st->den, st->weight), kpi_num_int(100))) > 0)
		BadRollup("The weighted sum exceeds 100 times the weight: a score is at most 100.");
	if (st->seen == 0 && (NumCmp(st->weight, zero) != 0 || NumCmp(st->num, zero) != 0))
		BadRollup("A state that has seen no role has no weight and no sum.");
}

static Datum
PutRollup(const LmRollup *st)
{
	Datum		e[RS_LEN];

	e[RS_SEEN] = NumericGetDatum(kpi_num_int(st->seen));
	e[RS_START] = NumericGetDatum(kpi_num_int(st->period_start));
	e[RS_END] = NumericGetDatum(kpi_num_int(st->period_end));
	e[RS_SCALE] = NumericGetDatum(kpi_num_int(st->scale));
	e[RS_RULES] = NumericGetDatum(kpi_num_int(st->rules_hash));
	e[RS_WEIGHT] = NumericGetDatum(st->weight);
	e[RS_NUM] = NumericGetDatum(st->num);
	e[RS_DEN] = NumericGetDatum(st->den);
	PG_RETURN_ARRAYTYPE_P(construct_array(e, RS_LEN, NUMERICOID, -1, false, TYPALIGN_INT));
}

static void
TwiceError(int seen)
{
	for (int k = 0; k < KPI_LM_NROLES; k++)
		if (seen & (1 << k))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("law-making role group \"%s\" appears twice in a roll-up", kpi_lm_roles[k]),
					 errdetail("The roll-up takes one summary per role group of a ministry."),
					 errhint("Merge the role's summaries with kpi.rollup(kpi.lawmaking) first.")));
}

/* Error unless b can be merged into a (a has seen a role). */
static void
CheckMerge(const LmRollup *a, const LmRollup *b)
{
	if (a->period_start != b->period_start || a->period_end != b->period_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("law-making period bounds differ between rows"),
				 errdetail("One row gives %s to %s, another %s to %s.",
						   kpi_lm_date_text(a->period_start), kpi_lm_date_text(a->period_end),
						   kpi_lm_date_text(b->period_start), kpi_lm_date_text(b->period_end)),
				 errhint("Roll up the roles of one period at a time.")));
	if (a->rules_hash != b->rules_hash || a->scale != b->scale)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules differ between the rows of a law-making roll-up"),
				 errdetail("Every role of a ministry is scored and weighted under the same rules.")));
	if (a->seen & b->seen)
		TwiceError(a->seen & b->seen);
}

/* a += b: the weights add up, the weighted sums too, exactly */
static void
MergeRollup(LmRollup *a, const LmRollup *b)
{
	a->seen |= b->seen;
	a->weight = kpi_num_add(a->weight, b->weight);
	a->num = kpi_num_add(kpi_num_mul(a->num, b->den), kpi_num_mul(b->num, a->den));
	a->den = kpi_num_mul(a->den, b->den);
}

PG_FUNCTION_INFO_V1(lm_ministry_score_trans);

/*
 * Transition of kpi.lm_ministry_score(role, s, impact, documents, rules):
 * one row per role group of the ministry, its summary, its impact mark and
 * the number of its documents.  The role's exact score enters with weight
 * lawmaking_role_weights[role] x documents (lawmaking_rollup "documents")
 * or lawmaking_role_weights[role] ("roles"); a role that is not scored or
 * weighs 0 is left out.  A row with a NULL argument is skipped, as by a
 * strict aggregate.
 */
Datum
lm_ministry_score_trans(PG_FUNCTION_ARGS)
{
	LmRollup	st;
	LmRollup	row;
	const KpiRules *r;
	KpiLawmaking *s;
	Jsonb	   *rules;
	int			k;
	int64		documents;
	int64		impact;
	int128		w;
	LmPoints	p;

	for (int i = 1; i <= 5; i++)
		if (PG_ARGISNULL(i))
		{
			if (PG_ARGISNULL(0))
				PG_RETURN_NULL();
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		}
	k = RoleIndex(PG_GETARG_TEXT_PP(1));
	s = PG_GETARG_LM(2);
	rules = PG_GETARG_JSONB_P(5);
	r = kpi_rules_value(fcinfo, PointerGetDatum(rules));
	impact = kpi_fixed_arg(PG_GETARG_DATUM(3), "mark", "law-making impact");
	documents = PG_GETARG_INT64(4);
	if (documents < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("law-making documents of a role group must not be negative"),
				 errdetail("The value given for role group \"%s\" is " INT64_FORMAT ".",
						   kpi_lm_roles[k], documents)));
	LmEval(s, RoleTemplate(r, k), impact, r, kpi_lm_roles[k], &p);

	row.seen = 1 << k;
	row.period_start = s->period_start;
	row.period_end = s->period_end;
	row.scale = r->rounding_scale;
	row.rules_hash = hash_bytes((const unsigned char *) rules, VARSIZE(rules));
	row.weight = kpi_num_int(0);
	row.num = kpi_num_int(0);
	row.den = kpi_num_int(1);
	w = r->lm_rollup_roles ? r->lm_role_weight[k] : (int128) r->lm_role_weight[k] * documents;
	if (p.scored && w > 0)
	{
		row.weight = kpi_int128_to_numeric(w, KPI_DIGITS);
		LmExact(&p, &row.num, &row.den);
		row.num = kpi_num_mul(row.weight, row.num);
	}
	if (PG_ARGISNULL(0))
		return PutRollup(&row);
	GetRollup(fcinfo, 0, &st);
	if (st.seen == 0)
		return PutRollup(&row);
	CheckMerge(&st, &row);
	MergeRollup(&st, &row);
	return PutRollup(&st);
}

PG_FUNCTION_INFO_V1(lm_ministry_score_combine);

/* Combine function of kpi.lm_ministry_score: two states of different roles of one ministry. */
Datum
lm_ministry_score_combine(PG_FUNCTION_ARGS)
{
	LmRollup	a;
	LmRollup	b;

	GetRollup(fcinfo, 0, &a);
	GetRollup(fcinfo, 1, &b);
	if (b.seen == 0)
		return PutRollup(&a);
	if (a.seen == 0)
		return PutRollup(&b);
	CheckMerge(&a, &b);
	MergeRollup(&a, &b);
	return PutRollup(&a);
}

PG_FUNCTION_INFO_V1(lm_ministry_score_final);

/* Final function of kpi.lm_ministry_score: the weighted mean, rounded once; NULL when no role weighs */
Datum
lm_ministry_score_final(PG_FUNCTION_ARGS)
{
	LmRollup	st;

	GetRollup(fcinfo, 0, &st);
	if (NumCmp(st.weight, kpi_num_int(0)) == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_round_ratio(st.num, kpi_num_mul(st.den, st.weight), st.scale));
}

/* A numeric argument within [0, hi], or an error naming it. */
static Numeric
RangeArg(FunctionCallInfo fcinfo, int argno, int64 hi, const char *what)
{
	Numeric		v = PG_GETARG_NUMERIC(argno);

	if (numeric_is_nan(v) ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(v),
										  NumericGetDatum(kpi_num_int(0)))) < 0 ||
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(v),
										  NumericGetDatum(kpi_num_int(hi)))) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a number from 0 to " INT64_FORMAT, what, hi),
				 errdetail("The value given is %s.",
						   DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v))))));
	return v;
}

PG_FUNCTION_INFO_V1(lm_par_fraction);

/*
 * kpi.lm_par_fraction(par, lawmaking, rules): the fraction 0..1 of the PAR
 * INDEX component of a ministry's score (LM7): (1 - w) x par + w x
 * lawmaking / 100, w = lawmaking_par_weight.  par (the published index as
 * a fraction) or lawmaking (the roll-up score) may be NULL: with w = 0 or
 * no law-making score the index is kept as it is; with w = 1 the index is
 * not needed; otherwise a missing index gives NULL (missing).
 */
Datum
lm_par_fraction(PG_FUNCTION_ARGS)
{
	const KpiRules *r;
	Numeric		par = NULL;
	Numeric		lm;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("kpi rules must not be null"),
				 errdetail("Pass '{}' for the default rule set.")));
	r = kpi_rules_arg(fcinfo, 2);
	if (!PG_ARGISNULL(0))
		par = RangeArg(fcinfo, 0, 1, "the PAR INDEX fraction");
	if (PG_ARGISNULL(1) || r->lm_par_weight == 0)
	{
		if (par == NULL)
			PG_RETURN_NULL();
		PG_RETURN_NUMERIC(par);
	}
	lm = kpi_num_mul(RangeArg(fcinfo, 1, 100, "the law-making score"), kpi_fixed_to_numeric(100));	/* / 100 */
	lm = kpi_num_mul(lm, kpi_fixed_to_numeric(r->lm_par_weight));
	if (r->lm_par_weight == KPI_ONE)
		PG_RETURN_NUMERIC(kpi_num_trim(lm));
	if (par == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(kpi_num_trim(kpi_num_add(kpi_num_mul(kpi_fixed_to_numeric(KPI_ONE - r->lm_par_weight), par),
											   lm)));
}
