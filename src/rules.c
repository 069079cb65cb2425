/*
 * rules.c
 *		Rule sets (rules.md section 6): the jsonb "rules" argument, parsed,
 *		validated and cached once per call site rather than once per row.
 *
 * Rules are values passed to functions, never table lookups, so every
 * function stays IMMUTABLE and can be shipped by postgres_fdw or Citus.
 */
#include "postgres.h"

#include "kpi_eval.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

/* Decree 335/2025/ND-CP with our documented defaults. */
static const KpiRules decree335 = {
	.quality_deduction = 2500,
	.progress_deduction = 2500,
	.quality_deduction_given = false,
	.progress_deduction_given = false,
	.strict_progress = false,
	.cap = true,
	.general_points = 30 * KPI_ONE,
	.task_points = 70 * KPI_ONE,
	.threshold_excellent = 90 * KPI_ONE,
	.threshold_good = 70 * KPI_ONE,
	.threshold_complete = 50 * KPI_ONE,
	.leader_full = 100 * KPI_ONE,
	.leader_reduced = 50 * KPI_ONE,
	.rounding_scale = 2,
	.quota_rate = 2000,
	.quota_pooled = false,
	.discipline_min = 0,		/* khien_trach, the reprimand */
	.screen_down_years = 1,
	.screen_out_years = 2,
	.screen_up_years = 1,
	/* CS3 form: group I 5 + 5, group II 4 x 2.5, group III 4 x 2.5 */
	.nmarks = 10,
	.marks_max = {50000, 50000, 25000, 25000, 25000, 25000, 25000, 25000, 25000, 25000},
	/* AG2: our split of the 30 points over the four criteria */
	.agency_nmarks = 4,
	.agency_marks_max = {75000, 75000, 75000, 75000},
	/* AG3: ministry 60 + 10; province 40 + 10 + 5 x 4 */
	.agency_template_set = {true, true},
	.agency_template = {
		{600000, 100000, 0, 0, 0, 0},
		{400000, 100000, 50000, 50000, 50000, 50000}
	},
	.online_weight = 5000,
	.head_cap = false,
	.index_method = KPI_INDEX_SCALE,
	/* LM4: progress 40, quality 30, obstacles 15, initiatives 5, impact 10 */
	.lm_template = {400000, 300000, 150000, 50000, 100000},
	.initiatives_target = KPI_ONE,
};

#define KNOWN_KEYS "quality_deduction, progress_deduction, progress_reading, cap, " \
	"general_points, task_points, general_marks_max, threshold_excellent, " \
	"threshold_good, threshold_complete, leader_full, leader_reduced, rounding_scale, " \
	"quota_rate, quota_reading, discipline_min, screen_down_years, screen_out_years, screen_up_years, " \
	"agency_marks_max, ministry_template, province_template, procedures_online_weight, " \
	"head_cap, index_method, lawmaking_template, initiatives_target"

/* Names used by the agency, index and law-making rules (kpi_eval.h). */
const char *const kpi_agency_components[KPI_AGENCY_NCOMP] = {
	"work_plan", "procedures", "par", "sipas", "pci", "dti"
};
const char *const kpi_agency_kinds[KPI_AGENCY_NKINDS] = {"ministry", "province"};
const char *const kpi_index_methods[KPI_INDEX_NMETHODS] = {"scale", "minmax", "rank"};
const char *const kpi_lm_components[KPI_LM_NCOMP] = {
	"progress", "quality", "obstacles", "initiatives", "impact"
};

/* Disciplinary forms for civil servants, lightest first. */
const char *const kpi_discipline_forms[KPI_NFORMS] = {
	"khien_trach", "canh_cao", "ha_bac_luong", "giang_chuc", "cach_chuc", "buoc_thoi_viec"
};

const KpiRules *
kpi_rules_default(void)
{
	return &decree335;
}

static void BadRule(const char *key, const char *expected) pg_attribute_noreturn();

static void
BadRule(const char *key, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for kpi rules key \"%s\"", key),
			 errdetail("The value must be %s.", expected)));
}

/* A number with at most KPI_DIGITS decimals in [lo, hi]. */
static int64
RuleNumber(const char *key, JsonbValue *v, int64 lo, int64 hi, const char *expected)
{
	int64		r;

	if (v->type != jbvNumeric ||
		kpi_numeric_to_fixed(NumericGetDatum(v->val.numeric), &r) != KPI_FIXED_OK ||
		r < lo || r > hi)
		BadRule(key, expected);
	return r;
}

/* A whole number of years, 1 to 100. */
static int
RuleYears(const char *key, JsonbValue *v)
{
	int64		y = RuleNumber(key, v, KPI_ONE, 100 * KPI_ONE, "a whole number of years from 1 to 100");

	if (y % KPI_ONE != 0)
		BadRule(key, "a whole number of years from 1 to 100");
	return (int) (y / KPI_ONE);
}

/* Is v the JSON string s? */
static bool
IsString(JsonbValue *v, const char *s)
{
	return v->type == jbvString && v->val.string.len == (int) strlen(s) &&
		strncmp(v->val.string.val, s, v->val.string.len) == 0;
}

static bool
RuleBool(const char *key, JsonbValue *v)
{
	if (v->type != jbvBool)
		BadRule(key, "true or false");
	return v->val.boolean;
}

/* Which agency keys (AG2, AG3) a rules value gave explicitly. */
typedef struct OrgGiven
{
	bool		agency_marks;
	bool		template[KPI_AGENCY_NKINDS];
} OrgGiven;

static bool
IsNull(JsonbIteratorToken tok, JsonbValue *v)
{
	return tok == WJB_VALUE && v->type == jbvNull;
}

/*
 * An object of named points, each 0..100 with at most KPI_DIGITS decimals;
 * components not named get 0.  The iterator is at the object's start token.
 */
static void
RuleTemplate(const char *key, JsonbIteratorToken tok, JsonbIterator **it,
			 JsonbValue *v, const char *const *names, int n, int64 *points,
			 const char *known)
{
	const char *expected = "an object of component points, each from 0 to 100 with at most 4 decimal places";

	if (tok != WJB_BEGIN_OBJECT)
		BadRule(key, expected);
	memset(points, 0, n * sizeof(int64));
	while ((tok = JsonbIteratorNext(it, v, false)) == WJB_KEY)
	{
		char	   *name = pnstrdup(v->val.string.val, v->val.string.len);
		int			i;

		for (i = 0; i < n; i++)
			if (strcmp(name, names[i]) == 0)
				break;
		if (i == n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown component \"%s\" in kpi rules key \"%s\"", name, key),
					 errdetail("Known components are: %s.", known)));
		tok = JsonbIteratorNext(it, v, false);
		if (tok != WJB_VALUE)
			BadRule(key, expected);
		points[i] = RuleNumber(key, v, 0, 100 * KPI_ONE, expected);
	}
	if (tok != WJB_END_OBJECT)
		BadRule(key, expected);
}

/*
 * The keys of agencies (AG2-AG5), indices (IX5) and law-making (LM4).
 * Returns false for any other key.  agency_marks_max and the agency
 * templates may be null: not configured.
 */
static bool
ParseOrgRule(const char *key, JsonbIteratorToken tok, JsonbIterator **it,
			 JsonbValue *v, KpiRules *r, OrgGiven *given)
{
	if (strcmp(key, "agency_marks_max") == 0)
	{
		const char *expected = "null or a non-empty array of at most 32 positive numbers of at most 100 with at most 4 decimal places";
		int			n = 0;

		given->agency_marks = true;
		if (IsNull(tok, v))
		{
			r->agency_nmarks = 0;
			return true;
		}
		if (tok != WJB_BEGIN_ARRAY || v->val.array.rawScalar)
			BadRule(key, expected);
		while ((tok = JsonbIteratorNext(it, v, false)) == WJB_ELEM)
		{
			if (n >= KPI_MAX_MARKS)
				BadRule(key, expected);
			r->agency_marks_max[n++] = RuleNumber(key, v, 1, 100 * KPI_ONE, expected);
		}
		if (tok != WJB_END_ARRAY || n == 0)
			BadRule(key, expected);
		r->agency_nmarks = n;
		return true;
	}
	for (int k = 0; k < KPI_AGENCY_NKINDS; k++)
	{
		char		name[32];

		snprintf(name, sizeof(name), "%s_template", kpi_agency_kinds[k]);
		if (strcmp(key, name) != 0)
			continue;
		given->template[k] = true;
		r->agency_template_set[k] = !IsNull(tok, v);
		if (r->agency_template_set[k])
			RuleTemplate(key, tok, it, v, kpi_agency_components, KPI_AGENCY_NCOMP,
						 r->agency_template[k], "work_plan, procedures, par, sipas, pci, dti");
		return true;
	}
	if (strcmp(key, "lawmaking_template") == 0)
	{
		RuleTemplate(key, tok, it, v, kpi_lm_components, KPI_LM_NCOMP, r->lm_template,
					 "progress, quality, obstacles, initiatives, impact");
		return true;
	}
	if (strcmp(key, "procedures_online_weight") != 0 && strcmp(key, "head_cap") != 0 &&
		strcmp(key, "index_method") != 0 && strcmp(key, "initiatives_target") != 0)
		return false;

	/* the scalar keys */
	if (tok != WJB_VALUE)
		BadRule(key, "a scalar");
	if (strcmp(key, "procedures_online_weight") == 0)
		r->online_weight = RuleNumber(key, v, 0, KPI_ONE, "a number from 0 to 1 with at most 4 decimal places");
	else if (strcmp(key, "head_cap") == 0)
		r->head_cap = RuleBool(key, v);
	else if (strcmp(key, "index_method") == 0)
	{
		int			i;

		for (i = 0; i < KPI_INDEX_NMETHODS; i++)
			if (IsString(v, kpi_index_methods[i]))
				break;
		if (i == KPI_INDEX_NMETHODS)
			BadRule(key, "\"scale\", \"minmax\" or \"rank\"");
		r->index_method = i;
	}
	else
		r->initiatives_target = RuleNumber(key, v, 1, 1000000 * KPI_ONE,
										   "a positive number of at most 1000000 with at most 4 decimal places");
	return true;
}

/* Cross-key checks of the agency and law-making keys. */
static void
CheckOrgRules(KpiRules *r, const OrgGiven *given)
{
	int64		sum = 0;

	for (int i = 0; i < r->agency_nmarks; i++)
		sum += r->agency_marks_max[i];
	if (r->agency_nmarks > 0 && sum != r->general_points)
	{
		if (given->agency_marks)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("kpi rules agency_marks_max must add up to general_points"),
					 errdetail("The marks add up to %s and general_points is %s.",
							   kpi_fixed_cstring(sum), kpi_fixed_cstring(r->general_points))));
		/* general_points changed without a new agency form */
		r->agency_nmarks = 0;
	}
	for (int k = 0; k < KPI_AGENCY_NKINDS; k++)
	{
		if (!r->agency_template_set[k])
			continue;
		sum = 0;
		for (int c = 0; c < KPI_AGENCY_NCOMP; c++)
			sum += r->agency_template[k][c];
		if (sum == r->task_points)
			continue;
		if (given->template[k])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("kpi rules %s_template must add up to task_points", kpi_agency_kinds[k]),
					 errdetail("The components add up to %s and task_points is %s.",
							   kpi_fixed_cstring(sum), kpi_fixed_cstring(r->task_points))));
		/* task_points changed without a new template */
		r->agency_template_set[k] = false;
	}
	sum = 0;
	for (int c = 0; c < KPI_LM_NCOMP; c++)
		sum += r->lm_template[c];
	if (sum != 100 * KPI_ONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules lawmaking_template must add up to 100"),
				 errdetail("The components add up to %s.", kpi_fixed_cstring(sum))));
}

static void
ParseRules(Jsonb *jb, KpiRules *r)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		marks_given = false;
	bool		points_given = false;
	OrgGiven	org = {0};

	*r = decree335;
	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi rules must be a JSON object"),
				 errdetail("Rules are given as an object such as {\"progress_reading\": \"strict\"}.")));

	it = JsonbIteratorInit(&jb->root);
	tok = JsonbIteratorNext(&it, &v, false);	/* WJB_BEGIN_OBJECT */
	while ((tok = JsonbIteratorNext(&it, &v, false)) == WJB_KEY)
	{
		char	   *key = pnstrdup(v.val.string.val, v.val.string.len);

		tok = JsonbIteratorNext(&it, &v, false);
		if (ParseOrgRule(key, tok, &it, &v, r, &org))
			continue;
		if (strcmp(key, "general_marks_max") == 0)
		{
			int			n = 0;
			int64		sum = 0;

			marks_given = true;
			if (IsNull(tok, &v))
			{
				r->nmarks = 0;	/* no form: kpi.general_points refuses */
				continue;
			}
			if (tok != WJB_BEGIN_ARRAY || v.val.array.rawScalar)
				BadRule(key, "null or an array of positive numbers");
			while ((tok = JsonbIteratorNext(&it, &v, false)) == WJB_ELEM)
			{
				if (n >= KPI_MAX_MARKS)
					BadRule(key, "null or an array of at most 32 positive numbers");
				r->marks_max[n] = RuleNumber(key, &v, 1, 100 * KPI_ONE,
											 "an array of positive numbers of at most 100 with at most 4 decimal places");
				sum += r->marks_max[n++];
			}
			if (tok != WJB_END_ARRAY || n == 0)
				BadRule(key, "null or a non-empty array of positive numbers");
			r->nmarks = n;
			continue;
		}
		if (tok != WJB_VALUE)
			BadRule(key, strcmp(key, "progress_reading") == 0 ?
					"\"partial\" or \"strict\"" : "a scalar");

		if (strcmp(key, "quality_deduction") == 0)
		{
			r->quality_deduction = RuleNumber(key, &v, 0, KPI_ONE, "a number from 0 to 1 with at most 4 decimal places");
			r->quality_deduction_given = true;
		}
		else if (strcmp(key, "progress_deduction") == 0)
		{
			r->progress_deduction = RuleNumber(key, &v, 0, KPI_ONE, "a number from 0 to 1 with at most 4 decimal places");
			r->progress_deduction_given = true;
		}
		else if (strcmp(key, "progress_reading") == 0)
		{
			if (IsString(&v, "partial"))
				r->strict_progress = false;
			else if (IsString(&v, "strict"))
				r->strict_progress = true;
			else
				BadRule(key, "\"partial\" or \"strict\"");
		}
		else if (strcmp(key, "cap") == 0)
			r->cap = RuleBool(key, &v);
		else if (strcmp(key, "general_points") == 0)
		{
			r->general_points = RuleNumber(key, &v, 0, 100 * KPI_ONE, "a number from 0 to 100 with at most 4 decimal places");
			points_given = true;
		}
		else if (strcmp(key, "task_points") == 0)
		{
			r->task_points = RuleNumber(key, &v, 0, 100 * KPI_ONE, "a number from 0 to 100 with at most 4 decimal places");
			points_given = true;
		}
		else if (strcmp(key, "threshold_excellent") == 0)
			r->threshold_excellent = RuleNumber(key, &v, 0, 100 * KPI_ONE, "a number from 0 to 100 with at most 4 decimal places");
		else if (strcmp(key, "threshold_good") == 0)
			r->threshold_good = RuleNumber(key, &v, 0, 100 * KPI_ONE, "a number from 0 to 100 with at most 4 decimal places");
		else if (strcmp(key, "threshold_complete") == 0)
			r->threshold_complete = RuleNumber(key, &v, 0, 100 * KPI_ONE, "a number from 0 to 100 with at most 4 decimal places");
		else if (strcmp(key, "leader_full") == 0)
			r->leader_full = RuleNumber(key, &v, 0, 100 * KPI_ONE, "a number from 0 to 100 with at most 4 decimal places");
		else if (strcmp(key, "leader_reduced") == 0)
			r->leader_reduced = RuleNumber(key, &v, 0, 100 * KPI_ONE, "a number from 0 to 100 with at most 4 decimal places");
		else if (strcmp(key, "rounding_scale") == 0)
		{
			int64		scale = RuleNumber(key, &v, 0, KPI_DIGITS * KPI_ONE, "an integer from 0 to 4");

			if (scale % KPI_ONE != 0)
				BadRule(key, "an integer from 0 to 4");
			r->rounding_scale = (int) (scale / KPI_ONE);
		}
		else if (strcmp(key, "quota_rate") == 0)
			r->quota_rate = RuleNumber(key, &v, 0, KPI_ONE, "a number from 0 to 1 with at most 4 decimal places");
		else if (strcmp(key, "quota_reading") == 0)
		{
			if (IsString(&v, "nested"))
				r->quota_pooled = false;
			else if (IsString(&v, "pooled"))
				r->quota_pooled = true;
			else
				BadRule(key, "\"nested\" or \"pooled\"");
		}
		else if (strcmp(key, "discipline_min") == 0)
		{
			int			i;

			for (i = 0; i < KPI_NFORMS; i++)
				if (IsString(&v, kpi_discipline_forms[i]))
					break;
			if (i == KPI_NFORMS)
				BadRule(key, "a kpi.discipline_form label such as \"khien_trach\"");
			r->discipline_min = i;
		}
		else if (strcmp(key, "screen_down_years") == 0)
			r->screen_down_years = RuleYears(key, &v);
		else if (strcmp(key, "screen_out_years") == 0)
			r->screen_out_years = RuleYears(key, &v);
		else if (strcmp(key, "screen_up_years") == 0)
			r->screen_up_years = RuleYears(key, &v);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown kpi rules key \"%s\"", key),
					 errdetail("Known keys are: " KNOWN_KEYS ".")));
	}

	/* cross-key checks */
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
	if (marks_given || points_given)
	{
		int64		sum = 0;

		for (int i = 0; i < r->nmarks; i++)
			sum += r->marks_max[i];
		if (r->nmarks > 0 && sum != r->general_points)
		{
			if (marks_given)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("kpi rules general_marks_max must add up to general_points"),
						 errdetail("The marks add up to %s and general_points is %s.",
								   kpi_fixed_cstring(sum),
								   kpi_fixed_cstring(r->general_points))));
			/* new split without a form: the CS3 form no longer applies */
			r->nmarks = 0;
		}
	}
	CheckOrgRules(r, &org);
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
		return &decree335;
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

/* Points by component name, as a JSON object. */
static void
AppendTemplate(StringInfo s, const char *const *names, int n, const int64 *points)
{
	appendStringInfoChar(s, '{');
	for (int i = 0; i < n; i++)
		appendStringInfo(s, "%s\"%s\": %s", i ? ", " : "", names[i],
						 kpi_fixed_cstring(points[i]));
	appendStringInfoChar(s, '}');
}

/* A form's mark maxima as a JSON array, or null when there is no form. */
static void
AppendMarks(StringInfo s, const int64 *marks, int n)
{
	if (n == 0)
	{
		appendStringInfoString(s, "null");
		return;
	}
	appendStringInfoChar(s, '[');
	for (int i = 0; i < n; i++)
		appendStringInfo(s, "%s%s", i ? ", " : "", kpi_fixed_cstring(marks[i]));
	appendStringInfoChar(s, ']');
}

/* The agency, index and law-making keys; null when not configured. */
static void
AppendOrgRules(StringInfo s, const KpiRules *r)
{
	appendStringInfoString(s, ", \"agency_marks_max\": ");
	AppendMarks(s, r->agency_marks_max, r->agency_nmarks);
	for (int k = 0; k < KPI_AGENCY_NKINDS; k++)
	{
		appendStringInfo(s, ", \"%s_template\": ", kpi_agency_kinds[k]);
		if (r->agency_template_set[k])
			AppendTemplate(s, kpi_agency_components, KPI_AGENCY_NCOMP, r->agency_template[k]);
		else
			appendStringInfoString(s, "null");
	}
	appendStringInfo(s, ", \"procedures_online_weight\": %s, \"head_cap\": %s, "
					 "\"index_method\": \"%s\", \"lawmaking_template\": ",
					 kpi_fixed_cstring(r->online_weight), r->head_cap ? "true" : "false",
					 kpi_index_methods[r->index_method]);
	AppendTemplate(s, kpi_lm_components, KPI_LM_NCOMP, r->lm_template);
	appendStringInfo(s, ", \"initiatives_target\": %s", kpi_fixed_cstring(r->initiatives_target));
}

/* The complete rule set as jsonb, every default spelled out. */
Jsonb *
kpi_rules_to_jsonb(const KpiRules *r)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfo(&s, "{\"quality_deduction\": %s, \"progress_deduction\": %s, "
					 "\"progress_reading\": \"%s\", \"cap\": %s, "
					 "\"general_points\": %s, \"task_points\": %s, \"general_marks_max\": ",
					 kpi_fixed_cstring(r->quality_deduction),
					 kpi_fixed_cstring(r->progress_deduction),
					 r->strict_progress ? "strict" : "partial",
					 r->cap ? "true" : "false",
					 kpi_fixed_cstring(r->general_points),
					 kpi_fixed_cstring(r->task_points));
	AppendMarks(&s, r->marks_max, r->nmarks);
	appendStringInfo(&s, ", \"threshold_excellent\": %s, \"threshold_good\": %s, "
					 "\"threshold_complete\": %s, \"leader_full\": %s, \"leader_reduced\": %s, "
					 "\"rounding_scale\": %d, \"quota_rate\": %s, \"quota_reading\": \"%s\", "
					 "\"discipline_min\": \"%s\", \"screen_down_years\": %d, "
					 "\"screen_out_years\": %d, \"screen_up_years\": %d",
					 kpi_fixed_cstring(r->threshold_excellent),
					 kpi_fixed_cstring(r->threshold_good),
					 kpi_fixed_cstring(r->threshold_complete),
					 kpi_fixed_cstring(r->leader_full),
					 kpi_fixed_cstring(r->leader_reduced),
					 r->rounding_scale,
					 kpi_fixed_cstring(r->quota_rate),
					 r->quota_pooled ? "pooled" : "nested",
					 kpi_discipline_forms[r->discipline_min],
					 r->screen_down_years, r->screen_out_years, r->screen_up_years);
	AppendOrgRules(&s, r);
	appendStringInfoChar(&s, '}');
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}

PG_FUNCTION_INFO_V1(effective_rules);

/* kpi.effective_rules(rules jsonb): the validated rule set with defaults */
Datum
effective_rules(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(kpi_rules_to_jsonb(kpi_rules_arg(fcinfo, 0)));
}
