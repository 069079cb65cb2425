/*
 * annual_tier.c
 *		The year's tier from its period tiers (rules.md CY3, Default option):
 *		the rule value annual_tier_table and kpi.annual_tier(tiers, rules).
 *
 * Customs rated 2026 from the four quarterly tiers (letter 21169/CHQ-TCCB):
 * at least 2 quarters excellent and none not complete gives excellent, 2 or
 * more not complete gives not complete, otherwise good or complete.  Such a
 * rule is data, a table of rows tried in order, so that another agency's
 * table is another rule value and not new code.  A row holds when, for each
 * tier t it names, at least at_least[t] periods are rated t or better and at
 * most at_most[t] periods t or worse.
 */
#include "postgres.h"

#include "annual_tier.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#define TABLE_TEXT "an array of at most 8 rows such as {\"tier\": \"tot\", \"when\": [{\"tiers\": [\"tot\", \"xuat_sac\"], \"at_least\": 2}]}, each with a tier and at most 4 conditions, the last row without conditions"

static void BadTable(const char *key, const char *why) pg_attribute_noreturn();

static void
BadTable(const char *key, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for kpi rules key \"%s\"", key),
			 errdetail("The value must be %s%s.", TABLE_TEXT, why)));
}

/* The tier index of a JSON string, or an error naming the tiers. */
static int
TierLabel(const char *key, JsonbValue *v)
{
	if (v->type != jbvString)
		BadTable(key, "");
	for (int i = 0; i < 4; i++)
		if ((int) strlen(kpi_tier_names[i]) == v->val.string.len &&
			strncmp(kpi_tier_names[i], v->val.string.val, v->val.string.len) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown tier \"%.*s\" in kpi rules key \"%s\"",
					v->val.string.len, v->val.string.val, key),
			 errdetail("The tiers are khong_hoan_thanh, hoan_thanh, tot and xuat_sac.")));
}

/* A whole number of periods, 0 to 1000. */
static int
PeriodCount(const char *key, JsonbValue *v)
{
	int64		n;

	if (v->type != jbvNumeric ||
		kpi_numeric_to_fixed(NumericGetDatum(v->val.numeric), &n) != KPI_FIXED_OK ||
		n < 0 || n > 1000 * KPI_ONE || n % KPI_ONE != 0)
		BadTable(key, " (a count is a whole number of periods from 0 to 1000)");
	return (int) (n / KPI_ONE);
}

/* A condition; the iterator has just returned its WJB_BEGIN_OBJECT. */
static void
ParseCond(const char *key, JsonbIterator **it, JsonbValue *v, KpiTierCond *c)
{
	JsonbIteratorToken tok;

	c->mask = 0;
	c->at_least = c->at_most = -1;
	while ((tok = JsonbIteratorNext(it, v, false)) == WJB_KEY)
	{
		char	   *name = pnstrdup(v->val.string.val, v->val.string.len);

		if (strcmp(name, "tiers") == 0)
		{
			if (JsonbIteratorNext(it, v, false) != WJB_BEGIN_ARRAY)
				BadTable(key, "");
			while ((tok = JsonbIteratorNext(it, v, false)) == WJB_ELEM)
				c->mask |= 1 << TierLabel(key, v);
			if (tok != WJB_END_ARRAY)
				BadTable(key, "");
			continue;
		}
		if (JsonbIteratorNext(it, v, false) != WJB_VALUE)
			BadTable(key, "");
		if (strcmp(name, "at_least") == 0)
			c->at_least = PeriodCount(key, v);
		else if (strcmp(name, "at_most") == 0)
			c->at_most = PeriodCount(key, v);
		else
			BadTable(key, psprintf(" (\"%s\" is not a key of a condition)", name));
	}
	if (tok != WJB_END_OBJECT || c->mask == 0 || (c->at_least < 0 && c->at_most < 0))
		BadTable(key, " (a condition names tiers and at_least or at_most)");
}

/* One row; the iterator has just returned the row's WJB_BEGIN_OBJECT. */
static void
ParseRow(const char *key, JsonbIterator **it, JsonbValue *v, KpiTierRow *row)
{
	JsonbIteratorToken tok;

	row->tier = -1;
	row->nconds = 0;
	while ((tok = JsonbIteratorNext(it, v, false)) == WJB_KEY)
	{
		char	   *name = pnstrdup(v->val.string.val, v->val.string.len);

		if (strcmp(name, "tier") == 0)
		{
			if (JsonbIteratorNext(it, v, false) != WJB_VALUE)
				BadTable(key, "");
			row->tier = TierLabel(key, v);
		}
		else if (strcmp(name, "when") == 0)
		{
			if (JsonbIteratorNext(it, v, false) != WJB_BEGIN_ARRAY)
				BadTable(key, "");
			while ((tok = JsonbIteratorNext(it, v, false)) == WJB_BEGIN_OBJECT)
			{
				if (row->nconds >= KPI_MAX_TIER_CONDS)
					BadTable(key, "");
				ParseCond(key, it, v, &row->conds[row->nconds++]);
			}
			if (tok != WJB_END_ARRAY)
				BadTable(key, "");
		}
		else
			BadTable(key, psprintf(" (\"%s\" is not a key of a row)", name));
	}
	if (tok != WJB_END_OBJECT || row->tier < 0)
		BadTable(key, " (every row names its tier)");
}

/* The rule value annual_tier_table; tok and v are its first token. */
void
kpi_tier_table_parse(const char *key, JsonbIteratorToken tok, JsonbIterator **it,
					 JsonbValue *v, KpiRules *r)
{
	int			n = 0;

	if (tok != WJB_BEGIN_ARRAY || v->val.array.rawScalar)
		BadTable(key, "");
	while ((tok = JsonbIteratorNext(it, v, false)) == WJB_BEGIN_OBJECT)
	{
		if (n >= KPI_MAX_TIER_ROWS)
			BadTable(key, "");
		ParseRow(key, it, v, &r->tier_table[n++]);
	}
	if (tok != WJB_END_ARRAY || n == 0)
		BadTable(key, "");
	if (r->tier_table[n - 1].nconds > 0)
		BadTable(key, " (the last row given has conditions, so some years would get no tier)");
	r->ntier_rows = n;
}

/* The table as JSON, for kpi.effective_rules. */
void
kpi_tier_table_append(StringInfo s, const KpiRules *r)
{
	appendStringInfoChar(s, '[');
	for (int i = 0; i < r->ntier_rows; i++)
	{
		const KpiTierRow *row = &r->tier_table[i];

		appendStringInfo(s, "%s{\"tier\": \"%s\"", i ? ", " : "", kpi_tier_names[row->tier]);
		if (row->nconds > 0)
			appendStringInfoString(s, ", \"when\": [");
		for (int c = 0; c < row->nconds; c++)
		{
			const KpiTierCond *cond = &row->conds[c];
			bool		first = true;

			appendStringInfo(s, "%s{\"tiers\": [", c ? ", " : "");
			for (int t = 0; t < 4; t++)
				if (cond->mask & (1 << t))
				{
					appendStringInfo(s, "%s\"%s\"", first ? "" : ", ", kpi_tier_names[t]);
					first = false;
				}
			appendStringInfoChar(s, ']');
			if (cond->at_least >= 0)
				appendStringInfo(s, ", \"at_least\": %d", cond->at_least);
			if (cond->at_most >= 0)
				appendStringInfo(s, ", \"at_most\": %d", cond->at_most);
			appendStringInfoChar(s, '}');
		}
		appendStringInfoString(s, row->nconds > 0 ? "]}" : "}");
	}
	appendStringInfoChar(s, ']');
}

/* Does the row hold for these counts of periods per tier? */
static bool
RowHolds(const KpiTierRow *row, const int64 *count)
{
	for (int c = 0; c < row->nconds; c++)
	{
		const KpiTierCond *cond = &row->conds[c];
		int64		n = 0;

		for (int t = 0; t < 4; t++)
			if (cond->mask & (1 << t))
				n += count[t];
		if ((cond->at_least >= 0 && n < cond->at_least) ||
			(cond->at_most >= 0 && n > cond->at_most))
			return false;
	}
	return true;
}

PG_FUNCTION_INFO_V1(annual_tier);

/*
 * kpi.annual_tier(period_tiers kpi.tier[], rules jsonb): the year's tier by
 * the rule set's annual_tier_table (CY3).  NULL elements are periods not
 * rated and do not count; NULL when no period was rated.
 */
Datum
annual_tier(PG_FUNCTION_ARGS)
{
	ArrayType  *tiers = PG_GETARG_ARRAYTYPE_P(0);
	const KpiRules *r = kpi_rules_arg(fcinfo, 1);
	Oid			tiertype = ARR_ELEMTYPE(tiers);
	int64		count[4] = {0};
	int64		rated = 0;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (ARR_NDIM(tiers) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("period_tiers must be a one-dimensional array"),
				 errdetail("The array has %d dimensions.", ARR_NDIM(tiers))));
	get_typlenbyvalalign(tiertype, &typlen, &typbyval, &typalign);
	deconstruct_array(tiers, tiertype, typlen, typbyval, typalign, &elems, &nulls, &n);
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			continue;
		count[kpi_tier_index(fcinfo, tiertype, DatumGetObjectId(elems[i]))]++;
		rated++;
	}
	if (rated == 0)
		PG_RETURN_NULL();
	for (int i = 0; i < r->ntier_rows; i++)
		if (RowHolds(&r->tier_table[i], count))
			PG_RETURN_OID(kpi_tier_oids(fcinfo, tiertype)[r->tier_table[i].tier]);
	elog(ERROR, "annual_tier_table has no row for these periods");	/* the last row always holds */
	PG_RETURN_NULL();
}
