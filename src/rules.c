/*
 * rules.c
 *		Rule sets (rules.md section 6): the jsonb "rules" argument, parsed,
 *		validated and cached once per call site rather than once per row.
 *
 * Rules are values passed to functions, never table lookups, so every
 * function stays IMMUTABLE and can be shipped by postgres_fdw or Citus.  The
 * keys, their defaults and the printing of a rule set are in rule_keys.c.
 */
#include "postgres.h"

#include "rule_keys.h"
#include "annual_tier.h"

#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "utils/datetime.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "windowapi.h"

static void BadRule(const char *key, const char *expected) pg_attribute_noreturn();

static void
BadRule(const char *key, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for kpi rules key \"%s\"", key),
			 errdetail("The value must be %s.", expected)));
}

/* "a, b, c": the names, for a message. */
static char *
JoinNames(const char *const *names, int n)
{
	StringInfoData s;

	initStringInfo(&s);
	for (int i = 0; i < n; i++)
		appendStringInfo(&s, "%s%s", i ? ", " : "", names[i]);
	return s.data;
}

static const RuleKey *
FindKey(const char *name)
{
	for (int k = 0; k < kpi_nrule_keys; k++)
		if (strcmp(kpi_rule_keys[k].name, name) == 0)
			return &kpi_rule_keys[k];
	return NULL;
}

/* A number with at most KPI_DIGITS decimals in [lo, hi]. */
static int64
RuleNumber(const RuleKey *key, JsonbValue *v)
{
	int64		r;

	if (v->type != jbvNumeric ||
		kpi_numeric_to_fixed(NumericGetDatum(v->val.numeric), &r) != KPI_FIXED_OK ||
		r < key->lo || r > key->hi)
		BadRule(key->name, key->expected);
	return r;
}

/* The index of the JSON string v among the key's choices. */
static int
RuleChoice(const RuleKey *key, JsonbValue *v)
{
	for (int i = 0; i < key->nchoices; i++)
		if (v->type == jbvString && v->val.string.len == (int) strlen(key->choices[i]) &&
			strncmp(v->val.string.val, key->choices[i], v->val.string.len) == 0)
			return i;
	BadRule(key->name, key->expected);
}

/*
 * A calendar date written "YYYY-MM-DD", as DateADT.  Parsed by hand so that
 * a bad value gets this key's message rather than date_in's, and limited to
 * this century so that the value stays a plain count of days.
 */
static int32
RuleDate(const RuleKey *key, JsonbValue *v)
{
	char		buf[11];
	int			y, m, d, yy, mm, dd;

	if (v->type != jbvString || v->val.string.len != 10)
		BadRule(key->name, key->expected);
	memcpy(buf, v->val.string.val, 10);
	buf[10] = '\0';
	for (int i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? buf[i] != '-' : (buf[i] < '0' || buf[i] > '9'))
			BadRule(key->name, key->expected);
	y = atoi(buf);
	m = atoi(buf + 5);
	d = atoi(buf + 8);
	if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31)
		BadRule(key->name, key->expected);
	j2date(date2j(y, m, d), &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)	/* 2025-02-30 */
		BadRule(key->name, key->expected);
	return date2j(y, m, d) - POSTGRES_EPOCH_JDATE;
}

/* The maxima of a form; the iterator is at the array's start token. */
static void
RuleMarks(const RuleKey *key, JsonbIteratorToken tok, JsonbIterator **it,
		  JsonbValue *v, KpiRules *r)
{
	int64	   *marks = FIELD(r, key->offset, int64);
	int			n = 0;

	if (tok == WJB_VALUE && v->type == jbvNull)
	{
		*FIELD(r, key->aux, int) = 0;	/* no form: the marks are refused */
		return;
	}
	if (tok != WJB_BEGIN_ARRAY || v->val.array.rawScalar)
		BadRule(key->name, key->expected);
	while ((tok = JsonbIteratorNext(it, v, false)) == WJB_ELEM)
	{
		if (n >= KPI_MAX_MARKS)
			BadRule(key->name, key->expected);
		marks[n++] = RuleNumber(key, v);
	}
	if (tok != WJB_END_ARRAY || n == 0)
		BadRule(key->name, key->expected);
	*FIELD(r, key->aux, int) = n;
}

/*
 * An object of named points; components not named get 0.  The iterator is
 * at the object's start token.
 */
static void
RuleTemplate(const RuleKey *key, JsonbIteratorToken tok, JsonbIterator **it,
			 JsonbValue *v, KpiRules *r)
{
	int64	   *points = FIELD(r, key->offset, int64);

	if (key->aux >= 0)
	{
		*FIELD(r, key->aux, bool) = !(tok == WJB_VALUE && v->type == jbvNull);
		if (!*FIELD(r, key->aux, bool))
			return;				/* null: not configured */
	}
	if (tok != WJB_BEGIN_OBJECT)
		BadRule(key->name, key->expected);
	memset(points, 0, key->nchoices * sizeof(int64));
	while ((tok = JsonbIteratorNext(it, v, false)) == WJB_KEY)
	{
		char	   *name = pnstrdup(v->val.string.val, v->val.string.len);
		int			i;

		for (i = 0; i < key->nchoices; i++)
			if (strcmp(name, key->choices[i]) == 0)
				break;
		if (i == key->nchoices && key->choices == kpi_lm_roles)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown role group \"%s\" in kpi rules key \"%s\"", name, key->name),
					 errdetail("Known role groups are: %s.", JoinNames(key->choices, key->nchoices))));
		if (i == key->nchoices)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown component \"%s\" in kpi rules key \"%s\"", name, key->name),
					 errdetail("Known components are: %s.", JoinNames(key->choices, key->nchoices))));
		tok = JsonbIteratorNext(it, v, false);
		if (tok != WJB_VALUE)
			BadRule(key->name, key->expected);
		points[i] = RuleNumber(key, v);
	}
	if (tok != WJB_END_OBJECT)
		BadRule(key->name, key->expected);
}

/* One key's value into r; tok and v are the value's first token. */
static void
ParseKey(const RuleKey *key, JsonbIteratorToken tok, JsonbIterator **it,
		 JsonbValue *v, KpiRules *r)
{
	if (key->given >= 0)
		*FIELD(r, key->given, bool) = true;
	if (key->kind == RULE_MARKS)
	{
		RuleMarks(key, tok, it, v, r);
		return;
	}
	if (key->kind == RULE_TEMPLATE)
	{
		RuleTemplate(key, tok, it, v, r);
		return;
	}
	if (key->kind == RULE_TIER_TABLE)
	{
		kpi_tier_table_parse(key->name, tok, it, v, r);
		return;
	}
	if (tok != WJB_VALUE)
		BadRule(key->name, key->expected);
	switch (key->kind)
	{
		case RULE_FIXED:
			*FIELD(r, key->offset, int64) = RuleNumber(key, v);
			break;
		case RULE_WHOLE:
			{
				int64		x = RuleNumber(key, v);

				if (x % KPI_ONE != 0)
					BadRule(key->name, key->expected);
				*FIELD(r, key->offset, int) = (int) (x / KPI_ONE);
				break;
			}
		case RULE_BOOL:
			if (v->type != jbvBool)
				BadRule(key->name, key->expected);
			*FIELD(r, key->offset, bool) = v->val.boolean;
			break;
		case RULE_CHOICE:
			if (key->as_bool)
				*FIELD(r, key->offset, bool) = RuleChoice(key, v) == 1;
			else
				*FIELD(r, key->offset, int) = RuleChoice(key, v);
			break;
		case RULE_DATE:
			*FIELD(r, key->offset, int32) = RuleDate(key, v);
			break;
		default:
			elog(ERROR, "unexpected kpi rule kind %d", (int) key->kind);
	}
}

static bool
Given(const bool *given, const char *name)
{
	return given[FindKey(name) - kpi_rule_keys];
}

/* Sum of n fixed-point values. */
static int64
SumPoints(const int64 *p, int n)
{
	int64		sum = 0;

	for (int i = 0; i < n; i++)
		sum += p[i];
	return sum;
}

/*
 * A form (count *n of maxima) must add up to the points it splits; when the
 * points changed but not the form, the form no longer applies.
 */
static void
CheckSplit(const char *what, const int64 *max, int *n, int64 points,
		   const char *points_name, bool form_given)
{
	int64		sum = SumPoints(max, *n);

	if (*n == 0 || sum == points)
		return;
	if (form_given)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules %s must add up to %s", what, points_name),
				 errdetail("The %s add up to %s and %s is %s.",
						   strstr(what, "template") ? "components" : "marks",
						   kpi_fixed_cstring(sum), points_name, kpi_fixed_cstring(points))));
	*n = 0;
}

/* The checks that relate several keys. */
static void
CheckRules(KpiRules *r, const bool *given)
{
	int64		sum;

	if (r->general_points + r->task_points != 100 * KPI_ONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules general_points and task_points must add up to 100"),
				 errdetail("They add up to %s.",
						   kpi_fixed_cstring(r->general_points + r->task_points))));
	if (!(r->threshold_excellent > r->threshold_good &&
		  r->threshold_good > r->threshold_complete))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules thresholds must decrease from excellent to good to complete"),
				 errdetail("The thresholds given are %s, %s and %s.",
						   kpi_fixed_cstring(r->threshold_excellent),
						   kpi_fixed_cstring(r->threshold_good),
						   kpi_fixed_cstring(r->threshold_complete))));
	if (r->leader_full <= r->leader_reduced)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules leader_full must be greater than leader_reduced")));
	if (Given(given, "general_marks_max") || Given(given, "general_points") || Given(given, "task_points"))
		CheckSplit("general_marks_max", r->marks_max, &r->nmarks, r->general_points,
				   "general_points", Given(given, "general_marks_max"));
	CheckSplit("agency_marks_max", r->agency_marks_max, &r->agency_nmarks, r->general_points,
			   "general_points", Given(given, "agency_marks_max"));
	for (int k = 0; k < KPI_AGENCY_NKINDS; k++)
	{
		char		name[32];
		int			n;

		if (!r->agency_template_set[k])
			continue;
		snprintf(name, sizeof(name), "%s_template", kpi_agency_kinds[k]);
		n = KPI_AGENCY_NCOMP;
		CheckSplit(name, r->agency_template[k], &n, r->task_points, "task_points", Given(given, name));
		r->agency_template_set[k] = n > 0;
	}
	if (r->quota_pooled)
		ereport(NOTICE,
				(errmsg("kpi rules quota_reading \"pooled\" does not comply with Decree 335"),
				 errdetail("The pooled reading can keep more excellent ratings than 20%% of those finally rated good: with 5 eligible and 6 good it keeps 2, more than 20%% of the 9 then rated good."),
				 errhint("Use it only to compare with the default \"nested\" reading (CS15).")));
	sum = SumPoints(r->lm_template, KPI_LM_NCOMP);
	if (sum != 100 * KPI_ONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules lawmaking_template must add up to 100"),
				 errdetail("The components add up to %s.", kpi_fixed_cstring(sum))));
	for (int k = 0; k < KPI_LM_NROLES; k++)
	{
		/* LM5: a role group's own template adds up to 100 too */
		if (!r->lm_role_template_set[k])
			continue;
		sum = SumPoints(r->lm_role_template[k], KPI_LM_NCOMP);
		if (sum != 100 * KPI_ONE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("kpi rules lawmaking_%s_template must add up to 100", kpi_lm_roles[k]),
					 errdetail("The components add up to %s.", kpi_fixed_cstring(sum)),
					 errhint("Or give null: the role group is then scored with lawmaking_template.")));
	}
	if (SumPoints(r->lm_role_weight, KPI_LM_NROLES) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules lawmaking_role_weights must give at least one role a positive weight"),
				 errdetail("Every role group has weight 0, so no ministry could be rolled up."),
				 errhint("Roles not named in the object get 0; name every role that counts.")));
}

static void
ParseRules(Jsonb *jb, KpiRules *r)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		given[KPI_MAX_RULE_KEYS] = {0};

	*r = *kpi_rules_default();
	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules must be a JSON object"),
				 errdetail("Rules are given as an object such as {\"progress_reading\": \"strict\"}.")));

	it = JsonbIteratorInit(&jb->root);
	tok = JsonbIteratorNext(&it, &v, false);	/* WJB_BEGIN_OBJECT */
	while ((tok = JsonbIteratorNext(&it, &v, false)) == WJB_KEY)
	{
		char	   *name = pnstrdup(v.val.string.val, v.val.string.len);
		const RuleKey *key = FindKey(name);

		if (key == NULL)
		{
			const char *names[KPI_MAX_RULE_KEYS];

			for (int k = 0; k < kpi_nrule_keys; k++)
				names[k] = kpi_rule_keys[k].name;
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown kpi rules key \"%s\"", name),
					 errdetail("Known keys are: %s.", JoinNames(names, kpi_nrule_keys))));
		}
		given[key - kpi_rule_keys] = true;
		tok = JsonbIteratorNext(&it, &v, false);
		ParseKey(key, tok, &it, &v, r);
	}
	CheckRules(r, given);
}

/*
 * The rules at argument argno (or the defaults when the function was called
 * without it).  The parse is cached in fn_extra and reused while the value
 * stays the same, which it does for a constant argument.
 */
const KpiRules *
kpi_rules_arg(FunctionCallInfo fcinfo, int argno)
{
	if (PG_NARGS() <= argno)
		return kpi_rules_default();
	return kpi_rules_value(fcinfo, PG_GETARG_DATUM(argno));
}

/* The parse of a rules value, cached in this call site's fn_extra. */
const KpiRules *
kpi_rules_value(FunctionCallInfo fcinfo, Datum rules)
{
	KpiFnExtra *cache;
	Jsonb	   *jb = DatumGetJsonbP(rules);

	cache = kpi_fn_extra(fcinfo);
	if (cache->rules_source != NULL && VARSIZE(cache->rules_source) == VARSIZE(jb) &&
		memcmp(cache->rules_source, jb, VARSIZE(jb)) == 0)
		return &cache->rules;

	if (cache->rules_source != NULL)
	{
		pfree(cache->rules_source);
		cache->rules_source = NULL; /* until parsed successfully */
	}
	ParseRules(jb, &cache->rules);
	cache->rules_source = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE(jb));
	memcpy(cache->rules_source, jb, VARSIZE(jb));
	return &cache->rules;
}

/*
 * The rules argument argno of a window function: the same value on every
 * row of the partition (else an error naming the partition, "what"), parsed
 * once.  NULL when the first row's rules are NULL.
 */
const KpiRules *
kpi_window_rules(FunctionCallInfo fcinfo, WindowObject winobj, int argno, int64 nrows,
				 const char *what)
{
	bool		isnull;
	Datum		d;
	Jsonb	   *first;

	if (PG_NARGS() <= argno)
		return kpi_rules_default();
	d = WinGetFuncArgInPartition(winobj, argno, 0, WINDOW_SEEK_HEAD, false, &isnull, NULL);
	if (isnull)
		return NULL;
	first = DatumGetJsonbPCopy(d);
	for (int64 i = 1; i < nrows; i++)
	{
		Jsonb	   *b;

		d = WinGetFuncArgInPartition(winobj, argno, i, WINDOW_SEEK_HEAD, false, &isnull, NULL);
		b = isnull ? NULL : DatumGetJsonbP(d);
		if (b == NULL || VARSIZE(first) != VARSIZE(b) || memcmp(first, b, VARSIZE(first)) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("kpi rules differ within one %s", what),
					 errdetail("Every row of a window partition must give the same rules.")));
	}
	return kpi_rules_value(fcinfo, JsonbPGetDatum(first));
}

/* This call site's cache, created on first use. */
KpiFnExtra *
kpi_fn_extra(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
														  sizeof(KpiFnExtra));
	return (KpiFnExtra *) fcinfo->flinfo->fn_extra;
}

/* Error unless the rules agree with the deduction rates a tally was summed at. */
void
kpi_rules_check_tally(const KpiRules *rules, const KpiTally *t)
{
	const char *which = NULL;
	int64		asked = 0;
	int64		used = 0;

	if (rules->quality_deduction_given && rules->quality_deduction != t->quality_deduction)
	{
		which = "quality_deduction";
		asked = rules->quality_deduction;
		used = t->quality_deduction;
	}
	else if (rules->progress_deduction_given && rules->progress_deduction != t->progress_deduction)
	{
		which = "progress_deduction";
		asked = rules->progress_deduction;
		used = t->progress_deduction;
	}
	if (which)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules %s %s differs from the %s the tally was summed with",
						which, kpi_fixed_cstring(asked),
						kpi_fixed_cstring(used)),
				 errdetail("Deductions are applied to each task line as it is summed, because a line never earns negative credit."),
				 errhint("Pass the rules to kpi.tally_agg and aggregate the task lines again.")));
}

