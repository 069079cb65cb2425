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
#include "annual_tier.h"

#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "utils/datetime.h"
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
	/*
	 * CY3, our reading of Customs letter 21169/CHQ-TCCB for quarters: 2 or
	 * more excellent and none not complete; 2 or more not complete; 2 or
	 * more good or excellent; otherwise complete.
	 */
	.ntier_rows = 4,
	.tier_table = {
		{3, 2, {{0x8, 2, -1}, {0x1, -1, 0}}},
		{0, 1, {{0x1, 2, -1}}},
		{2, 1, {{0xC, 2, -1}}},
		{1, 0, {{0}}}
	},
	.deputy_cap = false,
	/*
	 * Decree 172/2025/ND-CP (30 June 2025) in force from 1 July 2025: no
	 * salary-grade demotion or demotion decided on or after that day.
	 */
	.discipline_reform = 9313,	/* 2025-07-01 - 2000-01-01 in days */
	.forms_quarter = false,
	.annual_tiers = false,
};

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

/*
 * The rule keys, one row each, as PostgreSQL's reloptions.c describes its
 * options: the name, the kind of value, where it is kept in KpiRules, its
 * range and the wording of its error.  Parsing, the unknown-key message and
 * kpi.effective_rules all loop over this table; only the checks that relate
 * several keys are written out (CheckRules).
 */
typedef enum RuleKind
{
	RULE_FIXED,					/* int64 fixed point in [lo, hi] */
	RULE_WHOLE,					/* int, a whole number in [lo, hi] (fixed units) */
	RULE_BOOL,					/* bool */
	RULE_CHOICE,				/* one of choices: its index, as int or bool */
	RULE_MARKS,					/* null or an array of maxima: count + int64[] */
	RULE_TEMPLATE,				/* an object of named points: int64[nchoices] */
	RULE_TIER_TABLE,			/* the year from its period tiers (annual_tier.c) */
	RULE_DATE					/* "YYYY-MM-DD": int32 DateADT */
} RuleKind;

typedef struct RuleKey
{
	const char *name;
	RuleKind	kind;
	size_t		offset;			/* the value in KpiRules */
	int64		lo;
	int64		hi;
	const char *expected;		/* "The value must be %s." */
	const char *const *choices; /* RULE_CHOICE labels, RULE_TEMPLATE components */
	int			nchoices;
	bool		as_bool;		/* RULE_CHOICE kept as a bool (index 0 or 1) */
	ssize_t		aux;			/* RULE_MARKS: count (int); RULE_TEMPLATE: null
								 * allowed, kept as a bool "set"; -1: none */
	ssize_t		given;			/* bool in KpiRules set when the key is given, or -1 */
} RuleKey;

#define R(field)	offsetof(KpiRules, field)
#define ONE			KPI_ONE
#define PCT_TEXT	"a number from 0 to 100 with at most 4 decimal places"
#define RATE_TEXT	"a number from 0 to 1 with at most 4 decimal places"
#define YEARS_TEXT	"a whole number of years from 1 to 100"
#define MARKS_TEXT	"null or a non-empty array of at most 32 positive numbers of at most 100 with at most 4 decimal places"
#define TEMPLATE_TEXT "an object of component points, each from 0 to 100 with at most 4 decimal places"

static const char *const progress_readings[] = {"partial", "strict"};
static const char *const quota_readings[] = {"nested", "pooled"};
static const char *const forms_periods[] = {"period", "quarter"};
static const char *const annual_methods[] = {"mean", "tiers"};

static const RuleKey rule_keys[] = {
	{"quality_deduction", RULE_FIXED, R(quality_deduction), 0, ONE, RATE_TEXT, NULL, 0, false, -1, R(quality_deduction_given)},
	{"progress_deduction", RULE_FIXED, R(progress_deduction), 0, ONE, RATE_TEXT, NULL, 0, false, -1, R(progress_deduction_given)},
	{"progress_reading", RULE_CHOICE, R(strict_progress), 0, 0, "\"partial\" or \"strict\"", progress_readings, 2, true, -1, -1},
	{"cap", RULE_BOOL, R(cap), 0, 0, "true or false", NULL, 0, false, -1, -1},
	{"general_points", RULE_FIXED, R(general_points), 0, 100 * ONE, PCT_TEXT, NULL, 0, false, -1, -1},
	{"task_points", RULE_FIXED, R(task_points), 0, 100 * ONE, PCT_TEXT, NULL, 0, false, -1, -1},
	{"general_marks_max", RULE_MARKS, R(marks_max), 1, 100 * ONE, MARKS_TEXT, NULL, 0, false, R(nmarks), -1},
	{"threshold_excellent", RULE_FIXED, R(threshold_excellent), 0, 100 * ONE, PCT_TEXT, NULL, 0, false, -1, -1},
	{"threshold_good", RULE_FIXED, R(threshold_good), 0, 100 * ONE, PCT_TEXT, NULL, 0, false, -1, -1},
	{"threshold_complete", RULE_FIXED, R(threshold_complete), 0, 100 * ONE, PCT_TEXT, NULL, 0, false, -1, -1},
	{"leader_full", RULE_FIXED, R(leader_full), 0, 100 * ONE, PCT_TEXT, NULL, 0, false, -1, -1},
	{"leader_reduced", RULE_FIXED, R(leader_reduced), 0, 100 * ONE, PCT_TEXT, NULL, 0, false, -1, -1},
	{"rounding_scale", RULE_WHOLE, R(rounding_scale), 0, KPI_DIGITS * ONE, "an integer from 0 to 4", NULL, 0, false, -1, -1},
	{"quota_rate", RULE_FIXED, R(quota_rate), 0, ONE, RATE_TEXT, NULL, 0, false, -1, -1},
	{"quota_reading", RULE_CHOICE, R(quota_pooled), 0, 0, "\"nested\" or \"pooled\"", quota_readings, 2, true, -1, -1},
	{"discipline_min", RULE_CHOICE, R(discipline_min), 0, 0, "a kpi.discipline_form label such as \"khien_trach\"", kpi_discipline_forms, KPI_NFORMS, false, -1, -1},
	{"screen_down_years", RULE_WHOLE, R(screen_down_years), ONE, 100 * ONE, YEARS_TEXT, NULL, 0, false, -1, -1},
	{"screen_out_years", RULE_WHOLE, R(screen_out_years), ONE, 100 * ONE, YEARS_TEXT, NULL, 0, false, -1, -1},
	{"screen_up_years", RULE_WHOLE, R(screen_up_years), ONE, 100 * ONE, YEARS_TEXT, NULL, 0, false, -1, -1},
	{"agency_marks_max", RULE_MARKS, R(agency_marks_max), 1, 100 * ONE, MARKS_TEXT, NULL, 0, false, R(agency_nmarks), -1},
	{"ministry_template", RULE_TEMPLATE, R(agency_template[0]), 0, 100 * ONE, TEMPLATE_TEXT, kpi_agency_components, KPI_AGENCY_NCOMP, false, R(agency_template_set[0]), -1},
	{"province_template", RULE_TEMPLATE, R(agency_template[1]), 0, 100 * ONE, TEMPLATE_TEXT, kpi_agency_components, KPI_AGENCY_NCOMP, false, R(agency_template_set[1]), -1},
	{"procedures_online_weight", RULE_FIXED, R(online_weight), 0, ONE, RATE_TEXT, NULL, 0, false, -1, -1},
	{"head_cap", RULE_BOOL, R(head_cap), 0, 0, "true or false", NULL, 0, false, -1, -1},
	{"index_method", RULE_CHOICE, R(index_method), 0, 0, "\"scale\", \"minmax\" or \"rank\"", kpi_index_methods, KPI_INDEX_NMETHODS, false, -1, -1},
	{"lawmaking_template", RULE_TEMPLATE, R(lm_template), 0, 100 * ONE, TEMPLATE_TEXT, kpi_lm_components, KPI_LM_NCOMP, false, -1, -1},
	{"initiatives_target", RULE_FIXED, R(initiatives_target), 1, 1000000 * ONE, "a positive number of at most 1000000 with at most 4 decimal places", NULL, 0, false, -1, -1},
	{"annual_tier_table", RULE_TIER_TABLE, R(tier_table), 0, 0, NULL, NULL, 0, false, -1, -1},
	{"deputy_cap", RULE_BOOL, R(deputy_cap), 0, 0, "true or false", NULL, 0, false, -1, -1},
	{"discipline_reform_date", RULE_DATE, R(discipline_reform), 0, 0, "a date \"YYYY-MM-DD\" from 2000-01-01 to 2099-12-31", NULL, 0, false, -1, -1},
	{"forms_period", RULE_CHOICE, R(forms_quarter), 0, 0, "\"period\" or \"quarter\"", forms_periods, 2, true, -1, -1},
	{"annual_method", RULE_CHOICE, R(annual_tiers), 0, 0, "\"mean\" or \"tiers\"", annual_methods, 2, true, -1, -1},
};

#define NRULE_KEYS	lengthof(rule_keys)

#define FIELD(r, off, type)	((type *) ((char *) (r) + (off)))

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
	for (size_t k = 0; k < NRULE_KEYS; k++)
		if (strcmp(rule_keys[k].name, name) == 0)
			return &rule_keys[k];
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
	return given[FindKey(name) - rule_keys];
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
}

static void
ParseRules(Jsonb *jb, KpiRules *r)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		given[NRULE_KEYS] = {0};

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
		char	   *name = pnstrdup(v.val.string.val, v.val.string.len);
		const RuleKey *key = FindKey(name);

		if (key == NULL)
		{
			const char *names[NRULE_KEYS];

			for (size_t k = 0; k < NRULE_KEYS; k++)
				names[k] = rule_keys[k].name;
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown kpi rules key \"%s\"", name),
					 errdetail("Known keys are: %s.", JoinNames(names, NRULE_KEYS))));
		}
		given[key - rule_keys] = true;
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

/* One key's value as JSON. */
static void
AppendKey(StringInfo s, const RuleKey *key, const KpiRules *r)
{
	switch (key->kind)
	{
		case RULE_FIXED:
			appendStringInfoString(s, kpi_fixed_cstring(*FIELD(r, key->offset, int64)));
			break;
		case RULE_WHOLE:
			appendStringInfo(s, "%d", *FIELD(r, key->offset, int));
			break;
		case RULE_BOOL:
			appendStringInfoString(s, *FIELD(r, key->offset, bool) ? "true" : "false");
			break;
		case RULE_CHOICE:
			appendStringInfo(s, "\"%s\"", key->choices[key->as_bool ?
													   (int) *FIELD(r, key->offset, bool) :
													   *FIELD(r, key->offset, int)]);
			break;
		case RULE_MARKS:
			{
				int			n = *FIELD(r, key->aux, int);

				if (n == 0)
				{
					appendStringInfoString(s, "null");
					break;
				}
				appendStringInfoChar(s, '[');
				for (int i = 0; i < n; i++)
					appendStringInfo(s, "%s%s", i ? ", " : "",
									 kpi_fixed_cstring(FIELD(r, key->offset, int64)[i]));
				appendStringInfoChar(s, ']');
				break;
			}
		case RULE_TEMPLATE:
			if (key->aux >= 0 && !*FIELD(r, key->aux, bool))
			{
				appendStringInfoString(s, "null");
				break;
			}
			appendStringInfoChar(s, '{');
			for (int i = 0; i < key->nchoices; i++)
				appendStringInfo(s, "%s\"%s\": %s", i ? ", " : "", key->choices[i],
								 kpi_fixed_cstring(FIELD(r, key->offset, int64)[i]));
			appendStringInfoChar(s, '}');
			break;
		case RULE_TIER_TABLE:
			kpi_tier_table_append(s, r);
			break;
		case RULE_DATE:
			{
				int			y, m, d;

				j2date(*FIELD(r, key->offset, int32) + POSTGRES_EPOCH_JDATE, &y, &m, &d);
				appendStringInfo(s, "\"%04d-%02d-%02d\"", y, m, d);
				break;
			}
	}
}

/* The complete rule set as jsonb, every default spelled out. */
Jsonb *
kpi_rules_to_jsonb(const KpiRules *r)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoChar(&s, '{');
	for (size_t k = 0; k < NRULE_KEYS; k++)
	{
		appendStringInfo(&s, "%s\"%s\": ", k ? ", " : "", rule_keys[k].name);
		AppendKey(&s, &rule_keys[k], r);
	}
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
