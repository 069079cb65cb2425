/*
 * rating.c
 *		The year-end rating around the score: disqualifiers (rules.md CS14)
 *		and the screening flags that feed personnel decisions (CS16).
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(disqualifies);

/*
 * kpi.disqualifies(kind, form, duty_related, is_leader, rules): does one
 * record force "not complete" for the year it falls in (CS14)?
 *	 'degradation'	   a competent authority's conclusion of degradation or a
 *					   breach of the duty to set an example: always;
 *	 'discipline'	   a duty-related violation disciplined with a reprimand
 *					   or heavier (rules discipline_min);
 *	 'unit_corruption' embezzlement, corruption or waste handled in the unit
 *					   in the person's direct charge: leaders only.
 * NULL when a fact the kind needs is unknown.
 */
Datum
disqualifies(PG_FUNCTION_ARGS)
{
	const KpiRules *r;
	char	   *kind;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	r = kpi_rules_arg(fcinfo, 4);
	kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (strcmp(kind, "degradation") == 0)
		PG_RETURN_BOOL(true);
	if (strcmp(kind, "discipline") == 0)
	{
		/* duty_related AND heavy enough, with SQL's three-valued AND */
		bool		duty_known = !PG_ARGISNULL(2);
		bool		form_known = !PG_ARGISNULL(1);
		bool		heavy = false;

		if (form_known)
		{
			char	   *form = DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(1)));
			int			i;

			for (i = 0; i < KPI_NFORMS; i++)
				if (strcmp(form, kpi_discipline_forms[i]) == 0)
					break;
			if (i == KPI_NFORMS)
				elog(ERROR, "unknown kpi.discipline_form value \"%s\"", form);
			heavy = i >= r->discipline_min;
		}
		if ((duty_known && !PG_GETARG_BOOL(2)) || (form_known && !heavy))
			PG_RETURN_BOOL(false);
		if (!duty_known || !form_known)
			PG_RETURN_NULL();
		PG_RETURN_BOOL(true);
	}
	if (strcmp(kind, "unit_corruption") == 0)
	{
		if (PG_ARGISNULL(3))
			PG_RETURN_NULL();
		PG_RETURN_BOOL(PG_GETARG_BOOL(3));
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown disqualifier kind \"%s\"", kind),
			 errdetail("The kinds are \"degradation\", \"discipline\" and \"unit_corruption\".")));
	PG_RETURN_NULL();			/* keep compiler quiet */
}

/* A one-dimensional array without nulls, as Datums. */
static Datum *
PlainArray(ArrayType *a, Oid elemtype, const char *what, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", what)));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(a, elemtype, typlen, typbyval, typalign, &elems, &nulls, n);
	for (int i = 0; i < *n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain nulls", what),
					 errdetail("Leave a year that was not rated out of the history.")));
	return elems;
}

PG_FUNCTION_INFO_V1(screening);

/*
 * kpi.screening(years, tiers, rules): the flag for the last year of a
 * history (CS16): 'out' after screen_out_years consecutive years not
 * complete, 'down' after screen_down_years, 'up' after screen_up_years
 * consecutive years excellent, else NULL.  Years not rated are absent, so
 * a gap breaks a run.
 */
Datum
screening(PG_FUNCTION_ARGS)
{
	ArrayType  *ya = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *ta = PG_GETARG_ARRAYTYPE_P(1);
	const KpiRules *r = kpi_rules_arg(fcinfo, 2);
	Oid			tiertype = ARR_ELEMTYPE(ta);
	Datum	   *years;
	Datum	   *tiers;
	int			ny;
	int			nt;
	int			last;
	int			run = 0;

	years = PlainArray(ya, INT4OID, "years", &ny);
	tiers = PlainArray(ta, tiertype, "tiers", &nt);
	if (ny != nt)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("years and tiers must have the same length"),
				 errdetail("There are %d years and %d tiers.", ny, nt)));
	if (ny == 0)
		PG_RETURN_NULL();
	for (int i = 1; i < ny; i++)
		if (DatumGetInt32(years[i]) <= DatumGetInt32(years[i - 1]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("years must be strictly increasing"),
					 errdetail("Year %d follows year %d.", DatumGetInt32(years[i]),
							   DatumGetInt32(years[i - 1])),
					 errhint("Build both arrays with ORDER BY year.")));

	/* length of the run of the last year's tier, over consecutive years */
	last = kpi_tier_index(fcinfo, tiertype, DatumGetObjectId(tiers[ny - 1]));
	for (int i = ny - 1; i >= 0; i--)
	{
		if (kpi_tier_index(fcinfo, tiertype, DatumGetObjectId(tiers[i])) != last)
			break;
		if (i < ny - 1 && DatumGetInt32(years[i]) != DatumGetInt32(years[i + 1]) - 1)
			break;
		run++;
	}
	if (last == 0 && run >= r->screen_out_years)
		PG_RETURN_TEXT_P(cstring_to_text("out"));
	if (last == 0 && run >= r->screen_down_years)
		PG_RETURN_TEXT_P(cstring_to_text("down"));
	if (last == 3 && run >= r->screen_up_years)
		PG_RETURN_TEXT_P(cstring_to_text("up"));
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(discipline_form_valid);

/*
 * kpi.discipline_form_valid(form, decided_on, rules): may a decision dated
 * decided_on take this form?  Decree 172/2025/ND-CP removed salary-grade
 * demotion (ha_bac_luong) and demotion (giang_chuc) for civil servants from
 * the day it took effect (rules discipline_reform_date); decisions dated
 * before it keep them, since they were lawful then and still disqualify
 * for their year (CS14).  STRICT: an unknown form or date is not refused,
 * as a CHECK constraint passes a NULL.
 */
Datum
discipline_form_valid(PG_FUNCTION_ARGS)
{
	const KpiRules *r = kpi_rules_arg(fcinfo, 2);
	char	   *form = DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(0)));
	DateADT		decided_on = PG_GETARG_DATEADT(1);
	bool		removed = strcmp(form, "ha_bac_luong") == 0 || strcmp(form, "giang_chuc") == 0;

	PG_RETURN_BOOL(!removed || decided_on < r->discipline_reform);
}
