/*
 * ledger_rows.c
 *		The ledger of an official's period and of an agency's year
 *		(kpi.official_ledger, kpi.agency_year_ledger): the rows of the marks (CS3,
 *		AG2), the cap (CS8), the leader criteria (CS10), the self-assessment
 *		(CY1), the procedures (AG3) and the indices (IX1-IX4) around the task
 *		lines' rows of kpi.ledger_lines, closed by N0.3 (ledger.c).
 */
#include "postgres.h"

#include "kpi_eval.h"
#include "ledger.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

/*
 * The form's marks below their maximum (CS3, AG2): rule_id, the maxima of
 * the rule set, and for agencies the year and unit of the input row.
 */
static void
MarkRows(KpiLedger *l, ArrayType *marks, const int64 *max, int nmax, const char *rule_id,
		 const char *source_table, bool agency, int64 unit_id, int32 year)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (marks == NULL)
		return;
	deconstruct_array(marks, NUMERICOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (int i = 0; i < n && i < nmax; i++)
	{
		int64		v;
		Datum		maxd;
		Datum		pts;
		JsonbParseState *st = NULL;

		if (nulls[i])
			continue;
		if (kpi_fixed_of(elems[i], &v))
		{
			if (v == max[i])
				continue;
			pts = NumericGetDatum(int64_div_fast_to_numeric((max[i] - v) * 100, 6));
		}
		else
		{
			if (DatumGetBool(DirectFunctionCall2(numeric_eq, elems[i],
												 NumericGetDatum(kpi_fixed_to_numeric(max[i])))))
				continue;
			pts = DirectFunctionCall2(numeric_round,
									  NumericGetDatum(numeric_sub_opt_error(kpi_fixed_to_numeric(max[i]),
																			DatumGetNumeric(elems[i]), NULL)),
									  Int32GetDatum(6));
		}
		maxd = NumericGetDatum(kpi_fixed_to_numeric(max[i]));
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		if (agency)
			kpi_detail_numeric(&st, "year", NumericGetDatum(int64_to_numeric(year)), false);
		kpi_detail_numeric(&st, "mark_no", NumericGetDatum(int64_to_numeric(i + 1)), false);
		kpi_detail_numeric(&st, "mark", elems[i], false);
		kpi_detail_numeric(&st, "max", maxd, false);
		kpi_ledger_add(l, rule_id, source_table, agency, unit_id, pts, false, kpi_detail_end(&st));
	}
}

/*
 * The cap's rows (CS8) over the period tally t: each component credited
 * above the weight gives back points / k x (credit - assigned) / assigned,
 * with its uncapped percentage.
 */
static void
CapRows(KpiLedger *l, const KpiTally *t, const KpiRules *r, Datum points, int k, bool work_plan)
{
	static const char *const names[3] = {"quantity", "quality", "progress"};
	int128		parts[3];
	int64		p;
	bool		p_ok = kpi_fixed_of(points, &p);

	kpi_rules_check_tally(r, t);
	kpi_component_credits(t, r->strict_progress, false, parts);
	for (int i = 0; i < 3; i++)
	{
		JsonbParseState *st = NULL;
		Datum		pts;

		if (parts[i] <= t->assigned)
			continue;
		pts = kpi_share_points(points, p_ok, p, k, parts[i], t->assigned, t->assigned);
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		kpi_detail_text(&st, "component", names[i]);
		kpi_detail_numeric(&st, "pct", NumericGetDatum(kpi_component_pct(t, parts, i)), false);
		if (work_plan)
			kpi_detail_bool(&st, "work_plan", true, false);
		kpi_ledger_add(l, "CS8", NULL, false, 0, pts, false, kpi_detail_end(&st));
	}
}

/* The leader criteria below 100 (CS10): task_points x (100 - value) / 600 each. */
static void
LeaderRows(KpiLedger *l, FunctionCallInfo fcinfo, int argno, bool has_criteria, bool criteria_null,
		   bool in_charge_null, int64 in_charge, const KpiRules *r)
{
	static const char *const names[3] = {"d", "dd", "e"};
	Numeric		tp = kpi_fixed_to_numeric(r->task_points);

	for (int i = 0; i < 3; i++)
	{
		Datum		v;
		int64		x;
		int128		num;
		Datum		pts;
		JsonbParseState *st = NULL;

		if (PG_ARGISNULL(argno + i))
			continue;
		v = PG_GETARG_DATUM(argno + i);
		if (kpi_fixed_of(v, &x))
		{
			if (x == 100 * KPI_ONE)
				continue;
			/* y = tp (100 - v) 10^6 / 600 with both in 1/KPI_ONE: tp (10^6 - x) / 60000 */
			if (!(kpi_mul128((int128) r->task_points, (int128) (100 * KPI_ONE - x), &num) &&
				  kpi_fast_round6(num, 60000, &pts)))
				pts = kpi_numeric_round6(numeric_mul_opt_error(tp, numeric_sub_opt_error(int64_to_numeric(100),
																					DatumGetNumeric(v), NULL), NULL),
									int64_to_numeric(600));
		}
		else
		{
			if (DatumGetBool(DirectFunctionCall2(numeric_eq, v, NumericGetDatum(int64_to_numeric(100)))))
				continue;
			pts = kpi_numeric_round6(numeric_mul_opt_error(tp, numeric_sub_opt_error(int64_to_numeric(100),
																				DatumGetNumeric(v), NULL), NULL),
								int64_to_numeric(600));
		}
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		kpi_detail_text(&st, "criterion", names[i]);
		kpi_detail_numeric(&st, "value", v, false);
		kpi_detail_bool(&st, "recorded", i == 0 || has_criteria, i != 0 && criteria_null);
		kpi_ledger_add(l, "CS10", i == 0 ? "unit" : "leader_criteria", i == 0 && !in_charge_null,
				  in_charge, pts, false, kpi_detail_end(&st));
	}
}

/* NULL-aware IS DISTINCT FROM of two numerics */
static bool
NumericDistinct(Datum a, bool a_null, Datum b, bool b_null)
{
	if (a_null || b_null)
		return a_null != b_null;
	return !DatumGetBool(DirectFunctionCall2(numeric_eq, a, b));
}

static void
SelfRow(KpiLedger *l, const char *item, Datum s, bool s_null, Datum a, bool a_null)
{
	JsonbParseState *st = NULL;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	kpi_detail_text(&st, "item", item);
	kpi_detail_numeric(&st, "self", s, s_null);
	kpi_detail_numeric(&st, "approved", a, a_null);
	kpi_ledger_add(l, "CY1", "assessment", false, 0, NumericGetDatum(int64_div_fast_to_numeric(0, 6)),
			  false, kpi_detail_end(&st));
}

/*
 * Where the approved form differs from the self-assessment (CY1, 0 points):
 * each mark, then a leader's dd and e, a NULL criterion counting as
 * leader_full; nothing without a self-assessment.
 */
static void
SelfRows(KpiLedger *l, ArrayType *self_marks, ArrayType *marks, FunctionCallInfo fcinfo,
		 int self_argno, int approved_argno, bool is_leader, const KpiRules *r)
{
	Datum	   *se = NULL,
			   *ae = NULL;
	bool	   *sn = NULL,
			   *an = NULL;
	int			ns = 0,
				na = 0;

	if (self_marks == NULL)
		return;
	deconstruct_array(self_marks, NUMERICOID, -1, false, TYPALIGN_INT, &se, &sn, &ns);
	if (marks)
		deconstruct_array(marks, NUMERICOID, -1, false, TYPALIGN_INT, &ae, &an, &na);
	for (int i = 0; i < Max(ns, na); i++)
	{
		bool		s_null = i >= ns || sn[i];
		bool		a_null = i >= na || an[i];
		Datum		s = s_null ? (Datum) 0 : se[i];
		Datum		a = a_null ? (Datum) 0 : ae[i];

		if (NumericDistinct(s, s_null, a, a_null))
			SelfRow(l, psprintf("mark %d", i + 1), s, s_null, a, a_null);
	}
	if (is_leader)
	{
		Datum		full = NumericGetDatum(kpi_fixed_to_numeric(r->leader_full));

		for (int i = 0; i < 2; i++)
		{
			Datum		s = PG_ARGISNULL(self_argno + i) ? full : PG_GETARG_DATUM(self_argno + i);
			Datum		a = PG_ARGISNULL(approved_argno + i) ? full : PG_GETARG_DATUM(approved_argno + i);

			if (NumericDistinct(s, false, a, false))
				SelfRow(l, i == 0 ? "dd" : "e", s, false, a, false);
		}
	}
}

/* kpi.official_ledger, kpi.agency_year_ledger -------------- */

#define KPI_ARRAY_ARG(n) (PG_ARGISNULL(n) ? NULL : PG_GETARG_ARRAYTYPE_P(n))

PG_FUNCTION_INFO_V1(official_ledger);

/*
 * kpi.official_ledger(lines, t, marks, score, d, dd, e, is_leader,
 * has_criteria, in_charge, self_marks, self_dd, self_e, rules): an
 * official's period ledger, CS3, the lines' rows, CS8 (when the rules cap),
 * CS10 (a leader), CY1 and N0.3; NULL when the period is not scored.
 */
Datum
official_ledger(PG_FUNCTION_ARGS)
{
	const KpiRules *r;
	KpiLedger	l;
	bool		is_leader;

	if (PG_ARGISNULL(3) || PG_ARGISNULL(13))
		PG_RETURN_NULL();
	r = kpi_rules_arg(fcinfo, 13);
	is_leader = !PG_ARGISNULL(7) && PG_GETARG_BOOL(7);
	kpi_ledger_init(&l, kpi_ledger_desc(fcinfo));
	MarkRows(&l, KPI_ARRAY_ARG(2), r->marks_max, r->nmarks, "CS3", "general_mark", false, 0, 0);
	kpi_ledger_append(&l, KPI_ARRAY_ARG(0));
	if (r->cap && !PG_ARGISNULL(1))
	{
		KpiTally	buf;

		CapRows(&l, PG_GETARG_KPI_TALLY(1, &buf), r, NumericGetDatum(kpi_fixed_to_numeric(r->task_points)),
				is_leader ? 6 : 3, false);
	}
	if (is_leader)
		LeaderRows(&l, fcinfo, 4, !PG_ARGISNULL(8) && PG_GETARG_BOOL(8), PG_ARGISNULL(8),
				   PG_ARGISNULL(9), PG_ARGISNULL(9) ? 0 : PG_GETARG_INT64(9), r);
	SelfRows(&l, KPI_ARRAY_ARG(10), KPI_ARRAY_ARG(2), fcinfo, 11, 5, is_leader, r);
	PG_RETURN_ARRAYTYPE_P(kpi_ledger_close(&l, PG_GETARG_DATUM(3), false));
}

/* The value of key in the jsonb object at argno, as a JsonbValue (NULL: none). */
static JsonbValue *
JsonbKey(FunctionCallInfo fcinfo, int argno, const char *key)
{
	Jsonb	   *jb;

	if (PG_ARGISNULL(argno))
		return NULL;
	jb = PG_GETARG_JSONB_P(argno);
	if (!JB_ROOT_IS_OBJECT(jb))
		return NULL;
	return getKeyJsonValueFromContainer(&jb->root, key, strlen(key), NULL);
}

/* A detail key holding a jsonb value as found (NULL: null). */
static void
DetailJsonb(JsonbParseState **st, const char *key, JsonbValue *v)
{
	JsonbValue	null;

	kpi_detail_key(st, key);
	if (v == NULL)
	{
		null.type = jbvNull;
		v = &null;
	}
	pushJsonbValue(st, WJB_VALUE, v);
}

/* The numeric a jsonb value reads as with ->> and a cast (false: none). */
static bool
JsonbNumeric(JsonbValue *v, Datum *num)
{
	if (v == NULL || v->type == jbvNull)
		return false;
	if (v->type == jbvNumeric)
		*num = NumericGetDatum(v->val.numeric);
	else if (v->type == jbvString)
		*num = DirectFunctionCall3(numeric_in, CStringGetDatum(pnstrdup(v->val.string.val, v->val.string.len)),
								   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an agency index fraction must be a number"),
				 errdetail("Index fractions are given as numbers such as {\"par\": 0.8995}.")));
	return true;
}

static bool
NumericPositive(Datum v)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, v, NumericGetDatum(int64_to_numeric(0)))) > 0;
}

/*
 * The administrative procedures' rows (AG3): the part settled on time
 * (weight procedures x (1 - procedures_online_weight)) and the part handled
 * online (procedures x procedures_online_weight) each lose weight x
 * (dossiers - counted) / dossiers.  Arguments from argno: dossiers, on time,
 * online.
 */
static void
ProcedureRows(KpiLedger *l, FunctionCallInfo fcinfo, int argno, const KpiRules *r, int kind,
			  int64 unit_id, int32 year)
{
	static const char *const parts[2] = {"on_time", "online"};
	Numeric		procedures = kpi_fixed_to_numeric(r->agency_template[kind][KPI_COMP_PROCEDURES]);
	Numeric		w = kpi_fixed_to_numeric(r->online_weight);
	Numeric		weights[2];
	int64		dossiers;

	if (PG_ARGISNULL(argno) || (dossiers = PG_GETARG_INT64(argno)) <= 0)
		return;
	weights[0] = numeric_mul_opt_error(procedures, numeric_sub_opt_error(int64_to_numeric(1), w, NULL), NULL);
	weights[1] = numeric_mul_opt_error(procedures, w, NULL);
	for (int i = 0; i < 2; i++)
	{
		int64		counted;
		JsonbParseState *st = NULL;
		Datum		pts;

		if (!NumericPositive(NumericGetDatum(weights[i])) || PG_ARGISNULL(argno + 1 + i) ||
			(counted = PG_GETARG_INT64(argno + 1 + i)) >= dossiers)
			continue;
		pts = kpi_numeric_round6(numeric_mul_opt_error(weights[i], int64_to_numeric(dossiers - counted), NULL),
								 int64_to_numeric(dossiers));
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		kpi_detail_numeric(&st, "year", NumericGetDatum(int64_to_numeric(year)), false);
		kpi_detail_text(&st, "part", parts[i]);
		kpi_detail_numeric(&st, "dossiers", NumericGetDatum(int64_to_numeric(dossiers)), false);
		kpi_detail_numeric(&st, "counted", NumericGetDatum(int64_to_numeric(counted)), false);
		kpi_detail_numeric(&st, "weight", NumericGetDatum(weights[i]), false);
		kpi_ledger_add(l, "AG3", "agency_input", true, unit_id, pts, false, kpi_detail_end(&st));
	}
}

/*
 * The indices' rows (IX1-IX4): each index with points in the template and a
 * fraction below 1 loses weight x (1 - fraction).  Arguments from argno: the
 * fractions used, the index values, the fractions before law-making, the
 * law-making score and weight, whether law-making took part (LM7).
 */
static void
IndexRows(KpiLedger *l, FunctionCallInfo fcinfo, int argno, const KpiRules *r, int kind, int32 year)
{
	static const char *const codes[4] = {"par", "sipas", "pci", "dti"};
	static const char *const rule_ids[4] = {"IX1", "IX2", "IX3", "IX4"};
	bool		lawmaking = !PG_ARGISNULL(argno + 5) && PG_GETARG_BOOL(argno + 5);

	for (int i = 0; i < 4; i++)
	{
		Numeric		weight = kpi_fixed_to_numeric(r->agency_template[kind][KPI_COMP_PAR + i]);
		JsonbValue *fraction = JsonbKey(fcinfo, argno, codes[i]);
		Datum		f;
		Datum		pts;
		JsonbParseState *st = NULL;

		if (!NumericPositive(NumericGetDatum(weight)) || !JsonbNumeric(fraction, &f) ||
			DatumGetInt32(DirectFunctionCall2(numeric_cmp, f, NumericGetDatum(int64_to_numeric(1)))) >= 0)
			continue;
		pts = DirectFunctionCall2(numeric_round,
								  NumericGetDatum(numeric_mul_opt_error(weight,
																		numeric_sub_opt_error(int64_to_numeric(1),
																							  DatumGetNumeric(f), NULL),
																		NULL)),
								  Int32GetDatum(6));
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		kpi_detail_numeric(&st, "year", NumericGetDatum(int64_to_numeric(year)), false);
		kpi_detail_text(&st, "code", codes[i]);
		DetailJsonb(&st, "index_value", JsonbKey(fcinfo, argno + 1, codes[i]));
		DetailJsonb(&st, "fraction", fraction);
		kpi_detail_numeric(&st, "weight", NumericGetDatum(weight), false);
		if (i == 0 && lawmaking)
		{
			DetailJsonb(&st, "index_fraction", JsonbKey(fcinfo, argno + 2, "par"));
			kpi_detail_numeric(&st, "lawmaking_score", PG_ARGISNULL(argno + 3) ? (Datum) 0 : PG_GETARG_DATUM(argno + 3),
							   PG_ARGISNULL(argno + 3));
			kpi_detail_numeric(&st, "lawmaking_par_weight",
							   PG_ARGISNULL(argno + 4) ? (Datum) 0 : PG_GETARG_DATUM(argno + 4), PG_ARGISNULL(argno + 4));
		}
		kpi_ledger_add(l, rule_ids[i], "index_value", false, 0, pts, false, kpi_detail_end(&st));
	}
}

/* The index of an agency kind in the rules' templates, or -1. */
static int
AgencyKind(FunctionCallInfo fcinfo, int argno, const KpiRules *r)
{
	char	   *kind;

	if (PG_ARGISNULL(argno))
		return -1;
	kind = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	for (int k = 0; k < KPI_AGENCY_NKINDS; k++)
		if (strcmp(kind, kpi_agency_kinds[k]) == 0)
			return r->agency_template_set[k] ? k : -1;
	return -1;
}

PG_FUNCTION_INFO_V1(agency_year_ledger);

/*
 * kpi.agency_year_ledger(unit_id, year, kind, marks, t, points, lines, dossiers,
 * dossiers_on_time, dossiers_online, fractions, index_values,
 * index_fractions, lawmaking_score, lawmaking_par_weight, lawmaking, score,
 * rules): an agency's year ledger, AG2, the work plan's line rows and CS8
 * (when its points are above 0), the procedures (AG3), the indices
 * (IX1-IX4) and N0.3; NULL when the year is not scored.
 */
Datum
agency_year_ledger(PG_FUNCTION_ARGS)
{
	const KpiRules *r;
	KpiLedger	l;
	bool		plan;
	int			kind;
	int64		unit_id;
	int32		year;

	if (PG_ARGISNULL(16) || PG_ARGISNULL(17))
		PG_RETURN_NULL();
	r = kpi_rules_arg(fcinfo, 17);
	unit_id = PG_ARGISNULL(0) ? 0 : PG_GETARG_INT64(0);
	year = PG_ARGISNULL(1) ? 0 : PG_GETARG_INT32(1);
	kind = AgencyKind(fcinfo, 2, r);
	kpi_ledger_init(&l, kpi_ledger_desc(fcinfo));
	MarkRows(&l, KPI_ARRAY_ARG(3), r->agency_marks_max, r->agency_nmarks, "AG2", "agency_input", true,
			 unit_id, year);
	plan = !PG_ARGISNULL(5) && NumericPositive(PG_GETARG_DATUM(5));
	if (plan)
		kpi_ledger_append(&l, KPI_ARRAY_ARG(6));
	if (plan && r->cap && !PG_ARGISNULL(4))
	{
		KpiTally	buf;

		CapRows(&l, PG_GETARG_KPI_TALLY(4, &buf), r, PG_GETARG_DATUM(5), 3, true);
	}
	if (kind >= 0)
	{
		ProcedureRows(&l, fcinfo, 7, r, kind, unit_id, year);
		IndexRows(&l, fcinfo, 10, r, kind, year);
	}
	PG_RETURN_ARRAYTYPE_P(kpi_ledger_close(&l, PG_GETARG_DATUM(16), false));
}

/* a detail's text value from argument argno, null for NULL */
static void
DetailTextArg(JsonbParseState **st, const char *key, FunctionCallInfo fcinfo, int argno)
{
	if (PG_ARGISNULL(argno))
		kpi_detail_numeric(st, key, (Datum) 0, true);
	else
		kpi_detail_text(st, key, TextDatumGetCString(PG_GETARG_DATUM(argno)));
}

/* a detail's number from a bigint argument, null for NULL */
static void
DetailInt8Arg(JsonbParseState **st, const char *key, FunctionCallInfo fcinfo, int argno)
{
	kpi_detail_numeric(st, key,
					   PG_ARGISNULL(argno) ? (Datum) 0 : NumericGetDatum(int64_to_numeric(PG_GETARG_INT64(argno))),
					   PG_ARGISNULL(argno));
}

PG_FUNCTION_INFO_V1(quota_ledger);

/*
 * kpi.quota_ledger(tier, quota_tier, tie, approval_id, quota_group, unit_id,
 * task_group, candidates, good, kept, rate, decision): the year's CS15 row,
 * at no points, when the quota demoted the official (quota_tier <> tier) or
 * they tied at its cut; none otherwise.  Its detail holds the decision's
 * facts, as jsonb_build_object made them (a NaN or infinite rate as a
 * string), and its source is the approval applied, if any.
 */
Datum
quota_ledger(PG_FUNCTION_ARGS)
{
	KpiLedger	l;
	bool		demoted_null = PG_ARGISNULL(0) || PG_ARGISNULL(1);
	bool		demoted = !demoted_null && PG_GETARG_OID(0) != PG_GETARG_OID(1);
	bool		tie = !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);

	kpi_ledger_init(&l, kpi_ledger_desc(fcinfo));
	if (demoted || tie)
	{
		JsonbParseState *st = NULL;
		bool		approved = !PG_ARGISNULL(3);
		Numeric		rate = PG_ARGISNULL(10) ? NULL : PG_GETARG_NUMERIC(10);

		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		DetailTextArg(&st, "quota_group", fcinfo, 4);
		DetailInt8Arg(&st, "unit_id", fcinfo, 5);
		DetailTextArg(&st, "task_group", fcinfo, 6);
		DetailInt8Arg(&st, "candidates", fcinfo, 7);
		DetailInt8Arg(&st, "good", fcinfo, 8);
		DetailInt8Arg(&st, "kept", fcinfo, 9);
		if (rate != NULL && (numeric_is_nan(rate) || numeric_is_inf(rate)))
			kpi_detail_text(&st, "rate", DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(rate))));
		else
			kpi_detail_numeric(&st, "rate", NumericGetDatum(rate), rate == NULL);
		DetailTextArg(&st, "decision", fcinfo, 11);
		kpi_detail_bool(&st, "tie", tie, PG_ARGISNULL(2));
		kpi_detail_bool(&st, "demoted", demoted, demoted_null);
		kpi_ledger_add(&l, "CS15", approved ? "quota_approval" : NULL, approved,
					   approved ? PG_GETARG_INT64(3) : 0, NumericGetDatum(int64_div_fast_to_numeric(0, 6)),
					   false, kpi_detail_end(&st));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(l.rows, l.n, l.desc->tdtypeid, -1, false, TYPALIGN_DOUBLE));
}
