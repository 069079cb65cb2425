/*
 * agency.c
 *		Agencies (rules.md AG1-AG5): the general-criteria sum, the yearly
 *		score from the task-result template, and the optional cap of the
 *		head's tier.
 *
 * An agency score is G plus, for each component of the agency's template,
 * its points times a fraction in 0..1: the work plan (KQ / 100 of the
 * agency's own task lines, as CS5-CS9), administrative procedures (dossiers
 * settled on time and handled online) and, for provinces, the published
 * indices (already normalised to 0..1).  The total is built as one exact
 * rational and rounded once (N0.3).
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(agency_general_points);

/*
 * kpi.agency_general_points(marks numeric[], rules): G of an agency, the sum
 * of its general-criteria marks, each checked against its maximum in the
 * rules' agency_marks_max (AG2).
 */
Datum
agency_general_points(PG_FUNCTION_ARGS)
{
	ArrayType  *marks = PG_GETARG_ARRAYTYPE_P(0);
	const KpiRules *r = kpi_rules_arg(fcinfo, 1);

	if (r->agency_nmarks == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules give no agency general-criteria form"),
				 errdetail("agency_marks_max is null, or general_points was changed without it."),
				 errhint("Add agency_marks_max, the maximum of each mark, to the rules.")));
	PG_RETURN_NUMERIC(kpi_sum_marks(marks, r->agency_marks_max, r->agency_nmarks,
									"agency general criteria", "agency_marks_max"));
}

/* The evaluated arguments of kpi.agency_score and kpi.agency_components. */
typedef struct AgencyParts
{
	const KpiRules *r;
	int			kind;
	Numeric		general;
	bool		scored;			/* false: work-plan points but nothing assigned */
	bool		used[KPI_AGENCY_NCOMP]; /* component has points in the template */
	Numeric		num[KPI_AGENCY_NCOMP];	/* its points are num / den */
	Numeric		den[KPI_AGENCY_NCOMP];
} AgencyParts;

static int64
CountArg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	int64		v = PG_GETARG_INT64(argno);

	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("agency %s must not be negative", what),
				 errdetail("The value given is " INT64_FORMAT ".", v)));
	return v;
}

/* The agency kind argument: 'ministry' or 'province'. */
static int
KindArg(text *t)
{
	char	   *kind = text_to_cstring(t);

	for (int k = 0; k < KPI_AGENCY_NKINDS; k++)
		if (strcmp(kind, kpi_agency_kinds[k]) == 0)
			return k;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown agency kind \"%s\"", kind),
			 errdetail("The kinds are \"ministry\" and \"province\".")));
	return -1;					/* keep compiler quiet */
}

/*
 * The index fractions of the indices object: {"par": 0.8995, ...}, each in
 * 0..1, any number of decimals.  A null value counts as absent.
 */
static void
ReadIndices(Jsonb *jb, Numeric frac[KPI_AGENCY_NCOMP])
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("agency indices must be a JSON object"),
				 errdetail("Indices are given as fractions such as {\"par\": 0.8995, \"dti\": 0.8002}.")));
	it = JsonbIteratorInit(&jb->root);
	tok = JsonbIteratorNext(&it, &v, true);	/* WJB_BEGIN_OBJECT */
	while ((tok = JsonbIteratorNext(&it, &v, true)) == WJB_KEY)
	{
		char	   *key = pnstrdup(v.val.string.val, v.val.string.len);
		int			c;

		for (c = KPI_COMP_PAR; c <= KPI_COMP_DTI; c++)
			if (strcmp(key, kpi_agency_components[c]) == 0)
				break;
		if (c > KPI_COMP_DTI)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown index \"%s\" in agency indices", key),
					 errdetail("Known indices are par, sipas, pci and dti.")));
		tok = JsonbIteratorNext(&it, &v, true);
		if (v.type == jbvNull)
			continue;
		if (v.type != jbvNumeric ||
			DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(v.val.numeric),
											  NumericGetDatum(kpi_num_int(0)))) < 0 ||
			DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(v.val.numeric),
											  NumericGetDatum(kpi_num_int(1)))) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("agency index \"%s\" must be a number from 0 to 1", key),
					 errdetail("Indices enter the agency score as fractions, as given by kpi.index_fraction or kpi.index_norm.")));
		frac[c] = v.val.numeric;
	}
}

/*
 * Evaluate every argument (AG2, AG3).  All are validated, even when the
 * score turns out not to be computable.
 */
static void
AgencyEval(FunctionCallInfo fcinfo, AgencyParts *p)
{
	const KpiRules *r = kpi_rules_arg(fcinfo, 7);
	KpiTally	buf;
	const KpiTally *t = PG_GETARG_KPI_TALLY(1, &buf);
	int64		dossiers = CountArg(fcinfo, 2, "dossiers");
	int64		on_time = CountArg(fcinfo, 3, "dossiers_on_time");
	int64		online = CountArg(fcinfo, 4, "dossiers_online");
	Numeric		frac[KPI_AGENCY_NCOMP] = {0};
	const int64 *tpl;
	int64		g;

	memset(p, 0, sizeof(*p));
	p->r = r;
	p->kind = KindArg(PG_GETARG_TEXT_PP(6));
	if (!r->agency_template_set[p->kind])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules give no %s template", kpi_agency_kinds[p->kind]),
				 errdetail("%s_template is null, or task_points was changed without it.",
						   kpi_agency_kinds[p->kind]),
				 errhint("Add %s_template, whose component points add up to task_points, to the rules.",
						 kpi_agency_kinds[p->kind])));
	tpl = r->agency_template[p->kind];

	g = kpi_fixed_arg(PG_GETARG_DATUM(0), "points", "agency general criteria");
	if (g > r->general_points)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("agency general criteria points must be between 0 and %s",
						kpi_fixed_cstring(r->general_points)),
				 errdetail("The value given is %s.", kpi_fixed_cstring(g))));
	p->general = kpi_fixed_to_numeric(g);

	if (on_time > dossiers || online > dossiers)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("agency dossiers settled on time or handled online exceed the dossiers"),
				 errdetail("There are " INT64_FORMAT " dossiers, " INT64_FORMAT " on time and " INT64_FORMAT " online.",
						   dossiers, on_time, online)));
	ReadIndices(PG_GETARG_JSONB_P(5), frac);

	p->scored = true;
	for (int c = 0; c < KPI_AGENCY_NCOMP; c++)
	{
		Numeric		pts = kpi_fixed_to_numeric(tpl[c]);

		p->used[c] = tpl[c] > 0;
		if (c == KPI_COMP_WORK_PLAN)
		{
			/* KQ / 100 = num / den; validates the tally even when unused */
			bool		any = kpi_task_fraction(t, r, &p->num[c], &p->den[c]);

			if (p->used[c] && !any)
				p->scored = false;
			if (any)
				p->num[c] = kpi_num_mul(pts, p->num[c]);
		}
		else if (c == KPI_COMP_PROCEDURES)
		{
			/* ((1 - w) on_time + w online) / dossiers; full when there are none */
			if (dossiers == 0)
			{
				p->num[c] = pts;
				p->den[c] = kpi_num_int(1);
			}
			else
			{
				int128		mix = (int128) (KPI_ONE - r->online_weight) * on_time +
					(int128) r->online_weight * online;

				p->num[c] = kpi_num_mul(pts, kpi_int128_to_numeric(mix, KPI_DIGITS));
				p->den[c] = kpi_num_int(dossiers);
			}
		}
		else if (p->used[c])
		{
			if (frac[c] == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("agency index \"%s\" is missing", kpi_agency_components[c]),
						 errdetail("The %s template gives it %s points.", kpi_agency_kinds[p->kind],
								   kpi_fixed_cstring(tpl[c])),
						 errhint("Pass its fraction 0..1 in the indices argument, for example {\"%s\": 0.85}.",
								 kpi_agency_components[c])));
			p->num[c] = kpi_num_mul(pts, frac[c]);
			p->den[c] = kpi_num_int(1);
		}
	}
}

PG_FUNCTION_INFO_V1(agency_score);

/*
 * kpi.agency_score(general, work_plan, dossiers, dossiers_on_time,
 * dossiers_online, indices, kind, rules): G + sum of template points x
 * fraction (AG1-AG3), rounded half away from zero once from the exact value
 * (N0.3); NULL when the template gives work-plan points and the tally has
 * nothing assigned (N0.4).
 */
Datum
agency_score(PG_FUNCTION_ARGS)
{
	AgencyParts p;
	Numeric		num;
	Numeric		den;

	AgencyEval(fcinfo, &p);
	if (!p.scored)
		PG_RETURN_NULL();
	/* num / den = G + sum num_c / den_c, exactly */
	num = p.general;
	den = kpi_num_int(1);
	for (int c = 0; c < KPI_AGENCY_NCOMP; c++)
	{
		if (!p.used[c])
			continue;
		num = kpi_num_add(kpi_num_mul(num, p.den[c]), kpi_num_mul(p.num[c], den));
		den = kpi_num_mul(den, p.den[c]);
	}
	PG_RETURN_NUMERIC(kpi_round_ratio(num, den, p.r->rounding_scale));
}

PG_FUNCTION_INFO_V1(agency_components);

/*
 * kpi.agency_components(same arguments): the points of G and of each
 * template component, unrounded, and the rounded score; NULL for
 * components the template does not use.
 */
Datum
agency_components(PG_FUNCTION_ARGS)
{
	AgencyParts p;
	TupleDesc	tupdesc;
	Datum		values[KPI_AGENCY_NCOMP + 2];
	bool		nulls[KPI_AGENCY_NCOMP + 2];
	Numeric		num;
	Numeric		den;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	AgencyEval(fcinfo, &p);

	memset(nulls, 0, sizeof(nulls));
	values[0] = NumericGetDatum(p.general);
	num = p.general;
	den = kpi_num_int(1);
	for (int c = 0; c < KPI_AGENCY_NCOMP; c++)
	{
		if (!p.used[c] || (c == KPI_COMP_WORK_PLAN && !p.scored))
		{
			nulls[c + 1] = true;
			continue;
		}
		values[c + 1] = NumericGetDatum(kpi_num_trim(kpi_num_div(p.num[c], p.den[c])));
		num = kpi_num_add(kpi_num_mul(num, p.den[c]), kpi_num_mul(p.num[c], den));
		den = kpi_num_mul(den, p.den[c]);
	}
	if (p.scored)
		values[KPI_AGENCY_NCOMP + 1] = NumericGetDatum(kpi_round_ratio(num, den, p.r->rounding_scale));
	else
		nulls[KPI_AGENCY_NCOMP + 1] = true;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* Tier indices (0 worst .. 3 best) of the head and agency arguments. */
static void
HeadAndAgency(FunctionCallInfo fcinfo, int *head, int *agency)
{
	Oid			tiertype = get_fn_expr_argtype(fcinfo->flinfo, 0);

	*head = kpi_tier_index(fcinfo, tiertype, PG_GETARG_OID(0));
	*agency = kpi_tier_index(fcinfo, tiertype, PG_GETARG_OID(1));
}

PG_FUNCTION_INFO_V1(head_tier);

/*
 * kpi.head_tier(head, agency, rules): the head's tier, lowered to the
 * agency's tier when the rules set head_cap (AG5, off by default).
 */
Datum
head_tier(PG_FUNCTION_ARGS)
{
	const KpiRules *r = kpi_rules_arg(fcinfo, 2);
	int			head;
	int			agency;

	HeadAndAgency(fcinfo, &head, &agency);
	if (r->head_cap && agency < head)
		PG_RETURN_OID(PG_GETARG_OID(1));
	PG_RETURN_OID(PG_GETARG_OID(0));
}

PG_FUNCTION_INFO_V1(head_capped);

/* kpi.head_capped(head, agency, rules): did the AG5 cap lower the head's tier? */
Datum
head_capped(PG_FUNCTION_ARGS)
{
	const KpiRules *r = kpi_rules_arg(fcinfo, 2);
	int			head;
	int			agency;

	HeadAndAgency(fcinfo, &head, &agency);
	PG_RETURN_BOOL(r->head_cap && agency < head);
}
