/*
 * rule_keys.c
 *		The rule set's keys and the Decree 335 defaults (rules.md section 6),
 *		and kpi.effective_rules, which prints every key.
 *
 * One table describes every key (rule_keys.h); rules.c parses rule values
 * by it, and this file prints them by it.
 */
#include "postgres.h"

#include "rule_keys.h"
#include "annual_tier.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "datatype/timestamp.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"

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
	 * LM5, ours (the draft of 23 June 2026 published no points): drafting
	 * follows lawmaking_template; appraisal 40 + 40 + obstacles 10 + impact
	 * 10; joint appraisal 60 + 30 + 10; Government Office 50 + 40 + 10;
	 * answering polls 70 + 20 + 10; finalising 50 + 40 + 10.
	 */
	.lm_role_template_set = {false, true, true, true, true, true},
	.lm_role_template = {
		{0, 0, 0, 0, 0},
		{400000, 400000, 100000, 0, 100000},
		{600000, 300000, 0, 0, 100000},
		{500000, 400000, 0, 0, 100000},
		{700000, 200000, 0, 0, 100000},
		{500000, 400000, 0, 0, 100000}
	},
	/* LM6: every role's documents count alike; LM7: PAR INDEX as published */
	.lm_role_weight = {KPI_ONE, KPI_ONE, KPI_ONE, KPI_ONE, KPI_ONE, KPI_ONE},
	.lm_rollup_roles = false,
	.lm_par_weight = 0,
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
	.unapproved_skip = false,
	.min_days_worked = 1,		/* a period with no day worked is not rated */
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
const char *const kpi_lm_roles[KPI_LM_NROLES] = {
	"drafting", "appraisal", "joint_appraisal", "government_office", "poll", "finalising"
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
static const char *const lm_rollups[] = {"documents", "roles"};

#define LM_ROLE_TEXT "null (the lawmaking_template) or " TEMPLATE_TEXT ", adding up to 100"
#define LM_ROLE_KEY(n, i) \
	{"lawmaking_" n "_template", RULE_TEMPLATE, R(lm_role_template[i]), 0, 100 * ONE, LM_ROLE_TEXT, \
	 kpi_lm_components, KPI_LM_NCOMP, false, R(lm_role_template_set[i]), -1}
static const char *const unapproved_actions[] = {"refuse", "skip"};

const RuleKey kpi_rule_keys[] = {
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
	LM_ROLE_KEY("drafting", 0),
	LM_ROLE_KEY("appraisal", 1),
	LM_ROLE_KEY("joint_appraisal", 2),
	LM_ROLE_KEY("government_office", 3),
	LM_ROLE_KEY("poll", 4),
	LM_ROLE_KEY("finalising", 5),
	{"lawmaking_role_weights", RULE_TEMPLATE, R(lm_role_weight), 0, 100 * ONE, "an object of role weights, each from 0 to 100 with at most 4 decimal places", kpi_lm_roles, KPI_LM_NROLES, false, -1, -1},
	{"lawmaking_rollup", RULE_CHOICE, R(lm_rollup_roles), 0, 0, "\"documents\" or \"roles\"", lm_rollups, 2, true, -1, -1},
	{"lawmaking_par_weight", RULE_FIXED, R(lm_par_weight), 0, ONE, RATE_TEXT, NULL, 0, false, -1, -1},
	{"unapproved", RULE_CHOICE, R(unapproved_skip), 0, 0, "\"refuse\" or \"skip\"", unapproved_actions, 2, true, -1, -1},
	{"min_days_worked", RULE_WHOLE, R(min_days_worked), 0, 92 * ONE, "a whole number of days from 0 to 92", NULL, 0, false, -1, -1},
};

const int	kpi_nrule_keys = lengthof(kpi_rule_keys);

StaticAssertDecl(lengthof(kpi_rule_keys) <= KPI_MAX_RULE_KEYS,
				 "KPI_MAX_RULE_KEYS is too small for the rule keys");

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
	for (int k = 0; k < kpi_nrule_keys; k++)
	{
		appendStringInfo(&s, "%s\"%s\": ", k ? ", " : "", kpi_rule_keys[k].name);
		AppendKey(&s, &kpi_rule_keys[k], r);
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
